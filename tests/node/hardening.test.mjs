// Hostile queries and files through the real wasm in Node: errors, never a trap that
// leaves the module unusable (issue 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadPkg, bytesOf, FIXTURES } from './helpers.mjs';

const { MlmdStore, language } = await loadPkg();

// Regression (issue 10, item 1): ~1,400 nested '(' or NOT trapped the wasm for good.
test('a deeply nested query is a query error and the module stays healthy', () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const { maxNesting, maxChars } = language().queryLimits;
  const hostile = [
    `${'('.repeat(5000)}a${')'.repeat(5000)}`,
    `${'NOT '.repeat(2500)}a`,
    `${'('.repeat(maxNesting + 1)}a${')'.repeat(maxNesting + 1)}`,
    'x '.repeat(maxChars),
  ];
  for (const query of hostile) {
    for (const call of [() => store.executions({ query }), () => store.stats({ query }),
      () => store.executions({ alerts: { rules: [query] } })]) {
      assert.throws(call, (e) => e.kind === 'query' && Number.isInteger(e.position), query.slice(0, 20));
    }
  }
  // The same store and a freshly opened one still answer.
  const total = store.executions({ query: 'pipeline:mnist' }).total;
  assert.ok(total > 0);
  const again = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  assert.equal(again.executions({ query: 'pipeline:mnist' }).total, total);
  const ok = `${'('.repeat(maxNesting)}pipeline:mnist${')'.repeat(maxNesting)}`;
  assert.equal(store.executions({ query: ok }).total, total);
});

// Regression (issue 10, item 2): WAL-mode stores were refused as damaged.
test('a WAL-mode store opens, with a warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmd-wal-'));
  try {
    const path = join(dir, 'mlmd');
    copyFileSync(join(FIXTURES, 'cmf_small.sqlite'), path);
    execFileSync('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(path)}); print(c.execute('PRAGMA journal_mode=WAL').fetchone()[0]); c.close()`]);
    const bytes = new Uint8Array(readFileSync(path));
    assert.deepEqual([bytes[18], bytes[19]], [2, 2]);
    const store = MlmdStore.open(bytes, 'mlmd');
    const s = store.summary();
    assert.equal(s.executions, MlmdStore.open(bytesOf('cmf_small.sqlite')).summary().executions);
    assert.ok(s.warnings.some((w) => w.includes('WAL mode')), JSON.stringify(s.warnings));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Regression (issue 10, item 7): a store over the browser's limit got "not enough memory".
test('a store too large for WebAssembly memory is refused before any copy, saying why', () => {
  const huge = new Uint8Array(2 ** 31 + 4096);
  assert.throws(() => MlmdStore.open(huge, 'big.sqlite'), (e) => {
    assert.equal(e.kind, 'too-large');
    assert.match(e.message, /^big\.sqlite: the store is 2048 MB: in a browser a store must fit in WebAssembly's memory/);
    assert.match(e.message, /command line \(mlmd-lens\) or Python/);
    return true;
  });
  // The module is still usable.
  assert.ok(MlmdStore.open(bytesOf('cmf_small.sqlite')).summary().executions > 0);
});

// A browser whose engine cannot compile the core (it uses WebAssembly SIMD) gets an error
// saying what the page needs, with the engine's own message. In a process of its own: the
// core is loaded once per realm.
test('a core that does not compile is an error naming the browsers the page needs', () => {
  const script = `
    import { loadCore } from ${JSON.stringify(new URL('../../js/wasm.js', import.meta.url).href)};
    // A module header, then a function body with an opcode no engine knows.
    const bad = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 5, 1, 3, 0, 0xfd, 0xff]);
    try { await loadCore(bad); console.log('compiled'); } catch (e) { console.log(JSON.stringify({ kind: e.kind, message: e.message })); }`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
  assert.equal(out.kind, 'unsupported-browser');
  assert.match(out.message, /does not compile in this browser: .+\. It needs WebAssembly SIMD: Chrome or Edge 91\+, Firefox 89\+, Safari 16\.4\+\./);
});
