//! Turns a parsed query into a plan with its values already read (dates, durations,
//! numbers, statuses) and evaluates it on the execution index.

use std::cmp::Ordering;

use super::ast::{Expr, Field, Literal, Op};
use crate::error::Error;
use crate::index::natural_cmp;
use crate::model::Status;
use crate::time::{parse_time_ms, DayEnd};

/// A property value as the query engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PropVal {
    /// The execution has no such property (or its value is NULL).
    Missing,
    /// A number, or a string that reads as one (cmflib's `'0.001'`); `text` as stored.
    Num(f64, Box<str>),
    /// Text that is not a number.
    Text(Box<str>),
    /// A boolean.
    Bool(bool),
    /// A struct, proto or bytes value, as JSON text.
    Other(Box<str>),
}

impl PropVal {
    /// The value from a stored property.
    pub fn from_value(v: &crate::model::Value) -> PropVal {
        use crate::model::Value;
        match v {
            Value::Null => PropVal::Missing,
            Value::Bool(b) => PropVal::Bool(*b),
            Value::Int(_) | Value::Double(_) | Value::String(_) => match v.as_number() {
                Some(n) => PropVal::Num(n, v.as_text().into()),
                None => PropVal::Text(v.as_text().into()),
            },
            other => PropVal::Other(other.to_json().to_string().into()),
        }
    }

    fn text(&self) -> String {
        match self {
            PropVal::Missing => String::new(),
            PropVal::Num(_, t) | PropVal::Text(t) | PropVal::Other(t) => t.to_string(),
            PropVal::Bool(b) => b.to_string(),
        }
    }

    /// Sort order: numbers by value, then text naturally, then booleans; missing last
    /// (the caller puts missing last in both directions).
    pub fn sort_cmp(&self, other: &PropVal) -> Ordering {
        fn rank(v: &PropVal) -> u8 {
            match v {
                PropVal::Num(..) => 0,
                PropVal::Text(_) => 1,
                PropVal::Bool(_) => 2,
                PropVal::Other(_) => 3,
                PropVal::Missing => 4,
            }
        }
        match (self, other) {
            (PropVal::Num(a, _), PropVal::Num(b, _)) => a.total_cmp(b),
            (PropVal::Bool(a), PropVal::Bool(b)) => a.cmp(b),
            (a, b) if rank(a) == rank(b) => natural_cmp(&a.text(), &b.text()),
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }
}

/// What the evaluator reads about one execution.
pub(crate) trait Subject {
    fn id(&self) -> i64;
    /// Lower-cased text of a text field (`name`, `type`, `pipeline`, `stage`, `branch`, `repo`).
    fn text(&self, field: &Field) -> &str;
    /// The interned id of a field shared by many rows (type, pipeline, stage, branch,
    /// repo), when the subject stores it that way; used by [`Plan::specialize`]d plans.
    fn interned(&self, _field: &Field) -> Option<u32> {
        None
    }
    fn status(&self) -> Status;
    fn started(&self) -> Option<i64>;
    fn ended(&self) -> Option<i64>;
    fn duration(&self) -> Option<i64>;
    /// Start and end commits (either may be "").
    fn commits(&self) -> (&str, &str);
    fn property(&self, name: &str) -> &PropVal;
    /// Lower-cased names and URIs of input and output artifacts.
    fn artifacts(&self) -> &[Box<str>];
}

/// A time literal read as an inclusive span: a day, or a single instant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    lo: i64,
    hi: i64,
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
}

#[derive(Debug, Clone)]
pub(crate) struct PropBound {
    text: String,
    num: Option<f64>,
}

