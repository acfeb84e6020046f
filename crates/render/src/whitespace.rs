//! The whitespace collapse every HTML page goes through before it is written: template indentation
//! is about a tenth of the site's bytes and means nothing to a browser. One linear pass over the
//! bytes: a run of whitespace that contains a line break becomes one line break (so a space that
//! separates inline elements stays a separator); runs without a line break, the contents of
//! `<pre>`, `<textarea>`, `<script>` and `<style>`, comments and quoted attribute values are
//! copied unchanged.

/// Elements whose text is shown (or run) exactly as written.
const VERBATIM: [&[u8]; 4] = [b"pre", b"textarea", b"script", b"style"];

/// `html` with every whitespace run that holds a line break, outside verbatim elements and
/// attribute values, reduced to one `\n`.
pub fn collapse(html: &str) -> String {
    let mut bytes = html.as_bytes().to_vec();
    collapse_in_place(&mut bytes);
    // Only ASCII whitespace was removed, and only whole runs of it: the rest is the input's UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| html.to_string())
}

/// [`collapse`] on a page's bytes where they are: what Tera wrote is shortened in its own buffer,
/// not copied into a second one of the page's size (a fresh allocation per page, and the UTF-8
/// check of the text, showed in profiles of a full build).
///
/// Why it is shaped like this: it runs over every page of the site, so it jumps (memchr) from
/// one line break or `<` to the next and moves the unchanged stretches between the runs it
/// replaces in one piece, instead of looking at and pushing every byte.
pub fn collapse_in_place(html: &mut Vec<u8>) {
    let mut out = Out {
        bytes: std::mem::take(html),
        written: 0,
        copied: 0,
    };
    let mut i = 0;
    while let Some(p) = memchr::memchr3(b'<', b'\n', b'\r', &out.bytes[i..]).map(|p| i + p) {
        i = if out.bytes[p] == b'<' {
            markup(&mut out, p)
        } else {
            out.line_break_at(p)
        };
    }
    let len = out.bytes.len();
    out.keep(len);
    out.bytes.truncate(out.written);
    *html = out.bytes;
}

/// The page being shortened in place: `bytes[..written]` is the output for the input up to
/// `copied`, which is never behind it (only whitespace is removed), so what is still to be read
/// is never overwritten.
struct Out {
    bytes: Vec<u8>,
    written: usize,
    copied: usize,
}

impl Out {
    /// The input from `copied` up to `to`, unchanged.
    fn keep(&mut self, to: usize) {
        if self.written != self.copied {
            self.bytes.copy_within(self.copied..to, self.written);
        }
        self.written += to - self.copied;
        self.copied = to;
    }

