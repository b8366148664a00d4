//! Issue 12, "TFX and plain MLMD stores that read well" and "cmflib durations": display
//! names, short type names, JSON inside properties and ends from events, each checked
//! against plain SQL over the fixtures.

mod common;

use std::collections::HashMap;

use common::{fixture, good_fixtures, raw};
use mlmd_lens::{conventions, EndSource, ExecutionQuery, Store};

fn all() -> ExecutionQuery {
    ExecutionQuery { limit: Some(usize::MAX), ..Default::default() }
}

fn count(store: &Store, query: &str) -> usize {
    store.executions(&ExecutionQuery { query: Some(query.into()), ..all() }).unwrap().total
}

fn ids(store: &Store, query: &str) -> Vec<i64> {
    let q = ExecutionQuery { query: Some(query.into()), ..all() };
    store.executions(&q).unwrap().rows.iter().map(|r| r.id).collect()
}

/// The display name of every artifact, computed from SQL alone by the documented rule.
fn expected_artifact_names(db: &rusqlite::Connection) -> HashMap<i64, String> {
    let mut st = db
        .prepare(
            "SELECT a.id, coalesce(nullif(trim(coalesce(a.name, '')), ''),
                (SELECT trim(p.string_value) FROM ArtifactProperty p WHERE p.artifact_id = a.id
                  AND p.name = 'display_name' ORDER BY p.is_custom_property LIMIT 1), ''),
                coalesce(a.uri, ''), coalesce(t.name, ''),
                (SELECT ev.execution_id FROM Event ev WHERE ev.artifact_id = a.id AND ev.type IN (1,4,6,7)
                  ORDER BY ev.type != 4, ev.id LIMIT 1),
                (SELECT p.step_key FROM Event ev JOIN EventPath p ON p.event_id = ev.id
                  WHERE ev.artifact_id = a.id AND ev.type IN (1,4,6,7) AND p.is_index_step = 0
                  AND ev.id = (SELECT e2.id FROM Event e2 WHERE e2.artifact_id = a.id AND e2.type IN (1,4,6,7)
                               ORDER BY e2.type != 4, e2.id LIMIT 1) LIMIT 1)
             FROM Artifact a LEFT JOIN Type t ON t.id = a.type_id",
        )
        .unwrap();
    // The producer's stage: its TFX `node` context (`<pipeline>.<node>`, the pipeline
    // being another context of the execution) or its cmflib stage (`<pipeline>/<stage>`).
    let stage_of = |exec: i64| -> String {
        let named = |types: &str| -> Option<String> {
            db.query_row(
                &format!(
                    "SELECT c.name FROM Association a JOIN Context c ON c.id = a.context_id
                     JOIN Type t ON t.id = c.type_id WHERE a.execution_id = ?1 AND t.name IN ({types})
                     ORDER BY c.id LIMIT 1"
                ),
                [exec],
                |r| r.get(0),
            )
            .ok()
        };
        let stage = named("'node', 'Pipeline_Stage'").unwrap_or_default();
        let pipeline = named("'pipeline'").unwrap_or_default();
        let stage = stage.strip_prefix(&format!("{pipeline}.")).unwrap_or(&stage);
        stage.rsplit('/').next().unwrap_or_default().to_string()
    };
    st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .map(|(id, name, uri, type_name, producer, key)| {
        let want = if !name.trim().is_empty() {
            name
        } else if let (Some(exec), Some(key)) = (producer, key.filter(|k| !k.is_empty())) {
            format!("{key} ({} #{exec})", stage_of(exec))
        } else if !uri.is_empty() {
            let segs: Vec<&str> = uri.split('/').filter(|s| !s.is_empty()).collect();
            let take = if segs.last().unwrap().chars().all(|c| c.is_ascii_digit()) { 3 } else { 2 };
            segs[segs.len().saturating_sub(take)..].join("/")
        } else {
            format!("{} #{id}", conventions::short_type_name(&type_name))
        };
        (id, want)
    })
    .collect()
}

