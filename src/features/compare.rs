//! Side-by-side comparison of 2–5 executions: parameters, metrics, artifacts, durations.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{ExecutionDetails, ExecutionRow, Value};

/// Fewest executions a comparison takes.
pub const MIN_COMPARE: usize = 2;
/// Most executions a comparison takes.
pub const MAX_COMPARE: usize = 5;

/// One property across the compared executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PropertyDiff {
    /// Property name.
    pub name: String,
    /// True when custom in at least one execution.
    pub custom: bool,
    /// The value in each execution (`null` where it is missing), in the order of `ids`.
    pub values: Vec<Value>,
    /// True when the values are not all the same.
    pub differs: bool,
    /// For numeric values: each value minus the first execution's (`null` where not numeric).
    pub deltas: Vec<Option<f64>>,
}

/// One artifact name across the compared executions.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactDiff {
    /// `INPUT` or `OUTPUT` side.
    pub direction: &'static str,
    /// Artifact type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// A key shared by versions of "the same" artifact: the name without its `:<hash>`
    /// suffixes (cmflib) — or the URI when the name is empty.
    pub key: String,
    /// Version (or URI) in each execution, `null` where absent.
    pub versions: Vec<Option<String>>,
    /// True when not all executions have the same version.
    pub differs: bool,
}

/// The comparison.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The executions, in the order asked.
    pub executions: Vec<ExecutionRow>,
    /// Every property any of them has (declared first, then custom; by name).
    pub properties: Vec<PropertyDiff>,
    /// Input and output artifacts matched by key.
    pub artifacts: Vec<ArtifactDiff>,
}

fn artifact_key(name: &str, uri: &str) -> String {
    if name.is_empty() {
        return uri.to_string();
    }
    name.split(':').next().unwrap_or(name).to_string()
}

/// Refuses fewer than [`MIN_COMPARE`] or more than [`MAX_COMPARE`] ids, or repeats.
///
/// # Errors
/// [`Error::InvalidArgument`] saying how many compare takes.
pub(crate) fn check_ids(ids: &[i64]) -> Result<()> {
    let mut seen = ids.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if ids.len() < MIN_COMPARE || ids.len() > MAX_COMPARE || seen.len() != ids.len() {
        return Err(Error::InvalidArgument(format!(
            "compare takes {MIN_COMPARE} to {MAX_COMPARE} different executions, not {}",
            ids.len()
        )));
    }
    Ok(())
}

/// Builds the comparison from the full details of 2–5 executions.
pub(crate) fn compare(details: &[ExecutionDetails]) -> Comparison {
    let mut names: Vec<(bool, String)> = Vec::new();
    for d in details {
        for p in d.typed_properties.iter() {
            if !names.iter().any(|(_, n)| *n == p.name) {
                names.push((p.custom, p.name.clone()));
            }
        }
    }
    names.sort();
    let properties = names
        .into_iter()
        .map(|(custom, name)| {
            let values: Vec<Value> = details
                .iter()
                .map(|d| d.props.get(&name).cloned().unwrap_or(Value::Null))
                .collect();
            let first = values.first().and_then(Value::as_number);
            let deltas = values
                .iter()
                .map(|v| match (v.as_number(), first) {
                    (Some(x), Some(f)) => Some(x - f),
                    _ => None,
                })
                .collect();
            let differs = values.windows(2).any(|w| w[0] != w[1]);
            PropertyDiff { name, custom, values, differs, deltas }
        })
        .collect();
    let mut artifacts: Vec<ArtifactDiff> = Vec::new();
    for (i, d) in details.iter().enumerate() {
        for (direction, list) in [("INPUT", &d.inputs), ("OUTPUT", &d.outputs)] {
            for a in list {
                let key = artifact_key(&a.name, &a.uri);
                let version = if a.version.is_empty() { a.uri.clone() } else { a.version.clone() };
                let pos = artifacts.iter().position(|x| {
                    x.direction == direction && x.key == key && x.type_name == a.type_name
                });
                let pos = pos.unwrap_or_else(|| {
                    artifacts.push(ArtifactDiff {
                        direction,
                        type_name: a.type_name.clone(),
                        key,
                        versions: vec![None; details.len()],
                        differs: false,
                    });
                    artifacts.len() - 1
                });
                artifacts[pos].versions[i].get_or_insert(version);
            }
        }
    }
    for a in &mut artifacts {
        a.differs = a.versions.windows(2).any(|w| w[0] != w[1]);
    }
    Comparison {
        executions: details.iter().map(|d| d.row.clone()).collect(),
        properties,
        artifacts,
    }
}
