//! Pages of the executions table. Paging and scrolling ask for one selection page after
//! page, so the last selection is kept, sorted only as far as pages were asked.

use std::sync::Mutex;

use crate::error::Result;
use crate::index::ExecutionIndex;
use crate::query::{select, sort_all, ExecutionQuery, DEFAULT_LIMIT};

/// Positions matching one query; the first `sorted` of them are in final order.
#[derive(Debug)]
struct Selection {
    key: String,
    positions: Vec<usize>,
    sorted: usize,
}

/// The last selection made, for the next page of the same query.
#[derive(Debug, Default)]
pub(crate) struct PageCache(Mutex<Option<Selection>>);

impl PageCache {
    /// The positions of the page `query` asks for (its `offset` and `limit`), and the
    /// total number of matches.
    ///
    /// # Errors
    /// As [`select`].
    pub fn page(&self, ix: &ExecutionIndex, query: &ExecutionQuery) -> Result<(Vec<usize>, usize)> {
        let offset = query.offset.unwrap_or(0);
        let needed = offset.saturating_add(query.limit.unwrap_or(DEFAULT_LIMIT));
        // The clock only matters to relative dates (`-7d`), to the minute. The alert rules
        // stay in the key: `alert:` terms select by them.
        let key = format!(
            "{:?}",
            ExecutionQuery {
                offset: None,
                limit: None,
                now: query.now.map(|n| n.div_euclid(60_000)),
                ..query.clone()
            }
        );
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let c = match cache.take() {
            Some(c) if c.key == key => cache.insert(c),
            _ => {
                let limited =
                    ExecutionQuery { limit: Some(needed.saturating_sub(offset)), ..query.clone() };
                let positions = select(ix, &limited)?;
                cache.insert(Selection { key, sorted: needed.min(positions.len()), positions })
            }
        };
        if needed > c.sorted && c.sorted < c.positions.len() {
            sort_all(ix, &mut c.positions, query.sort.as_deref())?;
            c.sorted = c.positions.len();
        }
        let len = c.positions.len();
        Ok((c.positions[offset.min(len)..needed.min(len)].to_vec(), len))
    }
}
