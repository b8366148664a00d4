// The filters bar: dropdowns filled from the store's summary, a date range, and the search
// box (search language of README.md) with autocomplete and the parser's error shown where
// it happened. It only edits the view state; the store does every filtering.
import { h, setText } from '../dom.js';
import { propertyOrder, statuses } from '../format.js';
import { language, propertyTerm, quoteValue } from '../language.js';

const SEARCH_DEBOUNCE_MS = 250;
const MAX_SUGGESTIONS = 60;
let uid = 0;

/**
 * The filters bar.
 * @param {import('../widget.js').ViewContext} ctx
 * @returns {{ el: HTMLElement, update(data: {state: import('../widget.js').ViewState, error: any}): void,
 *             focusSearch(): void, destroy(): void }}
 */
export function createFilters(ctx) {
  // Long by design: a view factory is the filters bar's closure (its elements, its state and
  // the handlers that share them); each inner function does one job and stays short.
  const id = `mlf${++uid}`;
  const summary = ctx.summary;
  // The search fields, their help, the examples and the filter keys are the core's.
  const lang = language();
  /** @type {Array<{name: string, kind: string, help: string}>} in the order the autocomplete offers them */
  const fields = lang.fields;
  /** What each field suggestion (`name:`) means. */
  const fieldHints = new Map(fields.map((f) => [`${f.name}:`, f.help]));
  /** @type {string[]} */
  const filterKeys = lang.filterKeys;
  /** @type {Map<string, string>} a short hint shown beside each suggestion */
  const hints = new Map();
  for (const p of ctx.propertyNames || []) {
    hints.set(propertyTerm(p.name), `${p.kinds.join('/')} · ${p.executions}${p.custom ? '' : ' · declared'}`);
  }
  for (const s of statuses()) if (summary.states?.[s.label]) hints.set(s.label, String(summary.states[s.label]));
  for (const r of summary.runs || []) for (const op of [':', '=']) hints.set(`run${op}${quoteValue(r.name)}`, `${r.pipeline} · ${r.executions}`);
  const propertyNames = [...new Set(propertyOrder(ctx.propertyNames || []).map((p) => p.name))];

  // ---- dropdowns ---------------------------------------------------------------------
  /**
   * A labelled <select> bound to one state key.
   * @param {string} key
   * @param {string} label
   * @param {Array<[string, string]>} options [value, text]
   */
  function dropdown(key, label, options) {
    const select = /** @type {HTMLSelectElement} */ (h('select', {
      id: `${id}-${key}`, 'data-testid': `filter-${key}`,
      onchange: () => ctx.set({ [key]: select.value }),
    }, h('option', { value: '' }, 'All'), ...options.map(([v, t]) => h('option', { value: v }, t))));
    const wrap = h('label', { className: 'ml-filter', for: `${id}-${key}` }, h('span', { className: 'ml-filter-label' }, label), select);
    return { key, select, wrap };
  }

  const statusCounts = summary.states || {};
  const statusOptions = statuses().filter((s) => statusCounts[s.label])
    .map((s) => /** @type {[string, string]} */ ([s.label, `${s.icon} ${s.label} (${statusCounts[s.label]})`]));
  /** @type {import('../widget.js').Summary['runs']} newest first (the core's order) */
  const runs = summary.runs || [];
  const runOptions = runs.map((r) => /** @type {[string, string]} */ ([r.name, `${r.name} · ${r.pipeline || 'no pipeline'} (${r.executions})`]));
  const dropdowns = [
    dropdown('pipeline', 'Pipeline', (summary.pipelines || []).map((p) => [p, p])),
    dropdown('stage', 'Stage', (summary.stages || []).map((s) => [s, s])),
    dropdown('run', 'Run', runOptions),
    // Short type names (the core's `executionTypeNames`: `Trainer`, not the class path);
    // the `type` filter matches either.
    dropdown('type', 'Execution type', (summary.executionTypeNames || summary.executionTypes || []).map((t) => [t, t])),
    dropdown('status', 'Status', statusOptions),
    dropdown('branch', 'Git branch', (summary.branches || []).map((b) => [b, b])),
  ];
  const byKey = (/** @type {string} */ key) => /** @type {ReturnType<typeof dropdown>} */ (dropdowns.find((d) => d.key === key));
  // The Run filter, and comparing runs, exist where the store records runs (TFX, KFP).
  const run = byKey('run');
  const { compare: { min: MIN_COMPARE, max: MAX_COMPARE } } = lang;
  const compareRunsButton = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button', className: 'ml-button', 'data-testid': 'compare-runs-button',
    disabled: runs.length < 2, title: runs.length < 2 ? 'Only one run is recorded' : `Compare ${MIN_COMPARE}–${MAX_COMPARE} runs stage by stage`,
    onclick: () => ctx.set({ compareRuns: defaultRunPicks() }),
  }, 'Compare runs…'));
  const runGroup = h('div', { className: 'ml-run-filter', hidden: runs.length === 0 }, run.wrap, compareRunsButton);
  run.wrap.title = 'Pipeline run (TFX pipeline_run, KFP PipelineRun); choosing a run of 2 to 5 executions also selects them for Compare';
  run.select.onchange = () => {
    const name = run.select.value;
    ctx.set({ run: name });
    // Selecting a run selects its executions for compare where the count allows.
    const info = runs.find((r) => r.name === name);
    if (info && info.executions >= MIN_COMPARE && info.executions <= MAX_COMPARE) {
      Promise.resolve(ctx.store.executionIds({ run: name })).then((ids) => {
        if (ctx.state().run === name) ctx.set({ compare: ids });
      }, () => {});
    }
  };
  /** The runs the "Compare runs…" dialog opens with: the chosen run (else the newest) and the one before it of the same pipeline. */
  function defaultRunPicks() {
    const first = runs.find((r) => r.name === ctx.state().run) ?? runs[0];
    const rest = runs.filter((r) => r !== first);
    const second = rest.find((r) => r.pipeline === first.pipeline && (r.startMs ?? 0) <= (first.startMs ?? 0)) ?? rest.find((r) => r.pipeline === first.pipeline) ?? rest[0];
    return [first.id, second.id];
  }
  // The status filter says what each status means, and why a store shows only Unknown.
  const statusSelect = byKey('status').select;
  const onlyUnknown = Object.keys(statusCounts).length === 1 && statusCounts.Unknown;
  const unknownMeaning = statuses().find((s) => s.label === 'Unknown')?.meaning ?? '';
  statusSelect.title = onlyUnknown
    ? `This store records no execution state${summary.flavor === 'cmf' ? ' (cmflib does not write one)' : ''}: all ${statusCounts.Unknown} executions are Unknown — ${unknownMeaning}`
    : statuses().filter((s) => statusCounts[s.label]).map((s) => `${s.label}: ${s.meaning}`).join('\n');
  byKey('status').wrap.title = statusSelect.title;
  const branch = byKey('branch');
  if (!(summary.branches || []).length) {
    branch.select.disabled = true;
    branch.select.title = 'no branch recorded in this file';
    branch.wrap.title = 'no branch recorded in this file';
    branch.wrap.classList.add('ml-disabled');
  }

  // ---- dates -------------------------------------------------------------------------
  /** @param {'from'|'to'} key */
  const dateInput = (key) => /** @type {HTMLInputElement} */ (h('input', {
    type: 'date', id: `${id}-${key}`, 'data-testid': `filter-${key}`,
    min: summary.firstStarted ? summary.firstStarted.slice(0, 10) : null,
    max: summary.lastStarted ? summary.lastStarted.slice(0, 10) : null,
    onchange: (/** @type {Event} */ e) => ctx.set({ [key]: /** @type {HTMLInputElement} */ (e.target).value }),
  }));
  const from = dateInput('from');
  const to = dateInput('to');
  const dates = h('fieldset', { className: 'ml-filter ml-dates' },
    h('legend', { className: 'ml-filter-label' }, 'Started (UTC)'),
    h('span', { className: 'ml-date-pair' },
      h('label', { className: 'visually-hidden', for: from.id }, 'from'), from,
      h('span', { 'aria-hidden': 'true' }, '–'),
      h('label', { className: 'visually-hidden', for: to.id }, 'to'), to));

  const clear = /** @type {HTMLButtonElement} */ (h('button', {
    type: 'button', className: 'ml-button ml-clear', 'data-testid': 'clear-filters',
    title: 'Reset every filter and the search',
    onclick: () => {
      clearTimeout(timer);
      applied = '';
      search.value = '';
      closeList();
      ctx.set({ ...Object.fromEntries(filterKeys.map((k) => [k, ''])), alerted: false });
    },
  }, 'Clear'));

  // ---- search box --------------------------------------------------------------------
  const listId = `${id}-list`;
  const search = /** @type {HTMLInputElement} */ (h('input', {
    type: 'search', id: `${id}-search`, 'data-testid': 'search', className: 'ml-search-input',
    placeholder: 'Search: pipeline:mnist AND property:epochs>10   (press / to focus)',
    autocomplete: 'off', spellcheck: 'false', role: 'combobox', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': listId, 'aria-describedby': `${id}-error`,
  }));
  const list = h('ul', { id: listId, role: 'listbox', className: 'ml-suggestions', 'data-testid': 'search-suggestions', 'aria-label': 'Suggestions', hidden: true });
  const errorEl = h('p', { id: `${id}-error`, className: 'ml-search-error', 'data-testid': 'search-error', role: 'alert', hidden: true });
  const caret = h('div', { className: 'ml-search-caret', 'aria-hidden': 'true', hidden: true });

  // The core lists operators longest first (how they lex); shown shortest first.
  const operatorsShown = [...lang.operators].sort((a, b) => a.length - b.length);
  const helpList = h('dl', { className: 'ml-help-list' });
  for (const { query: example, meaning } of lang.examples) {
    helpList.append(
      h('dt', {}, h('button', { type: 'button', className: 'ml-help-example', title: 'Search for this',
        onclick: () => { search.value = example; help.open = false; apply(); search.focus(); } }, h('code', {}, example))),
      h('dd', {}, meaning));
  }
  const help = /** @type {HTMLDetailsElement} */ (h('details', { className: 'ml-help', 'data-testid': 'search-help' },
    h('summary', { title: 'Search syntax', 'aria-label': 'Search syntax help' }, '?'),
    h('div', { className: 'ml-help-pop' },
      h('p', { className: 'ml-help-title' }, 'Search syntax'),
      helpList,
      h('p', { className: 'ml-help-note' }, 'Fields: ', h('code', {}, fields.map((f) => (f.kind === 'property' ? `${f.name}:NAME` : f.name)).join(' ')),
        '. Operators: ', h('code', {}, operatorsShown.join(' ')), ', ranges with ', h('code', {}, 'TO'),
        '. A property an execution lacks never matches. Press Enter to search; Tab or Enter picks a suggestion.'))));

  // The popover closes on Esc and on a click elsewhere, like a menu.
  help.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && help.open) { e.stopPropagation(); help.open = false; help.querySelector('summary')?.focus(); }
  });
  const closeHelp = (/** @type {Event} */ e) => { if (help.open && !help.contains(/** @type {Node} */ (e.target))) help.open = false; };
  document.addEventListener('click', closeHelp);

  const searchBox = h('div', { className: 'ml-search' },
    h('label', { className: 'visually-hidden', for: search.id }, 'Search executions'),
    h('div', { className: 'ml-search-row' }, h('div', { className: 'ml-search-field' }, search, list), help),
    caret, errorEl);

  const el = h('section', { className: 'ml-filters', 'data-testid': 'filters', 'aria-label': 'Filters' },
    searchBox,
    h('div', { className: 'ml-filter-row' }, ...dropdowns.map((d) => (d === run ? runGroup : d.wrap)), dates, clear));

  // ---- applying the search -----------------------------------------------------------
  /** The query this bar last put into the state (so typing is not overwritten by it). */
  let applied = ""; // the box starts empty: the first update shows a query from the URL or notebook
  let timer = 0;
  function apply() {
    clearTimeout(timer);
    applied = search.value;
    if (applied !== ctx.state().query) ctx.set({ query: applied });
  }
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, SEARCH_DEBOUNCE_MS);
    suggest();
  });
  search.addEventListener('blur', () => setTimeout(closeList, 100));
  search.addEventListener('click', suggest);

  // ---- autocomplete ------------------------------------------------------------------
  /** @type {string[]} */
  let items = [];
  let active = -1;
  /** The token being completed: [start, end) in search.value. */
  let token = { start: 0, end: 0 };

  /**
   * Values offered after `field:` (from the summary), or null for a field without a list.
   * @param {string} field
   * @returns {string[]|null}
   */
  function valuesFor(field) {
    if (fields.find((f) => f.name === field)?.kind === 'status') return statuses().map((s) => s.label);
    switch (field) {
      case 'pipeline': return summary.pipelines || [];
      case 'stage': return summary.stages || [];
      case 'run': return runs.map((r) => r.name);
      case 'type': return summary.executionTypeNames || summary.executionTypes || [];
      case 'branch': return summary.branches || [];
      default: return null;
    }
  }

  function suggest() {
    const pos = search.selectionStart ?? search.value.length;
    const text = search.value;
    let start = pos;
    while (start > 0 && !/[\s()]/.test(text[start - 1])) start--;
    let end = pos;
    while (end < text.length && !/[\s()]/.test(text[end])) end++;
    let word = text.slice(start, pos);
    const neg = word.startsWith('-') ? 1 : 0;
    word = word.slice(neg);
    token = { start: start + neg, end };
    /** @type {string[]} */
    let found = [];
    const lower = word.toLowerCase();
    const m = /^([a-z]+)(:|=|!=)(.*)$/i.exec(word);
    if (lower.startsWith('property:')) {
      // The name typed so far: bare, or opened with a quote (names with ':' or spaces).
      const rest = lower.slice('property:'.length);
      const quoted = rest.startsWith('"');
      const typed = quoted ? rest.slice(1) : rest;
      if (quoted ? !typed.includes('"') : !/[:=<>!]/.test(rest)) {
        found = propertyNames.filter((n) => n.toLowerCase().includes(typed)).map((n) => propertyTerm(n));
      }
    } else if (m && valuesFor(m[1].toLowerCase())) {
      const field = m[1].toLowerCase();
      const typed = m[3].replace(/^"/, '').toLowerCase();
      found = valuesFor(field).filter((v) => v.toLowerCase().includes(typed)).map((v) => `${field}${m[2]}${quoteValue(v)}`);
    } else if (lower.length > 0 && /^[a-z]+$/.test(lower)) {
      // Each field that starts so; after `property:` every property name, as a term.
      found = fields.filter((f) => f.name.startsWith(lower))
        .flatMap((f) => [`${f.name}:`, ...(f.kind === 'property' ? propertyNames.map((n) => propertyTerm(n)) : [])]);
    }
    found = found.filter((f) => f !== word).slice(0, MAX_SUGGESTIONS);
    if (!found.length || document.activeElement !== search) { closeList(); return; }
    items = found;
    active = -1;
    list.replaceChildren(...items.map((s, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', className: 'ml-suggestion', 'aria-selected': 'false',
      // The hint is drawn by CSS (attr()), so the option's text stays exactly what is inserted.
      'data-hint': hints.get(s) ?? hints.get(s.replace(/^status(:|=|!=)/, '')) ?? fieldHints.get(s) ?? null,
      onmousedown: (/** @type {MouseEvent} */ e) => { e.preventDefault(); accept(i); },
    }, s)));
    list.hidden = false;
    search.setAttribute('aria-expanded', 'true');
    search.removeAttribute('aria-activedescendant');
  }

  function closeList() {
    items = [];
    active = -1;
    list.hidden = true;
    list.replaceChildren();
    search.setAttribute('aria-expanded', 'false');
    search.removeAttribute('aria-activedescendant');
  }

  /** @param {number} i */
  function highlight(i) {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    const li = list.children[i];
    if (li) {
      search.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    }
  }

  /** @param {number} i */
  function accept(i) {
    const s = items[i];
    if (s === undefined) return;
    const text = search.value;
    search.value = text.slice(0, token.start) + s + text.slice(token.end);
    const at = token.start + s.length;
    search.setSelectionRange(at, at);
    closeList();
    if (s.endsWith(':')) suggest(); // a field name: offer its values next
    else { clearTimeout(timer); timer = setTimeout(apply, SEARCH_DEBOUNCE_MS); }
  }

  search.addEventListener('keydown', (e) => {
    const open = !list.hidden && items.length > 0;
    if (e.key === 'ArrowDown' && open) { e.preventDefault(); highlight((active + 1) % items.length); }
    else if (e.key === 'ArrowUp' && open) { e.preventDefault(); highlight((active - 1 + items.length) % items.length); }
    else if (e.key === 'ArrowDown' && !open) { e.preventDefault(); suggest(); }
    else if ((e.key === 'Enter' || e.key === 'Tab') && open && active >= 0) { e.preventDefault(); accept(active); }
    else if (e.key === 'Tab' && open && items.length === 1) { e.preventDefault(); accept(0); }
    else if (e.key === 'Enter') { e.preventDefault(); closeList(); apply(); }
    else if (e.key === 'Escape' && open) { e.preventDefault(); e.stopPropagation(); closeList(); }
  });

  // ---- reflecting the state ----------------------------------------------------------
  /**
   * Selects `value` in `select`, adding an option for a value from outside (URL, notebook)
   * that the summary does not list, so the control never lies about the state.
   * @param {HTMLSelectElement} select
   * @param {string} value
   */
  function reflect(select, value) {
    const match = [...select.options].find((o) => o.value.toLowerCase() === value.toLowerCase());
    if (match) { select.value = match.value; return; }
    select.append(h('option', { value }, value));
    select.value = value;
  }

  /** Shows the query with the error position marked. */
  function showCaret(query, position) {
    const chars = Array.from(query);
    if (!Number.isInteger(position) || position < 0 || position > chars.length) { caret.hidden = true; return; }
    caret.replaceChildren(
      h('code', {}, chars.slice(0, position).join(''),
        h('mark', { className: 'ml-caret-at' }, position < chars.length ? chars[position] : ' '),
        chars.slice(position + 1).join('')));
    caret.hidden = false;
  }

  return {
    el,
    update({ state, error }) {
      for (const d of dropdowns) reflect(d.select, state[d.key] || '');
      if (from.value !== state.from) from.value = /^\d{4}-\d{2}-\d{2}$/.test(state.from) ? state.from : '';
      if (to.value !== state.to) to.value = /^\d{4}-\d{2}-\d{2}$/.test(state.to) ? state.to : '';
      if (state.query !== applied) {
        // Changed from outside (URL, notebook, Clear): show it.
        applied = state.query;
        search.value = state.query;
      }
      const filtered = filterKeys.some((k) => state[k]) || state.alerted;
      clear.disabled = !filtered;
      if (error) {
        setText(errorEl, error.message || String(error));
        errorEl.hidden = false;
        search.setAttribute('aria-invalid', 'true');
        if (error.kind === 'query') showCaret(state.query, error.position);
        else caret.hidden = true;
      } else {
        errorEl.hidden = true;
        errorEl.textContent = '';
        caret.hidden = true;
        search.removeAttribute('aria-invalid');
      }
    },
    focusSearch() {
      search.focus();
      search.select();
    },
    destroy() {
      clearTimeout(timer);
      document.removeEventListener('click', closeHelp);
    },
  };
}
