//! The summary of a store: counts, and the distinct values the filters offer.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::index::ExecutionIndex;
use crate::model::Summary;
use crate::time::iso_from_ms;

/// Counts, distinct values and warnings of the store behind `ix`.
///
/// # Errors
/// Read errors.
pub(crate) fn summary(ix: &ExecutionIndex) -> Result<Summary> {
    let db = ix.db();
    let mut states = BTreeMap::new();
    for e in ix.entries() {
        *states.entry(e.status.label().to_string()).or_insert(0) += 1;
    }
    let starts = ix.entries().iter().filter_map(|e| e.started_ms);
    Ok(Summary {
        schema_version: db.schema().version,
        flavor: ix.flavor(),
        executions: ix.len(),
        artifacts: db.count("Artifact")?,
        contexts: db.count("Context")?,
        events: db.count("Event")?,
        pipelines: ix.distinct(|e| e.pipeline),
        stages: ix.distinct(|e| e.stage),
        execution_types: ix.distinct(|e| e.type_name),
        execution_type_names: ix.distinct(|e| e.type_short),
        states,
        branches: ix.distinct(|e| e.branch),
        runs: super::runs::runs(ix),
        first_started: starts.clone().min().and_then(iso_from_ms),
        last_started: starts.max().and_then(iso_from_ms),
        warnings: ix.warnings(),
    })
}
