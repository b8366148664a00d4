//! Evaluating a compiled plan on one execution, seen through [`Subject`].

use std::cmp::Ordering;

use super::ast::{Field, Op};
use super::plan::Plan;
use crate::index::PropVal;
use crate::model::Status;
use crate::text::natural_cmp;

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
    /// The lower-cased short type name ([`crate::conventions::short_type_name`]), which
    /// `type:` matches as well as the full name.
    fn short_type(&self) -> &str {
        ""
    }
    /// The interned id of the short type name, when interned (see [`Subject::interned`]).
    fn interned_short_type(&self) -> Option<u32> {
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
    /// How many distinct artifacts the execution read and wrote.
    fn links(&self) -> (u32, u32);
    /// The execution's position in the index, for flags computed beforehand
    /// ([`Plan::Flagged`]); a subject without one is never flagged.
    fn position(&self) -> Option<usize> {
        None
    }
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
        Op::Match => crate::text::contains(have, want),
        Op::Eq => have == want,
        Op::Ne => have != want,
        _ => ordered(op, natural_cmp(have, want), Ordering::Equal),
    }
}

/// Flags by position for [`Plan::flag_names`].
pub(crate) trait NameFlags {
    /// Whether each execution's lower-cased name contains `word`.
    fn name_contains(&mut self, word: &str) -> std::sync::Arc<Vec<bool>>;
    /// Whether each execution matches the bare word `word` as [`Plan::BareInterned`] decides:
    /// its name contains it, or its type, pipeline or stage is one of `hits` (by interned id).
    fn bare_word(&mut self, word: &str, hits: &[bool]) -> std::sync::Arc<Vec<bool>>;
}

/// Fields stored interned by the index.
const INTERNED: [Field; 6] =
    [Field::Type, Field::Pipeline, Field::Stage, Field::Run, Field::Branch, Field::Repo];

impl Plan {
    /// Rewrites text tests on interned fields so they are decided once per distinct value
    /// (`lowered` holds the lower-cased distinct strings by id) instead of once per row.
    pub fn specialize(self, lowered: &[String]) -> Plan {
        match self {
            Plan::And(v) => Plan::And(v.into_iter().map(|p| p.specialize(lowered)).collect()),
            Plan::Or(v) => Plan::Or(v.into_iter().map(|p| p.specialize(lowered)).collect()),
            Plan::Not(p) => Plan::Not(Box::new(p.specialize(lowered))),
            // `type!=X`: neither the full nor the short name is X.
            Plan::Text { field: Field::Type, op: Op::Ne, value } => Plan::Not(Box::new(
                Plan::Text { field: Field::Type, op: Op::Eq, value }.specialize(lowered),
            )),
            Plan::Text { field, op, value } if INTERNED.contains(&field) => Plan::Interned {
                field,
                hits: lowered.iter().map(|t| text_cmp(op, t, &value)).collect(),
            },
            Plan::Bare(word) => {
                // One searcher for every distinct value (`str::contains` sets one up per call).
                let finder = memchr::memmem::Finder::new(word.as_bytes());
                let hits = lowered.iter().map(|t| finder.find(t.as_bytes()).is_some()).collect();
                Plan::BareInterned { word, hits }
            }
            other => other,
        }
    }

    /// Rewrites the name-contains tests (`name:WORD`, and [`Plan::specialize`]d bare words)
    /// into flags by position that `flags` computes for every execution at once (one search
    /// through all the names instead of one per execution). Only for plans evaluated on
    /// subjects with a [`Subject::position`].
    pub fn flag_names(self, flags: &mut impl NameFlags) -> Plan {
        match self {
            Plan::And(v) => Plan::And(v.into_iter().map(|p| p.flag_names(flags)).collect()),
            Plan::Or(v) => Plan::Or(v.into_iter().map(|p| p.flag_names(flags)).collect()),
            Plan::Not(p) => Plan::Not(Box::new(p.flag_names(flags))),
            Plan::Text { field: Field::Name, op: Op::Match, value } => {
                Plan::Flagged(flags.name_contains(&value))
            }
            Plan::BareInterned { word, hits } => Plan::Flagged(flags.bare_word(&word, &hits)),
            other => other,
        }
    }

