//! Opening an MLMD store (from bytes or a path, always read-only and in memory) and
//! reading executions, details and summaries from it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

use rusqlite::types::ValueRef;
use rusqlite::{params_from_iter, Connection, Row};

use crate::cmf::{self, keys};
use crate::error::{describe_prefix, Error, Result};
use crate::filter::ExecutionQuery;
use crate::index::ExecutionIndex;
use crate::model::{
    time_pair, Artifact, ContextRef, Event, ExecutionDetails, ExecutionPage, ExecutionRow,
    Properties, PropertyName, Summary, Value,
};
use crate::protobuf;
use crate::schema::{corrupt, Schema};
use crate::stats::Stats;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Stores at most this large are fully integrity-checked on open; larger ones get the
/// header/length check and have their tables read end to end while indexing.
const FULL_CHECK_LIMIT: usize = 64 << 20;

/// An opened MLMD store: an in-memory, read-only copy of the database plus an index of
/// every execution's derived columns, built once on open.
///
/// ```no_run
/// let bytes = std::fs::read("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
/// let store = mlmd_lens::Store::open_bytes(&bytes).unwrap();
/// assert_eq!(store.summary().unwrap().executions, 20);
/// ```
pub struct Store {
    conn: Connection,
    /// The last selection `executions()` made, for the next page of the same query.
    selection: std::cell::RefCell<Option<Selection>>,
    /// Property names, computed on first request.
    property_names: std::cell::OnceCell<Vec<PropertyName>>,
    schema: Schema,
    index: ExecutionIndex,
    warnings: Vec<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("schema_version", &self.schema.version)
            .field("executions", &self.index.len())
            .finish()
    }
}

impl Store {
    /// Opens a store from the bytes of an MLMD SQLite file. The bytes are copied; nothing
    /// is ever written.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotSqlite`], [`Error::Truncated`], [`Error::Corrupt`],
    /// [`Error::NotMlmd`] or [`Error::UnsupportedSchema`] saying what is wrong with the file.
    pub fn open_bytes(bytes: &[u8]) -> Result<Store> {
        let head = &bytes[..bytes.len().min(100)];
        Store::open_reader(head, bytes.len(), bytes)
    }

    /// Opens a store from a reader that yields exactly `len` bytes, given the file's first
    /// (up to) 100 bytes in `head` for the checks made before anything is copied. This lets
    /// the wasm binding copy a JavaScript `Uint8Array` straight into SQLite's memory once.
    ///
    /// # Errors
    /// As [`Store::open_bytes`].
    pub fn open_reader<R: Read>(head: &[u8], len: usize, reader: R) -> Result<Store> {
        check_header(head, len)?;
        let mut conn = Connection::open_in_memory()?;
        conn.deserialize_read_exact(rusqlite::MAIN_DB, reader, len, true)
            .map_err(|e| classify_open_error(e, len))?;
        // A read-only in-memory image: nothing can reach the source file anyway, but refuse
        // writes outright so that no code path can ever change what the user opened.
        conn.pragma_update(None, "query_only", true).map_err(corrupt)?;
        if len <= FULL_CHECK_LIMIT {
            integrity_check(&conn)?;
        }
        let schema = Schema::detect(&conn)?;
        let index = ExecutionIndex::build(&conn, &schema).map_err(read_error)?;
        let warnings = schema.warnings.clone();
        Ok(Store {
            conn,
            schema,
            index,
            warnings,
            property_names: std::cell::OnceCell::new(),
            selection: std::cell::RefCell::new(None),
        })
    }

