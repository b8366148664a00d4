//! Columns loaded on first use: one execution property across every execution (for
//! queries, sorts, CSV) and the artifact names and URIs of every execution (for
//! `artifact:`). Loaded once, kept, and shared between threads.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use super::ExecutionIndex;
use crate::conventions;
use crate::db::{NodeKind, NodeRecord, Order, Pick};
use crate::error::Result;
use crate::model::{Properties, Value};
use crate::text::natural_cmp;

/// A property value as queries, sorts and the CSV export see it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PropVal {
    /// The execution has no such property (or its value is NULL).
    Missing,
    /// A number, or a string that reads as one (cmflib's `'0.001'`); `text` as stored.
    Num(f64, Box<str>),
    /// Text that is not a number.
    Text(Box<str>),
    /// A boolean.
    Bool(bool),
    /// A struct, proto or bytes value, as JSON text.
    Other(Box<str>),
}

impl PropVal {
    /// The value from a stored property.
    pub fn from_value(v: &Value) -> PropVal {
        match v {
            Value::Null => PropVal::Missing,
            Value::Bool(b) => PropVal::Bool(*b),
            Value::Int(_) | Value::Double(_) | Value::String(_) => match v.as_number() {
                Some(n) => PropVal::Num(n, v.as_text().into()),
                None => PropVal::Text(v.as_text().into()),
            },
            other => PropVal::Other(other.to_json().to_string().into()),
        }
    }

    /// As [`PropVal::from_value`], keeping a string's own text (no copy).
    pub fn from_owned(v: Value) -> PropVal {
        match v {
            Value::String(s) => match Value::number_in(&s) {
                Some(n) => PropVal::Num(n, s.into_boxed_str()),
                None => PropVal::Text(s.into_boxed_str()),
            },
            other => PropVal::from_value(&other),
        }
    }

    /// The value as text, as stored ("" when missing).
    pub fn text(&self) -> String {
        match self {
            PropVal::Missing => String::new(),
            PropVal::Num(_, t) | PropVal::Text(t) | PropVal::Other(t) => t.to_string(),
            PropVal::Bool(b) => b.to_string(),
        }
    }

    /// Sort order: numbers by value, then text naturally, then booleans; missing last
    /// (the caller puts missing last in both directions).
    pub fn sort_cmp(&self, other: &PropVal) -> Ordering {
        fn rank(v: &PropVal) -> u8 {
            match v {
                PropVal::Num(..) => 0,
                PropVal::Text(_) => 1,
                PropVal::Bool(_) => 2,
                PropVal::Other(_) => 3,
                PropVal::Missing => 4,
            }
        }
        match (self, other) {
            (PropVal::Num(a, _), PropVal::Num(b, _)) => a.total_cmp(b),
            (PropVal::Bool(a), PropVal::Bool(b)) => a.cmp(b),
            (a, b) if rank(a) == rank(b) => natural_cmp(&a.text(), &b.text()),
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }
}

/// A value found inside JSON, as queries see it: numbers compare as numbers, strings as
/// stored properties do (a numeric string reads as a number), objects and arrays as text.
fn prop_of_json(v: &serde_json::Value) -> PropVal {
    match v {
        serde_json::Value::Null => PropVal::Missing,
        serde_json::Value::Bool(b) => PropVal::Bool(*b),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) => PropVal::Num(f, n.to_string().into()),
            None => PropVal::Text(n.to_string().into()),
        },
        serde_json::Value::String(s) => PropVal::from_value(&Value::String(s.clone())),
        other => PropVal::Other(other.to_string().into()),
    }
}

/// Folds one property row into a cell: the one rule for which row of a property an
/// execution shows when it has several (a declared and a custom one of the same name, or
/// a repeated row in a damaged file) — declared wins over custom, then the first row read.
/// `declared` remembers whether the cell holds a declared value.
pub(crate) fn fold_property(cell: &mut PropVal, declared: &mut bool, custom: bool, value: Value) {
    if *declared || (custom && *cell != PropVal::Missing) {
        return;
    }
    let v = PropVal::from_owned(value);
    if v != PropVal::Missing || !custom {
        *cell = v;
        *declared = !custom;
    }
}

/// A loaded property column, aligned with the index's entries.
pub(crate) type PropertyColumn = Arc<Vec<PropVal>>;

/// A property column being read: each execution's cell as [`fold_property`] decides from
/// the rows met for it, in any order.
struct ColumnFill {
    column: Vec<PropVal>,
    declared: Vec<bool>,
}

