//! Opening: the checks made on the header before SQLite sees the bytes, the read-only
//! in-memory copy (bytes, in the browser) or the file opened in place read-only (a path,
//! natively), the integrity check, and SQLite's open errors in words a user can act on.

use std::io::Read;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

use super::{corrupt, read_error, Db, Schema};
use crate::error::{describe_prefix, Error, Result};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Stores at most this large get SQLite's `quick_check` before their index is built
/// ([`Db::check_integrity`]); larger ones get the header/length check and have their
/// tables read end to end while indexing.
const FULL_CHECK_LIMIT: usize = 64 << 20;

/// Header bytes 18 and 19: the file format write and read versions; 2 means WAL mode.
const WAL_VERSION_BYTES: [usize; 2] = [18, 19];

/// How a store's file is opened: read-only, by URI, and without SQLite's own per-call
/// mutex (`NO_MUTEX`, as rusqlite's default flags): the connection is only ever used
/// behind `Db`'s lock, and SQLite's would be taken again on every column read (a twentieth
/// of a large read's time).
fn read_only_flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

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
        let wal = is_wal(head);
        let mut conn = Connection::open_in_memory().map_err(read_error)?;
        // A WAL-mode image cannot be opened from memory; as a plain copy it is a rollback
        // journal database, which is what the two version bytes say once set to 1.
        let reader = RollbackHeader { inner: reader, pos: 0 };
        conn.deserialize_read_exact(rusqlite::MAIN_DB, reader, len, true)
            .map_err(|e| classify_open_error(e, len))?;
        let note = wal.then(|| {
            "the store was written in WAL mode: changes still in its -wal file (beside the \
             original) are not included"
                .to_string()
        });
        Db::checked(conn, len, note)
    }

    /// Starts an image of a store of `len` bytes, for a host that reads the file in
    /// pieces it cannot hand over on demand (asynchronous reads: the page's `File`
    /// stream): `head` holds the file's first (up to) 100 bytes, checked before anything
    /// is allocated; the pieces then go straight into the image ([`DbImage::unfilled`],
    /// [`DbImage::advance`]) — the one copy of the file — and [`DbImage::open`] opens it
    /// through the read-only VFS, as [`Db::open_source`] does a file.
    ///
    /// # Errors
    /// As [`Db::open_reader`]'s header checks; [`Error::InvalidArgument`] when there is
    /// no memory for `len` bytes.
    pub fn image(head: &[u8], len: usize) -> Result<DbImage> {
        check_header(head, len)?;
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(len).map_err(|_| {
            Error::InvalidArgument(format!(
                "there is not enough memory for a copy of this store ({} MB)",
                len >> 20
            ))
        })?;
        bytes.resize(len, 0);
        Ok(DbImage { bytes, filled: 0, head: head.to_vec() })
    }

    /// Opens a database read page by page from a *source* — a function reading `len`
    /// bytes on demand (`read(offset, buf)`; in the page's worker, the user's `File`) —
    /// through the read-only VFS, so that nothing is copied: a store of any size opens,
    /// and only the index stays in memory. `head` holds the file's first (up to) 100
    /// bytes for the checks made before SQLite sees it. The source is read on this thread.
    ///
    /// # Errors
    /// As [`Db::open_reader`]; [`Error::InvalidArgument`] when the source cannot be read.
    pub fn open_source(
        head: &[u8],
        len: usize,
        read: impl FnMut(u64, &mut [u8]) -> std::result::Result<usize, String> + 'static,
    ) -> Result<Db> {
        // Every read goes back to the source: keep the pages read (64 MiB of them).
        Db::open_source_cached(head, len, read, -65536)
    }

    /// As [`Db::open_source`], with SQLite's page cache at `cache_size` (the pragma's
    /// value: negative KiB).
    fn open_source_cached(
        head: &[u8],
        len: usize,
        read: impl FnMut(u64, &mut [u8]) -> std::result::Result<usize, String> + 'static,
        cache_size: i64,
    ) -> Result<Db> {
        check_header(head, len)?;
        let source =
            mlmd_lens_readonly_vfs::add_source(len as u64, read).map_err(Error::InvalidArgument)?;
        let flags = read_only_flags();
        let uri = format!("file:{}?immutable=1", source.name());
        let open = || -> rusqlite::Result<Connection> {
            let conn =
                Connection::open_with_flags_and_vfs(uri, flags, mlmd_lens_readonly_vfs::VFS_NAME)?;
            // Sorts stay in memory (the VFS makes no files).
            conn.pragma_update(None, "temp_store", "MEMORY")?;
            conn.pragma_update(None, "cache_size", cache_size)?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
            Ok(conn)
        };
        let conn = open().map_err(|e| classify_open_error(e, len))?;
        let note = is_wal(head).then(|| {
            "the store was written in WAL mode: changes still in its -wal file (beside the \
             original) are not included"
                .to_string()
        });
        let mut db = Db::checked(conn, len, note)?;
        db.source = Some(source);
        Ok(db)
    }

    /// Opens a database file in place, read-only (native): nothing is copied, so stores of
    /// any size open, and SQLite itself guarantees the file is never written. A WAL-mode
    /// store is read with its `-wal` file when SQLite can (its `-shm` file is there);
    /// otherwise the main file alone is read, with a warning that names the `-wal` file.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, then as [`Db::open_reader`].
    pub fn open_path(path: &std::path::Path) -> Result<Db> {
        let io = |source| Error::Io { path: path.display().to_string(), source };
        let (len, head) = {
            let mut file = std::fs::File::open(path).map_err(io)?;
            let len = file.metadata().map_err(io)?.len() as usize;
            let mut head = Vec::with_capacity(100);
            (&mut file).take(100).read_to_end(&mut head).map_err(io)?;
            (len, head)
        };
        check_header(&head, len)?;
        let flags = read_only_flags();
        let open = |immutable: bool| -> rusqlite::Result<Connection> {
            let conn = Connection::open_with_flags(file_uri(path, immutable), flags)?;
            // Opening is lazy: read the schema now, so that a refusal shows here.
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
            Ok(conn)
        };
        let sibling = |suffix: &str| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::path::PathBuf::from(p)
        };
        let (wal_file, shm_file) = (sibling("-wal"), sibling("-shm"));
        let wal_has_frames = std::fs::metadata(&wal_file).is_ok_and(|m| m.len() > 0);
        // A reader of a WAL store creates the -wal and -shm files when they are missing:
        // read the log only when a writer left both there, otherwise the main file alone
        // (`immutable`), so that opening never leaves a file beside the store.
        let wal = is_wal(&head);
        let read_log = wal && wal_has_frames && shm_file.exists();
        let note = (wal && wal_has_frames && !read_log).then(|| {
            format!(
                "{} exists and was not read (its -shm file is missing): executions it holds \
                 that are not yet checkpointed into the store are missing",
                wal_file.display()
            )
        });
        let conn = open(wal && !read_log).map_err(|e| classify_open_error(e, len))?;
        Db::checked(conn, len, note)
    }

    /// The checks and detection every open ends with: refuse writes, detect the schema,
    /// check the id range. The integrity check comes later, before the index is built
    /// ([`Db::check_integrity`]): a few pages answer the first rows, the check reads them all.
    fn checked(conn: Connection, len: usize, note: Option<String>) -> Result<Db> {
        // Nothing can reach the source file through a read-only connection or an
        // in-memory image anyway; refuse writes outright so that no code path ever tries.
        conn.pragma_update(None, "query_only", true).map_err(corrupt)?;
        let mut schema = Schema::detect(&conn)?;
        check_id_range(&conn)?;
        schema.warnings.extend(note);
        Ok(Db { conn: Mutex::new(conn), schema, notes: Default::default(), len, source: None })
    }

    /// SQLite's `quick_check` of every page (the b-trees' structure, not the indexes'
    /// content: [`Db::verify`]) for stores of at most [`FULL_CHECK_LIMIT`] bytes — about
    /// 60 ms on 64 MB in wasm; larger stores have their tables read end to end while
    /// indexing instead. Part of every open, made before the index is built.
    ///
    /// # Errors
    /// [`Error::Corrupt`] naming the first problem found.
    pub fn check_integrity(&self) -> Result<()> {
        if self.len > FULL_CHECK_LIMIT {
            return Ok(());
        }
        let result: String =
            self.conn().query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(corrupt)?;
        if result == "ok" {
            Ok(())
        } else {
            Err(Error::Corrupt { detail: format!("integrity check failed: {result}") })
        }
    }
}

