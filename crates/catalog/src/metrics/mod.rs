//! Metric series per data product, and their evaluation against the objectives of its contracts.
//!
//! Snapshots (read by `formats::metrics`) are merged into one series per product, output port and
//! metric. Each contract of the product contributes objectives: ODCS `slaProperties` and DCS
//! `servicelevels` (freshness, latency, frequency, retention, availability) and quality rules that
//! name a metric and an operator. Every snapshot of a matched series passes or fails; each objective
//! gets its latest outcome and its compliance over the last 7, 30 and 90 days, counted from a
//! reference time ("now") that is fixed per build so that pages are reproducible.
//!
//! `objectives` reads what contracts promise, `merge` turns snapshots into series, `evaluate`
//! checks the one against the other.

mod by_contract;
mod evaluate;
mod merge;
mod objectives;

pub use evaluate::{evaluate, Compliance, Evaluation, Status};
pub use objectives::{contract_objectives, Objective};

use super::Catalog;
use model::measure::{MetricBatch, Settings, WINDOWS};

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
    let (metrics, diagnostics) = measure(catalog, batches, settings, clock);
    catalog.metrics = metrics;
    // Routed and indexed with the others by `resolve::index_diagnostics`.
    catalog.diagnostics.extend(diagnostics);
}

/// What [`attach`] adds, read from the catalog alone (so other passes can run beside it).
pub fn measure(
    catalog: &Catalog,
    mut batches: Vec<MetricBatch>,
    settings: Settings,
    clock: i64,
) -> (Metrics, Vec<model::diagnostics::Diagnostic>) {
    let mut diagnostics = Vec::new();
    by_contract::address(catalog, &mut batches, &mut diagnostics);
    let mut products = merge::merge(catalog, &batches, &settings, clock, &mut diagnostics);
    let (reference, kind) = evaluate::reference(&settings, clock, &products);
    // Objectives: each contract's once, then per product through its ports; none without a
    // snapshot to evaluate.
    if let Some(reference) = reference {
        let objectives = objectives::CatalogObjectives::new(catalog);
        evaluate::evaluate_products(&objectives, &mut products, reference, &settings);
    }
    let metrics = Metrics {
        reference,
        reference_kind: kind,
        stale_after: settings.stale_after,
        products,
    };
    (metrics, model::diagnostics::cap(diagnostics))
}
