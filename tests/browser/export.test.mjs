// The export menu (js/views/export.js): each item downloads the core's bytes for the
// current filter or the selection, named after the store and the query; the page's
// "Offline HTML" of a selection embeds a gzip-compressed subset store that reopens with
// only those executions; the print stylesheet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROWS, SHOTS, base, openPage, tmp, useBrowser, waitCount } from './harness.mjs';
import { ROOT, FIXTURES } from '../node/helpers.mjs';

useBrowser('mlmd-lens-export-');

const CMF = join(FIXTURES, 'cmf_small.sqlite');
const today = () => new Date().toISOString().slice(0, 10);

/** The CLI's JSON answer (the debug binary, as tests/node/helpers.mjs). */
const cliJson = (...args) => JSON.parse(execFileSync(join(ROOT, 'target', 'debug', 'mlmd-lens'), args, { encoding: 'utf8' }));

/** Opens the page on cmf_small.sqlite with a URL state, and waits for `count` rows. */
async function openOn(query, count) {
  const p = await openPage(query, { acceptDownloads: true });
  await p.page.getByTestId('file-input').setInputFiles(CMF);
  await waitCount(p.page, count);
  return p;
}

/** Clicks an export item (the menu opened first) and returns the download's name and text. */
async function exportItem(page, format) {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), menu.locator(`[data-export="${format}"]`).click()]);
  const path = join(tmp, download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8'), path };
}

test('each export item downloads the core\'s file of the current filter, named after store and query', async () => {
  const p = await openOn('?pipeline=mnist&columns=id,status,property:learning_rate,name', 12);
  try {
    const want = cliJson('executions', CMF, '--pipeline', 'mnist', '--limit', '1000', '--json').rows.map((r) => r.id);
    const csv = await exportItem(p.page, 'csv');
    assert.equal(csv.name, `cmf_small-mnist-${today()}.csv`);
    const lines = csv.text.trim().split('\n');
    // The table's columns in order, then the times every CSV has, then every property.
    assert.match(lines[0], /^id,status,property:learning_rate,name,started,ended,duration_ms,property:/);
    assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[0])), want);
    await p.page.screenshot({ path: join(SHOTS, 'export-menu.png') });
    assert.equal(await p.page.getByTestId('export-cancel').isHidden(), true, 'Cancel shows only while an export runs');

    const json = JSON.parse((await exportItem(p.page, 'json')).text);
    assert.equal(json.total, 12);
    assert.deepEqual(json.executions.map((e) => e.id), want);
    assert.deepEqual(json.executions[0], cliJson('show', CMF, String(want[0])));

    const cmf = await exportItem(p.page, 'cmf-json');
    assert.equal(cmf.name, `cmf_small-mnist-${today()}.cmf.json`);
    assert.deepEqual(JSON.parse(cmf.text), JSON.parse(readFileSync(join(FIXTURES, 'cmf_small.dumptojson.json'), 'utf8')));

    const html = await exportItem(p.page, 'html');
    assert.ok(html.text.includes('MLMD report — cmf_small.sqlite'), 'the store in the title');
    assert.ok(html.text.includes('<h2>Executions (12)</h2>'));
    assert.ok(!html.text.includes('<script'), 'the report has no script');
    const r = await openPage(`file://${html.path}`);
    try {
      await r.page.screenshot({ path: join(SHOTS, 'export-report.png'), fullPage: true });
      assert.deepEqual(r.errors, [], 'the report breaks no CSP rule of its own');
    } finally { await r.close(); }
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('the selection: CSV with a BOM and the HTML report of the ticked executions', async () => {
  const p = await openOn('?compare=4,8,12', 20);
  try {
    await p.page.getByTestId('export-menu').locator('summary').click();
    await p.page.getByTestId('export-scope').selectOption('selection');
    await p.page.getByTestId('export-bom').check();
    await p.page.getByTestId('export-properties').selectOption('table');
    const csv = await exportItem(p.page, 'csv');
    assert.equal(csv.name, `cmf_small-ids-4-8-12-${today()}.csv`);
    assert.equal(csv.text.charCodeAt(0), 0xfeff);
    const lines = csv.text.slice(1).trim().split('\n');
    assert.equal(lines[0], 'id,name,pipeline,stage,status,started,duration_ms,git_commit,ended');
    assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[0])), [4, 8, 12]);
    const html = await exportItem(p.page, 'html');
    assert.ok(html.text.includes('The 3 chosen executions.'));
    assert.ok(html.text.includes('<h2>Compare</h2>') && html.text.includes('aria-label="Duration"><svg'), 'the compare charts');
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('"Offline HTML" of a selection embeds a gzip subset store that reopens with only those executions', async () => {
  const p = await openOn('?compare=3,7,11', 20);
  try {
    await p.page.getByTestId('export-menu').locator('summary').click();
    await p.page.getByTestId('export-scope').selectOption('selection');
    const saved = await exportItem(p.page, 'offline');
    assert.equal(saved.name, 'cmf_small-3-executions.mlmd-lens.html');
    assert.ok(saved.text.includes('data-encoding="gzip"'));
    const status = await p.page.getByTestId('export-status').textContent();
    assert.match(status, /subset \(3 executions\) is [\d.]+ KiB, [\d.]+ KiB gzipped/);
    console.log(`offline subset: ${status}`);
    const q = await openPage(`file://${saved.path}`);
    try {
      await waitCount(q.page, 3);
      const ids = await q.page.locator(ROWS).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
      assert.deepEqual(ids, [3, 7, 11]);
      assert.deepEqual(q.errors, []);
    } finally { await q.close(); }
  } finally { await p.close(); }
});

