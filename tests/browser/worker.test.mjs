// The store in a Web Worker (js/client.js, js/worker.js): a generated 20k store opens while
// the page keeps painting, with its phases shown and its first rows before the index (every
// frame from then on shows rows: the first ones, then the table); an
// open can be cancelled; a search made while indexing is answered; where workers are
// refused the same rows come from the main thread; a second open ends the first store's
// worker (its memory goes with it); a large export is written in the worker a chunk at a
// time, with progress and Cancel, the same bytes as on the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openPage, waitCount, shownIds, SHOTS, tmp, ROWS } from './harness.mjs';
import { FIXTURES, loadPkg } from '../node/helpers.mjs';

let large = '';
let pkg;

useBrowser('mlmd-lens-worker-', async () => {
  large = join(tmp, 'w20k.sqlite');
  execFileSync('python3', [join(FIXTURES, 'gen_large.py'), large, '--executions', '20000'], { stdio: 'ignore' });
  pkg = await loadPkg();
});

/** What the core itself answers (Node, same wasm) for a query on the generated store. */
function oracle(options) {
  const store = pkg.MlmdStore.open(new Uint8Array(readFileSync(large)), 'w20k.sqlite');
  try {
    return store.executions(options);
  } finally {
    store.free();
  }
}

/** Counts workers made and ended in the page, and animation frames, from the start. */
function instrument() {
  const w = /** @type {any} */ (window);
  w.__frames = 0;
  // What each frame is about to paint once the first rows are in: the first rows, the
  // table's rows, the filters (hidden = inside a `hidden` element; no style is forced).
  w.__shown = [];
  const shown = (/** @type {string} */ sel) => [...document.querySelectorAll(sel)].some((el) => !el.closest('[hidden]'));
  const tick = () => {
    w.__frames++;
    const s = { preview: shown('[data-testid=preview-row]'), rows: shown('[data-testid=execution-row]'), filters: shown('[data-testid=filters]') };
    if (s.preview || w.__shown.length) w.__shown.push(s);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  w.__workers = { made: 0, ended: 0 };
  const Real = window.Worker;
  if (!Real) return;
  window.Worker = class extends Real {
    constructor(...args) { super(...args); w.__workers.made++; }
    terminate() { w.__workers.ended++; super.terminate(); }
  };
  // The phases the page shows, in order, and whether the first rows came before the index.
  w.__phases = [];
  w.__preview = false;
  // In which order the table's first page was all in and the dashboard got its figures.
  w.__order = [];
  new MutationObserver(() => {
    const phase = document.getElementById('progress')?.dataset.phase;
    if (phase && w.__phases.at(-1) !== phase) w.__phases.push(phase);
    if (document.querySelector('[data-testid=preview] [data-testid=preview-row]')) w.__preview = true;
    const table = document.querySelector('[data-testid=executions-table]');
    if (!w.__order.includes('rows') && table && !table.closest('[hidden]') && !table.hasAttribute('aria-busy')
      && document.querySelectorAll('[data-testid=execution-row]').length === 50) w.__order.push('rows');
    if (!w.__order.includes('figures') && document.querySelector('[data-testid=dash-total]')) w.__order.push('figures');
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

test('a 20k store opens in the worker: frames keep coming, phases shown, first rows before the index', async () => {
  const p = await openPage('', { init: instrument });
  const { page } = p;
  const frames0 = await page.evaluate(() => /** @type {any} */ (window).__frames);
  await page.getByTestId('file-input').setInputFiles(large);
  await waitCount(page, 20000);
  const r = await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    return { frames: w.__frames, phases: w.__phases, preview: w.__preview, order: w.__order, shown: w.__shown, engine: document.documentElement.dataset.engine };
  });
  assert.equal(r.engine, 'worker');
  // The main thread painted while the worker read and indexed 49 MB.
  assert.ok(r.frames - frames0 >= 5, `frames during the open: ${r.frames - frames0}`);
  for (const phase of ['reading', 'first-page', 'indexing']) assert.ok(r.phases.includes(phase), `phases: ${r.phases}`);
  assert.ok(r.phases.indexOf('reading') < r.phases.indexOf('indexing'), `phases: ${r.phases}`);
  assert.ok(r.preview, 'the first rows were shown before the index was built');
  // From the first rows on, every frame shows rows, never two tables at once: the views
  // come around the first rows a frame before the table replaces them (two shorter frames
  // instead of one that lays out everything).
  const frames = r.shown.map((/** @type {any} */ f) => `${f.preview ? 'P' : ''}${f.rows ? 'R' : ''}${f.filters ? 'F' : ''}`);
  assert.match(frames.join(' '), /^(P )+(PF )+RF( RF)*$/);
  // The dashboard's figures are asked for once the first page is drawn: computing them
  // does not compete with the first frames.
  await page.getByTestId('dash-total').waitFor();
  const order = await page.evaluate(() => /** @type {any} */ (window).__order);
  assert.deepEqual(order, ['rows', 'figures']);
  assert.deepEqual(await shownIds(page), oracle({ limit: 50 }).rows.map((x) => x.id));
  await page.screenshot({ path: join(SHOTS, 'worker-20k.png') });
  p.assertClean();
  await p.close();
});

test('Cancel stops an open; the page opens the next file', async () => {
  const p = await openPage('', { init: instrument });
  const { page } = p;
  // The page starts the first file's worker ahead of time: wait for it.
  await page.waitForFunction(() => /** @type {any} */ (window).__workers.made === 1);
  // Click Cancel as soon as the page says it is reading.
  await page.evaluate(() => {
    new MutationObserver((_, obs) => {
      if (document.getElementById('progress')?.dataset.phase) {
        obs.disconnect();
        document.getElementById('cancel-open')?.click();
      }
    }).observe(document.getElementById('progress'), { attributes: true });
  });
  await page.getByTestId('file-input').setInputFiles(large);
  await page.waitForFunction(() => document.querySelector('[data-testid=load-status]')?.textContent?.includes('cancelled'));
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => ({
    workers: /** @type {any} */ (window).__workers,
    intro: !document.getElementById('intro').hidden,
    rows: document.querySelectorAll('[data-testid=execution-row]').length,
    cancel: !document.getElementById('cancel-open').hidden,
  }));
  assert.deepEqual(after, { workers: { made: 1, ended: 1 }, intro: true, rows: 0, cancel: false });
  await page.screenshot({ path: join(SHOTS, 'worker-cancelled.png') });
  await page.getByTestId('file-input').setInputFiles(join(FIXTURES, 'mlmd_tfx.sqlite'));
  await waitCount(page, 20);
  p.assertClean();
  await p.close();
});

test('a search made while the index builds is answered once it is ready', async () => {
  const query = 'property:learning_rate<0.01 AND status:failed';
  const p = await openPage(`?query=${encodeURIComponent(query)}&sort=-started`);
  const { page } = p;
  await page.getByTestId('file-input').setInputFiles(large);
  const want = oracle({ query, sort: '-started', limit: 50 });
  await waitCount(page, want.total);
  assert.deepEqual(await shownIds(page), want.rows.map((x) => x.id));
  p.assertClean();
  await p.close();
});

test('where workers are refused, the core runs on the main thread with the same rows', async () => {
  // A host that refuses workers, from before the page's own scripts run.
  const p = await openPage('', {
    init: () => {
      window.Worker = /** @type {any} */ (class { constructor() { throw new DOMException('workers are not allowed here', 'SecurityError'); } });
    },
  });
  const { page } = p;
  const infos = [];
  page.on('console', (m) => { if (m.type() === 'info') infos.push(m.text()); });
  await page.getByTestId('file-input').setInputFiles(large);
  await waitCount(page, 20000);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'main');
  assert.ok(infos.some((t) => t.includes('runs on the main thread')), infos.join('\n'));
  assert.deepEqual(await shownIds(page), oracle({ limit: 50 }).rows.map((x) => x.id));
  // The same search in both engines.
  await page.getByTestId('search').fill('status:failed');
  await page.getByTestId('search').press('Enter');
  const want = oracle({ query: 'status:failed', limit: 50 });
  await waitCount(page, want.total);
  assert.deepEqual(await shownIds(page), want.rows.map((x) => x.id));
  p.assertClean();
  await p.close();
});

