//! Only manifests get diagnostics: the files a real repository keeps beside its manifests (Helm
//! charts, dbt projects, data samples, JSON with comments) raise nothing; templates get one note
//! and stay out of the catalog; `exclude` and `.meshdocignore` leave files out, for folders and
//! git repositories alike. Every file here is our own small case of a pattern seen in real
//! repositories.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use meshdoc::config::{Config, SourceConfig};
use meshdoc::{Catalog, Diagnostic, Severity};

const CONTRACT: &str = "apiVersion: v3.1.0\nkind: DataContract\nid: orders\nname: Orders\nversion: 1.0.0\nstatus: active\nschema:\n  - name: orders\n    properties:\n      - name: order_id\n        logicalType: string\n";
const PRODUCT: &str = "apiVersion: v1.0.0\nkind: DataProduct\nid: checkout\nname: Checkout\nstatus: active\nteam:\n  name: sales\noutputPorts:\n  - name: orders\n    version: 1.0.0\n    contractId: orders\n";

const HELM_DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n  labels:\n{{ include \"chart.labels\" . | indent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n{{- if .Values.sidecar }}\n  sidecar: true\n{{- end }}\n";
const HELM_VALUES: &str = "name: orders-api\nreplicas: 2\nimage:\n  tag: \"1.0\"\n";
const DBT_PROJECT: &str = "name: 'shop'\nversion: '1.0.0'\nconfig-version: 2\nprofile: 'shop'\nmodels:\n  shop:\n    +materialized: table\nvars:\n  start: \"{{ env_var('START') }}\"\n";
const NDJSON: &str =
    "{\"order_id\": 1, \"apiVersion\": \"x\"}\n{\"order_id\": 2}\n{\"order_id\": 3}\n";
const JSONC: &str = "{\n  // editor settings\n  \"editor.tabSize\": 2,\n  /* trailing comma below */\n  \"files.exclude\": {\"target\": true},\n}\n";
const DATA_CSV: &str =
    "order_id,order_timestamp,customer_id,total\n1,2026-01-01T10:00:00Z,c1,12.5\n";
const METRIC_CSV: &str = "timestamp,metric,value\n2026-01-01T06:00:00Z,rowCount,10\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A repository as teams keep them: manifests beside everything else.
fn mixed_repository(dir: &Path) {
    write(dir, "contracts/orders.odcs.yaml", CONTRACT);
    write(dir, "dataproduct.yaml", PRODUCT);
    write(
        dir,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: orders-api\nversion: 0.1.0\n",
    );
    write(dir, "chart/values.yaml", HELM_VALUES);
    write(dir, "chart/templates/deployment.yaml", HELM_DEPLOYMENT);
    // A Helm-style template outside a `templates/` folder: unreadable, and no standard's keys.
    write(
        dir,
        "deploy/configmap.yaml",
        &HELM_DEPLOYMENT.replace("Deployment", "ConfigMap"),
    );
    write(dir, "dbt_project.yml", DBT_PROJECT);
    write(dir, "data/events.json", NDJSON);
    write(dir, ".vscode/settings.json", JSONC);
    write(dir, "data/orders.csv", DATA_CSV);
    write(dir, "data/empty.yaml", "");
    write(dir, "data/comments.yaml", "# nothing here yet\n");
}

fn meshdoc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshdoc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("meshdoc runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn load(sources: Vec<SourceConfig>, root: &Path) -> Catalog {
    let mut config = Config::empty(root);
    config.build.cache_dir = Some(root.join(".cache"));
    config.sources = sources;
    meshdoc::load_catalog(&config)
}

fn folder(dir: &Path) -> SourceConfig {
    SourceConfig {
        name: Some("repo".into()),
        dir: Some(dir.to_path_buf()),
        ..Default::default()
    }
}

fn of_file<'a>(catalog: &'a Catalog, file: &str) -> Vec<&'a Diagnostic> {
    catalog
        .diagnostics
        .iter()
        .filter(|d| d.file == file)
        .collect()
}

fn files_read(catalog: &Catalog) -> Vec<String> {
    let mut files: Vec<String> = catalog
        .contracts
        .iter()
        .map(|c| c.origin.path.clone())
        .chain(catalog.products.iter().map(|p| p.origin.path.clone()))
        .collect();
    files.sort();
    files
}

