//! Everything about one execution: its row, times, git information, contexts,
//! properties, the artifacts it read and wrote, and its events.

use std::collections::HashMap;

use crate::conventions::{self, keys};
use crate::db::ArtifactRecord;
use crate::error::{Error, Result};
use crate::features::metrics;
use crate::index::ExecutionIndex;
use crate::model::{time_pair, Artifact, Event, ExecutionDetails, Value};
use crate::time::iso_from_ms;

/// Everything known about execution `id`.
///
/// # Errors
/// [`Error::NoSuchExecution`] when no execution has this id; read errors.
pub(crate) fn execution(ix: &ExecutionIndex, id: i64) -> Result<ExecutionDetails> {
    let pos = ix.position(id).ok_or(Error::NoSuchExecution(id))?;
    let db = ix.db();
    let props = db.execution_properties(id)?;
    let (external_id, created_ms, updated_ms) =
        db.execution_times(id)?.ok_or(Error::NoSuchExecution(id))?;
    let contexts = db.context_refs(&ix.entries()[pos].contexts)?;
    let (events, inputs, outputs) = events_of(ix, id)?;
    let (created, created_ms) = time_pair(created_ms);
    let (updated, updated_ms) = time_pair(updated_ms);
    let raw_name = db.execution_name(id)?;
    let mut typed_properties = props.typed();
    for p in &mut typed_properties {
        p.role = conventions::property_role(&p.name, &p.value);
        if let Value::String(text) = &p.value {
            p.json = conventions::json_container(text).map(Value::Struct);
        }
    }
    let metrics = metrics::metrics_from(&typed_properties, &outputs);
    Ok(ExecutionDetails {
        row: ix.row(pos),
        external_id: external_id.unwrap_or_default(),
        uuid: conventions::execution_uuid(
            &conventions::first_text(&props, &keys::UUID),
            raw_name.as_deref(),
        ),
        raw_name: raw_name.unwrap_or_default(),
        ended_from: ix.entries()[pos].end_source,
        command: conventions::first_text(&props, &keys::COMMAND),
        created,
        created_ms,
        updated,
        updated_ms,
        git: conventions::git_info(&props),
        contexts,
        typed_properties,
        metrics,
        props,
        inputs,
        outputs,
        events,
    })
}

/// Artifacts of an execution in one direction (`"INPUT"` or `"OUTPUT"`, as cmflib's
/// `CmfQuery.get_all_artifacts_for_execution`), in event order.
///
/// # Errors
/// [`Error::NoSuchExecution`]; [`Error::InvalidArgument`] for another direction.
pub(crate) fn artifacts_for_execution(
    ix: &ExecutionIndex,
    id: i64,
    direction: &str,
) -> Result<Vec<Artifact>> {
    if ix.position(id).is_none() {
        return Err(Error::NoSuchExecution(id));
    }
    let wanted = direction.to_ascii_uppercase();
    if wanted != "INPUT" && wanted != "OUTPUT" {
        return Err(Error::InvalidArgument(format!(
            "direction must be INPUT or OUTPUT, not {direction:?}"
        )));
    }
    let (_, inputs, outputs) = events_of(ix, id)?;
    Ok(if wanted == "INPUT" { inputs } else { outputs })
}

/// An artifact as the caller sees it, linked by an event of `kind`.
fn artifact(a: ArtifactRecord, display_name: String, kind: i64) -> Artifact {
    Artifact {
        id: a.id,
        name: a.name,
        display_name,
        type_name: a.type_name,
        uri: a.uri,
        version: conventions::artifact_version(&a.props),
        state: conventions::artifact_state_label(a.state),
        created: a.created.and_then(iso_from_ms),
        updated: a.updated.and_then(iso_from_ms),
        event_type: conventions::event_type_label(kind),
        props: a.props,
    }
}

/// Events of an execution in time order, with the artifacts they read and wrote.
fn events_of(ix: &ExecutionIndex, id: i64) -> Result<(Vec<Event>, Vec<Artifact>, Vec<Artifact>)> {
    let db = ix.db();
    let mut artifacts: HashMap<i64, Option<(ArtifactRecord, String)>> = HashMap::new();
    let (mut events, mut inputs, mut outputs) = (Vec::new(), Vec::new(), Vec::new());
    for ev in db.events_of_execution(id)? {
        let record = match artifacts.entry(ev.artifact_id) {
            std::collections::hash_map::Entry::Occupied(o) => o.get().clone(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let read = match db.artifact(ev.artifact_id)? {
                    Some(a) => {
                        let shown = ix.artifact_display_name(&a)?;
                        Some((a, shown))
                    }
                    None => None,
                };
                v.insert(read).clone()
            }
        };
        let (time, time_ms) = time_pair(ev.ms);
        events.push(Event {
            id: ev.id,
            type_name: conventions::event_type_label(ev.kind),
            artifact_id: ev.artifact_id,
            artifact_name: record.as_ref().map(|(a, _)| a.name.clone()).unwrap_or_default(),
            // An event on a missing artifact row still reads as something.
            artifact_display_name: record.as_ref().map_or_else(
                || format!("missing artifact #{}", ev.artifact_id),
                |(_, shown)| shown.clone(),
            ),
            time,
            time_ms,
            path: db.event_path(ev.id)?,
        });
        if let Some((a, shown)) = record {
            if conventions::is_input_event(ev.kind) {
                inputs.push(artifact(a, shown, ev.kind));
            } else if conventions::is_output_event(ev.kind) {
                outputs.push(artifact(a, shown, ev.kind));
            }
        }
    }
    Ok((events, inputs, outputs))
}
