//! Validation against a JSON Schema the user supplies (`meshdoc check --schema FILE`).
//!
//! A user's schema may use any keyword of any draft, so this uses the `jsonschema` crate (default
//! features off: no network or file resolution of remote `$ref`s). Each error's instance path is
//! walked back through the positioned YAML tree to name the line and column of the value.

use std::path::Path;

use model::error::{Error, Result};
use model::yaml::{Node, Pos, Value};

use super::Issue;

/// The user's schemas: one for contracts (ODCS, DCS), one for products.
#[derive(Debug, Default)]
pub struct UserSchemas {
    pub contract: Option<UserSchema>,
    pub product: Option<UserSchema>,
}

impl UserSchemas {
    pub fn is_empty(&self) -> bool {
        self.contract.is_none() && self.product.is_none()
    }
}

pub struct UserSchema {
    /// The file name, for messages.
    pub name: String,
    validator: jsonschema::Validator,
}

impl std::fmt::Debug for UserSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSchema")
            .field("name", &self.name)
            .finish()
    }
}

impl UserSchema {
    /// Read a schema file (JSON or YAML).
    pub fn load(path: &Path) -> Result<UserSchema> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let docs = model::yaml::parse_documents(&text).map_err(|e| {
            Error::Usage(format!(
                "{}: cannot read the schema: {}",
                path.display(),
                e.message
            ))
        })?;
        let Some(doc) = docs.first() else {
            return Err(Error::Usage(format!(
                "{}: the schema file is empty",
                path.display()
            )));
        };
        let validator = jsonschema::validator_for(&doc.to_json()).map_err(|e| {
            Error::Usage(format!("{}: not a usable JSON Schema: {e}", path.display()))
        })?;
        Ok(UserSchema {
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            validator,
        })
    }

    /// Every way `doc` fails the schema, located in the YAML.
    pub fn check(&self, doc: &Node) -> Vec<Issue> {
        let json = doc.to_json();
        let mut issues: Vec<Issue> = self
            .validator
            .iter_errors(&json)
            .map(|e| {
                let pointer = e.instance_path().as_str().to_string();
                let pos = locate(doc, &pointer);
                Issue::error(
                    pos,
                    pointer.clone(),
                    format!(
                        "{}{}",
                        if pointer.is_empty() {
                            String::new()
                        } else {
                            format!("at `{pointer}`: ")
                        },
                        e
                    ),
                    format!("the schema {} requires this", self.name),
                )
            })
            .collect();
        issues.sort_by(|a, b| a.pos.cmp(&b.pos).then_with(|| a.message.cmp(&b.message)));
        issues.dedup();
        issues
    }
}

/// The position of the node a JSON pointer names (the deepest one that exists).
pub fn locate(doc: &Node, pointer: &str) -> Pos {
    let mut node = doc;
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let next = match &node.value {
            Value::Map(_) => node.get(&token),
            Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node.pos
}
