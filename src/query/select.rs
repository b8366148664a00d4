//! Running a query over the index: the structured filters and the compiled search decide
//! which executions match ([`select`]), and the sort orders them, sorting only the
//! prefix a page needs ([`sort_positions`]).

use std::cmp::Ordering;
use std::collections::HashMap;

use super::alerts::{uses_alerts, AlertScope};
use super::ast::Field;
use super::eval::{NameFlags, Subject};
use super::options::{given, AlertRules, ExecutionQuery, Sort, SortKey, TimeBound};
use super::plan::{compile, AlertTerms, Cx, Plan};
use crate::error::{Error, Result};
use crate::index::{Entry, ExecutionIndex, PropVal, StrId};
use crate::model::Status;
use crate::text::natural_cmp;
use crate::time::{parse_time_ms, DayEnd};

/// A compiled search with the columns it reads loaded: ready to test positions.
pub(crate) struct Matcher<'a> {
    ix: &'a ExecutionIndex,
    plan: Plan,
    props: HashMap<String, std::sync::Arc<Vec<PropVal>>>,
    arts: Option<&'a [Vec<Box<str>>]>,
    links: Option<&'a [(u32, u32)]>,
}

impl<'a> Matcher<'a> {
    /// Parses and compiles `text` (empty: everything matches) against `ix`, loading the
    /// property and artifact columns it needs.
    ///
    /// # Errors
    /// [`Error::Query`] for a query that does not parse or compile; read errors.
    pub fn new(
        ix: &'a ExecutionIndex,
        text: Option<&str>,
        now: Option<i64>,
    ) -> Result<Matcher<'a>> {
        Matcher::with_plan(ix, search_plan(ix, text, now, None)?, &[])
    }

    /// As [`Matcher::new`] for a plan, also loading the property columns `extra` (a sort).
    fn with_plan(ix: &'a ExecutionIndex, plan: Plan, extra: &[&str]) -> Result<Matcher<'a>> {
        let mut wanted = Vec::new();
        plan.properties(&mut wanted);
        wanted.extend(extra.iter().map(|s| s.to_string()));
        let mut props = HashMap::new();
        for name in wanted {
            let col = ix.property_column(&name)?;
            props.insert(name, col);
        }
        let arts = if plan.uses_artifacts() { Some(ix.artifact_texts()?) } else { None };
        let links = if plan.uses_links() { Some(ix.link_counts()?) } else { None };
        Ok(Matcher { ix, plan, props, arts, links })
    }

    /// True when the execution at `pos` matches.
    pub fn matches(&self, pos: usize) -> bool {
        let e = &self.ix.entries()[pos];
        self.plan.matches(&Row {
            ix: self.ix,
            e,
            pos,
            props: &self.props,
            arts: self.arts,
            links: self.links,
        })
    }
}

/// The plan of a search text over `ix` (everything when there is none); its `alert:`
/// terms stand for what `alerts` flags.
fn search_plan(
    ix: &ExecutionIndex,
    text: Option<&str>,
    now: Option<i64>,
    alerts: Option<&AlertRules>,
) -> Result<Plan> {
    let Some(text) = text else { return Ok(Plan::All) };
    let expr = super::parse(text)?;
    // The long-running flags cost a pass over every execution: only for `alert:` terms.
    let scope = alerts.filter(|_| uses_alerts(&expr)).map(|r| AlertScope::new(ix, r, now));
    let cx = Cx { now, alerts: scope.as_ref().map(|s| s as &dyn AlertTerms) };
    let plan = compile(&expr, &cx)?.specialize(ix.strings().all_lower());
    Ok(plan.flag_names(&mut IndexNames(ix)))
}

/// Name flags computed over the index's block of names ([`ExecutionIndex::names_containing`]).
struct IndexNames<'a>(&'a ExecutionIndex);

