//! The façade: [`Store`] opens a file and answers every question the hosts (wasm, CLI,
//! Python) ask, each in one line that hands the work to a feature.

use std::io::Read;
use std::sync::Arc;

use crate::db::Db;
use crate::error::Result;
use crate::features::alerts::{self, AlertSummary};
use crate::features::cmfquery::lineage::{self as cmf_lineage, Direction};
use crate::features::cmfquery::{CmfExecution, CmfFrame};
use crate::features::compare::{self, CompareOptions, Comparison};
use crate::features::compare_chart::{self, ChartKind, ChartOptions};
use crate::features::explain::{self, EmptyExplanation};
use crate::features::export::{self, ExportOptions, ExportStream, Subset};
use crate::features::lineage::graph::{LineageGraph, LineageOptions};
use crate::features::lineage::{self, Lineage};
use crate::features::metric_scatter::{self, MetricScatter};
use crate::features::metrics::{self, Metric};
use crate::features::page::PageCache;
use crate::features::runs::{self, RunComparison};
use crate::features::stats::{self, Stats};
use crate::features::timeline::{self, Timeline};
use crate::features::{cmfquery, details, property_names, summary};
use crate::index::ExecutionIndex;
use crate::model::{
    Artifact, ExecutionDetails, ExecutionPage, ExecutionRow, PropertyName, Summary,
};
use crate::query::{select, ExecutionQuery};

/// A store between its two steps of opening: the file is in, its header and schema
/// checked; its integrity check and the index of its executions are still to come.
/// Hosts that show progress (the page's worker) show
/// [`Opening::first_page`] at once, then call [`Opening::finish`].
///
/// ```no_run
/// let bytes = std::fs::read("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
/// let opening = mlmd_lens::Opening::reader(&bytes[..100], bytes.len(), &bytes[..]).unwrap();
/// let first = opening.first_page(50).unwrap(); // the default sort (by id), from SQL
/// let store = opening.finish(&mut |share| eprintln!("indexing {:.0} %", share * 100.0)).unwrap();
/// assert_eq!(store.executions(&Default::default()).unwrap().rows, first.rows);
/// ```
#[derive(Debug)]
pub struct Opening {
    db: Arc<Db>,
}

/// A store's bytes being copied in by the host, piece by piece ([`Opening::filling`]).
#[derive(Debug)]
pub struct Filling {
    image: crate::db::DbImage,
}

impl Filling {
    /// The part of the copy not yet written: the next piece goes at its start.
    pub fn unfilled(&mut self) -> &mut [u8] {
        self.image.unfilled()
    }

    /// Records that the next `n` bytes of [`Filling::unfilled`] are written.
    pub fn advance(&mut self, n: usize) {
        self.image.advance(n);
    }

    /// Bytes written so far.
    pub fn filled(&self) -> usize {
        self.image.filled()
    }

    /// Opens the copy once every byte is in, with the checks of [`Store::open_bytes`].
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] when bytes are missing; then as
    /// [`Store::open_bytes`].
    pub fn open(self) -> Result<Opening> {
        Ok(Opening { db: Arc::new(self.image.open()?) })
    }
}

impl Opening {
    /// Copies the bytes `reader` yields (exactly `len`, the first of them also in `head`)
    /// into SQLite's memory and checks them, as [`Store::open_reader`].
    ///
    /// # Errors
    /// As [`Store::open_bytes`].
    pub fn reader<R: Read>(head: &[u8], len: usize, reader: R) -> Result<Opening> {
        Ok(Opening { db: Arc::new(Db::open_reader(head, len, reader)?) })
    }

    /// Starts a copy of a store of `len` bytes that the host writes piece by piece (its
    /// reads are asynchronous: the page's `File` stream); `head` holds the first (up to)
    /// 100 bytes, checked first. [`Filling::open`] then opens it as [`Opening::reader`]
    /// does, the copy being the only one.
    ///
    /// # Errors
    /// As [`Store::open_bytes`]'s header checks; [`crate::Error::InvalidArgument`] when
    /// there is no memory for the copy.
    ///
    /// ```no_run
    /// let bytes = std::fs::read("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
    /// let mut filling = mlmd_lens::Opening::filling(&bytes[..100], bytes.len()).unwrap();
    /// for piece in bytes.chunks(4096) {
    ///     filling.unfilled()[..piece.len()].copy_from_slice(piece);
    ///     filling.advance(piece.len());
    /// }
    /// let store = filling.open().unwrap().finish(&mut |_| {}).unwrap();
    /// ```
    pub fn filling(head: &[u8], len: usize) -> Result<Filling> {
        Ok(Filling { image: Db::image(head, len)? })
    }

    /// Opens a store read on demand from a source, through the read-only VFS: nothing is
    /// copied (see `Db::open_source`); the source is read on this thread only.
    ///
    /// # Errors
    /// As [`Store::open_bytes`]; [`crate::Error::InvalidArgument`] when the source fails.
    pub fn source(
        head: &[u8],
        len: usize,
        read: impl FnMut(u64, &mut [u8]) -> std::result::Result<usize, String> + 'static,
    ) -> Result<Opening> {
        Ok(Opening { db: Arc::new(Db::open_source(head, len, read)?) })
    }

