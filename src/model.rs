//! The data model handed to callers: rows, details, artifacts, events, property values.
//!
//! Every struct serializes with camelCase field names, which is the JSON shape the
//! JavaScript surface and the CLI's `--json` output share.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::time::iso_from_ms;

/// What the user sees as an execution's status, mapped from MLMD's `last_known_state`.
///
/// ```
/// use mlmd_lens::Status;
/// assert_eq!(Status::from_state(Some(3)), Status::Completed);
/// assert_eq!(Status::from_state(None), Status::Unknown);
/// assert_eq!(Status::parse("failed"), Some(Status::Failed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// MLMD `NEW`: registered, waiting to start.
    Pending,
    /// MLMD `RUNNING`.
    Running,
    /// MLMD `COMPLETE`.
    Completed,
    /// MLMD `FAILED`.
    Failed,
    /// MLMD `CACHED`: the result was reused from an earlier run.
    Cached,
    /// MLMD `CANCELED`.
    Canceled,
    /// MLMD `UNKNOWN`, or no state recorded at all (cmflib never records one).
    Unknown,
}

impl Status {
    /// Every status, in the order the UI lists them.
    pub const ALL: [Status; 7] = [
        Status::Pending,
        Status::Running,
        Status::Completed,
        Status::Failed,
        Status::Cached,
        Status::Canceled,
        Status::Unknown,
    ];

    /// Maps `Execution.last_known_state` (NULL = `None`) to a status.
    pub fn from_state(state: Option<i64>) -> Status {
        match state {
            Some(1) => Status::Pending,
            Some(2) => Status::Running,
            Some(3) => Status::Completed,
            Some(4) => Status::Failed,
            Some(5) => Status::Cached,
            Some(6) => Status::Canceled,
            _ => Status::Unknown,
        }
    }

    /// The label shown to users (`"Completed"`, …).
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Running => "Running",
            Status::Completed => "Completed",
            Status::Failed => "Failed",
            Status::Cached => "Cached",
            Status::Canceled => "Canceled",
            Status::Unknown => "Unknown",
        }
    }

    /// Parses a label, case-insensitive; MLMD's own names (`NEW`, `COMPLETE`, `CANCELLED`) work too.
    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim().to_ascii_lowercase();
        Some(match t.as_str() {
            "pending" | "new" => Status::Pending,
            "running" => Status::Running,
            "completed" | "complete" => Status::Completed,
            "failed" => Status::Failed,
            "cached" => Status::Cached,
            "canceled" | "cancelled" => Status::Canceled,
            "unknown" => Status::Unknown,
            _ => return None,
        })
    }

    /// What the status means, for a tooltip or legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Pending => "Registered, waiting to start (MLMD NEW)",
            Status::Running => "In progress (MLMD RUNNING)",
            Status::Completed => "Finished successfully (MLMD COMPLETE)",
            Status::Failed => "Finished with an error (MLMD FAILED)",
            Status::Cached => "Result reused from an earlier run (MLMD CACHED)",
            Status::Canceled => "Stopped before finishing (MLMD CANCELED)",
            Status::Unknown => "No state recorded (cmflib never records one) or MLMD UNKNOWN",
        }
    }

    /// True when the execution has stopped (its last update is its end).
    pub fn is_finished(self) -> bool {
        matches!(self, Status::Completed | Status::Failed | Status::Cached | Status::Canceled)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// One property value as MLMD stores it (the non-NULL column of a property row).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `int_value`.
    Int(i64),
    /// `double_value`.
    Double(f64),
    /// `string_value` (cmflib stores floats this way: `"0.001"`).
    String(String),
    /// `bool_value` (schema 10).
    Bool(bool),
    /// A `google.protobuf.Struct` (stored as `mlmd-struct::<base64>`), decoded to JSON.
    Struct(serde_json::Value),
    /// `proto_value`: a `google.protobuf.Any`, kept as its type URL and raw bytes.
    Proto {
        /// The Any's `type_url`.
        type_url: String,
        /// The packed message.
        value: Vec<u8>,
    },
    /// `byte_value` (schema 7+).
    Bytes(Vec<u8>),
    /// A row whose value columns are all NULL.
    Null,
}

