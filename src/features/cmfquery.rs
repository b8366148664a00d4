//! Lookups shaped like cmflib's `CmfQuery` (`get_pipeline_id`, `get_pipeline_stage`,
//! `get_all_executions_in_pipeline`, `get_all_executions_in_stage`), answered by context
//! ids as cmflib does.

use crate::conventions::PIPELINE_CONTEXT_TYPES;
use crate::error::Result;
use crate::index::ExecutionIndex;

/// The id of the pipeline context named `name` (cmflib `CmfQuery.get_pipeline_id`).
///
/// # Errors
/// Read errors.
pub(crate) fn pipeline_id(ix: &ExecutionIndex, name: &str) -> Result<Option<i64>> {
    ix.db().context_id_named(name, &PIPELINE_CONTEXT_TYPES)
}

/// The id of stage `stage` of pipeline `pipeline`: a child context of the pipeline named
/// `<pipeline>/<stage>`, `<pipeline>.<stage>` or `<stage>`.
///
/// # Errors
/// Read errors.
pub(crate) fn stage_id(ix: &ExecutionIndex, pipeline: &str, stage: &str) -> Result<Option<i64>> {
    let Some(pid) = pipeline_id(ix, pipeline)? else { return Ok(None) };
    let (slash, dot) = (format!("{pipeline}/{stage}"), format!("{pipeline}.{stage}"));
    ix.db().child_context_id(pid, [&slash, &dot, stage])
}

/// Ids of every execution associated with the pipeline context or any context below it
/// (cmflib `CmfQuery.get_all_executions_in_pipeline`).
///
/// # Errors
/// Read errors.
pub(crate) fn executions_in_pipeline(ix: &ExecutionIndex, pipeline_id: i64) -> Result<Vec<i64>> {
    ix.db().executions_in_context(pipeline_id, true)
}

/// Ids of the executions associated with a context, e.g. a stage
/// (cmflib `CmfQuery.get_all_executions_in_stage`).
///
/// # Errors
/// Read errors.
pub(crate) fn executions_in_stage(ix: &ExecutionIndex, stage_id: i64) -> Result<Vec<i64>> {
    ix.db().executions_in_context(stage_id, false)
}
