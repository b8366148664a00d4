//! A shareable subset: a smaller MLMD store (same schema) holding only the executions a
//! query (and, optionally, a list of ids) chooses, with their events, the artifacts
//! those name, their contexts and the contexts' ancestors.

use crate::error::{Error, Result};
use crate::index::ExecutionIndex;
use crate::query::{select, ExecutionQuery};

/// The bytes of a subset store, and how many executions it holds.
#[derive(Debug, Clone)]
pub struct Subset {
    /// An SQLite file (MLMD schema unchanged).
    pub bytes: Vec<u8>,
    /// Executions kept.
    pub executions: usize,
}

/// The executions matching `query` (its paging ignored) and, when `ids` is given, among
/// those ids.
///
/// # Errors
/// [`Error::NoSuchExecution`] for an id the store lacks; [`Error::InvalidArgument`] when
/// nothing is kept; as [`select`] for a bad query.
pub(crate) fn subset(
    ix: &ExecutionIndex,
    query: &ExecutionQuery,
    ids: Option<&[i64]>,
) -> Result<Subset> {
    let all = ExecutionQuery { offset: None, limit: Some(0), sort: None, ..query.clone() };
    let mut keep: Vec<i64> = select(ix, &all)?.into_iter().map(|p| ix.entries()[p].id).collect();
    if let Some(ids) = ids {
        if let Some(&missing) = ids.iter().find(|id| ix.position(**id).is_none()) {
            return Err(Error::NoSuchExecution(missing));
        }
        let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
        keep.retain(|id| wanted.contains(id));
    }
    if keep.is_empty() {
        return Err(Error::InvalidArgument("the filter keeps no execution".into()));
    }
    let bytes = ix.db().subset(&keep)?;
    Ok(Subset { bytes, executions: keep.len() })
}