    /// Opens a file in place and checks it, as [`Store::open_path`].
    ///
    /// # Errors
    /// As [`Store::open_path`].
    pub fn path(path: impl AsRef<std::path::Path>) -> Result<Opening> {
        Ok(Opening { db: Arc::new(Db::open_path(path.as_ref())?) })
    }

    /// The first `limit` executions in the default order (by id), with the total: what
    /// `executions()` with no options answers once the store is open, read from SQL
    /// without building the index (tens of milliseconds on any store) and before the
    /// integrity check that [`Opening::finish`] makes (a damaged store can show its first
    /// rows and fail there).
    ///
    /// # Errors
    /// [`crate::Error::Corrupt`] / [`crate::Error::Sqlite`] when the tables cannot be read.
    pub fn first_page(&self, limit: usize) -> Result<ExecutionPage> {
        let index = ExecutionIndex::build(Arc::clone(&self.db), Some(limit), &mut |_| ())?;
        let total = self.db.count_quickly("Execution")?;
        let preview = Store::from_index(index);
        let query = ExecutionQuery { limit: Some(limit), ..Default::default() };
        Ok(ExecutionPage { total, ..preview.executions(&query)? })
    }

    /// Checks the store's integrity (stores up to 64 MB: SQLite's `quick_check`) and
    /// builds the index of every execution; `progress` hears the share done (0 to 1).
    ///
    /// # Errors
    /// [`crate::Error::Corrupt`] when the check fails or the tables cannot be read;
    /// [`crate::Error::Sqlite`].
    pub fn finish(self, progress: &mut dyn FnMut(f64)) -> Result<Store> {
        self.db.check_integrity()?;
        let index = ExecutionIndex::build(self.db, None, progress)?;
        // The start order (date ranges, sorting by start) is part of the open: a sort of
        // the positions, a few ms on 100k executions, that the first question would pay.
        crate::query::prepare_start_order(&index);
        settle_allocator();
        Ok(Store::from_index(index))
    }
}

/// Makes the allocator sort out the small blocks the open freed now, as part of the open.
/// glibc's malloc keeps freed small blocks aside and files them (at most 10,000 a call) on
/// the next allocations of some KiB, whoever makes them: after opening a 100k store, the
/// first question's (≈ 5 ms, more than the question itself). A few such allocations here
/// move that cost into the open. Only with glibc: elsewhere (the wasm build's allocator,
/// whose memory never shrinks) nothing is done.
fn settle_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let blocks: Vec<Vec<u8>> = (0..64).map(|_| Vec::with_capacity(64 * 1024)).collect();
        drop(std::hint::black_box(blocks));
    }
}

/// An opened MLMD store: the database, read-only (a copy of its bytes, or natively the
/// file opened in place), plus an index of every execution's derived columns, built once
/// on open. `Send + Sync`: hosts may share it between threads.
///
/// ```no_run
/// let bytes = std::fs::read("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
/// let store = mlmd_lens::Store::open_bytes(&bytes).unwrap();
/// assert_eq!(store.summary().unwrap().executions, 20);
/// ```
pub struct Store {
    index: ExecutionIndex,
    pages: PageCache,
    property_names: std::sync::OnceLock<Vec<PropertyName>>,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
};

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("schema_version", &self.schema_version())
            .field("executions", &self.index.len())
            .finish()
    }
}

impl Store {
    /// Opens a store from the bytes of an MLMD SQLite file. The bytes are copied; nothing
    /// is ever written.
    ///
    /// # Errors
    /// [`crate::Error::Empty`], [`crate::Error::NotSqlite`], [`crate::Error::Truncated`], [`crate::Error::Corrupt`],
    /// [`crate::Error::NotMlmd`] or [`crate::Error::UnsupportedSchema`] saying what is wrong with the file.
    pub fn open_bytes(bytes: &[u8]) -> Result<Store> {
        Store::open_reader(&bytes[..bytes.len().min(100)], bytes.len(), bytes)
    }

    /// Opens a store from a reader that yields exactly `len` bytes, given the file's first
    /// (up to) 100 bytes in `head` for the checks made before anything is copied. This lets
    /// the wasm binding copy a JavaScript `Uint8Array` straight into SQLite's memory once.
    ///
    /// # Errors
    /// As [`Store::open_bytes`].
    pub fn open_reader<R: Read>(head: &[u8], len: usize, reader: R) -> Result<Store> {
        Opening::reader(head, len, reader)?.finish(&mut |_| ())
    }

    /// Opens a store from a file path (native): the file is opened in place, read-only, so
    /// a store of any size opens, and a WAL-mode store is read with its `-wal` file when
    /// SQLite can.
    ///
    /// # Errors
    /// [`crate::Error::Io`] when the file cannot be read, then as [`Store::open_bytes`].
    pub fn open_path(path: impl AsRef<std::path::Path>) -> Result<Store> {
        Opening::path(path)?.finish(&mut |_| ())
    }

