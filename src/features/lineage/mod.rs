//! Lineage around one execution: the artifacts it read and wrote, the executions that
//! produced its inputs (upstream) and those that consumed its outputs (downstream),
//! followed for a few hops ([`lineage`], the flat answer of `Store::lineage`); and the
//! laid-out graph a view draws, for executions, artifacts and contexts ([`graph`], with
//! its [`layout`] and its DOT / Mermaid [`render`]ings).

pub mod graph;
pub mod layout;
pub mod render;

use std::collections::{HashSet, VecDeque};

use serde::Serialize;

use crate::conventions::{event_type_label, is_input_event, is_output_event};
use crate::error::{Error, Result};
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

/// Which way a walk goes from the execution asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Towards producers of inputs.
    Up,
    /// Towards consumers of outputs.
    Down,
}

impl Direction {
    fn sign(self) -> i32 {
        if self == Direction::Up {
            -1
        } else {
            1
        }
    }

    /// Does an event of `kind` on the near execution lead this way?
    fn near(self, kind: i64) -> bool {
        if self == Direction::Up {
            is_input_event(kind)
        } else {
            is_output_event(kind)
        }
    }

    /// Does an event of `kind` on the far execution lead this way?
    fn far(self, kind: i64) -> bool {
        if self == Direction::Up {
            is_output_event(kind)
        } else {
            is_input_event(kind)
        }
    }

    /// The edge between an artifact and an execution, in data-flow direction.
    fn edge(self, artifact: &str, execution: &str) -> (String, String) {
        if self == Direction::Up {
            (artifact.to_string(), execution.to_string())
        } else {
            (execution.to_string(), artifact.to_string())
        }
    }
}

/// A breadth-first walk from one execution, both ways, bounded by depth and node count.
struct Walk<'a> {
    ix: &'a ExecutionIndex,
    max_nodes: usize,
    out: Lineage,
    seen: HashSet<String>,
    edges: HashSet<(String, String)>,
    /// (execution id, hops so far, direction)
    queue: VecDeque<(i64, u32, Direction)>,
}

/// The lineage around execution `id`, `depth` hops up and down (an execution → artifact
/// → execution step is one hop), at most `max_nodes` nodes.
///
/// # Errors
/// [`Error::NoSuchExecution`] for an unknown id; read errors.
pub(crate) fn lineage(
    ix: &ExecutionIndex,
    id: i64,
    depth: u32,
    max_nodes: usize,
) -> Result<Lineage> {
    let start = ix.position(id).ok_or(Error::NoSuchExecution(id))?;
    let mut walk = Walk {
        ix,
        max_nodes,
        out: Lineage::default(),
        seen: HashSet::new(),
        edges: HashSet::new(),
        queue: VecDeque::from([(id, 0, Direction::Up), (id, 0, Direction::Down)]),
    };
    walk.add_execution(start, 0);
    while let Some((exec, hops, dir)) = walk.queue.pop_front() {
        if hops >= depth {
            continue;
        }
        for ev in ix.db().events_of_execution(exec)? {
            if dir.near(ev.kind) {
                walk.step(exec, ev.artifact_id, ev.kind, hops, dir)?;
            }
        }
    }
    Ok(walk.out)
}

impl Walk<'_> {
    /// Adds the execution at `pos` as a node; false when the node limit is reached.
    fn add_execution(&mut self, pos: usize, depth: i32) -> bool {
        let row = self.ix.row(pos);
        let key = format!("e{}", row.id);
        if self.seen.contains(&key) {
            return true;
        }
        if self.out.nodes.len() >= self.max_nodes {
            self.out.truncated = true;
            return false;
        }
        self.seen.insert(key.clone());
        self.out.nodes.push(LineageNode {
            key,
            kind: "execution",
            id: row.id,
            name: row.name,
            type_name: row.type_name,
            status: row.status.label().into(),
            depth,
        });
        true
    }

    fn add_edge(&mut self, (from, to): (String, String), kind: i64) {
        if self.edges.insert((from.clone(), to.clone())) {
            self.out.edges.push(LineageEdge { from, to, type_name: event_type_label(kind) });
        }
    }

    /// One hop from execution `exec` through `artifact` to the executions beyond it.
    fn step(
        &mut self,
        exec: i64,
        artifact: i64,
        kind: i64,
        hops: u32,
        dir: Direction,
    ) -> Result<()> {
        let akey = format!("a{artifact}");
        let level = 2 * hops as i32;
        if !self.seen.contains(&akey) {
            if self.out.nodes.len() >= self.max_nodes {
                self.out.truncated = true;
                return Ok(());
            }
            // An event that names a missing artifact row leads nowhere.
            let Some(a) = self.ix.db().artifact(artifact)? else { return Ok(()) };
            self.seen.insert(akey.clone());
            self.out.nodes.push(LineageNode {
                key: akey.clone(),
                kind: "artifact",
                id: artifact,
                name: a.name,
                type_name: a.type_name,
                status: crate::conventions::artifact_state_label(a.state).into(),
                depth: dir.sign() * (level + 1),
            });
        }
        self.add_edge(dir.edge(&akey, &format!("e{exec}")), kind);
        for (next, k) in self.ix.db().events_of_artifact(artifact, exec)? {
            if !dir.far(k) {
                continue;
            }
            let nkey = format!("e{next}");
            if !self.seen.contains(&nkey) {
                let Some(pos) = self.ix.position(next) else { continue };
                if !self.add_execution(pos, dir.sign() * (level + 2)) {
                    continue;
                }
                self.queue.push_back((next, hops + 1, dir));
            }
            self.add_edge(dir.edge(&akey, &nkey), k);
        }
        Ok(())
    }
}
