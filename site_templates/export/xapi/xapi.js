/* Coursesmith xAPI runtime adapter (cmi5 and Tin Can packages), in the launch page after the
   launch script (assets/cmi5.js or assets/tincan.js, which define CoursesmithLaunch).
   Statements: "initialized" first, "experienced" for each lesson shown (once a session),
   "answered" for each checked question (an interaction definition with its
   correctResponsesPattern, the response and success), "completed" once every lesson is read,
   "passed"/"failed" with result.score.scaled against the mastery score, "terminated" last. In
   cmi5 the defined statements carry the LMS's context template (session id), the cmi5 category
   and, with success or completion, the moveOn category; "experienced" and "answered" carry
   neither category. completed, passed and failed go once per registration (kept in the
   progress document); Browse and Review launches send no completion and no score.
   Progress (pages read, quiz answers and results: the encoding of scorm-state.js, and the page
   shown) is kept in the State API under "coursesmith-progress" and restored on the next launch;
   a document of another shape or of another version of the package is ignored whole.
   Statements wait in a queue in sessionStorage and are sent in order, retried with a growing
   delay while the record store is unreachable; on leaving, "terminated" and whatever waits go
   with fetch's keepalive. The learner can always read every page and take the quiz. */
(function () {
  "use strict";
  var QUIZ_KEY = "coursesmith:quiz:", STATE_ID = "coursesmith-progress", DOC_KIND = "coursesmith-progress";
  var VERB = "http://adlnet.gov/expapi/verbs/", CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var frame = document.getElementById("cs-content");
  var described = document.getElementById("cs-package").textContent;
  var structure = JSON.parse(described), print = CoursesmithState.fingerprint(described);
  var info = JSON.parse(document.getElementById("cs-launch").textContent);
  var language = document.documentElement.lang || "en";
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-cs-page]"));
  var state = CoursesmithState.empty(structure), sent = {}, answered = {}, seen = {};
  var launch = null, ready = false, ended = false, started = Date.now(), page = structure.pages[0];
  var queue = [], queueKey = null, sending = false, delay = 0, retryTimer = null;

  /* ---- the page list ---- */
  function show(path) {
    links.forEach(function (a) {
      if (a.getAttribute("data-cs-page") === path) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }
  function markRead() {
    links.forEach(function (a) { a.querySelector("[data-cs-read]").hidden = !state.read[a.getAttribute("data-cs-page")]; });
  }
  function problem(kind) {
    var note = document.querySelector('[data-cs-problem="' + kind + '"]');
    if (note) note.hidden = false;
  }

  /* ---- the answer key: XOR-encoded as on the quiz pages (generator/render/quiz.py) ---- */
  function decode(salt, encoded) {
    var bytes = new TextEncoder().encode(salt), s = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) s = Math.imul(s ^ bytes[i], 0x01000193) >>> 0;
    var raw = atob(encoded), out = new Uint8Array(raw.length);
    s = s || 1;
    for (var k = 0; k < raw.length; k++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      out[k] = raw.charCodeAt(k) ^ (s & 0xff);
    }
    return JSON.parse(new TextDecoder().decode(out));
  }
  var interactions = decode(info.key, info.interactions);

  /* ---- statements ---- */
  function uuid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  /* Each statement's time is later than the one before, so they sort in the order sent. */
  var last = 0;
  function now() { last = Math.max(Date.now(), last + 1); return new Date(last).toISOString(); }
  function duration(ms) { return "PT" + Math.max(0, Math.round(ms / 10) / 100) + "S"; }
  function copy(value) { return JSON.parse(JSON.stringify(value)); }
  function context(defined, moveOn) {
    var ctx = copy(launch.context || {});
    if (launch.registration) ctx.registration = launch.registration;
    if (defined && launch.cmi5) {
      ctx.contextActivities = ctx.contextActivities || {};
      var category = ctx.contextActivities.category = ctx.contextActivities.category || [];
      category.push({ id: CMI5 + "categories/cmi5" });
      if (moveOn) category.push({ id: CMI5 + "categories/moveon" });
    }
    if (!defined) {
      ctx.contextActivities = ctx.contextActivities || {};
      ctx.contextActivities.parent = [{ id: launch.activityId }];
    }
    return ctx;
  }
  function statement(verb, object, result, ctx) {
    var s = {
      id: uuid(), timestamp: now(), actor: launch.actor,
      verb: { id: VERB + verb, display: { "en-US": verb } }, object: object, context: ctx
    };
    if (result) s.result = result;
    queue.push(s);
    keep();
    send(false);
  }
  function au() { return { objectType: "Activity", id: launch.activityId }; }
  function defined(verb, result, moveOn, extensions) {
    var ctx = context(true, moveOn);
    if (extensions) { ctx.extensions = ctx.extensions || {}; for (var k in extensions) ctx.extensions[k] = extensions[k]; }
    statement(verb, au(), result, ctx);
  }
  function name(text) { var map = {}; map[language] = text; return map; }

  /* ---- the queue: sessionStorage, sent in order, retried ---- */
  function keep() {
    try { sessionStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { /* memory only */ }
  }
  function restoreQueue() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(queueKey));
      if (Array.isArray(saved)) queue = saved.filter(function (s) { return s && typeof s === "object" && s.id; });
    } catch (e) { queue = []; }
  }
  function retry() {
    if (retryTimer) return;
    delay = Math.min(delay ? delay * 2 : 1000, 10000);
    retryTimer = setTimeout(function () { retryTimer = null; send(false); }, delay);
  }
  /* Sends the oldest statements (up to 50). Leaving, every waiting statement goes at once, in
     batches of 20 (a keepalive request may carry 64 KB), since no answer will be awaited. */
  function send(leaving) {
    if (!launch || !queue.length || (sending && !leaving)) return;
    if (leaving) {
      for (var i = 0; i < queue.length; i += 20) post(queue.slice(i, i + 20), true);
      return;
    }
    post(queue.slice(0, 50), false);
  }
  function post(batch, leaving) {
    sending = true;
    fetch(launch.endpoint + "statements", {
      method: "POST", keepalive: leaving, credentials: "omit",
      headers: Object.assign({ "Content-Type": "application/json" }, launch.headers),
      body: JSON.stringify(batch)
    }).then(function (response) {
      sending = false;
      // 409: the record store has these ids already (an earlier answer that never reached us).
      if (response.ok || response.status === 409 || response.status === 400) {
        if (response.status === 400) console.warn("Coursesmith: the record store refused statements", batch);
        var ids = {};
        batch.forEach(function (s) { ids[s.id] = true; });
        queue = queue.filter(function (s) { return !ids[s.id]; });
        keep();
        delay = 0;
        if (queue.length && !leaving) send(false);
      } else if (!leaving) retry();
    }, function () { sending = false; if (!leaving) retry(); });
  }

  /* ---- progress in the State API ---- */
  function stateUrl() {
    var query = { stateId: STATE_ID, activityId: launch.activityId, agent: JSON.stringify(launch.actor) };
    if (launch.registration) query.registration = launch.registration;
    return launch.endpoint + "activities/state?" + new URLSearchParams(query).toString();
  }
  function loadProgress() {
    return fetch(stateUrl(), { headers: launch.headers, credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.status === 200 ? response.json() : null; })
      .catch(function () { return null; })
      .then(function (doc) {
        if (!doc || typeof doc !== "object" || doc.kind !== DOC_KIND || doc.package !== print) return;
        state = CoursesmithState.decode(structure, print, doc.progress);
        if (doc.sent && typeof doc.sent === "object") {
          ["completed", "passed", "failed"].forEach(function (k) { sent[k] = doc.sent[k] === true; });
        }
        if (structure.pages.indexOf(doc.page) >= 0) page = doc.page;
      });
  }
  var saving = null;
  function saveProgress(leaving) {
    if (!launch || launch.mode !== "Normal") return;
    var body = JSON.stringify({
      kind: DOC_KIND, package: print, progress: CoursesmithState.encode(structure, print, state), page: page, sent: sent
    });
    if (body === saving && !leaving) return;
    saving = body;
    fetch(stateUrl(), {
      method: "PUT", keepalive: !!leaving, credentials: "omit",
      headers: Object.assign({ "Content-Type": "application/json" }, launch.headers), body: body
    }).then(function (response) { if (!response.ok) saving = null; }, function () { saving = null; });
  }

  /* ---- outcomes ---- */
  function allLessonsRead() {
    return Object.keys(info.lessons).every(function (path) { return state.read[path]; });
  }
  function score() {
    var quizzes = structure.quizzes, total = 0, passed = true;
    if (!quizzes.length) return null;
    for (var i = 0; i < quizzes.length; i++) {
      var result = state.quizzes[quizzes[i].slug].result;
      if (result === null || result === undefined) return null;
      total += result;
      if (result < quizzes[i].pass) passed = false;
    }
    var scaled = Math.round(total / quizzes.length) / 100;
    var mastery = launch.mastery !== null ? launch.mastery : info.mastery;
    return { scaled: scaled, passed: mastery !== null ? scaled >= mastery : passed, mastery: launch.mastery };
  }
  function judge() {
    if (!launch || ended || launch.mode !== "Normal") return;
    var elapsed = duration(Date.now() - started);
    if (!sent.completed && allLessonsRead()) {
      sent.completed = true;
      defined("completed", { completion: true, duration: elapsed }, true);
    }
    var outcome = score();
    if (outcome && !sent.passed && (outcome.passed || !sent.failed)) {
      var verb = outcome.passed ? "passed" : "failed", ext = null;
      sent[verb] = true;
      if (outcome.mastery !== null && launch.cmi5) { ext = {}; ext[CMI5 + "extensions/masteryscore"] = outcome.mastery; }
      defined(verb, { score: { scaled: outcome.scaled }, success: outcome.passed, duration: elapsed }, true, ext);
    }
  }

  /* ---- what the pages tell ---- */
  function experienced(path) {
    if (!launch || ended || seen[path] || !(path in info.lessons)) return;
    seen[path] = true;
    statement("experienced", {
      objectType: "Activity", id: launch.activityId + "/pages/" + path.replace(/\.html$/, ""),
      definition: { type: "http://adlnet.gov/expapi/activities/lesson", name: name(info.lessons[path]) }
    }, null, context(false));
  }
  function response(definition, answer) {
    if (definition.interactionType === "matching") {
      return Object.keys(answer).sort().map(function (row) { return row + "[.]" + answer[row]; }).join("[,]");
    }
    if (definition.interactionType === "sequencing") {
      return Object.keys(answer).sort(function (a, b) { return Number(answer[a]) - Number(answer[b]); }).join("[,]");
    }
    return answer.slice().sort().join("[,]");
  }
  function answer(slug, domId, given) {
    var known = (interactions[slug] || {})[domId];
    if (!launch || ended || !known) return;
    var text = JSON.stringify(given.answer);
    if (answered[domId] === text) return;
    answered[domId] = text;
    statement("answered", { objectType: "Activity", id: launch.activityId + "/" + known.id, definition: known.definition },
      { response: response(known.definition, given.answer), success: !!given.right }, context(false));
  }
  function seedQuizzes() {
    structure.quizzes.forEach(function (quiz) {
      var answers = state.quizzes[quiz.slug].answers;
      Object.keys(answers).forEach(function (id) { answered[id] = JSON.stringify(answers[id].answer); });
      try { localStorage.setItem(QUIZ_KEY + quiz.slug, JSON.stringify({ answers: answers })); } catch (e) { /* off */ }
    });
  }
  var early = [];  // what the pages told before the launch was known
  function told(event) {
    var data = event.data;
    if (!frame || event.source !== frame.contentWindow || !data || typeof data !== "object") return;
    if (!ready) { early.push(data); return; }
    heard(data);
  }
  function heard(data) {
    if (data.type === "coursesmith:page" && structure.pages.indexOf(data.page) >= 0) {
      show(data.page);
      page = data.page;
      state.read[data.page] = true;
      markRead();
      experienced(data.page);
    } else if (data.type === "coursesmith:quiz-state") {
      // Each answer kept is also an "answered" statement (once per answer given).
      if (!CoursesmithState.takeQuizState(structure, state, data, answer)) return;
    } else return;
    judge();
    saveProgress(false);
  }
  window.addEventListener("message", told);

  /* ---- start and end ---- */
  function terminate(leaving) {
    if (!launch || ended) return;
    ended = true;
    saveProgress(true);
    var ctx = context(true, false);
    queue.push({
      id: uuid(), timestamp: now(), actor: launch.actor,
      verb: { id: VERB + "terminated", display: { "en-US": "terminated" } }, object: au(),
      result: { duration: duration(Date.now() - started) }, context: ctx
    });
    keep();
    send(leaving);
  }
  function exit() {
    terminate(false);
    var target = launch.returnURL, waited = 0;
    (function go() {
      // Leave once the queue is sent, or after three seconds (it is kept in sessionStorage).
      if (!queue.length || waited >= 3000) { location.href = target; return; }
      waited += 100;
      setTimeout(go, 100);
    })();
  }
  window.addEventListener("pagehide", function () { terminate(true); });
  /* Without a launch (or an LMS that did not answer) the package is a plain offline module:
     the page list and the quiz work, and nothing is recorded. */
  function offline(kind) {
    problem(kind);
    ready = true;
    early.forEach(function (data) { if (data.type === "coursesmith:page") { show(data.page); state.read[data.page] = true; } });
    markRead();
  }
  CoursesmithLaunch.start({ activity: info.activity }).then(function (found) {
    if (found.problem) { offline(found.problem); return; }
    launch = found;
    queueKey = "coursesmith:xapi:" + launch.activityId + ":" + (launch.registration || "");
    restoreQueue();
    return loadProgress().then(function () {
      seedQuizzes();
      markRead();
      var resume = structure.pages.indexOf(page) > 0 && !early.some(function (d) { return d.type === "coursesmith:page" && d.page !== structure.pages[0]; });
      defined("initialized", null, false);
      ready = true;
      if (resume) { frame.src = page; show(page); early = early.filter(function (d) { return d.type !== "coursesmith:page"; }); }
      early.forEach(heard);
      early = [];
      var button = document.getElementById("cs-exit");
      if (button && launch.returnURL) { button.hidden = false; button.addEventListener("click", exit); }
      window.addEventListener("online", function () { send(false); });
      judge();
    });
  });
})();
