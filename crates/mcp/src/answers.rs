//! What each tool answers: plain functions over a [`Site`], each giving a short text for the
//! person reading along and structured JSON for the assistant, always with the page URL.
//! Ids are looked up in the index (never joined into paths); an unknown one is an error that
//! names the closest ids.

use serde_json::{json, Map, Value};

use crate::lineage::{Direction, MAX_HOPS};
use crate::search::{self, Query};
use crate::site::{folder_of, Kind, Listing, Site};
use crate::Error;

/// A tool's answer: one or two sentences, and the data.
#[derive(Debug)]
pub struct Answer {
    pub text: String,
    pub data: Value,
}

/// A tool's refusal: what went wrong, and what to try (close ids, valid values).
#[derive(Debug)]
pub struct ToolError {
    pub message: String,
    pub data: Value,
}

impl ToolError {
    fn new(message: impl Into<String>) -> ToolError {
        let message = message.into();
        ToolError {
            data: json!({ "error": message }),
            message,
        }
    }
}

impl From<Error> for ToolError {
    fn from(e: Error) -> ToolError {
        ToolError::new(e.to_string())
    }
}

pub type Reply = Result<Answer, ToolError>;

/// Longest id or query text looked at; the rest of a longer one is ignored.
const MAX_INPUT_CHARS: usize = 200;
/// Most close ids named in an error.
const SUGGESTIONS: usize = 5;
/// Most results of one search.
pub const MAX_RESULTS: usize = 50;
/// Most products in one answer about breaches.
const MAX_BREACHING: usize = 100;
/// Most list entries (products of a team, consumers of a port) copied into an answer.
const MAX_LISTED: usize = 100;

fn short(s: &str) -> String {
    s.chars().take(MAX_INPUT_CHARS).collect()
}

fn text_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The glossary as the search index lists it: `{id, name, url}` per term.
fn search_terms(site: &Site) -> Result<Listing, ToolError> {
    let items = search::kind_records(site, "term")?
        .into_iter()
        .map(|h| json!({ "id": h.id, "name": h.title, "url": h.path }))
        .collect();
    Ok(Listing::from_items(items))
}

/// The record of `kind` with this id (or, failing that, exactly this name, any case).
pub fn find<'a>(site: &'a Site, kind: Kind, id: &str) -> Result<&'a Value, ToolError> {
    find_in(site.listing(kind), kind, id)
}

fn find_in<'a>(listing: &'a Listing, kind: Kind, id: &str) -> Result<&'a Value, ToolError> {
    let id = short(id.trim());
    if let Some(v) = listing.get(&id) {
        return Ok(v);
    }
    let lower = id.to_lowercase();
    if let Some(v) = listing.items.iter().find(|v| {
        text_of(v, "id").is_some_and(|x| x.to_lowercase() == lower)
            || text_of(v, "name").is_some_and(|x| x.to_lowercase() == lower)
    }) {
        return Ok(v);
    }
    let close = close_ids(listing.ids(), &lower);
    let mut message = format!("no {} with id {:?} in this site", kind.name(), id);
    if !close.is_empty() {
        message.push_str(&format!("; did you mean {}?", close.join(", ")));
    } else {
        message.push_str(&format!(
            "; use the search tool to find {}s by name or topic",
            kind.name()
        ));
    }
    Err(ToolError {
        data: json!({ "error": message, "kind": kind.name(), "didYouMean": close }),
        message,
    })
}

