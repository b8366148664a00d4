// The executions table (js/views/table.js) in headless Debian Chromium, checked against the
// native CLI: rows and count per fixture, header sort, pages and page size, multi-select for
// comparison (limit 5, shift-click ranges), the keyboard row cursor, the virtualized scroll
// mode over a generated 20k store, property columns, alerts and the empty state.
// Screenshots go to test-output/screenshots/table-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { COUNT, ROWS, SHOTS, load, openPage, shownIds, tmp, useBrowser, waitStyled } from './harness.mjs';
import { FIXTURES, GOOD, cli } from '../node/helpers.mjs';

const LARGE_N = 20_000;

let large; // a generated store with LARGE_N executions
useBrowser('mlmd-lens-table-', () => {
  large = join(tmp, 'large.sqlite');
  execFileSync('python3', [join(FIXTURES, 'gen_large.py'), large, '--executions', String(LARGE_N)], { stdio: 'ignore' });
});

/** Waits until the rows shown are `ids`. */
async function waitIds(page, ids) {
  await page.waitForFunction(([sel, want]) => {
    const got = [...document.querySelectorAll(sel)].map((tr) => Number(tr.getAttribute('data-id')));
    return JSON.stringify(got) === JSON.stringify(want);
  }, [ROWS, ids]).catch(async () => assert.deepEqual(await shownIds(page), ids));
}

const ids = (res) => res.rows.map((r) => r.id);
const checkbox = (page, id) => page.locator(`${ROWS}[data-id="${id}"] input.ml-select`);

for (const name of GOOD) {
  test(`${name}: the first page and the count are the CLI's`, async () => {
    const path = join(FIXTURES, name);
    const expected = cli('executions', path, '--sort', 'id', '--limit', '50', '--json');
    const p = await openPage();
    try {
      await load(p.page, path, expected.total);
      await waitIds(p.page, ids(expected));
      if (expected.total === 0) {
        assert.equal(await p.page.getByTestId('empty-row').isVisible(), true);
        assert.match(await p.page.getByTestId('empty-row').textContent(), /no executions/i);
      } else {
        // Cells: name, pipeline, stage, status label, short commit (full in the title).
        const r = expected.rows[0];
        const tr = p.page.locator(`${ROWS}[data-id="${r.id}"]`);
        const text = await tr.textContent();
        for (const part of [r.name, r.status, r.pipeline, r.stage].filter(Boolean)) assert.ok(text.includes(part), `${part} in ${text}`);
        if (r.gitCommit) assert.equal(await tr.locator('.ml-col-commit code').getAttribute('title'), r.gitCommit);
        const th = p.page.locator('[data-testid=executions-table] th[scope=col]');
        assert.ok((await th.count()) >= 10);
        assert.equal(await p.page.locator('th[data-column=id]').getAttribute('aria-sort'), 'ascending');
      }
      if (name === 'cmf_small.sqlite' || name === 'mlmd_tfx.sqlite') {
        await p.page.screenshot({ path: join(SHOTS, `table-${name.replace('.sqlite', '')}.png`), fullPage: true });
      }
      assert.deepEqual(p.errors, []);
    } finally { await p.close(); }
  });
}

