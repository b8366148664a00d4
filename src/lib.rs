//! # mlmd-lens
//!
//! Reads ML Metadata (MLMD) SQLite stores — written by cmflib, TFX, Kubeflow Pipelines or
//! ml-metadata directly — and answers what a viewer needs: a summary, a filtered, sorted,
//! paged table of executions with derived columns (pipeline, stage, status, duration, git
//! commit), and the full details of one execution with its artifacts and events.
//!
//! The same code runs natively (CLI, tests, Python) and in WebAssembly (the web page and
//! the notebook renderers): SQLite is reached through `rusqlite` on both. In the browser the
//! database is a read-only in-memory copy of the file's bytes; natively a path is opened in
//! place, read-only.
//!
//! The crate is layered, each layer using only those below it (docs/architecture.md):
//! foundation (`error`, `time`, `text`, `model`) → `db` (all SQL) → `conventions`
//! (cmflib/TFX/KFP rules) → `index` → `query` → `features` → `store` (the façade).
//!
//! ```no_run
//! use mlmd_lens::{Store, ExecutionQuery};
//! let store = Store::open_path("../shared/fixtures/cmf_small.sqlite")?;
//! let page = store.executions(&ExecutionQuery {
//!     pipeline: Some("mnist".into()),
//!     sort: Some("-started".into()),
//!     ..Default::default()
//! })?;
//! assert_eq!(page.total, 12);
//! # Ok::<(), mlmd_lens::Error>(())
//! ```
#![deny(missing_docs)]

// Foundation: used by every layer.
mod error;
mod model;
mod text;
mod time;

// Layers, bottom to top.
pub mod conventions;
mod db;
pub mod features;
mod index;
pub mod query;
mod store;
mod vocabulary;

#[cfg(test)]
mod typescript;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use db::{Schema, LATEST_KNOWN_VERSION, OLDEST_KNOWN_VERSION};
pub use error::{Error, Result};
pub use features::alerts::{AlertCount, AlertSummary};
pub use features::cmfquery::lineage::Direction as CmfDirection;
pub use features::cmfquery::{CmfColumnKind, CmfExecution, CmfFrame};
pub use features::compare::{
    ArtifactChange, ArtifactDiff, CompareGroup, CompareOptions, CompareRow, Comparison, GroupKind,
    Verdict, MAX_COMPARE, MIN_COMPARE,
};
pub use features::compare_chart::{ChartKind, ChartOptions};
pub use features::explain::{EmptyExplanation, FilterPart, Suggestion};
pub use features::export::{neutralize, ExportOptions, ExportStream, JsonExport, Subset};
pub use features::lineage::graph::{
    LineageGraph, LineageGraphEdge, LineageGraphNode, LineageOptions,
};
pub use features::lineage::{Lineage, LineageEdge, LineageNode};
pub use features::metric_scatter::MetricScatter;
pub use features::runs::{PropertyDifference, RunComparison, RunStage, RunStageCell};
pub use features::stats::Stats;
pub use features::timeline::Timeline;
/// The report as a document of blocks ([`Store::report`]), drawn as HTML by the core and as
/// PDF by the `mlmd-lens-report-pdf` module.
pub use mlmd_lens_report_doc::Doc as ReportDoc;
pub use model::{
    Artifact, ContextRef, Direction, EndSource, Event, ExecutionDetails, ExecutionPage,
    ExecutionRow, GitInfo, Metric, MetricSource, Properties, PropertyName, PropertyRole, RunInfo,
    Status, Summary, TypedProperty, Value,
};
pub use query::{AlertRule, AlertRules, ExecutionQuery, NamedAlertRule, Sort, SortKey, TimeBound};
pub use store::{Filling, Opening, Store};
pub use text::natural_cmp;
pub use time::{iso_from_ms, parse_time_ms, DayEnd};
pub use vocabulary::{vocabulary, CompareLimits, QueryLimits, StatusInfo, Vocabulary};
