//! What an untagged scalar means: the YAML 1.2 core schema as `reference`'s options resolve it.
//!
//! Ported from serde-saphyr 2.2 (`parse_scalars.rs` and `YamlDeserializer::deserialize_any`,
//! MIT/Apache-2.0) with the options `reference::options` sets: strict booleans, leading-zero
//! numbers kept as text, no legacy octal, underscores allowed in numbers, non-finite floats
//! refused. tests/yaml_equivalence.rs holds the two readings to the same trees.

/// A resolved untagged scalar.
#[derive(Debug, PartialEq)]
pub(super) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// The scalar is text as it stands.
    Text,
    /// A non-finite float (`.inf`, `1e999`): the reference reading refuses it with its own
    /// error, so it decides.
    Refused,
}

/// Resolve a scalar of the given style; `plain` is false for quoted and block scalars.
pub(super) fn resolve(value: &str, plain: bool) -> Scalar {
    if !plain {
        return Scalar::Text;
    }
    if matches!(value, "" | "~" | "null" | "Null" | "NULL") {
        return Scalar::Null;
    }
    let t = yaml_trim(value);
    match t {
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        _ => {}
    }
    // Cheap exit for the common case: text that cannot start a number.
    let Some(&first) = t.as_bytes().first() else {
        return Scalar::Text;
    };
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Scalar::Text;
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let uppercase_radix = matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
    if uppercase_radix || is_signed_nan(t) || leading_zero_decimal(t) {
        return Scalar::Text;
    }
    if let Some(rest) = t.strip_prefix('-') {
        if let Some(v) = parse_int(rest, true).and_then(|v| i64::try_from(v).ok()) {
            return Scalar::Int(v);
        }
    } else if let Some(v) = parse_int(t.strip_prefix('+').unwrap_or(t), false) {
        if let Ok(v) = u64::try_from(v) {
            // A u64 beyond i64 reads as a float, as serde's `visit_u64` made it.
            return i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int);
        }
    }
    match parse_float(t) {
        Some(f) if f.is_finite() => Scalar::Float(f),
        Some(_) => Scalar::Refused,
        None => Scalar::Text,
    }
}

/// YAML's own whitespace, not Unicode's.
fn yaml_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn is_signed_nan(t: &str) -> bool {
    t.strip_prefix(['+', '-'])
        .is_some_and(|unsigned| matches!(unsigned, ".nan" | ".NaN" | ".NAN"))
}

/// `0755`, `-007`: kept as text (YAML 1.2 has no implicit octal).
fn leading_zero_decimal(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// An integer without its sign: decimal, `0x`, `0o` or `0b`, single underscores between digits.
/// Signed as i128 so that `-9223372036854775808` fits before the i64 check.
fn parse_int(rest: &str, negative: bool) -> Option<i128> {
    let (radix, digits) = if let Some(r) = rest.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = rest.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = rest.strip_prefix("0b") {
        (2, r)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    let magnitude = parse_digits(digits, radix)?;
    if negative {
        if magnitude == (i128::MAX as u128) + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(magnitude).ok()?.checked_neg()
        }
    } else {
        i128::try_from(magnitude).ok()
    }
}

fn parse_digits(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut saw_digit = false;
    for (i, &b) in bytes.iter().enumerate() {
        let digit = match b {
            b'_' => {
                let prev_ok = i > 0 && bytes[i - 1] != b'_';
                let next_ok = i + 1 < bytes.len() && bytes[i + 1] != b'_';
                if !prev_ok || !next_ok {
                    return None;
                }
                continue;
            }
            b'0'..=b'9' => u32::from(b - b'0'),
            b'a'..=b'f' if radix > 10 => 10 + u32::from(b - b'a'),
            b'A'..=b'F' if radix > 10 => 10 + u32::from(b - b'A'),
            _ => return None,
        };
        if digit >= radix {
            return None;
        }
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(digit))?;
        saw_digit = true;
    }
    saw_digit.then_some(value)
}

/// A float as the core schema reads it; `Some(non-finite)` for `.inf`, `.nan` and literals
/// beyond f64 (`1e999`), which the caller refuses.
fn parse_float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        // `inf`/`nan` spelled Rust's way are text; an overflowing literal is infinite.
        Ok(v) if v.is_infinite() && unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) => {
            Some(v)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{resolve, Scalar};

    #[test]
    fn core_schema_forms() {
        let cases: &[(&str, Scalar)] = &[
            ("", Scalar::Null),
            ("~", Scalar::Null),
            ("Null", Scalar::Null),
            ("nULL", Scalar::Text),
            ("true", Scalar::Bool(true)),
            ("FALSE", Scalar::Bool(false)),
            ("yes", Scalar::Text),
            ("no", Scalar::Text),
            ("on", Scalar::Text),
            ("42", Scalar::Int(42)),
            ("-42", Scalar::Int(-42)),
            ("+7", Scalar::Int(7)),
            ("0x1f", Scalar::Int(31)),
            ("0X1F", Scalar::Text),
            ("0o17", Scalar::Int(15)),
            ("0b101", Scalar::Int(5)),
            ("1_000", Scalar::Int(1000)),
            ("1__000", Scalar::Text),
            ("0755", Scalar::Text),
            ("-9223372036854775808", Scalar::Int(i64::MIN)),
            ("9223372036854775808", Scalar::Float(9223372036854775808.0)),
            ("1.5", Scalar::Float(1.5)),
            ("1e3", Scalar::Float(1000.0)),
            (".5", Scalar::Float(0.5)),
            (".inf", Scalar::Refused),
            ("-.Inf", Scalar::Refused),
            ("1e999", Scalar::Refused),
            ("-.nan", Scalar::Text),
            ("nan", Scalar::Text),
            ("inf", Scalar::Text),
            ("1.0.0", Scalar::Text),
            ("2024-01-01", Scalar::Text),
        ];
        for (text, expected) in cases {
            assert_eq!(&resolve(text, true), expected, "{text:?}");
        }
        assert_eq!(resolve("42", false), Scalar::Text);
        assert_eq!(resolve("", false), Scalar::Text);
    }
}
