//! ODCS v2.2.2 rules, from the facts of its official JSON Schema.

use crate::validate::engine::{index, join, Checker};
use model::yaml::Node;

/// ODCS v2.2.2: the legacy layout (`uuid`, `dataset[].columns[]`); lenient about extra keys.
pub fn check(c: &mut Checker, doc: &Node) {
    if !c.object(doc, "", &[], false) {
        return;
    }
    c.required(
        doc,
        "",
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
    c.one_of(doc, "", "kind", &["DataContract"]);
    c.maps(doc, "", &["description"]);
    c.string_list(doc, "", "tags");
    if let Some(p) = doc.get("price") {
        c.numbers(p, "price", &["priceAmount"]);
    }
    for (i, r) in c.list(doc, "", "roles").iter().enumerate() {
        let rp = index("roles", i);
        if c.object(r, &rp, &[], false) {
            c.required(r, &rp, &["role", "access"]);
        }
    }
    c.strings(
        doc,
        "",
        &[
            "version",
            "uuid",
            "status",
            "datasetName",
            "quantumName",
            "datasetDomain",
            "apiVersion",
        ],
    );
    for (i, t) in c.list(doc, "", "dataset").iter().enumerate() {
        v2_table(c, t, &index("dataset", i));
    }
    for (i, s) in c.list(doc, "", "slaProperties").iter().enumerate() {
        let sp = index("slaProperties", i);
        if c.object(s, &sp, &[], false) {
            c.required(s, &sp, &["property", "value"]);
        }
    }
}

/// One `dataset[]` table of ODCS v2.2.2.
fn v2_table(c: &mut Checker, t: &Node, tp: &str) {
    if c.object(t, tp, &[], false) {
        c.required(t, tp, &["table"]);
        c.strings(t, tp, &["table", "physicalName", "description"]);
        for (j, col) in c.list(t, tp, "columns").iter().enumerate() {
            v2_column(c, col, &index(&join(tp, "columns"), j));
        }
        for (j, q) in c.list(t, tp, "quality").iter().enumerate() {
            let qp = index(&join(tp, "quality"), j);
            if c.object(q, &qp, &[], false) {
                c.required(q, &qp, &["templateName", "toolName"]);
            }
        }
    }
}

fn v2_column(c: &mut Checker, col: &Node, cp: &str) {
    if c.object(col, cp, &[], false) {
        c.required(col, cp, &["column", "logicalType", "physicalType"]);
        c.strings(
            col,
            cp,
            &["column", "logicalType", "physicalType", "description"],
        );
        c.booleans(
            col,
            cp,
            &[
                "isPrimaryKey",
                "isNullable",
                "isUnique",
                "partitionStatus",
                "clusterStatus",
                "criticalDataElementStatus",
            ],
        );
        c.integers(
            col,
            cp,
            &[
                "primaryKeyPosition",
                "partitionKeyPosition",
                "clusterKeyPosition",
            ],
            None,
        );
        c.list(col, cp, "sampleValues");
        c.list(col, cp, "tags");
    }
}
