//! ODCS v2.2.x rules (v2.2.1, v2.2.2), from the facts of their official JSON Schemas: the legacy
//! layout (`uuid`, `dataset[].columns[]`), open everywhere (extra keys are allowed).

use std::sync::OnceLock;

use crate::validate::engine::{Spec, Ty};

/// The ODCS v2 versions meshdoc has rules for, oldest first.
pub const VERSIONS: &[&str] = &["v2.2.1", "v2.2.2"];

pub fn spec(version: &str) -> &'static Spec {
    static SPECS: OnceLock<[Spec; 2]> = OnceLock::new();
    let [v221, v222] = SPECS.get_or_init(|| {
        let v221 = v2_2_1();
        let v222 = v2_2_2(v221.clone());
        [v221, v222]
    });
    if version == "v2.2.1" {
        v221
    } else {
        v222
    }
}

const STRINGS: Ty = Ty::List(&Ty::Str);

// Kept whole: a table of this version's schema (objects, fields, types), read side by side with it.
fn v2_2_1() -> Spec {
    use Ty::*;
    let mut s = Spec::new("ODCS v2.2.1", "contract");
    let mut top: Vec<(&'static str, Ty)> = vec![
        ("version", Str),
        ("kind", Enum(&["DataContract"])),
        ("apiVersion", Pattern(&API_VERSION)),
    ];
    for key in [
        "uuid",
        "datasetKind",
        "userConsumptionMode",
        "type",
        "tenant",
        "status",
        "sourceSystem",
        "sourcePlatform",
        "server",
        "quantumName",
        "productSlackChannel",
        "productFeedbackUrl",
        "productDl",
        "username",
        "password",
        "driverVersion",
        "driver",
        "project",
        "datasetName",
        "datasetDomain",
        "database",
        "slaDefaultColumn",
    ] {
        top.push((key, Str));
    }
    top.extend([
        ("tags", STRINGS),
        ("description", Obj("description")),
        ("dataset", List(&Obj("dataset"))),
        ("price", Obj("price")),
        ("stakeholders", List(&Obj("stakeholder"))),
        ("roles", List(&Obj("role"))),
        ("slaProperties", List(&Obj("sla"))),
    ]);
    s.obj(
        "contract",
        false,
        &top,
        &[
            "version",
            "kind",
            "uuid",
            "type",
            "status",
            "dataset",
            "datasetName",
            "quantumName",
        ],
    );
    s.obj(
        "description",
        false,
        &[("usage", Str), ("purpose", Str), ("limitations", Str)],
        &[],
    );
    s.obj(
        "dataset",
        false,
        &[
            ("table", Str),
            ("physicalName", Str),
            ("priorTableName", Str),
            ("description", STRINGS),
            (
                "authoritativeDefinitions",
                List(&Obj("authoritativeDefinition")),
            ),
            ("dataGranularity", Str),
            ("columns", List(&Obj("column"))),
            ("quality", List(&Obj("quality"))),
        ],
        &["table"],
    );
    s.obj(
        "column",
        false,
        &[
            ("column", Str),
            ("isPrimaryKey", Str),
            ("primaryKeyPosition", Int),
            ("businessName", Str),
            ("logicalType", Str),
            ("physicalType", Str),
            ("description", Str),
            ("isNullable", Bool),
            ("isUnique", Bool),
            ("partitionStatus", Bool),
            ("partitionKeyPosition", Int),
            ("clusterStatus", Bool),
            ("clusterKeyPosition", Int),
            ("classification", Str),
            (
                "authoritativeDefinitions",
                List(&Obj("authoritativeDefinition")),
            ),
            ("encryptedColumnName", Str),
            ("transformSourceTables", STRINGS),
            ("transformLogic", Str),
            ("transformDescription", Str),
            ("sampleValues", STRINGS),
            ("criticalDataElementStatus", Bool),
            ("tags", STRINGS),
        ],
        &["column", "logicalType", "physicalType"],
    );
    let mut quality: Vec<(&'static str, Ty)> = [
        "code",
        "templateName",
        "description",
        "toolName",
        "toolRuleName",
        "dimension",
        "columns",
        "column",
        "type",
        "severity",
        "businessImpact",
        "scheduleCronExpression",
    ]
    .into_iter()
    .map(|k| (k, Str))
    .collect();
    quality.push(("customProperties", List(&Obj("customProperty"))));
    s.obj("quality", false, &quality, &["templateName", "toolName"]);
    s.obj(
        "authoritativeDefinition",
        false,
        &[("url", Str), ("type", Str)],
        &["url", "type"],
    );
    s.obj(
        "price",
        false,
        &[
            ("priceAmount", Str),
            ("priceCurrency", Str),
            ("priceUnit", Str),
        ],
        &[],
    );
    s.obj(
        "stakeholder",
        false,
        &[
            ("username", Str),
            ("role", Str),
            ("dateIn", Str),
            ("dateOut", Str),
            ("replacedByUsername", Str),
        ],
        &[],
    );
    s.obj(
        "role",
        false,
        &[
            ("role", Str),
            ("access", Str),
            ("firstLevelApprovers", Str),
            ("secondLevelApprovers", Str),
        ],
        &["role", "access"],
    );
    s.obj(
        "sla",
        false,
        &[
            ("property", Str),
            ("value", Str),
            ("valueExt", Str),
            ("unit", Str),
            ("column", Str),
            ("driver", Str),
        ],
        &["property", "value"],
    );
    s.obj(
        "customProperty",
        false,
        &[("property", Str), ("value", Map)],
        &[],
    );
    s
}

static API_VERSION: crate::validate::engine::Pattern = crate::validate::engine::Pattern::new(
    r"^v[0-9]+\.[0-9]+\.[0-9]+",
    "a version such as `v2.2.2`",
);

/// v2.2.2: a table's description is text, `isPrimaryKey` a boolean, the price a number, and SLA
/// values text or numbers.
fn v2_2_2(mut s: Spec) -> Spec {
    s.label = "ODCS v2.2.2";
    let set = |s: &mut Spec, obj: &str, key: &str, ty: Ty| {
        if let Some(f) = s.edit(obj).fields.iter_mut().find(|(k, _)| *k == key) {
            f.1 = ty;
        }
    };
    set(&mut s, "dataset", "description", Ty::Str);
    set(&mut s, "column", "isPrimaryKey", Ty::Bool);
    set(&mut s, "price", "priceAmount", Ty::Num);
    set(&mut s, "sla", "value", Ty::StrOrNum);
    set(&mut s, "sla", "valueExt", Ty::StrOrNum);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_is_complete() {
        for v in VERSIONS {
            assert_eq!(spec(v).dangling(), Vec::<String>::new(), "{v}");
        }
    }
}
