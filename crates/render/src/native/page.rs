//! The one way a compiled content block becomes a whole page: the theme's `base.html` (with
//! `site_header.html`) around it, so a theme that overrides only the shell still gets it on
//! every page, compiled or not.
//!
//! Why not simply render the block through a template: the whitespace pass over a whole page
//! and the conversion of a page-sized string into a template value are what compiling the
//! block saves. The shell is rendered with a marker where the block goes and collapsed on its
//! own, the block is collapsed on its own, and the two are joined where the marker was with
//! the whitespace run that meets there collapsed as the pass would collapse it in the whole
//! page ([`append_collapsed`]). That holds when the marker stands in text (not inside a tag, an
//! attribute or a `<pre>`): true of the built-in base.html; an overridden one is rendered with
//! the block in place and collapsed whole.

use super::Html;
use crate::whitespace::collapse_in_place;

/// The internal template: base.html with the compiled block as its content. The name holds a
/// `/`, which no file of a theme's templates folder can have, so no override replaces it.
pub const TEMPLATE_NAME: &str = "meshdoc/native_page.html";
pub const TEMPLATE: &str =
    "{% extends \"base.html\" %}{% block content %}{{ body | safe }}{% endblock content %}";

/// Where the block goes in the shell: control characters no template writes and escaping
/// keeps, checked to occur exactly once before the shell is split there.
const MARKER: &str = "\u{1}meshdoc:content\u{1}";

/// A page from its shell's context (site, root, section, title…, as any page gets) and its
/// compiled content block, collapsed as every HTML page is. `splice`: the shell is the
/// built-in base.html, whose content block stands in text.
pub fn render(
    tera: &tera::Tera,
    mut shell: tera::Context,
    body: &Html,
    splice: bool,
) -> Result<Vec<u8>, tera::Error> {
    if splice {
        shell.insert_value("body", tera::Value::safe_string(MARKER));
        let mut page = Vec::with_capacity(body.0.len() + 4096);
        tera.render_to(TEMPLATE_NAME, &shell, &mut page)?;
        collapse_in_place(&mut page);
        if let Some(at) = only(&page, MARKER.as_bytes()) {
            let suffix = page.split_off(at).split_off(MARKER.len());
            append_collapsed(&mut page, &collapsed(body));
            append_collapsed(&mut page, &suffix);
            return Ok(page);
        }
    }
    // A manifest's title that holds the marker, or a shell that is not the built-in one.
    shell.insert_value("body", tera::Value::safe_string(&body.0));
    let mut page = Vec::with_capacity(body.0.len() + 4096);
    tera.render_to(TEMPLATE_NAME, &shell, &mut page)?;
    collapse_in_place(&mut page);
    Ok(page)
}

/// Where the page's title goes in a [`Shell`], with what base.html writes after it.
const TITLE_MARKER: &str = "\u{1}meshdoc:title\u{1} · ";

/// The built-in base.html of every page of one section at one depth (with or without a
/// markdown twin), rendered and collapsed once and cut where the title and the block go: the
/// pages there differ in nothing else, so a page is these parts joined around its own title
/// and block ([`append_collapsed`] at each seam) without a template call.
pub struct Shell {
    head: Vec<u8>,
    middle: Vec<u8>,
    tail: Vec<u8>,
}

impl Shell {
    /// From the shell's context (as a page of that section and depth gets it): None where the
    /// title or the block do not stand once each, in that order, where built-in base.html puts
    /// them (the page is then rendered on its own).
    pub fn of(tera: &tera::Tera, mut context: tera::Context) -> Result<Option<Shell>, tera::Error> {
        context.insert("page_title", TITLE_MARKER.trim_end_matches(" · "));
        context.insert_value("body", tera::Value::safe_string(MARKER));
        let mut page = Vec::with_capacity(4096);
        tera.render_to(TEMPLATE_NAME, &context, &mut page)?;
        collapse_in_place(&mut page);
        let (Some(title), Some(block)) = (
            only(&page, TITLE_MARKER.as_bytes()),
            only(&page, MARKER.as_bytes()),
        ) else {
            return Ok(None);
        };
        if title > block {
            return Ok(None);
        }
        Ok(Some(Shell {
            head: page[..title].to_vec(),
            middle: page[title + TITLE_MARKER.len()..block].to_vec(),
            tail: page[block + MARKER.len()..].to_vec(),
        }))
    }

    /// The page of `title` (shown before the site's title unless it is empty or that title)
    /// and `body`, what [`render`] makes of them.
    pub fn page(&self, title: &str, site_title: &str, body: &Html) -> Vec<u8> {
        let mut page = Vec::with_capacity(self.head.len() + self.tail.len() + body.0.len() + 512);
        page.extend_from_slice(&self.head);
        if !title.is_empty() && title != site_title {
            let mut shown = String::with_capacity(title.len() + 8);
            crate::escape::push_escaped(&mut shown, title);
            shown.push_str(" · ");
            let mut shown = shown.into_bytes();
            collapse_in_place(&mut shown);
            append_collapsed(&mut page, &shown);
        }
        append_collapsed(&mut page, &self.middle);
        append_collapsed(&mut page, &collapsed(body));
        append_collapsed(&mut page, &self.tail);
        page
    }
}

