// The one place that creates DOM: text goes in as textContent, never as HTML, so nothing
// read from an MLMD file can inject markup or script.

/**
 * Creates an element. `attrs` values go through setAttribute (or are properties for
 * `className`, `hidden`, `onclick` …); children are nodes or strings (as text nodes).
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node|string|number|boolean|null|undefined)} children `false` is skipped (`cond && node`)
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className' || k === 'hidden' || k.startsWith('on')) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

/**
 * Shows or hides a dialog `el` and moves the focus as dialogs do: opening focuses `target`
 * and remembers what had the focus; closing gives it back (when that is still on the page).
 * @param {HTMLElement} el
 * @returns {(open: boolean, target: HTMLElement) => boolean} sets the state; true when it was open before
 */
export function dialogFocus(el) {
  let returnFocus = /** @type {HTMLElement|null} */ (null);
  return (open, target) => {
    const wasOpen = !el.hidden;
    el.hidden = !open;
    if (!open && wasOpen && returnFocus?.isConnected) returnFocus.focus();
    if (open && !wasOpen) {
      returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      target.focus();
    }
    return wasOpen;
  };
}

/** Table rows drawn in a first frame (about what a window shows above the fold), and in each frame after it. */
const FIRST_ROWS = 10;
const MORE_ROWS = 10;

/**
 * Fills `tbody` with `n` rows made by `row(i)`: FIRST_ROWS now, the rest MORE_ROWS a frame,
 * each batch in a task after the previous frame has painted, so that no task both builds
 * and lays out a whole table. Stops for good once `current()` is false; calls `each()`
 * after every later batch and `done()` once the last row is in (at once when all fit in
 * the first batch).
 * @param {HTMLElement} tbody
 * @param {number} n
 * @param {(i: number) => Node} row
 * @param {{ current?: () => boolean, each?: () => void, done?: () => void }} [hooks]
 * @returns {boolean} true while rows are still to come
 */
export function drawRows(tbody, n, row, { current = () => true, each = () => {}, done = () => {} } = {}) {
  const some = (/** @type {number} */ from, /** @type {number} */ k) =>
    Array.from({ length: Math.max(0, Math.min(k, n - from)) }, (_, j) => row(from + j));
  tbody.replaceChildren(...some(0, FIRST_ROWS));
  let drawn = FIRST_ROWS;
  const more = () => {
    if (!current()) return;
    tbody.append(...some(drawn, MORE_ROWS));
    drawn += MORE_ROWS;
    each();
    if (drawn < n) requestAnimationFrame(() => setTimeout(more, 0));
    else done();
  };
  if (drawn < n) requestAnimationFrame(() => setTimeout(more, 0));
  else done();
  return drawn < n;
}

/**
 * Appends nodes or text to `el`.
 * @param {Node} el
 * @param {...(Node|string|number|boolean|null|undefined)} children `false` is skipped
 */
export function append(el, ...children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/**
 * Replaces the content of `el` with text.
 * @param {Element} el
 * @param {string|number} text
 */
export function setText(el, text) {
  el.textContent = String(text);
}
