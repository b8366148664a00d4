//! Which of an execution's contexts is its pipeline and which its stage (cmflib
//! `Parent_Context`/`Pipeline_Stage`, TFX `pipeline`/`node`, KFP `system.Pipeline`), and
//! what wrote a store, told by the context types it uses.

use std::collections::HashMap;

use super::{PIPELINE_CONTEXT_TYPES, RUN_CONTEXT_TYPES, STAGE_CONTEXT_TYPES};

/// Deepest `ParentContext` chain followed (guards against cycles in a damaged file).
const MAX_CONTEXT_DEPTH: usize = 32;

/// A context's name and type name.
#[derive(Debug, Clone, Default)]
pub struct ContextInfo {
    /// `Context.name`.
    pub name: String,
    /// The context type's name.
    pub type_name: String,
}

/// The pipeline context and the stage context of an execution associated with the
/// contexts `ctxs`: a pipeline-typed context among them, else the first pipeline-typed
/// ancestor (through `parents`) of its stage or of any of its contexts, else that
/// chain's root.
pub fn resolve_contexts<'a>(
    ctxs: &[i64],
    contexts: &'a HashMap<i64, ContextInfo>,
    parents: &HashMap<i64, i64>,
) -> (Option<&'a ContextInfo>, Option<&'a ContextInfo>) {
    let of_type = |types: &[&str]| {
        ctxs.iter().filter_map(|c| contexts.get(c)).find(|c| types.contains(&c.type_name.as_str()))
    };
    let stage = of_type(&STAGE_CONTEXT_TYPES);
    let stage_id = ctxs.iter().copied().find(|c| {
        contexts.get(c).is_some_and(|i| STAGE_CONTEXT_TYPES.contains(&i.type_name.as_str()))
    });
    // Walk up from a context: the first pipeline-typed ancestor, else the root.
    let ancestor = |start: i64| -> Option<&'a ContextInfo> {
        let mut cur = start;
        let mut root = None;
        for _ in 0..MAX_CONTEXT_DEPTH {
            let Some(&p) = parents.get(&cur) else { break };
            let info = contexts.get(&p)?;
            if PIPELINE_CONTEXT_TYPES.contains(&info.type_name.as_str()) {
                return Some(info);
            }
            root = Some(info);
            cur = p;
        }
        root
    };
    let pipeline = of_type(&PIPELINE_CONTEXT_TYPES)
        .or_else(|| stage_id.and_then(ancestor))
        .or_else(|| ctxs.iter().find_map(|&c| ancestor(c)));
    (pipeline, stage)
}

/// The run of an execution associated with the contexts `ctxs`: a run-typed context
/// among them ([`RUN_CONTEXT_TYPES`]: TFX `pipeline_run`, KFP `system.PipelineRun`), else
/// the nearest run-typed ancestor (through `parents`) of one of them, tried in the order
/// of `ctxs`. `None` for stores that record no runs (cmflib).
///
/// ```
/// use std::collections::HashMap;
/// use mlmd_lens::conventions::{resolve_run, ContextInfo};
/// let info = |n: &str, t: &str| ContextInfo { name: n.into(), type_name: t.into() };
/// let contexts: HashMap<i64, ContextInfo> =
///     [(1, info("taxi", "pipeline")), (2, info("run-0", "pipeline_run")), (3, info("taxi.Trainer.0", "node"))]
///         .into_iter()
///         .collect();
/// let parents: HashMap<i64, i64> = [(2, 1), (3, 2)].into_iter().collect();
/// assert_eq!(resolve_run(&[1, 2, 3], &contexts, &parents).map(|(id, _)| id), Some(2));
/// assert_eq!(resolve_run(&[3], &contexts, &parents).map(|(id, _)| id), Some(2));
/// assert!(resolve_run(&[1], &contexts, &parents).is_none());
/// ```
pub fn resolve_run<'a>(
    ctxs: &[i64],
    contexts: &'a HashMap<i64, ContextInfo>,
    parents: &HashMap<i64, i64>,
) -> Option<(i64, &'a ContextInfo)> {
    let run_typed =
        |id: i64| contexts.get(&id).filter(|c| is_run_context_type(&c.type_name)).map(|c| (id, c));
    if let Some(found) = ctxs.iter().find_map(|&c| run_typed(c)) {
        return Some(found);
    }
    ctxs.iter().find_map(|&start| {
        let mut cur = start;
        for _ in 0..MAX_CONTEXT_DEPTH {
            let &p = parents.get(&cur)?;
            if let Some(found) = run_typed(p) {
                return Some(found);
            }
            cur = p;
        }
        None
    })
}

