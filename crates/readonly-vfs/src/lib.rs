//! A read-only SQLite VFS, `mlmd-lens-readonly`, over *sources*: files the host reads on
//! demand through a function `read(offset, buf) -> bytes read` (in the page's Web Worker,
//! `FileReaderSync` over a slice of the user's `File`). SQLite opens a source by its name
//! and reads only the pages it needs, so a store is queried without being copied into
//! memory, whatever its size.
//!
//! Sources live on the thread that added them (a worker is one thread); the VFS never
//! writes, creates, deletes or locks anything, and refuses temporary files (open the
//! connection with `PRAGMA temp_store = MEMORY`).
//!
//! ```ignore
//! let source = mlmd_lens_readonly_vfs::add_source(bytes.len() as u64, move |offset, buf| {
//!     let at = offset as usize;
//!     let n = buf.len().min(bytes.len().saturating_sub(at));
//!     buf[..n].copy_from_slice(&bytes[at..at + n]);
//!     Ok(n)
//! })?;
//! let conn = rusqlite::Connection::open_with_flags_and_vfs(
//!     format!("file:{}?immutable=1", source.name()), flags, mlmd_lens_readonly_vfs::VFS_NAME)?;
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Once;
use std::time::Duration;

use rsqlite_vfs::{
    AccessMode, LockLevel, OpenAccess, OpenRequest, OpenedFile, OsCallback, SQLiteIoMethods,
    SQLiteVfs, SyncOptions, VfsError, VfsErrorCode, VfsFile, VfsResult, VfsStore,
};

/// The VFS's name, to open a source with.
pub const VFS_NAME: &str = "mlmd-lens-readonly";

/// Reads up to `buf.len()` bytes at `offset`, returning how many it read (fewer only at
/// the end of the source); an error is a message for the user.
pub type ReadFn = dyn FnMut(u64, &mut [u8]) -> Result<usize, String>;

struct Source {
    size: u64,
    read: Rc<RefCell<Box<ReadFn>>>,
}

thread_local! {
    static SOURCES: RefCell<HashMap<String, Source>> = RefCell::new(HashMap::new());
    static NEXT: RefCell<u64> = const { RefCell::new(0) };
    static REGISTERED: RefCell<Result<(), String>> = const { RefCell::new(Ok(())) };
}

static REGISTER: Once = Once::new();

/// A source added to the VFS; dropping it removes the source (close its connection first).
/// Only a name: it may be moved to another thread, where it finds nothing to read.
#[derive(Debug)]
pub struct SourceGuard {
    name: String,
}

impl SourceGuard {
    /// The name to open the source with (through [`VFS_NAME`]).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for SourceGuard {
    fn drop(&mut self) {
        let _ = SOURCES.try_with(|s| s.borrow_mut().remove(&self.name));
    }
}

/// Adds a source of `size` bytes read by `read`, registering the VFS with SQLite the first
/// time.
///
/// # Errors
/// A message when SQLite refuses the VFS (another VFS holds its name).
pub fn add_source(
    size: u64,
    read: impl FnMut(u64, &mut [u8]) -> Result<usize, String> + 'static,
) -> Result<SourceGuard, String> {
    register()?;
    let n = NEXT.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    });
    let name = format!("source-{n}");
    let read: Rc<RefCell<Box<ReadFn>>> = Rc::new(RefCell::new(Box::new(read)));
    SOURCES.with(|s| s.borrow_mut().insert(name.clone(), Source { size, read }));
    Ok(SourceGuard { name })
}

fn register() -> Result<(), String> {
    REGISTER.call_once(|| {
        // SAFETY: the VFS's callbacks are rsqlite-vfs's defaults over this crate's safe
        // `VfsStore`; the app data is owned by the registration, which is never dropped
        // (the VFS stays registered for the life of the program), and registration runs
        // once (`Once`), so no other registration of this name can race it.
        let result = unsafe {
            rsqlite_vfs::register_vfs::<ReadOnlyIo, ReadOnlyVfs>(VFS_NAME, AppData, false)
        };
        let outcome = match result {
            // The registration keeps its allocations for SQLite (it has no Drop): the VFS
            // stays registered for the life of the program.
            Ok(_registration) => Ok(()),
            Err(e) => Err(format!("SQLite refused the read-only VFS: {e}")),
        };
        REGISTERED.with(|r| *r.borrow_mut() = outcome);
    });
    REGISTERED.with(|r| r.borrow().clone())
}

