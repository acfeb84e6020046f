//! Reading opendataproducts.org ODPS products into the model.
//!
//! An ODPS document keeps the product's own facts in `product.details.<lang>` and its commercial
//! and operational sections (`dataAccess`, `SLA`, `dataQuality`, `pricingPlans`, `license`,
//! `dataHolder`, ...) next to `details`. Published examples also put those sections at the top
//! level of the document, so both places are read. Access methods become output ports; sections
//! the model has no field for are kept whole as custom properties, and keys the standard does not
//! define are kept as extensions.

use model::Code;
use model::{DataProduct, Labelled, Link, Member, OutputPort, Property, Standard, Support};

use crate::read::{self, text, Ctx};
use crate::Document;
use model::yaml::{Node, Value};

/// Top-level keys of the document itself.
const ROOT_KEYS: &[&str] = &["schema", "version", "product"];

/// Sections the standard defines beside `details`, kept whole as custom properties
/// (`dataHolder` is also read for the owner, `contract` for a link).
const SECTIONS: &[&str] = &[
    "contract",
    "SLA",
    "dataQuality",
    "pricingPlans",
    "license",
    "paymentGateways",
    "productStrategy",
    "dataHolder",
];

/// Keys of a `details.<lang>` block that map onto model fields.
const DETAIL_FIELDS: &[&str] = &[
    "name",
    "productID",
    "status",
    "productVersion",
    "type",
    "tags",
    "categories",
    "description",
    "valueProposition",
    "versionNotes",
    "issues",
    "contentSample",
    "owner",
];

/// Keys of a `details.<lang>` block the standard defines but the model has no field for.
const DETAIL_CUSTOM: &[&str] = &[
    "visibility",
    "governanceProfile",
    "portfolioPriority",
    "productSeries",
    "standards",
    "outputFileFormats",
    "brandSlogan",
    "logoURL",
    "useCases",
    "recommendedDataProducts",
    "created",
    "updated",
];

/// Keys of one `dataAccess` entry that map onto output port fields.
const ACCESS_FIELDS: &[&str] = &[
    "name",
    "description",
    "outputPortType",
    "interface",
    "type",
    "accessURL",
    "specsURL",
    "documentationURL",
];

/// Keys whose presence shows that a `dataAccess` mapping is one access method, not a set of them.
const ACCESS_MARKERS: &[&str] = &[
    "outputPortType",
    "interface",
    "type",
    "format",
    "authenticationMethod",
    "specification",
    "accessURL",
    "specsURL",
    "documentationURL",
    "hashType",
    "checksum",
];

/// The standard's version as the label shows it: from the schema URL
/// (`https://opendataproducts.org/v4.1/schema/odps.yaml`), else from `version`.
pub fn label(doc: &Node) -> String {
    let from_url = text(doc, "schema").and_then(|url| {
        let rest = url.split("opendataproducts.org/").nth(1)?;
        let segment = rest.split('/').next()?;
        let digits = segment.strip_prefix(['v', 'V'])?;
        digits
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| format!("v{digits}"))
    });
    let version = from_url.or_else(|| {
        text(doc, "version").map(|v| {
            if v.starts_with(|c: char| c.is_ascii_digit()) {
                format!("v{v}")
            } else {
                v
            }
        })
    });
    match version {
        Some(v) => format!("ODPS (opendataproducts.org) {v}"),
        None => "ODPS (opendataproducts.org)".into(),
    }
}

