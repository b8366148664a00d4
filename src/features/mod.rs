//! What the viewer, the CLI and Python ask of a store, each answered over the index:
//! details, lineage, compare (with metrics and charts), statistics, the timeline, alerts, why a filter finds nothing, CmfQuery-style
//! lookups, property names, the summary, table pages and exports.

pub mod alerts;
pub mod cmfquery;
pub mod compare;
pub mod compare_chart;
pub(crate) mod details;
pub mod explain;
pub mod export;
pub mod lineage;
pub mod metric_scatter;
pub mod metrics;
pub(crate) mod page;
pub(crate) mod property_names;
pub mod runs;
pub mod stats;
pub(crate) mod summary;
pub mod timeline;
