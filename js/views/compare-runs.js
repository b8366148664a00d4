// The "Compare runs" dialog: `store.compareRuns(ids)` for 2–5 pipeline runs side by side,
// stage by stage — each stage's status, duration and the properties that differ between
// the runs. The runs to compare are view state (`compareRuns`, in the URL); the user picks
// them with the checkboxes above the table. The line-up and the differences are the
// core's; this only draws them, in the compare dialog's look (compare.css).
import { dialogFocus, h, setText } from '../dom.js';
import { formatDuration, formatTime, formatValue } from '../format.js';
import { statusBadge } from './details.js';
import { language } from '../language.js';

/** Runs the picker lists (the newest); a store may hold thousands. */
const MAX_PICKER = 60;

/**
 * The compare-runs view.
 * @param {import('../widget.js').ViewContext} ctx
 */
export function createCompareRuns(ctx) {
  // Long by design: a view factory is the dialog's closure (its elements and the handlers
  // that share them); each inner function does one job.
  const { compare: { min: MIN, max: MAX } } = language();
  /** @type {import('../widget.js').Summary['runs']} */
  const runs = ctx.summary?.runs || [];
  const titleId = 'ml-compare-runs-title';
  const close = h('button', { type: 'button', className: 'ml-close', 'aria-label': 'Close the run comparison', title: 'Close (Esc)', 'data-testid': 'compare-runs-close' }, '✕');
  const onlyDiff = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': 'compare-runs-only-diff' }));
  /** @param {(typeof runs)[number]} r */
  const pickItem = (r) => h('label', { className: 'ml-run-pick', title: `${r.executions} executions · started ${formatTime(r.start)}` },
    h('input', { type: 'checkbox', value: r.id, 'data-testid': 'compare-runs-pick', onchange: () => pick() }),
    h('span', { className: 'ml-run-pick-name' }, r.name),
    h('span', { className: 'ml-cmp-meta' }, ` ${r.pipeline}`));
  // A store with thousands of runs offers the newest (and any compared run, added when
  // compared); an older one is reached through the Run filter or the URL.
  const offered = runs.slice(0, MAX_PICKER);
  const picker = h('fieldset', { className: 'ml-run-picker', 'data-testid': 'compare-runs-picker' },
    h('legend', {}, runs.length > offered.length ? `Runs (${MIN}–${MAX}; the ${offered.length} newest of ${runs.length})` : `Runs (${MIN}–${MAX})`),
    ...offered.map(pickItem));
  const note = h('p', { className: 'ml-compare-summary', 'data-testid': 'compare-runs-summary', 'aria-live': 'polite' });
  const table = h('div', { className: 'ml-run-compare' });
  const dialog = h('div', {
    className: 'ml-compare ml-compare-runs', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId,
    'data-testid': 'compare-runs', tabindex: '-1',
  },
  h('header', { className: 'ml-compare-head' },
    h('h2', { id: titleId, className: 'ml-compare-title' }, 'Compare runs'),
    h('label', { className: 'ml-compare-toggle' }, onlyDiff, ' Only differences'), close),
  h('div', { className: 'ml-compare-body' }, picker, note, table));
  const el = h('div', { className: 'ml-compare-backdrop', hidden: true }, dialog);

  let shownKey = '';
  let request = 0;
  const showDialog = dialogFocus(el);

  close.addEventListener('click', () => ctx.set({ compareRuns: [] }));
  el.addEventListener('click', (e) => { if (e.target === el) ctx.set({ compareRuns: [] }); });
  onlyDiff.addEventListener('change', () => dialog.classList.toggle('ml-only-diff', onlyDiff.checked));
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.stopPropagation(); ctx.set({ compareRuns: [] }); return; }
    if (e.key !== 'Tab') return;
    // Keep Tab inside the modal dialog.
    const focusable = [...dialog.querySelectorAll('button, input, select, [tabindex="0"]')]
      .filter((n) => !(/** @type {HTMLInputElement} */ (n).disabled));
    if (!focusable.length) return;
    const first = /** @type {HTMLElement} */ (focusable[0]);
    const last = /** @type {HTMLElement} */ (focusable[focusable.length - 1]);
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });

  const boxes = () => /** @type {HTMLInputElement[]} */ ([...picker.querySelectorAll('input[type=checkbox]')]);

  /** The checked runs become the state (in the order the picker lists them). */
  function pick() {
    const ids = boxes().filter((b) => b.checked).map((b) => Number(b.value));
    // The last run stays ticked (the dialog is open while one is); one alone asks for another.
    if (!ids.length) { reflect(ctx.state().compareRuns); return; }
    ctx.set({ compareRuns: ids });
  }

  /** Reflects the picked runs in the checkboxes (no more than the maximum can be ticked). */
  function reflect(/** @type {number[]} */ ids) {
    for (const id of ids) {
      const r = runs.find((x) => x.id === id);
      if (r && !boxes().some((b) => Number(b.value) === id)) picker.append(pickItem(r));
    }
    for (const b of boxes()) {
      b.checked = ids.includes(Number(b.value));
      b.disabled = !b.checked && ids.length >= MAX;
    }
  }

  /** A stage's cell in one run: status, duration, the execution (a link to its details). */
  function cell(/** @type {any} */ c) {
    if (!c) return h('td', { className: 'ml-run-absent' }, h('span', { className: 'ml-not-recorded' }, 'not run'));
    const open = h('button', {
      type: 'button', className: 'ml-link', title: `Details of execution ${c.executionId}`,
      onclick: () => ctx.set({ compareRuns: [], selected: c.executionId }),
    }, `#${c.executionId}`);
    return h('td', { 'data-execution': c.executionId },
      h('div', { className: 'ml-run-cell' }, statusBadge(c.status),
        h('span', { className: 'ml-run-duration', title: c.durationMs === null ? 'not ended' : `${c.durationMs} ms` }, formatDuration(c.durationMs))),
      h('div', { className: 'ml-cmp-meta' }, open, c.executions > 1 ? ` · last of ${c.executions}` : ''));
  }

  /** A value that differs: missing values say so, JSON text is shown as text. */
  function valueCell(/** @type {unknown} */ v) {
    if (v === null || v === undefined) return h('td', {}, h('span', { className: 'ml-not-recorded' }, 'not recorded'));
    return h('td', {}, h('span', { className: 'ml-cmp-value ml-run-value' }, formatValue(v)));
  }

  /** @param {import('../../pkg/mlmd_lens.js').RunComparison} c */
  function draw(c) {
    const head = h('tr', {}, h('th', { scope: 'col', className: 'ml-cmp-corner' }, 'Stage'),
      ...c.runs.map((r) => h('th', { scope: 'col', 'data-testid': 'compare-runs-run', 'data-id': r.id },
        h('div', { className: 'ml-cmp-name' }, r.name),
        h('div', { className: 'ml-cmp-meta' }, `${r.pipeline} · ${formatTime(r.start)}`),
        h('div', { className: 'ml-cmp-meta' }, Object.entries(r.statusCounts).map(([k, n]) => `${k} ${n}`).join(' · ')))));
    const body = h('tbody');
    for (const s of c.stages) {
      body.append(h('tr', { className: `ml-run-stage ${s.same ? 'ml-same' : 'ml-differs'}`, 'data-testid': 'compare-runs-stage', 'data-stage': s.stage },
        h('th', { scope: 'row' }, s.same ? '' : h('span', { className: 'ml-diff-mark', 'aria-label': 'differs', title: 'differs between the runs' }, '≠ '), s.stage),
        ...s.cells.map(cell)));
      for (const d of s.differences) {
        body.append(h('tr', { className: 'ml-run-prop ml-differs', 'data-testid': 'compare-runs-difference', 'data-stage': s.stage, 'data-property': d.name },
          h('th', { scope: 'row', className: 'ml-run-prop-name' }, d.name), ...d.values.map(valueCell)));
      }
    }
    table.replaceChildren(h('table', { className: 'ml-cmp-table', 'data-testid': 'compare-runs-table' }, h('thead', {}, head), body));
    const differ = c.stages.filter((s) => !s.same).length;
    setText(note, `${differ} of ${c.stages.length} stages differ · ${c.stages.reduce((n, s) => n + s.differences.length, 0)} properties differ`);
  }

  async function load(/** @type {number[]} */ ids) {
    const mine = ++request;
    if (ids.length < MIN) {
      table.replaceChildren();
      setText(note, `Pick ${MIN} to ${MAX} runs to compare them.`);
      return;
    }
    setText(note, 'Comparing…');
    try {
      const c = await ctx.store.compareRuns(ids);
      if (mine === request) draw(c);
    } catch (e) {
      if (mine !== request) return;
      table.replaceChildren();
      setText(note, e instanceof Error ? e.message : String(e));
    }
  }

  return {
    el,
    /** @param {{ state: import('../widget.js').ViewState }} data */
    update({ state }) {
      const ids = state.compareRuns;
      const open = ids.length > 0 && runs.length > 0;
      showDialog(open, dialog);
      if (!open) {
        shownKey = '';
        return;
      }
      reflect(ids);
      const key = ids.join();
      if (key !== shownKey) {
        shownKey = key;
        load(ids);
      }
    },
  };
}
