//! Credentials never leave the process. A source URL may carry a token
//! (`https://user:TOKEN@host/…`, `?private_token=…`), and git's own error text repeats it; a
//! catalog is published, so every text that can reach a diagnostic, a log line or a page passes
//! through [`text`] where it enters (source URLs in crawl and config, and [`crate::Diagnostic`]
//! itself as a last guard).

use std::borrow::Cow;

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// `text` with the credentials it may hold masked: the user-info of every URL in it (`scheme://
/// user:pass@host`; a bare ssh user such as `git@` is kept), the values of secret-named
/// parameters and assignments (`private_token=…`, `GITHUB_TOKEN=…`), and HTTP authorisation
/// (`Authorization: …`, `Bearer …`).
pub fn text(text: &str) -> Cow<'_, str> {
    if !might_hold_secret(text) {
        return Cow::Borrowed(text);
    }
    let masked = mask_assignments(&mask_authorization(&mask_user_info(text)));
    if masked == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(masked)
    }
}

/// A URL made fit to show: [`text`] for one URL.
pub fn url(url: &str) -> String {
    text(url).into_owned()
}

/// The secret parts of a URL (user-info, secret parameter values), as written and
/// percent-decoded: text that may repeat them in another form (a tool's error output) is
/// scrubbed of them with [`scrub`].
pub fn secrets(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (start, end) in url_spans(url) {
        let u = &url[start..end];
        if let Some((scheme, authority)) = u.split_once("://") {
            let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
            if let Some((info, _)) = authority.rsplit_once('@') {
                if keeps_user(scheme, info) {
                    // nothing secret
                } else {
                    found.push(info.to_string());
                    found.extend(info.split(':').map(str::to_string));
                }
            }
        }
        if let Some((_, query)) = u.split_once('?') {
            for pair in query.split(['&', ';', '#']) {
                if let Some((name, value)) = pair.split_once('=') {
                    if secret_name(name) {
                        found.push(value.to_string());
                    }
                }
            }
        }
    }
    let decoded: Vec<String> = found.iter().map(|s| percent_decode(s)).collect();
    found.extend(decoded);
    // A very short "secret" would mask ordinary words; such a value protects nothing anyway.
    found.retain(|s| s.chars().count() >= 3);
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    found
}

/// `text` with every occurrence of `secrets` masked, then passed through [`text`].
pub fn scrub(text_: &str, secrets: &[String]) -> String {
    let mut out = text_.to_string();
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    text(&out).into_owned()
}

/// Cheap test first: most diagnostics hold no URL, header or assignment.
fn might_hold_secret(text: &str) -> bool {
    text.contains("://") || text.contains('=') || {
        let lower = text.to_ascii_lowercase();
        lower.contains("authorization") || lower.contains("bearer")
    }
}

/// A parameter or variable name whose value is a credential.
fn secret_name(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    const EXACT: &[&str] = &["key", "sig", "code", "auth", "pass", "pw", "pwd"];
    const PARTS: &[&str] = &[
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "api_key",
        "api-key",
        "access_key",
        "accesskey",
        "private_key",
        "credential",
        "signature",
        "session",
    ];
    EXACT.contains(&lower.as_str()) || PARTS.iter().any(|p| lower.contains(p))
}

/// Where the URLs in `text` stand: from the scheme to the first space, quote or bracket.
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let at = from + found;
        let mut start = at;
        while start > 0 && (b[start - 1].is_ascii_alphanumeric() || b"+.-".contains(&b[start - 1]))
        {
            start -= 1;
        }
        let mut end = at + 3;
        while end < b.len() && !b[end].is_ascii_whitespace() && !b"\"'<>`".contains(&b[end]) {
            end += 1;
        }
        if start < at {
            spans.push((start, end));
        }
        from = end.max(at + 3);
    }
    spans
}

/// An ssh user name alone (`ssh://git@host`) is an account, not a credential.
fn keeps_user(scheme: &str, info: &str) -> bool {
    let scheme = scheme.to_ascii_lowercase();
    (scheme == "ssh" || scheme.starts_with("git+ssh") || scheme.ends_with("+ssh"))
        && !info.contains(':')
}

fn mask_user_info(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in url_spans(text) {
        let u = &text[start..end];
        let Some((scheme, rest)) = u.split_once("://") else {
            continue;
        };
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let Some(at) = rest[..authority_len].rfind('@') else {
            continue;
        };
        if keeps_user(scheme, &rest[..at]) {
            continue;
        }
        let info_start = start + scheme.len() + 3;
        out.push_str(&text[last..info_start]);
        out.push_str(MASK);
        last = info_start + at;
    }
    out.push_str(&text[last..]);
    out
}

