"""Starter content for ``coursesmith new``: pure functions from names to the files to write.

Every scaffold passes ``coursesmith check`` as written. Files come from the templates in
``site_templates/scaffold/``; lists in the author's existing files (``modules`` in course.yml,
``lessons`` in module.yml) are extended by inserting one line, so comments and layout stay.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.authoring import yaml_edit
from generator.authoring.schema import SCHEMA_FOLDER, kind_for, modeline, schema_files
from generator.authoring.yaml_edit import yaml_scalar
from generator.model import ModuleFile
from generator.model.components import RESERVED_PAGE_NAMES
from generator.output.package_files import TEMPLATES
from generator.source.diagnostics import Diagnostics
from generator.source.layout import (
    COURSE_FILE,
    GLOSSARY_FILE,
    SOURCES_FILE,
    lesson_file,
    module_file,
    quiz_file,
)

STARTER_MODULE = "first-module"
STARTER_LESSON = "introduction"
STARTER_OBJECTIVE = "explain-the-topic"
STARTER_CITATION = "anderson2001taxonomy"
DEFAULT_CODE = "LRN-XXX-000"
_LESSON_FILE = re.compile(r"^(\d+)-.+\.md$")


class ScaffoldRefused(Exception):
    """The scaffold cannot be made as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class Scaffold:
    """What ``new`` writes: new files, whole-text edits of existing ones, and what to do next."""

    files: tuple[tuple[str, str], ...]
    edits: tuple[tuple[str, str], ...] = ()
    next_steps: tuple[str, ...] = ()


def slug_of(name: str) -> str:
    """An id made from a folder name: lowercase, other characters as hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "my-course"


@cache
def _environment(folder: Path = TEMPLATES / "scaffold") -> Environment:
    # The output is YAML and Markdown source, not HTML: no autoescape; every author value in
    # the templates goes through the `yaml` filter, which quotes it.
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml"] = yaml_scalar
    return env


def _render(template: str, rel: str, **context: Any) -> tuple[str, str]:
    kind = kind_for(rel)
    line = modeline(rel, kind) if kind is not None else ""
    return rel, _environment().get_template(template).render(modeline=line, **context)


def _module_files(
    slug: str, code: str, title: str, citation: str | None
) -> tuple[tuple[str, str], ...]:
    return (
        _render(
            "module.yml.j2",
            module_file(slug),
            code=code,
            title=title,
            objective_id=STARTER_OBJECTIVE,
            lesson_id=STARTER_LESSON,
        ),
        _lesson_file(slug, 1, STARTER_LESSON, "Introduction", [STARTER_OBJECTIVE], citation),
    )


def _lesson_file(
    slug: str,
    number: int,
    lesson_id: str,
    title: str,
    objectives: list[str],
    citation: str | None,
) -> tuple[str, str]:
    return _render(
        "lesson.md.j2",
        lesson_file(slug, number, lesson_id),
        lesson_id=lesson_id,
        title=title,
        objectives=objectives,
        citation=citation,
    )


def new_course(course_id: str, title: str, today: dt.date, language: str = "en") -> Scaffold:
    """A whole project in ``language``: course, glossary, sources, one module with a lesson and a
    quiz, the editor schemas and a mkdocs.yml that builds it."""
    module = STARTER_MODULE
    files = (
        _render(
            "course.yml.j2",
            COURSE_FILE,
            course_id=course_id,
            title=title,
            today=today.isoformat(),
            module_slug=module,
            language=language,
        ),
        _render("glossary.yml.j2", GLOSSARY_FILE),
        _render("sources.yml.j2", SOURCES_FILE),
        *_module_files(module, DEFAULT_CODE, "First module", STARTER_CITATION),
        _quiz_file(module, STARTER_LESSON, STARTER_OBJECTIVE, "a-first-section"),
        _render("mkdocs.yml.j2", "mkdocs.yml", title=title),
        _render("gitignore.j2", ".gitignore"),
        _render("docs-gitkeep.j2", "docs/.gitkeep"),
        *((f"{SCHEMA_FOLDER}/{name}", text) for name, text in schema_files()),
    )
    return Scaffold(
        files=files,
        next_steps=(
            f"edit {COURSE_FILE} (title, description, audience, owner)",
            f"write the first lesson in {lesson_file(module, 1, STARTER_LESSON)}",
            f"replace the example questions in {quiz_file(module)}",
            "run `coursesmith check`, then `coursesmith serve` to preview",
        ),
    )


def new_module(course_yml: str, slug: str, code: str, title: str) -> Scaffold:
    """A module folder with one lesson, and its slug added to course.yml's ``modules``."""
    edited = append_to_list(course_yml, "modules", slug, COURSE_FILE)
    return Scaffold(
        files=_module_files(slug, code, title, None),
        edits=((COURSE_FILE, edited),),
        next_steps=(
            f"edit {module_file(slug)} (code, title, summary, objectives)",
            f"write the lesson in {lesson_file(slug, 1, STARTER_LESSON)}",
            f"add lessons with `coursesmith new lesson {slug} <id>`",
            f"add a quiz with `coursesmith new quiz {slug}`",
        ),
    )


