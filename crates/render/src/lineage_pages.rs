//! Lineage on the site: the diagrams and lists of the product, domain, contract and `lineage/`
//! pages, and the `lineage` block of catalog.json. (Deeper product views are drawn in the browser:
//! see `lineage_explore`.)

use crate::views::CatalogRefs;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use catalog::lineage::{ColumnEnd, Lineage, Node, NodeKind};
use catalog::Catalog;

use super::lineage_explore;
use super::lineage_svg::{self, DEdge, DNode, Diagram};
use super::views;

/// Nodes per side (layer) before the rest collapse into "+N more".
pub const SIDE_LIMIT: usize = 12;
/// The same for the bigger views (deeper hops, domains, the mesh).
pub const WIDE_LIMIT: usize = 30;
/// Nodes in one diagram at most; the farthest beyond collapse into "+N more" per side.
pub const MAX_NODES: usize = 120;
/// Domain-to-domain arrows drawn on `lineage/`, and rows of its table of domain links.
const MESH_EDGES: usize = 150;
const LINK_ROWS: usize = 200;
/// Direct neighbours listed per side on a product page, with their declarations.
pub const NEIGHBOUR_ROWS: usize = 50;
/// Domain colours cycle through this many hues (see style.css `.lg .dN`).
const PALETTE: usize = 12;

pub(crate) fn domain_class(catalog: &Catalog, domain: Option<&str>) -> String {
    match domain.and_then(|d| catalog.domain_by_id.get(d)) {
        Some(i) => format!("d{}", i % PALETTE),
        None => "dn".into(),
    }
}

fn domain_name(catalog: &Catalog, domain: Option<&str>) -> Option<String> {
    domain.map(|d| catalog.domain(d).map_or(d.to_string(), |x| x.name.clone()))
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "contract" => "input port (contract)",
        "inputContracts" => "output port inputContracts",
        "dataProduct" => "input port (product)",
        "sourceSystem" => "source system",
        "agreement" => "data usage agreement",
        "transformSourceObjects" | "inputFields" => "column lineage",
        _ => "link",
    }
}

/// Where a node's page is (relative to the site root), if it has one.
pub(crate) fn node_url(catalog: &Catalog, node: &Node) -> Option<String> {
    if let Some(p) = node.product {
        return Some(views::product_url(&catalog.products[p].slug));
    }
    node.contract
        .map(|c| views::contract_url(&catalog.contracts[c].slug))
}

pub(crate) fn node_sublabel(catalog: &Catalog, node: &Node) -> String {
    match node.kind {
        NodeKind::Product => {
            domain_name(catalog, node.domain.as_deref()).unwrap_or_else(|| "no domain".into())
        }
        NodeKind::Contract => "contract, no provider".into(),
        NodeKind::System => "source system".into(),
        NodeKind::External => match node.id.split_once(':').map(|x| x.0) {
            Some("system") => "external system".into(),
            Some("dataset") => "external dataset".into(),
            Some(what) => format!("{what} not found"),
            None => "not found".into(),
        },
    }
}

/// What a node's box does not show (its name and sublabel are on it and in its accessible name):
/// a product's id and owner; nothing for other nodes. The diagram adds a truncated name.
fn node_tooltip(catalog: &Catalog, node: &Node) -> String {
    match node.kind {
        NodeKind::Product => {
            let mut t = format!("data product {}", node.id);
            if let Some(o) = node
                .product
                .and_then(|p| catalog.products[p].owner.as_deref())
            {
                let name = catalog.team(o).map_or(o, |t| t.name.as_str());
                t.push_str(&format!(", owned by {name}"));
            }
            t
        }
        _ => String::new(),
    }
}

fn diagram_node(catalog: &Catalog, lineage: &Lineage, v: usize, root: &str) -> DNode {
    let node = &lineage.nodes[v];
    let class = match node.kind {
        NodeKind::Product => domain_class(catalog, node.domain.as_deref()),
        NodeKind::Contract => "ext orphan".into(),
        NodeKind::System => "sys".into(),
        NodeKind::External => "ext".into(),
    };
    DNode {
        key: node.id.clone(),
        label: node.name.clone(),
        sublabel: Some(node_sublabel(catalog, node)),
        tooltip: node_tooltip(catalog, node),
        href: node_url(catalog, node).map(|u| format!("{root}{u}")),
        class,
        focus: false,
        weight: (lineage.downstream[v].len() + lineage.upstream[v].len()) as i64,
        rank: 0,
        pin: 0,
    }
}