impl NameFlags for IndexNames<'_> {
    fn name_contains(&mut self, word: &str) -> std::sync::Arc<Vec<bool>> {
        std::sync::Arc::new(self.0.names_containing(word))
    }

    fn bare_word(&mut self, word: &str, hits: &[bool]) -> std::sync::Arc<Vec<bool>> {
        let mut flags = self.0.names_containing(word);
        // Most words are in no type, pipeline or stage name: then the names decide alone.
        if hits.contains(&true) {
            let hit = |id: StrId| hits.get(id as usize) == Some(&true);
            for (flag, e) in flags.iter_mut().zip(self.0.entries()) {
                *flag = *flag || hit(e.type_name) || hit(e.pipeline) || hit(e.stage);
            }
        }
        std::sync::Arc::new(flags)
    }
}

/// Positions of the entries matching `q`, in its sort order (at least the first
/// `offset + limit` of them; all when no limit is given).
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown status, sort column or unreadable date;
/// [`Error::Query`] for a bad search.
pub(crate) fn select(ix: &ExecutionIndex, q: &ExecutionQuery) -> Result<Vec<usize>> {
    let plan = search_plan(ix, given(&q.query), q.now, q.alerts.as_ref())?;
    let status = match given(&q.status) {
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "unknown status {s:?}: use one of {}",
                Status::ALL.map(Status::label).join(", ")
            ))
        })?),
        None => None,
    };
    let from = bound(&q.from, DayEnd::Start)?;
    let to = bound(&q.to, DayEnd::End)?;
    let sort = Sort::parse(q.sort.as_deref().unwrap_or("id"))?;
    let sort_prop = match &sort.key {
        SortKey::Property(name) => vec![name.as_str()],
        _ => Vec::new(),
    };
    // The start range the query implies, from the search and the from/to filters.
    let range = {
        let mut r = plan.started_bounds();
        if from.is_some() || to.is_some() {
            let (lo, hi) = r.unwrap_or((i64::MIN, i64::MAX));
            r = Some((from.map_or(lo, |f| lo.max(f)), to.map_or(hi, |t| hi.min(t))));
        }
        r
    };
    let structured = [&q.pipeline, &q.stage, &q.type_name, &q.branch, &q.run, &q.status]
        .iter()
        .any(|v| given(v).is_some());
    let needed = q.offset.unwrap_or(0).saturating_add(q.limit.unwrap_or(usize::MAX));
    if plan.is_start_range() && !structured {
        match range {
            // Only a start range, sorted by start: a slice of the start order.
            Some((lo, hi)) if sort.key == SortKey::Started => {
                return Ok(start_slice(ix, lo, hi, sort.descending, needed));
            }
            // Nothing asked: every execution, by start (those without one last) or sorted.
            None if sort.key == SortKey::Started => {
                let mut all = start_slice(ix, i64::MIN, i64::MAX, sort.descending, needed);
                all.extend((0..ix.len()).filter(|&i| ix.entries()[i].started_ms.is_none()));
                return Ok(all);
            }
            None => {
                let mut all: Vec<usize> = (0..ix.len()).collect();
                // The index is in id order: by id is the order of positions (no pass).
                if sort.key == SortKey::Id {
                    if sort.descending {
                        all.reverse();
                    }
                    return Ok(all);
                }
                sort_positions(ix, &mut all, &sort, &load_sort_column(ix, &sort)?, needed);
                return Ok(all);
            }
            Some(_) => {}
        }
    }
    // Structured filters compare interned values: decide once per distinct string.
    let set = |want: Option<&str>| -> Option<Vec<bool>> {
        want.map(|w| ix.strings().all().iter().map(|t| t.eq_ignore_ascii_case(w)).collect())
    };
    let (pipeline, stage, type_name, branch, run) = (
        set(given(&q.pipeline)),
        set(given(&q.stage)),
        set(given(&q.type_name)),
        set(given(&q.branch)),
        set(given(&q.run)),
    );
    let ok = |set: &Option<Vec<bool>>, id: StrId| set.as_ref().is_none_or(|s| s[id as usize]);
    // A narrow start range is searched within its slice of the start order (every test
    // still applies; the sort below orders the hits).
    let narrowed = range.and_then(|(lo, hi)| {
        let slice = start_range(ix, lo, hi);
        (slice.len() < ix.len() / 4).then(|| slice.to_vec())
    });
    let all = || (0..ix.len()).collect::<Vec<_>>();
    let pool: Vec<usize> = narrowed
        .unwrap_or_else(all)
        .into_iter()
        .filter(|&i| {
            let e = &ix.entries()[i];
            ok(&pipeline, e.pipeline)
                && (ok(&stage, e.stage) || ok(&stage, e.stage_context))
                && (ok(&type_name, e.type_name) || ok(&type_name, e.type_short))
                && ok(&branch, e.branch)
                && ok(&run, e.run)
                && status.is_none_or(|st| e.status == st)
                && from.is_none_or(|f| e.started_ms.is_some_and(|t| t >= f))
                && to.is_none_or(|f| e.started_ms.is_some_and(|t| t <= f))
        })
        .collect();
    let (m, pool) = match few_candidates(ix, &plan, &sort_prop, &pool)? {
        Some(few) => few,
        None => (Matcher::with_plan(ix, plan, &sort_prop)?, pool),
    };
    let mut hits: Vec<usize> = pool.into_iter().filter(|&pos| m.matches(pos)).collect();
    sort_positions(ix, &mut hits, &sort, &m.props, needed);
    Ok(hits)
}

