//! Where a value stands in a contract's file, for diagnostics found after reading (foreign keys,
//! column lineage): the contract's kept text is parsed again — only for contracts that have such
//! a finding — and the value is looked up under the object and property it belongs to.

use model::yaml::{self, Node, Pos, Value};
use model::DataContract;

/// The contract's own document (the one starting at its origin line), parsed from its kept text.
pub(crate) fn document(c: &DataContract) -> Option<Node> {
    let text = c.source_text.as_deref()?;
    let docs = yaml::parse_documents(text).ok()?;
    let line = c.origin.line;
    let i = docs
        .iter()
        .position(|d| d.pos.line == line)
        .or_else(|| docs.iter().rposition(|d| d.pos.line <= line))?;
    docs.into_iter().nth(i)
}

/// Keys whose value names a node (a schema object, a property).
const NAME_KEYS: &[&str] = &["name", "column", "table", "id", "field"];

/// How deep below a node a named child is looked for (`schema[].properties[].items…`).
const NAMED_DEPTH: usize = 4;

/// The node named `name` below `node`: a mapping entry with that key, or a mapping whose name
/// key holds it; breadth first, so the nearest wins.
fn named<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    let mut level = vec![node];
    for _ in 0..NAMED_DEPTH {
        let mut next = Vec::new();
        for n in level {
            match &n.value {
                Value::Map(entries) => {
                    for (k, v) in entries {
                        if k.text == name {
                            return Some(v);
                        }
                        if v.is_map()
                            && NAME_KEYS.iter().any(|nk| {
                                v.get(nk).and_then(Node::scalar_text).as_deref() == Some(name)
                            })
                        {
                            return Some(v);
                        }
                        next.push(v);
                    }
                }
                Value::Seq(items) => {
                    for item in items {
                        if NAME_KEYS.iter().any(|nk| {
                            item.get(nk).and_then(Node::scalar_text).as_deref() == Some(name)
                        }) {
                            return Some(item);
                        }
                        next.push(item);
                    }
                }
                _ => {}
            }
        }
        level = next;
    }
    None
}

/// Descend from `doc` through `path` (object name, then property names); a name that cannot be
/// found leaves the search where it is.
pub(crate) fn within<'a>(doc: &'a Node, path: &[&str]) -> &'a Node {
    let mut at = doc;
    for name in path {
        if let Some(n) = named(at, name) {
            at = n;
        }
    }
    at
}

/// Every place under `node` where the scalar `value` is written, in file order, each with the
/// key it stands under (for an item of a list, the list's key). The position is the key's for a
/// value written right after its key, the item's for a list item.
fn occurrences(node: &Node, value: &str, key: Option<&str>, out: &mut Vec<(Pos, Option<String>)>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                if v.scalar_text().as_deref() == Some(value) {
                    out.push((k.pos, Some(k.text.clone())));
                } else {
                    occurrences(v, value, Some(&k.text), out);
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                if item.scalar_text().as_deref() == Some(value) {
                    out.push((item.pos, key.map(str::to_string)));
                } else {
                    occurrences(item, value, key, out);
                }
            }
        }
        _ => {}
    }
}

/// A mapping that spells `value` as `name.field` (DCS `lineage.inputFields` items), depth first.
fn spelled(node: &Node, value: &str) -> Option<Pos> {
    let text = |n: &Node, k: &str| n.get(k).and_then(Node::scalar_text);
    match &node.value {
        Value::Map(entries) => {
            if let (Some(name), Some(field)) = (text(node, "name"), text(node, "field")) {
                if value == format!("{name}.{field}") {
                    return Some(node.pos);
                }
            }
            entries.iter().find_map(|(_, v)| spelled(v, value))
        }
        Value::Seq(items) => items.iter().find_map(|i| spelled(i, value)),
        _ => None,
    }
}

/// The first key among `keys` under `node`, depth first in file order.
fn first_key(node: &Node, keys: &[&str]) -> Option<Pos> {
    match &node.value {
        Value::Map(entries) => entries.iter().find_map(|(k, v)| {
            if keys.contains(&k.text.as_str()) {
                Some(k.pos)
            } else {
                first_key(v, keys)
            }
        }),
        Value::Seq(items) => items.iter().find_map(|i| first_key(i, keys)),
        _ => None,
    }
}

/// Where the `nth` (0-based) writing of `value` under one of `keys` stands below `node`; else
/// the first writing of it anywhere there; else the first of `keys` there (a value the reader
/// assembled, such as DCS `inputFields` `name.field`).
pub(crate) fn value(node: &Node, keys: &[&str], value: &str, nth: usize) -> Option<Pos> {
    let mut found = Vec::new();
    occurrences(node, value, None, &mut found);
    let under_keys: Vec<Pos> = found
        .iter()
        .filter(|(_, k)| k.as_deref().is_some_and(|k| keys.contains(&k)))
        .map(|(p, _)| *p)
        .collect();
    under_keys
        .get(nth)
        .or(under_keys.last())
        .copied()
        .or_else(|| found.first().map(|(p, _)| *p))
        .or_else(|| spelled(node, value))
        .or_else(|| first_key(node, keys))
        .filter(|p| p.line > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
kind: DataContract
schema:
  - name: orders
    properties:
      - name: customer_id
        relationships:
          - to: customers.id
      - name: region
        transformSourceObjects:
          - crm.accounts.region
  - name: lines
    properties:
      - name: order_id
        relationships:
          - to: customers.id
";

    #[test]
    fn values_are_found_under_their_object_and_key() {
        let doc = &yaml::parse_documents(DOC).unwrap()[0];
        assert_eq!(
            value(doc, &["to"], "customers.id", 1),
            Some(Pos {
                line: 15,
                column: 13
            })
        );
        let region = within(doc, &["orders", "region"]);
        assert_eq!(
            value(
                region,
                &["transformSourceObjects"],
                "crm.accounts.region",
                0
            ),
            Some(Pos {
                line: 10,
                column: 13
            })
        );
        let lines = within(doc, &["lines", "order_id"]);
        assert_eq!(
            value(lines, &["to"], "customers.id", 0),
            Some(Pos {
                line: 15,
                column: 13
            })
        );
        assert_eq!(
            value(
                within(doc, &["orders"]),
                &["transformSourceObjects"],
                "nowhere",
                0
            ),
            Some(Pos { line: 9, column: 9 })
        );
    }
}
