//! The HTML report: one self-contained page (no script, no network; every text from the
//! file escaped) with the title, store and date, the query, the dashboard figures, the
//! status chart, the table, the details of the chosen executions and, for 2–5 of them,
//! the compare charts (the plotters SVG, as images).

use std::fmt::Write as _;

use base64::Engine as _;

use crate::features::stats::Stats;
use crate::features::timeline::Timeline;
use crate::model::{Artifact, ExecutionDetails, ExecutionRow};

/// Everything a report shows, gathered by the façade.
#[derive(Debug)]
pub(crate) struct Report<'a> {
    /// The store's name (file name).
    pub store_name: &'a str,
    /// When the report was made, ISO 8601 UTC.
    pub made: String,
    /// What the executions are (the query and filters, or "all executions").
    pub scope: String,
    /// The dashboard figures of the executions reported.
    pub stats: Stats,
    /// The table's rows, in order.
    pub rows: Vec<ExecutionRow>,
    /// The executions shown in full.
    pub details: Vec<ExecutionDetails>,
    /// Why these details (the selection, or the first N of how many).
    pub details_note: String,
    /// Compare charts: a title and the SVG text.
    pub charts: Vec<(String, String)>,
    /// The executions' bars in time, one lane per pipeline and stage.
    pub timeline: Timeline,
}

/// `text` with `& < > " '` escaped, for element content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report's stylesheet: screen and print.
const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}\
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ccd}\
h3{font-size:1rem;margin:1rem 0 .25rem}.meta{color:#555;margin:0}\
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border:1px solid #ccd;padding:2px 6px;text-align:left;vertical-align:top}\
th{background:#eef}td.num{text-align:right;font-variant-numeric:tabular-nums}\
dl.figures{display:flex;flex-wrap:wrap;gap:.5rem 2rem}dl.figures div{min-width:8rem}dt{color:#555;font-size:12px}dd{margin:0;font-size:1.2rem}\
img{max-width:100%}.note{color:#555;font-style:italic}section.exec{break-inside:avoid}\
@media print{body{margin:0}h2{break-after:avoid}thead{display:table-header-group}tr{break-inside:avoid}}";

/// A duration in ms as text (`1.5 s`, `2 min 3 s`, `—`).
fn duration(ms: Option<i64>) -> String {
    match ms {
        None => "—".into(),
        Some(ms) if ms < 1000 => format!("{ms} ms"),
        Some(ms) if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        Some(ms) if ms < 3_600_000 => format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000),
        Some(ms) => format!("{} h {} min", ms / 3_600_000, (ms % 3_600_000) / 60_000),
    }
}

/// A rate as a percentage, `—` when there is none.
fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1} %", r * 100.0)).unwrap_or_else(|| "—".into())
}

/// The status counts as an SVG bar chart (drawn here: labels escaped).
fn status_chart(stats: &Stats) -> String {
    let counts = &stats.overall.by_status;
    let max = counts.values().copied().max().unwrap_or(0).max(1);
    let (bar_h, label_w, width) = (22, 110, 520);
    let height = bar_h * counts.len().max(1) + 8;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Executions per status\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    for (i, (label, n)) in counts.iter().enumerate() {
        let y = 4 + i * bar_h;
        let w = (width - label_w - 60) * n / max;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\" font-size=\"13\">{l}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bh}\" fill=\"{c}\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"13\">{n}</text>",
            ty = y + 15,
            l = escape(label),
            c = status_colour(label),
            bh = bar_h - 6,
            tx = label_w + w + 6,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A status's bar colour (the viewer's palette).
fn status_colour(label: &str) -> &'static str {
    match label {
        "Completed" => "#3b9a57",
        "Failed" => "#d64545",
        "Running" => "#3f7fd0",
        "Cached" => "#9a6fd0",
        "Canceled" => "#8a8f98",
        "Pending" => "#c9a23a",
        _ => "#6b7280",
    }
}

/// The timeline as an SVG: one lane per pipeline/stage, a bar per execution from its
/// start to its end (a thin mark when it has not ended), coloured by status.
fn timeline_chart(t: &Timeline) -> String {
    if t.ids.is_empty() || !t.min.is_finite() || !t.max.is_finite() {
        return "<p class=\"note\">No execution has a start time.</p>".into();
    }
    let (label_w, lane_h, width) = (220.0, 18.0, 900.0);
    let plot_w = width - label_w - 10.0;
    let span = (t.max - t.min).max(1.0);
    let x = |ms: f64| label_w + (ms - t.min) / span * plot_w;
    let height = lane_h * t.lanes.len() as f64 + 24.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Timeline\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    for (i, lane) in t.lanes.iter().enumerate() {
        let y = i as f64 * lane_h;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"11\">{}</text>",
            y + 13.0,
            escape(lane)
        );
    }
    for i in 0..t.ids.len() {
        let start = t.start[i];
        if !start.is_finite() {
            continue;
        }
        let end = if t.end[i].is_finite() { t.end[i] } else { start };
        let (x0, x1) = (x(start), x(end));
        let y = t.lane[i] as f64 * lane_h + 3.0;
        let label = t.statuses.get(t.status[i] as usize).copied().unwrap_or("Unknown");
        let _ = write!(
            svg,
            "<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>#{} {label}</title></rect>",
            (x1 - x0).max(2.0),
            lane_h - 6.0,
            status_colour(label),
            t.ids[i],
        );
    }
    let base = t.lanes.len() as f64 * lane_h + 16.0;
    let when = |ms: f64| crate::time::iso_from_ms(ms as i64).unwrap_or_default();
    let _ = write!(
        svg,
        "<text x=\"{label_w}\" y=\"{base:.1}\" font-size=\"11\">{}</text><text x=\"{width}\" y=\"{base:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text></svg>",
        when(t.min),
        when(t.max)
    );
    svg
}

