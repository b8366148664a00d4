//! A smaller copy of a store: the same MLMD schema holding only chosen executions and
//! what they reach. Made in a second, writable in-memory database; the opened store and
//! the source file are never written.

use rusqlite::Connection;

use super::{read_error, Db};
use crate::error::Result;

/// Deletes, in a copy, every row that the executions in the temp table `keep` do not
/// reach: their events (and event paths), associations and properties stay; artifacts
/// stay when a kept event names them; contexts stay when a kept execution or artifact
/// belongs to them, with their ancestors; types and `MLMDEnv` stay whole.
const PRUNE: &[(&str, &str)] = &[
    ("EventPath", "DELETE FROM EventPath WHERE event_id IN (SELECT id FROM Event WHERE execution_id NOT IN (SELECT id FROM temp.keep))"),
    ("Event", "DELETE FROM Event WHERE execution_id NOT IN (SELECT id FROM temp.keep)"),
    ("Association", "DELETE FROM Association WHERE execution_id NOT IN (SELECT id FROM temp.keep)"),
    ("ExecutionProperty", "DELETE FROM ExecutionProperty WHERE execution_id NOT IN (SELECT id FROM temp.keep)"),
    ("Execution", "DELETE FROM Execution WHERE id NOT IN (SELECT id FROM temp.keep)"),
    ("ArtifactProperty", "DELETE FROM ArtifactProperty WHERE artifact_id NOT IN (SELECT artifact_id FROM Event)"),
    ("Attribution", "DELETE FROM Attribution WHERE artifact_id NOT IN (SELECT artifact_id FROM Event)"),
    ("Artifact", "DELETE FROM Artifact WHERE id NOT IN (SELECT artifact_id FROM Event)"),
];

/// The contexts that stay: those of kept executions and artifacts, and their ancestors.
const KEPT_CONTEXTS: &str = "CREATE TEMP TABLE kept_ctx AS WITH RECURSIVE up(id) AS (
        SELECT context_id FROM Association
        UNION SELECT context_id FROM Attribution
        UNION SELECT p.parent_context_id FROM ParentContext p JOIN up ON p.context_id = up.id)
     SELECT id FROM up";

const PRUNE_CONTEXTS: &[(&str, &str)] = &[
    ("ParentContext", "DELETE FROM ParentContext WHERE context_id NOT IN (SELECT id FROM temp.kept_ctx) OR parent_context_id NOT IN (SELECT id FROM temp.kept_ctx)"),
    ("Attribution", "DELETE FROM Attribution WHERE context_id NOT IN (SELECT id FROM temp.kept_ctx)"),
    ("ContextProperty", "DELETE FROM ContextProperty WHERE context_id NOT IN (SELECT id FROM temp.kept_ctx)"),
    ("Context", "DELETE FROM Context WHERE id NOT IN (SELECT id FROM temp.kept_ctx)"),
];

impl Db {
    /// The bytes of a copy of the store that holds only the executions `keep` and what
    /// they reach (see [`PRUNE`]), vacuumed.
    ///
    /// # Errors
    /// [`crate::Error::Sqlite`] when SQLite cannot copy or prune (e.g. out of memory).
    pub fn subset(&self, keep: &[i64]) -> Result<Vec<u8>> {
        let mut copy = Connection::open_in_memory().map_err(read_error)?;
        {
            // Copied once, straight from the store's image into the copy's buffer.
            let mut conn = self.conn();
            let image = conn.serialize(rusqlite::MAIN_DB).map_err(read_error)?;
            copy.deserialize_read_exact(rusqlite::MAIN_DB, &image[..], image.len(), false)
                .map_err(read_error)?;
        }
        let has = |t: &str| self.schema.has_table(t);
        let run = |c: &Connection| -> rusqlite::Result<()> {
            c.execute_batch(
                "PRAGMA journal_mode = OFF; CREATE TEMP TABLE keep(id INTEGER PRIMARY KEY);",
            )?;
            {
                let mut insert = c.prepare("INSERT OR IGNORE INTO temp.keep VALUES (?1)")?;
                for id in keep {
                    insert.execute([id])?;
                }
            }
            for (table, sql) in PRUNE {
                if has(table) {
                    c.execute(sql, [])?;
                }
            }
            let mut contexts = KEPT_CONTEXTS.to_string();
            if !has("Attribution") {
                contexts = contexts.replace("UNION SELECT context_id FROM Attribution", "");
            }
            if !has("ParentContext") {
                contexts = contexts.replace(
                    "UNION SELECT p.parent_context_id FROM ParentContext p JOIN up ON p.context_id = up.id",
                    "",
                );
            }
            c.execute_batch(&contexts)?;
            for (table, sql) in PRUNE_CONTEXTS {
                if has(table) {
                    c.execute(sql, [])?;
                }
            }
            c.execute_batch("DROP TABLE temp.keep; DROP TABLE temp.kept_ctx; VACUUM;")
        };
        run(&copy).map_err(read_error)?;
        let data = copy.serialize(rusqlite::MAIN_DB).map_err(read_error)?;
        Ok(data.to_vec())
    }
}
