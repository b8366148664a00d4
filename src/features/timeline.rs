//! Data for the timeline (a Gantt of executions): columnar and ready to draw.

use serde::Serialize;

use crate::index::ExecutionIndex;
use crate::model::Status;
use crate::text::natural_cmp;

/// Executions as bars: parallel arrays, one entry per execution, in start order.
///
/// `lane[i]` indexes `lanes` (one lane per pipeline stage), `status[i]` indexes
/// [`Status::ALL`]; `end[i]` is `NaN` (JSON `null`) for executions that have not ended.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// Lane names, `"<pipeline> / <stage>"` (or the execution type when no stage is known);
    /// grouped by run, `"<run> / <stage>"`.
    pub lanes: Vec<String>,
    /// Status labels, indexed by `status`.
    pub statuses: Vec<&'static str>,
    /// Execution ids.
    #[cfg_attr(test, ts(type = "Float64Array"))]
    pub ids: Vec<f64>,
    /// Start times, epoch ms.
    #[cfg_attr(test, ts(type = "Float64Array"))]
    pub start: Vec<f64>,
    /// End times, epoch ms (`NaN` when not ended).
    #[cfg_attr(test, ts(type = "Float64Array"))]
    pub end: Vec<f64>,
    /// Lane of each bar.
    #[cfg_attr(test, ts(type = "Uint32Array"))]
    pub lane: Vec<u32>,
    /// Status of each bar (index into `statuses`).
    #[cfg_attr(test, ts(type = "Uint8Array"))]
    pub status: Vec<u8>,
    /// 1 where an alert of the query's `alerts` flags the bar's execution, else 0.
    #[cfg_attr(test, ts(type = "Uint8Array"))]
    pub alerted: Vec<u8>,
    /// Earliest start, epoch ms (`NaN` when empty).
    pub min: f64,
    /// Latest start or end, epoch ms (`NaN` when empty).
    pub max: f64,
}

/// How the timeline's lanes are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// One lane per pipeline stage.
    #[default]
    Stage,
    /// One lane per run and stage, runs in the order they started (executions without a
    /// run keep their pipeline's lanes, after the runs).
    Run,
}

impl GroupBy {
    /// Reads the `groupBy` option (`stage`, `run`; none is `stage`).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] naming the choices for any other text.
    ///
    /// ```
    /// use mlmd_lens::features::timeline::GroupBy;
    /// assert_eq!(GroupBy::parse(Some("run")).unwrap(), GroupBy::Run);
    /// assert_eq!(GroupBy::parse(None).unwrap(), GroupBy::Stage);
    /// assert!(GroupBy::parse(Some("day")).is_err());
    /// ```
    pub fn parse(text: Option<&str>) -> crate::Result<GroupBy> {
        match text.map(str::trim).unwrap_or("") {
            "" | "stage" => Ok(GroupBy::Stage),
            "run" => Ok(GroupBy::Run),
            other => Err(crate::Error::InvalidArgument(format!(
                "cannot group the timeline by {other:?}: use stage or run"
            ))),
        }
    }
}

/// One bar before it is placed in a lane.
pub(crate) struct Bar<'a> {
    pub id: i64,
    /// Lanes sort by rank first (a run's start when grouped by run), then by name.
    pub rank: i64,
    pub lane: (&'a str, &'a str),
    pub status: Status,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub alerted: bool,
}

