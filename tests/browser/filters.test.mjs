// The filters bar (js/views/filters.js) in headless Debian Chromium, checked against the
// native CLI: every dropdown and the date range narrow to the CLI's count, the search box
// applies the search language, a bad query shows the parser's message and position while
// the table keeps the last good result, autocomplete offers fields, property names and
// statuses from the keyboard, '/' focuses the search, Clear resets everything.
// Screenshots go to test-output/screenshots/filters-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { COUNT, SHOTS, load, openPage, shownIds, tmp, useBrowser, waitCount } from './harness.mjs';
import { ROOT, FIXTURES, cli } from '../node/helpers.mjs';

useBrowser('mlmd-lens-filters-');

const CMF = join(FIXTURES, 'cmf_small.sqlite');
const TFX = join(FIXTURES, 'mlmd_tfx.sqlite');
const total = (...args) => cli('executions', ...args, '--json').total;

test('each dropdown narrows to the CLI\'s count; Git branch is disabled when no branch is recorded', async () => {
  const p = await openPage();
  try {
    await load(p.page, CMF, total(CMF));
    const branch = p.page.getByTestId('filter-branch');
    assert.equal(await branch.isDisabled(), true);
    assert.equal(await branch.getAttribute('title'), 'no branch recorded in this file');
    // Options come from the summary, with "All" first.
    const options = await p.page.$$eval('[data-testid=filter-pipeline] option', (o) => o.map((x) => x.value));
    assert.deepEqual(options, ['', ...cli('summary', CMF, '--json').pipelines]);

    await p.page.getByTestId('filter-pipeline').selectOption('mnist');
    await waitCount(p.page, total(CMF, '--pipeline', 'mnist'));
    await p.page.getByTestId('filter-stage').selectOption('Train');
    await waitCount(p.page, total(CMF, '--pipeline', 'mnist', '--stage', 'Train'));
    const shown = await shownIds(p.page);
    assert.deepEqual(shown, cli('executions', CMF, '--pipeline', 'mnist', '--stage', 'Train', '--json').rows.map((r) => r.id));
    await p.page.getByTestId('filter-pipeline').selectOption('');
    await waitCount(p.page, total(CMF, '--stage', 'Train'));
    await p.page.getByTestId('filter-type').selectOption('Evaluate');
    await waitCount(p.page, total(CMF, '--stage', 'Train', '--type', 'Evaluate'));
    await p.page.screenshot({ path: join(SHOTS, 'filters-cmf_small.png') });
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }

  const q = await openPage();
  try {
    await load(q.page, TFX, total(TFX));
    // Status: only the statuses this file has, with counts.
    const labels = await q.page.$$eval('[data-testid=filter-status] option', (o) => o.map((x) => x.textContent));
    const states = cli('summary', TFX, '--json').states;
    assert.equal(labels.length, Object.keys(states).length + 1);
    assert.ok(labels.some((l) => l.includes(`Completed (${states.Completed})`)), labels.join('|'));
    await q.page.getByTestId('filter-status').selectOption('Completed');
    await waitCount(q.page, total(TFX, '--status', 'completed'));
    await q.page.getByTestId('filter-type').selectOption('Trainer');
    await waitCount(q.page, total(TFX, '--status', 'completed', '--type', 'Trainer'));
    assert.deepEqual(q.errors, []);
  } finally { await q.close(); }
});

test('the date range narrows like --from/--to', async () => {
  const large = join(ROOT, 'test-output', 'filters-dates.sqlite');
  execFileSync('python3', [join(FIXTURES, 'gen_large.py'), large, '--executions', '3000'], { stdio: 'ignore' });
  const p = await openPage();
  try {
    await load(p.page, large, 3000);
    const s = cli('summary', large, '--json');
    const day0 = s.firstStarted.slice(0, 10);
    const from = new Date(Date.parse(day0) + 2 * 86400e3).toISOString().slice(0, 10);
    const to = new Date(Date.parse(day0) + 4 * 86400e3).toISOString().slice(0, 10);
    await p.page.getByTestId('filter-from').fill(from);
    await waitCount(p.page, total(large, '--from', from));
    await p.page.getByTestId('filter-to').fill(to);
    const n = total(large, '--from', from, '--to', to);
    assert.ok(n > 0 && n < 3000, String(n));
    await waitCount(p.page, n);
    await p.page.getByTestId('clear-filters').click();
    await waitCount(p.page, 3000);
    assert.equal(await p.page.getByTestId('filter-from').inputValue(), '');
    assert.equal(await p.page.getByTestId('filter-to').inputValue(), '');
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
    rmSync(large, { force: true });
  }
});

