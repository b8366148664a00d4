//! CSV export with spreadsheet formula injection neutralised.

use crate::error::{Error, Result};
use crate::index::{ExecutionIndex, PropVal};
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
/// execution property name (declared and custom share a column; declared wins).
///
/// # Errors
/// Read errors; [`Error::InvalidArgument`] when the CSV cannot be written.
pub(crate) fn export_csv(
    ix: &ExecutionIndex,
    rows: &[ExecutionRow],
    names: impl IntoIterator<Item = String>,
) -> Result<String> {
    let mut seen = std::collections::HashSet::new();
    let positions: Vec<Option<usize>> = rows.iter().map(|r| ix.position(r.id)).collect();
    let mut columns = Vec::new();
    for name in names {
        if !seen.insert(name.clone()) {
            continue;
        }
        let col = ix.property_column(&name)?;
        let vals =
            positions.iter().map(|p| p.map_or(PropVal::Missing, |p| col[p].clone())).collect();
        columns.push((name, vals));
    }
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
