//! Compare (issue 13): metrics from the Metrics artifacts an execution outputs, equal to
//! plain SQL over `ArtifactProperty`; groups; deltas, verdicts and best marks against a
//! chosen baseline; duplicate metric names kept apart; charts that parse as XML, hold one
//! bar per execution per metric and keep hostile names as text.

mod common;

use std::collections::BTreeMap;

use common::{fixture, raw, temp_copy};
use mlmd_lens::{
    ChartKind, ChartOptions, CompareOptions, Comparison, GroupKind, MetricSource, Store, Value,
    Verdict,
};
use rusqlite::Connection;

/// The three mnist Evaluate runs of cmf_small: each outputs one `Metrics` artifact.
const EVALUATE: [i64; 3] = [4, 8, 12];

fn cmf() -> Store {
    Store::open_path(fixture("cmf_small.sqlite")).unwrap()
}

fn compare(store: &Store, ids: &[i64], baseline: Option<i64>) -> Comparison {
    store.compare(ids, &CompareOptions { baseline }).unwrap()
}

/// name → value of every numeric custom property of the Metrics-typed artifacts that
/// execution `id` output, by SQL.
fn metrics_by_sql(conn: &Connection, id: i64) -> BTreeMap<String, f64> {
    let mut stmt = conn
        .prepare(
            "SELECT ap.name, COALESCE(ap.double_value, ap.int_value) FROM Event e
             JOIN Artifact a ON a.id = e.artifact_id JOIN Type t ON t.id = a.type_id
             JOIN ArtifactProperty ap ON ap.artifact_id = a.id
             WHERE e.execution_id = ?1 AND e.type = 4 AND t.name LIKE '%Metrics%'
               AND COALESCE(ap.double_value, ap.int_value) IS NOT NULL",
        )
        .unwrap();
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn metrics_of_evaluate_runs_equal_sql_over_their_metrics_artifacts() {
    let store = cmf();
    let conn = raw(&fixture("cmf_small.sqlite"));
    let c = compare(&store, &EVALUATE, None);
    let rows = &c.group(GroupKind::Metrics).rows;
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["accuracy", "avg_prec", "roc_auc"]);
    for (i, &id) in EVALUATE.iter().enumerate() {
        let want = metrics_by_sql(&conn, id);
        assert_eq!(want.len(), 3, "execution {id}");
        for (name, value) in &want {
            let row = rows.iter().find(|r| r.name == *name).unwrap();
            assert_eq!(row.values[i], Value::Double(*value), "{name} of {id}");
            match &row.sources[i] {
                Some(MetricSource::Artifact { type_name, name, .. }) => {
                    assert_eq!(type_name, "Metrics");
                    assert!(name.starts_with("metrics:") && name.ends_with(&format!(":{id}")));
                }
                other => panic!("{name} of {id} comes from {other:?}"),
            }
        }
        // The façade's per-execution list holds the same values.
        let metrics = store.metrics(id).unwrap();
        let got: BTreeMap<String, f64> =
            metrics.iter().map(|m| (m.name.clone(), m.value.as_number().unwrap())).collect();
        assert_eq!(got, want);
    }
    // cmflib's `metrics_name` (text) and the Step_Metrics' Commit/url are not metrics.
    let train = compare(&store, &[3, 7, 11], None);
    assert!(train.group(GroupKind::Metrics).rows.is_empty());
}

