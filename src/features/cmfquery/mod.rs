//! Lookups shaped like cmflib's `CmfQuery`.
//!
//! Two families. By context id, over every convention the viewer knows (cmflib, TFX,
//! KFP): [`pipeline_id`], [`stage_id`], [`executions_in_pipeline`], [`executions_in_stage`].
//! And cmflib's own questions by name, answered as cmflib 0.1.0 answers them — same
//! pipelines (`Parent_Context` contexts), same rows in the same order, same columns —
//! for the Python drop-in `mlmd_lens.CmfQuery`: [`pipeline_names`], [`cmf_pipeline_id`],
//! [`pipeline_stages`], [`executions_in_pipeline_frame`], [`executions_in_stage_frame`],
//! [`exe_in_stage`], [`executions_by_ids_frame`], [`artifacts_for_execution_frame`],
//! [`executions_for_artifact_frame`], [`find_producer_execution`], and in [`lineage`]
//! the artifact lineage questions. Where cmflib raises (an execution with no context, a
//! stage with no parent: TFX stores) these answer with empty cells instead.
//! `tests/notebook/test_cmfquery.py` checks every one against cmflib's own answers.

pub mod lineage;
pub mod rows;

use crate::conventions::{cmf_events, PIPELINE_CONTEXT_TYPES};
use crate::db::{NodeKind, NodeRecord, Order, Pick};
use crate::error::{Error, Result};
use crate::index::{CmfPipeline, ExecutionIndex};

use self::rows::{artifact_fields, execution_fields, execution_proto, FrameBuilder};
pub use self::rows::{CmfColumnKind, CmfExecution, CmfFrame};
use crate::model::Properties;

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

/// cmflib's pipelines (`_get_pipelines`) with their stages, by id: all of them or those
/// named `name`.
pub(crate) fn pipelines<'a>(
    ix: &'a ExecutionIndex,
    name: Option<&'a str>,
) -> Result<impl Iterator<Item = &'a CmfPipeline> + 'a> {
    Ok(ix
        .cmf_pipelines()?
        .iter()
        .filter(move |p| name.is_none_or(|n| p.context.name.as_deref() == Some(n))))
}

/// Above this many executions, their properties come from the index's one-pass copy of
/// every execution's properties (read once, on first use) rather than keyed lookups, which
/// cost a B-tree search per property row.
const KEYED_PROPERTIES_UP_TO: usize = 200;

/// The properties of the executions `ids`, read by id when they are few and the index has
/// no copy of every execution's properties yet; else `None`, having made sure the index
/// has that copy (see [`props_of`]).
fn keyed_properties(
    ix: &ExecutionIndex,
    ids: impl ExactSizeIterator<Item = i64>,
) -> Result<Option<std::collections::HashMap<i64, NodeRecord>>> {
    if ids.len() <= KEYED_PROPERTIES_UP_TO && ix.cached_all_properties().is_none() {
        let ids: Vec<i64> = ids.collect();
        return Ok(Some(by_id(ix.db().nodes(NodeKind::Execution, Pick::Ids(&ids), Order::Id)?)));
    }
    ix.all_properties()?;
    Ok(None)
}

/// The executions `pick` selects, in `order`; their properties are [`props_of`] them.
pub(crate) fn executions(
    ix: &ExecutionIndex,
    pick: Pick<'_>,
    order: Order,
) -> Result<Vec<NodeRecord>> {
    let mut found = ix.db().bare_nodes(NodeKind::Execution, pick, order)?;
    if let Some(mut props) = keyed_properties(ix, found.iter().map(|e| e.id))? {
        for e in &mut found {
            e.props = props.remove(&e.id).map(|p| p.props).unwrap_or_default();
        }
    }
    Ok(found)
}

/// The properties of an execution read by [`executions`]: the index's copy once it has
/// one, else those read with it.
pub(crate) fn props_of<'a>(ix: &'a ExecutionIndex, e: &'a NodeRecord) -> &'a Properties {
    match (ix.cached_all_properties(), ix.position(e.id)) {
        (Some(all), Some(pos)) => &all[pos],
        _ => &e.props,
    }
}

