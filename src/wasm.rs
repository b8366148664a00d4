//! The JavaScript surface (wasm-bindgen): thin newtypes that convert arguments, call the
//! core and hand back plain JS objects. Results cross as JSON text parsed by `JSON.parse`,
//! so the objects are exactly the JSON the native CLI prints.

use std::io::Read;

use js_sys::{Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;

use crate::{ChartKind, ChartOptions, CompareOptions, Error, ExecutionQuery, Opening, Store};

/// The TypeScript types of every result, generated from the Rust types (src/typescript.rs).
#[wasm_bindgen(typescript_custom_section)]
const RESULT_TYPES: &str = include_str!("../js/types/core.d.ts");

/// The largest store the page copies into WebAssembly memory: wasm32 memory ends at
/// 4 GiB, and the index and the viewer need room beside the copy.
const MAX_STORE_BYTES: u64 = 2 << 30;

/// An opened MLMD store.
///
/// ```js
/// import init, { MlmdStore } from './pkg/mlmd_lens.js';
/// await init();
/// const store = MlmdStore.open(new Uint8Array(await file.arrayBuffer()), file.name);
/// store.executions({ status: 'failed', sort: '-started', limit: 50 });
/// ```
#[wasm_bindgen]
pub struct MlmdStore {
    store: Store,
    file: String,
}

/// Turns a core error into a JS `Error` with `message` and a stable `kind`.
fn js_error(e: &Error, file: &str) -> JsValue {
    let err = js_sys::Error::new(&e.for_file(file));
    let _ = Reflect::set(&err, &"kind".into(), &e.kind().into());
    if let Error::Query { position, .. } = e {
        let _ = Reflect::set(&err, &"position".into(), &(*position as f64).into());
    }
    err.into()
}

/// Serializes a result as a plain JS object (via JSON, identical to the CLI's output).
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    JSON::parse(&text)
}

/// Reads a JS `Uint8Array` straight into SQLite's buffer (one copy, no temporary Vec).
struct ArrayReader {
    array: Uint8Array,
    pos: u32,
}

impl Read for ArrayReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.array.length() - self.pos;
        let n = left.min(u32::try_from(buf.len()).unwrap_or(u32::MAX));
        if n > 0 {
            self.array.subarray(self.pos, self.pos + n).copy_to(&mut buf[..n as usize]);
            self.pos += n;
        }
        Ok(n as usize)
    }
}

/// Reads a store through a JS function `read(offset, length) -> Uint8Array` (in the
/// worker: `FileReaderSync` over `file.slice`), straight into SQLite's buffer.
struct FnReader<'a> {
    read: &'a js_sys::Function,
    pos: f64,
}

/// The largest piece asked of `read` at once.
const CHUNK_BYTES: usize = 8 << 20;

impl Read for FnReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf.len().min(CHUNK_BYTES);
        if want == 0 {
            return Ok(0);
        }
        let got = self
            .read
            .call2(&JsValue::NULL, &self.pos.into(), &(want as f64).into())
            .map_err(|e| std::io::Error::other(js_message(&e)))?;
        let chunk: Uint8Array = got
            .dyn_into()
            .map_err(|_| std::io::Error::other("read() did not return a Uint8Array"))?;
        let n = (chunk.length() as usize).min(want);
        chunk.subarray(0, n as u32).copy_to(&mut buf[..n]);
        self.pos += n as f64;
        Ok(n)
    }
}

/// The message of a thrown JS value.
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the read failed".into())
}

/// Checks a size given by JS and reads the file's first (up to) 100 bytes through
/// `read`, for the checks made before SQLite sees the file.
fn size_and_head(
    size: f64,
    read: &js_sys::Function,
    file: &str,
) -> Result<(usize, Vec<u8>), JsValue> {
    let len = size_arg(size, file)?;
    let mut head = Vec::with_capacity(100);
    FnReader { read, pos: 0.0 }.take(len.min(100) as u64).read_to_end(&mut head).map_err(|e| {
        js_error(&Error::InvalidArgument(format!("the file could not be read: {e}")), file)
    })?;
    Ok((len, head))
}

