// The alert rules panel: which executions get a ⚠ — failed ones, those that ran longer
// than a duration or than k × their stage's median, and any search expression with a
// name — plus the "Alerted only" toggle. The rules are view state (so a shared link
// carries them) and go to the core as its `alerts` option: the core decides what each
// rule flags; this view only edits the list, and checks a rule with the core's parser.
import { h, setText } from '../dom.js';
import { formatDuration } from '../format.js';
import { checkAlertRule, parseDuration, language } from '../language.js';
import { MAX_ALERT_RULES } from '../widget.js';

/**
 * The search sent to the core: the user's, narrowed to flagged executions when
 * "Alerted only" is on.
 * @param {string} query
 * @param {boolean} alerted
 * @returns {string}
 */
export function alertedQuery(query, alerted) {
  const q = query.trim();
  if (!alerted) return q;
  return q ? `(${q}) AND alert:any` : 'alert:any';
}

/**
 * The alerts panel.
 * @param {import('../widget.js').ViewContext} ctx
 */
export function createAlerts(ctx) {
  // Long by design: a view factory is its panel's closure (controls and the handlers that
  // share them); each inner function does one job.
  const uid = `ml-alerts-${Math.random().toString(36).slice(2, 8)}`;
  /** @param {Partial<import('../widget.js').AlertRules>} patch */
  const setRules = (patch) => ctx.set({ alerts: { ...ctx.alerts(), ...patch } });

  const failed = /** @type {HTMLInputElement} */ (h('input', {
    type: 'checkbox', id: `${uid}-failed`, 'data-testid': 'alert-failed',
    onchange: () => setRules({ failed: failed.checked }),
  }));
  const error = h('p', { className: 'ml-alert-error', 'data-testid': 'alert-error', role: 'alert', hidden: true });
  /** @param {string} message */
  const fail = (message) => { setText(error, message); error.hidden = false; };
  const ok = () => { error.hidden = true; error.textContent = ''; };

  const longer = /** @type {HTMLInputElement} */ (h('input', {
    type: 'text', id: `${uid}-longer`, 'data-testid': 'alert-longer', size: 6, placeholder: 'e.g. 1h',
    title: 'Flag executions that ran (or, still running, have run) longer than this: 90s, 5m, 1h30m, 2d',
    onchange: () => {
      const text = longer.value.trim();
      if (!text) { ok(); setRules({ longRunningMs: undefined }); return; }
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) { fail(`cannot read '${text}' as a duration: use 90s, 5m, 1h30m, 2d or 250ms`); return; }
      ok();
      setRules({ longRunningMs: ms });
    },
  }));
  const factor = /** @type {HTMLInputElement} */ (h('input', {
    type: 'number', id: `${uid}-factor`, 'data-testid': 'alert-factor', min: '1', step: '0.5', size: 4,
    title: 'Flag executions that ran longer than this many times the median of the completed executions of their stage',
    onchange: () => {
      const k = Number(factor.value);
      if (factor.value.trim() === '') { ok(); setRules({ longRunningFactor: undefined }); return; }
      if (!Number.isFinite(k) || k <= 0) { fail('the factor is a number above 0, e.g. 3'); return; }
      ok();
      setRules({ longRunningFactor: k });
    },
  }));

  const list = h('ul', { className: 'ml-alert-rules', 'data-testid': 'alert-rules' });
  const newName = /** @type {HTMLInputElement} */ (h('input', {
    type: 'text', 'data-testid': 'alert-new-name', placeholder: 'name (e.g. low accuracy)', 'aria-label': 'Rule name',
  }));
  const newQuery = /** @type {HTMLInputElement} */ (h('input', {
    type: 'text', 'data-testid': 'alert-new-query', className: 'ml-alert-query', placeholder: 'property:accuracy<0.9', 'aria-label': 'Rule query',
  }));

  /**
   * Checks a rule with the core's parser; on an error shows it with its position.
   * @param {string} name @param {string} query @param {number} [except] the rule being edited
   * @returns {boolean}
   */
  function valid(name, query, except) {
    if (!query.trim()) { fail('a rule needs a query, e.g. property:accuracy<0.9 or duration>1h AND stage:Train'); return false; }
    const problem = checkAlertRule(query);
    if (problem) {
      const chars = Array.from(query);
      const at = Math.min(problem.position, chars.length);
      fail(`${problem.message} — at ${at + 1}: ${chars.slice(0, at).join('')}▸${chars.slice(at).join('')}`);
      return false;
    }
    const n = (name.trim() || query.trim()).toLowerCase();
    if (language().builtInAlerts.includes(n)) { fail(`'${n}' is a built-in alert; choose another name`); return false; }
    if (ctx.alerts().rules.some((r, i) => i !== except && r.name.toLowerCase() === n)) { fail(`a rule named '${n}' exists`); return false; }
    ok();
    return true;
  }

  const add = h('button', {
    type: 'submit', className: 'ml-button', 'data-testid': 'alert-add',
  }, 'Add rule');
  const form = h('form', {
    className: 'ml-alert-add',
    onsubmit: (/** @type {Event} */ e) => {
      e.preventDefault();
      const rules = ctx.alerts().rules;
      if (rules.length >= MAX_ALERT_RULES) { fail(`at most ${MAX_ALERT_RULES} rules`); return; }
      if (!valid(newName.value, newQuery.value)) return;
      const query = newQuery.value.trim();
      setRules({ rules: [...rules, { name: newName.value.trim() || query, query }] });
      newName.value = '';
      newQuery.value = '';
    },
  }, newName, newQuery, add);

  const alerted = /** @type {HTMLInputElement} */ (h('input', {
    type: 'checkbox', id: `${uid}-alerted`, 'data-testid': 'alerted-only',
    onchange: () => ctx.set({ alerted: alerted.checked }),
  }));
  const summaryText = h('span', {});
  const panel = /** @type {HTMLDetailsElement} */ (h('details', { className: 'ml-alerts-panel', 'data-testid': 'alerts-panel' },
    h('summary', {}, summaryText),
    h('div', { className: 'ml-alert-builtins' },
      h('label', { for: failed.id }, failed, ' Failed executions'),
      h('label', { for: longer.id }, 'Ran longer than ', longer),
      h('label', { for: factor.id }, 'or ', factor, ' × its stage median')),
    list, form, error,
    h('p', { className: 'ml-alert-note' }, 'Rules are evaluated on this file, in this page; they are saved in the link (URL). Search with alert:any, alert:failed, alert:long-running or alert:"name".')));
  const el = h('div', { className: 'ml-alerts', 'data-testid': 'alerts' }, panel,
    h('label', { className: 'ml-alerted-toggle', for: alerted.id, title: 'List only the executions an alert flags (alert:any)' }, alerted, ' ⚠ Alerted only'));

  /** One rule's row: its name and query, editable, and Remove. */
  function ruleRow(rule, i) {
    const name = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: rule.name, 'aria-label': `Name of rule ${i + 1}`, 'data-testid': 'alert-rule-name' }));
    const query = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: rule.query, className: 'ml-alert-query', 'aria-label': `Query of rule ${i + 1}`, 'data-testid': 'alert-rule-query' }));
    const save = () => {
      if (name.value === rule.name && query.value === rule.query) return;
      if (!valid(name.value, query.value, i)) return;
      const rules = [...ctx.alerts().rules];
      rules[i] = { name: name.value.trim() || query.value.trim(), query: query.value.trim() };
      setRules({ rules });
    };
    name.addEventListener('change', save);
    query.addEventListener('change', save);
    return h('li', { 'data-testid': 'alert-rule', 'data-name': rule.name },
      h('span', { className: 'ml-alert-mark', 'aria-hidden': 'true' }, '⚠'), name, query,
      h('button', {
        type: 'button', className: 'ml-button ml-alert-remove', 'data-testid': 'alert-remove', title: `Remove the rule '${rule.name}'`,
        onclick: () => { ok(); setRules({ rules: ctx.alerts().rules.filter((_, j) => j !== i) }); },
      }, 'Remove'));
  }

  let drawn = '';
  return {
    el,
    /** @param {{ state: import('../widget.js').ViewState }} args */
    update({ state }) {
      const a = state.alerts;
      failed.checked = a.failed;
      alerted.checked = state.alerted;
      if (document.activeElement !== longer) longer.value = a.longRunningMs ? formatDuration(a.longRunningMs).replace(/\s+/g, '') : '';
      if (document.activeElement !== factor) factor.value = a.longRunningFactor ? String(a.longRunningFactor) : '';
      const parts = [a.failed && 'failed', a.longRunningMs && `> ${formatDuration(a.longRunningMs)}`,
        a.longRunningFactor && `> ${a.longRunningFactor} × median`, ...a.rules.map((r) => r.name)].filter(Boolean);
      setText(summaryText, `⚠ Alerts: ${parts.length ? parts.join(' · ') : 'none'}`);
      const key = JSON.stringify(a.rules);
      if (key !== drawn) { drawn = key; list.replaceChildren(...a.rules.map(ruleRow)); }
    },
  };
}
