//! Merge the snapshot batches of all files into one series per product, output port and metric.

use std::collections::{BTreeMap, HashSet};

use super::{Catalog, Point, ProductMetrics, Series};
use model::diagnostics::Diagnostic;
use model::measure::{MetricBatch, RawSeries, Reference, Settings};
use model::time::{format_timestamp, MINUTE};
use model::{Code, DataProduct, Origin};

/// A series of one product: (output port, metric).
type Key = (Option<String>, String);
/// Its points as (time, value, batch index, line), so that duplicates can be ordered and placed.
type Merged = Vec<(i64, f64, u32, u32)>;

/// The series of every product (same index as `Catalog::products`), from all `batches`.
pub(super) fn merge(
    catalog: &Catalog,
    batches: &[MetricBatch],
    settings: &Settings,
    clock: i64,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ProductMetrics> {
    let mut pass = MergePass {
        catalog,
        clock,
        // A time after the build's clock is wrong input (tolerating a few minutes of skew between
        // the pipelines and the builder); a time after an explicit reference is only outside the
        // view.
        future_limit: clock + 5 * MINUTE,
        view_limit: match settings.reference {
            Reference::At(t) => t,
            _ => i64::MAX,
        },
        per_product: vec![BTreeMap::new(); catalog.products.len()],
        diagnostics,
    };
    for (bi, batch) in batches.iter().enumerate() {
        pass.batch(bi, batch);
    }
    let MergePass {
        per_product,
        diagnostics,
        ..
    } = pass;
    per_product
        .into_iter()
        .enumerate()
        .map(|(pi, map)| product_series(catalog, batches, pi, map, diagnostics))
        .collect()
}

/// The state of `merge` while it collects the points of every batch.
struct MergePass<'a> {
    catalog: &'a Catalog,
    clock: i64,
    future_limit: i64,
    view_limit: i64,
    per_product: Vec<BTreeMap<Key, Merged>>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl MergePass<'_> {
    /// Collect the points of one file; unknown products and ports are reported once per file,
    /// each future timestamp once per file.
    fn batch(&mut self, bi: usize, batch: &MetricBatch) {
        let origin = &batch.origin;
        let mut reported: HashSet<(&str, Option<&str>)> = HashSet::new();
        let mut future_reported: HashSet<i64> = HashSet::new();
        for raw in &batch.series {
            let Some(&pi) = self.catalog.product_by_id.get(&raw.product) else {
                if reported.insert((&raw.product, None)) {
                    self.diagnostics
                        .push(unknown_product(self.catalog, origin, raw));
                }
                continue;
            };
            let product = &self.catalog.products[pi];
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
                            self.diagnostics
                                .push(unknown_port(origin, raw, product, port));
                        }
                        Some(port.clone())
                    }
                },
            };
            let merged = self.per_product[pi]
                .entry((port, raw.metric.clone()))
                .or_default();
            merged.reserve(raw.points.len());
            for p in &raw.points {
                if p.ts > self.future_limit {
                    if future_reported.insert(p.ts) {
                        let line = batch.timestamp_line.unwrap_or(p.line);
                        let mut d = future_timestamp(origin, line, p.ts, self.clock);
                        d.team = owner.clone();
                        self.diagnostics.push(d);
                    }
                    continue;
                }
                if p.ts > self.view_limit {
                    continue;
                }
                merged.push((p.ts, p.value, bi as u32, p.line));
            }
        }
    }
}

fn unknown_product(catalog: &Catalog, origin: &Origin, raw: &RawSeries) -> Diagnostic {
    let hint = match crate::resolve::nearest(&raw.product, catalog.product_by_id.keys()) {
        Some(k) => format!("did you mean `{k}`? (product ids must match exactly)"),
        None => "use the id of a data product defined in one of the sources (for a CSV without a `product` column, the file name is the id)".to_string(),
    };
    Diagnostic::warning(
        Code::MetricUnknownProduct,
        format!("metric snapshot for unknown data product `{}`", raw.product),
    )
    .at_file(&origin.source, &origin.path)
    .at(raw.line, 1)
    .hint(hint)
}

fn unknown_port(origin: &Origin, raw: &RawSeries, product: &DataProduct, port: &str) -> Diagnostic {
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
    d.team = product.owner.clone();
    d
}

fn future_timestamp(origin: &Origin, line: u32, ts: i64, clock: i64) -> Diagnostic {
    Diagnostic::warning(
        Code::MetricFutureTimestamp,
        format!(
            "snapshot time {} is in the future (the build ran at {}); its values are ignored",
            format_timestamp(ts),
            format_timestamp(clock),
        ),
    )
    .at_file(&origin.source, &origin.path)
    .at(line, 1)
    .hint("write timestamps in UTC (`Z`) or with their offset, e.g. 2026-11-25T06:00:00+01:00")
}

/// One product's series, each sorted by time (ties in batch and line order); of several values
/// at one time the first is kept and the others reported.
fn product_series(
    catalog: &Catalog,
    batches: &[MetricBatch],
    pi: usize,
    map: BTreeMap<Key, Merged>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ProductMetrics {
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
    ProductMetrics {
        series,
        evaluations: Vec::new(),
        newest,
        stale: false,
    }
}
