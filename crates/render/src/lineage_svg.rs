//! Layered left-to-right layout and an SVG writer for lineage diagrams.
//!
//! A small Sugiyama-style pipeline of our own: cycles broken by depth-first search (back edges
//! drawn reversed and dashed), longest-path layers with sources pulled next to their first
//! consumer, crowded layers collapsed into a "+N more" node, dummy vertices on long edges (so
//! edges are routed around nodes), barycentre sweeps for the order, and vertical positions by
//! repeated isotonic regression (each node as close to the mean of its neighbours as the order
//! allows). Every step is deterministic: ties break on the node key, so the same diagram gives
//! the same bytes. Cost is linear in nodes + edges (+ dummies) per sweep.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::escape::push_escaped;
use super::markdown::escape;

/// A diagram to lay out: nodes and directed edges (data flows from → to).
#[derive(Debug, Default)]
pub struct Diagram {
    /// Unique on the page (used in marker ids).
    pub id: String,
    /// Accessible name of the whole picture.
    pub label: String,
    pub nodes: Vec<DNode>,
    pub edges: Vec<DEdge>,
    /// Layers with more real nodes than this collapse the rest into a "+N more" node.
    pub max_per_layer: usize,
    /// Where a "+N more" node links (the full list beside the diagram).
    pub more_href: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct DNode {
    /// Sort key for tie-breaks (stable across builds), e.g. the product id.
    pub key: String,
    pub label: String,
    pub sublabel: Option<String>,
    /// Tooltip and accessible description: what the box does not show (may be empty).
    pub tooltip: String,
    pub href: Option<String>,
    /// CSS classes, e.g. `d3` (domain colour) or `ext`.
    pub class: String,
    /// The node the diagram is about (kept in overflow, drawn emphasised).
    pub focus: bool,
    /// Higher is kept first when a layer overflows.
    pub weight: i64,
    /// Hint for cycle breaking: lower is further upstream.
    pub rank: i64,
    /// -1: pin to the leftmost layer (a node with no inputs), 1: to the rightmost (no outputs).
    pub pin: i8,
}

#[derive(Debug, Default, Clone)]
pub struct DEdge {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
}

const NODE_W: f64 = 196.0;
const NODE_H: f64 = 42.0;
const DUMMY_H: f64 = 4.0;
const GAP_X: f64 = 84.0;
const GAP_Y: f64 = 14.0;
const DUMMY_GAP: f64 = 8.0;
const MARGIN: f64 = 12.0;
/// Characters that fit a node at 13px.
const LABEL_CHARS: usize = 23;
const SUB_CHARS: usize = 30;

struct Vertex {
    /// Index into `Diagram::nodes`, or None for a dummy / "+N more".
    node: Option<usize>,
    more: Option<(usize, Vec<usize>)>,
    layer: usize,
    y: f64,
}

impl Vertex {
    fn height(&self) -> f64 {
        if self.node.is_some() || self.more.is_some() {
            NODE_H
        } else {
            DUMMY_H
        }
    }
}

/// Edges in layout order: `(from, to, reversed)`, with data flowing from → to unless reversed.
type DagEdge = (usize, usize, bool);

/// A laid-out edge: the vertices it passes (dummies between layers).
struct Route {
    chain: Vec<usize>,
    reversed: bool,
    /// A two-way link (a cycle of two): arrows at both ends.
    both: bool,
    label: Option<String>,
}

/// Lay out and draw. Returns the `<svg>` element (empty string for a diagram without nodes).
pub fn render(d: &Diagram) -> String {
    if d.nodes.is_empty() {
        return String::new();
    }
    let edges = distinct_edges(d);
    let roots = roots(d);
    // 1. Break cycles: edges to a vertex on the DFS stack are reversed for layout.
    let dag = acyclic(d, &edges, &roots);
    // 2. Layers: longest path, then sources pulled right next to their first consumer; around
    //    one focus node, its distance instead (direct neighbours share a column).
    let hops = hop_layers(d, &edges);
    let (layer, layer_count) = assign_layers(d, &dag, &roots, hops);
    let dag = forward(dag, &layer);
    // 3. Overflow: keep the most important nodes of a crowded layer, collapse the rest.
    let (mut vertices, vertex_of) = collapse_overflow(d, &layer, layer_count);
    // 4. Edges between vertices (collapsed ones merge), with dummies on long edges.
    let routes = route_edges(&dag, &edges, &vertex_of, &mut vertices);
    let (preds, succs) = neighbours(&routes, &vertices);
    // 5. Order within layers: barycentre sweeps.
    let rows = order_rows(&vertices, &preds, &succs, layer_count);
    // 6. Vertical positions: as near the mean of the neighbours as the order allows.
    let height = place_vertically(&rows, &preds, &succs, &mut vertices);
    // 7. Draw.
    draw(d, &vertices, &routes, layer_count, height)
}

/// Distinct edges between distinct nodes, in a stable order.
fn distinct_edges(d: &Diagram) -> BTreeMap<(usize, usize), Option<String>> {
    let n = d.nodes.len();
    let mut edges: BTreeMap<(usize, usize), Option<String>> = BTreeMap::new();
    for e in &d.edges {
        if e.from != e.to && e.from < n && e.to < n {
            edges
                .entry((e.from, e.to))
                .or_insert_with(|| e.label.clone());
        }
    }
    edges
}

/// Every node, upstream first (by rank hint, then key): where depth-first walks start.
fn roots(d: &Diagram) -> Vec<usize> {
    let mut roots: Vec<usize> = (0..d.nodes.len()).collect();
    roots.sort_by(|&a, &b| order_key(d, a).cmp(&order_key(d, b)));
    roots
}

fn order_key(d: &Diagram, v: usize) -> (i64, &str, usize) {
    (d.nodes[v].rank, &d.nodes[v].key, v)
}

fn acyclic(
    d: &Diagram,
    edges: &BTreeMap<(usize, usize), Option<String>>,
    roots: &[usize],
) -> Vec<DagEdge> {
    let n = d.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges.keys() {
        out[a].push(b);
    }
    for list in out.iter_mut() {
        list.sort_by(|&a, &b| order_key(d, a).cmp(&order_key(d, b)));
    }
    let reversed = back_edges(roots, &out);
    edges
        .keys()
        .map(|&(a, b)| {
            if reversed.contains(&(a, b)) {
                (b, a, true)
            } else {
                (a, b, false)
            }
        })
        .collect()
}

/// The layer of each node, and the number of layers: `hops` where given, else by longest path.
fn assign_layers(
    d: &Diagram,
    dag: &[DagEdge],
    roots: &[usize],
    hops: Option<Vec<usize>>,
) -> (Vec<usize>, usize) {
    let n = d.nodes.len();
    let mut layer = hops.unwrap_or_else(|| layers(n, dag, roots));
    let last = layer.iter().copied().max().unwrap_or(0);
    let (mut has_in, mut has_out) = (vec![false; n], vec![false; n]);
    for &(a, b, _) in dag {
        has_out[a] = true;
        has_in[b] = true;
    }
    for (v, l) in layer.iter_mut().enumerate() {
        match d.nodes[v].pin {
            -1 if !has_in[v] => *l = 0,
            1 if !has_out[v] => *l = last,
            _ => {}
        }
    }
    let layer_count = layer.iter().copied().max().unwrap_or(0) + 1;
    (layer, layer_count)
}

/// A diagram about one node (exactly one `focus`): each node's layer is its distance from the
/// focus, upstream to the left and downstream to the right, so that the focus's direct
/// consumers stand in one column even where one of them also reads from another (longest-path
/// layers would draw them as a chain). None when there is no single focus or a node is not
/// connected to it.
fn hop_layers(d: &Diagram, edges: &BTreeMap<(usize, usize), Option<String>>) -> Option<Vec<usize>> {
    let n = d.nodes.len();
    let mut focus = (0..n).filter(|&v| d.nodes[v].focus);
    let (start, None) = (focus.next()?, focus.next()) else {
        return None;
    };
    let (mut out, mut inc) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    for &(a, b) in edges.keys() {
        out[a].push(b);
        inc[b].push(a);
    }
    let down = distances(start, &out);
    let up = distances(start, &inc);
    let signed: Vec<i64> = (0..n)
        .map(|v| match (down[v], up[v]) {
            (Some(x), Some(y)) if y < x => Some(-(y as i64)),
            (Some(x), _) => Some(x as i64),
            (None, Some(y)) => Some(-(y as i64)),
            (None, None) => None,
        })
        .collect::<Option<_>>()?;
    let min = signed.iter().copied().min().unwrap_or(0);
    Some(signed.iter().map(|&s| (s - min) as usize).collect())
}

/// Breadth-first distances from `start` along `next`.
fn distances(start: usize, next: &[Vec<usize>]) -> Vec<Option<usize>> {
    let mut dist = vec![None; next.len()];
    dist[start] = Some(0);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        let dv = dist[v].unwrap_or(0);
        for &w in &next[v] {
            if dist[w].is_none() {
                dist[w] = Some(dv + 1);
                queue.push_back(w);
            }
        }
    }
    dist
}

