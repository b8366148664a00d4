// A real JupyterLab (target/notebook-venv, with the built wheel installed) started headless
// on 127.0.0.1, driven by headless Debian Chromium:
//  1. a saved notebook holding a mlmd_lens.show() output, opened where no kernel can start
//     (and untrusted): the viewer renders from the output alone;
//  2. MLMD files opened from the file browser in the "MLMD Lens" document viewer: by
//     double-click (.sqlite, and a file named `mlmd`), through "Open With" (any file), a
//     non-MLMD file with its error; and the JupyterLab dark theme;
//  3. with a python kernel, the live widget: rows ticked in the page are `v.selected` in
//     Python, and `v.selected` / `v.query` / `v.alerts` set in Python change the page (a rule
//     removed in the page is gone from `v.alerts`).
// Nothing is fetched from outside the server. Screenshots: test-output/screenshots/notebook-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, SHOTS, python, launchBrowser, startJupyterLab } from './helpers.mjs';
import { cli } from '../node/helpers.mjs';

const TIMEOUT = 60_000;
let root;
let browser;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'mlmd-lens-lab-'));
  // Copies: the shared fixtures are never opened by a server that could write.
  copyFileSync(join(FIXTURES, 'cmf_small.sqlite'), join(root, 'cmf_small.sqlite'));
  copyFileSync(join(FIXTURES, 'cmf_small.sqlite'), join(root, 'mlmd')); // cmflib's default name
  copyFileSync(join(FIXTURES, 'mlmd_tfx.sqlite'), join(root, 'store-copy')); // any name: Open With
  copyFileSync(join(FIXTURES, 'plain_sqlite.sqlite'), join(root, 'not-mlmd.db'));
  // The saved notebook: what running `mlmd_lens.show("cmf_small.sqlite")` leaves in the
  // file, made by the installed wheel, not signed (so JupyterLab treats it as untrusted).
  python(`import sys, nbformat, mlmd_lens
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
cell = nbformat.v4.new_code_cell('import mlmd_lens\\nmlmd_lens.show("cmf_small.sqlite")', execution_count=1)
cell.outputs = [nbformat.v4.new_output("execute_result", data=mlmd_lens.show(sys.argv[1])._repr_mimebundle_(), execution_count=1)]
nb.cells = [nbformat.v4.new_markdown_cell("Saved with an mlmd-lens output."), cell]
nbformat.write(nb, sys.argv[2])`, [join(root, 'cmf_small.sqlite'), join(root, 'saved.ipynb')]);
  const code = (id, source) => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source });
  writeFileSync(join(root, 'live.ipynb'), JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [
      code('show', 'import mlmd_lens\nv = mlmd_lens.Viewer("cmf_small.sqlite")\nv'),
      code('read', 'print("selected:", v.selected)'),
      code('query', 'v.query = "pipeline:mnist"'),
      code('select', 'v.selected = [1, 2]'),
      code('alerts', 'v.alerts = {"failed": True, "rules": [{"name": "many epochs", "query": "property:epochs>=2"}]}'),
      code('rules', 'print("rules:", [r["name"] for r in v.alerts["rules"]])'),
    ],
  }));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

let workspaces = 0;

/**
 * Opens JupyterLab at `path` in a fresh page and a fresh workspace (nothing restored from
 * an earlier page); records page errors and every request.
 * @param {{ url: string, token: string }} lab
 * @param {string} path e.g. `/tree/saved.ipynb`, or '' for the file browser alone
 */
async function openLab(lab, path) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${lab.url}/lab/workspaces/test-${++workspaces}${path}?token=${lab.token}`);
  return {
    page,
    close: () => context.close(),
    /** No uncaught error, nothing fetched from anywhere but the server. */
    assertClean() {
      assert.deepEqual(errors, []);
      const outside = requests.filter((u) => !u.startsWith(`${lab.url}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
      assert.deepEqual(outside, [], 'requests that left the JupyterLab server');
    },
  };
}

/** Scrolls the notebook back to its first cell (for the screenshot). */
const scrollNotebookTop = (page) => page.locator('.jp-NotebookPanel:visible .jp-WindowedPanel-outer')
  .evaluate((el) => { el.scrollTop = 0; });

