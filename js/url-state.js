// View state <-> URL: every view state is a URL parameter, built in one place (datasette's
// url_builder idea). Defaults are left out so shared links stay short.
import { DEFAULT_STATE, sanitize } from './widget.js';

/** Parameters and how each is written. */
const LIST_KEYS = new Set(['compare', 'compareRuns', 'columns']);
/** List parameters of ids. */
const ID_LIST_KEYS = new Set(['compare', 'compareRuns']);
const INT_KEYS = new Set(['page', 'pageSize', 'selected', 'baseline']);
const BOOL_KEYS = new Set(['comparing', 'alerted']);
/** Parameters written as JSON (the alert rules). */
const JSON_KEYS = new Set(['alerts']);
/**
 * Parameters kept in the URL's fragment (`#lineage=e12`): where the user navigated, as
 * datasette-lite keeps navigation in `#` and the source in `?url=`.
 */
const HASH_KEYS = new Set(['lineage']);

/** @param {string} text */
function parseJson(text) {
  try { return JSON.parse(text); } catch { return null; }
}

/**
 * Reads the view state from URL search parameters (unknown parameters are ignored).
 * @param {URLSearchParams} params
 * @returns {Partial<import('./widget.js').ViewState>}
 */
export function stateFromParams(params) {
  /** @type {Record<string, any>} */
  const raw = {};
  for (const key of Object.keys(DEFAULT_STATE)) {
    if (!params.has(key)) continue;
    const v = params.get(key) ?? '';
    if (JSON_KEYS.has(key)) raw[key] = parseJson(v);
    else if (LIST_KEYS.has(key)) raw[key] = v === '' ? [] : v.split(',').map((x) => (ID_LIST_KEYS.has(key) ? Number(x) : x));
    else if (INT_KEYS.has(key) || typeof DEFAULT_STATE[key] === 'number') raw[key] = Number(v);
    else if (BOOL_KEYS.has(key)) raw[key] = v === '1';
    else raw[key] = v;
  }
  if (raw.page !== undefined) raw.page = Math.max(0, raw.page - 1); // 1-based in the URL
  return sanitize(raw);
}

/**
 * Writes the view state into URL search parameters, keeping other parameters (`url`).
 * @param {import('./widget.js').ViewState} state
 * @param {URLSearchParams} params
 * @returns {URLSearchParams}
 */
export function paramsFromState(state, params) {
  const out = new URLSearchParams(params);
  for (const [key, def] of Object.entries(DEFAULT_STATE)) {
    out.delete(key);
    if (HASH_KEYS.has(key)) continue;
    let v = state[key];
    if (JSON.stringify(v) === JSON.stringify(def) || v === null) continue;
    if (key === 'page') v = v + 1;
    if (JSON_KEYS.has(key)) v = JSON.stringify(v);
    else if (Array.isArray(v)) v = v.join(',');
    if (typeof v === 'boolean') v = v ? '1' : '0';
    out.set(key, String(v));
  }
  return out;
}

/**
 * Reads the view state from a whole URL: its search parameters and its fragment
 * (`#lineage=12` opens the lineage of execution 12; the fragment wins).
 * @param {string} search `location.search`
 * @param {string} hash `location.hash`
 * @returns {Partial<import('./widget.js').ViewState>}
 */
export function stateFromUrl(search, hash) {
  const params = new URLSearchParams(search);
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) if (HASH_KEYS.has(k)) params.set(k, v);
  return stateFromParams(params);
}

/**
 * The URL fragment of the view state (`#lineage=e12`, or '' when no lineage is shown).
 * @param {import('./widget.js').ViewState} state
 * @returns {string}
 */
export function hashFromState(state) {
  const out = new URLSearchParams();
  for (const key of HASH_KEYS) if (state[key] && state[key] !== DEFAULT_STATE[key]) out.set(key, String(state[key]));
  const text = out.toString();
  return text ? `#${text}` : '';
}
