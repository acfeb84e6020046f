//! Deeper lineage views (2 hops, 3 hops, full chains), drawn in the browser by
//! `static/lineage.js` rather than written as static pages per product (at 10,000 products those
//! were 22,000 pages and more than half a gigabyte).
//!
//! Data, as scripts that call `meshdocLineage.load(name, data)` so that they load from `file://`
//! as well as from any server sub-path (the same trick as the search index):
//!
//! - `lineage/graph.js`: the whole graph's edges, one list of downstream node numbers per node.
//!   One file rather than a file per product: a product's full chains can reach most of a dense
//!   mesh, so neighbourhood files would repeat the graph once per product (quadratic), while the
//!   edge lists are a few bytes per link (about 0.3 MB at 10,000 products) and are cached by the
//!   browser across every product page.
//! - `lineage/n/<k>.js`: display records (name, page, colour class, sublabel) of
//!   [`NODE_SHARD`] consecutive nodes; the browser loads only the shards of the nodes it draws.
//!
//! Without JavaScript the product page lists the products 2 and 3 hops away ([`fallback`]),
//! bounded in size.

use std::collections::HashMap;

use serde_json::{json, Value};

use catalog::lineage::{Lineage, NodeKind};
use catalog::Catalog;

use super::lineage_pages::{domain_class, node_sublabel, node_url, MAX_NODES, WIDE_LIMIT};
use super::registry::{Named, Read};

/// Nodes per display-record file.
pub const NODE_SHARD: usize = 256;
/// Hops listed without JavaScript (one hop is on the page already).
const FALLBACK_HOPS: usize = 3;
/// Nodes listed per direction without JavaScript; the rest are counted.
pub const FALLBACK_PER_SIDE: usize = 12;
/// A walk for the no-script list stops counting past this many nodes per direction, so that a
/// hub in a dense mesh costs no more than any other product.
const REACH_CAP: usize = 2000;

pub const GRAPH_PATH: &str = "lineage/graph.js";

pub fn shard_count(lineage: &Lineage) -> usize {
    lineage.nodes.len().div_ceil(NODE_SHARD)
}

pub fn shard_path(k: usize) -> String {
    format!("lineage/n/{k}.js")
}

fn script(name: &str, data: &Value) -> Vec<u8> {
    format!("meshdocLineage.load({name:?},{data});\n").into_bytes()
}

/// `lineage/graph.js`: node count, drawing limits and every node's downstream neighbours.
pub fn graph_file(catalog: &Catalog) -> Vec<u8> {
    let lineage = &catalog.lineage;
    script(
        "graph",
        &json!({
            "v": 1,
            "nodes": lineage.nodes.len(),
            "shard": NODE_SHARD,
            "maxNodes": MAX_NODES,
            "perLayer": WIDE_LIMIT,
            "down": lineage.downstream,
        }),
    )
}

/// `lineage/n/<k>.js`: `[name, url or "", class, sublabel]` per node of the shard.
pub fn shard_file(catalog: &Catalog, k: usize) -> Vec<u8> {
    let lineage = &catalog.lineage;
    let records: Vec<Value> = shard_range(lineage, k)
        .map(|v| {
            let node = &lineage.nodes[v];
            json!([
                node.name,
                node_url(catalog, node).unwrap_or_default(),
                node_class(catalog, v),
                node_sublabel(catalog, node),
            ])
        })
        .collect();
    script(&format!("n{k}"), &Value::Array(records))
}

fn shard_range(lineage: &Lineage, k: usize) -> std::ops::Range<usize> {
    let start = (k * NODE_SHARD).min(lineage.nodes.len());
    start..((k + 1) * NODE_SHARD).min(lineage.nodes.len())
}

/// What a node shard reads: the graph's names, and the products, contracts and domains named.
pub fn shard_reads<'a>(catalog: &'a Catalog, k: usize, reads: &mut crate::registry::Reads<'_, 'a>) {
    let lineage = &catalog.lineage;
    reads.insert(Read::Lineage);
    for v in shard_range(lineage, k) {
        let node = &lineage.nodes[v];
        if let Some(p) = node.product {
            reads.insert(Read::Product(p));
        }
        if let Some(c) = node.contract {
            reads.insert(Read::Contract(c));
        }
        reads.named(Named::Domain, node.domain.as_deref());
    }
}

fn node_class(catalog: &Catalog, v: usize) -> String {
    let node = &catalog.lineage.nodes[v];
    match node.kind {
        NodeKind::Product => domain_class(catalog, node.domain.as_deref()),
        NodeKind::Contract => "ext orphan".into(),
        NodeKind::System => "sys".into(),
        NodeKind::External => "ext".into(),
    }
}

