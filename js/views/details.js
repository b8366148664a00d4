// The execution details side panel: everything `store.execution(id)` knows about the
// selected execution (the CMF GUI's details view, plus property kinds, artifact properties,
// an events strip and prev/next). It only draws: every value comes from the store, and
// every string from the file goes in as text (h() / textContent), never as markup.
import { h } from '../dom.js';
import { formatDuration, formatTime, formatValue, statusInfo } from '../format.js';
import { language } from '../language.js';
import { jsonValue } from './json-value.js';

/** Values longer than this are folded into a <details>. */
const LONG_VALUE = 120;
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The status as icon + label (never colour alone), with its meaning as a tooltip.
 * @param {string} label
 * @returns {HTMLElement}
 */
export function statusBadge(label) {
  const info = statusInfo(label);
  return h('span', { className: `ml-status ml-status-${info.cls}`, title: info.meaning, 'data-status': info.label },
    h('span', { 'aria-hidden': 'true' }, info.icon), ' ', info.label);
}

/**
 * Copies text to the clipboard; falls back to a selected textarea where the async
 * clipboard is refused (http:// pages, notebook iframes).
 * @param {string} text
 * @returns {Promise<boolean>}
 */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = /** @type {HTMLTextAreaElement} */ (h('textarea', { 'aria-hidden': 'true' }));
    area.value = text;
    // CSSOM styles (allowed under a strict CSP, unlike a style attribute).
    Object.assign(area.style, { position: 'fixed', left: '-9999px', top: '0' });
    document.body.append(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { /* nothing more to try */ }
    area.remove();
    return ok;
  }
}

/**
 * A small "copy" button for `text`; says "Copied" for a moment.
 * @param {string} text
 * @param {string} what what is copied, for the accessible name ("commit", "URI" …)
 * @returns {HTMLElement}
 */
export function copyButton(text, what) {
  const btn = h('button', { type: 'button', className: 'ml-copy', title: `Copy ${what}`, 'aria-label': `Copy ${what}`, 'data-copy': text }, 'Copy');
  btn.addEventListener('click', async (e) => {
    e.stopPropagation();
    const ok = await copyText(text);
    btn.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { btn.textContent = 'Copy'; }, 1200);
  });
  return btn;
}

/**
 * Creates an SVG element (attributes via setAttribute; text only through textContent).
 * @param {string} tag
 * @param {Record<string, string|number>} attrs
 * @param {...(Node|string)} children
 */
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** "not recorded" in muted text, for the rows a store left empty. */
const notRecorded = () => h('span', { className: 'ml-not-recorded' }, 'not recorded');

/**
 * A label/value row of a definition list; an empty value says "not recorded".
 * @param {string} label
 * @param {Node|string|number|null|undefined} value
 * @param {string} [key] data-field, for tests and styling
 */
function row(label, value, key) {
  const empty = value === null || value === undefined || value === '';
  return h('div', { className: 'ml-dl-row', 'data-field': key },
    h('dt', {}, label),
    h('dd', {}, empty ? notRecorded() : value));
}

/**
 * The end time, labelled "from events" when the core took it from the execution's latest
 * event rather than its last update (`endedFrom`; cmflib records no end).
 * @param {any} x
 */
function endedText(x) {
  if (x.endedFrom !== 'events') return formatTime(x.ended);
  return h('span', {}, formatTime(x.ended), ' ',
    h('small', { className: 'ml-kind', 'data-testid': 'ended-from', title: 'no end recorded: the latest of the last update and the execution\'s own events' }, 'from events'));
}

/**
 * A collapsible section (open by default) with a heading.
 * @param {string} title
 * @param {string} key
 * @param {...(Node|string|null)} children
 */
function section(title, key, ...children) {
  return h('details', { className: 'ml-details-section', open: true, 'data-section': key },
    h('summary', {}, h('h3', {}, title)), ...children);
}

