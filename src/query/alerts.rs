//! Alert rules as the query language sees them: which executions each rule flags
//! (failed, long-running against a limit or k × the stage median, a rule's own query),
//! and `alert:NAME` terms, which stand for exactly those executions. The page flags of
//! `features::alerts` and the `alert:` terms both come from here, so they cannot differ.

use std::sync::Arc;

use super::ast::{Expr, Field, Literal, Op};
use super::options::AlertRules;
use super::plan::{compile, err, AlertTerms, Cx, Plan};
use crate::error::{Error, Result};
use crate::index::{Entry, ExecutionIndex};
use crate::model::Status;

/// The alert names `alert:` takes besides the rules' own names: `any` (flagged by
/// anything), `failed`, `long-running`.
pub const BUILT_IN_ALERTS: [&str; 3] = ["any", "failed", "long-running"];

/// How long `e` ran: its duration, or for a running execution, until `now`.
fn ran_ms(e: &Entry, now: Option<i64>) -> Option<i64> {
    e.duration_ms().or_else(|| match (e.status, e.started_ms, now) {
        (Status::Running, Some(s), Some(n)) => Some(n.saturating_sub(s).max(0)),
        _ => None,
    })
}

/// True when `e` ran (or, running, has run) longer than `rules.long_running_ms`, or than
/// `rules.long_running_factor` × the median of its stage's completed executions.
pub(crate) fn is_long_running(
    ix: &ExecutionIndex,
    e: &Entry,
    rules: &AlertRules,
    now: Option<i64>,
) -> bool {
    let ran = ran_ms(e, now);
    let over_limit = rules.long_running_ms.is_some_and(|l| ran.is_some_and(|r| r > l));
    over_limit
        || rules.long_running_factor.is_some_and(|k| {
            let m = ix.stage_medians().get(&(e.pipeline, e.stage)).copied();
            matches!((ran, m), (Some(r), Some(m)) if (r as f64) > k * m as f64)
        })
}

/// The alert rules a search's `alert:` terms refer to, with the `long-running` flags of
/// every execution computed once.
pub(crate) struct AlertScope {
    rules: AlertRules,
    long_running: Option<Arc<Vec<bool>>>,
}

impl AlertScope {
    /// The scope of `rules` over `ix`; `now` is how long running executions have run until.
    pub fn new(ix: &ExecutionIndex, rules: &AlertRules, now: Option<i64>) -> AlertScope {
        let long = rules.long_running_ms.is_some() || rules.long_running_factor.is_some();
        let long_running = long.then(|| {
            Arc::new(ix.entries().iter().map(|e| is_long_running(ix, e, rules, now)).collect())
        });
        AlertScope { rules: rules.clone(), long_running }
    }
}

/// Checks that `text` reads as an alert rule's query: it parses and compiles (dates,
/// durations, statuses read), and uses no `alert:` term (a rule cannot refer to rules).
///
/// # Errors
/// [`Error::Query`] with the position in `text` and what was expected.
///
/// ```
/// use mlmd_lens::query::check_alert_rule;
/// assert!(check_alert_rule("property:accuracy<0.9").is_ok());
/// assert!(check_alert_rule("duration>1h AND stage:Train").is_ok());
/// let e = check_alert_rule("duration>soon").unwrap_err();
/// assert!(e.to_string().contains("duration"));
/// assert!(check_alert_rule("alert:failed").is_err());
/// ```
pub fn check_alert_rule(text: &str) -> Result<()> {
    let expr = super::parse(text)?;
    compile(&expr, &Cx { now: Some(0), alerts: None }).map(|_| ())
}

/// The search term that lists what the alert `name` flags (`alert:failed`,
/// `alert:"low accuracy"`, `alert:"property:accuracy<0.9"`): quoted where the name holds a
/// space or an operator, so that it reads back as that name.
pub(crate) fn alert_term(name: &str) -> String {
    format!("alert:{}", super::ast::quoted(name, true))
}

/// True when `e` has an `alert:` term anywhere.
pub(crate) fn uses_alerts(e: &Expr) -> bool {
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().any(uses_alerts),
        Expr::Not(x) => uses_alerts(x),
        Expr::Compare { field, .. } | Expr::Range { field, .. } => *field == Field::Alert,
        Expr::Has(_) | Expr::Text(_) => false,
    }
}

/// Nothing matches.
fn nothing() -> Plan {
    Plan::Or(Vec::new())
}

/// The plan of `alert op value`: the executions the named alert flags (`:` / `=`), or
/// the others (`!=`).
///
/// # Errors
/// [`Error::Query`] at the value when there are no rules, the name is not an alert of
/// them, the operator is an ordering, or the rule's own query does not compile.
impl AlertTerms for AlertScope {
    fn alert_plan(&self, cx: &Cx<'_>, op: Op, value: &Literal) -> Result<Plan> {
        let positive = match op {
            Op::Match | Op::Eq => true,
            Op::Ne => false,
            _ => return Err(err(value.pos, "an alert can only be compared with : = or !=")),
        };
        let scope = self;
        let name = value.text.trim();
        let rules = &scope.rules;
        let failed = || {
            if rules.failed {
                Plan::Status { equal: true, value: Status::Failed }
            } else {
                nothing()
            }
        };
        let long = || scope.long_running.clone().map_or_else(nothing, Plan::Flagged);
        let rule = |r: &super::AlertRule| -> Result<Plan> {
            let inner = Cx { now: cx.now, alerts: None };
            super::parse(r.query()).and_then(|e| compile(&e, &inner)).map_err(|e| match e {
                Error::Query { message, .. } => {
                    err(value.pos, format!("alert rule '{}' does not read: {message}", r.name()))
                }
                other => other,
            })
        };
        let plan = if name.eq_ignore_ascii_case("any") {
            let mut any = vec![failed(), long()];
            for r in &rules.rules {
                any.push(rule(r)?);
            }
            Plan::Or(any)
        } else if name.eq_ignore_ascii_case("failed") {
            failed()
        } else if name.eq_ignore_ascii_case("long-running") {
            long()
        } else {
            let found = rules
                .rules
                .iter()
                .find(|r| r.name() == name)
                .or_else(|| rules.rules.iter().find(|r| r.name().eq_ignore_ascii_case(name)));
            match found {
                Some(r) => rule(r)?,
                None => {
                    let mut names: Vec<String> =
                        BUILT_IN_ALERTS.iter().map(|n| n.to_string()).collect();
                    names.extend(rules.rules.iter().map(|r| super::ast::quoted(r.name(), true)));
                    return Err(err(
                        value.pos,
                        format!("no alert named '{name}': use one of {}", names.join(", ")),
                    ));
                }
            }
        };
        Ok(if positive { plan } else { Plan::Not(Box::new(plan)) })
    }
}
