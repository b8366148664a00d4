//! The lineage graph a view draws: around an execution or an artifact (both ways, a few
//! hops, a node limit with `hidden` counts and expanders), or a context's pipeline
//! lineage (its stages and the artifacts that flow between them), laid out left → right
//! by [`super::layout`].
//!
//! The walk reads events in bulk (one statement per hop), so a graph of a few hundred
//! nodes costs a handful of queries. Hostile stores give a graph, never an error: an event
//! that names an absent row becomes a `missing` node, cycles are drawn with their back
//! edges reversed by the layout, and every loop is bounded by the node limit.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::layout::{self, LayoutEdge};
use crate::conventions::{artifact_state_label, event_type_label, is_input_event, is_output_event};
use crate::db::{EventLink, NodeKind, NodeRecord, Order, Pick};
use crate::error::{Error, Result};
use crate::index::ExecutionIndex;
use crate::model::Status;

/// The deepest walk asked for is clamped to this many hops (each way).
pub const MAX_DEPTH: u32 = 50;
/// The most nodes a graph may hold, expansions included.
pub const MAX_GRAPH_NODES: usize = 5000;
/// Labels longer than this many characters are cut with `…` (in `label`).
pub const MAX_LABEL_CHARS: usize = 32;

/// What to draw: how far to walk, how many nodes at most, which nodes to open further.
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct LineageOptions {
    /// Hops each way, counted in executions: depth 1 is the execution, its artifacts and
    /// the executions on their far side (default 2, at most [`MAX_DEPTH`]).
    pub depth: u32,
    /// The most nodes drawn by the walk (default 150, at most [`MAX_GRAPH_NODES`]).
    pub max_nodes: usize,
    /// Keys of nodes whose hidden neighbours are added (one hop each, in this order).
    pub expand: Vec<String>,
}

impl Default for LineageOptions {
    fn default() -> Self {
        LineageOptions { depth: 2, max_nodes: 150, expand: Vec::new() }
    }
}

/// A node of a [`LineageGraph`], with its place in the layout.
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineageGraphNode {
    /// `e<id>` execution, `a<id>` artifact, `s<n>` stage, `me<id>` / `ma<id>` an
    /// execution / artifact that events name but the store does not hold.
    pub key: String,
    /// `execution`, `artifact`, `stage` or `missing`.
    pub kind: &'static str,
    /// The MLMD id (a stage's: its number `n`).
    pub id: i64,
    /// Display name (never empty).
    pub name: String,
    /// `name` cut to [`MAX_LABEL_CHARS`] characters with `…`: what the layout made room for.
    pub label: String,
    /// Short type name (`Trainer` for `tfx.components.trainer.component.Trainer`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// The full type name.
    pub type_full: String,
    /// Execution status label, artifact state, `missing`, or `""` (stages).
    pub status: String,
    /// Signed steps from the root (an artifact is one step from its execution):
    /// negative upstream, positive downstream, 0 for the root and for stages.
    pub depth: i32,
    /// The layout's layer (column), 0 on the left.
    pub layer: u32,
    /// Left edge, px.
    pub x: f64,
    /// Top edge, px.
    pub y: f64,
    /// Box width, px: room for `label`, the short type and a stage's [`count_line`] at
    /// [`layout::CHAR_WIDTH`] px a character (12 px sans-serif) plus 24 px padding.
    pub width: f64,
    /// Box height, px.
    pub height: f64,
    /// Neighbours not drawn (cut by the depth or the node limit): `expand` adds them.
    pub hidden: usize,
    /// Stages only: how many executions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executions: Option<usize>,
    /// Stages only: executions per status label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_counts: Option<BTreeMap<String, usize>>,
}

