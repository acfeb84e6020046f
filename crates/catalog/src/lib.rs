//! Catalog: normalise the documents of all sources into one consistent, cross-referenced whole.

pub mod access;
pub mod contracts;
pub mod docs;
pub mod glossary;
pub mod lineage;
mod locate;
pub mod metrics;
pub mod people;
pub mod ports;
mod repeats;
pub mod resolve;
pub mod versions;

use std::collections::HashMap;

use formats::Document;
use model::diagnostics::Diagnostic;
use model::measure::Settings;
use model::{Agreement, DataContract, DataProduct, Domain, Person, SourceSystem, Team};

/// Why one product depends on another.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    /// Index of the other product in `Catalog::products`.
    #[serde(skip)]
    pub product: usize,
    /// The contract the link goes through, where there is one.
    pub contract: Option<String>,
    /// What declared the link: `inputPort`, `inputContracts`, `agreement`.
    pub via: &'static str,
}

/// What one person owns, as indices into the catalog's lists.
#[derive(Debug, Default, Clone)]
pub struct PersonOwns {
    pub products: Vec<usize>,
    pub contracts: Vec<usize>,
    pub domains: Vec<usize>,
    pub systems: Vec<usize>,
}

/// Everything the render stage needs, sorted and indexed.
#[derive(Debug, Default)]
pub struct Catalog {
    pub sources: Vec<String>,
    /// The current version of each product and contract id (see `versions`), sorted by id.
    pub products: Vec<DataProduct>,
    pub contracts: Vec<DataContract>,
    /// Per product / contract: every version of it, newest first, the current one marked.
    pub product_versions: Vec<Vec<versions::Version>>,
    pub contract_versions: Vec<Vec<versions::Version>>,
    /// The versions that are not current, whole (`Version::other` indexes these).
    pub other_products: Vec<DataProduct>,
    pub other_contracts: Vec<DataContract>,
    pub teams: Vec<Team>,
    pub persons: Vec<Person>,
    pub domains: Vec<Domain>,
    pub agreements: Vec<Agreement>,
    pub systems: Vec<SourceSystem>,
    pub diagnostics: Vec<Diagnostic>,
    pub product_by_id: HashMap<String, usize>,
    pub contract_by_id: HashMap<String, usize>,
    pub team_by_id: HashMap<String, usize>,
    pub domain_by_id: HashMap<String, usize>,
    pub person_by_id: HashMap<String, usize>,
    /// Contract id → (product index, output port index) that exposes it.
    pub contract_provider: HashMap<String, (usize, usize)>,
    /// Per product: the products it reads from.
    pub upstream: Vec<Vec<Dependency>>,
    /// Per product: the products that read from it.
    pub downstream: Vec<Vec<Dependency>>,
    /// Per team: indices of the products and contracts it owns.
    pub team_products: Vec<Vec<usize>>,
    pub team_contracts: Vec<Vec<usize>>,
    /// Contract id → products that read it (input ports or `inputContracts`).
    pub contract_consumers: HashMap<String, Vec<usize>>,
    /// Per team: persons that name the team in their own record.
    pub team_persons: Vec<Vec<usize>>,
    /// (source, file) → indices into `diagnostics`.
    pub file_diagnostics: HashMap<(String, String), Vec<usize>>,
    /// Team id → number of its errors and warnings.
    pub team_diagnostic_counts: HashMap<String, usize>,
    /// Per contract: its changelog from the git history (empty without history).
    pub changelogs: Vec<Vec<crate::contracts::history::VersionChanges>>,
    /// The same per other version (`other_contracts`).
    pub other_changelogs: Vec<Vec<crate::contracts::history::VersionChanges>>,
    /// Per domain: indices of its products and contracts.
    pub domain_products: Vec<Vec<usize>>,
    pub domain_contracts: Vec<Vec<usize>>,
    /// Per domain: indices of the systems that belong to it (Backstage `System.spec.domain`).
    pub domain_systems: Vec<Vec<usize>>,
    /// Person id → what the person owns (Backstage `spec.owner: user:…`).
    pub person_owns: HashMap<String, PersonOwns>,
    /// Lookups for foreign keys between contracts.
    pub ref_index: crate::contracts::refs::RefIndex,
    /// Metric series per product and their evaluation against the contracts' objectives.
    pub metrics: metrics::Metrics,
    /// The lineage graph: every declared link with its evidence, external nodes, cycles.
    pub lineage: lineage::Lineage,
    /// Business terms and where each is used.
    pub glossary: glossary::Glossary,
    /// Everyone named by a team, product, contract or Backstage `User`.
    pub people: people::People,
    /// The agreements of each provider product (what `access` asks).
    pub access: access::Index,
    /// The documentation beside the manifests, as pages of products, teams and domains.
    pub docs: docs::Docs,
}

