"""Hostile author text in every author-writable field never becomes script in the site.

Coursesmith sanitises rather than rejects: raw HTML in author text is shown as text, links with
schemes other than http, https, mailto or relative ones point nowhere, and event-handler
attributes are dropped. One site holds every payload: each has its own module (every field of
module.yml, its components, quiz and lessons), its own glossary term and its own cited source;
the course's own fields, which hold one text each, hold all the payloads together. Every HTML
file is then parsed; each payload's test reads the pages of its module."""

from __future__ import annotations

import copy
import hashlib
import shutil
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
# Payloads `check` refuses outright, so no site is built with them: an image whose address is
# not a file of the project (in a lesson) or any image in a YAML text field. They are checked
# to be refused in every field instead.
REFUSED = {i for i, payload in enumerate(PAYLOADS) if payload.startswith("![")}
BUILT = [i for i in range(len(PAYLOADS)) if i not in REFUSED]


def _set(data: Any, keys: tuple[Any, ...], value: str) -> None:
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def slug(index: int) -> str:
    return f"p{index:02d}"


def site_groups() -> list[dict[int, str]]:
    """The payloads (by their index) shared out among as few sites as they fit in: glossary
    terms match case-insensitively, so no two in a site may be equal under case folding."""
    groups: list[dict[int, str]] = []
    for index in BUILT:
        payload = PAYLOADS[index]
        folded = payload.casefold()
        group = next((g for g in groups if folded not in map(str.casefold, g.values())), None)
        if group is None:
            group = {}
            groups.append(group)
        group[index] = payload
    return groups


def inject(project: Path, payloads: dict[int, str]) -> None:
    """Payload i in every field of module p<i>, of a glossary term and of a cited source; all
    of them together in the course's own fields."""
    course = _yaml(project / "content/course.yml")
    glossary = _yaml(project / "content/glossary.yml")
    sources = _yaml(project / "content/sources.yml")
    term, source = glossary["terms"][0], sources["sources"][0]
    glossary["terms"][:1] = [{**copy.deepcopy(term), "id": f"{term['id']}-{i}"} for i in payloads]
    sources["sources"][:1] = [
        {**copy.deepcopy(source), "key": f"{source['key']}-{i}"} for i in payloads
    ]
    for rel, keys in YAML_FIELDS:
        if rel == "content/course.yml":
            _set(course, keys, " ".join(payloads.values()))
        for position, payload in enumerate(payloads.values()):
            if rel == "content/glossary.yml":
                _set(glossary, ("terms", position, *keys[2:]), payload)
            elif rel == "content/sources.yml":
                _set(sources, ("sources", position, *keys[2:]), payload)
    course["modules"] = [slug(i) for i in payloads]
    _write_yaml(project / "content/course.yml", course)
    _write_yaml(project / "content/glossary.yml", glossary)
    _write_yaml(project / "content/sources.yml", sources)
    for index, payload in payloads.items():
        _inject_module(project, index, payload, f"{source['key']}-{index}")
    shutil.rmtree(project / "content/modules/m1")
    (project / "quizzes/m1.yml").unlink()


def _inject_module(project: Path, index: int, payload: str, citation: str) -> None:
    """A copy of module m1 as p<index>, the payload in every field, the lesson citing its
    source."""
    module = project / "content/modules" / slug(index)
    shutil.copytree(project / "content/modules/m1", module)
    quiz = project / "quizzes" / f"{slug(index)}.yml"
    shutil.copy(project / "quizzes/m1.yml", quiz)

    def moved(rel: str) -> Path:
        rel = rel.replace("content/modules/m1/", f"content/modules/{slug(index)}/")
        return project / rel.replace("quizzes/m1.yml", quiz.relative_to(project).as_posix())

    for rel in {rel for rel, _ in YAML_FIELDS if "m1" in rel}:
        data = _yaml(moved(rel))
        for _, keys in (f for f in YAML_FIELDS if f[0] == rel):
            _set(data, keys, payload)
        _write_yaml(moved(rel), data)
    lesson = moved(LESSON)
    front, body = lesson.read_text(encoding="utf-8").split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    meta["title"] = payload
    body = body.replace("[@doe2020]", f"[@{citation}]")
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