/// The ids closest to `wanted` by spelling (or containing it), best first.
fn close_ids<'a>(
    ids: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    wanted: &str,
) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = ids
        .map(|(id, name)| {
            let by_id = strsim::jaro_winkler(wanted, &id.to_lowercase());
            let by_name = name.map_or(0.0, |n| strsim::jaro_winkler(wanted, &n.to_lowercase()));
            let contains = wanted.len() >= 3 && id.to_lowercase().contains(wanted);
            (by_id.max(by_name) + if contains { 0.2 } else { 0.0 }, id)
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// `{kind, id, name, url}` of a compact record: what an answer points at.
fn pointer(site: &Site, kind: &str, record: &Value) -> Value {
    let mut p = Map::new();
    p.insert("kind".into(), json!(kind));
    for key in ["id", "name"] {
        if let Some(v) = record.get(key) {
            p.insert(key.into(), v.clone());
        }
    }
    if let Some(folder) = folder_of(record) {
        p.insert("url".into(), json!(site.page_url(&folder)));
        p.insert("path".into(), json!(folder));
    }
    Value::Object(p)
}

/// The full record with the page's address beside its site-relative `url`.
fn full_record(site: &Site, record: &Value) -> Result<Value, ToolError> {
    let mut full = (*site.entity(record)?).clone();
    if let (Value::Object(map), Some(folder)) = (&mut full, folder_of(record)) {
        map.insert("pageUrl".into(), json!(site.page_url(&folder)));
    }
    Ok(full)
}

fn label(record: &Value) -> String {
    let id = text_of(record, "id").unwrap_or("?");
    match text_of(record, "name") {
        Some(name) if name != id => format!("{name} ({id})"),
        _ => id.to_string(),
    }
}

// ---------- search ----------

/// The site's own search; `kind` keeps one kind of result (product, contract, team, …).
pub fn search(site: &Site, query: &str, kind: Option<&str>, limit: Option<usize>) -> Reply {
    let q = Query::parse(query);
    if q.tokens.is_empty() {
        return Err(ToolError::new(
            "the query has no words to search for (letters or digits)",
        ));
    }
    let mut ranked = search::rank(site, &q)?;
    if let Some(kind) = kind.map(str::trim).filter(|k| !k.is_empty()) {
        let kind = kind.to_lowercase();
        let allowed = search::kind_docs(site, &kind)?.unwrap_or_default();
        let mut mask = std::collections::HashSet::with_capacity(allowed.len());
        mask.extend(allowed);
        ranked.retain(|d| mask.contains(d));
    }
    let total = ranked.len();
    let limit = limit.unwrap_or(10).clamp(1, MAX_RESULTS);
    let hits = search::records(site, &ranked[..total.min(limit)])?;
    let results: Vec<Value> = hits
        .iter()
        .map(|h| {
            let folder = h.path.trim_end_matches("index.html");
            json!({
                "kind": h.kind, "id": h.id, "title": h.title, "facts": h.facts,
                "summary": h.summary, "url": site.page_url(folder), "path": h.path,
            })
        })
        .collect();
    let words = q.tokens.join(" ");
    let text = if total == 0 {
        format!("No results for \u{201c}{words}\u{201d}.")
    } else {
        let top: Vec<String> = hits
            .iter()
            .take(5)
            .map(|h| format!("{} {} ({})", h.kind, h.title, h.id))
            .collect();
        format!(
            "{total} result{} for \u{201c}{words}\u{201d}; first: {}.",
            if total == 1 { "" } else { "s" },
            top.join("; ")
        )
    };
    Ok(Answer {
        text,
        data: json!({ "query": words, "total": total, "results": results }),
    })
}

// ---------- entities ----------

pub fn get_product(site: &Site, id: &str) -> Reply {
    let record = find(site, Kind::Product, id)?;
    let full = full_record(site, record)?;
    let facts: Vec<String> = [
        text_of(&full, "domain").map(|d| format!("domain {d}")),
        text_of(&full, "owner").map(|o| format!("owned by {o}")),
        text_of(&full, "status").map(|s| format!("status {s}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(Answer {
        text: format!(
            "Product {}: {}. Page: {}",
            label(record),
            facts.join(", "),
            text_of(&full, "pageUrl").unwrap_or_default()
        ),
        data: full,
    })
}

pub fn get_contract(site: &Site, id: &str, version: Option<&str>) -> Reply {
    let record = find(site, Kind::Contract, id)?;
    let full = full_record(site, record)?;
    let current = text_of(&full, "version").map(str::to_string);
    let wanted = version
        .map(|v| short(v.trim()).trim_start_matches(['v', 'V']).to_string())
        .filter(|v| !v.is_empty());
    let Some(wanted) = wanted.filter(|w| Some(w) != current.as_ref()) else {
        return Ok(Answer {
            text: format!(
                "Contract {} version {}: owner {}, product {}. Page: {}",
                label(record),
                current.as_deref().unwrap_or("(none)"),
                text_of(&full, "owner").unwrap_or("(none)"),
                text_of(&full, "dataProduct").unwrap_or("(none)"),
                text_of(&full, "pageUrl").unwrap_or_default()
            ),
            data: full,
        });
    };
    let versions = full
        .get("versions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(entry) = versions
        .iter()
        .find(|v| text_of(v, "version") == Some(wanted.as_str()))
    else {
        let known: Vec<&str> = versions
            .iter()
            .filter_map(|v| text_of(v, "version"))
            .collect();
        let message = format!(
            "contract {} has no version {:?}; its versions are {}",
            label(record),
            wanted,
            if known.is_empty() {
                "not listed".to_string()
            } else {
                known.join(", ")
            }
        );
        return Err(ToolError {
            data: json!({ "error": message, "versions": known }),
            message,
        });
    };
    let folder = folder_of(entry).unwrap_or_default();
    // An earlier version's own record, where the site publishes one beside its page.
    let data = match site.json(&format!("{folder}index.json")) {
        Ok(v) => (*v).clone(),
        Err(Error::Missing(..)) => json!({
            "id": full.get("id"), "name": full.get("name"), "version": entry.get("version"),
            "status": entry.get("status"), "current": false, "origin": entry.get("origin"),
            "currentVersion": current,
            "note": "this site publishes the full record of the current version only; the page \
                     shows this version's text",
        }),
        Err(e) => return Err(e.into()),
    };
    let mut data = data;
    if let Value::Object(map) = &mut data {
        map.insert("pageUrl".into(), json!(site.page_url(&folder)));
    }
    Ok(Answer {
        text: format!(
            "Contract {} version {} ({}; the current version is {}). Page: {}",
            label(record),
            wanted,
            text_of(entry, "status").unwrap_or("status not stated"),
            current.as_deref().unwrap_or("not stated"),
            site.page_url(&folder)
        ),
        data,
    })
}

/// A person's `{id, name, email}` from `catalog.json`, by id or email.
fn person(site: &Site, id: &str) -> Value {
    let people = site.listing(Kind::Person);
    let found = people.get(id).or_else(|| {
        people
            .items
            .iter()
            .find(|p| text_of(p, "email").is_some_and(|e| e.eq_ignore_ascii_case(id)))
    });
    match found {
        Some(p) => {
            let mut v =
                json!({ "id": p.get("id"), "name": p.get("name"), "email": p.get("email") });
            if folder_of(p).is_some() {
                v["url"] = json!(site.page_url(&folder_of(p).unwrap_or_default()));
            }
            v
        }
        None => json!({ "id": id }),
    }
}

pub fn get_team(site: &Site, id: &str) -> Reply {
    let record = find(site, Kind::Team, id)?;
    let mut full = full_record(site, record)?;
    let team_id = text_of(record, "id").unwrap_or_default().to_string();
    let owned: Vec<Value> = site
        .listing(Kind::Product)
        .items
        .iter()
        .filter(|p| text_of(p, "owner") == Some(team_id.as_str()))
        .map(|p| pointer(site, "product", p))
        .collect();
    let members: Vec<Value> = full
        .get("members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| text_of(m, "id"))
        .map(|m| person(site, m))
        .collect();
    if let Value::Object(map) = &mut full {
        map.insert("productCount".into(), json!(owned.len()));
        map.insert(
            "products".into(),
            json!(owned.iter().take(MAX_LISTED).collect::<Vec<_>>()),
        );
        if !members.is_empty() {
            map.insert("members".into(), json!(members));
        }
    }
    Ok(Answer {
        text: format!(
            "Team {}: {} product{}, {} member{}. Page: {}",
            label(record),
            owned.len(),
            if owned.len() == 1 { "" } else { "s" },
            members.len(),
            if members.len() == 1 { "" } else { "s" },
            text_of(&full, "pageUrl").unwrap_or_default()
        ),
        data: full,
    })
}

pub fn get_term(site: &Site, id: &str) -> Reply {
    // Terms listed in catalog.json, else the terms of the site's search index (the glossary
    // pages' records: id, name and page, from which the record beside the page is read).
    let indexed;
    let record = if site.listing(Kind::Term).published {
        find(site, Kind::Term, id)?
    } else {
        indexed = search_terms(site)?;
        if indexed.items.is_empty() {
            return Err(ToolError::new(
                "this site has no glossary: it lists no terms (use the search tool for business \
                 words instead)",
            ));
        }
        find_in(&indexed, Kind::Term, id)?
    };
    let full = full_record(site, record)?;
    let definition = text_of(&full, "description")
        .map(|d| d.chars().take(300).collect::<String>())
        .unwrap_or_else(|| "no definition written".into());
    Ok(Answer {
        text: format!(
            "Term {}: {definition}. Page: {}",
            label(record),
            text_of(&full, "pageUrl").unwrap_or_default()
        ),
        data: full,
    })
}

// ---------- lineage ----------

pub fn lineage(site: &Site, id: &str, direction: Option<&str>, hops: Option<usize>) -> Reply {
    let direction = match direction.map(|d| d.trim().to_lowercase()).as_deref() {
        None | Some("") | Some("both") => Direction::Both,
        Some("up" | "upstream") => Direction::Up,
        Some("down" | "downstream") => Direction::Down,
        Some(other) => {
            return Err(ToolError::new(format!(
                "direction {:?} is not one of up, down, both",
                short(other)
            )))
        }
    };
    let wanted = short(id.trim());
    // A product, a contract (its product's lineage) or another lineage node (a system).
    let start = if site.lineage.others.contains_key(&wanted) {
        wanted.clone()
    } else if let Ok(p) = find(site, Kind::Product, &wanted) {
        text_of(p, "id").unwrap_or_default().to_string()
    } else if let Ok(c) = find(site, Kind::Contract, &wanted) {
        match text_of(c, "dataProduct") {
            Some(p) => p.to_string(),
            None => {
                return Err(ToolError::new(format!(
                    "contract {} names no data product, so it has no lineage",
                    label(c)
                )))
            }
        }
    } else {
        return Err(find(site, Kind::Product, &wanted).unwrap_err());
    };
    let hops = hops.unwrap_or(1).clamp(1, MAX_HOPS);
    let walk = site.lineage.walk(&start, direction, hops);
    let products = site.listing(Kind::Product);
    let describe = |id: &str| -> Value {
        if let Some(p) = products.get(id) {
            return pointer(site, "product", p);
        }
        match site.lineage.others.get(id) {
            Some((kind, name)) => json!({ "kind": kind, "id": id, "name": name }),
            None => json!({ "kind": "unknown", "id": id }),
        }
    };
    let nodes: Vec<Value> = walk
        .nodes
        .iter()
        .map(|n| {
            let mut v = describe(&n.id);
            v["hops"] = json!(n.hops);
            v["direction"] = json!(n.side);
            v
        })
        .collect();
    let edges: Vec<Value> = walk
        .edges
        .iter()
        .map(|(from, to, kind)| json!({ "from": from, "to": to, "kind": kind }))
        .collect();
    let count = |side: &str| walk.nodes.iter().filter(|n| n.side == side).count();
    let names = |side: &str| -> Vec<String> {
        walk.nodes
            .iter()
            .filter(|n| n.side == side && n.hops == 1)
            .take(10)
            .map(|n| n.id.clone())
            .collect()
    };
    let mut text = format!(
        "Lineage of {start} within {hops} hop{}:",
        if hops == 1 { "" } else { "s" }
    );
    if direction != Direction::Down {
        text.push_str(&format!(
            " {} upstream (direct: {});",
            count("upstream"),
            names("upstream").join(", ")
        ));
    }
    if direction != Direction::Up {
        text.push_str(&format!(
            " {} downstream (direct: {});",
            count("downstream"),
            names("downstream").join(", ")
        ));
    }
    if walk.truncated {
        text.push_str(" cut at the node limit;");
    }
    text.push_str(" full graph: ");
    text.push_str(&site.page_url("lineage/"));
    Ok(Answer {
        text,
        data: json!({
            "start": describe(&start), "hops": hops, "nodes": nodes, "edges": edges,
            "truncated": walk.truncated, "lineageUrl": site.page_url("lineage/"),
        }),
    })
}

// ---------- ownership ----------

/// The record a question about ownership is about: a product, a contract or a domain.
fn owned_entity<'a>(site: &'a Site, id: &str) -> Result<(&'static str, &'a Value), ToolError> {
    for kind in [Kind::Product, Kind::Contract, Kind::Domain] {
        if let Ok(v) = find(site, kind, id) {
            return Ok((kind.name(), v));
        }
    }
    // Suggest from products and contracts together.
    let wanted = short(id.trim()).to_lowercase();
    let ids = site
        .listing(Kind::Product)
        .ids()
        .chain(site.listing(Kind::Contract).ids());
    let close = close_ids(ids, &wanted);
    let message = format!(
        "no product, contract or domain with id {:?}{}",
        short(id.trim()),
        if close.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", close.join(", "))
        }
    );
    Err(ToolError {
        data: json!({ "error": message, "didYouMean": close }),
        message,
    })
}

pub fn who_owns(site: &Site, id: &str) -> Reply {
    let (kind, record) = owned_entity(site, id)?;
    let full = full_record(site, record)?;
    let owner_id = text_of(&full, "owner").map(str::to_string);
    let mut owner = Value::Null;
    let mut team_members = Vec::new();
    if let Some(o) = &owner_id {
        if let Some(team) = site.listing(Kind::Team).get(o) {
            let team_full = site.entity(team)?;
            owner = pointer(site, "team", team);
            for key in ["email", "links"] {
                if let Some(v) = team_full.get(key) {
                    owner[key] = v.clone();
                }
            }
            team_members = team_full
                .get("members")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| text_of(m, "id"))
                .map(|m| person(site, m))
                .collect();
        } else {
            owner = person(site, o);
            owner["kind"] = json!("person");
        }
    }
    let members = full.get("members").cloned().unwrap_or(json!([]));
    let support = full.get("support").cloned().unwrap_or(json!([]));
    let domain = text_of(&full, "domain")
        .and_then(|d| site.listing(Kind::Domain).get(d))
        .map(|d| {
            let mut v = pointer(site, "domain", d);
            v["owner"] = d.get("owner").cloned().unwrap_or(Value::Null);
            v
        });
    // Whom to ask first: an interactive support channel, else the owning team's address.
    let first_channel = support.as_array().and_then(|s| {
        s.iter()
            .find(|c| text_of(c, "scope") == Some("interactive"))
            .or_else(|| s.first())
    });
    let ask = first_channel
        .map(|c| {
            format!(
                "{} {}",
                text_of(c, "channel").unwrap_or(""),
                text_of(c, "url")
                    .map(|u| format!("<{u}>"))
                    .unwrap_or_default()
            )
            .trim()
            .to_string()
        })
        .or_else(|| text_of(&owner, "email").map(str::to_string));
    let named: Vec<String> = members
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let who = text_of(m, "name").or(text_of(m, "id"))?;
            Some(match text_of(m, "role") {
                Some(r) => format!("{who} ({r})"),
                None => who.to_string(),
            })
        })
        .take(5)
        .collect();
    let text = format!(
        "The {kind} {} is owned by {}{}{}. Page: {}",
        label(record),
        owner_id
            .as_deref()
            .map_or("no one stated".to_string(), |o| {
                match text_of(&owner, "name") {
                    Some(n) if n != o => format!("{n} ({o})"),
                    _ => o.to_string(),
                }
            }),
        if named.is_empty() {
            String::new()
        } else {
            format!("; people: {}", named.join(", "))
        },
        ask.as_deref()
            .map_or(String::new(), |a| format!("; ask: {a}")),
        text_of(&full, "pageUrl").unwrap_or_default()
    );
    Ok(Answer {
        text,
        data: json!({
            "entity": pointer(site, kind, record), "owner": owner, "members": members,
            "teamMembers": team_members, "support": support, "domain": domain, "ask": ask,
        }),
    })
}

