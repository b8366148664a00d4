// The page's and the notebooks' way to the core: `openStore(file)` starts a Web Worker for
// the store (js/worker.js), streams the file into it and returns a client whose methods are
// the store's, asynchronous. Where a host forbids workers (some VS Code webviews block
// blob: workers) the core runs on the main thread instead, behind the same client.
import { loadCore } from './wasm.js';
import { createEngine } from './engine.js';
import { loadPdfModule } from './pdf.js';

/* The worker's code as one script, defined by the bundles (scripts/bundle.mjs,
   python/js/build.mjs), which cannot ship js/worker.js as a file of its own. */
/* global MLMD_LENS_WORKER_SOURCE */

/** How long a new worker may take to say it is ready before the main thread is used. */
const WORKER_START_MS = 10_000;

/**
 * What an open reports as it goes: `reading` (bytes of total), `checking`, `first-page`
 * (with the first rows, before the index), `indexing` (executions of total).
 * @typedef {{ phase: 'reading'|'checking'|'first-page'|'indexing', done: number, total: number,
 *             page?: import('../pkg/mlmd_lens.js').ExecutionPage }} Progress
 */

/**
 * A store's messages, to a worker or to an engine on this thread.
 * @typedef {{ post(msg: any, transfer?: Transferable[]): void, onmessage: (msg: any) => void,
 *             terminate(): void, mode: 'worker'|'main' }} Channel
 */

/** An Error with the core's `kind` (and `position` for a search). @param {{ message: string, kind: string, position?: number }} e */
function coreError({ message, kind, position }) {
  return Object.assign(new Error(message), { kind, ...(position !== undefined ? { position } : {}) });
}

/** The error a superseded or cancelled request rejects with. */
function abortError(what) {
  return Object.assign(new Error(`${what} was cancelled`), { name: 'AbortError', kind: 'cancelled' });
}

/**
 * Whether the page's own Content-Security-Policy (its meta tags) lets it start a worker
 * from a blob: URL; asking anyway would log a violation on every open.
 */
function blobWorkersAllowed() {
  if (typeof document === 'undefined') return true;
  for (const meta of document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')) {
    const directives = new Map(/** @type {HTMLMetaElement} */ (meta).content.split(';')
      .map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name.toLowerCase(), sources]));
    const sources = directives.get('worker-src') ?? directives.get('child-src') ?? directives.get('script-src') ?? directives.get('default-src');
    if (sources && !sources.includes('blob:')) return false;
  }
  return true;
}

/** @param {WebAssembly.Module} module @returns {Promise<Channel>} */
function startWorker(module) {
  return new Promise((resolve, reject) => {
    /** @type {Worker} */
    let worker;
    let url = '';
    try {
      const source = typeof MLMD_LENS_WORKER_SOURCE === 'string' ? MLMD_LENS_WORKER_SOURCE : null;
      if (source) {
        if (!blobWorkersAllowed()) throw new Error("the page's Content-Security-Policy does not allow workers from blob: URLs");
        url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        worker = new Worker(url);
      } else {
        worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      }
    } catch (e) {
      if (url) URL.revokeObjectURL(url);
      reject(e);
      return;
    }
    const done = () => { clearTimeout(timer); if (url) URL.revokeObjectURL(url); };
    const timer = setTimeout(() => { worker.terminate(); done(); reject(new Error('the worker did not start')); }, WORKER_START_MS);
    /** @type {Channel} */
    const channel = {
      mode: 'worker',
      post: (msg, transfer) => worker.postMessage(msg, transfer ?? []),
      onmessage: () => {},
      terminate: () => worker.terminate(),
    };
    worker.onerror = (e) => { e.preventDefault?.(); worker.terminate(); done(); reject(new Error(e.message || 'the worker could not run')); };
    worker.onmessage = (e) => {
      if (e.data?.op === 'ready') {
        done();
        worker.onerror = null;
        worker.onmessage = (m) => channel.onmessage(m.data);
        resolve(channel);
      } else if (e.data?.op === 'failed') {
        worker.terminate();
        done();
        reject(new Error(e.data.message));
      }
    };
    worker.postMessage({ op: 'init', module });
  });
}

/** @type {Promise<{ channel?: Channel, error?: any }> | null} a worker started ahead of the next open */
let spare = null;

/**
 * Starts the next store's worker ahead of time (the page calls this once it has loaded,
 * and again after each open), so that choosing a file does not wait for a worker to start
 * and instantiate the core.
 */
export function prepareWorker() {
  if (spare || typeof Worker !== 'function') return;
  spare = loadCore().then((m) => startWorker(m)).then((channel) => ({ channel }), (error) => ({ error }));
}