/// Edges laid out from a lower layer to a higher one (or within one): an edge that runs
/// backwards in the layers is drawn reversed, as cycle edges are.
fn forward(dag: Vec<DagEdge>, layer: &[usize]) -> Vec<DagEdge> {
    dag.into_iter()
        .map(|(a, b, rev)| {
            if layer[a] > layer[b] {
                (b, a, !rev)
            } else {
                (a, b, rev)
            }
        })
        .collect()
}

/// A vertex per kept node and per "+N more", and the vertex each node is drawn as.
fn collapse_overflow(
    d: &Diagram,
    layer: &[usize],
    layer_count: usize,
) -> (Vec<Vertex>, Vec<usize>) {
    let n = d.nodes.len();
    let mut vertices: Vec<Vertex> = Vec::with_capacity(n);
    let mut vertex_of = vec![usize::MAX; n];
    let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for v in 0..n {
        by_layer[layer[v]].push(v);
    }
    let cap = d.max_per_layer.max(2);
    for (l, members) in by_layer.iter_mut().enumerate() {
        members.sort_by(|&a, &b| {
            let (x, y) = (&d.nodes[a], &d.nodes[b]);
            y.focus
                .cmp(&x.focus)
                .then(y.weight.cmp(&x.weight))
                .then(x.key.cmp(&y.key))
                .then(a.cmp(&b))
        });
        let keep = if members.len() > cap {
            cap - 1
        } else {
            members.len()
        };
        for &v in &members[..keep] {
            vertex_of[v] = vertices.len();
            vertices.push(Vertex {
                node: Some(v),
                more: None,
                layer: l,
                y: 0.0,
            });
        }
        if keep < members.len() {
            let hidden: Vec<usize> = members[keep..].to_vec();
            let more = vertices.len();
            for &v in &hidden {
                vertex_of[v] = more;
            }
            vertices.push(Vertex {
                node: None,
                more: Some((hidden.len(), hidden)),
                layer: l,
                y: 0.0,
            });
        }
    }
    (vertices, vertex_of)
}

