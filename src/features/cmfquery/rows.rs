//! The shapes of cmflib's answers: one row per MLMD node as cmflib's
//! `CmfQuery._transform_to_dataframe` / `get_artifact_df` build it (declared properties
//! under their names, custom ones prefixed `custom_properties_`), tables whose columns are
//! the union of the rows' keys in sorted order (as `pandas.concat(sort=True)` leaves
//! them), and the plain stand-in for an MLMD `Execution` proto.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value as Json;

use crate::db::NodeRecord;
use crate::model::{Properties, Value};

/// A table shaped like the `pandas.DataFrame` cmflib returns: the column names (sorted,
/// as cmflib's `pd.concat(…, sort=True)` leaves them) and, column by column, one cell per
/// node in cmflib's row order; `null` where a row lacks the column (pandas' `NaN`). A
/// table with no rows has no columns either, as cmflib's empty `pd.DataFrame()`.
///
/// Column by column since pandas builds frames from columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CmfFrame {
    /// Column names, sorted.
    pub columns: Vec<String>,
    /// The cells of each column (in `columns`' order), one per row.
    pub cells: Vec<Vec<Json>>,
}

impl CmfFrame {
    /// The values of column `name`, one per row (`None` when there is no such column).
    pub fn column(&self, name: &str) -> Option<&[Json]> {
        let i = self.columns.iter().position(|c| c == name)?;
        self.cells.get(i).map(Vec::as_slice)
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.cells.first().map_or(0, Vec::len)
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`'s cells, one per column (empty past the last row).
    pub fn row(&self, i: usize) -> Vec<&Json> {
        self.cells.iter().filter_map(|c| c.get(i)).collect()
    }

    /// What the cells of column `i` are (see [`CmfColumnKind`]).
    ///
    /// ```
    /// use mlmd_lens::{CmfColumnKind, CmfFrame};
    /// use serde_json::json;
    /// let f = CmfFrame {
    ///     columns: vec!["a".into(), "b".into(), "c".into(), "d".into()],
    ///     cells: vec![vec![json!(1), json!(2)], vec![json!(1), json!(null)],
    ///                 vec![json!("x"), json!(null)], vec![json!("x"), json!(2)]],
    /// };
    /// let kinds: Vec<CmfColumnKind> = (0..4).map(|i| f.kind(i)).collect();
    /// assert_eq!(kinds, [CmfColumnKind::Int, CmfColumnKind::Float, CmfColumnKind::Text, CmfColumnKind::Mixed]);
    /// ```
    pub fn kind(&self, i: usize) -> CmfColumnKind {
        let (mut ints, mut floats, mut texts, mut nulls, mut other) = (0, 0, 0, 0, 0);
        for v in self.cells.get(i).map_or(&[][..], Vec::as_slice) {
            match v {
                Json::Null => nulls += 1,
                Json::Number(n) if n.is_i64() => ints += 1,
                Json::Number(n) if n.is_f64() => floats += 1,
                Json::String(_) => texts += 1,
                _ => other += 1,
            }
        }
        match (ints, floats, texts, nulls, other) {
            (1.., 0, 0, 0, 0) => CmfColumnKind::Int,
            (i, f, 0, _, 0) if i + f > 0 => CmfColumnKind::Float,
            (0, 0, 1.., _, 0) => CmfColumnKind::Text,
            _ => CmfColumnKind::Mixed,
        }
    }
}

/// What a [`CmfFrame`] column holds, and so the dtype pandas infers for it: `int64` for
/// integers only, `float64` for numbers with a float or a missing cell (missing read as
/// NaN), pandas' text dtype for text with or without missing cells, and anything else
/// (no value at all, text mixed with numbers, integers past `i64`) left to pandas.
/// Hosts hand the first three over typed rather than cell by cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmfColumnKind {
    /// Every cell an `i64`.
    Int,
    /// Numbers (`i64` or `f64`), at least one, and missing cells; at least one float or
    /// missing cell.
    Float,
    /// Text, at least one, and missing cells.
    Text,
    /// Anything else.
    Mixed,
}

