//! Reading CSV metric series (`timestamp,metric,value[,outputPort][,product]`).

use std::borrow::Cow;
use std::collections::HashMap;

use model::diagnostics::cap;
use model::diagnostics::{Diagnostic, Severity};
use model::measure::{MetricBatch, RawPoint, RawSeries};
use model::time::parse_timestamp;
use model::Code;
use model::Origin;

/// Split one CSV line (RFC 4180 quoting; a field never spans lines).
fn split_fields<'a>(line: &'a str, out: &mut Vec<Cow<'a, str>>) -> Result<(), String> {
    out.clear();
    if !line.contains('"') {
        out.extend(line.split(',').map(|f| Cow::Borrowed(f.trim())));
        return Ok(());
    }
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i < b.len() && b[i] == b'"' {
            let mut field = String::new();
            let mut start = i + 1;
            let mut j = start;
            loop {
                match b.get(j) {
                    None => {
                        return Err(format!(
                            "a quoted field opened at column {} is not closed",
                            i + 1
                        ))
                    }
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => {
                        field.push_str(&line[start..=j]);
                        j += 2;
                        start = j;
                    }
                    Some(b'"') => {
                        field.push_str(&line[start..j]);
                        j += 1;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            out.push(Cow::Owned(field));
            match b.get(j) {
                None => return Ok(()),
                Some(b',') => i = j + 1,
                Some(_) => {
                    return Err(format!(
                        "unexpected text after the closing quote at column {}",
                        j + 1
                    ))
                }
            }
        } else {
            let end = line[i..].find(',').map_or(b.len(), |e| i + e);
            let field = &line[i..end];
            if field.contains('"') {
                return Err(format!(
                    "a quote inside an unquoted field at column {}",
                    i + field.find('"').unwrap_or(0) + 1
                ));
            }
            out.push(Cow::Borrowed(field.trim()));
            if end == b.len() {
                return Ok(());
            }
            i = end + 1;
        }
    }
}

/// Product, output port and metric of a row, borrowed from the file's text where possible.
type SeriesKey<'a> = (Cow<'a, str>, Option<Cow<'a, str>>, Cow<'a, str>);

/// The product a CSV without a `product` column belongs to: its file name.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Where the columns of a metric series are, found from its header.
struct Columns {
    ts: usize,
    metric: usize,
    value: usize,
    port: Option<usize>,
    product: Option<usize>,
    width: usize,
}

/// The columns of a metric header, by their exact names (case, `_` and `-` aside).
const EXACT: &[&str] = &["timestamp", "metric", "value", "outputport", "product"];

impl Columns {
    /// None when the header is not a metric header. `exact`: every column must be one of
    /// [`EXACT`], each once (how a metric CSV is told from any data CSV); else the usual aliases
    /// (`time`, `ts`, `name`, `port`, `productId`) and extra columns are accepted too.
    fn find(header: &str, exact: bool) -> Option<Columns> {
        let mut fields: Vec<Cow<str>> = Vec::new();
        split_fields(header, &mut fields).ok()?;
        let normal: Vec<String> = fields
            .iter()
            .map(|f| f.to_ascii_lowercase().replace(['_', '-', ' '], ""))
            .collect();
        if exact {
            let known = normal.iter().all(|f| EXACT.contains(&f.as_str()));
            let once = normal
                .iter()
                .enumerate()
                .all(|(i, f)| !normal[..i].contains(f));
            if !(known && once) {
                return None;
            }
        }
        let col = |names: &[&str]| normal.iter().position(|f| names.contains(&f.as_str()));
        let (ts, metric, value) = if exact {
            (col(&["timestamp"]), col(&["metric"]), col(&["value"]))
        } else {
            (
                col(&["timestamp", "time", "ts"]),
                col(&["metric", "name"]),
                col(&["value"]),
            )
        };
        let port = col(&["outputport", "port"]);
        let product = col(&["product", "productid", "dataproduct"]);
        Some(Columns {
            ts: ts?,
            metric: metric?,
            value: value?,
            port,
            product,
            width: fields.len(),
        })
    }
}

/// Whether a CSV header line is exactly a metric header (`timestamp,metric,value` and the
/// optional `outputPort` and `product`).
pub fn is_metric_header(line: &str) -> bool {
    Columns::find(line.trim_end_matches('\r'), true).is_some()
}

/// One good row: its time, value and series.
struct Row<'a> {
    ts: i64,
    value: f64,
    key: SeriesKey<'a>,
}