fn route_edges(
    dag: &[DagEdge],
    edges: &BTreeMap<(usize, usize), Option<String>>,
    vertex_of: &[usize],
    vertices: &mut Vec<Vertex>,
) -> Vec<Route> {
    // (reversed, label, both directions)
    let mut merged: BTreeMap<(usize, usize), (bool, Option<String>, bool)> = BTreeMap::new();
    for &(a, b, rev) in dag {
        let (va, vb) = (vertex_of[a], vertex_of[b]);
        if va == vb {
            continue;
        }
        let label = if rev {
            edges.get(&(b, a))
        } else {
            edges.get(&(a, b))
        };
        merged
            .entry((va, vb))
            .and_modify(|e| {
                e.1 = None;
                e.2 |= e.0 != rev;
            })
            .or_insert((rev, label.cloned().flatten(), false));
    }
    let mut routes: Vec<Route> = Vec::with_capacity(merged.len());
    for ((va, vb), (rev, label, both)) in merged {
        let mut chain = vec![va];
        for l in vertices[va].layer + 1..vertices[vb].layer {
            chain.push(vertices.len());
            vertices.push(Vertex {
                node: None,
                more: None,
                layer: l,
                y: 0.0,
            });
        }
        chain.push(vb);
        routes.push(Route {
            chain,
            reversed: rev,
            both,
            label,
        });
    }
    routes
}

/// Per vertex: its neighbours in the layer before and in the layer after.
fn neighbours(routes: &[Route], vertices: &[Vertex]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let vcount = vertices.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); vcount];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); vcount];
    for r in routes {
        // An edge within a column (siblings around a focus) orders nothing between layers.
        for w in r
            .chain
            .windows(2)
            .filter(|w| vertices[w[0]].layer != vertices[w[1]].layer)
        {
            succs[w[0]].push(w[1]);
            preds[w[1]].push(w[0]);
        }
    }
    (preds, succs)
}

