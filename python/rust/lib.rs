//! `mlmd_lens._core`: the mlmd-lens core as a Python extension module (PyO3).
//!
//! A thin host, like `src/wasm.rs` and `src/main.rs`: each method converts its arguments,
//! calls the same `mlmd_lens::Store` method as the CLI and the wasm, and hands the result
//! back as JSON text — camelCase, exactly what the CLI prints and JavaScript receives —
//! which the Python wrapper (`mlmd_lens/_api.py`) reads with `json.loads`; cmflib's frames
//! (`CmfFrame`, which neither the CLI nor the wasm hand out) come column by column instead,
//! typed where the core says a column's kind is certain (numbers as the bytes of an array,
//! text as Python strings: [`frame_answer`]), since pandas builds them from columns. Filters arrive
//! the same way, as the JSON of an `ExecutionQuery`. Errors become
//! `mlmd_lens.MlmdError(kind, message)` in one place, [`py_error`].
//!
//! `mlmd_lens::Store` is `Send + Sync`, so every call runs with the GIL released
//! ([`Python::detach`]): other Python threads run meanwhile, and one `Store` may be asked
//! from several threads at once.

use std::path::PathBuf;

use mlmd_lens::{
    ChartKind, ChartOptions, CmfColumnKind, CompareOptions, Error, ExecutionQuery, Store,
};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyTuple};

// The exception class is Python's (mlmd_lens/_errors.py), so that Python code can raise
// its subclasses (StoreTooLarge) and users catch one class whoever raised it.
pyo3::import_exception!(mlmd_lens._errors, MlmdError);

/// The one conversion of a core error: `MlmdError(kind, message)`, the message from
/// [`Error::for_file`]: as in the CLI and the wasm, errors about the file name it; errors
/// about a question (a bad search, an unknown id) do not.
fn py_error(e: &Error, file: &str) -> PyErr {
    MlmdError::new_err((e.kind(), e.for_file(file)))
}

/// Asks the core `question` with the GIL released and returns the answer as JSON text
/// (the CLI's and the wasm's shape); an error names `file` as [`py_error`] says.
fn json_answer<T: serde::Serialize>(
    py: Python<'_>,
    file: &str,
    question: impl FnOnce() -> mlmd_lens::Result<T> + Send,
) -> PyResult<String> {
    py.detach(|| {
        let answer = question()?;
        serde_json::to_string(&answer)
            .map_err(|e| Error::InvalidArgument(format!("cannot write the result as JSON: {e}")))
    })
    .map_err(|e| py_error(&e, file))
}

/// Asks the core `question` with the GIL released; for answers PyO3 converts itself.
fn answer<T: Send>(
    py: Python<'_>,
    question: impl FnOnce() -> mlmd_lens::Result<T> + Send,
) -> PyResult<T> {
    py.detach(question).map_err(|e| py_error(&e, ""))
}

/// Asks the core for a `CmfFrame` with the GIL released and hands it to Python as
/// `(columns, kinds, cells, texts)`, what `pandas.DataFrame` is built from
/// (`mlmd_lens/_cmfquery.py`'s `_frame`), without writing and parsing JSON in between:
/// per column its [`CmfColumnKind`] (`"int"`, `"float"`, `"text"`, `"mixed"`) and its
/// cells — the raw `int64` / `float64` values in a `bytearray` (missing cells NaN) for
/// numbers, a list of plain Python values for a mixed column, `None` for text — and the
/// cells of every text column one after the other in `texts` (pandas builds them in one
/// array).
fn frame_answer<'py>(
    py: Python<'py>,
    question: impl FnOnce() -> mlmd_lens::Result<mlmd_lens::CmfFrame> + Send,
) -> PyResult<Bound<'py, PyTuple>> {
    let frame = answer(py, question)?;
    let columns = PyList::new(py, &frame.columns)?;
    let (mut kinds, mut cells, mut texts) = (Vec::new(), Vec::new(), Vec::new());
    for (i, column) in frame.cells.iter().enumerate() {
        let kind = frame.kind(i);
        let numbers = |f: &dyn Fn(&serde_json::Value) -> [u8; 8]| -> Bound<'py, PyAny> {
            let bytes: Vec<u8> = column.iter().flat_map(f).collect();
            PyByteArray::new(py, &bytes).into_any()
        };
        cells.push(match kind {
            CmfColumnKind::Int => numbers(&|v| v.as_i64().unwrap_or(0).to_ne_bytes()),
            CmfColumnKind::Float => numbers(&|v| v.as_f64().unwrap_or(f64::NAN).to_ne_bytes()),
            CmfColumnKind::Text => {
                for v in column {
                    texts.push(v.as_str().map(|t| t.into_pyobject(py)).transpose()?.map(Bound::into_any));
                }
                py.None().into_bound(py)
            }
            CmfColumnKind::Mixed => {
                let values: Vec<_> = column.iter().map(|v| to_py(py, v)).collect::<PyResult<_>>()?;
                PyList::new(py, values)?.into_any()
            }
        });
        kinds.push(match kind {
            CmfColumnKind::Int => "int",
            CmfColumnKind::Float => "float",
            CmfColumnKind::Text => "text",
            CmfColumnKind::Mixed => "mixed",
        });
    }
    PyTuple::new(
        py,
        [
            columns.into_any(),
            PyList::new(py, kinds)?.into_any(),
            PyList::new(py, cells)?.into_any(),
            PyList::new(py, texts)?.into_any(),
        ],
    )
}

