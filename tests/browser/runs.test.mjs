// Pipeline runs in headless Debian Chromium, every expectation from SQL over the fixture
// (python3's sqlite3): the TFX store shows the Run filter and the Run column, choosing a run
// narrows the table to the run's executions, `run:` completes the run names, a run of 2–5
// executions selects them for Compare, "Compare runs…" lines up each stage of two runs, the
// timeline groups its lanes by run; a cmflib store shows none of it.
// Screenshots go to test-output/screenshots/runs-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROWS, SHOTS, load, openPage, shownIds, useBrowser, waitCount } from './harness.mjs';
import { FIXTURES } from '../node/helpers.mjs';

useBrowser('mlmd-lens-runs-');

const TFX = join(FIXTURES, 'tfx_pipeline.sqlite');
const PLAIN = join(FIXTURES, 'mlmd_tfx.sqlite');
const CMF = join(FIXTURES, 'cmf_small.sqlite');

/**
 * Rows of a query over a fixture, from python3's sqlite3 (independent of our SQLite).
 * @param {string} path @param {string} sql @returns {any[][]}
 */
function sql(path, sql) {
  const py = 'import json, sqlite3, sys\nc = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))';
  return JSON.parse(execFileSync('python3', ['-c', py, path, sql], { encoding: 'utf8' }));
}

/** Each run (context id, name, executions), newest first, and each execution's run name. */
function runsOf(path) {
  const runs = sql(path, `SELECT c.id, c.name, COUNT(*) FROM Association a JOIN Context c ON c.id = a.context_id
    JOIN Type t ON t.id = c.type_id JOIN Execution e ON e.id = a.execution_id
    WHERE t.name = 'pipeline_run' GROUP BY c.id ORDER BY MIN(e.create_time_since_epoch) DESC, c.id DESC`);
  const member = new Map(sql(path, `SELECT a.execution_id, c.name FROM Association a JOIN Context c ON c.id = a.context_id
    JOIN Type t ON t.id = c.type_id WHERE t.name = 'pipeline_run'`).map(([e, n]) => [e, n]));
  return { runs: runs.map(([id, name, n]) => ({ id, name, n })), member };
}

