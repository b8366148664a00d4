//! The HTML report: one self-contained page (no script, no network; every text from the
//! file escaped) drawing the report's document ([`super::report`]): headings, notes,
//! figures, tables and the charts' SVG inline.

use std::fmt::Write as _;

use mlmd_lens_report_doc::{Block, Doc};

/// `text` with `& < > " '` escaped, for element content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report's stylesheet: screen and print.
const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}\
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ccd}\
h3{font-size:1rem;margin:1rem 0 .25rem}.meta{color:#555;margin:0}p.label{font-weight:600;margin:.5rem 0 .15rem}\
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border:1px solid #ccd;padding:2px 6px;text-align:left;vertical-align:top}\
th{background:#eef}td.num{text-align:right;font-variant-numeric:tabular-nums}\
dl.figures{display:flex;flex-wrap:wrap;gap:.5rem 2rem}dl.figures div{min-width:8rem}dt{color:#555;font-size:12px}dd{margin:0;font-size:1.2rem}\
figure{margin:.5rem 0}figure svg{max-width:100%;height:auto}.note{color:#555;font-style:italic}\
@media print{body{margin:0}h2,h3{break-after:avoid}thead{display:table-header-group}tr,figure{break-inside:avoid}}";

/// A table: the header, then one row per entry (numeric columns aligned right).
fn table(out: &mut String, headers: &[(&str, bool)], rows: &[Vec<String>]) {
    out.push_str("<table><thead><tr>");
    for (h, _) in headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let num = headers.get(i).is_some_and(|h| h.1);
            let _ =
                write!(out, "<td{}>{}</td>", if num { " class=\"num\"" } else { "" }, escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// The report as one HTML page. It has no script and loads nothing (its CSP says so);
/// charts are the core's own SVG (their text escaped where it was written), inline.
pub(crate) fn doc_html(doc: &Doc) -> String {
    let mut out = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
<meta name=\"generator\" content=\"mlmd-lens {version}\"><title>{t}</title><style>{STYLE}</style></head><body>",
        lang = escape(&doc.lang),
        version = env!("CARGO_PKG_VERSION"),
        t = escape(&doc.title),
    );
    for block in &doc.blocks {
        match block {
            Block::Heading { level, text } => {
                let l = (*level).clamp(1, 3);
                let _ = write!(out, "<h{l}>{}</h{l}>", escape(text));
            }
            Block::Text { text, note: true } => {
                let _ = write!(out, "<p class=\"meta note\">{}</p>", escape(text));
            }
            Block::Text { text, note: false } => {
                let _ = write!(out, "<p class=\"label\">{}</p>", escape(text));
            }
            Block::Figures { items } => {
                out.push_str("<dl class=\"figures\">");
                for f in items {
                    let _ = write!(
                        out,
                        "<div><dt>{}</dt><dd>{}</dd></div>",
                        escape(&f.label),
                        escape(&f.value)
                    );
                }
                out.push_str("</dl>");
            }
            Block::Table { columns, rows } => {
                let headers: Vec<(&str, bool)> =
                    columns.iter().map(|c| (c.title.as_str(), c.numeric)).collect();
                table(&mut out, &headers, rows);
            }
            Block::Pairs { items } => {
                let rows: Vec<Vec<String>> =
                    items.iter().map(|f| vec![f.label.clone(), f.value.clone()]).collect();
                table(&mut out, &[("Name", false), ("Value", false)], &rows);
            }
            Block::Chart { title, svg } => {
                let _ = write!(
                    out,
                    "<figure role=\"img\" aria-label=\"{}\">{svg}</figure>",
                    escape(title)
                );
            }
        }
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
