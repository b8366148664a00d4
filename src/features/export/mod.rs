//! Exports of the executions matching a query: CSV (the table plus every property as a
//! column, safe to open in a spreadsheet), JSON (full details of each execution), a
//! subset (a smaller MLMD store holding only the chosen executions), and CMF's own JSON
//! of a pipeline (`cmf-json`, cmflib's `dumptojson`).

mod cmf_json;
mod csv;
mod json;
mod subset;

pub(crate) use self::cmf_json::export_cmf_json;
pub(crate) use self::csv::export_csv;
pub use self::csv::neutralize;
pub(crate) use self::json::export_json;
pub use self::json::JsonExport;
pub(crate) use self::subset::subset;
pub use self::subset::Subset;
