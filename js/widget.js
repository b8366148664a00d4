// The viewer widget: one entry, `render(el, store, options)`, used by the page (www/) and
// by the notebook renderers. It owns the view state and asks the wasm store for every
// number it shows; the views in js/views/ only draw.
import { drawRows, h, setText } from './dom.js';
import { formatNumber, formatTime } from './format.js';
import { statusBadge } from './views/details.js';
import { createFilters } from './views/filters.js';
import { createDashboard } from './views/dashboard.js';
import { createTable } from './views/table.js';
import { createTimeline } from './views/timeline.js';
import { createDetails } from './views/details.js';
import { createCompare } from './views/compare.js';
import { createCompareRuns } from './views/compare-runs.js';
import { createAlerts, alertedQuery } from './views/alerts.js';
import { createExport } from './views/export.js';
import { createLineage, lineageKey } from './views/lineage.js';
import { language } from './language.js';

/**
 * Every view state, with its default. Each is a URL parameter on the page (js/url-state.js).
 * @typedef {{
 *   query: string, pipeline: string, stage: string, run: string, type: string, status: string,
 *   from: string, to: string, branch: string, sort: string, page: number, pageSize: number,
 *   mode: 'pages'|'scroll', tab: 'table'|'timeline', timelineGroup: 'stage'|'run',
 *   selected: number|null, baseline: number|null,
 *   compare: number[], comparing: boolean, compareRuns: number[], columns: string[],
 *   alerts: AlertRules, alerted: boolean, lineage: string, lineageDepth: number
 * }} ViewState
 * `lineage` is the root of the lineage graph shown (a node key: `e12`, `a5`, `c3`; '' for none).
 */
/**
 * The alert rules of the view (the core's `alerts` option; rules always named here).
 * @typedef {{ failed: boolean, longRunningMs?: number, longRunningFactor?: number,
 *             rules: Array<{ name: string, query: string }> }} AlertRules
 */
/** Most rules a view keeps (a URL carries them). */
export const MAX_ALERT_RULES = 20;
export const DEFAULT_STATE = Object.freeze({
  query: '', pipeline: '', stage: '', run: '', type: '', status: '', from: '', to: '', branch: '',
  sort: 'id', page: 0, pageSize: 50, mode: 'pages', tab: 'table', timelineGroup: 'stage',
  selected: null, baseline: null,
  compare: [], comparing: false,
  // The runs compared stage by stage (js/views/compare-runs.js; open when 2 or more).
  compareRuns: [],
  // `run` shows only where the store has runs (js/views/table.js `shownColumns`).
  columns: ['id', 'name', 'pipeline', 'stage', 'run', 'status', 'started', 'duration', 'gitCommit'],
  // The alerts that flag rows (failed, over 3 × the stage median, rules), and whether only
  // flagged executions are listed.
  alerts: Object.freeze(/** @type {AlertRules} */ ({ failed: true, longRunningFactor: 3, rules: [] })),
  alerted: false,
  // The lineage graph shown (its root's node key) and its depth in execution hops.
  lineage: '', lineageDepth: 2,
});

/**
 * The store the views draw from: the worker client of js/client.js, whose methods are the
 * core's `MlmdStore` methods (typed by pkg/mlmd_lens.d.ts, generated from the Rust types),
 * each returning a Promise. A view that reads a field the core does not return fails
 * `make test-types`.
 * @typedef {import('./client.js').StoreClient} MlmdStore
 */
/** @typedef {import('../pkg/mlmd_lens.js').Summary} Summary */
/** @typedef {import('../pkg/mlmd_lens.js').ExecutionPage} ExecutionPage */
/** @typedef {ExecutionPage['rows'][number]} ExecutionRow */
/** @typedef {import('../pkg/mlmd_lens.js').Stats} Stats */
/** @typedef {import('../pkg/mlmd_lens.js').PropertyName[]} PropertyNames */

/**
 * The context every view gets.
 * @typedef {{
 *   store: MlmdStore,
 *   state: () => ViewState,
 *   set: (patch: Partial<ViewState>) => void,
 *   filters: () => Record<string, string>,
 *   fetchRows: (offset: number, limit: number) => Promise<ExecutionRow[]>,
 *   summary: Summary,
 *   propertyNames: PropertyNames,
 *   alerts: () => AlertRules,
 *   root: HTMLElement,
 *   page: boolean,
 * }} ViewContext
 * `page`: the viewer owns the window (the standalone page, the offline HTML): sheets are
 * fixed in the window and `/` and Esc work from anywhere on it.
 */

