//! Exports: CSV that reads back to the rows and properties, formula injection
//! neutralised; JSON that holds the same details as `execution(id)`.

mod common;

use common::{fixture, good_fixtures, raw, temp_copy};
use mlmd_lens::{ExecutionQuery, ExportOptions, Store};

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

/// Options for the executions `ids` of the whole store.
fn of_ids(ids: &[i64]) -> ExportOptions {
    ExportOptions { ids: Some(ids.to_vec()), ..Default::default() }
}

#[test]
fn csv_bytes_for_hostile_strings_read_back_as_written() {
    let path = temp_copy("mlmd_tfx.sqlite", "csv-hostile");
    let hostile = [
        (1, "say \"hi\", then\nleave"),
        (2, "ünïcødé ✓ 漢字"),
        (3, "=HYPERLINK(\"http://evil\",\"x\")"),
        (4, "@SUM(A1:A9)"),
        (5, "\tcmd"),
        (6, "+1+cmd|' /C calc'!A0"),
    ];
    let db = rusqlite::Connection::open(&path).unwrap();
    for (id, name) in hostile {
        db.execute("UPDATE Execution SET name = ?1 WHERE id = ?2", rusqlite::params![name, id])
            .unwrap();
    }
    drop(db);
    let store = Store::open_path(&path).unwrap();
    let text = store.export("csv", &of_ids(&[1, 2, 3, 4, 5, 6])).unwrap();
    // RFC 4180: a field with a quote or a newline is quoted, quotes doubled.
    assert!(text.contains("\"say \"\"hi\"\", then\nleave\""), "{text}");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = r.records().map(|rec| rec.unwrap()[1].to_string()).collect();
    assert_eq!(
        names,
        [
            "say \"hi\", then\nleave",
            "ünïcødé ✓ 漢字",
            "'=HYPERLINK(\"http://evil\",\"x\")",
            "'@SUM(A1:A9)",
            "'\tcmd",
            "'+1+cmd|' /C calc'!A0",
        ]
    );
}

#[test]
fn csv_follows_the_table_columns_with_chosen_properties_and_a_bom() {
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let o = ExportOptions {
        columns: Some(vec!["status".into(), "property:learning_rate".into(), "pipeline".into()]),
        properties: Some(vec!["epochs".into(), "learning_rate".into()]),
        bom: true,
        ..of_ids(&[1])
    };
    let text = store.export("csv", &o).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("a BOM first");
    let mut lines = body.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,name,status,property:learning_rate,pipeline,started,ended,duration_ms,property:epochs"
    );
    // Numbers stay numbers: no quotes, no neutralising apostrophe.
    assert_eq!(
        lines.next().unwrap(),
        "1,examplegen-0-4898,Completed,0.001,taxi-pipeline,2026-11-25T02:23:18.876Z,2026-11-25T02:23:18.876Z,0,5"
    );
    let none = ExportOptions { properties: Some(vec![]), ..of_ids(&[1]) };
    assert_eq!(store.export("csv", &none).unwrap().lines().next().unwrap().split(',').count(), 10);
}

#[test]
fn exports_of_ids_keep_only_those_and_refuse_unknown_ones() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&store.export("json", &of_ids(&[8, 4])).unwrap()).unwrap();
    let ids: Vec<i64> =
        v["executions"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [4, 8]);
    assert_eq!(v["total"], 2);
    let err = store.export("csv", &of_ids(&[4, 999_999])).unwrap_err();
    assert_eq!(err.kind(), "not-found");
    assert_eq!(store.export("pdfx", &of_ids(&[4])).unwrap_err().kind(), "invalid-argument");
}

