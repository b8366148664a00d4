//! Native side of `make bench`: opens a store and times every case of bench/cases.json,
//! printing one JSON object `{case: {cold_ms, warm_ms, count}}` (warm = median of runs).
//!
//! `cargo run --release --example bench -- STORE.sqlite [RUNS] [LINEAGE.sqlite]`
//!
//! With LINEAGE.sqlite (bench/lineage-store.py of the same store), also times the lineage
//! graph of its middle execution, 50 hops each way, at most 400 nodes (`lineage_graph`).

use std::time::Instant;

use mlmd_lens::{ExecutionQuery, LineageOptions, Store};
use serde_json::{json, Map, Value};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: bench STORE.sqlite [RUNS]")?;
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/bench/cases.json"
    ))?)?;
    let mut out = Map::new();

    let mut opens = Vec::new();
    let mut store = None;
    for _ in 0..runs.min(3) {
        let t = Instant::now();
        store = Some(Store::open_path(path)?);
        opens.push(ms(t));
    }
    let store = store.ok_or("no run")?;
    out.insert("open".into(), json!({ "cold_ms": opens[0], "warm_ms": median(opens.clone()), "count": store.summary()?.executions }));
    // The full integrity check (indexes included) that opening leaves to `verify()`.
    let t = Instant::now();
    let problems = store.verify()?.len();
    let verify = ms(t);
    out.insert("verify".into(), json!({ "cold_ms": verify, "warm_ms": verify, "count": problems }));
    let commit6: String =
        store.execution(1).map(|d| d.git.commit.chars().take(6).collect()).unwrap_or_default();

    for case in cases["cases"].as_array().ok_or("cases")? {
        let name = case[0].as_str().ok_or("name")?;
        let mut opts = case[1].clone();
        let is_stats = opts.get("stats").is_some();
        if let Some(o) = opts.as_object_mut() {
            o.remove("stats");
            if let Some(Value::String(q)) = o.get_mut("query") {
                *q = q.replace("{commit6}", &commit6);
            }
        }
        let q: ExecutionQuery = serde_json::from_value(opts)?;
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..=runs {
            let t = Instant::now();
            count =
                if is_stats { store.stats(&q)?.overall.total } else { store.executions(&q)?.total };
            times.push(ms(t));
        }
        let cold = times.remove(0);
        out.insert(
            name.into(),
            json!({ "cold_ms": cold, "warm_ms": median(times), "count": count }),
        );
    }
    if let Some(lineage) = args.get(3) {
        let store = Store::open_path(lineage)?;
        let root = format!("e{}", store.summary()?.executions / 2);
        let options = LineageOptions { depth: 50, max_nodes: 400, expand: Vec::new() };
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..=runs {
            let t = Instant::now();
            count = store.lineage_graph(&root, &options)?.nodes.len();
            times.push(ms(t));
        }
        let cold = times.remove(0);
        out.insert(
            "lineage_graph".into(),
            json!({ "cold_ms": cold, "warm_ms": median(times), "count": count }),
        );
    }
    println!("{}", Value::Object(out));
    Ok(())
}
