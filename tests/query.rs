//! The search language over the fixtures: named examples from the seed, expectations
//! computed with plain SQL, and a property test that compares every random query with a
//! brute-force evaluation over `execution(id)`.

mod common;

use std::cmp::Ordering;
use std::collections::BTreeSet;

use common::{fixture, good_fixtures, raw};
use mlmd_lens::query::{parse, parse_duration_ms, Expr, Field, Op};
use mlmd_lens::{
    CompareOptions, DayEnd, ExecutionDetails, ExecutionQuery, GroupKind, Status, Store, Value,
};
use proptest::prelude::*;

const NOW: i64 = 1_800_000_000_000;

/// Every row of the store, in the default order (by id).
fn all_rows(store: &Store) -> Vec<mlmd_lens::ExecutionRow> {
    let all = ExecutionQuery { limit: Some(usize::MAX), ..Default::default() };
    store.executions(&all).unwrap().rows
}

fn ids(store: &Store, query: &str) -> Vec<i64> {
    let q = ExecutionQuery {
        query: Some(query.into()),
        now: Some(NOW),
        limit: Some(usize::MAX),
        ..Default::default()
    };
    store.execution_ids(&q).unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn sql_ids(path: &std::path::Path, sql: &str) -> Vec<i64> {
    let db = raw(path);
    let mut st = db.prepare(sql).unwrap();
    let mut v: Vec<i64> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    v.sort();
    v
}

#[test]
fn seed_example_property_learning_rate() {
    let path = fixture("cmf_small.sqlite");
    let store = Store::open_path(&path).unwrap();
    let want = sql_ids(&path, "SELECT execution_id FROM ExecutionProperty WHERE name = 'learning_rate' AND CAST(string_value AS REAL) = 0.001");
    assert!(!want.is_empty());
    assert_eq!(ids(&store, "property:learning_rate=0.001"), want);
    let lt = sql_ids(&path, "SELECT execution_id FROM ExecutionProperty WHERE name = 'learning_rate' AND CAST(string_value AS REAL) < 0.01");
    assert_eq!(ids(&store, "property:learning_rate<0.01"), lt);
}

#[test]
fn seed_example_date_range() {
    let path = fixture("cmf_small.sqlite");
    let store = Store::open_path(&path).unwrap();
    let (lo, hi) = (
        mlmd_lens::parse_time_ms("2026-11-25", DayEnd::Start).unwrap(),
        mlmd_lens::parse_time_ms("2026-11-25", DayEnd::End).unwrap(),
    );
    let want = sql_ids(
        &path,
        &format!("SELECT id FROM Execution WHERE create_time_since_epoch BETWEEN {lo} AND {hi}"),
    );
    assert_eq!(ids(&store, "date:2026-11-25 TO 2026-11-25"), want);
    assert_eq!(ids(&store, "date:2026-01-01 TO 2026-01-31"), Vec::<i64>::new());
}

#[test]
fn seed_example_commit_prefix() {
    let path = fixture("cmf_small.sqlite");
    let store = Store::open_path(&path).unwrap();
    let want = sql_ids(&path, "SELECT execution_id FROM ExecutionProperty WHERE name = 'Git_Start_Commit' AND string_value LIKE '01dd1db9%'");
    assert!(!want.is_empty());
    assert_eq!(ids(&store, "commit:01dd1db9"), want);
    assert_eq!(ids(&store, "commit:01DD1DB9"), want, "hashes match case-insensitively");
}

#[test]
fn seed_example_combined() {
    let path = fixture("mlmd_tfx.sqlite");
    let store = Store::open_path(&path).unwrap();
    let want = sql_ids(
        &path,
        "SELECT e.id FROM Execution e JOIN ExecutionProperty p ON p.execution_id = e.id AND p.name = 'epochs' \
         WHERE e.last_known_state = 3 AND p.int_value > 10",
    );
    assert!(!want.is_empty());
    assert_eq!(ids(&store, "pipeline:taxi AND status:completed AND property:epochs>10"), want);
    let cmf = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    assert_eq!(
        ids(&cmf, "pipeline:mnist AND status:completed AND property:epochs>10"),
        Vec::<i64>::new(),
        "cmflib records no status"
    );
    assert_eq!(ids(&cmf, "pipeline:mnist AND property:epochs>10"), vec![11]);
}

#[test]
fn text_properties_compare_as_text_only_against_text() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    // optimizer holds text: > 'b' is a text comparison; > 5 compares text with a number: no match.
    let path = fixture("cmf_small.sqlite");
    let want = sql_ids(&path, "SELECT execution_id FROM ExecutionProperty WHERE name = 'optimizer' AND string_value > 'b'");
    assert_eq!(ids(&store, "property:optimizer>b"), want);
    assert_eq!(ids(&store, "property:optimizer>5"), Vec::<i64>::new());
    // A property some executions lack does not match, not even with !=.
    let with =
        sql_ids(&path, "SELECT execution_id FROM ExecutionProperty WHERE name = 'optimizer'");
    let ne = ids(&store, "property:optimizer!=zzz");
    assert_eq!(ne, with);
    let all: BTreeSet<i64> = (1..=20).collect();
    let not: BTreeSet<i64> = ids(&store, "NOT property:optimizer=zzz").into_iter().collect();
    assert_eq!(not, all);
}

#[test]
fn unknown_fields_and_bad_values_are_errors_with_positions() {
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    for (q, pos) in [
        ("status:done", 7),
        ("pipeline:x AND foo:1", 15),
        ("duration>soon", 9),
        ("date:31/01/2026", 5),
        ("id:abc", 3),
        ("status>failed", 7),
    ] {
        let err = store
            .executions(&ExecutionQuery { query: Some(q.into()), ..Default::default() })
            .unwrap_err();
        match err {
            mlmd_lens::Error::Query { position, .. } => assert_eq!(position, pos, "{q}: {err}"),
            other => panic!("{q}: {other}"),
        }
    }
}

#[test]
fn relative_dates_use_the_given_now() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let first = store
        .executions(&ExecutionQuery {
            sort: Some("started".into()),
            limit: Some(1),
            ..Default::default()
        })
        .unwrap()
        .rows[0]
        .started_ms
        .unwrap();
    let q = |text: &str, now: i64| {
        store
            .execution_ids(&ExecutionQuery {
                query: Some(text.into()),
                now: Some(now),
                limit: Some(usize::MAX),
                ..Default::default()
            })
            .unwrap()
            .len()
    };
    assert_eq!(q("date>=-1d", first + 3_600_000), 20);
    assert_eq!(q("date>=-1d", first + 30 * 86_400_000), 0);
    assert_eq!(q("date:today", first), q("date:today", first + 1));
}