#[test]
fn groups_come_in_order_with_parameters_first_and_bookkeeping_folded_last() {
    let c = compare(&cmf(), &[3, 7, 11], None);
    let kinds: Vec<GroupKind> = c.groups.iter().map(|g| g.kind).collect();
    use GroupKind::*;
    assert_eq!(kinds, [Parameters, Metrics, Artifacts, Git, Timing, Bookkeeping]);
    assert!(c.groups.iter().all(|g| g.folded == (g.kind == Bookkeeping)));
    let params: Vec<&str> = c.group(Parameters).rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        params,
        ["batch_size", "cuda_version", "epochs", "gpu_used", "learning_rate", "optimizer"]
    );
    let git: Vec<&str> = c.group(Git).rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(git, ["Git_End_Commit", "Git_Repo", "Git_Start_Commit"]);
    let bookkeeping: Vec<&str> =
        c.group(Bookkeeping).rows.iter().map(|r| r.name.as_str()).collect();
    for name in
        ["Execution_type_name", "Context_Type", "Pipeline_id", "Pipeline_Type", "Execution_uuid"]
    {
        assert!(bookkeeping.contains(&name), "{name} in {bookkeeping:?}");
    }
    let timing = &c.group(Timing).rows;
    let duration = timing.iter().find(|r| r.property == "durationMs").unwrap();
    assert_eq!(
        duration.values,
        c.executions.iter().map(|x| Value::Int(x.duration_ms.unwrap())).collect::<Vec<_>>()
    );
    // Artifacts: the Environment file is shared; every run wrote its own model.
    let arts = &c.group(Artifacts).artifacts;
    let env = arts.iter().find(|a| a.type_name == "Environment").unwrap();
    assert_eq!(env.change, mlmd_lens::ArtifactChange::Same);
    let model = arts.iter().find(|a| a.type_name == "Model" && a.direction == "OUTPUT").unwrap();
    assert_eq!(model.change, mlmd_lens::ArtifactChange::Changed);
    assert!(model.changed.contains(&"version"));
    // cmflib's step metrics (`cmf_artifacts/<execution uuid>/metrics/…`) line up across runs.
    let steps: Vec<_> = arts.iter().filter(|a| a.type_name == "Step_Metrics").collect();
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].key, "cmf_artifacts/*/metrics/training_metrics");
    assert_eq!(steps[0].change, mlmd_lens::ArtifactChange::Changed);
}

#[test]
fn deltas_verdicts_and_best_follow_the_chosen_baseline() {
    let store = cmf();
    let conn = raw(&fixture("cmf_small.sqlite"));
    let accuracy: Vec<f64> =
        EVALUATE.iter().map(|&id| metrics_by_sql(&conn, id)["accuracy"]).collect();
    for (b, &baseline) in EVALUATE.iter().enumerate() {
        let c = compare(&store, &EVALUATE, Some(baseline));
        assert_eq!((c.baseline, c.baseline_index), (baseline, b));
        let row = c.group(GroupKind::Metrics).rows.iter().find(|r| r.name == "accuracy").unwrap();
        assert_eq!(row.direction, mlmd_lens::conventions::Direction::Higher);
        for i in 0..3 {
            let d = accuracy[i] - accuracy[b];
            assert!((row.deltas[i].unwrap() - d).abs() < 1e-12);
            let pct = d / accuracy[b].abs() * 100.0;
            assert!((row.delta_percents[i].unwrap() - pct).abs() < 1e-9);
            let want = if i == b {
                Verdict::Baseline
            } else if d > 0.0 {
                Verdict::Better
            } else {
                Verdict::Worse
            };
            assert_eq!(row.verdicts[i], want, "accuracy of {} vs {baseline}", EVALUATE[i]);
        }
        // The best does not depend on the baseline: #8 has the highest accuracy.
        let best = accuracy.iter().cloned().fold(f64::MIN, f64::max);
        assert_eq!(row.best, vec![accuracy.iter().position(|&a| a == best).unwrap()]);
        assert_eq!(row.best, vec![1]);
    }
    let err = store.compare(&EVALUATE, &CompareOptions { baseline: Some(3) }).unwrap_err();
    assert_eq!(err.kind(), "invalid-argument");
    assert!(err.to_string().contains("baseline 3"), "{err}");
}

/// cmf_small with a second Metrics artifact output by execution 4 (also logging
/// `accuracy`, and a `loss`), an `accuracy` execution property on 8, and a metric with a
/// hostile name on both 4's and 8's Metrics artifacts.
fn store_with_duplicates() -> Store {
    let path = temp_copy("cmf_small.sqlite", "compare-duplicates");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO Artifact (id, type_id, uri, name, create_time_since_epoch, last_update_time_since_epoch)
           SELECT 1000, type_id, 'second', 'metrics:second:4', 0, 0 FROM Artifact WHERE id = 9;
         INSERT INTO Event (artifact_id, execution_id, type, milliseconds_since_epoch)
           VALUES (1000, 4, 4, 1795573230700);
         INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, double_value)
           VALUES (1000, 'accuracy', 1, 0.5), (1000, 'loss', 1, 0.25);
         INSERT INTO ExecutionProperty (execution_id, name, is_custom_property, double_value)
           VALUES (8, 'accuracy', 1, 0.9);
         INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, double_value)
           VALUES (9, '<img src=x onerror=alert(1)>', 1, 1.5), (16, '<img src=x onerror=alert(1)>', 1, 2.5);",
    )
    .unwrap();
    drop(conn);
    let store = Store::open_bytes(&std::fs::read(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).ok();
    store
}

