//! Incremental render: a page is rendered again only when something it reads changed.
//!
//! Every planned page declares what it reads ([`render::Read`]). Each of those inputs gets a
//! content hash here (an entity with everything the catalog derived for it: versions, changelogs,
//! metrics, the diagnostics of its file); a page's hash combines the global inputs (meshdoc's
//! build, the config, the theme), its path and the hashes of what it reads. The build state keeps
//! the page hashes of the last build; a page whose hash is unchanged keeps its previous file.
//!
//! Hashes are taken over the model's entities and the catalog's values as serde serialises them,
//! fed straight into the hasher ([`serde_feed`]), and the `Debug` form of the few values that
//! have no `Serialize` or skip fields there: both show every field (a field added later is
//! covered without a change here), and neither holds hash maps, so they are the same from run to
//! run.

mod by_hand;
mod serde_feed;

use std::collections::HashMap;
use std::fmt::{Debug, Write as _};
use std::hash::Hasher;
use std::path::Path;

use rayon::prelude::*;

use catalog::Catalog;
use model::Origin;
use render::{Ids, Named, Page, Plan, Read, Reads};

/// A fast 64-bit hash over a stream of text or bytes (the Fx mix, a word at a time), with no
/// allocation for the large values it is fed. Not keyed: a page is only ever compared with the
/// same page's previous hash.
#[derive(Clone, Copy)]
pub struct StreamHash(u64);

impl Default for StreamHash {
    fn default() -> Self {
        StreamHash(0xcbf2_9ce4_8422_2325)
    }
}

const MIX: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl StreamHash {
    fn word(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(MIX);
    }

    /// The 32-byte blocks of a long run, mixed in four lanes at once, then folded into the
    /// stream with the run's length; returns the rest. Each word waits for the one before it
    /// (a multiply's latency), so one lane hashed the contracts' texts — a few kilobytes each,
    /// read on every build — at a quarter of the speed the processor could.
    fn lanes<'b>(&mut self, bytes: &'b [u8]) -> &'b [u8] {
        const BLOCK: usize = 32;
        if bytes.len() < 2 * BLOCK {
            return bytes;
        }
        let mut lanes = [self.0 ^ 1, self.0 ^ 2, self.0 ^ 3, self.0 ^ 4];
        let mut blocks = bytes.chunks_exact(BLOCK);
        for block in &mut blocks {
            for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
                let mut w = [0u8; 8];
                w.copy_from_slice(word);
                *lane = (lane.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(MIX);
            }
        }
        self.word(bytes.len() as u64);
        for lane in lanes {
            self.word(lane);
        }
        blocks.remainder()
    }
}

impl Hasher for StreamHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let bytes = self.lanes(bytes);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Byte by byte: a copy of a run of unknown length was a call to memcpy, and most
            // ids and names end in one.
            let word = rest
                .iter()
                .rev()
                .fold(0u64, |word, &byte| word << 8 | u64::from(byte));
            // The length keeps "ab" + "" apart from "a" + "b".
            self.word(word ^ ((rest.len() as u64) << 59));
        }
    }
}

impl std::io::Write for StreamHash {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        Hasher::write(self, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::fmt::Write for StreamHash {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        Hasher::write(self, s.as_bytes());
        Ok(())
    }
}

impl StreamHash {
    /// Add a value's `Debug` form, followed by a separator so that neighbours cannot run together.
    pub fn debug(&mut self, value: &impl Debug) -> &mut Self {
        let _ = write!(self, "{value:?}");
        Hasher::write(self, &[0]);
        self
    }

    /// Add a value as serde serialises it, fed straight into the hash (the model's entities and
    /// the catalog's values: several times faster than `Debug` or JSON text on long texts).
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        serde_feed::feed(self, value);
        self
    }

    /// [`StreamHash::json`], with the commit id of every origin fed into `aside` instead (see
    /// [`serde_feed::feed_apart`]).
    pub fn json_apart<T: serde::Serialize + ?Sized>(
        &mut self,
        aside: &mut StreamHash,
        value: &T,
    ) -> &mut Self {
        serde_feed::feed_apart(self, aside, value);
        self
    }

    pub fn text(&mut self, s: &str) -> &mut Self {
        Hasher::write(self, s.as_bytes());
        Hasher::write(self, &[0]);
        self
    }

    pub fn number(&mut self, n: u64) -> &mut Self {
        self.word(n);
        self
    }
}

/// A hash map keyed by the hasher below: 80,000 page paths are looked up when a build adds or
/// removes pages, and SipHash showed in the profile. (Keys are the build's own paths.)
pub type FastMap<K, V> = HashMap<K, V, FastState>;
pub type FastState = std::hash::BuildHasherDefault<MapHash>;