/// An MLMD `Execution` as the fields of its proto (what cmflib's `get_all_exe_in_stage`
/// and `find_producer_execution` return), with proto defaults for what the store leaves
/// NULL (`name` `""`, `last_known_state` 0 = UNKNOWN). Property values are plain values
/// read as cmflib reads them ([`cmf_value`]) instead of `metadata_store_pb2.Value`s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CmfExecution {
    /// `Execution.id`.
    pub id: i64,
    /// `Execution.type_id`.
    pub type_id: i64,
    /// The execution type's name (the proto's `type`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// `Execution.name` (`""` when NULL).
    pub name: String,
    /// `Execution.last_known_state` (0, UNKNOWN, when NULL).
    pub last_known_state: i64,
    /// `Execution.external_id` (`""` when NULL).
    pub external_id: String,
    /// Epoch ms.
    pub create_time_since_epoch: i64,
    /// Epoch ms.
    pub last_update_time_since_epoch: i64,
    /// Declared properties.
    pub properties: BTreeMap<String, Json>,
    /// Custom properties.
    pub custom_properties: BTreeMap<String, Json>,
}

/// A property value as cmflib reads an MLMD `Value` (`CmfQuery._copy`): its string if it
/// has one, else its int, else its double — which is 0.0 for every other kind (bool,
/// struct, proto, bytes, none), as `Value.double_value` reads there.
pub(crate) fn cmf_value(v: &Value) -> Json {
    match v {
        Value::String(s) => Json::String(s.clone()),
        Value::Int(i) => Json::from(*i),
        Value::Double(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
        _ => Json::from(0.0),
    }
}

/// Properties as cmflib copies them (`_copy`): names kept, values by [`cmf_value`], a
/// key renamed by `rename` (cmflib's `{"type": "user_type"}` in its JSON export).
pub(crate) fn copied(
    props: &BTreeMap<String, Value>,
    rename: &[(&str, &str)],
) -> BTreeMap<String, Json> {
    props
        .iter()
        .map(|(k, v)| {
            let key = rename.iter().find(|(from, _)| from == k).map_or(k.as_str(), |(_, to)| to);
            (key.to_string(), cmf_value(v))
        })
        .collect()
}

/// Builds a [`CmfFrame`] row by row as cmflib's `_transform_to_dataframe` /
/// `get_artifact_df` build rows: the row's own fields, then the declared properties
/// (overwriting a field of the same name), then the custom ones as
/// `custom_properties_NAME` (`_1`, `_2`, … appended while that name is taken in the row).
///
/// Cells go straight into their column. Column names are kept once per frame, and the
/// names of the previous row with the columns they went to: a row whose names come in the
/// same order (most rows of a frame) finds its columns by comparing names, without
/// hashing them.
#[derive(Debug, Default)]
pub(crate) struct FrameBuilder {
    keys: Vec<String>,
    ids: HashMap<String, usize>,
    custom: HashMap<String, usize>,
    /// Each key's cells, one per row up to the last row that had the key.
    cells: Vec<Vec<Json>>,
    rows: usize,
    /// The previous row's names (with whether custom) and the column each went to.
    shape: Vec<(bool, String, usize)>,
}

impl FrameBuilder {
    fn key(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        self.keys.push(name.to_string());
        self.cells.push(Vec::new());
        self.ids.insert(name.to_string(), self.keys.len() - 1);
        self.keys.len() - 1
    }

    /// Whether column `id` has a cell in the row being added.
    fn taken(&self, id: usize) -> bool {
        self.cells[id].len() > self.rows
    }

    /// The column of the custom property `name` in the row being added.
    fn custom_key(&mut self, name: &str) -> usize {
        let mut id = match self.custom.get(name) {
            Some(&id) => id,
            None => {
                let id = self.key(&format!("custom_properties_{name}"));
                self.custom.insert(name.to_string(), id);
                id
            }
        };
        let mut n = 0;
        while self.taken(id) {
            n += 1;
            id = self.key(&format!("custom_properties_{name}_{n}"));
        }
        id
    }

    /// The column of the row's `i`th name: the previous row's when its first `i + 1`
    /// names were the same, else found (and remembered for the next row).
    fn column_of(&mut self, i: usize, custom: bool, name: &str) -> usize {
        if let Some((c, n, id)) = self.shape.get(i) {
            if *c == custom && n == name {
                return *id;
            }
        }
        let id = if custom { self.custom_key(name) } else { self.key(name) };
        self.shape.truncate(i);
        self.shape.push((custom, name.to_string(), id));
        id
    }

    /// Puts `v` in column `id` of the row being added (replacing a cell already there).
    fn put(&mut self, id: usize, v: Json) {
        let row = self.rows;
        let column = &mut self.cells[id];
        if column.len() > row {
            column[row] = v;
        } else {
            column.resize(row, Json::Null);
            column.push(v);
        }
    }

    /// Adds a row: `fields`, then `props` as cmflib lays them out.
    pub fn row(&mut self, fields: Vec<(&str, Json)>, props: &Properties) {
        let mut i = 0;
        for (k, v) in fields {
            let id = self.column_of(i, false, k);
            self.put(id, v);
            i += 1;
        }
        for (k, v) in &props.properties {
            let id = self.column_of(i, false, k);
            self.put(id, cmf_value(v));
            i += 1;
        }
        for (k, v) in &props.custom_properties {
            let id = self.column_of(i, true, k);
            self.put(id, cmf_value(v));
            i += 1;
        }
        // A row with fewer names than the last: the next row compares with this one.
        self.shape.truncate(i);
        self.rows += 1;
    }

    /// The table: columns sorted, `null` where a row lacks one.
    pub fn finish(self) -> CmfFrame {
        if self.rows == 0 {
            return CmfFrame::default();
        }
        let mut columns: Vec<(String, Vec<Json>)> = self.keys.into_iter().zip(self.cells).collect();
        columns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (names, mut cells): (Vec<String>, Vec<Vec<Json>>) = columns.into_iter().unzip();
        for column in &mut cells {
            column.resize(self.rows, Json::Null);
        }
        CmfFrame { columns: names, cells }
    }
}

/// An execution's fields in cmflib's execution frames (`get_all_executions_in_pipeline`,
/// `…_in_stage`): `id` and `name` (its properties follow).
pub(crate) fn execution_fields(id: i64, name: Option<String>) -> Vec<(&'static str, Json)> {
    vec![("id", Json::from(id)), ("name", Json::from(name.unwrap_or_default()))]
}

/// An artifact's fields (`get_artifact_df`): `event` when given, `id`, `type`, `uri`,
/// `name` and the two times (its properties follow).
pub(crate) fn artifact_fields(a: &NodeRecord, event: Option<&str>) -> Vec<(&'static str, Json)> {
    let mut d = Vec::with_capacity(7);
    if let Some(event) = event {
        d.push(("event", Json::from(event)));
    }
    d.push(("id", Json::from(a.id)));
    d.push(("type", Json::from(a.type_name.clone())));
    d.push(("uri", Json::from(a.uri.clone().unwrap_or_default())));
    d.push(("name", Json::from(a.name.clone().unwrap_or_default())));
    d.push(("create_time_since_epoch", Json::from(a.created.unwrap_or(0))));
    d.push(("last_update_time_since_epoch", Json::from(a.updated.unwrap_or(0))));
    d
}

/// Artifacts as a frame, each with no `event`.
pub(crate) fn artifact_frame<'a>(artifacts: impl IntoIterator<Item = &'a NodeRecord>) -> CmfFrame {
    let mut f = FrameBuilder::default();
    for a in artifacts {
        f.row(artifact_fields(a, None), &a.props);
    }
    f.finish()
}

