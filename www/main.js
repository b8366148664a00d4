// The page host: gets bytes from a drop, the file picker, the sample or ?url=, opens them
// with the wasm core and renders the viewer widget; keeps the view state in the URL.
import { openStore } from '../js/wasm.js';
import { render } from '../js/widget.js';
import { stateFromParams, paramsFromState } from '../js/url-state.js';
import { setText } from '../js/dom.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
document.documentElement.dataset.started = '1'; // www/file-hint.js: the modules did load
/** True in dist/mlmd-lens.html, the single-file offline build (scripts/bundle.mjs). */
const OFFLINE = document.documentElement.dataset.offline === '1';
/** @type {ReturnType<typeof render> | null} */
let viewer = null;
/** @type {import('../pkg/mlmd_lens.js').MlmdStore | null} */
let store = null;
/** @type {{ bytes: Uint8Array, name: string } | null} The bytes and name of the open file (for "Save offline HTML"). */
let current = null;

/** Shows a load error and keeps the page usable for another file. */
function showError(message) {
  const el = $('load-error');
  setText(el, message);
  el.hidden = false;
  $('progress').hidden = true;
  setText($('status'), '');
  // The error is about this file: do not leave another file's executions on screen.
  viewer?.destroy();
  viewer = null;
  store?.free();
  store = null;
  current = null;
  $('save-offline').hidden = true;
  $('intro').hidden = false;
}

/** Reads a File with progress (large stores take a moment). */
function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    const bar = /** @type {HTMLElement} */ ($('progress').firstElementChild);
    reader.onprogress = (e) => { if (e.lengthComputable) bar.style.width = `${(100 * e.loaded) / e.total}%`; };
    reader.onload = () => resolve(new Uint8Array(/** @type {ArrayBuffer} */ (reader.result)));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

/**
 * Opens bytes as an MLMD store and renders the viewer.
 * @param {Uint8Array} bytes
 * @param {string} name
 * @param {boolean} keepState keep the URL's view state (first load) or start fresh
 */
async function show(bytes, name, keepState) {
  $('load-error').hidden = true;
  setText($('file-name'), name);
  setText($('status'), `Opening ${name} (${(bytes.length / 1048576).toFixed(1)} MB)…`);
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  let next;
  try {
    next = await openStore(bytes, name);
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return;
  }
  viewer?.destroy();
  store?.free();
  store = next;
  $('progress').hidden = true;
  $('intro').hidden = true;
  const state = keepState ? stateFromParams(new URLSearchParams(location.search)) : {};
  current = { bytes, name };
  $('save-offline').hidden = false;
  viewer = render($('app'), store, {
    state,
    fileName: name,
    stylesheet: OFFLINE ? false : undefined,
    onStateChange: (s) => {
      const params = paramsFromState(s, new URLSearchParams(location.search));
      history.replaceState(null, '', `${location.pathname}?${params}`.replace(/\?$/, ''));
    },
  });
  if (!keepState) viewer.setState({});
  const s = store.summary();
  // The core's warnings are shown by the viewer itself (its "notes about this file").
  const notes = s.warnings.length ? ` — ${s.warnings.length === 1 ? '1 note' : `${s.warnings.length} notes`} below` : '';
  setText($('status'), `${name}: ${s.executions} executions, ${s.artifacts} artifacts (${s.flavor} store, MLMD schema ${s.schemaVersion})${notes}`);
}

let firstLoad = true;
/** @param {File} file */
async function showFile(file) {
  $('progress').hidden = false;
  try {
    await show(await readFile(file), file.name, takeFirst());
  } catch (e) {
    showError(`${file.name}: cannot read the file (${e instanceof Error ? e.message : e})`);
  }
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
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await show(new Uint8Array(await res.arrayBuffer()), name, takeFirst());
  } catch (e) {
    showError(`${name}: cannot fetch ${url} (${e instanceof Error ? e.message : e})`);
  }
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

/** Base64 of bytes, in chunks (large files). */
function toBase64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
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

/**
 * Downloads one HTML file holding the viewer, the wasm and the open MLMD file: it opens by
 * double-click anywhere, with no install and no network.
 */
async function saveOffline() {
  if (!current) return;
  try {
    const template = OFFLINE ? pristineDocument() : await (await fetch('../dist/mlmd-lens.html')).text();
    if (!template.includes('id="mlmd-lens-data"')) throw new Error('the offline build is missing: run make build');
    const html = template.replace(/<script type="application\/octet-stream\+base64" id="mlmd-lens-data"[^>]*>[^<]*<\/script>/,
      () => `<script type="application/octet-stream+base64" id="mlmd-lens-data" data-name="${attr(current.name)}">${toBase64(current.bytes)}</script>`);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    a.download = `${current.name.replace(/\.[^.]*$/, '')}.mlmd-lens.html`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (e) {
    showError(`cannot save the offline HTML: ${e instanceof Error ? e.message : e}`);
  }
}
$('save-offline').addEventListener('click', saveOffline);

if (OFFLINE) {
  $('sample').hidden = true;
  const data = document.getElementById('mlmd-lens-data');
  const b64 = data?.textContent?.trim();
  if (b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    show(bytes, data.dataset.name || 'embedded store', takeFirst());
  }
}

const url = OFFLINE ? null : new URLSearchParams(location.search).get('url');
if (url) {
  const target = new URL(url, location.href);
  if (target.origin === location.origin) showUrl(target.href);
  else showError(`${url}: only files from this site can be opened with ?url= (drop the file instead)`);
}
