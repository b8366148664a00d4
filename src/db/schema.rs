//! Detects what kind of MLMD store a database is: which tables and columns it has and
//! which schema version `MLMDEnv` records. Columns are read by name so schema 6–10 work.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;

use super::corrupt;
use crate::error::{Error, Result};

/// The newest MLMD schema version this crate knows (ml-metadata 1.15–1.17).
pub const LATEST_KNOWN_VERSION: i64 = 10;

/// Oldest schema version whose layout has been checked (older ones open with a warning).
pub const OLDEST_KNOWN_VERSION: i64 = 6;

/// Tables without which a database is not an MLMD store.
const REQUIRED_TABLES: [&str; 8] = [
    "Type",
    "Execution",
    "Artifact",
    "Context",
    "Event",
    "Association",
    "ExecutionProperty",
    "ArtifactProperty",
];

/// The layout of an opened store.
#[derive(Debug, Clone)]
pub struct Schema {
    /// `MLMDEnv.schema_version` (-1 when the table is absent).
    pub version: i64,
    tables: BTreeMap<String, BTreeSet<String>>,
    /// Notes for the user (unknown version, …).
    pub warnings: Vec<String>,
}

impl Schema {
    /// Reads tables, columns and version from an open connection.
    ///
    /// # Errors
    /// [`Error::NotMlmd`] when MLMD tables are missing, [`Error::UnsupportedSchema`] when
    /// a column that cannot be done without is missing, [`Error::Corrupt`] when SQLite
    /// cannot read its own catalogue.
    pub fn detect(conn: &Connection) -> Result<Schema> {
        let names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(corrupt)?;
        let missing: Vec<&str> =
            REQUIRED_TABLES.iter().copied().filter(|t| !names.iter().any(|n| n == t)).collect();
        if !missing.is_empty() {
            let shown: Vec<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|n| !n.starts_with("sqlite_"))
                .take(20)
                .collect();
            return Err(Error::NotMlmd {
                missing: missing.join(", "),
                found: if shown.is_empty() { "no tables".to_string() } else { shown.join(", ") },
            });
        }
        let mut tables = BTreeMap::new();
        for name in names.iter().filter(|n| !n.starts_with("sqlite_")) {
            let sql = format!("SELECT name FROM pragma_table_info('{}')", name.replace('\'', "''"));
            let cols = conn
                .prepare(&sql)
                .and_then(|mut s| {
                    s.query_map([], |r| r.get::<_, String>(0))?
                        .collect::<rusqlite::Result<BTreeSet<_>>>()
                })
                .map_err(corrupt)?;
            tables.insert(name.clone(), cols);
        }
        let mut warnings = Vec::new();
        let version = if tables.contains_key("MLMDEnv") {
            // Read leniently: a damaged or hand-made MLMDEnv may hold text here.
            let raw: rusqlite::types::Value = conn
                .query_row("SELECT max(schema_version) FROM MLMDEnv", [], |r| r.get(0))
                .map_err(corrupt)?;
            match raw {
                rusqlite::types::Value::Integer(v) => v,
                rusqlite::types::Value::Null => -1,
                rusqlite::types::Value::Real(f) if f.fract() == 0.0 && f.abs() < 1e15 => f as i64,
                other => {
                    warnings.push(format!(
                        "MLMDEnv.schema_version is {other:?}, not a whole number; read as an MLMD store by its tables"
                    ));
                    -1
                }
            }
        } else {
            -1
        };
        let schema = Schema { version, tables, warnings: Vec::new() };
        for (table, col) in [
            ("Type", "id"),
            ("Type", "name"),
            ("Execution", "id"),
            ("Execution", "type_id"),
            ("Artifact", "id"),
            ("Context", "id"),
            ("Context", "name"),
            ("Event", "artifact_id"),
            ("Event", "execution_id"),
            ("Event", "type"),
            ("Association", "context_id"),
            ("Association", "execution_id"),
        ] {
            if !schema.has(table, col) {
                return Err(Error::UnsupportedSchema {
                    version,
                    detail: format!("table {table} has no column {col}"),
                });
            }
        }
        if version == -1 && warnings.is_empty() {
            warnings.push(
                "no MLMDEnv schema version recorded; read as an MLMD store by its tables".into(),
            );
        } else if version > LATEST_KNOWN_VERSION {
            warnings.push(format!(
                "MLMD schema version {version} is newer than the newest known ({LATEST_KNOWN_VERSION}); columns added since may be ignored"
            ));
        } else if version < OLDEST_KNOWN_VERSION {
            warnings.push(format!(
                "MLMD schema version {version} is older than the oldest checked ({OLDEST_KNOWN_VERSION}); read by column names"
            ));
        }
        Ok(Schema { warnings, ..schema })
    }

    /// True when `table` exists and has column `column`.
    pub fn has(&self, table: &str, column: &str) -> bool {
        self.tables.get(table).is_some_and(|c| c.contains(column))
    }

    /// As [`Schema::has`], the column's name compared as SQL does (ASCII case ignored).
    pub fn has_ci(&self, table: &str, column: &str) -> bool {
        self.tables.get(table).is_some_and(|c| c.iter().any(|n| n.eq_ignore_ascii_case(column)))
    }

    /// True when `table` exists.
    pub fn has_table(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }

    /// `table.column` when present, else `NULL` — for SELECT lists that work on every version.
    pub fn col(&self, alias: &str, table: &str, column: &str) -> String {
        if self.has(table, column) {
            format!("{alias}.`{column}`")
        } else {
            "NULL".to_string()
        }
    }

    /// The six value columns of a property table (`int`, `double`, `string`, `byte`,
    /// `proto`, `bool`), each as itself or `NULL` when this schema version lacks it.
    pub fn value_columns(&self, alias: &str, table: &str) -> String {
        ["int_value", "double_value", "string_value", "byte_value", "proto_value", "bool_value"]
            .iter()
            .map(|c| self.col(alias, table, c))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
