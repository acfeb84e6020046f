//! Which git locations a source may name. `git clone` understands more than URLs: `ext::<command>`
//! runs a program, `fd::` talks to a file descriptor, and an argument starting with `-` is an
//! option. A config written by someone else must never reach those, so a location is a local
//! path or a URL over one of [`TRANSPORTS`], checked when the config is read and again before
//! any git process starts (which is also run with `GIT_ALLOW_PROTOCOL`).

/// The transports a remote git source may use (also the value of `GIT_ALLOW_PROTOCOL`, joined
/// with `:`).
pub const TRANSPORTS: &[&str] = &["https", "ssh", "git", "file"];

/// What a `git` location is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A folder on this machine, read directly (no git process).
    Path,
    /// A URL over an allowed transport, cloned with git.
    Remote,
}

/// Classify a `git` location, or say (with the URL's credentials masked) why it is refused.
pub fn check(location: &str) -> Result<Location, String> {
    let shown = model::redact::url(location);
    if location.trim().is_empty() {
        return Err("`git` is empty; write a repository URL or path".into());
    }
    if location.starts_with('-') {
        return Err(format!(
            "git location {shown:?} starts with `-`, which git would read as an option; write a URL or a path (`./{shown}`)"
        ));
    }
    if location.chars().any(|c| c.is_control()) {
        return Err(format!(
            "git location {shown:?} holds a control character (a newline or tab); write the URL on one line"
        ));
    }
    if let Some((scheme, _)) = location.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        let transport = match scheme.as_str() {
            "git+ssh" | "ssh+git" => "ssh",
            other => other,
        };
        if TRANSPORTS.contains(&transport) {
            return Ok(Location::Remote);
        }
        let hint = if transport == "http" {
            "plain http sends the repository and any credential unencrypted; use https://"
        } else {
            "meshdoc clones over https://, ssh:// (or user@host:path), git:// and file:// only"
        };
        return Err(format!(
            "git location {shown:?} uses the `{scheme}` transport, which is not allowed: {hint}"
        ));
    }
    // `<transport>::<address>` makes git run a remote helper (`ext::sh -c …` runs a command).
    if let Some((helper, _)) = location.split_once("::") {
        if !helper.contains('/') {
            return Err(format!(
                "git location {shown:?} names the remote helper `{helper}::`, which is not allowed: use an https://, ssh://, git:// or file:// URL"
            ));
        }
    }
    if is_scp_like(location) {
        return Ok(Location::Remote);
    }
    Ok(Location::Path)
}

/// `user@host:path`, git's short form of an ssh URL (a path never has `@` before its first `:`
/// without a `/` in between).
fn is_scp_like(location: &str) -> bool {
    let Some((before, _)) = location.split_once(':') else {
        return false;
    };
    before.contains('@') && !before.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_locations() {
        for url in [
            "https://git.example.com/o/r.git",
            "ssh://git@host/o/r.git",
            "git+ssh://git@host/o/r.git",
            "git://host/o/r.git",
            "file:///srv/git/r.git",
            "git@github.com:o/r.git",
        ] {
            assert_eq!(check(url), Ok(Location::Remote), "{url}");
        }
        for path in ["/srv/git/r.git", "repos/*.git", "./-odd", "C:/x"] {
            assert_eq!(check(path), Ok(Location::Path), "{path}");
        }
    }

    #[test]
    fn refused_locations_say_why_without_the_secret() {
        for (url, why) in [
            ("ext::sh -c touch% /tmp/pwned", "remote helper `ext::`"),
            ("fd::17", "remote helper `fd::`"),
            ("http://user:SECRET@h/r.git", "`http` transport"),
            ("ftp://h/r.git", "`ftp` transport"),
            ("--upload-pack=touch /tmp/x", "starts with `-`"),
            ("https://h/r.git\n[core]", "control character"),
        ] {
            let e = check(url).unwrap_err();
            assert!(e.contains(why), "{url}: {e}");
            assert!(!e.contains("SECRET"), "{e}");
        }
    }
}