/// A size given by JS, as bytes: a whole number from 0 to 2^53.
fn size_arg(size: f64, file: &str) -> Result<usize, JsValue> {
    if !(size >= 0.0 && size.fract() == 0.0 && size < 9_007_199_254_740_992.0) {
        return Err(js_error(&Error::InvalidArgument(format!("{size} is not a size")), file));
    }
    Ok(size as usize)
}

/// Refuses a store too large to copy into wasm memory ([`MAX_STORE_BYTES`]).
fn copyable(size: f64, file: &str) -> Result<(), JsValue> {
    if size > MAX_STORE_BYTES as f64 {
        let e = Error::TooLarge { size_mb: size as u64 >> 20, limit_mb: MAX_STORE_BYTES >> 20 };
        return Err(js_error(&e, file));
    }
    Ok(())
}

/// An export under way (`MlmdStore.exportStream`): how much of it is written.
#[wasm_bindgen]
pub struct MlmdExport {
    stream: crate::ExportStream,
}

#[wasm_bindgen]
impl MlmdExport {
    /// The executions the export writes (0 for a format written in one chunk).
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> u32 {
        u32::try_from(self.stream.total()).unwrap_or(u32::MAX)
    }

    /// The executions written so far.
    #[wasm_bindgen(getter)]
    pub fn written(&self) -> u32 {
        u32::try_from(self.stream.written()).unwrap_or(u32::MAX)
    }

    /// Whether every chunk has been given out.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.stream.is_done()
    }
}

/// A store's copy being written by JS piece by piece (`MlmdOpening.filling`).
#[wasm_bindgen]
pub struct MlmdFilling {
    filling: Option<crate::Filling>,
    file: String,
}

#[wasm_bindgen]
impl MlmdFilling {
    /// Copies `piece` (the next bytes of the file) into the store's copy; returns how many
    /// bytes are in so far. Bytes beyond the announced size are ignored.
    pub fn write(&mut self, piece: &Uint8Array) -> Result<f64, JsValue> {
        let f = self.filling.as_mut().ok_or_else(|| gone(&self.file))?;
        let space = f.unfilled();
        let n = (piece.length() as usize).min(space.len());
        piece.subarray(0, n as u32).copy_to(&mut space[..n]);
        f.advance(n);
        Ok(f.filled() as f64)
    }

    /// Bytes copied in so far.
    #[wasm_bindgen(getter)]
    pub fn filled(&self) -> f64 {
        self.filling.as_ref().map_or(0.0, |f| f.filled() as f64)
    }

    /// Opens the copy (every byte written) and checks it as `MlmdOpening.read` does;
    /// afterwards this object is spent.
    pub fn open(&mut self) -> Result<MlmdOpening, JsValue> {
        let f = self.filling.take().ok_or_else(|| gone(&self.file))?;
        let opening = f.open().map_err(|e| js_error(&e, &self.file))?;
        Ok(MlmdOpening { opening: Some(opening), file: self.file.clone() })
    }
}

/// The error of a filling used after `open()`.
fn gone(file: &str) -> JsValue {
    js_error(&Error::InvalidArgument("this copy was already opened".into()), file)
}

/// A store opened in steps, for a host that shows progress and the first rows at once
/// (the page's Web Worker):
///
/// ```js
/// const opening = MlmdOpening.read(file.size, (offset, length) =>
///   new Uint8Array(new FileReaderSync().readAsArrayBuffer(file.slice(offset, offset + length))), file.name);
/// post(opening.firstPage(50));                       // from SQL, before the index
/// const store = opening.finish((share) => post({ indexing: share }));
/// ```
#[wasm_bindgen]
pub struct MlmdOpening {
    opening: Option<Opening>,
    file: String,
}

