//! Integration tests over every fixture: what the store reports is checked against
//! values read with plain SQL from the same files.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{fixture, good_fixtures, raw, temp_copy};
use mlmd_lens::{Error, ExecutionQuery, Status, Store, Value};
use serde_json::json;

fn all() -> ExecutionQuery {
    ExecutionQuery { limit: Some(usize::MAX), ..Default::default() }
}

fn name_of(p: &std::path::Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn table_counts_match_sql() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let s = store.summary().unwrap();
        let db = raw(&path);
        let count = |t: &str| -> usize {
            db.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get::<_, i64>(0)).unwrap()
                as usize
        };
        let f = name_of(&path);
        assert_eq!(s.executions, count("Execution"), "{f}");
        assert_eq!(s.artifacts, count("Artifact"), "{f}");
        assert_eq!(s.contexts, count("Context"), "{f}");
        assert_eq!(s.events, count("Event"), "{f}");
        let version: i64 =
            db.query_row("SELECT schema_version FROM MLMDEnv", [], |r| r.get(0)).unwrap();
        assert_eq!(s.schema_version, version, "{f}");
        assert_eq!(store.executions(&all()).unwrap().rows.len(), s.executions, "{f}");
    }
}

#[test]
fn states_and_types_match_sql() {
    for path in good_fixtures() {
        let f = name_of(&path);
        let store = Store::open_path(&path).unwrap();
        let db = raw(&path);
        let mut want_states: BTreeMap<String, usize> = BTreeMap::new();
        let mut stmt =
            db.prepare("SELECT last_known_state, count(*) FROM Execution GROUP BY 1").unwrap();
        for r in
            stmt.query_map([], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, i64>(1)?))).unwrap()
        {
            let (state, n) = r.unwrap();
            *want_states.entry(Status::from_state(state).label().into()).or_default() += n as usize;
        }
        assert_eq!(store.summary().unwrap().states, want_states, "{f}");

        let mut stmt = db
            .prepare("SELECT t.name, count(*) FROM Execution e JOIN Type t ON t.id = e.type_id GROUP BY 1")
            .unwrap();
        let want_types: BTreeMap<String, usize> = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (t, n) in &want_types {
            let q = ExecutionQuery { type_name: Some(t.clone()), ..all() };
            assert_eq!(store.executions(&q).unwrap().total, *n, "{f} type {t}");
        }
        let types: BTreeSet<String> = want_types.keys().cloned().collect();
        assert_eq!(
            store.summary().unwrap().execution_types.into_iter().collect::<BTreeSet<_>>(),
            types
        );
    }
}