#[test]
fn check_passes_a_repository_of_manifests_beside_charts_dbt_and_data() {
    let tmp = tempfile::tempdir().unwrap();
    mixed_repository(&tmp.path().join("repo"));
    let o = meshdoc(tmp.path(), &["check", "--source", "repo"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("1 products and 1 contracts") && err.contains("0 errors, 0 warnings"),
        "{err}"
    );
    // Nothing is said about the other files, even with -v.
    let o = meshdoc(
        tmp.path(),
        &["check", "--source", "repo", "-v", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json, serde_json::json!([]), "{json:#}");
}

#[test]
fn broken_manifests_are_still_errors_by_their_keys_or_their_name() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    mixed_repository(d);
    // No manifest name, but the top-level keys of a contract: one bad indent is an error.
    write(
        d,
        "contracts/shipments.yaml",
        "apiVersion: v3.1.0\nkind: DataContract\nid: shipments\nschema:\n  - name: a\n   properties: []\n",
    );
    // A manifest name, but nothing a standard would recognise: still an error.
    write(d, "broken.odcs.yaml", "id: [unclosed\n");
    write(d, "empty.odcs.yaml", "");
    // A JSON contract with comments: its keys say contract, and JSON has no comments.
    write(
        d,
        "contracts/returns.json",
        "{\n  \"apiVersion\": \"v3.1.0\",\n  \"kind\": \"DataContract\",\n  \"id\": \"returns\" // the returns contract\n}\n",
    );
    // A named manifest that declares no standard: a note only.
    write(
        d,
        "notes.odcs.yaml",
        "id: test-multicolumn\nname: A fragment\n",
    );
    let catalog = load(vec![folder(d)], d);
    let codes = |file: &str| -> Vec<(String, Severity, Option<u32>)> {
        of_file(&catalog, file)
            .iter()
            .map(|d| (d.code.to_string(), d.severity, d.line))
            .collect()
    };
    assert_eq!(
        codes("contracts/shipments.yaml"),
        vec![("yaml-syntax".into(), Severity::Error, Some(6))]
    );
    assert_eq!(
        codes("broken.odcs.yaml"),
        vec![("yaml-syntax".into(), Severity::Error, Some(1))]
    );
    assert_eq!(
        codes("empty.odcs.yaml"),
        vec![("empty-file".into(), Severity::Warning, None)]
    );
    let jsonc = of_file(&catalog, "contracts/returns.json");
    assert_eq!(jsonc.len(), 1, "{jsonc:#?}");
    assert_eq!(jsonc[0].code, "yaml-syntax");
    assert!(
        jsonc[0].hint.as_deref().unwrap().contains("comments"),
        "{jsonc:?}"
    );
    assert_eq!(
        codes("notes.odcs.yaml"),
        vec![("not-a-manifest".into(), Severity::Info, Some(1))]
    );
    // The unrelated files stay silent.
    for quiet in [
        "chart/templates/deployment.yaml",
        "deploy/configmap.yaml",
        "dbt_project.yml",
        "data/events.json",
        ".vscode/settings.json",
        "data/orders.csv",
        "data/empty.yaml",
        "data/comments.yaml",
    ] {
        assert!(codes(quiet).is_empty(), "{quiet}: {:?}", codes(quiet));
    }
}

#[test]
fn metric_csv_by_its_exact_header_or_under_the_metric_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "dataproduct.yaml", PRODUCT);
    write(d, "data/orders.csv", DATA_CSV);
    // Exactly a metric header, anywhere: a metric series of the product named by the file.
    write(d, "measurements/checkout.csv", METRIC_CSV);
    // Under the metric paths a CSV must be a series.
    write(d, "metrics/checkout.csv", DATA_CSV);
    let catalog = load(vec![folder(d)], d);
    assert!(of_file(&catalog, "data/orders.csv").is_empty());
    assert!(of_file(&catalog, "measurements/checkout.csv").is_empty());
    let bad = of_file(&catalog, "metrics/checkout.csv");
    assert_eq!(
        bad.iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect::<Vec<_>>(),
        vec![("metric-csv-header", Some(1))]
    );
    assert!(
        catalog
            .metrics
            .products
            .iter()
            .any(|m| m.series.iter().any(|s| s.metric == "rowCount")),
        "the series with the exact header is read"
    );

    // Configured paths replace the default.
    let mut config = Config::empty(d);
    config.build.cache_dir = Some(d.join(".cache"));
    config.sources = vec![folder(d)];
    config.metrics.paths = vec!["data/**".into()];
    let catalog = meshdoc::load_catalog(&config);
    assert!(of_file(&catalog, "metrics/checkout.csv").is_empty());
    assert_eq!(
        of_file(&catalog, "data/orders.csv")[0].code,
        "metric-csv-header"
    );
}