/// [`StreamHash`] with its bits mixed at the end, for hash tables. A table takes its bucket from
/// the low bits, and the stream's low bits depend only on the low bits of what it was fed: ids
/// that differ past their first bytes (`p-17`, `p-18`: the same `p-` in the low bytes of the
/// word) all fell into a few dozen buckets, and every lookup walked a long probe chain.
#[derive(Clone, Copy, Default)]
pub struct MapHash(StreamHash);

impl Hasher for MapHash {
    fn finish(&self) -> u64 {
        // The finaliser of MurmurHash3 (fmix64): every output bit depends on every input bit.
        let mut h = self.0.finish();
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        Hasher::write(&mut self.0, bytes);
    }
}

/// The content hash of every input a page can read, by the entity's place in the catalog's
/// lists, as [`render::Read`] names it: 80,000 pages look up their reads on every build, each a
/// vector index. Each value is already mixed with the read's name (its kind and the entity's
/// id, [`entry`]), so a page adds one word per read.
pub struct InputHashes {
    products: Vec<u64>,
    product_commits: Vec<u64>,
    product_refs: Vec<u64>,
    neighbourhoods: Vec<u64>,
    contracts: Vec<u64>,
    contract_commits: Vec<u64>,
    teams: Vec<u64>,
    domains: Vec<u64>,
    persons: Vec<u64>,
    terms: Vec<u64>,
    doc_pages: Vec<u64>,
    doc_images: Vec<u64>,
    lineage: u64,
    totals: u64,
    catalog: u64,
    /// Config, theme and meshdoc's own build: part of every page.
    global: u64,
    /// Products whose neighbourhood was walked afresh (0 when the stored hashes were reused).
    pub neighbourhoods_walked: usize,
}

/// The kind of each read in its name ([`entry`]): kept apart, so that a product and a team of
/// the same id are two inputs.
mod kind {
    pub const PRODUCT: u64 = 1;
    pub const CONTRACT: u64 = 2;
    pub const TEAM: u64 = 3;
    pub const DOMAIN: u64 = 4;
    pub const PERSON: u64 = 5;
    pub const PRODUCT_REF: u64 = 6;
    pub const NEIGHBOURHOOD: u64 = 7;
    pub const TERM: u64 = 8;
    pub const LINEAGE: u64 = 9;
    pub const TOTALS: u64 = 10;
    pub const GROUP: u64 = 11;
    pub const CATALOG: u64 = 12;
    pub const DOC_PAGE: u64 = 13;
    pub const PRODUCT_COMMIT: u64 = 14;
    pub const CONTRACT_COMMIT: u64 = 15;
    pub const DOC_IMAGE: u64 = 16;
}

impl InputHashes {
    /// Hash every entity of the catalog (in parallel) and the catalog-wide inputs.
    pub fn compute(catalog: &Catalog, global: u64) -> InputHashes {
        Self::compute_with(catalog, global, None)
    }