// ---------- objectives ----------

pub fn breaching_objectives(
    site: &Site,
    domain: Option<&str>,
    team: Option<&str>,
    include_stale: bool,
) -> Reply {
    let domain = domain.map(|d| short(d.trim())).filter(|d| !d.is_empty());
    let team = team.map(|t| short(t.trim())).filter(|t| !t.is_empty());
    if let Some(d) = &domain {
        find(site, Kind::Domain, d)?;
    }
    if let Some(t) = &team {
        find(site, Kind::Team, t)?;
    }
    let state = |p: &Value| -> Option<String> {
        p.get("health")?
            .get("metrics")?
            .as_str()
            .map(str::to_string)
    };
    let candidates: Vec<&Value> = site
        .listing(Kind::Product)
        .items
        .iter()
        .filter(|p| match state(p).as_deref() {
            Some("failing") => true,
            Some("stale") => include_stale,
            _ => false,
        })
        .filter(|p| {
            domain
                .as_deref()
                .is_none_or(|d| text_of(p, "domain") == Some(d))
        })
        .filter(|p| {
            team.as_deref()
                .is_none_or(|t| text_of(p, "owner") == Some(t))
        })
        .collect();
    let mut products = Vec::new();
    let mut lines = Vec::new();
    for p in candidates.iter().take(MAX_BREACHING) {
        let full = site.entity(p)?;
        let metrics = full.get("metrics").cloned().unwrap_or(Value::Null);
        let failing: Vec<Value> = metrics
            .get("objectives")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|o| text_of(o, "status") == Some("fail"))
            .cloned()
            .collect();
        let labels: Vec<&str> = failing.iter().filter_map(|o| text_of(o, "label")).collect();
        let stale = metrics
            .get("stale")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        lines.push(format!(
            "{}: {}",
            label(p),
            if labels.is_empty() && stale {
                format!(
                    "no fresh measurements since {}",
                    text_of(&metrics, "newest").unwrap_or("ever")
                )
            } else {
                labels.join(", ")
            }
        ));
        let mut v = pointer(site, "product", p);
        v["owner"] = p.get("owner").cloned().unwrap_or(Value::Null);
        v["state"] = json!(state(p));
        v["stale"] = json!(stale);
        v["newestMeasurement"] = metrics.get("newest").cloned().unwrap_or(Value::Null);
        v["failing"] = json!(failing);
        products.push(v);
    }
    let text = if products.is_empty() {
        format!(
            "No product {}breaches its objectives{}.",
            if include_stale { "is stale or " } else { "" },
            match (&domain, &team) {
                (Some(d), _) => format!(" in domain {d}"),
                (_, Some(t)) => format!(" of team {t}"),
                _ => String::new(),
            }
        )
    } else {
        format!(
            "{} {}: {}. Service levels: {}#slo",
            candidates.len(),
            match (candidates.len() == 1, include_stale) {
                (true, false) => "product breaches its objectives",
                (false, false) => "products breach their objectives",
                (true, true) => "product breaches its objectives or is stale",
                (false, true) => "products breach their objectives or are stale",
            },
            lines.join("; "),
            site.page_url("health/")
        )
    };
    Ok(Answer {
        text,
        data: json!({
            "total": candidates.len(), "products": products,
            "asOf": site.catalog.get("metrics").and_then(|m| m.get("asOf")),
            "serviceLevelsUrl": format!("{}#slo", site.page_url("health/")),
        }),
    })
}

