//! The two protobuf messages MLMD stores inside property values, decoded with
//! `prost-types`: `google.protobuf.Struct` (struct properties, as
//! `mlmd-struct::<base64>` in `string_value`) to JSON, and `google.protobuf.Any`
//! (`proto_value`) to its type URL and packed bytes.

use prost::Message;
use prost_types::value::Kind;
use serde_json::{Map, Number, Value as Json};

/// The prefix MLMD puts before a base64 `Struct` in `string_value`.
pub const STRUCT_PREFIX: &str = "mlmd-struct::";

/// Deepest struct/list nesting turned into JSON (prost itself refuses messages nested
/// deeper than 100 while decoding, so a hostile blob cannot exhaust the stack).
const MAX_DEPTH: usize = 24;

/// Why a blob could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

/// Decodes a serialized `google.protobuf.Struct` into a JSON object.
///
/// # Errors
/// [`DecodeError`] for bytes that are not a `Struct`, or nested deeper than 24 levels.
pub fn decode_struct(blob: &[u8]) -> Result<Json, DecodeError> {
    let s = prost_types::Struct::decode(blob).map_err(|e| DecodeError(e.to_string()))?;
    struct_json(&s, 0)
}

/// Decodes a serialized `google.protobuf.Any` into `(type_url, value)`.
///
/// # Errors
/// [`DecodeError`] for bytes that are not an `Any`.
pub fn decode_any(blob: &[u8]) -> Result<(String, Vec<u8>), DecodeError> {
    let any = prost_types::Any::decode(blob).map_err(|e| DecodeError(e.to_string()))?;
    Ok((any.type_url, any.value))
}

fn struct_json(s: &prost_types::Struct, depth: usize) -> Result<Json, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError(format!("struct nested deeper than {MAX_DEPTH} levels")));
    }
    let mut out = Map::new();
    for (k, v) in &s.fields {
        out.insert(k.clone(), value_json(v, depth + 1)?);
    }
    Ok(Json::Object(out))
}

fn value_json(v: &prost_types::Value, depth: usize) -> Result<Json, DecodeError> {
    Ok(match &v.kind {
        None | Some(Kind::NullValue(_)) => Json::Null,
        Some(Kind::NumberValue(n)) => {
            Number::from_f64(*n).map_or_else(|| Json::String(n.to_string()), Json::Number)
        }
        Some(Kind::StringValue(s)) => Json::String(s.clone()),
        Some(Kind::BoolValue(b)) => Json::Bool(*b),
        Some(Kind::StructValue(s)) => struct_json(s, depth)?,
        Some(Kind::ListValue(l)) => {
            if depth > MAX_DEPTH {
                return Err(DecodeError(format!("list nested deeper than {MAX_DEPTH} levels")));
            }
            Json::Array(
                l.values.iter().map(|x| value_json(x, depth + 1)).collect::<Result<_, _>>()?,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use prost_types::{ListValue, Struct, Value};

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
    }

    /// A struct holding a list holding a struct …, `levels` deep.
    fn nested(levels: usize) -> Vec<u8> {
        let mut v = Value { kind: Some(Kind::StringValue("leaf".into())) };
        for i in 0..levels {
            v = if i % 2 == 0 {
                Value { kind: Some(Kind::ListValue(ListValue { values: vec![v] })) }
            } else {
                let fields = [("k".to_string(), v)].into_iter().collect();
                Value { kind: Some(Kind::StructValue(Struct { fields })) }
            };
        }
        Struct { fields: [("root".to_string(), v)].into_iter().collect() }.encode_to_vec()
    }

    #[test]
    fn nesting_is_decoded_up_to_the_limit_and_refused_beyond() {
        let ok = decode_struct(&nested(16)).unwrap();
        assert_eq!(ok.to_string().matches("leaf").count(), 1);
        // Deeper than MAX_DEPTH but within prost's own limit: refused by our check.
        let err = decode_struct(&nested(30)).unwrap_err();
        assert!(err.0.contains("nested deeper"), "{err:?}");
        // Far deeper: refused by prost while decoding, not a stack overflow.
        assert!(decode_struct(&nested(300)).is_err());
    }

    #[test]
    fn decodes_any() {
        let mut blob = vec![0x0a, 3, b'a', b'/', b'b', 0x12, 2, 1, 2];
        assert_eq!(decode_any(&blob).unwrap(), ("a/b".to_string(), vec![1, 2]));
        blob.truncate(7);
        assert!(decode_any(&blob).is_err());
    }
}
