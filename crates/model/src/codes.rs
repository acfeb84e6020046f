//! Every diagnostic code meshdoc can emit, in one registry: the code, its usual severity and what
//! it means. A diagnostic can only be made from a [`Code`], so a new code is one line here (and one
//! row in README's table, which a test keeps equal to this list).

use std::fmt;

use crate::diagnostics::Severity;

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $meaning:literal; )*) => {
        /// A stable machine code of a diagnostic, e.g. `yaml-syntax`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $( #[doc = $meaning] $variant, )*
        }

        impl Code {
            /// Every code, in registry (README) order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in output: `duplicate-id`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity the code usually carries (a few are raised or lowered by context,
            /// as their meaning says).
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line on what the code means, for README and the health page.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning,)* }
            }

            /// The code written as `as_str` gives it.
            pub fn parse(text: &str) -> Option<Code> {
                match text { $($code => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax", Error, "the YAML/JSON of a manifest cannot be read (other files are passed over)";
    NotUtf8 = "not-utf8", Error, "a manifest that is not UTF-8";
    EmptyFile = "empty-file", Warning, "a file named like a manifest that is empty (or only comments)";
    NotAManifest = "not-a-manifest", Info, "a file named like a manifest in which no document declares a standard (not catalogued)";
    TemplateFile = "template-file", Info, "a manifest that looks like a template: template name or folder, placeholders in ids, names, versions or types, or template syntax YAML cannot read (not catalogued)";
    MissingField = "missing-field", Error, "a field the standard requires is missing or empty";
    WrongType = "wrong-type", Error, "a field has the wrong type (e.g. a list where a value belongs)";
    Schema = "schema", Error, "the document breaks a rule of its standard's schema, or of a JSON Schema given with `--schema`";
    SchemaTooDeep = "schema-too-deep", Warning, "contract properties nested deeper than meshdoc shows (deeper levels are left out)";
    DetailsLanguage = "details-language", Warning, "an opendataproducts.org ODPS `product.details` without a language block";
    DuplicateId = "duplicate-id", Error, "two documents define the same product or contract id with the same version (or both without one); the first, by source and path, is kept";
    RepeatedDocument = "repeated-document", Warning, "a document repeated word for word, in one file or across files (read once)";
    UnresolvedReference = "unresolved-reference", Warning, "a contract, product or agreement reference that no source defines";
    ContractClaimedTwice = "contract-claimed-twice", Warning, "two products expose the same contract";
    UnresolvedRef = "unresolved-ref", Warning, "a `$ref` (DCS definition, DPDS port file) that is missing or leaves its source";
    UnresolvedForeignKey = "unresolved-foreign-key", Warning, "a foreign key or relationship that names a contract, object or column no source defines";
    SourceUnreadable = "source-unreadable", Error, "a source folder or repository cannot be read";
    FileUnreadable = "file-unreadable", Error, "a file of a source cannot be read";
    FileTooLarge = "file-too-large", Warning, "a manifest larger than `max_file_bytes`, told by its name or the top-level keys at its start (skipped; other large files are passed over)";
    SymlinkOutsideSource = "symlink-outside-source", Warning, "a symbolic link that leads out of its repository (not followed)";
    UnsafePath = "unsafe-path", Warning, "a repository entry whose path git itself refuses (`..`, `.`, an empty or absolute component, a backslash); not read";
    IgnorePattern = "ignore-pattern", Warning, "a line of `.meshdocignore` that is not a valid pattern (skipped)";
    BadSource = "bad-source", Error, "a `[[sources]]` entry that cannot be used (no such folder, no match, bad glob)";
    EmptySource = "empty-source", Warning, "a source pattern that matches no folder or repository";
    UnknownRef = "unknown-ref", Error, "a git ref that does not exist";
    CloneFailed = "clone-failed", Error, "a remote repository that cannot be cloned";
    FetchFailed = "fetch-failed", Warning, "a remote that cannot be fetched: the stale cached clone is used";
    ShallowRepository = "shallow-repository", Warning, "a shallow clone: history ends early";
    HistoryIncomplete = "history-incomplete", Warning, "the history of a file could not be read to its start";
    NoManifests = "no-manifests", Info, "a repository with no manifest files (at that ref, under `paths`)";
    VersionNotBumped = "version-not-bumped", Warning, "a contract version with breaking changes kept its declared version";
    ExternalSystem = "external-system", Info, "an input port reads a system that is not described anywhere";
    MetricSnapshotVersion = "metric-snapshot-version", Warning, "a metric snapshot file with an unknown `apiVersion` (read as `meshdoc/v1`)";
    MetricCsvHeader = "metric-csv-header", Error, "a CSV under the metric paths (`[metrics] paths`) without `timestamp,metric,value`";
    MetricCsvRow = "metric-csv-row", Error, "a metric CSV row that cannot be read (wrong field count, broken quotes, empty name)";
    MetricValue = "metric-value", Error, "a metric value that is not a number";
    MetricTimestamp = "metric-timestamp", Error, "a snapshot timestamp that is not RFC 3339";
    MetricFutureTimestamp = "metric-future-timestamp", Warning, "a snapshot time after the build's clock (the values are ignored)";
    MetricDuplicate = "metric-duplicate", Warning, "a second value for the same product, port, metric and time (the first is kept)";
    MetricUnknownProduct = "metric-unknown-product", Warning, "a snapshot for a product that no source defines";
    MetricUnknownPort = "metric-unknown-port", Warning, "a snapshot for an output port that its product does not have";
    LineageSelfReference = "lineage-self-reference", Warning, "a port, agreement or column names its own product/column as source";
    LineageCycle = "lineage-cycle", Warning, "products read from each other (the message names one concrete loop)";
    PortWithoutSource = "port-without-source", Warning, "a DPS input port names no product, contract or source system";
    UnresolvedColumnSource = "unresolved-column-source", Warning, "column lineage names something that looks like a typo of a known contract";
    ExternalColumnSource = "external-column-source", Info, "column lineage names a table outside the mesh (shown as an external node)";
    DcsDeprecated = "dcs-deprecated", Info, "a Data Contract Specification contract: its authors deprecated the standard (maintained until the end of 2026); ODCS is the successor";
    NewerStandardVersion = "newer-standard-version", Info, "a document declares a newer version of its standard than meshdoc knows (checked against the latest rules meshdoc has; findings are warnings)";
    DocTooLarge = "doc-too-large", Warning, "a documentation file (markdown over 512 KiB, an image over 2 MiB) beside the manifests is too large to publish (not shown)";
    DocImageInvalid = "doc-image-invalid", Warning, "a file named as an image in a `docs/` folder is not a PNG, JPEG, GIF or WebP by its content (not published)";
    DocLinkOutside = "doc-link-outside", Warning, "a link or image in documentation leads out of its repository (shown as inert text; nothing outside is read)";
    DocLinkMissing = "doc-link-missing", Warning, "a link to a markdown page or an image in documentation names a file the repository does not have, or one not published (shown as inert text)";
    DocLinkUnpublished = "doc-link-unpublished", Info, "a relative link in documentation names a repository file that is not a page of the site (shown as text)";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

/// Ordered by the written code, so that sorted diagnostics read alphabetically by code.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Code::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{text}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert!(!c.meaning().is_empty());
        }
    }
}
