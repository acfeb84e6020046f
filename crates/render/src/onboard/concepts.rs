//! `concepts/`: the words the site uses, explained for someone who has never seen a data mesh.
//! Each concept has an anchor that the `help` component links to from the pages that use the
//! word; a test checks that every such link lands on a concept.

use serde::Serialize;

/// One explained word.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Concept {
    /// The anchor on `concepts/` (what `{{ <help term=… /> }}` names).
    pub anchor: &'static str,
    pub term: &'static str,
    /// What it is, in plain words (markdown).
    pub explanation: &'static str,
    /// Where a reader meets it on this site.
    pub where_seen: &'static str,
    /// Other names for it in the standards or in other tools.
    pub also: &'static str,
}

/// Every concept, in the order a newcomer needs them: the big things first, then their parts.
pub const CONCEPTS: &[Concept] = &[
    Concept {
        anchor: "data-product",
        term: "Data product",
        explanation: "A set of data that a team publishes for others to use, and looks after like a product: it has an owner, a description, promises about quality and timeliness, and one or more ways to read it (its output ports). A data product is *not* a single table: it is the whole package of data, documentation and guarantees.",
        where_seen: "Every page under Products; the boxes in the lineage diagrams.",
        also: "ODPS `DataProduct`, DPS data product, Backstage `Component` of type data product.",
    },
    Concept {
        anchor: "output-port",
        term: "Output port",
        explanation: "A way to read a data product: a table, a topic, a file drop or an API. Each output port usually has a data contract that says exactly what you get. When you want to *use* a product, you pick an output port and ask for access to it.",
        where_seen: "The Output ports section of a product page, with how to get access below each port.",
        also: "Bitol ODPS `outputPorts`, DPS `outputPorts`.",
    },
    Concept {
        anchor: "input-port",
        term: "Input port",
        explanation: "Where a data product reads its data from: another product's output port, or a source system such as the webshop database. Input ports are how lineage is known.",
        where_seen: "The Input ports section of a product page.",
        also: "Bitol ODPS `inputPorts`, DPS `inputPorts`.",
    },
    Concept {
        anchor: "contract",
        term: "Data contract",
        explanation: "The written promise behind an output port: the schema (tables and columns with their meaning), the quality rules the data must pass, the service levels (how fresh, how available), who may use it and on which terms. Producers change a contract deliberately and announce breaking changes; consumers can rely on it.",
        where_seen: "Every page under Contracts; linked from each output port.",
        also: "ODCS `DataContract`, Data Contract Specification (`dataContractSpecification`).",
    },
    Concept {
        anchor: "schema",
        term: "Schema",
        explanation: "The tables (or objects) of a contract and their columns: names, types, what each column means, which are required, unique or keys. Read it to know what a column contains before you query it.",
        where_seen: "The Schema section of a contract page.",
        also: "ODCS `schema`, DCS `models`.",
    },
    Concept {
        anchor: "version",
        term: "Version",
        explanation: "Products and contracts carry a version number, usually `major.minor.patch`. A new *major* version may break what consumers built (a column removed, a meaning changed); minor and patch versions must not. Older versions stay listed so you can see what changed.",
        where_seen: "The Version fact on every product and contract page, the Versions section, and Changes.",
        also: "Semantic versioning.",
    },
    Concept {
        anchor: "objective",
        term: "Objective (service level, SLO)",
        explanation: "A measurable promise of a contract, such as \"updated at least daily\" or \"available 99.9% of the time\". When the producer publishes measurements, this site checks them against the objective and shows whether it was met over the last 7, 30 and 90 days.",
        where_seen: "Service levels on product and contract pages.",
        also: "ODCS `slaProperties`, DCS `servicelevels`, service level objective.",
    },
    Concept {
        anchor: "freshness",
        term: "Freshness",
        explanation: "How old the newest data is, or how often it is updated. A freshness objective says how stale the data may become before the producer has broken their promise. Products whose newest measurement is old are marked *stale*.",
        where_seen: "Service levels; the health page lists stale products.",
        also: "ODCS `latency` / `frequency`, DCS `freshness`.",
    },
    Concept {
        anchor: "quality-rule",
        term: "Quality rule",
        explanation: "A check the data must pass, for example \"no order without a customer\" or \"at least 100 rows a day\". Rules are part of the contract; failing rules are a reason to ask the owners before you rely on the numbers.",
        where_seen: "The Quality section of a contract page.",
        also: "ODCS `quality`, DCS `quality`.",
    },
    Concept {
        anchor: "archetype",
        term: "Archetype",
        explanation: "What kind of product it is. *Source-aligned* products publish the facts of one operational system as they happened (orders, payments). *Aggregate* products combine several sources (daily revenue). *Consumer-aligned* products are shaped for one use, such as a dashboard or a model. Source-aligned products are closest to the truth; consumer-aligned ones are easiest to use.",
        where_seen: "The Archetype fact on a product page.",
        also: "ODPS `type`/`archetype`, DPS `archetype`.",
    },
    Concept {
        anchor: "pii",
        term: "Personal data (PII)",
        explanation: "Data that identifies a person or can be linked to one: names, e-mail addresses, customer ids, locations. Personal data may only be used for an approved purpose, and access to it usually needs extra approval. Columns marked personal are flagged on the contract, and ports that serve them say so.",
        where_seen: "The Personal data fact of each output port; PII badges in schemas.",
        also: "ODCS `classification`/`pii`, personally identifiable information.",
    },
    Concept {
        anchor: "cde",
        term: "Critical data element",
        explanation: "A column the business depends on so much that errors in it have real consequences (revenue, regulatory reports). Critical columns get stricter quality rules and changes to them are reviewed with extra care.",
        where_seen: "The Critical data elements fact of an output port; marked columns in schemas.",
        also: "ODCS `criticalDataElement`.",
    },
    Concept {
        anchor: "lineage",
        term: "Lineage",
        explanation: "Which products feed which: upstream products are the ones a product reads from, downstream products read from it. Lineage tells you where a number comes from and who is affected when something changes.",
        where_seen: "The Lineage section of product and domain pages, and the Lineage page.",
        also: "Data lineage, provenance.",
    },
    Concept {
        anchor: "domain",
        term: "Domain",
        explanation: "An area of the business (Checkout, Logistics, Finance) that owns its data. Domains own the products about their part of the business, so the people who know the data best are the ones who publish it.",
        where_seen: "The Domains page; the Domain fact of products and contracts.",
        also: "Backstage `Domain`, business domain.",
    },
    Concept {
        anchor: "team",
        term: "Team (owner)",
        explanation: "The group of people responsible for a product or contract: they answer questions, fix problems and decide about access. When in doubt, ask the owning team.",
        where_seen: "The Teams page; the Owner fact of products and contracts.",
        also: "Backstage `Group`, DPS team, ODPS `team`.",
    },
    Concept {
        anchor: "role",
        term: "Role",
        explanation: "A named kind of access to a contract's data (for example read-only access to the revenue table), with the people or groups who approve it. When you ask for access you ask for a role.",
        where_seen: "How to get access, and the Roles section of a contract page.",
        also: "ODCS `roles` (with first- and second-level approvers).",
    },
    Concept {
        anchor: "access",
        term: "Access request",
        explanation: "How you get permission to read an output port: follow *Request access* beside the port (the form is prefilled with the product, port, contract and version), say what you need it for, and the approvers of the role decide. Read the contract's terms and limitations first.",
        where_seen: "How to get access, below every output port and at the top of contract pages.",
        also: "Access management, entitlement.",
    },
    Concept {
        anchor: "agreement",
        term: "Usage agreement",
        explanation: "A recorded agreement that a consumer (a product or a team) uses a provider's output port, and for what purpose. Agreements show who already reads a port: a good place to find colleagues who know the data.",
        where_seen: "Current consumers under How to get access.",
        also: "DPS data usage agreement.",
    },
    Concept {
        anchor: "status",
        term: "Status",
        explanation: "Where a product or contract is in its life: *proposed* or *draft* (not ready to use), *active* (use it), *deprecated* (still there, but plan to move away), *retired* (gone).",
        where_seen: "The coloured pill beside every name; browse by status in Search.",
        also: "ODPS/ODCS `status`.",
    },
    Concept {
        anchor: "standard",
        term: "Standard",
        explanation: "The open file format a manifest is written in. Teams may use different ones; this site reads them all and shows them the same way. The pill beside a product's name says which one its file uses.",
        where_seen: "The pill beside the title of products and contracts; the Publish page lists every standard this site reads.",
        also: "ODPS, ODCS, Data Contract Specification, Data Product Specification, Backstage.",
    },
];

