// A table view of `?total=N` synthetic executions in scroll mode: row i has id i + 1.
import { loadCore } from '../../../js/wasm.js';
import { createTable } from '../../../js/views/table.js';
import { DEFAULT_STATE } from '../../../js/widget.js';

await loadCore();
const total = Number(new URLSearchParams(location.search).get('total') ?? 1000000);
const row = (i) => ({
  id: i + 1, name: `exec_${i + 1}`, type: 'Train', pipeline: 'p', stage: 'Train', status: 'Completed', state: 3,
  started: '2026-01-01T00:00:00.000Z', startedMs: 0, ended: '2026-01-01T00:00:01.000Z', endedMs: 1000,
  durationMs: 1000, gitCommit: '', gitCommitShort: '', alerts: [],
});
let state = { ...DEFAULT_STATE, mode: 'scroll' };
const root = document.getElementById('root');
/** @type {any} */
const ctx = {
  store: { execution: async () => null },
  summary: { executions: total },
  propertyNames: [],
  alerts: {},
  root,
  state: () => state,
  set: (patch) => { state = { ...state, ...patch }; table.update({ state, page }); },
  filters: () => ({}),
  fetchRows: async (offset, limit) => Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, k) => row(offset + k)),
};
const page = { total, offset: 0, rows: [] };
const table = createTable(ctx);
root.append(table.el);
table.update({ state, page });
/** @type {any} */ (window).tableReady = true;
