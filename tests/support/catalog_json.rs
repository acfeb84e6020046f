//! catalog.json is a compact index; each entity's full record is `index.json` beside its page.
//! `expanded` reads the index and puts every full record in its place (and the lineage graph
//! and the diagnostics, which are beside the lineage and health pages), checking on the way that
//! each record is where its `url` says and names the same entity.
#![allow(dead_code)]

use std::path::Path;

use serde_json::Value;

pub fn read(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// catalog.json with every entity's full record, as one value.
pub fn expanded(site: &Path) -> Value {
    let mut json = read(&site.join("catalog.json"));
    let version = json["formatVersion"].clone();
    for kind in ["products", "contracts", "teams", "domains"] {
        let Some(items) = json[kind].as_array_mut() else {
            continue;
        };
        for item in items.iter_mut() {
            let url = item["url"].as_str().expect("every entity has a url");
            let full = read(&site.join(url).join("index.json"));
            assert_eq!(full["id"], item["id"], "{url}index.json");
            assert_eq!(full["formatVersion"], version, "{url}index.json");
            *item = full;
        }
    }
    json["lineage"] = read(&site.join("lineage/index.json"));
    json["diagnostics"] = read(&site.join("health/index.json"))["diagnostics"].clone();
    json
}
