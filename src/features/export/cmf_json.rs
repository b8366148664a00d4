//! CMF's own JSON export (`CmfQuery.dumptojson(pipeline)`, what `cmf metadata export`
//! writes): `{"Pipeline": [pipeline → "stages" → "executions" → "events" → "artifact"]}`,
//! each node with the attributes cmflib's `_get_node_attributes` copies from its proto.
//! Equal (as JSON) to cmflib's output: `shared/fixtures/cmf_small.dumptojson.json` is
//! cmflib's for pipeline `mnist` (tests/export.rs compares them).
//!
//! The records are read once for the whole pipeline (its stages, their executions, one
//! statement for all their events and one for the artifacts those name) and serialised
//! straight from them, keys in sorted order (as a `serde_json::Map` writes them), without
//! building a tree of JSON values first: on a pipeline of thousands of executions that tree
//! cost more than reading the rows.

use std::collections::{BTreeMap, HashMap};

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

use crate::db::{EventLink, NodeKind, NodeRecord, Order, Pick};
use crate::error::{Error, Result};
use crate::features::cmfquery::{by_id, pipelines, props_of, stage_executions};
use crate::index::ExecutionIndex;
use crate::model::{Properties, Value};

/// A property value as cmflib copies it (`CmfQuery._copy`, as
/// [`crate::features::cmfquery::rows::cmf_value`]): its string, else its int, else its
/// double (a non-finite one as `null`), which is 0.0 for every other kind.
struct CmfValue<'a>(&'a Value);

impl Serialize for CmfValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0 {
            Value::String(v) => s.serialize_str(v),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Double(d) if d.is_finite() => s.serialize_f64(*d),
            Value::Double(_) => s.serialize_unit(),
            _ => s.serialize_f64(0.0),
        }
    }
}

/// Properties as a JSON object of [`CmfValue`]s, by name; `user_type` for a custom
/// property named `type` when `rename_type` (cmflib's `{"type": "user_type"}`).
struct CmfProps<'a> {
    props: &'a BTreeMap<String, Value>,
    rename_type: bool,
}

impl Serialize for CmfProps<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if self.rename_type && self.props.contains_key("type") {
            // The renamed key sorts elsewhere; a property already named `user_type` (read
            // after `type`) wins, as it does in cmflib's dict.
            let renamed: BTreeMap<&str, &Value> = self
                .props
                .iter()
                .map(|(k, v)| (if k == "type" { "user_type" } else { k.as_str() }, v))
                .collect();
            return s.collect_map(renamed.into_iter().map(|(k, v)| (k, CmfValue(v))));
        }
        s.collect_map(self.props.iter().map(|(k, v)| (k.as_str(), CmfValue(v))))
    }
}

/// One node with the attributes cmflib's `_get_node_attributes` takes from its proto (its
/// `CONTEXT_LIST`): the integers always (proto defaults when NULL), `name`, `type` and
/// `uri` when not empty, and the properties (custom ones with `type` renamed
/// `user_type`) — plus its children under `child` (`stages`, `executions`, `events`).
struct Node<'a, C> {
    node: &'a NodeRecord,
    props: &'a Properties,
    kind: NodeKind,
    /// Executions always have a `name` (`""` when NULL), as cmflib's export writes them.
    always_named: bool,
    child: Option<(&'static str, C)>,
}

