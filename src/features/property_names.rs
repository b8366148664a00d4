//! The execution property names of a store, with whether each is custom, the value kinds
//! seen and how many executions have it (autocomplete, the column chooser, CSV columns).

use crate::db::VALUE_KINDS;
use crate::error::Result;
use crate::index::ExecutionIndex;
use crate::model::PropertyName;

/// The label of each [`VALUE_KINDS`] column, by position.
const KIND_LABELS: [&str; 6] = ["int", "double", "string", "bytes", "proto", "bool"];

/// Every execution property name, declared and custom apart, sorted by name.
///
/// Counted while the index was built (its one pass over ExecutionProperty): a GROUP BY
/// would sort every property row (seconds in wasm on 100k executions).
///
/// # Errors
/// None today; kept for the hosts' one way of calling features.
pub(crate) fn property_names(ix: &ExecutionIndex) -> Result<Vec<PropertyName>> {
    debug_assert_eq!(KIND_LABELS.len(), VALUE_KINDS.len());
    let mut out = Vec::new();
    for (name, counts) in ix.census().names() {
        for (custom, &(n, flags)) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            out.push(PropertyName {
                name: name.to_string(),
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
