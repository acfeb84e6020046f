#!/bin/sh
# Seed the cargo-fuzz corpora (fuzz/corpus/<target>/, gitignored) from ../shared/fixtures, the
# sample mesh in content/ and the kept regression inputs. Third-party fixture files are copied at
# run time and never committed.
#
# detect_parse and metrics read the first byte of an input as a choice of file name (see
# fuzz/harness.rs), so each seed gets the byte that names a file like its own.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures=${MESHDOC_FIXTURES:-$root/../shared/fixtures}
corpus=$root/fuzz/corpus
mkdir -p "$corpus/detect_parse" "$corpus/yaml" "$corpus/metrics" "$corpus/config" "$corpus/markdown"

# The index into NAMES in fuzz/harness.rs of a file name like this one.
name_byte() {
  case "$1" in
    */metrics/*.csv) echo 8 ;;
    */metrics/*) echo 9 ;;
    *template*) echo 12 ;;
    *odcs*) echo 0 ;;
    *datacontract*|*data-contract*) echo 1 ;;
    *.dcs.*) echo 2 ;;
    *odps*) echo 3 ;;
    *dataproduct*|*data-product*) echo 4 ;;
    *catalog-info*|*backstage*) echo 6 ;;
    *dps*) echo 7 ;;
    *.csv) echo 13 ;;
    *.json) echo 11 ;;
    *) echo 10 ;;
  esac
}

# Copy file $1 into corpus $2 under a name made of its hash, with byte $3 in front (if given).
seed() {
  sum=$(cksum < "$1" | cut -d' ' -f1)
  if [ -n "${3:-}" ]; then
    { printf "\\$(printf '%03o' "$3")"; cat "$1"; } > "$corpus/$2/seed-$sum-$3"
  else
    cp "$1" "$corpus/$2/seed-$sum"
  fi
}

sources=""
[ -d "$fixtures" ] && sources="$fixtures" || echo "note: $fixtures not found; seeding from content/ only" >&2
n=0
for f in $(find $sources "$root/content" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.csv' \) -size -256k | sort); do
  seed "$f" detect_parse "$(name_byte "$f")"
  case "$f" in
    *.csv) seed "$f" metrics 0 ;;
    */metrics/*) seed "$f" metrics 1 ;;
    *) seed "$f" yaml; seed "$f" markdown ;;
  esac
  n=$((n + 1))
done
for f in $(find $sources "$root" -maxdepth 4 -type f -name '*.md' -not -path '*/target/*' | sort) "$root/meshdoc.toml"; do
  case "$f" in
    *.md) seed "$f" markdown ;;
  esac
done
seed "$root/meshdoc.toml" config
for f in "$root"/fuzz/seeds/config/*; do seed "$f" config; done
printf '%s' "$(sed -n '/^pub const STARTER/,/^"#;/p' "$root/crates/config/src/lib.rs" | sed '1d;$d')" > "$corpus/config/seed-starter"
for dir in "$root"/tests/fuzz_regressions/*/; do
  [ -d "$dir" ] || continue
  target=$(basename "$dir")
  cp "$dir"* "$corpus/$target/" 2>/dev/null || true
done
echo "seeded $n fixture files into $corpus:"
for t in detect_parse yaml metrics config markdown; do
  echo "  $t: $(ls "$corpus/$t" | wc -l) inputs"
done
