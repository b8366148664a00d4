// The compare dialog: `store.compare(ids)` for 2–5 executions side by side — a header per
// execution, the property table (differences highlighted, numeric deltas against the first
// execution), artifact versions and a durations chart. The diff is the store's; this only
// draws it.
import { h } from '../dom.js';
import { formatDuration, formatTime, formatValue } from '../format.js';
import { statusBadge } from './details.js';
import { language } from '../language.js';

/**
 * A numeric delta as `+0.01` / `−16` (6 significant digits, so float noise such as
 * -0.09000000000000001 reads -0.09).
 * @param {number} d
 * @returns {string}
 */
export function formatDelta(d) {
  const v = Number(d.toPrecision(6));
  if (v === 0) return '±0';
  return `${v > 0 ? '+' : '−'}${Math.abs(v)}`;
}

/**
 * A compared value: missing values say so, objects are compact JSON.
 * @param {unknown} v
 */
function valueCell(v) {
  if (v === null || v === undefined) return h('span', { className: 'ml-not-recorded' }, 'not recorded');
  if (v === '') return h('span', { className: 'ml-empty-string', title: 'an empty string' }, '');
  return h('span', { className: 'ml-cmp-value' }, formatValue(v));
}

/**
 * The compare view.
 * @param {import('../widget.js').ViewContext} ctx
 */