/// The proto stand-in of an execution with its properties `props`.
pub(crate) fn execution_proto(e: &NodeRecord, props: &Properties) -> CmfExecution {
    CmfExecution {
        id: e.id,
        type_id: e.type_id.unwrap_or(0),
        type_name: e.type_name.clone(),
        name: e.name.clone().unwrap_or_default(),
        last_known_state: e.state.unwrap_or(0),
        external_id: e.external_id.clone().unwrap_or_default(),
        create_time_since_epoch: e.created.unwrap_or(0),
        last_update_time_since_epoch: e.updated.unwrap_or(0),
        properties: copied(&props.properties, &[]),
        custom_properties: copied(&props.custom_properties, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_cmflib_reads_them() {
        assert_eq!(cmf_value(&Value::String("0.1".into())), Json::from("0.1"));
        assert_eq!(cmf_value(&Value::Int(5)), Json::from(5));
        assert_eq!(cmf_value(&Value::Bool(true)), Json::from(0.0));
        assert_eq!(cmf_value(&Value::Null), Json::from(0.0));
    }

    #[test]
    fn custom_properties_are_prefixed_and_collisions_resolved() {
        let mut props = Properties::default();
        props.properties.insert("custom_properties_x".into(), Value::Int(1));
        props.custom_properties.insert("x".into(), Value::Int(2));
        let mut f = FrameBuilder::default();
        f.row(vec![("id", Json::from(7))], &props);
        f.row(vec![("name", Json::from("b"))], &Properties::default());
        let f = f.finish();
        assert_eq!(f.columns, ["custom_properties_x", "custom_properties_x_1", "id", "name"]);
        assert_eq!(f.row(0), [&Json::from(1), &Json::from(2), &Json::from(7), &Json::Null]);
        assert_eq!(f.row(1), [&Json::Null, &Json::Null, &Json::Null, &Json::from("b")]);
        assert_eq!(FrameBuilder::default().finish(), CmfFrame::default());
    }

    #[test]
    fn rows_of_other_names_than_the_last_row_find_their_own_columns() {
        let props = |declared: &[(&str, i64)], custom: &[(&str, i64)]| {
            let mut p = Properties::default();
            for (k, v) in declared {
                p.properties.insert((*k).into(), Value::Int(*v));
            }
            for (k, v) in custom {
                p.custom_properties.insert((*k).into(), Value::Int(*v));
            }
            p
        };
        let mut f = FrameBuilder::default();
        // A collision, then the same custom name without it, then with it again; a
        // declared property overwriting a field; a shorter row; the first shape again.
        f.row(vec![("id", Json::from(1))], &props(&[("custom_properties_x", 10)], &[("x", 11)]));
        f.row(vec![("id", Json::from(2))], &props(&[], &[("x", 21)]));
        f.row(vec![("id", Json::from(3))], &props(&[("custom_properties_x", 30)], &[("x", 31)]));
        f.row(vec![("id", Json::from(4))], &props(&[("id", 40)], &[]));
        f.row(vec![("id", Json::from(5))], &Properties::default());
        f.row(vec![("id", Json::from(6))], &props(&[("custom_properties_x", 60)], &[("x", 61)]));
        let f = f.finish();
        assert_eq!(f.columns, ["custom_properties_x", "custom_properties_x_1", "id"]);
        let column = |name: &str| -> Vec<Option<i64>> {
            f.column(name).unwrap().iter().map(Json::as_i64).collect()
        };
        assert_eq!(column("id"), [Some(1), Some(2), Some(3), Some(40), Some(5), Some(6)]);
        assert_eq!(
            column("custom_properties_x"),
            [Some(10), Some(21), Some(30), None, None, Some(60)]
        );
        assert_eq!(
            column("custom_properties_x_1"),
            [Some(11), None, Some(31), None, None, Some(61)]
        );
        assert_eq!(f.len(), 6);
    }
}
