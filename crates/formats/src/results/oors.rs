//! Bitol's draft Open Observability Results Standard: `kind: ObservabilityResults`, the time in
//! `observedAt`, the contract in `contract.contractId`, and `results` each with `status`, an
//! optional `relatesTo` path into the contract and an optional `measure` (metric, value, unit).

use model::measure::unit_seconds;
use model::yaml::Node;
use model::Code;

use super::{results_list, timestamp, Run};
use crate::read::{text, Ctx};
use crate::thresholds::number;

pub(super) fn read(ctx: &mut Ctx, doc: &Node) -> Option<Run> {
    let contract = doc.get("contract").and_then(|c| text(c, "contractId"));
    if contract.is_none() {
        ctx.error_at(
            doc.get("contract").map_or(doc.pos, |n| n.pos),
            Code::TestResults,
            "observability results name no contract: meshdoc cannot tell what they measured".into(),
            "add `contract: {contractId: <id of the contract>}`",
        );
    }
    let ts = timestamp(ctx, doc, "observedAt");
    let results = results_list(ctx, doc, "results");
    let (contract, ts, results) = (contract?, ts?, results?);
    let line = doc
        .get("contract")
        .and_then(|c| c.get("contractId"))
        .map_or(doc.pos.line, |n| n.pos.line);
    let mut run = Run {
        ts,
        line,
        contract,
        product: None,
        port: None,
        values: Vec::new(),
        passed: 0,
        failed: 0,
        warned: 0,
    };
    for result in results {
        self::result(ctx, result, &mut run);
    }
    Some(run)
}

fn result(ctx: &mut Ctx, result: &Node, run: &mut Run) {
    if !result.is_map() {
        ctx.error_at(
            result.pos,
            Code::TestResults,
            format!(
                "a result must be a mapping, found {}",
                result.value.kind_name()
            ),
            "each entry of `results` is one check or metric with its `status`",
        );
        return;
    }
    match text(result, "status").as_deref() {
        Some("pass") => run.passed += 1,
        Some("fail" | "error") => run.failed += 1,
        Some("warn") => run.warned += 1,
        // Counted neither as a pass nor as a failure (as the standard says).
        Some("skip" | "unknown") => {}
        other => {
            ctx.error_at(
                result.get("status").map_or(result.pos, |n| n.pos),
                Code::TestResults,
                match other {
                    Some(s) => format!(
                        "result status `{s}` is none of pass, fail, warn, error, skip, unknown"
                    ),
                    None => "a result without `status`".into(),
                },
                "write `status: pass` (or fail, warn, error, skip, unknown)",
            );
            return;
        }
    }
    let Some(measure) = result.get("measure") else {
        return;
    };
    let Some(value) = measure.get("value").and_then(number) else {
        return;
    };
    let line = result.pos.line;
    let relates = text(result, "relatesTo").unwrap_or_default();
    let metric = text(measure, "metric")
        .unwrap_or_default()
        .to_ascii_lowercase();
    // `relatesTo: slaProperties/freshness` or a freshness/age measure: the SLA, in seconds.
    let freshness = relates.contains("slaProperties/freshness")
        || matches!(metric.as_str(), "freshness" | "age");
    if freshness {
        if let Some(factor) = text(measure, "unit").as_deref().and_then(unit_seconds) {
            run.values
                .push(("freshnessSeconds".into(), value * factor, line));
        }
        return;
    }
    // `relatesTo: schema/orders/quality/<rule id>` (or `…/properties/x/quality/<id>`): the rule.
    let rule = relates
        .rsplit_once("/quality/")
        .map(|(_, id)| id.to_string())
        .or_else(|| text(result, "id"));
    if let Some(rule) = rule {
        run.values.push((rule, value, line));
    }
}
