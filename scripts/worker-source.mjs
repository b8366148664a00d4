// js/worker.js and what it imports as one classic script, for the bundles (the offline
// page, the notebook viewer) that start the store's worker from a blob: URL: a single
// file cannot hold a second script file. The worker gets the compiled wasm from the page
// in its first message, so wasm-bindgen's fetch of a sibling file is never reached.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @returns {Promise<string>} the worker's code */
export async function workerSource() {
  const out = await build({
    entryPoints: [`${root}js/worker.js`], bundle: true, format: 'iife', minify: true, write: false,
    legalComments: 'none', logLevel: 'error', define: { 'import.meta.url': '""' },
  });
  return out.outputFiles[0].text;
}