/// The executions of these stage contexts, stage after stage, newest first within a
/// stage, as cmflib's execution frame rows (`id`, `name` and the properties).
fn execution_frame(ix: &ExecutionIndex, stages: &[i64]) -> Result<CmfFrame> {
    let db = ix.db();
    let mut found = Vec::new();
    for &s in stages {
        found.extend(db.node_names(
            NodeKind::Execution,
            Pick::ExecutionsIn(s),
            Order::NewestFirst,
        )?);
    }
    let keyed = keyed_properties(ix, found.iter().map(|e| e.0))?;
    let all = ix.cached_all_properties().unwrap_or_default();
    let none = Properties::default();
    let mut f = FrameBuilder::default();
    for (id, name) in found {
        let props = match &keyed {
            Some(k) => k.get(&id).map(|e| &e.props),
            None => ix.position(id).and_then(|p| all.get(p)),
        };
        f.row(execution_fields(id, name), props.unwrap_or(&none));
    }
    Ok(f.finish())
}

/// The executions of a stage context (`get_executions_by_context`), newest first.
pub(crate) fn stage_executions(ix: &ExecutionIndex, stage: i64) -> Result<Vec<NodeRecord>> {
    executions(ix, Pick::ExecutionsIn(stage), Order::NewestFirst)
}

/// The stage contexts named `stage_name`, over every pipeline (in pipeline, then stage order).
fn stages_named<'a>(
    ix: &'a ExecutionIndex,
    stage_name: &'a str,
) -> Result<impl Iterator<Item = &'a NodeRecord> + 'a> {
    Ok(pipelines(ix, None)?
        .flat_map(|p| &p.stages)
        .filter(move |s| s.name.as_deref() == Some(stage_name)))
}

/// Names of every pipeline (`CmfQuery.get_pipeline_names`).
///
/// # Errors
/// Read errors.
pub(crate) fn pipeline_names(ix: &ExecutionIndex) -> Result<Vec<String>> {
    Ok(pipelines(ix, None)?.map(|p| p.context.name.clone().unwrap_or_default()).collect())
}

/// The id of the first pipeline named `name`, or -1 (`CmfQuery.get_pipeline_id`).
///
/// # Errors
/// Read errors.
pub(crate) fn cmf_pipeline_id(ix: &ExecutionIndex, name: &str) -> Result<i64> {
    Ok(pipelines(ix, Some(name))?.next().map_or(-1, |p| p.context.id))
}

/// Names of the stages of the pipelines named `name` (`CmfQuery.get_pipeline_stages`).
///
/// # Errors
/// Read errors.
pub(crate) fn pipeline_stages(ix: &ExecutionIndex, name: &str) -> Result<Vec<String>> {
    Ok(pipelines(ix, Some(name))?
        .flat_map(|p| &p.stages)
        .map(|s| s.name.clone().unwrap_or_default())
        .collect())
}

/// Every execution of the first pipeline named `name`, stage by stage, newest first within
/// a stage (`CmfQuery.get_all_executions_in_pipeline`).
///
/// # Errors
/// Read errors.
pub(crate) fn executions_in_pipeline_frame(ix: &ExecutionIndex, name: &str) -> Result<CmfFrame> {
    let first = pipelines(ix, Some(name))?.next();
    let stages: Vec<i64> = first.iter().flat_map(|p| &p.stages).map(|s| s.id).collect();
    execution_frame(ix, &stages)
}

/// The executions of every stage named `stage_name` (`<pipeline>/<stage>`), newest first
/// (`CmfQuery.get_all_executions_in_stage`).
///
/// # Errors
/// Read errors.
pub(crate) fn executions_in_stage_frame(ix: &ExecutionIndex, stage_name: &str) -> Result<CmfFrame> {
    let stages: Vec<i64> = stages_named(ix, stage_name)?.map(|s| s.id).collect();
    execution_frame(ix, &stages)
}

/// The executions of the first stage named `stage_name`, newest first, as proto-like
/// records (`CmfQuery.get_all_exe_in_stage`).
///
/// # Errors
/// Read errors.
pub(crate) fn exe_in_stage(ix: &ExecutionIndex, stage_name: &str) -> Result<Vec<CmfExecution>> {
    let Some(stage) = stages_named(ix, stage_name)?.next() else {
        return Ok(Vec::new());
    };
    Ok(stage_executions(ix, stage.id)?
        .iter()
        .map(|e| execution_proto(e, props_of(ix, e)))
        .collect())
}

