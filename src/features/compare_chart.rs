//! Charts of a comparison, drawn by `plotters` on its SVG backend, so the page, the CLI
//! (`--chart FILE.svg`) and reports show the same picture:
//!
//! - `metrics`: one small panel per metric (each with its own scale: accuracy and loss do
//!   not share an axis), one bar per execution, the best marked `★`;
//! - `duration`: one bar per execution (seconds);
//! - `parallel`: parallel coordinates of the parameters that differ (all of them when none
//!   does; numeric axes scaled min→max, text values as evenly spaced categories) → the
//!   chosen metric.
//!
//! Every bar and line also gets an invisible twin carrying a `<title>` (the tooltip) and
//! `data-execution` / `data-metric` attributes, appended after plotters' drawing (plotters
//! has no title element). All text is escaped: plotters escapes what it draws, and
//! [`escape_xml`] what the twins carry; the SVG has no script and no event attribute.
//!
//! Text is never measured: on wasm32 plotters measures text through the page's `window`,
//! which a Web Worker does not have. So no caption, no right-hand label area and no pie —
//! the layouts below are fixed, with labels placed by anchor.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;

use crate::conventions::Direction;
use crate::error::{Error, Result};
use crate::features::compare::{CompareRow, Comparison, GroupKind, Verdict};
use crate::features::metric_scatter::MetricScatter;
use crate::model::{ExecutionRow, Value};

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One panel per metric, a bar per execution.
    Metrics,
    /// A bar per execution: its duration.
    Duration,
    /// Parallel coordinates: parameters → one metric.
    Parallel,
}

impl ChartKind {
    /// Every kind's name, as [`ChartKind::parse`] reads it.
    pub const NAMES: [&'static str; 3] = ["metrics", "duration", "parallel"];

    /// Reads `metrics`, `duration` or `parallel`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the kinds there are.
    ///
    /// ```
    /// use mlmd_lens::features::compare_chart::ChartKind;
    /// assert_eq!(ChartKind::parse("metrics").unwrap(), ChartKind::Metrics);
    /// assert!(ChartKind::parse("pie").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<ChartKind> {
        match name {
            "metrics" => Ok(ChartKind::Metrics),
            "duration" => Ok(ChartKind::Duration),
            "parallel" => Ok(ChartKind::Parallel),
            other => Err(Error::InvalidArgument(format!(
                "no chart named {other:?}: the charts are {}",
                ChartKind::NAMES.join(", ")
            ))),
        }
    }
}

/// Options of a compare chart.
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ChartOptions {
    /// The baseline execution (deltas in tooltips); the first when not given.
    pub baseline: Option<i64>,
    /// The parallel-coordinates chart's metric (a Metrics row name); the first metric
    /// when not given.
    pub metric: Option<String>,
}

/// Most metric panels one chart draws; the rest are named in a note.
pub const MAX_PANELS: usize = 24;
/// Most parameter axes of the parallel-coordinates chart.
pub const MAX_AXES: usize = 8;

/// One colour per compared execution (up to 5; colour-blind-safe Tableau 10).
const PALETTE: [RGBColor; 5] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
];
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const MUTED: RGBColor = RGBColor(0x88, 0x88, 0x88);
const FONT: &str = "sans-serif";
/// Font sizes as plotters takes them (it writes `size / 1.24` px): 12 px, 13 px, 16 px.
const SMALL: f64 = 13.0;
const TEXT: f64 = 15.5;
const TITLE: f64 = 17.0;
const PANEL_W: u32 = 280;
const PANEL_H: u32 = 210;
const LEGEND_H: u32 = 28;

/// `text` with the five XML special characters escaped, for text and attribute values.
///
/// ```
/// use mlmd_lens::features::compare_chart::escape_xml;
/// assert_eq!(escape_xml("<img onerror=\"x\">&'"), "&lt;img onerror=&quot;x&quot;&gt;&amp;&apos;");
/// ```
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An invisible twin of a drawn mark, carrying its tooltip.
struct Tip {
    class: &'static str,
    execution: i64,
    metric: String,
    shape: Shape,
    title: String,
}

enum Shape {
    Rect { x0: i32, y0: i32, x1: i32, y1: i32 },
    Line(Vec<(i32, i32)>),
    Point(i32, i32),
}

