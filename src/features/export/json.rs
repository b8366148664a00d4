//! The JSON export: what was asked and every matching execution in full.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::ExecutionDetails;

/// The JSON export document.
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

/// `executions` (all `total` of them, in order) as pretty JSON.
///
/// # Errors
/// [`Error::InvalidArgument`] when the JSON cannot be written.
pub(crate) fn export_json(
    query: Option<&str>,
    total: usize,
    executions: Vec<ExecutionDetails>,
) -> Result<String> {
    let export = JsonExport {
        generator: concat!("mlmd-lens ", env!("CARGO_PKG_VERSION")),
        query,
        total,
        executions,
    };
    serde_json::to_string_pretty(&export)
        .map_err(|e| Error::InvalidArgument(format!("cannot write JSON: {e}")))
}
