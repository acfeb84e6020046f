//! Rule pieces the Bitol standards share (ODCS and Bitol ODPS are written by one project and
//! reuse each other's definitions): tags, authoritative definitions, custom properties and the
//! `context` block for AI agents (ODCS v3.2.0, ODPS v1.1.0).

use super::engine::{Spec, Ty};

pub const TAGS: Ty = Ty::List(&Ty::Str);
pub const AUTH: Ty = Ty::List(&Ty::Obj("authoritativeDefinition"));
pub const CUSTOM: Ty = Ty::List(&Ty::Obj("customProperty"));

/// The `context` object (instructions, verified statements, constraints) and its parts.
pub fn context(s: &mut Spec) {
    use Ty::{List, Obj, Str};
    s.obj(
        "context",
        true,
        &[
            ("instructions", Str),
            ("verifiedStatements", List(&Obj("context.statement"))),
            ("constraints", List(&Obj("context.constraint"))),
        ],
        &[],
    );
    s.obj(
        "context.statement",
        true,
        &[
            ("id", Str),
            ("question", Str),
            ("answer", Str),
            ("authoritativeDefinitions", AUTH),
            ("tags", TAGS),
            ("customProperties", CUSTOM),
        ],
        &["question"],
    );
    s.obj(
        "context.constraint",
        true,
        &[
            ("id", Str),
            ("constraint", Str),
            ("authoritativeDefinitions", AUTH),
            ("tags", TAGS),
            ("customProperties", CUSTOM),
        ],
        &["constraint"],
    );
}
