// Browser side of `make bench`: the real page in headless Debian Chromium on a generated
// store — time to first rows after choosing the file (beside a bare page that opens the
// same file with sql.js and renders 50 rows), the longest main-thread task during our
// load, the renderer processes' memory growth, then time from a search (Enter) to its rows
// and count on screen, and the frame time while scrolling in virtual scroll mode.
// usage: node bench/browser.mjs STORE.sqlite  → one JSON object on stdout.
import { launchChromium } from '../tests/browser/harness.mjs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/static-server.mjs';
import { readFileSync, readdirSync, statSync } from 'node:fs';

/** Resident memory (MB) of every Chromium renderer process (the page and its workers). */
function rendererRssMb() {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch { /* the process ended */ }
  }
  return kb / 1024;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const store = process.argv[2];
const { server, url } = await startServer(root, 0);
const browser = await launchChromium();
const out = {};
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.setDefaultTimeout(120_000);
  // The bare sql.js page first, in a context of its own (closed before ours opens).
  {
    const ctx = await browser.newContext();
    const bare = await ctx.newPage();
    bare.setDefaultTimeout(120_000);
    await bare.goto(`${url}/bench/sqljs-page.html`);
    await bare.waitForFunction(() => typeof initSqlJs === 'function');
    await bare.waitForTimeout(500);
    const t0 = Date.now();
    await bare.locator('#file').setInputFiles(store);
    await bare.waitForFunction(() => document.querySelectorAll('tr.row').length === 50);
    out.sqljs_first_rows_ms = Date.now() - t0;
    await ctx.close();
  }
  await page.goto(`${url}/www/`);
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask' });
  });
  await page.waitForTimeout(500);
  const rss0 = rendererRssMb();
  // Renderer memory, sampled every 100 ms from the file's choice until 3 s after the viewer
  // is ready: the peak, and where it settles.
  let peak = rss0;
  const sampler = setInterval(() => { peak = Math.max(peak, rendererRssMb()); }, 100);
  let t = Date.now();
  await page.getByTestId('file-input').setInputFiles(store);
  // The first rows on screen: those read before the index, or the table's.
  await page.locator('[data-testid=preview-row], [data-testid=execution-row]').first().waitFor();
  out.first_rows_ms = Date.now() - t;
  await page.waitForFunction(() => document.querySelector('[data-testid=status-filter], [data-testid=search]'));
  await page.waitForFunction(() => !document.querySelector('[data-testid=preview]'));
  out.viewer_ready_ms = Date.now() - t;
  out.first_rows_vs_sqljs = Number((out.first_rows_ms / out.sqljs_first_rows_ms).toFixed(2));
  const long = await page.evaluate(() => /** @type {any} */ (window).__long);
  out.longest_main_task_ms = Math.round(Math.max(0, ...long));
  out.longest_task_share_of_load = Number((out.longest_main_task_ms / out.viewer_ready_ms).toFixed(3));
  await page.waitForTimeout(3000);
  clearInterval(sampler);
  const file = statSync(store).size / 1048576;
  out.renderer_growth_mb = Math.round(rendererRssMb() - rss0);
  out.renderer_growth_vs_file = Number((out.renderer_growth_mb / file).toFixed(2));
  out.renderer_peak_growth_vs_file = Number(((peak - rss0) / file).toFixed(2));
  for (const q of ['pipeline=mnist', 'status:failed', 'property:learning_rate<0.01', 'artifact:train/1', 'duration>5m', '']) {
    const before = await page.getByTestId('execution-count').textContent();
    t = Date.now();
    await page.getByTestId('search').fill(q);
    await page.getByTestId('search').press('Enter');
    await page.waitForFunction((b) => document.querySelector('[data-testid=execution-count]')?.textContent !== b
      && !document.querySelector('[data-testid=search-error]:not([hidden])'), before).catch(() => {});
    out[`search ${q || '(cleared)'} ms`] = Date.now() - t;
  }
  // Scroll mode: frame times while scrolling through the whole store.
  await page.getByRole('button', { name: 'Scroll' }).click();
  await page.waitForTimeout(500);
  out.scroll = await page.evaluate(async () => {
    const box = document.querySelector('.ml-table-scroll');
    const frames = [];
    let last = performance.now();
    for (let i = 0; i < 120; i++) {
      box.scrollTop += box.scrollHeight / 130;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    frames.sort((a, b) => a - b);
    return { median_frame_ms: frames[60], p95_frame_ms: frames[114], rows_in_dom: document.querySelectorAll('[data-testid=execution-row]').length };
  });
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
console.log(JSON.stringify(out));
