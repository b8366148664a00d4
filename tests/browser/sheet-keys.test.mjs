// The details side sheet, the page-wide keys, the skip link and the timeline's keyboard bar
// cursor, in the real page (headless Debian Chromium): the sheet overlays the table (which
// keeps its width and place) at full window height, is full screen at 390 px and scrolls
// inside; Esc and ✕ close it and give the focus back to the row; '/' and Esc work from
// anywhere on the page but not while typing, and stay inside the widget where a notebook
// renders it; arrows move between timeline bars in the order of `store.timeline()`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../node/helpers.mjs';
import { ROWS, SHOTS, base, openPage, openWith, useBrowser, waitCount, waitStyled } from './harness.mjs';
import { FIXTURES, bytesOf, loadPkg } from '../node/helpers.mjs';

const CMF = join(FIXTURES, 'cmf_small.sqlite');
const TFX = join(FIXTURES, 'tfx_pipeline.sqlite');
let MlmdStore;
useBrowser('mlmd-lens-sheet-', async () => {
  ({ MlmdStore } = await loadPkg());
});

/** The bounding box of a selector's first element (page coordinates of the viewport). */
const rect = (page, sel) => page.$eval(sel, (el) => {
  const r = el.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height, right: r.right, bottom: r.bottom };
});
/** data-testid (or tag) of the focused element, and the tbody's cursor row. */
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { testid: a?.getAttribute('data-testid') ?? a?.tagName.toLowerCase(), inDetails: Boolean(a?.closest('[data-testid=details]')),
    cursor: a?.getAttribute('aria-activedescendant') ? document.getElementById(a.getAttribute('aria-activedescendant'))?.dataset.id : null };
});

