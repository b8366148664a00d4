//! An export written a chunk of executions at a time, so that a large one never needs the
//! whole text at once and its host can show progress and stop between chunks (the page's
//! worker, the CLI writing to a file). The chunks joined are exactly the text of the
//! export written whole.

use crate::error::Result;
use crate::index::ExecutionIndex;
use crate::model::ExecutionDetails;

use super::csv::CsvPlan;
use super::json::pieces;

/// How the chunks are written.
#[derive(Debug)]
enum Writer {
    /// CSV: the header, then rows.
    Csv(CsvPlan),
    /// JSON: the document's head, the executions, its tail.
    Json { query: Option<String> },
    /// A format written in one piece (CMF JSON, the HTML report), made when the stream
    /// was planned.
    Whole(Option<String>),
}

/// An export under way: what is left to write of it. Made by
/// [`crate::Store::export_stream`]; each [`crate::Store::export_next`] writes the next
/// chunk, until it returns `None`.
///
/// ```no_run
/// use mlmd_lens::{ExportOptions, Store};
/// let store = Store::open_path("../shared/fixtures/cmf_small.sqlite").unwrap();
/// let mut job = store.export_stream("csv", &ExportOptions::default()).unwrap();
/// let mut text = String::new();
/// while let Some(chunk) = store.export_next(&mut job, 2).unwrap() {
///     text += &chunk; // at most 2 executions' rows each time
///     eprintln!("{} of {}", job.written(), job.total());
/// }
/// assert_eq!(text, store.export("csv", &ExportOptions::default()).unwrap());
/// ```
#[derive(Debug)]
pub struct ExportStream {
    writer: Writer,
    /// The exported executions' index positions, in the export's order.
    positions: Vec<usize>,
    /// How many of `positions` are written.
    written: usize,
    /// Whether the opening (CSV header, JSON head) is written.
    started: bool,
    /// Whether the last chunk is written.
    done: bool,
}

impl ExportStream {
    /// A CSV export of these executions.
    pub(crate) fn csv(plan: CsvPlan, positions: Vec<usize>) -> ExportStream {
        ExportStream::new(Writer::Csv(plan), positions)
    }

    /// A JSON export of these executions (`query`: the search, written in the document).
    pub(crate) fn json(query: Option<String>, positions: Vec<usize>) -> ExportStream {
        ExportStream::new(Writer::Json { query }, positions)
    }

    /// An export already written whole, given out as one chunk.
    pub(crate) fn whole(text: String) -> ExportStream {
        ExportStream::new(Writer::Whole(Some(text)), Vec::new())
    }

    fn new(writer: Writer, positions: Vec<usize>) -> ExportStream {
        ExportStream { writer, positions, written: 0, started: false, done: false }
    }

    /// The executions the export writes (0 for a format written whole).
    pub fn total(&self) -> usize {
        self.positions.len()
    }

    /// The executions written so far.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Whether every chunk has been given out.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The next chunk: the opening with the first rows, up to `max_rows` executions (at
    /// least one), the end with the last; `None` once all is written. `details` reads an
    /// execution in full (the JSON format's).
    pub(crate) fn next(
        &mut self,
        ix: &ExecutionIndex,
        details: impl Fn(i64) -> Result<ExecutionDetails>,
        max_rows: usize,
    ) -> Result<Option<String>> {
        if self.done {
            return Ok(None);
        }
        let from = self.written;
        let to = from.saturating_add(max_rows.max(1)).min(self.positions.len());
        let chunk = &self.positions[from..to];
        let mut out = String::new();
        match &mut self.writer {
            Writer::Whole(text) => {
                self.done = true;
                return Ok(text.take());
            }
            Writer::Csv(plan) => {
                if !self.started {
                    out += &plan.header()?;
                }
                let rows: Vec<_> = chunk.iter().map(|&p| ix.row(p)).collect();
                // One chunk of the whole store reads every property row once, unindexed.
                let whole = from == 0 && to == ix.len();
                out += &plan.rows(ix, &rows, whole)?;
            }
            Writer::Json { query } => {
                let total = self.positions.len();
                if !self.started {
                    out += &pieces::head(query.as_deref(), total)?;
                }
                for (i, &p) in chunk.iter().enumerate() {
                    out += &pieces::item(from + i == 0, &details(ix.entries()[p].id)?)?;
                }
                if to == total {
                    out += pieces::tail(total);
                }
            }
        }
        self.started = true;
        self.written = to;
        self.done = to == self.positions.len();
        Ok(Some(out))
    }
}