impl Value {
    /// The kind name: `int`, `double`, `string`, `bool`, `struct`, `proto`, `bytes` or `null`.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Double(_) => "double",
            Value::String(_) => "string",
            Value::Bool(_) => "bool",
            Value::Struct(_) => "struct",
            Value::Proto { .. } => "proto",
            Value::Bytes(_) => "bytes",
            Value::Null => "null",
        }
    }

    /// The value as plain JSON: numbers, strings, booleans; structs as objects; bytes as
    /// base64 text; a proto as `{"@type": url, "value": base64}`.
    ///
    /// ```
    /// use mlmd_lens::Value;
    /// assert_eq!(Value::String("0.1".into()).to_json(), serde_json::json!("0.1"));
    /// assert_eq!(Value::Int(5).to_json(), serde_json::json!(5));
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        use base64::Engine;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        match self {
            Value::Int(i) => (*i).into(),
            Value::Double(d) => serde_json::Number::from_f64(*d)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|| serde_json::Value::String(d.to_string())),
            Value::String(s) => s.clone().into(),
            Value::Bool(b) => (*b).into(),
            Value::Struct(v) => v.clone(),
            Value::Proto { type_url, value } => {
                serde_json::json!({ "@type": type_url, "value": b64(value) })
            }
            Value::Bytes(b) => b64(b).into(),
            Value::Null => serde_json::Value::Null,
        }
    }

    /// The value as a number when it is one, or a string that parses as one (cmflib's floats).
    ///
    /// ```
    /// use mlmd_lens::Value;
    /// assert_eq!(Value::String(" 0.001".into()).as_number(), Some(0.001));
    /// assert_eq!(Value::String("adam".into()).as_number(), None);
    /// ```
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Double(d) => Some(*d),
            Value::String(s) => Value::number_in(s),
            _ => None,
        }
    }

    /// The number a string value reads as ([`Value::as_number`] of a string).
    pub(crate) fn number_in(s: &str) -> Option<f64> {
        s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
    }

    /// The value as display text (`""` for null), used for git fields and names.
    pub fn as_text(&self) -> String {
        match self {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Double(d) => d.to_string(),
            Value::Bool(b) => b.to_string(),
            other => other.to_json().to_string(),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

/// Where an execution's end comes from (see [`crate::conventions::execution_end`]).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EndSource {
    /// No end is known (the execution is pending or running, or has no times).
    #[default]
    None,
    /// `Execution.last_update_time_since_epoch`.
    LastUpdate,
    /// The execution's latest event (`Event.milliseconds_since_epoch`), later than its
    /// last update.
    Events,
}

/// Which way a metric improves.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    /// Larger values are better (accuracy, AUC, F1, …).
    Higher,
    /// Smaller values are better (loss, error, RMSE, …).
    Lower,
    /// The name does not say.
    Neutral,
}

/// What an execution property is for, by convention
/// ([`crate::conventions::property_role`]): the viewer lists parameters first and folds
/// bookkeeping.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PropertyRole {
    /// A user's setting (hyper-parameter, option): anything not below.
    #[default]
    Parameter,
    /// A numeric result whose name says which way is better (`accuracy`, `loss`).
    Metric,
    /// Git information (commit, repository, …).
    Git,
    /// Recorded by the tool for itself (cmflib's `Context_Type`, `Execution_uuid`, …).
    Bookkeeping,
}

/// Where a metric value was recorded.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MetricSource {
    /// A property of the execution itself.
    Execution,
    /// A property of a metrics-like artifact the execution output.
    Artifact {
        /// `Artifact.id`.
        id: i64,
        /// `Artifact.name` ("" when NULL).
        name: String,
        /// The artifact type's name (`Metrics`, `ModelBlessing`, …).
        #[serde(rename = "type")]
        type_name: String,
        /// 1 for the first output of this type carrying metrics, 2 for the second, …
        /// (event order): the label that tells two artifacts of one type apart.
        ordinal: usize,
    },
}

