//! Metric series per data product, and their evaluation against the objectives of its contracts.
//!
//! Snapshots (read by `formats::metrics`) are merged into one series per product, output port and
//! metric. Each contract of the product contributes objectives: ODCS `slaProperties` and DCS
//! `servicelevels` (freshness, latency, frequency, retention, availability) and quality rules that
//! name a metric and an operator. Every snapshot of a matched series passes or fails; each objective
//! gets its latest outcome and its compliance over the last 7, 30 and 90 days, counted from a
//! reference time ("now") that is fixed per build so that pages are reproducible.

use model::Code;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::Catalog;
use model::diagnostics::Diagnostic;
use model::display::{format_duration, format_number};
use model::measure::{MetricBatch, Op, Reference, Settings, Unit, DURATION_SUFFIXES, WINDOWS};
use model::time::{format_timestamp, DAY, MINUTE};
use model::{DataContract, QualityRule, SchemaProperty};

// ---------------------------------------------------------------------------------------------
// Objectives

/// One promise of a contract that snapshots can be checked against.
#[derive(Debug, Clone)]
pub struct Objective {
    /// Index of the contract in `Catalog::contracts`.
    pub contract: usize,
    /// The output port (id) exposing the contract, None when the contract names the product only.
    pub port: Option<String>,
    /// Where the objective is written: `slaProperties`, `servicelevels` or `quality`.
    pub source: &'static str,
    /// The SLA property or the rule's metric path: `freshness`, `rowCount`, `email.nullValues`.
    pub name: String,
    /// Snapshot metric names that measure it, most specific first, with the factor that turns a
    /// value of that metric into the threshold's unit.
    pub candidates: Vec<(String, f64)>,
    pub op: Op,
    /// In seconds (Duration), as a ratio (Ratio), or as written.
    pub threshold: Vec<f64>,
    pub unit: Unit,
}

impl Objective {
    /// A short sentence: `freshness ≤ 30 min`, `row count > 100,000`.
    pub fn label(&self) -> String {
        let what = match self.source {
            "quality" => self
                .name
                .rsplit_once('.')
                .map(|(path, metric)| format!("{path}: {}", words(metric)))
                .unwrap_or_else(|| words(&self.name)),
            _ => words(&self.name),
        };
        let shown: Vec<String> = self.threshold.iter().map(|&t| self.show(t)).collect();
        let threshold = match self.op {
            Op::Between | Op::NotBetween => shown.join(" and "),
            _ => shown.join(", "),
        };
        format!("{what} {} {threshold}", self.op.symbol())
    }

    /// A threshold value with its unit, for people.
    pub fn show(&self, value: f64) -> String {
        match &self.unit {
            Unit::Duration => format_duration(value),
            Unit::Ratio => format!("{}%", format_number(value * 100.0)),
            Unit::AsWritten(Some(u)) if u == "percent" || u == "%" => {
                format!("{}%", format_number(value))
            }
            Unit::AsWritten(Some(u)) => format!("{} {u}", format_number(value)),
            Unit::AsWritten(None) => format_number(value),
        }
    }

    /// A stable id: `orders-v2/slaProperties/freshness`.
    pub fn id(&self, catalog: &Catalog) -> String {
        format!(
            "{}/{}/{}",
            catalog.contracts[self.contract].id, self.source, self.name
        )
    }
}

fn words(identifier: &str) -> String {
    model::display::humanize(identifier).to_lowercase()
}

fn duration_candidates(base: &str) -> Vec<(String, f64)> {
    DURATION_SUFFIXES
        .iter()
        .map(|(suffix, factor)| (format!("{base}{suffix}"), *factor))
        .collect()
}

