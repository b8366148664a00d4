// The store's Web Worker: the wasm core and one open store, off the page's main thread.
// js/client.js starts it, sends the compiled core in an `init` message, then requests.
import { loadCore } from './wasm.js';
import { createEngine } from './engine.js';

/** @type {ReturnType<typeof createEngine> | null} */
let engine = null;
const scope = /** @type {any} */ (self);

scope.onmessage = async (/** @type {MessageEvent} */ e) => {
  const msg = e.data;
  if (msg?.op === 'init') {
    try {
      await loadCore(msg.module);
      engine = createEngine((m, transfer) => scope.postMessage(m, transfer ?? []));
      scope.postMessage({ op: 'ready' });
    } catch (err) {
      scope.postMessage({ op: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  engine?.receive(msg);
};
