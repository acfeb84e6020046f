//! Metric series per data product, and their evaluation against the objectives of its contracts.
//!
//! Snapshots (read by `formats::metrics`) are merged into one series per product, output port and
//! metric. Each contract of the product contributes objectives: ODCS `slaProperties` and DCS
//! `servicelevels` (freshness, latency, frequency, retention, availability) and quality rules that
//! name a metric and an operator. Every snapshot of a matched series passes or fails; each objective
//! gets its latest outcome and its compliance over the last 7, 30 and 90 days, counted from a
//! reference time ("now") that is fixed per build so that pages are reproducible.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::model::{DataContract, QualityRule, SchemaProperty};
use super::Catalog;
use crate::diagnostics::Diagnostic;

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;

/// The compliance windows, in days.
pub const WINDOWS: [u32; 3] = [7, 30, 90];

// ---------------------------------------------------------------------------------------------
// Operators

/// A comparison of ODCS v3 / DCS quality rules (`mustBeGreaterThan: 1000` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Between,
    NotBetween,
}

/// Every operator key the standards use, with its meaning (aliases included).
pub const OPERATOR_KEYS: &[(&str, Op)] = &[
    ("mustBe", Op::Eq),
    ("mustNotBe", Op::Ne),
    ("mustBeGreaterThan", Op::Gt),
    ("mustBeGreaterOrEqualTo", Op::Ge),
    ("mustBeGreaterThanOrEqualTo", Op::Ge),
    ("mustBeLessThan", Op::Lt),
    ("mustBeLessOrEqualTo", Op::Le),
    ("mustBeLessThanOrEqualTo", Op::Le),
    ("mustBeBetween", Op::Between),
    ("mustNotBeBetween", Op::NotBetween),
];

impl Op {
    pub fn from_key(key: &str) -> Option<Op> {
        OPERATOR_KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, op)| op)
    }

    /// The canonical ODCS key, as written in catalog.json.
    pub fn key(self) -> &'static str {
        match self {
            Op::Eq => "mustBe",
            Op::Ne => "mustNotBe",
            Op::Gt => "mustBeGreaterThan",
            Op::Ge => "mustBeGreaterOrEqualTo",
            Op::Lt => "mustBeLessThan",
            Op::Le => "mustBeLessOrEqualTo",
            Op::Between => "mustBeBetween",
            Op::NotBetween => "mustNotBeBetween",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Between => "between",
            Op::NotBetween => "not between",
        }
    }

    /// How many threshold values the operator takes.
    pub fn arity(self) -> usize {
        match self {
            Op::Between | Op::NotBetween => 2,
            _ => 1,
        }
    }

    /// Whether `value` meets the objective. Between bounds are inclusive (as in ODCS); equality
    /// allows for the rounding of decimal fractions.
    pub fn holds(self, value: f64, threshold: &[f64]) -> bool {
        let (a, b) = match threshold {
            [a] => (*a, *a),
            [a, b] => (a.min(*b), a.max(*b)),
            _ => return false,
        };
        let eq = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0);
        match self {
            Op::Eq => eq(value, a),
            Op::Ne => !eq(value, a),
            Op::Gt => value > a,
            Op::Ge => value >= a || eq(value, a),
            Op::Lt => value < a,
            Op::Le => value <= a || eq(value, a),
            Op::Between => (value >= a || eq(value, a)) && (value <= b || eq(value, b)),
            Op::NotBetween => !((value >= a || eq(value, a)) && (value <= b || eq(value, b))),
        }
    }
}

/// The machine-readable part of a quality rule: metric, operator and threshold as written.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Check {
    pub metric: Option<String>,
    pub op: Op,
    pub values: Vec<f64>,
    pub unit: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Units

/// Seconds in one of a duration unit, as ODCS writes them (`d, day, days`; `y, yr, years` …).
pub fn unit_seconds(unit: &str) -> Option<f64> {
    let u = unit.trim().to_ascii_lowercase();
    Some(match u.as_str() {
        "ms" | "millisecond" | "milliseconds" | "millis" => 0.001,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
        "d" | "day" | "days" => 86_400.0,
        "w" | "wk" | "wks" | "week" | "weeks" => 7.0 * 86_400.0,
        "mo" | "mon" | "month" | "months" => 30.0 * 86_400.0,
        "y" | "yr" | "yrs" | "year" | "years" => 365.0 * 86_400.0,
        _ => return None,
    })
}

