//! Exports: CSV that reads back to the rows and properties, formula injection
//! neutralised; JSON that holds the same details as `execution(id)`.

mod common;

use common::{fixture, good_fixtures, raw, temp_copy};
use mlmd_lens::{ExecutionQuery, Store};

#[test]
fn csv_reads_back_to_the_rows_and_properties() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let text = store.export_csv(&ExecutionQuery::default()).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(&header[..3], ["id", "name", "type"]);
        let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let rows = store
            .executions(&ExecutionQuery { limit: Some(usize::MAX), ..Default::default() })
            .unwrap()
            .rows;
        assert_eq!(records.len(), rows.len());
        let db = raw(&path);
        for (rec, row) in records.iter().zip(&rows) {
            assert_eq!(rec[0].parse::<i64>().unwrap(), row.id);
            assert_eq!(&rec[5], row.status.label());
            for (i, h) in header.iter().enumerate().skip(10) {
                let name = h.strip_prefix("property:").unwrap();
                let n: i64 = db
                    .query_row("SELECT count(*) FROM ExecutionProperty WHERE execution_id = ?1 AND name = ?2", rusqlite::params![row.id, name], |r| r.get(0))
                    .unwrap();
                if n == 0 {
                    assert_eq!(&rec[i], "", "{} #{} {name}", path.display(), row.id);
                }
            }
        }
    }
}

#[test]
fn csv_neutralises_formulas_from_the_file() {
    let path = temp_copy("mlmd_tfx.sqlite", "csv-injection");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE Execution SET name = '=HYPERLINK(\"http://evil\",\"x\")' WHERE id = 1", [])
        .unwrap();
    let store = Store::open_path(&path).unwrap();
    let text = store
        .export_csv(&ExecutionQuery { query: Some("id=1".into()), ..Default::default() })
        .unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rec = r.records().next().unwrap().unwrap();
    assert_eq!(&rec[1], "'=HYPERLINK(\"http://evil\",\"x\")");
}

#[test]
fn json_export_holds_the_details() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let q = ExecutionQuery {
        query: Some("pipeline=mnist".into()),
        sort: Some("-started".into()),
        ..Default::default()
    };
    let v: serde_json::Value = serde_json::from_str(&store.export_json(&q).unwrap()).unwrap();
    assert_eq!(v["total"], 12);
    let list = v["executions"].as_array().unwrap();
    assert_eq!(list.len(), 12);
    for e in list {
        let id = e["id"].as_i64().unwrap();
        assert_eq!(e, &serde_json::to_value(store.execution(id).unwrap()).unwrap());
    }
}