Audit = dict[str, tuple[set[str], list[str]]]


def audit(site: Path) -> Audit:
    """Each HTML page's scripts (as hashes) and problems, by its path in the site."""
    pages: dict[str, tuple[set[str], list[str]]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Audit()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page.relative_to(site).as_posix()] = (parser.scripts, parser.problems)
    return pages


@pytest.fixture(scope="module")
def clean_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    project = copy_course(FIXTURES / "minimal", tmp_path_factory.mktemp("clean"), pdf=False)
    pages = audit(build(project))
    assert [problem for _scripts, problems in pages.values() for problem in problems] == []
    return {script for scripts, _problems in pages.values() for script in scripts}


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory: pytest.TempPathFactory) -> list[Audit]:
    """The audit of each site built with its share of the payloads in every field."""
    audits: list[Audit] = []
    for payloads in site_groups():
        root = tmp_path_factory.mktemp("hostile")
        project = copy_course(FIXTURES / "minimal", root, pdf=False)
        inject(project, payloads)
        audits.append(audit(build(project, strict=False)))
    return audits


def test_there_are_enough_payloads_and_fields() -> None:
    assert len(PAYLOADS) >= 25
    assert len(YAML_FIELDS) >= 25
    assert sorted(i for group in site_groups() for i in group) == BUILT
    assert REFUSED  # an image payload stays in the corpus: see the test of its refusal


@pytest.mark.parametrize("index", sorted(REFUSED), ids=[slug(i) for i in sorted(REFUSED)])
def test_a_refused_payload_is_a_check_error_in_every_field(index: int, tmp_path: Path) -> None:
    """In the course's own files every field holding it is an error (which stops the loading of
    the modules), and in a lesson body too."""
    from generator.load import load_course

    payload = PAYLOADS[index]
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    inject(project, {index: payload})
    errors = load_course(project).diagnostics.errors
    assert errors and all("shows an image" in d.message for d in errors), errors
    top = {rel for rel, _keys in YAML_FIELDS if not rel.startswith(("content/modules", "quizzes"))}
    assert {d.loc.path for d in errors} == top
    project = copy_course(FIXTURES / "minimal", tmp_path / "lesson", pdf=False)
    lesson = project / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n{payload}\n", encoding="utf-8")
    errors = load_course(project).diagnostics.errors
    assert [(d.loc.path, "is not a file" in d.message) for d in errors] == [(LESSON, True)]


def _findings(pages: Audit) -> tuple[set[str], list[str]]:
    scripts = {script for scripts, _problems in pages.values() for script in scripts}
    problems = [f"{path}: {p}" for path, (_scripts, found) in pages.items() for p in found]
    return scripts, problems


@pytest.mark.parametrize("index", BUILT, ids=[slug(i) for i in BUILT])
def test_payload_in_every_field_yields_no_script(
    index: int, hostile_sites: list[Audit], clean_scripts: set[str]
) -> None:
    prefix = f"{slug(index)}/"
    pages = {
        p: found for site in hostile_sites for p, found in site.items() if p.startswith(prefix)
    }
    assert f"{prefix}intro/index.html" in pages  # the lesson holding the payload was built
    scripts, problems = _findings(pages)
    assert problems == []
    assert scripts <= clean_scripts, "a script that is not ours is in the site"


@pytest.mark.parametrize("number", range(len(site_groups())))
def test_pages_holding_every_payload_of_a_site_yield_no_script(
    number: int, hostile_sites: list[Audit], clean_scripts: set[str]
) -> None:
    """Home, glossary, sources and the other pages outside the modules."""
    pages = {p: found for p, found in hostile_sites[number].items() if not p.startswith("p")}
    assert {"index.html", "glossary/index.html", "sources/index.html"} <= set(pages)
    scripts, problems = _findings(pages)
    assert problems == []
    assert scripts <= clean_scripts, "a script that is not ours is in the site"
