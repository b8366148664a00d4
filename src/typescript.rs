//! The TypeScript types of everything that crosses to JavaScript, generated from the Rust
//! types (ts-rs, a test-only dependency: nothing of it reaches the wasm). The test below
//! writes them to `js/types/core.d.ts` when `UPDATE_TYPES=1` and otherwise fails when the
//! committed file is out of date; `src/wasm.rs` includes that file in `pkg/mlmd_lens.d.ts`.

use ts_rs::{Config, TS};

use crate::model::{Status, Value};

/// `Status` serializes as its label.
impl TS for Status {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn name(_: &Config) -> String {
        "Status".into()
    }

    fn inline(_: &Config) -> String {
        Status::ALL.iter().map(|s| format!("\"{}\"", s.label())).collect::<Vec<_>>().join(" | ")
    }

    fn decl(cfg: &Config) -> String {
        format!("type Status = {};", Self::inline(cfg))
    }

    fn decl_concrete(cfg: &Config) -> String {
        Self::decl(cfg)
    }
}

/// `Value` serializes as plain JSON (see `Value::to_json`).
impl TS for Value {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn name(_: &Config) -> String {
        "JsonValue".into()
    }

    fn inline(_: &Config) -> String {
        "number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue }".into()
    }

    fn decl(cfg: &Config) -> String {
        format!("type JsonValue = {};", Self::inline(cfg))
    }

    fn decl_concrete(cfg: &Config) -> String {
        Self::decl(cfg)
    }
}

/// Every declaration, in a stable order.
fn declarations() -> String {
    use crate::features::alerts::{AlertCount, AlertSummary};
    use crate::features::compare::{
        ArtifactCell, ArtifactChange, ArtifactDiff, CompareGroup, CompareOptions, CompareRow,
        Comparison, GroupKind, Verdict,
    };
    use crate::features::compare_chart::ChartOptions;
    use crate::features::explain::{EmptyExplanation, FilterPart, Suggestion};
    use crate::features::export::ExportOptions;
    use crate::features::lineage::graph::{
        LineageGraph, LineageGraphEdge, LineageGraphNode, LineageOptions,
    };
    use crate::features::lineage::{Lineage, LineageEdge, LineageNode};
    use crate::features::metric_scatter::MetricScatter;
    use crate::features::stats::{Bucket, DurationStats, GroupStats, Stats};
    use crate::features::timeline::Timeline;
    use crate::model::*;
    use crate::query::{
        AlertRule, AlertRules, Example, ExecutionQuery, FieldInfo, FieldKind, NamedAlertRule,
        TimeBound,
    };
    use crate::vocabulary::{CompareLimits, QueryLimits, StatusInfo, Vocabulary};
    let cfg = Config::new().with_large_int("number");
    let decls = [
        Status::decl(&cfg),
        Value::decl(&cfg),
        PropertyRole::decl(&cfg),
        TypedProperty::decl(&cfg),
        Properties::decl(&cfg),
        ExecutionRow::decl(&cfg),
        ExecutionPage::decl(&cfg),
        GitInfo::decl(&cfg),
        ContextRef::decl(&cfg),
        Artifact::decl(&cfg),
        Event::decl(&cfg),
        ExecutionDetails::decl(&cfg),
        Summary::decl(&cfg),
        PropertyName::decl(&cfg),
        DurationStats::decl(&cfg),
        GroupStats::decl(&cfg),
        Bucket::decl(&cfg),
        Stats::decl(&cfg),
        Direction::decl(&cfg),
        MetricSource::decl(&cfg),
        Metric::decl(&cfg),
        GroupKind::decl(&cfg),
        Verdict::decl(&cfg),
        CompareRow::decl(&cfg),
        ArtifactCell::decl(&cfg),
        ArtifactChange::decl(&cfg),
        ArtifactDiff::decl(&cfg),
        CompareGroup::decl(&cfg),
        Comparison::decl(&cfg),
        CompareOptions::decl(&cfg),
        ChartOptions::decl(&cfg),
        MetricScatter::decl(&cfg),
        LineageNode::decl(&cfg),
        LineageEdge::decl(&cfg),
        Lineage::decl(&cfg),
        LineageOptions::decl(&cfg),
        LineageGraphNode::decl(&cfg),
        LineageGraphEdge::decl(&cfg),
        LineageGraph::decl(&cfg),
        Timeline::decl(&cfg),
        FieldKind::decl(&cfg),
        FieldInfo::decl(&cfg),
        Example::decl(&cfg),
        StatusInfo::decl(&cfg),
        CompareLimits::decl(&cfg),
        QueryLimits::decl(&cfg),
        Vocabulary::decl(&cfg),
        TimeBound::decl(&cfg),
        NamedAlertRule::decl(&cfg),
        AlertRule::decl(&cfg),
        AlertRules::decl(&cfg),
        AlertCount::decl(&cfg),
        AlertSummary::decl(&cfg),
        FilterPart::decl(&cfg),
        Suggestion::decl(&cfg),
        EmptyExplanation::decl(&cfg),
        ExecutionQuery::decl(&cfg),
        ExportOptions::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src/typescript.rs (UPDATE_TYPES=1 cargo test --lib typescript).\n\
         // Do not edit: change the Rust type and regenerate.\n\n",
    );
    for d in decls {
        // One member per line and the closing brace on its own line, so that
        // wasm-bindgen's indentation of pkg/mlmd_lens.d.ts stays right.
        let d = d.trim().replace(", };", ",\n};");
        out.push_str("export ");
        for line in d.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

#[test]
fn typescript_declarations_match_the_rust_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js/types/core.d.ts");
    let want = declarations();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "js/types/core.d.ts is out of date with the Rust types: run `UPDATE_TYPES=1 cargo test --lib typescript` and commit it"
    );
}
