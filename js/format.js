// Shared formatting for every view: durations, times, statuses (icon + label + meaning).

/**
 * Formats a duration in ms as `250 ms`, `1.2s`, `5m 28s`, `3h 04m`, `2d 03h`.
 * @param {number|null|undefined} ms
 * @returns {string}
 */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, '0')}h`;
}

/**
 * Formats an ISO time (UTC) as `2026-01-21 14:23:15 UTC`.
 * @param {string|null|undefined} iso
 * @returns {string}
 */
export function formatTime(iso) {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';
}

/**
 * Formats epoch ms as `2026-01-21 14:23:15 UTC`.
 * @param {number} ms
 * @returns {string}
 */
export function formatMs(ms) {
  return Number.isFinite(ms) ? formatTime(new Date(ms).toISOString()) : '—';
}

/**
 * The statuses shown to users, in legend order, with a colour-blind-safe icon (shape, not
 * only colour), a CSS class and what each means.
 * @type {Array<{label: string, icon: string, cls: string, meaning: string}>}
 */
export const STATUSES = [
  { label: 'Pending', icon: '◷', cls: 'pending', meaning: 'Registered, waiting to start (MLMD NEW)' },
  { label: 'Running', icon: '↻', cls: 'running', meaning: 'In progress (MLMD RUNNING)' },
  { label: 'Completed', icon: '✓', cls: 'completed', meaning: 'Finished successfully (MLMD COMPLETE)' },
  { label: 'Failed', icon: '✕', cls: 'failed', meaning: 'Finished with an error (MLMD FAILED)' },
  { label: 'Cached', icon: '◆', cls: 'cached', meaning: 'Result reused from an earlier run (MLMD CACHED)' },
  { label: 'Canceled', icon: '⊘', cls: 'canceled', meaning: 'Stopped before finishing (MLMD CANCELED)' },
  { label: 'Unknown', icon: '?', cls: 'unknown', meaning: 'No state recorded (cmflib never records one) or MLMD UNKNOWN' },
];

/**
 * Looks a status label up.
 * @param {string} label
 */
export function statusInfo(label) {
  return STATUSES.find((s) => s.label === label) ?? STATUSES[STATUSES.length - 1];
}

/**
 * Shows any property value as text (objects as compact JSON).
 * @param {unknown} v
 * @returns {string}
 */
export function formatValue(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
