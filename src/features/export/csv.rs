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

/// A built-in column of the table: its key (as the widget's `columns` state names it) and
/// its CSV header.
const BUILTIN: [(&str, &str); 11] = [
    ("id", "id"),
    ("name", "name"),
    ("type", "type"),
    ("pipeline", "pipeline"),
    ("stage", "stage"),
    ("run", "run"),
    ("status", "status"),
    ("started", "started"),
    ("ended", "ended"),
    ("duration", "duration_ms"),
    ("gitCommit", "git_commit"),
];

/// Columns every CSV export carries, whatever the table shows (id and name first, the
/// times last when the table leaves them out).
const ALWAYS: [&str; 5] = ["id", "name", "started", "ended", "duration"];

/// One column of the CSV.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// A built-in column, by key.
    Builtin(&'static str),
    /// The property of this name (declared and custom share a column).
    Property(String),
}

/// The columns of a CSV: `table` in its order (unknown keys dropped), then the ones every
/// export has, then the `properties` not already shown.
fn plan_columns(table: Option<&[String]>, properties: Vec<String>) -> Vec<Column> {
    let builtin = |k: &str| BUILTIN.iter().find(|(key, _)| *key == k).map(|(key, _)| *key);
    let mut out: Vec<Column> = match table {
        // The default columns stay the ten they have always been (scripts read them by
        // position); `run` comes when the table's columns name it.
        None => {
            BUILTIN.iter().filter(|(k, _)| *k != "run").map(|(k, _)| Column::Builtin(k)).collect()
        }
        Some(keys) => keys
            .iter()
            .filter_map(|k| match k.strip_prefix("property:") {
                Some(name) if !name.is_empty() => Some(Column::Property(name.to_string())),
                Some(_) => None,
                None => builtin(k).map(Column::Builtin),
            })
            .collect(),
    };
    for (i, key) in ALWAYS.iter().enumerate() {
        if !out.contains(&Column::Builtin(key)) {
            // id and name lead; the times follow the table's own columns.
            let at = if i < 2 { i.min(out.len()) } else { out.len() };
            out.insert(at, Column::Builtin(key));
        }
    }
    for name in properties {
        let c = Column::Property(name);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// How a CSV export is written: its columns (the table's columns `table` in order — the
/// built-in ones but `run` when `None`; id, name, started, ended and duration always — then
/// one `property:NAME` column per name in `properties` not already among them; declared and
/// custom share a column, folded by [`fold_property`] as in the index's property columns),
/// and whether the text starts with U+FEFF. [`CsvPlan::header`] writes the first line,
/// [`CsvPlan::rows`] any number of rows after it (RFC 4180; numbers written as numbers), so
/// a large export is written a chunk at a time.
#[derive(Debug, Clone)]
pub(crate) struct CsvPlan {
    plan: Vec<Column>,
    /// The property columns' names, in order, and the index of each among them.
    properties: Vec<String>,
    column_of: HashMap<String, usize>,
    bom: bool,
}

impl CsvPlan {
    /// The plan of a CSV with these columns (see the type's doc).
    pub(crate) fn new(table: Option<&[String]>, properties: Vec<String>, bom: bool) -> CsvPlan {
        let plan = plan_columns(table, properties);
        let mut column_of = HashMap::new();
        let mut properties = Vec::new();
        for c in &plan {
            if let Column::Property(name) = c {
                column_of.insert(name.clone(), properties.len());
                properties.push(name.clone());
            }
        }
        CsvPlan { plan, properties, column_of, bom }
    }

    /// The header line (after the byte order mark when asked).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the CSV cannot be written.
    pub(crate) fn header(&self) -> Result<String> {
        let header = self.plan.iter().map(|c| match c {
            Column::Builtin(k) => {
                BUILTIN.iter().find(|(key, _)| key == k).map(|(_, h)| *h).unwrap_or_default().into()
            }
            Column::Property(n) => format!("property:{n}"),
        });
        let line = write_records(std::iter::once(header.map(|h| neutralize(&h).into_owned())))?;
        Ok(if self.bom { format!("\u{feff}{line}") } else { line })
    }

    /// The lines of `rows`. Their property cells come from one read of ExecutionProperty
    /// for these executions: every row of the table when `whole` (the rows are all the
    /// store's, or most of it), else the id range of the rows when it is dense, else the
    /// rows' ids — so each chunk of a large export costs about its own size.
    ///
    /// # Errors
    /// Read errors; [`Error::InvalidArgument`] when the CSV cannot be written.
    pub(crate) fn rows(
        &self,
        ix: &ExecutionIndex,
        rows: &[ExecutionRow],
        whole: bool,
    ) -> Result<String> {
        let mut cells = vec![vec![PropVal::Missing; rows.len()]; self.properties.len()];
        if !self.properties.is_empty() && !rows.is_empty() {
            // Row of the chunk for each execution id.
            let row_of: HashMap<i64, usize> =
                rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
            let mut declared = vec![vec![false; rows.len()]; self.properties.len()];
            let mut fold = |id: i64, name: &str, custom: bool, value: crate::model::Value| {
                let (Some(&row), Some(&col)) = (row_of.get(&id), self.column_of.get(name)) else {
                    return;
                };
                fold_property(&mut cells[col][row], &mut declared[col][row], custom, value);
            };
            let (lo, hi) =
                rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r.id), hi.max(r.id)));
            let span = u64::try_from(hi.saturating_sub(lo)).unwrap_or(u64::MAX);
            if whole {
                ix.db().for_each_execution_property(None, None, &mut fold)?;
            } else if span < 4 * rows.len() as u64 {
                ix.db().for_each_execution_property(None, Some((lo, hi)), &mut fold)?;
            } else {
                let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                ix.db().for_each_execution_property_of(&ids, None, &mut fold)?;
            }
        }
        write_records(rows.iter().enumerate().map(|(i, r)| {
            self.plan
                .iter()
                .map(|c| match c {
                    Column::Builtin(k) => builtin_cell(r, k),
                    Column::Property(n) => {
                        self.column_of.get(n).map(|&p| cells[p][i].text()).unwrap_or_default()
                    }
                })
                .map(|c| neutralize(&c).into_owned())
                .collect::<Vec<_>>()
        }))
    }
}

