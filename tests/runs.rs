//! Pipeline runs over the fixtures, each expectation computed from SQL: run membership
//! (Association to the `pipeline_run` contexts, or through ParentContext), `run:` /
//! `run=` and the `run` filter, `summary().runs`, the timeline grouped by run, and
//! `compare_runs` stage by stage.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{fixture, good_fixtures, raw};
use mlmd_lens::{Error, ExecutionQuery, Store};

/// Every execution's run context (id, name) as SQL finds it: a run-typed context it is
/// associated with, else a run-typed ancestor of one of its contexts (ParentContext).
fn sql_runs(path: &std::path::Path) -> BTreeMap<i64, (i64, String)> {
    let db = raw(path);
    let sql = "
        WITH RECURSIVE up(execution_id, context_id, depth) AS (
            SELECT execution_id, context_id, 0 FROM Association
            UNION
            SELECT up.execution_id, pc.parent_context_id, up.depth + 1
              FROM up JOIN ParentContext pc ON pc.context_id = up.context_id
             WHERE up.depth < 32)
        SELECT up.execution_id, c.id, c.name, MIN(up.depth)
          FROM up JOIN Context c ON c.id = up.context_id JOIN Type t ON t.id = c.type_id
         WHERE t.name IN ('pipeline_run', 'system.PipelineRun')
         GROUP BY up.execution_id, c.id";
    let mut st = db.prepare(sql).unwrap();
    let mut out: BTreeMap<i64, (i64, String)> = BTreeMap::new();
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    for row in rows {
        let (exec, ctx, name): (i64, i64, String) = row.unwrap();
        assert!(out.insert(exec, (ctx, name)).is_none(), "execution {exec} is in two runs");
    }
    out
}

fn all(store: &Store, q: ExecutionQuery) -> Vec<mlmd_lens::ExecutionRow> {
    store.executions(&ExecutionQuery { limit: Some(usize::MAX), ..q }).unwrap().rows
}

fn query(text: &str) -> ExecutionQuery {
    ExecutionQuery { query: Some(text.into()), ..Default::default() }
}

#[test]
fn run_membership_equals_association_to_the_run_contexts() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let want = sql_runs(&path);
        for r in all(&store, ExecutionQuery::default()) {
            match want.get(&r.id) {
                Some((ctx, name)) => {
                    assert_eq!(r.run_id, Some(*ctx), "{path:?} #{}", r.id);
                    assert_eq!(&r.run, name, "{path:?} #{}", r.id);
                }
                None => assert_eq!((r.run.as_str(), r.run_id), ("", None), "{path:?} #{}", r.id),
            }
        }
    }
}

#[test]
fn tfx_pipeline_runs_are_its_pipeline_run_associations() {
    let path = fixture("tfx_pipeline.sqlite");
    let db = raw(&path);
    let mut st = db
        .prepare(
            "SELECT a.execution_id, c.id FROM Association a JOIN Context c ON c.id = a.context_id
               JOIN Type t ON t.id = c.type_id WHERE t.name = 'pipeline_run'",
        )
        .unwrap();
    let direct: BTreeMap<i64, i64> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(direct.len(), 35, "every execution of the TFX fixture is in a run");
    let store = Store::open_path(&path).unwrap();
    let got: BTreeMap<i64, i64> = all(&store, ExecutionQuery::default())
        .into_iter()
        .map(|r| (r.id, r.run_id.expect("a run")))
        .collect();
    assert_eq!(got, direct);
}

#[test]
fn run_queries_and_the_run_filter_count_what_sql_counts() {
    for name in ["tfx_pipeline.sqlite", "mlmd_tfx.sqlite", "mlmd_tfx_v6.sqlite"] {
        let path = fixture(name);
        let store = Store::open_path(&path).unwrap();
        let runs = sql_runs(&path);
        let mut per_run: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for (exec, (_, run)) in &runs {
            per_run.entry(run.as_str()).or_default().push(*exec);
        }
        assert!(per_run.len() >= 4, "{name}");
        for (run, want) in &per_run {
            let ids = |q: ExecutionQuery| all(&store, q).iter().map(|r| r.id).collect::<Vec<_>>();
            let quoted = mlmd_lens::query::quote_value(run);
            assert_eq!(&ids(query(&format!("run={quoted}"))), want, "{name} run={run}");
            assert_eq!(&ids(query(&format!("run={}", quoted.to_uppercase()))), want);
            let filter = ExecutionQuery { run: Some(run.to_string()), ..Default::default() };
            assert_eq!(&ids(filter), want, "{name} run filter {run}");
            // NOT run=… is everything else (executions without a run too).
            let rest = ids(query(&format!("NOT run={quoted}")));
            assert_eq!(rest.len() + want.len(), store.summary().unwrap().executions);
        }
        // `run:` contains, as SQL's instr over the run names.
        let some = per_run.keys().next().unwrap();
        let part: String = some.chars().skip(3).take(8).collect();
        let want: Vec<i64> = runs
            .iter()
            .filter(|(_, (_, n))| n.to_lowercase().contains(&part.to_lowercase()))
            .map(|(e, _)| *e)
            .collect();
        let got: Vec<i64> =
            all(&store, query(&format!("run:{}", mlmd_lens::query::quote_value(&part))))
                .iter()
                .map(|r| r.id)
                .collect();
        assert_eq!(got, want, "{name} run:{part}");
        assert!(!got.is_empty());
    }
}