test('clicking Started twice sorts descending, like the CLI', async () => {
  const path = join(FIXTURES, 'mlmd_tfx.sqlite');
  const p = await openPage();
  try {
    await load(p.page, path, 20);
    const header = p.page.locator('th[data-column=started] button');
    await header.click();
    await waitIds(p.page, ids(cli('executions', path, '--sort', 'started', '--limit', '50', '--json')));
    assert.equal(await p.page.locator('th[data-column=started]').getAttribute('aria-sort'), 'ascending');
    await header.click();
    await waitIds(p.page, ids(cli('executions', path, '--sort', '-started', '--limit', '50', '--json')));
    assert.equal(await p.page.locator('th[data-column=started]').getAttribute('aria-sort'), 'descending');
    assert.equal(await p.page.locator('th[data-column=id]').getAttribute('aria-sort'), 'none');
    // Another column: ascending first.
    await p.page.locator('th[data-column=duration] button').click();
    await waitIds(p.page, ids(cli('executions', path, '--sort', 'duration', '--limit', '50', '--json')));
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('pages: next, last, first and the page size', async () => {
  const p = await openPage();
  try {
    await load(p.page, large, LARGE_N);
    const cliPage = (offset, limit) => ids(cli('executions', large, '--sort', 'id', '--offset', String(offset), '--limit', String(limit), '--json'));
    await waitIds(p.page, cliPage(0, 50));
    assert.equal(await p.page.getByTestId('page-info').textContent(), `Page 1 of ${LARGE_N / 50}`);
    assert.equal(await p.page.getByTestId('page-prev').isDisabled(), true);
    await p.page.getByTestId('page-next').click();
    await waitIds(p.page, cliPage(50, 50));
    assert.equal(await p.page.getByTestId('page-info').textContent(), `Page 2 of ${LARGE_N / 50}`);
    await p.page.getByTestId('page-last').click();
    await waitIds(p.page, cliPage(LARGE_N - 50, 50));
    assert.equal(await p.page.getByTestId('page-next').isDisabled(), true);
    await p.page.getByTestId('page-first').click();
    await waitIds(p.page, cliPage(0, 50));
    await p.page.getByTestId('page-size').selectOption('25');
    await waitIds(p.page, cliPage(0, 25));
    await p.page.getByTestId('page-next').click();
    await waitIds(p.page, cliPage(25, 25));
    await p.page.getByTestId('page-size').selectOption('250');
    await waitIds(p.page, cliPage(0, 250)); // a new page size starts at the first page
    assert.equal(await p.page.getByTestId('page-info').textContent(), `Page 1 of ${LARGE_N / 250}`);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('a page is drawn a few rows a frame: aria-busy until every row is in, even when the state changes meanwhile', async () => {
  const p = await openPage('', {
    // The first time the table says it is still drawing, tick the first row's checkbox: the
    // update that follows keeps the same page, and the rest of the rows must still come.
    init: () => {
      new MutationObserver((changes, obs) => {
        const busy = document.querySelector('[data-testid=executions-table][aria-busy=true]');
        if (!busy) return;
        obs.disconnect();
        /** @type {any} */ (window).__rowsWhenBusy = busy.querySelectorAll('[data-testid=execution-row]').length;
        /** @type {HTMLInputElement} */ (busy.querySelector('[data-testid=execution-row] input.ml-select')).click();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
    },
  });
  try {
    await load(p.page, large, LARGE_N);
    const rowsWhenBusy = await p.page.evaluate(() => /** @type {any} */ (window).__rowsWhenBusy);
    assert.ok(rowsWhenBusy > 0 && rowsWhenBusy < 50, `${rowsWhenBusy} rows drawn while busy`);
    assert.deepEqual(await shownIds(p.page), ids(cli('executions', large, '--sort', 'id', '--limit', '50', '--json')));
    assert.equal(await p.page.locator(`${ROWS} input.ml-select:checked`).count(), 1);
    assert.equal(await p.page.getByTestId('selection-count').textContent(), '1 selected');
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('multi-select: Compare needs 2–5, the 6th is disabled, shift-click selects a range', async () => {
  const path = join(FIXTURES, 'cmf_small.sqlite');
  const p = await openPage();
  try {
    await load(p.page, path, 20);
    const compare = p.page.getByTestId('compare-button');
    assert.equal(await compare.isDisabled(), true);
    for (const id of [1, 2, 3]) await checkbox(p.page, id).check();
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (3)');
    assert.equal(await compare.isEnabled(), true);
    await checkbox(p.page, 2).uncheck();
    await checkbox(p.page, 3).uncheck();
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (1)');
    assert.equal(await compare.isDisabled(), true);
    for (const id of [4, 5, 6, 7]) await checkbox(p.page, id).check();
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (5)');
    assert.equal(await checkbox(p.page, 8).isDisabled(), true);
    assert.match(await checkbox(p.page, 8).getAttribute('title'), /At most 5/);
    assert.equal(await checkbox(p.page, 4).isEnabled(), true);
    await p.page.screenshot({ path: join(SHOTS, 'table-selection.png') });

    await p.page.getByTestId('clear-selection').click();
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (0)');
    assert.equal(await checkbox(p.page, 8).isEnabled(), true);
    // Shift-click: 10, then shift 13 → 10..13.
    await checkbox(p.page, 10).click();
    await checkbox(p.page, 13).click({ modifiers: ['Shift'] });
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (4)');
    const checked = await p.page.$$eval(`${'[data-testid=execution-row]'} input.ml-select:checked`, (b) => b.map((x) => Number(x.closest('tr').dataset.id)));
    assert.deepEqual(checked, [10, 11, 12, 13]);
    // Header checkbox: clears the visible ones, then picks the first five.
    await p.page.getByTestId('select-page').click();
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (0)');
    await p.page.getByTestId('select-page').click();
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (5)');
    await compare.click();
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('keyboard: arrows move the row cursor, Enter opens, Space selects', async () => {
  const path = join(FIXTURES, 'mlmd_tfx.sqlite');
  const p = await openPage();
  try {
    await load(p.page, path, 20);
    const tbody = p.page.locator('[data-testid=executions-table] tbody');
    await tbody.focus();
    await p.page.keyboard.press('ArrowDown'); // the cursor starts on row 0 when focus arrives
    await p.page.keyboard.press('ArrowDown');
    const cursorId = await p.page.$eval('tr.ml-cursor', (tr) => Number(tr.dataset.id));
    const expected = ids(cli('executions', path, '--sort', 'id', '--limit', '3', '--json'))[2];
    assert.equal(cursorId, expected);
    assert.equal(await tbody.getAttribute('aria-activedescendant'), await p.page.$eval('tr.ml-cursor', (tr) => tr.id));
    await p.page.screenshot({ path: join(SHOTS, 'table-keyboard.png') });
    await p.page.keyboard.press('Enter');
    const row = p.page.locator(`${ROWS}[data-id="${expected}"]`);
    await p.page.waitForFunction((id) => document.querySelector(`[data-testid=execution-row][data-id="${id}"]`).getAttribute('aria-selected') === 'true', expected);
    if (await p.page.getByTestId('details').count()) {
      await p.page.getByTestId('details').first().waitFor({ state: 'visible' });
    }
    assert.equal(await row.getAttribute('aria-selected'), 'true');
    await tbody.focus();
    await p.page.keyboard.press(' ');
    await p.page.waitForFunction(() => document.querySelector('[data-testid=compare-button]').textContent === 'Compare (1)');
    await p.page.keyboard.press('End');
    assert.equal(await p.page.$eval('tr.ml-cursor', (tr) => Number(tr.dataset.id)), 20);
    await p.page.keyboard.press('Home');
    assert.equal(await p.page.$eval('tr.ml-cursor', (tr) => Number(tr.dataset.id)), 1);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test(`scroll mode: ${LARGE_N} rows, a few hundred <tr> at most, the bottom is the CLI's last row`, async () => {
  const p = await openPage();
  try {
    await load(p.page, large, LARGE_N);
    await p.page.getByTestId('mode-scroll').click();
    await p.page.waitForFunction(() => document.querySelector('.ml-scroll-mode'));
    const scroller = p.page.locator('.ml-table-scroll');
    const trCount = () => p.page.$$eval('[data-testid=executions-table] tr', (t) => t.length);
    assert.ok((await trCount()) < 300, `${await trCount()} <tr>`);
    const lastId = (sort) => cli('executions', large, '--sort', sort, '--offset', String(LARGE_N - 1), '--limit', '1', '--json').rows[0].id;

    // Scroll in steps (like a user), then to the bottom.
    for (const f of [0.25, 0.5, 0.75]) {
      await scroller.evaluate((el, frac) => { el.scrollTop = el.scrollHeight * frac; }, f);
      await p.page.waitForTimeout(50);
      assert.ok((await trCount()) < 300);
    }
    // The middle: the row at a given index is the CLI's row at that offset.
    const mid = await p.page.$$eval(ROWS, (trs) => trs.map((tr) => [Number(tr.dataset.index), Number(tr.dataset.id)]));
    const [i, id] = mid[Math.floor(mid.length / 2)];
    assert.equal(id, cli('executions', large, '--sort', 'id', '--offset', String(i), '--limit', '1', '--json').rows[0].id);

    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await p.page.waitForFunction((want) => {
      const rows = document.querySelectorAll('[data-testid=executions-table] [data-testid=execution-row]');
      return rows.length && Number(rows[rows.length - 1].dataset.id) === want;
    }, lastId('id'));
    assert.ok((await trCount()) < 300, `${await trCount()} <tr>`);
    // The last row is really on screen (spacers add up).
    const visible = await p.page.evaluate(() => {
      const rows = document.querySelectorAll('[data-testid=executions-table] [data-testid=execution-row]');
      const r = rows[rows.length - 1].getBoundingClientRect();
      const s = document.querySelector('.ml-table-scroll').getBoundingClientRect();
      return r.bottom <= s.bottom + 1 && r.top >= s.top;
    });
    assert.ok(visible, 'the last row is inside the scroller at the bottom');
    await p.page.screenshot({ path: join(SHOTS, 'table-scroll.png') });

    // Sort descending by started: the cache is dropped, the bottom is the CLI's again.
    await p.page.locator('th[data-column=started] button').click();
    await p.page.locator('th[data-column=started] button').click();
    await p.page.waitForFunction(() => document.querySelector('th[data-column=started]').getAttribute('aria-sort') === 'descending');
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await p.page.waitForFunction((want) => {
      const rows = document.querySelectorAll('[data-testid=executions-table] [data-testid=execution-row]');
      return rows.length && Number(rows[rows.length - 1].dataset.id) === want;
    }, lastId('-started'));

    // Keyboard in scroll mode: Home goes to the top row, the scroller follows.
    await p.page.locator('[data-testid=executions-table] tbody').focus();
    await p.page.keyboard.press('Home');
    await p.page.waitForFunction(() => document.querySelector('.ml-table-scroll').scrollTop === 0);
    const firstId = cli('executions', large, '--sort', '-started', '--limit', '1', '--json').rows[0].id;
    assert.equal(await p.page.$eval('tr.ml-cursor', (tr) => Number(tr.dataset.id)), firstId);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('a property column from the chooser shows each row\'s value (and sorts by it)', async () => {
  const path = join(FIXTURES, 'cmf_small.sqlite');
  const p = await openPage();
  try {
    await load(p.page, path, 20);
    await p.page.locator('[data-testid=columns-menu] > summary').click();
    await p.page.getByLabel('property:learning_rate', { exact: true }).check();
    await p.page.getByLabel('Type', { exact: true }).check();
    await p.page.waitForSelector('th[data-column="property:learning_rate"]');
    await p.page.screenshot({ path: join(SHOTS, 'table-columns.png'), fullPage: true });
    await p.page.keyboard.press('Escape');
    const index = await p.page.$eval('th[data-column="property:learning_rate"]', (th) => th.cellIndex);
    const cells = await p.page.$$eval(ROWS, (trs, i) => trs.map((tr) => [Number(tr.dataset.id), tr.cells[i].textContent]), index);
    let withValue = 0;
    for (const [id, text] of cells) {
      const ex = cli('show', path, String(id));
      const v = ex.properties.learning_rate ?? ex.customProperties.learning_rate;
      assert.equal(text, v === undefined ? '—' : String(v), `execution ${id}`);
      if (v !== undefined) withValue++;
    }
    assert.equal(withValue, 5);
    // Type sits before Pipeline (canonical order).
    const heads = await p.page.$$eval('th[data-column]', (t) => t.map((x) => x.dataset.column));
    assert.ok(heads.indexOf('type') < heads.indexOf('pipeline'), heads.join());
    await p.page.locator('th[data-column="property:learning_rate"] button').click();
    await waitIds(p.page, ids(cli('executions', path, '--sort', 'property:learning_rate', '--limit', '50', '--json')));
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('alerts mark rows; no match shows a friendly row that clears the filters', async () => {
  const path = join(FIXTURES, 'mlmd_tfx.sqlite');
  const p = await openPage('', { colorScheme: 'dark' });
  try {
    await load(p.page, path, 20);
    const failed = cli('executions', path, '--status', 'failed', '--json').rows.map((r) => r.id);
    for (const id of failed) {
      const tr = p.page.locator(`${ROWS}[data-id="${id}"]`);
      assert.match(await tr.getAttribute('class'), /ml-alert/);
      assert.match(await tr.locator('.ml-alert-mark').getAttribute('title'), /failed/);
    }
    await p.page.screenshot({ path: join(SHOTS, 'table-tfx-dark.png'), fullPage: true });
    await p.page.getByTestId('search').fill('id<0');
    await p.page.getByTestId('search').press('Enter');
    await p.page.waitForFunction((sel) => document.querySelector(sel).textContent === '0', COUNT);
    assert.equal(await p.page.getByTestId('empty-row').isVisible(), true);
    await p.page.screenshot({ path: join(SHOTS, 'table-empty.png') });
    await p.page.getByTestId('empty-clear').click();
    await p.page.waitForFunction((sel) => document.querySelector(sel).textContent === '20', COUNT);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('narrow screen: the table scrolls inside its box, the page does not', async () => {
  const p = await openPage('', { viewport: { width: 390, height: 800 } });
  try {
    await load(p.page, join(FIXTURES, 'cmf_small.sqlite'), 20);
    await waitStyled(p.page);
    const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `the page is ${overflow}px wider than the viewport`);
    const inner = await p.page.$eval('.ml-table-scroll', (el) => el.scrollWidth > el.clientWidth);
    assert.equal(inner, true);
    await p.page.screenshot({ path: join(SHOTS, 'table-narrow.png'), fullPage: true });
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});
