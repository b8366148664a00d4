//! Names as a reader wants to see them when the writer left them machine-shaped: TFX's
//! NULL artifact names, Python class paths as type names, UUIDs as execution names; and
//! the end of an execution when its writer records none (cmflib).

use crate::model::{EndSource, Status};

/// The short class name of a type recorded as a dotted Python path: the part after the
/// last `.` (`tfx.components.trainer.component.Trainer` → `Trainer`). A name with
/// spaces, `/` or anything but identifier characters between its dots (cmflib's `Train`,
/// `mnist/Train`, `my type`) is left as it is, and so is a name ending in a dot.
///
/// ```
/// use mlmd_lens::conventions::short_type_name;
/// assert_eq!(short_type_name("tfx.components.trainer.component.Trainer"), "Trainer");
/// assert_eq!(short_type_name("mlmd.Dataset"), "Dataset");
/// assert_eq!(short_type_name("Train"), "Train");
/// assert_eq!(short_type_name("mnist/Train"), "mnist/Train");
/// assert_eq!(short_type_name("a b.c"), "a b.c");
/// assert_eq!(short_type_name("x."), "x.");
/// ```
pub fn short_type_name(full: &str) -> &str {
    let is_ident =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    match full.rsplit_once('.') {
        Some((_, last)) if full.split('.').all(is_ident) => last,
        _ => full,
    }
}

/// True for text shaped like a UUID (`8-4-4-4-12` hex digits).
///
/// ```
/// use mlmd_lens::conventions::is_uuid;
/// assert!(is_uuid("e3fb1410-c7d2-4dd9-a8e8-d4c123f892d6"));
/// assert!(!is_uuid("run-1"));
/// ```
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Who wrote an artifact, as its display name mentions it: the producing execution's
/// label (its stage, else its short type name) and id, and the key of the output it was
/// written as (the first step key of the OUTPUT event's path: TFX's `model`, `examples`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Producer<'a> {
    /// The producing execution's stage (TFX node) or short type name.
    pub label: &'a str,
    /// The producing execution's id.
    pub execution_id: i64,
    /// The output key from the event path ("" when the path has none).
    pub key: &'a str,
}

/// The artifact property that KFP v2 records its artifacts' names in (`Artifact.name` is
/// then often empty).
pub const ARTIFACT_DISPLAY_NAME_PROPERTY: &str = "display_name";

/// The name an artifact is shown by — never empty:
/// 1. `Artifact.name` when recorded (cmflib, most MLMD writers), else its
///    `display_name` property (KFP v2: `display_name`, passed as `display_property`);
/// 2. else the output key and its producer, `model (Trainer #19)` (TFX leaves names NULL
///    and records the key in `EventPath`);
/// 3. else the last segments of its URI (`Trainer/model/5`: two segments, three when the
///    last is a number, as TFX ends URIs with the execution id);
/// 4. else `<short type> #<id>` (`Model #5`), or `artifact #<id>` without a type.
///
/// The raw name stays available beside it (`name` on [`crate::model::Artifact`]).
///
/// ```
/// use mlmd_lens::conventions::{artifact_display_name, Producer};
/// let p = Producer { label: "Trainer", execution_id: 19, key: "model" };
/// assert_eq!(artifact_display_name("", "", Some(p), "/x/Trainer/model/19", "Model", 5), "model (Trainer #19)");
/// assert_eq!(artifact_display_name("m.pkl", "", Some(p), "", "Model", 5), "m.pkl");
/// assert_eq!(artifact_display_name("", "trained-model", Some(p), "", "Model", 5), "trained-model");
/// assert_eq!(artifact_display_name("", "", None, "/data/tfx/pipelines/p/Trainer/model/5", "Model", 5), "Trainer/model/5");
/// assert_eq!(artifact_display_name("", "", None, "/data/tfx/user_schema", "Schema", 12), "tfx/user_schema");
/// assert_eq!(artifact_display_name(" ", "", None, "", "tfx.types.Model", 5), "Model #5");
/// assert_eq!(artifact_display_name("", "", None, "", "", 5), "artifact #5");
/// ```
pub fn artifact_display_name(
    name: &str,
    display_property: &str,
    producer: Option<Producer<'_>>,
    uri: &str,
    type_name: &str,
    id: i64,
) -> String {
    if !name.trim().is_empty() {
        return name.to_string();
    }
    if !display_property.trim().is_empty() {
        return display_property.trim().to_string();
    }
    if let Some(p) = producer.filter(|p| !p.key.trim().is_empty()) {
        let label = if p.label.trim().is_empty() { "execution" } else { p.label };
        return format!("{} ({label} #{})", p.key.trim(), p.execution_id);
    }
    let segments: Vec<&str> =
        uri.split(['/', '\\']).filter(|s| !s.is_empty() && !s.ends_with(':')).collect();
    if !segments.is_empty() {
        let numeric = segments.last().is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()));
        let take = if numeric { 3 } else { 2 };
        return segments[segments.len().saturating_sub(take)..].join("/");
    }
    match short_type_name(type_name.trim()) {
        "" => format!("artifact #{id}"),
        t => format!("{t} #{id}"),
    }
}

/// The end of an execution, and where it comes from:
/// - one with a final state (TFX, KFP: Completed, Failed, Cached, Canceled) ended at its
///   last update, which is when that state was set (their events are written with it,
///   within a millisecond);
/// - one with no state (cmflib records none; MLMD `UNKNOWN`) has no recorded end: it ended
///   at the later of its last update and its own latest event. cmflib's last update can
///   come before the outputs it logs (a Train whose model is logged 3.8 s after it), and
///   those are part of the run;
/// - a pending or running one has no end.
///
/// ```
/// use mlmd_lens::{conventions::execution_end, EndSource, Status};
/// assert_eq!(execution_end(Status::Unknown, Some(100), Some(3900)), (Some(3900), EndSource::Events));
/// assert_eq!(execution_end(Status::Unknown, Some(100), Some(90)), (Some(100), EndSource::LastUpdate));
/// assert_eq!(execution_end(Status::Unknown, None, Some(7)), (Some(7), EndSource::Events));
/// assert_eq!(execution_end(Status::Completed, Some(100), Some(101)), (Some(100), EndSource::LastUpdate));
/// assert_eq!(execution_end(Status::Running, Some(100), Some(3900)), (None, EndSource::None));
/// ```
pub fn execution_end(
    status: Status,
    last_update: Option<i64>,
    last_event: Option<i64>,
) -> (Option<i64>, EndSource) {
    let from_update = |u: Option<i64>| match u {
        Some(u) => (Some(u), EndSource::LastUpdate),
        None => (None, EndSource::None),
    };
    match status {
        s if s.is_finished() => from_update(last_update),
        Status::Unknown => match (last_update, last_event) {
            (Some(u), Some(e)) if e > u => (Some(e), EndSource::Events),
            (None, Some(e)) => (Some(e), EndSource::Events),
            (u, _) => from_update(u),
        },
        _ => (None, EndSource::None),
    }
}
