//! A contract fed into the input hash field by field, not through serde's visitor. Its schema is
//! most of what the entity hashes read on every build (200,000 schema properties at 10,000
//! contracts, 36 fields each and most of them empty, every one visited through serde): here an
//! empty field costs a branch. Each struct is taken apart without `..`, so a field added to the
//! model does not compile until it is fed here; the fields that are not schema go through serde
//! as before ([`StreamHash::json_apart`], commit ids of origins aside).
//!
//! What is fed: each field that holds something as its place in its struct (counted from 1),
//! then its value, framed (a length before texts and lists, serde's own framing for the rest);
//! the struct closes with [`END`]. A field left empty feeds nothing: the places of the fields fed
//! tell which were there.

use std::hash::Hasher;

use model::{DataContract, FileVersion, SchemaObject, SchemaProperty};
use serde::Serialize;

use super::StreamHash;

/// Closes a struct: no place is this large.
const END: u64 = u64::MAX;
/// What a history version's text is: the contract's own text, another, none.
const SOURCE_TEXT: u64 = 1;
const TEXT: u64 = 2;
const NO_TEXT: u64 = 3;

/// The fields of one struct, fed in order.
struct Fields<'h> {
    h: &'h mut StreamHash,
    commits: &'h mut StreamHash,
    place: u64,
}

impl<'h> Fields<'h> {
    fn new(h: &'h mut StreamHash, commits: &'h mut StreamHash) -> Self {
        Fields {
            h,
            commits,
            place: 0,
        }
    }

    /// The next field's place, fed when the field holds something.
    fn at(&mut self, present: bool) -> bool {
        self.place += 1;
        if present {
            self.h.number(self.place);
        }
        present
    }

    /// Any value, through serde (fed whole, even when empty).
    fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.at(true);
        self.h.json_apart(self.commits, value);
    }

    /// A list through serde, when it holds something.
    fn list<T: Serialize>(&mut self, value: &[T]) {
        if self.at(!value.is_empty()) {
            self.h.json_apart(self.commits, value);
        }
    }

    fn text(&mut self, value: &str) {
        self.at(true);
        text(self.h, value);
    }

    fn opt(&mut self, value: Option<&str>) {
        if self.at(value.is_some()) {
            text(self.h, value.unwrap_or_default());
        }
    }

    fn flag(&mut self, value: bool) {
        self.at(value);
    }

    fn int(&mut self, value: Option<i64>) {
        if self.at(value.is_some()) {
            self.h.number(value.unwrap_or_default() as u64);
        }
    }

    fn texts(&mut self, value: &[String]) {
        if self.at(!value.is_empty()) {
            self.h.number(value.len() as u64);
            for v in value {
                text(self.h, v);
            }
        }
    }

    fn properties(&mut self, value: &[SchemaProperty]) {
        if self.at(!value.is_empty()) {
            self.h.number(value.len() as u64);
            for p in value {
                property(self.h, self.commits, p);
            }
        }
    }

    fn end(self) {
        self.h.number(END);
    }
}

/// A text framed by its length.
fn text(h: &mut StreamHash, value: &str) {
    h.number(value.len() as u64);
    Hasher::write(h, value.as_bytes());
}