impl MetricSource {
    /// A short label that lines up across executions: `execution`, or the artifact type
    /// with its ordinal (`Metrics #1`).
    pub fn label(&self) -> String {
        match self {
            MetricSource::Execution => "execution".to_string(),
            MetricSource::Artifact { type_name, ordinal, .. } => format!("{type_name} #{ordinal}"),
        }
    }
}

/// One metric value of an execution.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    /// The property name as recorded (`accuracy`).
    pub name: String,
    /// The value as recorded (cmflib may store a number as text); always numeric.
    pub value: Value,
    /// Which way it improves, from its name.
    pub direction: Direction,
    /// Where it was recorded.
    pub source: MetricSource,
}

/// A property with its kind, for callers that need more than the plain JSON value.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TypedProperty {
    /// Property name.
    pub name: String,
    /// True for a custom property (`is_custom_property = 1`).
    pub custom: bool,
    /// The value kind (see [`Value::kind`]).
    pub kind: &'static str,
    /// The value.
    pub value: Value,
    /// What it is for (execution properties; `parameter` elsewhere).
    pub role: PropertyRole,
    /// The JSON object or array a string value holds (TFX's `train_args`,
    /// `custom_config`; see [`crate::conventions::json_container`]), shown folded; absent
    /// for any other value.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub json: Option<Value>,
}

/// Declared and custom properties of one MLMD node, kept apart.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Properties {
    /// Declared properties (`is_custom_property = 0`), by name.
    pub properties: BTreeMap<String, Value>,
    /// Custom properties (`is_custom_property = 1`), by name.
    pub custom_properties: BTreeMap<String, Value>,
}

impl Properties {
    /// Looks a name up among declared, then custom properties.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.properties.get(name).or_else(|| self.custom_properties.get(name))
    }

    /// The properties as a typed list (declared first, then custom; each sorted by name).
    pub fn typed(&self) -> Vec<TypedProperty> {
        let declared = self.properties.iter().map(|(k, v)| (k, v, false));
        let custom = self.custom_properties.iter().map(|(k, v)| (k, v, true));
        declared
            .chain(custom)
            .map(|(name, value, custom)| TypedProperty {
                name: name.clone(),
                custom,
                kind: value.kind(),
                value: value.clone(),
                role: PropertyRole::Parameter,
                json: None,
            })
            .collect()
    }
}

/// One row of the executions table, with every derived column the viewer shows.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRow {
    /// `Execution.id`.
    pub id: i64,
    /// The name shown ([`crate::conventions::display_name`]): `Execution.name`; for cmflib
    /// (which leaves it NULL) and for a UUID name (TFX) `<stage>_<short uuid>`.
    pub name: String,
    /// The execution type's short name ([`crate::conventions::short_type_name`]:
    /// `Trainer` for `tfx.components.trainer.component.Trainer`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Pipeline name ("" when the store records none).
    pub pipeline: String,
    /// Stage name within the pipeline ("" when the store records none).
    pub stage: String,
    /// Status label.
    pub status: Status,
    /// Raw `last_known_state` (null when never recorded).
    pub state: Option<i64>,
    /// Start time, UTC ISO 8601.
    pub started: Option<String>,
    /// Start time, epoch ms.
    pub started_ms: Option<i64>,
    /// End time (the last update of a finished execution), UTC ISO 8601.
    pub ended: Option<String>,
    /// End time, epoch ms.
    pub ended_ms: Option<i64>,
    /// `ended - started` in ms, when both are known.
    pub duration_ms: Option<i64>,
    /// Full git commit the execution ran ("" when not recorded).
    pub git_commit: String,
    /// The first 8 characters of `git_commit`.
    pub git_commit_short: String,
    /// The run's name: the TFX `pipeline_run` / KFP `system.PipelineRun` context the
    /// execution belongs to ("" when the store records no run for it, as cmflib).
    pub run: String,
    /// The run's context id (null when there is no run).
    pub run_id: Option<i64>,
    /// The execution type's name as recorded (the full class path); after the older
    /// fields, so the rows' first keys keep their order (Python frames' columns).
    pub type_full: String,
    /// Alert rules this row breaks (`failed`, `long-running`, or a rule's query text);
    /// only present when rules were given and one fired.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub alerts: Vec<String>,
}