#[test]
fn artifact_display_names_are_never_empty_and_follow_the_rule_everywhere() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let want = expected_artifact_names(&raw(&path));
        let mut seen = 0;
        for row in store.executions(&all()).unwrap().rows {
            let d = store.execution(row.id).unwrap();
            for a in d.inputs.iter().chain(&d.outputs) {
                assert!(!a.display_name.trim().is_empty(), "{path:?} artifact {}", a.id);
                assert_eq!(a.display_name, want[&a.id], "{path:?} artifact {}", a.id);
                seen += 1;
            }
            // Events name the artifact the same way (not "artifact 1").
            for ev in &d.events {
                assert_eq!(ev.artifact_display_name, want[&ev.artifact_id], "{path:?}");
            }
            // And so does lineage.
            for node in store.lineage(row.id, 1, 500).unwrap().nodes {
                if node.kind == "artifact" {
                    assert_eq!(node.name, want[&node.id], "{path:?} lineage a{}", node.id);
                }
            }
        }
        let linked: i64 =
            raw(&path).query_row("SELECT count(*) FROM Event", [], |r| r.get(0)).unwrap();
        assert!(linked == 0 || seen > 0, "{path:?}: artifacts were checked");
    }
}

#[test]
fn tfx_artifacts_are_named_by_output_key_and_producer() {
    let store = Store::open_path(fixture("tfx_pipeline.sqlite")).unwrap();
    let db = raw(&fixture("tfx_pipeline.sqlite"));
    let nulls: i64 = db
        .query_row("SELECT count(*) FROM Artifact WHERE name IS NULL OR name = ''", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(nulls > 0, "the fixture leaves artifact names NULL");
    let trainer: i64 = db
        .query_row(
            "SELECT e.id FROM Execution e JOIN Type t ON t.id = e.type_id
             WHERE t.name LIKE '%.Trainer' AND e.last_known_state = 3 ORDER BY e.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let d = store.execution(trainer).unwrap();
    let names: Vec<&str> = d.outputs.iter().map(|a| a.display_name.as_str()).collect();
    assert!(names.contains(&format!("model (Trainer #{trainer})").as_str()), "{names:?}");
    assert!(d.outputs.iter().all(|a| a.name.is_empty()), "the raw name stays as recorded");
    let inputs: Vec<&str> = d.inputs.iter().map(|a| a.display_name.as_str()).collect();
    assert!(inputs.iter().any(|n| n.starts_with("examples (CsvExampleGen #")), "{inputs:?}");
    assert!(inputs.iter().any(|n| n.starts_with("schema (")), "{inputs:?}");
}

#[test]
fn type_matches_the_short_and_the_full_name() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let db = raw(&path);
        let mut st = db
            .prepare("SELECT DISTINCT t.name FROM Execution e JOIN Type t ON t.id = e.type_id")
            .unwrap();
        let types: Vec<String> =
            st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        let total = store.summary().unwrap().executions;
        for full in types {
            let short = conventions::short_type_name(&full).to_string();
            let sql: usize = db
                .query_row(
                    "SELECT count(*) FROM Execution e JOIN Type t ON t.id = e.type_id
                     WHERE t.name = ?1 OR t.name LIKE '%.' || ?1 OR t.name = ?2",
                    [&short, &full],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap() as usize;
            let q = |s: &str| count(&store, s);
            assert_eq!(
                q(&format!("type={}", mlmd_lens::query::quote_value(&short))),
                sql,
                "{full}"
            );
            // `type:` (contains) finds at least the exact matches.
            let contains =
                q(&format!("type:{}", mlmd_lens::query::quote_value(&short.to_lowercase())));
            assert!(contains >= sql, "{full}");
            assert!(q(&format!("type={}", mlmd_lens::query::quote_value(&full))) > 0, "{full}");
            assert_eq!(
                q(&format!("type!={}", mlmd_lens::query::quote_value(&short))),
                total - sql,
                "{full}"
            );
            // The filter option takes either name too.
            let filtered = |t: &str| {
                store
                    .executions(&ExecutionQuery { type_name: Some(t.into()), ..all() })
                    .unwrap()
                    .total
            };
            assert_eq!(filtered(&short), sql, "{full}");
        }
    }
    // TFX: `type=Trainer` counts the executions whose type ends with `.Trainer`.
    let path = fixture("tfx_pipeline.sqlite");
    let store = Store::open_path(&path).unwrap();
    let sql: i64 = raw(&path)
        .query_row(
            "SELECT count(*) FROM Execution e JOIN Type t ON t.id = e.type_id WHERE t.name LIKE '%.Trainer'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql > 0);
    assert_eq!(count(&store, "type=Trainer"), sql as usize);
    assert_eq!(count(&store, "type:trainer"), sql as usize);
    assert_eq!(count(&store, "type=tfx.components.trainer.component.Trainer"), sql as usize);
    let summary = store.summary().unwrap();
    assert!(summary.execution_type_names.contains(&"Trainer".to_string()));
    assert!(summary
        .execution_types
        .contains(&"tfx.components.trainer.component.Trainer".to_string()));
    for row in store.executions(&all()).unwrap().rows {
        assert_eq!(row.type_name, conventions::short_type_name(&row.type_full));
        assert!(!row.type_name.contains('.'), "{}", row.type_full);
    }
}

#[test]
fn uuid_execution_names_show_as_stage_and_first_8() {
    let path = fixture("tfx_pipeline.sqlite");
    let store = Store::open_path(&path).unwrap();
    let db = raw(&path);
    for row in store.executions(&all()).unwrap().rows {
        let name: String = db
            .query_row("SELECT name FROM Execution WHERE id = ?1", [row.id], |r| r.get(0))
            .unwrap();
        assert!(conventions::is_uuid(&name));
        assert_eq!(row.name, format!("{}_{}", row.stage, &name[..8]));
        let d = store.execution(row.id).unwrap();
        assert_eq!(d.uuid, name);
        assert_eq!(d.raw_name, name);
    }
    // The short name searches as the name.
    assert!(count(&store, "name:trainer_") > 0);
}

/// Executions whose JSON property value at `path` (a SQLite JSON path) satisfies `cond`.
fn json_ids(db: &rusqlite::Connection, name: &str, path: &str, cond: &str) -> Vec<i64> {
    let sql = format!(
        "SELECT DISTINCT execution_id FROM ExecutionProperty
         WHERE name = ?1 AND json_valid(string_value)
           AND json_type(string_value) IN ('object', 'array')
           AND json_extract(string_value, ?2) {cond} ORDER BY execution_id"
    );
    let mut st = db.prepare(&sql).unwrap();
    st.query_map([name, path], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn json_paths_reach_inside_properties_as_json_extract_does() {
    let path = fixture("tfx_pipeline.sqlite");
    let store = Store::open_path(&path).unwrap();
    let db = raw(&path);
    let cases = [
        ("property:train_args.num_steps>1", "train_args", "$.num_steps", "> 1"),
        ("property:train_args.num_steps=2", "train_args", "$.num_steps", "= 2"),
        ("property:eval_args.num_steps<=5", "eval_args", "$.num_steps", "<= 5"),
        ("property:custom_config.hidden=8", "custom_config", "$.hidden", "= 8"),
        (
            "property:input_config.splits[0].name=single_split",
            "input_config",
            "$.splits[0].name",
            "= 'single_split'",
        ),
        (
            "property:input_config.splits.0.pattern:*",
            "input_config",
            "$.splits[0].pattern",
            "LIKE '%*%'",
        ),
        (
            "property:output_config.split_config.splits[1].hash_buckets>=1",
            "output_config",
            "$.split_config.splits[1].hash_buckets",
            ">= 1",
        ),
        (
            "property:push_destination.filesystem.base_directory:serving",
            "push_destination",
            "$.filesystem.base_directory",
            "LIKE '%serving%'",
        ),
    ];
    for (query, name, json_path, cond) in cases {
        let want = json_ids(&db, name, json_path, cond);
        assert!(!want.is_empty(), "{query}: the fixture has such values");
        assert_eq!(ids(&store, query), want, "{query}");
    }
    // Present / absent, and a path that finds nothing.
    let steps = json_ids(&db, "train_args", "$.num_steps", "IS NOT NULL");
    assert_eq!(ids(&store, "property:train_args.num_steps"), steps);
    assert_eq!(count(&store, "property:train_args.nothing_here>0"), 0);
    // Sorting by a path orders by the number inside.
    let q = ExecutionQuery {
        query: Some("property:train_args.num_steps".into()),
        sort: Some("-property:train_args.num_steps".into()),
        ..all()
    };
    let rows = store.executions(&q).unwrap().rows;
    let nums: Vec<i64> = rows
        .iter()
        .map(|r| {
            db.query_row(
                "SELECT json_extract(string_value, '$.num_steps') FROM ExecutionProperty WHERE execution_id = ?1 AND name = 'train_args'",
                [r.id],
                |x| x.get(0),
            )
            .unwrap()
        })
        .collect();
    assert!(nums.windows(2).all(|w| w[0] >= w[1]), "{nums:?}");
    // The details mark JSON strings, so they can be shown folded.
    let d = store.execution(steps[0]).unwrap();
    let p = d.typed_properties.iter().find(|p| p.name == "train_args").unwrap();
    assert_eq!(
        p.json.as_ref().map(|v| v.to_json()["num_steps"].clone()),
        Some(serde_json::json!(2))
    );
    let plain = d.typed_properties.iter().filter(|p| p.kind == "int").all(|p| p.json.is_none());
    assert!(plain);
}

#[test]
fn a_property_named_with_dots_wins_over_a_path() {
    // mlmd_tfx has no dotted names; a name that does not exist and has no JSON base
    // finds nothing, and an exact name still works.
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    assert_eq!(count(&store, "property:no.such.thing=1"), 0);
    assert!(count(&store, "property:Execution_uuid") > 0);
}

#[test]
fn ends_are_the_later_of_last_update_and_the_latest_event() {
    let mut from_events = 0;
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let db = raw(&path);
        for row in store.executions(&all()).unwrap().rows {
            let (state, updated, last_event): (Option<i64>, Option<i64>, Option<i64>) = db
                .query_row(
                    "SELECT last_known_state, last_update_time_since_epoch,
                            (SELECT max(milliseconds_since_epoch) FROM Event WHERE execution_id = e.id)
                     FROM Execution e WHERE id = ?1",
                    [row.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap();
            let d = store.execution(row.id).unwrap();
            let stateless = state.is_none_or(|s| s == 0);
            if !stateless && ![3, 4, 5, 6].contains(&state.unwrap()) {
                assert_eq!(row.ended_ms, None, "pending and running have no end");
                assert_eq!(d.ended_from, EndSource::None);
                continue;
            }
            let want = match (updated, last_event) {
                (Some(u), Some(e)) if stateless => Some(u.max(e)),
                (u, e) if stateless => u.or(e),
                // A final state was set at the last update: that is the end.
                (u, _) => u,
            };
            assert_eq!(row.ended_ms, want, "{path:?} execution {}", row.id);
            let later = last_event.is_some_and(|e| updated.is_none_or(|u| e > u));
            let source = if stateless && later { EndSource::Events } else { EndSource::LastUpdate };
            assert_eq!(d.ended_from, source, "{path:?} execution {}", row.id);
            from_events += usize::from(source == EndSource::Events);
        }
    }
    assert!(from_events > 0, "cmflib's outputs are logged after its last update");
}

#[test]
fn cmflib_train_lasts_until_its_outputs_are_logged() {
    let path = fixture("cmf_small.sqlite");
    let store = Store::open_path(&path).unwrap();
    let db = raw(&path);
    let q = ExecutionQuery { stage: Some("Train".into()), ..all() };
    let rows = store.executions(&q).unwrap().rows;
    assert!(!rows.is_empty());
    for row in rows {
        let (created, end): (i64, i64) = db
            .query_row(
                "SELECT create_time_since_epoch, max(last_update_time_since_epoch,
                   coalesce((SELECT max(milliseconds_since_epoch) FROM Event WHERE execution_id = e.id), 0))
                 FROM Execution e WHERE id = ?1",
                [row.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(row.duration_ms, Some(end - created));
        // The duration filter and the stats follow the same end.
        let slower = count(&store, &format!("duration>={}ms AND id={}", end - created, row.id));
        assert_eq!(slower, 1);
    }
}

#[test]
fn a_kfp_display_name_property_names_an_unnamed_artifact() {
    let path = common::temp_copy("tfx_pipeline.sqlite", "kfp-display-name");
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        db.execute(
            "INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, string_value)
             VALUES (5, 'display_name', 1, ' trained-model ')",
            [],
        )
        .unwrap();
    }
    let store = Store::open_path(&path).unwrap();
    let d = store.execution(5).unwrap();
    let a = d.outputs.iter().find(|a| a.id == 5).unwrap();
    assert_eq!(a.display_name, "trained-model");
    assert_eq!(a.name, "", "the recorded name stays as it is");
    let want = expected_artifact_names(&raw(&path));
    assert_eq!(want[&5], "trained-model");
    for a in d.inputs.iter().chain(&d.outputs) {
        assert_eq!(a.display_name, want[&a.id]);
    }
}
