//! A line reader for the block YAML that manifests are written in: mappings with plain keys,
//! sequences, single-line plain and quoted scalars, literal and folded block scalars, one-line
//! flow lists of scalars, comments and `---` between documents. It feeds the same tree builder
//! as `events` (so scalars, keys, duplicates and limits resolve by one set of rules) and gives up
//! (`None`) on anything else, which `events` then reads: tabs, carriage returns, control
//! characters, anchors, aliases, tags, directives, quoted or complex keys, multi-line plain or
//! quoted scalars, escapes it does not know, nested or multi-line flow collections, block scalars
//! with indentation indicators, keep chomping, leading or over-long blank lines or more-indented
//! folded lines.
//!
//! Why: granit-parser's scanner moves large token structs through queues, and reading YAML was
//! over a third of a cold read's CPU. This reader copies nothing but the scalars it keeps.
//! tests/yaml_equivalence.rs holds it to the other readings on every file and snippet it has.

use std::borrow::Cow;

use super::events::Builder;
use super::{Node, Pos};

/// Every document of `text`, empty ones skipped; `None` when another reading must decide.
pub fn parse_documents(text: &str) -> Option<Vec<Node>> {
    if !plain_characters(text) {
        return None;
    }
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        i: 0,
        line_start: 0,
        line: 1,
        builder: Builder::default(),
    };
    reader.stream()?;
    reader.builder.end_stream()
}

/// Only characters this reader handles the way YAML does: printable ones and line feeds. Tabs,
/// carriage returns, byte order marks and control characters are left to the parser.
fn plain_characters(text: &str) -> bool {
    if text.is_ascii() {
        return text
            .bytes()
            .all(|b| b == b'\n' || (0x20..0x7f).contains(&b));
    }
    text.chars().all(|c| {
        c == '\n'
            || (' '..='~').contains(&c)
            || (('\u{a0}'..='\u{d7ff}').contains(&c) && !matches!(c, '\u{2028}' | '\u{2029}'))
            || (('\u{e000}'..='\u{fffd}').contains(&c) && c != '\u{feff}')
            || c >= '\u{10000}'
    })
}

/// A quoted scalar at its closing quote: the text as written when nothing in it was unescaped,
/// else what was unescaped so far followed by its last plain run `tail`.
fn closed(owned: Option<String>, tail: &str) -> Cow<'_, str> {
    match owned {
        Some(mut s) => {
            s.push_str(tail);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(tail),
    }
}

/// Where a block collection starts; `None` is the document level, above any indentation.
type Indent = Option<usize>;

fn deeper(indent: usize, parent: Indent) -> bool {
    parent.is_none_or(|p| indent > p)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The cursor, a byte offset into `text`.
    i: usize,
    /// Where the cursor's line starts, and its number (1-based).
    line_start: usize,
    line: u32,
    builder: Builder,
}

