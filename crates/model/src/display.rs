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
        if i > 0 && (digits.len() - i) % 3 == 0 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
