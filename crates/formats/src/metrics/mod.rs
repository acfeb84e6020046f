//! meshdoc's own metric snapshots: the YAML form (`kind: MetricSnapshot`, one run of one product)
//! and the CSV form (`timestamp,metric,value[,outputPort][,product]`, a long series in one file).
//!
//! Every bad value costs one diagnostic with its file and line; the rest of the series stands.

mod csv;
mod snapshot;

pub use csv::{is_metric_header, parse_csv};
pub use snapshot::parse_snapshot;

use model::yaml::Node;
use model::Origin;

use crate::read::{plain_text, Ctx};
use crate::registry::Standard;
use crate::{Document, Kind, ParsedFile, Place};

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

    fn read(&self, ctx: &mut Ctx, doc: &Node, _kind: Kind, out: &mut Vec<Document>) {
        parse_snapshot(ctx, doc, out);
    }

    /// A CSV file is a metric series when its header is exactly a metric header, or when it lies
    /// under the metric paths (where a wrong header is an error).
    fn read_file(&self, text: &str, origin: &Origin, place: Place) -> Option<ParsedFile> {
        if !origin.path.to_ascii_lowercase().ends_with(".csv") {
            return None;
        }
        let (batch, diagnostics) = parse_csv(text, origin, place.metrics_path);
        Some(ParsedFile {
            documents: batch
                .map(|b| Document::Metrics(Box::new(b)))
                .into_iter()
                .collect(),
            diagnostics,
        })
    }
}
