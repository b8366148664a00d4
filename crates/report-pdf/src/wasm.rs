//! The binding the page's engine loads when a PDF is asked: one function.

use wasm_bindgen::prelude::*;

/// The report given as the JSON of its document (the core's `reportDoc`) as PDF bytes
/// (a `Uint8Array` in JS).
///
/// # Errors
/// An `Error` whose message says what is wrong with the document or the PDF.
#[wasm_bindgen(js_name = reportPdf)]
pub fn report_pdf(doc_json: &str) -> Result<Vec<u8>, JsError> {
    crate::render_json(doc_json).map_err(|e| JsError::new(&e.to_string()))
}