// ---------- access ----------

/// The parts of a contract that say who may use it and how: roles with approvers, terms of
/// use, price, and where to ask.
fn contract_access(full: &Value) -> Value {
    let mut terms: Vec<Value> = full
        .get("terms")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if terms.is_empty() {
        terms = full
            .get("descriptionParts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|p| {
                matches!(
                    text_of(p, "label").map(str::to_lowercase).as_deref(),
                    Some("usage" | "limitations" | "policies" | "terms")
                )
            })
            .cloned()
            .collect();
    }
    json!({
        "roles": full.get("roles"), "terms": terms, "pricing": full.get("pricing"),
        "support": full.get("support"), "servers": full.get("servers"),
        "access": full.get("access"),
    })
}

pub fn how_to_get_access(site: &Site, product: &str, port: Option<&str>) -> Reply {
    let record = find(site, Kind::Product, product)?;
    let full = full_record(site, record)?;
    let product_id = text_of(record, "id").unwrap_or_default().to_string();
    let ports: Vec<&Value> = full
        .get("outputPorts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let port = port.map(|p| short(p.trim())).filter(|p| !p.is_empty());
    let chosen: Vec<&Value> = match &port {
        Some(p) => {
            let found: Vec<&Value> = ports
                .iter()
                .copied()
                .filter(|x| text_of(x, "id") == Some(p) || text_of(x, "name") == Some(p))
                .collect();
            if found.is_empty() {
                let names: Vec<&str> = ports
                    .iter()
                    .filter_map(|x| text_of(x, "id").or(text_of(x, "name")))
                    .collect();
                let message = format!(
                    "product {} has no output port {:?}; its ports are {}",
                    label(record),
                    p,
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                );
                return Err(ToolError {
                    data: json!({ "error": message, "ports": names }),
                    message,
                });
            }
            found
        }
        None => ports.clone(),
    };
    let agreements: Vec<&Value> = site
        .catalog
        .get("agreements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| text_of(a, "providerProduct") == Some(product_id.as_str()))
        .collect();
    let mut answers = Vec::new();
    let mut lines = Vec::new();
    for p in chosen.iter().take(MAX_LISTED) {
        let port_id = text_of(p, "id")
            .or(text_of(p, "name"))
            .unwrap_or("?")
            .to_string();
        let contract_id = text_of(p, "contractId");
        let contract = contract_id.and_then(|c| site.listing(Kind::Contract).get(c));
        let contract_part = match contract {
            Some(c) => {
                let cf = site.entity(c)?;
                let mut part = contract_access(&cf);
                part["contract"] = pointer(site, "contract", c);
                part
            }
            None => json!({ "contract": contract_id }),
        };
        let consumers: Vec<Value> = agreements
            .iter()
            .filter(|a| text_of(a, "providerPort").is_none_or(|x| x == port_id))
            .take(MAX_LISTED)
            .map(|a| {
                json!({ "consumerProduct": a.get("consumerProduct"), "consumerTeam": a.get("consumerTeam"),
                        "purpose": a.get("purpose"), "status": a.get("status") })
            })
            .collect();
        // The site's own access section (request link, steps), where it publishes one.
        let access = p.get("access").or(full.get("access")).cloned();
        let request_url = access.as_ref().and_then(request_url);
        let roles: Vec<String> = contract_part
            .get("roles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| {
                let name = text_of(r, "name")?;
                let approvers: Vec<&str> = r
                    .get("approvers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                Some(if approvers.is_empty() {
                    name.to_string()
                } else {
                    format!("{name} (approved by {})", approvers.join(", "))
                })
            })
            .collect();
        lines.push(format!(
            "port {port_id}: {}{}",
            match &request_url {
                Some(u) => format!("request at {u}; "),
                None => String::new(),
            },
            if roles.is_empty() {
                "the contract names no roles; ask the owner".to_string()
            } else {
                format!("roles {}", roles.join(", "))
            }
        ));
        answers.push(json!({
            "port": port_id, "kind": p.get("kind"), "containsPii": p.get("containsPii"),
            "requestUrl": request_url, "access": access, "contract": contract_part,
            "consumers": consumers,
        }));
    }
    let text = format!(
        "Access to {}: {}. Owner: {}; support: {}. Page: {}",
        label(record),
        if lines.is_empty() {
            "it has no output ports".to_string()
        } else {
            lines.join("; ")
        },
        text_of(&full, "owner").unwrap_or("not stated"),
        full.get("support")
            .and_then(Value::as_array)
            .and_then(|s| s.first())
            .and_then(|c| text_of(c, "channel"))
            .unwrap_or("not stated"),
        text_of(&full, "pageUrl").unwrap_or_default()
    );
    Ok(Answer {
        text,
        data: json!({
            "product": pointer(site, "product", record), "owner": full.get("owner"),
            "support": full.get("support"), "ports": answers,
        }),
    })
}

