//! The core's layers point one way (docs/architecture.md): every `crate::…` and
//! `super::…` path in `src/` is read, mapped to the file it names, and checked against
//! the layer order; then the file graph is checked for cycles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules by layer, bottom first.
const LAYERS: [&[&str]; 8] = [
    &["error", "time", "text", "model"],
    &["db"],
    &["conventions"],
    &["index"],
    &["query"],
    &["features"],
    &["store", "vocabulary", "typescript"],
    &["wasm", "main", "lib"],
];

fn layer_of(module: &str) -> usize {
    LAYERS.iter().position(|l| l.contains(&module)).unwrap_or_else(|| {
        panic!("module `{module}` is in no layer: add it to LAYERS and docs/architecture.md")
    })
}

/// `src/a/b.rs` → ["a", "b"]; `src/a/mod.rs` → ["a"].
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix("src").unwrap();
    let mut parts: Vec<String> =
        rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module paths a file refers to: `crate::a::b` and `super::c` (resolved).
fn references(text: &str, me: &[String], is_mod: bool) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let code: String =
        text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let bytes = code.as_bytes();
    for (start, prefix) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let rest = &code[start + prefix.len()..];
        let mut path: Vec<String> = if prefix == "crate::" {
            Vec::new()
        } else {
            // `super` of a mod.rs is its parent folder's parent module.
            let mut p = me.to_vec();
            if !is_mod || !p.is_empty() {
                p.pop();
            }
            p
        };
        for seg in rest.split("::") {
            let name: String =
                seg.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if name.is_empty() || name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                break;
            }
            path.push(name);
            if !seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                break;
            }
        }
        if !path.is_empty() {
            out.insert(path);
        }
    }
    out
}

#[test]
fn layers_point_one_way_and_files_form_no_cycle() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> =
        files.iter().map(|f| (module_path(f), f.clone())).collect();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (me, file) in &modules {
        let top = me.first().cloned().unwrap_or_else(|| "lib".into());
        let is_mod = file.ends_with("mod.rs");
        let text = std::fs::read_to_string(file).unwrap();
        for r in references(&text, me, is_mod) {
            // The longest prefix of the path that is a module file.
            let Some(target) =
                (1..=r.len()).rev().map(|n| r[..n].to_vec()).find(|p| modules.contains_key(p))
            else {
                continue;
            };
            if &target == me || me.starts_with(&target) {
                continue; // itself or its parent module (re-exports)
            }
            if layer_of(&target[0]) > layer_of(&top) {
                wrong.push(format!(
                    "{} uses {} (a higher layer)",
                    file.display(),
                    target.join("::")
                ));
            }
            graph.entry(me.clone()).or_default().insert(target);
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
    // Depth-first search for a cycle between files.
    fn visit(
        n: &Vec<String>,
        g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let from = stack.iter().position(|s| s == n).unwrap_or(0);
                return Some(stack[from..].iter().map(|s| s.join("::")).collect());
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if let Some(cycle) = visit(n, &graph, &mut state, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_check_sees_a_wrong_import() {
    // db (layer 1) naming the store (layer 6) must be caught by `references`.
    let refs = references(
        "use crate::store::Store;\nfn f() { super::x::y(); }",
        &["db".into(), "reads".into()],
        false,
    );
    assert!(refs.contains(&vec!["store".to_string()]));
    assert!(refs.contains(&vec!["db".to_string(), "x".to_string(), "y".to_string()]));
    assert!(layer_of("store") > layer_of("db"));
}
