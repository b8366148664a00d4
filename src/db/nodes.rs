//! Whole MLMD nodes (contexts, executions, artifacts with their type names and every
//! property) and events, picked by the relations ml-metadata's own API follows
//! (`get_contexts_by_type`, `get_children_contexts_by_context`, `get_executions_by_context`,
//! `get_events_by_execution_ids`, …) in the order it returns them: what the CmfQuery
//! questions (`features::cmfquery`) are answered from. Each read is one statement for the
//! nodes and one for their properties, however many nodes it picks.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;

use super::decode::{int_of, text_of, value_at};
use super::{Db, Schema};
use crate::error::Result;
use crate::model::Properties;

/// The three kinds of MLMD node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// `Context` (+ `ContextProperty`).
    Context,
    /// `Execution` (+ `ExecutionProperty`).
    Execution,
    /// `Artifact` (+ `ArtifactProperty`).
    Artifact,
}

impl NodeKind {
    fn table(self) -> &'static str {
        match self {
            NodeKind::Context => "Context",
            NodeKind::Execution => "Execution",
            NodeKind::Artifact => "Artifact",
        }
    }

    fn property_table(self) -> (&'static str, &'static str) {
        match self {
            NodeKind::Context => ("ContextProperty", "context_id"),
            NodeKind::Execution => ("ExecutionProperty", "execution_id"),
            NodeKind::Artifact => ("ArtifactProperty", "artifact_id"),
        }
    }
}

/// Which nodes to read: a relation, as ml-metadata's API names it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pick<'a> {
    /// These ids (missing ones are skipped).
    Ids(&'a [i64]),
    /// Contexts of the context type with this name (`get_contexts_by_type`).
    ContextsOfType(&'a str),
    /// Child contexts of a context (`get_children_contexts_by_context`).
    ChildrenOf(i64),
    /// Parent contexts of a context (`get_parent_contexts_by_context`).
    ParentsOf(i64),
    /// Executions associated with a context (`get_executions_by_context`).
    ExecutionsIn(i64),
}

/// The order of the nodes read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Ascending id.
    Id,
    /// Newest first: create time descending, then id descending (ml-metadata's default
    /// list order, e.g. `get_executions_by_context`).
    NewestFirst,
}

/// One context, execution or artifact with its type's name and all its properties.
#[derive(Debug, Clone)]
pub(crate) struct NodeRecord {
    pub id: i64,
    pub type_id: Option<i64>,
    pub type_name: String,
    pub name: Option<String>,
    /// Artifacts only.
    pub uri: Option<String>,
    /// `Execution.last_known_state` / `Artifact.state`; contexts have none.
    pub state: Option<i64>,
    pub external_id: Option<String>,
    pub created: Option<i64>,
    pub updated: Option<i64>,
    pub props: Properties,
}

/// An `Event` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventLink {
    pub id: i64,
    pub artifact_id: i64,
    pub execution_id: i64,
    pub kind: i64,
}

/// The ids a pick selects, as an SQL subquery over `?1`, and that parameter; `None` when
/// this schema lacks the table the relation lives in.
fn pick_sql(schema: &Schema, kind: NodeKind, pick: Pick<'_>) -> Option<(String, SqlValue)> {
    let parent = schema.has_table("ParentContext");
    Some(match pick {
        Pick::Ids(ids) => {
            let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
            ("SELECT value FROM json_each(?1)".into(), SqlValue::Text(json))
        }
        Pick::ContextsOfType(name) => {
            let kind_filter =
                if schema.has("Type", "type_kind") { " AND t.type_kind = 2" } else { "" };
            (
                format!(
                    "SELECT c.id FROM Context c JOIN Type t ON t.id = c.type_id \
                     WHERE t.name = ?1{kind_filter}"
                ),
                SqlValue::Text(name.into()),
            )
        }
        Pick::ChildrenOf(id) if parent => (
            "SELECT context_id FROM ParentContext WHERE parent_context_id = ?1".into(),
            SqlValue::Integer(id),
        ),
        Pick::ParentsOf(id) if parent => (
            "SELECT parent_context_id FROM ParentContext WHERE context_id = ?1".into(),
            SqlValue::Integer(id),
        ),
        Pick::ChildrenOf(_) | Pick::ParentsOf(_) => return None,
        Pick::ExecutionsIn(id) => (
            "SELECT execution_id FROM Association WHERE context_id = ?1".into(),
            SqlValue::Integer(id),
        ),
    })
    .filter(|_| kind == NodeKind::Context || !matches!(pick, Pick::ContextsOfType(_)))
}