#[test]
fn summary_runs_match_sql() {
    for name in ["tfx_pipeline.sqlite", "mlmd_tfx.sqlite", "mlmd_tfx_v8.sqlite"] {
        let path = fixture(name);
        let db = raw(&path);
        // Per run: count, first start, last end of a finished execution, per-state counts.
        let mut st = db
            .prepare(
                "SELECT c.id, c.name, COUNT(*), MIN(e.create_time_since_epoch),
                        MAX(CASE WHEN e.last_known_state IN (1, 2) THEN NULL
                                 ELSE e.last_update_time_since_epoch END),
                        SUM(e.last_known_state = 2), SUM(e.last_known_state = 3),
                        SUM(e.last_known_state = 4), SUM(e.last_known_state = 5),
                        SUM(e.last_known_state = 6)
                   FROM Execution e JOIN Association a ON a.execution_id = e.id
                   JOIN Context c ON c.id = a.context_id JOIN Type t ON t.id = c.type_id
                  WHERE t.name = 'pipeline_run' GROUP BY c.id
                  ORDER BY MIN(e.create_time_since_epoch) DESC, c.id DESC",
            )
            .unwrap();
        type Row = (i64, String, usize, i64, Option<i64>, [usize; 5]);
        let n = |r: &rusqlite::Row, i: usize| r.get::<_, i64>(i).map(|v| v as usize);
        let want: Vec<Row> = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    n(r, 2)?,
                    r.get(3)?,
                    r.get(4)?,
                    [n(r, 5)?, n(r, 6)?, n(r, 7)?, n(r, 8)?, n(r, 9)?],
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let store = Store::open_path(&path).unwrap();
        let runs = store.summary().unwrap().runs;
        assert_eq!(runs.len(), want.len(), "{name}");
        for (got, (id, run, n, start, end, states)) in runs.iter().zip(&want) {
            assert_eq!((got.id, &got.name, got.executions), (*id, run, *n), "{name}");
            assert_eq!(got.start_ms, Some(*start), "{name} {run}");
            assert_eq!(got.end_ms, *end, "{name} {run}");
            assert_eq!(got.start.as_deref(), mlmd_lens::iso_from_ms(*start).as_deref());
            let labels = ["Running", "Completed", "Failed", "Cached", "Canceled"];
            let expect: BTreeMap<String, usize> = labels
                .iter()
                .zip(states)
                .filter(|(_, c)| **c > 0)
                .map(|(l, c)| (l.to_string(), *c))
                .collect();
            assert_eq!(got.status_counts, expect, "{name} {run}");
            assert!(!got.pipeline.is_empty());
        }
    }
}

#[test]
fn stores_without_runs_have_no_run_column_values_and_no_runs() {
    for name in ["cmf_small.sqlite", "mlmd_empty.sqlite"] {
        let store = Store::open_path(fixture(name)).unwrap();
        assert!(store.summary().unwrap().runs.is_empty(), "{name}");
        assert!(all(&store, ExecutionQuery::default()).iter().all(|r| r.run.is_empty()));
        assert_eq!(store.executions(&query("run:a")).unwrap().total, 0);
        if name == "cmf_small.sqlite" {
            // Why it finds nothing: the store records no runs.
            let why = store.explain_empty(&query("run:a")).unwrap();
            assert!(
                why.notes.iter().any(|n| n.contains("records no pipeline runs")),
                "{:?}",
                why.notes
            );
            let why = store
                .explain_empty(&ExecutionQuery { run: Some("x".into()), ..Default::default() })
                .unwrap();
            assert!(why.notes.iter().any(|n| n.contains("records no pipeline runs")));
        }
        let grouped = store
            .timeline(&ExecutionQuery { group_by: Some("run".into()), ..Default::default() })
            .unwrap();
        assert_eq!(grouped.lanes, store.timeline(&ExecutionQuery::default()).unwrap().lanes);
    }
}

