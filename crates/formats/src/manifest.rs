//! Which files are manifests, and which are templates of manifests.
//!
//! Only manifests get diagnostics. A file is a manifest when one of its documents declares (or has
//! the shape of) a standard, judged from its top-level keys, or when its *name* follows a manifest
//! convention ([`MANIFEST_NAMES`]). Only a manifest can get a parse error (`yaml-syntax`,
//! `not-utf8`, `empty-file`): a Helm template, a `dbt_project.yml`, an NDJSON data sample or a JSON
//! file with comments is passed over silently. A text that cannot be read is still judged by its
//! top-level keys: the `key: value` lines at the start of a line (or, for JSON, the keys of the
//! outermost object once comments are taken out), so a contract with one bad indent is an error,
//! not a silence.
//!
//! A manifest that looks like a template ([`template_path`], [`placeholder_in_identity`], or a
//! parse failure where template syntax stands) gets one `template-file` note and is not catalogued.

use model::yaml::{Key, Node, Pos, Value};

use crate::registry;

/// File-name conventions of manifests: the name (without its extension), split into words at `.`,
/// `-` and `_`, holds one of these words, or two neighbouring words that spell it (`data-contract`
/// is `datacontract`); a trailing version number is ignored (`odps4`). README lists the same table.
pub const MANIFEST_NAMES: &[(&str, &str)] = &[
    ("odcs", "`orders.odcs.yaml`, `odcs.yaml`, `shipments-odcs.yaml`"),
    (
        "datacontract",
        "`datacontract.yaml`, `orders.datacontract.yml`, `datacontract_orders.yaml`, `data-contract.json`",
    ),
    ("dcs", "`orders.dcs.yaml`"),
    ("odps", "`orders.odps.yaml`, `urban-odps4.yml`"),
    (
        "dataproduct",
        "`dataproduct.yaml`, `data-product.yaml`, `data-product-descriptor.json`",
    ),
    ("dpds", "`orders.dpds.json`"),
    ("dpd", "`minimal.dpd.json`"),
    ("cataloginfo", "`catalog-info.yaml` (Backstage)"),
    ("metricsnapshot", "`metric-snapshot.yaml`"),
];

/// Name words that make a file a template (`_template.odcs.yaml`, `contract.template.odcs.yaml`,
/// `odcs-template.yaml`, `datacontract.tmpl.yaml`).
pub const TEMPLATE_NAME_WORDS: &[&str] = &["template", "tmpl", "tpl", "j2", "jinja", "jinja2"];

/// Folder names whose files are templates: Helm charts and starter kits (`templates/`), Backstage
/// scaffolder skeletons (`skeleton/`).
pub const TEMPLATE_FOLDERS: &[&str] = &["template", "templates", "skeleton"];

/// The extensions a manifest can have (CSV metric series are recognised by their header).
const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// The file name of a path and its lower-case words (extension dropped).
fn name_words(path: &str) -> Option<Vec<String>> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.')?;
    if !MANIFEST_EXTENSIONS.contains(&ext) {
        return None;
    }
    Some(
        stem.split(['.', '-', '_'])
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// Whether a file's name follows a manifest convention of [`MANIFEST_NAMES`] (`*.schema.json`, a
/// JSON Schema, never does).
pub fn manifest_name(path: &str) -> bool {
    let Some(words) = name_words(path) else {
        return false;
    };
    if words.iter().any(|w| w == "schema") {
        return false;
    }
    let is = |w: &str, convention: &str| {
        w.strip_prefix(convention)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
    };
    let pairs = words.windows(2).map(|p| format!("{}{}", p[0], p[1]));
    words
        .iter()
        .cloned()
        .chain(pairs)
        .any(|w| MANIFEST_NAMES.iter().any(|(c, _)| is(&w, c)))
}

/// Why a path marks its file as a template, if it does: a template word in the name, or a folder
/// of templates (or one whose name is itself a placeholder, as cookiecutter's are).
pub fn template_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = path.split('/').collect();
    let name = parts.pop().unwrap_or(path);
    if let Some(words) = name_words(name) {
        if let Some(w) = words
            .iter()
            .find(|w| TEMPLATE_NAME_WORDS.contains(&w.as_str()))
        {
            return Some(format!("its name has the word `{w}`"));
        }
    }
    for folder in parts {
        let lower = folder.to_ascii_lowercase();
        if TEMPLATE_FOLDERS.contains(&lower.as_str()) {
            return Some(format!("it lies in a `{folder}/` folder"));
        }
        if has_template_syntax(folder) {
            return Some(format!("its folder `{folder}` is a placeholder"));
        }
    }
    None
}

