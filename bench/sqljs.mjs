// `make bench`, Node: ours against sql.js 1.16 on the same bytes, side by side.
//   open + first page: ours = MlmdOpening.read (streamed into SQLite's buffer) + firstPage(50)
//     (what the page shows first), and the whole open (index built, property names read);
//     sql.js = new SQL.Database(bytes) + the first page's SQL (50 executions by id with their
//     type and the names of their contexts, read in one pass over Association).
//   searches and sorts with a value that changes every run (no result cache can help):
//     ours = store.executions({ query, sort, limit: 50 }) (the count and the page's rows);
//     sql.js = the equivalent SQL: the count, and the page's rows with the same columns.
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

// The page's rows: the execution's columns and type, then the names of its contexts from
// one pass over Association (MLMD has no index on Association.execution_id, so a
// correlated subquery per row would scan it 50 times).
const PAGE_COLUMNS = `SELECT e.id, e.name, t.name, e.last_known_state, e.create_time_since_epoch, e.last_update_time_since_epoch
  FROM Execution e LEFT JOIN Type t ON t.id = e.type_id`;
const CONTEXTS_OF = (n) => `SELECT a.execution_id, group_concat(c.name) FROM Association a JOIN Context c ON c.id = a.context_id
  WHERE a.execution_id IN (${Array(n).fill('?').join(',')}) GROUP BY a.execution_id`;
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
/** The rows of the executions `ids` (in that order) with their contexts' names. */
const rowsOf = (db, ids) => {
  if (!ids.length) return [];
  const rows = sqlPage(db, `${PAGE_COLUMNS} WHERE e.id IN (${ids.map(() => '?').join(',')})`, ids);
  const contexts = new Map(sqlPage(db, CONTEXTS_OF(ids.length), ids).map(([id, names]) => [id, names]));
  const byId = new Map(rows.map((r) => [r[0], [...r, contexts.get(r[0]) ?? null]]));
  return ids.map((id) => byId.get(id));
};
const theirsFirst = time(() => {
  const db = new SQL.Database(bytes);
  rowsOf(db, sqlPage(db, 'SELECT id FROM Execution ORDER BY id LIMIT 50').map((r) => r[0]));
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

// Searches and sorts, a new value each run. The SQL answers what ours does: the count of
// matches (the table's "N executions") and the page's rows with their columns (name, type,
// state, times, contexts: `rowsOf`), as a sql.js viewer would need to show them.
const db = new SQL.Database(bytes);
const lr = (i) => (0.001 + 0.0007 * (i + 2)).toFixed(4);
/** The count of `from` (a FROM … WHERE … clause over `e`) and its page: 50 ids in `order`, then their rows. */
const countAndPage = (from, order, params, offset) => {
  sqlPage(db, `SELECT count(*) ${from}`, params);
  const ids = sqlPage(db, `SELECT e.id ${from} ORDER BY ${order} LIMIT 50${offset === undefined ? '' : ' OFFSET ?'}`,
    offset === undefined ? params : [...params, offset]).map((r) => r[0]);
  return rowsOf(db, ids);
};
const LR = `FROM Execution e JOIN ExecutionProperty p ON p.execution_id = e.id
       WHERE p.name = 'learning_rate' AND CAST(COALESCE(p.double_value, p.string_value, p.int_value) AS REAL) < ?`;
const cases = [
  ['property:learning_rate<X, first 50 by id',
    (i) => open.executions({ query: `property:learning_rate<${lr(i)}`, limit: 50 }),
    (i) => countAndPage(LR, 'e.id', [Number(lr(i))])],
  ['started after a date, newest first',
    (i) => open.executions({ query: `date>2026-01-0${(i % 8) + 2}`, sort: '-started', limit: 50 }),
    (i) => countAndPage('FROM Execution e WHERE e.create_time_since_epoch > ?', 'e.create_time_since_epoch DESC',
      [Date.UTC(2026, 0, (i % 8) + 3)])],
  ['sort by a property (descending), page 3',
    (i) => open.executions({ sort: '-property:learning_rate', offset: 100 + i, limit: 50 }),
    (i) => rowsOf(db, sqlPage(db, `SELECT e.id FROM Execution e LEFT JOIN ExecutionProperty p ON p.execution_id = e.id AND p.name = 'learning_rate'
       ORDER BY CAST(COALESCE(p.double_value, p.string_value, p.int_value) AS REAL) DESC, e.id LIMIT 50 OFFSET ?`, [100 + i]).map((r) => r[0]))],
  ['name contains a word',
    (i) => open.executions({ query: `Train_${(i + 3) % 10}`, limit: 50 }),
    (i) => countAndPage('FROM Execution e WHERE e.name LIKE ?', 'e.id', [`%Train_${(i + 3) % 10}%`])],
];
for (const [label, ours, theirs] of cases) row(label, time(ours), time(theirs));
db.close();
open.free();

console.log(`\n### Node: ours vs sql.js 1.16 (${(bytes.length / 1048576).toFixed(0)} MB store; median of ${runs} runs, ms)\n`);
console.log('| case | ours ms | sql.js ms | ours/sql.js |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
