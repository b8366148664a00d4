//! The embedded font (DejaVu Sans, regular and bold) and text measuring: glyph advances
//! read once per character, so that layout can wrap lines and size columns.

use std::cell::RefCell;
use std::collections::HashMap;

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Weight {
    /// Body text.
    Regular,
    /// Headings and table headers.
    Bold,
}

/// One face: its bytes and its advances (in em) by character.
struct Face {
    data: &'static [u8],
    advances: RefCell<HashMap<char, f32>>,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        Face { data, advances: RefCell::default() }
    }

    /// The advance of `c` in em (a missing glyph measures as the font's notdef).
    fn advance(&self, c: char) -> f32 {
        if let Some(a) = self.advances.borrow().get(&c) {
            return *a;
        }
        let a = FontRef::new(self.data)
            .ok()
            .map(|f| {
                let upem = f32::from(f.head().map(|h| h.units_per_em()).unwrap_or(1000)).max(1.0);
                let gid = f.charmap().map(c).unwrap_or_default();
                f.glyph_metrics(Size::unscaled(), LocationRef::default())
                    .advance_width(gid)
                    .unwrap_or(upem * 0.6)
                    / upem
            })
            .unwrap_or(0.6);
        self.advances.borrow_mut().insert(c, a);
        a
    }
}

/// The report's two faces.
pub(crate) struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    /// The faces compiled into this crate.
    pub fn load() -> Fonts {
        Fonts { regular: Face::new(dejavu::sans::regular()), bold: Face::new(dejavu::sans::bold()) }
    }

    /// The bytes of a face (for the PDF writer and the SVG renderer).
    pub fn data(&self, w: Weight) -> &'static [u8] {
        self.face(w).data
    }

    fn face(&self, w: Weight) -> &Face {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32, w: Weight) -> f32 {
        let face = self.face(w);
        text.chars().map(|c| face.advance(c)).sum::<f32>() * size
    }

    /// `text` in lines no wider than `max` points: broken at spaces, a word wider than a
    /// line broken between characters; at most `max_lines` lines, the last ending in `…`
    /// when text was left out. Newlines in `text` start new lines.
    pub fn wrap(
        &self,
        text: &str,
        size: f32,
        w: Weight,
        max: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut cut = false;
        let mut paras = text.split('\n').peekable();
        'paragraphs: while let Some(para) = paras.next() {
            let mut line = String::new();
            let mut width = 0.0;
            for word in para.split(' ') {
                let ww = self.width(word, size, w);
                let space = if line.is_empty() { 0.0 } else { self.width(" ", size, w) };
                if width + space + ww <= max {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    width += space + ww;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    width = 0.0;
                    if lines.len() >= max_lines {
                        cut = true;
                        break 'paragraphs;
                    }
                }
                // The word alone: break it between characters where it is too wide.
                for c in word.chars() {
                    let cw = self.width(c.encode_utf8(&mut [0; 4]), size, w);
                    if width + cw > max && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        width = 0.0;
                        if lines.len() >= max_lines {
                            cut = true;
                            break 'paragraphs;
                        }
                    }
                    line.push(c);
                    width += cw;
                }
            }
            lines.push(line);
            if lines.len() >= max_lines && paras.peek().is_some() {
                cut = true;
                break;
            }
        }
        if cut {
            if let Some(last) = lines.last_mut() {
                while !last.is_empty() && self.width(&format!("{last}…"), size, w) > max {
                    last.pop();
                }
                last.push('…');
            }
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_line_inside_the_width() {
        let f = Fonts::load();
        let text = "a fairly long sentence with words and averyveryveryverylongwordthatmustbreak";
        let lines = f.wrap(text, 10.0, Weight::Regular, 80.0, 50);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(f.width(l, 10.0, Weight::Regular) <= 80.0 + 0.01, "{l}");
        }
        assert_eq!(lines.join("").replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn too_many_lines_end_in_an_ellipsis() {
        let f = Fonts::load();
        let lines = f.wrap(&"word ".repeat(200), 10.0, Weight::Regular, 60.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
    }

    #[test]
    fn bold_is_wider_than_regular() {
        let f = Fonts::load();
        assert!(
            f.width("Executions", 10.0, Weight::Bold)
                > f.width("Executions", 10.0, Weight::Regular)
        );
        assert!(f.width("", 10.0, Weight::Regular) == 0.0);
    }
}
