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
    "quiz.score": N_("Score: {score} of {total} points · {done} of {count} questions answered"),
    "quiz.passed": N_(
        "You scored {score} of {total} ({percent}%). Passed: the pass mark is {pass}%."
    ),
    "quiz.failed": N_(
        "You scored {score} of {total} ({percent}%). Not passed yet: the pass mark is {pass}%."
    ),
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
    "progress.lessons": N_("{read} of {count} lessons read"),
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

SCRIPT_PLURALS: dict[str, tuple[str, str]] = {
    "quiz.points": N_plural("{got} of {num} point.", "{got} of {num} points."),
}