impl<C: Serialize> Serialize for Node<'_, C> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let n = self.node;
        let mut m = s.serialize_map(None)?;
        let mut child = self.child.as_ref();
        // Writes the child first when its key sorts before `key`.
        let mut before = |m: &mut S::SerializeMap, key: &str| {
            if let Some((k, c)) = child.filter(|(k, _)| *k < key) {
                child = None;
                m.serialize_entry(k, c)?;
            }
            Ok(())
        };
        before(&mut m, "create_time_since_epoch")?;
        m.serialize_entry("create_time_since_epoch", &n.created.unwrap_or(0))?;
        before(&mut m, "custom_properties")?;
        m.serialize_entry(
            "custom_properties",
            &CmfProps { props: &self.props.custom_properties, rename_type: true },
        )?;
        before(&mut m, "id")?;
        m.serialize_entry("id", &n.id)?;
        before(&mut m, "last_update_time_since_epoch")?;
        m.serialize_entry("last_update_time_since_epoch", &n.updated.unwrap_or(0))?;
        let name = n.name.as_deref().unwrap_or_default();
        if self.always_named || !name.is_empty() {
            before(&mut m, "name")?;
            m.serialize_entry("name", name)?;
        }
        before(&mut m, "properties")?;
        m.serialize_entry(
            "properties",
            &CmfProps { props: &self.props.properties, rename_type: false },
        )?;
        if !n.type_name.is_empty() {
            before(&mut m, "type")?;
            m.serialize_entry("type", &n.type_name)?;
        }
        before(&mut m, "type_id")?;
        m.serialize_entry("type_id", &n.type_id.unwrap_or(0))?;
        if self.kind == NodeKind::Artifact {
            if let Some(uri) = n.uri.as_deref().filter(|u| !u.is_empty()) {
                before(&mut m, "uri")?;
                m.serialize_entry("uri", uri)?;
            }
        }
        before(&mut m, "\u{10ffff}")?;
        m.end()
    }
}

/// A node with no children.
type Leaf<'a> = Node<'a, ()>;

/// The events of one execution, in event order: `{"artifact": …, "type": <event type>}`
/// (events whose artifact is missing are left out).
struct Events<'a> {
    events: &'a [EventLink],
    artifacts: &'a HashMap<i64, NodeRecord>,
}

impl Serialize for Events<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for e in self.events {
            let Some(a) = self.artifacts.get(&e.artifact_id) else { continue };
            let artifact = Leaf {
                node: a,
                props: &a.props,
                kind: NodeKind::Artifact,
                always_named: false,
                child: None,
            };
            seq.serialize_element(&EventNode { artifact, kind: e.kind })?;
        }
        seq.end()
    }
}

/// One event: its artifact, then its type (sorted keys).
#[derive(Serialize)]
struct EventNode<'a> {
    artifact: Leaf<'a>,
    #[serde(rename = "type")]
    kind: i64,
}

/// A stage's executions (newest first), each with its events.
struct Executions<'a> {
    ix: &'a ExecutionIndex,
    executions: &'a [NodeRecord],
    events: &'a HashMap<i64, Vec<EventLink>>,
    artifacts: &'a HashMap<i64, NodeRecord>,
}

impl Serialize for Executions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.executions.iter().map(|e| Node {
            node: e,
            props: props_of(self.ix, e),
            kind: NodeKind::Execution,
            always_named: true,
            child: Some((
                "events",
                Events {
                    events: self.events.get(&e.id).map_or(&[][..], Vec::as_slice),
                    artifacts: self.artifacts,
                },
            )),
        }))
    }
}

/// A stage context with its executions, as read.
struct Stage<'a> {
    context: &'a NodeRecord,
    executions: Vec<NodeRecord>,
}

/// A pipeline context with its stages.
struct Pipeline<'a> {
    context: &'a NodeRecord,
    stages: Vec<Stage<'a>>,
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
    let mut found = Vec::new();
    for p in pipelines(ix, Some(pipeline))? {
        let mut stage_list = Vec::new();
        for s in &p.stages {
            let mut executions = stage_executions(ix, s.id)?;
            executions.retain(|e| exec_uuid.is_none_or(|u| has_uuid(props_of(ix, e), u)));
            stage_list.push(Stage { context: s, executions });
        }
        found.push(Pipeline { context: &p.context, stages: stage_list });
    }
    // Every event of those executions (one statement), then every artifact they name.
    let mut ids: Vec<i64> =
        found.iter().flat_map(|p| &p.stages).flat_map(|s| &s.executions).map(|e| e.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let db = ix.db();
    let mut events: HashMap<i64, Vec<EventLink>> = HashMap::new();
    let mut artifact_ids = Vec::new();
    for e in db.events_of(&ids, true)? {
        artifact_ids.push(e.artifact_id);
        events.entry(e.execution_id).or_default().push(e);
    }
    artifact_ids.sort_unstable();
    artifact_ids.dedup();
    let artifacts = by_id(db.nodes(NodeKind::Artifact, Pick::Ids(&artifact_ids), Order::Id)?);

    let doc = Doc { ix, pipelines: &found, events: &events, artifacts: &artifacts };
    // About 1.5 KB per execution with its events (cmflib's own stores): grown once or twice
    // rather than a dozen times.
    let mut out = Vec::with_capacity(ids.len().saturating_mul(1536).saturating_add(64));
    let written = serde_json::to_writer(&mut out, &doc).map_err(|e| e.to_string());
    written
        .and_then(|()| String::from_utf8(out).map_err(|e| e.to_string()))
        .map_err(|e| Error::InvalidArgument(format!("cannot write JSON: {e}")))
}

