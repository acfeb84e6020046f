//! The documentation teams keep beside their manifests, as pages of the entity it documents.
//!
//! Convention (README "Documentation beside manifests"): a product, team or domain owns
//! - `<stem>.md` beside its manifest `<stem>.yaml` and the folder `docs/<stem>/` beside it, when
//!   that file defines only it;
//! - else `README.md` and the folder `docs/` in its manifest's folder, when that folder defines
//!   exactly one product (or, without products, exactly one team, or one domain).
//!
//! Every relative link and image is resolved here, once, against the repository the file is in:
//! to another documentation page, a copied image, or an entity's page (a link to its manifest);
//! a target outside the repository or missing is a located diagnostic and is shown inert.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Event, Parser, Tag};

use model::diagnostics::Diagnostic;
use model::narrative::Narrative;
use model::{Code, Origin};

use crate::Catalog;

/// Which entity a documentation page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Owner {
    Product(usize),
    Team(usize),
    Domain(usize),
}

/// One markdown file published as a page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocPage {
    pub owner: Owner,
    pub origin: Origin,
    /// Path of the page under the owner's `docs/` folder: "" for the README, else slugged
    /// segments (`guide/setup`).
    pub rel: String,
    pub text: String,
    /// Every relative link and image of the text, as written, and what it resolves to.
    pub links: Vec<DocLink>,
}

impl DocPage {
    /// The key the incremental build knows this page by.
    pub fn key(&self) -> String {
        format!("{}\u{0}{}", self.origin.source, self.origin.path)
    }
}

/// A relative link or image of a page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DocLink {
    /// The target as written (without its `#fragment`).
    pub written: String,
    pub image: bool,
    pub target: Target,
}

/// What a relative link leads to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Target {
    /// Another documentation page (index into `pages`).
    Page(usize),
    /// An image (index into `images`).
    Image(usize),
    /// The page of the product or contract defined in the linked manifest.
    Product(usize),
    Contract(usize),
    /// Shown as text, with why.
    Inert(String),
}

/// An image some page shows: copied into the site once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocImage {
    pub origin: Origin,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl DocImage {
    pub fn key(&self) -> String {
        format!("{}\u{0}{}", self.origin.source, self.origin.path)
    }
}

/// The documentation of the whole catalog.
#[derive(Debug, Default, Clone)]
pub struct Docs {
    pub pages: Vec<DocPage>,
    pub images: Vec<DocImage>,
    /// Pages of each product, team and domain (README first, then by path).
    pub of_product: HashMap<usize, Vec<usize>>,
    pub of_team: HashMap<usize, Vec<usize>>,
    pub of_domain: HashMap<usize, Vec<usize>>,
}

impl Docs {
    pub fn of(&self, owner: Owner) -> &[usize] {
        let (map, i) = match owner {
            Owner::Product(i) => (&self.of_product, i),
            Owner::Team(i) => (&self.of_team, i),
            Owner::Domain(i) => (&self.of_domain, i),
        };
        map.get(&i).map_or(&[], Vec::as_slice)
    }
}

/// The manifests of one source's folder: (file stem, owner) of each product, team and domain.
#[derive(Default)]
struct Folder {
    entries: Vec<(String, Owner)>,
}

impl Folder {
    /// The one entity defined in `<stem>.*`, if the file defines exactly one.
    fn by_stem(&self, stem: &str) -> Option<Owner> {
        let mut it = self.entries.iter().filter(|(s, _)| s == stem);
        let first = it.next()?.1;
        it.next().is_none().then_some(first)
    }

    /// The one product of the folder, else its one team, else its one domain.
    fn single(&self) -> Option<Owner> {
        for kind in 0..3 {
            let mut of_kind = self.entries.iter().filter(|(_, o)| kind_of(*o) == kind);
            if let Some(first) = of_kind.next() {
                return of_kind.next().is_none().then_some(first.1);
            }
        }
        None
    }
}

fn kind_of(owner: Owner) -> u8 {
    match owner {
        Owner::Product(_) => 0,
        Owner::Team(_) => 1,
        Owner::Domain(_) => 2,
    }
}