#[wasm_bindgen]
impl MlmdOpening {
    /// Copies a store of `size` bytes, asked for piece by piece with `read(offset,
    /// length)`, into SQLite's memory and checks it (header, MLMD schema; the integrity
    /// check of a small store comes in `finish`). Throws as `MlmdStore.open`.
    pub fn read(
        size: f64,
        #[wasm_bindgen(unchecked_param_type = "(offset: number, length: number) => Uint8Array")]
        read: &js_sys::Function,
        #[wasm_bindgen(js_name = fileName)] file_name: Option<String>,
    ) -> Result<MlmdOpening, JsValue> {
        let file = file_name.unwrap_or_default();
        copyable(size, &file)?;
        let (len, head) = size_and_head(size, read, &file)?;
        let opening = Opening::reader(&head, len, FnReader { read, pos: 0.0 })
            .map_err(|e| js_error(&e, &file))?;
        Ok(MlmdOpening { opening: Some(opening), file })
    }

    /// Starts the copy of a store of `size` bytes that JS writes piece by piece
    /// (`MlmdFilling.write`), for reads that are asynchronous (the `File`'s stream, read
    /// into one reused buffer: no piece stays behind as garbage); `head` holds its first
    /// (up to) 100 bytes, checked before anything is allocated. Throws as `open`.
    ///
    /// ```js
    /// const filling = MlmdOpening.filling(file.size, head, file.name);
    /// for await (const piece of pieces) filling.write(piece);
    /// const opening = filling.open();   // then firstPage(), finish()
    /// ```
    pub fn filling(
        size: f64,
        head: &[u8],
        #[wasm_bindgen(js_name = fileName)] file_name: Option<String>,
    ) -> Result<MlmdFilling, JsValue> {
        let file = file_name.unwrap_or_default();
        copyable(size, &file)?;
        let len = size_arg(size, &file)?;
        let filling = Opening::filling(head, len).map_err(|e| js_error(&e, &file))?;
        Ok(MlmdFilling { filling: Some(filling), file })
    }

    /// Opens a store of `size` bytes read on demand, page by page, through
    /// `read(offset, length)` (in the worker: `FileReaderSync` over `file.slice`), with
    /// nothing copied: any size opens, and only the index stays in memory. Checks as
    /// `read()` does. The function must stay valid while the store is open.
    pub fn source(
        size: f64,
        #[wasm_bindgen(unchecked_param_type = "(offset: number, length: number) => Uint8Array")]
        read: js_sys::Function,
        #[wasm_bindgen(js_name = fileName)] file_name: Option<String>,
    ) -> Result<MlmdOpening, JsValue> {
        let file = file_name.unwrap_or_default();
        let (len, head) = size_and_head(size, &read, &file)?;
        let pull = move |offset: u64, buf: &mut [u8]| -> Result<usize, String> {
            let mut r = FnReader { read: &read, pos: offset as f64 };
            r.read(buf).map_err(|e| format!("the file could not be read: {e}"))
        };
        let opening = Opening::source(&head, len, pull).map_err(|e| js_error(&e, &file))?;
        Ok(MlmdOpening { opening: Some(opening), file })
    }

