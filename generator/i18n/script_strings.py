"""What the page scripts (quiz.js, checklist.js, coursesmith.js) say to a reader, listed once.

Each script keeps these English texts as its defaults; on a page in another language the page
carries the translations as JSON (``<script type="application/json" id="cs-strings">``), keyed as
here. ``{name}`` placeholders are filled in by the scripts. ``make catalogues`` extracts the
messages from this file (the ``N_`` and ``N_plural`` markers), so a script string that is not
listed here cannot be translated.
"""

from __future__ import annotations

from generator.source.languages import N_, N_plural

SCRIPT_STRINGS: dict[str, str] = {
    # quiz.js
    "quiz.correct": N_("Correct"),
    "quiz.incorrect": N_("Incorrect"),
    "quiz.missed": N_("Missed, this is also correct"),
    "quiz.right": N_("Correct"),
    "quiz.wrong": N_("Not quite"),
    "quiz.previous": N_(
        "Your previous result, {score} of {total} ({percent}%), stays saved until you have "
        "answered every question of this attempt."
    ),
    "quiz.unanswered": N_("Answer the question first."),
    "quiz.cleared": N_("Answers cleared for a new attempt."),
    "quiz.same_position": N_(
        "Position {position} is given to more than one item: give each item its own position."
    ),
    # checklist.js
    "checklist.progress": N_("{done} of {count} answered"),
    "checklist.item": N_("Checklist Item"),
    "checklist.description": N_("Description"),
    "checklist.status": N_("Status ({statuses})"),
    "checklist.notes": N_("Notes"),
    "checklist.reset": N_("Clear every status and note of this checklist?"),
    # coursesmith.js
    "progress.mark": N_("Mark this lesson as read"),
    "progress.unmark": N_("Mark this lesson as unread"),
    "progress.marked": N_("Lesson marked as read."),
    "progress.unmarked": N_("Lesson marked as unread."),
    "progress.quiz_passed": N_("{score} of {total} ({percent}%), passed"),
    "progress.quiz_failed": N_("{score} of {total} ({percent}%), not passed yet"),
    "progress.quiz_none": N_("not taken yet"),
    "progress.with_quiz": N_("{lessons} · quiz {quiz}"),
    "progress.read": N_("(read)"),
    "progress.last": N_("Your last result in this browser: {result}."),
    "progress.lesson": N_("{module}, lesson {number}"),
    "progress.quiz": N_("the module quiz"),
    "progress.quiz_of": N_("the module quiz ({code})"),
    "progress.complete": N_("Course complete: see your record"),
    "progress.continue": N_("Continue: {next}"),
    "progress.record_read": N_("{read} of {count}"),
    "progress.cert_quiz": N_("{module} · quiz {score} of {total} ({percent}%), passed"),
    "progress.cert_quiz_on": N_(
        "{module} · quiz {score} of {total} ({percent}%), passed on {date}"
    ),
    "progress.name_shown": N_("(type your name above)"),
    "progress.name_first": N_("Type your name first."),
    "progress.record_learner": N_("Learner: {name}"),
    "progress.navigation": N_("Navigation"),
}

# What our theme overrides (site_templates/overrides/) say beside Material's own labels, which
# follow the theme's language: MkDocs renders them, so they read these from ``config.extra``.
THEME_STRINGS: dict[str, str] = {
    "made_with": N_("Made with"),
    "not_found": N_("Not found"),
}

# Messages that depend on a count, ``{num}``: each language's forms for it (German "0 von 1
# Frage", never "0 von 1 Fragen"). quiz.js says the score as its two halves joined by " · ".
SCRIPT_PLURALS: dict[str, tuple[str, str]] = {
    "quiz.points": N_plural("{got} of {num} point.", "{got} of {num} points."),
    # TRANSLATORS: the first half of the quiz's running score; {num} is the quiz's total points.
    "quiz.score": N_plural("Score: {score} of {num} point", "Score: {score} of {num} points"),
    # TRANSLATORS: the second half of the quiz's running score; {num} is its number of questions.
    "quiz.answered": N_plural(
        "{done} of {num} question answered", "{done} of {num} questions answered"
    ),
    # TRANSLATORS: {num} is the quiz's total points (German: "1 von 1 Punkt erreicht").
    "quiz.passed": N_plural(
        "You scored {score} of {num} ({percent}%). Passed: the pass mark is {pass}%.",
        "You scored {score} of {num} ({percent}%). Passed: the pass mark is {pass}%.",
    ),
    # TRANSLATORS: {num} is the quiz's total points (German: "0 von 1 Punkt erreicht").
    "quiz.failed": N_plural(
        "You scored {score} of {num} ({percent}%). Not passed yet: the pass mark is {pass}%.",
        "You scored {score} of {num} ({percent}%). Not passed yet: the pass mark is {pass}%.",
    ),
    "progress.lessons": N_plural("{read} of {num} lesson read", "{read} of {num} lessons read"),
}
