/* Coursesmith quiz: checks answers in the browser, keeps the result in localStorage.
   Answers arrive XOR-encoded (see generator/render/quiz.py); this is a formative self-check. */
(function () {
  "use strict";
  var PREFIX = "coursesmith:quiz:";
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

  function seedOf(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0; }
    return h;
  }
  function decode(salt, encoded) {
    var raw = atob(encoded), out = new Uint8Array(raw.length), s = seedOf(salt) || 1;
    for (var i = 0; i < raw.length; i++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      out[i] = raw.charCodeAt(i) ^ (s & 0xff);
    }
    return JSON.parse(new TextDecoder().decode(out));
  }
  // Feedback and explanations arrive as trees of nodes (generator/render/markup.py, nodes): a
  // string is a text, [tag, {attribute: value}, children...] an element. They are built with
  // createElement and text nodes, never parsed as HTML; unknown tags keep only their text, and
  // only plain attributes and safe links are set.
  var TAGS = /^(a|abbr|b|blockquote|br|code|dd|del|div|dl|dt|em|h[2-6]|hr|i|img|kbd|li|mark|ol|p|pre|s|small|span|strong|sub|sup|table|tbody|td|tfoot|th|thead|tr|ul)$/;
  var ATTRIBUTES = /^(alt|class|colspan|data-unsafe-link|dir|href|lang|rowspan|src|start|title)$/;
  function safeUrl(url) {
    var scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\x00-\x20\x7f]+/g, ""));
    return !scheme || /^(https?|mailto)$/i.test(scheme[1]);
  }
  function build(tree, parent) {
    if (!Array.isArray(tree)) return;
    tree.forEach(function (node) {
      if (typeof node === "string") { parent.appendChild(document.createTextNode(node)); return; }
      if (!Array.isArray(node) || typeof node[0] !== "string") return;
      var known = TAGS.test(node[0]), el = known ? document.createElement(node[0]) : document.createDocumentFragment();
      var attributes = node[1] && typeof node[1] === "object" ? node[1] : {};
      if (known) {
        Object.keys(attributes).forEach(function (name) {
          var value = String(attributes[name]);
          if (ATTRIBUTES.test(name) && ((name !== "href" && name !== "src") || safeUrl(value))) el.setAttribute(name, value);
        });
      }
      build(node.slice(2), el);
      parent.appendChild(el);
    });
  }
  // A stored attempt that is not JSON, or not of the shape this script writes, is ignored: each
  // value is checked by type before use (another script, an old version or a hand may have
  // written anything under the key).
  function isObject(v) { return !!v && typeof v === "object" && !Array.isArray(v); }
  function isCount(v) { return typeof v === "number" && isFinite(v) && v >= 0; }
  function isAnswer(v) {
    var values = Array.isArray(v) ? v : isObject(v) ? Object.keys(v).map(function (k) { return v[k]; }) : null;
    return !!values && values.every(function (x) { return typeof x === "string"; });
  }
  function load(slug) {
    var stored, state = { answers: {} };
    try { stored = JSON.parse(localStorage.getItem(PREFIX + slug)); } catch (e) { stored = null; }
    if (!isObject(stored)) return state;
    if (isObject(stored.answers)) {
      Object.keys(stored.answers).forEach(function (id) {
        var a = stored.answers[id];
        if (isObject(a) && isAnswer(a.answer) && isCount(a.points) && typeof a.right === "boolean") state.answers[id] = a;
      });
    }
    var r = stored.result;
    if (isObject(r) && isCount(r.score) && isCount(r.total) && isCount(r.percent) && typeof r.passed === "boolean") {
      state.result = { score: r.score, total: r.total, percent: r.percent, passed: r.passed };
      if (typeof r.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(r.date)) state.result.date = r.date;
    }
    if (stored.retried === true) state.retried = true;
    return state;
  }
  function save(slug, state) {
    try { localStorage.setItem(PREFIX + slug, JSON.stringify(state)); } catch (e) { /* off */ }
  }

  function given(form) {
    var type = form.getAttribute("data-cs-type");
    if (type === "matching" || type === "ordering") {
      var map = {};
      form.querySelectorAll("select").forEach(function (s) { map[s.name] = s.value; });
      return map;
    }
    return Array.prototype.map.call(form.querySelectorAll("input:checked"), function (i) { return i.value; }).sort();
  }
  function restore(form, answer) {
    if (Array.isArray(answer)) {
      form.querySelectorAll("input").forEach(function (i) { i.checked = answer.indexOf(i.value) >= 0; });
    } else {
      form.querySelectorAll("select").forEach(function (s) { s.value = answer[s.name] || ""; });
    }
  }
  function complete(answer) {
    if (Array.isArray(answer)) return answer.length > 0;
    return Object.keys(answer).every(function (k) { return answer[k]; });
  }

  /* An ordering question with two items at one position says so before it is checked: a form
     error under the selects, each of those selects marked invalid and described by it. */
  function duplicates(form) {
    var seen = {}, twice = [];
    form.querySelectorAll("select").forEach(function (s) {
      if (!s.value) return;
      (seen[s.value] = seen[s.value] || []).push(s);
    });
    Object.keys(seen).sort(function (a, b) { return a - b; }).forEach(function (position) {
      if (seen[position].length > 1) twice.push({ position: position, selects: seen[position] });
    });
    return twice;
  }
  function showDuplicates(form) {
    var error = form.querySelector("[data-cs-error]"), twice = duplicates(form), bad = [];
    if (!error) return false;
    error.textContent = twice.map(function (d) {
      bad = bad.concat(d.selects);
      return t("quiz.same_position", "Position {position} is given to more than one item: give each item its own position.",
        { position: d.position });
    }).join(" ");
    error.hidden = !twice.length;
    form.querySelectorAll("select").forEach(function (s) {
      var wrong = bad.indexOf(s) >= 0, described = (s.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== error.id;
      });
      if (wrong) { s.setAttribute("aria-invalid", "true"); described.push(error.id); } else { s.removeAttribute("aria-invalid"); }
      if (described.length) { s.setAttribute("aria-describedby", described.join(" ")); } else { s.removeAttribute("aria-describedby"); }
    });
    return twice.length > 0;
  }
  function setupOrdering(form) {
    if (form.getAttribute("data-cs-type") !== "ordering" || form.querySelector("[data-cs-error]")) return;
    var error = document.createElement("p"), rows = form.querySelectorAll(".cs-match");
    error.className = "cs-question__error is-wrong";
    error.id = form.id + "-error";
    error.setAttribute("data-cs-error", "");
    error.setAttribute("aria-live", "polite");
    error.hidden = true;
    rows[rows.length - 1].parentNode.insertBefore(error, rows[rows.length - 1].nextSibling);
    form.addEventListener("change", function () { showDuplicates(form); });
  }

  function check(form, answer) {
    var key = decode(form.getAttribute("data-cs-salt"), form.getAttribute("data-cs-answer"));
    var correct = key.correct, right, marks = {};
    if (Array.isArray(correct)) {
      right = JSON.stringify(answer) === JSON.stringify(correct);
      answer.forEach(function (v) { marks[v] = correct.indexOf(v) >= 0; });
      if (form.getAttribute("data-cs-type") === "multiple") {
        correct.forEach(function (v) { if (!(v in marks)) marks[v] = "missed"; });
      }
    } else {
      // Every row gets its mark: a wrong row does not stop the rows after it being marked.
      right = true;
      Object.keys(correct).forEach(function (k) { marks[k] = answer[k] === correct[k]; right = right && marks[k]; });
    }
    form.querySelectorAll("[data-cs-feedback-for]").forEach(function (el) {
      var id = el.getAttribute("data-cs-feedback-for"), mark = marks[id];
      el.className = "cs-choice__feedback" + (mark === true ? " is-right" : mark === false ? " is-wrong" : mark ? " is-missed" : "");
      // One sentence: our verdict, then the author's feedback (its own verdict word is dropped
      // when the page is built).
      var label = mark === true ? t("quiz.correct", "Correct") : mark === false ? t("quiz.incorrect", "Incorrect")
        : t("quiz.missed", "Missed, this is also correct");
      var text = Array.isArray(key.feedback[id]) ? key.feedback[id] : [];
      el.textContent = "";
      if (mark === undefined) return;
      var verdict = document.createElement("strong");
      verdict.textContent = label + (text.length ? ":" : ".");
      el.appendChild(verdict);
      if (text.length) { el.appendChild(document.createTextNode(" ")); build(text, el); }
    });
    // The live region repeats, for screen readers only, the feedback shown beside the choices.
    var spoken = "";
    form.querySelectorAll("[data-cs-feedback-for]").forEach(function (el) {
      var choice = el.parentNode.querySelector("label").textContent.trim();
      if (el.textContent) spoken += " " + choice + (/[.!?]$/.test(choice) ? " " : ". ") + el.textContent;
    });
    var result = form.querySelector("[data-cs-result]"), line = document.createElement("p");
    var word = document.createElement("strong"), sr = document.createElement("span");
    result.className = "cs-question__result " + (right ? "is-right" : "is-wrong");
    word.textContent = right ? t("quiz.right", "Correct") : t("quiz.wrong", "Not quite");
    sr.className = "cs-sr";
    sr.textContent = spoken;
    line.append(word, " – " + tn("quiz.points", key.points, "{got} of {num} point.", "{got} of {num} points.",
      { got: right ? key.points : 0 }), sr);
    result.textContent = "";
    result.appendChild(line);
    build(key.explanation, result);
    return { right: right, points: right ? key.points : 0 };
  }

  function summarise(quiz, state) {
    var slug = quiz.getAttribute("data-cs-quiz"), pass = +quiz.getAttribute("data-cs-pass");
    var total = +quiz.getAttribute("data-cs-total"), forms = quiz.querySelectorAll("form.cs-question");
    var score = 0, done = 0;
    forms.forEach(function (f) {
      var r = state.answers[f.id];
      if (r) { score += r.points; done += 1; }
    });
    var percent = total ? Math.round(100 * score / total) : 0;
    // Each half in the plural form of its own count ("0 von 1 Frage", never "0 von 1 Fragen").
    quiz.querySelector("[data-cs-score]").textContent =
      tn("quiz.score", total, "Score: {score} of {num} point", "Score: {score} of {num} points", { score: score }) +
      " · " + tn("quiz.answered", forms.length, "{done} of {num} question answered",
        "{done} of {num} questions answered", { done: done });
    var final = quiz.querySelector("[data-cs-final]"), previous = quiz.querySelector("[data-cs-previous]");
    if (done === forms.length) {
      // The date the result was reached: kept when a finished attempt is only shown again.
      var old = state.result, today = new Date().toISOString().slice(0, 10);
      var same = old && !state.retried && old.score === score && old.total === total && typeof old.date === "string";
      state.result = { score: score, total: total, percent: percent, passed: percent >= pass, date: same ? old.date : today };
      final.hidden = false;
      previous.textContent = "";
      var marks = { score: score, percent: percent, pass: pass };
      var passed = "You scored {score} of {num} ({percent}%). Passed: the pass mark is {pass}%.";
      var failed = "You scored {score} of {num} ({percent}%). Not passed yet: the pass mark is {pass}%.";
      quiz.querySelector("[data-cs-verdict]").textContent = percent >= pass
        ? tn("quiz.passed", total, passed, passed, marks) : tn("quiz.failed", total, failed, failed, marks);
    } else {
      // A new attempt keeps the last complete result until it is complete itself.
      final.hidden = true;
      // Said once, here (a live region): set only when it changes, so an answer does not
      // announce it again.
      var r = state.result, sentence = r && state.retried ? t("quiz.previous", "Your previous result, {score} of {total} ({percent}%), " +
        "stays saved until you have answered every question of this attempt.", r) : "";
      if (!sentence) { previous.textContent = ""; } else if (previous.textContent.indexOf(sentence) < 0) { previous.textContent = sentence; }
    }
    save(slug, state);
    return done === forms.length;
  }

  function setupQuiz(quiz) {
    var slug = quiz.getAttribute("data-cs-quiz"), state = load(slug);
    quiz.querySelectorAll("form.cs-question").forEach(function (form) {
      setupOrdering(form);
      var saved = state.answers[form.id];
      if (saved) {
        // Restored results are shown, not announced: the live region is muted while they fill in.
        var live = form.querySelector("[data-cs-result]");
        live.setAttribute("aria-live", "off");
        try { restore(form, saved.answer); check(form, saved.answer); }
        catch (e) { delete state.answers[form.id]; form.reset(); live.textContent = ""; }
        setTimeout(function () { live.setAttribute("aria-live", "polite"); }, 1000);
      } else {
        delete state.answers[form.id];
      }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var answer = given(form), result = form.querySelector("[data-cs-result]");
        if (showDuplicates(form)) {
          result.className = result.className.split(" ")[0];
          result.textContent = "";
          form.querySelector("select[aria-invalid]").focus();
          return;
        }
        if (!complete(answer)) {
          result.className = "cs-question__result is-wrong";
          result.textContent = t("quiz.unanswered", "Answer the question first.");
          return;
        }
        var outcome = check(form, answer);
        state.answers[form.id] = { answer: answer, points: outcome.points, right: outcome.right };
        if (summarise(quiz, state)) {
          delete state.retried;
          save(slug, state);
          quiz.querySelector("[data-cs-verdict]").focus();
          // Hook for embedders (the SCORM package reports this to the LMS): the learner has just
          // answered the last question; detail is {score, total, percent, passed}.
          document.dispatchEvent(new CustomEvent("coursesmith:quiz-result", { detail: state.result }));
        }
      });
    });
    quiz.querySelector("[data-cs-retry]").addEventListener("click", function () {
      // The answers go; the last complete result stays until this attempt is complete.
      state = { answers: {}, retried: true, result: state.result };
      save(slug, state);
      quiz.querySelectorAll("form.cs-question").forEach(function (form) {
        form.reset();
        showDuplicates(form);
        form.querySelectorAll("[data-cs-feedback-for], [data-cs-result]").forEach(function (el) { el.textContent = ""; el.className = el.className.split(" ")[0]; });
      });
      // What was cleared and what was kept, said once, under the score (which stays compact).
      var previous = quiz.querySelector("[data-cs-previous]");
      previous.textContent = "";
      summarise(quiz, state);
      previous.textContent = t("quiz.cleared", "Answers cleared for a new attempt.") + " " + previous.textContent;
      var first = quiz.querySelector("form.cs-question input, form.cs-question select");
      if (first) first.focus();
    });
    summarise(quiz, state);
  }

  function run() {
    document.querySelectorAll("[data-cs-quiz]").forEach(setupQuiz);
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(run); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); }
  else { run(); }
})();
