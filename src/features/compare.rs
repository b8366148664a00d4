//! Side-by-side comparison of 2–5 executions, in groups: **Parameters** (the user's
//! hyper-parameters first), **Metrics** (see [`crate::features::metrics`]), **Artifacts**
//! (matched by name, else event key, else URI), **Git**, **Timing**, and cmflib's
//! bookkeeping last, folded. Numeric rows carry deltas against a baseline execution (any
//! of the compared ones; the first by default), absolute and in percent, a better/worse
//! verdict where the name says which way is better, and the best value of each metric.
//!
//! **Duplicate metric names** (one rule): when any compared execution has a metric name
//! from more than one source (two `Metrics` artifacts, or an artifact and the execution
//! itself), that name is split into one row per source, labelled
//! `NAME (SOURCE)` — `accuracy (Metrics #1)`, `accuracy (Metrics #2)`,
//! `accuracy (execution)` — where `#k` is the k-th output of that type carrying metrics.
//! Otherwise the row is just `NAME`. No value is ever dropped.

use serde::{Deserialize, Serialize};

use crate::conventions::{artifact_match_key, is_input_event, property_role, Direction};
use crate::error::{Error, Result};
use crate::features::metrics::{metrics_of, Metric, MetricSource};
use crate::model::{Artifact, ExecutionDetails, ExecutionRow, PropertyRole, Value};
use crate::text::natural_cmp;

/// Fewest executions a comparison takes.
pub const MIN_COMPARE: usize = 2;
/// Most executions a comparison takes.
pub const MAX_COMPARE: usize = 5;

/// How to compare.
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CompareOptions {
    /// The execution id deltas are taken against (one of the compared ids); the first
    /// when not given.
    pub baseline: Option<i64>,
}

/// The groups of a comparison, in the order they are shown.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GroupKind {
    /// The user's properties that are not metrics (custom first).
    Parameters,
    /// Metrics of the executions and of the metrics artifacts they output.
    Metrics,
    /// Input and output artifacts matched across the executions.
    Artifacts,
    /// Git properties (commit, repository, …).
    Git,
    /// Start, end and duration.
    Timing,
    /// cmflib's bookkeeping properties (folded).
    Bookkeeping,
}

/// How one value compares with the baseline's.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// This is the baseline execution.
    Baseline,
    /// Better than the baseline (by the row's direction).
    Better,
    /// Worse than the baseline.
    Worse,
    /// Equal to the baseline.
    Same,
    /// Not comparable: not numeric, missing, or the name says no direction.
    Neutral,
}

/// One value row (a property, a metric, a timing) across the compared executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CompareRow {
    /// The row's label: the property name, or `NAME (SOURCE)` for a split duplicate metric.
    pub name: String,
    /// The property or metric name as recorded (`durationMs`, `started`, `ended` for timing).
    pub property: String,
    /// True when custom in at least one execution (metrics from artifacts: always).
    pub custom: bool,
    /// The value in each execution (`null` where missing), in the order of `executions`.
    pub values: Vec<Value>,
    /// Metrics only: where each value came from (`null` where missing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, ts(as = "Option<Vec<Option<MetricSource>>>", optional))]
    pub sources: Vec<Option<MetricSource>>,
    /// True when the values are not all the same.
    pub differs: bool,
    /// Each value minus the baseline's (`null` where either is not numeric).
    pub deltas: Vec<Option<f64>>,
    /// `deltas` as a percentage of the baseline's magnitude (`null` where the baseline is 0).
    pub delta_percents: Vec<Option<f64>>,
    /// Which way the value improves, from its name (metrics; `neutral` elsewhere).
    pub direction: Direction,
    /// Each value against the baseline's.
    pub verdicts: Vec<Verdict>,
    /// Metrics with a direction: the positions (into `executions`) holding the best value;
    /// empty when the values are all equal or fewer than two are numeric.
    pub best: Vec<usize>,
}

/// One recorded artifact in one execution.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactCell {
    /// `Artifact.id`.
    pub id: i64,
    /// `Artifact.name` as recorded ("" when NULL).
    pub name: String,
    /// The name shown ([`crate::conventions::artifact_display_name`], never empty).
    pub display_name: String,
    /// `Artifact.uri`.
    pub uri: String,
    /// Its version (`version` property or cmflib's DVC md5), "" when none.
    pub version: String,
}

