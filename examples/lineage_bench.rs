//! Benchmark of the lineage diagrams: `cargo run --release --example lineage_bench`.
//!
//! Generates a synthetic mesh (1,000 products in 20 domains, each reading 1–3 earlier products,
//! plus one hub product with 300 direct consumers), then times layout + SVG of the whole
//! 1,000-node product graph and of the hub's product-page diagram, and reports page sizes.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use meshdoc::render::lineage_svg::{self, DEdge, DNode, Diagram};
use meshdoc::render::{lineage_explore, lineage_pages};

fn product(id: &str, domain: usize, reads: &[String]) -> String {
    let mut s = format!(
        "dataProductSpecification: 0.0.1\nid: {id}\ninfo:\n  title: {id}\n  owner: team-{domain}\n  domain: domain-{domain}\ninputPorts:\n"
    );
    if reads.is_empty() {
        s.push_str("  []\n");
    }
    for (i, r) in reads.iter().enumerate() {
        let _ = writeln!(s, "  - id: in{i}\n    dataProductId: {r}");
    }
    s.push_str("outputPorts:\n  - id: main\n");
    s
}

fn generate(root: &Path, n: usize) {
    fs::write(
        root.join("meshdoc.toml"),
        "[[sources]]\ndir = \"repos/*\"\n",
    )
    .unwrap();
    // A small deterministic generator (xorshift), no dependency.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    for i in 0..n {
        let repo = root.join(format!("repos/repo-{}", i % 10));
        fs::create_dir_all(&repo).unwrap();
        let mut reads = Vec::new();
        if i >= 10 {
            for _ in 0..1 + next(3) {
                // Mostly recent products, so the graph has depth rather than one huge layer.
                let back = 1 + next(i.min(60));
                let r = format!("p{:04}", i - back);
                if !reads.contains(&r) {
                    reads.push(r);
                }
            }
        }
        fs::write(
            repo.join(format!("p{i:04}.yaml")),
            product(&format!("p{i:04}"), i % 20, &reads),
        )
        .unwrap();
    }
    let hub = root.join("repos/hub");
    fs::create_dir_all(&hub).unwrap();
    fs::write(hub.join("hub.yaml"), product("hub", 0, &[])).unwrap();
    for i in 0..300 {
        fs::write(
            hub.join(format!("c{i:03}.yaml")),
            product(&format!("consumer-{i:03}"), i % 20, &["hub".to_string()]),
        )
        .unwrap();
    }
}

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> T {
    let mut out = f();
    let start = Instant::now();
    for _ in 0..runs {
        out = f();
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!("{label:<58} {ms:>8.1} ms");
    out
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 1000);
    let config = meshdoc::Config::load(&dir.path().join("meshdoc.toml")).unwrap();
    let catalog = time("crawl + parse + resolve (1,301 products)", 1, || {
        meshdoc::load_catalog(&config)
    });
    let lineage = &catalog.lineage;
    println!(
        "graph: {} nodes, {} edges, {} cycles",
        lineage.nodes.len(),
        lineage.edges.len(),
        lineage.cycles.len()
    );

    // The 1,000 generated products as one diagram, no overflow collapsing.
    let members: Vec<usize> = (0..catalog.products.len())
        .filter(|&i| catalog.products[i].id.starts_with('p'))
        .collect();
    let diagram = || {
        let index: std::collections::HashMap<usize, usize> =
            members.iter().enumerate().map(|(k, &v)| (v, k)).collect();
        let nodes = members
            .iter()
            .map(|&v| DNode {
                key: lineage.nodes[v].id.clone(),
                label: lineage.nodes[v].name.clone(),
                sublabel: lineage.nodes[v].domain.clone(),
                tooltip: lineage.nodes[v].id.clone(),
                href: Some(format!("../../products/{}/index.html", lineage.nodes[v].id)),
                class: "d0".into(),
                ..DNode::default()
            })
            .collect();
        let mut edges = Vec::new();
        for &v in &members {
            for w in &lineage.downstream[v] {
                if let Some(&to) = index.get(w) {
                    edges.push(DEdge {
                        from: index[&v],
                        to,
                        label: None,
                    });
                }
            }
        }
        Diagram {
            id: "bench".into(),
            label: "bench".into(),
            nodes,
            edges,
            max_per_layer: usize::MAX,
            more_href: None,
        }
    };
    let d = diagram();
    println!(
        "1,000-node diagram: {} nodes, {} edges",
        d.nodes.len(),
        d.edges.len()
    );
    let svg = time("layout + SVG, 1,000-node graph (mean of 5)", 5, || {
        lineage_svg::render(&d)
    });
    println!("{:<58} {:>8} KB", "  SVG size", svg.len() / 1024);

    let hub = catalog.product_by_id["hub"];
    let block = time(
        "hub product page lineage (300 consumers, mean of 20)",
        20,
        || lineage_pages::product(&catalog, hub, "../../"),
    );
    println!(
        "{:<58} {:>8} KB",
        "  its SVG",
        block["svg"].as_str().unwrap_or("").len() / 1024
    );
    let graph = time("lineage/graph.js (mean of 5)", 5, || {
        lineage_explore::graph_file(&catalog)
    });
    println!("{:<58} {:>8} KB", "  its size", graph.len() / 1024);

    let t = Instant::now();
    let mut pages = 0;
    for pi in 0..catalog.products.len() {
        let _ = lineage_pages::product(&catalog, pi, "../../");
        pages += 1;
    }
    println!(
        "{:<58} {:>8.1} ms",
        format!("lineage blocks of all {pages} product pages (one core)"),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let out = dir.path().join("public");
    let report = time("full site build (render + write)", 1, || {
        meshdoc::build(
            &config,
            &meshdoc::Options {
                out_dir: Some(out.clone()),
                ..Default::default()
            },
        )
        .unwrap()
    });
    for (stage, t) in &report.timings {
        println!("  {stage:<56} {:>8.1} ms", t.as_secs_f64() * 1000.0);
    }
    let size = |p: &str| {
        fs::metadata(out.join(p))
            .map(|m| m.len() / 1024)
            .unwrap_or(0)
    };
    println!(
        "{:<58} {:>8} KB",
        "products/hub/index.html",
        size("products/hub/index.html")
    );
    println!(
        "{:<58} {:>8} KB",
        "products/p0500/index.html",
        size("products/p0500/index.html")
    );
    println!(
        "{:<58} {:>8} KB",
        "lineage/index.html",
        size("lineage/index.html")
    );
    println!(
        "{:<58} {:>8} KB",
        "domains/domain-0/index.html",
        size("domains/domain-0/index.html")
    );
    println!("{:<58} {:>8} KB", "catalog.json", size("catalog.json"));
    println!("pages: {}", report.pages);
}
