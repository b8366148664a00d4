//! Every read the crate makes, as methods of [`Db`] that return records (or stream them
//! to a callback when there is one per property row).
//!
//! Reads of whole tables (what the index, the property columns and the exports are built
//! from) say `NOT INDEXED`: SQLite would otherwise answer some of them from an index
//! alone, and `quick_check` does not verify indexes, so a damaged index could silently
//! change stage names or property names. Keyed lookups (one execution's details) use the
//! indexes; [`Db::verify`] checks them. Columns that an MLMD schema
//! version lacks read as NULL ([`Schema::col`]); values of the wrong SQLite type are
//! decoded leniently ([`super::decode`]).

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{params_from_iter, Connection};

use super::decode::{int_of, text_of, text_ref, value_at};
use super::notes::Notes;
use super::{placeholders, Db, Schema};
use crate::error::Result;
use crate::model::{ContextRef, Properties, Value};

/// An `Execution` row.
#[derive(Debug, Clone)]
pub(crate) struct ExecutionRecord {
    pub id: i64,
    pub type_id: Option<i64>,
    pub state: Option<i64>,
    pub name: Option<String>,
    pub created: Option<i64>,
    pub updated: Option<i64>,
}

/// A `Context` row.
#[derive(Debug, Clone)]
pub(crate) struct ContextRecord {
    pub id: i64,
    pub name: String,
    pub type_id: Option<i64>,
}

/// An `Event` row of one execution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventRecord {
    pub id: i64,
    pub artifact_id: i64,
    pub kind: i64,
    pub ms: Option<i64>,
}

/// An `Artifact` row with its type name and properties.
#[derive(Debug, Clone)]
pub(crate) struct ArtifactRecord {
    pub id: i64,
    pub name: String,
    pub type_name: String,
    pub uri: String,
    pub state: Option<i64>,
    pub created: Option<i64>,
    pub updated: Option<i64>,
    pub props: Properties,
}

/// `external_id`, `create_time_since_epoch` and `last_update_time_since_epoch` of an execution.
pub(crate) type ExecutionTimes = (Option<String>, Option<i64>, Option<i64>);

/// The value-kind columns of a property table, in [`Db::property_kinds`]' flag order.
pub(crate) const VALUE_KINDS: [&str; 6] =
    ["int_value", "double_value", "string_value", "byte_value", "proto_value", "bool_value"];

/// An execution property row met by [`Db::for_each_property_row`].
pub(crate) struct PropertyRow<'r> {
    row: &'r rusqlite::Row<'r>,
    /// Whether the row's rowid was read (column 9).
    rowid: bool,
}

impl PropertyRow<'_> {
    /// The row's rowid (`None` when the table has none, or a column named `_rowid_`
    /// hides it).
    pub fn rowid(&self) -> Option<i64> {
        if !self.rowid {
            return None;
        }
        match self.row.get_ref(3 + VALUE_KINDS.len()) {
            Ok(ValueRef::Integer(v)) => Some(v),
            _ => None,
        }
    }

    /// Bit `i` set when column [`VALUE_KINDS`]`[i]` is not NULL.
    pub fn kinds(&self) -> u8 {
        (0..VALUE_KINDS.len()).fold(0u8, |flags, i| match self.row.get_ref(3 + i) {
            Ok(ValueRef::Null) | Err(_) => flags,
            Ok(_) => flags | 1 << i,
        })
    }

    /// The value, decoded.
    pub fn value(&self) -> Value {
        value_at(self.row, 3)
    }
}

