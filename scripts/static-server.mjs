// A tiny static file server for the repository (the page lives in www/, the wasm in pkg/).
// Used by `make serve` and by the browser tests. Serves localhost only.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.sqlite': 'application/octet-stream', '.md': 'text/plain; charset=utf-8',
};

/**
 * Starts serving `root` on 127.0.0.1:`port` (0 = any free port).
 * @param {string} root
 * @param {number} port
 * @returns {Promise<{server: import('node:http').Server, url: string}>}
 */
export function startServer(root, port = 0) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      // A malformed escape (`/%E0%A4%A`) is a bad request, not a crash of the server.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) { res.writeHead(403).end(); return; }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'content-length': size, 'cache-control': 'no-store',
      });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const port = Number(process.env.PORT || 8000);
  const { url } = await startServer(root, port);
  console.log(`mlmd-lens viewer: ${url}/www/  (with the bundled sample: ${url}/www/?url=sample/mlmd)`);
  console.log('Drop an MLMD file (cmflib "mlmd", TFX/KFP metadata.sqlite) onto the page. Ctrl-C stops.');
}
