//! `mlmd-lens`: the command line over the same core as the web viewer.

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use mlmd_lens::{ExecutionQuery, Store, TimeBound};

    /// Look inside an ML Metadata (MLMD) SQLite store: summary, executions, details.
    #[derive(Parser)]
    #[command(name = "mlmd-lens", version)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

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
            /// Print JSON (the same shape as the JavaScript `executions()`).
            #[arg(long)]
            json: bool,
        },
        /// Everything about one execution: git, properties, artifacts, events (JSON).
        Show {
            /// The MLMD file.
            file: String,
            /// The execution id.
            id: i64,
        },
    }

    fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }

    fn open(file: &str) -> Result<Store, String> {
        Store::open_path(file).map_err(|e| match e {
            mlmd_lens::Error::Io { .. } => e.to_string(),
            other => other.for_file(file),
        })
    }

    fn json<T: serde::Serialize>(v: &T) -> Result<(), String> {
        let text = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
        println!("{text}");
        Ok(())
    }

    pub fn run() -> Result<(), String> {
        match Cli::parse().command {
            Command::Summary { file, json: as_json } => {
                let s = open(&file)?.summary().map_err(|e| e.for_file(&file))?;
                if as_json {
                    return json(&s);
                }
                println!("file            {file}");
                println!("schema version  {}", s.schema_version);
                println!("written by      {}", s.flavor);
                println!("executions      {}", s.executions);
                println!("artifacts       {}", s.artifacts);
                println!("contexts        {}", s.contexts);
                println!("events          {}", s.events);
                println!("pipelines       {}", s.pipelines.join(", "));
                println!("stages          {}", s.stages.join(", "));
                println!("execution types {}", s.execution_types.join(", "));
                let states: Vec<String> =
                    s.states.iter().map(|(k, v)| format!("{k} {v}")).collect();
                println!("statuses        {}", states.join(", "));
                if !s.branches.is_empty() {
                    println!("branches        {}", s.branches.join(", "));
                }
                for w in &s.warnings {
                    eprintln!("warning: {w}");
                }
                Ok(())
            }
            Command::Executions {
                file,
                query,
                pipeline,
                stage,
                type_name,
                status,
                from,
                to,
                branch,
                sort,
                offset,
                limit,
                json: as_json,
            } => {
                let store = open(&file)?;
                let q = ExecutionQuery {
                    query,
                    now: Some(now_ms()),
                    pipeline,
                    stage,
                    type_name,
                    status,
                    from: from.map(TimeBound::Text),
                    to: to.map(TimeBound::Text),
                    branch,
                    sort,
                    offset,
                    limit: Some(limit.unwrap_or(usize::MAX)),
                };
                let page = store.executions(&q).map_err(|e| e.to_string())?;
                if as_json {
                    return json(&page);
                }
                println!(
                    "{:>6}  {:<28} {:<16} {:<12} {:<10} {:<24} {:>10}  {}",
                    "ID", "NAME", "PIPELINE", "STAGE", "STATUS", "STARTED", "DURATION", "COMMIT"
                );
                for r in &page.rows {
                    println!(
                        "{:>6}  {:<28} {:<16} {:<12} {:<10} {:<24} {:>10}  {}",
                        r.id,
                        r.name,
                        r.pipeline,
                        r.stage,
                        r.status.label(),
                        r.started.as_deref().unwrap_or("-"),
                        r.duration_ms
                            .map(|d| format!("{:.1}s", d as f64 / 1000.0))
                            .unwrap_or("-".into()),
                        r.git_commit_short
                    );
                }
                eprintln!("{} of {} executions", page.rows.len(), page.total);
                Ok(())
            }
            Command::Show { file, id } => {
                let d = open(&file)?.execution(id).map_err(|e| e.to_string())?;
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
