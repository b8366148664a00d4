//! The execution index: every execution's derived columns (pipeline, stage, status,
//! times, git), built once when a store is opened, plus property and artifact columns
//! loaded on first use — so that filtering, sorting and paging never go back to SQL.
//! It owns the [`Db`] and hands it to the layers above.

mod build;
mod columns;
mod intern;
mod medians;

use std::collections::HashMap;

use crate::conventions;
use crate::db::Db;
use crate::model::{time_pair, ExecutionRow, Status};
use crate::text::sorted_distinct;

pub(crate) use columns::CmfPipeline;
use columns::Columns;
pub(crate) use columns::{fold_property, PropVal};
pub(crate) use intern::{Interner, StrId};
pub(crate) use medians::nearest_rank;
use medians::StageMedians;

/// One execution's derived columns, compactly.
#[derive(Debug)]
pub(crate) struct Entry {
    pub id: i64,
    pub name: Box<str>,
    /// The full type name, as recorded.
    pub type_name: StrId,
    /// The short type name ([`conventions::short_type_name`]), what rows show.
    pub type_short: StrId,
    pub pipeline: StrId,
    pub stage: StrId,
    pub stage_context: StrId,
    /// The run's context name ("" when the execution has no run; see
    /// [`conventions::resolve_run`]).
    pub run: StrId,
    /// The run's context id.
    pub run_context: Option<i64>,
    pub branch: StrId,
    pub repo: StrId,
    pub state: Option<i64>,
    pub status: Status,
    pub started_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    /// Where `ended_ms` comes from.
    pub end_source: crate::model::EndSource,
    pub commit: Box<str>,
    pub end_commit: Box<str>,
    /// Associated context ids (Association has no index on execution_id).
    pub contexts: Box<[i64]>,
}

impl Entry {
    /// `ended - started`, never negative; `None` unless both are known.
    pub fn duration_ms(&self) -> Option<i64> {
        match (self.started_ms, self.ended_ms) {
            (Some(s), Some(e)) => Some(e.saturating_sub(s).max(0)),
            _ => None,
        }
    }
}

/// Every execution of a store, in id order, with its derived columns.
#[derive(Debug)]
pub(crate) struct ExecutionIndex {
    db: std::sync::Arc<Db>,
    entries: Vec<Entry>,
    /// Every entry's name lower-cased, one after the other (the search box reads them all:
    /// in one block they stay in cache), and where each ends.
    names_lower: String,
    name_ends: Vec<u32>,
    strings: Interner,
    by_id: HashMap<i64, usize>,
    flavor: &'static str,
    columns: Columns,
    /// Notes about the derived columns (e.g. executions that end before they start).
    warnings: Vec<String>,
    /// The execution property names met while building (empty for a partial build).
    census: PropertyCensus,
    /// Median durations per stage, for the `long-running` alert (computed on first use).
    medians: StageMedians,
    /// The property rows' executions by rowid (`None` for a partial build, or when the
    /// rows could not be placed: see [`RowRuns`]).
    property_rows: Option<RowRuns>,
}

/// Where execution `id` sits among rows in id order whose ids are mostly dense (1, 2, 3,
/// …): at its distance from the `first` id, when `id_at` says that row has it (else ask
/// the map of ids).
pub(crate) fn dense_position(
    first: Option<i64>,
    id: i64,
    id_at: impl Fn(usize) -> Option<i64>,
) -> Option<usize> {
    let guess = usize::try_from(id.checked_sub(first?)?).ok()?;
    (id_at(guess) == Some(id)).then_some(guess)
}

/// Which execution each ExecutionProperty row (by rowid) belongs to, as runs of
/// consecutive rowids of one execution (MLMD writes an execution's properties together:
/// about one run per execution), read with the census. Lets a property's column be read
/// from MLMD's value indexes, which hold rowids, not execution ids.
#[derive(Debug, Default)]
pub(crate) struct RowRuns {
    /// First and last rowid of each run, ascending, and its entry's position.
    runs: Vec<(i64, i64, u32)>,
    /// False once a row came out of rowid order or the runs grew too many to be worth it.
    usable: bool,
}

