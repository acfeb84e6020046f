//! Display formatting shared by every stage: numbers, durations, identifiers for people.

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
        return group_thousands(n as i64);
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
            format!("{sign}{}.{frac}", group_thousands(i))
        }
        None => text.to_string(),
    }
}

/// `customerLifetimeValue` / `customer_lifetime_value` → "Customer lifetime value".
pub fn humanize(key: &str) -> String {
    let mut words = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if c == '_' || c == '-' {
            words.push(' ');
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            words.push(' ');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        words.extend(c.to_lowercase());
    }
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A service-level value as people read it, and the machine form of a point in time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Spoken {
    /// "30 minutes", "99.5 %", "12 May 2022, 17:30 UTC".
    pub text: String,
    /// RFC 3339 (`2022-05-12T17:30:10Z`) or a date, for `<time datetime>`; None when the value
    /// is not a point in time.
    pub datetime: Option<String>,
}

/// A value with its unit as contracts write them (`30` `m`, `10` `y`, `99.5` `percent`, a
/// bare timestamp, `P1D`) in words: units spelled out with their plural, percentages with `%`,
/// dates as dates. What it cannot read is shown as written.
pub fn spoken(value: &str, unit: Option<&str>) -> Spoken {
    let value = value.trim();
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    let plain = |text: String| Spoken {
        text,
        datetime: None,
    };
    if let Some(u) = unit {
        if matches!(u.to_ascii_lowercase().as_str(), "percent" | "%" | "pct") {
            return plain(format!("{value} %"));
        }
        return match (value.parse::<f64>(), unit_words(u)) {
            (Ok(n), Some(words)) => plain(count_of(n, value, words)),
            _ => plain(format!("{value} {u}")),
        };
    }
    if let Some(rest) = value.strip_prefix(['P', 'p']) {
        if let Some(words) = iso_duration_words(rest) {
            return plain(words);
        }
    }
    if let Ok(ts) = crate::time::parse_timestamp(value) {
        // Midnight UTC is a date as people mean it ("valid from 1 February 2023").
        let date_only = value.len() == 10 || ts.rem_euclid(86_400) == 0;
        return Spoken {
            text: readable_time(ts, date_only),
            datetime: Some(if value.len() == 10 {
                value.to_string()
            } else {
                crate::time::format_timestamp(ts)
            }),
        };
    }
    plain(value.to_string())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `12 May 2022` or `12 May 2022, 17:30 UTC`.
pub fn readable_time(ts: i64, date_only: bool) -> String {
    let (y, m, d) = crate::time::civil_from_days(ts.div_euclid(86_400));
    let date = format!("{d} {} {y}", MONTHS[(m as usize).clamp(1, 12) - 1]);
    if date_only {
        return date;
    }
    let s = ts.rem_euclid(86_400);
    format!("{date}, {:02}:{:02} UTC", s / 3_600, s % 3_600 / 60)
}

/// Singular and plural of a duration unit as contracts abbreviate it.
fn unit_words(unit: &str) -> Option<(&'static str, &'static str)> {
    let seconds = crate::measure::unit_seconds(unit)?;
    Some(match seconds {
        s if s < 1.0 => ("millisecond", "milliseconds"),
        s if s < 60.0 => ("second", "seconds"),
        s if s < 3_600.0 => ("minute", "minutes"),
        s if s < 86_400.0 => ("hour", "hours"),
        s if s < 7.0 * 86_400.0 => ("day", "days"),
        s if s < 30.0 * 86_400.0 => ("week", "weeks"),
        s if s < 365.0 * 86_400.0 => ("month", "months"),
        _ => ("year", "years"),
    })
}

/// "1 day", "30 minutes", "1.5 hours" — the number as written, grouped when whole.
fn count_of(n: f64, written: &str, (one, many): (&str, &str)) -> String {
    let number = if n.fract() == 0.0 {
        format_number(n)
    } else {
        written.to_string()
    };
    format!("{number} {}", if n == 1.0 { one } else { many })
}

/// `1DT12H` (after the `P`) → "1 day 12 hours".
fn iso_duration_words(rest: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut in_time = false;
    let mut number = String::new();
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' if number.is_empty() && !in_time => in_time = true,
            d if d.is_ascii_digit() || d == '.' => number.push(d),
            u => {
                let n: f64 = number.parse().ok()?;
                let words = match (u, in_time) {
                    ('Y', false) => ("year", "years"),
                    ('M', false) => ("month", "months"),
                    ('W', false) => ("week", "weeks"),
                    ('D', false) => ("day", "days"),
                    ('H', true) => ("hour", "hours"),
                    ('M', true) => ("minute", "minutes"),
                    ('S', true) => ("second", "seconds"),
                    _ => return None,
                };
                parts.push(count_of(n, &number, words));
                number.clear();
            }
        }
    }
    (!parts.is_empty() && number.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_levels_in_words() {
        let text = |v: &str, u: Option<&str>| spoken(v, u).text;
        assert_eq!(text("30", Some("m")), "30 minutes");
        assert_eq!(text("10", Some("y")), "10 years");
        assert_eq!(text("1", Some("d")), "1 day");
        assert_eq!(text("1.5", Some("h")), "1.5 hours");
        assert_eq!(text("1", Some("wk")), "1 week");
        assert_eq!(text("99.5", Some("percent")), "99.5 %");
        assert_eq!(text("PT25H", None), "25 hours");
        assert_eq!(text("P1DT12H", None), "1 day 12 hours");
        assert_eq!(text("5", Some("rows")), "5 rows");
        assert_eq!(text("Monday 09:00", None), "Monday 09:00");
        let when = spoken("2022-05-12T09:30:10-08:00", None);
        assert_eq!(when.text, "12 May 2022, 17:30 UTC");
        assert_eq!(when.datetime.as_deref(), Some("2022-05-12T17:30:10Z"));
        assert_eq!(spoken("2023-02-01T00:00:00Z", None).text, "1 February 2023");
        let day = spoken("2026-01-31", None);
        assert_eq!(
            (day.text.as_str(), day.datetime.as_deref()),
            ("31 January 2026", Some("2026-01-31"))
        );
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
}