    /// [`InputHashes::compute`], keeping the product neighbourhood hashes in `kept` (a file
    /// beside the build state) for the next build.
    pub fn compute_with(catalog: &Catalog, global: u64, kept: Option<&Path>) -> InputHashes {
        // The graph's hash is one sequential walk: taken while the entities are hashed.
        let ((products, contracts), (refs, lineage)) = rayon::join(
            || {
                rayon::join(
                    || {
                        (0..catalog.products.len())
                            .into_par_iter()
                            .map(|i| product_hash(catalog, i))
                            .unzip::<_, _, Vec<u64>, Vec<u64>>()
                    },
                    || {
                        (0..catalog.contracts.len())
                            .into_par_iter()
                            .map(|i| contract_hash(catalog, i))
                            .unzip::<_, _, Vec<u64>, Vec<u64>>()
                    },
                )
            },
            || {
                let refs: Vec<u64> = (0..catalog.products.len())
                    .into_par_iter()
                    .map(|i| product_ref_hash(catalog, i))
                    .collect();
                (refs, lineage_hash(catalog))
            },
        );
        let (neighbourhoods, neighbourhoods_walked) =
            Neighbourhoods::compute(catalog, global, lineage, &refs, kept);
        let product_ids = || catalog.products.iter().map(|p| p.id.as_str());
        let contract_ids = || catalog.contracts.iter().map(|c| c.id.as_str());
        let mut inputs = InputHashes {
            products: entries(kind::PRODUCT, product_ids(), &products.0),
            product_commits: entries(kind::PRODUCT_COMMIT, product_ids(), &products.1),
            product_refs: entries(kind::PRODUCT_REF, product_ids(), &refs),
            neighbourhoods: entries(kind::NEIGHBOURHOOD, product_ids(), &neighbourhoods),
            contracts: entries(kind::CONTRACT, contract_ids(), &contracts.0),
            contract_commits: entries(kind::CONTRACT_COMMIT, contract_ids(), &contracts.1),
            teams: catalog
                .teams
                .iter()
                .map(|t| {
                    let mut h = StreamHash::default();
                    h.json(t);
                    file_diagnostics(catalog, t.origin.as_ref(), &mut h);
                    h.debug(&catalog.team_diagnostic_counts.get(&t.id));
                    entry(kind::TEAM, &t.id, h.finish())
                })
                .collect(),
            domains: catalog
                .domains
                .iter()
                .map(|d| {
                    let mut h = StreamHash::default();
                    h.json(d);
                    file_diagnostics(catalog, d.origin.as_ref(), &mut h);
                    entry(kind::DOMAIN, &d.id, h.finish())
                })
                .collect(),
            persons: catalog
                .persons
                .iter()
                .map(|p| {
                    let mut h = StreamHash::default();
                    h.json(p);
                    file_diagnostics(catalog, p.origin.as_ref(), &mut h);
                    // A person's page-visible ownership comes with the person.
                    if let Some(owns) = catalog.person_owns.get(&p.id) {
                        h.debug(owns);
                    }
                    entry(kind::PERSON, &p.id, h.finish())
                })
                .collect(),
            terms: term_hashes(catalog),
            doc_pages: catalog
                .docs
                .pages
                .iter()
                .map(|page| {
                    let mut h = StreamHash::default();
                    h.text(&page.text).text(&page.rel).debug(&page.links);
                    file_diagnostics(catalog, Some(&page.origin), &mut h);
                    doc_entry(kind::DOC_PAGE, &page.origin, h.finish())
                })
                .collect(),
            doc_images: catalog
                .docs
                .images
                .iter()
                .map(|image| {
                    let mut h = StreamHash::default();
                    h.text(&String::from_utf8_lossy(&image.bytes));
                    doc_entry(kind::DOC_IMAGE, &image.origin, h.finish())
                })
                .collect(),
            lineage: entry(kind::LINEAGE, "", lineage),
            totals: entry(kind::TOTALS, "", totals_hash(catalog)),
            catalog: 0,
            global,
            neighbourhoods_walked,
        };
        inputs.catalog = entry(kind::CATALOG, "", catalog_hash(catalog, &inputs));
        inputs
    }

    /// The input key of each product's and contract's search document (see
    /// [`render::search_docs`]), in catalog order: the hashes of what the document reads — the
    /// entity, the names of its domain and owner (a team or a person) and, for a product, the
    /// contracts of its output ports (their columns, whether they hold personal data).
    pub fn search_keys(&self, catalog: &Catalog) -> (Vec<u64>, Vec<u64>) {
        let key = |reads: &Reads| {
            let mut h = StreamHash::default();
            h.number(self.global);
            for read in reads.as_slice() {
                h.number(self.entry(read));
            }
            h.finish()
        };
        let ids = Ids::new(catalog);
        let products = (0..catalog.products.len())
            .into_par_iter()
            .map_init(
                || Reads::new(&ids),
                |reads, i| {
                    let p = &catalog.products[i];
                    reads.clear();
                    reads.insert(Read::Product(i));
                    reads.named(Named::Domain, p.domain.as_deref());
                    reads.owner(p.owner.as_deref());
                    for port in &p.output_ports {
                        reads.named(Named::Contract, port.contract_id.as_deref());
                    }
                    key(reads)
                },
            )
            .collect();
        let contracts = (0..catalog.contracts.len())
            .into_par_iter()
            .map_init(
                || Reads::new(&ids),
                |reads, i| {
                    let c = &catalog.contracts[i];
                    reads.clear();
                    reads.insert(Read::Contract(i));
                    reads.named(Named::Domain, c.domain.as_deref());
                    reads.owner(c.owner.as_deref());
                    key(reads)
                },
            )
            .collect();
        (products, contracts)
    }

