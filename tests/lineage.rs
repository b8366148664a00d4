//! Lineage against plain SQL: one hop up are the producers of the execution's inputs, one
//! hop down the consumers of its outputs.

mod common;

use std::collections::BTreeSet;

use common::{good_fixtures, raw};
use mlmd_lens::{ExecutionQuery, Store};

#[test]
fn one_hop_matches_sql_on_every_fixture() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let db = raw(&path);
        let ids = store.execution_ids(&ExecutionQuery::default()).unwrap();
        for id in ids {
            let l = store.lineage(id, 1, 10_000).unwrap();
            assert_eq!(l.nodes[0].key, format!("e{id}"));
            let q = |sql: &str| -> BTreeSet<i64> {
                let mut st = db.prepare(sql).unwrap();
                st.query_map([id], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
            };
            let up = q("SELECT DISTINCT p.execution_id FROM Event i JOIN Event p ON p.artifact_id = i.artifact_id \
                        WHERE i.execution_id = ?1 AND i.type IN (2,3,5) AND p.type IN (1,4,6,7) AND p.execution_id != ?1");
            let down = q("SELECT DISTINCT c.execution_id FROM Event o JOIN Event c ON c.artifact_id = o.artifact_id \
                          WHERE o.execution_id = ?1 AND o.type IN (1,4,6,7) AND c.type IN (2,3,5) AND c.execution_id != ?1");
            let got = |sign: i32| -> BTreeSet<i64> {
                l.nodes
                    .iter()
                    .filter(|n| n.kind == "execution" && n.depth.signum() == sign)
                    .map(|n| n.id)
                    .collect()
            };
            assert_eq!(got(-1), up, "{} #{id} upstream", path.display());
            assert_eq!(
                got(1),
                down.difference(&up).copied().collect(),
                "{} #{id} downstream",
                path.display()
            );
            assert!(!l.truncated);
            for e in &l.edges {
                assert!(
                    l.nodes.iter().any(|n| n.key == e.from)
                        && l.nodes.iter().any(|n| n.key == e.to)
                );
            }
        }
    }
}

#[test]
fn node_limit_truncates() {
    let path = good_fixtures().into_iter().find(|p| p.ends_with("cmf_small.sqlite")).unwrap();
    let store = Store::open_path(&path).unwrap();
    let l = store.lineage(3, 10, 3).unwrap();
    assert!(l.nodes.len() <= 3 && l.truncated);
    assert_eq!(store.lineage(99999, 1, 10).unwrap_err().kind(), "not-found");
}

// ---- The laid-out graph (issue 12): `Store::lineage_graph` against SQL over Event rows.

use std::collections::{BTreeMap, HashSet};

use mlmd_lens::{LineageGraph, LineageOptions};

/// Every event `(execution, artifact, type)`, and the ids that have rows.
struct Events {
    rows: Vec<(i64, i64, i64)>,
    executions: HashSet<i64>,
    artifacts: HashSet<i64>,
}

