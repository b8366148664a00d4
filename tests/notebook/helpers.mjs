// Shared by the notebook specs: paths, the test venv's Python, headless Debian Chromium,
// and a real JupyterLab server started on 127.0.0.1 in a throw-away folder.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = join(ROOT, 'test-output', 'screenshots');
/** The venv that scripts/notebook-setup.sh makes, with JupyterLab and the built wheel. */
export const VENV = process.env.MLMD_NOTEBOOK_VENV || join(ROOT, 'target', 'notebook-venv');
export const PYTHON = join(VENV, 'bin', 'python');

export const FIXTURES = process.env.MLMD_FIXTURES
  || ['../shared/fixtures', '/work/shared/fixtures'].map((p) => join(ROOT, p)).find((p) => existsSync(join(p, 'mlmd_tfx.sqlite')));
if (!FIXTURES) throw new Error('fixtures not found: set MLMD_FIXTURES');
if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run scripts/notebook-setup.sh (make test-notebook does)`);

/** Runs Python in the test venv and returns its stdout. */
export function python(code, args = [], options = {}) {
  return execFileSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
}

/** Headless Debian Chromium, as tests/browser does. */
export function launchBrowser() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts `jupyter lab` headless on 127.0.0.1 with a token, serving `rootDir`, with its
 * own config/data/runtime folders (nothing from ~/.jupyter), no update checks, no news,
 * no extension manager look-ups and no language-server detection.
 * @param {string} rootDir the folder the file browser shows
 * @param {{ kernels?: boolean }} [options] kernels: false = no kernel can start at all
 * @returns {Promise<{ url: string, token: string, api: (path: string, init?: RequestInit) => Promise<any>, stop: () => Promise<void>, log: () => string }>}
 */
export async function startJupyterLab(rootDir, { kernels = true } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'mlmd-lens-jupyter-'));
  const config = join(home, 'config');
  mkdirSync(join(config, 'labconfig'), { recursive: true });
  // The "get Jupyter news?" toast covers part of the page: off.
  writeFileSync(join(config, 'labconfig', 'page_config.json'), JSON.stringify({
    disabledExtensions: { '@jupyterlab/apputils-extension:announcements': true },
  }));
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const args = ['-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    `--ServerApp.token=${token}`, `--ServerApp.root_dir=${rootDir}`, '--ServerApp.open_browser=False',
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', '--LabApp.extension_manager=readonly',
    `--LabApp.workspaces_dir=${join(home, 'workspaces')}`, '--LanguageServerManager.autodetect=False',
    `--LabServerApp.user_settings_dir=${join(home, 'settings')}`];
  // No kernelspec is allowed: the server cannot start a kernel, whatever the page asks.
  if (process.getuid?.() === 0) args.push('--allow-root'); // CI runs as root
  if (!kernels) args.push('--KernelSpecManager.allowed_kernelspecs=mlmd-lens-no-such-kernel');
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: config, JUPYTER_DATA_DIR: join(home, 'data'), JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
    IPYTHONDIR: join(home, 'ipython'), JUPYTER_PLATFORM_DIRS: '1', PYTHONUNBUFFERED: '1',
  };
  const proc = spawn(PYTHON, args, { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const api = async (path, init = {}) => {
    const res = await fetch(`${url}${path}`, { ...init, headers: { Authorization: `token ${token}`, ...(init.headers || {}) } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.status === 204 ? null : res.json();
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter lab exited (${proc.exitCode}):\n${log}`);
    try {
      await api('/api/status');
      break;
    } catch {
      if (Date.now() > deadline) { proc.kill('SIGTERM'); throw new Error(`jupyter lab did not start in 90 s:\n${log}`); }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    url, token, api,
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
