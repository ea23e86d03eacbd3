"""Rules across files: unique ids, lesson ids free of the module's own page names, references that
resolve, quiz sanity and objective coverage."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from generator.model import Course, Loc, Located, Module, Question, Quiz
from generator.model.components import COMPONENTS, RESERVED_PAGE_NAMES
from generator.source.diagnostics import Diagnostics, did_you_mean
from generator.source.layout import MODULE_FILE, SOURCES_FILE, quiz_file

T = TypeVar("T", bound=Located)


def check_course(course: Course, diags: Diagnostics) -> None:
    """Run every cross-file rule over a loaded course."""
    _unique(course.glossary, lambda t: t.id, "id", "glossary term id", diags)
    _unique_terms(course, diags)
    _unique(course.sources.sources, lambda s: s.key, "key", "source key", diags)
    for source in course.sources.sources:
        # Citation labels and the bibliography are built from the first author's surname.
        if not [a for a in source.authors if a not in ("...", "…")]:
            diags.error(
                source.at("authors"),
                f"source '{source.key}' has no authors, expected at least one name",
            )
    keys = [s.key for s in course.sources.sources]
    for module in course.modules:
        _check_module(module, keys, diags)


def _unique(
    items: Iterable[T], key: Callable[[T], str], field: str, what: str, diags: Diagnostics
) -> None:
    seen: dict[str, T] = {}
    for item in items:
        value = key(item)
        if value in seen:
            first = seen[value].at(field)
            diags.error(
                item.at(field),
                f"duplicate {what} '{value}', first used at {first.path}:{first.line}, "
                "expected each to be unique",
            )
        else:
            seen[value] = item


def _unique_terms(course: Course, diags: Diagnostics) -> None:
    seen: dict[str, str] = {}
    for term in course.glossary:
        places = [
            ("term", term.term),
            *((f"aliases[{i}]", alias) for i, alias in enumerate(term.aliases)),
            *((f"related[{i}]", word) for i, word in enumerate(term.related)),
        ]
        for field_path, text in places:
            folded = text.casefold()
            where = term.at(field_path)
            if folded in seen and seen[folded] != term.id:
                diags.error(
                    where,
                    f"glossary text '{text}' is already used by term '{seen[folded]}', "
                    "expected each term, alias and related word to name one entry",
                )
            seen.setdefault(folded, term.id)


def _check_module(module: Module, source_keys: list[str], diags: Diagnostics) -> None:
    meta = module.meta
    _unique(meta.objectives, lambda o: o.id, "id", "objective id", diags)
    objective_ids = [o.id for o in meta.objectives]
    covered: set[str] = set()
    for lesson in module.lessons:
        if lesson.id in RESERVED_PAGE_NAMES:
            diags.error(
                lesson.meta.at("id"),
                f"lesson id '{lesson.id}' is a name the module's own pages use, expected "
                f"another id (reserved: {', '.join(RESERVED_PAGE_NAMES)})",
            )
        for index, ref in enumerate(lesson.meta.objectives):
            covered.add(ref)
            if ref not in objective_ids:
                diags.error(
                    lesson.meta.at(f"objectives[{index}]"),
                    f"unknown objective '{ref}', expected an objective id of {module.slug}"
                    f"/{MODULE_FILE}",
                    did_you_mean(ref, objective_ids),
                )
        for citation in lesson.citations:
            if citation.key not in source_keys:
                diags.error(
                    citation.loc,
                    f"unknown citation key '{citation.key}', expected a key of {SOURCES_FILE}",
                    did_you_mean(citation.key, source_keys),
                )
    for objective in meta.objectives:
        if objective.id not in covered:
            diags.warning(
                objective.at("id"),
                f"objective '{objective.id}' is not covered by any lesson",
            )
    for kind in COMPONENTS:
        component = kind.of(module)
        if component is not None:
            kind.check(component, _Rules(diags))
    if module.quiz:
        check_quiz(module.quiz, module, diags)


class _Rules:
    """The reporting a component kind's check hook uses (``generator.model.components.Rules``)."""

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags

    def unique(self, items: Iterable[T], key: Callable[[T], str], field: str, what: str) -> None:
        _unique(items, key, field, what, self.diags)

    def error(self, where: Loc, message: str) -> None:
        self.diags.error(where, message)