/// `{{ … }}` (Jinja, Go templates, Handlebars, Backstage `${{ … }}`) or `{% … %}` in a text.
pub fn has_template_syntax(text: &str) -> bool {
    let pair = |open: &str, close: &str| {
        text.find(open)
            .is_some_and(|i| text[i + open.len()..].contains(close))
    };
    pair("{{", "}}") || pair("{%", "%}")
}

/// Whether a whole value is a placeholder: template syntax, `<postgres|mysql>`, `<your-id>` or
/// `__PORT__`. (`${VAR}` is not: ODCS substitutes environment variables written so.)
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if has_template_syntax(v) {
        return true;
    }
    if let Some(inner) = v.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        return !inner.trim().is_empty() && !inner.contains(['<', '>']);
    }
    if let Some(inner) = v.strip_prefix("__").and_then(|r| r.strip_suffix("__")) {
        return !inner.is_empty()
            && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && inner.chars().any(|c| c.is_ascii_alphabetic());
    }
    false
}

/// Keys whose values identify a document or what it connects to: a placeholder there means the
/// document is a template, while one in a description or a query (`{{ ref('orders') }}`) does not.
fn identity_key(key: &str) -> bool {
    // Compared without case and without a lowercased copy: every string-valued key of every
    // document is asked.
    let ends_with = |suffix: &str| {
        key.len() >= suffix.len()
            && key.as_bytes()[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends_with("id")
        || ends_with("version")
        || ends_with("specification")
        || [
            "name",
            "title",
            "kind",
            "status",
            "type",
            "domain",
            "owner",
            "team",
            "tenant",
            "dataproduct",
            "product",
        ]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k))
}

/// Subtrees of free text and samples, where placeholders are content rather than blanks.
const FREE_TEXT: &[&str] = &[
    "description",
    "examples",
    "example",
    "query",
    "implementation",
    "sql",
    "definition",
];

/// The first identity value of a document that is a placeholder: its key (for the position) and
/// value.
pub fn placeholder_in_identity(doc: &Node) -> Option<(Key, String)> {
    fn walk(node: &Node, found: &mut Option<(Key, String)>) {
        if found.is_some() {
            return;
        }
        match &node.value {
            Value::Map(entries) => {
                for (key, value) in entries {
                    if FREE_TEXT.contains(&key.text.as_str()) {
                        continue;
                    }
                    if let Value::Str(s) = &value.value {
                        // The rare placeholder first: the key is only looked at for one.
                        if is_placeholder(s) && identity_key(&key.text) {
                            *found = Some((key.clone(), s.clone()));
                            return;
                        }
                    }
                    walk(value, found);
                    if found.is_some() {
                        return;
                    }
                }
            }
            Value::Seq(items) => items.iter().for_each(|n| walk(n, found)),
            _ => {}
        }
    }
    let mut found = None;
    walk(doc, &mut found);
    found
}

/// Whether a document is a JSON Schema (a `$schema` or `$defs`/`definitions` beside `properties`
/// or a `type`), as standards publish theirs beside their examples.
pub fn is_json_schema(doc: &Node) -> bool {
    let has = |k: &str| doc.get(k).is_some();
    has("$schema") || ((has("$defs") || has("definitions")) && (has("properties") || has("type")))
}

