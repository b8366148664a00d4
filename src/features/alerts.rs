//! Alert rules on rows (the seed's alerts): failed executions, executions that ran
//! longer than a limit or than k × their stage's median, and any search expression.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::stats::median;
use crate::error::{Error, Result};
use crate::index::{ExecutionIndex, StrId};
use crate::model::Status;
use crate::query::{AlertRules, Matcher};

/// Median duration of the completed executions of each (pipeline, stage), computed once.
#[derive(Debug, Default)]
pub(crate) struct StageMedians(OnceLock<HashMap<(StrId, StrId), i64>>);

impl StageMedians {
    fn get(&self, ix: &ExecutionIndex) -> &HashMap<(StrId, StrId), i64> {
        self.0.get_or_init(|| {
            let mut groups: HashMap<(StrId, StrId), Vec<i64>> = HashMap::new();
            for e in ix.entries() {
                if let (Status::Completed, Some(d)) = (e.status, e.duration_ms()) {
                    groups.entry((e.pipeline, e.stage)).or_default().push(d);
                }
            }
            groups.into_iter().filter_map(|(k, mut v)| median(&mut v).map(|m| (k, m))).collect()
        })
    }
}

/// The alert flags of the executions at `positions` under `rules` (`failed`,
/// `long-running`, or a rule's query text), in order; `now` is how long a running
/// execution has run until.
///
/// # Errors
/// [`Error::Query`] naming the rule that does not parse; read errors.
pub(crate) fn alerts(
    ix: &ExecutionIndex,
    medians: &StageMedians,
    positions: &[usize],
    rules: &AlertRules,
    now: Option<i64>,
) -> Result<Vec<Vec<String>>> {
    let mut matchers = Vec::new();
    for rule in &rules.rules {
        let m = Matcher::new(ix, Some(rule), now).map_err(|e| match e {
            Error::Query { position, message } => {
                Error::Query { position, message: format!("in alert rule '{rule}': {message}") }
            }
            other => other,
        })?;
        matchers.push((rule.trim().to_string(), m));
    }
    let medians = rules.long_running_factor.map(|_| medians.get(ix));
    Ok(positions
        .iter()
        .map(|&pos| {
            let e = &ix.entries()[pos];
            let mut flags = Vec::new();
            if rules.failed && e.status == Status::Failed {
                flags.push("failed".to_string());
            }
            // A running execution has run until now; a finished one for its duration.
            let ran = e.duration_ms().or_else(|| match (e.status, e.started_ms, now) {
                (Status::Running, Some(s), Some(n)) => Some(n.saturating_sub(s).max(0)),
                _ => None,
            });
            let over_limit = rules.long_running_ms.is_some_and(|l| ran.is_some_and(|r| r > l));
            let over_median = rules.long_running_factor.is_some_and(|k| {
                let m = medians.and_then(|m| m.get(&(e.pipeline, e.stage))).copied();
                matches!((ran, m), (Some(r), Some(m)) if (r as f64) > k * m as f64)
            });
            if over_limit || over_median {
                flags.push("long-running".to_string());
            }
            flags.extend(matchers.iter().filter(|(_, m)| m.matches(pos)).map(|(t, _)| t.clone()));
            flags
        })
        .collect())
}