/// The objectives one contract states, for a product port (or the product, `port` None).
pub fn contract_objectives(ci: usize, contract: &DataContract) -> Vec<Objective> {
    let mut out = Vec::new();
    let sla_source = if contract.standard.family == "dcs" {
        "servicelevels"
    } else {
        "slaProperties"
    };
    for sla in &contract.sla {
        let Some(threshold) = sla.threshold else {
            continue;
        };
        let (name, op, unit, candidates) = match sla.property.to_ascii_lowercase().as_str() {
            "freshness" => (
                "freshness",
                Op::Le,
                Unit::Duration,
                duration_candidates("freshness"),
            ),
            "latency" => (
                "latency",
                Op::Le,
                Unit::Duration,
                duration_candidates("latency"),
            ),
            "frequency" => (
                "frequency",
                Op::Le,
                Unit::Duration,
                duration_candidates("updateInterval"),
            ),
            "retention" => (
                "retention",
                Op::Ge,
                Unit::Duration,
                duration_candidates("retention"),
            ),
            "availability" => (
                "availability",
                Op::Ge,
                Unit::Ratio,
                vec![
                    ("availability".to_string(), 1.0),
                    ("availabilityPercent".to_string(), 0.01),
                ],
            ),
            _ => continue,
        };
        out.push(Objective {
            contract: ci,
            port: None,
            source: sla_source,
            name: name.to_string(),
            candidates,
            op,
            threshold: vec![threshold],
            unit,
        });
    }
    let mut path = Vec::new();
    rule_objectives(ci, &contract.quality, &path, 0, &mut out);
    for object in &contract.schema {
        path.push(object.name.clone());
        rule_objectives(ci, &object.quality, &path, 1, &mut out);
        property_objectives(ci, &object.properties, &mut path, &mut out);
        path.pop();
    }
    out
}

fn property_objectives(
    ci: usize,
    props: &[SchemaProperty],
    path: &mut Vec<String>,
    out: &mut Vec<Objective>,
) {
    for p in props {
        path.push(p.name.clone());
        rule_objectives(ci, &p.quality, path, 2, out);
        property_objectives(ci, &p.properties, path, out);
        path.pop();
    }
}

/// Quality rules with a metric (or a name) and an operator. Their snapshot metric is the rule's
/// `name` if it has one, else the metric qualified by where the rule sits: `orders.email.nullValues`
/// or `email.nullValues` for a property, `orders.rowCount` or `rowCount` for a table or the contract.
fn rule_objectives(
    ci: usize,
    rules: &[QualityRule],
    path: &[String],
    depth: usize,
    out: &mut Vec<Objective>,
) {
    for rule in rules {
        let Some(check) = &rule.check else { continue };
        let mut candidates: Vec<(String, f64)> = Vec::new();
        if let Some(name) = &rule.name {
            candidates.push((name.clone(), 1.0));
        }
        let mut name = rule.name.clone();
        if let Some(metric) = &check.metric {
            // Longest qualification first; a bare metric only for table- and contract-level rules.
            let last = if depth >= 2 {
                path.len() - 1
            } else {
                path.len()
            };
            for k in 0..=last {
                let mut parts: Vec<&str> = path[k..].iter().map(String::as_str).collect();
                parts.push(metric);
                candidates.push((parts.join("."), 1.0));
            }
            if name.is_none() {
                // Shown without the table name: `email.nullValues`, `rowCount`.
                let skip = usize::from(depth >= 1).min(path.len());
                let mut parts: Vec<&str> = path[skip..].iter().map(String::as_str).collect();
                parts.push(metric);
                name = Some(parts.join("."));
            }
        }
        let Some(name) = name else { continue };
        if check.values.len() != check.op.arity() {
            continue;
        }
        out.push(Objective {
            contract: ci,
            port: None,
            source: "quality",
            name,
            candidates,
            op: check.op,
            threshold: check.values.clone(),
            unit: Unit::AsWritten(check.unit.clone()),
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Series and evaluation

/// One measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub ts: i64,
    pub value: f64,
}

/// All measurements of one metric of one product (and output port), oldest first.
#[derive(Debug, Clone)]
pub struct Series {
    pub port: Option<String>,
    pub metric: String,
    pub points: Vec<Point>,
}

/// Snapshots that met the objective among those taken in the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Compliance {
    pub days: u32,
    pub passed: u32,
    pub total: u32,
}

impl Compliance {
    pub fn ratio(&self) -> Option<f64> {
        (self.total > 0).then(|| f64::from(self.passed) / f64::from(self.total))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// No snapshot measures this objective.
    NoData,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NoData => "nodata",
        }
    }
}

/// One objective, evaluated on the series that measures it.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub objective: Objective,
    /// Index into `ProductMetrics::series`.
    pub series: Option<usize>,
    /// Multiplies a metric value into the threshold's unit.
    pub factor: f64,
    /// The newest snapshot and whether it met the objective.
    pub latest: Option<(Point, bool)>,
    pub compliance: [Compliance; 3],
    pub status: Status,
}