/// Split `a/b/c.yaml` into (`a/b`, `c`).
fn folder_and_stem(path: &str) -> (&str, &str) {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = name.split_once('.').map_or(name, |(s, _)| s);
    (folder, stem)
}

/// Attach the documentation files to their entities and resolve their links.
pub fn attach(catalog: &mut Catalog, files: Vec<Narrative>) {
    let (docs, diagnostics) = build(catalog, files);
    catalog.diagnostics.extend(diagnostics);
    catalog.docs = docs;
}

/// What [`attach`] adds, read from the catalog alone (so other passes can run beside it).
pub fn build(catalog: &Catalog, files: Vec<Narrative>) -> (Docs, Vec<Diagnostic>) {
    let mut folders: HashMap<(String, String), Folder> = HashMap::new();
    let mut add = |origin: Option<&Origin>, owner: Owner| {
        if let Some(o) = origin {
            let (folder, stem) = folder_and_stem(&o.path);
            folders
                .entry((o.source.clone(), folder.to_string()))
                .or_default()
                .entries
                .push((stem.to_string(), owner));
        }
    };
    for (i, p) in catalog.products.iter().enumerate() {
        add(Some(&p.origin), Owner::Product(i));
    }
    for (i, t) in catalog.teams.iter().enumerate() {
        add(t.origin.as_ref(), Owner::Team(i));
    }
    for (i, d) in catalog.domains.iter().enumerate() {
        add(d.origin.as_ref(), Owner::Domain(i));
    }

    let mut docs = Docs::default();
    // Every file read, by (source, path): markdown as a page candidate, images by index.
    let mut markdown_at: HashMap<(String, String), usize> = HashMap::new();
    let mut image_at: HashMap<(String, String), usize> = HashMap::new();
    let mut all_images = Vec::new();
    let mut taken: BTreeMap<(Owner, String), usize> = BTreeMap::new();
    for n in files {
        let key = (n.origin.source.clone(), n.origin.path.clone());
        match n.text {
            None => {
                image_at.insert(key, all_images.len());
                all_images.push(DocImage {
                    origin: n.origin,
                    bytes: n.image,
                });
            }
            Some(text) => {
                let Some((owner, rel)) = owner_of(&folders, &n.origin) else {
                    continue;
                };
                // Two files for one page (README.md and <stem>.md): the first by path wins.
                if taken.contains_key(&(owner, rel.clone())) {
                    continue;
                }
                taken.insert((owner, rel.clone()), docs.pages.len());
                markdown_at.insert(key, docs.pages.len());
                docs.pages.push(DocPage {
                    owner,
                    origin: n.origin,
                    rel,
                    text,
                    links: Vec::new(),
                });
            }
        }
    }

    let manifests = manifest_pages(catalog);
    let mut used_images: HashMap<usize, usize> = HashMap::new();
    let mut diagnostics = Vec::new();
    for page in docs.pages.iter_mut() {
        let source = page.origin.source.clone();
        let folder = folder_and_stem(&page.origin.path).0.to_string();
        for (written, image, line, column) in relative_links(&page.text) {
            let target = match join(&folder, &written) {
                None => {
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::DocLinkOutside,
                            format!("`{written}` leads out of the repository; shown as text"),
                        )
                        .at_file(&source, &page.origin.path)
                        .at(line, column)
                        .hint("link only to files inside this repository, or use a full https:// address"),
                    );
                    Target::Inert("outside the repository".into())
                }
                Some(path) => resolve(
                    &source,
                    &path,
                    image,
                    (&markdown_at, &image_at, &manifests),
                )
                .unwrap_or_else(|(code, why)| {
                    let hint = if image {
                        "images are published from a docs/ folder (PNG, JPEG, GIF or WebP, up to 2 MiB)"
                    } else {
                        "link to a markdown page of this documentation, a manifest, or a full https:// address"
                    };
                    diagnostics.push(
                        Diagnostic::new(code.severity(), code, format!("`{written}`: {why}; shown as text"))
                            .at_file(&source, &page.origin.path)
                            .at(line, column)
                            .hint(hint),
                    );
                    Target::Inert(why)
                }),
            };
            let target = match target {
                Target::Image(k) => {
                    let next = used_images.len();
                    Target::Image(*used_images.entry(k).or_insert(next))
                }
                other => other,
            };
            page.links.push(DocLink {
                written,
                image,
                target,
            });
        }
    }
    // Only the images some page shows are kept (and copied), in first-use order.
    let mut order: Vec<(usize, usize)> = used_images.into_iter().collect();
    order.sort_by_key(|&(_, new)| new);
    let mut slots: Vec<Option<DocImage>> = all_images.into_iter().map(Some).collect();
    docs.images = order
        .into_iter()
        .filter_map(|(old, _)| slots[old].take())
        .collect();

    for (k, page) in docs.pages.iter().enumerate() {
        let map = match page.owner {
            Owner::Product(i) => docs.of_product.entry(i),
            Owner::Team(i) => docs.of_team.entry(i),
            Owner::Domain(i) => docs.of_domain.entry(i),
        };
        map.or_default().push(k);
    }
    for list in docs
        .of_product
        .values_mut()
        .chain(docs.of_team.values_mut())
        .chain(docs.of_domain.values_mut())
    {
        list.sort_by(|&a, &b| docs.pages[a].rel.cmp(&docs.pages[b].rel));
    }
    (docs, diagnostics)
}

