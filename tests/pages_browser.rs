//! Every page kind of a built site, in a real headless Chromium, light and dark, at 1280 and
//! 390 px wide: no console errors (CSP violations included), no serious or critical axe-core
//! finding, nothing wider than a phone screen outside a labelled scroll region, and the keyboard
//! reaches the search box, its results and the theme toggle. Screenshots of every page kind go
//! to `target/screenshots/` (or MESHDOC_SCREENSHOTS) for a person to look at.
//!
//! The mesh is the bundled sample (`content/`) turned into git repositories with a short history
//! (a breaking contract change) and one broken file, so that every page kind has content.
//!
//! MESHDOC_PAGE_KINDS=product,contract-source limits a run to those kinds while working on them.
//!
//! Needs chromium + chromedriver and the npm package axe-core (`.ci/run` installs it into
//! `target/browser-tools/`; MESHDOC_AXE_CORE may name another `axe.min.js`). Without them the
//! test skips with a message, unless MESHDOC_REQUIRE_BROWSER is set (as in CI).

#[path = "support/browser.rs"]
mod browser;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use meshdoc::config::{Config, SourceConfig};
use serde_json::{json, Value};

use browser::Driver;

const WIDTHS: [(u32, u32, &str); 2] = [(1280, 900, "desktop"), (390, 844, "phone")];
const THEMES: [&str; 2] = ["light", "dark"];

/// The page kind of a site path, by the layout of `render::registry::plan`. None for files that
/// are not pages (a new kind of page must be named here, or the test fails).
fn page_kind(path: &str) -> Option<&'static str> {
    let parts: Vec<&str> = path.trim_end_matches("index.html").split('/').collect();
    let parts: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    Some(match parts.as_slice() {
        [] => "overview",
        ["404.html"] => "not-found",
        ["products"] | ["products", "page", _] => "products",
        ["products", _] => "product",
        ["products", _, "v", _] => "product-version",
        ["contracts"] | ["contracts", "page", _] => "contracts",
        ["contracts", _] => "contract",
        ["contracts", _, "source"] => "contract-source",
        ["contracts", _, "v", _] => "contract-version",
        ["contracts", _, "v", _, "source"] => "contract-version-source",
        ["contracts", _, "diff", _] => "contract-diff",
        ["teams"] | ["teams", "page", _] => "teams",
        ["teams", _] => "team",
        ["domains"] | ["domains", "page", _] => "domains",
        ["domains", _] => "domain",
        ["health"] => "health",
        ["changes"] => "changes",
        ["lineage"] => "lineage",
        ["search"] => "search",
        ["tags", ..] | ["status", ..] => "browse",
        ["start"] => "start",
        ["concepts"] => "concepts",
        ["publish"] => "publish",
        ["products", _, "docs", ..] | ["teams", _, "docs", ..] | ["domains", _, "docs", ..] => {
            "doc"
        }
        _ => return None,
    })
}

