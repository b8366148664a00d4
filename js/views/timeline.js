// The timeline: a canvas Gantt of the filtered executions, one lane per pipeline/stage,
// drawn from the store's columnar `timeline()` arrays (uPlot's way: typed arrays in, one
// canvas pass per frame out). Bars outside the view are skipped and bars that fall on the
// same pixels are merged into one rectangle per status, so 100k executions stay fast.
import { h } from '../dom.js';
import { statuses, formatDuration, formatMs, formatNumber, statusInfo } from '../format.js';

/** CSS variable of each status colour and its fallback, by the status's CSS class (js/format.js). */
const STATUS_COLOURS = {
  pending: ['--ml-pend', '#9a6700'], running: ['--ml-run', '#0a6ebd'], completed: ['--ml-ok', '#1a7f37'],
  failed: ['--ml-fail', '#c0392b'], cached: ['--ml-cache', '#7b4fb8'], canceled: ['--ml-cancel', '#57606a'],
  unknown: ['--ml-unknown', '#6e7781'],
};
/** Tick steps, ms: each is a "nice" UTC unit. */
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5,
  18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5, 12096e5, 2592e6, 7776e6, 31536e6];
const AXIS_H = 34;
const PAD_R = 10;
const MIN_SPAN = 5; // ms: the deepest zoom
const MAX_BODY_H = 480;
const FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';

/**
 * @typedef {{ lanes: string[], statuses: string[], ids: Float64Array, start: Float64Array,
 *   end: Float64Array, lane: Uint32Array, status: Uint8Array, alerted?: Uint8Array, min: number, max: number }} TimelineData
 */

/**
 * Groups bar indices by lane, each lane in start order (done once per data).
 * @param {TimelineData} d
 * @returns {{ order: Uint32Array, offsets: Uint32Array }}
 */
export function indexLanes(d) {
  const n = d.ids.length;
  const lanes = d.lanes.length;
  const offsets = new Uint32Array(lanes + 1);
  for (let i = 0; i < n; i++) offsets[d.lane[i] + 1]++;
  for (let l = 0; l < lanes; l++) offsets[l + 1] += offsets[l];
  const fill = offsets.slice(0, lanes);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[d.lane[i]]++] = i;
  const start = d.start;
  for (let l = 0; l < lanes; l++) {
    const a = offsets[l];
    const b = offsets[l + 1];
    let sorted = true;
    for (let j = a + 1; j < b && sorted; j++) sorted = start[order[j - 1]] <= start[order[j]];
    if (!sorted) order.subarray(a, b).sort((x, y) => start[x] - start[y] || x - y);
  }
  return { order, offsets };
}

/**
 * Tick positions and labels for a UTC time axis.
 * @param {number} v0
 * @param {number} v1
 * @param {number} width pixels
 * @returns {{ step: number, ticks: number[] }}
 */
export function timeTicks(v0, v1, width) {
  const target = ((v1 - v0) * 90) / Math.max(width, 1);
  const step = STEPS.find((s) => s >= target) ?? STEPS[STEPS.length - 1];
  const ticks = [];
  for (let t = Math.ceil(v0 / step) * step; t <= v1 && ticks.length < 500; t += step) ticks.push(t);
  return { step, ticks };
}

/** @param {number} t @param {number} step */
function tickLabel(t, step) {
  const iso = new Date(t).toISOString();
  if (step >= 864e5) return iso.slice(0, 10);
  if (step >= 6e4) return iso.slice(11, 16);
  if (step >= 1e3) return iso.slice(11, 19);
  return iso.slice(11, 23);
}

/**
 * The timeline view.
 * @param {import('../widget.js').ViewContext} ctx
 */
