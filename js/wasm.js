// Loads the wasm core once per page and opens stores with it.
import init, { MlmdStore } from '../pkg/mlmd_lens.js';

let ready;

/**
 * Initialises the wasm module (once). Over file:// a fetch of the .wasm may be refused;
 * then the caller can pass the module's bytes.
 * @param {BufferSource|WebAssembly.Module} [module]
 * @returns {Promise<void>}
 */
export function loadCore(module) {
  ready ??= init(module ? { module_or_path: module } : undefined).then(() => undefined);
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