    /// The whitespace run around the line break at `p` becomes one `\n`; returns its end.
    fn line_break_at(&mut self, p: usize) -> usize {
        let bytes = &self.bytes;
        let mut start = p;
        while start > self.copied && is_space(bytes[start - 1]) {
            start -= 1;
        }
        let end = bytes[p..]
            .iter()
            .position(|&c| !is_space(c))
            .map_or(bytes.len(), |n| p + n);
        self.keep(start);
        self.bytes[self.written] = b'\n';
        self.written += 1;
        self.copied = end;
        end
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The markup that starts with the `<` at `start` — a comment, a tag, or a verbatim element
/// with its contents up to its end tag: returns where it ends. Only a tag's whitespace between
/// attributes can change.
fn markup(out: &mut Out, start: usize) -> usize {
    let bytes = &out.bytes;
    let rest = &bytes[start..];
    if rest.starts_with(b"<!--") {
        return find(bytes, start + 4, b"-->").map_or(bytes.len(), |p| p + 3);
    }
    let starts_tag = rest
        .get(1)
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/' || c == b'!' || c == b'?');
    if !starts_tag {
        return start + 1;
    }
    let name_end = rest[1..]
        .iter()
        .position(|&c| !c.is_ascii_alphanumeric())
        .map_or(rest.len(), |p| p + 1);
    // Whether it opens a verbatim element, read before `tag` moves what follows its name. Most
    // tags are not verbatim: their name's length says so without comparing it four times.
    let name = &rest[1..name_end];
    let verbatim: Option<&'static [u8]> = matches!(name.len(), 3 | 5 | 6 | 8)
        .then(|| {
            VERBATIM
                .iter()
                .find(|v| name.eq_ignore_ascii_case(v))
                .copied()
        })
        .flatten();
    let end = tag(out, start);
    // The tag's last two bytes follow any whitespace it collapsed: they are still the input's.
    let bytes = &out.bytes;
    match verbatim {
        // An opening verbatim tag: its contents up to the closing tag, unchanged.
        Some(verbatim) if !bytes[start..end].ends_with(b"/>") => {
            find_end_tag(bytes, end, verbatim).unwrap_or(bytes.len())
        }
        _ => end,
    }
}

/// One tag from its `<` to its `>`: whitespace between attributes is collapsed like text,
/// quoted values are kept as they are. Returns the end of the tag.
fn tag(out: &mut Out, start: usize) -> usize {
    let len = out.bytes.len();
    let mut i = start;
    // Byte by byte: tags are short, and a memchr per stretch between quotes cost more (callgrind).
    while i < len {
        match out.bytes[i] {
            b'>' => return i + 1,
            q @ (b'"' | b'\'') => {
                i = memchr::memchr(q, &out.bytes[i + 1..]).map_or(len, |p| i + 1 + p + 1);
            }
            b'\n' | b'\r' => i = out.line_break_at(i),
            _ => i += 1,
        }
    }
    i
}

/// Where `</name` (any case) starts at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(p) = find(bytes, at, b"</") {
        let after = &bytes[p + 2..];
        let named = after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name);
        let ends = after
            .get(name.len())
            .is_none_or(|&c| c == b'>' || c == b'/' || is_space(c));
        if named && ends {
            return Some(p);
        }
        at = p + 2;
    }
    None
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::collapse;

    /// The first, byte-at-a-time version of the pass: what the fast one must give on any input.
    mod reference {
        const VERBATIM: [&[u8]; 4] = [b"pre", b"textarea", b"script", b"style"];

        /// `html` with every whitespace run that holds a line break, outside verbatim elements and
        /// attribute values, reduced to one `\n`.
        pub fn collapse(html: &str) -> String {
            let bytes = html.as_bytes();
            let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                let b = bytes[i];
                if is_space(b) {
                    i = copy_space_run(bytes, i, &mut out);
                } else if b == b'<' {
                    i = copy_markup(bytes, i, &mut out);
                } else {
                    // Text up to the next space or tag, as is.
                    let end = bytes[i..]
                        .iter()
                        .position(|&c| c == b'<' || is_space(c))
                        .map_or(bytes.len(), |p| i + p);
                    out.extend_from_slice(&bytes[i..end]);
                    i = end;
                }
            }
            // Only ASCII whitespace was removed, and only whole runs of it: the rest is the input's UTF-8.
            String::from_utf8(out).unwrap_or_else(|_| html.to_string())
        }

        fn is_space(b: u8) -> bool {
            matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
        }

        /// Copies the whitespace run at `start` (one `\n` when it holds a line break); returns its end.
        fn copy_space_run(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
            let end = bytes[start..]
                .iter()
                .position(|&c| !is_space(c))
                .map_or(bytes.len(), |p| start + p);
            let run = &bytes[start..end];
            if run.iter().any(|&c| c == b'\n' || c == b'\r') {
                out.push(b'\n');
            } else {
                out.extend_from_slice(run);
            }
            end
        }

        /// Copies the markup that starts with the `<` at `start` — a comment, a tag, or a verbatim element
        /// with its contents up to its end tag — and returns where it ends.
        fn copy_markup(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
            let rest = &bytes[start..];
            if rest.starts_with(b"<!--") {
                let end = find(bytes, start + 4, b"-->").map_or(bytes.len(), |p| p + 3);
                out.extend_from_slice(&bytes[start..end]);
                return end;
            }
            let starts_tag = rest
                .get(1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/' || c == b'!' || c == b'?');
            if !starts_tag {
                out.push(b'<');
                return start + 1;
            }
            let name_end = rest[1..]
                .iter()
                .position(|&c| !c.is_ascii_alphanumeric())
                .map_or(rest.len(), |p| p + 1);
            let name = &rest[1..name_end];
            let end = copy_tag(bytes, start, out);
            match VERBATIM.iter().find(|v| name.eq_ignore_ascii_case(v)) {
                // An opening verbatim tag: its contents up to the closing tag, unchanged.
                Some(verbatim) if !bytes[start..end].ends_with(b"/>") => {
                    let close = find_end_tag(bytes, end, verbatim).unwrap_or(bytes.len());
                    out.extend_from_slice(&bytes[end..close]);
                    close
                }
                _ => end,
            }
        }

        /// Copies one tag from its `<` to its `>`: whitespace between attributes is collapsed like text,
        /// quoted values are copied as they are.
        fn copy_tag(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
            let mut i = start;
            while i < bytes.len() {
                let b = bytes[i];
                match b {
                    b'>' => {
                        out.push(b);
                        return i + 1;
                    }
                    b'"' | b'\'' => {
                        let end = bytes[i + 1..]
                            .iter()
                            .position(|&c| c == b)
                            .map_or(bytes.len(), |p| i + 1 + p + 1);
                        out.extend_from_slice(&bytes[i..end]);
                        i = end;
                    }
                    _ if is_space(b) => i = copy_space_run(bytes, i, out),
                    _ => {
                        out.push(b);
                        i += 1;
                    }
                }
            }
            i
        }

        /// Where `</name` (any case) starts at or after `from`.
        fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
            let mut at = from;
            while let Some(p) = find(bytes, at, b"</") {
                let after = &bytes[p + 2..];
                let named =
                    after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name);
                let ends = after
                    .get(name.len())
                    .is_none_or(|&c| c == b'>' || c == b'/' || is_space(c));
                if named && ends {
                    return Some(p);
                }
                at = p + 2;
            }
            None
        }

        fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
            bytes
                .get(from..)?
                .windows(needle.len())
                .position(|w| w == needle)
                .map(|p| from + p)
        }
    }

    #[test]
    fn gives_what_the_byte_at_a_time_pass_gives() {
        // Pieces that meet every branch, strung together in pseudo-random orders.
        const PIECES: [&str; 24] = [
            "<p>",
            "</p>",
            "  ",
            "\n",
            "\r\n",
            "\t",
            "\x0c",
            "text",
            "<pre>",
            "</pre>",
            "<PRE class=\"x\">",
            "</pRe >",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<",
            ">",
            "\"",
            "'",
            "<a\n  href=\"x\n y\"",
            " title='a\n'",
            "é ✓",
            "<br/>",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut html = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 40) as usize;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                html.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            assert_eq!(collapse(&html), reference::collapse(&html), "{html:?}");
        }
    }

    #[test]
    fn indentation_between_block_elements_becomes_one_line_break() {
        let html = "<ul>\n    <li>a</li>\n\n    <li>b</li>\n  </ul>\n";
        assert_eq!(collapse(html), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    }

    #[test]
    fn a_space_between_inline_elements_stays() {
        // Without a line break the run is kept as it is; with one, one separator remains.
        let html = "<a>x</a> <b>y</b>\n   <i>z</i>  <code>w</code>";
        assert_eq!(
            collapse(html),
            "<a>x</a> <b>y</b>\n<i>z</i>  <code>w</code>"
        );
    }

    #[test]
    fn pre_textarea_script_and_style_are_verbatim() {
        let html = "<div>\n  <pre class=\"x\"><code>a:\n    b:  c\n\n</code></pre>\n  <textarea>\n  t\n</textarea>\n<script>\n  if (a <  b) {\n    x();\n  }\n</script><STYLE>\n  p {\n  }\n</STYLE>\n</div>";
        assert_eq!(
            collapse(html),
            "<div>\n<pre class=\"x\"><code>a:\n    b:  c\n\n</code></pre>\n<textarea>\n  t\n</textarea>\n<script>\n  if (a <  b) {\n    x();\n  }\n</script><STYLE>\n  p {\n  }\n</STYLE>\n</div>"
        );
    }

    #[test]
    fn a_tag_that_only_starts_like_pre_is_not_verbatim() {
        assert_eq!(
            collapse("<prefix>\n  a\n</prefix>"),
            "<prefix>\na\n</prefix>"
        );
    }

    #[test]
    fn attribute_values_are_never_touched() {
        let html = "<input\n    title=\"two\n   lines\"\n    data-x='a  \n  b'>\n  text";
        assert_eq!(
            collapse(html),
            "<input\ntitle=\"two\n   lines\"\ndata-x='a  \n  b'>\ntext"
        );
    }

    #[test]
    fn a_quote_in_an_attribute_does_not_start_verbatim_mode() {
        // `<pre>` written inside an attribute value is text, not an element.
        let html = "<a title=\"<pre>\">\n  x\n</a>\n  <p>y</p>";
        assert_eq!(collapse(html), "<a title=\"<pre>\">\nx\n</a>\n<p>y</p>");
    }

    #[test]
    fn comments_and_stray_angle_brackets_are_kept() {
        let html = "<!-- a\n   b -->\n  1 < 2\n  <!doctype html>";
        assert_eq!(collapse(html), "<!-- a\n   b -->\n1 < 2\n<!doctype html>");
    }

    #[test]
    fn unclosed_constructs_do_not_lose_bytes() {
        assert_eq!(collapse("<pre>\n  a"), "<pre>\n  a");
        assert_eq!(collapse("<a title=\"x\n  y"), "<a title=\"x\n  y");
        assert_eq!(collapse("<!-- x\n  "), "<!-- x\n  ");
        assert_eq!(collapse("text\n  "), "text\n");
    }

    #[test]
    fn non_ascii_text_is_kept() {
        assert_eq!(collapse("<p>Grüße ·\n   ✓</p>"), "<p>Grüße ·\n✓</p>");
    }
}
