//! Hostile stores, each made by the test from a real fixture (issue 10): odd values,
//! repeated rows, unusual layouts and extreme numbers are read or skipped, never a
//! failure of the whole store and never a silent disagreement between views.

mod common;

use common::{fixture, index_root_page};
use mlmd_lens::{ChartKind, ExecutionQuery, Store};
use rusqlite::Connection;

/// A copy of `name` changed by `sql`, as bytes (the fixture itself is untouched).
fn hostile(name: &str, sql: &str) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("mlmd-lens-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.sqlite", sql.len() ^ name.len()));
    std::fs::copy(fixture(name), &path).unwrap();
    Connection::open(&path).unwrap().execute_batch(sql).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    bytes
}

/// Every question a host asks, on every execution: none may fail.
fn ask_everything(store: &Store) {
    let all = ExecutionQuery { limit: Some(usize::MAX), ..Default::default() };
    let page = store.executions(&all).unwrap();
    for r in &page.rows {
        let d = store.execution(r.id).unwrap();
        store.lineage(r.id, 3, 500).unwrap();
        // The lineage graph from the execution, its artifacts and its contexts.
        let o = mlmd_lens::LineageOptions::default();
        store.lineage_graph(&format!("e{}", r.id), &o).unwrap();
        for a in d.inputs.iter().chain(&d.outputs) {
            store.lineage_graph(&format!("a{}", a.id), &o).unwrap();
        }
        for c in &d.contexts {
            store.lineage_graph(&format!("c{}", c.id), &o).unwrap();
        }
    }
    store.summary().unwrap();
    store.stats(&all).unwrap();
    store.export_csv(&all).unwrap();
    store.export_json(&all).unwrap();
    store.property_names().unwrap();
    store.metric_scatter(&all, None, None).unwrap();
    store.metric_scatter_chart(&all, None, None).unwrap();
    if page.rows.len() >= 2 {
        let ids = [page.rows[0].id, page.rows[1].id];
        store.compare(&ids, &Default::default()).unwrap();
        for kind in [ChartKind::Metrics, ChartKind::Duration, ChartKind::Parallel] {
            store.compare_chart(&ids, kind, &Default::default()).unwrap();
        }
    }
}

/// Regression (issue 10, item 4): one `Association.context_id = 1.5` failed the open.
#[test]
fn a_real_where_an_id_belongs_does_not_break_the_store() {
    let bytes = hostile("mlmd_tfx.sqlite", "UPDATE Association SET context_id = 1.5 WHERE id = 1;");
    let store = Store::open_bytes(&bytes).unwrap();
    assert_eq!(store.summary().unwrap().executions, 20);
    ask_everything(&store);
    let w = store.summary().unwrap().warnings;
    assert!(
        w.iter().any(|w| w.starts_with(
            "Association.context_id: a value of the wrong type (1.5, a real in the row with id 1)"
        )),
        "{w:?}"
    );
}

/// Regression (issue 10, item 4): a text `Event.artifact_id` broke details, lineage,
/// compare and the JSON export of that execution.
#[test]
fn a_text_artifact_id_is_skipped_and_the_rest_shows() {
    let bytes = hostile(
        "mlmd_tfx.sqlite",
        "UPDATE Event SET artifact_id = 'not an id' WHERE id = (SELECT min(id) FROM Event);",
    );
    let store = Store::open_bytes(&bytes).unwrap();
    ask_everything(&store);
    let w = store.warnings();
    assert!(
        w.iter().any(|w| w.starts_with("Event.artifact_id: a value of the wrong type")
            && w.contains("skipped")),
        "{w:?}"
    );
}

/// Regression (issue 10, item 5): repeated property rows resolved to the first row in
/// the table and to the last one in details.
#[test]
fn repeated_property_rows_resolve_the_same_everywhere() {
    let bytes = hostile(
        "mlmd_tfx.sqlite",
        "CREATE TABLE ep2 AS SELECT * FROM ExecutionProperty; DROP TABLE ExecutionProperty;
         ALTER TABLE ep2 RENAME TO ExecutionProperty;
         INSERT INTO ExecutionProperty (execution_id, name, is_custom_property, string_value)
           VALUES (1, 'dup', 1, 'first'), (1, 'dup', 1, 'second');",
    );
    let store = Store::open_bytes(&bytes).unwrap();
    let details = store.execution(1).unwrap();
    let shown = details.props.custom_properties.get("dup").unwrap().as_text();
    let q = ExecutionQuery { query: Some("property:dup=first".into()), ..Default::default() };
    assert_eq!(store.executions(&q).unwrap().total, 1);
    assert_eq!(shown, "first");
    let csv =
        store.export_csv(&ExecutionQuery { query: Some("id=1".into()), ..Default::default() });
    assert!(csv.unwrap().contains("first"));
}

/// Regression (issue 10, item 9): a text schema_version was reported as damage; an
/// EventPath without rowid made details fail with "no such column: rowid".
#[test]
fn odd_layouts_open_with_a_warning_not_as_damage() {
    let bytes = hostile(
        "mlmd_tfx.sqlite",
        "DROP TABLE MLMDEnv; CREATE TABLE MLMDEnv (schema_version TEXT); INSERT INTO MLMDEnv VALUES ('ten');",
    );
    let store = Store::open_bytes(&bytes).unwrap();
    assert!(
        store.warnings().iter().any(|w| w.contains("schema_version")),
        "{:?}",
        store.warnings()
    );
    let bytes = hostile(
        "mlmd_tfx.sqlite",
        "CREATE TABLE ep (event_id INT NOT NULL, is_index_step TINYINT(1) NOT NULL, step_index INT,
           step_key TEXT, PRIMARY KEY (event_id, is_index_step, step_index, step_key)) WITHOUT ROWID;
         INSERT INTO ep SELECT event_id, is_index_step, coalesce(step_index, 0), coalesce(step_key, '') FROM EventPath;
         DROP TABLE EventPath; ALTER TABLE ep RENAME TO EventPath;",
    );
    let store = Store::open_bytes(&bytes).unwrap();
    ask_everything(&store);
    let with_paths = (1..=20)
        .filter_map(|id| store.execution(id).ok())
        .any(|e| e.events.iter().any(|ev| !ev.path.is_empty()));
    assert!(with_paths, "event paths are still read");
}

