//! Draws laid-out pages with krilla: text in the embedded faces (subset into the PDF),
//! rectangles and rules as paths, charts through krilla-svg; the title, language and an
//! outline of the headings go into the document.

use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::fonts::{Fonts, Weight};
use crate::layout::{Laid, Op, Rgb, PAGE_H, PAGE_W};
use crate::{Doc, PdfError};

fn fill(c: Rgb) -> Fill {
    Fill { paint: rgb::Color::new(c.0, c.1, c.2).into(), ..Default::default() }
}

fn op(s: &mut Surface<'_>, op: &Op, faces: &[Font; 2], laid: &Laid) {
    match op {
        Op::Text { x, y, size, weight, color, text } => {
            s.set_fill(Some(fill(*color)));
            let font = faces[usize::from(*weight == Weight::Bold)].clone();
            s.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
        }
        Op::Rect { x, y, w, h, fill: c } => {
            let path = Rect::from_xywh(*x, *y, *w, *h).and_then(|r| {
                let mut pb = PathBuilder::new();
                pb.push_rect(r);
                pb.finish()
            });
            if let Some(path) = path {
                s.set_stroke(None);
                s.set_fill(Some(fill(*c)));
                s.draw_path(&path);
            }
        }
        Op::Rule { x, y, w, color } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x, *y);
            pb.line_to(x + w, *y);
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(color.0, color.1, color.2).into(),
                    width: 0.5,
                    ..Default::default()
                }));
                s.draw_path(&path);
                s.set_stroke(None);
            }
        }
        Op::Chart { index, x, y, w, h } => {
            if let (Some(tree), Some(size)) = (laid.charts.get(*index), Size::from_wh(*w, *h)) {
                s.push_transform(&Transform::from_translate(*x, *y));
                s.draw_svg(tree, size, SvgSettings::default());
                s.pop();
            }
        }
    }
}

/// The PDF of the laid-out `doc`.
pub(crate) fn pdf(doc: &Doc, laid: &Laid, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let face = |w: Weight| {
        Font::new(fonts.data(w).into(), 0)
            .ok_or_else(|| PdfError::Write("the embedded font does not load".into()))
    };
    let faces = [face(Weight::Regular)?, face(Weight::Bold)?];
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language(doc.lang.clone())
            .creator(format!("mlmd-lens {}", env!("CARGO_PKG_VERSION"))),
    );
    let settings = || {
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Write("bad page size".into()))
    };
    for ops in &laid.pages {
        let mut page = document.start_page_with(settings()?);
        let mut surface = page.surface();
        for o in ops {
            op(&mut surface, o, &faces, laid);
        }
        surface.finish();
        page.finish();
    }
    // Bookmarks: sections, and the executions under "Details".
    let mut outline = Outline::new();
    let mut section: Option<OutlineNode> = None;
    for m in &laid.marks {
        let node =
            OutlineNode::new(m.text.clone(), XyzDestination::new(m.page, Point::from_xy(0.0, m.y)));
        match (m.level, section.as_mut()) {
            (3, Some(parent)) => parent.push_child(node),
            (1, _) => {}
            _ => {
                if let Some(done) = section.replace(node) {
                    outline.push_child(done);
                }
            }
        }
    }
    if let Some(done) = section {
        outline.push_child(done);
    }
    document.set_outline(outline);
    document.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}
