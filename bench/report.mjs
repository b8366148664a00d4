// Prints the benchmark table: native Rust, wasm in Node, the peers; ratios wasm/native and
// peer/ours. usage: node bench/report.mjs LABEL native.json wasm.json [peers.json]
import { readFileSync, existsSync } from 'node:fs';

const [label, nativePath, wasmPath, peersPath] = process.argv.slice(2);
const native = JSON.parse(readFileSync(nativePath, 'utf8'));
const wasm = JSON.parse(readFileSync(wasmPath, 'utf8'));
const peers = peersPath && existsSync(peersPath) ? JSON.parse(readFileSync(peersPath, 'utf8') || '{}') : {};
const peerNames = Object.keys(peers).filter((k) => k !== 'notes' && typeof peers[k] === 'object');

const f = (v) => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const r = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : '—');
const cases = Object.keys(native).filter((k) => !k.startsWith('_'));

console.log(`\n### ${label}\n`);
const head = ['case', 'native ms (cold / warm)', 'wasm ms (cold / warm)', 'wasm/native (warm)',
  ...peerNames.map((p) => `${p} ms`), ...peerNames.map((p) => `${p}/wasm`), 'rows (native = wasm)'];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const c of cases) {
  const n = native[c];
  const w = wasm[c] || {};
  const pv = peerNames.map((p) => peers[p]?.[c] ?? null);
  const same = n.count === w.count ? `${n.count}` : `${n.count} ≠ ${w.count}`;
  console.log(`| ${[c, `${f(n.cold_ms)} / ${f(n.warm_ms)}`, `${f(w.cold_ms)} / ${f(w.warm_ms)}`, r(w.warm_ms, n.warm_ms),
    ...pv.map(f), ...pv.map((v) => r(v, w.warm_ms)), same].join(' | ')} |`);
}
if (wasm._memory_mb) console.log(`\nNode RSS after the wasm run: ${wasm._memory_mb.toFixed(0)} MB.`);
for (const note of peers.notes || []) console.log(`- peer note: ${note}`);
const mismatch = cases.filter((c) => native[c].count !== wasm[c]?.count);
if (mismatch.length) console.log(`\nWARNING: native and wasm disagree on ${mismatch.join(', ')}`);