impl Tip {
    fn to_svg(&self) -> String {
        let attrs = format!(
            "class=\"{}\" data-execution=\"{}\" data-metric=\"{}\"",
            self.class,
            self.execution,
            escape_xml(&self.metric)
        );
        let title = escape_xml(&self.title);
        match &self.shape {
            Shape::Rect { x0, y0, x1, y1 } => format!(
                "<rect {attrs} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#000\" fill-opacity=\"0\"><title>{title}</title></rect>\n",
                x0.min(x1),
                y0.min(y1),
                (x1 - x0).abs().max(1),
                (y1 - y0).abs().max(1)
            ),
            Shape::Point(x, y) => format!(
                "<circle {attrs} cx=\"{x}\" cy=\"{y}\" r=\"7\" fill=\"#000\" fill-opacity=\"0\"><title>{title}</title></circle>\n"
            ),
            Shape::Line(points) => format!(
                "<polyline {attrs} points=\"{}\" fill=\"none\" stroke=\"#000\" stroke-opacity=\"0\" stroke-width=\"10\"><title>{title}</title></polyline>\n",
                points.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ")
            ),
        }
    }
}

fn chart_error<E: std::fmt::Display>(e: E) -> Error {
    Error::Chart(e.to_string())
}

/// The chart of `kind` for a comparison, as SVG text.
///
/// # Errors
/// [`Error::InvalidArgument`] for a parallel chart of a metric the comparison does not
/// have; [`Error::Chart`] when plotters refuses to draw.
pub(crate) fn chart(c: &Comparison, kind: ChartKind, options: &ChartOptions) -> Result<String> {
    match kind {
        ChartKind::Metrics => {
            let rows: Vec<&CompareRow> = c
                .group(GroupKind::Metrics)
                .rows
                .iter()
                .filter(|r| r.values.iter().any(|v| v.as_number().is_some()))
                .collect();
            bars(c, &rows, "metrics", "No metrics recorded for these executions.")
        }
        ChartKind::Duration => {
            let row = c.group(GroupKind::Timing).rows.iter().find(|r| r.property == "durationMs");
            let seconds = row.map(seconds_row);
            let rows: Vec<&CompareRow> = seconds
                .iter()
                .filter(|r| r.values.iter().any(|v| v.as_number().is_some()))
                .collect();
            bars(c, &rows, "duration", "None of these executions recorded an end.")
        }
        ChartKind::Parallel => parallel(c, options.metric.as_deref()),
    }
}

/// The duration row in seconds, for a readable axis.
fn seconds_row(row: &CompareRow) -> CompareRow {
    let mut out = row.clone();
    out.name = "duration (s)".into();
    out.values = row
        .values
        .iter()
        .map(|v| v.as_number().map_or(Value::Null, |ms| Value::Double(ms / 1000.0)))
        .collect();
    out.deltas = row.deltas.iter().map(|d| d.map(|ms| ms / 1000.0)).collect();
    out
}

/// A short number: 4 significant digits, no float noise.
fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (4 - 1 - x.abs().log10().floor() as i32).clamp(0, 10) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn exec_label(x: &ExecutionRow) -> String {
    format!("#{} {}", x.id, x.name)
}

/// The tooltip of one value: `#4 Evaluate_c557267e — accuracy: 0.7425 (+0.12, +16.1% vs #8; better)`.
fn value_title(c: &Comparison, row: &CompareRow, i: usize, value: f64) -> String {
    let x = &c.executions[i];
    let mut t = format!("{} — {}: {}", exec_label(x), row.name, short(value));
    match (row.verdicts[i], row.deltas[i]) {
        (Verdict::Baseline, _) => t.push_str(" (baseline)"),
        (v, Some(d)) => {
            let pct = row.delta_percents[i].map(|p| format!(", {:+.1}%", p)).unwrap_or_default();
            let sign = if d >= 0.0 { "+" } else { "" };
            t.push_str(&format!(" ({sign}{}{pct} vs #{}", short(d), c.baseline));
            match v {
                Verdict::Better => t.push_str("; better"),
                Verdict::Worse => t.push_str("; worse"),
                _ => {}
            }
            t.push(')');
        }
        _ => {}
    }
    if row.best.contains(&i) {
        t.push_str(" ★ best");
    }
    t
}

