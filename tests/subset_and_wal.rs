//! Subsets (a smaller store with chosen executions) and WAL-mode stores, on real fixtures.

mod common;

use common::{fixture, good_fixtures};
use mlmd_lens::{ExecutionQuery, Store};
use rusqlite::Connection;

/// A directory of its own for each call (tests run in parallel threads of one process).
fn temp_dir(name: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("mlmd-lens-{name}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Counts in an SQLite image, by plain SQL.
fn count(bytes: &[u8], sql: &str) -> i64 {
    let dir = temp_dir("count");
    let path = dir.join("image.sqlite");
    std::fs::write(&path, bytes).unwrap();
    let n = Connection::open(&path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap();
    std::fs::remove_dir_all(dir).ok();
    n
}

#[test]
fn a_pipeline_subset_keeps_its_executions_and_what_they_reach() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let summary = store.summary().unwrap();
        let Some(pipeline) = summary.pipelines.first() else { continue };
        let q = ExecutionQuery { pipeline: Some(pipeline.clone()), ..Default::default() };
        let expected = store.executions(&q).unwrap().total;
        let sub = store.subset(&q, None).unwrap();
        assert_eq!(sub.executions, expected, "{}", path.display());
        let reopened = Store::open_bytes(&sub.bytes).unwrap();
        let s2 = reopened.summary().unwrap();
        assert_eq!(s2.executions, expected, "{}", path.display());
        assert_eq!(s2.schema_version, summary.schema_version);
        assert_eq!(s2.pipelines, vec![pipeline.clone()], "{}", path.display());
        // Every remaining event is of a kept execution, every artifact is named by one.
        assert_eq!(
            count(
                &sub.bytes,
                "SELECT count(*) FROM Event WHERE execution_id NOT IN (SELECT id FROM Execution)"
            ),
            0
        );
        assert_eq!(
            count(
                &sub.bytes,
                "SELECT count(*) FROM Artifact WHERE id NOT IN (SELECT artifact_id FROM Event)"
            ),
            0
        );
        // The kept executions read as they did in the whole store.
        let page = reopened.executions(&ExecutionQuery { limit: Some(5), ..Default::default() });
        for row in page.unwrap().rows {
            let a = store.execution(row.id).unwrap();
            let b = reopened.execution(row.id).unwrap();
            assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap());
        }
    }
}

#[test]
fn an_id_subset_keeps_only_those_and_refuses_unknown_ids() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let ids = store.execution_ids(&ExecutionQuery::default()).unwrap();
    let pick = [ids[0], ids[ids.len() - 1]];
    let sub = store.subset(&ExecutionQuery::default(), Some(&pick)).unwrap();
    assert_eq!(sub.executions, 2);
    assert_eq!(count(&sub.bytes, "SELECT count(*) FROM Execution"), 2);
    let err = store.subset(&ExecutionQuery::default(), Some(&[i64::MAX])).unwrap_err();
    assert_eq!(err.kind(), "not-found");
    let none =
        ExecutionQuery { query: Some("name=no-such-execution".into()), ..Default::default() };
    assert_eq!(store.subset(&none, None).unwrap_err().kind(), "invalid-argument");
}

/// Regression (issue 10, item 2): a WAL-mode store was refused as damaged.
#[test]
fn a_wal_mode_store_opens_with_a_warning() {
    let dir = temp_dir("wal");
    let path = dir.join("mlmd");
    std::fs::copy(fixture("cmf_small.sqlite"), &path).unwrap();
    {
        let c = Connection::open(&path).unwrap();
        let mode: String = c.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!((bytes[18], bytes[19]), (2, 2), "the test store is in WAL mode");
    let whole = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let store = Store::open_bytes(&bytes).unwrap();
    assert_eq!(store.summary().unwrap().executions, whole.summary().unwrap().executions);
    assert!(store.warnings().iter().any(|w| w.contains("WAL mode")), "{:?}", store.warnings());
    // Copied in by pieces (the page's worker) it opens the same way.
    let mut filling = mlmd_lens::Opening::filling(&bytes[..100], bytes.len()).unwrap();
    filling.unfilled().copy_from_slice(&bytes);
    filling.advance(bytes.len());
    let pieces = filling.open().unwrap().finish(&mut |_| ()).unwrap();
    assert_eq!(pieces.summary().unwrap().executions, whole.summary().unwrap().executions);
    assert_eq!(pieces.warnings(), store.warnings());
    // Natively the file is opened in place and its -wal file is read too: a live writer
    // adds an execution that is only in the log.
    let writer = Connection::open(&path).unwrap();
    writer.execute_batch("PRAGMA wal_autocheckpoint = 0;").unwrap();
    writer
        .execute_batch(
            "INSERT INTO Execution (type_id, last_known_state, name, create_time_since_epoch, last_update_time_since_epoch)
             SELECT type_id, 3, 'only-in-the-wal', create_time_since_epoch, last_update_time_since_epoch FROM Execution LIMIT 1;",
        )
        .unwrap();
    assert!(dir.join("mlmd-wal").metadata().unwrap().len() > 0);
    let before = (std::fs::read(&path).unwrap(), std::fs::read(dir.join("mlmd-wal")).unwrap());
    let live = Store::open_path(&path).unwrap();
    let n = whole.summary().unwrap().executions;
    assert_eq!(live.summary().unwrap().executions, n + 1, "the -wal file was read");
    let q = ExecutionQuery { query: Some("name=only-in-the-wal".into()), ..Default::default() };
    assert_eq!(live.executions(&q).unwrap().total, 1);
    // A copy of the main file alone (what the browser gets) lacks it, and says why.
    let copy = Store::open_bytes(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(copy.summary().unwrap().executions, n);
    assert!(copy.warnings().iter().any(|w| w.contains("WAL mode")));
    drop(live);
    let after = (std::fs::read(&path).unwrap(), std::fs::read(dir.join("mlmd-wal")).unwrap());
    assert!(before == after, "opening in place never writes the store or its -wal file");
    drop(writer);
    // With the writer gone (its -wal and -shm files with it), opening leaves no file
    // beside the store.
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = listing();
    let reopened = Store::open_path(&path).unwrap();
    assert_eq!(reopened.summary().unwrap().executions, n + 1);
    drop(reopened);
    assert_eq!(listing(), files, "no -wal or -shm file is created beside the store");
    std::fs::remove_dir_all(dir).ok();
}
