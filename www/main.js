// The page host: gets a file from a drop, the file picker, the sample or ?url=, opens it
// in a Web Worker through js/client.js (streamed in, with progress and Cancel) and renders
// the viewer widget; keeps the view state in the URL.
import { openStore, prepareWorker } from '../js/client.js';
import { render } from '../js/widget.js';
import { stateFromUrl, paramsFromState, hashFromState } from '../js/url-state.js';
import { h, setText } from '../js/dom.js';
import { consented, setConsent, listRecent, keepRecent, openRecent, removeRecent, unavailableReason } from './recent.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
document.documentElement.dataset.started = '1'; // www/file-hint.js: the modules did load
/** True in dist/mlmd-lens.html, the single-file offline build (scripts/bundle.mjs). */
const OFFLINE = document.documentElement.dataset.offline === '1';
/** Why the offline page has no PDF report. */
const PDF_OFFLINE = 'The PDF report needs the PDF module, which this single-file page does not carry (it would add 2 MB): use the HTML report and print it, the served page (make serve), or mlmd-lens export --format pdf.';
/** @type {ReturnType<typeof render> | null} */
let viewer = null;
/** @type {import('../js/client.js').StoreClient | null} */
let store = null;
/** @type {{ source: Blob, name: string, remember?: boolean } | null} The open file (read again for "Save offline HTML"; kept as a recent store when `remember`). */
let current = null;
/** The open in progress: Cancel aborts it. */
let opening = /** @type {AbortController | null} */ (null);

const MB = (n) => `${(n / 1048576).toFixed(1)} MB`;
/** A size in KiB under 1 MB, else in MB. */
const size = (n) => (n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : MB(n));

/** Hides the progress bar and the Cancel button. */
function doneLoading() {
  $('progress').hidden = true;
  $('cancel-open').hidden = true;
  opening = null;
}

/** Shows a load error and keeps the page usable for another file. */
function showError(message) {
  const el = $('load-error');
  setText(el, message);
  el.hidden = false;
  doneLoading();
  setText($('status'), '');
  // The error is about this file: do not leave another file's executions on screen.
  closeStore();
  $('intro').hidden = false;
}

/** Frees the open store (its worker ends) and removes the viewer. */
function closeStore() {
  viewer?.destroy();
  viewer = null;
  store?.close();
  store = null;
  current = null;
  $('save-offline').hidden = true;
}

/** @param {import('../js/client.js').Progress} p @param {string} name */
function showProgress(p, name) {
  const bar = /** @type {HTMLElement} */ ($('progress').firstElementChild);
  const share = p.total ? p.done / p.total : 0;
  bar.style.width = `${Math.round(100 * share)}%`;
  $('progress').setAttribute('aria-valuenow', String(Math.round(100 * share)));
  $('progress').dataset.phase = p.phase;
  const text = {
    reading: () => `Reading ${name}: ${MB(p.done)} of ${MB(p.total)}`,
    checking: () => `Checking ${name}…`,
    'first-page': () => `${name}: ${p.total} executions · indexing…`,
    indexing: () => `${name}: indexing ${p.done} of ${p.total} executions (${Math.floor(100 * share)} %)`,
  }[p.phase];
  if (text) setText($('status'), text());
}

/**
 * Opens a file as an MLMD store and renders the viewer.
 * @param {Blob} source a File, or a Blob fetched from ?url= or embedded in the offline page
 * @param {string} name
 * @param {boolean} keepState keep the URL's view state (first load) or start fresh
 * @param {boolean} [remember] a file the user opened: kept as a recent store (with consent)
 */
