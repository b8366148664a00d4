// The executions table: the seed's columns (plus Type, Ended and any property), sort by
// header, multi-select for comparison, pages or a virtualized scroll over every match, and a
// keyboard row cursor. Rows come from the store already filtered, sorted and paged; this
// view only draws them.
import { drawRows, h, setText } from '../dom.js';
import { formatDuration, formatTime, formatValue, propertyOrder, statusInfo } from '../format.js';
import { language } from '../language.js';

/** Rows fetched per store call in scroll mode (cached by block index). */
const BLOCK = 200;
/** Blocks kept in memory in scroll mode (older ones are fetched again when needed). */
const MAX_BLOCKS = 50;
/** Rows rendered above and below the visible window in scroll mode. */
const OVERSCAN = 20;
/** Scroll mode redraws when the visible rows come this close to the edge of the drawn ones. */
const MARGIN = 6;
/** Executions whose details are kept for property columns. */
const MAX_DETAILS = 3000;
const PAGE_SIZES = [25, 50, 100, 250, 1000];

/**
 * A column: header label, the store's sort key, and how a row's cell is drawn.
 * @typedef {{ key: string, label: string, title?: string, sort: string, cls?: string,
 *             cell: (row: import('../widget.js').ExecutionRow) => (Node|string) }} Column
 */

/** @type {Record<string, Omit<Column, 'key'>>} the built-in columns, in display order */
const BUILTIN = {
  id: { label: 'Execution ID', sort: 'id', cls: 'ml-num', cell: (r) => String(r.id) },
  name: {
    label: 'Name', sort: 'name', cls: 'ml-name',
    cell: (r) => h('button', { type: 'button', className: 'ml-link', 'data-action': 'open', title: `Details of ${r.name}` }, r.name || `#${r.id}`),
  },
  // The short type name; the full one (a TFX class path) on hover.
  type: {
    label: 'Type', sort: 'type',
    cell: (r) => (r.typeFull && r.typeFull !== r.type ? h('span', { title: r.typeFull, 'data-type-full': r.typeFull }, r.type) : r.type || '—'),
  },
  pipeline: { label: 'Pipeline', sort: 'pipeline', cell: (r) => r.pipeline || '—' },
  stage: { label: 'Context/Stage', sort: 'stage', cell: (r) => r.stage || '—' },
  run: { label: 'Run', title: 'Pipeline run (TFX pipeline_run, KFP PipelineRun)', sort: 'run', cls: 'ml-col-run', cell: (r) => r.run || '—' },
  status: {
    label: 'Status', sort: 'status',
    cell: (r) => {
      const s = statusInfo(r.status);
      return h('span', { className: `ml-status ml-status-${s.cls}`, title: s.meaning },
        h('span', { className: 'ml-status-icon', 'aria-hidden': 'true' }, s.icon), ` ${s.label}`);
    },
  },
  started: { label: 'Started', sort: 'started', cls: 'ml-col-time', cell: (r) => formatTime(r.started) },
  ended: { label: 'Ended', sort: 'ended', cls: 'ml-col-time', cell: (r) => formatTime(r.ended) },
  duration: { label: 'Duration', sort: 'duration', cls: 'ml-num', cell: (r) => formatDuration(r.durationMs) },
  gitCommit: {
    label: 'Git Commit', sort: 'gitCommit', cls: 'ml-col-commit',
    cell: (r) => {
      if (!r.gitCommit) return '—';
      const frag = document.createDocumentFragment();
      frag.append(h('code', { title: r.gitCommit }, r.gitCommitShort || r.gitCommit.slice(0, 8)));
      if (globalThis.navigator?.clipboard) {
        frag.append(h('button', { type: 'button', className: 'ml-icon-button ml-copy-commit', 'data-action': 'copy', 'aria-label': 'Copy commit', title: `Copy ${r.gitCommit}` }, copyIcon()));
      }
      return frag;
    },
  },
};
/** A small "copy" icon (two sheets), as SVG: not every font has a copy glyph. */
function copyIcon() {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 16 16', width: '13', height: '13', 'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(k, v);
  for (const [x, y] of [[5, 5], [2, 2]]) {
    const r = document.createElementNS(NS, 'rect');
    for (const [k, v] of Object.entries({ x, y, width: 9, height: 9, rx: 1.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 })) r.setAttribute(k, String(v));
    svg.append(r);
  }
  return svg;
}

const DEFAULT_COLUMNS = ['id', 'name', 'pipeline', 'stage', 'run', 'status', 'started', 'duration', 'gitCommit'];

/**
 * The columns of `columns` the store can fill: `run` only where it records runs
 * (`summary.runs`), so that a cmflib store shows no empty Run column. The table and the
 * CSV of the table's columns both use it.
 * @param {string[]} columns
 * @param {{ runs?: unknown[] } | undefined} summary
 * @returns {string[]}
 */
export function shownColumns(columns, summary) {
  return summary?.runs?.length ? columns : columns.filter((c) => c !== 'run');
}
let uid = 0;
/** The tallest scroll range the table makes (px); beyond it, scrolling is scaled. */
const MAX_SCROLL_PX = 8_000_000;

/**
 * The executions table.
 * @param {import('../widget.js').ViewContext} ctx
 * @returns {{ el: HTMLElement, whenDrawn(): Promise<void>, focusRow(rid: number|null): void, update(data: {state: import('../widget.js').ViewState, page: import('../widget.js').ExecutionPage}): void, destroy(): void }}
 */
