//! Diagnostics: every stage produces them, none prints them. `main` chooses the printer.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

pub use crate::codes::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding about the input, with enough to act on it: where, what, and what to do.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine code from the registry, e.g. `yaml-syntax`, `missing-field`, `duplicate-id`.
    pub code: Code,
    /// The source (repository) the file belongs to.
    pub source: String,
    /// Path of the file inside the source ("" for a source-level problem).
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub hint: Option<String>,
    /// Owning team of the file's document, where known (filled in by the catalog for grouping).
    pub team: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            source: String::new(),
            file: String::new(),
            line: None,
            column: None,
            message: crate::redact::text(&message.into()).into_owned(),
            hint: None,
            team: None,
        }
    }

    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn at_file(mut self, source: &str, file: &str) -> Self {
        self.source = source.to_string();
        self.file = file.to_string();
        self
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        if line > 0 {
            self.line = Some(line);
            self.column = (column > 0).then_some(column);
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(crate::redact::text(&hint.into()).into_owned());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `source/file:line:column`, the way editors and CI logs link to a place.
    pub fn location(&self) -> String {
        let mut s = String::new();
        if !self.source.is_empty() {
            s.push_str(&self.source);
            if !self.file.is_empty() {
                s.push('/');
            }
        }
        s.push_str(&self.file);
        if let Some(line) = self.line {
            let _ = write!(s, ":{line}");
            if let Some(col) = self.column {
                let _ = write!(s, ":{col}");
            }
        }
        s
    }
}

/// A short, recurring text (a code, a format name) read back from the cache as `&'static str`.
/// Each distinct text is leaked once; there are a few dozen of them.
pub fn intern(text: String) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static TABLE: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut table = TABLE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(&known) = table.get(text.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    table.insert(leaked);
    leaked
}

/// Counts of each severity, for summaries.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn count<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Counts {
    let mut c = Counts::default();
    for d in diagnostics {
        match d.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

/// Human form: `error[missing-field]: sales/orders.yaml:3:1: message` + an indented hint.
pub fn render_human(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{}[{}]: {}: {}",
            d.severity.as_str(),
            d.code,
            d.location(),
            d.message
        );
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  hint: {hint}");
        }
    }
    out
}

/// GitHub Actions workflow commands, so findings show inline on the merge request.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape_property(&d.file));
        if let Some(line) = d.line {
            let _ = write!(props, ",line={line}");
        }
        if let Some(col) = d.column {
            let _ = write!(props, ",col={col}");
        }
        let _ = write!(props, ",title={}", escape_property(d.code.as_str()));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(" — hint: ");
            message.push_str(hint);
        }
        let _ = writeln!(out, "::{level} {props}::{}", escape_data(&message));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// At most this many diagnostics of one code per file; the rest are summed up in one more.
pub const MAX_PER_FILE: usize = 20;

/// Keep the first [`MAX_PER_FILE`] diagnostics of each code in each file and sum up the rest, so
/// that one broken export does not bury every other finding.
pub fn cap(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<(String, String, Code), usize> =
        std::collections::HashMap::new();
    let mut out = Vec::new();
    let mut summaries: Vec<Diagnostic> = Vec::new();
    for d in diagnostics {
        let n = seen
            .entry((d.source.clone(), d.file.clone(), d.code))
            .or_default();
        *n += 1;
        if *n <= MAX_PER_FILE {
            out.push(d);
        } else if *n == MAX_PER_FILE + 1 {
            summaries.push(d);
        }
    }
    for mut s in summaries {
        let total = seen[&(s.source.clone(), s.file.clone(), s.code)];
        s.message = format!(
            "{} more `{}` problems in this file (only the first {MAX_PER_FILE} are listed); the first of them: {}",
            total - MAX_PER_FILE,
            s.code,
            s.message
        );
        out.push(s);
    }
    out
}
