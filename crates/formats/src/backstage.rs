//! Backstage catalog entities as a source of teams (Group), people (User), domains (Domain) and
//! systems (System). Other kinds (Component, API, Resource…) are not data products: ignored.

use model::Code;
use model::{Domain, Link, Person, SourceSystem, Team};

use crate::read::{plain_text, text, Ctx};
use crate::registry::Standard;
use crate::{Document, Kind};
use model::yaml::Node;

pub struct Backstage;

impl Standard for Backstage {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Backstage]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        plain_text(doc, "apiVersion")
            .starts_with("backstage.io/")
            .then_some(Kind::Backstage)
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse(ctx, doc, out);
    }
}

/// An owner reference: a user stays marked as one (`user:frank.tiernan`), so that the catalog
/// resolves it to a person rather than a team; a group becomes its bare name.
pub fn owner_ref(reference: &str) -> String {
    match reference.split_once(':') {
        Some((kind, _)) if kind.eq_ignore_ascii_case("user") => {
            format!("user:{}", entity_name(reference))
        }
        _ => entity_name(reference),
    }
}

/// Backstage references may be `group:default/team-a`; the catalog uses the bare name.
pub fn entity_name(reference: &str) -> String {
    let without_kind = reference
        .split_once(':')
        .map_or(reference, |(_, rest)| rest);
    without_kind
        .rsplit('/')
        .next()
        .unwrap_or(without_kind)
        .to_string()
}

pub fn parse(ctx: &mut Ctx, doc: &Node, out: &mut Vec<Document>) {
    let kind = text(doc, "kind").unwrap_or_default();
    if !matches!(kind.as_str(), "Group" | "User" | "Domain" | "System") {
        return;
    }
    let Some(metadata) = ctx.map(doc, "metadata") else {
        ctx.error_at(
            doc.pos,
            Code::MissingField,
            format!("Backstage {kind} has no `metadata`"),
            "add `metadata:` with at least `name`",
        );
        return;
    };
    let Some(name) = ctx.required_str(metadata, "name", "the entity name") else {
        return;
    };
    let spec = doc.get("spec");
    let profile = spec.and_then(|s| s.get("profile"));
    let entity = Entity {
        metadata,
        spec,
        title: text(metadata, "title").or_else(|| profile.and_then(|p| text(p, "displayName"))),
        description: text(metadata, "description"),
        links: links(metadata),
        origin: ctx.origin.clone(),
        name,
    };
    out.push(match kind.as_str() {
        "Group" => entity.group(),
        "User" => entity.user(),
        "Domain" => entity.domain(),
        _ => entity.system(),
    });
}

/// `metadata.links: [{url, title}]`.
fn links(metadata: &Node) -> Vec<Link> {
    metadata
        .get("links")
        .map(|l| {
            l.items()
                .iter()
                .filter_map(|item| {
                    let url = text(item, "url")?;
                    Some(Link {
                        kind: text(item, "type"),
                        ..Link::new(text(item, "title").unwrap_or_else(|| url.clone()), url)
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What every entity kind has.
struct Entity<'n> {
    metadata: &'n Node,
    spec: Option<&'n Node>,
    name: String,
    title: Option<String>,
    description: Option<String>,
    links: Vec<Link>,
    origin: model::Origin,
}

impl Entity<'_> {
    fn spec_text(&self, key: &str) -> Option<String> {
        self.spec.and_then(|s| text(s, key))
    }

    /// A `spec` list of entity references, by bare name.
    fn spec_names(&self, key: &str) -> Vec<String> {
        self.spec
            .and_then(|s| s.get(key))
            .map(|m| {
                m.items()
                    .iter()
                    .filter_map(Node::scalar_text)
                    .map(|r| entity_name(&r))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn email(&self) -> Option<String> {
        self.spec
            .and_then(|s| s.get("profile"))
            .and_then(|p| text(p, "email"))
    }

    fn group(self) -> Document {
        let members = self
            .spec_names("members")
            .into_iter()
            .map(model::Member::new)
            .collect();
        Document::Team(Team {
            slug: String::new(),
            id: self.name.clone(),
            kind: self.spec_text("type"),
            domain: self
                .metadata
                .get("annotations")
                .and_then(|a| text(a, "meshdoc/domain")),
            parent: self.spec_text("parent").map(|p| entity_name(&p)),
            email: self.email(),
            members,
            name: self.title.unwrap_or(self.name),
            description: self.description,
            links: self.links,
            custom: Vec::new(),
            origin: Some(self.origin),
        })
    }

    fn user(self) -> Document {
        Document::Person(Person {
            teams: self.spec_names("memberOf"),
            email: self.email(),
            id: self.name,
            name: self.title,
            origin: Some(self.origin),
        })
    }

    fn domain(self) -> Document {
        Document::Domain(Domain {
            slug: String::new(),
            id: self.name.clone(),
            owner: self.spec_text("owner").map(|o| owner_ref(&o)),
            parent: self.spec_text("subdomainOf").map(|d| entity_name(&d)),
            name: self.title.unwrap_or(self.name),
            description: self.description,
            links: self.links,
            origin: Some(self.origin),
        })
    }

    fn system(self) -> Document {
        Document::System(SourceSystem {
            id: self.name.clone(),
            owner: self.spec_text("owner").map(|o| owner_ref(&o)),
            domain: self.spec_text("domain").map(|d| entity_name(&d)),
            name: self.title.unwrap_or(self.name),
            description: self.description,
            origin: self.origin,
        })
    }
}