#[test]
fn sort_by_property_is_numeric_aware() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let rows = |sort: &str| {
        store
            .execution_ids(&ExecutionQuery {
                sort: Some(sort.into()),
                limit: Some(usize::MAX),
                ..Default::default()
            })
            .unwrap()
    };
    let asc = rows("property:learning_rate");
    let lr = |id: i64| {
        store
            .execution(id)
            .unwrap()
            .props
            .custom_properties
            .get("learning_rate")
            .and_then(Value::as_number)
    };
    let vals: Vec<Option<f64>> = asc.iter().map(|&i| lr(i)).collect();
    let present: Vec<f64> = vals.iter().flatten().copied().collect();
    assert!(present.windows(2).all(|w| w[0] <= w[1]), "{vals:?}");
    assert!(
        vals.iter().skip(present.len()).all(Option::is_none),
        "missing values sort last: {vals:?}"
    );
    let desc = rows("-property:learning_rate");
    let dvals: Vec<f64> = desc.iter().filter_map(|&i| lr(i)).collect();
    assert!(dvals.windows(2).all(|w| w[0] >= w[1]));
    assert!(
        desc.iter().skip(dvals.len()).all(|&i| lr(i).is_none()),
        "missing last in descending too"
    );
}

// ---- brute-force oracle -------------------------------------------------------------

fn natural(a: &str, b: &str) -> Ordering {
    mlmd_lens_natural(a, b)
}

/// The same natural order the crate documents: digits compare as numbers, case-insensitive.
fn mlmd_lens_natural(a: &str, b: &str) -> Ordering {
    let split = |s: &str| -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let d = c.is_ascii_digit();
            match out.last_mut() {
                Some((kind, run)) if *kind == d && d => run.push(c),
                _ => out.push((d, c.to_string())),
            }
        }
        out
    };
    let (x, y) = (split(a), split(b));
    for (p, q) in x.iter().zip(&y) {
        let o = match (p.0, q.0) {
            (true, true) => {
                let (tp, tq) = (p.1.trim_start_matches('0'), q.1.trim_start_matches('0'));
                tp.len().cmp(&tq.len()).then(tp.cmp(tq))
            }
            _ => p.1.to_ascii_lowercase().cmp(&q.1.to_ascii_lowercase()),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len()).then(a.cmp(b))
}

fn cmp_ok(op: Op, o: Ordering) -> bool {
    match op {
        Op::Match | Op::Eq => o == Ordering::Equal,
        Op::Ne => o != Ordering::Equal,
        Op::Gt => o == Ordering::Greater,
        Op::Ge => o != Ordering::Less,
        Op::Lt => o == Ordering::Less,
        Op::Le => o != Ordering::Greater,
    }
}

fn span(text: &str) -> Option<(i64, i64)> {
    let t = text.to_ascii_lowercase();
    let day = 86_400_000;
    if t == "today" {
        let s = NOW.div_euclid(day) * day;
        return Some((s, s + day - 1));
    }
    if let Some(r) = t.strip_prefix('-') {
        let at = NOW - parse_duration_ms(r)?;
        return Some((at, at));
    }
    Some((
        mlmd_lens::parse_time_ms(&t, DayEnd::Start).ok()?,
        mlmd_lens::parse_time_ms(&t, DayEnd::End).ok()?,
    ))
}

fn oracle(e: &Expr, d: &ExecutionDetails) -> bool {
    let lower = |s: &str| s.to_lowercase();
    let text_of = |f: &Field| -> String {
        lower(match f {
            Field::Name => &d.row.name,
            // The full name; the short one is tried beside it below.
            Field::Type => &d.row.type_full,
            Field::Pipeline => &d.row.pipeline,
            Field::Stage => &d.row.stage,
            Field::Run => &d.row.run,
            Field::Branch => &d.git.branch,
            Field::Repo => &d.git.repo,
            _ => unreachable!(),
        })
    };
    match e {
        Expr::And(v) => v.iter().all(|x| oracle(x, d)),
        Expr::Or(v) => v.iter().any(|x| oracle(x, d)),
        Expr::Not(x) => !oracle(x, d),
        Expr::Text(t) => {
            let w = lower(&t.text);
            [Field::Name, Field::Type, Field::Pipeline, Field::Stage]
                .iter()
                .any(|f| text_of(f).contains(&w))
        }
        Expr::Has(name) => d.props.get(name).is_some_and(|v| *v != Value::Null),
        Expr::Range { field, low, high } => match field {
            Field::Started | Field::Ended => {
                let t = if *field == Field::Ended { d.row.ended_ms } else { d.row.started_ms };
                let (l, h) = (span(&low.text).unwrap().0, span(&high.text).unwrap().1);
                t.is_some_and(|t| t >= l && t <= h)
            }
            Field::Property(name) => {
                let Some(v) = d.props.get(name).filter(|v| **v != Value::Null) else {
                    return false;
                };
                let (ln, hn) = (low.text.parse::<f64>().ok(), high.text.parse::<f64>().ok());
                match (v.as_number(), ln, hn) {
                    (Some(n), Some(l), Some(h)) => n >= l && n <= h,
                    (None, None, None) if matches!(v, Value::String(_)) => {
                        let t = lower(&v.as_text());
                        natural(&t, &lower(&low.text)) != Ordering::Less
                            && natural(&t, &lower(&high.text)) != Ordering::Greater
                    }
                    _ => false,
                }
            }
            _ => unreachable!("not generated"),
        },
        Expr::Compare { field, op, value } => {
            let v = lower(&value.text);
            match field {
                Field::Name
                | Field::Type
                | Field::Pipeline
                | Field::Stage
                | Field::Run
                | Field::Branch
                | Field::Repo => {
                    let one = |t: &str| match op {
                        Op::Match => t.contains(&v),
                        _ => cmp_ok(*op, natural(t, &v)),
                    };
                    // A type matches by its full or its short name; `!=` by neither.
                    match (field, op) {
                        (Field::Type, Op::Ne) => {
                            text_of(field) != v && lower(&d.row.type_name) != v
                        }
                        (Field::Type, _) => one(&text_of(field)) || one(&lower(&d.row.type_name)),
                        _ => one(&text_of(field)),
                    }
                }
                Field::Id => cmp_ok(*op, d.row.id.cmp(&value.text.parse().unwrap())),
                Field::Status => {
                    let same = d.row.status == Status::parse(&value.text).unwrap();
                    if *op == Op::Ne {
                        !same
                    } else {
                        same
                    }
                }
                Field::Started | Field::Ended => {
                    let t = if *field == Field::Ended { d.row.ended_ms } else { d.row.started_ms };
                    let (lo, hi) = span(&value.text).unwrap();
                    t.is_some_and(|t| match op {
                        Op::Match | Op::Eq => lo <= t && t <= hi,
                        Op::Ne => !(lo <= t && t <= hi),
                        Op::Gt => t > hi,
                        Op::Ge => t >= lo,
                        Op::Lt => t < lo,
                        Op::Le => t <= hi,
                    })
                }
                Field::Duration => {
                    let ms = parse_duration_ms(&value.text).unwrap();
                    d.row.duration_ms.is_some_and(|x| cmp_ok(*op, x.cmp(&ms)))
                }
                Field::Commit => {
                    let cs = [lower(&d.git.commit), lower(&d.git.end_commit)];
                    let cs: Vec<&String> = cs.iter().filter(|c| !c.is_empty()).collect();
                    match op {
                        Op::Match => cs.iter().any(|c| c.starts_with(&v)),
                        Op::Eq => cs.iter().any(|c| **c == v),
                        Op::Ne => !cs.iter().any(|c| **c == v),
                        _ => cmp_ok(*op, natural(&lower(&d.git.commit), &v)),
                    }
                }
                // The random atoms hold no alert: terms (they need rules; tested below).
                Field::Alert => unreachable!("alert: in a random query"),
                Field::Inputs | Field::Outputs => {
                    let kinds: &[&str] = if *field == Field::Outputs {
                        &["DECLARED_OUTPUT", "OUTPUT", "INTERNAL_OUTPUT", "PENDING_OUTPUT"]
                    } else {
                        &["DECLARED_INPUT", "INPUT", "INTERNAL_INPUT"]
                    };
                    let n = d
                        .events
                        .iter()
                        .filter(|e| kinds.contains(&e.type_name))
                        .map(|e| e.artifact_id)
                        .collect::<BTreeSet<_>>()
                        .len();
                    cmp_ok(*op, n.cmp(&value.text.parse().unwrap()))
                }
                Field::Artifact => {
                    let all: Vec<String> = d
                        .inputs
                        .iter()
                        .chain(&d.outputs)
                        .flat_map(|a| [lower(&a.name), lower(&a.uri)])
                        .filter(|s| !s.is_empty())
                        .collect();
                    match op {
                        Op::Match => all.iter().any(|a| a.contains(&v)),
                        Op::Eq => all.contains(&v),
                        _ => !all.contains(&v),
                    }
                }
                Field::Property(name) => {
                    let Some(p) = d.props.get(name).filter(|p| **p != Value::Null) else {
                        return false;
                    };
                    let ptext = match p {
                        Value::Struct(_) | Value::Proto { .. } | Value::Bytes(_) => {
                            p.to_json().to_string()
                        }
                        other => other.as_text(),
                    };
                    let want_num = value.text.trim().parse::<f64>().ok();
                    if *op == Op::Match {
                        return lower(&ptext).contains(&v);
                    }
                    if let (Some(n), Some(w)) = (p.as_number(), want_num) {
                        return n.partial_cmp(&w).is_some_and(|o| cmp_ok(*op, o));
                    }
                    if let (Value::Bool(b), Some(w)) = (
                        p,
                        match v.as_str() {
                            "true" => Some(true),
                            "false" => Some(false),
                            _ => None,
                        },
                    ) {
                        if matches!(op, Op::Eq | Op::Ne) {
                            return cmp_ok(*op, b.cmp(&w));
                        }
                    }
                    match op {
                        Op::Eq => lower(&ptext) == v,
                        Op::Ne => lower(&ptext) != v,
                        _ => {
                            matches!(p, Value::String(_))
                                && p.as_number().is_none()
                                && want_num.is_none()
                                && cmp_ok(*op, natural(&lower(&ptext), &v))
                        }
                    }
                }
            }
        }
    }
}

