//! What an export is of and how it is written: the executions' filter (the same options
//! as `executions()`), an optional list of ids (the selection), the CSV's columns and
//! properties, and the name of the store (for a report's title).

use serde::Deserialize;

use crate::query::ExecutionQuery;

/// The options of every export format (`store.export(format, opts)` in JS, the CLI's
/// `export` flags).
///
/// ```
/// let o: mlmd_lens::ExportOptions = serde_json::from_str(
///     r#"{"query":"status:failed","ids":[3,7],"columns":["id","property:lr"],"bom":true}"#,
/// ).unwrap();
/// assert_eq!(o.filter.query.as_deref(), Some("status:failed"));
/// assert_eq!(o.ids.as_deref(), Some(&[3, 7][..]));
/// ```
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExportOptions {
    /// The executions: a search, the filter keys and the sort (paging: all unless `limit`).
    #[serde(flatten)]
    pub filter: ExecutionQuery,
    /// Only these executions (among those the filter keeps), e.g. the selection.
    pub ids: Option<Vec<i64>>,
    /// CSV: the table's columns in order (`id`, `name`, `type`, `pipeline`, `stage`,
    /// `status`, `started`, `ended`, `duration`, `gitCommit`, `property:NAME`); `id`,
    /// `name`, `started`, `ended` and `duration` are always written. Default: every
    /// built-in column.
    pub columns: Option<Vec<String>>,
    /// CSV: the property columns written after `columns` (those not already in it).
    /// Default: every execution property name; `[]`: none.
    pub properties: Option<Vec<String>>,
    /// CSV: starts the text with a UTF-8 byte order mark (for spreadsheets that otherwise
    /// guess another encoding).
    #[cfg_attr(test, ts(as = "Option<bool>", optional))]
    pub bom: bool,
    /// The store's name, shown in a report's title (e.g. the file name).
    pub store_name: Option<String>,
}
