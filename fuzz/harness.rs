//! What each fuzz target runs. tests/fuzz_regressions.rs includes this file too, so every input
//! kept under tests/fuzz_regressions/<target>/ is replayed by plain `cargo test` with the same
//! checks the fuzzer made.
//!
//! Beyond "does not panic", each target checks what a reader of the site would notice: a
//! diagnostic points into the file it names, sanitised markdown carries no script.

#![allow(dead_code)]

use model::yaml;
use model::SourceFile;

/// File names that steer detection: each standard's naming convention, a metric series place,
/// plain YAML/JSON. The first input byte picks one, so one corpus reaches every reader.
const NAMES: &[&str] = &[
    "orders.odcs.yaml",
    "datacontract.yaml",
    "orders.dcs.yaml",
    "orders.odps.yaml",
    "dataproduct.yaml",
    "data-product-descriptor.json",
    "catalog-info.yaml",
    "dps.yaml",
    "metrics/orders.csv",
    "metrics/orders.yaml",
    "contracts/orders.yaml",
    "contracts/orders.json",
    "templates/orders.odcs.yaml",
    "notes.csv",
];

/// The file name chosen by the first byte, and the rest as the file's bytes.
pub fn split(data: &[u8]) -> (&'static str, &[u8]) {
    match data.split_first() {
        Some((first, rest)) => (NAMES[usize::from(*first) % NAMES.len()], rest),
        None => (NAMES[0], data),
    }
}

/// Format detection and reading of every standard (and the metric readers, by place).
pub fn detect_parse(data: &[u8]) {
    let (name, bytes) = split(data);
    parse(name, bytes);
}

/// The metric CSV and YAML snapshot readers: the input is read as a series in `metrics/`.
pub fn metrics(data: &[u8]) {
    let name = if data.first().is_some_and(|b| b % 2 == 0) {
        "metrics/orders.csv"
    } else {
        "metrics/orders.yaml"
    };
    parse(name, data.get(1..).unwrap_or_default());
}

fn parse(name: &str, bytes: &[u8]) {
    let file = SourceFile::new("fuzz", name, bytes.to_vec());
    let settings = formats::Settings::default();
    let parsed = formats::parse_source(
        std::slice::from_ref(&file),
        &formats::validate::user::UserSchemas::default(),
        &settings,
    );
    let lines = line_count(bytes);
    for d in parsed.iter().flat_map(|p| &p.diagnostics) {
        if let Some(line) = d.line {
            assert!(
                line <= lines + 1,
                "diagnostic {:?} at line {line} of a {lines}-line file: {}",
                d.code,
                d.message
            );
        }
        assert!(
            !d.message.is_empty(),
            "diagnostic {:?} without a message",
            d.code
        );
    }
}

/// Lines as YAML counts them: `\r\n`, `\n` and a lone `\r` each end one (a file with lone
/// carriage returns had an error "at line 78" of what a `\n` count calls 50 lines).
fn line_count(bytes: &[u8]) -> u32 {
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u32 + 1
}

/// The located YAML reader: positions stay inside the text.
pub fn yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = line_count(text.as_bytes());
    match yaml::parse_documents(text) {
        Ok(docs) => {
            for doc in &docs {
                doc.walk(&mut |n| {
                    assert!(
                        n.pos.line <= lines + 1,
                        "node at line {} of {lines}",
                        n.pos.line
                    );
                    let _ = n.to_json();
                });
            }
        }
        Err(e) => {
            assert!(!e.message.is_empty(), "a YAML error without a message");
            if let Some(pos) = e.pos {
                assert!(
                    pos.line <= lines + 1,
                    "error at line {} of {lines}",
                    pos.line
                );
            }
        }
    }
}

/// The config reader: any text is a config or an error, never a panic.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = std::path::Path::new("/nonexistent-meshdoc-fuzz");
    if let Ok(config) = config::Config::from_toml(text, root, &root.join("meshdoc.toml")) {
        let _ = config.metrics.settings();
        for source in &config.sources {
            if let Some(git) = &source.git {
                let _ = config::git_url::check(git);
            }
        }
    }
}

/// Markdown → sanitised HTML, and the manifest highlighter: no markup a page could run.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for html in [
        render::markdown::render(text),
        render::markdown::highlight_manifest(text),
    ] {
        for (tag, attributes) in tags(&html) {
            let tag = tag.to_ascii_lowercase();
            assert!(
                !["script", "style", "iframe", "object", "embed", "svg", "math", "base", "form"]
                    .contains(&tag.as_str()),
                "<{tag}> in {html:?}"
            );
            for (name, value) in attributes {
                let name = name.to_ascii_lowercase();
                assert!(
                    !name.starts_with("on") && name != "style" && name != "srcdoc",
                    "attribute {name} in {html:?}"
                );
                let value = value.trim().to_ascii_lowercase();
                assert!(
                    !(["href", "src", "action", "formaction"].contains(&name.as_str())
                        && (value.starts_with("javascript:") || value.starts_with("data:"))),
                    "{name}={value} in {html:?}"
                );
            }
        }
    }
}

/// The start tags of an HTML text with their attributes (name, raw value): enough of a
/// tokenizer to judge sanitiser output, where every `<` in text is escaped.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || b.get(i + 1).is_none_or(|c| !c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_string();
        let mut attributes = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
                i += 1;
            }
            let attr = html[a..i].to_string();
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                let quote = b.get(i).copied().filter(|q| *q == b'"' || *q == b'\'');
                if let Some(q) = quote {
                    i += 1;
                    let v = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = html[v..i.min(b.len())].to_string();
                    i += 1;
                } else {
                    let v = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[v..i].to_string();
                }
            }
            attributes.push((attr, value));
        }
        out.push((name, attributes));
    }
    out
}
