//! The sections of an opendataproducts.org product beside its details: access methods, support,
//! data holder, contract, and the others kept whole.

use model::Code;
use model::{Link, Member, OutputPort, Property, Support};

use super::read::{localized, localized_block, owner_text, text_ci, Collected};
use crate::read::{self, text, Ctx};
use model::yaml::{Node, Value};

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

/// Sections shown as tables, with their titles.
const TABLE_SECTIONS: &[(&str, &str)] = &[
    ("SLA", "Service level agreement"),
    ("dataQuality", "Data quality"),
    ("pricingPlans", "Pricing plans"),
    ("license", "License"),
    ("paymentGateways", "Payment gateways"),
    ("productStrategy", "Product strategy"),
    ("dataHolder", "Data holder"),
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

/// The sections of one container (`product`, or the document's top level): access methods as
/// output ports, support channels, the data holder as owner, and each section kept whole.
pub(super) fn sections(ctx: &mut Ctx, container: &Node, own_keys: &[&str], found: &mut Collected) {
    for (k, v) in container.entries() {
        let key = k.text.as_str();
        if own_keys.contains(&key) || v.is_null() {
            continue;
        }
        if key.eq_ignore_ascii_case("dataAccess") {
            access_ports(ctx, v, &mut found.output_ports);
            continue;
        }
        if key.eq_ignore_ascii_case("support") {
            support_channels(v, &mut found.support, &mut found.custom);
            continue;
        }
        let Some(section) = SECTIONS.iter().find(|s| s.eq_ignore_ascii_case(key)) else {
            if key == "owner" && found.owner.is_none() {
                found.owner = owner_text(v);
            }
            found.extensions.push(Property {
                key: k.text.clone(),
                value: v.to_json(),
                ..Default::default()
            });
            continue;
        };
        // Shown as tables on the page; kept whole as a custom property for catalog.json.
        if let Some((_, title)) = TABLE_SECTIONS.iter().find(|(k, _)| k == section) {
            let first = found.tables.len();
            section_tables(title, None, v, &mut found.tables);
            for t in &mut found.tables[first..] {
                t.key = Some((*section).to_string());
            }
        }
        match *section {
            "dataHolder" => data_holder(v, found),
            "contract" => {
                if let Some(url) = text(v, "contractURL").or_else(|| text(v, "$ref")) {
                    found.links.push(Link::new("Data contract", url));
                }
            }
            _ => {}
        }
        found.custom.push(Property {
            key: (*section).to_string(),
            value: v.to_json(),
            ..Default::default()
        });
    }
}

/// `dataHolder`: the owner and domain unless already known, and its contact as a member.
fn data_holder(v: &Node, found: &mut Collected) {
    let holder = localized_block(v);
    if found.owner.is_none() {
        found.owner = ["legalName", "email", "contactName"]
            .iter()
            .find_map(|f| text(holder, f));
    }
    if found.domain.is_none() {
        found.domain = text(holder, "businessDomain");
    }
    if let Some(contact) = text(holder, "contactName") {
        found.members.push(Member {
            id: text(holder, "email").unwrap_or_else(|| contact.clone()),
            name: Some(contact),
            email: text(holder, "email"),
            role: Some("Data holder contact".into()),
            ..Default::default()
        });
    }
}

/// `dataAccess` as output ports. Written as a mapping of named access methods (v4.1), a list of
/// them (v3.x and the JSON schema), or one access method on its own.
fn access_ports(ctx: &mut Ctx, node: &Node, out: &mut Vec<OutputPort>) {
    match &node.value {
        Value::Map(entries) => {
            // A marker counts only with a plain value: `interface: {...}` names an access method.
            let single = entries.iter().any(|(k, v)| {
                !v.is_map()
                    && ACCESS_MARKERS
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
        links.push(Link::new(title, url));
    }
    if let Some(url) = text_ci(node, "documentationURL") {
        links.push(Link::new("Documentation", url));
    }
    // What the port's fields do not hold is kept: unknown keys, and known ones whose value is not
    // plain text (or text in one language), which the fields cannot show.
    let custom = node
        .entries()
        .iter()
        .filter(|(k, v)| {
            let field = ACCESS_FIELDS
                .iter()
                .any(|f| f.eq_ignore_ascii_case(&k.text));
            !(field && (v.scalar_text().is_some() || (is_localized(v) && v.entries().len() == 1)))
        })
        .map(|(k, v)| Property {
            key: k.text.clone(),
            value: v.to_json(),
            ..Default::default()
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
        input_contract_versions: Vec::new(),
        tags: Vec::new(),
        links,
        custom,
        line,
        ..Default::default()
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
            description: text(node, "emailServiceHours"),
            ..Default::default()
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
            description: Some(match text(node, "phoneServiceHours") {
                Some(hours) => format!("{phone} ({hours})"),
                None => phone,
            }),
            ..Default::default()
        });
    }
    if let Some(url) = text(node, "documentationURL") {
        out.push(Support {
            channel: "documentation".into(),
            url: Some(url),
            ..Default::default()
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
                ..Default::default()
            });
        }
    }
    if !node.is_map() {
        custom.push(Property {
            key: "support".into(),
            value: node.to_json(),
            ..Default::default()
        });
    }
}

/// Keys that name or describe a block rather than hold one of its facts.
const TITLE_KEYS: &[&str] = &["name", "displaytitle", "displayTitle", "title"];

/// A section as readable tables, whatever its shape: a list of records is one table (a column per
/// key), a block's plain facts are a key/value table, and nested blocks (`declarative`,
/// `executable`, packages such as `default` and `premium` with their `dimensions`) get tables of
/// their own, captioned by their name (or their key). Text written per language shows the `en`
/// text first.
pub(super) fn section_tables(
    section: &str,
    parent: Option<String>,
    node: &Node,
    out: &mut Vec<model::Table>,
) {
    tables_of(section, parent, None, node, out);
}

fn join_caption(parent: &Option<String>, part: Option<String>) -> Option<String> {
    match (parent, part) {
        (Some(p), Some(t)) => Some(format!("{p} — {t}")),
        (p, t) => t.or_else(|| p.clone()),
    }
}

fn tables_of(
    section: &str,
    parent: Option<String>,
    key: Option<&str>,
    node: &Node,
    out: &mut Vec<model::Table>,
) {
    let key_caption = key.map(model::display::humanize);
    match &node.value {
        Value::Seq(items) if items.iter().all(Node::is_map) && !items.is_empty() => {
            out.push(records_table(
                section,
                join_caption(&parent, key_caption),
                items,
            ));
        }
        Value::Map(entries) => block_tables(section, &parent, key_caption, node, entries, out),
        _ => out.push(model::Table {
            key: None,
            section: section.to_string(),
            caption: join_caption(&parent, key_caption),
            description: None,
            columns: vec!["Value".into()],
            rows: vec![vec![cell_text(node)]],
        }),
    }
}

/// A list of records as one table: a column per key, in the order the keys first appear.
fn records_table(section: &str, caption: Option<String>, items: &[Node]) -> model::Table {
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        for (k, _) in item.entries() {
            if !columns.contains(&k.text) {
                columns.push(k.text.clone());
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| item.get(c).map(cell_text).unwrap_or_default())
                .collect()
        })
        .collect();
    model::Table {
        key: None,
        section: section.to_string(),
        caption,
        description: None,
        columns: columns.iter().map(|c| column_title(c)).collect(),
        rows,
    }
}

/// A block: its plain facts as a key/value table, then its nested blocks' tables.
fn block_tables(
    section: &str,
    parent: &Option<String>,
    key_caption: Option<String>,
    node: &Node,
    entries: &[(model::yaml::Key, Node)],
    out: &mut Vec<model::Table>,
) {
    // The first title key names the block; any other one is shown as a fact.
    let title_key = TITLE_KEYS.iter().find(|k| node.get(k).is_some()).copied();
    let title = title_key
        .and_then(|k| node.get(k))
        .map(cell_text)
        .filter(|t| !t.is_empty());
    let caption = join_caption(parent, title.or(key_caption));
    let description = node
        .get("description")
        .map(cell_text)
        .filter(|t| !t.is_empty());
    let (facts, nested) = facts_and_nested(entries, title_key);
    let first = out.len();
    if !facts.is_empty() || nested.is_empty() {
        out.push(model::Table {
            key: None,
            section: section.to_string(),
            caption: caption.clone(),
            description: None,
            columns: vec!["Key".into(), "Value".into()],
            rows: facts,
        });
    }
    // One nested block alone is this block's table; several are named by their keys.
    let alone = nested.len() == 1 && out.len() == first;
    for (k, v) in nested {
        tables_of(section, caption.clone(), (!alone).then_some(k), v, out);
    }
    if let Some(description) = description {
        attach_description(section, caption, description, first, out);
    }
}

/// A block's entries as fact rows (plain values) and nested blocks (structures), in order.
fn facts_and_nested<'n>(
    entries: &'n [(model::yaml::Key, Node)],
    title_key: Option<&str>,
) -> (Vec<Vec<String>>, Vec<(&'n str, &'n Node)>) {
    let mut facts = Vec::new();
    let mut nested = Vec::new();
    for (k, v) in entries {
        let key = k.text.as_str();
        if Some(key) == title_key || key == "description" || v.is_null() {
            continue;
        }
        let structured = match &v.value {
            Value::Seq(items) => items.iter().any(|i| i.is_map() && !is_localized(i)),
            Value::Map(_) => !is_localized(v),
            _ => false,
        };
        if structured {
            nested.push((key, v));
        } else {
            facts.push(vec![column_title(key), cell_text(v)]);
        }
    }
    (facts, nested)
}

