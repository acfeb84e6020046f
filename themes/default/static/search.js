// meshdoc default theme: search as you type. No framework, no network beyond this site.
//
// The index is written at build time under search/ as small scripts that call
// meshdocSearch.load(name, data), so it loads from file:// as well as from any web server
// sub-path. Only the shards a query needs are fetched. Results are built with DOM nodes and
// textContent: nothing typed by the user or written in a manifest is ever parsed as HTML.
(function () {
  "use strict";

  var S = (window.meshdocSearch = window.meshdocSearch || {});
  var script = document.currentScript;
  // The site root is where static/search.js lives, minus that path.
  var ROOT = script && script.src ? script.src.replace(/static\/search\.js(\?.*)?$/, "") : "";

  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var UPPER = /\p{Uppercase}/u;
  var LOWER = /\p{Lowercase}/u;
  var NUM = /\p{N}/u;
  var MAX_TOKEN = 40;
  var MAX_JOINED = 64;
  var MAX_QUERY_TOKENS = 10;
  var MAX_PREFIX_TERMS = 400;
  // Field weights by code: other, column description, description, column, tag, id, name, whole name.
  var WEIGHT = [1, 2, 3, 4, 5, 6, 8, 10];
  var KINDS = { p: "Product", c: "Contract", d: "Domain", t: "Team", u: "Person", g: "Term" };
  var FACETS = [
    ["kind", "Kind"],
    ["domain", "Domain"],
    ["team", "Owner team"],
    ["status", "Status"],
    ["tag", "Tag"],
    ["pii", "Contains PII"]
  ];

  // ---------- Tokenizer (the same rules as src/render/search.rs) ----------

  // Token spans of a text: [{start, end, tok}] with UTF-16 offsets into the text.
  function spans(text) {
    var out = [];
    var chars = Array.from(text);
    var cur = "";
    var start = 0;
    var pos = 0;
    function flush(at) {
      if (cur) {
        out.push({ start: start, end: at, tok: Array.from(cur.toLowerCase()).slice(0, MAX_TOKEN).join("") });
        cur = "";
      }
    }
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (!ALNUM.test(c)) {
        flush(pos);
      } else {
        if (cur && UPPER.test(c)) {
          var prev = chars[i - 1];
          var next = chars[i + 1];
          if (LOWER.test(prev) || NUM.test(prev) || (UPPER.test(prev) && next !== undefined && LOWER.test(next))) {
            flush(pos);
          }
        }
        if (!cur) {
          start = pos;
        }
        cur += c;
      }
      pos += c.length;
    }
    flush(pos);
    return out;
  }

  function tokens(text) {
    return spans(text).map(function (s) { return s.tok; });
  }

  function joinedOf(toks) {
    return Array.from(toks.join("")).slice(0, MAX_JOINED).join("");
  }

  function parseQuery(text) {
    text = String(text || "").slice(0, 1000);
    var all = tokens(text);
    var toks = [];
    for (var i = 0; i < all.length && toks.length < MAX_QUERY_TOKENS; i++) {
      if (toks.indexOf(all[i]) < 0) {
        toks.push(all[i]);
      }
    }
    return { text: text, tokens: toks, joined: joinedOf(all) };
  }

  // ---------- Loading shards ----------

  var slots = {};
  S.loaded = [];

  S.load = function (name, data) {
    var slot = slots[name];
    if (!slot) {
      slot = slots[name] = { promise: null, resolve: null };
    }
    slot.data = data;
    if (slot.resolve) {
      slot.resolve(data);
    }
  };

  function fetchShard(name, path) {
    var slot = slots[name];
    if (slot && slot.promise) {
      return slot.promise;
    }
    if (!slot) {
      slot = slots[name] = {};
    }
    slot.promise = new Promise(function (resolve, reject) {
      if (slot.data !== undefined) {
        resolve(slot.data);
        return;
      }
      slot.resolve = resolve;
      var el = document.createElement("script");
      el.src = ROOT + path;
      el.async = true;
      el.onerror = function () {
        slot.promise = null;
        reject(new Error("could not load " + path));
      };
      S.loaded.push(path);
      document.head.appendChild(el);
    });
    return slot.promise;
  }

  var metaPromise = null;
  var keyIndex = null;
  var maxKey = 12;

  function meta() {
    if (!metaPromise) {
      metaPromise = fetchShard("meta", "search/meta.js").then(function (m) {
        keyIndex = new Map();
        maxKey = m.maxKey || maxKey;
        m.termShards.forEach(function (k, i) { keyIndex.set(k, i); });
        return m;
      });
    }
    return metaPromise;
  }

  function facetsData() {
    return fetchShard("facets", "search/facets.js").then(prepareFacets);
  }

  // The shard holding the terms that start with tok: the longest key that is a prefix of it.
  function shardIndexFor(tok) {
    var chars = Array.from(tok);
    for (var len = Math.min(chars.length, maxKey); len > 0; len--) {
      var i = keyIndex.get(chars.slice(0, len).join(""));
      if (i !== undefined) {
        return i;
      }
    }
    return -1;
  }

  function termShard(i) {
    return fetchShard("t" + i, "search/t/" + i + ".js").then(function (shard) {
      if (!shard.terms) {
        shard.terms = [];
        shard.postings = [];
        shard.t.split("\n").forEach(function (line) {
          var tab = line.indexOf("\t");
          if (tab > 0) {
            shard.terms.push(line.slice(0, tab));
            shard.postings.push(line.slice(tab + 1));
          }
        });
      }
      return shard;
    });
  }

  function docShardIndex(m, doc) {
    var lo = 0;
    var hi = m.docShards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.docShards[mid] <= doc) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  function docs(m, ids) {
    var needed = [];
    ids.forEach(function (id) {
      var s = docShardIndex(m, id);
      if (needed.indexOf(s) < 0) {
        needed.push(s);
      }
    });
    return Promise.all(needed.map(function (s) {
      return fetchShard("d" + s, "search/d/" + s + ".js");
    })).then(function () {
      return ids.map(function (id) {
        var s = docShardIndex(m, id);
        var r = slots["d" + s].data[id - m.docShards[s]];
        return { id: id, kind: r[0], title: r[1], key: r[2], url: r[3], facts: r[4], summary: r[5], columns: r[6] };
      });
    });
  }

  // ---------- Postings ----------

  function decode(s, fn) {
    var doc = 0;
    var v = 0;
    var mul = 1;
    for (var i = 0; i < s.length; i++) {
      var d = s.charCodeAt(i) - 35;
      if (d > 57) {
        d -= 1;
      }
      if (d >= 45) {
        v += (d - 45) * mul;
        mul *= 45;
      } else {
        v += d * mul;
        var code = v % 8;
        doc += (v - code) / 8;
        fn(doc, code);
        v = 0;
        mul = 1;
      }
    }
  }

  function decodeDocs(s) {
    var out = [];
    var doc = 0;
    var v = 0;
    var mul = 1;
    for (var i = 0; i < s.length; i++) {
      var d = s.charCodeAt(i) - 35;
      if (d > 57) {
        d -= 1;
      }
      if (d >= 45) {
        v += (d - 45) * mul;
        mul *= 45;
      } else {
        doc += v + d * mul;
        out.push(doc);
        v = 0;
        mul = 1;
      }
    }
    return out;
  }

  // Calls fn(postings, exact) for every term of the shard that equals or starts with tok.
  function eachMatch(shard, tok, fn) {
    var n = 0;
    for (var i = 0; i < shard.terms.length; i++) {
      var term = shard.terms[i];
      if (term === tok) {
        fn(shard.postings[i], true);
      } else if (!shard.s && n < MAX_PREFIX_TERMS && term.lastIndexOf(tok, 0) === 0) {
        n++;
        fn(shard.postings[i], false);
      }
    }
    // A split shard keeps the names below it as one list, for a prefix as long as its key.
    if (shard.s && shard.k === tok && shard.p) {
      fn(shard.p, false);
    }
  }

  // ---------- Ranking ----------

  // Every doc that matches any query word, scored: exact name or id, then name prefix, then the
  // number of words matched (OR, with a boost for all), then which fields matched; ties by doc.
  function rank(q) {
    return meta().then(function (m) {
      var toks = q.tokens;
      var wanted = toks.slice();
      if (toks.length > 1 && q.joined) {
        wanted.push(q.joined);
      }
      var idx = wanted.map(shardIndexFor);
      var unique = idx.filter(function (i, k) { return i >= 0 && idx.indexOf(i) === k; });
      return Promise.all(unique.map(termShard)).then(function () {
        var n = m.docs;
        var sum = new Float64Array(n);
        var matched = new Uint8Array(n);
        var flags = new Uint8Array(n); // 2: exact name or id, 1: name prefix
        var best = new Uint8Array(n);
        var touched = [];
        var seen = new Uint8Array(n);
        function visit(tokIndex, whole) {
          var i = idx[tokIndex];
          if (i < 0) {
            return;
          }
          var shard = slots["t" + i].data;
          var tok = wanted[tokIndex];
          var hits = [];
          eachMatch(shard, tok, function (postings, exact) {
            decode(postings, function (doc, code) {
              if (whole) {
                if (code === 7) {
                  flags[doc] = Math.max(flags[doc], exact ? 2 : 1);
                  if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
                }
                if (tokIndex >= toks.length) {
                  return;
                }
              }
              var score = WEIGHT[code] * (exact ? 10 : 7);
              if (!best[doc]) {
                hits.push(doc);
              }
              if (score > best[doc]) {
                best[doc] = score;
              }
            });
          });
          for (var h = 0; h < hits.length; h++) {
            var doc = hits[h];
            sum[doc] += best[doc];
            matched[doc] += 1;
            best[doc] = 0;
            if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
          }
        }
        for (var t = 0; t < toks.length; t++) {
          visit(t, toks.length === 1);
        }
        if (toks.length > 1 && q.joined) {
          visit(toks.length, true);
        }
        var all = toks.length;
        var score = new Float64Array(n);
        touched.forEach(function (doc) {
          score[doc] = flags[doc] * 1e7 * (flags[doc] === 2 ? 1 : 0.1) + matched[doc] * 1e5 +
            (matched[doc] === all ? 5e4 : 0) + sum[doc] * 10;
        });
        touched.sort(function (a, b) { return score[b] - score[a] || a - b; });
        return { meta: m, docs: touched };
      });
    });
  }

  // ---------- Facets ----------

  var facetState = null;

  function prepareFacets(f) {
    if (facetState) {
      return facetState;
    }
    facetState = {};
    FACETS.forEach(function (def) {
      var data = f[def[0]] || { values: [], labels: [], docs: [] };
      facetState[def[0]] = {
        values: data.values,
        labels: data.labels,
        docs: data.docs.map(decodeDocs)
      };
    });
    return facetState;
  }

  // A mask of the docs allowed by the selected values of one facet (OR within a facet).
  function facetMask(n, facet, selected) {
    var mask = new Uint8Array(n);
    selected.forEach(function (value) {
      var i = facet.values.indexOf(value);
      if (i >= 0) {
        facet.docs[i].forEach(function (d) { mask[d] = 1; });
      }
    });
    return mask;
  }

  // Filter the ranked docs and count each facet value over the docs the other facets allow.
  function applyFacets(n, ranked, selection) {
    var masks = {};
    FACETS.forEach(function (def) {
      var sel = selection[def[0]];
      if (sel && sel.length) {
        masks[def[0]] = facetMask(n, facetState[def[0]], sel);
      }
    });
    var inResult = new Uint8Array(n);
    ranked.forEach(function (d) { inResult[d] = 1; });
    function allowed(doc, except) {
      for (var key in masks) {
        if (key !== except && !masks[key][doc]) {
          return false;
        }
      }
      return true;
    }
    var counts = {};
    FACETS.forEach(function (def) {
      var facet = facetState[def[0]];
      counts[def[0]] = facet.docs.map(function (list) {
        var c = 0;
        for (var i = 0; i < list.length; i++) {
          if (inResult[list[i]] && allowed(list[i], def[0])) {
            c++;
          }
        }
        return c;
      });
    });
    return {
      docs: ranked.filter(function (d) { return allowed(d, null); }),
      counts: counts
    };
  }

  // ---------- Rendering ----------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  // The text as nodes, with the parts that match a query word wrapped in <mark>.
  function highlight(text, q) {
    var frag = document.createDocumentFragment();
    var ranges = [];
    spans(text).forEach(function (s) {
      for (var i = 0; i < q.tokens.length; i++) {
        var qt = q.tokens[i];
        if (s.tok.lastIndexOf(qt, 0) === 0) {
          var len = qt.length >= s.tok.length ? s.end - s.start : Math.min(qt.length, s.end - s.start);
          ranges.push([s.start, s.start + len]);
          break;
        }
      }
    });
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) {
        frag.appendChild(document.createTextNode(text.slice(at, r[0])));
      }
      frag.appendChild(el("mark", null, text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) {
      frag.appendChild(document.createTextNode(text.slice(at)));
    }
    return frag;
  }

  // Columns worth naming: those that match, when the name alone does not explain the result.
  function matchingColumns(doc, q) {
    if (!doc.columns) {
      return [];
    }
    var named = tokens(doc.title + " " + doc.key);
    var explained = q.tokens.every(function (qt) {
      return named.some(function (t) { return t.lastIndexOf(qt, 0) === 0; });
    });
    if (explained) {
      return [];
    }
    return doc.columns.split(" ").filter(function (col) {
      var ct = tokens(col);
      if (q.joined && joinedOf(ct).lastIndexOf(q.joined, 0) === 0) {
        return true;
      }
      return ct.some(function (t) {
        return q.tokens.some(function (qt) { return t.lastIndexOf(qt, 0) === 0; });
      });
    }).slice(0, 6);
  }

  function resultItem(doc, q, itemId, compact) {
    var li = el("li", "sr-item");
    li.id = itemId;
    li.setAttribute("data-kind", KINDS[doc.kind] || doc.kind);
    var a = el("a", "sr-link");
    a.href = ROOT + doc.url;
    var head = el("span", "sr-head");
    head.appendChild(el("span", "sr-kind kind-" + doc.kind, KINDS[doc.kind] || doc.kind));
    var title = el("span", "sr-title");
    title.appendChild(highlight(doc.title, q));
    head.appendChild(title);
    if (doc.key && doc.key !== doc.title) {
      var key = el("code", "sr-id");
      key.appendChild(highlight(doc.key, q));
      head.appendChild(key);
    }
    a.appendChild(head);
    if (doc.facts) {
      a.appendChild(el("span", "sr-facts", doc.facts));
    }
    if (doc.summary && !compact) {
      var summary = el("span", "sr-summary");
      summary.appendChild(highlight(doc.summary, q));
      a.appendChild(summary);
    }
    var cols = matchingColumns(doc, q);
    if (cols.length) {
      var line = el("span", "sr-columns");
      line.appendChild(el("span", "sr-label", cols.length === 1 ? "Column " : "Columns "));
      cols.forEach(function (c, i) {
        if (i) {
          line.appendChild(document.createTextNode(", "));
        }
        var code = el("code");
        code.appendChild(highlight(c, q));
        line.appendChild(code);
      });
      a.appendChild(line);
    }
    li.appendChild(a);
    return li;
  }

  // ---------- Keyboard navigation of a result list ----------
  // The results are a plain list of links (a valid pattern: no links inside role=option).
  // Arrow keys move the real focus from the box into the links and between them; Enter follows
  // the focused link as any link does; Tab reaches them too.

  function ResultKeys(input, list) {
    this.input = input;
    this.list = list;
    this.active = -1;
    var self = this;
    list.addEventListener("keydown", function (e) {
      self.key(e);
    });
    list.addEventListener("focusin", function (e) {
      var items = self.items();
      for (var i = 0; i < items.length; i++) {
        if (items[i].contains(e.target)) {
          self.mark(i);
        }
      }
    });
  }
  ResultKeys.prototype.items = function () {
    return this.list.querySelectorAll(".sr-item");
  };
  // Shows which result has the focus (also when it came by Tab or a click).
  ResultKeys.prototype.mark = function (i) {
    var items = this.items();
    if (this.active >= 0 && items[this.active]) {
      items[this.active].classList.remove("is-active");
    }
    this.active = i;
    if (i >= 0 && items[i]) {
      items[i].classList.add("is-active");
    }
  };
  ResultKeys.prototype.set = function (i) {
    var items = this.items();
    if (!items.length) {
      this.active = -1;
      return;
    }
    var next = Math.max(-1, Math.min(items.length - 1, i));
    this.mark(next);
    if (next >= 0) {
      var link = items[next].querySelector("a");
      if (link) {
        link.focus();
      }
    } else {
      this.input.focus();
    }
  };
  ResultKeys.prototype.reset = function () {
    this.active = -1;
  };
  // Arrows from the box or a result; Escape in a result returns to the box. True when used.
  ResultKeys.prototype.key = function (e) {
    var inList = this.list.contains(e.target);
    if (e.key === "ArrowDown") {
      this.set(inList ? this.active + 1 : 0);
    } else if (e.key === "ArrowUp" && inList) {
      this.set(this.active - 1);
    } else if (e.key === "Escape" && inList) {
      this.mark(-1);
      this.input.focus();
    } else {
      return false;
    }
    e.preventDefault();
    e.stopPropagation();
    return true;
  };

  // ---------- Running a query ----------

  // Ranks, filters and loads the records to show; resolves to what the view needs.
  function run(q, selection, limit, needFacets) {
    var started = performance.now();
    var facetsReady = needFacets ? facetsData() : Promise.resolve(null);
    var ranked;
    if (q.tokens.length) {
      ranked = rank(q);
    } else {
      ranked = meta().then(function (m) {
        var all = [];
        if (needFacets && hasSelection(selection)) {
          for (var i = 0; i < m.docs; i++) {
            all.push(i);
          }
        }
        return { meta: m, docs: all };
      });
    }
    var filtering = hasSelection(selection) ? facetsReady : Promise.resolve(null);
    return Promise.all([ranked, filtering]).then(function (r) {
      var m = r[0].meta;
      var result = { meta: m, docs: r[0].docs, counts: null, facetsReady: facetsReady };
      if (r[1]) {
        var f = applyFacets(m.docs, r[0].docs, selection);
        result.docs = f.docs;
        result.counts = f.counts;
      }
      return docs(m, result.docs.slice(0, limit)).then(function (records) {
        result.records = records;
        result.ms = performance.now() - started;
        return result;
      });
    });
  }

  function hasSelection(selection) {
    for (var k in selection) {
      if (selection[k] && selection[k].length) {
        return true;
      }
    }
    return false;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // ---------- The header box (every page) ----------

  function headerBox() {
    var form = document.getElementById("site-search");
    var input = document.getElementById("site-search-input");
    var popup = document.getElementById("site-search-popup");
    if (!form || !input || !popup) {
      return null;
    }
    var list = el("ul", "sr-list");
    list.id = "site-search-list";
    list.setAttribute("aria-label", "Search results");
    var status = el("p", "sr-status");
    status.setAttribute("role", "status");
    var all = el("a", "sr-all");
    popup.appendChild(status);
    popup.appendChild(list);
    popup.appendChild(all);
    var box = new ResultKeys(input, list);
    var seq = 0;

    function close() {
      popup.hidden = true;
      box.reset();
    }

    function update() {
      var mine = ++seq;
      var q = parseQuery(input.value);
      if (!q.text.trim()) {
        list.textContent = "";
        close();
        return;
      }
      run(q, {}, 8, false).then(function (r) {
        if (mine !== seq) {
          return;
        }
        list.textContent = "";
        r.records.forEach(function (doc, i) {
          list.appendChild(resultItem(doc, q, "site-search-opt-" + i, true));
        });
        box.reset();
        status.textContent = r.docs.length ? plural(r.docs.length, "result") : "No results for “" + q.text + "”";
        all.textContent = "All results →";
        all.href = ROOT + "search/index.html?q=" + encodeURIComponent(q.text);
        all.hidden = r.docs.length <= r.records.length;
        popup.hidden = false;
        list.setAttribute("data-query", q.text);
        list.setAttribute("data-ms", r.ms.toFixed(1));
        S.last = { query: q.text, ms: r.ms, total: r.docs.length, loaded: S.loaded.slice() };
      }).catch(function (err) {
        if (mine === seq) {
          status.textContent = "Search is unavailable: " + err.message;
          popup.hidden = false;
        }
      });
    }

    input.addEventListener("input", update);
    input.addEventListener("focus", function () {
      meta().catch(function () {});
      if (input.value && list.children.length) {
        popup.hidden = false;
      }
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        if (!popup.hidden) {
          close();
        } else {
          input.value = "";
        }
        e.preventDefault();
        return;
      }
      if (!popup.hidden) {
        box.key(e);
      }
    });
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) {
        close();
      }
    });
    // Tabbing past the last result (or anywhere else) closes the popup.
    form.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !form.contains(e.relatedTarget)) {
        close();
      }
    });
    return input;
  }

  // ---------- The search page ----------

  function searchPage() {
    var app = document.getElementById("search-app");
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-input");
    if (!app || !form || !input) {
      return null;
    }
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var facetsBox = document.getElementById("search-facets");
    var more = document.getElementById("search-more");
    var browse = document.getElementById("search-browse");
    var box = new ResultKeys(input, list);
    var selection = {};
    var limit = 20;
    var seq = 0;
    app.hidden = false;

    var params = new URLSearchParams(window.location.search);
    input.value = (params.get("q") || "").slice(0, 1000);
    FACETS.forEach(function (def) {
      var values = params.getAll(def[0]).filter(Boolean);
      if (values.length) {
        selection[def[0]] = values;
      }
    });

    function syncUrl(q) {
      var p = new URLSearchParams();
      if (q.text) {
        p.set("q", q.text);
      }
      FACETS.forEach(function (def) {
        (selection[def[0]] || []).forEach(function (v) { p.append(def[0], v); });
      });
      var s = p.toString();
      try {
        window.history.replaceState(null, "", s ? "?" + s : window.location.pathname);
      } catch (e) {
        // Some browsers refuse history changes on file://; the search still works.
      }
    }

    function renderFacets(counts) {
      facetsBox.textContent = "";
      FACETS.forEach(function (def) {
        var facet = facetState[def[0]];
        var rows = facet.values.map(function (v, i) {
          return { value: v, label: facet.labels[i], count: counts ? counts[def[0]][i] : 0 };
        }).filter(function (r) {
          return r.count > 0 || (selection[def[0]] || []).indexOf(r.value) >= 0;
        });
        if (!rows.length) {
          return;
        }
        rows.sort(function (a, b) { return b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
        var group = el("fieldset", "facet");
        group.appendChild(el("legend", "facet-title", def[1]));
        var ul = el("ul", "facet-list");
        var shown = rows.slice(0, 12);
        (selection[def[0]] || []).forEach(function (v) {
          var r = rows.filter(function (x) { return x.value === v; })[0];
          if (r && shown.indexOf(r) < 0) {
            shown.push(r);
          }
        });
        shown.forEach(function (r) {
          var li = el("li");
          var label = el("label", "facet-option");
          var box = el("input");
          box.type = "checkbox";
          box.name = def[0];
          box.value = r.value;
          box.checked = (selection[def[0]] || []).indexOf(r.value) >= 0;
          box.addEventListener("change", function () {
            var sel = (selection[def[0]] || []).filter(function (v) { return v !== r.value; });
            if (box.checked) {
              sel.push(r.value);
            }
            selection[def[0]] = sel;
            limit = 20;
            update();
          });
          label.appendChild(box);
          label.appendChild(el("span", "facet-label", def[0] === "kind" ? cap(r.label) : r.label));
          label.appendChild(el("span", "facet-count", String(r.count)));
          li.appendChild(label);
          ul.appendChild(li);
        });
        group.appendChild(ul);
        if (rows.length > shown.length) {
          group.appendChild(el("p", "facet-more", "+ " + (rows.length - shown.length) + " more"));
        }
        facetsBox.appendChild(group);
      });
    }

    function update() {
      var mine = ++seq;
      var q = parseQuery(input.value);
      syncUrl(q);
      var active = q.text.trim() !== "" || hasSelection(selection);
      browse.hidden = active;
      if (!active) {
        list.textContent = "";
        status.textContent = "";
        facetsBox.textContent = "";
        more.hidden = true;
        list.setAttribute("data-query", "");
        return;
      }
      run(q, selection, limit, true).then(function (r) {
        if (mine !== seq) {
          return;
        }
        list.textContent = "";
        r.records.forEach(function (doc, i) {
          list.appendChild(resultItem(doc, q, "search-opt-" + i, false));
        });
        box.reset();
        status.textContent = r.docs.length
          ? plural(r.docs.length, "result") + (q.text ? " for “" + q.text + "”" : "")
          : "No results" + (q.text ? " for “" + q.text + "”" : "") + ". Try fewer words, or browse below.";
        browse.hidden = r.docs.length > 0;
        more.hidden = r.docs.length <= r.records.length;
        list.setAttribute("data-query", q.text);
        list.setAttribute("data-ms", r.ms.toFixed(1));
        S.last = { query: q.text, ms: r.ms, total: r.docs.length, loaded: S.loaded.slice() };
        // Counts follow once the facet file is in (it is not needed for the first results).
        r.facetsReady.then(function () {
          if (mine !== seq) {
            return;
          }
          var counts = r.counts || applyFacets(r.meta.docs, r.docs, {}).counts;
          if (!r.counts && hasSelection(selection)) {
            return;
          }
          renderFacets(counts);
          list.setAttribute("data-facets", "ready");
        });
      }).catch(function (err) {
        if (mine === seq) {
          status.textContent = "Search is unavailable: " + err.message;
        }
      });
    }

    input.addEventListener("input", function () {
      limit = 20;
      update();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        input.value = "";
        update();
        e.preventDefault();
        return;
      }
      box.key(e);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      update();
    });
    more.addEventListener("click", function () {
      limit += 20;
      update();
    });
    update();
    return input;
  }

  function cap(s) {
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  // ---------- Start ----------

  function start() {
    var header = headerBox();
    var page = searchPage();
    var target = page || header;
    document.addEventListener("keydown", function (e) {
      if (!target) {
        return;
      }
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        target.focus();
        target.select();
      } else if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        target.focus();
        target.select();
      }
    });
  }

  S.tokens = tokens;
  S.parseQuery = parseQuery;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
