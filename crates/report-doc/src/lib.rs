//! The report as a document: a title and a list of blocks (headings, paragraphs, figures,
//! tables, charts). The core decides what a report says and in which order (one place);
//! the HTML writer (in the core) and the PDF writer (`mlmd-lens-report-pdf`, a separate
//! wasm module loaded only when a PDF is asked) only draw these blocks. The document
//! crosses between them as JSON.
//!
//! ```
//! use mlmd_lens_report_doc::{Block, Column, Doc};
//! let doc = Doc {
//!     title: "MLMD report — mlmd".into(),
//!     lang: "en".into(),
//!     blocks: vec![
//!         Block::Heading { level: 2, text: "Executions (1)".into() },
//!         Block::Table {
//!             columns: vec![Column::text("Name"), Column::number("Duration")],
//!             rows: vec![vec!["Train_b3c32340".into(), "1.2 s".into()]],
//!         },
//!     ],
//! };
//! let json = serde_json::to_string(&doc).unwrap();
//! assert_eq!(serde_json::from_str::<Doc>(&json).unwrap(), doc);
//! ```
#![forbid(unsafe_code)]

use serde::{Deserialize, Serialize};

/// A report: its title and its blocks, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    /// The document title (the HTML `<title>`, the PDF's title and first heading).
    pub title: String,
    /// The language of the words the report adds (BCP 47, `en`).
    pub lang: String,
    /// The content.
    pub blocks: Vec<Block>,
}

/// One block of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Block {
    /// A heading: level 1 is the title, 2 a section, 3 a subsection (one execution).
    Heading {
        /// 1, 2 or 3 (anything deeper reads as 3).
        level: u8,
        /// Its text.
        text: String,
    },
    /// A paragraph.
    Text {
        /// Its text (plain: never markup).
        text: String,
        /// A muted note (what the report left out, where a figure comes from).
        #[serde(default)]
        note: bool,
    },
    /// Figures side by side: a label over a value.
    Figures {
        /// (label, value) pairs.
        items: Vec<Figure>,
    },
    /// A table: its columns and its rows of cell text (a long table runs over pages, its
    /// header repeated).
    Table {
        /// The columns.
        columns: Vec<Column>,
        /// The rows: one text per column.
        rows: Vec<Vec<String>>,
    },
    /// A list of name–value pairs (an execution's properties).
    Pairs {
        /// (name, value) pairs, in order.
        items: Vec<Figure>,
    },
    /// A chart drawn from SVG text (made by the core: plotters or its own).
    Chart {
        /// What it shows (alt text and caption).
        title: String,
        /// The SVG document.
        svg: String,
    },
}

/// A label and its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// What the value is.
    pub label: String,
    /// The value as shown.
    pub value: String,
}

impl Figure {
    /// A figure from anything printable.
    ///
    /// ```
    /// let f = mlmd_lens_report_doc::Figure::new("Executions", 20);
    /// assert_eq!((f.label.as_str(), f.value.as_str()), ("Executions", "20"));
    /// ```
    pub fn new(label: impl Into<String>, value: impl ToString) -> Figure {
        Figure { label: label.into(), value: value.to_string() }
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The header.
    pub title: String,
    /// Figures: aligned right.
    #[serde(default)]
    pub numeric: bool,
}

impl Column {
    /// A text column.
    pub fn text(title: impl Into<String>) -> Column {
        Column { title: title.into(), numeric: false }
    }

    /// A column of figures (aligned right).
    pub fn number(title: impl Into<String>) -> Column {
        Column { title: title.into(), numeric: true }
    }
}
