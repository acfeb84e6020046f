//! Bitol ODPS rules (v0.9.0, v1.0.0), from the facts of its official JSON
//! Schemas: strict everywhere (`additionalProperties: false`), so an unknown key is an error.

use super::TOP;
use crate::validate::engine::{index, join, Checker};
use model::yaml::{Node, Value};

const DEFINITION_TYPES_09: &[&str] = &[
    "businessDefinition",
    "transformationImplementation",
    "videoTutorial",
    "tutorial",
    "implementation",
];

/// Check a document; `v1` for v1.0 rules, else v0.9.
pub fn check(c: &mut Checker, doc: &Node, v1: bool) {
    if !c.object(doc, "", TOP, true) {
        return;
    }
    c.required(doc, "", &["apiVersion", "kind", "id", "status"]);
    c.one_of(
        doc,
        "",
        "apiVersion",
        if v1 {
            &["v0.9.0", "v1.0.0"]
        } else {
            &["v0.9.0"]
        },
    );
    c.one_of(doc, "", "kind", &["DataProduct"]);
    c.strings(
        doc,
        "",
        &[
            "id",
            "name",
            "version",
            "status",
            "domain",
            "tenant",
            "productCreatedTs",
        ],
    );
    c.string_list(doc, "", "tags");
    definitions(c, doc, "", v1);
    customs(c, doc, "");
    if let Some(d) = doc.get("description") {
        description(c, d, v1);
    }
    let extras: &[&str] = if v1 {
        &["tags", "customProperties", "authoritativeDefinitions"]
    } else {
        &[]
    };
    for (i, p) in c.list(doc, "", "inputPorts").iter().enumerate() {
        input_port(c, p, &index("inputPorts", i), extras, v1);
    }
    for (i, p) in c.list(doc, "", "outputPorts").iter().enumerate() {
        output_port(c, p, &index("outputPorts", i), extras, v1);
    }
    for (i, p) in c.list(doc, "", "managementPorts").iter().enumerate() {
        management_port(c, p, &index("managementPorts", i), v1);
    }
    for (i, s) in c.list(doc, "", "support").iter().enumerate() {
        support(c, s, &index("support", i), v1);
    }
    if let Some(t) = doc.get("team") {
        team(c, t, v1);
    }
}

fn description(c: &mut Checker, d: &Node, v1: bool) {
    let known = &[
        "purpose",
        "limitations",
        "usage",
        "authoritativeDefinitions",
        "customProperties",
    ];
    if c.object(d, "description", known, true) {
        c.strings(d, "description", &["purpose", "limitations", "usage"]);
        definitions(c, d, "description", v1);
        customs(c, d, "description");
    }
}

/// `extras`: the keys every port has in v1.0 (tags, custom properties, definitions).
fn input_port(c: &mut Checker, p: &Node, pp: &str, extras: &[&str], v1: bool) {
    let mut known = vec!["name", "version", "contractId"];
    known.extend_from_slice(extras);
    if c.object(p, pp, &known, true) {
        c.required(p, pp, &["name", "version", "contractId"]);
        c.strings(p, pp, &["name", "version", "contractId"]);
        port_extras(c, p, pp, v1);
    }
}

fn output_port(c: &mut Checker, p: &Node, pp: &str, extras: &[&str], v1: bool) {
    let mut known = vec![
        "name",
        "description",
        "type",
        "version",
        "contractId",
        "sbom",
        "inputContracts",
    ];
    known.extend_from_slice(extras);
    if !c.object(p, pp, &known, true) {
        return;
    }
    c.required(p, pp, &["name", "version"]);
    c.strings(
        p,
        pp,
        &["name", "description", "type", "version", "contractId"],
    );
    for (j, s) in c.list(p, pp, "sbom").iter().enumerate() {
        let sp = index(&join(pp, "sbom"), j);
        if c.object(s, &sp, &["type", "url"], true) {
            c.required(s, &sp, &["url"]);
            c.strings(s, &sp, &["type", "url"]);
        }
    }
    for (j, ic) in c.list(p, pp, "inputContracts").iter().enumerate() {
        let ip = index(&join(pp, "inputContracts"), j);
        if c.object(ic, &ip, &["id", "version"], true) {
            c.required(ic, &ip, &["id", "version"]);
            c.strings(ic, &ip, &["id", "version"]);
        }
    }
    port_extras(c, p, pp, v1);
}