async function show(source, name, keepState, remember = false) {
  $('load-error').hidden = true;
  setText($('file-name'), name);
  setText($('status'), `Opening ${name} (${MB(source.size)})…`);
  opening?.abort();
  const abort = new AbortController();
  opening = abort;
  $('progress').hidden = false;
  $('cancel-open').hidden = false;
  let next;
  try {
    // `?copyLimit=N` (bytes) reads larger files on demand instead of copying them (tests).
    const copyLimit = Number(new URLSearchParams(location.search).get('copyLimit') ?? NaN);
    next = await openStore(source, {
      name, signal: abort.signal, copyLimit: Number.isFinite(copyLimit) ? copyLimit : undefined,
      onProgress: (p) => { if (opening === abort) showProgress(p, name); },
    });
  } catch (e) {
    if (opening !== abort) return; // a newer open replaced this one
    if (/** @type {any} */ (e)?.kind === 'cancelled') {
      doneLoading();
      setText($('status'), `Opening ${name} was cancelled.`);
      return;
    }
    showError(e instanceof Error ? e.message : String(e));
    return;
  }
  if (opening !== abort) { next.close(); return; }
  closeStore();
  store = next;
  current = { source, name, remember };
  document.documentElement.dataset.engine = next.mode; // `worker`, or `main` where workers are refused
  $('intro').hidden = true;
  const state = keepState ? stateFromUrl(location.search, location.hash) : {};
  const shown = render($('app'), next, {
    state,
    fileName: name,
    // The page links (or, offline, inlines) the widget's stylesheet in its head, so the first
    // rows are drawn styled once instead of unstyled and then again.
    stylesheet: false,
    page: true, // the viewer owns this window: '/' and Esc work anywhere on the page
    saveOffline: (ids, note) => saveOffline(ids, note),
    // The PDF module (2 MB gzipped) stays out of the single file, to keep it small.
    pdfUnavailable: OFFLINE ? PDF_OFFLINE : undefined,
    onStateChange: (s) => {
      const params = paramsFromState(s, new URLSearchParams(location.search));
      history.replaceState(null, '', `${location.pathname}?${params}`.replace(/\?$/, '') + hashFromState(s));
    },
    onReady: (s) => {
      if (store !== next) return;
      doneLoading();
      prepareWorker(); // the next file's worker, ahead of time
      $('save-offline').hidden = false;
      if (remember && consented()) keepRecent(source, name).then(drawRecent, () => {});
      // The core's warnings are shown by the viewer itself (its "notes about this file").
      const notes = s.warnings.length ? ` — ${s.warnings.length === 1 ? '1 note' : `${s.warnings.length} notes`} below` : '';
      setText($('status'), `${name}: ${s.executions} executions, ${s.artifacts} artifacts (${s.flavor} store, MLMD schema ${s.schemaVersion})${notes}`);
    },
    onError: (e) => { if (store === next && /** @type {any} */ (e).kind !== 'cancelled') showError(e.message); },
  });
  viewer = shown;
  if (!keepState) shown.setState({});
}

// A `#lineage=…` link followed on this page (or the fragment edited) opens that graph.
window.addEventListener('hashchange', () => viewer?.setState({ lineage: stateFromUrl('', location.hash).lineage ?? '' }));

$('cancel-open').addEventListener('click', () => {
  if (!opening) return;
  const indexing = Boolean(viewer) && store !== null; // the first rows are on screen
  opening.abort();
  if (indexing) {
    closeStore();
    $('intro').hidden = false;
  }
  doneLoading();
  if (!viewer) setText($('file-name'), '');
  setText($('status'), 'Opening was cancelled.');
});

let firstLoad = true;
/** @param {File} file */
function showFile(file) {
  show(file, file.name, takeFirst(), true);
}

/** True only for the first file of this page (it may reopen a shared link's view). */
function takeFirst() {
  const f = firstLoad;
  firstLoad = false;
  return f;
}

/** @param {string} url */
async function showUrl(url) {
  const name = decodeURIComponent(url.split('/').pop() || url);
  $('progress').hidden = false;
  let blob;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    blob = await res.blob();
  } catch (e) {
    showError(`${name}: cannot fetch ${url} (${e instanceof Error ? e.message : e})`);
    return;
  }
  await show(blob, name, takeFirst());
}

const input = /** @type {HTMLInputElement} */ ($('file-input'));
input.addEventListener('change', () => {
  const file = input.files?.[0];
  if (file) showFile(file);
  input.value = '';
});
$('sample').addEventListener('click', () => showUrl('sample/mlmd'));

let depth = 0;
window.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; $('drop-overlay').hidden = false; });
window.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; $('drop-overlay').hidden = true; } });
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  depth = 0;
  $('drop-overlay').hidden = true;
  const file = e.dataTransfer?.files?.[0];
  if (file) showFile(file);
});

