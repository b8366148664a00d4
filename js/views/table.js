// The executions table (plain version: one row per execution, the seed's columns).
import { h } from '../dom.js';

const COLUMNS = [
  ['id', 'Execution ID'], ['name', 'Name'], ['type', 'Type'], ['pipeline', 'Pipeline'],
  ['stage', 'Context/Stage'], ['status', 'Status'], ['started', 'Started'],
  ['durationMs', 'Duration'], ['gitCommitShort', 'Git Commit'],
];

/**
 * Formats a duration in ms as `5m 28s`, `1.2s`, `3h 04m`.
 * @param {number|null|undefined} ms
 * @returns {string}
 */
export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Formats an ISO time as `2026-01-21 14:23:15 UTC`.
 * @param {string|null|undefined} iso
 * @returns {string}
 */
export function formatTime(iso) {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';
}

/**
 * Renders rows as a table.
 * @param {Array<Record<string, any>>} rows rows from `store.executions().rows`
 * @returns {HTMLTableElement}
 */
export function renderTable(rows) {
  const head = h('thead', {}, h('tr', {}, ...COLUMNS.map(([, label]) => h('th', { scope: 'col' }, label))));
  const body = h('tbody');
  for (const r of rows) {
    body.append(h('tr', { 'data-testid': 'execution-row', 'data-id': r.id },
      h('td', { className: 'num' }, r.id),
      h('td', {}, r.name),
      h('td', {}, r.type),
      h('td', {}, r.pipeline || '—'),
      h('td', {}, r.stage || '—'),
      h('td', {}, h('span', { className: `status status-${r.status.toLowerCase()}` }, r.status)),
      h('td', {}, formatTime(r.started)),
      h('td', { className: 'num' }, formatDuration(r.durationMs)),
      h('td', { title: r.gitCommit || null }, h('code', {}, r.gitCommitShort || '—')),
    ));
  }
  return h('table', { 'data-testid': 'executions-table', className: 'executions' }, head, body);
}
