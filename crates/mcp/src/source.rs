//! Where the site's files come from: a folder on disk or a hosted site's base URL. Every read
//! goes through [`Source::read`], which checks the relative path first, so no caller can reach
//! outside the site (no `..`, no absolute paths, no symlink that leads out of the folder).

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use crate::Error;

/// Largest file read (bytes): catalog.json and lineage/index.json of a 10,000-product mesh are
/// a few tens of MiB; anything far beyond that is not a meshdoc file.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// How long one HTTP request may take in all (connect, headers, body).
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A built site: its root folder (canonical) or its base URL (ending in `/`).
pub enum Source {
    Folder(PathBuf),
    Http { base: String, agent: ureq::Agent },
}

impl Source {
    /// `site` is an `http(s)://` base URL or a folder path.
    pub fn open(site: &str) -> Result<Source, Error> {
        let lower = site.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let mut base = site.to_string();
            if let Some(cut) = base.find(['?', '#']) {
                base.truncate(cut);
            }
            let base = base.trim_end_matches("index.html").to_string();
            let base = if base.ends_with('/') {
                base
            } else {
                base + "/"
            };
            let agent = ureq::Agent::config_builder()
                .timeout_global(Some(HTTP_TIMEOUT))
                .http_status_as_error(false)
                .max_redirects(5)
                .user_agent(concat!("meshdoc-mcp/", env!("CARGO_PKG_VERSION")))
                .build()
                .into();
            return Ok(Source::Http { base, agent });
        }
        // A `file://` URL (as a browser shows the site's address) is the folder it names.
        if lower.starts_with("file://") {
            let path = &site["file://".len()..];
            return Source::open(
                path.trim_start_matches("localhost")
                    .trim_end_matches("index.html"),
            );
        }
        if lower.contains("://") {
            return Err(Error::Site(format!(
                "{site}: only a folder or an http(s):// URL can be read"
            )));
        }
        let root = fs::canonicalize(site)
            .map_err(|e| Error::Site(format!("{site}: cannot open the site folder: {e}")))?;
        if !root.is_dir() {
            return Err(Error::Site(format!("{site}: not a folder")));
        }
        Ok(Source::Folder(root))
    }

    /// What the source is, for messages.
    pub fn describe(&self) -> String {
        match self {
            Source::Folder(root) => root.display().to_string(),
            Source::Http { base, .. } => base.clone(),
        }
    }

    /// The public URL of a path in the site: the hosted URL, or a `file://` URL on disk.
    pub fn url_of(&self, rel: &str) -> String {
        match self {
            Source::Folder(root) => format!("file://{}/{rel}", root.display()),
            Source::Http { base, .. } => format!("{base}{rel}"),
        }
    }

    /// The bytes of one file of the site, at `rel` (a relative path with `/` separators).
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, Error> {
        check_relative(rel)?;
        match self {
            Source::Folder(root) => read_file(root, rel),
            Source::Http { base, agent } => fetch(agent, &format!("{base}{}", encode_path(rel))),
        }
    }
}

/// Refuse anything that is not a plain relative path inside the site.
fn check_relative(rel: &str) -> Result<(), Error> {
    let bad = rel.is_empty()
        || rel.len() > 1024
        || rel.starts_with('/')
        || rel.contains('\\')
        || rel.contains(':')
        || rel.chars().any(char::is_control)
        || rel
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad
        || Path::new(rel)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(Error::Outside(rel.chars().take(200).collect()));
    }
    Ok(())
}

fn read_file(root: &Path, rel: &str) -> Result<Vec<u8>, Error> {
    let path = root.join(rel);
    // Canonicalising resolves symlinks: a link that leads out of the site is refused here.
    let real =
        fs::canonicalize(&path).map_err(|e| Error::Missing(rel.to_string(), e.to_string()))?;
    if !real.starts_with(root) {
        return Err(Error::Outside(rel.to_string()));
    }
    let file = fs::File::open(&real).map_err(|e| Error::Missing(rel.to_string(), e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Missing(rel.to_string(), e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::TooLarge(rel.to_string()));
    }
    Ok(bytes)
}

fn fetch(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, Error> {
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| Error::Unreachable(url.to_string(), e.to_string()))?;
    let status = response.status().as_u16();
    if status == 404 || status == 410 {
        return Err(Error::Missing(url.to_string(), format!("HTTP {status}")));
    }
    if status != 200 {
        return Err(Error::Unreachable(
            url.to_string(),
            format!("HTTP {status}"),
        ));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_FILE_BYTES)
        .read_to_vec()
        .map_err(|e| Error::Unreachable(url.to_string(), e.to_string()))
}

/// Percent-encode what a URL path may not hold as it is (ids may hold spaces or non-ASCII).
fn encode_path(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_out_of_the_site_are_refused() {
        for rel in [
            "../etc/passwd",
            "products/../../x",
            "/etc/passwd",
            "a//b",
            "./catalog.json",
            "c:\\x",
            "products\\x",
            "a\0b",
            "",
        ] {
            assert!(
                matches!(check_relative(rel), Err(Error::Outside(_))),
                "{rel:?}"
            );
        }
        assert!(check_relative("products/orders/index.json").is_ok());
    }

    #[test]
    fn a_symlink_out_of_the_folder_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.json"), "{}").unwrap();
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("catalog.json"), "{}").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            outside.path().join("secret.json"),
            site.path().join("x.json"),
        )
        .unwrap();
        let source = Source::open(site.path().to_str().unwrap()).unwrap();
        assert!(source.read("catalog.json").is_ok());
        #[cfg(unix)]
        assert!(matches!(source.read("x.json"), Err(Error::Outside(_))));
    }

    #[test]
    fn url_paths_are_encoded() {
        assert_eq!(
            encode_path("products/a b/ü.json"),
            "products/a%20b/%C3%BC.json"
        );
    }
}
