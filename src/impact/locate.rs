//! The line of the file as it is now that a change is about, for an annotation on it: the
//! property, else its object, else `schema`, else the contract's first line. A removed column
//! has no line of its own: its object's line is where a reviewer looks.

use meshdoc::model::yaml::{self, Node};

/// The 1-based line for change `path` (`object.column.nested`, `sla.latency`, …) of contract `id`.
pub fn line(text: &str, id: &str, path: &str) -> u32 {
    let Ok(docs) = yaml::parse_documents(text) else {
        return 1;
    };
    let doc = docs
        .iter()
        .find(|d| d.get("id").and_then(Node::scalar_text).as_deref() == Some(id))
        .or(docs.first());
    let Some(doc) = doc else {
        return 1;
    };
    let first = doc.pos.line.max(1);
    let Some(schema) = doc.get("schema").or_else(|| doc.get("models")) else {
        return contract_level(doc, path).unwrap_or(first);
    };
    let mut parts = path.split('.');
    let Some(object) = parts.next().filter(|o| !o.is_empty()) else {
        return first;
    };
    let Some(mut node) = named(schema, object) else {
        return contract_level(doc, path)
            .unwrap_or_else(|| key_line(doc, "schema").unwrap_or(first));
    };
    let mut found = node.pos.line;
    for part in parts {
        match node
            .get("properties")
            .or_else(|| node.get("fields"))
            .and_then(|p| named(p, part))
        {
            Some(child) => {
                node = child;
                found = child.pos.line;
            }
            None => break,
        }
    }
    found.max(1)
}

/// The line of a change to the whole contract: `id`, `sla.<property>`, `server.<name>`.
fn contract_level(doc: &Node, path: &str) -> Option<u32> {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    match head {
        "id" => key_line(doc, "id"),
        "sla" => {
            let list = doc.get("slaProperties")?;
            list.items()
                .iter()
                .find(|i| i.get("property").and_then(Node::scalar_text).as_deref() == Some(rest))
                .map(|i| i.pos.line)
                .or_else(|| key_line(doc, "slaProperties"))
        }
        "server" => {
            let list = doc.get("servers")?;
            if list.is_map() {
                return list
                    .get(rest)
                    .map(|n| n.pos.line)
                    .or_else(|| key_line(doc, "servers"));
            }
            list.items()
                .iter()
                .find(|i| i.get("server").and_then(Node::scalar_text).as_deref() == Some(rest))
                .map(|i| i.pos.line)
                .or_else(|| key_line(doc, "servers"))
        }
        _ => None,
    }
}

/// The item named `name` of a list of `{name: …}` items, or the entry `name` of a map (DCS).
fn named<'a>(list: &'a Node, name: &str) -> Option<&'a Node> {
    if list.is_map() {
        return list.get(name);
    }
    list.items()
        .iter()
        .find(|item| item.get("name").and_then(Node::scalar_text).as_deref() == Some(name))
}

fn key_line(doc: &Node, key: &str) -> Option<u32> {
    doc.entries()
        .iter()
        .find(|(k, _)| k.text == key)
        .map(|(k, _)| k.pos.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTRACT: &str = "apiVersion: v3.0.2\nkind: DataContract\nid: orders\nschema:\n  - name: orders\n    properties:\n      - name: order_id\n        logicalType: string\n      - name: address\n        properties:\n          - name: city\n";

    #[test]
    fn a_change_points_at_its_property_else_its_object() {
        assert_eq!(line(CONTRACT, "orders", "orders.order_id"), 7);
        assert_eq!(line(CONTRACT, "orders", "orders.address.city"), 11);
        // Removed: no line of its own, the object's line.
        assert_eq!(line(CONTRACT, "orders", "orders.total"), 5);
        assert_eq!(line(CONTRACT, "orders", "customers"), 4);
        assert_eq!(line(CONTRACT, "orders", "sla.latency"), 4);
        assert_eq!(line(CONTRACT, "orders", "id"), 3);
        let with_sla = format!("{CONTRACT}slaProperties:\n  - property: latency\n    value: 4\nservers:\n  - server: prod\n    type: snowflake\n");
        assert_eq!(line(&with_sla, "orders", "sla.latency"), 13);
        assert_eq!(line(&with_sla, "orders", "sla.retention"), 12);
        assert_eq!(line(&with_sla, "orders", "server.prod"), 16);
        assert_eq!(line("not: [yaml", "orders", "orders.x"), 1);
    }
}
