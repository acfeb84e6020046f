use super::*;
use model::measure::MetricBatch;

fn origin() -> Origin {
    Origin {
        source: "orders-repo".into(),
        path: "metrics/test-run.json".into(),
        line: 1,
        ..Origin::default()
    }
}

fn parse(text: &str) -> (Vec<MetricBatch>, Vec<Diagnostic>) {
    let file = model::SourceFile::new(&origin().source, &origin().path, text.as_bytes());
    let parsed = crate::parse_file_in(&file, &Default::default(), Place::default());
    let batches = parsed
        .documents
        .into_iter()
        .filter_map(|d| match d {
            Document::Metrics(b) => Some(*b),
            _ => None,
        })
        .collect();
    (batches, parsed.diagnostics)
}

fn values(batch: &MetricBatch) -> Vec<(String, f64)> {
    batch
        .series
        .iter()
        .map(|s| (s.metric.clone(), s.points[0].value))
        .collect()
}

const CLI_RUN: &str = r#"{
  "datacontractCliVersion": "1.2.8",
  "dataContractId": "payments",
  "dataProductId": null,
  "outputPortId": null,
  "timestampStart": "2026-10-01T06:00:00Z",
  "result": "failed",
  "checks": [
    {"type": "field_is_present", "field": "id", "qualityId": null, "result": "passed",
     "diagnostics": {"metric": "field_present", "present": true}},
    {"type": "field_null_values", "field": "amount", "qualityId": "amount-present", "result": "failed",
     "diagnostics": {"metric": "missing_count", "value": 7, "threshold": "= 0"}},
    {"type": "servicelevel_freshness", "field": "ts", "qualityId": null, "result": "passed",
     "diagnostics": {"metric": "freshness", "age_seconds": 3600, "threshold_seconds": 86400}}
  ]
}"#;

#[test]
fn a_datacontract_cli_run_becomes_points_of_the_rules_it_checked() {
    let (batches, diagnostics) = parse(CLI_RUN);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let batch = &batches[0];
    assert_eq!(
        values(batch),
        vec![
            ("amount-present".to_string(), 7.0),
            ("freshnessSeconds".to_string(), 3600.0),
            ("checks.passed".to_string(), 2.0),
            ("checks.failed".to_string(), 1.0),
        ]
    );
    let s = &batch.series[0];
    assert_eq!(
        (s.product.as_str(), s.contract.as_deref()),
        ("", Some("payments"))
    );
    assert_eq!(
        s.points[0].ts,
        model::time::parse_timestamp("2026-10-01T06:00:00Z").unwrap()
    );
    assert_eq!(s.points[0].line, 11, "the point is located at its check");
}

#[test]
fn a_cut_off_results_file_is_one_located_error() {
    let cut = &CLI_RUN[..CLI_RUN.find("servicelevel").unwrap()];
    let (batches, diagnostics) = parse(cut);
    assert!(batches.is_empty());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d.code.as_str(), "test-results");
    assert_eq!(d.file, "metrics/test-run.json");
    assert!(d.line.is_some_and(|l| l >= 12), "{d:?}");
}

#[test]
fn a_bad_check_costs_one_error_and_the_rest_is_read() {
    let bad = CLI_RUN.replace(
        r#""result": "failed",
     "diagnostics": {"metric": "missing_count""#,
        r#""result": "exploded",
     "diagnostics": {"metric": "missing_count""#,
    );
    let (batches, diagnostics) = parse(&bad);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code.as_str(), "test-results");
    assert_eq!(diagnostics[0].line, Some(11));
    assert!(diagnostics[0].message.contains("exploded"));
    assert_eq!(
        values(&batches[0]),
        vec![
            ("freshnessSeconds".to_string(), 3600.0),
            ("checks.passed".to_string(), 2.0),
            ("checks.failed".to_string(), 0.0),
        ]
    );
}

#[test]
fn a_run_without_a_time_or_a_contract_is_reported_and_skipped() {
    let (batches, diagnostics) =
        parse(&CLI_RUN.replace("\"2026-10-01T06:00:00Z\"", "\"yesterday\""));
    assert!(batches.is_empty());
    assert_eq!(diagnostics[0].code.as_str(), "metric-timestamp");
    assert_eq!(diagnostics[0].line, Some(6));
    let (batches, diagnostics) = parse(&CLI_RUN.replace("\"dataContractId\": \"payments\",", ""));
    assert!(batches.is_empty());
    assert_eq!(diagnostics[0].code.as_str(), "missing-field");
}

const OORS: &str = "apiVersion: v0.8.1
kind: ObservabilityResults
id: 3d2b6e90
observedAt: \"2026-10-02T06:00:00Z\"
source:
  process: nightly
contract:
  contractId: payments
  version: 1.0.0
results:
  - id: amount_nulls
    type: check
    name: Amount present
    status: pass
    relatesTo: schema/payments/properties/amount/quality/amount-present
    measure:
      metric: nullValues
      value: 0
  - id: stale
    type: metric
    name: Fresh enough
    status: fail
    measure:
      metric: age
      value: 30
      unit: hours
  - id: skipped
    type: check
    name: Not run
    status: skip
  - id: odd
    type: check
    name: Odd
    status: maybe
";

#[test]
fn an_observability_results_envelope_becomes_points_too() {
    let (batches, diagnostics) = parse(OORS);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        (diagnostics[0].code.as_str(), diagnostics[0].line),
        ("test-results", Some(34))
    );
    assert_eq!(
        values(&batches[0]),
        vec![
            ("amount-present".to_string(), 0.0),
            ("freshnessSeconds".to_string(), 108_000.0),
            ("checks.passed".to_string(), 1.0),
            ("checks.failed".to_string(), 1.0),
        ]
    );
    assert_eq!(batches[0].series[0].contract.as_deref(), Some("payments"));
}

#[test]
fn an_envelope_without_a_contract_is_an_error() {
    let text = OORS.replace("contract:\n  contractId: payments\n  version: 1.0.0\n", "");
    let (batches, diagnostics) = parse(&text);
    assert!(batches.is_empty());
    assert!(diagnostics
        .iter()
        .any(|d| d.code.as_str() == "test-results" && d.message.contains("name no contract")));
}