    /// The hash of what every planned page reads, in plan order (see [`InputHashes::page`]);
    /// for a page the plan holds whole (a search shard), the hash of its content instead
    /// ([`Plan::content_hash`]). Each thread gathers its pages' reads into one reused list.
    pub fn pages(&self, plan: &Plan, catalog: &Catalog) -> Vec<u64> {
        let ids = Ids::new(catalog);
        plan.pages
            .par_iter()
            .map_init(
                || (Reads::new(&ids), Vec::new()),
                |(reads, entries), page| {
                    if let Some(hash) = plan.content_hash(page, self.global) {
                        return hash;
                    }
                    reads.clear();
                    plan.reads_into(page, catalog, reads);
                    self.page_with(page, reads.as_slice(), entries)
                },
            )
            .collect()
    }

    /// What a page's bytes are made from, as one hash: the global inputs, its path and template
    /// and what it reads (in any order, repeats counted once). Ids that name nothing hash as
    /// missing, so a page changes when the entity appears.
    pub fn page(&self, page: &Page, reads: &[Read]) -> u64 {
        self.page_with(page, reads, &mut Vec::new())
    }

    /// [`InputHashes::page`], sorting the reads' hashes in `entries` (a list reused from page
    /// to page): sorted words, not reads, so that the order they were gathered in and their
    /// repeats do not count.
    fn page_with(&self, page: &Page, reads: &[Read], entries: &mut Vec<u64>) -> u64 {
        entries.clear();
        entries.extend(reads.iter().map(|read| self.entry(read)));
        entries.sort_unstable();
        entries.dedup();
        let mut h = StreamHash::default();
        h.number(self.global)
            .text(&page.path)
            .text(page.kind.template().unwrap_or("\u{1}"));
        for &entry in entries.iter() {
            h.number(entry);
        }
        h.finish()
    }

    /// The key of a part of a whole-site file that shows `read` and nothing else (see
    /// `render::parts`): its content hash with the global inputs (meshdoc's build, the config).
    pub fn part_key(&self, read: &Read) -> u64 {
        let mut h = StreamHash::default();
        h.number(self.global).number(self.entry(read));
        h.finish()
    }

    /// A read's content hash, mixed with its name; an id that names nothing as missing.
    fn entry(&self, read: &Read) -> u64 {
        let at = |hashes: &Vec<u64>, i: usize| hashes.get(i).copied();
        let found = match *read {
            Read::Product(i) => at(&self.products, i),
            Read::ProductCommit(i) => at(&self.product_commits, i),
            Read::ProductRef(i) => at(&self.product_refs, i),
            Read::Neighbourhood(i) => at(&self.neighbourhoods, i),
            Read::Contract(i) => at(&self.contracts, i),
            Read::ContractCommit(i) => at(&self.contract_commits, i),
            Read::Team(i) => at(&self.teams, i),
            Read::Domain(i) => at(&self.domains, i),
            Read::Person(i) => at(&self.persons, i),
            Read::Term(i) => at(&self.terms, i),
            Read::DocPage(i) => at(&self.doc_pages, i),
            Read::DocImage(i) => at(&self.doc_images, i),
            Read::Lineage => Some(self.lineage),
            Read::Totals => Some(self.totals),
            Read::Catalog => Some(self.catalog),
            Read::Group(..) | Read::Missing(..) => None,
        };
        found.unwrap_or_else(|| missing(read))
    }
}

/// The hash of a read that names no entity of this catalog: a tag or status group (its label
/// and size are all it is), an id no entity has, or an index past the end (never made by the
/// registry; kept apart all the same).
fn missing(read: &Read) -> u64 {
    let mut h = StreamHash::default();
    match *read {
        Read::Group(label, size) => {
            h.number(kind::GROUP).number(size as u64).text(label);
        }
        Read::Missing(named, id) => {
            let kind = match named {
                Named::Product => kind::PRODUCT,
                Named::ProductRef => kind::PRODUCT_REF,
                Named::Contract => kind::CONTRACT,
                Named::Team => kind::TEAM,
                Named::Domain => kind::DOMAIN,
                Named::Person => kind::PERSON,
            };
            h.number(kind).text(id);
        }
        other => {
            h.debug(&other);
        }
    }
    h.text("missing").finish()
}

/// A read's name (its kind and the entity's id) mixed with its content hash, once per build.
fn entry(kind: u64, id: &str, value: u64) -> u64 {
    let mut h = StreamHash::default();
    h.number(kind).text(id).number(value);
    h.finish()
}

/// [`entry`] for each entity of a list, by id.
fn entries<'a>(kind: u64, ids: impl Iterator<Item = &'a str>, values: &[u64]) -> Vec<u64> {
    ids.zip(values)
        .map(|(id, &value)| entry(kind, id, value))
        .collect()
}