/// Read a CSV series. A CSV whose header is exactly a metric header is one anywhere; under the
/// metric paths (`metrics_path`) every CSV must be one, so a wrong header there is an error; any
/// other CSV is data and is passed over quietly.
pub fn parse_csv(
    text: &str,
    origin: &Origin,
    metrics_path: bool,
) -> (Option<MetricBatch>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((header_line, header)) = lines.next() else {
        return (None, diagnostics);
    };
    let Some(columns) = Columns::find(header, !metrics_path) else {
        if metrics_path {
            diagnostics.push(at(
                origin,
                Code::MetricCsvHeader,
                header_line,
                format!("a metric series needs the columns timestamp, metric and value; the header is `{}`", header.trim()),
                "start the file with the line `timestamp,metric,value` (optionally `,outputPort` and `,product`)",
            ));
        }
        return (None, diagnostics);
    };
    let default_product = file_stem(&origin.path);
    let mut index: HashMap<SeriesKey, usize> = HashMap::new();
    let mut series: Vec<RawSeries> = Vec::new();
    let mut fields: Vec<Cow<str>> = Vec::new();
    for (line, row_text) in lines {
        let row = match read_row(row_text, &columns, default_product, &mut fields) {
            Ok(row) => row,
            Err((code, message, hint)) => {
                diagnostics.push(at(origin, code, line, message, hint));
                continue;
            }
        };
        let si = match index.get(&row.key) {
            Some(&si) => si,
            None => {
                series.push(RawSeries {
                    product: row.key.0.to_string(),
                    contract: None,
                    port: row.key.1.as_ref().map(|p| p.to_string()),
                    metric: row.key.2.to_string(),
                    line: line as u32,
                    points: Vec::new(),
                });
                index.insert(row.key, series.len() - 1);
                series.len() - 1
            }
        };
        series[si].points.push(RawPoint {
            ts: row.ts,
            value: row.value,
            line: line as u32,
        });
    }
    drop(index);
    let batch = MetricBatch {
        origin: origin.clone(),
        series,
        timestamp_line: None,
    };
    (Some(batch), cap(diagnostics))
}

/// An error at the start of a line of the file.
fn at(origin: &Origin, code: Code, line: usize, message: String, hint: &str) -> Diagnostic {
    Diagnostic::new(Severity::Error, code, message)
        .at_file(&origin.source, &origin.path)
        .at(line as u32, 1)
        .hint(hint)
}

