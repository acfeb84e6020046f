//! The opendataproducts.org examples and hand-made documents, read end to end.

use std::path::{Path, PathBuf};

use crate::Document;
use crate::{parse_file, sniff, Kind, ParsedFile};
use model::diagnostics::Severity;
use model::yaml;
use model::DataProduct;
use model::SourceFile;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/standards/odps-opendataproducts/v4.1-examples")
}

/// Every example file, relative path and parse result, in name order.
fn parse_examples() -> Option<Vec<(String, ParsedFile)>> {
    crate::parse_fixture_dir("odps-opendataproducts", &examples_dir())
}

fn parse_text(text: &str) -> ParsedFile {
    parse_file(&SourceFile::new(
        "test",
        "product.yaml",
        text.as_bytes().to_vec(),
    ))
}

fn products(parsed: &ParsedFile) -> Vec<&DataProduct> {
    parsed
        .documents
        .iter()
        .filter_map(|d| match d {
            Document::Product(p) => Some(p.as_ref()),
            _ => None,
        })
        .collect()
}

fn custom<'a>(p: &'a DataProduct, key: &str) -> Option<&'a serde_json::Value> {
    p.custom.iter().find(|c| c.key == key).map(|c| &c.value)
}

#[test]
fn every_v41_example_maps_to_the_expected_product() {
    // (file, id, name, owner, output ports, label)
    #[allow(clippy::type_complexity)]
    let expected: &[(&str, &str, &str, Option<&str>, usize, &str)] = &[
        (
            "DataContract/datacontract-url.yml",
            "123456are",
            "Pets of the year",
            None,
            0,
            "ODPS (opendataproducts.org) v3.0",
        ),
        (
            "Refs/urban-odps4.yml",
            "urbanpulse-events-001",
            "UrbanPulse Events",
            None,
            0,
            "ODPS (opendataproducts.org) v4.0",
        ),
        (
            "Refs/urbanpulse_final.yml",
            "urbanpulse-events-001",
            "UrbanPulse Events",
            None,
            2,
            "ODPS (opendataproducts.org) v3.1",
        ),
        (
            "Refs/urbanpulse_internal.yml",
            "urbanpulse-events-001",
            "UrbanPulse Events",
            Some("MindMote Oy"),
            4,
            "ODPS (opendataproducts.org) v4.1",
        ),
        (
            "Refs/urbanpulse_partner.yml",
            "urbanpulse-events-001",
            "UrbanPulse Events",
            None,
            1,
            "ODPS (opendataproducts.org) v3.1",
        ),
        (
            "productStrategy/productStrategy.yml",
            "CUST-001",
            "Customer Insights Dataset",
            None,
            0,
            "ODPS (opendataproducts.org)",
        ),
    ];
    // Fragments of a product (one section on its own) are not products and say nothing.
    let fragments = ["DQ/dataquality.yml", "SLA/sla.yml"];
    let broken = ["DataContract/datacontract-inline.yml"];
    // The template (`{{string}}` everywhere) is noted once, not catalogued.
    let templates = ["Templates/purpose-analytical-product.yml"];
    let Some(parsed) = parse_examples() else {
        return;
    };
    assert_eq!(
        parsed.len(),
        expected.len() + fragments.len() + broken.len() + templates.len(),
        "every example is checked"
    );
    for (rel, file) in &parsed {
        if templates.contains(&rel.as_str()) {
            assert!(file.documents.is_empty(), "{rel}: {:?}", file.documents);
            let codes: Vec<&str> = file.diagnostics.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(codes, vec!["template-file"], "{rel}");
            continue;
        }
        if fragments.contains(&rel.as_str()) {
            assert!(file.documents.is_empty(), "{rel}: {:?}", file.documents);
            assert!(file.diagnostics.is_empty(), "{rel}: {:?}", file.diagnostics);
            continue;
        }
        if broken.contains(&rel.as_str()) {
            continue;
        }
        let &(_, id, name, owner, ports, label) = expected
            .iter()
            .find(|e| e.0 == rel)
            .unwrap_or_else(|| panic!("no expectation for {rel}"));
        let found = products(file);
        assert_eq!(found.len(), 1, "{rel}: {:?}", file.diagnostics);
        let p = found[0];
        assert_eq!(p.id, id, "{rel}");
        assert_eq!(p.name, name, "{rel}");
        assert_eq!(p.owner.as_deref(), owner, "{rel}");
        assert_eq!(p.output_ports.len(), ports, "{rel}: {:?}", p.output_ports);
        assert_eq!(p.standard.family, "opendataproducts");
        assert_eq!(p.standard.label, label, "{rel}");
        assert_eq!(p.origin.path, *rel);
        let errors: Vec<_> = file
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
    }
}

#[test]
fn broken_v41_example_is_diagnosed_with_a_line() {
    let Some(parsed) = parse_examples() else {
        return;
    };
    let (_, file) = parsed
        .iter()
        .find(|(rel, _)| rel == "DataContract/datacontract-inline.yml")
        .expect("broken example present");
    assert!(file.documents.is_empty());
    let d = file
        .diagnostics
        .iter()
        .find(|d| d.code == "yaml-syntax")
        .expect("a yaml-syntax diagnostic");
    assert_eq!(d.line, Some(26), "{d:?}");
    assert!(d.hint.is_some());
}

