//! Open Data Mesh Data Product Descriptor Specification (DPDS) 1.0 descriptors.
//!
//! The descriptor document (the one with `dataProductDescriptor`) is what is recognised. Input and
//! output ports that point to a port file with `$ref` are followed within the same source (the
//! port files have no key that `sniff` recognises, so they are read only through their
//! descriptor); the reference stays a custom property. Other components that point elsewhere keep
//! their reference as written.

use model::Code;
use model::{DataProduct, InputPort, Link, Member, OutputPort, Property, Support};

use crate::read::{text, Ctx};
use crate::registry::Standard;
use crate::validate::user::{UserSchema, UserSchemas};
use crate::{Document, Kind};
use model::yaml::Node;

/// The key that names the standard and its version.
const VERSION_KEY: &str = "dataProductDescriptor";

pub struct Dpds;

impl Standard for Dpds {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Dpds]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        doc.get(VERSION_KEY).map(|_| Kind::Dpds)
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse(ctx, doc, out);
    }

    fn user_schema<'u>(&self, _kind: Kind, user: &'u UserSchemas) -> Option<&'u UserSchema> {
        user.product.as_ref()
    }
}

/// Top-level keys of a descriptor.
const ROOT_KEYS: &[&str] = &[
    VERSION_KEY,
    "info",
    "interfaceComponents",
    "internalComponents",
    "components",
    "tags",
    "externalDocs",
];

/// Top-level sections the model has no field for, kept whole as custom properties.
const ROOT_CUSTOM: &[&str] = &["internalComponents", "components"];

/// `info` keys that map onto model fields.
const INFO_FIELDS: &[&str] = &[
    "fullyQualifiedName",
    "name",
    "displayName",
    "version",
    "description",
    "domain",
    "owner",
    "contactPoints",
];

/// `info` keys the standard defines but the model has no field for.
const INFO_CUSTOM: &[&str] = &["id", "entityType"];

/// Port keys that map onto port fields; everything else on a port is kept as custom.
const PORT_FIELDS: &[&str] = &[
    "fullyQualifiedName",
    "name",
    "displayName",
    "description",
    "version",
    "tags",
    "externalDocs",
];

/// Interface component lists the model has no port kind for, kept as custom properties.
const OTHER_PORTS: &[&str] = &["discoveryPorts", "observabilityPorts", "controlPorts"];

pub fn parse(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let spec = text(doc, VERSION_KEY);
    if doc.get("info").is_none_or(Node::is_null) {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `info` is missing or empty".into(),
            "add `info:` with `fullyQualifiedName`, `name`, `version`, `domain` and `owner`",
        );
        return;
    }
    let Some(info) = ctx.map(doc, "info") else {
        return;
    };
    let fqn = ctx.required_str(
        info,
        "fullyQualifiedName",
        "the product's unique name, e.g. `urn:dpds:com.example:dataproducts:orders:1`",
    );
    let Some(id) = fqn.or_else(|| text(info, "name")) else {
        return;
    };
    let mut members = Vec::new();
    let owner = owner(ctx, info, &mut members);
    let support = contact_points(ctx, info);
    let mut extras = Extras::default();
    for (k, v) in info.entries() {
        if !INFO_FIELDS.contains(&k.text.as_str()) {
            let custom = INFO_CUSTOM.contains(&k.text.as_str());
            extras.keep(format!("info.{}", k.text), v, custom);
        }
    }
    let (input_ports, output_ports) = interface_components(ctx, doc, &mut extras);
    for (k, v) in doc.entries() {
        let custom = ROOT_CUSTOM.contains(&k.text.as_str());
        if custom || !ROOT_KEYS.contains(&k.text.as_str()) {
            extras.keep(k.text.clone(), v, custom);
        }
    }
    let product = DataProduct {
        name: text(info, "displayName")
            .or_else(|| text(info, "name"))
            .unwrap_or_else(|| id.clone()),
        slug: String::new(),
        version: ctx.str(info, "version"),
        domain: ctx.str(info, "domain"),
        owner,
        status: None,
        archetype: None,
        description: ctx.str(info, "description"),
        description_parts: Vec::new(),
        tags: ctx.str_list(doc, "tags"),
        input_ports,
        output_ports,
        links: external_docs(doc.get("externalDocs")),
        support,
        members,
        custom: extras.custom,
        extensions: extras.extensions,
        standard: model::Standard {
            family: "dpds",
            label: match spec {
                Some(v) => format!("DPDS {v}"),
                None => "DPDS".into(),
            },
        },
        origin: ctx.origin.clone(),
        id,
        ..Default::default()
    };
    out.push(Document::Product(Box::new(product)));
}

