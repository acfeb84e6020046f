//! What the pages and catalog.json show about metric snapshots and service-level objectives.

use crate::views::CatalogRefs;
use serde_json::{json, Map, Value};

use catalog::metrics::{Compliance, Evaluation, ProductMetrics, Status};
use catalog::Catalog;
use model::display::{format_duration, format_number};
use model::measure::Unit;
use model::time::{format_timestamp, format_when};

use super::charts::{sparkline, Spark};

/// Days of history a sparkline shows.
const SPARK_DAYS: u32 = 90;
/// Products listed on the overview before "and N more".
const OVERVIEW_LIMIT: usize = 10;

/// A value of an objective's series, in the objective's unit, for people.
fn shown(e: &Evaluation, value: f64) -> String {
    let v = value * e.factor;
    match &e.objective.unit {
        Unit::Duration => format_duration(v),
        _ => e.objective.show(v),
    }
}

fn compliance_view(c: &Compliance) -> Value {
    match c.ratio() {
        Some(r) => json!({
            "days": c.days,
            "passed": c.passed,
            "total": c.total,
            "text": format!("{}%", format_number((r * 1000.0).round() / 10.0)),
            "level": if c.passed == c.total { "ok" } else if r >= 0.9 { "warn" } else { "bad" },
        }),
        None => json!({ "days": c.days, "passed": 0, "total": 0, "text": "—", "level": "none" }),
    }
}

/// Overall state of a product: `failing`, `stale`, `ok`, or `unmeasured` (snapshots, no objective).
pub(crate) fn state(m: &ProductMetrics) -> &'static str {
    state_of(m.evaluations.iter(), m.stale)
}

/// The state of a set of objectives (a product's, or one contract's on its product).
pub(crate) fn state_of<'e>(
    evaluations: impl Iterator<Item = &'e Evaluation> + Clone,
    stale: bool,
) -> &'static str {
    if evaluations.clone().any(|e| e.status == Status::Fail) {
        "failing"
    } else if stale {
        "stale"
    } else if evaluations.into_iter().any(|e| e.status == Status::Pass) {
        "ok"
    } else {
        "unmeasured"
    }
}

fn age(catalog: &Catalog, newest: Option<i64>) -> Option<String> {
    let reference = catalog.metrics.reference?;
    newest.map(|n| format_duration(((reference - n).max(0) / 3600 * 3600) as f64))
}

/// One metric series of a product: its sparkline over the last days and its latest value.
fn series_view(catalog: &Catalog, m: &ProductMetrics, si: usize) -> Value {
    let end = catalog.metrics.reference.unwrap_or(0);
    let s = &m.series[si];
    let evaluations: Vec<&Evaluation> = m
        .evaluations
        .iter()
        .filter(|e| e.series == Some(si))
        .collect();
    let first = evaluations.first().copied();
    let passes = first.map(|e| move |v: f64| e.passes(v));
    let thresholds: Vec<f64> = first
        .map(|e| e.objective.threshold.iter().map(|t| t / e.factor).collect())
        .unwrap_or_default();
    let id = format!("spark-{}", si + 1);
    let (svg, summary) = sparkline(&Spark {
        id: &id,
        title: &s.metric,
        points: &s.points,
        end,
        days: SPARK_DAYS,
        passes: passes.as_ref().map(|f| f as &dyn Fn(f64) -> bool),
        thresholds: &thresholds,
    });
    let last = s.points.last();
    json!({
        "metric": s.metric,
        "port": s.port,
        "latest": last.map(|p| format_number(p.value)),
        "measured": last.map(|p| format_when(p.ts)),
        "measured_iso": last.map(|p| format_timestamp(p.ts)),
        "latest_ok": first.and_then(|e| last.map(|p| e.passes(p.value))),
        "svg": svg,
        "summary": summary,
        "objectives": evaluations.iter().map(|e| e.objective.label()).collect::<Vec<_>>(),
    })
}