impl Catalog {
    pub fn product(&self, id: &str) -> Option<&DataProduct> {
        self.product_by_id.get(id).map(|&i| &self.products[i])
    }
    pub fn contract(&self, id: &str) -> Option<&DataContract> {
        self.contract_by_id.get(id).map(|&i| &self.contracts[i])
    }
    pub fn team(&self, id: &str) -> Option<&Team> {
        self.team_by_id.get(id).map(|&i| &self.teams[i])
    }
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domain_by_id.get(id).map(|&i| &self.domains[i])
    }
}

/// Turn the documents of every source into the finished catalog: resolve entities and references,
/// build the lineage graph, check foreign keys between contracts, attach contract history,
/// evaluate metric snapshots against the contracts' objectives, and index the diagnostics of all
/// stages once. The one entry point of this stage: the site, the tests and the benches call it.
///
/// `clock` is the wall clock (seconds since the epoch), used only as `metrics::attach` says.
pub fn build(
    sources: Vec<String>,
    documents: Vec<Document>,
    diagnostics: Vec<Diagnostic>,
    settings: Settings,
    clock: i64,
) -> Catalog {
    let none = contracts::changelog_cache::ChangelogCache::none();
    build_cached(sources, documents, diagnostics, settings, clock, &none)
}

/// [`build`], reading contract changelogs whose file texts did not change from `changelogs`
/// (the caller stores it afterwards).
pub fn build_cached(
    sources: Vec<String>,
    documents: Vec<Document>,
    diagnostics: Vec<Diagnostic>,
    settings: Settings,
    clock: i64,
    changelogs: &contracts::changelog_cache::ChangelogCache,
) -> Catalog {
    let mut metric_batches = Vec::new();
    let mut terms = Vec::new();
    let mut narratives = Vec::new();
    let documents: Vec<Document> = documents
        .into_iter()
        .filter_map(|doc| match doc {
            Document::Metrics(batch) => {
                metric_batches.push(*batch);
                None
            }
            Document::Term(term) => {
                terms.push(*term);
                None
            }
            Document::Narrative(n) => {
                narratives.push(*n);
                None
            }
            other => Some(other),
        })
        .collect();
    let mut catalog = resolve::resolve(sources, documents, diagnostics);
    let found = Passes::run(
        &catalog,
        changelogs,
        metric_batches,
        terms,
        narratives,
        settings,
        clock,
    );
    found.apply(&mut catalog);
    resolve::index_diagnostics(&mut catalog);
    catalog
}

/// What the passes after `resolve` add to the catalog. Each reads only what `resolve` made and
/// writes a part no other reads, so they run side by side (the build waits for them with one
/// thread otherwise); their diagnostics are added in the order the passes are listed here.
struct Passes {
    lineage: (lineage::Lineage, Vec<Diagnostic>),
    ref_index: contracts::refs::RefIndex,
    unresolved_refs: Vec<Diagnostic>,
    changelogs: contracts::history::Changelogs,
    diffs: versions::Diffs,
    metrics: (metrics::Metrics, Vec<Diagnostic>),
    glossary: (glossary::Glossary, Vec<Diagnostic>),
    people: people::People,
    access: access::Index,
    docs: (docs::Docs, Vec<Diagnostic>),
}

