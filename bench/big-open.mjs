// `make bench` (BIG=1): opening one large store in a process of its own, ours or sql.js, so
// that the peak memory is each engine's. Ours reads the file piece by piece from disk
// (as the page's worker reads a File), sql.js needs the whole file as one array first.
// Usage: node bench/big-open.mjs STORE ours|sqljs → one JSON line.
import { openSync, readSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [store, engine] = process.argv.slice(2);
const out = { engine, store_mb: 0 };
const t0 = performance.now();
if (engine === 'ours') {
  const { initSync, MlmdOpening } = await import(`${root}pkg/mlmd_lens.js`);
  initSync({ module: readFileSync(`${root}pkg/mlmd_lens_bg.wasm`) });
  const fd = openSync(store, 'r');
  const size = fstatSync(fd).size;
  out.store_mb = Math.round(size / 1048576);
  const piece = new Uint8Array(32 << 20);
  const t = performance.now();
  const opening = MlmdOpening.read(size, (o, n) => piece.subarray(0, readSync(fd, piece, 0, Math.min(n, piece.length), o)), 'big');
  closeSync(fd);
  opening.firstPage(50);
  out.first_rows_ms = Math.round(performance.now() - t);
  const s = opening.finish();
  s.propertyNames();
  out.open_ms = Math.round(performance.now() - t);
} else {
  const SQL = await createRequire(import.meta.url)('sql.js')();
  const bytes = new Uint8Array(readFileSync(store));
  out.store_mb = Math.round(bytes.length / 1048576);
  const t = performance.now();
  const db = new SQL.Database(bytes);
  const st = db.prepare('SELECT e.id, e.name, (SELECT group_concat(c.name) FROM Association a JOIN Context c ON c.id = a.context_id WHERE a.execution_id = e.id) FROM Execution e ORDER BY e.id LIMIT 50');
  while (st.step()) st.get();
  st.free();
  out.first_rows_ms = Math.round(performance.now() - t);
  out.open_ms = out.first_rows_ms;
}
void t0;
out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
