//! Exports of the executions matching a query: CSV (the table plus every property as a
//! column, safe to open in a spreadsheet), JSON (full details of each execution), a
//! subset (a smaller MLMD store holding only the chosen executions), and CMF's own JSON
//! of a pipeline (`cmf-json`, cmflib's `dumptojson`), and the report (a document drawn as
//! HTML here and as PDF by the `mlmd-lens-report-pdf` module).

mod cmf_json;
mod csv;
mod html;
mod json;
mod options;
mod report;
mod stream;
mod subset;

pub(crate) use self::cmf_json::export_cmf_json;
pub use self::csv::neutralize;
pub(crate) use self::csv::CsvPlan;
pub(crate) use self::html::doc_html;
pub use self::json::JsonExport;
pub use self::options::ExportOptions;
pub(crate) use self::report::{report_doc, Report};
pub use self::stream::ExportStream;
pub(crate) use self::subset::subset;
pub use self::subset::Subset;