fn management_port(c: &mut Checker, p: &Node, pp: &str, v1: bool) {
    let known = &[
        "name",
        "content",
        "type",
        "url",
        "channel",
        "description",
        "tags",
        "customProperties",
        "authoritativeDefinitions",
    ];
    if c.object(p, pp, known, true) {
        c.required(p, pp, &["name", "content"]);
        c.strings(
            p,
            pp,
            &["name", "content", "type", "url", "channel", "description"],
        );
        port_extras(c, p, pp, v1);
    }
}

fn support(c: &mut Checker, s: &Node, sp: &str, v1: bool) {
    let known = &[
        "channel",
        "url",
        "description",
        "tool",
        "scope",
        "invitationUrl",
        "tags",
        "customProperties",
        "authoritativeDefinitions",
    ];
    if c.object(s, sp, known, true) {
        c.required(s, sp, &["channel", "url"]);
        c.strings(
            s,
            sp,
            &[
                "channel",
                "url",
                "description",
                "tool",
                "scope",
                "invitationUrl",
            ],
        );
        port_extras(c, s, sp, v1);
    }
}

/// v0.9: a list of members; v1.0: a team with `name` and `members`.
fn team(c: &mut Checker, t: &Node, v1: bool) {
    match (&t.value, v1) {
        (Value::Seq(members), false) => {
            for (i, m) in members.iter().enumerate() {
                member(c, m, &index("team", i), v1);
            }
        }
        (Value::Map(_), true) => {
            let known = &["name", "description", "members", "tags", "customProperties", "authoritativeDefinitions"];
            if c.object(t, "team", known, true) {
                c.strings(t, "team", &["name", "description"]);
                for (i, m) in c.list(t, "team", "members").iter().enumerate() {
                    member(c, m, &index("team.members", i), v1);
                }
                port_extras(c, t, "team", v1);
            }
        }
        (_, false) => c.error(
            t.pos,
            "team",
            "`team` must be a list of members in ODPS v0.9".into(),
            "write `team:` as a list (`- username: …`), or declare `apiVersion: v1.0.0` to use a team object",
        ),
        (_, true) => c.error(
            t.pos,
            "team",
            "`team` must be a mapping with `name` and `members`".into(),
            "write `team:` with `name:` and `members:`",
        ),
    }
}

fn member(c: &mut Checker, m: &Node, path: &str, v1: bool) {
    let known = &[
        "username",
        "name",
        "description",
        "role",
        "dateIn",
        "dateOut",
        "replacedByUsername",
        "tags",
        "customProperties",
        "authoritativeDefinitions",
    ];
    if c.object(m, path, known, true) {
        if v1 {
            c.required(m, path, &["username"]);
        }
        c.strings(
            m,
            path,
            &[
                "username",
                "name",
                "description",
                "role",
                "dateIn",
                "dateOut",
                "replacedByUsername",
            ],
        );
        port_extras(c, m, path, v1);
    }
}

fn port_extras(c: &mut Checker, n: &Node, path: &str, v1: bool) {
    c.string_list(n, path, "tags");
    customs(c, n, path);
    definitions(c, n, path, v1);
}

fn definitions(c: &mut Checker, n: &Node, path: &str, v1: bool) {
    let p = join(path, "authoritativeDefinitions");
    for (i, a) in c
        .list(n, path, "authoritativeDefinitions")
        .iter()
        .enumerate()
    {
        let ap = index(&p, i);
        if c.object(a, &ap, &["type", "url", "description"], true) {
            c.required(a, &ap, &["type", "url"]);
            c.strings(a, &ap, &["url", "description"]);
            if v1 {
                c.strings(a, &ap, &["type"]);
            } else {
                c.one_of(a, &ap, "type", DEFINITION_TYPES_09);
            }
        }
    }
}

fn customs(c: &mut Checker, n: &Node, path: &str) {
    let p = join(path, "customProperties");
    for (i, cp) in c.list(n, path, "customProperties").iter().enumerate() {
        let cpp = index(&p, i);
        if c.object(cp, &cpp, &["property", "value", "description"], true) {
            c.required(cp, &cpp, &["property", "value"]);
            c.strings(cp, &cpp, &["property", "description"]);
        }
    }
}