/// Records written as CSV lines.
fn write_records<R, I>(records: R) -> Result<String>
where
    R: IntoIterator<Item = I>,
    I: IntoIterator<Item = String>,
{
    let fail = |e: &dyn std::fmt::Display| Error::InvalidArgument(format!("cannot write CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    for rec in records {
        w.write_record(rec).map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A built-in cell of row `r`.
fn builtin_cell(r: &ExecutionRow, key: &str) -> String {
    match key {
        "id" => r.id.to_string(),
        "name" => r.name.clone(),
        "type" => r.type_name.clone(),
        "pipeline" => r.pipeline.clone(),
        "stage" => r.stage.clone(),
        "run" => r.run.clone(),
        "status" => r.status.label().to_string(),
        "started" => r.started.clone().unwrap_or_default(),
        "ended" => r.ended.clone().unwrap_or_default(),
        "duration" => r.duration_ms.map(|d| d.to_string()).unwrap_or_default(),
        "gitCommit" => r.git_commit.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_columns_come_first_and_the_times_are_always_there() {
        let table = ["status".to_string(), "property:lr".to_string(), "name".to_string()];
        let plan = plan_columns(Some(&table), vec!["lr".into(), "epochs".into()]);
        assert_eq!(
            plan,
            [
                Column::Builtin("id"),
                Column::Builtin("status"),
                Column::Property("lr".into()),
                Column::Builtin("name"),
                Column::Builtin("started"),
                Column::Builtin("ended"),
                Column::Builtin("duration"),
                Column::Property("epochs".into()),
            ]
        );
    }
}
