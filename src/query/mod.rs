//! The search language and the options of `executions()`:
//! `pipeline:mnist AND status:completed AND property:epochs>10`.
//!
//! [`parse`] turns text into an [`Expr`] (which prints back to equivalent text); a plan
//! compiled from it is evaluated over the execution index, together with the
//! structured filters, sort and paging of an [`ExecutionQuery`].

mod alerts;
mod ast;
mod eval;
mod language;
mod options;
mod parser;
mod plan;
mod select;

pub(crate) use alerts::{alert_term, is_long_running};
pub use alerts::{check_alert_rule, BUILT_IN_ALERTS};
pub use ast::{Expr, Field, Literal, Op};
pub use language::{
    property_term, quote_value, Example, FieldInfo, FieldKind, EXAMPLES, FIELDS, KEYWORDS,
    OPERATORS,
};
pub use options::{
    AlertRule, AlertRules, ExecutionQuery, NamedAlertRule, Sort, SortKey, TimeBound, DEFAULT_LIMIT,
    FILTER_KEYS, SORT_COLUMNS,
};
pub use parser::{parse, MAX_NESTING, MAX_QUERY_CHARS};
pub use plan::parse_duration_ms;
pub(crate) use select::{prepare_start_order, select, sort_all, Matcher};
