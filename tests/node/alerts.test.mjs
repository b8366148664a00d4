// Issue 16 through the real wasm in Node: the JS surface of alert rules (strings or
// { name, query }, alert: terms equal to the rule's own query, the CLI's answers), the
// rule checker and duration reader the panel uses, explainEmpty on a cmflib store, and the
// alert rules as view state (sanitized, through the URL and back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPkg, bytesOf, cli, FIXTURES } from './helpers.mjs';

const pkg = await loadPkg();
const { MlmdStore, checkAlertRule, parseDuration } = pkg;
const { DEFAULT_STATE, sanitizeAlerts } = await import('../../js/widget.js');
const { stateFromParams, paramsFromState } = await import('../../js/url-state.js');
const { alertedQuery } = await import('../../js/views/alerts.js');

test('the issue\'s example: alert:slow equals duration>5s, and agrees with the CLI', () => {
  const store = MlmdStore.open(bytesOf('tfx_pipeline.sqlite'), 'tfx_pipeline.sqlite');
  const slow = store.executions({ query: 'alert:slow', alerts: { rules: [{ name: 'slow', query: 'duration>5s' }] }, limit: 1e9 });
  const plain = store.executions({ query: 'duration>5s', limit: 1e9 });
  assert.deepEqual(slow.rows.map((r) => r.id), plain.rows.map((r) => r.id));
  assert.ok(slow.total > 0);
  assert.deepEqual(slow.rows.map((r) => r.alerts), slow.rows.map(() => ['slow']));
  // A string rule is its own name; alert:any is every flagged row.
  const path = join(FIXTURES, 'mlmd_tfx.sqlite');
  const tfx = MlmdStore.open(bytesOf('mlmd_tfx.sqlite'), 'mlmd_tfx.sqlite');
  const alerts = { failed: true, rules: ['property:epochs>=20'] };
  const any = tfx.executions({ query: 'alert:any', alerts, limit: 1e9 }).rows.map((r) => r.id);
  assert.deepEqual(any, cli('executions', path, '--alert-failed', '--alert', 'property:epochs>=20', '-q', 'alert:any', '--json').rows.map((r) => r.id));
  const summary = tfx.alertSummary({ alerts });
  assert.deepEqual(summary.alerts.map((a) => [a.name, a.term]), [['failed', 'alert:failed'], ['property:epochs>=20', 'alert:"property:epochs>=20"']]);
  assert.equal(summary.any, any.length);
  // Errors keep their kind and position.
  assert.throws(() => tfx.executions({ query: 'alert:nope', alerts }), (e) => e.kind === 'query' && e.position === 6);
});

test('checkAlertRule and parseDuration: the parser\'s answers for the rule editor', () => {
  assert.equal(checkAlertRule('duration>1h AND stage:Train'), null);
  const bad = checkAlertRule('property:epochs>');
  assert.equal(bad.position, 16);
  assert.match(bad.message, /expected a value/);
  assert.notEqual(checkAlertRule('alert:failed'), null, 'a rule cannot use alert:');
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('soon'), undefined);
});

test('explainEmpty names the cause on a cmflib store', () => {
  const store = MlmdStore.open(bytesOf('cmf_small.sqlite'), 'cmf_small.sqlite');
  const why = store.explainEmpty({ status: 'failed' });
  assert.deepEqual(why, cli('explain', join(FIXTURES, 'cmf_small.sqlite'), '--status', 'failed'));
  assert.equal(why.notes[0], 'this store (written by cmflib) records no execution state: 20 executions are Unknown');
});

test('alert rules as view state: sanitized, carried by the URL, the default left out', () => {
  assert.deepEqual(sanitizeAlerts({ failed: 1, longRunningMs: -5, longRunningFactor: 2, rules: ['a', { query: 'b' }, { name: 'n', query: 'c' }, { name: 'x' }, 7, { query: '  ' }] }),
    { failed: false, longRunningFactor: 2, rules: [{ name: 'a', query: 'a' }, { name: 'b', query: 'b' }, { name: 'n', query: 'c' }] });
  assert.deepEqual(sanitizeAlerts('nonsense'), { failed: false, rules: [] });
  const state = { ...DEFAULT_STATE, alerts: { failed: true, longRunningMs: 3_600_000, rules: [{ name: 'low accuracy', query: 'property:accuracy<0.9' }] }, alerted: true };
  const params = paramsFromState(state, new URLSearchParams('url=sample/mlmd'));
  assert.equal(params.get('alerted'), '1');
  const back = stateFromParams(params);
  assert.deepEqual(back.alerts, state.alerts);
  assert.equal(back.alerted, true);
  assert.equal(paramsFromState({ ...DEFAULT_STATE }, new URLSearchParams()).toString(), '', 'the default rules are not written');
  assert.deepEqual(stateFromParams(new URLSearchParams('alerts=%7Bbroken')).alerts, { failed: false, rules: [] });
  assert.equal(alertedQuery('a OR b', true), '(a OR b) AND alert:any');
  assert.equal(alertedQuery('', true), 'alert:any');
  assert.equal(alertedQuery(' x ', false), 'x');
});
