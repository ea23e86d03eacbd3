"""Hostile author text in every author-writable field never becomes script in the site.

Coursesmith sanitises rather than rejects: raw HTML in author text is shown as text, links with
schemes other than http, https, mailto or relative ones point nowhere, and event-handler
attributes are dropped. Each payload is built in its own site; every HTML file is then parsed."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.render.markup import is_safe_url

from .conftest import FIXTURES, build, copy_course

PAYLOADS: list[str] = yaml.safe_load((FIXTURES / "hostile" / "payloads.yml").read_text("utf-8"))

# (file, path of keys into its YAML) for every author-writable text field of the minimal course.
YAML_FIELDS: list[tuple[str, tuple[Any, ...]]] = [
    ("content/course.yml", ("title",)),
    ("content/course.yml", ("description",)),
    ("content/course.yml", ("audience",)),
    ("content/course.yml", ("owner",)),
    ("content/glossary.yml", ("terms", 0, "term")),
    ("content/glossary.yml", ("terms", 0, "definition")),
    ("content/glossary.yml", ("terms", 0, "aliases", 0)),
    ("content/sources.yml", ("sources", 0, "title")),
    ("content/sources.yml", ("sources", 0, "venue")),
    ("content/sources.yml", ("sources", 0, "authors", 0)),
    ("content/sources.yml", ("sources", 0, "url")),
    ("content/sources.yml", ("sources", 0, "evaluation", "rating")),
    ("content/modules/m1/module.yml", ("code",)),
    ("content/modules/m1/module.yml", ("title",)),
    ("content/modules/m1/module.yml", ("summary",)),
    ("content/modules/m1/module.yml", ("objectives", 0, "text")),
    ("content/modules/m1/module.yml", ("components_intro",)),
    ("content/modules/m1/components/checklist.yml", ("title",)),
    ("content/modules/m1/components/checklist.yml", ("intro",)),
    ("content/modules/m1/components/checklist.yml", ("sections", 0, "title")),
    ("content/modules/m1/components/checklist.yml", ("sections", 0, "items", 0, "label")),
    ("content/modules/m1/components/checklist.yml", ("sections", 0, "items", 0, "description")),
    ("quizzes/m1.yml", ("title",)),
    ("quizzes/m1.yml", ("questions", 0, "prompt")),
    ("quizzes/m1.yml", ("questions", 0, "choices", 0, "text")),
    ("quizzes/m1.yml", ("questions", 0, "feedback", "a")),
    ("quizzes/m1.yml", ("questions", 0, "explanation")),
]
LESSON = "content/modules/m1/lessons/01-intro.md"


def inject(project: Path, payload: str) -> None:
    """Put the payload in every field: YAML values, lesson front matter title and lesson body."""
    for rel in {rel for rel, _ in YAML_FIELDS}:
        path = project / rel
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for _, keys in (f for f in YAML_FIELDS if f[0] == rel):
            node = data
            for key in keys[:-1]:
                node = node[key]
            node[keys[-1]] = payload
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    lesson = project / LESSON
    front, body = lesson.read_text(encoding="utf-8").split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    meta["title"] = payload
    new_body = f"{body}\n{payload}\n\n- {payload}\n\n## {payload}\n\n> {payload}\n"
    lesson.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n{new_body}", "utf-8")


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: set[str] = set()
        self.problems: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            url_attribute = name.lower() in ("href", "src", "action", "formaction", "xlink:href")
            if url_attribute and value is not None and not is_safe_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed"):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self._in_script = dict(attrs).get("src") or ""

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.add(hashlib.sha256(self._in_script.encode()).hexdigest())
            self._in_script = None


def audit(site: Path) -> tuple[set[str], list[str]]:
    scripts: set[str] = set()
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = _Audit()
        parser.feed(page.read_text(encoding="utf-8"))
        scripts |= parser.scripts
        problems += [f"{page.relative_to(site)}: {p}" for p in parser.problems]
    return scripts, problems


@pytest.fixture(scope="module")
def clean_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    project = copy_course(FIXTURES / "minimal", tmp_path_factory.mktemp("clean"), pdf=False)
    scripts, problems = audit(build(project))
    assert problems == []
    return scripts


def test_there_are_enough_payloads_and_fields() -> None:
    assert len(PAYLOADS) >= 25
    assert len(YAML_FIELDS) >= 25


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"p{i:02d}" for i in range(len(PAYLOADS))])
def test_payload_in_every_field_yields_no_script(
    payload: str, tmp_path: Path, clean_scripts: set[str]
) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    inject(project, payload)
    site = build(project, strict=False)
    scripts, problems = audit(site)
    assert problems == []
    assert scripts <= clean_scripts, "a script that is not ours is in the site"