def new_lesson(
    slug: str,
    module: ModuleFile,
    module_yml: str,
    lesson_files: list[str],
    lesson_id: str,
    title: str,
) -> Scaffold:
    """``lessons/NN-<id>.md`` with the next number, and its id added to module.yml's ``lessons``."""
    taken = set(module.lessons) | {
        name.split("-", 1)[-1].removesuffix(".md") for name in lesson_files
    }
    if lesson_id in taken:
        raise ScaffoldRefused(f"module '{slug}' already has a lesson '{lesson_id}'")
    if lesson_id in RESERVED_PAGE_NAMES:
        raise ScaffoldRefused(
            f"'{lesson_id}' is a name the module's own pages use, expected another lesson id "
            f"(reserved: {', '.join(RESERVED_PAGE_NAMES)})"
        )
    numbers = [int(m.group(1)) for name in lesson_files if (m := _LESSON_FILE.match(name))]
    number = max(numbers, default=0) + 1
    objectives = [module.objectives[0].id] if module.objectives else []
    edited = append_to_list(module_yml, "lessons", lesson_id, module_file(slug))
    lesson = _lesson_file(slug, number, lesson_id, title, objectives, None)
    return Scaffold(
        files=(lesson,),
        edits=((module_file(slug), edited),),
        next_steps=(
            f"write the lesson in {lesson[0]}",
            f"list the objectives it covers in its front matter (ids from {module_file(slug)})",
        ),
    )


def new_quiz(slug: str, module: ModuleFile, section: str | None) -> Scaffold:
    """``quizzes/<slug>.yml`` with one question of each type, wired to the module's first lesson
    and objective."""
    if not module.lessons or not module.objectives:
        raise ScaffoldRefused(
            f"module '{slug}' needs a lesson and an objective before a quiz can point at them"
        )
    quiz = _quiz_file(slug, module.lessons[0], module.objectives[0].id, section)
    return Scaffold(
        files=(quiz,),
        next_steps=(
            f"replace the example questions in {quiz[0]}",
            "point each question at the lesson, section and objective it tests",
        ),
    )


def empty_quiz_file(slug: str, code: str, lesson_id: str | None) -> tuple[str, str]:
    """``quizzes/<slug>.yml`` without questions, for an imported module: the settings, and an
    example question in a comment pointing at the module's first lesson."""
    return _render(
        "quiz-empty.yml.j2",
        quiz_file(slug),
        module_code=code,
        lesson_id=lesson_id or "a-lesson-id",
    )


def _quiz_file(
    slug: str, lesson_id: str, objective_id: str, section: str | None
) -> tuple[str, str]:
    return _render(
        "quiz.yml.j2",
        quiz_file(slug),
        module_slug=slug,
        lesson_id=lesson_id,
        objective_id=objective_id,
        section=section,
    )


def append_to_list(text: str, key: str, item: str, rel: str) -> str:
    """``text`` with ``item`` added at the end of the top-level list ``key``, by inserting it
    (``generator.authoring.yaml_edit``), so the author's comments and layout stay as they are."""
    refusal = f"cannot add '{item}' to the '{key}' list of {rel} automatically; add it by hand"
    try:
        before = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ScaffoldRefused(f"{rel} is not valid YAML; {refusal}") from None
    current = before.get(key) if isinstance(before, dict) else None
    if isinstance(current, list) and item in current:
        raise ScaffoldRefused(f"'{item}' is already listed in '{key}' of {rel}")
    if not (current is None or isinstance(current, list)):
        raise ScaffoldRefused(refusal)
    edited = yaml_edit.append_to_list(text, rel, key, item, Diagnostics())
    after = yaml.safe_load(edited) if edited is not None else None
    if edited is None or not isinstance(after, dict) or after.get(key) != [*(current or []), item]:
        raise ScaffoldRefused(refusal)
    return edited