/// Atoms built from what a fixture actually holds, so random queries hit real values.
fn atoms(store: &Store) -> Vec<String> {
    let rows = all_rows(store);
    let mut out: BTreeSet<String> = BTreeSet::new();
    let ops = [":", "=", "!=", ">", ">=", "<", "<="];
    for r in rows.iter().take(6) {
        let d = store.execution(r.id).unwrap();
        for (f, v) in [
            ("name", &r.name),
            ("type", &r.type_name),
            ("pipeline", &r.pipeline),
            ("stage", &r.stage),
            ("run", &r.run),
        ] {
            if v.is_empty() {
                continue;
            }
            let half: String = v.chars().take((v.len() / 2).max(1)).collect();
            out.insert(format!("{f}:{}", half.to_uppercase()));
            out.insert(format!("{f}={v}"));
            out.insert(format!("{f}>={v}"));
            out.insert(half.clone());
        }
        out.insert(format!("id<={}", r.id));
        out.insert(format!("outputs={}", r.id % 3));
        out.insert(format!("inputs>={}", r.id % 2));
        out.insert(format!("id!={}", r.id));
        out.insert(format!("status:{}", r.status.label().to_lowercase()));
        out.insert(format!("status!={}", r.status.label()));
        if let Some(s) = &r.started {
            out.insert(format!("date:{}", &s[..10]));
            out.insert(format!("started>{s}"));
            out.insert(format!("date<={s}"));
            out.insert(format!("date:{} TO {}", &s[..10], &s[..10]));
        }
        if let Some(ms) = r.duration_ms {
            out.insert(format!("duration>={ms}ms"));
            out.insert(format!("duration<{}s", ms / 1000 + 1));
        }
        if !r.git_commit.is_empty() {
            out.insert(format!("commit:{}", &r.git_commit[..6]));
            out.insert(format!("commit={}", r.git_commit));
        }
        if !d.git.repo.is_empty() {
            out.insert(format!("repo:\"{}\"", &d.git.repo[..d.git.repo.len() / 2]));
            out.insert(format!("repo=\"{}\"", d.git.repo));
        }
        out.insert(format!("branch!=\"{}\"", d.git.branch));
        for a in d.inputs.iter().chain(&d.outputs).take(2) {
            let part: String = a.name.chars().take(5).collect();
            if !part.trim().is_empty() && !part.contains('"') {
                out.insert(format!("artifact:\"{part}\""));
            }
            out.insert(format!("artifact=\"{}\"", a.uri.replace('"', "")));
        }
        for p in d.typed_properties.iter().take(12) {
            let v = p.value.as_text();
            if v.len() > 40 || v.contains('"') || v.contains('\\') {
                out.insert(format!("property:\"{}\"", p.name));
                continue;
            }
            for op in ops {
                out.insert(format!("property:\"{}\"{op}\"{v}\"", p.name));
            }
            if let Some(n) = p.value.as_number() {
                out.insert(format!("property:{}>{}", p.name, n / 2.0));
                out.insert(format!("property:{}:{} TO {}", p.name, n / 2.0, n * 2.0 + 1.0));
            }
        }
    }
    out.insert("property:no_such_property=1".into());
    out.insert("date:-3650d TO today".into());
    out.into_iter().collect()
}

fn query_strategy(atoms: Vec<String>) -> impl Strategy<Value = String> {
    let leaf = proptest::sample::select(atoms);
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) AND ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) OR ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) ({b})")),
            inner.clone().prop_map(|a| format!("NOT ({a})")),
            inner.prop_map(|a| format!("-({a})")),
        ]
    })
}