/// Timeline bars of the executions at `positions`: one lane per pipeline stage (the
/// execution type when no stage is known), or per run and stage.
pub(crate) fn bars<'a>(
    ix: &'a ExecutionIndex,
    positions: &[usize],
    group: GroupBy,
) -> Vec<Bar<'a>> {
    // A run's rank is its earliest start among all its executions (not only the
    // filtered ones), so that its lanes keep their place as filters change.
    // (the index's own map type, and a vector of starts: small wasm).
    let mut run_at: std::collections::HashMap<i64, usize> = Default::default();
    let mut run_start: Vec<i64> = Vec::new();
    if group == GroupBy::Run {
        for e in ix.entries() {
            if let Some(r) = e.run_context {
                let i = *run_at.entry(r).or_insert_with(|| {
                    run_start.push(i64::MAX - 1);
                    run_start.len() - 1
                });
                run_start[i] = run_start[i].min(e.started_ms.unwrap_or(i64::MAX - 1));
            }
        }
    }
    positions
        .iter()
        .map(|&p| {
            let e = &ix.entries()[p];
            let stage = match ix.strings().get(e.stage) {
                "" => ix.strings().get(e.type_short),
                s => s,
            };
            let (rank, group_name) = match (group, e.run_context) {
                (GroupBy::Run, Some(r)) => (
                    run_at.get(&r).map_or(i64::MAX - 1, |&i| run_start[i]),
                    ix.strings().get(e.run),
                ),
                (GroupBy::Run, None) => (i64::MAX, ix.strings().get(e.pipeline)),
                (GroupBy::Stage, _) => (0, ix.strings().get(e.pipeline)),
            };
            Bar {
                id: e.id,
                rank,
                lane: (group_name, stage),
                status: e.status,
                start: e.started_ms,
                end: e.ended_ms,
                alerted: false,
            }
        })
        .collect()
}

/// Builds the timeline from bars (executions without a start time are left out).
///
/// Lanes are in rank order, then by name; with `by_start`, lanes of the same rank (a
/// run's stages) are in the order they first started instead (lanes without a run keep
/// the name order).
pub(crate) fn build(mut bars: Vec<Bar<'_>>, by_start: bool) -> Timeline {
    bars.retain(|b| b.start.is_some());
    bars.sort_by_key(|b| (b.start, b.id));
    let order = |a: &(i64, &str, &str), b: &(i64, &str, &str)| {
        a.0.cmp(&b.0).then(natural_cmp(a.1, b.1)).then(natural_cmp(a.2, b.2))
    };
    let mut lane_keys: Vec<(i64, &str, &str)> =
        bars.iter().map(|b| (b.rank, b.lane.0, b.lane.1)).collect();
    lane_keys.sort_by(order);
    lane_keys.dedup();
    let mut t = Timeline {
        lanes: lane_keys
            .iter()
            .map(|(_, p, s)| if p.is_empty() { s.to_string() } else { format!("{p} / {s}") })
            .collect(),
        statuses: Status::ALL.iter().map(|s| s.label()).collect(),
        min: f64::NAN,
        max: f64::NAN,
        ..Default::default()
    };
    for b in &bars {
        let start = b.start.unwrap_or_default() as f64;
        let end = b.end.map_or(f64::NAN, |e| e as f64);
        t.ids.push(b.id as f64);
        t.start.push(start);
        t.end.push(end);
        t.lane.push(
            lane_keys.binary_search_by(|k| order(k, &(b.rank, b.lane.0, b.lane.1))).unwrap_or(0)
                as u32,
        );
        t.alerted.push(u8::from(b.alerted));
        t.status.push(Status::ALL.iter().position(|s| *s == b.status).unwrap_or(6) as u8);
        t.min = if t.min.is_nan() { start } else { t.min.min(start) };
        let last = if end.is_nan() { start } else { end.max(start) };
        t.max = if t.max.is_nan() { last } else { t.max.max(last) };
    }
    if by_start {
        // `lane_keys` is in rank order, so a rank's lanes are contiguous; bars are in start
        // order, so the first bar met of a lane is its first start. Each rank's lanes are
        // placed in the order their first bars come (no sort: small wasm); lanes without
        // a run (rank `i64::MAX`) keep their place, the pipeline / stage order.
        let n = lane_keys.len();
        let mut group_start = vec![0usize; n];
        for l in 1..n {
            group_start[l] =
                if lane_keys[l].0 == lane_keys[l - 1].0 { group_start[l - 1] } else { l };
        }
        let mut next = group_start.clone();
        let mut new_at = vec![u32::MAX; n];
        for &l in &t.lane {
            let l = l as usize;
            if new_at[l] != u32::MAX {
                continue;
            }
            if lane_keys[l].0 == i64::MAX {
                new_at[l] = l as u32;
            } else {
                let g = group_start[l];
                new_at[l] = next[g] as u32;
                next[g] += 1;
            }
        }
        let mut lanes = vec![String::new(); n];
        for (old, name) in t.lanes.drain(..).enumerate() {
            lanes[new_at[old] as usize] = name;
        }
        t.lanes = lanes;
        for l in &mut t.lane {
            *l = new_at[*l as usize];
        }
    }
    t
}
