//! Colour contrast (WCAG 2 relative luminance), to keep generated colours readable: the syntax
//! themes that ship with syntect use some colours below 4.5:1 on the page's code backgrounds.

/// WCAG's minimum for normal text is 4.5:1; a little more absorbs rounding in browsers.
pub const TEXT_CONTRAST: f64 = 4.6;

fn channel(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.039_28 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn luminance([r, g, b]: [u8; 3]) -> f64 {
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The contrast ratio of two colours, 1 to 21.
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// `colour` moved towards black (on light backgrounds) or white (on dark ones) just far enough to
/// reach `target` against every background; the hue is kept.
pub fn readable(colour: [u8; 3], backgrounds: &[[u8; 3]], target: f64) -> [u8; 3] {
    let dark_bg = backgrounds.iter().all(|b| luminance(*b) < 0.2);
    let toward = if dark_bg { 255.0 } else { 0.0 };
    let ok = |c: [u8; 3]| backgrounds.iter().all(|b| ratio(c, *b) >= target);
    let mut c = colour;
    for step in 0..=50 {
        let t = f64::from(step) / 50.0;
        c = colour.map(|v| (f64::from(v) + (toward - f64::from(v)) * t).round() as u8);
        if ok(c) {
            break;
        }
    }
    c
}

/// Every `color: #rrggbb` declaration of a stylesheet made readable on `backgrounds`
/// (background colours are left alone).
pub fn readable_css(css: &str, backgrounds: &[&str], target: f64) -> String {
    let backgrounds: Vec<[u8; 3]> = backgrounds.iter().filter_map(|b| parse_hex(b)).collect();
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("color:") {
        let is_background = rest[..at].ends_with("background-") || rest[..at].ends_with('-');
        out.push_str(&rest[..at + "color:".len()]);
        rest = &rest[at + "color:".len()..];
        let value_start = rest.len() - rest.trim_start().len();
        let value = &rest[value_start..];
        match value.get(..7).and_then(parse_hex) {
            Some(colour) if !is_background => {
                let [r, g, b] = readable(colour, &backgrounds, target);
                out.push_str(&rest[..value_start]);
                out.push_str(&format!("#{r:02x}{g:02x}{b:02x}"));
                rest = &value[7..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ratios() {
        assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        // GitHub's syntax green on the page's code background: 2.84:1, as axe reports it.
        let green = parse_hex("#63a35c").unwrap();
        let bg = parse_hex("#f6f8fa").unwrap();
        assert!((ratio(green, bg) - 2.84).abs() < 0.01);
    }

    #[test]
    fn colours_are_darkened_or_lightened_only_as_needed() {
        let light = ["#ffffff", "#f6f8fa", "#eef1f4"];
        let css =
            ".a {\n color: #63a35c;\n background-color: #f6f8fa;\n}\n.b { color: #1f2328; }\n";
        let fixed = readable_css(css, &light, TEXT_CONTRAST);
        assert!(fixed.contains("background-color: #f6f8fa;"), "{fixed}");
        assert!(
            fixed.contains("color: #1f2328;"),
            "already readable: {fixed}"
        );
        let green = fixed.split("color: ").nth(1).unwrap();
        let green = parse_hex(&green[..7]).unwrap();
        assert!(ratio(green, parse_hex("#eef1f4").unwrap()) >= TEXT_CONTRAST);
        assert!(
            green[1] > green[0] && green[1] > green[2],
            "still green: {green:?}"
        );

        let dark = ["#0d1117", "#151b23", "#212830"];
        let fixed = readable_css(".c { color: #bf616a; }", &dark, TEXT_CONTRAST);
        let red = parse_hex(&fixed[fixed.find('#').unwrap()..][..7]).unwrap();
        assert!(ratio(red, parse_hex("#212830").unwrap()) >= TEXT_CONTRAST);
    }
}