test('the page prints clean: no buttons or menus, the whole table', async () => {
  const p = await openOn('', 20);
  try {
    await p.page.emulateMedia({ media: 'print' });
    assert.equal(await p.page.getByTestId('export-menu').isVisible(), false);
    assert.equal(await p.page.locator('#save-offline').isVisible(), false);
    assert.equal(await p.page.locator(ROWS).count(), 20);
    await p.page.screenshot({ path: join(SHOTS, 'print.png'), fullPage: true });
  } finally { await p.close(); }
});

/** pdftotext's text of a PDF file (poppler-utils; make setup installs it). */
const pdfText = (path) => execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });

test('the PDF report of the selection: the PDF module loads in the worker on first use, the text reads back', async () => {
  const p = await openOn('?compare=4,8,12', 20);
  try {
    const requests = [];
    p.page.on('request', (r) => requests.push(r.url()));
    await p.page.getByTestId('export-menu').locator('summary').click();
    await p.page.getByTestId('export-scope').selectOption('selection');
    const wasm = () => requests.filter((u) => u.endsWith('/pkg/report-pdf/mlmd_lens_report_pdf_bg.wasm')).length;
    assert.equal(wasm(), 0, 'the PDF module (its wasm) is not loaded before a PDF is asked');
    const pdf = await exportItem(p.page, 'pdf');
    assert.equal(pdf.name, `cmf_small-ids-4-8-12-${today()}.pdf`);
    assert.equal(readFileSync(pdf.path).subarray(0, 5).toString(), '%PDF-');
    assert.equal(wasm(), 1, 'fetched beside pkg/');
    const text = pdfText(pdf.path);
    assert.ok(text.includes('MLMD report — cmf_small.sqlite'), text.slice(0, 200));
    assert.ok(text.includes('Executions (3)') && text.includes('The 3 chosen executions.'));
    for (const id of [4, 8, 12]) {
      const name = cliJson('show', CMF, String(id)).name;
      assert.ok(text.includes(`#${id} ${name}`), `details of #${id}`);
    }
    assert.match(await p.page.getByTestId('export-status').textContent(), /^Saved cmf_small-ids-4-8-12-.*\.pdf \([\d.]+ KiB\)\.$/);
    // A second PDF reuses the loaded module.
    const again = await exportItem(p.page, 'pdf');
    assert.equal(readFileSync(again.path).subarray(0, 5).toString(), '%PDF-');
    assert.equal(wasm(), 1, 'loaded once');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf.path, join(SHOTS, 'export-pdf-page1')]);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('the offline HTML says why it has no PDF report (the module stays out of the single file)', async () => {
  const p = await openPage(`file://${join(ROOT, 'dist', 'mlmd-lens.html')}`);
  try {
    await p.page.getByTestId('file-input').setInputFiles(CMF);
    await waitCount(p.page, 20);
    await p.page.getByTestId('export-menu').locator('summary').click();
    const item = p.page.locator('[data-export="pdf"]');
    assert.equal(await item.isDisabled(), true);
    assert.match(await item.getAttribute('title'), /does not carry \(it would add 2 MB\).*mlmd-lens export --format pdf/);
    assert.equal(await p.page.locator('[data-export="html"]').isDisabled(), false);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});