/// Draws the legend (a swatch and `#id name` per execution) along the top.
fn legend(root: &DrawingArea<SVGBackend, Shift>, c: &Comparison) -> Result<()> {
    let width = root.dim_in_pixel().0 as i32;
    let step = (width / c.executions.len().max(1) as i32).max(60);
    for (i, x) in c.executions.iter().enumerate() {
        let left = 8 + step * i as i32;
        let color = PALETTE[i % PALETTE.len()];
        root.draw(&Rectangle::new([(left, 8), (left + 12, 20)], color.filled()))
            .map_err(chart_error)?;
        let mut label = exec_label(x);
        if i == c.baseline_index {
            label.push_str(" (baseline)");
        }
        let max_chars = ((step - 24) / 7).max(6) as usize;
        if label.chars().count() > max_chars {
            label = label.chars().take(max_chars - 1).collect::<String>() + "…";
        }
        let style = TextStyle::from((FONT, TEXT).into_font()).color(&INK);
        root.draw(&Text::new(label, (left + 16, 7), style)).map_err(chart_error)?;
    }
    Ok(())
}

/// Wraps plotters' SVG with the tooltip twins, and a `data-chart` attribute on the root.
fn finish(mut svg: String, kind: &str, tips: &[Tip]) -> String {
    let twins: String = tips.iter().map(Tip::to_svg).collect();
    let group = format!("<g class=\"ml-chart-tips\">\n{twins}</g>\n");
    match svg.rfind("</svg>") {
        Some(end) => svg.insert_str(end, &group),
        None => svg.push_str(&group),
    }
    if let Some(start) = svg.find("<svg ") {
        svg.insert_str(start + 5, &format!("data-chart=\"{kind}\" role=\"img\" "));
    }
    svg
}

/// A chart with one message and nothing else (no data to draw).
fn empty_chart(kind: &str, message: &str) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (PANEL_W * 2, 60)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let style = TextStyle::from((FONT, TITLE).into_font()).color(&MUTED);
        root.draw(&Text::new(message.to_string(), (10, 34), style)).map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(finish(svg, kind, &[]))
}

