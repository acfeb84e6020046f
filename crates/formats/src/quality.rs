//! Quality rules of ODCS and DCS, turned into sentences a reader understands.

use model::QualityRule;

use crate::read::{display, text};
use model::display::{group_thousands, humanize};
use model::yaml::Node;

/// Comparison operators of ODCS v3 / DCS 1.x quality rules, with their English reading.
const OPERATORS: &[(&str, &str)] = &[
    ("mustBe", "must be"),
    ("mustNotBe", "must not be"),
    ("mustBeGreaterThan", "must be greater than"),
    ("mustBeGreaterOrEqualTo", "must be at least"),
    ("mustBeGreaterThanOrEqualTo", "must be at least"),
    ("mustBeLessThan", "must be less than"),
    ("mustBeLessOrEqualTo", "must be at most"),
    ("mustBeLessThanOrEqualTo", "must be at most"),
    ("mustBeBetween", "must be between"),
    ("mustNotBeBetween", "must not be between"),
];

/// Read a list of quality rules (ODCS `quality: [...]`, DCS `quality: [...]`).
pub fn rules(list: &[Node]) -> Vec<QualityRule> {
    list.iter().map(rule).collect()
}

pub fn rule(node: &Node) -> QualityRule {
    let kind = text(node, "type");
    let name = text(node, "name");
    let description = text(node, "description");
    let metric = text(node, "metric").or_else(|| text(node, "rule"));
    let condition = condition(node, text(node, "unit").as_deref());
    let summary = summary(
        node,
        kind.as_deref(),
        metric.as_deref(),
        description,
        condition,
    );
    QualityRule {
        id: text(node, "id"),
        name,
        kind: kind.or_else(|| metric.as_ref().map(|_| "library".to_string())),
        summary,
        dimension: text(node, "dimension"),
        severity: text(node, "severity"),
        schedule: text(node, "schedule").map(|s| match text(node, "scheduler") {
            Some(by) => format!("{s} ({by})"),
            None => s,
        }),
        operator: OPERATORS
            .iter()
            .find(|(key, _)| node.get(key).is_some())
            .map(|(key, _)| key.to_string()),
        threshold: OPERATORS
            .iter()
            .find_map(|(key, _)| node.get(key))
            .map(Node::to_json),
        details: node
            .entries()
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.text.as_str(),
                    "name"
                        | "type"
                        | "dimension"
                        | "severity"
                        | "schedule"
                        | "scheduler"
                        | "description"
                        | "query"
                        | "implementation"
                        | "customProperties"
                ) && !OPERATORS.iter().any(|(o, _)| *o == k.text)
            })
            .map(|(k, v)| model::Property {
                key: k.text.clone(),
                value: v.to_json(),
                ..Default::default()
            })
            .collect(),
        check: crate::thresholds::rule_check(node),
        description: text(node, "description"),
        query: text(node, "query"),
        implementation: node
            .get("implementation")
            .filter(|v| !v.is_null())
            .map(Node::to_json),
        custom: custom_properties(node),
    }
}

/// A rule's `customProperties: [{property, value}]` (read without diagnostics: the rules check
/// their shape).
fn custom_properties(node: &Node) -> Vec<model::Property> {
    node.get("customProperties")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            Some(model::Property {
                key: text(item, "property")?,
                value: item
                    .get("value")
                    .map_or(serde_json::Value::Null, Node::to_json),
                description: text(item, "description"),
            })
        })
        .collect()
}