/// A neighbourhood diagram: `members` (node, signed distance) and every edge among them.
fn neighbourhood_diagram(
    catalog: &Catalog,
    focus: usize,
    all_members: &[(usize, i64)],
    limit: usize,
    max_nodes: usize,
    root: &str,
    id: &str,
) -> String {
    let lineage = &catalog.lineage;
    // Past max_nodes, the farthest nodes collapse into one "+N more" node per side.
    let mut members: Vec<(usize, i64)> = all_members.to_vec();
    let mut hidden: Vec<(usize, i64)> = Vec::new();
    if members.len() > max_nodes {
        // Select the nearest max_nodes in linear time; a full sort by name costs too much on
        // dense meshes, where every product page holds most of the graph.
        members.select_nth_unstable_by(max_nodes, |a, b| {
            (a.1.abs(), &lineage.nodes[a.0].id).cmp(&(b.1.abs(), &lineage.nodes[b.0].id))
        });
        hidden = members.split_off(max_nodes);
        hidden.sort_unstable();
        members.sort_unstable();
    }
    let index: BTreeMap<usize, usize> = members
        .iter()
        .enumerate()
        .map(|(i, &(v, _))| (v, i))
        .collect();
    let mut nodes: Vec<DNode> = members
        .iter()
        .map(|&(v, dist)| {
            let mut n = diagram_node(catalog, lineage, v, root);
            n.focus = v == focus;
            n.rank = dist;
            n
        })
        .collect();
    let mut edges = Vec::new();
    // Only the focus's own links: links among its neighbours (a chain of consumers, say) would
    // lay out as that many columns.
    for &(v, _) in &members {
        for w in &lineage.downstream[v] {
            if v != focus && *w != focus {
                continue;
            }
            if let Some(&to) = index.get(w) {
                edges.push(DEdge {
                    from: index[&v],
                    to,
                    label: None,
                });
            }
        }
    }
    more_nodes(lineage, &hidden, &index, &mut nodes, &mut edges);
    let name = &lineage.nodes[focus].name;
    lineage_svg::render(&Diagram {
        id: id.into(),
        label: format!(
            "Lineage diagram of {name}: {} connected nodes; sources on the left, consumers on the right",
            all_members.len().saturating_sub(1)
        ),
        nodes,
        edges,
        max_per_layer: limit,
        more_href: Some("#lineage-lists".into()),
    })
}

/// One "+N more" node per side for the `hidden` members, linked where they were.
fn more_nodes(
    lineage: &Lineage,
    hidden: &[(usize, i64)],
    index: &BTreeMap<usize, usize>,
    nodes: &mut Vec<DNode>,
    edges: &mut Vec<DEdge>,
) {
    for (upstream, word) in [(true, "upstream"), (false, "downstream")] {
        let side: Vec<usize> = hidden
            .iter()
            .filter(|(_, d)| (*d < 0) == upstream)
            .map(|&(v, _)| v)
            .collect();
        if side.is_empty() {
            continue;
        }
        let agg = nodes.len();
        nodes.push(DNode {
            key: format!("~more-{word}"),
            label: format!("+{} more {word}", side.len()),
            sublabel: Some("see the full list".into()),
            tooltip: format!(
                "{} more {word} nodes, farther away; all are in the list below",
                side.len()
            ),
            href: Some("#lineage-lists".into()),
            class: "more".into(),
            rank: if upstream { i64::MIN } else { i64::MAX },
            pin: if upstream { -1 } else { 1 },
            ..DNode::default()
        });
        for &h in &side {
            let (neighbours, outward) = if upstream {
                (&lineage.downstream[h], true)
            } else {
                (&lineage.upstream[h], false)
            };
            for w in neighbours {
                if let Some(&k) = index.get(w) {
                    let (from, to) = if outward { (agg, k) } else { (k, agg) };
                    edges.push(DEdge {
                        from,
                        to,
                        label: None,
                    });
                }
            }
        }
    }
}

/// The domains drawn in a diagram, for its legend.
fn legend(catalog: &Catalog, domains: impl Iterator<Item = Option<String>>) -> Vec<Value> {
    let set: BTreeSet<Option<String>> = domains.collect();
    set.into_iter()
        .map(|d| {
            json!({
                "class": domain_class(catalog, d.as_deref()),
                "ref": catalog.domain_ref(d.as_deref()),
            })
        })
        .collect()
}

fn node_ref(catalog: &Catalog, node: &Node) -> Value {
    json!({
        "id": node.id,
        "name": node.name,
        "url": node_url(catalog, node),
        "kind": node_sublabel(catalog, node),
    })
}

