// The real page (www/ + js/ + pkg/) in headless Debian Chromium, served from the repo root on
// 127.0.0.1: every good fixture renders the same executions as the native CLI, bad files give
// their specific error and leave the page usable, the sample and ?url= work, text from the
// file is never markup, and nothing leaves localhost. Full-page screenshots go to
// test-output/screenshots/ for a human to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { SHOTS, base, openPage, tmp, useBrowser, waitRows, waitStyled } from './harness.mjs';
import { FIXTURES, GOOD, BAD, cli, damagedBytes } from '../node/helpers.mjs';

const PAGE_SIZE = 50; // the viewer's default page: the first 50 executions by id

/** The phrase each bad fixture's error message must contain. */
const PHRASE = {
  'zero_bytes.sqlite': 'empty',
  'not_sqlite.bin': 'not an SQLite database',
  'truncated.sqlite': 'truncated',
  'plain_sqlite.sqlite': 'no MLMD tables',
};

const XSS = '<img src=x onerror="window.__xss=1">';

useBrowser('mlmd-lens-browser-');

/** Waits until the page shows `name` loaded with `count` executions. */
async function waitLoaded(page, name, count) {
  await page.waitForFunction(([n, c]) => {
    const el = document.querySelector('[data-testid=execution-count]');
    const status = document.getElementById('status')?.textContent ?? '';
    return el && el.textContent === String(c) && status.startsWith(`${n}: `)
      && document.querySelector('[data-testid=viewer]');
  }, [name, count]);
  await waitRows(page);
}

/** Waits until the load error for `name` shows and returns its text. */
async function waitError(page, name) {
  const el = page.getByTestId('load-error');
  await el.waitFor({ state: 'visible' });
  await page.waitForFunction((n) => document.querySelector('[data-testid=load-error]').textContent.startsWith(`${n}: `), name);
  return el.textContent();
}

/** The executions shown: [{id, name}] in table order. */
const shownRows = async (page) => {
  await waitRows(page);
  return page.$$eval('[data-testid=executions-table] [data-testid=execution-row]',
    (trs) => trs.map((tr) => ({ id: Number(tr.getAttribute('data-id')), name: tr.querySelector('[data-col=name]')?.textContent })));
};

/** Loads a good file from disk and checks it against the native CLI. */
async function loadAndCheck(page, path, name) {
  const expected = cli('summary', path, '--json').executions;
  const all = cli('executions', path, '--json');
  assert.equal(all.total, expected);
  await page.getByTestId('file-input').setInputFiles(path);
  await waitLoaded(page, name, expected);
  const rows = await shownRows(page);
  assert.equal(rows.length, Math.min(expected, PAGE_SIZE));
  const ids = all.rows.map((r) => r.id).sort((a, b) => a - b).slice(0, PAGE_SIZE);
  assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(ids));
  assert.deepEqual(rows.map((r) => r.id), ids, 'rows are in id order');
  const names = new Map(all.rows.map((r) => [r.id, r.name]));
  for (const r of rows) assert.equal(r.name, names.get(r.id), `name of execution ${r.id}`);
  assert.equal(await page.getByTestId('load-error').isHidden(), true);
  assert.equal(await page.locator('#intro').isHidden(), true);
  assert.equal(await page.locator('#drop-overlay').isHidden(), true);
  return expected;
}

test('the fixtures are there', () => {
  assert.ok(GOOD.length >= 5, `expected the MLMD fixtures in ${FIXTURES}, found ${GOOD}`);
  for (const name of ['cmf_small.sqlite', 'mlmd_tfx.sqlite']) assert.ok(GOOD.includes(name), name);
});

test('the empty page', async () => {
  const p = await openPage();
  try {
    await assert.doesNotReject(p.page.getByTestId('file-input').waitFor({ state: 'attached' }));
    assert.equal(await p.page.getByTestId('load-error').isHidden(), true);
    assert.equal(await p.page.locator('#intro').isVisible(), true);
    // `hidden` must really hide: no empty summary, no "Drop to open" overlay over the page.
    assert.equal(await p.page.getByTestId('viewer').count(), 0);
    assert.equal(await p.page.locator('#drop-overlay').isHidden(), true);
    assert.equal(await p.page.getByTestId('execution-row').count(), 0);
    await p.page.screenshot({ path: join(SHOTS, 'empty.png'), fullPage: true });
    p.assertClean();
  } finally { await p.close(); }
});

