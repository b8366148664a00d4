//! Lays a report document out on A4 pages: each block becomes drawing operations at
//! fixed positions (text lines, rectangles, rules, charts), a block that does not fit
//! starts a new page, a table runs over pages with its header repeated. Drawing is
//! [`crate::draw`]'s; nothing here touches the PDF.

use std::sync::Arc;

use mlmd_lens_report_doc::{Block, Column, Doc, Figure};

use crate::fonts::{Fonts, Weight};

/// A4 in points.
pub(crate) const PAGE_W: f32 = 595.28;
/// A4 in points.
pub(crate) const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 36.0;
const TOP: f32 = MARGIN;
/// Content stops here; the footer sits below.
const BOTTOM: f32 = PAGE_H - MARGIN - 12.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;

/// An RGB colour.
pub(crate) type Rgb = (u8, u8, u8);
const INK: Rgb = (27, 31, 36);
const MUTED: Rgb = (85, 90, 100);
const RULE: Rgb = (200, 204, 214);
const HEADER_BG: Rgb = (234, 236, 250);

/// One drawing operation, in points from the page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// A line of text; `y` is its baseline.
    Text { x: f32, y: f32, size: f32, weight: Weight, color: Rgb, text: String },
    /// A filled rectangle.
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Rgb },
    /// A horizontal rule.
    Rule { x: f32, y: f32, w: f32, color: Rgb },
    /// Chart `index` of [`Laid::charts`], scaled into the box.
    Chart { index: usize, x: f32, y: f32, w: f32, h: f32 },
}

/// A heading, for the PDF's outline (bookmarks).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mark {
    /// 1–3.
    pub level: u8,
    /// The heading's text.
    pub text: String,
    /// Page index.
    pub page: usize,
    /// Top of the heading on its page.
    pub y: f32,
}

/// The laid-out document.
pub(crate) struct Laid {
    /// The pages' operations.
    pub pages: Vec<Vec<Op>>,
    /// The parsed charts the pages refer to.
    pub charts: Vec<usvg::Tree>,
    /// The headings, in order.
    pub marks: Vec<Mark>,
}

struct Layout<'a> {
    fonts: &'a Fonts,
    svg: usvg::Options<'static>,
    pages: Vec<Vec<Op>>,
    charts: Vec<usvg::Tree>,
    marks: Vec<Mark>,
    y: f32,
}

