//! Opening in two steps (what the page's worker does): the first page, read before the
//! index is built, equals the first page of the opened store, on every fixture; progress
//! rises to 1; a damaged store shows its first rows and fails its integrity check after.

mod common;

use common::{fixture, good_fixtures, index_root_page};
use mlmd_lens::{ExecutionQuery, Opening};

#[test]
fn the_first_page_before_the_index_equals_the_first_page_after() {
    for path in good_fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for limit in [1, 3, 50] {
            let opening = Opening::reader(&bytes[..100], bytes.len(), &bytes[..]).unwrap();
            let first = opening.first_page(limit).unwrap();
            let mut shares = Vec::new();
            let store = opening.finish(&mut |s| shares.push(s)).unwrap();
            let page = store
                .executions(&ExecutionQuery { limit: Some(limit), ..Default::default() })
                .unwrap();
            assert_eq!(first.total, page.total, "{name}: total");
            assert_eq!(first.rows, page.rows, "{name}: first {limit} rows");
            assert!(first.rows.len() <= limit && (page.total == 0 || !first.rows.is_empty()));
            assert!(shares.windows(2).all(|w| w[0] <= w[1]), "{name}: {shares:?}");
            assert_eq!(shares.last(), Some(&1.0), "{name}");
        }
    }
}

#[test]
fn opening_a_path_in_two_steps_gives_the_same_store() {
    for path in good_fixtures() {
        let opening = Opening::path(&path).unwrap();
        let first = opening.first_page(50).unwrap();
        let store = opening.finish(&mut |_| ()).unwrap();
        assert_eq!(
            store.executions(&ExecutionQuery::default()).unwrap().rows[..first.rows.len()],
            first.rows[..]
        );
    }
}

/// A source over bytes in memory, counting the bytes read.
fn source_of(
    bytes: Vec<u8>,
    read: std::rc::Rc<std::cell::Cell<u64>>,
) -> impl FnMut(u64, &mut [u8]) -> Result<usize, String> {
    move |offset, buf| {
        let at = usize::try_from(offset).map_err(|e| e.to_string())?.min(bytes.len());
        let n = buf.len().min(bytes.len() - at);
        buf[..n].copy_from_slice(&bytes[at..at + n]);
        read.set(read.get() + n as u64);
        Ok(n)
    }
}

#[test]
fn a_store_read_on_demand_through_the_vfs_answers_as_a_copy_does() {
    for path in good_fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let read = std::rc::Rc::new(std::cell::Cell::new(0));
        let opening =
            Opening::source(&bytes[..100], bytes.len(), source_of(bytes.clone(), read.clone()))
                .unwrap();
        let first = opening.first_page(50).unwrap();
        let vfs = opening.finish(&mut |_| ()).unwrap();
        let copy = mlmd_lens::Store::open_bytes(&bytes).unwrap();
        let all = ExecutionQuery { limit: Some(usize::MAX), ..Default::default() };
        let rows = copy.executions(&all).unwrap();
        assert_eq!(vfs.executions(&all).unwrap().rows, rows.rows, "{name}");
        assert_eq!(first.rows[..], rows.rows[..first.rows.len()], "{name}");
        assert_eq!(
            serde_json::to_value(vfs.summary().unwrap()).unwrap(),
            serde_json::to_value(copy.summary().unwrap()).unwrap(),
            "{name}"
        );
        assert_eq!(
            serde_json::to_value(vfs.property_names().unwrap()).unwrap(),
            serde_json::to_value(copy.property_names().unwrap()).unwrap(),
            "{name}"
        );
        for r in rows.rows.iter().take(5) {
            assert_eq!(
                serde_json::to_value(vfs.execution(r.id).unwrap()).unwrap(),
                serde_json::to_value(copy.execution(r.id).unwrap()).unwrap(),
                "{name}: execution {}",
                r.id
            );
        }
        assert!(read.get() > 0, "{name}: the source was read");
    }
}

#[test]
fn a_bad_source_gets_the_same_errors_as_a_copy() {
    for (name, kind) in [
        ("not_sqlite.bin", "not-sqlite"),
        ("truncated.sqlite", "truncated"),
        ("plain_sqlite.sqlite", "not-mlmd"),
    ] {
        let bytes = std::fs::read(common::fixture(name)).unwrap();
        let read = std::rc::Rc::new(std::cell::Cell::new(0));
        let head = bytes[..bytes.len().min(100)].to_vec();
        let err = Opening::source(&head, bytes.len(), source_of(bytes, read)).unwrap_err();
        assert_eq!(err.kind(), kind, "{name}: {err}");
    }
    // A source that fails to read: a clear error, not a panic.
    let bytes = std::fs::read(common::fixture("cmf_small.sqlite")).unwrap();
    let head = bytes[..100].to_vec();
    let failing = |_offset: u64, _buf: &mut [u8]| -> Result<usize, String> {
        Err("the file was removed".into())
    };
    let err = Opening::source(&head, bytes.len(), failing).unwrap_err();
    assert!(!err.to_string().is_empty());
}