/// Keys the model has no field for: the standard's own as custom properties, others as
/// extensions.
#[derive(Default)]
struct Extras {
    custom: Vec<Property>,
    extensions: Vec<Property>,
}

impl Extras {
    fn keep(&mut self, key: String, value: &Node, the_standards: bool) {
        let prop = Property {
            key,
            value: value.to_json(),
            ..Default::default()
        };
        if the_standards {
            self.custom.push(prop);
        } else {
            self.extensions.push(prop);
        }
    }
}

/// `info.owner`: a mapping with `id` (and `name`), who is also listed as a member.
fn owner(ctx: &mut Ctx, info: &Node, members: &mut Vec<Member>) -> Option<String> {
    match info.get("owner").filter(|o| !o.is_null()) {
        Some(o) if o.is_map() => {
            let owner_id = ctx.required_str(o, "id", "the owner's id, e.g. an email address");
            if let Some(owner_id) = &owner_id {
                members.push(Member {
                    id: owner_id.clone(),
                    name: text(o, "name"),
                    email: owner_id.contains('@').then(|| owner_id.clone()),
                    role: Some("Owner".into()),
                    ..Default::default()
                });
            }
            owner_id
        }
        Some(o) => {
            let owner = o.scalar_text().filter(|s| !s.trim().is_empty());
            ctx.warn_at(
                o.pos,
                Code::WrongType,
                "`owner` should be a mapping with `id` (and `name`)".into(),
                "write `owner:` / `id: jane.doe@example.com` / `name: Jane Doe`",
            );
            owner
        }
        None => {
            ctx.error_at(
                info.pos,
                Code::MissingField,
                "required field `owner` is missing or empty".into(),
                "add `owner:` / `id: ...` to `info` with the owner's id, e.g. an email address",
            );
            None
        }
    }
}

/// `info.contactPoints` as support channels (a bare email address becomes a `mailto:` link).
fn contact_points(ctx: &mut Ctx, info: &Node) -> Vec<Support> {
    ctx.list(info, "contactPoints")
        .iter()
        .filter_map(|c| {
            let address = text(c, "address");
            let url = address.map(|a| {
                if a.contains('@') && !a.contains(':') {
                    format!("mailto:{a}")
                } else {
                    a
                }
            });
            Some(Support {
                channel: text(c, "channel")
                    .or_else(|| text(c, "name"))
                    .or_else(|| url.clone())?,
                url,
                tool: text(c, "name").filter(|_| c.get("channel").is_some()),
                description: text(c, "description"),
                ..Default::default()
            })
        })
        .collect()
}

/// `interfaceComponents`: input and output ports; the other port lists are kept as extras.
fn interface_components(
    ctx: &mut Ctx,
    doc: &Node,
    extras: &mut Extras,
) -> (Vec<InputPort>, Vec<OutputPort>) {
    let mut input_ports: Vec<InputPort> = Vec::new();
    let mut output_ports: Vec<OutputPort> = Vec::new();
    if doc
        .get("interfaceComponents")
        .filter(|i| !i.is_null())
        .is_none()
    {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            "required field `interfaceComponents` is missing or empty".into(),
            "add `interfaceComponents:` with at least `outputPorts: []`",
        );
        return (input_ports, output_ports);
    }
    let Some(ic) = ctx.map(doc, "interfaceComponents") else {
        return (input_ports, output_ports);
    };
    for (i, port) in ctx.list(ic, "inputPorts").iter().enumerate() {
        let p = port_fields(ctx, port, "input", i, |id| {
            input_ports.iter().any(|p| p.id == id)
        });
        input_ports.push(p.into_input(port.pos.line));
    }
    for (i, port) in ctx.list(ic, "outputPorts").iter().enumerate() {
        let p = port_fields(ctx, port, "output", i, |id| {
            output_ports.iter().any(|p| p.id == id)
        });
        output_ports.push(p.into_output(port.pos.line));
    }
    for (k, v) in ic.entries() {
        if k.text != "inputPorts" && k.text != "outputPorts" {
            extras.keep(k.text.clone(), v, OTHER_PORTS.contains(&k.text.as_str()));
        }
    }
    (input_ports, output_ports)
}