test('1280 px: the sheet overlays the table at full height; Esc gives the focus back to the row', async () => {
  const { page, errors, close } = await openWith(CMF, '', { viewport: { width: 1280, height: 900 } });
  try {
    await waitCount(page, 20);
    await waitStyled(page);
    const before = await rect(page, '[data-testid=executions-table]');
    const row = page.locator(`${ROWS}[data-id="7"]`);
    await row.locator('[data-action=details]').click();
    const sheet = page.getByTestId('details');
    await sheet.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('[data-testid=details-name]')?.textContent);
    const s = await rect(page, '[data-testid=details]');
    assert.equal(Math.round(s.y), 0, 'the sheet starts at the top of the window');
    assert.equal(Math.round(s.height), 900, 'full window height');
    assert.equal(Math.round(s.right), 1280, 'at the right edge');
    assert.ok(s.width >= 320 && s.width <= 600, `width ${s.width}`);
    const after = await rect(page, '[data-testid=executions-table]');
    assert.deepEqual([after.x, after.width], [before.x, before.width], 'the table keeps its place and width');
    await page.screenshot({ path: join(SHOTS, 'sheet-1280.png') });
    // Scrolled down the page, the sheet is still in the window.
    await page.mouse.move(200, 700);
    await page.mouse.wheel(0, 400);
    await page.waitForFunction(() => window.scrollY > 0);
    assert.equal(Math.round((await rect(page, '[data-testid=details]')).y), 0);
    assert.equal((await focused(page)).inDetails, true, 'the sheet has the focus');
    await page.screenshot({ path: join(SHOTS, 'sheet-1280-scrolled.png') });

    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    const f = await focused(page);
    assert.equal(f.cursor, '7', 'the focus is back on the row');

    // The close button does the same.
    await row.locator('[data-action=details]').click();
    await sheet.waitFor({ state: 'visible' });
    await page.getByTestId('details-close').click();
    await sheet.waitFor({ state: 'hidden' });
    assert.equal((await focused(page)).cursor, '7');

    // Resizable: the handle's arrow keys widen it.
    await row.locator('[data-action=details]').click();
    await sheet.waitFor({ state: 'visible' });
    const w0 = (await rect(page, '[data-testid=details]')).width;
    await page.getByTestId('details-resize').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(Math.round((await rect(page, '[data-testid=details]')).width), Math.round(w0 + 80));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('390 px: a full-screen sheet, in view at once, that scrolls inside', async () => {
  const { page, errors, close } = await openWith(TFX, '', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await waitCount(page, 35);
    await waitStyled(page);
    // Open from the keyboard (the Actions column is off to the right at this width).
    await page.locator('[data-testid=executions-table] tbody').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const sheet = page.getByTestId('details');
    await sheet.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('[data-testid=details] [data-section=events]'));
    const s = await rect(page, '[data-testid=details]');
    assert.deepEqual([s.x, s.y, s.width, s.height].map(Math.round), [0, 0, 390, 844], 'full screen, in view');
    const body = page.locator('.ml-details-body');
    const sizes = await body.evaluate((b) => ({ scroll: b.scrollHeight, client: b.clientHeight }));
    assert.ok(sizes.scroll > sizes.client, 'long details scroll inside the sheet');
    await page.screenshot({ path: join(SHOTS, 'sheet-390.png') });
    await body.evaluate((b) => { b.scrollTop = b.scrollHeight; });
    assert.ok(await body.evaluate((b) => b.scrollTop > 0));
    assert.equal(Math.round((await rect(page, '[data-testid=details]')).y), 0, 'the sheet stays put while its body scrolls');
    await page.screenshot({ path: join(SHOTS, 'sheet-390-scrolled.png') });
    await page.getByTestId('details-close').click();
    await sheet.waitFor({ state: 'hidden' });
    const f = await focused(page);
    assert.equal(f.testid, 'tbody');
    assert.equal(f.cursor, String((await page.$$eval(ROWS, (trs) => trs.map((tr) => tr.dataset.id)))[2]), 'back on the row it opened');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the page: '/' and Esc work from anywhere, not while typing; the skip link jumps to the table", async () => {
  const { page, errors, close } = await openWith(CMF, '?selected=3');
  try {
    await page.getByTestId('details').waitFor({ state: 'visible' });
    // A click on the page's header leaves the focus outside the viewer.
    await page.locator('header.bar h1').click();
    await page.evaluate(() => document.activeElement?.blur());
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
    await page.keyboard.press('Escape');
    await page.getByTestId('details').waitFor({ state: 'hidden' });
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('/');
    assert.equal((await focused(page)).testid, 'search', "'/' from the page's body focuses the search");

    // Typing in a text field outside the viewer is left alone.
    await page.evaluate(() => {
      const t = document.createElement('textarea');
      t.setAttribute('data-testid', 'outside');
      document.querySelector('header.bar')?.append(t);
    });
    await page.getByTestId('outside').focus();
    await page.keyboard.type('a/b');
    assert.equal(await page.getByTestId('outside').inputValue(), 'a/b');
    assert.equal((await focused(page)).testid, 'outside');

    // The skip link: hidden until focused, then in view; Enter lands on the table.
    const skip = page.getByTestId('skip-to-table');
    const hiddenBox = await skip.boundingBox();
    assert.ok(!hiddenBox || (hiddenBox.width <= 1 && hiddenBox.height <= 1), 'out of sight until focused');
    await page.getByTestId('search').focus();
    await page.keyboard.press('Shift+Tab');
    let guard = 0;
    while ((await focused(page)).testid !== 'skip-to-table' && guard++ < 30) await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).testid, 'skip-to-table', 'reached by Tab');
    const shown = await skip.boundingBox();
    assert.ok(shown && shown.y >= 0 && shown.height > 10, 'visible when focused');
    await page.screenshot({ path: join(SHOTS, 'skip-link.png') });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('ml-tbody'));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the offline HTML (file://): the same sheet and page-wide '/' and Esc", async () => {
  const p = await openPage(`file://${join(ROOT, 'dist', 'mlmd-lens.html')}`);
  try {
    const { page } = p;
    await page.getByTestId('file-input').setInputFiles(CMF);
    await waitCount(page, 20);
    await page.locator(`${ROWS}[data-id="4"] [data-action=details]`).click();
    await page.getByTestId('details').waitFor({ state: 'visible' });
    const s = await rect(page, '[data-testid=details]');
    assert.deepEqual([Math.round(s.y), Math.round(s.height), Math.round(s.right)], [0, 900, 1280], 'fixed at full height on the right');
    await page.locator('header.bar h1').click();
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('Escape');
    await page.getByTestId('details').waitFor({ state: 'hidden' });
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('/');
    assert.equal((await focused(page)).testid, 'search');
    assert.deepEqual(p.errors, [], 'no CSP violation');
  } finally {
    await p.close();
  }
});

test('in a notebook (no page option) the keys stay inside the widget', async () => {
  const p = await openPage(`${base}/tests/browser/web/embedded.html`);
  try {
    const { page } = p;
    await page.getByTestId('file-input').setInputFiles(CMF);
    await waitCount(page, 20);
    await page.getByTestId('cell-input').focus();
    await page.keyboard.type('x/y');
    assert.equal(await page.getByTestId('cell-input').inputValue(), 'x/y');
    await page.locator('#before').click();
    await page.keyboard.press('/');
    assert.notEqual((await focused(page)).testid, 'search', "the notebook's '/' is not taken");
    // Inside the widget they work.
    await page.locator('[data-testid=executions-table] tbody').focus();
    await page.keyboard.press('/');
    assert.equal((await focused(page)).testid, 'search');
    // The sheet sits inside the widget (not fixed over the notebook's window).
    await page.locator(`${ROWS}[data-id="2"] [data-action=details]`).click();
    await page.getByTestId('details').waitFor({ state: 'visible' });
    const s = await rect(page, '[data-testid=details]');
    const v = await rect(page, '[data-testid=viewer]');
    assert.ok(s.right <= v.right + 1 && s.y >= v.y - 1, 'inside the widget');
    await page.locator('#before').click();
    await page.keyboard.press('Escape');
    assert.equal(await page.getByTestId('details').isVisible(), true, "Esc outside the widget is the notebook's");
    await page.screenshot({ path: join(SHOTS, 'sheet-embedded.png') });
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('timeline bars from the keyboard: arrows move along a lane and across lanes, Enter opens', async () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const d = store.timeline({});
  const ids = Array.from(d.ids);
  // Expected order: bars of a lane by start time (then index), as the view indexes them.
  const laneOf = (i) => d.lane[i];
  const lanes = d.lanes.map((_, l) => ids.map((_, i) => i).filter((i) => laneOf(i) === l).sort((a, b) => d.start[a] - d.start[b] || a - b));
  const { page, errors, close } = await openWith(CMF, '?tab=timeline', { viewport: { width: 1280, height: 900 } });
  try {
    const canvas = page.getByTestId('timeline-canvas');
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline-canvas]')?.dataset.drawMs);
    await canvas.focus();
    const cursor = () => canvas.evaluate((c) => Number(c.dataset.cursor));
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline-canvas]').dataset.cursor);
    const first = await cursor();
    const fi = ids.indexOf(first);
    const lane = lanes[laneOf(fi)];
    assert.ok(lane.includes(fi));
    // → the next bar of the lane (or stays at the last).
    await page.keyboard.press('ArrowRight');
    const j = lane.indexOf(fi);
    const wantNext = ids[lane[Math.min(j + 1, lane.length - 1)]];
    assert.equal(await cursor(), wantNext);
    // ↓ a bar of the next non-empty lane, the one starting nearest.
    const at = ids.indexOf(wantNext);
    await page.keyboard.press('ArrowDown');
    const next = lanes.slice(laneOf(at) + 1).find((l) => l.length);
    if (next) {
      const near = next.reduce((b, i) => (Math.abs(d.start[i] - d.start[at]) < Math.abs(d.start[b] - d.start[at]) ? i : b), next[0]);
      assert.equal(await cursor(), ids[near]);
    }
    assert.match(await page.getByTestId('timeline-focus').textContent(), new RegExp(`Execution ${await cursor()}\\b`));
    await page.getByTestId('timeline').screenshot({ path: join(SHOTS, 'timeline-keyboard.png') });
    const want = await cursor();
    await page.keyboard.press('Enter');
    await page.getByTestId('details').waitFor({ state: 'visible' });
    await page.waitForFunction((id) => document.querySelector('[data-testid=details] [data-field=id] dd')?.textContent === String(id), want);
    // Esc returns to the timeline, on that bar.
    await page.keyboard.press('Escape');
    await page.getByTestId('details').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'timeline-canvas');
    assert.equal(await cursor(), want);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
