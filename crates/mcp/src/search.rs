//! The site's own search, run on the index the site ships under `search/`: the tokenizer of
//! `render::search` and the ranking of `static/search.js`, ported line for line, so an
//! assistant gets the results, in the order, that a person typing the same words gets.
//! (tests/mcp.rs runs the JS on the sample and compares.)

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::site::Site;
use crate::Error;

/// The same limits as `static/search.js`.
const MAX_TOKEN: usize = 40;
const MAX_JOINED: usize = 64;
const MAX_QUERY_CHARS: usize = 1000;
const MAX_QUERY_TOKENS: usize = 10;
const MAX_PREFIX_TERMS: usize = 400;
/// Field weights by code: other, column description, description, column, tag, id, name, whole name.
const WEIGHT: [u32; 8] = [1, 2, 3, 4, 5, 6, 8, 10];

/// Lowercase search tokens: runs of letters and digits split at camelCase boundaries (the
/// rules of `render::search::tokens`).
pub fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    let push = |current: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() {
            out.push(current.to_lowercase().chars().take(MAX_TOKEN).collect());
            current.clear();
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            push(&mut current, &mut out);
            continue;
        }
        if !current.is_empty() && c.is_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower) {
                push(&mut current, &mut out);
            }
        }
        current.push(c);
    }
    push(&mut current, &mut out);
    out
}

/// A parsed query: its distinct words (at most ten) and all its words joined.
#[derive(Debug)]
pub struct Query {
    pub tokens: Vec<String>,
    pub joined: String,
}

impl Query {
    /// As `parseQuery` in the JS: the first 1,000 characters only, whatever is sent.
    pub fn parse(text: &str) -> Query {
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let all = tokens(&text);
        let mut distinct: Vec<String> = Vec::new();
        for t in &all {
            if distinct.len() >= MAX_QUERY_TOKENS {
                break;
            }
            if !distinct.contains(t) {
                distinct.push(t.clone());
            }
        }
        Query {
            joined: all.concat().chars().take(MAX_JOINED).collect(),
            tokens: distinct,
        }
    }
}

/// The data of one index file: `meshdocSearch.load("name", DATA);`.
pub fn payload(bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let rest = text.strip_prefix("meshdocSearch.load(")?;
    let rest = rest.strip_suffix(';').unwrap_or(rest).trim_end();
    let rest = rest.strip_suffix(')')?;
    // The name is a JSON string without commas (`"t12"`, `"meta"`).
    let comma = rest.find(',')?;
    serde_json::from_str(&rest[comma + 1..]).ok()
}

/// One result as the site's search shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub kind: &'static str,
    pub title: String,
    pub id: String,
    /// The page, relative to the site root.
    pub path: String,
    pub facts: String,
    pub summary: String,
}

fn kind_name(code: &str) -> &'static str {
    match code {
        "p" => "product",
        "c" => "contract",
        "d" => "domain",
        "t" => "team",
        "u" => "person",
        "g" => "term",
        _ => "other",
    }
}

/// The index's `meta.js`: document count, shard boundaries and keys.
struct Meta {
    docs: usize,
    doc_shards: Vec<usize>,
    keys: HashMap<String, usize>,
    max_key: usize,
}

fn meta(site: &Site) -> Result<Meta, Error> {
    let m = site.script("search/meta.js")?;
    let bad = || {
        Error::Format(
            "search/meta.js".into(),
            "not the index meshdoc writes".into(),
        )
    };
    let docs = m.get("docs").and_then(Value::as_u64).ok_or_else(bad)? as usize;
    let doc_shards = m
        .get("docShards")
        .and_then(Value::as_array)
        .ok_or_else(bad)?
        .iter()
        .filter_map(|v| v.as_u64().map(|n| n as usize))
        .collect();
    let keys = m
        .get("termShards")
        .and_then(Value::as_array)
        .ok_or_else(bad)?
        .iter()
        .enumerate()
        .filter_map(|(i, k)| Some((k.as_str()?.to_string(), i)))
        .collect();
    let max_key = m.get("maxKey").and_then(Value::as_u64).unwrap_or(12) as usize;
    Ok(Meta {
        docs,
        doc_shards,
        keys,
        max_key,
    })
}

/// The shard holding the terms that start with `tok`: the longest key that is a prefix of it.
fn shard_for(meta: &Meta, tok: &str) -> Option<usize> {
    let chars: Vec<char> = tok.chars().collect();
    (1..=chars.len().min(meta.max_key)).rev().find_map(|len| {
        meta.keys
            .get(&chars[..len].iter().collect::<String>())
            .copied()
    })
}