/// What input and output ports share.
struct PortFields {
    id: String,
    name: String,
    description: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    server: Option<String>,
    tags: Vec<String>,
    links: Vec<Link>,
    custom: Vec<Property>,
}

impl PortFields {
    fn into_input(self, line: u32) -> InputPort {
        InputPort {
            id: self.id,
            name: self.name,
            description: self.description,
            version: self.version,
            kind: self.kind,
            contract_id: None,
            source_product: None,
            source_port: None,
            source_system: None,
            custom: self.custom,
            line,
            tags: self.tags,
            links: self.links,
            ..Default::default()
        }
    }

    fn into_output(self, line: u32) -> OutputPort {
        OutputPort {
            id: self.id,
            name: self.name,
            description: self.description,
            version: self.version,
            kind: self.kind,
            status: None,
            server: self.server,
            contract_id: None,
            contains_pii: None,
            input_contracts: Vec::new(),
            input_contract_versions: Vec::new(),
            tags: self.tags,
            links: self.links,
            custom: self.custom,
            line,
            ..Default::default()
        }
    }
}

/// One port, written inline (an entity with `promises`, ...) or as a reference
/// `{$ref, description}` to a port file of the same source, which is followed: its fields fill in
/// what the reference does not say. The port keeps the id its reference gives it.
fn port_fields(
    ctx: &mut Ctx,
    port: &Node,
    what: &str,
    index: usize,
    taken: impl Fn(&str) -> bool,
) -> PortFields {
    if !port.is_map() {
        ctx.warn_at(
            port.pos,
            Code::WrongType,
            format!("an {what} port must be a mapping, found {}", port.value.kind_name()),
            "write the port inline (`name`, `version`, `promises`, ...) or as `$ref: ports/my-port.json`",
        );
    }
    let reference = text(port, "$ref");
    let name = text(port, "name");
    let base = text(port, "fullyQualifiedName")
        .or_else(|| name.clone())
        .or_else(|| reference.as_deref().map(ref_stem).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| format!("{what}-{}", index + 1));
    let mut id = base.clone();
    let mut n = 1;
    while taken(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    let merged = reference
        .as_deref()
        .and_then(|r| referenced_port(ctx, port, r, what))
        .map(|file| merge(port, &file));
    let port = merged.as_ref().unwrap_or(port);
    let name = name.or_else(|| text(port, "name"));
    let promises = port.get("promises");
    let kind = promises.and_then(|p| text(p, "servicesType").or_else(|| text(p, "serviceType")));
    let server = promises.and_then(|p| text(p, "platform"));
    let custom = port
        .entries()
        .iter()
        .filter(|(k, _)| !PORT_FIELDS.contains(&k.text.as_str()))
        .map(|(k, v)| Property {
            key: k.text.clone(),
            value: v.to_json(),
            ..Default::default()
        })
        .collect();
    PortFields {
        name: text(port, "displayName")
            .or(name)
            .or_else(|| reference.as_deref().map(ref_stem).filter(|s| !s.is_empty()))
            .unwrap_or_else(|| id.clone()),
        id,
        description: text(port, "description"),
        version: text(port, "version"),
        kind,
        server,
        tags: ctx.str_list(port, "tags"),
        links: external_docs(port.get("externalDocs")),
        custom,
    }
}

/// The port a `$ref` names: the file's document, or, for a file that wraps its port in a whole
/// descriptor, the one port of that kind in it.
fn referenced_port(ctx: &mut Ctx, port: &Node, reference: &str, what: &str) -> Option<Node> {
    let (node, _) = ctx.follow(crate::read::key_pos(port, "$ref"), reference)?;
    if node.get(VERSION_KEY).is_none() {
        return node.is_map().then_some(node);
    }
    let list = format!("{what}Ports");
    let ports = node
        .get("interfaceComponents")
        .and_then(|ic| ic.get(&list))
        .map(Node::items)
        .unwrap_or_default();
    let stem = ref_stem(reference);
    match ports {
        [one] => Some(one.clone()),
        many => many
            .iter()
            .find(|p| text(p, "name").is_some_and(|n| stem.contains(&n)))
            .cloned(),
    }
    .filter(|p| p.is_map() && p.get("$ref").is_none())
}

/// The inline port's fields, then those of the referenced port it does not write.
fn merge(inline: &Node, referenced: &Node) -> Node {
    let mut entries: Vec<(model::yaml::Key, Node)> = inline.entries().to_vec();
    for (k, v) in referenced.entries() {
        if !entries.iter().any(|(e, _)| e.text == k.text) {
            entries.push((k.clone(), v.clone()));
        }
    }
    Node {
        pos: inline.pos,
        value: model::yaml::Value::Map(entries),
    }
}

/// `ports/trip-status-oport.json` → `trip-status-oport`.
fn ref_stem(reference: &str) -> String {
    let path = reference.split(['#', '?']).next().unwrap_or(reference);
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    stem.to_string()
}

/// `externalDocs: {description, $href}` (or a list of them) as links.
fn external_docs(node: Option<&Node>) -> Vec<Link> {
    let Some(node) = node else { return Vec::new() };
    let one = |d: &Node| {
        let url = text(d, "$href").or_else(|| text(d, "url"))?;
        Some(Link::new(
            text(d, "description").unwrap_or_else(|| "Documentation".into()),
            url,
        ))
    };
    if node.is_map() {
        one(node).into_iter().collect()
    } else {
        node.items().iter().filter_map(one).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::{parse_file, sniff, ParsedFile};
    use model::yaml;
    use model::SourceFile;

    fn examples_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures/standards/dpds/examples")
    }

    /// Every example file the crawler would offer (YAML and JSON), with its parse result.
    fn parse_examples() -> Option<Vec<(String, ParsedFile)>> {
        crate::parse_fixture_dir("dpds", &examples_dir())
    }

    fn parse_text(text: &str) -> ParsedFile {
        parse_file(&SourceFile::new(
            "test",
            "dpd.json",
            text.as_bytes().to_vec(),
        ))
    }

    fn product(parsed: &ParsedFile) -> &DataProduct {
        match parsed.documents.as_slice() {
            [Document::Product(p)] => p,
            other => panic!("expected one product, found {other:?}"),
        }
    }

    const FQN: &str = "urn:dpds:com.company-xyz:dataproducts:tripExecution:1";

    #[test]
    fn descriptor_examples_map_to_products() {
        let Some(parsed) = parse_examples() else {
            return;
        };
        // (file, name, input ports, output ports)
        let expected = [
            ("minimal.dpd.json", FQN, 0, 0),
            (
                "tripexecution/data-product-descriptor.json",
                "tripExecution",
                1,
                2,
            ),
            // Upstream wraps this port in a whole descriptor of the same product.
            (
                "tripexecution/ports/trip-events-oport.json",
                "tripExecution",
                0,
                1,
            ),
        ];
        for (rel, name, inputs, outputs) in expected {
            let (_, file) = parsed
                .iter()
                .find(|(r, _)| r == rel)
                .unwrap_or_else(|| panic!("{rel} present"));
            assert!(file.diagnostics.is_empty(), "{rel}: {:?}", file.diagnostics);
            let p = product(file);
            assert_eq!(p.id, FQN, "{rel}");
            assert_eq!(p.name, name, "{rel}");
            assert_eq!(
                p.owner.as_deref(),
                Some("john.doe@company-xyz.com"),
                "{rel}"
            );
            assert_eq!(p.input_ports.len(), inputs, "{rel}");
            assert_eq!(p.output_ports.len(), outputs, "{rel}");
            assert_eq!(p.version.as_deref(), Some("1.2.3"));
            assert_eq!(p.domain.as_deref(), Some("Transport Management"));
            assert_eq!(p.standard.family, "dpds");
            assert_eq!(p.standard.label, "DPDS 1.0.0");
            assert_eq!(p.members[0].name.as_deref(), Some("John Doe"));
        }
    }

    #[test]
    fn port_references_are_followed_within_the_source() {
        let Some(parsed) = parse_examples() else {
            return;
        };
        let (_, file) = parsed
            .iter()
            .find(|(r, _)| r == "tripexecution/data-product-descriptor.json")
            .expect("descriptor present");
        let p = product(file);
        let ids: Vec<_> = p.output_ports.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["trip-status-oport", "trip-events-oport"]);
        let status = &p.output_ports[0];
        assert!(status
            .description
            .as_deref()
            .is_some_and(|d| d.starts_with("This port exposes")));
        assert!(status
            .custom
            .iter()
            .any(|c| c.key == "$ref" && c.value == "ports/trip-status-oport.json"));
        // The port file fills in what the reference does not say.
        assert_eq!(status.name, "Trip Status");
        assert_eq!(status.version.as_deref(), Some("1.2.0"));
        assert_eq!(status.server.as_deref(), Some("westeurope.azure::postgres"));
        assert_eq!(status.kind.as_deref(), Some("datastore-services"));
        assert!(status.custom.iter().any(|c| c.key == "promises"));
        assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
        assert!(status.line > 0);
        assert_eq!(p.input_ports[0].id, "trip-tms-iport");
        assert!(p.input_ports[0].custom.iter().any(|c| c.key == "$ref"));
        for key in ["internalComponents", "observabilityPorts"] {
            assert!(
                p.custom.iter().any(|c| c.key == key),
                "custom property {key} kept"
            );
        }
        assert!(p.extensions.is_empty(), "{:?}", p.extensions);
    }

    #[test]
    fn non_descriptor_files_are_ignored_quietly() {
        let Some(parsed) = parse_examples() else {
            return;
        };
        let descriptors = [
            "minimal.dpd.json",
            "tripexecution/data-product-descriptor.json",
            "tripexecution/ports/trip-events-oport.json",
        ];
        let others: Vec<_> = parsed
            .iter()
            .filter(|(r, _)| !descriptors.contains(&r.as_str()))
            .collect();
        assert!(
            others.len() >= 12,
            "ports, apps and infra files found: {}",
            others.len()
        );
        for (rel, file) in others {
            assert!(file.documents.is_empty(), "{rel}: {:?}", file.documents);
            assert!(file.diagnostics.is_empty(), "{rel}: {:?}", file.diagnostics);
        }
    }

    #[test]
    fn sniff_needs_the_descriptor_key() {
        let doc = |t: &str| yaml::parse_documents(t).unwrap().remove(0);
        assert_eq!(
            sniff(&doc("{\"dataProductDescriptor\": \"1.0.0\"}")),
            Some(Kind::Dpds)
        );
        assert_eq!(
            sniff(&doc("{\"name\": \"tmsInput\", \"version\": \"1.0.0\"}")),
            None
        );
    }

    #[test]
    fn inline_ports_and_missing_fields() {
        let parsed = parse_text(
            r#"{
  "dataProductDescriptor": "1.0.0",
  "info": {"name": "orders", "version": "1.0.0", "domain": "sales"},
  "interfaceComponents": {
    "outputPorts": [
      {"name": "ordersApi", "version": "2.0.0", "displayName": "Orders API",
       "promises": {"platform": "aws:postgres", "servicesType": "datastore-services"},
       "externalDocs": {"description": "Docs", "$href": "https://example.com/docs"}}
    ]
  },
  "x-team": "sales-eng"
}"#,
        );
        let p = product(&parsed);
        assert_eq!(
            p.id, "orders",
            "falls back to the name without fullyQualifiedName"
        );
        assert_eq!(p.owner, None);
        let codes: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [("missing-field", Some(3)), ("missing-field", Some(3))]
        );
        let port = &p.output_ports[0];
        assert_eq!(
            (port.id.as_str(), port.name.as_str()),
            ("ordersApi", "Orders API")
        );
        assert_eq!(port.kind.as_deref(), Some("datastore-services"));
        assert_eq!(port.server.as_deref(), Some("aws:postgres"));
        assert_eq!(port.links[0].url, "https://example.com/docs");
        assert!(port.custom.iter().any(|c| c.key == "promises"));
        assert!(p.extensions.iter().any(|e| e.key == "x-team"));

        let parsed = parse_text("{\"dataProductDescriptor\": \"1.0.0\"}");
        assert!(parsed.documents.is_empty());
        assert_eq!(parsed.diagnostics[0].code, "missing-field");
        assert_eq!(parsed.diagnostics[0].line, Some(1));
    }
}
