//! `model::yaml` reads manifests straight from the parser's events and hands the rest to the
//! serde-saphyr reading it replaced. These tests hold the direct reading to the serde one:
//! every YAML and JSON file the project and the shared fixtures hold, and one snippet per rule
//! (value kinds, positions, documents, keys, limits, errors), must give the same trees with
//! the same positions, and what the direct reading hands on must be read as before.

#[path = "support/shared.rs"]
mod shared;

use std::path::Path;

use meshdoc::model::yaml::{self, readings};
use walkdir::WalkDir;

/// Compare the readings of one text. Returns whether the direct reading took it.
fn same_reading(text: &str, what: &str) -> bool {
    let serde = readings::serde(text);
    let combined = yaml::parse_documents(text);
    match (&serde, &combined) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}: trees differ"),
        (Err(a), Err(b)) => assert_eq!(
            (a.pos, &a.message),
            (b.pos, &b.message),
            "{what}: errors differ"
        ),
        _ => panic!("{what}: serde gave {serde:?}, parse_documents gave {combined:?}"),
    }
    if let Some(block) = readings::block(text) {
        assert_eq!(
            serde.as_ref().ok(),
            Some(&block),
            "{what}: the block reading differs"
        );
    }
    match readings::direct(text) {
        Some(direct) => {
            assert_eq!(
                serde.as_ref().ok(),
                Some(&direct),
                "{what}: direct reading differs"
            );
            true
        }
        None => false,
    }
}

/// Every .yaml/.yml/.json file under `dir`; returns (files, files the direct reading took,
/// files the block reading took).
fn compare_tree(dir: &Path) -> (usize, usize, usize) {
    let mut files = 0;
    let mut direct = 0;
    let mut block = 0;
    for entry in WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        let is_yaml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if !is_yaml || !entry.file_type().is_file() {
            continue;
        }
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        // Invalid UTF-8 never reaches the YAML reader (formats reports it first).
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        files += 1;
        let took = same_reading(text, &path.display().to_string());
        direct += usize::from(took);
        block += usize::from(readings::block(text).is_some());
    }
    (files, direct, block)
}

#[test]
fn the_projects_own_files_read_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = 0;
    let mut direct = 0;
    for dir in ["content", "examples", "tests", "fuzz", "schemas", "crates"] {
        let (f, d, _) = compare_tree(&root.join(dir));
        files += f;
        direct += d;
    }
    eprintln!("{files} files, {direct} read directly");
    // The sample mesh is block YAML as manifests are written: the line reader takes most of it.
    let (sample, _, block) = compare_tree(&root.join("content"));
    eprintln!("content/: {sample} files, {block} read by the block reader");
    assert!(
        block * 4 >= sample * 3,
        "{block} of {sample} sample files read by the block reader"
    );
    assert!(files > 50, "only {files} YAML/JSON files found");
    // The sample mesh is plain YAML: the direct reading must take nearly all of it, or the
    // speed it exists for is lost.
    assert!(
        direct * 10 >= files * 9,
        "{direct} of {files} read directly"
    );
}

#[test]
fn the_shared_fixtures_read_the_same() {
    let Some(dir) = shared::fixtures("") else {
        return;
    };
    let (files, direct, block) = compare_tree(&dir);
    eprintln!("{files} files, {direct} read directly, {block} by the block reader");
    assert!(files > 100, "only {files} YAML/JSON files found");
}