/// A Backstage scaffolder template (`kind: Template`): the document itself and the folders and
/// files its steps fetch (`spec.steps[].input.url`, relative), as paths relative to the source.
pub fn scaffolder_content(doc: &Node, path: &str) -> Option<Vec<String>> {
    let text = |n: &Node, k: &str| n.get(k).and_then(Node::scalar_text).unwrap_or_default();
    if text(doc, "kind") != "Template" || !text(doc, "apiVersion").contains("backstage.io") {
        return None;
    }
    let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
    let steps = doc.get("spec").and_then(|s| s.get("steps"));
    let mut out = Vec::new();
    for step in steps.map(Node::items).unwrap_or_default() {
        let url = step
            .get("input")
            .map(|i| text(i, "url"))
            .unwrap_or_default();
        if url.is_empty() || url.contains("://") || url.starts_with('/') {
            continue;
        }
        if let Some(resolved) = join(folder, &url) {
            out.push(resolved);
        }
    }
    Some(out)
}

/// `base/rel` with `.` and `..` resolved; None when it leaves the source.
fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The standard a text that YAML cannot read was meant for, judged from its top-level keys.
pub fn sniff_unreadable(text: &str) -> Option<crate::Kind> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        // JSON with comments or trailing commas, else broken JSON as far as its keys go; not
        // NDJSON (one object a line: data).
        let doc = match lenient_json(trimmed) {
            Some(doc) => Some(doc),
            None => match json_object_keys(trimmed) {
                (doc, false) => doc,
                (_, true) => None,
            },
        };
        if let Some((_, kind)) = doc.as_ref().and_then(registry::detect) {
            return Some(kind);
        }
    }
    top_level_documents(text)
        .iter()
        .find_map(|doc| registry::detect(doc).map(|(_, kind)| kind))
}

/// The `key: value` lines that start at column 1, one map per `---` document. Values are kept as
/// text (a key with nothing after it becomes an empty mapping: its block follows); the rest of
/// the text is ignored, so one bad line elsewhere does not hide what the file declares.
fn top_level_documents(text: &str) -> Vec<Node> {
    let mut docs = Vec::new();
    let mut entries: Vec<(Key, Node)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let pos = Pos {
            line: i as u32 + 1,
            column: 1,
        };
        if line.starts_with("---") || line.starts_with("...") {
            docs.push(std::mem::take(&mut entries));
            continue;
        }
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || first == '#' {
            continue;
        }
        let Some((key, value)) = split_key(line) else {
            continue;
        };
        let value = strip_comment(value).trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        let node = if value.is_empty() {
            Value::Map(Vec::new())
        } else {
            Value::Str(value.to_string())
        };
        if entries.iter().all(|(k, _)| k.text != key) {
            entries.push((
                Key {
                    pos,
                    text: key.to_string(),
                },
                Node { pos, value: node },
            ));
        }
    }
    docs.push(entries);
    docs.into_iter()
        .filter(|e| !e.is_empty())
        .map(|entries| Node {
            pos: entries[0].0.pos,
            value: Value::Map(entries),
        })
        .collect()
}

/// `key: rest` of a top-level line (`key:` alone too); quoted keys unquoted.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = if let Some(q) = line.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], q[end + 1..].strip_prefix(':')?)
    } else {
        let end = line
            .find(": ")
            .or_else(|| line.strip_suffix(':').map(str::len))?;
        let key = &line[..end];
        let rest = line.get(end + 1..).unwrap_or("");
        if key.is_empty() || key.contains(['{', '[', '"', '\'', '#']) || key.starts_with('-') {
            return None;
        }
        (key, rest)
    };
    Some((key.trim(), rest))
}

/// A value without its trailing ` # comment` (not inside quotes).
fn strip_comment(value: &str) -> &str {
    let mut quote = None;
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'#') if i == 0 || bytes[i - 1] == b' ' => return &value[..i],
            _ => {}
        }
    }
    value
}

/// Whether the start of a file (`head`, perhaps cut anywhere) was meant as a manifest: its name, or
/// the top-level keys found in it. For files too large to read whole.
pub fn head_is_manifest(path: &str, head: &str) -> bool {
    if manifest_name(path) {
        return true;
    }
    if template_path(path).is_some() {
        return false;
    }
    let docs = if head.trim_start().starts_with('{') {
        json_head(head).into_iter().collect()
    } else {
        top_level_documents(head)
    };
    docs.iter().any(|d| registry::detect(d).is_some())
}