/// The `ORDER BY` of `order` over `table` aliased `n`.
fn order_by(schema: &Schema, table: &str, order: Order) -> String {
    match order {
        Order::Id => "n.id".to_string(),
        Order::NewestFirst => {
            format!("{} DESC, n.id DESC", schema.col("n", table, "create_time_since_epoch"))
        }
    }
}

impl Db {
    /// The nodes of `kind` that `pick` selects, in `order`, each with its type name and
    /// properties.
    pub fn nodes(&self, kind: NodeKind, pick: Pick<'_>, order: Order) -> Result<Vec<NodeRecord>> {
        self.read_nodes(kind, pick, order, true)
    }

    /// As [`Db::nodes`] without reading the properties (left empty).
    pub fn bare_nodes(
        &self,
        kind: NodeKind,
        pick: Pick<'_>,
        order: Order,
    ) -> Result<Vec<NodeRecord>> {
        self.read_nodes(kind, pick, order, false)
    }

    /// The ids and names of the nodes of `kind` that `pick` selects, in `order`: the first
    /// columns of [`Db::bare_nodes`], for answers that need no more (a third of the cells to
    /// read, and no join).
    pub fn node_names(
        &self,
        kind: NodeKind,
        pick: Pick<'_>,
        order: Order,
    ) -> Result<Vec<(i64, Option<String>)>> {
        let s = &self.schema;
        let Some((ids, param)) = pick_sql(s, kind, pick) else { return Ok(Vec::new()) };
        let table = kind.table();
        let sql = format!(
            "SELECT n.id, {} FROM `{table}` n WHERE n.id IN ({ids}) ORDER BY {}",
            s.col("n", table, "name"),
            order_by(s, table, order),
        );
        self.with(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([&param])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                if let Some(id) = self.notes.id(r, 0, (table, "id"), None) {
                    out.push((id, text_of(r, 1)));
                }
            }
            Ok(out)
        })
    }

    fn read_nodes(
        &self,
        kind: NodeKind,
        pick: Pick<'_>,
        order: Order,
        with_properties: bool,
    ) -> Result<Vec<NodeRecord>> {
        let s = &self.schema;
        let Some((ids, param)) = pick_sql(s, kind, pick) else { return Ok(Vec::new()) };
        let table = kind.table();
        let col = |c: &str| s.col("n", table, c);
        let uri = if kind == NodeKind::Artifact { col("uri") } else { "NULL".into() };
        let state = match kind {
            NodeKind::Execution => col("last_known_state"),
            NodeKind::Artifact => col("state"),
            NodeKind::Context => "NULL".into(),
        };
        let created = col("create_time_since_epoch");
        let order_by = order_by(s, table, order);
        let sql = format!(
            "SELECT n.id, n.type_id, t.name, {}, {uri}, {state}, {}, {created}, {} \
             FROM `{table}` n LEFT JOIN Type t ON t.id = n.type_id \
             WHERE n.id IN ({ids}) ORDER BY {order_by}",
            col("name"),
            col("external_id"),
            col("last_update_time_since_epoch"),
        );
        let (prop_table, owner) = kind.property_table();
        self.with(|c| {
            let mut props = if with_properties {
                properties_of(c, s, prop_table, owner, &ids, &param)?
            } else {
                HashMap::new()
            };
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([&param])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let Some(id) = self.notes.id(r, 0, (table, "id"), None) else { continue };
                out.push(NodeRecord {
                    id,
                    type_id: int_of(r, 1),
                    type_name: text_of(r, 2).unwrap_or_default(),
                    name: text_of(r, 3),
                    uri: text_of(r, 4),
                    state: int_of(r, 5),
                    external_id: text_of(r, 6),
                    created: int_of(r, 7),
                    updated: int_of(r, 8),
                    props: props.remove(&id).unwrap_or_default(),
                });
            }
            Ok(out)
        })
    }

    /// The events of these executions (`by_execution`) or artifacts, in id order
    /// (`get_events_by_execution_ids` / `get_events_by_artifact_ids`).
    pub fn events_of(&self, ids: &[i64], by_execution: bool) -> Result<Vec<EventLink>> {
        let key = if by_execution { "execution_id" } else { "artifact_id" };
        let sql = format!(
            "SELECT id, artifact_id, execution_id, type FROM Event \
             WHERE {key} IN (SELECT value FROM json_each(?1)) ORDER BY id"
        );
        let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        self.with(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([json])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let id = self.notes.id(r, 0, ("Event", "id"), None);
                let artifact_id = self.notes.id(r, 1, ("Event", "artifact_id"), id);
                let execution_id = self.notes.id(r, 2, ("Event", "execution_id"), id);
                if let (Some(id), Some(artifact_id), Some(execution_id)) =
                    (id, artifact_id, execution_id)
                {
                    out.push(EventLink {
                        id,
                        artifact_id,
                        execution_id,
                        kind: int_of(r, 3).unwrap_or(0),
                    });
                }
            }
            Ok(out)
        })
    }

    /// Every artifact name with the first artifact (by id) of that name, a NULL name
    /// reading as `""`: one pass over the table (the index keeps it: cmflib finds artifacts
    /// by name, a column with no index of its own).
    pub fn first_artifact_by_name(&self) -> Result<HashMap<String, i64>> {
        let sql = format!(
            "SELECT a.id, COALESCE({}, '') FROM Artifact a NOT INDEXED ORDER BY a.id",
            self.schema.col("a", "Artifact", "name")
        );
        self.with(|c| {
            let mut st = c.prepare(&sql)?;
            let mut rows = st.query([])?;
            let mut out = HashMap::new();
            while let Some(r) = rows.next()? {
                if let (Some(id), Some(name)) = (int_of(r, 0), text_of(r, 1)) {
                    out.entry(name).or_insert(id);
                }
            }
            Ok(out)
        })
    }
}

/// The properties of the nodes whose ids the subquery `ids` (over `?1` = `param`) selects,
/// by node id; a repeated (name, kind) row keeps the first read.
fn properties_of(
    c: &Connection,
    schema: &Schema,
    table: &'static str,
    owner: &str,
    ids: &str,
    param: &SqlValue,
) -> rusqlite::Result<HashMap<i64, Properties>> {
    let mut out: HashMap<i64, Properties> = HashMap::new();
    if !schema.has_table(table) {
        return Ok(out);
    }
    let sql = format!(
        "SELECT p.`{owner}`, p.name, p.is_custom_property, {} FROM `{table}` p \
         WHERE p.`{owner}` IN ({ids})",
        schema.value_columns("p", table)
    );
    let mut st = c.prepare_cached(&sql)?;
    let mut rows = st.query([param])?;
    while let Some(r) = rows.next()? {
        let Some(id) = int_of(r, 0) else { continue };
        let name = text_of(r, 1).unwrap_or_default();
        let custom = int_of(r, 2).unwrap_or(0) != 0;
        let props = out.entry(id).or_default();
        let map = if custom { &mut props.custom_properties } else { &mut props.properties };
        map.entry(name).or_insert_with(|| value_at(r, 3));
    }
    Ok(out)
}