impl RowRuns {
    /// Runs beyond this many per execution (plus a margin) are not kept.
    const MAX_PER_ENTRY: usize = 4;

    fn new() -> RowRuns {
        RowRuns { runs: Vec::new(), usable: true }
    }

    /// Counts the row `rowid` of the entry at `pos` (rows come in rowid order).
    fn push(&mut self, rowid: i64, pos: usize, entries: usize) {
        if !self.usable {
            return;
        }
        let Ok(pos) = u32::try_from(pos) else {
            self.usable = false;
            return;
        };
        match self.runs.last_mut() {
            Some(last) if rowid <= last.1 => self.usable = false,
            Some(last) if last.2 == pos && rowid == last.1 + 1 => last.1 = rowid,
            _ => self.runs.push((rowid, rowid, pos)),
        }
        if self.runs.len() > entries.saturating_mul(Self::MAX_PER_ENTRY) + 1024 {
            self.usable = false;
        }
        if !self.usable {
            self.lose();
        }
    }

    /// A row without a rowid: the runs cannot be used.
    fn lose(&mut self) {
        self.usable = false;
        self.runs = Vec::new();
    }

    /// Done reading: the runs if they can be used.
    fn finish(mut self) -> Option<RowRuns> {
        self.runs.shrink_to_fit();
        self.usable.then_some(self)
    }

    /// The position of the entry whose row `rowid` is, if a counted row.
    pub fn find(&self, rowid: i64) -> Option<usize> {
        let i = self.runs.partition_point(|r| r.0 <= rowid).checked_sub(1)?;
        let (_, last, pos) = self.runs[i];
        (rowid <= last).then_some(pos as usize)
    }
}

/// Each execution property name met, declared and custom apart: `[declared, custom]` as
/// (rows, bit set of the value columns seen, by [`crate::db::VALUE_KINDS`] position).
#[derive(Debug, Default)]
pub(crate) struct PropertyCensus {
    names: HashMap<String, [(usize, u8); 2]>,
}

impl PropertyCensus {
    /// Counts one property row.
    pub fn add(&mut self, name: &str, custom: bool, kinds: u8) {
        let slot = match self.names.get_mut(name) {
            Some(v) => v,
            None => self.names.entry(name.to_string()).or_default(),
        };
        slot[usize::from(custom)].0 += 1;
        slot[usize::from(custom)].1 |= kinds;
    }

    /// The `[declared, custom]` counts and kinds of one name.
    pub fn get(&self, name: &str) -> Option<&[(usize, u8); 2]> {
        self.names.get(name)
    }

    /// Every name with its `[declared, custom]` counts and kinds.
    pub fn names(&self) -> impl Iterator<Item = (&str, &[(usize, u8); 2])> {
        self.names.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl ExecutionIndex {
    /// The database the index was built from.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Number of executions.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The median duration of the completed executions of each (pipeline, stage).
    pub fn stage_medians(&self) -> &HashMap<(StrId, StrId), i64> {
        self.medians.get(&self.entries)
    }

    /// The lower-cased name of the entry at `pos`.
    pub fn name_lower(&self, pos: usize) -> &str {
        let start = if pos == 0 { 0 } else { self.name_ends[pos - 1] as usize };
        self.names_lower.get(start..self.name_ends[pos] as usize).unwrap_or("")
    }

    /// Whether each entry's lower-cased name contains `word` (lower-cased), by position: one
    /// search through the block of all names, restarted after each hit at the next name.
    /// The same answers as `name_lower(pos).contains(word)` for every `pos`.
    pub fn names_containing(&self, word: &str) -> Vec<bool> {
        crate::text::contains_by_piece(&self.names_lower, &self.name_ends, word)
    }

    /// Every entry, in id order (a position is an index into this).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The execution property names met while building the index.
    pub fn census(&self) -> &PropertyCensus {
        &self.census
    }

    /// The interned strings.
    pub fn strings(&self) -> &Interner {
        &self.strings
    }

    /// What wrote the store (see [`conventions::flavor_of`]).
    pub fn flavor(&self) -> &'static str {
        self.flavor
    }

    /// The file's warnings: the database's, then the index's own.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = self.db.warnings();
        out.extend(self.warnings.iter().cloned());
        out
    }