/// An edge of a [`LineageGraph`] in data-flow direction (artifact → execution for a read,
/// execution → artifact for a write, stage → stage for artifacts passed on).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineageGraphEdge {
    /// Source node key.
    pub from: String,
    /// Target node key.
    pub to: String,
    /// The event type (`INPUT`, `OUTPUT`, `INTERNAL_INPUT`, `PENDING_OUTPUT`, …); stage
    /// edges are `OUTPUT` (what one stage wrote and the other read).
    #[serde(rename = "type")]
    pub type_name: &'static str,
    /// `""` for plain `INPUT` / `OUTPUT`, else the event type and its path key
    /// (`PENDING_OUTPUT (model)`).
    pub label: String,
    /// Events behind the edge; for stage edges, distinct artifacts.
    pub count: usize,
    /// True for an edge drawn against the layers to break a cycle: its points then run
    /// from the source's left side to the target's right side.
    pub reversed: bool,
    /// The polyline, from the source's right side to the target's left side.
    pub points: Vec<[f64; 2]>,
}

/// The lineage graph around one root, laid out.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineageGraph {
    /// The root's key (`e12`, `a5`, `c3`).
    pub root: String,
    /// `execution`, `artifact` or `context`.
    pub kind: &'static str,
    /// The depth walked (after clamping).
    pub depth: u32,
    /// True when the node limit cut the walk.
    pub truncated: bool,
    /// Layout width, px.
    pub width: f64,
    /// Layout height, px.
    pub height: f64,
    /// Nodes, the root first (stages in name order).
    pub nodes: Vec<LineageGraphNode>,
    /// Edges, in the order of their source node, then target node, then event type.
    pub edges: Vec<LineageGraphEdge>,
}

/// A parsed root or node key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Exec(i64),
    Art(i64),
    MissingExec(i64),
    MissingArt(i64),
}

impl Key {
    fn text(self) -> String {
        match self {
            Key::Exec(id) => format!("e{id}"),
            Key::Art(id) => format!("a{id}"),
            Key::MissingExec(id) => format!("me{id}"),
            Key::MissingArt(id) => format!("ma{id}"),
        }
    }

    /// One integer per key (ids are within ±2^53, so four kinds fit in an i64): the walk
    /// keys its maps by it, which keeps the wasm small (the index's `HashMap<i64, usize>`).
    fn code(self) -> i64 {
        let (id, tag) = match self {
            Key::Exec(id) => (id, 0),
            Key::Art(id) => (id, 1),
            Key::MissingExec(id) => (id, 2),
            Key::MissingArt(id) => (id, 3),
        };
        id.wrapping_mul(4).wrapping_add(tag)
    }

    fn is_present(self) -> bool {
        matches!(self, Key::Exec(_) | Key::Art(_))
    }
}

/// What a root key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Node(Key),
    Context(i64),
}

/// Parses `e12`, `a5`, `c3` or `12` (an execution); `me…`/`ma…` only when `missing_ok`.
fn parse_key(text: &str, missing_ok: bool) -> Result<Root> {
    let bad = || {
        Error::InvalidArgument(format!(
            "'{}' is not a lineage node: use e<id> for an execution, a<id> for an artifact, \
             c<id> for a context (pipeline, stage, run), or a plain execution id",
            text.chars().take(40).collect::<String>()
        ))
    };
    let t = text.trim();
    let Some(i) = t.find(|c: char| c.is_ascii_digit() || c == '-') else { return Err(bad()) };
    let (prefix, digits) = t.split_at(i);
    let id: i64 = digits.parse().map_err(|_| bad())?;
    Ok(match prefix {
        "" | "e" | "E" => Root::Node(Key::Exec(id)),
        "a" | "A" => Root::Node(Key::Art(id)),
        "c" | "C" => Root::Context(id),
        "me" if missing_ok => Root::Node(Key::MissingExec(id)),
        "ma" if missing_ok => Root::Node(Key::MissingArt(id)),
        _ => return Err(bad()),
    })
}

/// Which way a walk goes from a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    /// Towards producers.
    Up,
    /// Towards consumers.
    Down,
    /// The root: both.
    Both,
}

