//! Text helpers every layer uses: the natural order of names and distinct sorted lists.

use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Case-insensitive comparison where runs of digits compare as numbers (`run-9` <
/// `run-10`); equal-looking texts fall back to byte order, so the order is total.
///
/// ```
/// use std::cmp::Ordering;
/// assert_eq!(mlmd_lens::natural_cmp("run-9", "run-10"), Ordering::Less);
/// ```
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (tx, ty) = (trim_zeros(&x[..nx]), trim_zeros(&y[..ny]));
                let ord = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(p), Some(q)) => {
                let ord = p.to_ascii_lowercase().cmp(&q.to_ascii_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    &d[n.min(d.len().saturating_sub(1))..]
}

/// Distinct sorted non-empty strings.
pub(crate) fn sorted_distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    items
        .filter(|s| !s.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        assert_eq!(natural_cmp("run-9", "run-10"), Ordering::Less);
        assert_eq!(natural_cmp("Train", "evaluate"), Ordering::Greater);
        // Equal numerically; falls back to the byte order for a total order.
        assert_eq!(natural_cmp("a01", "a1"), "a01".cmp("a1"));
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
    }

    #[test]
    fn contains_by_piece_equals_contains_on_each_piece() {
        let pieces = ["a", "aab", "", "xa", "ab", "aa", "é", "éa", "", "ba", "a"];
        let (mut block, mut ends) = (String::new(), Vec::new());
        for p in pieces {
            block.push_str(p);
            ends.push(block.len() as u32);
        }
        for needle in ["a", "aa", "ab", "ba", "xa", "é", "éa", "aab", "q", "", "abxa", "aaa"] {
            let want: Vec<bool> = pieces.iter().map(|p| p.contains(needle)).collect();
            assert_eq!(contains_by_piece(&block, &ends, needle), want, "{needle:?}");
        }
    }
}

/// Whether each piece of `block` contains `needle`, where piece `i` ends at byte `ends[i]`
/// (pieces back to back, `ends` ascending): one search through the whole block, restarted
/// after each hit at the next piece. The same answers as `piece(i).contains(needle)`.
///
/// Ends past the block count as the block's end; a piece can be empty.
pub(crate) fn contains_by_piece(block: &str, ends: &[u32], needle: &str) -> Vec<bool> {
    let mut flags = vec![needle.is_empty(); ends.len()];
    if needle.is_empty() {
        return flags;
    }
    let (hay, finder) = (block.as_bytes(), memchr::memmem::Finder::new(needle));
    let (mut from, mut piece) = (0usize, 0usize);
    while let Some(at) = hay.get(from..).and_then(|rest| finder.find(rest)) {
        let at = from + at;
        // The piece the hit starts in (hits only move forward).
        piece += ends[piece..].partition_point(|&end| end as usize <= at);
        let Some(&end) = ends.get(piece) else { break };
        // A hit that runs into the next piece is none, and so would a later one in this piece.
        if at + needle.len() <= end as usize {
            flags[piece] = true;
        }
        from = end as usize;
    }
    flags
}

/// Whether `needle` occurs in `hay`: `str::contains` without its per-call set-up (the
/// search box tests one word against every execution's short name), by the needle's
/// first byte then a comparison. The same answer as `hay.contains(needle)`.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else { return true };
    if hay.len() < needle.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    let mut i = 0;
    while let Some(at) = hay[i..=last_start].iter().position(|&b| b == first) {
        let s = i + at + 1;
        if &hay[s..s + rest.len()] == rest {
            return true;
        }
        i = i + at + 1;
        if i > last_start {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod contains_tests {
    use super::contains;

    #[test]
    fn contains_answers_as_str_contains() {
        let words =
            ["", "a", "ab", "aab", "ba", "train_", "n_0001", "é", "日本", "zz", "train_000123"];
        let hays = ["", "a", "aaab", "abab", "train_000123", "prepare_é_日本語", "b", "zzz", "aab"];
        for h in hays {
            for w in words {
                assert_eq!(contains(h, w), h.contains(w), "{h:?} {w:?}");
            }
        }
    }
}