export function createTable(ctx) {
  // Long by design: a view factory is the table's closure (its elements, its state and
  // the handlers that share them); each inner function does one job and stays short.
  const id = `mlt${++uid}`;
  // How many executions can be compared, and which state keys are filters: the core's.
  const { compare: { min: MIN_COMPARE, max: MAX_COMPARE }, filterKeys } = language();
  const compareRange = `${MIN_COMPARE} to ${MAX_COMPARE}`;
  const propertyNames = propertyOrder([...new Map((ctx.propertyNames || []).map((p) => [p.name, p])).values()]);

  // ---- property values (rows do not carry them: ask the store for visible rows only) ----
  /** @type {Map<number, any>} */
  const details = new Map();
  /** Executions being fetched for their property values. */
  const fetching = new Set();
  /** Redraws the rows once fetched values arrive (one redraw per frame). */
  let redrawFrame = 0;
  /** The page draw in progress (`renderPage`): a newer one stops an older one's rows. */
  let pageDraw = 0;
  function redrawSoon() {
    redrawFrame ||= requestAnimationFrame(() => {
      redrawFrame = 0;
      if (scrollMode()) renderWindow(true);
      else renderPage();
      refreshRows();
    });
  }
  /** @param {number} execId @param {string} name */
  function propertyValue(execId, name) {
    const ex = details.get(execId);
    if (ex === undefined) {
      if (!fetching.has(execId)) {
        fetching.add(execId);
        ctx.store.execution(execId).catch(() => null).then((x) => {
          fetching.delete(execId);
          if (details.size >= MAX_DETAILS) details.clear();
          details.set(execId, x);
          redrawSoon();
        });
      }
      return undefined;
    }
    if (!ex) return undefined;
    if (ex.properties && name in ex.properties) return ex.properties[name];
    return ex.customProperties?.[name];
  }

  /** @param {string} key @returns {Column|null} */
  function column(key) {
    if (BUILTIN[key]) return { key, ...BUILTIN[key] };
    if (key.startsWith('property:') && key.length > 9) {
      const name = key.slice(9);
      return {
        key, label: name, title: `property:${name}`, sort: key, cls: 'ml-col-prop',
        cell: (r) => {
          const v = propertyValue(r.id, name);
          return h('span', { className: typeof v === 'number' ? 'ml-num' : null, title: v === undefined ? 'not recorded' : null }, formatValue(v));
        },
      };
    }
    return null;
  }

  // ---- toolbar -----------------------------------------------------------------------
  const count = h('span', { 'data-testid': 'execution-count', className: 'ml-count-number' }, '0');
  const countNoun = h('span', {}, ' executions');
  const range = h('span', { className: 'ml-range', 'data-testid': 'row-range' });
  const selection = h('span', { className: 'ml-selection', 'data-testid': 'selection-count', 'aria-live': 'polite' });
  const compareButton = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button', className: 'ml-button ml-primary', 'data-testid': 'compare-button',
    onclick: () => { const n = ctx.state().compare.length; if (n >= MIN_COMPARE && n <= MAX_COMPARE) ctx.set({ comparing: true }); },
  }, 'Compare (0)'));
  const clearSelection = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button', className: 'ml-button', 'data-testid': 'clear-selection', onclick: () => ctx.set({ compare: [] }),
  }, 'Clear selection'));

  const pageSize = /** @type {HTMLSelectElement} */ (h('select', {
    id: `${id}-size`, 'data-testid': 'page-size', onchange: () => ctx.set({ pageSize: Number(pageSize.value) }),
  }, ...PAGE_SIZES.map((n) => h('option', { value: n }, n))));
  const modePages = h('button', { type: 'button', className: 'ml-mode', 'data-testid': 'mode-pages', onclick: () => ctx.set({ mode: 'pages' }) }, 'Pages');
  const modeScroll = h('button', { type: 'button', className: 'ml-mode', 'data-testid': 'mode-scroll', title: 'Scroll through every match (rows are fetched as you scroll)', onclick: () => ctx.set({ mode: 'scroll' }) }, 'Scroll');

  // Column chooser.
  const columnList = h('div', { className: 'ml-columns-list', role: 'group', 'aria-label': 'Columns' });
  const propertyFilter = /** @type {HTMLInputElement} */ (h('input', {
    type: 'search', className: 'ml-columns-filter', placeholder: 'Filter properties', 'aria-label': 'Filter properties',
    oninput: () => {
      const q = propertyFilter.value.toLowerCase();
      for (const row of /** @type {NodeListOf<HTMLElement>} */ (columnList.querySelectorAll('[data-property]'))) row.hidden = !row.getAttribute('data-property').toLowerCase().includes(q);
    },
  }));
  /** @param {string} key @param {string} text @param {string} [title] */
  const chooserItem = (key, text, title) => h('label', { className: 'ml-columns-item', title: title || null, 'data-property': key.startsWith('property:') ? key.slice(9) : null },
    h('input', { type: 'checkbox', value: key, onchange: (/** @type {Event} */ e) => toggleColumn(key, /** @type {HTMLInputElement} */ (e.target).checked) }), text);
  columnList.append(...Object.entries(BUILTIN).filter(([k]) => shownColumns([k], ctx.summary).length).map(([k, c]) => chooserItem(k, c.label)));
  if (propertyNames.length) {
    columnList.append(h('p', { className: 'ml-columns-heading' }, 'Properties'));
    if (propertyNames.length > 8) columnList.append(propertyFilter);
    columnList.append(...propertyNames.map((p) => chooserItem(`property:${p.name}`, `property:${p.name}`,
      `${p.custom ? 'custom ' : ''}property, ${p.kinds.join('/')}, recorded by ${p.executions} executions`)));
  }
  const columnsMenu = /** @type {HTMLDetailsElement} */ (h('details', { className: 'ml-columns', 'data-testid': 'columns-menu' },
    h('summary', { className: 'ml-button' }, 'Columns'),
    h('div', { className: 'ml-columns-pop' }, columnList,
      h('button', { type: 'button', className: 'ml-button', onclick: () => ctx.set({ columns: [...DEFAULT_COLUMNS] }) }, 'Default columns'))));
  columnsMenu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && columnsMenu.open) { e.stopPropagation(); columnsMenu.open = false; columnsMenu.querySelector('summary')?.focus(); }
  });
  const closeMenu = (/** @type {Event} */ e) => { if (columnsMenu.open && !columnsMenu.contains(/** @type {Node} */ (e.target))) columnsMenu.open = false; };
  document.addEventListener('click', closeMenu);

  /** @param {string} key @param {boolean} on */
  function toggleColumn(key, on) {
    const current = ctx.state().columns.filter((k) => k !== key);
    if (on) {
      if (BUILTIN[key]) {
        const order = Object.keys(BUILTIN);
        const at = current.findIndex((k) => !BUILTIN[k] || order.indexOf(k) > order.indexOf(key));
        current.splice(at < 0 ? current.length : at, 0, key);
      } else current.push(key);
    }
    ctx.set({ columns: current });
  }

  const toolbar = h('div', { className: 'ml-toolbar' },
    h('p', { className: 'ml-count' }, count, countNoun, range),
    h('div', { className: 'ml-toolbar-group' }, selection, compareButton, clearSelection),
    h('div', { className: 'ml-toolbar-group ml-toolbar-end' },
      columnsMenu,
      h('label', { className: 'ml-inline', for: pageSize.id }, 'Rows ', pageSize),
      h('div', { className: 'ml-segmented', role: 'group', 'aria-label': 'Display mode' }, modePages, modeScroll)));

  // ---- the table ---------------------------------------------------------------------
  const headerCheck = /** @type {HTMLInputElement} */ (h('input', {
    type: 'checkbox', 'data-testid': 'select-page', 'aria-label': `Select the executions shown (up to ${MAX_COMPARE})`,
    onclick: () => selectVisible(),
  }));
  const thead = h('thead');
  const tbody = h('tbody', { tabindex: '0', className: 'ml-tbody', 'aria-label': 'Executions (arrow keys move, Enter opens, Space selects)' });
  const table = h('table', { 'data-testid': 'executions-table', className: 'ml-table' }, thead, tbody);
  const scroller = h('div', { className: 'ml-table-scroll' }, table);

  /** @param {string} testid @param {string} label @param {string} text */
  const pageButton = (testid, label, text) => /** @type {HTMLButtonElement} */ (h('button', { type: 'button', className: 'ml-button ml-page-button', 'data-testid': testid, 'aria-label': label, title: label }, text));
  const first = pageButton('page-first', 'First page', '«');
  const prev = pageButton('page-prev', 'Previous page', '‹');
  const next = pageButton('page-next', 'Next page', '›');
  const last = pageButton('page-last', 'Last page', '»');
  const pageInfo = h('span', { className: 'ml-page-info', 'data-testid': 'page-info' });
  first.onclick = () => ctx.set({ page: 0 });
  prev.onclick = () => ctx.set({ page: Math.max(0, ctx.state().page - 1) });
  next.onclick = () => ctx.set({ page: Math.min(lastPage(), ctx.state().page + 1) });
  last.onclick = () => ctx.set({ page: lastPage() });
  const pager = h('nav', { className: 'ml-pager', 'aria-label': 'Pages' }, first, prev, pageInfo, next, last);

  const el = h('section', { className: 'ml-table-view', 'data-testid': 'table-view', 'aria-label': 'Executions' }, toolbar, scroller, pager);

  // ---- view-local state --------------------------------------------------------------
  /** @type {import('../widget.js').ViewState} */
  let state = ctx.state();
  let total = 0;
  /** @type {Column[]} */
  let cols = [];
  let headKey = '';
  /** Pages mode: the rows of the page, and what they were built from. */
  let rows = /** @type {import('../widget.js').ExecutionRow[]} */ ([]);
  let offset = 0;
  let rowsKey = '';
  /** Row cursor: an index into `rows` (pages) or into every match (scroll). */
  let cursor = -1;
  /** @type {'first'|'last'|null} where the cursor goes after a keyboard page turn */
  let cursorAfterTurn = null;
  /** Index of the last row whose checkbox was clicked (shift-click selects a range). */
  let anchor = -1;
  /** Scroll mode: blocks of rows by index, the key they were fetched for, what is drawn. */
  const blocks = new Map();
  /** Blocks asked of the store and not yet arrived. */
  const pendingBlocks = new Set();
  let blockKey = '';
  let rowHeight = 33;
  let measured = '';
  let win = { start: -1, end: -1 };
  /** @type {Map<number, HTMLTableRowElement>} */
  let drawn = new Map();
  let frame = 0;
  /** The scroller's geometry, read before the DOM is changed (no forced layout after). */
  const viewport = { top: 0, height: 600, head: 33 };
  /** Column widths are frozen in scroll mode (stable columns, cheap layout per frame). */
  let frozen = '';
  const colgroup = h('colgroup');
  const topSpacer = h('tr', { className: 'ml-spacer', 'aria-hidden': 'true' }, h('td'));
  const bottomSpacer = h('tr', { className: 'ml-spacer', 'aria-hidden': 'true' }, h('td'));

  const lastPage = () => Math.max(0, Math.ceil(total / state.pageSize) - 1);
  const scrollMode = () => state.mode === 'scroll';
  const rowCount = () => (scrollMode() ? total : rows.length);

  /** The row at an index (scroll mode fetches its block when missing). */
  function rowAt(i) {
    if (!scrollMode()) return rows[i];
    if (i < 0 || i >= total) return undefined;
    const b = Math.floor(i / BLOCK);
    const block = blocks.get(b);
    if (!block) {
      // Fetched from the store's worker; the window is drawn again when it arrives.
      if (!pendingBlocks.has(b)) {
        pendingBlocks.add(b);
        const key = blockKey;
        ctx.fetchRows(b * BLOCK, BLOCK).catch(() => []).then((got) => {
          if (key !== blockKey) return;
          pendingBlocks.delete(b);
          if (blocks.size >= MAX_BLOCKS) blocks.delete(blocks.keys().next().value);
          blocks.set(b, got);
          if (scrollMode()) renderWindow(true);
          refreshRows();
        });
      }
      return undefined;
    }
    return block[i - b * BLOCK];
  }

  // ---- header ------------------------------------------------------------------------
  function renderHead() {
    const key = JSON.stringify([cols.map((c) => c.key), state.sort]);
    if (key === headKey) return;
    headKey = key;
    const sortKey = state.sort.replace(/^-/, '');
    const desc = state.sort.startsWith('-');
    thead.replaceChildren(h('tr', {},
      h('th', { scope: 'col', className: 'ml-check' }, headerCheck),
      ...cols.map((c) => {
        const sorted = c.sort === sortKey;
        const nextSort = sorted && !desc ? `-${c.sort}` : c.sort;
        return h('th', { scope: 'col', className: c.cls || null, 'aria-sort': sorted ? (desc ? 'descending' : 'ascending') : 'none', 'data-column': c.key },
          h('button', {
            type: 'button', className: 'ml-sort', title: `${c.title || c.label}: sort ${nextSort.startsWith('-') ? 'descending' : 'ascending'}`,
            onclick: () => ctx.set({ sort: nextSort, page: 0 }),
          }, c.label, h('span', { className: 'ml-sort-arrow', 'aria-hidden': 'true' }, sorted ? (desc ? '▼' : '▲') : '↕')));
      }),
      h('th', { scope: 'col', className: 'ml-actions' }, 'Actions')));
  }

  // ---- rows --------------------------------------------------------------------------
  /** @param {import('../widget.js').ExecutionRow} r @param {number} index */
  function renderRow(r, index) {
    const box = h('input', { type: 'checkbox', className: 'ml-select', 'aria-label': `Select execution ${r.id} for comparison` });
    const alerts = Array.isArray(r.alerts) && r.alerts.length ? r.alerts : null;
    const tr = /** @type {HTMLTableRowElement} */ (h('tr', {
      'data-testid': 'execution-row', 'data-id': r.id, 'data-index': index, id: `${id}-row-${r.id}`,
      className: `ml-row${index % 2 ? ' ml-odd' : ''}${alerts ? ' ml-alert' : ''}`,
      'aria-rowindex': (scrollMode() ? index : offset + index) + 2,
    },
    h('td', { className: 'ml-check' }, box,
      alerts && h('span', { className: 'ml-alert-mark', role: 'img', title: `Alerts: ${alerts.join(', ')}`, 'aria-label': `Alerts: ${alerts.join(', ')}` }, '⚠')),
    ...cols.map((c) => {
      const content = c.cell(r);
      // Plain text may be cut with an ellipsis: the full text is the cell's tooltip.
      return h('td', { className: c.cls || null, 'data-col': c.key, title: typeof content === 'string' && content.length > 12 ? content : null }, content);
    }),
    h('td', { className: 'ml-actions' },
      h('button', { type: 'button', className: 'ml-button ml-small', 'data-action': 'details', title: `Details of execution ${r.id}` }, 'Details'),
      h('button', { type: 'button', className: 'ml-button ml-small', 'data-action': 'lineage', title: `Lineage of execution ${r.id}: the artifacts it read and wrote, and the executions around them` }, 'Lineage'))));
    return tr;
  }

  /** Brings a drawn row's checkbox, selection and cursor marks up to date. */
  function refreshRow(tr) {
    const rid = Number(tr.dataset.id);
    const picked = state.compare.includes(rid);
    const box = /** @type {HTMLInputElement} */ (tr.querySelector('.ml-select'));
    box.checked = picked;
    box.disabled = !picked && state.compare.length >= MAX_COMPARE;
    box.title = box.disabled ? `At most ${MAX_COMPARE} executions can be compared: clear one first` : '';
    tr.classList.toggle('ml-picked', picked);
    const selected = state.selected === rid;
    tr.classList.toggle('ml-selected', selected);
    tr.setAttribute('aria-selected', String(selected));
    tr.classList.toggle('ml-cursor', Number(tr.dataset.index) === cursor);
  }

  const drawnRows = () => /** @type {HTMLTableRowElement[]} */ ([...tbody.querySelectorAll('tr.ml-row')]);

  function refreshRows() {
    for (const tr of drawnRows()) refreshRow(tr);
    const cur = drawnRows().find((tr) => Number(tr.dataset.index) === cursor);
    if (cur) tbody.setAttribute('aria-activedescendant', cur.id);
    else tbody.removeAttribute('aria-activedescendant');
    // Header checkbox: the rows on screen.
    const visible = visibleIds();
    const on = visible.filter((v) => state.compare.includes(v)).length;
    headerCheck.checked = on > 0 && on === visible.length;
    headerCheck.indeterminate = on > 0 && !headerCheck.checked;
    headerCheck.disabled = visible.length === 0;
  }

  /** Ids of the rows the user can see (the page, or the rows inside the scroller). */
  function visibleIds() {
    if (!scrollMode()) return rows.map((r) => r.id);
    const top = viewport.top;
    const bottom = top + viewport.height - viewport.head;
    const out = [];
    for (const [i, tr] of drawn) {
      if (!tr.dataset.id) continue; // still on its way
      const y = i * rowHeight;
      if (y + rowHeight > rowsTop(top) && y < rowsTop(top) + (bottom - top)) out.push(Number(tr.dataset.id));
    }
    return out;
  }

  /** Answers to "why is it empty", newest only (a later filter replaces an older one). */
  let explainToken = 0;

  function emptyRow() {
    const filtered = filterKeys.some((k) => state[k]) || state.alerted;
    const none = (ctx.summary?.executions ?? 1) === 0;
    const why = h('div', { className: 'ml-empty-explain', 'data-testid': 'empty-explain' });
    const clearAll = () => ctx.set({ ...Object.fromEntries(filterKeys.map((k) => [k, ''])), alerted: false });
    const row = h('tr', { className: 'ml-empty', 'data-testid': 'empty-row' },
      h('td', { colspan: cols.length + 2 },
        h('p', {}, none ? 'This file records no executions.' : 'No executions match.'),
        why,
        filtered && h('button', {
          type: 'button', className: 'ml-button', 'data-testid': 'empty-clear', onclick: clearAll,
        }, 'Clear filters')));
    if (filtered && !none) explain(why, ++explainToken);
    return row;
  }

  /**
   * Fills `el` with the core's explanation of the empty result: each part of the filter
   * with what it finds alone, the store's note (no states recorded), and one-click ways
   * back (remove a part, a suggested query).
   * @param {HTMLElement} el @param {number} token
   */
  async function explain(el, token) {
    let why;
    try { why = await ctx.store.explainEmpty(ctx.filters(), { supersede: 'explain' }); } catch { return; }
    if (token !== explainToken || why.matched > 0) return;
    const zero = why.parts.filter((p) => p.matched === 0);
    const label = (p) => (p.key === 'query' ? p.text : `${p.key} = ${p.text}`);
    const lines = [];
    for (const p of why.parts) {
      const remove = () => {
        if (p.key !== 'query') ctx.set({ [p.key]: '' });
        else ctx.set({ query: p.rest ?? '' });
      };
      lines.push(h('li', { 'data-testid': 'empty-part', 'data-key': p.key, 'data-matched': p.matched },
        h('code', {}, label(p)), ` matched ${p.matched} of ${why.total}`,
        p.without > 0 ? ` — without it: ${p.without} ` : ' ',
        p.without > 0 && h('button', { type: 'button', className: 'ml-button', 'data-testid': 'empty-remove', onclick: remove }, `Remove ${label(p)}`)));
    }
    if (state.alerted) lines.push(h('li', {}, '“Alerted only” lists only executions an alert flags.'));
    const notes = why.notes.map((n) => h('p', { className: 'ml-empty-note', 'data-testid': 'empty-note' },
      zero.length === 1 ? `${label(zero[0])} matched 0 — ${n}` : n));
    const tips = why.suggestions.map((sg) => h('button', {
      type: 'button', className: 'ml-button', 'data-testid': 'empty-suggestion', title: sg.meaning,
      onclick: () => ctx.set({ query: sg.query, status: '' }),
    }, `Try ${sg.query} (${sg.matched})`));
    el.replaceChildren(...notes, h('ul', { className: 'ml-empty-why' }, ...lines),
      tips.length ? h('div', { className: 'ml-empty-actions' }, ...tips) : '');
  }

  /**
   * Draws the page's rows a few a frame (`drawRows`: a first page of 50 rows with the
   * viewer around it was one frame of ~100 ms of style and layout). The table is
   * `aria-busy` until the last row is in; a newer draw drops an older one's rows.
   */
  function renderPage() {
    const draw = ++pageDraw;
    const list = rows;
    if (total === 0) { tbody.replaceChildren(emptyRow()); busy(false); return; }
    busy(drawRows(tbody, list.length, (i) => renderRow(list[i], i), {
      // Only a newer draw (or scroll mode) stops this one: an update that keeps the same
      // page hands over an equal array of rows without redrawing.
      current: () => draw === pageDraw && !scrollMode(),
      each: refreshRows,
      done: () => busy(false),
    }));
  }
  /** Called when the rows being drawn are all in. @type {Array<() => void>} */
  let whenDone = [];
  /** Marks the table as still receiving rows (`aria-busy`), or done. @param {boolean} on */
  function busy(on) {
    if (on) { table.setAttribute('aria-busy', 'true'); return; }
    table.removeAttribute('aria-busy');
    const waiting = whenDone;
    whenDone = [];
    for (const f of waiting) f();
  }

  // ---- scroll mode -------------------------------------------------------------------
  /** Draws the rows in (and around) the scroller's viewport; `force` redraws every row. */
  function readViewport() {
    viewport.top = scroller.scrollTop;
    viewport.height = scroller.clientHeight || 600;
    viewport.head = thead.offsetHeight;
    // The rows' real height (it changes when the stylesheet arrives or the font does),
    // read while layout is clean: the scroll geometry is only right with it.
    const row = [...drawn.values()].find((tr) => tr.dataset.id);
    const hgt = row?.isConnected ? row.getBoundingClientRect().height : 0;
    if (hgt > 0 && Math.abs(hgt - rowHeight) > 0.25) rowHeight = hgt;
  }

  /**
   * The scroll geometry: Chromium stops growing an element near 16.7 M px (row ~500k at
   * 33 px), so past MAX_SCROLL_PX the scroll range is scaled: scrolling by one pixel moves
   * `k` pixels through the rows, and the last row stays reachable at any count.
   */
  function geometry() {
    const natural = total * rowHeight;
    const height = Math.min(natural, MAX_SCROLL_PX);
    const view = Math.max(0, viewport.height - viewport.head);
    const k = natural > height && height > view ? (natural - view) / (height - view) : 1;
    return { height, k };
  }

  /** Where the rows' top is, in rows' pixels, for a scroll position (and back). */
  const rowsTop = (scrollTop) => scrollTop * geometry().k;
  const scrollFor = (top) => top / geometry().k;

  /** Sizes the spacers so that the drawn rows sit where the scroll position says. */
  function placeSpacers(start, end) {
    const { height, k } = geometry();
    const topPx = k === 1 ? start * rowHeight : Math.max(0, viewport.top - (rowsTop(viewport.top) - start * rowHeight));
    const bottomPx = k === 1 ? (total - end) * rowHeight : Math.max(0, height - topPx - (end - start) * rowHeight);
    topSpacer.hidden = topPx === 0;
    bottomSpacer.hidden = bottomPx === 0;
    /** @type {HTMLElement} */ (topSpacer.firstElementChild).style.height = `${topPx}px`;
    /** @type {HTMLElement} */ (bottomSpacer.firstElementChild).style.height = `${bottomPx}px`;
  }

  /**
   * Scroll mode: fixes the column widths to those of the first rows drawn, so that rows
   * coming and going never re-flow the columns (and layout stays cheap at 100k rows).
   */
  function freezeColumns(key) {
    if (frozen === key) return;
    unfreezeColumns();
    const widths = [...thead.querySelectorAll('th')].map((th) => Math.ceil(th.getBoundingClientRect().width));
    if (!widths.length || widths.some((w) => w === 0)) return;
    frozen = key;
    colgroup.replaceChildren(...widths.map((w) => { const col = h('col'); col.style.width = `${w}px`; return col; }));
    table.prepend(colgroup);
    table.style.width = `${widths.reduce((a, b) => a + b, 0)}px`;
    table.classList.add('ml-fixed');
  }

  function unfreezeColumns() {
    if (!frozen && !colgroup.isConnected) return;
    frozen = '';
    colgroup.remove();
    table.style.width = '';
    table.classList.remove('ml-fixed');
  }

  function renderWindow(force) {
    if (total === 0) {
      win = { start: -1, end: -1 };
      drawn = new Map();
      tbody.replaceChildren(emptyRow());
      return;
    }
    readViewport();
    const top = rowsTop(viewport.top);
    const first = Math.min(total - 1, Math.floor(top / rowHeight));
    const last = Math.min(total, Math.ceil((top + viewport.height) / rowHeight));
    // Keep what is drawn while the visible rows stay inside it with a margin: the DOM then
    // changes every few rows scrolled, not on every frame.
    const inside = win.start >= 0 && first >= win.start && last <= win.end
      && (win.start === 0 || first - win.start >= MARGIN) && (win.end === total || win.end - last >= MARGIN);
    const scaled = geometry().k !== 1;
    // Scaled, the rows move against the scroll: the spacers change on every frame.
    if (!force && inside) { if (scaled) placeSpacers(win.start, win.end); return; }
    const start = Math.max(0, first - OVERSCAN);
    const end = Math.min(total, last + OVERSCAN);
    if (!force && start === win.start && end === win.end) { if (scaled) placeSpacers(start, end); return; }
    const old = win;
    win = { start, end };
    /** @param {number} i */
    const make = (i) => {
      const r = rowAt(i);
      // A row still on its way from the store holds its place (the scroll geometry
      // counts on every row of the window being there).
      if (r) return renderRow(r, i);
      const tr = /** @type {HTMLTableRowElement} */ (h('tr', { className: 'ml-pending', 'aria-hidden': 'true' }, h('td', { colspan: cols.length + 2 }, '…')));
      tr.style.height = `${rowHeight}px`;
      return tr;
    };
    if (force || old.start < 0 || start >= old.end || end <= old.start || !topSpacer.isConnected) {
      // Nothing to keep: draw the window afresh.
      drawn = new Map();
      for (let i = start; i < end; i++) {
        const tr = make(i);
        if (tr) drawn.set(i, tr);
      }
      tbody.replaceChildren(topSpacer, ...drawn.values(), bottomSpacer);
    } else {
      // Overlap: drop the rows that left, add the ones that came, keep the rest in place.
      for (const [i, tr] of drawn) {
        if (i < start || i >= end) { tr.remove(); drawn.delete(i); }
      }
      const above = document.createDocumentFragment();
      for (let i = start; i < Math.min(old.start, end); i++) {
        const tr = make(i);
        if (tr) { above.append(tr); drawn.set(i, tr); }
      }
      topSpacer.after(above);
      const below = document.createDocumentFragment();
      for (let i = Math.max(old.end, start); i < end; i++) {
        const tr = make(i);
        if (tr) { below.append(tr); drawn.set(i, tr); }
      }
      bottomSpacer.before(below);
    }
    placeSpacers(start, end);
    for (const sp of [topSpacer, bottomSpacer]) sp.firstElementChild.setAttribute('colspan', String(cols.length + 2));
    refreshRows();
    // Rows are one line high by CSS; measure once per column set so spacers stay exact.
    const key = cols.map((c) => c.key).join();
    const firstRow = [...drawn.values()].find((tr) => tr.dataset.id);
    if (firstRow && measured !== key) {
      measured = key;
      freezeColumns(`${key}|${blockKey}`);
      const hgt = firstRow.getBoundingClientRect().height;
      if (hgt > 0 && Math.abs(hgt - rowHeight) > 0.5) {
        rowHeight = hgt;
        renderWindow(true);
      }
    }
  }

  const onScroll = () => {
    if (!scrollMode() || frame) return;
    frame = requestAnimationFrame(() => { frame = 0; renderWindow(false); });
  };
  scroller.addEventListener('scroll', onScroll, { passive: true });

  // ---- selection ---------------------------------------------------------------------
  /** @param {number[]} ids @param {boolean} on */
  function pick(ids, on) {
    let c = [...ctx.state().compare];
    for (const v of ids) {
      if (on && !c.includes(v) && c.length < MAX_COMPARE) c.push(v);
      if (!on) c = c.filter((x) => x !== v);
    }
    ctx.set({ compare: c });
  }

  function selectVisible() {
    const visible = visibleIds();
    const any = visible.some((v) => ctx.state().compare.includes(v));
    pick(visible, !any);
  }

  tbody.addEventListener('click', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const tr = /** @type {HTMLTableRowElement|null} */ (target.closest('tr.ml-row'));
    if (!tr) return;
    const rid = Number(tr.dataset.id);
    const index = Number(tr.dataset.index);
    if (target.matches('input.ml-select')) {
      const on = /** @type {HTMLInputElement} */ (target).checked;
      if (e.shiftKey && anchor >= 0 && anchor !== index) {
        const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
        const ids = [];
        for (let i = a; i <= b; i++) { const r = rowAt(i); if (r) ids.push(r.id); }
        // The clicked row first, so it is never the one dropped by the limit.
        pick([rid, ...ids.filter((v) => v !== rid)], on);
      } else pick([rid], on);
      anchor = index;
      cursor = index;
      return;
    }
    const action = target.closest('[data-action]')?.getAttribute('data-action');
    if (action === 'open' || action === 'details') ctx.set({ selected: rid });
    else if (action === 'lineage') ctx.set({ lineage: `e${rid}`, selected: null });
    else if (action === 'copy') {
      const full = tr.querySelector('.ml-col-commit code')?.getAttribute('title') || '';
      const btn = /** @type {HTMLElement} */ (target.closest('[data-action]'));
      navigator.clipboard?.writeText(full).then(() => {
        setText(btn, '✓');
        btn.title = 'Copied';
        setTimeout(() => { btn.replaceChildren(copyIcon()); btn.title = `Copy ${full}`; }, 1200);
      }, () => { btn.title = 'Copy failed (clipboard not allowed here)'; });
    } else if (!target.closest('button, input, a, select')) {
      cursor = index;
      refreshRows();
    }
  });

  // ---- keyboard ----------------------------------------------------------------------
  /** Moves the cursor to an index (turning pages in pages mode) and scrolls it into view. */
  function moveCursor(i) {
    const n = rowCount();
    if (!scrollMode()) {
      if (i >= n && state.page < lastPage()) { cursorAfterTurn = 'first'; ctx.set({ page: state.page + 1 }); return; }
      if (i < 0 && state.page > 0) { cursorAfterTurn = 'last'; ctx.set({ page: state.page - 1 }); return; }
    }
    if (n === 0) return;
    cursor = Math.max(0, Math.min(n - 1, i));
    if (scrollMode()) {
      const y = cursor * rowHeight;
      readViewport();
      const view = viewport.height - viewport.head;
      const top = rowsTop(scroller.scrollTop);
      if (y < top) scroller.scrollTop = scrollFor(y);
      else if (y + rowHeight > top + view) scroller.scrollTop = scrollFor(y + rowHeight - view);
      renderWindow(false);
    }
    refreshRows();
    const tr = drawnRows().find((t) => Number(t.dataset.index) === cursor);
    if (tr && !scrollMode()) tr.scrollIntoView({ block: 'nearest' });
  }

  tbody.addEventListener('keydown', (e) => {
    if (e.target !== tbody || e.altKey || e.ctrlKey || e.metaKey) return;
    const n = rowCount();
    const pageRows = Math.max(1, Math.floor((scroller.clientHeight - thead.offsetHeight) / rowHeight) - 1);
    const at = cursor < 0 ? -1 : cursor;
    const r = at >= 0 ? rowAt(at) : undefined;
    switch (e.key) {
      case 'ArrowDown': moveCursor(at + 1); break;
      case 'ArrowUp': moveCursor(at < 0 ? 0 : at - 1); break;
      case 'PageDown': moveCursor(Math.min(n - 1, at + pageRows)); break;
      case 'PageUp': moveCursor(Math.max(0, at - pageRows)); break;
      case 'Home': moveCursor(0); break;
      case 'End': moveCursor(n - 1); break;
      case 'Enter': if (r) ctx.set({ selected: r.id }); break;
      case ' ': if (r) pick([r.id], !ctx.state().compare.includes(r.id)); break;
      default: return;
    }
    e.preventDefault();
  });
  tbody.addEventListener('focus', () => {
    if (cursor >= 0 || rowCount() === 0) return;
    const sel = drawnRows().find((tr) => Number(tr.dataset.id) === state.selected);
    cursor = sel ? Number(sel.dataset.index) : (scrollMode() ? Math.max(0, win.start) : 0);
    refreshRows();
  });

  // ---- update ------------------------------------------------------------------------
  return {
    el,
    /**
     * Resolves once the rows being drawn are all in (at once when none are coming).
     * @returns {Promise<void>}
     */
    whenDrawn() {
      if (!table.hasAttribute('aria-busy')) return Promise.resolve();
      return new Promise((resolve) => { whenDone.push(resolve); });
    },
    /**
     * Focuses the table with the row cursor on execution `rid` when it is drawn (the
     * closed details sheet gives the focus back to its row; the skip link lands here).
     * @param {number|null} rid
     */
    focusRow(rid) {
      const tr = rid === null ? undefined : drawnRows().find((t) => Number(t.dataset.id) === rid);
      if (tr) cursor = Number(tr.dataset.index);
      tbody.focus({ preventScroll: true });
      refreshRows();
      (tr ?? tbody).scrollIntoView({ block: 'nearest' });
    },
    update({ state: s, page }) {
      state = s;
      total = page?.total ?? 0;
      const wanted = shownColumns(state.columns, ctx.summary).map(column).filter((c) => c !== null);
      cols = /** @type {Column[]} */ (wanted.length ? wanted : shownColumns(DEFAULT_COLUMNS, ctx.summary).map(column));
      const colKey = cols.map((c) => c.key).join();

      // Toolbar.
      setText(count, total);
      setText(countNoun, total === 1 ? ' execution' : ' executions');
      const n = state.compare.length;
      setText(selection, n ? `${n} selected` : `Select ${MIN_COMPARE}–${MAX_COMPARE} to compare`);
      setText(compareButton, `Compare (${n})`);
      compareButton.disabled = n < MIN_COMPARE || n > MAX_COMPARE;
      compareButton.title = compareButton.disabled ? `Select ${compareRange} executions (checkboxes) to compare them` : `Compare the ${n} selected executions`;
      clearSelection.disabled = n === 0;
      if (![...pageSize.options].some((o) => Number(o.value) === state.pageSize)) pageSize.append(h('option', { value: state.pageSize }, state.pageSize));
      pageSize.value = String(state.pageSize);
      modePages.setAttribute('aria-pressed', String(!scrollMode()));
      modeScroll.setAttribute('aria-pressed', String(scrollMode()));
      pageSize.disabled = scrollMode();
      for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (columnList.querySelectorAll('input[type=checkbox]'))) box.checked = cols.some((c) => c.key === box.value);
      el.classList.toggle('ml-scroll-mode', scrollMode());
      table.setAttribute('aria-rowcount', String(total + 1));
      renderHead();

      if (scrollMode()) {
        pageDraw++;
        busy(false);
        pager.hidden = true;
        setText(range, '');
        rows = [];
        rowsKey = '';
        const key = `${JSON.stringify(ctx.filters())}|${state.sort}`;
        let force = colKey !== measured || drawn.size === 0;
        if (key !== blockKey) {
          blocks.clear();
          pendingBlocks.clear();
          blockKey = key;
          scroller.scrollTop = 0;
          cursor = -1;
          anchor = -1;
          force = true;
        }
        if (force) { measured = ''; unfreezeColumns(); }
        renderWindow(force);
        refreshRows();
        return;
      }

      // Pages mode.
      unfreezeColumns();
      blockKey = '';
      drawn = new Map();
      win = { start: -1, end: -1 };
      rows = page?.rows ?? [];
      offset = page?.offset ?? 0;
      if (total > 0 && rows.length === 0 && state.page > lastPage()) { ctx.set({ page: lastPage() }); return; }
      const key = JSON.stringify([ctx.filters(), state.sort, offset, colKey, total, rows.map((r) => r.id)]);
      if (key !== rowsKey) {
        if (rowsKey && !cursorAfterTurn) { cursor = -1; anchor = -1; }
        rowsKey = key;
        renderPage();
      }
      if (cursorAfterTurn) {
        cursor = cursorAfterTurn === 'first' ? 0 : rows.length - 1;
        cursorAfterTurn = null;
        anchor = -1;
      }
      refreshRows();
      const pages = lastPage() + 1;
      pager.hidden = total <= state.pageSize && state.page === 0;
      setText(pageInfo, `Page ${state.page + 1} of ${pages}`);
      setText(range, total ? ` · showing ${offset + 1}–${offset + rows.length}` : '');
      first.disabled = prev.disabled = state.page === 0;
      next.disabled = last.disabled = state.page >= lastPage();
    },
    destroy() {
      pageDraw++;
      cancelAnimationFrame(frame);
      cancelAnimationFrame(redrawFrame);
      document.removeEventListener('click', closeMenu);
      scroller.removeEventListener('scroll', onScroll);
    },
  };
}