/// Decode postings: base-45 digits with a continuation range, `(delta << 3) | field`.
fn decode(s: &str, mut f: impl FnMut(usize, usize)) {
    let (mut doc, mut v, mut mul) = (0u64, 0u64, 1u64);
    for c in s.bytes() {
        let mut d = (c as u64).saturating_sub(35);
        if d > 57 {
            d -= 1;
        }
        if d >= 45 {
            v = v.saturating_add((d - 45).saturating_mul(mul));
            mul = mul.saturating_mul(45);
        } else {
            v = v.saturating_add(d.saturating_mul(mul));
            let code = v % 8;
            doc = doc.saturating_add(v / 8);
            f(doc as usize, code as usize);
            v = 0;
            mul = 1;
        }
    }
}

fn decode_docs(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut doc, mut v, mut mul) = (0u64, 0u64, 1u64);
    for c in s.bytes() {
        let mut d = (c as u64).saturating_sub(35);
        if d > 57 {
            d -= 1;
        }
        if d >= 45 {
            v = v.saturating_add((d - 45).saturating_mul(mul));
            mul = mul.saturating_mul(45);
        } else {
            doc = doc.saturating_add(v.saturating_add(d.saturating_mul(mul)));
            out.push(doc as usize);
            v = 0;
            mul = 1;
        }
    }
    out
}

/// Calls `f(postings, exact)` for every term of the shard equal to or starting with `tok`.
fn each_match(shard: &Value, tok: &str, mut f: impl FnMut(&str, bool)) {
    let split = shard.get("s").and_then(Value::as_bool).unwrap_or(false);
    let lines = shard.get("t").and_then(Value::as_str).unwrap_or("");
    let mut n = 0;
    for line in lines.split('\n') {
        let Some(tab) = line.find('\t').filter(|&t| t > 0) else {
            continue;
        };
        let (term, postings) = (&line[..tab], &line[tab + 1..]);
        if term == tok {
            f(postings, true);
        } else if !split && n < MAX_PREFIX_TERMS && term.starts_with(tok) {
            n += 1;
            f(postings, false);
        }
    }
    let key = shard.get("k").and_then(Value::as_str);
    let prefix = shard.get("p").and_then(Value::as_str).unwrap_or("");
    if split && key == Some(tok) && !prefix.is_empty() {
        f(prefix, false);
    }
}

/// Every document that matches any query word, best first (the order of `rank` in the JS):
/// exact name or id, then name prefix, then words matched (with a boost for all), then fields.
pub fn rank(site: &Site, q: &Query) -> Result<Vec<usize>, Error> {
    if q.tokens.is_empty() {
        return Ok(Vec::new());
    }
    let m = meta(site)?;
    let toks = &q.tokens;
    let mut wanted = toks.clone();
    if toks.len() > 1 && !q.joined.is_empty() {
        wanted.push(q.joined.clone());
    }
    let idx: Vec<Option<usize>> = wanted.iter().map(|t| shard_for(&m, t)).collect();
    let mut shards: HashMap<usize, Arc<Value>> = HashMap::new();
    for i in idx.iter().flatten() {
        if !shards.contains_key(i) {
            shards.insert(*i, site.script(&format!("search/t/{i}.js"))?);
        }
    }
    let n = m.docs;
    let mut sum = vec![0f64; n];
    let mut matched = vec![0u32; n];
    let mut flags = vec![0u8; n]; // 2: exact name or id, 1: name prefix
    let mut best = vec![0u32; n];
    let mut seen = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut visit = |tok_index: usize, whole: bool| {
        let Some(shard) = idx[tok_index].and_then(|i| shards.get(&i)) else {
            return;
        };
        let tok = &wanted[tok_index];
        let mut hits = Vec::new();
        each_match(shard, tok, |postings, exact| {
            decode(postings, |doc, code| {
                if doc >= n {
                    return;
                }
                if whole {
                    if code == 7 {
                        flags[doc] = flags[doc].max(if exact { 2 } else { 1 });
                        if !seen[doc] {
                            seen[doc] = true;
                            touched.push(doc);
                        }
                    }
                    if tok_index >= toks.len() {
                        return;
                    }
                }
                let score = WEIGHT[code] * if exact { 10 } else { 7 };
                if best[doc] == 0 {
                    hits.push(doc);
                }
                best[doc] = best[doc].max(score);
            });
        });
        for doc in hits {
            sum[doc] += best[doc] as f64;
            matched[doc] += 1;
            best[doc] = 0;
            if !seen[doc] {
                seen[doc] = true;
                touched.push(doc);
            }
        }
    };
    for t in 0..toks.len() {
        visit(t, toks.len() == 1);
    }
    if toks.len() > 1 && !q.joined.is_empty() {
        visit(toks.len(), true);
    }
    let all = toks.len() as u32;
    let score = |doc: usize| -> f64 {
        let f = flags[doc] as f64;
        f * 1e7 * if flags[doc] == 2 { 1.0 } else { 0.1 }
            + matched[doc] as f64 * 1e5
            + if matched[doc] == all { 5e4 } else { 0.0 }
            + sum[doc] * 10.0
    };
    let scores: Vec<f64> = touched.iter().map(|&d| score(d)).collect();
    let mut order: Vec<usize> = (0..touched.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .total_cmp(&scores[a])
            .then(touched[a].cmp(&touched[b]))
    });
    Ok(order.into_iter().map(|i| touched[i]).collect())
}

