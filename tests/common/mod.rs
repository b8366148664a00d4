//! Shared helpers for the integration tests: where the fixtures are, raw SQL access.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared fixtures folder: $MLMD_FIXTURES, ../shared/fixtures, or /work/shared/fixtures.
pub fn fixtures() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("MLMD_FIXTURES").map(PathBuf::from),
        Some(manifest.join("../shared/fixtures")),
        Some(PathBuf::from("/work/shared/fixtures")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("mlmd_tfx.sqlite").is_file())
        .expect("fixtures not found: set MLMD_FIXTURES to the folder holding mlmd_tfx.sqlite")
}

/// Path of one fixture.
pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// Every fixture that is a valid MLMD store (all .sqlite files but the known bad ones).
pub fn good_fixtures() -> Vec<PathBuf> {
    let bad = ["zero_bytes.sqlite", "truncated.sqlite", "plain_sqlite.sqlite"];
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sqlite"))
        .filter(|p| !bad.contains(&p.file_name().unwrap().to_str().unwrap()))
        .collect();
    v.sort();
    assert!(v.len() >= 5, "expected the MLMD fixtures, found {v:?}");
    v
}

/// A plain read-only SQLite connection to a fixture, for independent expectations.
pub fn raw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// The bytes of the root page of an index, within the file at `path`: the index with the
/// highest root page among those `filter` (a condition on `sqlite_master`'s columns)
/// selects. Tests damage a copy of these bytes.
pub fn index_root_page(path: &std::path::Path, filter: &str) -> std::ops::Range<usize> {
    let (root, page_size): (i64, i64) = raw(path)
        .query_row(
            &format!(
                "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master \
                 WHERE type = 'index' AND ({filter}) ORDER BY rootpage DESC LIMIT 1"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let (root, page_size) = (usize::try_from(root).unwrap(), usize::try_from(page_size).unwrap());
    let start = (root - 1) * page_size;
    start..start + page_size
}

/// A fresh temp copy of a fixture that a test may modify, in a folder of its own per call
/// (tests run in parallel threads of one process: two calls with one tag shared a path,
/// and one test's copy replaced the other's while it was being written).
pub fn temp_copy(name: &str, tag: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("mlmd-lens-test-{}-{tag}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(name);
    std::fs::copy(fixture(name), &out).unwrap();
    let mut perm = std::fs::metadata(&out).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&out, perm).unwrap();
    out
}

/// A store of `executions` written by the fixtures' gen_large.py (`seed`) into a temp
/// folder of its own; returns the folder (for the caller to remove) and the store's path.
pub fn generated(executions: usize, seed: u32, tag: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("mlmd-lens-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("large.sqlite");
    let gen = fixtures().join("gen_large.py");
    let ok = std::process::Command::new("python3")
        .args([gen.to_str().unwrap(), db.to_str().unwrap()])
        .args(["--executions", &executions.to_string(), "--seed", &seed.to_string()])
        .status()
        .unwrap();
    assert!(ok.success(), "gen_large.py failed");
    (dir, db)
}