    /// The position of execution `id`.
    pub fn position(&self, id: i64) -> Option<usize> {
        dense_position(self.entries.first().map(|f| f.id), id, |g| {
            self.entries.get(g).map(|e| e.id)
        })
        .or_else(|| self.by_id.get(&id).copied())
    }

    /// Sorted distinct non-empty values of one interned column.
    pub fn distinct(&self, column: impl Fn(&Entry) -> StrId) -> Vec<String> {
        let mut seen = vec![false; self.strings.all().len()];
        for e in &self.entries {
            seen[column(e) as usize] = true;
        }
        sorted_distinct(
            seen.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| self.strings.get(i as StrId)),
        )
    }

    /// The name artifact `a` is shown by ([`conventions::artifact_display_name`]): its
    /// recorded name (or KFP's `display_name` property), else its output key and producer (`model (Trainer #19)`: the
    /// producer's stage, else its short type name), else its URI's last segments, else
    /// its type and id. Reads the artifact's writing event (one indexed lookup) only when
    /// the name is empty.
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] / [`crate::Error::Corrupt`] when Event cannot be read.
    pub fn artifact_display_name(&self, a: &crate::db::ArtifactRecord) -> crate::Result<String> {
        self.artifact_display_name_of(a.id, &a.name, &a.props, &a.uri, &a.type_name)
    }

    /// As [`ExecutionIndex::artifact_display_name`], from the artifact's fields.
    ///
    /// # Errors
    /// As [`ExecutionIndex::artifact_display_name`].
    pub fn artifact_display_name_of(
        &self,
        id: i64,
        name: &str,
        props: &crate::model::Properties,
        uri: &str,
        type_name: &str,
    ) -> crate::Result<String> {
        if !name.trim().is_empty() {
            return Ok(name.to_string());
        }
        let display =
            conventions::first_text(props, &[conventions::ARTIFACT_DISPLAY_NAME_PROPERTY]);
        if !display.is_empty() {
            return Ok(display);
        }
        let writer = self.db.artifact_writer(id, &conventions::OUTPUT_EVENT_TYPES, 4)?;
        let label = |exec: i64| {
            self.position(exec).map_or("", |p| {
                let e = &self.entries[p];
                match self.strings.get(e.stage) {
                    "" => self.strings.get(e.type_short),
                    stage => stage,
                }
            })
        };
        let producer = writer.as_ref().map(|(exec, key)| conventions::Producer {
            label: label(*exec),
            execution_id: *exec,
            key,
        });
        Ok(conventions::artifact_display_name(name, "", producer, uri, type_name, id))
    }

    /// The table row of the entry at `pos`.
    pub fn row(&self, pos: usize) -> ExecutionRow {
        let e = &self.entries[pos];
        let (started, started_ms) = time_pair(e.started_ms);
        let (ended, ended_ms) = time_pair(e.ended_ms);
        ExecutionRow {
            id: e.id,
            name: e.name.to_string(),
            type_name: self.strings.get(e.type_short).to_string(),
            type_full: self.strings.get(e.type_name).to_string(),
            pipeline: self.strings.get(e.pipeline).to_string(),
            stage: self.strings.get(e.stage).to_string(),
            status: e.status,
            state: e.state,
            started,
            started_ms,
            ended,
            ended_ms,
            duration_ms: e.duration_ms(),
            git_commit: e.commit.to_string(),
            git_commit_short: conventions::short_commit(&e.commit),
            run: self.strings.get(e.run).to_string(),
            run_id: e.run_context,
            alerts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    /// The store is shared across threads by the Python and worker hosts.
    #[test]
    fn the_index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::ExecutionIndex>();
    }
}
