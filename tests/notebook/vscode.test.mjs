// The VS Code extension without VS Code: its notebook renderer module (vscode/dist/viewer.js)
// loaded in headless Chromium with stand-ins for the renderer context and the output item,
// rendering a real mlmd_lens.show() output under a strict CSP; the custom editor's webview
// page (the extension's own HTML and CSP) given a file's bytes the way the extension host
// posts them; the extension host code run against a stand-in `vscode` module; and the .vsix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Module, { createRequire } from 'node:module';
import { startServer } from '../../scripts/static-server.mjs';
import { ROOT, SHOTS, FIXTURES, python, launchBrowser } from './helpers.mjs';
import { cli } from '../node/helpers.mjs';

const require = createRequire(import.meta.url);
const MIME = 'application/vnd.mlmd-lens.v1+json';
const VSIX = join(ROOT, 'dist', 'mlmd-lens-0.1.0.vsix');
const TIMEOUT = 30_000;

let browser;
let server;
let base;

before(async () => {
  ({ server, url: base } = await startServer(ROOT, 0));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
});

/** The MIME data of mlmd_lens.show(fixture, **kwargs), as JSON text, from the installed wheel. */
function showPayload(fixture, kwargs = '') {
  return python(`import sys, json, mlmd_lens
print(json.dumps(mlmd_lens.show(sys.argv[1]${kwargs})._repr_mimebundle_()["${MIME}"]))`, [join(FIXTURES, fixture)]).trim();
}

/** A page that records errors, CSP violations and every request. */
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  // Chromium asks every page for /favicon.ico; VS Code's webviews do not.
  await page.route(`${base}/favicon.ico`, (r) => r.fulfill({ status: 204 }));
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('request', (r) => requests.push(r.url()));
  return {
    page, errors,
    close: () => context.close(),
    async assertClean() {
      assert.deepEqual(errors, []);
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
      for (const u of requests) assert.ok(u.startsWith(`${base}/`), `request left the test server: ${u}`);
    },
  };
}

test('the notebook renderer renders a show() output: table rows, count, no CSP violation, dark theme', async () => {
  const { page, assertClean, close } = await newPage();
  await page.goto(`${base}/tests/notebook/web/renderer-host.html`);
  await page.waitForFunction(() => window.rendererReady === true);
  await page.evaluate(([t]) => window.renderOutput('out-1', t), [showPayload('cmf_small.sqlite')]);
  const out = page.locator('#out-1');
  await assert.doesNotReject(out.locator('[data-testid=execution-row]').first().waitFor());
  assert.equal(await out.getByTestId('execution-count').textContent(), '20');
  assert.equal(await out.locator('[data-testid=execution-row]').count(), 20);
  // This host's CSP (like a VS Code notebook webview's) refuses blob: workers: the core
  // runs on the main thread, with no violation logged.
  assert.equal(await out.getByTestId('viewer').getAttribute('data-engine'), 'main');
  const ids = await out.locator('[data-testid=execution-row]').evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
  assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => i + 1));
  await page.screenshot({ path: join(SHOTS, 'notebook-vscode-renderer.png'), fullPage: true });

  // The output's view state is applied: a second output opened on a query.
  await page.evaluate(([t]) => window.renderOutput('out-2', t), [showPayload('cmf_small.sqlite', ', query="pipeline:mnist"')]);
  await page.waitForFunction(() => document.querySelector('#out-2 [data-testid=execution-count]')?.textContent === '12');

  // show(alerts=…) carries the alert rules: the output opens with them counted and marked.
  const flagged = cli('executions', join(FIXTURES, 'cmf_small.sqlite'), '-q', 'property:epochs>=2', '--json').total;
  assert.ok(flagged > 0 && flagged < 20);
  await page.evaluate(([t]) => window.renderOutput('out-3', t),
    [showPayload('cmf_small.sqlite', ', alerts={"failed": True, "rules": [{"name": "many epochs", "query": "property:epochs>=2"}]}')]);
  await page.waitForFunction((n) => document.querySelector('#out-3 [data-testid=dash-alerts-any]')?.getAttribute('data-count') === String(n), flagged);
  assert.equal(await page.locator('#out-3 [data-testid=alert-rule]').count(), 1);
  await page.evaluate(() => window.disposeOutput('out-3'));

  // VS Code's dark theme: a body class and --vscode-* variables.
  await page.evaluate(() => document.body.classList.add('vscode-dark'));
  const bg = await out.locator('.mlmd-lens').first().evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(bg, 'rgb(30, 30, 30)', 'the viewer takes the editor background from --vscode-editor-background');
  await page.screenshot({ path: join(SHOTS, 'notebook-vscode-renderer-dark.png') });

  await page.evaluate(() => window.disposeOutput('out-1'));
  assert.equal(await out.locator('[data-testid=viewer]').count(), 0, 'disposeOutputItem removes the viewer');
  await assertClean();
  await close();
});

