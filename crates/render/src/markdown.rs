//! Markdown from manifests → highlighted, sanitised HTML. Teams write these descriptions, so the
//! output is cleaned with ammonia after rendering: no script, no event handlers, no raw styles.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::contrast;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEAN: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEAN.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tag_attributes("span", &["class"])
            .add_tag_attributes("code", &["class"])
            .add_tag_attributes("pre", &["class"])
            .add_tag_attributes("th", &["align"])
            .add_tag_attributes("td", &["align"]);
        b
    })
}

/// Render markdown to safe HTML.
pub fn render(markdown: &str) -> String {
    let (html, plain) = unsanitized(markdown);
    if plain {
        // Nothing the sanitiser would remove or write differently (see `is_plain`): its parse
        // and re-serialisation was the largest part of rendering most descriptions.
        return html;
    }
    sanitize(&html)
}

/// The markdown as HTML before it is sanitised, and whether it is plain (`is_plain`).
fn unsanitized(markdown: &str) -> (String, bool) {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut nesting = Nesting::default();
    for event in Parser::new_ext(markdown, options) {
        let Some(event) = nesting.keep(event) else {
            continue;
        };
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    events.push(Event::Html(highlight(&lang, &text).into()));
                }
            }
            // Raw HTML in manifests is shown as text rather than trusted.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            other => events.push(other),
        }
    }
    let plain = events.iter().all(is_plain);
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html, plain)
}

/// What ammonia makes of rendered markdown, with the keyboard reaching code blocks.
fn sanitize(html: &str) -> String {
    // Code blocks scroll sideways: the keyboard must reach them (ammonia drops the tabindex that
    // `highlight` writes, and raw HTML is text here, so every <pre> left is one of ours).
    sanitizer()
        .clean(html)
        .to_string()
        .replace("<pre>", "<pre tabindex=\"0\">")
        .replace("<pre class=\"hl\">", "<pre class=\"hl\" tabindex=\"0\">")
}

/// Whether an event renders to HTML that the sanitiser passes through byte for byte: paragraphs,
/// lists without a start number, emphasis, strong, strikethrough and code spans (tags it allows,
/// written without attributes), and text it serialises as pulldown-cmark escapes it. Text with
/// a no-break space (which it writes `&nbsp;`), a control character (which its parser
/// normalises) or a quote takes the sanitiser's path; so does every link (it adds `rel`), image,
/// heading, table, code block and raw HTML. The test below holds the two paths to the same bytes.
fn is_plain(event: &Event) -> bool {
    let plain_text = |t: &str| !t.contains(['"', '\u{a0}']) && !t.chars().any(char::is_control);
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Paragraph
                | Tag::List(None)
                | Tag::Item
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Paragraph
                | TagEnd::List(false)
                | TagEnd::Item
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
        ),
        Event::Text(t) | Event::Code(t) => plain_text(t),
        Event::SoftBreak => true,
        _ => false,
    }
}

/// How deep block and inline elements may nest in rendered markdown. The sanitiser's HTML parser
/// takes time quadratic in nesting depth (`>>>>…` 50,000 deep took minutes, found by fuzzing);
/// no description needs more than a few levels, so deeper elements are flattened to their text.
const MAX_NESTING: usize = 32;

/// Tracks nesting while events stream by, dropping the start and end of elements too deep.
#[derive(Default)]
pub(crate) struct Nesting {
    /// For each open element: whether it was kept.
    open: Vec<bool>,
    kept: usize,
}

impl Nesting {
    pub(crate) fn keep<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match &event {
            // Code blocks are gathered whole by the caller.
            Event::Start(Tag::CodeBlock(_)) | Event::End(TagEnd::CodeBlock) => Some(event),
            Event::Start(_) => {
                let keep = self.kept < MAX_NESTING;
                self.open.push(keep);
                self.kept += usize::from(keep);
                keep.then_some(event)
            }
            Event::End(_) => {
                let keep = self.open.pop().unwrap_or(true);
                self.kept -= usize::from(keep && self.kept > 0);
                keep.then_some(event)
            }
            _ => Some(event),
        }
    }
}

/// A code block with syntax classes; unknown languages stay plain (escaped) text.
pub fn highlight(lang: &str, code: &str) -> String {
    let set = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    let Some(syntax) = syntax else {
        return format!("<pre tabindex=\"0\"><code>{}</code></pre>", escape(code));
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!("<pre tabindex=\"0\"><code>{}</code></pre>", escape(code));
        }
    }
    format!(
        "<pre class=\"hl\" tabindex=\"0\"><code>{}</code></pre>",
        generator.finalize()
    )
}