impl Db {
    /// Rows in `table` (one of the MLMD tables the schema check found).
    pub fn count(&self, table: &str) -> Result<usize> {
        let n: i64 = self.with(|c| {
            c.query_row(&format!("SELECT count(*) FROM `{table}` NOT INDEXED"), [], |r| r.get(0))
        })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Rows in `table`, counted the quick way: SQLite may count the entries of one of its
    /// indexes instead of reading the table (for the first page shown while the index
    /// builds, whose own pass over the table is the exact count).
    pub fn count_quickly(&self, table: &str) -> Result<usize> {
        let n: i64 = self
            .with(|c| c.query_row(&format!("SELECT count(*) FROM `{table}`"), [], |r| r.get(0)))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Type names by id.
    pub fn type_names(&self) -> Result<HashMap<i64, String>> {
        self.with(|c| {
            let mut st = c.prepare("SELECT id, name FROM Type NOT INDEXED")?;
            let mut rows = st.query([])?;
            let mut out = HashMap::new();
            while let Some(r) = rows.next()? {
                if let Some(id) = self.notes.id(r, 0, ("Type", "id"), None) {
                    out.insert(id, text_of(r, 1).unwrap_or_default());
                }
            }
            Ok(out)
        })
    }

    /// Every context.
    pub fn contexts(&self) -> Result<Vec<ContextRecord>> {
        self.with(|c| {
            let mut st = c.prepare("SELECT id, name, type_id FROM Context NOT INDEXED")?;
            let mut rows = st.query([])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                if let Some(id) = self.notes.id(r, 0, ("Context", "id"), None) {
                    out.push(ContextRecord {
                        id,
                        name: text_of(r, 1).unwrap_or_default(),
                        type_id: self.notes.id(r, 2, ("Context", "type_id"), Some(id)),
                    });
                }
            }
            Ok(out)
        })
    }

    /// `(context, parent)` links, each context's first parent (by id) only.
    pub fn parent_links(&self) -> Result<HashMap<i64, i64>> {
        if !self.schema.has_table("ParentContext") {
            return Ok(HashMap::new());
        }
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT context_id, parent_context_id FROM ParentContext NOT INDEXED \
                 ORDER BY context_id, parent_context_id",
            )?;
            let mut rows = st.query([])?;
            let mut out = HashMap::new();
            while let Some(r) = rows.next()? {
                let child = self.notes.id(r, 0, ("ParentContext", "context_id"), None);
                let parent = self.notes.id(r, 1, ("ParentContext", "parent_context_id"), None);
                if let (Some(child), Some(parent)) = (child, parent) {
                    out.entry(child).or_insert(parent);
                }
            }
            Ok(out)
        })
    }

    /// Calls `f` with every execution, in id order — or, given `first`, the first that many
    /// (read by rowid: the table itself, never an index).
    pub fn for_each_execution(
        &self,
        first: Option<usize>,
        mut f: impl FnMut(ExecutionRecord),
    ) -> Result<()> {
        let s = &self.schema;
        let limit = first.map_or(String::new(), |n| format!(" LIMIT {n}"));
        let sql = format!(
            "SELECT e.id, e.type_id, {}, {}, {}, {} FROM Execution e NOT INDEXED ORDER BY e.id{limit}",
            s.col("e", "Execution", "last_known_state"),
            s.col("e", "Execution", "name"),
            s.col("e", "Execution", "create_time_since_epoch"),
            s.col("e", "Execution", "last_update_time_since_epoch"),
        );
        self.with(|c| {
            let mut st = c.prepare(&sql)?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let Some(id) = self.notes.id(r, 0, ("Execution", "id"), None) else { continue };
                f(ExecutionRecord {
                    id,
                    type_id: self.notes.id(r, 1, ("Execution", "type_id"), Some(id)),
                    state: int_of(r, 2),
                    name: text_of(r, 3),
                    created: int_of(r, 4),
                    updated: int_of(r, 5),
                });
            }
            Ok(())
        })
    }

    /// How many rows the Execution table holds (a hint for an allocation: the rows read
    /// decide).
    pub fn execution_count(&self) -> Result<usize> {
        self.with(|c| c.query_row("SELECT count(*) FROM Execution", [], |r| r.get::<_, i64>(0)))
            .map(|n| usize::try_from(n).unwrap_or(0))
    }

    /// Calls `f(execution_id, context_id)` for every association (or those of the
    /// executions `lo..=hi`), in execution order.
    pub fn for_each_association(
        &self,
        ids: Option<(i64, i64)>,
        mut f: impl FnMut(i64, i64),
    ) -> Result<()> {
        // Given `ids` (the first executions), only their rows are sorted.
        let within = ids.map_or(String::new(), |(lo, hi)| {
            format!(" WHERE a.execution_id BETWEEN {lo} AND {hi}")
        });
        let sql = format!(
            "SELECT a.execution_id, a.context_id, {} FROM Association a NOT INDEXED{within} ORDER BY a.execution_id, a.context_id",
            self.schema.col("a", "Association", "id")
        );
        self.with(|c| {
            let mut st = c.prepare(&sql)?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let row = int_of(r, 2);
                let e = self.notes.id(r, 0, ("Association", "execution_id"), row);
                let ctx = self.notes.id(r, 1, ("Association", "context_id"), row);
                if let (Some(e), Some(ctx)) = (e, ctx) {
                    f(e, ctx);
                }
            }
            Ok(())
        })
    }

    /// Calls `f(execution_id, name, custom, value)` for every execution property row —
    /// or, given `names`, every row whose name is one of them — in one pass over the table.
    /// Given `ids` (`lo..=hi`), only the rows of those executions, looked up through the
    /// table's primary key (the first rows shown while the index builds).
    pub fn for_each_execution_property(
        &self,
        names: Option<&[&str]>,
        ids: Option<(i64, i64)>,
        mut f: impl FnMut(i64, &str, bool, Value),
    ) -> Result<()> {
        let mut clauses = Vec::new();
        if let Some(names) = names {
            clauses.push(format!("p.name IN ({})", placeholders(1, names.len())));
        }
        if let Some((lo, hi)) = ids {
            clauses.push(format!("p.execution_id BETWEEN {lo} AND {hi}"));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        // A whole-table read never goes through an index (a damaged one cannot change it).
        let indexed = if ids.is_some() { "" } else { " NOT INDEXED" };
        let sql = format!(
            "SELECT p.execution_id, p.name, p.is_custom_property, {} FROM ExecutionProperty p{indexed}{filter}",
            self.schema.value_columns("p", "ExecutionProperty"),
        );
        self.property_rows(&sql, names.unwrap_or(&[]), &mut f)
    }

    /// Runs `sql` (execution id, name, is_custom, then the value columns) and calls `f`
    /// with each ExecutionProperty row it returns.
    fn property_rows(
        &self,
        sql: &str,
        params: &[&str],
        f: &mut impl FnMut(i64, &str, bool, Value),
    ) -> Result<()> {
        self.with(|c| {
            let mut st = c.prepare(sql)?;
            let mut rows = st.query(params_from_iter(params.iter()))?;
            while let Some(r) = rows.next()? {
                let Some(id) = self.notes.id(r, 0, ("ExecutionProperty", "execution_id"), None)
                else {
                    continue;
                };
                let name = text_ref(r, 1).unwrap_or_default();
                f(id, &name, int_of(r, 2).unwrap_or(0) != 0, value_at(r, 3));
            }
            Ok(())
        })
    }

    /// Calls `f(execution_id, name, is_custom, value)` for every property of the executions
    /// `ids` — or, given `names`, those of them named one of `names` — in batches of a few
    /// hundred ids, through the table's key (`execution_id, name, …`), in no set order.
    pub fn for_each_execution_property_of(
        &self,
        ids: &[i64],
        names: Option<&[&str]>,
        mut f: impl FnMut(i64, &str, bool, Value),
    ) -> Result<()> {
        /// Ids per statement (written as numbers: far below SQLite's limits).
        const BATCH: usize = 500;
        let columns = self.schema.value_columns("p", "ExecutionProperty");
        let named = names
            .map_or(String::new(), |n| format!(" AND p.name IN ({})", placeholders(1, n.len())));
        for batch in ids.chunks(BATCH) {
            let list = batch.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT p.execution_id, p.name, p.is_custom_property, {columns} FROM ExecutionProperty p WHERE p.execution_id IN ({list}){named}",
            );
            self.property_rows(&sql, names.unwrap_or(&[]), &mut f)?;
        }
        Ok(())
    }

    /// Calls `f(execution_id, artifact_id, event type)` for every event, ordered by
    /// execution, then artifact, then type (a link recorded twice comes twice in a row).
    pub fn for_each_event_link(&self, mut f: impl FnMut(i64, i64, i64)) -> Result<()> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT execution_id, artifact_id, type FROM Event NOT INDEXED \
                 ORDER BY execution_id, artifact_id, type",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let Some(execution) = self.notes.id(r, 0, ("Event", "execution_id"), None) else {
                    continue;
                };
                let Some(artifact) = self.notes.id(r, 1, ("Event", "artifact_id"), None) else {
                    continue;
                };
                f(execution, artifact, int_of(r, 2).unwrap_or(0));
            }
            Ok(())
        })
    }

    /// Calls `f(execution_id, name_or_uri)` for the name and the URI of every artifact an
    /// execution read or wrote, in execution then event order.
    pub fn for_each_artifact_text(&self, mut f: impl FnMut(i64, String)) -> Result<()> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT ev.execution_id, a.name, a.uri FROM Event ev NOT INDEXED JOIN Artifact a ON a.id = ev.artifact_id \
                 WHERE ev.type BETWEEN 1 AND 7 ORDER BY ev.execution_id, ev.id",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let Some(id) = self.notes.id(r, 0, ("Event", "execution_id"), None) else { continue };
                for i in [1, 2] {
                    if let Some(t) = text_of(r, i).filter(|t| !t.is_empty()) {
                        f(id, t);
                    }
                }
            }
            Ok(())
        })
    }

    /// Calls `f(execution_id, name, custom, row)` for every execution property row, in one
    /// pass over the table; `row` tells which value columns are set and decodes the value
    /// only when asked (the index reads every row for its census of property names, and
    /// the values of a few).
    pub fn for_each_property_row(
        &self,
        mut f: impl FnMut(i64, &str, bool, &PropertyRow<'_>),
    ) -> Result<()> {
        let sql = |rowid: &str| {
            format!(
                "SELECT p.execution_id, p.name, p.is_custom_property, {}{rowid} FROM ExecutionProperty p NOT INDEXED",
                self.schema.value_columns("p", "ExecutionProperty"),
            )
        };
        let with_rowid = !self.schema.has_ci("ExecutionProperty", "_rowid_");
        self.with(|c| {
            // A WITHOUT ROWID table (not MLMD's, but a file may say so) has no `_rowid_`.
            let (mut st, rowid) = match c.prepare(&sql(", p._rowid_")) {
                Ok(st) if with_rowid => (st, true),
                _ => (c.prepare(&sql(""))?, false),
            };
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let Some(id) = self.notes.id(r, 0, ("ExecutionProperty", "execution_id"), None)
                else {
                    continue;
                };
                let name = match r.get_ref(1)? {
                    ValueRef::Text(t) => String::from_utf8_lossy(t),
                    _ => continue,
                };
                f(id, &name, int_of(r, 2).unwrap_or(0) != 0, &PropertyRow { row: r, rowid });
            }
            Ok(())
        })
    }

    /// Calls `f(rowid, is_custom, value)` for every execution property row named `name`
    /// whose value column `kind` (a [`VALUE_KINDS`] position: int, double or string) is
    /// set, the other value columns read as NULL: MLMD's index on `(name,
    /// is_custom_property, that column)` answers it without the table when the file has
    /// it (schema 7 on), else SQLite scans the table. No rowid (see
    /// [`PropertyRow::rowid`]): nothing is called.
    pub fn for_each_property_value(
        &self,
        name: &str,
        kind: usize,
        mut f: impl FnMut(i64, bool, Value),
    ) -> Result<()> {
        let Some(&column) = VALUE_KINDS.get(kind) else { return Ok(()) };
        let table = "ExecutionProperty";
        if !self.schema.has(table, column) || self.schema.has_ci(table, "_rowid_") {
            return Ok(());
        }
        let values: Vec<String> = VALUE_KINDS
            .iter()
            .map(|c| if *c == column { format!("p.`{c}`") } else { "NULL".into() })
            .collect();
        let sql = format!(
            "SELECT p._rowid_, p.is_custom_property, {} FROM {table} p WHERE p.name = ?1 AND p.`{column}` IS NOT NULL",
            values.join(", "),
        );
        self.with(|c| {
            let Ok(mut st) = c.prepare(&sql) else { return Ok(()) };
            let mut rows = st.query([name])?;
            while let Some(r) = rows.next()? {
                let Ok(ValueRef::Integer(rowid)) = r.get_ref(0) else { continue };
                f(rowid, int_of(r, 1).unwrap_or(0) != 0, value_at(r, 2));
            }
            Ok(())
        })
    }

    /// Declared and custom properties of one execution.
    pub fn execution_properties(&self, id: i64) -> Result<Properties> {
        self.with(|c| {
            node_properties(c, &self.schema, &self.notes, "ExecutionProperty", "execution_id", id)
        })
    }

    /// `external_id`, `create_time_since_epoch` and `last_update_time_since_epoch` of an
    /// execution (`None` when no row has this id).
    pub fn execution_times(&self, id: i64) -> Result<Option<ExecutionTimes>> {
        let s = &self.schema;
        let sql = format!(
            "SELECT {}, {}, {} FROM Execution e WHERE e.id = ?1",
            s.col("e", "Execution", "external_id"),
            s.col("e", "Execution", "create_time_since_epoch"),
            s.col("e", "Execution", "last_update_time_since_epoch"),
        );
        self.with(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([id])?;
            Ok(rows.next()?.map(|r| (text_of(r, 0), int_of(r, 1), int_of(r, 2))))
        })
    }

    /// `Execution.name` of one execution as recorded (`None` when NULL or no such row).
    pub fn execution_name(&self, id: i64) -> Result<Option<String>> {
        let sql = format!(
            "SELECT {} FROM Execution e WHERE e.id = ?1",
            self.schema.col("e", "Execution", "name")
        );
        self.with(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([id])?;
            Ok(rows.next()?.and_then(|r| text_of(r, 0)))
        })
    }

    /// The contexts with these ids (ascending), with their type names; missing ids are skipped.
    pub fn context_refs(&self, ids: &[i64]) -> Result<Vec<ContextRef>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        self.with(|c| {
            let mut st = c.prepare_cached(
                "SELECT c.id, c.name, t.name FROM Context c LEFT JOIN Type t ON t.id = c.type_id WHERE c.id = ?1",
            )?;
            let mut out = Vec::new();
            for cid in ids {
                let mut rows = st.query([cid])?;
                if let Some(r) = rows.next()? {
                    out.push(ContextRef {
                        id: int_of(r, 0).unwrap_or(cid),
                        name: text_of(r, 1).unwrap_or_default(),
                        type_name: text_of(r, 2).unwrap_or_default(),
                    });
                }
            }
            Ok(out)
        })
    }

    /// Events of an execution in time order (then by id).
    pub fn events_of_execution(&self, id: i64) -> Result<Vec<EventRecord>> {
        let ms = self.schema.col("e", "Event", "milliseconds_since_epoch");
        let sql = format!(
            "SELECT e.id, e.artifact_id, e.type, {ms} FROM Event e WHERE e.execution_id = ?1 \
             ORDER BY {ms} IS NULL, {ms}, e.id"
        );
        self.with(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([id])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let id = self.notes.id(r, 0, ("Event", "id"), None);
                let artifact_id = self.notes.id(r, 1, ("Event", "artifact_id"), id);
                if let (Some(id), Some(artifact_id)) = (id, artifact_id) {
                    out.push(EventRecord {
                        id,
                        artifact_id,
                        kind: int_of(r, 2).unwrap_or(0),
                        ms: int_of(r, 3),
                    });
                }
            }
            Ok(out)
        })
    }

    /// The event that wrote `artifact`: the first (by id) of its events whose type is in
    /// `types`, those of type `preferred` first, as `(execution_id, output key)` — the key
    /// being the first step key of the event's path (TFX's `model`, `examples`; "" when the
    /// path has none or the schema has no `EventPath`).
    pub fn artifact_writer(
        &self,
        artifact: i64,
        types: &[i64],
        preferred: i64,
    ) -> Result<Option<(i64, String)>> {
        let key = if self.schema.has_table("EventPath") {
            "(SELECT p.step_key FROM EventPath p WHERE p.event_id = ev.id AND p.is_index_step = 0 \
             AND p.step_key IS NOT NULL LIMIT 1)"
        } else {
            "NULL"
        };
        let list = types.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT ev.execution_id, {key} FROM Event ev WHERE ev.artifact_id = ?1 \
             AND ev.type IN ({list}) ORDER BY ev.type != ?2, ev.id LIMIT 1"
        );
        self.with(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([artifact, preferred])?;
            let Some(r) = rows.next()? else { return Ok(None) };
            Ok(self
                .notes
                .id(r, 0, ("Event", "execution_id"), None)
                .map(|e| (e, text_of(r, 1).unwrap_or_default())))
        })
    }

    /// Calls `f(execution_id, event ms)` for every timed event, in one pass over the
    /// `Event` table in its own order (a table scan: reading through the execution index
    /// and grouping cost twice as much on a 100k store) — or, given `ids` (`lo..=hi`), for
    /// those executions' events only, through the index.
    pub fn for_each_event_time(
        &self,
        ids: Option<(i64, i64)>,
        mut f: impl FnMut(i64, i64),
    ) -> Result<()> {
        if !self.schema.has("Event", "milliseconds_since_epoch") {
            return Ok(());
        }
        let sql = match ids {
            Some(_) => {
                "SELECT e.execution_id, e.milliseconds_since_epoch FROM Event e \
                        WHERE e.execution_id BETWEEN ?1 AND ?2"
            }
            None => "SELECT e.execution_id, e.milliseconds_since_epoch FROM Event e NOT INDEXED",
        };
        self.with(|c| {
            let mut st = c.prepare(sql)?;
            let mut rows = match ids {
                Some((lo, hi)) => st.query([lo, hi])?,
                None => st.query([])?,
            };
            while let Some(r) = rows.next()? {
                if let (Some(e), Some(ms)) =
                    (self.notes.id(r, 0, ("Event", "execution_id"), None), int_of(r, 1))
                {
                    f(e, ms);
                }
            }
            Ok(())
        })
    }

    /// The path of an event (`EventPath` step keys, and indexes as text), in step order.
    pub fn event_path(&self, event_id: i64) -> Result<Vec<String>> {
        if !self.schema.has_table("EventPath") {
            return Ok(Vec::new());
        }
        // Step order is insertion order; a table declared WITHOUT ROWID has no rowid to
        // sort by, and is read in its own order instead.
        let sql = "SELECT is_index_step, step_index, step_key FROM EventPath WHERE event_id = ?1 ORDER BY rowid";
        let run = |c: &Connection, sql: &str| -> rusqlite::Result<Vec<String>> {
            let mut st = c.prepare_cached(sql)?;
            let mut rows = st.query([event_id])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(if int_of(r, 0).unwrap_or(0) != 0 {
                    int_of(r, 1).map(|i| i.to_string()).unwrap_or_default()
                } else {
                    text_of(r, 2).unwrap_or_default()
                });
            }
            Ok(out)
        };
        self.with(|c| {
            run(c, sql).or_else(|_| {
                run(
                    c,
                    "SELECT is_index_step, step_index, step_key FROM EventPath WHERE event_id = ?1",
                )
            })
        })
    }

    /// One artifact with its properties (`None` when no row has this id).
    pub fn artifact(&self, id: i64) -> Result<Option<ArtifactRecord>> {
        let s = &self.schema;
        let sql = format!(
            "SELECT a.id, {}, t.name, {}, {}, {}, {} FROM Artifact a LEFT JOIN Type t ON t.id = a.type_id WHERE a.id = ?1",
            s.col("a", "Artifact", "name"),
            s.col("a", "Artifact", "uri"),
            s.col("a", "Artifact", "state"),
            s.col("a", "Artifact", "create_time_since_epoch"),
            s.col("a", "Artifact", "last_update_time_since_epoch"),
        );
        self.with(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = st.query([id])?;
            let Some(r) = rows.next()? else { return Ok(None) };
            let mut a = ArtifactRecord {
                id,
                name: text_of(r, 1).unwrap_or_default(),
                type_name: text_of(r, 2).unwrap_or_default(),
                uri: text_of(r, 3).unwrap_or_default(),
                state: int_of(r, 4),
                created: int_of(r, 5),
                updated: int_of(r, 6),
                props: Properties::default(),
            };
            drop(rows);
            a.props = node_properties(c, s, &self.notes, "ArtifactProperty", "artifact_id", id)?;
            Ok(Some(a))
        })
    }

    /// The id of the first context named `name` whose type is one of `types`.
    pub fn context_id_named(&self, name: &str, types: &[&str]) -> Result<Option<i64>> {
        let sql = format!(
            "SELECT c.id FROM Context c JOIN Type t ON t.id = c.type_id \
             WHERE c.name = ?1 AND t.name IN ({}) ORDER BY c.id LIMIT 1",
            placeholders(2, types.len())
        );
        let mut params: Vec<&str> = vec![name];
        params.extend(types);
        self.optional_id(&sql, params)
    }

    /// The id of the first child context of `parent` with one of `names`.
    pub fn child_context_id(&self, parent: i64, names: [&str; 3]) -> Result<Option<i64>> {
        if !self.schema.has_table("ParentContext") {
            return Ok(None);
        }
        let sql = "SELECT c.id FROM ParentContext p JOIN Context c ON c.id = p.context_id \
                   WHERE p.parent_context_id = ?1 AND c.name IN (?2, ?3, ?4) ORDER BY c.id LIMIT 1";
        let parent = parent.to_string();
        self.optional_id(sql, vec![parent.as_str(), names[0], names[1], names[2]])
    }

    /// Ids of the executions associated with `context`, or with any context below it
    /// when `below` (through `ParentContext`), ascending.
    pub fn executions_in_context(&self, context: i64, below: bool) -> Result<Vec<i64>> {
        let sql = if below && self.schema.has_table("ParentContext") {
            "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION \
               SELECT p.context_id FROM ParentContext p JOIN sub ON p.parent_context_id = sub.id) \
             SELECT DISTINCT a.execution_id FROM Association a JOIN sub ON a.context_id = sub.id \
             ORDER BY a.execution_id"
        } else {
            "SELECT DISTINCT execution_id FROM Association WHERE context_id = ?1 ORDER BY execution_id"
        };
        self.with(|c| {
            let mut st = c.prepare(sql)?;
            let mut rows = st.query([context])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.extend(int_of(r, 0));
            }
            Ok(out)
        })
    }

    fn optional_id(&self, sql: &str, params: Vec<&str>) -> Result<Option<i64>> {
        self.with(|c| {
            let mut st = c.prepare(sql)?;
            let mut rows = st.query(params_from_iter(params))?;
            Ok(rows.next()?.and_then(|r| int_of(r, 0)))
        })
    }
}

/// Declared and custom properties of one node from `table` (keyed by `owner`).
fn node_properties(
    c: &Connection,
    schema: &Schema,
    notes: &Notes,
    table: &'static str,
    owner: &str,
    id: i64,
) -> rusqlite::Result<Properties> {
    let sql = format!(
        "SELECT p.name, p.is_custom_property, {} FROM `{table}` p WHERE p.`{owner}` = ?1 ORDER BY p.name",
        schema.value_columns("p", table)
    );
    let mut st = c.prepare_cached(&sql)?;
    let mut rows = st.query([id])?;
    let mut props = Properties::default();
    while let Some(r) = rows.next()? {
        let name: String = text_of(r, 0).unwrap_or_default();
        let custom = int_of(r, 1).unwrap_or(0) != 0;
        let value = value_at(r, 2);
        // A damaged file may repeat a (name, kind) row: the first one read wins, as in
        // the index's property columns.
        let map = if custom { &mut props.custom_properties } else { &mut props.properties };
        match map.entry(name) {
            std::collections::btree_map::Entry::Occupied(o) => {
                notes.repeated_property(table, id, o.key(), custom)
            }
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(value);
            }
        }
    }
    Ok(props)
}
