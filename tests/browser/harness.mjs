// What every browser test file (and bench/browser.mjs) shares: Debian Chromium launched
// headless with the flags this machine needs, the static server over the repo root, pages
// that record what they request and every error they log, and the waits most tests use.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';

/** The repo root, served as is (www/, js/, pkg/). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Flags for headless Chromium as root on a machine with a closed network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where screenshots go, for a human to look at. */
export const SHOTS = join(ROOT, 'test-output', 'screenshots');
/** How long a page waits for anything (ms), unless `openPage` is given a `timeout`. */
export const TIMEOUT = 20_000;
/** The table's execution count and its rows. */
export const COUNT = '[data-testid=table-view] [data-testid=execution-count]';
export const ROWS = '[data-testid=executions-table] [data-testid=execution-row]';

/** Launches Debian's Chromium (playwright-core never downloads a browser here). */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Stops a server from scripts/static-server.mjs, closing kept-alive connections.
 * @param {import('node:http').Server | undefined} server
 */
export async function stopServer(server) {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
}

// The state of this test file's browser (node --test runs each file in its own process).
// `base` and `tmp` are live bindings: importers see them once useBrowser's hook has run.
/** The static server's origin, `http://127.0.0.1:PORT`. */
export let base = '';
/** A temporary folder of this test file, removed after its tests. */
export let tmp = '';
/** @type {import('playwright-core').Browser | undefined} */
let browser;
/** @type {import('node:http').Server | undefined} */
let server;

/**
 * Registers this file's hooks: before its tests, serve the repo root, launch Chromium and
 * make the screenshots and temporary folders, then run `setup`; after them, stop and remove
 * all that. Call once, at the top of a test file. A file's own work before its tests goes
 * in `setup`, not in another `before`: node:test (Node 20) does not wait for one top-level
 * `before` to finish before it starts the next, so `tmp` could still be empty there.
 * @param {string} [tmpPrefix] names the temporary folder
 * @param {() => unknown} [setup] e.g. generating a large store into `tmp`
 */
export function useBrowser(tmpPrefix = 'mlmd-lens-browser-', setup = undefined) {
  before(async () => {
    ({ server, url: base } = await startServer(ROOT, 0));
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
    await setup?.();
  });
  after(async () => {
    await browser?.close();
    await stopServer(server);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
}

/**
 * Opens a page in a fresh browser context and records every request, every console error
 * and every uncaught page error.
 * @param {string} [query] what follows `${base}/www/` (e.g. `?url=sample/mlmd`), or a whole
 *   URL (`file://…`, `http://…`)
 * @param {import('playwright-core').BrowserContextOptions & { timeout?: number, init?: () => void }} [options]
 *   context options (the viewport is 1280×900 unless given), the page's default timeout, and
 *   a function run in the page before its own scripts
 */
export async function openPage(query = '', options = {}) {
  const { timeout = TIMEOUT, init, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  /** @type {string[]} */
  const requests = [];
  /** @type {string[]} */
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} @ ${JSON.stringify(m.location())}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(/^[a-z]+:/.test(query) ? query : `${base}/www/${query}`, { waitUntil: 'load' });
  return {
    page, context, requests, errors,
    close: () => context.close(),
    /** Asserts that every request went to our server and nothing logged an error. */
    assertClean() {
      assert.ok(requests.length > 0, 'no requests recorded');
      for (const u of requests) assert.ok(u.startsWith(`${base}/`), `request left localhost: ${u}`);
      assert.deepEqual(errors, []);
    },
  };
}

/**
 * Opens the page like `openPage`, picks the store file at `path` and waits for the viewer.
 * @param {string} path
 * @param {string} [query]
 * @param {Parameters<typeof openPage>[1]} [options]
 */
export async function openWith(path, query = '', options = {}) {
  const p = await openPage(query, options);
  try {
    await p.page.getByTestId('file-input').setInputFiles(path);
    await p.page.getByTestId('viewer').waitFor();
  } catch (e) {
    await p.close();
    throw e;
  }
  return p;
}

/**
 * Waits until the table's count reads `n`.
 * @param {import('playwright-core').Page} page
 * @param {number} n
 */
export function waitCount(page, n) {
  return page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === String(want)
    && !document.querySelector('[data-testid=executions-table][aria-busy=true]'), [COUNT, n]);
}

/**
 * Waits until the table has drawn every row of its page (js/views/table.js draws a page a
 * few rows a frame and is `aria-busy` until the last one is in).
 * @param {import('playwright-core').Page} page
 */
export function waitRows(page) {
  return page.waitForFunction(() => !document.querySelector('[data-testid=executions-table][aria-busy=true]'));
}

/**
 * Picks a store file and waits for the table to show `total` executions.
 * @param {import('playwright-core').Page} page
 * @param {string} path
 * @param {number} total
 */
export async function load(page, path, total) {
  await page.setInputFiles('[data-testid=file-input]', path);
  await waitCount(page, total);
}

/**
 * Ids of the table rows shown, in order.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<number[]>}
 */
export async function shownIds(page) {
  await waitRows(page);
  return page.$$eval(ROWS, (trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
}

/**
 * Waits until the viewer has shown itself (js/widget.js keeps it at opacity 0 until its
 * stylesheet has applied), so layout checks measure the styled page.
 * @param {import('playwright-core').Page} page
 */
export function waitStyled(page) {
  return page.waitForFunction(() => {
    const v = document.querySelector('[data-testid=viewer]');
    return v && getComputedStyle(v).opacity === '1';
  });
}