/// The entity and page path of a markdown file, by the convention above.
fn owner_of(
    folders: &HashMap<(String, String), Folder>,
    origin: &Origin,
) -> Option<(Owner, String)> {
    let segments: Vec<&str> = origin.path.split('/').collect();
    let name = segments.last()?;
    let folder_of = |k: usize| segments[..k].join("/");
    let get = |folder: String| folders.get(&(origin.source.clone(), folder));
    let here = get(folder_of(segments.len() - 1));
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".MD"));
    // `<stem>.md` beside `<stem>.yaml`.
    if let (Some(f), Some(stem)) = (here, stem) {
        if let Some(owner) = f.by_stem(stem) {
            return Some((owner, String::new()));
        }
    }
    // `README.md` in the folder of a single entity.
    if name.eq_ignore_ascii_case("README.md") {
        if let Some(owner) = here.and_then(Folder::single) {
            return Some((owner, String::new()));
        }
    }
    // Under a `docs/` folder: `docs/<stem>/…` beside `<stem>.yaml`, else `docs/…` of the single
    // entity of the folder that holds `docs/` (the nearest such folder).
    for k in (0..segments.len() - 1).rev() {
        if !segments[k].eq_ignore_ascii_case("docs") {
            continue;
        }
        let Some(f) = get(folder_of(k)) else {
            continue;
        };
        let rest = &segments[k + 1..];
        if rest.len() > 1 {
            if let Some(owner) = f.by_stem(rest[0]) {
                return Some((owner, page_rel(&rest[1..])));
            }
        }
        if let Some(owner) = f.single() {
            return Some((owner, page_rel(rest)));
        }
    }
    None
}

/// `guide/Set Up.md` → `guide/set-up`; a `README.md` or `index.md` names its folder.
fn page_rel(rest: &[&str]) -> String {
    let mut parts: Vec<String> = rest.iter().map(|s| model::slug::slug(s)).collect();
    if let Some(last) = parts.last_mut() {
        let name = rest[rest.len() - 1];
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        if stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index") {
            parts.pop();
        } else {
            *last = model::slug::slug(stem);
        }
    }
    let rel = parts.join("/");
    // A docs page may not take the README's place, nor the names of the site's own files.
    if rel.is_empty() {
        "index".to_string()
    } else {
        rel
    }
}

/// The product and contract defined in each manifest file, by (source, path).
fn manifest_pages(catalog: &Catalog) -> HashMap<(String, String), Target> {
    let mut out = HashMap::new();
    for (i, c) in catalog.contracts.iter().enumerate() {
        out.insert(
            (c.origin.source.clone(), c.origin.path.clone()),
            Target::Contract(i),
        );
    }
    for (i, p) in catalog.products.iter().enumerate() {
        out.insert(
            (p.origin.source.clone(), p.origin.path.clone()),
            Target::Product(i),
        );
    }
    out
}