/// A store's bytes being copied into memory piece by piece ([`Db::image`]).
pub(crate) struct DbImage {
    bytes: Vec<u8>,
    filled: usize,
    head: Vec<u8>,
}

impl std::fmt::Debug for DbImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbImage({} of {} bytes)", self.filled, self.bytes.len())
    }
}

/// SQLite's page cache over an image in memory (as for an in-memory copy: 2 MiB; a page
/// read is a copy from the image).
const IMAGE_CACHE_KIB: i64 = -2000;

impl DbImage {
    /// The part of the image not yet written, where the next piece goes.
    pub fn unfilled(&mut self) -> &mut [u8] {
        &mut self.bytes[self.filled..]
    }

    /// Records that the next `n` bytes of [`DbImage::unfilled`] are written.
    pub fn advance(&mut self, n: usize) {
        self.filled = (self.filled + n).min(self.bytes.len());
    }

    /// Bytes written so far.
    pub fn filled(&self) -> usize {
        self.filled
    }

    /// Opens the image read-only, with the checks of [`Db::open_reader`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when fewer bytes came than announced; then as
    /// [`Db::open_reader`].
    pub fn open(self) -> Result<Db> {
        let len = self.bytes.len();
        if self.filled < len {
            return Err(Error::InvalidArgument(format!(
                "the file ended after {} of its {len} bytes (was it changed while being read?)",
                self.filled
            )));
        }
        let bytes = self.bytes;
        let read = move |offset: u64, buf: &mut [u8]| {
            let at = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
            let n = buf.len().min(bytes.len() - at);
            buf[..n].copy_from_slice(&bytes[at..at + n]);
            Ok(n)
        };
        Db::open_source_cached(&self.head, len, read, IMAGE_CACHE_KIB)
    }
}

