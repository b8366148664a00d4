//! The execution index: every execution's derived columns, built once when a store is
//! opened, so that filtering, sorting and paging never go back to SQL.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::{params_from_iter, Connection};

use crate::cmf::{self, keys};
use crate::error::{Error, Result};
use crate::filter::{given, AlertRules, ExecutionQuery, Sort, SortKey, TimeBound};
use crate::model::{time_pair, ExecutionRow, Status};
use crate::query::eval::{compile, Plan, PropVal, Subject};
use crate::query::Field;
use crate::schema::Schema;
use crate::stats::{median, Sample};
use crate::store::{int_of, placeholders, sorted_distinct, text_of, value_at};
use crate::time::{parse_time_ms, DayEnd};

/// Deepest `ParentContext` chain followed (guards against cycles in a damaged file).
const MAX_CONTEXT_DEPTH: usize = 32;

/// Strings shared by many rows (types, pipelines, stages, branches), stored once.
#[derive(Debug, Default)]
struct Interner {
    strings: Vec<String>,
    lower: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    fn new() -> Self {
        let mut i = Interner::default();
        i.intern(""); // id 0 is the empty string
        i
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.lower.push(s.to_lowercase());
        self.ids.insert(s.to_string(), id);
        id
    }

    fn get(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }

    fn get_lower(&self, id: u32) -> &str {
        &self.lower[id as usize]
    }
}

/// One execution's derived columns, compactly.
#[derive(Debug)]
pub(crate) struct Entry {
    pub id: i64,
    pub name: Box<str>,
    pub name_lower: Box<str>,
    pub type_name: u32,
    pub pipeline: u32,
    pub stage: u32,
    pub stage_context: u32,
    pub branch: u32,
    pub repo: u32,
    pub state: Option<i64>,
    pub status: Status,
    pub started_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    pub commit: Box<str>,
    pub end_commit: Box<str>,
    /// Associated context ids (Association has no index on execution_id).
    pub contexts: Box<[i64]>,
}

impl Entry {
    fn duration_ms(&self) -> Option<i64> {
        match (self.started_ms, self.ended_ms) {
            (Some(s), Some(e)) => Some(e.saturating_sub(s).max(0)),
            _ => None,
        }
    }
}

/// Every execution of a store, in id order, with its derived columns.
#[derive(Debug)]
pub(crate) struct ExecutionIndex {
    entries: Vec<Entry>,
    strings: Interner,
    by_id: HashMap<i64, usize>,
    flavor: &'static str,
    /// Property columns loaded on first use by a query or sort, aligned with `entries`.
    properties: RefCell<HashMap<String, Rc<Vec<PropVal>>>>,
    /// Lower-cased input/output artifact names and URIs per entry, loaded on first use.
    artifacts: OnceCell<Vec<Vec<Box<str>>>>,
    /// Median duration of completed executions per (pipeline, stage), computed on first use.
    medians: OnceCell<Rc<HashMap<(u32, u32), i64>>>,
}

/// An execution as read, before its columns are derived.
struct RawExecution {
    id: i64,
    type_id: Option<i64>,
    state: Option<i64>,
    name: Option<String>,
    created: Option<i64>,
    updated: Option<i64>,
    contexts: Vec<i64>,
    /// Per role: (priority rank, text) of the best property seen so far.
    conv: [Option<(u8, Box<str>)>; ROLES.len()],
}

/// The execution properties the index reads, by role; earlier names win.
const ROLES: [&[&str]; 8] = [
    &keys::COMMIT,
    &keys::BRANCH,
    &keys::UUID,
    &keys::PIPELINE,
    &keys::STAGE,
    &keys::ORIGINAL_CREATE,
    &keys::REPO,
    &keys::END_COMMIT,
];
const COMMIT: usize = 0;
const BRANCH: usize = 1;
const UUID: usize = 2;
const PIPELINE: usize = 3;
const STAGE: usize = 4;
const ORIGINAL_CREATE: usize = 5;
const REPO: usize = 6;
const END_COMMIT: usize = 7;

/// (role, alias position) of a property name.
fn role_of(name: &str) -> Option<(usize, usize)> {
    ROLES
        .iter()
        .enumerate()
        .find_map(|(role, names)| names.iter().position(|n| *n == name).map(|a| (role, a)))
}

