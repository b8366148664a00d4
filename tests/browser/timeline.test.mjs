// The timeline tab in the real page (headless Debian Chromium): the canvas draws bars, one
// lane per `store.timeline().lanes` entry, a click on a bar opens that execution's details,
// zoom (buttons, wheel, keys) and pan (drag) change the visible range, and a generated
// 20k-execution store draws well under a second. Bar positions are computed from the same
// `timeline()` arrays, read with the real pkg/ in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { SHOTS, openWith, tmp, useBrowser } from './harness.mjs';
import { FIXTURES, loadPkg, bytesOf, cli } from '../node/helpers.mjs';

/** The page's size, and a longer wait than the harness's (the 20k store draws here). */
const WIDE = { viewport: { width: 1400, height: 1000 }, timeout: 30_000 };

let MlmdStore;
useBrowser('mlmd-lens-timeline-', async () => {
  ({ MlmdStore } = await loadPkg());
});

/** The canvas's drawing state (data-* attributes written after every frame). */
const view = (page) => page.getByTestId('timeline-canvas').evaluate((c) => {
  const d = c.dataset;
  return {
    v0: Number(d.v0), v1: Number(d.v1), gutter: Number(d.gutter), plotWidth: Number(d.plotWidth),
    laneHeight: Number(d.laneHeight), lanes: Number(d.lanes), drawn: Number(d.drawn),
    visible: Number(d.visible), drawMs: Number(d.drawMs), label: c.getAttribute('aria-label'),
  };
});

/** Counts the canvas pixels in the plot area that are neither background nor grid. */
const inkPixels = (page) => page.getByTestId('timeline-canvas').evaluate((c) => {
  const g = c.getContext('2d');
  const gutter = Number(c.dataset.gutter) * (c.width / c.clientWidth);
  const { data, width, height } = g.getImageData(0, 0, c.width, c.height);
  const bg = new Set();
  // Background colours: every colour of the first plot column (lane stripes, no bars there).
  for (let y = 0; y < height; y++) {
    const i = (y * width + Math.ceil(gutter) + 1) * 4;
    bg.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
  }
  let ink = 0;
  for (let y = 0; y < height; y++) {
    for (let x = Math.ceil(gutter) + 2; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g2, b] = [data[i], data[i + 1], data[i + 2]];
      if (bg.has(`${r},${g2},${b}`)) continue;
      // Grid lines are light grey: skip near-neutral light pixels.
      if (Math.max(r, g2, b) - Math.min(r, g2, b) < 12 && r > 200) continue;
      ink++;
    }
  }
  return ink;
});

test('cmf_small: lanes, non-blank bars, click opens details, zoom and pan', async () => {
  const path = join(FIXTURES, 'cmf_small.sqlite');
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const data = store.timeline({});
  assert.equal(data.lanes.length, 8);
  const { page, errors, close } = await openWith(path, '?tab=timeline', WIDE);
  try {
    const canvas = page.getByTestId('timeline-canvas');
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline-canvas]')?.dataset.drawMs);
    let v = await view(page);
    assert.equal(v.lanes, data.lanes.length);
    assert.match(v.label, /20 executions in 8 lanes/);
    assert.equal(v.visible, 20, 'fit shows every bar');
    assert.ok(v.v0 <= data.min && v.v1 >= data.max, 'fit covers min..max');
    const ink = await inkPixels(page);
    assert.ok(ink > 200, `bars drawn (${ink} coloured pixels)`);
    await page.getByTestId('timeline').screenshot({ path: join(SHOTS, 'timeline-cmf_small.png') });

    // Click the middle of execution 7's bar: its details open.
    const id = 7;
    const i = Array.from(data.ids).indexOf(id);
    const box = await canvas.boundingBox();
    const mid = (data.start[i] + data.end[i]) / 2;
    const x = v.gutter + ((mid - v.v0) / (v.v1 - v.v0)) * v.plotWidth;
    const y = data.lane[i] * v.laneHeight + v.laneHeight / 2;
    await page.mouse.move(box.x + x, box.y + y);
    const tip = page.getByTestId('timeline-tooltip');
    await tip.waitFor({ state: 'visible' });
    // The tooltip shows the arrays' figures at once and the name once the pointer rests.
    await page.waitForFunction((t) => document.querySelector('[data-testid=timeline-tooltip]').textContent.includes(t),
      `#${id} ${cli('show', path, String(id)).name}`);
    await page.mouse.click(box.x + x, box.y + y);
    await page.getByTestId('details').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('details-name').textContent(), cli('show', path, String(id)).name);
    await page.waitForFunction((n) => new URLSearchParams(location.search).get('selected') === String(n), id);
    await page.screenshot({ path: join(SHOTS, 'timeline-cmf_small-selected.png') });

    // Zoom: buttons halve / double the span; wheel zooms around the pointer; Fit restores.
    v = await view(page);
    const span = v.v1 - v.v0;
    await page.getByTestId('timeline-zoom-in').click();
    await page.waitForFunction((s) => {
      const d = document.querySelector('[data-testid=timeline-canvas]').dataset;
      return Math.abs(Number(d.v1) - Number(d.v0) - s / 2) < 1;
    }, span);
    const zoomed = await view(page);
    assert.ok(zoomed.visible < 20, `zooming in hides some bars (${zoomed.visible} in view)`);
    await page.getByTestId('timeline-zoom-out').click();
    await page.getByTestId('timeline-zoom-out').click();
    await page.waitForFunction((s) => {
      const d = document.querySelector('[data-testid=timeline-canvas]').dataset;
      return Math.abs(Number(d.v1) - Number(d.v0) - s * 2) < 1;
    }, span);
    await page.mouse.move(box.x + box.width / 2, box.y + 20);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((s) => {
      const d = document.querySelector('[data-testid=timeline-canvas]').dataset;
      return Number(d.v1) - Number(d.v0) < s * 2 - 1;
    }, span);
    await page.getByTestId('timeline-fit').click();
    await page.waitForFunction((s) => {
      const d = document.querySelector('[data-testid=timeline-canvas]').dataset;
      return Math.abs(Number(d.v1) - Number(d.v0) - s) < 1;
    }, span);

    // Keys on the focused canvas: + zooms in, shift+→ pans right, 0 fits.
    await canvas.focus();
    await page.keyboard.press('+');
    await page.waitForFunction((s) => {
      const d = document.querySelector('[data-testid=timeline-canvas]').dataset;
      return Math.abs(Number(d.v1) - Number(d.v0) - s / 2) < 1;
    }, span);
    const k0 = await view(page);
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForFunction((a) => Number(document.querySelector('[data-testid=timeline-canvas]').dataset.v0) > a, k0.v0);
    await page.keyboard.press('0');
    await page.waitForFunction((s) => {
      const d = document.querySelector('[data-testid=timeline-canvas]').dataset;
      return Math.abs(Number(d.v1) - Number(d.v0) - s) < 1;
    }, span);

    // Drag pans (and does not select).
    const d0 = await view(page);
    await page.mouse.move(box.x + box.width / 2, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + 5, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((a) => Number(document.querySelector('[data-testid=timeline-canvas]').dataset.v0) < a, d0.v0);
    const d1 = await view(page);
    assert.ok(Math.abs((d1.v1 - d1.v0) - (d0.v1 - d0.v0)) < 1, 'pan keeps the span');
    assert.equal(new URL(page.url()).searchParams.get('selected'), String(id), 'a drag selects nothing');
    assert.deepEqual(errors, []);
  } finally {
    await close();
    store.free();
  }
});