#[test]
fn random_queries_match_brute_force_on_every_fixture() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let all = store
            .execution_ids(&ExecutionQuery { limit: Some(usize::MAX), ..Default::default() })
            .unwrap();
        if all.is_empty() {
            continue;
        }
        let details: Vec<ExecutionDetails> =
            all.iter().map(|&i| store.execution(i).unwrap()).collect();
        let atoms = atoms(&store);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: std::env::var("QUERY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300),
            ..ProptestConfig::default()
        });
        runner
            .run(&query_strategy(atoms), |q| {
                let expr = parse(&q).map_err(|e| TestCaseError::fail(format!("{q}: {e}")))?;
                let want: Vec<i64> =
                    details.iter().filter(|d| oracle(&expr, d)).map(|d| d.row.id).collect();
                let got = ids(&store, &q);
                prop_assert_eq!(got, want, "query {}", q);
                // And the printed form means the same.
                let again = ids(&store, &expr.to_string());
                prop_assert_eq!(again, ids(&store, &q));
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

// ---- stats and alerts ------------------------------------------------------------------

#[test]
fn stats_match_sql_on_every_fixture() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let s = store.stats(&ExecutionQuery::default()).unwrap();
        let db = raw(&path);
        let n: i64 = db.query_row("SELECT count(*) FROM Execution", [], |r| r.get(0)).unwrap();
        assert_eq!(s.overall.total, n as usize);
        let count = |states: &str| -> usize {
            db.query_row(
                &format!("SELECT count(*) FROM Execution WHERE last_known_state IN ({states})"),
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as usize
        };
        let finished = count("3,4,5,6");
        assert_eq!(s.overall.finished, finished);
        if finished > 0 {
            assert_eq!(s.overall.success_rate, Some(count("3,5") as f64 / finished as f64));
            assert_eq!(s.overall.failure_rate, Some(count("4") as f64 / finished as f64));
        } else {
            assert_eq!(s.overall.success_rate, None, "no invented rate");
        }
        // Durations of executions that ended (finished or state-less), from SQL: a
        // state-less one ends at the later of its last update and its latest event.
        let mut st = db
            .prepare("SELECT CASE WHEN coalesce(last_known_state, 0) = 0 THEN max(last_update_time_since_epoch, coalesce((SELECT max(v.milliseconds_since_epoch) FROM Event v WHERE v.execution_id = e.id), 0)) ELSE last_update_time_since_epoch END - create_time_since_epoch FROM Execution e WHERE last_known_state IS NULL OR last_known_state IN (0,3,4,5,6) ORDER BY 1")
            .unwrap();
        let durations: Vec<i64> =
            st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(s.overall.duration.count, durations.len());
        if !durations.is_empty() {
            let median = durations[durations.len().div_ceil(2) - 1];
            assert_eq!(s.overall.duration.median_ms, Some(median));
            let avg = durations.iter().sum::<i64>() as f64 / durations.len() as f64;
            assert!((s.overall.duration.avg_ms.unwrap() - avg).abs() < 1e-6);
            assert_eq!(s.overall.duration.max_ms, durations.last().copied());
        }
        assert_eq!(s.per_day.iter().map(|b| b.count).sum::<usize>(), n as usize);
        assert_eq!(s.per_hour.iter().map(|b| b.count).sum::<usize>(), n as usize);
        assert_eq!(s.by_pipeline.iter().map(|g| g.total).sum::<usize>(), n as usize);
        assert_eq!(s.by_stage.iter().map(|g| g.total).sum::<usize>(), n as usize);
    }
}

#[test]
fn stats_follow_the_query() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let q = ExecutionQuery { query: Some("pipeline:mnist".into()), ..Default::default() };
    let s = store.stats(&q).unwrap();
    assert_eq!(s.overall.total, 12);
    assert_eq!(s.by_pipeline.len(), 1);
    assert_eq!(
        s.by_stage.iter().map(|g| (g.name.as_str(), g.total)).collect::<Vec<_>>(),
        vec![("Evaluate", 3), ("Featurize", 3), ("Prepare", 3), ("Train", 3)]
    );
}

#[test]
fn alert_rules_flag_rows() {
    let path = fixture("mlmd_tfx.sqlite");
    let store = Store::open_path(&path).unwrap();
    let q = ExecutionQuery {
        now: Some(NOW),
        limit: Some(usize::MAX),
        alerts: Some(mlmd_lens::AlertRules {
            failed: true,
            long_running_ms: Some(3_600_000),
            long_running_factor: None,
            rules: vec!["property:epochs>=20".into()],
        }),
        ..Default::default()
    };
    let rows = store.executions(&q).unwrap().rows;
    let flagged = |flag: &str| -> Vec<i64> {
        rows.iter().filter(|r| r.alerts.iter().any(|a| a == flag)).map(|r| r.id).collect()
    };
    assert_eq!(
        flagged("failed"),
        sql_ids(&path, "SELECT id FROM Execution WHERE last_known_state = 4")
    );
    assert_eq!(
        flagged("property:epochs>=20"),
        sql_ids(
            &path,
            "SELECT execution_id FROM ExecutionProperty WHERE name = 'epochs' AND int_value >= 20"
        )
    );
    // Running executions started long before NOW have run for more than an hour.
    assert_eq!(
        flagged("long-running"),
        sql_ids(&path, "SELECT id FROM Execution WHERE last_known_state = 2")
    );
    // Without rules no row carries alerts.
    let plain = store
        .executions(&ExecutionQuery { limit: Some(usize::MAX), ..Default::default() })
        .unwrap();
    assert!(plain.rows.iter().all(|r| r.alerts.is_empty()));
    // A bad rule is an error that names it.
    let bad = ExecutionQuery {
        alerts: Some(mlmd_lens::AlertRules {
            rules: vec!["property:x>".into()],
            ..Default::default()
        }),
        ..Default::default()
    };
    let e = store.executions(&bad).unwrap_err();
    assert!(e.to_string().contains("in alert rule 'property:x>'"), "{e}");
}

#[test]
fn long_running_relative_to_the_stage_median() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    // cmflib records no state, so no stage has completed executions: nothing to compare with.
    let q = ExecutionQuery {
        limit: Some(usize::MAX),
        alerts: Some(mlmd_lens::AlertRules {
            long_running_factor: Some(0.5),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert!(store.executions(&q).unwrap().rows.iter().all(|r| r.alerts.is_empty()));
}

#[test]
fn property_names_match_sql() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let names = store.property_names().unwrap();
        let db = raw(&path);
        let n: i64 = db.query_row("SELECT count(*) FROM (SELECT DISTINCT name, is_custom_property FROM ExecutionProperty)", [], |r| r.get(0)).unwrap();
        assert_eq!(names.len(), n as usize);
        for p in &names {
            let c: i64 = db
                .query_row("SELECT count(*) FROM ExecutionProperty WHERE name = ?1 AND is_custom_property = ?2", rusqlite::params![p.name, p.custom as i64], |r| r.get(0))
                .unwrap();
            assert_eq!(p.executions, c as usize, "{}", p.name);
        }
    }
}

#[test]
fn pages_are_slices_of_the_full_order_for_every_sort() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        for sort in [
            "id",
            "-id",
            "name",
            "-started",
            "duration",
            "-status",
            "pipeline",
            "property:epochs",
            "-property:learning_rate",
            "-gitCommit",
        ] {
            let full = store
                .execution_ids(&ExecutionQuery { sort: Some(sort.into()), ..Default::default() })
                .unwrap();
            for (offset, limit) in [(0, 1), (0, 3), (2, 4), (5, 100), (19, 5)] {
                let page = store
                    .executions(&ExecutionQuery {
                        sort: Some(sort.into()),
                        offset: Some(offset),
                        limit: Some(limit),
                        ..Default::default()
                    })
                    .unwrap();
                let got: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                let want: Vec<i64> = full.iter().skip(offset).take(limit).copied().collect();
                assert_eq!(
                    got,
                    want,
                    "{} sort {sort} offset {offset} limit {limit}",
                    path.display()
                );
            }
        }
    }
}

