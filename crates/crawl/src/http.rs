//! Fetching one file over HTTP(S): a built site's `catalog.json` for `check --base`, a bundle
//! for a federated build. Blocking, bounded in size and time, rustls only; credentials in a URL
//! are refused (they would end up in diagnostics and the lockfile).

use std::time::Duration;

/// Whether `location` is fetched over the network rather than read from disk.
pub fn is_url(location: &str) -> bool {
    location.starts_with("https://") || location.starts_with("http://")
}

/// The body of `url`, at most `max_bytes`, within `timeout`; the error says what went wrong.
pub fn get(url: &str, max_bytes: u64, timeout: Duration) -> Result<Vec<u8>, String> {
    let authority = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    if authority.contains('@') {
        return Err(format!(
            "{}: credentials in a URL are refused; serve the file without them or read a local copy",
            model::redact::url(url)
        ));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .build()
        .into();
    let shown = model::redact::text(url).into_owned();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| format!("cannot fetch {shown}: {e}"))?;
    response
        .body_mut()
        .with_config()
        .limit(max_bytes)
        .read_to_vec()
        .map_err(|e| format!("cannot read {shown}: {e} (at most {max_bytes} bytes are read)"))
}

/// A local file, at most `max_bytes` (a larger one is refused, not truncated).
pub fn read_file(path: &std::path::Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if size > max_bytes {
        return Err(format!(
            "{} is {size} bytes, more than the {max_bytes} read",
            path.display()
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// A file named by a path or an URL.
pub fn load(location: &str, max_bytes: u64, timeout: Duration) -> Result<Vec<u8>, String> {
    if is_url(location) {
        get(location, max_bytes, timeout)
    } else {
        read_file(std::path::Path::new(location), max_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_url_is_an_error_not_a_panic() {
        // Port 9 on the loopback: nothing listens, the connection is refused at once.
        let err = get(
            "http://127.0.0.1:9/catalog.json",
            1024,
            Duration::from_secs(5),
        )
        .expect_err("nothing listens there");
        assert!(
            err.contains("cannot fetch http://127.0.0.1:9/catalog.json"),
            "{err}"
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let file = tmp.path().join("big.json");
        std::fs::write(&file, vec![b' '; 100]).expect("write");
        assert!(read_file(&file, 10)
            .expect_err("too big")
            .contains("100 bytes"));
        assert_eq!(read_file(&file, 100).expect("fits").len(), 100);
    }
}