test('a second open ends the first store\'s worker', async () => {
  const p = await openPage('', { init: instrument });
  const { page } = p;
  await page.getByTestId('file-input').setInputFiles(large);
  await waitCount(page, 20000);
  await page.getByTestId('file-input').setInputFiles(join(FIXTURES, 'cmf_small.sqlite'));
  await page.waitForFunction(() => document.querySelector('[data-testid=load-status]')?.textContent?.startsWith('cmf_small.sqlite:'));
  // The first store's worker ended; alive: the open store's and the next file's, started ahead.
  await page.waitForTimeout(300);
  const { made, ended } = await page.evaluate(() => /** @type {any} */ (window).__workers);
  assert.deepEqual({ ended, alive: made - ended }, { ended: 1, alive: 2 });
  assert.ok((await page.$$(ROWS)).length > 0);
  p.assertClean();
  await p.close();
});

test('a store read on demand (not copied: as one larger than the copy limit) gives the same rows and searches', async () => {
  const p = await openPage('?copyLimit=0', { init: instrument });
  const { page } = p;
  await page.getByTestId('file-input').setInputFiles(large);
  await waitCount(page, 20000);
  const phases = await page.evaluate(() => /** @type {any} */ (window).__phases);
  assert.ok(!phases.includes('reading'), `nothing copied: ${phases}`);
  assert.deepEqual(await shownIds(page), oracle({ limit: 50 }).rows.map((x) => x.id));
  for (const query of ['status:failed AND property:learning_rate<0.01', 'artifact:train']) {
    await page.getByTestId('search').fill(query);
    await page.getByTestId('search').press('Enter');
    const want = oracle({ query, limit: 50 });
    await waitCount(page, want.total);
    assert.deepEqual(await shownIds(page), want.rows.map((x) => x.id), query);
  }
  // Details read through the File too.
  const id = (await shownIds(page))[0];
  await page.locator(`[data-testid=execution-row][data-id="${id}"] [data-action=details]`).click();
  await page.getByTestId('details-name').waitFor();
  p.assertClean();
  await p.close();
});