fn events(db: &rusqlite::Connection) -> Events {
    let ids = |sql: &str| -> HashSet<i64> {
        let mut st = db.prepare(sql).unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let mut st =
        db.prepare("SELECT execution_id, artifact_id, type FROM Event ORDER BY id").unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    Events {
        rows,
        executions: ids("SELECT id FROM Execution"),
        artifacts: ids("SELECT id FROM Artifact"),
    }
}

const READS: [i64; 3] = [2, 3, 5];
const WRITES: [i64; 4] = [1, 4, 6, 7];

impl Events {
    fn exec_key(&self, id: i64) -> String {
        if self.executions.contains(&id) {
            format!("e{id}")
        } else {
            format!("me{id}")
        }
    }
    fn art_key(&self, id: i64) -> String {
        if self.artifacts.contains(&id) {
            format!("a{id}")
        } else {
            format!("ma{id}")
        }
    }

    /// The keys `steps` steps from `root` one way (`up`: towards producers), as the
    /// definition says: an execution's inputs (or outputs), an artifact's producers (or
    /// consumers); missing rows end the walk.
    fn one_way(&self, root: &str, steps: u32, up: bool) -> BTreeSet<String> {
        let mut seen = BTreeSet::from([root.to_string()]);
        let mut frontier = vec![root.to_string()];
        for _ in 0..steps {
            let mut next = Vec::new();
            for key in &frontier {
                for &(e, a, t) in &self.rows {
                    let far = if key == &format!("e{e}") {
                        let wanted = if up { READS.contains(&t) } else { WRITES.contains(&t) };
                        wanted.then(|| self.art_key(a))
                    } else if key == &format!("a{a}") {
                        let wanted = if up { WRITES.contains(&t) } else { READS.contains(&t) };
                        wanted.then(|| self.exec_key(e))
                    } else {
                        None
                    };
                    if let Some(far) = far {
                        if seen.insert(far.clone()) && !far.starts_with('m') {
                            next.push(far);
                        }
                    }
                }
            }
            frontier = next;
        }
        seen
    }

    /// The edges `(from, to, type)` among `keys`, in data-flow direction.
    fn edges_among(&self, keys: &BTreeSet<String>) -> BTreeSet<(String, String, String)> {
        let label = |t: i64| match t {
            1 => "DECLARED_OUTPUT",
            2 => "DECLARED_INPUT",
            3 => "INPUT",
            4 => "OUTPUT",
            5 => "INTERNAL_INPUT",
            6 => "INTERNAL_OUTPUT",
            7 => "PENDING_OUTPUT",
            _ => "UNKNOWN",
        };
        let mut out = BTreeSet::new();
        for &(e, a, t) in &self.rows {
            let (ek, ak) = (self.exec_key(e), self.art_key(a));
            if keys.contains(&ek) && keys.contains(&ak) {
                let (from, to) = if WRITES.contains(&t) { (ek, ak) } else { (ak, ek) };
                out.insert((from, to, label(t).to_string()));
            }
        }
        out
    }

    /// Distinct neighbours of `key` (through any event) outside `keys`.
    fn hidden(&self, key: &str, keys: &BTreeSet<String>) -> usize {
        let mut out = BTreeSet::new();
        for &(e, a, _) in &self.rows {
            let (ek, ak) = (self.exec_key(e), self.art_key(a));
            if ek == key && !keys.contains(&ak) {
                out.insert(ak);
            } else if ak == key && !keys.contains(&ek) {
                out.insert(ek);
            }
        }
        out.len()
    }
}

fn options(depth: u32) -> LineageOptions {
    LineageOptions { depth, max_nodes: 5000, ..Default::default() }
}

fn keys(g: &LineageGraph) -> BTreeSet<String> {
    g.nodes.iter().map(|n| n.key.clone()).collect()
}

/// Checks a walked graph against the definition computed from the Event rows.
fn check_walk(ev: &Events, g: &LineageGraph, root: &str, steps: u32, what: &str) {
    let up = ev.one_way(root, steps, true);
    let down = ev.one_way(root, steps, false);
    assert_eq!(up.intersection(&down).count(), 1, "{what}: the fixtures have no cycles");
    let want: BTreeSet<String> = up.union(&down).cloned().collect();
    assert_eq!(keys(g), want, "{what}: nodes");
    assert_eq!(g.nodes[0].key, root, "{what}: the root comes first");
    let got: BTreeSet<(String, String, String)> =
        g.edges.iter().map(|e| (e.from.clone(), e.to.clone(), e.type_name.to_string())).collect();
    assert_eq!(got, ev.edges_among(&want), "{what}: edges");
    assert_eq!(got.len(), g.edges.len(), "{what}: no edge twice");
    for n in &g.nodes {
        assert_eq!(n.hidden, ev.hidden(&n.key, &want), "{what}: hidden of {}", n.key);
        let sign = if n.key == root {
            0
        } else if up.contains(&n.key) {
            -1
        } else {
            1
        };
        assert_eq!(n.depth.signum(), sign, "{what}: depth of {}", n.key);
        assert!(!n.name.is_empty() && !n.label.is_empty(), "{what}: {} has a name", n.key);
    }
    assert!(!g.truncated, "{what}");
}

#[test]
fn execution_graphs_at_depth_1_and_2_match_the_event_rows() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let ev = events(&raw(&path));
        for id in store.execution_ids(&ExecutionQuery::default()).unwrap() {
            for depth in [1, 2] {
                let g = store.lineage_graph(&format!("e{id}"), &options(depth)).unwrap();
                let what = format!("{} e{id} depth {depth}", path.display());
                assert_eq!(
                    (g.kind, g.depth, g.root.as_str()),
                    ("execution", depth, &*format!("e{id}"))
                );
                check_walk(&ev, &g, &format!("e{id}"), 2 * depth, &what);
            }
            // A plain number is an execution.
            assert_eq!(
                store.lineage_graph(&id.to_string(), &options(1)).unwrap(),
                store.lineage_graph(&format!("e{id}"), &options(1)).unwrap()
            );
        }
    }
}