/// One neighbour in the plain list beside a product's diagram: the node and the declarations
/// that link it to the focus.
pub struct NeighbourRow<'a> {
    pub node: &'a Node,
    pub url: Option<String>,
    /// What kind of node it is (`node_sublabel`), shown where it has no page.
    pub kind: String,
    pub domain: Option<views::Ref>,
    pub class: String,
    /// (kind of link, `source/file:line`, declaring field) per declaration.
    pub via: Vec<(&'static str, String, &'a str)>,
}

fn neighbour_row(catalog: &Catalog, from: usize, to: usize, other: usize) -> NeighbourRow<'_> {
    let lineage = &catalog.lineage;
    let node = &lineage.nodes[other];
    let start = lineage.edges.partition_point(|e| e.from < from);
    let via = lineage.edges[start..]
        .iter()
        .take_while(|e| e.from == from)
        .filter(|e| e.to == to)
        .map(|e| {
            (
                kind_label(e.kind),
                format!(
                    "{}/{}:{}",
                    e.evidence.source, e.evidence.file, e.evidence.line
                ),
                e.evidence.field.as_str(),
            )
        })
        .collect();
    NeighbourRow {
        node,
        url: node_url(catalog, node),
        kind: node_sublabel(catalog, node),
        domain: catalog.domain_ref(node.domain.as_deref()),
        class: domain_class(catalog, node.domain.as_deref()),
        via,
    }
}

impl NeighbourRow<'_> {
    fn to_json(&self) -> Value {
        let via: Vec<Value> = self
            .via
            .iter()
            .map(|(kind, evidence, field)| {
                json!({ "kind": kind, "evidence": evidence, "field": field })
            })
            .collect();
        let row = json!({
            "node": {
                "id": self.node.id,
                "name": self.node.name,
                "url": self.url,
                "kind": self.kind,
            },
            "domain": self.domain,
            "class": self.class,
        });
        crate::context::with(row, [("via", via.into())])
    }
}

/// Everything [`product`] reads from the graph, written out for the incremental build's
/// neighbourhood hash (`Read::Neighbourhood`): the focus's direct neighbours as drawn (names,
/// links, domains, owners, degrees) and the links to them, its impact counts, its cycle and the
/// nodes of the deeper no-script list. A change elsewhere in the graph leaves it equal, so the
/// page is not rendered again. Indices are written as the ids they stand for (they move when
/// an entity is added before them).
pub fn product_inputs(catalog: &Catalog, pi: usize, out: &mut impl std::fmt::Write) {
    let lineage = &catalog.lineage;
    let node = |out: &mut dyn std::fmt::Write, v: usize| {
        let n = &lineage.nodes[v];
        let _ = write!(
            out,
            "{:?}|{:?}|{}|{:?}|{:?}|{}|{}|{}|{}|{}\u{0}",
            n.id,
            n.kind,
            n.name,
            n.domain,
            node_url(catalog, n),
            node_sublabel(catalog, n),
            node_tooltip(catalog, n),
            domain_class(catalog, n.domain.as_deref()),
            lineage.downstream[v].len(),
            lineage.upstream[v].len(),
        );
    };
    node(out, pi);
    for (side, list) in [
        ("up", &lineage.upstream[pi]),
        ("down", &lineage.downstream[pi]),
    ] {
        let _ = write!(out, "{side}:{}\u{0}", list.len());
        for &v in list {
            node(out, v);
            let (from, to) = if side == "up" { (v, pi) } else { (pi, v) };
            let start = lineage.edges.partition_point(|e| e.from < from);
            for e in lineage.edges[start..]
                .iter()
                .take_while(|e| e.from == from)
                .filter(|e| e.to == to)
            {
                let _ = write!(out, "{:?}|{:?}\u{0}", e.kind, e.evidence);
            }
        }
    }
    let _ = write!(out, "{:?}\u{0}", lineage.impact(pi));
    if let Some(cycle) = lineage.cycles.iter().find(|g| g.binary_search(&pi).is_ok()) {
        for &v in cycle {
            let _ = write!(out, "{}\u{0}", lineage.nodes[v].name);
        }
    }
    let _ = write!(out, "{}\u{0}", lineage_explore::fallback(catalog, pi));
}

/// The `lineage` block of a product page: one hop drawn, the deeper views left to the browser.
pub struct ProductLineage<'a> {
    pub upstream_count: usize,
    pub downstream_count: usize,
    /// Products and domains that depend on it, directly or not.
    pub impact: (usize, usize),
    /// The names of the lineage cycle it is part of.
    pub cycle: Vec<String>,
    pub node_count: usize,
    /// The one-hop diagram (escaped SVG).
    pub svg: String,
    /// (colour class, domain) of each domain drawn.
    pub legend: Vec<(String, Option<views::Ref>)>,
    pub upstream: Vec<NeighbourRow<'a>>,
    pub downstream: Vec<NeighbourRow<'a>>,
    pub deeper: Option<lineage_explore::Fallback>,
}