export function createCompare(ctx) {
  // Long by design: a view factory is the compare dialog's closure (its elements, its state and
  // the handlers that share them); each inner function does one job and stays short.
  const titleId = 'ml-compare-title';
  const title = h('h2', { id: titleId, className: 'ml-compare-title' }, 'Compare executions');
  const close = h('button', { type: 'button', className: 'ml-close', 'aria-label': 'Close the comparison', title: 'Close (Esc)', 'data-testid': 'compare-close' }, '✕');
  const onlyDiff = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': 'compare-only-diff' }));
  const body = h('div', { className: 'ml-compare-body' });
  const dialog = h('div', {
    className: 'ml-compare', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId,
    'data-testid': 'compare', tabindex: '-1',
  },
  h('header', { className: 'ml-compare-head' }, title,
    h('label', { className: 'ml-compare-toggle' }, onlyDiff, ' Only differences'), close),
  body);
  const el = h('div', { className: 'ml-compare-backdrop', hidden: true }, dialog);

  let shownKey = '';
  let result = null;
  let returnFocus = /** @type {HTMLElement|null} */ (null);

  close.addEventListener('click', () => ctx.set({ comparing: false }));
  el.addEventListener('click', (e) => { if (e.target === el) ctx.set({ comparing: false }); });
  onlyDiff.addEventListener('change', () => {
    dialog.classList.toggle('ml-only-diff', onlyDiff.checked);
    if (result) summarize(result);
  });
  // Keep Tab inside the modal dialog.
  dialog.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll('button, input, summary, a[href], [tabindex="0"]')]
      .filter((n) => !(/** @type {HTMLElement} */ (n).closest('[hidden]')));
    if (!focusable.length) return;
    const first = /** @type {HTMLElement} */ (focusable[0]);
    const last = /** @type {HTMLElement} */ (focusable[focusable.length - 1]);
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });

  const summaryLine = h('p', { className: 'ml-compare-summary', 'data-testid': 'compare-summary' });

  /** "3 of 17 properties differ" — counts of the store's `differs` flags. */
  function summarize(r) {
    const props = r.properties.filter((p) => p.differs).length;
    const arts = r.artifacts.filter((a) => a.differs).length;
    summaryLine.textContent = `${props} of ${r.properties.length} properties differ · ${arts} of ${r.artifacts.length} artifacts differ`
      + (onlyDiff.checked ? ' · showing only differences' : '');
  }

  function removeButton(id) {
    const btn = h('button', { type: 'button', className: 'ml-cmp-remove', 'aria-label': `Remove execution ${id} from the comparison`, title: 'Remove from the comparison' }, '×');
    btn.addEventListener('click', () => ctx.set({ compare: ctx.state().compare.filter((c) => c !== id) }));
    return btn;
  }

  function headerRow(execs) {
    return h('tr', { className: 'ml-cmp-headrow' },
      h('th', { scope: 'col', className: 'ml-cmp-corner' }, 'Execution'),
      ...execs.map((x) => h('th', { scope: 'col', 'data-testid': 'compare-execution', 'data-id': x.id },
        h('div', { className: 'ml-cmp-exec' },
          h('span', { className: 'ml-cmp-id' }, `#${x.id}`), removeButton(x.id)),
        h('div', { className: 'ml-cmp-name' }, x.name),
        h('div', {}, statusBadge(x.status)),
        h('div', { className: 'ml-cmp-meta' }, [x.pipeline, x.stage].filter(Boolean).join(' / ')),
        h('div', { className: 'ml-cmp-meta' }, x.started ? formatTime(x.started) : 'no start recorded'),
        h('div', { className: 'ml-cmp-meta' }, Number.isFinite(x.durationMs) ? formatDuration(x.durationMs) : 'not ended'),
        x.gitCommitShort ? h('div', { className: 'ml-cmp-meta' }, h('code', { title: x.gitCommit }, x.gitCommitShort)) : null)));
  }

  function propertiesTable(r) {
    const n = r.executions.length;
    if (!r.properties.length) return h('p', { className: 'ml-none' }, 'None of these executions records a property.');
    return h('table', { className: 'ml-cmp-table', 'data-testid': 'compare-properties' },
      h('caption', {}, `Properties (${r.properties.length})`),
      h('thead', {}, headerRow(r.executions)),
      h('tbody', {}, ...r.properties.map((p) => h('tr', {
        'data-testid': 'compare-property', 'data-name': p.name, 'data-differs': String(p.differs),
        className: p.differs ? 'ml-differs' : 'ml-same',
      },
      h('th', { scope: 'row' },
        p.differs ? h('span', { className: 'ml-diff-mark', title: 'values differ', 'aria-label': 'differs' }, '≠ ') : null,
        h('span', { className: 'ml-cmp-pname' }, p.name), ' ',
        h('span', { className: 'ml-kind', title: p.custom ? 'custom property' : 'declared property' }, p.custom ? 'custom' : 'declared')),
      ...Array.from({ length: n }, (_, i) => {
        const d = p.deltas?.[i];
        const showDelta = i > 0 && p.differs && typeof d === 'number' && Number.isFinite(d) && Number(d.toPrecision(6)) !== 0;
        return h('td', { 'data-testid': 'compare-value', className: typeof p.values[i] === 'number' ? 'ml-num' : '' },
          valueCell(p.values[i]),
          showDelta ? h('small', { className: `ml-delta ${d > 0 ? 'ml-up' : d < 0 ? 'ml-down' : ''}`, title: `difference from #${r.executions[0].id}`, 'data-testid': 'compare-delta' }, ` ${formatDelta(d)}`) : null);
      })))));
  }

  function artifactsTable(r) {
    const n = r.executions.length;
    if (!r.artifacts.length) return h('p', { className: 'ml-none' }, 'No artifacts recorded for these executions.');
    return h('table', { className: 'ml-cmp-table ml-cmp-artifacts', 'data-testid': 'compare-artifacts' },
      h('caption', {}, `Artifacts (${r.artifacts.length})`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Artifact'),
        ...r.executions.map((x) => h('th', { scope: 'col' }, `#${x.id}`)))),
      h('tbody', {}, ...r.artifacts.map((a) => h('tr', {
        'data-testid': 'compare-artifact', 'data-key': a.key, 'data-direction': a.direction, 'data-differs': String(a.differs),
        className: a.differs ? 'ml-differs' : 'ml-same',
      },
      h('th', { scope: 'row' },
        a.differs ? h('span', { className: 'ml-diff-mark', title: 'versions differ', 'aria-label': 'differs' }, '≠ ') : null,
        h('span', { className: `ml-dir ml-dir-${a.direction.toLowerCase()}` }, a.direction === 'INPUT' ? '▲ in' : a.direction === 'OUTPUT' ? '▼ out' : a.direction), ' ',
        h('span', { className: 'ml-cmp-key' }, a.key), ' ',
        h('span', { className: 'ml-kind' }, a.type)),
      ...Array.from({ length: n }, (_, i) => h('td', { 'data-testid': 'compare-version' },
        a.versions[i] === null || a.versions[i] === undefined
          ? h('span', { className: 'ml-not-recorded' }, '—')
          : h('code', { title: a.versions[i] }, a.versions[i])))))));
  }

  function durationsChart(r) {
    const ds = r.executions.map((x) => (Number.isFinite(x.durationMs) ? x.durationMs : null));
    const max = Math.max(...ds.filter((d) => d !== null), 0);
    return h('div', { className: 'ml-cmp-durations', 'data-testid': 'compare-durations' },
      h('h3', {}, 'Duration'),
      ...r.executions.map((x, i) => {
        const d = ds[i];
        const fill = h('span', { className: 'ml-cmp-dbar' });
        fill.style.width = d === null || max === 0 ? '0' : `${Math.max((d / max) * 100, 0.5)}%`;
        const delta = i > 0 && d !== null && ds[0] !== null ? ` (${d - ds[0] >= 0 ? '+' : '−'}${formatDuration(Math.abs(d - ds[0]))})` : '';
        return h('div', { className: 'ml-cmp-drow', 'data-id': x.id },
          h('span', { className: 'ml-cmp-dlabel', title: x.name }, `#${x.id} ${x.name}`),
          h('span', { className: 'ml-cmp-dtrack' }, fill),
          h('span', { className: 'ml-cmp-dvalue' }, d === null ? 'not ended' : `${formatDuration(d)}${delta}`));
      }));
  }

  async function show(ids) {
    result = null;
    title.textContent = `Compare ${ids.length} executions`;
    const { min, max } = language().compare;
    if (ids.length < min) {
      body.replaceChildren(h('p', { className: 'ml-error', role: 'alert', 'data-testid': 'compare-error', 'data-kind': 'invalid-argument' },
        `Select ${min} to ${max} executions to compare.`));
      return;
    }
    let r;
    const key = shownKey;
    try {
      r = await ctx.store.compare(ids);
      if (key !== shownKey) return;
    } catch (e) {
      if (key !== shownKey) return;
      const err = /** @type {any} */ (e);
      body.replaceChildren(h('p', { className: 'ml-error', role: 'alert', 'data-testid': 'compare-error', 'data-kind': err?.kind ?? 'error' },
        err instanceof Error ? err.message : String(err)));
      return;
    }
    result = r;
    summarize(r);
    dialog.style.setProperty('--ml-cmp-cols', String(r.executions.length));
    body.replaceChildren(summaryLine, durationsChart(r), propertiesTable(r), artifactsTable(r));
  }

  return {
    el,
    /** @param {{ state: import('../widget.js').ViewState }} args */
    update({ state }) {
      const open = state.comparing;
      const wasOpen = !el.hidden;
      el.hidden = !open;
      if (!open) {
        shownKey = '';
        if (wasOpen && returnFocus?.isConnected) returnFocus.focus();
        return;
      }
      const key = state.compare.join(',');
      if (key !== shownKey) {
        shownKey = key;
        show(state.compare);
      }
      if (!wasOpen) {
        returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        close.focus();
      }
    },
  };
}
