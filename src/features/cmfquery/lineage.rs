//! cmflib's artifact lineage questions, by artifact name: the inputs of the executions
//! that wrote an artifact (its parents), the outputs of the executions that read it (its
//! children), one hop or all the way (`CmfQuery.get_one_hop_parent_artifacts`,
//! `get_one_hop_child_artifacts`, `get_all_parent_artifacts`, `get_all_child_artifacts`).
//!
//! Rows are in cmflib's order: one hop by artifact id; all the way in the order cmflib's
//! recursion concatenates them (each one-hop frame followed by the whole lineage of each
//! of its rows, depth first) with repeats dropped (`drop_duplicates(keep="first")`).
//! cmflib recomputes a shared ancestor once per path to it; here each artifact's lineage
//! is computed once, and a cycle (which sends cmflib into endless recursion) stops.

use std::collections::{HashMap, HashSet};

use super::rows::{artifact_row, frame, CmfFrame};
use super::{artifact_named, by_id};
use crate::conventions::cmf_events;
use crate::db::{NodeKind, NodeRecord, Order, Pick};
use crate::error::Result;
use crate::index::ExecutionIndex;

/// Which way lineage goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Towards the inputs of the executions that wrote the artifact.
    Parents,
    /// Towards the outputs of the executions that read the artifact.
    Children,
}

/// The artifact ids one hop from artifact `id` (ascending, unique): for parents, the INPUT
/// artifacts of the executions with an OUTPUT event on it; for children, the reverse.
fn one_hop_ids(ix: &ExecutionIndex, id: i64, dir: Direction) -> Result<Vec<i64>> {
    let (via, to) = match dir {
        Direction::Parents => (cmf_events::OUTPUT, cmf_events::INPUT),
        Direction::Children => (cmf_events::INPUT, cmf_events::OUTPUT),
    };
    let db = ix.db();
    let executions: Vec<i64> = db
        .events_of(&[id], false)?
        .into_iter()
        .filter(|e| e.kind == via)
        .map(|e| e.execution_id)
        .collect();
    if executions.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = db
        .events_of(&executions, true)?
        .into_iter()
        .filter(|e| e.kind == to)
        .map(|e| e.artifact_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The artifacts one hop from the artifact named `name` (empty when there is none).
///
/// # Errors
/// Read errors.
pub(crate) fn one_hop(ix: &ExecutionIndex, name: &str, dir: Direction) -> Result<CmfFrame> {
    let Some(id) = artifact_named(ix, name)? else { return Ok(CmfFrame::default()) };
    let ids = one_hop_ids(ix, id, dir)?;
    let artifacts = ix.db().nodes(NodeKind::Artifact, Pick::Ids(&ids), Order::Id)?;
    Ok(frame(artifacts.iter().map(|a| artifact_row(a, None)).collect()))
}

/// The artifacts any number of hops from the artifact named `name`, in cmflib's order.
///
/// # Errors
/// Read errors.
pub(crate) fn all(ix: &ExecutionIndex, name: &str, dir: Direction) -> Result<CmfFrame> {
    let mut walk =
        Walk { ix, dir, nodes: HashMap::new(), done: HashMap::new(), open: HashSet::new() };
    let ids = walk.lineage(name)?;
    let rows =
        ids.iter().filter_map(|id| walk.nodes.get(id)).map(|a| artifact_row(a, None)).collect();
    Ok(frame(rows))
}

/// One walk of [`all`]: the artifacts read so far, each artifact's finished lineage, and
/// the artifacts whose lineage is being computed (to stop on a cycle).
struct Walk<'a> {
    ix: &'a ExecutionIndex,
    dir: Direction,
    nodes: HashMap<i64, NodeRecord>,
    done: HashMap<i64, Vec<i64>>,
    open: HashSet<i64>,
}

impl Walk<'_> {
    /// cmflib's `get_all_*_artifacts(name)` as ids: the one-hop ids, then the lineage of
    /// each (by its name, as cmflib recurses), repeats dropped.
    fn lineage(&mut self, name: &str) -> Result<Vec<i64>> {
        let Some(id) = artifact_named(self.ix, name)? else { return Ok(Vec::new()) };
        if let Some(done) = self.done.get(&id) {
            return Ok(done.clone());
        }
        if !self.open.insert(id) {
            return Ok(Vec::new());
        }
        let hop = one_hop_ids(self.ix, id, self.dir)?;
        let missing: Vec<i64> =
            hop.iter().copied().filter(|i| !self.nodes.contains_key(i)).collect();
        let read = self.ix.db().nodes(NodeKind::Artifact, Pick::Ids(&missing), Order::Id)?;
        self.nodes.extend(by_id(read));
        let hop: Vec<i64> = hop.into_iter().filter(|i| self.nodes.contains_key(i)).collect();
        let mut seq = hop.clone();
        for child in &hop {
            let child_name = self.nodes[child].name.clone().unwrap_or_default();
            seq.extend(self.lineage(&child_name)?);
        }
        let mut seen = HashSet::new();
        seq.retain(|i| seen.insert(*i));
        self.open.remove(&id);
        self.done.insert(id, seq.clone());
        Ok(seq)
    }
}
