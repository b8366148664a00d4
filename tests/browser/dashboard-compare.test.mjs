// The dashboard strip and the compare dialog in the real page (headless Debian Chromium):
// every dashboard figure equals the native CLI's `stats` (rates as percentages, "—" when
// nothing finished), for the whole store and for a query; the compare dialog lists each
// group and row of `mlmd-lens compare` with its values, `differs` flag and verdicts, draws
// the core's metrics chart (a bar per execution per metric), follows a new baseline,
// filters to the differences, and closes. Screenshots go to test-output/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, openWith, useBrowser } from './harness.mjs';
import { FIXTURES, cli } from '../node/helpers.mjs';

const NO_END = 'no execution of this selection recorded an end state';

useBrowser('mlmd-lens-dashboard-');

/** Opens the page with URL state `query`, loads fixture `name`, waits for the dashboard. */
async function openFixture(name, query) {
  const p = await openWith(join(FIXTURES, name), query, { viewport: { width: 1400, height: 1000 } });
  await p.page.getByTestId('dashboard').waitFor();
  return p;
}

/** A rate as shown ("77.8%" or "—") against the CLI's value. */
function checkRate(shown, expected, what) {
  if (expected === null) {
    assert.equal(shown.text, '—', `${what}: nothing finished`);
    assert.ok(shown.title.includes(NO_END), `${what}: the dash is explained`);
  } else {
    assert.match(shown.text, /^\d+(\.\d)?%$/, `${what} is a percentage`);
    assert.ok(Math.abs(parseFloat(shown.text) - expected * 100) <= 0.05 + 1e-9, `${what}: ${shown.text} vs ${expected}`);
    assert.equal(Number(shown.value), expected, `${what}: exact value`);
  }
}

/** Reads the dashboard back from the DOM. */
const readDashboard = (page) => page.evaluate(() => {
  const card = (k) => {
    const el = document.querySelector(`[data-testid=dash-${k}]`);
    const v = el.querySelector('[data-value]');
    return { text: v.textContent, value: v.getAttribute('data-value'), title: `${el.title} ${v.title}` };
  };
  return {
    total: card('total'), success: card('success'), failure: card('failure'), avg: card('avg'),
    median: card('median'), p95: card('p95'), throughput: card('throughput'),
    legend: Object.fromEntries([...document.querySelectorAll('[data-testid=dashboard-legend] [data-status]')]
      .map((b) => [b.dataset.status, Number(b.dataset.count)])),
    segments: document.querySelectorAll('[data-testid=dashboard-statusbar] .ml-seg').length,
    bars: document.querySelectorAll('[data-testid=dashboard-chart] rect').length,
  };
});

/** Checks the dashboard against `mlmd-lens stats` output. */
async function checkDashboard(page, stats) {
  // The figures come after the rows (asked for once the first page is drawn).
  await page.waitForFunction((n) => document.querySelector('[data-testid=dash-total] [data-value]')?.getAttribute('data-value') === String(n), stats.total);
  const d = await readDashboard(page);
  assert.equal(Number(d.total.value), stats.total);
  assert.equal(d.total.text, stats.total.toLocaleString('en-US'));
  checkRate(d.success, stats.successRate, 'success rate');
  checkRate(d.failure, stats.failureRate, 'failure rate');
  for (const [k, field] of [['avg', 'avgMs'], ['median', 'medianMs'], ['p95', 'p95Ms']]) {
    assert.equal(d[k].value === '' ? null : Number(d[k].value), stats.duration[field], k);
  }
  assert.equal(Number(d.throughput.value), stats.throughputPerDay);
  for (const [label, count] of Object.entries(d.legend)) assert.equal(count, stats.byStatus[label] ?? 0, `count of ${label}`);
  assert.equal(Object.keys(d.legend).length, 7, 'the legend has every status');
  assert.equal(d.segments, Object.keys(stats.byStatus).length);
  const buckets = stats.perDay.length < 3 && stats.perHour.length > 1 ? stats.perHour : stats.perDay;
  assert.equal(d.bars, buckets.length);

  // By pipeline / by stage: opened on demand, one row per group with the same figures.
  await page.locator('[data-testid=dashboard-groups] > summary').click();
  // The tables are built by the details' toggle event, a task after the click.
  await page.waitForSelector('[data-testid=dashboard-by-pipeline]');
  for (const [key, groups] of [['pipeline', stats.byPipeline], ['stage', stats.byStage]]) {
    const rows = await page.$$eval(`[data-testid=dashboard-by-${key}] tbody tr`, (trs) => trs.map((tr) => ({
      name: tr.dataset.name, total: tr.cells[1].textContent,
      success: { text: tr.cells[2].textContent, value: tr.cells[2].firstElementChild.getAttribute('data-value'), title: tr.cells[2].firstElementChild.title },
      failure: { text: tr.cells[3].textContent, value: tr.cells[3].firstElementChild.getAttribute('data-value'), title: tr.cells[3].firstElementChild.title },
    })));
    assert.deepEqual(rows.map((r) => r.name), groups.map((g) => g.name));
    rows.forEach((r, i) => {
      assert.equal(r.total, groups[i].total.toLocaleString('en-US'));
      checkRate(r.success, groups[i].successRate, `${key} ${r.name} success`);
      checkRate(r.failure, groups[i].failureRate, `${key} ${r.name} failure`);
    });
  }
}

