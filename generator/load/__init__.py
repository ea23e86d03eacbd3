"""Loading a course: every file read once into the model, then the cross-file checks.

This package's one public entry point: code outside ``generator/load/`` imports from here
(``load_course`` and its ``LoadResult``; ``FileStatus``, a file's translation state; and
``CourseReader``, with which the scaffold reads one course file or a module's lessons), never
a module inside it. Where sources live is ``generator.source.layout``'s; text decoding and YAML
nodes, shared with authoring, are the lower ``generator.source``.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.checks import check_course
from generator.load.course import CourseReader
from generator.load.translations import FileStatus, load_translations
from generator.model import Course
from generator.source.diagnostics import Diagnostics

__all__ = ["CourseReader", "FileStatus", "LoadResult", "load_course"]


@dataclass(frozen=True)
class LoadResult:
    """The course (None when it could not be assembled), every problem found, and the course
    in each further language it declares (``languages:`` after the first), keyed by code."""

    course: Course | None
    diagnostics: Diagnostics
    translations: Mapping[str, Course] = field(default_factory=dict)
    # Per further language, each file's translation state (up to date, stale, missing, ...).
    translation_states: Mapping[str, tuple[FileStatus, ...]] = field(default_factory=dict)

    def ok(self, strict: bool = False) -> bool:
        return self.course is not None and not self.diagnostics.has_errors(strict)

    def in_language(self, language: str) -> Course | None:
        """The course in ``language`` (the source course or its translation); None if it is not
        offered in that language."""
        if self.course is not None and language == self.course.source_language:
            return self.course
        return self.translations.get(language)


def load_course(root: Path) -> LoadResult:
    """Read ``content/`` and ``quizzes/`` under ``root`` and validate them, with the course's
    translations into each further language it declares."""
    with _no_cycle_collection():
        return _load(root.resolve())


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a course is read: the loader builds hundreds of
    thousands of objects (YAML nodes, the model) and makes no garbage cycles to speak of, and
    each pass of the collector walks all that live so far (at 1,000 lessons, a seventh of the
    load). Whatever cycles there are are collected after, as the collector is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(root: Path) -> LoadResult:
    diags = Diagnostics()
    course = CourseReader(root, diags).course()
    translations: dict[str, Course] = {}
    states: dict[str, tuple[FileStatus, ...]] = {}
    if course is not None:
        check_course(course, diags)
        meta = course.meta
        if meta.languages and "language" not in meta.locs:
            # `languages:` alone names the source language first.
            course = dataclasses.replace(
                course, meta=dataclasses.replace(meta, language=meta.languages[0])
            )
        translations, states = load_translations(root, course, diags)
    return LoadResult(course, diags, translations, states)
