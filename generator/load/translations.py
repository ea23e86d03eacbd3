"""A course's translations: one Course per further language, and what keeps them honest.

Each language in ``languages:`` after the first is loaded with the same reader as the source,
every file replaced by its translation where one is beside it (``generator.source.layout``); the
files read untranslated are the course's ``fallbacks``. Reported here:

- errors: an unknown or repeated language code, ``languages`` not starting with ``language``, a
  translation file for a language the course does not declare or of a file that does not exist,
  a translation whose structure differs from its source (``generator.load.structure``), and
  problems in the translation files themselves;
- warnings: a file without a translation (the reader sees the source language), a translation
  without the source's fingerprint, and one whose source has changed since it was translated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal, NamedTuple

from generator.checks import check_course
from generator.load.course import CourseReader
from generator.load.structure import compare_courses
from generator.model import SOURCE_FINGERPRINT, Course, CourseFile, Loc
from generator.source import fingerprint
from generator.source.diagnostics import Diagnostics
from generator.source.languages import language_name, language_problem
from generator.source.layout import COURSE_FILE, split_language, translation_rel

State = Literal["ok", "missing", "stale", "unrecorded"]


@dataclass(frozen=True)
class FileStatus:
    """One source file in one further language: whether its translation is there and current."""

    language: str
    source: str
    translation: str
    state: State
    recorded: str | None  # the fingerprint the translation records, if any
    current: str  # the source's fingerprint now
    loc: Loc  # where a warning about it points


def course_languages(meta: CourseFile, diags: Diagnostics) -> tuple[str, ...]:
    """The course's languages, source first, with every problem in ``language``/``languages``
    reported; codes that are not usable are left out."""
    problem = language_problem(meta.language)
    if problem:
        diags.error(meta.at("language"), problem)
    usable: list[str] = []
    for index, code in enumerate(meta.languages):
        where = meta.at(f"languages[{index}]")
        problem = language_problem(code)
        if problem:
            diags.error(where, problem)
        elif code in usable:
            diags.error(where, f"language '{code}' is listed twice, expected each language once")
        else:
            usable.append(code)
    if meta.languages and meta.languages[0] != meta.language and "language" in meta.locs:
        diags.error(
            meta.at("languages"),
            f"languages starts with '{meta.languages[0]}' but language is '{meta.language}', "
            "expected the source language first",
        )
        # Read on with the source language first, rather than take every file for a translation.
        usable = [meta.language, *(code for code in usable if code != meta.language)]
    return tuple(usable) or (meta.language,)


class TranslationFile(NamedTuple):
    """A translation file found on disk: its path, its source file's path, its language."""

    path: str
    source: str
    language: str


def translation_files(root: Path) -> Iterator[TranslationFile]:
    """Every translation file under content/ and quizzes/ (project-relative POSIX paths)."""
    # In the order of Path objects: content/ first, each folder's paths part by part.
    files = fingerprint.content_files(root)
    for rel, _path in sorted(files, key=lambda found: found[0].split("/")):
        source, lang = split_language(PurePosixPath(rel))
        if lang is not None:
            yield TranslationFile(rel, source.as_posix(), lang)


def _check_translation_files(root: Path, languages: tuple[str, ...], diags: Diagnostics) -> None:
    declared = languages[1:]
    for rel, source, lang in translation_files(root):
        if lang not in declared:
            if lang == languages[0]:
                diags.error(
                    Loc(rel),
                    f"translation into the source language '{lang}', expected the text in "
                    f"{source} itself",
                )
            else:
                diags.error(
                    Loc(rel),
                    f"translation into {language_name(lang)} ({lang}), which the course does not "
                    f"declare, expected '{lang}' in {COURSE_FILE} languages "
                    f"(declared: {', '.join(languages)})",
                )
        elif not (root / source).is_file():
            diags.error(
                Loc(rel),
                f"translation of {source}, which does not exist, expected the translation beside "
                "its source file, named after it",
            )