/// [`entry`] for a documentation file, named by its source and path.
fn doc_entry(kind: u64, origin: &Origin, value: u64) -> u64 {
    let mut h = StreamHash::default();
    h.number(kind)
        .text(&origin.source)
        .text(&origin.path)
        .number(value);
    h.finish()
}

/// Each glossary term with its usages by id: index counts and term pages show them.
fn term_hashes(catalog: &Catalog) -> Vec<u64> {
    let g = &catalog.glossary;
    g.terms
        .iter()
        .zip(&g.usages)
        .map(|(t, u)| {
            let mut h = StreamHash::default();
            h.json(t);
            for col in &u.columns {
                h.debug(&(
                    &catalog.contracts[col.contract].id,
                    &col.object,
                    &col.column,
                ));
            }
            for &ci in &u.contracts {
                h.debug(&catalog.contracts[ci].id);
            }
            for &pi in &u.products {
                h.debug(&catalog.products[pi].id);
            }
            file_diagnostics(catalog, Some(&t.origin), &mut h);
            entry(kind::TERM, &t.id, h.finish())
        })
        .collect()
}

/// The neighbourhood hash of every product. Each walks the graph past its direct neighbours
/// (impact counts, the deeper no-script list): seconds at 10,000 products. They are a function
/// of the graph as drawn and the names and links of its nodes only, so while those are as the
/// last build left them (one key over all of it, cheap to take), the stored hashes are reused.
struct Neighbourhoods;

impl Neighbourhoods {
    fn compute(
        catalog: &Catalog,
        global: u64,
        lineage: u64,
        refs: &[u64],
        kept: Option<&Path>,
    ) -> (Vec<u64>, usize) {
        let mut key = StreamHash::default();
        key.number(global).number(lineage);
        for &r in refs {
            key.number(r);
        }
        for d in &catalog.domains {
            key.text(&d.id);
        }
        for c in &catalog.contracts {
            key.text(&c.slug);
        }
        let key = key.finish();
        if let Some(stored) = kept.and_then(|path| Self::load(path, key, refs.len())) {
            return (stored, 0);
        }
        let hashes: Vec<u64> = (0..catalog.products.len())
            .into_par_iter()
            .map(|i| {
                let mut h = StreamHash::default();
                render::lineage_pages::product_inputs(catalog, i, &mut h);
                h.finish()
            })
            .collect();
        if let Some(path) = kept {
            Self::store(path, key, &hashes);
        }
        let walked = hashes.len();
        (hashes, walked)
    }

    fn load(path: &Path, key: u64, len: usize) -> Option<Vec<u64>> {
        let bytes = std::fs::read(path).ok()?;
        let words: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
        let (&first, rest) = words.split_first()?;
        (first == key && rest.len() == len && bytes.len() % 8 == 0).then(|| rest.to_vec())
    }

