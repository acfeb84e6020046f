#!/usr/bin/env bash
# Put meshdoc on the PATH of a CI job (called by action.yml; usable from any CI):
# the prebuilt release binary for this machine, its SHA-256 checked, else built from source with
# cargo. A checksum mismatch fails: a tampered download is never replaced by a silent fallback.
#
# Environment (all optional):
#   VERSION                release tag (v1.2.3) or `latest`; default: ACTION_REF when it is a tag
#   REPOSITORY, ACTION_REF the action's owner/name and ref (default: from GITHUB_ACTION_PATH)
#   MESHDOC_DOWNLOAD_BASE  where the release files are (a mirror, GitHub Enterprise); default:
#                          https://github.com/$REPOSITORY/releases/(latest/)download(/$VERSION)
#   MESHDOC_BIN_DIR        where the binary goes; default: $RUNNER_TEMP/meshdoc-bin
set -euo pipefail

repo="${REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}"
ref="${ACTION_REF:-${GITHUB_ACTION_REF:-}}"
# Composite actions do not always see github.action_repository; the checkout path names it:
# .../_actions/OWNER/REPO/REF
if [ -z "$repo" ] && [[ "${GITHUB_ACTION_PATH:-}" == */_actions/*/*/* ]]; then
  rest="${GITHUB_ACTION_PATH#*/_actions/}"
  repo="$(echo "$rest" | cut -d/ -f1,2)"
  ref="$(echo "$rest" | cut -d/ -f3)"
fi
version="${VERSION:-}"
if [ -z "$version" ]; then
  case "$ref" in v[0-9]*) version="$ref" ;; *) version=latest ;; esac
fi

os="${RUNNER_OS:-$(uname -s)}"
arch="${RUNNER_ARCH:-$(uname -m)}"
case "$os/$arch" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-musl ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
  *) target="" ;;
esac

bin_dir="${MESHDOC_BIN_DIR:-${RUNNER_TEMP:-/tmp}/meshdoc-bin}"
mkdir -p "$bin_dir"

on_path() {
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$1" >> "$GITHUB_PATH"; fi
  export PATH="$1:$PATH"
}

sha256() {
  if command -v sha256sum > /dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

# 0: installed; 1: no release file for this machine (fall back); exits on a bad checksum.
download() {
  [ -n "$target" ] || { echo "no prebuilt meshdoc for $os/$arch"; return 1; }
  local base="${MESHDOC_DOWNLOAD_BASE:-}"
  if [ -z "$base" ]; then
    [ -n "$repo" ] || { echo "cannot tell which repository to download meshdoc from"; return 1; }
    if [ "$version" = latest ]; then
      base="https://github.com/$repo/releases/latest/download"
    else
      base="https://github.com/$repo/releases/download/$version"
    fi
  fi
  local asset="meshdoc-$target.tar.gz" tmp
  tmp="$(mktemp -d)"
  echo "downloading $base/$asset"
  curl -fsSL --retry 3 -o "$tmp/$asset" "$base/$asset" || return 1
  curl -fsSL --retry 3 -o "$tmp/$asset.sha256" "$base/$asset.sha256" || return 1
  local expected actual
  expected="$(cut -d' ' -f1 < "$tmp/$asset.sha256")"
  actual="$(sha256 "$tmp/$asset")"
  if [ "$expected" != "$actual" ]; then
    echo "::error::meshdoc download $asset: SHA-256 $actual, expected $expected"
    exit 1
  fi
  tar -xzf "$tmp/$asset" -C "$bin_dir" meshdoc
  rm -rf "$tmp"
}

from_source() {
  command -v cargo > /dev/null || {
    echo "::error::no prebuilt meshdoc could be downloaded and cargo is not installed to build it"
    exit 1
  }
  local root="${RUNNER_TEMP:-/tmp}/meshdoc-cargo"
  if [ -f "${GITHUB_ACTION_PATH:-}/Cargo.toml" ]; then
    echo "building meshdoc from the action's own checkout"
    cargo install --locked --root "$root" --path "$GITHUB_ACTION_PATH"
  elif [ -n "$repo" ]; then
    echo "building meshdoc from https://github.com/$repo"
    if [ "$version" = latest ]; then
      cargo install --locked --root "$root" --git "https://github.com/$repo" meshdoc
    else
      cargo install --locked --root "$root" --git "https://github.com/$repo" --tag "$version" meshdoc
    fi
  else
    echo "::error::cannot tell where to build meshdoc from"
    exit 1
  fi
  cp "$root/bin/meshdoc" "$bin_dir/meshdoc"
}

download || from_source
chmod +x "$bin_dir/meshdoc"
on_path "$bin_dir"
"$bin_dir/meshdoc" --version
