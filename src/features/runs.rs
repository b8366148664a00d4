//! Pipeline runs (TFX `pipeline_run`, KFP `system.PipelineRun` contexts): what each run's
//! executions add up to, and two to five runs compared stage by stage.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::features::compare::{MAX_COMPARE, MIN_COMPARE};
use crate::index::ExecutionIndex;
use crate::model::{time_pair, RunInfo, Status, Value};
use crate::text::natural_cmp;

/// Every run that has executions, newest first (by start; runs with no start last;
/// ties by context id, highest first).
pub(crate) fn runs(ix: &ExecutionIndex) -> Vec<RunInfo> {
    // Plain vectors and the index's own map type keep the wasm small.
    let mut at: HashMap<i64, usize> = HashMap::new();
    let mut accs: Vec<Acc> = Vec::new();
    for e in ix.entries() {
        let Some(id) = e.run_context else { continue };
        let i = *at.entry(id).or_insert_with(|| {
            accs.push(Acc { id, name: e.run, ..Acc::default() });
            accs.len() - 1
        });
        let acc = &mut accs[i];
        if acc.pipeline == 0 {
            acc.pipeline = e.pipeline;
        }
        acc.start = min_some(acc.start, e.started_ms);
        acc.end = max_some(acc.end, e.ended_ms);
        acc.executions += 1;
        let s = Status::ALL.iter().position(|s| *s == e.status).unwrap_or(0);
        acc.statuses[s] += 1;
    }
    // Newest first; no start sorts as the oldest.
    accs.sort_unstable_by_key(|a| std::cmp::Reverse((a.start.unwrap_or(i64::MIN), a.id)));
    accs.into_iter()
        .map(|a| {
            let (start, start_ms) = time_pair(a.start);
            let (end, end_ms) = time_pair(a.end);
            let status_counts: BTreeMap<String, usize> = Status::ALL
                .iter()
                .zip(a.statuses)
                .filter(|(_, n)| *n > 0)
                .map(|(s, n)| (s.label().to_string(), n))
                .collect();
            RunInfo {
                id: a.id,
                name: ix.strings().get(a.name).to_string(),
                pipeline: ix.strings().get(a.pipeline).to_string(),
                start,
                start_ms,
                end,
                end_ms,
                executions: a.executions,
                status_counts,
            }
        })
        .collect()
}

/// A run's totals while they are added up.
#[derive(Default)]
struct Acc {
    id: i64,
    name: u32,
    pipeline: u32,
    start: Option<i64>,
    end: Option<i64>,
    executions: usize,
    /// By [`Status::ALL`] position.
    statuses: [usize; Status::ALL.len()],
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// Two to five runs side by side, stage by stage (see [`crate::Store::compare_runs`]).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RunComparison {
    /// The runs, in the order asked.
    pub runs: Vec<RunInfo>,
    /// One row per stage (TFX node; the execution type where no stage is recorded, or
    /// where the runs share no stage name), in the order the stages first started.
    pub stages: Vec<RunStage>,
}

/// One stage across the compared runs.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RunStage {
    /// The stage's name (`Trainer`).
    pub stage: String,
    /// Per run, in the order of `runs`: the stage's execution in that run (its last, when
    /// it ran more than once), or null when the run has none.
    pub cells: Vec<Option<RunStageCell>>,
    /// The properties (declared and custom) whose values are not the same in every run
    /// that ran the stage, by name; a run without the property has null.
    pub differences: Vec<PropertyDifference>,
    /// True when every run ran the stage with the same status and no property differs.
    pub same: bool,
}

/// A stage's execution in one run.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RunStageCell {
    /// The execution shown (the stage's last in the run).
    pub execution_id: i64,
    /// Its display name.
    pub name: String,
    /// Its status.
    pub status: Status,
    /// Its start, UTC ISO 8601.
    pub started: Option<String>,
    /// Its duration in ms, when start and end are known.
    pub duration_ms: Option<i64>,
    /// How many executions of the stage the run has (more than one: retried or repeated).
    pub executions: usize,
}

/// A property that differs between runs.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PropertyDifference {
    /// The property's name.
    pub name: String,
    /// Its value in each run (order of `runs`); null where the run's execution lacks it
    /// or the run did not run the stage.
    pub values: Vec<Option<Value>>,
}

