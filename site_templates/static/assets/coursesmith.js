/* Coursesmith: the learner's progress, kept in this browser (localStorage), and keyboard access
   to the navigation drawer. No request leaves the page. A lesson counts as read when the learner
   says so (the "Mark this lesson as read" button, or the "Next" button at its end), not merely
   when the page is opened. Stored progress that is missing, stale (a lesson that no longer
   exists) or corrupted (not JSON, or JSON of the wrong shape) is ignored, never trusted. */
(function () {
  "use strict";
  var KEY = "coursesmith:read", QUIZ = "coursesmith:quiz:", NAME = "coursesmith:learner-name";
  var TITLES = "coursesmith:titles";
  // Interface text: English here; a page in another language carries its catalogue's strings
  // as JSON (#cs-strings, from generator/i18n/script_strings.py), keyed as below.
  var STRINGS = (function () {
    try { return JSON.parse(document.getElementById("cs-strings").textContent) || {}; } catch (e) { return {}; }
  })();
  function t(key, english, values) {
    var text = typeof STRINGS[key] === "string" && STRINGS[key] ? STRINGS[key] : english;
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values && name in values ? values[name] : all; });
  }
  // A message that depends on a count: {CLDR category: text}, chosen by the page language's rules.
  function tn(key, n, one, other, values) {
    var forms = STRINGS[key], text = n === 1 ? one : other;
    if (forms && typeof forms === "object") {
      text = forms[new Intl.PluralRules(document.documentElement.lang || "en").select(n)] || forms.other || text;
    }
    values.num = n;
    return t("", text, values);
  }

  function isObject(value) { return !!value && typeof value === "object" && !Array.isArray(value); }
  function loadObject(key) {
    try {
      var value = JSON.parse(localStorage.getItem(key));
      return isObject(value) ? value : {};
    } catch (e) { return {}; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, typeof value === "string" ? value : JSON.stringify(value)); }
    catch (e) { /* storage off or full: progress is simply not kept */ }
  }
  function readState() {
    // Only `true` marks count; anything else a damaged record holds is dropped.
    var raw = loadObject(KEY), state = {};
    Object.keys(raw).forEach(function (k) { if (raw[k] === true) state[k] = true; });
    return state;
  }
  function setRead(key, read) {
    var state = readState();
    if (read) { state[key] = true; } else { delete state[key]; }
    store(KEY, state);
  }
  /* A quiz's last result as quiz.js stores it, each value checked by type (a damaged record
     is no result; a date that is not YYYY-MM-DD is left out). */
  function isCount(v) { return typeof v === "number" && isFinite(v) && v >= 0; }
  function quizResult(slug) {
    var r = loadObject(QUIZ + slug).result;
    if (!isObject(r) || !isCount(r.score) || !isCount(r.total) || !isCount(r.percent) ||
        typeof r.passed !== "boolean") return null;
    var result = { score: r.score, total: r.total, percent: r.percent, passed: r.passed };
    if (typeof r.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(r.date)) result.date = r.date;
    return result;
  }
  function quizText(r) {
    if (!r) return t("progress.quiz_none", "not taken yet");
    return r.passed ? t("progress.quiz_passed", "{score} of {total} ({percent}%), passed", r)
      : t("progress.quiz_failed", "{score} of {total} ({percent}%), not passed yet", r);
  }
  function lessonsOf(el) {
    return (el.getAttribute("data-cs-lessons") || "").split(" ").filter(Boolean);
  }
  function countRead(state, module, lessons) {
    return lessons.filter(function (id) { return state[module + "/" + id]; }).length;
  }
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  /* Lesson titles the learner has met (a lesson page's own, and the one its "Next" button names),
     so the home page can say "Continue: <title>" without carrying every lesson's title. */
  function rememberTitles() {
    var meta = document.querySelector("[data-cs-lesson][data-cs-title]");
    if (!meta) return;
    var titles = loadObject(TITLES);
    titles[meta.getAttribute("data-cs-lesson")] = meta.getAttribute("data-cs-title");
    var next = document.querySelector(".cs-pager__next[data-cs-next-lesson]");
    var id = next && next.getAttribute("data-cs-next-lesson");
    // The button says "Next: <title>" in the page's language: the title follows the first colon.
    if (id && id.indexOf("/") > 0) titles[id] = next.textContent.replace(/^[^:]*:\s*/, "").trim();
    store(TITLES, titles);
  }

  function setupMarkRead() {
    var box = document.querySelector("[data-cs-mark-read]");
    if (!box || box.getAttribute("data-cs-ready")) return;
    box.setAttribute("data-cs-ready", "1");
    var key = box.getAttribute("data-cs-mark-read"), button = box.querySelector("button");
    var status = box.querySelector("[data-cs-mark-status]");
    function show() {
      var read = !!readState()[key];
      button.textContent = read ? t("progress.unmark", "Mark this lesson as unread") : t("progress.mark", "Mark this lesson as read");
      box.classList.toggle("is-read", read);
      return read;
    }
    box.hidden = false;
    show();
    button.addEventListener("click", function () {
      setRead(key, !readState()[key]);
      status.textContent = show() ? t("progress.marked", "Lesson marked as read.") : t("progress.unmarked", "Lesson marked as unread.");
    });
    var next = document.querySelector(".cs-pager__next[data-cs-next-lesson]");
    if (next) next.addEventListener("click", function () { setRead(key, true); });
  }

  function showProgress() {
    var state = readState();
    each("[data-cs-module]", function (el) {
      var slug = el.getAttribute("data-cs-module"), lessons = lessonsOf(el);
      var read = countRead(state, slug, lessons), hasQuiz = el.hasAttribute("data-cs-quiz");
      var result = hasQuiz ? quizResult(slug) : null;
      var bar = el.querySelector("progress"), text = el.querySelector("[data-cs-progress-text]");
      var words = tn("progress.lessons", lessons.length, "{read} of {num} lesson read", "{read} of {num} lessons read",
        { read: read });
      if (hasQuiz) words = t("progress.with_quiz", "{lessons} · quiz {quiz}", { lessons: words, quiz: quizText(result) });
      if (bar) bar.value = read + (result && result.passed ? 1 : 0);
      if (text) { text.textContent = words; } else { el.textContent = words; }
      el.hidden = false;
    });
    each("[data-cs-read]", function (el) {
      el.textContent = state[el.getAttribute("data-cs-read")] ? t("progress.read", "(read)") : "";
    });
    each("[data-cs-quiz-result]", function (el) {
      var r = quizResult(el.getAttribute("data-cs-quiz-result"));
      if (r) el.textContent = t("progress.last", "Your last result in this browser: {result}.", { result: quizText(r) });
    });
  }

  /* Home: one button, "Start the course" until a lesson is read or a quiz taken, then
     "Continue: <the first step not done>", in course order: each module's lessons, then its quiz
     until passed. A lesson's address is its module's address plus its id, in the engine's style
     (directory URLs "m/" -> "m/id/", or files "m/index.html" -> "m/id.html"). */
  function lessonHref(moduleHref, id) {
    return /index\.html$/.test(moduleHref) ? moduleHref.replace(/index\.html$/, id + ".html")
      : moduleHref.replace(/\/?$/, "/") + id + "/";
  }
  function showStart() {
    var button = document.querySelector("[data-cs-start]");
    if (!button) return;
    var state = readState(), titles = loadObject(TITLES), begun = false, next = null;
    var cards = document.querySelectorAll(".cs-card");
    Array.prototype.forEach.call(cards, function (card) {
      var box = card.querySelector("[data-cs-module]"), link = card.querySelector("h3 a[href], .cs-module-list a[href]");
      if (!box || !link) return;
      var slug = box.getAttribute("data-cs-module"), href = link.getAttribute("href");
      lessonsOf(box).forEach(function (id, index) {
        if (state[slug + "/" + id]) { begun = true; return; }
        if (next) return;
        var title = titles[slug + "/" + id];
        next = { href: lessonHref(href, id), text: typeof title === "string" && title ? title
          : t("progress.lesson", "{module}, lesson {number}", { module: link.textContent.trim(), number: index + 1 }) };
      });
      if (box.hasAttribute("data-cs-quiz")) {
        var result = quizResult(slug);
        if (result) begun = true;
        if (!next && !(result && result.passed)) {
          next = { href: lessonHref(href, "quiz"), text: cards.length > 1
            ? t("progress.quiz_of", "the module quiz ({code})", { code: card.querySelector(".cs-card__code").textContent })
            : t("progress.quiz", "the module quiz") };
        }
      }
    });
    if (!begun) return;
    var progress = document.querySelector("[data-cs-progress-link]");
    if (!next && progress) next = { href: progress.getAttribute("href"), done: true };
    if (!next) return;
    button.setAttribute("href", next.href);
    button.textContent = next.done ? t("progress.complete", "Course complete: see your record")
      : t("progress.continue", "Continue: {next}", { next: next.text });
  }

  function record(section) {
    var state = readState(), modules = [];
    section.querySelectorAll("[data-cs-record-module]").forEach(function (row) {
      var slug = row.getAttribute("data-cs-record-module"), lessons = lessonsOf(row);
      modules.push({
        module: slug, code: row.querySelector("[data-cs-code]").textContent,
        title: row.querySelector("[data-cs-title]").textContent,
        lessons_read: countRead(state, slug, lessons), lessons_total: lessons.length,
        lessons: lessons.map(function (id) { return { id: id, read: !!state[slug + "/" + id] }; }),
        quiz: row.hasAttribute("data-cs-has-quiz") ? quizResult(slug) : null,
        has_quiz: row.hasAttribute("data-cs-has-quiz")
      });
    });
    return {
      course: section.getAttribute("data-cs-course"), title: section.getAttribute("data-cs-course-title"),
      version: section.getAttribute("data-cs-version"), exported: new Date().toISOString(), modules: modules
    };
  }
  function printOnly(className) {
    document.body.classList.add(className);
    window.addEventListener("afterprint", function done() {
      document.body.classList.remove(className);
      window.removeEventListener("afterprint", done);
    });
    window.print();
  }
  /* The learner's name, once typed (for the completion record), heads the progress record too. */
  function showLearner() {
    var learner = document.querySelector("[data-cs-record-learner]"), name = "";
    if (!learner) return;
    try { name = (localStorage.getItem(NAME) || "").trim(); } catch (e) { name = ""; }
    learner.textContent = name ? t("progress.record_learner", "Learner: {name}", { name: name }) : "";
    learner.hidden = !name;
  }
  function showRecord() {
    var section = document.querySelector("[data-cs-record]");
    if (!section) return;
    var data = record(section);
    data.modules.forEach(function (m) {
      var row = section.querySelector('[data-cs-record-module="' + m.module + '"]');
      row.querySelector("[data-cs-record-read]").textContent = t("progress.record_read", "{read} of {count}",
        { read: m.lessons_read, count: m.lessons_total });
      if (m.has_quiz) {
        var words = quizText(m.quiz);
        row.querySelector("[data-cs-record-quiz]").textContent = words.charAt(0).toUpperCase() + words.slice(1);
      }
    });
    showLearner();
    section.hidden = false;
    showCompletion(data);
    if (section.getAttribute("data-cs-ready")) return;
    section.setAttribute("data-cs-ready", "1");
    section.querySelector("[data-cs-record-download]").addEventListener("click", function () {
      var fresh = record(section), a = document.createElement("a");
      fresh.modules.forEach(function (m) { delete m.has_quiz; });
      var url = URL.createObjectURL(new Blob([JSON.stringify(fresh, null, 2) + "\n"], { type: "application/json" }));
      a.href = url; a.download = fresh.course + "-progress.json";
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
    section.querySelector("[data-cs-record-print]").addEventListener("click", function () { printOnly("cs-print-record"); });
  }

  /* A stored YYYY-MM-DD date as the page's other dates read: ISO on an English page (its hyphens
     unbreakable), the language's long form elsewhere ("7. Dezember 2026", as the handouts). */
  function shownDate(iso) {
    var lang = document.documentElement.lang || "en";
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!parts || lang === "en" || lang.indexOf("en-") === 0) return iso.replace(/-/g, "\u2011");
    var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    try {
      return day.toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    } catch (e) { return iso; }
  }

  /* The completion record: once every lesson is read and every quiz passed, the learner types a
     name (kept only in this browser) and prints or saves the record. Self-declared, and says so. */
  function showCompletion(data) {
    var box = document.querySelector("[data-cs-completion]");
    if (!box) return;
    var complete = data.modules.length > 0 && data.modules.every(function (m) {
      return m.lessons_read === m.lessons_total && (!m.has_quiz || (m.quiz && m.quiz.passed));
    });
    box.querySelector("[data-cs-completion-pending]").hidden = complete;
    box.querySelector("[data-cs-completion-ready]").hidden = !complete;
    box.hidden = false;
    if (!complete) return;
    var list = box.querySelector("[data-cs-cert-modules]");
    list.textContent = "";
    data.modules.forEach(function (m) {
      var li = document.createElement("li"), q = m.quiz;
      var name = m.code + ": " + m.title;
      li.textContent = !q ? name : q.date
        ? t("progress.cert_quiz_on", "{module} · quiz {score} of {total} ({percent}%), passed on {date}",
          { module: name, score: q.score, total: q.total, percent: q.percent, date: shownDate(q.date) })
        : t("progress.cert_quiz", "{module} · quiz {score} of {total} ({percent}%), passed",
          { module: name, score: q.score, total: q.total, percent: q.percent });
      list.appendChild(li);
    });
    var input = box.querySelector("[data-cs-learner-name]"), shown = box.querySelector("[data-cs-cert-name]");
    function showName() { shown.textContent = input.value.trim() || t("progress.name_shown", "(type your name above)"); }
    if (!box.getAttribute("data-cs-ready")) {
      box.setAttribute("data-cs-ready", "1");
      try { input.value = localStorage.getItem(NAME) || ""; } catch (e) { input.value = ""; }
      input.addEventListener("input", function () { store(NAME, input.value); showName(); showLearner(); });
      box.querySelector("[data-cs-completion-print]").addEventListener("click", function () {
        if (!input.value.trim()) { input.focus(); box.querySelector("[data-cs-name-hint]").textContent = t("progress.name_first", "Type your name first."); return; }
        printOnly("cs-print-completion");
      });
    }
    showName();
  }

  /* Material's drawer toggle is a label, which the keyboard cannot reach: a real button takes
     its place. On a phone the open drawer shows one panel (the top level, or a module's panel
     slid over it): Tab reaches only that panel's items, in the order they are shown, its "back"
     arrow first, and wraps inside the drawer; Escape closes it and returns focus to the button.
     Everything the panel hides is made inert; a closed drawer is inert as a whole. */
  function drawerPanel(drawer) {
    // The deepest nested panel whose toggle is checked, every panel above it open too.
    var panel = drawer.querySelector(".md-nav--primary");
    for (;;) {
      var open = null;
      panel.querySelectorAll(":scope > .md-nav__list > .md-nav__item--nested > .md-nav__toggle").forEach(function (t) {
        if (t.checked && !open) open = t.parentNode.querySelector(":scope > .md-nav");
      });
      // A panel slides over its parent only where its title (the "back" arrow) is shown;
      // elsewhere (Zensical's drawer) sections open in place, in one list.
      var title = open && open.querySelector(":scope > label.md-nav__title");
      if (!open || !title || !title.getClientRects().length || !title.getBoundingClientRect().width) return panel;
      panel = open;
    }
  }
  function fencePanel(drawer, on) {
    drawer.querySelectorAll("[data-cs-fenced]").forEach(function (el) {
      el.removeAttribute("inert"); el.removeAttribute("data-cs-fenced");
    });
    drawer.querySelectorAll("[data-cs-back]").forEach(function (el) {
      el.removeAttribute("tabindex"); el.removeAttribute("data-cs-back");
    });
    if (!on) return null;
    function fence(el) { if (!el.hasAttribute("inert")) { el.setAttribute("inert", ""); el.setAttribute("data-cs-fenced", ""); } }
    var panel = drawerPanel(drawer);
    // Outside the panel: every sibling of the panel and of each of its ancestors, up to the drawer.
    for (var node = panel; node && node !== drawer; node = node.parentNode) {
      Array.prototype.forEach.call(node.parentNode.children, function (el) { if (el !== node) fence(el); });
    }
    // Inside it: the panels of its closed sections, slid away.
    panel.querySelectorAll(".md-nav__item--nested > .md-nav__toggle:not(:checked) ~ .md-nav").forEach(fence);
    var back = panel.querySelector(":scope > label.md-nav__title:not([for='__drawer'])");
    // Its back arrow takes focus as Material's own section arrows do (a label with tabindex).
    if (back) {
      back.setAttribute("data-cs-back", "");
      back.setAttribute("tabindex", "0");
    }
    return panel;
  }
  function drawerStops(panel) {
    return Array.prototype.filter.call(panel.querySelectorAll("a[href], label[tabindex], button, input:not([type=checkbox])"), function (el) {
      return !el.closest("[inert]") && el.getClientRects().length > 0;
    });
  }
  function setupDrawer() {
    var toggle = document.getElementById("__drawer"), drawer = document.querySelector(".md-sidebar--primary");
    var label = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    if (!toggle || !drawer || !label || document.querySelector(".cs-drawer-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon cs-drawer-button";
    button.setAttribute("aria-label", t("progress.navigation", "Navigation"));
    button.setAttribute("aria-expanded", "false");
    Array.prototype.forEach.call(label.childNodes, function (n) { button.appendChild(n.cloneNode(true)); });
    label.parentNode.insertBefore(button, label);
    label.classList.add("cs-drawer-label");
    var drawerMode = window.matchMedia("(max-width: 76.234375em)"), panel = null;
    function isOpen() { return toggle.checked && drawerMode.matches; }
    function sync() {
      button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
      if (drawerMode.matches && !toggle.checked) { drawer.setAttribute("inert", ""); } else { drawer.removeAttribute("inert"); }
      panel = fencePanel(drawer, isOpen());
    }
    function set(open) {
      if (toggle.checked === open) return;
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      sync();
    }
    function enter() {
      var stops = panel ? drawerStops(panel) : [];
      if (stops.length) stops[0].focus();
    }
    button.addEventListener("click", function () {
      set(!toggle.checked);
      if (isOpen()) enter();
    });
    toggle.addEventListener("change", sync);
    if (drawerMode.addEventListener) drawerMode.addEventListener("change", sync);
    // A section opened or closed inside the drawer: its panel takes over, focus goes into it
    // (to the "back" arrow, or back to the section's own arrow in the panel above).
    drawer.addEventListener("change", function (event) {
      var changed = event.target;
      if (!isOpen() || !changed.classList || !changed.classList.contains("md-nav__toggle")) return;
      sync();
      if (changed.checked) { enter(); return; }
      var arrow = drawer.querySelector('label.md-nav__link[for="' + changed.id + '"]');
      if (arrow && !arrow.closest("[inert]")) { arrow.focus(); } else { enter(); }
    });
    drawer.addEventListener("keydown", function (event) {
      var back = event.target.closest && event.target.closest("[data-cs-back]");
      if (back && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); event.stopPropagation(); back.click(); }
    });
    document.addEventListener("keydown", function (event) {
      if (!isOpen()) return;
      if (event.key === "Escape") {
        set(false);
        button.focus();
      } else if (event.key === "Tab" && panel) {
        // Focus stays in the open drawer: Tab from its last item wraps to its first, and back.
        var stops = drawerStops(panel), at = stops.indexOf(document.activeElement);
        if (!stops.length) return;
        if (at < 0 || (!event.shiftKey && at === stops.length - 1) || (event.shiftKey && at === 0)) {
          event.preventDefault();
          stops[event.shiftKey ? (at < 0 ? stops.length - 1 : stops.length - 1) : 0].focus();
        }
      }
    });
    sync();
  }

  function run() { setupDrawer(); rememberTitles(); setupMarkRead(); showProgress(); showStart(); showRecord(); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(run); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); }
  else { run(); }
})();
