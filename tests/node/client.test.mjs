// js/client.js with the engine on this thread (Node has no Web Worker; the browser tests
// cover the worker): the first page read before the index equals the opened store's, a
// superseded request rejects as cancelled, and errors keep the core's kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesOf, damagedBytes } from './helpers.mjs';
import { loadCore } from '../../js/wasm.js';
import { openStore } from '../../js/client.js';

const ROOT = join(import.meta.dirname, '..', '..');
await loadCore(readFileSync(join(ROOT, 'pkg', 'mlmd_lens_bg.wasm')));

for (const name of ['cmf_small.sqlite', 'mlmd_tfx.sqlite', 'tfx_pipeline.sqlite']) {
  test(`${name}: first page before the index = first page after; phases in order`, async () => {
    const phases = [];
    const store = await openStore(bytesOf(name), { name, worker: false, onProgress: (p) => { if (phases.at(-1) !== p.phase) phases.push(p.phase); } });
    assert.ok(store.firstPage, 'the first rows arrive before the index');
    await store.ready;
    const page = await store.executions({ limit: 50 });
    assert.deepEqual(store.firstPage.rows, page.rows);
    assert.equal(store.firstPage.total, page.total);
    assert.deepEqual(phases, ['reading', 'checking', 'first-page', 'indexing']);
    assert.equal((await store.summary()).executions, page.total);
    store.close();
  });
}

test('a superseded request rejects as cancelled; the newer one answers', async () => {
  const store = await openStore(bytesOf('cmf_small.sqlite'), { name: 'cmf_small.sqlite', worker: false });
  const older = store.executions({ query: 'stage:Train' }, { supersede: 'page' });
  const newer = store.executions({ query: 'stage:Evaluate' }, { supersede: 'page' });
  await assert.rejects(older, (e) => e.kind === 'cancelled' && e.name === 'AbortError');
  const page = await newer;
  assert.ok(page.total > 0 && page.rows.every((r) => r.stage === 'Evaluate'));
  store.close();
  await assert.rejects(store.summary(), /closed/);
});

test('errors keep their kind and name the file', async () => {
  await assert.rejects(openStore(bytesOf('not_sqlite.bin'), { name: 'not_sqlite.bin', worker: false }),
    (e) => e.kind === 'not-sqlite' && e.message.includes('not_sqlite.bin'));
  await assert.rejects(openStore(new Uint8Array(0), { name: 'empty', worker: false }), (e) => e.kind === 'empty');
  const store = await openStore(bytesOf('cmf_small.sqlite'), { name: 'cmf_small.sqlite', worker: false });
  await assert.rejects(store.executions({ query: 'status:(' }), (e) => e.kind === 'query' && typeof e.position === 'number');
  store.close();
});

test('a damaged store shows its first rows; then every request gets the damage, naming the file', async () => {
  const store = await openStore(damagedBytes('cmf_small.sqlite'), { name: 'damaged.sqlite', worker: false });
  const good = await openStore(bytesOf('cmf_small.sqlite'), { name: 'cmf_small.sqlite', worker: false });
  await good.ready;
  assert.deepEqual(store.firstPage?.rows, (await good.executions({ limit: 50 })).rows);
  good.close();
  const damaged = (/** @type {any} */ e) => e.kind === 'corrupt' && e.message.startsWith('damaged.sqlite: ') && /integrity check failed/.test(e.message);
  await assert.rejects(store.ready, damaged);
  // The viewer asks for these as soon as the first rows show.
  await assert.rejects(store.summary(), damaged);
  await assert.rejects(store.executions({ limit: 50 }), damaged);
  store.close();
});

test('an aborted open rejects as cancelled', async () => {
  const ac = new AbortController();
  const p = openStore(bytesOf('tfx_pipeline.sqlite'), { name: 't', worker: false, signal: ac.signal });
  ac.abort();
  await assert.rejects(p, (e) => e.kind === 'cancelled');
});

test('lineageGraph through the client: the core\'s graph, laid out; options optional; errors typed', async () => {
  const store = await openStore(bytesOf('tfx_pipeline.sqlite'), { name: 'tfx_pipeline.sqlite', worker: false });
  await store.ready;
  const g = await store.lineageGraph('e5');
  assert.equal(g.root, 'e5');
  assert.equal(g.kind, 'execution');
  assert.equal(g.nodes[0].key, 'e5');
  const keys = new Set(g.nodes.map((n) => n.key));
  for (const e of g.edges) {
    assert.ok(keys.has(e.from) && keys.has(e.to), `${e.from} → ${e.to}`);
    assert.ok(e.points.length >= 2);
  }
  for (const n of g.nodes) assert.ok(n.width > 0 && n.height > 0 && n.x + n.width <= g.width && n.y + n.height <= g.height);
  const small = await store.lineageGraph('e5', { depth: 1, maxNodes: 3 });
  assert.ok(small.truncated && small.nodes.length === 3);
  const open = small.nodes.find((n) => n.hidden > 0);
  const more = await store.lineageGraph('e5', { depth: 1, maxNodes: 3, expand: [open.key] });
  assert.equal(more.nodes.length, 3 + open.hidden);
  const pipeline = await store.lineageGraph('c1');
  assert.equal(pipeline.kind, 'context');
  assert.ok(pipeline.nodes.length > 0 && pipeline.nodes.every((n) => n.kind === 'stage' && n.executions > 0));
  await assert.rejects(store.lineageGraph('x1'), (e) => e.kind === 'invalid-argument' && /e<id>/.test(e.message));
  await assert.rejects(store.lineageGraph('a999999'), (e) => e.kind === 'not-found');
  await assert.rejects(store.lineageGraph('e5', { depht: 1 }), (e) => e.kind === 'invalid-argument');
  store.close();
});

/** A Blob whose stream is not a byte stream (no BYOB reader), as some hosts give. */
class PlainStreamBlob extends Blob {
  stream() {
    const reader = super.stream().getReader();
    return new ReadableStream({ async pull(c) { const { value, done } = await reader.read(); if (done) c.close(); else c.enqueue(value); } });
  }
}

test('a File or Blob is copied in through its stream (byte stream or not): the same store as from bytes', async () => {
  for (const name of ['cmf_small.sqlite', 'tfx_pipeline.sqlite']) {
    const bytes = bytesOf(name);
    const want = await openStore(bytes, { name, worker: false });
    await want.ready;
    const all = await want.executions({ limit: 1000 });
    for (const blob of [new Blob([bytes]), new PlainStreamBlob([bytes])]) {
      const phases = [];
      const store = await openStore(blob, { name, worker: false, onProgress: (p) => phases.push(p) });
      await store.ready;
      assert.deepEqual(await store.executions({ limit: 1000 }), all, `${name} (${blob.constructor.name})`);
      const reading = phases.filter((p) => p.phase === 'reading');
      assert.ok(reading.length >= 1 && reading.at(-1).done === bytes.length, `${name}: reading reaches the size`);
      store.close();
    }
    want.close();
  }
  // Bad files through the stream: the same kinds as from bytes, naming the file.
  for (const [name, kind] of [['not_sqlite.bin', 'not-sqlite'], ['truncated.sqlite', 'truncated'], ['zero_bytes.sqlite', 'empty'], ['plain_sqlite.sqlite', 'not-mlmd']]) {
    await assert.rejects(openStore(new Blob([bytesOf(name)]), { name, worker: false }),
      (e) => e.kind === kind && e.message.startsWith(name), name);
  }
});