#[test]
fn the_timeline_grouped_by_run_has_a_lane_per_run_and_stage_in_run_start_order() {
    let path = fixture("tfx_pipeline.sqlite");
    let store = Store::open_path(&path).unwrap();
    let t = store
        .timeline(&ExecutionQuery { group_by: Some("run".into()), ..Default::default() })
        .unwrap();
    let rows: HashMap<i64, mlmd_lens::ExecutionRow> =
        all(&store, ExecutionQuery::default()).into_iter().map(|r| (r.id, r)).collect();
    let mut pairs: Vec<(String, String)> =
        rows.values().map(|r| (r.run.clone(), r.stage.clone())).collect();
    pairs.sort();
    pairs.dedup();
    assert_eq!(t.lanes.len(), pairs.len());
    for (i, id) in t.ids.iter().enumerate() {
        let r = &rows[&(*id as i64)];
        assert_eq!(t.lanes[t.lane[i] as usize], format!("{} / {}", r.run, r.stage));
    }
    // Runs in the order they started, each run's stages in the order they first started:
    // the oldest run's CsvExampleGen first, its Trainer before its Pusher.
    let oldest = store.summary().unwrap().runs.last().unwrap().name.clone();
    assert_eq!(t.lanes[0], format!("{oldest} / CsvExampleGen"), "{:?}", t.lanes);
    let lane_of = |stage: &str| t.lanes.iter().position(|l| *l == format!("{oldest} / {stage}"));
    assert!(lane_of("Trainer") < lane_of("Pusher"));
    // Lane order is each lane's first start within a run, and runs never interleave.
    let first_start = |lane: usize| {
        (0..t.ids.len()).filter(|&i| t.lane[i] as usize == lane).map(|i| t.start[i] as i64).min()
    };
    for l in 1..t.lanes.len() {
        let (a, b) = (&t.lanes[l - 1], &t.lanes[l]);
        let run = |s: &str| s.split(" / ").next().unwrap().to_string();
        if run(a) == run(b) {
            assert!(first_start(l - 1) <= first_start(l), "{a} then {b}");
        }
    }
    let err = store
        .timeline(&ExecutionQuery { group_by: Some("day".into()), ..Default::default() })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
}

#[test]
fn runs_sort_by_run_name() {
    let store = Store::open_path(fixture("tfx_pipeline.sqlite")).unwrap();
    let rows = all(&store, ExecutionQuery { sort: Some("-run".into()), ..Default::default() });
    let names: Vec<&str> = rows.iter().map(|r| r.run.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
}

/// The execution of a node in a run, by SQL: associated with both contexts, the last by
/// start.
fn sql_stage_execution(db: &rusqlite::Connection, run: i64, node: &str) -> Option<i64> {
    db.query_row(
        "SELECT e.id FROM Execution e
           JOIN Association r ON r.execution_id = e.id AND r.context_id = ?1
           JOIN Association n ON n.execution_id = e.id
           JOIN Context c ON c.id = n.context_id AND c.name LIKE '%.' || ?2
          ORDER BY e.create_time_since_epoch DESC, e.id DESC LIMIT 1",
        rusqlite::params![run, node],
        |r| r.get(0),
    )
    .ok()
}

#[test]
fn compare_runs_lines_up_each_stage_of_the_runs() {
    let path = fixture("tfx_pipeline.sqlite");
    let db = raw(&path);
    let store = Store::open_path(&path).unwrap();
    // Run 2 trains for 2 steps; run 16 retrains with 60 steps; run 19's Trainer fails.
    let c = store.compare_runs(&[2, 16, 19]).unwrap();
    assert_eq!(c.runs.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 16, 19]);
    let stages: Vec<&str> = c.stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(
        stages,
        ["CsvExampleGen", "StatisticsGen", "SchemaGen", "ExampleValidator", "Trainer", "Pusher"]
    );
    for s in &c.stages {
        for (run, cell) in [2, 16, 19].iter().zip(&s.cells) {
            let want = sql_stage_execution(&db, *run, &s.stage);
            assert_eq!(cell.as_ref().map(|c| c.execution_id), want, "{} in run {run}", s.stage);
        }
    }
    let trainer = c.stages.iter().find(|s| s.stage == "Trainer").unwrap();
    let status: Vec<&str> =
        trainer.cells.iter().map(|c| c.as_ref().unwrap().status.label()).collect();
    assert_eq!(status, ["Completed", "Completed", "Failed"]);
    assert!(!trainer.same);
    // The train_args that differ, as ExecutionProperty holds them.
    let args = trainer.differences.iter().find(|d| d.name == "train_args").expect("train_args");
    for (cell, v) in trainer.cells.iter().zip(&args.values) {
        let id = cell.as_ref().unwrap().execution_id;
        let want: Option<String> = db
            .query_row(
                "SELECT string_value FROM ExecutionProperty WHERE execution_id = ?1 AND name = 'train_args'",
                [id],
                |r| r.get(0),
            )
            .ok();
        assert_eq!(v.as_ref().map(|v| v.as_text()), want, "train_args of #{id}");
    }
    // A stage whose status and properties match in every run is marked the same.
    for s in &c.stages {
        let statuses: Vec<_> = s.cells.iter().map(|c| c.as_ref().map(|c| c.status)).collect();
        let all_same = s.differences.is_empty() && statuses.windows(2).all(|w| w[0] == w[1]);
        assert_eq!(s.same, all_same && statuses.iter().all(Option::is_some), "{}", s.stage);
    }
    // Durations are the executions' own.
    let rows: HashMap<i64, Option<i64>> =
        all(&store, ExecutionQuery::default()).into_iter().map(|r| (r.id, r.duration_ms)).collect();
    for cell in c.stages.iter().flat_map(|s| s.cells.iter().flatten()) {
        assert_eq!(cell.duration_ms, rows[&cell.execution_id]);
    }
}