/// The vertices of each layer, top to bottom.
fn order_rows(
    vertices: &[Vertex],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    layer_count: usize,
) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (i, v) in vertices.iter().enumerate() {
        rows[v.layer].push(i);
    }
    let mut pos = vec![0f64; vertices.len()];
    for row in &rows {
        for (k, &v) in row.iter().enumerate() {
            pos[v] = k as f64;
        }
    }
    for _ in 0..6 {
        for row in rows.iter_mut().skip(1) {
            sort_by_barycentre(row, preds, &mut pos);
        }
        let before_last = layer_count.saturating_sub(1);
        for row in rows.iter_mut().take(before_last).rev() {
            sort_by_barycentre(row, succs, &mut pos);
        }
    }
    rows
}

/// Set each vertex's `y` (from the top margin); returns the drawing's height.
fn place_vertically(
    rows: &[Vec<usize>],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    vertices: &mut [Vertex],
) -> f64 {
    let layer_count = rows.len();
    for row in rows {
        let mut y = 0.0;
        for (k, &v) in row.iter().enumerate() {
            if k > 0 {
                y += separation(&vertices[row[k - 1]], &vertices[v]);
            }
            vertices[v].y = y;
        }
    }
    for sweep in 0..8 {
        let (layers_order, neighbours): (Vec<usize>, &[Vec<usize>]) = if sweep % 2 == 0 {
            ((1..layer_count).collect(), preds)
        } else {
            ((0..layer_count.saturating_sub(1)).rev().collect(), succs)
        };
        for l in layers_order {
            place_row(&rows[l], neighbours, vertices);
        }
    }
    let min_y = vertices
        .iter()
        .map(|v| v.y - v.height() / 2.0)
        .fold(f64::INFINITY, f64::min);
    let max_y = vertices
        .iter()
        .map(|v| v.y + v.height() / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let shift = MARGIN - min_y;
    for v in vertices.iter_mut() {
        v.y += shift;
    }
    (max_y - min_y) + MARGIN * 2.0
}

fn x_of(layer: usize) -> f64 {
    MARGIN + layer as f64 * (NODE_W + GAP_X)
}

fn draw(
    d: &Diagram,
    vertices: &[Vertex],
    routes: &[Route],
    layer_count: usize,
    height: f64,
) -> String {
    let width = MARGIN * 2.0 + layer_count as f64 * NODE_W + (layer_count - 1) as f64 * GAP_X;
    let mut s = String::with_capacity(256 * vertices.len() + 128 * routes.len());
    // One box shape for every node (`<use>`), and the arrow set once on the edge group: markers
    // are inherited, so each edge names its own only when it differs (back edges).
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="lineage-svg" data-min="{min}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-label="{label}"><defs><marker id="{id}-a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrow"/></marker><rect id="{id}-n" width="{nw}" height="{nh}" rx="6"/></defs><g class="edges" aria-hidden="true" marker-end="url(#{id}-a)">"#,
        w = num(width),
        h = num(height),
        // How narrow the diagram may shrink, in steps of 100px (an attribute the CSS reads: the page's
        // Content-Security-Policy allows no style attributes).
        min = ((width * 0.7).min(900.0) / 100.0).floor() as u32,
        label = escape(&d.label),
        id = escape(&d.id),
        nw = num(NODE_W),
        nh = num(NODE_H),
    );
    let labels = draw_edges(&mut s, d, vertices, routes);
    s.push_str("</g>");
    if !labels.is_empty() {
        let _ = write!(s, r#"<g class="elabels" aria-hidden="true">{labels}</g>"#);
    }
    s.push_str(r#"<g class="nodes">"#);
    draw_nodes(&mut s, d, vertices, &escape(&d.id));
    s.push_str("</g></svg>");
    s
}

/// The edge paths; returns the edge labels, drawn above them.
fn draw_edges(s: &mut String, d: &Diagram, vertices: &[Vertex], routes: &[Route]) -> String {
    let mut labels = String::new();
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for r in routes {
        let path = edge_path(&r.chain, vertices);
        if let Some(label) = &r.label {
            place_label(
                &mut labels,
                &mut placed,
                label,
                &label_spots(&r.chain, vertices, &x_of),
            );
        }
        let id = escape(&d.id);
        if r.both {
            let _ = write!(
                s,
                r#"<path class="b" d="{path}" marker-start="url(#{id}-a)"/>"#
            );
        } else if r.reversed {
            let _ = write!(
                s,
                r#"<path class="b" d="{path}" marker-start="url(#{id}-a)" marker-end="none"/>"#
            );
        } else {
            let _ = write!(s, r#"<path d="{path}"/>"#);
        }
    }
    labels
}

/// Curves from the right side of each vertex to the left side of the next, straight through
/// the dummies.
fn edge_path(chain: &[usize], vertices: &[Vertex]) -> String {
    let mut path = String::new();
    // Two nodes of one column: a bow into the gap beside it (the left one; the right one for
    // the first column), from one node's side to the other's.
    if let [a, b] = chain {
        if vertices[*a].layer == vertices[*b].layer {
            let layer = vertices[*a].layer;
            let (right, bow) = if layer > 0 {
                (x_of(layer), x_of(layer) - GAP_X / 2.0)
            } else {
                (x_of(layer) + NODE_W, x_of(layer) + NODE_W + GAP_X / 2.0)
            };
            let (ya, yb) = (vertices[*a].y, vertices[*b].y);
            let _ = write!(
                path,
                "M{} {}C{} {} {} {} {} {}",
                num(right),
                num(ya),
                num(bow),
                num(ya),
                num(bow),
                num(yb),
                num(right),
                num(yb)
            );
            return path;
        }
    }
    for (k, &v) in chain.iter().enumerate() {
        let x = x_of(vertices[v].layer);
        let y = vertices[v].y;
        let (left, right) = (x, x + NODE_W);
        if k == 0 {
            let _ = write!(path, "M{} {}", num(right), num(y));
        } else {
            let prev = chain[k - 1];
            let (px, py) = (x_of(vertices[prev].layer) + NODE_W, vertices[prev].y);
            let mid = (px + left) / 2.0;
            let _ = write!(
                path,
                "C{} {} {} {} {} {}",
                num(mid),
                num(py),
                num(mid),
                num(y),
                num(left),
                num(y)
            );
            if k + 1 < chain.len() {
                let _ = write!(path, "H{}", num(right));
            }
        }
    }
    path
}

fn draw_nodes(s: &mut String, d: &Diagram, vertices: &[Vertex], id: &str) {
    for v in vertices.iter() {
        let x = x_of(v.layer);
        let y = v.y - NODE_H / 2.0;
        if let Some(i) = v.node {
            let node = &d.nodes[i];
            let mut class = format!("n {}", node.class);
            if node.focus {
                class.push_str(" focus");
            }
            draw_node(
                s,
                id,
                x,
                y,
                class.trim(),
                &node.label,
                node.sublabel.as_deref(),
                &node.tooltip,
                node.href.as_deref(),
            );
        } else if let Some((count, hidden)) = &v.more {
            let mut names: Vec<&str> = hidden
                .iter()
                .take(15)
                .map(|&h| d.nodes[h].label.as_str())
                .collect();
            if hidden.len() > 15 {
                names.push("…");
            }
            let tooltip = format!("{count} more: {}", names.join(", "));
            draw_node(
                s,
                id,
                x,
                y,
                "n more",
                &format!("+{count} more"),
                Some("see the full list"),
                &tooltip,
                d.more_href.as_deref(),
            );
        }
    }
}

/// Candidate label positions along a route: the middle of each horizontal run through a dummy
/// (most room), then the middle of each curve, middle ones first.
fn label_spots(
    chain: &[usize],
    vertices: &[Vertex],
    x_of: &dyn Fn(usize) -> f64,
) -> Vec<(f64, f64)> {
    let mut runs = Vec::new();
    let mut curves = Vec::new();
    let mut extra = Vec::new();
    for (k, &v) in chain.iter().enumerate() {
        let x = x_of(vertices[v].layer);
        if k > 0 && k + 1 < chain.len() {
            runs.push((x + NODE_W / 2.0, vertices[v].y));
        }
        if k > 0 {
            let prev = chain[k - 1];
            let px = x_of(vertices[prev].layer) + NODE_W;
            let (py, y) = (vertices[prev].y, vertices[v].y);
            let mid = (px + x) / 2.0;
            curves.push((mid, (py + y) / 2.0));
            for t in [0.3f64, 0.7] {
                let u = 1.0 - t;
                let bx =
                    u * u * u * px + 3.0 * u * u * t * mid + 3.0 * u * t * t * mid + t * t * t * x;
                let by =
                    u * u * u * py + 3.0 * u * u * t * py + 3.0 * u * t * t * y + t * t * t * y;
                extra.push((bx, by));
            }
        }
    }
    let middle_first = |v: Vec<(f64, f64)>| {
        let mid = v.len() / 2;
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(v.len());
        for i in 0..v.len() {
            let j = if i % 2 == 0 {
                mid + i / 2
            } else {
                mid.wrapping_sub(i / 2 + 1)
            };
            if let Some(&p) = v.get(j) {
                out.push(p);
            }
        }
        out
    };
    let mut spots = middle_first(runs);
    spots.extend(middle_first(curves));
    spots.extend(extra);
    spots
}

/// Put a label at the first spot where it overlaps no label placed before (else the first spot).
fn place_label(
    out: &mut String,
    placed: &mut Vec<(f64, f64, f64)>,
    label: &str,
    spots: &[(f64, f64)],
) {
    let w = 10.0 + 7.0 * label.chars().count() as f64;
    let free = |&(x, y): &(f64, f64)| {
        placed
            .iter()
            .all(|&(px, py, pw)| (px - x).abs() * 2.0 >= pw + w + 2.0 || (py - y).abs() >= 20.0)
    };
    let Some(&(lx, ly)) = spots.iter().find(|s| free(s)).or(spots.first()) else {
        return;
    };
    placed.push((lx, ly, w));
    let _ = write!(
        out,
        r#"<g class="elabel"><rect x="{}" y="{}" width="{}" height="18" rx="9"/><text x="{}" y="{}">{}</text></g>"#,
        num(lx - w / 2.0),
        num(ly - 9.0),
        num(w),
        num(lx),
        num(ly + 4.0),
        escape(label)
    );
}

#[allow(clippy::too_many_arguments)]
fn draw_node(
    s: &mut String,
    id: &str,
    x: f64,
    y: f64,
    class: &str,
    label: &str,
    sublabel: Option<&str>,
    tooltip: &str,
    href: Option<&str>,
) {
    // Written straight into the diagram (no string per attribute): a product page draws every
    // direct neighbour, and these allocations showed in its profile.
    let short = truncate(label, LABEL_CHARS);
    let sub = sublabel.map(|sub| truncate(sub, SUB_CHARS));
    let name = link_name(&short, sub.as_deref());
    let close = match href {
        Some(h) => {
            s.push_str("<a href=\"");
            push_escaped(s, h);
            s.push_str("\" aria-label=\"");
            push_escaped(s, &name);
            s.push_str("\">");
            "</a>"
        }
        None => {
            s.push_str("<g role=\"img\" aria-label=\"");
            push_escaped(s, &name);
            s.push_str("\">");
            "</g>"
        }
    };
    // The tooltip says what the box does not: the full name when it is cut, and the tooltip.
    let cut = short != label;
    if cut || !tooltip.is_empty() {
        s.push_str("<title>");
        if cut {
            push_escaped(s, label);
            if !tooltip.is_empty() {
                s.push_str(", ");
            }
        }
        if !cut || !tooltip.is_empty() {
            push_escaped(s, tooltip);
        }
        s.push_str("</title>");
    }
    s.push_str("<g class=\"");
    push_escaped(s, class);
    let _ = write!(
        s,
        r##"" transform="translate({} {})"><use href="#{id}-n"/>"##,
        num(x),
        num(y),
    );
    // The sublabel is a `<tspan>` of the label's `<text>` (one element less per node), after a
    // space: the link's visible text reads as two words, as its accessible name does.
    match &sub {
        Some(sub) => {
            s.push_str(r#"<text x="10" y="18">"#);
            push_escaped(s, &short);
            s.push_str(r#" <tspan x="10" y="34">"#);
            push_escaped(s, sub);
            s.push_str("</tspan></text>");
        }
        None => {
            s.push_str(r#"<text x="10" y="26">"#);
            push_escaped(s, &short);
            s.push_str("</text>");
        }
    }
    s.push_str("</g>");
    s.push_str(close);
}

/// A box link's accessible name is its visible text (speech users say what they see; axe's
/// label-content-name-mismatch); the fuller tooltip is the `<title>`, read as its description.
fn link_name(label: &str, sub: Option<&str>) -> String {
    match sub.filter(|s| !s.is_empty()) {
        Some(sub) => format!("{label}, {sub}"),
        None => label.to_string(),
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Integers where possible, one decimal otherwise: short and byte-stable.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn separation(a: &Vertex, b: &Vertex) -> f64 {
    let gap = if a.node.is_none() && a.more.is_none() || b.node.is_none() && b.more.is_none() {
        DUMMY_GAP
    } else {
        GAP_Y
    };
    (a.height() + b.height()) / 2.0 + gap
}

/// Edges that close a cycle, found by iterative depth-first search from `roots` in order.
fn back_edges(roots: &[usize], out: &[Vec<usize>]) -> std::collections::HashSet<(usize, usize)> {
    let n = out.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut back = std::collections::HashSet::new();
    for &root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*i) {
                *i += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Longest-path layers of a DAG; sources then move right, next to their nearest consumer.
fn layers(n: usize, dag: &[(usize, usize, bool)], roots: &[usize]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in dag {
        out[a].push(b);
        indegree[b] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut remaining = indegree.clone();
    let mut topo: Vec<usize> = roots
        .iter()
        .copied()
        .filter(|&v| indegree[v] == 0)
        .collect();
    let mut i = 0;
    while i < topo.len() {
        let v = topo[i];
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            remaining[w] -= 1;
            if remaining[w] == 0 {
                topo.push(w);
            }
        }
        i += 1;
    }
    for &v in topo.iter().rev() {
        if indegree[v] == 0 {
            if let Some(min) = out[v].iter().map(|&w| layer[w]).min() {
                layer[v] = min.saturating_sub(1);
            }
        }
    }
    // Shift so the leftmost layer is 0.
    let min = layer.iter().copied().min().unwrap_or(0);
    layer.iter_mut().for_each(|l| *l -= min);
    layer
}

fn sort_by_barycentre(row: &mut [usize], neighbours: &[Vec<usize>], pos: &mut [f64]) {
    // Keys computed once into a vector: hashed lookups inside the comparator cost more than
    // the whole rest of the layout on dense neighbourhoods.
    let mut keyed: Vec<(f64, f64, usize)> = row
        .iter()
        .map(|&v| {
            let ns = &neighbours[v];
            let b = if ns.is_empty() {
                pos[v]
            } else {
                ns.iter().map(|&w| pos[w]).sum::<f64>() / ns.len() as f64
            };
            (b, pos[v], v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    for (k, (_, _, v)) in keyed.into_iter().enumerate() {
        row[k] = v;
        pos[v] = k as f64;
    }
}

/// Move the vertices of one row as close to the mean y of their neighbours as the order and
/// the minimum separations allow (pool-adjacent-violators on the offset positions).
fn place_row(row: &[usize], neighbours: &[Vec<usize>], vertices: &mut [Vertex]) {
    if row.is_empty() {
        return;
    }
    let mut offset = Vec::with_capacity(row.len());
    let mut acc = 0.0;
    for (k, &v) in row.iter().enumerate() {
        if k > 0 {
            acc += separation(&vertices[row[k - 1]], &vertices[v]);
        }
        offset.push(acc);
    }
    // Blocks of (sum of targets, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(row.len());
    for (k, &v) in row.iter().enumerate() {
        let ns = &neighbours[v];
        let (target, weight) = if ns.is_empty() {
            (vertices[v].y, 0.2)
        } else {
            let mean = ns.iter().map(|&w| vertices[w].y).sum::<f64>() / ns.len() as f64;
            let weight = if vertices[v].node.is_some() { 1.0 } else { 0.6 };
            (mean, weight)
        };
        blocks.push(((target - offset[k]) * weight, weight, 1));
        while blocks.len() > 1 {
            let last = blocks[blocks.len() - 1];
            let prev = blocks[blocks.len() - 2];
            if prev.0 / prev.1 > last.0 / last.1 {
                blocks.pop();
                if let Some(merged) = blocks.last_mut() {
                    merged.0 += last.0;
                    merged.1 += last.1;
                    merged.2 += last.2;
                }
            } else {
                break;
            }
        }
    }
    let mut k = 0;
    for (sum, weight, count) in blocks {
        let z = sum / weight;
        for _ in 0..count {
            vertices[row[k]].y = z + offset[k];
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: &str) -> DNode {
        DNode {
            key: key.into(),
            label: key.into(),
            tooltip: key.into(),
            href: Some(format!("{key}.html")),
            class: "d0".into(),
            ..DNode::default()
        }
    }

    fn edge(from: usize, to: usize) -> DEdge {
        DEdge {
            from,
            to,
            label: None,
        }
    }

    #[test]
    fn cycles_self_loops_and_overflow_give_sane_deterministic_svg() {
        let mut nodes: Vec<DNode> = (0..40).map(|i| node(&format!("p{i:02}"))).collect();
        nodes[0].focus = true;
        nodes[5].weight = 10; // kept visible, so its back edge is drawn
        let mut edges: Vec<DEdge> = (1..40).map(|i| edge(0, i)).collect();
        edges.push(edge(5, 0)); // cycle
        edges.push(edge(3, 3)); // self loop
        edges.push(edge(2, 99)); // out of range
        let d = Diagram {
            id: "t".into(),
            label: "test <&>".into(),
            nodes,
            edges,
            max_per_layer: 12,
            more_href: Some("#list".into()),
        };
        let a = render(&d);
        let b = render(&d);
        assert_eq!(a, b);
        assert!(a.contains("+28 more"), "{a}");
        assert!(a.contains(r##"href="#list""##));
        assert!(a.contains("test &lt;&amp;&gt;"));
        assert!(
            a.contains(r#"<path class="b" d="#) && a.contains(r##"marker-start="url(#t-a)""##),
            "the two-way edge is drawn dashed, an arrow at each end"
        );
        // The arrow is set once on the edge group, the box shape once in defs.
        assert_eq!(a.matches("marker-end=").count(), 1, "{a}");
        assert_eq!(a.matches(r##"<use href="#t-n"/>"##).count(), 13);
        assert!(!a.contains("<rect width"));
        assert_eq!(
            a.matches("<a href=").count(),
            13,
            "11 kept, the focus, +N more"
        );
    }

    /// The x of each node's box, by label, as drawn.
    fn columns(svg: &str) -> BTreeMap<String, String> {
        svg.split("<title>")
            .skip(1)
            .filter_map(|part| {
                let title = part.split("</title>").next()?;
                let x = part.split("translate(").nth(1)?.split(' ').next()?;
                Some((title.to_string(), x.to_string()))
            })
            .collect()
    }

    #[test]
    fn direct_neighbours_of_the_focus_share_a_column() {
        // focus → a, focus → b and a → b; up → focus, up → focus's other source `u2`.
        let mut nodes = vec![node("focus"), node("a"), node("b"), node("up"), node("u2")];
        nodes[0].focus = true;
        let edges = vec![
            edge(0, 1),
            edge(0, 2),
            edge(1, 2),
            edge(3, 0),
            edge(4, 0),
            edge(3, 4),
        ];
        let svg = render(&Diagram {
            id: "t".into(),
            label: "x".into(),
            nodes: nodes.clone(),
            edges: edges.clone(),
            max_per_layer: 12,
            more_href: None,
        });
        let x = columns(&svg);
        assert_eq!(x["a"], x["b"], "consumers side by side: {x:?}");
        assert_eq!(x["up"], x["u2"], "sources side by side: {x:?}");
        assert_ne!(x["a"], x["focus"]);
        assert_eq!(x.len(), 5);
        // Without a focus the same graph is layered by longest path: b after a.
        nodes[0].focus = false;
        let plain = columns(&render(&Diagram {
            id: "t".into(),
            label: "x".into(),
            nodes,
            edges,
            max_per_layer: 12,
            more_href: None,
        }));
        assert_ne!(plain["a"], plain["b"]);
    }

    #[test]
    fn long_edges_are_routed_through_layers() {
        let nodes = vec![node("a"), node("b"), node("c"), node("d")];
        let edges = vec![edge(0, 1), edge(1, 2), edge(2, 3), edge(0, 3)];
        let svg = render(&Diagram {
            id: "t".into(),
            label: "x".into(),
            nodes,
            edges,
            max_per_layer: 12,
            more_href: None,
        });
        // a → d spans three layers: three curve segments joined by two horizontal runs.
        assert!(svg.matches('H').count() >= 2, "{svg}");
        assert!(render(&Diagram::default()).is_empty());
    }
}