/// Nodes within `FALLBACK_HOPS` of `start` in one direction, with their distance, nearest first;
/// stops past [`REACH_CAP`] (the second value says whether it stopped).
fn walk(adj: &[Vec<usize>], start: usize) -> (Vec<(usize, usize)>, bool) {
    // foldhash, not SipHash: every product page walks, and hashing node numbers showed in its
    // profile.
    let mut seen: HashMap<usize, usize, foldhash::fast::FixedState> = HashMap::default();
    seen.insert(start, 0);
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut frontier = vec![start];
    for depth in 1..=FALLBACK_HOPS {
        let mut next = Vec::new();
        for v in frontier {
            for &w in &adj[v] {
                if seen.contains_key(&w) {
                    continue;
                }
                if order.len() >= REACH_CAP {
                    return (order, true);
                }
                seen.insert(w, depth);
                order.push((w, depth));
                next.push(w);
            }
        }
        frontier = next;
    }
    (order, false)
}

/// The product page's deeper-lineage block: the node number the browser starts from, and for
/// readers without JavaScript the nodes 2 and 3 hops away, nearest first and by name, at most
/// [`FALLBACK_PER_SIDE`] per direction. None when nothing lies beyond one hop.
pub struct Fallback {
    pub node: usize,
    pub sides: Vec<FallbackSide>,
}

/// One direction of [`Fallback`].
pub struct FallbackSide {
    pub direction: &'static str,
    /// Nodes within reach that are not listed.
    pub more: usize,
    /// Whether the walk stopped at [`REACH_CAP`].
    pub capped: bool,
    /// (hops, nodes at that distance), nearest first.
    pub groups: Vec<(usize, Vec<FallbackNode>)>,
}

pub struct FallbackNode {
    pub name: String,
    pub url: Option<String>,
    pub class: String,
}

/// [`Fallback`] of product `pi`.
pub fn fallback_view(catalog: &Catalog, pi: usize) -> Option<Fallback> {
    let lineage = &catalog.lineage;
    let mut sides = Vec::new();
    let mut beyond = false;
    for (adj, direction) in [
        (&lineage.upstream, "upstream"),
        (&lineage.downstream, "downstream"),
    ] {
        let (reached, capped) = walk(adj, pi);
        let mut far: Vec<(usize, &str, usize)> = reached
            .iter()
            .filter(|&&(_, d)| d > 1)
            .map(|&(v, d)| (d, lineage.nodes[v].name.as_str(), v))
            .collect();
        beyond |= !far.is_empty();
        // Only the first FALLBACK_PER_SIDE are listed: those picked out of up to REACH_CAP
        // (in linear time) and sorted, not the whole reach sorted by name.
        if far.len() > FALLBACK_PER_SIDE {
            far.select_nth_unstable(FALLBACK_PER_SIDE);
        }
        let listed = far.len().min(FALLBACK_PER_SIDE);
        far[..listed].sort_unstable();
        // One list per distance (the list says "2 hops" once, not each of its items).
        let mut groups: Vec<(usize, Vec<FallbackNode>)> = Vec::new();
        for &(d, name, v) in far.iter().take(FALLBACK_PER_SIDE) {
            if groups.last().is_none_or(|g| g.0 != d) {
                groups.push((d, Vec::new()));
            }
            if let Some(group) = groups.last_mut() {
                group.1.push(FallbackNode {
                    name: name.to_string(),
                    url: node_url(catalog, &lineage.nodes[v]),
                    class: node_class(catalog, v),
                });
            }
        }
        sides.push(FallbackSide {
            direction,
            more: far.len().saturating_sub(FALLBACK_PER_SIDE),
            capped,
            groups,
        });
    }
    beyond.then_some(Fallback { node: pi, sides })
}

/// [`fallback_view`] as the template's value (`lineage.deeper`); null when there is none.
pub fn fallback(catalog: &Catalog, pi: usize) -> Value {
    fallback_view(catalog, pi).map_or(Value::Null, |f| f.to_json())
}

impl Fallback {
    pub fn to_json(&self) -> Value {
        let sides: Vec<Value> = self
            .sides
            .iter()
            .map(|s| {
                let groups: Vec<Value> = s
                    .groups
                    .iter()
                    .map(|(hops, nodes)| {
                        let nodes: Vec<Value> = nodes
                            .iter()
                            .map(|n| json!({ "name": n.name, "url": n.url, "class": n.class }))
                            .collect();
                        crate::context::with(json!({ "hops": hops }), [("nodes", nodes.into())])
                    })
                    .collect();
                let side = json!({
                    "direction": s.direction,
                    "more": s.more,
                    "capped": s.capped,
                });
                crate::context::with(side, [("groups", groups.into())])
            })
            .collect();
        crate::context::with(json!({ "node": self.node }), [("sides", sides.into())])
    }
}
