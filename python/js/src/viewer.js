// The one front-end module of every notebook host. Bundled (build.mjs) into a single ES
// module, dist/viewer.js, with the wasm core and the viewer's CSS inside it, so that it
// needs no sibling file and no network (anywidget loads its `_esm` from a blob: URL, where
// relative URLs do not resolve — manzt/anywidget#921). Its exports serve each host:
//   default     the anywidget module ({ render }) of `mlmd_lens.Viewer`
//   activate    the VS Code notebook renderer (vscode/package.json `notebookRenderer`)
//   mountPayload / mountBytes   the JupyterLab MIME renderer and document viewer, and
//               the VS Code custom editor's webview
// Everything shown comes from the file as data: the widget sets text only, and the state
// carried by a notebook output is sanitised by the widget (saved notebooks are untrusted).
import { loadCore } from '../../../js/wasm.js';
import { openStore } from '../../../js/client.js';
import { render } from '../../../js/widget.js';
import { h } from '../../../js/dom.js';
import WASM_BASE64 from '../../../pkg/mlmd_lens_bg.wasm';
import CSS_TEXT from 'mlmd-lens:css';

/** The vendor MIME type of `mlmd_lens.show()` outputs. */
export const MIME_TYPE = 'application/vnd.mlmd-lens.v1+json';

/** The payload versions this module reads (`version` in the MIME data). */
const PAYLOAD_VERSION = 1;

/** The height of the viewer in a notebook output when the output does not say. */
export const DEFAULT_HEIGHT = '640px';

/**
 * The MIME data of `mlmd_lens.show()` (python/src/mlmd_lens/_display.py writes it).
 * @typedef {{
 *   version: number, fileName: string, encoding: 'gzip+base64'|'base64', data: string,
 *   byteLength?: number, state?: Record<string, any>, height?: string,
 *   subset?: Record<string, any>|null
 * }} Payload
 */

/**
 * A mounted viewer.
 * @typedef {{ setState(patch: object): void, getState(): any, destroy(): void }} Mounted
 */

/** The hosts' own few rules (the error box), beside the widget's CSS. */
const HOST_CSS = `
.mlmd-lens.mlmd-lens-error { display: block; padding: 8px 12px; border: 1px solid var(--ml-fail);
  border-left-width: 4px; border-radius: 6px; background: var(--ml-panel); }
.mlmd-lens.mlmd-lens-error strong { margin-right: 4px; }
`;

let sheet = null;

/**
 * Adds the viewer's CSS to the document (and to `el`'s shadow root, if any) once, as a
 * constructed stylesheet: no <style> or <link> element, so a strict CSP without
 * 'unsafe-inline' (VS Code webviews) allows it. Every rule is scoped under .mlmd-lens.
 * @param {HTMLElement} el
 */
function adoptStyles(el) {
  const roots = [document];
  const root = el.getRootNode();
  if (root instanceof ShadowRoot) roots.push(root);
  if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in Document.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS_TEXT + HOST_CSS);
    }
    for (const r of roots) {
      if (!r.adoptedStyleSheets.includes(sheet)) r.adoptedStyleSheets = [...r.adoptedStyleSheets, sheet];
    }
  } else if (!document.getElementById('mlmd-lens-style')) {
    document.head.append(h('style', { id: 'mlmd-lens-style' }, CSS_TEXT + HOST_CSS));
  }
}

