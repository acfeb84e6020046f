// Runs the site's own search.js in node on a built site's index, for tests/mcp.rs to compare
// with the MCP server's ranking.
//
// Usage: node mcp_search_parity.js PATH/TO/search.js SITE_DIR QUERY...
// Prints {"<query>": [doc numbers, best first], ...}.
//
// search.js runs in a page; here it gets a minimal window/document: a script element whose
// `src` is appended to <head> is read from SITE_DIR and run, as a browser would load a shard.
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [searchJs, site, ...queries] = process.argv.slice(2);
const root = "file://" + path.resolve(site) + "/";

const context = {
  console,
  Promise,
  Map,
  Float64Array,
  Uint8Array,
  URLSearchParams,
  performance: { now: () => 0 },
};
const document = {
  readyState: "complete",
  currentScript: { src: root + "static/search.js" },
  getElementById: () => null,
  addEventListener: () => {},
  createElement: () => ({}),
  head: {
    appendChild(el) {
      const file = decodeURIComponent(el.src.slice("file://".length));
      vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
    },
  },
};
context.document = document;
context.window = context;
vm.createContext(context);

// `rank` is private to the script; expose it next to the functions it already exports.
const anchor = "S.parseQuery = parseQuery;";
const source = fs.readFileSync(searchJs, "utf8");
if (!source.includes(anchor)) {
  console.error("search.js no longer has `" + anchor + "`; update tests/mcp_search_parity.js");
  process.exit(2);
}
vm.runInContext(source.replace(anchor, anchor + " S.rank = rank;"), context, { filename: searchJs });

(async () => {
  const S = context.meshdocSearch;
  const out = {};
  for (const q of queries) {
    const parsed = S.parseQuery(q);
    out[q] = parsed.tokens.length ? Array.from((await S.rank(parsed)).docs) : [];
  }
  process.stdout.write(JSON.stringify(out) + "\n");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
