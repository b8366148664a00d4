//! The bodies of the fuzz targets. Each takes arbitrary bytes and drives the core the
//! way a host would; the only failure is a panic (or a hang, which libFuzzer reports).
//!
//! - [`open_bytes`]: the bytes as a file, then every question if it opens.
//! - [`mutated_store`]: a real fixture with byte patches the input chooses (most
//!   random bytes are not SQLite at all; patching real stores reaches deep into SQLite
//!   and into our decoding), then every question.
//! - [`query`]: the input as search text — and as choices of a grammar that writes
//!   well-formed queries — parsed and run on a real store, also as alert rules.

use std::path::PathBuf;
use std::sync::OnceLock;

use mlmd_lens::{AlertRule, AlertRules, ChartKind, ExecutionQuery, Store};

/// The fixtures folder: $MLMD_FIXTURES, else ../../shared/fixtures beside the repo.
fn fixtures_dir() -> PathBuf {
    std::env::var_os("MLMD_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"))
}

/// The valid fixtures' bytes, read once.
fn fixtures() -> &'static [Vec<u8>] {
    static ALL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut names: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        names.sort();
        names
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "sqlite"))
            .filter_map(|p| std::fs::read(p).ok())
            .filter(|b| Store::open_bytes(b).is_ok())
            .collect()
    })
}

/// A small real store for queries, opened once.
fn query_store() -> Option<&'static Store> {
    static STORE: OnceLock<Option<Store>> = OnceLock::new();
    STORE.get_or_init(|| fixtures().iter().find_map(|b| Store::open_bytes(b).ok())).as_ref()
}

/// Asks `store` everything a viewer asks; errors are fine, panics are not.
pub fn exercise(store: &Store) {
    let _ = store.summary();
    let _ = store.property_names();
    let sorts = ["id", "-started", "duration", "name", "property:epochs"];
    let mut ids = Vec::new();
    for sort in sorts {
        let q = ExecutionQuery { sort: Some(sort.into()), limit: Some(20), ..Default::default() };
        if let Ok(page) = store.executions(&q) {
            ids.extend(page.rows.iter().map(|r| r.id));
        }
    }
    ids.sort_unstable();
    ids.dedup();
    for &id in ids.iter().take(4) {
        let _ = store.execution(id);
        let _ = store.lineage(id, 3, 200);
        // The lineage graph from the execution, an artifact of the same number, a context.
        let o =
            mlmd_lens::LineageOptions { depth: 3, max_nodes: 200, expand: vec![format!("a{id}")] };
        for root in [format!("e{id}"), format!("a{id}"), format!("c{id}")] {
            if let Ok(g) = store.lineage_graph(&root, &o) {
                let _ = (g.to_dot(), g.to_mermaid());
            }
        }
        let _ = store.artifacts_for_execution(id, "INPUT");
    }
    let _ = store.metric_scatter_chart(&ExecutionQuery::default(), None, None);
    if ids.len() >= 2 {
        let _ = store.compare(&ids[..2], &Default::default());
        for kind in [ChartKind::Metrics, ChartKind::Duration, ChartKind::Parallel] {
            let _ = store.compare_chart(&ids[..2], kind, &Default::default());
        }
    }
    let all = ExecutionQuery {
        limit: Some(50),
        alerts: Some(AlertRules {
            failed: true,
            long_running_factor: Some(3.0),
            rules: vec!["property:accuracy<0.9".into()],
            ..Default::default()
        }),
        ..Default::default()
    };
    let _ = store.executions(&all);
    let _ = store.stats(&all);
    let _ = store.timeline(&all);
    let _ = store.export_csv(&all);
    let _ = store.export_json(&ExecutionQuery { limit: Some(5), ..Default::default() });
    let _ = store.verify();
}

/// The input as a whole file.
pub fn open_bytes(data: &[u8]) {
    if let Ok(store) = Store::open_bytes(data) {
        exercise(&store);
    }
}

/// The first byte picks a fixture; the rest are patches of 5 bytes each: a 4-byte
/// offset (taken modulo the file's length; the first pages are favoured) and a value.
pub fn mutated_store(data: &[u8]) {
    let all = fixtures();
    let Some((&pick, patches)) = data.split_first() else { return };
    if all.is_empty() {
        return;
    }
    let mut bytes = all[pick as usize % all.len()].clone();
    let len = bytes.len();
    for p in patches.chunks_exact(5) {
        let raw = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize;
        // Half of the patches land in the first 8 KiB: header, schema and early pages.
        let at = if raw & 1 == 0 { (raw >> 1) % len.min(8192) } else { (raw >> 1) % len };
        bytes[at] = p[4];
    }
    open_bytes(&bytes);
}

/// Words the query grammar writes with.
const WORDS: [&str; 12] = [
    "mnist",
    "Train",
    "0.001",
    "10",
    "-7d",
    "2026-01-31",
    "5m",
    "a3f9",
    "\"two words\"",
    "",
    "adam",
    "ok",
];

/// Writes a well-formed (or nearly) query from the choices in `data`.
fn grammar(data: &[u8]) -> String {
    let fields = mlmd_lens::query::FIELDS;
    let ops = mlmd_lens::query::OPERATORS;
    let mut out = String::new();
    let mut depth = 0usize;
    for (i, &b) in data.iter().enumerate() {
        match b % 8 {
            0 => {
                out.push('(');
                depth += 1;
            }
            1 if depth > 0 => {
                out.push(')');
                depth -= 1;
            }
            2 => out.push_str(" AND "),
            3 => out.push_str(" OR "),
            4 => out.push_str("NOT "),
            5 => out.push_str(" TO "),
            _ => {
                let f = &fields[(b as usize / 8) % fields.len()];
                let op = ops[i % ops.len()];
                let w = WORDS[(b as usize + i) % WORDS.len()];
                if f.name == "property" {
                    out.push_str(&format!("property:{}{op}{w} ", WORDS[i % WORDS.len()]));
                } else {
                    out.push_str(&format!("{}{op}{w} ", f.name));
                }
            }
        }
    }
    out.push_str(&")".repeat(depth));
    out
}

/// The input as query text, and as grammar choices; each run as a search, a stats
/// filter and an alert rule on a real store.
pub fn query(data: &[u8]) {
    let Some(store) = query_store() else { return };
    for text in [String::from_utf8_lossy(data).into_owned(), grammar(data)] {
        let _ = mlmd_lens::query::parse(&text).map(|e| e.to_string());
        let q = ExecutionQuery {
            query: Some(text.clone()),
            limit: Some(10),
            now: Some(0),
            ..Default::default()
        };
        let _ = store.executions(&q);
        let _ = store.stats(&q);
        let rules = AlertRules { rules: vec![AlertRule::Query(text)], ..Default::default() };
        let _ = store.executions(&ExecutionQuery {
            alerts: Some(rules),
            limit: Some(5),
            ..Default::default()
        });
    }
}