impl<'a> Reader<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// The end of the cursor's line (its line feed, or the end of the text).
    fn line_end(&self) -> usize {
        self.bytes[self.line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |n| self.line_start + n)
    }

    /// Whether `at` ends a token: a space, a line feed or the end of the text.
    fn blank_or_end(&self, at: usize) -> bool {
        matches!(self.byte(at), None | Some(b' ' | b'\n'))
    }

    /// Move to the start of the next line.
    fn next_line(&mut self) {
        let end = self.line_end();
        if end < self.bytes.len() {
            self.line_start = end + 1;
            self.line += 1;
        } else {
            self.line_start = end;
        }
        self.i = self.line_start;
    }

    /// The position of byte `at` of the cursor's line, as the parser reports it (columns count
    /// characters).
    fn pos(&self, at: usize) -> Pos {
        let before = &self.text[self.line_start..at];
        let column = if before.is_ascii() {
            before.len()
        } else {
            before.chars().count()
        };
        Pos {
            line: self.line,
            column: u32::try_from(column + 1).ok().unwrap_or(u32::MAX),
        }
    }

    /// Skip blank and comment-only lines from the start of the cursor's line: the cursor stops
    /// at the first character of the next line with content, whose indentation is returned;
    /// `None` at the end of the text.
    fn next_content(&mut self) -> Option<usize> {
        self.i = self.line_start;
        loop {
            let mut at = self.line_start;
            while self.byte(at) == Some(b' ') {
                at += 1;
            }
            match self.byte(at) {
                None => {
                    self.i = at;
                    return None;
                }
                Some(b'\n' | b'#') => {
                    if self.line_end() >= self.bytes.len() {
                        self.i = self.bytes.len();
                        self.line_start = self.i;
                        return None;
                    }
                    self.next_line();
                }
                Some(_) => {
                    self.i = at;
                    return Some(at - self.line_start);
                }
            }
        }
    }

    /// Whether the cursor's line is a document marker (`---` or `...` at its start).
    fn marker(&self, marker: &[u8]) -> bool {
        self.i == self.line_start
            && self.bytes[self.i..].starts_with(marker)
            && self.blank_or_end(self.i + 3)
    }

    /// The rest of the line from `at` holds nothing but spaces and a comment: the cursor then
    /// moves to the next line. A comment must follow a space.
    fn end_of_line(&mut self, mut at: usize) -> Option<()> {
        let spaced = at > self.line_start && self.byte(at - 1) == Some(b' ');
        let start = at;
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        match self.byte(at) {
            None | Some(b'\n') => {}
            Some(b'#') if at > start || spaced => {}
            _ => return None,
        }
        self.next_line();
        Some(())
    }

    fn stream(&mut self) -> Option<()> {
        let mut open_document = false;
        loop {
            let Some(indent) = self.next_content() else {
                if open_document {
                    self.builder.document_end()?;
                }
                return Some(());
            };
            if indent == 0 && (self.marker(b"...") || self.byte(self.i) == Some(b'%')) {
                return None;
            }
            if indent == 0 && self.marker(b"---") {
                if open_document {
                    self.builder.document_end()?;
                }
                self.builder.document_start()?;
                open_document = true;
                self.end_of_line(self.i + 3)?;
                continue;
            }
            if !open_document {
                self.builder.document_start()?;
            }
            self.node(None)?;
            // After the root: the end of the text or the next document's marker.
            match self.next_content() {
                None => {}
                Some(0) if self.marker(b"---") => {}
                Some(_) => return None,
            }
            self.builder.document_end()?;
            open_document = false;
        }
    }

    /// A block collection starting at the cursor, which is at the first content of its line:
    /// a sequence or a mapping (a scalar on a line of its own is left to the parser).
    fn node(&mut self, parent: Indent) -> Option<()> {
        let indent = self.i - self.line_start;
        if !deeper(indent, parent) {
            return None;
        }
        if self.byte(self.i) == Some(b'-') && self.blank_or_end(self.i + 1) {
            let pos = self.pos(self.i);
            return self.sequence(indent, pos);
        }
        if self.key_colon().is_some() {
            return self.mapping(indent);
        }
        None
    }

    /// A block sequence whose entries' dashes stand at column `indent`; the cursor is at the
    /// first dash.
    fn sequence(&mut self, indent: usize, pos: Pos) -> Option<()> {
        self.builder.open(true, pos)?;
        loop {
            self.item(indent)?;
            let Some(next) = self.next_content() else {
                break;
            };
            if next < indent {
                break;
            }
            if next > indent {
                return None;
            }
            let dash = self.byte(self.i) == Some(b'-') && self.blank_or_end(self.i + 1);
            if !dash || (next == 0 && self.marker(b"---")) {
                break;
            }
        }
        self.builder.close()
    }

    /// One entry of a sequence at `indent`; the cursor is at its dash.
    fn item(&mut self, indent: usize) -> Option<()> {
        let mut at = self.i + 1;
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        match self.byte(at) {
            // The entry's value starts on a later line.
            None | Some(b'\n' | b'#') => {
                self.end_of_line(self.i + 1)?;
                match self.next_content() {
                    Some(next) if next > indent => self.node(Some(indent)),
                    _ => None,
                }
            }
            // `- - x`: a sequence in the entry, its dashes at this column.
            Some(b'-') if self.blank_or_end(at + 1) => {
                self.i = at;
                let pos = self.pos(at);
                self.sequence(at - self.line_start, pos)
            }
            Some(_) => {
                self.i = at;
                if self.key_colon().is_some() {
                    // `- key: value`: a mapping in the entry, its keys at this column.
                    self.mapping(at - self.line_start)
                } else {
                    self.scalar(indent)
                }
            }
        }
    }

    /// Where the plain key at the cursor ends (its `:`), when the line holds `key: …`.
    fn key_colon(&self) -> Option<usize> {
        let start = self.i;
        let first = self.byte(start)?;
        if b",[]{}#&*!|>'\"%@`".contains(&first) {
            return None;
        }
        if matches!(first, b'-' | b'?' | b':') && self.blank_or_end(start + 1) {
            return None;
        }
        let end = self.line_end();
        let mut at = start;
        while at < end {
            match self.bytes[at] {
                b':' if self.blank_or_end(at + 1) => return Some(at),
                b'#' if at > start && self.bytes[at - 1] == b' ' => return None,
                _ => at += 1,
            }
        }
        None
    }

    /// A block mapping whose keys stand at column `indent`; the cursor is at the first key.
    fn mapping(&mut self, indent: usize) -> Option<()> {
        let pos = self.pos(self.i);
        self.builder.open(false, pos)?;
        loop {
            self.entry(indent)?;
            let Some(next) = self.next_content() else {
                break;
            };
            if next < indent || (next == 0 && self.marker(b"---")) {
                break;
            }
            if next > indent {
                return None;
            }
        }
        self.builder.close()
    }

    /// One `key: value` of a mapping at `indent`; the cursor is at the key.
    fn entry(&mut self, indent: usize) -> Option<()> {
        let colon = self.key_colon()?;
        let key = self.text[self.i..colon].trim_end_matches(' ');
        self.builder
            .scalar(Cow::Borrowed(key), true, self.pos(self.i))?;
        let mut at = colon + 1;
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        if !matches!(self.byte(at), None | Some(b'\n' | b'#')) {
            self.i = at;
            if self.byte(at) == Some(b'-') && self.blank_or_end(at + 1) {
                return None;
            }
            return self.scalar(indent);
        }
        // The value starts on a later line, or there is none.
        let null_at = self.pos(colon);
        self.end_of_line(colon + 1)?;
        match self.next_content() {
            Some(next) if next > indent => self.node(Some(indent)),
            // A sequence may stand at its key's own indentation.
            Some(next)
                if next == indent
                    && self.byte(self.i) == Some(b'-')
                    && self.blank_or_end(self.i + 1) =>
            {
                let first = self.i
                    + 1
                    + self.bytes[self.i + 1..]
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                if matches!(self.byte(first), None | Some(b'\n' | b'#')) {
                    return None;
                }
                let pos = self.pos(first);
                self.sequence(indent, pos)
            }
            _ => self.builder.scalar(Cow::Borrowed(""), true, null_at),
        }
    }

    /// A scalar (or one-line flow collection) at the cursor, the value of a collection at
    /// `parent`. The cursor ends at the start of the next line.
    fn scalar(&mut self, parent: usize) -> Option<()> {
        let start = self.i;
        let pos = self.pos(start);
        match self.byte(start)? {
            b'|' | b'>' => self.block_scalar(parent),
            b'"' => {
                let (value, end) = self.double_quoted(start)?;
                self.builder.scalar(value, false, pos)?;
                self.end_of_line(end)
            }
            b'\'' => {
                let (value, end) = self.single_quoted(start)?;
                self.builder.scalar(value, false, pos)?;
                self.end_of_line(end)
            }
            b'[' => self.flow_list(start),
            b'{' if self.byte(start + 1) == Some(b'}') => {
                self.builder.open(false, pos)?;
                self.builder.close()?;
                self.end_of_line(start + 2)
            }
            b',' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' => None,
            b'-' | b'?' | b':' if self.blank_or_end(start + 1) => None,
            _ => {
                let end = self.line_end();
                let mut stop = end;
                let mut at = start;
                while at < end {
                    match self.bytes[at] {
                        b'#' if self.bytes[at - 1] == b' ' => {
                            stop = at;
                            break;
                        }
                        b':' if self.blank_or_end(at + 1) => return None,
                        _ => at += 1,
                    }
                }
                let value = self.text[start..stop].trim_end_matches(' ');
                self.builder.scalar(Cow::Borrowed(value), true, pos)?;
                self.next_line();
                Some(())
            }
        }
    }

    /// `"…"` on one line, with the common escapes.
    fn double_quoted(&self, start: usize) -> Option<(Cow<'a, str>, usize)> {
        let end = self.line_end();
        let mut at = start + 1;
        let mut owned: Option<String> = None;
        let mut run = at;
        while at < end {
            match self.bytes[at] {
                b'"' => return Some((closed(owned, &self.text[run..at]), at + 1)),
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..at]);
                    s.push(match self.byte(at + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'n' => '\n',
                        b't' => '\t',
                        _ => return None,
                    });
                    at += 2;
                    run = at;
                }
                _ => at += 1,
            }
        }
        None
    }

    /// `'…'` on one line (`''` is a quote).
    fn single_quoted(&self, start: usize) -> Option<(Cow<'a, str>, usize)> {
        let end = self.line_end();
        let mut at = start + 1;
        let mut owned: Option<String> = None;
        let mut run = at;
        while at < end {
            if self.bytes[at] == b'\'' {
                if self.byte(at + 1) == Some(b'\'') {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..=at]);
                    at += 2;
                    run = at;
                    continue;
                }
                return Some((closed(owned, &self.text[run..at]), at + 1));
            }
            at += 1;
        }
        None
    }

    /// `[a, 'b', "c"]` on one line: scalars only.
    fn flow_list(&mut self, start: usize) -> Option<()> {
        self.builder.open(true, self.pos(start))?;
        let end = self.line_end();
        let mut at = start + 1;
        let mut first = true;
        loop {
            while at < end && self.bytes[at] == b' ' {
                at += 1;
            }
            if at >= end {
                return None;
            }
            if self.bytes[at] == b']' && first {
                at += 1;
                break;
            }
            let pos = self.pos(at);
            let after = match self.bytes[at] {
                b'"' => {
                    let (value, after) = self.double_quoted(at)?;
                    self.builder.scalar(value, false, pos)?;
                    after
                }
                b'\'' => {
                    let (value, after) = self.single_quoted(at)?;
                    self.builder.scalar(value, false, pos)?;
                    after
                }
                b',' | b']' | b'[' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'%' | b'@'
                | b'`' | b'|' | b'>' | b'?' | b':' => return None,
                b'-' if matches!(self.byte(at + 1), Some(b' ' | b',' | b']' | b'\n') | None) => {
                    return None
                }
                _ => {
                    let item = at;
                    while at < end && !matches!(self.bytes[at], b',' | b']') {
                        if matches!(
                            self.bytes[at],
                            b'[' | b'{' | b'}' | b':' | b'#' | b'"' | b'\''
                        ) {
                            return None;
                        }
                        at += 1;
                    }
                    let value = self.text[item..at].trim_end_matches(' ');
                    self.builder.scalar(Cow::Borrowed(value), true, pos)?;
                    at
                }
            };
            at = after;
            while at < end && self.bytes[at] == b' ' {
                at += 1;
            }
            match self.byte(at) {
                Some(b',') => {
                    at += 1;
                    first = false;
                    // A trailing comma is left to the parser.
                    let next = self.bytes[at..end].iter().position(|&b| b != b' ');
                    if next.is_none_or(|n| self.bytes[at + n] == b']') {
                        return None;
                    }
                }
                Some(b']') => {
                    at += 1;
                    break;
                }
                _ => return None,
            }
        }
        self.builder.close()?;
        self.end_of_line(at)
    }

    /// `|` or `>` with clip or strip chomping; the content is indented deeper than `parent`.
    fn block_scalar(&mut self, parent: usize) -> Option<()> {
        let literal = self.byte(self.i) == Some(b'|');
        let mut at = self.i + 1;
        let strip = match self.byte(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+' | b'0'..=b'9') => return None,
            _ => false,
        };
        if !self.blank_or_end(at) {
            return None;
        }
        self.end_of_line(at)?;
        // The first line sets the indentation; a blank one first is left to the parser.
        let first_line = self.line_start;
        let indent = self.bytes[first_line..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        if indent <= parent || matches!(self.byte(first_line + indent), None | Some(b'\n')) {
            return None;
        }
        let pos = Pos {
            line: self.line,
            column: u32::try_from(indent + 1).ok()?,
        };
        let mut value = String::new();
        let mut blanks = 0usize;
        let mut any = false;
        loop {
            let start = self.line_start;
            let end = self.line_end();
            let spaces = self.bytes[start..end]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
            if start + spaces == end {
                // A blank line: kept as a line break, unless it is longer than the indentation.
                if start == end && end == self.bytes.len() {
                    break;
                }
                if spaces > indent {
                    return None;
                }
                blanks += 1;
            } else if spaces < indent {
                break;
            } else {
                if !literal && spaces > indent {
                    return None;
                }
                if any {
                    if literal {
                        value.push('\n');
                        value.extend(std::iter::repeat_n('\n', blanks));
                    } else if blanks == 0 {
                        value.push(' ');
                    } else {
                        value.extend(std::iter::repeat_n('\n', blanks));
                    }
                }
                blanks = 0;
                any = true;
                value.push_str(&self.text[start + indent..end]);
                // The last line's break decides what clip chomping keeps.
                if end == self.bytes.len() {
                    return None;
                }
            }
            self.next_line();
            if self.line_start == self.bytes.len() {
                break;
            }
        }
        if !strip {
            value.push('\n');
        }
        self.builder.scalar(Cow::Owned(value), false, pos)
    }
}
