//! The lineage graph as text for other tools: Graphviz DOT and Mermaid flowcharts, left →
//! right like the view. Names come from the store, so every label is escaped for its
//! language (quotes, backslashes, newlines; Mermaid's `#`, `<`, `>`, `&`, backticks).

use std::fmt::Write;

use super::graph::{count_line, LineageGraph, LineageGraphEdge, LineageGraphNode};

/// The text shown in a node: its label, its type, and a stage's execution count.
fn node_lines(n: &LineageGraphNode) -> Vec<String> {
    let mut lines = vec![n.label.clone()];
    if !n.type_name.is_empty() && n.type_name != n.name {
        lines.push(n.type_name.clone());
    }
    if let Some(count) = n.executions {
        lines.push(count_line(count));
    }
    if n.hidden > 0 {
        lines.push(format!("+{} more", n.hidden));
    }
    lines
}

/// The text on an edge: its label and, above one, its count.
fn edge_text(e: &LineageGraphEdge, stages: bool) -> String {
    let count = match (stages, e.count) {
        (true, 1) => "1 artifact".to_string(),
        (true, c) => format!("{c} artifacts"),
        (false, 1) => String::new(),
        (false, c) => format!("×{c}"),
    };
    [e.label.as_str(), count.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A DOT double-quoted string's contents.
fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a Mermaid `"…"` label: entity codes for what Mermaid would read as syntax
/// or markup.
fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl LineageGraph {
    /// The graph as Graphviz DOT (`digraph { rankdir=LR; … }`): executions and stages as
    /// boxes, artifacts as notes, missing ends dashed; edge labels for event types other
    /// than plain INPUT/OUTPUT and for counts.
    ///
    /// # Example
    /// ```no_run
    /// # fn main() -> Result<(), mlmd_lens::Error> {
    /// let store = mlmd_lens::Store::open_path("mlmd")?;
    /// let dot = store.lineage_graph("e3", &Default::default())?.to_dot();
    /// assert!(dot.starts_with("digraph {"));
    /// # Ok(()) }
    /// ```
    pub fn to_dot(&self) -> String {
        let stages = self.kind == "context";
        let mut out = String::from("digraph {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for n in &self.nodes {
            let label = node_lines(n).iter().map(|l| dot_escape(l)).collect::<Vec<_>>().join("\\n");
            let style = match n.kind {
                "artifact" => "shape=note",
                "missing" => "shape=box, style=dashed",
                "stage" => "shape=box, style=\"rounded,bold\"",
                _ => "shape=box, style=rounded",
            };
            let root = if n.key == self.root { ", penwidth=2" } else { "" };
            let _ = writeln!(out, "  \"{}\" [label=\"{label}\", {style}{root}];", n.key);
        }
        for e in &self.edges {
            let text = edge_text(e, stages);
            let label = if text.is_empty() {
                String::new()
            } else {
                format!(" [label=\"{}\"]", dot_escape(&text))
            };
            let _ = writeln!(out, "  \"{}\" -> \"{}\"{label};", e.from, e.to);
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid flowchart (`flowchart LR`): executions as rectangles,
    /// artifacts as stadiums, stages as rounded boxes, missing ends as hexagons (class
    /// `missing`).
    ///
    /// # Example
    /// ```no_run
    /// # fn main() -> Result<(), mlmd_lens::Error> {
    /// let store = mlmd_lens::Store::open_path("mlmd")?;
    /// let text = store.lineage_graph("a5", &Default::default())?.to_mermaid();
    /// assert!(text.starts_with("flowchart LR"));
    /// # Ok(()) }
    /// ```
    pub fn to_mermaid(&self) -> String {
        let stages = self.kind == "context";
        let mut out = String::from("flowchart LR\n");
        let mut missing = Vec::new();
        for n in &self.nodes {
            let label =
                node_lines(n).iter().map(|l| mermaid_escape(l)).collect::<Vec<_>>().join("<br/>");
            let (open, close) = match n.kind {
                "artifact" => ("([\"", "\"])"),
                "missing" => ("{{\"", "\"}}"),
                "stage" => ("(\"", "\")"),
                _ => ("[\"", "\"]"),
            };
            let _ = writeln!(out, "  {}{open}{label}{close}", n.key);
            if n.kind == "missing" {
                missing.push(n.key.as_str());
            }
        }
        for e in &self.edges {
            let text = edge_text(e, stages);
            let arrow =
                if e.type_name == "INPUT" || e.type_name == "OUTPUT" { "-->" } else { "-.->" };
            if text.is_empty() {
                let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
            } else {
                let _ =
                    writeln!(out, "  {} {arrow}|\"{}\"| {}", e.from, mermaid_escape(&text), e.to);
            }
        }
        if !missing.is_empty() {
            out.push_str("  classDef missing stroke-dasharray: 5 5\n");
            let _ = writeln!(out, "  class {} missing", missing.join(","));
        }
        if self.nodes.iter().any(|n| n.key == self.root) {
            let _ = writeln!(out, "  style {} stroke-width:3px", self.root);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_leave_no_syntax_behind() {
        assert_eq!(dot_escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        let m = mermaid_escape("x\"]; click A call(y) <b>#1 & `z` | w");
        assert!(!m.contains('"') && !m.contains('<') && !m.contains('`') && !m.contains('|'));
        assert!(m.contains("#quot;") && m.contains("#35;1"));
    }
}
