//! Everything a front end must know about the core's rules to offer them — the search
//! language's fields, operators and examples, the statuses in order with their meanings,
//! the filter options, the sort columns, the compare limits — in one serializable value,
//! so that the JavaScript views and the Python package ask the core instead of keeping
//! copies that drift.

use serde::Serialize;

use crate::features::compare::{MAX_COMPARE, MIN_COMPARE};
use crate::features::compare_chart::ChartKind;
use crate::model::Status;
use crate::query::{
    Example, FieldInfo, EXAMPLES, FIELDS, KEYWORDS, MAX_NESTING, MAX_QUERY_CHARS, OPERATORS,
};
use crate::query::{BUILT_IN_ALERTS, FILTER_KEYS, SORT_COLUMNS};

/// A status as the user sees it.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    /// The label (`Completed`); the `status` filter and `status:` take it, any case.
    pub label: &'static str,
    /// What it means, with MLMD's own name for it.
    pub meaning: &'static str,
}

/// How many executions `compare` takes.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct CompareLimits {
    /// Fewest.
    pub min: usize,
    /// Most.
    pub max: usize,
}

/// The bounds the parser enforces on a query.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryLimits {
    /// Longest query, in characters.
    pub max_chars: usize,
    /// Deepest nesting of parentheses and `NOT`.
    pub max_nesting: usize,
}

/// The core's rules that a front end offers to the user (see [`vocabulary`]).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    /// Search fields, in the order autocomplete offers them.
    pub fields: Vec<FieldInfo>,
    /// Comparison operators.
    pub operators: Vec<&'static str>,
    /// Boolean and range keywords.
    pub keywords: Vec<&'static str>,
    /// Syntax examples (each parses).
    pub examples: Vec<Example>,
    /// Every status, in the order lists and legends show them.
    pub statuses: Vec<StatusInfo>,
    /// The `executions()` options that narrow the list, in filter-bar order.
    pub filter_keys: Vec<&'static str>,
    /// The plain sort columns (besides `property:NAME`).
    pub sort_columns: Vec<&'static str>,
    /// How many executions compare takes.
    pub compare: CompareLimits,
    /// The charts `compareChart` draws (`metrics`, `duration`, `parallel`).
    pub compare_charts: Vec<&'static str>,
    /// The bounds of a query.
    pub query_limits: QueryLimits,
    /// The alert names `alert:` takes besides the rules' own (`any`, `failed`,
    /// `long-running`).
    pub built_in_alerts: Vec<&'static str>,
}

/// The core's rules as one value (what `language()` returns in JavaScript).
///
/// ```
/// let v = mlmd_lens::vocabulary();
/// assert_eq!(v.statuses[0].label, "Pending");
/// assert_eq!((v.compare.min, v.compare.max), (2, 5));
/// assert_eq!(v.compare_charts, ["metrics", "duration", "parallel"]);
/// assert!(v.fields.iter().any(|f| f.name == "pipeline"));
/// ```
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        fields: FIELDS.to_vec(),
        operators: OPERATORS.to_vec(),
        keywords: KEYWORDS.to_vec(),
        examples: EXAMPLES.to_vec(),
        statuses: Status::ALL
            .iter()
            .map(|s| StatusInfo { label: s.label(), meaning: s.meaning() })
            .collect(),
        filter_keys: FILTER_KEYS.to_vec(),
        sort_columns: SORT_COLUMNS.to_vec(),
        compare: CompareLimits { min: MIN_COMPARE, max: MAX_COMPARE },
        compare_charts: ChartKind::NAMES.to_vec(),
        query_limits: QueryLimits { max_chars: MAX_QUERY_CHARS, max_nesting: MAX_NESTING },
        built_in_alerts: BUILT_IN_ALERTS.to_vec(),
    }
}
