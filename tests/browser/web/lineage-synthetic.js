// The lineage view over a hand-made graph in the core's LineageGraph shape: e1 → a2 → e3,
// a hostile artifact name, a missing artifact (dashed), an INTERNAL_INPUT edge (labelled),
// and an expander on e3 whose `expand` adds e4. Records what the view asked (window.asks)
// and what it set (window.sets).
import { loadCore } from '../../../js/wasm.js';
import { createLineage } from '../../../js/views/lineage.js';
import { DEFAULT_STATE } from '../../../js/widget.js';

await loadCore();
const HOSTILE = '<img src=x onerror="window.pwned=1">model';
const node = (key, kind, layer, row, extra = {}) => ({
  key, kind, id: Number(key.slice(1)), name: key, type: kind === 'execution' ? 'Trainer' : 'Model', typeFull: `tfx.${kind}`,
  status: kind === 'execution' ? 'Completed' : 'LIVE', depth: layer - 1, layer, x: 20 + layer * 220, y: 20 + row * 80,
  width: 160, height: 44, hidden: 0, ...extra,
});
/** @param {string[]} expand */
function graph(expand) {
  const nodes = [
    node('e1', 'execution', 0, 0, { status: 'Failed' }),
    node('a2', 'artifact', 1, 0, { name: HOSTILE }),
    node('m9', 'missing', 1, 1, { name: 'artifact 9', type: 'artifact' }),
    node('e3', 'execution', 2, 0, { hidden: expand.includes('e3') ? 0 : 1 }),
  ];
  const edges = [
    { from: 'e1', to: 'a2', type: 'OUTPUT', label: '', count: 1, points: [[180, 42], [240, 42]] },
    { from: 'm9', to: 'e3', type: 'INTERNAL_INPUT', label: 'INTERNAL_INPUT', count: 1, points: [[400, 122], [460, 42]] },
    { from: 'a2', to: 'e3', type: 'INPUT', label: '', count: 1, points: [[400, 42], [460, 42]] },
  ];
  if (expand.includes('e3')) {
    nodes.push(node('a4', 'artifact', 3, 0));
    edges.push({ from: 'e3', to: 'a4', type: 'OUTPUT', label: '', count: 1, points: [[620, 42], [680, 42]] });
  }
  return { root: 'e1', kind: 'execution', depth: 2, truncated: !expand.includes('e3'), width: 880, height: 160, nodes, edges };
}
const w = /** @type {any} */ (window);
w.asks = [];
w.sets = [];
let state = { ...DEFAULT_STATE, lineage: 'e1' };
const root = /** @type {HTMLElement} */ (document.getElementById('root'));
/** @type {any} */
const ctx = {
  root, page: true,
  store: {
    lineageGraph: async (key, o) => { w.asks.push([key, o]); return graph(o.expand ?? []); },
    artifactsForExecution: async (id, dir) => (id === 1 && dir === 'OUTPUT' ? [{ id: 2, name: HOSTILE, type: 'Model', uri: '/data/<b>model</b>', version: '', state: 'LIVE', created: null, updated: null, properties: { note: '<script>x</script>' }, customProperties: {} }] : []),
  },
  state: () => state,
  set: (patch) => { w.sets.push(patch); state = { ...state, ...patch }; view.update({ state }); },
};
const view = createLineage(ctx);
root.append(view.el);
view.update({ state });
w.lineageReady = true;
