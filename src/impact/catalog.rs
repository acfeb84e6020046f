//! Who reads a contract, from a built site's `catalog.json` (its formatVersion): the compact index
//! gives products, teams and the product graph; `lineage/index.json` beside it gives each edge's
//! kind and the column links; each candidate consumer's own `index.json` tells which contract its
//! input ports read and, where it says so, which columns. Only the direct consumers are fetched
//! (one record each), never the whole catalog's records.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use serde_json::Value;

use meshdoc::crawl::http;

/// catalog.json can be large at 10,000 products; records are small.
const MAX_INDEX_BYTES: u64 = 512 * 1024 * 1024;
const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(30);
/// The catalog.json format this reader understands.
/// The format written by this build (`render::catalog_json`): one number, so they cannot drift.
const FORMAT_VERSION: u64 = meshdoc::render::catalog_json::FORMAT_VERSION as u64;

/// A product that reads a contract, with what it reads of it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Consumer {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    pub team_name: Option<String>,
    pub owners: Vec<String>,
    /// The columns it reads (`object.column`, `column`, or `object.*`), when column lineage or
    /// the input port says; empty = the whole contract.
    pub columns: Vec<String>,
    pub url: Option<String>,
    /// The products that read from this consumer (not looked into further: whether the change
    /// reaches them depends on what the consumer passes on).
    pub downstream: Vec<String>,
}

impl Consumer {
    /// Whether a change at `path` (`object.column…`, or a contract-level path) touches what this
    /// consumer reads.
    pub fn reads(&self, path: &str) -> bool {
        if self.columns.is_empty() || path.is_empty() {
            return true;
        }
        let (object, column) = path.split_once('.').unwrap_or((path, ""));
        self.columns.iter().any(|used| {
            let used_column = match used.split_once('.') {
                Some((o, "*")) => return o == object,
                _ => used.as_str(),
            };
            if column.is_empty() {
                // An object changed as a whole: anyone reading one of its columns.
                return used_column == object
                    || used_column.starts_with(&format!("{object}."))
                    || !used.contains('.');
            }
            let full = |u: &str| u == column || related(u, column);
            full(used_column)
                || used_column
                    .strip_prefix(&format!("{object}."))
                    .is_some_and(full)
        })
    }
}

/// `a` is `b`, or one is a nested part of the other (`address` and `address.city`).
fn related(a: &str, b: &str) -> bool {
    a.starts_with(&format!("{b}.")) || b.starts_with(&format!("{a}."))
}

/// A built site's catalog, read from a folder or a URL.
pub struct CatalogIndex {
    base: String,
    products: HashMap<String, Value>,
    teams: HashMap<String, Value>,
    contract_product: HashMap<String, String>,
    /// (from, to, kind), from lineage/index.json, else from catalog.json's compact edges.
    edges: Vec<(String, String, String)>,
    /// (from contract, from object, from column, to contract).
    columns: Vec<(String, Option<String>, Option<String>, String)>,
    pub notes: Vec<String>,
}

impl CatalogIndex {
    /// Read `location` (a `catalog.json` path or URL, or the site folder/URL holding it).
    pub fn load(location: &str) -> Result<CatalogIndex, String> {
        let file = if location.ends_with(".json") {
            location.to_string()
        } else {
            format!("{}/catalog.json", location.trim_end_matches('/'))
        };
        let base = file
            .rsplit_once('/')
            .map(|(b, _)| format!("{b}/"))
            .unwrap_or_default();
        let bytes = http::load(&file, MAX_INDEX_BYTES, TIMEOUT)?;
        let root: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{file} is not a meshdoc catalog.json: {e}"))?;
        match root.get("formatVersion").and_then(Value::as_u64) {
            Some(FORMAT_VERSION) => {}
            Some(other) => {
                return Err(format!(
                    "{file} has formatVersion {other}; this meshdoc reads formatVersion {FORMAT_VERSION}"
                ))
            }
            None => return Err(format!("{file} is not a meshdoc catalog.json (no formatVersion)")),
        }
        let list = |key: &str| {
            root.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let by_id = |items: Vec<Value>| -> HashMap<String, Value> {
            items
                .into_iter()
                .filter_map(|v| Some((v.get("id")?.as_str()?.to_string(), v)))
                .collect()
        };
        let contract_product = list("contracts")
            .iter()
            .filter_map(|c| {
                Some((
                    c.get("id")?.as_str()?.to_string(),
                    c.get("dataProduct")?.as_str()?.to_string(),
                ))
            })
            .collect();
        let mut index = CatalogIndex {
            products: by_id(list("products")),
            teams: by_id(list("teams")),
            contract_product,
            edges: Vec::new(),
            columns: Vec::new(),
            notes: Vec::new(),
            base,
        };
        let lineage_url = root
            .pointer("/lineage/url")
            .and_then(Value::as_str)
            .unwrap_or("lineage/");
        match index.record(&format!("{lineage_url}index.json")) {
            Ok(lineage) => index.read_lineage(&lineage),
            Err(e) => {
                index.notes.push(format!(
                    "{e}: consumers are taken from catalog.json's product graph, without column lineage"
                ));
                for e in root
                    .pointer("/lineage/edges")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let s = |i: usize| e.get(i).and_then(Value::as_str).unwrap_or("").to_string();
                    index.edges.push((s(0), s(1), s(2)));
                }
            }
        }
        Ok(index)
    }

