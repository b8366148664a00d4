// What the wasm build of the core (pkg/) says about one file, as JSON on stdout:
// {"error": {kind, message}} when it does not open, else {"summary": …}. The Python tests
// (tests/notebook/conftest.py `wasm()`) check mlmd_lens.Store against it and the CLI.
import { readFileSync } from 'node:fs';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = await import(join(root, 'pkg', 'mlmd_lens.js'));
pkg.initSync({ module: readFileSync(join(root, 'pkg', 'mlmd_lens_bg.wasm')) });

const file = process.argv[2];
let out;
try {
  const store = pkg.MlmdStore.open(new Uint8Array(readFileSync(file)), basename(file));
  out = { summary: store.summary() };
} catch (e) {
  out = { error: { kind: e.kind, message: e.message } };
}
process.stdout.write(JSON.stringify(out));
