"""Where every source of a course lives: one owner of the project's source paths, as
``addresses.py`` is of the outputs.

A course project holds ``content/`` (``course.yml``, ``glossary.yml``, ``sources.yml`` and one
folder per module under ``content/modules/<slug>/``: its ``module.yml``, ``lessons/*.md`` and
``components/<kind>.yml``) and ``quizzes/<slug>.yml``, one question bank per module. Paths here
are project-relative POSIX strings; the loader, the checks, the scaffold, the importer, the
translation tools and the engines all ask here instead of spelling them out.

It also owns where a content file's translation lives: ``X.md`` / ``X.yml`` translated into
German is ``X.de.md`` / ``X.de.yml`` beside it, and nothing else splits file names on a language
code. Pure functions of names: no I/O.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TypeVar

from generator.source.languages import is_language_code

P = TypeVar("P", bound=PurePath)

# The two source folders at the project root.
CONTENT = "content"
QUIZZES = "quizzes"
# The course-wide files.
COURSE_FILE = f"{CONTENT}/course.yml"
GLOSSARY_FILE = f"{CONTENT}/glossary.yml"
SOURCES_FILE = f"{CONTENT}/sources.yml"
# One folder per module, named by its slug, holding these.
MODULES = f"{CONTENT}/modules"
MODULE_FILE = "module.yml"
LESSONS = "lessons"
COMPONENTS = "components"
# A module's pictures, and the report `coursesmith import` writes beside the module's files (what
# was placed where, dropped, changed or guessed: for the author, never published).
IMAGES = "images"
IMPORT_REPORT = "import-report.md"
# Where `coursesmith schema` writes the JSON Schemas editors read (hidden, like KEPT_SOURCES).
SCHEMAS = f"{CONTENT}/.schemas"


def module_folder(slug: str) -> str:
    """``content/modules/<slug>``."""
    return f"{MODULES}/{slug}"


def module_file(slug: str) -> str:
    """``content/modules/<slug>/module.yml``."""
    return f"{module_folder(slug)}/{MODULE_FILE}"


def lessons_folder(slug: str) -> str:
    """``content/modules/<slug>/lessons``."""
    return f"{module_folder(slug)}/{LESSONS}"


def lesson_file(slug: str, number: int, lesson_id: str) -> str:
    """``content/modules/<slug>/lessons/NN-<id>.md``: a lesson, numbered in course order."""
    return f"{lessons_folder(slug)}/{number:02d}-{lesson_id}.md"


def component_file(slug: str, filename: str) -> str:
    """``content/modules/<slug>/components/<filename>``."""
    return f"{module_folder(slug)}/{COMPONENTS}/{filename}"


def quiz_file(slug: str) -> str:
    """``quizzes/<slug>.yml``: the question bank of module ``slug``."""
    return f"{QUIZZES}/{slug}.yml"


# The content file kinds that can have a translation.
SUFFIXES = (".md", ".yml")
# Where a copy of each source a translation was made from is kept, named by its fingerprint
# (what ``translate export --stale-only`` compares with); hidden, so the loader and the
# course fingerprint leave it alone.
KEPT_SOURCES = f"{CONTENT}/.translated-sources"
# A language part looks like a code (de, pt-BR); Babel then decides whether it is one.
_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")


def translation_path(source: P, lang: str) -> P:
    """The path of ``source``'s translation into ``lang``: ``01-intro.md`` -> ``01-intro.de.md``."""
    return source.with_name(f"{source.stem}.{lang}{source.suffix}")


def translation_rel(source_rel: str, lang: str) -> str:
    """As :func:`translation_path`, for a project-relative POSIX path (a ``Loc.path``)."""
    stem, dot, suffix = source_rel.rpartition(".")
    return f"{stem}.{lang}.{suffix}" if dot else f"{source_rel}.{lang}"


def kept_source_rel(source_rel: str, fingerprint: str) -> str:
    """Where the copy of a source file with this fingerprint is kept."""
    return f"{KEPT_SOURCES}/{fingerprint}{PurePath(source_rel).suffix}"


def language_of(name: str) -> str | None:
    """The language code in a translation file's name (``01-intro.de.md`` -> ``de``), or None
    when the name is a source file's."""
    stem, suffix = name.rsplit(".", 1) if "." in name else (name, "")
    if f".{suffix}" not in SUFFIXES or "." not in stem:
        return None
    base, lang = stem.rsplit(".", 1)
    if not base or not _CODE.fullmatch(lang) or not is_language_code(lang):
        return None
    return lang


def split_language(path: P) -> tuple[P, str | None]:
    """The source file a path translates and its language, or the path itself and None."""
    lang = language_of(path.name)
    if lang is None:
        return path, None
    base = path.name[: -len(path.suffix)].rsplit(".", 1)[0]
    return path.with_name(base + path.suffix), lang


def is_translation(path: PurePath) -> bool:
    """Whether the file is a translation of another (its name carries a language code)."""
    return language_of(path.name) is not None
