#!/usr/bin/env python3
"""Synthetic data mesh for meshdoc's benchmarks: N bare git repositories with M products and M
contracts each (ODPS v1 + ODCS v3.1, 20 columns per contract, cross-repository inputs) and a short
history by several authors (initial commit, a contract version bump, an unrelated commit).

    python3 benches/generate_mesh.py --repos 1000 --products 10 OUT_DIR

Repositories are written with `git fast-import`, so 1,000 of them take well under a minute. Each
repository's objects are kept as one pack (`fastimport.unpackLimit=0`), the state a `git clone` leaves
on a CI runner; without it fast-import explodes small imports into loose objects, one file each.
"""
import argparse
import os
import random
import subprocess

AUTHORS = [("Alice Analyst", "alice@example.com"), ("Bob Builder", "bob@example.com"), ("Chen Wei", "chen@example.com")]


def product(r, p, n_products, rng):
    i = r * n_products + p
    ups = sorted({rng.randrange(0, i) for _ in range(min(i, 2))}) if i else []
    inputs = "".join(f"  - name: in-{u}\n    version: 1.0.0\n    contractId: c-{u}\n" for u in ups)
    return f"""apiVersion: v1.0.0
kind: DataProduct
id: p-{i}
name: Product {i}
version: 1.0.0
status: {"deprecated" if i % 97 == 0 else "active"}
domain: domain-{r % 50}
description:
  purpose: |
    Synthetic product number {i}. It aggregates **{len(ups)}** upstream products
    and serves one table.
  usage: Join on `id`.
tags: [synthetic, group-{i % 7}]
team:
  name: team-{r % 200}
inputPorts:{chr(10) + inputs if inputs else " []"}
outputPorts:
  - name: table-{i}
    description: The table of product {i}.
    type: tables
    version: 1.0.0
    contractId: c-{i}
customProperties:
  - property: archetype
    value: {["source-aligned", "aggregate", "consumer-aligned"][i % 3]}
"""


def contract(r, p, n_products, version):
    i = r * n_products + p
    cols = "".join(
        f"""      - name: col_{c}
        logicalType: {"string" if c % 3 else "integer"}
        required: {"true" if c < 3 else "false"}
        primaryKey: {"true" if c == 0 else "false"}
        description: Column {c} of table {i}.
"""
        for c in range(20)
    )
    return f"""apiVersion: v3.1.0
kind: DataContract
id: c-{i}
name: Contract {i}
version: {version}
status: active
domain: domain-{r % 50}
dataProduct: p-{i}
team:
  name: team-{r % 200}
description:
  purpose: Table {i}, one row per entity.
schema:
  - name: t_{i}
    physicalType: table
    properties:
{cols}    quality:
      - metric: rowCount
        mustBeGreaterThan: 1000
slaProperties:
  - property: freshness
    value: 24
    unit: h
"""


def blob(path, text):
    data = text.encode()
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def commit(author, when, message, changes):
    name, email = author
    msg = message.encode()
    head = f"commit refs/heads/main\nauthor {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\ndata {len(msg)}\n".encode()
    # Later commits in the same stream continue the branch on their own.
    return head + msg + b"\n" + b"".join(changes)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--repos", type=int, default=1000)
    ap.add_argument("--products", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    base = 1_790_000_000
    for r in range(args.repos):
        repo = os.path.join(args.out, f"repo-{r:04d}.git")
        if os.path.exists(repo):
            continue
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo], check=True)
        files = []
        for p in range(args.products):
            files.append(blob(f"products/p{p}.odps.yaml", product(r, p, args.products, rng)))
            files.append(blob(f"contracts/c{p}.odcs.yaml", contract(r, p, args.products, "1.0.0")))
        stream = commit(AUTHORS[r % 3], base + r * 60, "Initial products and contracts", files)
        bumped = [blob(f"contracts/c{p}.odcs.yaml", contract(r, p, args.products, "1.1.0")) for p in range(0, args.products, 3)]
        stream += commit(AUTHORS[(r + 1) % 3], base + 86_400 + r * 60, "Bump contracts to 1.1.0", bumped)
        stream += commit(AUTHORS[(r + 2) % 3], base + 2 * 86_400 + r * 60, "Add README", [blob("README.md", f"# repo {r}\n")])
        subprocess.run(["git", "-C", repo, "-c", "fastimport.unpackLimit=0", "fast-import", "--quiet"],
                       input=stream, check=True)
    print(f"{args.repos} repositories x {args.products} products + contracts in {args.out}")


if __name__ == "__main__":
    main()