/**
 * Shows one property value: numbers right-aligned, JSON (structs, and strings the core
 * found holding an object or array: `json`) formatted and folded, long text folded into a
 * <details>. The element with data-testid="property-value" holds the full value as text
 * (for JSON, its pretty-printed text).
 * @param {{kind: string, value: unknown, json?: unknown}} p
 * @returns {HTMLElement}
 */
export function propertyValue(p) {
  const v = p.value;
  if (p.json !== undefined && p.json !== null) return jsonValue(p.json, { 'data-testid': 'property-value' });
  if (v !== null && typeof v === 'object') return jsonValue(v, { 'data-testid': 'property-value' });
  const text = v === null || v === undefined ? '' : String(v);
  if (text.length > LONG_VALUE) {
    return h('details', { className: 'ml-fold' },
      h('summary', {}, `${text.slice(0, 80)}… (${text.length} characters)`),
      h('pre', { 'data-testid': 'property-value' }, text));
  }
  if (text === '') return h('span', { 'data-testid': 'property-value', className: 'ml-empty-string', title: 'an empty string' }, '');
  return h('span', { 'data-testid': 'property-value' }, text);
}

/**
 * The execution's properties by the core's role: parameters (custom, i.e. the user's, first),
 * metrics and git, then the tool's bookkeeping folded — cmflib's `Context_Type`,
 * `Execution_uuid` … no longer come before the user's hyper-parameters.
 * @param {Array<{name: string, custom: boolean, kind: string, value: unknown, role: string}>} props
 * @returns {Array<[string, typeof props]>}
 */
export function propertiesByRole(props) {
  const of = (role) => props.filter((p) => p.role === role);
  const userFirst = (ps) => [...ps.filter((p) => p.custom), ...ps.filter((p) => !p.custom)];
  return [
    ['Parameters', userFirst(of('parameter'))],
    ['Metrics', userFirst(of('metric'))],
    ['Git', of('git')],
    ['Bookkeeping', of('bookkeeping')],
  ];
}

/**
 * The properties tables (see `propertiesByRole`); empty groups are left out, bookkeeping
 * is folded.
 * @param {Array<{name: string, custom: boolean, kind: string, value: unknown, role: string}>} props
 */
function propertyTables(props) {
  if (!props.length) return [h('p', { className: 'ml-none' }, 'No properties.')];
  return propertiesByRole(props).filter(([, ps]) => ps.length).map(([group, ps]) => (group === 'Bookkeeping'
    ? h('details', { className: 'ml-props-folded', 'data-testid': 'properties-bookkeeping' },
      h('summary', {}, `Recorded by the tool (${ps.length})`), propertyTable(ps, group))
    : propertyTable(ps, group)));
}

/**
 * The metrics the execution's output artifacts carry (cmflib's Metrics, TFX's
 * ModelBlessing …), each with the artifact it came from.
 * @param {Array<{name: string, value: unknown, direction: string, source: any}>} metrics
 */
function artifactMetrics(metrics) {
  const fromArtifacts = metrics.filter((m) => m.source.kind === 'artifact');
  if (!fromArtifacts.length) return null;
  return h('table', { className: 'ml-props', 'data-group': 'artifact-metrics', 'data-testid': 'artifact-metrics' },
    h('caption', {}, `Metrics of output artifacts (${fromArtifacts.length})`),
    h('tbody', {}, ...fromArtifacts.map((m) => h('tr', { 'data-testid': 'artifact-metric', 'data-name': m.name, 'data-artifact': m.source.id },
      h('th', { scope: 'row' }, m.name, m.direction === 'higher' ? ' ↑' : m.direction === 'lower' ? ' ↓' : ''),
      h('td', { className: 'ml-num' }, h('span', { 'data-testid': 'metric-value' }, formatValue(m.value))),
      h('td', { className: 'ml-val' }, h('span', { className: 'ml-kind', title: m.source.name }, `${m.source.type} #${m.source.id}`))))));
}

