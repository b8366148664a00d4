// Loads the wasm core once per page (or worker): the compiled module is kept, so that each
// store's Web Worker (js/client.js) instantiates it without fetching or compiling again.
import { initSync, MlmdStore } from '../pkg/mlmd_lens.js';

/** @type {Promise<WebAssembly.Module> | undefined} */
let ready;
/** @type {WebAssembly.Memory | undefined} the instance's memory, once initialised */
let memory;

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
 * Compiles the core's bytes; a browser that cannot (the core uses WebAssembly SIMD) gets an
 * error that says what it needs instead of the engine's opcode message alone.
 * @param {BufferSource} bytes
 * @returns {Promise<WebAssembly.Module>}
 */
async function compile(bytes) {
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    const err = new Error(`the viewer's core (WebAssembly) does not compile in this browser: ${e.message}. `
      + 'It needs WebAssembly SIMD: Chrome or Edge 91+, Firefox 89+, Safari 16.4+.');
    /** @type {any} */ (err).kind = 'unsupported-browser';
    throw err;
  }
}

/**
 * Initialises the wasm core in this realm (once) and returns its compiled module: from the
 * given module or bytes, else from the page's inline bytes, else by fetching
 * pkg/mlmd_lens_bg.wasm.
 * @param {BufferSource|WebAssembly.Module} [source]
 * @returns {Promise<WebAssembly.Module>}
 */
export function loadCore(source) {
  ready ??= (async () => {
    let bytes = source ?? inlineWasm();
    if (!bytes) {
      const res = await fetch(new URL('../pkg/mlmd_lens_bg.wasm', import.meta.url));
      if (!res.ok) throw new Error(`cannot load the viewer's core (pkg/mlmd_lens_bg.wasm: HTTP ${res.status}): run make build`);
      bytes = await res.arrayBuffer();
    }
    const module = bytes instanceof WebAssembly.Module ? bytes : await compile(bytes);
    memory = /** @type {any} */ (initSync({ module })).memory;
    return module;
  })();
  return ready;
}

/** The bytes of this realm's wasm memory (SQLite's copy of the store, the index, …): it
 * grows and never shrinks, so this is the high-water mark; 0 before the core is loaded. */
export function wasmMemoryBytes() {
  return memory?.buffer.byteLength ?? 0;
}

/**
 * Opens an MLMD store from bytes in this realm (Node, tests); the page and the notebooks
 * open through js/client.js instead, in a Web Worker. Throws an Error with `kind` and a
 * message naming the file.
 * @param {Uint8Array} bytes
 * @param {string} fileName
 * @returns {Promise<MlmdStore>}
 */
export async function openStore(bytes, fileName) {
  await loadCore();
  return MlmdStore.open(bytes, fileName);
}