/// The metrics section of a product page; null when the product has no snapshots.
pub fn product(catalog: &Catalog, i: usize) -> Value {
    let Some(m) = catalog.metrics.product(i) else {
        return Value::Null;
    };
    let series: Vec<Value> = (0..m.series.len())
        .map(|si| series_view(catalog, m, si))
        .collect();
    let (measured, unmeasured): (Vec<&Evaluation>, Vec<&Evaluation>) = m
        .evaluations
        .iter()
        .partition(|e| e.status != Status::NoData);
    let objectives: Vec<Value> = measured
        .into_iter()
        .chain(unmeasured.iter().copied())
        .map(|e| objective_view(catalog, m, e))
        .collect();
    let count = |s: Status| m.evaluations.iter().filter(|e| e.status == s).count();
    json!({
        "as_of": catalog.metrics.reference.map(format_when),
        "as_of_iso": catalog.metrics.reference.map(format_timestamp),
        "reference_kind": catalog.metrics.reference_kind,
        "newest": m.newest.map(format_when),
        "newest_iso": m.newest.map(format_timestamp),
        "age": age(catalog, m.newest),
        "stale": m.stale,
        "stale_after": format_duration(catalog.metrics.stale_after as f64),
        "state": state(m),
        "series": series,
        "objectives": objectives,
        "unmeasured": unmeasured.len(),
        "passing": count(Status::Pass),
        "failing": count(Status::Fail),
        "nodata": count(Status::NoData),
        "spark_days": SPARK_DAYS,
    })
}

/// Runs shown per objective: enough to see a failure and its repair, short enough for a cell.
const RECENT_RUNS: usize = 10;