/// Opens `bytes` by copying them into a filling in pieces of `piece` bytes.
fn filled(bytes: &[u8], piece: usize) -> mlmd_lens::Result<Opening> {
    let mut filling = Opening::filling(&bytes[..bytes.len().min(100)], bytes.len())?;
    for p in bytes.chunks(piece) {
        filling.unfilled()[..p.len()].copy_from_slice(p);
        filling.advance(p.len());
    }
    assert_eq!(filling.filled(), bytes.len());
    filling.open()
}

#[test]
fn a_store_copied_in_by_pieces_answers_as_a_copy_does() {
    for path in good_fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let copy = mlmd_lens::Store::open_bytes(&bytes).unwrap();
        let all = ExecutionQuery { limit: Some(usize::MAX), ..Default::default() };
        let rows = copy.executions(&all).unwrap().rows;
        for piece in [7, 4096, 1 << 20] {
            let opening = filled(&bytes, piece).unwrap();
            let first = opening.first_page(50).unwrap();
            let store = opening.finish(&mut |_| ()).unwrap();
            assert_eq!(first.rows[..], rows[..first.rows.len()], "{name}");
            assert_eq!(store.executions(&all).unwrap().rows, rows, "{name}, pieces of {piece}");
            assert_eq!(store.warnings(), copy.warnings(), "{name}");
            assert_eq!(
                serde_json::to_value(store.summary().unwrap()).unwrap(),
                serde_json::to_value(copy.summary().unwrap()).unwrap(),
                "{name}"
            );
            for r in rows.iter().take(5) {
                assert_eq!(
                    serde_json::to_value(store.execution(r.id).unwrap()).unwrap(),
                    serde_json::to_value(copy.execution(r.id).unwrap()).unwrap(),
                    "{name}: execution {}",
                    r.id
                );
            }
        }
    }
}

#[test]
fn a_bad_or_short_copy_gets_a_clear_error() {
    for (name, kind) in [
        ("not_sqlite.bin", "not-sqlite"),
        ("truncated.sqlite", "truncated"),
        ("plain_sqlite.sqlite", "not-mlmd"),
        ("zero_bytes.sqlite", "empty"),
    ] {
        let bytes = std::fs::read(common::fixture(name)).unwrap();
        let err = filled(&bytes, 512).unwrap_err();
        assert_eq!(err.kind(), kind, "{name}: {err}");
    }
    // Fewer bytes came than the file announced (it changed while being read).
    let bytes = std::fs::read(common::fixture("cmf_small.sqlite")).unwrap();
    let mut filling = Opening::filling(&bytes[..100], bytes.len()).unwrap();
    filling.unfilled()[..1000].copy_from_slice(&bytes[..1000]);
    filling.advance(1000);
    let err = filling.open().unwrap_err();
    assert_eq!(err.kind(), "invalid-argument");
    assert!(err.to_string().contains("ended after 1000 of its"), "{err}");
}

/// The fixture's bytes with the root page of one of `table`'s own indexes (a b-tree that
/// the first rows and the index build never read) made an invalid b-tree page.
fn damaged_index_page(name: &str, table: &str) -> Vec<u8> {
    let path = fixture(name);
    let filter = format!("tbl_name = '{table}' AND name NOT LIKE 'sqlite_autoindex%'");
    let page = index_root_page(&path, &filter);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[page.start] = 0x07; // not one of the four b-tree page types (2, 5, 10, 13)
    bytes
}

#[test]
fn a_damaged_store_shows_its_first_rows_then_fails_its_integrity_check() {
    let bytes = damaged_index_page("cmf_small.sqlite", "Execution");
    let good = std::fs::read(fixture("cmf_small.sqlite")).unwrap();
    let expected = Opening::reader(&good[..100], good.len(), &good[..]).unwrap().first_page(50);
    let opening = Opening::reader(&bytes[..100], bytes.len(), &bytes[..]).unwrap();
    assert_eq!(opening.first_page(50).unwrap().rows, expected.unwrap().rows);
    let err = opening.finish(&mut |_| ()).unwrap_err();
    assert_eq!(err.kind(), "corrupt", "{err}");
    assert!(err.to_string().contains("integrity check failed"), "{err}");
    // Opened in one step, the same store fails the same way.
    let err = mlmd_lens::Store::open_bytes(&bytes).unwrap_err();
    assert_eq!(err.kind(), "corrupt", "{err}");
}
