// Builds dist/mlmd-lens.html: the whole viewer (page + widget + wasm) in one file that
// opens by double-click from file://, with no network. The JS is one inline module, the
// wasm a base64 data block (js/wasm.js reads it), the CSS one inline <style>; the CSP
// allows exactly those by hash. An MLMD file can be embedded in the
// `mlmd-lens-data` data block (the page's "Save offline HTML" does that).
import { build } from 'esbuild';
import { workerSource } from './worker-source.mjs';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const js = await build({
  entryPoints: [`${root}www/main.js`], bundle: true, format: 'esm', minify: true, write: false,
  legalComments: 'none', logLevel: 'warning', define: { MLMD_LENS_WORKER_SOURCE: JSON.stringify(await workerSource()) },
});
const css = await build({
  entryPoints: [`${root}www/offline.css`], bundle: true, minify: true, write: false, logLevel: 'warning',
});
const code = js.outputFiles[0].text.replaceAll('</script', '<\\/script');
const style = css.outputFiles[0].text;
const wasm = readFileSync(`${root}pkg/mlmd_lens_bg.wasm`).toString('base64');
const hash = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

let html = readFileSync(`${root}www/index.html`, 'utf8');
const csp = `default-src 'none'; script-src ${hash(code)} 'wasm-unsafe-eval'; worker-src blob:; style-src ${hash(style)}; img-src data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`;
html = html
  .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
  .replace('<html lang="en">', '<html lang="en" data-offline="1">')
  .replace('<link rel="stylesheet" href="style.css">', () => `<style>${style}</style>`)
  .replace('<link rel="stylesheet" href="../js/widget.css">\n', '')
  .replace('<script src="file-hint.js"></script>\n', '')
  .replace('<script type="module" src="main.js"></script>', () => `<script type="module">${code}</script>`)
  .replace('</body>', () => `<script type="application/wasm+base64" id="mlmd-lens-wasm">${wasm}</script>\n`
    + '<script type="application/octet-stream+base64" id="mlmd-lens-data" data-name=""></script>\n</body>');
if (html.includes('file-hint.js')) throw new Error('bundle: the file:// hint script is not needed inline');
if (html.includes('href="../js/widget.css"')) throw new Error('bundle: the widget stylesheet is inlined, not linked');
for (const needle of ['data-offline', 'mlmd-lens-wasm', '<style>', '<script type="module">']) {
  if (!html.includes(needle)) throw new Error(`bundle: www/index.html changed shape (no ${needle})`);
}
mkdirSync(`${root}dist`, { recursive: true });
writeFileSync(`${root}dist/mlmd-lens.html`, html);
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`dist/mlmd-lens.html: ${kb(html.length)} (JS ${kb(code.length)}, CSS ${kb(style.length)}, wasm ${kb(wasm.length)} base64)`);