/**
 * A table of typed properties, with the kind as a badge.
 * @param {Array<{name: string, custom: boolean, kind: string, value: unknown}>} props
 * @param {string} group
 */
function propertyTable(props, group) {
  if (!props.length) return h('p', { className: 'ml-none' }, `No ${group.toLowerCase()} properties.`);
  return h('table', { className: 'ml-props', 'data-group': group.toLowerCase() },
    h('caption', {}, `${group} (${props.length})`),
    h('tbody', {}, ...props.map((p) => {
      const numeric = p.kind === 'int' || p.kind === 'double';
      return h('tr', { 'data-testid': 'property', 'data-name': p.name, 'data-kind': p.kind, 'data-custom': String(p.custom) },
        h('th', { scope: 'row' }, p.name),
        h('td', { className: 'ml-kind-cell' }, h('span', { className: `ml-kind ml-kind-${p.kind}`, title: `MLMD value kind: ${p.kind}` }, p.kind)),
        h('td', { className: numeric ? 'ml-num' : 'ml-val' }, propertyValue(p)));
    })));
}

/**
 * A plain name → value list (artifact properties), as text.
 * @param {Record<string, unknown>} obj
 */
function plainProps(obj) {
  return Object.entries(obj).map(([k, v]) => row(k, v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)));
}

/**
 * The Input or Output artifacts table; a row's properties open below it.
 * @param {any[]} artifacts
 * @param {'input'|'output'} direction
 * @param {(key: string) => void} [onLineage] shows the lineage from an artifact (its node key)
 */
function artifactTable(artifacts, direction, onLineage) {
  if (!artifacts.length) return h('p', { className: 'ml-none' }, `No ${direction} artifacts recorded.`);
  const body = h('tbody', {});
  for (const a of artifacts) {
    const extra = h('tr', { className: 'ml-artifact-extra', hidden: true },
      h('td', { colspan: 6 },
        h('dl', { className: 'ml-dl ml-dl-compact' },
          row('Artifact ID', a.id),
          row('Created', a.created ? formatTime(a.created) : ''),
          row('Updated', a.updated ? formatTime(a.updated) : ''),
          ...plainProps(a.properties || {}),
          ...plainProps(a.customProperties || {}))));
    const count = Object.keys(a.properties || {}).length + Object.keys(a.customProperties || {}).length;
    const toggle = h('button', {
      type: 'button', className: 'ml-expand', 'aria-expanded': 'false',
      'aria-label': `Show the properties of artifact ${a.id}`, title: `${count} properties`,
    }, '▸');
    toggle.addEventListener('click', () => {
      const open = extra.hidden;
      extra.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? '▾' : '▸';
    });
    body.append(
      h('tr', { 'data-testid': 'artifact-row', 'data-direction': direction, 'data-id': a.id },
        h('td', {}, toggle),
        h('td', { className: 'ml-art-name', 'data-testid': 'artifact-name', 'data-raw-name': a.name, title: a.name ? null : 'no name recorded: named by its output key and producer' }, a.displayName || a.name),
        h('td', {}, a.type),
        h('td', { className: 'ml-art-version' }, a.version ? h('code', { title: a.version }, a.version) : notRecorded()),
        h('td', { className: 'ml-art-uri' }, a.uri
          ? h('span', { className: 'ml-uri' }, h('code', { 'data-testid': 'artifact-uri', title: a.uri }, a.uri), copyButton(a.uri, 'URI'))
          : notRecorded()),
        h('td', {}, a.state || '—',
          onLineage && h('button', {
            type: 'button', className: 'ml-art-lineage', 'data-testid': 'artifact-lineage',
            title: `Lineage of artifact ${a.id}: its producer, its consumers and their ancestry`,
            'aria-label': `Lineage of artifact ${a.id}`, onclick: () => onLineage(`a${a.id}`),
          }, 'Lineage'))),
      extra);
  }
  return h('table', { className: 'ml-artifacts', 'data-testid': `${direction}-artifacts` },
    h('thead', {}, h('tr', {},
      h('th', {}, h('span', { className: 'ml-sr' }, 'Properties')), h('th', {}, 'Name'), h('th', {}, 'Type'),
      h('th', {}, 'Version'), h('th', {}, 'URI'), h('th', {}, 'State'))),
    body);
}

