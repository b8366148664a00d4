//! Opening in two steps (what the page's worker does): the first page, read before the
//! index is built, equals the first page of the opened store, on every fixture; progress
//! rises to 1.

mod common;

use common::good_fixtures;
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