/// One objective of a product: its latest outcome, compliance and most recent runs.
pub(crate) fn objective_view(catalog: &Catalog, m: &ProductMetrics, e: &Evaluation) -> Value {
    let o = &e.objective;
    let end = catalog.metrics.reference.unwrap_or(i64::MAX);
    let runs: Vec<Value> = e
        .series
        .map(|si| {
            let points = &m.series[si].points;
            let upto = points.partition_point(|p| p.ts <= end);
            points[upto.saturating_sub(RECENT_RUNS)..upto]
                .iter()
                .map(|p| {
                    json!({
                        "pass": e.passes(p.value),
                        "value": shown(e, p.value),
                        "when": format_when(p.ts),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "measured": e.status != Status::NoData,
        "label": o.label(),
        "source": o.source,
        "contract": catalog.contract_ref(o.contract),
        "port": o.port,
        "status": e.status.as_str(),
        "metric": e.series.map(|si| m.series[si].metric.clone()),
        "latest": e.latest.map(|(p, _)| shown(e, p.value)),
        "measured": e.latest.map(|(p, _)| format_when(p.ts)),
        "measured_iso": e.latest.map(|(p, _)| format_timestamp(p.ts)),
        "compliance": e.compliance.iter().map(compliance_view).collect::<Vec<_>>(),
        "names": o.candidates.iter().take(3).map(|(n, _)| n.clone()).collect::<Vec<_>>(),
        "runs": runs,
    })
}

fn failing_entry(catalog: &Catalog, pi: usize, m: &ProductMetrics) -> Value {
    let p = &catalog.products[pi];
    json!({
        "ref": catalog.product_ref(pi),
        "owner": catalog.team_ref(p.owner.as_deref()),
        "objectives": m.failing().map(|e| {
            let latest = e.latest.map(|(pt, _)| shown(e, pt.value)).unwrap_or_default();
            format!("{} (latest {latest})", e.objective.label())
        }).collect::<Vec<_>>(),
        "compliance": compliance_view(&m.compliance(0)),
    })
}

fn stale_entry(catalog: &Catalog, pi: usize, m: &ProductMetrics) -> Value {
    let p = &catalog.products[pi];
    json!({
        "ref": catalog.product_ref(pi),
        "owner": catalog.team_ref(p.owner.as_deref()),
        "newest": m.newest.map(format_when),
        "age": age(catalog, m.newest),
    })
}

/// Team health: counts of measured, passing, failing and stale products and 30-day compliance.
fn team_rows(catalog: &Catalog) -> Vec<Value> {
    catalog
        .teams
        .iter()
        .enumerate()
        .filter_map(|(ti, t)| {
            let measured: Vec<&ProductMetrics> = catalog.team_products[ti]
                .iter()
                .filter_map(|&pi| catalog.metrics.product(pi))
                .collect();
            if measured.is_empty() {
                return None;
            }
            let mut c30 = Compliance {
                days: 30,
                ..Compliance::default()
            };
            for m in &measured {
                let c = m.compliance(1);
                c30.passed += c.passed;
                c30.total += c.total;
            }
            let n = |s: &str| measured.iter().filter(|m| state(m) == s).count();
            Some(json!({
                "ref": catalog.team_ref(Some(&t.id)),
                "measured": measured.len(),
                "ok": n("ok"),
                "failing": n("failing"),
                "stale": measured.iter().filter(|m| m.stale).count(),
                "compliance": compliance_view(&c30),
            }))
        })
        .collect()
}

/// Failing and stale products and per-team health, for the overview (short) and health page (all).
pub fn health(catalog: &Catalog, limit: Option<usize>) -> Value {
    let mut failing = Vec::new();
    let mut stale = Vec::new();
    let mut measured = 0;
    for (pi, m) in catalog.metrics.products.iter().enumerate() {
        if !m.has_data() {
            continue;
        }
        measured += 1;
        if m.is_failing() {
            failing.push(pi);
        }
        if m.stale {
            stale.push(pi);
        }
    }
    if measured == 0 {
        return Value::Null;
    }
    let take = limit.unwrap_or(usize::MAX);
    let m = |pi: usize| &catalog.metrics.products[pi];
    json!({
        "as_of": catalog.metrics.reference.map(format_when),
        "reference_kind": catalog.metrics.reference_kind,
        "stale_after": format_duration(catalog.metrics.stale_after as f64),
        "measured": measured,
        "failing_total": failing.len(),
        "stale_total": stale.len(),
        "failing": failing.iter().take(take).map(|&pi| failing_entry(catalog, pi, m(pi))).collect::<Vec<_>>(),
        "stale": stale.iter().take(take).map(|&pi| stale_entry(catalog, pi, m(pi))).collect::<Vec<_>>(),
        "failing_more": failing.len().saturating_sub(take),
        "stale_more": stale.len().saturating_sub(take),
        "teams": team_rows(catalog),
    })
}

pub fn overview(catalog: &Catalog) -> Value {
    health(catalog, Some(OVERVIEW_LIMIT))
}

/// The service-level state of each of a team's measured products.
pub fn team(catalog: &Catalog, ti: usize) -> Value {
    let rows: Vec<Value> = catalog.team_products[ti]
        .iter()
        .filter_map(|&pi| {
            let m = catalog.metrics.product(pi)?;
            Some(json!({
                "ref": catalog.product_ref(pi),
                "state": state(m),
                "stale": m.stale,
                "newest": m.newest.map(format_when),
                "failing": m.failing().map(|e| e.objective.label()).collect::<Vec<_>>(),
                "objectives": m.evaluations.len(),
                "compliance": m.compliance(1).ratio().map(|_| compliance_view(&m.compliance(1))),
            }))
        })
        .collect();
    if rows.is_empty() {
        return Value::Null;
    }
    json!({
        "as_of": catalog.metrics.reference.map(format_when),
        "products": rows,
    })
}

/// `metrics` of one product in catalog.json: the latest value of each series and every objective.
pub fn product_json(catalog: &Catalog, i: usize) -> Option<Value> {
    let m = catalog.metrics.product(i)?;
    let latest: Vec<Value> = m
        .series
        .iter()
        .filter_map(|s| {
            let p = s.points.last()?;
            Some(json!({
                "metric": s.metric, "outputPort": s.port,
                "timestamp": format_timestamp(p.ts), "value": p.value,
                "points": s.points.len(),
            }))
        })
        .collect();
    let objectives: Vec<Value> = m
        .evaluations
        .iter()
        .map(|e| {
            let o = &e.objective;
            let mut compliance = Map::new();
            for c in &e.compliance {
                compliance.insert(
                    format!("{}d", c.days),
                    json!({ "passed": c.passed, "total": c.total, "ratio": c.ratio() }),
                );
            }
            json!({
                "id": o.id(catalog),
                "contract": catalog.contracts[o.contract].id,
                "outputPort": o.port,
                "source": o.source,
                "name": o.name,
                "label": o.label(),
                "metric": e.series.map(|si| m.series[si].metric.clone()),
                "operator": o.op.key(),
                "threshold": o.threshold,
                "unit": o.unit.label(),
                "status": e.status.as_str(),
                "latest": e.latest.map(|(p, ok)| json!({
                    "timestamp": format_timestamp(p.ts), "value": p.value, "pass": ok,
                })),
                "compliance": compliance,
            })
        })
        .collect();
    Some(json!({
        "newest": m.newest.map(format_timestamp),
        "stale": m.stale,
        "state": state(m),
        "latest": latest,
        "objectives": objectives,
    }))
}

/// Top-level `metrics` of catalog.json: the reference time and the staleness limit.
pub fn catalog_json(catalog: &Catalog) -> Value {
    json!({
        "asOf": catalog.metrics.reference.map(format_timestamp),
        "reference": catalog.metrics.reference.map(|_| catalog.metrics.reference_kind),
        "staleAfterSeconds": catalog.metrics.reference.map(|_| catalog.metrics.stale_after),
        "windowsDays": catalog.metrics.reference.map(|_| model::measure::WINDOWS),
    })
}