/// Manifest files highlighted without a grammar engine: one pass per line marks keys, comments,
/// quoted strings, numbers and constants. Contract files are highlighted for every contract of the
/// mesh, so this has to be cheap (syntect's YAML grammar costs about 3 ms a file), and the page
/// has to stay small (at most about twice the file): short tags instead of classed spans — a key is
/// `<b>`, a comment `<i>`, a quoted string, number or constant `<u>` (coloured by style.css under
/// `.src`) — and only `<`, `>` and `&` escaped. Every line carries its anchor `L<n>` (what links to
/// a line point at): on its key where it has one, else on an empty `<a>` at its start.
pub fn highlight_manifest(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2 + 64);
    out.push_str("<pre class=\"src\" tabindex=\"0\"><code>");
    // Inside a block scalar (`key: |` or `>`): lines indented deeper than its key are text.
    let mut block: Option<usize> = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b.strip_suffix('\r').unwrap_or(b), "\n"),
            None => (line, ""),
        };
        let trimmed = body.trim_start();
        let indent = body.len() - trimmed.len();
        if let Some(key_indent) = block {
            if trimmed.is_empty() || indent > key_indent {
                anchor(&mut out, n + 1);
                out.push_str(&text_escape(body));
                out.push_str(newline);
                continue;
            }
            block = None;
        }
        if highlight_manifest_line(body, n + 1, &mut out) {
            block = Some(indent);
        }
        out.push_str(newline);
    }
    out.push_str("</code></pre>");
    out
}

fn anchor(out: &mut String, line: usize) {
    out.push_str("<a id=L");
    push_number(out, line);
    out.push_str("></a>");
}

/// A line number in decimal, without the allocation of `to_string` (one per line of a file).
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// Escape text content: only `<`, `>` and `&` matter there (quotes are common in YAML and cost
/// six bytes each when escaped).
fn text_escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn tag(out: &mut String, tag: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push('<');
    out.push_str(tag);
    out.push('>');
    out.push_str(&text_escape(text));
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// One line, with its anchor. Returns whether it opens a block scalar (`key: |`, `- >-`).
fn highlight_manifest_line(line: &str, number: usize, out: &mut String) -> bool {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let mut rest = trimmed;
    let mut lead = "";
    if let Some(after) = rest.strip_prefix("- ") {
        lead = "- ";
        rest = after;
    }
    let key_end = (!trimmed.starts_with('#')).then(|| key_end(rest)).flatten();
    match key_end {
        Some(end) => {
            out.push_str(indent);
            out.push_str(lead);
            out.push_str("<b id=L");
            push_number(out, number);
            out.push('>');
            out.push_str(&text_escape(&rest[..end]));
            out.push_str("</b>:");
            rest = &rest[end + 1..];
        }
        None => {
            anchor(out, number);
            out.push_str(indent);
            if trimmed.starts_with('#') {
                tag(out, "i", trimmed);
                return false;
            }
            out.push_str(lead);
        }
    }
    // The value, and a trailing comment.
    let (value, comment) = split_comment(rest);
    let v = value.trim();
    let before = &value[..value.len() - value.trim_start().len()];
    let after = &value[before.len() + v.len()..];
    out.push_str(before);
    let marked = v.starts_with('"')
        || v.starts_with('\'')
        || (may_be_number(v) && v.parse::<f64>().is_ok())
        || matches!(
            v,
            "true" | "false" | "null" | "~" | "True" | "False" | "NULL"
        );
    if marked {
        tag(out, "u", v);
    } else {
        out.push_str(&text_escape(v));
    }
    out.push_str(after);
    tag(out, "i", comment);
    v.starts_with('|') || v.starts_with('>')
}

/// Whether `v` can parse as an `f64` at all (a digit, a sign, a point, or the start of `inf` or
/// `NaN`): most values are words, and this skips their parse.
fn may_be_number(v: &str) -> bool {
    matches!(
        v.as_bytes().first(),
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'i' | b'I' | b'n' | b'N')
    )
}

fn key_end(s: &str) -> Option<usize> {
    if s.starts_with('"') || s.starts_with('\'') || s.starts_with('{') || s.starts_with('[') {
        return None;
    }
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && i > 0 && bytes[i - 1] == b' ' {
            return None;
        }
        if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            return (i > 0).then_some(i);
        }
    }
    None
}

/// Split `value # comment` (a `#` after a space, outside quotes).
fn split_comment(s: &str) -> (&str, &str) {
    let bytes = s.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'#' && (i == 0 || bytes[i - 1] == b' ') => return (&s[..i], &s[i..]),
            None => {}
        }
    }
    (s, "")
}

