//! Hand-written inline SVG sparklines: no JavaScript, styled by the theme's CSS (so dark mode
//! works), every text escaped, with a title and description for screen readers.

use std::fmt::Write as _;

use catalog::metrics::Point;
use model::display::format_number;
use model::time::{format_date, DAY};

use super::markdown::escape;

pub const WIDTH: f64 = 240.0;
pub const HEIGHT: f64 = 40.0;
const PAD: f64 = 3.0;
/// At most one drawn point per this many pixels: an hourly series stays a few hundred bytes.
const BUCKET_PX: f64 = 1.0;

/// What to draw: the points of a window, which of them failed, and the threshold line.
pub struct Spark<'a> {
    /// Unique on the page (used for aria ids).
    pub id: &'a str,
    /// The metric, for the accessible title.
    pub title: &'a str,
    /// Points oldest first; only those in `[end - days, end]` are drawn.
    pub points: &'a [Point],
    pub end: i64,
    pub days: u32,
    /// Whether each point met its objective (None: not evaluated).
    pub passes: Option<&'a dyn Fn(f64) -> bool>,
    /// Threshold lines in the metric's own unit.
    pub thresholds: &'a [f64],
}

/// The SVG and a one-sentence text equivalent of it.
pub fn sparkline(s: &Spark) -> (String, String) {
    let start = s.end - i64::from(s.days) * DAY;
    let from = s.points.partition_point(|p| p.ts < start);
    let to = s.points.partition_point(|p| p.ts <= s.end);
    let points = &s.points[from..to];
    let summary = describe(s, points);
    let mut svg = String::with_capacity(512);
    let _ = write!(
        svg,
        r#"<svg class="spark" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#,
        id = escape(s.id),
        title = escape(&format!("{}, last {} days", s.title, s.days)),
        desc = escape(&summary),
    );
    if points.is_empty() {
        svg.push_str("</svg>");
        return (svg, summary);
    }
    let (shown, y) = scale(s, points);
    for t in &shown {
        let _ = write!(
            svg,
            r#"<line class="spark-threshold" x1="{PAD}" x2="{}" y1="{y:.1}" y2="{y:.1}"/>"#,
            WIDTH - PAD,
            y = y(*t)
        );
    }
    let drawn = buckets(s, points, &y);
    draw_line(&mut svg, &drawn);
    svg.push_str("</svg>");
    (svg, summary)
}

/// The thresholds drawn, and the vertical position of a value: the scale spans the points and
/// the thresholds near them.
fn scale(s: &Spark, points: &[Point]) -> (Vec<f64>, impl Fn(f64) -> f64) {
    let (mut lo, mut hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.value), hi.max(p.value))
        });
    // A threshold near the data is drawn (and widens the scale); a far one would flatten the line.
    let span = (hi - lo).max(hi.abs() * 0.05).max(1e-9);
    let shown: Vec<f64> = s
        .thresholds
        .iter()
        .copied()
        .filter(|t| *t >= lo - span && *t <= hi + span)
        .collect();
    for t in &shown {
        lo = lo.min(*t);
        hi = hi.max(*t);
    }
    if hi - lo < 1e-12 {
        lo -= 1.0;
        hi += 1.0;
    }
    (shown, move |v: f64| {
        PAD + (hi - v) / (hi - lo) * (HEIGHT - 2.0 * PAD)
    })
}

/// One drawn point per pixel column: the last of the column, failing if any of it failed.
/// Returns `(x, y, failed)`.
fn buckets(s: &Spark, points: &[Point], y: &dyn Fn(f64) -> f64) -> Vec<(f64, f64, bool)> {
    let start = s.end - i64::from(s.days) * DAY;
    let x =
        |ts: i64| PAD + (ts - start) as f64 / (s.end - start).max(1) as f64 * (WIDTH - 2.0 * PAD);
    let mut drawn: Vec<(f64, f64, bool)> = Vec::with_capacity(points.len().min(WIDTH as usize));
    for p in points {
        let px = (x(p.ts) / BUCKET_PX).round() * BUCKET_PX;
        let failed = s.passes.is_some_and(|f| !f(p.value));
        match drawn.last_mut() {
            Some(last) if (last.0 - px).abs() < f64::EPSILON => {
                last.1 = y(p.value);
                last.2 |= failed;
            }
            _ => drawn.push((px, y(p.value), failed)),
        }
    }
    drawn
}

