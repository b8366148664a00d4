//! Turns a parsed query into a plan with its values already read (dates, durations,
//! numbers, statuses), so that evaluating it on each execution reads nothing again.

use super::ast::{Expr, Field, Literal, Op};
use crate::error::Error;
use crate::model::Status;
use crate::time::{parse_time_ms, DayEnd};

/// A time literal read as an inclusive span: a day, or a single instant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub lo: i64,
    pub hi: i64,
}

/// A compiled query.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    All,
    And(Vec<Plan>),
    Or(Vec<Plan>),
    Not(Box<Plan>),
    Text {
        field: Field,
        op: Op,
        value: String,
    },
    Bare(String),
    /// A text test on an interned field, decided once per distinct value: `hits[id]`.
    Interned {
        field: Field,
        hits: Vec<bool>,
    },
    /// A bare word whose type/pipeline/stage part is decided per distinct value.
    BareInterned {
        word: String,
        hits: Vec<bool>,
    },
    Id {
        op: Op,
        value: i64,
    },
    Status {
        equal: bool,
        value: Status,
    },
    Time {
        field: Field,
        op: Op,
        span: Span,
    },
    TimeRange {
        field: Field,
        low: i64,
        high: i64,
    },
    Duration {
        op: Op,
        ms: i64,
    },
    DurationRange {
        low: i64,
        high: i64,
    },
    Commit {
        op: Op,
        value: String,
    },
    Artifact {
        op: Op,
        value: String,
    },
    /// `inputs` / `outputs`: the count of distinct artifacts read / written.
    Links {
        outputs: bool,
        op: Op,
        value: u32,
    },
    Property {
        name: String,
        op: Op,
        text: String,
        num: Option<f64>,
        boolean: Option<bool>,
    },
    PropertyRange {
        name: String,
        low: PropBound,
        high: PropBound,
    },
    Has(String),
    /// Rows flagged beforehand, by position (the `long-running` alert).
    Flagged(std::sync::Arc<Vec<bool>>),
}

impl Plan {
    /// Inclusive bounds that the start of every execution the plan matches lies within
    /// (a necessary condition, not a sufficient one), when its terms imply any: start
    /// comparisons, and `AND`/`OR` of them; `None` when a match may lack a start or have
    /// any.
    pub fn started_bounds(&self) -> Option<(i64, i64)> {
        match self {
            Plan::Time { field: Field::Started, op, span } => match op {
                Op::Match | Op::Eq => Some((span.lo, span.hi)),
                Op::Gt => Some((span.hi.saturating_add(1), i64::MAX)),
                Op::Ge => Some((span.lo, i64::MAX)),
                Op::Lt => Some((i64::MIN, span.lo.saturating_sub(1))),
                Op::Le => Some((i64::MIN, span.hi)),
                Op::Ne => None,
            },
            Plan::TimeRange { field: Field::Started, low, high } => Some((*low, *high)),
            Plan::And(v) => v
                .iter()
                .filter_map(Plan::started_bounds)
                .reduce(|a, b| (a.0.max(b.0), a.1.min(b.1))),
            Plan::Or(v) => v
                .iter()
                .map(Plan::started_bounds)
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1))),
            _ => None,
        }
    }

    /// True when the plan is exactly its [`Plan::started_bounds`]: every term a start
    /// comparison (no `!=`), joined by `AND` (or nothing at all).
    pub fn is_start_range(&self) -> bool {
        match self {
            Plan::All => true,
            Plan::Time { field: Field::Started, op, .. } => *op != Op::Ne,
            Plan::TimeRange { field: Field::Started, .. } => true,
            Plan::And(v) => v.iter().all(Plan::is_start_range),
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PropBound {
    pub text: String,
    pub num: Option<f64>,
}

pub(crate) fn err(pos: usize, message: impl Into<String>) -> Error {
    Error::Query { position: pos, message: message.into() }
}

/// Reads a duration: `90s`, `5m`, `1h30m`, `2d`, `250ms`, `1.5h`; a plain number is seconds.
///
/// ```
/// use mlmd_lens::query::parse_duration_ms;
/// assert_eq!(parse_duration_ms("5m"), Some(300_000));
/// assert_eq!(parse_duration_ms("1h30m"), Some(5_400_000));
/// assert_eq!(parse_duration_ms("30"), Some(30_000));
/// assert_eq!(parse_duration_ms("soon"), None);
/// ```
pub fn parse_duration_ms(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_lowercase();
    if let Ok(secs) = t.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| (secs * 1000.0).round() as i64);
    }
    let mut total = 0f64;
    let mut rest = t.as_str();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ms" => 1.0,
            "s" | "sec" | "secs" => 1_000.0,
            "m" | "min" | "mins" => 60_000.0,
            "h" | "hr" | "hrs" => 3_600_000.0,
            "d" | "day" | "days" => 86_400_000.0,
            "w" | "wk" | "weeks" => 604_800_000.0,
            _ => return None,
        };
        rest = &rest[u..];
        total += num * unit;
    }
    total.is_finite().then(|| total.round() as i64)
}