/// Every kind the site has; the test fails when the mesh leaves one of them out.
const KINDS: &[&str] = &[
    "overview",
    "not-found",
    "products",
    "product",
    "product-version",
    "contracts",
    "contract",
    "contract-source",
    "contract-version",
    "contract-version-source",
    "contract-diff",
    "teams",
    "team",
    "domains",
    "domain",
    "health",
    "changes",
    "lineage",
    "search",
    "browse",
    "start",
    "concepts",
    "publish",
    "doc",
];

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dana Data")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", "Dana Data")
        .env("GIT_COMMITTER_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An earlier text of an ODCS v3 contract: one column more (the current text removed it, a
/// breaking change) and the previous minor version.
fn earlier_contract(text: &str) -> String {
    let at = text
        .find("    properties:\n")
        .expect("an ODCS contract with properties")
        + "    properties:\n".len();
    let indent: String = text[at..].chars().take_while(|c| *c == ' ').collect();
    let column = format!(
        "{indent}- name: legacy_segment_code\n{indent}  logicalType: string\n{indent}  description: Segment code of the old CRM, retired.\n"
    );
    with_version(&format!("{}{column}{}", &text[..at], &text[at..]), "0.9.0")
}

/// The text with its top-level `version:` set to `version`.
fn with_version(text: &str, version: &str) -> String {
    let mut out = text.to_string();
    if let Some(v) = out.find("\nversion: ") {
        let end = out[v + 1..].find('\n').map_or(out.len(), |e| v + 1 + e);
        out.replace_range(v + 1..end, &format!("version: {version}"));
    }
    out
}

/// The sample as git repositories with history and one broken file: returns the sources root.
fn demo_mesh(root: &Path) -> PathBuf {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let repos = root.join("repos");
    for entry in fs::read_dir(&content).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let repo = repos.join(entry.file_name());
        copy_dir(&entry.path(), &repo);
        git(&repo, &["init", "-q", "-b", "main"], "2026-06-01T09:00:00Z");
        let product = repo.join("dataproducts/customer-profiles.odps.yaml");
        if product.exists() {
            // An earlier version of the product, kept beside the current one.
            let text = with_version(&fs::read_to_string(&product).unwrap(), "1.5.0");
            let earlier = repo.join("dataproducts/previous/customer-profiles-v1.5.0.odps.yaml");
            fs::create_dir_all(earlier.parent().unwrap()).unwrap();
            fs::write(earlier, text).unwrap();
        }
        let contract = repo.join("contracts/customer-profiles-v1.odcs.yaml");
        if contract.exists() {
            // History: the contract first had one column more; then it was dropped.
            let now = fs::read_to_string(&contract).unwrap();
            fs::write(&contract, earlier_contract(&now)).unwrap();
            git(&repo, &["add", "-A"], "2026-06-01T09:00:00Z");
            git(
                &repo,
                &["commit", "-q", "-m", "Import"],
                "2026-06-01T09:00:00Z",
            );
            fs::write(&contract, now).unwrap();
            git(
                &repo,
                &["commit", "-qam", "Drop legacy_segment_code"],
                "2026-07-01T09:00:00Z",
            );
        } else {
            git(&repo, &["add", "-A"], "2026-06-01T09:00:00Z");
            git(
                &repo,
                &["commit", "-q", "-m", "Import"],
                "2026-06-01T09:00:00Z",
            );
        }
        if entry.file_name() == "finance" {
            fs::write(
                repo.join("contracts/broken.odcs.yaml"),
                "apiVersion: v3.1.0\nkind: DataContract\nid: [broken\nname: Broken\n",
            )
            .unwrap();
            git(&repo, &["add", "-A"], "2026-07-02T09:00:00Z");
            git(
                &repo,
                &["commit", "-q", "-m", "WIP contract"],
                "2026-07-02T09:00:00Z",
            );
        }
    }
    repos
}

fn build(root: &Path) -> PathBuf {
    let repos = demo_mesh(root);
    let sample = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("meshdoc.toml")).unwrap();
    let mut config = Config::empty(root);
    config.site = sample.site.clone();
    // The start file is named relative to the sample's config, which this config is not beside.
    config.site.start = sample.site.start.as_ref().map(|s| sample.resolve(s));
    config.access = sample.access.clone();
    config.build.cache_dir = Some(root.join("cache"));
    config.sources = vec![SourceConfig {
        git: Some(format!("{}/*", repos.display())),
        ..Default::default()
    }];
    let out = root.join("public");
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    out
}

/// One page of each kind: the biggest, which has the most to get wrong.
fn pages_by_kind(out: &Path) -> BTreeMap<&'static str, String> {
    let mut best: BTreeMap<&'static str, (u64, String)> = BTreeMap::new();
    let mut unknown = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let rel = path
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(kind) = page_kind(&rel) else {
            unknown.push(rel);
            continue;
        };
        let size = entry.metadata().unwrap().len();
        let slot = best.entry(kind).or_insert((0, String::new()));
        if size > slot.0 || (size == slot.0 && rel < slot.1) {
            *slot = (size, rel);
        }
    }
    assert!(unknown.is_empty(), "pages of no known kind: {unknown:?}");
    let missing: Vec<_> = KINDS.iter().filter(|k| !best.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "the mesh shows no page of kind {missing:?}"
    );
    best.into_iter().map(|(k, (_, rel))| (k, rel)).collect()
}