/// The whole contract, as [`StreamHash::json_apart`] would take it (commit ids into `commits`),
/// its schema by hand.
pub(super) fn contract(h: &mut StreamHash, commits: &mut StreamHash, c: &DataContract) {
    let DataContract {
        id,
        slug,
        name,
        version,
        status,
        domain,
        owner,
        data_product,
        description,
        description_parts,
        tags,
        schema,
        quality,
        sla,
        servers,
        support,
        members,
        roles,
        pricing,
        terms,
        links,
        custom,
        extensions,
        standard,
        origin,
        history,
        source_text,
        // A note between the reader and the changelog, never shown (serde skips it too).
        read_as_newest_version: _,
        data_product_at,
        tenant,
        created,
        examples,
        definitions,
        schema_specification,
        team,
        guidance,
    } = c;
    let mut f = Fields::new(h, commits);
    f.text(id);
    f.text(slug);
    f.text(name);
    f.opt(version.as_deref());
    f.opt(status.as_deref());
    f.opt(domain.as_deref());
    f.opt(owner.as_deref());
    f.opt(data_product.as_deref());
    f.opt(description.as_deref());
    f.list(description_parts);
    f.texts(tags);
    if f.at(!schema.is_empty()) {
        f.h.number(schema.len() as u64);
        for o in schema {
            object(f.h, f.commits, o);
        }
    }
    f.list(quality);
    f.list(sla);
    f.list(servers);
    f.list(support);
    f.list(members);
    f.list(roles);
    f.opt(pricing.as_deref());
    f.list(terms);
    f.list(links);
    f.list(custom);
    f.list(extensions);
    f.serde(standard);
    f.serde(origin);
    // The newest version's text is the file's text, fed once (a contract's texts were a
    // third of its hash).
    if f.at(!history.is_empty()) {
        f.h.number(history.len() as u64);
        for v in history {
            let FileVersion { change, content } = v;
            f.h.json_apart(f.commits, change);
            match content.as_deref() {
                Some(own) if Some(own) == source_text.as_deref() => {
                    f.h.number(SOURCE_TEXT);
                }
                Some(content) => {
                    f.h.number(TEXT);
                    text(f.h, content);
                }
                None => {
                    f.h.number(NO_TEXT);
                }
            }
        }
    }
    f.opt(source_text.as_deref());
    f.serde(data_product_at);
    f.opt(tenant.as_deref());
    f.opt(created.as_deref());
    f.list(examples);
    f.properties(definitions);
    f.serde(schema_specification);
    f.serde(team);
    f.serde(guidance);
    f.end();
}

fn object(h: &mut StreamHash, commits: &mut StreamHash, o: &SchemaObject) {
    let SchemaObject {
        name,
        physical_name,
        kind,
        business_name,
        description,
        properties,
        quality,
        custom,
        definitions,
        tags,
        granularity,
        relationships,
        extensions,
        logical_type,
        element_id,
        primary_key,
        examples,
        synonyms,
        guidance,
    } = o;
    let mut f = Fields::new(h, commits);
    f.text(name);
    f.opt(physical_name.as_deref());
    f.opt(kind.as_deref());
    f.opt(business_name.as_deref());
    f.opt(description.as_deref());
    f.properties(properties);
    f.list(quality);
    f.list(custom);
    f.list(definitions);
    f.texts(tags);
    f.opt(granularity.as_deref());
    f.list(relationships);
    f.list(extensions);
    f.opt(logical_type.as_deref());
    f.opt(element_id.as_deref());
    f.texts(primary_key);
    f.texts(examples);
    f.list(synonyms);
    f.serde(guidance);
    f.end();
}