def statuses(root: Path, reader: CourseReader) -> list[FileStatus]:
    """Each file a translation's reading used: translated and current, stale, without a
    recorded fingerprint, or missing (the source is shown)."""
    lang = reader.language or ""
    out: list[FileStatus] = []
    for translation, source in sorted(reader.translated.items()):
        current = fingerprint.file_fingerprint(root / source)
        mark = reader.fingerprints.get(translation)
        if mark is None or mark.value is None:
            state: State = "unrecorded"
            recorded, loc = None, mark.loc if mark else Loc(translation)
        else:
            state = "ok" if mark.value == current else "stale"
            recorded, loc = mark.value, mark.loc
        out.append(FileStatus(lang, source, translation, state, recorded, current, loc))
    for source in sorted(reader.fallbacks):
        out.append(
            FileStatus(
                lang,
                source,
                translation_rel(source, lang),
                "missing",
                None,
                fingerprint.file_fingerprint(root / source),
                Loc(source),
            )
        )
    return sorted(out, key=lambda s: s.source)


def _warn(status: FileStatus, source_language: str, diags: Diagnostics) -> None:
    name = f"{language_name(status.language)} ({status.language})"
    if status.state == "missing":
        diags.warning(
            status.loc,
            f"no {name} translation; the page falls back to {language_name(source_language)}",
        )
    elif status.state == "unrecorded":
        diags.warning(
            status.loc,
            f"translation records no source fingerprint, expected '{SOURCE_FINGERPRINT}: "
            f"{status.current}' (of {status.source}) so a later change to it is noticed",
        )
    elif status.state == "stale":
        diags.warning(
            status.loc,
            f"translation is out of date: {status.source} has changed since it was translated "
            f"(fingerprint {status.recorded}, now {status.current}), expected the translation "
            f"brought up to date and {SOURCE_FINGERPRINT} set to {status.current}",
        )


def read_translation(root: Path, source: Course, lang: str) -> tuple[Course | None, CourseReader]:
    """The course in ``lang`` (None if its translations cannot be assembled) and the reader,
    whose diagnostics are its own."""
    reader = CourseReader(root, Diagnostics(), lang)
    translated = reader.course()
    if translated is not None:
        check_course(translated, reader.diags)
        meta = dataclasses.replace(translated.meta, language=lang, languages=source.languages)
        translated = dataclasses.replace(
            translated, meta=meta, fallbacks=frozenset(reader.fallbacks)
        )
    return translated, reader


def load_translations(
    root: Path, course: Course, diags: Diagnostics
) -> tuple[dict[str, Course], dict[str, tuple[FileStatus, ...]]]:
    """Check the course's languages and load the course in each further one; with, per further
    language, every file's translation state (for ``check --translations``)."""
    languages = course_languages(course.meta, diags)
    _check_translation_files(root, languages, diags)
    # A problem the source has is reported once, at the source: not again where a translation
    # that mirrors it (same structure) or the untranslated file itself brings it back.
    seen = {(d.loc.path, d.message) for d in diags}
    out: dict[str, Course] = {}
    states: dict[str, tuple[FileStatus, ...]] = {}
    for lang in languages[1:]:
        translated, reader = read_translation(root, course, lang)
        states[lang] = tuple(statuses(root, reader))
        for d in reader.diags:
            if (reader.translated.get(d.loc.path, d.loc.path), d.message) in seen:
                continue
            if d.loc.path not in reader.translated:
                # A source file's problem that only the translation brings out: say which.
                d = dataclasses.replace(
                    d, message=f"{d.message} (in the {language_name(lang)} ({lang}) course)"
                )
            diags.extend([d])
        if translated is None:
            continue
        compare_courses(course, translated, diags)
        for status in states[lang]:
            _warn(status, languages[0], diags)
        out[lang] = translated
    return out, states
