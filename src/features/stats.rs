//! Aggregates over a set of executions: the seed's metrics dashboard (success and
//! failure rates, durations, throughput) overall, per pipeline and per stage.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::index::ExecutionIndex;
use crate::model::Status;

/// Duration figures over the executions that have a duration.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DurationStats {
    /// Executions with a known duration.
    pub count: usize,
    /// Mean, ms.
    pub avg_ms: Option<f64>,
    /// Median (nearest rank), ms.
    pub median_ms: Option<i64>,
    /// 95th percentile (nearest rank), ms.
    pub p95_ms: Option<i64>,
    /// Shortest, ms.
    pub min_ms: Option<i64>,
    /// Longest, ms.
    pub max_ms: Option<i64>,
}

/// Counts and rates for one group of executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GroupStats {
    /// Group name (pipeline or stage; "" for the overall figures).
    pub name: String,
    /// Executions in the group.
    pub total: usize,
    /// Executions per status label (only statuses that occur).
    pub by_status: BTreeMap<String, usize>,
    /// Executions that reached an end state (Completed, Cached, Failed, Canceled).
    pub finished: usize,
    /// (Completed + Cached) / finished; null when none finished (e.g. cmflib records no state).
    pub success_rate: Option<f64>,
    /// Failed / finished; null when none finished.
    pub failure_rate: Option<f64>,
    /// Durations.
    pub duration: DurationStats,
}

/// Executions started in one time bucket.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// Bucket start, UTC ISO 8601.
    pub start: String,
    /// Bucket start, epoch ms.
    pub start_ms: i64,
    /// Executions started in it.
    pub count: usize,
}

/// The dashboard figures for a filtered set of executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Overall figures.
    #[serde(flatten)]
    pub overall: GroupStats,
    /// Mean executions per day between the first and the last start (null for < 2 starts).
    pub throughput_per_day: Option<f64>,
    /// Mean executions per hour over the same span.
    pub throughput_per_hour: Option<f64>,
    /// Executions per UTC day (days with at least one start, in time order).
    pub per_day: Vec<Bucket>,
    /// Executions per UTC hour (hours with at least one start, in time order).
    pub per_hour: Vec<Bucket>,
    /// The same figures per pipeline, by name.
    pub by_pipeline: Vec<GroupStats>,
    /// The same figures per stage, by name.
    pub by_stage: Vec<GroupStats>,
}

/// What the aggregation needs of one execution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample<'a> {
    pub pipeline: &'a str,
    pub stage: &'a str,
    pub status: Status,
    pub started_ms: Option<i64>,
    pub duration_ms: Option<i64>,
}

/// Nearest-rank percentile of sorted values (the index's, which the stage medians use).
fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    crate::index::nearest_rank(sorted, p)
}

fn group(name: &str, samples: &[Sample<'_>]) -> GroupStats {
    let mut by_status = BTreeMap::new();
    let mut durations = Vec::new();
    let (mut ok, mut failed, mut finished) = (0, 0, 0);
    for s in samples {
        *by_status.entry(s.status.label().to_string()).or_insert(0) += 1;
        if s.status.is_finished() {
            finished += 1;
        }
        match s.status {
            Status::Completed | Status::Cached => ok += 1,
            Status::Failed => failed += 1,
            _ => {}
        }
        if let Some(d) = s.duration_ms {
            durations.push(d);
        }
    }
    durations.sort_unstable();
    let rate = |n: usize| (finished > 0).then(|| n as f64 / finished as f64);
    GroupStats {
        name: name.to_string(),
        total: samples.len(),
        by_status,
        finished,
        success_rate: rate(ok),
        failure_rate: rate(failed),
        duration: DurationStats {
            count: durations.len(),
            avg_ms: (!durations.is_empty())
                .then(|| durations.iter().map(|&d| d as f64).sum::<f64>() / durations.len() as f64),
            median_ms: percentile(&durations, 50.0),
            p95_ms: percentile(&durations, 95.0),
            min_ms: durations.first().copied(),
            max_ms: durations.last().copied(),
        },
    }
}

fn buckets(starts: &[i64], width: i64) -> Vec<Bucket> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for &s in starts {
        *counts.entry(s.div_euclid(width) * width).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .map(|(start_ms, count)| Bucket {
            start: crate::time::iso_from_ms(start_ms).unwrap_or_default(),
            start_ms,
            count,
        })
        .collect()
}

fn grouped<'a>(samples: &[Sample<'a>], key: impl Fn(&Sample<'a>) -> &'a str) -> Vec<GroupStats> {
    let mut groups: BTreeMap<&str, Vec<Sample<'a>>> = BTreeMap::new();
    for s in samples {
        groups.entry(key(s)).or_default().push(*s);
    }
    groups.into_iter().map(|(name, members)| group(name, &members)).collect()
}

/// Computes the dashboard figures.
/// What the statistics need of the executions at `positions`.
pub(crate) fn samples<'a>(ix: &'a ExecutionIndex, positions: &[usize]) -> Vec<Sample<'a>> {
    positions
        .iter()
        .map(|&p| {
            let e = &ix.entries()[p];
            Sample {
                pipeline: ix.strings().get(e.pipeline),
                stage: ix.strings().get(e.stage),
                status: e.status,
                started_ms: e.started_ms,
                duration_ms: e.duration_ms(),
            }
        })
        .collect()
}

/// The dashboard figures over `samples`.
pub(crate) fn compute(samples: &[Sample<'_>]) -> Stats {
    let mut starts: Vec<i64> = samples.iter().filter_map(|s| s.started_ms).collect();
    starts.sort_unstable();
    let span_ms = match (starts.first(), starts.last()) {
        (Some(a), Some(b)) if starts.len() > 1 && b > a => Some(b.saturating_sub(*a) as f64),
        _ => None,
    };
    Stats {
        overall: group("", samples),
        throughput_per_day: span_ms.map(|s| starts.len() as f64 / (s / 86_400_000.0).max(1.0)),
        throughput_per_hour: span_ms.map(|s| starts.len() as f64 / (s / 3_600_000.0).max(1.0)),
        per_day: buckets(&starts, 86_400_000),
        per_hour: buckets(&starts, 3_600_000),
        by_pipeline: grouped(samples, |s| s.pipeline),
        by_stage: grouped(samples, |s| s.stage),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), Some(50));
        assert_eq!(percentile(&v, 95.0), Some(95));
        assert_eq!(percentile(&[7], 95.0), Some(7));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn rates_count_only_finished_executions() {
        let s = |status| Sample {
            pipeline: "p",
            stage: "s",
            status,
            started_ms: Some(0),
            duration_ms: Some(10),
        };
        let g = group(
            "",
            &[s(Status::Completed), s(Status::Failed), s(Status::Running), s(Status::Cached)],
        );
        assert_eq!(g.finished, 3);
        assert_eq!(g.success_rate, Some(2.0 / 3.0));
        assert_eq!(g.failure_rate, Some(1.0 / 3.0));
        let none = group("", &[s(Status::Unknown)]);
        assert_eq!((none.success_rate, none.failure_rate), (None, None));
    }
}
