//! Ids become URL path segments here, and only here.

use std::collections::HashSet;

/// A readable, safe path segment: lowercase ASCII letters, digits, `-`, `_` and `.`; anything
/// else becomes `-`. Never empty, never `.` or `..`.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut last_dash = false;
    for c in id.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            out.push(c);
            last_dash = false;
        } else if !last_dash {
            out.push('-');
            last_dash = true;
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    let mut s: String = trimmed.chars().take(80).collect();
    if s.is_empty() {
        s = "item".into();
    }
    s
}

/// Assigns slugs that are unique within one kind; a collision gets a stable hash suffix.
#[derive(Default)]
pub struct SlugSet {
    used: HashSet<String>,
}

impl SlugSet {
    pub fn assign(&mut self, id: &str) -> String {
        let base = slug(id);
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut n = fnv1a(id);
        loop {
            let candidate = format!("{base}-{:08x}", n as u32);
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n = n.wrapping_add(1);
        }
    }
}

/// Small stable hash (the same on every machine and run, unlike std's RandomState).
pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slug("Orders V1"), "orders-v1");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("..."), "item");
        assert_eq!(slug("S3 Bucket: Stock"), "s3-bucket-stock");
    }

    #[test]
    fn collisions_get_distinct_stable_slugs() {
        let mut set = SlugSet::default();
        let a = set.assign("Orders");
        let b = set.assign("orders");
        assert_eq!(a, "orders");
        assert_ne!(a, b);
        let mut again = SlugSet::default();
        again.assign("Orders");
        assert_eq!(again.assign("orders"), b);
    }
}
