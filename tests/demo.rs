//! `scripts/demo`: the sample turned into git repositories with history and one broken file,
//! built. A newcomer's first catalog must show a breaking change on Changes and the broken file,
//! with its line, on Health.

use std::fs;
use std::path::Path;
use std::process::Command;

fn available(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_demo_fills_changes_health_and_version_pages() {
    for tool in ["bash", "git"] {
        if !available(tool) {
            eprintln!("skipped: scripts/demo needs {tool}, which is not installed");
            return;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/demo");
    let o = Command::new("bash")
        .arg(&script)
        .arg(&out)
        .env("MESHDOC", env!("CARGO_BIN_EXE_meshdoc"))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stdout}\n{stderr}");
    let site = out.join("public");
    assert!(
        stdout.contains(&format!("file://{}", site.join("index.html").display())),
        "says where to open it: {stdout}"
    );
    // The build reports the broken file with its line, from the repository root.
    assert!(
        stderr.contains("error[wrong-type]: finance/broken/bad.odcs.yaml:12:19"),
        "{stderr}"
    );

    let changes = fs::read_to_string(site.join("changes/index.html")).unwrap();
    assert!(
        changes.contains("1 breaking"),
        "a breaking change is listed"
    );
    assert!(changes.contains("Drop coupon_code from orders"));
    assert!(changes.contains("<code>orders.coupon_code</code>"));
    assert!(changes.contains("Tom Becker"), "with its author");

    let health = fs::read_to_string(site.join("health/index.html")).unwrap();
    assert!(
        health.contains(
            "<code>broken/bad.odcs.yaml:12:19</code> <span class=\"muted small\">in finance</span>"
        ),
        "the broken file with its line"
    );
    assert!(health.contains("version-not-bumped"));

    // Provenance from git, a version page and a diff between versions.
    let orders = fs::read_to_string(site.join("contracts/orders-v2/index.html")).unwrap();
    assert!(
        orders.contains("Drop coupon_code"),
        "the contract's own history"
    );
    let loyalty = site.join("contracts/loyalty-accounts-v1");
    assert!(loyalty.join("v").is_dir() && loyalty.join("diff").is_dir());

    // Running it again gives the same commits (fixed authors and dates).
    let head = |repo: &str| {
        let o = Command::new("git")
            .args([
                "-C",
                &out.join("repos").join(repo).to_string_lossy(),
                "rev-parse",
                "HEAD",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    let first = head("checkout");
    let again = Command::new("bash")
        .arg(&script)
        .arg(&out)
        .env("MESHDOC", env!("CARGO_BIN_EXE_meshdoc"))
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(head("checkout"), first);
}