/// Reads a time literal: a date (its whole UTC day), a date-time, `today`, `yesterday`,
/// `now`, or `-7d` / `-12h` (that long before now).
fn parse_span(text: &str, now: Option<i64>) -> Option<Span> {
    let t = text.trim().to_ascii_lowercase();
    let day = 86_400_000;
    let relative = |now: Option<i64>| now;
    match t.as_str() {
        "now" => return relative(now).map(|n| Span { lo: n, hi: n }),
        "today" | "yesterday" => {
            let n = relative(now)?;
            let start = n.div_euclid(day) * day - if t == "yesterday" { day } else { 0 };
            return Some(Span { lo: start, hi: start + day - 1 });
        }
        _ => {}
    }
    if let Some(rel) = t.strip_prefix('-') {
        if let Some(ms) = parse_duration_ms(rel) {
            let at = relative(now)? - ms;
            return Some(Span { lo: at, hi: at });
        }
    }
    let lo = parse_time_ms(&t, DayEnd::Start).ok()?;
    let hi = parse_time_ms(&t, DayEnd::End).ok()?;
    Some(Span { lo, hi })
}

/// What compiling needs besides the query: the current time (for `today` and `-7d`) and
/// the alert rules that `alert:` terms stand for.
#[derive(Clone, Copy, Default)]
pub(crate) struct Cx<'a> {
    pub now: Option<i64>,
    pub alerts: Option<&'a dyn AlertTerms>,
}

