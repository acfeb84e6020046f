//! Measurement: the operators of quality rules and SLAs, units and the metric settings and
//! snapshot types shared by the formats (which read them) and the catalog (which evaluates them).

use serde::Serialize;

use crate::entity::Origin;
use crate::time::parse_timestamp;
pub use crate::time::{DAY, HOUR, MINUTE};

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
pub const DURATION_SUFFIXES: &[(&str, f64)] = &[
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

/// Snapshot values of one file for one product, port and metric (from `formats::metrics`).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RawSeries {
    /// Empty when the snapshot names only the contract it checked (test results): the catalog
    /// then measures the product whose output port serves that contract.
    pub product: String,
    /// The contract a test run checked (`dataContractId`), when the file names one.
    #[serde(default)]
    pub contract: Option<String>,
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
    pub origin: Origin,
    pub series: Vec<RawSeries>,
    /// Line of the `timestamp` of a YAML snapshot (CSV rows carry their own lines).
    pub timestamp_line: Option<u32>,
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
}