/// A drawn node before layout.
struct Drawn {
    key: Key,
    depth: i32,
    dir: Dir,
}

/// `Walk::artifacts` value of an id with no row.
const ABSENT: usize = usize::MAX;

/// The walk's state: nodes in the order they were reached.
struct Walk<'a> {
    ix: &'a ExecutionIndex,
    nodes: Vec<Drawn>,
    /// [`Key::code`] → index in `nodes`.
    index_of: HashMap<i64, usize>,
    /// Artifact id → index in `rows` ([`ABSENT`]: no such row).
    artifacts: HashMap<i64, usize>,
    rows: Vec<NodeRecord>,
    truncated: bool,
}

/// The lineage graph of `root` (see [`LineageGraph`]).
///
/// # Errors
/// [`Error::InvalidArgument`] for a malformed root or expand key;
/// [`Error::NoSuchExecution`], [`Error::NoSuchArtifact`], [`Error::NoSuchContext`] for a
/// root the store does not hold; read errors.
pub(crate) fn lineage_graph(
    ix: &ExecutionIndex,
    root: &str,
    options: &LineageOptions,
) -> Result<LineageGraph> {
    let depth = options.depth.min(MAX_DEPTH);
    let max_nodes = options.max_nodes.clamp(1, MAX_GRAPH_NODES);
    let key = match parse_key(root, false)? {
        Root::Context(id) => return pipeline_graph(ix, id, max_nodes),
        Root::Node(key) => key,
    };
    let kind = if matches!(key, Key::Art(_)) { "artifact" } else { "execution" };
    let w = walked(ix, key, depth, max_nodes, &options.expand)?;
    Ok(laid_out(key.text(), kind, depth, w.truncated, w.nodes, w.edges, &w.ends))
}

/// The nodes and edges of a walk, before layout.
pub(crate) struct Walked {
    /// The nodes, the root first.
    pub nodes: Vec<LineageGraphNode>,
    /// The edges among them.
    pub edges: Vec<LineageGraphEdge>,
    /// Each edge's node indices.
    ends: Vec<(usize, usize)>,
    /// True when the node limit cut the walk.
    pub truncated: bool,
}

/// The walk from execution `id`, unlaid (what `Store::lineage` answers from).
///
/// # Errors
/// [`Error::NoSuchExecution`]; read errors.
pub(crate) fn walk_execution(
    ix: &ExecutionIndex,
    id: i64,
    depth: u32,
    max_nodes: usize,
) -> Result<Walked> {
    walked(ix, Key::Exec(id), depth, max_nodes.max(1), &[])
}

/// Walks from `key` (`depth` hops each way, at most `max_nodes` nodes), then expands.
fn walked(
    ix: &ExecutionIndex,
    key: Key,
    depth: u32,
    max_nodes: usize,
    expand: &[String],
) -> Result<Walked> {
    let mut walk = Walk {
        ix,
        nodes: Vec::new(),
        index_of: HashMap::new(),
        artifacts: HashMap::new(),
        rows: Vec::new(),
        truncated: false,
    };
    let steps = match key {
        Key::Art(id) => {
            walk.read_artifacts(&[id])?;
            if walk.art_key(id) != key {
                return Err(Error::NoSuchArtifact(id));
            }
            (2 * depth).saturating_sub(1)
        }
        Key::Exec(id) | Key::MissingExec(id) | Key::MissingArt(id) => {
            ix.position(id).ok_or(Error::NoSuchExecution(id))?;
            2 * depth
        }
    };
    walk.add(key, 0, Dir::Both);
    walk.walk(steps, max_nodes)?;
    for text in expand {
        if let Root::Node(k) = parse_key(text, true)? {
            walk.expand(k, max_nodes)?;
        }
    }
    let (nodes, edges, ends) = walk.finish()?;
    Ok(Walked { nodes, edges, ends, truncated: walk.truncated })
}