/// Snippets that each exercise one rule; most are taken directly, some handed on.
const SNIPPETS: &[&str] = &[
    // Value kinds of the core schema with the project's options.
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n",
    "a: true\nb: True\nc: TRUE\nd: yes\ne: no\nf: on\ng: off\nh: y\ni: n\n",
    "a: 1\nb: -1\nc: +1\nd: 0\ne: -0\nf: 0x1f\ng: 0X1F\nh: 0o17\ni: 0O17\nj: 0b11\nk: 0755\nl: -007\n",
    "a: 1_000\nb: 1__0\nc: _1\nd: 1_\ne: 0x_1\nf: 0b2\ng: 0o8\nh: 0xg\n",
    "a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775808\nd: -9223372036854775809\n",
    "a: 18446744073709551615\nb: 18446744073709551616\nc: 340282366920938463463374607431768211456\n",
    "a: 1.5\nb: -1.5\nc: .5\nd: 5.\ne: 1e3\nf: 1E-3\ng: +1.0\nh: 1.0.0\ni: 1_000.5\nj: 3.14e+0\n",
    "a: nan\nb: inf\nc: Infinity\nd: -.nan\ne: +.nan\nf: NaN\n",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: 1e999\n",
    "a: .nan\n",
    "a: '1'\nb: \"true\"\nc: 'null'\nd: \"\"\ne: ''\nf: |\n  12\ng: >\n  true\n",
    "version: 1.0\nv2: 2.10\nv3: 1.0.0\ndate: 2024-01-01\ntime: 12:30\nsexa: 1:20\n",
    "a: 1 # a comment\nb: x # another\n# a line\nc: 'x' #c\n",
    // Keys turned into text.
    "1: a\n1.5: b\ntrue: c\n~: d\nnull2: e\n0x10: f\n'2': g\n9223372036854775808: h\n",
    "200:\n  description: OK\n404:\n  description: Not found\n",
    "? a\n: 1\n? b\n",
    "? [a, b]\n: 1\n",
    "{a: 1, b: [1, 2, {c: d}], 'e': \"f\"}\n",
    "- a\n- - b\n  - c\n- d: e\n  f: g\n-\n- ~\n",
    // Duplicate keys and merge keys.
    "a: 1\na: 2\n",
    "a: 1\n'a': 2\n",
    "1: x\n'1': y\n",
    "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",
    "derived:\n  '<<': 1\n",
    // Anchors, aliases, tags.
    "a: &x 1\nb: *x\nc: &y [1, 2]\nd: *y\n",
    "a: !!str 1\nb: !!int '2'\nc: !!float 3\nd: !!bool true\ne: !!null ''\nf: !custom x\ng: ! 5\n",
    "a: !!str\nb: !!binary aGVsbG8=\n",
    "a: *unknown\n",
    // Documents.
    "a: 1\n---\nb: 2\n",
    "---\n---\n---\na: 1\n...\n---\n",
    "~\n---\nnull\n---\n''\n---\nx\n",
    "",
    "# only a comment\n",
    "--- 5\n--- [1]\n--- {a: 1}\n",
    "%YAML 1.2\n---\na: 1\n",
    "%YAML 1.1\n---\na: yes\nb: 010\n",
    // JSON.
    "{\"id\": \"x\", \"n\": 2.5, \"list\": [1, true, null, \"s\"], \"o\": {}}",
    "[1, 2, 3]",
    "{\"a\": 1, \"a\": 2}",
    // Positions: block scalars, multibyte text, tabs, CRLF, nested flow.
    "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\nc: x\n",
    "ünïcödé: 'ß'\nnext: 日本語\nafter: [é, 'è', \"ê\"]\n",
    "a:\t1\nb: \t x\n",
    "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "outer:\n  inner:\n    - {a: [1, {b: c}]}\n    -   spaced: 1\n",
    "\u{feff}a: 1\n",
    "key with spaces: value with: colon\n'quoted key': x\n\"dq\\tkey\": y\n",
    "a: \"esc\\n\\u00e9\\x41\"\nb: 'it''s'\n",
    "a: plain\n  continued\n  lines\n",
    // Errors: positions and messages come from the serde reading.
    "a: 1\nb: [1, 2\nc: 3\n",
    "a: b: c\n",
    "a:\n- x\n y\n",
    "\"unterminated\n",
    "a: 1\n  b: 2\n",
    "- a\nb: 1\n",
    "{a: 1\n",
    "a: @x\n",
    "a: `x\n",
    "\t- x\n",
];

#[test]
fn each_rule_reads_the_same() {
    let mut direct = 0;
    for (i, text) in SNIPPETS.iter().enumerate() {
        let took = same_reading(text, &format!("snippet {i}: {text:?}"));
        direct += usize::from(took);
    }
    // Most of the rules above are read directly; tags, aliases, merge keys and errors are not.
    assert!(direct >= SNIPPETS.len() / 2, "only {direct} read directly");
}

