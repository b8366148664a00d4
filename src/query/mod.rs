//! The search language: `pipeline:mnist AND status:completed AND property:epochs>10`.
//!
//! [`parse`] turns text into an [`Expr`] (which prints back to equivalent text); the
//! store compiles it and evaluates it over its execution index.

mod ast;
pub(crate) mod eval;
mod language;
mod parser;

pub use ast::{Expr, Field, Literal, Op};
pub use eval::parse_duration_ms;
pub use language::{
    property_term, quote_value, Example, FieldInfo, FieldKind, EXAMPLES, FIELDS, KEYWORDS,
    OPERATORS,
};
pub use parser::parse;