    /// Written beside, then renamed: a cut-short file is never read as whole. The folder is made
    /// here: on a cold build (no cache yet) nothing else has made it by now, and a hash not kept
    /// costs the next build a full walk.
    fn store(path: &Path, key: u64, hashes: &[u64]) {
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let mut bytes = Vec::with_capacity((hashes.len() + 1) * 8);
        for word in std::iter::once(&key).chain(hashes) {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// The diagnostics of the file an entity was read from (pages show them beside the entity).
fn file_diagnostics(catalog: &Catalog, origin: Option<&Origin>, h: &mut StreamHash) {
    let Some(origin) = origin else { return };
    // Most files have none: no key (two owned strings) to build for them.
    if !catalog.file_diagnostics.is_empty() {
        let key = (origin.source.clone(), origin.path.clone());
        for &d in catalog.file_diagnostics.get(&key).into_iter().flatten() {
            h.json(&catalog.diagnostics[d]);
        }
    }
}

/// A product's content hash and, apart, the hash of the commits its origins name (only its own
/// pages show them: see [`Read::ProductCommit`]).
fn product_hash(catalog: &Catalog, i: usize) -> (u64, u64) {
    let (mut h, mut commits) = (StreamHash::default(), StreamHash::default());
    h.json_apart(&mut commits, &catalog.products[i]);
    file_diagnostics(catalog, Some(&catalog.products[i].origin), &mut h);
    for v in catalog.product_versions.get(i).into_iter().flatten() {
        version(v, &mut h, &mut commits);
        if let Some(other) = v.other.and_then(|k| catalog.other_products.get(k)) {
            h.json_apart(&mut commits, other);
            file_diagnostics(catalog, Some(&other.origin), &mut h);
        }
    }
    // Dependencies by the other product's id: indices move when a product is added before it.
    for deps in [&catalog.upstream, &catalog.downstream] {
        for d in deps.get(i).into_iter().flatten() {
            h.text(&catalog.products[d.product].id);
            match &d.contract {
                Some(contract) => h.number(1).text(contract),
                None => h.number(0),
            };
            h.text(d.via);
        }
        h.text("|");
    }
    h.debug(&catalog.metrics.products.get(i));
    // Its agreements: the access block of each output port lists them.
    for &a in catalog.access.agreements_of(&catalog.products[i].id) {
        h.json_apart(&mut commits, &catalog.agreements[a]);
    }
    (h.finish(), commits.finish())
}

/// A version as the catalog keeps it (`Version` has no `Serialize`; its parts have), its
/// origin's commit into `commits`.
fn version(v: &catalog::versions::Version, h: &mut StreamHash, commits: &mut StreamHash) {
    h.json_apart(commits, &v.info)
        .debug(&v.other)
        .json(&v.changes);
}

/// A product as other pages name and link it (see [`Read::ProductRef`]).
fn product_ref_hash(catalog: &Catalog, i: usize) -> u64 {
    let p = &catalog.products[i];
    let mut h = StreamHash::default();
    h.text(&p.id).text(&p.name).text(&p.slug);
    for (id, name) in [
        (
            &p.domain,
            p.domain
                .as_deref()
                .and_then(|d| catalog.domain(d))
                .map(|d| &d.name),
        ),
        (
            &p.owner,
            p.owner
                .as_deref()
                .and_then(|t| catalog.team(t))
                .map(|t| &t.name),
        ),
    ] {
        h.debug(id).debug(&name);
    }
    h.finish()
}

/// A contract's content hash and, apart, the hash of the commits its origins name (see
/// [`product_hash`]).
fn contract_hash(catalog: &Catalog, i: usize) -> (u64, u64) {
    let (mut h, mut commits) = (StreamHash::default(), StreamHash::default());
    let c = &catalog.contracts[i];
    by_hand::contract(&mut h, &mut commits, c);
    file_diagnostics(catalog, Some(&c.origin), &mut h);
    h.json(&catalog.changelogs.get(i));
    for v in catalog.contract_versions.get(i).into_iter().flatten() {
        version(v, &mut h, &mut commits);
        if let Some(k) = v.other {
            h.json_apart(&mut commits, &catalog.other_contracts.get(k))
                .json(&catalog.other_changelogs.get(k));
            if let Some(other) = catalog.other_contracts.get(k) {
                file_diagnostics(catalog, Some(&other.origin), &mut h);
            }
        }
    }
    h.debug(&catalog.contract_provider.get(&c.id))
        .debug(&catalog.contract_consumers.get(&c.id));
    for &col in catalog
        .lineage
        .contract_columns
        .get(&i)
        .into_iter()
        .flatten()
    {
        h.debug(&catalog.lineage.columns.get(col));
    }
    (h.finish(), commits.finish())
}

/// The lineage graph as drawn (its hash maps are indexes of the same data, left out).
fn lineage_hash(catalog: &Catalog) -> u64 {
    let l = &catalog.lineage;
    let mut h = StreamHash::default();
    h.debug(&l.nodes)
        .debug(&l.edges)
        .debug(&l.downstream)
        .debug(&l.upstream)
        .debug(&l.cycles)
        .debug(&l.columns);
    h.finish()
}

/// The figures every page header shows and the time metrics are evaluated at.
fn totals_hash(catalog: &Catalog) -> u64 {
    let counts = model::diagnostics::count(&catalog.diagnostics);
    let mut h = StreamHash::default();
    h.number(catalog.products.len() as u64)
        .number(catalog.contracts.len() as u64)
        .number(catalog.teams.len() as u64)
        .number(catalog.domains.len() as u64)
        .number(counts.errors as u64)
        .number(counts.warnings as u64)
        .debug(&catalog.metrics.reference)
        .debug(&catalog.metrics.reference_kind)
        .number(catalog.metrics.stale_after as u64);
    h.finish()
}

/// Everything: every entity's hash in catalog order, and what belongs to no entity.
fn catalog_hash(catalog: &Catalog, inputs: &InputHashes) -> u64 {
    let mut h = StreamHash::default();
    let products = inputs.products.iter().zip(&inputs.product_commits);
    let contracts = inputs.contracts.iter().zip(&inputs.contract_commits);
    for (&content, &commits) in products.chain(contracts) {
        h.number(content).number(commits);
    }
    for list in [
        &inputs.teams,
        &inputs.domains,
        &inputs.persons,
        &inputs.terms,
    ] {
        for &entity in list {
            h.number(entity);
        }
    }
    h.number(inputs.lineage).number(inputs.totals);
    h.debug(&catalog.sources)
        .json(&catalog.diagnostics)
        .json(&catalog.agreements)
        .json(&catalog.systems)
        .debug(&catalog.team_products)
        .debug(&catalog.team_contracts)
        .debug(&catalog.team_persons)
        .debug(&catalog.domain_products)
        .debug(&catalog.domain_contracts)
        .debug(&catalog.domain_systems);
    h.finish()
}

/// The page hashes of the last build into an output folder, kept beside its build state, in
/// plan order: a header with the site's marker (see [`crate::output::BuildState::marker_of`]),
/// a key over every path in order, the hashes as little-endian words, then the paths one a
/// line. Used only while the site is still as that build left it. While the plan's paths are the
/// same (a change that adds or removes no page), a page's previous hash is found by its place:
/// no map of 80,000 paths is built.
pub struct PageHashes {
    paths_key: u64,
    hashes: Vec<u64>,
    /// The paths, one a line, in the order of `hashes`.
    paths: String,
}

/// Names the format; a file that starts otherwise is not read.
const PAGES_MAGIC: &[u8] = b"meshdoc page hashes 2\n";

/// What the last build's hashes say about this build's plan (see [`PageHashes::match_plan`]).
pub struct Matched {
    /// The last build's hash of each planned page, in plan order (None: a new path).
    pub previous: Vec<Option<u64>>,
    /// Paths of the last build that this plan does not make, sorted.
    pub removed: Vec<String>,
}

impl PageHashes {
    pub fn path(state: &std::path::Path) -> std::path::PathBuf {
        state.with_extension("pages")
    }

    /// The hashes of this build's pages (in plan order), to be stored.
    pub fn of(pages: &[Page], hashes: Vec<u64>) -> PageHashes {
        let mut paths = String::with_capacity(pages.len() * 48);
        for p in pages {
            paths.push_str(&p.path);
            paths.push('\n');
        }
        PageHashes {
            paths_key: paths_key(pages.iter().map(|p| p.path.as_str())),
            hashes,
            paths,
        }
    }

    pub fn load(state: &std::path::Path, out_dir: &std::path::Path) -> Option<PageHashes> {
        let bytes = std::fs::read(Self::path(state)).ok()?;
        let marker = crate::output::BuildState::marker_of(out_dir)?;
        let rest = bytes.strip_prefix(PAGES_MAGIC)?;
        let rest = rest.strip_prefix(format!("{marker:?}\n").as_bytes())?;
        let word = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(rest.get(at..at + 8)?.try_into().ok()?))
        };
        let (paths_key, count) = (word(0)?, usize::try_from(word(8)?).ok()?);
        let hashes_end = count.checked_mul(8)?.checked_add(16)?;
        let hashes = (0..count)
            .map(|k| word(16 + k * 8))
            .collect::<Option<Vec<u64>>>()?;
        let paths = String::from_utf8(rest.get(hashes_end..)?.to_vec()).ok()?;
        (paths.lines().count() == count && paths_key == paths_key_of_text(&paths)).then_some(
            PageHashes {
                paths_key,
                hashes,
                paths,
            },
        )
    }

    /// The previous hash of each planned page, and the pages of the last build it drops.
    pub fn match_plan(&self, pages: &[Page]) -> Matched {
        if pages.len() == self.hashes.len()
            && paths_key(pages.iter().map(|p| p.path.as_str())) == self.paths_key
        {
            return Matched {
                previous: self.hashes.iter().copied().map(Some).collect(),
                removed: Vec::new(),
            };
        }
        let by_path: FastMap<&str, u64> = self
            .paths
            .lines()
            .zip(self.hashes.iter().copied())
            .collect();
        let planned: std::collections::HashSet<&str, FastState> =
            pages.iter().map(|p| p.path.as_str()).collect();
        let mut removed: Vec<String> = by_path
            .keys()
            .filter(|path| !planned.contains(*path))
            .map(|path| path.to_string())
            .collect();
        removed.sort();
        Matched {
            previous: pages
                .iter()
                .map(|p| by_path.get(p.path.as_str()).copied())
                .collect(),
            removed,
        }
    }

    /// Written after the site is swapped in; [`PageHashes::forget`] runs before anything is
    /// written, so that hashes never describe another build's files.
    pub fn store(&self, state: &std::path::Path, out_dir: &std::path::Path) {
        let Some(marker) = crate::output::BuildState::marker_of(out_dir) else {
            return;
        };
        let path = Self::path(state);
        let Some(parent) = path.parent() else { return };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        let mut bytes = Vec::with_capacity(64 + self.hashes.len() * 8 + self.paths.len());
        bytes.extend_from_slice(PAGES_MAGIC);
        bytes.extend_from_slice(format!("{marker:?}\n").as_bytes());
        bytes.extend_from_slice(&self.paths_key.to_le_bytes());
        bytes.extend_from_slice(&(self.hashes.len() as u64).to_le_bytes());
        for h in &self.hashes {
            bytes.extend_from_slice(&h.to_le_bytes());
        }
        bytes.extend_from_slice(self.paths.as_bytes());
        let tmp = path.with_extension(format!("pages.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    pub fn forget(state: &std::path::Path) {
        let _ = std::fs::remove_file(Self::path(state));
    }
}

/// One hash over a list of paths in order (each ends with its line break, as stored).
fn paths_key<'p>(paths: impl Iterator<Item = &'p str>) -> u64 {
    let mut h = StreamHash::default();
    let mut count = 0u64;
    for p in paths {
        h.text(p);
        count += 1;
    }
    h.number(count).finish()
}

fn paths_key_of_text(paths: &str) -> u64 {
    paths_key(paths.lines())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    /// How many of a table's 65,536 buckets 10,000 page paths land in.
    fn buckets<S: BuildHasher>(state: &S) -> usize {
        let buckets: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| state.hash_one(format!("p-{i}").as_str()) & 0xffff)
            .collect();
        buckets.len()
    }

    /// Long runs are hashed in lanes: a change of any byte still shows, and so does where a
    /// text ends and the next begins.
    #[test]
    fn long_texts_differ_by_any_byte_and_by_where_they_split() {
        let text: Vec<u8> = (0..300u32).map(|i| (i * 7 % 251) as u8).collect();
        let hash = |parts: &[&[u8]]| {
            let mut h = StreamHash::default();
            for part in parts {
                Hasher::write(&mut h, part);
            }
            h.finish()
        };
        let whole = hash(&[&text]);
        for at in [0, 7, 31, 32, 100, 255, 256, 299] {
            let mut changed = text.clone();
            changed[at] ^= 1;
            assert_ne!(hash(&[&changed]), whole, "byte {at}");
        }
        assert_ne!(
            hash(&[&text[..100], &text[100..]]),
            hash(&[&text[..101], &text[101..]])
        );
        assert_eq!(hash(&[&text]), whole);
    }

    #[test]
    fn table_keys_that_differ_past_their_first_bytes_spread_over_the_buckets() {
        // Spread as by chance: 10,000 keys into 65,536 buckets fill about 9,300.
        assert!(buckets(&FastState::default()) > 9_000);
        // The stream alone (the page hashes' own mixing) put them into a few dozen.
        assert!(buckets(&std::hash::BuildHasherDefault::<StreamHash>::default()) < 1_000);
    }
}

#[cfg(test)]
mod page_hash_tests {
    use super::*;
    use render::PageKind;