/// The line through the drawn points, a dot on each failure, and one on the last point.
fn draw_line(svg: &mut String, drawn: &[(f64, f64, bool)]) {
    // Relative steps between points rounded to tenths: a third shorter than absolute pairs.
    svg.push_str(r#"<path class="spark-line" d=""#);
    let tenths = |v: f64| (v * 10.0).round() as i64;
    let mut prev = (0i64, 0i64);
    for (i, (px, py, _)) in drawn.iter().enumerate() {
        let (x, y) = (tenths(*px), tenths(*py));
        if i == 0 {
            let _ = write!(svg, "M{} {}", decimal(x), decimal(y));
        } else {
            let dy = y - prev.1;
            let sep = if dy < 0 { "" } else { " " };
            let _ = write!(svg, "l{}{sep}{}", decimal(x - prev.0), decimal(dy));
        }
        prev = (x, y);
    }
    svg.push_str(r#""/>"#);
    for (px, py, _) in drawn.iter().filter(|d| d.2) {
        let _ = write!(
            svg,
            r#"<circle class="spark-fail" cx="{px:.1}" cy="{py:.1}" r="2"/>"#
        );
    }
    if let Some((px, py, failed)) = drawn.last() {
        if !failed {
            let _ = write!(
                svg,
                r#"<circle class="spark-last" cx="{px:.1}" cy="{py:.1}" r="2"/>"#
            );
        }
    }
}

/// Tenths as a short decimal: 25 → "2.5", 30 → "3", -4 → "-.4".
fn decimal(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let (int, frac) = (tenths.abs() / 10, tenths.abs() % 10);
    match (int, frac) {
        (i, 0) => format!("{sign}{i}"),
        (0, f) => format!("{sign}.{f}"),
        (i, f) => format!("{sign}{i}.{f}"),
    }
}

fn describe(s: &Spark, points: &[Point]) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return format!("No snapshots in the last {} days.", s.days);
    };
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.value), hi.max(p.value))
        });
    let n = points.len();
    let mut text = format!(
        "{n} snapshot{} from {} to {}: lowest {}, highest {}, latest {}",
        if n == 1 { "" } else { "s" },
        format_date(first.ts),
        format_date(last.ts),
        format_number(lo),
        format_number(hi),
        format_number(last.value),
    );
    if let Some(passes) = s.passes {
        let failed = points.iter().filter(|p| !passes(p.value)).count();
        let _ = write!(text, "; {failed} of {n} missed the objective");
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(values: &[f64]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(i, &value)| Point {
                ts: (i as i64 + 1) * DAY,
                value,
            })
            .collect()
    }

    #[test]
    fn draws_a_line_threshold_and_failures_with_text() {
        let points = pts(&[10.0, 20.0, 45.0, 15.0]);
        let passes = |v: f64| v <= 30.0;
        let (svg, text) = sparkline(&Spark {
            id: "s1",
            title: "freshness <minutes>",
            points: &points,
            end: 4 * DAY,
            days: 90,
            passes: Some(&passes),
            thresholds: &[30.0],
        });
        assert!(svg.starts_with("<svg class=\"spark\""));
        assert!(svg.contains("<title id=\"s1-t\">freshness &lt;minutes&gt;, last 90 days</title>"));
        assert_eq!(svg.matches("<circle class=\"spark-fail\"").count(), 1);
        assert!(svg.contains("spark-threshold"));
        assert!(svg.contains("spark-last"));
        assert_eq!(
            text,
            "4 snapshots from 1970-01-02 to 1970-01-05: lowest 10, highest 45, latest 15; 1 of 4 missed the objective."
        );
    }

    #[test]
    fn window_and_far_threshold() {
        let points = pts(&[1_800_000.0, 1_900_000.0, 1_850_000.0]);
        let (svg, text) = sparkline(&Spark {
            id: "s2",
            title: "rowCount",
            points: &points,
            end: 3 * DAY,
            days: 1,
            passes: None,
            thresholds: &[100.0],
        });
        assert!(
            !svg.contains("spark-threshold"),
            "far threshold is not drawn"
        );
        assert!(text.starts_with("2 snapshots from 1970-01-03 to 1970-01-04"));
        let (svg, text) = sparkline(&Spark {
            id: "s3",
            title: "rowCount",
            points: &[],
            end: 0,
            days: 90,
            passes: None,
            thresholds: &[],
        });
        assert!(svg.ends_with("</desc></svg>"));
        assert_eq!(text, "No snapshots in the last 90 days.");
    }

    #[test]
    fn path_steps_are_short_decimals() {
        assert_eq!(decimal(25), "2.5");
        assert_eq!(decimal(30), "3");
        assert_eq!(decimal(-4), "-.4");
        assert_eq!(decimal(0), "0");
        let points = pts(&[0.0, 10.0, 5.0]);
        let (svg, _) = sparkline(&Spark {
            id: "p",
            title: "x",
            points: &points,
            end: 3 * DAY,
            days: 3,
            passes: None,
            thresholds: &[],
        });
        // x: 3 + (ts - 0) / 3 d * 234 → 81, 159, 237; y: 37, 3, 20.
        assert!(svg.contains(r#"d="M81 37l78-34l78 17""#), "{svg}");
    }

    #[test]
    fn dense_series_stay_small() {
        let points: Vec<Point> = (0..90 * 24)
            .map(|h| Point {
                ts: h * 3600,
                value: (h % 24) as f64,
            })
            .collect();
        let (svg, _) = sparkline(&Spark {
            id: "s4",
            title: "rowCount",
            points: &points,
            end: 90 * DAY,
            days: 90,
            passes: None,
            thresholds: &[],
        });
        assert!(svg.len() < 3_000, "{} bytes", svg.len());
    }
}
