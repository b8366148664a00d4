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

use crate::conventions::{
    is_artifact_bookkeeping_property, is_metrics_artifact_type, metric_direction, property_role,
};
use crate::model::{ExecutionDetails, PropertyRole, Value};
pub use crate::model::{Metric, MetricSource};

/// The metrics of one execution, in this order: its own properties (by name), then each
/// metrics-like output artifact's properties (artifacts in event order, properties by name).
pub fn metrics_of(details: &ExecutionDetails) -> Vec<Metric> {
    metrics_from(&details.typed_properties, &details.outputs)
}

/// [`metrics_of`] from an execution's typed properties and output artifacts.
pub(crate) fn metrics_from(
    properties: &[crate::model::TypedProperty],
    outputs: &[crate::model::Artifact],
) -> Vec<Metric> {
    let mut out: Vec<Metric> = properties
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
    for a in outputs.iter().filter(|a| is_metrics_artifact_type(&a.type_name)) {
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

/// True for an execution's own property that is a metric (see
/// [`crate::conventions::property_role`]).
pub(crate) fn is_execution_metric(name: &str, value: &Value) -> bool {
    property_role(name, value) == PropertyRole::Metric
}