/// Regression: repo and end-commit were not read into the index, so `repo:` matched nothing.
#[test]
fn repo_is_searchable() {
    let path = fixture("cmf_small.sqlite");
    let store = Store::open_path(&path).unwrap();
    let want = sql_ids(&path, "SELECT execution_id FROM ExecutionProperty WHERE name = 'Git_Repo' AND string_value LIKE '%mnist-demo%'");
    assert!(!want.is_empty());
    assert_eq!(ids(&store, "repo:MNIST-demo"), want);
}

// ---- timeline and compare ---------------------------------------------------------------

#[test]
fn timeline_bars_match_the_rows() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let t = store.timeline(&ExecutionQuery::default()).unwrap();
        let rows = all_rows(&store);
        assert_eq!(t.ids.len(), rows.iter().filter(|r| r.started_ms.is_some()).count());
        assert!(t.start.windows(2).all(|w| w[0] <= w[1]), "bars in start order");
        for (i, id) in t.ids.iter().enumerate() {
            let r = rows.iter().find(|r| r.id as f64 == *id).unwrap();
            assert_eq!(t.start[i], r.started_ms.unwrap() as f64);
            assert_eq!(t.end[i].is_nan(), r.ended_ms.is_none());
            assert_eq!(t.statuses[t.status[i] as usize], r.status.label());
            let lane = &t.lanes[t.lane[i] as usize];
            assert!(
                lane.ends_with(if r.stage.is_empty() { &r.type_name } else { &r.stage }),
                "{lane}"
            );
        }
    }
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let t = store
        .timeline(&ExecutionQuery { query: Some("pipeline=mnist".into()), ..Default::default() })
        .unwrap();
    assert_eq!(
        t.lanes,
        vec!["mnist / Evaluate", "mnist / Featurize", "mnist / Prepare", "mnist / Train"]
    );
    assert_eq!(t.ids.len(), 12);
}

#[test]
fn compare_shows_differences_and_deltas() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let c = store.compare(&[3, 7, 11], &CompareOptions::default()).unwrap();
    assert_eq!(c.executions.iter().map(|r| r.id).collect::<Vec<_>>(), vec![3, 7, 11]);
    assert_eq!((c.baseline, c.baseline_index), (3, 0));
    let lr =
        c.group(GroupKind::Parameters).rows.iter().find(|p| p.name == "learning_rate").unwrap();
    assert!(lr.differs && lr.custom);
    assert_eq!(
        lr.values,
        vec![
            Value::String("0.1".into()),
            Value::String("0.01".into()),
            Value::String("0.01".into())
        ]
    );
    assert!((lr.deltas[1].unwrap() - (0.01 - 0.1)).abs() < 1e-12);
    let repo = c.group(GroupKind::Git).rows.iter().find(|p| p.name == "Git_Repo").unwrap();
    assert!(!repo.differs);
    assert!(
        c.group(GroupKind::Artifacts)
            .artifacts
            .iter()
            .any(|a| a.direction == "OUTPUT" && a.differs),
        "each run wrote its own model"
    );
    for bad in [&[3][..], &[1, 2, 3, 4, 5, 6], &[3, 3]] {
        assert_eq!(
            store.compare(bad, &CompareOptions::default()).unwrap_err().kind(),
            "invalid-argument"
        );
    }
    assert_eq!(
        store.compare(&[3, 99999], &CompareOptions::default()).unwrap_err().kind(),
        "not-found"
    );
}

// ---- alert: terms ------------------------------------------------------------------------

fn ids_with(store: &Store, query: &str, alerts: &mlmd_lens::AlertRules) -> Vec<i64> {
    let q = ExecutionQuery {
        query: Some(query.into()),
        now: Some(NOW),
        alerts: Some(alerts.clone()),
        limit: Some(usize::MAX),
        ..Default::default()
    };
    store.execution_ids(&q).unwrap_or_else(|e| panic!("{query}: {e}"))
}