fn axe_source() -> Option<String> {
    let path = std::env::var_os("MESHDOC_AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/browser-tools/node_modules/axe-core/axe.min.js")
        });
    match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            assert!(
                std::env::var_os("MESHDOC_REQUIRE_BROWSER").is_none(),
                "MESHDOC_REQUIRE_BROWSER is set but axe-core is missing at {}",
                path.display()
            );
            eprintln!(
                "!! SKIPPED pages_browser: axe-core not found at {}.",
                path.display()
            );
            eprintln!("!! Install it: npm install --prefix target/browser-tools axe-core@4.14.1");
            None
        }
    }
}

const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200)),
    count: v.nodes.length }))))
  .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [], count: 1 }]));
"#;

/// Elements that stick out of a phone screen, unless inside a scroll region a keyboard can reach
/// and a screen reader can name; scroll regions that are not so reachable; header sections that
/// are not on the screen.
const OVERFLOW: &str = r#"
const width = document.documentElement.clientWidth;
const problems = [];
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
const scrolls = el => { const s = getComputedStyle(el); return /(auto|scroll)/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1; };
const labelled = el => el.tabIndex >= 0 && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'));
if (document.documentElement.scrollWidth > width + 1) {
  const widest = Array.from(document.body.querySelectorAll('*')).filter(el => el.getBoundingClientRect().right > width + 1).slice(-3).map(name);
  problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px (' + widest.join(', ') + ')');
}
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest('.visually-hidden, [hidden], svg')) continue;
  if (scrolls(el) && !labelled(el) && el.tagName !== 'PRE') problems.push('scroll region without tabindex and label: ' + name(el));
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= width + 1) continue;
  let p = el.parentElement, inside = false;
  while (p && p !== document.body) { if (scrolls(p)) { inside = true; break; } p = p.parentElement; }
  if (!inside) problems.push('wider than the screen: ' + name(el) + ' (right edge ' + Math.round(r.right) + ' px)');
}
// Every section of the header is on the screen, not in a strip that scrolls out of sight.
for (const a of document.querySelectorAll('.site-nav a')) {
  const r = a.getBoundingClientRect();
  if (r.width === 0 || r.left < 0 || r.right > width + 1) problems.push('header link off the screen: ' + a.textContent.trim());
}
return problems.slice(0, 10);
"#;

fn set_theme(driver: &Driver, base: &str, theme: &str) {
    driver.goto(&format!("{base}index.html"));
    driver.js(
        "localStorage.setItem('meshdoc-theme', arguments[0])",
        vec![json!(theme)],
    );
}

/// Tab from the top of the page until `css` has focus; true when it does within `max` presses.
fn tab_reaches(driver: &Driver, css: &str, max: usize) -> bool {
    for _ in 0..max {
        driver.press(&["\u{E004}"]);
        let hit = driver.js(
            "return document.activeElement && document.activeElement.matches(arguments[0])",
            vec![json!(css)],
        );
        if hit == json!(true) {
            return true;
        }
    }
    false
}

/// The keyboard reaches the theme toggle, the search box and its results (header and search
/// page); axe also checks both result lists while they are open.
fn keyboard(driver: &Driver, axe: &str, base: &str, label: &str, failures: &mut Vec<String>) {
    driver.goto(&format!("{base}index.html"));
    driver.js(
        "document.activeElement && document.activeElement.blur()",
        vec![],
    );
    if !tab_reaches(driver, "#theme-toggle", 40) {
        failures.push(format!("{label}: Tab never reaches the theme toggle"));
    }
    driver.goto(&format!("{base}index.html"));
    if !tab_reaches(driver, "#site-search-input", 40) {
        failures.push(format!("{label}: Tab never reaches the search box"));
        return;
    }
    let input = driver.find("#site-search-input");
    driver.type_into(&input, "customer");
    driver.wait_for(
        "return document.querySelectorAll('#site-search-list .sr-item').length > 0",
        vec![],
        20,
        "header search results",
    );
    axe_check(
        driver,
        axe,
        &format!("header search results ({label})"),
        failures,
    );
    if !tab_reaches(driver, "#site-search-list .sr-link", 3) {
        failures.push(format!(
            "{label}: Tab from the search box does not reach its results"
        ));
    }
    // The search page: its results are reached from its own box too.
    driver.goto(&format!("{base}search/index.html?q=orders"));
    driver.wait_for(
        "return document.querySelectorAll('#search-results .sr-item').length > 0",
        vec![],
        20,
        "search page results",
    );
    driver.wait_for(
        "return document.getElementById('search-results').getAttribute('data-facets') === 'ready'",
        vec![],
        20,
        "search page filters",
    );
    axe_check(
        driver,
        axe,
        &format!("search page results ({label})"),
        failures,
    );
    driver.js("document.getElementById('search-input').focus()", vec![]);
    if !tab_reaches(driver, "#search-results .sr-link", 60) {
        failures.push(format!(
            "{label}: Tab from the search page's box does not reach its results"
        ));
    }
}