/// [`ProductLineage`] of product `pi` (links relative to `root`).
pub fn product_view<'a>(catalog: &'a Catalog, pi: usize, root: &str) -> ProductLineage<'a> {
    let lineage = &catalog.lineage;
    // One hop without a walk of the graph: the focus and its direct neighbours.
    let mut members: Vec<(usize, i64)> = vec![(pi, 0)];
    members.extend(lineage.upstream[pi].iter().map(|&u| (u, -1)));
    members.extend(lineage.downstream[pi].iter().map(|&d| (d, 1)));
    members.sort_unstable_by_key(|&(v, d)| (v, d.abs()));
    members.dedup_by_key(|m| m.0);
    let svg = neighbourhood_diagram(catalog, pi, &members, SIDE_LIMIT, usize::MAX, root, "lg");
    // The lists beside the picture name each link's declarations; a hub's hundreds of consumers
    // are counted past NEIGHBOUR_ROWS (the in-browser view lists them all).
    let upstream = lineage.upstream[pi]
        .iter()
        .take(NEIGHBOUR_ROWS)
        .map(|&u| neighbour_row(catalog, u, pi, u))
        .collect();
    let downstream = lineage.downstream[pi]
        .iter()
        .take(NEIGHBOUR_ROWS)
        .map(|&d| neighbour_row(catalog, pi, d, d))
        .collect();
    let cycle: Vec<String> = lineage
        .cycles
        .iter()
        .find(|g| g.binary_search(&pi).is_ok())
        .map(|g| g.iter().map(|&v| lineage.nodes[v].name.clone()).collect())
        .unwrap_or_default();
    let domains: BTreeSet<Option<&str>> = members
        .iter()
        .filter(|(v, _)| lineage.nodes[*v].kind == NodeKind::Product)
        .map(|(v, _)| lineage.nodes[*v].domain.as_deref())
        .collect();
    let legend = domains
        .into_iter()
        .map(|d| (domain_class(catalog, d), catalog.domain_ref(d)))
        .collect();
    ProductLineage {
        upstream_count: lineage.upstream[pi].len(),
        downstream_count: lineage.downstream[pi].len(),
        impact: lineage.impact(pi),
        cycle,
        node_count: members.len(),
        svg,
        legend,
        upstream,
        downstream,
        deeper: lineage_explore::fallback_view(catalog, pi),
    }
}

/// The `lineage` block of a product page as the template's value.
pub fn product(catalog: &Catalog, pi: usize, root: &str) -> Value {
    product_view(catalog, pi, root).to_json()
}

impl ProductLineage<'_> {
    pub fn to_json(self) -> Value {
        let rows = |rows: &[NeighbourRow]| -> Value {
            rows.iter()
                .map(NeighbourRow::to_json)
                .collect::<Vec<_>>()
                .into()
        };
        let legend: Vec<Value> = self
            .legend
            .iter()
            .map(|(class, r)| json!({ "class": class, "ref": r }))
            .collect();
        let v = json!({
            "upstream_count": self.upstream_count,
            "downstream_count": self.downstream_count,
            "impact": { "products": self.impact.0, "domains": self.impact.1 },
            "cycle": self.cycle,
            "node_count": self.node_count,
        });
        crate::context::with(
            v,
            [
                ("svg", self.svg.into()),
                ("legend", legend.into()),
                ("upstream", rows(&self.upstream)),
                ("downstream", rows(&self.downstream)),
                (
                    "deeper",
                    self.deeper.as_ref().map_or(Value::Null, |f| f.to_json()),
                ),
            ],
        )
    }
}

/// What a neighbour of a domain's products is drawn as: its domain (or "no domain"), or itself
/// when outside the mesh. Returns key, label, class and page URL.
fn side_of(catalog: &Catalog, other: &Node) -> (String, String, String, Option<String>) {
    match (&other.domain, other.kind) {
        (Some(od), NodeKind::Product) => (
            format!("domain:{od}"),
            domain_name(catalog, Some(od)).unwrap_or_else(|| od.clone()),
            domain_class(catalog, Some(od)),
            catalog.domain_ref(Some(od)).and_then(|r| r.url),
        ),
        (None, NodeKind::Product) => ("domain:".into(), "No domain".into(), "dn".into(), None),
        _ => (
            format!("node:{}", other.id),
            other.name.clone(),
            if other.kind == NodeKind::System {
                "sys"
            } else {
                "ext"
            }
            .into(),
            node_url(catalog, other),
        ),
    }
}