/// The block as the pass leaves it: as written when its writer knows it is (see [`Html`]).
fn collapsed(body: &Html) -> std::borrow::Cow<'_, [u8]> {
    if body.collapsed() {
        std::borrow::Cow::Borrowed(body.0.as_bytes())
    } else {
        let mut block = body.0.as_bytes().to_vec();
        collapse_in_place(&mut block);
        std::borrow::Cow::Owned(block)
    }
}

/// Where `needle` occurs in `bytes`, when it occurs exactly once.
fn only(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    let at = memchr::memmem::find(bytes, needle)?;
    let again = memchr::memmem::find(&bytes[at + needle.len()..], needle);
    again.is_none().then_some(at)
}

/// `piece` (collapsed on its own) after `out` (collapsed on its own), as the whitespace pass
/// would have left the two written together: the run of whitespace where they meet is one run,
/// a single `\n` when either side of it held a line break, as it was otherwise. (A collapsed
/// run holds a `\n` exactly when the run it came from held a line break.)
pub fn append_collapsed(out: &mut Vec<u8>, piece: &[u8]) {
    let lead = piece.iter().take_while(|&&b| is_space(b)).count();
    let tail = out.iter().rev().take_while(|&&b| is_space(b)).count();
    let breaks = |run: &[u8]| run.iter().any(|&b| b == b'\n' || b == b'\r');
    if lead > 0 && tail > 0 && (breaks(&out[out.len() - tail..]) || breaks(&piece[..lead])) {
        out.truncate(out.len() - tail);
        out.push(b'\n');
        out.extend_from_slice(&piece[lead..]);
    } else {
        out.extend_from_slice(piece);
    }
}

/// The whitespace of the pass (`whitespace::is_space`).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whitespace::collapse;

    /// Split anywhere in text, collapsed in parts and joined, a page is what the pass makes of
    /// it whole.
    #[test]
    fn joining_collapsed_parts_is_collapsing_the_whole() {
        let texts = [
            "<main>\n    ",
            "  \n  <p>a</p>  \n",
            "\n",
            " ",
            "  ",
            "x",
            "<b>a</b>  ",
            "\t\r\n ",
            "",
            "<pre>\n  kept\n</pre>\n\n",
            " \n</main>\n  <footer> x </footer>",
        ];
        for a in texts {
            for b in texts {
                for c in texts {
                    let whole = collapse(&format!("{a}{b}{c}"));
                    let mut out = collapse(a).into_bytes();
                    append_collapsed(&mut out, collapse(b).as_bytes());
                    append_collapsed(&mut out, collapse(c).as_bytes());
                    assert_eq!(String::from_utf8(out).unwrap(), whole, "{a:?} {b:?} {c:?}");
                }
            }
        }
    }

    #[test]
    fn a_page_is_its_shell_around_the_block() {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates([
            (
                "base.html",
                "<title>{% if page_title and page_title != site.title %}{{ page_title }} · {% endif %}{{ site.title }}</title>\n<main>\n    {% block content %}{% endblock content %}\n  </main>\n",
            ),
            (TEMPLATE_NAME, TEMPLATE),
        ])
        .unwrap();
        let mut body = Html::default();
        body.html("\n  <h1>A &amp; B</h1>\n   <pre>\n  x\n</pre>  \n");
        let body = &body;
        let mut shell = tera::Context::new();
        shell.insert("page_title", "T");
        shell.insert("site", &serde_json::json!({"title": "Site"}));
        let spliced = render(&tera, shell.clone(), body, true).unwrap();
        let whole = render(&tera, shell.clone(), body, false).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&spliced),
            String::from_utf8_lossy(&whole)
        );
        assert_eq!(
            String::from_utf8(whole).unwrap(),
            "<title>T · Site</title>\n<main>\n<h1>A &amp; B</h1>\n<pre>\n  x\n</pre>\n</main>\n"
        );
        // The same page from the cached shell, for any title.
        let cached = Shell::of(&tera, shell.clone()).unwrap().unwrap();
        for title in ["T", "", "Site", "a <b> &\n  c ", " x\n"] {
            let mut context = tera::Context::new();
            context.insert("page_title", title);
            context.insert("site", &serde_json::json!({"title": "Site"}));
            let whole = render(&tera, context, body, false).unwrap();
            assert_eq!(
                String::from_utf8(cached.page(title, "Site", body)).unwrap(),
                String::from_utf8(whole).unwrap(),
                "{title:?}"
            );
        }
        // A title holding the marker: the page is still the block in its place.
        shell.insert("page_title", MARKER);
        let marked = render(&tera, shell, body, true).unwrap();
        assert!(String::from_utf8(marked)
            .unwrap()
            .contains("<h1>A &amp; B</h1>"));
    }
}
