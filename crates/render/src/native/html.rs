//! The output buffer of a compiled fragment: markup as written, text escaped as Tera escapes it,
//! kept as the whitespace pass would leave it wherever that is cheap to know.
//!
//! Why: the pass (`whitespace::collapse_in_place`) over a whole compiled page was a third of
//! its instructions, though the markup written here has no whitespace for it to change. So the
//! buffer joins each piece the way the pass would ([`Html::raw`] merges the whitespace where
//! two pieces meet, [`Html::html`] collapses foreign markup on its own first) and remembers
//! when a piece of text could hold a run the pass would change (a line break in a manifest's
//! name, in an attribute or a `<pre>`): only then does the page need the pass
//! ([`Html::collapsed`]).

/// HTML being written; `.1`: it may hold whitespace the pass would change.
#[derive(Default)]
pub struct Html(pub String, bool);

impl Html {
    pub fn with_capacity(n: usize) -> Html {
        Html(String::with_capacity(n), false)
    }

    /// Whether the pass would leave this as it is (else it must be collapsed before use).
    pub fn collapsed(&self) -> bool {
        !self.1
    }

    /// Markup written by meshdoc: at most single line breaks between its tags (checked in
    /// debug builds), joined to what comes before it as the pass would join the two.
    pub fn raw(&mut self, markup: &str) -> &mut Html {
        debug_assert!(
            is_collapsed(markup),
            "markup with loose whitespace: {markup:?}"
        );
        self.join(markup);
        self
    }

    /// A page section's opening and the start of its heading, on lines of their own:
    /// `<section class=section id=ID aria-labelledby=ID-title>` `<h2 id=ID-title>HEADING`, the
    /// heading left open for a count, a help link or `</h2>` (contract.html's form).
    pub fn section(&mut self, id: &str, heading: &str) -> &mut Html {
        self.raw("\n<section class=section id=")
            .raw(id)
            .raw(" aria-labelledby=")
            .raw(id)
            .raw("-title>\n<h2 id=")
            .raw(id)
            .raw("-title>")
            .raw(heading)
    }

    /// [`Html::section`] with its attributes quoted (product.html's form).
    pub fn section_quoted(&mut self, id: &str, heading: &str) -> &mut Html {
        self.raw("\n<section class=\"section\" id=\"")
            .raw(id)
            .raw("\" aria-labelledby=\"")
            .raw(id)
            .raw("-title\">\n<h2 id=\"")
            .raw(id)
            .raw("-title\">")
            .raw(heading)
    }

    /// A pill after what is written: ` <span class="pill CLASS">TEXT</span>`.
    pub fn pill(&mut self, class: &str, text: &str) -> &mut Html {
        self.raw(" <span class=\"pill ")
            .raw(class)
            .raw("\">")
            .text(text)
            .raw("</span>")
    }

    /// Markup written elsewhere (markdown, an SVG diagram, a template's output), balanced and
    /// standing in text: collapsed on its own where it holds a line break, then joined.
    pub fn html(&mut self, markup: &str) -> &mut Html {
        if memchr::memchr2(b'\n', b'\r', markup.as_bytes()).is_some() {
            self.join(&crate::whitespace::collapse(markup));
        } else {
            self.join(markup);
        }
        self
    }

    /// Another buffer's markup, with what it knows about its whitespace.
    pub fn append(&mut self, other: &Html) -> &mut Html {
        self.join(&other.0);
        self.1 |= other.1;
        self
    }

    /// Text, escaped (`{{ text }}` in a template). A line break in it, or whitespace where it
    /// meets whitespace, leaves the page to the pass (text may stand in an attribute or a
    /// `<pre>`, which the pass keeps as they are).
    pub fn text(&mut self, text: &str) -> &mut Html {
        let bytes = text.as_bytes();
        if memchr::memchr2(b'\n', b'\r', bytes).is_some()
            || (bytes.first().is_some_and(|&b| is_space(b)) && self.ends_in_space())
        {
            self.1 = true;
        }
        crate::escape::push_escaped(&mut self.0, text);
        self
    }

