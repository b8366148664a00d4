//! The median duration of the completed executions of each (pipeline, stage): what the
//! `long-running` alert compares with, derived once from the entries on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Entry, StrId};
use crate::model::Status;

/// Nearest-rank percentile `p` (0–100) of `sorted` values, or `None` when empty.
pub(crate) fn nearest_rank(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// Stage medians keyed by (pipeline, stage), computed once.
#[derive(Debug, Default)]
pub(crate) struct StageMedians(OnceLock<HashMap<(StrId, StrId), i64>>);

impl StageMedians {
    /// The medians of `entries` (the first call computes them).
    pub fn get(&self, entries: &[Entry]) -> &HashMap<(StrId, StrId), i64> {
        self.0.get_or_init(|| {
            let mut groups: HashMap<(StrId, StrId), Vec<i64>> = HashMap::new();
            for e in entries {
                if let (Status::Completed, Some(d)) = (e.status, e.duration_ms()) {
                    groups.entry((e.pipeline, e.stage)).or_default().push(d);
                }
            }
            groups
                .into_iter()
                .filter_map(|(k, mut v)| {
                    v.sort_unstable();
                    nearest_rank(&v, 50.0).map(|m| (k, m))
                })
                .collect()
        })
    }
}