/// What is wrong with a row: code, message and hint.
type RowError = (Code, String, &'static str);

/// One data row; every way it can be wrong is one error.
fn read_row<'a>(
    text: &'a str,
    columns: &Columns,
    default_product: &'a str,
    fields: &mut Vec<Cow<'a, str>>,
) -> Result<Row<'a>, RowError> {
    if let Err(message) = split_fields(text, fields) {
        return Err((
            Code::MetricCsvRow,
            format!("cannot read this row: {message}"),
            "quote a field that contains a comma with \"…\", and double a quote inside it",
        ));
    }
    if fields.len() != columns.width {
        return Err((
            Code::MetricCsvRow,
            format!(
                "this row has {} field{}; the header has {}",
                fields.len(),
                if fields.len() == 1 { "" } else { "s" },
                columns.width
            ),
            "each row needs one value per header column, separated by commas",
        ));
    }
    let ts = parse_timestamp(&fields[columns.ts]).map_err(|message| {
        (
            Code::MetricTimestamp,
            message,
            "write RFC 3339 with a time zone, e.g. 2026-11-25T06:00:00Z",
        )
    })?;
    let metric = &fields[columns.metric];
    if metric.is_empty() {
        return Err((
            Code::MetricCsvRow,
            "the metric name is empty".into(),
            "name the metric, e.g. rowCount or freshnessMinutes",
        ));
    }
    let raw_value = &fields[columns.value];
    let value = match raw_value.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            return Err((
                Code::MetricValue,
                format!("metric `{metric}` must be a number, found `{raw_value}`"),
                "write a plain number such as 42 or 0.998 (no units, no thousands separators)",
            ))
        }
    };
    let product: Cow<str> = match columns.product {
        Some(c) if fields[c].is_empty() => {
            return Err((
                Code::MetricCsvRow,
                "the product column is empty".into(),
                "write the id of the data product measured",
            ))
        }
        Some(c) => fields[c].clone(),
        None => Cow::Borrowed(default_product),
    };
    let port = columns
        .port
        .map(|c| fields[c].clone())
        .filter(|p| !p.is_empty());
    Ok(Row {
        ts,
        value,
        key: (product, port, fields[columns.metric].clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(path: &str) -> Origin {
        Origin {
            source: "repo".into(),
            path: path.into(),
            line: 1,
            ..Origin::default()
        }
    }

    #[test]
    fn csv_series_grouped_by_metric_with_lines() {
        let text = "timestamp,metric,value\n2026-11-24T06:00:00Z,rowCount,100\n2026-11-24T06:00:00Z,freshnessMinutes,42\n\n2026-11-25T06:00:00Z,rowCount,110\n";
        let (batch, diags) = parse_csv(text, &origin("metrics/orders.csv"), true);
        assert!(diags.is_empty(), "{diags:?}");
        let batch = batch.unwrap();
        assert_eq!(batch.series.len(), 2);
        let rows = &batch.series[0];
        assert_eq!(
            (rows.product.as_str(), rows.metric.as_str()),
            ("orders", "rowCount")
        );
        assert_eq!(
            rows.points.iter().map(|p| p.line).collect::<Vec<_>>(),
            vec![2, 5]
        );
        assert_eq!(rows.points[1].value, 110.0);
    }

    #[test]
    fn csv_with_product_and_port_columns_and_quotes() {
        let text = "product,outputPort,timestamp,metric,value\r\n\"orders\",main,2026-11-25,\"row\"\"Count\",\"1,5\"\r\nstock,,2026-11-25,rowCount,7\r\n";
        let (batch, diags) = parse_csv(text, &origin("all.csv"), false);
        // "1,5" is not a number: one diagnostic on line 2, the other row stands.
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].code.as_str(), diags[0].line),
            ("metric-value", Some(2))
        );
        let batch = batch.unwrap();
        assert_eq!(batch.series.len(), 1);
        assert_eq!(batch.series[0].product, "stock");
        assert_eq!(batch.series[0].port, None);
    }

    #[test]
    fn broken_rows_cost_one_diagnostic_each() {
        let text = "timestamp,metric,value,outputPort\n\
                    2026-11-20T06:00:00Z,rowCount,1,main\n\
                    2026-11-21T06:00:00Z,rowCount\n\
                    yesterday,rowCount,3,main\n\
                    2026-11-23T06:00:00Z,rowCount,lots,main\n\
                    2026-11-24T06:00:00Z,\"rowCount,5,main\n\
                    2026-11-25T06:00:00Z,,5,main\n\
                    2026-11-26T06:00:00Z,rowCount,6,main\n";
        let (batch, diags) = parse_csv(text, &origin("metrics/orders.csv"), true);
        let got: Vec<(&str, Option<u32>)> =
            diags.iter().map(|d| (d.code.as_str(), d.line)).collect();
        assert_eq!(
            got,
            vec![
                ("metric-csv-row", Some(3)),
                ("metric-timestamp", Some(4)),
                ("metric-value", Some(5)),
                ("metric-csv-row", Some(6)),
                ("metric-csv-row", Some(7)),
            ]
        );
        assert!(diags
            .iter()
            .all(|d| d.file == "metrics/orders.csv" && d.hint.is_some()));
        let points = &batch.unwrap().series[0].points;
        assert_eq!(
            points.iter().map(|p| p.value).collect::<Vec<_>>(),
            vec![1.0, 6.0]
        );
    }

    #[test]
    fn non_metric_csv_is_ignored_but_a_bad_header_in_metrics_is_not() {
        let (batch, diags) = parse_csv("sku,name\n1,Apples\n", &origin("seeds/skus.csv"), false);
        assert!(batch.is_none() && diags.is_empty());
        let (batch, diags) = parse_csv("ts,value\n", &origin("metrics/orders.csv"), true);
        assert!(batch.is_none());
        assert_eq!(
            (diags[0].code.as_str(), diags[0].line),
            ("metric-csv-header", Some(1))
        );
    }

    #[test]
    fn outside_the_metric_paths_only_an_exact_header_is_a_metric_series() {
        let data =
            "order_id,order_timestamp,customer_id,order_total,status\n1,2026-01-01,c,3,open\n";
        let (batch, diags) = parse_csv(data, &origin("data/orders.csv"), false);
        assert!(batch.is_none() && diags.is_empty(), "{diags:?}");
        for header in [
            "time,name,value",
            "timestamp,metric,value,comment",
            "timestamp,metric,value,value",
            "timestamp,metric",
        ] {
            let text = format!("{header}\n2026-01-01T00:00:00Z,rowCount,1\n");
            let (batch, diags) = parse_csv(&text, &origin("data/x.csv"), false);
            assert!(batch.is_none() && diags.is_empty(), "{header}: {diags:?}");
        }
        for header in [
            "Timestamp,Metric,Value",
            "product,output_port,timestamp,metric,value",
        ] {
            let text = format!("{header}\n");
            let (batch, _) = parse_csv(&text, &origin("data/x.csv"), false);
            assert!(batch.is_some(), "{header}");
        }
        // Under the metric paths the aliases are read, and extra columns are tolerated.
        let text = "time,name,value,comment\n2026-01-01T00:00:00Z,rowCount,1,fine\n";
        let (batch, diags) = parse_csv(text, &origin("metrics/x.csv"), true);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(batch.unwrap().series[0].points.len(), 1);
    }

    #[test]
    fn many_bad_rows_are_summed_up() {
        let mut text = String::from("timestamp,metric,value\n");
        for _ in 0..50 {
            text.push_str("2026-11-25T06:00:00Z,rowCount,x\n");
        }
        let (_, diags) = parse_csv(&text, &origin("metrics/orders.csv"), true);
        assert_eq!(diags.len(), model::diagnostics::MAX_PER_FILE + 1);
        assert!(diags
            .last()
            .unwrap()
            .message
            .starts_with("30 more `metric-value` problems"));
    }
}
