//! Compare across a whole filter: for the executions matching a search (not only the 2–5
//! of the side-by-side table), one metric against one parameter, as columnar points, and
//! the executions ranked best-first by that metric — what MLflow and W&B users read from a
//! scatter or a parallel-coordinates plot.
//!
//! Metric names follow compare's duplicate rule within each execution: a name recorded once
//! is `NAME`; a name an execution records from several sources is `NAME (SOURCE)` for each
//! (`accuracy (Metrics #2)`), so no value is dropped.

use serde::Serialize;

use crate::conventions::{is_bookkeeping_property, is_git_property, metric_direction, Direction};
use crate::error::{Error, Result};
use crate::features::details;
use crate::features::metrics::{is_execution_metric, metrics_of};
use crate::index::ExecutionIndex;
use crate::model::{ExecutionDetails, Value};
use crate::text::natural_cmp;

/// Most executions one scatter reads (in the query's sort order); the rest are counted.
pub const MAX_SCATTER: usize = 1000;

/// One metric against one parameter over the executions matching a search.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetricScatter {
    /// How many executions match the search.
    pub total: usize,
    /// How many of them were read (at most [`MAX_SCATTER`], in sort order).
    pub considered: usize,
    /// Every metric name the read executions record (natural order).
    pub metrics: Vec<String>,
    /// Every parameter name they record (natural order).
    pub parameters: Vec<String>,
    /// The metric drawn ("" when none is recorded).
    pub metric: String,
    /// The parameter on the x axis ("" when none is recorded).
    pub parameter: String,
    /// Which way the metric improves.
    pub direction: Direction,
    /// Executions that record the metric: their ids …
    pub ids: Vec<i64>,
    /// … display names …
    pub names: Vec<String>,
    /// … the parameter's value (`null` where not recorded) …
    pub x: Vec<Value>,
    /// … and the metric's value.
    pub y: Vec<f64>,
    /// True when every recorded parameter value is a number (else the x axis is categories).
    pub x_numeric: bool,
    /// The x axis' categories when it is not numeric (natural order).
    pub x_categories: Vec<String>,
    /// Positions into `ids`, best first by the metric (higher first for a neutral name);
    /// ties keep the sort order of the search.
    pub ranking: Vec<usize>,
}

/// Metric label → value of one execution (duplicate rule of the module docs).
fn labelled_metrics(d: &ExecutionDetails) -> Vec<(String, f64)> {
    let metrics = metrics_of(d);
    metrics
        .iter()
        .filter_map(|m| {
            let value = m.value.as_number()?;
            let dupes = metrics.iter().filter(|o| o.name == m.name).count();
            let label = if dupes > 1 {
                format!("{} ({})", m.name, m.source.label())
            } else {
                m.name.clone()
            };
            Some((label, value))
        })
        .collect()
}

/// The parameters of one execution: properties that are not metrics, git or bookkeeping.
fn parameters_of(d: &ExecutionDetails) -> Vec<(String, Value)> {
    d.typed_properties
        .iter()
        .filter(|p| {
            !is_bookkeeping_property(&p.name)
                && !is_git_property(&p.name)
                && !is_execution_metric(&p.name, &p.value)
        })
        .map(|p| (p.name.clone(), p.value.clone()))
        .collect()
}

/// What one execution contributes: its id, name, labelled metrics and parameters.
struct ReadExecution {
    id: i64,
    name: String,
    metrics: Vec<(String, f64)>,
    params: Vec<(String, Value)>,
}

fn sorted_distinct(mut names: Vec<String>) -> Vec<String> {
    names.sort_by(|a, b| natural_cmp(a, b));
    names.dedup();
    names
}