/// One line of text that teams write with inline markdown (column and rule descriptions,
/// diagnostics, change messages): code spans, emphasis and links become HTML, block structure
/// is flattened to the line, everything else is escaped text, and the result is sanitised.
pub fn inline(text: &str) -> String {
    // Most texts carry no markup: escaping is all they need.
    if !text.contains(['`', '*', '_', '[', '<', '&', '~', '\\']) {
        return escape(text);
    }
    let (html, plain) = inline_html(text);
    if plain {
        // As in `render`: nothing the sanitiser would change.
        return html;
    }
    sanitizer().clean(&html).to_string()
}

/// `text` as one line of HTML before it is sanitised, and whether it is plain (`is_plain`).
fn inline_html(text: &str) -> (String, bool) {
    let mut events = Vec::new();
    let mut started = false;
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            )
            | Event::Code(_) => events.push(event),
            Event::Text(t) => events.push(Event::Text(t)),
            // Raw HTML stays text, as in `render`.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::SoftBreak | Event::HardBreak => events.push(Event::Text(" ".into())),
            // A new block (paragraph, list item, heading) continues the line after a space.
            Event::Start(_) => {
                let spaced = matches!(events.last(), Some(Event::Text(t)) if t.as_ref() == " ");
                if started && !spaced {
                    events.push(Event::Text(" ".into()));
                }
                started = true;
            }
            _ => {}
        }
    }
    let plain = events.iter().all(is_plain);
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html.trim().to_string(), plain)
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    crate::escape::push_escaped(&mut out, s);
    out
}

/// The one stylesheet for highlighted code: a light theme, and a dark one for dark mode.
pub fn syntax_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let light = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| syntect::html::css_for_theme_with_class_style(t, CLASS_STYLE).ok())
        .unwrap_or_default();
    let dark = themes
        .themes
        .get("base16-ocean.dark")
        .and_then(|t| syntect::html::css_for_theme_with_class_style(t, CLASS_STYLE).ok())
        .unwrap_or_default();
    // Readable on every background code sits on (the page, `pre`, inline `code`) in each palette
    // of style.css: the themes as shipped use colours down to 2.8:1.
    let light = contrast::readable_css(
        &light,
        &["#ffffff", "#f6f8fa", "#eef1f4"],
        contrast::TEXT_CONTRAST,
    );
    let dark = contrast::readable_css(
        &dark,
        &["#0d1117", "#151b23", "#212830"],
        contrast::TEXT_CONTRAST,
    );
    // Dark colours follow the theme toggle (`data-theme` on <html>) and, without a choice, the system.
    let chosen = prefix_selectors(&dark, ":root[data-theme=\"dark\"]");
    let system = prefix_selectors(&dark, ":root:not([data-theme=\"light\"])");
    format!("{light}\n{chosen}\n@media (prefers-color-scheme: dark) {{\n{system}\n}}\n")
}