test('a TFX store: the Run filter and column, choosing a run, run: completion, compare runs, the timeline by run', async () => {
  const { runs, member } = runsOf(TFX);
  assert.equal(runs.length, 6);
  const p = await openPage();
  try {
    await load(p.page, TFX, 35);
    const filter = p.page.getByTestId('filter-run');
    assert.equal(await filter.isVisible(), true);
    const options = await p.page.$$eval('[data-testid=filter-run] option', (o) => o.map((x) => x.value));
    assert.deepEqual(options, ['', ...runs.map((r) => r.name)]);
    // The Run column is shown by default, each cell the run SQL associates the row with.
    assert.equal(await p.page.locator('th[data-column=run]').count(), 1);
    const cells = await p.page.$$eval(`${ROWS} td[data-col=run]`, (tds) => tds.map((td) => td.textContent));
    const ids = await shownIds(p.page);
    assert.deepEqual(cells, ids.map((id) => member.get(id)));

    // Choosing a run narrows the table to its executions; 6 executions are more than
    // compare takes, so the selection stays empty.
    const chosen = runs.find((r) => r.n === 6);
    await filter.selectOption(chosen.name);
    await waitCount(p.page, chosen.n);
    const inRun = sql(TFX, `SELECT execution_id FROM Association WHERE context_id = ${chosen.id} ORDER BY execution_id`).map(([e]) => e);
    assert.deepEqual(await shownIds(p.page), inRun);
    assert.match(await p.page.getByTestId('selection-count').textContent(), /^Select/);
    assert.match(p.page.url(), /[?&]run=/);
    await p.page.screenshot({ path: join(SHOTS, 'runs-filter-tfx.png') });

    // `run:` completes the store's run names.
    await filter.selectOption('');
    await waitCount(p.page, 35);
    const search = p.page.getByTestId('search');
    await search.click();
    await search.pressSequentially('run:');
    const items = p.page.locator('[data-testid=search-suggestions] li');
    await items.first().waitFor();
    const offered = await items.allTextContents();
    assert.deepEqual(offered.sort(), runs.map((r) => `run:${r.name}`).sort());
    await items.filter({ hasText: runs[0].name }).click();
    await waitCount(p.page, runs[0].n);
    await p.page.getByTestId('clear-filters').click();
    await waitCount(p.page, 35);

    // Compare runs: the two newest of penguin-mini by default; each stage lined up.
    await p.page.getByTestId('compare-runs-button').click();
    const dialog = p.page.getByTestId('compare-runs');
    await dialog.getByTestId('compare-runs-table').waitFor();
    const shownRuns = await dialog.locator('[data-testid=compare-runs-run]').evaluateAll((ths) => ths.map((t) => Number(t.getAttribute('data-id'))));
    assert.equal(shownRuns.length, 2);
    const stages = await dialog.locator('[data-testid=compare-runs-stage]').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-stage')));
    // The stages of the two runs, from their node contexts.
    const nodes = sql(TFX, `SELECT DISTINCT substr(c.name, instr(c.name, '.') + 1) FROM Association r
      JOIN Association n ON n.execution_id = r.execution_id JOIN Context c ON c.id = n.context_id
      JOIN Type t ON t.id = c.type_id WHERE t.name = 'node' AND r.context_id IN (${shownRuns.join(',')})`).map(([s]) => s);
    assert.deepEqual([...stages].sort(), nodes.sort());
    // Each cell is the execution SQL finds for that stage in that run.
    for (const [col, run] of shownRuns.entries()) {
      for (const stage of stages) {
        const want = sql(TFX, `SELECT e.id FROM Execution e JOIN Association r ON r.execution_id = e.id AND r.context_id = ${run}
          JOIN Association n ON n.execution_id = e.id JOIN Context c ON c.id = n.context_id AND c.name LIKE '%.${stage}'
          ORDER BY e.create_time_since_epoch DESC, e.id DESC LIMIT 1`).map(([e]) => e)[0];
        const got = await dialog.locator(`[data-testid=compare-runs-stage][data-stage="${stage}"] td`).nth(col).getAttribute('data-execution');
        assert.equal(got === null ? undefined : Number(got), want, `${stage} in run ${run}`);
      }
    }
    await p.page.screenshot({ path: join(SHOTS, 'runs-compare-tfx.png') });
    // Run 2 (2 training steps) against run 16 (60 steps): the Trainer's train_args differ.
    const boxes = dialog.getByTestId('compare-runs-pick');
    await dialog.locator('[data-testid=compare-runs-pick][value="2"]').check();
    await dialog.locator('[data-testid=compare-runs-pick][value="16"]').check();
    for (const b of await boxes.all()) if (!['2', '16'].includes(await b.getAttribute('value')) && await b.isChecked()) await b.uncheck();
    await p.page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-runs-run]').length === 2);
    const diff = dialog.locator('[data-testid=compare-runs-difference][data-stage=Trainer][data-property=train_args]');
    await diff.waitFor();
    const values = await diff.locator('td').allTextContents();
    // Columns in the picker's order (newest first): run 16, then run 2.
    const order = await dialog.locator('[data-testid=compare-runs-run]').evaluateAll((ths) => ths.map((t) => Number(t.getAttribute('data-id'))));
    assert.deepEqual(order, [16, 2]);
    const steps = (/** @type {number} */ id) => JSON.parse(sql(TFX, `SELECT p.string_value FROM ExecutionProperty p
      JOIN Association a ON a.execution_id = p.execution_id AND a.context_id = ${id}
      JOIN Association n ON n.execution_id = p.execution_id JOIN Context c ON c.id = n.context_id AND c.name LIKE '%.Trainer'
      WHERE p.name = 'train_args'`)[0][0]).num_steps;
    assert.deepEqual([steps(16), steps(2)], [60, 2]);
    assert.match(values[0], /"num_steps": 60\b/);
    assert.match(values[1], /"num_steps": 2\b/);
    await p.page.screenshot({ path: join(SHOTS, 'runs-compare-2-16.png') });
    assert.match(p.page.url(), /compareRuns=16%2C2|compareRuns=16,2/);
    await p.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The timeline by run: one lane per (run, stage).
    await p.page.locator('[data-tab=timeline]').click();
    const group = p.page.getByTestId('timeline-group-run');
    assert.equal(await group.isVisible(), true);
    await group.click();
    const pairs = sql(TFX, `SELECT COUNT(*) FROM (SELECT DISTINCT r.context_id, n.context_id FROM Association r
      JOIN Context rc ON rc.id = r.context_id JOIN Type rt ON rt.id = rc.type_id AND rt.name = 'pipeline_run'
      JOIN Association n ON n.execution_id = r.execution_id JOIN Context nc ON nc.id = n.context_id
      JOIN Type nt ON nt.id = nc.type_id AND nt.name = 'node')`)[0][0];
    await p.page.waitForFunction((n) => document.querySelector('[data-testid=timeline-canvas]')?.dataset.lanes === String(n), pairs);
    assert.equal(await group.getAttribute('aria-pressed'), 'true');
    await p.page.screenshot({ path: join(SHOTS, 'runs-timeline-tfx.png'), fullPage: true });
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('choosing a run of 2–5 executions selects them for compare', async () => {
  const { runs } = runsOf(PLAIN);
  const five = runs.find((r) => r.n >= 2 && r.n <= 5);
  assert.ok(five, 'mlmd_tfx.sqlite has a run of 2–5 executions');
  const p = await openPage();
  try {
    await load(p.page, PLAIN, 20);
    await p.page.getByTestId('filter-run').selectOption(five.name);
    await waitCount(p.page, five.n);
    await p.page.waitForFunction((n) => document.querySelector('[data-testid=selection-count]')?.textContent === `${n} selected`, five.n);
    const want = sql(PLAIN, `SELECT execution_id FROM Association WHERE context_id = ${five.id} ORDER BY execution_id`).map(([e]) => e);
    const picked = await p.page.$$eval(`${ROWS}.ml-picked`, (trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
    assert.deepEqual(picked, want);
    assert.equal(await p.page.getByTestId('compare-button').isEnabled(), true);
    await p.page.screenshot({ path: join(SHOTS, 'runs-select-mlmd_tfx.png') });
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('a cmflib store (no runs) hides the Run filter, column, compare-runs and timeline grouping', async () => {
  assert.equal(sql(CMF, "SELECT COUNT(*) FROM Type WHERE name IN ('pipeline_run', 'system.PipelineRun')")[0][0], 0);
  const p = await openPage();
  try {
    await load(p.page, CMF, 20);
    assert.equal(await p.page.getByTestId('filter-run').isVisible(), false);
    assert.equal(await p.page.getByTestId('compare-runs-button').isVisible(), false);
    assert.equal(await p.page.locator('th[data-column=run]').count(), 0);
    assert.equal(await p.page.locator(`${ROWS} td[data-col=run]`).count(), 0);
    // The column chooser does not offer it either.
    assert.equal(await p.page.locator('[data-testid=columns-menu] input[value=run]').count(), 0);
    // `run:` completes nothing (the field is known: no error either).
    const search = p.page.getByTestId('search');
    await search.click();
    await search.pressSequentially('run:');
    await p.page.waitForTimeout(300);
    assert.equal(await p.page.locator('[data-testid=search-suggestions] li').count(), 0);
    await search.pressSequentially('x');
    await search.press('Enter');
    await waitCount(p.page, 0);
    assert.equal(await p.page.getByTestId('search-error').isVisible(), false);
    await p.page.locator('[data-tab=timeline]').click();
    assert.equal(await p.page.getByTestId('timeline-group').isVisible(), false);
    await p.page.locator('[data-tab=table]').click();
    await p.page.screenshot({ path: join(SHOTS, 'runs-cmf_small.png') });
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});