/** True for the rejection of a request that a newer one replaced. */
const superseded = (e) => e?.kind === 'cancelled';

/**
 * Renders the viewer for an opened store into `el`. While the store's index builds, the
 * first rows (`store.firstPage`) are shown with the indexing progress; the views follow
 * once the store answers.
 * @param {HTMLElement} el
 * @param {MlmdStore} store an opened store (js/client.js `openStore`)
 * @param {{ state?: Partial<ViewState>, onStateChange?: (s: ViewState) => void,
 *           height?: string, alerts?: object, fileName?: string, stylesheet?: string|false,
 *           onReady?: (summary: Summary) => void, onError?: (e: Error) => void,
 *           saveOffline?: (ids: number[] | null, note: (s: string) => void) => Promise<void>,
 *           pdfUnavailable?: string, page?: boolean }} [options]
 *           `saveOffline`: a host that can write an offline viewer file gets an export menu item for it;
 *           `pdfUnavailable`: why the host cannot load the PDF module (its menu item is disabled, saying so);
 *           `page`: the viewer owns the window (the page host): `/` and Esc work anywhere on the
 *           page and the details sheet is fixed in the window. Notebook hosts leave it off, so
 *           the keys stay scoped to the widget and the notebook's own shortcuts keep working.
 * @returns {{ setState(patch: Partial<ViewState>): void, getState(): ViewState, destroy(): void,
 *             ready: Promise<void> }}
 */
