// The compare dialog: `store.compare(ids, { baseline })` for 2–5 executions side by side —
// a header per execution, the groups the core makes (Parameters, Metrics, Artifacts, Git,
// Timing, and Bookkeeping folded), deltas against a baseline the user picks, best marks, and
// the core's SVG chart (`store.compareChart`). The diff and the chart are the store's; this
// only draws them. Every store call goes through `fetchComparison`, awaited, so the view works
// the same when the store answers from a Web Worker (a Promise) or in the page (a value).
import { dialogFocus, h } from '../dom.js';
import { formatDuration, formatTime, formatValue } from '../format.js';
import { statusBadge } from './details.js';
import { language } from '../language.js';

/** How the chart selector names the charts the core draws (`language().compareCharts`). */
const CHART_LABELS = { metrics: 'Metrics', duration: 'Duration', parallel: 'Parameters → metric' };
/** @param {string} kind */
const chartLabel = (kind) => CHART_LABELS[/** @type {keyof typeof CHART_LABELS} */ (kind)] ?? kind;

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
 * A percentage delta as `+16.1%` / `−13.9%`.
 * @param {number} p
 */
export function formatPercent(p) {
  const v = Number(p.toFixed(1));
  if (v === 0) return '±0%';
  return `${v > 0 ? '+' : '−'}${Math.abs(v)}%`;
}

/**
 * The core's SVG chart as an element: parsed as SVG (never as HTML), with anything that
 * could run stripped defensively — the core escapes its text and writes no script or event
 * attribute, this makes sure.
 * @param {string} text
 * @returns {Element|null}
 */
export function parseChart(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  for (const n of [...svg.querySelectorAll('script, foreignObject, iframe, a, image, use')]) n.remove();
  for (const n of [svg, ...svg.querySelectorAll('*')]) {
    for (const a of [...n.attributes]) {
      if (/^on/i.test(a.name) || /href$/i.test(a.name) || a.name === 'style') n.removeAttribute(a.name);
    }
  }
  return document.importNode(svg, true);
}

/**
 * Asks the store for the comparison and the chart — the one place this view calls the
 * store, awaited, so a store in a Web Worker (Promises) works as the in-page one (values).
 * @param {import('../widget.js').ViewContext['store']} store
 * @param {number[]} ids
 * @param {{ baseline?: number, chart: string, metric?: string, alerts: import('../widget.js').AlertRules }} opts
 * @returns {Promise<{ comparison: import('../../pkg/mlmd_lens.js').Comparison, chart: string, flags: Map<number, string[]> }>}
 */
async function fetchComparison(store, ids, { baseline, chart, metric, alerts }) {
  // The alerts of the compared executions, from the same rules as the table's markers.
  const flagged = store.executions({ query: ids.map((i) => `id=${i}`).join(' OR '), alerts, limit: ids.length })
    .then((p) => new Map(p.rows.map((r) => [r.id, r.alerts])), () => new Map());
  const [comparison, svg, flags] = await Promise.all([
    store.compare(ids, { baseline }),
    store.compareChart(ids, chart, { baseline, metric }),
    flagged,
  ]);
  return { comparison, chart: svg, flags };
}

/**
 * Asks the store for one metric against one parameter over the current search, and its
 * chart (awaited, as `fetchComparison`).
 * @param {import('../widget.js').ViewContext['store']} store
 * @param {Record<string, string>} filters the page's current search and filters
 * @param {string|undefined} metric
 * @param {string|undefined} parameter
 * @returns {Promise<{ scatter: import('../../pkg/mlmd_lens.js').MetricScatter, chart: string }>}
 */
async function fetchScatter(store, filters, metric, parameter) {
  const [scatter, chart] = await Promise.all([
    store.metricScatter(filters, metric, parameter),
    store.metricScatterChart(filters, metric, parameter),
  ]);
  return { scatter, chart };
}

