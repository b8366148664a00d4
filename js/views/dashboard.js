// The dashboard strip: the store's `stats()` for the current filters — success and failure
// rates, durations, throughput, a per-day (or per-hour) bar chart, the status distribution
// and the same figures per pipeline and per stage. Every number comes from the store.
import { h } from '../dom.js';
import { statuses, formatDuration, formatNumber } from '../format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const NO_END = 'no execution of this selection recorded an end state';

/**
 * A rate (0..1 or null) as a percentage; null is "—" (nothing finished: nothing to rate).
 * @param {number|null|undefined} r
 * @returns {string}
 */
export function formatRate(r) {
  if (r === null || r === undefined || Number.isNaN(r)) return '—';
  const p = r * 100;
  return `${p === 100 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/**
 * A rate cell / card value, with the explanation when it is null.
 * @param {number|null} r
 * @param {Record<string, any>} [attrs]
 */
function rateEl(r, attrs = {}) {
  return h('span', { ...attrs, title: r === null || r === undefined ? NO_END : attrs.title, 'data-value': r ?? '' }, formatRate(r));
}

const num = formatNumber;

/**
 * The dashboard view.
 * @param {import('../widget.js').ViewContext} ctx
 */
export function createDashboard(ctx) {
  // Long by design: a view factory is the dashboard's closure (its elements, its state and
  // the handlers that share them); each inner function does one job and stays short.
  const cards = h('div', { className: 'ml-dash-cards' });
  const chartTitle = h('span', { className: 'ml-dash-chart-title' });
  const unitBtn = h('button', { type: 'button', className: 'ml-dash-unit', 'data-testid': 'dashboard-unit' });
  const chart = h('div', { className: 'ml-dash-chart', 'data-testid': 'dashboard-chart' });
  const chartAxis = h('div', { className: 'ml-dash-chart-axis' });
  const bar = h('div', { className: 'ml-dash-statusbar', 'data-testid': 'dashboard-statusbar', role: 'img' });
  const legend = h('ul', { className: 'ml-dash-legend', 'data-testid': 'dashboard-legend' });
  const groups = h('div', { className: 'ml-dash-groups' });
  const more = /** @type {HTMLDetailsElement} */ (h('details', { className: 'ml-dash-more', 'data-testid': 'dashboard-groups' },
    h('summary', {}, 'By pipeline and by stage'), groups));
  const alertStrip = h('div', { className: 'ml-dash-alerts', 'data-testid': 'dashboard-alerts' });
  const el = h('section', { className: 'ml-dashboard', 'data-testid': 'dashboard', 'aria-label': 'Execution metrics' },
    cards, alertStrip,
    h('div', { className: 'ml-dash-row' },
      h('div', { className: 'ml-dash-panel ml-dash-time' },
        h('div', { className: 'ml-dash-panel-head' }, chartTitle, unitBtn), chart, chartAxis),
      h('div', { className: 'ml-dash-panel ml-dash-status' },
        h('div', { className: 'ml-dash-panel-head' }, h('span', { className: 'ml-dash-chart-title' }, 'Status')), bar, legend)),
    more);

  /** 'day' | 'hour' | null (automatic: per hour when everything fits in a couple of days). */
  let unit = /** @type {'day'|'hour'|null} */ (null);
  let last = null;
  unitBtn.addEventListener('click', () => {
    unit = currentUnit(last) === 'day' ? 'hour' : 'day';
    if (last) drawChart(last);
  });

  const currentUnit = (stats) => unit ?? (stats && stats.perDay.length < 3 && stats.perHour.length > 1 ? 'hour' : 'day');

  /**
   * A metric card.
   * @param {string} key
   * @param {string} label
   * @param {Node|string} value
   * @param {string} title
   */
  const card = (key, label, value, title) => h('div', { className: 'ml-dash-card', 'data-testid': `dash-${key}`, title },
    h('span', { className: 'ml-dash-value' }, value), h('span', { className: 'ml-dash-label' }, label));

  function drawCards(s) {
    const d = s.duration;
    cards.replaceChildren(
      card('total', 'executions', h('span', { 'data-value': s.total }, num(s.total)),
        `${s.total} executions match the filters; ${s.finished} recorded an end state (completed, failed, cached or canceled)`),
      card('success', 'success rate', rateEl(s.successRate),
        s.successRate === null ? NO_END : `(Completed + Cached) / finished = ${((s.byStatus.Completed ?? 0) + (s.byStatus.Cached ?? 0))} / ${s.finished}`),
      card('failure', 'failure rate', rateEl(s.failureRate),
        s.failureRate === null ? NO_END : `Failed / finished = ${s.byStatus.Failed ?? 0} / ${s.finished}`),
      card('avg', 'avg duration', h('span', { 'data-value': d.avgMs ?? '' }, formatDuration(d.avgMs)),
        `mean over the ${d.count} executions with a start and an end`),
      card('median', 'median', h('span', { 'data-value': d.medianMs ?? '' }, formatDuration(d.medianMs)),
        `median duration (p50); shortest ${formatDuration(d.minMs)}`),
      card('p95', 'p95', h('span', { 'data-value': d.p95Ms ?? '' }, formatDuration(d.p95Ms)),
        `95th percentile duration; longest ${formatDuration(d.maxMs)}`),
      card('throughput', 'per day', h('span', { 'data-value': s.throughputPerDay ?? '' }, s.throughputPerDay === null || s.throughputPerDay === undefined ? '—' : num(s.throughputPerDay)),
        `executions per day over the days with executions; ${s.throughputPerHour === null || s.throughputPerHour === undefined ? '—' : num(s.throughputPerHour)} per hour`));
  }

  function drawChart(s) {
    const u = currentUnit(s);
    const buckets = u === 'day' ? s.perDay : s.perHour;
    chartTitle.textContent = `Executions per ${u} (UTC)`;
    unitBtn.textContent = u === 'day' ? 'per hour' : 'per day';
    unitBtn.title = `Show executions per ${u === 'day' ? 'hour' : 'day'}`;
    if (!buckets.length) {
      chart.replaceChildren(h('p', { className: 'ml-none' }, 'No start times recorded.'));
      chartAxis.replaceChildren();
      return;
    }
    const max = Math.max(...buckets.map((b) => b.count), 1);
    const n = buckets.length;
    // At least 14 slots, so one or two buckets are bars, not a filled box; centred.
    const slots = Math.max(n, 14);
    const bw = 10;
    const W = slots * bw;
    const offset = ((slots - n) * bw) / 2;
    const root = document.createElementNS(SVG_NS, 'svg');
    root.setAttribute('viewBox', `0 0 ${W} 100`);
    root.setAttribute('preserveAspectRatio', 'none');
    root.setAttribute('role', 'img');
    root.setAttribute('aria-label', `Executions per ${u}: ${n} ${u}s, at most ${max} in one ${u}`);
    for (let i = 0; i < n; i++) {
      const b = buckets[i];
      const hgt = b.count ? Math.max((b.count / max) * 96, 2) : 0;
      const r = document.createElementNS(SVG_NS, 'rect');
      r.setAttribute('x', String(offset + i * bw + bw * 0.1));
      r.setAttribute('width', String(bw * 0.8));
      r.setAttribute('y', String(100 - hgt));
      r.setAttribute('height', String(hgt));
      r.setAttribute('class', 'ml-dash-bar');
      const t = document.createElementNS(SVG_NS, 'title');
      t.textContent = `${u === 'day' ? b.start.slice(0, 10) : `${b.start.slice(0, 10)} ${b.start.slice(11, 16)} UTC`}: ${b.count} executions`;
      r.append(t);
      root.append(r);
    }
    chart.replaceChildren(root);
    const fmt = (b) => (u === 'day' ? b.start.slice(0, 10) : `${b.start.slice(5, 10)} ${b.start.slice(11, 16)}`);
    if (n < slots) {
      chartAxis.replaceChildren(h('span', {}, n === 1 ? fmt(buckets[0]) : `${fmt(buckets[0])} – ${fmt(buckets[n - 1])}`), h('span', {}, `max ${max}`));
    } else {
      chartAxis.replaceChildren(h('span', {}, fmt(buckets[0])), h('span', {}, `max ${max}`), h('span', {}, fmt(buckets[n - 1])));
    }
  }

  function drawStatus(s, state) {
    const total = s.total || 0;
    bar.replaceChildren(...statuses().filter((st) => s.byStatus[st.label]).map((st) => {
      const c = s.byStatus[st.label];
      const seg = h('span', { className: `ml-seg ml-sw-${st.cls}`, title: `${st.label}: ${c} (${formatRate(c / total)}) — ${st.meaning}` });
      seg.style.flexGrow = String(c);
      return seg;
    }));
    bar.setAttribute('aria-label', statuses().filter((st) => s.byStatus[st.label]).map((st) => `${st.label} ${s.byStatus[st.label]}`).join(', ') || 'no executions');
    legend.replaceChildren(...statuses().map((st) => {
      const c = s.byStatus[st.label] ?? 0;
      const active = state.status.toLowerCase() === st.label.toLowerCase();
      const btn = h('button', {
        type: 'button', className: `ml-dash-legend-item${c ? '' : ' ml-zero'}${active ? ' ml-active' : ''}`,
        title: `${st.meaning}. ${active ? 'Click to show every status' : `Click to show only ${st.label}`}`,
        'aria-pressed': String(active), 'data-status': st.label, 'data-count': c,
      },
      h('span', { className: `ml-swatch ml-sw-${st.cls}`, 'aria-hidden': 'true' }),
      h('span', { className: `ml-status ml-status-${st.cls}` }, h('span', { 'aria-hidden': 'true' }, st.icon), ' ', st.label),
      h('span', { className: 'ml-dash-count' }, num(c)));
      btn.addEventListener('click', () => ctx.set({ status: active ? '' : st.label }));
      return h('li', {}, btn);
    }));
  }

  /**
   * The per-pipeline or per-stage table.
   * @param {string} title
   * @param {any[]} rows
   * @param {string} key
   */
  function groupTable(title, rows, key) {
    return h('table', { className: 'ml-dash-table', 'data-testid': `dashboard-by-${key}` },
      h('caption', {}, title),
      h('thead', {}, h('tr', {}, ...['Name', 'Total', 'Success rate', 'Failure rate', 'Avg duration', 'p95'].map((c, i) =>
        h('th', { scope: 'col', className: i ? 'ml-num' : '' }, c)))),
      h('tbody', {}, ...rows.map((g) => h('tr', { 'data-name': g.name },
        h('th', { scope: 'row' }, g.name || h('span', { className: 'ml-not-recorded' }, '(none)')),
        h('td', { className: 'ml-num' }, num(g.total)),
        h('td', { className: 'ml-num' }, rateEl(g.successRate)),
        h('td', { className: 'ml-num' }, rateEl(g.failureRate)),
        h('td', { className: 'ml-num' }, formatDuration(g.duration.avgMs)),
        h('td', { className: 'ml-num' }, formatDuration(g.duration.p95Ms))))));
  }

  /**
   * The alert counts: one button per alert, which lists its executions in the table.
   * @param {import('../widget.js').ViewState} state
   * @param {import('../../pkg/mlmd_lens.js').AlertSummary} summary
   */
  function drawAlerts(state, summary) {
    if (!summary.alerts.length) { alertStrip.replaceChildren(); return; }
    const q = state.query.trim();
    alertStrip.replaceChildren(
      h('span', { className: 'ml-dash-alerts-title', 'data-testid': 'dash-alerts-any', 'data-count': summary.any },
        '⚠ ', num(summary.any), ' alerted'),
      ...summary.alerts.map((a) => {
        const active = q === a.term || q.endsWith(` ${a.term}`);
        const btn = h('button', {
          type: 'button', className: `ml-dash-alert${a.count ? '' : ' ml-zero'}${active ? ' ml-active' : ''}`,
          'data-testid': 'dash-alert', 'data-name': a.name, 'data-count': a.count, 'aria-pressed': String(active),
          title: `${a.count} of these executions flagged by '${a.name}'. Click to list them (${a.term})`,
        }, h('span', { className: 'ml-dash-alert-name' }, a.name), ' ', h('span', { className: 'ml-dash-count' }, num(a.count)));
        btn.addEventListener('click', () => {
          if (active) return;
          ctx.set({ query: q ? `${q} ${a.term}` : a.term, tab: 'table' });
        });
        return btn;
      }));
  }

  return {
    el,
    /** @param {{ state: import('../widget.js').ViewState, alerts: import('../../pkg/mlmd_lens.js').AlertSummary }} args */
    updateAlerts({ state, alerts }) {
      drawAlerts(state, alerts);
    },
    /** @param {{ state: import('../widget.js').ViewState, stats: import('../widget.js').Stats }} args */
    update({ state, stats }) {
      last = stats;
      drawCards(stats);
      drawChart(stats);
      drawStatus(stats, state);
      // The tables are built only while open (they can be long).
      const fill = () => groups.replaceChildren(
        groupTable(`By pipeline (${stats.byPipeline.length})`, stats.byPipeline, 'pipeline'),
        groupTable(`By stage (${stats.byStage.length})`, stats.byStage, 'stage'));
      if (more.open) fill();
      more.ontoggle = () => { if (more.open) fill(); };
    },
  };
}