/// An edge being gathered: node indices, event type, events, the first event's id.
struct EdgeAcc {
    from: usize,
    to: usize,
    kind: i64,
    count: usize,
    first_event: i64,
}

impl Walk<'_> {
    fn add(&mut self, key: Key, depth: i32, dir: Dir) -> usize {
        let next = self.nodes.len();
        let i = *self.index_of.entry(key.code()).or_insert(next);
        if i == next {
            self.nodes.push(Drawn { key, depth, dir });
        }
        i
    }

    fn drawn(&self, key: Key) -> Option<usize> {
        self.index_of.get(&key.code()).copied()
    }

    /// Reads the artifact rows of `ids` not read yet (absent ones are remembered too).
    fn read_artifacts(&mut self, ids: &[i64]) -> Result<()> {
        let mut want = Vec::new();
        for &id in ids {
            if let std::collections::hash_map::Entry::Vacant(v) = self.artifacts.entry(id) {
                v.insert(ABSENT);
                want.push(id);
            }
        }
        if want.is_empty() {
            return Ok(());
        }
        for a in self.ix.db().bare_nodes(NodeKind::Artifact, Pick::Ids(&want), Order::Id)? {
            self.artifacts.insert(a.id, self.rows.len());
            self.rows.push(a);
        }
        Ok(())
    }

    /// The key of artifact `id`: missing when its row was read and is absent.
    fn art_key(&self, id: i64) -> Key {
        match self.artifacts.get(&id) {
            Some(&ABSENT) => Key::MissingArt(id),
            _ => Key::Art(id),
        }
    }

    /// The key of execution `id`: missing when the store has no such row.
    fn exec_key(&self, id: i64) -> Key {
        if self.ix.position(id).is_some() {
            Key::Exec(id)
        } else {
            Key::MissingExec(id)
        }
    }

    /// The events of these nodes: the executions' (by id), then the artifacts' whose
    /// execution is not among them (so no event comes twice).
    fn events(&self, nodes: &[usize]) -> Result<Vec<EventLink>> {
        let (mut execs, mut arts) = (Vec::new(), Vec::new());
        for &i in nodes {
            match self.nodes[i].key {
                Key::Exec(id) => execs.push(id),
                Key::Art(id) => arts.push(id),
                _ => {}
            }
        }
        let mut out = Vec::new();
        if !execs.is_empty() {
            out = self.ix.db().events_of(&execs, true)?;
        }
        if !arts.is_empty() {
            let mut queried = vec![false; self.nodes.len()];
            for &i in nodes {
                queried[i] = true;
            }
            let listed = |e: i64| self.drawn(Key::Exec(e)).is_some_and(|i| queried[i]);
            let from_arts = self.ix.db().events_of(&arts, false)?;
            out.extend(from_arts.into_iter().filter(|ev| !listed(ev.execution_id)));
        }
        Ok(out)
    }

    /// Does `ev` lead from node `key` going `dir`? `Some(true)` upstream, `Some(false)` down.
    fn leads(key: Key, kind: i64, dir: Dir) -> Option<bool> {
        let (up, down) = match key {
            Key::Exec(_) => (is_input_event(kind), is_output_event(kind)),
            Key::Art(_) => (is_output_event(kind), is_input_event(kind)),
            _ => return None,
        };
        match dir {
            Dir::Up if up => Some(true),
            Dir::Down if down => Some(false),
            Dir::Both if up || down => Some(up),
            _ => None,
        }
    }

    /// Breadth-first from the root, `steps` steps each way, at most `max_nodes` nodes.
    fn walk(&mut self, steps: u32, max_nodes: usize) -> Result<()> {
        let mut frontier = vec![0usize];
        for _ in 0..steps {
            if frontier.is_empty() {
                break;
            }
            let events = self.events(&frontier)?;
            self.read_artifacts(&events.iter().map(|e| e.artifact_id).collect::<Vec<_>>())?;
            let mut on_frontier = vec![false; self.nodes.len()];
            for &i in &frontier {
                on_frontier[i] = true;
            }
            let mut next = Vec::new();
            for ev in &events {
                for (near, far) in [
                    (Key::Exec(ev.execution_id), self.art_key(ev.artifact_id)),
                    (Key::Art(ev.artifact_id), self.exec_key(ev.execution_id)),
                ] {
                    let Some(i) = self.drawn(near).filter(|&i| on_frontier.get(i) == Some(&true))
                    else {
                        continue;
                    };
                    let Some(up) = Self::leads(near, ev.kind, self.nodes[i].dir) else { continue };
                    if self.drawn(far).is_some() {
                        continue;
                    }
                    if self.nodes.len() >= max_nodes {
                        self.truncated = true;
                        continue;
                    }
                    let depth = self.nodes[i].depth + if up { -1 } else { 1 };
                    let j = self.add(far, depth, if up { Dir::Up } else { Dir::Down });
                    if far.is_present() {
                        next.push(j);
                    }
                }
            }
            frontier = next;
        }
        Ok(())
    }

    /// Adds the neighbours of `key` not drawn yet (at most `max_nodes` of them).
    fn expand(&mut self, key: Key, max_nodes: usize) -> Result<()> {
        let Some(i) = self.drawn(key).filter(|_| key.is_present()) else { return Ok(()) };
        let events = self.events(&[i])?;
        self.read_artifacts(&events.iter().map(|e| e.artifact_id).collect::<Vec<_>>())?;
        let mut added = 0;
        for ev in &events {
            let (far, up) = match key {
                Key::Exec(_) => (self.art_key(ev.artifact_id), !is_output_event(ev.kind)),
                _ => (self.exec_key(ev.execution_id), is_output_event(ev.kind)),
            };
            if self.drawn(far).is_some() {
                continue;
            }
            if added >= max_nodes || self.nodes.len() >= MAX_GRAPH_NODES {
                self.truncated = true;
                break;
            }
            let depth = self.nodes[i].depth + if up { -1 } else { 1 };
            self.add(far, depth, if up { Dir::Up } else { Dir::Down });
            added += 1;
        }
        Ok(())
    }

    /// The drawn nodes as graph nodes, the edges among them (with their ends' indices),
    /// and each node's hidden count.
    #[allow(clippy::type_complexity)]
    fn finish(
        &mut self,
    ) -> Result<(Vec<LineageGraphNode>, Vec<LineageGraphEdge>, Vec<(usize, usize)>)> {
        let all: Vec<usize> = (0..self.nodes.len()).collect();
        let events = self.events(&all)?;
        let mut slot_of: HashMap<i64, usize> = HashMap::new();
        let mut acc: Vec<EdgeAcc> = Vec::new();
        let mut hidden: Vec<Vec<i64>> = vec![Vec::new(); self.nodes.len()];
        for ev in &events {
            let (exec, art) = (self.exec_key(ev.execution_id), self.art_key(ev.artifact_id));
            match (self.drawn(exec), self.drawn(art)) {
                (Some(e), Some(a)) => {
                    let (from, to) = if is_output_event(ev.kind) { (e, a) } else { (a, e) };
                    let kind = if (1..=7).contains(&ev.kind) { ev.kind } else { 0 };
                    let code = ((from as i64 * 16_384 + to as i64) * 8) + kind;
                    let slot = *slot_of.entry(code).or_insert(acc.len());
                    if slot == acc.len() {
                        acc.push(EdgeAcc { from, to, kind, count: 0, first_event: ev.id });
                    }
                    acc[slot].count += 1;
                }
                (Some(e), None) => hidden[e].push(art.code()),
                (None, Some(a)) => hidden[a].push(exec.code()),
                (None, None) => {}
            }
        }
        let mut nodes = Vec::with_capacity(self.nodes.len());
        for (n, h) in self.nodes.iter().zip(&mut hidden) {
            h.sort_unstable();
            h.dedup();
            let (id, kind, name, type_full, status) = match n.key {
                Key::Exec(id) => {
                    let row = self.ix.row(self.ix.position(id).unwrap_or_default());
                    (id, "execution", row.name, row.type_name, row.status.label().to_string())
                }
                Key::Art(id) => {
                    let row = self.artifacts.get(&id).and_then(|&r| self.rows.get(r));
                    let name = row.and_then(|r| r.name.clone()).unwrap_or_default();
                    let type_name = row.map(|r| r.type_name.clone()).unwrap_or_default();
                    let name = if name.trim().is_empty() {
                        format!("{} #{id}", short_type(&type_name))
                    } else {
                        name
                    };
                    let state = artifact_state_label(row.and_then(|r| r.state));
                    (id, "artifact", name, type_name, state.to_string())
                }
                Key::MissingExec(id) => (
                    id,
                    "missing",
                    format!("missing execution #{id}"),
                    String::new(),
                    "missing".into(),
                ),
                Key::MissingArt(id) => (
                    id,
                    "missing",
                    format!("missing artifact #{id}"),
                    String::new(),
                    "missing".into(),
                ),
            };
            nodes.push(node(n.key.text(), kind, id, name, type_full, status, n.depth, h.len()));
        }
        // Edges in (source, target, event type) order of the nodes' indices.
        let mut codes: Vec<i64> = slot_of.keys().copied().collect();
        codes.sort_unstable();
        let mut edges = Vec::with_capacity(acc.len());
        let mut ends = Vec::with_capacity(acc.len());
        for code in codes {
            let e = &acc[slot_of[&code]];
            let type_name = event_type_label(e.kind);
            let label = if matches!(e.kind, 3 | 4) {
                String::new()
            } else {
                let path = self.ix.db().event_path(e.first_event)?.join(".");
                if path.is_empty() {
                    type_name.to_string()
                } else {
                    format!("{type_name} ({path})")
                }
            };
            let (from, to) = (self.nodes[e.from].key.text(), self.nodes[e.to].key.text());
            edges.push(plain_edge(from, to, type_name, label, e.count));
            ends.push((e.from, e.to));
        }
        Ok((nodes, edges, ends))
    }
}

