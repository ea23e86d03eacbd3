/* Coursesmith SCORM 1.2 runtime adapter, in the package's launch page (index.html).
   Finds the LMS's API object (the ADL search: up the parent chain, then the opener's, then the
   top window's opener's), opens the session, keeps cmi.core.lesson_location on the page shown
   in the content frame, reports the finished quiz as cmi.core.score (percent: min 0, max 100,
   as adlcp:masteryscore expects) and passed/failed against the pass mark, and closes the
   session when the page goes away.
   Without an LMS it does nothing: the frame and its links work as a plain offline module. */
(function () {
  "use strict";
  var MAX_DEPTH = 7;
  var api = null, finished = false, started = Date.now();
  var frame = document.getElementById("cs-content");
  // A module without a quiz has no pass mark: it is completed once every page has been shown.
  var passMark = document.body.getAttribute("data-cs-pass"), seen = {};
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-cs-page]"));
  var pages = links.map(function (a) { return a.getAttribute("data-cs-page"); });

  function search(win) {
    for (var depth = 0; win && depth <= MAX_DEPTH; depth++) {
      try { if (win.API) return win.API; } catch (e) { return null; } // another origin: stop
      if (win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }
  function findApi() {
    var found = search(window);
    if (!found && window.opener) found = search(window.opener);
    // An LMS may open a window of its own that shows the package in a frame: that frame has no
    // opener, the window holding it has.
    try {
      if (!found && window.top !== window && window.top.opener) found = search(window.top.opener);
    } catch (e) { /* a top window of another origin: no API to reach there */ }
    return found;
  }
  function get(name) { var value = api.LMSGetValue(name); return value == null ? "" : String(value); }
  function set(name, value) { api.LMSSetValue(name, String(value)); }
  function commit() { api.LMSCommit(""); }

  function show(page) {
    links.forEach(function (a) {
      if (a.getAttribute("data-cs-page") === page) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }
  function timespan(ms) {
    // CMITimespan: HHHH:MM:SS, hours at least two digits.
    var s = Math.floor(ms / 1000), h = Math.min(9999, Math.floor(s / 3600));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(h) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }

  function start() {
    api = findApi();
    if (!api) return;
    if (String(api.LMSInitialize("")) !== "true") { api = null; return; }
    var status = get("cmi.core.lesson_status");
    // Never downgrade: a learner who passed earlier stays passed when reviewing the module.
    if (status === "" || status === "not attempted") set("cmi.core.lesson_status", "incomplete");
    var resume = get("cmi.core.lesson_location");
    // Index 0 is the overview, which the frame already shows.
    if (pages.indexOf(resume) > 0) { frame.src = resume; show(resume); }
    commit();
  }
  function finish() {
    if (!api || finished) return;
    finished = true;
    set("cmi.core.session_time", timespan(Date.now() - started));
    // "suspend" keeps the location for the next launch while the module is unfinished.
    set("cmi.core.exit", get("cmi.core.lesson_status") === "incomplete" ? "suspend" : "");
    commit();
    api.LMSFinish("");
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!frame || event.source !== frame.contentWindow || !data || typeof data !== "object") return;
    if (data.type === "coursesmith:page" && pages.indexOf(data.page) >= 0) {
      show(data.page);
      seen[data.page] = true;
      if (api && !finished) {
        set("cmi.core.lesson_location", data.page);
        if (passMark === null && pages.every(function (p) { return seen[p]; })) set("cmi.core.lesson_status", "completed");
        commit();
      }
    } else if (data.type === "coursesmith:quiz-result" && api && !finished && passMark !== null) {
      var percent = Math.round(+data.percent);
      if (!(percent >= 0 && percent <= 100)) return;
      set("cmi.core.score.min", 0);
      set("cmi.core.score.max", 100);
      set("cmi.core.score.raw", percent);
      set("cmi.core.lesson_status", percent >= +passMark ? "passed" : "failed");
      commit();
    }
  });
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  start();
})();
