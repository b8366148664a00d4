// The export menu: CSV, JSON, CMF JSON and a report (HTML or PDF) of the current filter, the
// selection (the ticked executions) or everything, downloaded under a name made of the
// store and the query. The bytes are the core's (`store.export`), the same as the CLI's;
// this view only asks and saves. CSV and JSON come from the worker a chunk at a time, with
// progress, and Cancel stops them between chunks. A host may add "Offline HTML" (the page:
// a viewer file with a subset of the store, `store.subset(ids)`).
import { h, setText } from '../dom.js';
import { formatNumber } from '../format.js';
import { shownColumns } from './table.js';

/** @typedef {'filter'|'selection'|'all'} Scope */

/**
 * The formats, their menu text and the file extension.
 * @type {Array<{ id: 'csv'|'json'|'cmf-json'|'html'|'pdf', label: string, ext: string, type: string }>}
 */
const FORMATS = [
  { id: 'csv', label: 'CSV (spreadsheet)', ext: 'csv', type: 'text/csv;charset=utf-8' },
  { id: 'json', label: 'JSON (full details)', ext: 'json', type: 'application/json' },
  { id: 'cmf-json', label: 'CMF JSON (cmf metadata export)', ext: 'cmf.json', type: 'application/json' },
  { id: 'html', label: 'HTML report', ext: 'html', type: 'text/html;charset=utf-8' },
  { id: 'pdf', label: 'PDF report', ext: 'pdf', type: 'application/pdf' },
];

const count = formatNumber;

/**
 * A piece of a file name from untrusted text: letters, digits, `.`, `_`, `-` only.
 * @param {string} s
 */
export function slug(s) {
  return s.normalize('NFKD').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').replace(/-{2,}/g, '-').slice(0, 48);
}

/**
 * The download's name: `<store>-<what>-<date>.<ext>` (`mlmd-failed-2026-12-01.csv`).
 * The query's field names are left out (`status:failed` → `failed`).
 * @param {string} storeName @param {Scope} scope @param {Record<string, any>} filters
 * @param {number[]} ids @param {string} ext @param {Date} [now]
 */
export function downloadName(storeName, scope, filters, ids, ext, now = new Date()) {
  const stem = slug(storeName.replace(/\.(sqlite3?|db|mlmd)$/i, '')) || 'mlmd';
  let what = '';
  if (scope === 'selection') what = `ids-${ids.join('-')}`;
  else if (scope === 'filter') {
    // The filters' text only (the alert rules ride along as an object: not a name).
    what = Object.entries(filters).filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => (k === 'query' ? v.replace(/\b[A-Za-z_]+:/g, ' ') : v)).join(' ');
    what = slug(what.replace(/\b(AND|OR|NOT)\b/g, ' '));
  }
  const day = now.toISOString().slice(0, 10);
  return [stem, what, day].filter(Boolean).join('-') + `.${ext}`;
}

/**
 * Saves a Blob, text or bytes as a download.
 * @param {Blob|string|Uint8Array} data @param {string} name @param {string} type
 */
