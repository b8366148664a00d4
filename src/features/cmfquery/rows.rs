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
/// Column names are kept once per frame, so a row costs one cell per value.
#[derive(Debug, Default)]
pub(crate) struct FrameBuilder {
    keys: Vec<String>,
    ids: HashMap<String, usize>,
    custom: HashMap<String, usize>,
    rows: Vec<Vec<(usize, Json)>>,
}

impl FrameBuilder {
    fn key(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        self.keys.push(name.to_string());
        self.ids.insert(name.to_string(), self.keys.len() - 1);
        self.keys.len() - 1
    }

    fn custom_key(&mut self, name: &str) -> usize {
        if let Some(&id) = self.custom.get(name) {
            return id;
        }
        let id = self.key(&format!("custom_properties_{name}"));
        self.custom.insert(name.to_string(), id);
        id
    }

    /// Adds a row: `fields`, then `props` as cmflib lays them out.
    pub fn row(&mut self, fields: Vec<(&str, Json)>, props: &Properties) {
        let mut row: Vec<(usize, Json)> =
            fields.into_iter().map(|(k, v)| (self.key(k), v)).collect();
        for (k, v) in &props.properties {
            let id = self.key(k);
            match row.iter_mut().find(|(i, _)| *i == id) {
                Some(cell) => cell.1 = cmf_value(v),
                None => row.push((id, cmf_value(v))),
            }
        }
        for (k, v) in &props.custom_properties {
            let mut id = self.custom_key(k);
            let mut n = 0;
            while row.iter().any(|(i, _)| *i == id) {
                n += 1;
                id = self.key(&format!("custom_properties_{k}_{n}"));
            }
            row.push((id, cmf_value(v)));
        }
        self.rows.push(row);
    }

    /// The table: columns sorted, `null` where a row lacks one.
    pub fn finish(self) -> CmfFrame {
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_unstable_by(|&a, &b| self.keys[a].cmp(&self.keys[b]));
        let mut at = vec![0; order.len()];
        for (col, &id) in order.iter().enumerate() {
            at[id] = col;
        }
        let rows = self
            .rows
            .into_iter()
            .map(|cells| {
                let mut row = vec![Json::Null; order.len()];
                for (id, v) in cells {
                    row[at[id]] = v;
                }
                row
            })
            .collect();
        let mut keys = self.keys;
        let columns = order.iter().map(|&id| std::mem::take(&mut keys[id])).collect();
        CmfFrame { columns, rows }
    }
}

/// An execution's fields in cmflib's execution frames (`get_all_executions_in_pipeline`,
/// `…_in_stage`): `id` and `name` (its properties follow).
pub(crate) fn execution_fields(e: &NodeRecord) -> Vec<(&'static str, Json)> {
    vec![("id", Json::from(e.id)), ("name", Json::from(e.name.clone().unwrap_or_default()))]
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
        assert_eq!(f.rows[0], [Json::from(1), Json::from(2), Json::from(7), Json::Null]);
        assert_eq!(f.rows[1], [Json::Null, Json::Null, Json::Null, Json::from("b")]);
        assert_eq!(FrameBuilder::default().finish(), CmfFrame::default());
    }
}