/// The scatter of `metric` (default: the first metric name) against `parameter` (default:
/// among the parameters of the executions recording the metric, the first whose numbers
/// vary, else the first of them) over the
/// executions `ids` (the matching ones, in sort order; `total` of them match).
///
/// # Errors
/// [`Error::InvalidArgument`] for a metric or parameter no read execution records; read
/// errors.
pub(crate) fn scatter(
    ix: &ExecutionIndex,
    ids: &[i64],
    metric: Option<&str>,
    parameter: Option<&str>,
) -> Result<MetricScatter> {
    let considered = &ids[..ids.len().min(MAX_SCATTER)];
    let mut rows = Vec::with_capacity(considered.len());
    for &id in considered {
        let d = details::execution(ix, id)?;
        rows.push(ReadExecution {
            id,
            name: d.row.name.clone(),
            metrics: labelled_metrics(&d),
            params: parameters_of(&d),
        });
    }
    let metrics =
        sorted_distinct(rows.iter().flat_map(|r| r.metrics.iter().map(|m| m.0.clone())).collect());
    let parameters =
        sorted_distinct(rows.iter().flat_map(|r| r.params.iter().map(|p| p.0.clone())).collect());
    let unknown = |what: &str, name: &str, known: &[String]| {
        Error::InvalidArgument(format!(
            "no {what} named {name:?} among the executions of this search ({what}s: {})",
            known.join(", ")
        ))
    };
    let metric = match metric {
        Some(m) if !metrics.iter().any(|x| x == m) => return Err(unknown("metric", m, &metrics)),
        Some(m) => m.to_string(),
        None => metrics.first().cloned().unwrap_or_default(),
    };
    let value_of = |params: &[(String, Value)], name: &str| {
        params.iter().find(|p| p.0 == name).map_or(Value::Null, |p| p.1.clone())
    };
    let parameter = match parameter {
        Some(p) if !parameters.iter().any(|x| x == p) => {
            return Err(unknown("parameter", p, &parameters))
        }
        Some(p) => p.to_string(),
        None => {
            // Among the parameters of the executions that record the metric (those are
            // the points): the first whose numbers vary, else the first recorded at all.
            let with_metric: Vec<&ReadExecution> =
                rows.iter().filter(|r| r.metrics.iter().any(|m| m.0 == metric)).collect();
            let recorded: Vec<&String> = parameters
                .iter()
                .filter(|p| with_metric.iter().any(|r| r.params.iter().any(|q| q.0 == **p)))
                .collect();
            let varies = |name: &&&String| {
                let nums: Vec<f64> = with_metric
                    .iter()
                    .filter_map(|r| value_of(&r.params, name).as_number())
                    .collect();
                nums.windows(2).any(|w| w[0] != w[1])
            };
            let pick = recorded.iter().find(varies).or(recorded.first());
            pick.map(|p| p.to_string()).or(parameters.first().cloned()).unwrap_or_default()
        }
    };
    let (mut out_ids, mut names, mut x, mut y) = (vec![], vec![], vec![], vec![]);
    for r in &rows {
        if let Some((_, v)) = r.metrics.iter().find(|m| m.0 == metric) {
            out_ids.push(r.id);
            names.push(r.name.clone());
            x.push(value_of(&r.params, &parameter));
            y.push(*v);
        }
    }
    let present: Vec<&Value> = x.iter().filter(|v| !matches!(v, Value::Null)).collect();
    let x_numeric = present.iter().all(|v| v.as_number().is_some());
    let x_categories = if x_numeric {
        vec![]
    } else {
        sorted_distinct(present.iter().map(|v| v.as_text()).collect())
    };
    // The direction of the recorded name (`accuracy (Metrics #2)` is still an accuracy).
    let direction = metric_direction(metric.split(" (").next().unwrap_or(&metric));
    let mut ranking: Vec<usize> = (0..y.len()).collect();
    ranking.sort_by(|&a, &b| match direction {
        Direction::Lower => y[a].total_cmp(&y[b]),
        _ => y[b].total_cmp(&y[a]),
    });
    Ok(MetricScatter {
        total: ids.len(),
        considered: considered.len(),
        metrics,
        parameters,
        metric,
        parameter,
        direction,
        ids: out_ids,
        names,
        x,
        y,
        x_numeric,
        x_categories,
        ranking,
    })
}