    /// The conjuncts of this plan that read no property, artifact or link column (the
    /// terms of a top-level `AND`; [`Plan::All`] when there are none): a necessary
    /// condition — every execution the plan matches, this matches too — that needs no
    /// column loaded.
    pub fn without_columns(&self) -> Plan {
        let reads = |p: &Plan| {
            let mut names = Vec::new();
            p.properties(&mut names);
            !names.is_empty() || p.uses_artifacts() || p.uses_links()
        };
        match self {
            Plan::And(v) => {
                let cheap: Vec<Plan> = v.iter().filter(|p| !reads(p)).cloned().collect();
                if cheap.is_empty() {
                    Plan::All
                } else {
                    Plan::And(cheap)
                }
            }
            p if !reads(p) => p.clone(),
            _ => Plan::All,
        }
    }

    /// Property names this plan reads (so their columns can be loaded first).
    pub fn properties(&self, out: &mut Vec<String>) {
        match self {
            Plan::And(v) | Plan::Or(v) => v.iter().for_each(|p| p.properties(out)),
            Plan::Not(p) => p.properties(out),
            Plan::Property { name, .. } | Plan::PropertyRange { name, .. } | Plan::Has(name)
                if !out.contains(name) =>
            {
                out.push(name.clone());
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

    /// True when the plan reads input/output counts.
    pub fn uses_links(&self) -> bool {
        match self {
            Plan::And(v) | Plan::Or(v) => v.iter().any(Plan::uses_links),
            Plan::Not(p) => p.uses_links(),
            Plan::Links { .. } => true,
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
                let hit =
                    |id: Option<u32>| id.is_some_and(|id| hits.get(id as usize) == Some(&true));
                hit(s.interned(field)) || (*field == Field::Type && hit(s.interned_short_type()))
            }
            Plan::BareInterned { word, hits } => {
                crate::text::contains(s.text(&Field::Name), word)
                    || [Field::Type, Field::Pipeline, Field::Stage].iter().any(|f| {
                        s.interned(f).is_some_and(|id| hits.get(id as usize) == Some(&true))
                    })
            }
            // A type matches by its full or its short name.
            Plan::Text { field: Field::Type, op: Op::Ne, value } => {
                !(text_cmp(Op::Eq, s.text(&Field::Type), value)
                    || text_cmp(Op::Eq, s.short_type(), value))
            }
            Plan::Text { field: Field::Type, op, value } => {
                text_cmp(*op, s.text(&Field::Type), value) || text_cmp(*op, s.short_type(), value)
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
            Plan::Links { outputs, op, value } => {
                let (read, wrote) = s.links();
                let n = if *outputs { wrote } else { read };
                // `:` on a count means equals, as for `id`.
                ordered(*op, n, *value)
            }
            Plan::Has(name) => !matches!(s.property(name), PropVal::Missing),
            Plan::Flagged(set) => s.position().is_some_and(|p| set.get(p) == Some(&true)),
            Plan::Property { name, op, text, num, boolean } => {
                property_matches(s.property(name), *op, text, *num, *boolean)
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

/// `property:NAME op value` on one value: numbers with numbers, booleans with booleans,
/// text with text; a missing property never matches.
fn property_matches(
    v: &PropVal,
    op: Op,
    text: &str,
    num: Option<f64>,
    boolean: Option<bool>,
) -> bool {
    match (v, op) {
        (PropVal::Missing, _) => false,
        (_, Op::Match) => v.text().to_lowercase().contains(text),
        (PropVal::Num(n, _), _) if num.is_some() => ordered(op, *n, num.unwrap_or(0.0)),
        (PropVal::Bool(b), Op::Eq | Op::Ne) if boolean.is_some() => {
            ordered(op, *b, boolean.unwrap_or(false))
        }
        (_, Op::Eq | Op::Ne) => ordered(op, v.text().to_lowercase().as_str(), text),
        // Ordering: numbers with numbers, text with text; mixed never matches.
        (PropVal::Text(t), _) if num.is_none() => text_cmp(op, &t.to_lowercase(), text),
        _ => false,
    }
}