/// The whole document: `{"Pipeline": [pipeline, …]}`.
struct Doc<'a> {
    ix: &'a ExecutionIndex,
    pipelines: &'a [Pipeline<'a>],
    events: &'a HashMap<i64, Vec<EventLink>>,
    artifacts: &'a HashMap<i64, NodeRecord>,
}

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let pipelines = Seq(self.pipelines.iter().map(|p| Node {
            node: p.context,
            props: &p.context.props,
            kind: NodeKind::Context,
            always_named: false,
            child: Some(("stages", Seq(p.stages.iter().map(|st| self.stage(st))))),
        }));
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("Pipeline", &pipelines)?;
        m.end()
    }
}

impl<'a> Doc<'a> {
    /// A stage with its executions.
    fn stage(&self, st: &'a Stage<'a>) -> Node<'a, Executions<'a>> {
        Node {
            node: st.context,
            props: &st.context.props,
            kind: NodeKind::Context,
            always_named: false,
            child: Some((
                "executions",
                Executions {
                    ix: self.ix,
                    executions: &st.executions,
                    events: self.events,
                    artifacts: self.artifacts,
                },
            )),
        }
    }
}

/// A JSON array of what a (cloneable) iterator yields.
struct Seq<I>(I);

impl<I> Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn a_custom_property_named_type_is_written_as_user_type_in_sorted_place() {
        let p = props(&[
            ("a", Value::Int(1)),
            ("type", Value::String("model".into())),
            ("z", Value::Double(f64::NAN)),
            ("b", Value::Bool(true)),
        ]);
        let text = serde_json::to_string(&CmfProps { props: &p, rename_type: true }).unwrap();
        assert_eq!(text, r#"{"a":1,"b":0.0,"user_type":"model","z":null}"#);
        let declared = serde_json::to_string(&CmfProps { props: &p, rename_type: false }).unwrap();
        assert_eq!(declared, r#"{"a":1,"b":0.0,"type":"model","z":null}"#);
        // A property already named user_type is read after `type`, and wins (cmflib's dict).
        let both = props(&[("type", Value::Int(1)), ("user_type", Value::Int(2))]);
        let text = serde_json::to_string(&CmfProps { props: &both, rename_type: true }).unwrap();
        assert_eq!(text, r#"{"user_type":2}"#);
    }

    #[test]
    fn a_node_writes_its_child_among_its_sorted_keys() {
        let mut custom = Properties::default();
        custom.custom_properties.insert("k".into(), Value::String("v".into()));
        let n = NodeRecord {
            id: 7,
            type_id: None,
            type_name: "Train".into(),
            name: None,
            uri: Some("u".into()),
            state: None,
            external_id: None,
            created: Some(5),
            updated: None,
            props: custom,
        };
        let node = |kind, always_named, child: &'static str| {
            serde_json::to_string(&Node {
                node: &n,
                props: &n.props,
                kind,
                always_named,
                child: Some((child, [1])),
            })
            .unwrap()
        };
        let tree = |v: serde_json::Value| serde_json::to_string(&v).unwrap();
        let base = json!({"create_time_since_epoch": 5, "custom_properties": {"k": "v"}, "id": 7,
            "last_update_time_since_epoch": 0, "properties": {}, "type": "Train", "type_id": 0});
        for (child, kind, named) in [
            ("events", NodeKind::Execution, true),
            ("stages", NodeKind::Context, false),
            ("zzz", NodeKind::Artifact, false),
        ] {
            let mut want = base.clone();
            want[child] = json!([1]);
            if named {
                want["name"] = json!("");
            }
            if kind == NodeKind::Artifact {
                want["uri"] = json!("u");
            }
            assert_eq!(node(kind, named, child), tree(want), "{child}");
        }
    }
}