/// At most one candidate in this many executions is "few" (see [`few_candidates`]): a
/// keyed read of one execution's property (two B-tree searches, ≈ 10 µs natively) costs
/// about what a whole column's scan costs per execution times 5 (100k executions, ≈ 15
/// rows each).
const FEW: usize = 6;

/// When `plan` (and the sort's `extra` property) reads a property column not loaded yet
/// and the plan's other conjuncts ([`Plan::without_columns`]) leave few of `pool`: those
/// candidates, with a matcher that holds the properties of the candidates only (read
/// through the table's key instead of scanning it for the whole column; not kept). The
/// matcher answers as the whole columns would for the candidates, which are all it is
/// asked about. `None` when the columns are loaded, the candidates are many, or a
/// property is missing from all of them (it may be a `PROPERTY.PATH` column) or was read
/// this way before (see [`ExecutionIndex::property_values_at`]).
///
/// # Errors
/// As [`select`].
fn few_candidates<'a>(
    ix: &'a ExecutionIndex,
    plan: &Plan,
    extra: &[&str],
    pool: &[usize],
) -> Result<Option<(Matcher<'a>, Vec<usize>)>> {
    let mut wanted = Vec::new();
    plan.properties(&mut wanted);
    wanted.extend(extra.iter().map(|s| s.to_string()));
    if wanted.iter().all(|n| ix.loaded_property_column(n).is_some()) {
        return Ok(None);
    }
    let cheap = Matcher::with_plan(ix, plan.without_columns(), &[])?;
    let few: Vec<usize> = pool.iter().copied().filter(|&p| cheap.matches(p)).collect();
    if few.len() > ix.len() / FEW {
        return Ok(None);
    }
    let mut props = HashMap::new();
    for name in wanted {
        let col = match ix.loaded_property_column(&name) {
            Some(col) => col,
            None => match ix.property_values_at(&name, &few)? {
                Some(values) => std::sync::Arc::new(values),
                None => return Ok(None),
            },
        };
        props.insert(name, col);
    }
    let arts = if plan.uses_artifacts() { Some(ix.artifact_texts()?) } else { None };
    let links = if plan.uses_links() { Some(ix.link_counts()?) } else { None };
    Ok(Some((Matcher { ix, plan: plan.clone(), props, arts, links }, few)))
}

/// Makes the start order of `ix` (see [`start_range`]) now rather than on first use.
pub(crate) fn prepare_start_order(ix: &ExecutionIndex) {
    start_range(ix, 0, 0);
}

/// The start order's slice of the executions that started within `lo..=hi`.
fn start_range(ix: &ExecutionIndex, lo: i64, hi: i64) -> &[usize] {
    let order = ix.by_started(|| {
        let mut order: Vec<usize> =
            (0..ix.len()).filter(|&i| ix.entries()[i].started_ms.is_some()).collect();
        let by_start = Sort { key: SortKey::Started, descending: false };
        sort_positions(ix, &mut order, &by_start, &HashMap::new(), usize::MAX);
        order
    });
    let start = |i: usize| ix.entries()[i].started_ms.unwrap_or(i64::MIN);
    let a = order.partition_point(|&i| start(i) < lo);
    let b = order.partition_point(|&i| start(i) <= hi).max(a);
    &order[a..b]
}

