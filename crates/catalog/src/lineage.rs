//! The lineage graph of the whole mesh: products (and the contracts, systems and unknown things
//! they read) as nodes, one edge per declaration that links them, each with its evidence (file and
//! field). Column-level lineage (ODCS `transformSourceObjects`, DCS `lineage.inputFields`) is kept
//! beside it. Built once, after references are resolved; the render stage only reads it.
//!
//! Nothing is dropped silently: a reference to something no source defines becomes an external
//! node (the resolve step has already reported it with a nearest-id hint), a self-reference and a
//! cycle become warnings.

use model::Code;
use std::collections::{BTreeSet, HashMap, VecDeque};

use serde::Serialize;

use super::resolve::nearest;
use super::Catalog;
use model::diagnostics::{Diagnostic, Severity};
use model::{Agreement, DataContract, DataProduct, InputPort, SchemaProperty, SourceSystem};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
    /// A data product of the catalog.
    Product,
    /// A contract some file defines but no product exposes.
    Contract,
    /// A described source system.
    System,
    /// Something referenced that no source defines.
    External,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// The product id for products; `contract:…`, `system:…`, `product:…` (unknown product) or
    /// `dataset:…` (unresolved column source) otherwise.
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub domain: Option<String>,
    /// Index into `Catalog::products` / `Catalog::contracts` where the node has a page.
    #[serde(skip)]
    pub product: Option<usize>,
    #[serde(skip)]
    pub contract: Option<usize>,
}

/// Where an edge was declared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub source: String,
    pub file: String,
    pub line: u32,
    /// The field that declares the link, e.g. `inputPorts[0].contractId`.
    pub field: String,
}

/// Data flows `from` → `to` (provider → consumer).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// `contract`, `inputContracts`, `dataProduct`, `sourceSystem`, `agreement`,
    /// `transformSourceObjects`, `inputFields`.
    pub kind: &'static str,
    pub evidence: Evidence,
}

/// One end of a column-level lineage edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnEnd {
    /// The contract, where the reference resolved to one.
    pub contract: Option<usize>,
    pub object: Option<String>,
    pub column: Option<String>,
    /// The reference as written (for unresolved ends) or `contract.object.column`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnEdge {
    pub from: ColumnEnd,
    pub to: ColumnEnd,
    pub evidence: Evidence,
}

#[derive(Debug, Default)]
pub struct Lineage {
    /// Products first (node i is product i), then everything else in a stable order.
    pub nodes: Vec<Node>,
    /// Sorted; one per declaration.
    pub edges: Vec<Edge>,
    /// Per node: distinct downstream / upstream neighbours, sorted.
    pub downstream: Vec<Vec<usize>>,
    pub upstream: Vec<Vec<usize>>,
    /// Strongly connected groups of more than one node, each sorted.
    pub cycles: Vec<Vec<usize>>,
    pub columns: Vec<ColumnEdge>,
    /// Contract index → indices into `columns` that start or end in it.
    pub contract_columns: HashMap<usize, Vec<usize>>,
    /// Node id → index.
    pub by_id: HashMap<String, usize>,
    /// Per node, a number for its domain (`NO_DOMAIN` without one), and how many there are:
    /// what [`Lineage::impact`] counts, made once (it runs for every product page, and comparing
    /// domain names was most of its time).
    domain_ids: std::sync::OnceLock<(Vec<u32>, usize)>,
    /// Per node, its impact once counted: the page hashes and the page both ask for it.
    impacts: std::sync::OnceLock<Box<[Impact]>>,
}

/// One node's (products, domains) downstream, once counted.
type Impact = std::sync::OnceLock<(usize, usize)>;

/// The domain number of a node without a domain.
const NO_DOMAIN: u32 = u32::MAX;

/// Build the graph. `catalog` must already hold the id indices and `contract_provider`.
pub fn build(
    catalog: &Catalog,
    products: &[DataProduct],
    contracts: &[DataContract],
    agreements: &[Agreement],
    systems: &[SourceSystem],
    diagnostics: &mut Vec<Diagnostic>,
) -> Lineage {
    let mut b = Builder::new(catalog, products, contracts, systems, diagnostics);
    for (pi, p) in products.iter().enumerate() {
        b.product(pi, p);
    }
    for a in agreements {
        b.agreement(a);
    }
    let columns = column_lineage(&mut b);
    b.finish(columns)
}