/// `Authorization: …` to the end of its line, and the word after `Bearer`.
fn mask_authorization(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &lower[i..];
        let header = rest.starts_with("authorization:");
        let bearer = rest.starts_with("bearer ")
            && (i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric());
        if header || bearer {
            let keep = if header {
                "authorization:".len()
            } else {
                "bearer ".len()
            };
            out.push_str(&text[i..i + keep]);
            let mut j = i + keep;
            while j < text.len() && text.as_bytes()[j] == b' ' {
                j += 1;
            }
            let stop = if header {
                b"\r\n".as_slice()
            } else {
                b" \t\r\n\"'".as_slice()
            };
            let mut end = j;
            while end < text.len() && !stop.contains(&text.as_bytes()[end]) {
                end += 1;
            }
            if end > j {
                out.push(' ');
                out.push_str(MASK);
            }
            i = end;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// `name=value` where the name is a credential's (`private_token=…` in a query,
/// `GITHUB_TOKEN=…` in a shell line): the value is masked up to the next separator.
fn mask_assignments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'=' {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > 0 && (b[start - 1].is_ascii_alphanumeric() || b"_-.".contains(&b[start - 1]))
        {
            start -= 1;
        }
        let mut end = i + 1;
        while end < b.len() && !b[end].is_ascii_whitespace() && !b"&;#\"'<>`,)".contains(&b[end]) {
            end += 1;
        }
        if start < i && end > i + 1 && secret_name(&text[start..i]) && &text[i + 1..end] != MASK {
            out.push_str(&text[last..=i]);
            out.push_str(MASK);
            last = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&text[last..]);
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_is_masked() {
        assert_eq!(
            url("https://user:s3cr3t-TOKEN@git.example.com/org/repo.git"),
            "https://***@git.example.com/org/repo.git"
        );
        assert_eq!(
            url("https://ghp_abc123@github.com/o/r"),
            "https://***@github.com/o/r"
        );
        assert_eq!(
            url("file://me:pw@/srv/git/r.git"),
            "file://***@/srv/git/r.git"
        );
        assert_eq!(url("ssh://git@host/o/r.git"), "ssh://git@host/o/r.git");
        assert_eq!(url("ssh://git:pw@host/o/r.git"), "ssh://***@host/o/r.git");
        assert_eq!(url("git@github.com:o/r.git"), "git@github.com:o/r.git");
    }

    #[test]
    fn secret_parameters_are_masked() {
        assert_eq!(
            url("https://h/r.git?private_token=glpat-XYZ&ref=main"),
            "https://h/r.git?private_token=***&ref=main"
        );
        assert_eq!(
            url("https://h/r?access_token=a1b2"),
            "https://h/r?access_token=***"
        );
        assert_eq!(url("https://h/r?page=2"), "https://h/r?page=2");
    }

    #[test]
    fn urls_inside_tool_output_are_masked() {
        let stderr = "fatal: unable to access 'https://bot:T0KEN@h.example/o/r.git/': Could not resolve host: h.example";
        let shown = text(stderr);
        assert!(!shown.contains("T0KEN"), "{shown}");
        assert!(shown.contains("h.example/o/r.git"), "{shown}");
        let env = text(
            "GITHUB_TOKEN=ghp_123 git clone; Authorization: Basic dXNlcjpwYXNz\nBearer abc.def",
        );
        assert!(
            !env.contains("ghp_123") && !env.contains("dXNlcjpwYXNz") && !env.contains("abc.def"),
            "{env}"
        );
    }

    #[test]
    fn plain_text_is_left_alone() {
        for t in [
            "ref `main` does not exist",
            "a = b",
            "see https://example.com/docs?x=1",
            "author=Ada",
        ] {
            assert_eq!(text(t), t);
        }
    }

    #[test]
    fn secrets_are_found_in_every_form() {
        let s = secrets("https://bot:p%40ss@h/r?token=abc123");
        assert!(
            s.contains(&"p%40ss".to_string()) && s.contains(&"p@ss".to_string()),
            "{s:?}"
        );
        assert!(s.contains(&"abc123".to_string()), "{s:?}");
        assert_eq!(scrub("denied for p@ss at h", &s), "denied for *** at h");
    }
}
