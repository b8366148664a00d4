// The widget takes the search language's rules from the core (js/language.js): these check
// that its own presentation covers what the core lists, so a new filter key or status in
// the core cannot be silently dropped by the viewer (issue 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPkg } from './helpers.mjs';

const pkg = await loadPkg();
const { language } = await import('../../js/language.js');
const { statuses, statusInfo } = await import('../../js/format.js');
const { DEFAULT_STATE, sanitize } = await import('../../js/widget.js');

test('js/language.js answers with the core\'s language(), asked once', () => {
  assert.deepEqual(language(), pkg.language());
  assert.equal(language(), language());
});

test('every filter key of the core is a view state (so a URL parameter) of the widget', () => {
  const keys = language().filterKeys;
  assert.ok(keys.length > 0);
  for (const k of keys) assert.equal(DEFAULT_STATE[k], '', `${k} is not a text view state`);
});

test('statuses: the core\'s labels, order and meanings, each with its own icon and class', () => {
  const shown = statuses();
  assert.deepEqual(shown.map((s) => [s.label, s.meaning]), language().statuses.map((s) => [s.label, s.meaning]));
  assert.equal(new Set(shown.map((s) => s.cls)).size, shown.length, 'a status is drawn like another one');
  assert.equal(new Set(shown.map((s) => s.icon)).size, shown.length, 'two statuses share an icon');
  assert.equal(statusInfo('no such status').label, shown[shown.length - 1].label);
});

test('a view state keeps at most the core\'s compare limit', () => {
  const { max } = language().compare;
  const ids = Array.from({ length: max + 3 }, (_, i) => i + 1);
  assert.deepEqual(sanitize({ compare: ids }).compare, ids.slice(0, max));
});
