//! The execution property names of a store, with whether each is custom, the value kinds
//! seen and how many executions have it (autocomplete, the column chooser, CSV columns).

use std::collections::HashMap;

use crate::db::VALUE_KINDS;
use crate::error::Result;
use crate::index::ExecutionIndex;
use crate::model::PropertyName;

/// The label of each [`VALUE_KINDS`] column, by position.
const KIND_LABELS: [&str; 6] = ["int", "double", "string", "bytes", "proto", "bool"];

/// Every execution property name, declared and custom apart, sorted by name.
///
/// One pass over ExecutionProperty, counted in Rust: a GROUP BY would sort every
/// property row (seconds in wasm on 100k executions); hashing them is one scan.
///
/// # Errors
/// Read errors.
pub(crate) fn property_names(ix: &ExecutionIndex) -> Result<Vec<PropertyName>> {
    debug_assert_eq!(KIND_LABELS.len(), VALUE_KINDS.len());
    // name -> [declared, custom] -> (rows, kind flags)
    let mut seen: HashMap<String, [(usize, u8); 2]> = HashMap::new();
    ix.db().for_each_property_kind(|name, custom, flags| {
        let slot = match seen.get_mut(name) {
            Some(v) => v,
            None => seen.entry(name.to_string()).or_default(),
        };
        slot[usize::from(custom)].0 += 1;
        slot[usize::from(custom)].1 |= flags;
    })?;
    let mut out = Vec::new();
    for (name, counts) in seen {
        for (custom, (n, flags)) in counts.into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            out.push(PropertyName {
                name: name.clone(),
                custom: custom == 1,
                kinds: KIND_LABELS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| flags & (1 << i) != 0)
                    .map(|(_, l)| *l)
                    .collect(),
                executions: n,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.custom.cmp(&b.custom)));
    Ok(out)
}
