//! The value formats some standards assert (JSON Schema draft-07 checks `format: uri` and
//! `format: email`), and variables: written from RFC 3986 and RFC 5321/5322.

/// `${NAME}` (or `${NAME:-default}`): a variable that tools such as datacontract-cli resolve from the
/// environment before they read the value, so it may stand where a number, a boolean or an
/// enumerated value is expected.
pub fn is_variable(text: &str) -> bool {
    let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) else {
        return false;
    };
    let name_end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(name_end);
    let name_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    name_ok
        && (rest.is_empty() || rest.starts_with(":-") || rest.starts_with('-'))
        && !rest.contains('}')
}

const fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

const fn sub_delim(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

/// The end of a run of bytes that `ok` accepts, percent-encodings included; None on a broken one.
fn scan(bytes: &[u8], mut at: usize, ok: impl Fn(u8) -> bool) -> Option<usize> {
    while let Some(&b) = bytes.get(at) {
        if ok(b) {
            at += 1;
        } else if b == b'%' {
            let hex = bytes.get(at + 1..at + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            at += 3;
        } else {
            break;
        }
    }
    Some(at)
}

fn pchar(b: u8) -> bool {
    unreserved(b) || sub_delim(b) || matches!(b, b':' | b'@')
}

/// An absolute URI: `scheme ":" hier-part [ "?" query ] [ "#" fragment ]` (RFC 3986 §3).
pub fn is_uri(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(first) = bytes.first() else {
        return false;
    };
    if !first.is_ascii_alphabetic() {
        return false;
    }
    let Some(colon) = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
    else {
        return false;
    };
    if bytes[colon] != b':' {
        return false;
    }
    let mut at = colon + 1;
    if bytes[at..].starts_with(b"//") {
        let start = at + 2;
        let Some(end) = authority_end(bytes, start) else {
            return false;
        };
        if !authority(&bytes[start..end]) {
            return false;
        }
        at = end;
    }
    let Some(end) = scan(bytes, at, |b| pchar(b) || b == b'/') else {
        return false;
    };
    at = end;
    for lead in [b'?', b'#'] {
        if bytes.get(at) == Some(&lead) {
            let Some(end) = scan(bytes, at + 1, |b| pchar(b) || matches!(b, b'/' | b'?')) else {
                return false;
            };
            at = end;
        }
    }
    at == bytes.len()
}

/// Where the authority ends: at `/`, `?`, `#` or the end (a bracketed IP literal may hold `:`).
fn authority_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start;
    let mut in_brackets = false;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'[' if !in_brackets => in_brackets = true,
            b']' if in_brackets => in_brackets = false,
            b'/' | b'?' | b'#' if !in_brackets => break,
            _ => {}
        }
        at += 1;
    }
    (!in_brackets).then_some(at)
}

/// `[ userinfo "@" ] host [ ":" port ]`.
fn authority(bytes: &[u8]) -> bool {
    let (userinfo, host_port) = match bytes.iter().rposition(|&b| b == b'@') {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (&bytes[..0], bytes),
    };
    let userinfo_ok = scan(userinfo, 0, |b| unreserved(b) || sub_delim(b) || b == b':')
        .is_some_and(|end| end == userinfo.len());
    if !userinfo_ok {
        return false;
    }
    let (host, port) = if host_port.first() == Some(&b'[') {
        let Some(close) = host_port.iter().position(|&b| b == b']') else {
            return false;
        };
        let literal = &host_port[1..close];
        let literal_ok = !literal.is_empty()
            && (literal
                .iter()
                .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
                || (matches!(literal.first(), Some(b'v' | b'V'))
                    && literal
                        .iter()
                        .all(|&b| unreserved(b) || sub_delim(b) || b == b':')));
        if !literal_ok {
            return false;
        }
        (&host_port[..0], &host_port[close + 1..])
    } else {
        match host_port.iter().position(|&b| b == b':') {
            Some(i) => (&host_port[..i], &host_port[i..]),
            None => (host_port, &host_port[..0]),
        }
    };
    let host_ok =
        scan(host, 0, |b| unreserved(b) || sub_delim(b)).is_some_and(|end| end == host.len());
    let port_ok = port.is_empty() || (port[0] == b':' && port[1..].iter().all(u8::is_ascii_digit));
    host_ok && port_ok
}

/// An e-mail address: a dot-atom or quoted local part, `@`, and a host name or an address literal.
pub fn is_email(text: &str) -> bool {
    let Some(at) = text.rfind('@') else {
        return false;
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    local_part(local) && domain_part(domain)
}

fn local_part(local: &str) -> bool {
    if local.is_empty() || local.len() > 64 {
        return false;
    }
    if let Some(inner) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        let mut escaped = false;
        return inner.chars().all(|c| {
            if escaped {
                escaped = false;
                return c.is_ascii() && !c.is_ascii_control() || c == '\t';
            }
            if c == '\\' {
                escaped = true;
                return true;
            }
            c.is_ascii() && c != '"' && (!c.is_ascii_control() || c == '\t')
        }) && !escaped;
    }
    const ATEXT: &str = "!#$%&'*+-/=?^_`{|}~";
    local.split('.').all(|atom| {
        !atom.is_empty()
            && atom
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ATEXT.contains(c))
    })
}

fn domain_part(domain: &str) -> bool {
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
                literal[5..].parse::<std::net::Ipv6Addr>().is_ok()
            }
            _ => literal.parse::<std::net::Ipv4Addr>().is_ok(),
        };
    }
    hostname(domain)
}

/// A host name of letters, digits and `-` labels (RFC 1034).
pub fn hostname(name: &str) -> bool {
    if name.is_empty() || name.len() > 253 || name.ends_with('.') {
        return false;
    }
    name.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables() {
        for v in ["${PORT}", "${DB_PORT}", "${db.port}", "${PORT:-5432}"] {
            assert!(is_variable(v), "{v}");
        }
        for v in [
            "$PORT",
            "${}",
            "${1X}",
            "port ${PORT}",
            "${PORT} ",
            "{{PORT}}",
            "__PORT__",
        ] {
            assert!(!is_variable(v), "{v}");
        }
    }

    #[test]
    fn uris() {
        for u in [
            "https://example.com/a?b=c#d",
            "s3://bucket/path/*.json",
            "mailto:team@example.com",
            "urn:isbn:0451450523",
            "http://[::1]:8080/x",
            "jdbc:postgresql://localhost:5432/db",
            "sftp://10.0.0.1/data/%7Bmodel%7D",
            "file:///tmp/x",
        ] {
            assert!(is_uri(u), "{u}");
        }
        for u in [
            "",
            "example.com",
            "/relative/path",
            "s3://bucket/{model}/*.json",
            "https://exa mple.com",
            "https://host:port/",
            "1http://x",
            "https://example.com/ä",
            "http://[::1/x",
        ] {
            assert!(!is_uri(u), "{u}");
        }
    }

    #[test]
    fn emails() {
        for e in [
            "a@b.com",
            "first.last+tag@example.co.uk",
            "\"a b\"@example.com",
            "x@[127.0.0.1]",
        ] {
            assert!(is_email(e), "{e}");
        }
        for e in [
            "",
            "a",
            "@b.com",
            "a@",
            "a..b@c.com",
            ".a@b.com",
            "a@b_c.com",
            "a@-b.com",
            "a b@c.com",
        ] {
            assert!(!is_email(e), "{e}");
        }
    }
}