/// How an artifact row differs across the executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ArtifactChange {
    /// Every execution has it, with the same version and URI.
    Same,
    /// Every execution has it, with a different version or URI.
    Changed,
    /// Only some executions have it.
    Partial,
}

/// One artifact (matched by key, type and direction) across the compared executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactDiff {
    /// `INPUT` or `OUTPUT` side.
    pub direction: &'static str,
    /// Artifact type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// What matches versions of "the same" artifact: the name without its `:<hash>`
    /// suffixes and run UUIDs (cmflib; see [`artifact_match_key`]), else the event's key
    /// (TFX: `model`, `examples`), else the URI.
    pub key: String,
    /// The artifact in each execution, `null` where absent.
    pub cells: Vec<Option<ArtifactCell>>,
    /// Version (or URI when it has none) in each execution, `null` where absent.
    pub versions: Vec<Option<String>>,
    /// Same, changed or partial.
    pub change: ArtifactChange,
    /// What changed among the executions that have it: `version`, `uri`.
    pub changed: Vec<&'static str>,
    /// True unless `change` is `same`.
    pub differs: bool,
}

/// One group of rows.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CompareGroup {
    /// Which group.
    pub kind: GroupKind,
    /// Its title (`Parameters`, `Metrics`, …).
    pub title: &'static str,
    /// True for a group shown folded (bookkeeping).
    pub folded: bool,
    /// Value rows (every group but Artifacts).
    pub rows: Vec<CompareRow>,
    /// Artifact rows (the Artifacts group only).
    pub artifacts: Vec<ArtifactDiff>,
}

/// The comparison.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The executions, in the order asked.
    pub executions: Vec<ExecutionRow>,
    /// The baseline execution's id.
    pub baseline: i64,
    /// Its position in `executions`.
    pub baseline_index: usize,
    /// Parameters, Metrics, Artifacts, Git, Timing, Bookkeeping — each present even when
    /// empty, in this order.
    pub groups: Vec<CompareGroup>,
}

impl Comparison {
    /// The group of `kind`.
    pub fn group(&self, kind: GroupKind) -> &CompareGroup {
        // Every kind is built by `compare`, so the lookup cannot miss; fall back to the
        // first group rather than panic.
        self.groups.iter().find(|g| g.kind == kind).unwrap_or(&self.groups[0])
    }

    /// Every value row of every group, in order.
    pub fn rows(&self) -> impl Iterator<Item = &CompareRow> {
        self.groups.iter().flat_map(|g| g.rows.iter())
    }
}

/// Refuses fewer than [`MIN_COMPARE`] or more than [`MAX_COMPARE`] ids, or repeats.
///
/// # Errors
/// [`Error::InvalidArgument`] saying how many compare takes.
pub(crate) fn check_ids(ids: &[i64]) -> Result<()> {
    let mut seen = ids.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if ids.len() < MIN_COMPARE || ids.len() > MAX_COMPARE || seen.len() != ids.len() {
        return Err(Error::InvalidArgument(format!(
            "compare takes {MIN_COMPARE} to {MAX_COMPARE} different executions, not {}",
            ids.len()
        )));
    }
    Ok(())
}

/// The position of the baseline among `ids`.
///
/// # Errors
/// [`Error::InvalidArgument`] when the baseline is not one of the compared ids.
pub(crate) fn baseline_index(ids: &[i64], options: &CompareOptions) -> Result<usize> {
    match options.baseline {
        None => Ok(0),
        Some(b) => ids.iter().position(|&id| id == b).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "baseline {b} is not one of the compared executions ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ))
        }),
    }
}

