//! Foreign keys between contracts: resolve `relationships[].to` / DCS `references` to the page and
//! column anchor of the target, and warn about references to objects no contract defines.
//!
//! Forms understood: `table.column` (this contract first, then any contract with that object),
//! `/schema/<object>/properties/<property>` (this contract) and
//! `other.odcs.yaml#/schema/<object>/properties/<property>` (the contract read from that file).

use model::Code;
use std::collections::HashMap;

use crate::Catalog;
use model::diagnostics::{Diagnostic, Severity};
use model::{DataContract, SchemaProperty};

/// Where a reference leads: a contract index and an object name and property path in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub contract: usize,
    pub object: String,
    pub path: String,
}

/// Lookups built once per catalog: object name → contracts, file name → contracts.
#[derive(Debug, Default)]
pub struct RefIndex {
    objects: HashMap<String, Vec<usize>>,
    files: HashMap<String, Vec<usize>>,
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

impl RefIndex {
    pub fn new(contracts: &[DataContract]) -> RefIndex {
        let mut index = RefIndex::default();
        for (i, c) in contracts.iter().enumerate() {
            for o in &c.schema {
                index
                    .objects
                    .entry(o.name.to_ascii_lowercase())
                    .or_default()
                    .push(i);
            }
            index
                .files
                .entry(base_name(&c.origin.path).to_string())
                .or_default()
                .push(i);
        }
        index
    }

    /// Resolve `reference` written in contract `from`. Err(hint) when it names a contract or
    /// object that is not in the catalog; Ok(None) when it is not a form we understand.
    pub fn resolve(
        &self,
        contracts: &[DataContract],
        from: usize,
        reference: &str,
    ) -> Result<Option<Target>, String> {
        let reference = reference.trim();
        let (file, fragment) = match reference.split_once('#') {
            Some((file, fragment)) => (Some(file), fragment),
            None => (None, reference),
        };
        let candidates = self.candidates(contracts, from, file)?;
        let Some((object, path)) = object_and_path(fragment) else {
            return Ok(None);
        };
        let found = candidates
            .iter()
            .find_map(|&ci| object_in(contracts, ci, &object))
            .or_else(|| match file {
                None => self.object_elsewhere(contracts, from, &object),
                Some(_) => None,
            });
        match found {
            Some((contract, object)) => Ok(Some(Target {
                contract,
                object,
                path,
            })),
            None => Err(self.unknown_object(&object)),
        }
    }

    /// The contracts a reference may point into: those read from `file` (same source first), or
    /// the referring contract itself.
    fn candidates(
        &self,
        contracts: &[DataContract],
        from: usize,
        file: Option<&str>,
    ) -> Result<Vec<usize>, String> {
        let Some(file) = file else {
            return Ok(vec![from]);
        };
        let name = base_name(file);
        let found = self.files.get(name).cloned().unwrap_or_default();
        if found.is_empty() {
            return Err(format!(
                "no contract in this catalog was read from a file named `{name}`; add its repository as a source or fix the path"
            ));
        }
        // Prefer the file of the same source.
        let source = &contracts[from].origin.source;
        let mut found = found;
        found.sort_by_key(|&i| contracts[i].origin.source != *source);
        Ok(found)
    }

    /// For `table.column` not in the referring contract: the first other contract with that
    /// object.
    fn object_elsewhere(
        &self,
        contracts: &[DataContract],
        from: usize,
        object: &str,
    ) -> Option<(usize, String)> {
        let mut others = self
            .objects
            .get(&object.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default();
        others.retain(|&ci| ci != from);
        let &ci = others.first()?;
        object_in(contracts, ci, object)
    }

    /// The hint for an object no contract describes, with the closest known object name.
    fn unknown_object(&self, object: &str) -> String {
        let closest = self
            .objects
            .keys()
            .map(|k| (strsim::jaro_winkler(k, &object.to_ascii_lowercase()), k))
            .filter(|(s, _)| *s > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, k)| k.clone());
        match closest {
            Some(k) => format!("did you mean `{k}`? no contract in this catalog describes an object `{object}`"),
            None => format!(
                "no contract in this catalog describes an object `{object}`; add the contract that does to a source, or fix the reference"
            ),
        }
    }
}

/// `/schema/<object>/properties/<p>/properties/<q>` or `object.p.q` → (object, `p.q`); None for
/// any other form.
fn object_and_path(fragment: &str) -> Option<(String, String)> {
    if fragment.contains('/') {
        let parts: Vec<&str> = fragment.trim_start_matches('/').split('/').collect();
        match parts.as_slice() {
            ["schema", object, rest @ ..] => {
                let props: Vec<&str> = rest
                    .chunks(2)
                    .filter(|c| c.len() == 2 && c[0] == "properties")
                    .map(|c| c[1])
                    .collect();
                Some((object.to_string(), props.join(".")))
            }
            _ => None,
        }
    } else {
        fragment
            .split_once('.')
            .map(|(object, path)| (object.to_string(), path.to_string()))
    }
}

/// Contract `ci` and the name of its object `object` (any case), if it has one.
fn object_in(contracts: &[DataContract], ci: usize, object: &str) -> Option<(usize, String)> {
    contracts[ci]
        .schema
        .iter()
        .find(|o| o.name.eq_ignore_ascii_case(object))
        .map(|o| (ci, o.name.clone()))
}

fn walk<'a>(props: &'a [SchemaProperty], out: &mut Vec<&'a SchemaProperty>) {
    for p in props {
        out.push(p);
        walk(&p.properties, out);
    }
}

