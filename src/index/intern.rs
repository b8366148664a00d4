//! Strings shared by many executions (types, pipelines, stages, branches, repos),
//! stored once with their lower-cased form, named by a small id.

use std::collections::HashMap;

/// An interned string's id; 0 is the empty string.
pub type StrId = u32;

/// Interned strings and their lower-cased forms.
#[derive(Debug, Default)]
pub struct Interner {
    strings: Vec<String>,
    lower: Vec<String>,
    ids: HashMap<String, StrId>,
}

impl Interner {
    /// An interner holding only the empty string (id 0).
    pub fn new() -> Self {
        let mut i = Interner::default();
        i.intern("");
        i
    }

    /// The id of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> StrId {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as StrId;
        self.strings.push(s.to_string());
        self.lower.push(s.to_lowercase());
        self.ids.insert(s.to_string(), id);
        id
    }

    /// The string of `id`.
    pub fn get(&self, id: StrId) -> &str {
        &self.strings[id as usize]
    }

    /// The lower-cased string of `id`.
    pub fn get_lower(&self, id: StrId) -> &str {
        &self.lower[id as usize]
    }

    /// Every string, by id.
    pub fn all(&self) -> &[String] {
        &self.strings
    }

    /// Every lower-cased string, by id.
    pub fn all_lower(&self) -> &[String] {
        &self.lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_string_gets_the_same_id() {
        let mut i = Interner::new();
        let a = i.intern("Train");
        assert_eq!(i.intern("Train"), a);
        assert_eq!(i.get(a), "Train");
        assert_eq!(i.get_lower(a), "train");
        assert_eq!(i.get(0), "");
    }
}