type Lookups<'a> = (
    &'a HashMap<(String, String), usize>,
    &'a HashMap<(String, String), usize>,
    &'a HashMap<(String, String), Target>,
);

/// What a path inside the repository is on this site, or the code and reason it is not.
fn resolve(
    source: &str,
    path: &str,
    image: bool,
    (markdown, images, manifests): Lookups,
) -> Result<Target, (Code, String)> {
    let key = |p: &str| (source.to_string(), p.to_string());
    if image {
        return images
            .get(&key(path))
            .map(|&k| Target::Image(k))
            .ok_or_else(|| {
                let why = if path.to_ascii_lowercase().ends_with(".svg") {
                    "SVG images are not published (they can carry script)"
                } else {
                    "no such image in a docs/ folder of the repository"
                };
                (Code::DocLinkMissing, why.to_string())
            });
    }
    let folder = path.trim_end_matches('/');
    let candidates = [
        path.to_string(),
        format!("{folder}/README.md"),
        format!("{folder}/index.md"),
    ];
    for c in &candidates {
        if let Some(&k) = markdown.get(&key(c)) {
            return Ok(Target::Page(k));
        }
        if let Some(t) = manifests.get(&key(c)) {
            return Ok(t.clone());
        }
        if let Some(&k) = images.get(&key(c)) {
            return Ok(Target::Image(k));
        }
    }
    if path.to_ascii_lowercase().ends_with(".md") {
        Err((
            Code::DocLinkMissing,
            "no such page in the documentation of this repository".into(),
        ))
    } else {
        Err((Code::DocLinkUnpublished, "not a page of this site".into()))
    }
}

/// `folder` joined with a relative link (its `#fragment` and `?query` dropped), `.` and `..`
/// applied; None when it climbs above the repository root or is absolute.
pub fn join(folder: &str, link: &str) -> Option<String> {
    let path = link.split(['#', '?']).next().unwrap_or_default();
    if path.starts_with('/') || path.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// The relative links and images of a markdown text, with the line and column they start at.
/// Links with a scheme (`https:`, `mailto:`) and anchors on the same page are left out.
pub fn relative_links(text: &str) -> Vec<(String, bool, u32, u32)> {
    let mut out = Vec::new();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for (event, range) in Parser::new(text).into_offset_iter() {
        let (url, image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        if url.is_empty() || url.starts_with('#') || has_scheme(&url) {
            continue;
        }
        let line = line_starts.partition_point(|&s| s <= range.start);
        let column = text[line_starts[line - 1]..range.start].chars().count() + 1;
        let written = url.split('#').next().unwrap_or_default().to_string();
        out.push((written, image, line as u32, column as u32));
    }
    out
}

/// `https:`, `mailto:`, `javascript:`…: a scheme before any `/`.
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && !scheme.contains('/')
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_never_climbs_out_of_the_repository() {
        assert_eq!(
            join("a/docs", "../README.md").as_deref(),
            Some("a/README.md")
        );
        assert_eq!(join("a", "./img/x.png#top").as_deref(), Some("a/img/x.png"));
        assert_eq!(join("a", "../../etc/passwd"), None);
        assert_eq!(join("", "/etc/passwd"), None);
        assert_eq!(join("a", "b/").as_deref(), Some("a/b/"));
    }

    #[test]
    fn links_are_found_with_their_line_and_column() {
        let text = "# T\n\nSee [setup](docs/setup.md#run) and ![flow](docs/flow.png).\n[web](https://x.example) [top](#t) [js](javascript:alert(1))\n";
        let links = relative_links(text);
        assert_eq!(
            links,
            vec![
                ("docs/setup.md".to_string(), false, 3, 5),
                ("docs/flow.png".to_string(), true, 3, 36),
            ]
        );
    }

    #[test]
    fn page_paths_are_slugged_and_readmes_name_their_folder() {
        assert_eq!(page_rel(&["guide", "Set Up.md"]), "guide/set-up");
        assert_eq!(page_rel(&["guide", "README.md"]), "guide");
        assert_eq!(page_rel(&["index.md"]), "index");
    }
}