fn err(pos: usize, message: impl Into<String>) -> Error {
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

/// Compiles a parsed query; `now_ms` is the current time for `today` and `-7d`.
pub(crate) fn compile(e: &Expr, now_ms: Option<i64>) -> Result<Plan, Error> {
    let time = |v: &Literal| -> Result<Span, Error> {
        parse_span(&v.text, now_ms).ok_or_else(|| {
            if now_ms.is_none() && (v.text.starts_with('-') || v.text.eq_ignore_ascii_case("today")) {
                err(v.pos, "relative dates need the current time, which this caller did not give")
            } else {
                err(v.pos, format!("cannot read '{}' as a date: use 2026-01-31, 2026-01-31T10:00:00Z, today, yesterday or -7d", v.text))
            }
        })
    };
    let duration = |v: &Literal| -> Result<i64, Error> {
        parse_duration_ms(&v.text).ok_or_else(|| {
            err(
                v.pos,
                format!("cannot read '{}' as a duration: use 90s, 5m, 1h30m, 2d or 250ms", v.text),
            )
        })
    };
    Ok(match e {
        Expr::And(items) if items.is_empty() => Plan::All,
        Expr::And(items) => {
            Plan::And(items.iter().map(|i| compile(i, now_ms)).collect::<Result<_, _>>()?)
        }
        Expr::Or(items) => {
            Plan::Or(items.iter().map(|i| compile(i, now_ms)).collect::<Result<_, _>>()?)
        }
        Expr::Not(inner) => Plan::Not(Box::new(compile(inner, now_ms)?)),
        Expr::Text(t) => Plan::Bare(t.text.to_lowercase()),
        Expr::Has(name) => Plan::Has(name.clone()),
        Expr::Compare { field, op, value } => match field {
            Field::Name
            | Field::Type
            | Field::Pipeline
            | Field::Stage
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
                    _ => {
                        return Err(err(value.pos, "a status can only be compared with : = or !="))
                    }
                }
            }
            Field::Started | Field::Ended => {
                Plan::Time { field: field.clone(), op: *op, span: time(value)? }
            }
            Field::Duration => Plan::Duration { op: *op, ms: duration(value)? },
            Field::Commit => Plan::Commit { op: *op, value: value.text.to_lowercase() },
            Field::Artifact => match op {
                Op::Match | Op::Eq | Op::Ne => {
                    Plan::Artifact { op: *op, value: value.text.to_lowercase() }
                }
                _ => return Err(err(value.pos, "an artifact can only be compared with : = or !=")),
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
        },
        Expr::Range { field, low, high } => match field {
            Field::Started | Field::Ended => {
                Plan::TimeRange { field: field.clone(), low: time(low)?.lo, high: time(high)?.hi }
            }
            Field::Duration => Plan::DurationRange { low: duration(low)?, high: duration(high)? },
            Field::Id => Plan::And(vec![
                compile(
                    &Expr::Compare { field: Field::Id, op: Op::Ge, value: low.clone() },
                    now_ms,
                )?,
                compile(
                    &Expr::Compare { field: Field::Id, op: Op::Le, value: high.clone() },
                    now_ms,
                )?,
            ]),
            Field::Property(name) => {
                let bound = |l: &Literal| PropBound {
                    text: l.text.to_lowercase(),
                    num: l.text.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
                };
                Plan::PropertyRange { name: name.clone(), low: bound(low), high: bound(high) }
            }
            Field::Status | Field::Artifact => {
                return Err(err(
                    low.pos,
                    "a range (TO) needs a time, duration, id, text or property field",
                ))
            }
            _ => Plan::And(vec![
                Plan::Text { field: field.clone(), op: Op::Ge, value: low.text.to_lowercase() },
                Plan::Text { field: field.clone(), op: Op::Le, value: high.text.to_lowercase() },
            ]),
        },
    })
}

fn ordered<T: PartialOrd>(op: Op, a: T, b: T) -> bool {
    match op {
        Op::Match | Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Lt => a < b,
        Op::Le => a <= b,
    }
}

fn text_cmp(op: Op, have: &str, want: &str) -> bool {
    match op {
        Op::Match => have.contains(want),
        Op::Eq => have == want,
        Op::Ne => have != want,
        _ => ordered(op, natural_cmp(have, want), Ordering::Equal),
    }
}

/// Fields stored interned by the index.
const INTERNED: [Field; 5] =
    [Field::Type, Field::Pipeline, Field::Stage, Field::Branch, Field::Repo];

impl Plan {
    /// Rewrites text tests on interned fields so they are decided once per distinct value
    /// (`lowered` holds the lower-cased distinct strings by id) instead of once per row.
    pub fn specialize(self, lowered: &[String]) -> Plan {
        match self {
            Plan::And(v) => Plan::And(v.into_iter().map(|p| p.specialize(lowered)).collect()),
            Plan::Or(v) => Plan::Or(v.into_iter().map(|p| p.specialize(lowered)).collect()),
            Plan::Not(p) => Plan::Not(Box::new(p.specialize(lowered))),
            Plan::Text { field, op, value } if INTERNED.contains(&field) => Plan::Interned {
                field,
                hits: lowered.iter().map(|t| text_cmp(op, t, &value)).collect(),
            },
            Plan::Bare(word) => {
                let hits = lowered.iter().map(|t| t.contains(word.as_str())).collect();
                Plan::BareInterned { word, hits }
            }
            other => other,
        }
    }

    /// Property names this plan reads (so their columns can be loaded first).
    pub fn properties(&self, out: &mut Vec<String>) {
        match self {
            Plan::And(v) | Plan::Or(v) => v.iter().for_each(|p| p.properties(out)),
            Plan::Not(p) => p.properties(out),
            Plan::Property { name, .. } | Plan::PropertyRange { name, .. } | Plan::Has(name) => {
                if !out.contains(name) {
                    out.push(name.clone());
                }
            }
            _ => {}
        }
    }