#[test]
fn artifact_graphs_show_producers_consumers_and_their_ancestry() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let ev = events(&raw(&path));
        let mut ids: Vec<i64> = ev.artifacts.iter().copied().collect();
        ids.sort_unstable();
        for id in ids {
            for depth in [1, 2] {
                let root = format!("a{id}");
                let g = store.lineage_graph(&root, &options(depth)).unwrap();
                assert_eq!(g.kind, "artifact");
                check_walk(
                    &ev,
                    &g,
                    &root,
                    2 * depth - 1,
                    &format!("{} {root} depth {depth}", path.display()),
                );
                if depth == 1 {
                    // Depth 1 is the artifact, its producers and its consumers.
                    let producers =
                        ev.rows.iter().filter(|r| r.1 == id && WRITES.contains(&r.2)).count();
                    let n_up = g.nodes.iter().filter(|n| n.depth == -1).count();
                    assert!(n_up <= producers && (producers == 0) == (n_up == 0), "{root}");
                }
            }
        }
    }
}

#[test]
fn a_context_is_its_pipeline_s_stages_with_artifact_flow_counts() {
    for name in ["cmf_small.sqlite", "tfx_pipeline.sqlite"] {
        let path = common::fixture(name);
        let store = Store::open_path(&path).unwrap();
        let db = raw(&path);
        let stage_of: BTreeMap<i64, String> = store
            .executions(&ExecutionQuery { limit: Some(100_000), ..Default::default() })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.id, if r.stage.is_empty() { r.type_name } else { r.stage }))
            .collect();
        let contexts: Vec<i64> = {
            let mut st = db.prepare("SELECT id FROM Context ORDER BY id").unwrap();
            st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        assert!(!contexts.is_empty());
        for c in contexts {
            let g = store.lineage_graph(&format!("c{c}"), &LineageOptions::default()).unwrap();
            let what = format!("{name} c{c}");
            // Executions of the context and of every context below it.
            let mut st = db
                .prepare(
                    "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT p.context_id FROM ParentContext p \
                     JOIN sub ON p.parent_context_id = sub.id) \
                     SELECT DISTINCT a.execution_id FROM Association a JOIN sub ON a.context_id = sub.id",
                )
                .unwrap();
            let members: BTreeSet<i64> =
                st.query_map([c], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
            let mut per_stage: BTreeMap<String, usize> = BTreeMap::new();
            for m in &members {
                *per_stage.entry(stage_of[m].clone()).or_default() += 1;
            }
            let got: BTreeMap<String, usize> =
                g.nodes.iter().map(|n| (n.name.clone(), n.executions.unwrap())).collect();
            assert_eq!(got, per_stage, "{what}: stages");
            assert!(g.nodes.iter().all(|n| n.kind == "stage"
                && n.status_counts.as_ref().unwrap().values().sum::<usize>()
                    == n.executions.unwrap()));
            // Edges: distinct artifacts written by one stage and read by another.
            let mut st = db
                .prepare("SELECT w.execution_id, r.execution_id, w.artifact_id FROM Event w JOIN Event r \
                          ON r.artifact_id = w.artifact_id WHERE w.type IN (1,4,6,7) AND r.type IN (2,3,5)")
                .unwrap();
            let mut flows: BTreeMap<(String, String), BTreeSet<i64>> = BTreeMap::new();
            for row in st
                .query_map([], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                })
                .unwrap()
            {
                let (w, r, a) = row.unwrap();
                if members.contains(&w) && members.contains(&r) && stage_of[&w] != stage_of[&r] {
                    flows
                        .entry((stage_of[&w].clone(), stage_of[&r].clone()))
                        .or_default()
                        .insert(a);
                }
            }
            let want: BTreeMap<(String, String), usize> =
                flows.into_iter().map(|(k, v)| (k, v.len())).collect();
            let name_of: BTreeMap<&str, &str> =
                g.nodes.iter().map(|n| (n.key.as_str(), n.name.as_str())).collect();
            let got: BTreeMap<(String, String), usize> = g
                .edges
                .iter()
                .map(|e| ((name_of[&*e.from].to_string(), name_of[&*e.to].to_string()), e.count))
                .collect();
            assert_eq!(got, want, "{what}: stage edges");
        }
    }
}

