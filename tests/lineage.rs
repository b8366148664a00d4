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