/// A link to request access in a published access section: the first http(s) or mailto URL
/// under a key that names a request, else any URL in it.
fn request_url(access: &Value) -> Option<String> {
    fn walk<'a>(v: &'a Value, key: &str, out: &mut Vec<(bool, &'a str)>) {
        match v {
            Value::String(s)
                if s.starts_with("https://")
                    || s.starts_with("http://")
                    || s.starts_with("mailto:") =>
            {
                out.push((key.to_lowercase().contains("request"), s));
            }
            Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, k, out)),
            Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(access, "", &mut found);
    found
        .iter()
        .find(|(named, _)| *named)
        .or(found.first())
        .map(|(_, u)| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_ids_prefer_spelling_and_containment() {
        let ids = [
            ("orders", Some("Orders")),
            ("orders-legacy", Some("Orders (legacy)")),
            ("payments", Some("Payments")),
        ];
        let close = close_ids(ids.iter().map(|(a, b)| (*a, *b)), "ordres");
        assert_eq!(close.first().map(String::as_str), Some("orders"));
        assert!(!close.contains(&"payments".to_string()));
        assert!(close_ids(ids.iter().map(|(a, b)| (*a, *b)), "zzzzzz").is_empty());
    }

    /// A site whose glossary is in its search index only (catalog.json lists no terms).
    fn glossary_site(dir: &std::path::Path, with_term: bool) -> Site {
        let write = |rel: &str, text: &str| {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("catalog.json", r#"{"formatVersion": 4, "products": []}"#);
        write(
            "search/meta.js",
            r#"meshdocSearch.load("meta",{"docs":1,"docShards":[0],"termShards":[],"maxKey":12});"#,
        );
        let kind = if with_term { "term" } else { "product" };
        write(
            "search/facets.js",
            &format!(
                r##"meshdocSearch.load("facets",{{"kind":{{"values":["{kind}"],"labels":["x"],"docs":["#"]}}}});"##
            ),
        );
        write(
            "search/d/0.js",
            r#"meshdocSearch.load("d0",[["g","Net revenue","net-revenue","glossary/net-revenue/index.html","","",""]]);"#,
        );
        write(
            "glossary/net-revenue/index.json",
            r#"{"formatVersion": 4, "id": "net-revenue", "name": "Net revenue", "description": "Revenue after refunds."}"#,
        );
        Site::open(dir.to_str().unwrap()).unwrap()
    }

    #[test]
    fn terms_come_from_the_search_index_when_catalog_json_lists_none() {
        let dir = tempfile::tempdir().unwrap();
        let site = glossary_site(dir.path(), true);
        let a = get_term(&site, "net-revenue").unwrap();
        assert_eq!(a.data["description"], "Revenue after refunds.");
        assert!(a.data["pageUrl"]
            .as_str()
            .unwrap()
            .ends_with("glossary/net-revenue/index.html"));
        assert!(get_term(&site, "Net Revenue").is_ok());
        let e = get_term(&site, "net-revenu").unwrap_err();
        assert!(
            e.message.contains("did you mean net-revenue"),
            "{}",
            e.message
        );

        let other = tempfile::tempdir().unwrap();
        let site = glossary_site(other.path(), false);
        let e = get_term(&site, "net-revenue").unwrap_err();
        assert!(e.message.contains("no glossary"), "{}", e.message);
    }

    #[test]
    fn request_links_are_found_in_any_access_shape() {
        let a = json!({ "notes": "see https://wiki/x", "requestUrl": "https://access/req?p=1" });
        assert_eq!(request_url(&a).unwrap(), "https://access/req?p=1");
        let b = json!({ "steps": [{ "link": "mailto:data@x" }] });
        assert_eq!(request_url(&b).unwrap(), "mailto:data@x");
        assert!(request_url(&json!({ "url": "javascript:alert(1)" })).is_none());
    }
}