fn property(h: &mut StreamHash, commits: &mut StreamHash, p: &SchemaProperty) {
    let SchemaProperty {
        name,
        business_name,
        logical_type,
        physical_type,
        description,
        required,
        unique,
        primary_key,
        primary_key_position,
        partitioned,
        classification,
        pii,
        examples,
        enum_values,
        references,
        tags,
        quality,
        custom,
        properties,
        physical_name,
        type_options,
        partition_key_position,
        critical,
        relationships,
        definitions,
        transform,
        extensions,
        lineage,
        semantic_type,
        element_id,
        enum_details,
        synonyms,
        definition_ref,
        config,
        notes,
    } = p;
    let mut f = Fields::new(h, commits);
    f.text(name);
    f.opt(business_name.as_deref());
    f.opt(logical_type.as_deref());
    f.opt(physical_type.as_deref());
    f.opt(description.as_deref());
    f.flag(*required);
    f.flag(*unique);
    f.flag(*primary_key);
    f.int(*primary_key_position);
    f.flag(*partitioned);
    f.opt(classification.as_deref());
    f.flag(*pii);
    f.texts(examples);
    f.texts(enum_values);
    f.opt(references.as_deref());
    f.texts(tags);
    f.list(quality);
    f.list(custom);
    f.properties(properties);
    f.opt(physical_name.as_deref());
    f.list(type_options);
    f.int(*partition_key_position);
    f.flag(*critical);
    f.list(relationships);
    f.list(definitions);
    f.list(transform);
    f.list(extensions);
    f.texts(lineage);
    f.opt(semantic_type.as_deref());
    f.opt(element_id.as_deref());
    f.list(enum_details);
    f.list(synonyms);
    f.opt(definition_ref.as_deref());
    f.list(config);
    f.list(notes);
    f.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(c: &DataContract) -> u64 {
        let (mut h, mut commits) = (StreamHash::default(), StreamHash::default());
        contract(&mut h, &mut commits, c);
        h.finish()
    }

    fn column(name: &str) -> SchemaProperty {
        SchemaProperty {
            name: name.into(),
            ..SchemaProperty::default()
        }
    }

    fn with(columns: Vec<SchemaProperty>) -> DataContract {
        DataContract {
            id: "orders".into(),
            schema: vec![SchemaObject {
                name: "orders".into(),
                properties: columns,
                ..SchemaObject::default()
            }],
            ..DataContract::default()
        }
    }

    /// Every edit of a column shows, and no two edits hash alike: a value moved to another
    /// field, a flag set on another column, a column moved into another are all told apart.
    #[test]
    fn each_edit_of_a_schema_changes_the_hash_and_no_two_agree() {
        let base = || vec![column("id"), column("total")];
        let mut edits: Vec<Vec<SchemaProperty>> = vec![base()];
        let mut edit = |change: &dyn Fn(&mut Vec<SchemaProperty>)| {
            let mut columns = base();
            change(&mut columns);
            edits.push(columns);
        };
        edit(&|c| c[0].description = Some("x".into()));
        edit(&|c| c[0].business_name = Some("x".into()));
        edit(&|c| c[1].description = Some("x".into()));
        edit(&|c| c[0].required = true);
        edit(&|c| c[0].unique = true);
        edit(&|c| c[1].required = true);
        edit(&|c| c[0].primary_key_position = Some(1));
        edit(&|c| c[0].partition_key_position = Some(1));
        edit(&|c| c[0].tags = vec!["x".into()]);
        edit(&|c| c[0].examples = vec!["x".into()]);
        edit(&|c| c[0].tags = vec!["x".into(), String::new()]);
        edit(&|c| c[0].name = "idx".into());
        edit(&|c| {
            let total = c.remove(1);
            c[0].properties.push(total);
        });
        edit(&|c| c.reverse());
        edit(&|c| {
            c[0].custom.push(model::Property {
                key: "x".into(),
                value: serde_json::json!(1),
                description: None,
            })
        });
        let hashes: Vec<u64> = edits.iter().map(|e| hash(&with(e.clone()))).collect();
        let distinct: std::collections::HashSet<&u64> = hashes.iter().collect();
        assert_eq!(distinct.len(), hashes.len(), "{hashes:?}");
        assert_eq!(hash(&with(base())), hash(&with(base())));
    }

    /// The commit an origin names is set apart, as for every entity: a new commit alone leaves
    /// the content hash as it was.
    #[test]
    fn the_origin_commit_is_set_apart() {
        let at = |commit: &str| {
            let mut c = with(vec![column("id")]);
            c.origin.commit = Some(commit.into());
            let (mut h, mut commits) = (StreamHash::default(), StreamHash::default());
            contract(&mut h, &mut commits, &c);
            (h.finish(), commits.finish())
        };
        assert_eq!(at("aaaa").0, at("bbbb").0);
        assert_ne!(at("aaaa").1, at("bbbb").1);
    }

    /// A version's text is fed once when it is the file's own text, and still counts: the same
    /// text shared or read twice hashes alike, another text or none differs.
    #[test]
    fn a_history_text_counts_whether_or_not_it_is_the_files_own() {
        let own: std::sync::Arc<str> = "a: 1\n".into();
        let version = |content: Option<std::sync::Arc<str>>| FileVersion {
            change: model::Change::default(),
            content,
        };
        let with_history = |content: Option<std::sync::Arc<str>>| {
            let mut c = with(vec![column("id")]);
            c.source_text = Some(own.clone());
            c.history = vec![version(content)];
            hash(&c)
        };
        let shared = with_history(Some(own.clone()));
        assert_eq!(shared, with_history(Some("a: 1\n".into())));
        let hashes = [
            shared,
            with_history(Some("a: 2\n".into())),
            with_history(None),
        ];
        assert!(hashes[0] != hashes[1] && hashes[1] != hashes[2] && hashes[0] != hashes[2]);
    }
}