    /// True when the plan reads artifacts.
    pub fn uses_artifacts(&self) -> bool {
        match self {
            Plan::And(v) | Plan::Or(v) => v.iter().any(Plan::uses_artifacts),
            Plan::Not(p) => p.uses_artifacts(),
            Plan::Artifact { .. } => true,
            _ => false,
        }
    }

    /// Evaluates the plan on one execution.
    pub fn matches(&self, s: &impl Subject) -> bool {
        match self {
            Plan::All => true,
            Plan::And(v) => v.iter().all(|p| p.matches(s)),
            Plan::Or(v) => v.iter().any(|p| p.matches(s)),
            Plan::Not(p) => !p.matches(s),
            Plan::Bare(w) => [Field::Name, Field::Type, Field::Pipeline, Field::Stage]
                .iter()
                .any(|f| s.text(f).contains(w.as_str())),
            Plan::Interned { field, hits } => {
                s.interned(field).is_some_and(|id| hits.get(id as usize) == Some(&true))
            }
            Plan::BareInterned { word, hits } => {
                s.text(&Field::Name).contains(word.as_str())
                    || [Field::Type, Field::Pipeline, Field::Stage].iter().any(|f| {
                        s.interned(f).is_some_and(|id| hits.get(id as usize) == Some(&true))
                    })
            }
            Plan::Text { field, op, value } => text_cmp(*op, s.text(field), value),
            Plan::Id { op, value } => ordered(*op, s.id(), *value),
            Plan::Status { equal, value } => (s.status() == *value) == *equal,
            Plan::Time { field, op, span } => {
                let t = if *field == Field::Ended { s.ended() } else { s.started() };
                t.is_some_and(|t| match op {
                    Op::Match | Op::Eq => t >= span.lo && t <= span.hi,
                    Op::Ne => t < span.lo || t > span.hi,
                    Op::Gt => t > span.hi,
                    Op::Ge => t >= span.lo,
                    Op::Lt => t < span.lo,
                    Op::Le => t <= span.hi,
                })
            }
            Plan::TimeRange { field, low, high } => {
                let t = if *field == Field::Ended { s.ended() } else { s.started() };
                t.is_some_and(|t| t >= *low && t <= *high)
            }
            Plan::Duration { op, ms } => s.duration().is_some_and(|d| ordered(*op, d, *ms)),
            Plan::DurationRange { low, high } => {
                s.duration().is_some_and(|d| d >= *low && d <= *high)
            }
            Plan::Commit { op, value } => {
                let (a, b) = s.commits();
                let hit =
                    |c: &str| !c.is_empty() && c.to_ascii_lowercase().starts_with(value.as_str());
                let eq = |c: &str| !c.is_empty() && c.eq_ignore_ascii_case(value);
                match op {
                    Op::Match => hit(a) || hit(b),
                    Op::Eq => eq(a) || eq(b),
                    Op::Ne => !(eq(a) || eq(b)),
                    _ => text_cmp(*op, &a.to_ascii_lowercase(), value),
                }
            }
            Plan::Artifact { op, value } => {
                let arts = s.artifacts();
                match op {
                    Op::Match => arts.iter().any(|a| a.contains(value.as_str())),
                    Op::Eq => arts.iter().any(|a| **a == **value),
                    _ => !arts.iter().any(|a| **a == **value),
                }
            }
            Plan::Has(name) => !matches!(s.property(name), PropVal::Missing),
            Plan::Property { name, op, text, num, boolean } => {
                let v = s.property(name);
                match (v, op) {
                    (PropVal::Missing, _) => false,
                    (_, Op::Match) => v.text().to_lowercase().contains(text.as_str()),
                    (PropVal::Num(n, _), _) if num.is_some() => {
                        ordered(*op, *n, num.unwrap_or(0.0))
                    }
                    (PropVal::Bool(b), Op::Eq | Op::Ne) if boolean.is_some() => {
                        ordered(*op, *b, boolean.unwrap_or(false))
                    }
                    (_, Op::Eq | Op::Ne) => {
                        ordered(*op, v.text().to_lowercase().as_str(), text.as_str())
                    }
                    // Ordering: numbers with numbers, text with text; mixed never matches.
                    (PropVal::Text(t), _) if num.is_none() => {
                        text_cmp(*op, &t.to_lowercase(), text)
                    }
                    _ => false,
                }
            }
            Plan::PropertyRange { name, low, high } => match s.property(name) {
                PropVal::Num(n, _) => match (low.num, high.num) {
                    (Some(l), Some(h)) => *n >= l && *n <= h,
                    _ => false,
                },
                PropVal::Text(t) if low.num.is_none() && high.num.is_none() => {
                    let t = t.to_lowercase();
                    natural_cmp(&t, &low.text) != Ordering::Less
                        && natural_cmp(&t, &high.text) != Ordering::Greater
                }
                _ => false,
            },
        }
    }
}
