//! The mlmd-lens report ([`mlmd_lens_report_doc::Doc`]) as a PDF: A4 pages, text in an
//! embedded DejaVu Sans (subset into the file, so it stays selectable and searchable),
//! tables that run over pages with their header repeated, and the core's charts (SVG)
//! drawn as vectors. Nothing here decides what a report says: the core builds the
//! document, this crate only lays it out and draws it.
//!
//! The CLI links it natively (`mlmd-lens export --format pdf`); the page loads it as a
//! second wasm module only when a PDF is asked (`src/wasm.rs`), so the viewer's own module
//! stays small.
//!
//! ```
//! use mlmd_lens_report_doc::{Block, Doc};
//! let doc = Doc {
//!     title: "MLMD report — mlmd".into(),
//!     lang: "en".into(),
//!     blocks: vec![Block::Heading { level: 1, text: "MLMD report — mlmd".into() }],
//! };
//! let pdf = mlmd_lens_report_pdf::render(&doc).unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```

mod draw;
mod fonts;
mod layout;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use mlmd_lens_report_doc::Doc;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document handed over is not a report document (bad JSON from a host).
    #[error("the report document is not valid: {0}")]
    Document(String),
    /// The PDF writer refused the content.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// The report as PDF bytes.
///
/// # Errors
/// [`PdfError::Write`] when the PDF writer refuses the content (it does not for the
/// documents the core builds; a chart whose SVG does not parse is left out, said so in
/// its place).
pub fn render(doc: &Doc) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::Fonts::load();
    let pages = layout::pages(doc, &fonts);
    draw::pdf(doc, &pages, &fonts)
}

/// The report, given as the JSON of a [`Doc`] (what the core's `reportDoc` returns), as
/// PDF bytes.
///
/// # Errors
/// [`PdfError::Document`] for JSON that is not a report document; as [`render`].
pub fn render_json(json: &str) -> Result<Vec<u8>, PdfError> {
    let doc: Doc = serde_json::from_str(json).map_err(|e| PdfError::Document(e.to_string()))?;
    render(&doc)
}