    fn pages(paths: &[&str]) -> Vec<Page> {
        paths
            .iter()
            .map(|p| Page {
                path: p.to_string(),
                kind: PageKind::NotFound,
            })
            .collect()
    }

    /// Stored and loaded again: matched by place while the plan's paths are the same, by path
    /// when they are not (with the dropped paths listed); a damaged file is not read at all.
    #[test]
    fn page_hashes_are_found_by_place_or_by_path_and_a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("catalog.json"), "{}").unwrap();
        let state = dir.path().join("cache/builds/x.json");
        let first = pages(&["index.html", "a/index.html", "b/index.html"]);
        PageHashes::of(&first, vec![1, 2, 3]).store(&state, &out);
        let loaded = PageHashes::load(&state, &out).unwrap();
        let same = loaded.match_plan(&first);
        assert_eq!(same.previous, vec![Some(1), Some(2), Some(3)]);
        assert!(same.removed.is_empty());
        let other = loaded.match_plan(&pages(&["c/index.html", "index.html", "b/index.html"]));
        assert_eq!(other.previous, vec![None, Some(1), Some(3)]);
        assert_eq!(other.removed, vec!["a/index.html".to_string()]);
        // Cut short, or the site's marker changed: nothing is trusted.
        let path = PageHashes::path(&state);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(PageHashes::load(&state, &out).is_none());
        std::fs::write(&path, &bytes).unwrap();
        assert!(PageHashes::load(&state, &out).is_some());
        std::fs::write(out.join("catalog.json"), "{ }").unwrap();
        assert!(PageHashes::load(&state, &out).is_none());
    }
}