/// A duration in seconds from the ways contracts write one: ISO 8601 (`P1Y`, `PT25H`,
/// `P1DT12H`), a number with a unit (`25h`, `24 hours`, `1.5 d`), or a DCS interval word
/// (`hourly`, `daily`, `weekly`, `monthly`, `yearly`).
pub fn parse_duration(text: &str) -> Option<f64> {
    let t = text.trim();
    match t.to_ascii_lowercase().as_str() {
        "hourly" => return Some(3_600.0),
        "daily" => return Some(86_400.0),
        "weekly" => return Some(7.0 * 86_400.0),
        "monthly" => return Some(30.0 * 86_400.0),
        "yearly" | "annually" => return Some(365.0 * 86_400.0),
        _ => {}
    }
    if let Some(iso) = t.strip_prefix('P').or_else(|| t.strip_prefix('p')) {
        return parse_iso_duration(iso);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number.parse().ok()?;
    let unit = unit.trim();
    if unit.is_empty() {
        return None;
    }
    Some(number * unit_seconds(unit)?)
}

/// The part of an ISO 8601 duration after `P`.
fn parse_iso_duration(rest: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' if number.is_empty() && !in_time => in_time = true,
            d if d.is_ascii_digit() || d == '.' || d == ',' => {
                number.push(if d == ',' { '.' } else { d })
            }
            u => {
                let n: f64 = number.parse().ok()?;
                let seconds = match (u, in_time) {
                    ('Y', false) => 365.0 * 86_400.0,
                    ('M', false) => 30.0 * 86_400.0,
                    ('W', false) => 7.0 * 86_400.0,
                    ('D', false) => 86_400.0,
                    ('H', true) => 3_600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return None,
                };
                total += n * seconds;
                number.clear();
                any = true;
            }
        }
    }
    (any && number.is_empty()).then_some(total)
}

/// A ratio (0–1) from an availability as written: `99.9` with unit `percent`/`%`, `"99.9%"`,
/// or a bare number (taken as a percentage when above 1).
pub fn parse_ratio(text: &str, unit: Option<&str>) -> Option<f64> {
    let t = text.trim();
    let (number, percent_sign) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let n: f64 = number.parse().ok()?;
    let percent = percent_sign
        || matches!(
            unit.map(|u| u.trim().to_ascii_lowercase()).as_deref(),
            Some("percent" | "%" | "pct")
        )
        || n > 1.0;
    // Rounded so that 99.9 % reads as exactly 0.999, not 0.9990000000000001.
    let r = if percent { n / 100.0 } else { n };
    let r = (r * 1e12).round() / 1e12;
    (0.0..=1.0).contains(&r).then_some(r)
}

/// Snapshot metric names carry their unit as a suffix: `freshnessMinutes`, `latencySeconds`.
const DURATION_SUFFIXES: &[(&str, f64)] = &[
    ("Ms", 0.001),
    ("Seconds", 1.0),
    ("Minutes", 60.0),
    ("Hours", 3_600.0),
    ("Days", 86_400.0),
    ("Weeks", 7.0 * 86_400.0),
    ("Years", 365.0 * 86_400.0),
];

/// How a threshold is expressed and shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// Seconds (compared after converting the metric by its name's unit suffix).
    Duration,
    /// A ratio 0–1, shown as a percentage.
    Ratio,
    /// The unit the rule states, compared as written (`percent`, `rows`, none).
    AsWritten(Option<String>),
}