def check_quiz(quiz: Quiz, module: Module, diags: Diagnostics) -> None:
    """Quiz sanity: answers per type, feedback keys, references and objective coverage."""
    _unique(quiz.questions, lambda q: q.id, "id", "question id", diags)
    lesson_ids = [lesson.id for lesson in module.lessons]
    objective_ids = [o.id for o in module.meta.objectives]
    for question in quiz.questions:
        _check_answers(question, diags)
        _check_quiz_links(question, diags)
        lesson = module.lesson(question.lesson)
        if lesson is None:
            diags.error(
                question.at("lesson"),
                f"unknown lesson '{question.lesson}', expected a lesson id of {module.slug}",
                did_you_mean(question.lesson, lesson_ids),
            )
        elif question.section is not None:
            anchors = [s.anchor for s in lesson.sections]
            if question.section not in anchors:
                diags.error(
                    question.at("section"),
                    f"lesson '{lesson.id}' has no section '{question.section}', expected one of: "
                    f"{', '.join(anchors) or '(no sections)'}",
                    did_you_mean(question.section, anchors),
                )
        if question.objective not in objective_ids:
            diags.error(
                question.at("objective"),
                f"unknown objective '{question.objective}', expected an objective id of "
                f"{module.slug}/{MODULE_FILE}",
                did_you_mean(question.objective, objective_ids),
            )
    assessed = {q.objective for q in quiz.questions}
    for objective in module.meta.objectives:
        if objective.id not in assessed:
            diags.warning(
                objective.at("id"),
                f"objective '{objective.id}' is not assessed by any question of "
                f"{quiz_file(module.slug)}",
            )


_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")


def _is_relative(target: str) -> bool:
    """A link to another file (not a scheme, not an anchor on the same page)."""
    return not target.startswith("#") and ":" not in re.split(r"[/?]", target, maxsplit=1)[0]


def _check_quiz_links(question: Question, diags: Diagnostics) -> None:
    """Feedback and explanations travel encoded, out of MkDocs' sight: relative links would break.

    Links with an unsafe scheme are not rejected here: the renderer makes them point nowhere."""
    texts = [("explanation", "explanation", question.explanation)]
    texts += [("feedback", f"feedback.{key}", text) for key, text in question.feedback.items()]
    for field, where, text in texts:
        for target in _LINK_TARGET.findall(text):
            if _is_relative(target):
                diags.error(
                    question.at(where),
                    f"link '{target}' in the {field} of question '{question.id}' must be absolute "
                    "(https://...); the link to the lesson comes from 'lesson' and 'section'",
                )


_ANSWER_FIELDS = {
    "single": "choices",
    "multiple": "choices",
    "true-false": "answer",
    "matching": "pairs",
    "ordering": "items",
}


def _check_answers(q: Question, diags: Diagnostics) -> None:
    own = _ANSWER_FIELDS[q.type]
    for name in set(_ANSWER_FIELDS.values()) - {own}:
        if name in q.locs:
            diags.error(
                q.at(name),
                f"field '{name}' does not apply to a {q.type} question, expected '{own}'",
            )
    keys = _ANSWER_CHECKS[q.type](q, diags)
    for key in q.feedback:
        if key not in keys:
            diags.error(
                q.at(f"feedback.{key}"),
                f"feedback for '{key}', which is not a choice of question '{q.id}', expected one "
                f"of: {', '.join(keys)}",
                did_you_mean(key, keys),
            )


def _check_choices(q: Question, diags: Diagnostics) -> list[str]:
    """A single- or multiple-choice question's choices; its feedback keys."""
    _unique(q.choices, lambda c: c.id, "id", "choice id", diags)
    correct = sum(c.correct for c in q.choices)
    if len(q.choices) < 2:
        diags.error(
            q.at("choices"),
            f"question '{q.id}' has {len(q.choices)} choice(s), expected at least 2",
        )
    if q.type == "single" and correct != 1:
        diags.error(
            q.at("choices"),
            f"single-choice question '{q.id}' has {correct} correct choices, expected exactly 1",
        )
    if q.type == "multiple" and correct == 0:
        diags.error(
            q.at("choices"),
            f"multiple-choice question '{q.id}' has no correct choice, expected at least 1",
        )
    return [c.id for c in q.choices]


def _check_true_false(q: Question, diags: Diagnostics) -> list[str]:
    # A value that is not true/false is reported where it is written; this is for none at all.
    if q.answer is None and "answer" not in q.locs:
        diags.error(q.loc, f"true-false question '{q.id}' has no 'answer', expected true/false")
    return ["true", "false"]


def _check_pairs(q: Question, diags: Diagnostics) -> list[str]:
    _unique(q.pairs, lambda p: p.id, "id", "pair id", diags)
    if len(q.pairs) < 2:
        diags.error(
            q.at("pairs"), f"question '{q.id}' has {len(q.pairs)} pair(s), expected at least 2"
        )
    return [p.id for p in q.pairs]


def _check_items(q: Question, diags: Diagnostics) -> list[str]:
    _unique(q.items, lambda i: i.id, "id", "item id", diags)
    if len(q.items) < 2:
        diags.error(
            q.at("items"), f"question '{q.id}' has {len(q.items)} item(s), expected at least 2"
        )
    return [i.id for i in q.items]


# Each question type's own answer rules; each gives the keys its feedback may use.
_ANSWER_CHECKS: dict[str, Callable[[Question, Diagnostics], list[str]]] = {
    "single": _check_choices,
    "multiple": _check_choices,
    "true-false": _check_true_false,
    "matching": _check_pairs,
    "ordering": _check_items,
}