/// True when the header's version bytes say WAL mode.
fn is_wal(head: &[u8]) -> bool {
    head.len() >= 20 && WAL_VERSION_BYTES.iter().any(|&i| head[i] == 2)
}

/// An SQLite URI for `path`, read-only (`immutable=1`: SQLite reads the main file alone
/// and assumes no one changes it).
fn file_uri(path: &std::path::Path, immutable: bool) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro");
    if immutable {
        uri.push_str("&immutable=1");
    }
    uri
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
/// each table's rowid b-tree). `min` and `max` are asked in two subqueries: SQLite reads
/// a single `min()` or `max()` from the end of a b-tree, but both in one SELECT scan the
/// whole table.
fn check_id_range(conn: &Connection) -> Result<()> {
    for table in ["Execution", "Artifact", "Context", "Event"] {
        let sql =
            format!("SELECT (SELECT min(id) FROM `{table}`), (SELECT max(id) FROM `{table}`)");
        let (lo, hi): (Option<i64>, Option<i64>) = conn
            .query_row(&sql, [], |r| Ok((r.get(0).ok().flatten(), r.get(1).ok().flatten())))
            .map_err(read_error)?;
        for id in [lo, hi].into_iter().flatten() {
            if id.unsigned_abs() > MAX_EXACT_ID as u64 {
                return Err(Error::IdOutOfRange { table, id });
            }
        }
    }
    Ok(())
}

fn classify_open_error(e: rusqlite::Error, len: usize) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            Error::NotSqlite { found: "a header SQLite rejects".into() }
        }
        Some(rusqlite::ErrorCode::OutOfMemory) => Error::InvalidArgument(format!(
            "SQLite could not get the memory for a copy of this {} MB store: close other stores \
             or tabs, or open it with the command line (mlmd-lens) or Python (mlmd_lens.Store), \
             which read the file in place",
            len >> 20
        )),
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
