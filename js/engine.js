// The core's side of js/client.js: opens a store and answers requests. It runs inside the
// store's Web Worker (js/worker.js), or on the page's main thread where a host forbids
// workers. Requests are answered in order; one cancelled before it starts is skipped.
import { MlmdOpening } from '../pkg/mlmd_lens.js';
import { renderPdf, usePdfModule } from './pdf.js';
import { wasmMemoryBytes } from './wasm.js';

/** The first rows sent while the index builds. */
const FIRST_ROWS = 50;
/** Store methods a client may not call. */
const PRIVATE = new Set(['free', 'constructor', 'exportStream', 'exportNext']);
/** An export written in chunks takes about this long per chunk (the worker, or the page's
 * thread in the fallback, stays free to answer a cancel between them). */
const EXPORT_CHUNK_MS = 25;
/** The formats the core writes a chunk of executions at a time. */
const CHUNKED = new Set(['csv', 'json']);

/**
 * An Error as a message: its text, `kind` and (for a search) `position`.
 * @param {any} e
 */
function errorMessage(e) {
  return {
    message: e instanceof Error ? e.message : String(e),
    kind: (e && typeof e === 'object' && 'kind' in e && e.kind) || 'error',
    position: e && typeof e === 'object' && 'position' in e ? e.position : undefined,
  };
}

/** The buffers of a result's typed arrays, or of a typed array result (moved, not copied, to the page). */
function buffersOf(value) {
  if (!value || typeof value !== 'object') return [];
  if (ArrayBuffer.isView(value)) return [/** @type {ArrayBuffer} */ (value.buffer)];
  return Object.values(value).filter((v) => ArrayBuffer.isView(v)).map((v) => /** @type {ArrayBuffer} */ (v.buffer));
}

/** Stores up to this size are copied into memory once their first rows are shown; larger
 * ones are read from the File on demand (wasm32's memory ends at 4 GiB). */
const COPY_LIMIT = 1536 << 20;
/** Stores larger than this show their first rows read from the File before the copy; a
 * smaller one is copied at once (its integrity check reads it all anyway). */
const PREVIEW_FROM = 64 << 20;
/** A file read on demand is read in blocks of this size, the last BLOCKS of them kept. */
const BLOCK = 1 << 20;
const BLOCKS = 96;
/** At most this many blocks are read at once while reads run on (a table scan). */
const RUN = 16;

/**
 * Reads a File on demand for SQLite (`read(offset, length)`): in 1 MiB blocks, the most
 * recent kept (SQLite reads pages all over the file), several at once while reads run on
 * from block to block.
 * @param {Blob} blob
 * @returns {(offset: number, length: number) => Uint8Array}
 */
function pager(blob) {
  const reader = new FileReaderSync();
  /** @type {Map<number, Uint8Array>} block index → bytes, least recently used first */
  const blocks = new Map();
  let lastMiss = -2;
  let run = 1;
  const block = (i) => {
    let b = blocks.get(i);
    if (b) {
      blocks.delete(i);
      blocks.set(i, b);
      return b;
    }
    run = i === lastMiss + 1 ? Math.min(run * 2, RUN) : 1;
    const bytes = new Uint8Array(reader.readAsArrayBuffer(blob.slice(i * BLOCK, (i + run) * BLOCK)));
    for (let k = 0; k * BLOCK < bytes.length; k++) {
      blocks.set(i + k, bytes.subarray(k * BLOCK, (k + 1) * BLOCK));
      if (blocks.size > BLOCKS) blocks.delete(blocks.keys().next().value);
    }
    lastMiss = i + run - 1;
    b = blocks.get(i) ?? new Uint8Array(0);
    return b;
  };
  return (o, n) => {
    const first = Math.floor(o / BLOCK);
    const b = block(first);
    const at = o - first * BLOCK;
    if (at + n <= b.length) return b.subarray(at, at + n);
    // Across a block boundary (pages never are; the header read may be): join two.
    const out = new Uint8Array(n);
    let done = 0;
    for (let i = first; done < n; i++) {
      const piece = block(i).subarray(i === first ? at : 0);
      if (!piece.length) break;
      const take = Math.min(piece.length, n - done);
      out.set(piece.subarray(0, take), done);
      done += take;
    }
    return out.subarray(0, done);
  };
}

/** The buffer a File's stream is read into, reused for every piece. */
const PIECE = 1 << 20;

