//! Opening: the checks made on the header before SQLite sees the bytes, the read-only
//! in-memory copy, the integrity check, and SQLite's open errors in words a user can act on.

use std::io::Read;
use std::sync::Mutex;

use rusqlite::Connection;

use super::{corrupt, read_error, Db, Schema};
use crate::error::{describe_prefix, Error, Result};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Stores at most this large are fully integrity-checked on open; larger ones get the
/// header/length check and have their tables read end to end while indexing.
const FULL_CHECK_LIMIT: usize = 64 << 20;

/// Header bytes 18 and 19: the file format write and read versions; 2 means WAL mode.
const WAL_VERSION_BYTES: [usize; 2] = [18, 19];

impl Db {
    /// Opens a database from a reader that yields exactly `len` bytes, given the file's
    /// first (up to) 100 bytes in `head` for the checks made before anything is copied.
    /// The bytes are copied once, straight into SQLite's own buffer, and opened read-only.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotSqlite`], [`Error::Truncated`], [`Error::Corrupt`],
    /// [`Error::NotMlmd`] or [`Error::UnsupportedSchema`] saying what is wrong.
    pub fn open_reader<R: Read>(head: &[u8], len: usize, reader: R) -> Result<Db> {
        check_header(head, len)?;
        let wal = head.len() >= 20 && WAL_VERSION_BYTES.iter().any(|&i| head[i] == 2);
        let mut conn = Connection::open_in_memory().map_err(read_error)?;
        // A WAL-mode image cannot be opened from memory; as a plain copy it is a rollback
        // journal database, which is what the two version bytes say once set to 1.
        let reader = RollbackHeader { inner: reader, pos: 0 };
        conn.deserialize_read_exact(rusqlite::MAIN_DB, reader, len, true)
            .map_err(|e| classify_open_error(e, len))?;
        // A read-only in-memory image: nothing can reach the source file anyway, but refuse
        // writes outright so that no code path can ever change what the user opened.
        conn.pragma_update(None, "query_only", true).map_err(corrupt)?;
        if len <= FULL_CHECK_LIMIT {
            integrity_check(&conn)?;
        }
        let mut schema = Schema::detect(&conn)?;
        check_id_range(&conn)?;
        if wal {
            schema.warnings.push(
                "the store was written in WAL mode: changes still in its -wal file (beside the \
                 original) are not included"
                    .into(),
            );
        }
        Ok(Db { conn: Mutex::new(conn), schema, notes: Default::default() })
    }

    /// Opens a database file (native): read into memory, then as [`Db::open_reader`].
    /// A `-wal` file beside it is named in a warning: it is not read.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, then as [`Db::open_reader`].
    pub fn open_path(path: &std::path::Path) -> Result<Db> {
        let bytes = std::fs::read(path)
            .map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        let mut db = Db::open_reader(&bytes[..bytes.len().min(100)], bytes.len(), &bytes[..])?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal = std::path::PathBuf::from(wal);
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            db.schema.warnings.push(format!(
                "{} exists and was not read: the executions it holds that are not yet \
                 checkpointed into the store are missing (open the store with SQLite once, \
                 or run `PRAGMA wal_checkpoint`, to include them)",
                wal.display()
            ));
        }
        Ok(db)
    }
}

impl Db {
    /// The full integrity check (`PRAGMA integrity_check`: page structure and every index
    /// against its table), which opening skips for its cost: the problems found, at most
    /// 100, or none.
    ///
    /// # Errors
    /// [`Error::Corrupt`] / [`Error::Sqlite`] when the check itself cannot run.
    pub fn verify(&self) -> Result<Vec<String>> {
        let problems = self.with(|c| {
            let mut st = c.prepare("PRAGMA integrity_check(100)")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
        })?;
        Ok(if problems.len() == 1 && problems[0] == "ok" { Vec::new() } else { problems })
    }
}

/// Passes bytes through, setting the header's WAL version bytes to 1 (rollback journal).
struct RollbackHeader<R> {
    inner: R,
    pos: usize,
}

impl<R: Read> Read for RollbackHeader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for i in WAL_VERSION_BYTES {
            if (self.pos..self.pos + n).contains(&i) && buf[i - self.pos] == 2 {
                buf[i - self.pos] = 1;
            }
        }
        self.pos += n;
        Ok(n)
    }
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
    if (len as u64) < expected || !(len as u64).is_multiple_of(page_size) {
        return Err(Error::Truncated {
            expected: expected.max((len as u64).div_ceil(page_size) * page_size),
            actual: len as u64,
            pages: expected / page_size,
            page_size,
        });
    }
    Ok(())
}

/// The largest id JavaScript holds exactly (2^53).
const MAX_EXACT_ID: i64 = 1 << 53;

/// Refuses ids beyond ±2^53 in the tables whose ids reach the hosts (cheap: the ends of
/// each table's rowid b-tree).
fn check_id_range(conn: &Connection) -> Result<()> {
    for table in ["Execution", "Artifact", "Context", "Event"] {
        let (lo, hi): (Option<i64>, Option<i64>) = conn
            .query_row(&format!("SELECT min(id), max(id) FROM `{table}`"), [], |r| {
                Ok((r.get(0).ok().flatten(), r.get(1).ok().flatten()))
            })
            .map_err(read_error)?;
        for id in [lo, hi].into_iter().flatten() {
            if id.unsigned_abs() > MAX_EXACT_ID as u64 {
                return Err(Error::IdOutOfRange { table, id });
            }
        }
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

    #[test]
    fn wal_version_bytes_become_rollback_in_any_chunking() {
        let mut bytes = [0u8; 64];
        bytes[18] = 2;
        bytes[19] = 2;
        for chunk in [1, 7, 19, 64] {
            let mut r = RollbackHeader { inner: &bytes[..], pos: 0 };
            let mut out = Vec::new();
            let mut buf = vec![0u8; chunk];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert_eq!((out[18], out[19]), (1, 1), "chunk {chunk}");
            assert_eq!(out.len(), 64);
        }
    }
}
