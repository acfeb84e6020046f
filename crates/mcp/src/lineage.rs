//! Lineage from `catalog.json` (`lineage.edges`: `[from, to, kind]`, upstream first): who feeds
//! an entity and whom it feeds, N hops out, bounded so that one hub cannot flood an answer.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

/// Most hops walked, whatever is asked.
pub const MAX_HOPS: usize = 10;
/// Most nodes in one answer; the walk stops there and says it was cut.
pub const MAX_NODES: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Both,
}

/// Node → its neighbours on one side, with the edge kind.
type Adjacency = HashMap<String, Vec<(String, String)>>;

/// The edges of the site's lineage graph, indexed both ways.
#[derive(Default)]
pub struct Graph {
    /// node → the nodes it feeds, with the edge kind.
    down: Adjacency,
    /// node → the nodes that feed it.
    up: Adjacency,
    /// Nodes that are not products (systems, unresolved references): kind and name.
    pub others: HashMap<String, (String, Option<String>)>,
}

/// One node reached: how far, and on which side of the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    pub id: String,
    pub hops: usize,
    pub side: &'static str,
}

/// What a walk found: nodes in the order reached, the edges between them, and whether the
/// node bound cut it short.
#[derive(Debug, Default)]
pub struct Walk {
    pub nodes: Vec<Reached>,
    pub edges: Vec<(String, String, String)>,
    pub truncated: bool,
}

impl Graph {
    pub fn new(lineage: Option<&Value>) -> Graph {
        let mut g = Graph::default();
        let Some(lineage) = lineage else {
            return g;
        };
        for e in lineage
            .get("edges")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let part = |i: usize| e.get(i).and_then(Value::as_str).map(str::to_string);
            let (Some(from), Some(to)) = (part(0), part(1)) else {
                continue;
            };
            let kind = part(2).unwrap_or_default();
            g.down
                .entry(from.clone())
                .or_default()
                .push((to.clone(), kind.clone()));
            g.up.entry(to).or_default().push((from, kind));
        }
        for n in lineage
            .get("nodes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = n.get("id").and_then(Value::as_str) {
                let kind = n.get("kind").and_then(Value::as_str).unwrap_or("other");
                let name = n.get("name").and_then(Value::as_str).map(str::to_string);
                g.others.insert(id.to_string(), (kind.to_string(), name));
            }
        }
        g
    }

    /// Walk from `start` up to `hops` away (at most [`MAX_HOPS`]), breadth first.
    pub fn walk(&self, start: &str, direction: Direction, hops: usize) -> Walk {
        let hops = hops.clamp(1, MAX_HOPS);
        let mut walk = Walk::default();
        let sides: &[(&Adjacency, &'static str)] = match direction {
            Direction::Up => &[(&self.up, "upstream")],
            Direction::Down => &[(&self.down, "downstream")],
            Direction::Both => &[(&self.up, "upstream"), (&self.down, "downstream")],
        };
        for &(edges, side) in sides {
            let mut seen: HashMap<&str, usize> = HashMap::from([(start, 0)]);
            let mut queue = VecDeque::from([(start, 0usize)]);
            while let Some((node, depth)) = queue.pop_front() {
                if depth == hops {
                    continue;
                }
                for (next, kind) in edges.get(node).into_iter().flatten() {
                    // Edges point downstream: walking up, `next` is the edge's source.
                    let edge = if side == "upstream" {
                        (next.clone(), node.to_string(), kind.clone())
                    } else {
                        (node.to_string(), next.clone(), kind.clone())
                    };
                    if seen.contains_key(next.as_str()) {
                        if !walk.edges.contains(&edge) && walk.edges.len() < MAX_NODES * 2 {
                            walk.edges.push(edge);
                        }
                        continue;
                    }
                    if walk.nodes.len() >= MAX_NODES {
                        walk.truncated = true;
                        break;
                    }
                    seen.insert(next, depth + 1);
                    walk.nodes.push(Reached {
                        id: next.clone(),
                        hops: depth + 1,
                        side,
                    });
                    walk.edges.push(edge);
                    queue.push_back((next, depth + 1));
                }
            }
        }
        walk
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain() -> Graph {
        // a → b → c → d, and x → c; c → a would be a cycle.
        Graph::new(Some(&json!({
            "nodes": [{"id": "system:x", "kind": "system", "name": "X"}],
            "edges": [["a","b","dataProduct"],["b","c","dataProduct"],["c","d","dataProduct"],
                      ["system:x","c","system"],["c","a","dataProduct"]]
        })))
    }

    #[test]
    fn hops_bound_the_walk_and_cycles_end() {
        let g = chain();
        let ids = |w: &Walk| w.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
        let down1 = g.walk("b", Direction::Down, 1);
        assert_eq!(ids(&down1), vec!["c"]);
        let down3 = g.walk("b", Direction::Down, 3);
        assert_eq!(ids(&down3), vec!["c", "d", "a"]);
        assert_eq!(down3.nodes[1].hops, 2);
        let up = g.walk("c", Direction::Up, 1);
        assert_eq!(ids(&up), vec!["b", "system:x"]);
        assert!(up
            .edges
            .contains(&("system:x".into(), "c".into(), "system".into())));
        let both = g.walk("c", Direction::Both, 1);
        assert_eq!(both.nodes.len(), 4);
        assert!(g.walk("nowhere", Direction::Both, 5).nodes.is_empty());
    }

    #[test]
    fn a_hub_is_cut_at_the_node_bound() {
        let edges: Vec<Value> = (0..MAX_NODES + 50)
            .map(|i| json!(["hub", format!("n{i}"), "dataProduct"]))
            .collect();
        let g = Graph::new(Some(&json!({ "edges": edges })));
        let w = g.walk("hub", Direction::Down, 99);
        assert_eq!(w.nodes.len(), MAX_NODES);
        assert!(w.truncated);
    }
}
