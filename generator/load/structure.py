"""A translation changes the text only: its ids, answers, items and phases must be the source's.

Each difference is an error at the translation's place, naming the source file and what it has:
a quiz translated with a different correct answer must never build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import Any, TypeVar

from generator.model import Course, Loc, Located, Module, Question, Quiz
from generator.model.components import COMPONENTS
from generator.source.diagnostics import Diagnostics
from generator.source.layout import is_translation, split_language

L = TypeVar("L", bound=Located)

HINT = "a translation changes only the text, never ids, answers or structure"


def _show(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    return str(value)


def _source_of(path: str) -> str:
    return split_language(PurePosixPath(path))[0].as_posix()


def _translated(obj: Located) -> bool:
    return is_translation(PurePosixPath(obj.loc.path))


class _Compare:
    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags

    def value(self, where: Loc, what: str, found: Any, expected: Any, source: str) -> None:
        if found != expected:
            self.diags.error(
                where,
                f"{what} not as in the source {source}: found {_show(found)}, expected "
                f"{_show(expected)}",
                HINT,
            )

    def field(self, got: Located, want: Located, name: str, what: str) -> None:
        self.value(
            got.at(name), what, getattr(got, name), getattr(want, name), _source_of(got.loc.path)
        )

    def ids(
        self,
        what: str,
        got: Sequence[Located],
        want: Sequence[Located],
        key: Callable[[Any], str],
        parent: Loc,
        source: str,
        field: str = "id",
    ) -> bool:
        """Compare the ids of two lists in order; report at the first that differs."""
        found, expected = [key(x) for x in got], [key(x) for x in want]
        if found == expected:
            return True
        first = next(
            (i for i, (a, b) in enumerate(zip(found, expected, strict=False)) if a != b),
            min(len(found), len(expected)),
        )
        where = got[first].at(field) if first < len(got) else parent
        self.value(where, what, found, expected, source)
        return False


class _FileCompare:
    """The comparison of one translated file with its source, for a component kind's
    translation-structure hook (``generator.model.components.Compare``)."""

    def __init__(self, c: _Compare, source: str) -> None:
        self.c = c
        self.source = source

    def value(self, where: Loc, what: str, found: object, expected: object) -> None:
        self.c.value(where, what, found, expected, self.source)

    def ids(
        self,
        what: str,
        got: Sequence[L],
        want: Sequence[L],
        key: Callable[[L], str],
        parent: Loc,
    ) -> bool:
        return self.c.ids(what, got, want, key, parent, self.source)


def compare_courses(source: Course, translated: Course, diags: Diagnostics) -> None:
    """Report every structural difference between a course and its translation."""
    c = _Compare(diags)
    if _translated(translated.meta):
        c.field(translated.meta, source.meta, "id", "course id")
        c.field(translated.meta, source.meta, "modules", "module list")
    glossary_path = next((t.loc.path for t in translated.glossary), "")
    if is_translation(PurePosixPath(glossary_path)):
        c.ids(
            "glossary term ids",
            translated.glossary,
            source.glossary,
            lambda t: t.id,
            Loc(glossary_path),
            _source_of(glossary_path),
        )
    if _translated(translated.sources):
        c.ids(
            "source keys",
            translated.sources.sources,
            source.sources.sources,
            lambda s: s.key,
            translated.sources.at("sources"),
            _source_of(translated.sources.loc.path),
            "key",
        )
    modules = {m.slug: m for m in translated.modules}
    for module in source.modules:
        other = modules.get(module.slug)
        if other is not None:
            _compare_module(c, module, other)


def _compare_module(c: _Compare, source: Module, translated: Module) -> None:
    meta, want = translated.meta, source.meta
    if _translated(meta):
        src = _source_of(meta.loc.path)
        c.field(meta, want, "lessons", "lesson list")
        c.field(meta, want, "level", "module level")
        c.field(meta, want, "duration_minutes", "module duration_minutes")
        c.ids(
            "objective ids",
            meta.objectives,
            want.objectives,
            lambda o: o.id,
            meta.at("objectives"),
            src,
        )
    lessons = {_source_of(lesson.path): lesson for lesson in translated.lessons}
    for lesson in source.lessons:
        other = lessons.get(lesson.path)
        if other is not None and other.path != lesson.path:
            for name, what in (("id", "lesson id"), ("minutes", "lesson minutes")):
                c.field(other.meta, lesson.meta, name, what)
            c.field(other.meta, lesson.meta, "objectives", "lesson objectives")
    for kind in COMPONENTS:
        got, expected = kind.of(translated), kind.of(source)
        if got is not None and expected is not None and _translated(got):
            kind.structure(_FileCompare(c, _source_of(got.loc.path)), got, expected)
    if translated.quiz is not None and source.quiz is not None and _translated(translated.quiz):
        _compare_quiz(c, translated.quiz, source.quiz)


def _compare_quiz(c: _Compare, got: Quiz, want: Quiz) -> None:
    src = _source_of(got.loc.path)
    for name in ("pass_mark", "shuffle", "minutes"):
        c.value(got.at(name), f"quiz {name}", getattr(got, name), getattr(want, name), src)
    c.ids("question ids", got.questions, want.questions, lambda q: q.id, got.at("questions"), src)
    by_id = {q.id: q for q in want.questions}
    for question in got.questions:
        other = by_id.get(question.id)
        if other is not None:
            _compare_question(c, question, other, src)


def _compare_question(c: _Compare, got: Question, want: Question, src: str) -> None:
    label = f"question '{got.id}':"
    c.value(got.at("type"), f"{label} type", got.type, want.type, src)
    if got.type != want.type:
        return
    for name in ("lesson", "objective", "points"):
        c.value(got.at(name), f"{label} {name}", getattr(got, name), getattr(want, name), src)
    if got.type in ("single", "multiple"):
        if c.ids(
            f"{label} choice ids", got.choices, want.choices, lambda x: x.id, got.at("choices"), src
        ):
            changed = [
                x for x, y in zip(got.choices, want.choices, strict=True) if x.correct != y.correct
            ]
            c.value(
                changed[0].at("correct") if changed else got.at("choices"),
                f"{label} correct choices",
                [x.id for x in got.choices if x.correct],
                [x.id for x in want.choices if x.correct],
                src,
            )
    elif got.type == "true-false":
        c.value(got.at("answer"), f"{label} answer", got.answer, want.answer, src)
    elif got.type == "matching":
        c.ids(f"{label} pair ids", got.pairs, want.pairs, lambda x: x.id, got.at("pairs"), src)
    else:
        c.ids(
            f"{label} order of items", got.items, want.items, lambda x: x.id, got.at("items"), src
        )
    c.value(
        got.at("feedback"),
        f"{label} feedback keys",
        sorted(got.feedback),
        sorted(want.feedback),
        src,
    )