/// The description goes to the block's first table, unless that table (a nested block's) has one
/// of its own: then the block gets a table of its own to carry it.
fn attach_description(
    section: &str,
    caption: Option<String>,
    description: String,
    first: usize,
    out: &mut Vec<model::Table>,
) {
    match out.get_mut(first) {
        Some(t) if t.description.is_none() => t.description = Some(description),
        _ => out.insert(
            first,
            model::Table {
                key: None,
                section: section.to_string(),
                caption,
                description: Some(description),
                columns: Vec::new(),
                rows: Vec::new(),
            },
        ),
    }
}

fn column_title(key: &str) -> String {
    match key {
        "displaytitle" | "displayTitle" => "Title".into(),
        // An acronym (`SLA`, `URL`) stays as written.
        acronym
            if acronym
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) =>
        {
            acronym.into()
        }
        other => model::display::humanize(other),
    }
}

/// Text written per language: `{en: …, fi: …}` or `[{en: …}, {fi: …}]`.
fn is_localized(node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) => {
            !entries.is_empty()
                && entries
                    .iter()
                    .all(|(k, v)| super::read::is_lang(&k.text) && v.scalar_text().is_some())
        }
        Value::Seq(items) => !items.is_empty() && items.iter().all(is_localized),
        _ => false,
    }
}