/// The VFS's own data: nothing; the sources are per thread.
struct AppData;

/// An open source.
struct SourceFile {
    size: u64,
    read: Rc<RefCell<Box<ReadFn>>>,
}

fn read_only() -> VfsError {
    VfsError::new(VfsErrorCode::ReadOnly, "the store is opened read-only".into())
}

impl VfsFile for SourceFile {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        if offset >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(self.size - offset).unwrap_or(usize::MAX));
        let mut read = self.read.borrow_mut();
        let mut done = 0;
        while done < want {
            let n = (read)(offset + done as u64, &mut buf[done..want])
                .map_err(|m| VfsError::new(VfsErrorCode::IoRead, m.into()))?;
            if n == 0 {
                break;
            }
            done += n;
        }
        Ok(done)
    }

    fn write(&mut self, _buf: &[u8], _offset: u64) -> VfsResult<()> {
        Err(read_only())
    }

    fn truncate(&mut self, _size: u64) -> VfsResult<()> {
        Err(read_only())
    }

    fn sync(&mut self, _options: SyncOptions) -> VfsResult<()> {
        Ok(())
    }

    fn size(&self) -> VfsResult<u64> {
        Ok(self.size)
    }

    fn lock(&mut self, _level: LockLevel) -> VfsResult<()> {
        Ok(())
    }

    fn unlock(&mut self, _level: LockLevel) -> VfsResult<()> {
        Ok(())
    }

    fn check_reserved_lock(&self) -> VfsResult<bool> {
        Ok(false)
    }
}

struct Store;

impl VfsStore for Store {
    type File = SourceFile;
    type AppData = AppData;

    fn open_file(_data: &AppData, request: OpenRequest<'_>) -> VfsResult<OpenedFile<SourceFile>> {
        let Some(filename) = request.filename else {
            return Err(VfsError::new(
                VfsErrorCode::CantOpen,
                "no temporary files here: use PRAGMA temp_store = MEMORY".into(),
            ));
        };
        let name = filename.path();
        SOURCES
            .with(|s| {
                s.borrow()
                    .get(name)
                    .map(|src| SourceFile { size: src.size, read: Rc::clone(&src.read) })
            })
            .map(|file| OpenedFile { file, access: OpenAccess::ReadOnly })
            .ok_or_else(|| {
                VfsError::new(VfsErrorCode::CantOpen, format!("no source named {name}").into())
            })
    }

    fn close_file(
        _data: &AppData,
        _name: Option<&str>,
        _file: SourceFile,
        _options: rsqlite_vfs::OpenOptions,
    ) -> VfsResult<()> {
        Ok(())
    }

    fn access(_data: &AppData, name: &str, mode: AccessMode) -> VfsResult<bool> {
        let exists = SOURCES.with(|s| s.borrow().contains_key(name));
        Ok(exists && !matches!(mode, AccessMode::ReadWrite))
    }

    fn full_pathname(_data: &AppData, name: &str) -> VfsResult<String> {
        Ok(name.to_string())
    }

    fn delete_file(_data: &AppData, _name: &str, _sync_dir: bool) -> VfsResult<()> {
        Err(read_only())
    }
}

struct ReadOnlyIo;

impl SQLiteIoMethods for ReadOnlyIo {
    type Store = Store;
}

/// Platform services SQLite may ask of a VFS. A read-only, single-connection VFS never
/// waits on a lock, and the store's queries use no clock or randomness.
struct Os;

impl OsCallback for Os {
    fn sleep(&self, _dur: Duration) {}

    fn random(&self, _buf: &mut [u8]) -> usize {
        0
    }

    fn epoch_timestamp_in_ms(&self) -> VfsResult<i64> {
        Err(VfsError::new(VfsErrorCode::Error, "no clock in the read-only VFS".into()))
    }
}

struct ReadOnlyVfs;

impl SQLiteVfs<ReadOnlyIo> for ReadOnlyVfs {
    type Os = Os;

    fn os(_data: &AppData) -> &Os {
        &Os
    }
}
