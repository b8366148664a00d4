// Shared formatting for every view: durations, times, statuses (icon + label + meaning).
import { language } from './language.js';

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
 * How each status label is drawn: a colour-blind-safe icon (shape, not only colour) and a
 * CSS class. Presentation only: which statuses exist, their order and what each means come
 * from the core (`language().statuses`).
 * @type {Record<string, {icon: string, cls: string}>}
 */
const STATUS_LOOK = {
  Pending: { icon: '◷', cls: 'pending' },
  Running: { icon: '↻', cls: 'running' },
  Completed: { icon: '✓', cls: 'completed' },
  Failed: { icon: '✕', cls: 'failed' },
  Cached: { icon: '◆', cls: 'cached' },
  Canceled: { icon: '⊘', cls: 'canceled' },
  Unknown: { icon: '?', cls: 'unknown' },
};

/** @typedef {{label: string, icon: string, cls: string, meaning: string}} StatusInfo */

/** @type {StatusInfo[] | undefined} */
let statusList;

/**
 * The statuses shown to users, in the core's legend order, each with its icon, CSS class
 * and meaning. A label this module has no look for is drawn as Unknown.
 * @returns {StatusInfo[]}
 */
export function statuses() {
  statusList ??= language().statuses.map((/** @type {{label: string, meaning: string}} */ s) => ({
    label: s.label, meaning: s.meaning, ...(STATUS_LOOK[s.label] ?? STATUS_LOOK.Unknown),
  }));
  return statusList;
}

/**
 * Looks a status label up (an unknown label gets the last status, Unknown).
 * @param {string} label
 * @returns {StatusInfo}
 */
export function statusInfo(label) {
  const all = statuses();
  return all.find((s) => s.label === label) ?? all[all.length - 1];
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

/**
 * Property names in the order the views offer them: custom properties first (in cmflib
 * stores they are the user's parameters and metrics; the declared ones are cmflib's
 * bookkeeping: Context_ID, Git_Repo …), then by name ignoring case. A plain comparison,
 * not `localeCompare`: its first call loads the locale's collation, ~30 ms on the main
 * thread while the viewer is being drawn.
 * @template {{ name: string, custom: boolean }} P
 * @param {P[]} names
 * @returns {P[]} a new array
 */
export function propertyOrder(names) {
  const key = (/** @type {P} */ p) => p.name.toLowerCase();
  const cmp = (/** @type {string} */ a, /** @type {string} */ b) => (a < b ? -1 : a > b ? 1 : 0);
  return [...names].sort((a, b) => Number(b.custom) - Number(a.custom) || cmp(key(a), key(b)) || cmp(a.name, b.name));
}

/** en-US number formats, made on first use (making one loads ICU's data: ~15 ms, once). */
let numberFormats = /** @type {null | { int: Intl.NumberFormat, one: Intl.NumberFormat }} */ (null);
/**
 * A count or a figure with thousands separators (`12,345`; at most one decimal: `3.5`).
 * @param {number} n
 * @returns {string}
 */
export function formatNumber(n) {
  numberFormats ??= { int: new Intl.NumberFormat('en-US'), one: new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }) };
  return (Number.isInteger(n) ? numberFormats.int : numberFormats.one).format(n);
}
