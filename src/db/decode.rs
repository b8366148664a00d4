//! Decoding SQLite values into the crate's types, forgiving of the wrong storage class:
//! a real where an integer belongs is truncated, text that reads as a number is one,
//! invalid UTF-8 is replaced. Nothing here fails on data from a file.

use base64::Engine;
use rusqlite::types::ValueRef;
use rusqlite::Row;

use super::protobuf;
use crate::model::Value;

/// Column `i` as an integer when it holds one (a real is truncated; text that parses is accepted).
pub(super) fn int_of(r: &Row<'_>, i: usize) -> Option<i64> {
    match r.get_ref(i).ok()? {
        ValueRef::Integer(v) => Some(v),
        // A real beyond i64 (1e300) is no time and no id: unknown, not i64::MAX.
        ValueRef::Real(f) if f.is_finite() && f.abs() < 9.2e18 => Some(f as i64),
        ValueRef::Text(t) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// Column `i` as text (numbers formatted; invalid UTF-8 replaced).
pub(super) fn text_of(r: &Row<'_>, i: usize) -> Option<String> {
    text_ref(r, i).map(std::borrow::Cow::into_owned)
}

/// As [`text_of`], borrowing the row's text when it is valid UTF-8 (no copy).
pub(super) fn text_ref<'r>(r: &'r Row<'_>, i: usize) -> Option<std::borrow::Cow<'r, str>> {
    match r.get_ref(i).ok()? {
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t)),
        ValueRef::Integer(v) => Some(v.to_string().into()),
        ValueRef::Real(f) => Some(f.to_string().into()),
        ValueRef::Null => None,
    }
}

/// Decodes the six value columns starting at `first` (int, double, string, byte, proto, bool).
pub(super) fn value_at(r: &Row<'_>, first: usize) -> Value {
    let get = |k: usize| r.get_ref(first + k).unwrap_or(ValueRef::Null);
    match get(0) {
        ValueRef::Integer(i) => return Value::Int(i),
        ValueRef::Real(f) => return Value::Double(f),
        ValueRef::Text(t) => return Value::String(String::from_utf8_lossy(t).into_owned()),
        _ => {}
    }
    match get(1) {
        ValueRef::Real(f) => return Value::Double(f),
        ValueRef::Integer(i) => return Value::Double(i as f64),
        ValueRef::Text(t) => return Value::String(String::from_utf8_lossy(t).into_owned()),
        _ => {}
    }
    match get(2) {
        ValueRef::Text(t) | ValueRef::Blob(t) => return string_value(t),
        ValueRef::Integer(i) => return Value::String(i.to_string()),
        ValueRef::Real(f) => return Value::String(f.to_string()),
        ValueRef::Null => {}
    }
    match get(5) {
        ValueRef::Integer(i) => return Value::Bool(i != 0),
        ValueRef::Text(t) => {
            return Value::Bool(matches!(t, b"1" | b"true" | b"TRUE" | b"True"));
        }
        _ => {}
    }
    match get(3) {
        ValueRef::Blob(b) | ValueRef::Text(b) => return Value::Bytes(b.to_vec()),
        _ => {}
    }
    match get(4) {
        ValueRef::Blob(b) | ValueRef::Text(b) => match protobuf::decode_any(b) {
            Ok((type_url, value)) => Value::Proto { type_url, value },
            Err(_) => Value::Bytes(b.to_vec()),
        },
        _ => Value::Null,
    }
}

/// A `string_value`: a struct when it carries MLMD's struct prefix and decodes, else text.
fn string_value(raw: &[u8]) -> Value {
    let text = String::from_utf8_lossy(raw);
    if let Some(b64) = text.strip_prefix(protobuf::STRUCT_PREFIX) {
        if let Ok(blob) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
            if let Ok(json) = protobuf::decode_struct(&blob) {
                return Value::Struct(json);
            }
        }
    }
    Value::String(text.into_owned())
}
