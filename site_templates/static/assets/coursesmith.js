/* Coursesmith: lesson progress kept in this browser (localStorage). No request leaves the page. */
(function () {
  "use strict";
  var KEY = "coursesmith:read";
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function save(state) {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage off */ }
  }
  function markRead() {
    var meta = document.querySelector("[data-cs-lesson]");
    if (!meta) return;
    var state = load();
    state[meta.getAttribute("data-cs-lesson")] = true;
    save(state);
  }
  function showProgress() {
    var state = load();
    document.querySelectorAll("[data-cs-module]").forEach(function (el) {
      var module = el.getAttribute("data-cs-module");
      var lessons = (el.getAttribute("data-cs-lessons") || "").split(" ").filter(Boolean);
      var read = lessons.filter(function (id) { return state[module + "/" + id]; }).length;
      el.textContent = read + " of " + lessons.length + " lessons read";
    });
  }
  function run() { markRead(); showProgress(); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(run); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); }
  else { run(); }
})();