/**
 * Copies a File (or Blob) into a store's copy in the core, piece by piece as its stream
 * gives them: read into one reused buffer where the stream allows it (a byte stream:
 * nothing is left for the garbage collector, so memory stays the copy's own), or as the
 * stream's own chunks. Works in the worker and on the main thread (the reads are
 * asynchronous: the page keeps painting).
 * @param {Blob} blob @param {string} name
 * @param {(done: number, total: number) => void} onBytes
 * @returns {Promise<MlmdOpening>}
 */
async function fill(blob, name, onBytes) {
  const size = blob.size;
  const head = new Uint8Array(await blob.slice(0, 100).arrayBuffer());
  const filling = MlmdOpening.filling(size, head, name);
  try {
    const stream = blob.stream();
    /** @type {ReadableStreamBYOBReader | null} */
    let byob = null;
    try { byob = stream.getReader({ mode: 'byob' }); } catch { /* not a byte stream */ }
    const reader = byob ?? stream.getReader();
    let buffer = new ArrayBuffer(PIECE);
    let done = 0;
    let shown = -1;
    for (;;) {
      const r = byob ? await byob.read(new Uint8Array(buffer, 0, PIECE)) : await /** @type {ReadableStreamDefaultReader<Uint8Array>} */ (reader).read();
      if (r.done || !r.value) break;
      done = filling.write(r.value);
      if (byob) buffer = /** @type {ArrayBuffer} */ (r.value.buffer);
      const pct = Math.floor((done / Math.max(size, 1)) * 100);
      if (pct !== shown) { shown = pct; onBytes(done, size); }
      if (done >= size) break;
    }
    reader.releaseLock();
    return filling.open();
  } finally {
    filling.free();
  }
}

/**
 * How to read bytes piece by piece: `read(offset, length)` returns the bytes there and
 * reports how far reading has come (a File or Blob is read by `fill`).
 * @param {Uint8Array|ArrayBuffer} source
 * @param {(done: number, total: number) => void} onBytes
 * @returns {{ size: number, read: (offset: number, length: number) => Uint8Array }}
 */
function readerOf(source, onBytes) {
  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (source instanceof Uint8Array) {
    const bytes = source;
    return { size: bytes.length, read: (o, n) => { const b = bytes.subarray(o, o + n); onBytes(o + b.length, bytes.length); return b; } };
  }
  throw Object.assign(new Error('not a file: give a File, a Blob or a Uint8Array'), { kind: 'invalid-argument' });
}

/**
 * Creates the engine; `post(message, transfer)` sends a message to the client.
 * @param {(message: any, transfer?: Transferable[]) => void} post
 * @returns {{ receive(message: any): void }}
 */