impl ColumnFill {
    fn new(len: usize) -> ColumnFill {
        ColumnFill { column: vec![PropVal::Missing; len], declared: vec![false; len] }
    }

    /// Folds a row's value into the cell at `pos` (a row of no execution, or beyond the
    /// column, is skipped).
    fn add(&mut self, pos: Option<usize>, custom: bool, value: Value) {
        if let Some(p) = pos.filter(|&p| p < self.column.len()) {
            fold_property(&mut self.column[p], &mut self.declared[p], custom, value);
        }
    }
}

/// A cmflib pipeline context and its stage contexts ([`ExecutionIndex::cmf_pipelines`]).
#[derive(Debug)]
pub(crate) struct CmfPipeline {
    /// The `Parent_Context` context.
    pub context: NodeRecord,
    /// Its child contexts, by id.
    pub stages: Vec<NodeRecord>,
}

/// The columns loaded so far.
#[derive(Debug)]
pub(super) struct Columns {
    len: usize,
    properties: Mutex<HashMap<String, PropertyColumn>>,
    /// The properties read once for a few executions ([`ExecutionIndex::property_values_at`]).
    partly_read: Mutex<HashSet<String>>,
    /// Lower-cased input/output artifact names and URIs per entry.
    artifacts: OnceLock<Vec<Vec<Box<str>>>>,
    /// Distinct artifacts read and written per entry.
    links: OnceLock<Vec<(u32, u32)>>,
    /// Every execution's properties, by entry (the CmfQuery questions' rows).
    all_properties: OnceLock<Vec<Properties>>,
    /// The first artifact (by id) of each name (cmflib finds artifacts by name).
    artifact_names: OnceLock<HashMap<String, i64>>,
    /// cmflib's pipelines with their stages (every CmfQuery question starts from them).
    cmf_pipelines: OnceLock<Vec<CmfPipeline>>,
    /// The positions of the entries with a start, by start then id.
    by_started: OnceLock<Vec<usize>>,
}

impl Columns {
    pub fn new(len: usize) -> Columns {
        Columns {
            len,
            properties: Mutex::default(),
            partly_read: Mutex::default(),
            artifacts: OnceLock::new(),
            links: OnceLock::new(),
            all_properties: OnceLock::new(),
            artifact_names: OnceLock::new(),
            cmf_pipelines: OnceLock::new(),
            by_started: OnceLock::new(),
        }
    }
}

