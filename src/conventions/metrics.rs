//! What counts as a metric, and which properties are bookkeeping: the rules compare uses to
//! put an execution's values into Parameters, Metrics, Git and folded bookkeeping rows.
//!
//! - cmflib's `log_execution_metrics` writes a `Metrics` artifact (metric values are its
//!   custom properties), `commit_metrics` a `Step_Metrics` artifact; TFX's Evaluator writes
//!   `ModelEvaluation` and `ModelBlessing` (`blessed`). Any artifact type whose name
//!   contains `Metrics` (KFP's `system.Metrics`, `mlmd.Metrics`) counts too.
//! - cmflib records its own bookkeeping as execution properties (`Execution_type_name`,
//!   `Context_Type`, …); they are shown last, folded, so the user's hyper-parameters lead.
//! - A metric's direction is read from its name: `loss`, `error`, `mae`, `rmse`, `mse` …
//!   are lower-is-better; `accuracy`, `auc`, `f1`, `precision`, `recall`, `map` … are
//!   higher-is-better; any other name is neutral (no better/worse, no best mark).

use super::keys;
use crate::model::{PropertyRole, Value};

pub use crate::model::Direction;

/// Artifact type names whose properties are metrics, besides any type whose name contains
/// `Metrics` (see [`is_metrics_artifact_type`]).
pub const METRICS_ARTIFACT_TYPES: [&str; 2] = ["ModelEvaluation", "ModelBlessing"];

/// Execution property names that cmflib (and `cmf metadata push/pull`) write for their own
/// bookkeeping, not the user's: shown last, folded. Git roles are not here: they have their
/// own group (see [`is_git_property`]).
pub const BOOKKEEPING_PROPERTIES: [&str; 11] = [
    "Execution_type_name",
    "Context_Type",
    "Context_ID",
    "Pipeline_id",
    "Pipeline_Type",
    "Execution_uuid",
    "Execution_Name",
    "Execution",
    "Python_Env",
    "original_create_time_since_epoch",
    "Cmf_Version",
];

/// Properties of a metrics artifact that describe the artifact, not a measured value
/// (cmflib's `metrics_name`, `Commit`, `url`, `git_repo`; TFX's model ids and span).
pub const ARTIFACT_BOOKKEEPING_PROPERTIES: [&str; 10] = [
    "metrics_name",
    "Commit",
    "url",
    "git_repo",
    "current_model",
    "current_model_id",
    "baseline_model",
    "baseline_model_id",
    "span",
    "version",
];

/// Name words that mean lower is better.
const LOWER_WORDS: [&str; 10] =
    ["loss", "error", "err", "mae", "rmse", "mse", "mape", "wer", "perplexity", "latency"];

/// Name words that mean higher is better.
const HIGHER_WORDS: [&str; 15] = [
    "accuracy",
    "acc",
    "auc",
    "f1",
    "precision",
    "prec",
    "recall",
    "map",
    "iou",
    "bleu",
    "rouge",
    "r2",
    "score",
    "blessed",
    "top1",
];

/// True for artifact types whose properties are metrics: cmflib `Metrics` / `Step_Metrics`,
/// TFX `ModelEvaluation` / `ModelBlessing`, and any type whose name contains `Metrics`.
///
/// ```
/// use mlmd_lens::conventions::is_metrics_artifact_type;
/// assert!(is_metrics_artifact_type("Step_Metrics"));
/// assert!(is_metrics_artifact_type("system.Metrics"));
/// assert!(is_metrics_artifact_type("ModelBlessing"));
/// assert!(!is_metrics_artifact_type("Model"));
/// ```
pub fn is_metrics_artifact_type(type_name: &str) -> bool {
    type_name.contains("Metrics") || METRICS_ARTIFACT_TYPES.contains(&type_name)
}

/// True for the bookkeeping execution properties cmflib writes (see
/// [`BOOKKEEPING_PROPERTIES`]).
///
/// ```
/// assert!(mlmd_lens::conventions::is_bookkeeping_property("Context_Type"));
/// assert!(!mlmd_lens::conventions::is_bookkeeping_property("learning_rate"));
/// ```
pub fn is_bookkeeping_property(name: &str) -> bool {
    BOOKKEEPING_PROPERTIES.contains(&name)
}

/// True for properties of a metrics artifact that are not measurements (see
/// [`ARTIFACT_BOOKKEEPING_PROPERTIES`]).
pub fn is_artifact_bookkeeping_property(name: &str) -> bool {
    ARTIFACT_BOOKKEEPING_PROPERTIES.contains(&name)
}