test('the notebook renderer shows an error, as text, for a broken or hostile output', async () => {
  const { page, assertClean, close } = await newPage();
  await page.goto(`${base}/tests/notebook/web/renderer-host.html`);
  await page.waitForFunction(() => window.rendererReady === true);
  const good = JSON.parse(showPayload('cmf_small.sqlite'));
  // A saved notebook is untrusted: a hostile file name and a state of the wrong types.
  const hostile = { ...good, fileName: '<img src=x onerror="window.__xss=1">', state: { pageSize: '<script>', compare: ['<b>'], columns: 'x', tab: 1 } };
  const notMlmd = { ...good, data: Buffer.from('not an sqlite file').toString('base64'), encoding: 'base64', fileName: 'x.sqlite' };
  const notGzip = { ...good, data: Buffer.from('not gzip').toString('base64'), fileName: 'y.sqlite' };
  await page.evaluate(([a, b, c, d]) => Promise.all([
    window.renderOutput('hostile', a), window.renderOutput('bad', b), window.renderOutput('garbage', c),
    window.renderOutput('not-gzip', d),
  ]), [JSON.stringify(hostile), JSON.stringify(notMlmd), JSON.stringify({ version: 1, data: '%%%' }), JSON.stringify(notGzip)]);
  await page.locator('#hostile [data-testid=execution-row]').first().waitFor();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('#hostile img').count(), 0);
  assert.equal(await page.locator('#hostile [data-testid=execution-row]').count(), 20);
  assert.match(await page.locator('#bad [data-testid=load-error]').textContent(), /^x\.sqlite: not an SQLite database/);
  assert.match(await page.locator('#garbage [data-testid=load-error]').textContent(), /^mlmd: the output's data has an unknown encoding/);
  assert.match(await page.locator('#not-gzip [data-testid=load-error]').textContent(), /^y\.sqlite: the output's data is not valid gzip/);
  await page.screenshot({ path: join(SHOTS, 'notebook-vscode-renderer-errors.png'), fullPage: true });
  // Errors from bad data are shown to the user, not thrown: the page logged nothing.
  await assertClean();
  await close();
});

test('the custom editor webview (its real HTML and CSP) renders the bytes the host posts', async () => {
  const { webviewHtml } = require('../../vscode/webview-html.js');
  const { page, assertClean, close } = await newPage();
  const open = async (fileName) => {
    let html = webviewHtml({ cspSource: base, editorScript: `${base}/vscode/media/editor.js`, fileName });
    assert.match(html, /script-src [^;]*'wasm-unsafe-eval'/);
    assert.doesNotMatch(html, /'unsafe-inline'|'unsafe-eval'/);
    html = html.replace('</head>', '<link rel="stylesheet" href="/tests/notebook/web/host.css">'
      + '<script src="/tests/notebook/web/csp-recorder.js"></script>'
      + '<script src="/tests/notebook/web/vscode-api-standin.js"></script></head>');
    await page.route(`${base}/__editor.html`, (r) => r.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(`${base}/__editor.html`);
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    const bytes = [...readFileSync(join(FIXTURES, fileName))];
    await page.evaluate(([name, b]) => window.postMessage({ type: 'open', fileName: name, bytes: new Uint8Array(b) }, '*'), [fileName, bytes]);
  };
  await open('cmf_small.sqlite');
  await page.locator('[data-testid=execution-row]').first().waitFor();
  assert.equal(await page.getByTestId('execution-count').textContent(), '20');
  // The editor's own CSP allows the store's worker (worker-src blob:).
  assert.equal(await page.getByTestId('viewer').getAttribute('data-engine'), 'worker');
  await page.screenshot({ path: join(SHOTS, 'notebook-vscode-editor.png') });
  // The view state is kept with the webview state (restored when the editor comes back).
  await page.locator('[data-testid=execution-row] input[type=checkbox]').first().check();
  await page.waitForFunction(() => window.__state?.state?.compare?.length === 1);
  assert.deepEqual(await page.evaluate(() => [window.__state.fileName, window.__state.state.compare]), ['cmf_small.sqlite', [1]]);

  await open('plain_sqlite.sqlite');
  assert.match(await page.getByTestId('load-error').textContent(), /^plain_sqlite\.sqlite: SQLite file but no MLMD tables/);
  await assertClean();
  await close();
});

test('the extension host: registers both editors and posts the file bytes when the webview is ready', async () => {
  const registered = [];
  const vscodeStub = {
    Uri: { joinPath: (u, ...parts) => ({ path: [u.path, ...parts].join('/') }) },
    workspace: { fs: { readFile: async (uri) => new Uint8Array(readFileSync(uri.path)) } },
    window: { registerCustomEditorProvider: (viewType, provider, options) => { registered.push({ viewType, provider, options }); return { dispose() {} }; } },
  };
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub };
  try {
    const ext = require('../../vscode/extension.js');
    const manifest = JSON.parse(readFileSync(join(ROOT, 'vscode', 'package.json'), 'utf8'));
    const context = { extensionUri: { path: join(ROOT, 'vscode') }, subscriptions: [] };
    ext.activate(context);
    assert.deepEqual(registered.map((r) => r.viewType), manifest.contributes.customEditors.map((e) => e.viewType));
    assert.equal(context.subscriptions.length, 2);

    const posted = [];
    let onMessage;
    const webview = {
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      asWebviewUri: (u) => ({ toString: () => `https://file+.vscode-resource.vscode-cdn.net${u.path}` }),
      postMessage: async (m) => { posted.push(m); return true; },
      onDidReceiveMessage: (fn) => { onMessage = fn; return { dispose() {} }; },
    };
    const file = join(FIXTURES, 'cmf_small.sqlite');
    const doc = await registered[0].provider.openCustomDocument({ path: file });
    registered[0].provider.resolveCustomEditor(doc, { webview, onDidDispose: () => {} });
    assert.equal(webview.options.enableScripts, true);
    assert.match(webview.html, /Content-Security-Policy" content="default-src 'none'; script-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'wasm-unsafe-eval'/);
    assert.match(webview.html, /media\/editor\.js/);
    onMessage({ type: 'ready' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(posted.length, 1);
    assert.equal(posted[0].type, 'open');
    assert.equal(posted[0].fileName, 'cmf_small.sqlite');
    assert.deepEqual(Buffer.from(posted[0].bytes), readFileSync(file));
  } finally {
    Module._resolveFilename = resolve;
    delete require.cache.vscode;
  }
});

test('the .vsix holds the renderer, the editor and a manifest that contributes both', () => {
  assert.ok(existsSync(VSIX), `${VSIX} is missing: run make vsix`);
  const listing = JSON.parse(python(`import sys, json, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"names": z.namelist(), "manifest": json.loads(z.read("extension/package.json"))}))`, [VSIX]));
  for (const f of ['extension/package.json', 'extension/extension.js', 'extension/webview-html.js', 'extension/media/editor.js', 'extension/dist/viewer.js']) {
    assert.ok(listing.names.includes(f), `${f} in the .vsix`);
  }
  assert.ok(!listing.names.some((n) => n.includes('node_modules')), 'no node_modules in the .vsix');
  const c = listing.manifest.contributes;
  assert.deepEqual(c.notebookRenderer.map((r) => [r.entrypoint, r.mimeTypes]), [['./dist/viewer.js', [MIME]]]);
  assert.ok(c.customEditors.some((e) => e.selector.some((s) => s.filenamePattern === '**/mlmd')));
});
