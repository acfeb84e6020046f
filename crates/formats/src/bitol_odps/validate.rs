//! Bitol ODPS rules, one spec per version (v0.9.0, v1.0.0, v1.1.0), written from the facts of each
//! version's official JSON Schema: every structure refuses unknown keys.
//!
//! v1.0.0 turns `team` into an object with `members`, frees the type of authoritative definitions
//! and gives ports tags, custom properties and definitions; v1.1.0 makes `status` optional, adds
//! the product `type`, AI `context`, `synonyms`, `deprecated` flags and stable `id`s, and asks
//! only for a `name` on input and output ports.

use std::sync::OnceLock;

use crate::validate::bitol::{AUTH, CUSTOM, TAGS};
use crate::validate::engine::{Spec, Ty};

/// The Bitol ODPS versions meshdoc has rules for, oldest first.
pub const VERSIONS: &[&str] = &["v0.9.0", "v1.0.0", "v1.1.0"];

pub fn spec(version: &str) -> &'static Spec {
    static SPECS: OnceLock<Vec<(&'static str, Spec)>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        let v090 = v0_9_0();
        let v100 = v1_0_0(v090.clone());
        let v110 = v1_1_0(v100.clone());
        vec![("v0.9.0", v090), ("v1.0.0", v100), ("v1.1.0", v110)]
    });
    &specs
        .iter()
        .find(|(v, _)| *v == version)
        .unwrap_or_else(|| specs.last().expect("specs"))
        .1
}

/// "`managementPorts`… is defined from Bitol ODPS v1.1.0 on": the first later version whose object
/// of the same name defines the key.
fn elsewhere(label: &str, obj: &'static str, key: &str) -> Option<String> {
    let v = crate::validate::engine::defined_later(VERSIONS, spec, label, obj, key)?;
    Some(format!(
        "`{key}` is defined here from Bitol ODPS {v} on: declare `apiVersion: {v}` to use it, or move it under `customProperties`"
    ))
}

// Kept whole: a table of this version's schema (objects, fields, types), read side by side with it.
fn v0_9_0() -> Spec {
    use Ty::*;
    let mut s = Spec::new("Bitol ODPS v0.9.0", "product");
    s.elsewhere = Some(elsewhere);
    s.obj(
        "product",
        true,
        &[
            ("apiVersion", Enum(&["v0.9.0"])),
            ("kind", Enum(&["DataProduct"])),
            ("id", Str),
            ("name", Str),
            ("version", Str),
            ("status", Str),
            ("domain", Str),
            ("tenant", Str),
            ("authoritativeDefinitions", AUTH),
            ("description", Obj("description")),
            ("customProperties", CUSTOM),
            ("tags", TAGS),
            ("inputPorts", List(&Obj("inputPort"))),
            ("outputPorts", List(&Obj("outputPort"))),
            ("managementPorts", List(&Obj("managementPort"))),
            ("support", List(&Obj("support"))),
            ("team", List(&Obj("member"))),
            ("productCreatedTs", Str),
        ],
        &["apiVersion", "kind", "id", "status"],
    );
    s.obj(
        "description",
        true,
        &[
            ("purpose", Str),
            ("limitations", Str),
            ("usage", Str),
            ("authoritativeDefinitions", AUTH),
            ("customProperties", CUSTOM),
        ],
        &[],
    );
    s.obj(
        "customProperty",
        true,
        &[("property", Str), ("value", Any), ("description", Str)],
        &["property", "value"],
    );
    s.obj(
        "authoritativeDefinition",
        true,
        &[
            (
                "type",
                Enum(&[
                    "businessDefinition",
                    "transformationImplementation",
                    "videoTutorial",
                    "tutorial",
                    "implementation",
                ]),
            ),
            ("url", Str),
            ("description", Str),
        ],
        &["type", "url"],
    );
    s.obj(
        "inputPort",
        true,
        &[("name", Str), ("version", Str), ("contractId", Str)],
        &["name", "version", "contractId"],
    );
    s.obj(
        "outputPort",
        true,
        &[
            ("name", Str),
            ("description", Str),
            ("type", Str),
            ("version", Str),
            ("contractId", Str),
            ("sbom", List(&Obj("sbom"))),
            ("inputContracts", List(&Obj("inputContract"))),
        ],
        &["name", "version"],
    );
    s.obj("sbom", true, &[("type", Str), ("url", Str)], &["url"]);
    s.obj(
        "inputContract",
        true,
        &[("id", Str), ("version", Str)],
        &["id", "version"],
    );
    s.obj(
        "managementPort",
        true,
        &[
            ("name", Str),
            ("content", Str),
            ("type", Str),
            ("url", Str),
            ("channel", Str),
            ("description", Str),
            ("tags", TAGS),
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
        ],
        &["name", "content"],
    );
    s.obj(
        "support",
        true,
        &[
            ("channel", Str),
            ("url", Str),
            ("description", Str),
            ("tool", Str),
            ("scope", Str),
            ("invitationUrl", Str),
            ("tags", TAGS),
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
        ],
        &["channel", "url"],
    );
    s.obj(
        "member",
        true,
        &[
            ("username", Str),
            ("name", Str),
            ("description", Str),
            ("role", Str),
            ("dateIn", Str),
            ("dateOut", Str),
            ("replacedByUsername", Str),
            ("tags", TAGS),
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
        ],
        &[],
    );
    s
}