/**
 * A compared value: missing values say so, objects are compact JSON, durations read as such.
 * @param {unknown} v
 * @param {string} property
 */
function valueCell(v, property) {
  if (v === null || v === undefined) return h('span', { className: 'ml-not-recorded' }, 'not recorded');
  if (v === '') return h('span', { className: 'ml-empty-string', title: 'an empty string' }, '');
  if (property === 'durationMs' && typeof v === 'number') return h('span', { className: 'ml-cmp-value', title: `${v} ms` }, formatDuration(v));
  if ((property === 'started' || property === 'ended') && typeof v === 'string') return h('span', { className: 'ml-cmp-value', title: v }, formatTime(v));
  return h('span', { className: 'ml-cmp-value' }, formatValue(v));
}

/** Where a metric value came from, for its tooltip. */
function sourceText(src) {
  if (!src) return '';
  return src.kind === 'execution' ? 'a property of the execution' : `${src.type} artifact #${src.id} ${src.name}`;
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
  const baselineSelect = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'compare-baseline', 'aria-label': 'Baseline execution' }));
  const chartSelect = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'compare-chart-kind', 'aria-label': 'Chart' },
    ...language().compareCharts.map((value) => h('option', { value }, chartLabel(value)))));
  // The parallel-coordinates chart's metric (shown with that chart only).
  const chartMetric = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'compare-chart-metric', 'aria-label': 'Metric of the chart' }));
  const chartMetricLabel = h('label', { className: 'ml-compare-toggle', hidden: true }, 'of ', chartMetric);
  const body = h('div', { className: 'ml-compare-body' });
  const dialog = h('div', {
    className: 'ml-compare', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId,
    'data-testid': 'compare', tabindex: '-1',
  },
  h('header', { className: 'ml-compare-head' }, title,
    h('label', { className: 'ml-compare-toggle' }, 'Baseline ', baselineSelect),
    h('label', { className: 'ml-compare-toggle' }, 'Chart ', chartSelect), chartMetricLabel,
    h('label', { className: 'ml-compare-toggle' }, onlyDiff, ' Only differences'), close),
  body);
  const el = h('div', { className: 'ml-compare-backdrop', hidden: true }, dialog);

  let shownKey = '';
  /** @type {number[]} */
  let ids = [];
  /** @type {number|undefined} */
  let baseline;
  let result = null;
  /** The alerts of each compared execution (its ⚠ in the header). @type {Map<number, string[]>} */
  let flags = new Map();
  let request = 0;
  const showDialog = dialogFocus(el);

  close.addEventListener('click', () => ctx.set({ comparing: false }));
  el.addEventListener('click', (e) => { if (e.target === el) ctx.set({ comparing: false }); });
  onlyDiff.addEventListener('change', () => {
    dialog.classList.toggle('ml-only-diff', onlyDiff.checked);
    if (result) summarize(result);
  });
  // The baseline is view state (in the URL: a shared link compares against the same one).
  baselineSelect.addEventListener('change', () => { baseline = Number(baselineSelect.value); ctx.set({ baseline }); load(); });
  chartSelect.addEventListener('change', () => load());
  chartMetric.addEventListener('change', () => load());
  // Keep Tab inside the modal dialog.
  dialog.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll('button, input, select, summary, a[href], [tabindex="0"]')]
      .filter((n) => !(/** @type {HTMLElement} */ (n).closest('[hidden]')));
    if (!focusable.length) return;
    const first = /** @type {HTMLElement} */ (focusable[0]);
    const last = /** @type {HTMLElement} */ (focusable[focusable.length - 1]);
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });

  const summaryLine = h('p', { className: 'ml-compare-summary', 'data-testid': 'compare-summary' });

  /** "3 of 17 values differ" — counts of the store's `differs` flags. */
  function summarize(r) {
    const rows = r.groups.flatMap((g) => g.rows);
    const arts = r.groups.flatMap((g) => g.artifacts);
    const metrics = r.groups.find((g) => g.kind === 'metrics')?.rows.length ?? 0;
    summaryLine.textContent = `${rows.filter((p) => p.differs).length} of ${rows.length} values differ · ${arts.filter((a) => a.differs).length} of ${arts.length} artifacts differ · ${metrics} metric${metrics === 1 ? '' : 's'}`
      + (onlyDiff.checked ? ' · showing only differences' : '');
  }

  function removeButton(id) {
    const btn = h('button', { type: 'button', className: 'ml-cmp-remove', 'aria-label': `Remove execution ${id} from the comparison`, title: 'Remove from the comparison' }, '×');
    btn.addEventListener('click', () => ctx.set({ compare: ctx.state().compare.filter((c) => c !== id) }));
    return btn;
  }

  /** The first table's header: everything about each execution. */
  function headerRow(r, corner) {
    return h('tr', { className: 'ml-cmp-headrow' },
      h('th', { scope: 'col', className: 'ml-cmp-corner' }, corner),
      ...r.executions.map((x, i) => h('th', { scope: 'col', 'data-testid': 'compare-execution', 'data-id': x.id, className: i === r.baselineIndex ? 'ml-cmp-base' : '' },
        h('div', { className: 'ml-cmp-exec' },
          h('span', { className: 'ml-cmp-id' }, `#${x.id}`),
          i === r.baselineIndex ? baseMark() : null,
          flags.get(x.id)?.length ? h('span', { className: 'ml-alert-mark', role: 'img', 'data-testid': 'compare-alert',
            title: `Alerts: ${flags.get(x.id)?.join(', ')}`, 'aria-label': `Alerts: ${flags.get(x.id)?.join(', ')}` }, '⚠') : null,
          removeButton(x.id)),
        h('div', { className: 'ml-cmp-name' }, x.name),
        h('div', {}, statusBadge(x.status)),
        h('div', { className: 'ml-cmp-meta' }, [x.pipeline, x.stage].filter(Boolean).join(' / ')),
        // The short type (the full class path on hover), when the stage does not say it.
        x.type && x.type !== x.stage ? h('div', { className: 'ml-cmp-meta', 'data-testid': 'compare-type', title: x.typeFull || x.type }, x.type) : null,
        x.gitCommitShort ? h('div', { className: 'ml-cmp-meta' }, h('code', { title: x.gitCommit }, x.gitCommitShort)) : null)));
  }

  /** The other tables' header: the ids only (the columns line up with the first table's). */
  function shortHeaderRow(r, corner) {
    return h('tr', { className: 'ml-cmp-headrow ml-cmp-short' },
      h('th', { scope: 'col', className: 'ml-cmp-corner' }, corner),
      ...r.executions.map((x, i) => h('th', { scope: 'col', 'data-id': x.id, className: i === r.baselineIndex ? 'ml-cmp-base' : '', title: x.name },
        `#${x.id} `, i === r.baselineIndex ? baseMark() : null)));
  }

  function baseMark() {
    return h('span', { className: 'ml-cmp-basemark', 'data-testid': 'compare-baseline-mark', title: 'deltas are taken against this execution' }, 'baseline');
  }

  /** One value cell: the value, its delta against the baseline (absolute and %), best mark. */
  function cell(r, row, i) {
    const d = row.deltas[i];
    const p = row.deltaPercents[i];
    const verdict = row.verdicts[i];
    const showDelta = i !== r.baselineIndex && row.differs && typeof d === 'number' && Number.isFinite(d) && Number(d.toPrecision(6)) !== 0;
    const best = row.best.includes(i);
    const base = r.executions[r.baselineIndex];
    const src = row.sources?.[i];
    return h('td', {
      'data-testid': 'compare-value', 'data-verdict': verdict,
      className: `${typeof row.values[i] === 'number' ? 'ml-num' : ''} ml-verdict-${verdict}${best ? ' ml-best' : ''}`,
      title: src ? `from ${sourceText(src)}` : undefined,
    },
    best ? h('span', { className: 'ml-best-mark', title: `best ${row.name}`, 'data-testid': 'compare-best' }, '★ ') : null,
    valueCell(row.values[i], row.property),
    showDelta ? h('small', {
      className: `ml-delta ${d > 0 ? 'ml-up' : 'ml-down'}`, 'data-testid': 'compare-delta',
      title: `difference from #${base.id}${verdict === 'better' || verdict === 'worse' ? ` (${verdict})` : ''}`,
    }, ` ${formatDelta(d)}${typeof p === 'number' && Number.isFinite(p) ? ` (${formatPercent(p)})` : ''}`) : null);
  }

  function directionMark(row) {
    if (row.direction === 'higher') return h('span', { className: 'ml-kind', title: 'higher is better' }, '↑');
    if (row.direction === 'lower') return h('span', { className: 'ml-kind', title: 'lower is better' }, '↓');
    return null;
  }

  function rowsTable(r, g, first) {
    const n = r.executions.length;
    return h('table', { className: 'ml-cmp-table', 'data-testid': `compare-${g.kind}` },
      h('thead', {}, first ? headerRow(r, g.title) : shortHeaderRow(r, g.title)),
      h('tbody', {}, ...g.rows.map((row) => h('tr', {
        'data-testid': 'compare-property', 'data-name': row.name, 'data-group': g.kind, 'data-differs': String(row.differs),
        className: row.differs ? 'ml-differs' : 'ml-same',
      },
      h('th', { scope: 'row' },
        row.differs ? h('span', { className: 'ml-diff-mark', title: 'values differ', 'aria-label': 'differs' }, '≠ ') : null,
        h('span', { className: 'ml-cmp-pname' }, row.name), ' ',
        directionMark(row),
        g.kind === 'parameters' || g.kind === 'bookkeeping' || g.kind === 'git'
          ? h('span', { className: 'ml-kind', title: row.custom ? 'custom property' : 'declared property' }, row.custom ? ' custom' : ' declared')
          : null),
      ...Array.from({ length: n }, (_, i) => cell(r, row, i))))));
  }

  function artifactsTable(r, g) {
    const n = r.executions.length;
    return h('table', { className: 'ml-cmp-table ml-cmp-artifacts', 'data-testid': 'compare-artifacts' },
      h('thead', {}, shortHeaderRow(r, 'Artifact')),
      h('tbody', {}, ...g.artifacts.map((a) => h('tr', {
        'data-testid': 'compare-artifact', 'data-key': a.key, 'data-direction': a.direction, 'data-differs': String(a.differs), 'data-change': a.change,
        className: a.differs ? 'ml-differs' : 'ml-same',
      },
      h('th', { scope: 'row' },
        a.differs ? h('span', { className: 'ml-diff-mark', title: a.change === 'partial' ? 'only in some executions' : `${a.changed.join(' and ')} differ`, 'aria-label': 'differs' }, '≠ ') : null,
        h('span', { className: `ml-dir ml-dir-${a.direction.toLowerCase()}` }, a.direction === 'INPUT' ? '▲ in' : a.direction === 'OUTPUT' ? '▼ out' : a.direction), ' ',
        h('span', { className: 'ml-cmp-key' }, a.key), ' ',
        h('span', { className: 'ml-kind' }, a.type), ' ',
        h('span', { className: 'ml-kind' }, a.change === 'same' ? 'same' : a.change === 'partial' ? 'only in some' : `changed ${a.changed.join(', ')}`)),
      ...Array.from({ length: n }, (_, i) => h('td', { 'data-testid': 'compare-version' },
        a.versions[i] === null || a.versions[i] === undefined
          ? h('span', { className: 'ml-not-recorded' }, '—')
          : h('code', { title: a.cells[i]?.uri ?? a.versions[i] }, a.versions[i])))))));
  }

  function groupSection(r, g, first) {
    const empty = g.kind === 'artifacts' ? !g.artifacts.length : !g.rows.length;
    const content = empty
      ? h('p', { className: 'ml-none' }, g.kind === 'metrics' ? 'No metrics recorded (no numeric metric property, no Metrics artifact output).' : `No ${g.title.toLowerCase()} recorded.`)
      : g.kind === 'artifacts' ? artifactsTable(r, g) : rowsTable(r, g, first);
    const count = g.kind === 'artifacts' ? g.artifacts.length : g.rows.length;
    const heading = `${g.title} (${count})`;
    if (g.folded) {
      return h('details', { className: 'ml-cmp-group ml-cmp-folded', 'data-testid': 'compare-group', 'data-kind': g.kind },
        h('summary', {}, heading, h('span', { className: 'ml-kind' }, ' recorded by the tool, not by you')), content);
    }
    return h('section', { className: 'ml-cmp-group', 'data-testid': 'compare-group', 'data-kind': g.kind },
      h('h3', {}, heading), content);
  }

  function chartFigure(svgText) {
    const svg = parseChart(svgText);
    const kind = chartSelect.value;
    return h('figure', { className: 'ml-cmp-chart', 'data-testid': 'compare-chart', 'data-kind': kind },
      svg ?? h('p', { className: 'ml-error' }, 'The chart could not be read.'),
      h('figcaption', {}, chartLabel(kind), ' — hover a bar or line for its values'));
  }

  // Across the whole search: a scatter of a metric against a parameter, and the ranking.
  const acrossMetric = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'scatter-metric', 'aria-label': 'Metric' }));
  const acrossParam = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'scatter-parameter', 'aria-label': 'Parameter' }));
  const acrossBody = h('div', { className: 'ml-cmp-across-body' });
  const across = /** @type {HTMLDetailsElement} */ (h('details', { className: 'ml-cmp-group ml-cmp-across', 'data-testid': 'compare-across' },
    h('summary', {}, 'Across the current search', h('span', { className: 'ml-kind' }, ' every matching execution: a metric against a parameter, best first')),
    h('div', { className: 'ml-cmp-across-head' },
      h('label', {}, 'Metric ', acrossMetric), h('label', {}, 'against ', acrossParam)),
    acrossBody));
  let acrossRequest = 0;
  across.addEventListener('toggle', () => { if (across.open) loadAcross(); });
  acrossMetric.addEventListener('change', () => loadAcross());
  acrossParam.addEventListener('change', () => loadAcross());

  /** Fetches and draws the scatter for the current search; a newer call wins. */
  async function loadAcross() {
    const mine = ++acrossRequest;
    let answer;
    try {
      answer = await fetchScatter(ctx.store, ctx.filters(), acrossMetric.value || undefined, acrossParam.value || undefined);
    } catch (e) {
      if (mine !== acrossRequest) return;
      const err = /** @type {any} */ (e);
      acrossBody.replaceChildren(h('p', { className: 'ml-error', role: 'alert', 'data-kind': err?.kind ?? 'error' }, err instanceof Error ? err.message : String(err)));
      return;
    }
    if (mine !== acrossRequest) return;
    const { scatter: sc, chart } = answer;
    const options = (select, names, chosen) => {
      select.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
      select.value = chosen;
    };
    options(acrossMetric, sc.metrics, sc.metric);
    options(acrossParam, sc.parameters, sc.parameter);
    const svg = parseChart(chart);
    const top = sc.ranking.slice(0, 10);
    acrossBody.replaceChildren(...[
      h('figure', { className: 'ml-cmp-chart', 'data-testid': 'compare-scatter' }, svg ?? h('p', { className: 'ml-error' }, 'The chart could not be read.')),
      top.length ? h('ol', { className: 'ml-cmp-ranking', 'data-testid': 'compare-ranking', 'aria-label': `Best by ${sc.metric}` },
        ...top.map((i) => h('li', { 'data-id': sc.ids[i] },
          h('span', { className: 'ml-cmp-id' }, `#${sc.ids[i]} `), sc.names[i], ' — ',
          h('strong', {}, formatValue(sc.y[i])),
          h('span', { className: 'ml-kind' }, ` ${sc.parameter} = ${sc.x[i] === null ? 'not recorded' : formatValue(sc.x[i])}`)))) : null,
      sc.considered < sc.total ? h('p', { className: 'ml-none' }, `The first ${sc.considered} of ${sc.total} matching executions were read.`) : null,
    ].filter((n) => n !== null));
  }

  function showError(e) {
    const err = /** @type {any} */ (e);
    body.replaceChildren(h('p', { className: 'ml-error', role: 'alert', 'data-testid': 'compare-error', 'data-kind': err?.kind ?? 'error' },
      err instanceof Error ? err.message : String(err)));
  }

  /** Fetches and draws the comparison of `ids` against `baseline`; a newer call wins. */
  async function load() {
    const mine = ++request;
    body.setAttribute('aria-busy', 'true');
    let answer;
    try {
      const metric = chartSelect.value === 'parallel' && chartMetric.value ? chartMetric.value : undefined;
      answer = await fetchComparison(ctx.store, ids, { baseline, chart: chartSelect.value, metric, alerts: ctx.alerts() });
    } catch (e) {
      if (mine === request) { result = null; showError(e); body.removeAttribute('aria-busy'); }
      return;
    }
    if (mine !== request) return;
    flags = answer.flags;
    draw(answer.comparison, answer.chart);
    body.removeAttribute('aria-busy');
  }

  function draw(r, svgText) {
    result = r;
    baseline = r.baseline;
    baselineSelect.replaceChildren(...r.executions.map((x) => h('option', { value: x.id }, `#${x.id} ${x.name}`)));
    baselineSelect.value = String(r.baseline);
    const metricNames = (r.groups.find((g) => g.kind === 'metrics')?.rows ?? []).map((m) => m.name);
    const keep = metricNames.includes(chartMetric.value) ? chartMetric.value : metricNames[0] ?? '';
    chartMetric.replaceChildren(...metricNames.map((n) => h('option', { value: n }, n)));
    chartMetric.value = keep;
    chartMetricLabel.hidden = chartSelect.value !== 'parallel' || !metricNames.length;
    summarize(r);
    dialog.style.setProperty('--ml-cmp-cols', String(r.executions.length));
    dialog.dataset.baseline = String(r.baseline);
    // The first group with rows carries the full execution headers.
    const first = r.groups.find((g) => g.rows.length)?.kind;
    body.replaceChildren(summaryLine, chartFigure(svgText), ...r.groups.map((g) => groupSection(r, g, g.kind === first)), across);
    if (across.open) loadAcross();
  }

  function show(next) {
    result = null;
    ids = next;
    if (!ids.includes(/** @type {number} */ (baseline))) baseline = undefined;
    title.textContent = `Compare ${ids.length} executions`;
    const { min, max } = language().compare;
    if (ids.length < min) {
      request++;
      body.replaceChildren(h('p', { className: 'ml-error', role: 'alert', 'data-testid': 'compare-error', 'data-kind': 'invalid-argument' },
        `Select ${min} to ${max} executions to compare.`));
      return;
    }
    load();
  }

  return {
    el,
    /** @param {{ state: import('../widget.js').ViewState }} args */
    update({ state }) {
      const open = state.comparing;
      if (!open) {
        showDialog(false, close);
        shownKey = '';
        return;
      }
      showDialog(true, close);
      const key = state.compare.join(',');
      if (key !== shownKey) {
        shownKey = key;
        baseline = state.baseline ?? undefined;
        show(state.compare);
      }
    },
  };
}