for (const name of ['cmf_small.sqlite', 'mlmd_tfx.sqlite']) {
  test(`dashboard of ${name} equals the CLI's stats`, async () => {
    const stats = cli('stats', join(FIXTURES, name));
    const { page, errors, close } = await openFixture(name, '');
    try {
      await checkDashboard(page, stats);
      if (name === 'cmf_small.sqlite') assert.equal(stats.successRate, null, 'cmflib records no state');
      await page.getByTestId('dashboard').screenshot({ path: join(SHOTS, `dashboard-${name.replace('.sqlite', '')}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
}

test('the dashboard follows the query; a status in the legend filters by it', async () => {
  const path = join(FIXTURES, 'mlmd_tfx.sqlite');
  const { page, errors, close } = await openFixture('mlmd_tfx.sqlite', `?query=${encodeURIComponent('stage:Trainer')}`);
  try {
    await checkDashboard(page, cli('stats', path, '-q', 'stage:Trainer'));
    await page.locator('[data-testid=dashboard-legend] [data-status=Completed]').click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('status') === 'Completed');
    await page.waitForFunction(() => document.querySelector('[data-testid=dashboard-legend] [data-status=Failed]').dataset.count === '0');
    const completed = cli('stats', path, '-q', 'stage:Trainer AND status:completed');
    const total = await page.$eval('[data-testid=dash-total] [data-value]', (e) => Number(e.getAttribute('data-value')));
    assert.equal(total, completed.total);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** Every value row of the dialog, in order, read back from the DOM. */
const readRows = (page) => page.$$eval('[data-testid=compare-property]', (trs) => trs.map((tr) => ({
  name: tr.dataset.name, group: tr.dataset.group, differs: tr.dataset.differs === 'true',
  values: [...tr.querySelectorAll('[data-testid=compare-value]')].map((td) => td.querySelector('.ml-cmp-value, .ml-empty-string, .ml-not-recorded').textContent),
  verdicts: [...tr.querySelectorAll('[data-testid=compare-value]')].map((td) => td.dataset.verdict),
  best: [...tr.querySelectorAll('[data-testid=compare-value]')].map((td) => !!td.querySelector('[data-testid=compare-best]')),
  deltas: [...tr.querySelectorAll('[data-testid=compare-value]')].map((td) => td.querySelector('[data-testid=compare-delta]')?.textContent.trim() ?? null),
})));

/** The chart's bars: `[execution, metric]` of each, in order. */
const readBars = (page) => page.$$eval('[data-testid=compare-chart] svg rect.bar', (rs) => rs.map((r) => [Number(r.dataset.execution), r.dataset.metric, r.querySelector('title')?.textContent ?? '']));

test('compare 3, 7 and 11 of cmf_small: groups, differences, artifacts, close', async () => {
  const path = join(FIXTURES, 'cmf_small.sqlite');
  const expected = cli('compare', path, '3', '7', '11');
  const { page, errors, close } = await openFixture('cmf_small.sqlite', '?compare=3,7,11&comparing=1');
  try {
    const dialog = page.getByTestId('compare');
    await dialog.waitFor({ state: 'visible' });
    await page.getByTestId('compare-chart').waitFor();
    assert.equal(await dialog.getAttribute('role'), 'dialog');
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    const heads = await page.$$eval('[data-testid=compare-parameters] [data-testid=compare-execution]', (ths) => ths.map((th) => Number(th.dataset.id)));
    assert.deepEqual(heads, [3, 7, 11]);
    const groups = await page.$$eval('[data-testid=compare-group]', (gs) => gs.map((g) => [g.dataset.kind, g.tagName]));
    assert.deepEqual(groups, expected.groups.map((g) => [g.kind, g.folded ? 'DETAILS' : 'SECTION']));

    const rows = await readRows(page);
    const want = expected.groups.flatMap((g) => g.rows.map((r) => ({ ...r, group: g.kind })));
    assert.deepEqual(rows.map((r) => [r.group, r.name]), want.map((r) => [r.group, r.name]));
    want.forEach((p, i) => {
      assert.equal(rows[i].differs, p.differs, `${p.name} differs`);
      if (p.property !== 'durationMs' && p.property !== 'started' && p.property !== 'ended') {
        assert.deepEqual(rows[i].values, p.values.map((v) => (v === null ? 'not recorded' : typeof v === 'object' ? JSON.stringify(v) : String(v))), `${p.name} values`);
      }
      assert.deepEqual(rows[i].verdicts, p.verdicts, `${p.name} verdicts`);
    });
    const lr = rows.find((r) => r.name === 'learning_rate');
    assert.equal(lr.group, 'parameters');
    assert.deepEqual(lr.values, ['0.1', '0.01', '0.01']);
    assert.deepEqual(lr.deltas, [null, '−0.09 (−90%)', '−0.09 (−90%)'], 'deltas against the first, absolute and %');
    const repo = rows.find((r) => r.name === 'Git_Repo');
    assert.equal(repo.group, 'git');
    assert.equal(repo.differs, false);
    // cmflib's bookkeeping is folded, after everything the user set.
    assert.equal(await page.locator('[data-testid=compare-property][data-name=Context_Type]').isVisible(), false);
    assert.equal(rows.findIndex((r) => r.group === 'bookkeeping') > rows.findIndex((r) => r.name === 'learning_rate'), true);

    const arts = await page.$$eval('[data-testid=compare-artifact]', (trs) => trs.map((tr) => ({
      key: tr.dataset.key, direction: tr.dataset.direction, differs: tr.dataset.differs === 'true', change: tr.dataset.change,
      versions: [...tr.querySelectorAll('[data-testid=compare-version]')].map((td) => td.querySelector('code')?.textContent ?? null),
    })));
    const artifacts = expected.groups.find((g) => g.kind === 'artifacts').artifacts;
    assert.deepEqual(arts, artifacts.map((a) => ({ key: a.key, direction: a.direction, differs: a.differs, change: a.change, versions: a.versions })));
    // Train runs log no metric (their Step_Metrics hold a file, not values): the chart says so.
    assert.match(await page.getByTestId('compare-chart').textContent(), /No metrics recorded/);
    await dialog.screenshot({ path: join(SHOTS, 'compare-cmf_small.png') });

    // Only differences: Git_Repo (same everywhere) hides, learning_rate stays.
    await page.getByTestId('compare-only-diff').check();
    assert.equal(await page.locator('[data-testid=compare-property][data-name=Git_Repo]').isHidden(), true);
    assert.equal(await page.locator('[data-testid=compare-property][data-name=learning_rate]').isVisible(), true);
    await dialog.screenshot({ path: join(SHOTS, 'compare-cmf_small-differences.png') });

    // The close button closes, and the URL forgets `comparing`.
    await page.getByTestId('compare-close').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('comparing'));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('select three Evaluate runs, Compare: metrics chart, switch baseline, differences only', async () => {
  const path = join(FIXTURES, 'cmf_small.sqlite');
  const { page, errors, close } = await openFixture('cmf_small.sqlite', '');
  try {
    for (const id of [4, 8, 12]) await page.locator(`[data-testid=execution-row][data-id="${id}"] input.ml-select`).check();
    await page.getByTestId('compare-button').click();
    const dialog = page.getByTestId('compare');
    await dialog.waitFor({ state: 'visible' });
    await page.waitForFunction(() => new URLSearchParams(location.search).get('compare') === '4,8,12');
    await page.locator('[data-testid=compare-chart] svg').waitFor();

    // The chart: one bar per execution per metric, the same SVG the CLI writes.
    const expected = cli('compare', path, '4', '8', '12');
    const metrics = expected.groups.find((g) => g.kind === 'metrics').rows;
    assert.deepEqual(metrics.map((r) => r.name), ['accuracy', 'avg_prec', 'roc_auc']);
    let bars = await readBars(page);
    assert.deepEqual(bars.map(([id, m]) => [id, m]), metrics.flatMap((m) => [4, 8, 12].map((id) => [id, m.name])));
    assert.match(bars[0][2], /accuracy: 0\.7425 \(baseline\)/);
    let rows = await readRows(page);
    const accuracy = rows.find((r) => r.name === 'accuracy');
    assert.deepEqual(accuracy.best, [false, true, false], 'the best accuracy is #8');
    assert.deepEqual(accuracy.verdicts, ['baseline', 'better', 'worse']);
    await dialog.screenshot({ path: join(SHOTS, 'compare-metrics.png') });

    // Baseline #8: deltas, verdicts and the chart's tooltips follow; the best does not move.
    await page.getByTestId('compare-baseline').selectOption('8');
    await page.waitForFunction(() => document.querySelector('[data-testid=compare]').dataset.baseline === '8');
    const vs8 = cli('compare', path, '4', '8', '12', '--baseline', '8');
    rows = await readRows(page);
    for (const want of vs8.groups.find((g) => g.kind === 'metrics').rows) {
      const got = rows.find((r) => r.name === want.name);
      assert.deepEqual(got.verdicts, want.verdicts, want.name);
      assert.deepEqual(got.best, [false, true, false], want.name);
    }
    assert.deepEqual(rows.find((r) => r.name === 'accuracy').deltas, ['−0.1199 (−13.9%)', null, '−0.1281 (−14.9%)']);
    bars = await readBars(page);
    assert.match(bars[1][2], /accuracy: 0\.8624 \(baseline\) ★ best/);
    assert.match(bars[0][2], /vs #8; worse/);
    assert.equal(await page.locator('[data-testid=compare-execution][data-id="8"] [data-testid=compare-baseline-mark]').count(), 1);
    assert.equal(await page.locator('[data-testid=compare-execution][data-id="4"] [data-testid=compare-baseline-mark]').count(), 0);
    await dialog.screenshot({ path: join(SHOTS, 'compare-metrics-baseline-8.png') });
    // The baseline is in the URL: a shared link opens the comparison against #8.
    await page.waitForFunction(() => new URLSearchParams(location.search).get('baseline') === '8');
    const link = new URL(page.url()).search;
    const shared = await openFixture('cmf_small.sqlite', link);
    try {
      await shared.page.getByTestId('compare').waitFor({ state: 'visible' });
      await shared.page.waitForFunction(() => document.querySelector('[data-testid=compare]')?.dataset.baseline === '8');
      assert.equal(await shared.page.getByTestId('compare-baseline').inputValue(), '8');
      assert.deepEqual(shared.errors, []);
    } finally {
      await shared.close();
    }

    // Differences only: threshold (0.5 everywhere) hides, the metrics stay.
    await page.getByTestId('compare-only-diff').check();
    assert.equal(await page.locator('[data-testid=compare-property][data-name=threshold]').isHidden(), true);
    assert.equal(await page.locator('[data-testid=compare-property][data-name=accuracy]').isVisible(), true);
    await dialog.screenshot({ path: join(SHOTS, 'compare-metrics-differences.png') });

    // The other charts draw too.
    await page.getByTestId('compare-chart-kind').selectOption('parallel');
    await page.waitForFunction(() => document.querySelector('[data-testid=compare-chart]')?.dataset.kind === 'parallel'
      && document.querySelectorAll('[data-testid=compare-chart] svg polyline.line').length === 3);
    await page.getByTestId('compare-chart-metric').selectOption('roc_auc');
    await page.waitForFunction(() => document.querySelector('[data-testid=compare-chart] svg polyline.line')?.dataset.metric === 'roc_auc');
    await page.getByTestId('compare-chart').screenshot({ path: join(SHOTS, 'compare-parallel.png') });
    await page.getByTestId('compare-chart-kind').selectOption('duration');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-chart] svg rect.bar').length === 3);
    await page.getByTestId('compare-chart').screenshot({ path: join(SHOTS, 'compare-duration.png') });

    // Across the whole (unfiltered) store: the scatter and the ranking are the CLI's.
    await page.locator('[data-testid=compare-across] > summary').click();
    await page.locator('[data-testid=compare-scatter] svg').waitFor();
    const scatter = cli('scatter', path);
    const points = await page.$$eval('[data-testid=compare-scatter] svg circle.point', (cs) => cs.map((c) => Number(c.dataset.execution)));
    assert.deepEqual(points, scatter.ids);
    const ranking = await page.$$eval('[data-testid=compare-ranking] li', (lis) => lis.map((li) => Number(li.dataset.id)));
    assert.deepEqual(ranking, scatter.ranking.slice(0, 10).map((i) => scatter.ids[i]));
    assert.equal(ranking[0], 8, 'the best accuracy of the store is #8');
    assert.doesNotMatch(await page.getByTestId('compare-across').textContent(), /null|undefined/);
    await page.getByTestId('scatter-metric').selectOption('roc_auc');
    await page.waitForFunction(() => document.querySelector('[data-testid=compare-scatter] svg circle.point')?.dataset.metric === 'roc_auc');
    await page.getByTestId('compare-across').screenshot({ path: join(SHOTS, 'compare-across.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('compare of mlmd_tfx 1, 2, 3: struct and bool values; Esc closes', async () => {
  const path = join(FIXTURES, 'mlmd_tfx.sqlite');
  const expected = cli('compare', path, '1', '2', '3');
  const { page, errors, close } = await openFixture('mlmd_tfx.sqlite', '?compare=1,2,3&comparing=1');
  try {
    const dialog = page.getByTestId('compare');
    await dialog.waitFor({ state: 'visible' });
    await page.getByTestId('compare-chart').waitFor();
    const differs = await page.$$eval('[data-testid=compare-property]', (trs) => trs.map((tr) => [tr.dataset.name, tr.dataset.differs === 'true']));
    assert.deepEqual(differs, expected.groups.flatMap((g) => g.rows).map((p) => [p.name, p.differs]));
    const config = await page.$$eval('[data-testid=compare-property][data-name=config] .ml-cmp-value', (vs) => vs.map((v) => JSON.parse(v.textContent)));
    assert.deepEqual(config, expected.groups.flatMap((g) => g.rows).find((p) => p.name === 'config').values);
    await dialog.screenshot({ path: join(SHOTS, 'compare-mlmd_tfx.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('compare errors are shown in the dialog', async () => {
  const { page, errors, close } = await openFixture('cmf_small.sqlite', '?compare=3,9999&comparing=1');
  try {
    const err = page.getByTestId('compare-error');
    await err.waitFor({ state: 'visible' });
    assert.equal(await err.getAttribute('data-kind'), 'not-found');
    assert.match(await err.textContent(), /9999/);
    await page.getByTestId('compare').screenshot({ path: join(SHOTS, 'compare-error.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
