//! `mlmd-lens`: the command line over the same core as the web viewer.

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use mlmd_lens::{ChartKind, ChartOptions, CompareOptions, ExecutionQuery, Store, TimeBound};

    /// Executions written per chunk by `export -o` (a few MB of text at most).
    const EXPORT_CHUNK_ROWS: usize = 2000;

    /// Look inside an ML Metadata (MLMD) SQLite store: summary, executions, details.
    #[derive(Parser)]
    #[command(name = "mlmd-lens", version)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    // Parsed once per run: the size difference between variants costs nothing.
    #[allow(clippy::large_enum_variant)]
    #[derive(Subcommand)]
    enum Command {
        /// Counts, pipelines, stages, types, statuses and branches.
        Summary {
            /// The MLMD file (cmflib's `mlmd`, a TFX/KFP metadata.sqlite, …).
            file: String,
            /// Print JSON instead of text.
            #[arg(long)]
            json: bool,
        },
        /// SQLite's full integrity check of the store, indexes included (exit 1 when it
        /// finds a problem).
        Verify {
            /// The MLMD file.
            file: String,
        },
        /// The executions table, filtered, sorted and paged.
        Executions {
            /// The MLMD file.
            file: String,
            /// A search: `pipeline:mnist AND status:completed AND property:epochs>10`.
            #[arg(long, short = 'q', allow_hyphen_values = true)]
            query: Option<String>,
            /// Pipeline name.
            #[arg(long)]
            pipeline: Option<String>,
            /// Stage name (`Train`) or stage context (`mnist/Train`).
            #[arg(long)]
            stage: Option<String>,
            /// Pipeline run name (TFX `pipeline_run`, KFP `system.PipelineRun` context).
            #[arg(long)]
            run: Option<String>,
            /// Execution type name.
            #[arg(long = "type")]
            type_name: Option<String>,
            /// Status: pending, running, completed, failed, cached, canceled, unknown.
            #[arg(long)]
            status: Option<String>,
            /// Started on or after (YYYY-MM-DD, ISO date-time or epoch ms).
            #[arg(long)]
            from: Option<String>,
            /// Started on or before (a date alone includes the whole day).
            #[arg(long)]
            to: Option<String>,
            /// Git branch.
            #[arg(long)]
            branch: Option<String>,
            /// Sort column, `-` first for descending (e.g. `-started`).
            #[arg(long, allow_hyphen_values = true)]
            sort: Option<String>,
            /// Rows to skip.
            #[arg(long)]
            offset: Option<usize>,
            /// Rows to show (default: all).
            #[arg(long)]
            limit: Option<usize>,
            /// Flag failed executions (in `alerts` of the JSON rows).
            #[arg(long)]
            alert_failed: bool,
            /// Flag executions that ran longer than this (`90s`, `5m`, `1h30m`).
            #[arg(long, value_name = "DURATION")]
            alert_longer_than: Option<String>,
            /// Flag executions that ran longer than K times their stage's median.
            #[arg(long, value_name = "K")]
            alert_factor: Option<f64>,
            /// Flag executions matching a search (repeatable), e.g. `property:accuracy<0.9`.
            #[arg(long = "alert", value_name = "QUERY", allow_hyphen_values = true)]
            alert_rules: Vec<String>,
            /// Print JSON (the same shape as the JavaScript `executions()`).
            #[arg(long)]
            json: bool,
        },
        /// Dashboard figures (rates, durations, throughput, per pipeline and stage) as JSON.
        Stats {
            /// The MLMD file.
            file: String,
            /// A search restricting the executions counted.
            #[arg(long, short = 'q', allow_hyphen_values = true)]
            query: Option<String>,
        },
        /// Why a search finds nothing, as JSON: each part counted alone and left out, the
        /// store's note (no state recorded), queries to try.
        Explain {
            /// The MLMD file.
            file: String,
            /// The search that found nothing.
            #[arg(long, short = 'q', allow_hyphen_values = true)]
            query: Option<String>,
            /// Status label.
            #[arg(long)]
            status: Option<String>,
            /// Pipeline name.
            #[arg(long)]
            pipeline: Option<String>,
        },
        /// Compares 2–5 pipeline runs (by run context id, see `summary`) stage by stage:
        /// each stage's status, duration and the properties that differ, as JSON.
        CompareRuns {
            /// The MLMD file.
            file: String,
            /// The run context ids.
            #[arg(num_args = 2..=5, required = true, allow_negative_numbers = true)]
            ids: Vec<i64>,
        },
        /// Compares 2–5 executions side by side (parameters, metrics, artifacts, git,
        /// timing; deltas against a baseline), as JSON; `--chart FILE.svg` also writes a chart.
        Compare {
            /// The MLMD file.
            file: String,
            /// The execution ids.
            #[arg(num_args = 2..=5, required = true, allow_negative_numbers = true)]
            ids: Vec<i64>,
            /// The execution deltas are taken against (default: the first id).
            #[arg(long, allow_negative_numbers = true)]
            baseline: Option<i64>,
            /// Writes a chart of the comparison to this SVG file (and prints nothing else).
            #[arg(long)]
            chart: Option<std::path::PathBuf>,
            /// Which chart: `metrics` (a bar per execution per metric), `duration` or
            /// `parallel` (parameters → `--metric`).
            #[arg(long, default_value = "metrics")]
            kind: String,
            /// The metric of the `parallel` chart (default: the first metric).
            #[arg(long)]
            metric: Option<String>,
        },
        /// Compare across a whole search: one metric against one parameter for every
        /// matching execution, ranked best-first, as JSON (`--chart FILE.svg`: a scatter).
        Scatter {
            /// The MLMD file.
            file: String,
            /// A search restricting the executions (e.g. `stage:Evaluate`).
            #[arg(long, short = 'q', allow_hyphen_values = true)]
            query: Option<String>,
            /// The metric (default: the first metric name).
            #[arg(long)]
            metric: Option<String>,
            /// The parameter on the x axis (default: the first one that varies).
            #[arg(long)]
            parameter: Option<String>,
            /// Writes the scatter to this SVG file (and prints nothing else).
            #[arg(long)]
            chart: Option<std::path::PathBuf>,
        },
        /// Exports the executions matching a search: CSV (table + every property), JSON
        /// (full details), a report (HTML, or PDF with `-o`), or one pipeline as CMF's own
        /// JSON (`cmf-json`, cmflib's `dumptojson`); to stdout or `-o`.
        Export {
            /// The MLMD file.
            file: String,
            /// `csv`, `json`, `cmf-json` (needs `--pipeline`), `html` or `pdf` (needs `-o`).
            #[arg(long, default_value = "csv")]
            format: String,
            /// The pipeline of a `cmf-json` export (for the others: only its executions).
            #[arg(long)]
            pipeline: Option<String>,
            /// A search restricting the executions.
            #[arg(long, short = 'q', allow_hyphen_values = true)]
            query: Option<String>,
            /// Only these executions (comma-separated ids, e.g. `3,7,11`).
            #[arg(long, value_delimiter = ',')]
            ids: Option<Vec<i64>>,
            /// Sort column (`-` first for descending).
            #[arg(long, allow_hyphen_values = true)]
            sort: Option<String>,
            /// CSV: starts with a UTF-8 byte order mark (for spreadsheets).
            #[arg(long)]
            bom: bool,
            /// Writes the export to this file instead of stdout.
            #[arg(long, short = 'o')]
            output: Option<std::path::PathBuf>,
        },
        /// Writes a smaller MLMD file (same schema) holding only the executions a search
        /// (and `--ids`) keeps, with their events, artifacts and contexts.
        Subset {
            /// The MLMD file.
            file: String,
            /// A search choosing the executions.
            #[arg(long, short = 'q', allow_hyphen_values = true)]
            query: Option<String>,
            /// Only these executions (comma-separated ids).
            #[arg(long, value_delimiter = ',')]
            ids: Option<Vec<i64>>,
            /// The new MLMD file (must not exist).
            #[arg(long, short = 'o')]
            output: std::path::PathBuf,
        },
        /// The lineage graph of an execution, an artifact or a context (its pipeline's
        /// stages), laid out left to right: JSON (the viewer's graph), DOT or Mermaid.
        Lineage {
            /// The MLMD file.
            file: String,
            /// `e<id>` (or a plain id) an execution, `a<id>` an artifact, `c<id>` a context.
            #[arg(allow_hyphen_values = true)]
            root: String,
            /// Hops up and down, counted in executions (execution → artifact → execution
            /// is one hop).
            #[arg(long, default_value_t = 2)]
            depth: u32,
            /// The most nodes drawn (the rest are counted in each node's `hidden`).
            #[arg(long, default_value_t = 150)]
            max_nodes: usize,
            /// Nodes whose hidden neighbours are added (comma-separated keys, e.g. `a5,e7`).
            #[arg(long, value_delimiter = ',')]
            expand: Vec<String>,
            /// `json`, `dot` (Graphviz) or `mermaid`.
            #[arg(long, default_value = "json")]
            format: String,
        },
        /// Execution property names with their kinds and counts, as JSON.
        Properties {
            /// The MLMD file.
            file: String,
        },
        /// Everything about one execution: git, properties, artifacts, events (JSON).
        Show {
            /// The MLMD file.
            file: String,
            /// The execution id.
            #[arg(allow_negative_numbers = true)]
            id: i64,
        },
    }

    fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }

    fn open(file: &str) -> Result<Store, String> {
        Store::open_path(file).map_err(|e| e.for_file(file))
    }

    /// Writes a line to stdout; a closed pipe (`| head`) ends the program quietly.
    fn out(line: std::fmt::Arguments<'_>) {
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("mlmd-lens: cannot write output: {e}");
            std::process::exit(1);
        }
    }

    fn json<T: serde::Serialize>(v: &T) -> Result<(), String> {
        let text = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
        out(format_args!("{text}"));
        Ok(())
    }

    /// The summary as aligned text (warnings to stderr).
    fn print_summary(file: &str, s: &mlmd_lens::Summary) {
        out(format_args!("file            {file}"));
        out(format_args!("schema version  {}", s.schema_version));
        out(format_args!("written by      {}", s.flavor));
        out(format_args!("executions      {}", s.executions));
        out(format_args!("artifacts       {}", s.artifacts));
        out(format_args!("contexts        {}", s.contexts));
        out(format_args!("events          {}", s.events));
        out(format_args!("pipelines       {}", s.pipelines.join(", ")));
        out(format_args!("stages          {}", s.stages.join(", ")));
        out(format_args!("execution types {}", s.execution_types.join(", ")));
        let states: Vec<String> = s.states.iter().map(|(k, v)| format!("{k} {v}")).collect();
        out(format_args!("statuses        {}", states.join(", ")));
        if !s.branches.is_empty() {
            out(format_args!("branches        {}", s.branches.join(", ")));
        }
        if !s.runs.is_empty() {
            out(format_args!("runs            {}", s.runs.len()));
            for r in &s.runs {
                let counts: Vec<String> =
                    r.status_counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
                out(format_args!(
                    "  #{:<5} {:<28} {:<16} {:<24} {}",
                    r.id,
                    r.name,
                    r.pipeline,
                    r.start.as_deref().unwrap_or("-"),
                    counts.join(", ")
                ));
            }
        }
        for w in &s.warnings {
            eprintln!("warning: {w}");
        }
    }

    /// A page of executions as a text table (alerts and the count to stderr).
    fn print_rows(page: &mlmd_lens::ExecutionPage) {
        out(format_args!(
            "{:>6}  {:<28} {:<16} {:<12} {:<10} {:<24} {:>10}  {}",
            "ID", "NAME", "PIPELINE", "STAGE", "STATUS", "STARTED", "DURATION", "COMMIT"
        ));
        for r in &page.rows {
            out(format_args!(
                "{:>6}  {:<28} {:<16} {:<12} {:<10} {:<24} {:>10}  {}",
                r.id,
                r.name,
                r.pipeline,
                r.stage,
                r.status.label(),
                r.started.as_deref().unwrap_or("-"),
                r.duration_ms.map(|d| format!("{:.1}s", d as f64 / 1000.0)).unwrap_or("-".into()),
                r.git_commit_short
            ));
        }
        for r in page.rows.iter().filter(|r| !r.alerts.is_empty()) {
            eprintln!("alert: execution {}: {}", r.id, r.alerts.join(", "));
        }
        eprintln!("{} of {} executions", page.rows.len(), page.total);
    }

    pub fn run() -> Result<(), String> {
        match Cli::parse().command {
            Command::Summary { file, json: as_json } => {
                let s = open(&file)?.summary().map_err(|e| e.for_file(&file))?;
                if as_json {
                    return json(&s);
                }
                print_summary(&file, &s);
                Ok(())
            }
            Command::Executions {
                file,
                query,
                pipeline,
                stage,
                run,
                type_name,
                status,
                from,
                to,
                branch,
                sort,
                offset,
                limit,
                alert_failed,
                alert_longer_than,
                alert_factor,
                alert_rules,
                json: as_json,
            } => {
                let store = open(&file)?;
                let long = match alert_longer_than {
                    Some(t) => Some(mlmd_lens::query::parse_duration_ms(&t).ok_or_else(|| {
                        format!("cannot read {t:?} as a duration (90s, 5m, 1h30m)")
                    })?),
                    None => None,
                };
                let alerts = (alert_failed
                    || long.is_some()
                    || alert_factor.is_some()
                    || !alert_rules.is_empty())
                .then_some(mlmd_lens::AlertRules {
                    failed: alert_failed,
                    long_running_ms: long,
                    long_running_factor: alert_factor,
                    rules: alert_rules.into_iter().map(mlmd_lens::AlertRule::Query).collect(),
                });
                let q = ExecutionQuery {
                    query,
                    now: Some(now_ms()),
                    pipeline,
                    stage,
                    run,
                    type_name,
                    status,
                    from: from.map(TimeBound::Text),
                    to: to.map(TimeBound::Text),
                    branch,
                    sort,
                    offset,
                    limit: Some(limit.unwrap_or(usize::MAX)),
                    alerts,
                    group_by: None,
                };
                let page = store.executions(&q).map_err(|e| e.for_file(&file))?;
                if as_json {
                    return json(&page);
                }
                print_rows(&page);
                Ok(())
            }
            Command::Verify { file } => {
                let problems = open(&file)?.verify().map_err(|e| e.for_file(&file))?;
                if problems.is_empty() {
                    out(format_args!("{file}: ok"));
                    Ok(())
                } else {
                    for p in &problems {
                        out(format_args!("{p}"));
                    }
                    Err(format!("{file}: the integrity check found {} problem(s)", problems.len()))
                }
            }
            Command::Stats { file, query } => {
                let q = ExecutionQuery { query, now: Some(now_ms()), ..Default::default() };
                json(&open(&file)?.stats(&q).map_err(|e| e.for_file(&file))?)
            }
            Command::Explain { file, query, status, pipeline } => {
                let q = ExecutionQuery {
                    query,
                    status,
                    pipeline,
                    now: Some(now_ms()),
                    ..Default::default()
                };
                json(&open(&file)?.explain_empty(&q).map_err(|e| e.for_file(&file))?)
            }
            Command::CompareRuns { file, ids } => {
                json(&open(&file)?.compare_runs(&ids).map_err(|e| e.for_file(&file))?)
            }
            Command::Compare { file, ids, baseline, chart, kind, metric } => {
                let store = open(&file)?;
                let Some(path) = chart else {
                    let options = CompareOptions { baseline };
                    return json(&store.compare(&ids, &options).map_err(|e| e.for_file(&file))?);
                };
                let kind = ChartKind::parse(&kind).map_err(|e| e.to_string())?;
                let options = ChartOptions { baseline, metric };
                let svg =
                    store.compare_chart(&ids, kind, &options).map_err(|e| e.for_file(&file))?;
                std::fs::write(&path, svg)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                out(format_args!("{}", path.display()));
                Ok(())
            }
            Command::Scatter { file, query, metric, parameter, chart } => {
                let store = open(&file)?;
                let q = ExecutionQuery { query, now: Some(now_ms()), ..Default::default() };
                let (metric, parameter) = (metric.as_deref(), parameter.as_deref());
                let Some(path) = chart else {
                    let s = store.metric_scatter(&q, metric, parameter);
                    return json(&s.map_err(|e| e.for_file(&file))?);
                };
                let svg = store
                    .metric_scatter_chart(&q, metric, parameter)
                    .map_err(|e| e.for_file(&file))?;
                std::fs::write(&path, svg)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                out(format_args!("{}", path.display()));
                Ok(())
            }
            Command::Export { file, format, pipeline, query, ids, sort, bom, output } => {
                let store = open(&file)?;
                let name = std::path::Path::new(&file).file_name().map(|n| n.to_string_lossy());
                let o = mlmd_lens::ExportOptions {
                    filter: ExecutionQuery {
                        query,
                        sort,
                        pipeline,
                        now: Some(now_ms()),
                        ..Default::default()
                    },
                    ids,
                    bom,
                    store_name: name.map(|n| n.into_owned()),
                    ..Default::default()
                };
                if format == "pdf" {
                    let Some(path) = output else {
                        return Err("a PDF is written to a file: give -o REPORT.pdf".into());
                    };
                    let doc = store.report(&o).map_err(|e| e.for_file(&file))?;
                    let pdf = mlmd_lens_report_pdf::render(&doc).map_err(|e| e.to_string())?;
                    std::fs::write(&path, pdf)
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    return Ok(());
                }
                let Some(path) = output else {
                    let text = store.export(&format, &o).map_err(|e| e.for_file(&file))?;
                    out(format_args!("{}", text.trim_end()));
                    return Ok(());
                };
                // To a file a chunk of executions at a time: a large export is never held
                // whole in memory.
                let mut job = store.export_stream(&format, &o).map_err(|e| e.for_file(&file))?;
                let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
                let mut w = std::io::BufWriter::new(std::fs::File::create(&path).map_err(cannot)?);
                let written = (|| -> Result<(), String> {
                    while let Some(chunk) = store
                        .export_next(&mut job, EXPORT_CHUNK_ROWS)
                        .map_err(|e| e.for_file(&file))?
                    {
                        std::io::Write::write_all(&mut w, chunk.as_bytes()).map_err(cannot)?;
                    }
                    std::io::Write::flush(&mut w).map_err(cannot)
                })();
                if written.is_err() {
                    drop(w);
                    let _ = std::fs::remove_file(&path); // no half-written export is left
                }
                written
            }
            Command::Subset { file, query, ids, output } => {
                let store = open(&file)?;
                let q = ExecutionQuery { query, now: Some(now_ms()), ..Default::default() };
                let sub = store.subset(&q, ids.as_deref()).map_err(|e| e.for_file(&file))?;
                // create_new: never overwrite a file (perhaps the source store itself).
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&output)
                    .and_then(|mut f| std::io::Write::write_all(&mut f, &sub.bytes))
                    .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
                out(format_args!(
                    "{}: {} executions, {} bytes",
                    output.display(),
                    sub.executions,
                    sub.bytes.len()
                ));
                Ok(())
            }
            Command::Lineage { file, root, depth, max_nodes, expand, format } => {
                if !matches!(format.as_str(), "json" | "dot" | "mermaid") {
                    return Err(format!(
                        "unknown lineage format '{format}': use json, dot or mermaid"
                    ));
                }
                let options = mlmd_lens::LineageOptions { depth, max_nodes, expand };
                let g =
                    open(&file)?.lineage_graph(&root, &options).map_err(|e| e.for_file(&file))?;
                match format.as_str() {
                    "dot" => out(format_args!("{}", g.to_dot().trim_end())),
                    "mermaid" => out(format_args!("{}", g.to_mermaid().trim_end())),
                    _ => return json(&g),
                }
                Ok(())
            }
            Command::Properties { file } => {
                json(&open(&file)?.property_names().map_err(|e| e.for_file(&file))?)
            }
            Command::Show { file, id } => {
                let d = open(&file)?.execution(id).map_err(|e| e.for_file(&file))?;
                json(&d)
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = cli::run() {
        eprintln!("mlmd-lens: {message}");
        std::process::exit(1);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
