//! `[access]`: how a reader asks for access to an output port. The site fills the request link
//! in for each port, so a newcomer lands on a prefilled form instead of hunting for the process.

use serde::Deserialize;

/// The placeholders a request URL may hold, filled in per output port.
pub const PLACEHOLDERS: &[&str] = &["product", "port", "contract", "version"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    /// URL template of an access request: `{product}`, `{port}`, `{contract}`, `{version}`.
    #[serde(default)]
    pub request_url: Option<String>,
    /// One sentence shown beside the request link (e.g. how long approval takes).
    #[serde(default)]
    pub note: Option<String>,
}

impl Access {
    /// Only http(s) and mailto templates become links (a `javascript:` URL would run on click),
    /// and every `{…}` must be a known placeholder, so a typo is found when the config loads.
    pub fn check(&self) -> Result<(), String> {
        let Some(url) = &self.request_url else {
            return Ok(());
        };
        let lower = url.trim_start().to_ascii_lowercase();
        if !["https://", "http://", "mailto:"]
            .iter()
            .any(|s| lower.starts_with(s))
        {
            return Err(format!(
                "[access] request_url = {url:?}: only http(s) and mailto addresses are accepted"
            ));
        }
        let mut rest = url.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(format!(
                    "[access] request_url: `{{` without `}}` in {url:?}"
                ));
            };
            let name = &after[..close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!(
                    "[access] request_url: unknown placeholder {{{name}}}; use {}",
                    PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            rest = &after[close + 1..];
        }
        Ok(())
    }

    /// The request link for one port: each placeholder replaced by its URL-encoded value (an
    /// unknown value becomes empty). None when no template is configured.
    pub fn request_link(&self, values: &[(&str, Option<&str>)]) -> Option<String> {
        let url = self.request_url.as_deref()?;
        let mut out = String::with_capacity(url.len() + 32);
        let mut rest = url;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}')?;
            let name = &after[..close];
            let value = values
                .iter()
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| *v)
                .unwrap_or("");
            out.push_str(&encode(value));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Some(out)
    }
}

/// Percent-encoding of everything but RFC 3986's unreserved characters: safe in a query value
/// and in a path segment alike.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
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

    fn access(url: &str) -> Access {
        Access {
            request_url: Some(url.into()),
            note: None,
        }
    }

    #[test]
    fn only_web_and_mail_templates_with_known_placeholders_pass() {
        assert!(access("https://x.example/new?p={product}&v={version}")
            .check()
            .is_ok());
        assert!(access("mailto:data@x.example?subject={port}")
            .check()
            .is_ok());
        let e = access("javascript:alert({product})").check().unwrap_err();
        assert!(e.contains("only http(s) and mailto"), "{e}");
        let e = access("https://x.example/{prodcut}").check().unwrap_err();
        assert!(e.contains("unknown placeholder {prodcut}"), "{e}");
        assert!(access("https://x.example/{product").check().is_err());
    }

    #[test]
    fn values_are_url_encoded_and_missing_ones_empty() {
        let link = access("https://x.example/new?product={product}&port={port}&c={contract}")
            .request_link(&[
                ("product", Some("orders & returns")),
                ("port", Some("a/b?c=d")),
                ("contract", None),
            ])
            .unwrap();
        assert_eq!(
            link,
            "https://x.example/new?product=orders%20%26%20returns&port=a%2Fb%3Fc%3Dd&c="
        );
        assert_eq!(Access::default().request_link(&[]), None);
    }
}