struct ContextInfo {
    name: String,
    type_name: String,
}

impl ExecutionIndex {
    /// Reads executions, their contexts and the properties the columns need.
    pub fn build(conn: &Connection, schema: &Schema) -> rusqlite::Result<ExecutionIndex> {
        let mut types: HashMap<i64, String> = HashMap::new();
        {
            let mut st = conn.prepare("SELECT id, name FROM Type")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                types.insert(r.get(0)?, text_of(r, 1).unwrap_or_default());
            }
        }
        let mut contexts: HashMap<i64, ContextInfo> = HashMap::new();
        {
            let mut st = conn.prepare("SELECT id, name, type_id FROM Context")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let type_name =
                    int_of(r, 2).and_then(|t| types.get(&t)).cloned().unwrap_or_default();
                contexts.insert(
                    r.get(0)?,
                    ContextInfo { name: text_of(r, 1).unwrap_or_default(), type_name },
                );
            }
        }
        let mut parents: HashMap<i64, i64> = HashMap::new();
        if schema.has_table("ParentContext") {
            let mut st = conn.prepare(
                "SELECT context_id, parent_context_id FROM ParentContext ORDER BY context_id, parent_context_id",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                parents.entry(r.get(0)?).or_insert(r.get(1)?);
            }
        }

        // 1. The executions themselves, in id order.
        let mut raw: Vec<RawExecution> = Vec::new();
        {
            let sql = format!(
                "SELECT e.id, e.type_id, {}, {}, {}, {} FROM Execution e ORDER BY e.id",
                schema.col("e", "Execution", "last_known_state"),
                schema.col("e", "Execution", "name"),
                schema.col("e", "Execution", "create_time_since_epoch"),
                schema.col("e", "Execution", "last_update_time_since_epoch"),
            );
            let mut st = conn.prepare(&sql)?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                raw.push(RawExecution {
                    id: r.get(0)?,
                    type_id: int_of(r, 1),
                    state: int_of(r, 2),
                    name: text_of(r, 3),
                    created: int_of(r, 4),
                    updated: int_of(r, 5),
                    contexts: Vec::new(),
                    conv: Default::default(),
                });
            }
        }
        let by_id: HashMap<i64, usize> = raw.iter().enumerate().map(|(i, e)| (e.id, i)).collect();

        // 2. Their contexts.
        {
            let mut st = conn.prepare(
                "SELECT execution_id, context_id FROM Association ORDER BY execution_id, context_id",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = by_id.get(&r.get(0)?) {
                    raw[i].contexts.push(r.get(1)?);
                }
            }
        }

        // 3. The few properties the columns need, kept by priority without building maps.
        {
            let names: Vec<&str> = ROLES.iter().flat_map(|r| r.iter().copied()).collect();
            let sql = format!(
                "SELECT p.execution_id, p.name, p.is_custom_property, {} FROM ExecutionProperty p WHERE p.name IN ({})",
                schema.value_columns("p", "ExecutionProperty"),
                placeholders(1, names.len())
            );
            let mut st = conn.prepare(&sql)?;
            let mut rows = st.query(params_from_iter(names.iter()))?;
            while let Some(r) = rows.next()? {
                let Some(&i) = by_id.get(&r.get(0)?) else { continue };
                let Some(name) = r.get_ref(1)?.as_str().ok() else { continue };
                let Some((role, alias)) = role_of(name) else { continue };
                let rank = (alias * 2 + usize::from(int_of(r, 2).unwrap_or(0) != 0)) as u8;
                let slot = &mut raw[i].conv[role];
                if slot.as_ref().is_some_and(|(best, _)| *best <= rank) {
                    continue;
                }
                let text = value_at(r, 3).as_text();
                let text = text.trim();
                if !text.is_empty() {
                    *slot = Some((rank, text.into()));
                }
            }
        }

        // 4. Derived columns. Executions of one stage share their contexts: resolve once.
        let flavor = flavor_of(contexts.values().map(|c| c.type_name.as_str()));
        let mut strings = Interner::new();
        let mut resolved: HashMap<Vec<i64>, (u32, u32)> = HashMap::new();
        let mut entries = Vec::with_capacity(raw.len());
        for e in raw {
            let (pipeline_ctx, stage_ctx) = match resolved.get(&e.contexts) {
                Some(&ids) => ids,
                None => {
                    let (p, s) = resolve_contexts(&e.contexts, &contexts, &parents);
                    let ids = (
                        strings.intern(p.map_or("", |c| c.name.as_str())),
                        strings.intern(s.map_or("", |c| c.name.as_str())),
                    );
                    resolved.insert(e.contexts.clone(), ids);
                    ids
                }
            };
            let conv = |role: usize| e.conv[role].as_ref().map_or("", |(_, t)| &**t);
            let pipeline = match strings.get(pipeline_ctx) {
                "" => strings.intern(conv(PIPELINE)),
                _ => pipeline_ctx,
            };
            let stage_context = match strings.get(stage_ctx) {
                "" => strings.intern(conv(STAGE)),
                _ => stage_ctx,
            };
            let stage_name =
                cmf::stage_from_context(strings.get(stage_context), strings.get(pipeline));
            let stage = strings.intern(&stage_name);
            let type_name = e.type_id.and_then(|t| types.get(&t)).map_or("", String::as_str);
            let status = Status::from_state(e.state);
            let started_ms = e.conv[ORIGINAL_CREATE]
                .as_ref()
                .and_then(|(_, t)| t.parse::<f64>().ok())
                .filter(|f| f.is_finite())
                .map(|f| f as i64)
                .or(e.created);
            // A finished execution ended at its last update. cmflib records no state at all;
            // its last update moves as artifacts are logged, so it is the end we have.
            let ended_ms =
                if status.is_finished() || status == Status::Unknown { e.updated } else { None };
            let name =
                cmf::display_name(e.name.as_deref(), &stage_name, conv(UUID), type_name, e.id);
            entries.push(Entry {
                id: e.id,
                name_lower: name.to_lowercase().into(),
                name: name.into(),
                type_name: strings.intern(type_name),
                pipeline,
                stage,
                stage_context,
                branch: strings.intern(conv(BRANCH)),
                repo: strings.intern(conv(REPO)),
                state: e.state,
                status,
                started_ms,
                ended_ms,
                commit: conv(COMMIT).into(),
                end_commit: conv(END_COMMIT).into(),
                contexts: e.contexts.clone().into_boxed_slice(),
            });
        }
        Ok(ExecutionIndex {
            entries,
            strings,
            by_id,
            flavor,
            properties: RefCell::new(HashMap::new()),
            artifacts: OnceCell::new(),
            medians: OnceCell::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn flavor(&self) -> &'static str {
        self.flavor
    }

    pub fn position(&self, id: i64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// Sorted distinct non-empty values of one interned column.
    pub fn distinct(&self, column: impl Fn(&Entry) -> u32) -> Vec<String> {
        let mut seen = vec![false; self.strings.strings.len()];
        for e in &self.entries {
            seen[column(e) as usize] = true;
        }
        sorted_distinct(
            seen.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| self.strings.get(i as u32)),
        )
    }

    /// The table row of the entry at `pos`.
    pub fn row(&self, pos: usize) -> ExecutionRow {
        let e = &self.entries[pos];
        let (started, started_ms) = time_pair(e.started_ms);
        let (ended, ended_ms) = time_pair(e.ended_ms);
        ExecutionRow {
            id: e.id,
            name: e.name.to_string(),
            type_name: self.strings.get(e.type_name).to_string(),
            pipeline: self.strings.get(e.pipeline).to_string(),
            stage: self.strings.get(e.stage).to_string(),
            status: e.status,
            state: e.state,
            started,
            started_ms,
            ended,
            ended_ms,
            duration_ms: e.duration_ms(),
            git_commit: e.commit.to_string(),
            git_commit_short: cmf::short_commit(&e.commit),
            alerts: Vec::new(),
        }
    }

    /// Positions of the entries matching `q`, in its sort order.
    pub fn select(
        &self,
        conn: &Connection,
        schema: &Schema,
        q: &ExecutionQuery,
    ) -> Result<Vec<usize>> {
        let plan = match given(&q.query) {
            Some(text) => {
                compile(&crate::query::parse(text)?, q.now)?.specialize(&self.strings.lower)
            }
            None => Plan::All,
        };
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
        let mut wanted = Vec::new();
        plan.properties(&mut wanted);
        if let SortKey::Property(name) = &sort.key {
            wanted.push(name.clone());
        }
        for name in &wanted {
            self.load_property(conn, schema, name).map_err(crate::store::read_error)?;
        }
        if plan.uses_artifacts() {
            self.load_artifacts(conn).map_err(crate::store::read_error)?;
        }
        let props = self.properties.borrow();
        let arts = self.artifacts.get().map(Vec::as_slice);
        // Structured filters compare interned values: decide once per distinct string.
        let set = |want: Option<&str>| -> Option<Vec<bool>> {
            want.map(|w| self.strings.strings.iter().map(|t| t.eq_ignore_ascii_case(w)).collect())
        };
        let (pipeline, stage, type_name, branch) = (
            set(given(&q.pipeline)),
            set(given(&q.stage)),
            set(given(&q.type_name)),
            set(given(&q.branch)),
        );
        let ok = |set: &Option<Vec<bool>>, id: u32| set.as_ref().is_none_or(|s| s[id as usize]);
        let mut hits: Vec<usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                ok(&pipeline, e.pipeline)
                    && (ok(&stage, e.stage) || ok(&stage, e.stage_context))
                    && ok(&type_name, e.type_name)
                    && ok(&branch, e.branch)
                    && status.is_none_or(|st| e.status == st)
                    && from.is_none_or(|f| e.started_ms.is_some_and(|t| t >= f))
                    && to.is_none_or(|f| e.started_ms.is_some_and(|t| t <= f))
            })
            .filter(|&(pos, e)| plan.matches(&Row { ix: self, e, pos, props: &props, arts }))
            .map(|(i, _)| i)
            .collect();
        self.sort(
            &mut hits,
            &sort,
            &props,
            q.offset.unwrap_or(0).saturating_add(q.limit.unwrap_or(usize::MAX)),
        );
        Ok(hits)
    }

    /// What the statistics need of the entries at `positions`.
    pub fn samples(&self, positions: &[usize]) -> Vec<Sample<'_>> {
        positions
            .iter()
            .map(|&p| {
                let e = &self.entries[p];
                Sample {
                    pipeline: self.strings.get(e.pipeline),
                    stage: self.strings.get(e.stage),
                    status: e.status,
                    started_ms: e.started_ms,
                    duration_ms: e.duration_ms(),
                }
            })
            .collect()
    }

    /// Timeline bars of the entries at `positions`.
    pub fn bars(&self, positions: &[usize]) -> Vec<crate::timeline::Bar<'_>> {
        positions
            .iter()
            .map(|&p| {
                let e = &self.entries[p];
                let stage = match self.strings.get(e.stage) {
                    "" => self.strings.get(e.type_name),
                    s => s,
                };
                crate::timeline::Bar {
                    id: e.id,
                    lane: (self.strings.get(e.pipeline), stage),
                    status: e.status,
                    start: e.started_ms,
                    end: e.ended_ms,
                }
            })
            .collect()
    }

    /// The alert flags of the entries at `positions` under `rules`.
    pub fn alerts(
        &self,
        conn: &Connection,
        schema: &Schema,
        positions: &[usize],
        rules: &AlertRules,
        now: Option<i64>,
    ) -> Result<Vec<Vec<String>>> {
        let mut plans = Vec::new();
        for rule in &rules.rules {
            let plan =
                crate::query::parse(rule).and_then(|e| compile(&e, now)).map_err(|e| match e {
                    Error::Query { position, message } => Error::Query {
                        position,
                        message: format!("in alert rule '{rule}': {message}"),
                    },
                    other => other,
                })?;
            let mut wanted = Vec::new();
            plan.properties(&mut wanted);
            for name in &wanted {
                self.load_property(conn, schema, name).map_err(crate::store::read_error)?;
            }
            if plan.uses_artifacts() {
                self.load_artifacts(conn).map_err(crate::store::read_error)?;
            }
            plans.push((rule.trim().to_string(), plan));
        }
        let medians =
            if rules.long_running_factor.is_some() { self.stage_medians() } else { Rc::default() };
        let props = self.properties.borrow();
        let arts = self.artifacts.get().map(Vec::as_slice);
        Ok(positions
            .iter()
            .map(|&pos| {
                let e = &self.entries[pos];
                let mut flags = Vec::new();
                if rules.failed && e.status == Status::Failed {
                    flags.push("failed".to_string());
                }
                // A running execution has run until now; a finished one for its duration.
                let ran = e.duration_ms().or_else(|| match (e.status, e.started_ms, now) {
                    (Status::Running, Some(s), Some(n)) => Some((n - s).max(0)),
                    _ => None,
                });
                let over_limit = rules.long_running_ms.is_some_and(|l| ran.is_some_and(|r| r > l));
                let over_median = rules.long_running_factor.is_some_and(|k| {
                    let m = medians.get(&(e.pipeline, e.stage)).copied();
                    matches!((ran, m), (Some(r), Some(m)) if (r as f64) > k * m as f64)
                });
                if over_limit || over_median {
                    flags.push("long-running".to_string());
                }
                let row = Row { ix: self, e, pos, props: &props, arts };
                flags.extend(plans.iter().filter(|(_, p)| p.matches(&row)).map(|(t, _)| t.clone()));
                flags
            })
            .collect())
    }

    /// Median duration of the completed executions of each (pipeline, stage).
    fn stage_medians(&self) -> Rc<HashMap<(u32, u32), i64>> {
        self.medians.get_or_init(|| Rc::new(self.compute_stage_medians())).clone()
    }

    fn compute_stage_medians(&self) -> HashMap<(u32, u32), i64> {
        let mut groups: HashMap<(u32, u32), Vec<i64>> = HashMap::new();
        for e in &self.entries {
            if let (Status::Completed, Some(d)) = (e.status, e.duration_ms()) {
                groups.entry((e.pipeline, e.stage)).or_default().push(d);
            }
        }
        groups.into_iter().filter_map(|(k, mut v)| median(&mut v).map(|m| (k, m))).collect()
    }

    /// The column of property `name`, loading it if needed.
    pub fn property_column(
        &self,
        conn: &Connection,
        schema: &Schema,
        name: &str,
    ) -> Result<Rc<Vec<PropVal>>> {
        self.load_property(conn, schema, name).map_err(crate::store::read_error)?;
        Ok(self.properties.borrow().get(name).cloned().unwrap_or_default())
    }

    /// Sorts all of `hits` by the `sort` option (the paging shortcut of `select` sorts
    /// only a prefix).
    pub fn sort_all(
        &self,
        conn: &Connection,
        schema: &Schema,
        hits: &mut [usize],
        sort: Option<&str>,
    ) -> Result<()> {
        let sort = Sort::parse(sort.unwrap_or("id"))?;
        if let SortKey::Property(name) = &sort.key {
            self.load_property(conn, schema, name).map_err(crate::store::read_error)?;
        }
        let props = self.properties.borrow();
        self.sort(hits, &sort, &props, usize::MAX);
        Ok(())
    }

    /// Loads the column of property `name` (declared wins over custom) unless loaded.
    fn load_property(
        &self,
        conn: &Connection,
        schema: &Schema,
        name: &str,
    ) -> rusqlite::Result<()> {
        if self.properties.borrow().contains_key(name) {
            return Ok(());
        }
        let mut column = vec![PropVal::Missing; self.entries.len()];
        let mut declared = vec![false; self.entries.len()];
        let sql = format!(
            "SELECT p.execution_id, p.is_custom_property, {} FROM ExecutionProperty p WHERE p.name = ?1",
            schema.value_columns("p", "ExecutionProperty")
        );
        let mut st = conn.prepare(&sql)?;
        let mut rows = st.query([name])?;
        while let Some(r) = rows.next()? {
            let Some(&pos) = self.by_id.get(&r.get(0)?) else { continue };
            let custom = int_of(r, 1).unwrap_or(0) != 0;
            if custom && declared[pos] {
                continue;
            }
            let v = PropVal::from_value(&value_at(r, 2));
            if v != PropVal::Missing || !custom {
                column[pos] = v;
                declared[pos] = !custom;
            }
        }
        self.properties.borrow_mut().insert(name.to_string(), Rc::new(column));
        Ok(())
    }

    /// Loads the artifact names and URIs of every execution unless loaded.
    fn load_artifacts(&self, conn: &Connection) -> rusqlite::Result<()> {
        if self.artifacts.get().is_some() {
            return Ok(());
        }
        let mut lists: Vec<Vec<Box<str>>> = vec![Vec::new(); self.entries.len()];
        let mut st = conn.prepare(
            "SELECT ev.execution_id, a.name, a.uri FROM Event ev JOIN Artifact a ON a.id = ev.artifact_id \
             WHERE ev.type BETWEEN 1 AND 7 ORDER BY ev.execution_id, ev.id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&pos) = self.by_id.get(&r.get(0)?) else { continue };
            for i in [1, 2] {
                if let Some(t) = text_of(r, i).filter(|t| !t.is_empty()) {
                    lists[pos].push(t.to_lowercase().into());
                }
            }
        }
        let _ = self.artifacts.set(lists);
        Ok(())
    }

    /// Sorts `hits`; only the first `needed` positions must be in order (paging), which
    /// lets a page of a large result be found without sorting all of it. The order is total
    /// (ties broken by id), so the prefix is the same as with a full sort.
    fn sort(
        &self,
        hits: &mut [usize],
        sort: &Sort,
        props: &HashMap<String, Rc<Vec<PropVal>>>,
        needed: usize,
    ) {
        use std::cmp::Ordering;
        let e = |i: usize| &self.entries[i];
        // Missing values sort last in either direction; ties keep id order.
        fn opt<T: Ord>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
            match (a, b) {
                (Some(x), Some(y)) => {
                    if desc {
                        y.cmp(&x)
                    } else {
                        x.cmp(&y)
                    }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        let d = sort.descending;
        let dir = |o: Ordering| if d { o.reverse() } else { o };
        fn text_key<'a>(ix: &'a ExecutionIndex, key: &SortKey, v: &'a Entry) -> &'a str {
            match key {
                SortKey::Name => &v.name,
                SortKey::Type => ix.strings.get(v.type_name),
                SortKey::Pipeline => ix.strings.get(v.pipeline),
                SortKey::Stage => ix.strings.get(v.stage),
                _ => &v.commit,
            }
        }
        let column = match &sort.key {
            SortKey::Property(name) => props.get(name).cloned(),
            _ => None,
        };
        let cmp = |&a: &usize, &b: &usize| {
            let (x, y) = (e(a), e(b));
            let ord = match &sort.key {
                SortKey::Id => dir(x.id.cmp(&y.id)),
                SortKey::Started => opt(x.started_ms, y.started_ms, d),
                SortKey::Ended => opt(x.ended_ms, y.ended_ms, d),
                SortKey::Duration => opt(x.duration_ms(), y.duration_ms(), d),
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
                    let (p, q) = (text_key(self, &sort.key, x), text_key(self, &sort.key, y));
                    match (p.is_empty(), q.is_empty()) {
                        (false, false) => dir(natural_cmp(p, q)),
                        (true, true) => Ordering::Equal,
                        (true, false) => Ordering::Greater,
                        (false, true) => Ordering::Less,
                    }
                }
            };
            ord.then(x.id.cmp(&y.id))
        };
        if needed == 0 {
            return;
        }
        if needed < hits.len() / 2 {
            hits.select_nth_unstable_by(needed - 1, cmp);
            hits[..needed].sort_unstable_by(cmp);
        } else {
            hits.sort_unstable_by(cmp);
        }
    }
}