pub fn parse(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let product = match doc.get("product") {
        None => None,
        Some(p) if p.is_null() => None,
        Some(_) => match ctx.map(doc, "product") {
            Some(p) => Some(p),
            None => return,
        },
    };
    let Some(product) = product else {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `product` is missing or empty".into(),
            "add `product:` with `details:` / `en:` holding at least `name` and `productID`",
        );
        return;
    };
    if product.get("details").is_none_or(Node::is_null) {
        ctx.error_at(
            product.pos,
            Code::MissingField,
            "required field `product.details` is missing or empty".into(),
            "add `details:` / `en:` below `product:` with at least `name` and `productID`",
        );
        return;
    }
    let Some(details) = ctx.map(product, "details") else {
        return;
    };
    let mut custom = Vec::new();
    let mut extensions = Vec::new();

    // The language block: `en` when there is one, else the first language. Fields written
    // straight under `details` (a common slip) are read with a warning.
    let direct = details.get("productID").is_some();
    let lang = details
        .entries()
        .iter()
        .find(|(k, _)| k.text == "en")
        .or_else(|| details.entries().iter().find(|(k, _)| is_lang(&k.text)))
        .map(|(k, _)| k.text.clone())
        .filter(|_| !direct);
    let block = match lang.as_deref() {
        Some(lang) => match ctx.map(details, lang) {
            Some(block) => block,
            None => {
                if details.get(lang).is_some_and(Node::is_null) {
                    ctx.error_at(
                        details.pos,
                        Code::MissingField,
                        format!("`product.details.{lang}` is empty"),
                        "add at least `name` and `productID` under the language code",
                    );
                }
                return;
            }
        },
        None if details.get("productID").is_some() || details.get("name").is_some() => {
            ctx.warn_at(
                details.pos,
                Code::DetailsLanguage,
                "`product.details` has no language block; reading its fields as they are".into(),
                "put the fields under a language code: `details:` / `en:` / `name: ...`",
            );
            details
        }
        None => {
            ctx.error_at(
                details.pos,
                Code::MissingField,
                "`product.details` has no language block such as `en:`".into(),
                "add `en:` below `details:` with at least `name` and `productID`",
            );
            return;
        }
    };
    if lang.is_some() {
        for (k, v) in details.entries() {
            if Some(&k.text) == lang.as_ref() {
                continue;
            }
            let prop = Property {
                key: format!("details.{}", k.text),
                value: v.to_json(),
            };
            if is_lang(&k.text) {
                custom.push(prop);
            } else {
                extensions.push(prop);
            }
        }
    }

    let id = ctx.required_str(
        block,
        "productID",
        "the product's unique id, e.g. `urbanpulse-events-001`",
    );
    let name = ctx.required_str(block, "name", "the product's display name");
    let Some(id) = id else { return };

    let mut tags = ctx.str_list(block, "tags");
    for category in ctx.str_list(block, "categories") {
        if !tags.contains(&category) {
            tags.push(category);
        }
    }
    let value_proposition = ctx.str(block, "valueProposition");
    let mut description = ctx.str(block, "description");
    let mut description_parts = Vec::new();
    match value_proposition {
        Some(vp) if description.is_none() => description = Some(vp),
        Some(vp) => description_parts.push(Labelled {
            label: "Value proposition".into(),
            text: vp,
        }),
        None => {}
    }
    for (key, label) in [
        ("versionNotes", "Version notes"),
        ("issues", "Known issues"),
    ] {
        if let Some(text) = ctx.str(block, key) {
            description_parts.push(Labelled {
                label: label.into(),
                text,
            });
        }
    }
    let mut links = Vec::new();
    if let Some(url) = text(block, "contentSample") {
        links.push(Link {
            title: "Content sample".into(),
            url,
        });
    }
    for (k, v) in block.entries() {
        if DETAIL_FIELDS.contains(&k.text.as_str()) {
            continue;
        }
        match DETAIL_CUSTOM
            .iter()
            .find(|c| c.eq_ignore_ascii_case(&k.text))
        {
            // The examples write `OutputFileFormats`; keep the schema's spelling.
            Some(canonical) => custom.push(Property {
                key: (*canonical).to_string(),
                value: v.to_json(),
            }),
            None => extensions.push(Property {
                key: k.text.clone(),
                value: v.to_json(),
            }),
        }
    }

    // Sections: under `product` as the schema has them, or at the top level as older examples do.
    let mut output_ports = Vec::new();
    let mut support = Vec::new();
    let mut owner = None;
    let mut domain = None;
    let mut members = Vec::new();
    for (container, own_keys) in [(product, &["details"][..]), (doc, ROOT_KEYS)] {
        for (k, v) in container.entries() {
            let key = k.text.as_str();
            if own_keys.contains(&key) || v.is_null() {
                continue;
            }
            if key.eq_ignore_ascii_case("dataAccess") {
                access_ports(ctx, v, &mut output_ports);
                continue;
            }
            if key.eq_ignore_ascii_case("support") {
                support_channels(v, &mut support, &mut custom);
                continue;
            }
            let Some(section) = SECTIONS.iter().find(|s| s.eq_ignore_ascii_case(key)) else {
                if key == "owner" && owner.is_none() {
                    owner = owner_text(v);
                }
                extensions.push(Property {
                    key: k.text.clone(),
                    value: v.to_json(),
                });
                continue;
            };
            match *section {
                "dataHolder" => {
                    let holder = localized_block(v);
                    if owner.is_none() {
                        owner = ["legalName", "email", "contactName"]
                            .iter()
                            .find_map(|f| text(holder, f));
                    }
                    if domain.is_none() {
                        domain = text(holder, "businessDomain");
                    }
                    if let Some(contact) = text(holder, "contactName") {
                        members.push(Member {
                            id: text(holder, "email").unwrap_or_else(|| contact.clone()),
                            name: Some(contact),
                            email: text(holder, "email"),
                            role: Some("Data holder contact".into()),
                        });
                    }
                }
                "contract" => {
                    if let Some(url) = text(v, "contractURL").or_else(|| text(v, "$ref")) {
                        links.push(Link {
                            title: "Data contract".into(),
                            url,
                        });
                    }
                }
                _ => {}
            }
            custom.push(Property {
                key: (*section).to_string(),
                value: v.to_json(),
            });
        }
    }
    if owner.is_none() {
        owner = block.get("owner").and_then(owner_text);
    } else if let Some(o) = block.get("owner") {
        extensions.push(Property {
            key: "owner".into(),
            value: o.to_json(),
        });
    }

    let product = DataProduct {
        name: name.unwrap_or_else(|| id.clone()),
        slug: String::new(),
        version: ctx.str(block, "productVersion"),
        domain,
        owner,
        status: ctx.str(block, "status"),
        archetype: ctx.str(block, "type"),
        description,
        description_parts,
        tags,
        input_ports: Vec::new(),
        output_ports,
        links,
        support,
        members,
        custom,
        extensions,
        standard: Standard {
            family: "opendataproducts",
            label: label(doc),
        },
        origin: ctx.origin.clone(),
        id,
    };
    out.push(Document::Product(Box::new(product)));
}