/** The engine on this thread, behind the same messages (replies come asynchronously). */
function startLocal() {
  /** @type {Channel} */
  const channel = {
    mode: 'main',
    post: (msg) => engine.receive(msg),
    onmessage: () => {},
    terminate: () => engine.receive({ op: 'close', id: -1 }),
  };
  const engine = createEngine((m) => setTimeout(() => channel.onmessage(m), 0));
  return channel;
}

/**
 * An open store, answered by its worker: the methods of the core's `MlmdStore`, each
 * returning a Promise. A request made with `{ supersede: key }` cancels the earlier
 * pending request with the same key (it rejects with an `AbortError`, kind `cancelled`).
 */
export class StoreClient {
  /** @param {Channel} channel @param {string} name */
  constructor(channel, name) {
    this.channel = channel;
    /** The file's name. */
    this.name = name;
    /** `worker`, or `main` where the core runs on the page's thread. */
    this.mode = channel.mode;
    /** @type {import('../pkg/mlmd_lens.js').ExecutionPage | null} the first rows, read before the index */
    this.firstPage = null;
    /** @type {import('../pkg/mlmd_lens.js').Summary | null} set once the store is open */
    this.openSummary = null;
    this.nextId = 1;
    /** @type {Map<number, { resolve: Function, reject: Function, onProgress?: Function, what: string }>} */
    this.pending = new Map();
    /** @type {Map<string, number>} */
    this.keyed = new Map();
    this.closed = false;
    /** @type {Promise<void> | undefined} the PDF module, once sent to the engine */
    this.pdfLoaded = undefined;
    /** @type {Set<(p: Progress) => void>} */
    this.listeners = new Set();
    channel.onmessage = (m) => this.receive(m);
  }

  /**
   * Calls `fn` with each progress report of the open (the index builds after `openStore`
   * resolves); returns the function that stops it.
   * @param {(p: Progress) => void} fn
   */
  onProgress(fn) {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  receive(m) {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.progress) { p.onProgress?.(m.progress); return; }
    this.pending.delete(m.id);
    if (m.cancelled) p.reject(abortError(p.what));
    else if (m.error) p.reject(coreError(m.error));
    else p.resolve(m.result);
  }