/// One execution seen by the query evaluator.
struct Row<'a> {
    ix: &'a ExecutionIndex,
    e: &'a Entry,
    pos: usize,
    props: &'a HashMap<String, Rc<Vec<PropVal>>>,
    arts: Option<&'a [Vec<Box<str>>]>,
}

static MISSING: PropVal = PropVal::Missing;

impl Subject for Row<'_> {
    fn id(&self) -> i64 {
        self.e.id
    }

    fn text(&self, field: &Field) -> &str {
        let low = |id: u32| self.ix.strings.get_lower(id);
        match field {
            Field::Name => &self.e.name_lower,
            Field::Type => low(self.e.type_name),
            Field::Pipeline => low(self.e.pipeline),
            Field::Stage => low(self.e.stage),
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
            Field::Branch => Some(self.e.branch),
            Field::Repo => Some(self.e.repo),
            _ => None,
        }
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
}

/// Case-insensitive comparison where runs of digits compare as numbers (`run-9` < `run-10`).
pub(crate) fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..nx], &y[..ny]);
                let tx = trim_zeros(dx);
                let ty = trim_zeros(dy);
                let ord = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(p), Some(q)) => {
                let ord = p.to_ascii_lowercase().cmp(&q.to_ascii_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    &d[n.min(d.len().saturating_sub(1))..]
}

fn bound(b: &Option<TimeBound>, end: DayEnd) -> Result<Option<i64>> {
    match b {
        None => Ok(None),
        Some(TimeBound::Ms(ms)) => Ok(Some(*ms)),
        Some(TimeBound::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(TimeBound::Text(t)) => parse_time_ms(t, end).map(Some),
    }
}

/// The pipeline context and the stage context of an execution, from its associations.
fn resolve_contexts<'a>(
    ctxs: &[i64],
    contexts: &'a HashMap<i64, ContextInfo>,
    parents: &HashMap<i64, i64>,
) -> (Option<&'a ContextInfo>, Option<&'a ContextInfo>) {
    let of_type = |types: &[&str]| {
        ctxs.iter().filter_map(|c| contexts.get(c)).find(|c| types.contains(&c.type_name.as_str()))
    };
    let stage = of_type(&cmf::STAGE_CONTEXT_TYPES);
    let stage_id = ctxs.iter().copied().find(|c| {
        contexts.get(c).is_some_and(|i| cmf::STAGE_CONTEXT_TYPES.contains(&i.type_name.as_str()))
    });
    // Walk up from a context: the first pipeline-typed ancestor, else the root.
    let ancestor = |start: i64| -> Option<&'a ContextInfo> {
        let mut cur = start;
        let mut root = None;
        for _ in 0..MAX_CONTEXT_DEPTH {
            let Some(&p) = parents.get(&cur) else { break };
            let info = contexts.get(&p)?;
            if cmf::PIPELINE_CONTEXT_TYPES.contains(&info.type_name.as_str()) {
                return Some(info);
            }
            root = Some(info);
            cur = p;
        }
        root
    };
    let pipeline = of_type(&cmf::PIPELINE_CONTEXT_TYPES)
        .or_else(|| stage_id.and_then(ancestor))
        .or_else(|| ctxs.iter().find_map(|&c| ancestor(c)));
    (pipeline, stage)
}

