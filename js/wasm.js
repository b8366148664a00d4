// Loads the wasm core once per page and opens stores with it.
import init, { initSync, MlmdStore } from '../pkg/mlmd_lens.js';

let ready;

/**
 * The wasm bytes when the page carries them inline (the offline single-file HTML, where
 * fetching a sibling file from file:// is not allowed): a `<script type="application/wasm+base64"
 * id="mlmd-lens-wasm">` data block.
 * @returns {Uint8Array|null}
 */
function inlineWasm() {
  const block = typeof document !== 'undefined' && document.getElementById('mlmd-lens-wasm');
  const text = block?.textContent?.trim();
  if (!text) return null;
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * Initialises the wasm module (once): from inline bytes when the page has them, from the
 * given module or bytes, else by fetching pkg/mlmd_lens_bg.wasm beside the JS.
 * @param {BufferSource|WebAssembly.Module} [module]
 * @returns {Promise<void>}
 */
export function loadCore(module) {
  if (!ready) {
    const bytes = module ?? inlineWasm();
    ready = bytes ? Promise.resolve().then(() => { initSync({ module: bytes }); }) : init().then(() => undefined);
  }
  return ready;
}

/**
 * Opens an MLMD store from bytes; throws an Error with `kind` and a message naming the file.
 * @param {Uint8Array} bytes
 * @param {string} fileName
 * @returns {Promise<MlmdStore>}
 */
export async function openStore(bytes, fileName) {
  await loadCore();
  return MlmdStore.open(bytes, fileName);
}