  /**
   * Sends a request.
   * @param {any} msg
   * @param {{ supersede?: string, onProgress?: Function, transfer?: Transferable[], signal?: AbortSignal }} [opts]
   *   `signal`: aborting it cancels the request (as `cancel`)
   * @returns {Promise<any>}
   */
  request(msg, opts = {}) {
    if (this.closed) return Promise.reject(coreError({ message: `${this.name} is closed`, kind: 'invalid-argument' }));
    const what = msg.method ?? msg.op;
    if (opts.signal?.aborted) return Promise.reject(abortError(what));
    const id = this.nextId++;
    opts.signal?.addEventListener('abort', () => this.cancel(id), { once: true });
    if (opts.supersede) {
      const old = this.keyed.get(opts.supersede);
      if (old !== undefined) this.cancel(old);
      this.keyed.set(opts.supersede, id);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress: opts.onProgress, what });
      this.channel.post({ ...msg, id }, opts.transfer);
    }).finally(() => { if (opts.supersede && this.keyed.get(opts.supersede) === id) this.keyed.delete(opts.supersede); });
  }

  /** Cancels a pending request: it rejects now, and is skipped if it has not started. */
  cancel(id) {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.channel.post({ op: 'cancel', id });
    p.reject(abortError(p.what));
  }

  /** @param {string} method @param {any[]} args @param {{ supersede?: string, signal?: AbortSignal }} [opts] */
  call(method, args, opts) {
    return this.request({ op: 'call', method, args }, opts);
  }

  /** @returns {Promise<import('../pkg/mlmd_lens.js').Summary>} */
  summary() { return this.call('summary', []); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {{ supersede?: string }} [opts] @returns {Promise<import('../pkg/mlmd_lens.js').ExecutionPage>} */
  executions(o, opts) { return this.call('executions', [o], opts); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {{ supersede?: string }} [opts] @returns {Promise<number[]>} */
  executionIds(o, opts) { return this.call('executionIds', [o], opts); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {{ supersede?: string }} [opts] @returns {Promise<import('../pkg/mlmd_lens.js').Stats>} */
  stats(o, opts) { return this.call('stats', [o], opts); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {{ supersede?: string }} [opts] @returns {Promise<import('../pkg/mlmd_lens.js').EmptyExplanation>} */
  explainEmpty(o, opts) { return this.call('explainEmpty', [o], opts); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {{ supersede?: string }} [opts] @returns {Promise<import('../pkg/mlmd_lens.js').AlertSummary>} */
  alertSummary(o, opts) { return this.call('alertSummary', [o], opts); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {{ supersede?: string }} [opts] @returns {Promise<import('../pkg/mlmd_lens.js').Timeline>} */
  timeline(o, opts) { return this.call('timeline', [o], opts); }
  /** @param {number} id @returns {Promise<import('../pkg/mlmd_lens.js').ExecutionDetails>} */
  execution(id) { return this.call('execution', [id]); }
  /** @param {number[]} ids @param {any} [o] @returns {Promise<import('../pkg/mlmd_lens.js').Comparison>} */
  compare(ids, o) { return this.call('compare', o === undefined ? [ids] : [ids, o]); }
  /** @param {number[]} ids run context ids (2–5) @returns {Promise<import('../pkg/mlmd_lens.js').RunComparison>} */
  compareRuns(ids) { return this.call('compareRuns', [ids]); }
  /** @param {number[]} ids @param {string} kind @param {any} [o] @returns {Promise<string>} an SVG */
  compareChart(ids, kind, o) { return this.call('compareChart', [ids, kind, o]); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {string} [metric] @param {string} [parameter] @returns {Promise<import('../pkg/mlmd_lens.js').MetricScatter>} */
  metricScatter(o, metric, parameter) { return this.call('metricScatter', [o, metric, parameter]); }
  /** @param {import('../pkg/mlmd_lens.js').ExecutionQuery} [o] @param {string} [metric] @param {string} [parameter] @returns {Promise<string>} an SVG */
  metricScatterChart(o, metric, parameter) { return this.call('metricScatterChart', [o, metric, parameter]); }
  /** @param {number} id @param {'INPUT'|'OUTPUT'} direction @returns {Promise<import('../pkg/mlmd_lens.js').Artifact[]>} */
  artifactsForExecution(id, direction) { return this.call('artifactsForExecution', [id, direction]); }
  /** @param {number} id @param {number} [depth] @returns {Promise<import('../pkg/mlmd_lens.js').Lineage>} */
  lineage(id, depth) { return this.call('lineage', [id, depth]); }
  /**
   * The laid-out lineage graph of `root`: `'e12'` an execution, `'a5'` an artifact, `'c3'` a
   * context (its pipeline's stages); nodes carry their boxes (`x, y, width, height`, left →
   * right), edges their `points`; `hidden` counts what `expand: [key]` would add.
   * @param {string} root @param {Partial<import('../pkg/mlmd_lens.js').LineageOptions>} [o] `{ depth, maxNodes, expand }`
   * @param {{ supersede?: string }} [opts]
   * @returns {Promise<import('../pkg/mlmd_lens.js').LineageGraph>}
   */
  lineageGraph(root, o, opts) { return this.call('lineageGraph', o === undefined ? [root] : [root, o], opts); }
  /** @returns {Promise<import('../pkg/mlmd_lens.js').PropertyName[]>} */
  propertyNames() { return this.call('propertyNames', []); }
  /**
   * An export made by the core: `csv`, `json`, `cmf-json` (of `o.pipeline`) or `html` as
   * text, or `pdf` (the report, drawn by the PDF module, loaded on first use) as bytes.
   * @template {'csv'|'json'|'cmf-json'|'html'|'pdf'} F
   * @param {F} format
   * @param {import('../pkg/mlmd_lens.js').ExportOptions} [o] the filter, `ids`, `columns`, `properties`, `bom`, `storeName`
   * @param {{ signal?: AbortSignal }} [opts] aborting `signal` cancels the export
   * @returns {Promise<F extends 'pdf' ? Uint8Array : string>}
   */
  async export(format, o, opts) {
    if (format === 'pdf') await this.loadPdf();
    return this.call('export', [format, o], opts);
  }
  /**
   * An export as a file's contents (a Blob), for a download: CSV and JSON are written in the
   * worker a chunk of executions at a time — never one string of the whole export — with
   * `onProgress({ phase: 'exporting', done, total })` after each chunk; aborting `signal`
   * stops it between chunks (the promise rejects with kind `cancelled`). The bytes are
   * those of `export(format, o)`.
   * @param {'csv'|'json'|'cmf-json'|'html'|'pdf'} format
   * @param {import('../pkg/mlmd_lens.js').ExportOptions} [o] as for `export`
   * @param {{ signal?: AbortSignal, type?: string, onProgress?: (p: { phase: 'exporting', done: number, total: number }) => void }} [opts]
   *   `type`: the Blob's media type
   * @returns {Promise<Blob>}
   */
  async exportFile(format, o, opts = {}) {
    if (format === 'pdf') await this.loadPdf();
    return this.request({ op: 'export-file', format, options: o, type: opts.type ?? '' }, { signal: opts.signal, onProgress: opts.onProgress });
  }

  /** Sends the PDF module to the engine, once. */
  async loadPdf() {
    this.pdfLoaded ??= loadPdfModule().then((module) => this.request({ op: 'pdf-module', module }));
    this.pdfLoaded.catch(() => { this.pdfLoaded = undefined; });
    await this.pdfLoaded;
  }

  /**
   * The bytes of a new MLMD file holding only the executions `ids` and what they reference
   * (moved, not copied, from the worker).
   * @param {number[]} ids @param {{ signal?: AbortSignal }} [opts] @returns {Promise<Uint8Array>}
   */
  subset(ids, opts) { return this.call('subset', [ids], opts); }
  /** @returns {Promise<string[]>} */
  verify() { return this.call('verify', []); }
  /** @param {string} name @returns {Promise<number | null>} the id of the pipeline context named `name` (pipeline lineage's root `c<id>`) */
  pipelineId(name) { return this.call('pipelineId', [name]); }

  /**
   * What the store's engine holds: `wasmBytes`, its wasm memory (the store's copy, the
   * index, SQLite's caches; a high-water mark). In the main-thread fallback that memory is
   * the page's own instance's.
   * @returns {Promise<{ wasmBytes: number }>}
   */
  memory() { return this.request({ op: 'memory' }); }

  /** Frees the store: its worker ends, and with it every byte of its memory. */
  close() {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.cancel(id);
    this.channel.terminate();
  }
}

/**
 * Opens an MLMD store in a Web Worker (or on this thread where workers are not allowed):
 * the file is read piece by piece into the core's memory, checked, and its first rows
 * read; the promise resolves then, with `client.firstPage` set, while the index builds
 * (`client.ready` resolves once it is built; requests made before wait for it).
 * Rejects with an Error whose `kind` is the core's (`not-sqlite`, `truncated`, …), or
 * `cancelled` when `signal` aborts.
 * @param {Blob|Uint8Array} source a File or Blob (never copied into JS), or bytes
 * @param {{ name?: string, onProgress?: (p: Progress) => void, signal?: AbortSignal,
 *           worker?: boolean, transfer?: boolean, copyLimit?: number }} [options] `worker: false`
 *           runs the core on this thread; `transfer` moves a Uint8Array's buffer to the worker;
 *           a File larger than `copyLimit` bytes (default 1.5 GiB) is not copied into memory
 *           but read on demand (in a worker)
 * @returns {Promise<StoreClient & { ready: Promise<void> }>}
 */
export async function openStore(source, options = {}) {
  const name = options.name ?? (typeof File !== 'undefined' && source instanceof File ? source.name : 'store');
  const module = await loadCore();
  /** @type {Channel} */
  let channel;
  if (options.worker === false || typeof Worker !== 'function') {
    channel = startLocal();
  } else {
    const ready = spare;
    spare = null;
    /** @type {{ channel?: Channel, error?: any }} */
    const started = ready ? await ready : await startWorker(module).then((c) => ({ channel: c }), (error) => ({ error }));
    if (started.channel) {
      channel = started.channel;
    } else {
      const e = started.error;
      console.info(`mlmd-lens: this page cannot start a Web Worker (${e instanceof Error ? e.message : e}); the viewer runs on the main thread`);
      channel = startLocal();
    }
  }
  const client = /** @type {StoreClient & { ready: Promise<void> }} */ (new StoreClient(channel, name));
  if (options.signal?.aborted) { client.close(); throw abortError(`opening ${name}`); }
  const onAbort = () => client.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const transfer = options.transfer && source instanceof Uint8Array ? [source.buffer] : undefined;
  /** @type {(page: any) => void} */
  let gotFirst = () => {};
  const first = new Promise((resolve) => { gotFirst = resolve; });
  client.ready = client.request({ op: 'open', source, name, copyLimit: options.copyLimit }, {
    transfer,
    onProgress: (/** @type {Progress} */ p) => {
      if (p.phase === 'first-page') { client.firstPage = p.page ?? null; gotFirst(p.page); }
      options.onProgress?.(p);
      for (const fn of client.listeners) fn(p);
    },
  }).then((r) => { client.openSummary = r.summary; })
    .finally(() => options.signal?.removeEventListener('abort', onAbort));
  client.ready.catch(() => {}); // the caller sees the error through the returned promise
  const winner = await Promise.race([first, client.ready.then(() => null)]).catch((e) => {
    client.close();
    throw e.kind === 'cancelled' ? abortError(`opening ${name}`) : e;
  });
  void winner;
  return client;
}
