// The page host: gets bytes from a drop, the file picker, the sample or ?url=, opens them
// with the wasm core and shows the summary and the executions table.
import { openStore } from '../js/wasm.js';
import { renderTable } from '../js/views/table.js';
import { setText } from '../js/dom.js';

const PAGE_SIZE = 500;
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** Shows a load error and keeps the page usable for another file. */
function showError(message) {
  const el = $('load-error');
  setText(el, message);
  el.hidden = false;
  $('summary').hidden = true;
  $('warnings').hidden = true;
  $('more').hidden = true;
  $('table').replaceChildren();
  $('intro').hidden = false;
  setText($('status'), '');
}

/**
 * Opens bytes as an MLMD store and renders it.
 * @param {Uint8Array} bytes
 * @param {string} name
 */
async function show(bytes, name) {
  $('load-error').hidden = true;
  setText($('file-name'), name);
  setText($('status'), `Reading ${name} (${(bytes.length / 1048576).toFixed(1)} MB)…`);
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  let store;
  try {
    store = await openStore(bytes, name);
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return;
  }
  const s = store.summary();
  setText($('execution-count'), s.executions);
  setText($('artifact-count'), s.artifacts);
  setText($('context-count'), s.contexts);
  setText($('pipeline-list'), s.pipelines.length ? s.pipelines.join(', ') : '—');
  setText($('schema-version'), s.schemaVersion);
  $('summary').hidden = false;
  $('intro').hidden = true;
  $('warnings').hidden = s.warnings.length === 0;
  setText($('warnings'), s.warnings.join(' · '));
  const page = store.executions({ sort: 'id', limit: PAGE_SIZE });
  $('table').replaceChildren(renderTable(page.rows));
  $('more').hidden = page.total <= page.rows.length;
  setText($('more'), `Showing the first ${page.rows.length} of ${page.total} executions.`);
  setText($('status'), `${name}: ${s.executions} executions (${s.flavor} store, MLMD schema ${s.schemaVersion})`);
}

/** @param {File} file */
async function showFile(file) {
  try {
    await show(new Uint8Array(await file.arrayBuffer()), file.name);
  } catch (e) {
    showError(`${file.name}: cannot read the file (${e instanceof Error ? e.message : e})`);
  }
}

/** @param {string} url */
async function showUrl(url) {
  const name = decodeURIComponent(url.split('/').pop() || url);
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await show(new Uint8Array(await res.arrayBuffer()), name);
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

const url = new URLSearchParams(location.search).get('url');
if (url) {
  const target = new URL(url, location.href);
  if (target.origin === location.origin) showUrl(target.href);
  else showError(`${url}: only files from this site can be opened with ?url= (drop the file instead)`);
}