/// True for execution properties that hold git information (commit, end commit, branch,
/// repository, author, message): compare shows them in their own group.
///
/// ```
/// assert!(mlmd_lens::conventions::is_git_property("Git_Repo"));
/// assert!(!mlmd_lens::conventions::is_git_property("epochs"));
/// ```
pub fn is_git_property(name: &str) -> bool {
    [
        &keys::COMMIT[..],
        &keys::END_COMMIT,
        &keys::BRANCH,
        &keys::REPO,
        &keys::AUTHOR,
        &keys::MESSAGE,
    ]
    .iter()
    .any(|names| names.contains(&name))
}

/// The direction a metric improves in, from the words of its name (split at anything that
/// is not a letter or digit, case-insensitive); a lower-is-better word wins over a
/// higher-is-better one (`accuracy_loss` is a loss).
///
/// ```
/// use mlmd_lens::conventions::{metric_direction, Direction};
/// assert_eq!(metric_direction("val_loss"), Direction::Lower);
/// assert_eq!(metric_direction("RMSE"), Direction::Lower);
/// assert_eq!(metric_direction("roc_auc"), Direction::Higher);
/// assert_eq!(metric_direction("avg_prec"), Direction::Higher);
/// assert_eq!(metric_direction("epochs"), Direction::Neutral);
/// ```
pub fn metric_direction(name: &str) -> Direction {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    if words.iter().any(|w| LOWER_WORDS.contains(w)) {
        Direction::Lower
    } else if words.iter().any(|w| HIGHER_WORDS.contains(w)) {
        Direction::Higher
    } else {
        Direction::Neutral
    }
}

/// What an execution property is for: git information, cmflib's bookkeeping, a metric
/// (numeric, and its name says a direction), or else a parameter.
///
/// ```
/// use mlmd_lens::{conventions::property_role, PropertyRole, Value};
/// assert_eq!(property_role("Git_Repo", &Value::String("x".into())), PropertyRole::Git);
/// assert_eq!(property_role("Context_Type", &Value::String("mnist/Train".into())), PropertyRole::Bookkeeping);
/// assert_eq!(property_role("accuracy", &Value::Double(0.9)), PropertyRole::Metric);
/// assert_eq!(property_role("learning_rate", &Value::String("0.01".into())), PropertyRole::Parameter);
/// ```
pub fn property_role(name: &str, value: &Value) -> PropertyRole {
    if is_git_property(name) {
        PropertyRole::Git
    } else if is_bookkeeping_property(name) {
        PropertyRole::Bookkeeping
    } else if value.as_number().is_some() && metric_direction(name) != Direction::Neutral {
        PropertyRole::Metric
    } else {
        PropertyRole::Parameter
    }
}

/// Words in a property name that say the execution went wrong (`error`, `exit_code`,
/// `failure_reason`, …): where a store without states may record a failure.
pub const FAILURE_LIKE_WORDS: [&str; 6] =
    ["error", "fail", "exception", "exit_code", "traceback", "crash"];

/// True for a property name that looks like it records a failure (see
/// [`FAILURE_LIKE_WORDS`]).
///
/// ```
/// assert!(mlmd_lens::conventions::is_failure_like_property("Error_Message"));
/// assert!(!mlmd_lens::conventions::is_failure_like_property("epochs"));
/// ```
pub fn is_failure_like_property(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    FAILURE_LIKE_WORDS.iter().any(|w| n.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cmflib_bookkeeping_name_is_bookkeeping_or_git() {
        for name in [
            "Execution_type_name",
            "Context_Type",
            "Git_Repo",
            "Git_Start_Commit",
            "Git_End_Commit",
            "Pipeline_id",
            "Pipeline_Type",
            "Execution_uuid",
            "Execution_Name",
            "original_create_time_since_epoch",
        ] {
            assert!(is_bookkeeping_property(name) || is_git_property(name), "{name}");
        }
    }

    #[test]
    fn directions_of_common_metric_names() {
        for name in ["loss", "train-loss", "error_rate", "mae", "mse", "Val_RMSE"] {
            assert_eq!(metric_direction(name), Direction::Lower, "{name}");
        }
        for name in ["accuracy", "AUC", "f1_score", "precision", "recall", "mAP", "blessed"] {
            assert_eq!(metric_direction(name), Direction::Higher, "{name}");
        }
        for name in ["learning_rate", "threshold", "batch_size", "message"] {
            assert_eq!(metric_direction(name), Direction::Neutral, "{name}");
        }
    }
}
