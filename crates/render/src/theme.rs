//! The theme: templates and static files compiled into the binary (an installed `meshdoc` needs no
//! files beside it), each replaceable by a file of the same name in the site's theme folder.

use std::path::{Path, PathBuf};

use model::error::{Error, Result};

macro_rules! theme_files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// The default templates: one per page kind, the shared layouts, and the XML files.
pub const TEMPLATES: &[(&str, &str)] = theme_files!("templates":
    "base.html",
    "site_header.html",
    "components.html",
    "onboard_components.html",
    "metrics.html",
    "index.html",
    "products.html",
    "product.html",
    "contracts.html",
    "contract.html",
    "contract_source.html",
    "contract_diff.html",
    "versions.html",
    "teams.html",
    "team.html",
    "domains.html",
    "domain.html",
    "entity_lists.html",
    "lineage.html",
    "lineage_components.html",
    "health.html",
    "404.html",
    "changes.html",
    "search.html",
    "browse.html",
    "glossary.html",
    "term.html",
    "people.html",
    "person.html",
    "feed.xml",
    "sitemap.xml",
    "start.html",
    "concepts.html",
    "publish.html",
    "doc.html",
);

/// The default static files, written under `static/` (besides the generated `syntax.css`).
pub const STATIC_FILES: &[(&str, &str)] =
    theme_files!("static": "style.css", "theme.js", "search.js", "lineage.js");

/// The stylesheet of highlighted code: generated from syntect's themes, overridable like the rest.
pub const SYNTAX_CSS: &str = "syntax.css";

/// Where a site's overrides are. Template folders are read in order, a later one winning.
#[derive(Debug, Clone, Default)]
pub struct ThemeDirs {
    pub templates: Vec<PathBuf>,
    pub statics: Option<PathBuf>,
}

impl ThemeDirs {
    /// Every file in the override folders, sorted: what the site's up-to-date check hashes.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for dir in self.templates.iter().chain(&self.statics) {
            walk(dir, &mut files);
        }
        files.sort();
        files
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A loaded theme: the compiled templates, and the static files with their bytes.
pub struct Theme {
    pub tera: tera::Tera,
    /// The compiled fragments its templates allow (none where an override replaces them).
    pub native: crate::native::Native,
    /// `(path under static/, bytes)`: the defaults in their order, then files only the site has.
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The built-in theme with the site's overrides applied.
    pub fn load(dirs: &ThemeDirs) -> Result<Theme> {
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        for dir in &dirs.templates {
            for (name, text) in template_overrides(dir)? {
                replace_or_add(&mut sources, name, text);
            }
        }
        let native = crate::native::Native::of(|name| {
            let built_in = TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
            let used = sources
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str());
            built_in.is_some() && built_in == used
        });
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(crate::escape::html);
        // `{{ text | inline }}`: manifest text with its inline markdown, escaped and sanitised.
        tera.register_filter(
            "inline",
            |text: &str, _: tera::Kwargs, _: &tera::State| -> tera::Value {
                tera::Value::safe_string(&crate::markdown::inline(text))
            },
        );
        let internal = [
            (
                crate::native::page::TEMPLATE_NAME,
                crate::native::page::TEMPLATE,
            ),
            crate::native::product_page::METRICS_TEMPLATE,
            crate::native::contract_page::QUALITY_HISTORY,
        ];
        let all = sources.iter().map(|(n, t)| (n.as_str(), t.as_str()));
        tera.add_raw_templates(all.chain(internal))
            .map_err(|e| Error::Template(crate::describe_tera_error(&e)))?;
        let mut statics = default_statics();
        if let Some(dir) = &dirs.statics {
            let mut files = Vec::new();
            walk(dir, &mut files);
            files.sort();
            for path in files {
                let bytes = std::fs::read(&path).map_err(|e| Error::Io {
                    path: path.clone(),
                    source: e,
                })?;
                let name = relative_name(dir, &path);
                replace_or_add(&mut statics, name, bytes);
            }
        }
        Ok(Theme {
            tera,
            native,
            statics,
        })
    }
}

/// The files of a templates folder that are templates: the built-in names, and any `.html`
/// (partials a site adds for its overrides to include).
fn template_overrides(dir: &Path) -> Result<Vec<(String, String)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".html") && !TEMPLATES.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).map_err(|e| Error::Io {
            path: entry.path(),
            source: e,
        })?;
        out.push((name, text));
    }
    out.sort();
    Ok(out)
}

fn replace_or_add<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name, value)),
    }
}

/// `path` under `dir`, with `/` separators (it becomes part of a URL).
fn relative_name(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn default_statics() -> Vec<(String, Vec<u8>)> {
    let mut statics: Vec<(String, Vec<u8>)> = STATIC_FILES
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect();
    statics.push((
        SYNTAX_CSS.to_string(),
        crate::markdown::syntax_css().into_bytes(),
    ));
    statics
}

/// The whole default theme as files (`templates/…`, `static/…`), for `meshdoc init --theme`.
pub fn default_files() -> Vec<(String, Vec<u8>)> {
    let templates = TEMPLATES
        .iter()
        .map(|(name, text)| (format!("templates/{name}"), text.as_bytes().to_vec()));
    let statics = default_statics()
        .into_iter()
        .map(|(name, bytes)| (format!("static/{name}"), bytes));
    templates.chain(statics).collect()
}