/// The aggregate node of one side of a domain diagram.
fn side_node(
    downstream: bool,
    key: &str,
    label: String,
    class: &str,
    href: Option<String>,
    root: &str,
) -> DNode {
    DNode {
        key: format!("{}{key}", if downstream { "z" } else { "a" }),
        label: label.clone(),
        sublabel: Some(
            if downstream {
                "reads from this domain"
            } else {
                "feeds this domain"
            }
            .into(),
        ),
        tooltip: format!(
            "{label}: {}",
            if downstream {
                "reads from products of this domain"
            } else {
                "provides data to products of this domain"
            }
        ),
        href: href.map(|h| format!("{root}{h}")),
        class: format!("{class} agg"),
        rank: if downstream { 1 } else { -1 },
        pin: if downstream { 1 } else { -1 },
        ..DNode::default()
    }
}

/// Domain page: its products, and the other domains they read from and feed, one node each side.
pub fn domain(catalog: &Catalog, di: usize, root: &str) -> Value {
    let lineage = &catalog.lineage;
    let d = &catalog.domains[di];
    let mine = &catalog.domain_products[di];
    let mut nodes: Vec<DNode> = Vec::new();
    let mut index: BTreeMap<usize, usize> = BTreeMap::new();
    // A big domain draws its most connected products; the rest share one "+N more" box (its
    // list is the page's table). Links inside a big domain are left out: a long chain of them
    // would lay out as that many columns.
    let mut drawn: Vec<usize> = mine.clone();
    if drawn.len() > MAX_NODES {
        let degree = |pi: usize| lineage.upstream[pi].len() + lineage.downstream[pi].len();
        drawn.select_nth_unstable_by_key(MAX_NODES, |&pi| (std::cmp::Reverse(degree(pi)), pi));
        drawn.truncate(MAX_NODES);
        drawn.sort_unstable();
    }
    let inside_links = mine.len() <= WIDE_LIMIT;
    for &pi in &drawn {
        index.insert(pi, nodes.len());
        nodes.push(diagram_node(catalog, lineage, pi, root));
    }
    let rest = mine.len() - drawn.len();
    if rest > 0 {
        let more = nodes.len();
        nodes.push(DNode {
            key: "~more".into(),
            label: format!("+{rest} more products"),
            sublabel: Some("see the list".into()),
            tooltip: format!("{rest} more data products of this domain, listed on this page"),
            href: Some("#products".into()),
            class: "more".into(),
            ..DNode::default()
        });
        for &pi in mine {
            index.entry(pi).or_insert(more);
        }
    }
    // Other domains (or external things) as one node per side; edges carry product-link counts.
    let mut sides: BTreeMap<(bool, String), usize> = BTreeMap::new();
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut side = |nodes: &mut Vec<DNode>, downstream: bool, other: &Node| -> usize {
        let (key, label, class, href) = side_of(catalog, other);
        *sides.entry((downstream, key.clone())).or_insert_with(|| {
            nodes.push(side_node(downstream, &key, label, &class, href, root));
            nodes.len() - 1
        })
    };
    for &pi in mine {
        for &u in &lineage.upstream[pi] {
            let from = match index.get(&u) {
                Some(_) if !inside_links => continue,
                Some(&i) => i,
                None => side(&mut nodes, false, &lineage.nodes[u]),
            };
            if from != index[&pi] {
                *counts.entry((from, index[&pi])).or_default() += 1;
            }
        }
        for &w in &lineage.downstream[pi] {
            if index.contains_key(&w) {
                continue; // inside the domain: counted from the other end
            }
            let to = side(&mut nodes, true, &lineage.nodes[w]);
            *counts.entry((index[&pi], to)).or_default() += 1;
        }
    }
    let edges: Vec<DEdge> = counts
        .iter()
        .map(|(&(from, to), &n)| DEdge {
            from,
            to,
            label: (n > 1).then(|| n.to_string()),
        })
        .collect();
    let svg = lineage_svg::render(&Diagram {
        id: "lg".into(),
        label: format!(
            "Lineage of the {} domain: its {} data products, the domains they read from (left) and the domains that read from them (right)",
            d.name,
            mine.len()
        ),
        nodes,
        edges,
        max_per_layer: WIDE_LIMIT,
        more_href: Some("#products".into()),
    });
    json!({
        "svg": svg,
        "legend": legend(catalog, mine.iter().map(|&pi| catalog.products[pi].domain.clone())
            .chain(sides.keys().filter_map(|(_, k)| k.strip_prefix("domain:").map(|d| (!d.is_empty()).then(|| d.to_string()))))),
    })
}

/// The bucket of nodes outside the mesh (systems, unresolved references).
const OUTSIDE: &str = "\u{1}external";