    /// Opens a store from a file path (native). The file is opened read-only and read into
    /// memory, so the same code path as in the browser is used.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, then as [`Store::open_bytes`].
    pub fn open_path(path: impl AsRef<std::path::Path>) -> Result<Store> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        Store::open_bytes(&bytes)
    }

    /// The MLMD schema version (`MLMDEnv.schema_version`, -1 when not recorded).
    pub fn schema_version(&self) -> i64 {
        self.schema.version
    }

    /// Notes about the file that did not stop it from opening.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Counts, and the distinct values the filters offer.
    ///
    /// # Errors
    /// [`Error::Sqlite`] / [`Error::Corrupt`] when the file cannot be read.
    pub fn summary(&self) -> Result<Summary> {
        let count = |table: &str| -> Result<usize> {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM `{table}`"), [], |r| r.get(0))
                .map_err(read_error)?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        let ix = &self.index;
        let mut states = BTreeMap::new();
        for e in ix.entries() {
            *states.entry(e.status.label().to_string()).or_insert(0) += 1;
        }
        let starts = ix.entries().iter().filter_map(|e| e.started_ms);
        let first = starts.clone().min();
        let last = starts.max();
        Ok(Summary {
            schema_version: self.schema.version,
            flavor: ix.flavor(),
            executions: ix.len(),
            artifacts: count("Artifact")?,
            contexts: count("Context")?,
            events: count("Event")?,
            pipelines: ix.distinct(|e| e.pipeline),
            stages: ix.distinct(|e| e.stage),
            execution_types: ix.distinct(|e| e.type_name),
            states,
            branches: ix.distinct(|e| e.branch),
            first_started: first.and_then(crate::iso_from_ms),
            last_started: last.and_then(crate::iso_from_ms),
            warnings: self.warnings.clone(),
        })
    }

    /// One page of executions matching `query`, sorted.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an unknown status, sort column or unreadable date.
    ///
    /// ```no_run
    /// use mlmd_lens::{Store, ExecutionQuery};
    /// let store = Store::open_path("../shared/fixtures/mlmd_tfx.sqlite").unwrap();
    /// let q = ExecutionQuery { status: Some("failed".into()), ..Default::default() };
    /// assert_eq!(store.executions(&q).unwrap().total, 1);
    /// ```
    pub fn executions(&self, query: &ExecutionQuery) -> Result<ExecutionPage> {
        let offset = query.offset.unwrap_or(0);
        let limit = query.limit.unwrap_or(crate::filter::DEFAULT_LIMIT);
        let needed = offset.saturating_add(limit);
        // Paging and scrolling ask for one selection page after page: keep the last one.
        // The clock only matters to relative dates (`-7d`), to the minute.
        let key = format!(
            "{:?}",
            ExecutionQuery {
                offset: None,
                limit: None,
                alerts: None,
                now: query.now.map(|n| n.div_euclid(60_000)),
                ..query.clone()
            }
        );
        let (page, total) = {
            let mut cache = self.selection.borrow_mut();
            if cache.as_ref().is_none_or(|c| c.key != key) {
                let ids = self.index.select(&self.conn, &self.schema, query)?;
                let sorted =
                    query.offset.unwrap_or(0).saturating_add(query.limit.unwrap_or(usize::MAX));
                *cache = Some(Selection { key, sorted: sorted.min(ids.len()), ids });
            }
            let Some(c) = cache.as_mut() else { unreachable!("just filled") };
            if needed > c.sorted && c.sorted < c.ids.len() {
                self.index.sort_all(&self.conn, &self.schema, &mut c.ids, query.sort.as_deref())?;
                c.sorted = c.ids.len();
            }
            let len = c.ids.len();
            (c.ids[offset.min(len)..needed.min(len)].to_vec(), len)
        };
        let mut rows: Vec<ExecutionRow> = page.iter().map(|&i| self.index.row(i)).collect();
        if let Some(rules) = &query.alerts {
            let flags = self.index.alerts(&self.conn, &self.schema, &page, rules, query.now)?;
            for (row, f) in rows.iter_mut().zip(flags) {
                row.alerts = f;
            }
        }
        Ok(ExecutionPage { total, offset, rows })
    }

    /// The dashboard figures (rates, durations, throughput; per pipeline and stage) for the
    /// executions matching `query` (its sort and paging are ignored).
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn stats(&self, query: &ExecutionQuery) -> Result<Stats> {
        // No order is needed for aggregates: ask for zero sorted rows.
        let unsorted = ExecutionQuery { offset: None, limit: Some(0), ..query.clone() };
        let ids = self.index.select(&self.conn, &self.schema, &unsorted)?;
        Ok(crate::stats::compute(&self.index.samples(&ids)))
    }

    /// The executions matching `query` as timeline bars (columnar, in start order).
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn timeline(&self, query: &ExecutionQuery) -> Result<crate::timeline::Timeline> {
        let unsorted = ExecutionQuery { offset: None, limit: Some(0), ..query.clone() };
        let ids = self.index.select(&self.conn, &self.schema, &unsorted)?;
        Ok(crate::timeline::build(self.index.bars(&ids)))
    }

    /// Compares 2–5 executions side by side (properties with differences and numeric
    /// deltas, artifact versions).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for fewer than 2 or more than 5 ids (or repeats);
    /// [`Error::NoSuchExecution`] for an unknown id.
    pub fn compare(&self, ids: &[i64]) -> Result<crate::compare::Comparison> {
        use crate::compare::{MAX_COMPARE, MIN_COMPARE};
        let mut seen = ids.to_vec();
        seen.sort_unstable();
        seen.dedup();
        if ids.len() < MIN_COMPARE || ids.len() > MAX_COMPARE || seen.len() != ids.len() {
            return Err(Error::InvalidArgument(format!(
                "compare takes {MIN_COMPARE} to {MAX_COMPARE} different executions, not {}",
                ids.len()
            )));
        }
        let details = ids.iter().map(|&id| self.execution(id)).collect::<Result<Vec<_>>>()?;
        Ok(crate::compare::compare(&details))
    }

    /// The executions matching `query` (sorted, all of them unless `limit` is given) as
    /// CSV: the table's columns plus one `property:NAME` column per execution property.
    /// Cells that a spreadsheet would run as formulas are neutralised.
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn export_csv(&self, query: &ExecutionQuery) -> Result<String> {
        let q = ExecutionQuery { limit: Some(query.limit.unwrap_or(usize::MAX)), ..query.clone() };
        let page = self.executions(&q)?;
        let mut names: Vec<String> = Vec::new();
        for p in self.property_names()? {
            if !names.contains(&p.name) {
                names.push(p.name);
            }
        }
        let columns = names
            .into_iter()
            .map(|n| {
                let col = self.index.property_column(&self.conn, &self.schema, &n)?;
                let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                let vals = ids
                    .iter()
                    .map(|id| {
                        self.index
                            .position(*id)
                            .map_or(crate::query::eval::PropVal::Missing, |p| col[p].clone())
                    })
                    .collect();
                Ok((n, vals))
            })
            .collect::<Result<Vec<_>>>()?;
        crate::export::to_csv(&page.rows, &columns)
            .map_err(|e| Error::InvalidArgument(format!("cannot write CSV: {e}")))
    }

    /// The executions matching `query` (sorted, all unless `limit` is given) with every
    /// detail, as pretty JSON.
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn export_json(&self, query: &ExecutionQuery) -> Result<String> {
        let q = ExecutionQuery { limit: Some(query.limit.unwrap_or(usize::MAX)), ..query.clone() };
        let page = self.executions(&q)?;
        let executions =
            page.rows.iter().map(|r| self.execution(r.id)).collect::<Result<Vec<_>>>()?;
        let export = crate::export::JsonExport {
            generator: concat!("mlmd-lens ", env!("CARGO_PKG_VERSION")),
            query: query.query.as_deref(),
            total: page.total,
            executions,
        };
        serde_json::to_string_pretty(&export)
            .map_err(|e| Error::InvalidArgument(format!("cannot write JSON: {e}")))
    }

    /// The lineage around execution `id`, `depth` hops up and down (an execution → artifact
    /// → execution step is one hop), at most `max_nodes` nodes.
    ///
    /// # Errors
    /// [`Error::NoSuchExecution`] for an unknown id.
    pub fn lineage(
        &self,
        id: i64,
        depth: u32,
        max_nodes: usize,
    ) -> Result<crate::lineage::Lineage> {
        use crate::lineage::{Lineage, LineageEdge, LineageNode};
        use std::collections::{HashSet, VecDeque};
        let start = self.index.position(id).ok_or(Error::NoSuchExecution(id))?;
        let mut out = Lineage::default();
        let row = self.index.row(start);
        out.nodes.push(LineageNode {
            key: format!("e{id}"),
            kind: "execution",
            id,
            name: row.name,
            type_name: row.type_name,
            status: row.status.label().into(),
            depth: 0,
        });
        let mut seen: HashSet<String> = HashSet::from([format!("e{id}")]);
        let mut edges: HashSet<(String, String)> = HashSet::new();
        // (execution id, depth, direction: -1 up / +1 down)
        let mut queue: VecDeque<(i64, i32, i32)> = VecDeque::from([(id, 0, -1), (id, 0, 1)]);
        let mut events = self
            .conn
            .prepare_cached(
                "SELECT artifact_id, type FROM Event WHERE execution_id = ?1 ORDER BY id",
            )
            .map_err(read_error)?;
        let mut others = self.conn.prepare_cached(
            "SELECT execution_id, type FROM Event WHERE artifact_id = ?1 AND execution_id != ?2 ORDER BY id",
        ).map_err(read_error)?;
        while let Some((exec, d, dir)) = queue.pop_front() {
            if d.unsigned_abs() >= depth {
                continue;
            }
            let evs: Vec<(i64, i64)> = events
                .query_map([exec], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|m| m.collect())
                .map_err(read_error)?;
            for (artifact, kind) in evs {
                let wanted =
                    if dir < 0 { cmf::is_input_event(kind) } else { cmf::is_output_event(kind) };
                if !wanted {
                    continue;
                }
                let akey = format!("a{artifact}");
                if !seen.contains(&akey) {
                    if out.nodes.len() >= max_nodes {
                        out.truncated = true;
                        continue;
                    }
                    let Some(a) = self.artifact(artifact)? else { continue };
                    seen.insert(akey.clone());
                    out.nodes.push(LineageNode {
                        key: akey.clone(),
                        kind: "artifact",
                        id: artifact,
                        name: a.name,
                        type_name: a.type_name,
                        status: a.state.into(),
                        depth: dir * (2 * d.abs() + 1),
                    });
                }
                let ekey = format!("e{exec}");
                let (from, to) = if dir < 0 { (akey.clone(), ekey) } else { (ekey, akey.clone()) };
                if edges.insert((from.clone(), to.clone())) {
                    out.edges.push(LineageEdge {
                        from,
                        to,
                        type_name: cmf::event_type_label(kind),
                    });
                }
                // The executions on the far side of the artifact.
                let far: Vec<(i64, i64)> = others
                    .query_map([artifact, exec], |r| Ok((r.get(0)?, r.get(1)?)))
                    .and_then(|m| m.collect())
                    .map_err(read_error)?;
                for (next, k) in far {
                    let producer = cmf::is_output_event(k);
                    if (dir < 0 && !producer) || (dir > 0 && !cmf::is_input_event(k)) {
                        continue;
                    }
                    let nkey = format!("e{next}");
                    let (from, to) = if dir < 0 {
                        (nkey.clone(), akey.clone())
                    } else {
                        (akey.clone(), nkey.clone())
                    };
                    if !seen.contains(&nkey) {
                        let Some(pos) = self.index.position(next) else { continue };
                        if out.nodes.len() >= max_nodes {
                            out.truncated = true;
                            continue;
                        }
                        let r = self.index.row(pos);
                        seen.insert(nkey.clone());
                        out.nodes.push(LineageNode {
                            key: nkey,
                            kind: "execution",
                            id: next,
                            name: r.name,
                            type_name: r.type_name,
                            status: r.status.label().into(),
                            depth: dir * (2 * d.abs() + 2),
                        });
                        queue.push_back((next, d + dir, dir));
                    }
                    if edges.insert((from.clone(), to.clone())) {
                        out.edges.push(LineageEdge {
                            from,
                            to,
                            type_name: cmf::event_type_label(k),
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every execution property name with whether it is custom, the value kinds seen and
    /// how many executions have it (for autocomplete and the column chooser).
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be read.
    pub fn property_names(&self) -> Result<Vec<PropertyName>> {
        if let Some(names) = self.property_names.get() {
            return Ok(names.clone());
        }
        let names = self.read_property_names()?;
        Ok(self.property_names.get_or_init(|| names).clone())
    }

    /// One pass over ExecutionProperty, counted in Rust: a GROUP BY would sort every
    /// property row (seconds in wasm on 100k executions); hashing them is one scan.
    fn read_property_names(&self) -> Result<Vec<PropertyName>> {
        let s = &self.schema;
        let kinds = [
            "int_value",
            "double_value",
            "string_value",
            "byte_value",
            "proto_value",
            "bool_value",
        ];
        let present: Vec<String> = kinds
            .iter()
            .map(|k| {
                if s.has("ExecutionProperty", k) {
                    format!("`{k}` IS NOT NULL")
                } else {
                    "0".into()
                }
            })
            .collect();
        let sql = format!(
            "SELECT name, is_custom_property, {} FROM ExecutionProperty",
            present.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql).map_err(read_error)?;
        let mut rows = stmt.query([]).map_err(read_error)?;
        // name -> [declared, custom] -> (executions, kind flags)
        let mut seen: HashMap<String, [(usize, u8); 2]> = HashMap::new();
        while let Some(r) = rows.next().map_err(read_error)? {
            let name = match r.get_ref(0).map_err(read_error)? {
                ValueRef::Text(t) => String::from_utf8_lossy(t),
                _ => continue,
            };
            let custom = usize::from(int_of(r, 1).unwrap_or(0) != 0);
            let mut flags = 0u8;
            for i in 0..kinds.len() {
                if int_of(r, 2 + i).unwrap_or(0) != 0 {
                    flags |= 1 << i;
                }
            }
            let slot = match seen.get_mut(name.as_ref()) {
                Some(v) => v,
                None => seen.entry(name.into_owned()).or_default(),
            };
            slot[custom].0 += 1;
            slot[custom].1 |= flags;
        }
        let labels = ["int", "double", "string", "bytes", "proto", "bool"];
        let mut out = Vec::new();
        for (name, counts) in seen {
            for (custom, (n, flags)) in counts.into_iter().enumerate() {
                if n == 0 {
                    continue;
                }
                out.push(PropertyName {
                    name: name.clone(),
                    custom: custom == 1,
                    kinds: labels
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| flags & (1 << i) != 0)
                        .map(|(_, l)| *l)
                        .collect(),
                    executions: n,
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name).then(a.custom.cmp(&b.custom)));
        Ok(out)
    }

    /// The ids of every execution matching `query`, in sort order (no paging).
    ///
    /// # Errors
    /// As [`Store::executions`].
    pub fn execution_ids(&self, query: &ExecutionQuery) -> Result<Vec<i64>> {
        let everything = ExecutionQuery { offset: None, limit: None, ..query.clone() };
        Ok(self
            .index
            .select(&self.conn, &self.schema, &everything)?
            .into_iter()
            .map(|i| self.index.entries()[i].id)
            .collect())
    }

    /// Everything known about one execution.
    ///
    /// # Errors
    /// [`Error::NoSuchExecution`] when no execution has this id.
    ///
    /// ```no_run
    /// let store = mlmd_lens::Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
    /// let e = store.execution(1).unwrap();
    /// assert_eq!(e.row.pipeline, "mnist");
    /// assert_eq!(e.git.repo, "https://github.com/example/mnist-demo.git");
    /// ```
    pub fn execution(&self, id: i64) -> Result<ExecutionDetails> {
        let pos = self.index.position(id).ok_or(Error::NoSuchExecution(id))?;
        let props = self.properties("ExecutionProperty", "execution_id", id)?;
        let s = &self.schema;
        let (external_id, created_ms, updated_ms): (Option<String>, Option<i64>, Option<i64>) =
            self.conn
                .query_row(
                    &format!(
                        "SELECT {}, {}, {} FROM Execution e WHERE e.id = ?1",
                        s.col("e", "Execution", "external_id"),
                        s.col("e", "Execution", "create_time_since_epoch"),
                        s.col("e", "Execution", "last_update_time_since_epoch"),
                    ),
                    [id],
                    |r| Ok((text_of(r, 0), int_of(r, 1), int_of(r, 2))),
                )
                .map_err(read_error)?;
        let contexts = self.contexts_of(id)?;
        let (events, inputs, outputs) = self.events_of(id)?;
        let (created, created_ms) = time_pair(created_ms);
        let (updated, updated_ms) = time_pair(updated_ms);
        Ok(ExecutionDetails {
            row: self.index.row(pos),
            external_id: external_id.unwrap_or_default(),
            uuid: cmf::first_text(&props, &keys::UUID),
            command: cmf::first_text(&props, &keys::COMMAND),
            created,
            created_ms,
            updated,
            updated_ms,
            git: cmf::git_info(&props),
            contexts,
            typed_properties: props.typed(),
            props,
            inputs,
            outputs,
            events,
        })
    }

    /// Artifacts of an execution in one direction (`"INPUT"` or `"OUTPUT"`, as cmflib's
    /// `CmfQuery.get_all_artifacts_for_execution`), in event order.
    ///
    /// # Errors
    /// [`Error::NoSuchExecution`]; [`Error::InvalidArgument`] for another direction.
    pub fn artifacts_for_execution(&self, id: i64, direction: &str) -> Result<Vec<Artifact>> {
        if self.index.position(id).is_none() {
            return Err(Error::NoSuchExecution(id));
        }
        let (_, inputs, outputs) = self.events_of(id)?;
        match direction.to_ascii_uppercase().as_str() {
            "INPUT" => Ok(inputs),
            "OUTPUT" => Ok(outputs),
            other => Err(Error::InvalidArgument(format!(
                "direction must be INPUT or OUTPUT, not {other:?}"
            ))),
        }
    }

    /// The id of the pipeline context named `name` (cmflib `CmfQuery.get_pipeline_id`).
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be read.
    pub fn pipeline_id(&self, name: &str) -> Result<Option<i64>> {
        let types = cmf::PIPELINE_CONTEXT_TYPES;
        let sql = format!(
            "SELECT c.id FROM Context c JOIN Type t ON t.id = c.type_id \
             WHERE c.name = ?1 AND t.name IN ({}) ORDER BY c.id LIMIT 1",
            placeholders(2, types.len())
        );
        let mut params: Vec<&str> = vec![name];
        params.extend(types);
        self.optional_id(&sql, params)
    }

    /// The id of stage `stage` of pipeline `pipeline` (cmflib `CmfQuery.get_pipeline_stage`
    /// style): a child context of the pipeline named `<pipeline>/<stage>`,
    /// `<pipeline>.<stage>` or `<stage>`.
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be read.
    pub fn stage_id(&self, pipeline: &str, stage: &str) -> Result<Option<i64>> {
        let Some(pid) = self.pipeline_id(pipeline)? else {
            return Ok(None);
        };
        if !self.schema.has_table("ParentContext") {
            return Ok(None);
        }
        let sql = "SELECT c.id FROM ParentContext p JOIN Context c ON c.id = p.context_id \
                   WHERE p.parent_context_id = ?1 AND c.name IN (?2, ?3, ?4) ORDER BY c.id LIMIT 1";
        let pid_text = pid.to_string();
        let (slash, dot) = (format!("{pipeline}/{stage}"), format!("{pipeline}.{stage}"));
        self.optional_id(sql, vec![pid_text.as_str(), &slash, &dot, stage])
    }

    /// Ids of every execution in a pipeline: associated with the pipeline context or any
    /// context below it (cmflib `CmfQuery.get_all_executions_in_pipeline`).
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be read.
    pub fn executions_in_pipeline(&self, pipeline_id: i64) -> Result<Vec<i64>> {
        let sql = if self.schema.has_table("ParentContext") {
            "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION \
               SELECT p.context_id FROM ParentContext p JOIN sub ON p.parent_context_id = sub.id) \
             SELECT DISTINCT a.execution_id FROM Association a JOIN sub ON a.context_id = sub.id \
             ORDER BY a.execution_id"
        } else {
            "SELECT DISTINCT execution_id FROM Association WHERE context_id = ?1 ORDER BY execution_id"
        };
        self.ids(sql, pipeline_id)
    }

    /// Ids of the executions associated with a context, e.g. a stage
    /// (cmflib `CmfQuery.get_all_executions_in_stage`).
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be read.
    pub fn executions_in_stage(&self, stage_id: i64) -> Result<Vec<i64>> {
        self.ids(
            "SELECT DISTINCT execution_id FROM Association WHERE context_id = ?1 ORDER BY execution_id",
            stage_id,
        )
    }

    fn ids(&self, sql: &str, param: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(sql).map_err(read_error)?;
        let rows = stmt
            .query_map([param], |r| r.get::<_, i64>(0))
            .and_then(|m| m.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(read_error)
    }

    fn optional_id(&self, sql: &str, params: Vec<&str>) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare(sql).map_err(read_error)?;
        let mut rows = stmt.query(params_from_iter(params)).map_err(read_error)?;
        match rows.next().map_err(read_error)? {
            Some(r) => Ok(Some(r.get(0).map_err(read_error)?)),
            None => Ok(None),
        }
    }

    /// Declared and custom properties of one node from `table` (keyed by `owner`).
    fn properties(&self, table: &str, owner: &str, id: i64) -> Result<Properties> {
        let sql = format!(
            "SELECT p.name, p.is_custom_property, {} FROM `{table}` p WHERE p.`{owner}` = ?1 ORDER BY p.name",
            self.schema.value_columns("p", table)
        );
        let mut stmt = self.conn.prepare(&sql).map_err(read_error)?;
        let mut rows = stmt.query([id]).map_err(read_error)?;
        let mut props = Properties::default();
        while let Some(r) = rows.next().map_err(read_error)? {
            let name: String = text_of(r, 0).unwrap_or_default();
            let custom = int_of(r, 1).unwrap_or(0) != 0;
            let value = value_at(r, 2);
            if custom {
                props.custom_properties.insert(name, value);
            } else {
                props.properties.insert(name, value);
            }
        }
        Ok(props)
    }

    fn contexts_of(&self, id: i64) -> Result<Vec<ContextRef>> {
        let Some(pos) = self.index.position(id) else { return Ok(Vec::new()) };
        let mut ids = self.index.entries()[pos].contexts.to_vec();
        ids.sort_unstable();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.name, t.name FROM Context c LEFT JOIN Type t ON t.id = c.type_id WHERE c.id = ?1",
            )
            .map_err(read_error)?;
        let mut out = Vec::new();
        for cid in ids {
            let mut rows = stmt.query([cid]).map_err(read_error)?;
            if let Some(r) = rows.next().map_err(read_error)? {
                out.push(ContextRef {
                    id: r.get(0).map_err(read_error)?,
                    name: text_of(r, 1).unwrap_or_default(),
                    type_name: text_of(r, 2).unwrap_or_default(),
                });
            }
        }
        Ok(out)
    }

    /// Events of an execution in time order, with the artifacts they read and wrote.
    fn events_of(&self, id: i64) -> Result<(Vec<Event>, Vec<Artifact>, Vec<Artifact>)> {
        let s = &self.schema;
        let sql = format!(
            "SELECT e.id, e.artifact_id, e.type, {} FROM Event e WHERE e.execution_id = ?1 \
             ORDER BY {ms} IS NULL, {ms}, e.id",
            s.col("e", "Event", "milliseconds_since_epoch"),
            ms = s.col("e", "Event", "milliseconds_since_epoch"),
        );
        let raw: Vec<(i64, i64, i64, Option<i64>)> = {
            let mut stmt = self.conn.prepare(&sql).map_err(read_error)?;
            let rows = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, int_of(r, 3))))
                .and_then(|m| m.collect::<rusqlite::Result<Vec<_>>>());
            rows.map_err(read_error)?
        };
        let mut artifacts: HashMap<i64, Option<Artifact>> = HashMap::new();
        let (mut events, mut inputs, mut outputs) = (Vec::new(), Vec::new(), Vec::new());
        for (event_id, artifact_id, kind, ms) in raw {
            if !artifacts.contains_key(&artifact_id) {
                let a = self.artifact(artifact_id)?;
                artifacts.insert(artifact_id, a);
            }
            let artifact = artifacts.get(&artifact_id).cloned().flatten();
            let (time, time_ms) = time_pair(ms);
            events.push(Event {
                id: event_id,
                type_name: cmf::event_type_label(kind),
                artifact_id,
                artifact_name: artifact.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
                time,
                time_ms,
                path: self.event_path(event_id)?,
            });
            if let Some(mut a) = artifact {
                a.event_type = cmf::event_type_label(kind);
                if cmf::is_input_event(kind) {
                    inputs.push(a);
                } else if cmf::is_output_event(kind) {
                    outputs.push(a);
                }
            }
        }
        Ok((events, inputs, outputs))
    }

    fn event_path(&self, event_id: i64) -> Result<Vec<String>> {
        if !self.schema.has_table("EventPath") {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT is_index_step, step_index, step_key FROM EventPath WHERE event_id = ?1 ORDER BY rowid",
            )
            .map_err(read_error)?;
        let rows = stmt
            .query_map([event_id], |r| {
                Ok(if int_of(r, 0).unwrap_or(0) != 0 {
                    int_of(r, 1).map(|i| i.to_string()).unwrap_or_default()
                } else {
                    text_of(r, 2).unwrap_or_default()
                })
            })
            .and_then(|m| m.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(read_error)
    }

    /// One artifact with its properties (`None` when the event points at a missing row).
    fn artifact(&self, id: i64) -> Result<Option<Artifact>> {
        let s = &self.schema;
        let sql = format!(
            "SELECT a.id, {}, t.name, {}, {}, {}, {} FROM Artifact a LEFT JOIN Type t ON t.id = a.type_id WHERE a.id = ?1",
            s.col("a", "Artifact", "name"),
            s.col("a", "Artifact", "uri"),
            s.col("a", "Artifact", "state"),
            s.col("a", "Artifact", "create_time_since_epoch"),
            s.col("a", "Artifact", "last_update_time_since_epoch"),
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(read_error)?;
        let mut rows = stmt.query([id]).map_err(read_error)?;
        let Some(r) = rows.next().map_err(read_error)? else {
            return Ok(None);
        };
        let (name, type_name, uri) = (text_of(r, 1), text_of(r, 2), text_of(r, 3));
        let (state, created, updated) = (int_of(r, 4), int_of(r, 5), int_of(r, 6));
        let props = self.properties("ArtifactProperty", "artifact_id", id)?;
        Ok(Some(Artifact {
            id,
            name: name.unwrap_or_default(),
            type_name: type_name.unwrap_or_default(),
            uri: uri.unwrap_or_default(),
            version: cmf::artifact_version(&props),
            state: cmf::artifact_state_label(state),
            created: created.and_then(crate::iso_from_ms),
            updated: updated.and_then(crate::iso_from_ms),
            event_type: "",
            props,
        }))
    }
}

/// Positions matching one query; the first `sorted` of them are in final order.
struct Selection {
    key: String,
    ids: Vec<usize>,
    sorted: usize,
}

/// Checks the SQLite header against the length before SQLite sees the bytes.
fn check_header(head: &[u8], len: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::Empty);
    }
    if head.len() < SQLITE_MAGIC.len() || &head[..16] != SQLITE_MAGIC {
        return Err(Error::NotSqlite { found: describe_prefix(head) });
    }
    if head.len() < 100 {
        return Err(Error::Truncated { expected: 100, actual: len as u64, pages: 0, page_size: 0 });
    }
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536u64,
        n => u64::from(n),
    };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(Error::Corrupt {
            detail: format!("the header gives an impossible page size ({page_size})"),
        });
    }
    let change_counter = u32::from_be_bytes([head[24], head[25], head[26], head[27]]);
    let pages = u64::from(u32::from_be_bytes([head[28], head[29], head[30], head[31]]));
    let valid_for = u32::from_be_bytes([head[92], head[93], head[94], head[95]]);
    // The in-header page count is only trustworthy when "version-valid-for" matches the
    // change counter (SQLite file format §1.3.9); otherwise the length decides.
    let expected = if pages > 0 && valid_for == change_counter {
        pages * page_size
    } else {
        (len as u64).div_ceil(page_size) * page_size
    };
    if (len as u64) < expected || len as u64 % page_size != 0 {
        return Err(Error::Truncated {
            expected: expected.max((len as u64).div_ceil(page_size) * page_size),
            actual: len as u64,
            pages: expected / page_size,
            page_size,
        });
    }
    Ok(())
}

fn integrity_check(conn: &Connection) -> Result<()> {
    let result: String =
        conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(corrupt)?;
    if result == "ok" {
        Ok(())
    } else {
        Err(Error::Corrupt { detail: format!("integrity check failed: {result}") })
    }
}

fn classify_open_error(e: rusqlite::Error, len: usize) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            Error::NotSqlite { found: "a header SQLite rejects".into() }
        }
        Some(rusqlite::ErrorCode::OutOfMemory) => {
            Error::InvalidArgument(format!("not enough memory to load a {} MB store", len >> 20))
        }
        _ => corrupt(e),
    }
}