export function createEngine(post) {
  /** @type {import('../pkg/mlmd_lens.js').MlmdStore | null} */
  let store = null;
  /** @type {any[]} */
  const queue = [];
  /** Ids cancelled before they ran (skipped), or while they run (an export stops). */
  const cancelled = new Set();
  let busy = false;
  /**
   * Why the last open failed: the requests the viewer made after the first rows came
   * (before the integrity check or the index failed) get this error, naming the file.
   * @type {any}
   */
  let failed = null;
  /** The error of a request that needs a store when none is open. */
  const noStore = () => failed ?? Object.assign(new Error('no store is open'), { kind: 'invalid-argument' });

  /** Opens a store (replacing the open one), or records why it could not. */
  async function open(msg) {
    try {
      const opened = await openStoreOf(msg);
      failed = null;
      return opened;
    } catch (e) {
      if (e?.kind !== 'cancelled') {
        // Later requests are about the file that failed: none is answered from the last one.
        store?.free();
        store = null;
        failed = e;
      }
      throw e;
    }
  }

  async function openStoreOf({ id, source, name, copyLimit }) {
    const progress = (phase, done, total) => post({ id, progress: { phase, done, total } });
    /** Reading, then checking once every byte is in (the header and schema; a small
     *  store's integrity is checked as the index build starts). */
    const reading = (done, total) => {
      progress('reading', done, total);
      if (done >= total) progress('checking', 1, 1);
    };
    let opening;
    /** @type {any} the first page, when read before the copy */
    let first = null;
    const limit = copyLimit ?? COPY_LIMIT;
    if (typeof Blob !== 'undefined' && source instanceof Blob && typeof FileReaderSync === 'function'
      && (source.size > PREVIEW_FROM || source.size > limit)) {
      // In a worker. The first rows come from the File read page by page (a few pages:
      // no copy to wait for); then the store is copied into memory, where the index and
      // every later question are fastest. A store too large to copy stays on the File.
      progress('checking', 1, 1);
      const onFile = MlmdOpening.source(source.size, pager(source), name);
      first = onFile.firstPage(FIRST_ROWS);
      post({ id, progress: { phase: 'first-page', done: first.rows.length, total: first.total, page: first } });
      if (source.size > limit) {
        opening = onFile;
      } else {
        onFile.free();
        opening = await fill(source, name, (done, total) => progress('reading', done, total));
      }
    } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
      opening = await fill(source, name, reading);
    } else {
      const { size, read } = readerOf(source, reading);
      opening = MlmdOpening.read(size, read, name);
    }
    try {
      if (!first) {
        first = opening.firstPage(FIRST_ROWS);
        post({ id, progress: { phase: 'first-page', done: first.rows.length, total: first.total, page: first } });
      }
      const executions = first.total;
      let last = -1;
      const next = opening.finish((share) => {
        const pct = Math.floor(share * 100);
        if (pct !== last) { last = pct; progress('indexing', Math.round(share * executions), executions); }
      });
      store?.free();
      store = next;
    } finally {
      opening.free();
    }
    return { summary: store.summary(), propertyNames: store.propertyNames() };
  }

  function call({ method, args }) {
    if (!store) throw noStore();
    // A PDF: the core writes the report's document, the PDF module draws it.
    if (method === 'export' && args?.[0] === 'pdf') return renderPdf(store.reportDoc(args[1]));
    const fn = typeof method === 'string' && !method.startsWith('_') && !PRIVATE.has(method) ? store[method] : undefined;
    if (typeof fn !== 'function') throw Object.assign(new Error(`unknown store method ${method}`), { kind: 'invalid-argument' });
    return fn.apply(store, args ?? []);
  }

  /** Throws the error of a cancelled request when `id` was cancelled while it ran. */
  function stopIfCancelled(id) {
    if (cancelled.delete(id)) throw Object.assign(new Error('the export was cancelled'), { kind: 'cancelled' });
  }

  /**
   * An export as a Blob: CSV and JSON written a chunk of executions at a time (each chunk
   * sized to take about EXPORT_CHUNK_MS), with progress after each (`exporting`, executions
   * of total) and a pause between them in which a cancel is heard; other formats at once.
   * No string of the whole export is made.
   */
  async function exportFile({ id, format, options, type }) {
    if (!store) throw noStore();
    const blobType = typeof type === 'string' ? type : '';
    if (format === 'pdf') return new Blob([/** @type {BlobPart} */ (renderPdf(store.reportDoc(options)))], { type: blobType });
    if (!CHUNKED.has(format)) return new Blob([store.export(format, options)], { type: blobType });
    const job = store.exportStream(format, options);
    try {
      const parts = [];
      let rows = 200;
      for (;;) {
        const started = performance.now();
        const chunk = store.exportNext(job, rows);
        if (chunk === undefined) break;
        parts.push(chunk);
        const took = performance.now() - started;
        rows = Math.max(50, Math.min(50_000, Math.round(rows * EXPORT_CHUNK_MS / Math.max(took, 1))));
        post({ id, progress: { phase: 'exporting', done: job.written, total: job.total } });
        await new Promise((r) => setTimeout(r, 0));
        stopIfCancelled(id);
      }
      return new Blob(parts, { type: blobType });
    } finally {
      job.free();
    }
  }

  /** The id of the request running now. */
  let current = -1;

  async function run(msg) {
    current = msg.id;
    try {
      const result = msg.op === 'open' ? await open(msg)
        : msg.op === 'close' ? (store?.free(), store = null)
          : msg.op === 'pdf-module' ? usePdfModule(msg.module)
            : msg.op === 'memory' ? { wasmBytes: wasmMemoryBytes() }
            : msg.op === 'export-file' ? await exportFile(msg)
              : call(msg);
      post({ id: msg.id, result }, buffersOf(result));
    } catch (e) {
      post(e?.kind === 'cancelled' ? { id: msg.id, cancelled: true } : { id: msg.id, error: errorMessage(e) });
    } finally {
      current = -1;
      cancelled.delete(msg.id);
    }
  }

  async function drain() {
    if (busy) return;
    busy = true;
    // One request per task: cancels that arrive meanwhile are seen before the next runs.
    while (queue.length) {
      const msg = queue.shift();
      if (cancelled.delete(msg.id)) {
        post({ id: msg.id, cancelled: true });
      } else {
        await run(msg);
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    busy = false;
  }

  return {
    receive(msg) {
      if (msg?.op === 'cancel') {
        if (msg.id === current || queue.some((m) => m.id === msg.id)) cancelled.add(msg.id);
        return;
      }
      queue.push(msg);
      drain();
    },
  };
}
