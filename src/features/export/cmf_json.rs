//! CMF's own JSON export (`CmfQuery.dumptojson(pipeline)`, what `cmf metadata export`
//! writes): `{"Pipeline": [pipeline → "stages" → "executions" → "events" → "artifact"]}`,
//! each node with the attributes cmflib's `_get_node_attributes` copies from its proto.
//! Equal (as JSON) to cmflib's output: `shared/fixtures/cmf_small.dumptojson.json` is
//! cmflib's for pipeline `mnist` (tests/export.rs compares them).

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use crate::db::{NodeKind, NodeRecord, Order, Pick};
use crate::error::{Error, Result};
use crate::features::cmfquery::rows::copied;
use crate::features::cmfquery::{by_id, pipelines, props_of, stage_executions, stages};
use crate::index::ExecutionIndex;
use crate::model::Properties;

/// The attributes cmflib's `_get_node_attributes` takes from a node's proto (its
/// `CONTEXT_LIST`): the integers always (proto defaults when NULL), `name`, `type` and
/// `uri` when not empty, and the properties (custom ones with `type` renamed `user_type`).
fn node_attributes(
    mut attrs: Map<String, Json>,
    n: &NodeRecord,
    props: &Properties,
    kind: NodeKind,
) -> Map<String, Json> {
    attrs.insert("create_time_since_epoch".into(), Json::from(n.created.unwrap_or(0)));
    attrs.insert(
        "custom_properties".into(),
        Json::Object(
            copied(&props.custom_properties, &[("type", "user_type")]).into_iter().collect(),
        ),
    );
    attrs.insert("id".into(), Json::from(n.id));
    attrs.insert("last_update_time_since_epoch".into(), Json::from(n.updated.unwrap_or(0)));
    if let Some(name) = n.name.as_deref().filter(|s| !s.is_empty()) {
        attrs.insert("name".into(), Json::from(name));
    }
    attrs.insert(
        "properties".into(),
        Json::Object(copied(&props.properties, &[]).into_iter().collect()),
    );
    if !n.type_name.is_empty() {
        attrs.insert("type".into(), Json::from(n.type_name.clone()));
    }
    attrs.insert("type_id".into(), Json::from(n.type_id.unwrap_or(0)));
    if kind == NodeKind::Artifact {
        if let Some(uri) = n.uri.as_deref().filter(|s| !s.is_empty()) {
            attrs.insert("uri".into(), Json::from(uri));
        }
    }
    attrs
}

/// The events of each of these executions, in event order, each `{"type": <event type>,
/// "artifact": …}` (read together: one statement for the events, one for the artifacts).
fn events(ix: &ExecutionIndex, executions: &[i64]) -> Result<HashMap<i64, Vec<Json>>> {
    let db = ix.db();
    let events = db.events_of(executions, true)?;
    let ids: Vec<i64> = events.iter().map(|e| e.artifact_id).collect();
    let artifacts = by_id(db.nodes(NodeKind::Artifact, Pick::Ids(&ids), Order::Id)?);
    let mut out: HashMap<i64, Vec<Json>> = HashMap::new();
    for e in &events {
        let Some(a) = artifacts.get(&e.artifact_id) else { continue };
        let mut ev = Map::new();
        ev.insert("type".into(), Json::from(e.kind));
        ev.insert(
            "artifact".into(),
            Json::Object(node_attributes(Map::new(), a, &a.props, NodeKind::Artifact)),
        );
        out.entry(e.execution_id).or_default().push(Json::Object(ev));
    }
    Ok(out)
}

/// Whether an execution's `Execution_uuid` (a comma-joined list after a merge) holds `uuid`.
fn has_uuid(props: &Properties, uuid: &str) -> bool {
    props
        .properties
        .get("Execution_uuid")
        .is_some_and(|v| v.as_text().split(',').any(|u| u == uuid))
}

/// `CmfQuery.dumptojson(pipeline, exec_uuid)`: every pipeline named `pipeline` with its
/// stages (by id) and their executions (newest first) — only those whose
/// `Execution_uuid` holds `exec_uuid` when given — with their events and artifacts, as
/// compact JSON. No such pipeline: `{"Pipeline": []}`.
///
/// # Errors
/// [`Error::InvalidArgument`] when `pipeline` is `None` (a CMF export is of one pipeline)
/// or the JSON cannot be written; read errors.
pub(crate) fn export_cmf_json(
    ix: &ExecutionIndex,
    pipeline: Option<&str>,
    exec_uuid: Option<&str>,
) -> Result<String> {
    let pipeline = pipeline.ok_or_else(|| {
        Error::InvalidArgument(
            "the cmf-json export is of one pipeline: give its name (pipeline)".into(),
        )
    })?;
    let mut out = Vec::new();
    for p in pipelines(ix, Some(pipeline))? {
        let mut stage_list = Vec::new();
        for s in stages(ix, p.id)? {
            let mut found = stage_executions(ix, s.id)?;
            found.retain(|e| exec_uuid.is_none_or(|u| has_uuid(props_of(ix, e), u)));
            let mut events = events(ix, &found.iter().map(|e| e.id).collect::<Vec<_>>())?;
            let mut executions = Vec::new();
            for e in found {
                let mut attrs = Map::new();
                attrs
                    .insert("events".into(), Json::Array(events.remove(&e.id).unwrap_or_default()));
                attrs.insert("name".into(), Json::from(e.name.clone().unwrap_or_default()));
                executions.push(Json::Object(node_attributes(
                    attrs,
                    &e,
                    props_of(ix, &e),
                    NodeKind::Execution,
                )));
            }
            let mut attrs = Map::new();
            attrs.insert("executions".into(), Json::Array(executions));
            stage_list.push(Json::Object(node_attributes(attrs, &s, &s.props, NodeKind::Context)));
        }
        let mut attrs = Map::new();
        attrs.insert("stages".into(), Json::Array(stage_list));
        out.push(Json::Object(node_attributes(attrs, &p, &p.props, NodeKind::Context)));
    }
    let mut doc = Map::new();
    doc.insert("Pipeline".into(), Json::Array(out));
    serde_json::to_string(&Json::Object(doc))
        .map_err(|e| Error::InvalidArgument(format!("cannot write JSON: {e}")))
}
