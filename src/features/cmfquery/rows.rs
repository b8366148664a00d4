//! The shapes of cmflib's answers: one row per MLMD node as cmflib's
//! `CmfQuery._transform_to_dataframe` / `get_artifact_df` build it (declared properties
//! under their names, custom ones prefixed `custom_properties_`), tables whose columns are
//! the union of the rows' keys in sorted order (as `pandas.concat(sort=True)` leaves
//! them), and the plain stand-in for an MLMD `Execution` proto.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

use crate::db::NodeRecord;
use crate::model::{Properties, Value};

/// A table shaped like the `pandas.DataFrame` cmflib returns: the column names (sorted,
/// as cmflib's `pd.concat(…, sort=True)` leaves them) and one row of cells per node, in
/// cmflib's row order; `null` where a row lacks the column (pandas' `NaN`). A table with
/// no rows has no columns either, as cmflib's empty `pd.DataFrame()`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CmfFrame {
    /// Column names, sorted.
    pub columns: Vec<String>,
    /// Rows of cells, one cell per column.
    pub rows: Vec<Vec<Json>>,
}

impl CmfFrame {
    /// The values of column `name`, one per row (`None` when there is no such column).
    pub fn column(&self, name: &str) -> Option<Vec<&Json>> {
        let i = self.columns.iter().position(|c| c == name)?;
        Some(self.rows.iter().map(|r| &r[i]).collect())
    }
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

/// One row: column name to cell.
pub(crate) type Row = BTreeMap<String, Json>;

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

/// `_transform_to_dataframe(node, d)`: `d`, then the declared properties (overwriting
/// a key of `d` of the same name), then the custom ones as `custom_properties_NAME`
/// (`_1`, `_2`, … appended while that key is taken).
fn with_properties(mut d: Row, props: &Properties) -> Row {
    for (k, v) in &props.properties {
        d.insert(k.clone(), cmf_value(v));
    }
    for (k, v) in &props.custom_properties {
        let base = format!("custom_properties_{k}");
        let (mut key, mut n) = (base.clone(), 0);
        while d.contains_key(&key) {
            n += 1;
            key = format!("{base}_{n}");
        }
        d.insert(key, cmf_value(v));
    }
    d
}

/// An execution's row in cmflib's execution frames (`get_all_executions_in_pipeline`,
/// `…_in_stage`): `id`, `name` and the properties.
pub(crate) fn execution_row(e: &NodeRecord) -> Row {
    let d = Row::from([
        ("id".to_string(), Json::from(e.id)),
        ("name".to_string(), Json::from(e.name.clone().unwrap_or_default())),
    ]);
    with_properties(d, &e.props)
}

/// An execution's row in `get_all_executions_by_ids_list`: its properties only.
pub(crate) fn properties_row(e: &NodeRecord) -> Row {
    with_properties(Row::new(), &e.props)
}

/// An artifact's row (`get_artifact_df`): `event` when given, `id`, `type`, `uri`, `name`,
/// the two times, then the properties.
pub(crate) fn artifact_row(a: &NodeRecord, event: Option<&str>) -> Row {
    let mut d = Row::new();
    if let Some(event) = event {
        d.insert("event".into(), Json::from(event));
    }
    d.insert("id".into(), Json::from(a.id));
    d.insert("type".into(), Json::from(a.type_name.clone()));
    d.insert("uri".into(), Json::from(a.uri.clone().unwrap_or_default()));
    d.insert("name".into(), Json::from(a.name.clone().unwrap_or_default()));
    d.insert("create_time_since_epoch".into(), Json::from(a.created.unwrap_or(0)));
    d.insert("last_update_time_since_epoch".into(), Json::from(a.updated.unwrap_or(0)));
    with_properties(d, &a.props)
}

/// Rows as one table: the union of their keys, sorted; a missing cell is `null`.
pub(crate) fn frame(rows: Vec<Row>) -> CmfFrame {
    let names: std::collections::BTreeSet<&str> =
        rows.iter().flat_map(|r| r.keys().map(String::as_str)).collect();
    let columns: Vec<String> = names.into_iter().map(str::to_string).collect();
    let rows = rows
        .into_iter()
        .map(|mut r| columns.iter().map(|c| r.remove(c).unwrap_or(Json::Null)).collect())
        .collect();
    CmfFrame { columns, rows }
}

/// The proto stand-in of an execution.
pub(crate) fn execution_proto(e: &NodeRecord) -> CmfExecution {
    CmfExecution {
        id: e.id,
        type_id: e.type_id.unwrap_or(0),
        type_name: e.type_name.clone(),
        name: e.name.clone().unwrap_or_default(),
        last_known_state: e.state.unwrap_or(0),
        external_id: e.external_id.clone().unwrap_or_default(),
        create_time_since_epoch: e.created.unwrap_or(0),
        last_update_time_since_epoch: e.updated.unwrap_or(0),
        properties: copied(&e.props.properties, &[]),
        custom_properties: copied(&e.props.custom_properties, &[]),
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
        let row = with_properties(Row::new(), &props);
        assert_eq!(row["custom_properties_x"], Json::from(1));
        assert_eq!(row["custom_properties_x_1"], Json::from(2));
    }

    #[test]
    fn a_frame_has_the_sorted_union_of_columns() {
        let a = Row::from([("b".to_string(), Json::from(1))]);
        let b = Row::from([("a".to_string(), Json::from("x"))]);
        let f = frame(vec![a, b]);
        assert_eq!(f.columns, ["a", "b"]);
        assert_eq!(
            f.rows,
            vec![vec![Json::Null, Json::from(1)], vec![Json::from("x"), Json::Null]]
        );
        assert_eq!(frame(Vec::new()), CmfFrame::default());
    }
}
