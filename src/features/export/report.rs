//! The report: what it says and in which order, as a document of blocks
//! ([`mlmd_lens_report_doc::Doc`]) — title, store and date, the query, the dashboard
//! figures, the status chart, the table, the timeline, the compare charts and the details
//! of the chosen executions. The HTML writer ([`super::html`]) and the PDF module
//! (`mlmd-lens-report-pdf`) draw the same document.

use std::fmt::Write as _;

use mlmd_lens_report_doc::{Block, Column, Doc, Figure};

use super::html::escape;
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
fn timeline_chart(t: &Timeline) -> Option<String> {
    if t.ids.is_empty() || !t.min.is_finite() || !t.max.is_finite() {
        return None;
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
    Some(svg)
}

/// Rows of the report's table at most (a report of a whole large store would otherwise
/// run to thousands of pages; the figures, status chart and timeline cover every row).
const MAX_TABLE_ROWS: usize = 1000;

/// The report's document.
pub(crate) fn report_doc(r: &Report) -> Doc {
    let o = &r.stats.overall;
    let mut blocks = vec![
        Block::Heading { level: 1, text: format!("MLMD report — {}", r.store_name) },
        Block::Text {
            text: format!("Made {} by mlmd-lens {}", r.made, env!("CARGO_PKG_VERSION")),
            note: true,
        },
        Block::Text { text: format!("Executions: {}", r.scope), note: true },
        Block::Heading { level: 2, text: "Figures".into() },
        Block::Figures {
            items: vec![
                Figure::new("Executions", o.total),
                Figure::new("Success rate", rate(o.success_rate)),
                Figure::new("Failure rate", rate(o.failure_rate)),
                Figure::new("Median duration", duration(o.duration.median_ms)),
                Figure::new("95th percentile", duration(o.duration.p95_ms)),
                Figure::new("Pipelines", r.stats.by_pipeline.len()),
                Figure::new("Stages", r.stats.by_stage.len()),
            ],
        },
        Block::Heading { level: 2, text: "Status".into() },
        Block::Chart { title: "Executions per status".into(), svg: status_chart(&r.stats) },
        Block::Heading { level: 2, text: format!("Executions ({})", r.rows.len()) },
        table(&r.rows[..r.rows.len().min(MAX_TABLE_ROWS)]),
    ];
    if r.rows.len() > MAX_TABLE_ROWS {
        blocks.push(Block::Text {
            text: format!(
                "The first {MAX_TABLE_ROWS} of {} executions, in table order: the CSV export has them all.",
                r.rows.len()
            ),
            note: true,
        });
    }
    blocks.push(Block::Heading { level: 2, text: "Timeline".into() });
    blocks.push(match timeline_chart(&r.timeline) {
        Some(svg) => Block::Chart { title: "Timeline".into(), svg },
        None => Block::Text { text: "No execution has a start time.".into(), note: true },
    });
    if !r.charts.is_empty() {
        blocks.push(Block::Heading { level: 2, text: "Compare".into() });
        for (title, svg) in &r.charts {
            blocks.push(Block::Heading { level: 3, text: title.clone() });
            blocks.push(Block::Chart { title: title.clone(), svg: svg.clone() });
        }
    }
    blocks.push(Block::Heading { level: 2, text: "Details".into() });
    blocks.push(Block::Text { text: r.details_note.clone(), note: true });
    for d in &r.details {
        details(d, &mut blocks);
    }
    Doc { title: format!("MLMD report — {}", r.store_name), lang: "en".into(), blocks }
}

/// The table's header and one row per execution.
fn table(rows: &[ExecutionRow]) -> Block {
    let columns = vec![
        Column::number("Execution ID"),
        Column::text("Name"),
        Column::text("Pipeline"),
        Column::text("Context/Stage"),
        Column::text("Status"),
        Column::text("Started (UTC)"),
        Column::text("Ended (UTC)"),
        Column::number("Duration"),
        Column::text("Git Commit"),
    ];
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.name.clone(),
                r.pipeline.clone(),
                r.stage.clone(),
                r.status.label().to_string(),
                when(r.started.as_deref()),
                when(r.ended.as_deref()),
                duration(r.duration_ms),
                r.git_commit_short.clone(),
            ]
        })
        .collect();
    Block::Table { columns, rows }
}

/// A time of the table (ISO 8601 UTC) to the second, as people read it:
/// `2026-11-25T02:19:54.481Z` → `2026-11-25 02:19:54`.
fn when(iso: Option<&str>) -> String {
    match iso {
        None => "—".into(),
        Some(t) => {
            let t = t.strip_suffix('Z').unwrap_or(t);
            let t = t.split('.').next().unwrap_or(t);
            t.replacen('T', " ", 1)
        }
    }
}

/// A list of artifacts as a small table, or a note that there is none.
fn artifacts(title: &str, list: &[Artifact], out: &mut Vec<Block>) {
    if list.is_empty() {
        out.push(Block::Text { text: format!("No {}.", title.to_lowercase()), note: true });
        return;
    }
    out.push(Block::Text { text: title.to_string(), note: false });
    out.push(Block::Table {
        columns: vec![
            Column::number("ID"),
            Column::text("Name"),
            Column::text("Type"),
            Column::text("URI"),
        ],
        rows: list
            .iter()
            .map(|a| {
                vec![a.id.to_string(), a.display_name.clone(), a.type_name.clone(), a.uri.clone()]
            })
            .collect(),
    });
}

/// One execution in full: its row, properties and artifacts.
fn details(d: &ExecutionDetails, out: &mut Vec<Block>) {
    let r = &d.row;
    out.push(Block::Heading { level: 3, text: format!("#{} {}", r.id, r.name) });
    out.push(Block::Text {
        text: format!(
            "{} · {} · {} · {}",
            r.type_name,
            r.pipeline,
            r.status.label(),
            duration(r.duration_ms)
        ),
        note: true,
    });
    let props: Vec<Figure> = d
        .props
        .properties
        .iter()
        .map(|(k, v)| Figure::new(k.clone(), v.as_text()))
        .chain(
            d.props
                .custom_properties
                .iter()
                .map(|(k, v)| Figure::new(format!("{k} (custom)"), v.as_text())),
        )
        .collect();
    if props.is_empty() {
        out.push(Block::Text { text: "No properties.".into(), note: true });
    } else {
        out.push(Block::Pairs { items: props });
    }
    artifacts("Inputs", &d.inputs, out);
    artifacts("Outputs", &d.outputs, out);
}
