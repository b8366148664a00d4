// Exports through the wasm core in Node: the same bytes as the native CLI for CSV, JSON
// and the HTML report (the report's date aside), and `subset(ids)` as a new MLMD file
// holding exactly those executions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadPkg, bytesOf, FIXTURES, ROOT } from './helpers.mjs';
import { loadCore } from '../../js/wasm.js';
import { openStore } from '../../js/client.js';

const { MlmdStore } = await loadPkg();
const BIN = join(ROOT, 'target', 'debug', 'mlmd-lens');
const cliText = (...args) => execFileSync(BIN, args, { encoding: 'utf8', maxBuffer: 1 << 28 });

test('wasm exports of a selection equal the CLI\'s bytes (csv, json, html)', () => {
  const path = join(FIXTURES, 'cmf_small.sqlite');
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  for (const format of ['csv', 'json']) {
    assert.equal(store.export(format, { ids: [4, 8, 12] }).trimEnd(), cliText('export', path, '--format', format, '--ids', '4,8,12').trimEnd(), format);
  }
  const noDate = (s) => s.replace(/Made [^<]* by/, 'Made … by');
  assert.equal(noDate(store.export('html', { ids: [4, 8, 12] })).trimEnd(),
    noDate(cliText('export', path, '--format', 'html', '--ids', '4,8,12')).trimEnd());
  const csv = store.export('csv', { ids: [4], columns: ['id', 'status'], properties: [], bom: true });
  assert.equal(csv.split('\n')[0], '\ufeffid,name,status,started,ended,duration_ms');
  assert.throws(() => store.export('csv', { ids: [123456] }), (e) => e.kind === 'not-found');
});

test('subset(ids) is a new MLMD file with exactly those executions', () => {
  const store = MlmdStore.open(bytesOf('mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
  const bytes = store.subset([2, 5, 9]);
  assert.ok(bytes instanceof Uint8Array);
  const sub = MlmdStore.open(bytes, 'subset');
  assert.deepEqual(sub.executions({ limit: 100 }).rows.map((r) => r.id), [2, 5, 9]);
  assert.equal(sub.summary().schemaVersion, store.summary().schemaVersion);
  for (const id of [2, 5, 9]) assert.deepEqual(sub.execution(id).outputs, store.execution(id).outputs);
  assert.throws(() => store.subset([424242]), (e) => e.kind === 'not-found');
});

test('an export through the client is cancelled by its signal; the next one answers', async () => {
  await loadCore(readFileSync(join(ROOT, 'pkg', 'mlmd_lens_bg.wasm')));
  const store = await openStore(bytesOf('cmf_small.sqlite'), { name: 'cmf_small.sqlite', worker: false });
  const abort = new AbortController();
  const first = store.export('json', {}, { signal: abort.signal });
  abort.abort();
  await assert.rejects(first, (e) => e.kind === 'cancelled');
  await assert.rejects(store.export('csv', {}, { signal: abort.signal }), (e) => e.kind === 'cancelled');
  const csv = await store.export('csv', { ids: [4] });
  assert.equal(csv.trim().split('\n').length, 2);
  const bytes = await store.subset([4, 8]);
  assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
  store.close();
});

test('exportFile writes a large CSV and JSON in chunks with progress, the bytes of export(), and Cancel stops it', async () => {
  await loadCore(readFileSync(join(ROOT, 'pkg', 'mlmd_lens_bg.wasm')));
  const dir = mkdtempSync(join(tmpdir(), 'mlmd-export-'));
  try {
    const path = join(dir, 'l4000.sqlite');
    execFileSync('python3', [join(FIXTURES, 'gen_large.py'), path, '--executions', '4000', '--seed', '3'], { stdio: 'ignore' });
    const bytes = readFileSync(path);
    const store = await openStore(new Uint8Array(bytes), { name: 'l4000.sqlite', worker: false });
    await store.ready;
    for (const [format, o] of [['csv', { sort: 'property:learning_rate', bom: true }], ['json', { query: 'status:completed' }]]) {
      /** @type {Array<{ phase: string, done: number, total: number }>} */
      const seen = [];
      const blob = await store.exportFile(format, o, { type: 'text/plain', onProgress: (p) => seen.push(p) });
      assert.ok(blob instanceof Blob);
      assert.equal(blob.type, 'text/plain');
      const whole = await store.export(format, o);
      // Blob.text() drops a leading BOM; compare the bytes.
      assert.deepEqual(Buffer.from(await blob.arrayBuffer()), Buffer.from(whole, 'utf8'), format);
      const total = (await store.executionIds({ query: o.query, sort: o.sort })).length;
      assert.ok(seen.length > 1, `${format}: more than one chunk (${seen.length})`);
      assert.ok(seen.every((p) => p.phase === 'exporting' && p.total === total));
      assert.ok(seen.every((p, i) => i === 0 || p.done > seen[i - 1].done), 'progress only advances');
      assert.equal(seen.at(-1).done, total);
      // The same export cancelled after its first chunk rejects, and the store answers on.
      const abort = new AbortController();
      let chunks = 0;
      const stopped = store.exportFile(format, o, { signal: abort.signal, onProgress: () => { chunks += 1; abort.abort(); } });
      await assert.rejects(stopped, (e) => e.kind === 'cancelled');
      assert.equal(chunks, 1);
    }
    // The engine stopped the cancelled export: the next request is answered at once.
    assert.equal((await store.executions({ limit: 1 })).total, 4000);
    assert.equal((await (await store.exportFile('cmf-json', { pipeline: 'mnist' })).text()), await store.export('cmf-json', { pipeline: 'mnist' }));
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