/// A JSON value as the Python value `json.loads` would make of it.
fn to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value as Json;
    Ok(match v {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Json::String(s) => s.into_pyobject(py)?.into_any(),
        Json::Array(items) => {
            let items: Vec<_> = items.iter().map(|x| to_py(py, x)).collect::<PyResult<_>>()?;
            PyList::new(py, items)?.into_any()
        }
        Json::Object(map) => {
            let dict = PyDict::new(py);
            for (k, x) in map {
                dict.set_item(k, to_py(py, x)?)?;
            }
            dict.into_any()
        }
    })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Reads `ExecutionQuery` JSON (camelCase keys; unknown keys are an error) and fills `now`
/// with the clock when not given, as the CLI and the wasm do.
fn query(options: Option<&str>) -> PyResult<ExecutionQuery> {
    let mut q: ExecutionQuery = match options {
        None => ExecutionQuery::default(),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            py_error(&Error::InvalidArgument(format!("bad executions() options: {e}")), "")
        })?,
    };
    q.now.get_or_insert_with(now_ms);
    Ok(q)
}

/// The JSON of `ExportOptions` (the filter keys plus `ids`, `columns`, `properties`, `bom`,
/// `storeName`), with the time of now and the store's name when not given.
fn export_options(options: Option<&str>, file: &str) -> PyResult<mlmd_lens::ExportOptions> {
    let mut o: mlmd_lens::ExportOptions = match options {
        None => mlmd_lens::ExportOptions::default(),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            py_error(&Error::InvalidArgument(format!("bad export() options: {e}")), "")
        })?,
    };
    o.filter.now.get_or_insert_with(now_ms);
    if o.store_name.is_none() && !file.is_empty() {
        o.store_name = Some(file.to_string());
    }
    Ok(o)
}

/// An opened MLMD store (`mlmd_lens.Store` wraps it and parses its JSON). Immutable
/// (`frozen`) and `Sync`, as the core's `Store` is.
#[pyclass(frozen, module = "mlmd_lens._core", name = "Store")]
pub struct PyStore {
    store: Store,
    /// Prefixes the messages of errors about the file.
    file: String,
}

// What lets every method below release the GIL: the core is shareable between threads.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Store>();
};

#[pymethods]
impl PyStore {
    /// Opens a store from the bytes of an MLMD SQLite file (copied; nothing is written).
    #[new]
    #[pyo3(signature = (data, name = String::new()))]
    fn new(py: Python<'_>, data: &[u8], name: String) -> PyResult<Self> {
        match py.detach(|| Store::open_bytes(data)) {
            Ok(store) => Ok(PyStore { store, file: name }),
            Err(e) => Err(py_error(&e, &name)),
        }
    }

    /// Opens a store from a path: the file is read once, read-only, into memory (a `-wal`
    /// file beside it is named in a warning).
    #[staticmethod]
    #[pyo3(signature = (path, name = String::new()))]
    fn open_path(py: Python<'_>, path: PathBuf, name: String) -> PyResult<Self> {
        match py.detach(|| Store::open_path(&path)) {
            Ok(store) => Ok(PyStore { store, file: name }),
            Err(e) => Err(py_error(&e, &name)),
        }
    }

    /// The name that prefixes error messages.
    #[getter]
    fn name(&self) -> &str {
        &self.file
    }

    /// `MLMDEnv.schema_version` (-1 when not recorded).
    #[getter]
    fn schema_version(&self) -> i64 {
        self.store.schema_version()
    }