/** The open menu's item whose label is exactly `label`. */
const menuItem = (page, label) => page.locator('.lm-Menu-item')
  .filter({ has: page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${label}$`) }) });

/** Ids of the execution rows inside `scope`. */
const rowIds = (scope) => scope.locator('[data-testid=execution-row]')
  .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));

/** Dismisses JupyterLab's "Select Kernel" dialog with "No Kernel" when it shows. */
async function noKernelIfAsked(page) {
  const button = page.locator('.jp-Dialog button', { hasText: 'No Kernel' });
  try {
    await button.waitFor({ timeout: 5_000 });
    await button.click();
  } catch { /* not asked */ }
}

test('JupyterLab with no kernel: a saved show() output and the MLMD document viewer', async (t) => {
  const lab = await startJupyterLab(root, { kernels: false });
  t.after(() => lab.stop());

  await t.test('a saved notebook re-renders the viewer from its output, with no kernel', async () => {
    const { page, close, assertClean } = await openLab(lab, '/tree/saved.ipynb');
    const output = page.locator('.jp-OutputArea-output').filter({ has: page.getByTestId('viewer') });
    await output.locator('[data-testid=execution-row]').first().waitFor();
    await noKernelIfAsked(page);
    assert.equal(await output.getByTestId('execution-count').textContent(), '20');
    assert.deepEqual(await rowIds(output), Array.from({ length: 20 }, (_, i) => i + 1));
    // The store runs in its Web Worker (started from the bundle's code as a blob: URL).
    assert.equal(await output.getByTestId('viewer').getAttribute('data-engine'), 'worker');
    // The viewer, not the "install mlmd-lens" fallback; no kernel anywhere.
    assert.equal(await page.locator('.mlmd-lens-fallback').count(), 0);
    assert.deepEqual(await lab.api('/api/kernels'), []);
    await scrollNotebookTop(page);
    await page.screenshot({ path: join(SHOTS, 'notebook-saved-output-no-kernel.png') });
    assertClean();
    await close();
  });

  await t.test('double-clicking an MLMD file in the file browser opens the document viewer', async () => {
    const { page, close, assertClean } = await openLab(lab, '');
    const item = (name) => page.locator('.jp-DirListing-item').filter({ has: page.locator('.jp-DirListing-itemText', { hasText: new RegExp(`^${name}$`) }) });
    await item('cmf_small.sqlite').dblclick();
    const doc = page.locator('.jp-MlmdLens:visible');
    await doc.locator('[data-testid=execution-row]').first().waitFor();
    assert.equal(await doc.getByTestId('execution-count').textContent(), '20');
    assert.equal(await doc.locator('[data-testid=execution-row]').count(), 20);
    await page.screenshot({ path: join(SHOTS, 'notebook-document-viewer.png') });

    // The Export menu in the notebook viewer: a CSV of the store's executions, in the
    // table's order, the same rows as the CLI's; the PDF item says it is not here.
    await doc.getByTestId('export-menu').locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), doc.locator('[data-export="csv"]').click()]);
    assert.match(download.suggestedFilename(), /^cmf_small-\d{4}-\d\d-\d\d\.csv$/);
    const saved = join(root, download.suggestedFilename());
    await download.saveAs(saved);
    const rows = readFileSync(saved, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    const shown = await doc.locator('[data-testid=execution-row]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)));
    assert.deepEqual(rows, shown);
    assert.deepEqual([...rows].sort((a, b) => a - b), cli('executions', join(FIXTURES, 'cmf_small.sqlite'), '--json').rows.map((r) => r.id).sort((a, b) => a - b));
    const pdf = doc.locator('[data-export="pdf"]');
    assert.equal(await pdf.isDisabled(), true);
    assert.match(await pdf.getAttribute('title'), /not in the notebook viewer/);
    await doc.getByTestId('export-menu').locator('summary').click();

    // cmflib's store: a file named `mlmd` opens in the viewer by default too.
    await item('mlmd').dblclick();
    await page.locator('.lm-TabBar-tab.lm-mod-current', { hasText: /^mlmd$/ }).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.jp-MlmdLens')]
      .some((el) => el.offsetParent && el.querySelector('[data-testid=execution-count]')?.textContent === '20'));

    // Any other file: Open With → MLMD Lens.
    await item('store-copy').click({ button: 'right' });
    await menuItem(page, 'Open With').hover();
    await menuItem(page, 'MLMD Lens').click();
    await page.locator('.lm-TabBar-tab.lm-mod-current', { hasText: 'store-copy' }).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.jp-MlmdLens')]
      .some((el) => el.offsetParent && el.querySelector('[data-testid=execution-count]')?.textContent === '20'));

    // Not MLMD: the core's message, in the tab.
    await item('not-mlmd.db').dblclick();
    const error = page.locator('.jp-MlmdLens:visible [data-testid=load-error]');
    await error.waitFor();
    assert.match(await error.textContent(), /^not-mlmd\.db: SQLite file but no MLMD tables \(missing: .*; found: songs\)/);
    await page.screenshot({ path: join(SHOTS, 'notebook-document-not-mlmd.png') });

    // The theme follows JupyterLab: switch to JupyterLab Dark.
    await item('cmf_small.sqlite').dblclick();
    await page.locator('.lm-MenuBar-item', { hasText: 'Settings' }).click();
    await menuItem(page, 'Theme').hover();
    await menuItem(page, 'JupyterLab Dark').click();
    await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'false');
    await page.waitForTimeout(500); // the theme's CSS is applied after the attribute
    const bg = await page.locator('.jp-MlmdLens:visible .mlmd-lens').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(0.2126 * r + 0.7152 * g + 0.0722 * b < 80, `dark background under JupyterLab Dark (got ${bg})`);
    await page.screenshot({ path: join(SHOTS, 'notebook-document-viewer-dark.png') });
    // Back to light for the next tests (the setting is stored by the server).
    await page.locator('.lm-MenuBar-item', { hasText: 'Settings' }).click();
    await menuItem(page, 'Theme').hover();
    await menuItem(page, 'JupyterLab Light').click();
    await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'true');
    assert.deepEqual(await lab.api('/api/kernels'), []);
    assertClean();
    await close();
  });
});

/**
 * Waits until the notebook's kernel is connected and idle (the status bar says so). On a
 * loaded 2-core machine the first connection sometimes stalls in "Connecting": then the
 * test reconnects once, as a user would (Kernel → Reconnect to Kernel).
 */
async function waitKernelIdle(page) {
  const idle = page.locator('.jp-StatusBar-Widget', { hasText: /\| Idle/ });
  try {
    await idle.waitFor({ timeout: 30_000 });
  } catch {
    await page.locator('.lm-MenuBar-item', { hasText: 'Kernel' }).click();
    await menuItem(page, 'Reconnect to Kernel').click();
    await idle.waitFor();
  }
}

/** Runs the notebook cell with `index` (click its editor, Shift+Enter) and waits for it to finish. */
async function runCell(page, index) {
  const cell = page.locator('.jp-Notebook .jp-Cell').nth(index);
  await cell.locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  await cell.locator('.jp-InputPrompt', { hasText: /\[\d+\]/ }).waitFor();
  return cell;
}

test('JupyterLab with a python kernel: the live widget syncs selected and query', async (t) => {
  const lab = await startJupyterLab(root, { kernels: true });
  t.after(() => lab.stop());
  t.after(() => { if (process.env.MLMD_DEBUG) console.log(lab.log()); });
  const { page, close, assertClean } = await openLab(lab, '/tree/live.ipynb');
  await waitKernelIdle(page);

  const shown = await runCell(page, 0);
  const widget = shown.locator('.jp-OutputArea-output').filter({ has: page.getByTestId('viewer') });
  await widget.locator('[data-testid=execution-row]').first().waitFor();
  assert.equal(await widget.getByTestId('execution-count').textContent(), '20');

  // Tick executions 3 and 5 in the page; Python reads them.
  const box = (id) => widget.locator(`[data-testid=execution-row][data-id="${id}"] input[type=checkbox]`);
  await box(3).click();
  await box(5).click();
  const read = await runCell(page, 1);
  await read.locator('.jp-OutputArea-output', { hasText: 'selected:' }).waitFor();
  assert.equal((await read.locator('.jp-OutputArea-output').textContent()).trim(), 'selected: [3, 5]');

  // Python sets the query: the view filters.
  await runCell(page, 2);
  await page.waitForFunction(() => document.querySelector('.jp-OutputArea [data-testid=execution-count]')?.textContent === '12');
  assert.deepEqual(await rowIds(widget), Array.from({ length: 12 }, (_, i) => i + 1));
  assert.match(await widget.locator('input[type=search], input[type=text]').first().inputValue(), /pipeline:mnist/);

  // Python sets the selection: the page ticks those rows.
  await runCell(page, 3);
  await page.waitForFunction(() => {
    const ticked = [...document.querySelectorAll('.jp-OutputArea [data-testid=execution-row]')]
      .filter((r) => r.querySelector('input[type=checkbox]')?.checked).map((r) => r.getAttribute('data-id'));
    return ticked.join(',') === '1,2';
  });

  // Python sets alert rules: the page's Alerts panel lists the rule; a rule removed in the
  // page is gone from v.alerts.
  await runCell(page, 4);
  const rule = widget.locator('[data-testid=alert-rule][data-name="many epochs"]');
  await rule.waitFor({ state: 'attached' });
  await widget.locator('[data-testid=alerts-panel] > summary').click();
  await rule.getByTestId('alert-remove').click();
  await widget.locator('[data-testid=alert-rule]').first().waitFor({ state: 'detached' });
  const rules = await runCell(page, 5);
  await rules.locator('.jp-OutputArea-output', { hasText: 'rules:' }).waitFor();
  assert.equal((await rules.locator('.jp-OutputArea-output').textContent()).trim(), 'rules: []');

  await scrollNotebookTop(page);
  await page.screenshot({ path: join(SHOTS, 'notebook-live-widget.png') });
  assertClean();
  await close();
});