    /// `{ total, offset, rows[] }`: the first `limit` executions by id, read before the
    /// index is built (equal to `executions({ limit })` of the opened store).
    #[wasm_bindgen(js_name = firstPage, unchecked_return_type = "ExecutionPage")]
    pub fn first_page(&self, limit: u32) -> Result<JsValue, JsValue> {
        let opening = self.opening()?;
        to_js(&opening.first_page(limit as usize).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Builds the index and returns the opened store; `progress(share)` (optional) hears
    /// the share done, 0 to 1. The opening cannot be used afterwards.
    pub fn finish(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(share: number) => void")] progress: Option<
            js_sys::Function,
        >,
    ) -> Result<MlmdStore, JsValue> {
        let opening = self.opening.take().ok_or_else(|| self.used())?;
        let mut report = |share: f64| {
            if let Some(f) = &progress {
                let _ = f.call1(&JsValue::NULL, &share.into());
            }
        };
        let store = opening.finish(&mut report).map_err(|e| js_error(&e, &self.file))?;
        Ok(MlmdStore { store, file: self.file.clone() })
    }

    fn opening(&self) -> Result<&Opening, JsValue> {
        self.opening.as_ref().ok_or_else(|| self.used())
    }

    fn used(&self) -> JsValue {
        js_error(&Error::InvalidArgument("this opening has already finished".into()), &self.file)
    }
}

#[wasm_bindgen]
impl MlmdStore {
    /// Opens a store from a file's bytes; `fileName` (optional) prefixes error messages.
    /// Throws an `Error` whose `kind` is `empty`, `not-sqlite`, `truncated`, `corrupt`,
    /// `not-mlmd` or `unsupported-schema`.
    pub fn open(
        bytes: &Uint8Array,
        #[wasm_bindgen(js_name = fileName)] file_name: Option<String>,
    ) -> Result<MlmdStore, JsValue> {
        let file = file_name.unwrap_or_default();
        let len = bytes.length();
        copyable(f64::from(len), &file)?;
        let head = bytes.subarray(0, len.min(100)).to_vec();
        let reader = ArrayReader { array: bytes.clone(), pos: 0 };
        Store::open_reader(&head, len as usize, reader)
            .map(|store| MlmdStore { store, file: file.clone() })
            .map_err(|e| js_error(&e, &file))
    }

    /// `MLMDEnv.schema_version` (-1 when not recorded).
    #[wasm_bindgen(getter, js_name = schemaVersion)]
    pub fn schema_version(&self) -> f64 {
        self.store.schema_version() as f64
    }

    /// `{ schemaVersion, flavor, executions, artifacts, contexts, events, pipelines[],
    /// stages[], executionTypes[], states{}, branches[], firstStarted, lastStarted, warnings[] }`.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.store.summary().map_err(|e| js_error(&e, &self.file))?)
    }

    /// `{ total, offset, rows[] }` for `{ query, pipeline, stage, type, status, from, to,
    /// branch, sort, offset, limit }` (all optional).
    #[wasm_bindgen(unchecked_return_type = "ExecutionPage")]
    pub fn executions(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecutionQuery")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let q = self.query(options)?;
        to_js(&self.store.executions(&q).map_err(|e| js_error(&e, &self.file))?)
    }

    /// The alerts among the executions the same options as `executions()` match (with
    /// their `alerts` rules): `{ any, alerts[{name, term, count}] }`.
    #[wasm_bindgen(js_name = alertSummary, unchecked_return_type = "AlertSummary")]
    pub fn alert_summary(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecutionQuery")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let q = self.query(options)?;
        to_js(&self.store.alert_summary(&q).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Why the same options as `executions()` find nothing: `{ matched, total, parts[{key,
    /// text, matched, without, rest}], notes[], suggestions[{query, meaning, matched}] }`.
    #[wasm_bindgen(js_name = explainEmpty, unchecked_return_type = "EmptyExplanation")]
    pub fn explain_empty(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecutionQuery")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let q = self.query(options)?;
        to_js(&self.store.explain_empty(&q).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Dashboard figures for the executions matching the same options as `executions()`:
    /// `{ total, byStatus, finished, successRate, failureRate, duration{avgMs, medianMs,
    /// p95Ms, …}, throughputPerDay, throughputPerHour, perDay[], perHour[], byPipeline[],
    /// byStage[] }`.
    #[wasm_bindgen(unchecked_return_type = "Stats")]
    pub fn stats(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecutionQuery")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let q = self.query(options)?;
        to_js(&self.store.stats(&q).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Timeline bars for the same options as `executions()`: `{ lanes[], statuses[], ids,
    /// start, end, lane, status, min, max }` with `ids`/`start`/`end` as `Float64Array`,
    /// `lane` as `Uint32Array`, `status` and `alerted` (1 where an alert of `options.alerts`
    /// flags the bar) as `Uint8Array` (ready to draw; `end` is NaN for executions that have
    /// not ended).
    #[wasm_bindgen(unchecked_return_type = "Timeline")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecutionQuery")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let q = self.query(options)?;
        let t = self.store.timeline(&q).map_err(|e| js_error(&e, &self.file))?;
        let out = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&out, &k.into(), v).map(|_| ());
        set("lanes", &to_js(&t.lanes)?)?;
        set("statuses", &to_js(&t.statuses)?)?;
        set("ids", &js_sys::Float64Array::from(&t.ids[..]).into())?;
        set("start", &js_sys::Float64Array::from(&t.start[..]).into())?;
        set("end", &js_sys::Float64Array::from(&t.end[..]).into())?;
        set("lane", &js_sys::Uint32Array::from(&t.lane[..]).into())?;
        set("status", &js_sys::Uint8Array::from(&t.status[..]).into())?;
        set("alerted", &js_sys::Uint8Array::from(&t.alerted[..]).into())?;
        set("min", &t.min.into())?;
        set("max", &t.max.into())?;
        Ok(out.into())
    }

    /// Compares 2–5 executions: `{ executions[], baseline, baselineIndex, groups[{kind,
    /// title, folded, rows[], artifacts[]}] }` (Parameters, Metrics, Artifacts, Git,
    /// Timing, Bookkeeping), deltas against `options.baseline` (an id; default the first).
    ///
    /// ```js
    /// const c = store.compare([4, 8, 12], { baseline: 8 });
    /// c.groups.find((g) => g.kind === 'metrics').rows[0].best; // [1]
    /// ```
    #[wasm_bindgen(unchecked_return_type = "Comparison")]
    pub fn compare(
        &self,
        ids: Vec<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CompareOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ids = ids.into_iter().map(id_arg).collect::<Result<Vec<_>, _>>()?;
        let options: CompareOptions = options_arg(options, "compare")?;
        to_js(&self.store.compare(&ids, &options).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Compares 2–5 pipeline runs (context ids, as `summary().runs` lists them) stage by
    /// stage: `{ runs[], stages[{ stage, cells[{ executionId, name, status, started,
    /// durationMs, executions } | null], differences[{ name, values[] }], same }] }`.
    ///
    /// ```js
    /// const { runs } = store.summary();
    /// const c = store.compareRuns([runs[0].id, runs[1].id]);
    /// c.stages.filter((s) => !s.same).map((s) => s.stage);
    /// ```
    #[wasm_bindgen(js_name = compareRuns, unchecked_return_type = "RunComparison")]
    pub fn compare_runs(&self, ids: Vec<f64>) -> Result<JsValue, JsValue> {
        let ids = ids.into_iter().map(id_arg).collect::<Result<Vec<_>, _>>()?;
        to_js(&self.store.compare_runs(&ids).map_err(|e| js_error(&e, &self.file))?)
    }

    /// A chart of the comparison as SVG text: `kind` `"metrics"` (a bar per execution per
    /// metric), `"duration"` or `"parallel"` (parameters → `options.metric`). The text is
    /// escaped by the core and holds no script or event attribute.
    ///
    /// ```js
    /// const svg = store.compareChart([4, 8, 12], 'metrics', { baseline: 8 });
    /// ```
    #[wasm_bindgen(js_name = compareChart)]
    pub fn compare_chart(
        &self,
        ids: Vec<f64>,
        kind: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "ChartOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        let ids = ids.into_iter().map(id_arg).collect::<Result<Vec<_>, _>>()?;
        let kind = ChartKind::parse(kind).map_err(|e| js_error(&e, ""))?;
        let options: ChartOptions = options_arg(options, "compareChart")?;
        self.store.compare_chart(&ids, kind, &options).map_err(|e| js_error(&e, &self.file))
    }

    /// Compare across a whole search: `metric` against `parameter` (both optional) for the
    /// executions matching `options` (as `executions()`), ranked best-first:
    /// `{ total, considered, metrics[], parameters[], metric, parameter, direction, ids[],
    /// names[], x[], y[], xNumeric, xCategories[], ranking[] }`.
    ///
    /// ```js
    /// store.metricScatter({ query: 'stage:Evaluate' }, 'accuracy');
    /// ```
    #[wasm_bindgen(js_name = metricScatter, unchecked_return_type = "MetricScatter")]
    pub fn metric_scatter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExecutionQuery | undefined")] options: JsValue,
        metric: Option<String>,
        parameter: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let q = self.query(options)?;
        let s = self.store.metric_scatter(&q, metric.as_deref(), parameter.as_deref());
        to_js(&s.map_err(|e| js_error(&e, &self.file))?)
    }

    /// `metricScatter` drawn as SVG text (a point per execution, the best marked).
    #[wasm_bindgen(js_name = metricScatterChart)]
    pub fn metric_scatter_chart(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExecutionQuery | undefined")] options: JsValue,
        metric: Option<String>,
        parameter: Option<String>,
    ) -> Result<String, JsValue> {
        let q = self.query(options)?;
        self.store
            .metric_scatter_chart(&q, metric.as_deref(), parameter.as_deref())
            .map_err(|e| js_error(&e, &self.file))
    }

    /// An export as text, the same bytes as the CLI's: `format` `"csv"`, `"json"`,
    /// `"cmf-json"` (of `options.pipeline`) or `"html"` (a report); `options` are the
    /// filter of `executions()` plus `ids`, `columns`, `properties`, `bom`, `storeName`.
    ///
    /// ```js
    /// const csv = store.export('csv', { query: 'status:failed', columns: ['id', 'name', 'property:lr'], bom: true });
    /// ```
    pub fn export(
        &self,
        format: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        let o = self.export_options(options, "export")?;
        self.store.export(format, &o).map_err(|e| js_error(&e, &self.file))
    }

    /// An export to write a chunk at a time (`exportNext`), for a large one: the chunks
    /// joined are `export(format, options)`'s text; `format` and `options` as for `export`.
    ///
    /// ```js
    /// const job = store.exportStream('csv', { query: 'status:failed' });
    /// const parts = [];
    /// for (let chunk; (chunk = store.exportNext(job, 2000)) !== undefined;) parts.push(chunk);
    /// job.free();
    /// ```
    #[wasm_bindgen(js_name = exportStream)]
    pub fn export_stream(
        &self,
        format: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Result<MlmdExport, JsValue> {
        let o = self.export_options(options, "exportStream")?;
        let stream = self.store.export_stream(format, &o).map_err(|e| js_error(&e, &self.file))?;
        Ok(MlmdExport { stream })
    }

    /// The next chunk of `job`, at most `maxRows` executions' worth (CSV rows, JSON
    /// executions); `undefined` once all is written.
    #[wasm_bindgen(js_name = exportNext)]
    pub fn export_next(
        &self,
        job: &mut MlmdExport,
        max_rows: u32,
    ) -> Result<Option<String>, JsValue> {
        let rows = usize::try_from(max_rows).unwrap_or(usize::MAX);
        self.store.export_next(&mut job.stream, rows).map_err(|e| js_error(&e, &self.file))
    }

    /// The report of an export's executions as the JSON of its document (title, figures,
    /// charts, table, details: what `export('html')` draws), for the PDF module
    /// (`reportPdf` in `pkg/report-pdf/`); `options` as for `export`.
    #[wasm_bindgen(js_name = reportDoc)]
    pub fn report_doc(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        let o = self.export_options(options, "reportDoc")?;
        let doc = self.store.report(&o).map_err(|e| js_error(&e, &self.file))?;
        serde_json::to_string(&doc).map_err(|e| js_sys::Error::new(&e.to_string()).into())
    }

    /// The bytes of a new MLMD file (same schema version) holding only the executions
    /// `ids` with their events, the artifacts those name and their contexts.
    ///
    /// ```js
    /// const bytes = store.subset([3, 7, 11]); // a Uint8Array: an SQLite file
    /// ```
    pub fn subset(&self, ids: Vec<f64>) -> Result<js_sys::Uint8Array, JsValue> {
        let ids = ids.into_iter().map(id_arg).collect::<Result<Vec<_>, _>>()?;
        let sub = self
            .store
            .subset(&ExecutionQuery::default(), Some(&ids))
            .map_err(|e| js_error(&e, &self.file))?;
        Ok(js_sys::Uint8Array::from(&sub.bytes[..]))
    }

    /// The lineage around an execution: `{ nodes[{key, kind, id, name, type, status,
    /// depth}], edges[{from, to, type}], truncated }`, `depth` hops each way (default 2),
    /// at most 500 nodes.
    #[wasm_bindgen(unchecked_return_type = "Lineage")]
    pub fn lineage(&self, id: f64, depth: Option<u32>) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .store
                .lineage(id_arg(id)?, depth.unwrap_or(2), 500)
                .map_err(|e| js_error(&e, &self.file))?,
        )
    }

    /// The laid-out lineage graph of `root` (`"e12"` an execution, `"a5"` an artifact,
    /// `"c3"` a context's pipeline lineage); `options` `{ depth, maxNodes, expand }`.
    ///
    /// ```js
    /// const g = store.lineageGraph('e12', { depth: 2, maxNodes: 150, expand: ['a5'] });
    /// g.nodes.map(n => [n.key, n.x, n.y, n.width, n.height, n.hidden]);
    /// ```
    #[wasm_bindgen(js_name = lineageGraph, unchecked_return_type = "LineageGraph")]
    pub fn lineage_graph(
        &self,
        root: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "Partial<LineageOptions>")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let o: crate::LineageOptions = options_arg(options, "lineageGraph")?;
        to_js(&self.store.lineage_graph(root, &o).map_err(|e| js_error(&e, &self.file))?)
    }

    /// SQLite's full integrity check, indexes included (opening makes a quicker one):
    /// the problems found, `[]` when none.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn verify(&self) -> Result<JsValue, JsValue> {
        to_js(&self.store.verify().map_err(|e| js_error(&e, &self.file))?)
    }

    /// Execution property names: `[{ name, custom, kinds[], executions }]`.
    #[wasm_bindgen(js_name = propertyNames, unchecked_return_type = "PropertyName[]")]
    pub fn property_names(&self) -> Result<JsValue, JsValue> {
        to_js(&self.store.property_names().map_err(|e| js_error(&e, &self.file))?)
    }

    /// Ids of every execution matching the filters, in sort order (no paging).
    #[wasm_bindgen(js_name = executionIds, unchecked_return_type = "number[]")]
    pub fn execution_ids(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecutionQuery")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let q = self.query(options)?;
        to_js(&self.store.execution_ids(&q).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Everything about one execution (row, git, properties, inputs, outputs, events).
    #[wasm_bindgen(unchecked_return_type = "ExecutionDetails")]
    pub fn execution(&self, id: f64) -> Result<JsValue, JsValue> {
        to_js(&self.store.execution(id_arg(id)?).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Artifacts of an execution, `direction` `"INPUT"` or `"OUTPUT"`.
    #[wasm_bindgen(js_name = artifactsForExecution, unchecked_return_type = "Artifact[]")]
    pub fn artifacts_for_execution(&self, id: f64, direction: &str) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .store
                .artifacts_for_execution(id_arg(id)?, direction)
                .map_err(|e| js_error(&e, &self.file))?,
        )
    }

    /// Id of the pipeline context named `name`, or `null`.
    #[wasm_bindgen(js_name = pipelineId, unchecked_return_type = "number | null")]
    pub fn pipeline_id(&self, name: &str) -> Result<JsValue, JsValue> {
        to_js(&self.store.pipeline_id(name).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Id of stage `stage` of pipeline `pipeline`, or `null`.
    #[wasm_bindgen(js_name = stageId, unchecked_return_type = "number | null")]
    pub fn stage_id(&self, pipeline: &str, stage: &str) -> Result<JsValue, JsValue> {
        to_js(&self.store.stage_id(pipeline, stage).map_err(|e| js_error(&e, &self.file))?)
    }

    /// Ids of the executions in a pipeline (by pipeline context id).
    #[wasm_bindgen(js_name = executionsInPipeline, unchecked_return_type = "number[]")]
    pub fn executions_in_pipeline(&self, pipeline_id: f64) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .store
                .executions_in_pipeline(id_arg(pipeline_id)?)
                .map_err(|e| js_error(&e, &self.file))?,
        )
    }

    /// Ids of the executions in a stage (by stage context id).
    #[wasm_bindgen(js_name = executionsInStage, unchecked_return_type = "number[]")]
    pub fn executions_in_stage(&self, stage_id: f64) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .store
                .executions_in_stage(id_arg(stage_id)?)
                .map_err(|e| js_error(&e, &self.file))?,
        )
    }

    fn query(&self, options: JsValue) -> Result<ExecutionQuery, JsValue> {
        if options.is_undefined() || options.is_null() {
            return Ok(ExecutionQuery {
                now: Some(js_sys::Date::now() as i64),
                ..Default::default()
            });
        }
        let text: String = JSON::stringify(&options)?.into();
        let mut q: ExecutionQuery = serde_json::from_str(&text).map_err(|e| {
            js_error(&Error::InvalidArgument(format!("bad executions() options: {e}")), "")
        })?;
        q.now.get_or_insert(js_sys::Date::now() as i64);
        Ok(q)
    }
}

/// The core's rules a front end offers: `{ fields[{name, kind, help}], operators[],
/// keywords[], examples[{query, meaning}], statuses[{label, meaning}], filterKeys[],
/// sortColumns[], compare{min, max} }`.
#[wasm_bindgen(unchecked_return_type = "Vocabulary")]
pub fn language() -> Result<JsValue, JsValue> {
    to_js(&crate::vocabulary())
}

/// `value` written so that the search language reads it back as one value.
#[wasm_bindgen(js_name = quoteValue)]
pub fn quote_value(value: &str) -> String {
    crate::query::quote_value(value)
}

/// Checks an alert rule's query: `null` when it reads, else `{ message, position }` (the
/// parser's, with the character offset in `text`).
#[wasm_bindgen(js_name = checkAlertRule, unchecked_return_type = "{ message: string, position: number } | null")]
pub fn check_alert_rule(text: &str) -> Result<JsValue, JsValue> {
    match crate::query::check_alert_rule(text) {
        Ok(()) => Ok(JsValue::NULL),
        Err(crate::Error::Query { position, message }) => {
            to_js(&serde_json::json!({ "message": message, "position": position }))
        }
        Err(e) => to_js(&serde_json::json!({ "message": e.to_string(), "position": 0 })),
    }
}

/// A duration as the search language reads it (`90s`, `5m`, `1h30m`, `2d`, `250ms`), in
/// milliseconds, or `undefined` when it does not read.
#[wasm_bindgen(js_name = parseDuration)]
pub fn parse_duration(text: &str) -> Option<f64> {
    crate::query::parse_duration_ms(text).map(|ms| ms as f64)
}
impl MlmdStore {
    /// An export's options from JS, with the time of now and this file's name when not given.
    fn export_options(
        &self,
        options: JsValue,
        what: &str,
    ) -> Result<crate::ExportOptions, JsValue> {
        let mut o: crate::ExportOptions = options_arg(options, what)?;
        o.filter.now.get_or_insert(js_sys::Date::now() as i64);
        if o.store_name.is_none() && !self.file.is_empty() {
            o.store_name = Some(self.file.clone());
        }
        Ok(o)
    }
}

/// The `property:NAME` term for a property name (quoted where the name needs it).
#[wasm_bindgen(js_name = propertyTerm)]
pub fn property_term(name: &str) -> String {
    crate::query::property_term(name)
}

/// Reads an optional options object (`undefined`/`null`: the defaults).
fn options_arg<T: serde::de::DeserializeOwned + Default>(
    options: JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(T::default());
    }
    let text: String = JSON::stringify(&options)?.into();
    serde_json::from_str(&text)
        .map_err(|e| js_error(&Error::InvalidArgument(format!("bad {what}() options: {e}")), ""))
}

fn id_arg(id: f64) -> Result<i64, JsValue> {
    if id.fract() == 0.0 && id.abs() <= 9_007_199_254_740_992.0 {
        Ok(id as i64)
    } else {
        Err(js_error(&Error::InvalidArgument(format!("{id} is not an id")), ""))
    }
}