/// Builds the comparison from the full details of 2–5 executions, deltas against
/// `details[baseline]`.
pub(crate) fn compare(details: &[ExecutionDetails], baseline: usize) -> Comparison {
    let group = |kind, title, rows, artifacts| CompareGroup {
        kind,
        title,
        folded: kind == GroupKind::Bookkeeping,
        rows,
        artifacts,
    };
    let [parameters, git, bookkeeping] = property_rows(details, baseline);
    Comparison {
        executions: details.iter().map(|d| d.row.clone()).collect(),
        baseline: details[baseline].row.id,
        baseline_index: baseline,
        groups: vec![
            group(GroupKind::Parameters, "Parameters", parameters, vec![]),
            group(GroupKind::Metrics, "Metrics", metric_rows(details, baseline), vec![]),
            group(GroupKind::Artifacts, "Artifacts", vec![], artifact_rows(details)),
            group(GroupKind::Git, "Git", git, vec![]),
            group(GroupKind::Timing, "Timing", timing_rows(details, baseline), vec![]),
            group(GroupKind::Bookkeeping, "Bookkeeping", bookkeeping, vec![]),
        ],
    }
}

/// The execution properties that are not metrics, split into parameters (custom first,
/// then declared; natural order of names), git and bookkeeping.
fn property_rows(details: &[ExecutionDetails], baseline: usize) -> [Vec<CompareRow>; 3] {
    let mut names: Vec<(bool, String)> = Vec::new();
    for d in details {
        for p in &d.typed_properties {
            match names.iter_mut().find(|(_, n)| *n == p.name) {
                Some(entry) => entry.0 |= p.custom,
                None => names.push((p.custom, p.name.clone())),
            }
        }
    }
    names.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| natural_cmp(&a.1, &b.1)));
    let mut out: [Vec<CompareRow>; 3] = Default::default();
    for (custom, name) in names {
        let values: Vec<Value> =
            details.iter().map(|d| d.props.get(&name).cloned().unwrap_or(Value::Null)).collect();
        // The role of the name in any execution: a metric in one is a metric row.
        let roles: Vec<PropertyRole> = values.iter().map(|v| property_role(&name, v)).collect();
        let slot = if roles.contains(&PropertyRole::Metric) {
            continue; // listed by `metric_rows`
        } else if roles.contains(&PropertyRole::Git) {
            1
        } else if roles.contains(&PropertyRole::Bookkeeping) {
            2
        } else {
            0
        };
        out[slot].push(value_row(
            name.clone(),
            name,
            custom,
            values,
            vec![],
            Direction::Neutral,
            baseline,
        ));
    }
    out
}

/// One row per metric name — or per source of a duplicate name (see the module docs).
fn metric_rows(details: &[ExecutionDetails], baseline: usize) -> Vec<CompareRow> {
    let per_execution: Vec<Vec<Metric>> = details.iter().map(metrics_of).collect();
    let mut names: Vec<String> = Vec::new();
    for m in per_execution.iter().flatten() {
        if !names.contains(&m.name) {
            names.push(m.name.clone());
        }
    }
    names.sort_by(|a, b| natural_cmp(a, b));
    let mut rows = Vec::new();
    for name in names {
        let of_name = |ms: &Vec<Metric>| -> Vec<Metric> {
            ms.iter().filter(|m| m.name == name).cloned().collect()
        };
        let split = per_execution.iter().any(|ms| of_name(ms).len() > 1);
        // (label, per-execution metric) in first-seen order of labels.
        let mut labelled: Vec<(String, Vec<Option<Metric>>)> = Vec::new();
        for (i, ms) in per_execution.iter().enumerate() {
            for m in of_name(ms) {
                let label =
                    if split { format!("{name} ({})", m.source.label()) } else { name.clone() };
                let pos = labelled.iter().position(|(l, _)| *l == label).unwrap_or_else(|| {
                    labelled.push((label, vec![None; details.len()]));
                    labelled.len() - 1
                });
                labelled[pos].1[i].get_or_insert(m);
            }
        }
        labelled.sort_by(|a, b| natural_cmp(&a.0, &b.0));
        for (label, cells) in labelled {
            let direction = cells.iter().flatten().map(|m| m.direction).next();
            let values = cells.iter().map(|c| c.as_ref().map_or(Value::Null, |m| m.value.clone()));
            let sources = cells.iter().map(|c| c.as_ref().map(|m| m.source.clone())).collect();
            let custom = cells.iter().flatten().any(|m| match m.source {
                MetricSource::Execution => {
                    details.iter().any(|d| d.props.custom_properties.contains_key(&name))
                }
                MetricSource::Artifact { .. } => true,
            });
            rows.push(value_row(
                label,
                name.clone(),
                custom,
                values.collect(),
                sources,
                direction.unwrap_or(Direction::Neutral),
                baseline,
            ));
        }
    }
    rows
}

