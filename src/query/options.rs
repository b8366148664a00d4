//! The structured filters, sort and paging of `executions()`: what the filter bar sends.

use serde::Deserialize;

use crate::error::{Error, Result};

/// Rows per page when the caller gives no `limit`.
pub const DEFAULT_LIMIT: usize = 100;

/// The option names of [`ExecutionQuery`] that narrow which executions are listed (the
/// others sort, page, or flag rows), in the order a filter bar shows them.
pub const FILTER_KEYS: [&str; 9] =
    ["query", "pipeline", "stage", "run", "type", "status", "from", "to", "branch"];

/// The plain columns `sort` takes (besides `property:NAME`), as the table names them.
pub const SORT_COLUMNS: [&str; 11] = [
    "id",
    "name",
    "type",
    "pipeline",
    "stage",
    "run",
    "status",
    "started",
    "ended",
    "duration",
    "gitCommit",
];

/// A time bound: text (`2026-01-31`, ISO date-time) or epoch milliseconds.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum TimeBound {
    /// Epoch milliseconds.
    Ms(i64),
    /// A date or date-time as text.
    Text(String),
}

/// What to list: filters (all optional, combined with AND; an empty string means "any"),
/// sort and paging. Deserializes from the JS options object (camelCase; unknown keys are
/// an error so that a typo is not silently ignored).
///
/// ```
/// let q: mlmd_lens::ExecutionQuery =
///     serde_json::from_str(r#"{"pipeline":"mnist","sort":"-started","limit":10}"#).unwrap();
/// assert_eq!(q.pipeline.as_deref(), Some("mnist"));
/// ```
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ExecutionQuery {
    /// A search in the query language (see the README).
    pub query: Option<String>,
    /// Pipeline name, exact.
    pub pipeline: Option<String>,
    /// Stage name (`Train`) or full stage context name (`mnist/Train`), exact.
    pub stage: Option<String>,
    /// Run name (a TFX `pipeline_run` / KFP `system.PipelineRun` context's name), exact.
    pub run: Option<String>,
    /// Execution type name, exact.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// Status label (`completed`, `Failed`, …), case-insensitive.
    pub status: Option<String>,
    /// Started at or after this time (a date alone means its first millisecond).
    pub from: Option<TimeBound>,
    /// Started at or before this time (a date alone means its last millisecond).
    pub to: Option<TimeBound>,
    /// Git branch, exact.
    pub branch: Option<String>,
    /// Sort column (`id`, `name`, `type`, `pipeline`, `stage`, `run`, `status`, `started`,
    /// `ended`, `duration`, `gitCommit`) or `property:NAME`, `-` first for descending.
    /// Default `id`.
    pub sort: Option<String>,
    /// Rows to skip.
    pub offset: Option<usize>,
    /// Rows to return (default [`DEFAULT_LIMIT`]).
    pub limit: Option<usize>,
    /// The current time in epoch ms, for `today` and `-7d` in queries and for how long a
    /// running execution has run (the CLI and the wasm binding fill it).
    pub now: Option<i64>,
    /// Alert rules: rows of the page that break one carry its name in `alerts`.
    pub alerts: Option<AlertRules>,
    /// The timeline's lanes (`timeline()` only): `stage` (default: one lane per pipeline
    /// stage) or `run` (one lane per run and stage, runs in start order).
    pub group_by: Option<String>,
}

/// Rules that flag rows (the seed's alerts), evaluated on the loaded file.
///
/// ```
/// let r: mlmd_lens::AlertRules = serde_json::from_str(
///     r#"{"failed": true, "longRunningMs": 3600000, "longRunningFactor": 3, "rules": ["property:accuracy<0.9"]}"#,
/// ).unwrap();
/// assert_eq!(r.long_running_factor, Some(3.0));
/// ```
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct AlertRules {
    /// Flag failed executions (`failed`).
    #[cfg_attr(test, ts(as = "Option<bool>", optional))]
    pub failed: bool,
    /// Flag executions that ran (or, still running, have run) longer than this (`long-running`).
    pub long_running_ms: Option<i64>,
    /// Flag executions that ran longer than this many times the median duration of the
    /// completed executions of the same pipeline stage (`long-running`).
    pub long_running_factor: Option<f64>,
    /// Queries in the search language, each a query text (its own name, e.g.
    /// `property:accuracy<0.9`) or `{ name, query }`; a matching row is flagged with the
    /// rule's name, and `alert:NAME` in a search matches the rows the rule flags.
    #[cfg_attr(test, ts(as = "Option<Vec<AlertRule>>", optional))]
    pub rules: Vec<AlertRule>,
}

