//! The lineage graph a view draws: around an execution or an artifact (both ways, a few
//! hops, a node limit with `hidden` counts and expanders), or a context's pipeline
//! lineage (its stages and the artifacts that flow between them), laid out left → right
//! by [`super::layout`].
//!
//! The walk reads events in bulk (one statement per hop), so a graph of a few hundred
//! nodes costs a handful of queries. Hostile stores give a graph, never an error: an event
//! that names an absent row becomes a `missing` node, cycles are drawn with their back
//! edges reversed by the layout, and every loop is bounded by the node limit.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::layout::{self, LayoutEdge};
use crate::conventions::{artifact_state_label, event_type_label, is_input_event, is_output_event};
use crate::db::{EventLink, NodeKind, Order, Pick};
use crate::error::{Error, Result};
use crate::index::ExecutionIndex;

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
    /// Box width, px (room for `label` and the short type).
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
    /// Edges, sorted by (from, to, type).
    pub edges: Vec<LineageGraphEdge>,
}

/// A parsed root or node key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    let (prefix, digits) = match t.find(|c: char| c.is_ascii_digit() || c == '-') {
        Some(i) => t.split_at(i),
        None => return Err(bad()),
    };
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

/// Which way a walk goes.
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
}

/// The walk's state: nodes in the order they were reached.
struct Walk<'a> {
    ix: &'a ExecutionIndex,
    nodes: Vec<Drawn>,
    seen: BTreeSet<Key>,
    /// Artifact rows read so far: (name, type, state); absent ids are missing.
    artifacts: BTreeMap<i64, Option<(String, String, Option<i64>)>>,
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
    match parse_key(root, false)? {
        Root::Context(id) => pipeline_graph(ix, id, max_nodes),
        Root::Node(key) => {
            let mut walk = Walk {
                ix,
                nodes: Vec::new(),
                seen: BTreeSet::new(),
                artifacts: BTreeMap::new(),
                truncated: false,
            };
            let (kind, steps) = match key {
                Key::Exec(id) => {
                    ix.position(id).ok_or(Error::NoSuchExecution(id))?;
                    ("execution", 2 * depth)
                }
                Key::Art(id) => {
                    walk.read_artifacts(&[id])?;
                    if walk.artifacts.get(&id).is_none_or(Option::is_none) {
                        return Err(Error::NoSuchArtifact(id));
                    }
                    ("artifact", (2 * depth).saturating_sub(1))
                }
                Key::MissingExec(_) | Key::MissingArt(_) => unreachable!("not parsed"),
            };
            walk.add(key, 0);
            walk.walk(key, steps, max_nodes)?;
            for text in &options.expand {
                let Root::Node(k) = parse_key(text, true)? else { continue };
                walk.expand(k, max_nodes)?;
            }
            let (nodes, edges) = walk.finish()?;
            Ok(laid_out(key.text(), kind, depth, walk.truncated, nodes, edges))
        }
    }
}

/// An edge before layout: (from, to, event type) → events, first event id.
type EdgeMap = BTreeMap<(Key, Key, i64), (usize, i64)>;