/// The foreign keys a contract writes, objects' first, then its properties' (depth first).
fn references(c: &DataContract) -> Vec<&str> {
    let mut refs: Vec<&str> = Vec::new();
    for o in &c.schema {
        refs.extend(
            o.relationships
                .iter()
                .flat_map(|r| r.to.iter().map(String::as_str)),
        );
        let mut props = Vec::new();
        walk(&o.properties, &mut props);
        for p in props {
            refs.extend(
                p.relationships
                    .iter()
                    .flat_map(|r| r.to.iter().map(String::as_str)),
            );
        }
    }
    refs
}

impl RefIndex {
    /// Resolve a reference written in a version of contract `current` that is not the current
    /// one (`version`): its own objects first, then as if the current version had written it.
    pub fn resolve_in_version(
        &self,
        contracts: &[DataContract],
        current: usize,
        version: &DataContract,
        reference: &str,
    ) -> Result<Option<Target>, String> {
        let reference = reference.trim();
        if !reference.contains('#') {
            if let Some((object, path)) = object_and_path(reference) {
                if let Some(o) = version
                    .schema
                    .iter()
                    .find(|o| o.name.eq_ignore_ascii_case(&object))
                {
                    return Ok(Some(Target {
                        contract: current,
                        object: o.name.clone(),
                        path,
                    }));
                }
            }
        }
        self.resolve(contracts, current, reference)
    }
}

/// Warn about every foreign key that leads nowhere (added to the catalog's diagnostics), at the
/// key that writes it. Other versions of a contract are checked too: they are files of their own.
pub fn check(catalog: &mut Catalog) {
    let found = unresolved(catalog, &catalog.ref_index);
    // Routed and indexed with the others by `resolve::index_diagnostics`.
    catalog.diagnostics.extend(found);
}

/// The warnings of [`check`], read from the catalog alone (so other passes can run beside it).
pub fn unresolved(catalog: &Catalog, index: &RefIndex) -> Vec<Diagnostic> {
    let contracts = &catalog.contracts;
    let mut found = Vec::new();
    for (ci, c) in contracts.iter().enumerate() {
        let unresolved: Vec<(&str, String)> = references(c)
            .into_iter()
            .filter_map(|r| index.resolve(contracts, ci, r).err().map(|hint| (r, hint)))
            .collect();
        report(c, unresolved, &mut found);
    }
    for c in &catalog.other_contracts {
        let Some(&current) = catalog.contract_by_id.get(&c.id) else {
            continue;
        };
        let unresolved: Vec<(&str, String)> = references(c)
            .into_iter()
            .filter_map(|r| {
                index
                    .resolve_in_version(contracts, current, c, r)
                    .err()
                    .map(|hint| (r, hint))
            })
            .collect();
        report(c, unresolved, &mut found);
    }
    found
}

/// One warning per unresolved reference, at the place it is written (the n-th writing of the
/// same text for its n-th occurrence).
fn report(c: &DataContract, unresolved: Vec<(&str, String)>, found: &mut Vec<Diagnostic>) {
    if unresolved.is_empty() {
        return;
    }
    let doc = crate::locate::document(c);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (r, hint) in unresolved {
        let nth = seen.entry(r).or_default();
        let pos = doc
            .as_ref()
            .and_then(|d| crate::locate::value(d, &["to", "references", "ref"], r, *nth));
        *nth += 1;
        let (line, column) = pos.map_or((c.origin.line.max(1), 1), |p| (p.line, p.column.max(1)));
        let mut d = Diagnostic::new(
            Severity::Warning,
            Code::UnresolvedForeignKey,
            format!(
                "foreign key of contract `{}` points to `{r}`, which is not in this catalog",
                c.id
            ),
        )
        .at_file(&c.origin.source, &c.origin.path)
        .at(line, column)
        .hint(hint);
        d.team = c.owner.clone();
        found.push(d);
    }
}
