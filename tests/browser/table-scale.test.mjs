// Rows beyond the browser's scroll limit: Chromium stops growing an element near 16.7 M px
// (row ~500k at 33 px), so the table scales its scroll range; with 1,000,000 (and 3,000,000)
// synthetic rows the last row is reachable by scrolling to the end, by the End key, and
// rows in the middle are where the scroll position says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, SHOTS, base } from './harness.mjs';

useBrowser('mlmd-lens-table-scale-');

/** Ids of the rows inside the scroller's visible box. */
const visibleIds = (page) => page.evaluate(() => {
  const box = document.querySelector('.ml-table-scroll').getBoundingClientRect();
  const head = document.querySelector('.ml-table-scroll thead').getBoundingClientRect().height;
  return [...document.querySelectorAll('[data-testid=execution-row]')].filter((tr) => {
    const r = tr.getBoundingClientRect();
    return r.top >= box.top + head - 1 && r.bottom <= box.bottom + 1;
  }).map((tr) => Number(tr.dataset.id));
});

/** Scrolls the table to `frac` of its range and waits for the rows there. */
async function scrollTo(page, frac) {
  await page.evaluate((f) => { const el = document.querySelector('.ml-table-scroll'); el.scrollTop = (el.scrollHeight - el.clientHeight) * f; }, frac);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=execution-row]').length > 0);
  await page.waitForTimeout(300);
}

for (const total of [1_000_000, 3_000_000]) {
  test(`${total} rows: the last row is reachable and rows sit where the scroll says`, async () => {
    const p = await openPage(`${base}/tests/browser/web/synthetic-table.html?total=${total}`);
    const { page } = p;
    await page.waitForFunction(() => /** @type {any} */ (window).tableReady === true);
    const height = await page.evaluate(() => document.querySelector('.ml-table-scroll').scrollHeight);
    assert.ok(height < 16_000_000, `scroll height ${height} stays under Chromium's limit`);
    await scrollTo(page, 1);
    let ids = await visibleIds(page);
    assert.ok(ids.includes(total), `the last row (${total}) is on screen: ${ids.slice(-3)}`);
    assert.deepEqual(ids, ids.map((_, i) => ids[0] + i), 'consecutive rows');
    await page.screenshot({ path: join(SHOTS, `table-scale-${total}-end.png`) });
    await scrollTo(page, 0.5);
    ids = await visibleIds(page);
    assert.ok(ids.length > 5 && Math.abs(ids[0] - total / 2) < total * 0.01, `the middle: ${ids[0]}`);
    assert.deepEqual(ids, ids.map((_, i) => ids[0] + i), 'consecutive rows');
    await scrollTo(page, 0);
    ids = await visibleIds(page);
    assert.equal(ids[0], 1);
    // The keyboard: End goes to the last row.
    await page.locator('.ml-table-scroll tbody').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.waitForTimeout(400);
    ids = await visibleIds(page);
    assert.ok(ids.includes(total), `End shows the last row: ${ids.slice(-3)}`);
    p.assertClean();
    await p.close();
  });
}
