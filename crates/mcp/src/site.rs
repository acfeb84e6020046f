//! The site as the server sees it: `catalog.json` read once at start (ids → compact records),
//! and every other file fetched on demand through a bounded in-memory cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::lineage::Graph;
use crate::source::Source;
use crate::{Error, FORMAT_VERSION};

/// Files kept parsed in memory; past this the cache starts again (a session asks about a few
/// hundred entities at most, and a hosted site is fetched once per file).
const CACHE_FILES: usize = 2048;

/// The kinds of entity the tools look up, with the `catalog.json` list that holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Product,
    Contract,
    Team,
    Domain,
    Term,
    Person,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Product => "product",
            Kind::Contract => "contract",
            Kind::Team => "team",
            Kind::Domain => "domain",
            Kind::Term => "term",
            Kind::Person => "person",
        }
    }

    /// The list in `catalog.json`; terms may be published as `terms` or `glossary`.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Product => &["products"],
            Kind::Contract => &["contracts"],
            Kind::Team => &["teams"],
            Kind::Domain => &["domains"],
            Kind::Term => &["terms", "glossary"],
            Kind::Person => &["persons", "people"],
        }
    }

    const ALL: [Kind; 6] = [
        Kind::Product,
        Kind::Contract,
        Kind::Team,
        Kind::Domain,
        Kind::Term,
        Kind::Person,
    ];
}

/// One kind's records from `catalog.json`, by id.
#[derive(Default)]
pub struct Listing {
    pub items: Vec<Value>,
    by_id: HashMap<String, usize>,
    /// Whether the site publishes this kind at all (a site without a glossary has no terms).
    pub published: bool,
}

impl Listing {
    fn new(items: Option<&Value>) -> Listing {
        let list = items.and_then(Value::as_array).cloned().unwrap_or_default();
        Listing {
            published: items.is_some_and(Value::is_array),
            ..Listing::from_items(list)
        }
    }

    /// Records gathered elsewhere (from the search index), by their `id`.
    pub fn from_items(list: Vec<Value>) -> Listing {
        let by_id = list
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((v.get("id")?.as_str()?.to_string(), i)))
            .collect();
        Listing {
            published: !list.is_empty(),
            items: list,
            by_id,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Value> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }

    /// Ids and names, for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.items.iter().filter_map(|v| {
            Some((
                v.get("id")?.as_str()?,
                v.get("name").and_then(Value::as_str),
            ))
        })
    }
}

/// An opened site: where it is, its index, and the files fetched so far.
pub struct Site {
    source: Source,
    listings: HashMap<&'static str, Listing>,
    /// `catalog.json` without the entity lists: persons, agreements, systems, health, metrics.
    pub catalog: Value,
    pub lineage: Graph,
    cache: Mutex<HashMap<String, Arc<Value>>>,
}

impl Site {
    /// Open a folder or base URL and read its `catalog.json`; anything that is not a meshdoc
    /// site of a format this server reads is refused here, with what was found instead.
    pub fn open(site: &str) -> Result<Site, Error> {
        let source = Source::open(site)?;
        let bytes = source.read("catalog.json").map_err(|e| match e {
            Error::Missing(..) => Error::Site(format!(
                "{}: no catalog.json here; give the folder `meshdoc build` wrote (or the site's \
                 base URL)",
                source.describe()
            )),
            other => Error::Site(other.to_string()),
        })?;
        let catalog = parse_catalog(&bytes, &source.describe())?;
        Ok(Site::from_catalog(source, catalog))
    }

    fn from_catalog(source: Source, mut catalog: Value) -> Site {
        let mut listings = HashMap::new();
        for kind in Kind::ALL {
            // Taken out of the catalog, not copied: at 10,000 products the lists are most of it.
            let found = kind.keys().iter().find_map(|k| match kind {
                Kind::Person => catalog.get(*k).cloned(),
                _ => catalog.as_object_mut()?.remove(*k),
            });
            listings.insert(kind.name(), Listing::new(found.as_ref()));
        }
        let lineage = Graph::new(catalog.get("lineage"));
        Site {
            source,
            listings,
            catalog,
            lineage,
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn listing(&self, kind: Kind) -> &Listing {
        &self.listings[kind.name()]
    }

    pub fn describe(&self) -> String {
        self.source.describe()
    }

    /// The address a person opens for a page folder of the site (`products/orders/`).
    pub fn page_url(&self, folder: &str) -> String {
        match &self.source {
            Source::Folder(_) => self.source.url_of(&format!("{folder}index.html")),
            Source::Http { .. } => self.source.url_of(folder),
        }
    }

    /// A JSON file of the site, parsed and cached.
    pub fn json(&self, rel: &str) -> Result<Arc<Value>, Error> {
        if let Some(v) = self.cached(rel) {
            return Ok(v);
        }
        let bytes = self.source.read(rel)?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Format(
                self.source.url_of(rel),
                format!("not the JSON meshdoc writes ({e})"),
            )
        })?;
        Ok(self.keep(rel, value))
    }

