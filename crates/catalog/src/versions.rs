//! Versions as first-class: an entity is (kind, id), its versions are (id, version). Teams keep
//! `v1/` and `v2/` side by side, and ODCS keeps one `id` across versions, so several documents
//! with one id are versions of one entity, not duplicates — unless they also share the version.
//!
//! Of an entity's versions one is *current*: the highest version among those not retired, with
//! deprecated ones ranked after active, draft and the rest; when every version is retired, the
//! highest. The current version is the entity (`Catalog::products` / `contracts`: listings,
//! lineage and search see one per id); every other version is kept whole beside it, with a page
//! of its own.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use model::diagnostics::Diagnostic;
use model::slug::SlugSet;
use model::{Code, DataContract, DataProduct, Origin, VersionInfo};

use rayon::prelude::*;

use crate::contracts::diff::{self, Report};
use crate::Catalog;

/// One version of a product or contract, as the catalog keeps it.
#[derive(Debug, Clone)]
pub struct Version {
    pub info: VersionInfo,
    /// Where the entity of a version that is not current is: an index into
    /// `Catalog::other_products` / `other_contracts`. None for the current version.
    pub other: Option<usize>,
    /// Contracts: what changed from the next lower version (by version order) to this one.
    pub changes: Option<Report>,
}

impl Version {
    pub fn is_current(&self) -> bool {
        self.info.current
    }
}

/// The version as written, trimmed, without a `v` before a digit: `v1.2.0` and `1.2.0` are one
/// version.
pub fn normalize(version: &str) -> &str {
    let v = version.trim();
    match v.strip_prefix(['v', 'V']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => v,
    }
}

/// Whether two declared versions are the same version (`v1.0.0` = `1.0.0`; none = none).
pub fn same_version(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => normalize(a) == normalize(b),
        (None, None) => true,
        _ => false,
    }
}

/// Whether a reference to `wanted` names version `have`: the same version, or the same numbers
/// (`1.0` names `1.0.0`).
pub fn names_version(wanted: &str, have: &str) -> bool {
    let (w, h) = (normalize(wanted), normalize(have));
    w == h || (is_numeric(w) && is_numeric(h) && precedence(w, h) == Ordering::Equal)
}

fn is_numeric(v: &str) -> bool {
    !v.is_empty()
        && v.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A version split for comparing: its numbers, its pre-release part, or just text.
#[derive(Debug)]
enum Parsed<'a> {
    /// `1.2.3-rc.1+build`: numbers `[1, 2, 3]`, pre-release `rc.1` (build metadata ignored).
    Numbered {
        numbers: Vec<u64>,
        pre: Option<&'a str>,
    },
    /// Anything else (`latest`, `2024-q3`), compared in natural order below every numbered one.
    Text(&'a str),
}

fn parse(version: &str) -> Parsed<'_> {
    let v = normalize(version);
    let v = v.split('+').next().unwrap_or(v);
    // The numbers: digit runs joined by `.` (or by `-` in a date such as `2024-01-15`, that is
    // while no `.` has been seen); what follows a `-` is the pre-release.
    let bytes = v.as_bytes();
    let mut numbers = Vec::new();
    let mut i = 0;
    let mut dotted = false;
    let mut pre = None;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let Ok(n) = v[start..i].parse::<u64>() else {
            return Parsed::Text(v);
        };
        numbers.push(n);
        match bytes.get(i) {
            None => break,
            Some(b'.') if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => dotted = true,
            Some(b'-') if !dotted && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                // A date goes on with digits; `1-alpha` or `1.0.0-rc` is a pre-release.
            }
            Some(b'-' | b'.') if i + 1 < bytes.len() => {
                pre = Some(&v[i + 1..]);
                break;
            }
            _ => return Parsed::Text(v),
        }
        i += 1;
    }
    Parsed::Numbered { numbers, pre }
}

/// Semantic-version order, robust to what people write: a `v` prefix is ignored, missing parts
/// count as 0 (`1.2` = `1.2.0`), a pre-release is lower than its release (`2.0.0-rc.1` <
/// `2.0.0`), pre-release identifiers compare numerically where they are numbers, and versions
/// that are not numbers sort below numbered ones, in natural order (`build9` < `build10`). Equal
/// by these rules, the text decides, so the order is total.
pub fn compare(a: &str, b: &str) -> Ordering {
    precedence(a, b).then_with(|| normalize(a).cmp(normalize(b)))
}

