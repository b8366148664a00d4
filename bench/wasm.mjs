// Wasm side of `make bench`: the real pkg/ in Node, the same cases as examples/bench.rs.
// usage: node bench/wasm.mjs STORE.sqlite [RUNS] [LINEAGE.sqlite]  → one JSON object on stdout.
// LINEAGE.sqlite (bench/lineage-store.py): also the lineage graph of its middle execution,
// 50 hops each way, at most 400 nodes, walked, laid out and parsed (`lineage_graph`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { initSync, MlmdStore } = await import(`${root}pkg/mlmd_lens.js`);
initSync({ module: readFileSync(`${root}pkg/mlmd_lens_bg.wasm`) });

const [path, runsArg, lineagePath] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const { cases } = JSON.parse(readFileSync(`${root}bench/cases.json`, 'utf8'));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const out = {};

const bytes = new Uint8Array(readFileSync(path));
const opens = [];
let store;
for (let i = 0; i < Math.min(runs, 3); i++) {
  store?.free();
  const t = performance.now();
  store = MlmdStore.open(bytes, path);
  opens.push(performance.now() - t);
}
out.open = { cold_ms: opens[0], warm_ms: median(opens), count: store.summary().executions };
// The full integrity check (indexes included) that opening leaves to verify().
{
  const t = performance.now();
  const problems = store.verify().length;
  const took = performance.now() - t;
  out.verify = { cold_ms: took, warm_ms: took, count: problems };
}
const commit6 = store.execution(1).git.commit.slice(0, 6);
for (const [name, opts0] of cases) {
  const opts = { ...opts0 };
  const isStats = 'stats' in opts;
  delete opts.stats;
  if (opts.query) opts.query = opts.query.replace('{commit6}', commit6);
  const times = [];
  let count = 0;
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    count = isStats ? store.stats(opts).total : store.executions(opts).total;
    times.push(performance.now() - t);
  }
  const cold = times.shift();
  out[name] = { cold_ms: cold, warm_ms: median(times), count };
}
if (lineagePath) {
  store.free();
  store = MlmdStore.open(new Uint8Array(readFileSync(lineagePath)), lineagePath);
  const root = `e${Math.floor(store.summary().executions / 2)}`;
  const times = [];
  let count = 0;
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    count = store.lineageGraph(root, { depth: 50, maxNodes: 400 }).nodes.length;
    times.push(performance.now() - t);
  }
  const cold = times.shift();
  out.lineage_graph = { cold_ms: cold, warm_ms: median(times), count };
}
out._memory_mb = process.memoryUsage().rss / 1048576;
console.log(JSON.stringify(out));
