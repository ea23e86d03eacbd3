/* Coursesmith SCORM 1.2 runtime adapter, in the package's launch page (index.html).
   Finds the LMS's API object (the ADL search: up the parent chain, then the opener's, then the
   top window's opener's) and opens the session. It keeps the learner's progress (pages read,
   quiz answers, each quiz's last result) in cmi.suspend_data (see scorm-state.js) and restores
   it on the next launch; it keeps cmi.core.lesson_location on the page shown in the content
   frame, and reports the score (percent: min 0, max 100) and passed/failed: for one module its
   quiz against the pass mark; for a whole course the mean of the module quizzes, passed when
   every module quiz is passed. A package without a quiz is completed once every page is read.
   It commits when that state changes, never while the page unloads (browsers refuse requests
   made then): on unload it sets the session time and calls LMSFinish, which saves by itself.
   cmi.core.lesson_mode "browse" or "review" shows the progress without changing anything.
   Without an LMS it does nothing: the frame and its links work as a plain offline module. */
(function () {
  "use strict";
  var MAX_DEPTH = 7, LIMIT = 4096, QUIZ_KEY = "coursesmith:quiz:";
  var api = null, finished = false, readOnly = false, dirty = false, started = Date.now();
  var frame = document.getElementById("cs-content");
  var described = document.getElementById("cs-package").textContent;
  var structure = JSON.parse(described), print = CoursesmithState.fingerprint(described);
  var state = CoursesmithState.empty(structure), sent = {};
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-cs-page]"));
  var pages = structure.pages;

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
  /* Sends a value only when it differs from what the LMS holds, and remembers to commit. */
  function set(name, value) {
    value = String(value);
    if (sent[name] === value) return;
    if (String(api.LMSSetValue(name, value)) === "true") { sent[name] = value; dirty = true; }
  }
  function commit() {
    if (dirty && String(api.LMSCommit("")) === "true") dirty = false;
  }

  function show(page) {
    links.forEach(function (a) {
      if (a.getAttribute("data-cs-page") === page) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }
  function markRead() {
    links.forEach(function (a) {
      a.querySelector("[data-cs-read]").hidden = !state.read[a.getAttribute("data-cs-page")];
    });
  }
  function timespan(ms) {
    // CMITimespan: HHHH:MM:SS, hours at least two digits.
    var s = Math.floor(ms / 1000), h = Math.min(9999, Math.floor(s / 3600));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(h) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }
  /* quiz.js keeps a quiz's answers in localStorage; the LMS's copy is the one that counts. */
  function seedQuizzes() {
    structure.quizzes.forEach(function (quiz) {
      try {
        localStorage.setItem(QUIZ_KEY + quiz.slug, JSON.stringify({ answers: state.quizzes[quiz.slug].answers }));
      } catch (e) { /* storage off: the quiz starts empty */ }
    });
  }
  /* What the LMS should record now: {status, score}, or null while nothing is decided. */
  function outcome() {
    var quizzes = structure.quizzes;
    if (!quizzes.length) {
      return pages.every(function (p) { return state.read[p]; }) ? { status: "completed", score: null } : null;
    }
    var total = 0, passed = true;
    for (var i = 0; i < quizzes.length; i++) {
      var result = state.quizzes[quizzes[i].slug].result;
      if (result === null) return null;
      total += result;
      if (result < quizzes[i].pass) passed = false;
    }
    return { status: passed ? "passed" : "failed", score: Math.round(total / quizzes.length) };
  }
  function finishedAttempt() {
    var status = sent["cmi.core.lesson_status"];
    return status === "passed" || status === "completed";
  }
  /* Records a change of progress: suspend data, status, score and exit, then one commit. */
  function record() {
    if (!api || finished || readOnly) return;
    var text = CoursesmithState.encode(structure, print, state);
    if (text.length <= LIMIT) set("cmi.suspend_data", text);
    var result = outcome();
    if (result) {
      if (result.score !== null) {
        set("cmi.core.score.min", 0);
        set("cmi.core.score.max", 100);
        set("cmi.core.score.raw", result.score);
      }
      set("cmi.core.lesson_status", result.status);
    }
    // "suspend" keeps the progress for the next launch while the package is unfinished.
    set("cmi.core.exit", finishedAttempt() ? "" : "suspend");
    commit();
  }

  function start() {
    api = findApi();
    if (!api) return;
    if (String(api.LMSInitialize("")) !== "true") { api = null; return; }
    // A missing or unknown lesson_mode is "normal".
    var mode = get("cmi.core.lesson_mode");
    readOnly = mode === "browse" || mode === "review";
    ["cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max",
      "cmi.suspend_data", "cmi.core.lesson_location"].forEach(function (name) { sent[name] = get(name); });
    state = CoursesmithState.decode(structure, print, sent["cmi.suspend_data"]);
    seedQuizzes();
    markRead();
    var status = sent["cmi.core.lesson_status"];
    // Never downgrade: a learner who passed earlier stays passed when reviewing the package.
    if (!readOnly && (status === "" || status === "not attempted")) set("cmi.core.lesson_status", "incomplete");
    var resume = sent["cmi.core.lesson_location"];
    // Index 0 is the first page, which the frame already shows.
    if (pages.indexOf(resume) > 0) { frame.src = resume; show(resume); }
    record();
  }
  function finish() {
    if (!api || finished) return;
    finished = true;
    // Once per session; LMSFinish saves what was set, so no LMSCommit here.
    api.LMSSetValue("cmi.core.session_time", timespan(Date.now() - started));
    api.LMSFinish("");
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!frame || event.source !== frame.contentWindow || !data || typeof data !== "object") return;
    if (data.type === "coursesmith:page" && pages.indexOf(data.page) >= 0) {
      show(data.page);
      state.read[data.page] = true;
      markRead();
      if (api && !finished && !readOnly) set("cmi.core.lesson_location", data.page);
      record();
    } else if (data.type === "coursesmith:quiz-state" && CoursesmithState.takeQuizState(structure, state, data)) {
      record();
    }
  });
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  start();
})();