impl Unit {
    pub fn label(&self) -> Option<&str> {
        match self {
            Unit::Duration => Some("seconds"),
            Unit::Ratio => Some("ratio"),
            Unit::AsWritten(u) => u.as_deref(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Time

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Seconds since the Unix epoch from an RFC 3339 timestamp (`2026-11-25T06:00:00Z`,
/// `2026-11-25T07:00:00.123+01:00`, a space instead of `T`), or a date (`2026-11-25`, midnight
/// UTC). A time without an offset is read as UTC. Fractions of a second are dropped.
pub fn parse_timestamp(text: &str) -> Result<i64, String> {
    let s = text.trim();
    let b = s.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let bad = || {
        format!("`{s}` is not a timestamp; write RFC 3339, e.g. 2026-11-25T06:00:00Z, or a date")
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let (y, m, d) = match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => (i64::from(y), m, d),
        _ => return Err(bad()),
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(format!("`{s}` is not a valid calendar date"));
    }
    let mut seconds = days_from_civil(y, m, d) * DAY;
    if b.len() == 10 {
        return Ok(seconds);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 16 || b[13] != b':' {
        return Err(bad());
    }
    let (hh, mm) = match (num(11..13), num(14..16)) {
        (Some(h), Some(m)) => (h, m),
        _ => return Err(bad()),
    };
    let mut i = 16;
    let mut ss = 0;
    if b.get(i) == Some(&b':') {
        ss = num(i + 1..i + 3).ok_or_else(bad)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return Err(bad());
            }
        }
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return Err(format!("`{s}` has an impossible time of day"));
    }
    seconds += i64::from(hh) * HOUR + i64::from(mm) * MINUTE + i64::from(ss.min(59));
    match &b[i..] {
        [] | [b'Z'] | [b'z'] => Ok(seconds),
        [sign @ (b'+' | b'-'), ..] => {
            let rest = &s[i + 1..];
            let (oh, om) = match rest.len() {
                5 if rest.as_bytes()[2] == b':' => (num(i + 1..i + 3), num(i + 4..i + 6)),
                4 => (num(i + 1..i + 3), num(i + 3..i + 5)),
                2 => (num(i + 1..i + 3), Some(0)),
                _ => (None, None),
            };
            match (oh, om) {
                (Some(oh), Some(om)) if oh < 24 && om < 60 => {
                    let offset = i64::from(oh) * HOUR + i64::from(om) * MINUTE;
                    Ok(if *sign == b'+' {
                        seconds - offset
                    } else {
                        seconds + offset
                    })
                }
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

/// `2026-11-25T06:00:00Z`.
pub fn format_timestamp(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(DAY));
    let s = ts.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / HOUR,
        s % HOUR / MINUTE,
        s % MINUTE
    )
}

/// `2026-11-25 06:00 UTC`, for people.
pub fn format_when(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(DAY));
    let s = ts.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        s / HOUR,
        s % HOUR / MINUTE
    )
}

/// `2026-11-25`.
pub fn format_date(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// A duration for people: `30 min`, `25 h`, `2 d`, `1 y`.
pub fn format_duration(seconds: f64) -> String {
    let s = seconds.abs();
    let (n, unit) = if s >= 365.0 * 86_400.0 && (s / (365.0 * 86_400.0)).fract() == 0.0 {
        (s / (365.0 * 86_400.0), "y")
    } else if s >= 86_400.0 && ((s / 86_400.0).fract() == 0.0 || s >= 7.0 * 86_400.0) {
        (s / 86_400.0, "d")
    } else if s >= 3_600.0 {
        (s / 3_600.0, "h")
    } else if s >= 60.0 {
        (s / 60.0, "min")
    } else if s >= 1.0 || s == 0.0 {
        (s, "s")
    } else {
        (s * 1000.0, "ms")
    };
    format!("{} {unit}", format_number(n))
}

/// A number for people: thousands grouped, at most four significant decimals, no trailing zeros.
pub fn format_number(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return crate::formats::quality::group_thousands(n as i64);
    }
    let decimals = if n.abs() >= 100.0 {
        1
    } else if n.abs() >= 1.0 {
        2
    } else {
        4
    };
    let text = format!("{n:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text.split_once('.') {
        Some((int, frac)) => {
            let i: i64 = int.parse().unwrap_or(0);
            let sign = if int.starts_with('-') && i == 0 {
                "-"
            } else {
                ""
            };
            format!(
                "{sign}{}.{frac}",
                crate::formats::quality::group_thousands(i)
            )
        }
        None => text.to_string(),
    }
}

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
    crate::formats::read::humanize(identifier).to_lowercase()
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

/// Which time the evaluation counts back from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The newest snapshot in the whole catalog (default: reproducible, needs no clock).
    Latest,
    /// The wall clock at build time.
    Clock,
    /// A fixed time (`--now`, `MESHDOC_NOW`, `[metrics] now`).
    At(i64),
}

impl Reference {
    /// `latest`, `clock` (or `now`), or an RFC 3339 timestamp.
    pub fn parse(text: &str) -> Result<Reference, String> {
        match text.trim() {
            "" | "latest" => Ok(Reference::Latest),
            "clock" | "now" => Ok(Reference::Clock),
            t => parse_timestamp(t).map(Reference::At),
        }
    }
}

/// How metrics are evaluated (from `[metrics]` in meshdoc.toml).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub reference: Reference,
    /// A product whose newest snapshot is older than this (seconds) is stale.
    pub stale_after: i64,
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

/// Snapshot values of one file for one product, port and metric (from `formats::metrics`).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RawSeries {
    pub product: String,
    pub port: Option<String>,
    pub metric: String,
    /// Line where the product is named (first row for CSV).
    pub line: u32,
    pub points: Vec<RawPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct RawPoint {
    pub ts: i64,
    pub value: f64,
    pub line: u32,
}

/// The snapshots one file holds.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct MetricBatch {
    pub origin: super::model::Origin,
    pub series: Vec<RawSeries>,
    /// Line of the `timestamp` of a YAML snapshot (CSV rows carry their own lines).
    pub timestamp_line: Option<u32>,
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
                            "metric-unknown-product",
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
                                "metric-unknown-port",
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
                            "metric-future-timestamp",
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
                            "metric-duplicate",
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
        .extend(crate::formats::metrics::cap(diagnostics));
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
    fn every_operator() {
        let t = |op: Op, v: f64, th: &[f64]| op.holds(v, th);
        assert!(t(Op::Eq, 0.0, &[0.0]) && !t(Op::Eq, 1.0, &[0.0]));
        assert!(t(Op::Eq, 0.1 + 0.2, &[0.3]), "decimal rounding is equal");
        assert!(t(Op::Ne, 1.0, &[0.0]) && !t(Op::Ne, 0.0, &[0.0]));
        assert!(t(Op::Gt, 1001.0, &[1000.0]) && !t(Op::Gt, 1000.0, &[1000.0]));
        assert!(t(Op::Ge, 1000.0, &[1000.0]) && !t(Op::Ge, 999.0, &[1000.0]));
        assert!(t(Op::Lt, 29.0, &[30.0]) && !t(Op::Lt, 30.0, &[30.0]));
        assert!(t(Op::Le, 30.0, &[30.0]) && !t(Op::Le, 31.0, &[30.0]));
        assert!(t(Op::Between, 10.0, &[10.0, 20.0]) && t(Op::Between, 20.0, &[10.0, 20.0]));
        assert!(
            t(Op::Between, 15.0, &[20.0, 10.0]),
            "bounds in either order"
        );
        assert!(!t(Op::Between, 21.0, &[10.0, 20.0]));
        assert!(t(Op::NotBetween, 9.0, &[10.0, 20.0]) && t(Op::NotBetween, 21.0, &[10.0, 20.0]));
        assert!(!t(Op::NotBetween, 10.0, &[10.0, 20.0]));
        assert!(!t(Op::Gt, 5.0, &[]), "no threshold never passes");
        for (key, op) in OPERATOR_KEYS {
            assert_eq!(Op::from_key(key), Some(*op));
            assert_eq!(
                Op::from_key(op.key()),
                Some(*op),
                "canonical key reads back"
            );
        }
        assert_eq!(Op::from_key("mustBeAwesome"), None);
    }

    #[test]
    fn duration_units() {
        let cases: &[(&str, f64)] = &[
            ("ms", 0.001),
            ("s", 1.0),
            ("sec", 1.0),
            ("seconds", 1.0),
            ("m", 60.0),
            ("min", 60.0),
            ("minutes", 60.0),
            ("h", 3600.0),
            ("hr", 3600.0),
            ("hours", 3600.0),
            ("d", 86400.0),
            ("day", 86400.0),
            ("days", 86400.0),
            ("w", 604800.0),
            ("weeks", 604800.0),
            ("month", 2_592_000.0),
            ("y", 31_536_000.0),
            ("yr", 31_536_000.0),
            ("years", 31_536_000.0),
            ("D", 86400.0),
        ];
        for (unit, seconds) in cases {
            assert_eq!(unit_seconds(unit), Some(*seconds), "{unit}");
        }
        assert_eq!(unit_seconds("fortnights"), None);
    }

    #[test]
    fn durations_as_contracts_write_them() {
        let cases: &[(&str, f64)] = &[
            ("25h", 90_000.0),
            ("24 hours", 86_400.0),
            ("1.5 d", 129_600.0),
            ("30m", 1_800.0),
            ("P1Y", 31_536_000.0),
            ("P400D", 34_560_000.0),
            ("P2W", 1_209_600.0),
            ("PT25H", 90_000.0),
            ("P1DT12H", 129_600.0),
            ("PT1H30M", 5_400.0),
            ("PT0.5S", 0.5),
            ("P1M", 2_592_000.0),
            ("hourly", 3_600.0),
            ("daily", 86_400.0),
            ("weekly", 604_800.0),
            ("monthly", 2_592_000.0),
            ("yearly", 31_536_000.0),
        ];
        for (text, seconds) in cases {
            assert_eq!(parse_duration(text), Some(*seconds), "{text}");
        }
        for bad in ["", "soon", "P", "PT", "P1H", "25", "h", "P1Y2", "0 4 * * 1"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ratios_and_percentages() {
        assert_eq!(parse_ratio("99.9%", None), Some(0.999));
        assert_eq!(parse_ratio("99.5", Some("percent")), Some(0.995));
        assert_eq!(parse_ratio("99.5", Some("%")), Some(0.995));
        assert_eq!(parse_ratio("99", None), Some(0.99));
        assert_eq!(parse_ratio("0.999", None), Some(0.999));
        assert_eq!(parse_ratio("150%", None), None);
        assert_eq!(parse_ratio("high", None), None);
    }

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

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(
            parse_timestamp("2026-11-25T06:00:00Z"),
            Ok(days_from_civil(2026, 11, 25) * DAY + 6 * HOUR)
        );
        assert_eq!(
            parse_timestamp("2026-11-25T07:00:00+01:00"),
            parse_timestamp("2026-11-25T06:00:00Z")
        );
        assert_eq!(
            parse_timestamp("2026-11-25T01:30:00.250-04:30"),
            parse_timestamp("2026-11-25T06:00:00Z")
        );
        assert_eq!(
            parse_timestamp("2026-11-25 06:00"),
            parse_timestamp("2026-11-25T06:00:00")
        );
        assert_eq!(
            parse_timestamp("2026-11-25"),
            Ok(days_from_civil(2026, 11, 25) * DAY)
        );
        assert_eq!(
            parse_timestamp("2024-02-29"),
            Ok(days_from_civil(2024, 2, 29) * DAY)
        );
        for bad in [
            "yesterday",
            "2026-13-01",
            "2025-02-29",
            "2026-11-31",
            "2026-11-25T25:00:00Z",
            "2026-11-25T06:00:00X",
            "2026-11-25T06",
            "25.11.2026",
            "2026-11-25T06:00:00+1",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
        let ts = parse_timestamp("2026-03-01T23:59:59Z").unwrap();
        assert_eq!(format_timestamp(ts), "2026-03-01T23:59:59Z");
        assert_eq!(format_when(ts), "2026-03-01 23:59 UTC");
        assert_eq!(format_date(ts), "2026-03-01");
        for days in [-800_000, -1, 0, 59, 365, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn people_readable_numbers() {
        assert_eq!(format_number(1_834_521.0), "1,834,521");
        assert_eq!(format_number(0.998), "0.998");
        assert_eq!(format_number(0.99951), "0.9995");
        assert_eq!(format_number(42.5), "42.5");
        assert_eq!(format_number(12_345.67), "12,345.7");
        assert_eq!(format_number(-0.5), "-0.5");
        assert_eq!(format_duration(1800.0), "30 min");
        assert_eq!(format_duration(90_000.0), "25 h");
        assert_eq!(format_duration(8.0 * 86_400.0), "8 d");
        assert_eq!(format_duration(365.0 * 86_400.0), "1 y");
        assert_eq!(format_duration(0.25), "250 ms");
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