#[test]
fn limits_hold_with_a_located_error() {
    // Alias bomb: nine levels of nine.
    let mut bomb = "a0: &a0 \"lol\"\n".to_string();
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let started = std::time::Instant::now();
    let err = yaml::parse_documents(&bomb).unwrap_err();
    assert!(err.pos.is_some_and(|p| p.line > 0), "{err:?}");
    assert!(
        started.elapsed().as_secs() < 10,
        "the alias bomb was not cut short"
    );
    same_reading(&bomb, "alias bomb");

    // Nesting: the reference limit (48) is kept, in flow and in block style.
    for depth in [39, 40, 41, 47, 48, 49, 200] {
        let flow = "[".repeat(depth) + &"]".repeat(depth);
        same_reading(&flow, &format!("flow depth {depth}"));
        let mut block = String::new();
        for level in 0..depth {
            block.push_str(&" ".repeat(level * 2));
            block.push_str(&format!("k{level}:\n"));
        }
        same_reading(&block, &format!("block depth {depth}"));
    }
    assert!(yaml::parse_documents(&("[".repeat(200) + &"]".repeat(200))).is_err());

    // Documents: 1,000 are read, more are refused.
    for count in [900, 1_000, 1_001] {
        let text = "- a\n---\n".repeat(count);
        same_reading(&text, &format!("{count} documents"));
    }

    // A huge scalar and a long list stay linear and read the same.
    let huge = format!("a: {}\n", "x".repeat(4 << 20));
    assert!(same_reading(&huge, "huge scalar"));
    let long: String = (0..50_000).map(|i| format!("- item{i}\n")).collect();
    assert!(same_reading(&long, "long list"));
    let wide: String = (0..20_000).map(|i| format!("k{i}: {i}\n")).collect();
    assert!(same_reading(&wide, "wide mapping"));
    let dup_wide = wide.clone() + "k7: again\n";
    assert!(!same_reading(&dup_wide, "wide mapping with a duplicate"));
}

/// Random texts in and around the block YAML the line reader takes: wherever it takes one, it
/// must read the tree (values, keys, positions) the serde reading does.
#[test]
fn random_block_texts_read_the_same() {
    // A small deterministic generator (xorshift), no dependency.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    const KEYS: &[&str] = &[
        "id", "name", "a b", "x-y", "1", "true", "null", "~", "-k", "k:v", "k#x", "é", "<<", "'q'",
        "\"d\"", "? k", "k ", "[a]", "a[0]", "0x1F", "1.0", "- k", "%k", "@k", "&a k", "*a",
        "!t k", "{a}", "k,l",
    ];
    const VALUES: &[&str] = &[
        "x",
        "hello world",
        "1",
        "-1",
        "1.5",
        "1e3",
        "0755",
        "true",
        "False",
        "yes",
        "~",
        "null",
        "''",
        "\"\"",
        "'it''s'",
        "\"a\\\"b\"",
        "\"a\\nb\\tc\"",
        "\"\\u00e9\"",
        "\"x\\qy\"",
        "'a # b'",
        "a # comment",
        "a#b",
        "a: b",
        "a:b",
        "http://x.y/z",
        "[]",
        "{}",
        "[a, b]",
        "[ 1 , 'two', \"three\" ]",
        "[a, [b]]",
        "[a,]",
        "[a, b",
        "{a: 1}",
        "&x 1",
        "*x",
        "!t 1",
        "|",
        "|-",
        "|+",
        ">",
        ">-",
        "|2",
        "| # c",
        "'open",
        "\"open",
        "x  ",
        "日本語",
        "é: x",
        "-",
        "- x",
        "? x",
        ": x",
        "`x",
        "@x",
        "%x",
        ".inf",
        "-.5",
        "+7",
        "1_000",
        "0o17",
        "'multi",
        "---",
        "...",
        "a'b",
        "a\"b",
    ];
    const BODIES: &[&str] = &[
        "line\n",
        "one\ntwo\n",
        "one\n\ntwo\n",
        "a\n  deeper\nb\n",
        "x\n\n",
        "  lead\n",
        "text # not a comment\n",
        "- x\n",
        "k: v\n",
    ];
    // Most draws come from the first entries of each list: what the line reader takes.
    let pick = |list: &'static [&'static str], good: usize, roll: usize, any: usize| {
        if roll < 8 {
            list[any % good]
        } else {
            list[any % list.len()]
        }
    };
    let mut took = 0;
    let cases = 12000;
    for case in 0..cases {
        let mut text = String::new();
        if next(10) == 0 {
            text.push_str(["---\n", "--- # c\n", "# head\n", "\n", "%YAML 1.2\n---\n"][next(5)]);
        }
        let lines = 1 + next(12);
        let mut indent = 0usize;
        for _ in 0..lines {
            let pad = " ".repeat(indent);
            match next(12) {
                0 => text.push_str(&format!(
                    "{pad}- {}\n",
                    pick(VALUES, 30, next(10), next(1000))
                )),
                1 => text.push_str(&format!(
                    "{pad}- {}: {}\n",
                    pick(KEYS, 12, next(10), next(1000)),
                    pick(VALUES, 30, next(10), next(1000))
                )),
                2 => {
                    text.push_str(&format!("{pad}{}:\n", pick(KEYS, 12, next(10), next(1000))));
                    indent += [0, 1, 2, 2, 4][next(5)];
                }
                3 => {
                    let header = ["|", "|-", ">", ">-", "|+", "|1"][next(6)];
                    text.push_str(&format!(
                        "{pad}{}: {header}\n",
                        pick(KEYS, 12, next(10), next(1000))
                    ));
                    let inner = " ".repeat(indent + [0, 1, 2, 2, 3][next(5)]);
                    for body_line in BODIES[next(BODIES.len())].lines() {
                        if body_line.is_empty() {
                            text.push_str(["\n", "  \n", "      \n"][next(3)]);
                        } else {
                            text.push_str(&format!("{inner}{body_line}\n"));
                        }
                    }
                }
                4 => text.push_str(["\n", "# c\n", "   # c\n", "  \n", "---\n", "...\n"][next(6)]),
                5 => indent = indent.saturating_sub([1, 2, 4][next(3)]),
                6 => text.push_str(&format!(
                    "{pad}- - {}\n",
                    pick(VALUES, 30, next(10), next(1000))
                )),
                7 => {
                    text.push_str(&format!("{pad}-\n"));
                    indent += 2;
                }
                _ => text.push_str(&format!(
                    "{pad}{}: {}{}\n",
                    pick(KEYS, 12, next(10), next(1000)),
                    pick(VALUES, 30, next(10), next(1000)),
                    ["", "", " # c", "#c", "  "][next(5)]
                )),
            }
        }
        if next(8) == 0 {
            text.pop();
        }
        if readings::block(&text).is_some() {
            took += 1;
        }
        same_reading(&text, &format!("case {case}: {text:?}"));
    }
    eprintln!("{took} of {cases} random texts read by the block reader");
    assert!(
        took > cases / 20,
        "only {took} of {cases} taken: the test exercises nothing"
    );
}

