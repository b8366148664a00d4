//! Conventions: how cmflib, TFX and Kubeflow Pipelines record pipeline, stage, git
//! information and names in plain MLMD tables, and the rules that derive the viewer's
//! columns from them. Nothing here invents a value: a field the file does not hold is empty.

mod contexts;
mod json;
mod metrics;
mod names;

pub use contexts::{
    flavor_of, flavor_writer, is_run_context_type, resolve_contexts, resolve_run, ContextInfo,
};
pub use json::{json_at, json_container, json_path, JsonStep};
pub use metrics::{
    is_artifact_bookkeeping_property, is_bookkeeping_property, is_failure_like_property,
    is_git_property, is_metrics_artifact_type, metric_direction, property_role, Direction,
    ARTIFACT_BOOKKEEPING_PROPERTIES, BOOKKEEPING_PROPERTIES, FAILURE_LIKE_WORDS,
    METRICS_ARTIFACT_TYPES,
};
pub use names::{
    artifact_display_name, execution_end, is_uuid, short_type_name, Producer,
    ARTIFACT_DISPLAY_NAME_PROPERTY,
};

use crate::model::{GitInfo, Properties, Value};

/// Context type names that mean "a pipeline" (cmflib, TFX, KFP v2).
pub const PIPELINE_CONTEXT_TYPES: [&str; 3] = ["Parent_Context", "pipeline", "system.Pipeline"];

/// Context type names that mean "a run of a pipeline" (TFX `pipeline_run`, a child of its
/// `pipeline` context; KFP `system.PipelineRun`). cmflib records no runs.
pub const RUN_CONTEXT_TYPES: [&str; 2] = ["pipeline_run", "system.PipelineRun"];

/// The context type of a cmflib pipeline: what cmflib's `CmfQuery` means by "a pipeline"
/// (its stages are the pipeline context's children, its executions are associated with
/// the stages). The CmfQuery drop-in follows it exactly, so that it answers as cmflib does.
pub const CMF_PIPELINE_CONTEXT_TYPE: &str = "Parent_Context";

/// The MLMD event types cmflib names: `INPUT` (3) and `OUTPUT` (4).
pub mod cmf_events {
    /// `Event.type` INPUT.
    pub const INPUT: i64 = 3;
    /// `Event.type` OUTPUT.
    pub const OUTPUT: i64 = 4;
}

/// Context type names that mean "a stage / node of a pipeline" (cmflib, TFX).
pub const STAGE_CONTEXT_TYPES: [&str; 2] = ["Pipeline_Stage", "node"];

/// Execution property names read for derived columns, by role. The first non-empty wins.
pub mod keys {
    /// Commit the execution ran (cmflib `Git_Start_Commit`).
    pub const COMMIT: [&str; 4] = ["Git_Start_Commit", "git_commit", "Git_Commit", "commit_sha"];
    /// Commit at the end of the execution.
    pub const END_COMMIT: [&str; 2] = ["Git_End_Commit", "git_end_commit"];
    /// Git branch.
    pub const BRANCH: [&str; 3] = ["Git_Branch", "git_branch", "branch"];
    /// Repository URL.
    pub const REPO: [&str; 3] = ["Git_Repo", "git_repo", "git_url"];
    /// Commit author.
    pub const AUTHOR: [&str; 3] = ["Git_Author", "git_author", "Git_Commit_Author"];
    /// Commit message.
    pub const MESSAGE: [&str; 3] = ["Git_Commit_Message", "git_commit_message", "git_message"];
    /// cmflib's execution uuid.
    pub const UUID: [&str; 1] = ["Execution_uuid"];
    /// cmflib's command line.
    pub const COMMAND: [&str; 1] = ["Execution"];
    /// The pipeline name as cmflib also stores it on the execution.
    pub const PIPELINE: [&str; 1] = ["Pipeline_Type"];
    /// `<pipeline>/<stage>` as cmflib also stores it on the execution.
    pub const STAGE: [&str; 1] = ["Context_Type"];
    /// The creation time kept when a store is merged (`cmf metadata pull/push`).
    pub const ORIGINAL_CREATE: [&str; 1] = ["original_create_time_since_epoch"];
}

/// The execution properties the index reads for its columns, by role; within a role,
/// earlier names win, and a declared property wins over a custom one of the same name.
pub const ROLES: [&[&str]; 8] = [
    &keys::COMMIT,
    &keys::BRANCH,
    &keys::UUID,
    &keys::PIPELINE,
    &keys::STAGE,
    &keys::ORIGINAL_CREATE,
    &keys::REPO,
    &keys::END_COMMIT,
];