export function render(el, store, options = {}) {
  // Long by design: the widget's closure wires the views to one state and one store; the
  // views (js/views/) do the drawing and the core does every computation.
  /** @type {ViewState} */
  // A host's `alerts` option is the starting rules; a state (URL, notebook) overrides it.
  let state = { ...DEFAULT_STATE, ...(options.alerts ? sanitize({ alerts: options.alerts }) : {}), ...sanitize(options.state || {}) };
  /** @type {string[]} the state keys that narrow the executions (the core's; a change resets paging) */
  const filterKeys = language().filterKeys;
  /** State keys that change which executions are listed besides the core's filter keys. */
  const listingKeys = [...filterKeys, 'alerts', 'alerted'];

  const page = options.page === true;
  const root = h('div', { className: `mlmd-lens${page ? ' ml-page' : ''}`, 'data-testid': 'viewer', 'data-engine': store.mode ?? '' });
  if (options.height) root.style.setProperty('--mlmd-height', options.height);
  // The stylesheet sits beside this module; hosts that inline it (the offline HTML, the
  // notebook bundles) pass `stylesheet: false` or their own URL.
  const href = options.stylesheet ?? new URL('./widget.css', import.meta.url).href;
  const link = href ? h('link', { rel: 'stylesheet', href }) : null;
  if (link) {
    // Show the viewer once its styles apply (no flash of an unstyled, over-wide table).
    root.style.opacity = '0'; // not visibility: elements stay focusable
    const shown = () => { root.style.opacity = ''; };
    link.addEventListener('load', shown, { once: true });
    link.addEventListener('error', shown, { once: true });
  }
  el.replaceChildren(...(link ? [link] : []), root);
  let destroyed = false;
  /** @type {null | { setState(patch: Partial<ViewState>): void, destroy(): void }} */
  let live = null;
  const preview = store.firstPage ? createPreview(store.firstPage) : null;
  if (preview) root.append(preview.el);
  warmUp();

  const ready = Promise.all([store.summary(), store.propertyNames().catch(() => [])]).then(([summary, propertyNames]) => {
    if (destroyed) return;
    // The first rows stay on screen until the views have drawn their first answer.
    live = mount(summary, propertyNames, () => preview?.el.remove());
    options.onReady?.(summary);
  }, (e) => {
    if (destroyed) return;
    preview?.el.remove();
    root.append(h('p', { className: 'ml-error', role: 'alert', 'data-testid': 'viewer-error', 'data-kind': e?.kind ?? 'error' },
      e instanceof Error ? e.message : String(e)));
    options.onError?.(e);
  });
  ready.finally(() => preview?.off?.());

  /** @param {Summary} summary @param {PropertyNames} propertyNames @param {() => void} onShown */
  function mount(summary, propertyNames, onShown) {
    // The filters as the core takes them, with the alert rules (which `alert:` terms and
    // "Alerted only" refer to).
    const filterOptions = () => {
      const o = Object.fromEntries(filterKeys.map((k) => [k, state[k]]).filter(([, v]) => v !== ''));
      const query = alertedQuery(state.query, state.alerted);
      if (query) o.query = query;
      return { ...o, alerts: state.alerts };
    };
    /** @type {ViewContext} */
    const ctx = {
      store, summary, propertyNames, root, page,
      alerts: () => state.alerts,
      state: () => state,
      set: (patch) => setState(patch),
      filters: filterOptions,
      fetchRows: async (offset, limit) => (await store.executions({ ...filterOptions(), sort: state.sort, offset, limit })).rows,
    };
    const filters = createFilters(ctx);
    const alertsPanel = createAlerts(ctx);
    const dashboard = createDashboard(ctx);
    const table = createTable(ctx);
    const timeline = createTimeline(ctx);
    const details = createDetails(ctx);
    const compare = createCompare(ctx);
    const compareRuns = createCompareRuns(ctx);
    const exporter = createExport(ctx, { fileName: options.fileName ?? store.name, saveOffline: options.saveOffline, pdfUnavailable: options.pdfUnavailable });
    const lineage = createLineage(ctx);
    // Keyboard users jump over the filters and the dashboard (shown when focused).
    const skip = h('a', { className: 'ml-skip', href: '#', 'data-testid': 'skip-to-table' }, 'Skip to executions table');
    skip.addEventListener('click', (e) => {
      e.preventDefault();
      if (state.tab !== 'table') setState({ tab: 'table' });
      requestAnimationFrame(() => table.focusRow(state.selected));
    });

    const tabs = h('div', { className: 'ml-tabs', role: 'tablist' },
      ...[['table', 'Executions'], ['timeline', 'Timeline']].map(([id, label]) =>
        h('button', { type: 'button', role: 'tab', className: 'ml-tab', 'data-tab': id, onclick: () => setState({ tab: id }) }, label)));
    // The lineage of the filtered run (its stages and the artifacts between them), else of
    // the filtered pipeline: the core knows their context ids.
    /** The filtered run's context id (`summary.runs`), or null. */
    const runId = () => (state.run ? (summary.runs ?? []).find((r) => r.name === state.run)?.id ?? null : null);
    const pipelineLineage = h('button', {
      type: 'button', className: 'ml-tab-action', 'data-testid': 'pipeline-lineage', hidden: true,
      onclick: async () => {
        const run = runId();
        if (run !== null) { setState({ lineage: `c${run}` }); return; }
        const name = state.pipeline;
        const id = await store.pipelineId(name).catch(() => null);
        if (typeof id === 'number') setState({ lineage: `c${id}` });
        else pipelineLineage.title = `No pipeline context named ${name} in this store`;
      },
    }, 'Pipeline lineage');
    tabs.append(pipelineLineage, exporter.el);
    const main = h('div', { className: 'ml-main' }, tabs, table.el, timeline.el);
    // What the core noted about the file (WAL mode, an unknown schema version, values of
    // the wrong type read leniently): shown in every host, the page and the notebooks.
    const notices = summary.warnings.length
      ? h('details', { className: 'ml-warnings', 'data-testid': 'store-warnings' },
        h('summary', {}, `⚠ ${summary.warnings.length === 1 ? '1 note' : `${summary.warnings.length} notes`} about this file`),
        h('ul', {}, ...summary.warnings.map((w) => h('li', {}, w))))
      : null;
    // Hidden (`display: contents` otherwise) while the first rows are still shown.
    const content = h('div', { className: 'ml-content', hidden: Boolean(preview) },
      skip, ...(notices ? [notices] : []), filters.el, alertsPanel.el, dashboard.el, h('div', { className: 'ml-body' }, main, details.el), lineage.el, compare.el, compareRuns.el);
    // Before the first rows: while the views show and the table does not yet (below), the
    // first rows stay where the table will be.
    root.insertBefore(content, preview?.el ?? null);
    /**
     * The table of the first answer, held for one frame while the rest of the views lay
     * out around the first rows: the table and its first rows come in the frame after.
     * Two frames of half the work each, where one frame laying out everything was the
     * longest task of an open. Null once the table shows.
     * @type {null | { draw: null | (() => void), timer: number }}
     */
    let held = preview ? { draw: null, timer: 0 } : null;
    /** Shows the held table (the latest answer's draw) in place of the first rows. */
    const release = () => {
      if (!held || destroyed) return;
      const { draw } = held;
      held = null;
      if (draw) draw();
      else table.el.hidden = state.tab !== 'table';
      onShown();
    };
    /**
     * Draws the table: at once, or in the frame after the other views while the first
     * rows are still on screen (a newer answer's draw replaces a held one).
     * @param {() => void} draw
     */
    const drawTable = (draw) => {
      if (!held) { draw(); return; }
      held.draw = draw;
      table.el.hidden = true;
      if (!held.timer) held.timer = requestAnimationFrame(() => setTimeout(release, 0));
    };
    /** Shows the views (once). */
    const reveal = () => { content.hidden = false; };

    let frame = 0;
    /** The execution the details sheet showed last (the focus returns to its row). @type {number|null} */
    let lastSelected = state.selected;
    /** Stats and timeline of the current filters (promises, shared by the updates). */
    let cache = { key: '', stats: null, timeline: null, alerts: null };
    /** The latest update: an older one that finishes later draws nothing. */
    let generation = 0;
    /**
     * Resolves once the first page's rows are all in and painted (or the page has
     * failed), or 500 ms after the first page came whatever happens (a hidden page paints
     * nothing): the dashboard's figures are asked for only then, so that computing them
     * does not compete with the first frames' style, layout and paint (on two cores the
     * worker and the main thread share them).
     */
    let pageShown = () => {};
    const painted = new Promise((resolve) => {
      const done = () => resolve(undefined);
      let armed = false;
      pageShown = () => {
        if (armed) return;
        armed = true;
        setTimeout(done, 500);
        table.whenDrawn().then(() => requestAnimationFrame(() => setTimeout(done, 0)));
      };
    });

    function update() {
      const gen = ++generation;
      const opts = filterOptions();
      // Aggregates depend on the filters only: ask again when the filters change, not when
      // a row is selected or the page turns (they take tens of ms on 100k executions).
      const key = JSON.stringify([opts, state.timelineGroup]);
      if (cache.key !== key) cache = { key, stats: null, timeline: null, alerts: null };
      const pageQuery = { ...opts, sort: state.sort, offset: state.page * state.pageSize, limit: state.mode === 'scroll' ? 0 : state.pageSize };
      const pagePromise = store.executions(pageQuery, { supersede: 'page' });
      cache.stats ??= painted.then(() => store.stats(opts, { supersede: 'stats' }));
      cache.alerts ??= painted.then(() => store.alertSummary(opts, { supersede: 'alert-summary' }));
      if (state.tab === 'timeline') cache.timeline ??= store.timeline({ ...opts, groupBy: state.timelineGroup }, { supersede: 'timeline' });
      const { stats, timeline: bars, alerts: flagged } = cache;
      const drop = () => { if (cache.key === key) cache = { key: '', stats: null, timeline: null, alerts: null }; };
      pagePromise.then((page) => {
        if (gen !== generation || destroyed) return;
        // Shown first (the same task, so nothing stale is painted): a view that takes the
        // focus (the compare dialog of a shared link) can take it.
        reveal();
        filters.update({ state, error: null });
        alertsPanel.update({ state });
        for (const t of tabs.querySelectorAll('[role=tab]')) t.setAttribute('aria-selected', String(t.getAttribute('data-tab') === state.tab));
        const run = runId();
        pipelineLineage.hidden = !state.pipeline && run === null;
        pipelineLineage.textContent = run !== null ? 'Run lineage' : 'Pipeline lineage';
        pipelineLineage.title = run !== null
          ? `The stages of run ${state.run} and the artifacts that flow between them`
          : `The stages of ${state.pipeline} and the artifacts that flow between them`;
        timeline.el.hidden = state.tab !== 'timeline';
        drawTable(() => {
          table.el.hidden = state.tab !== 'table';
          table.update({ state, page });
          pageShown();
        });
        const wasOpen = !details.el.hidden;
        const lost = () => document.activeElement === document.body || details.el.contains(document.activeElement);
        const focusLost = wasOpen && lost();
        details.update({ state });
        // The closed sheet gives the focus back to the execution it showed.
        if (focusLost && details.el.hidden && lastSelected !== null) {
          if (lineage.open() && state.lineage) lineage.focus();
          else if (state.tab === 'table') table.focusRow(lastSelected);
          else timeline.focusBar(lastSelected);
        }
        lastSelected = state.selected ?? lastSelected;
        lineage.update({ state });
        compare.update({ state });
        compareRuns.update({ state });
      }, (error) => {
        if (superseded(error) || gen !== generation || destroyed) return;
        reveal();
        // The table is not drawn for an error: a held older answer is not drawn either.
        if (held) held.draw = null;
        release();
        pageShown();
        // "Alerted only" sent `(query) AND alert:any`: point into the query as typed.
        if (error?.kind === 'query' && state.alerted && state.query.trim() && Number.isInteger(error.position)) {
          error = Object.assign(new Error(error.message), { kind: error.kind, position: Math.max(0, error.position - 1 + (state.query.length - state.query.trimStart().length)) });
        }
        filters.update({ state, error });
        alertsPanel.update({ state });
        for (const t of tabs.querySelectorAll('[role=tab]')) t.setAttribute('aria-selected', String(t.getAttribute('data-tab') === state.tab));
      });
      stats.then((s) => { if (gen === generation && !destroyed) dashboard.update({ state, stats: s }); }, (e) => { if (superseded(e)) drop(); });
      flagged.then((a) => { if (gen === generation && !destroyed) dashboard.updateAlerts({ state, alerts: a }); }, (e) => { if (superseded(e)) drop(); });
      bars?.then((data) => { if (gen === generation && !destroyed && state.tab === 'timeline') timeline.update({ state, data }); }, (e) => { if (superseded(e)) drop(); });
    }

    function setState(patch) {
      const next = { ...state, ...sanitize(patch) };
      if (listingKeys.some((k) => k in patch && patch[k] !== state[k]) && !('page' in patch)) next.page = 0;
      if ('pageSize' in patch && !('page' in patch)) next.page = 0;
      state = next;
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; update(); });
      options.onStateChange?.(state);
    }

    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target instanceof Element ? e.target : null;
      const inside = Boolean(target && root.contains(target));
      const typing = Boolean(target?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'));
      // On the page, keys from outside the viewer count too — but never while typing there.
      if (!inside && (typing || !root.isConnected)) return;
      if (e.key === '/' && !typing) { e.preventDefault(); filters.focusSearch(); }
      if (e.key === 'Escape') {
        // The topmost sheet or dialog closes first.
        if (state.compareRuns.length) setState({ compareRuns: [] });
        else if (state.comparing) setState({ comparing: false });
        else if (state.selected !== null) setState({ selected: null });
        else if (lineage.open()) lineage.close();
        else return;
        e.preventDefault();
      }
    };
    // The page host owns the window: '/' and Esc work wherever the focus is (the body after
    // a click on the page, the header's buttons). In a notebook they stay in the widget.
    const keyTarget = page ? document : root;
    keyTarget.addEventListener('keydown', onKey);
    root.tabIndex = -1;
    update();
    return {
      setState,
      destroy() {
        cancelAnimationFrame(frame);
        if (held) cancelAnimationFrame(held.timer);
        keyTarget.removeEventListener('keydown', onKey);
        /** @type {Array<{ el: HTMLElement, destroy?: () => void }>} */
        const views = [filters, alertsPanel, dashboard, table, timeline, details, lineage, compare, compareRuns, exporter];
        for (const v of views) v.destroy?.();
      },
    };
  }

  /**
   * The first rows, read before the index (plain rows in the table's look), and the
   * indexing progress while the store gets ready.
   * @param {ExecutionPage} page
   */
  function createPreview(page) {
    const status = h('p', { className: 'ml-preview-status', 'data-testid': 'indexing', role: 'status' },
      `${page.total} executions · indexing…`);
    /** @type {Array<[string, string, (r: ExecutionRow) => Node|string]>} the table's first columns, as it shows them */
    const cols = [
      ['id', 'Execution ID', (r) => String(r.id)], ['name', 'Name', (r) => r.name || `#${r.id}`],
      ['pipeline', 'Pipeline', (r) => r.pipeline || '—'], ['stage', 'Context/Stage', (r) => r.stage || '—'],
      ['status', 'Status', (r) => statusBadge(r.status)], ['started', 'Started', (r) => (r.started ? formatTime(r.started) : '—')],
    ];
    const row = (/** @type {ExecutionRow} */ r, /** @type {number} */ i) => h('tr', { className: `ml-row${i % 2 ? ' ml-odd' : ''}`, 'data-testid': 'preview-row', 'data-id': r.id },
      ...cols.map(([k, , cell]) => h('td', { className: k === 'id' ? 'ml-num' : null }, cell(r))));
    const tbody = h('tbody');
    // A few rows a frame, as the table draws its pages.
    drawRows(tbody, page.rows.length, (i) => row(page.rows[i], i), { current: () => tbody.isConnected });
    const table = h('table', { className: 'ml-table', 'data-testid': 'executions-table' },
      h('thead', {}, h('tr', {}, ...cols.map(([k, label]) => h('th', { scope: 'col', className: k === 'id' ? 'ml-num' : null }, label)))),
      tbody);
    const el = h('div', { className: 'ml-preview', 'data-testid': 'preview' }, status,
      h('div', { className: 'ml-table-wrap' }, table));
    const off = store.onProgress?.((p) => {
      if (p.phase === 'indexing') setText(status, `${page.total} executions · indexing… ${p.total ? Math.floor((100 * p.done) / p.total) : 0} %`);
    });
    return { el, off };
  }

  return {
    ready,
    setState(patch) {
      if (live) live.setState(patch);
      else {
        state = { ...state, ...sanitize(patch) };
        options.onStateChange?.(state);
      }
    },
    getState: () => state,
    destroy() {
      destroyed = true;
      live?.destroy();
      el.replaceChildren();
    },
  };
}