/// Panels of bars: one panel per row, one bar per execution with a value.
fn bars(c: &Comparison, rows: &[&CompareRow], kind: &str, none: &str) -> Result<String> {
    if rows.is_empty() {
        return empty_chart(kind, none);
    }
    let shown = &rows[..rows.len().min(MAX_PANELS)];
    let cols = shown.len().min(3) as u32;
    let lines = shown.len().div_ceil(3) as u32;
    let note_h = if rows.len() > shown.len() { 24 } else { 0 };
    // At least two panels wide, so that one panel (duration, a single metric) and the
    // legend of five executions have room.
    let size = ((cols * PANEL_W).max(2 * PANEL_W), LEGEND_H + lines * PANEL_H + note_h);
    let mut tips = Vec::new();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        legend(&root, c)?;
        let body = root.margin(LEGEND_H as i32, note_h, 0, 0);
        let panels = body.split_evenly((lines as usize, cols as usize));
        for (panel, row) in panels.iter().zip(shown) {
            bar_panel(c, panel, row, kind, &mut tips)?;
        }
        if note_h > 0 {
            let style = TextStyle::from((FONT, TEXT).into_font()).color(&MUTED);
            let note = format!("… and {} more (see the table)", rows.len() - shown.len());
            root.draw(&Text::new(note, (10, size.1 as i32 - 8), style)).map_err(chart_error)?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(finish(svg, kind, &tips))
}

fn bar_panel(
    c: &Comparison,
    panel: &DrawingArea<SVGBackend, Shift>,
    row: &CompareRow,
    kind: &str,
    tips: &mut Vec<Tip>,
) -> Result<()> {
    let n = c.executions.len();
    let numbers: Vec<Option<f64>> = row.values.iter().map(Value::as_number).collect();
    let present = numbers.iter().flatten().copied();
    let lo = present.clone().fold(0.0_f64, f64::min);
    let hi = present.fold(0.0_f64, f64::max);
    let (lo, hi) = if lo == hi { (lo, lo + 1.0) } else { (lo, hi) };
    let pad = (hi - lo) * 0.12;
    let (y0, y1) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);

    let title = match row.direction {
        Direction::Higher => format!("{} ↑ higher is better", row.name),
        Direction::Lower => format!("{} ↓ lower is better", row.name),
        Direction::Neutral => row.name.clone(),
    };
    let title_style = TextStyle::from((FONT, TITLE).into_font()).color(&INK);
    panel.draw(&Text::new(title, (10, 16), title_style)).map_err(chart_error)?;

    let mut chart = ChartBuilder::on(panel)
        .margin(8)
        .margin_top(26)
        .y_label_area_size(44)
        .build_cartesian_2d(0.0..n as f64, y0..y1)
        .map_err(chart_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(4)
        .y_label_formatter(&|v| short(*v))
        .y_label_style((FONT, SMALL).into_font().color(&MUTED))
        .max_light_lines(1)
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .axis_style(MUTED)
        .draw()
        .map_err(chart_error)?;
    for (i, value) in numbers.iter().enumerate() {
        let Some(v) = *value else { continue };
        let (left, right) = (i as f64 + 0.15, i as f64 + 0.85);
        let color = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(std::iter::once(Rectangle::new([(left, 0.0), (right, v)], color.filled())))
            .map_err(chart_error)?;
        let best = row.best.contains(&i);
        let label = if best { format!("★ {}", short(v)) } else { short(v) };
        let top = if v >= 0.0 { v } else { 0.0 };
        let (cx, cy) = chart.backend_coord(&(i as f64 + 0.5, top));
        let style = TextStyle::from((FONT, SMALL).into_font())
            .color(&INK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        // The value label sits in the root's coordinates (above the bar).
        panel
            .draw(&Text::new(
                label,
                (cx - panel.get_base_pixel().0, cy - panel.get_base_pixel().1 - 2),
                style,
            ))
            .map_err(chart_error)?;
        let (x0, y0px) = chart.backend_coord(&(left, v));
        let (x1, y1px) = chart.backend_coord(&(right, 0.0));
        tips.push(Tip {
            class: "bar",
            execution: c.executions[i].id,
            metric: if kind == "duration" { "duration".into() } else { row.name.clone() },
            shape: Shape::Rect { x0, y0: y0px, x1, y1: y1px },
            title: value_title(c, row, i, v),
        });
    }
    Ok(())
}

/// One axis of the parallel-coordinates chart.
struct Axis {
    name: String,
    /// Position 0..=1 of each execution's value (`None` where missing).
    positions: Vec<Option<f64>>,
    /// Labels along the axis: (position, text).
    ticks: Vec<(f64, String)>,
}

fn axis_of(row: &CompareRow) -> Option<Axis> {
    let present: Vec<&Value> = row.values.iter().filter(|v| !matches!(v, Value::Null)).collect();
    if present.is_empty() {
        return None;
    }
    if present.iter().all(|v| v.as_number().is_some()) {
        let nums: Vec<f64> = present.iter().filter_map(|v| v.as_number()).collect();
        let lo = nums.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = nums.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let at = |x: f64| if hi > lo { (x - lo) / (hi - lo) } else { 0.5 };
        let ticks =
            if hi > lo { vec![(0.0, short(lo)), (1.0, short(hi))] } else { vec![(0.5, short(lo))] };
        return Some(Axis {
            name: row.name.clone(),
            positions: row.values.iter().map(|v| v.as_number().map(at)).collect(),
            ticks,
        });
    }
    let mut categories: Vec<String> = present.iter().map(|v| v.as_text()).collect();
    categories.sort_by(|a, b| crate::text::natural_cmp(a, b));
    categories.dedup();
    let k = categories.len();
    let at = |i: usize| if k > 1 { i as f64 / (k - 1) as f64 } else { 0.5 };
    let position = |v: &Value| {
        let text = v.as_text();
        categories.iter().position(|c| *c == text).map(at)
    };
    Some(Axis {
        name: row.name.clone(),
        positions: row
            .values
            .iter()
            .map(|v| if matches!(v, Value::Null) { None } else { position(v) })
            .collect(),
        ticks: categories.iter().enumerate().map(|(i, c)| (at(i), c.clone())).collect(),
    })
}

/// Parallel coordinates: the parameters that differ (at most [`MAX_AXES`]) → `metric`.
fn parallel(c: &Comparison, metric: Option<&str>) -> Result<String> {
    let metrics = &c.group(GroupKind::Metrics).rows;
    let target = match metric {
        Some(name) => Some(metrics.iter().find(|r| r.name == name).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "no metric named {name:?} in this comparison (metrics: {})",
                metrics.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?),
        None => metrics.iter().find(|r| r.values.iter().any(|v| v.as_number().is_some())),
    };
    let Some(target) = target else {
        return empty_chart("parallel", "No metrics recorded for these executions.");
    };
    // The parameters that differ explain the metric; when none differs, every parameter
    // is drawn (flat axes) so the chart still says what the runs shared.
    let all: Vec<&CompareRow> = c.group(GroupKind::Parameters).rows.iter().collect();
    let differing: Vec<&CompareRow> = all.iter().copied().filter(|r| r.differs).collect();
    let params = if differing.is_empty() { all } else { differing };
    let mut axes: Vec<Axis> = params.iter().filter_map(|r| axis_of(r)).take(MAX_AXES).collect();
    let Some(metric_axis) = axis_of(target) else {
        return empty_chart("parallel", "The chosen metric has no value.");
    };
    if axes.is_empty() {
        return empty_chart("parallel", "These executions record no parameter.");
    }
    axes.push(metric_axis);
    let spacing = 130;
    let size = (((axes.len() as u32 - 1) * spacing + 160).max(560), 360);
    let (top, bottom) = (LEGEND_H as i32 + 34, size.1 as i32 - 40);
    let x_of = |j: usize| 80 + j as i32 * spacing as i32;
    let y_of = |p: f64| bottom - ((bottom - top) as f64 * p).round() as i32;
    let mut tips = Vec::new();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        legend(&root, c)?;
        for (j, axis) in axes.iter().enumerate() {
            let x = x_of(j);
            root.draw(&PathElement::new(vec![(x, top), (x, bottom)], MUTED.stroke_width(1)))
                .map_err(chart_error)?;
            let is_metric = j == axes.len() - 1;
            let name = if is_metric { format!("→ {}", axis.name) } else { axis.name.clone() };
            root.draw(&Text::new(
                name,
                (x, bottom + 8),
                TextStyle::from((FONT, TEXT).into_font())
                    .color(&INK)
                    .pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(chart_error)?;
            for (p, label) in &axis.ticks {
                let style = TextStyle::from((FONT, SMALL).into_font()).color(&MUTED);
                root.draw(&Text::new(label.clone(), (x + 5, y_of(*p) + 3), style))
                    .map_err(chart_error)?;
            }
        }
        for (i, x) in c.executions.iter().enumerate() {
            let points: Vec<(i32, i32)> = axes
                .iter()
                .enumerate()
                .filter_map(|(j, a)| a.positions[i].map(|p| (x_of(j), y_of(p))))
                .collect();
            let color = PALETTE[i % PALETTE.len()];
            root.draw(&PathElement::new(points.clone(), color.stroke_width(3)))
                .map_err(chart_error)?;
            for p in &points {
                root.draw(&Circle::new(*p, 4, color.filled())).map_err(chart_error)?;
            }
            let values: Vec<String> = axes
                .iter()
                .enumerate()
                .map(|(j, a)| {
                    let row = if j == axes.len() - 1 {
                        Some(target)
                    } else {
                        params_row(&params, &a.name)
                    };
                    format!("{} = {}", a.name, row.map_or(String::new(), |r| r.values[i].as_text()))
                })
                .collect();
            tips.push(Tip {
                class: "line",
                execution: x.id,
                metric: target.name.clone(),
                shape: Shape::Line(points),
                title: format!("{}: {}", exec_label(x), values.join(", ")),
            });
        }
        root.present().map_err(chart_error)?;
    }
    Ok(finish(svg, "parallel", &tips))
}

/// The scatter of one metric against one parameter over a search's executions: a point
/// per execution (`★` on the best), numeric x scaled, text x as categories.
///
/// # Errors
/// [`Error::Chart`] when plotters refuses to draw.
pub(crate) fn scatter_chart(s: &MetricScatter) -> Result<String> {
    if s.ids.is_empty() {
        let message = if s.metric.is_empty() {
            "No metrics recorded by the executions of this search.".to_string()
        } else {
            format!("No execution of this search records {}.", s.metric)
        };
        return empty_chart("scatter", &message);
    }
    let xs: Vec<Option<f64>> =
        s.x.iter()
            .map(|v| match v {
                Value::Null => None,
                v if s.x_numeric => v.as_number(),
                v => s.x_categories.iter().position(|c| *c == v.as_text()).map(|i| i as f64),
            })
            .collect();
    let span = |lo: f64, hi: f64| {
        let pad = if hi > lo { (hi - lo) * 0.08 } else { 0.5_f64.max(lo.abs() * 0.1) };
        (lo - pad, hi + pad)
    };
    let fold = |it: &mut dyn Iterator<Item = f64>| {
        it.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let (x_lo, x_hi) = fold(&mut xs.iter().flatten().copied());
    let (x_lo, x_hi) = if x_lo.is_finite() { span(x_lo, x_hi) } else { (-0.5, 0.5) };
    let (y_lo, y_hi) = span(fold(&mut s.y.iter().copied()).0, fold(&mut s.y.iter().copied()).1);
    let best = s.ranking.first().copied();
    let size = (640, 400);
    let mut tips = Vec::new();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let direction = match s.direction {
            Direction::Higher => " ↑ higher is better",
            Direction::Lower => " ↓ lower is better",
            Direction::Neutral => "",
        };
        let head = format!("{}{direction} vs {}", s.metric, s.parameter);
        let head_style = TextStyle::from((FONT, TITLE).into_font()).color(&INK);
        root.draw(&Text::new(head, (10, 8), head_style)).map_err(chart_error)?;
        let read = if s.considered < s.total {
            format!(" (first {} read)", s.considered)
        } else {
            String::new()
        };
        let missing = match xs.iter().filter(|x| x.is_none()).count() {
            0 => String::new(),
            n => format!("; {n} without {} (not drawn)", s.parameter),
        };
        let note = format!("{} of {} executions record it{read}{missing}", s.ids.len(), s.total);
        let note_style = TextStyle::from((FONT, SMALL).into_font()).color(&MUTED);
        root.draw(&Text::new(note, (10, 28), note_style)).map_err(chart_error)?;
        let categories = s.x_categories.clone();
        let x_format = move |v: &f64| {
            if categories.is_empty() {
                short(*v)
            } else if (v - v.round()).abs() < 1e-9 && *v >= 0.0 {
                categories.get(v.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_top(48)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .map_err(chart_error)?;
        let x_labels = if s.x_numeric { 6 } else { s.x_categories.len().max(1) + 2 };
        chart
            .configure_mesh()
            .x_labels(x_labels)
            .y_labels(6)
            .x_label_formatter(&x_format)
            .y_label_formatter(&|v| short(*v))
            .label_style((FONT, SMALL).into_font().color(&MUTED))
            .max_light_lines(1)
            .light_line_style(RGBColor(0xf0, 0xf0, 0xf0))
            .bold_line_style(RGBColor(0xe0, 0xe0, 0xe0))
            .axis_style(MUTED)
            .draw()
            .map_err(chart_error)?;
        for (i, x) in xs.iter().enumerate() {
            let Some(x) = *x else { continue };
            let y = s.y[i];
            let is_best = best == Some(i);
            let color = if is_best { PALETTE[1] } else { PALETTE[0] };
            chart
                .draw_series(std::iter::once(Circle::new((x, y), 5, color.filled())))
                .map_err(chart_error)?;
            let (px, py) = chart.backend_coord(&(x, y));
            if is_best {
                let style = TextStyle::from((FONT, SMALL).into_font())
                    .color(&INK)
                    .pos(Pos::new(HPos::Left, VPos::Center));
                root.draw(&Text::new("★ best".to_string(), (px + 8, py), style))
                    .map_err(chart_error)?;
            }
            let rank = s.ranking.iter().position(|&r| r == i).map_or(0, |r| r + 1);
            tips.push(Tip {
                class: "point",
                execution: s.ids[i],
                metric: s.metric.clone(),
                shape: Shape::Point(px, py),
                title: format!(
                    "#{} {} — {} = {}, {}: {} (rank {rank} of {})",
                    s.ids[i],
                    s.names[i],
                    s.parameter,
                    s.x[i].as_text(),
                    s.metric,
                    short(y),
                    s.ids.len()
                ),
            });
        }
        root.present().map_err(chart_error)?;
    }
    Ok(finish(svg, "scatter", &tips))
}

fn params_row<'a>(params: &[&'a CompareRow], name: &str) -> Option<&'a CompareRow> {
    params.iter().find(|r| r.name == name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_have_no_float_noise() {
        assert_eq!(short(0.7425), "0.7425");
        assert_eq!(short(0.09000000000000001), "0.09");
        assert_eq!(short(1234.5678), "1235");
        assert_eq!(short(-0.5), "-0.5");
        assert_eq!(short(0.0), "0");
    }

    #[test]
    fn escaping_control_characters() {
        assert_eq!(escape_xml("a\u{1}b\tc"), "a b\tc");
    }
}
