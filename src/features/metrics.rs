//! The metrics of one execution: its own numeric properties whose name says a direction
//! (`accuracy`, `loss`, …), plus every numeric property of the metrics-like artifacts it
//! output (cmflib `Metrics` / `Step_Metrics`, TFX `ModelEvaluation` / `ModelBlessing`, any
//! type named `*Metrics*`; see [`crate::conventions::is_metrics_artifact_type`]), each
//! tagged with where it came from. Nothing is merged or dropped here: two sources logging
//! `accuracy` give two metrics (compare labels them apart, see
//! [`crate::features::compare`]).
//!
//! Why an execution's other numeric properties are not metrics: cmflib and TFX store
//! hyper-parameters (`epochs`, `learning_rate`) the same way, so "numeric" alone would
//! chart every parameter as a result; those stay in compare's Parameters group.

use serde::Serialize;

use crate::conventions::{
    is_artifact_bookkeeping_property, is_bookkeeping_property, is_git_property,
    is_metrics_artifact_type, metric_direction, Direction,
};
use crate::model::{ExecutionDetails, Value};

/// Where a metric value was recorded.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MetricSource {
    /// A property of the execution itself.
    Execution,
    /// A property of a metrics-like artifact the execution output.
    Artifact {
        /// `Artifact.id`.
        id: i64,
        /// `Artifact.name` ("" when NULL).
        name: String,
        /// The artifact type's name (`Metrics`, `ModelBlessing`, …).
        #[serde(rename = "type")]
        type_name: String,
        /// 1 for the first output of this type carrying metrics, 2 for the second, …
        /// (event order): the label that tells two artifacts of one type apart.
        ordinal: usize,
    },
}

impl MetricSource {
    /// A short label that lines up across executions: `execution`, or the artifact type
    /// with its ordinal (`Metrics #1`).
    pub fn label(&self) -> String {
        match self {
            MetricSource::Execution => "execution".to_string(),
            MetricSource::Artifact { type_name, ordinal, .. } => format!("{type_name} #{ordinal}"),
        }
    }
}

/// One metric value of an execution.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    /// The property name as recorded (`accuracy`).
    pub name: String,
    /// The value as recorded (cmflib may store a number as text); always numeric.
    pub value: Value,
    /// Which way it improves, from its name.
    pub direction: Direction,
    /// Where it was recorded.
    pub source: MetricSource,
}

/// The metrics of one execution, in this order: its own properties (by name), then each
/// metrics-like output artifact's properties (artifacts in event order, properties by name).
pub fn metrics_of(details: &ExecutionDetails) -> Vec<Metric> {
    let mut out: Vec<Metric> = details
        .typed_properties
        .iter()
        .filter(|p| is_execution_metric(&p.name, &p.value))
        .map(|p| Metric {
            name: p.name.clone(),
            value: p.value.clone(),
            direction: metric_direction(&p.name),
            source: MetricSource::Execution,
        })
        .collect();
    let mut seen: Vec<i64> = Vec::new();
    let mut per_type: Vec<(String, usize)> = Vec::new();
    for a in details.outputs.iter().filter(|a| is_metrics_artifact_type(&a.type_name)) {
        if seen.contains(&a.id) {
            continue;
        }
        seen.push(a.id);
        let values: Vec<_> = a
            .props
            .typed()
            .into_iter()
            .filter(|p| !is_artifact_bookkeeping_property(&p.name) && p.value.as_number().is_some())
            .collect();
        if values.is_empty() {
            continue;
        }
        let ordinal = match per_type.iter_mut().find(|(t, _)| *t == a.type_name) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                per_type.push((a.type_name.clone(), 1));
                1
            }
        };
        let source = MetricSource::Artifact {
            id: a.id,
            name: a.name.clone(),
            type_name: a.type_name.clone(),
            ordinal,
        };
        out.extend(values.into_iter().map(|p| Metric {
            direction: metric_direction(&p.name),
            name: p.name,
            value: p.value,
            source: source.clone(),
        }));
    }
    out
}

/// True for an execution's own property that is a metric: numeric, named with a direction,
/// and neither bookkeeping nor git.
pub(crate) fn is_execution_metric(name: &str, value: &Value) -> bool {
    value.as_number().is_some()
        && metric_direction(name) != Direction::Neutral
        && !is_bookkeeping_property(name)
        && !is_git_property(name)
}
