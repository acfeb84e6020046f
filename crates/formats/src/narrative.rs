//! Documentation beside manifests: which files are read as such (every `.md` file, and images in
//! a `docs/` folder), and reading them into [`model::narrative::Narrative`] documents. Which
//! product, team or domain a file documents is decided later, by `catalog::docs`.

use model::diagnostics::Diagnostic;
use model::narrative::Narrative;
use model::{Code, SourceFile};

use crate::{Document, ParsedFile};

/// Markdown longer than this is not shown (a document, not a data dump).
pub const MAX_MARKDOWN_BYTES: usize = 512 * 1024;
/// Images larger than this are not copied into the site.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// Raster image endings read under `docs/` (SVG is not: it can carry script).
const IMAGE_ENDINGS: &[&str] = &[".png", ".jpg", ".jpeg", ".gif", ".webp"];

/// Whether the crawl reads this path as documentation.
pub fn is_narrative(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".md") {
        return true;
    }
    let in_docs = lower
        .split('/')
        .rev()
        .skip(1)
        .any(|segment| segment == "docs");
    in_docs && IMAGE_ENDINGS.iter().any(|e| lower.ends_with(e))
}

/// The ending of an image told by its first bytes; None when it is not a PNG, JPEG, GIF or WebP
/// (an HTML or SVG file named `.png` is not published).
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Read one documentation file.
pub fn read(file: &SourceFile) -> ParsedFile {
    let origin = &file.origin;
    let mut parsed = ParsedFile::default();
    let at = |d: Diagnostic| d.at_file(&origin.source, &origin.path).at(1, 1);
    if origin.path.to_ascii_lowercase().ends_with(".md") {
        if file.bytes.len() > MAX_MARKDOWN_BYTES {
            parsed.diagnostics.push(at(Diagnostic::warning(
                Code::DocTooLarge,
                format!(
                    "documentation is {} bytes, over the limit of {MAX_MARKDOWN_BYTES}; not shown",
                    file.bytes.len()
                ),
            )
            .hint("split it into several pages in a docs/ folder")));
            return parsed;
        }
        let text = String::from_utf8_lossy(&file.bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        parsed
            .documents
            .push(Document::Narrative(Box::new(Narrative {
                origin: origin.clone(),
                text: Some(text),
                image: Vec::new(),
            })));
        return parsed;
    }
    if file.bytes.len() > MAX_IMAGE_BYTES {
        parsed.diagnostics.push(at(Diagnostic::warning(
            Code::DocTooLarge,
            format!(
                "image is {} bytes, over the limit of {MAX_IMAGE_BYTES}; not published",
                file.bytes.len()
            ),
        )
        .hint("make the image smaller (a screenshot at 1600 px wide is plenty)")));
        return parsed;
    }
    if image_kind(&file.bytes).is_none() {
        parsed.diagnostics.push(at(Diagnostic::warning(
            Code::DocImageInvalid,
            "not a PNG, JPEG, GIF or WebP image (told by its content, not its name); not published",
        )
        .hint("save the image as PNG or JPEG")));
        return parsed;
    }
    parsed
        .documents
        .push(Document::Narrative(Box::new(Narrative {
            origin: origin.clone(),
            text: None,
            image: file.bytes.clone(),
        })));
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_anywhere_and_images_only_in_docs_folders_are_read() {
        assert!(is_narrative("README.md"));
        assert!(is_narrative("products/orders/Orders.MD"));
        assert!(is_narrative("docs/img/flow.png"));
        assert!(is_narrative("orders/docs/a/b.JPG"));
        assert!(!is_narrative("img/flow.png"));
        assert!(!is_narrative("docs/diagram.svg"));
        assert!(!is_narrative("docs.png"));
        assert!(!is_narrative("orders.yaml"));
    }

    #[test]
    fn an_image_is_told_by_its_bytes() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(image_kind(b"<svg onload=alert(1)>"), None);
        let file = SourceFile {
            origin: model::Origin {
                source: "r".into(),
                path: "docs/x.png".into(),
                ..Default::default()
            },
            bytes: b"<html><script>alert(1)</script>".to_vec(),
            history: Vec::new(),
        };
        let parsed = read(&file);
        assert!(parsed.documents.is_empty());
        assert_eq!(parsed.diagnostics[0].code, Code::DocImageInvalid);
    }
}
