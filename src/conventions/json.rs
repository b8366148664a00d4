//! JSON inside property values: TFX declares properties such as `custom_config`,
//! `train_args` and `exec_properties` as strings that hold JSON. Such a string is shown
//! folded as JSON, and `property:NAME.PATH` reaches inside it.
//!
//! # Path syntax
//! After the property name: `.key` for an object member, `[n]` (or `.n`) for an array
//! element, in any sequence: `train_args.num_steps`, `custom_config.layers[0].units`,
//! `custom_config.layers.0.units`. A key holding `.`, `[` or `]` cannot be reached. A
//! property whose own name holds dots needs no quoting: the longest leading part of the
//! text that names a property of the store is the property, the rest is the path (a
//! property named exactly like the whole text wins over any path).

use serde_json::Value as Json;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonStep {
    /// An object member (also an array index when it is all digits).
    Key(String),
    /// An array element, written `[n]`.
    Index(usize),
}

/// The steps of a path written after a property name (without its leading dot), or
/// `None` when it is malformed (an empty key, an unclosed or non-numeric `[…]`).
///
/// ```
/// use mlmd_lens::conventions::{json_path, JsonStep};
/// assert_eq!(
///     json_path("layers[0].units"),
///     Some(vec![JsonStep::Key("layers".into()), JsonStep::Index(0), JsonStep::Key("units".into())])
/// );
/// assert_eq!(json_path("a..b"), None);
/// assert_eq!(json_path("a[x]"), None);
/// ```
pub fn json_path(path: &str) -> Option<Vec<JsonStep>> {
    let mut steps = Vec::new();
    for (i, part) in path.split('.').enumerate() {
        if part.is_empty() {
            return None;
        }
        let (key, mut rest) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        // `a.[0]`: an index follows a key, never a dot.
        if key.is_empty() && i > 0 {
            return None;
        }
        if !key.is_empty() {
            if key.contains(']') {
                return None;
            }
            steps.push(JsonStep::Key(key.to_string()));
        }
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let n: usize = rest.get(1..close)?.parse().ok()?;
            steps.push(JsonStep::Index(n));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    (!steps.is_empty()).then_some(steps)
}

/// The value at `steps` inside `root` (`None` when a step finds nothing).
pub fn json_at<'a>(root: &'a Json, steps: &[JsonStep]) -> Option<&'a Json> {
    steps.iter().try_fold(root, |v, step| match (v, step) {
        (Json::Object(m), JsonStep::Key(k)) => m.get(k),
        (Json::Array(a), JsonStep::Index(i)) => a.get(*i),
        (Json::Array(a), JsonStep::Key(k)) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// The JSON object or array a string property holds, when it holds one (after trimming):
/// the rule for which strings are shown as folded JSON and searched by path. Numbers,
/// quoted strings and other JSON scalars stay plain text.
///
/// ```
/// use mlmd_lens::conventions::json_container;
/// assert!(json_container(r#"{"num_steps": 100}"#).is_some());
/// assert!(json_container(" [1, 2] ").is_some());
/// assert!(json_container("100").is_none());
/// assert!(json_container("{not json").is_none());
/// ```
pub fn json_container(text: &str) -> Option<Json> {
    let t = text.trim();
    if !(t.starts_with('{') && t.ends_with('}') || t.starts_with('[') && t.ends_with(']')) {
        return None;
    }
    serde_json::from_str::<Json>(t).ok().filter(|v| v.is_object() || v.is_array())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_every_documented_form() {
        let k = |s: &str| JsonStep::Key(s.into());
        assert_eq!(json_path("num_steps"), Some(vec![k("num_steps")]));
        assert_eq!(json_path("a.0"), Some(vec![k("a"), k("0")]));
        assert_eq!(
            json_path("a[1][2]"),
            Some(vec![k("a"), JsonStep::Index(1), JsonStep::Index(2)])
        );
        assert_eq!(json_path("[3]"), Some(vec![JsonStep::Index(3)]));
        for bad in ["", ".", "a.", ".a", "a[", "a[]", "a]", "a[1]x", "a.[0]"] {
            assert_eq!(json_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_are_found_by_key_and_index() {
        let v: Json = serde_json::from_str(r#"{"a": [10, {"b": 2}], "c": {"d": true}}"#).unwrap();
        let at = |p: &str| json_at(&v, &json_path(p).unwrap()).cloned();
        assert_eq!(at("a[0]"), Some(Json::from(10)));
        assert_eq!(at("a.1.b"), Some(Json::from(2)));
        assert_eq!(at("c.d"), Some(Json::from(true)));
        assert_eq!(at("c.x"), None);
        assert_eq!(at("a[9]"), None);
    }
}