/// Started, ended (ISO text) and duration (ms; lower is not judged better: a run's length
/// is not its quality).
fn timing_rows(details: &[ExecutionDetails], baseline: usize) -> Vec<CompareRow> {
    let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::String);
    let started = details.iter().map(|d| text(&d.row.started)).collect();
    let ended = details.iter().map(|d| text(&d.row.ended)).collect();
    let duration =
        details.iter().map(|d| d.row.duration_ms.map_or(Value::Null, Value::Int)).collect();
    [
        ("started", "started", started),
        ("ended", "ended", ended),
        ("duration", "durationMs", duration),
    ]
    .into_iter()
    .map(|(name, property, values)| {
        value_row(name.into(), property.into(), false, values, vec![], Direction::Neutral, baseline)
    })
    .collect()
}

/// A row with its differences, deltas, verdicts and best marks computed.
fn value_row(
    name: String,
    property: String,
    custom: bool,
    values: Vec<Value>,
    sources: Vec<Option<MetricSource>>,
    direction: Direction,
    baseline: usize,
) -> CompareRow {
    let base = values.get(baseline).and_then(Value::as_number);
    let numbers: Vec<Option<f64>> = values.iter().map(Value::as_number).collect();
    let deltas: Vec<Option<f64>> = numbers.iter().map(|x| Some(x.as_ref()? - base?)).collect();
    let delta_percents = deltas
        .iter()
        .map(|d| {
            let b = base.filter(|b| *b != 0.0)?;
            Some(d.as_ref()? / b.abs() * 100.0)
        })
        .collect();
    let verdicts = deltas
        .iter()
        .enumerate()
        .map(|(i, d)| verdict(i == baseline, *d, base, direction))
        .collect();
    let differs = values.windows(2).any(|w| w[0] != w[1]);
    CompareRow {
        best: best_positions(&numbers, direction),
        name,
        property,
        custom,
        values,
        sources,
        differs,
        deltas,
        delta_percents,
        direction,
        verdicts,
    }
}