/// The graph while `build` collects it: nodes (products first), edges and diagnostics.
struct Builder<'a> {
    catalog: &'a Catalog,
    products: &'a [DataProduct],
    contracts: &'a [DataContract],
    systems: &'a [SourceSystem],
    nodes: Vec<Node>,
    by_id: HashMap<String, usize>,
    edges: BTreeSet<Edge>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> Builder<'a> {
    fn new(
        catalog: &'a Catalog,
        products: &'a [DataProduct],
        contracts: &'a [DataContract],
        systems: &'a [SourceSystem],
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Builder {
            catalog,
            products,
            contracts,
            systems,
            nodes: products
                .iter()
                .enumerate()
                .map(|(i, p)| Node {
                    id: p.id.clone(),
                    kind: NodeKind::Product,
                    name: p.name.clone(),
                    domain: p.domain.clone(),
                    product: Some(i),
                    contract: None,
                })
                .collect(),
            by_id: products
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.clone(), i))
                .collect(),
            edges: BTreeSet::new(),
            diagnostics,
        }
    }

    fn node(&mut self, id: String, kind: NodeKind, name: &str, contract: Option<usize>) -> usize {
        if let Some(&i) = self.by_id.get(&id) {
            return i;
        }
        let i = self.nodes.len();
        self.by_id.insert(id.clone(), i);
        self.nodes.push(Node {
            id,
            kind,
            name: name.to_string(),
            domain: contract.and_then(|c| self.contracts[c].domain.clone()),
            product: None,
            contract,
        });
        i
    }

    /// The node a contract reference leads to: its provider, the orphan contract, or an external.
    fn contract_node(&mut self, cid: &str) -> usize {
        if let Some(&(p, _)) = self.catalog.contract_provider.get(cid) {
            return p;
        }
        match self.catalog.contract_by_id.get(cid) {
            Some(&ci) => {
                let name = self.contracts[ci].name.clone();
                self.node(
                    format!("contract:{cid}"),
                    NodeKind::Contract,
                    &name,
                    Some(ci),
                )
            }
            None => self.node(format!("contract:{cid}"), NodeKind::External, cid, None),
        }
    }

    fn product_node(&mut self, id: &str) -> usize {
        match self.catalog.product_by_id.get(id) {
            Some(&p) => p,
            None => self.node(format!("product:{id}"), NodeKind::External, id, None),
        }
    }

    /// A described source system, or an external node.
    fn system_node(&mut self, sys: &str) -> usize {
        let systems = self.systems;
        match systems.binary_search_by(|s| s.id.as_str().cmp(sys)) {
            Ok(si) => self.node(
                format!("system:{sys}"),
                NodeKind::System,
                &systems[si].name,
                None,
            ),
            Err(_) => self.node(format!("system:{sys}"), NodeKind::External, sys, None),
        }
    }

    fn edge(&mut self, from: usize, to: usize, kind: &'static str, evidence: Evidence) {
        if from == to {
            let what = &self.nodes[to].id;
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::LineageSelfReference,
                    format!(
                        "`{}` of `{what}` names the product itself as its source",
                        evidence.field
                    ),
                )
                .at_file(&evidence.source, &evidence.file)
                .at(evidence.line, 1)
                .hint(
                    "a product cannot read its own output; name the upstream product or contract",
                ),
            );
            return;
        }
        self.edges.insert(Edge {
            from,
            to,
            kind,
            evidence,
        });
    }

    /// Edges into product `pi` from everything its ports read.
    fn product(&mut self, pi: usize, p: &DataProduct) {
        for (i, port) in p.input_ports.iter().enumerate() {
            self.input_port(pi, p, i, port);
        }
        for (o, port) in p.output_ports.iter().enumerate() {
            for (j, cid) in port.input_contracts.iter().enumerate() {
                let from = self.contract_node(cid);
                let field = format!("outputPorts[{o}].inputContracts[{j}]");
                self.edge(from, pi, "inputContracts", evidence(p, port.line, field));
            }
        }
    }

    /// The edges of input port `i` of product `pi`; a DPS port that links nothing is reported.
    fn input_port(&mut self, pi: usize, p: &DataProduct, i: usize, port: &InputPort) {
        let dps = p.standard.family == "dps";
        let contract_field = if dps { "dataContractId" } else { "contractId" };
        let mut linked = false;
        if dps {
            // DPS names the upstream product; the contract (if any) is read through it.
            if let Some(sp) = &port.source_product {
                let from = self.product_node(sp);
                let field = format!("inputPorts[{i}].dataProductId");
                self.edge(from, pi, "dataProduct", evidence(p, port.line, field));
                linked = true;
            }
        }
        if !linked {
            if let Some(cid) = &port.contract_id {
                let from = self.contract_node(cid);
                let field = format!("inputPorts[{i}].{contract_field}");
                self.edge(from, pi, "contract", evidence(p, port.line, field));
                linked = true;
            } else if let Some(sp) = &port.source_product {
                let from = self.product_node(sp);
                let field = format!("inputPorts[{i}].dataProductId");
                self.edge(from, pi, "dataProduct", evidence(p, port.line, field));
                linked = true;
            }
        }
        if let Some(sys) = &port.source_system {
            let from = self.system_node(sys);
            let field = format!("inputPorts[{i}].sourceSystemId");
            self.edge(from, pi, "sourceSystem", evidence(p, port.line, field));
            linked = true;
        }
        if !linked && dps {
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::PortWithoutSource,
                    format!(
                        "input port `{}` of `{}` names no data product, contract or source system",
                        port.name, p.id
                    ),
                )
                .at_file(&p.origin.source, &p.origin.path)
                .at(if port.line > 0 { port.line } else { p.origin.line }, 1)
                .hint("add `dataProductId` (with `outputPortId`), `dataContractId` or `sourceSystemId`, or lineage cannot show where the data comes from"),
            );
        }
    }

    /// An agreement with a consumer links provider → consumer.
    fn agreement(&mut self, a: &Agreement) {
        let Some(consumer) = &a.consumer_product else {
            return;
        };
        let from = self.product_node(&a.provider_product);
        let to = self.product_node(consumer);
        let ev = Evidence {
            source: a.origin.source.clone(),
            file: a.origin.path.clone(),
            line: a.origin.line,
            field: "provider.dataProductId".into(),
        };
        self.edge(from, to, "agreement", ev);
    }

    /// The product-level consequence of a column edge into contract `ci`: provider of the source
    /// → provider of this one.
    fn column_product_edge(
        &mut self,
        ci: usize,
        from: &ColumnEnd,
        kind: &'static str,
        ev: &Evidence,
    ) {
        let catalog = self.catalog;
        let contracts = self.contracts;
        let provider_of = |cid: usize| {
            catalog
                .contract_provider
                .get(&contracts[cid].id)
                .map(|&(p, _)| p)
        };
        if let Some(to_product) = provider_of(ci) {
            let from_node = match from.contract {
                Some(sc) => provider_of(sc),
                None => None,
            };
            let from_node = match (from_node, from.contract) {
                (Some(p), _) => Some(p),
                (None, Some(sc)) => Some(self.contract_node(&contracts[sc].id)),
                (None, None) => None,
            };
            if let Some(f) = from_node.filter(|f| *f != to_product) {
                self.edges.insert(Edge {
                    from: f,
                    to: to_product,
                    kind,
                    evidence: ev.clone(),
                });
            }
        }
    }

    /// Sort the edges, index neighbours and column edges, find and report cycles.
    fn finish(self, columns: Vec<ColumnEdge>) -> Lineage {
        let Builder {
            products,
            nodes,
            by_id,
            edges,
            diagnostics,
            ..
        } = self;
        let edges: Vec<Edge> = edges.into_iter().collect();
        let (downstream, upstream) = neighbours(&edges, nodes.len());
        let cycles = strongly_connected(&downstream);
        for group in &cycles {
            report_cycle(group, &downstream, &nodes, products, diagnostics);
        }
        let contract_columns = index_columns(&columns);
        Lineage {
            nodes,
            edges,
            downstream,
            upstream,
            cycles,
            columns,
            contract_columns,
            by_id,
            domain_ids: Default::default(),
            impacts: Default::default(),
        }
    }
}

