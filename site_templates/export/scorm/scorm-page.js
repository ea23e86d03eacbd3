/* Coursesmith SCORM package, every content page: tells the launch page (assets/scorm.js) which
   page is shown and, from quiz.js's "coursesmith:quiz-result" event, when the quiz is finished.
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
  document.addEventListener("coursesmith:quiz-result", function (event) {
    var result = event.detail || {};
    tell({ type: "coursesmith:quiz-result", score: result.score, total: result.total, percent: result.percent });
  });
})();