#[test]
fn a_template_gets_one_note_and_stays_out_of_the_catalog() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "contracts/orders.odcs.yaml", CONTRACT);
    // Named a template: its id is the real contract's, and no duplicate is reported.
    write(d, "contracts/_template.odcs.yaml", CONTRACT);
    write(
        d,
        "contracts/contract.template.odcs.yaml",
        &CONTRACT.replace("id: orders", "id: my-contract"),
    );
    // Placeholders in an id, a version and a server type, in a file named like any other.
    write(
        d,
        "contracts/new.odcs.yaml",
        &CONTRACT
            .replace("id: orders", "id: \"{{ contract_id }}\"")
            .replace("version: 1.0.0", "version: \"{{ version }}\""),
    );
    write(
        d,
        "contracts/server.odcs.yaml",
        &format!(
            "{}servers:\n  - server: prod\n    type: <postgres|mysql>\n",
            CONTRACT.replace("id: orders", "id: server")
        ),
    );
    // Unreadable because of template syntax.
    write(
        d,
        "contracts/jinja.odcs.yaml",
        "apiVersion: v3.1.0\nkind: DataContract\n{% for t in tables %}\nid: {{ t }}\n{% endfor %}\n",
    );
    // Placeholders in free text are content, not blanks: this contract is read.
    write(
        d,
        "contracts/dbt.odcs.yaml",
        &format!(
            "{}description:\n  purpose: \"Built by {{{{ env }}}}\"\n    \nservers:\n  - server: test\n    type: postgres\n    port: __PORT__\n",
            CONTRACT.replace("id: orders", "id: dbt")
        ),
    );
    // Two documents: the template one is noted, the real one read.
    write(
        d,
        "contracts/both.yaml",
        &format!(
            "{}---\n{}",
            CONTRACT.replace("id: orders", "id: real"),
            CONTRACT.replace("id: orders", "id: <contract-id>")
        ),
    );
    // A Backstage scaffolder template and its skeleton.
    write(
        d,
        "scaffolder/orders/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: new-contract\nspec:\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./content\n",
    );
    write(
        d,
        "scaffolder/orders/content/datacontract.yaml",
        &CONTRACT.replace("id: orders", "id: ${{ values.id }}"),
    );
    write(
        d,
        "scaffolder/orders/content/catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: fixed-name\n",
    );
    let catalog = load(vec![folder(d)], d);
    let notes = |file: &str| -> Vec<(String, Severity, Option<u32>)> {
        of_file(&catalog, file)
            .iter()
            .map(|d| (d.code.to_string(), d.severity, d.line))
            .collect()
    };
    let one = |line: u32| vec![("template-file".to_string(), Severity::Info, Some(line))];
    assert_eq!(notes("contracts/_template.odcs.yaml"), one(1));
    assert_eq!(notes("contracts/contract.template.odcs.yaml"), one(1));
    assert_eq!(notes("contracts/new.odcs.yaml"), one(3));
    assert_eq!(notes("contracts/server.odcs.yaml"), one(14));
    assert_eq!(notes("contracts/jinja.odcs.yaml"), one(3));
    assert_eq!(notes("contracts/both.yaml"), one(15));
    assert_eq!(notes("scaffolder/orders/template.yaml"), one(1));
    assert_eq!(notes("scaffolder/orders/content/datacontract.yaml"), one(3));
    assert_eq!(notes("scaffolder/orders/content/catalog-info.yaml"), one(1));
    let message = &of_file(&catalog, "contracts/new.odcs.yaml")[0].message;
    assert!(message.contains("{{ contract_id }}"), "{message}");
    assert!(
        !catalog
            .diagnostics
            .iter()
            .any(|d| d.severity != Severity::Info && d.file != "contracts/dbt.odcs.yaml"),
        "{:#?}",
        catalog.diagnostics
    );
    let ids: Vec<&str> = catalog.contracts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    for id in ["orders", "dbt", "real"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let orders = catalog.contract("orders").unwrap();
    assert_eq!(orders.origin.path, "contracts/orders.odcs.yaml");
}

