/* Coursesmith: lesson progress and the learner's record, kept in this browser (localStorage).
   No request leaves the page. A lesson counts as read when the learner says so (the "Mark this
   lesson as read" button, or the "Next" link at its end), not merely when the page is opened. */
(function () {
  "use strict";
  var KEY = "coursesmith:read", QUIZ = "coursesmith:quiz:";
  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function save(state) {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage off */ }
  }
  function lessonsOf(el) {
    return (el.getAttribute("data-cs-lessons") || "").split(" ").filter(Boolean);
  }
  function countRead(state, module, lessons) {
    return lessons.filter(function (id) { return state[module + "/" + id]; }).length;
  }

  function setRead(key, read) {
    var state = load(KEY, {});
    if (read) { state[key] = true; } else { delete state[key]; }
    save(state);
  }
  function setupMarkRead() {
    var box = document.querySelector("[data-cs-mark-read]");
    if (!box) return;
    var key = box.getAttribute("data-cs-mark-read"), button = box.querySelector("button");
    var status = box.querySelector("[data-cs-mark-status]");
    function show() {
      var read = !!load(KEY, {})[key];
      button.textContent = read ? "Mark this lesson as unread" : "Mark this lesson as read";
      box.classList.toggle("is-read", read);
      return read;
    }
    box.hidden = false;
    show();
    button.addEventListener("click", function () {
      setRead(key, !load(KEY, {})[key]);
      status.textContent = show() ? "Lesson marked as read." : "Lesson marked as unread.";
    });
    var next = document.querySelector(".cs-pager__next[data-cs-next-lesson]");
    if (next) next.addEventListener("click", function () { setRead(key, true); });
  }

  function showProgress() {
    var state = load(KEY, {});
    document.querySelectorAll("[data-cs-module]").forEach(function (el) {
      var lessons = lessonsOf(el);
      el.textContent = countRead(state, el.getAttribute("data-cs-module"), lessons) + " of " +
        lessons.length + " lessons read";
      el.hidden = false;
    });
    document.querySelectorAll("[data-cs-read]").forEach(function (el) {
      el.textContent = state[el.getAttribute("data-cs-read")] ? "(read)" : "";
    });
  }

  function record(section) {
    var state = load(KEY, {}), modules = [];
    section.querySelectorAll("[data-cs-record-module]").forEach(function (row) {
      var slug = row.getAttribute("data-cs-record-module"), lessons = lessonsOf(row);
      var quiz = row.hasAttribute("data-cs-has-quiz") ? load(QUIZ + slug, {}).result || null : null;
      modules.push({
        module: slug, code: row.querySelector("[data-cs-code]").textContent,
        title: row.querySelector("[data-cs-title]").textContent,
        lessons_read: countRead(state, slug, lessons), lessons_total: lessons.length,
        lessons: lessons.map(function (id) { return { id: id, read: !!state[slug + "/" + id] }; }),
        quiz: quiz
      });
    });
    return {
      course: section.getAttribute("data-cs-course"), title: section.getAttribute("data-cs-course-title"),
      version: section.getAttribute("data-cs-version"), exported: new Date().toISOString(), modules: modules
    };
  }
  function showRecord() {
    var section = document.querySelector("[data-cs-record]");
    if (!section) return;
    record(section).modules.forEach(function (m) {
      var row = section.querySelector('[data-cs-record-module="' + m.module + '"]'), q = m.quiz;
      row.querySelector("[data-cs-record-read]").textContent = m.lessons_read + " of " + m.lessons_total;
      if (row.hasAttribute("data-cs-has-quiz")) {
        row.querySelector("[data-cs-record-quiz]").textContent = q ?
          q.score + " of " + q.total + " (" + q.percent + "%), " + (q.passed ? "passed" : "not passed yet") : "Not taken yet";
      }
    });
    section.hidden = false;
    if (section.getAttribute("data-cs-ready")) return;
    section.setAttribute("data-cs-ready", "1");
    section.querySelector("[data-cs-record-download]").addEventListener("click", function () {
      var data = record(section), a = document.createElement("a");
      var url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" }));
      a.href = url; a.download = data.course + "-progress.json";
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
    section.querySelector("[data-cs-record-print]").addEventListener("click", function () { window.print(); });
  }

  function run() { setupMarkRead(); showProgress(); showRecord(); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(run); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); }
  else { run(); }
})();
