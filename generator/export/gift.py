"""Question banks in Moodle GIFT format: one ``<module>.gift`` file per module quiz.

Text goes in as GIFT's ``[html]`` format, rendered by our own safe Markdown renderer: Moodle's
``[markdown]`` format uses another Markdown dialect (and lets raw HTML through), so the LMS would
show something other than the site. GIFT's special characters are escaped the way Moodle's own
GIFT export does it. Matching answers (the right-hand items) are plain text, because Moodle shows
them in a drop-down list.

What GIFT cannot hold: ordering questions (no GIFT syntax), per-pair feedback of matching
questions, and points (Moodle sets the mark after import; each question carries them in a
comment). Ordering questions are reported; dropped pair feedback is a warning.
"""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup

from generator.diagnostics import Diagnostic, Severity
from generator.export import ExportFile, ExportResult, unsupported
from generator.model import Course, Module, Question
from generator.render.markup import block, inline, plain

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
# The answer weights Moodle accepts on import (any other weight is an import error).
MOODLE_WEIGHTS = (
    Fraction(1),
    Fraction(9, 10),
    Fraction(5, 6),
    Fraction(4, 5),
    Fraction(3, 4),
    Fraction(7, 10),
    Fraction(2, 3),
    Fraction(3, 5),
    Fraction(1, 2),
    Fraction(2, 5),
    Fraction(1, 3),
    Fraction(3, 10),
    Fraction(1, 4),
    Fraction(1, 5),
    Fraction(1, 6),
    Fraction(1, 7),
    Fraction(1, 8),
    Fraction(1, 9),
    Fraction(1, 10),
    Fraction(1, 20),
)
FORMAT = "GIFT"


def escape(text: str) -> str:
    """Text with GIFT's special characters backslash-escaped (Moodle's own export rules)."""
    return "".join(_SPECIALS.get(char, char) for char in text)


def _html(markup: Markup) -> str:
    text = escape(str(markup).strip())
    # Moodle's import reads a leading "[name]" as the field's format and a leading "%n%" on a
    # choice as its weight; an explicit [html] first keeps such text as the author wrote it.
    return f"[html]{text}" if text.startswith(("[", "%")) else text


def weight(fraction: Fraction) -> str:
    """A GIFT answer weight such as ``%50%`` or ``%33.33333%`` (Moodle's five decimals)."""
    percent = fraction * 100
    text = f"{float(percent):.5f}".rstrip("0").rstrip(".")
    return f"%{text}%"


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
        right = [c for c in question.choices if c.correct]
        share = Fraction(1, len(right))
        if share not in MOODLE_WEIGHTS:
            return None
        # A wrong pick costs the whole mark, as on the site (all or nothing for wrong choices);
        # Moodle still gives partial credit for some of the right choices.
        return [
            f"~{weight(share if c.correct else Fraction(-1))}{_html(inline(c.text))}"
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


def question_gift(question: Question, name: str) -> list[str] | None:
    """One question in GIFT, as lines; None when its answers cannot be weighted in GIFT."""
    answers = _answers(question)
    if answers is None:
        return None
    lines = [
        f"// question: {question.id}, points: {question.points}",
        f"::{escape(name)}::[html]{_html(block(question.prompt))}{{",
    ]
    lines += [f"\t{answer}" for answer in answers]
    lines.append(f"\t####{_html(block(question.explanation))}")
    lines.append("}")
    return lines


def _category(module: Module) -> str:
    # In a category path "/" separates levels; Moodle reads "//" as a literal slash.
    return "$course$/top/" + f"{module.code} {module.title}".replace("/", "//")


def export_module(course: Course, module: Module, skip_unsupported: bool) -> ExportResult:
    """A module's question bank as ``<slug>.gift``, with what GIFT could not hold."""
    quiz = module.quiz
    if quiz is None:
        return ExportResult()
    problems: list[Diagnostic] = []
    lines = [
        f"// {course.title}: {module.code} {module.title}".replace("\n", " "),
        f"// {quiz.title}; pass mark {quiz.pass_mark}%".replace("\n", " "),
        "",
        f"$CATEGORY: {_category(module)}",
        "",
    ]
    for question in quiz.questions:
        if question.type == "ordering":
            problems.append(unsupported(question, FORMAT, "an ordering question", skip_unsupported))
            continue
        gift = question_gift(question, question.id)
        if gift is None:
            count = sum(c.correct for c in question.choices)
            why = f"a multiple-choice question with {count} right choices (weight 1/{count})"
            problems.append(unsupported(question, FORMAT, why, skip_unsupported))
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
