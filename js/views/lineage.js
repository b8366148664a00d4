// The lineage view: the core's laid-out lineage graph (`store.lineageGraph(root, options)`)
// drawn as SVG — executions coloured by status (the table's colours and icons), artifacts by
// type, pipeline stages with their counts, missing ends dashed, edges as polylines with
// arrowheads and their event type when it is not plain INPUT/OUTPUT. Positions come from
// the core's layered layout (the CLI prints the same graph as DOT/Mermaid); this only draws,
// pans and zooms. Every string from the file goes in as an SVG text node, never as markup.
import { h } from '../dom.js';
import { formatTime, statusInfo } from '../format.js';
import { copyButton } from './details.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Artifact types get one of this many colours (ml-ln-art-0 … in lineage.css). */
const ARTIFACT_COLOURS = 10;
/** Depth limits of the control (hops counted in executions). */
const MIN_DEPTH = 1;
const MAX_DEPTH = 10;
/** Zoom limits. */
const MIN_K = 0.1;
const MAX_K = 3;
/** The smallest scale a graph first opens at (text of 12 px stays legible). */
const READABLE_K = 0.6;
let instances = 0;

/**
 * A lineage root as the core takes it: `e12`, `a5`, `c3` (a plain number is an execution).
 * Anything else is kept as typed (trimmed, at most 64 characters) so that the core's error
 * names it; not a string → no lineage.
 * @param {unknown} v
 * @returns {string}
 */
export function lineageKey(v) {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? `e${v}` : '';
  if (typeof v !== 'string') return '';
  const t = v.trim().slice(0, 64);
  return /^\d+$/.test(t) ? `e${Number(t)}` : t;
}

/**
 * Creates an SVG element (attributes via setAttribute; text only as text nodes).
 * @param {string} tag
 * @param {Record<string, string|number|null|undefined>} [attrs]
 * @param {...(Node|string)} children
 * @returns {SVGElement}
 */
function svg(tag, attrs = {}, ...children) {
  const el = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/**
 * Colour slots of the graph's artifact types: the types in sorted order, one slot each (so
 * that up to ARTIFACT_COLOURS types in one graph never share a colour; the same graph
 * always draws the same way, and the legend names each).
 * @param {Array<{ kind: string, type: string }>} nodes
 * @returns {Map<string, number>}
 */
export function artifactColours(nodes) {
  const types = [...new Set(nodes.filter((n) => n.kind === 'artifact').map((n) => n.type || ''))].sort();
  return new Map(types.map((t, i) => [t, i % ARTIFACT_COLOURS]));
}

/**
 * Shortens an SVG text element's content with an ellipsis to fit `max` px (measured); given
 * several texts, the first that fits (else the last, shortened).
 * @param {SVGTextElement} el
 * @param {string | string[]} text
 * @param {number} max
 */
function fitText(el, text, max) {
  for (const t of Array.isArray(text) ? text : [text]) {
    el.textContent = t;
    if (typeof el.getComputedTextLength !== 'function' || el.getComputedTextLength() <= max) return;
  }
  text = Array.isArray(text) ? text[text.length - 1] : text;
  el.textContent = text;
  if (max <= 0 || typeof el.getComputedTextLength !== 'function' || el.getComputedTextLength() <= max) return;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    el.textContent = `${text.slice(0, mid)}…`;
    if (el.getComputedTextLength() <= max) lo = mid; else hi = mid - 1;
  }
  el.textContent = `${text.slice(0, lo)}…`;
}

/**
 * The lineage view.
 * @param {import('../widget.js').ViewContext} ctx
 * @returns {{ el: HTMLElement, update(args: { state: import('../widget.js').ViewState }): void,
 *             open(): boolean, close(): void, focus(): void, destroy(): void }}
 */