impl Evaluation {
    /// Whether one measured value meets the objective.
    pub fn passes(&self, value: f64) -> bool {
        self.objective
            .op
            .holds(value * self.factor, &self.objective.threshold)
    }
}

/// Everything measured about one product.
#[derive(Debug, Clone, Default)]
pub struct ProductMetrics {
    pub series: Vec<Series>,
    pub evaluations: Vec<Evaluation>,
    /// Time of the newest snapshot.
    pub newest: Option<i64>,
    pub stale: bool,
}

impl ProductMetrics {
    pub fn has_data(&self) -> bool {
        !self.series.is_empty()
    }
    pub fn failing(&self) -> impl Iterator<Item = &Evaluation> {
        self.evaluations.iter().filter(|e| e.status == Status::Fail)
    }
    pub fn is_failing(&self) -> bool {
        self.failing().next().is_some()
    }
    /// Passed and total snapshot checks over all objectives in window `w` (0: 7 d, 1: 30 d, 2: 90 d).
    pub fn compliance(&self, w: usize) -> Compliance {
        let mut c = Compliance {
            days: WINDOWS[w],
            ..Compliance::default()
        };
        for e in &self.evaluations {
            c.passed += e.compliance[w].passed;
            c.total += e.compliance[w].total;
        }
        c
    }
}

/// The metrics of the whole catalog.
#[derive(Debug, Default)]
pub struct Metrics {
    /// The time evaluations count back from; None when there is no snapshot at all.
    pub reference: Option<i64>,
    /// How the reference was chosen: `latest snapshot`, `clock`, `fixed`.
    pub reference_kind: &'static str,
    pub stale_after: i64,
    /// Per product (same index as `Catalog::products`).
    pub products: Vec<ProductMetrics>,
}

impl Metrics {
    pub fn product(&self, i: usize) -> Option<&ProductMetrics> {
        self.products.get(i).filter(|m| m.has_data())
    }
}

