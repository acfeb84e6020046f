//! Documentation files kept beside manifests (a README, a `docs/` folder and its images): read by
//! the crawl like manifests, so the parse cache and the incremental build see them change.

use serde::{Deserialize, Serialize};

use crate::Origin;

/// One documentation file as read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Narrative {
    pub origin: Origin,
    /// Markdown, for a `.md` file.
    pub text: Option<String>,
    /// The bytes of an image (PNG, JPEG, GIF or WebP, told by its content), hex-encoded in the
    /// parse cache.
    #[serde(
        default,
        with = "hex",
        skip_serializing_if = "crate::cache_form::skip_empty"
    )]
    pub image: Vec<u8>,
}

/// Bytes as a hex string: half the size of a JSON number array in the parse cache.
mod hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            out.push_str(&format!("{b:02x}"));
        }
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        let digits = text.as_bytes();
        if digits.len() % 2 != 0 {
            return Err(serde::de::Error::custom("odd hex length"));
        }
        digits
            .chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|p| u8::from_str_radix(p, 16).ok())
                    .ok_or_else(|| serde::de::Error::custom("not hex"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_survive_the_parse_cache() {
        let n = Narrative {
            origin: Origin::default(),
            text: None,
            image: vec![0, 1, 0xab, 0xff],
        };
        let json = serde_json::to_string(&n).unwrap();
        assert!(json.contains("\"0001abff\""), "{json}");
        assert_eq!(serde_json::from_str::<Narrative>(&json).unwrap(), n);
    }
}
