//! Calendar maths and timestamps: RFC 3339 in, dates and times for people out (UTC, no clock).

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
