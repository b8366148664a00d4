//! A small protobuf reader for the two messages MLMD stores inside property values:
//! `google.protobuf.Struct` (struct properties) and `google.protobuf.Any` (`proto_value`).
//!
//! Hand-written because these are the only messages needed and a full protobuf runtime
//! would cost far more wasm than these hundred lines.

use serde_json::{Map, Number, Value as Json};

/// The prefix MLMD puts before a base64 `Struct` in `string_value`.
pub const STRUCT_PREFIX: &str = "mlmd-struct::";

/// Deepest nesting accepted, so a hostile blob cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Why a blob could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

type Result<T> = std::result::Result<T, DecodeError>;

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn done(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn varint(&mut self) -> Result<u64> {
        let mut out = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.buf.get(self.pos).ok_or(DecodeError("truncated varint"))?;
            self.pos += 1;
            out |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(out);
            }
        }
        Err(DecodeError("varint too long"))
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or(DecodeError("length overflow"))?;
        let s = self.buf.get(self.pos..end).ok_or(DecodeError("truncated field"))?;
        self.pos = end;
        Ok(s)
    }

    fn len_delimited(&mut self) -> Result<&'a [u8]> {
        let n = usize::try_from(self.varint()?).map_err(|_| DecodeError("length overflow"))?;
        self.bytes(n)
    }

    /// Reads the next (field number, wire type).
    fn tag(&mut self) -> Result<(u64, u8)> {
        let t = self.varint()?;
        Ok((t >> 3, (t & 7) as u8))
    }

    fn skip(&mut self, wire: u8) -> Result<()> {
        match wire {
            0 => self.varint().map(|_| ()),
            1 => self.bytes(8).map(|_| ()),
            2 => self.len_delimited().map(|_| ()),
            5 => self.bytes(4).map(|_| ()),
            _ => Err(DecodeError("unsupported wire type")),
        }
    }
}

fn utf8(b: &[u8]) -> Result<String> {
    String::from_utf8(b.to_vec()).map_err(|_| DecodeError("string is not UTF-8"))
}

/// Decodes a serialized `google.protobuf.Struct` to a JSON object.
///
/// # Errors
/// A [`DecodeError`] when the bytes are not a well-formed Struct.
///
/// ```
/// // {"a": 1.0}
/// let blob = [0x0a, 0x0e, 0x0a, 0x01, b'a', 0x12, 0x09, 0x11, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
/// let json = mlmd_lens::protobuf::decode_struct(&blob).unwrap();
/// assert_eq!(json, serde_json::json!({"a": 1.0}));
/// ```
pub fn decode_struct(buf: &[u8]) -> Result<Json> {
    decode_struct_at(buf, 0)
}

fn decode_struct_at(buf: &[u8], depth: usize) -> Result<Json> {
    if depth > MAX_DEPTH {
        return Err(DecodeError("struct nested too deeply"));
    }
    let mut map = Map::new();
    let mut r = Reader::new(buf);
    while !r.done() {
        match r.tag()? {
            (1, 2) => {
                let entry = r.len_delimited()?;
                let (mut key, mut value) = (String::new(), Json::Null);
                let mut e = Reader::new(entry);
                while !e.done() {
                    match e.tag()? {
                        (1, 2) => key = utf8(e.len_delimited()?)?,
                        (2, 2) => value = decode_value(e.len_delimited()?, depth + 1)?,
                        (_, w) => e.skip(w)?,
                    }
                }
                map.insert(key, value);
            }
            (_, w) => r.skip(w)?,
        }
    }
    Ok(Json::Object(map))
}

fn decode_value(buf: &[u8], depth: usize) -> Result<Json> {
    if depth > MAX_DEPTH {
        return Err(DecodeError("struct nested too deeply"));
    }
    let mut r = Reader::new(buf);
    let mut out = Json::Null;
    while !r.done() {
        out = match r.tag()? {
            (1, 0) => {
                r.varint()?;
                Json::Null
            }
            (2, 1) => {
                let b = r.bytes(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                let d = f64::from_le_bytes(a);
                Number::from_f64(d).map_or_else(|| Json::String(d.to_string()), Json::Number)
            }
            (3, 2) => Json::String(utf8(r.len_delimited()?)?),
            (4, 0) => Json::Bool(r.varint()? != 0),
            (5, 2) => decode_struct_at(r.len_delimited()?, depth + 1)?,
            (6, 2) => {
                let list = r.len_delimited()?;
                let mut l = Reader::new(list);
                let mut items = Vec::new();
                while !l.done() {
                    match l.tag()? {
                        (1, 2) => items.push(decode_value(l.len_delimited()?, depth + 1)?),
                        (_, w) => l.skip(w)?,
                    }
                }
                Json::Array(items)
            }
            (_, w) => {
                r.skip(w)?;
                continue;
            }
        };
    }
    Ok(out)
}

/// Splits a serialized `google.protobuf.Any` into its type URL and packed bytes.
///
/// # Errors
/// A [`DecodeError`] when the bytes are not a well-formed Any.
pub fn decode_any(buf: &[u8]) -> Result<(String, Vec<u8>)> {
    let mut r = Reader::new(buf);
    let (mut url, mut value) = (String::new(), Vec::new());
    while !r.done() {
        match r.tag()? {
            (1, 2) => url = utf8(r.len_delimited()?)?,
            (2, 2) => value = r.len_delimited()?.to_vec(),
            (_, w) => r.skip(w)?,
        }
    }
    Ok((url, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn decodes_the_struct_ml_metadata_wrote() {
        // The `config` property of mlmd_tfx.sqlite.
        let b64 =
            "CiIKBmxheWVycxIYMhYKCREAAAAAAABQQAoJEQAAAAAAAEBAChQKB2Ryb3BvdXQSCRGamZmZmZnJPw==";
        let blob = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        let json = decode_struct(&blob).unwrap();
        assert_eq!(json, serde_json::json!({"layers": [64.0, 32.0], "dropout": 0.2}));
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(decode_struct(&[0x0a, 0xff]).is_err());
        assert!(decode_struct(&[0x0a, 0x05, 0x0a]).is_err());
        assert!(decode_struct(&[0x0f]).is_err());
        // Deep nesting is refused, not a stack overflow.
        let mut blob: Vec<u8> = Vec::new();
        for _ in 0..200 {
            let mut v = vec![0x2a]; // Value.struct_value
            v.push(blob.len() as u8);
            v.extend_from_slice(&blob);
            blob = v;
            if blob.len() > 120 {
                break;
            }
        }
        let _ = decode_value(&blob, 0);
    }

    #[test]
    fn decodes_any() {
        let mut blob = vec![0x0a, 3, b'a', b'/', b'b', 0x12, 2, 1, 2];
        assert_eq!(decode_any(&blob).unwrap(), ("a/b".to_string(), vec![1, 2]));
        blob.truncate(7);
        assert!(decode_any(&blob).is_err());
    }
}