/// Git information recorded for an execution; empty strings where the file holds nothing.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GitInfo {
    /// Commit at start (CMF `Git_Start_Commit`).
    pub commit: String,
    /// Commit at end (CMF `Git_End_Commit`), often empty.
    pub end_commit: String,
    /// Branch, when a property records one.
    pub branch: String,
    /// Repository URL (CMF `Git_Repo`).
    pub repo: String,
    /// Author, when recorded.
    pub author: String,
    /// Commit message, when recorded.
    pub message: String,
}

/// A context an execution belongs to.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContextRef {
    /// `Context.id`.
    pub id: i64,
    /// `Context.name`.
    pub name: String,
    /// The context type's name (`Pipeline_Stage`, `pipeline`, `node`, …).
    #[serde(rename = "type")]
    pub type_name: String,
}

/// An artifact as seen from an execution (through an event).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    /// `Artifact.id`.
    pub id: i64,
    /// `Artifact.name` as recorded ("" when NULL: TFX records none).
    pub name: String,
    /// The name shown, never empty ([`crate::conventions::artifact_display_name`]: the
    /// name, else KFP's `display_name` property, else `<output key> (<producer> #<id>)`,
    /// the URI's last segments, the type).
    pub display_name: String,
    /// Artifact type name.
    #[serde(rename = "type")]
    pub type_name: String,
    /// `Artifact.uri`.
    pub uri: String,
    /// A version: the `version` property, or CMF's `Commit` (the DVC md5); "" when none.
    pub version: String,
    /// State label (`LIVE`, `PENDING`, …; `UNKNOWN` when NULL).
    pub state: &'static str,
    /// Creation time, UTC ISO 8601.
    pub created: Option<String>,
    /// Last update, UTC ISO 8601.
    pub updated: Option<String>,
    /// The event that links it to the execution (`INPUT`, `OUTPUT`, `DECLARED_INPUT`, …).
    pub event_type: &'static str,
    /// Declared and custom properties.
    #[serde(flatten)]
    pub props: Properties,
}

/// One event of an execution.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// `Event.id`.
    pub id: i64,
    /// Event type label (`INPUT`, `OUTPUT`, …).
    #[serde(rename = "type")]
    pub type_name: &'static str,
    /// The artifact it concerns.
    pub artifact_id: i64,
    /// That artifact's name as recorded ("" when NULL).
    pub artifact_name: String,
    /// That artifact's display name, as [`Artifact::display_name`] (never empty).
    pub artifact_display_name: String,
    /// When, UTC ISO 8601 (null when not recorded).
    pub time: Option<String>,
    /// When, epoch ms.
    pub time_ms: Option<i64>,
    /// The event path (`EventPath` step keys, and indexes as text).
    pub path: Vec<String>,
}

/// Everything known about one execution: the row plus details.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionDetails {
    /// The table row.
    #[serde(flatten)]
    pub row: ExecutionRow,
    /// `Execution.external_id` (schema 9+), "" when absent.
    pub external_id: String,
    /// CMF `Execution_uuid`, else the name when it is a UUID (TFX), "" when neither.
    pub uuid: String,
    /// `Execution.name` as recorded ("" when NULL); the row's `name` is the display name.
    pub raw_name: String,
    /// Where `ended` comes from: `lastUpdate`, `events` (an execution with no state whose
    /// latest event is later than its last update: [`crate::conventions::execution_end`])
    /// or `none`.
    pub ended_from: EndSource,
    /// The command line (CMF `Execution` property), "" when absent.
    pub command: String,
    /// `create_time_since_epoch`, UTC ISO 8601.
    pub created: Option<String>,
    /// `create_time_since_epoch`, epoch ms.
    pub created_ms: Option<i64>,
    /// `last_update_time_since_epoch`, UTC ISO 8601.
    pub updated: Option<String>,
    /// `last_update_time_since_epoch`, epoch ms.
    pub updated_ms: Option<i64>,
    /// Git information.
    pub git: GitInfo,
    /// Contexts the execution is associated with.
    pub contexts: Vec<ContextRef>,
    /// Declared and custom properties.
    #[serde(flatten)]
    pub props: Properties,
    /// The same properties as a typed list, each with its role.
    pub typed_properties: Vec<TypedProperty>,
    /// Its metrics: numeric properties named like a metric, and the numeric properties of
    /// the metrics-like artifacts it output, each with its source.
    pub metrics: Vec<Metric>,
    /// Artifacts read (INPUT, DECLARED_INPUT, INTERNAL_INPUT events).
    pub inputs: Vec<Artifact>,
    /// Artifacts written (OUTPUT, DECLARED_OUTPUT, INTERNAL_OUTPUT, PENDING_OUTPUT events).
    pub outputs: Vec<Artifact>,
    /// Events in time order (then by id).
    pub events: Vec<Event>,
}