#[test]
fn duplicate_metric_names_are_kept_apart_by_source() {
    let store = store_with_duplicates();
    let c = compare(&store, &EVALUATE, None);
    let rows = &c.group(GroupKind::Metrics).rows;
    let accuracy: Vec<(&str, &Vec<Value>)> = rows
        .iter()
        .filter(|r| r.property == "accuracy")
        .map(|r| (r.name.as_str(), &r.values))
        .collect();
    assert_eq!(
        accuracy,
        [
            ("accuracy (execution)", &vec![Value::Null, Value::Double(0.9), Value::Null]),
            (
                "accuracy (Metrics #1)",
                &vec![Value::Double(0.7425), Value::Double(0.8624), Value::Double(0.7343)]
            ),
            ("accuracy (Metrics #2)", &vec![Value::Double(0.5), Value::Null, Value::Null]),
        ]
    );
    // Not duplicated anywhere: one plain row.
    assert!(rows.iter().any(|r| r.name == "roc_auc"));
    // Every value any execution records appears once: none dropped.
    for (i, &id) in EVALUATE.iter().enumerate() {
        let recorded = store.metrics(id).unwrap().len();
        let shown = rows.iter().filter(|r| r.values[i] != Value::Null).count();
        assert_eq!(shown, recorded, "execution {id}");
    }
    // The execution-level `accuracy` is a metric, not a parameter.
    assert!(c.group(GroupKind::Parameters).rows.iter().all(|r| r.property != "accuracy"));
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("the SVG does not parse: {e}"))
}

fn marks<'a>(doc: &'a roxmltree::Document<'a>, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.attribute("class") == Some(class)).collect()
}

#[test]
fn metrics_chart_has_one_bar_per_execution_per_metric_with_titles() {
    let store = cmf();
    let options = ChartOptions { baseline: Some(8), metric: None };
    let svg = store.compare_chart(&EVALUATE, ChartKind::Metrics, &options).unwrap();
    let doc = parse(&svg);
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(doc.root_element().attribute("data-chart"), Some("metrics"));
    let bars = marks(&doc, "bar");
    assert_eq!(bars.len(), 3 * 3);
    for metric in ["accuracy", "avg_prec", "roc_auc"] {
        let ids: Vec<&str> = bars
            .iter()
            .filter(|b| b.attribute("data-metric") == Some(metric))
            .map(|b| b.attribute("data-execution").unwrap())
            .collect();
        assert_eq!(ids, ["4", "8", "12"], "{metric}");
    }
    let title = |b: &roxmltree::Node| {
        b.children().find(|n| n.has_tag_name("title")).and_then(|t| t.text()).unwrap().to_string()
    };
    let titles: Vec<String> = bars.iter().map(title).collect();
    assert!(
        titles[1].contains("accuracy: 0.8624 (baseline)") && titles[1].contains("★ best"),
        "{}",
        titles[1]
    );
    assert!(titles[0].contains("accuracy: 0.7425 (-0.1199, -13.9% vs #8; worse)"), "{}", titles[0]);
    // Nothing executable.
    for n in doc.descendants() {
        assert!(!n.has_tag_name("script") && !n.has_tag_name("foreignObject"));
        assert!(n.attributes().all(|a| !a.name().to_ascii_lowercase().starts_with("on")));
    }
}

