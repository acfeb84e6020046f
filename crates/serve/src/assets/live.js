// meshdoc serve: reload this page when the site is rebuilt, and show why a save was not built.
// Added by `meshdoc serve` only; a built site never contains it.
(function () {
  'use strict';
  var script = document.currentScript;
  var build = script ? new URL(script.src, location.href).searchParams.get('build') : null;
  var style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = '/__meshdoc/live.css';
  document.head.appendChild(style);

  var overlay = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function located(problem) {
    var where = problem.path || problem.source || '';
    if (problem.line) {
      where += ':' + problem.line;
      if (problem.column) where += ':' + problem.column;
    }
    return where;
  }

  function show(status) {
    var broken = status.state === 'held' || status.state === 'failed';
    if (!broken) {
      if (overlay) overlay.remove();
      overlay = null;
      return;
    }
    if (!overlay) {
      overlay = element('aside', 'meshdoc-live');
      overlay.setAttribute('role', 'alert');
      overlay.setAttribute('aria-label', 'meshdoc serve: build problems');
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    var head = element('div', 'meshdoc-live-head');
    head.appendChild(element('strong', null, status.summary));
    var close = element('button', null, 'Hide');
    close.type = 'button';
    close.addEventListener('click', function () { overlay.hidden = true; });
    head.appendChild(close);
    overlay.appendChild(head);
    var list = element('ul');
    status.problems.forEach(function (problem) {
      var item = element('li');
      var where = located(problem);
      if (where) item.appendChild(element('code', 'meshdoc-live-where', where));
      item.appendChild(element('span', 'meshdoc-live-message', problem.message));
      if (problem.hint) item.appendChild(element('span', 'meshdoc-live-hint', problem.hint));
      list.appendChild(item);
    });
    overlay.appendChild(list);
    overlay.hidden = false;
  }

  var events = new EventSource('/__meshdoc/events' + (build ? '?build=' + encodeURIComponent(build) : ''));
  events.addEventListener('reload', function () { location.reload(); });
  events.addEventListener('status', function (event) { show(JSON.parse(event.data)); });
})();
