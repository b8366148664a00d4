// Browser side of `make bench`: the real page in headless Debian Chromium on a generated
// store — time to first rows after choosing the file, then time from a search (Enter) to
// its rows and count on screen, and the frame time while scrolling in virtual scroll mode.
// usage: node bench/browser.mjs STORE.sqlite  → one JSON object on stdout.
import { launchChromium } from '../tests/browser/harness.mjs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const store = process.argv[2];
const { server, url } = await startServer(root, 0);
const browser = await launchChromium();
const out = {};
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(`${url}/www/`);
  let t = Date.now();
  await page.getByTestId('file-input').setInputFiles(store);
  await page.locator('[data-testid=execution-row]').first().waitFor();
  out.first_rows_ms = Date.now() - t;
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
