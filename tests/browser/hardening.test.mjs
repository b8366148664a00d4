// Hostile input in headless Debian Chromium (issue 10): a 10 KB nested query typed into
// the search box is an error with a position and the viewer keeps searching; a WAL-mode
// store (made here with python's sqlite3) opens with its executions and the warning.
// Screenshots: test-output/screenshots/hardening-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { COUNT, SHOTS, load, openPage, tmp, useBrowser, waitCount } from './harness.mjs';
import { FIXTURES, cli } from '../node/helpers.mjs';

useBrowser('mlmd-lens-hardening-');

const CMF = join(FIXTURES, 'cmf_small.sqlite');
const total = (...args) => cli('executions', ...args, '--json').total;

test('a 10 KB nested query is a query error and the search box still works', async () => {
  const p = await openPage();
  try {
    await load(p.page, CMF, total(CMF));
    const search = p.page.getByTestId('search');
    const deep = `${'('.repeat(5000)}mnist${')'.repeat(5000)}`;
    assert.ok(deep.length > 10_000);
    await search.fill(deep);
    await search.press('Enter');
    const error = p.page.getByTestId('search-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.textContent(), /too long|nests too deeply/);
    await p.page.screenshot({ path: join(SHOTS, 'hardening-deep-query.png') });
    // Within the length limit but nested too deeply.
    await search.fill(`${'NOT ('.repeat(200)}mnist${')'.repeat(200)}`);
    await search.press('Enter');
    await p.page.waitForFunction(() => /nests too deeply/.test(document.querySelector('[data-testid=search-error]').textContent));
    // The module is healthy: a normal search answers as the CLI does.
    await search.fill('stage:Train');
    await search.press('Enter');
    await waitCount(p.page, total(CMF, '-q', 'stage:Train'));
    assert.equal(await error.isHidden(), true);
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});

test('a WAL-mode store opens with its executions and a warning', async () => {
  const path = join(tmp, 'mlmd');
  copyFileSync(CMF, path);
  const mode = execFileSync('python3', ['-c',
    `import sqlite3; c = sqlite3.connect(${JSON.stringify(path)}); print(c.execute('PRAGMA journal_mode=WAL').fetchone()[0]); c.close()`],
  { encoding: 'utf8' }).trim();
  assert.equal(mode, 'wal');
  const p = await openPage();
  try {
    await load(p.page, path, total(CMF));
    assert.equal(await p.page.locator(COUNT).textContent(), String(total(CMF)));
    const notes = p.page.getByTestId('store-warnings');
    assert.match(await notes.locator('summary').textContent(), /1 note about this file/);
    await notes.locator('summary').click();
    assert.match(await notes.locator('li').first().textContent(), /WAL mode/);
    await p.page.screenshot({ path: join(SHOTS, 'hardening-wal.png') });
    assert.deepEqual(p.errors, []);
  } finally { await p.close(); }
});