/**
 * The events: a strip from start to end with a tick per event (inputs above the bar,
 * outputs below, so the direction does not rely on colour), then the list in time order.
 * @param {any} x the execution
 */
function eventsView(x) {
  const events = [...x.events].sort((a, b) => (a.timeMs ?? 0) - (b.timeMs ?? 0) || a.id - b.id);
  if (!events.length) return h('p', { className: 'ml-none' }, 'No events recorded.');
  const times = events.map((e) => e.timeMs).filter(Number.isFinite);
  const start = Number.isFinite(x.startedMs) ? x.startedMs : Math.min(...times);
  const end = Number.isFinite(x.endedMs) ? x.endedMs : null;
  const lo = Math.min(start, ...times);
  let hi = Math.max(end ?? lo, ...times);
  if (hi <= lo) hi = lo + 1000;
  const W = 1000;
  const px = (t) => ((t - lo) / (hi - lo)) * (W - 20) + 10;
  const strip = svg('svg', {
    class: 'ml-events-strip', viewBox: `0 0 ${W} 44`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': `${events.length} events between ${formatTime(new Date(lo).toISOString())} and ${formatTime(new Date(hi).toISOString())}`,
  });
  const barEnd = end ?? hi;
  strip.append(svg('rect', {
    class: end === null ? 'ml-ev-run ml-ev-open' : 'ml-ev-run', x: px(start), y: 18,
    width: Math.max(2, px(barEnd) - px(start)), height: 8,
  }, svg('title', {}, end === null ? 'execution (not ended)' : `execution: ${formatDuration(x.durationMs)}`)));
  for (const e of events) {
    if (!Number.isFinite(e.timeMs)) continue;
    const input = e.type.includes('INPUT');
    const t = px(e.timeMs);
    strip.append(svg('line', {
      class: input ? 'ml-ev-tick ml-ev-in' : 'ml-ev-tick ml-ev-out', x1: t, x2: t,
      y1: input ? 2 : 28, y2: input ? 16 : 42, 'vector-effect': 'non-scaling-stroke',
    }, svg('title', {}, `${e.type} ${e.artifactDisplayName || e.artifactName} at ${formatTime(e.time)}`)));
  }
  const rel = (t) => {
    if (!Number.isFinite(t) || !Number.isFinite(start)) return '';
    const d = t - start;
    return `${d < 0 ? '−' : '+'}${formatDuration(Math.abs(d))}`;
  };
  return h('div', { className: 'ml-events' },
    h('p', { className: 'ml-events-key' },
      h('span', { className: 'ml-ev-type-in' }, '▲ inputs'), ' above the execution bar, ',
      h('span', { className: 'ml-ev-type-out' }, '▼ outputs'), ' below'),
    strip,
    h('div', { className: 'ml-events-axis' },
      h('span', {}, formatTime(new Date(lo).toISOString())),
      h('span', {}, formatTime(new Date(hi).toISOString()))),
    h('ol', { className: 'ml-events-list', 'data-testid': 'events' },
      ...events.map((e) => h('li', { 'data-testid': 'event', 'data-type': e.type },
        h('span', { className: 'ml-ev-time', title: 'relative to the start' }, formatTime(e.time), ' ', h('small', {}, rel(e.timeMs))),
        h('span', { className: `ml-ev-type ${e.type.includes('INPUT') ? 'ml-ev-type-in' : 'ml-ev-type-out'}` },
          h('span', { 'aria-hidden': 'true' }, e.type.includes('INPUT') ? '▲ ' : '▼ '), e.type),
        h('span', { className: 'ml-ev-artifact' }, e.artifactDisplayName || e.artifactName || `artifact ${e.artifactId}`)))));
}

