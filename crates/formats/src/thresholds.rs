//! The machine-readable thresholds of contracts (quality rule operators, SLA values with units),
//! which metric snapshots are compared against. Shared by ODCS, DCS and the quality rules.

use model::measure::{parse_duration, parse_ratio, unit_seconds, Check, OPERATOR_KEYS};
use model::yaml::{Node, Value};

use crate::read::text;

/// Metric, operator and threshold of a quality rule (`metric: rowCount`, `mustBeGreaterThan: 1000`).
pub fn rule_check(node: &Node) -> Option<Check> {
    let (op, value) = OPERATOR_KEYS
        .iter()
        .find_map(|(key, op)| node.get(key).map(|v| (*op, v)))?;
    let values: Vec<f64> = match &value.value {
        Value::Seq(items) => items.iter().filter_map(number).collect(),
        _ => number(value).into_iter().collect(),
    };
    if values.len() != op.arity() {
        return None;
    }
    Some(Check {
        metric: text(node, "metric").or_else(|| text(node, "rule")),
        op,
        values,
        unit: text(node, "unit"),
    })
}

pub(crate) fn number(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        Value::Str(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// An ODCS `slaProperties` value as a number: seconds for freshness, latency, frequency and
/// retention (`value: 24, unit: h`, `value: P1Y`); a ratio for availability (`99.9`, `percent`).
pub fn sla_threshold(property: &str, value: Option<&Node>, unit: Option<&str>) -> Option<f64> {
    let value = value?;
    let text = value.scalar_text()?;
    match property.to_ascii_lowercase().as_str() {
        "freshness" | "latency" | "frequency" | "retention" => match (number(value), unit) {
            (Some(n), Some(u)) => Some(n * unit_seconds(u)?),
            _ => parse_duration(&text),
        },
        "availability" => parse_ratio(&text, unit),
        _ => None,
    }
}

/// A DCS `servicelevels` entry as a number (see [`sla_threshold`]).
pub fn servicelevel_threshold(key: &str, node: &Node) -> Option<f64> {
    let field = |k: &str| text(node, k);
    match key.to_ascii_lowercase().as_str() {
        "availability" => parse_ratio(&field("percentage")?, None),
        "retention"
            if node
                .get("unlimited")
                .and_then(|u| u.scalar_text())
                .as_deref()
                == Some("true") =>
        {
            None
        }
        "retention" => parse_duration(&field("period")?),
        "latency" | "freshness" => parse_duration(&field("threshold")?),
        "frequency" => parse_duration(&field("interval")?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::measure::Op;
    use model::yaml::parse_documents;

    #[test]
    fn rule_checks_and_sla_thresholds() {
        let node = |t: &str| parse_documents(t).unwrap().remove(0);
        let c = rule_check(&node("metric: rowCount\nmustBeGreaterThan: 1000\n")).unwrap();
        assert_eq!(
            (c.metric.as_deref(), c.op, c.values),
            (Some("rowCount"), Op::Gt, vec![1000.0])
        );
        let c = rule_check(&node(
            "metric: nullValues\nmustBeBetween: [0, 5]\nunit: percent\n",
        ))
        .unwrap();
        assert_eq!(
            (c.op, c.values, c.unit.as_deref()),
            (Op::Between, vec![0.0, 5.0], Some("percent"))
        );
        assert!(rule_check(&node("metric: rowCount\nmustBeBetween: 5\n")).is_none());
        assert!(rule_check(&node("metric: rowCount\ndescription: x\n")).is_none());
        let v = node("24");
        assert_eq!(
            sla_threshold("freshness", Some(&v), Some("h")),
            Some(86_400.0)
        );
        assert_eq!(
            sla_threshold("retention", Some(&node("P1Y")), None),
            Some(31_536_000.0)
        );
        assert_eq!(
            sla_threshold("availability", Some(&node("99.5")), Some("percent")),
            Some(0.995)
        );
        assert_eq!(
            sla_threshold("timeOfAvailability", Some(&node("'07:00'")), None),
            None
        );
        assert_eq!(
            servicelevel_threshold("freshness", &node("threshold: 25h\n")),
            Some(90_000.0)
        );
        assert_eq!(
            servicelevel_threshold("availability", &node("percentage: 99.9%\n")),
            Some(0.999)
        );
        assert_eq!(
            servicelevel_threshold("frequency", &node("interval: daily\n")),
            Some(86_400.0)
        );
        assert_eq!(
            servicelevel_threshold("retention", &node("period: P1Y\nunlimited: true\n")),
            None
        );
    }
}
