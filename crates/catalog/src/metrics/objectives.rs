//! The objectives of contracts: SLA properties and quality rules that snapshots can be checked
//! against.

use std::collections::{HashMap, HashSet};

use super::Catalog;
use model::display::{format_duration, format_number};
use model::measure::{Op, Unit, DURATION_SUFFIXES};
use model::{DataContract, QualityRule, SchemaProperty};

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
        let Some((name, op, unit, candidates)) = sla_measure(&sla.property) else {
            continue;
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

/// How snapshots measure an SLA property: its name, operator, unit and candidate metrics.
type SlaMeasure = (&'static str, Op, Unit, Vec<(String, f64)>);

/// The SLA properties that snapshots can measure.
fn sla_measure(property: &str) -> Option<SlaMeasure> {
    Some(match property.to_ascii_lowercase().as_str() {
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
        _ => return None,
    })
}

fn property_objectives(
    ci: usize,
    props: &[SchemaProperty],
    path: &mut Vec<String>,
    out: &mut Vec<Objective>,
) {
    for p in props {
        // Most columns have no rules and no nested properties: no path to build for them.
        if p.quality.is_empty() && p.properties.is_empty() {
            continue;
        }
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
        // Test results name the rule they checked by its id (`qualityId`, `relatesTo`).
        if let Some(id) = &rule.id {
            candidates.push((id.clone(), 1.0));
        }
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
        let Some(name) = name.or_else(|| rule.id.clone()) else {
            continue;
        };
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

/// Each contract's objectives, computed once, and the contracts that name each product.
pub(super) struct CatalogObjectives<'c> {
    catalog: &'c Catalog,
    templates: Vec<Vec<Objective>>,
    by_product: HashMap<&'c str, Vec<usize>>,
}

impl<'c> CatalogObjectives<'c> {
    pub(super) fn new(catalog: &'c Catalog) -> Self {
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
        CatalogObjectives {
            catalog,
            templates,
            by_product,
        }
    }

    /// The objectives of a product: those of the contracts its output ports expose (per port),
    /// then those of other contracts that name the product.
    pub(super) fn of_product(&self, pi: usize) -> Vec<Objective> {
        let p = &self.catalog.products[pi];
        let mut seen = HashSet::new();
        let mut objectives = Vec::new();
        for port in &p.output_ports {
            let Some(&ci) = port
                .contract_id
                .as_ref()
                .and_then(|c| self.catalog.contract_by_id.get(c))
            else {
                continue;
            };
            seen.insert(ci);
            objectives.extend(self.templates[ci].iter().map(|o| Objective {
                port: Some(port.id.clone()),
                ..o.clone()
            }));
        }
        for &ci in self.by_product.get(p.id.as_str()).into_iter().flatten() {
            if seen.insert(ci) {
                objectives.extend(self.templates[ci].iter().cloned());
            }
        }
        objectives
    }
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
}
