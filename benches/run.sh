#!/usr/bin/env bash
# meshdoc crawl + build benchmark on a synthetic mesh of bare git repositories.
#   bash benches/run.sh [REPOS] [PRODUCTS_PER_REPO]      (default 1000 x 10 = 10,000 products)
# Reports: cold build (empty cache, empty output), no-change rebuild, rebuild after one repository
# changed, each with wall time and peak memory, plus meshdoc's own stage timings.
set -euo pipefail
cd "$(dirname "$0")/.."
REPOS=${1:-1000}
PRODUCTS=${2:-10}
WORK=${BENCH_DIR:-/tmp/meshdoc-bench}/${REPOS}x${PRODUCTS}
mkdir -p "$WORK"
if [ ! -d "$WORK/repos" ]; then
  echo "generating $REPOS repositories x $PRODUCTS products in $WORK/repos ..."
  time python3 benches/generate_mesh.py --repos "$REPOS" --products "$PRODUCTS" "$WORK/repos"
fi
cargo build --release --quiet
BIN=target/release/meshdoc
cat > "$WORK/meshdoc.toml" <<TOML
[site]
title = "Benchmark mesh"
[[sources]]
git = "repos/*.git"
[build]
out_dir = "site"
cache_dir = "cache"
TOML
run() {
  local label=$1; shift
  echo "== $label"
  /usr/bin/time -f "   wall %es, peak RSS %M KB" "$BIN" build -c "$WORK/meshdoc.toml" -v "$@" 2>&1 | grep -Ev '^(warning|error|  hint)' | sed 's/^/   /'
}
rm -rf "$WORK/cache" "$WORK/site"
run "cold build (no cache, no site)"
run "no-change rebuild"
run "no-change rebuild, forced render (parse cache only)" --force
# One repository gets a new commit.
R="$WORK/repos/repo-0000.git"
printf 'commit refs/heads/main\nauthor Bench <b@x> 1800000000 +0000\ncommitter Bench <b@x> 1800000000 +0000\ndata 5\nbench\nfrom refs/heads/main^0\nM 100644 inline README.md\ndata 3\nhi\n\n' | git -C "$R" fast-import --quiet
run "rebuild after one repository changed"
