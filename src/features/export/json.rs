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

/// The exporting tool and version, the export's `generator`.
const GENERATOR: &str = concat!("mlmd-lens ", env!("CARGO_PKG_VERSION"));

/// The JSON export written a piece at a time, the same text as [`JsonExport`] written
/// whole with `serde_json::to_string_pretty`: [`head`] first, then [`item`] for each
/// execution in order, then [`tail`].
pub(crate) mod pieces {
    use super::*;

    /// The document's opening, up to the executions' `[`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the JSON cannot be written.
    pub(crate) fn head(query: Option<&str>, total: usize) -> Result<String> {
        let query = serde_json::to_string(&query).map_err(fail)?;
        let generator = serde_json::to_string(GENERATOR).map_err(fail)?;
        Ok(format!(
            "{{\n  \"generator\": {generator},\n  \"query\": {query},\n  \"total\": {total},\n  \"executions\": ["
        ))
    }

    /// One execution of the list (`first`: the list's first, which has no comma before it).
    /// A pretty-printed value has line breaks only between its tokens (a string's own are
    /// written `\n`), so indenting each line places it in the list.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the JSON cannot be written.
    pub(crate) fn item(first: bool, execution: &ExecutionDetails) -> Result<String> {
        let text = serde_json::to_string_pretty(execution).map_err(fail)?;
        let sep = if first { "\n    " } else { ",\n    " };
        Ok(format!("{sep}{}", text.replace('\n', "\n    ")))
    }

    /// The document's end, after `total` executions.
    pub(crate) fn tail(total: usize) -> &'static str {
        if total == 0 {
            "]\n}"
        } else {
            "\n  ]\n}"
        }
    }

    fn fail(e: serde_json::Error) -> Error {
        Error::InvalidArgument(format!("cannot write JSON: {e}"))
    }
}