/// The sample mesh's files with lines dropped, repeated, re-indented or cut short: wherever the
/// line reader takes such a text, it reads what the serde reading does.
#[test]
fn mutated_sample_files_read_the_same() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut texts = Vec::new();
    for entry in WalkDir::new(&root).into_iter().filter_map(Result::ok) {
        let is_yaml = entry
            .path()
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml");
        if let (true, Ok(text)) = (is_yaml, std::fs::read_to_string(entry.path())) {
            texts.push(text);
        }
    }
    assert!(!texts.is_empty(), "no sample files");
    let (mut cases, mut took) = (0, 0);
    for text in &texts {
        for _ in 0..12 {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for _ in 0..1 + next(3) {
                let at = next(lines.len());
                if lines.is_empty() {
                    break;
                }
                match next(6) {
                    0 => {
                        lines.remove(at);
                    }
                    1 => lines.insert(at, lines[at].clone()),
                    2 => lines[at].insert(0, ' '),
                    3 => {
                        let spaces = lines[at].len() - lines[at].trim_start_matches(' ').len();
                        lines[at].replace_range(..spaces.min(2), "");
                    }
                    4 => {
                        let cuts: Vec<usize> = lines[at].char_indices().map(|(i, _)| i).collect();
                        if let Some(&cut) = cuts.get(next(cuts.len() + 1)) {
                            lines[at].truncate(cut);
                        }
                    }
                    _ => lines.insert(at, String::new()),
                }
            }
            let mutated = lines.join("\n") + "\n";
            cases += 1;
            took += usize::from(readings::block(&mutated).is_some());
            same_reading(&mutated, &format!("mutated sample: {mutated:?}"));
        }
    }
    eprintln!("{took} of {cases} mutated sample texts read by the block reader");
    assert!(took > cases / 10, "only {took} of {cases} taken");
}
