// The PDF report: a second wasm module (crates/report-pdf, built into pkg/report-pdf/),
// loaded only when a PDF is asked, so the viewer's own module stays small. The page's
// thread finds and compiles it (inline in the offline HTML, else fetched beside pkg/);
// the engine that holds the store (in its worker, or on this thread) instantiates it and
// draws the core's report document with it.
import { initSync, reportPdf } from '../pkg/report-pdf/mlmd_lens_report_pdf.js';

/** @type {Promise<WebAssembly.Module> | undefined} */
let compiled;
let instantiated = false;

/**
 * The module's bytes when the page carries them (the offline single-file HTML): a
 * `<script type="application/wasm+gzip+base64" id="mlmd-lens-pdf-wasm">` data block.
 * @returns {Promise<Uint8Array|null>}
 */
async function inlineBytes() {
  const block = typeof document !== 'undefined' && document.getElementById('mlmd-lens-pdf-wasm');
  const text = block?.textContent?.trim();
  if (!text) return null;
  const bin = atob(text);
  const packed = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) packed[i] = bin.charCodeAt(i);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The compiled PDF module (once per page): from the page's inline block, else fetched
 * from pkg/report-pdf/. Rejects with an Error that says what is missing.
 * @returns {Promise<WebAssembly.Module>}
 */
export function loadPdfModule() {
  compiled ??= (async () => {
    let bytes = await inlineBytes();
    if (!bytes) {
      const url = new URL('../pkg/report-pdf/mlmd_lens_report_pdf_bg.wasm', import.meta.url);
      let res;
      try {
        res = await fetch(url);
      } catch (e) {
        throw new Error(`cannot load the PDF module (pkg/report-pdf/: ${e instanceof Error ? e.message : e})`);
      }
      if (!res.ok) throw new Error(`cannot load the PDF module (pkg/report-pdf/: HTTP ${res.status}): run make build`);
      bytes = new Uint8Array(await res.arrayBuffer());
    }
    return WebAssembly.compile(/** @type {Uint8Array<ArrayBuffer>} */ (bytes));
  })();
  compiled.catch(() => { compiled = undefined; }); // a failed load may be retried
  return compiled;
}

/** Instantiates the compiled PDF module in this realm (once). @param {WebAssembly.Module} module */
export function usePdfModule(module) {
  if (instantiated) return;
  initSync({ module });
  instantiated = true;
}

/**
 * The PDF of a report document (the JSON of the core's `reportDoc`).
 * @param {string} docJson
 * @returns {Uint8Array}
 */
export function renderPdf(docJson) {
  if (!instantiated) throw Object.assign(new Error('the PDF module is not loaded'), { kind: 'invalid-argument' });
  return reportPdf(docJson);
}