/// Regression (issue 10, item 10): a timestamp of 1e300 became i64::MAX.
#[test]
fn an_impossible_timestamp_is_unknown() {
    let bytes = hostile(
        "mlmd_tfx.sqlite",
        "UPDATE Execution SET create_time_since_epoch = 1e300 WHERE id = 1;",
    );
    let store = Store::open_bytes(&bytes).unwrap();
    let e = store.execution(1).unwrap();
    assert_eq!(e.row.started_ms, None);
    ask_everything(&store);
}

/// Regression (issue 10, item 8): CSV export was quadratic in distinct property names.
#[test]
fn csv_export_has_one_column_per_name_with_many_names() {
    let mut sql = String::from("BEGIN;");
    for i in 0..3000 {
        sql.push_str(&format!(
            "INSERT INTO ExecutionProperty (execution_id, name, is_custom_property, int_value) VALUES (1, 'p{i}', 1, {i});"
        ));
    }
    sql.push_str("COMMIT;");
    let store = Store::open_bytes(&hostile("mlmd_tfx.sqlite", &sql)).unwrap();
    let csv = store
        .export_csv(&ExecutionQuery { query: Some("id=1".into()), ..Default::default() })
        .unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.split(',').filter(|h| h.starts_with("property:p")).count() >= 3000);
    assert!(lines.next().unwrap().contains(",2999"));
}

/// Regression (issue 10, items 1 and 9): the CLI overflowed its stack on a deep query,
/// and `show FILE -5` needed `--`.
#[test]
fn the_cli_answers_hostile_arguments_with_messages() {
    let bin = env!("CARGO_BIN_EXE_mlmd-lens");
    let file = fixture("cmf_small.sqlite");
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().unwrap();
    let out = run(&["show", file.to_str().unwrap(), "-5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no execution with id -5"));
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    for args in [
        vec!["executions", file.to_str().unwrap(), "-q", &deep],
        vec!["stats", file.to_str().unwrap(), "-q", &deep],
        vec!["executions", file.to_str().unwrap(), "--alert", &deep],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{:?}", &args[..2]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("too long") || err.contains("nests too deeply"), "{err}");
    }
}

/// The fixture's bytes with one letter of a context name changed inside the index
/// `sqlite_autoindex_Context_2` only (the Context table itself is intact).
fn damaged_context_index(name: &str, needle: &[u8]) -> Vec<u8> {
    let path = fixture(name);
    let range = index_root_page(&path, "name = 'sqlite_autoindex_Context_2'");
    let mut bytes = std::fs::read(&path).unwrap();
    let page = &mut bytes[range];
    let at = page
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the name is in the index page");
    page[at] ^= 0x01; // 'm' -> 'l'
    bytes
}

/// Regression (issue 10, item 3): a damaged index silently changed stage and pipeline
/// names, because whole-table reads were answered from the index alone.
#[test]
fn a_damaged_index_does_not_change_what_the_tables_say() {
    let whole = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let bytes = damaged_context_index("cmf_small.sqlite", b"mnist");
    let store = Store::open_bytes(&bytes).unwrap();
    let (a, b) = (whole.summary().unwrap(), store.summary().unwrap());
    assert_eq!(a.pipelines, b.pipelines);
    assert_eq!(a.stages, b.stages);
    assert_eq!(a.flavor, b.flavor);
    assert!(whole.verify().unwrap().is_empty());
    let problems = store.verify().unwrap();
    assert!(!problems.is_empty(), "the full check finds the damaged index");
}

/// Regression (issue 10, item 6): ids above 2^53 were rounded in JS and then rejected.
#[test]
fn ids_beyond_2_53_refuse_the_store_with_a_clear_message() {
    let bytes =
        hostile("mlmd_tfx.sqlite", "UPDATE Execution SET id = 9007199254740993 WHERE id = 20;");
    let err = Store::open_bytes(&bytes).unwrap_err();
    assert_eq!(err.kind(), "id-out-of-range");
    assert!(err.to_string().contains("Execution id 9007199254740993 is beyond 2^53"), "{err}");
    let ok =
        hostile("mlmd_tfx.sqlite", "UPDATE Execution SET id = 9007199254740992 WHERE id = 20;");
    assert!(Store::open_bytes(&ok).is_ok());
}

/// Regression (issue 10, item 10): an end before the start showed as 0 s with no warning.
#[test]
fn an_end_before_the_start_is_named() {
    let bytes = hostile(
        "mlmd_tfx.sqlite",
        "UPDATE Execution SET last_update_time_since_epoch = create_time_since_epoch - 5000 WHERE id = 3;",
    );
    let store = Store::open_bytes(&bytes).unwrap();
    let e = store.execution(3).unwrap();
    assert!(e.row.ended_ms.is_some(), "execution 3 is finished (canceled): it has an end");
    assert_eq!(e.row.duration_ms, Some(0));
    assert!(
        store
            .warnings()
            .iter()
            .any(|w| w == "execution 3 ends before it starts; its duration shows as 0 s"),
        "{:?}",
        store.warnings()
    );
}