    /// Notes about the file that did not stop it from opening.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.store.warnings().to_vec()
    }

    /// JSON of `Store::summary`.
    fn summary(&self, py: Python<'_>) -> PyResult<String> {
        json_answer(py, &self.file, || self.store.summary())
    }

    /// JSON of `Store::executions` for the JSON of an `ExecutionQuery`.
    #[pyo3(signature = (options = None))]
    fn executions(&self, py: Python<'_>, options: Option<&str>) -> PyResult<String> {
        let q = query(options)?;
        json_answer(py, "", || self.store.executions(&q))
    }

    /// `Store::execution_ids` (every match, in sort order, no paging).
    #[pyo3(signature = (options = None))]
    fn execution_ids(&self, py: Python<'_>, options: Option<&str>) -> PyResult<Vec<i64>> {
        let q = query(options)?;
        answer(py, || self.store.execution_ids(&q))
    }

    /// JSON of `Store::execution`.
    fn execution(&self, py: Python<'_>, id: i64) -> PyResult<String> {
        json_answer(py, "", || self.store.execution(id))
    }

    /// JSON of `Store::stats` (sort and paging of the options are ignored).
    #[pyo3(signature = (options = None))]
    fn stats(&self, py: Python<'_>, options: Option<&str>) -> PyResult<String> {
        let q = query(options)?;
        json_answer(py, "", || self.store.stats(&q))
    }

    /// JSON of `Store::compare` (2 to 5 different ids; deltas against `baseline`, default
    /// the first).
    #[pyo3(signature = (ids, baseline = None))]
    fn compare(&self, py: Python<'_>, ids: Vec<i64>, baseline: Option<i64>) -> PyResult<String> {
        json_answer(py, "", || self.store.compare(&ids, &CompareOptions { baseline }))
    }

    /// SVG text of `Store::compare_chart` (`kind`: metrics, duration or parallel).
    #[pyo3(signature = (ids, kind = "metrics", baseline = None, metric = None))]
    fn compare_chart(
        &self,
        py: Python<'_>,
        ids: Vec<i64>,
        kind: &str,
        baseline: Option<i64>,
        metric: Option<String>,
    ) -> PyResult<String> {
        let answer = ChartKind::parse(kind).and_then(|kind| {
            let options = ChartOptions { baseline, metric };
            py.detach(|| self.store.compare_chart(&ids, kind, &options))
        });
        answer.map_err(|e| py_error(&e, ""))
    }

    /// JSON of `Store::metric_scatter` over the executions `options` match.
    #[pyo3(signature = (options = None, metric = None, parameter = None))]
    fn metric_scatter(
        &self,
        py: Python<'_>,
        options: Option<&str>,
        metric: Option<String>,
        parameter: Option<String>,
    ) -> PyResult<String> {
        let q = query(options)?;
        json_answer(py, "", || {
            self.store.metric_scatter(&q, metric.as_deref(), parameter.as_deref())
        })
    }

    /// JSON of `Store::lineage`.
    #[pyo3(signature = (id, depth = 2, max_nodes = 500))]
    fn lineage(&self, py: Python<'_>, id: i64, depth: u32, max_nodes: usize) -> PyResult<String> {
        json_answer(py, "", || self.store.lineage(id, depth, max_nodes))
    }

    /// JSON of `Store::lineage_graph` (`root`: `e<id>`, `a<id>`, `c<id>` or a plain id).
    #[pyo3(signature = (root, depth = 2, max_nodes = 150, expand = Vec::new()))]
    fn lineage_graph(
        &self,
        py: Python<'_>,
        root: &str,
        depth: u32,
        max_nodes: usize,
        expand: Vec<String>,
    ) -> PyResult<String> {
        let options = mlmd_lens::LineageOptions { depth, max_nodes, expand };
        json_answer(py, "", || self.store.lineage_graph(root, &options))
    }

    /// `Store::export`: the text of an export (`csv`, `json`, `cmf-json`, `html`) of the
    /// executions the options (the JSON of `ExportOptions`) keep.
    #[pyo3(signature = (format, options = None))]
    fn export(&self, py: Python<'_>, format: &str, options: Option<&str>) -> PyResult<String> {
        let o = export_options(options, &self.file)?;
        answer(py, || self.store.export(format, &o))
    }

    /// The PDF report (the core's `Store::report` drawn by `mlmd-lens-report-pdf`) of the
    /// executions the options keep, as bytes.
    #[pyo3(signature = (options = None))]
    fn export_pdf<'py>(
        &self,
        py: Python<'py>,
        options: Option<&str>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let o = export_options(options, &self.file)?;
        let pdf = py
            .detach(|| {
                let doc = self.store.report(&o)?;
                mlmd_lens_report_pdf::render(&doc)
                    .map_err(|e| Error::InvalidArgument(e.to_string()))
            })
            .map_err(|e| py_error(&e, &self.file))?;
        Ok(PyBytes::new(py, &pdf))
    }

    /// `Store::subset`: the bytes of a smaller store holding the executions matching the
    /// options (and among `ids`, when given), and how many executions it holds.
    #[pyo3(signature = (options = None, ids = None))]
    fn subset<'py>(
        &self,
        py: Python<'py>,
        options: Option<&str>,
        ids: Option<Vec<i64>>,
    ) -> PyResult<(Bound<'py, PyBytes>, usize)> {
        let q = query(options)?;
        match py.detach(|| self.store.subset(&q, ids.as_deref())) {
            Ok(sub) => Ok((PyBytes::new(py, &sub.bytes), sub.executions)),
            Err(e) => Err(py_error(&e, &self.file)),
        }
    }

    /// JSON of `Store::property_names`.
    fn property_names(&self, py: Python<'_>) -> PyResult<String> {
        json_answer(py, &self.file, || self.store.property_names())
    }

    /// JSON of `Store::artifacts_for_execution` (`"INPUT"` or `"OUTPUT"`).
    fn artifacts_for_execution(
        &self,
        py: Python<'_>,
        id: i64,
        direction: &str,
    ) -> PyResult<String> {
        json_answer(py, "", || self.store.artifacts_for_execution(id, direction))
    }

    /// `Store::pipeline_id`: the pipeline context's id, or `None`.
    fn pipeline_id(&self, py: Python<'_>, name: &str) -> PyResult<Option<i64>> {
        answer(py, || self.store.pipeline_id(name))
    }

    /// `Store::stage_id`: the stage context's id, or `None`.
    fn stage_id(&self, py: Python<'_>, pipeline: &str, stage: &str) -> PyResult<Option<i64>> {
        answer(py, || self.store.stage_id(pipeline, stage))
    }

    /// `Store::executions_in_pipeline`: execution ids, ascending.
    fn executions_in_pipeline(&self, py: Python<'_>, pipeline_id: i64) -> PyResult<Vec<i64>> {
        answer(py, || self.store.executions_in_pipeline(pipeline_id))
    }

    /// `Store::executions_in_stage`: execution ids, ascending.
    fn executions_in_stage(&self, py: Python<'_>, stage_id: i64) -> PyResult<Vec<i64>> {
        answer(py, || self.store.executions_in_stage(stage_id))
    }

    // --- cmflib's CmfQuery questions (`mlmd_lens.CmfQuery`): frames as `(columns, cells)`
    // ([`frame_answer`]), executions as the JSON of `CmfExecution`s.

    /// `Store::cmf_pipeline_names`.
    fn cmf_pipeline_names(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        answer(py, || self.store.cmf_pipeline_names())
    }

    /// `Store::cmf_pipeline_id` (-1 when there is none).
    fn cmf_pipeline_id(&self, py: Python<'_>, name: &str) -> PyResult<i64> {
        answer(py, || self.store.cmf_pipeline_id(name))
    }

    /// `Store::cmf_pipeline_stages`.
    fn cmf_pipeline_stages(&self, py: Python<'_>, name: &str) -> PyResult<Vec<String>> {
        answer(py, || self.store.cmf_pipeline_stages(name))
    }

    /// `(columns, cells)` of `Store::cmf_executions_in_pipeline`.
    fn cmf_executions_in_pipeline<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        frame_answer(py, || self.store.cmf_executions_in_pipeline(name))
    }

    /// `(columns, cells)` of `Store::cmf_executions_in_stage`.
    fn cmf_executions_in_stage<'py>(
        &self,
        py: Python<'py>,
        stage: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        frame_answer(py, || self.store.cmf_executions_in_stage(stage))
    }

    /// JSON of `Store::cmf_exe_in_stage`.
    fn cmf_exe_in_stage(&self, py: Python<'_>, stage: &str) -> PyResult<String> {
        json_answer(py, "", || self.store.cmf_exe_in_stage(stage))
    }

    /// `(columns, cells)` of `Store::cmf_executions_by_ids`.
    fn cmf_executions_by_ids<'py>(
        &self,
        py: Python<'py>,
        ids: Vec<i64>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        frame_answer(py, || self.store.cmf_executions_by_ids(&ids))
    }

    /// `(columns, cells)` of `Store::cmf_artifacts_for_execution`.
    #[pyo3(signature = (id, direction = None))]
    fn cmf_artifacts_for_execution<'py>(
        &self,
        py: Python<'py>,
        id: i64,
        direction: Option<&str>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        frame_answer(py, || self.store.cmf_artifacts_for_execution(id, direction))
    }

    /// `(columns, cells)` of `Store::cmf_executions_for_artifact`.
    fn cmf_executions_for_artifact<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        frame_answer(py, || self.store.cmf_executions_for_artifact(name))
    }

    /// `(columns, cells)` of `Store::cmf_one_hop_artifacts` (`parents`, else children; `pipeline_id` as
    /// cmflib's `str(pipeline_id)`).
    #[pyo3(signature = (name, parents, pipeline_id=None))]
    fn cmf_one_hop_artifacts<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        parents: bool,
        pipeline_id: Option<&str>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        frame_answer(py, || self.store.cmf_one_hop_artifacts(name, direction(parents), pipeline_id))
    }

    /// `(columns, cells)` of `Store::cmf_all_artifacts` (`parents`, else children).
    fn cmf_all_artifacts<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        parents: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        frame_answer(py, || self.store.cmf_all_artifacts(name, direction(parents)))
    }

    /// JSON of `Store::cmf_find_producer_execution` (`null` when there is none).
    fn cmf_find_producer_execution(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        json_answer(py, "", || self.store.cmf_find_producer_execution(name))
    }

    /// `Store::export_cmf_json`: cmflib's `dumptojson` text.
    #[pyo3(signature = (pipeline, exec_uuid = None))]
    fn cmf_json(
        &self,
        py: Python<'_>,
        pipeline: &str,
        exec_uuid: Option<&str>,
    ) -> PyResult<String> {
        answer(py, || self.store.export_cmf_json(Some(pipeline), exec_uuid))
    }

    fn __repr__(&self) -> String {
        format!("<mlmd_lens._core.Store {:?}>", self.file)
    }
}