/// No two boxes overlap, everything is inside the extent, edges leave the source's right
/// side and reach the target's left side, and the same graph lays out the same way.
fn check_layout(g: &LineageGraph, what: &str) {
    for (i, a) in g.nodes.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.y >= 0.0 && a.x + a.width <= g.width && a.y + a.height <= g.height,
            "{what}: {} outside",
            a.key
        );
        // The box holds its label (and the short type) at the layout's character width.
        let chars = a.label.chars().count().max(a.type_name.chars().count().min(32));
        assert!(
            a.width >= chars as f64 * mlmd_lens::features::lineage::layout::CHAR_WIDTH,
            "{what}: {} too narrow",
            a.key
        );
        for b in &g.nodes[i + 1..] {
            let apart = a.x + a.width <= b.x
                || b.x + b.width <= a.x
                || a.y + a.height <= b.y
                || b.y + b.height <= a.y;
            assert!(apart, "{what}: {} and {} overlap", a.key, b.key);
        }
    }
    let node = |k: &str| g.nodes.iter().find(|n| n.key == k).unwrap();
    for e in &g.edges {
        let (s, t) = (node(&e.from), node(&e.to));
        let (first, last) = (e.points[0], *e.points.last().unwrap());
        let inside = |n: &mlmd_lens::LineageGraphNode, y: f64| y >= n.y && y <= n.y + n.height;
        if e.reversed {
            assert_eq!(first[0], s.x, "{what}: {e:?}");
            assert_eq!(last[0], t.x + t.width, "{what}: {e:?}");
        } else {
            assert_eq!(first[0], s.x + s.width, "{what}: {e:?}");
            assert_eq!(last[0], t.x, "{what}: {e:?}");
            assert!(s.layer < t.layer, "{what}: {e:?} goes left to right");
        }
        assert!(inside(s, first[1]) && inside(t, last[1]), "{what}: {e:?}");
    }
}

