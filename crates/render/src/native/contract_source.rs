//! contract_source.html, compiled: a contract's file, highlighted, in the page's small frame.
//!
//! Why: one source page per contract version, and the file itself is highlighted in Rust
//! already (`markdown::highlight_manifest`); what was left was Tera over eight lines, the page's
//! JSON context, and the whitespace pass over the whole file. Here only the frame before the
//! file goes through that pass (the file is a `<pre>`, which the pass leaves as it is).

use catalog::Catalog;

use super::html::Html;
use crate::{markdown, pages, versions};

/// The page's title, as the template path titles it.
pub fn title(catalog: &Catalog, i: usize, version: Option<usize>) -> String {
    let c = versions::contract(catalog, i, version);
    match (version, &c.version) {
        (Some(_), Some(v)) => format!("{} {v} (source)", c.name),
        _ => format!("{} (source)", c.name),
    }
}

/// The whole page, as contract_source.html writes it after the whitespace pass.
pub fn render(
    catalog: &Catalog,
    i: usize,
    version: Option<usize>,
    root: &str,
    site_title: &str,
) -> Vec<u8> {
    let c = versions::contract(catalog, i, version);
    let text = c.source_text.as_deref().unwrap_or("");
    let lines = text.lines().count();
    let file = pages::source_file_name(c);
    let mut h = Html::with_capacity(1024);
    h.raw("<!doctype html><html lang=en>\n<head>\n<meta charset=utf-8>\n<meta name=viewport content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'\">\n<title>")
        .text(&title(catalog, i, version))
        .raw(" · ")
        .text(site_title)
        .raw("</title>\n<meta name=color-scheme content=\"light dark\">\n<link rel=stylesheet href=\"")
        .text(root)
        .raw("static/style.css\">\n<script src=\"")
        .text(root)
        .raw("static/theme.js\"></script>\n<body class=section-contracts>\n<header class=site-header><div class=\"container header-inner\"><a class=brand href=\"")
        .text(root)
        .raw("index.html\">")
        .text(site_title)
        .raw("</a></div></header>\n<main id=main class=\"container main source-view\">\n<nav class=breadcrumbs aria-label=Breadcrumb><ol><li><a href=\"")
        .text(root)
        .raw("contracts/index.html\">Data contracts</a><li><a href=../index.html>")
        .text(&c.name)
        .raw("</a><li><span aria-current=page>Source</span></ol></nav>\n<h1>")
        .text(&c.name)
        .raw(" <span class=muted>");
    if let Some(v) = c
        .version
        .as_deref()
        .filter(|v| version.is_some() && !v.is_empty())
    {
        h.text(v).raw(" ");
    }
    h.raw("source</span></h1>\n<p class=\"muted small\"><code>")
        .text(&c.origin.source)
        .raw("/")
        .text(&c.origin.path)
        .raw("</code> · ")
        .num(lines)
        .raw(" line")
        .raw(if lines == 1 { "" } else { "s" })
        .raw(" · <a href=\"../")
        .text(&file)
        .raw("\" download>Download ")
        .text(&file)
        .raw("</a></p>\n");
    let mut bytes = h.0.into_bytes();
    crate::whitespace::collapse_in_place(&mut bytes);
    bytes.extend_from_slice(markdown::highlight_manifest(text).as_bytes());
    bytes.extend_from_slice(b"\n</main>\n");
    bytes
}