/// [`compare`] without the final tie-break on the text: `1.0` and `1.0.0` are equal here.
fn precedence(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (
            Parsed::Numbered {
                numbers: na,
                pre: pa,
            },
            Parsed::Numbered {
                numbers: nb,
                pre: pb,
            },
        ) => {
            let len = na.len().max(nb.len());
            let num = (0..len)
                .map(|i| {
                    na.get(i)
                        .copied()
                        .unwrap_or(0)
                        .cmp(&nb.get(i).copied().unwrap_or(0))
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal);
            num.then_with(|| match (pa, pb) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) => compare_pre(x, y),
            })
        }
        (Parsed::Numbered { .. }, Parsed::Text(_)) => Ordering::Greater,
        (Parsed::Text(_), Parsed::Numbered { .. }) => Ordering::Less,
        (Parsed::Text(x), Parsed::Text(y)) => natural(x, y),
    }
}

/// Pre-release identifiers, dot by dot: numbers below words, numbers by value, words by text;
/// fewer identifiers first when all shared ones are equal.
fn compare_pre(a: &str, b: &str) -> Ordering {
    let mut xs = a.split('.');
    let mut ys = b.split('.');
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => natural(x, y),
                };
                if o.is_ne() {
                    return o;
                }
            }
        }
    }
}

/// Natural order of text: runs of digits compare by value, the rest by lowercase text.
fn natural(a: &str, b: &str) -> Ordering {
    let chunks = |s: &str| -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, text)) if *d == digit => text.push(c.to_ascii_lowercase()),
                _ => out.push((digit, c.to_ascii_lowercase().to_string())),
            }
        }
        out
    };
    let (xa, xb) = (chunks(a), chunks(b));
    for (x, y) in xa.iter().zip(&xb) {
        let o = match (x.0, y.0) {
            (true, true) => {
                let (tx, ty) = (x.1.trim_start_matches('0'), y.1.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
            }
            _ => x.1.cmp(&y.1),
        };
        if o.is_ne() {
            return o;
        }
    }
    xa.len().cmp(&xb.len())
}

/// Declared versions in order, a missing version lowest.
pub fn compare_declared(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => compare(a, b),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
    }
}

/// How a status ranks when choosing the current version: 0 retired, 1 deprecated, 2 not yet
/// released (draft, proposed: a consumer reading "current" must not land on an unreleased
/// version while a released one exists), 3 anything else (active, unstated, …).
pub fn status_rank(status: Option<&str>) -> u8 {
    let s = status
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match s.as_str() {
        "retired" | "decommissioned" | "archived" | "obsolete" | "removed" | "withdrawn"
        | "end-of-life" | "eol" => 0,
        "deprecated" | "sunset" | "sunsetting" | "retiring" => 1,
        "draft" | "proposed" | "development" | "dev" | "planned" | "candidate" | "preview" => 2,
        _ => 3,
    }
}

/// What versions need of a product or contract.
pub(crate) trait Versioned {
    fn id(&self) -> &str;
    fn version(&self) -> Option<&str>;
    fn status(&self) -> Option<&str>;
    fn origin(&self) -> &Origin;
}

impl Versioned for DataProduct {
    fn id(&self) -> &str {
        &self.id
    }
    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }
    fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// Boxed entities are split without moving the entities themselves.
impl<T: Versioned> Versioned for Box<T> {
    fn id(&self) -> &str {
        (**self).id()
    }
    fn version(&self) -> Option<&str> {
        (**self).version()
    }
    fn status(&self) -> Option<&str> {
        (**self).status()
    }
    fn origin(&self) -> &Origin {
        (**self).origin()
    }
}

impl Versioned for DataContract {
    fn id(&self) -> &str {
        &self.id
    }
    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }
    fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// The entities of one kind, split into the current version of each id (sorted by id) and the
/// other versions, with every id's version list (parallel to `current`).
pub(crate) struct Split<T> {
    pub current: Vec<T>,
    pub others: Vec<T>,
    pub versions: Vec<Vec<Version>>,
}

fn by_origin(a: &Origin, b: &Origin) -> Ordering {
    (&a.source, &a.path, a.line).cmp(&(&b.source, &b.path, b.line))
}