/** Base64 of a file, read again piece by piece (the page keeps no copy of it). */
async function toBase64(blob) {
  const parts = [];
  const CHUNK = 3 << 20; // a multiple of 3: the pieces' base64 concatenates
  for (let o = 0; o < blob.size; o += CHUNK) {
    const bytes = new Uint8Array(await blob.slice(o, o + CHUNK).arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    parts.push(btoa(bin));
  }
  return parts.join('');
}

/**
 * This offline page as it was built: without the rendered viewer and without the style
 * attributes set while it ran (the page's CSP would refuse those in a saved copy).
 */
function pristineDocument() {
  const doc = /** @type {HTMLElement} */ (document.documentElement.cloneNode(true));
  doc.querySelector('#app')?.replaceChildren();
  doc.querySelector('#load-error')?.setAttribute('hidden', '');
  doc.querySelector('#save-offline')?.setAttribute('hidden', '');
  for (const el of doc.querySelectorAll('[style]')) el.removeAttribute('style');
  return `<!doctype html>\n${doc.outerHTML}`;
}

/** Attribute-safe text (a file name is untrusted). */
const attr = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A Blob gzip-compressed by the browser (CompressionStream), piece by piece. */
function gzip(blob) {
  return new Response(blob.stream().pipeThrough(new CompressionStream('gzip'))).blob();
}

/**
 * Downloads one HTML file holding the viewer, the wasm and the open MLMD file — or, given
 * `ids`, a new MLMD file the core writes with only those executions and what they
 * reference (`store.subset(ids)`). The store is embedded gzip-compressed; it opens by
 * double-click anywhere, with no install and no network.
 * @param {number[] | null} [ids] @param {(s: string) => void} [note] where to say what was saved
 */
async function saveOffline(ids = null, note = (s) => setText($('status'), s)) {
  if (!current || !store) return;
  const { name } = current;
  const template = OFFLINE ? pristineDocument() : await (await fetch('../dist/mlmd-lens.html')).text();
  if (!template.includes('id="mlmd-lens-data"')) throw new Error('the offline build is missing: run make build');
  const raw = ids ? new Blob([/** @type {BlobPart} */ (await store.subset(ids))]) : current.source;
  const packed = await gzip(raw);
  const data = await toBase64(packed);
  const label = ids ? `${name} (${ids.length} executions)` : name;
  const html = template.replace(/<script type="application\/octet-stream\+base64" id="mlmd-lens-data"[^>]*>[^<]*<\/script>/,
    () => `<script type="application/octet-stream+base64" id="mlmd-lens-data" data-name="${attr(label)}" data-encoding="gzip" data-size="${raw.size}">${data}</script>`);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  const stem = name.replace(/\.[^.]*$/, '');
  a.download = ids ? `${stem}-${ids.length}-executions.mlmd-lens.html` : `${stem}.mlmd-lens.html`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  note(`Saved ${a.download}: the store ${ids ? `subset (${ids.length} executions) ` : ''}is ${size(raw.size)}, ${size(packed.size)} gzipped in the file (${size(html.length)} in all).`);
}
$('save-offline').addEventListener('click', () => saveOffline().catch((e) => {
  showError(`cannot save the offline HTML: ${e instanceof Error ? e.message : e}`);
}));


if (OFFLINE) {
  $('sample').hidden = true;
  const data = document.getElementById('mlmd-lens-data');
  const b64 = data?.textContent?.trim();
  if (b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const packed = new Blob([bytes]);
    // Saved since the stores are compressed: gzip, undone by the browser.
    const stored = data.dataset.encoding === 'gzip'
      ? new Response(packed.stream().pipeThrough(new DecompressionStream('gzip'))).blob()
      : Promise.resolve(packed);
    stored.then((blob) => show(blob, data.dataset.name || 'embedded store', takeFirst()),
      (e) => showError(`the embedded store cannot be read: ${e instanceof Error ? e.message : e}`));
  }
}

const url = OFFLINE ? null : new URLSearchParams(location.search).get('url');
if (url) {
  const target = new URL(url, location.href);
  if (target.origin === location.origin) showUrl(target.href);
  else showError(`${url}: only files from this site can be opened with ?url= (drop the file instead)`);
}

// The first file's worker, started while the page is idle.
if (!url && !OFFLINE) (window.requestIdleCallback ?? setTimeout)(() => prepareWorker());

// ---- recent stores (www/recent.js) -------------------------------------------------------
const KB = (n) => (n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KB` : MB(n));

/** Opens a kept store, restoring the URL's view on the page's first open. @param {import('./recent.js').RecentStore} r */
async function reopen(r) {
  try {
    const file = await openRecent(r);
    show(file, r.name, takeFirst(), true);
  } catch (e) {
    showError(`${r.name}: cannot read the kept copy (${e instanceof Error ? e.message : e}); remove it from the list`);
  }
}

/** Draws the kept stores and the "Reopen" button. @param {import('./recent.js').RecentStore[]} [known] */
async function drawRecent(known) {
  const list = known ?? await listRecent();
  const latest = list[0];
  $('reopen-line').hidden = !latest || Boolean(store);
  if (latest) {
    setText($('reopen'), `Reopen ${latest.name}`);
    $('reopen').title = `${latest.name} (${KB(latest.size)}), kept ${latest.savedAt.slice(0, 16).replace('T', ' ')} UTC${location.search ? ', with the view of this link' : ''}`;
    $('reopen').onclick = () => reopen(latest);
  }
  $('recent-list').replaceChildren(...list.map((r) => h('li', { 'data-testid': 'recent-item', 'data-name': r.name },
    h('span', { className: 'recent-name' }, r.name),
    h('span', {}, `${KB(r.size)} · ${r.savedAt.slice(0, 10)}`),
    h('button', { type: 'button', className: 'button secondary', 'data-testid': 'recent-open', onclick: () => reopen(r) }, 'Reopen'),
    h('button', { type: 'button', className: 'button secondary', 'data-testid': 'recent-remove', title: `Remove ${r.name} from this browser`,
      onclick: async () => drawRecent(await removeRecent(r.id)) }, 'Remove'))));
}

(async () => {
  const remember = /** @type {HTMLInputElement} */ ($('remember'));
  const reason = await unavailableReason();
  if (reason) {
    remember.disabled = true;
    remember.closest('label')?.setAttribute('title', reason);
    setText($('recent-unavailable'), reason);
    $('recent-unavailable').hidden = false;
    return;
  }
  remember.checked = consented();
  remember.addEventListener('change', async () => {
    await setConsent(remember.checked);
    if (remember.checked && current?.remember) await keepRecent(current.source, current.name);
    drawRecent();
  });
  drawRecent();
})();