/// Product-to-product links counted per pair of domains (`""` = no domain, [`OUTSIDE`]), and
/// within each domain.
type DomainLinks = (BTreeMap<(String, String), usize>, BTreeMap<String, usize>);

fn domain_links(lineage: &Lineage) -> DomainLinks {
    // Domain of a node: its domain, or a bucket for nodes without one.
    let bucket = |v: usize| -> String {
        let n = &lineage.nodes[v];
        match (n.kind, &n.domain) {
            (NodeKind::Product, Some(d)) => d.clone(),
            (NodeKind::Product, None) => String::new(),
            _ => OUTSIDE.into(),
        }
    };
    let mut pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut inside: BTreeMap<String, usize> = BTreeMap::new();
    for (v, outs) in lineage.downstream.iter().enumerate() {
        for &w in outs {
            let (a, b) = (bucket(v), bucket(w));
            if a == b {
                *inside.entry(a).or_default() += 1;
            } else {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    (pairs, inside)
}

fn bucket_label(catalog: &Catalog, k: &str) -> String {
    match k {
        "" => "No domain".into(),
        OUTSIDE => "Outside the mesh".into(),
        d => domain_name(catalog, Some(d)).unwrap_or_default(),
    }
}

/// One node per domain (and for products without one).
fn mesh_node(catalog: &Catalog, k: &str, inside: &BTreeMap<String, usize>, root: &str) -> DNode {
    let products = catalog
        .domain_by_id
        .get(k)
        .map_or(0, |&i| catalog.domain_products[i].len());
    let (class, sub, href) = match k {
        "" => (
            "dn".to_string(),
            "products without a domain".to_string(),
            None,
        ),
        OUTSIDE => (
            "ext".to_string(),
            "systems and unresolved references".to_string(),
            None,
        ),
        d => (
            domain_class(catalog, Some(d)),
            format!(
                "{products} product{}, {} internal link{}",
                if products == 1 { "" } else { "s" },
                inside.get(d).copied().unwrap_or(0),
                if inside.get(d).copied().unwrap_or(0) == 1 {
                    ""
                } else {
                    "s"
                }
            ),
            catalog.domain_ref(Some(d)).and_then(|r| r.url),
        ),
    };
    DNode {
        key: k.to_string(),
        label: bucket_label(catalog, k),
        tooltip: format!("{}: {sub}", bucket_label(catalog, k)),
        sublabel: Some(sub),
        href: href.map(|h| format!("{root}{h}")),
        class,
        weight: products as i64,
        ..DNode::default()
    }
}

/// The mesh diagram: a node per domain, an arrow per pair of linked domains.
fn mesh_svg(catalog: &Catalog, (pairs, inside): &DomainLinks, root: &str) -> String {
    let mut keys: BTreeSet<String> = catalog.domains.iter().map(|d| d.id.clone()).collect();
    for (a, b) in pairs.keys() {
        keys.insert(a.clone());
        keys.insert(b.clone());
    }
    // Sources outside the mesh are listed below the diagram, not drawn: they would pull long
    // edges across every layer.
    keys.remove(OUTSIDE);
    let keys: Vec<String> = keys.into_iter().collect();
    let pos: BTreeMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let nodes: Vec<DNode> = keys
        .iter()
        .map(|k| mesh_node(catalog, k, inside, root))
        .collect();
    // A mesh where every domain reads from every other draws its strongest MESH_EDGES links
    // (the table below lists them all): thousands of labelled arrows make a megabyte of SVG
    // that no one can read.
    let mut strongest: Vec<(&(String, String), &usize)> = pairs
        .iter()
        .filter(|((a, b), _)| a != OUTSIDE && b != OUTSIDE)
        .collect();
    if strongest.len() > MESH_EDGES {
        strongest.select_nth_unstable_by_key(MESH_EDGES, |(k, &n)| (std::cmp::Reverse(n), *k));
        strongest.truncate(MESH_EDGES);
        strongest.sort_unstable();
    }
    let edges: Vec<DEdge> = strongest
        .into_iter()
        .map(|((a, b), &n)| DEdge {
            from: pos[a.as_str()],
            to: pos[b.as_str()],
            label: Some(n.to_string()),
        })
        .collect();
    lineage_svg::render(&Diagram {
        id: "lg".into(),
        label: format!(
            "The mesh by domain: {} domains, {} cross-domain links; each arrow is labelled with the number of product-to-product links it carries",
            catalog.domains.len(),
            pairs.len()
        ),
        nodes,
        edges,
        max_per_layer: WIDE_LIMIT,
        more_href: Some("#domain-links".into()),
    })
}

/// Things outside the mesh listed on `lineage/`, and consumers named per thing; the rest are
/// counted (all are in `lineage/index.json`).
const EXTERNAL_ROWS: usize = 100;
const EXTERNAL_CONSUMERS: usize = 10;

/// Things outside the mesh, with who reads them (the first EXTERNAL_ROWS), and how many there are.
fn externals(catalog: &Catalog) -> (Vec<Value>, usize) {
    let lineage = &catalog.lineage;
    let outside = lineage
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind != NodeKind::Product);
    let rows = outside
        .clone()
        .take(EXTERNAL_ROWS)
        .map(|(v, n)| {
            let readers = &lineage.downstream[v];
            json!({
                "node": node_ref(catalog, n),
                "consumers": readers.iter().take(EXTERNAL_CONSUMERS).map(|&w| node_ref(catalog, &lineage.nodes[w])).collect::<Vec<_>>(),
                "more_consumers": readers.len().saturating_sub(EXTERNAL_CONSUMERS),
                "missing": n.kind == NodeKind::External,
            })
        })
        .collect();
    (rows, outside.count())
}

/// The products with the most direct consumers.
fn most_read(catalog: &Catalog) -> Vec<Value> {
    let lineage = &catalog.lineage;
    let mut most_read: Vec<(usize, usize)> = (0..catalog.products.len())
        .map(|pi| (lineage.downstream[pi].len(), pi))
        .filter(|(n, _)| *n > 0)
        .collect();
    most_read.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    most_read
        .iter()
        .take(15)
        .map(|&(n, pi)| {
            json!({
                "ref": catalog.product_ref(pi),
                "domain": catalog.domain_ref(catalog.products[pi].domain.as_deref()),
                "class": domain_class(catalog, catalog.products[pi].domain.as_deref()),
                "consumers": n,
            })
        })
        .collect()
}

/// The whole mesh aggregated to domains: `lineage/index.html`.
pub fn mesh(catalog: &Catalog, root: &str) -> (String, Value) {
    let lineage = &catalog.lineage;
    let links = domain_links(lineage);
    let svg = mesh_svg(catalog, &links, root);
    let externals = externals(catalog);
    let pairs = &links.0;
    let domain_url = |k: &str| {
        catalog
            .domain_by_id
            .contains_key(k)
            .then(|| catalog.domain_ref(Some(k)).and_then(|r| r.url))
            .flatten()
    };
    // The busiest pairs first; past LINK_ROWS they are counted (all are in lineage/index.json).
    let mut busiest: Vec<(&(String, String), &usize)> = pairs.iter().collect();
    busiest.sort_by_key(|(k, &n)| (std::cmp::Reverse(n), *k));
    busiest.truncate(LINK_ROWS);
    let link_rows: Vec<Value> = busiest
        .into_iter()
        .map(|((a, b), &n)| {
            json!({
                "from": { "name": bucket_label(catalog, a), "url": domain_url(a) },
                "to": { "name": bucket_label(catalog, b), "url": domain_url(b) },
                "count": n,
            })
        })
        .collect();
    let cycles: Vec<Vec<Value>> = lineage
        .cycles
        .iter()
        .map(|g| {
            g.iter()
                .map(|&v| node_ref(catalog, &lineage.nodes[v]))
                .collect()
        })
        .collect();
    (
        "Lineage".into(),
        json!({
            "svg": svg,
            "legend": legend(catalog, catalog.domains.iter().map(|d| Some(d.id.clone()))),
            "links": link_rows,
            "links_count": pairs.len(),
            "externals": externals.0,
            "externals_count": externals.1,
            "cycles": cycles,
            "most_read": most_read(catalog),
            "stats": {
                "nodes": lineage.nodes.len(),
                "edges": lineage.edges.len(),
                "product_links": lineage.product_links().pairs,
                "cross_domain": lineage.product_links().cross_domain,
                "columns": lineage.columns.len(),
            },
        }),
    )
}

fn column_key(end: &ColumnEnd) -> String {
    end.text.clone()
}

/// The page of a column (its contract's page, at the column), if it has one.
fn column_url(catalog: &Catalog, end: &ColumnEnd) -> Option<String> {
    let c = &catalog.contracts[end.contract?];
    let mut url = views::contract_url(&c.slug);
    if let Some(o) = &end.object {
        let anchor = match &end.column {
            Some(col) => views::anchor(&format!("{o}.{col}")),
            None => views::anchor(o),
        };
        url.push('#');
        url.push_str(&anchor);
    }
    Some(url)
}

/// A column's label and what it belongs to.
fn column_label(catalog: &Catalog, end: &ColumnEnd) -> (String, String) {
    match end.contract {
        Some(c) => {
            let contract = &catalog.contracts[c];
            match (&end.object, &end.column) {
                (Some(o), Some(col)) => (col.clone(), format!("{} · {o}", contract.name)),
                (Some(o), None) => (o.clone(), contract.name.clone()),
                (None, Some(col)) => (col.clone(), contract.name.clone()),
                (None, None) => (contract.name.clone(), "contract".into()),
            }
        }
        None => (end.text.clone(), "outside the mesh".into()),
    }
}

/// A column in the column lineage diagram of contract `ci`.
fn column_node(catalog: &Catalog, ci: usize, end: &ColumnEnd, root: &str) -> DNode {
    let (label, sub) = column_label(catalog, end);
    let class = match end.contract {
        Some(c) if c == ci => format!(
            "{} focus-col",
            domain_class(catalog, catalog.contracts[c].domain.as_deref())
        ),
        Some(c) => domain_class(catalog, catalog.contracts[c].domain.as_deref()),
        None => "ext".into(),
    };
    DNode {
        key: end.text.clone(),
        tooltip: format!("{label} ({sub})"),
        label,
        sublabel: Some(sub),
        href: column_url(catalog, end).map(|u| format!("{root}{u}")),
        class,
        focus: end.contract == Some(ci),
        ..DNode::default()
    }
}

/// Column-level lineage of one contract, where its columns or its consumers' columns say so.
pub fn contract_columns(catalog: &Catalog, ci: usize, root: &str) -> Option<Value> {
    let lineage = &catalog.lineage;
    let edges = lineage.contract_columns.get(&ci)?;
    let mut keys: BTreeMap<String, &ColumnEnd> = BTreeMap::new();
    for &e in edges {
        let c = &lineage.columns[e];
        keys.entry(column_key(&c.from)).or_insert(&c.from);
        keys.entry(column_key(&c.to)).or_insert(&c.to);
    }
    let index: BTreeMap<&str, usize> = keys
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let end_url = |end: &ColumnEnd| column_url(catalog, end);
    let end_label = |end: &ColumnEnd| column_label(catalog, end);
    let nodes: Vec<DNode> = keys
        .values()
        .map(|end| column_node(catalog, ci, end, root))
        .collect();
    let dedges: Vec<DEdge> = edges
        .iter()
        .map(|&e| {
            let c = &lineage.columns[e];
            DEdge {
                from: index[column_key(&c.from).as_str()],
                to: index[column_key(&c.to).as_str()],
                label: None,
            }
        })
        .collect();
    let svg = lineage_svg::render(&Diagram {
        id: "lgc".into(),
        label: format!(
            "Column lineage of contract {}: source columns on the left, derived columns on the right",
            catalog.contracts[ci].name
        ),
        nodes,
        edges: dedges,
        max_per_layer: WIDE_LIMIT,
        more_href: Some("#column-lineage-list".into()),
    });
    let rows: Vec<Value> = edges
        .iter()
        .map(|&e| {
            let c = &lineage.columns[e];
            let (from_label, from_sub) = end_label(&c.from);
            let (to_label, to_sub) = end_label(&c.to);
            json!({
                "from": { "label": from_label, "contract": from_sub, "url": end_url(&c.from) },
                "to": { "label": to_label, "contract": to_sub, "url": end_url(&c.to) },
                "field": c.evidence.field,
            })
        })
        .collect();
    Some(json!({ "svg": svg, "rows": rows }))
}

/// The `lineage` block of catalog.json.
pub fn catalog_json(catalog: &Catalog) -> Value {
    let lineage = &catalog.lineage;
    let nodes: Vec<Value> = lineage
        .nodes
        .iter()
        .map(|n| json!({ "id": n.id, "kind": n.kind, "name": n.name, "domain": n.domain }))
        .collect();
    let edges: Vec<Value> = lineage
        .edges
        .iter()
        .map(|e| {
            json!({
                "from": lineage.nodes[e.from].id,
                "to": lineage.nodes[e.to].id,
                "kind": e.kind,
                "evidence": e.evidence,
            })
        })
        .collect();
    let end = |end: &ColumnEnd| {
        json!({
            "contract": end.contract.map(|c| catalog.contracts[c].id.clone()),
            "object": end.object,
            "column": end.column,
            "ref": end.text,
        })
    };
    let columns: Vec<Value> = lineage
        .columns
        .iter()
        .map(|c| json!({ "from": end(&c.from), "to": end(&c.to), "evidence": c.evidence }))
        .collect();
    let cycles: Vec<Vec<&str>> = lineage
        .cycles
        .iter()
        .map(|g| g.iter().map(|&v| lineage.nodes[v].id.as_str()).collect())
        .collect();
    json!({ "nodes": nodes, "edges": edges, "columns": columns, "cycles": cycles })
}