/// Injects axe-core and adds its serious and critical findings on the page as it is now.
fn axe_check(driver: &Driver, axe: &str, at: &str, failures: &mut Vec<String>) {
    driver.js(axe, vec![]);
    let found = driver.js_async(RUN_AXE, vec![]);
    for v in found.as_array().cloned().unwrap_or_default() {
        let nodes: Vec<&str> = v["nodes"]
            .as_array()
            .map(|n| n.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        failures.push(format!(
            "{at}: axe {} ({}, {} nodes): {}\n      {}",
            v["id"].as_str().unwrap_or_default(),
            v["impact"].as_str().unwrap_or_default(),
            v["count"],
            v["help"].as_str().unwrap_or_default(),
            nodes.join("\n      ")
        ));
    }
}

fn screenshot_dir() -> PathBuf {
    std::env::var_os("MESHDOC_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"))
}

#[test]
fn every_page_kind_is_accessible_and_fits_a_phone_in_both_themes() {
    let Some(axe) = axe_source() else { return };
    let Some(driver) = browser::browser_or_skip("pages_browser") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = build(dir.path());
    let mut pages = pages_by_kind(&out);
    // While working on a few pages: MESHDOC_PAGE_KINDS=product,contract-source (comma-separated).
    if let Some(only) = std::env::var_os("MESHDOC_PAGE_KINDS") {
        let only = only.to_string_lossy().to_string();
        pages.retain(|kind, _| only.split(',').any(|k| k.trim() == *kind));
    }
    // Served from the root, as most sites are (tests/search.rs covers a sub-path).
    let port = browser::serve(&out, "/");
    let base = format!("http://127.0.0.1:{port}/");
    let shots = screenshot_dir();
    fs::create_dir_all(&shots).unwrap();

    let mut failures = Vec::new();
    for theme in THEMES {
        set_theme(&driver, &base, theme);
        for (width, height, device) in WIDTHS {
            driver.set_viewport(width, height);
            let label = format!("{theme}/{device}");
            keyboard(&driver, &axe, &base, &label, &mut failures);
            driver.console();
            for (kind, rel) in &pages {
                let at = format!("{kind} ({rel}, {label})");
                driver.goto(&format!("{base}{rel}"));
                driver.wait_for(
                    "return document.readyState === 'complete'",
                    vec![],
                    20,
                    "the page to load",
                );
                let shown = driver.js(
                    "return document.documentElement.getAttribute('data-theme')",
                    vec![],
                );
                if shown != json!(theme) {
                    failures.push(format!("{at}: theme is {shown}, not the stored {theme}"));
                }
                // No flash of the light theme: the script that applies the stored choice blocks
                // in <head>, before anything is painted.
                let early = driver.js(
                    "const s = document.querySelector('head script[src$=\"theme.js\"]'); \
                     return !!s && !s.defer && !s.async && !document.querySelector('body script[src$=\"theme.js\"]')",
                    vec![],
                );
                if early != json!(true) {
                    failures.push(format!("{at}: theme.js is not a blocking script in <head>"));
                }
                for (level, message) in driver.console() {
                    if level == "SEVERE" || level == "WARNING" {
                        failures.push(format!("{at}: console {level}: {message}"));
                    }
                }
                axe_check(&driver, &axe, &at, &mut failures);
                if width < 600 {
                    let overflow = driver.js(OVERFLOW, vec![]);
                    for p in overflow.as_array().cloned().unwrap_or_default() {
                        failures.push(format!("{at}: {}", p.as_str().unwrap_or_default()));
                    }
                }
                let png = driver.screenshot(3000);
                fs::write(shots.join(format!("{kind}-{theme}-{device}.png")), png).unwrap();
            }
        }
    }
    eprintln!(
        "pages_browser: {} page kinds × 2 themes × 2 widths checked; screenshots in {}",
        pages.len(),
        shots.display()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