#[test]
fn internal_example_keeps_every_section() {
    let Some(parsed) = parse_examples() else {
        return;
    };
    let (_, file) = parsed
        .iter()
        .find(|(rel, _)| rel == "Refs/urbanpulse_internal.yml")
        .expect("internal example present");
    let p = products(file)[0];
    assert_eq!(p.version.as_deref(), Some("0.1.0"));
    assert_eq!(p.status.as_deref(), Some("production"));
    assert_eq!(p.archetype.as_deref(), Some("dataset"));
    assert!(p
        .description
        .as_deref()
        .is_some_and(|d| d.starts_with("UrbanPulse Events is")));
    assert!(p
        .description_parts
        .iter()
        .any(|d| d.label == "Value proposition"));
    assert!(
        p.tags.contains(&"smartcity".to_string()) && p.tags.contains(&"city-events".to_string())
    );
    assert_eq!(
        custom(p, "visibility"),
        Some(&serde_json::json!("internal"))
    );
    for key in [
        "contract",
        "pricingPlans",
        "SLA",
        "dataQuality",
        "paymentGateways",
        "license",
        "dataHolder",
    ] {
        assert!(custom(p, key).is_some(), "custom property {key} kept");
    }
    // SLA and data quality packages are tables, one per package, captioned by its name.
    for (section, caption) in [
        ("Service level agreement", "The Basic SLA"),
        ("Data quality", "The Premium Data Quality"),
    ] {
        let t = p
            .tables
            .iter()
            .find(|t| t.section == section && t.caption.as_deref() == Some(caption))
            .unwrap_or_else(|| panic!("{section} table {caption}: {:?}", p.tables));
        assert!(
            t.columns.contains(&"Objective".to_string()),
            "{:?}",
            t.columns
        );
        assert!(!t.rows.is_empty());
    }
    assert!(p
        .tables
        .iter()
        .any(|t| t.key.as_deref() == Some("pricingPlans")));
    assert!(p.links.iter().any(|l| l.title == "Data contract"));
    assert!(p
        .support
        .iter()
        .any(|s| s.url.as_deref() == Some("mailto:support@opendataproducts.org")));
    assert!(p.support.iter().any(|s| s.channel == "phone"));
    let api = p
        .output_ports
        .iter()
        .find(|o| o.id == "API")
        .expect("API port");
    assert_eq!(api.kind.as_deref(), Some("API"));
    assert_eq!(
        api.server.as_deref(),
        Some("https://data.cms.gov/data-api/v1/dataset/2/data")
    );
    assert!(api
        .links
        .iter()
        .any(|l| l.title == "Specification (OAS)" && l.url.ends_with("api-docs")));
    assert!(api
        .custom
        .iter()
        .any(|c| c.key == "format" && c.value == "JSON"));
    let default = p
        .output_ports
        .iter()
        .find(|o| o.id == "default")
        .expect("default port");
    assert_eq!(default.name, "Access to zipped package");
    assert_eq!(
        default.description.as_deref(),
        Some("Latest Dataset and Resources")
    );
    assert!(p.output_ports.iter().all(|o| o.line > 0));
}

#[test]
fn top_level_sections_and_unknown_keys_are_kept() {
    let Some(parsed) = parse_examples() else {
        return;
    };
    let get = |name: &str| {
        let (_, file) = parsed
            .iter()
            .find(|(rel, _)| rel == name)
            .expect("example present");
        products(file)[0].clone()
    };
    let urban = get("Refs/urban-odps4.yml");
    assert!(custom(&urban, "pricingPlans").is_some());
    assert!(urban.extensions.iter().any(|e| e.key == "Components"));
    let final_ = get("Refs/urbanpulse_final.yml");
    let ids: Vec<_> = final_.output_ports.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["API", "MCP"]);
    for key in ["SLA", "dataQuality", "license", "pricingPlans", "contract"] {
        assert!(custom(&final_, key).is_some(), "custom property {key} kept");
    }
    let declarative = final_
        .tables
        .iter()
        .find(|t| t.section == "Data quality")
        .expect("the declarative data quality table");
    // The only block of its section needs no caption.
    assert_eq!(declarative.caption, None);
    assert_eq!(declarative.columns[..2], ["Dimension", "Title"]);
    // Text per language: `en` first, the others after it.
    assert!(declarative.rows[0][1].starts_with("Data Accuracy (percent) · fi: Datan"));
    let pets = get("DataContract/datacontract-url.yml");
    assert!(
        custom(&pets, "outputFileFormats").is_some(),
        "schema spelling for OutputFileFormats"
    );
    assert!(custom(&pets, "useCases").is_some());
    assert!(pets.links.iter().any(|l| l.title == "Content sample"));
}