export function download(data, name, type) {
  const a = /** @type {HTMLAnchorElement} */ (h('a', { download: name, hidden: true }));
  a.href = URL.createObjectURL(data instanceof Blob ? data : new Blob([/** @type {BlobPart} */ (data)], { type }));
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * @param {import('../widget.js').ViewContext} ctx
 * @param {{ fileName?: string, saveOffline?: (ids: number[] | null, note: (s: string) => void) => Promise<void>,
 *           pdfUnavailable?: string }} [host] `pdfUnavailable`: why this host has no PDF module
 *           (the PDF item is then disabled, saying so)
 */
export function createExport(ctx, host = {}) {
  const storeName = host.fileName || 'mlmd';
  const scopeSelect = /** @type {HTMLSelectElement} */ (h('select', { className: 'ml-select', 'data-testid': 'export-scope', 'aria-label': 'Export which executions' },
    h('option', { value: 'filter' }, 'The current filter'),
    h('option', { value: 'selection' }, 'The selection'),
    h('option', { value: 'all' }, 'Everything')));
  const propsSelect = /** @type {HTMLSelectElement} */ (h('select', { className: 'ml-select', 'data-testid': 'export-properties', 'aria-label': 'CSV properties' },
    h('option', { value: 'all' }, 'CSV: table columns + all properties'),
    h('option', { value: 'table' }, 'CSV: table columns only')));
  const bom = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': 'export-bom' }));
  const status = h('p', { className: 'ml-export-status', role: 'status', 'data-testid': 'export-status' });
  const bar = /** @type {HTMLProgressElement} */ (h('progress', { className: 'ml-export-progress', 'data-testid': 'export-progress', hidden: true, 'aria-label': 'Export progress' }));
  /** @type {AbortController | null} the export under way */
  let running = null;
  const cancel = h('button', { type: 'button', className: 'ml-button', 'data-testid': 'export-cancel', hidden: true, onclick: () => running?.abort() }, 'Cancel');
  const buttons = FORMATS.map((f) => {
    const off = f.id === 'pdf' && host.pdfUnavailable;
    return h('button', {
      type: 'button', className: 'ml-button ml-export-item', 'data-export': f.id, onclick: () => run(f),
      ...(off ? { disabled: true, title: host.pdfUnavailable } : {}),
    }, f.label);
  });
  const offline = host.saveOffline
    ? h('button', { type: 'button', className: 'ml-button ml-export-item', 'data-export': 'offline', title: 'One HTML file with the viewer and only these executions of the store', onclick: () => runOffline() }, 'Offline HTML (viewer + these executions)')
    : null;
  const menu = /** @type {HTMLDetailsElement} */ (h('details', { className: 'ml-export', 'data-testid': 'export-menu' },
    h('summary', { className: 'ml-button' }, 'Export'),
    h('div', { className: 'ml-export-pop' },
      h('label', { className: 'ml-export-row' }, 'Of ', scopeSelect),
      // What runs, near the top: in view however short the window.
      status, h('div', { className: 'ml-export-row ml-export-running' }, bar, cancel),
      ...buttons, offline,
      h('label', { className: 'ml-export-row' }, propsSelect),
      h('label', { className: 'ml-export-row' }, bom, ' CSV with a byte order mark (Excel)'))));
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open) { e.stopPropagation(); menu.open = false; menu.querySelector('summary')?.focus(); }
  });
  const closeMenu = (/** @type {Event} */ e) => { if (menu.open && !menu.contains(/** @type {Node} */ (e.target))) menu.open = false; };
  document.addEventListener('pointerdown', closeMenu);

  /** The scope chosen, its ids and the core's options for it. */
  function choice() {
    const scope = /** @type {Scope} */ (scopeSelect.value);
    const state = ctx.state();
    const filters = scope === 'filter' ? ctx.filters() : {};
    const ids = scope === 'selection' ? [...state.compare] : [];
    const opts = { ...filters, sort: state.sort, ...(scope === 'selection' ? { ids } : {}), storeName };
    return { scope, filters, ids, opts };
  }

  /** The pipeline of a CMF JSON export: the filter's, or the store's only one. */
  function cmfPipeline() {
    const p = ctx.state().pipeline;
    if (p) return p;
    return ctx.summary.pipelines.length === 1 ? ctx.summary.pipelines[0] : '';
  }

  let busy = false;
  /** While an export runs the items are disabled (the PDF item stays so where this host has no PDF). */
  const setItemsDisabled = (/** @type {boolean} */ on) => {
    for (const b of [...buttons, offline]) {
      if (b) /** @type {HTMLButtonElement} */ (b).disabled = on || (b.dataset.export === 'pdf' && !!host.pdfUnavailable);
    }
  };
  /** @param {typeof FORMATS[number]} f */
  async function run(f) {
    if (busy) return;
    const { scope, filters, ids, opts } = choice();
    if (scope === 'selection' && !ids.length) { setText(status, 'Nothing is selected: tick executions in the table first.'); return; }
    /** @type {Record<string, any>} */
    const o = { ...opts };
    let name = downloadName(storeName, scope, filters, ids, f.ext);
    if (f.id === 'cmf-json') {
      const pipeline = cmfPipeline();
      if (!pipeline) { setText(status, 'A CMF JSON export is of one pipeline: choose it in the Pipeline filter.'); return; }
      o.pipeline = pipeline;
      name = downloadName(storeName, 'filter', { pipeline }, [], f.ext);
    }
    if (f.id === 'csv') {
      o.columns = shownColumns(ctx.state().columns, ctx.summary);
      if (propsSelect.value === 'table') o.properties = [];
      if (bom.checked) o.bom = true;
    }
    busy = true;
    setItemsDisabled(true);
    running = new AbortController();
    cancel.hidden = false;
    menu.setAttribute('aria-busy', 'true');
    setText(status, f.id === 'pdf' ? 'Making the PDF report (the PDF module loads on first use)…' : `Exporting ${f.label}…`);
    bar.removeAttribute('value'); // indeterminate until the first chunk reports
    bar.hidden = false;
    /** @param {{ done: number, total: number }} p */
    const onProgress = ({ done, total }) => {
      bar.max = Math.max(total, 1);
      bar.value = done;
      setText(status, `Exporting ${f.label}… ${count(done)} of ${count(total)} executions`);
    };
    try {
      const blob = await ctx.store.exportFile(f.id, o, { signal: running.signal, type: f.type, onProgress });
      download(blob, name, f.type);
      setText(status, `Saved ${name} (${(blob.size / 1024).toFixed(1)} KiB).`);
    } catch (e) {
      setText(status, /** @type {any} */ (e)?.kind === 'cancelled' ? 'Export cancelled.' : `Cannot export: ${e instanceof Error ? e.message : e}`);
    } finally {
      busy = false;
      setItemsDisabled(false);
      running = null;
      cancel.hidden = true;
      bar.hidden = true;
      menu.removeAttribute('aria-busy');
    }
  }

  async function runOffline() {
    if (busy || !host.saveOffline) return;
    const { scope, ids } = choice();
    busy = true;
    setItemsDisabled(true);
    setText(status, 'Writing the offline HTML…');
    try {
      let chosen = null;
      if (scope === 'selection') chosen = ids;
      else if (scope === 'filter' && Object.keys(ctx.filters()).length) chosen = Array.from(await ctx.store.executionIds({ ...ctx.filters(), sort: ctx.state().sort }));
      if (chosen && !chosen.length) throw new Error('the filter keeps no execution');
      await host.saveOffline(chosen, (s) => setText(status, s));
    } catch (e) {
      setText(status, `Cannot save the offline HTML: ${e instanceof Error ? e.message : e}`);
    } finally {
      busy = false;
      setItemsDisabled(false);
    }
  }

  return {
    el: menu,
    destroy() { running?.abort(); document.removeEventListener('pointerdown', closeMenu); },
  };
}