    /// A number as Tera prints an integer.
    pub fn num(&mut self, n: impl std::fmt::Display) -> &mut Html {
        use std::fmt::Write;
        let _ = write!(self.0, "{n}");
        self
    }

    /// A link to a page of the site, `<a href="{{ root }}{{ url }}">{{ name }}</a>`.
    pub fn link(&mut self, root: &str, url: &str, name: &str) -> &mut Html {
        self.raw("<a href=\"")
            .text(root)
            .text(url)
            .raw("\">")
            .text(name)
            .raw("</a>")
    }

    /// Manifest text with its inline markdown (`{{ text | inline }}`).
    pub fn inline(&mut self, text: &str) -> &mut Html {
        self.html(&crate::markdown::inline(text))
    }

    fn ends_in_space(&self) -> bool {
        self.0.as_bytes().last().is_some_and(|&b| is_space(b))
    }

    /// `piece` after what is written: the whitespace run where the two meet becomes one `\n`
    /// when either side of it holds a line break, as the pass makes of it.
    fn join(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        if !(bytes.first().is_some_and(|&b| is_space(b)) && self.ends_in_space()) {
            self.0.push_str(piece);
            return;
        }
        let lead = bytes.iter().take_while(|&&b| is_space(b)).count();
        let written = self.0.as_bytes();
        let tail = written.iter().rev().take_while(|&&b| is_space(b)).count();
        let breaks = |run: &[u8]| run.iter().any(|&b| b == b'\n' || b == b'\r');
        if breaks(&written[written.len() - tail..]) || breaks(&bytes[..lead]) {
            // Only ASCII whitespace is cut, so both ends stay on character boundaries.
            let keep = self.0.len() - tail;
            self.0.truncate(keep);
            self.0.push('\n');
            self.0.push_str(&piece[lead..]);
        } else {
            self.0.push_str(piece);
        }
    }
}

/// The whitespace of the pass.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Markup the pass leaves as it is: no carriage return, no line break beside other whitespace.
fn is_collapsed(markup: &str) -> bool {
    let bytes = markup.as_bytes();
    !bytes.contains(&b'\r')
        && bytes
            .windows(2)
            .all(|w| !((w[0] == b'\n' && is_space(w[1])) || (is_space(w[0]) && w[1] == b'\n')))
}

/// A template's truthiness of an optional text: present and not empty.
pub fn filled(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::Html;
    use crate::whitespace::collapse;

    /// Whatever is written, a buffer that says it is collapsed is what the pass makes of it.
    #[test]
    fn a_collapsed_buffer_is_what_the_pass_leaves() {
        let markup = ["\n", "<p>", "</p>\n", " ", "\n<li>", "<b>x</b> "];
        let texts = ["a", " b ", "c\nd", "", "  ", "e\r\n", "\tf"];
        let foreign = ["<p>x\n  y</p>\n", "<pre>\n  k\n</pre>\n", "plain"];
        for m in markup {
            for t in texts {
                for f in foreign {
                    let mut h = Html::default();
                    h.raw(m)
                        .text(t)
                        .raw(m)
                        .html(f)
                        .raw(m)
                        .text(t)
                        .inline(t)
                        .raw(m);
                    let whole = collapse(&h.0);
                    if h.collapsed() {
                        assert_eq!(h.0, whole, "{m:?} {t:?} {f:?}");
                    }
                    // Either way, the pass makes of it what it makes of the pieces written whole.
                    let mut plain = String::new();
                    plain.push_str(m);
                    crate::escape::push_escaped(&mut plain, t);
                    plain.push_str(m);
                    plain.push_str(f);
                    plain.push_str(m);
                    crate::escape::push_escaped(&mut plain, t);
                    plain.push_str(&crate::markdown::inline(t));
                    plain.push_str(m);
                    assert_eq!(whole, collapse(&plain), "{m:?} {t:?} {f:?}");
                }
            }
        }
    }
}