for (const name of GOOD) {
  test(`${name}: renders the CLI's executions, no error, nothing leaves localhost`, async () => {
    const p = await openPage();
    try {
      const n = await loadAndCheck(p.page, join(FIXTURES, name), name);
      assert.equal(await p.page.locator('#file-name').textContent(), name);
      if (n > 0) assert.equal(await p.page.getByTestId('executions-table').isVisible(), true);
      if (name === 'cmf_small.sqlite' || name === 'mlmd_tfx.sqlite') {
        await p.page.screenshot({ path: join(SHOTS, `${name.replace('.sqlite', '')}.png`), fullPage: true });
      }
      p.assertClean();
    } finally { await p.close(); }
  });
}

test('loading a second file replaces the first', async () => {
  const p = await openPage();
  try {
    await loadAndCheck(p.page, join(FIXTURES, 'cmf_small.sqlite'), 'cmf_small.sqlite');
    await loadAndCheck(p.page, join(FIXTURES, 'mlmd_empty.sqlite'), 'mlmd_empty.sqlite');
    await loadAndCheck(p.page, join(FIXTURES, 'mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
    // The same file twice in a row (the input is reset after each pick).
    await loadAndCheck(p.page, join(FIXTURES, 'mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
    p.assertClean();
  } finally { await p.close(); }
});

for (const [name, kind] of Object.entries(BAD)) {
  test(`${name}: shows the ${kind} error, then a good file still opens`, async () => {
    const p = await openPage();
    try {
      await p.page.getByTestId('file-input').setInputFiles(join(FIXTURES, name));
      const text = await waitError(p.page, name);
      assert.ok(text.startsWith(`${name}: `), text);
      assert.ok(text.includes(PHRASE[name]), `${name}: expected "${PHRASE[name]}" in: ${text}`);
      assert.ok(!/out of memory|unreachable|panicked|RuntimeError/i.test(text), text);
      assert.equal(await p.page.getByTestId('viewer').count(), 0);
      assert.equal(await p.page.getByTestId('execution-row').count(), 0);
      if (name === 'not_sqlite.bin') await p.page.screenshot({ path: join(SHOTS, 'bad-file-error.png'), fullPage: true });
      assert.deepEqual(p.errors, [], 'a bad file must not throw or log errors');

      await loadAndCheck(p.page, join(FIXTURES, 'cmf_small.sqlite'), 'cmf_small.sqlite');
      assert.equal(await p.page.getByTestId('load-error').isHidden(), true);
      // And a bad file once more after a good one: the table goes away, the error comes back.
      await p.page.getByTestId('file-input').setInputFiles(join(FIXTURES, name));
      assert.ok((await waitError(p.page, name)).includes(PHRASE[name]));
      assert.equal(await p.page.getByTestId('execution-row').count(), 0);
      p.assertClean();
    } finally { await p.close(); }
  });
}

test('a damaged store (its integrity check fails after the first rows) shows the damage, then a good file opens', async () => {
  const path = join(tmp, 'damaged.sqlite');
  writeFileSync(path, damagedBytes('cmf_small.sqlite'));
  const p = await openPage();
  try {
    await p.page.getByTestId('file-input').setInputFiles(path);
    const text = await waitError(p.page, 'damaged.sqlite');
    assert.match(text, /^damaged\.sqlite: the SQLite file is damaged: integrity check failed/);
    assert.equal(await p.page.getByTestId('viewer').count(), 0);
    assert.equal(await p.page.getByTestId('execution-row').count(), 0);
    assert.equal(await p.page.locator('#intro').isVisible(), true);
    assert.deepEqual(p.errors, [], 'a damaged file must not throw or log errors');
    await loadAndCheck(p.page, join(FIXTURES, 'cmf_small.sqlite'), 'cmf_small.sqlite');
    assert.equal(await p.page.getByTestId('load-error').isHidden(), true);
    p.assertClean();
  } finally { await p.close(); }
});

test('"Try the sample" shows 20 executions', async () => {
  const p = await openPage();
  try {
    await p.page.locator('#sample').click();
    await waitLoaded(p.page, 'mlmd', 20);
    assert.equal(await p.page.getByTestId('execution-row').count(), 20);
    assert.equal(await p.page.getByTestId('load-error').isHidden(), true);
    assert.ok(p.requests.includes(`${base}/www/sample/mlmd`), p.requests.join('\n'));
    p.assertClean();
  } finally { await p.close(); }
});

test('?url=sample/mlmd shows 20 executions', async () => {
  const p = await openPage('?url=sample/mlmd');
  try {
    await waitLoaded(p.page, 'mlmd', 20);
    assert.equal(await p.page.getByTestId('execution-row').count(), 20);
    assert.equal(await p.page.getByTestId('load-error').isHidden(), true);
    p.assertClean();
  } finally { await p.close(); }
});

test('?url= to another origin is refused without a request', async () => {
  const p = await openPage('?url=http://example.invalid/mlmd');
  try {
    const text = await waitError(p.page, 'http://example.invalid/mlmd');
    assert.ok(text.includes('only files from this site'), text);
    p.assertClean();
  } finally { await p.close(); }
});

test('XSS: markup in an execution name and in a file name stays text', async () => {
  const file = join(tmp, 'xss.sqlite');
  copyFileSync(join(FIXTURES, 'mlmd_tfx.sqlite'), file);
  chmodSync(file, 0o644);
  execFileSync('python3', ['-c', [
    'import sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1])',
    'n = c.execute("UPDATE Execution SET name = ? WHERE id = 1", (sys.argv[2],)).rowcount',
    'c.commit()',
    'assert n == 1, n',
  ].join('\n'), file, XSS]);
  assert.equal(cli('executions', file, '--json').rows.find((r) => r.id === 1).name, XSS);

  const p = await openPage();
  try {
    await loadAndCheck(p.page, file, 'xss.sqlite');
    const cell = p.page.locator('[data-testid=execution-row][data-id="1"] td[data-col=name]');
    assert.equal(await cell.textContent(), XSS);
    assert.equal(await p.page.locator('[data-testid=executions-table] img').count(), 0);
    assert.equal(await p.page.locator('img').count(), 0);

    // A (bad) file whose name is markup: the error shows the name as text.
    const badName = join(tmp, XSS);
    writeFileSync(badName, '');
    await p.page.getByTestId('file-input').setInputFiles(badName);
    const text = await waitError(p.page, XSS);
    assert.ok(text.includes('empty'), text);
    assert.equal(await p.page.locator('img').count(), 0);

    await p.page.waitForTimeout(200); // an <img onerror> would have fired by now
    assert.equal(await p.page.evaluate(() => typeof window.__xss), 'undefined');
    p.assertClean();
  } finally { await p.close(); }
});

test('screenshots: dark colour scheme and a narrow (phone) viewport', async () => {
  for (const [shot, options] of [
    ['mlmd_tfx-dark.png', { colorScheme: 'dark' }],
    ['cmf_small-narrow.png', { viewport: { width: 390, height: 800 } }],
  ]) {
    const p = await openPage('', options);
    try {
      const name = shot.startsWith('mlmd_tfx') ? 'mlmd_tfx.sqlite' : 'cmf_small.sqlite';
      await loadAndCheck(p.page, join(FIXTURES, name), name);
      // The page itself must not scroll sideways; the table scrolls inside its wrapper.
      await waitStyled(p.page);
      const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, `${shot}: the page is ${overflow}px wider than the viewport`);
      await p.page.screenshot({ path: join(SHOTS, shot), fullPage: true });
      p.assertClean();
    } finally { await p.close(); }
  }
});