/// Group `items` by id, report copies of one version (`duplicate-id`, at the id key of each copy;
/// the first by source and path is kept), choose each id's current version.
pub(crate) fn split<T: Versioned>(
    items: Vec<T>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Split<T> {
    // Sorted by index, then each entity moved once: a product or contract is a large struct,
    // and sorting the entities themselves moved each of them a dozen times.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&items[a], &items[b]);
        a.id()
            .cmp(b.id())
            .then_with(|| by_origin(a.origin(), b.origin()))
    });
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    let mut out = Split {
        current: Vec::with_capacity(order.len()),
        others: Vec::new(),
        versions: Vec::with_capacity(order.len()),
    };
    let mut rest = order.into_iter().filter_map(|i| slots[i].take()).peekable();
    while let Some(first) = rest.next() {
        let mut group = vec![first];
        while let Some(next) = rest.next_if(|n| n.id() == group[0].id()) {
            group.push(next);
        }
        let kept = drop_duplicates(group, what, diagnostics);
        let (current, others, versions) = choose(kept, out.others.len());
        out.current.push(current);
        out.others.extend(others);
        out.versions.push(versions);
    }
    out
}

/// Keep one document per version of an id (in origin order); report the copies.
fn drop_duplicates<T: Versioned>(
    group: Vec<T>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<T> {
    // Most ids have one document: nothing to group.
    if group.len() == 1 {
        return group;
    }
    // Normalised version → documents, in origin order.
    let mut by_version: BTreeMap<Option<String>, Vec<T>> = BTreeMap::new();
    for item in group {
        let key = item.version().map(|v| normalize(v).to_string());
        by_version.entry(key).or_default().push(item);
    }
    let mut kept = Vec::with_capacity(by_version.len());
    for (version, copies) in by_version {
        if copies.len() > 1 {
            report_duplicates(&copies, version.as_deref(), what, diagnostics);
        }
        kept.extend(copies.into_iter().next());
    }
    kept
}

/// `source/path:line:column` of an entity's id key.
fn place(o: &Origin) -> String {
    let (line, column) = o.id_pos();
    format!("{}/{}:{line}:{column}", o.source, o.path)
}

/// One error at the id key of every copy, each naming the others.
fn report_duplicates<T: Versioned>(
    copies: &[T],
    version: Option<&str>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let id = copies[0].id();
    let which = match version {
        Some(v) => format!("version `{v}`"),
        None => "no version".to_string(),
    };
    // Each message names at most three others: linear however many copies there are.
    const NAMED: usize = 3;
    let others = copies.len() - 1;
    for (i, copy) in copies.iter().enumerate() {
        let named: Vec<String> = copies
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .take(NAMED)
            .map(|(_, c)| place(c.origin()))
            .collect();
        let shown = if others > NAMED {
            format!("{} and {} more", named.join(", "), others - NAMED)
        } else {
            named.join(", ")
        };
        let fate = if i == 0 {
            "this copy is shown"
        } else {
            "this copy is not shown"
        };
        let o = copy.origin();
        let (line, column) = o.id_pos();
        diagnostics.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!("{what} `{id}` with {which} is defined more than once: here and at {shown} ({fate})"),
            )
            .at_file(&o.source, &o.path)
            .at(line, column)
            .hint("a version is published once: give this document a new version (or its own id), or delete the outdated copy"),
        );
    }
}

/// The current version of one id's documents (one per version), the others, and the version
/// list, newest first. `others_before` is how many other versions earlier ids have.
fn choose<T: Versioned>(mut kept: Vec<T>, others_before: usize) -> (T, Vec<T>, Vec<Version>) {
    // Newest first; ties (only `1.0` beside `1.0.0`) by origin.
    kept.sort_by(|a, b| {
        compare_declared(b.version(), a.version()).then_with(|| by_origin(a.origin(), b.origin()))
    });
    let best_rank = kept
        .iter()
        .map(|v| status_rank(v.status()))
        .max()
        .unwrap_or(2);
    // The first (newest) of the best-ranked; when all are retired (rank 0), the newest.
    let current = kept
        .iter()
        .position(|v| status_rank(v.status()) == best_rank)
        .unwrap_or(0);
    let mut slugs = SlugSet::default();
    let mut list = Vec::with_capacity(kept.len());
    let mut others_seen = 0;
    for (i, item) in kept.iter().enumerate() {
        let other = (i != current).then(|| {
            others_seen += 1;
            others_before + others_seen - 1
        });
        list.push(Version {
            info: VersionInfo {
                version: item.version().map(str::to_string),
                status: item.status().map(str::to_string),
                current: i == current,
                slug: slugs.assign(item.version().map_or("unversioned", normalize)),
                origin: item.origin().clone(),
            },
            other,
            changes: None,
        });
    }
    let current_item = kept.remove(current);
    let others = kept;
    (current_item, others, list)
}

