//! Notes about values of the wrong SQLite type met while reading: each is read leniently
//! (a real id truncated, a numeric text parsed) or its row skipped, and the user is told
//! which table, column and row — once per (table, column), with the first example (a
//! row is read again by later questions, so the notes do not count rows).

use std::collections::BTreeMap;
use std::sync::Mutex;

use rusqlite::types::ValueRef;
use rusqlite::Row;

/// One kind of odd value in one column, told by its first example.
#[derive(Debug)]
struct Note {
    message: String,
}

/// The notes of one store.
#[derive(Debug, Default)]
pub(crate) struct Notes(Mutex<BTreeMap<(&'static str, &'static str, &'static str), Note>>);

impl Notes {
    fn record(&self, at: (&'static str, &'static str), example: String, outcome: &'static str) {
        let (table, column) = at;
        self.keep((table, column, outcome), || {
            format!("{table}.{column}: a value of the wrong type ({example}) is {outcome}")
        });
    }

    /// Keeps the first message of each kind.
    fn keep(
        &self,
        key: (&'static str, &'static str, &'static str),
        message: impl FnOnce() -> String,
    ) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key).or_insert_with(|| Note { message: message() });
    }

    /// Notes that `owner` has the property `name` more than once (a damaged file; MLMD's
    /// primary key forbids it): the first row read is the one shown everywhere.
    pub fn repeated_property(&self, table: &'static str, owner: i64, name: &str, custom: bool) {
        let kind = if custom { "custom" } else { "declared" };
        self.keep((table, "name", "repeated"), || {
            format!(
                "{table}: the {kind} property {name:?} of {owner} has more than one row (the file \
                 is damaged); the first row read is the one shown, here and in every view"
            )
        });
    }

    /// The notes as messages for the user, by table and column.
    pub fn messages(&self) -> Vec<String> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.values().map(|n| n.message.clone()).collect()
    }

    /// Column `i` of `r` as an id (a whole number). A real or a numeric text is read as
    /// one and noted; anything else is `None` and noted (the caller skips the row). NULL
    /// is `None` without a note (the schema check covers required columns).
    pub fn id(
        &self,
        r: &Row<'_>,
        i: usize,
        at: (&'static str, &'static str),
        row: Option<i64>,
    ) -> Option<i64> {
        let value = r.get_ref(i).ok()?;
        let describe = |what: String| match row {
            Some(id) => format!("{what} in the row with id {id}"),
            None => what,
        };
        match value {
            ValueRef::Integer(v) => Some(v),
            ValueRef::Null => None,
            ValueRef::Real(f) if f.is_finite() && f.abs() < 9.2e18 => {
                self.record(at, describe(format!("{f}, a real")), "read as a whole number");
                Some(f as i64)
            }
            ValueRef::Text(t) => {
                let text = String::from_utf8_lossy(t);
                match text.trim().parse::<i64>() {
                    Ok(v) => {
                        self.record(at, describe(format!("{text:?}, a text")), "read as a number");
                        Some(v)
                    }
                    Err(_) => {
                        let shown: String = text.chars().take(40).collect();
                        self.record(
                            at,
                            describe(format!("{shown:?}, a text")),
                            "skipped (not an id)",
                        );
                        None
                    }
                }
            }
            ValueRef::Real(f) => {
                self.record(at, describe(format!("{f}, a real")), "skipped (not an id)");
                None
            }
            ValueRef::Blob(b) => {
                self.record(
                    at,
                    describe(format!("{} bytes, a blob", b.len())),
                    "skipped (not an id)",
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_ids_are_read_or_skipped_and_counted() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let notes = Notes::default();
        let mut st = c
            .prepare("SELECT 1.5 UNION ALL SELECT '7' UNION ALL SELECT 'x' UNION ALL SELECT 2.5")
            .unwrap();
        let mut rows = st.query([]).unwrap();
        let mut got = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            got.push(notes.id(r, 0, ("Association", "context_id"), Some(3)));
        }
        assert_eq!(got, [Some(1), Some(7), None, Some(2)]);
        let m = notes.messages();
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m.contains(&"Association.context_id: a value of the wrong type (1.5, a real in the row with id 3) is read as a whole number".to_string()), "{m:?}");
    }
}
