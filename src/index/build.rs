//! Building the index: executions, their contexts and the few properties the columns
//! need are read once, and the columns derived by the conventions' rules.

use std::collections::HashMap;
use std::sync::Arc;

use super::columns::Columns;
use super::{dense_position, Entry, ExecutionIndex, Interner, PropertyCensus, RowRuns, StrId};
use crate::conventions::{self, role, ContextInfo, ROLES};
use crate::db::{Db, ExecutionRecord};
use crate::error::Result;
use crate::model::Status;

/// The columns an execution's set of contexts decides (resolved once per distinct set).
#[derive(Clone, Copy)]
struct Resolved {
    pipeline: StrId,
    stage: StrId,
    run: StrId,
    run_context: Option<i64>,
}

/// An execution as read, before its columns are derived.
struct RawExecution {
    record: ExecutionRecord,
    contexts: Vec<i64>,
    /// Per role: (rank, text) of the best property seen so far (see [`conventions::role_rank`]).
    conv: [Option<(u8, Box<str>)>; ROLES.len()],
    /// The time of the execution's latest event (see [`conventions::execution_end`]).
    last_event: Option<i64>,
}

impl RawExecution {
    fn conv(&self, role: usize) -> &str {
        self.conv[role].as_ref().map_or("", |(_, t)| t)
    }
}