#[test]
fn the_fixture_readme_facts_hold() {
    let tfx = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let states = tfx.summary().unwrap().states;
    let want: BTreeMap<String, usize> =
        [("Running", 2), ("Completed", 13), ("Failed", 1), ("Cached", 1), ("Canceled", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    assert_eq!(states, want);

    let cmf = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let s = cmf.summary().unwrap();
    assert_eq!(s.flavor, "cmf");
    assert_eq!(s.pipelines, vec!["fraud-detection", "mnist"]);
    assert_eq!(s.states, BTreeMap::from([("Unknown".to_string(), 20)]));
    for (pipeline, n) in [("mnist", 12), ("fraud-detection", 8)] {
        let q = ExecutionQuery { pipeline: Some(pipeline.into()), ..all() };
        assert_eq!(cmf.executions(&q).unwrap().total, n, "{pipeline}");
    }
    for stage in ["Prepare", "Featurize", "Train", "Evaluate"] {
        let q = ExecutionQuery { type_name: Some(stage.into()), ..all() };
        assert_eq!(cmf.executions(&q).unwrap().total, 5, "{stage}");
        let q = ExecutionQuery { stage: Some(stage.into()), ..all() };
        assert_eq!(cmf.executions(&q).unwrap().total, 5, "{stage}");
    }
    let q = ExecutionQuery { stage: Some("mnist/Train".into()), ..all() };
    assert_eq!(cmf.executions(&q).unwrap().total, 3);
}

/// Pipeline and stage of every execution, from the contexts with plain SQL.
#[test]
fn pipeline_and_stage_match_contexts() {
    for (file, stage_type, pipeline_type, sep) in [
        ("cmf_small.sqlite", "Pipeline_Stage", "Parent_Context", "/"),
        ("mlmd_tfx.sqlite", "node", "pipeline", "."),
        ("mlmd_tfx_v6.sqlite", "node", "pipeline", "."),
    ] {
        let path = fixture(file);
        let db = raw(&path);
        let sql = "SELECT a.execution_id, c.name FROM Association a JOIN Context c ON c.id = a.context_id \
                   JOIN Type t ON t.id = c.type_id WHERE t.name = ?1";
        let by_type = |t: &str| -> BTreeMap<i64, String> {
            let mut stmt = db.prepare(sql).unwrap();
            stmt.query_map([t], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let stages = by_type(stage_type);
        let mut pipelines = by_type(pipeline_type);
        if pipelines.is_empty() {
            // cmflib associates executions with the stage only: the pipeline is its parent.
            let mut stmt = db
                .prepare(
                    "SELECT a.execution_id, pc.name FROM Association a JOIN ParentContext p ON p.context_id = a.context_id \
                     JOIN Context pc ON pc.id = p.parent_context_id",
                )
                .unwrap();
            pipelines = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
        }
        let store = Store::open_path(&path).unwrap();
        for row in store.executions(&all()).unwrap().rows {
            let pipeline = &pipelines[&row.id];
            assert_eq!(&row.pipeline, pipeline, "{file} #{}", row.id);
            let stage = stages[&row.id].strip_prefix(&format!("{pipeline}{sep}")).unwrap();
            assert_eq!(row.stage, stage, "{file} #{}", row.id);
        }
    }
}

#[test]
fn every_execution_detail_matches_sql() {
    for path in good_fixtures() {
        let f = name_of(&path);
        let store = Store::open_path(&path).unwrap();
        let db = raw(&path);
        for row in store.executions(&all()).unwrap().rows {
            let d = store.execution(row.id).unwrap();
            assert_eq!(d.row, row, "{f}: the details carry the same row");
            let (state, name, created, updated): (Option<i64>, Option<String>, i64, i64) = db
                .query_row(
                    "SELECT last_known_state, name, create_time_since_epoch, last_update_time_since_epoch FROM Execution WHERE id = ?1",
                    [row.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .unwrap();
            assert_eq!(d.row.state, state);
            assert_eq!(d.row.status, Status::from_state(state));
            match name.filter(|n| !n.is_empty()) {
                // A UUID name (TFX) shows as `<stage>_<first 8>`, the UUID in the details.
                Some(n) if mlmd_lens::conventions::is_uuid(&n) => {
                    assert_eq!(d.row.name, format!("{}_{}", d.row.stage, &n[..8]), "{f}");
                    assert_eq!(d.uuid, n);
                    assert_eq!(d.raw_name, n);
                }
                Some(n) => assert_eq!(d.row.name, n),
                None => assert!(!d.row.name.is_empty()),
            }
            assert_eq!(d.created_ms, Some(created));
            assert_eq!(d.updated_ms, Some(updated));
            assert_eq!(
                d.row.started_ms,
                Some(created),
                "{f}: no original_create_time in the fixtures"
            );

            // Properties: same names, same declared/custom split, same values.
            let mut stmt =
                db.prepare("SELECT * FROM ExecutionProperty WHERE execution_id = ?1").unwrap();
            let cols: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
            let value_cols: Vec<usize> =
                (0..cols.len()).filter(|&i| cols[i].ends_with("_value")).collect();
            let mut rows = stmt.query([row.id]).unwrap();
            let mut n = 0;
            while let Some(r) = rows.next().unwrap() {
                n += 1;
                let name: String = r.get("name").unwrap();
                let custom: i64 = r.get("is_custom_property").unwrap();
                let ours =
                    if custom == 1 { &d.props.custom_properties } else { &d.props.properties };
                let got =
                    ours.get(&name).unwrap_or_else(|| panic!("{f} #{}: missing {name}", row.id));
                let mut want = serde_json::Value::Null;
                for &i in &value_cols {
                    use rusqlite::types::ValueRef::*;
                    match r.get_ref(i).unwrap() {
                        Null => continue,
                        Integer(v) if cols[i] == "bool_value" => want = json!(v != 0),
                        Integer(v) => want = json!(v),
                        Real(v) => want = json!(v),
                        Text(t) => want = json!(std::str::from_utf8(t).unwrap()),
                        Blob(_) => want = json!({ "blob": true }),
                    }
                    break;
                }
                match got {
                    Value::Struct(_) => {
                        assert!(want.as_str().unwrap().starts_with("mlmd-struct::"))
                    }
                    other => assert_eq!(other.to_json(), want, "{f} #{} {name}", row.id),
                }
            }
            assert_eq!(n, d.props.properties.len() + d.props.custom_properties.len());
            assert_eq!(d.typed_properties.len(), n);

            // Events and the artifacts they link, in time order.
            let mut stmt = db
                .prepare("SELECT id, artifact_id, type FROM Event WHERE execution_id = ?1 ORDER BY milliseconds_since_epoch, id")
                .unwrap();
            let events: Vec<(i64, i64, i64)> = stmt
                .query_map([row.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(
                d.events.iter().map(|e| e.id).collect::<Vec<_>>(),
                events.iter().map(|e| e.0).collect::<Vec<_>>()
            );
            let ins: Vec<i64> =
                events.iter().filter(|e| [2, 3, 5].contains(&e.2)).map(|e| e.1).collect();
            let outs: Vec<i64> =
                events.iter().filter(|e| [1, 4, 6, 7].contains(&e.2)).map(|e| e.1).collect();
            assert_eq!(d.inputs.iter().map(|a| a.id).collect::<Vec<_>>(), ins, "{f} #{}", row.id);
            assert_eq!(d.outputs.iter().map(|a| a.id).collect::<Vec<_>>(), outs, "{f} #{}", row.id);
            for a in d.inputs.iter().chain(&d.outputs) {
                let (uri, name, state): (Option<String>, Option<String>, Option<i64>) = db
                    .query_row("SELECT uri, name, state FROM Artifact WHERE id = ?1", [a.id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .unwrap();
                assert_eq!(a.uri, uri.unwrap_or_default());
                assert_eq!(a.name, name.unwrap_or_default());
                assert_eq!(a.state, mlmd_lens::conventions::artifact_state_label(state));
                let n: i64 = db
                    .query_row(
                        "SELECT count(*) FROM ArtifactProperty WHERE artifact_id = ?1",
                        [a.id],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(n as usize, a.props.properties.len() + a.props.custom_properties.len());
            }
        }
    }
}

#[test]
fn struct_properties_decode_to_json() {
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let d = store.execution(1).unwrap();
    assert_eq!(
        d.props.custom_properties["config"].to_json(),
        json!({"layers": [64.0, 32.0], "dropout": 0.2})
    );
    assert_eq!(d.props.custom_properties["config"].kind(), "struct");
    assert_eq!(d.props.custom_properties["use_gpu"], Value::Bool(false));
    // Schema 6 has no bool_value column: the value is not recorded there, not invented.
    let v6 = Store::open_path(fixture("mlmd_tfx_v6.sqlite")).unwrap();
    assert_eq!(v6.execution(1).unwrap().props.custom_properties["use_gpu"], Value::Null);
}

#[test]
fn cmf_float_parameters_stay_strings_but_read_as_numbers() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let d = store.execution(3).unwrap();
    let lr = &d.props.custom_properties["learning_rate"];
    assert!(matches!(lr, Value::String(_)));
    assert!(lr.as_number().is_some());
}

#[test]
fn cmf_rows_follow_cmflib_conventions() {
    let path = fixture("cmf_small.sqlite");
    let db = raw(&path);
    let store = Store::open_path(&path).unwrap();
    for row in store.executions(&all()).unwrap().rows {
        let prop = |name: &str| -> String {
            db.query_row(
                "SELECT coalesce(string_value, '') FROM ExecutionProperty WHERE execution_id = ?1 AND name = ?2",
                rusqlite::params![row.id, name],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(row.git_commit, prop("Git_Start_Commit"));
        assert_eq!(row.git_commit_short, prop("Git_Start_Commit")[..8]);
        assert_eq!(row.name, format!("{}_{}", row.stage, &prop("Execution_uuid")[..8]));
        assert_eq!(row.status, Status::Unknown, "cmflib records no state: none is guessed");
        assert_eq!(row.pipeline, prop("Pipeline_Type"));
        let d = store.execution(row.id).unwrap();
        assert_eq!(d.command, prop("Execution"));
        assert_eq!(d.git.repo, prop("Git_Repo"));
        assert_eq!(d.git.branch, "", "no branch is stored by cmflib");
        // cmflib records no end: the later of the last update and the latest event.
        let last_event: Option<i64> = db
            .query_row(
                "SELECT max(milliseconds_since_epoch) FROM Event WHERE execution_id = ?1",
                [row.id],
                |r| r.get(0),
            )
            .unwrap();
        let end = d.updated_ms.unwrap().max(last_event.unwrap_or(i64::MIN));
        assert_eq!(row.duration_ms, Some(end - d.created_ms.unwrap()));
    }
}

#[test]
fn older_schema_versions_give_the_same_rows() {
    let v10 = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    for old in ["mlmd_tfx_v8.sqlite", "mlmd_tfx_v6.sqlite"] {
        let store = Store::open_path(fixture(old)).unwrap();
        assert_eq!(store.executions(&all()).unwrap(), v10.executions(&all()).unwrap(), "{old}");
        assert!(store.warnings().is_empty(), "{old}: {:?}", store.warnings());
        for id in [1, 5, 20] {
            let (a, b) = (v10.execution(id).unwrap(), store.execution(id).unwrap());
            assert_eq!(a.inputs.len(), b.inputs.len());
            assert_eq!(a.outputs.len(), b.outputs.len());
            assert_eq!(a.events, b.events);
        }
    }
}

#[test]
fn tfx_running_executions_have_no_end() {
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let q = ExecutionQuery { status: Some("RUNNING".into()), ..all() };
    let page = store.executions(&q).unwrap();
    assert_eq!(page.total, 2);
    assert!(page.rows.iter().all(|r| r.ended.is_none() && r.duration_ms.is_none()));
}

#[test]
fn sort_and_paging_are_stable() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let q = |sort: &str| ExecutionQuery { sort: Some(sort.into()), ..all() };
    let started: Vec<i64> = store
        .executions(&q("started"))
        .unwrap()
        .rows
        .iter()
        .map(|r| r.started_ms.unwrap())
        .collect();
    assert!(started.windows(2).all(|w| w[0] <= w[1]));
    let desc: Vec<i64> = store
        .executions(&q("-duration"))
        .unwrap()
        .rows
        .iter()
        .map(|r| r.duration_ms.unwrap())
        .collect();
    assert!(desc.windows(2).all(|w| w[0] >= w[1]));
    // Ties keep id order in both directions.
    let by_pipeline = store.executions(&q("-pipeline")).unwrap().rows;
    for w in by_pipeline.windows(2) {
        assert!(
            w[0].pipeline > w[1].pipeline || (w[0].pipeline == w[1].pipeline && w[0].id < w[1].id)
        );
    }
    let page = store
        .executions(&ExecutionQuery {
            sort: Some("-started".into()),
            offset: Some(18),
            limit: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((page.total, page.rows.len(), page.offset), (20, 2, 18));
}

#[test]
fn date_filters_use_utc_days_inclusively() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let rows = store.executions(&all()).unwrap().rows;
    let first = rows.iter().filter_map(|r| r.started_ms).min().unwrap();
    let day = mlmd_lens::iso_from_ms(first).unwrap()[..10].to_string();
    let q = ExecutionQuery {
        from: Some(mlmd_lens::TimeBound::Text(day.clone())),
        to: Some(mlmd_lens::TimeBound::Text(day.clone())),
        ..all()
    };
    let want = rows.iter().filter(|r| r.started.as_deref().unwrap().starts_with(&day)).count();
    assert_eq!(store.executions(&q).unwrap().total, want);
    assert!(want > 0);
    let q = ExecutionQuery { from: Some(mlmd_lens::TimeBound::Ms(first + 1)), ..all() };
    assert_eq!(
        store.executions(&q).unwrap().total,
        rows.iter().filter(|r| r.started_ms.unwrap() > first).count()
    );
}

#[test]
fn cmfquery_parity_with_cmflibs_own_export() {
    // cmf_small.dumptojson.json is CmfQuery("cmf_small.sqlite").dumptojson("mnist").
    let dump: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("cmf_small.dumptojson.json")).unwrap())
            .unwrap();
    let pipeline = &dump["Pipeline"][0];
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let pid = store.pipeline_id("mnist").unwrap().unwrap();
    assert_eq!(json!(pid), pipeline["id"]);
    let mut all_ids = Vec::new();
    for stage in pipeline["stages"].as_array().unwrap() {
        let full = stage["name"].as_str().unwrap();
        let short = full.strip_prefix("mnist/").unwrap();
        let sid = store.stage_id("mnist", short).unwrap().unwrap();
        assert_eq!(json!(sid), stage["id"]);
        let mut want: Vec<i64> = stage["executions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        want.sort();
        assert_eq!(store.executions_in_stage(sid).unwrap(), want);
        all_ids.extend(want);
        for e in stage["executions"].as_array().unwrap() {
            let d = store.execution(e["id"].as_i64().unwrap()).unwrap();
            assert_eq!(json!(d.props.properties), e["properties"]);
            assert_eq!(json!(d.props.custom_properties), e["custom_properties"]);
            assert_eq!(json!(d.row.type_name), e["type"]);
            let mut want_events: Vec<(i64, i64)> = e["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ev| (ev["type"].as_i64().unwrap(), ev["artifact"]["id"].as_i64().unwrap()))
                .collect();
            want_events.sort();
            let label_to_num = |l: &str| if l == "INPUT" { 3 } else { 4 };
            let mut ours: Vec<(i64, i64)> =
                d.events.iter().map(|ev| (label_to_num(ev.type_name), ev.artifact_id)).collect();
            ours.sort();
            assert_eq!(ours, want_events);
            for ev in e["events"].as_array().unwrap() {
                let a = &ev["artifact"];
                let dir = if ev["type"] == 3 { "INPUT" } else { "OUTPUT" };
                let ours = store.artifacts_for_execution(d.row.id, dir).unwrap();
                let mine = ours.iter().find(|x| json!(x.id) == a["id"]).unwrap();
                assert_eq!(json!(mine.props.properties), a["properties"]);
                assert_eq!(json!(mine.props.custom_properties), a["custom_properties"]);
                assert_eq!(json!(mine.uri), a["uri"]);
                assert_eq!(json!(mine.type_name), a["type"]);
            }
        }
    }
    all_ids.sort();
    assert_eq!(store.executions_in_pipeline(pid).unwrap(), all_ids);
    assert_eq!(store.pipeline_id("nope").unwrap(), None);
    assert_eq!(store.stage_id("mnist", "Nope").unwrap(), None);
}

#[test]
fn bad_inputs_get_specific_errors_and_stay_untouched() {
    for (file, kind, phrase) in [
        ("zero_bytes.sqlite", "empty", "empty"),
        ("not_sqlite.bin", "not-sqlite", "not an SQLite database"),
        ("truncated.sqlite", "truncated", "truncated"),
        ("plain_sqlite.sqlite", "not-mlmd", "no MLMD tables"),
    ] {
        let path = fixture(file);
        let before = std::fs::read(&path).unwrap();
        let err = Store::open_path(&path).unwrap_err();
        assert_eq!(err.kind(), kind, "{file}: {err}");
        assert!(err.to_string().contains(phrase), "{file}: {err}");
        assert!(!err.to_string().contains("out of memory"));
        assert!(err.for_file(file).starts_with(file));
        assert_eq!(std::fs::read(&path).unwrap(), before, "{file} was modified");
    }
    let e = Store::open_path(fixture("plain_sqlite.sqlite")).unwrap_err();
    assert!(e.to_string().contains("found: songs"), "{e}");
    assert!(matches!(Store::open_path("/no/such/file"), Err(Error::Io { .. })));
}

#[test]
fn a_newer_schema_version_opens_with_a_warning() {
    let path = temp_copy("mlmd_tfx.sqlite", "v11");
    raw_rw(&path).execute("UPDATE MLMDEnv SET schema_version = 11", []).unwrap();
    let store = Store::open_path(&path).unwrap();
    assert_eq!(store.schema_version(), 11);
    assert!(store.warnings()[0].contains("newer"), "{:?}", store.warnings());
    assert_eq!(store.summary().unwrap().executions, 20);
}

#[test]
fn a_store_missing_a_needed_column_is_unsupported() {
    let path = temp_copy("mlmd_tfx.sqlite", "nocol");
    let db = raw_rw(&path);
    db.execute_batch("ALTER TABLE Event RENAME COLUMN type TO kind").unwrap();
    drop(db);
    let e = Store::open_path(&path).unwrap_err();
    assert_eq!(e.kind(), "unsupported-schema", "{e}");
    assert!(e.to_string().contains("Event"), "{e}");
}

#[test]
fn damaged_pages_never_panic() {
    // Overwrite single pages of a real store with garbage: every call returns Ok or Err.
    let good = std::fs::read(fixture("mlmd_tfx.sqlite")).unwrap();
    let page = 4096;
    let mut errors = 0;
    for p in 1..good.len() / page {
        let mut bytes = good.clone();
        for (i, b) in bytes[p * page..(p + 1) * page].iter_mut().enumerate() {
            *b = (i * 7919 % 251) as u8;
        }
        match Store::open_bytes(&bytes) {
            Ok(store) => {
                let _ = store.summary();
                if let Ok(page) = store.executions(&all()) {
                    for r in page.rows {
                        let _ = store.execution(r.id);
                    }
                }
            }
            Err(e) => {
                errors += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    assert!(errors > 0, "damage went unnoticed on every page");
}

fn raw_rw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}