#[test]
fn duration_and_parallel_charts_parse() {
    let store = cmf();
    let svg = store.compare_chart(&[3, 7, 11], ChartKind::Duration, &Default::default()).unwrap();
    let doc = parse(&svg);
    let bars = marks(&doc, "bar");
    assert_eq!(bars.len(), 3);
    assert!(bars.iter().all(|b| b.attribute("data-metric") == Some("duration")));

    let options = ChartOptions { baseline: None, metric: Some("roc_auc".into()) };
    let svg = store.compare_chart(&EVALUATE, ChartKind::Parallel, &options).unwrap();
    let doc = parse(&svg);
    let lines = marks(&doc, "line");
    assert_eq!(lines.len(), 3, "one line per execution");
    assert!(lines.iter().all(|l| l.attribute("data-metric") == Some("roc_auc")));
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains("→ roc_auc") && text.contains("threshold"), "{text}");

    let bad = ChartOptions { baseline: None, metric: Some("nope".into()) };
    let err = store.compare_chart(&EVALUATE, ChartKind::Parallel, &bad).unwrap_err();
    assert_eq!(err.kind(), "invalid-argument");
    // Train runs record no metric: a chart that says so, not an error.
    let svg = store.compare_chart(&[3, 7, 11], ChartKind::Metrics, &Default::default()).unwrap();
    assert!(parse(&svg).descendants().any(|n| n.text().is_some_and(|t| t.contains("No metrics"))));
}

#[test]
fn hostile_metric_names_stay_text_in_the_svg() {
    let store = store_with_duplicates();
    let hostile = "<img src=x onerror=alert(1)>";
    let svg = store.compare_chart(&EVALUATE, ChartKind::Metrics, &Default::default()).unwrap();
    assert!(!svg.contains("<img"), "the name is escaped");
    let doc = parse(&svg);
    assert!(doc.descendants().all(|n| !n.has_tag_name("img")));
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(texts.iter().any(|t| t.contains(hostile)), "the name is shown as text");
    let bars = marks(&doc, "bar");
    assert!(bars.iter().any(|b| b.attribute("data-metric") == Some(hostile)));
    // One bar per execution per metric, also with the duplicates split (4 + 1 rows…).
    let metrics = compare(&store, &EVALUATE, None).group(GroupKind::Metrics).rows.clone();
    let values: usize =
        metrics.iter().map(|r| r.values.iter().filter(|v| **v != Value::Null).count()).sum();
    assert_eq!(bars.len(), values);
    for n in doc.descendants() {
        assert!(n.attributes().all(|a| !a.name().to_ascii_lowercase().starts_with("on")));
    }
}

#[test]
fn metric_scatter_over_a_search_ranks_best_first() {
    let store = cmf();
    let conn = raw(&fixture("cmf_small.sqlite"));
    let q =
        mlmd_lens::ExecutionQuery { query: Some("stage:Evaluate".into()), ..Default::default() };
    let s = store.metric_scatter(&q, Some("accuracy"), None).unwrap();
    assert_eq!((s.total, s.considered), (5, 5));
    assert_eq!(s.ids, store.execution_ids(&q).unwrap());
    let want: Vec<f64> = s.ids.iter().map(|&id| metrics_by_sql(&conn, id)["accuracy"]).collect();
    assert_eq!(s.y, want);
    assert_eq!(s.metrics, ["accuracy", "avg_prec", "roc_auc"]);
    assert_eq!((s.parameter.as_str(), s.x_numeric), ("threshold", true));
    let ranked: Vec<i64> = s.ranking.iter().map(|&i| s.ids[i]).collect();
    let mut by_value: Vec<(f64, i64)> = want.iter().copied().zip(s.ids.iter().copied()).collect();
    by_value.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert_eq!(ranked, by_value.iter().map(|p| p.1).collect::<Vec<_>>());
    assert_eq!(ranked[0], 8);

    // Lower is better for a loss: the ranking is ascending; text parameters are categories.
    let tfx = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let all = mlmd_lens::ExecutionQuery::default();
    let s = tfx.metric_scatter(&all, Some("loss"), Some("optimizer")).unwrap();
    assert!(!s.x_numeric && !s.x_categories.is_empty());
    assert_eq!(s.direction, mlmd_lens::conventions::Direction::Lower);
    let ranked: Vec<f64> = s.ranking.iter().map(|&i| s.y[i]).collect();
    assert!(ranked.windows(2).all(|w| w[0] <= w[1]), "{ranked:?}");
    for (name, metric, parameter) in
        [("metric", Some("nope"), None), ("parameter", None, Some("nope"))]
    {
        let err = tfx.metric_scatter(&all, metric, parameter).unwrap_err();
        assert_eq!(err.kind(), "invalid-argument", "{name}");
    }

    // The chart: one point per execution that records the metric, the best marked.
    let svg = store.metric_scatter_chart(&q, Some("roc_auc"), None).unwrap();
    let doc = parse(&svg);
    let points = marks(&doc, "point");
    assert_eq!(points.len(), 5);
    assert!(points.iter().all(|p| p.attribute("data-metric") == Some("roc_auc")));
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        text.contains("★ best") && text.contains("roc_auc ↑ higher is better vs threshold"),
        "{text}"
    );
}

