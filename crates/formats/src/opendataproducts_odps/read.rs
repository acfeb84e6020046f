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

use super::sections;
use crate::read::{text, Ctx};
use crate::Document;
use model::yaml::{Node, Value};

/// Top-level keys of the document itself.
const ROOT_KEYS: &[&str] = &["schema", "version", "product"];

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

/// What a product collects from its details and sections before it is built.
#[derive(Default)]
pub(super) struct Collected {
    pub(super) custom: Vec<Property>,
    pub(super) extensions: Vec<Property>,
    pub(super) links: Vec<Link>,
    pub(super) support: Vec<Support>,
    pub(super) output_ports: Vec<OutputPort>,
    pub(super) owner: Option<String>,
    pub(super) domain: Option<String>,
    pub(super) members: Vec<Member>,
    pub(super) tables: Vec<model::Table>,
}

pub fn parse(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let Some((product, details)) = product_details(ctx, doc) else {
        return;
    };
    let mut found = Collected::default();
    let Some((block, lang)) = language_block(ctx, details) else {
        return;
    };
    if let Some(lang) = &lang {
        other_languages(details, lang, &mut found);
    }
    let id = ctx.required_str(
        block,
        "productID",
        "the product's unique id, e.g. `urbanpulse-events-001`",
    );
    let name = ctx.required_str(block, "name", "the product's display name");
    let Some(id) = id else { return };
    let tags = tags(ctx, block);
    let (description, description_parts) = description(ctx, block);
    if let Some(url) = text(block, "contentSample") {
        found.links.push(Link::new("Content sample", url));
    }
    detail_extras(block, &mut found);
    // Sections: under `product` as the schema has them, or at the top level as older examples do.
    for (container, own_keys) in [(product, &["details"][..]), (doc, ROOT_KEYS)] {
        sections::sections(ctx, container, own_keys, &mut found);
    }
    if found.owner.is_none() {
        found.owner = block.get("owner").and_then(owner_text);
    } else if let Some(o) = block.get("owner") {
        found.extensions.push(Property {
            key: "owner".into(),
            value: o.to_json(),
            ..Default::default()
        });
    }
    let product = DataProduct {
        name: name.unwrap_or_else(|| id.clone()),
        slug: String::new(),
        version: ctx.str(block, "productVersion"),
        domain: found.domain,
        owner: found.owner,
        status: ctx.str(block, "status"),
        archetype: ctx.str(block, "type"),
        description,
        description_parts,
        tags,
        input_ports: Vec::new(),
        output_ports: found.output_ports,
        links: found.links,
        support: found.support,
        members: found.members,
        custom: found.custom,
        extensions: found.extensions,
        standard: Standard {
            family: "opendataproducts",
            label: label(doc),
        },
        origin: ctx.origin.clone(),
        id,
        tables: found.tables,
        ..Default::default()
    };
    out.push(Document::Product(Box::new(product)));
}

/// `product` and its `details`; None (with an error) when either is missing or not a mapping.
fn product_details<'n>(ctx: &mut Ctx, doc: &'n Node) -> Option<(&'n Node, &'n Node)> {
    let product = match doc.get("product") {
        None => None,
        Some(p) if p.is_null() => None,
        Some(_) => Some(ctx.map(doc, "product")?),
    };
    let Some(product) = product else {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `product` is missing or empty".into(),
            "add `product:` with `details:` / `en:` holding at least `name` and `productID`",
        );
        return None;
    };
    if product.get("details").is_none_or(Node::is_null) {
        ctx.error_at(
            product.pos,
            Code::MissingField,
            "required field `product.details` is missing or empty".into(),
            "add `details:` / `en:` below `product:` with at least `name` and `productID`",
        );
        return None;
    }
    Some((product, ctx.map(product, "details")?))
}

/// The language block: `en` when there is one, else the first language, with its code. Fields
/// written straight under `details` (a common slip) are read with a warning.
fn language_block<'n>(ctx: &mut Ctx, details: &'n Node) -> Option<(&'n Node, Option<String>)> {
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
                return None;
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
            return None;
        }
    };
    Some((block, lang))
}