    fn from_index(index: ExecutionIndex) -> Store {
        Store { index, pages: PageCache::default(), property_names: std::sync::OnceLock::new() }
    }

    /// The MLMD schema version (`MLMDEnv.schema_version`, -1 when not recorded).
    pub fn schema_version(&self) -> i64 {
        self.index.db().schema().version
    }

    /// Notes about the file that did not stop it from opening: the schema's (an unknown
    /// version, WAL mode, …) and the values of the wrong type met so far, each read
    /// leniently or skipped, named by table, column and row.
    pub fn warnings(&self) -> Vec<String> {
        self.index.warnings()
    }

    /// Runs SQLite's full integrity check, indexes included (opening makes a quicker
    /// check that does not read indexes, and reads whole tables without them, so that a
    /// damaged index cannot change what the table shows): the problems found, or none.
    ///
    /// # Errors
    /// [`crate::Error::Corrupt`] when the check cannot run.
    pub fn verify(&self) -> Result<Vec<String>> {
        self.index.db().verify()
    }

    /// Counts, and the distinct values the filters offer.
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] / [`crate::Error::Corrupt`] when the file cannot be read.
    pub fn summary(&self) -> Result<Summary> {
        summary::summary(&self.index)
    }

    /// One page of executions matching `query`, sorted (with alert flags when
    /// `query.alerts` is given).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for an unknown status, sort column or unreadable date;
    /// [`crate::Error::Query`] for a search that does not parse.
    ///
    /// ```no_run
    /// use mlmd_lens::{Store, ExecutionQuery};
    /// let store = Store::open_path("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
    /// let q = ExecutionQuery { status: Some("failed".into()), ..Default::default() };
    /// assert_eq!(store.executions(&q).unwrap().total, 1);
    /// ```
    pub fn executions(&self, query: &ExecutionQuery) -> Result<ExecutionPage> {
        let (page, total) = self.pages.page(&self.index, query)?;
        let mut rows: Vec<_> = page.iter().map(|&i| self.index.row(i)).collect();
        if let Some(rules) = &query.alerts {
            let flags = alerts::alerts(&self.index, &page, rules, query.now)?;
            for (row, f) in rows.iter_mut().zip(flags) {
                row.alerts = f;
            }
        }
        Ok(ExecutionPage { total, offset: query.offset.unwrap_or(0), rows })
    }

    /// The ids of every execution matching `query`, in sort order (no paging).
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn execution_ids(&self, query: &ExecutionQuery) -> Result<Vec<i64>> {
        let everything = ExecutionQuery { offset: None, limit: None, ..query.clone() };
        let positions = select(&self.index, &everything)?;
        Ok(positions.into_iter().map(|i| self.index.entries()[i].id).collect())
    }

    /// How many of the executions matching `query` each of its alerts flags (`failed`,
    /// `long-running`, each rule), and how many any alert flags.
    ///
    /// # Errors
    /// As [`Store::executions`], and a rule that does not parse.
    ///
    /// ```no_run
    /// use mlmd_lens::{Store, ExecutionQuery};
    /// let store = Store::open_path("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
    /// let q: ExecutionQuery = serde_json::from_str(r#"{"alerts": {"failed": true}}"#).unwrap();
    /// assert_eq!(store.alert_summary(&q).unwrap().alerts[0].count, 1);
    /// ```
    pub fn alert_summary(&self, query: &ExecutionQuery) -> Result<AlertSummary> {
        alerts::alert_summary(&self.index, query)
    }

    /// Why `query` finds nothing: each part of the filter (structured filters, top-level
    /// AND terms of the search) counted alone and left out, a note when the store
    /// records no state and a part asks for one, and nearby queries that find something.
    ///
    /// # Errors
    /// As [`Store::executions`].
    ///
    /// ```no_run
    /// use mlmd_lens::{Store, ExecutionQuery};
    /// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let q = ExecutionQuery { query: Some("status:failed".into()), ..Default::default() };
    /// let why = store.explain_empty(&q).unwrap();
    /// assert!(why.notes[0].contains("records no execution state"));
    /// ```
    pub fn explain_empty(&self, query: &ExecutionQuery) -> Result<EmptyExplanation> {
        explain::explain_empty(&self.index, query)
    }

    /// The dashboard figures (rates, durations, throughput; per pipeline and stage) for the
    /// executions matching `query` (its sort and paging are ignored).
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn stats(&self, query: &ExecutionQuery) -> Result<Stats> {
        let positions = select(&self.index, &unsorted(query))?;
        Ok(stats::compute(&stats::samples(&self.index, &positions)))
    }

    /// The executions matching `query` as timeline bars (columnar, in start order), each
    /// marked when an alert of `query.alerts` flags it.
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn timeline(&self, query: &ExecutionQuery) -> Result<Timeline> {
        let group = timeline::GroupBy::parse(query.group_by.as_deref())?;
        let positions = select(&self.index, &unsorted(query))?;
        let mut bars = timeline::bars(&self.index, &positions, group);
        if let Some(rules) = &query.alerts {
            let flags = alerts::alerts(&self.index, &positions, rules, query.now)?;
            for (bar, f) in bars.iter_mut().zip(flags) {
                bar.alerted = !f.is_empty();
            }
        }
        Ok(timeline::build(bars, group == timeline::GroupBy::Run))
    }

    /// Compares 2–5 pipeline runs (by run context id, as `summary().runs` lists them)
    /// stage by stage: each stage's execution in each run (its status, start and
    /// duration) and the properties whose values differ between the runs.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for fewer than 2 or more than 5 ids, repeats, or
    /// an id that is not a run with executions; read errors.
    ///
    /// ```no_run
    /// use mlmd_lens::Store;
    /// let store = Store::open_path("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
    /// let c = store.compare_runs(&[2, 8]).unwrap();
    /// assert_eq!(c.stages[0].cells.len(), 2);
    /// ```
    pub fn compare_runs(&self, ids: &[i64]) -> Result<RunComparison> {
        runs::compare_runs(&self.index, ids)
    }

    /// Compares 2–5 executions side by side, in groups (Parameters, Metrics, Artifacts,
    /// Git, Timing, Bookkeeping), with deltas, verdicts and best marks against
    /// `options.baseline` (the first execution when not given).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for fewer than 2 or more than 5 ids (or repeats),
    /// or a baseline that is not among them; [`crate::Error::NoSuchExecution`] for an
    /// unknown id.
    ///
    /// ```no_run
    /// use mlmd_lens::{CompareOptions, GroupKind, Store};
    /// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let c = store.compare(&[4, 8, 12], &CompareOptions { baseline: Some(8) }).unwrap();
    /// let accuracy = c.group(GroupKind::Metrics).rows.iter().find(|r| r.name == "accuracy").unwrap();
    /// assert_eq!(accuracy.best, vec![1]); // #8 has the highest accuracy
    /// ```
    pub fn compare(&self, ids: &[i64], options: &CompareOptions) -> Result<Comparison> {
        compare::check_ids(ids)?;
        let baseline = compare::baseline_index(ids, options)?;
        let details = ids.iter().map(|&id| self.execution(id)).collect::<Result<Vec<_>>>()?;
        Ok(compare::compare(&details, baseline))
    }

    /// A chart of the comparison of `ids` as SVG text: `metrics` (a panel per metric, a
    /// bar per execution), `duration`, or `parallel` (parameters → `options.metric`).
    ///
    /// # Errors
    /// As [`Store::compare`]; [`crate::Error::InvalidArgument`] for a metric the
    /// comparison does not have; [`crate::Error::Chart`] when drawing fails.
    ///
    /// ```no_run
    /// use mlmd_lens::{features::compare_chart::{ChartKind, ChartOptions}, Store};
    /// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let svg = store.compare_chart(&[4, 8, 12], ChartKind::Metrics, &ChartOptions::default()).unwrap();
    /// assert!(svg.starts_with("<svg"));
    /// ```
    pub fn compare_chart(
        &self,
        ids: &[i64],
        kind: ChartKind,
        options: &ChartOptions,
    ) -> Result<String> {
        let c = self.compare(ids, &CompareOptions { baseline: options.baseline })?;
        compare_chart::chart(&c, kind, options)
    }

    /// Compare across a whole search: `metric` (default: the first metric name) against
    /// `parameter` (default: the first parameter that varies) for the executions matching
    /// `query` (at most [`crate::features::metric_scatter::MAX_SCATTER`] of them, in its sort
    /// order), with the executions ranked best-first by the metric.
    ///
    /// # Errors
    /// As [`Store::executions`]; [`crate::Error::InvalidArgument`] for a metric or
    /// parameter that no matching execution records.
    ///
    /// ```no_run
    /// use mlmd_lens::{ExecutionQuery, Store};
    /// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let q = ExecutionQuery { query: Some("stage:Evaluate".into()), ..Default::default() };
    /// let s = store.metric_scatter(&q, Some("accuracy"), None).unwrap();
    /// assert_eq!(s.ids.len(), 5);
    /// ```
    pub fn metric_scatter(
        &self,
        query: &ExecutionQuery,
        metric: Option<&str>,
        parameter: Option<&str>,
    ) -> Result<MetricScatter> {
        let ids = self.execution_ids(query)?;
        metric_scatter::scatter(&self.index, &ids, metric, parameter)
    }

    /// [`Store::metric_scatter`] drawn as an SVG scatter (a point per execution, the best
    /// marked), as [`Store::compare_chart`] draws its charts.
    ///
    /// # Errors
    /// As [`Store::metric_scatter`]; [`crate::Error::Chart`] when drawing fails.
    pub fn metric_scatter_chart(
        &self,
        query: &ExecutionQuery,
        metric: Option<&str>,
        parameter: Option<&str>,
    ) -> Result<String> {
        compare_chart::scatter_chart(&self.metric_scatter(query, metric, parameter)?)
    }

    /// The metrics of one execution: its own numeric properties named like a metric, and
    /// the numeric properties of the metrics-like artifacts it output, each with its source.
    ///
    /// # Errors
    /// [`crate::Error::NoSuchExecution`] when no execution has this id.
    pub fn metrics(&self, id: i64) -> Result<Vec<Metric>> {
        Ok(metrics::metrics_of(&self.execution(id)?))
    }

    /// The executions matching `query` (sorted, all of them unless `limit` is given) as
    /// CSV: the table's columns plus one `property:NAME` column per execution property.
    /// Cells that a spreadsheet would run as formulas are neutralised.
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn export_csv(&self, query: &ExecutionQuery) -> Result<String> {
        self.export("csv", &ExportOptions { filter: query.clone(), ..Default::default() })
    }

    /// The executions matching `query` (sorted, all unless `limit` is given) with every
    /// detail, as pretty JSON.
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn export_json(&self, query: &ExecutionQuery) -> Result<String> {
        self.export("json", &ExportOptions { filter: query.clone(), ..Default::default() })
    }

    /// An export as text, the same bytes in every host: `format` `csv` (the table's
    /// columns, then properties; RFC 4180, formula-safe, optional BOM), `json` (every
    /// detail; `docs/export.schema.json`), `cmf-json` (cmflib's `dumptojson` of
    /// `options.filter.pipeline`) or `html` (a report: figures, status chart, table,
    /// details, compare charts for 2–5 ids; no script). The executions are those the
    /// filter keeps, and among them only `options.ids` when given.
    ///
    /// # Errors
    /// As [`Store::executions`]; [`crate::Error::NoSuchExecution`] for an id the store
    /// lacks; [`crate::Error::InvalidArgument`] for an unknown format, or `cmf-json`
    /// without a pipeline.
    ///
    /// ```no_run
    /// use mlmd_lens::{ExportOptions, Store};
    /// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let o = ExportOptions { ids: Some(vec![4, 8]), bom: true, ..Default::default() };
    /// let csv = store.export("csv", &o).unwrap();
    /// assert!(csv.starts_with("\u{feff}id,name,"));
    /// ```
    pub fn export(&self, format: &str, options: &ExportOptions) -> Result<String> {
        let mut job = self.export_stream(format, options)?;
        let mut text = String::new();
        while let Some(chunk) = self.export_next(&mut job, usize::MAX)? {
            text += &chunk;
        }
        Ok(text)
    }

    /// An export to be written a chunk at a time with [`Store::export_next`] (`csv` and
    /// `json` a chunk of executions each time; `cmf-json` and `html` in one chunk): the
    /// chunks joined are the text of [`Store::export`], and a host shows progress
    /// (`written()` of `total()`) and can stop between them.
    ///
    /// # Errors
    /// As [`Store::export`].
    pub fn export_stream(&self, format: &str, options: &ExportOptions) -> Result<ExportStream> {
        match format {
            "csv" => {
                let names = match &options.properties {
                    Some(list) => list.clone(),
                    None => self.property_names()?.into_iter().map(|p| p.name).collect(),
                };
                let plan = export::CsvPlan::new(options.columns.as_deref(), names, options.bom);
                Ok(ExportStream::csv(plan, self.export_positions(options)?))
            }
            "json" => Ok(ExportStream::json(
                options.filter.query.clone(),
                self.export_positions(options)?,
            )),
            "cmf-json" => Ok(ExportStream::whole(
                self.export_cmf_json(options.filter.pipeline.as_deref(), None)?,
            )),
            "html" => Ok(ExportStream::whole(export::doc_html(&self.report(options)?))),
            other => Err(crate::Error::InvalidArgument(format!(
                "unknown export format {other:?}: use csv, json, cmf-json or html"
            ))),
        }
    }

    /// The next chunk of `job` (at most `max_rows` executions' worth, at least one), or
    /// `None` once it is all written.
    ///
    /// # Errors
    /// Read errors of the store.
    pub fn export_next(&self, job: &mut ExportStream, max_rows: usize) -> Result<Option<String>> {
        job.next(&self.index, |id| self.execution(id), max_rows)
    }

    /// The index positions an export is of: the filter's (sorted; all unless `limit`,
    /// after `offset`), among `options.ids` when given.
    fn export_positions(&self, options: &ExportOptions) -> Result<Vec<usize>> {
        let q = &options.filter;
        let everything = ExecutionQuery { offset: None, limit: None, ..q.clone() };
        let mut positions: Vec<usize> = select(&self.index, &everything)?
            .into_iter()
            .skip(q.offset.unwrap_or(0))
            .take(q.limit.unwrap_or(usize::MAX))
            .collect();
        if let Some(ids) = &options.ids {
            if let Some(&missing) = ids.iter().find(|id| self.index.position(**id).is_none()) {
                return Err(crate::Error::NoSuchExecution(missing));
            }
            let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
            positions.retain(|&p| wanted.contains(&self.index.entries()[p].id));
        }
        Ok(positions)
    }

    /// The rows an export is of ([`Store::export_positions`]).
    fn export_rows(&self, options: &ExportOptions) -> Result<Vec<ExecutionRow>> {
        Ok(self.export_positions(options)?.into_iter().map(|p| self.index.row(p)).collect())
    }

    /// The report of an export's executions as a document of blocks: title, store and
    /// date, the query, the dashboard figures, the status chart, the table, the timeline,
    /// the compare charts (for 2–5 chosen ids) and the details of the chosen executions
    /// (or the first 10, said so). `export("html")` draws it as HTML; the PDF module
    /// (`mlmd-lens-report-pdf`) draws the same document as PDF.
    ///
    /// # Errors
    /// As [`Store::export`].
    ///
    /// ```no_run
    /// use mlmd_lens::{ExportOptions, Store};
    /// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let doc = store.report(&ExportOptions::default()).unwrap();
    /// assert!(doc.title.starts_with("MLMD report"));
    /// ```
    pub fn report(&self, options: &ExportOptions) -> Result<crate::ReportDoc> {
        /// Executions shown in full when no ids are chosen.
        const FIRST_DETAILS: usize = 10;
        let rows = self.export_rows(options)?;
        let mut positions = select(&self.index, &unsorted(&options.filter))?;
        if let Some(ids) = &options.ids {
            let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
            positions.retain(|&p| wanted.contains(&self.index.entries()[p].id));
        }
        let stats = stats::compute(&stats::samples(&self.index, &positions));
        let timeline =
            timeline::build(timeline::bars(&self.index, &positions, Default::default()), false);
        let (shown, details_note) = match &options.ids {
            Some(_) => (rows.len(), format!("The {} chosen executions.", rows.len())),
            None if rows.len() > FIRST_DETAILS => (
                FIRST_DETAILS,
                format!("The first {FIRST_DETAILS} of {} executions, in table order.", rows.len()),
            ),
            None => (rows.len(), format!("All {} executions.", rows.len())),
        };
        let details =
            rows[..shown].iter().map(|r| self.execution(r.id)).collect::<Result<Vec<_>>>()?;
        let mut charts = Vec::new();
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        if options.ids.is_some() && (2..=5).contains(&ids.len()) {
            for (kind, title) in
                [(ChartKind::Metrics, "Metrics"), (ChartKind::Duration, "Duration")]
            {
                // A comparison without metrics has no metrics chart: leave it out.
                if let Ok(svg) = self.compare_chart(&ids, kind, &ChartOptions::default()) {
                    charts.push((title.to_string(), svg));
                }
            }
        }
        let now = options.filter.now.unwrap_or(0);
        let report = export::Report {
            store_name: options.store_name.as_deref().unwrap_or("MLMD store"),
            made: crate::time::iso_from_ms(now).unwrap_or_default(),
            scope: scope_of(options),
            stats,
            rows,
            details,
            details_note,
            charts,
            timeline,
        };
        Ok(export::report_doc(&report))
    }

    /// A smaller copy of the store (same MLMD schema) holding only the executions that
    /// match `query` — and, when `ids` is given, are among them — with their events, the
    /// artifacts those name, and their contexts with their ancestors.
    ///
    /// # Errors
    /// As [`Store::executions`]; [`crate::Error::NoSuchExecution`] for an unknown id;
    /// [`crate::Error::InvalidArgument`] when nothing would be kept.
    ///
    /// ```no_run
    /// use mlmd_lens::{ExecutionQuery, Store};
    /// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let q = ExecutionQuery { pipeline: Some("mnist".into()), ..Default::default() };
    /// let sub = store.subset(&q, None).unwrap();
    /// assert_eq!(Store::open_bytes(&sub.bytes).unwrap().summary().unwrap().executions, sub.executions);
    /// ```
    pub fn subset(&self, query: &ExecutionQuery, ids: Option<&[i64]>) -> Result<Subset> {
        export::subset(&self.index, query, ids)
    }

    /// The lineage around execution `id`, `depth` hops up and down (an execution → artifact
    /// → execution step is one hop), at most `max_nodes` nodes.
    ///
    /// # Errors
    /// [`crate::Error::NoSuchExecution`] for an unknown id.
    pub fn lineage(&self, id: i64, depth: u32, max_nodes: usize) -> Result<Lineage> {
        lineage::lineage(&self.index, id, depth, max_nodes)
    }

    /// The laid-out lineage graph of `root`: `e<id>` (or a plain id) an execution, `a<id>`
    /// an artifact (both walked up to producers and down to consumers, `options.depth`
    /// hops, at most `options.max_nodes` nodes, `hidden` counts where the walk stopped,
    /// `options.expand` opening nodes further), or `c<id>` a context: its pipeline
    /// lineage, stages as nodes and the artifacts passed between them as counted edges.
    /// [`LineageGraph::to_dot`] and [`LineageGraph::to_mermaid`] print it.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for a malformed key (root or expand);
    /// [`crate::Error::NoSuchExecution`], [`crate::Error::NoSuchArtifact`] or
    /// [`crate::Error::NoSuchContext`] for a root the store does not hold.
    ///
    /// # Example
    /// ```
    /// use mlmd_lens::{LineageOptions, Store};
    /// let dir = std::env::var("MLMD_FIXTURES").unwrap_or_else(|_| "../shared/fixtures".into());
    /// let store = Store::open_path(format!("{dir}/cmf_small.sqlite")).unwrap();
    /// let g = store.lineage_graph("e2", &LineageOptions { depth: 1, ..Default::default() }).unwrap();
    /// assert_eq!(g.nodes[0].key, "e2");
    /// assert!(g.edges.iter().all(|e| e.points.len() >= 2));
    /// ```
    pub fn lineage_graph(&self, root: &str, options: &LineageOptions) -> Result<LineageGraph> {
        lineage::graph::lineage_graph(&self.index, root, options)
    }

    /// Every execution property name with whether it is custom, the value kinds seen and
    /// how many executions have it (for autocomplete and the column chooser).
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] when the file cannot be read.
    pub fn property_names(&self) -> Result<Vec<PropertyName>> {
        if let Some(names) = self.property_names.get() {
            return Ok(names.clone());
        }
        let names = property_names::property_names(&self.index)?;
        Ok(self.property_names.get_or_init(|| names).clone())
    }

    /// Everything known about one execution.
    ///
    /// # Errors
    /// [`crate::Error::NoSuchExecution`] when no execution has this id.
    ///
    /// ```no_run
    /// let store = mlmd_lens::Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let e = store.execution(1).unwrap();
    /// assert_eq!(e.row.pipeline, "mnist");
    /// assert_eq!(e.git.repo, "https://github.com/example/mnist-demo.git");
    /// ```
    pub fn execution(&self, id: i64) -> Result<ExecutionDetails> {
        details::execution(&self.index, id)
    }

    /// Artifacts of an execution in one direction (`"INPUT"` or `"OUTPUT"`, as cmflib's
    /// `CmfQuery.get_all_artifacts_for_execution`), in event order.
    ///
    /// # Errors
    /// [`crate::Error::NoSuchExecution`]; [`crate::Error::InvalidArgument`] for another direction.
    pub fn artifacts_for_execution(&self, id: i64, direction: &str) -> Result<Vec<Artifact>> {
        details::artifacts_for_execution(&self.index, id, direction)
    }

    /// The id of the pipeline context named `name` (cmflib `CmfQuery.get_pipeline_id`).
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] when the file cannot be read.
    pub fn pipeline_id(&self, name: &str) -> Result<Option<i64>> {
        cmfquery::pipeline_id(&self.index, name)
    }

    /// The id of stage `stage` of pipeline `pipeline` (cmflib `CmfQuery.get_pipeline_stage`
    /// style): a child context of the pipeline named `<pipeline>/<stage>`,
    /// `<pipeline>.<stage>` or `<stage>`.
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] when the file cannot be read.
    pub fn stage_id(&self, pipeline: &str, stage: &str) -> Result<Option<i64>> {
        cmfquery::stage_id(&self.index, pipeline, stage)
    }

    /// Ids of every execution in a pipeline: associated with the pipeline context or any
    /// context below it (cmflib `CmfQuery.get_all_executions_in_pipeline`).
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] when the file cannot be read.
    pub fn executions_in_pipeline(&self, pipeline_id: i64) -> Result<Vec<i64>> {
        cmfquery::executions_in_pipeline(&self.index, pipeline_id)
    }

    /// Ids of the executions associated with a context, e.g. a stage
    /// (cmflib `CmfQuery.get_all_executions_in_stage`).
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] when the file cannot be read.
    pub fn executions_in_stage(&self, stage_id: i64) -> Result<Vec<i64>> {
        cmfquery::executions_in_stage(&self.index, stage_id)
    }

    // --- cmflib's CmfQuery questions, answered as cmflib 0.1.0 does (the Python drop-in
    // `mlmd_lens.CmfQuery`); see `features::cmfquery`. None fails on a name or an id the
    // store lacks: cmflib answers those with -1, None or an empty frame, and so do these.

    /// Names of the pipelines (`Parent_Context` contexts), by id (`get_pipeline_names`).
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] when the file cannot be read (so for every `cmf_` method).
    pub fn cmf_pipeline_names(&self) -> Result<Vec<String>> {
        cmfquery::pipeline_names(&self.index)
    }

    /// The id of the first pipeline named `name`, or -1 (`get_pipeline_id`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    ///
    /// ```no_run
    /// let store = mlmd_lens::Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// assert_eq!(store.cmf_pipeline_id("mnist").unwrap(), 1);
    /// assert_eq!(store.cmf_pipeline_id("nope").unwrap(), -1);
    /// ```
    pub fn cmf_pipeline_id(&self, name: &str) -> Result<i64> {
        cmfquery::cmf_pipeline_id(&self.index, name)
    }

    /// Stage context names (`<pipeline>/<stage>`) of pipeline `name` (`get_pipeline_stages`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_pipeline_stages(&self, name: &str) -> Result<Vec<String>> {
        cmfquery::pipeline_stages(&self.index, name)
    }

    /// Every execution of pipeline `name` with its properties as columns
    /// (`get_all_executions_in_pipeline`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_executions_in_pipeline(&self, name: &str) -> Result<CmfFrame> {
        cmfquery::executions_in_pipeline_frame(&self.index, name)
    }

    /// The executions of stage `stage_name` (`<pipeline>/<stage>`) with their properties
    /// as columns (`get_all_executions_in_stage`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_executions_in_stage(&self, stage_name: &str) -> Result<CmfFrame> {
        cmfquery::executions_in_stage_frame(&self.index, stage_name)
    }

    /// The executions of stage `stage_name` as proto-like records (`get_all_exe_in_stage`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_exe_in_stage(&self, stage_name: &str) -> Result<Vec<CmfExecution>> {
        cmfquery::exe_in_stage(&self.index, stage_name)
    }

    /// The properties of the executions with these ids (`get_all_executions_by_ids_list`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_executions_by_ids(&self, ids: &[i64]) -> Result<CmfFrame> {
        cmfquery::executions_by_ids_frame(&self.index, ids)
    }

    /// The artifacts of execution `id`, one row per event with its `event`, only those of
    /// `direction` (`"INPUT"`/`"OUTPUT"`) when given (`get_all_artifacts_for_execution`).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for another direction; as [`Store::cmf_pipeline_names`].
    pub fn cmf_artifacts_for_execution(
        &self,
        id: i64,
        direction: Option<&str>,
    ) -> Result<CmfFrame> {
        cmfquery::artifacts_for_execution_frame(&self.index, id, direction)
    }

    /// The executions that read or wrote the artifact named `name`
    /// (`get_all_executions_for_artifact`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_executions_for_artifact(&self, name: &str) -> Result<CmfFrame> {
        cmfquery::executions_for_artifact_frame(&self.index, name)
    }

    /// The artifacts one hop up (`Direction::Parents`: inputs of the executions that wrote
    /// the artifact named `name`) or down (`Children`) (`get_one_hop_parent_artifacts`,
    /// `get_one_hop_child_artifacts`). `pipeline_id` keeps only the executions whose
    /// `Pipeline_id` property reads as that text, as cmflib's `get_one_hop_child_artifacts`
    /// does (an execution without the property is left out).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_one_hop_artifacts(
        &self,
        name: &str,
        direction: Direction,
        pipeline_id: Option<&str>,
    ) -> Result<CmfFrame> {
        cmf_lineage::one_hop(&self.index, name, direction, pipeline_id)
    }

    /// Every artifact upstream or downstream of the artifact named `name`, in cmflib's
    /// order (`get_all_parent_artifacts`, `get_all_child_artifacts`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_all_artifacts(&self, name: &str, direction: Direction) -> Result<CmfFrame> {
        cmf_lineage::all(&self.index, name, direction)
    }

    /// The first execution (by id) that wrote the artifact named `name`
    /// (`find_producer_execution`).
    ///
    /// # Errors
    /// As [`Store::cmf_pipeline_names`].
    pub fn cmf_find_producer_execution(&self, name: &str) -> Result<Option<CmfExecution>> {
        cmfquery::find_producer_execution(&self.index, name)
    }

    /// CMF's own JSON of pipeline `pipeline` (`dumptojson`; what `cmf metadata export`
    /// writes), only the executions whose `Execution_uuid` holds `exec_uuid` when given.
    /// The hosts' `export('cmf-json', {pipeline})` (CLI `--format cmf-json --pipeline P`).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] when no pipeline is given (`None`); as
    /// [`Store::cmf_pipeline_names`].
    ///
    /// ```no_run
    /// let store = mlmd_lens::Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let doc = store.export_cmf_json(Some("mnist"), None).unwrap();
    /// let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    /// assert_eq!(doc["Pipeline"][0]["stages"].as_array().unwrap().len(), 4);
    /// ```
    pub fn export_cmf_json(
        &self,
        pipeline: Option<&str>,
        exec_uuid: Option<&str>,
    ) -> Result<String> {
        export::export_cmf_json(&self.index, pipeline, exec_uuid)
    }
}

/// `query` without sort or paging: aggregates need no order.
fn unsorted(query: &ExecutionQuery) -> ExecutionQuery {
    ExecutionQuery { offset: None, limit: Some(0), ..query.clone() }
}

/// `query` with every row unless it gives a limit.
/// What an export is of, in words: the search and filters, and the ids.
fn scope_of(options: &ExportOptions) -> String {
    let f = &options.filter;
    let mut parts: Vec<String> = Vec::new();
    if let Some(q) = f.query.as_deref().filter(|q| !q.trim().is_empty()) {
        parts.push(format!("search “{q}”"));
    }
    for (key, value) in [
        ("pipeline", &f.pipeline),
        ("stage", &f.stage),
        ("type", &f.type_name),
        ("status", &f.status),
        ("branch", &f.branch),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{key} {v}"));
        }
    }
    if let Some(ids) = &options.ids {
        let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        parts.push(format!("ids {}", list.join(", ")));
    }
    if parts.is_empty() {
        "all executions".into()
    } else {
        parts.join("; ")
    }
}
