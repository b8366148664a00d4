//! The PDF report (`mlmd-lens-report-pdf` over the core's `Store::report`) read back with
//! poppler's `pdftotext` and `pdfinfo` and rendered with `pdftoppm`: its text is selectable
//! and holds the store, the figures, every row of a table that runs over pages, the
//! details and file text as text (never markup). Needs poppler-utils (`make setup`
//! installs it). Renders go to test-output/screenshots/report-pdf-*.png.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, temp_copy};
use mlmd_lens::{ExecutionQuery, ExportOptions, Store};

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed to read the PDF (poppler-utils; make setup installs it): {e}")
    });
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn write_pdf(store: &Store, o: &ExportOptions, tag: &str) -> PathBuf {
    let doc = store.report(o).unwrap();
    let pdf = mlmd_lens_report_pdf::render(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = std::env::temp_dir().join(format!("mlmd-lens-pdf-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    path
}

fn text_of(path: &Path) -> String {
    tool("pdftotext", &[path.to_str().unwrap(), "-"])
}

fn pages_of(path: &Path) -> usize {
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("Pages:");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Renders page `page` to test-output/screenshots/report-pdf-NAME.png (to look at).
fn render_page(path: &Path, page: usize, name: &str) {
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-output/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let stem = shots.join(format!("report-pdf-{name}"));
    let p = page.to_string();
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "70",
            "-f",
            &p,
            "-l",
            &p,
            "-singlefile",
            path.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    let png = stem.with_extension("png");
    assert!(
        std::fs::metadata(&png).unwrap().len() > 5_000,
        "a page with content: {}",
        png.display()
    );
}

#[test]
fn chosen_executions_report_with_figures_compare_and_details() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let ids = [4, 8, 12];
    let o = ExportOptions {
        ids: Some(ids.to_vec()),
        store_name: Some("cmf_small.sqlite".into()),
        ..Default::default()
    };
    let path = write_pdf(&store, &o, "chosen");
    let text = text_of(&path);
    assert!(text.contains("MLMD report — cmf_small.sqlite"), "{text}");
    assert!(text.contains("Executions (3)"));
    assert!(text.contains("The 3 chosen executions."));
    assert!(text.contains("Compare") && text.contains("Duration"));
    let stats = store
        .stats(&ExecutionQuery {
            query: Some("id=4 OR id=8 OR id=12".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(stats.overall.total, 3);
    for id in ids {
        let d = store.execution(id).unwrap();
        assert!(text.contains(&format!("#{id} {}", d.row.name)), "details of #{id}");
        // Properties and artifacts of the details, as text.
        let uuid = d.props.get("Execution_uuid").unwrap().as_text();
        assert!(text.contains(&uuid), "{uuid}");
        for a in d.inputs.iter().chain(&d.outputs) {
            let head: String = a.uri.chars().take(20).collect();
            assert!(text.contains(&head), "artifact {head}");
        }
    }
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    assert!(info.contains("Title:           MLMD report — cmf_small.sqlite"), "{info}");
    assert!(info.contains("A4") || info.contains("595.28 x 841.89"), "{info}");
    render_page(&path, 1, "chosen-1");
    render_page(&path, 2, "chosen-2");
}

#[test]
fn a_long_table_runs_over_pages_with_every_row() {
    let (dir, db) = common::generated(600, 3, "pdf-large");
    let store = Store::open_path(&db).unwrap();
    let path = write_pdf(&store, &ExportOptions::default(), "large");
    let text = text_of(&path);
    let rows = store
        .executions(&ExecutionQuery { limit: Some(usize::MAX), ..Default::default() })
        .unwrap()
        .rows;
    assert_eq!(rows.len(), 600);
    assert!(text.contains("Executions (600)"));
    assert!(text.contains("The first 10 of 600 executions, in table order."));
    let missing: Vec<&str> =
        rows.iter().map(|r| r.name.as_str()).filter(|n| !text.contains(n)).collect();
    assert!(
        missing.is_empty(),
        "rows missing from the PDF: {:?}",
        &missing[..missing.len().min(5)]
    );
    let pages = pages_of(&path);
    assert!(pages > 10, "{pages} pages");
    // The table's header is on every page the table runs over.
    let headers = text.matches("Context/Stage").count();
    assert!(headers > 8, "{headers} headers");
    render_page(&path, 3, "large-table");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn file_text_is_text_in_the_pdf() {
    let path = temp_copy("cmf_small.sqlite", "pdf-hostile");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE Execution SET name = '<script>alert(1)</script> «ü» 名前' WHERE id = 4",
            [],
        )
        .unwrap();
    let store = Store::open_path(&path).unwrap();
    let o = ExportOptions { ids: Some(vec![4]), ..Default::default() };
    let pdf = write_pdf(&store, &o, "hostile");
    let text = text_of(&pdf);
    assert!(text.contains("<script>alert(1)</script> «ü»"), "{text}");
}

#[test]
fn the_cli_writes_a_pdf_to_a_file_and_says_so_without_one() {
    let bin = env!("CARGO_BIN_EXE_mlmd-lens");
    let dir = std::env::temp_dir().join(format!("mlmd-lens-pdf-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("r.pdf");
    let src = fixture("cmf_small.sqlite");
    let status = Command::new(bin)
        .args(["export", src.to_str().unwrap(), "--format", "pdf", "-q", "pipeline:mnist", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = text_of(&out);
    assert!(text.contains("Executions (12)"), "{text}");
    assert!(text.contains("Executions: search “pipeline:mnist”"), "{text}");
    let no_file = Command::new(bin)
        .args(["export", src.to_str().unwrap(), "--format", "pdf"])
        .output()
        .unwrap();
    assert!(!no_file.status.success());
    assert!(String::from_utf8_lossy(&no_file.stderr).contains("give -o REPORT.pdf"));
}
