//! Evaluate each product's objectives on the series that measure them.

use serde::Serialize;

use super::objectives::{CatalogObjectives, Objective};
use super::{Point, ProductMetrics, Series};
use model::measure::{Reference, Settings, WINDOWS};
use model::time::DAY;

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

/// The time evaluations count back from, and how it was chosen.
pub(super) fn reference(
    settings: &Settings,
    clock: i64,
    products: &[ProductMetrics],
) -> (Option<i64>, &'static str) {
    match settings.reference {
        Reference::At(t) => (Some(t), "fixed"),
        Reference::Clock => (Some(clock), "clock"),
        Reference::Latest => (
            products.iter().filter_map(|m| m.newest).max(),
            "latest snapshot",
        ),
    }
}

/// Evaluate the objectives of every product with data, and mark stale products.
pub(super) fn evaluate_products(
    objectives: &CatalogObjectives,
    products: &mut [ProductMetrics],
    reference: i64,
    settings: &Settings,
) {
    for (pi, m) in products.iter_mut().enumerate() {
        if !m.has_data() {
            continue;
        }
        m.evaluations = objectives
            .of_product(pi)
            .into_iter()
            .map(|o| evaluate(o, &m.series, reference))
            .collect();
        m.stale = m
            .newest
            .is_some_and(|n| reference - n > settings.stale_after);
    }
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
    use model::measure::{Op, Unit};

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
