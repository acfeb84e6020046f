//! Key lists of ODCS v3.x, shared by the reader (what is not here is an extension) and the rules
//! (what is not here is an unknown field). The rules list them in this order in their hints.

/// Top-level fields.
pub const KNOWN_V3: &[&str] = &[
    "version",
    "kind",
    "apiVersion",
    "id",
    "name",
    "tenant",
    "tags",
    "status",
    "servers",
    "dataProduct",
    "description",
    "domain",
    "schema",
    "support",
    "price",
    "team",
    "roles",
    "slaDefaultElement",
    "slaProperties",
    "authoritativeDefinitions",
    "customProperties",
    "contractCreatedTs",
];

/// Fields every schema element (object or property) has; v3.1 adds `id`.
pub const ELEMENT: &[&str] = &[
    "name",
    "physicalType",
    "description",
    "businessName",
    "authoritativeDefinitions",
    "tags",
    "customProperties",
];

/// Fields of a schema object beside [`ELEMENT`]; v3.1 adds `relationships`.
pub const OBJECT: &[&str] = &[
    "logicalType",
    "physicalName",
    "dataGranularityDescription",
    "properties",
    "quality",
];

/// Fields of a property beside [`ELEMENT`]; v3.1 adds `relationships`, v3.2 [`PROPERTY_V32`].
pub const PROPERTY: &[&str] = &[
    "primaryKey",
    "primaryKeyPosition",
    "logicalType",
    "logicalTypeOptions",
    "physicalName",
    "required",
    "unique",
    "partitioned",
    "partitionKeyPosition",
    "classification",
    "encryptedName",
    "transformSourceObjects",
    "transformLogic",
    "transformDescription",
    "examples",
    "criticalDataElement",
    "quality",
    "items",
    "properties",
];

/// Property fields new in v3.2.
pub const PROPERTY_V32: &[&str] = &["semanticType", "enum", "map"];

/// Fields added in v3.1 to elements.
pub const V31: &[&str] = &["id", "relationships"];