/// The executions that started within `lo..=hi` in the order of sorting by start (ties
/// by id, in both directions), the first `needed` of them at least in order: as
/// [`select`] with its sort, without testing each execution.
fn start_slice(
    ix: &ExecutionIndex,
    lo: i64,
    hi: i64,
    descending: bool,
    needed: usize,
) -> Vec<usize> {
    let slice = start_range(ix, lo, hi);
    if !descending {
        return slice.to_vec();
    }
    // Descending by start, ascending by id among equal starts: runs of one start taken
    // from the end, each run kept in its (id) order.
    let start = |i: usize| ix.entries()[i].started_ms;
    let mut out = Vec::with_capacity(slice.len());
    let mut end = slice.len();
    while end > 0 && out.len() < needed {
        let t = start(slice[end - 1]);
        let begin = slice[..end].partition_point(|&i| start(i) < t);
        out.extend_from_slice(&slice[begin..end]);
        end = begin;
    }
    // The rest need not be in order.
    out.extend_from_slice(&slice[..end]);
    out
}

/// Sorts all of `hits` by the `sort` option (the paging shortcut of [`select`] sorts
/// only a prefix).
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown sort column; read errors.
pub(crate) fn sort_all(ix: &ExecutionIndex, hits: &mut [usize], sort: Option<&str>) -> Result<()> {
    let sort = Sort::parse(sort.unwrap_or("id"))?;
    sort_positions(ix, hits, &sort, &load_sort_column(ix, &sort)?, usize::MAX);
    Ok(())
}

/// The property column a sort reads, loaded (none for the other columns).
fn load_sort_column(
    ix: &ExecutionIndex,
    sort: &Sort,
) -> Result<HashMap<String, std::sync::Arc<Vec<PropVal>>>> {
    let mut props = HashMap::new();
    if let SortKey::Property(name) = &sort.key {
        props.insert(name.clone(), ix.property_column(name)?);
    }
    Ok(props)
}

/// Missing values sort last in either direction.
fn missing_last<T: Ord>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if desc => y.cmp(&x),
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The text a text column sorts by.
fn text_key<'a>(ix: &'a ExecutionIndex, key: &SortKey, v: &'a Entry) -> &'a str {
    match key {
        SortKey::Name => &v.name,
        SortKey::Type => ix.strings().get(v.type_short),
        SortKey::Pipeline => ix.strings().get(v.pipeline),
        SortKey::Stage => ix.strings().get(v.stage),
        SortKey::Run => ix.strings().get(v.run),
        _ => &v.commit,
    }
}

/// Sorts `hits`; only the first `needed` positions must be in order (paging), which
/// lets a page of a large result be found without sorting all of it. The order is total
/// (ties broken by id), so the prefix is the same as with a full sort.
fn sort_positions(
    ix: &ExecutionIndex,
    hits: &mut [usize],
    sort: &Sort,
    props: &HashMap<String, std::sync::Arc<Vec<PropVal>>>,
    needed: usize,
) {
    let e = |i: usize| &ix.entries()[i];
    let d = sort.descending;
    let dir = |o: Ordering| if d { o.reverse() } else { o };
    let column = match &sort.key {
        SortKey::Property(name) => props.get(name).cloned(),
        _ => None,
    };
    let cmp = |&a: &usize, &b: &usize| {
        let (x, y) = (e(a), e(b));
        let ord = match &sort.key {
            SortKey::Id => dir(x.id.cmp(&y.id)),
            SortKey::Started => missing_last(x.started_ms, y.started_ms, d),
            SortKey::Ended => missing_last(x.ended_ms, y.ended_ms, d),
            SortKey::Duration => missing_last(x.duration_ms(), y.duration_ms(), d),
            SortKey::Status => dir(x.status.cmp(&y.status)),
            SortKey::Property(_) => match column.as_deref() {
                Some(col) => match (&col[a], &col[b]) {
                    (PropVal::Missing, PropVal::Missing) => Ordering::Equal,
                    (PropVal::Missing, _) => Ordering::Greater,
                    (_, PropVal::Missing) => Ordering::Less,
                    (p, q) => dir(p.sort_cmp(q)),
                },
                None => Ordering::Equal,
            },
            _ => {
                let (p, q) = (text_key(ix, &sort.key, x), text_key(ix, &sort.key, y));
                let present = |s: &str| (!s.is_empty()).then_some(());
                match (present(p), present(q)) {
                    (Some(_), Some(_)) => dir(natural_cmp(p, q)),
                    (a, b) => missing_last(a, b, false),
                }
            }
        };
        ord.then(x.id.cmp(&y.id))
    };
    if needed == 0 {
        return;
    }
    // By id, hits gathered in index order (which is id order) need no sorting.
    if sort.key == SortKey::Id && hits.windows(2).all(|w| e(w[0]).id < e(w[1]).id) {
        if d {
            hits.reverse();
        }
        return;
    }
    if needed < hits.len() / 2 {
        hits.select_nth_unstable_by(needed - 1, cmp);
        hits[..needed].sort_unstable_by(cmp);
    } else {
        hits.sort_unstable_by(cmp);
    }
}

