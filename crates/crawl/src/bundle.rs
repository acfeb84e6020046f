//! Federation bundles: what `meshdoc bundle` writes in a product repository's own CI, and what a
//! central build reads instead of cloning that repository.
//!
//! A bundle is one gzip stream holding two JSON texts separated by a newline: a header
//! (`format`, `formatVersion`, the meshdoc that wrote it, the sha256 of the content) and the
//! content (the source's files as raw bytes with their provenance and git history, the crawl's
//! diagnostics, the check's diagnostics, the repository's provenance). JSON + gzip rather than
//! tar: serde_json and flate2 are already built for the rest of meshdoc, a JSON text needs no
//! second manifest to carry provenance, and `zcat b.json.gz | head -1` shows the header. The
//! checksum covers the content's exact bytes, so no re-serialisation can make it disagree.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use model::diagnostics::Diagnostic;
use model::{Change, Code, FileVersion, Origin, SourceFile};

pub const FORMAT: &str = "meshdoc-bundle";
/// Bumped on an incompatible change; a reader refuses bundles newer than it knows.
pub const FORMAT_VERSION: u32 = 1;
/// A bundle larger than this (compressed or not) is refused: a central build must stay bounded.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;
/// The ending `meshdoc bundle` gives its file and a folder of bundles is read by.
pub const EXTENSION: &str = ".bundle.json.gz";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub format: String,
    pub format_version: u32,
    /// The meshdoc that wrote it (`meshdoc 0.1.0`).
    pub generator: String,
    /// `sha256:` and the hex digest of the content text.
    pub checksum: String,
}

/// Where the bundled source came from.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// The repository's name (its folder, or the configured source name).
    pub repository: String,
    /// Its remote URL, credentials masked, where it has one.
    pub url: Option<String>,
    pub commit: Option<String>,
    #[serde(rename = "ref")]
    pub git_ref: Option<String>,
    /// The last commit of the repository (author, time, message).
    pub last_change: Option<Change>,
    /// Whether the work tree had changes not yet committed when the bundle was written.
    pub dirty: bool,
}

/// One file of the source, as the crawl read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundledFile {
    pub origin: Origin,
    /// The bytes, as text when they are UTF-8 …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// … else as hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<FileVersion>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    /// The source name the files carry in the catalog.
    pub source: String,
    pub provenance: Provenance,
    pub files: Vec<BundledFile>,
    /// What the crawl reported while reading the files (re-reported by the central build).
    pub crawl_diagnostics: Vec<Diagnostic>,
    /// Everything `meshdoc check` found in the repository when the bundle was written (for the
    /// record: the central build finds these again from the files).
    pub diagnostics: Vec<Diagnostic>,
}

/// A bundle that was read and verified.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub header: Header,
    pub content: Content,
}

impl Loaded {
    /// The files as the crawl hands them on, under source name `name`.
    pub fn source_files(&self, name: &str) -> Vec<SourceFile> {
        self.content
            .files
            .iter()
            .map(|f| {
                // Only what the crawl records; the parser fills in lines and fingerprints, and a
                // link must be a web address.
                let origin = Origin {
                    source: name.to_string(),
                    path: f.origin.path.clone(),
                    git_ref: f.origin.git_ref.clone(),
                    commit: f.origin.commit.clone(),
                    last_change: f.origin.last_change.clone(),
                    web_url: f
                        .origin
                        .web_url
                        .clone()
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                    ..Origin::default()
                };
                SourceFile {
                    origin,
                    bytes: match (&f.text, &f.hex) {
                        (Some(t), _) => t.as_bytes().to_vec(),
                        (None, Some(h)) => from_hex(h).unwrap_or_default(),
                        (None, None) => Vec::new(),
                    },
                    history: f.history.clone(),
                }
            })
            .collect()
    }
}

/// Write a bundle of `files` (as the crawl read them).
pub fn encode(
    source: &str,
    provenance: Provenance,
    files: &[SourceFile],
    crawl_diagnostics: Vec<Diagnostic>,
    diagnostics: Vec<Diagnostic>,
) -> Result<Vec<u8>, String> {
    let mut files: Vec<BundledFile> = files
        .iter()
        .map(|f| {
            let (text, hex) = match std::str::from_utf8(&f.bytes) {
                Ok(t) => (Some(t.to_string()), None),
                Err(_) => (None, Some(to_hex(&f.bytes))),
            };
            BundledFile {
                origin: f.origin.clone(),
                text,
                hex,
                history: f.history.clone(),
            }
        })
        .collect();
    files.sort_by(|a, b| a.origin.path.cmp(&b.origin.path));
    let content = Content {
        source: source.to_string(),
        provenance,
        files,
        crawl_diagnostics,
        diagnostics,
    };
    let body = serde_json::to_vec(&content).map_err(|e| format!("cannot write the bundle: {e}"))?;
    let header = Header {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        generator: concat!("meshdoc ", env!("CARGO_PKG_VERSION")).into(),
        checksum: checksum(&body),
    };
    let mut text =
        serde_json::to_vec(&header).map_err(|e| format!("cannot write the bundle: {e}"))?;
    text.push(b'\n');
    text.extend_from_slice(&body);
    // Level 6 and no file name or time in the gzip header: the same content, the same bytes.
    let mut gz = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::default());
    gz.write_all(&text)
        .and_then(|()| gz.finish())
        .map_err(|e| format!("cannot compress the bundle: {e}"))
}

