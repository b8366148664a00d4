//! Why a filter finds nothing: each part of it (a structured filter, or a top-level AND
//! term of the search) counted alone and left out, what the store cannot answer (a
//! store without execution states asked for a status), and nearby queries that do find
//! something. The page only renders this.

use serde::Serialize;

use crate::conventions::{flavor_writer, is_failure_like_property};
use crate::error::Result;
use crate::index::ExecutionIndex;
use crate::model::Status;
use crate::query::{parse, property_term, select, ExecutionQuery, Expr, Field, TimeBound};

/// One part of a filter with what it finds alone and what the rest finds without it.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterPart {
    /// `query` for a term of the search, else the filter option (`status`, `pipeline`, …).
    pub key: &'static str,
    /// The term as text (`status:failed`) or the option's value (`Failed`).
    pub text: String,
    /// Executions this part matches alone.
    pub matched: usize,
    /// Executions the whole filter matches with this part left out.
    pub without: usize,
    /// For a search term: the search without it (what "remove" leaves); `None` otherwise.
    pub rest: Option<String>,
}

/// A query that finds something close to what was asked.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The search text to use instead.
    pub query: String,
    /// What it finds, in words.
    pub meaning: String,
    /// How many executions it finds.
    pub matched: usize,
}

/// Why a filter matches no execution (see [`explain_empty`]).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyExplanation {
    /// Executions the filter matches (0 when there is something to explain).
    pub matched: usize,
    /// Executions in the store.
    pub total: usize,
    /// Each part of the filter, in the order given (structured filters, then the search).
    pub parts: Vec<FilterPart>,
    /// Sentences on the cause, e.g. "this store (written by cmflib) records no execution
    /// state: 20 executions are Unknown".
    pub notes: Vec<String>,
    /// Nearby queries that find something.
    pub suggestions: Vec<Suggestion>,
}

/// Removes one structured filter from a query.
type ClearFilter = fn(&mut ExecutionQuery);

/// The structured filters given in `q`, as (key, value text, `q` without it).
fn filter_parts(q: &ExecutionQuery) -> Vec<(&'static str, String, ExecutionQuery)> {
    let mut out = Vec::new();
    let text = |v: &Option<String>| {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
    };
    let time = |v: &Option<TimeBound>| match v {
        Some(TimeBound::Ms(ms)) => Some(ms.to_string()),
        Some(TimeBound::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_string()),
        _ => None,
    };
    let entries: [(&'static str, Option<String>, ClearFilter); 8] = [
        ("pipeline", text(&q.pipeline), |q| q.pipeline = None),
        ("stage", text(&q.stage), |q| q.stage = None),
        ("type", text(&q.type_name), |q| q.type_name = None),
        ("status", text(&q.status), |q| q.status = None),
        ("from", time(&q.from), |q| q.from = None),
        ("to", time(&q.to), |q| q.to = None),
        ("branch", text(&q.branch), |q| q.branch = None),
        ("run", text(&q.run), |q| q.run = None),
    ];
    for (key, value, clear) in entries {
        if let Some(value) = value {
            let mut without = q.clone();
            clear(&mut without);
            out.push((key, value, without));
        }
    }
    out
}

/// Only the filter `key` of `q` (with its time and alert rules).
fn only(q: &ExecutionQuery, key: &str) -> ExecutionQuery {
    let mut one = ExecutionQuery { now: q.now, alerts: q.alerts.clone(), ..Default::default() };
    match key {
        "pipeline" => one.pipeline = q.pipeline.clone(),
        "stage" => one.stage = q.stage.clone(),
        "type" => one.type_name = q.type_name.clone(),
        "status" => one.status = q.status.clone(),
        "from" => one.from = q.from.clone(),
        "to" => one.to = q.to.clone(),
        "run" => one.run = q.run.clone(),
        _ => one.branch = q.branch.clone(),
    }
    one
}

/// True when `e` tests `field`.
fn asks_field(e: &Expr, field: &Field) -> bool {
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().any(|x| asks_field(x, field)),
        Expr::Not(x) => asks_field(x, field),
        Expr::Compare { field: f, .. } | Expr::Range { field: f, .. } => f == field,
        _ => false,
    }
}