/// The keys of the outermost JSON object as far as the text goes (comments skipped, a cut text
/// fine), scalar values kept as text and structures as empty ones.
fn json_head(text: &str) -> Option<Node> {
    json_object_keys(text).0
}

/// A cursor over JSON text that tolerates comments and a cut end: enough to read the top-level
/// keys of a file without parsing (or trusting) the rest.
struct JsonScan<'a> {
    b: &'a [u8],
    i: usize,
}

impl JsonScan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Past whitespace and `//` / `/* */` comments.
    fn skip(&mut self) {
        let b = self.b;
        loop {
            while self.i < b.len() && b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            if b[self.i..].starts_with(b"//") {
                while self.i < b.len() && b[self.i] != b'\n' {
                    self.i += 1;
                }
            } else if b[self.i..].starts_with(b"/*") {
                self.i += 2;
                while self.i < b.len() && !b[self.i..].starts_with(b"*/") {
                    self.i += 1;
                }
                self.i = (self.i + 2).min(b.len());
            } else {
                return;
            }
        }
    }

    /// The string starting at the cursor (on its `"`), the cursor moved past it.
    fn string(&mut self) -> String {
        let b = self.b;
        let mut j = self.i + 1;
        while j < b.len() && b[j] != b'"' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        let end = j.min(b.len());
        let text = String::from_utf8_lossy(&b[self.i + 1..end]).into_owned();
        self.i = (end + 1).min(b.len());
        text
    }

    /// Past the object or array starting at the cursor, strings and nesting respected.
    fn skip_structure(&mut self) {
        let mut depth = 0usize;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'"' => {
                    self.string();
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// A value at the cursor: strings and other scalars as text, structures as empty ones.
    fn value(&mut self) -> Option<Value> {
        Some(match self.peek()? {
            b'"' => Value::Str(self.string()),
            open @ (b'{' | b'[') => {
                self.skip_structure();
                if open == b'{' {
                    Value::Map(Vec::new())
                } else {
                    Value::Seq(Vec::new())
                }
            }
            _ => {
                let start = self.i;
                while self.i < self.b.len()
                    && !matches!(self.b[self.i], b',' | b'}' | b']')
                    && !self.b[self.i].is_ascii_whitespace()
                {
                    self.i += 1;
                }
                Value::Str(String::from_utf8_lossy(&self.b[start..self.i]).into_owned())
            }
        })
    }

    /// One `"key": value` entry at the cursor, or None where the object (or the text) ends.
    fn entry(&mut self, pos: Pos) -> Option<(Key, Node)> {
        self.skip();
        if self.peek() != Some(b'"') {
            return None;
        }
        let key = self.string();
        self.skip();
        if self.peek() != Some(b':') {
            return None;
        }
        self.i += 1;
        self.skip();
        let value = self.value()?;
        Some((Key { pos, text: key }, Node { pos, value }))
    }
}

/// The keys of the outermost JSON object as far as the text goes, and whether the object closed
/// with more text after it (NDJSON, or JSON values one after another).
fn json_object_keys(text: &str) -> (Option<Node>, bool) {
    let mut scan = JsonScan {
        b: text.as_bytes(),
        i: 0,
    };
    scan.skip();
    if scan.peek() != Some(b'{') {
        return (None, false);
    }
    scan.i += 1;
    let pos = Pos { line: 1, column: 1 };
    let mut entries = Vec::new();
    while let Some(entry) = scan.entry(pos) {
        entries.push(entry);
        scan.skip();
        if scan.peek() != Some(b',') {
            break;
        }
        scan.i += 1;
    }
    scan.skip();
    let more = scan.peek() == Some(b'}') && {
        scan.i += 1;
        scan.skip();
        scan.i < scan.b.len()
    };
    let node = (!entries.is_empty()).then_some(Node {
        pos,
        value: Value::Map(entries),
    });
    (node, more)
}

/// The outermost object of a JSON text read leniently (`//` and `/* */` comments and trailing
/// commas taken out), its values flattened to what detection needs.
fn lenient_json(text: &str) -> Option<Node> {
    let cleaned = strip_json_comments(text);
    let value: serde_json::Value = serde_json::from_str(&cleaned).ok()?;
    let serde_json::Value::Object(map) = value else {
        return None;
    };
    let pos = Pos { line: 1, column: 1 };
    let entries = map
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) => Value::Str(s),
                serde_json::Value::Object(_) => Value::Map(Vec::new()),
                serde_json::Value::Array(_) => Value::Seq(Vec::new()),
                serde_json::Value::Null => Value::Null,
                other => Value::Str(other.to_string()),
            };
            (Key { pos, text: k }, Node { pos, value })
        })
        .collect();
    Some(Node {
        pos,
        value: Value::Map(entries),
    })
}

