//! What a front end needs to know about the search language — its fields with their
//! kinds and meanings, operators, keywords, examples — and how to write a value so that
//! the parser reads it back as one value. The JavaScript views ask for these instead of
//! keeping copies.

use serde::Serialize;

use super::ast::{quoted, Field};

/// What kind of value a field compares, which decides the operators that make sense.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FieldKind {
    /// A whole number (`id`).
    Number,
    /// Text, case-insensitive; `:` contains, `=` equals.
    Text,
    /// A status label.
    Status,
    /// A time: a date, an ISO date-time, `today`, `-7d`; ranges with `TO`.
    Time,
    /// A duration: `250ms`, `90s`, `5m`, `1h30m`, `2d`.
    Duration,
    /// A git commit prefix.
    Commit,
    /// `property:NAME`, then an operator and a value.
    Property,
    /// An alert's name: `any`, `failed`, `long-running` or a rule's name.
    Alert,
}

/// One field of the search language.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    /// The name as typed before the operator (`pipeline`, `property`).
    pub name: &'static str,
    /// What it compares.
    pub kind: FieldKind,
    /// A short explanation for autocomplete.
    pub help: &'static str,
}

/// A query that shows one construct, with what it means.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    /// The query text (it parses: a test checks every one).
    pub query: &'static str,
    /// What it finds.
    pub meaning: &'static str,
}

/// The fields in the order autocomplete offers them. `date` and `started` are the same
/// field (the start time); `property` takes a name after its colon.
pub const FIELDS: [FieldInfo; 19] = [
    FieldInfo { name: "pipeline", kind: FieldKind::Text, help: "pipeline name" },
    FieldInfo { name: "stage", kind: FieldKind::Text, help: "stage (context) name" },
    FieldInfo {
        name: "run",
        kind: FieldKind::Text,
        help: "pipeline run (TFX pipeline_run, KFP PipelineRun)",
    },
    FieldInfo { name: "status", kind: FieldKind::Status, help: "status label" },
    FieldInfo {
        name: "type",
        kind: FieldKind::Text,
        help: "execution type, short (Trainer) or full name",
    },
    FieldInfo { name: "name", kind: FieldKind::Text, help: "execution name" },
    FieldInfo { name: "id", kind: FieldKind::Number, help: "execution id (also id>=10)" },
    FieldInfo { name: "date", kind: FieldKind::Time, help: "started on a day / range" },
    FieldInfo { name: "started", kind: FieldKind::Time, help: "start time (>, <, TO)" },
    FieldInfo { name: "ended", kind: FieldKind::Time, help: "end time" },
    FieldInfo { name: "duration", kind: FieldKind::Duration, help: "e.g. duration>5m" },
    FieldInfo { name: "commit", kind: FieldKind::Commit, help: "git commit prefix" },
    FieldInfo { name: "branch", kind: FieldKind::Text, help: "git branch" },
    FieldInfo { name: "repo", kind: FieldKind::Text, help: "git repository" },
    FieldInfo { name: "artifact", kind: FieldKind::Text, help: "an input or output artifact" },
    FieldInfo { name: "inputs", kind: FieldKind::Number, help: "artifacts read (inputs=0: none)" },
    FieldInfo {
        name: "outputs",
        kind: FieldKind::Number,
        help: "artifacts written (outputs=0: none)",
    },
    FieldInfo {
        name: "alert",
        kind: FieldKind::Alert,
        help: "flagged: any, failed, long-running, a rule's name",
    },
    FieldInfo {
        name: "property",
        kind: FieldKind::Property,
        help: "property:NAME, then = > < : (NAME.key[0] reaches inside JSON)",
    },
];

/// Operators, longest first where one is a prefix of another.
pub const OPERATORS: [&str; 7] = [">=", "<=", "!=", ":", "=", ">", "<"];

/// Keywords (case-insensitive when typed; a quoted keyword is a plain word).
pub const KEYWORDS: [&str; 4] = ["AND", "OR", "NOT", "TO"];

