// Shared helpers for the Node tests: load the real pkg/ and find the fixtures.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The fixtures folder (MLMD_FIXTURES, set by the Makefile). */
export const FIXTURES = process.env.MLMD_FIXTURES
  || ['../shared/fixtures', '/work/shared/fixtures'].map((p) => join(ROOT, p)).find((p) => existsSync(join(p, 'mlmd_tfx.sqlite')));
if (!FIXTURES) throw new Error('fixtures not found: set MLMD_FIXTURES');

/** Every MLMD fixture that must open (any .sqlite whose tables are MLMD's). */
export const GOOD = readdirSync(FIXTURES).filter((f) => f.endsWith('.sqlite'))
  .filter((f) => !['zero_bytes.sqlite', 'truncated.sqlite', 'plain_sqlite.sqlite'].includes(f)).sort();

/** Bad inputs and the error kind each must give. */
export const BAD = {
  'zero_bytes.sqlite': 'empty',
  'not_sqlite.bin': 'not-sqlite',
  'truncated.sqlite': 'truncated',
  'plain_sqlite.sqlite': 'not-mlmd',
};

/** Loads pkg/ synchronously, as a Node user would. */
export async function loadPkg() {
  const mod = await import(join(ROOT, 'pkg', 'mlmd_lens.js'));
  mod.initSync({ module: readFileSync(join(ROOT, 'pkg', 'mlmd_lens_bg.wasm')) });
  return mod;
}

/** Reads a fixture's bytes. */
export const bytesOf = (name) => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** Runs the native CLI and parses its JSON output. */
export function cli(...args) {
  const bin = join(ROOT, 'target', 'debug', 'mlmd-lens');
  return JSON.parse(execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

/**
 * A fixture's bytes with the root page of one of the Execution table's own indexes made
 * an invalid b-tree page (the first rows and the index build never read it; SQLite's
 * integrity check finds it). The page is found with python's sqlite3.
 * @param {string} name
 * @returns {Uint8Array}
 */
export function damagedBytes(name) {
  const path = join(FIXTURES, name);
  const [root, pageSize] = execFileSync('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
print(*c.execute("SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Execution' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY rootpage DESC LIMIT 1").fetchone())
`, path], { encoding: 'utf8' }).trim().split(' ').map(Number);
  const bytes = new Uint8Array(readFileSync(path));
  bytes[(root - 1) * pageSize] = 0x07; // not one of the four b-tree page types
  return bytes;
}
