//! datacontract-cli's `datacontract test --output-format json`: one run against one contract,
//! its `checks` each with `result`, `qualityId`, `type` and a `diagnostics` map of measured values.

use model::yaml::Node;
use model::Code;

use super::{results_list, timestamp, Run};
use crate::read::{text, Ctx};
use crate::thresholds::number;

pub(super) fn read(ctx: &mut Ctx, doc: &Node) -> Option<Run> {
    let contract = ctx.required_str(doc, "dataContractId", "the id of the contract tested");
    let ts = timestamp(ctx, doc, "timestampStart");
    let checks = results_list(ctx, doc, "checks");
    let (contract, ts, checks) = (contract?, ts?, checks?);
    let mut run = Run {
        ts,
        line: doc
            .get("dataContractId")
            .map_or(doc.pos.line, |n| n.pos.line),
        contract,
        product: text(doc, "dataProductId"),
        port: text(doc, "outputPortId"),
        values: Vec::new(),
        passed: 0,
        failed: 0,
        warned: 0,
    };
    for check in checks {
        self::check(ctx, check, &mut run);
    }
    Some(run)
}

fn check(ctx: &mut Ctx, check: &Node, run: &mut Run) {
    if !check.is_map() {
        ctx.error_at(
            check.pos,
            Code::TestResults,
            format!(
                "a check must be a mapping, found {}",
                check.value.kind_name()
            ),
            "each entry of `checks` is one check with its `result`",
        );
        return;
    }
    let line = check.pos.line;
    match text(check, "result").as_deref() {
        Some("passed") => run.passed += 1,
        Some("failed" | "error") => run.failed += 1,
        Some("warning") => run.warned += 1,
        other => {
            let pos = check.get("result").map_or(check.pos, |n| n.pos);
            ctx.error_at(
                pos,
                Code::TestResults,
                match other {
                    Some(r) => {
                        format!("check result `{r}` is none of passed, failed, warning, error")
                    }
                    None => "a check without `result`".into(),
                },
                "datacontract-cli writes `result: passed`, `failed`, `warning` or `error`",
            );
            return;
        }
    }
    let diagnostics = check.get("diagnostics");
    let measured = |key: &str| diagnostics.and_then(|d| d.get(key)).and_then(number);
    // A check of a quality rule: its measured value is a point of the rule's metric.
    if let (Some(rule), Some(value)) = (text(check, "qualityId"), measured("value")) {
        run.values.push((rule, value, line));
    }
    if text(check, "type").as_deref() == Some("servicelevel_freshness") {
        if let Some(age) = measured("age_seconds") {
            run.values.push(("freshnessSeconds".into(), age, line));
        }
    }
}
