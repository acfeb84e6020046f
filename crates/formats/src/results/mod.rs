//! Test results read as metric snapshots of the contract they checked: the JSON that
//! `datacontract test --output-format json` writes (datacontract-cli) and Bitol's draft Open
//! Observability Results Standard (`kind: ObservabilityResults`).
//!
//! A result that names a quality rule (datacontract-cli `qualityId`, OORS `relatesTo`) and
//! carries the measured value becomes a point of the metric named by the rule's `id`, which the
//! catalog checks against that rule (`catalog::metrics::objectives`); a freshness result becomes
//! `freshnessSeconds`, checked against the contract's freshness SLA; every run also counts its
//! passed and failed checks (`checks.passed`, `checks.failed`). The snapshot names the contract;
//! the catalog measures the product whose output port serves it. So pass/fail history,
//! sparklines and compliance come out of the one metric pipeline. README: "Test results".

mod datacontract_cli;
mod oors;

use model::measure::{MetricBatch, RawPoint, RawSeries};
use model::yaml::{self, Node};
use model::{Code, Diagnostic, Origin};

use crate::read::{plain_text, Ctx};
use crate::registry::Standard;
use crate::{Document, Kind, ParsedFile, Place};

pub struct TestResults;

/// How far into a file the markers of a results file are looked for.
const HEAD: usize = 4096;

impl Standard for TestResults {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::DatacontractTestResults, Kind::ObservabilityResults]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        (plain_text(doc, "kind") == "ObservabilityResults").then_some(Kind::ObservabilityResults)
    }

    /// datacontract-cli writes no `kind`: its results are known by their version key, or by a
    /// list of checks for a named contract.
    fn shaped(&self, doc: &Node) -> Option<Kind> {
        let cli = doc.get("datacontractCliVersion").is_some()
            || (doc.get("dataContractId").is_some()
                && doc.get("checks").is_some()
                && doc.get("result").is_some());
        cli.then_some(Kind::DatacontractTestResults)
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, kind: Kind, out: &mut Vec<Document>) {
        let run = match kind {
            Kind::ObservabilityResults => oors::read(ctx, doc),
            _ => datacontract_cli::read(ctx, doc),
        };
        if let Some(run) = run {
            out.push(Document::Metrics(Box::new(run.into_batch(ctx.origin))));
        }
    }

    /// A results file that YAML cannot read (a truncated JSON run) is reported here, located,
    /// rather than passed over as "not a manifest"; readable ones go the usual way.
    fn read_file(&self, text: &str, origin: &Origin, _place: Place) -> Option<ParsedFile> {
        if !is_results_head(&text[..floor_char_boundary(text, HEAD)]) {
            return None;
        }
        let e = yaml::parse_documents(text).err()?;
        let mut d = Diagnostic::error(
            Code::TestResults,
            format!("cannot read test results: {}", e.message),
        )
        .at_file(&origin.source, &origin.path)
        .hint("the file must be the complete JSON (or YAML) a test run wrote; was it cut off?");
        if let Some(pos) = e.pos {
            d = d.at(pos.line, pos.column);
        }
        Some(ParsedFile {
            documents: Vec::new(),
            diagnostics: vec![d],
        })
    }
}

/// Whether the first bytes of a file mark it as test results (also for a file too large to
/// read, which is then worth a `file-too-large` warning).
pub fn is_results_head(head: &str) -> bool {
    head.contains("datacontractCliVersion") || head.contains("ObservabilityResults")
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// One test run, as both readers produce it.
struct Run {
    ts: i64,
    contract: String,
    product: Option<String>,
    port: Option<String>,
    /// Line of the contract id (where an unknown contract is reported).
    line: u32,
    /// (metric, value, line of the result)
    values: Vec<(String, f64, u32)>,
    passed: u32,
    failed: u32,
    warned: u32,
}

impl Run {
    fn into_batch(self, origin: &Origin) -> MetricBatch {
        let mut values = self.values;
        values.push(("checks.passed".into(), f64::from(self.passed), self.line));
        values.push(("checks.failed".into(), f64::from(self.failed), self.line));
        if self.warned > 0 {
            values.push(("checks.warned".into(), f64::from(self.warned), self.line));
        }
        let series = values
            .into_iter()
            .map(|(metric, value, line)| RawSeries {
                product: self.product.clone().unwrap_or_default(),
                contract: Some(self.contract.clone()),
                port: self.port.clone(),
                metric,
                line: self.line,
                points: vec![RawPoint {
                    ts: self.ts,
                    value,
                    line,
                }],
            })
            .collect();
        MetricBatch {
            origin: origin.clone(),
            series,
            timestamp_line: None,
        }
    }
}

/// The run's time: `key` must be RFC 3339.
fn timestamp(ctx: &mut Ctx, doc: &Node, key: &str) -> Option<i64> {
    let Some(node) = doc.get(key).filter(|n| !n.is_null()) else {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            format!("test results without `{key}`: the time of the run is needed"),
            "write the time the run started as RFC 3339, e.g. 2026-11-28T09:40:42Z",
        );
        return None;
    };
    match node.scalar_text().map(|t| model::time::parse_timestamp(&t)) {
        Some(Ok(ts)) => Some(ts),
        Some(Err(message)) => {
            ctx.error_at(
                node.pos,
                Code::MetricTimestamp,
                message,
                "write RFC 3339 with a time zone, e.g. 2026-11-28T09:40:42Z",
            );
            None
        }
        None => {
            ctx.error_at(
                node.pos,
                Code::MetricTimestamp,
                format!(
                    "`{key}` must be a single value, found {}",
                    node.value.kind_name()
                ),
                "write RFC 3339 with a time zone, e.g. 2026-11-28T09:40:42Z",
            );
            None
        }
    }
}

/// The list of results under `key`; anything else is one located error.
fn results_list<'n>(ctx: &mut Ctx, doc: &'n Node, key: &str) -> Option<&'n [Node]> {
    match doc.get(key) {
        Some(n) if matches!(n.value, yaml::Value::Seq(_)) => Some(n.items()),
        Some(n) => {
            ctx.error_at(
                n.pos,
                Code::TestResults,
                format!(
                    "`{key}` must be a list of results, found {}",
                    n.value.kind_name()
                ),
                "write the results as a list, one entry per check",
            );
            None
        }
        None => {
            ctx.error_at(
                doc.pos,
                Code::MissingField,
                format!("test results without `{key}`"),
                "a test run lists what it checked; was the file cut short?",
            );
            None
        }
    }
}

#[cfg(test)]
mod tests;