/// `sha256:` + hex digest.
pub fn checksum(bytes: &[u8]) -> String {
    format!("sha256:{}", to_hex(&Sha256::digest(bytes)))
}

/// Why a bundle was refused: the diagnostic code and a message.
#[derive(Debug)]
pub struct Refused {
    pub code: Code,
    pub message: String,
    pub hint: &'static str,
}

fn refused(code: Code, message: String, hint: &'static str) -> Refused {
    Refused {
        code,
        message,
        hint,
    }
}

/// Read and verify a bundle: format, version, checksum, then the content.
pub fn decode(bytes: &[u8]) -> Result<Loaded, Refused> {
    let bad = |message: String| {
        refused(
            Code::BadBundle,
            message,
            "write bundles with `meshdoc bundle`; a bundle is a gzip file, not to be edited by hand",
        )
    };
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| bad(format!("not a gzip stream: {e}")))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(bad(format!(
            "more than {MAX_BYTES} bytes once uncompressed"
        )));
    }
    let split = text
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| bad("no header line".into()))?;
    let header: Header = serde_json::from_slice(&text[..split])
        .map_err(|e| bad(format!("unreadable header: {e}")))?;
    if header.format != FORMAT {
        return Err(bad(format!("format {:?} is not {FORMAT:?}", header.format)));
    }
    if header.format_version > FORMAT_VERSION {
        return Err(refused(
            Code::BundleVersion,
            format!(
                "bundle format version {} (written by {}); this meshdoc reads up to version {FORMAT_VERSION}",
                header.format_version, header.generator
            ),
            "upgrade meshdoc for the central build, or write the bundle with the same meshdoc version",
        ));
    }
    let body = &text[split + 1..];
    let actual = checksum(body);
    if actual != header.checksum {
        return Err(refused(
            Code::BundleChecksum,
            format!(
                "checksum mismatch: the header says {}, the content is {actual}",
                header.checksum
            ),
            "the bundle was changed or truncated after it was written: write it again with `meshdoc bundle`",
        ));
    }
    let content: Content =
        serde_json::from_slice(body).map_err(|e| bad(format!("unreadable content: {e}")))?;
    if content.files.iter().any(|f| unsafe_path(&f.origin.path)) {
        return Err(bad(
            "a file path leaves the bundle (absolute or with `..`)".into()
        ));
    }
    Ok(Loaded { header, content })
}

/// A path a source could never have produced.
fn unsafe_path(path: &str) -> bool {
    path.starts_with('/')
        || path.contains('\\')
        || path.split('/').any(|p| p == ".." || p.is_empty())
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let files = vec![
            SourceFile::new("orders", "b.yaml", "id: b\n"),
            SourceFile::new("orders", "a.csv", vec![0xff, 0x00, 0x41]),
        ];
        encode(
            "orders",
            Provenance::default(),
            &files,
            Vec::new(),
            Vec::new(),
        )
        .expect("encodes")
    }

    #[test]
    fn a_bundle_round_trips_byte_for_byte_and_deterministically() {
        let bytes = sample();
        assert_eq!(bytes, sample(), "same content, same bytes");
        let loaded = decode(&bytes).expect("decodes");
        assert_eq!(loaded.header.format_version, FORMAT_VERSION);
        let files = loaded.source_files("renamed");
        assert_eq!(files[0].origin.path, "a.csv");
        assert_eq!(files[0].bytes, vec![0xff, 0x00, 0x41]);
        assert_eq!(files[1].bytes, b"id: b\n");
        assert_eq!(files[1].origin.source, "renamed");
    }

    fn rewrite(bytes: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(edit(text).as_bytes()).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn tampered_future_and_foreign_bundles_are_refused_with_their_own_codes() {
        let bytes = sample();
        let tampered = rewrite(&bytes, |t| t.replace("id: b", "id: c"));
        assert_eq!(decode(&tampered).unwrap_err().code, Code::BundleChecksum);
        let future = rewrite(&bytes, |t| {
            t.replace("\"formatVersion\":1", "\"formatVersion\":99")
        });
        let err = decode(&future).unwrap_err();
        assert_eq!(err.code, Code::BundleVersion);
        assert!(err.message.contains("version 99"), "{}", err.message);
        assert_eq!(decode(b"not gzip").unwrap_err().code, Code::BadBundle);
        let escaping = rewrite(&bytes, |t| t.replace("\"b.yaml\"", "\"../b.yaml\""));
        // The checksum catches it first; a consistent bundle with such a path is refused too.
        assert!(decode(&escaping).is_err());
        assert!(unsafe_path("../x") && unsafe_path("/etc/passwd") && !unsafe_path("a/b.yaml"));
    }
}