/// An ISO 639-1 language key (`en`, `fi`), optionally with a region (`en-GB`).
fn is_lang(key: &str) -> bool {
    let (lang, region) = key.split_once(['-', '_']).unwrap_or((key, ""));
    lang.len() == 2
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The `en` (else first) language entry of a multilingual value: a mapping `{en: ...}` or a list
/// `[{en: ...}, {fi: ...}]`.
fn pick_lang(node: &Node) -> Option<&Node> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.text == "en")
            .or_else(|| entries.iter().find(|(k, _)| is_lang(&k.text)))
            .map(|(_, v)| v),
        Value::Seq(items) => items.iter().find_map(|i| i.get("en")).or_else(|| {
            items
                .iter()
                .find_map(|i| pick_lang(i).filter(|_| i.is_map()))
        }),
        _ => None,
    }
}

/// Text written plainly or per language.
fn localized(node: &Node) -> Option<String> {
    node.scalar_text()
        .or_else(|| pick_lang(node).and_then(Node::scalar_text))
        .filter(|s| !s.trim().is_empty())
}

/// A section written per language (`dataHolder: {en: {...}}`) or directly.
fn localized_block(node: &Node) -> &Node {
    let direct = node.entries().iter().any(|(k, _)| !is_lang(&k.text));
    if direct {
        node
    } else {
        pick_lang(node).filter(|b| b.is_map()).unwrap_or(node)
    }
}

/// An owner written as text or as `{name|legalName|email}`.
fn owner_text(node: &Node) -> Option<String> {
    localized(node).or_else(|| {
        let block = localized_block(node);
        ["name", "legalName", "email", "id"]
            .iter()
            .find_map(|f| text(block, f))
    })
}

