//! Markdown written as documentation (a product's README and docs folder, the start page): like
//! `markdown::render`, plus what a page of its own needs — headings with anchors and a table of
//! contents, and every relative link and image resolved by the caller (to a page or a copied file
//! of this site, or made inert when it leads nowhere or out of the repository).

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::markdown::{escape, highlight, Nesting};

/// A heading of the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    /// 2 or 3 (a document's `#` becomes the page's second level: the page title is the first).
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// What a relative link or image becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A URL relative to the page (or the same URL when it is absolute).
    Link(String),
    /// Shown as text: the target is outside the repository, missing, or not published.
    Inert(String),
}

/// A rendered document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEAN: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEAN.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tag_attributes("span", &["class", "title"])
            .add_tag_attributes("code", &["class"])
            .add_tag_attributes("pre", &["class"])
            .add_tag_attributes("th", &["align"])
            .add_tag_attributes("td", &["align"]);
        for h in ["h2", "h3", "h4", "h5", "h6"] {
            b.add_tag_attributes(h, &["id"]);
        }
        b
    })
}

/// Whether a link target is left as written: a web or mail address, or an anchor on the page.
/// Every other scheme (`javascript:`, `file:`, `data:`) is removed by the sanitiser anyway.
pub fn is_absolute(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    url.starts_with('#') || lower.contains("://") || lower.starts_with("mailto:")
}

/// Render `markdown`; `resolve(url, is_image)` decides each relative link and image.
pub fn render(markdown: &str, resolve: &mut dyn FnMut(&str, bool) -> Target) -> Rendered {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut events: Vec<Event> = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut nesting = Nesting::default();
    // For each open link or image: whether it was made inert.
    let mut open: Vec<bool> = Vec::new();
    let mut heading: Option<(HeadingLevel, Vec<Event>, String)> = None;
    let mut toc = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    for event in Parser::new_ext(markdown, options) {
        let Some(event) = nesting.keep(event) else {
            continue;
        };
        let out: Vec<Event> = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                Vec::new()
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
                Vec::new()
            }
            Event::End(TagEnd::CodeBlock) => match code.take() {
                Some((lang, text)) => vec![Event::Html(highlight(&lang, &text).into())],
                None => Vec::new(),
            },
            // Raw HTML in documentation is shown as text rather than trusted.
            Event::Html(h) | Event::InlineHtml(h) => vec![Event::Text(h)],
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match decide(&dest_url, false, resolve) {
                Target::Link(url) => {
                    open.push(false);
                    vec![Event::Start(Tag::Link {
                        link_type,
                        dest_url: url.into(),
                        title,
                        id,
                    })]
                }
                Target::Inert(why) => {
                    open.push(true);
                    vec![Event::Html(inert_open(&why).into())]
                }
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match decide(&dest_url, true, resolve) {
                Target::Link(url) => {
                    open.push(false);
                    vec![Event::Start(Tag::Image {
                        link_type,
                        dest_url: url.into(),
                        title,
                        id,
                    })]
                }
                Target::Inert(why) => {
                    open.push(true);
                    vec![
                        Event::Html(inert_open(&why).into()),
                        Event::Text("[image: ".into()),
                    ]
                }
            },
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => match open.pop() {
                Some(true) if end == TagEnd::Image => vec![Event::Html("]</span>".into())],
                Some(true) => vec![Event::Html("</span>".into())],
                _ => vec![Event::End(end)],
            },
            other => vec![other],
        };
        for e in out {
            match (e, heading.as_mut()) {
                (Event::Start(Tag::Heading { level, .. }), None) => {
                    heading = Some((level, Vec::new(), String::new()));
                }
                (Event::End(TagEnd::Heading(_)), Some(_)) => {
                    if let Some((level, inner, text)) = heading.take() {
                        close_heading(level, inner, &text, &mut ids, &mut toc, &mut events);
                    }
                }
                (e, Some((_, inner, text))) => {
                    if let Event::Text(t) | Event::Code(t) = &e {
                        text.push_str(t);
                    }
                    inner.push(e);
                }
                (e, None) => events.push(e),
            }
        }
    }
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let html = sanitizer()
        .clean(&html)
        .to_string()
        .replace("<pre>", "<pre tabindex=\"0\">")
        .replace("<pre class=\"hl\">", "<pre class=\"hl\" tabindex=\"0\">");
    Rendered { html, toc }
}

/// A heading with its anchor, and its entry in the table of contents (second and third level).
fn close_heading<'a>(
    level: HeadingLevel,
    inner: Vec<Event<'a>>,
    text: &str,
    ids: &mut HashSet<String>,
    toc: &mut Vec<Heading>,
    events: &mut Vec<Event<'a>>,
) {
    let shifted = shift(level);
    let id = unique_id(text, ids);
    if matches!(shifted, HeadingLevel::H2 | HeadingLevel::H3) && !text.trim().is_empty() {
        toc.push(Heading {
            level: if shifted == HeadingLevel::H2 { 2 } else { 3 },
            text: text.trim().to_string(),
            id: id.clone(),
        });
    }
    events.push(Event::Start(Tag::Heading {
        level: shifted,
        id: Some(CowStr::from(id)),
        classes: Vec::new(),
        attrs: Vec::new(),
    }));
    events.extend(inner);
    events.push(Event::End(TagEnd::Heading(shifted)));
}

/// The anchor a heading's text gets (`Set up` → `s-set-up`): what a `#fragment` link names.
pub fn anchor_of(text: &str) -> String {
    format!("s-{}", model::slug::slug(text))
}

fn decide(url: &str, image: bool, resolve: &mut dyn FnMut(&str, bool) -> Target) -> Target {
    if let Some(fragment) = url.strip_prefix('#') {
        Target::Link(format!("#{}", anchor_of(fragment)))
    } else if is_absolute(url) && !image {
        Target::Link(url.to_string())
    } else if is_absolute(url) {
        // Images from other hosts would be fetched by every reader's browser: shown as a link.
        Target::Inert(format!("image from another site: {url}"))
    } else {
        resolve(url, image)
    }
}

fn inert_open(why: &str) -> String {
    format!("<span class=\"inert\" title=\"{}\">", escape(why))
}

/// A document's `#` is the page's second level (the page title is its `<h1>`).
fn shift(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// An anchor from a heading's text, unique on the page (`setup`, `setup-2`).
fn unique_id(text: &str, ids: &mut HashSet<String>) -> String {
    let base = anchor_of(text);
    let mut id = base.clone();
    let mut n = 1;
    while ids.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    ids.insert(id.clone());
    id
}
