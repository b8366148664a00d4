//! Alert flags on a page of rows (the seed's alerts): each row carries the names of the
//! rules it breaks. Which executions a rule flags is decided in `query::alerts`, the
//! same code that `alert:` terms use.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::ExecutionIndex;
use crate::model::Status;
use crate::query::{alert_term, is_long_running, select, AlertRules, ExecutionQuery, Matcher};

/// How many executions one alert flags.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertCount {
    /// The alert's name (`failed`, `long-running`, a rule's name).
    pub name: String,
    /// The search term that lists them (`alert:"low accuracy"`).
    pub term: String,
    /// Executions it flags.
    pub count: usize,
}

/// The alerts among the executions a query matches (the dashboard's figures).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertSummary {
    /// Executions flagged by at least one alert (`alert:any`).
    pub any: usize,
    /// Each enabled alert, in the order of the rules: `failed`, `long-running`, then the
    /// rules'.
    pub alerts: Vec<AlertCount>,
}

/// Counts the alerts of `q.alerts` among the executions `q` matches.
///
/// # Errors
/// As `executions()`.
pub(crate) fn alert_summary(ix: &ExecutionIndex, q: &ExecutionQuery) -> Result<AlertSummary> {
    let rules = q.alerts.clone().unwrap_or_default();
    let unsorted = ExecutionQuery { sort: None, offset: None, limit: Some(0), ..q.clone() };
    let positions = select(ix, &unsorted)?;
    let flags = alerts(ix, &positions, &rules, q.now)?;
    let mut names: Vec<String> = Vec::new();
    if rules.failed {
        names.push("failed".into());
    }
    if rules.long_running_ms.is_some() || rules.long_running_factor.is_some() {
        names.push("long-running".into());
    }
    for r in &rules.rules {
        if !names.iter().any(|n| n == r.name()) {
            names.push(r.name().to_string());
        }
    }
    let alerts = names
        .into_iter()
        .map(|name| AlertCount {
            term: alert_term(&name),
            count: flags.iter().filter(|f| f.contains(&name)).count(),
            name,
        })
        .collect();
    Ok(AlertSummary { any: flags.iter().filter(|f| !f.is_empty()).count(), alerts })
}

/// The alert flags of the executions at `positions` under `rules` (`failed`,
/// `long-running`, or a rule's name), in order; `now` is how long a running execution
/// has run until.
///
/// # Errors
/// [`Error::Query`] naming the rule that does not parse; read errors.
pub(crate) fn alerts(
    ix: &ExecutionIndex,
    positions: &[usize],
    rules: &AlertRules,
    now: Option<i64>,
) -> Result<Vec<Vec<String>>> {
    let mut matchers = Vec::new();
    for rule in &rules.rules {
        let m = Matcher::new(ix, Some(rule.query()), now).map_err(|e| match e {
            Error::Query { position, message } => Error::Query {
                position,
                message: format!("in alert rule '{}': {message}", rule.name()),
            },
            other => other,
        })?;
        matchers.push((rule.name().to_string(), m));
    }
    let long = rules.long_running_ms.is_some() || rules.long_running_factor.is_some();
    Ok(positions
        .iter()
        .map(|&pos| {
            let e = &ix.entries()[pos];
            let mut flags = Vec::new();
            if rules.failed && e.status == Status::Failed {
                flags.push("failed".to_string());
            }
            if long && is_long_running(ix, e, rules, now) {
                flags.push("long-running".to_string());
            }
            for (name, m) in &matchers {
                if m.matches(pos) && !flags.contains(name) {
                    flags.push(name.clone());
                }
            }
            flags
        })
        .collect())
}
