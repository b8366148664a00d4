// The lineage view in the real page (headless Debian Chromium) over the core's laid-out graph
// (`store.lineageGraph`): the table's Lineage action on a TFX Trainer draws the artifacts it
// read and wrote exactly as the Event rows say (python sqlite3 over the fixture), a click on
// its model shows the artifact's URI, `#lineage=` links open the graph, arrow keys move
// between nodes, and a cmflib pipeline draws its stages with the artifact flow between them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROWS, SHOTS, base, openPage, openWith, useBrowser, waitCount, waitStyled } from './harness.mjs';
import { FIXTURES, cli } from '../node/helpers.mjs';

const TFX = join(FIXTURES, 'tfx_pipeline.sqlite');
const CMF = join(FIXTURES, 'cmf_small.sqlite');

useBrowser('mlmd-lens-lineage-');

/** Runs python3 sqlite3 over `path` and returns the rows of `sql` (JSON). */
function sql(path, query, params = []) {
  const script = 'import json,sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(json.dumps(c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))';
  return JSON.parse(execFileSync('python3', ['-c', script, path, query, JSON.stringify(params)], { encoding: 'utf8' }));
}

/** MLMD Event.type values: 1 DECLARED_OUTPUT, 2 DECLARED_INPUT, 3 INPUT, 4 OUTPUT, 5 INTERNAL_INPUT, 6 INTERNAL_OUTPUT, 7 PENDING_OUTPUT. */
const INPUTS = new Set([2, 3, 5]);

/**
 * The edges of execution `id` as its Event rows give them: `a<artifact>→e<id>` for an input,
 * `e<id>→a<artifact>` for an output.
 */
function eventEdges(path, id) {
  return sql(path, 'SELECT type, artifact_id FROM Event WHERE execution_id = ?', [id])
    .map(([type, a]) => (INPUTS.has(type) ? `a${a}>e${id}` : `e${id}>a${a}`)).sort();
}