/// Equal within floating-point noise (relative 1e-9), so `0.1 + 0.2` equals `0.3`.
fn same_number(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

fn verdict(is_baseline: bool, delta: Option<f64>, base: Option<f64>, dir: Direction) -> Verdict {
    if is_baseline {
        return Verdict::Baseline;
    }
    let (Some(d), Some(b)) = (delta, base) else { return Verdict::Neutral };
    if dir == Direction::Neutral {
        return Verdict::Neutral;
    }
    if same_number(b + d, b) {
        return Verdict::Same;
    }
    match (dir, d > 0.0) {
        (Direction::Higher, true) | (Direction::Lower, false) => Verdict::Better,
        _ => Verdict::Worse,
    }
}

fn best_positions(numbers: &[Option<f64>], dir: Direction) -> Vec<usize> {
    let present: Vec<(usize, f64)> =
        numbers.iter().enumerate().filter_map(|(i, x)| Some((i, (*x)?))).collect();
    if dir == Direction::Neutral || present.len() < 2 {
        return vec![];
    }
    let pick = |a: f64, b: f64| if dir == Direction::Higher { a.max(b) } else { a.min(b) };
    let best = present.iter().map(|p| p.1).fold(present[0].1, pick);
    if present.iter().all(|p| same_number(p.1, best)) {
        return vec![];
    }
    present.iter().filter(|p| same_number(p.1, best)).map(|p| p.0).collect()
}

/// The key of an artifact: its name as [`artifact_match_key`] reads it, else the event key
/// (`EventPath.step_key`, TFX's `model`), else the URI.
fn artifact_key(a: &Artifact, details: &ExecutionDetails, input: bool) -> String {
    if !a.name.is_empty() {
        return artifact_match_key(&a.name);
    }
    let event_key = details
        .events
        .iter()
        .filter(|e| e.artifact_id == a.id)
        .filter(|e| input == is_input_label(e.type_name))
        .find_map(|e| e.path.iter().find(|p| p.parse::<i64>().is_err()).cloned());
    event_key.unwrap_or_else(|| a.uri.clone())
}

fn is_input_label(label: &str) -> bool {
    (0..8).any(|t| is_input_event(t) && crate::conventions::event_type_label(t) == label)
}

fn artifact_rows(details: &[ExecutionDetails]) -> Vec<ArtifactDiff> {
    let mut rows: Vec<ArtifactDiff> = Vec::new();
    for (i, d) in details.iter().enumerate() {
        for (direction, list) in [("INPUT", &d.inputs), ("OUTPUT", &d.outputs)] {
            for a in list {
                let key = artifact_key(a, d, direction == "INPUT");
                let pos = rows.iter().position(|x| {
                    x.direction == direction && x.key == key && x.type_name == a.type_name
                });
                let pos = pos.unwrap_or_else(|| {
                    rows.push(ArtifactDiff {
                        direction,
                        type_name: a.type_name.clone(),
                        key,
                        cells: vec![None; details.len()],
                        versions: vec![None; details.len()],
                        change: ArtifactChange::Same,
                        changed: vec![],
                        differs: false,
                    });
                    rows.len() - 1
                });
                let row = &mut rows[pos];
                if row.cells[i].is_none() {
                    let version = if a.version.is_empty() { &a.uri } else { &a.version };
                    row.versions[i] = Some(version.clone());
                    row.cells[i] = Some(ArtifactCell {
                        id: a.id,
                        name: a.name.clone(),
                        display_name: a.display_name.clone(),
                        uri: a.uri.clone(),
                        version: a.version.clone(),
                    });
                }
            }
        }
    }
    for row in &mut rows {
        let present: Vec<&ArtifactCell> = row.cells.iter().flatten().collect();
        let differ = |f: fn(&ArtifactCell) -> &str| present.windows(2).any(|w| f(w[0]) != f(w[1]));
        row.changed = [("version", differ(|c| &c.version)), ("uri", differ(|c| &c.uri))]
            .into_iter()
            .filter_map(|(what, d)| d.then_some(what))
            .collect();
        row.change = if present.len() < row.cells.len() {
            ArtifactChange::Partial
        } else if row.changed.is_empty() {
            ArtifactChange::Same
        } else {
            ArtifactChange::Changed
        };
        row.differs = row.change != ArtifactChange::Same;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_direction() {
        assert_eq!(verdict(false, Some(0.1), Some(0.5), Direction::Higher), Verdict::Better);
        assert_eq!(verdict(false, Some(0.1), Some(0.5), Direction::Lower), Verdict::Worse);
        assert_eq!(verdict(false, Some(0.0), Some(0.5), Direction::Lower), Verdict::Same);
        assert_eq!(verdict(false, Some(1.0), Some(0.5), Direction::Neutral), Verdict::Neutral);
        assert_eq!(verdict(true, Some(0.0), Some(0.5), Direction::Higher), Verdict::Baseline);
        assert_eq!(verdict(false, None, Some(0.5), Direction::Higher), Verdict::Neutral);
    }

    #[test]
    fn best_marks_ties_and_skips_equal_rows() {
        let n = [Some(0.7), None, Some(0.9), Some(0.9)];
        assert_eq!(best_positions(&n, Direction::Higher), vec![2, 3]);
        assert_eq!(best_positions(&n, Direction::Lower), vec![0]);
        assert_eq!(best_positions(&n, Direction::Neutral), Vec::<usize>::new());
        assert_eq!(best_positions(&[Some(1.0), Some(1.0)], Direction::Lower), Vec::<usize>::new());
    }

    #[test]
    fn percent_deltas_against_the_baseline() {
        let values = vec![Value::Double(0.5), Value::Double(0.75), Value::Double(0.25)];
        let row = value_row("a".into(), "a".into(), true, values, vec![], Direction::Higher, 1);
        assert_eq!(row.deltas, vec![Some(-0.25), Some(0.0), Some(-0.5)]);
        let pct: Vec<f64> = row.delta_percents.iter().map(|p| p.unwrap()).collect();
        assert!((pct[0] - -100.0 / 3.0).abs() < 1e-9 && pct[1] == 0.0);
        assert_eq!(row.verdicts, vec![Verdict::Worse, Verdict::Baseline, Verdict::Worse]);
        assert_eq!(row.best, vec![1]);
    }
}