fn v1_0_0(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "Bitol ODPS v1.0.0";
    s.set("product", "apiVersion", Enum(&["v0.9.0", "v1.0.0"]));
    s.set("product", "team", Obj("team"));
    s.set("authoritativeDefinition", "type", Str);
    for port in ["inputPort", "outputPort"] {
        s.add(
            port,
            &[
                ("tags", TAGS),
                ("customProperties", CUSTOM),
                ("authoritativeDefinitions", AUTH),
            ],
        );
    }
    s.edit("member").required = vec!["username"];
    s.obj(
        "team",
        true,
        &[
            ("name", Str),
            ("description", Str),
            ("members", List(&Obj("member"))),
            ("tags", TAGS),
            ("customProperties", CUSTOM),
            ("authoritativeDefinitions", AUTH),
        ],
        &[],
    );
    s
}

fn v1_1_0(mut s: Spec) -> Spec {
    use Ty::*;
    s.label = "Bitol ODPS v1.1.0";
    s.set(
        "product",
        "apiVersion",
        Enum(&["v1.1.0", "v1.0.0", "v0.9.0"]),
    );
    s.edit("product").required = vec!["apiVersion", "kind", "id"];
    let product = s.edit("product");
    let at = product
        .fields
        .iter()
        .position(|(k, _)| *k == "name")
        .map_or(0, |i| i + 1);
    product.fields.insert(at, ("deprecated", Bool));
    product
        .fields
        .insert(at + 1, ("synonyms", List(&Obj("synonym"))));
    s.insert_after("product", "domain", ("type", Str));
    s.insert_after("product", "type", ("context", Obj("context")));
    for obj in [
        "customProperty",
        "authoritativeDefinition",
        "inputPort",
        "outputPort",
        "sbom",
        "managementPort",
        "support",
        "member",
    ] {
        s.edit(obj).fields.insert(0, ("id", Str));
    }
    for port in ["inputPort", "outputPort", "managementPort"] {
        s.edit(port).fields.insert(0, ("deprecated", Bool));
    }
    s.edit("inputPort").required = vec!["name"];
    s.edit("outputPort").required = vec!["name"];
    s.edit("sbom").required = vec![];
    s.add(
        "outputPort",
        &[
            ("synonyms", List(&Obj("synonym"))),
            ("context", Obj("context")),
        ],
    );
    s.obj(
        "synonym",
        true,
        &[
            ("id", Str),
            ("synonym", Str),
            ("description", Str),
            ("locale", Str),
            ("source", Str),
            ("status", Str),
            ("customProperties", CUSTOM),
        ],
        &["synonym"],
    );
    crate::validate::bitol::context(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_is_complete() {
        for v in VERSIONS {
            let s = spec(v);
            assert_eq!(s.dangling(), Vec::<String>::new(), "{v}");
            assert_eq!(s.label, format!("Bitol ODPS {v}"));
        }
    }
}