/// Merge the snapshot batches of all files into the catalog and evaluate them.
/// `clock` is the wall clock (seconds since the epoch): with the default reference it is used
/// only to reject timestamps in the future, so that valid input always renders the same bytes.
pub fn attach(catalog: &mut Catalog, batches: Vec<MetricBatch>, settings: Settings, clock: i64) {
    let mut diagnostics = Vec::new();
    // A time after the build's clock is wrong input (tolerating a few minutes of skew between the
    // pipelines and the builder); a time after an explicit reference is only outside the view.
    let future_limit = clock + 5 * MINUTE;
    let view_limit = match settings.reference {
        Reference::At(t) => t,
        _ => i64::MAX,
    };
    type Key = (Option<String>, String);
    type Merged = Vec<(i64, f64, u32, u32)>;
    let mut per_product: Vec<BTreeMap<Key, Merged>> = vec![BTreeMap::new(); catalog.products.len()];
    for (bi, batch) in batches.iter().enumerate() {
        let origin = &batch.origin;
        let mut reported: HashSet<(&str, Option<&str>)> = HashSet::new();
        let mut future_reported: HashSet<i64> = HashSet::new();
        for raw in &batch.series {
            let Some(&pi) = catalog.product_by_id.get(&raw.product) else {
                if reported.insert((&raw.product, None)) {
                    let hint = match super::resolve::nearest(&raw.product, catalog.product_by_id.keys()) {
                        Some(k) => format!("did you mean `{k}`? (product ids must match exactly)"),
                        None => "use the id of a data product defined in one of the sources (for a CSV without a `product` column, the file name is the id)".to_string(),
                    };
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::MetricUnknownProduct,
                            format!("metric snapshot for unknown data product `{}`", raw.product),
                        )
                        .at_file(&origin.source, &origin.path)
                        .at(raw.line, 1)
                        .hint(hint),
                    );
                }
                continue;
            };
            let product = &catalog.products[pi];
            let owner = product.owner.clone();
            let port = match &raw.port {
                None => None,
                Some(port) => match product
                    .output_ports
                    .iter()
                    .find(|p| &p.id == port || &p.name == port)
                {
                    Some(p) => Some(p.id.clone()),
                    None => {
                        if reported.insert((&raw.product, Some(port))) {
                            let mut d = Diagnostic::warning(
                                Code::MetricUnknownPort,
                                format!("data product `{}` has no output port `{port}`; its metrics are shown but not evaluated", raw.product),
                            )
                            .at_file(&origin.source, &origin.path)
                            .at(raw.line, 1)
                            .hint(format!(
                                "use one of: {}",
                                product.output_ports.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
                            ));
                            d.team = owner.clone();
                            diagnostics.push(d);
                        }
                        Some(port.clone())
                    }
                },
            };
            let merged = per_product[pi]
                .entry((port, raw.metric.clone()))
                .or_default();
            merged.reserve(raw.points.len());
            for p in &raw.points {
                if p.ts > future_limit {
                    if future_reported.insert(p.ts) {
                        let mut d = Diagnostic::warning(
                            Code::MetricFutureTimestamp,
                            format!(
                                "snapshot time {} is in the future (the build ran at {}); its values are ignored",
                                format_timestamp(p.ts),
                                format_timestamp(clock),
                            ),
                        )
                        .at_file(&origin.source, &origin.path)
                        .at(batch.timestamp_line.unwrap_or(p.line), 1)
                        .hint("write timestamps in UTC (`Z`) or with their offset, e.g. 2026-11-25T06:00:00+01:00");
                        d.team = owner.clone();
                        diagnostics.push(d);
                    }
                    continue;
                }
                if p.ts > view_limit {
                    continue;
                }
                merged.push((p.ts, p.value, bi as u32, p.line));
            }
        }
    }

    let mut products: Vec<ProductMetrics> = Vec::with_capacity(per_product.len());
    for (pi, map) in per_product.into_iter().enumerate() {
        let owner = catalog.products[pi].owner.clone();
        let mut series = Vec::with_capacity(map.len());
        for ((port, metric), mut merged) in map {
            merged.sort_unstable_by_key(|&(ts, _, b, line)| (ts, b, line));
            let mut points: Vec<Point> = Vec::with_capacity(merged.len());
            let mut first: Option<(i64, u32, u32)> = None;
            for (ts, value, b, line) in merged {
                match first {
                    Some((prev, fb, fl)) if prev == ts => {
                        let here = &batches[b as usize].origin;
                        let there = &batches[fb as usize].origin;
                        let mut d = Diagnostic::warning(
                            Code::MetricDuplicate,
                            format!(
                                "a second `{metric}` value for {} at {}; the first one is kept",
                                catalog.products[pi].id,
                                format_timestamp(ts)
                            ),
                        )
                        .at_file(&here.source, &here.path)
                        .at(line, 1)
                        .hint(format!(
                            "the first is at {}/{}:{fl}; remove one of them",
                            there.source, there.path
                        ));
                        d.team = owner.clone();
                        diagnostics.push(d);
                    }
                    _ => {
                        first = Some((ts, b, line));
                        points.push(Point { ts, value });
                    }
                }
            }
            if !points.is_empty() {
                series.push(Series {
                    port,
                    metric,
                    points,
                });
            }
        }
        let newest = series
            .iter()
            .filter_map(|s| s.points.last())
            .map(|p| p.ts)
            .max();
        products.push(ProductMetrics {
            series,
            evaluations: Vec::new(),
            newest,
            stale: false,
        });
    }

    let (reference, kind) = match settings.reference {
        Reference::At(t) => (Some(t), "fixed"),
        Reference::Clock => (Some(clock), "clock"),
        Reference::Latest => (
            products.iter().filter_map(|m| m.newest).max(),
            "latest snapshot",
        ),
    };

    // Objectives: each contract's once, then per product through its ports.
    let templates: Vec<Vec<Objective>> = catalog
        .contracts
        .iter()
        .enumerate()
        .map(|(ci, c)| contract_objectives(ci, c))
        .collect();
    let mut by_product: HashMap<&str, Vec<usize>> = HashMap::new();
    for (ci, c) in catalog.contracts.iter().enumerate() {
        if let Some(p) = &c.data_product {
            by_product.entry(p.as_str()).or_default().push(ci);
        }
    }
    if let Some(reference) = reference {
        for (pi, m) in products.iter_mut().enumerate() {
            if !m.has_data() {
                continue;
            }
            let p = &catalog.products[pi];
            let mut seen = HashSet::new();
            let mut objectives = Vec::new();
            for port in &p.output_ports {
                let Some(&ci) = port
                    .contract_id
                    .as_ref()
                    .and_then(|c| catalog.contract_by_id.get(c))
                else {
                    continue;
                };
                seen.insert(ci);
                objectives.extend(templates[ci].iter().map(|o| Objective {
                    port: Some(port.id.clone()),
                    ..o.clone()
                }));
            }
            for &ci in by_product.get(p.id.as_str()).into_iter().flatten() {
                if seen.insert(ci) {
                    objectives.extend(templates[ci].iter().cloned());
                }
            }
            m.evaluations = objectives
                .into_iter()
                .map(|o| evaluate(o, &m.series, reference))
                .collect();
            m.stale = m
                .newest
                .is_some_and(|n| reference - n > settings.stale_after);
        }
    }

    catalog.metrics = Metrics {
        reference,
        reference_kind: kind,
        stale_after: settings.stale_after,
        products,
    };
    // Routed and indexed with the others by `resolve::index_diagnostics`.
    catalog
        .diagnostics
        .extend(model::diagnostics::cap(diagnostics));
}

