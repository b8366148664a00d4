// `make bench`, Node: ours against sql.js 1.16 on the same bytes, side by side.
//   open + first page: ours = MlmdOpening.read (streamed into SQLite's buffer) + firstPage(50)
//     (what the page shows first), and the whole open (index built, property names read);
//     sql.js = new SQL.Database(bytes) + the first page's SQL (50 executions with their
//     pipeline and stage contexts, by id).
//   searches and sorts with a value that changes every run (no result cache can help):
//     ours = store.executions({ query, sort, limit: 50 }); sql.js = the equivalent SQL.
// Prints a Markdown table with the ratio ours / sql.js (below 1: ours is faster).
// Usage: node bench/sqljs.mjs STORE [RUNS]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [store, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const bytes = new Uint8Array(readFileSync(store));

const { initSync, MlmdOpening } = await import(`${root}pkg/mlmd_lens.js`);
initSync({ module: readFileSync(`${root}pkg/mlmd_lens_bg.wasm`) });
const initSqlJs = createRequire(import.meta.url)('sql.js');
const SQL = await initSqlJs();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Median ms of `runs` calls of f(i) (after one untimed warm-up when `warm`). */
function time(f, warm = true) {
  if (warm) f(-1);
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f(i);
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const FIRST_PAGE_SQL = `
  SELECT e.id, e.name, t.name, e.last_known_state, e.create_time_since_epoch, e.last_update_time_since_epoch,
         (SELECT group_concat(c.name) FROM Association a JOIN Context c ON c.id = a.context_id WHERE a.execution_id = e.id)
  FROM Execution e LEFT JOIN Type t ON t.id = e.type_id ORDER BY e.id LIMIT 50`;
const sqlPage = (db, sql, params) => {
  const st = db.prepare(sql);
  st.bind(params ?? []);
  const rows = [];
  while (st.step()) rows.push(st.get());
  st.free();
  return rows;
};

const rows = [];
const row = (label, ours, theirs) => rows.push(`| ${label} | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${(ours / theirs).toFixed(2)}× |`);

// Open + first page.
const read = (o, n) => bytes.subarray(o, o + n);
const oursFirst = time(() => {
  const opening = MlmdOpening.read(bytes.length, read, 'bench');
  opening.firstPage(50);
  opening.free();
});
const theirsFirst = time(() => {
  const db = new SQL.Database(bytes);
  sqlPage(db, FIRST_PAGE_SQL);
  db.close();
});
row('open + first page of 50 rows', oursFirst, theirsFirst);
let open = null;
const oursFull = time(() => {
  open?.free();
  const opening = MlmdOpening.read(bytes.length, read, 'bench');
  opening.firstPage(50);
  open = opening.finish();
  open.propertyNames();
  opening.free();
});
row('whole open (index, property names) vs open + first page', oursFull, theirsFirst);

// Searches and sorts, a new value each run.
const db = new SQL.Database(bytes);
const lr = (i) => (0.001 + 0.0007 * (i + 2)).toFixed(4);
const cases = [
  ['property:learning_rate<X, first 50 by id',
    (i) => open.executions({ query: `property:learning_rate<${lr(i)}`, limit: 50 }),
    (i) => sqlPage(db, `SELECT e.id FROM Execution e JOIN ExecutionProperty p ON p.execution_id = e.id
       WHERE p.name = 'learning_rate' AND CAST(COALESCE(p.double_value, p.string_value, p.int_value) AS REAL) < ? ORDER BY e.id LIMIT 50`, [Number(lr(i))])],
  ['started after a date, newest first',
    (i) => open.executions({ query: `date>2026-01-0${(i % 8) + 2}`, sort: '-started', limit: 50 }),
    (i) => sqlPage(db, `SELECT id FROM Execution WHERE create_time_since_epoch > ? ORDER BY create_time_since_epoch DESC LIMIT 50`,
      [Date.UTC(2026, 0, (i % 8) + 3)])],
  ['sort by a property (descending), page 3',
    (i) => open.executions({ sort: '-property:learning_rate', offset: 100 + i, limit: 50 }),
    (i) => sqlPage(db, `SELECT e.id FROM Execution e LEFT JOIN ExecutionProperty p ON p.execution_id = e.id AND p.name = 'learning_rate'
       ORDER BY CAST(COALESCE(p.double_value, p.string_value, p.int_value) AS REAL) DESC, e.id LIMIT 50 OFFSET ?`, [100 + i])],
  ['name contains a word',
    (i) => open.executions({ query: `Train_${(i + 3) % 10}`, limit: 50 }),
    (i) => sqlPage(db, `SELECT id FROM Execution WHERE name LIKE ? ORDER BY id LIMIT 50`, [`%Train_${(i + 3) % 10}%`])],
];
for (const [label, ours, theirs] of cases) row(label, time(ours), time(theirs));
db.close();
open.free();

console.log(`\n### Node: ours vs sql.js 1.16 (${(bytes.length / 1048576).toFixed(0)} MB store; median of ${runs} runs, ms)\n`);
console.log('| case | ours ms | sql.js ms | ours/sql.js |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
