// A JSON value drawn as formatted, folded text: every object and array is a fold (its
// opening bracket is a toggle button, like a <details> summary), and the text of the whole
// (its textContent) is exactly the value pretty-printed with two-space indents, folded or
// not, so it can be copied or read back with JSON.parse. Which values are JSON is the
// core's rule (a property's `json`, or a struct value); this only draws. Text goes in as
// text nodes (dom.js), never as HTML.
import { h } from '../dom.js';

/** A fold whose compact text is at most this long starts open (the outermost always does). */
const OPEN_BELOW = 60;

/** Beyond this much text, one fold of plain pretty-printed text (no element per value). */
const TREE_LIMIT = 100_000;

/**
 * The folded view of `value` (an object or array; a scalar is drawn as its JSON text).
 * @param {unknown} value
 * @param {Record<string, any>} [attrs] attributes of the outer element (e.g. a data-testid)
 * @returns {HTMLElement}
 */
export function jsonValue(value, attrs = {}) {
  const pretty = JSON.stringify(value, null, 2) ?? 'null';
  if (pretty.length > TREE_LIMIT) {
    return h('details', { className: 'ml-fold' },
      h('summary', {}, `JSON (${pretty.length} characters)`),
      h('pre', { ...attrs, 'data-json': 'true' }, pretty));
  }
  return h('div', { ...attrs, className: 'ml-json', 'data-json': 'true' }, node(value, 0, true));
}

/**
 * @param {unknown} v
 * @param {number} indent
 * @param {boolean} top
 * @returns {Node}
 */
function node(v, indent, top) {
  if (v === null || typeof v !== 'object') {
    const kind = v === null ? 'null' : typeof v;
    return h('span', { className: `ml-json-${kind}` }, JSON.stringify(v) ?? 'null');
  }
  const array = Array.isArray(v);
  const entries = array ? v.map((x, i) => [i, x]) : Object.entries(v);
  const [open, close] = array ? ['[', ']'] : ['{', '}'];
  if (!entries.length) return h('span', {}, `${open}${close}`);
  const n = entries.length;
  const count = `${n} ${array ? (n === 1 ? 'item' : 'items') : (n === 1 ? 'key' : 'keys')}`;
  const expanded = top || JSON.stringify(v).length <= OPEN_BELOW;
  const body = h('span', { className: 'ml-json-body', hidden: !expanded });
  entries.forEach(([k, x], i) => {
    body.append(document.createTextNode(`\n${' '.repeat(indent + 2)}`));
    if (!array) body.append(h('span', { className: 'ml-json-key' }, JSON.stringify(k)), ': ');
    body.append(node(x, indent + 2, false));
    if (i < n - 1) body.append(document.createTextNode(','));
  });
  body.append(document.createTextNode(`\n${' '.repeat(indent)}`));
  // While folded, "3 keys" stands in for the body (CSS content: not part of the text).
  const folded = h('span', { className: 'ml-json-folded', 'data-folded': ` ${count} `, hidden: expanded });
  const toggle = h('button', {
    type: 'button', className: 'ml-json-toggle', 'aria-expanded': String(expanded),
    title: `${count}: fold or unfold`,
  }, open);
  toggle.addEventListener('click', () => {
    const show = body.hidden;
    body.hidden = !show;
    folded.hidden = show;
    toggle.setAttribute('aria-expanded', String(show));
  });
  return h('span', { className: 'ml-json-fold', 'data-testid': 'json-fold' }, toggle, folded, body, close);
}
