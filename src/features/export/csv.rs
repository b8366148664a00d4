//! CSV export with spreadsheet formula injection neutralised.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::index::{fold_property, ExecutionIndex, PropVal};
use crate::model::ExecutionRow;

/// Makes a cell safe to open in a spreadsheet: text that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`.
/// Numbers such as `-0.5` stay as they are.
///
/// ```
/// use mlmd_lens::neutralize;
/// assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralize("-0.5"), "-0.5");
/// assert_eq!(neutralize("adam"), "adam");
/// ```
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The executions `rows` as CSV: the table's columns plus one `property:NAME` column per
/// execution property name in `names` (declared and custom share a column, folded by
/// [`fold_property`] as in the index's property columns).
///
/// The property cells come from one pass over ExecutionProperty, so the time is linear in
/// the number of property rows however many distinct names there are.
///
/// # Errors
/// Read errors; [`Error::InvalidArgument`] when the CSV cannot be written.
pub(crate) fn export_csv(
    ix: &ExecutionIndex,
    rows: &[ExecutionRow],
    names: impl IntoIterator<Item = String>,
) -> Result<String> {
    let mut column_of: HashMap<String, usize> = HashMap::new();
    let mut columns: Vec<(String, Vec<PropVal>)> = Vec::new();
    for name in names {
        if !column_of.contains_key(&name) {
            column_of.insert(name.clone(), columns.len());
            columns.push((name, vec![PropVal::Missing; rows.len()]));
        }
    }
    // Row of the CSV for each execution id exported.
    let row_of: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut declared = vec![vec![false; rows.len()]; columns.len()];
    ix.db().for_each_execution_property(None, None, |id, name, custom, value| {
        let (Some(&row), Some(&col)) = (row_of.get(&id), column_of.get(name)) else { return };
        fold_property(&mut columns[col].1[row], &mut declared[col][row], custom, &value);
    })?;
    to_csv(rows, &columns).map_err(|e| Error::InvalidArgument(format!("cannot write CSV: {e}")))
}

/// Writes rows and their property columns as CSV (header first).
fn to_csv(
    rows: &[ExecutionRow],
    properties: &[(String, Vec<PropVal>)],
) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "id",
        "name",
        "type",
        "pipeline",
        "stage",
        "status",
        "started",
        "ended",
        "duration_ms",
        "git_commit",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(properties.iter().map(|(n, _)| format!("property:{n}")));
    w.write_record(header.iter().map(|h| neutralize(h).into_owned()))?;
    for (i, r) in rows.iter().enumerate() {
        let mut rec: Vec<String> = vec![
            r.id.to_string(),
            r.name.clone(),
            r.type_name.clone(),
            r.pipeline.clone(),
            r.stage.clone(),
            r.status.label().to_string(),
            r.started.clone().unwrap_or_default(),
            r.ended.clone().unwrap_or_default(),
            r.duration_ms.map(|d| d.to_string()).unwrap_or_default(),
            r.git_commit.clone(),
        ];
        for (_, col) in properties {
            rec.push(col[i].text());
        }
        w.write_record(rec.iter().map(|c| neutralize(c).into_owned()))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
