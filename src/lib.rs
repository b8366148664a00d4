//! # mlmd-lens
//!
//! Reads ML Metadata (MLMD) SQLite stores — written by cmflib, TFX, Kubeflow Pipelines or
//! ml-metadata directly — and answers what a viewer needs: a summary, a filtered, sorted,
//! paged table of executions with derived columns (pipeline, stage, status, duration, git
//! commit), and the full details of one execution with its artifacts and events.
//!
//! The same code runs natively (CLI, tests) and in WebAssembly (the web page and the
//! notebook renderers): SQLite is reached through `rusqlite` on both, and the database
//! is always an in-memory, read-only copy of the file's bytes.
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

pub mod cmf;
pub mod compare;
mod error;
pub mod export;
pub mod filter;
mod index;
pub mod lineage;
mod model;
pub mod protobuf;
pub mod query;
mod schema;
pub mod stats;
mod store;
mod time;
pub mod timeline;
mod vocabulary;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, Result};
pub use filter::{AlertRules, ExecutionQuery, TimeBound};
pub use model::{
    Artifact, ContextRef, Event, ExecutionDetails, ExecutionPage, ExecutionRow, GitInfo,
    Properties, PropertyName, Status, Summary, TypedProperty, Value,
};
pub use schema::{Schema, LATEST_KNOWN_VERSION};
pub use stats::Stats;
pub use store::Store;
pub use time::{iso_from_ms, parse_time_ms, DayEnd};
pub use vocabulary::{vocabulary, CompareLimits, StatusInfo, Vocabulary};
