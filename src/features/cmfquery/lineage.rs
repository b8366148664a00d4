//! cmflib's artifact lineage questions, by artifact name: the inputs of the executions
//! that wrote an artifact (its parents), the outputs of the executions that read it (its
//! children), one hop or all the way (`CmfQuery.get_one_hop_parent_artifacts`,
//! `get_one_hop_child_artifacts`, `get_all_parent_artifacts`, `get_all_child_artifacts`).
//!
//! Rows are in cmflib's order: one hop by artifact id; all the way in the order cmflib's
//! recursion concatenates them (each one-hop frame followed by the whole lineage of each
//! of its rows, depth first) with repeats dropped (`drop_duplicates(keep="first")`).
//! cmflib recomputes a shared ancestor once per path to it, and recurses once per hop
//! (Python's recursion limit stops it past about 1000 hops); here each artifact is
//! expanded once, without recursion, and a cycle (endless recursion in cmflib) stops.

use std::collections::{HashMap, HashSet};

use super::rows::{artifact_frame, CmfFrame};
use super::{artifact_named, by_id};
use crate::conventions::cmf_events;
use crate::db::{NodeKind, NodeRecord, Order, Pick};
use crate::error::Result;
use crate::index::{ExecutionIndex, PropVal};

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
/// With `pipeline`, only through executions whose `Pipeline_id` property reads as that
/// text (cmflib's `pipeline_id` filter of `get_one_hop_child_artifacts`).
fn one_hop_ids(
    ix: &ExecutionIndex,
    id: i64,
    dir: Direction,
    pipeline: Option<&str>,
) -> Result<Vec<i64>> {
    let (via, to) = match dir {
        Direction::Parents => (cmf_events::OUTPUT, cmf_events::INPUT),
        Direction::Children => (cmf_events::INPUT, cmf_events::OUTPUT),
    };
    let db = ix.db();
    let mut executions: Vec<i64> = db
        .events_of(&[id], false)?
        .into_iter()
        .filter(|e| e.kind == via)
        .map(|e| e.execution_id)
        .collect();
    if let Some(want) = pipeline.map(str::trim) {
        let column = ix.property_column(PIPELINE_ID)?;
        executions.retain(|e| {
            ix.position(*e).is_some_and(|p| match &column[p] {
                PropVal::Missing => false,
                v => v.text() == want,
            })
        });
    }
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

/// The execution property cmflib compares with `pipeline_id` (the pipeline context's id,
/// which cmflib also stores on each execution).
const PIPELINE_ID: &str = "Pipeline_id";

/// The artifacts one hop from the artifact named `name` (empty when there is none), only
/// through executions whose `Pipeline_id` property reads as `pipeline` when given.
///
/// # Errors
/// Read errors.
pub(crate) fn one_hop(
    ix: &ExecutionIndex,
    name: &str,
    dir: Direction,
    pipeline: Option<&str>,
) -> Result<CmfFrame> {
    let Some(id) = artifact_named(ix, name)? else { return Ok(CmfFrame::default()) };
    let ids = one_hop_ids(ix, id, dir, pipeline)?;
    let artifacts = ix.db().nodes(NodeKind::Artifact, Pick::Ids(&ids), Order::Id)?;
    Ok(artifact_frame(&artifacts))
}

/// The artifacts any number of hops from the artifact named `name`, in cmflib's order.
///
/// cmflib's answer is the one-hop list followed by the whole lineage of each of its
/// artifacts (found again by name), repeats dropped. Walking depth first, expanding each
/// artifact once — at the first place cmflib recurses into it — and keeping each
/// artifact's first appearance gives that same order in linear time and without
/// recursion (a lineage may be thousands of hops deep; an artifact met again while it is
/// being expanded, a cycle, is not expanded twice).
///
/// # Errors
/// Read errors.
pub(crate) fn all(ix: &ExecutionIndex, name: &str, dir: Direction) -> Result<CmfFrame> {
    let Some(root) = artifact_named(ix, name)? else { return Ok(CmfFrame::default()) };
    let mut nodes: HashMap<i64, NodeRecord> = HashMap::new();
    let (mut order, mut emitted, mut expanded) =
        (Vec::new(), HashSet::new(), HashSet::from([root]));
    let mut stack = vec![(expand(ix, root, dir, &mut nodes)?, 0usize)];
    emit(&stack[0].0, &mut order, &mut emitted);
    while let Some((hop, next)) = stack.last_mut() {
        let Some(&child) = hop.get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        // cmflib recurses by the row's name: the first artifact of that name.
        let name = nodes[&child].name.as_deref().unwrap_or_default();
        let Some(target) = artifact_named(ix, name)? else { continue };
        if expanded.insert(target) {
            let hop = expand(ix, target, dir, &mut nodes)?;
            emit(&hop, &mut order, &mut emitted);
            stack.push((hop, 0));
        }
    }
    Ok(artifact_frame(order.iter().map(|id| &nodes[id])))
}

/// The one-hop ids of `id` that exist, their records read into `nodes`.
fn expand(
    ix: &ExecutionIndex,
    id: i64,
    dir: Direction,
    nodes: &mut HashMap<i64, NodeRecord>,
) -> Result<Vec<i64>> {
    let hop = one_hop_ids(ix, id, dir, None)?;
    let missing: Vec<i64> = hop.iter().copied().filter(|i| !nodes.contains_key(i)).collect();
    nodes.extend(by_id(ix.db().nodes(NodeKind::Artifact, Pick::Ids(&missing), Order::Id)?));
    Ok(hop.into_iter().filter(|i| nodes.contains_key(i)).collect())
}

/// Appends the ids not emitted yet.
fn emit(ids: &[i64], order: &mut Vec<i64>, emitted: &mut HashSet<i64>) {
    order.extend(ids.iter().copied().filter(|i| emitted.insert(*i)));
}