impl Walk<'_> {
    fn add(&mut self, key: Key, depth: i32) {
        if self.seen.insert(key) {
            self.nodes.push(Drawn { key, depth });
        }
    }

    /// Reads the artifact rows of `ids` not read yet (absent ones are remembered too).
    fn read_artifacts(&mut self, ids: &[i64]) -> Result<()> {
        let want: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !self.artifacts.contains_key(id))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if want.is_empty() {
            return Ok(());
        }
        for id in &want {
            self.artifacts.insert(*id, None);
        }
        for a in self.ix.db().bare_nodes(NodeKind::Artifact, Pick::Ids(&want), Order::Id)? {
            self.artifacts.insert(a.id, Some((a.name.unwrap_or_default(), a.type_name, a.state)));
        }
        Ok(())
    }

    /// The events of these nodes (executions' and artifacts'), by event id.
    fn events(&self, keys: &[Key]) -> Result<Vec<EventLink>> {
        let execs: Vec<i64> = keys
            .iter()
            .filter_map(|k| if let Key::Exec(id) = k { Some(*id) } else { None })
            .collect();
        let arts: Vec<i64> = keys
            .iter()
            .filter_map(|k| if let Key::Art(id) = k { Some(*id) } else { None })
            .collect();
        let mut out = Vec::new();
        if !execs.is_empty() {
            out.extend(self.ix.db().events_of(&execs, true)?);
        }
        if !arts.is_empty() {
            out.extend(self.ix.db().events_of(&arts, false)?);
        }
        out.sort_by_key(|e| e.id);
        out.dedup_by_key(|e| e.id);
        Ok(out)
    }

    /// The node on the far side of `ev` from `key`, present or missing.
    fn far_side(&self, key: Key, ev: &EventLink) -> Key {
        match key {
            Key::Exec(_) => match self.artifacts.get(&ev.artifact_id) {
                Some(Some(_)) => Key::Art(ev.artifact_id),
                _ => Key::MissingArt(ev.artifact_id),
            },
            _ => {
                if self.ix.position(ev.execution_id).is_some() {
                    Key::Exec(ev.execution_id)
                } else {
                    Key::MissingExec(ev.execution_id)
                }
            }
        }
    }

    /// Does `ev` lead from `key` in direction `dir`? (`Some(true)` upstream.)
    fn leads(key: Key, ev: &EventLink, dir: Dir) -> Option<bool> {
        let up = match key {
            Key::Exec(_) => is_input_event(ev.kind),
            Key::Art(_) => is_output_event(ev.kind),
            _ => return None,
        };
        let down = match key {
            Key::Exec(_) => is_output_event(ev.kind),
            _ => is_input_event(ev.kind),
        };
        match dir {
            Dir::Up if up => Some(true),
            Dir::Down if down => Some(false),
            Dir::Both if up || down => Some(up),
            _ => None,
        }
    }

    /// Breadth-first from `root`, `steps` steps each way, at most `max_nodes` nodes.
    fn walk(&mut self, root: Key, steps: u32, max_nodes: usize) -> Result<()> {
        let mut frontier = vec![(root, Dir::Both, 0i32)];
        for _ in 0..steps {
            if frontier.is_empty() {
                break;
            }
            let keys: Vec<Key> = frontier.iter().map(|f| f.0).collect();
            let events = self.events(&keys)?;
            self.read_artifacts(&events.iter().map(|e| e.artifact_id).collect::<Vec<_>>())?;
            let mut by_node: BTreeMap<Key, Vec<&EventLink>> = BTreeMap::new();
            for ev in &events {
                for k in [Key::Exec(ev.execution_id), Key::Art(ev.artifact_id)] {
                    by_node.entry(k).or_default().push(ev);
                }
            }
            let mut next = Vec::new();
            for &(key, dir, depth) in &frontier {
                for ev in by_node.get(&key).map(Vec::as_slice).unwrap_or_default() {
                    let Some(up) = Self::leads(key, ev, dir) else { continue };
                    let far = self.far_side(key, ev);
                    if self.seen.contains(&far) {
                        continue;
                    }
                    if self.nodes.len() >= max_nodes {
                        self.truncated = true;
                        continue;
                    }
                    let d = if up { depth - 1 } else { depth + 1 };
                    self.add(far, d);
                    if matches!(far, Key::Exec(_) | Key::Art(_)) {
                        next.push((far, if up { Dir::Up } else { Dir::Down }, d));
                    }
                }
            }
            frontier = next;
        }
        Ok(())
    }

    /// Adds the neighbours of `key` not drawn yet (at most `max_nodes` of them).
    fn expand(&mut self, key: Key, max_nodes: usize) -> Result<()> {
        let Some(depth) = self.nodes.iter().find(|n| n.key == key).map(|n| n.depth) else {
            return Ok(());
        };
        if !matches!(key, Key::Exec(_) | Key::Art(_)) {
            return Ok(());
        }
        let events = self.events(&[key])?;
        self.read_artifacts(&events.iter().map(|e| e.artifact_id).collect::<Vec<_>>())?;
        let mut added = 0;
        for ev in &events {
            let far = self.far_side(key, ev);
            if self.seen.contains(&far) {
                continue;
            }
            if added >= max_nodes || self.nodes.len() >= MAX_GRAPH_NODES {
                self.truncated = true;
                break;
            }
            let up = match key {
                Key::Exec(_) => !is_output_event(ev.kind),
                _ => is_output_event(ev.kind),
            };
            self.add(far, if up { depth - 1 } else { depth + 1 });
            added += 1;
        }
        Ok(())
    }

    /// The drawn nodes as graph nodes, the edges among them, and each node's hidden count.
    fn finish(&mut self) -> Result<(Vec<LineageGraphNode>, Vec<LineageGraphEdge>)> {
        let keys: Vec<Key> = self.nodes.iter().map(|n| n.key).collect();
        let events = self.events(&keys)?;
        let mut edges: EdgeMap = BTreeMap::new();
        let mut hidden: BTreeMap<Key, BTreeSet<Key>> = BTreeMap::new();
        for ev in &events {
            let exec = if self.ix.position(ev.execution_id).is_some() {
                Key::Exec(ev.execution_id)
            } else {
                Key::MissingExec(ev.execution_id)
            };
            let art = if self.seen.contains(&Key::Art(ev.artifact_id)) {
                Key::Art(ev.artifact_id)
            } else {
                Key::MissingArt(ev.artifact_id)
            };
            match (self.seen.contains(&exec), self.seen.contains(&art)) {
                (true, true) => {
                    let (from, to) =
                        if is_output_event(ev.kind) { (exec, art) } else { (art, exec) };
                    let e = edges.entry((from, to, ev.kind)).or_insert((0, ev.id));
                    e.0 += 1;
                }
                (true, false) => {
                    hidden.entry(exec).or_default().insert(art);
                }
                (false, true) => {
                    hidden.entry(art).or_default().insert(exec);
                }
                (false, false) => {}
            }
        }
        let mut nodes = Vec::with_capacity(self.nodes.len());
        for n in &self.nodes {
            let (id, kind, name, type_full, status) = match n.key {
                Key::Exec(id) => {
                    let row = self.ix.row(self.ix.position(id).unwrap_or_default());
                    (id, "execution", row.name, row.type_name, row.status.label().to_string())
                }
                Key::Art(id) => {
                    let (name, type_name, state) =
                        self.artifacts.get(&id).cloned().flatten().unwrap_or_default();
                    let name = if name.trim().is_empty() {
                        format!("{} #{id}", short_type(&type_name))
                    } else {
                        name
                    };
                    (id, "artifact", name, type_name, artifact_state_label(state).to_string())
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
            nodes.push(LineageGraphNode {
                key: n.key.text(),
                kind,
                id,
                label: truncate_label(&name),
                name,
                type_name: short_type(&type_full).to_string(),
                type_full,
                status,
                depth: n.depth,
                layer: 0,
                x: 0.0,
                y: 0.0,
                width: 0.0,
                height: 0.0,
                hidden: hidden.get(&n.key).map_or(0, BTreeSet::len),
                executions: None,
                status_counts: None,
            });
        }
        let mut out = Vec::with_capacity(edges.len());
        for ((from, to, kind), (count, first)) in edges {
            let type_name = event_type_label(kind);
            let label = if matches!(kind, 3 | 4) {
                String::new()
            } else {
                let path = self.ix.db().event_path(first)?.join(".");
                if path.is_empty() {
                    type_name.to_string()
                } else {
                    format!("{type_name} ({path})")
                }
            };
            out.push(plain_edge(from.text(), to.text(), type_name, label, count));
        }
        Ok((nodes, out))
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

/// A context's pipeline lineage: the stages of its executions (and its descendants'),
/// with edges where one stage read what another wrote.
fn pipeline_graph(ix: &ExecutionIndex, context: i64, max_nodes: usize) -> Result<LineageGraph> {
    let db = ix.db();
    if db.context_refs(&[context])?.is_empty() {
        return Err(Error::NoSuchContext(context));
    }
    let strings = ix.strings();
    let mut stage_of: BTreeMap<i64, String> = BTreeMap::new();
    let mut stages: BTreeMap<String, (BTreeMap<String, usize>, BTreeMap<String, usize>)> =
        BTreeMap::new();
    for id in db.executions_in_context(context, true)? {
        let Some(pos) = ix.position(id) else { continue };
        let entry = &ix.entries()[pos];
        let type_name = strings.get(entry.type_name).to_string();
        let stage = match strings.get(entry.stage) {
            "" => type_name.clone(),
            s => s.to_string(),
        };
        let (statuses, types) = stages.entry(stage.clone()).or_default();
        *statuses.entry(entry.status.label().to_string()).or_default() += 1;
        *types.entry(type_name).or_default() += 1;
        stage_of.insert(id, stage);
    }
    let truncated = stages.len() > max_nodes;
    let number: BTreeMap<&str, usize> =
        stages.keys().take(max_nodes).enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let ids: Vec<i64> = stage_of.keys().copied().collect();
    // artifact → (stages writing it, stages reading it)
    let mut flow: BTreeMap<i64, (BTreeSet<usize>, BTreeSet<usize>)> = BTreeMap::new();
    for ev in db.events_of(&ids, true)? {
        let Some(&n) = stage_of.get(&ev.execution_id).and_then(|s| number.get(s.as_str())) else {
            continue;
        };
        let f = flow.entry(ev.artifact_id).or_default();
        if is_output_event(ev.kind) {
            f.0.insert(n);
        } else if is_input_event(ev.kind) {
            f.1.insert(n);
        }
    }
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (writers, readers) in flow.values() {
        for &w in writers {
            for &r in readers.iter().filter(|&&r| r != w) {
                *counts.entry((w, r)).or_default() += 1;
            }
        }
    }
    let nodes = stages
        .into_iter()
        .take(max_nodes)
        .enumerate()
        .map(|(n, (name, (statuses, types)))| {
            let executions = statuses.values().sum();
            // The stage's type: the most common execution type (the first name on ties).
            let type_full = types
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(t, _)| t.clone())
                .unwrap_or_default();
            LineageGraphNode {
                key: format!("s{n}"),
                kind: "stage",
                id: n as i64,
                label: truncate_label(&name),
                name,
                type_name: short_type(&type_full).to_string(),
                type_full,
                status: String::new(),
                depth: 0,
                layer: 0,
                x: 0.0,
                y: 0.0,
                width: 0.0,
                height: 0.0,
                hidden: 0,
                executions: Some(executions),
                status_counts: Some(statuses),
            }
        })
        .collect();
    let edges = counts
        .into_iter()
        .map(|((w, r), count)| {
            plain_edge(format!("s{w}"), format!("s{r}"), "OUTPUT", String::new(), count)
        })
        .collect();
    Ok(laid_out(format!("c{context}"), "context", 0, truncated, nodes, edges))
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

/// Lays the graph out and fills in the nodes' boxes and the edges' points.
fn laid_out(
    root: String,
    kind: &'static str,
    depth: u32,
    truncated: bool,
    mut nodes: Vec<LineageGraphNode>,
    mut edges: Vec<LineageGraphEdge>,
) -> LineageGraph {
    let index: BTreeMap<&str, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.key.as_str(), i)).collect();
    let sizes: Vec<(f64, f64)> = nodes
        .iter()
        .map(|n| {
            layout::node_size(
                n.label.chars().count().max(truncate_label(&n.type_name).chars().count()),
                n.kind == "stage",
            )
        })
        .collect();
    let links: Vec<LayoutEdge> = edges
        .iter()
        .map(|e| LayoutEdge {
            from: index[e.from.as_str()],
            to: index[e.to.as_str()],
            label_chars: e.label.chars().count(),
        })
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