/// The table's header and one row per execution.
fn table(rows: &[ExecutionRow]) -> String {
    let mut out = String::from(
        "<table><thead><tr><th>Execution ID</th><th>Name</th><th>Pipeline</th><th>Context/Stage</th><th>Status</th><th>Started</th><th>Ended</th><th>Duration</th><th>Git Commit</th></tr></thead><tbody>",
    );
    for r in rows {
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            r.id,
            escape(&r.name),
            escape(&r.pipeline),
            escape(&r.stage),
            r.status.label(),
            escape(r.started.as_deref().unwrap_or("—")),
            escape(r.ended.as_deref().unwrap_or("—")),
            duration(r.duration_ms),
            escape(&r.git_commit_short),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// A list of artifacts as a small table.
fn artifacts(title: &str, list: &[Artifact]) -> String {
    if list.is_empty() {
        return format!("<p class=\"note\">No {}.</p>", title.to_lowercase());
    }
    let mut out = format!(
        "<h4>{title}</h4><table><thead><tr><th>ID</th><th>Name</th><th>Type</th><th>URI</th></tr></thead><tbody>"
    );
    for a in list {
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            a.id,
            escape(&a.display_name),
            escape(&a.type_name),
            escape(&a.uri)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// One execution in full: its row, properties and artifacts.
fn details(d: &ExecutionDetails) -> String {
    let r = &d.row;
    let mut out = format!(
        "<section class=\"exec\"><h3>#{} {}</h3><p class=\"meta\">{} · {} · {} · {}</p>",
        r.id,
        escape(&r.name),
        escape(&r.type_name),
        escape(&r.pipeline),
        r.status.label(),
        duration(r.duration_ms)
    );
    let props: Vec<_> = d
        .props
        .properties
        .iter()
        .map(|(k, v)| (k, v, "declared"))
        .chain(d.props.custom_properties.iter().map(|(k, v)| (k, v, "custom")))
        .collect();
    if props.is_empty() {
        out.push_str("<p class=\"note\">No properties.</p>");
    } else {
        out.push_str(
            "<h4>Properties</h4><table><thead><tr><th>Name</th><th>Value</th><th>Kind</th></tr></thead><tbody>",
        );
        for (k, v, kind) in props {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{kind}</td></tr>",
                escape(k),
                escape(&v.as_text())
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str(&artifacts("Inputs", &d.inputs));
    out.push_str(&artifacts("Outputs", &d.outputs));
    out.push_str("</section>");
    out
}

/// The report as one HTML page. It has no script and loads nothing (its CSP says so):
/// charts are inline SVG drawn from escaped text, or `data:` images.
pub(crate) fn report_html(r: &Report) -> String {
    let title = format!("MLMD report — {}", r.store_name);
    let o = &r.stats.overall;
    let mut out = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
<meta name=\"generator\" content=\"mlmd-lens {version}\"><title>{t}</title><style>{STYLE}</style></head><body>\
<h1>{t}</h1><p class=\"meta\">Made {made} by mlmd-lens {version}</p><p class=\"meta\">Executions: {scope}</p>",
        version = env!("CARGO_PKG_VERSION"),
        t = escape(&title),
        made = escape(&r.made),
        scope = escape(&r.scope),
    );
    let _ = write!(
        out,
        "<h2>Figures</h2><dl class=\"figures\"><div><dt>Executions</dt><dd>{}</dd></div>\
<div><dt>Success rate</dt><dd>{}</dd></div><div><dt>Failure rate</dt><dd>{}</dd></div>\
<div><dt>Median duration</dt><dd>{}</dd></div><div><dt>95th percentile</dt><dd>{}</dd></div>\
<div><dt>Pipelines</dt><dd>{}</dd></div><div><dt>Stages</dt><dd>{}</dd></div></dl>",
        o.total,
        rate(o.success_rate),
        rate(o.failure_rate),
        duration(o.duration.median_ms),
        duration(o.duration.p95_ms),
        r.stats.by_pipeline.len(),
        r.stats.by_stage.len(),
    );
    let _ = write!(out, "<h2>Status</h2>{}", status_chart(&r.stats));
    let _ = write!(out, "<h2>Executions ({})</h2>{}", r.rows.len(), table(&r.rows));
    let _ = write!(out, "<h2>Timeline</h2>{}", timeline_chart(&r.timeline));
    if !r.charts.is_empty() {
        out.push_str("<h2>Compare</h2>");
        for (t, svg) in &r.charts {
            let data = base64::engine::general_purpose::STANDARD.encode(svg);
            let _ = write!(
                out,
                "<h3>{t}</h3><img alt=\"{t}\" src=\"data:image/svg+xml;base64,{data}\">",
                t = escape(t)
            );
        }
    }
    let _ = write!(out, "<h2>Details</h2><p class=\"note\">{}</p>", escape(&r.details_note));
    for d in &r.details {
        out.push_str(&details(d));
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