impl Layout<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` more points fit on this one (a page that holds
    /// nothing yet takes anything: an item taller than a page is cut, not looped on).
    fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM && self.y > TOP + 0.5 {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, weight: Weight, color: Rgb, text: String) {
        if !text.is_empty() {
            self.ops().push(Op::Text { x, y: baseline, size, weight, color, text });
        }
    }

    /// Wrapped lines of `text` across the content width.
    fn paragraph(&mut self, text: &str, size: f32, weight: Weight, color: Rgb) {
        let line_h = size * 1.35;
        for line in self.fonts.wrap(text, size, weight, WIDTH, 400) {
            self.ensure(line_h);
            self.text(MARGIN, self.y + size, size, weight, color, line);
            self.y += line_h;
        }
    }

    /// The height of a chart's box once scaled to the page (0 for SVG that does not parse).
    fn chart_height(&self, svg: &str) -> f32 {
        usvg::Tree::from_str(svg, &self.svg).map_or(0.0, |t| {
            let (w, h) = (t.size().width(), t.size().height());
            h * (WIDTH / w).min((BOTTOM - TOP) / h).min(1.0)
        })
    }

    /// `keep`: the height of what follows that must stay on the heading's page.
    fn heading(&mut self, level: u8, text: &str, keep: f32) {
        let level = level.clamp(1, 3);
        let (size, before) = match level {
            1 => (18.0, 0.0),
            2 => (13.0, 14.0),
            _ => (10.5, 9.0),
        };
        // Keep a heading with the start of what follows it.
        self.ensure(before + size * 1.4 + keep.min(BOTTOM - TOP - 60.0));
        if self.y > TOP + 0.5 {
            self.y += before;
        }
        let page = self.pages.len().max(1) - 1;
        self.marks.push(Mark { level, text: text.to_string(), page, y: self.y });
        self.paragraph(text, size, Weight::Bold, INK);
        if level == 2 {
            let y = self.y;
            self.ops().push(Op::Rule { x: MARGIN, y, w: WIDTH, color: RULE });
            self.y += 5.0;
        } else {
            self.y += 2.0;
        }
    }

    fn figures(&mut self, items: &[Figure]) {
        const PER_ROW: usize = 4;
        let cell = WIDTH / PER_ROW as f32;
        for row in items.chunks(PER_ROW) {
            self.ensure(34.0);
            for (i, f) in row.iter().enumerate() {
                let x = MARGIN + i as f32 * cell;
                let label = self.fonts.wrap(&f.label, 7.5, Weight::Regular, cell - 8.0, 1);
                let value = self.fonts.wrap(&f.value, 13.0, Weight::Regular, cell - 8.0, 1);
                self.text(x, self.y + 8.0, 7.5, Weight::Regular, MUTED, label.concat());
                self.text(x, self.y + 24.0, 13.0, Weight::Regular, INK, value.concat());
            }
            self.y += 34.0;
        }
        self.y += 4.0;
    }

    /// Column widths that fill the content width: each column's natural width (its
    /// widest text), the widest ones shrunk first when they do not all fit.
    fn widths(&self, columns: &[Column], rows: &[Vec<String>], size: f32, pad: f32) -> Vec<f32> {
        let natural = self.widths_natural(columns, rows, size, pad);
        let total: f32 = natural.iter().sum();
        if total <= WIDTH {
            // Room to spare: every column grows in proportion.
            return natural.iter().map(|w| w * WIDTH / total).collect();
        }
        // Max-min fair shares: narrow columns keep their width, wide ones share the rest.
        let mut order: Vec<usize> = (0..natural.len()).collect();
        order.sort_by(|a, b| natural[*a].total_cmp(&natural[*b]));
        let mut widths = vec![0.0; natural.len()];
        let mut left = WIDTH;
        for (k, &i) in order.iter().enumerate() {
            let share = left / (order.len() - k) as f32;
            widths[i] = natural[i].min(share);
            left -= widths[i];
        }
        widths
    }

    /// Each column's natural width: its widest cell (a header may wrap between words).
    fn widths_natural(
        &self,
        columns: &[Column],
        rows: &[Vec<String>],
        size: f32,
        pad: f32,
    ) -> Vec<f32> {
        /// Rows measured for natural widths (a long table's first rows stand for it).
        const SAMPLE: usize = 400;
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                // A header may wrap between its words; a cell's text should not have to.
                let head = c
                    .title
                    .split(' ')
                    .map(|w| self.fonts.width(w, size, Weight::Bold))
                    .fold(0.0, f32::max);
                let body = rows
                    .iter()
                    .take(SAMPLE)
                    .filter_map(|r| r.get(i))
                    .map(|t| self.fonts.width(t, size, Weight::Regular))
                    .fold(0.0, f32::max);
                head.max(body).max(12.0) + 2.0 * pad
            })
            .collect()
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<String>], widths: Option<Vec<f32>>) {
        /// The table's type size, and the smallest it shrinks to so that a wide table's
        /// cells fit on one line each.
        const BASE: f32 = 7.0;
        const SMALLEST: f32 = 5.5;
        const PAD: f32 = 2.5;
        const MAX_LINES: usize = 8;
        let (widths, size) = match widths {
            Some(w) => (w, BASE),
            None => {
                let natural: f32 = self.widths_natural(columns, rows, BASE, PAD).iter().sum();
                // Text scales with the size, the cells' padding does not.
                let pads = 2.0 * PAD * columns.len() as f32;
                let size = if natural > WIDTH {
                    (BASE * 0.99 * (WIDTH - pads) / (natural - pads).max(1.0)).max(SMALLEST)
                } else {
                    BASE
                };
                (self.widths(columns, rows, size, PAD), size)
            }
        };
        let line_h = size * 1.3;
        let xs: Vec<f32> = widths
            .iter()
            .scan(MARGIN, |x, w| {
                let at = *x;
                *x += w;
                Some(at)
            })
            .collect();
        let cells = |row: &[String], weight: Weight, fonts: &Fonts| -> Vec<Vec<String>> {
            widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let text = row.get(i).map(String::as_str).unwrap_or("");
                    fonts.wrap(text, size, weight, (w - 2.0 * PAD).max(4.0), MAX_LINES)
                })
                .collect()
        };
        let header: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let head_cells = cells(&header, Weight::Bold, self.fonts);
        let head_h = head_cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_h + 2.0 * PAD;
        let draw_row = |me: &mut Self, lines: &[Vec<String>], h: f32, weight: Weight, bg: bool| {
            let y = me.y;
            if bg {
                me.ops().push(Op::Rect { x: MARGIN, y, w: WIDTH, h, fill: HEADER_BG });
            }
            for (i, cell) in lines.iter().enumerate() {
                let numeric = columns.get(i).is_some_and(|c| c.numeric);
                for (k, line) in cell.iter().enumerate() {
                    let base = y + PAD + size + k as f32 * line_h;
                    let x = if numeric {
                        xs[i] + widths[i] - PAD - me.fonts.width(line, size, weight)
                    } else {
                        xs[i] + PAD
                    };
                    me.text(x, base, size, weight, INK, line.clone());
                }
            }
            me.ops().push(Op::Rule { x: MARGIN, y: y + h, w: WIDTH, color: RULE });
            me.y += h;
        };
        self.ensure(head_h + line_h + 2.0 * PAD);
        draw_row(self, &head_cells, head_h, Weight::Bold, true);
        for row in rows {
            let lines = cells(row, Weight::Regular, self.fonts);
            let h = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_h + 2.0 * PAD;
            if self.y + h > BOTTOM {
                self.new_page();
                draw_row(self, &head_cells, head_h, Weight::Bold, true);
            }
            draw_row(self, &lines, h, Weight::Regular, false);
        }
        self.y += 8.0;
    }

    fn chart(&mut self, title: &str, svg: &str) {
        let tree = match usvg::Tree::from_str(svg, &self.svg) {
            Ok(t) => t,
            Err(e) => {
                self.paragraph(
                    &format!("({title}: the chart could not be drawn: {e})"),
                    9.0,
                    Weight::Regular,
                    MUTED,
                );
                return;
            }
        };
        let size = tree.size();
        let (w, h) = (size.width(), size.height());
        if !(w > 0.0 && h > 0.0) {
            return;
        }
        let scale = (WIDTH / w).min((BOTTOM - TOP) / h).min(1.0);
        let (w, h) = (w * scale, h * scale);
        self.ensure(h + 6.0);
        let index = self.charts.len();
        self.charts.push(tree);
        let y = self.y;
        self.ops().push(Op::Chart { index, x: MARGIN, y, w, h });
        self.y += h + 10.0;
    }

    fn footers(&mut self, title: &str) {
        let n = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let y = PAGE_H - MARGIN + 14.0;
            let label = format!("page {} of {n}", i + 1);
            let lw = self.fonts.width(&label, 7.0, Weight::Regular);
            let left = self.fonts.wrap(title, 7.0, Weight::Regular, WIDTH - lw - 20.0, 1).concat();
            page.push(Op::Rule { x: MARGIN, y: y - 10.0, w: WIDTH, color: RULE });
            page.push(Op::Text {
                x: MARGIN,
                y,
                size: 7.0,
                weight: Weight::Regular,
                color: MUTED,
                text: left,
            });
            page.push(Op::Text {
                x: PAGE_W - MARGIN - lw,
                y,
                size: 7.0,
                weight: Weight::Regular,
                color: MUTED,
                text: label,
            });
        }
    }
}

/// The font database the charts' text is set in: the same DejaVu Sans, for every family
/// an SVG may name.
fn svg_options(fonts: &Fonts) -> usvg::Options<'static> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(fonts.data(Weight::Regular).to_vec());
    db.load_font_data(fonts.data(Weight::Bold).to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    db.set_serif_family("DejaVu Sans");
    db.set_monospace_family("DejaVu Sans");
    usvg::Options { fontdb: Arc::new(db), font_family: "DejaVu Sans".into(), ..Default::default() }
}

/// Lays `doc` out on pages.
pub(crate) fn pages(doc: &Doc, fonts: &Fonts) -> Laid {
    let mut l = Layout {
        fonts,
        svg: svg_options(fonts),
        pages: vec![Vec::new()],
        charts: Vec::new(),
        marks: Vec::new(),
        y: TOP,
    };
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading { level, text } => {
                let keep = match doc.blocks.get(i + 1) {
                    Some(Block::Chart { svg, .. }) => l.chart_height(svg) + 6.0,
                    _ => 48.0,
                };
                l.heading(*level, text, keep)
            }
            Block::Text { text, note } => {
                let (color, weight) =
                    if *note { (MUTED, Weight::Regular) } else { (INK, Weight::Bold) };
                l.paragraph(text, 9.0, weight, color);
                l.y += 3.0;
            }
            Block::Figures { items } => l.figures(items),
            Block::Table { columns, rows } => l.table(columns, rows, None),
            Block::Pairs { items } => {
                let rows: Vec<Vec<String>> =
                    items.iter().map(|f| vec![f.label.clone(), f.value.clone()]).collect();
                l.table(
                    &[Column::text("Name"), Column::text("Value")],
                    &rows,
                    Some(vec![WIDTH * 0.32, WIDTH * 0.68]),
                );
            }
            Block::Chart { title, svg } => l.chart(title, svg),
        }
    }
    l.footers(&doc.title);
    Laid { pages: l.pages, charts: l.charts, marks: l.marks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(blocks: Vec<Block>) -> Doc {
        Doc { title: "t".into(), lang: "en".into(), blocks }
    }

    fn texts(laid: &Laid) -> Vec<(usize, f32, f32, String)> {
        let mut out = Vec::new();
        for (p, ops) in laid.pages.iter().enumerate() {
            for op in ops {
                if let Op::Text { x, y, text, .. } = op {
                    out.push((p, *x, *y, text.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn a_long_table_runs_over_pages_with_its_header_repeated_and_stays_inside_them() {
        let rows: Vec<Vec<String>> =
            (0..300).map(|i| vec![i.to_string(), format!("execution number {i}")]).collect();
        let laid = pages(
            &doc(vec![Block::Table {
                columns: vec![Column::number("ID"), Column::text("Name")],
                rows,
            }]),
            &Fonts::load(),
        );
        assert!(laid.pages.len() >= 4, "{} pages", laid.pages.len());
        let t = texts(&laid);
        let headers = t.iter().filter(|x| x.3 == "ID").count();
        assert_eq!(headers, laid.pages.len(), "the header on every page");
        for id in ["0", "150", "299"] {
            assert_eq!(t.iter().filter(|x| x.3 == id).count(), 1, "row {id} once");
        }
        for (_, x, y, _) in &t {
            assert!(*x >= MARGIN - 0.01 && *x < PAGE_W - MARGIN, "x {x}");
            assert!(*y > TOP && *y < PAGE_H, "y {y}");
        }
    }

    #[test]
    fn wide_cells_wrap_inside_their_columns() {
        let fonts = Fonts::load();
        let long = "word ".repeat(60);
        let laid = pages(
            &doc(vec![Block::Table {
                columns: vec![Column::text("A"), Column::text("B")],
                rows: vec![vec![long.clone(), long]],
            }]),
            &fonts,
        );
        let mut lines = 0;
        for op in &laid.pages[0] {
            if let Op::Text { x, size, weight, text, .. } = op {
                if text.starts_with("word") {
                    lines += 1;
                    assert!(x + fonts.width(text, *size, *weight) <= PAGE_W - MARGIN + 0.5);
                }
            }
        }
        assert!(lines > 2, "the cells wrapped ({lines} lines)");
    }

    #[test]
    fn a_bad_chart_is_said_not_dropped() {
        let laid = pages(
            &doc(vec![Block::Chart { title: "Metrics".into(), svg: "<svg".into() }]),
            &Fonts::load(),
        );
        assert!(laid.charts.is_empty());
        assert!(texts(&laid).iter().any(|t| t.3.contains("Metrics: the chart could not be drawn")));
    }

    #[test]
    fn the_same_document_lays_out_the_same_way() {
        let d = doc(vec![
            Block::Heading { level: 1, text: "MLMD report".into() },
            Block::Figures { items: vec![Figure::new("Executions", 20)] },
            Block::Chart {
                title: "c".into(),
                svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"50\"><rect width=\"10\" height=\"10\"/><text x=\"1\" y=\"20\">hi</text></svg>".into(),
            },
        ]);
        let (a, b) = (pages(&d, &Fonts::load()), pages(&d, &Fonts::load()));
        assert_eq!(a.pages, b.pages);
        assert_eq!(a.charts.len(), 1);
        assert_eq!(a.marks.len(), 1);
    }
}