/// Prefix every selector of a flat stylesheet (as syntect writes it) with `prefix`.
fn prefix_selectors(css: &str, prefix: &str) -> String {
    let css = strip_comments(css);
    let mut out = String::with_capacity(css.len() * 2);
    let mut in_block = false;
    for line in css.lines() {
        let trimmed = line.trim_start();
        if !in_block && !trimmed.is_empty() && !trimmed.starts_with('}') {
            let selectors: Vec<String> = trimmed
                .trim_end_matches('{')
                .split(',')
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(|s| format!("{prefix} {s}"))
                .collect();
            out.push_str(&selectors.join(", "));
            if trimmed.ends_with('{') {
                out.push_str(" {");
                in_block = true;
            } else {
                out.push(',');
            }
            out.push('\n');
            continue;
        }
        if trimmed.contains('{') {
            in_block = true;
        }
        if trimmed.contains('}') {
            in_block = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain path skips the sanitiser: on every text it takes, the sanitiser must give the
    /// same bytes. Texts built from pieces that are plain and pieces that are not.
    #[test]
    fn plain_markdown_is_what_the_sanitiser_would_write() {
        const PIECES: &[&str] = &[
            "Synthetic product",
            " **2** ",
            "*em*",
            "_em_",
            "~~gone~~",
            "`id`",
            "`a<b>&c`",
            "\n",
            "\n\n",
            "\n- item",
            "\n* item\n  * nested",
            "\n1. first",
            "\n3. third",
            "a & b",
            "x < y > z",
            "it's",
            "\"quoted\"",
            "no\u{a0}break",
            "tab\there",
            "é ü 漢字 🙂",
            "[link](https://x.org)",
            "<b>raw</b>",
            "# heading",
            "\n> quote",
            "&amp; &lt; &#65;",
            "line  \nbreak",
            "***both***",
            "**unclosed",
            "\\*escaped\\*",
            "\n```\ncode\n```\n",
            "\r\n",
            "\0",
            "- [ ] task",
            "| a | b |\n|---|---|\n| 1 | 2 |",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut plain_seen = 0;
        for _ in 0..4000 {
            let mut text = String::new();
            for _ in 0..1 + (seed % 7) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let (html, plain) = unsanitized(&text);
            if plain {
                plain_seen += 1;
                assert_eq!(html, sanitize(&html), "{text:?}");
            }
            assert_eq!(render(&text), sanitize(&html), "{text:?}");
            let (html, plain) = inline_html(&text);
            if plain {
                assert_eq!(html, sanitizer().clean(&html).to_string(), "{text:?}");
            }
        }
        assert!(plain_seen > 300, "only {plain_seen} plain texts");
    }

    #[test]
    fn deep_nesting_is_flattened_not_lost() {
        for text in [">".repeat(5_000) + " deep", "- ".repeat(5_000) + "deep"] {
            let html = render(&text);
            assert!(html.contains("deep"), "{html}");
            let opened = html.matches("<blockquote>").count() + html.matches("<ul>").count();
            assert!(opened <= MAX_NESTING, "{opened} levels");
        }
        // Shallow nesting is kept as written.
        let html = render("> a\n> > b\n\n- x\n  - y\n");
        assert_eq!(html.matches("<blockquote>").count(), 2, "{html}");
        assert_eq!(html.matches("<ul>").count(), 2, "{html}");
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = render(
            "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            !html.contains("<img"),
            "raw HTML is shown as text, not trusted: {html}"
        );
    }

    #[test]
    fn code_blocks_are_highlighted_with_classes() {
        let html = render("```sql\nSELECT * FROM orders WHERE id = 1\n```\n");
        assert!(html.contains("class=\"hl\""), "{html}");
        assert!(html.contains("hl-keyword"), "{html}");
    }

    #[test]
    fn dark_rules_follow_the_toggle() {
        let css = syntax_css();
        assert!(
            css.contains(":root[data-theme=\"dark\"] .hl-comment"),
            "dark rules prefixed"
        );
        assert!(
            !css.contains(":root[data-theme=\"dark\"] *"),
            "comments are not selectors"
        );
    }

    #[test]
    fn manifests_are_highlighted_escaped_and_anchored_per_line() {
        let yaml = "# about\nid: orders # the id\nversion: 1.0\ntags:\n  - \"<b>x</b>\"\ndescription: |\n  a: not a key\n  b & c\nname: x\n";
        let html = highlight_manifest(yaml);
        assert!(html.contains("<a id=L1></a><i># about</i>"), "{html}");
        assert!(
            html.contains("<b id=L2>id</b>: orders <i># the id</i>"),
            "{html}"
        );
        assert!(html.contains("<b id=L3>version</b>: <u>1.0</u>"), "{html}");
        assert!(
            html.contains("<a id=L5></a>  - <u>\"&lt;b&gt;x&lt;/b&gt;\"</u>"),
            "{html}"
        );
        // A block scalar's lines are text, however they look.
        assert!(html.contains("<a id=L7></a>  a: not a key\n"), "{html}");
        assert!(html.contains("<a id=L8></a>  b &amp; c\n"), "{html}");
        assert!(html.contains("<b id=L9>name</b>: x"), "{html}");
        assert!(!html.contains("<b>x"), "{html}");
        // Every line has exactly one anchor, numbered in order.
        for n in 1..=9 {
            assert_eq!(
                html.matches(&format!("id=L{n}>")).count(),
                1,
                "line {n}: {html}"
            );
        }
    }

    #[test]
    fn inline_text_shows_code_spans_and_stays_safe() {
        assert_eq!(
            inline("Join to `customer-profiles-v1` <b>now</b> & **soon**"),
            "Join to <code>customer-profiles-v1</code> &lt;b&gt;now&lt;/b&gt; &amp; <strong>soon</strong>"
        );
        assert_eq!(inline("plain <text>"), "plain &lt;text&gt;");
        let link = inline("[x](javascript:alert(1)) and `<script>`");
        assert!(
            !link.contains("javascript") && link.contains("<code>&lt;script&gt;</code>"),
            "{link}"
        );
        assert_eq!(
            inline("first `a`\n\n- second"),
            "first <code>a</code> second"
        );
    }

    #[test]
    fn lists_and_emphasis() {
        let html = render("- **one**\n- two\n");
        assert!(html.contains("<li><strong>one</strong></li>"), "{html}");
    }
}