/// The other entries of `details`: other languages are kept as custom properties, anything else
/// as extensions.
fn other_languages(details: &Node, lang: &str, found: &mut Collected) {
    for (k, v) in details.entries() {
        if k.text == lang {
            continue;
        }
        let prop = Property {
            key: format!("details.{}", k.text),
            value: v.to_json(),
            ..Default::default()
        };
        if is_lang(&k.text) {
            found.custom.push(prop);
        } else {
            found.extensions.push(prop);
        }
    }
}

/// Tags and categories, as one list.
fn tags(ctx: &mut Ctx, block: &Node) -> Vec<String> {
    let mut tags = ctx.str_list(block, "tags");
    for category in ctx.str_list(block, "categories") {
        if !tags.contains(&category) {
            tags.push(category);
        }
    }
    tags
}

/// The description (the value proposition when there is none) and the labelled parts.
fn description(ctx: &mut Ctx, block: &Node) -> (Option<String>, Vec<Labelled>) {
    let value_proposition = ctx.str(block, "valueProposition");
    let mut description = ctx.str(block, "description");
    let mut parts = Vec::new();
    match value_proposition {
        Some(vp) if description.is_none() => description = Some(vp),
        Some(vp) => parts.push(Labelled {
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
            parts.push(Labelled {
                label: label.into(),
                text,
            });
        }
    }
    (description, parts)
}

/// Fields of the details block the model has no field for: the standard's as custom properties,
/// others as extensions.
fn detail_extras(block: &Node, found: &mut Collected) {
    for (k, v) in block.entries() {
        if DETAIL_FIELDS.contains(&k.text.as_str()) {
            continue;
        }
        match DETAIL_CUSTOM
            .iter()
            .find(|c| c.eq_ignore_ascii_case(&k.text))
        {
            // The examples write `OutputFileFormats`; keep the schema's spelling.
            Some(canonical) => found.custom.push(Property {
                key: (*canonical).to_string(),
                value: v.to_json(),
                ..Default::default()
            }),
            None => found.extensions.push(Property {
                key: k.text.clone(),
                value: v.to_json(),
                ..Default::default()
            }),
        }
    }
}

/// An ISO 639-1 language key (`en`, `fi`), optionally with a region (`en-GB`).
pub(super) fn is_lang(key: &str) -> bool {
    let (lang, region) = key.split_once(['-', '_']).unwrap_or((key, ""));
    lang.len() == 2
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The `en` (else first) language entry of a multilingual value: a mapping `{en: ...}` or a list
/// `[{en: ...}, {fi: ...}]`.
pub(super) fn pick_lang(node: &Node) -> Option<&Node> {
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
pub(super) fn localized(node: &Node) -> Option<String> {
    node.scalar_text()
        .or_else(|| pick_lang(node).and_then(Node::scalar_text))
        .filter(|s| !s.trim().is_empty())
}

/// A section written per language (`dataHolder: {en: {...}}`) or directly.
pub(super) fn localized_block(node: &Node) -> &Node {
    let direct = node.entries().iter().any(|(k, _)| !is_lang(&k.text));
    if direct {
        node
    } else {
        pick_lang(node).filter(|b| b.is_map()).unwrap_or(node)
    }
}

/// An owner written as text or as `{name|legalName|email}`.
pub(super) fn owner_text(node: &Node) -> Option<String> {
    localized(node).or_else(|| {
        let block = localized_block(node);
        ["name", "legalName", "email", "id"]
            .iter()
            .find_map(|f| text(block, f))
    })
}

/// Case-insensitive field lookup: the examples spell `outputPortType` as `outputPorttype`.
pub(super) fn get_ci<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.get(key).or_else(|| {
        node.entries()
            .iter()
            .find(|(k, _)| k.text.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

pub(super) fn text_ci(node: &Node, key: &str) -> Option<String> {
    get_ci(node, key)
        .and_then(Node::scalar_text)
        .filter(|s| !s.trim().is_empty())
}