impl Passes {
    fn run(
        catalog: &Catalog,
        changelogs: &contracts::changelog_cache::ChangelogCache,
        metric_batches: Vec<model::measure::MetricBatch>,
        terms: Vec<model::Term>,
        narratives: Vec<model::narrative::Narrative>,
        settings: Settings,
        clock: i64,
    ) -> Passes {
        let ((lineage, (ref_index, unresolved_refs)), ((changelogs, diffs), rest)) = rayon::join(
            || {
                rayon::join(
                    || resolve::lineage(catalog),
                    || {
                        let index = contracts::refs::RefIndex::new(&catalog.contracts);
                        let unresolved = contracts::refs::unresolved(catalog, &index);
                        (index, unresolved)
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || contracts::history::all_changelogs(catalog, changelogs),
                            || versions::diffs(catalog),
                        )
                    },
                    || {
                        rayon::join(
                            || {
                                rayon::join(
                                    || metrics::measure(catalog, metric_batches, settings, clock),
                                    || glossary::build(catalog, terms),
                                )
                            },
                            || {
                                rayon::join(
                                    || {
                                        (
                                            people::build(catalog),
                                            access::Index::new(&catalog.agreements),
                                        )
                                    },
                                    || docs::build(catalog, narratives),
                                )
                            },
                        )
                    },
                )
            },
        );
        let ((metrics, glossary), ((people, access), docs)) = rest;
        Passes {
            lineage,
            ref_index,
            unresolved_refs,
            changelogs,
            diffs,
            metrics,
            glossary,
            people,
            access,
            docs,
        }
    }

    fn apply(self, catalog: &mut Catalog) {
        catalog.lineage = self.lineage.0;
        catalog.diagnostics.extend(self.lineage.1);
        catalog.ref_index = self.ref_index;
        catalog.diagnostics.extend(self.unresolved_refs);
        self.changelogs.apply(catalog);
        versions::apply_diffs(catalog, self.diffs);
        catalog.metrics = self.metrics.0;
        catalog.diagnostics.extend(self.metrics.1);
        catalog.glossary = self.glossary.0;
        catalog.diagnostics.extend(self.glossary.1);
        catalog.people = self.people;
        catalog.access = self.access;
        catalog.docs = self.docs.0;
        catalog.diagnostics.extend(self.docs.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::SourceFile;
    use std::path::Path;

    /// Every file of a folder, by path relative to it (sorted, so the crawl order is fixed).
    fn files(root: &Path, dir: &Path, source: &str, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                files(root, &path, source, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                out.push(SourceFile::new(source, &rel, std::fs::read(&path).unwrap()));
            }
        }
    }

    /// The sample mesh (content/), one source per folder, plus a source of broken references:
    /// findings for every pass to report.
    fn documents() -> (Vec<String>, Vec<Document>, Vec<Diagnostic>) {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        let mut sources: Vec<(String, Vec<SourceFile>)> = Vec::new();
        let mut dirs: Vec<_> = std::fs::read_dir(&content)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            let mut list = Vec::new();
            files(&dir, &dir, &name, &mut list);
            sources.push((name, list));
        }
        let broken = [
            ("loops.yaml", "dataProductSpecification: 0.0.1\nid: loops\ninfo:\n  title: Loops\n  owner: nobody-team\n  domain: nowhere\ninputPorts:\n  - id: self\n    name: Itself\n    dataProductId: loops\n  - id: gone\n    name: Gone\n    dataContractId: no_such_contract\noutputPorts:\n  - id: out\n    name: Out\n    dataContractId: loops_v1\n"),
            ("loops_v1.odcs.yaml", "apiVersion: v3.0.2\nkind: DataContract\nid: loops_v1\nversion: 1.0.0\nstatus: active\nschema:\n  - name: loops\n    properties:\n      - name: id\n        logicalType: string\n        relationships:\n          - type: foreignKey\n            to: nowhere.id\n      - name: copy\n        logicalType: string\n        transformSourceObjects: [loops_v1.loops.copy]\n"),
        ];
        sources.push((
            "broken".into(),
            broken
                .iter()
                .map(|(path, text)| SourceFile::new("broken", path, *text))
                .collect(),
        ));
        let settings = formats::Settings::default();
        let (mut names, mut documents, mut diagnostics) = (Vec::new(), Vec::new(), Vec::new());
        for (name, list) in sources {
            for file in formats::parse_source(&list, &Default::default(), &settings) {
                documents.extend(file.documents);
                diagnostics.extend(file.diagnostics);
            }
            names.push(name);
        }
        (names, documents, diagnostics)
    }

    /// What a page can show of a catalog, as text (maps left out: their order is not kept).
    fn shown(c: &Catalog) -> Vec<String> {
        vec![
            format!("{:?}", c.diagnostics),
            format!("{:?} {:?}", c.products, c.contracts),
            format!("{:?} {:?}", c.upstream, c.downstream),
            format!("{:?} {:?}", c.lineage.nodes, c.lineage.edges),
            format!("{:?} {:?}", c.lineage.cycles, c.lineage.columns),
            format!("{:?} {:?}", c.changelogs, c.other_changelogs),
            format!("{:?}", c.contract_versions),
            format!("{:?}", c.metrics),
            format!("{:?} {:?}", c.glossary.terms, c.glossary.usages),
            format!("{:?}", c.people.entries),
            format!("{:?}", c.docs.pages),
        ]
    }

    /// 2100-01-01: no snapshot of the sample is in the future.
    const CLOCK: i64 = 4_102_444_800;

    #[test]
    fn the_passes_side_by_side_build_what_they_build_one_after_another() {
        let (names, documents, diagnostics) = documents();
        let settings = Settings {
            reference: model::measure::Reference::Latest,
            stale_after: 2 * model::measure::DAY,
        };
        let side_by_side = build(
            names.clone(),
            documents.clone(),
            diagnostics.clone(),
            settings,
            CLOCK,
        );

        // The passes one after another, each writing into the catalog, as they used to run.
        let (mut batches, mut terms, mut narratives, mut rest) = (vec![], vec![], vec![], vec![]);
        for doc in documents {
            match doc {
                Document::Metrics(b) => batches.push(*b),
                Document::Term(t) => terms.push(*t),
                Document::Narrative(n) => narratives.push(*n),
                other => rest.push(other),
            }
        }
        let mut c = resolve::resolve(names, rest, diagnostics);
        let (lineage, found) = resolve::lineage(&c);
        c.lineage = lineage;
        c.diagnostics.extend(found);
        c.ref_index = contracts::refs::RefIndex::new(&c.contracts);
        contracts::refs::check(&mut c);
        contracts::history::attach(&mut c, &contracts::changelog_cache::ChangelogCache::none());
        versions::attach_diffs(&mut c);
        metrics::attach(&mut c, batches, settings, CLOCK);
        glossary::attach(&mut c, terms);
        people::attach(&mut c);
        c.access = access::Index::new(&c.agreements);
        docs::attach(&mut c, narratives);
        resolve::index_diagnostics(&mut c);

        assert_eq!(shown(&side_by_side), shown(&c));
        // The findings of several passes are there, sorted, each indexed under its file.
        let codes: Vec<_> = side_by_side.diagnostics.iter().map(|d| d.code).collect();
        for code in [
            model::Code::UnresolvedReference,
            model::Code::LineageSelfReference,
        ] {
            assert!(codes.contains(&code), "{code:?} in {codes:?}");
        }
        assert!(side_by_side.diagnostics.is_sorted());
        for (i, d) in side_by_side.diagnostics.iter().enumerate() {
            let key = (d.source.clone(), d.file.clone());
            assert!(side_by_side.file_diagnostics[&key].contains(&i));
        }
        assert!(!side_by_side.glossary.terms.is_empty());
        assert!(!side_by_side.docs.pages.is_empty());
        assert!(side_by_side.metrics.reference.is_some());
    }
}
