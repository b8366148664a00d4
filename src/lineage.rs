//! Lineage around one execution: the artifacts it read and wrote, the executions that
//! produced its inputs (upstream) and those that consumed its outputs (downstream),
//! followed for a few hops.

use serde::Serialize;

/// A node of the lineage graph.
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