    fn read_lineage(&mut self, lineage: &Value) {
        let s = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        for e in lineage
            .get("edges")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(from), Some(to)) = (s(e, "/from"), s(e, "/to")) {
                self.edges
                    .push((from, to, s(e, "/kind").unwrap_or_default()));
            }
        }
        for c in lineage
            .get("columns")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(from), Some(to)) = (s(c, "/from/contract"), s(c, "/to/contract")) {
                self.columns
                    .push((from, s(c, "/from/object"), s(c, "/from/column"), to));
            }
        }
    }

    /// A record beside catalog.json (`products/orders/index.json`), as JSON.
    fn record(&self, relative: &str) -> Result<Value, String> {
        if relative.contains("..") || relative.contains("://") || relative.starts_with('/') {
            return Err(format!("refused record path {relative:?}"));
        }
        let bytes = http::load(
            &format!("{}{relative}", self.base),
            MAX_RECORD_BYTES,
            TIMEOUT,
        )?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{relative}: {e}"))
    }

    /// The direct consumers of contract `id`: products whose input ports (or output ports'
    /// `inputContracts`) read it, sorted by id.
    pub fn consumers(&mut self, id: &str) -> Vec<Consumer> {
        let provider = self.contract_product.get(id).cloned();
        let node = format!("contract:{id}");
        let candidates: BTreeSet<String> = self
            .edges
            .iter()
            .filter(|(from, _, _)| *from == node || Some(from) == provider.as_ref())
            .map(|(_, to, _)| to.clone())
            .filter(|to| self.products.contains_key(to))
            .collect();
        let provider_ports = provider.as_ref().and_then(|p| self.port_contracts(p));
        let mut out = Vec::new();
        for candidate in candidates {
            if let Some(consumer) =
                self.consumer(&candidate, id, provider.as_deref(), &provider_ports)
            {
                out.push(consumer);
            }
        }
        out
    }

    /// Output port id → its contract id, of product `id`.
    fn port_contracts(&mut self, id: &str) -> Option<HashMap<String, String>> {
        let url = self.products.get(id)?.get("url")?.as_str()?.to_string();
        let record = self.record(&format!("{url}index.json")).ok()?;
        Some(
            record
                .get("outputPorts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    let contract = p.get("contractId")?.as_str()?.to_string();
                    let port = p.get("id").or_else(|| p.get("name"))?.as_str()?.to_string();
                    Some((port, contract))
                })
                .collect(),
        )
    }

    fn consumer(
        &mut self,
        product: &str,
        contract: &str,
        provider: Option<&str>,
        provider_ports: &Option<HashMap<String, String>>,
    ) -> Option<Consumer> {
        let summary = self.products.get(product)?.clone();
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let url = text(&summary, "url");
        let record = url
            .as_ref()
            .and_then(|u| match self.record(&format!("{u}index.json")) {
                Ok(r) => Some(r),
                Err(e) => {
                    self.notes.push(format!(
                        "{e}: `{product}` is listed as reading the whole contract"
                    ));
                    None
                }
            });
        let mut columns = Vec::new();
        if let Some(record) = &record {
            let mut reads = false;
            for port in record
                .get("inputPorts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let port_contract = text(port, "contractId").or_else(|| {
                    let from = text(port, "sourceProduct")?;
                    (Some(from.as_str()) == provider).then_some(())?;
                    match (text(port, "sourcePort"), provider_ports) {
                        (Some(p), Some(ports)) => ports.get(&p).cloned(),
                        // The port names the product only: it may read any of its contracts.
                        _ => Some(contract.to_string()),
                    }
                });
                if port_contract.as_deref() != Some(contract) {
                    continue;
                }
                reads = true;
                columns.extend(columns_used(port));
            }
            let by_output = record
                .get("outputPorts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("inputContracts")?.as_array())
                .flatten()
                .any(|c| c.as_str() == Some(contract));
            if !reads && !by_output {
                return None;
            }
        }
        // Column lineage of the consumer's own contracts that start in this contract.
        for (from, object, column, to) in &self.columns {
            if from == contract
                && self.contract_product.get(to).map(String::as_str) == Some(product)
            {
                columns.push(match (object, column) {
                    (Some(o), Some(c)) => format!("{o}.{c}"),
                    (Some(o), None) => format!("{o}.*"),
                    (None, Some(c)) => c.clone(),
                    (None, None) => continue,
                });
            }
        }
        columns.sort();
        columns.dedup();
        let team = text(&summary, "owner");
        let team_name = team
            .as_ref()
            .and_then(|t| self.teams.get(t))
            .and_then(|t| text(t, "name"));
        let mut owners = record.as_ref().map(owners_of).unwrap_or_default();
        if owners.is_empty() {
            let team_url = team
                .as_ref()
                .and_then(|t| self.teams.get(t))
                .and_then(|t| text(t, "url"));
            if let Some(team_record) =
                team_url.and_then(|u| self.record(&format!("{u}index.json")).ok())
            {
                owners = owners_of(&team_record);
            }
        }
        let downstream = summary
            .get("downstream")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        Some(Consumer {
            downstream,
            id: product.to_string(),
            name: text(&summary, "name").unwrap_or_else(|| product.to_string()),
            team,
            team_name,
            owners,
            columns,
            url: url.map(|u| format!("{}{u}", self.base)),
        })
    }
}

