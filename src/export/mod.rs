//! Exports of the executions matching a query: CSV (the table plus every property as a
//! column, safe to open in a spreadsheet) and JSON (full details of each execution).

mod csv_export;

pub use csv_export::neutralize;
pub(crate) use csv_export::to_csv;

use serde::Serialize;

use crate::model::ExecutionDetails;

/// The JSON export: what was asked and every matching execution in full.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonExport<'a> {
    /// The exporting tool and version.
    pub generator: &'static str,
    /// The search query, if any.
    pub query: Option<&'a str>,
    /// Number of executions.
    pub total: usize,
    /// The executions, in sort order.
    pub executions: Vec<ExecutionDetails>,
}
