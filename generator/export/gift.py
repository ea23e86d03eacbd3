"""Question banks in Moodle GIFT format: one ``<module>.gift`` file per module quiz.

Text goes in as GIFT's ``[html]`` format, rendered by our own safe Markdown renderer: Moodle's
``[markdown]`` format uses another Markdown dialect (and lets raw HTML through), so the LMS would
show something other than the site. GIFT's special characters are escaped the way Moodle's own
GIFT export does it. Matching answers (the right-hand items) are plain text, because Moodle shows
them in a drop-down list.

What GIFT cannot hold: ordering questions (no GIFT syntax: each becomes a matching question, each
position matched to its item, with a warning, or an error with --strict), per-pair feedback of
matching questions (left out, with a warning), more than 20 right choices (no weights add up to
100 %: reported) and points (Moodle sets the mark after import; each question carries them in a
comment).
"""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup

from generator.export import ExportFile, ExportOptions, ExportResult, unsupported
from generator.export.questions import bank_questions, exact_weights, percent_text
from generator.i18n import SOURCE_LANGUAGE
from generator.i18n.catalogues import tr
from generator.model import Course, Module, Question
from generator.render.markup import block, inline, plain
from generator.source.diagnostics import Diagnostic, Severity

_SPECIALS = {
    "\\": "\\\\",
    "~": "\\~",
    "=": "\\=",
    "#": "\\#",
    "{": "\\{",
    "}": "\\}",
    ":": "\\:",
    "\n": "\\n",
    "\r": "",
}
FORMAT = "GIFT"


def escape(text: str) -> str:
    """Text with GIFT's special characters backslash-escaped (Moodle's own export rules)."""
    return "".join(_SPECIALS.get(char, char) for char in text)


def _html(markup: Markup) -> str:
    text = escape(str(markup).strip())
    # Moodle's import reads a leading "[name]" as the field's format and a leading "%n%" on a
    # choice as its weight; an explicit [html] first keeps such text as the author wrote it.
    return f"[html]{text}" if text.startswith(("[", "%")) else text


def weight(percent: Fraction) -> str:
    """A GIFT answer weight such as ``%50%`` or ``%-100%``, in percent."""
    return f"%{percent_text(percent)}%"


def _feedback(question: Question, key: str) -> str:
    text = question.feedback.get(key)
    return f"#{_html(inline(text))}" if text else ""


def _answers(question: Question) -> list[str] | None:
    """The answer lines of a question, or None when GIFT cannot weight it."""
    if question.type == "single":
        return [
            f"{'=' if c.correct else '~'}{_html(inline(c.text))}{_feedback(question, c.id)}"
            for c in question.choices
        ]
    if question.type == "multiple":
        weights = exact_weights(sum(c.correct for c in question.choices))
        if weights is None:
            return None
        # The right choices' weights add up to exactly 100 %; a wrong pick costs the whole mark,
        # as on the site (all or nothing for wrong choices), though Moodle still gives partial
        # credit for some of the right choices.
        shares = iter(weights)
        return [
            f"~{weight(next(shares) if c.correct else Fraction(-100))}{_html(inline(c.text))}"
            f"{_feedback(question, c.id)}"
            for c in question.choices
        ]
    if question.type == "true-false":
        answer, other = ("true", "false") if question.answer else ("false", "true")
        # GIFT: {TRUE#feedback when answered wrongly#feedback when answered rightly}; the first
        # "#" is written even when empty, or the right answer's feedback would take its place.
        shown_wrong, shown_right = _feedback(question, other), _feedback(question, answer)
        return [f"{answer.upper()}{shown_wrong or ('#' if shown_right else '')}{shown_right}"]
    # matching
    return [f"={_html(inline(p.left))} -> {escape(plain(p.right))}" for p in question.pairs]


def question_gift(
    question: Question, name: str, language: str = SOURCE_LANGUAGE
) -> list[str] | None:
    """One question in GIFT, as lines, its comment in ``language``; None when its answers cannot
    be weighted in GIFT."""
    answers = _answers(question)
    if answers is None:
        return None
    # TRANSLATORS: a comment above each question of an exported GIFT question bank.
    comment = tr(
        language, "question: %(id)s, points: %(points)s", id=question.id, points=question.points
    )
    lines = [
        f"// {comment}",
        f"::{escape(name)}::[html]{_html(block(question.prompt))}{{",
    ]
    lines += [f"\t{answer}" for answer in answers]
    lines.append(f"\t####{_html(block(question.explanation))}")
    lines.append("}")
    return lines


def _category(module: Module) -> str:
    # In a category path "/" separates levels; Moodle reads "//" as a literal slash.
    return "$course$/top/" + f"{module.code} {module.title}".replace("/", "//")


def export_module(course: Course, module: Module, options: ExportOptions) -> ExportResult:
    """A module's question bank as ``<slug>.gift``, with what GIFT could not hold."""
    quiz = module.quiz
    if quiz is None:
        return ExportResult()
    questions, problems = bank_questions(quiz.questions, FORMAT, options.strict, course.language)
    lines = [
        f"// {course.title}: {module.code} {module.title}".replace("\n", " "),
        "// "
        + tr(
            course.language,
            "%(title)s; pass mark %(mark)s%%",
            title=quiz.title,
            mark=quiz.pass_mark,
        ).replace("\n", " "),
        "",
        f"$CATEGORY: {_category(module)}",
        "",
    ]
    for question in questions:
        gift = question_gift(question, question.id, course.language)
        if gift is None:
            count = sum(c.correct for c in question.choices)
            why = f"a multiple-choice question with {count} right choices (no set of weights "
            why += "Moodle accepts adds up to 100 %)"
            problems.append(unsupported(question, FORMAT, why, options.skip_unsupported))
            continue
        if question.type == "matching" and question.feedback:
            problems.append(
                Diagnostic(
                    question.at("feedback"),
                    f"question '{question.id}': GIFT has no feedback per matching "
                    "pair; the pair feedback is left out (the explanation is kept)",
                    Severity.WARNING,
                )
            )
        lines += gift
        lines.append("")
    text = "\n".join(lines)
    return ExportResult((ExportFile(f"{module.slug}.gift", text.encode("utf-8")),), tuple(problems))