/// Find the series that measures `objective` and evaluate each of its snapshots.
pub fn evaluate(objective: Objective, series: &[Series], reference: i64) -> Evaluation {
    // A series of the objective's port first, then one measured for the product as a whole.
    let ports: [Option<&str>; 2] = [objective.port.as_deref(), None];
    let found = ports
        .iter()
        .take(if objective.port.is_some() { 2 } else { 1 })
        .find_map(|port| {
            objective.candidates.iter().find_map(|(name, factor)| {
                series
                    .iter()
                    .position(|s| s.port.as_deref() == *port && s.metric.eq_ignore_ascii_case(name))
                    .map(|i| (i, *factor))
            })
        });
    let mut e = Evaluation {
        objective,
        series: None,
        factor: 1.0,
        latest: None,
        compliance: WINDOWS.map(|days| Compliance {
            days,
            ..Compliance::default()
        }),
        status: Status::NoData,
    };
    let Some((si, factor)) = found else { return e };
    e.series = Some(si);
    e.factor = factor;
    let points = &series[si].points;
    // Points are sorted; skip any after the reference, then walk back through 90 days.
    let end = points.partition_point(|p| p.ts <= reference);
    for p in points[..end].iter().rev() {
        let age = reference - p.ts;
        if age >= i64::from(WINDOWS[2]) * DAY {
            break;
        }
        let ok = e.passes(p.value);
        for (w, days) in WINDOWS.iter().enumerate() {
            if age < i64::from(*days) * DAY {
                e.compliance[w].total += 1;
                e.compliance[w].passed += u32::from(ok);
            }
        }
    }
    if let Some(last) = points[..end].last() {
        let ok = e.passes(last.value);
        e.latest = Some((*last, ok));
        e.status = if ok { Status::Pass } else { Status::Fail };
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_name_suffixes_convert_into_seconds() {
        let c = duration_candidates("freshness");
        let factor = |name: &str| c.iter().find(|(n, _)| n == name).map(|(_, f)| *f);
        assert_eq!(factor("freshnessMinutes"), Some(60.0));
        assert_eq!(factor("freshnessHours"), Some(3600.0));
        assert_eq!(factor("freshnessSeconds"), Some(1.0));
        assert_eq!(factor("freshnessMs"), Some(0.001));
        assert_eq!(factor("freshnessDays"), Some(86400.0));
        assert_eq!(factor("freshnessWeeks"), Some(604800.0));
        assert_eq!(factor("freshnessYears"), Some(31_536_000.0));
    }

    fn objective(op: Op, threshold: Vec<f64>, unit: Unit, candidates: &[(&str, f64)]) -> Objective {
        Objective {
            contract: 0,
            port: Some("main".into()),
            source: "slaProperties",
            name: "freshness".into(),
            candidates: candidates
                .iter()
                .map(|(n, f)| (n.to_string(), *f))
                .collect(),
            op,
            threshold,
            unit,
        }
    }

    #[test]
    fn compliance_windows_count_back_from_the_reference() {
        let reference = 100 * DAY;
        // One snapshot a day for 100 days; freshness in minutes, 40 on the last 3 days.
        let points = (1..=100)
            .map(|d| Point {
                ts: d * DAY,
                value: if d > 97 { 40.0 } else { 20.0 },
            })
            .collect();
        let series = vec![Series {
            port: None,
            metric: "freshnessMinutes".into(),
            points,
        }];
        let o = objective(
            Op::Le,
            vec![1800.0],
            Unit::Duration,
            &[("freshnessSeconds", 1.0), ("freshnessMinutes", 60.0)],
        );
        assert_eq!(o.label(), "freshness ≤ 30 min");
        let e = evaluate(o, &series, reference);
        assert_eq!(e.series, Some(0));
        assert_eq!(e.status, Status::Fail);
        assert_eq!(e.latest.map(|(p, ok)| (p.value, ok)), Some((40.0, false)));
        assert_eq!((e.compliance[0].passed, e.compliance[0].total), (4, 7));
        assert_eq!((e.compliance[1].passed, e.compliance[1].total), (27, 30));
        assert_eq!((e.compliance[2].passed, e.compliance[2].total), (87, 90));
    }

    #[test]
    fn port_series_win_over_product_series_and_unmatched_is_no_data() {
        let s = |port: Option<&str>, v: f64| Series {
            port: port.map(String::from),
            metric: "availability".into(),
            points: vec![Point { ts: 0, value: v }],
        };
        let series = vec![s(None, 0.5), s(Some("main"), 0.9999)];
        let o = objective(Op::Ge, vec![0.999], Unit::Ratio, &[("availability", 1.0)]);
        assert_eq!(o.label(), "freshness ≥ 99.9%");
        let e = evaluate(o.clone(), &series, 10);
        assert_eq!((e.series, e.status), (Some(1), Status::Pass));
        let other = Objective {
            candidates: vec![("rowCount".into(), 1.0)],
            ..o
        };
        let e = evaluate(other, &series, 10);
        assert_eq!((e.series, e.status), (None, Status::NoData));
    }
}