/** Records the export status texts and animation frames (run in the page before its scripts). */
function watchExport() {
  const w = /** @type {any} */ (window);
  w.__frames = 0;
  const tick = () => { w.__frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  w.__statuses = [];
  new MutationObserver(() => {
    const t = document.querySelector('[data-testid=export-status]')?.textContent;
    if (t && w.__statuses.at(-1) !== t) w.__statuses.push(t);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Exports everything as `format` from the page's menu; returns the download's bytes. */
async function exportAll(page, format) {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
  await page.getByTestId('export-scope').selectOption('all');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), menu.locator(`[data-export="${format}"]`).click()]);
  const path = join(tmp, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return readFileSync(path);
}

test('a 20k export runs in the worker a chunk at a time with progress; Cancel stops it; the main thread writes the same bytes', async () => {
  const worker = await openPage('', { init: watchExport, acceptDownloads: true });
  const { page } = worker;
  await page.getByTestId('file-input').setInputFiles(large);
  await waitCount(page, 20000);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'worker');
  const frames0 = await page.evaluate(() => /** @type {any} */ (window).__frames);
  const csv = await exportAll(page, 'csv');
  const r = await page.evaluate(() => ({ frames: /** @type {any} */ (window).__frames, statuses: /** @type {any} */ (window).__statuses }));
  const progress = r.statuses.filter((t) => / of 20,000 executions$/.test(t));
  assert.ok(progress.length >= 2, `progress shown: ${r.statuses.join(' | ')}`);
  assert.ok(r.frames - frames0 >= 3, `frames during the export: ${r.frames - frames0}`);
  assert.match(r.statuses.at(-1), /^Saved l?w20k-\d{4}-\d{2}-\d{2}\.csv \(/);
  // Every execution once, in the table's order (the default sort).
  const lines = csv.toString('utf8').trimEnd().split('\n');
  assert.equal(lines.length, 20001);
  const ids = pkg.MlmdStore.open(new Uint8Array(readFileSync(large)), 'w20k.sqlite').executionIds({});
  assert.deepEqual(lines.slice(1).map((l) => Number(l.slice(0, l.indexOf(',')))), Array.from(ids));

  // Cancel a JSON export of everything after its first chunk: no download, the page answers on.
  await page.evaluate(() => { /** @type {any} */ (window).__statuses = []; });
  let downloaded = false;
  page.on('download', () => { downloaded = true; });
  await page.getByTestId('export-menu').locator('[data-export="json"]').click();
  await page.waitForFunction(() => /executions$/.test(document.querySelector('[data-testid=export-status]')?.textContent ?? ''));
  await page.screenshot({ path: join(SHOTS, 'export-progress.png') });
  await page.getByTestId('export-cancel').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=export-status]')?.textContent === 'Export cancelled.');
  assert.equal(await page.getByTestId('export-progress').isHidden(), true);
  await page.waitForTimeout(500);
  assert.equal(downloaded, false, 'a cancelled export downloads nothing');
  await page.getByTestId('search').fill('status:failed');
  await page.getByTestId('search').press('Enter');
  await waitCount(page, oracle({ query: 'status:failed' }).total);
  worker.assertClean();
  await worker.close();

  // Where workers are refused: the same file, the same bytes.
  const main = await openPage('', {
    acceptDownloads: true,
    init: () => {
      window.Worker = /** @type {any} */ (class { constructor() { throw new DOMException('workers are not allowed here', 'SecurityError'); } });
    },
  });
  await main.page.getByTestId('file-input').setInputFiles(large);
  await waitCount(main.page, 20000);
  assert.equal(await main.page.evaluate(() => document.documentElement.dataset.engine), 'main');
  assert.ok((await exportAll(main.page, 'csv')).equals(csv), 'the main thread wrote the same CSV');
  await main.close();
});