/// One cell: scalars as they are, lists joined, per-language text with `en` first and the other
/// languages after it (`fi: …`), other structures as `key: value` pairs.
fn cell_text(node: &Node) -> String {
    match &node.value {
        Value::Null => String::new(),
        Value::Seq(items) => {
            let sep = if items.iter().all(|i| i.scalar_text().is_some()) {
                ", "
            } else {
                " · "
            };
            items
                .iter()
                .map(cell_text)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(sep)
        }
        Value::Map(entries) if entries.len() == 1 && entries[0].0.text == "$ref" => {
            reference_text(&entries[0].1)
        }
        Value::Map(entries) => {
            let mut parts: Vec<(bool, String)> = entries
                .iter()
                .map(|(k, v)| {
                    let text = cell_text(v);
                    if k.text == "en" {
                        (true, text)
                    } else {
                        (false, format!("{}: {text}", k.text))
                    }
                })
                .collect();
            // The `en` text leads.
            parts.sort_by_key(|(en, _)| !*en);
            parts
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
                .join(" · ")
        }
        _ => node.scalar_text().unwrap_or_default(),
    }
}

/// A `$ref` as the reader says it: a pointer into the document (`#/SLA/default`) as the path of
/// the section it names (`see SLA › default`), any other target as written.
fn reference_text(target: &Node) -> String {
    let Some(target) = target.scalar_text() else {
        return format!("see {}", cell_text(target));
    };
    match target.strip_prefix("#/") {
        Some(pointer) => {
            let parts: Vec<String> = pointer
                .split('/')
                .filter(|p| !p.is_empty())
                .map(|p| p.replace("~1", "/").replace("~0", "~"))
                .collect();
            format!("see {}", parts.join(" › "))
        }
        None => format!("see {target}"),
    }
}