export function createLineage(ctx) {
  // Long by design: a view factory is the lineage view's closure (its elements, its state
  // and the handlers that share them); each inner function does one job.
  const uid = `ml-ln-${++instances}`;
  const title = h('h2', { className: 'ml-ln-title', id: `${uid}-title`, tabindex: '-1' }, 'Lineage');
  const depthOut = h('output', { className: 'ml-ln-depth', 'data-testid': 'lineage-depth', 'aria-live': 'polite' });
  const depthDown = h('button', { type: 'button', 'aria-label': 'Fewer hops', title: 'Fewer hops', 'data-testid': 'lineage-depth-down' }, '−');
  const depthUp = h('button', { type: 'button', 'aria-label': 'More hops', title: 'More hops', 'data-testid': 'lineage-depth-up' }, '+');
  const zoomOut = h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out', 'data-testid': 'lineage-zoom-out' }, '−');
  const zoomIn = h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in', 'data-testid': 'lineage-zoom-in' }, '+');
  const fitBtn = h('button', { type: 'button', title: 'Show the whole graph', 'data-testid': 'lineage-fit' }, 'Fit');
  const close = h('button', { type: 'button', className: 'ml-close', 'aria-label': 'Close lineage', title: 'Close (Esc)', 'data-testid': 'lineage-close' }, '✕');
  const note = h('p', { className: 'ml-ln-note', 'data-testid': 'lineage-note', role: 'status' });
  const error = h('p', { className: 'ml-error', role: 'alert', 'data-testid': 'lineage-error', hidden: true });
  const legend = h('ul', { className: 'ml-ln-legend', 'aria-label': 'Colours', 'data-testid': 'lineage-legend' });

  const arrow = svg('marker', {
    id: `${uid}-arrow`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
    markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse', class: 'ml-ln-arrow',
  }, svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
  const edgeLayer = svg('g', { class: 'ml-ln-edges' });
  const nodeLayer = svg('g', { class: 'ml-ln-nodes' });
  const view = svg('g', { class: 'ml-ln-view' }, edgeLayer, nodeLayer);
  const graph = svg('svg', {
    class: 'ml-ln-svg', 'data-testid': 'lineage-graph', role: 'group',
    'aria-roledescription': 'lineage graph', 'aria-describedby': `${uid}-help`,
  }, svg('defs', {}, arrow), view);
  const side = h('aside', { className: 'ml-ln-side', 'data-testid': 'lineage-side', hidden: true, 'aria-label': 'Selected node' });
  const canvas = h('div', { className: 'ml-ln-canvas' }, graph);
  const help = h('p', { className: 'ml-ln-help', id: `${uid}-help` },
    'Drag to pan, wheel or +/− to zoom. Tab into the graph, arrow keys move between nodes, Enter opens one, Shift+Enter shows its hidden neighbours.');
  const depthGroup = h('span', { className: 'ml-ln-group', role: 'group', 'aria-label': 'Depth', title: 'Hops from the root, counted in executions' },
    h('span', { className: 'ml-ln-label' }, 'Depth'), depthDown, depthOut, depthUp);
  const dialog = h('section', { className: 'ml-lineage', role: 'dialog', 'aria-labelledby': `${uid}-title`, 'data-testid': 'lineage' },
    h('header', { className: 'ml-ln-head' }, title,
      h('div', { className: 'ml-ln-tools' },
        depthGroup,
        h('span', { className: 'ml-ln-group', role: 'group', 'aria-label': 'Zoom' }, zoomOut, zoomIn, fitBtn),
        close)),
    h('div', { className: 'ml-ln-bar' }, note, legend), error, h('div', { className: 'ml-ln-body' }, canvas, side), help);
  const el = h('div', { className: 'ml-lineage-backdrop', hidden: true }, dialog);

  /** @typedef {import('../../pkg/mlmd_lens.js').LineageGraph} LineageGraph */
  /** @typedef {LineageGraph['nodes'][number]} GraphNode */
  /** @typedef {LineageGraph['edges'][number]} GraphEdge */
  /** @type {LineageGraph | null} the graph drawn (the core's) */
  let data = null;
  /** What the graph was asked for (root, depth, expand), as JSON: the same ask is not repeated. */
  let asked = '';
  let root = '';
  let depth = 2;
  /** Node keys whose hidden neighbours were asked for (reset with a new root or depth). @type {string[]} */
  let expand = [];
  /** The pan and zoom: screen = t + k · layout. */
  let tx = 0;
  let ty = 0;
  let k = 1;
  let fitted = false;
  /** The node with tabindex 0 (the graph's one tab stop). */
  let focusKey = '';
  /** Where the focus was when the view opened (it goes back there on close). @type {Element|null} */
  let opener = null;
  /** @type {Map<string, SVGElement>} */
  const nodeEls = new Map();
  /** The artifact types' colour slots of the graph drawn. @type {Map<string, number>} */
  let colours = new Map();
  let generation = 0;

  const apply = () => view.setAttribute('transform', `translate(${tx.toFixed(1)} ${ty.toFixed(1)}) scale(${k.toFixed(4)})`);
  const box = () => canvas.getBoundingClientRect();

  /**
   * Fits the whole graph in the canvas (never zooming in past 1.25). `readable`: the first
   * view of a graph too wide to read whole (a phone, hundreds of nodes) stays at a readable
   * scale, centred on the root; Fit shows it all.
   * @param {boolean} [readable]
   */
  function fit(readable = false) {
    if (!data) return;
    const { width, height } = box();
    const W = Math.max(1, data.width);
    const H = Math.max(1, data.height);
    const whole = Math.max(MIN_K, Math.min(1.25, (width - 32) / W, (height - 32) / H));
    k = readable ? Math.max(whole, READABLE_K) : whole;
    tx = (width - W * k) / 2;
    ty = (height - H * k) / 2;
    const r = data.nodes.find((n) => n.key === data.root);
    if (k > whole && r) {
      tx = width / 2 - (r.x + r.width / 2) * k;
      ty = height / 2 - (r.y + r.height / 2) * k;
    }
    apply();
  }

  /** Zooms by `f` around the canvas point (x, y). */
  function zoom(f, x = box().width / 2, y = box().height / 2) {
    const next = Math.max(MIN_K, Math.min(MAX_K, k * f));
    tx = x - ((x - tx) * next) / k;
    ty = y - ((y - ty) * next) / k;
    k = next;
    apply();
  }

  /** Asks the core for the graph of the current root, depth and expanders. */
  async function ask() {
    const key = JSON.stringify([root, depth, expand]);
    if (key === asked) return;
    asked = key;
    const gen = ++generation;
    note.textContent = 'Reading the lineage…';
    try {
      // maxNodes is left to the core's default.
      const g = await ctx.store.lineageGraph(root, { depth, expand }, { supersede: `lineage-${uid}` });
      if (gen !== generation) return;
      error.hidden = true;
      draw(g);
    } catch (e) {
      if (gen !== generation) return;
      const err = /** @type {any} */ (e);
      data = null;
      nodeEls.clear();
      edgeLayer.replaceChildren();
      nodeLayer.replaceChildren();
      note.textContent = '';
      error.textContent = err instanceof Error ? err.message : String(err);
      error.dataset.kind = err?.kind ?? 'error';
      error.hidden = false;
    }
  }

  /** The node's accessible name: kind, name, type and status. @param {GraphNode} n */
  function nodeLabel(n) {
    if (n.kind === 'stage') return `Stage ${n.name}: ${n.executions ?? 0} executions${n.hidden ? `, ${n.hidden} more not shown` : ''}`;
    if (n.kind === 'missing') return `Missing ${n.type || 'node'} ${n.name || n.id} (an event points at a row that is not in the store)`;
    const what = n.kind === 'execution' ? `Execution #${n.id}` : `Artifact #${n.id}`;
    return `${what} ${n.name}, ${n.type}${n.status ? `, ${n.status}` : ''}${n.hidden ? `, ${n.hidden} more not shown` : ''}`;
  }

  /** Draws one node (a group at its layout position). @param {GraphNode} n */
  function drawNode(n) {
    const info = n.kind === 'execution' ? statusInfo(n.status) : null;
    const cls = ['ml-ln-node', `ml-ln-${n.kind}`];
    if (info) cls.push(`ml-ln-st-${info.cls}`);
    if (n.kind === 'artifact') cls.push(`ml-ln-art-${colours.get(n.type || '') ?? 0}`);
    if (n.key === data.root) cls.push('ml-ln-root');
    const g = svg('g', {
      class: cls.join(' '), 'data-testid': 'lineage-node', 'data-key': n.key, 'data-kind': n.kind,
      transform: `translate(${n.x} ${n.y})`, tabindex: n.key === focusKey ? 0 : -1, role: 'button',
      'aria-label': nodeLabel(n),
    });
    g.append(svg('title', {}, [n.name, n.typeFull || n.type, n.status].filter(Boolean).join('\n')));
    // The focus ring sits outside the box, so the box keeps its status colour.
    g.append(svg('rect', { class: 'ml-ln-ring', x: -4, y: -4, width: n.width + 8, height: n.height + 8, rx: n.kind === 'artifact' ? 13 : 7 }));
    g.append(svg('rect', { class: 'ml-ln-box', width: n.width, height: n.height, rx: n.kind === 'artifact' ? 10 : 4 }));
    if (n.kind === 'artifact') g.append(svg('rect', { class: 'ml-ln-swatch', width: 6, height: n.height, rx: 3 }));
    const pad = n.kind === 'artifact' ? 11 : 7;
    const name = /** @type {SVGTextElement} */ (svg('text', { class: 'ml-ln-name', x: pad, y: Math.min(16, n.height / 2) }));
    const sub = /** @type {SVGTextElement} */ (svg('text', { class: 'ml-ln-sub', x: pad, y: Math.min(30, n.height - 6) }));
    g.append(name, sub);
    nodeLayer.append(g);
    const icon = info ? `${info.icon} ` : n.kind === 'missing' ? '? ' : '';
    // `label` is the name as the core's layout made room for it (cut with …); measured again
    // here in case the page's font is wider.
    fitText(name, `${icon}${n.label || n.name || (n.kind === 'missing' ? 'missing' : `#${n.id}`)}`, n.width - pad - 4);
    /** @type {string | string[]} */
    let subText = n.type || '';
    if (n.kind === 'stage') {
      const entries = Object.entries(n.statusCounts ?? {}).filter(([, c]) => c > 0);
      const count = n.executions ?? 0;
      subText = [`${count} ${count === 1 ? 'execution' : 'executions'}`, `${count} exec.`];
      // The counts by status on a third line, when the store records a status (cmflib's
      // are all Unknown); a stage with a failure is outlined in the failed colour.
      if (entries.some(([label]) => statusInfo(label).cls !== 'unknown') && n.height >= 46) {
        const line = /** @type {SVGTextElement} */ (svg('text', { class: 'ml-ln-sub ml-ln-counts', x: pad, y: Math.min(44, n.height - 6) }));
        g.append(line);
        fitText(line, [entries.map(([label, c]) => `${statusInfo(label).icon} ${c}`).join('  '), entries.map(([label, c]) => `${statusInfo(label).icon}${c}`).join(' ')], n.width - pad - 4);
      }
      if (entries.some(([label]) => statusInfo(label).cls === 'failed')) g.classList.add('ml-ln-stage-failed');
      g.querySelector('title')?.append(`\n${count} executions: ${entries.map(([label, c]) => `${c} ${label}`).join(', ')}`);
    } else if (n.kind === 'execution') subText = `#${n.id} ${n.type}`;
    else if (n.kind === 'artifact') subText = `${n.type}${n.status ? ` · ${n.status}` : ''}`;
    fitText(sub, subText, n.width - pad - 4);
    if (n.hidden > 0) {
      const more = svg('g', {
        class: 'ml-ln-more', 'data-testid': 'lineage-more', 'data-key': n.key,
        transform: `translate(${Math.max(0, n.width - 64)} ${n.height + 3})`,
      }, svg('title', {}, `Show ${n.hidden} more neighbours`), svg('rect', { width: 64, height: 16, rx: 8 }),
      svg('text', { x: 32, y: 12, 'text-anchor': 'middle' }, `+${n.hidden} more`));
      g.append(more);
    }
    nodeEls.set(n.key, g);
  }

  /** Draws one edge: the polyline, its arrowhead and its label. @param {GraphEdge} e */
  function drawEdge(e) {
    const pts = Array.isArray(e.points) ? e.points.filter((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite)) : [];
    if (pts.length < 2) return;
    const type = String(e.type || '').toLowerCase().replace(/[^a-z_]/g, '');
    const g = svg('g', { class: `ml-ln-edge ml-ln-e-${type}${e.reversed ? ' ml-ln-reversed' : ''}`, 'data-testid': 'lineage-edge', 'data-from': e.from, 'data-to': e.to, 'data-type': e.type });
    g.append(svg('polyline', { points: pts.map((p) => p.join(',')).join(' '), 'marker-end': `url(#${uid}-arrow)` }));
    // Stage edges count the distinct artifacts passed on; other edges the events behind them.
    const stages = data?.kind === 'context';
    const text = [e.label, stages ? `${e.count} ${e.count === 1 ? 'artifact' : 'artifacts'}` : e.count > 1 ? `×${e.count}` : ''].filter(Boolean).join(' ');
    if (text) {
      // The label sits at the middle of the polyline's longest segment.
      let best = 0;
      let len = -1;
      for (let i = 0; i + 1 < pts.length; i++) {
        const l = Math.hypot(pts[i + 1][0] - pts[i][0], pts[i + 1][1] - pts[i][1]);
        if (l > len) { len = l; best = i; }
      }
      const [x0, y0] = pts[best];
      const [x1, y1] = pts[best + 1];
      g.append(svg('text', { class: 'ml-ln-elabel', x: (x0 + x1) / 2, y: (y0 + y1) / 2 - 4, 'text-anchor': 'middle' }, text));
    }
    g.append(svg('title', {}, `${e.from} → ${e.to}: ${e.type}${e.count > 1 ? ` (${e.count})` : ''}${e.reversed ? ' — drawn backwards: it closes a cycle' : ''}`));
    edgeLayer.append(g);
  }

  /** Draws a graph from the core; keeps the pan, zoom and focus when the root is the same. @param {LineageGraph} g */
  function draw(g) {
    const sameRoot = data && data.root === g.root;
    data = g;
    graph.setAttribute('data-root', g.root);
    nodeEls.clear();
    edgeLayer.replaceChildren();
    nodeLayer.replaceChildren();
    if (!g.nodes.some((n) => n.key === focusKey)) focusKey = g.nodes.find((n) => n.key === g.root)?.key ?? g.nodes[0]?.key ?? '';
    colours = artifactColours(g.nodes);
    for (const e of g.edges) drawEdge(e);
    for (const n of g.nodes) drawNode(n);
    const rootNode = g.nodes.find((n) => n.key === g.root);
    title.textContent = rootNode ? `Lineage of ${nodeLabel(rootNode).replace(/, \d+ more not shown$/, '')}` : `Pipeline lineage of context #${g.root.slice(1)}`;
    if (g.kind === 'context') nameContext(g.root);
    const hiddenCount = g.nodes.reduce((s, n) => s + (n.hidden > 0 ? n.hidden : 0), 0);
    note.textContent = `${g.nodes.length} nodes, ${g.edges.length} edges, ${g.kind === 'context' ? 'stages of the pipeline' : `${g.depth} ${g.depth === 1 ? 'hop' : 'hops'} both ways`}`
      + `${g.truncated || hiddenCount ? ` · ${hiddenCount || 'some'} more not shown (use the “+N more” expanders)` : ''}`;
    drawLegend(g);
    // A pipeline's stages have no depth.
    depthGroup.hidden = g.kind === 'context';
    if (!sameRoot || !fitted) { fit(true); fitted = true; } else apply();
    if (el.contains(document.activeElement) || document.activeElement === document.body) {
      if (document.activeElement === document.body || document.activeElement === title) nodeEls.get(focusKey)?.focus({ preventScroll: true });
    }
  }

  /** Names a context root by the filtered run or pipeline when that is it. @param {string} key */
  async function nameContext(key) {
    const run = (ctx.summary?.runs ?? []).find((r) => `c${r.id}` === key);
    if (run) { title.textContent = `Run lineage of ${run.name}`; return; }
    const name = ctx.state().pipeline;
    if (!name) return;
    const id = await ctx.store.pipelineId(name).catch(() => null);
    if (data?.root === key && `c${id}` === key) title.textContent = `Pipeline lineage of ${name}`;
  }

  /** The legend: executions by status (as in the table), each artifact type's colour. @param {LineageGraph} g */
  function drawLegend(g) {
    const kinds = new Set(g.nodes.map((n) => n.kind));
    const types = [...new Set(g.nodes.filter((n) => n.kind === 'artifact').map((n) => n.type || ''))].sort();
    const item = (cls, label) => h('li', {}, h('span', { className: `ml-ln-key ${cls}`, 'aria-hidden': 'true' }), label);
    legend.replaceChildren(
      ...(kinds.has('execution') ? [item('ml-ln-key-exec', 'execution (status colour)')] : []),
      ...(kinds.has('stage') ? [item('ml-ln-key-stage', 'stage')] : []),
      ...types.slice(0, 12).map((t) => item(`ml-ln-key-art ml-ln-art-${colours.get(t) ?? 0}`, t || 'artifact')),
      ...(kinds.has('missing') ? [item('ml-ln-key-missing', 'missing row')] : []));
  }

  // ---- the side box: an artifact's properties, URI and state; a stage's counts -------
  /**
   * The artifact's full record: read from one of its executions in the graph
   * (`artifactsForExecution`), the store's artifact reader where there is one.
   * @param {any} n
   */
  async function readArtifact(n) {
    const store = /** @type {any} */ (ctx.store);
    if (typeof store.artifact === 'function') return store.artifact(n.id);
    const around = data.edges.flatMap((e) => (e.to === n.key ? [[e.from, 'OUTPUT']] : e.from === n.key ? [[e.to, 'INPUT']] : []))
      .filter(([key]) => /^e\d+$/.test(key));
    for (const [key, dir] of around) {
      for (const d of [dir, dir === 'OUTPUT' ? 'INPUT' : 'OUTPUT']) {
        const arts = await ctx.store.artifactsForExecution(Number(key.slice(1)), /** @type {'INPUT'|'OUTPUT'} */ (d));
        const a = arts.find((x) => x.id === n.id);
        if (a) return a;
      }
    }
    return null;
  }

  /** A name/value row of the side box. @param {string} label @param {Node|string} value @param {string} [field] */
  const row = (label, value, field) => h('div', { className: 'ml-dl-row', 'data-field': field }, h('dt', {}, label), h('dd', {}, value === '' ? '—' : value));

  /** @param {any} n */
  async function showArtifact(n) {
    side.hidden = false;
    side.dataset.key = n.key;
    const head = h('header', { className: 'ml-ln-side-head' },
      h('h3', { 'data-testid': 'lineage-side-name' }, n.name || `Artifact #${n.id}`),
      h('button', { type: 'button', className: 'ml-close', 'aria-label': 'Close', title: 'Close (Esc)', onclick: () => hideSide(true) }, '✕'));
    side.replaceChildren(head, h('p', { className: 'ml-none' }, 'Reading…'));
    let a = null;
    try { a = await readArtifact(n); } catch { a = null; }
    if (side.dataset.key !== n.key) return;
    const props = (obj) => Object.entries(obj || {}).map(([k2, v]) => row(k2, v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)));
    const uri = a?.uri ? h('span', { className: 'ml-uri' }, h('code', { 'data-testid': 'lineage-artifact-uri', title: a.uri }, a.uri), copyButton(a.uri, 'URI')) : '';
    const reroot = h('button', {
      type: 'button', className: 'ml-primary', 'data-testid': 'lineage-reroot',
      title: 'Draw the lineage around this artifact: its producer, its consumers and their ancestry',
      onclick: () => ctx.set({ lineage: n.key }),
    }, 'Lineage from here');
    side.replaceChildren(head,
      h('dl', { className: 'ml-dl' },
        row('ID', String(n.id), 'id'),
        row('Type', h('span', { title: n.typeFull || n.type }, n.type), 'type'),
        row('State', a?.state ?? n.status ?? '', 'state'),
        row('URI', uri, 'uri'),
        ...(a?.version ? [row('Version', h('code', {}, a.version), 'version')] : []),
        ...(a?.created ? [row('Created', formatTime(a.created), 'created')] : []),
        ...props(a?.properties), ...props(a?.customProperties)),
      a ? '' : h('p', { className: 'ml-none' }, 'No execution in this graph reads or writes it, so its properties are not shown.'),
      n.key === data.root ? '' : reroot);
  }

  /** @param {any} n */
  function showStage(n) {
    side.hidden = false;
    side.dataset.key = n.key;
    const counts = Object.entries(n.statusCounts ?? {}).filter(([, c]) => c > 0);
    side.replaceChildren(
      h('header', { className: 'ml-ln-side-head' },
        h('h3', { 'data-testid': 'lineage-side-name' }, n.name),
        h('button', { type: 'button', className: 'ml-close', 'aria-label': 'Close', title: 'Close (Esc)', onclick: () => hideSide(true) }, '✕')),
      h('dl', { className: 'ml-dl' },
        row('Executions', String(n.executions ?? 0), 'executions'),
        row('Type', n.type || '', 'type'),
        ...counts.map(([label, c]) => {
          const info = statusInfo(label);
          return row(info.label, h('span', { className: `ml-status ml-status-${info.cls}` }, `${info.icon} ${c}`), `status-${info.cls}`);
        })));
  }

  /** @param {any} n */
  function showMissing(n) {
    side.hidden = false;
    side.dataset.key = n.key;
    side.replaceChildren(
      h('header', { className: 'ml-ln-side-head' }, h('h3', { 'data-testid': 'lineage-side-name' }, 'Missing row'),
        h('button', { type: 'button', className: 'ml-close', 'aria-label': 'Close', title: 'Close (Esc)', onclick: () => hideSide(true) }, '✕')),
      h('p', {}, `An event points at ${n.type || 'a row'} ${n.name || n.id}, which is not in the store (deleted, or written by a tool that failed half-way).`));
  }

  /** @param {boolean} refocus give the focus back to the node it shows */
  function hideSide(refocus) {
    const key = side.dataset.key;
    side.hidden = true;
    side.dataset.key = '';
    if (refocus && key) nodeEls.get(key)?.focus({ preventScroll: true });
  }

  /** Opens a node: an execution's details, an artifact's or stage's side box. @param {string} key */
  function activate(key) {
    const n = data?.nodes.find((x) => x.key === key);
    if (!n) return;
    setFocus(key, false);
    if (n.kind === 'execution') ctx.set({ selected: n.id });
    else if (n.kind === 'artifact') showArtifact(n);
    else if (n.kind === 'stage') showStage(n);
    else showMissing(n);
  }

  /** Asks again with node `key`'s hidden neighbours. @param {string} key */
  function expandNode(key) {
    if (!expand.includes(key)) expand = [...expand, key];
    focusKey = key;
    ask();
  }

  // ---- keyboard: one tab stop, arrows move spatially -----------------------------------
  /** Makes `key` the tab stop (and focuses it, in view). @param {string} key @param {boolean} [move] */
  function setFocus(key, move = true) {
    const next = nodeEls.get(key);
    if (!next) return;
    nodeEls.get(focusKey)?.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    focusKey = key;
    if (move) {
      next.focus({ preventScroll: true });
      keepInView(key);
    }
  }

  /** Pans so that node `key` is inside the canvas. @param {string} key */
  function keepInView(key) {
    const n = data?.nodes.find((x) => x.key === key);
    if (!n) return;
    const { width, height } = box();
    const m = 16;
    const x0 = tx + n.x * k;
    const x1 = tx + (n.x + n.width) * k;
    const y0 = ty + n.y * k;
    const y1 = ty + (n.y + n.height) * k;
    if (x0 < m) tx += m - x0; else if (x1 > width - m) tx -= Math.min(x1 - (width - m), x0 - m);
    if (y0 < m) ty += m - y0; else if (y1 > height - m) ty -= Math.min(y1 - (height - m), y0 - m);
    apply();
  }

  /**
   * The node nearest to `from` in a direction: ahead of it on that axis, scored by the
   * distance along the axis plus twice the offset across it.
   * @param {any} from @param {'left'|'right'|'up'|'down'} dir
   */
  function nearest(from, dir) {
    const cx = from.x + from.width / 2;
    const cy = from.y + from.height / 2;
    let best = null;
    let score = Infinity;
    for (const n of data.nodes) {
      if (n.key === from.key) continue;
      const dx = n.x + n.width / 2 - cx;
      const dy = n.y + n.height / 2 - cy;
      const along = dir === 'left' ? -dx : dir === 'right' ? dx : dir === 'up' ? -dy : dy;
      const across = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
      if (along <= 1) continue;
      const s = along + 2 * across;
      if (s < score) { score = s; best = n; }
    }
    return best;
  }

  nodeLayer.addEventListener('keydown', (e) => {
    const target = /** @type {Element} */ (e.target).closest?.('[data-testid=lineage-node]');
    if (!target || !data || e.ctrlKey || e.metaKey || e.altKey) return;
    const key = target.getAttribute('data-key') ?? '';
    const n = data.nodes.find((x) => x.key === key);
    if (!n) return;
    const dirs = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
    if (e.key in dirs) {
      const to = nearest(n, dirs[e.key]);
      if (to) setFocus(to.key);
    } else if (e.key === 'Enter' && e.shiftKey) {
      if (n.hidden > 0) expandNode(key);
    } else if (e.key === 'Enter' || e.key === ' ') {
      activate(key);
    } else if (e.key === 'Home') {
      setFocus(data.root);
    } else return;
    e.preventDefault();
  });

  // ---- pointer: drag pans; a click (no drag) opens a node or an expander --------------
  let drag = null;
  graph.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, tx, ty, moved: false, id: e.pointerId };
  });
  graph.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) { drag.moved = true; graph.setPointerCapture?.(drag.id); graph.classList.add('ml-ln-dragging'); }
    tx = drag.tx + dx;
    ty = drag.ty + dy;
    apply();
  });
  const endDrag = () => {
    if (!drag) return;
    const moved = drag.moved;
    graph.classList.remove('ml-ln-dragging');
    // The click that ends a drag opens nothing.
    if (moved) setTimeout(() => { drag = null; }, 0); else drag = null;
  };
  graph.addEventListener('pointerup', endDrag);
  graph.addEventListener('pointercancel', endDrag);
  graph.addEventListener('click', (e) => {
    if (drag?.moved) return;
    const t = /** @type {Element} */ (e.target);
    const more = t.closest?.('[data-testid=lineage-more]');
    if (more) { expandNode(more.getAttribute('data-key') ?? ''); return; }
    const node = t.closest?.('[data-testid=lineage-node]');
    if (node) activate(node.getAttribute('data-key') ?? '');
  });
  graph.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = box();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? r.height : 1;
    zoom(Math.exp(-e.deltaY * unit * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  zoomIn.addEventListener('click', () => zoom(1.25));
  zoomOut.addEventListener('click', () => zoom(0.8));
  fitBtn.addEventListener('click', () => fit());
  depthDown.addEventListener('click', () => ctx.set({ lineageDepth: Math.max(MIN_DEPTH, depth - 1) }));
  depthUp.addEventListener('click', () => ctx.set({ lineageDepth: Math.min(MAX_DEPTH, depth + 1) }));
  close.addEventListener('click', () => closeView());
  // Esc closes the side box first (the widget's Esc then closes the view).
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !side.hidden && !e.defaultPrevented) {
      e.preventDefault();
      hideSide(true);
    }
  });

  function closeView() {
    ctx.set({ lineage: '' });
  }

  return {
    el,
    open: () => !el.hidden,
    close: closeView,
    /** Focuses the graph's tab stop (the details opened from a node closed). */
    focus() { (nodeEls.get(focusKey) ?? title).focus({ preventScroll: true }); },
    update({ state }) {
      const next = state.lineage;
      if (!next) {
        if (!el.hidden) {
          el.hidden = true;
          generation++;
          asked = '';
          data = null;
          fitted = false;
          hideSide(false);
          const back = opener;
          opener = null;
          if (back instanceof HTMLElement && back.isConnected && !back.closest('[hidden]')) back.focus({ preventScroll: true });
          else if (document.activeElement === document.body || el.contains(document.activeElement)) ctx.root.focus({ preventScroll: true });
        }
        return;
      }
      if (el.hidden) {
        opener = document.activeElement;
        el.hidden = false;
        title.focus({ preventScroll: true });
      }
      if (next !== root || state.lineageDepth !== depth) {
        if (next !== root) { fitted = false; focusKey = ''; hideSide(false); }
        root = next;
        depth = state.lineageDepth;
        expand = [];
      }
      depthOut.textContent = String(depth);
      /** @type {HTMLButtonElement} */ (depthDown).disabled = depth <= MIN_DEPTH;
      /** @type {HTMLButtonElement} */ (depthUp).disabled = depth >= MAX_DEPTH;
      ask();
    },
    destroy() {
      generation++;
    },
  };
}
