/* Coursesmith SCORM package, every content page: tells the launch page (assets/scorm.js) which
   page is shown and, on a quiz page, the quiz's answers after each check or retry, as quiz.js
   keeps them (localStorage "coursesmith:quiz:<module>"), for the LMS's cmi.suspend_data.
   Opened on its own (not in the launch page's frame) it does nothing. */
(function () {
  "use strict";
  if (window.parent === window) return;
  // file:// pages have an opaque origin, which postMessage can only address as "*".
  var origin = location.protocol === "file:" ? "*" : location.origin;
  function tell(message) {
    try { window.parent.postMessage(message, origin); } catch (e) { /* no launch page */ }
  }
  tell({ type: "coursesmith:page", page: document.body.getAttribute("data-cs-page") });
  var quiz = document.querySelector("[data-cs-quiz]");
  if (!quiz) return;
  var slug = quiz.getAttribute("data-cs-quiz");
  function report() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem("coursesmith:quiz:" + slug)); } catch (e) { return; }
    tell({ type: "coursesmith:quiz-state", quiz: slug, answers: (saved && saved.answers) || {} });
  }
  // After quiz.js's own handlers, whichever order they were added in.
  quiz.addEventListener("submit", function () { setTimeout(report, 0); });
  quiz.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-cs-retry]")) setTimeout(report, 0);
  });
})();