/// Counts and the distinct values the filters offer.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// `MLMDEnv.schema_version`.
    pub schema_version: i64,
    /// What wrote the store, as far as can be told: `cmf`, `tfx`, `kfp` or `mlmd`.
    pub flavor: &'static str,
    /// Number of executions.
    pub executions: usize,
    /// Number of artifacts.
    pub artifacts: usize,
    /// Number of contexts.
    pub contexts: usize,
    /// Number of events.
    pub events: usize,
    /// Pipeline names, sorted.
    pub pipelines: Vec<String>,
    /// Stage names, sorted.
    pub stages: Vec<String>,
    /// Execution type names that have executions, sorted.
    pub execution_types: Vec<String>,
    /// The distinct short execution type names ([`crate::conventions::short_type_name`]),
    /// sorted: what the table shows and completion offers (`type:Trainer` matches them).
    pub execution_type_names: Vec<String>,
    /// Executions per status label (only statuses that occur).
    pub states: BTreeMap<String, usize>,
    /// Git branches recorded, sorted.
    pub branches: Vec<String>,
    /// The pipeline runs (TFX `pipeline_run`, KFP `system.PipelineRun` contexts) that
    /// have executions, newest first (by start, then by context id); empty for stores
    /// that record no runs (cmflib).
    pub runs: Vec<RunInfo>,
    /// Earliest start, UTC ISO 8601.
    pub first_started: Option<String>,
    /// Latest start, UTC ISO 8601.
    pub last_started: Option<String>,
    /// Things worth telling the user that did not stop the file from opening.
    pub warnings: Vec<String>,
}

/// A pipeline run and what its executions add up to.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RunInfo {
    /// The run's context id (what `compareRuns` takes).
    pub id: i64,
    /// The run's context name (what the `run` filter and `run=` take).
    pub name: String,
    /// The pipeline of its executions ("" when none is recorded).
    pub pipeline: String,
    /// The earliest start of its executions, UTC ISO 8601.
    pub start: Option<String>,
    /// The same, epoch ms.
    pub start_ms: Option<i64>,
    /// The latest end of its executions, UTC ISO 8601 (null when none has ended).
    pub end: Option<String>,
    /// The same, epoch ms.
    pub end_ms: Option<i64>,
    /// How many executions belong to it.
    pub executions: usize,
    /// Its executions per status label (only statuses that occur).
    pub status_counts: BTreeMap<String, usize>,
}

/// One page of executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionPage {
    /// Executions matching the filters, before paging.
    pub total: usize,
    /// Offset of the first row.
    pub offset: usize,
    /// The rows of this page.
    pub rows: Vec<ExecutionRow>,
}

/// Builds the ISO/ms pair for an optional epoch-ms time.
pub(crate) fn time_pair(ms: Option<i64>) -> (Option<String>, Option<i64>) {
    (ms.and_then(iso_from_ms), ms)
}

/// An execution property name as offered for search autocomplete and the column chooser.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PropertyName {
    /// Property name.
    pub name: String,
    /// True for a custom property.
    pub custom: bool,
    /// Value kinds seen (`int`, `double`, `string`, `bytes`, `proto`, `bool`).
    pub kinds: Vec<&'static str>,
    /// Executions that have it.
    pub executions: usize,
}
