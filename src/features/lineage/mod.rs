//! Lineage around one execution: the artifacts it read and wrote, the executions that
//! produced its inputs (upstream) and those that consumed its outputs (downstream),
//! followed for a few hops ([`lineage`], the flat answer of `Store::lineage`); and the
//! laid-out graph a view draws, for executions, artifacts and contexts ([`graph`], with
//! its [`layout`] and its DOT / Mermaid [`render`]ings).

pub mod graph;
pub mod layout;
pub mod render;

use serde::Serialize;

use crate::error::Result;
use crate::index::ExecutionIndex;

/// A node of the lineage graph.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineageNode {
    /// `"e<id>"` for an execution, `"a<id>"` for an artifact.
    pub key: String,
    /// `execution` or `artifact`.
    pub kind: &'static str,
    /// The MLMD id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Execution or artifact type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Status label (executions) or artifact state.
    pub status: String,
    /// Steps from the execution asked about (an artifact is one step away, the execution
    /// on its far side two): negative upstream, positive downstream.
    pub depth: i32,
}

/// An edge: an execution read an artifact (`artifact → execution`) or wrote one
/// (`execution → artifact`).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineageEdge {
    /// Source node key.
    pub from: String,
    /// Target node key.
    pub to: String,
    /// The event type (`INPUT`, `OUTPUT`, …).
    #[serde(rename = "type")]
    pub type_name: &'static str,
}

/// The lineage graph around one execution.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Lineage {
    /// Nodes, the execution asked about first.
    pub nodes: Vec<LineageNode>,
    /// Edges between them.
    pub edges: Vec<LineageEdge>,
    /// True when the walk stopped at the node limit before reaching the depth asked.
    pub truncated: bool,
}

/// The lineage around execution `id`, `depth` hops up and down (an execution → artifact
/// → execution step is one hop), at most `max_nodes` nodes: the walk of [`graph`] without
/// its layout, missing ends and labels (one walk, so both answers always agree).
///
/// # Errors
/// [`crate::Error::NoSuchExecution`] for an unknown id; read errors.
pub(crate) fn lineage(
    ix: &ExecutionIndex,
    id: i64,
    depth: u32,
    max_nodes: usize,
) -> Result<Lineage> {
    let walked = graph::walk_execution(ix, id, depth, max_nodes)?;
    let present = |key: &str| walked.nodes.iter().any(|n| n.key == key && n.kind != "missing");
    Ok(Lineage {
        edges: walked
            .edges
            .iter()
            .filter(|e| present(&e.from) && present(&e.to))
            .map(|e| LineageEdge { from: e.from.clone(), to: e.to.clone(), type_name: e.type_name })
            .collect(),
        nodes: walked
            .nodes
            .into_iter()
            .filter(|n| n.kind != "missing")
            .map(|n| LineageNode {
                key: n.key,
                kind: n.kind,
                id: n.id,
                name: n.name,
                type_name: n.type_full,
                status: n.status,
                depth: n.depth,
            })
            .collect(),
        truncated: walked.truncated,
    })
}
