"""The quiz page of a module: questions as accessible forms, with answers encoded.

All questions sit on one page, each with its own "Check answer" button: a learner sees every
question at once (and without JavaScript can still read them all), the page prints as a
worksheet, search indexes every prompt, and the keyboard path is plain Tab order. Answers,
per-choice feedback and explanations travel in a data attribute, XOR-ed with a stream seeded by
the question and base64-encoded: not secret (quizzes are formative self-checks) but never
readable as text or obvious markers, and never in the search index.
"""

from __future__ import annotations

import base64
import json
import random
import re
from dataclasses import dataclass

from markupsafe import Markup

from generator.i18n.catalogues import tr
from generator.model import Course, Module, Question, addresses
from generator.render.markup import block, inline, nodes
from generator.source.languages import SOURCE_LANGUAGE

MASK32 = 0xFFFFFFFF
# The page says whether a choice was right ("Correct:", "Incorrect:"); an author's feedback that
# opens with its own verdict would read "Correct: Correct. ...", so that opening word is dropped,
# in every language the interface speaks (English, German, French, Spanish).
_VERDICT_WORDS = (
    "correct|right|yes|incorrect|wrong|no|not quite",
    "richtig|korrekt|genau|ja|falsch|nein|nicht ganz|leider falsch|leider nein",
    "exact|exactement|juste|oui|faux|non|pas tout à fait|bonne réponse|mauvaise réponse",
    "correcto|correcta|cierto|exacto|sí|si|incorrecto|incorrecta|falso|no del todo",
)
_VERDICT = re.compile(rf"^¡?(?:{'|'.join(_VERDICT_WORDS)})\s*[.,:;!–—-]\s*", re.IGNORECASE)
# Multiple-choice questions get the hint "Select all that apply." from the page; a prompt that
# says it too would say it twice.
_SELECT_ALL = re.compile(r"\s*\bselect all that apply\.?\s*$", re.IGNORECASE)


def shown_prompt(question: Question) -> str:
    """The prompt as pages and handouts show it: a multiple-choice question's own "Select all
    that apply." left out, as the page adds that hint to every such question."""
    return _SELECT_ALL.sub("", question.prompt) if question.type == "multiple" else question.prompt


def without_verdict(feedback: str) -> str:
    """Feedback without an opening verdict word, the next word capitalised; nothing when the
    feedback is only a verdict ("Richtig."), which the page says itself."""
    rest = _VERDICT.sub("", feedback.strip(), count=1)
    if rest == feedback.strip():
        return feedback
    return rest[:1].upper() + rest[1:]


def seed_of(text: str) -> int:
    """FNV-1a over UTF-8 bytes; quiz.js computes the same."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & MASK32
    return value


def key_stream(seed: int, length: int) -> bytes:
    """Xorshift32 bytes; quiz.js computes the same."""
    state = seed or 1
    out = bytearray()
    for _ in range(length):
        state ^= (state << 13) & MASK32
        state ^= state >> 17
        state ^= (state << 5) & MASK32
        out.append(state & 0xFF)
    return bytes(out)


def encode_answer(salt: str, payload: dict[str, object]) -> str:
    """The payload as JSON, XOR-ed with the salt's key stream, in base64."""
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    mask = key_stream(seed_of(salt), len(data))
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, mask, strict=True))).decode("ascii")


def decode_answer(salt: str, encoded: str) -> dict[str, object]:
    """The inverse of encode_answer (used by tests and by trainer handouts)."""
    data = base64.b64decode(encoded)
    mask = key_stream(seed_of(salt), len(data))
    result: dict[str, object] = json.loads(bytes(a ^ b for a, b in zip(data, mask, strict=True)))
    return result


@dataclass(frozen=True)
class Option:
    """A choice or select option as shown: value, label HTML."""

    value: str
    label: Markup


@dataclass(frozen=True)
class QuestionView:
    """What the quiz template needs to show one question."""

    question: Question
    number: int
    dom_id: str
    prompt: Markup
    options: tuple[Option, ...]  # choices (single/multiple/true-false) or right-hand items
    rows: tuple[Option, ...]  # matching: left items; ordering: the items, shuffled
    encoded: str
    review_link: str
    review_title: str


def _shuffled(items: list[Option], salt: str, shuffle: bool) -> list[Option]:
    if shuffle:
        random.Random(seed_of(salt)).shuffle(items)
    return items


