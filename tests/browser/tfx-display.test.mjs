// Issue 12, "TFX and plain MLMD stores that read well" and "cmflib durations", in the real
// page (headless Chromium): a TFX store's details name artifacts by output key and producer
// (`model (Trainer #5)`, in the artifact tables and the events), show the short type with
// the full class path on hover, draw JSON string properties folded (the text inside is
// the value); a cmflib Train's end is labelled "from events". Every expectation comes from
// the native CLI over the same fixture. Screenshots go to test-output/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { COUNT, SHOTS, openWith, useBrowser } from './harness.mjs';
import { FIXTURES, cli } from '../node/helpers.mjs';

const WIDE = { viewport: { width: 1400, height: 1000 } };
const TFX = join(FIXTURES, 'tfx_pipeline.sqlite');
const CMF = join(FIXTURES, 'cmf_small.sqlite');

useBrowser('mlmd-lens-tfx-display-');

test('TFX details: artifacts named by output key and producer, short type with the full on hover, folded JSON', async () => {
  const trainer = cli('executions', TFX, '-q', 'type=Trainer AND status:completed', '--json').rows[0];
  const x = cli('show', TFX, String(trainer.id));
  assert.equal(x.type, 'Trainer');
  assert.equal(x.typeFull, 'tfx.components.trainer.component.Trainer');
  const model = x.outputs.find((a) => a.displayName === `model (Trainer #${x.id})`);
  assert.ok(model, `the Trainer's model is named by its key: ${x.outputs.map((a) => a.displayName)}`);
  const { page, errors, close } = await openWith(TFX, `?selected=${x.id}`, WIDE);
  try {
    const panel = page.getByTestId('details');
    await panel.waitFor({ state: 'visible' });
    // The name: `<node>_<first 8>` of the UUID, the whole UUID in its own row.
    assert.equal(await page.getByTestId('details-name').textContent(), `Trainer_${x.rawName.slice(0, 8)}`);
    assert.equal(await panel.locator('[data-field=uuid] code').textContent(), x.rawName);
    // Type: short, the full class path on hover.
    const type = panel.locator('[data-field=type] dd span[title]');
    assert.equal(await type.textContent(), 'Trainer');
    assert.equal(await type.getAttribute('title'), x.typeFull);
    // Artifacts: display names, never empty, the raw (NULL) name kept beside.
    const arts = await panel.locator('[data-testid=artifact-row]').evaluateAll((trs) => trs.map((tr) => {
      const n = tr.querySelector('[data-testid=artifact-name]');
      return { id: Number(tr.dataset.id), name: n.textContent, raw: n.getAttribute('data-raw-name') };
    }));
    assert.deepEqual(arts, [...x.inputs, ...x.outputs].map((a) => ({ id: a.id, name: a.displayName, raw: a.name })));
    assert.ok(arts.every((a) => a.name.trim() !== '' && a.raw === ''), 'TFX names are NULL; every shown name is not empty');
    assert.ok(arts.some((a) => a.name === `model (Trainer #${x.id})`));
    assert.ok(arts.some((a) => /^examples \(CsvExampleGen #\d+\)$/.test(a.name)), JSON.stringify(arts));
    // Events say the same names, not "artifact 1".
    const events = await panel.locator('[data-testid=event] .ml-ev-artifact').allTextContents();
    const byTime = [...x.events].sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
    assert.deepEqual(events, byTime.map((e) => e.artifactDisplayName));
    assert.ok(events.every((t) => !/^artifact \d+$/.test(t)));
    // JSON string properties: folded JSON whose text is the value.
    const trainArgs = panel.locator('[data-testid=property][data-name=train_args] [data-testid=property-value]');
    assert.equal(await trainArgs.getAttribute('data-json'), 'true');
    const want = JSON.parse(x.typedProperties.find((p) => p.name === 'train_args').value);
    assert.deepEqual(JSON.parse(await trainArgs.textContent()), want);
    assert.equal(await trainArgs.getByTestId('json-fold').count(), 1, 'one fold per object');
    assert.equal(await trainArgs.locator('script, img, iframe').count(), 0);
    await panel.locator('[data-name=train_args]').scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'tfx-details-trainer.png') });
    await panel.getByTestId('events').scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'tfx-details-trainer-artifacts.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('TFX: a nested JSON value folds and unfolds; the table shows short types; JSON paths search', async () => {
  const gen = cli('executions', TFX, '-q', 'type=CsvExampleGen AND status:completed', '--json').rows[0];
  const x = cli('show', TFX, String(gen.id));
  const { page, errors, close } = await openWith(TFX, `?selected=${x.id}&columns=id,name,type,stage,status,duration`, WIDE);
  try {
    const panel = page.getByTestId('details');
    await panel.waitFor({ state: 'visible' });
    // The whole index is in (the details are drawn again when it arrives).
    const all = cli('summary', TFX, '--json').executions;
    await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.textContent === String(n), [COUNT, all]);
    const value = panel.locator('[data-testid=property][data-name=output_config] [data-testid=property-value]');
    const want = JSON.parse(x.typedProperties.find((p) => p.name === 'output_config').value);
    assert.deepEqual(JSON.parse(await value.textContent()), want, 'the text inside is the value, folded or not');
    const folds = value.getByTestId('json-fold');
    assert.ok(await folds.count() >= 3, 'a fold per object and array');
    // The long inner array starts folded; a click on its bracket unfolds it.
    const toggles = value.locator('.ml-json-toggle');
    const at = await toggles.evaluateAll((bs) => bs.findIndex((b) => b.getAttribute('aria-expanded') === 'false'));
    assert.ok(at > 0, 'a long inner value starts folded (the outer one is open)');
    const inner = folds.nth(at).locator('> .ml-json-body');
    assert.equal(await inner.isVisible(), false);
    await toggles.nth(at).click();
    assert.equal(await toggles.nth(at).getAttribute('aria-expanded'), 'true');
    assert.equal(await inner.isVisible(), true);
    assert.deepEqual(JSON.parse(await value.textContent()), want, 'unfolding changes no text');
    await value.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'tfx-details-json-fold.png') });

    // The table: short type names with the full class path on hover.
    const cell = page.locator(`[data-testid=execution-row][data-id="${x.id}"] [data-col=type] span`);
    assert.equal(await cell.textContent(), 'CsvExampleGen');
    assert.equal(await cell.getAttribute('title'), x.typeFull);

    // A JSON path query counts what the CLI counts.
    const q = 'property:train_args.num_steps>1';
    const total = cli('executions', TFX, '-q', q, '--json').total;
    assert.ok(total > 0);
    await page.getByTestId('search').fill(q);
    await page.getByTestId('search').press('Enter');
    await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.textContent?.includes(String(n)), [COUNT, total]);
    const typeTotal = cli('executions', TFX, '-q', 'type=Trainer', '--json').total;
    await page.getByTestId('search').fill('type:trainer');
    await page.getByTestId('search').press('Enter');
    await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.textContent?.includes(String(n)), [COUNT, typeTotal]);
    await page.screenshot({ path: join(SHOTS, 'tfx-table-short-types.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('cmflib: a Train ends at its last output event, labelled "from events"', async () => {
  const train = cli('executions', CMF, '-q', 'stage:Train', '--json').rows[0];
  const x = cli('show', CMF, String(train.id));
  assert.equal(x.endedFrom, 'events');
  const last = Math.max(...x.events.map((e) => e.timeMs));
  assert.equal(x.endedMs, last);
  assert.ok(x.endedMs > x.updatedMs);
  const { page, errors, close } = await openWith(CMF, `?selected=${x.id}`, WIDE);
  try {
    const panel = page.getByTestId('details');
    await panel.waitFor({ state: 'visible' });
    assert.equal(await panel.getByTestId('ended-from').textContent(), 'from events');
    await panel.locator('[data-field=ended]').scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'cmf-train-ended-from-events.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('hostile JSON in a property is drawn as text, folds, and is searched by path', async () => {
  const { copyFileSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const { tmp } = await import('./harness.mjs');
  const path = join(tmp, 'hostile-json.sqlite');
  copyFileSync(TFX, path);
  const hostile = {
    '<img src=x onerror="window.__pwned=1">': '<script>window.__pwned=2</script>',
    deep: { a: [{ b: [1, 2, { c: 'é "quoted" \\ back' }] }], empty: {}, none: [], n: null, t: true },
    num_steps: 1e21,
  };
  execFileSync('python3', ['-c', `import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE ExecutionProperty SET string_value = ? WHERE execution_id = 5 AND name = 'custom_config'", (sys.argv[2],))
c.commit()`, path, JSON.stringify(hostile)]);
  const x = cli('show', path, '5');
  assert.deepEqual(x.typedProperties.find((p) => p.name === 'custom_config').json, hostile);
  assert.equal(cli('executions', path, '-q', 'property:custom_config.deep.a[0].b[2].c:quoted', '--json').total, 1);
  const { page, errors, close } = await openWith(path, '?selected=5', WIDE);
  try {
    const panel = page.getByTestId('details');
    await panel.waitFor({ state: 'visible' });
    const value = panel.locator('[data-testid=property][data-name=custom_config] [data-testid=property-value]');
    assert.deepEqual(JSON.parse(await value.textContent()), hostile, 'the text is the value');
    assert.equal(await value.locator('img, script').count(), 0, 'markup stays text');
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).__pwned), undefined);
    // Every fold of the value can be opened, and the text never changes.
    const toggles = value.locator('.ml-json-toggle');
    for (let i = 0; i < await toggles.count(); i++) {
      if (await toggles.nth(i).getAttribute('aria-expanded') === 'false') await toggles.nth(i).click();
    }
    assert.equal(await value.locator('.ml-json-toggle[aria-expanded=false]').count(), 0);
    assert.deepEqual(JSON.parse(await value.textContent()), hostile);
    await value.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'tfx-details-hostile-json.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
