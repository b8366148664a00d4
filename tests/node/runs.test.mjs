// Pipeline runs through the real pkg/ in Node 20, each answer the native CLI's: the runs of
// `summary()`, `executions({ run })`, `run=` in a query, `compareRuns(ids)` (the CLI's
// `compare-runs` JSON) and the timeline's `groupBy: 'run'`; errors keep their kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPkg, bytesOf, cli, FIXTURES } from './helpers.mjs';

const { MlmdStore } = await loadPkg();

for (const name of ['tfx_pipeline.sqlite', 'mlmd_tfx.sqlite', 'cmf_small.sqlite']) {
  test(`${name}: runs, the run filter and compareRuns answer as the CLI`, () => {
    const path = join(FIXTURES, name);
    const store = MlmdStore.open(bytesOf(name));
    const { runs } = store.summary();
    assert.deepEqual(runs, cli('summary', path, '--json').runs);
    if (name === 'cmf_small.sqlite') {
      assert.deepEqual(runs, []);
      assert.throws(() => store.compareRuns([1, 6]), (e) => e.kind === 'invalid-argument' && /not a pipeline run/.test(e.message));
      return;
    }
    for (const r of runs) {
      const page = store.executions({ run: r.name, limit: 1000 });
      assert.equal(page.total, r.executions);
      assert.deepEqual(page.rows.map((x) => x.id), cli('executions', path, '--run', r.name, '--json').rows.map((x) => x.id));
      assert.ok(page.rows.every((x) => x.run === r.name && x.runId === r.id));
      assert.equal(store.executions({ query: `run="${r.name}"` }).total, r.executions);
    }
    const ids = [runs[0].id, runs[1].id];
    assert.deepEqual(store.compareRuns(ids), cli('compare-runs', path, ...ids.map(String)));
    const t = store.timeline({ groupBy: 'run' });
    assert.ok(t.lanes.every((l) => runs.some((r) => l.startsWith(`${r.name} / `))), t.lanes.join('|'));
    assert.throws(() => store.timeline({ groupBy: 'week' }), (e) => e.kind === 'invalid-argument');
    store.free();
  });
}