/** @param {string} b64 @returns {Uint8Array} */
export function base64ToBytes(b64) {
  const bin = atob(b64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

let core;
/** Compiles the inlined wasm once per page (asynchronously: 2 MB is too big for the main
 * thread's sync compile in some browsers; a browser that cannot compile it gets loadCore's
 * error saying what the viewer needs). */
function ensureCore() {
  core ??= loadCore(base64ToBytes(WASM_BASE64)).then(() => {});
  return core;
}

/**
 * Shows a message in place of the viewer (text only).
 * @param {HTMLElement} el
 * @param {string} message
 */
function showError(el, message) {
  el.replaceChildren(h('div', { className: 'mlmd-lens mlmd-lens-error', role: 'alert' },
    h('strong', {}, 'mlmd-lens: '), h('span', { 'data-testid': 'load-error' }, message)));
}

/**
 * Opens `bytes` as an MLMD store and renders the viewer into `el`. A file that is not an
 * MLMD store gets the core's error message (e.g. "mlmd: not an SQLite database …") shown
 * in `el`, and the promise resolves to null.
 * @param {HTMLElement} el
 * @param {Uint8Array} bytes the whole store file
 * @param {{ fileName?: string, state?: object, height?: string, transfer?: boolean,
 *           onStateChange?: (state: any) => void }} [options] `transfer` hands the bytes'
 *           buffer to the store's worker (the caller must not use them afterwards)
 * @returns {Promise<Mounted|null>}
 */
export async function mountBytes(el, bytes, options = {}) {
  adoptStyles(el);
  const fileName = options.fileName || 'mlmd';
  let store;
  try {
    await ensureCore();
    // The store runs in a Web Worker (or on this thread where the host forbids workers).
    store = await openStore(bytes, { name: fileName, transfer: options.transfer });
  } catch (e) {
    showError(el, e instanceof Error ? e.message : String(e));
    return null;
  }
  const viewer = render(el, store, {
    state: options.state || {},
    height: options.height,
    fileName,
    stylesheet: false,
    onStateChange: options.onStateChange,
    // The PDF module (2 MB gzipped) is not in the notebook bundle.
    pdfUnavailable: 'The PDF report is not in the notebook viewer: in Python, Store(path).export("pdf") writes it (or mlmd-lens export --format pdf); the HTML report is here.',
  });
  return {
    setState: (patch) => viewer.setState(patch),
    getState: () => viewer.getState(),
    destroy() {
      viewer.destroy();
      store.close();
    },
  };
}

/**
 * Reads the file out of a `show()` payload: base64, gunzipped when `encoding` says so.
 * @param {Payload} payload
 * @returns {Promise<Uint8Array>}
 */
export async function payloadBytes(payload) {
  if (!payload || typeof payload !== 'object' || typeof payload.data !== 'string') {
    throw new Error('the output holds no MLMD data (was it made by mlmd_lens.show()?)');
  }
  if (payload.version !== PAYLOAD_VERSION) {
    throw new Error(`the output was made by a newer mlmd-lens (format ${payload.version}); upgrade the extension`);
  }
  if (payload.encoding !== 'base64' && payload.encoding !== 'gzip+base64') {
    throw new Error(`the output's data has an unknown encoding (${String(payload.encoding)})`);
  }
  let raw;
  try {
    raw = base64ToBytes(payload.data);
  } catch {
    throw new Error("the output's data is not valid base64 (is the notebook file damaged?)");
  }
  if (payload.encoding === 'base64') return raw;
  try {
    const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new Error("the output's data is not valid gzip (is the notebook file damaged?)");
  }
}

/**
 * Renders a `show()` output (the MIME data of MIME_TYPE) into `el`.
 * @param {HTMLElement} el
 * @param {Payload} payload
 * @param {{ onStateChange?: (state: any) => void, height?: string }} [options]
 * @returns {Promise<Mounted|null>}
 */
export async function mountPayload(el, payload, options = {}) {
  const fileName = typeof payload?.fileName === 'string' && payload.fileName ? payload.fileName : 'mlmd';
  let bytes;
  try {
    bytes = await payloadBytes(payload);
  } catch (e) {
    adoptStyles(el);
    showError(el, `${fileName}: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
  const state = payload.state && typeof payload.state === 'object' ? payload.state : {};
  const height = options.height ?? (typeof payload.height === 'string' && payload.height ? payload.height : DEFAULT_HEIGHT);
  return mountBytes(el, bytes, { fileName, state, height, transfer: true, onStateChange: options.onStateChange });
}

// ---------------------------------------------------------------------------------------
// anywidget: `mlmd_lens.Viewer` (python/src/mlmd_lens/_viewer.py). Synced traits:
//   _bytes (the file), _file_name, height — set once by Python;
//   query    <-> the widget's state.query (the search box);
//   selected <-> state.compare (the rows whose checkbox is ticked; at most the core's
//               language().compare.max);
//   opened   <-> state.selected (the execution whose details are open, or null);
//   alerts   <-> state.alerts (the alert rules: the core's `alerts` option; None in Python
//               until the view reports the rules it uses).

/** @param {any} value anywidget hands bytes traits over as a DataView */
function toBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(0);
}

const sameIds = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
/** True for alert rules set from Python (not `None` or an empty dict). @param {any} a */
const hasRules = (a) => Boolean(a) && typeof a === 'object' && Object.keys(a).length > 0;
/** Alert rules compared by value (both sides are plain JSON). */
const sameRules = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export default {
  /** @param {{ model: any, el: HTMLElement }} args */
  async render({ model, el }) {
    const viewState = () => ({
      query: model.get('query') || '',
      compare: model.get('selected') || [],
      selected: model.get('opened') ?? null,
      // No rules from Python yet: the view keeps its own (and reports them back).
      ...(hasRules(model.get('alerts')) ? { alerts: model.get('alerts') } : {}),
    });
    /** @type {Mounted|null} */
    let viewer = null;
    viewer = await mountBytes(el, toBytes(model.get('_bytes')), {
      fileName: model.get('_file_name'),
      height: model.get('height') || DEFAULT_HEIGHT,
      state: viewState(),
      onStateChange(s) {
        let dirty = false;
        if (s.query !== (model.get('query') || '')) { model.set('query', s.query); dirty = true; }
        if (!sameIds(s.compare, model.get('selected') || [])) { model.set('selected', [...s.compare]); dirty = true; }
        if (s.selected !== (model.get('opened') ?? null)) { model.set('opened', s.selected); dirty = true; }
        if (!sameRules(s.alerts, model.get('alerts'))) { model.set('alerts', s.alerts); dirty = true; }
        if (dirty) model.save_changes();
      },
    });
    if (!viewer) return undefined;
    const fromModel = () => {
      const want = viewState();
      const have = viewer.getState();
      const patch = {};
      if (want.query !== have.query) patch.query = want.query;
      if (!sameIds(want.compare, have.compare)) patch.compare = want.compare;
      if (want.selected !== have.selected) patch.selected = want.selected;
      if (hasRules(want.alerts) && !sameRules(want.alerts, have.alerts)) patch.alerts = want.alerts;
      if (Object.keys(patch).length) viewer.setState(patch);
    };
    const traits = ['query', 'selected', 'opened', 'alerts'];
    for (const t of traits) model.on(`change:${t}`, fromModel);
    // The view's own rules (its defaults, or Python's after the view cleaned them up).
    if (!sameRules(viewer.getState().alerts, model.get('alerts'))) {
      model.set('alerts', viewer.getState().alerts);
      model.save_changes();
    }
    return () => {
      for (const t of traits) model.off(`change:${t}`, fromModel);
      viewer.destroy();
    };
  },
};

// ---------------------------------------------------------------------------------------
// VS Code notebook renderer (vscode/package.json contributes it for MIME_TYPE).

/**
 * @param {any} _context the renderer context (unused: the renderer posts no messages)
 * @returns {{ renderOutputItem(item: any, el: HTMLElement, signal?: AbortSignal): Promise<void>,
 *             disposeOutputItem(id?: string): void }}
 */
export const activate = (_context) => {
  /** @type {Map<string, Mounted>} */
  const mounted = new Map();
  const dispose = (id) => {
    mounted.get(id)?.destroy();
    mounted.delete(id);
  };
  return {
    async renderOutputItem(item, el, signal) {
      dispose(item.id);
      let payload;
      try {
        payload = item.json();
      } catch (e) {
        adoptStyles(el);
        showError(el, `the output is not valid JSON (${e instanceof Error ? e.message : e})`);
        return;
      }
      const viewer = await mountPayload(el, payload);
      if (!viewer) return;
      if (signal?.aborted) viewer.destroy();
      else mounted.set(item.id, viewer);
    },
    disposeOutputItem(id) {
      if (id === undefined) for (const k of [...mounted.keys()]) dispose(k);
      else dispose(id);
    },
  };
};