#[test]
fn json_round_trips_on_every_fixture_and_validates_against_the_schema() {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export.schema.json");
    let dir = std::env::temp_dir().join(format!("mlmd-lens-json-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (n, path) in good_fixtures().into_iter().enumerate() {
        let store = Store::open_path(&path).unwrap();
        let text = store.export("json", &ExportOptions::default()).unwrap();
        // Re-read: every execution equals what the store says of it, and none is missing.
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let list = v["executions"].as_array().unwrap();
        assert_eq!(list.len(), store.summary().unwrap().executions, "{}", path.display());
        let db = raw(&path);
        for e in list {
            let id = e["id"].as_i64().unwrap();
            assert_eq!(e, &serde_json::to_value(store.execution(id).unwrap()).unwrap());
            let events: i64 = db
                .query_row("SELECT count(*) FROM Event WHERE execution_id = ?1", [id], |r| r.get(0))
                .unwrap();
            assert_eq!(e["events"].as_array().unwrap().len() as i64, events, "#{id}");
        }
        let file = dir.join(format!("{n}.json"));
        std::fs::write(&file, text).unwrap();
        files.push(file);
    }
    // The schema is checked by python's jsonschema (the reference validator).
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg("import json,sys,jsonschema\nschema=json.load(open(sys.argv[1]))\njsonschema.Draft202012Validator.check_schema(schema)\nfor f in sys.argv[2:]:\n    jsonschema.validate(json.load(open(f)), schema, cls=jsonschema.Draft202012Validator)\nprint('ok', len(sys.argv) - 2)")
        .arg(&schema)
        .args(&files)
        .output()
        .expect("python3 with jsonschema (pip install jsonschema)");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn cmf_json_through_export_equals_cmflibs_dumptojson() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let o = ExportOptions {
        filter: ExecutionQuery { pipeline: Some("mnist".into()), ..Default::default() },
        ..Default::default()
    };
    let ours: serde_json::Value =
        serde_json::from_str(&store.export("cmf-json", &o).unwrap()).unwrap();
    let theirs: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("cmf_small.dumptojson.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(ours, theirs);
}

#[test]
fn html_report_escapes_the_file_and_holds_the_figures_and_ids() {
    let path = temp_copy("cmf_small.sqlite", "html-report");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE Execution SET name = '<script>alert(1)</script>' WHERE id = 4", [])
        .unwrap();
    let store = Store::open_path(&path).unwrap();
    let o = ExportOptions { store_name: Some("a<b>.sqlite".into()), ..of_ids(&[4, 8, 12]) };
    let html = store.export("html", &o).unwrap();
    assert!(!html.contains("<script"), "no script at all");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("MLMD report — a&lt;b&gt;.sqlite"));
    assert!(html.contains("default-src 'none'"));
    assert!(html.contains("<h2>Executions (3)</h2>"));
    assert!(html.contains("The 3 chosen executions."));
    let section = |title: &str| {
        let start = html.find(&format!("<h2>{title}</h2>")).unwrap_or_else(|| panic!("{title}"));
        let end = html[start + 4..].find("<h2>").map_or(html.len(), |e| start + 4 + e);
        &html[start..end]
    };
    let timeline = section("Timeline");
    assert!(timeline.contains("<figure role=\"img\" aria-label=\"Timeline\"><svg"));
    assert_eq!(timeline.matches("<rect x=").count(), 3, "a bar per execution");
    let compare = section("Compare");
    assert!(compare.contains("aria-label=\"Duration\"><svg"), "compare charts for 3 ids");
    assert!(!compare.contains("<script"));
    for id in [4, 8, 12] {
        assert!(html.contains(&format!("<h3>#{id} ")), "details of #{id}");
    }
    // Without ids: the first 10 in full, said so.
    let all = store.export("html", &ExportOptions::default()).unwrap();
    assert!(all.contains("The first 10 of 20 executions, in table order."));
}

#[test]
fn cli_export_to_a_file_and_subset_checked_with_sqlite() {
    let bin = env!("CARGO_BIN_EXE_mlmd-lens");
    let dir = std::env::temp_dir().join(format!("mlmd-lens-cli-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = fixture("cmf_small.sqlite");
    let csv_out = dir.join("out.csv");
    let st = std::process::Command::new(bin)
        .args(["export", src.to_str().unwrap(), "--format", "csv", "--ids", "4,8", "-o"])
        .arg(&csv_out)
        .status()
        .unwrap();
    assert!(st.success());
    let store = Store::open_path(&src).unwrap();
    assert_eq!(
        std::fs::read_to_string(&csv_out).unwrap(),
        store.export("csv", &of_ids(&[4, 8])).unwrap()
    );
    let sub = dir.join("sub.sqlite");
    let out = std::process::Command::new(bin)
        .args(["subset", src.to_str().unwrap(), "-q", "pipeline:mnist AND stage:Train", "-o"])
        .arg(&sub)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let db = raw(&sub);
    let ids: Vec<i64> = db
        .prepare("SELECT id FROM Execution ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let want: Vec<i64> = store
        .execution_ids(&ExecutionQuery {
            query: Some("pipeline:mnist AND stage:Train".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ids, want);
    // Never overwrites.
    let again = std::process::Command::new(bin)
        .args(["subset", src.to_str().unwrap(), "-q", "stage:Train", "-o"])
        .arg(&sub)
        .output()
        .unwrap();
    assert!(!again.status.success());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_report_of_a_large_store_lists_the_first_thousand_rows_and_says_so() {
    let (dir, db) = common::generated(1200, 5, "report-cap");
    let store = Store::open_path(&db).unwrap();
    let html = store.export("html", &ExportOptions::default()).unwrap();
    assert!(html.contains("<h2>Executions (1200)</h2>"));
    assert!(html.contains(
        "The first 1000 of 1200 executions, in table order: the CSV export has them all."
    ));
    let table = &html[html.find("<h2>Executions").unwrap()..html.find("<h2>Timeline").unwrap()];
    assert_eq!(table.matches("<tr>").count(), 1 + 1000, "the header and 1000 rows");
    std::fs::remove_dir_all(&dir).ok();
}

/// The export of `format` written `rows` executions at a time.
fn chunked(store: &Store, format: &str, o: &ExportOptions, rows: usize) -> (String, usize) {
    let mut job = store.export_stream(format, o).unwrap();
    let (mut text, mut chunks) = (String::new(), 0);
    let mut last = 0;
    while let Some(chunk) = store.export_next(&mut job, rows).unwrap() {
        text += &chunk;
        chunks += 1;
        assert!(job.written() - last <= rows.max(1), "a chunk holds at most {rows} executions");
        last = job.written();
    }
    assert!(job.is_done());
    assert_eq!(job.written(), job.total());
    (text, chunks)
}

#[test]
fn exports_written_in_chunks_are_the_export_written_whole() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        // By id (dense id ranges per chunk) and by name (scattered ids: read by id list).
        for sort in [None, Some("name".to_string()), Some("-started".to_string())] {
            let o = ExportOptions {
                filter: ExecutionQuery { sort: sort.clone(), ..Default::default() },
                bom: true,
                ..Default::default()
            };
            for format in ["csv", "json"] {
                let whole = store.export(format, &o).unwrap();
                let total = store.execution_ids(&o.filter).unwrap().len();
                for rows in [1, 3, 1000] {
                    let (text, chunks) = chunked(&store, format, &o, rows);
                    assert_eq!(
                        text,
                        whole,
                        "{} {format} sort {sort:?}, {rows} a chunk",
                        path.display()
                    );
                    assert_eq!(chunks, total.div_ceil(rows).max(1), "{} {format}", path.display());
                }
            }
        }
        // A format written whole comes as one chunk.
        let (html, chunks) = chunked(&store, "html", &ExportOptions::default(), 5);
        assert_eq!((html, chunks), (store.export("html", &ExportOptions::default()).unwrap(), 1));
    }
}

#[test]
fn the_json_export_is_the_document_of_its_executions() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let q = ExecutionQuery { sort: Some("-id".into()), ..Default::default() };
        let text = store
            .export("json", &ExportOptions { filter: q.clone(), ..Default::default() })
            .unwrap();
        let ids = store.execution_ids(&q).unwrap();
        let doc = mlmd_lens::JsonExport {
            generator: concat!("mlmd-lens ", env!("CARGO_PKG_VERSION")),
            query: None,
            total: ids.len(),
            executions: ids.iter().map(|&id| store.execution(id).unwrap()).collect(),
        };
        assert_eq!(text, serde_json::to_string_pretty(&doc).unwrap(), "{}", path.display());
    }
}

#[test]
fn a_large_csv_in_chunks_of_scattered_ids_is_the_csv_written_whole() {
    let (dir, db) = common::generated(1500, 9, "chunks");
    let store = Store::open_path(&db).unwrap();
    // Sorted by a property, a chunk's ids are scattered over the store (read by id list);
    // by id they are one range; the filter leaves gaps in it.
    for (sort, query) in [("property:learning_rate", None), ("id", Some("status:completed"))] {
        let o = ExportOptions {
            filter: ExecutionQuery {
                sort: Some(sort.into()),
                query: query.map(String::from),
                ..Default::default()
            },
            ..Default::default()
        };
        let ids = store.execution_ids(&o.filter).unwrap();
        let first: Vec<i64> = ids.iter().take(50).copied().collect();
        let span = first.iter().max().unwrap() - first.iter().min().unwrap();
        if query.is_none() {
            assert!(span > 200, "the first chunk's ids are scattered (span {span})");
        }
        let whole = store.export("csv", &o).unwrap();
        assert_eq!(whole.lines().count(), ids.len() + 1);
        assert_eq!(chunked(&store, "csv", &o, 50).0, whole, "sort {sort}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