#[test]
fn layouts_never_overlap_and_are_deterministic() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let mut roots: Vec<String> = store
            .execution_ids(&ExecutionQuery::default())
            .unwrap()
            .into_iter()
            .map(|id| format!("e{id}"))
            .collect();
        let db = raw(&path);
        let mut st = db.prepare("SELECT id FROM Context ORDER BY id").unwrap();
        roots.extend(
            st.query_map([], |r| r.get::<_, i64>(0)).unwrap().map(|c| format!("c{}", c.unwrap())),
        );
        for root in roots {
            for depth in [1, 3] {
                let g = store.lineage_graph(&root, &options(depth)).unwrap();
                let what = format!("{} {root} depth {depth}", path.display());
                check_layout(&g, &what);
                let again =
                    Store::open_path(&path).unwrap().lineage_graph(&root, &options(depth)).unwrap();
                assert_eq!(
                    serde_json::to_string(&g).unwrap(),
                    serde_json::to_string(&again).unwrap(),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn the_node_limit_hides_neighbours_and_expand_brings_them_back() {
    let path = common::fixture("cmf_small.sqlite");
    let store = Store::open_path(&path).unwrap();
    let small = LineageOptions { depth: 2, max_nodes: 4, expand: Vec::new() };
    let g = store.lineage_graph("e2", &small).unwrap();
    assert!(g.truncated && g.nodes.len() == 4, "{g:?}");
    let full = store.lineage_graph("e2", &options(2)).unwrap();
    assert!(!full.truncated && full.nodes.len() > 4);
    // Every node cut off is counted in the hidden count of a drawn neighbour.
    let hidden: usize = g.nodes.iter().map(|n| n.hidden).sum();
    assert!(hidden > 0);
    let open = g.nodes.iter().find(|n| n.hidden > 0).unwrap().key.clone();
    let before = g.nodes.iter().find(|n| n.key == open).unwrap().hidden;
    let expanded = store
        .lineage_graph("e2", &LineageOptions { expand: vec![open.clone()], ..small.clone() })
        .unwrap();
    assert_eq!(expanded.nodes.len(), 4 + before);
    assert_eq!(expanded.nodes.iter().find(|n| n.key == open).unwrap().hidden, 0);
    assert!(keys(&g).is_subset(&keys(&expanded)));
    check_layout(&expanded, "expanded");
    // Expanding a node not drawn does nothing; a malformed key says what a key is.
    let other = LineageOptions { expand: vec!["a99999".into()], ..small.clone() };
    assert_eq!(store.lineage_graph("e2", &other).unwrap(), g);
    let bad = LineageOptions { expand: vec!["zz".into()], ..small };
    assert_eq!(store.lineage_graph("e2", &bad).unwrap_err().kind(), "invalid-argument");
    // Depth 0 is the root alone, with everything around it hidden.
    let alone = store.lineage_graph("e2", &options(0)).unwrap();
    assert_eq!(alone.nodes.len(), 1);
    assert_eq!(alone.nodes[0].hidden, full.nodes.iter().filter(|n| n.depth.abs() == 1).count());
}

#[test]
fn unknown_and_malformed_roots_are_typed_errors() {
    let store = Store::open_path(common::fixture("cmf_small.sqlite")).unwrap();
    let o = LineageOptions::default();
    for (root, kind, says) in [
        ("e99999", "not-found", "no execution with id 99999"),
        ("a99999", "not-found", "no artifact with id 99999"),
        ("c99999", "not-found", "no context with id 99999"),
        ("x12", "invalid-argument", "e<id>"),
        ("", "invalid-argument", "a<id>"),
        ("e12;DROP", "invalid-argument", "c<id>"),
    ] {
        let err = store.lineage_graph(root, &o).unwrap_err();
        assert_eq!(err.kind(), kind, "{root}");
        assert!(err.to_string().contains(says), "{root}: {err}");
    }
}

/// Regression (issue 12): events naming absent rows, a cycle, and the event types other
/// than INPUT/OUTPUT give a graph — missing ends drawn and labelled, the cycle's back
/// edge reversed — never an error, a panic or a hang.
#[test]
fn issue_12_missing_ends_cycles_and_odd_events_give_a_graph() {
    let path = common::temp_copy("cmf_small.sqlite", "lineage-hostile");
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        db.execute_batch(
            "INSERT INTO Event (artifact_id, execution_id, type) VALUES (9999, 2, 4);  -- output to a missing artifact
             INSERT INTO Event (artifact_id, execution_id, type) VALUES (3, 8888, 3);  -- read by a missing execution
             INSERT INTO Event (artifact_id, execution_id, type) VALUES (5, 3, 6);     -- Train writes what it reads: a cycle
             INSERT INTO Event (artifact_id, execution_id, type) VALUES (6, 2, 7);     -- pending output
             INSERT INTO Event (artifact_id, execution_id, type) VALUES (4, 2, 99);    -- an unknown type
             INSERT INTO EventPath (event_id, is_index_step, step_index, step_key)
               SELECT id, 0, NULL, 'features\"<x>' FROM Event WHERE artifact_id = 6 AND execution_id = 2 AND type = 7;",
        )
        .unwrap();
    }
    let store = Store::open_path(&path).unwrap();
    // a3 is upstream of e2: its other reader (the missing one) is hidden until expanded.
    let plain = store.lineage_graph("e2", &options(3)).unwrap();
    let a3 = plain.nodes.iter().find(|n| n.key == "a3").unwrap();
    assert!(a3.hidden >= 1 && !keys(&plain).contains("me8888"));
    let g = store
        .lineage_graph("e2", &LineageOptions { expand: vec!["a3".into()], ..options(3) })
        .unwrap();
    assert_eq!(g.nodes.iter().find(|n| n.key == "a3").unwrap().hidden, 0);
    let node = |k: &str| {
        g.nodes.iter().find(|n| n.key == k).unwrap_or_else(|| panic!("{k} in {:?}", keys(&g)))
    };
    assert_eq!(
        (node("ma9999").kind, node("ma9999").name.as_str()),
        ("missing", "missing artifact #9999")
    );
    assert_eq!(
        (node("me8888").kind, node("me8888").name.as_str()),
        ("missing", "missing execution #8888")
    );
    let edge = |f: &str, t: &str, ty: &str| {
        g.edges.iter().find(|e| e.from == f && e.to == t && e.type_name == ty)
    };
    assert!(edge("e2", "ma9999", "OUTPUT").is_some());
    assert!(edge("a3", "me8888", "INPUT").is_some());
    let pending = edge("e2", "a6", "PENDING_OUTPUT").unwrap();
    assert_eq!(pending.label, "PENDING_OUTPUT (features\"<x>)");
    assert_eq!(edge("a4", "e2", "UNKNOWN").unwrap().label, "UNKNOWN");
    assert!(edge("e3", "a5", "INTERNAL_OUTPUT").is_some() && edge("a5", "e3", "INPUT").is_some());
    assert!(g.edges.iter().any(|e| e.reversed), "the cycle a5 ⇄ e3 has a back edge");
    check_layout(&g, "hostile");
    // The renderers escape what the file holds.
    let dot = g.to_dot();
    assert!(dot.contains("[label=\"PENDING_OUTPUT (features\\\"<x>)\"]"), "{dot}");
    let mermaid = g.to_mermaid();
    assert!(mermaid.contains("PENDING_OUTPUT (features#quot;#lt;x#gt;)"), "{mermaid}");
    assert!(
        mermaid.contains("class ma9999,me8888 missing")
            || mermaid.contains("class me8888,ma9999 missing"),
        "{mermaid}"
    );
    // Rooted at the missing artifact's neighbour, and with the missing keys expanded.
    let o = LineageOptions { expand: vec!["ma9999".into(), "me8888".into()], ..options(1) };
    assert!(store.lineage_graph("a3", &o).is_ok());
    assert!(store.lineage_graph("a5", &options(50)).is_ok());
}

#[test]
fn the_cli_prints_json_dot_and_mermaid() {
    let bin = env!("CARGO_BIN_EXE_mlmd-lens");
    let path = common::fixture("tfx_pipeline.sqlite");
    let store = Store::open_path(&path).unwrap();
    let run = |args: &[&str]| {
        let out =
            std::process::Command::new(bin).arg("lineage").arg(&path).args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let g = store.lineage_graph("e5", &options(1)).unwrap();
    let (ok, json, _) = run(&["e5", "--depth", "1", "--max-nodes", "5000"]);
    assert!(ok);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        serde_json::to_value(&g).unwrap()
    );
    let (ok, dot, _) = run(&["5", "--depth", "1", "--max-nodes", "5000", "--format", "dot"]);
    assert!(
        ok && dot.starts_with("digraph {\n  rankdir=LR;") && dot.trim_end().ends_with('}'),
        "{dot}"
    );
    for n in &g.nodes {
        assert!(dot.contains(&format!("  \"{}\" [label=", n.key)), "{dot}");
    }
    assert_eq!(dot.matches(" -> ").count(), g.edges.len());
    let (ok, mermaid, _) =
        run(&["e5", "--depth", "1", "--max-nodes", "5000", "--format", "mermaid"]);
    assert!(ok && mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    for n in &g.nodes {
        assert!(
            mermaid.lines().any(|l| l.trim_start().starts_with(&format!("{}[", n.key))
                || l.trim_start().starts_with(&format!("{}(", n.key))),
            "{} in {mermaid}",
            n.key
        );
    }
    assert_eq!(mermaid.matches("-->").count() + mermaid.matches("-.->").count(), g.edges.len());
    let (ok, stages, _) = run(&["c1", "--format", "mermaid"]);
    assert!(ok && stages.contains("s0(\""), "{stages}");
    let (ok, _, err) = run(&["e5", "--format", "svg"]);
    assert!(!ok && err.contains("use json, dot or mermaid"), "{err}");
    let (ok, _, err) = run(&["q5"]);
    assert!(!ok && err.contains("e<id>"), "{err}");
}