/// The rule as one sentence, e.g. "row count must be greater than 1,000".
fn summary(
    node: &Node,
    kind: Option<&str>,
    metric: Option<&str>,
    description: Option<String>,
    condition: Option<String>,
) -> String {
    match (kind, metric) {
        (Some("sql"), _) => {
            let what = description.unwrap_or_else(|| "the SQL query result".to_string());
            match &condition {
                Some(c) => joined(&what, &format!("result {c}")),
                None => what,
            }
        }
        (_, Some(metric)) => {
            let mut s = humanize(metric).to_lowercase();
            if let Some(args) = node.get("arguments") {
                if let Some(valid) = args.get("validValues") {
                    s.push_str(&format!(" (valid values: {})", list_text(valid)));
                }
                if let Some(pattern) = text(args, "pattern") {
                    s.push_str(&format!(" (pattern {pattern})"));
                }
            }
            match &condition {
                Some(c) => format!("{s} {c}"),
                None => s,
            }
        }
        (Some("custom"), _) => {
            let engine = text(node, "engine").unwrap_or_else(|| "custom engine".into());
            // An engine's named check (`implementation: {check: {function: is_not_null}}`).
            let function = node
                .get("implementation")
                .and_then(|i| i.get("check").and_then(|c| text(c, "function")));
            description.unwrap_or_else(|| match function {
                Some(f) => format!("{f} ({engine})"),
                None => format!("custom check ({engine})"),
            })
        }
        _ => match (&description, &condition) {
            (Some(d), Some(c)) => joined(d, c),
            (Some(d), None) => d.clone(),
            (None, Some(c)) => format!("value {c}"),
            (None, None) => text(node, "specification")
                .or_else(|| text(node, "query"))
                .unwrap_or_else(|| "quality rule".into()),
        },
    }
}

/// A description and the condition after it, read as prose: a finished sentence is followed by
/// the next one ("…opening hours. Result must be less than 30"), anything else by a colon.
fn joined(lead: &str, rest: &str) -> String {
    let lead = lead.trim();
    if lead.ends_with(['.', '!', '?']) {
        let mut chars = rest.chars();
        let rest = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
        format!("{lead} {rest}")
    } else {
        format!(
            "{}: {rest}",
            lead.trim_end_matches([':', ';', ',']).trim_end()
        )
    }
}

/// "must be greater than 1,000 %" from the first operator present.
fn condition(node: &Node, unit: Option<&str>) -> Option<String> {
    let unit = match unit {
        Some("percent") | Some("%") => "%".to_string(),
        Some(u) => format!(" {u}"),
        None => String::new(),
    };
    OPERATORS.iter().find_map(|(key, words)| {
        let value = node.get(key)?;
        let shown = if value.items().len() == 2 {
            format!(
                "{} and {}",
                number_text(&value.items()[0]),
                number_text(&value.items()[1])
            )
        } else {
            number_text(value)
        };
        Some(format!("{words} {shown}{unit}"))
    })
}

/// Numbers with thousands separators, the way people read thresholds.
fn number_text(node: &Node) -> String {
    match &node.value {
        model::yaml::Value::Int(i) => group_thousands(*i),
        _ => display(node),
    }
}

fn list_text(node: &Node) -> String {
    let items: Vec<String> = node.items().iter().map(display).collect();
    if items.is_empty() {
        display(node)
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::yaml::parse_documents;

    fn one(text: &str) -> QualityRule {
        rule(&parse_documents(text).unwrap()[0])
    }

    #[test]
    fn library_metric_reads_as_a_sentence() {
        let r = one(
            "metric: rowCount\nmustBeGreaterThan: 1000\ndimension: completeness\nseverity: error\n",
        );
        assert_eq!(r.summary, "row count must be greater than 1,000");
        assert_eq!(r.dimension.as_deref(), Some("completeness"));
    }

    #[test]
    fn percent_unit_and_between() {
        assert_eq!(
            one("metric: nullValues\nmustBeLessThan: 1\nunit: percent\n").summary,
            "null values must be less than 1%"
        );
        assert_eq!(
            one("metric: rowCount\nmustBeBetween: [10, 20]\n").summary,
            "row count must be between 10 and 20"
        );
    }

    #[test]
    fn sql_rule_uses_description() {
        let r =
            one("type: sql\ndescription: No orders in the future\nquery: SELECT 1\nmustBe: 0\n");
        assert_eq!(r.summary, "No orders in the future: result must be 0");
        // A finished sentence is not followed by a colon.
        let r = one("type: sql\ndescription: \"Fresh during opening hours.\"\nquery: SELECT 1\nmustBeLessThan: 30\n");
        assert_eq!(
            r.summary,
            "Fresh during opening hours. Result must be less than 30"
        );
        let r = one("description: \"Few late orders:\"\nmustBeLessThan: 5\n");
        assert_eq!(r.summary, "Few late orders: must be less than 5");
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(group_thousands(-1000), "-1,000");
        assert_eq!(group_thousands(999), "999");
    }
}