fn evidence(p: &DataProduct, line: u32, field: String) -> Evidence {
    Evidence {
        source: p.origin.source.clone(),
        file: p.origin.path.clone(),
        line: if line > 0 { line } else { p.origin.line },
        field,
    }
}

/// Per node: distinct (downstream, upstream) neighbours, sorted.
fn neighbours(edges: &[Edge], n: usize) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut downstream = vec![Vec::new(); n];
    let mut upstream = vec![Vec::new(); n];
    for e in edges {
        downstream[e.from].push(e.to);
        upstream[e.to].push(e.from);
    }
    for list in downstream.iter_mut().chain(upstream.iter_mut()) {
        list.sort_unstable();
        list.dedup();
    }
    (downstream, upstream)
}

/// Contract index → indices of the column edges that start or end in it.
fn index_columns(columns: &[ColumnEdge]) -> HashMap<usize, Vec<usize>> {
    let mut contract_columns: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, c) in columns.iter().enumerate() {
        for ci in [c.from.contract, c.to.contract].into_iter().flatten() {
            let list = contract_columns.entry(ci).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    contract_columns
}

/// Column-level lineage of every contract; also adds product edges where a column of one
/// product's contract is derived from another product's contract.
fn column_lineage(b: &mut Builder) -> Vec<ColumnEdge> {
    let contracts = b.contracts;
    let objects = object_index(contracts);
    let mut out = Vec::new();
    for (ci, c) in contracts.iter().enumerate() {
        // The contract's document, parsed again only when a finding needs a place in it.
        let mut doc: Option<Option<model::yaml::Node>> = None;
        let dcs = c.standard.family == "dcs";
        let (field_name, kind) = if dcs {
            ("lineage.inputFields", "inputFields")
        } else {
            ("transformSourceObjects", "transformSourceObjects")
        };
        for (object, path, prop) in derived_columns(c) {
            let field = if dcs {
                format!("models.{object}.fields.{path}.{field_name}")
            } else {
                format!("schema[{object}].properties[{path}].{field_name}")
            };
            let ev = Evidence {
                source: c.origin.source.clone(),
                file: c.origin.path.clone(),
                line: c.origin.line,
                field,
            };
            let to = ColumnEnd {
                contract: Some(ci),
                object: Some(object.clone()),
                column: Some(path.clone()),
                text: format!("{}.{object}.{path}", c.id),
            };
            let mut segments: Vec<&str> = vec![object.as_str()];
            segments.extend(path.split('.'));
            let mut at = |reference: &str| -> (u32, u32) {
                let doc = doc.get_or_insert_with(|| crate::locate::document(c));
                doc.as_ref()
                    .and_then(|d| {
                        let node = crate::locate::within(d, &segments);
                        crate::locate::value(node, LINEAGE_KEYS, reference, 0)
                    })
                    .map_or((ev.line.max(1), 1), |p| (p.line, p.column.max(1)))
            };
            for reference in &prop.lineage {
                let from = resolve_column(reference, b.catalog, contracts, &objects);
                if from.contract.is_none() {
                    report_column_source(b, c, reference, &ev, at(reference));
                }
                if from.contract == Some(ci)
                    && from.object.as_ref() == Some(object)
                    && from.column.as_ref() == Some(&path)
                {
                    let (line, column) = at(reference);
                    b.diagnostics.push(
                        Diagnostic::warning(
                            Code::LineageSelfReference,
                            format!(
                                "column `{object}.{path}` of `{}` names itself as its source",
                                c.id
                            ),
                        )
                        .at_file(&ev.source, &ev.file)
                        .at(line, column)
                        .hint("name the upstream column it is derived from"),
                    );
                    continue;
                }
                b.column_product_edge(ci, &from, kind, &ev);
                out.push(ColumnEdge {
                    from,
                    to: to.clone(),
                    evidence: ev.clone(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Object name or physical name (lowercase) → (contract, object) where unique.
fn object_index(contracts: &[DataContract]) -> HashMap<String, Option<(usize, usize)>> {
    let mut objects: HashMap<String, Option<(usize, usize)>> = HashMap::new();
    for (ci, c) in contracts.iter().enumerate() {
        for (oi, o) in c.schema.iter().enumerate() {
            let mut names = vec![o.name.to_lowercase()];
            if let Some(pn) = &o.physical_name {
                names.push(pn.to_lowercase());
            }
            names.dedup();
            for name in names {
                objects
                    .entry(name)
                    .and_modify(|v| {
                        if *v != Some((ci, oi)) {
                            *v = None
                        }
                    })
                    .or_insert(Some((ci, oi)));
            }
        }
    }
    objects
}

/// The properties of a contract that declare column lineage, depth first, each with its object's
/// name and its dotted path (`address.city`).
fn derived_columns(c: &DataContract) -> Vec<(&String, String, &SchemaProperty)> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &SchemaProperty)> = Vec::new();
    for o in &c.schema {
        for p in o.properties.iter().rev() {
            stack.push((p.name.clone(), p));
        }
        while let Some((path, prop)) = stack.pop() {
            for child in prop.properties.iter().rev() {
                stack.push((format!("{path}.{}", child.name), child));
            }
            if !prop.lineage.is_empty() {
                out.push((&o.name, path, prop));
            }
        }
    }
    out
}

/// `contract.object.column`, `object.column`, `schema.table.column` … → the best match.
fn resolve_column(
    reference: &str,
    catalog: &Catalog,
    contracts: &[DataContract],
    objects: &HashMap<String, Option<(usize, usize)>>,
) -> ColumnEnd {
    let segments: Vec<&str> = reference.split('.').collect();
    let rest = |from: usize| -> Option<String> {
        (from < segments.len()).then(|| segments[from..].join("."))
    };
    // A contract id as prefix (ids may contain dots: longest first).
    for k in (1..=segments.len()).rev() {
        let prefix = segments[..k].join(".");
        if let Some(&ci) = catalog.contract_by_id.get(&prefix) {
            let c = &contracts[ci];
            let object = segments.get(k).and_then(|name| {
                c.schema.iter().find(|o| {
                    o.name.eq_ignore_ascii_case(name)
                        || o.physical_name
                            .as_deref()
                            .is_some_and(|p| p.eq_ignore_ascii_case(name))
                })
            });
            return match object {
                Some(o) => ColumnEnd {
                    contract: Some(ci),
                    object: Some(o.name.clone()),
                    column: rest(k + 1),
                    text: reference.to_string(),
                },
                None => ColumnEnd {
                    contract: Some(ci),
                    object: None,
                    column: rest(k),
                    text: reference.to_string(),
                },
            };
        }
    }
    // An object (table) name or physical name leading the reference, unique across the mesh.
    // (Only as a prefix: `legacy_db.tx.amount` must not match some contract's `tx` object.)
    {
        for end in (1..=segments.len()).rev() {
            let name = segments[..end].join(".").to_lowercase();
            if let Some(Some((ci, oi))) = objects.get(&name) {
                return ColumnEnd {
                    contract: Some(*ci),
                    object: Some(contracts[*ci].schema[*oi].name.clone()),
                    column: rest(end),
                    text: reference.to_string(),
                };
            }
        }
    }
    ColumnEnd {
        contract: None,
        object: None,
        column: None,
        text: reference.to_string(),
    }
}

/// An unresolved column source: a warning when it looks like a typo of a known contract, an info
/// note otherwise (columns are often derived from operational tables outside the mesh).
/// The keys that declare column lineage (ODCS, DCS), where a column source is written.
const LINEAGE_KEYS: &[&str] = &[
    "transformSourceObjects",
    "inputFields",
    "lineage",
    "sourceObjects",
];

fn report_column_source(
    b: &mut Builder,
    c: &DataContract,
    reference: &str,
    ev: &Evidence,
    (line, column): (u32, u32),
) {
    let first = reference.split('.').next().unwrap_or(reference).to_string();
    let known = nearest(&first, b.catalog.contract_by_id.keys()).cloned();
    let message = format!(
        "column lineage of `{}` ({}) names `{reference}`, which no contract in the mesh describes",
        c.id, ev.field
    );
    let d = match known {
        Some(k) => Diagnostic::warning(Code::UnresolvedColumnSource, message).hint(format!(
            "did you mean contract `{k}`? write `{k}.<object>.<column>`"
        )),
        None => Diagnostic::new(Severity::Info, Code::ExternalColumnSource, message).hint(
            "fine for an operational source; to link it, write `<contract id>.<object>.<column>`",
        ),
    };
    b.diagnostics
        .push(d.at_file(&ev.source, &ev.file).at(line, column));
}

/// Tarjan's algorithm, iterative; groups of more than one node, sorted.
fn strongly_connected(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adj.len();
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut groups = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            if *pos < adj[v].len() {
                let w = adj[v][*pos];
                *pos += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut group = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        group.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if group.len() > 1 {
                        group.sort_unstable();
                        groups.push(group);
                    }
                }
            }
        }
    }
    groups.sort();
    groups
}

/// One warning per cycle, at the first product of the group, naming a concrete loop.
fn report_cycle(
    group: &[usize],
    adj: &[Vec<usize>],
    nodes: &[Node],
    products: &[DataProduct],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let start = group[0];
    let in_group = |v: usize| group.binary_search(&v).is_ok();
    // Shortest loop through `start`, by breadth-first search inside the group.
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut last = None;
    while let Some(v) = queue.pop_front() {
        if adj[v].contains(&start) {
            last = Some(v);
            break;
        }
        for &w in &adj[v] {
            if in_group(w) && w != start && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    let mut path = vec![start];
    if let Some(mut v) = last {
        let mut back = Vec::new();
        while v != start {
            back.push(v);
            v = parent.get(&v).copied().unwrap_or(start);
        }
        path.extend(back.into_iter().rev());
    }
    path.push(start);
    let names: Vec<&str> = path.iter().map(|&v| nodes[v].id.as_str()).collect();
    let mut d = Diagnostic::warning(
        Code::LineageCycle,
        format!(
            "lineage cycle: {} ({} products read from each other)",
            names.join(" → "),
            group.len()
        ),
    )
    .hint("data should flow one way; one of these links is probably stale or reversed");
    if let Some(p) = nodes[start].product.map(|i| &products[i]) {
        d = d
            .at_file(&p.origin.source, &p.origin.path)
            .at(p.origin.line, 1);
    }
    diagnostics.push(d);
}

/// How many products read from how many others: each ordered pair of products counted once,
/// however many ports, contracts or declarations carry it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProductLinks {
    /// Distinct (provider, consumer) pairs of products.
    pub pairs: usize,
    /// Those whose two products are in different domains (a product without a domain is in
    /// none, so its links to products with one count here).
    pub cross_domain: usize,
}

impl Lineage {
    /// Product-to-product links: systems, unresolved references and column links left out.
    pub fn product_links(&self) -> ProductLinks {
        let mut out = ProductLinks::default();
        for (v, outs) in self.downstream.iter().enumerate() {
            if self.nodes[v].kind != NodeKind::Product {
                continue;
            }
            for &w in outs {
                if self.nodes[w].kind != NodeKind::Product {
                    continue;
                }
                out.pairs += 1;
                if self.nodes[v].domain != self.nodes[w].domain {
                    out.cross_domain += 1;
                }
            }
        }
        out
    }

    /// Nodes within `hops` steps upstream and downstream of `start` (the start included), with
    /// the signed distance (negative upstream). `usize::MAX` hops gives the whole chains.
    pub fn neighbourhood(&self, start: usize, hops: usize) -> Vec<(usize, i64)> {
        // Dense marks instead of sets: this runs for every lineage page of every product.
        let n = self.upstream.len();
        let mut dist: Vec<i64> = vec![i64::MIN; n];
        dist[start] = 0;
        for (adj, sign) in [(&self.upstream, -1i64), (&self.downstream, 1)] {
            let mut visited = vec![false; n];
            visited[start] = true;
            let mut frontier = vec![start];
            let mut depth = 0;
            while !frontier.is_empty() && depth < hops {
                depth += 1;
                let mut next = Vec::new();
                for v in frontier {
                    for &w in &adj[v] {
                        if !visited[w] {
                            visited[w] = true;
                            if dist[w] == i64::MIN {
                                dist[w] = sign * depth as i64;
                            }
                            next.push(w);
                        }
                    }
                }
                frontier = next;
            }
        }
        dist.iter()
            .enumerate()
            .filter(|(_, d)| **d != i64::MIN)
            .map(|(v, d)| (v, *d))
            .collect()
    }

    /// Every node downstream of `start`, directly or indirectly (not `start`).
    pub fn downstream_closure(&self, start: usize) -> Vec<usize> {
        // A flag per node, not a hash set: the walk of an early product in a long chain visits
        // most of the graph, and this runs for every product page.
        let mut seen = vec![start];
        let mut visited = vec![false; self.nodes.len()];
        visited[start] = true;
        let mut i = 0;
        while i < seen.len() {
            for &w in &self.downstream[seen[i]] {
                if !std::mem::replace(&mut visited[w], true) {
                    seen.push(w);
                }
            }
            i += 1;
        }
        seen.remove(0);
        seen.sort_unstable();
        seen
    }

    /// (products, domains) that depend on `start`, directly or indirectly.
    pub fn impact(&self, start: usize) -> (usize, usize) {
        let memo = self.impacts.get_or_init(|| {
            (0..self.nodes.len())
                .map(|_| std::sync::OnceLock::new())
                .collect()
        });
        *memo[start].get_or_init(|| self.count_impact(start))
    }

    /// [`Lineage::impact`], counted.
    fn count_impact(&self, start: usize) -> (usize, usize) {
        let (domain_of, domain_count) = self.domain_ids.get_or_init(|| {
            let mut numbers: HashMap<&str, u32> = HashMap::new();
            let ids = self
                .nodes
                .iter()
                .map(|n| match n.domain.as_deref() {
                    Some(d) => {
                        let next = numbers.len() as u32;
                        *numbers.entry(d).or_insert(next)
                    }
                    None => NO_DOMAIN,
                })
                .collect();
            (ids, numbers.len())
        });
        // The walk of `downstream_closure`, counting as it goes (no list, no sort).
        let mut visited = vec![false; self.nodes.len()];
        visited[start] = true;
        let mut seen_domain = vec![false; *domain_count];
        let (mut products, mut domains) = (0, 0);
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            for &w in &self.downstream[v] {
                if std::mem::replace(&mut visited[w], true) {
                    continue;
                }
                stack.push(w);
                if self.nodes[w].kind != NodeKind::Product {
                    continue;
                }
                products += 1;
                let d = domain_of[w];
                if d != NO_DOMAIN && !std::mem::replace(&mut seen_domain[d as usize], true) {
                    domains += 1;
                }
            }
        }
        (products, domains)
    }

    /// Whether `node` is part of a cycle.
    pub fn in_cycle(&self, node: usize) -> bool {
        self.cycles.iter().any(|g| g.binary_search(&node).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `impact` counts what the closure holds: products and their distinct domains, on graphs
    /// with cycles (the start among them), nodes that are not products and nodes without a
    /// domain.
    #[test]
    fn impact_counts_the_downstream_closure() {
        let kinds = [NodeKind::Product, NodeKind::Contract, NodeKind::System];
        for seed in 0..40u64 {
            let n = 3 + (seed as usize % 17);
            let mut next = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mut random = |m: usize| {
                next = next
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (next >> 33) as usize % m
            };
            let nodes: Vec<Node> = (0..n)
                .map(|i| Node {
                    id: format!("n{i}"),
                    kind: kinds[random(3)],
                    name: format!("N{i}"),
                    domain: (random(4) > 0).then(|| format!("d{}", random(3))),
                    product: None,
                    contract: None,
                })
                .collect();
            let mut downstream = vec![Vec::new(); n];
            for _ in 0..n * 2 {
                let (a, b) = (random(n), random(n));
                if !downstream[a].contains(&b) {
                    downstream[a].push(b);
                }
            }
            let lineage = Lineage {
                nodes,
                downstream,
                ..Default::default()
            };
            for start in 0..n {
                let closure = lineage.downstream_closure(start);
                let products: Vec<&Node> = closure
                    .iter()
                    .map(|&v| &lineage.nodes[v])
                    .filter(|n| n.kind == NodeKind::Product)
                    .collect();
                let domains: BTreeSet<&str> = products
                    .iter()
                    .filter_map(|n| n.domain.as_deref())
                    .collect();
                assert_eq!(
                    lineage.impact(start),
                    (products.len(), domains.len()),
                    "seed {seed}, start {start}"
                );
            }
        }
    }
}
