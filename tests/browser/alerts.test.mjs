// Issue 16 in headless Debian Chromium: alert rules set in the page (a threshold rule
// added in the panel flags rows with ⚠, the dashboard counts it and filters to it, the
// rule comes back from the URL after a reload, a bad rule shows the parser's position,
// "Alerted only"), the empty state that names its cause on a cmflib store, and recent
// stores kept in OPFS (reopened after a reload with the URL's view, removed; unavailable
// in the file:// offline HTML). Checked against the native CLI.
// Screenshots go to test-output/screenshots/alerts-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROWS, SHOTS, load, openPage, useBrowser, waitCount } from './harness.mjs';
import { ROOT, FIXTURES, bytesOf, cli, loadPkg } from '../node/helpers.mjs';

let MlmdStore;
useBrowser('mlmd-lens-alerts-', async () => {
  ({ MlmdStore } = await loadPkg());
});

const CMF = join(FIXTURES, 'cmf_small.sqlite');
const TFX = join(FIXTURES, 'mlmd_tfx.sqlite');
const total = (...args) => cli('executions', ...args, '--json').total;
const RULE = 'property:epochs>=20';

test('a threshold rule added in the panel flags rows, is counted on the dashboard, filters the table, and comes back from the URL', async () => {
  const p = await openPage();
  try {
    const { page } = p;
    await load(page, TFX, total(TFX));
    await page.locator('[data-testid=alerts-panel] > summary').click();
    // A rule that does not read: the parser's message with its position, nothing added.
    await page.getByTestId('alert-new-name').fill('many epochs');
    await page.getByTestId('alert-new-query').fill('property:epochs>');
    await page.getByTestId('alert-add').click();
    const error = page.getByTestId('alert-error');
    await error.waitFor();
    assert.match(await error.textContent(), /expected a value .* at 17/);
    assert.equal(await page.getByTestId('alert-rule').count(), 0);

    await page.getByTestId('alert-new-query').fill(RULE);
    await page.getByTestId('alert-add').click();
    await page.locator('[data-testid=alert-rule][data-name="many epochs"]').waitFor();
    assert.equal(await error.isHidden(), true);
    const flagged = total(TFX, '--alert', RULE, '-q', RULE);
    assert.ok(flagged > 0);
    const chip = page.locator('[data-testid=dash-alert][data-name="many epochs"]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=dash-alert][data-name="many epochs"]')?.getAttribute('data-count') === String(n), flagged);
    // Every row the rule flags carries ⚠ with its name in the tooltip.
    const marked = await page.$$eval(ROWS, (trs) => trs.filter((tr) => tr.querySelector('.ml-alert-mark')?.getAttribute('title')?.includes('many epochs')).map((tr) => Number(tr.dataset.id)));
    assert.deepEqual(marked, cli('executions', TFX, '-q', RULE, '--json').rows.map((r) => r.id));
    await page.screenshot({ path: join(SHOTS, 'alerts-rule-added.png'), fullPage: true });

    // The dashboard count lists its executions.
    await chip.click();
    await waitCount(page, flagged);
    assert.equal(await page.getByTestId('search').inputValue(), 'alert:"many epochs"');

    // The rule is in the URL: after a reload and the same file, it is back.
    const inUrl = JSON.parse(new URL(page.url()).searchParams.get('alerts') ?? 'null');
    assert.deepEqual(inUrl, { failed: true, longRunningFactor: 3, rules: [{ name: 'many epochs', query: RULE }] });
    await page.reload();
    await load(page, TFX, flagged);
    await page.locator('[data-testid=alert-rule][data-name="many epochs"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('[data-testid=alert-rule-query]').inputValue(), RULE);

    // "Alerted only": the executions any alert flags (failed, 3 × the stage median, the rule).
    await page.getByTestId('search').fill('');
    await page.getByTestId('search').press('Enter');
    await waitCount(page, total(TFX));
    await page.getByTestId('alerted-only').check();
    const any = total(TFX, '--alert-failed', '--alert-factor', '3', '--alert', RULE, '-q', 'alert:any');
    await waitCount(page, any);
    // The dashboard's figures may come after the rows.
    await page.waitForFunction((n) => document.querySelector('[data-testid=dash-alerts-any]')?.getAttribute('data-count') === String(n), any)
      .catch(async () => assert.equal(await page.getByTestId('dash-alerts-any').getAttribute('data-count'), String(any)));
    // Removing the rule takes it out of the count.
    await page.locator('[data-testid=alerts-panel] > summary').click();
    await page.getByTestId('alert-remove').click();
    await page.screenshot({ path: join(SHOTS, 'alerts-removed.png'), fullPage: true });
    await waitCount(page, total(TFX, '--alert-failed', '--alert-factor', '3', '-q', 'alert:any'));
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('alerted executions keep their ⚠ in compare and in the timeline', async () => {
  const alerts = JSON.stringify({ failed: true, rules: [{ name: 'many epochs', query: RULE }] });
  const p = await openPage(`?alerts=${encodeURIComponent(alerts)}&compare=1,5,8&comparing=1`);
  try {
    const { page } = p;
    await load(page, TFX, total(TFX));
    await page.getByTestId('compare').waitFor();
    await page.locator('[data-testid=compare-execution][data-id="8"] [data-testid=compare-alert]').waitFor();
    const marked = await page.$$eval('[data-testid=compare-execution]', (th) => th.map((x) => [x.getAttribute('data-id'), x.querySelector('[data-testid=compare-alert]')?.getAttribute('title') ?? null]));
    assert.deepEqual(marked, [['1', null], ['5', 'Alerts: failed'], ['8', 'Alerts: many epochs']]);
    await page.screenshot({ path: join(SHOTS, 'alerts-compare.png') });
    await page.getByTestId('compare-close').click();
    // The timeline's data marks the same executions (drawn as an outline in the alert colour).
    await page.locator('[role=tab][data-tab=timeline]').click();
    await page.getByTestId('timeline-tooltip').waitFor({ state: 'attached' });
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline-canvas]')?.dataset.drawMs);
    const flagged = cli('executions', TFX, '--alert-failed', '--alert', RULE, '-q', 'alert:any', '--json').rows.map((r) => r.id);
    await page.screenshot({ path: join(SHOTS, 'alerts-timeline.png') });
    assert.ok(flagged.includes(5) && flagged.includes(8));
    // Pointing at each bar: the tooltip says "flagged by an alert" exactly for the
    // executions the CLI flags (bar positions from the same timeline() arrays).
    const data = MlmdStore.open(bytesOf('mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite')
      .timeline({ alerts: { failed: true, rules: [{ name: 'many epochs', query: RULE }] } });
    const canvas = page.getByTestId('timeline-canvas');
    await canvas.evaluate((c) => c.scrollIntoView({ block: 'start' }));
    const box = await canvas.boundingBox();
    const v = await canvas.evaluate((c) => ({
      v0: Number(c.dataset.v0), v1: Number(c.dataset.v1), gutter: Number(c.dataset.gutter),
      plotWidth: Number(c.dataset.plotWidth), laneHeight: Number(c.dataset.laneHeight),
    }));
    for (const id of [1, 5, 8]) {
      const i = Array.from(data.ids).indexOf(id);
      assert.equal(Boolean(data.alerted[i]), flagged.includes(id), `timeline() flags #${id} as the CLI does`);
      const mid = (data.start[i] + data.end[i]) / 2;
      const x = v.gutter + ((mid - v.v0) / (v.v1 - v.v0)) * v.plotWidth;
      const y = data.lane[i] * v.laneHeight + v.laneHeight / 2;
      await page.mouse.move(box.x + x, box.y + y);
      await page.waitForFunction((t) => document.querySelector('[data-testid=timeline-tooltip]').textContent.includes(t), `#${id} `);
      const marked = await page.locator('[data-testid=timeline-tooltip] [data-testid=timeline-alerted]').count();
      assert.equal(marked, flagged.includes(id) ? 1 : 0, `tooltip of #${id}`);
    }
    await page.screenshot({ path: join(SHOTS, 'alerts-timeline-tooltip.png') });
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('on a cmflib store, status:failed finds nothing and the empty state says why, with a way back', async () => {
  const p = await openPage('?query=pipeline%3Amnist%20status%3Afailed');
  try {
    const { page } = p;
    await load(page, CMF, 0);
    const note = page.getByTestId('empty-note');
    await note.waitFor();
    assert.equal(await note.textContent(),
      'status:failed matched 0 — this store (written by cmflib) records no execution state: 20 executions are Unknown');
    const parts = await page.$$eval('[data-testid=empty-part]', (li) => li.map((x) => [x.querySelector('code')?.textContent, x.getAttribute('data-matched')]));
    assert.deepEqual(parts, [['pipeline:mnist', '12'], ['status:failed', '0']]);
    assert.match(await page.getByTestId('filter-status').getAttribute('title'), /records no execution state \(cmflib does not write one\): all 20 executions are Unknown/);
    await page.screenshot({ path: join(SHOTS, 'alerts-cmflib-empty.png'), fullPage: true });
    await page.getByRole('button', { name: 'Remove status:failed' }).click();
    await waitCount(page, total(CMF, '--pipeline', 'mnist'));
    assert.equal(await page.getByTestId('search').inputValue(), 'pipeline:mnist');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('recent stores: kept in OPFS with consent, reopened after a reload with the URL\'s view, removed', async () => {
  const p = await openPage();
  try {
    const { page } = p;
    // Off by default: nothing is kept without the tick.
    assert.equal(await page.getByTestId('remember').isChecked(), false);
    await page.getByTestId('remember').check();
    await load(page, CMF, total(CMF));
    await page.getByTestId('filter-pipeline').selectOption('mnist');
    await waitCount(page, total(CMF, '--pipeline', 'mnist'));
    // Kept once the store is open (written in the background). The index file exists as
    // soon as its handle is created, before its content is committed: wait for the content.
    await page.waitForFunction(async () => {
      const root = await navigator.storage.getDirectory();
      try {
        const index = await (await root.getDirectoryHandle('recent-stores')).getFileHandle('index.json');
        const list = JSON.parse(await (await index.getFile()).text());
        return list.some((r) => r.name === 'cmf_small.sqlite');
      } catch { return false; }
    });
    await page.reload();
    const reopen = page.getByTestId('reopen');
    await reopen.waitFor();
    assert.equal(await reopen.textContent(), 'Reopen cmf_small.sqlite');
    assert.deepEqual(await page.$$eval('[data-testid=recent-item]', (li) => li.map((x) => x.getAttribute('data-name'))), ['cmf_small.sqlite']);
    await page.screenshot({ path: join(SHOTS, 'alerts-recent-stores.png'), fullPage: true });
    await reopen.click();
    // The URL's view (pipeline=mnist) is restored on the reopened store.
    await waitCount(page, total(CMF, '--pipeline', 'mnist'));
    assert.equal(await page.getByTestId('filter-pipeline').inputValue(), 'mnist');
    await page.reload();
    await page.getByTestId('recent-remove').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=recent-item]').length === 0);
    assert.equal(await page.locator('#reopen-line').isHidden(), true);
    await page.reload();
    await page.getByTestId('remember').waitFor();
    assert.equal(await page.getByTestId('remember').isChecked(), true);
    assert.equal(await page.locator('#reopen-line').isHidden(), true);
    // Unticking forgets everything kept.
    await page.getByTestId('remember').uncheck();
    // The change handler removes the directory asynchronously: wait for it to be gone.
    await page.waitForFunction(async () => {
      const root = await navigator.storage.getDirectory();
      try { await root.getDirectoryHandle('recent-stores'); return false; } catch { return true; }
    });
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('the offline HTML (file://) says recent stores are unavailable there', { skip: !existsSync(join(ROOT, 'dist', 'mlmd-lens.html')) && 'make build writes dist/mlmd-lens.html' }, async () => {
  const p = await openPage(`file://${join(ROOT, 'dist', 'mlmd-lens.html')}`);
  try {
    const why = p.page.getByTestId('recent-unavailable');
    await why.waitFor();
    assert.match(await why.textContent(), /unavailable in a page opened from a file \(file:\/\/\)/);
    assert.equal(await p.page.getByTestId('remember').isDisabled(), true);
    await p.page.getByTestId('file-input').setInputFiles(CMF);
    await p.page.getByTestId('execution-count').filter({ hasText: /^20$/ }).waitFor();
    assert.deepEqual(p.errors, [], 'no CSP violation');
  } finally {
    await p.close();
  }
});
