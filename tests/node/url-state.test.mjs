// The lineage view state in the URL (js/url-state.js): `#lineage=<key>` in the fragment (a
// plain number is an execution), its depth as `lineageDepth=` in the search, and untrusted
// values kept to their shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPkg } from './helpers.mjs';

await loadPkg(); // sanitize() uses the core's compare limit
const { DEFAULT_STATE, sanitize } = await import('../../js/widget.js');
const { stateFromUrl, hashFromState, paramsFromState } = await import('../../js/url-state.js');

test('#lineage= opens the lineage: a plain number is an execution, keys are kept', () => {
  assert.equal(stateFromUrl('', '#lineage=12').lineage, 'e12');
  assert.equal(stateFromUrl('', '#lineage=a5').lineage, 'a5');
  assert.equal(stateFromUrl('', '#lineage=c3').lineage, 'c3');
  assert.equal(stateFromUrl('?lineage=e7', '').lineage, 'e7', 'the search form is read too');
  assert.equal(stateFromUrl('?lineage=e7', '#lineage=e8').lineage, 'e8', 'the fragment wins');
  assert.equal(stateFromUrl('?selected=3', '').lineage, undefined);
  // A malformed key is kept (trimmed, bounded) so that the core's error names it.
  assert.equal(stateFromUrl('', `#lineage=${'x'.repeat(500)}`).lineage.length, 64);
});

test('the lineage is written to the fragment, its depth to the search; defaults are left out', () => {
  const state = { ...DEFAULT_STATE, lineage: 'e12', lineageDepth: 3, selected: 4 };
  assert.equal(hashFromState(state), '#lineage=e12');
  const params = paramsFromState(state, new URLSearchParams('url=x'));
  assert.equal(params.get('lineage'), null);
  assert.equal(params.get('lineageDepth'), '3');
  assert.equal(params.get('url'), 'x');
  assert.equal(hashFromState({ ...DEFAULT_STATE }), '');
  assert.equal(paramsFromState({ ...DEFAULT_STATE }, new URLSearchParams()).toString(), '');
  assert.deepEqual(stateFromUrl(`?${params}`, hashFromState(state)), { selected: 4, lineageDepth: 3, lineage: 'e12' }, 'round trip');
});

test('untrusted lineage values: numbers become execution keys, the depth stays within 1..10', () => {
  assert.equal(sanitize({ lineage: 9 }).lineage, 'e9');
  assert.equal(sanitize({ lineage: { x: 1 } }).lineage, '');
  assert.equal(sanitize({ lineageDepth: 0 }).lineageDepth, 2);
  assert.equal(sanitize({ lineageDepth: 99 }).lineageDepth, 10);
  assert.equal(sanitize({ lineageDepth: '3' }).lineageDepth, 2);
});
