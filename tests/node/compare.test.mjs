// Compare and its charts through the real pkg/ in Node 20: `compare(ids, { baseline })` is the
// CLI's JSON, and `compareChart` gives byte for byte the SVG `mlmd-lens compare --chart` writes.
// Node has no `window` or `document`: plotters measures text through them on wasm32, so a
// chart that measured any text would abort here (the page's store moves to a Web Worker,
// which has no `window` either).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPkg, bytesOf, cli, FIXTURES, ROOT } from './helpers.mjs';

const { MlmdStore } = await loadPkg();

const CASES = [
  ['cmf_small.sqlite', [4, 8, 12]],
  ['cmf_small.sqlite', [3, 7, 11]],
  ['mlmd_tfx.sqlite', [1, 2, 3]],
  ['tfx_pipeline.sqlite', [5, 11, 17]],
];

/** The SVG the CLI writes for `ids` (`--chart`), as text. */
function cliChart(path, ids, ...args) {
  const dir = mkdtempSync(join(tmpdir(), 'mlmd-lens-chart-'));
  try {
    const out = join(dir, 'chart.svg');
    execFileSync(join(ROOT, 'target', 'debug', 'mlmd-lens'), ['compare', path, ...ids.map(String), '--chart', out, ...args]);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [name, ids] of CASES) {
  test(`${name} ${ids.join(',')}: compare and its charts equal the CLI's, with no window`, () => {
    assert.equal(typeof globalThis.window, 'undefined');
    const path = join(FIXTURES, name);
    const store = MlmdStore.open(bytesOf(name), name);
    assert.deepEqual(store.compare(ids), cli('compare', path, ...ids.map(String)));
    const last = ids[ids.length - 1];
    assert.deepEqual(store.compare(ids, { baseline: last }), cli('compare', path, ...ids.map(String), '--baseline', String(last)));
    for (const kind of ['metrics', 'duration', 'parallel']) {
      const svg = store.compareChart(ids, kind, { baseline: last });
      assert.equal(svg, cliChart(path, ids, '--kind', kind, '--baseline', String(last)), `${kind} chart`);
      assert.match(svg, /^<svg /);
    }
  });
}

test('metricScatter and its chart equal the CLI scatter, with no window', () => {
  for (const [name, q, metric, parameter] of [
    ['cmf_small.sqlite', 'stage:Evaluate', 'accuracy', undefined],
    ['mlmd_tfx.sqlite', '', 'loss', 'optimizer'],
    ['tfx_pipeline.sqlite', '', undefined, undefined],
  ]) {
    const path = join(FIXTURES, name);
    const store = MlmdStore.open(bytesOf(name), name);
    const args = [...(q ? ['-q', q] : []), ...(metric ? ['--metric', metric] : []), ...(parameter ? ['--parameter', parameter] : [])];
    assert.deepEqual(store.metricScatter(q ? { query: q } : undefined, metric, parameter), cli('scatter', path, ...args), name);
    const dir = mkdtempSync(join(tmpdir(), 'mlmd-lens-scatter-'));
    try {
      const out = join(dir, 's.svg');
      execFileSync(join(ROOT, 'target', 'debug', 'mlmd-lens'), ['scatter', path, ...args, '--chart', out]);
      assert.equal(store.metricScatterChart(q ? { query: q } : undefined, metric, parameter), readFileSync(out, 'utf8'), name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('compare and compareChart refuse bad arguments with a kind', () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const kindOf = (f) => { try { f(); } catch (e) { return e.kind; } return null; };
  assert.equal(kindOf(() => store.compare([4, 8], { baseline: 3 })), 'invalid-argument');
  assert.equal(kindOf(() => store.compare([4, 8], { baseLine: 4 })), 'invalid-argument');
  assert.equal(kindOf(() => store.compareChart([4, 8], 'pie')), 'invalid-argument');
  assert.equal(kindOf(() => store.compareChart([4, 8], 'parallel', { metric: 'nope' })), 'invalid-argument');
  assert.equal(kindOf(() => store.compareChart([4], 'metrics')), 'invalid-argument');
});