/// Index of each role in [`ROLES`].
pub mod role {
    /// [`super::keys::COMMIT`]
    pub const COMMIT: usize = 0;
    /// [`super::keys::BRANCH`]
    pub const BRANCH: usize = 1;
    /// [`super::keys::UUID`]
    pub const UUID: usize = 2;
    /// [`super::keys::PIPELINE`]
    pub const PIPELINE: usize = 3;
    /// [`super::keys::STAGE`]
    pub const STAGE: usize = 4;
    /// [`super::keys::ORIGINAL_CREATE`]
    pub const ORIGINAL_CREATE: usize = 5;
    /// [`super::keys::REPO`]
    pub const REPO: usize = 6;
    /// [`super::keys::END_COMMIT`]
    pub const END_COMMIT: usize = 7;
}

/// The role of a property name and its rank within the role (lower wins): earlier
/// names first, declared before custom.
///
/// ```
/// use mlmd_lens::conventions::{role, role_rank};
/// assert_eq!(role_rank("Git_Start_Commit", false), Some((role::COMMIT, 0)));
/// assert_eq!(role_rank("Git_Start_Commit", true), Some((role::COMMIT, 1)));
/// assert_eq!(role_rank("epochs", false), None);
/// ```
pub fn role_rank(name: &str, custom: bool) -> Option<(usize, u8)> {
    ROLES.iter().enumerate().find_map(|(role, names)| {
        names.iter().position(|n| *n == name).map(|a| (role, (a * 2 + usize::from(custom)) as u8))
    })
}

/// The first non-empty text among `names` in `props` ("" when none).
///
/// ```
/// use mlmd_lens::{Properties, Value, conventions::first_text};
/// let mut p = Properties::default();
/// p.properties.insert("Git_Repo".into(), Value::String("https://x/y.git".into()));
/// assert_eq!(first_text(&p, &["Git_Repo"]), "https://x/y.git");
/// assert_eq!(first_text(&p, &["Git_Branch"]), "");
/// ```
pub fn first_text(props: &Properties, names: &[&str]) -> String {
    names
        .iter()
        .filter_map(|n| props.get(n))
        .map(Value::as_text)
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
        .unwrap_or_default()
}

/// Git information from an execution's properties.
pub fn git_info(props: &Properties) -> GitInfo {
    GitInfo {
        commit: first_text(props, &keys::COMMIT),
        end_commit: first_text(props, &keys::END_COMMIT),
        branch: first_text(props, &keys::BRANCH),
        repo: first_text(props, &keys::REPO),
        author: first_text(props, &keys::AUTHOR),
        message: first_text(props, &keys::MESSAGE),
    }
}

/// The short form of a commit hash (first 8 characters).
///
/// ```
/// assert_eq!(mlmd_lens::conventions::short_commit("01dd1db9a384ffeb"), "01dd1db9");
/// assert_eq!(mlmd_lens::conventions::short_commit(""), "");
/// ```
pub fn short_commit(commit: &str) -> String {
    commit.chars().take(8).collect()
}

/// The stage part of a stage context name: `mnist/Train` → `Train`,
/// `taxi.Trainer` → `Trainer` (TFX node), unchanged when no pipeline prefix is present.
///
/// ```
/// use mlmd_lens::conventions::stage_from_context;
/// assert_eq!(stage_from_context("mnist/Train", "mnist"), "Train");
/// assert_eq!(stage_from_context("taxi.Trainer", "taxi"), "Trainer");
/// assert_eq!(stage_from_context("Trainer", "taxi"), "Trainer");
/// ```
pub fn stage_from_context(context_name: &str, pipeline: &str) -> String {
    if !pipeline.is_empty() {
        for sep in ['/', '.'] {
            if let Some(rest) =
                context_name.strip_prefix(pipeline).and_then(|r| r.strip_prefix(sep))
            {
                if !rest.is_empty() {
                    return rest.to_string();
                }
            }
        }
    }
    context_name.to_string()
}