/// What wrote the store, from the context types it uses.
fn flavor_of<'a>(mut types: impl Iterator<Item = &'a str>) -> &'static str {
    let mut flavor = "mlmd";
    for t in types.by_ref() {
        match t {
            "Parent_Context" | "Pipeline_Stage" => return "cmf",
            "system.Pipeline" | "system.PipelineRun" => flavor = "kfp",
            "pipeline" | "node" | "pipeline_run" if flavor == "mlmd" => flavor = "tfx",
            _ => {}
        }
    }
    flavor
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        assert_eq!(natural_cmp("run-9", "run-10"), Ordering::Less);
        assert_eq!(natural_cmp("Train", "evaluate"), Ordering::Greater);
        assert_eq!(natural_cmp("a01", "a1"), a01_vs_a1());
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
    }

    fn a01_vs_a1() -> Ordering {
        // Equal numerically; falls back to the byte order for a total order.
        "a01".cmp("a1")
    }

    #[test]
    fn flavor_is_told_by_context_types() {
        assert_eq!(flavor_of(["pipeline", "node"].into_iter()), "tfx");
        assert_eq!(flavor_of(["Parent_Context"].into_iter()), "cmf");
        assert_eq!(flavor_of(["system.PipelineRun"].into_iter()), "kfp");
        assert_eq!(flavor_of(std::iter::empty()), "mlmd");
    }
}
