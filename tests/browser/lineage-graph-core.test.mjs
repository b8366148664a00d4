// The core's lineage graph in Chromium, through the real Web Worker (js/client.js →
// js/worker.js → the wasm): the graph of a TFX Trainer (its examples and schema in, its
// model out), a cmflib execution at depth 2 and a pipeline's stages. This file draws the
// graph itself with the layout's boxes and points (SVG, text by textContent only — the
// lineage view of js/views draws it for users) to check, with the browser's real fonts,
// that every label fits its box at the layout's width per character and that no two
// boxes overlap; screenshots in test-output/screenshots/lineage-core-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openPage, SHOTS } from './harness.mjs';
import { FIXTURES } from '../node/helpers.mjs';

useBrowser('mlmd-lens-lineage-core-');

/**
 * Opens `fixture` through the worker client in the page, asks `lineageGraph(root, options)`,
 * draws it into an SVG and returns the graph with the measured text widths.
 */
async function drawn(page, fixture, root, options) {
  const b64 = readFileSync(join(FIXTURES, fixture)).toString('base64');
  return page.evaluate(async ([b64, name, root, options]) => {
    const { openStore } = await import('/js/client.js');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const store = await openStore(bytes, { name });
    await store.ready;
    const g = await store.lineageGraph(root, options);
    store.close();
    document.body.replaceChildren();
    const ns = 'http://www.w3.org/2000/svg';
    const el = (tag, attrs, text) => {
      const e = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const svg = el('svg', { width: g.width, height: g.height, 'data-testid': 'core-graph' });
    svg.append(el('rect', { width: g.width, height: g.height, fill: '#fff' }));
    for (const e of g.edges) {
      svg.append(el('polyline', { points: e.points.map((p) => p.join(',')).join(' '), fill: 'none', stroke: e.reversed ? '#c33' : '#888' }));
      if (e.label) svg.append(el('text', { x: e.points[0][0] + 4, y: e.points[0][1] - 4, 'font-size': 11, 'font-family': 'sans-serif', fill: '#555' }, e.label));
    }
    const widths = [];
    for (const n of g.nodes) {
      const fill = { execution: '#e8f0fe', artifact: '#fef7e0', stage: '#e6f4ea', missing: '#fce8e6' }[n.kind];
      svg.append(el('rect', { x: n.x, y: n.y, width: n.width, height: n.height, rx: 6, fill, stroke: n.key === g.root ? '#1a73e8' : '#999' }));
      const name = el('text', { x: n.x + 12, y: n.y + 16, 'font-size': 12, 'font-family': 'sans-serif' }, n.label);
      const type = el('text', { x: n.x + 12, y: n.y + 31, 'font-size': 11, 'font-family': 'sans-serif', fill: '#555' },
        n.kind === 'stage' ? `${n.executions} execution${n.executions === 1 ? '' : 's'}` : n.type);
      svg.append(name, type);
      widths.push([n.key, name, type, n.width]);
    }
    document.body.append(svg);
    const measured = widths.map(([key, name, type, width]) => ({ key, name: name.getComputedTextLength(), type: type.getComputedTextLength(), width }));
    return { g, measured };
  }, [b64, fixture, root, options]);
}

function checkDrawn({ g, measured }, what) {
  for (const m of measured) {
    // 12 px padding on the left; the label and the type line end inside the box.
    assert.ok(12 + m.name <= m.width, `${what}: ${m.key}'s label is ${m.name}px in a ${m.width}px box`);
    assert.ok(12 + m.type <= m.width, `${what}: ${m.key}'s type is ${m.type}px in a ${m.width}px box`);
  }
  for (const [i, a] of g.nodes.entries()) {
    for (const b of g.nodes.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      assert.ok(apart, `${what}: ${a.key} and ${b.key} overlap`);
    }
  }
}

test('a TFX Trainer: examples and schema in, model out, laid out left to right in the worker', async () => {
  const p = await openPage('');
  try {
    const r = await drawn(p.page, 'tfx_pipeline.sqlite', 'e5', { depth: 1 });
    const { g } = r;
    const trainer = g.nodes[0];
    assert.equal(trainer.key, 'e5');
    assert.equal(trainer.type, 'Trainer');
    assert.equal(trainer.typeFull, 'tfx.components.trainer.component.Trainer');
    const into = g.edges.filter((e) => e.to === 'e5').map((e) => g.nodes.find((n) => n.key === e.from).type).sort();
    const out = g.edges.filter((e) => e.from === 'e5').map((e) => g.nodes.find((n) => n.key === e.to).type).sort();
    assert.deepEqual(into, ['Examples', 'Schema']);
    assert.ok(out.includes('Model'), out.join());
    for (const e of g.edges) {
      const [s, t] = [g.nodes.find((n) => n.key === e.from), g.nodes.find((n) => n.key === e.to)];
      assert.ok(s.x + s.width <= t.x, `${e.from} → ${e.to} runs left to right`);
    }
    checkDrawn(r, 'tfx e5');
    await p.page.getByTestId('core-graph').screenshot({ path: join(SHOTS, 'lineage-core-tfx-trainer.png') });
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('cmflib depth 2 and a pipeline\'s stages: labels fit, nothing overlaps', async () => {
  const p = await openPage('');
  try {
    const deep = await drawn(p.page, 'cmf_small.sqlite', 'e6', { depth: 2 });
    assert.ok(deep.g.nodes.length > 8 && deep.g.nodes.some((n) => Math.abs(n.depth) >= 3), 'beyond one hop');
    checkDrawn(deep, 'cmf e6');
    await p.page.getByTestId('core-graph').screenshot({ path: join(SHOTS, 'lineage-core-cmf-depth2.png') });
    const stages = await drawn(p.page, 'tfx_pipeline.sqlite', 'c1', {});
    assert.ok(stages.g.nodes.length >= 5 && stages.g.nodes.every((n) => n.kind === 'stage'));
    assert.ok(stages.g.edges.every((e) => e.count >= 1));
    checkDrawn(stages, 'tfx c1');
    await p.page.getByTestId('core-graph').screenshot({ path: join(SHOTS, 'lineage-core-tfx-pipeline.png') });
    p.assertClean();
  } finally {
    await p.close();
  }
});
