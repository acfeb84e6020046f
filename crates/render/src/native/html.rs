//! The output buffer of a compiled fragment: markup as written, text escaped as Tera escapes it.

/// HTML being written.
#[derive(Default)]
pub struct Html(pub String);

impl Html {
    pub fn with_capacity(n: usize) -> Html {
        Html(String::with_capacity(n))
    }

    /// Markup, unchanged.
    pub fn raw(&mut self, markup: &str) -> &mut Html {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped (`{{ text }}` in a template).
    pub fn text(&mut self, text: &str) -> &mut Html {
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
        self.0.push_str(&crate::markdown::inline(text));
        self
    }
}

/// A template's truthiness of an optional text: present and not empty.
pub fn filled(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.is_empty())
}