/// One alert rule: a query text that is its own name, or a named query.
///
/// ```
/// let r: Vec<mlmd_lens::AlertRule> =
///     serde_json::from_str(r#"["duration>1h", {"name": "slow", "query": "duration>5s"}]"#).unwrap();
/// assert_eq!((r[0].name(), r[0].query()), ("duration>1h", "duration>1h"));
/// assert_eq!((r[1].name(), r[1].query()), ("slow", "duration>5s"));
/// ```
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum AlertRule {
    /// A query text, named by itself.
    Query(String),
    /// A query with a name of its own.
    Named(NamedAlertRule),
}

/// A rule with a name (`alert:"low accuracy"` finds what it flags).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedAlertRule {
    /// What rows carry in `alerts`, and what `alert:` takes.
    pub name: String,
    /// The search that flags a row.
    pub query: String,
}

impl AlertRule {
    /// The rule's name: its own (trimmed), or its query text when it has none.
    pub fn name(&self) -> &str {
        match self {
            AlertRule::Query(q) => q.trim(),
            AlertRule::Named(n) if n.name.trim().is_empty() => n.query.trim(),
            AlertRule::Named(n) => n.name.trim(),
        }
    }

    /// The rule's query text.
    pub fn query(&self) -> &str {
        match self {
            AlertRule::Query(q) => q,
            AlertRule::Named(n) => &n.query,
        }
    }
}

impl From<&str> for AlertRule {
    fn from(query: &str) -> Self {
        AlertRule::Query(query.to_string())
    }
}

/// A column rows can be sorted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    /// Execution id.
    Id,
    /// Display name.
    Name,
    /// Execution type.
    Type,
    /// Pipeline.
    Pipeline,
    /// Stage.
    Stage,
    /// Run name.
    Run,
    /// Status label.
    Status,
    /// Start time.
    Started,
    /// End time.
    Ended,
    /// Duration.
    Duration,
    /// Git commit.
    GitCommit,
    /// An execution property (numbers by value, then text, missing last).
    Property(String),
}

/// A parsed `sort` option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub key: SortKey,
    /// True for descending.
    pub descending: bool,
}

impl Sort {
    /// Parses `started`, `-duration`, `gitCommit` (also `git_commit`, `commit`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] listing the columns when the name is unknown.
    ///
    /// ```
    /// use mlmd_lens::{Sort, SortKey};
    /// let s = Sort::parse("-started").unwrap();
    /// assert_eq!((s.key, s.descending), (SortKey::Started, true));
    /// let p = Sort::parse("property:learning_rate").unwrap();
    /// assert_eq!(p.key, SortKey::Property("learning_rate".into()));
    /// ```
    pub fn parse(text: &str) -> Result<Sort> {
        let t = text.trim();
        let (descending, name) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, t.strip_prefix('+').unwrap_or(t).trim()),
        };
        if let Some(prop) = name.strip_prefix("property:").filter(|p| !p.is_empty()) {
            return Ok(Sort { key: SortKey::Property(prop.to_string()), descending });
        }
        let key = match name.to_ascii_lowercase().as_str() {
            "" | "id" => SortKey::Id,
            "name" => SortKey::Name,
            "type" => SortKey::Type,
            "pipeline" => SortKey::Pipeline,
            "stage" => SortKey::Stage,
            "run" => SortKey::Run,
            "status" | "state" => SortKey::Status,
            "started" | "start" | "date" => SortKey::Started,
            "ended" | "end" => SortKey::Ended,
            "duration" | "durationms" => SortKey::Duration,
            "gitcommit" | "git_commit" | "commit" => SortKey::GitCommit,
            _ => {
                return Err(Error::InvalidArgument(format!(
                "cannot sort by {name:?}: use one of {}, property:NAME (prefix - for descending)",
                SORT_COLUMNS.join(", ")
            )))
            }
        };
        Ok(Sort { key, descending })
    }
}

/// A non-empty trimmed filter value, or `None` for "any".
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_key_is_an_option_and_every_sort_column_parses() {
        for key in FILTER_KEYS {
            let json = format!("{{{key:?}: \"x\"}}");
            assert!(serde_json::from_str::<ExecutionQuery>(&json).is_ok(), "{key}");
        }
        for col in SORT_COLUMNS {
            assert!(Sort::parse(col).is_ok(), "{col}");
        }
    }
}