/**
 * The git rows: full commit (with the short form and a copy button), branch, repository
 * (a link only for https://), author, message.
 * @param {any} x
 */
function gitView(x) {
  const g = x.git || {};
  const commit = g.commit
    ? h('span', { className: 'ml-commit' },
      h('code', { 'data-testid': 'git-commit', title: g.commit }, g.commit),
      ' ', h('span', { className: 'ml-short', title: 'short commit' }, `(${x.gitCommitShort || g.commit.slice(0, 8)})`),
      copyButton(g.commit, 'commit'))
    : null;
  let repo = null;
  if (g.repo) {
    repo = h('span', { className: 'ml-repo' }, h('span', { 'data-testid': 'git-repo' }, g.repo));
    if (g.repo.startsWith('https://')) {
      const link = h('a', { className: 'ml-link', target: '_blank', rel: 'noopener noreferrer' }, 'open ↗');
      link.setAttribute('href', g.repo);
      repo.append(' ', link);
    }
  }
  return h('dl', { className: 'ml-dl' },
    row('Commit', commit, 'commit'),
    g.endCommit && g.endCommit !== g.commit ? row('End commit', h('code', {}, g.endCommit), 'endCommit') : null,
    row('Branch', g.branch, 'branch'),
    row('Repository', repo, 'repo'),
    row('Author', g.author, 'author'),
    row('Message', g.message ? h('span', { className: 'ml-message' }, g.message) : null, 'message'));
}

/**
 * The details panel.
 * @param {import('../widget.js').ViewContext} ctx
 * @returns {{ el: HTMLElement, update(args: {state: import('../widget.js').ViewState}): void, destroy(): void }}
 */
