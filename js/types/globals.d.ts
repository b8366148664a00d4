// Globals the viewer's modules meet in some hosts only.

/** The worker's code as one script, defined by the bundles (scripts/bundle.mjs,
 *  python/js/build.mjs) where js/worker.js cannot be a file of its own. */
declare const MLMD_LENS_WORKER_SOURCE: string | undefined;

/** Synchronous file reads, in Web Workers only (the lib "dom" does not declare it). */
declare class FileReaderSync {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}