    /// A search index file (`meshdocSearch.load("name", {…});`): its data, parsed and cached.
    pub fn script(&self, rel: &str) -> Result<Arc<Value>, Error> {
        if let Some(v) = self.cached(rel) {
            return Ok(v);
        }
        let bytes = self.source.read(rel)?;
        let value = crate::search::payload(&bytes).ok_or_else(|| {
            Error::Format(self.source.url_of(rel), "not a search index file".into())
        })?;
        Ok(self.keep(rel, value))
    }

    /// The full record of an entity: `index.json` in the folder its compact record names.
    pub fn entity(&self, record: &Value) -> Result<Arc<Value>, Error> {
        let folder = folder_of(record)
            .ok_or_else(|| Error::Format("catalog.json".into(), "a record without a url".into()))?;
        self.json(&format!("{folder}index.json"))
    }

    fn cached(&self, rel: &str) -> Option<Arc<Value>> {
        self.cache.lock().ok()?.get(rel).cloned()
    }

    fn keep(&self, rel: &str, value: Value) -> Arc<Value> {
        let value = Arc::new(value);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_FILES {
                cache.clear();
            }
            cache.insert(rel.to_string(), value.clone());
        }
        value
    }
}

/// A record's page folder (`products/orders/`), from its `url`.
pub fn folder_of(record: &Value) -> Option<String> {
    let url = record.get("url")?.as_str()?;
    let folder = url.trim_end_matches("index.html");
    Some(if folder.ends_with('/') || folder.is_empty() {
        folder.to_string()
    } else {
        format!("{folder}/")
    })
}

/// Check that the bytes are a `catalog.json` this server reads, saying what they are if not.
fn parse_catalog(bytes: &[u8], place: &str) -> Result<Value, Error> {
    let text = String::from_utf8_lossy(bytes);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('<') {
        return Err(Error::Site(format!(
            "{place}: catalog.json is an HTML page, not the site's JSON index (is this the root \
             of a site that `meshdoc build` wrote?)"
        )));
    }
    let catalog: Value = serde_json::from_str(start).map_err(|e| {
        Error::Site(format!(
            "{place}: catalog.json is not JSON ({e}); is this a meshdoc site?"
        ))
    })?;
    match catalog.get("formatVersion").and_then(Value::as_u64) {
        Some(FORMAT_VERSION) => Ok(catalog),
        Some(other) => Err(Error::Site(format!(
            "{place}: catalog.json has formatVersion {other}; this meshdoc reads \
             formatVersion {FORMAT_VERSION} (use the meshdoc that built the site)"
        ))),
        None => Err(Error::Site(format!(
            "{place}: catalog.json has no formatVersion; it was not written by meshdoc"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_files_are_refused_with_what_they_are() {
        let html = parse_catalog(b"<!doctype html><p>hi", "x").unwrap_err();
        assert!(html.to_string().contains("HTML page"), "{html}");
        let other = parse_catalog(br#"{"formatVersion": 9}"#, "x").unwrap_err();
        assert!(other.to_string().contains("formatVersion 9"), "{other}");
        let none = parse_catalog(br#"{"products": []}"#, "x").unwrap_err();
        assert!(none.to_string().contains("no formatVersion"), "{none}");
        let junk = parse_catalog(b"\x00\x01garbage", "x").unwrap_err();
        assert!(junk.to_string().contains("not JSON"), "{junk}");
        assert!(parse_catalog(br#"{"formatVersion": 4}"#, "x").is_ok());
    }

    #[test]
    fn a_catalog_that_points_outside_the_site_is_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        let site = outside.path().join("site");
        std::fs::create_dir_all(site.join("products/x")).unwrap();
        std::fs::write(outside.path().join("index.json"), r#"{"secret": 1}"#).unwrap();
        std::fs::write(
            site.join("catalog.json"),
            r#"{"formatVersion": 4, "products": [
                {"id": "evil", "url": "../"}, {"id": "abs", "url": "/etc/"}, {"id": "x", "url": "products/x/"}]}"#,
        )
        .unwrap();
        std::fs::write(site.join("products/x/index.json"), r#"{"id": "x"}"#).unwrap();
        let opened = Site::open(site.to_str().unwrap()).unwrap();
        let products = opened.listing(Kind::Product);
        for id in ["evil", "abs"] {
            let err = opened.entity(products.get(id).unwrap()).unwrap_err();
            assert!(matches!(err, Error::Outside(_)), "{id}: {err}");
        }
        assert_eq!(
            opened.entity(products.get("x").unwrap()).unwrap()["id"],
            "x"
        );
    }

    #[test]
    fn folders_come_from_urls() {
        let r = serde_json::json!({ "url": "products/orders/" });
        assert_eq!(folder_of(&r).unwrap(), "products/orders/");
        let r = serde_json::json!({ "url": "people/ann/index.html" });
        assert_eq!(folder_of(&r).unwrap(), "people/ann/");
    }
}