/// True for a context type that means "a run of a pipeline" ([`RUN_CONTEXT_TYPES`]).
///
/// ```
/// assert!(mlmd_lens::conventions::is_run_context_type("pipeline_run"));
/// assert!(mlmd_lens::conventions::is_run_context_type("system.PipelineRun"));
/// assert!(!mlmd_lens::conventions::is_run_context_type("Parent_Context"));
/// ```
pub fn is_run_context_type(type_name: &str) -> bool {
    RUN_CONTEXT_TYPES.contains(&type_name)
}

/// The software a store flavour (see [`flavor_of`]) names, as users know it.
///
/// ```
/// assert_eq!(mlmd_lens::conventions::flavor_writer("cmf"), "cmflib");
/// ```
pub fn flavor_writer(flavor: &str) -> &'static str {
    match flavor {
        "cmf" => "cmflib",
        "tfx" => "TFX",
        "kfp" => "Kubeflow Pipelines",
        _ => "ml-metadata",
    }
}

/// What wrote the store, from the context types it uses: `cmf`, `kfp`, `tfx` or `mlmd`.
///
/// ```
/// use mlmd_lens::conventions::flavor_of;
/// assert_eq!(flavor_of(["pipeline", "node"].into_iter()), "tfx");
/// assert_eq!(flavor_of(std::iter::empty()), "mlmd");
/// ```
pub fn flavor_of<'a>(mut types: impl Iterator<Item = &'a str>) -> &'static str {
    let mut flavor = "mlmd";
    for t in types.by_ref() {
        match t {
            "Parent_Context" | "Pipeline_Stage" => return "cmf",
            "system.Pipeline" | "system.PipelineRun" => flavor = "kfp",
            "pipeline" | "node" | "pipeline_run" if flavor == "mlmd" => flavor = "tfx",
            _ => {}
        }
    }
    flavor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavor_is_told_by_context_types() {
        assert_eq!(flavor_of(["pipeline", "node"].into_iter()), "tfx");
        assert_eq!(flavor_of(["Parent_Context"].into_iter()), "cmf");
        assert_eq!(flavor_of(["system.PipelineRun"].into_iter()), "kfp");
        assert_eq!(flavor_of(std::iter::empty()), "mlmd");
    }

    #[test]
    fn a_run_parent_cycle_ends() {
        let contexts: HashMap<i64, ContextInfo> = [
            (1, ContextInfo { name: "a".into(), type_name: "node".into() }),
            (2, ContextInfo { name: "b".into(), type_name: "node".into() }),
        ]
        .into_iter()
        .collect();
        let parents: HashMap<i64, i64> = [(1, 2), (2, 1)].into_iter().collect();
        assert!(resolve_run(&[1], &contexts, &parents).is_none());
    }

    #[test]
    fn a_parent_cycle_ends() {
        let contexts: HashMap<i64, ContextInfo> = [
            (1, ContextInfo { name: "a".into(), type_name: "x".into() }),
            (2, ContextInfo { name: "b".into(), type_name: "x".into() }),
        ]
        .into_iter()
        .collect();
        let parents: HashMap<i64, i64> = [(1, 2), (2, 1)].into_iter().collect();
        let (pipeline, stage) = resolve_contexts(&[1], &contexts, &parents);
        assert!(stage.is_none());
        assert!(pipeline.is_some());
    }
}
