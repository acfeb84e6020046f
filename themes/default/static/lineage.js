// meshdoc default theme: a product's lineage 2 hops, 3 hops or full chains away, drawn on demand.
//
// The product page draws one hop at build time (that works without JavaScript). Deeper views are
// laid out here from lineage/graph.js (every node's downstream neighbours) and lineage/n/<k>.js
// (names, pages and colours of the nodes drawn). Both are scripts that call
// meshdocLineage.load(name, data), so they load from file:// as well as from any server
// sub-path. The drawing is built with DOM nodes and textContent: nothing written in a manifest is
// parsed as HTML. No inline styles, no eval: it runs under a strict Content-Security-Policy.
(function () {
  "use strict";

  var L = (window.meshdocLineage = window.meshdocLineage || {});
  var script = document.currentScript;
  // The site root is where static/lineage.js lives, minus that path.
  var ROOT = script && script.src ? script.src.replace(/static\/lineage\.js(\?.*)?$/, "") : "";
  var SVG = "http://www.w3.org/2000/svg";
  // Box geometry, as the diagrams drawn at build time (crates/render/src/lineage_svg.rs).
  var NODE_W = 196, NODE_H = 42, GAP_X = 84, GAP_Y = 14, MARGIN = 12;
  var LABEL_CHARS = 23, SUB_CHARS = 30;
  // The list below a diagram: at most this many per distance, and this many in all.
  var GROUP_LIST = 60, LIST_TOTAL = 300;

  var slots = {};
  L.load = function (name, data) {
    var slot = slots[name] || (slots[name] = {});
    slot.data = data;
    if (slot.resolve) slot.resolve(data);
  };

  function fetchData(name, path) {
    var slot = slots[name] || (slots[name] = {});
    if (slot.promise) return slot.promise;
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
      document.head.appendChild(el);
    });
    return slot.promise;
  }

  var graphPromise = null;
  function graph() {
    if (!graphPromise) {
      graphPromise = fetchData("graph", "lineage/graph.js").then(function (g) {
        var up = [];
        for (var v = 0; v < g.nodes; v++) up.push([]);
        g.down.forEach(function (outs, v) {
          outs.forEach(function (w) { up[w].push(v); });
        });
        g.up = up;
        return g;
      });
    }
    return graphPromise;
  }

  // Display records [name, url, class, sublabel] of the given nodes, by node number.
  function records(g, nodes) {
    var shards = {};
    nodes.forEach(function (v) { shards[Math.floor(v / g.shard)] = true; });
    var keys = Object.keys(shards);
    return Promise.all(keys.map(function (k) {
      return fetchData("n" + k, "lineage/n/" + k + ".js");
    })).then(function (loaded) {
      var byShard = {};
      keys.forEach(function (k, i) { byShard[k] = loaded[i]; });
      var out = {};
      nodes.forEach(function (v) {
        out[v] = byShard[Math.floor(v / g.shard)][v % g.shard];
      });
      return out;
    });
  }

  // Breadth-first walk up and down from the focus: node -> signed distance (upstream < 0).
  // As the build's Lineage::neighbourhood: the first direction that reaches a node names it.
  function neighbourhood(g, focus, hops) {
    var dist = new Map([[focus, 0]]);
    [[g.up, -1], [g.down, 1]].forEach(function (pair) {
      var adj = pair[0], sign = pair[1];
      var seen = new Set([focus]);
      var frontier = [focus];
      for (var depth = 1; frontier.length && depth <= hops; depth++) {
        var next = [];
        frontier.forEach(function (v) {
          adj[v].forEach(function (w) {
            if (seen.has(w)) return;
            seen.add(w);
            if (!dist.has(w)) dist.set(w, sign * depth);
            next.push(w);
          });
        });
        frontier = next;
      }
    });
    return dist;
  }

  function truncate(text, max) {
    var chars = Array.from(text);
    return chars.length <= max ? text : chars.slice(0, max - 1).join("").trim() + "…";
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function byName(recs) {
    return function (a, b) {
      var x = recs[a][0], y = recs[b][0];
      return x < y ? -1 : x > y ? 1 : a - b;
    };
  }

  // Columns by signed distance; within a column, ordered by the mean position of the neighbours
  // in the column nearer to the focus (then by name), so edges cross little. A crowded column
  // keeps its first perLayer nodes and counts the rest in a "+N more" box.
  function layout(g, focus, shown, recs) {
    var columns = new Map();
    shown.forEach(function (d, v) {
      if (!columns.has(d)) columns.set(d, []);
      columns.get(d).push(v);
    });
    var keys = Array.from(columns.keys()).sort(function (a, b) { return a - b; });
    var pos = new Map([[focus, 0]]);
    var order = keys.slice().sort(function (a, b) { return Math.abs(a) - Math.abs(b); });
    var laid = {};
    order.forEach(function (d) {
      var col = columns.get(d).slice().sort(byName(recs));
      if (d !== 0) {
        var towards = d < 0 ? g.down : g.up;
        var centre = new Map();
        col.forEach(function (v) {
          var sum = 0, n = 0;
          towards[v].forEach(function (w) {
            if (pos.has(w) && shown.get(w) === d + (d < 0 ? 1 : -1)) { sum += pos.get(w); n++; }
          });
          centre.set(v, n ? sum / n : Infinity);
        });
        col.sort(function (a, b) { return centre.get(a) - centre.get(b) || byName(recs)(a, b); });
      }
      var kept = col.slice(0, g.perLayer);
      kept.forEach(function (v, i) { pos.set(v, i); });
      laid[d] = { nodes: kept, more: col.length - kept.length };
    });
    return { keys: keys, laid: laid };
  }

  function drawNode(parent, x, y, cls, label, sub, title, href) {
    var visible = truncate(label, LABEL_CHARS) + (sub ? " " + truncate(sub, SUB_CHARS) : "");
    var wrap = href
      ? el("a", { href: href, "aria-label": visible }, parent)
      : el("g", { role: "img", "aria-label": visible }, parent);
    el("title", {}, wrap).textContent = title;
    var g = el("g", { class: cls, transform: "translate(" + x + " " + y + ")" }, wrap);
    el("rect", { width: NODE_W, height: NODE_H, rx: 6 }, g);
    if (sub) {
      el("text", { x: 10, y: 18, class: "nl" }, g).textContent = truncate(label, LABEL_CHARS);
      el("text", { x: 10, y: 34, class: "ns" }, g).textContent = truncate(sub, SUB_CHARS);
    } else {
      el("text", { x: 10, y: 26, class: "nl" }, g).textContent = truncate(label, LABEL_CHARS);
    }
  }

  function diagram(g, focus, shown, recs, total, listId) {
    var lay = layout(g, focus, shown, recs);
    var heights = lay.keys.map(function (d) {
      var n = lay.laid[d].nodes.length + (lay.laid[d].more ? 1 : 0);
      return n * NODE_H + (n - 1) * GAP_Y;
    });
    var height = Math.max.apply(null, heights) + 2 * MARGIN;
    var width = 2 * MARGIN + lay.keys.length * NODE_W + (lay.keys.length - 1) * GAP_X;
    var name = recs[focus][0];
    var svg = el("svg", {
      class: "lineage-svg", width: width, height: height,
      viewBox: "0 0 " + width + " " + height, role: "group",
      "aria-label": "Lineage diagram of " + name + ": " + (total - 1) +
        " connected nodes; sources on the left, consumers on the right",
    });
    var defs = el("defs", {}, svg);
    var marker = el("marker", {
      id: "lgx-a", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: "auto-start-reverse",
    }, defs);
    el("path", { d: "M0 0L10 5L0 10z", class: "arrow" }, marker);
    var edges = el("g", { class: "edges", "aria-hidden": "true" }, svg);
    var nodes = el("g", { class: "nodes" }, svg);
    var at = new Map();
    lay.keys.forEach(function (d, c) {
      var col = lay.laid[d];
      var n = col.nodes.length + (col.more ? 1 : 0);
      var top = (height - (n * NODE_H + (n - 1) * GAP_Y)) / 2;
      var x = MARGIN + c * (NODE_W + GAP_X);
      col.nodes.forEach(function (v, i) {
        var y = top + i * (NODE_H + GAP_Y);
        at.set(v, [x, y]);
        var r = recs[v];
        var cls = "n " + r[2] + (v === focus ? " focus" : "");
        drawNode(nodes, x, y, cls, r[0], r[3], r[0] + " (" + r[3] + ")", r[1] ? ROOT + r[1] : null);
      });
      if (col.more) {
        var y = top + col.nodes.length * (NODE_H + GAP_Y);
        var word = d < 0 ? "upstream" : "downstream";
        drawNode(nodes, x, y, "n more", "+" + col.more + " more " + word, "see the list below",
          col.more + " more nodes " + Math.abs(d) + " hops " + word + "; all are in the list below",
          "#" + listId);
      }
    });
    at.forEach(function (p, v) {
      g.down[v].forEach(function (w) {
        var q = at.get(w);
        if (!q) return;
        var back = q[0] <= p[0];
        var x1 = p[0] + NODE_W, y1 = p[1] + NODE_H / 2, x2 = q[0], y2 = q[1] + NODE_H / 2;
        var bend = Math.max(40, Math.abs(x2 - x1) / 2);
        var d = back
          ? "M" + (p[0] + NODE_W / 2) + " " + (p[1] + NODE_H) + "C" + (p[0] + NODE_W / 2) + " " +
            (p[1] + NODE_H + 60) + " " + (q[0] + NODE_W / 2) + " " + (q[1] + NODE_H + 60) + " " +
            (q[0] + NODE_W / 2) + " " + (q[1] + NODE_H)
          : "M" + x1 + " " + y1 + "C" + (x1 + bend) + " " + y1 + " " + (x2 - bend) + " " + y2 +
            " " + x2 + " " + y2;
        el("path", { class: back ? "e back" : "e", d: d, "marker-end": "url(#lgx-a)" }, edges);
      });
    });
    return svg;
  }

  // Every node of the view by direction and distance, as link lists (bounded like the drawing).
  function list(focus, dist, recs, listId) {
    var box = document.createElement("div");
    box.id = listId;
    var groups = new Map();
    dist.forEach(function (d, v) {
      if (v === focus) return;
      if (!groups.has(d)) groups.set(d, []);
      groups.get(d).push(v);
    });
    var keys = Array.from(groups.keys()).sort(function (a, b) {
      return (a > 0) - (b > 0) || Math.abs(a) - Math.abs(b);
    });
    var listed = 0;
    keys.forEach(function (d) {
      var members = groups.get(d);
      var h = document.createElement("h4");
      h.className = "chain-title";
      h.textContent = Math.abs(d) + (Math.abs(d) === 1 ? " hop " : " hops ") +
        (d < 0 ? "upstream" : "downstream") + " (" + members.length + ")";
      box.appendChild(h);
      var ul = document.createElement("ul");
      ul.className = "chain-list";
      var named = members.filter(function (v) { return recs[v]; }).sort(byName(recs));
      var room = Math.max(0, Math.min(GROUP_LIST, LIST_TOTAL - listed));
      named.slice(0, room).forEach(function (v) {
        var r = recs[v];
        var li = document.createElement("li");
        li.className = "lg-" + r[2].split(" ")[0];
        var item = document.createElement(r[1] ? "a" : "span");
        if (r[1]) item.href = ROOT + r[1];
        item.textContent = r[0];
        item.title = r[0] + " (" + r[3] + ")";
        li.appendChild(item);
        ul.appendChild(li);
      });
      listed += Math.min(room, named.length);
      box.appendChild(ul);
      if (members.length > room) {
        var p = document.createElement("p");
        p.className = "muted small";
        p.textContent = "… and " + (members.length - room) + " more (every link is in catalog.json under lineage.edges).";
        box.appendChild(p);
      }
    });
    return box;
  }

  // The nearest `max` nodes (by distance, then node number), the focus first.
  function nearest(dist, max) {
    var all = Array.from(dist.entries()).sort(function (a, b) {
      return Math.abs(a[1]) - Math.abs(b[1]) || a[0] - b[0];
    });
    return new Map(all.slice(0, max));
  }

  function show(explorer, hops) {
    var section = explorer.closest("section") || document;
    var oneHop = section.querySelector(".lineage-figure:not(.lineage-deeper-figure)");
    var fallback = section.querySelector(".lineage-fallback");
    var deeper = explorer.querySelector(".lineage-deeper");
    var status = explorer.querySelector(".lineage-status");
    explorer.querySelectorAll("button[data-hops]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-hops") === hops));
    });
    if (fallback) fallback.hidden = true;
    if (hops === "1") {
      deeper.replaceChildren();
      status.textContent = "";
      if (oneHop) oneHop.hidden = false;
      return;
    }
    status.textContent = "Loading the lineage graph…";
    var focus = Number(explorer.getAttribute("data-node"));
    var depth = hops === "all" ? Infinity : Number(hops);
    graph().then(function (g) {
      var dist = neighbourhood(g, focus, depth);
      var shown = nearest(dist, g.maxNodes);
      var listed = Array.from(dist.keys());
      return records(g, listed.length > 5000 ? Array.from(shown.keys()) : listed).then(function (recs) {
        var listId = "lineage-deeper-list";
        var figure = document.createElement("figure");
        figure.className = "lineage-figure lineage-deeper-figure";
        var scroll = document.createElement("div");
        scroll.className = "lineage-scroll";
        scroll.tabIndex = 0;
        scroll.setAttribute("aria-label", "Lineage diagram (scrollable)");
        scroll.appendChild(diagram(g, focus, shown, recs, dist.size, listId));
        figure.appendChild(scroll);
        var caption = document.createElement("figcaption");
        caption.className = "lineage-caption";
        var label = hops === "all" ? "Full chains" : hops + " hops";
        caption.textContent = label + " up and down: " + (dist.size - 1) + " connected node" +
          (dist.size === 2 ? "" : "s") + (shown.size < dist.size ? ", the nearest " + (shown.size - 1) + " drawn" : "") +
          ". Data flows left to right; each box links to its page.";
        figure.appendChild(caption);
        var heading = document.createElement("h3");
        heading.className = "panel-title";
        heading.textContent = "Every node in this view (" + (dist.size - 1) + ")";
        deeper.replaceChildren(figure, heading, list(focus, dist, recs, listId));
        if (oneHop) oneHop.hidden = true;
        status.textContent = label + ": " + (dist.size - 1) + " connected nodes.";
      });
    }).catch(function (e) {
      status.textContent = "The deeper lineage could not be loaded (" + e.message + ").";
      if (fallback) fallback.hidden = false;
    });
  }

  function init() {
    document.querySelectorAll(".lineage-explorer").forEach(function (explorer) {
      explorer.hidden = false;
      // The explorer lists every node of each view; the bounded no-script list would repeat it.
      var section = explorer.closest("section");
      var fallback = section && section.querySelector(".lineage-fallback");
      if (fallback) fallback.hidden = true;
      explorer.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-hops]");
        if (button) show(explorer, button.getAttribute("data-hops"));
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