/// The properties of the executions with these ids, by id; unknown ids are skipped
/// (`CmfQuery.get_all_executions_by_ids_list`: no `id` column, as in cmflib).
///
/// # Errors
/// Read errors.
pub(crate) fn executions_by_ids_frame(ix: &ExecutionIndex, ids: &[i64]) -> Result<CmfFrame> {
    let mut f = FrameBuilder::default();
    if let Some(all) = ix.cached_all_properties() {
        // The frame is only properties, which the index holds once it has read them all:
        // no SQL (the ids it knows, by id, once each, as `id IN (…)` picks them).
        let mut known: Vec<(i64, usize)> =
            ids.iter().filter_map(|&id| Some((id, ix.position(id)?))).collect();
        known.sort_unstable();
        known.dedup();
        for props in known.into_iter().filter_map(|(_, pos)| all.get(pos)) {
            f.row(Vec::new(), props);
        }
        return Ok(f.finish());
    }
    for e in &executions(ix, Pick::Ids(ids), Order::Id)? {
        f.row(Vec::new(), props_of(ix, e));
    }
    Ok(f.finish())
}

/// cmflib's label of an event: `INPUT` for an INPUT event, `OUTPUT` for any other.
fn event_label(kind: i64) -> &'static str {
    if kind == cmf_events::INPUT {
        "INPUT"
    } else {
        "OUTPUT"
    }
}

/// The artifacts of an execution, one row per event in event order with its `event`
/// (`CmfQuery.get_all_artifacts_for_execution`); only the events labelled `direction`
/// (`"INPUT"` or `"OUTPUT"`, any case) when given. An unknown id gives an empty frame.
///
/// # Errors
/// [`Error::InvalidArgument`] for another direction; read errors.
pub(crate) fn artifacts_for_execution_frame(
    ix: &ExecutionIndex,
    id: i64,
    direction: Option<&str>,
) -> Result<CmfFrame> {
    let wanted = direction.map(str::to_ascii_uppercase);
    if let Some(w) = wanted.as_deref().filter(|w| *w != "INPUT" && *w != "OUTPUT") {
        return Err(Error::InvalidArgument(format!(
            "direction must be INPUT or OUTPUT, not {w:?}"
        )));
    }
    let db = ix.db();
    let events = db.events_of(&[id], true)?;
    let ids: Vec<i64> = events.iter().map(|e| e.artifact_id).collect();
    let artifacts = by_id(db.nodes(NodeKind::Artifact, Pick::Ids(&ids), Order::Id)?);
    let mut f = FrameBuilder::default();
    for e in events.iter().filter(|e| wanted.as_deref().is_none_or(|w| w == event_label(e.kind))) {
        if let Some(a) = artifacts.get(&e.artifact_id) {
            f.row(artifact_fields(a, Some(event_label(e.kind))), &a.props);
        }
    }
    Ok(f.finish())
}

/// Nodes by id.
pub(crate) fn by_id(nodes: Vec<NodeRecord>) -> std::collections::HashMap<i64, NodeRecord> {
    nodes.into_iter().map(|n| (n.id, n)).collect()
}

/// The first artifact (by id) named `name` (surrounding spaces ignored), as cmflib's
/// `_get_artifact` finds it.
pub(crate) fn artifact_named(ix: &ExecutionIndex, name: &str) -> Result<Option<i64>> {
    ix.first_artifact_named(name.trim())
}

