// The search language, stats and property names through the real wasm in Node: the same
// answers as the native CLI, and parse errors that carry their position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadPkg, bytesOf, cli, FIXTURES, GOOD, ROOT } from './helpers.mjs';

const { MlmdStore } = await loadPkg();

for (const name of GOOD) {
  test(`${name}: queries, stats and property names agree with native`, () => {
    const path = join(FIXTURES, name);
    const store = MlmdStore.open(bytesOf(name), name);
    const s = store.summary();
    const props = store.propertyNames();
    assert.deepEqual(props, cli('properties', path));
    const queries = [
      ...s.pipelines.map((p) => `pipeline:${JSON.stringify(p)}`),
      ...s.stages.slice(0, 3).map((p) => `stage=${JSON.stringify(p)} OR status:failed`),
      ...Object.keys(s.states).map((st) => `status:${st}`),
      ...props.slice(0, 6).map((p) => `property:${JSON.stringify(p.name)}`),
      ...props.filter((p) => p.kinds.includes('int')).map((p) => `property:${JSON.stringify(p.name)}>=5`),
      'NOT (a OR e) duration>=0', 'commit:0', 'artifact:a', 'date>2000-01-01 -id:3',
    ];
    for (const query of queries) {
      const ours = store.executions({ query, sort: '-started', limit: 1e9 });
      assert.deepEqual(ours, cli('executions', path, '-q', query, '--sort', '-started', '--json'), query);
      assert.deepEqual(store.stats({ query }), cli('stats', path, '-q', query), `stats ${query}`);
    }
  });
}

test('a query that does not parse throws with its position', () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  assert.throws(() => store.executions({ query: 'pipeline:mnist AND property:epochs>' }), (e) => {
    assert.equal(e.kind, 'query');
    assert.equal(e.position, 35);
    assert.equal(e.message, "expected a value after 'property:epochs>' at 35");
    return true;
  });
  assert.throws(() => store.executions({ query: 'colour:red' }), (e) => e.kind === 'query' && e.position === 0 && /unknown field 'colour'/.test(e.message));
  assert.equal(store.executions({ query: 'pipeline:mnist AND property:epochs>10' }).total, 1);
});

test('relative dates use the browser clock', () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const newest = store.executions({ sort: '-started', limit: 1 }).rows[0].startedMs;
  const daysAgo = Math.ceil((Date.now() - newest) / 86400000) + 1;
  assert.equal(store.executions({ query: `date>=-${daysAgo}d` }).total > 0, true);
  assert.equal(store.executions({ query: 'date>now' }).total, 0);
});

test('alert rules flag rows through JS', () => {
  const store = MlmdStore.open(bytesOf('mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
  const page = store.executions({ limit: 1e9, alerts: { failed: true, rules: ['property:epochs>=20'] } });
  const failed = page.rows.filter((r) => r.alerts?.includes('failed')).map((r) => r.id);
  assert.deepEqual(failed, store.executionIds({ status: 'failed', limit: 1e9 }));
  const rule = page.rows.filter((r) => r.alerts?.includes('property:epochs>=20')).map((r) => r.id);
  assert.deepEqual(rule, store.executionIds({ query: 'property:epochs>=20', limit: 1e9 }));
  assert.throws(() => store.executions({ alerts: { faild: true } }), (e) => e.kind === 'invalid-argument');
});

test('export and lineage agree with native', () => {
  for (const name of GOOD) {
    const path = join(FIXTURES, name);
    const store = MlmdStore.open(bytesOf(name), name);
    const csv = store.export('csv', { sort: '-started' });
    const native = execFileSync(join(ROOT, 'target', 'debug', 'mlmd-lens'), ['export', path, '--format', 'csv', '--sort', '-started'], { encoding: 'utf8' });
    assert.equal(csv.trimEnd(), native.trimEnd(), name);
    const ids = store.executionIds({});
    if (ids.length) {
      assert.deepEqual(store.lineageGraph(`e${ids[0]}`), cli('lineage', path, String(ids[0])));
      assert.deepEqual(store.lineageGraph(`e${ids[0]}`, { depth: 1, maxNodes: 20 }), cli('lineage', path, `e${ids[0]}`, '--depth', '1', '--max-nodes', '20'));
    }
  }
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const json = JSON.parse(store.export('json', { query: 'pipeline=mnist' }));
  assert.equal(json.total, 12);
  assert.throws(() => store.export('xml', {}), (e) => e.kind === 'invalid-argument');
});

test("export('cmf-json', {pipeline}) is CMF's own JSON, as the CLI's", () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const want = JSON.parse(readFileSync(join(FIXTURES, 'cmf_small.dumptojson.json'), 'utf8'));
  assert.deepEqual(JSON.parse(store.export('cmf-json', { pipeline: 'mnist' })), want);
  const path = join(FIXTURES, 'cmf_small.sqlite');
  assert.deepEqual(cli('export', path, '--format', 'cmf-json', '--pipeline', 'fraud-detection'),
    JSON.parse(store.export('cmf-json', { pipeline: 'fraud-detection' })));
  assert.throws(() => store.export('cmf-json', {}), (e) => e.kind === 'invalid-argument');
});