#[test]
fn sniff_recognises_schema_or_bare_product_details() {
    let doc = |t: &str| yaml::parse_documents(t).unwrap().remove(0);
    let with_schema = doc(
        "schema: https://opendataproducts.org/v4.1/schema/odps.yaml\nproduct:\n  details: {}\n",
    );
    assert_eq!(sniff(&with_schema), Some(Kind::OpenDataProducts));
    let bare = doc("product:\n  details:\n    en:\n      name: x\n");
    assert_eq!(sniff(&bare), Some(Kind::OpenDataProducts));
    assert_eq!(sniff(&doc("product:\n  name: x\n")), None);
    assert_eq!(sniff(&doc("SLA:\n  declarative: []\n")), None);
    assert_eq!(sniff(&doc("schema: [a, b]\nproduct: {}\n")), None);
}

#[test]
fn missing_pieces_are_located_diagnostics() {
    let parsed = parse_text(
        "schema: https://opendataproducts.org/v4.1/schema/odps.yaml\nversion: 4.1\nproduct:\n  details:\n    en:\n      name: No id\n",
    );
    assert!(parsed.documents.is_empty());
    let d = &parsed.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.line),
        ("missing-field", Some(6)),
        "{d:?}"
    );
    assert!(d.message.contains("productID"));

    let parsed =
        parse_text("schema: https://opendataproducts.org/v4.1/schema/odps.yaml\nproduct: nope\n");
    assert!(parsed.documents.is_empty());
    assert_eq!(parsed.diagnostics[0].code, "wrong-type");
    assert_eq!(parsed.diagnostics[0].line, Some(2));

    let parsed =
        parse_text("product:\n  details:\n    productID: p1\n    name: P\n    fi: {name: P}\n");
    assert_eq!(products(&parsed)[0].id, "p1");
    assert_eq!(parsed.diagnostics[0].code, "details-language");
}

#[test]
fn first_language_is_used_without_en() {
    let parsed = parse_text(
        "product:\n  details:\n    fi:\n      productID: p1\n      name: Tuote\n    sv:\n      productID: p1\n      name: Produkt\n",
    );
    let p = products(&parsed)[0];
    assert_eq!(p.name, "Tuote");
    assert!(custom(p, "details.sv").is_some());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}

#[test]
fn nested_blocks_keep_their_descriptions_and_titles() {
    let parsed = parse_text(
        "schema: https://opendataproducts.org/v4.1/schema/odps.yaml
product:
  details:
    en: {name: P, productID: p}
  SLA:
    default:
      name: {en: The Basic SLA}
      displaytitle: {en: Basic}
      description: {en: The basic SLA package}
      dimensions:
        - {dimension: uptime, objective: 90}
    premium:
      description: {en: The premium package}
      dimensions:
        - {dimension: uptime, objective: 99}
  dataHolder:
    en:
      legalName: MindMote Oy
      description: Digital Economy services
  pricingPlans:
    - name: Basic
      SLA: {$ref: '#/SLA/default'}
",
    );
    let p = products(&parsed)[0];
    let descriptions: Vec<&str> = p
        .tables
        .iter()
        .filter_map(|t| t.description.as_deref())
        .collect();
    assert_eq!(
        descriptions,
        [
            "The basic SLA package",
            "The premium package",
            "Digital Economy services"
        ]
    );
    let sla = p
        .tables
        .iter()
        .find(|t| t.key.as_deref() == Some("SLA"))
        .unwrap();
    assert_eq!(sla.caption.as_deref(), Some("The Basic SLA"));
    assert!(p.tables.iter().any(|t| t
        .rows
        .contains(&vec!["Title".to_string(), "Basic".to_string()])));
    let plans = p
        .tables
        .iter()
        .find(|t| t.key.as_deref() == Some("pricingPlans"))
        .unwrap();
    assert_eq!(plans.rows[0], ["Basic", "see SLA › default"]);
}

#[test]
fn access_methods_under_a_structured_key_are_ports() {
    let parsed = parse_text(
        "schema: https://opendataproducts.org/v3.1/schema/odps.yaml
product:
  details:
    en: {name: P, productID: p}
dataAccess:
  interface:
    outputPorttype: API
    authenticationMethod: OAuth
    specsURL: example.org/spec.json
",
    );
    let p = products(&parsed)[0];
    assert_eq!(p.output_ports.len(), 1);
    let port = &p.output_ports[0];
    assert_eq!(port.id, "interface");
    assert_eq!(port.kind.as_deref(), Some("API"));
    assert!(port.custom.iter().any(|c| c.key == "authenticationMethod"));

    // A known key whose value the port cannot show is kept, not dropped.
    let parsed = parse_text(
        "schema: https://opendataproducts.org/v3.1/schema/odps.yaml
product:
  details:
    en: {name: P, productID: p}
  dataAccess:
    - outputPortType: API
      description: {en: English, fi: Suomi}
",
    );
    let port = &products(&parsed)[0].output_ports[0];
    assert_eq!(port.description.as_deref(), Some("English"));
    assert!(port.custom.iter().any(|c| c.key == "description"));
}
