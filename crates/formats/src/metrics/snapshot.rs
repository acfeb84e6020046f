//! Reading YAML metric snapshots (`kind: MetricSnapshot`, one run of one product).

use model::measure::{MetricBatch, RawPoint, RawSeries};
use model::time::parse_timestamp;
use model::Code;

use crate::read::{text, Ctx};
use crate::thresholds::number;
use crate::Document;
use model::yaml::{Node, Value};

/// One `kind: MetricSnapshot` document.
pub fn parse_snapshot(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    if let Some(api) = text(doc, "apiVersion").filter(|a| a != "meshdoc/v1") {
        let pos = doc.get("apiVersion").map_or(doc.pos, |n| n.pos);
        ctx.warn_at(
            pos,
            Code::MetricSnapshotVersion,
            format!("unknown snapshot version `{api}`; read as meshdoc/v1"),
            "write `apiVersion: meshdoc/v1`",
        );
    }
    let product = ctx.required_str(doc, "product", "the id of the data product measured");
    let port = ctx.str(doc, "outputPort");
    let Some(ts_node) = doc.get("timestamp").filter(|n| !n.is_null()) else {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `timestamp` is missing or empty".into(),
            "add `timestamp:` with the time of measurement, e.g. 2026-11-25T06:00:00Z",
        );
        return;
    };
    let ts = match ts_node.scalar_text().map(|t| parse_timestamp(&t)) {
        Some(Ok(ts)) => ts,
        Some(Err(message)) => {
            ctx.error_at(
                ts_node.pos,
                Code::MetricTimestamp,
                message,
                "write RFC 3339 with a time zone, e.g. 2026-11-25T06:00:00Z",
            );
            return;
        }
        None => {
            ctx.error_at(
                ts_node.pos,
                Code::MetricTimestamp,
                format!(
                    "`timestamp` must be a single value, found {}",
                    ts_node.value.kind_name()
                ),
                "write RFC 3339 with a time zone, e.g. 2026-11-25T06:00:00Z",
            );
            return;
        }
    };
    let metrics = ctx.map(doc, "metrics");
    let Some(product) = product else { return };
    let Some(metrics) = metrics else {
        if doc.get("metrics").is_none_or(Node::is_null) {
            ctx.error_at(
                doc.pos,
                Code::MissingField,
                "required field `metrics` is missing or empty".into(),
                "add `metrics:` with one `name: number` line per measured value",
            );
        }
        return;
    };
    let line = doc.get("product").map_or(doc.pos.line, |n| n.pos.line);
    let mut series = Vec::new();
    flatten(ctx, metrics, "", &mut |metric, value, line_of_value| {
        series.push(RawSeries {
            product: product.clone(),
            contract: None,
            port: port.clone(),
            metric,
            line,
            points: vec![RawPoint {
                ts,
                value,
                line: line_of_value,
            }],
        });
    });
    out.push(Document::Metrics(Box::new(MetricBatch {
        origin: ctx.origin.clone(),
        series,
        timestamp_line: Some(ts_node.pos.line),
    })));
}

/// Nested metrics become dotted names: `checks: {passed: 41}` is `checks.passed`.
fn flatten(ctx: &mut Ctx, map: &Node, prefix: &str, emit: &mut dyn FnMut(String, f64, u32)) {
    for (key, value) in map.entries() {
        let name = if prefix.is_empty() {
            key.text.clone()
        } else {
            format!("{prefix}.{}", key.text)
        };
        match &value.value {
            Value::Map(_) => flatten(ctx, value, &name, emit),
            Value::Null => ctx.warn_at(
                value.pos,
                Code::MetricValue,
                format!("metric `{name}` has no value; it is skipped"),
                "write a number, or leave the metric out when it was not measured",
            ),
            _ => match number(value) {
                Some(v) => emit(name, v, value.pos.line),
                None => ctx.error_at(
                    value.pos,
                    Code::MetricValue,
                    format!(
                        "metric `{name}` must be a number, found {}",
                        describe(value)
                    ),
                    "write a plain number such as 42 or 0.998 (no units, no thousands separators)",
                ),
            },
        }
    }
}

fn describe(node: &Node) -> String {
    match node.scalar_text() {
        Some(t) => format!("`{t}`"),
        None => node.value.kind_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::yaml::parse_documents;
    use model::Origin;

    fn origin(path: &str) -> Origin {
        Origin {
            source: "repo".into(),
            path: path.into(),
            line: 1,
            ..Origin::default()
        }
    }

    #[test]
    fn yaml_snapshot_flattens_nested_metrics() {
        let doc = &parse_documents(
            "apiVersion: meshdoc/v1\nkind: MetricSnapshot\nproduct: orders\noutputPort: main\ntimestamp: 2026-11-25T06:00:00Z\nmetrics:\n  rowCount: 1834521\n  completeness: 0.998\n  checks: { passed: 41, failed: 1 }\n  note: fine\n",
        )
        .unwrap()[0];
        assert_eq!(crate::sniff(doc), Some(crate::Kind::MetricSnapshot));
        let o = origin("metrics/orders-2026-11-25.yaml");
        let mut ctx = Ctx::new(&o);
        let mut out = Vec::new();
        parse_snapshot(&mut ctx, doc, &mut out);
        assert_eq!(ctx.diagnostics.len(), 1, "{:?}", ctx.diagnostics);
        assert_eq!(
            (ctx.diagnostics[0].code.as_str(), ctx.diagnostics[0].line),
            ("metric-value", Some(10))
        );
        let Some(Document::Metrics(batch)) = out.first() else {
            panic!("no batch")
        };
        let names: Vec<&str> = batch.series.iter().map(|s| s.metric.as_str()).collect();
        assert_eq!(
            names,
            vec!["rowCount", "completeness", "checks.passed", "checks.failed"]
        );
        assert_eq!(batch.series[0].port.as_deref(), Some("main"));
        assert_eq!(batch.series[3].points[0].line, 9);
    }

    #[test]
    fn yaml_snapshot_with_a_bad_timestamp_is_one_error() {
        let doc = &parse_documents(
            "apiVersion: meshdoc/v1\nkind: MetricSnapshot\nproduct: orders\ntimestamp: last tuesday\nmetrics:\n  rowCount: 1\n",
        )
        .unwrap()[0];
        let o = origin("m.yaml");
        let mut ctx = Ctx::new(&o);
        let mut out = Vec::new();
        parse_snapshot(&mut ctx, doc, &mut out);
        assert!(out.is_empty());
        assert_eq!(
            (ctx.diagnostics[0].code.as_str(), ctx.diagnostics[0].line),
            ("metric-timestamp", Some(4))
        );
    }
}
