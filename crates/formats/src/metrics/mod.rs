//! meshdoc's own metric snapshots: the YAML form (`kind: MetricSnapshot`, one run of one product)
//! and the CSV form (`timestamp,metric,value[,outputPort][,product]`, a long series in one file).
//!
//! Every bad value costs one diagnostic with its file and line; the rest of the series stands.

mod csv;
mod snapshot;

pub use csv::parse_csv;
pub use snapshot::parse_snapshot;

use model::yaml::Node;
use model::Origin;

use crate::read::{plain_text, Ctx};
use crate::registry::Standard;
use crate::{Document, Kind, ParsedFile};

pub struct Metrics;

impl Standard for Metrics {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::MetricSnapshot]
    }

    fn declared(&self, doc: &Node) -> Option<Kind> {
        let api = plain_text(doc, "apiVersion");
        (plain_text(doc, "kind") == "MetricSnapshot"
            && (api.is_empty() || api.starts_with("meshdoc/")))
        .then_some(Kind::MetricSnapshot)
    }

    fn markers(&self) -> &'static [&'static str] {
        &["kind: MetricSnapshot"]
    }

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse_snapshot(ctx, doc, out);
    }

    /// Every CSV file is offered as a metric series.
    fn read_file(&self, text: &str, origin: &Origin) -> Option<ParsedFile> {
        if !origin.path.to_ascii_lowercase().ends_with(".csv") {
            return None;
        }
        let (batch, diagnostics) = parse_csv(text, origin);
        Some(ParsedFile {
            documents: batch
                .map(|b| Document::Metrics(Box::new(b)))
                .into_iter()
                .collect(),
            diagnostics,
        })
    }
}