/// Case-insensitive field lookup: the examples spell `outputPortType` as `outputPorttype`.
fn get_ci<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.get(key).or_else(|| {
        node.entries()
            .iter()
            .find(|(k, _)| k.text.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn text_ci(node: &Node, key: &str) -> Option<String> {
    get_ci(node, key)
        .and_then(Node::scalar_text)
        .filter(|s| !s.trim().is_empty())
}

/// `dataAccess` as output ports. Written as a mapping of named access methods (v4.1), a list of
/// them (v3.x and the JSON schema), or one access method on its own.
fn access_ports(ctx: &mut Ctx, node: &Node, out: &mut Vec<OutputPort>) {
    match &node.value {
        Value::Map(entries) => {
            let single = entries.iter().any(|(k, _)| {
                ACCESS_MARKERS
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(&k.text))
            });
            if single {
                push_port(out, node, None, node.pos.line);
            } else {
                for (k, v) in entries {
                    if v.is_map() {
                        push_port(out, v, Some(&k.text), k.pos.line);
                    } else {
                        ctx.warn_at(
                            v.pos,
                            Code::WrongType,
                            format!("access method `{}` must be a mapping, found {}", k.text, v.value.kind_name()),
                            "describe each access method with `outputPortType`, `format`, `accessURL`, ...",
                        );
                    }
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                if item.is_map() {
                    push_port(out, item, None, item.pos.line);
                } else {
                    ctx.warn_at(
                        item.pos,
                        Code::WrongType,
                        format!("a `dataAccess` entry must be a mapping, found {}", item.value.kind_name()),
                        "describe each access method with `outputPortType`, `format`, `accessURL`, ...",
                    );
                }
            }
        }
        _ => ctx.warn_at(
            node.pos,
            Code::WrongType,
            format!(
                "`dataAccess` must be a mapping of access methods, found {}",
                node.value.kind_name()
            ),
            "write `dataAccess:` / `default:` / `outputPortType: API` ...",
        ),
    }
}

fn push_port(out: &mut Vec<OutputPort>, node: &Node, key: Option<&str>, line: u32) {
    let kind = ["outputPortType", "interface", "type"]
        .iter()
        .find_map(|k| text_ci(node, k));
    let name = node.get("name").and_then(localized);
    let base = key
        .map(str::to_string)
        .or_else(|| text_ci(node, "interface"))
        .or_else(|| name.clone())
        .or_else(|| kind.clone())
        .unwrap_or_else(|| "default".into());
    let mut id = base.clone();
    let mut n = 1;
    while out.iter().any(|p| p.id == id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    let mut links = Vec::new();
    if let Some(url) = text_ci(node, "specsURL") {
        let title = match text_ci(node, "specification") {
            Some(spec) => format!("Specification ({spec})"),
            None => "Specification".into(),
        };
        links.push(Link { title, url });
    }
    if let Some(url) = text_ci(node, "documentationURL") {
        links.push(Link {
            title: "Documentation".into(),
            url,
        });
    }
    let custom = node
        .entries()
        .iter()
        .filter(|(k, _)| {
            !ACCESS_FIELDS
                .iter()
                .any(|f| f.eq_ignore_ascii_case(&k.text))
        })
        .map(|(k, v)| Property {
            key: k.text.clone(),
            value: v.to_json(),
        })
        .collect();
    out.push(OutputPort {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        description: node.get("description").and_then(localized),
        version: None,
        kind,
        status: None,
        server: text_ci(node, "accessURL"),
        contract_id: None,
        contains_pii: None,
        input_contracts: Vec::new(),
        tags: Vec::new(),
        links,
        custom,
        line,
    });
}

/// `support: {email, phoneNumber, documentationURL, ...}` as support channels; other keys are kept.
fn support_channels(node: &Node, out: &mut Vec<Support>, custom: &mut Vec<Property>) {
    if matches!(node.value, Value::Seq(_)) {
        out.extend(read::support(Some(node)));
        return;
    }
    let node = localized_block(node);
    if let Some(email) = text(node, "email") {
        out.push(Support {
            channel: "email".into(),
            url: Some(format!("mailto:{email}")),
            tool: None,
            description: text(node, "emailServiceHours"),
        });
    }
    if let Some(phone) = text(node, "phoneNumber") {
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        out.push(Support {
            channel: "phone".into(),
            url: Some(format!("tel:{digits}")),
            tool: None,
            description: Some(match text(node, "phoneServiceHours") {
                Some(hours) => format!("{phone} ({hours})"),
                None => phone,
            }),
        });
    }
    if let Some(url) = text(node, "documentationURL") {
        out.push(Support {
            channel: "documentation".into(),
            url: Some(url),
            tool: None,
            description: None,
        });
    }
    const KNOWN: &[&str] = &[
        "email",
        "emailServiceHours",
        "phoneNumber",
        "phoneServiceHours",
        "documentationURL",
    ];
    for (k, v) in node.entries() {
        let blank = v.is_null() || v.scalar_text().is_some_and(|s| s.trim().is_empty());
        if !KNOWN.contains(&k.text.as_str()) && !blank {
            custom.push(Property {
                key: format!("support.{}", k.text),
                value: v.to_json(),
            });
        }
    }
    if !node.is_map() {
        custom.push(Property {
            key: "support".into(),
            value: node.to_json(),
        });
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::{parse_file, sniff, Kind, ParsedFile};
    use model::diagnostics::Severity;
    use model::yaml;
    use model::SourceFile;

    fn examples_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures/standards/odps-opendataproducts/v4.1-examples")
    }

    /// Every example file, relative path and parse result, in name order.
    fn parse_examples() -> Vec<(String, ParsedFile)> {
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
                "Templates/purpose-analytical-product.yml",
                "{{string}}",
                "{{string}}",
                Some("{{string}}"),
                1,
                "ODPS (opendataproducts.org) v4.1",
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
        let parsed = parse_examples();
        assert_eq!(
            parsed.len(),
            expected.len() + fragments.len() + broken.len(),
            "every example is checked"
        );
        for (rel, file) in &parsed {
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
        let parsed = parse_examples();
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
        let parsed = parse_examples();
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
            p.tags.contains(&"smartcity".to_string())
                && p.tags.contains(&"city-events".to_string())
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
        let parsed = parse_examples();
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

        let parsed = parse_text(
            "schema: https://opendataproducts.org/v4.1/schema/odps.yaml\nproduct: nope\n",
        );
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
}