/**
 * Pays the browser's one-time costs of the views' first draw while the store is still being
 * read and indexed (the main thread is idle then) instead of in the task that draws them:
 * loading ICU's number data (~15 ms) and the date inputs' locale formats (~10 ms).
 */
function warmUp() {
  const idle = globalThis.requestIdleCallback ?? ((/** @type {() => void} */ f) => setTimeout(f, 0));
  idle(() => {
    formatNumber(0);
    document.createElement('input').type = 'date';
  });
}

/**
 * Keeps only known keys with values of the right type (states come from URLs and
 * notebooks, so they are untrusted).
 * Uses the core's compare limit, so call it once the core is loaded.
 * @param {Record<string, any>} s
 * @returns {Partial<ViewState>}
 */
export function sanitize(s) {
  const out = {};
  for (const [k, def] of Object.entries(DEFAULT_STATE)) {
    if (!(k in s)) continue;
    const v = s[k];
    if (k === 'selected' || k === 'baseline') out[k] = Number.isInteger(v) ? v : null;
    else if (k === 'compare' || k === 'compareRuns') out[k] = Array.isArray(v) ? [...new Set(v.filter(Number.isInteger))].slice(0, language().compare.max) : [];
    else if (k === 'columns') out[k] = Array.isArray(v) && v.length ? v.filter((c) => typeof c === 'string') : [...def];
    else if (k === 'mode') out[k] = v === 'scroll' ? 'scroll' : 'pages';
    else if (k === 'tab') out[k] = v === 'timeline' ? 'timeline' : 'table';
    else if (k === 'timelineGroup') out[k] = v === 'run' ? 'run' : 'stage';
    else if (k === 'alerts') out[k] = sanitizeAlerts(v);
    else if (k === 'lineage') out[k] = lineageKey(v);
    else if (k === 'lineageDepth') out[k] = Number.isInteger(v) && v >= 1 ? Math.min(v, 10) : def;
    else if (typeof def === 'number') out[k] = Number.isInteger(v) && v >= 0 ? Math.min(v, k === 'pageSize' ? 1000 : 1e9) : def;
    else if (typeof def === 'boolean') out[k] = v === true;
    else out[k] = typeof v === 'string' ? v : '';
  }
  return out;
}

