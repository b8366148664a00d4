// The real pkg/ in Node 20 over every fixture: the wasm gives the same JSON as the native
// CLI for the same calls, bad inputs give their specific errors, and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPkg, bytesOf, cli, FIXTURES, GOOD, BAD } from './helpers.mjs';

const { MlmdStore } = await loadPkg();
const ALL = { limit: 1e9 };

test('the fixtures are there', () => {
  assert.ok(GOOD.length >= 5, `expected the MLMD fixtures in ${FIXTURES}, found ${GOOD}`);
});

for (const name of GOOD) {
  test(`${name}: wasm and native agree on summary, executions and every execution`, () => {
    const path = join(FIXTURES, name);
    const store = MlmdStore.open(bytesOf(name), name);
    const summary = store.summary();
    assert.deepEqual(summary, cli('summary', path, '--json'));
    const page = store.executions(ALL);
    assert.deepEqual(page, cli('executions', path, '--json'));
    assert.equal(page.total, summary.executions);
    for (const row of page.rows) {
      assert.deepEqual(store.execution(row.id), cli('show', path, String(row.id)));
    }
  });

  test(`${name}: every filter value gives the same rows as native`, () => {
    const path = join(FIXTURES, name);
    const store = MlmdStore.open(bytesOf(name), name);
    const s = store.summary();
    const cases = [
      ...s.pipelines.map((v) => ['pipeline', v]),
      ...s.stages.map((v) => ['stage', v]),
      ...s.executionTypes.map((v) => ['type', v]),
      ...Object.keys(s.states).map((v) => ['status', v.toLowerCase()]),
    ];
    for (const [key, value] of cases) {
      for (const sort of ['id', '-started', 'name', '-duration']) {
        const ours = store.executions({ [key]: value, sort, ...ALL });
        const native = cli('executions', path, `--${key}`, value, '--sort', sort, '--json');
        assert.deepEqual(ours, native, `${key}=${value} sort=${sort}`);
        assert.ok(ours.total > 0, `${key}=${value} matches nothing`);
      }
    }
    // Per-status counts add up to the summary's.
    for (const [label, n] of Object.entries(s.states)) {
      assert.equal(store.executions({ status: label, limit: 0 }).total, n, label);
    }
  });
}

test('paging returns consecutive slices of one sorted order', () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const all = store.executions({ sort: '-started', ...ALL }).rows.map((r) => r.id);
  const pages = [0, 7, 14].flatMap((offset) => store.executions({ sort: '-started', offset, limit: 7 }).rows.map((r) => r.id));
  assert.deepEqual(pages, all);
  assert.equal(all.length, 20);
});

for (const [name, kind] of Object.entries(BAD)) {
  test(`${name}: a ${kind} error that names the file`, () => {
    const before = createHash('sha256').update(readFileSync(join(FIXTURES, name))).digest('hex');
    assert.throws(() => MlmdStore.open(bytesOf(name), name), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.kind, kind);
      assert.ok(e.message.startsWith(`${name}: `), e.message);
      assert.ok(!/out of memory|unreachable|panicked/i.test(e.message), e.message);
      return true;
    });
    const after = createHash('sha256').update(readFileSync(join(FIXTURES, name))).digest('hex');
    assert.equal(after, before);
  });
}

test('the store stays usable after a bad file (no wasm trap)', () => {
  assert.throws(() => MlmdStore.open(new Uint8Array(0), 'x'));
  assert.throws(() => MlmdStore.open(new Uint8Array(4096).fill(7), 'y'));
  const store = MlmdStore.open(bytesOf('mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
  assert.equal(store.summary().executions, 20);
});

test('bad arguments are errors with a kind, not traps', () => {
  const store = MlmdStore.open(bytesOf('mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
  assert.throws(() => store.executions({ status: 'bogus' }), (e) => e.kind === 'invalid-argument' && /unknown status/.test(e.message));
  assert.throws(() => store.executions({ sort: 'nope' }), (e) => e.kind === 'invalid-argument');
  assert.throws(() => store.executions({ pipline: 'x' }), (e) => e.kind === 'invalid-argument' && /pipline/.test(e.message));
  assert.throws(() => store.executions({ from: 'last tuesday' }), (e) => e.kind === 'invalid-argument');
  assert.throws(() => store.execution(99999), (e) => e.kind === 'not-found');
  assert.throws(() => store.execution(1.5), (e) => e.kind === 'invalid-argument');
  assert.equal(store.summary().executions, 20);
});

test('CmfQuery-style calls through JS', () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const pid = store.pipelineId('mnist');
  assert.equal(typeof pid, 'number');
  assert.equal(store.executionsInPipeline(pid).length, 12);
  const sid = store.stageId('mnist', 'Train');
  assert.deepEqual(store.executionsInStage(sid), store.executionIds({ pipeline: 'mnist', stage: 'Train', limit: 1e9 }));
  assert.equal(store.pipelineId('no-such-pipeline'), null);
  const inputs = store.artifactsForExecution(1, 'INPUT');
  assert.ok(inputs.every((a) => a.eventType === 'INPUT'));
});
