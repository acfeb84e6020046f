//! What each kind of document is, in a reader's words: the publish page lists the standards from
//! [`crate::registry::STANDARDS`] and explains each kind through [`about`] (an exhaustive match,
//! so a new kind cannot be left off the page), with a minimal valid example where there is one.

use crate::registry::STANDARDS;
use crate::Kind;

/// One kind of document as a producer needs to know it.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct About {
    /// The standard's name.
    pub standard: &'static str,
    /// The kind of document, in two words ("Data contract", "Team").
    pub document: &'static str,
    /// What a document of this kind describes.
    pub describes: &'static str,
    /// How meshdoc recognises it.
    pub recognised_by: &'static str,
    /// Where the standard is defined.
    pub url: &'static str,
    /// A minimal document that meshdoc reads without errors (a test checks it).
    pub example: Option<&'static str>,
}

/// The example `meshdoc init` writes for a product (Bitol ODPS).
pub const EXAMPLE_PRODUCT: &str = include_str!("../../../themes/init/example.odps.yaml");
/// The example `meshdoc init` writes for a contract (ODCS).
pub const EXAMPLE_CONTRACT: &str = include_str!("../../../themes/init/example.odcs.yaml");

const EXAMPLE_DCS: &str = "dataContractSpecification: 1.1.0
id: orders-v1
info:
  title: Orders
  version: 1.0.0
  owner: checkout
  description: One row per order placed in the web shop.
models:
  orders:
    type: table
    fields:
      order_id:
        type: string
        required: true
        unique: true
      placed_at:
        type: timestamp
        required: true
";

const EXAMPLE_DPS_TEAM: &str = "id: checkout
name: Checkout
type: Domain Team
description: Runs the web shop's basket and payment pages.
members:
  - emailAddress: ana@example.com
    name: Ana Lima
    role: Data Product Owner
";

/// What each kind of document is.
pub fn about(kind: Kind) -> About {
    match kind {
        Kind::Odcs => About {
            document: "Data contract",
            standard: "Open Data Contract Standard (ODCS, Bitol)",
            describes: "a data contract: schema, quality rules, service levels, roles and terms",
            recognised_by: "`apiVersion: v3.x` and `kind: DataContract`",
            url: "https://bitol-io.github.io/open-data-contract-standard/",
            example: Some(EXAMPLE_CONTRACT),
        },
        Kind::BitolOdps => About {
            document: "Data product",
            standard: "Open Data Product Standard (ODPS, Bitol)",
            describes: "a data product: owner, domain, input and output ports with their contracts",
            recognised_by: "`apiVersion: v1.x` and `kind: DataProduct`",
            url: "https://bitol-io.github.io/open-data-product-standard/",
            example: Some(EXAMPLE_PRODUCT),
        },
        Kind::Dcs => About {
            document: "Data contract",
            standard: "Data Contract Specification",
            describes: "a data contract: models and fields, quality, service levels, terms",
            recognised_by: "the key `dataContractSpecification`",
            url: "https://datacontract.com/",
            example: Some(EXAMPLE_DCS),
        },
        Kind::DpsProduct => About {
            document: "Data product",
            standard: "Data Product Specification (DPS)",
            describes: "a data product with its ports",
            recognised_by: "the key `dataProductSpecification`",
            url: "https://dataproduct-specification.com/",
            example: None,
        },
        Kind::DpsAgreement => About {
            document: "Usage agreement",
            standard: "Data Product Specification (DPS)",
            describes: "a data usage agreement: which consumer reads which provider port, and why",
            recognised_by: "the key `dataUsageAgreementSpecification`",
            url: "https://dataproduct-specification.com/",
            example: None,
        },
        Kind::DpsTeam => About {
            document: "Team",
            standard: "Data Product Specification (DPS)",
            describes: "a team and its members",
            recognised_by: "`id`, `name` and `members`, and only team keys",
            url: "https://dataproduct-specification.com/",
            example: Some(EXAMPLE_DPS_TEAM),
        },
        Kind::DpsSourceSystem => About {
            document: "Source system",
            standard: "Data Product Specification (DPS)",
            describes: "a source system that feeds products but is not one",
            recognised_by: "`id`, `name` and `owner`, and only source-system keys",
            url: "https://dataproduct-specification.com/",
            example: None,
        },
        Kind::Backstage => About {
            document: "Catalog entities",
            standard: "Backstage catalog entities",
            describes: "domains, groups (teams), users, systems and data-product components",
            recognised_by: "an `apiVersion` starting with `backstage.io/`",
            url: "https://backstage.io/docs/features/software-catalog/descriptor-format",
            example: None,
        },
        Kind::OpenDataProducts => About {
            document: "Data product",
            standard: "Open Data Product Specification (opendataproducts.org)",
            describes: "a data product with its pricing plans, SLA and data quality packages",
            recognised_by: "a `schema` URL of opendataproducts.org, or a `product.details` block",
            url: "https://opendataproducts.org/",
            example: None,
        },
        Kind::Dpds => About {
            document: "Data product",
            standard: "Data Product Descriptor Specification (Open Data Mesh)",
            describes: "a data product: interface components and internal components",
            recognised_by: "the key `dataProductDescriptor`",
            url: "https://dpds.opendatamesh.org/",
            example: None,
        },
        Kind::MetricSnapshot => About {
            document: "Metric snapshot",
            standard: "meshdoc metric snapshots",
            describes: "measured values (freshness, row counts, availability) checked against a contract's objectives",
            recognised_by: "`apiVersion: meshdoc/v1` and `kind: MetricSnapshot`, or a CSV `timestamp,metric,value` under `metrics/`",
            url: "",
            example: None,
        },
    }
}

/// Every kind of document this build reads, in the registry's order.
pub fn kinds() -> Vec<Kind> {
    STANDARDS
        .iter()
        .flat_map(|s| s.kinds().iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::diagnostics::Severity;
    use model::{Origin, SourceFile};

    /// Each example is read as its own kind, without an error: a producer who copies it starts
    /// from a file that passes `meshdoc check`.
    #[test]
    fn every_example_reads_as_its_kind_without_errors() {
        let mut shown = 0;
        for kind in kinds() {
            let Some(example) = about(kind).example else {
                continue;
            };
            let path = if kind == Kind::DpsTeam {
                "teams/example.yaml"
            } else {
                "example.yaml"
            };
            let file = SourceFile {
                origin: Origin {
                    source: "repo".into(),
                    path: path.into(),
                    ..Origin::default()
                },
                bytes: example.as_bytes().to_vec(),
                history: Vec::new(),
            };
            let parsed = crate::parse_file(&file);
            let errors: Vec<_> = parsed
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{kind:?}: {errors:?}");
            assert_eq!(
                parsed.documents.len(),
                1,
                "{kind:?} example reads as one document"
            );
            let node = model::yaml::parse_documents(example).unwrap().remove(0);
            assert_eq!(crate::sniff(&node), Some(kind), "{kind:?}");
            shown += 1;
        }
        assert!(shown >= 4);
    }
}