/// A node with no place yet.
#[allow(clippy::too_many_arguments)]
fn node(
    key: String,
    kind: &'static str,
    id: i64,
    name: String,
    type_full: String,
    status: String,
    depth: i32,
    hidden: usize,
) -> LineageGraphNode {
    LineageGraphNode {
        key,
        kind,
        id,
        label: truncate_label(&name),
        name,
        type_name: short_type(&type_full).to_string(),
        type_full,
        status,
        depth,
        layer: 0,
        x: 0.0,
        y: 0.0,
        width: 0.0,
        height: 0.0,
        hidden,
        executions: None,
        status_counts: None,
    }
}

fn plain_edge(
    from: String,
    to: String,
    type_name: &'static str,
    label: String,
    count: usize,
) -> LineageGraphEdge {
    LineageGraphEdge { from, to, type_name, label, count, reversed: false, points: Vec::new() }
}

/// The name of a stage without a stage (and without a type).
const NO_STAGE: &str = "(no stage)";

/// A context's pipeline lineage: the stages of its executions (and its descendants'),
/// with edges where one stage read what another wrote, counted in distinct artifacts.
fn pipeline_graph(ix: &ExecutionIndex, context: i64, max_nodes: usize) -> Result<LineageGraph> {
    let db = ix.db();
    if db.bare_nodes(NodeKind::Context, Pick::Ids(&[context]), Order::Id)?.is_empty() {
        return Err(Error::NoSuchContext(context));
    }
    let strings = ix.strings();
    // (execution id, its entry, its stage name): the stage column, else the type.
    let mut members = Vec::new();
    for id in db.executions_in_context(context, true)? {
        let Some(pos) = ix.position(id) else { continue };
        let entry = &ix.entries()[pos];
        let stage = [strings.get(entry.stage), strings.get(entry.type_name), NO_STAGE]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or(NO_STAGE);
        members.push((id, entry, stage));
    }
    // Stage name → its number, in name order.
    let mut number_of: BTreeMap<String, usize> = BTreeMap::new();
    for m in &members {
        number_of.entry(m.2.to_string()).or_insert(0);
    }
    for (n, v) in number_of.values_mut().enumerate() {
        *v = n;
    }
    let truncated = number_of.len() > max_nodes;
    let shown = number_of.len().min(max_nodes);
    let number = |stage: &str| number_of.get(stage).copied();
    let mut statuses = vec![[0usize; Status::ALL.len()]; shown];
    let mut types: Vec<Vec<(u32, usize)>> = vec![Vec::new(); shown];
    let mut stage_of: HashMap<i64, usize> = HashMap::new();
    for &(id, entry, stage) in &members {
        let Some(n) = number(stage).filter(|&n| n < shown) else { continue };
        stage_of.insert(id, n);
        if let Some(s) = Status::ALL.iter().position(|&s| s == entry.status) {
            statuses[n][s] += 1;
        }
        match types[n].iter_mut().find(|t| t.0 == entry.type_name) {
            Some(t) => t.1 += 1,
            None => types[n].push((entry.type_name, 1)),
        }
    }
    let ids: Vec<i64> = members.iter().map(|m| m.0).collect();
    // Artifact id → slot in `flow`: (stages that wrote it, stages that read it).
    let mut slot_of: HashMap<i64, usize> = HashMap::new();
    let mut flow: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    if !ids.is_empty() {
        for ev in db.events_of(&ids, true)? {
            let Some(&n) = stage_of.get(&ev.execution_id) else { continue };
            let slot = *slot_of.entry(ev.artifact_id).or_insert(flow.len());
            if slot == flow.len() {
                flow.push((Vec::new(), Vec::new()));
            }
            let side = if is_output_event(ev.kind) {
                &mut flow[slot].0
            } else if is_input_event(ev.kind) {
                &mut flow[slot].1
            } else {
                continue;
            };
            if !side.contains(&n) {
                side.push(n);
            }
        }
    }
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for (writers, readers) in &flow {
        for &w in writers {
            for &r in readers.iter().filter(|&&r| r != w) {
                *counts.entry((w * shown + r) as i64).or_default() += 1;
            }
        }
    }
    let nodes: Vec<LineageGraphNode> = number_of
        .keys()
        .take(shown)
        .enumerate()
        .map(|(n, name)| {
            let name = name.clone();
            // The stage's type: its most common execution type (the first seen on ties).
            let mut best = (0u32, 0usize);
            for &t in &types[n] {
                if t.1 > best.1 {
                    best = t;
                }
            }
            let type_full =
                if best.1 == 0 { String::new() } else { strings.get(best.0).to_string() };
            let mut g =
                node(format!("s{n}"), "stage", n as i64, name, type_full, String::new(), 0, 0);
            g.executions = Some(statuses[n].iter().sum());
            // Built by `entry` as the summary's `states` are (no second BTreeMap builder).
            let mut counts = BTreeMap::new();
            for (s, c) in Status::ALL.iter().zip(statuses[n]).filter(|(_, c)| *c > 0) {
                *counts.entry(s.label().to_string()).or_insert(0) += c;
            }
            g.status_counts = Some(counts);
            g
        })
        .collect();
    let mut codes: Vec<i64> = counts.keys().copied().collect();
    codes.sort_unstable();
    let mut edges = Vec::with_capacity(codes.len());
    let mut ends = Vec::with_capacity(codes.len());
    for code in codes {
        let (w, r) = (code as usize / shown, code as usize % shown);
        edges.push(plain_edge(
            format!("s{w}"),
            format!("s{r}"),
            "OUTPUT",
            String::new(),
            counts[&code],
        ));
        ends.push((w, r));
    }
    Ok(laid_out(format!("c{context}"), "context", 0, truncated, nodes, edges, &ends))
}