/// The display name: `Execution.name` when recorded; for cmflib (NULL name) the CMF GUI's
/// stage + short uuid (`Train_b3c32340`); a name that is itself a UUID (TFX names every
/// execution so) is shown the same way, `<stage>_<first 8>` (the whole UUID stays in the
/// details' `uuid`); otherwise the type and id (`Trainer #7`). Without a stage, the short
/// type name ([`short_type_name`]) stands in for it.
///
/// ```
/// use mlmd_lens::conventions::display_name;
/// assert_eq!(display_name(Some("run-1"), "Train", "", "T", 3), "run-1");
/// assert_eq!(display_name(None, "Train", "b3c32340-e876-11f1", "T", 3), "Train_b3c32340");
/// assert_eq!(display_name(None, "", "", "Trainer", 7), "Trainer #7");
/// assert_eq!(
///     display_name(Some("dbe4a700-c8ad-461b-ad80-ea44b1a54ba1"), "Trainer", "", "tfx.x.Trainer", 5),
///     "Trainer_dbe4a700"
/// );
/// assert_eq!(
///     display_name(Some("dbe4a700-c8ad-461b-ad80-ea44b1a54ba1"), "", "", "tfx.x.Trainer", 5),
///     "Trainer_dbe4a700"
/// );
/// ```
pub fn display_name(
    name: Option<&str>,
    stage: &str,
    uuid: &str,
    type_name: &str,
    id: i64,
) -> String {
    let name = name.filter(|n| !n.trim().is_empty());
    let base = if stage.is_empty() { short_type_name(type_name) } else { stage };
    match name {
        Some(n) if is_uuid(n.trim()) => {
            format!("{base}_{}", n.trim().chars().take(8).collect::<String>())
        }
        Some(n) => n.to_string(),
        None if uuid.is_empty() => format!("{base} #{id}"),
        None => format!("{base}_{}", uuid.chars().take(8).collect::<String>()),
    }
}

/// The UUID an execution is known by: cmflib's `Execution_uuid` property, else its name
/// when that is a UUID (TFX), else "".
///
/// ```
/// use mlmd_lens::conventions::execution_uuid;
/// assert_eq!(execution_uuid("", Some("e3fb1410-c7d2-4dd9-a8e8-d4c123f892d6")), "e3fb1410-c7d2-4dd9-a8e8-d4c123f892d6");
/// assert_eq!(execution_uuid("", Some("run-1")), "");
/// ```
pub fn execution_uuid(uuid_property: &str, name: Option<&str>) -> String {
    match name.map(str::trim) {
        _ if !uuid_property.is_empty() => uuid_property.to_string(),
        Some(n) if is_uuid(n) => n.to_string(),
        _ => String::new(),
    }
}

/// Label of an MLMD `Event.type`.
pub fn event_type_label(t: i64) -> &'static str {
    match t {
        1 => "DECLARED_OUTPUT",
        2 => "DECLARED_INPUT",
        3 => "INPUT",
        4 => "OUTPUT",
        5 => "INTERNAL_INPUT",
        6 => "INTERNAL_OUTPUT",
        7 => "PENDING_OUTPUT",
        _ => "UNKNOWN",
    }
}

/// True for event types through which an execution reads an artifact.
pub fn is_input_event(t: i64) -> bool {
    matches!(t, 2 | 3 | 5)
}

/// The event types through which an execution writes an artifact (see [`is_output_event`]).
pub const OUTPUT_EVENT_TYPES: [i64; 4] = [1, 4, 6, 7];

/// True for event types through which an execution writes an artifact.
pub fn is_output_event(t: i64) -> bool {
    OUTPUT_EVENT_TYPES.contains(&t)
}

/// Label of an MLMD `Artifact.state` (NULL reads as `UNKNOWN`).
pub fn artifact_state_label(s: Option<i64>) -> &'static str {
    match s {
        Some(1) => "PENDING",
        Some(2) => "LIVE",
        Some(3) => "MARKED_FOR_DELETION",
        Some(4) => "DELETED",
        Some(5) => "ABANDONED",
        Some(6) => "REFERENCE",
        _ => "UNKNOWN",
    }
}

/// An artifact's version: its `version` property, else cmflib's `Commit` (the DVC md5).
pub fn artifact_version(props: &Properties) -> String {
    first_text(props, &["version", "Version", "Commit"])
}

/// The part of an artifact name that stays the same across runs, so compare can match
/// "the same" artifact: the name before cmflib's `:<md5>:<execution id>…` suffixes, with
/// any path segment that is a UUID (cmflib's `commit_metrics` writes
/// `cmf_artifacts/<execution uuid>/metrics/<name>`) read as `*`.
///
/// ```
/// use mlmd_lens::conventions::artifact_match_key;
/// assert_eq!(artifact_match_key("artifacts/model/model.pkl:d9ba48ee:3"), "artifacts/model/model.pkl");
/// assert_eq!(
///     artifact_match_key("cmf_artifacts/c00cd42a-e876-11f1-a1af-02fc00000001/metrics/training_metrics:5115:3:c3ab"),
///     "cmf_artifacts/*/metrics/training_metrics"
/// );
/// assert_eq!(artifact_match_key("metrics:c94b304a-e876-11f1-a1af-02fc00000001:4"), "metrics");
/// ```
pub fn artifact_match_key(name: &str) -> String {
    let base = name.split(':').next().unwrap_or(name);
    base.split('/').map(|seg| if is_uuid(seg) { "*" } else { seg }).collect::<Vec<_>>().join("/")
}