/** What the graph shows: node keys and kinds, edges, each node's full name (its <title>). */
const readGraph = (page) => page.getByTestId('lineage-graph').evaluate((g) => ({
  root: g.getAttribute('data-root'),
  nodes: [...g.querySelectorAll('[data-testid=lineage-node]')].map((n) => ({
    key: n.getAttribute('data-key'), kind: n.getAttribute('data-kind'),
    name: n.querySelector('title')?.textContent?.split('\n')[0] ?? '',
    box: (() => { const r = (n.querySelector('.ml-ln-box') ?? n).getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; })(),
  })),
  edges: [...g.querySelectorAll('[data-testid=lineage-edge]')].map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`),
}));

/** Waits until the graph is drawn for `root`. */
const waitGraph = (page, root) => page.waitForFunction((r) => {
  const g = document.querySelector('[data-testid=lineage-graph]');
  return g && g.getAttribute('data-root') === r && g.querySelector('[data-testid=lineage-node]');
}, root);

/** True when no two node boxes overlap (labels live inside the boxes). */
function noOverlap(nodes) {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i].box;
      const b = nodes[j].box;
      if (a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5) return `${nodes[i].key} overlaps ${nodes[j].key}`;
    }
  }
  return '';
}

// The first Trainer of penguin-mini, and its model (an OUTPUT event to a Model artifact).
const [[TRAINER]] = sql(TFX, "SELECT e.id FROM Execution e JOIN Type t ON t.id = e.type_id WHERE t.name LIKE '%.Trainer' ORDER BY e.id LIMIT 1");
const [[MODEL, MODEL_URI]] = sql(TFX, "SELECT a.id, a.uri FROM Event ev JOIN Artifact a ON a.id = ev.artifact_id JOIN Type t ON t.id = a.type_id WHERE ev.execution_id = ? AND ev.type = 4 AND t.name = 'Model'", [TRAINER]);
const INPUT_TYPES = sql(TFX, 'SELECT t.name FROM Event ev JOIN Artifact a ON a.id = ev.artifact_id JOIN Type t ON t.id = a.type_id WHERE ev.execution_id = ? AND ev.type = 3 ORDER BY 1', [TRAINER]).map((r) => r[0]);

test('TFX: the Lineage action on a Trainer draws its inputs and outputs as the Event rows say; the model shows its URI', async () => {
  assert.deepEqual(INPUT_TYPES, ['Examples', 'Schema'], 'the fixture\'s Trainer reads examples and a schema');
  const { page, errors, close } = await openWith(TFX, '', { viewport: { width: 1280, height: 900 } });
  try {
    await waitCount(page, 35);
    await waitStyled(page);
    await page.locator(`${ROWS}[data-id="${TRAINER}"] [data-action=lineage]`).click();
    await waitGraph(page, `e${TRAINER}`);
    const g = await readGraph(page);
    const keys = new Set(g.nodes.map((n) => n.key));
    const want = eventEdges(TFX, TRAINER);
    assert.ok(want.length >= 3);
    const around = g.edges.filter((e) => e.split('>').includes(`e${TRAINER}`)).sort();
    assert.deepEqual([...new Set(around)], want, 'the edges at the Trainer are its Event rows');
    for (const e of want) for (const k of e.split('>')) assert.ok(keys.has(k), `node ${k} drawn`);
    for (const e of g.edges) for (const k of e.split('>')) assert.ok(keys.has(k), `edge ${e} ends at drawn nodes`);
    // Depth 2 reaches the producers of the inputs (CsvExampleGen wrote the examples).
    const [[examples]] = sql(TFX, 'SELECT artifact_id FROM Event ev JOIN Artifact a ON a.id = ev.artifact_id JOIN Type t ON t.id = a.type_id WHERE ev.execution_id = ? AND ev.type = 3 AND t.name = ?', [TRAINER, 'Examples']);
    const producers = sql(TFX, 'SELECT execution_id FROM Event WHERE artifact_id = ? AND type = 4', [examples]).map((r) => `e${r[0]}`);
    assert.ok(producers.length && producers.every((p) => keys.has(p)), `producers ${producers} drawn`);
    assert.equal(noOverlap(g.nodes), '');
    assert.equal(await page.getByTestId('lineage-depth').textContent(), '2');
    await page.screenshot({ path: join(SHOTS, 'lineage-tfx-trainer-1280.png') });

    // A click on the model: its URI, state and "Lineage from here".
    await page.locator(`[data-testid=lineage-node][data-key="a${MODEL}"]`).click();
    const uri = page.getByTestId('lineage-artifact-uri');
    await uri.waitFor();
    assert.equal(await uri.textContent(), MODEL_URI);
    await page.screenshot({ path: join(SHOTS, 'lineage-tfx-model.png') });
    await page.getByTestId('lineage-reroot').click();
    await waitGraph(page, `a${MODEL}`);
    const a = await readGraph(page);
    const producer = sql(TFX, 'SELECT execution_id FROM Event WHERE artifact_id = ? AND type = 4', [MODEL]).map((r) => `e${r[0]}>a${MODEL}`);
    for (const e of producer) assert.ok(a.edges.includes(e), `the model's producer edge ${e}`);
    await page.waitForFunction((m) => location.hash === `#lineage=a${m}`, MODEL);

    // An execution node opens its details (over the graph); Esc closes the details, then the graph.
    await page.locator(`[data-testid=lineage-node][data-key="e${TRAINER}"]`).click();
    await page.getByTestId('details').waitFor({ state: 'visible' });
    await page.waitForFunction((id) => document.querySelector('[data-testid=details] [data-field=id] dd')?.textContent === String(id), TRAINER);
    await page.keyboard.press('Escape');
    await page.getByTestId('details').waitFor({ state: 'hidden' });
    assert.equal(await page.getByTestId('lineage').isVisible(), true);
    await page.keyboard.press('Escape');
    await page.getByTestId('lineage').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !location.hash);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a #lineage= link opens the graph; arrows move between nodes; Enter opens; depth changes ask again', async () => {
  const { page, errors, close } = await openWith(TFX, `#lineage=${TRAINER}`, { viewport: { width: 1280, height: 900 } });
  try {
    await waitGraph(page, `e${TRAINER}`);
    const root = page.locator(`[data-testid=lineage-node][data-key="e${TRAINER}"]`);
    await page.waitForFunction((k) => document.activeElement?.getAttribute('data-key') === k, `e${TRAINER}`);
    assert.equal(await root.getAttribute('tabindex'), '0', 'the root is the tab stop');
    const at = async () => page.evaluate(() => {
      const a = document.activeElement;
      const r = a?.getBoundingClientRect();
      return { key: a?.getAttribute('data-key'), x: r?.x ?? 0, y: r?.y ?? 0 };
    });
    const start = await at();
    await page.keyboard.press('ArrowRight');
    const right = await at();
    assert.notEqual(right.key, start.key);
    assert.ok(right.x > start.x, 'ArrowRight goes to a node on the right');
    assert.equal(await page.locator(`[data-testid=lineage-node][data-key="${right.key}"]`).getAttribute('tabindex'), '0', 'roving tab stop');
    await page.keyboard.press('ArrowLeft');
    const left = await at();
    assert.ok(left.x < right.x, 'ArrowLeft goes back left');
    await page.keyboard.press('ArrowLeft');
    const far = await at();
    assert.ok(far.x <= left.x);
    await page.screenshot({ path: join(SHOTS, 'lineage-keyboard.png') });
    // Enter on an artifact shows its box; on an execution its details.
    if (far.key.startsWith('a')) {
      await page.keyboard.press('Enter');
      await page.getByTestId('lineage-side').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await page.getByTestId('lineage-side').waitFor({ state: 'hidden' });
      assert.equal((await at()).key, far.key, 'the focus is back on the node');
    } else {
      await page.keyboard.press('Enter');
      await page.getByTestId('details').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
    }
    // Depth 1: fewer nodes, the Trainer's own edges still there.
    const n2 = (await readGraph(page)).nodes.length;
    await page.getByTestId('lineage-depth-down').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=lineage-depth]')?.textContent === '1');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=lineage-node]').length < n, n2);
    const g1 = await readGraph(page);
    const want = eventEdges(TFX, TRAINER);
    assert.deepEqual([...new Set(g1.edges.filter((e) => e.split('>').includes(`e${TRAINER}`)))].sort(), want);
    assert.ok(new URL(page.url()).searchParams.get('lineageDepth') === '1');
    // Zoom and fit keep the graph stable: the same nodes in the same order.
    await page.getByTestId('lineage-zoom-in').click();
    await page.getByTestId('lineage-fit').click();
    assert.deepEqual((await readGraph(page)).nodes.map((n) => n.key), g1.nodes.map((n) => n.key));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('390 px: the lineage is full screen, drawn and fitted', async () => {
  const { page, errors, close } = await openWith(TFX, `#lineage=e${TRAINER}`, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await waitGraph(page, `e${TRAINER}`);
    const box = await page.getByTestId('lineage').boundingBox();
    assert.deepEqual([box.x, box.y, box.width, box.height].map(Math.round), [0, 0, 390, 844]);
    // Too wide to read whole at 390 px: it opens legible, centred on the root; Fit shows all.
    const svg = await page.getByTestId('lineage-graph').boundingBox();
    const inView = (b) => b.x >= svg.x - 1 && b.x + b.w <= svg.x + svg.width + 1 && b.y >= svg.y - 1 && b.y + b.h <= svg.y + svg.height + 1;
    let g = await readGraph(page);
    const root = g.nodes.find((n) => n.key === `e${TRAINER}`);
    assert.ok(inView(root.box), 'the root is in view');
    const scale = Number(/scale\(([\d.]+)\)/.exec(await page.locator('.ml-ln-view').getAttribute('transform'))[1]);
    assert.ok(scale >= 0.6, `legible (scale ${scale})`);
    await page.screenshot({ path: join(SHOTS, 'lineage-tfx-390.png') });
    await page.getByTestId('lineage-fit').click();
    g = await readGraph(page);
    for (const n of g.nodes) assert.ok(inView(n.box), `${n.key} fitted in view`);
    await page.locator(`[data-testid=lineage-node][data-key="a${MODEL}"]`).click();
    await page.getByTestId('lineage-artifact-uri').waitFor();
    await page.screenshot({ path: join(SHOTS, 'lineage-tfx-390-artifact.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('cmf_small: the mnist pipeline lineage draws its stages and the artifact flow between them', async () => {
  // Stages of mnist: the executions associated with its stage contexts (ParentContext).
  const rows = sql(CMF, `SELECT c.name, a.execution_id FROM Context c JOIN ParentContext p ON p.context_id = c.id
    JOIN Context parent ON parent.id = p.parent_context_id JOIN Association a ON a.context_id = c.id WHERE parent.name = 'mnist'`);
  const stageOf = new Map(rows.map(([name, e]) => [e, name.split('/').pop()]));
  const stages = [...new Set(stageOf.values())].sort();
  const events = sql(CMF, 'SELECT execution_id, artifact_id, type FROM Event');
  const writers = new Map();
  for (const [e, a, t] of events) if (!INPUTS.has(t) && stageOf.has(e)) writers.set(a, [...(writers.get(a) ?? []), stageOf.get(e)]);
  const flow = new Set();
  for (const [e, a, t] of events) {
    if (!INPUTS.has(t) || !stageOf.has(e)) continue;
    for (const w of writers.get(a) ?? []) if (w !== stageOf.get(e)) flow.add(`${w}>${stageOf.get(e)}`);
  }
  const { page, errors, close } = await openWith(CMF, '?pipeline=mnist', { viewport: { width: 1280, height: 900 } });
  try {
    await waitCount(page, 12);
    const [[pid]] = sql(CMF, "SELECT id FROM Context WHERE name = 'mnist'");
    await page.getByTestId('pipeline-lineage').click();
    await waitGraph(page, `c${pid}`);
    const g = await readGraph(page);
    const stageNodes = g.nodes.filter((n) => n.kind === 'stage');
    assert.deepEqual(stageNodes.map((n) => n.name).sort(), stages);
    const nameOf = new Map(g.nodes.map((n) => [n.key, n.name]));
    const drawn = new Set(g.edges.map((e) => e.split('>').map((k) => nameOf.get(k)).join('>')).filter((e) => !e.split('>').every((s, _, a) => s === a[0])));
    assert.deepEqual([...drawn].sort(), [...flow].sort(), 'stage → stage edges where an artifact written by one is read by the other');
    assert.equal(noOverlap(g.nodes), '');
    await page.screenshot({ path: join(SHOTS, 'lineage-cmf-pipeline-1280.png') });
    // A stage shows its counts.
    await page.locator('[data-testid=lineage-node][data-kind=stage]').first().click();
    await page.getByTestId('lineage-side').waitFor({ state: 'visible' });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a hand-made graph: names drawn as text, missing ends dashed, labelled edges, "+N more" asks with expand', async () => {
  const p = await openPage(`${base}/tests/browser/web/lineage-synthetic.html`);
  try {
    const { page } = p;
    await waitGraph(page, 'e1');
    const g = await readGraph(page);
    assert.deepEqual(g.nodes.map((n) => n.key), ['e1', 'a2', 'm9', 'e3']);
    assert.deepEqual(g.edges, ['e1>a2', 'm9>e3', 'a2>e3']);
    // The hostile name is text: no <img> in the graph, nothing ran.
    assert.equal(await page.locator('[data-testid=lineage-graph] img').count(), 0);
    assert.match(await page.locator('[data-key=a2] title').textContent(), /<img src=x/);
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).pwned), undefined);
    // Missing: dashed; the INTERNAL_INPUT edge carries its label; plain edges none.
    assert.notEqual(await page.locator('[data-key=m9] .ml-ln-box').evaluate((r) => getComputedStyle(r).strokeDasharray), 'none');
    assert.equal(await page.locator('[data-testid=lineage-edge][data-from=m9] .ml-ln-elabel').textContent(), 'INTERNAL_INPUT');
    assert.equal(await page.locator('[data-testid=lineage-edge][data-from=e1] .ml-ln-elabel').count(), 0);
    // Status colour: the failed execution's box uses the failed colour.
    const failed = await page.locator('[data-key=e1] .ml-ln-box').evaluate((r) => getComputedStyle(r).stroke);
    const done = await page.locator('[data-key=e3] .ml-ln-box').evaluate((r) => getComputedStyle(r).stroke);
    assert.notEqual(failed, done);
    await page.screenshot({ path: join(SHOTS, 'lineage-synthetic.png') });
    // "+1 more" on e3 asks again with expand: ['e3'] and draws a4, keeping the zoom.
    const before = await page.locator('.ml-ln-view').getAttribute('transform');
    await page.locator('[data-testid=lineage-more][data-key=e3]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=lineage-node][data-key=a4]'));
    assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).asks.at(-1)), ['e1', { depth: 2, expand: ['e3'] }]);
    assert.equal(await page.locator('.ml-ln-view').getAttribute('transform'), before, 'stable: the same pan and zoom');
    // The artifact box: properties as text, the URI, "Lineage from here" re-roots.
    await page.locator('[data-testid=lineage-node][data-key=a2]').click();
    await page.getByTestId('lineage-artifact-uri').waitFor();
    assert.equal(await page.getByTestId('lineage-artifact-uri').textContent(), '/data/<b>model</b>');
    assert.equal(await page.locator('[data-testid=lineage-side] script, [data-testid=lineage-side] b').count(), 0);
    await page.getByTestId('lineage-reroot').click();
    assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).sets.at(-1)), { lineage: 'a2' });
    // Wheel zooms, drag pans.
    const box = await page.getByTestId('lineage-graph').boundingBox();
    const t0 = await page.locator('.ml-ln-view').getAttribute('transform');
    await page.mouse.move(box.x + 40, box.y + box.height - 20);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((t) => document.querySelector('.ml-ln-view').getAttribute('transform') !== t, t0);
    const t1 = await page.locator('.ml-ln-view').getAttribute('transform');
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + box.height - 60, { steps: 4 });
    await page.mouse.up();
    assert.notEqual(await page.locator('.ml-ln-view').getAttribute('transform'), t1);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('TFX: the penguin-mini pipeline lineage draws one node per component, with status counts', async () => {
  const { page, errors, close } = await openWith(TFX, '?pipeline=penguin-mini', { viewport: { width: 1280, height: 900 } });
  try {
    const [[pid]] = sql(TFX, "SELECT c.id FROM Context c JOIN Type t ON t.id = c.type_id WHERE t.name = 'pipeline' AND c.name = 'penguin-mini'");
    await page.getByTestId('pipeline-lineage').waitFor({ state: 'visible' });
    await page.getByTestId('pipeline-lineage').click();
    await waitGraph(page, `c${pid}`);
    const g = await readGraph(page);
    const stages = g.nodes.filter((n) => n.kind === 'stage');
    // Every execution of the pipeline's runs is counted once, in its stage's node.
    const [[total]] = sql(TFX, `SELECT COUNT(DISTINCT a.execution_id) FROM Association a WHERE a.context_id = ?
      OR a.context_id IN (SELECT context_id FROM ParentContext WHERE parent_context_id = ?)`, [pid, pid]);
    const counted = await page.$$eval('[data-testid=lineage-node][data-kind=stage]', (ns) => ns.length);
    assert.equal(counted, stages.length);
    assert.ok(stages.length >= 6, `${stages.length} stages`);
    assert.equal(await page.locator('h2.ml-ln-title').textContent(), 'Pipeline lineage of penguin-mini');
    assert.equal(noOverlap(g.nodes), '');
    assert.ok(total > 0);
    await page.screenshot({ path: join(SHOTS, 'lineage-tfx-pipeline-1280.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('TFX: with a run filtered, "Run lineage" draws that run\'s stages, its executions counted once', async () => {
  const [[rid, run]] = sql(TFX, "SELECT c.id, c.name FROM Context c JOIN Type t ON t.id = c.type_id WHERE t.name = 'pipeline_run' ORDER BY c.id LIMIT 1");
  const { page, errors, close } = await openWith(TFX, `?run=${encodeURIComponent(run)}`, { viewport: { width: 1280, height: 900 } });
  try {
    const button = page.getByTestId('pipeline-lineage');
    await button.waitFor({ state: 'visible' });
    assert.equal(await button.textContent(), 'Run lineage');
    await button.click();
    await waitGraph(page, `c${rid}`);
    const g = await readGraph(page);
    // The page draws the core's graph (the CLI's), whose stages count the run's executions.
    const core = cli('lineage', TFX, `c${rid}`);
    assert.deepEqual(g.nodes.map((n) => n.key).sort(), core.nodes.map((n) => n.key).sort());
    const [[total]] = sql(TFX, 'SELECT COUNT(DISTINCT execution_id) FROM Association WHERE context_id = ?', [rid]);
    const counted = core.nodes.filter((n) => n.kind === 'stage').reduce((k, n) => k + (n.executions ?? 0), 0);
    assert.equal(counted, total, 'every execution of the run in one stage');
    assert.equal(noOverlap(g.nodes), '');
    assert.equal(await page.locator('h2.ml-ln-title').textContent(), `Run lineage of ${run}`);
    await page.screenshot({ path: join(SHOTS, 'lineage-tfx-run-1280.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a #lineage= link to an unknown or malformed key shows the core\'s error in the view', async () => {
  const { page, errors, close } = await openWith(TFX, '#lineage=e99999');
  try {
    const err = page.getByTestId('lineage-error');
    await err.waitFor({ state: 'visible' });
    assert.match(await err.textContent(), /99999/);
    assert.ok(await err.getAttribute('data-kind'));
    await page.evaluate(() => { location.hash = '#lineage=zz!'; });
    await page.waitForFunction(() => /zz!/.test(document.querySelector('[data-testid=lineage-error]')?.textContent ?? ''));
    await page.getByTestId('lineage').screenshot({ path: join(SHOTS, 'lineage-error.png') });
    await page.getByTestId('lineage-close').click();
    await page.getByTestId('lineage').waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