/// Compares the runs with context ids `ids` stage by stage.
///
/// # Errors
/// [`Error::InvalidArgument`] for fewer than 2 or more than 5 ids, repeats, or an id
/// that is not a run with executions; read errors.
pub(crate) fn compare_runs(ix: &ExecutionIndex, ids: &[i64]) -> Result<RunComparison> {
    let mut seen = ids.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if ids.len() < MIN_COMPARE || ids.len() > MAX_COMPARE || seen.len() != ids.len() {
        return Err(Error::InvalidArgument(format!(
            "compareRuns takes {MIN_COMPARE} to {MAX_COMPARE} different run ids, not {}",
            ids.len()
        )));
    }
    let all = runs(ix);
    let infos = ids
        .iter()
        .map(|&id| {
            all.iter().find(|r| r.id == id).cloned().ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "context {id} is not a pipeline run with executions (summary().runs lists them)"
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let members: Vec<(usize, usize)> = ix
        .entries()
        .iter()
        .enumerate()
        .filter_map(|(pos, e)| {
            e.run_context.and_then(|r| ids.iter().position(|&id| id == r)).map(|col| (pos, col))
        })
        .collect();
    // Stages are matched by name; where the runs share no stage name at all (a store that
    // names its node contexts per run, `Trainer.0`, `Trainer.1`), by execution type.
    let stage_of = |pos: usize| {
        let e = &ix.entries()[pos];
        match ix.strings().get(e.stage) {
            "" => e.type_name,
            _ => e.stage,
        }
    };
    // A run's stages are few: plain vectors searched in order (small wasm, no hashing).
    let mut first_run: Vec<(u32, usize)> = Vec::new();
    let mut shared = false;
    for &(pos, col) in &members {
        let key = stage_of(pos);
        match first_run.iter().find(|(k, _)| *k == key) {
            Some(&(_, c)) => shared |= c != col,
            None => first_run.push((key, col)),
        }
    }
    // Per stage: its name, first start, and per run the positions of its executions.
    let mut stages: Vec<(u32, Option<i64>, Vec<Vec<usize>>)> = Vec::new();
    for (pos, col) in members {
        let e = &ix.entries()[pos];
        let key = if shared { stage_of(pos) } else { e.type_name };
        let i = match stages.iter().position(|s| s.0 == key) {
            Some(i) => i,
            None => {
                stages.push((key, None, vec![Vec::new(); ids.len()]));
                stages.len() - 1
            }
        };
        let row = &mut stages[i];
        row.1 = min_some(row.1, e.started_ms);
        row.2[col].push(pos);
    }
    // Stages in the order they first started (unstarted last), then by name: an
    // insertion sort, the stages being few.
    let before = |a: &(u32, Option<i64>, Vec<Vec<usize>>),
                  b: &(u32, Option<i64>, Vec<Vec<usize>>)| {
        let (x, y) = (a.1.unwrap_or(i64::MAX), b.1.unwrap_or(i64::MAX));
        x < y
            || (x == y
                && natural_cmp(ix.strings().get(a.0), ix.strings().get(b.0))
                    == std::cmp::Ordering::Less)
    };
    for i in 1..stages.len() {
        let mut j = i;
        while j > 0 && before(&stages[j], &stages[j - 1]) {
            stages.swap(j, j - 1);
            j -= 1;
        }
    }
    let stages = stages
        .into_iter()
        .map(|(stage, _, per_run)| stage_row(ix, ix.strings().get(stage).to_string(), &per_run))
        .collect::<Result<Vec<_>>>()?;
    Ok(RunComparison { runs: infos, stages })
}

/// One stage's row: each run's last execution of it, and the properties that differ.
fn stage_row(ix: &ExecutionIndex, stage: String, per_run: &[Vec<usize>]) -> Result<RunStage> {
    let entries = ix.entries();
    // The last by start (then id): a retried stage shows its final attempt.
    let chosen: Vec<Option<usize>> = per_run
        .iter()
        .map(|ps| ps.iter().copied().max_by_key(|&p| (entries[p].started_ms, entries[p].id)))
        .collect();
    let cells: Vec<Option<RunStageCell>> = chosen
        .iter()
        .zip(per_run)
        .map(|(c, ps)| {
            c.map(|p| {
                let e = &entries[p];
                RunStageCell {
                    execution_id: e.id,
                    name: e.name.to_string(),
                    status: e.status,
                    started: time_pair(e.started_ms).0,
                    duration_ms: e.duration_ms(),
                    executions: ps.len(),
                }
            })
        })
        .collect();
    let props = chosen
        .iter()
        .map(|c| c.map(|p| ix.db().execution_properties(entries[p].id)).transpose())
        .collect::<Result<Vec<_>>>()?;
    // Every property name once, in natural order (inserted in place: they are few).
    let mut names: Vec<&String> = Vec::new();
    for name in
        props.iter().flatten().flat_map(|p| p.properties.keys().chain(p.custom_properties.keys()))
    {
        let at = names.iter().position(|n| natural_cmp(n, name) != std::cmp::Ordering::Less);
        match at {
            Some(i) if names[i] == name => {}
            Some(i) => names.insert(i, name),
            None => names.push(name),
        }
    }
    let ran: Vec<_> = props.iter().flatten().collect();
    let differences: Vec<PropertyDifference> = names
        .into_iter()
        .filter(|name| {
            let first = ran.first().and_then(|p| p.get(name));
            ran.iter().any(|p| p.get(name) != first)
        })
        .map(|name| PropertyDifference {
            name: name.clone(),
            values: props.iter().map(|p| p.as_ref().and_then(|p| p.get(name)).cloned()).collect(),
        })
        .collect();
    let statuses: Vec<Option<Status>> =
        cells.iter().map(|c| c.as_ref().map(|c| c.status)).collect();
    let same = differences.is_empty()
        && statuses.iter().all(|s| s.is_some())
        && statuses.windows(2).all(|w| w[0] == w[1]);
    Ok(RunStage { stage, cells, differences, same })
}