/// Syntax examples, as the help shows them.
pub const EXAMPLES: [Example; 14] = [
    Example {
        query: "pipeline:mnist AND status:completed AND property:epochs>10",
        meaning: "combine terms with AND (or just spaces)",
    },
    Example { query: "property:learning_rate=0.001", meaning: "a property equals a number" },
    Example { query: "property:optimizer:adam", meaning: "a property contains text" },
    Example {
        query: "property:train_args.num_steps>10",
        meaning: "inside a JSON property: .key for a member, [n] or .n for an element",
    },
    Example {
        query: "date:2026-01-01 TO 2026-01-31",
        meaning: "started within a date range (UTC days)",
    },
    Example { query: "started>=-7d", meaning: "started in the last 7 days" },
    Example { query: "commit:a3f9e2b7", meaning: "git commit prefix" },
    Example {
        query: "run=\"2026-12-01T06:29:00.917835\"",
        meaning: "the executions of one pipeline run (run: contains, run= exact)",
    },
    Example { query: "duration>5m", meaning: "ran longer than 5 minutes (250ms, 90s, 1h30m, 2d)" },
    Example { query: "status:failed OR status:canceled", meaning: "either one" },
    Example { query: "NOT stage:Train", meaning: "everything but (also -stage:Train)" },
    Example {
        query: "(pipeline:mnist OR pipeline:fraud) id>=10",
        meaning: "parentheses group; AND binds tighter than OR",
    },
    Example {
        query: "alert:any",
        meaning: "flagged by an alert rule (alert:failed, alert:long-running, alert:NAME)",
    },
    Example {
        query: "\"two words\"",
        meaning: "a bare word or quoted text searches name, type, pipeline and stage",
    },
];

/// Writes `value` so that the parser reads it back as exactly one value (quoted, with
/// `\` escapes, when it holds spaces, parentheses, quotes, an operator at its start or is
/// a keyword).
///
/// ```
/// use mlmd_lens::query::quote_value;
/// assert_eq!(quote_value("mnist"), "mnist");
/// assert_eq!(quote_value("two words"), "\"two words\"");
/// assert_eq!(quote_value("OR"), "\"OR\"");
/// ```
pub fn quote_value(value: &str) -> String {
    quoted(value, false)
}

/// The `property:NAME` term for a property name, quoted where the name holds characters
/// the parser would read as an operator (`val:acc` → `property:"val:acc"`).
///
/// ```
/// use mlmd_lens::query::{parse, property_term, Expr};
/// assert_eq!(property_term("epochs"), "property:epochs");
/// assert_eq!(property_term("val:acc"), "property:\"val:acc\"");
/// assert_eq!(parse(&property_term("val:acc")).unwrap(), Expr::Has("val:acc".into()));
/// ```
pub fn property_term(name: &str) -> String {
    super::ast::field_text(&Field::Property(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{parse, Expr};

    #[test]
    fn every_example_parses() {
        for e in EXAMPLES {
            assert!(parse(e.query).is_ok(), "{} does not parse", e.query);
        }
    }

    #[test]
    fn every_field_is_one_the_parser_knows() {
        for f in FIELDS {
            if f.kind == FieldKind::Property {
                assert!(parse("property:x").is_ok());
            } else {
                assert!(Field::from_name(f.name).is_some(), "{} is not a field", f.name);
            }
        }
        for (name, _) in Field::NAMES {
            assert!(FIELDS.iter().any(|f| f.name == name), "{name} is not described");
        }
    }

    #[test]
    fn quoted_values_read_back_as_one_value() {
        for v in ["adam", "two words", "a\"b", "back\\slash", "(x)", "OR", "", ">5", "-x", "a:b"] {
            let q = format!("name={}", quote_value(v));
            match parse(&q).unwrap() {
                Expr::Compare { value, .. } => assert_eq!(value.text, v, "{q}"),
                other => panic!("{q} parsed as {other:?}"),
            }
        }
        for n in ["epochs", "val:acc", "a b", "x=y", "q\"t"] {
            assert_eq!(parse(&property_term(n)).unwrap(), Expr::Has(n.into()), "{n}");
        }
    }
}