/// The documents of one value of the `kind` facet (`product`, `contract`, …).
pub fn kind_docs(site: &Site, kind: &str) -> Result<Option<Vec<usize>>, Error> {
    let facets = site.script("search/facets.js")?;
    let Some(k) = facets.get("kind") else {
        return Ok(None);
    };
    let values = k.get("values").and_then(Value::as_array);
    let docs = k.get("docs").and_then(Value::as_array);
    let (Some(values), Some(docs)) = (values, docs) else {
        return Ok(None);
    };
    Ok(values
        .iter()
        .position(|v| v.as_str() == Some(kind))
        .and_then(|i| docs.get(i)?.as_str())
        .map(decode_docs))
}

/// Most records read for one kind (a glossary of this many terms is read whole to find one).
const MAX_KIND_RECORDS: usize = 100_000;

/// Every record of one kind, in index order (the terms of a glossary, for example).
pub fn kind_records(site: &Site, kind: &str) -> Result<Vec<Hit>, Error> {
    let docs = kind_docs(site, kind)?.unwrap_or_default();
    records(site, &docs[..docs.len().min(MAX_KIND_RECORDS)])
}

/// The display records of `docs`, in that order.
pub fn records(site: &Site, docs: &[usize]) -> Result<Vec<Hit>, Error> {
    let m = meta(site)?;
    let mut out = Vec::with_capacity(docs.len());
    for &doc in docs {
        let shard = m
            .doc_shards
            .partition_point(|&start| start <= doc)
            .saturating_sub(1);
        let Some(&start) = m.doc_shards.get(shard) else {
            continue;
        };
        let data = site.script(&format!("search/d/{shard}.js"))?;
        let Some(r) = data.get(doc - start).and_then(Value::as_array) else {
            continue;
        };
        let field = |i: usize| r.get(i).and_then(Value::as_str).unwrap_or("").to_string();
        out.push(Hit {
            kind: kind_name(&field(0)),
            title: field(1),
            id: field(2),
            path: field(3),
            facts: field(4),
            summary: field(5),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_bounded_and_hostile_text_is_only_separators() {
        let q = Query::parse(&"x".repeat(5_000_000));
        assert_eq!(q.tokens, vec!["x".repeat(MAX_TOKEN)]);
        let q = Query::parse(".*+?[](){}^$|\\ \u{0}\u{1b}[31m orders");
        assert_eq!(q.tokens, vec!["31m", "orders"]);
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(Query::parse(&many).tokens.len(), MAX_QUERY_TOKENS);
        assert!(Query::parse("  \t\n").tokens.is_empty());
    }

    #[test]
    fn postings_decode_as_the_js_does() {
        // doc 0 field 7, doc 3 field 1 (delta 3): values 7 and 25.
        let mut got = Vec::new();
        decode("*<", |d, c| got.push((d, c)));
        assert_eq!(got, vec![(0, 7), (3, 1)]);
        // Garbage never panics.
        decode("\u{0}~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~", |_, _| {});
        assert_eq!(decode_docs("#$"), vec![0, 1]);
    }

    #[test]
    fn index_files_give_their_data() {
        let v = payload(b"meshdocSearch.load(\"t3\",{\"k\":\"or\",\"s\":false});\n").unwrap();
        assert_eq!(v["k"], "or");
        assert!(payload(b"<html>").is_none());
        assert!(payload(b"meshdocSearch.load(\"x\",{oops});").is_none());
    }
}