#[test]
fn alert_terms_equal_their_rules_queries_on_every_fixture() {
    use mlmd_lens::{AlertRule, AlertRules, NamedAlertRule};
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        if store.summary().unwrap().executions == 0 {
            continue;
        }
        let atoms = atoms(&store);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: std::env::var("QUERY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(60),
            ..ProptestConfig::default()
        });
        let strategy = (
            query_strategy(atoms.clone()),
            query_strategy(atoms),
            any::<bool>(),
            proptest::option::of(0i64..5_000_000),
            proptest::option::of(0.5f64..4.0),
        );
        runner
            .run(&strategy, |(named, plain, failed, limit, factor)| {
                let rules = AlertRules {
                    failed,
                    long_running_ms: limit,
                    long_running_factor: factor,
                    rules: vec![
                        AlertRule::Named(NamedAlertRule {
                            name: "my rule".into(),
                            query: named.clone(),
                        }),
                        AlertRule::Query(plain.clone()),
                    ],
                };
                // A named rule, and a string rule named by its own text.
                prop_assert_eq!(ids_with(&store, "alert:\"my rule\"", &rules), ids(&store, &named));
                let by_text = format!("alert:{}", mlmd_lens::query::quote_value(plain.trim()));
                prop_assert_eq!(ids_with(&store, &by_text, &rules), ids(&store, &plain));
                // The page flags say the same as the alert: terms.
                let rows = store
                    .executions(&ExecutionQuery {
                        now: Some(NOW),
                        alerts: Some(rules.clone()),
                        limit: Some(usize::MAX),
                        ..Default::default()
                    })
                    .unwrap()
                    .rows;
                for flag in ["failed", "long-running", "my rule"] {
                    let flagged: Vec<i64> = rows
                        .iter()
                        .filter(|r| r.alerts.iter().any(|a| a == flag))
                        .map(|r| r.id)
                        .collect();
                    let term = format!("alert:{}", mlmd_lens::query::quote_value(flag));
                    prop_assert_eq!(ids_with(&store, &term, &rules), flagged, "{}", flag);
                }
                let any: Vec<i64> =
                    rows.iter().filter(|r| !r.alerts.is_empty()).map(|r| r.id).collect();
                prop_assert_eq!(ids_with(&store, "alert:any", &rules), any.clone());
                let not_any: Vec<i64> =
                    rows.iter().filter(|r| r.alerts.is_empty()).map(|r| r.id).collect();
                prop_assert_eq!(ids_with(&store, "alert!=any", &rules), not_any);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn issue_16_alert_slow_equals_its_query() {
    // The issue's own example: executions({ query: 'alert:slow', alerts: { rules: [{ name:
    // 'slow', query: 'duration>5s' }] } }) equals executions({ query: 'duration>5s' }).
    let store = Store::open_path(fixture("tfx_pipeline.sqlite")).unwrap();
    let rules: mlmd_lens::AlertRules =
        serde_json::from_str(r#"{"rules": [{"name": "slow", "query": "duration>5s"}]}"#).unwrap();
    assert_eq!(ids_with(&store, "alert:slow", &rules), ids(&store, "duration>5s"));
    assert_eq!(ids(&store, "duration>5s").len(), 1, "the Trainer run of 14 s");
}

#[test]
fn alert_terms_without_rules_or_with_unknown_names_are_errors() {
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let q = ExecutionQuery { query: Some("alert:failed".into()), ..Default::default() };
    let e = store.executions(&q).unwrap_err();
    assert!(e.to_string().contains("alert: needs alert rules"), "{e}");
    let rules = mlmd_lens::AlertRules { rules: vec!["duration>1h".into()], ..Default::default() };
    let q = ExecutionQuery {
        query: Some("status:failed alert:nope".into()),
        alerts: Some(rules.clone()),
        ..Default::default()
    };
    match store.executions(&q).unwrap_err() {
        mlmd_lens::Error::Query { position, message } => {
            assert_eq!(position, 20, "{message}");
            assert!(message.contains("no alert named 'nope'"), "{message}");
            assert!(message.contains("\"duration>1h\""), "{message}");
        }
        other => panic!("{other}"),
    }
    // A rule may not itself use alert: (no cycles).
    let cyclic = mlmd_lens::AlertRules { rules: vec!["alert:any".into()], ..Default::default() };
    let q = ExecutionQuery {
        query: Some("alert:any".into()),
        alerts: Some(cyclic),
        ..Default::default()
    };
    assert!(store.executions(&q).is_err());
    let q = ExecutionQuery {
        query: Some("alert>failed".into()),
        alerts: Some(rules),
        ..Default::default()
    };
    assert!(store.executions(&q).unwrap_err().to_string().contains(": = or !="));
}

// ---- empty states that explain ---------------------------------------------------------

#[test]
fn issue_16_cmflib_status_failed_explains_that_no_state_is_recorded() {
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let q = ExecutionQuery {
        query: Some("pipeline:mnist AND status:failed".into()),
        ..Default::default()
    };
    assert_eq!(store.executions(&q).unwrap().total, 0);
    let why = store.explain_empty(&q).unwrap();
    assert_eq!((why.matched, why.total), (0, 20));
    let parts: Vec<(&str, &str, usize, usize)> =
        why.parts.iter().map(|p| (p.key, p.text.as_str(), p.matched, p.without)).collect();
    assert_eq!(parts, vec![("query", "pipeline:mnist", 12, 0), ("query", "status:failed", 0, 12)]);
    assert_eq!(why.parts[1].rest.as_deref(), Some("pipeline:mnist"));
    assert_eq!(
        why.notes,
        vec![
            "this store (written by cmflib) records no execution state: 20 executions are Unknown"
        ]
    );
    // The status filter says the same.
    let q = ExecutionQuery { status: Some("failed".into()), ..Default::default() };
    let why = store.explain_empty(&q).unwrap();
    assert_eq!(why.parts[0].key, "status");
    assert_eq!(why.parts[0].without, 20);
    assert_eq!(why.notes.len(), 1);
    // A store with states gets counts, and no note.
    let tfx = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let q =
        ExecutionQuery { query: Some("status:failed status:cached".into()), ..Default::default() };
    let why = tfx.explain_empty(&q).unwrap();
    assert_eq!(why.parts.iter().map(|p| p.matched).collect::<Vec<_>>(), vec![1, 1]);
    assert!(why.notes.is_empty());
    // Something found: nothing to explain.
    let q = ExecutionQuery { query: Some("status:failed".into()), ..Default::default() };
    let why = tfx.explain_empty(&q).unwrap();
    assert_eq!(why.matched, 1);
    assert!(why.parts.is_empty());
}

/// On a store without states, executions that wrote nothing are offered as a stand-in
/// for "failed" (`outputs=0`), with their count, when they single some out.
#[test]
fn a_stateless_store_suggests_executions_without_outputs() {
    let path = common::temp_copy("cmf_small.sqlite", "no-outputs");
    let lost: Vec<i64> = {
        let db = rusqlite::Connection::open(&path).unwrap();
        let lost = sql_ids(&path, "SELECT id FROM Execution ORDER BY id DESC LIMIT 3");
        for id in &lost {
            db.execute("DELETE FROM Event WHERE execution_id = ?1 AND type IN (1, 4, 6, 7)", [id])
                .unwrap();
        }
        lost
    };
    let store = Store::open_path(&path).unwrap();
    let q = ExecutionQuery { query: Some("status:failed".into()), ..Default::default() };
    let why = store.explain_empty(&q).unwrap();
    let s = why.suggestions.iter().find(|s| s.query == "outputs=0").expect("outputs=0 offered");
    assert_eq!(s.matched, lost.len());
    let mut found = ids(&store, &s.query);
    found.sort_unstable();
    assert_eq!(found, lost);
    // The untouched fixture: every execution wrote something, so nothing is offered.
    let whole = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let why = whole.explain_empty(&q).unwrap();
    assert!(why.suggestions.iter().all(|s| s.query != "outputs=0"), "{:?}", why.suggestions);
}

#[test]
fn alert_summary_counts_each_alert_like_its_term() {
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let q: ExecutionQuery = serde_json::from_str(
        r#"{"now": 1800000000000, "alerts": {"failed": true, "longRunningMs": 3600000,
            "rules": ["property:epochs>=20", {"name": "low accuracy", "query": "property:accuracy<0.9"}]}}"#,
    )
    .unwrap();
    let s = store.alert_summary(&q).unwrap();
    let names: Vec<&str> = s.alerts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["failed", "long-running", "property:epochs>=20", "low accuracy"]);
    let rules = q.alerts.clone().unwrap();
    for a in &s.alerts {
        assert_eq!(ids_with(&store, &a.term, &rules).len(), a.count, "{}", a.term);
    }
    assert_eq!(s.alerts[3].term, "alert:\"low accuracy\"");
    assert_eq!(s.any, ids_with(&store, "alert:any", &rules).len());
    assert!(s.any > 0);
}

#[test]
fn timeline_bars_carry_the_rows_alert_marks() {
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let q: ExecutionQuery = serde_json::from_str(
        r#"{"now": 1800000000000, "limit": 1000, "alerts": {"failed": true, "rules": ["property:epochs>=20"]}}"#,
    )
    .unwrap();
    let t = store.timeline(&q).unwrap();
    let rows = store.executions(&q).unwrap().rows;
    assert_eq!(t.alerted.len(), t.ids.len());
    for (i, id) in t.ids.iter().enumerate() {
        let r = rows.iter().find(|r| r.id as f64 == *id).unwrap();
        assert_eq!(t.alerted[i] == 1, !r.alerts.is_empty(), "execution {id}");
    }
    assert!(t.alerted.contains(&1));
    let plain = store.timeline(&ExecutionQuery::default()).unwrap();
    assert!(plain.alerted.iter().all(|&a| a == 0));
}