/// The `columnsUsed` custom property of an input port (a list of column names or paths).
fn columns_used(port: &Value) -> Vec<String> {
    port.get("custom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("key").and_then(Value::as_str) == Some("columnsUsed"))
        .filter_map(|p| p.get("value"))
        .flat_map(|v| match v {
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Value::String(s) => s
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// Members whose role names them an owner, by name (else id).
fn owners_of(record: &Value) -> Vec<String> {
    record
        .get("members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|m| {
            m.get("role")
                .and_then(Value::as_str)
                .is_some_and(|r| r.to_ascii_lowercase().contains("owner"))
        })
        .filter_map(|m| {
            let name = m.get("name").or_else(|| m.get("id"))?.as_str()?;
            Some(match m.get("email").and_then(Value::as_str) {
                Some(email) => format!("{name} <{email}>"),
                None => name.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(columns: &[&str]) -> Consumer {
        Consumer {
            id: "c".into(),
            name: "C".into(),
            team: None,
            team_name: None,
            owners: Vec::new(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            url: None,
            downstream: Vec::new(),
        }
    }

    #[test]
    fn a_column_change_touches_only_those_who_read_it() {
        let c = reader(&["customer_id", "address.city"]);
        assert!(c.reads("orders.customer_id"));
        assert!(c.reads("orders.address"));
        assert!(c.reads("orders.address.city"));
        assert!(!c.reads("orders.total"));
        assert!(c.reads(""), "a contract-level change touches everyone");
        assert!(
            reader(&[]).reads("orders.total"),
            "no column lineage: the whole contract"
        );
        let by_object = reader(&["orders.total", "items.*"]);
        assert!(by_object.reads("orders.total"));
        assert!(!by_object.reads("orders.customer_id"));
        assert!(by_object.reads("items.sku"));
        assert!(!by_object.reads("payments.sku"));
    }
}