/// True when `e` asks about the status (`status:`, `alert:failed`).
fn asks_status(e: &Expr) -> bool {
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().any(asks_status),
        Expr::Not(x) => asks_status(x),
        Expr::Compare { field: Field::Status, .. } => true,
        Expr::Compare { field: Field::Alert, value, .. } => {
            value.text.eq_ignore_ascii_case("failed")
        }
        _ => false,
    }
}

/// Explains why `q` finds nothing: counts each part alone and left out, notes a store
/// that records no state when a part asks for a status, and suggests failure-like
/// properties and executions without outputs (`outputs=0`) in that case. When `q` finds something, only the counts are filled.
///
/// # Errors
/// As `executions()`: a bad search, status, date or alert rule.
pub(crate) fn explain_empty(ix: &ExecutionIndex, q: &ExecutionQuery) -> Result<EmptyExplanation> {
    let base = ExecutionQuery { sort: None, offset: None, limit: Some(0), ..q.clone() };
    let count = |q: &ExecutionQuery| -> Result<usize> {
        Ok(select(ix, &ExecutionQuery { limit: Some(0), sort: None, offset: None, ..q.clone() })?
            .len())
    };
    let matched = count(&base)?;
    let total = ix.len();
    let mut out = EmptyExplanation {
        matched,
        total,
        parts: Vec::new(),
        notes: Vec::new(),
        suggestions: Vec::new(),
    };
    if matched > 0 {
        return Ok(out);
    }
    let mut status_part_empty = false;
    let mut asks_run = false;
    for (key, text, without) in filter_parts(&base) {
        let alone = count(&only(&base, key))?;
        status_part_empty |= key == "status" && alone == 0;
        asks_run |= key == "run";
        out.parts.push(FilterPart {
            key,
            text,
            matched: alone,
            without: count(&without)?,
            rest: None,
        });
    }
    let search = base.query.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(search) = search {
        let expr = parse(search)?;
        let terms = match expr {
            Expr::And(items) => items,
            other => vec![other],
        };
        let plain =
            ExecutionQuery { now: base.now, alerts: base.alerts.clone(), ..Default::default() };
        for (i, term) in terms.iter().enumerate() {
            let text = term.to_string();
            let alone = count(&ExecutionQuery { query: Some(text.clone()), ..plain.clone() })?;
            let rest_terms: Vec<Expr> =
                terms.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, t)| t.clone()).collect();
            let rest = Expr::And(rest_terms).to_string();
            let without = count(&ExecutionQuery { query: Some(rest.clone()), ..base.clone() })?;
            status_part_empty |= alone == 0 && asks_status(term);
            asks_run |= asks_field(term, &Field::Run);
            out.parts.push(FilterPart {
                key: "query",
                text,
                matched: alone,
                without,
                rest: Some(rest),
            });
        }
    }
    if asks_run && total > 0 && ix.entries().iter().all(|e| e.run_context.is_none()) {
        out.notes.push(format!(
            "this store (written by {}) records no pipeline runs (no pipeline_run or system.PipelineRun contexts): run never matches",
            flavor_writer(ix.flavor())
        ));
    }
    let unknown = ix.entries().iter().filter(|e| e.status == Status::Unknown).count();
    if status_part_empty && total > 0 && unknown == total {
        out.notes.push(format!(
            "this store (written by {}) records no execution state: {} executions are {}",
            flavor_writer(ix.flavor()),
            total,
            Status::Unknown.label()
        ));
        let mut names: Vec<&str> =
            ix.census().names().map(|(n, _)| n).filter(|n| is_failure_like_property(n)).collect();
        names.sort_unstable();
        for name in names {
            let query = property_term(name);
            let n = count(&ExecutionQuery {
                query: Some(query.clone()),
                now: base.now,
                ..Default::default()
            })?;
            if n > 0 {
                out.suggestions.push(Suggestion {
                    query,
                    meaning: format!("executions that record a property '{name}'"),
                    matched: n,
                });
            }
        }
        // An execution that stopped early often logged no output: a useful stand-in for
        // "failed" where no state is recorded, when it singles some out.
        let query = "outputs=0".to_string();
        let n = count(&ExecutionQuery {
            query: Some(query.clone()),
            now: base.now,
            ..Default::default()
        })?;
        if n > 0 && n < total {
            out.suggestions.push(Suggestion {
                query,
                meaning: "executions that wrote no output artifact (one that stopped early \
                          often logged none)"
                    .to_string(),
                matched: n,
            });
        }
    }
    Ok(out)
}