@dataclass(frozen=True)
class _Form:
    """A question's form controls in display order, and its correct answer as quiz.js reads it."""

    options: list[Option]
    rows: list[Option]
    correct: object


def _choice_form(question: Question, salt: str, shuffle: bool, language: str) -> _Form:
    options = [Option(c.id, inline(c.text, language)) for c in question.choices]
    correct = sorted(c.id for c in question.choices if c.correct)
    return _Form(_shuffled(options, salt, shuffle), [], correct)


def _true_false_form(question: Question, _salt: str, _shuffle: bool, language: str) -> _Form:
    options = [
        Option("true", Markup(tr(language, "True"))),
        Option("false", Markup(tr(language, "False"))),
    ]
    return _Form(options, [], ["true" if question.answer else "false"])


def _matching_form(question: Question, salt: str, shuffle: bool, language: str) -> _Form:
    rights = sorted({p.right for p in question.pairs})
    values = {text: f"m{index}" for index, text in enumerate(rights)}
    options = _shuffled(
        [Option(values[t], inline(t, language)) for t in rights], salt + ":r", shuffle
    )
    rows = [Option(p.id, inline(p.left, language)) for p in question.pairs]
    return _Form(options, rows, {p.id: values[p.right] for p in question.pairs})


def _ordering_form(question: Question, salt: str, _shuffle: bool, language: str) -> _Form:
    rows = [Option(i.id, inline(i.text, language)) for i in question.items]
    # Always shuffle the items of an ordering question: shown in order, it would be solved.
    rows = _shuffled(rows, salt, True)
    if [r.value for r in rows] == [i.id for i in question.items]:
        rows = rows[1:] + rows[:1]
    options = [Option(str(n), Markup(str(n))) for n in range(1, len(rows) + 1)]
    return _Form(options, rows, {i.id: str(n) for n, i in enumerate(question.items, start=1)})


_FORMS = {
    "single": _choice_form,
    "multiple": _choice_form,
    "true-false": _true_false_form,
    "matching": _matching_form,
    "ordering": _ordering_form,
}


def question_view(
    module: Module, question: Question, number: int, shuffle: bool, language: str = SOURCE_LANGUAGE
) -> QuestionView:
    """Options in display order and the encoded answer of one question."""
    salt = f"{module.slug}:{question.id}"
    form = _FORMS[question.type](question, salt, shuffle, language)
    # Feedback and explanation as trees of nodes: quiz.js builds them with DOM calls, so an
    # author's text is never parsed as HTML in the browser.
    feedback = {
        key: nodes(inline(without_verdict(text), language))
        for key, text in question.feedback.items()
    }
    payload: dict[str, object] = {
        "feedback": feedback,
        "explanation": nodes(block(question.explanation, language)),
        "points": question.points,
        "correct": form.correct,
    }
    anchor = f"#{question.section}" if question.section else ""
    return QuestionView(
        question=question,
        number=number,
        dom_id=f"q-{question.id}",
        prompt=inline(shown_prompt(question), language),
        options=tuple(form.options),
        rows=tuple(form.rows),
        encoded=encode_answer(salt, payload),
        review_link=addresses.module_page(module.slug, question.lesson).link_from(
            addresses.module_page(module.slug, "quiz")
        )
        + anchor,
        review_title=tested_at(module, question),
    )


def tested_at(module: Module, question: Question) -> str:
    """Where a question points the learner back to, by title: "Lesson › Section" (or the
    lesson alone), never by id."""
    lesson = module.lesson(question.lesson)
    if lesson is None:  # the checks report it; never reached in a built course
        return question.lesson
    section = next((s.title for s in lesson.sections if s.anchor == question.section), "")
    return f"{lesson.title} › {section}" if section else lesson.title


def objective_text(module: Module, question: Question) -> str:
    """The text of the objective a question assesses (inline Markdown), never its id."""
    return next(
        (o.text for o in module.meta.objectives if o.id == question.objective), question.objective
    )


def quiz_context(course: Course, module: Module) -> dict[str, object]:
    """The template context of a module's quiz page."""
    quiz = module.quiz
    assert quiz is not None
    views = [
        question_view(module, question, number, quiz.shuffle, course.language)
        for number, question in enumerate(quiz.questions, start=1)
    ]
    return {
        "course": course,
        "module": module,
        "quiz": quiz,
        "questions": views,
        "total_points": sum(q.points for q in quiz.questions),
    }