impl ExecutionIndex {
    /// Reads executions, their contexts and the properties the columns need from `db` —
    /// every execution, or given `first`, the first that many by id (the rows a host shows
    /// while the whole index builds). `progress` hears the share done, from 0 to 1.
    ///
    /// # Errors
    /// [`crate::Error::Corrupt`] / [`crate::Error::Sqlite`] when the tables cannot be read.
    pub fn build(
        db: Arc<Db>,
        first: Option<usize>,
        progress: &mut dyn FnMut(f64),
    ) -> Result<ExecutionIndex> {
        let types = db.type_names()?;
        let contexts: HashMap<i64, ContextInfo> = db
            .contexts()?
            .into_iter()
            .map(|c| {
                let type_name = c.type_id.and_then(|t| types.get(&t)).cloned().unwrap_or_default();
                (c.id, ContextInfo { name: c.name, type_name })
            })
            .collect();
        let parents = db.parent_links()?;
        progress(STEPS[0]);
        let mut raw = read_executions(&db, first)?;
        progress(STEPS[1]);
        let by_id: HashMap<i64, usize> =
            raw.iter().enumerate().map(|(i, e)| (e.record.id, i)).collect();
        let first_ids = match first {
            Some(_) => raw.first().zip(raw.last()).map(|(a, b)| (a.record.id, b.record.id)),
            None => None,
        };
        db.for_each_association(first_ids, |exec, ctx| {
            if let Some(&i) = by_id.get(&exec) {
                raw[i].contexts.push(ctx);
            }
        })?;
        progress(STEPS[2]);
        let mut census = PropertyCensus::default();
        let mut runs = RowRuns::new();
        match first {
            // The first executions only: their properties through the primary key.
            Some(_) => {
                let ids = raw.first().zip(raw.last()).map(|(a, b)| (a.record.id, b.record.id));
                read_role_properties(&db, &by_id, ids, &mut raw)?;
            }
            // Every row, once: the properties the columns need, and the census of names.
            None => {
                let first_id = raw.first().map(|e| e.record.id);
                let entries = raw.len();
                db.for_each_property_row(|id, name, custom, row| {
                    census.add(name, custom, row.kinds());
                    let pos = dense_position(first_id, id, |g| raw.get(g).map(|e| e.record.id))
                        .or_else(|| by_id.get(&id).copied());
                    match (pos, row.rowid()) {
                        (Some(pos), Some(rowid)) => runs.push(rowid, pos, entries),
                        (_, None) => runs.lose(),
                        _ => {}
                    }
                    if let (Some(i), Some((role, rank))) =
                        (pos, conventions::role_rank(name, custom))
                    {
                        keep_role(&mut raw[i], role, rank, || row.value().as_text());
                    }
                })?;
            }
        }
        // The latest event of each execution, in one grouped pass, when some execution has
        // no state (cmflib): its end may be later than its last update (see
        // `conventions::execution_end`); a store whose executions all have states skips it.
        let ids = match first {
            Some(_) => raw.first().zip(raw.last()).map(|(a, b)| (a.record.id, b.record.id)),
            None => None,
        };
        let stateless = raw.iter().any(|e| Status::from_state(e.record.state) == Status::Unknown);
        if stateless && (first.is_none() || ids.is_some()) {
            db.for_each_event_time(ids, |exec, ms| {
                if let Some(&i) = by_id.get(&exec) {
                    let last = &mut raw[i].last_event;
                    *last = Some(last.map_or(ms, |l| l.max(ms)));
                }
            })?;
        }
        progress(STEPS[3]);

        let flavor = conventions::flavor_of(contexts.values().map(|c| c.type_name.as_str()));
        let mut strings = Interner::new();
        // Executions of one stage share their contexts: resolve each set once.
        let mut resolved: HashMap<Vec<i64>, Resolved> = HashMap::new();
        // Collected in place: the entries reuse the raw rows' memory (no second vector).
        let mut entries: Vec<Entry> = raw
            .into_iter()
            .map(|e| {
                let found = match resolved.get(&e.contexts) {
                    Some(&r) => r,
                    None => {
                        let (p, s) =
                            conventions::resolve_contexts(&e.contexts, &contexts, &parents);
                        let run = conventions::resolve_run(&e.contexts, &contexts, &parents);
                        let r = Resolved {
                            pipeline: strings.intern(p.map_or("", |c| c.name.as_str())),
                            stage: strings.intern(s.map_or("", |c| c.name.as_str())),
                            run: strings.intern(run.map_or("", |(_, c)| c.name.as_str())),
                            run_context: run.map(|(id, _)| id),
                        };
                        resolved.insert(e.contexts.clone(), r);
                        r
                    }
                };
                let type_name =
                    e.record.type_id.and_then(|t| types.get(&t)).map_or("", String::as_str);
                derive(e, found, type_name, &mut strings)
            })
            .collect();
        entries.shrink_to_fit(); // the raw rows were larger: give back the difference
        let (mut names_lower, mut name_ends) = (String::new(), Vec::with_capacity(entries.len()));
        for e in &entries {
            // ASCII in place: a lower-cased copy per name would be 100k small frees, which
            // glibc's allocator sorts out on the first large allocation after the open
            // (≈ 5 ms, the first question's).
            if e.name.is_ascii() {
                names_lower.extend(e.name.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                names_lower.push_str(&e.name.to_lowercase());
            }
            name_ends.push(u32::try_from(names_lower.len()).unwrap_or(u32::MAX));
        }
        names_lower.shrink_to_fit();
        let columns = Columns::new(entries.len());
        let warnings = time_warnings(&entries);
        progress(1.0);
        Ok(ExecutionIndex {
            db,
            entries,
            names_lower,
            name_ends,
            strings,
            by_id,
            flavor,
            columns,
            warnings,
            census,
            medians: Default::default(),
            property_rows: if first.is_none() { runs.finish() } else { None },
        })
    }
}

/// A note about executions whose end comes before their start (their duration shows as 0).
fn time_warnings(entries: &[Entry]) -> Vec<String> {
    let backwards: Vec<i64> = entries
        .iter()
        .filter(|e| matches!((e.started_ms, e.ended_ms), (Some(s), Some(t)) if t < s))
        .map(|e| e.id)
        .collect();
    match backwards.as_slice() {
        [] => Vec::new(),
        [id] => vec![format!("execution {id} ends before it starts; its duration shows as 0 s")],
        [first, ..] => vec![format!(
            "{} executions end before they start (the first: id {first}); their durations show as 0 s",
            backwards.len()
        )],
    }
}

/// The share of the build done after each step (measured on a 100k store, wasm: reading
/// the executions and their properties is most of it).
const STEPS: [f64; 4] = [0.02, 0.3, 0.45, 0.9];

/// The executions as read, in one vector sized once (wasm memory never shrinks: its
/// high-water mark is what a store costs).
fn read_executions(db: &Db, first: Option<usize>) -> Result<Vec<RawExecution>> {
    /// A hostile count cannot reserve more than this up front.
    const MAX_HINT: usize = 4_000_000;
    let mut raw = Vec::with_capacity(
        db.execution_count().unwrap_or(0).min(first.unwrap_or(MAX_HINT)).min(MAX_HINT),
    );
    db.for_each_execution(first, |record| {
        raw.push(RawExecution {
            record,
            contexts: Vec::new(),
            conv: Default::default(),
            last_event: None,
        })
    })?;
    Ok(raw)
}

/// The properties of each role, kept by rank without building maps.
fn read_role_properties(
    db: &Db,
    by_id: &HashMap<i64, usize>,
    ids: Option<(i64, i64)>,
    raw: &mut [RawExecution],
) -> Result<()> {
    let names: Vec<&str> = ROLES.iter().flat_map(|r| r.iter().copied()).collect();
    db.for_each_execution_property(Some(&names), ids, |id, name, custom, value| {
        let Some(&i) = by_id.get(&id) else { return };
        let Some((role, rank)) = conventions::role_rank(name, custom) else { return };
        keep_role(&mut raw[i], role, rank, || value.as_text());
    })
}

/// Keeps a role's property when it outranks the one seen so far (the text is made only
/// then) and is not blank.
fn keep_role<T: AsRef<str>>(e: &mut RawExecution, role: usize, rank: u8, text: impl FnOnce() -> T) {
    let slot = &mut e.conv[role];
    if slot.as_ref().is_some_and(|(best, _)| *best <= rank) {
        return;
    }
    let text = text();
    let text = text.as_ref().trim();
    if !text.is_empty() {
        *slot = Some((rank, text.into()));
    }
}

/// The derived columns of one execution.
fn derive(e: RawExecution, found: Resolved, type_name: &str, strings: &mut Interner) -> Entry {
    let (pipeline_ctx, stage_ctx) = (found.pipeline, found.stage);
    let pipeline = match strings.get(pipeline_ctx) {
        "" => strings.intern(e.conv(role::PIPELINE)),
        _ => pipeline_ctx,
    };
    let stage_context = match strings.get(stage_ctx) {
        "" => strings.intern(e.conv(role::STAGE)),
        _ => stage_ctx,
    };
    let stage_name =
        conventions::stage_from_context(strings.get(stage_context), strings.get(pipeline));
    let stage = strings.intern(&stage_name);
    let r = &e.record;
    let status = Status::from_state(r.state);
    let started_ms = e
        .conv(role::ORIGINAL_CREATE)
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && f.abs() < 9.2e18)
        .map(|f| f as i64)
        .or(r.created);
    // A finished execution ended at its last update; one with no state (cmflib) at the
    // later of its last update and its latest event (see `conventions::execution_end`).
    let (ended_ms, end_source) = conventions::execution_end(status, r.updated, e.last_event);
    let name = conventions::display_name(
        r.name.as_deref(),
        &stage_name,
        e.conv(role::UUID),
        type_name,
        r.id,
    );
    Entry {
        id: r.id,
        name: name.into(),
        type_name: strings.intern(type_name),
        type_short: strings.intern(conventions::short_type_name(type_name)),
        pipeline,
        stage,
        stage_context,
        run: found.run,
        run_context: found.run_context,
        branch: strings.intern(e.conv(role::BRANCH)),
        repo: strings.intern(e.conv(role::REPO)),
        state: r.state,
        status,
        started_ms,
        ended_ms,
        end_source,
        commit: e.conv(role::COMMIT).into(),
        end_commit: e.conv(role::END_COMMIT).into(),
        contexts: e.contexts.into_boxed_slice(),
    }
}