export function createDetails(ctx) {
  // Long by design: a view factory is the details panel's closure (its elements, its state and
  // the handlers that share them); each inner function does one job and stays short.
  const title = h('h2', { className: 'ml-details-title', id: 'ml-details-title', tabindex: '-1' });
  const position = h('span', { className: 'ml-details-pos', 'data-testid': 'details-position' });
  const prev = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'aria-label': 'Previous execution', title: 'Previous execution in the current order', 'data-testid': 'details-prev' }, '‹'));
  const next = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'aria-label': 'Next execution', title: 'Next execution in the current order', 'data-testid': 'details-next' }, '›'));
  const close = h('button', { type: 'button', className: 'ml-close', 'aria-label': 'Close details', title: 'Close (Esc)', 'data-testid': 'details-close' }, '✕');
  const actions = h('div', { className: 'ml-details-actions' });
  const body = h('div', { className: 'ml-details-body' });
  const resize = h('button', {
    type: 'button', className: 'ml-details-resize', 'data-testid': 'details-resize',
    'aria-label': 'Resize the details (left and right arrows)', title: 'Drag to resize',
  });
  const el = h('aside', {
    className: 'ml-details', 'data-testid': 'details', role: 'complementary',
    'aria-label': 'Execution details', hidden: true,
  },
  resize,
  h('header', { className: 'ml-details-head' }, title, h('div', { className: 'ml-details-nav' }, position, prev, next, close)),
  actions, body);
  /** Sets the sheet's width in px (kept between the window's edges). @param {number} px */
  const setWidth = (px) => {
    const max = Math.max(320, (ctx.root.classList.contains('ml-page') ? window.innerWidth : ctx.root.clientWidth) - 24);
    el.style.setProperty('--ml-sheet-width', `${Math.round(Math.min(max, Math.max(320, px)))}px`);
  };
  resize.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const right = el.getBoundingClientRect().right;
    resize.setPointerCapture?.(e.pointerId);
    const move = (/** @type {PointerEvent} */ m) => setWidth(right - m.clientX);
    const up = () => { resize.removeEventListener('pointermove', move); resize.removeEventListener('pointerup', up); };
    resize.addEventListener('pointermove', move);
    resize.addEventListener('pointerup', up);
  });
  resize.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: 40, ArrowRight: -40 }[e.key];
    if (!step) return;
    e.preventDefault();
    setWidth(el.getBoundingClientRect().width + step);
  });

  /** @param {string} key */
  const toLineage = (key) => ctx.set({ lineage: key, selected: null });
  let shownId = /** @type {number|null} */ (null);
  let missing = false; // the shown id is not in the store
  let orderKey = '';
  let order = /** @type {number[]} */ ([]);

  close.addEventListener('click', () => ctx.set({ selected: null }));
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));

  /** @type {Promise<number[]>} */
  let orderPromise = Promise.resolve([]);
  /** Ids in the current filter and sort order (asked again only when those change). */
  function currentOrder() {
    const state = ctx.state();
    const opts = { ...ctx.filters(), sort: state.sort };
    const key = JSON.stringify(opts);
    if (key !== orderKey) {
      orderKey = key;
      orderPromise = ctx.store.executionIds(opts, { supersede: 'details-order' }).then((ids) => Array.from(ids), () => []);
    }
    return orderPromise;
  }

  async function step(delta) {
    const ids = await currentOrder();
    const i = ids.indexOf(ctx.state().selected);
    const j = i + delta;
    if (i >= 0 && j >= 0 && j < ids.length) ctx.set({ selected: ids[j] });
  }

  async function updateNav(id) {
    const ids = await currentOrder();
    if (shownId !== id) return;
    const i = ids.indexOf(id);
    prev.disabled = i <= 0;
    next.disabled = i < 0 || i >= ids.length - 1;
    position.textContent = i >= 0 ? `${i + 1} of ${ids.length}` : 'not in the current filter';
  }

  function updateActions(id, state) {
    if (missing) {
      actions.replaceChildren();
      return;
    }
    const inCompare = state.compare.includes(id);
    const { min, max } = language().compare;
    const compareBtn = h('button', {
      type: 'button', 'data-testid': 'details-compare',
      disabled: !inCompare && state.compare.length >= max,
      title: inCompare ? 'Remove from the comparison' : `Add to the comparison (${min} to ${max} executions)`,
    }, inCompare ? 'Remove from compare' : 'Add to compare');
    compareBtn.addEventListener('click', () => {
      const cur = ctx.state().compare;
      ctx.set({ compare: cur.includes(id) ? cur.filter((c) => c !== id) : [...cur, id] });
    });
    const timelineBtn = h('button', { type: 'button', title: 'Show the timeline of the current selection' }, 'Timeline');
    timelineBtn.addEventListener('click', () => ctx.set({ tab: 'timeline' }));
    const lineageBtn = h('button', {
      type: 'button', 'data-testid': 'details-lineage', title: 'The artifacts this execution read and wrote, and the executions around them',
      onclick: () => ctx.set({ lineage: `e${id}`, selected: null }),
    }, 'Lineage');
    actions.replaceChildren(lineageBtn, compareBtn, timelineBtn);
    if (state.compare.length >= min) {
      actions.append(h('button', { type: 'button', className: 'ml-primary', onclick: () => ctx.set({ comparing: true }) }, `Compare ${state.compare.length}`));
    }
  }

  /** Renders execution `id` (or its error) into the panel. */
  async function show(id) {
    let x;
    missing = false;
    try {
      x = await ctx.store.execution(id);
      if (shownId !== id) return;
    } catch (e) {
      if (shownId !== id) return;
      missing = true;
      updateActions(id, ctx.state());
      const err = /** @type {any} */ (e);
      title.textContent = `Execution ${id}`;
      body.replaceChildren(h('p', { className: 'ml-error', role: 'alert', 'data-testid': 'details-error', 'data-kind': err?.kind ?? 'error' },
        err instanceof Error ? err.message : String(err)));
      return;
    }
    title.replaceChildren(h('span', { className: 'ml-details-id' }, `#${x.id}`), ' ', h('span', { 'data-testid': 'details-name' }, x.name));
    const ended = Number.isFinite(x.endedMs);
    const uuid = x.uuid ? h('span', { className: 'ml-copyable' }, h('code', {}, x.uuid), copyButton(x.uuid, 'UUID')) : null;
    const command = x.command ? h('span', { className: 'ml-copyable ml-command' }, h('code', { 'data-testid': 'command' }, x.command), copyButton(x.command, 'command')) : null;
    body.replaceChildren(
      section('Metadata', 'metadata', h('dl', { className: 'ml-dl' },
        row('ID', String(x.id), 'id'),
        row('Name', x.name, 'name'),
        row('Type', x.typeFull && x.typeFull !== x.type ? h('span', { title: x.typeFull, 'data-type-full': x.typeFull }, x.type) : x.type, 'type'),
        row('Pipeline', x.pipeline, 'pipeline'),
        row('Context/Stage', x.stage, 'stage'),
        row('Status', statusBadge(x.status), 'status'),
        row('UUID', uuid, 'uuid'),
        row('External ID', x.externalId, 'externalId'),
        row('Command', command, 'command'))),
      section('Timing', 'timing', h('dl', { className: 'ml-dl' },
        row('Created', x.created ? formatTime(x.created) : '', 'created'),
        row('Started', x.started ? formatTime(x.started) : '', 'started'),
        row(x.status === 'Completed' ? 'Completed' : 'Ended',
          ended ? endedText(x) : h('span', { className: 'ml-not-ended' }, 'not ended'), 'ended'),
        row('Duration', ended ? formatDuration(x.durationMs) : h('span', { className: 'ml-not-ended' }, 'not ended'), 'duration'),
        row('Last update', x.updated ? formatTime(x.updated) : '', 'updated'))),
      section('Git', 'git', gitView(x)),
      section(`Properties (${x.typedProperties.length})`, 'properties',
        ...propertyTables(x.typedProperties), artifactMetrics(x.metrics)),
      section(`Input artifacts (${x.inputs.length})`, 'inputs', artifactTable(x.inputs, 'input', toLineage)),
      section(`Output artifacts (${x.outputs.length})`, 'outputs', artifactTable(x.outputs, 'output', toLineage)),
      section(`Contexts (${x.contexts.length})`, 'contexts', x.contexts.length
        ? h('ul', { className: 'ml-contexts' }, ...x.contexts.map((c) => h('li', { 'data-id': c.id },
          h('span', { className: 'ml-ctx-name' }, c.name), ' ', h('span', { className: 'ml-kind' }, c.type), ' ', h('small', {}, `#${c.id}`))))
        : h('p', { className: 'ml-none' }, 'No contexts.')),
      section(`Events (${x.events.length})`, 'events', eventsView(x)));
    body.scrollTop = 0;
    updateActions(id, ctx.state());
  }

  return {
    el,
    update({ state }) {
      const id = state.selected;
      const opening = el.hidden && id !== null;
      el.hidden = id === null;
      if (id === null) {
        shownId = null;
        return;
      }
      if (opening) {
        // The sheet takes the focus (Esc or ✕ give it back to the row); in a notebook it
        // is scrolled into view, on the page it is fixed in the window.
        title.focus({ preventScroll: true });
        el.scrollIntoView?.({ block: 'nearest' });
      }
      if (id !== shownId) {
        shownId = id;
        show(id);
      }
      updateNav(id);
      updateActions(id, state);
    },
    destroy() {
      shownId = null;
    },
  };
}
