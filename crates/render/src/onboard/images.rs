//! Images copied into the site from documentation: only raster formats told by their first bytes
//! (an SVG or an HTML file named `.png` could run script when opened from the site), and only up
//! to a size a page can carry.

/// Larger images are not copied (the reference is shown inert, with a warning).
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// The file ending of an image, from its content; None when it is not a PNG, JPEG, GIF or WebP.
pub fn kind(bytes: &[u8]) -> Option<&'static str> {
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

/// Whether a path names an image by its ending (what the crawl reads beside documentation).
pub fn has_image_ending(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The name an image is published under: a hash of where it came from (no reader-supplied
/// characters reach the output path) and its real type.
pub fn published_name(origin: &str, bytes: &[u8]) -> Option<String> {
    let ext = kind(bytes)?;
    Some(format!("{:016x}.{ext}", model::slug::fnv1a(origin)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_by_their_bytes_not_their_name() {
        assert_eq!(kind(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(kind(b"GIF89a..."), Some("gif"));
        assert_eq!(kind(b"<svg onload=alert(1)>"), None);
        assert_eq!(kind(b"<html><script>"), None);
        assert!(published_name("a/b.png", b"<html>").is_none());
    }
}
