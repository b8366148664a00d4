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
    /// Lane names, `"<pipeline> / <stage>"` (or the execution type when no stage is known).
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

/// One bar before it is placed in a lane.
pub(crate) struct Bar<'a> {
    pub id: i64,
    pub lane: (&'a str, &'a str),
    pub status: Status,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub alerted: bool,
}

/// Timeline bars of the executions at `positions`: one lane per pipeline stage (the
/// execution type when no stage is known).
pub(crate) fn bars<'a>(ix: &'a ExecutionIndex, positions: &[usize]) -> Vec<Bar<'a>> {
    positions
        .iter()
        .map(|&p| {
            let e = &ix.entries()[p];
            let stage = match ix.strings().get(e.stage) {
                "" => ix.strings().get(e.type_short),
                s => s,
            };
            Bar {
                id: e.id,
                lane: (ix.strings().get(e.pipeline), stage),
                status: e.status,
                start: e.started_ms,
                end: e.ended_ms,
                alerted: false,
            }
        })
        .collect()
}

/// Builds the timeline from bars (executions without a start time are left out).
pub(crate) fn build(mut bars: Vec<Bar<'_>>) -> Timeline {
    bars.retain(|b| b.start.is_some());
    bars.sort_by_key(|b| (b.start, b.id));
    let mut lane_keys: Vec<(&str, &str)> = bars.iter().map(|b| b.lane).collect();
    lane_keys.sort_by(|a, b| natural_cmp(a.0, b.0).then(natural_cmp(a.1, b.1)));
    lane_keys.dedup();
    let mut t = Timeline {
        lanes: lane_keys
            .iter()
            .map(|(p, s)| if p.is_empty() { s.to_string() } else { format!("{p} / {s}") })
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
            lane_keys
                .binary_search_by(|k| natural_cmp(k.0, b.lane.0).then(natural_cmp(k.1, b.lane.1)))
                .unwrap_or(0) as u32,
        );
        t.alerted.push(u8::from(b.alerted));
        t.status.push(Status::ALL.iter().position(|s| *s == b.status).unwrap_or(6) as u8);
        t.min = if t.min.is_nan() { start } else { t.min.min(start) };
        let last = if end.is_nan() { start } else { end.max(start) };
        t.max = if t.max.is_nan() { last } else { t.max.max(last) };
    }
    t
}