#[test]
fn issue_16_a_page_of_alert_any_follows_the_rules() {
    // The page cache once left the alert rules out of its key: after a rule was removed,
    // `alert:any` still listed what it had flagged.
    let store = Store::open_path(fixture("mlmd_tfx.sqlite")).unwrap();
    let page = |rules: &str| {
        let q: ExecutionQuery =
            serde_json::from_str(&format!(r#"{{"query": "alert:any", "alerts": {rules}}}"#))
                .unwrap();
        store.executions(&q).unwrap().total
    };
    assert_eq!(page(r#"{"failed": true, "rules": ["property:epochs>=20"]}"#), 8);
    assert_eq!(page(r#"{"failed": true}"#), 1);
}

/// `inputs` and `outputs` count the distinct artifacts an execution read and wrote, as
/// the Event rows say (input types 2, 3, 5; output types 1, 4, 6, 7), on every fixture.
#[test]
fn input_and_output_counts_equal_sql() {
    for path in good_fixtures() {
        let store = Store::open_path(&path).unwrap();
        let count = |types: &str| {
            format!(
                "(SELECT COUNT(DISTINCT v.artifact_id) FROM Event v \
                 WHERE v.execution_id = e.id AND v.type IN ({types}))"
            )
        };
        let (reads, writes) = (count("2, 3, 5"), count("1, 4, 6, 7"));
        for (query, sql) in [
            ("outputs=0", format!("SELECT id FROM Execution e WHERE {writes} = 0")),
            ("outputs>=1", format!("SELECT id FROM Execution e WHERE {writes} >= 1")),
            ("inputs=0", format!("SELECT id FROM Execution e WHERE {reads} = 0")),
            ("inputs>1", format!("SELECT id FROM Execution e WHERE {reads} > 1")),
            ("inputs:1 TO 2", format!("SELECT id FROM Execution e WHERE {reads} BETWEEN 1 AND 2")),
            ("NOT outputs!=2", format!("SELECT id FROM Execution e WHERE {writes} = 2")),
        ] {
            assert_eq!(ids(&store, query), sql_ids(&path, &sql), "{query} on {}", path.display());
        }
    }
    let store = Store::open_path(fixture("cmf_small.sqlite")).unwrap();
    let err = store
        .executions(&ExecutionQuery { query: Some("outputs>many".into()), ..Default::default() })
        .unwrap_err();
    assert!(err.to_string().contains("outputs counts artifacts"), "{err}");
}

/// A store of `n` executions from gen_large.py in a temp dir (removed by the caller), its
/// starts rounded to the hour, and every 97th start unreadable (no start).
fn generated(n: usize, tag: &str) -> (std::path::PathBuf, Store) {
    let (dir, db) = common::generated(n, 4, tag);
    // Starts rounded to the hour: many executions share one (the order of ties matters).
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE Execution SET create_time_since_epoch = CASE WHEN id % 97 = 0 THEN 'unknown'
               ELSE create_time_since_epoch - create_time_since_epoch % 3600000 END",
            [],
        )
        .unwrap();
    let store = Store::open_path(&db).unwrap();
    (dir, store)
}

/// A start-range case: the search, the from and to filters, and the test of a start.
type StartCase = (String, Option<String>, Option<String>, Box<dyn Fn(i64) -> bool>);

#[test]
fn start_ranges_answer_as_a_pass_over_every_execution_would() {
    let (dir, big) = generated(3000, "start-ranges");
    let mut stores = vec![big];
    stores.extend(good_fixtures().iter().map(|p| Store::open_path(p).unwrap()));
    for store in &stores {
        let rows = all_rows(store);
        let starts: Vec<i64> = rows.iter().filter_map(|r| r.started_ms).collect();
        let (Some(&first), Some(&last)) = (starts.iter().min(), starts.iter().max()) else {
            continue;
        };
        let day = |t: i64| mlmd_lens::iso_from_ms(t).unwrap()[..10].to_string();
        let mid = first + (last - first) / 2;
        let quarter = first + (last - first) / 4;
        // (query, from, to, the start range every match lies in)
        let cases: Vec<StartCase> = vec![
            (format!("date>{}", day(mid)), None, None, Box::new(move |t| t > day_end(mid))),
            (format!("date<{}", day(mid)), None, None, Box::new(move |t| t < day_start(mid))),
            (
                format!("date:{}", day(quarter)),
                None,
                None,
                Box::new(move |t| t >= day_start(quarter) && t <= day_end(quarter)),
            ),
            (
                format!("date:{} TO {}", day(quarter), day(mid)),
                None,
                None,
                Box::new(move |t| t >= day_start(quarter) && t <= day_end(mid)),
            ),
            (
                String::new(),
                Some(day(quarter)),
                Some(day(mid)),
                Box::new(move |t| t >= day_start(quarter) && t <= day_end(mid)),
            ),
            (
                format!("date>={} AND date<={}", day(quarter), day(quarter)),
                Some(day(first)),
                None,
                Box::new(move |t| t >= day_start(quarter) && t <= day_end(quarter)),
            ),
        ];
        // Nothing asked, sorted: every execution, those without a start last (by id).
        for sort in ["started", "-started", "id", "-id", "name"] {
            let mut want: Vec<&mlmd_lens::ExecutionRow> = rows.iter().collect();
            want.sort_by(|a, b| {
                let o = match sort {
                    "started" | "-started" => match (a.started_ms, b.started_ms) {
                        (Some(x), Some(y)) if sort == "-started" => y.cmp(&x),
                        (Some(x), Some(y)) => x.cmp(&y),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => Ordering::Equal,
                    },
                    "id" => a.id.cmp(&b.id),
                    "-id" => b.id.cmp(&a.id),
                    _ => mlmd_lens::natural_cmp(&a.name, &b.name),
                };
                o.then(a.id.cmp(&b.id))
            });
            let want: Vec<i64> = want.iter().map(|r| r.id).collect();
            for (offset, limit) in [(0, 50), (3, 9), (0, usize::MAX)] {
                let q = ExecutionQuery {
                    sort: Some(sort.into()),
                    offset: Some(offset),
                    limit: Some(limit),
                    ..Default::default()
                };
                let page = store.executions(&q).unwrap();
                assert_eq!(page.total, want.len());
                let end = offset.saturating_add(limit).min(want.len());
                let got: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                assert_eq!(got, want[offset.min(end)..end], "sort {sort} {offset}+{limit}");
            }
        }
        for (query, from, to, inside) in &cases {
            let want_set: Vec<&mlmd_lens::ExecutionRow> =
                rows.iter().filter(|r| r.started_ms.is_some_and(inside)).collect();
            for sort in ["started", "-started", "id", "-duration"] {
                // The expected order: the sort's, ties by id.
                let mut want = want_set.clone();
                want.sort_by(|a, b| {
                    let o = match sort {
                        "started" => a.started_ms.cmp(&b.started_ms),
                        "-started" => b.started_ms.cmp(&a.started_ms),
                        "id" => a.id.cmp(&b.id),
                        _ => match (a.duration_ms, b.duration_ms) {
                            (Some(x), Some(y)) => y.cmp(&x),
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => Ordering::Equal,
                        },
                    };
                    o.then(a.id.cmp(&b.id))
                });
                let want: Vec<i64> = want.iter().map(|r| r.id).collect();
                for (offset, limit) in [(0, 50), (7, 5), (0, usize::MAX)] {
                    let q = ExecutionQuery {
                        query: (!query.is_empty()).then(|| query.clone()),
                        from: from.clone().map(mlmd_lens::TimeBound::Text),
                        to: to.clone().map(mlmd_lens::TimeBound::Text),
                        sort: Some(sort.into()),
                        offset: Some(offset),
                        limit: Some(limit),
                        ..Default::default()
                    };
                    let page = store.executions(&q).unwrap();
                    assert_eq!(page.total, want.len(), "{query:?} {from:?} {to:?} sort {sort}");
                    let got: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                    let end = offset.saturating_add(limit).min(want.len());
                    assert_eq!(
                        got,
                        want[offset.min(end)..end],
                        "{query:?} {from:?} {to:?} sort {sort} {offset}+{limit}"
                    );
                }
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The first and last millisecond of `t`'s UTC day.
fn day_start(t: i64) -> i64 {
    t.div_euclid(86_400_000) * 86_400_000
}
fn day_end(t: i64) -> i64 {
    day_start(t) + 86_399_999
}

/// `name:WORD` (and a bare word's name part) is decided by one search through the block of
/// all names: the hits equal a per-name `contains` over the names the store shows (the
/// display names: for cmflib and TFX made from the stage), including words made of one
/// name's end and the next one's start, which must not match.
#[test]
fn name_contains_equals_a_search_per_name() {
    let (_dir, large) = common::generated(3000, 11, "names");
    let mut tested = 0;
    for path in good_fixtures().into_iter().chain([large]) {
        let store = Store::open_path(&path).unwrap();
        let rows = all_rows(&store);
        let names: Vec<(i64, String)> =
            rows.iter().map(|r| (r.id, r.name.to_lowercase())).collect();
        let mut words = BTreeSet::new();
        for pair in names.windows(2).step_by(7).take(12) {
            let (a, b) = (&pair[0].1, &pair[1].1);
            let tail: String =
                a.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
            let head: String = b.chars().take(2).collect();
            words.insert(format!("{tail}{head}")); // across the boundary
            words.insert(head);
            words.insert(a.chars().skip(1).take(4).collect::<String>());
        }
        words.retain(|w| !w.trim().is_empty() && !w.contains(['"', ':', '(', ')', ' ', '\\', '*']));
        if words.is_empty() {
            continue; // no names (cmflib writes none)
        }
        tested += 1;
        for w in &words {
            let want: Vec<i64> =
                names.iter().filter(|(_, n)| n.contains(w.as_str())).map(|(id, _)| *id).collect();
            let got = ids(&store, &format!("name:\"{w}\""));
            assert_eq!(got, want, "{}: name:{w:?}", path.display());
        }
    }
    assert!(tested >= 4, "only {tested} stores with names");
}

/// A bare word matches an execution whose name, type, pipeline or stage contains it: the
/// same executions as those four field terms joined by `OR`, for words found only in
/// names, words in type, pipeline or stage names, and words in none.
#[test]
fn a_bare_word_matches_as_its_four_fields_do() {
    let (_dir, large) = common::generated(3000, 5, "bare");
    let mut in_other_fields = 0;
    for path in good_fixtures().into_iter().chain([large]) {
        let store = Store::open_path(&path).unwrap();
        let rows = all_rows(&store);
        let mut words = BTreeSet::from(["zqxj".to_string()]);
        for r in rows.iter().step_by(97).take(6) {
            for text in [&r.name, &r.type_name, &r.pipeline, &r.stage] {
                let w: String = text.to_lowercase().chars().skip(1).take(4).collect();
                words.insert(w);
            }
        }
        words.retain(|w| {
            !w.trim().is_empty() && !w.contains(['"', ':', '(', ')', ' ', '\\', '*', '-'])
        });
        for w in &words {
            let fields =
                format!("name:\"{w}\" OR type:\"{w}\" OR pipeline:\"{w}\" OR stage:\"{w}\"");
            let want = ids(&store, &fields);
            assert_eq!(ids(&store, &format!("\"{w}\"")), want, "{}: {w:?}", path.display());
            let by_name = ids(&store, &format!("name:\"{w}\""));
            in_other_fields += usize::from(want.len() > by_name.len());
        }
    }
    assert!(in_other_fields >= 3, "only {in_other_fields} words matched beyond the names");
}

/// A property term whose other conjuncts leave few candidates is answered, the first time,
/// from those candidates' properties read by key (the column is not loaded yet); the
/// answers must be those of the whole column (the second ask) and of SQL over the file.
#[test]
fn property_terms_among_few_candidates_answer_as_the_whole_column() {
    let (dir, db) = common::generated(3000, 7, "few-candidates");
    let in_pipeline = "e.id IN (SELECT a.execution_id FROM Association a
        JOIN ParentContext pc ON pc.context_id = a.context_id
        JOIN Context p ON p.id = pc.parent_context_id WHERE p.name = 'mnist')";
    let in_stage = "e.id IN (SELECT a.execution_id FROM Association a
        JOIN Context s ON s.id = a.context_id WHERE s.name LIKE '%/Train')";
    let num = "COALESCE(x.double_value, x.int_value, CAST(x.string_value AS REAL))";
    let has = |name: &str, test: &str| {
        format!(
            "EXISTS (SELECT 1 FROM ExecutionProperty x WHERE x.execution_id = e.id
             AND x.name = '{name}' AND {num} {test})"
        )
    };
    let cases = [
        (
            "pipeline=mnist AND status:failed AND property:epochs>10",
            format!("{in_pipeline} AND e.last_known_state = 4 AND {}", has("epochs", "> 10")),
        ),
        (
            "stage=Train AND (status:failed OR status:canceled) AND property:learning_rate<0.01",
            format!(
                "{in_stage} AND e.last_known_state IN (4, 6) AND {}",
                has("learning_rate", "< 0.01")
            ),
        ),
        (
            "pipeline=mnist AND status:cached AND NOT property:dropout>=0.25",
            format!(
                "{in_pipeline} AND e.last_known_state = 5 AND NOT {}",
                has("dropout", ">= 0.25")
            ),
        ),
        // No candidate has it: the whole column is asked (it might be a PROPERTY.PATH).
        ("pipeline=mnist AND status:failed AND property:no_such_thing>1", "0".to_string()),
    ];
    for (query, sql) in &cases {
        let fresh = Store::open_path(&db).unwrap();
        let first = ids(&fresh, query);
        let whole = ids(&fresh, query);
        assert_eq!(first, whole, "{query}: the first (keyed) answer and the whole column's");
        let want = sql_ids(&db, &format!("SELECT e.id FROM Execution e WHERE {sql}"));
        assert_eq!(first, want, "{query}");
        assert!(
            !want.is_empty() || query.contains("no_such_thing"),
            "{query}: a case that can fail"
        );
    }
    // A sort by a property among few candidates: the same order as with the whole column.
    let sorted = |store: &Store| {
        let q = ExecutionQuery {
            query: Some("pipeline=mnist AND status:failed".into()),
            sort: Some("-property:dropout".into()),
            limit: Some(usize::MAX),
            ..Default::default()
        };
        store.execution_ids(&q).unwrap()
    };
    let fresh = Store::open_path(&db).unwrap();
    let first = sorted(&fresh);
    assert!(first.len() > 10);
    assert_eq!(first, sorted(&fresh));
    let want: Vec<i64> = {
        let c = raw(&db);
        let mut st = c
            .prepare(&format!(
                "SELECT e.id FROM Execution e LEFT JOIN ExecutionProperty x ON x.execution_id = e.id
                 AND x.name = 'dropout' WHERE {in_pipeline} AND e.last_known_state = 4
                 ORDER BY {num} IS NULL, {num} DESC, e.id"
            ))
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(first, want);
    std::fs::remove_dir_all(dir).unwrap();
}