/// JSON without comments and trailing commas (strings left as they are).
fn strip_json_comments(text: &str) -> String {
    let without_comments = outside_strings(text, |c, rest, out| match (c, rest.peek()) {
        ('/', Some('/')) => {
            for n in rest.by_ref() {
                if n == '\n' {
                    out.push('\n');
                    break;
                }
            }
        }
        ('/', Some('*')) => {
            rest.next();
            let mut prev = ' ';
            for n in rest.by_ref() {
                if prev == '*' && n == '/' {
                    break;
                }
                prev = n;
            }
        }
        _ => out.push(c),
    });
    outside_strings(&without_comments, |c, rest, out| {
        let closes = || {
            rest.clone()
                .find(|n: &char| !n.is_whitespace())
                .is_some_and(|n| n == '}' || n == ']')
        };
        if c != ',' || !closes() {
            out.push(c);
        }
    })
}

/// Copy a JSON text, handing each character outside string literals to `f`.
fn outside_strings(
    text: &str,
    mut f: impl FnMut(char, &mut std::iter::Peekable<std::str::Chars>, &mut String),
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else {
            f(c, &mut chars, &mut out);
        }
    }
    out
}

/// Where template syntax first stands in a text, before `limit` (1-based line): line and column.
pub fn template_syntax_before(text: &str, limit: Option<u32>) -> Option<Pos> {
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        if limit.is_some_and(|l| n > l) {
            break;
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        for open in ["{{", "{%"] {
            if let Some(col) = line.find(open) {
                if has_template_syntax(&line[col..]) || line[col..].starts_with("{%") {
                    return Some(Pos {
                        line: n,
                        column: line[..col].chars().count() as u32 + 1,
                    });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    #[test]
    fn manifest_names_follow_the_conventions() {
        for yes in [
            "contracts/orders.odcs.yaml",
            "odcs.yaml",
            "shipments-odcs.yaml",
            "datacontract.yaml",
            "football-datacontract.yml",
            "datacontract_s3.yaml",
            "x/data-contract.json",
            "product_simple.datacontract.yaml",
            "orders.dcs.yaml",
            "p.odps.yaml",
            "urban-odps4.yml",
            "dataproduct.yml",
            "data-product-descriptor.json",
            "minimal.dpd.json",
            "catalog-info.yaml",
        ] {
            assert!(manifest_name(yes), "{yes}");
        }
        for no in [
            "dbt_project.yml",
            "templates/deployment.yaml",
            "orders.json",
            "odcs_with_extra_top_level.schema.json",
            "orders.odcs.csv",
            "periodcsv.yaml",
            "dcsx.yaml",
            "values.yaml",
        ] {
            assert!(!manifest_name(no), "{no}");
        }
    }

    #[test]
    fn template_paths() {
        for yes in [
            "_template.odcs.yaml",
            "contracts/contract.template.odcs.yaml",
            "odcs-template.yaml",
            "chart/templates/deployment.yaml",
            "backstage/skeleton/catalog-info.yaml",
            "{{cookiecutter.slug}}/datacontract.yaml",
            "Templates/purpose.yml",
        ] {
            assert!(template_path(yes).is_some(), "{yes}");
        }
        for no in [
            "contracts/email-templates.odcs.yaml",
            "orders.odcs.yaml",
            "templating/orders.odcs.yaml",
        ] {
            assert!(template_path(no).is_none(), "{no}");
        }
    }

    #[test]
    fn placeholders() {
        for yes in [
            "{{CONTRACT_ID}}",
            "{{ .Values.name }}",
            "${{ values.name }}",
            "{% if x %}a{% endif %}",
            "<postgres|mysql>",
            "<your-id>",
            "__PORT__",
        ] {
            assert!(is_placeholder(yes), "{yes}");
        }
        for no in [
            "${VAR}",
            "orders",
            "a < b > c",
            "<>",
            "____",
            "__init__.py",
            "{ not: template }",
        ] {
            assert!(!is_placeholder(no), "{no}");
        }
    }

    #[test]
    fn placeholders_count_only_in_identity_values() {
        let doc = |t: &str| model::yaml::parse_documents(t).unwrap().remove(0);
        let d = doc("kind: DataContract\nid: \"{{ID}}\"\n");
        let (key, value) = placeholder_in_identity(&d).unwrap();
        assert_eq!(
            (key.text.as_str(), key.pos.line, value.as_str()),
            ("id", 2, "{{ID}}")
        );
        let d = doc("kind: DataContract\nid: orders\ndescription:\n  purpose: \"{{ why }}\"\nschema:\n  - name: t\n    quality:\n      - query: \"select * from {{ ref('t') }}\"\nservers:\n  - server: s\n    port: __PORT__\n");
        assert!(placeholder_in_identity(&d).is_none());
        let d = doc(
            "kind: DataContract\nid: orders\nservers:\n  - server: s\n    type: <postgres|mysql>\n",
        );
        assert_eq!(placeholder_in_identity(&d).unwrap().0.pos.line, 5);
    }

    #[test]
    fn unreadable_text_is_judged_by_its_top_level_keys() {
        let broken = "apiVersion: v3.1.0\nkind: DataContract # the contract\nid: x\nschema:\n  - name: a\n   properties: []\n";
        assert_eq!(sniff_unreadable(broken), Some(Kind::Odcs));
        let helm = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n{{- if .Values.x }}\n";
        assert_eq!(sniff_unreadable(helm), None);
        let dcs = "# comment apiVersion\n\"dataContractSpecification\": 1.1.0\nid: x\ninfo:\n\ttitle: y\n";
        assert_eq!(sniff_unreadable(dcs), Some(Kind::Dcs));
        let ndjson = "{\"kind\": \"DataContract\"}\n{\"a\": 1}\n";
        assert_eq!(sniff_unreadable(ndjson), None);
        let jsonc = "{\n  // a comment\n  \"dataContractSpecification\": \"1.1.0\",\n  \"id\": \"x\", /* more */\n}\n";
        assert_eq!(sniff_unreadable(jsonc), Some(Kind::Dcs));
        let data = "{\"rows\": [1, 2], // c\n}";
        assert_eq!(sniff_unreadable(data), None);
        let missing_comma =
            "{\n  \"kind\": \"DataContract\"\n  \"apiVersion\": \"v3.1.0\",\n  \"id\": \"x\"\n}\n";
        assert_eq!(sniff_unreadable(missing_comma), Some(Kind::Odcs));
        let ndjson_of_contracts = "{\"kind\": \"DataContract\", \"id\": \"a\"}\n{\"kind\": \"DataContract\", \"id\": \"b\"}\n";
        assert_eq!(sniff_unreadable(ndjson_of_contracts), None);
        let second = "a: 1\n---\nkind: DataContract\napiVersion: v3.0.0\n  bad: [\n";
        assert_eq!(sniff_unreadable(second), Some(Kind::Odcs));
    }

    #[test]
    fn the_head_of_a_large_file_tells_a_manifest() {
        let json = "{\n  // big\n  \"info\": {\"title\": \"x\", \"n\": [1, {\"a\": \"}\"}]},\n  \"dataContractSpecification\": \"1.1.0\",\n  \"models\": {\"orders\": {\"fields\": {";
        assert!(head_is_manifest("big.json", json));
        assert!(!head_is_manifest("big.json", "{\"rows\": [1, 2, 3"));
        assert!(!head_is_manifest(
            "big.json",
            "[{\"kind\": \"DataContract\"}"
        ));
        assert!(head_is_manifest(
            "big.yaml",
            "apiVersion: v3.1.0\nkind: DataContract\nschema:\n  - name: a\n    descr"
        ));
        assert!(!head_is_manifest("values.yaml", "replicas: 2\nimage: x\n"));
        assert!(head_is_manifest("orders.odcs.json", "\u{0}\u{1}"));
        assert!(!head_is_manifest(
            "templates/big.yaml",
            "apiVersion: v3.1.0\nkind: DataContract\n"
        ));
        // Cut anywhere, never a panic.
        let tricky = "{\"a\\\"\": \"b\\\\\", /* x */ \"c\": [\"]\", {}], \"d\": tru";
        for text in [json, tricky] {
            for cut in 0..=text.len() {
                if text.is_char_boundary(cut) {
                    let _ = head_is_manifest("x.json", &text[..cut]);
                }
            }
        }
    }

    #[test]
    fn scaffolder_templates_name_their_content() {
        let doc = model::yaml::parse_documents(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nspec:\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n    - id: other\n      input:\n        url: https://github.com/x/y\n    - input:\n        url: ../shared/contract.yaml\n",
        )
        .unwrap()
        .remove(0);
        assert_eq!(
            scaffolder_content(&doc, "templates/orders/template.yaml"),
            Some(vec![
                "templates/orders/skeleton".to_string(),
                "templates/shared/contract.yaml".to_string()
            ])
        );
        let component =
            model::yaml::parse_documents("apiVersion: backstage.io/v1alpha1\nkind: Component\n")
                .unwrap()
                .remove(0);
        assert_eq!(scaffolder_content(&component, "catalog-info.yaml"), None);
    }

    #[test]
    fn a_file_the_user_names_is_read_whatever_it_looks_like() {
        let text = "apiVersion: v3.1.0\nkind: DataContract\nid: \"{{ id }}\"\nversion: 1.0.0\nstatus: active\n";
        let file = model::SourceFile::new("", "templates/_template.odcs.yaml", text);
        let crawled = crate::parse_file(&file);
        assert!(crawled.documents.is_empty());
        assert_eq!(crawled.diagnostics.len(), 1);
        assert_eq!(crawled.diagnostics[0].code, "template-file");
        let named = crate::parse_named_file(&file);
        assert_eq!(named.documents.len(), 1, "{:?}", named.diagnostics);
        let broken = model::SourceFile::new("", "notes.yaml", "a: [\n");
        assert!(crate::parse_file(&broken).diagnostics.is_empty());
        assert_eq!(
            crate::parse_named_file(&broken).diagnostics[0].code,
            "yaml-syntax"
        );
    }

    #[test]
    fn a_metric_csv_that_is_not_utf8_is_an_error_only_under_the_metric_paths() {
        let bytes = b"timestamp,metric,value\n2026-01-01T00:00:00Z,caf\xe9,1\n".to_vec();
        let data = model::SourceFile::new("", "data/x.csv", bytes.clone());
        assert!(crate::parse_file(&data).diagnostics.is_empty());
        let metrics = model::SourceFile::new("", "metrics/x.csv", bytes);
        let d = crate::parse_file(&metrics).diagnostics;
        assert_eq!((d[0].code.as_str(), d[0].line), ("not-utf8", Some(2)));
    }

    #[test]
    fn template_syntax_position() {
        let text = "# {{ not this }}\nkind: DataContract\nid: {{ id }}\n";
        assert_eq!(
            template_syntax_before(text, Some(3)),
            Some(Pos { line: 3, column: 5 })
        );
        assert_eq!(template_syntax_before(text, Some(2)), None);
    }
}