export function createTimeline(ctx) {
  // Long by design: a view factory is the timeline's closure (its elements, its state and
  // the handlers that share them); each inner function does one job and stays short.
  const zoomOut = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out (−)', 'data-testid': 'timeline-zoom-out' }, '−'));
  const zoomIn = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in (+)', 'data-testid': 'timeline-zoom-in' }, '+'));
  const fitBtn = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', title: 'Show every execution (0)', 'data-testid': 'timeline-fit' }, 'Fit'));
  const range = h('span', { className: 'ml-tl-range', 'data-testid': 'timeline-range', 'aria-live': 'polite' });
  const count = h('span', { className: 'ml-tl-count' });
  const legend = h('ul', { className: 'ml-tl-legend', 'aria-label': 'Status colours' },
    ...statuses().map((s) => h('li', { title: `${s.label}: ${s.meaning}`, 'data-status': s.label },
      h('span', { className: `ml-swatch ml-sw-${s.cls}`, 'aria-hidden': 'true' }),
      h('span', { className: `ml-status ml-status-${s.cls}` }, h('span', { 'aria-hidden': 'true' }, s.icon), ' ', s.label))),
    h('li', { title: 'Running or pending: no end recorded yet; drawn up to the latest time in the data' },
      h('span', { className: 'ml-swatch ml-sw-open', 'aria-hidden': 'true' }), 'not ended'));
  const axis = /** @type {HTMLCanvasElement} */ (h('canvas', { className: 'ml-tl-axis', 'aria-hidden': 'true' }));
  const canvas = /** @type {HTMLCanvasElement} */ (h('canvas', {
    className: 'ml-tl-canvas', tabindex: '0', role: 'img', 'data-testid': 'timeline-canvas',
    'aria-roledescription': 'timeline',
  }));
  const spacer = h('div', { className: 'ml-tl-spacer' });
  const scroller = h('div', { className: 'ml-tl-scroll' }, canvas, spacer);
  const tip = h('div', { className: 'ml-tl-tip', role: 'tooltip', hidden: true, 'data-testid': 'timeline-tooltip' });
  const plot = h('div', { className: 'ml-tl-plot' }, axis, scroller, tip);
  const empty = h('p', { className: 'ml-tl-empty', hidden: true }, 'No executions match the current filters.');
  const help = h('p', { className: 'ml-tl-help' },
    'Wheel or +/− to zoom, drag or shift+←/→ to pan, shift+wheel to scroll lanes, click a bar for its details. '
    + 'From the keyboard: Tab to the timeline, ←/→ move between the bars of a lane, ↑/↓ between lanes, Enter opens the details. Times are UTC.');
  // What the keyboard's bar is, for screen readers (a canvas has no children to focus).
  const spoken = h('span', { className: 'ml-sr', role: 'status', 'aria-live': 'polite', 'data-testid': 'timeline-focus' });
  // Lanes per stage, or per run and stage: offered only where the store records runs.
  /** @param {'stage'|'run'} group @param {string} label */
  const groupButton = (group, label) => h('button', {
    type: 'button', className: 'ml-mode', 'data-testid': `timeline-group-${group}`, 'aria-pressed': 'false',
    title: group === 'run' ? 'One lane per run and stage, runs in the order they started' : 'One lane per pipeline stage',
    onclick: () => ctx.set({ timelineGroup: group }),
  }, label);
  const groupButtons = [groupButton('stage', 'Stage'), groupButton('run', 'Run')];
  const grouping = h('div', { className: 'ml-tl-group', 'data-testid': 'timeline-group', hidden: !(ctx.summary?.runs?.length) },
    h('span', { className: 'ml-tl-group-label', 'aria-hidden': 'true' }, 'Lanes by'),
    h('div', { className: 'ml-segmented', role: 'group', 'aria-label': 'Lanes by' }, ...groupButtons));
  const el = h('section', { className: 'ml-timeline', 'data-testid': 'timeline', 'aria-label': 'Timeline', hidden: true },
    h('div', { className: 'ml-tl-toolbar' },
      h('div', { className: 'ml-tl-zoom', role: 'group', 'aria-label': 'Zoom' }, zoomOut, zoomIn, fitBtn),
      grouping, range, count),
    legend, plot, empty, help, spoken);

  /** @type {TimelineData|null} */
  let data = null;
  /** Indices of the bars an alert flags (outlined in the alert colour). @type {number[]} */
  let alertedIdx = [];
  let dataKey = '';
  /** @type {{ order: Uint32Array, offsets: Uint32Array }} */
  let index = { order: new Uint32Array(0), offsets: new Uint32Array(1) };
  let v0 = 0;
  let v1 = 1;
  let cssW = 0;
  let bodyH = 0;
  let laneH = 24;
  let gutter = 120;
  let selected = /** @type {number|null} */ (null);
  let selIndex = -1;
  let hover = -1;
  /** The keyboard's bar (an index into the data; -1 before the canvas is focused). */
  let cursorIndex = -1;
  let raf = 0;
  /** @type {Map<string, CanvasPattern|null>} */
  const patterns = new Map();
  /** @type {Map<number, {name: string, durationMs: number|null}|null>} */
  const names = new Map();
  let tipId = NaN;
  let tipTimer = 0;

  const fullSpan = () => (data ? Math.max(data.max - data.min, 0) : 0);
  const plotW = () => Math.max(cssW - gutter - PAD_R, 10);
  const scale = () => plotW() / (v1 - v0);
  const timeAt = (x) => v0 + (x - gutter) / scale();

  function fit() {
    if (!data || !data.ids.length) return;
    const span = fullSpan();
    const pad = span > 0 ? Math.max(span * 0.02, 1) : 500;
    v0 = data.min - pad;
    v1 = data.max + pad;
    schedule();
  }

  /** Sets the visible range, keeping it inside sensible zoom limits. */
  function setView(a, b) {
    const maxSpan = Math.max(fullSpan() * 20, 6e4);
    let span = Math.min(Math.max(b - a, MIN_SPAN), maxSpan);
    const mid = (a + b) / 2;
    if (b - a !== span) { a = mid - span / 2; b = mid + span / 2; }
    v0 = a;
    v1 = b;
    schedule();
  }

  /** Zooms by `factor` (< 1 zooms in) around time `t`. */
  function zoom(factor, t = (v0 + v1) / 2) {
    const span = v1 - v0;
    const next = Math.min(Math.max(span * factor, MIN_SPAN), Math.max(fullSpan() * 20, 6e4));
    const r = next / span;
    setView(t - (t - v0) * r, t + (v1 - t) * r);
  }

  function pan(fraction) {
    const d = (v1 - v0) * fraction;
    setView(v0 + d, v1 + d);
  }

  function schedule() {
    if (!raf) raf = requestAnimationFrame(() => { raf = 0; draw(); });
  }

  /** Sizes both canvases for the layout and devicePixelRatio. */
  function layout() {
    if (!data) return false;
    cssW = scroller.clientWidth;
    if (cssW <= 0) return false;
    const lanes = data.lanes.length;
    laneH = lanes <= 12 ? 28 : lanes <= 30 ? 22 : 16;
    const totalH = Math.max(lanes * laneH, laneH);
    bodyH = Math.min(totalH, MAX_BODY_H);
    scroller.style.height = `${bodyH}px`;
    spacer.style.height = `${totalH - bodyH}px`;
    const dpr = window.devicePixelRatio || 1;
    for (const [c, ch] of /** @type {Array<[HTMLCanvasElement, number]>} */ ([[axis, AXIS_H], [canvas, bodyH]])) {
      const w = Math.round(cssW * dpr);
      const hh = Math.round(ch * dpr);
      if (c.width !== w) c.width = w;
      if (c.height !== hh) c.height = hh;
      c.style.width = `${cssW}px`;
      c.style.height = `${ch}px`;
    }
    const g = canvas.getContext('2d');
    g.font = FONT;
    let widest = 0;
    for (const l of data.lanes) widest = Math.max(widest, g.measureText(l || '(no pipeline/stage)').width);
    gutter = Math.round(Math.min(Math.max(widest + 18, 90), Math.max(cssW * 0.32, 90), 280));
    return true;
  }

  /** A diagonal-hatch pattern in `colour` for bars that have not ended. */
  function hatch(g, colour) {
    if (!patterns.has(colour)) {
      const p = document.createElement('canvas');
      p.width = 8;
      p.height = 8;
      const pg = p.getContext('2d');
      pg.strokeStyle = colour;
      pg.lineWidth = 1.5;
      pg.beginPath();
      pg.moveTo(-2, 10); pg.lineTo(10, -2);
      pg.moveTo(6, 10); pg.lineTo(10, 6);
      pg.moveTo(-2, 2); pg.lineTo(2, -2);
      pg.stroke();
      patterns.set(colour, g.createPattern(p, 'repeat'));
    }
    return patterns.get(colour);
  }

  /**
   * Pixel span of bar `i` as drawn (same rule for drawing and hit testing).
   * @param {number} i
   * @returns {[number, number, boolean]} x0, x1 and whether the bar has not ended
   */
  function barPx(i) {
    const d = /** @type {TimelineData} */ (data);
    const st = d.start[i];
    let en = d.end[i];
    const open = en !== en; // NaN: not ended
    if (open) en = Math.max(d.max, st);
    const k = scale();
    const x0 = gutter + (st - v0) * k;
    let x1 = gutter + (en - v0) * k;
    if (x1 - x0 < (open ? 4 : 2)) x1 = x0 + (open ? 4 : 2);
    return [x0, x1, open];
  }

  function draw() {
    if (!data || el.hidden || !layout()) return;
    const t0 = performance.now();
    const f = frame();
    const g = canvas.getContext('2d');
    drawLanes(g, f);
    const bars = collectBars(f);
    paintBars(g, f, bars);
    drawGutter(g, f);
    drawAxis(f);
    describe(f, bars, performance.now() - t0);
  }

  /**
   * What one drawing needs: the data, the theme's colours, the visible lanes and the
   * time scale.
   */
  function frame() {
    const d = data;
    const css = getComputedStyle(ctx.root);
    const v = (name, fb) => css.getPropertyValue(name).trim() || fb;
    // Bars are keyed by the data's status index (`d.statuses`, the core's order).
    const looks = d.statuses.map((label) => statusInfo(label));
    const colours = looks.map((s) => {
      const [name, fallback] = STATUS_COLOURS[s.cls] ?? STATUS_COLOURS.unknown;
      return v(name, fallback);
    });
    const fg = v('--ml-fg', '#1d1f24');
    const muted = v('--ml-muted', '#5d6370');
    const line = v('--ml-line', '#dde1e8');
    const panel = v('--ml-panel', '#ffffff');
    const alt = v('--ml-row-alt', '#f4f6fa');
    const focus = v('--ml-focus', '#2458c6');
    const alert = v('--ml-alert', '#b35900');
    const dpr = window.devicePixelRatio || 1;
    const scrollY = scroller.scrollTop;
    const { ticks, step } = timeTicks(v0, v1, plotW());
    const k = scale();
    const right = cssW - PAD_R;
    const L = d.lanes.length;
    const first = Math.max(0, Math.floor(scrollY / laneH));
    const last = Math.min(L - 1, Math.floor((scrollY + bodyH) / laneH));
    return { d, looks, colours, fg, muted, line, panel, alt, focus, alert, dpr, scrollY, ticks, step, k, right, L, first, last };
  }

  /**
   * Lane stripes and the time grid.
   * @param {CanvasRenderingContext2D} g
   * @param {ReturnType<typeof frame>} f
   */
  function drawLanes(g, f) {
    const { panel, alt, line, ticks, k, first, last, dpr, scrollY } = f;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, cssW, bodyH);
    g.fillStyle = panel;
    g.fillRect(0, 0, cssW, bodyH);
    g.fillStyle = alt;
    for (let l = first; l <= last; l++) if (l % 2) g.fillRect(0, l * laneH - scrollY, cssW, laneH);
    g.strokeStyle = line;
    g.lineWidth = 1;
    g.beginPath();
    for (const t of ticks) {
      const x = Math.round(gutter + (t - v0) * k) + 0.5;
      g.moveTo(x, 0); g.lineTo(x, bodyH);
    }
    g.stroke();
  }

  /**
   * The visible bars, merged into runs: one Path2D per (status, ended?), so a frame costs
   * two fills per status whatever the bar count.
   * @param {ReturnType<typeof frame>} f
   */
  function collectBars(f) {
    const { d, k, right, first, last, scrollY } = f;
    const keys = 2 * d.statuses.length;
    const paths = Array.from({ length: keys }, () => new Path2D());
    const runStart = new Float64Array(keys).fill(-1);
    const runEnd = new Float64Array(keys);
    const wide = []; // merged runs wide enough for an icon: [x0, x1, y, key]
    const barPad = Math.max(2, Math.round(laneH * 0.18));
    const barH = laneH - 2 * barPad;
    let rects = 0;
    let visible = 0;
    const flush = (key, y) => {
      if (runStart[key] < 0) return;
      const a = Math.max(runStart[key], gutter);
      const b = Math.min(runEnd[key], right);
      if (b > a) {
        paths[key].rect(a, y, b - a, barH);
        rects++;
        if (b - a >= 18 && barH >= 12) wide.push(a, b, y, key);
      }
      runStart[key] = -1;
    };
    const { order, offsets } = index;
    for (let l = first; l <= last; l++) {
      const y = l * laneH - scrollY + barPad;
      for (let j = offsets[l], e = offsets[l + 1]; j < e; j++) {
        const i = order[j];
        const st = d.start[i];
        if (st > v1) break; // the rest of this lane starts later still
        let en = d.end[i];
        const open = en !== en;
        if (open) en = d.max > st ? d.max : st;
        let x0 = gutter + (st - v0) * k;
        let x1 = gutter + (en - v0) * k;
        const minW = open ? 4 : 2;
        if (x1 - x0 < minW) x1 = x0 + minW;
        if (x1 < gutter || x0 > right) continue;
        visible++;
        const key = d.status[i] * 2 + (open ? 1 : 0);
        if (runStart[key] >= 0 && x0 <= runEnd[key] + 0.75) {
          if (x1 > runEnd[key]) runEnd[key] = x1;
        } else {
          flush(key, y);
          runStart[key] = x0;
          runEnd[key] = x1;
        }
      }
      for (let key = 0; key < keys; key++) flush(key, y);
    }
    return { paths, wide, keys, barPad, barH, rects, visible };
  }

  /**
   * Fills the bar runs, draws icons on wide ones and outlines the hovered and selected bar.
   * @param {CanvasRenderingContext2D} g
   * @param {ReturnType<typeof frame>} f
   * @param {ReturnType<typeof collectBars>} b
   */
  function paintBars(g, f, b) {
    const { d, colours, looks, fg, focus, alert, right, first, last, scrollY } = f;
    const { paths, wide, keys, barPad, barH } = b;
    g.save();
    g.beginPath();
    g.rect(gutter, 0, right - gutter, bodyH);
    g.clip();
    // Not-ended bars first (light, hatched), so finished bars stay readable on top of them.
    g.lineWidth = 1;
    for (let key = 1; key < keys; key += 2) {
      const colour = colours[key >> 1];
      g.globalAlpha = 0.16;
      g.fillStyle = colour;
      g.fill(paths[key]);
      g.globalAlpha = 0.7;
      g.fillStyle = hatch(g, colour) ?? colour;
      g.fill(paths[key]);
      g.strokeStyle = colour;
      g.stroke(paths[key]);
      g.globalAlpha = 1;
    }
    for (let key = 0; key < keys; key += 2) {
      g.fillStyle = colours[key >> 1];
      g.fill(paths[key]);
    }
    // Icons on wide bars, so status never rests on colour alone.
    g.font = `${Math.min(12, barH - 1)}px system-ui, sans-serif`;
    g.textBaseline = 'middle';
    for (let w = 0; w < wide.length; w += 4) {
      const key = wide[w + 3];
      const info = looks[key >> 1];
      g.fillStyle = key & 1 ? fg : '#ffffff';
      g.fillText(info.icon, wide[w] + 3, wide[w + 2] + barH / 2 + 0.5);
    }
    // Alerted bars keep their marker: an outline and a stripe on top in the alert colour.
    g.strokeStyle = alert;
    g.fillStyle = alert;
    g.lineWidth = 1.5;
    for (const i of alertedIdx) {
      const l = d.lane[i];
      if (l < first || l > last) continue;
      const [x0, x1] = barPx(i);
      if (x1 < gutter || x0 > right) continue;
      const y = l * laneH - scrollY + barPad;
      g.strokeRect(x0 - 0.5, y - 0.5, x1 - x0 + 1, barH + 1);
      g.fillRect(x0 - 0.5, y - 2.5, x1 - x0 + 1, 2);
    }
    // Selected and hovered bars get an outline.
    const keyed = document.activeElement === canvas ? cursorIndex : -1;
    for (const [i, colour, width] of [[hover, fg, 1], [selIndex, focus, 2.5], [keyed, fg, 2]]) {
      if (i < 0 || i >= d.ids.length) continue;
      const l = d.lane[i];
      if (l < first || l > last) continue;
      const [x0, x1] = barPx(i);
      g.strokeStyle = colour;
      g.lineWidth = width;
      // The keyboard's bar: a dashed ring outside the selection's.
      if (i === keyed) g.setLineDash([3, 2]);
      const o = i === keyed ? 3.5 : 1;
      g.strokeRect(x0 - o, l * laneH - scrollY + barPad - o, x1 - x0 + 2 * o, barH + 2 * o);
      g.setLineDash([]);
    }
    g.restore();
  }

  /**
   * Lane labels in the gutter.
   * @param {CanvasRenderingContext2D} g
   * @param {ReturnType<typeof frame>} f
   */
  function drawGutter(g, f) {
    const { d, panel, alt, line, fg, muted, first, last, scrollY } = f;
    g.fillStyle = panel;
    g.fillRect(0, 0, gutter - 4, bodyH);
    g.fillStyle = alt;
    for (let l = first; l <= last; l++) if (l % 2) g.fillRect(0, l * laneH - scrollY, gutter - 4, laneH);
    g.strokeStyle = line;
    g.beginPath();
    g.moveTo(gutter - 3.5, 0); g.lineTo(gutter - 3.5, bodyH);
    g.stroke();
    g.font = FONT;
    g.textBaseline = 'middle';
    for (let l = first; l <= last; l++) {
      const label = d.lanes[l] || '(no pipeline/stage)';
      g.fillStyle = d.lanes[l] ? fg : muted;
      g.fillText(ellipsize(g, label, gutter - 14), 6, l * laneH - scrollY + laneH / 2);
    }
  }

  /**
   * The time axis above the lanes.
   * @param {ReturnType<typeof frame>} f
   */
  function drawAxis(f) {
    const { panel, muted, line, fg, ticks, step, k, right, dpr } = f;
    const a = axis.getContext('2d');
    a.setTransform(dpr, 0, 0, dpr, 0, 0);
    a.clearRect(0, 0, cssW, AXIS_H);
    a.fillStyle = panel;
    a.fillRect(0, 0, cssW, AXIS_H);
    a.font = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
    a.textBaseline = 'middle';
    a.fillStyle = muted;
    a.fillText('UTC', 6, AXIS_H - 10);
    a.strokeStyle = line;
    a.beginPath();
    a.moveTo(0, AXIS_H - 0.5); a.lineTo(cssW, AXIS_H - 0.5);
    let lastDay = '';
    for (const t of ticks) {
      const x = Math.round(gutter + (t - v0) * k) + 0.5;
      a.moveTo(x, AXIS_H - 6); a.lineTo(x, AXIS_H);
      const label = tickLabel(t, step);
      const w = a.measureText(label).width;
      const lx = Math.min(Math.max(x - w / 2, gutter), right - w);
      a.fillStyle = fg;
      a.fillText(label, lx, AXIS_H - 13);
      const day = new Date(t).toISOString().slice(0, 10);
      if (step < 864e5 && day !== lastDay) {
        a.fillStyle = muted;
        a.fillText(day, Math.min(Math.max(x - w / 2, gutter), right - 64), 9);
        lastDay = day;
      }
    }
    a.stroke();
  }

  /**
   * The range and count texts, the canvas's label and the figures tests read.
   * @param {ReturnType<typeof frame>} f
   * @param {ReturnType<typeof collectBars>} b
   * @param {number} ms
   */
  function describe(f, b, ms) {
    const { d, L } = f;
    const { rects, visible } = b;
    const n = d.ids.length;
    range.textContent = `${formatMs(v0)} → ${formatMs(v1)} (${formatDuration(v1 - v0)} shown)`;
    count.textContent = `${formatNumber(n)} executions · ${L} lanes · ${formatNumber(visible)} in view`;
    canvas.setAttribute('aria-label',
      `Timeline of ${n} executions in ${L} lanes from ${formatMs(d.min)} to ${formatMs(d.max)}; ${visible} in view from ${formatMs(v0)} to ${formatMs(v1)}. `
      + 'Arrow keys move between bars, Enter opens the details, plus and minus zoom, shift with left and right arrows pans, 0 fits.');
    Object.assign(canvas.dataset, {
      v0: String(v0), v1: String(v1), gutter: String(gutter), plotWidth: String(plotW()),
      laneHeight: String(laneH), lanes: String(L), drawn: String(rects), visible: String(visible), drawMs: ms.toFixed(2),
    });
  }

  /** The bar under (x, y) in canvas CSS pixels, or -1. */
  function hitTest(x, y) {
    if (!data || x < gutter || x > cssW - PAD_R) return -1;
    const l = Math.floor((y + scroller.scrollTop) / laneH);
    if (l < 0 || l >= data.lanes.length) return -1;
    const { order, offsets } = index;
    let best = -1;
    let bestDist = 4;
    for (let j = offsets[l], e = offsets[l + 1]; j < e; j++) {
      const i = order[j];
      const [x0, x1] = barPx(i);
      if (x0 - 4 > x) break;
      const dist = x < x0 ? x0 - x : x > x1 ? x - x1 : 0;
      if (dist <= bestDist) { best = i; bestDist = dist; }
    }
    return best;
  }

  /**
   * Shows the tooltip for bar `i` at (x, y). It draws from the arrays at once; the name
   * comes from `store.execution(id)`, fetched only once the pointer rests on a bar
   * (that call reads events and artifacts too, tens of ms on a 100k store).
   */
  function showTip(i, x, y) {
    clearTimeout(tipTimer);
    if (!data || i < 0) { tip.hidden = true; tipId = NaN; return; }
    const id = data.ids[i];
    tipId = id;
    const x0 = names.get(id) ?? null;
    if (!names.has(id)) {
      tipTimer = setTimeout(async () => {
        let row = null;
        try { row = await ctx.store.execution(id); } catch { /* the arrays are enough */ }
        if (names.size > 2000) names.clear();
        names.set(id, row && { name: row.name, durationMs: row.durationMs });
        if (tipId === id && !tip.hidden) showTip(i, x, y);
      }, 150);
    }
    const info = statusInfo(data.statuses[data.status[i]]);
    const st = data.start[i];
    const en = data.end[i];
    const ended = en === en;
    tip.replaceChildren(
      h('strong', {}, `#${id}${x0?.name ? ` ${x0.name}` : ''}`),
      h('div', {}, data.lanes[data.lane[i]] || '(no pipeline/stage)'),
      h('div', { className: `ml-status ml-status-${info.cls}` }, h('span', { 'aria-hidden': 'true' }, info.icon), ' ', info.label),
      h('div', {}, `Started ${formatMs(st)}`),
      h('div', {}, ended ? `Ended ${formatMs(en)}` : 'Not ended'),
      h('div', {}, ended ? `Duration ${formatDuration(x0?.durationMs ?? en - st)}` : `Running for ${formatDuration(data.max - st)} (up to the latest time recorded)`),
      data.alerted?.[i] ? h('div', { className: 'ml-tl-alert', 'data-testid': 'timeline-alerted' }, '⚠ flagged by an alert') : '');
    tip.hidden = false;
    const pw = plot.clientWidth;
    const tw = tip.offsetWidth;
    const th = tip.offsetHeight;
    let left = x + 14;
    if (left + tw > pw) left = Math.max(0, x - tw - 14);
    let top = y + AXIS_H + 14;
    if (top + th > plot.clientHeight) top = Math.max(0, y + AXIS_H - th - 8);
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  }

  function laneTip(x, y) {
    if (!data) return;
    const l = Math.floor((y + scroller.scrollTop) / laneH);
    const label = data.lanes[l];
    if (label === undefined) { tip.hidden = true; return; }
    tip.replaceChildren(h('strong', {}, label || '(no pipeline/stage)'));
    tip.hidden = false;
    tip.style.left = `${x + 12}px`;
    tip.style.top = `${y + AXIS_H + 12}px`;
  }

  // Pointer: drag pans, a click (no drag) selects, hover shows the tooltip.
  let drag = null;
  const local = (e) => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const [x, y] = local(e);
    drag = { x, y, v0, v1, moved: false, id: e.pointerId };
    canvas.setPointerCapture?.(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    const [x, y] = local(e);
    if (drag) {
      const dx = x - drag.x;
      if (Math.abs(dx) > 3 || Math.abs(y - drag.y) > 3) drag.moved = true;
      if (drag.moved) {
        const shift = (dx * (drag.v1 - drag.v0)) / plotW();
        setView(drag.v0 - shift, drag.v1 - shift);
        tip.hidden = true;
        canvas.classList.add('ml-dragging');
        return;
      }
    }
    if (x < gutter) { clearTimeout(tipTimer); tipId = NaN; laneTip(x, y); if (hover !== -1) { hover = -1; schedule(); } return; }
    const i = hitTest(x, y);
    if (i !== hover) { hover = i; schedule(); }
    canvas.style.cursor = i >= 0 ? 'pointer' : 'grab';
    showTip(i, x, y);
  });
  const endDrag = (e) => {
    if (!drag) return;
    const wasDrag = drag.moved;
    drag = null;
    canvas.classList.remove('ml-dragging');
    if (wasDrag || e.type !== 'pointerup') return;
    const [x, y] = local(e);
    const i = hitTest(x, y);
    if (i >= 0 && data) {
      tip.hidden = true; // the details panel opens and the plot narrows under it
      ctx.set({ selected: data.ids[i] });
    }
  };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('pointerleave', () => {
    clearTimeout(tipTimer);
    tip.hidden = true;
    if (hover !== -1) { hover = -1; schedule(); }
  });
  canvas.addEventListener('wheel', (e) => {
    if (!data) return;
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? bodyH : 1;
    if (e.shiftKey) { scroller.scrollTop += (e.deltaY || e.deltaX) * unit; return; }
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) { pan((e.deltaX * unit) / plotW()); return; }
    const [x] = local(e);
    zoom(Math.exp(e.deltaY * unit * 0.0015), x >= gutter ? timeAt(x) : (v0 + v1) / 2);
  }, { passive: false });
  scroller.addEventListener('scroll', () => { tip.hidden = true; schedule(); });
  // ---- keyboard: a bar cursor (the canvas is one tab stop; arrows rove between bars) ----
  /** The bars of lane `l` in start order (indices into the data). */
  const laneBars = (l) => index.order.subarray(index.offsets[l], index.offsets[l + 1]);
  /** The bar the keyboard starts on: the selected one, else the first in view. */
  function firstCursor() {
    if (!data || !data.ids.length) return -1;
    if (selIndex >= 0) return selIndex;
    const top = Math.floor(scroller.scrollTop / laneH);
    for (let l = top; l < data.lanes.length; l++) {
      for (const i of laneBars(l)) {
        const [x0, x1] = barPx(i);
        if (x1 >= gutter && x0 <= cssW - PAD_R) return i;
      }
    }
    return index.order[0] ?? -1;
  }
  /** Moves the keyboard's bar to `i`, bringing it into view and saying what it is. */
  function moveCursor(i) {
    if (!data || i < 0) return;
    cursorIndex = i;
    const st = data.start[i];
    const en = data.end[i] === data.end[i] ? data.end[i] : Math.max(data.max, st);
    if (en < v0 || st > v1) { const span = v1 - v0; setView(st - span * 0.1, st + span * 0.9); }
    const y = data.lane[i] * laneH;
    if (y < scroller.scrollTop) scroller.scrollTop = y;
    else if (y + laneH > scroller.scrollTop + bodyH) scroller.scrollTop = y + laneH - bodyH;
    const info = statusInfo(data.statuses[data.status[i]]);
    const lane = data.lanes[data.lane[i]] || '(no pipeline/stage)';
    spoken.textContent = `Execution ${data.ids[i]}, ${lane}, ${info.label}, started ${formatMs(st)}${data.end[i] === data.end[i] ? `, ${formatDuration(data.end[i] - st)}` : ', not ended'}. Enter opens its details.`;
    canvas.dataset.cursor = String(data.ids[i]);
    schedule();
  }
  /** The bar of lane `l` whose start is nearest to time `t`, or -1. */
  function nearestIn(l, t) {
    let best = -1;
    let dist = Infinity;
    for (const i of laneBars(l)) {
      const d = Math.abs(/** @type {TimelineData} */ (data).start[i] - t);
      if (d < dist) { best = i; dist = d; }
    }
    return best;
  }
  /** The cursor one bar along its lane (`step` ±1), or one non-empty lane up or down. */
  function stepCursor(along, across) {
    if (!data) return;
    if (cursorIndex < 0) { moveCursor(firstCursor()); return; }
    const l = data.lane[cursorIndex];
    if (along) {
      const bars = laneBars(l);
      const j = bars.indexOf(cursorIndex) + along;
      if (j >= 0 && j < bars.length) moveCursor(bars[j]);
      return;
    }
    for (let m = l + across; m >= 0 && m < data.lanes.length; m += across) {
      const i = nearestIn(m, data.start[cursorIndex]);
      if (i >= 0) { moveCursor(i); return; }
    }
  }
  canvas.addEventListener('focus', () => { if (cursorIndex < 0 || !data || cursorIndex >= data.ids.length) moveCursor(firstCursor()); else schedule(); });
  canvas.addEventListener('blur', () => schedule());
  canvas.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const keys = {
      '+': () => zoom(0.5), '=': () => zoom(0.5), '-': () => zoom(2), '_': () => zoom(2),
      0: fit, f: fit,
      ArrowLeft: () => (e.shiftKey ? pan(-0.2) : stepCursor(-1, 0)), ArrowRight: () => (e.shiftKey ? pan(0.2) : stepCursor(1, 0)),
      ArrowUp: () => (e.shiftKey ? (scroller.scrollTop -= laneH) : stepCursor(0, -1)),
      ArrowDown: () => (e.shiftKey ? (scroller.scrollTop += laneH) : stepCursor(0, 1)),
      Enter: () => { if (data && cursorIndex >= 0) ctx.set({ selected: data.ids[cursorIndex] }); },
      ' ': () => { if (data && cursorIndex >= 0) ctx.set({ selected: data.ids[cursorIndex] }); },
      Home: () => data && setView(data.min - (v1 - v0) * 0.02, data.min + (v1 - v0) * 0.98),
      End: () => data && setView(data.max - (v1 - v0) * 0.98, data.max + (v1 - v0) * 0.02),
    };
    const fn = keys[e.key];
    if (!fn) return;
    e.preventDefault();
    fn();
  });
  zoomIn.addEventListener('click', () => zoom(0.5));
  zoomOut.addEventListener('click', () => zoom(2));
  fitBtn.addEventListener('click', fit);

  const resize = new ResizeObserver(() => { tip.hidden = true; schedule(); });
  resize.observe(plot);

  return {
    el,
    /**
     * Focuses the timeline with the keyboard's bar on execution `id` (when it is drawn).
     * @param {number} id
     */
    focusBar(id) {
      const i = data ? data.ids.indexOf(id) : -1;
      if (i >= 0) cursorIndex = i;
      canvas.focus({ preventScroll: true });
      if (i >= 0) moveCursor(i);
    },
    /** @param {{ state: import('../widget.js').ViewState, data: TimelineData }} args */
    update({ state, data: next }) {
      for (const b of groupButtons) b.setAttribute('aria-pressed', String(b.getAttribute('data-testid') === `timeline-group-${state.timelineGroup}`));
      const key = JSON.stringify([ctx.filters(), state.timelineGroup]);
      const same = data && key === dataKey && next.ids.length === data.ids.length
        && next.min === data.min && next.max === data.max;
      if (!same) {
        data = next;
        dataKey = key;
        index = indexLanes(next);
        alertedIdx = [];
        for (let i = 0; i < (next.alerted?.length ?? 0); i++) if (next.alerted[i]) alertedIdx.push(i);
        hover = -1;
        cursorIndex = -1;
        delete canvas.dataset.cursor;
        tip.hidden = true;
        const none = next.ids.length === 0;
        names.clear();
        plot.hidden = none;
        if (none) { range.textContent = ''; count.textContent = '0 executions'; }
        for (const b of [zoomIn, zoomOut, fitBtn]) b.disabled = none;
        empty.hidden = !none;
        layout();
        fit();
      }
      if (!same || state.selected !== selected) {
        selected = state.selected;
        selIndex = selected === null || !data ? -1 : data.ids.indexOf(selected);
      }
      schedule();
    },
    destroy() {
      clearTimeout(tipTimer);
      resize.disconnect();
      cancelAnimationFrame(raf);
    },
  };
}

/**
 * Shortens `text` with an ellipsis to fit `max` pixels.
 * @param {CanvasRenderingContext2D} g
 * @param {string} text
 * @param {number} max
 */
function ellipsize(g, text, max) {
  if (g.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid; else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