/// A stage's third line, `3 executions` (the layout makes room for it).
pub fn count_line(executions: usize) -> String {
    if executions == 1 {
        "1 execution".into()
    } else {
        format!("{executions} executions")
    }
}

/// The short type name: the last segment of a dotted class path.
fn short_type(full: &str) -> &str {
    full.rsplit('.').next().filter(|s| !s.is_empty()).unwrap_or(full)
}

/// `name` cut to [`MAX_LABEL_CHARS`] characters (`…` last), control characters as spaces.
fn truncate_label(name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if clean.chars().count() <= MAX_LABEL_CHARS {
        clean
    } else {
        let mut s: String = clean.chars().take(MAX_LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// Lays the graph out and fills in the nodes' boxes and the edges' points (`ends`: each
/// edge's node indices).
fn laid_out(
    root: String,
    kind: &'static str,
    depth: u32,
    truncated: bool,
    mut nodes: Vec<LineageGraphNode>,
    mut edges: Vec<LineageGraphEdge>,
    ends: &[(usize, usize)],
) -> LineageGraph {
    let sizes: Vec<(f64, f64)> = nodes
        .iter()
        .map(|n| {
            // The lines a view draws: the label, the short type, a stage's count line.
            let type_chars = n.type_name.chars().count().min(MAX_LABEL_CHARS);
            let count_chars = n.executions.map_or(0, |c| count_line(c).chars().count());
            let chars = n.label.chars().count().max(type_chars).max(count_chars);
            layout::node_size(chars, n.kind == "stage")
        })
        .collect();
    let links: Vec<LayoutEdge> = edges
        .iter()
        .zip(ends)
        .map(|(e, &(from, to))| LayoutEdge { from, to, label_chars: e.label.chars().count() })
        .collect();
    let l = layout::layout(&sizes, &links);
    for (i, n) in nodes.iter_mut().enumerate() {
        n.layer = l.layers[i];
        (n.x, n.y) = l.positions[i];
        (n.width, n.height) = sizes[i];
    }
    for (e, route) in edges.iter_mut().zip(l.routes) {
        e.reversed = route.reversed;
        e.points = route.points;
    }
    LineageGraph { root, kind, depth, truncated, width: l.width, height: l.height, nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_bad_ones_say_what_to_use() {
        assert_eq!(parse_key("e12", false).unwrap(), Root::Node(Key::Exec(12)));
        assert_eq!(parse_key("12", false).unwrap(), Root::Node(Key::Exec(12)));
        assert_eq!(parse_key("a5", false).unwrap(), Root::Node(Key::Art(5)));
        assert_eq!(parse_key("c3", false).unwrap(), Root::Context(3));
        assert_eq!(parse_key("ma3", true).unwrap(), Root::Node(Key::MissingArt(3)));
        for bad in ["", "x1", "e", "e1x", "ma3", "s1", "e99999999999999999999"] {
            let err = parse_key(bad, false).unwrap_err();
            assert_eq!(err.kind(), "invalid-argument", "{bad}");
            assert!(err.to_string().contains("e<id>"), "{err}");
        }
    }

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(truncate_label("model"), "model");
        let long = "x".repeat(100);
        let cut = truncate_label(&long);
        assert_eq!(cut.chars().count(), MAX_LABEL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate_label("a\nb"), "a b");
        assert_eq!(short_type("tfx.components.trainer.component.Trainer"), "Trainer");
        assert_eq!(short_type("Trainer"), "Trainer");
        assert_eq!(short_type("weird."), "weird.");
    }
}