#[test]
fn exclude_and_meshdocignore_leave_files_out_of_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("repo");
    write(&d, "contracts/orders.odcs.yaml", CONTRACT);
    write(
        &d,
        "contracts/drafts/returns.odcs.yaml",
        &CONTRACT.replace("id: orders", "id: returns"),
    );
    write(
        &d,
        "legacy/broken.odcs.yaml",
        "apiVersion: v3.1.0\nkind: DataContract\n  id: [\n",
    );
    write(
        &d,
        "examples/sample.odcs.yaml",
        &CONTRACT.replace("id: orders", "id: sample"),
    );
    write(
        &d,
        "examples/keep.odcs.yaml",
        &CONTRACT.replace("id: orders", "id: kept"),
    );
    let source = SourceConfig {
        exclude: vec!["legacy".into(), "**/drafts/**".into()],
        ..folder(&d)
    };
    let catalog = load(vec![source.clone()], tmp.path());
    assert_eq!(
        files_read(&catalog),
        vec![
            "contracts/orders.odcs.yaml",
            "examples/keep.odcs.yaml",
            "examples/sample.odcs.yaml"
        ]
    );
    assert!(catalog.diagnostics.is_empty(), "{:#?}", catalog.diagnostics);

    // The repository's own list, read after a cached run: the cache notices it.
    write(
        &d,
        ".meshdocignore",
        "# examples are not published\nexamples/\n!examples/keep.odcs.yaml\n/contracts/orders.odcs.yaml\n[z-a]\n",
    );
    let catalog = load(vec![source.clone()], tmp.path());
    assert_eq!(files_read(&catalog), Vec::<String>::new());
    let bad = of_file(&catalog, ".meshdocignore");
    assert_eq!(
        bad.iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect::<Vec<_>>(),
        vec![("ignore-pattern", Some(5))]
    );
    // A file is taken back in when its folder is not left out.
    write(
        &d,
        ".meshdocignore",
        "examples/*\n!examples/keep.odcs.yaml\n",
    );
    let catalog = load(vec![source], tmp.path());
    assert_eq!(
        files_read(&catalog),
        vec!["contracts/orders.odcs.yaml", "examples/keep.odcs.yaml"]
    );

    // `paths` selects files of a folder source too.
    let only = SourceConfig {
        paths: vec!["contracts/**".into()],
        ..folder(&d)
    };
    let catalog = load(vec![only], tmp.path());
    assert_eq!(
        files_read(&catalog),
        vec![
            "contracts/drafts/returns.odcs.yaml",
            "contracts/orders.odcs.yaml"
        ]
    );
}

#[test]
fn a_bad_exclude_pattern_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "repo/orders.odcs.yaml", CONTRACT);
    let source = SourceConfig {
        exclude: vec!["[z-a]".into()],
        ..folder(&tmp.path().join("repo"))
    };
    let catalog = load(vec![source], tmp.path());
    let d = catalog
        .diagnostics
        .iter()
        .find(|d| d.code == "bad-source")
        .expect("bad-source");
    assert!(d.message.contains("`exclude`"), "{}", d.message);
    assert!(d.hint.is_some());
}

/// Run git quietly with a fixed identity.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "A")
        .env("GIT_AUTHOR_EMAIL", "a@example.com")
        .env("GIT_COMMITTER_NAME", "A")
        .env("GIT_COMMITTER_EMAIL", "a@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn exclude_and_meshdocignore_leave_files_out_of_a_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    mixed_repository(&repo);
    write(
        &repo,
        "contracts/_template.odcs.yaml",
        &CONTRACT.replace("id: orders", "id: \"{{ id }}\""),
    );
    write(
        &repo,
        "legacy/returns.odcs.yaml",
        &CONTRACT.replace("id: orders", "id: returns"),
    );
    write(&repo, ".meshdocignore", "**/_template.*\n");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "manifests"]);
    // A file left out only in the working tree is still read: git sources read the commit.
    write(&repo, ".meshdocignore", "**/_template.*\ncontracts/\n");
    let source = SourceConfig {
        name: Some("repo".into()),
        git: Some(repo.to_string_lossy().into_owned()),
        exclude: vec!["legacy/**".into()],
        ..Default::default()
    };
    let catalog = load(vec![source.clone()], tmp.path());
    assert_eq!(
        files_read(&catalog),
        vec!["contracts/orders.odcs.yaml", "dataproduct.yaml"]
    );
    assert!(
        catalog
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Info && d.code != "template-file"),
        "{:#?}",
        catalog.diagnostics
    );
    // Committing the new ignore file changes what is read (and the cache sees the new commit).
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "ignore contracts"]);
    let catalog = load(vec![source], tmp.path());
    assert_eq!(files_read(&catalog), vec!["dataproduct.yaml"]);
}

#[test]
fn only_manifests_too_large_to_read_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let rows: String = (0..200)
        .map(|i| format!("{{\"order_id\": {i}}}\n"))
        .collect();
    write(d, "data/orders.json", &rows);
    write(d, "data/orders.csv", &DATA_CSV.repeat(100));
    write(
        d,
        "contracts/big.yaml",
        &format!(
            "{CONTRACT}description:\n  purpose: \"{}\"\n",
            "x".repeat(3000)
        ),
    );
    let mut config = Config::empty(d);
    config.build.cache_dir = Some(d.join(".cache"));
    config.build.max_file_bytes = 1000;
    config.sources = vec![folder(d)];
    let catalog = meshdoc::load_catalog(&config);
    let found: Vec<(&str, &str)> = catalog
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.code.as_str()))
        .collect();
    assert_eq!(found, vec![("contracts/big.yaml", "file-too-large")]);
}
