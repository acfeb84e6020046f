//! Manifest text in markdown: escaped where it sits inside a line, kept as markdown (with raw HTML
//! neutralised) where it is a description, so that no manifest can inject a link, a tag or a
//! heading into a twin or llms.txt.

/// `: first paragraph` of a description as plain text (its markdown dropped), for a list line;
/// empty without one.
pub fn summary(text: Option<&str>) -> String {
    let Some(text) = text else {
        return String::new();
    };
    let first = plain_text(text.split("\n\n").next().unwrap_or(""));
    if first.is_empty() {
        return String::new();
    }
    let cut: String = first.chars().take(160).collect();
    let ellipsis = if cut.len() < first.len() { "…" } else { "" };
    format!(": {}{ellipsis}", inline(&cut))
}

/// The words of some markdown without its markup, on one line.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Manifest text inside a line: the characters that start markdown emphasis, code, links and
/// table cells escaped, HTML's `<` and `>` as entities, line breaks as spaces, so that a name
/// can neither inject a link, a tag nor a new line (it never starts a line: headings and list
/// items put their marker first).
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A table cell: inline, and short.
pub(super) fn cell(text: &str) -> String {
    // Up to 200 bytes is up to 200 characters: most cells need no cut (and no copy for it).
    if text.len() <= 200 {
        return inline(text);
    }
    let cut: String = text.chars().take(200).collect();
    inline(&cut)
}

/// An identifier as code: backticks inside are widened so the span cannot end early.
pub fn code(text: &str) -> String {
    // Most identifiers hold neither backticks nor control characters: one fence, no padding.
    if !text.chars().any(|c| c == '`' || c.is_control()) {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('`');
        out.push_str(text);
        out.push('`');
        return out;
    }
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A URL or e-mail inside `<…>`: characters that would end it are percent-encoded.
pub(super) fn url_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '<' => "%3C".to_string(),
            '>' => "%3E".to_string(),
            ' ' => "%20".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A description (markdown as the manifest writes it) as a block: its markdown kept, raw HTML
/// neutralised, and no line able to start a heading that would break the twin's outline.
pub(super) fn block(text: &str) -> String {
    text.lines()
        .map(|line| {
            let escaped = line.replace('<', "&lt;").replace('>', "&gt;");
            if escaped.trim_start().starts_with('#') {
                format!("\\{}", escaped.trim_start())
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_text_cannot_break_out() {
        assert_eq!(
            inline("# [x](javascript:1) <b>"),
            "# \\[x\\](javascript:1) &lt;b>"
        );
        assert_eq!(inline("a\nb"), "a b");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("plain_id"), "`plain_id`");
        assert_eq!(code("a\u{7}b"), "`ab`");
        assert_eq!(cell(&"é".repeat(150)), "é".repeat(150));
        assert_eq!(cell(&"x".repeat(250)), "x".repeat(200));
        assert_eq!(
            block("# Title\n<script>x</script>\n- kept"),
            "\\# Title\n&lt;script&gt;x&lt;/script&gt;\n- kept"
        );
        assert_eq!(
            summary(Some("One **line**.\nStill `one`.\n\nSecond para.")),
            ": One line. Still one."
        );
    }
}
