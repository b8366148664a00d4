//! The CmfQuery questions (`Store::cmf_*`, `Store::export_cmf_json`) against cmflib's own
//! answers: `tests/notebook/cmflib-answers/*.json`, written once by cmflib 0.1.0 itself
//! (`tests/notebook/gen_cmflib_answers.py`, committed because cmflib is too heavy for
//! every run). Ids, columns, row order and cell values must be equal; pandas' dtypes are
//! checked by `tests/notebook/test_cmfquery.py`, which builds the DataFrames.

mod common;

use common::fixture;
use mlmd_lens::{CmfDirection, CmfExecution, CmfFrame, Store};
use serde_json::{json, Value};

/// The fixtures cmflib answered on (gen_cmflib_answers.py's FIXTURES).
const ASKED: [&str; 4] = ["cmf_small", "mlmd_tfx", "tfx_pipeline", "mlmd_empty"];

fn answers(name: &str) -> Value {
    let path = format!("{}/tests/notebook/cmflib-answers/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["answers"].clone()
}

/// A frame as cmflib's answer file encodes it (`{"frame": {columns, data}}`); cells are
/// compared as numbers where both are numbers (pandas turns an int column with gaps into
/// floats).
fn same_frame(ours: &CmfFrame, theirs: &Value, what: &str) {
    let f = &theirs["frame"];
    let columns: Vec<String> = serde_json::from_value(f["columns"].clone()).unwrap();
    assert_eq!(ours.columns, columns, "{what}: columns");
    if let Some(ids) = f.get("ids") {
        let got: Vec<i64> =
            ours.column("id").unwrap_or_default().iter().map(|v| v.as_i64().unwrap()).collect();
        assert_eq!(json!(got), *ids, "{what}: ids");
        return;
    }
    let rows = f["data"].as_array().unwrap();
    assert_eq!(ours.len(), rows.len(), "{what}: rows");
    for (i, b) in rows.iter().enumerate() {
        let a = ours.row(i);
        for (j, (&x, y)) in a.iter().zip(b.as_array().unwrap()).enumerate() {
            let same = match (x.as_f64(), y.as_f64()) {
                (Some(p), Some(q)) => p == q,
                _ => x == y,
            };
            assert!(same, "{what}: row {i} column {}: ours {x}, cmflib {y}", ours.columns[j]);
        }
    }
}

/// An execution record against cmflib's proto (its set fields; ours has the rest at
/// their proto defaults).
fn same_execution(ours: &CmfExecution, theirs: &Value, what: &str) {
    let ours = serde_json::to_value(ours).unwrap();
    let set = theirs["proto"].as_object().unwrap();
    for (k, v) in ours.as_object().unwrap() {
        match set.get(k) {
            Some(t) => assert_eq!(
                v.as_f64().map_or(v.clone(), |f| json!(f)),
                t.as_f64().map_or(t.clone(), |f| json!(f)),
                "{what}: {k}"
            ),
            None => assert!(
                matches!(v, Value::String(s) if s.is_empty()) || *v == json!(0),
                "{what}: {k} = {v} where cmflib has none"
            ),
        }
    }
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn cmfquery_answers_equal_cmflibs() {
    for name in ASKED {
        let store = Store::open_path(fixture(&format!("{name}.sqlite"))).unwrap();
        let a = answers(name);
        if name == "cmf_small" {
            // The answers hold what the test walks through: 2 pipelines, 8 stages, 20
            // executions, 38 artifacts (and a missing one of each).
            assert_eq!(keys(&a["get_all_executions_in_stage"]).len(), 9);
            assert_eq!(keys(&a["get_all_artifacts_for_execution"]).len(), 21);
            assert_eq!(keys(&a["get_one_hop_parent_artifacts"]).len(), 39);
        }
        assert_eq!(json!(store.cmf_pipeline_names().unwrap()), a["get_pipeline_names"], "{name}");
        for p in keys(&a["get_pipeline_id"]) {
            assert_eq!(
                json!(store.cmf_pipeline_id(&p).unwrap()),
                a["get_pipeline_id"][&p],
                "{name} {p}"
            );
            assert_eq!(json!(store.cmf_pipeline_stages(&p).unwrap()), a["get_pipeline_stages"][&p]);
            same_frame(
                &store.cmf_executions_in_pipeline(&p).unwrap(),
                &a["get_all_executions_in_pipeline"][&p],
                &format!("{name} pipeline {p}"),
            );
            let ours: Value =
                serde_json::from_str(&store.export_cmf_json(Some(&p), None).unwrap()).unwrap();
            assert_eq!(ours, a["dumptojson"][&p], "{name} dumptojson {p}");
        }
        for s in keys(&a["get_all_executions_in_stage"]) {
            same_frame(
                &store.cmf_executions_in_stage(&s).unwrap(),
                &a["get_all_executions_in_stage"][&s],
                &format!("{name} stage {s}"),
            );
            let ours = store.cmf_exe_in_stage(&s).unwrap();
            let theirs = a["get_all_exe_in_stage"][&s].as_array().unwrap();
            assert_eq!(ours.len(), theirs.len(), "{name} exe_in_stage {s}");
            for (o, t) in ours.iter().zip(theirs) {
                same_execution(o, t, &format!("{name} exe_in_stage {s}"));
            }
        }
        for (_, q) in a["get_all_executions_by_ids_list"].as_object().unwrap() {
            let ids: Vec<i64> = serde_json::from_value(q["ids"].clone()).unwrap();
            same_frame(
                &store.cmf_executions_by_ids(&ids).unwrap(),
                &q["answer"],
                &format!("{name} by ids {ids:?}"),
            );
        }
        for id in keys(&a["get_all_artifacts_for_execution"]) {
            let ours = store.cmf_artifacts_for_execution(id.parse().unwrap(), None).unwrap();
            same_frame(
                &ours,
                &a["get_all_artifacts_for_execution"][&id],
                &format!("{name} artifacts of {id}"),
            );
        }
        for art in keys(&a["get_one_hop_parent_artifacts"]) {
            let what = format!("{name} artifact {art}");
            let theirs = &a["get_all_executions_for_artifact"][&art];
            let ours = store.cmf_executions_for_artifact(&art).unwrap();
            if theirs.get("error").is_none() {
                same_frame(&ours, theirs, &format!("{what}: executions"));
            }
            same_frame(
                &store.cmf_one_hop_artifacts(&art, CmfDirection::Parents, None).unwrap(),
                &a["get_one_hop_parent_artifacts"][&art],
                &format!("{what}: one-hop parents"),
            );
            same_frame(
                &store.cmf_one_hop_artifacts(&art, CmfDirection::Children, None).unwrap(),
                &a["get_one_hop_child_artifacts"][&art],
                &format!("{what}: one-hop children"),
            );
            same_frame(
                &store.cmf_all_artifacts(&art, CmfDirection::Parents).unwrap(),
                &a["get_all_parent_artifacts"][&art],
                &format!("{what}: all parents"),
            );
            same_frame(
                &store.cmf_all_artifacts(&art, CmfDirection::Children).unwrap(),
                &a["get_all_child_artifacts"][&art],
                &format!("{what}: all children"),
            );
            match (
                store.cmf_find_producer_execution(&art).unwrap(),
                &a["find_producer_execution"][&art],
            ) {
                (None, Value::Null) => {}
                (Some(o), t) if !t.is_null() => same_execution(&o, t, &format!("{what}: producer")),
                (o, t) => panic!("{what}: producer: ours {o:?}, cmflib {t}"),
            }
        }
    }
}

#[test]
fn dumptojson_of_mnist_equals_cmfs_own_export() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let ours: Value =
        serde_json::from_str(&store.export_cmf_json(Some("mnist"), None).unwrap()).unwrap();
    let path = fixture("cmf_small.dumptojson.json");
    let theirs: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(ours, theirs);
    // Written straight from the records, with the text a `serde_json::Value` tree writes:
    // compact, every object's keys sorted.
    let text = store.export_cmf_json(Some("mnist"), None).unwrap();
    assert_eq!(text, serde_json::to_string(&ours).unwrap());
    let one =
        store.export_cmf_json(Some("mnist"), Some("deaba28a-e876-11f1-a1af-02fc00000001")).unwrap();
    let one: Value = serde_json::from_str(&one).unwrap();
    let executions: Vec<i64> = one["Pipeline"][0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["executions"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(executions, [9]);
    assert_eq!(store.export_cmf_json(None, None).unwrap_err().kind(), "invalid-argument");
}

#[test]
fn a_direction_other_than_input_or_output_is_an_invalid_argument() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let inputs = store.cmf_artifacts_for_execution(12, Some("input")).unwrap();
    assert_eq!(inputs.column("event").unwrap(), [json!("INPUT"), json!("INPUT"), json!("INPUT")]);
    let err = store.cmf_artifacts_for_execution(12, Some("sideways")).unwrap_err();
    assert_eq!(err.kind(), "invalid-argument");
}

#[test]
fn every_cmf_question_answers_on_every_store_without_failing() {
    for path in common::good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        for p in store.cmf_pipeline_names().unwrap().iter().chain([&"x".to_string()]) {
            store.cmf_executions_in_pipeline(p).unwrap();
            store.export_cmf_json(Some(p), None).unwrap();
        }
        let ids = store.execution_ids(&Default::default()).unwrap();
        store.cmf_executions_by_ids(&ids).unwrap();
        for id in ids.iter().take(5) {
            store.cmf_artifacts_for_execution(*id, None).unwrap();
        }
        for art in ["", "x"] {
            store.cmf_executions_for_artifact(art).unwrap();
            store.cmf_all_artifacts(art, CmfDirection::Parents).unwrap();
            store.cmf_all_artifacts(art, CmfDirection::Children).unwrap();
            store.cmf_find_producer_execution(art).unwrap();
        }
    }
}

/// A chain artifact 1 → execution 1 → artifact 2 → … → artifact `n + 1` in a copy of the
/// empty store.
fn chain(n: i64, tag: &str) -> std::path::PathBuf {
    let path = common::temp_copy("mlmd_empty.sqlite", tag);
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch("BEGIN").unwrap();
    for i in 1..=n + 1 {
        db.execute(
            "INSERT INTO Artifact(id, type_id, name) VALUES (?1, 1, ?2)",
            rusqlite::params![i, format!("a{i}")],
        )
        .unwrap();
    }
    for i in 1..=n {
        db.execute("INSERT INTO Execution(id, type_id) VALUES (?1, 5)", [i]).unwrap();
        db.execute("INSERT INTO Event(artifact_id, execution_id, type) VALUES (?1, ?1, 3)", [i])
            .unwrap();
        db.execute(
            "INSERT INTO Event(artifact_id, execution_id, type) VALUES (?1 + 1, ?1, 4)",
            [i],
        )
        .unwrap();
    }
    db.execute_batch("COMMIT").unwrap();
    path
}

#[test]
fn a_lineage_thousands_of_hops_deep_is_walked_whole() {
    // cmflib recurses once per hop (and stops at Python's recursion limit); the walk here
    // neither recurses nor repeats work, so 5,000 hops take no stack and little time.
    let n = 5_000;
    let store = Store::open_path(chain(n, "deep-chain")).unwrap();
    let parents = store.cmf_all_artifacts(&format!("a{}", n + 1), CmfDirection::Parents).unwrap();
    let ids: Vec<i64> = parents.column("id").unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(ids, (1..=n).rev().collect::<Vec<_>>());
    let children = store.cmf_all_artifacts("a1", CmfDirection::Children).unwrap();
    assert_eq!(children.len() as i64, n);
    assert_eq!(store.cmf_one_hop_artifacts("a2", CmfDirection::Parents, None).unwrap().len(), 1);
    assert_eq!(store.cmf_find_producer_execution("a2").unwrap().unwrap().id, 1);
}