#[test]
fn compare_runs_of_different_pipelines_leaves_missing_stages_empty() {
    let store = Store::open_path(fixture("tfx_pipeline.sqlite")).unwrap();
    let c = store.compare_runs(&[2, 22]).unwrap();
    let schema_gen = c.stages.iter().find(|s| s.stage == "SchemaGen").unwrap();
    assert!(schema_gen.cells[0].is_some() && schema_gen.cells[1].is_none());
    let importer = c.stages.iter().find(|s| s.stage == "schema_importer").unwrap();
    assert!(importer.cells[0].is_none() && importer.cells[1].is_some());
    assert!(!importer.same);
}

#[test]
fn compare_runs_refuses_bad_ids_with_a_clear_message() {
    let store = Store::open_path(fixture("tfx_pipeline.sqlite")).unwrap();
    for ids in [&[2][..], &[2, 2], &[2, 15, 16, 19, 22, 34], &[2, 1], &[2, 9999]] {
        let err = store.compare_runs(ids).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{ids:?}: {err}");
    }
    let msg = store.compare_runs(&[2, 1]).unwrap_err().to_string();
    assert!(msg.contains("not a pipeline run"), "{msg}");
    let cmf = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    assert!(cmf.compare_runs(&[1, 6]).is_err());
}

/// A KFP-typed copy of the TFX fixture whose executions reach their run only through
/// their node context's parent (no direct Association to the run).
#[test]
fn kfp_runs_reached_through_parent_contexts() {
    let path = common::temp_copy("mlmd_tfx.sqlite", "kfp-runs");
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        db.execute_batch(
            "UPDATE Type SET name = 'system.PipelineRun' WHERE name = 'pipeline_run';
             UPDATE Type SET name = 'system.Pipeline' WHERE name = 'pipeline';
             DELETE FROM Association WHERE context_id IN (SELECT c.id FROM Context c
                 JOIN Type t ON t.id = c.type_id WHERE t.name = 'system.PipelineRun');",
        )
        .unwrap();
    }
    let want = sql_runs(&path);
    assert_eq!(want.len(), 20, "every execution reaches a run through its node");
    let store = Store::open_path(&path).unwrap();
    for r in all(&store, ExecutionQuery::default()) {
        assert_eq!(r.run_id, Some(want[&r.id].0), "#{}", r.id);
    }
    let runs = store.summary().unwrap().runs;
    assert_eq!(runs.len(), 4);
    assert_eq!(runs.iter().map(|r| r.executions).sum::<usize>(), 20);
    let c = store.compare_runs(&[runs[0].id, runs[1].id]).unwrap();
    assert_eq!(c.stages.len(), 5);
}

#[test]
fn the_csv_of_a_table_showing_runs_has_each_execution_s_run() {
    let path = fixture("tfx_pipeline.sqlite");
    let store = Store::open_path(&path).unwrap();
    let o: mlmd_lens::ExportOptions =
        serde_json::from_str(r#"{"columns": ["id", "run"], "properties": []}"#).unwrap();
    let text = store.export("csv", &o).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "id");
    let at = header.iter().position(|h| *h == "run").expect("a run column");
    let want = sql_runs(&path);
    let mut n = 0;
    for line in lines {
        // No cell of this export holds a comma (ids, UUID names, ISO times, run names).
        let cells: Vec<&str> = line.split(',').collect();
        let id: i64 = cells[0].parse().unwrap();
        assert_eq!(cells[at], want[&id].1, "#{id}");
        n += 1;
    }
    assert_eq!(n, 35);
}