test('search: a good query narrows to the CLI\'s rows; a bad one shows where, and the table stays', async () => {
  const p = await openPage();
  try {
    await load(p.page, CMF, 20);
    const search = p.page.getByTestId('search');
    const good = 'pipeline:mnist AND property:epochs>10';
    await search.fill(good);
    await search.press('Enter');
    const want = cli('executions', CMF, '-q', good, '--json');
    assert.equal(want.total, 1);
    await waitCount(p.page, 1);
    const shown = await shownIds(p.page);
    assert.deepEqual(shown, want.rows.map((r) => r.id));
    assert.equal(await p.page.getByTestId('search-error').isHidden(), true);

    // Typing without Enter applies after a short pause.
    await search.fill('stage:Train');
    await waitCount(p.page, total(CMF, '-q', 'stage:Train'));
    await search.fill(good);
    await search.press('Enter');
    await waitCount(p.page, 1);

    const bad = 'pipeline:mnist AND property:epochs>';
    await search.fill(bad);
    await search.press('Enter');
    const error = p.page.getByTestId('search-error');
    await error.waitFor({ state: 'visible' });
    assert.equal(await error.textContent(), "expected a value after 'property:epochs>' at 35");
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await search.getAttribute('aria-invalid'), 'true');
    // The caret marks position 35 (the end of the query).
    assert.equal(await p.page.locator('.ml-caret-at').isVisible(), true);
    // The last good result stays.
    assert.equal(await p.page.locator(COUNT).textContent(), '1');
    assert.deepEqual(await shownIds(p.page), want.rows.map((r) => r.id));
    await p.page.screenshot({ path: join(SHOTS, 'filters-error.png') });

    // An unknown field: the message names the fields, the caret is at 0.
    await search.fill('foo:bar');
    await search.press('Enter');
    await p.page.waitForFunction(() => document.querySelector('[data-testid=search-error]').textContent.startsWith("unknown field 'foo'"));
    // Fixing the query hides the error.
    await search.fill('status:unknown');
    await search.press('Enter');
    await waitCount(p.page, 20);
    assert.equal(await error.isHidden(), true);
    assert.equal(await search.getAttribute('aria-invalid'), null);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('autocomplete: fields, property names and statuses, from the keyboard', async () => {
  const p = await openPage();
  try {
    await load(p.page, CMF, 20);
    const search = p.page.getByTestId('search');
    const list = p.page.getByTestId('search-suggestions');
    await search.click();
    await search.pressSequentially('prop');
    await list.waitFor({ state: 'visible' });
    assert.equal(await search.getAttribute('aria-expanded'), 'true');
    assert.equal(await search.getAttribute('role'), 'combobox');
    const items = await list.locator('[role=option]').allTextContents();
    assert.ok(items.includes('property:learning_rate'), items.join('|'));
    await p.page.screenshot({ path: join(SHOTS, 'filters-autocomplete.png') });

    // Narrow it, pick with the arrow keys and Enter.
    await search.pressSequentially('erty:learn');
    await p.page.waitForFunction(() => [...document.querySelectorAll('[data-testid=search-suggestions] [role=option]')].map((o) => o.textContent).join() === 'property:learning_rate');
    await search.press('ArrowDown');
    const active = await search.getAttribute('aria-activedescendant');
    assert.equal(await p.page.locator(`[id="${active}"]`).textContent(), 'property:learning_rate');
    assert.equal(await p.page.locator(`[id="${active}"]`).getAttribute('aria-selected'), 'true');
    await search.press('Enter');
    assert.equal(await search.inputValue(), 'property:learning_rate');
    assert.equal(await list.isHidden(), true);

    // After status: the status labels; Tab accepts the only match.
    await search.fill('');
    await search.pressSequentially('pipeline:mnist stat');
    await p.page.waitForFunction(() => [...document.querySelectorAll('[data-testid=search-suggestions] [role=option]')].map((o) => o.textContent).join() === 'status:');
    await search.press('Tab');
    assert.equal(await search.inputValue(), 'pipeline:mnist status:');
    await list.waitFor({ state: 'visible' });
    const statuses = await list.locator('[role=option]').allTextContents();
    assert.deepEqual(statuses, ['Pending', 'Running', 'Completed', 'Failed', 'Cached', 'Canceled', 'Unknown'].map((s) => `status:${s}`));
    await search.pressSequentially('unk');
    await search.press('ArrowDown');
    await search.press('Enter');
    assert.equal(await search.inputValue(), 'pipeline:mnist status:Unknown');
    await search.press('Enter');
    await waitCount(p.page, total(CMF, '-q', 'pipeline:mnist status:Unknown'));

    // Esc closes the list (and nothing else).
    await search.fill('');
    await search.pressSequentially('dur');
    await list.waitFor({ state: 'visible' });
    await search.press('Escape');
    assert.equal(await list.isHidden(), true);
    assert.equal(await search.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('issue 9: a property named with a colon is suggested quoted, and picking it finds the executions that have it', async () => {
  // cmf_small plus `val:acc` on executions 4 and 7, and a property `val` (text 'acc-high')
  // on 9: read unquoted, `property:val:acc` means "val contains acc" and finds only 9.
  const store = join(tmp, 'colon.sqlite');
  copyFileSync(CMF, store);
  execFileSync('python3', ['-c', `import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executemany("INSERT INTO ExecutionProperty (execution_id, name, is_custom_property, double_value) VALUES (?, 'val:acc', 1, ?)", [(4, 0.93), (7, 0.88)])
c.execute("INSERT INTO ExecutionProperty (execution_id, name, is_custom_property, string_value) VALUES (9, 'val', 1, 'acc-high')")
c.commit()`, store]);
  const want = cli('executions', store, '-q', 'property:"val:acc"', '--json').rows.map((r) => r.id);
  assert.deepEqual(want, [4, 7]);
  assert.deepEqual(cli('executions', store, '-q', 'property:val:acc', '--json').rows.map((r) => r.id), [9]);
  const p = await openPage();
  try {
    await load(p.page, store, 20);
    const search = p.page.getByTestId('search');
    const list = p.page.getByTestId('search-suggestions');
    await search.click();
    await search.pressSequentially('property:val');
    const option = list.locator('[role=option]', { hasText: 'property:"val:acc"' });
    await option.waitFor({ state: 'visible' });
    assert.equal(await option.textContent(), 'property:"val:acc"');
    assert.match(await option.getAttribute('data-hint'), / · 2$/);
    await p.page.screenshot({ path: join(SHOTS, 'filters-property-colon.png') });
    await option.click();
    assert.equal(await search.inputValue(), 'property:"val:acc"');
    await search.press('Enter');
    await waitCount(p.page, 2);
    assert.deepEqual(await shownIds(p.page), want);

    // Typing the name after an opening quote offers it too; Tab takes the only match.
    await search.fill('');
    await search.pressSequentially('property:"val:');
    await p.page.waitForFunction(() => [...document.querySelectorAll('[data-testid=search-suggestions] [role=option]')].map((o) => o.textContent).join() === 'property:"val:acc"');
    await search.press('Tab');
    assert.equal(await search.inputValue(), 'property:"val:acc"');
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test("'/' focuses the search; the help lists the syntax and an example can be applied; Clear resets", async () => {
  const p = await openPage();
  try {
    await load(p.page, CMF, 20);
    await p.page.locator('[data-testid=executions-table] tbody').focus();
    await p.page.keyboard.press('/');
    assert.equal(await p.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search');

    await p.page.locator('[data-testid=search-help] > summary').click();
    const help = p.page.locator('.ml-help-pop');
    await help.waitFor({ state: 'visible' });
    const text = await help.textContent();
    for (const ex of ['pipeline:mnist AND status:completed AND property:epochs>10', 'property:learning_rate=0.001',
      'date:2026-01-01 TO 2026-01-31', 'commit:a3f9e2b7', 'duration>5m', 'NOT', 'OR']) assert.ok(text.includes(ex), ex);
    await p.page.screenshot({ path: join(SHOTS, 'filters-help.png') });
    await help.getByText('property:learning_rate=0.001').click();
    await waitCount(p.page, total(CMF, '-q', 'property:learning_rate=0.001'));
    assert.equal(await p.page.getByTestId('search').inputValue(), 'property:learning_rate=0.001');

    await p.page.getByTestId('filter-pipeline').selectOption('fraud-detection');
    await waitCount(p.page, total(CMF, '-q', 'property:learning_rate=0.001', '--pipeline', 'fraud-detection'));
    await p.page.getByTestId('clear-filters').click();
    await waitCount(p.page, 20);
    assert.equal(await p.page.getByTestId('search').inputValue(), '');
    assert.equal(await p.page.getByTestId('filter-pipeline').inputValue(), '');
    assert.equal(await p.page.getByTestId('clear-filters').isDisabled(), true);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('filters screenshots: dark and narrow', async () => {
  for (const [shot, options] of [['filters-dark.png', { colorScheme: 'dark' }], ['filters-narrow.png', { viewport: { width: 390, height: 800 } }]]) {
    const p = await openPage('', options);
    try {
      await load(p.page, TFX, 20);
      await p.page.getByTestId('filter-status').selectOption('Completed');
      await waitCount(p.page, total(TFX, '--status', 'completed'));
      await p.page.screenshot({ path: join(SHOTS, shot) });
      assert.deepEqual(p.errors, []);
    } finally { await p.close(); }
  }
});
