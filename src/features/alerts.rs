//! Alert flags on a page of rows (the seed's alerts): each row carries the names of the
//! rules it breaks. Which executions a rule flags is decided in `query::alerts`, the
//! same code that `alert:` terms use.

use crate::error::{Error, Result};
use crate::index::ExecutionIndex;
use crate::model::Status;
use crate::query::{is_long_running, AlertRules, Matcher};

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
