/* Coursesmith SCORM package: the learner's progress (pages read, quiz answers, last quiz results)
   as a compact text for cmi.suspend_data, which SCORM 1.2 caps at 4,096 characters.
   The package's launch page describes its pages and quizzes (values of options and rows, no
   answers); the progress is a bit string over that description, six bits a character:
     one bit per page (read);
     per quiz: 1 bit "has a result", then 7 bits of percent;
       per question: 1 bit answered; if answered 1 bit right, then the answer:
         single, true-false: the option's index; multiple: one bit per option;
         matching, ordering: each row's option index.
   It opens with a version and a fingerprint of the description: progress saved by another
   version of the package is not read as this one's (it is ignored, never misread).
   Loaded by the launch page, and by Node in the tests (module.exports). */
var CoursesmithState = (function () {
  "use strict";
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VERSION = "1";

  function width(count) { return count < 2 ? 0 : (count - 1).toString(2).length; }
  function fingerprint(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0; }
    var out = "";
    for (var k = 0; k < 6; k++) { out += ALPHABET.charAt(h & 63); h >>>= 6; if (k === 4) h ^= text.length; }
    return out;
  }

  function Writer() { this.bits = []; }
  Writer.prototype.put = function (value, bits) {
    for (var i = bits - 1; i >= 0; i--) this.bits.push((value >>> i) & 1);
  };
  Writer.prototype.text = function () {
    var out = "";
    for (var i = 0; i < this.bits.length; i += 6) {
      var v = 0;
      for (var k = 0; k < 6; k++) v = v * 2 + (this.bits[i + k] || 0);
      out += ALPHABET.charAt(v);
    }
    return out;
  };
  function Reader(text) { this.text = text; this.pos = 0; }
  Reader.prototype.get = function (bits) {
    var v = 0;
    for (var k = 0; k < bits; k++, this.pos++) {
      var at = Math.floor(this.pos / 6);
      var c = at < this.text.length ? ALPHABET.indexOf(this.text.charAt(at)) : -1;
      if (c < 0) throw new Error("progress ends early or holds a foreign character");
      v = v * 2 + ((c >> (5 - this.pos % 6)) & 1);
    }
    return v;
  };

  function empty(structure) {
    var state = { read: {}, quizzes: {} };
    structure.quizzes.forEach(function (quiz) { state.quizzes[quiz.slug] = { answers: {}, result: null }; });
    return state;
  }
  function byRows(question) { return question.type === "matching" || question.type === "ordering"; }
  function valid(question, answer) {
    var options = question.options;
    if (byRows(question)) {
      return !!answer && typeof answer === "object" && question.rows.every(function (r) {
        return options.indexOf(answer[r]) >= 0;
      });
    }
    if (!Array.isArray(answer) || !answer.length) return false;
    if (question.type !== "multiple" && answer.length !== 1) return false;
    return answer.every(function (v) { return options.indexOf(v) >= 0; });
  }
  function encode(structure, print, state) {
    var w = new Writer();
    structure.pages.forEach(function (page) { w.put(state.read[page] ? 1 : 0, 1); });
    structure.quizzes.forEach(function (quiz) {
      var saved = state.quizzes[quiz.slug] || { answers: {}, result: null };
      var result = saved.result;
      if (typeof result === "number" && result >= 0 && result <= 100) { w.put(1, 1); w.put(Math.round(result), 7); }
      else w.put(0, 1);
      quiz.questions.forEach(function (question) {
        var given = saved.answers[question.id], bits = width(question.options.length);
        if (!given || !valid(question, given.answer)) { w.put(0, 1); return; }
        w.put(1, 1);
        w.put(given.right ? 1 : 0, 1);
        if (question.type === "multiple") {
          question.options.forEach(function (o) { w.put(given.answer.indexOf(o) >= 0 ? 1 : 0, 1); });
        } else if (byRows(question)) {
          question.rows.forEach(function (r) { w.put(question.options.indexOf(given.answer[r]), bits); });
        } else {
          w.put(question.options.indexOf(given.answer[0]), bits);
        }
      });
    });
    return VERSION + print + "." + w.text();
  }
  function decode(structure, print, text) {
    var state = empty(structure), prefix = VERSION + print + ".";
    if (typeof text !== "string" || text.slice(0, prefix.length) !== prefix) return state;
    try {
      var r = new Reader(text.slice(prefix.length));
      structure.pages.forEach(function (page) { if (r.get(1)) state.read[page] = true; });
      structure.quizzes.forEach(function (quiz) {
        var saved = state.quizzes[quiz.slug];
        if (r.get(1)) { saved.result = r.get(7); if (saved.result > 100) throw new Error("percent"); }
        quiz.questions.forEach(function (question) {
          if (!r.get(1)) return;
          var right = r.get(1) === 1, bits = width(question.options.length), answer;
          function option() {
            var index = r.get(bits);
            if (index >= question.options.length) throw new Error("no such option");
            return question.options[index];
          }
          if (question.type === "multiple") {
            answer = question.options.filter(function () { return r.get(1) === 1; }).sort();
          } else if (byRows(question)) {
            answer = {};
            question.rows.forEach(function (row) { answer[row] = option(); });
          } else {
            answer = [option()];
          }
          saved.answers[question.id] = { answer: answer, points: right ? question.points : 0, right: right };
        });
      });
      return state;
    } catch (e) {
      return empty(structure);
    }
  }
  /* The quiz's percent once every question is answered (as quiz.js counts it), else null. */
  function percent(quiz, saved) {
    var score = 0;
    for (var i = 0; i < quiz.questions.length; i++) {
      var given = saved.answers[quiz.questions[i].id];
      if (!given) return null;
      score += given.right ? quiz.questions[i].points : 0;
    }
    return quiz.total ? Math.round(100 * score / quiz.total) : 0;
  }
  /* A quiz-state message from a page of the package ({type: "coursesmith:quiz-state", quiz,
     answers: {question id: {answer, right}}}), as every runtime adapter takes it: the quiz's valid
     answers, each worth its question's points when right, replace those kept in ``state``, and
     its result follows once every question is answered (a retried quiz keeps its last result
     until the new attempt is complete). ``each(slug, id, kept)`` hears every answer kept.
     False, and nothing changed, when the message names no quiz of the package. */
  function takeQuizState(structure, state, data, each) {
    var quiz = structure.quizzes.filter(function (q) { return q.slug === data.quiz; })[0];
    if (!quiz || !data.answers || typeof data.answers !== "object") return false;
    var saved = state.quizzes[quiz.slug], answers = {};
    quiz.questions.forEach(function (question) {
      var given = data.answers[question.id];
      if (given && valid(question, given.answer)) {
        answers[question.id] = { answer: given.answer, points: given.right ? question.points : 0, right: !!given.right };
        if (each) each(quiz.slug, question.id, answers[question.id]);
      }
    });
    saved.answers = answers;
    var result = percent(quiz, saved);
    if (result !== null) saved.result = result;
    return true;
  }
  return {
    empty: empty, encode: encode, decode: decode, fingerprint: fingerprint, percent: percent, valid: valid,
    takeQuizState: takeQuizState
  };
})();
if (typeof module !== "undefined" && module.exports) module.exports = CoursesmithState;