/// The lineage direction of the `cmf_*_artifacts` questions.
fn direction(parents: bool) -> mlmd_lens::CmfDirection {
    if parents {
        mlmd_lens::CmfDirection::Parents
    } else {
        mlmd_lens::CmfDirection::Children
    }
}

/// Reads a file's bytes (for `show()`, which carries them); a failure is the core's
/// `io` error, with the same message as `Store.open_path` and the CLI.
#[pyfunction]
fn read_file(py: Python<'_>, path: PathBuf) -> PyResult<Bound<'_, PyBytes>> {
    match py.detach(|| std::fs::read(&path)) {
        Ok(bytes) => Ok(PyBytes::new(py, &bytes)),
        Err(source) => Err(py_error(&Error::Io { path: path.display().to_string(), source }, "")),
    }
}

/// JSON of `mlmd_lens::vocabulary()`: the search fields, operators, statuses, filter keys,
/// sort columns and compare limits (what the wasm's `language()` gives JS).
#[pyfunction]
fn vocabulary(py: Python<'_>) -> PyResult<String> {
    json_answer(py, "", || Ok(mlmd_lens::vocabulary()))
}

/// A frame of these `columns` and `rows` (JSON: a list of names, a list of rows of cells)
/// handed over as [`frame_answer`] hands over the core's frames: lets the tests check
/// `_frame`'s typed columns against pandas' own inference on any cells.
#[pyfunction]
fn frame_of_rows<'py>(py: Python<'py>, columns: Vec<String>, rows: &str) -> PyResult<Bound<'py, PyTuple>> {
    let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(rows).map_err(|e| {
        py_error(&Error::InvalidArgument(format!("frame_of_rows: bad rows: {e}")), "")
    })?;
    let cells =
        (0..columns.len()).map(|i| rows.iter().map(|r| r.get(i).cloned().unwrap_or_default()).collect()).collect();
    frame_answer(py, || Ok(mlmd_lens::CmfFrame { columns, cells }))
}

/// The module `mlmd_lens._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyStore>()?;
    m.add_function(wrap_pyfunction!(read_file, m)?)?;
    m.add_function(wrap_pyfunction!(vocabulary, m)?)?;
    m.add_function(wrap_pyfunction!(frame_of_rows, m)?)?;
    Ok(())
}