#[test]
fn details_carry_each_property_role_and_the_metrics() {
    use mlmd_lens::PropertyRole::*;
    let store = cmf();
    let d = store.execution(3).unwrap();
    let role = |name: &str| d.typed_properties.iter().find(|p| p.name == name).unwrap().role;
    assert_eq!(role("learning_rate"), Parameter);
    assert_eq!(role("epochs"), Parameter);
    assert_eq!(role("Git_Start_Commit"), Git);
    assert_eq!(role("Execution_type_name"), Bookkeeping);
    assert!(d.metrics.is_empty(), "a Train run's Step_Metrics hold a file, not values");
    let d = store.execution(8).unwrap();
    assert_eq!(d.metrics, store.metrics(8).unwrap());
    assert_eq!(
        d.metrics.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["accuracy", "avg_prec", "roc_auc"]
    );
}

/// TFX's Evaluator writes a `ModelBlessing` (`blessed` = 1 or 0): tfx_pipeline.sqlite with
/// one output by Trainer runs 5 and 17 (the fixture's pipeline has no Evaluator).
#[test]
fn tfx_model_blessing_compares_as_a_metric() {
    let path = temp_copy("tfx_pipeline.sqlite", "compare-blessing");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO Type (id, name, type_kind) VALUES (100, 'ModelBlessing', 1);
         INSERT INTO Artifact (id, type_id, uri, create_time_since_epoch, last_update_time_since_epoch)
           VALUES (100, 100, '/data/tfx/blessing/5', 0, 0), (101, 100, '/data/tfx/blessing/17', 0, 0);
         INSERT INTO Event (artifact_id, execution_id, type) VALUES (100, 5, 4), (101, 17, 4);
         INSERT INTO EventPath (event_id, is_index_step, step_key)
           SELECT id, 0, 'blessing' FROM Event WHERE artifact_id IN (100, 101);
         INSERT INTO ArtifactProperty (artifact_id, name, is_custom_property, int_value)
           VALUES (100, 'blessed', 1, 1), (101, 'blessed', 1, 0),
                  (100, 'current_model_id', 1, 5), (101, 'current_model_id', 1, 14);",
    )
    .unwrap();
    drop(conn);
    let store = Store::open_bytes(&std::fs::read(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).ok();
    let c = compare(&store, &[5, 17], None);
    let rows = &c.group(GroupKind::Metrics).rows;
    assert_eq!(
        rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["blessed"],
        "model ids are not metrics"
    );
    let blessed = &rows[0];
    assert_eq!(blessed.values, [Value::Int(1), Value::Int(0)]);
    assert_eq!(blessed.verdicts, [Verdict::Baseline, Verdict::Worse]);
    assert_eq!(blessed.best, [0]);
    assert!(
        matches!(&blessed.sources[0], Some(MetricSource::Artifact { type_name, id: 100, .. }) if type_name == "ModelBlessing")
    );
    // Matched by the event key (TFX artifacts have no name): one changed row.
    let arts = &c.group(GroupKind::Artifacts).artifacts;
    let blessing = arts.iter().find(|a| a.type_name == "ModelBlessing").unwrap();
    assert_eq!(
        (blessing.key.as_str(), blessing.change),
        ("blessing", mlmd_lens::ArtifactChange::Changed)
    );
}
