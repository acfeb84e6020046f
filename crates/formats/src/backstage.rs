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
    let spec_text = |key: &str| spec.and_then(|s| text(s, key));
    let profile = spec.and_then(|s| s.get("profile"));
    let title = text(metadata, "title").or_else(|| profile.and_then(|p| text(p, "displayName")));
    let description = text(metadata, "description");
    let links: Vec<Link> = metadata
        .get("links")
        .map(|l| {
            l.items()
                .iter()
                .filter_map(|item| {
                    let url = text(item, "url")?;
                    Some(Link {
                        title: text(item, "title").unwrap_or_else(|| url.clone()),
                        url,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let origin = Some(ctx.origin.clone());
    match kind.as_str() {
        "Group" => {
            let members = spec
                .and_then(|s| s.get("members"))
                .map(|m| {
                    m.items()
                        .iter()
                        .filter_map(Node::scalar_text)
                        .map(|id| model::Member {
                            id: entity_name(&id),
                            name: None,
                            email: None,
                            role: None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push(Document::Team(Team {
                slug: String::new(),
                id: name.clone(),
                name: title.unwrap_or(name),
                kind: spec_text("type"),
                description,
                domain: metadata
                    .get("annotations")
                    .and_then(|a| text(a, "meshdoc/domain")),
                parent: spec_text("parent").map(|p| entity_name(&p)),
                email: profile.and_then(|p| text(p, "email")),
                members,
                links,
                custom: Vec::new(),
                origin,
            }));
        }
        "User" => {
            let teams = spec
                .and_then(|s| s.get("memberOf"))
                .map(|m| {
                    m.items()
                        .iter()
                        .filter_map(Node::scalar_text)
                        .map(|t| entity_name(&t))
                        .collect()
                })
                .unwrap_or_default();
            out.push(Document::Person(Person {
                id: name,
                name: title,
                email: profile.and_then(|p| text(p, "email")),
                teams,
                origin,
            }));
        }
        "Domain" => out.push(Document::Domain(Domain {
            slug: String::new(),
            id: name.clone(),
            name: title.unwrap_or(name),
            description,
            owner: spec_text("owner").map(|o| entity_name(&o)),
            parent: spec_text("subdomainOf").map(|d| entity_name(&d)),
            links,
            origin,
        })),
        _ => out.push(Document::System(SourceSystem {
            id: name.clone(),
            name: title.unwrap_or(name),
            owner: spec_text("owner").map(|o| entity_name(&o)),
            description,
            origin: ctx.origin.clone(),
        })),
    }
}
