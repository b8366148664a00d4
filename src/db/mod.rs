//! The database layer, the bottom of the core: opening a store (from bytes or a file,
//! always read-only), checking its header, detecting its MLMD schema, and every SQL
//! statement the crate runs, with the decoding of SQLite values into the crate's types.
//! Layers above ask [`Db`] for records and never see SQL.

mod decode;
mod nodes;
mod notes;
mod open;
pub(crate) mod protobuf;
mod reads;
mod schema;
mod subset;

use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::{Error, Result};

pub(crate) use nodes::{EventLink, NodeKind, NodeRecord, Order, Pick};
pub(crate) use open::DbImage;
pub(crate) use reads::{ArtifactRecord, ExecutionRecord, VALUE_KINDS};
pub use schema::{Schema, LATEST_KNOWN_VERSION, OLDEST_KNOWN_VERSION};

/// An open, read-only MLMD database and its detected layout.
///
/// The connection sits behind a mutex so that a store can be shared across threads (a
/// Python extension, a worker's message loop); every method takes the lock once, for
/// one statement or one short group of statements, and never calls another locking
/// method while it holds it.
pub(crate) struct Db {
    conn: Mutex<Connection>,
    schema: Schema,
    notes: notes::Notes,
    /// The file's size in bytes (which stores [`Db::check_integrity`] checks).
    len: usize,
    /// The read-only VFS's source this connection reads, when opened from one; declared
    /// after `conn`, so that it is dropped after the connection closes.
    source: Option<mlmd_lens_readonly_vfs::SourceGuard>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("schema_version", &self.schema.version).finish()
    }
}

impl Db {
    /// The detected layout (tables, columns, schema version, warnings).
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// What the user should know about the file: the schema's warnings, then the values
    /// of the wrong type met so far (read leniently or skipped).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = self.schema.warnings.clone();
        out.extend(self.notes.messages());
        out
    }

    /// The connection, locked. A poisoned lock (a panic elsewhere while reading) still
    /// holds a usable read-only connection.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the locked connection, turning SQLite errors into the crate's.
    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        f(&self.conn()).map_err(read_error)
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

/// Wraps an SQLite error met while reading the catalogue: at that point it means damage.
pub(crate) fn corrupt(e: rusqlite::Error) -> Error {
    Error::Corrupt { detail: e.to_string() }
}

/// `?start, ?start+1, …` for `n` bound parameters.
fn placeholders(start: usize, n: usize) -> String {
    (start..start + n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}
