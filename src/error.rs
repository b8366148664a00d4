//! The one error type of the crate: what went wrong, in words a user can act on.

/// Everything that can go wrong when opening or reading an MLMD store.
///
/// Each variant's message says what is wrong and, where it helps, what to do.
/// [`Error::kind`] gives a stable machine-readable name (used as `error.kind` in JS).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input has zero bytes.
    #[error("the file is empty (0 bytes): an MLMD store is an SQLite database file")]
    Empty,
    /// The input does not start with the SQLite header.
    #[error(
        "not an SQLite database: the file does not start with \"SQLite format 3\" (found {found})"
    )]
    NotSqlite {
        /// A short description of the first bytes that were found instead.
        found: String,
    },
    /// The SQLite header announces more pages than the input holds.
    #[error(
        "the SQLite file is truncated: its header says {expected} bytes ({pages} pages of {page_size} bytes) but only {actual} bytes were read; copy the file again"
    )]
    Truncated {
        /// Bytes announced by the header.
        expected: u64,
        /// Bytes present.
        actual: u64,
        /// Page count from the header.
        pages: u64,
        /// Page size from the header.
        page_size: u64,
    },
    /// SQLite reports damage inside the file.
    #[error("the SQLite file is damaged: {detail}")]
    Corrupt {
        /// What SQLite's integrity check or a query reported.
        detail: String,
    },
    /// A valid SQLite database that has no MLMD tables.
    #[error("SQLite file but no MLMD tables (missing: {missing}; found: {found})")]
    NotMlmd {
        /// The MLMD tables that are missing.
        missing: String,
        /// The tables the file does hold (or "no tables").
        found: String,
    },
    /// The MLMD schema version cannot be read by this version of mlmd-lens.
    #[error("unsupported MLMD schema version {version}: {detail}")]
    UnsupportedSchema {
        /// The `MLMDEnv.schema_version` found (or -1 when absent).
        version: i64,
        /// Why it cannot be read.
        detail: String,
    },
    /// A store too large to copy into memory where it must be (the browser's WebAssembly
    /// memory holds at most 4 GB, shared with the viewer).
    #[error("the store is {size_mb} MB: in a browser a store must fit in WebAssembly's memory (at most {limit_mb} MB for the store, shared with the viewer); open it with the command line (mlmd-lens) or Python (mlmd_lens.Store), which read the file in place")]
    TooLarge {
        /// The store's size, MB.
        size_mb: u64,
        /// The most this host can copy, MB.
        limit_mb: u64,
    },
    /// An id beyond ±2^53, which JavaScript numbers cannot hold exactly: the viewer would
    /// mix rows up, so the store is refused (in every host, so that all give one answer).
    #[error("{table} id {id} is beyond 2^53 (9007199254740992): JavaScript cannot hold it exactly, so this store cannot be shown without mixing rows up")]
    IdOutOfRange {
        /// The table holding the id.
        table: &'static str,
        /// The id.
        id: i64,
    },
    /// No execution has this id.
    #[error("no execution with id {0} in this store")]
    NoSuchExecution(i64),
    /// No artifact has this id.
    #[error("no artifact with id {0} in this store")]
    NoSuchArtifact(i64),
    /// No context (pipeline, stage, run) has this id.
    #[error("no context with id {0} in this store")]
    NoSuchContext(i64),
    /// A caller passed an argument that makes no sense (bad sort column, bad date, …).
    #[error("{0}")]
    InvalidArgument(String),
    /// A search query that does not parse or names something that does not exist.
    #[error("{message} at {position}")]
    Query {
        /// Character offset in the query where the problem is.
        position: usize,
        /// What was expected there.
        message: String,
    },
    /// A chart could not be drawn (the drawing library refused the data).
    #[error("cannot draw the chart: {0}")]
    Chart(String),
    /// Reading the file from disk failed (native only).
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path that was read.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Any other SQLite error while reading.
    #[error("SQLite error while reading the store: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl Error {
    /// A stable, machine-readable name of the variant (`"not-sqlite"`, `"truncated"`, …).
    ///
    /// ```
    /// assert_eq!(mlmd_lens::Error::Empty.kind(), "empty");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Empty => "empty",
            Error::NotSqlite { .. } => "not-sqlite",
            Error::Truncated { .. } => "truncated",
            Error::Corrupt { .. } => "corrupt",
            Error::NotMlmd { .. } => "not-mlmd",
            Error::UnsupportedSchema { .. } => "unsupported-schema",
            Error::IdOutOfRange { .. } => "id-out-of-range",
            Error::TooLarge { .. } => "too-large",
            Error::NoSuchExecution(_) | Error::NoSuchArtifact(_) | Error::NoSuchContext(_) => {
                "not-found"
            }
            Error::InvalidArgument(_) => "invalid-argument",
            Error::Query { .. } => "query",
            Error::Chart(_) => "chart",
            Error::Io { .. } => "io",
            Error::Sqlite(_) => "sqlite",
        }
    }

    /// True when the error is about the file (it cannot be read, is damaged, is not
    /// MLMD …) rather than about the question asked (a bad query, an unknown id).
    pub fn concerns_file(&self) -> bool {
        matches!(
            self,
            Error::Empty
                | Error::NotSqlite { .. }
                | Error::Truncated { .. }
                | Error::Corrupt { .. }
                | Error::NotMlmd { .. }
                | Error::UnsupportedSchema { .. }
                | Error::IdOutOfRange { .. }
                | Error::TooLarge { .. }
                | Error::Io { .. }
                | Error::Sqlite(_)
        )
    }

    /// The message, prefixed with the file's name when the error concerns the file
    /// (see [`Error::concerns_file`]): `"mlmd: the SQLite file is damaged: …"`, but
    /// `"expected a value after 'epochs>' at 7"` for a query.
    ///
    /// ```
    /// use mlmd_lens::Error;
    /// assert_eq!(Error::Empty.for_file("mlmd"), format!("mlmd: {}", Error::Empty));
    /// assert_eq!(Error::NoSuchExecution(7).for_file("mlmd"), "no execution with id 7 in this store");
    /// ```
    pub fn for_file(&self, file: &str) -> String {
        // An I/O error already names the path it could not read.
        if file.is_empty() || !self.concerns_file() || matches!(self, Error::Io { .. }) {
            self.to_string()
        } else {
            format!("{file}: {self}")
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Describes the first bytes of a non-SQLite input for an error message.
pub(crate) fn describe_prefix(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(16)];
    if head.iter().all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()) {
        let text: String =
            head.iter().map(|&b| if b.is_ascii_whitespace() { ' ' } else { b as char }).collect();
        format!("\"{text}\"")
    } else {
        let hex: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("bytes {}", hex.join(" "))
    }
}