/// The version of contract `ci` that `v` describes.
pub fn contract_of<'a>(catalog: &'a Catalog, ci: usize, v: &Version) -> &'a DataContract {
    match v.other {
        Some(o) => &catalog.other_contracts[o],
        None => &catalog.contracts[ci],
    }
}

/// The version of product `pi` that `v` describes.
pub fn product_of<'a>(catalog: &'a Catalog, pi: usize, v: &Version) -> &'a DataProduct {
    match v.other {
        Some(o) => &catalog.other_products[o],
        None => &catalog.products[pi],
    }
}

/// Compare each contract version with the next lower one (the diff engine, in parallel over the
/// contracts that have more than one version).
pub fn attach_diffs(catalog: &mut Catalog) {
    let reports = diffs(catalog);
    apply_diffs(catalog, reports);
}

/// Per contract with more than one version: the reports of [`attach_diffs`], newest first.
pub type Diffs = Vec<(usize, Vec<Report>)>;

/// What [`attach_diffs`] adds, read from the catalog alone (so other passes can run beside it).
pub fn diffs(catalog: &Catalog) -> Diffs {
    catalog
        .contract_versions
        .par_iter()
        .enumerate()
        .filter(|(_, list)| list.len() > 1)
        .map(|(ci, list)| {
            let reports = list
                .windows(2)
                .map(|pair| {
                    let newer = contract_of(catalog, ci, &pair[0]);
                    let older = contract_of(catalog, ci, &pair[1]);
                    diff::diff(older, newer)
                })
                .collect();
            (ci, reports)
        })
        .collect()
}

pub fn apply_diffs(catalog: &mut Catalog, reports: Diffs) {
    for (ci, list) in reports {
        for (k, report) in list.into_iter().enumerate() {
            catalog.contract_versions[ci][k].changes = Some(report);
        }
    }
}

/// Where a reference to version `wanted` of contract `ci` leads: the index of that version in
/// its list, when the catalog holds it.
pub fn find_contract_version(catalog: &Catalog, ci: usize, wanted: &str) -> Option<usize> {
    catalog.contract_versions.get(ci)?.iter().position(|v| {
        v.info
            .version
            .as_deref()
            .is_some_and(|have| names_version(wanted, have))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut versions: Vec<&str>) -> Vec<&str> {
        versions.sort_by(|a, b| compare(a, b));
        versions
    }

    #[test]
    fn semantic_versions_sort_as_people_expect() {
        assert_eq!(
            sorted(vec![
                "2.0.0",
                "v1.10.0",
                "1.2",
                "2.0.0-rc.1",
                "1.2.1",
                "latest",
                "2.0.0-alpha",
                "0.9"
            ]),
            vec![
                "latest",
                "0.9",
                "1.2",
                "1.2.1",
                "v1.10.0",
                "2.0.0-alpha",
                "2.0.0-rc.1",
                "2.0.0"
            ]
        );
        assert_eq!(
            sorted(vec!["2024-10-01", "2024-09-30", "2024-10-01-hotfix"]),
            vec!["2024-09-30", "2024-10-01-hotfix", "2024-10-01"]
        );
        assert_eq!(
            sorted(vec!["build10", "build9", "Build1"]),
            vec!["Build1", "build9", "build10"]
        );
        assert_eq!(compare("1.0.0-rc.2", "1.0.0-rc.10"), Ordering::Less);
        assert_eq!(compare("1.0.0-1", "1.0.0-alpha"), Ordering::Less);
        assert!(same_version(Some("v1.0.0"), Some("1.0.0")));
        assert!(!same_version(Some("1.0"), Some("1.0.0")));
        assert!(names_version("1.0", "v1.0.0"));
        assert!(!names_version("1.0", "1.0.1"));
    }

    #[test]
    fn status_ranks_retired_then_deprecated_then_unreleased_then_the_rest() {
        assert!(status_rank(Some("Retired")) < status_rank(Some("deprecated")));
        assert!(status_rank(Some("deprecated")) < status_rank(Some("draft")));
        assert!(status_rank(Some("proposed")) < status_rank(Some("active")));
        assert_eq!(status_rank(Some("active")), status_rank(None));
    }
}