/// What `alert:NAME` stands for (implemented by `query::alerts::AlertScope`, which
/// needs this module's compiler: a trait here keeps the two files free of a cycle).
pub(crate) trait AlertTerms {
    /// The plan of `alert op value` in `cx`.
    fn alert_plan(&self, cx: &Cx<'_>, op: Op, value: &Literal) -> Result<Plan, Error>;
}

/// Compiles a parsed query in `cx`.
pub(crate) fn compile(e: &Expr, cx: &Cx<'_>) -> Result<Plan, Error> {
    Ok(match e {
        Expr::And(items) if items.is_empty() => Plan::All,
        Expr::And(items) => {
            Plan::And(items.iter().map(|i| compile(i, cx)).collect::<Result<_, _>>()?)
        }
        Expr::Or(items) => {
            Plan::Or(items.iter().map(|i| compile(i, cx)).collect::<Result<_, _>>()?)
        }
        Expr::Not(inner) => Plan::Not(Box::new(compile(inner, cx)?)),
        Expr::Text(t) => Plan::Bare(t.text.to_lowercase()),
        Expr::Has(name) => Plan::Has(name.clone()),
        Expr::Compare { field, op, value } => compile_compare(field, *op, value, cx)?,
        Expr::Range { field, low, high } => compile_range(field, low, high, cx)?,
    })
}

/// Reads a time literal as a span, with an error that says what would read.
fn time_value(v: &Literal, now_ms: Option<i64>) -> Result<Span, Error> {
    parse_span(&v.text, now_ms).ok_or_else(|| {
        if now_ms.is_none() && (v.text.starts_with('-') || v.text.eq_ignore_ascii_case("today")) {
            err(v.pos, "relative dates need the current time, which this caller did not give")
        } else {
            err(v.pos, format!("cannot read '{}' as a date: use 2026-01-31, 2026-01-31T10:00:00Z, today, yesterday or -7d", v.text))
        }
    })
}

/// Reads a duration literal, with an error that says what would read.
fn duration_value(v: &Literal) -> Result<i64, Error> {
    parse_duration_ms(&v.text).ok_or_else(|| {
        err(
            v.pos,
            format!("cannot read '{}' as a duration: use 90s, 5m, 1h30m, 2d or 250ms", v.text),
        )
    })
}

/// `field op value`.
fn compile_compare(field: &Field, op: Op, value: &Literal, cx: &Cx<'_>) -> Result<Plan, Error> {
    let now_ms = cx.now;
    let op = &op;
    Ok(match field {
        Field::Name
        | Field::Type
        | Field::Pipeline
        | Field::Stage
        | Field::Run
        | Field::Branch
        | Field::Repo => {
            Plan::Text { field: field.clone(), op: *op, value: value.text.to_lowercase() }
        }
        Field::Id => Plan::Id {
            op: *op,
            value: value.text.trim().parse().map_err(|_| {
                err(value.pos, format!("an id is a whole number, not '{}'", value.text))
            })?,
        },
        Field::Status => {
            let s = Status::parse(&value.text).ok_or_else(|| {
                err(
                    value.pos,
                    format!(
                        "unknown status '{}': use one of {}",
                        value.text,
                        Status::ALL.map(Status::label).join(", ")
                    ),
                )
            })?;
            match op {
                Op::Match | Op::Eq => Plan::Status { equal: true, value: s },
                Op::Ne => Plan::Status { equal: false, value: s },
                _ => return Err(err(value.pos, "a status can only be compared with : = or !=")),
            }
        }
        Field::Started | Field::Ended => {
            Plan::Time { field: field.clone(), op: *op, span: time_value(value, now_ms)? }
        }
        Field::Duration => Plan::Duration { op: *op, ms: duration_value(value)? },
        Field::Commit => Plan::Commit { op: *op, value: value.text.to_lowercase() },
        Field::Artifact => match op {
            Op::Match | Op::Eq | Op::Ne => {
                Plan::Artifact { op: *op, value: value.text.to_lowercase() }
            }
            _ => return Err(err(value.pos, "an artifact can only be compared with : = or !=")),
        },
        Field::Inputs | Field::Outputs => Plan::Links {
            outputs: *field == Field::Outputs,
            op: *op,
            value: value.text.trim().parse().map_err(|_| {
                err(
                    value.pos,
                    format!(
                        "{} counts artifacts: a whole number, not '{}'",
                        if *field == Field::Outputs { "outputs" } else { "inputs" },
                        value.text
                    ),
                )
            })?,
        },
        Field::Alert => match cx.alerts {
            Some(terms) => terms.alert_plan(cx, *op, value)?,
            None => {
                return Err(err(
                    value.pos,
                    "alert: needs alert rules, and none were given here (the alerts option)",
                ))
            }
        },
        Field::Property(name) => Plan::Property {
            name: name.clone(),
            op: *op,
            text: value.text.to_lowercase(),
            num: value.text.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            boolean: match value.text.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
        },
    })
}

/// `field:low TO high`.
fn compile_range(field: &Field, low: &Literal, high: &Literal, cx: &Cx<'_>) -> Result<Plan, Error> {
    let now_ms = cx.now;
    Ok(match field {
        Field::Started | Field::Ended => Plan::TimeRange {
            field: field.clone(),
            low: time_value(low, now_ms)?.lo,
            high: time_value(high, now_ms)?.hi,
        },
        Field::Duration => {
            Plan::DurationRange { low: duration_value(low)?, high: duration_value(high)? }
        }
        Field::Id | Field::Inputs | Field::Outputs => Plan::And(vec![
            compile(&Expr::Compare { field: field.clone(), op: Op::Ge, value: low.clone() }, cx)?,
            compile(&Expr::Compare { field: field.clone(), op: Op::Le, value: high.clone() }, cx)?,
        ]),
        Field::Property(name) => {
            let bound = |l: &Literal| PropBound {
                text: l.text.to_lowercase(),
                num: l.text.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            };
            Plan::PropertyRange { name: name.clone(), low: bound(low), high: bound(high) }
        }
        Field::Status | Field::Artifact | Field::Alert => {
            return Err(err(
                low.pos,
                "a range (TO) needs a time, duration, id, text or property field",
            ))
        }
        _ => Plan::And(vec![
            Plan::Text { field: field.clone(), op: Op::Ge, value: low.text.to_lowercase() },
            Plan::Text { field: field.clone(), op: Op::Le, value: high.text.to_lowercase() },
        ]),
    })
}