/// The executions that read or wrote the artifact named `name`, one row per event in
/// event order: `Type`, `execution_id`, `execution_name`, `execution_type_name`, `stage`
/// (the execution's first context) and `pipeline` (that context's first parent)
/// (`CmfQuery.get_all_executions_for_artifact`; cmflib's `execution_type_name` cell is an
/// MLMD `Value`, here its value). No such artifact: an empty frame.
///
/// # Errors
/// Read errors.
pub(crate) fn executions_for_artifact_frame(ix: &ExecutionIndex, name: &str) -> Result<CmfFrame> {
    use serde_json::Value as Json;
    let Some(artifact) = artifact_named(ix, name)? else { return Ok(CmfFrame::default()) };
    let db = ix.db();
    let events = db.events_of(&[artifact], false)?;
    let ids: Vec<i64> = events.iter().map(|e| e.execution_id).collect();
    let found = by_id(executions(ix, Pick::Ids(&ids), Order::Id)?);
    // The first context `pick` selects, as (id, name).
    let name_of = |pick| -> Result<Option<(i64, Option<String>)>> {
        Ok(db.node_names(NodeKind::Context, pick, Order::Id)?.into_iter().next())
    };
    let mut f = FrameBuilder::default();
    for ev in &events {
        let e = found.get(&ev.execution_id);
        // The index holds each execution's contexts (Association has no index on
        // execution_id: SQL would scan it once per event).
        let contexts =
            ix.position(ev.execution_id).map_or(&[][..], |p| &ix.entries()[p].contexts[..]);
        let stage = match contexts.first() {
            Some(first) => name_of(Pick::Ids(std::slice::from_ref(first)))?,
            None => None,
        };
        let pipeline = match &stage {
            Some((id, _)) => name_of(Pick::ParentsOf(*id))?,
            None => None,
        };
        let type_name = e
            .and_then(|e| props_of(ix, e).properties.get("Execution_type_name"))
            .map_or(Json::Null, rows::cmf_value);
        let fields = vec![
            ("Type", Json::from(event_label(ev.kind))),
            ("execution_id", Json::from(ev.execution_id)),
            ("execution_name", Json::from(e.and_then(|e| e.name.clone()).unwrap_or_default())),
            ("execution_type_name", type_name),
            ("stage", Json::from(stage.and_then(|s| s.1).unwrap_or_default())),
            ("pipeline", Json::from(pipeline.and_then(|p| p.1).unwrap_or_default())),
        ];
        f.row(fields, &Properties::default());
    }
    Ok(f.finish())
}

/// The execution (the first by id) with an OUTPUT event on the artifact named `name`, or
/// `None` (`CmfQuery.find_producer_execution`).
///
/// # Errors
/// Read errors.
pub(crate) fn find_producer_execution(
    ix: &ExecutionIndex,
    name: &str,
) -> Result<Option<CmfExecution>> {
    let Some(artifact) = artifact_named(ix, name)? else { return Ok(None) };
    let db = ix.db();
    let producers: Vec<i64> = db
        .events_of(&[artifact], false)?
        .into_iter()
        .filter(|e| e.kind == cmf_events::OUTPUT)
        .map(|e| e.execution_id)
        .collect();
    let found = executions(ix, Pick::Ids(&producers), Order::Id)?;
    Ok(found.first().map(|e| execution_proto(e, props_of(ix, e))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn cmf_small() -> Option<ExecutionIndex> {
        let dir = std::env::var("MLMD_FIXTURES")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures").into());
        let db = Db::open_path(&std::path::Path::new(&dir).join("cmf_small.sqlite")).ok()?;
        ExecutionIndex::build(std::sync::Arc::new(db), None, &mut |_| ()).ok()
    }

    #[test]
    fn keyed_and_one_pass_properties_give_the_same_rows() {
        let Some(ix) = cmf_small() else { return }; // the integration tests require the fixtures
                                                    // Out of order, one repeated and one unknown: by id, once each, as `id IN (…)`.
        let mut ids: Vec<i64> = ix.entries().iter().rev().map(|e| e.id).collect();
        ids.extend([ids[0], 999_999]);
        let keyed = executions_by_ids_frame(&ix, &ids).unwrap();
        let stage = executions_in_stage_frame(&ix, "mnist/Train").unwrap();
        assert!(ix.cached_all_properties().is_none());
        ix.all_properties().unwrap();
        assert_eq!(executions_by_ids_frame(&ix, &ids).unwrap(), keyed);
        assert_eq!(executions_in_stage_frame(&ix, "mnist/Train").unwrap(), stage);
        assert_eq!(keyed.len(), 20);
    }
}