test('mlmd_tfx: statuses and not-ended bars are drawn, lanes match', async () => {
  const store = MlmdStore.open(bytesOf('mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
  const data = store.timeline({});
  const { page, errors, close } = await openWith(join(FIXTURES, 'mlmd_tfx.sqlite'), '?tab=timeline', WIDE);
  try {
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline-canvas]')?.dataset.drawMs);
    const v = await view(page);
    assert.equal(v.lanes, data.lanes.length);
    assert.equal(v.visible, data.ids.length);
    assert.ok(await inkPixels(page) > 100);
    // The legend has all seven statuses with their meanings.
    const legend = await page.$$eval('.ml-tl-legend li[data-status]', (lis) => lis.map((li) => [li.dataset.status, li.title]));
    assert.equal(legend.length, 7);
    for (const [label, title] of legend) assert.ok(title.startsWith(`${label}: `) && title.length > label.length + 5);
    await page.getByTestId('timeline').screenshot({ path: join(SHOTS, 'timeline-mlmd_tfx.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
    store.free();
  }
});

test('a generated 20k-execution store: the timeline draws in well under a second', async (t) => {
  const path = join(tmp, 't20k.sqlite');
  execFileSync('python3', [join(FIXTURES, 'gen_large.py'), path, '--executions', '20000'], { stdio: 'ignore' });
  const store = MlmdStore.open(new Uint8Array(readFileSync(path)), 't20k.sqlite');
  const data = store.timeline({});
  const { page, errors, close } = await openWith(path, '', WIDE);
  try {
    await page.getByTestId('dashboard').waitFor();
    // From the tab click to a drawn canvas: store.timeline(), the lane index and the draw.
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const tab = document.querySelector('[data-tab=timeline]');
      const t0 = performance.now();
      tab.click();
      const poll = () => {
        const c = document.querySelector('[data-testid=timeline-canvas]');
        if (c?.dataset.drawMs) resolve({ total: performance.now() - t0, draw: Number(c.dataset.drawMs) });
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    }));
    const v = await view(page);
    assert.equal(v.lanes, data.lanes.length);
    assert.ok(v.visible > 10_000, `${v.visible} bars in view`);
    // Zooming redraws: time a few frames.
    const redraw = [];
    for (let i = 0; i < 4; i++) {
      await page.getByTestId('timeline-zoom-in').click();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      redraw.push((await view(page)).drawMs);
    }
    t.diagnostic(`20k executions, ${data.lanes.length} lanes: tab click to drawn ${ms.total.toFixed(0)} ms (one canvas pass ${ms.draw.toFixed(1)} ms, ${v.drawn} merged rectangles for ${v.visible} bars in view); zoomed redraws ${redraw.map((x) => x.toFixed(1)).join(', ')} ms`);
    assert.ok(ms.total < 1000, `drawn in ${ms.total.toFixed(0)} ms`);
    assert.ok(ms.draw < 250, `one pass in ${ms.draw} ms`);
    await page.getByTestId('timeline-fit').click();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.getByTestId('timeline').screenshot({ path: join(SHOTS, 'timeline-20k.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
    store.free();
  }
});