/**
 * Alert rules from an untrusted value (a URL, a notebook, a host option): known keys of
 * the right type; a rule is `{ name, query }` or a query text (its own name).
 * @param {any} v
 * @returns {AlertRules}
 */
export function sanitizeAlerts(v) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { failed: false, rules: [] };
  /** @type {AlertRules} */
  const out = /** @type {AlertRules} */ ({ failed: v.failed === true });
  const positive = (x) => typeof x === 'number' && Number.isFinite(x) && x > 0;
  // Keys in DEFAULT_STATE's order, so that the default compares equal as JSON (URLs).
  if (positive(v.longRunningMs)) out.longRunningMs = Math.round(v.longRunningMs);
  if (positive(v.longRunningFactor)) out.longRunningFactor = v.longRunningFactor;
  out.rules = [];
  for (const r of Array.isArray(v.rules) ? v.rules : []) {
    const rule = typeof r === 'string' ? { name: r, query: r }
      : r && typeof r === 'object' && typeof r.query === 'string' ? { name: typeof r.name === 'string' && r.name.trim() ? r.name : r.query, query: r.query } : null;
    if (rule && rule.query.trim() && out.rules.length < MAX_ALERT_RULES) out.rules.push({ name: rule.name.trim(), query: rule.query.trim() });
  }
  return out;
}