impl ExecutionIndex {
    /// The column of property `name` (see [`fold_property`]), loading it on first use.
    /// When no execution has a property of that exact name and the name reads as
    /// `PROPERTY.PATH` (`train_args.num_steps`, `custom_config.layers[0]`; see
    /// [`crate::conventions::json_path`]), the column holds the values at that path inside
    /// the JSON each execution's property holds: the longest leading part that names a
    /// property is the property.
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] / [`crate::Error::Corrupt`] when it cannot be read.
    pub fn property_column(&self, name: &str) -> Result<PropertyColumn> {
        let loaded =
            |c: &Columns| c.properties.lock().unwrap_or_else(|p| p.into_inner()).get(name).cloned();
        if let Some(col) = loaded(&self.columns) {
            return Ok(col);
        }
        let mut column = self.stored_property_column(name)?;
        if column.iter().all(|v| *v == PropVal::Missing) {
            if let Some(inside) = self.json_path_column(name)? {
                column = inside;
            }
        }
        let column = Arc::new(column);
        let mut map = self.columns.properties.lock().unwrap_or_else(|p| p.into_inner());
        Ok(map.entry(name.to_string()).or_insert(column).clone())
    }

    /// The column of property `name` if [`ExecutionIndex::property_column`] has loaded it.
    pub fn loaded_property_column(&self, name: &str) -> Option<PropertyColumn> {
        self.columns.properties.lock().unwrap_or_else(|p| p.into_inner()).get(name).cloned()
    }

    /// The values of the property named exactly `name` at `positions` only, read now
    /// through the table's key (a few executions' values cost less than the whole
    /// column): a column of the index's length, [`PropVal::Missing`] elsewhere, with the
    /// values [`ExecutionIndex::property_column`] would hold at `positions`. `None` when
    /// none of them has the property: the whole column may then be a `PROPERTY.PATH` one
    /// (ask [`ExecutionIndex::property_column`]). Not kept; and only once per name: a
    /// property asked about again is worth its whole column (`None` from the second call
    /// on), which answers every later question at once.
    ///
    /// # Errors
    /// As [`ExecutionIndex::property_column`].
    pub fn property_values_at(
        &self,
        name: &str,
        positions: &[usize],
    ) -> Result<Option<Vec<PropVal>>> {
        let first = self
            .columns
            .partly_read
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_string());
        if !first {
            return Ok(None);
        }
        let mut fill = ColumnFill::new(self.columns.len);
        let ids: Vec<i64> =
            positions.iter().filter_map(|&p| self.entries().get(p).map(|e| e.id)).collect();
        self.db().for_each_execution_property_of(&ids, Some(&[name]), |id, _, custom, value| {
            fill.add(self.position(id), custom, value);
        })?;
        let column = fill.column;
        let found =
            positions.iter().any(|&p| column.get(p).is_some_and(|v| *v != PropVal::Missing));
        Ok(found.then_some(column))
    }

    /// The column of the property named exactly `name`, read now.
    fn stored_property_column(&self, name: &str) -> Result<Vec<PropVal>> {
        match self.indexed_property_column(name)? {
            Some(column) => Ok(column),
            None => self.scanned_property_column(name),
        }
    }

    /// The column of the property named exactly `name`, read in one pass over the table.
    fn scanned_property_column(&self, name: &str) -> Result<Vec<PropVal>> {
        let mut fill = ColumnFill::new(self.columns.len);
        self.db().for_each_execution_property(Some(&[name]), None, |id, _, custom, value| {
            fill.add(self.position(id), custom, value);
        })?;
        Ok(fill.column)
    }

    /// The column of the property `name` read from MLMD's index of its one value column
    /// (see [`crate::db::Db::for_each_property_value`]) — a fraction of the table — when
    /// the census saw a single value column for it (int, double or string) and the
    /// rows' executions are known by rowid ([`super::RowRuns`]). `None` (read the table)
    /// otherwise, or when the rows read are not as many as the census counted (a row
    /// without a value, or an index that does not match its table).
    fn indexed_property_column(&self, name: &str) -> Result<Option<Vec<PropVal>>> {
        let (Some(runs), Some(&[(declared_rows, d), (custom_rows, c)])) =
            (self.property_rows.as_ref(), self.census.get(name))
        else {
            return Ok(None);
        };
        let kinds = d | c;
        if kinds.count_ones() != 1 || kinds > 0b100 {
            return Ok(None);
        }
        let mut fill = ColumnFill::new(self.columns.len);
        let mut rows = 0usize;
        let kind = kinds.trailing_zeros() as usize;
        self.db().for_each_property_value(name, kind, |rowid, custom, value| {
            rows += 1;
            fill.add(runs.find(rowid), custom, value);
        })?;
        Ok((rows == declared_rows + custom_rows).then_some(fill.column))
    }

    /// `PROPERTY.PATH` read inside JSON values: the longest leading part of `name` (cut
    /// before a `.` or `[`) that some execution has as a property, with the rest as the
    /// path; `None` when no cut gives one.
    fn json_path_column(&self, name: &str) -> Result<Option<Vec<PropVal>>> {
        let cuts = name.char_indices().filter(|(i, c)| *i > 0 && matches!(c, '.' | '['));
        let cuts: Vec<usize> = cuts.map(|(i, _)| i).collect();
        for &cut in cuts.iter().rev() {
            let path = name[cut..].strip_prefix('.').unwrap_or(&name[cut..]);
            let Some(steps) = conventions::json_path(path) else { continue };
            let base = self.stored_property_column(&name[..cut])?;
            if base.iter().all(|v| *v == PropVal::Missing) {
                continue;
            }
            let inside = base
                .iter()
                .map(|v| match v {
                    PropVal::Text(t) | PropVal::Other(t) => conventions::json_container(t)
                        .and_then(|json| conventions::json_at(&json, &steps).map(prop_of_json))
                        .unwrap_or(PropVal::Missing),
                    _ => PropVal::Missing,
                })
                .collect();
            return Ok(Some(inside));
        }
        Ok(None)
    }

    /// Every execution's declared and custom properties, by position, read in one pass
    /// over the table on first use (a repeated (name, kind) row keeps the first read).
    /// Many executions' properties come faster from here than from keyed lookups.
    ///
    /// # Errors
    /// As [`ExecutionIndex::property_column`].
    pub fn all_properties(&self) -> Result<&[Properties]> {
        if let Some(p) = self.columns.all_properties.get() {
            return Ok(p);
        }
        let mut all = vec![Properties::default(); self.columns.len];
        self.db().for_each_execution_property(None, None, |id, name, custom, value| {
            if let Some(pos) = self.position(id) {
                let p = &mut all[pos];
                let map = if custom { &mut p.custom_properties } else { &mut p.properties };
                map.entry(name.to_string()).or_insert(value);
            }
        })?;
        Ok(self.columns.all_properties.get_or_init(|| all))
    }

    /// The id of the first artifact (by id) named `name` (a NULL name reads as `""`),
    /// from a map of every artifact name read in one pass on first use: cmflib looks
    /// artifacts up by name, and the column has no index of its own.
    ///
    /// # Errors
    /// As [`ExecutionIndex::property_column`].
    pub fn first_artifact_named(&self, name: &str) -> Result<Option<i64>> {
        if let Some(names) = self.columns.artifact_names.get() {
            return Ok(names.get(name).copied());
        }
        let names = self.db().first_artifact_by_name()?;
        Ok(self.columns.artifact_names.get_or_init(|| names).get(name).copied())
    }

    /// cmflib's pipelines (its `_get_pipelines`: the contexts of type
    /// [`conventions::CMF_PIPELINE_CONTEXT_TYPE`], by id), each with its stages (its child
    /// contexts, by id), with their properties: read on first use and kept, since every
    /// CmfQuery question starts from them and a store's contexts are few.
    ///
    /// # Errors
    /// As [`ExecutionIndex::property_column`].
    pub fn cmf_pipelines(&self) -> Result<&[CmfPipeline]> {
        if let Some(found) = self.columns.cmf_pipelines.get() {
            return Ok(found);
        }
        let db = self.db();
        let mut found = Vec::new();
        for context in db.nodes(
            NodeKind::Context,
            Pick::ContextsOfType(conventions::CMF_PIPELINE_CONTEXT_TYPE),
            Order::Id,
        )? {
            let stages = db.nodes(NodeKind::Context, Pick::ChildrenOf(context.id), Order::Id)?;
            found.push(CmfPipeline { context, stages });
        }
        Ok(self.columns.cmf_pipelines.get_or_init(|| found))
    }

    /// [`ExecutionIndex::all_properties`] if it has been read.
    pub fn cached_all_properties(&self) -> Option<&[Properties]> {
        self.columns.all_properties.get().map(Vec::as_slice)
    }

    /// The lower-cased names and URIs of every execution's input and output artifacts,
    /// by position, loading them on first use.
    ///
    /// # Errors
    /// As [`ExecutionIndex::property_column`].
    pub fn artifact_texts(&self) -> Result<&[Vec<Box<str>>]> {
        if let Some(a) = self.columns.artifacts.get() {
            return Ok(a);
        }
        let mut lists: Vec<Vec<Box<str>>> = vec![Vec::new(); self.columns.len];
        self.db().for_each_artifact_text(|id, text| {
            if let Some(pos) = self.position(id) {
                lists[pos].push(text.to_lowercase().into());
            }
        })?;
        Ok(self.columns.artifacts.get_or_init(|| lists))
    }

    /// The positions of the executions that have a start, ordered by start then id (the
    /// order of sorting by `started`), made by `make` on first use (the query layer owns
    /// the sort): a start range is then a slice found by binary search.
    pub fn by_started(&self, make: impl FnOnce() -> Vec<usize>) -> &[usize] {
        self.columns.by_started.get_or_init(make)
    }

    /// How many distinct artifacts every execution read and wrote (input and output
    /// event types as [`crate::conventions::is_input_event`] and `is_output_event` tell),
    /// by position, counted on first use.
    ///
    /// # Errors
    /// As [`ExecutionIndex::property_column`].
    pub fn link_counts(&self) -> Result<&[(u32, u32)]> {
        if let Some(l) = self.columns.links.get() {
            return Ok(l);
        }
        let mut counts = vec![(0u32, 0u32); self.columns.len];
        // Rows come ordered by execution then artifact: a repeat of the previous
        // (execution, artifact, direction) is the same link.
        let mut last: Option<(i64, i64, bool)> = None;
        self.db().for_each_event_link(|execution, artifact, kind| {
            let output = if crate::conventions::is_output_event(kind) {
                true
            } else if crate::conventions::is_input_event(kind) {
                false
            } else {
                return;
            };
            let key = (execution, artifact, output);
            if last == Some(key) {
                return;
            }
            last = Some(key);
            if let Some(pos) = self.position(execution) {
                let c = &mut counts[pos];
                if output {
                    c.1 += 1;
                } else {
                    c.0 += 1;
                }
            }
        })?;
        Ok(self.columns.links.get_or_init(|| counts))
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::*;
    use crate::db::Db;

    fn fixtures() -> PathBuf {
        std::env::var("MLMD_FIXTURES")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures").into())
            .into()
    }

    fn index(path: &Path) -> Option<ExecutionIndex> {
        let db = Db::open_path(path).ok()?;
        ExecutionIndex::build(Arc::new(db), None, &mut |_| ()).ok()
    }

    /// Every property's column read from MLMD's value index, where that read is taken,
    /// equals the one read from the table, on every fixture; and some fixture takes it.
    #[test]
    fn indexed_property_columns_equal_the_table_scan() {
        let Ok(dir) = std::fs::read_dir(fixtures()) else { return }; // the suites require them
        let mut indexed = 0;
        for path in dir.flatten().map(|e| e.path()) {
            let Some(ix) = index(&path) else { continue };
            let names: Vec<String> = ix.census().names().map(|(n, _)| n.to_string()).collect();
            for name in names {
                if let Some(column) = ix.indexed_property_column(&name).unwrap() {
                    assert_eq!(
                        column,
                        ix.scanned_property_column(&name).unwrap(),
                        "{path:?} {name}"
                    );
                    indexed += 1;
                }
            }
        }
        assert!(indexed > 10, "only {indexed} columns read from an index");
    }

    /// A file whose ExecutionProperty has no rowids (`WITHOUT ROWID`: not ml-metadata's,
    /// but a file may say so) opens, and its columns are read from the table.
    #[test]
    fn a_table_without_rowids_is_read_from_the_table() {
        let src = fixtures().join("cmf_small.sqlite");
        let Some(plain) = index(&src) else { return };
        let dir = std::env::temp_dir().join(format!("mlmd-lens-no-rowid-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join("store.sqlite");
        std::fs::copy(&src, &copy).unwrap();
        rusqlite::Connection::open(&copy)
            .unwrap()
            .execute_batch(
                "CREATE TABLE Saved AS SELECT * FROM ExecutionProperty;
                 DROP TABLE ExecutionProperty;
                 CREATE TABLE ExecutionProperty (execution_id INT NOT NULL, name VARCHAR(255) NOT NULL,
                   is_custom_property TINYINT(1) NOT NULL, int_value INT, double_value DOUBLE,
                   string_value TEXT, byte_value BLOB, proto_value BLOB, bool_value BOOLEAN,
                   PRIMARY KEY (execution_id, name, is_custom_property)) WITHOUT ROWID;
                 INSERT INTO ExecutionProperty SELECT * FROM Saved;
                 DROP TABLE Saved;",
            )
            .unwrap();
        let ix = index(&copy).unwrap();
        assert!(ix.property_rows.is_none());
        for name in ["epochs", "learning_rate", "Git_Repo"] {
            assert!(ix.indexed_property_column(name).unwrap().is_none());
            assert_eq!(
                ix.property_column(name).unwrap(),
                plain.property_column(name).unwrap(),
                "{name}"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A row without a value (not in any value index) makes the counts differ: the
    /// column is read from the table, where that row counts (a declared NULL hides a
    /// custom value).
    #[test]
    fn a_row_without_a_value_is_read_from_the_table() {
        let src = fixtures().join("cmf_small.sqlite");
        if !src.exists() {
            return;
        }
        let dir = std::env::temp_dir().join(format!("mlmd-lens-null-row-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join("store.sqlite");
        std::fs::copy(&src, &copy).unwrap();
        let c = rusqlite::Connection::open(&copy).unwrap();
        c.execute(
            "UPDATE ExecutionProperty SET int_value = NULL, double_value = NULL, string_value = NULL
             WHERE name = 'Git_Repo' AND execution_id = (SELECT MIN(execution_id) FROM ExecutionProperty)",
            [],
        )
        .unwrap();
        drop(c);
        let ix = index(&copy).unwrap();
        assert!(ix.indexed_property_column("Git_Repo").unwrap().is_none());
        let whole = ix.property_column("Git_Repo").unwrap();
        assert_eq!(whole[0], PropVal::Missing);
        assert!(whole[1..].iter().all(|v| *v != PropVal::Missing));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
