// meshdoc default theme: light/dark toggle. The choice is kept in localStorage;
// without a stored choice the page follows prefers-color-scheme (pure CSS).
// Loaded without `defer` in <head>: the stored theme is set on <html> before the first paint, so
// dark-mode readers see no light flash; everything that needs the body waits for it.
function meshdocWhenReady(fn) {
  "use strict";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fn);
  } else {
    fn();
  }
}

(function () {
  "use strict";
  var KEY = "meshdoc-theme";
  var root = document.documentElement;

  function stored() {
    try {
      var v = window.localStorage.getItem(KEY);
      return v === "dark" || v === "light" ? v : null;
    } catch (e) {
      return null; // storage disabled (some browsers on file://)
    }
  }

  function systemDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  function current() {
    var attr = root.getAttribute("data-theme");
    if (attr === "dark" || attr === "light") {
      return attr;
    }
    return systemDark() ? "dark" : "light";
  }

  function reflect(button) {
    var dark = current() === "dark";
    button.setAttribute("aria-pressed", dark ? "true" : "false");
    button.title = dark ? "Switch to light theme" : "Switch to dark theme";
  }

  var choice = stored();
  if (choice) {
    root.setAttribute("data-theme", choice);
  }

  // The toggle is in the body: wire it once the document is parsed.
  meshdocWhenReady(function () {
    var button = document.getElementById("theme-toggle");
    if (!button) {
      return;
    }
    button.hidden = false;
    reflect(button);
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(KEY, next);
      } catch (e) {
        // Not persisted; the toggle still works for this page.
      }
      reflect(button);
    });
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      var onChange = function () {
        reflect(button);
      };
      if (query.addEventListener) {
        query.addEventListener("change", onChange);
      }
    }
  });
})();

// Provenance dates: the page carries the absolute date (deterministic builds); the reader sees
// how long ago that was, with the exact time on hover.
meshdocWhenReady(function () {
  "use strict";
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  var nodes = document.querySelectorAll("time[data-relative]");
  var now = Date.now() / 1000;
  for (var i = 0; i < nodes.length; i++) {
    var t = Date.parse(nodes[i].getAttribute("datetime"));
    if (isNaN(t)) { continue; }
    var ago = now - t / 1000;
    var text = "just now";
    for (var j = 0; j < units.length; j++) {
      var n = Math.floor(Math.abs(ago) / units[j][1]);
      if (n >= 1) {
        text = n + " " + units[j][0] + (n > 1 ? "s" : "") + (ago >= 0 ? " ago" : " from now");
        break;
      }
    }
    nodes[i].title = nodes[i].getAttribute("datetime");
    nodes[i].textContent = text;
  }
});

// The search page's filters fold into a disclosure on narrow screens (the results come first)
// and stay open on wide ones.
meshdocWhenReady(function () {
  "use strict";
  var filters = document.getElementById("search-filters");
  if (!filters || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 761px)");
  var apply = function () {
    filters.open = wide.matches;
  };
  apply();
  if (wide.addEventListener) {
    wide.addEventListener("change", apply);
  }
});
