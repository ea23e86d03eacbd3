"""Question banks in Moodle XML: one ``<module>-moodle.xml`` per module quiz, every question type
held natively (ordering as Moodle's ``ordering`` question type, in core since Moodle 4.4).

Text is our own safe HTML (``format="html"``); ElementTree escapes it. Each question carries its
points as ``defaultgrade``, its id as ``name`` and ``idnumber``, per-choice feedback on its
answers and the explanation as ``generalfeedback``. Multiple choice uses the same weights as the
GIFT export (Moodle's accepted weights, adding up to exactly 100 %; a wrong pick −100 %).
Moodle's matching and ordering types have no feedback per pair or item: it is left out, with a
warning.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

from markupsafe import Markup

from generator.export import ExportFile, ExportOptions, ExportResult, unsupported
from generator.export.questions import exact_weights, percent_text
from generator.export.questions import sub_element as _sub
from generator.model import Course, Module, Question
from generator.render.markup import block, inline, plain
from generator.source.diagnostics import Diagnostic, Severity

FORMAT = "Moodle XML"
QTYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true-false": "truefalse",
    "matching": "matching",
    "ordering": "ordering",
}


def _text(parent: ET.Element, tag: str, html: Markup | str, fmt: str = "html") -> ET.Element:
    field = _sub(parent, tag, format=fmt) if fmt else _sub(parent, tag)
    _sub(field, "text", str(html).strip())
    return field


def _answer(
    parent: ET.Element, fraction: Fraction, html: Markup | str, feedback: Markup | None
) -> None:
    answer = _sub(parent, "answer", fraction=percent_text(fraction), format="html")
    _sub(answer, "text", str(html).strip())
    _text(answer, "feedback", feedback or "")


def _combined_feedback(element: ET.Element) -> None:
    # Empty on purpose: the explanation (general feedback) and the per-choice feedback say it.
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "")


def question_xml(question: Question) -> ET.Element | None:
    """One question as a Moodle XML ``question``; None when Moodle cannot weight its choices."""
    element = ET.Element("question", type=QTYPES[question.type])
    _sub(_sub(element, "name"), "text", question.id)
    _text(element, "questiontext", block(question.prompt))
    _text(element, "generalfeedback", block(question.explanation))
    _sub(element, "defaultgrade", str(question.points))
    _sub(element, "penalty", "0.3333333")  # Moodle's default
    _sub(element, "hidden", "0")
    _sub(element, "idnumber", question.id)
    answers = _ANSWERS[question.type]
    return element if answers(element, question) else None


def _feedback(question: Question, key: str) -> Markup | None:
    text = question.feedback.get(key)
    return inline(text) if text else None


def _choice_answers(element: ET.Element, question: Question) -> bool:
    """A single or multiple choice question's answers; False when no weights fit."""
    weights: list[Fraction]
    if question.type == "single":
        weights = [Fraction(100 if c.correct else 0) for c in question.choices]
    else:
        shares = exact_weights(sum(c.correct for c in question.choices))
        if shares is None:
            return False
        given = iter(shares)
        weights = [next(given) if c.correct else Fraction(-100) for c in question.choices]
    _sub(element, "single", "true" if question.type == "single" else "false")
    _sub(element, "shuffleanswers", "true")
    _sub(element, "answernumbering", "abc")
    _combined_feedback(element)
    for choice, weight in zip(question.choices, weights, strict=True):
        _answer(element, weight, inline(choice.text), _feedback(question, choice.id))
    return True


def _true_false_answers(element: ET.Element, question: Question) -> bool:
    for key in ("true", "false"):
        is_right = (key == "true") == bool(question.answer)
        answer = _sub(
            element, "answer", fraction="100" if is_right else "0", format="moodle_auto_format"
        )
        _sub(answer, "text", key)
        _text(answer, "feedback", _feedback(question, key) or "")
    return True


def _matching_answers(element: ET.Element, question: Question) -> bool:
    _sub(element, "shuffleanswers", "true")
    _combined_feedback(element)
    for pair in question.pairs:
        sub = _sub(element, "subquestion", format="html")
        _sub(sub, "text", str(inline(pair.left)).strip())
        # Moodle lists the answers in a drop-down menu: plain text, as Moodle's own form.
        _sub(_sub(sub, "answer"), "text", plain(pair.right))
    return True


def _ordering_answers(element: ET.Element, question: Question) -> bool:
    """The answers in the right order, each fraction its position."""
    _sub(element, "layouttype", "VERTICAL")
    _sub(element, "selecttype", "ALL")
    _sub(element, "selectcount", "0")
    _sub(element, "gradingtype", "ABSOLUTE_POSITION")
    _sub(element, "showgrading", "SHOW")
    _sub(element, "numberingstyle", "none")
    _combined_feedback(element)
    # The ordering type's importer reads the hints' "show the number correct" flag; without
    # it Moodle adds two empty hints and raises PHP warnings for every question.
    _sub(element, "shownumcorrect")
    for position, item in enumerate(question.items, start=1):
        answer = _sub(element, "answer", fraction=str(position), format="html")
        _sub(answer, "text", str(inline(item.text)).strip())
    return True


_ANSWERS = {
    "single": _choice_answers,
    "multiple": _choice_answers,
    "true-false": _true_false_answers,
    "matching": _matching_answers,
    "ordering": _ordering_answers,
}


def _category(module: Module) -> ET.Element:
    element = ET.Element("question", type="category")
    path = "$course$/top/" + f"{module.code} {module.title}".replace("/", "//")
    _sub(_sub(element, "category"), "text", path)
    return element


def export_module(course: Course, module: Module, options: ExportOptions) -> ExportResult:
    """A module's question bank as ``<slug>-moodle.xml``, with what Moodle XML could not hold."""
    quiz = module.quiz
    if quiz is None:
        return ExportResult()
    problems: list[Diagnostic] = []
    root = ET.Element("quiz")
    root.append(ET.Comment(f" {course.title}: {module.code} {module.title} ".replace("--", "-")))
    root.append(_category(module))
    for question in quiz.questions:
        element = question_xml(question)
        if element is None:
            count = sum(c.correct for c in question.choices)
            why = f"a multiple-choice question with {count} right choices (no set of weights "
            why += "Moodle accepts adds up to 100 %)"
            problems.append(unsupported(question, FORMAT, why, options.skip_unsupported))
            continue
        if question.type in ("matching", "ordering") and question.feedback:
            kind = "pair" if question.type == "matching" else "item"
            problems.append(
                Diagnostic(
                    question.at("feedback"),
                    f"question '{question.id}': Moodle's {question.type} question has no "
                    f"feedback per {kind}; the {kind} feedback is left out (the explanation "
                    "is kept)",
                    Severity.WARNING,
                )
            )
        root.append(element)
    ET.indent(root)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    return ExportResult((ExportFile(f"{module.slug}-moodle.xml", body),), tuple(problems))