/// The page's context: each concept with its explanation rendered.
pub fn view() -> Vec<serde_json::Value> {
    CONCEPTS
        .iter()
        .map(|c| {
            serde_json::json!({
                "anchor": c.anchor, "term": c.term,
                "html": crate::markdown::render(c.explanation),
                "where_seen": c.where_seen,
                "also": crate::markdown::inline(c.also),
            })
        })
        .collect()
}

/// The concept behind an anchor.
pub fn concept(anchor: &str) -> Option<&'static Concept> {
    CONCEPTS.iter().find(|c| c.anchor == anchor)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `<help term="…">` in the default theme names a concept of this page, so no help
    /// link leads to the top of the page instead of its explanation.
    #[test]
    fn every_help_link_of_the_theme_lands_on_a_concept() {
        let mut used = 0;
        for (name, text) in crate::theme::TEMPLATES {
            for part in text.split("<help term=\"").skip(1) {
                let term = part.split('"').next().unwrap_or_default();
                assert!(
                    concept(term).is_some(),
                    "{name}: help term {term:?} is not a concept"
                );
                used += 1;
            }
        }
        assert!(used >= 10, "the theme uses only {used} help links");
        let mut anchors: Vec<&str> = CONCEPTS.iter().map(|c| c.anchor).collect();
        anchors.sort_unstable();
        anchors.dedup();
        assert_eq!(
            anchors.len(),
            CONCEPTS.len(),
            "two concepts share an anchor"
        );
    }
}