/// SQLite errors while reading rows: corruption gets its own, clearer, variant.
pub(crate) fn read_error(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase) => {
            corrupt(e)
        }
        _ => Error::Sqlite(e),
    }
}

/// `?start, ?start+1, …` for `n` bound parameters.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

/// Column `i` as an integer when it holds one (a real is truncated; text that parses is accepted).
pub(crate) fn int_of(r: &Row<'_>, i: usize) -> Option<i64> {
    match r.get_ref(i).ok()? {
        ValueRef::Integer(v) => Some(v),
        ValueRef::Real(f) if f.is_finite() => Some(f as i64),
        ValueRef::Text(t) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// Column `i` as text (numbers formatted; invalid UTF-8 replaced).
pub(crate) fn text_of(r: &Row<'_>, i: usize) -> Option<String> {
    match r.get_ref(i).ok()? {
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Integer(v) => Some(v.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Null => None,
    }
}

/// Decodes the six value columns starting at `first` (int, double, string, byte, proto, bool).
pub(crate) fn value_at(r: &Row<'_>, first: usize) -> Value {
    let get = |k: usize| r.get_ref(first + k).unwrap_or(ValueRef::Null);
    match get(0) {
        ValueRef::Integer(i) => return Value::Int(i),
        ValueRef::Real(f) => return Value::Double(f),
        ValueRef::Text(t) => return Value::String(String::from_utf8_lossy(t).into_owned()),
        _ => {}
    }
    match get(1) {
        ValueRef::Real(f) => return Value::Double(f),
        ValueRef::Integer(i) => return Value::Double(i as f64),
        ValueRef::Text(t) => return Value::String(String::from_utf8_lossy(t).into_owned()),
        _ => {}
    }
    match get(2) {
        ValueRef::Text(t) | ValueRef::Blob(t) => return string_value(t),
        ValueRef::Integer(i) => return Value::String(i.to_string()),
        ValueRef::Real(f) => return Value::String(f.to_string()),
        ValueRef::Null => {}
    }
    match get(5) {
        ValueRef::Integer(i) => return Value::Bool(i != 0),
        ValueRef::Text(t) => {
            return Value::Bool(matches!(t, b"1" | b"true" | b"TRUE" | b"True"));
        }
        _ => {}
    }
    match get(3) {
        ValueRef::Blob(b) | ValueRef::Text(b) => return Value::Bytes(b.to_vec()),
        _ => {}
    }
    match get(4) {
        ValueRef::Blob(b) | ValueRef::Text(b) => match protobuf::decode_any(b) {
            Ok((type_url, value)) => Value::Proto { type_url, value },
            Err(_) => Value::Bytes(b.to_vec()),
        },
        _ => Value::Null,
    }
}

/// A `string_value`: a struct when it carries MLMD's struct prefix and decodes, else text.
fn string_value(raw: &[u8]) -> Value {
    let text = String::from_utf8_lossy(raw);
    if let Some(b64) = text.strip_prefix(protobuf::STRUCT_PREFIX) {
        use base64::Engine;
        if let Ok(blob) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
            if let Ok(json) = protobuf::decode_struct(&blob) {
                return Value::Struct(json);
            }
        }
    }
    Value::String(text.into_owned())
}

/// Distinct sorted non-empty strings.
pub(crate) fn sorted_distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    items
        .filter(|s| !s.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_checks_name_the_problem() {
        assert!(matches!(check_header(&[], 0), Err(Error::Empty)));
        assert!(matches!(
            check_header(b"hello world, not sqlite", 23),
            Err(Error::NotSqlite { .. })
        ));
        let mut head = [0u8; 100];
        head[..16].copy_from_slice(SQLITE_MAGIC);
        head[16..18].copy_from_slice(&4096u16.to_be_bytes());
        head[28..32].copy_from_slice(&10u32.to_be_bytes());
        assert!(check_header(&head, 40960).is_ok());
        match check_header(&head, 20480) {
            Err(Error::Truncated { expected, actual, .. }) => {
                assert_eq!((expected, actual), (40960, 20480))
            }
            other => panic!("expected truncated, got {other:?}"),
        }
    }
}
