// Builds dist/viewer.js — the one front-end module of the notebook hosts (src/viewer.js
// with js/widget.js, js/views/*, pkg/ and the CSS inside it: one ES module, no imports, no
// sibling files) — and copies it to where each host loads it from:
//   ../src/mlmd_lens/static/viewer.js   the anywidget `_esm` of mlmd_lens.Viewer
//   ../../vscode/dist/viewer.js         the VS Code notebook renderer and custom editor
// The JupyterLab extension (src/labextension.js) imports dist/viewer.js and is built next
// by `jupyter labextension build` (see package.json).
import { build } from 'esbuild';
import { workerSource } from '../../scripts/worker-source.mjs';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const wasm = join(root, 'pkg', 'mlmd_lens_bg.wasm');
if (!existsSync(wasm)) {
  console.error('build.mjs: pkg/mlmd_lens_bg.wasm is missing: run `make build` at the repository root first');
  process.exit(1);
}

// The viewer's CSS: js/widget.css with its @import of each view's file inlined.
const css = await build({
  entryPoints: [join(root, 'js', 'widget.css')], bundle: true, minify: true, write: false,
  loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff2': 'dataurl' }, logLevel: 'warning',
});
const cssText = css.outputFiles[0].text;

/** `import CSS from 'mlmd-lens:css'` gives the CSS text. */
const cssModule = {
  name: 'mlmd-lens-css',
  setup(b) {
    b.onResolve({ filter: /^mlmd-lens:css$/ }, (args) => ({ path: args.path, namespace: 'mlmd-lens' }));
    b.onLoad({ filter: /.*/, namespace: 'mlmd-lens' }, () => ({ contents: cssText, loader: 'text' }));
  },
};

const out = join(here, 'dist', 'viewer.js');
await build({
  entryPoints: [join(here, 'src', 'viewer.js')],
  outfile: out,
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  loader: { '.wasm': 'base64' },
  // Nothing in the bundle may resolve a URL against its own location: anywidget loads it
  // from a blob: URL and webpack (JupyterLab) would try to bundle what such a URL names.
  // The wasm glue's default path and the widget's stylesheet link are never used here
  // (the wasm is inlined, `stylesheet: false`).
  // The store's worker is started from its code as a blob: URL (js/client.js).
  define: { 'import.meta.url': '"about:mlmd-lens-bundle"', MLMD_LENS_WORKER_SOURCE: JSON.stringify(await workerSource()) },
  plugins: [cssModule],
  logLevel: 'warning',
});

for (const dest of [join(here, '..', 'src', 'mlmd_lens', 'static', 'viewer.js'), join(root, 'vscode', 'dist', 'viewer.js')]) {
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(out, dest);
}
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`python/js/dist/viewer.js: ${kb(statSync(out).size)} (CSS ${kb(cssText.length)}, wasm ${kb(statSync(wasm).size)} before base64)`);