fn bound(b: &Option<TimeBound>, end: DayEnd) -> Result<Option<i64>> {
    match b {
        None => Ok(None),
        Some(TimeBound::Ms(ms)) => Ok(Some(*ms)),
        Some(TimeBound::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(TimeBound::Text(t)) => parse_time_ms(t, end).map(Some),
    }
}

/// One execution seen by the query evaluator.
struct Row<'a> {
    ix: &'a ExecutionIndex,
    e: &'a Entry,
    pos: usize,
    props: &'a HashMap<String, std::sync::Arc<Vec<PropVal>>>,
    arts: Option<&'a [Vec<Box<str>>]>,
    links: Option<&'a [(u32, u32)]>,
}

static MISSING: PropVal = PropVal::Missing;

impl Subject for Row<'_> {
    fn id(&self) -> i64 {
        self.e.id
    }

    fn text(&self, field: &Field) -> &str {
        let low = |id: StrId| self.ix.strings().get_lower(id);
        match field {
            Field::Name => self.ix.name_lower(self.pos),
            Field::Type => low(self.e.type_name),
            Field::Pipeline => low(self.e.pipeline),
            Field::Stage => low(self.e.stage),
            Field::Run => low(self.e.run),
            Field::Branch => low(self.e.branch),
            Field::Repo => low(self.e.repo),
            _ => "",
        }
    }

    fn interned(&self, field: &Field) -> Option<u32> {
        match field {
            Field::Type => Some(self.e.type_name),
            Field::Pipeline => Some(self.e.pipeline),
            Field::Stage => Some(self.e.stage),
            Field::Run => Some(self.e.run),
            Field::Branch => Some(self.e.branch),
            Field::Repo => Some(self.e.repo),
            _ => None,
        }
    }

    fn short_type(&self) -> &str {
        self.ix.strings().get_lower(self.e.type_short)
    }

    fn interned_short_type(&self) -> Option<u32> {
        Some(self.e.type_short)
    }

    fn status(&self) -> Status {
        self.e.status
    }

    fn started(&self) -> Option<i64> {
        self.e.started_ms
    }

    fn ended(&self) -> Option<i64> {
        self.e.ended_ms
    }

    fn duration(&self) -> Option<i64> {
        self.e.duration_ms()
    }

    fn commits(&self) -> (&str, &str) {
        (&self.e.commit, &self.e.end_commit)
    }

    fn property(&self, name: &str) -> &PropVal {
        self.props.get(name).map_or(&MISSING, |c| &c[self.pos])
    }

    fn artifacts(&self) -> &[Box<str>] {
        self.arts.map_or(&[], |a| &a[self.pos])
    }

    fn links(&self) -> (u32, u32) {
        self.links.map_or((0, 0), |l| l[self.pos])
    }

    fn position(&self) -> Option<usize> {
        Some(self.pos)
    }
}
