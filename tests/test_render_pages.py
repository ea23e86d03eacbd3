"""Render functions on the minimal course: pages, navigation, lesson text and the disk writer."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.load import load_course
from generator.render.disk import UnsafePathError, target, write_pages
from generator.render.lesson_text import apa_authors, cite_label
from generator.render.markup import block, inline, is_safe_url
from generator.render.pages import Page, _front_matter, navigation, render_site

from .conftest import FIXTURES, build


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    return {page.path: page.text for page in render_site(course)}


def test_pages_and_paths(pages: dict[str, str]) -> None:
    assert list(pages) == [
        "index.md",
        "m1/index.md",
        "m1/intro.md",
        "m1/details.md",
        "m1/checklist.md",
        "m1/quiz.md",
        "glossary.md",
        "sources.md",
        "progress.md",
    ]


def test_lesson_links_first_term_use_and_citations(pages: dict[str, str]) -> None:
    intro = pages["m1/intro.md"]
    assert (
        '[model drift](../glossary.md#model-drift "A model’s performance degrading over time.")'
        in intro
    )
    assert "([Doe &amp; Roe, 2020](../sources.md#doe2020))" in intro
    assert intro.count("glossary.md#sme") == 1


def test_trainer_notes_stay_out_of_learner_pages(pages: dict[str, str]) -> None:
    assert not any("Ask the group" in text for text in pages.values())


def test_navigation_is_sectioned_by_module() -> None:
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    nav = navigation(course)
    assert [entry.title for entry in nav] == [
        "Home",
        "DEMO-001: First Module",
        "Glossary",
        "Sources",
        "Your progress",
    ]
    assert [child.path for child in nav[1].children] == [
        "m1/index.md",
        "m1/intro.md",
        "m1/details.md",
        "m1/checklist.md",
        "m1/quiz.md",
    ]


def test_author_markup_is_made_safe() -> None:
    assert str(inline("a <script>alert(1)</script> *b*")) == (
        "a &lt;script&gt;alert(1)&lt;/script&gt; <em>b</em>"
    )
    html = str(block("[x](JaVaScRiPt:alert(1)) [y](https://example.org)"))
    assert 'href="#"' in html and 'href="https://example.org"' in html
    assert not is_safe_url("jav&#x61;script:alert(1)")
    assert not is_safe_url(" data:text/html,<b>")
    assert is_safe_url("../glossary/#x") and is_safe_url("mailto:a@b.org")


def test_references_follow_apa() -> None:
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    source = course.sources.sources[0]
    assert cite_label(source) == "Doe & Roe, 2020"
    assert apa_authors(("A, B.", "C, D.", "...", "Z, Y.")) == "A, B., C, D., ... & Z, Y."


def test_disk_writer_writes_pages_and_refuses_escapes(tmp_path: Path) -> None:
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    written = write_pages(render_site(course), tmp_path / "out")
    # The page names its kind in its front matter (the theme loads its assets from it).
    assert (
        (tmp_path / "out" / "m1" / "intro.md")
        .read_text(encoding="utf-8")
        .startswith("---\ncs_page: lesson\n---\n\n# Introduction")
    )
    assert all(path.is_relative_to(tmp_path / "out") for path in written)
    for bad in ("../x.md", "/etc/passwd", "a\\b.md", "m1/../../x.md"):
        with pytest.raises(UnsafePathError):
            target(tmp_path / "out", bad)


def test_the_one_writer_rewrites_only_what_changed_when_asked(tmp_path: Path) -> None:
    """The preview's way (a watching engine rebuilds what changed): a page whose text is on
    disk already is left alone, time and all; a changed one is rewritten; without the flag
    every page is written, as the build stages them."""
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    pages = render_site(course)
    out = tmp_path / "out"
    assert len(write_pages(pages, out)) == len(pages)
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    assert write_pages(pages, out, only_changed=True) == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == times
    edited = (dataclasses.replace(pages[0], text=pages[0].text + "more\n"), *pages[1:])
    assert write_pages(edited, out, only_changed=True) == [target(out, pages[0].path)]
    assert target(out, pages[0].path).read_text(encoding="utf-8").endswith("more\n")
    assert len(write_pages(pages, out)) == len(pages)


def test_the_writer_writes_nothing_when_one_path_leaves_the_folder(tmp_path: Path) -> None:
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    pages = render_site(course)
    bad = dataclasses.replace(pages[-1], path="../escape.md")
    with pytest.raises(UnsafePathError):
        write_pages((*pages, bad), tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "escape.md").exists()


def _old_target(out_dir: Path, relative: str) -> Path:
    """``target`` as it was: the whole path resolved for every page."""
    root = out_dir.resolve()
    path = (root / relative).resolve()
    if relative.startswith(("/", "\\")) or "\\" in relative or not path.is_relative_to(root):
        raise UnsafePathError(f"page path '{relative}' leaves the output folder")
    return path


def test_the_writer_places_and_refuses_paths_as_a_whole_resolve_does(tmp_path: Path) -> None:
    """Resolving each parent folder once places every path where resolving it whole does, and
    refuses the same ones: escapes by .., by an absolute path or a backslash, and through a
    symbolic link inside the folder (to a folder or a file outside it), also when the first
    path under the linked folder was harmless; links that stay inside are followed, a loop of
    links is pathlib's error."""
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    out = tmp_path / "out"
    (out / "m1" / "real").mkdir(parents=True)
    (out / "m1" / "real" / "page.md").write_text("x", encoding="utf-8")
    (out / "away").symlink_to(outside)
    (out / "m1" / "inside").symlink_to(out / "m1" / "real")
    (out / "m1" / "file.md").symlink_to(outside / "file.md")
    (out / "m1" / "ok.md").symlink_to(out / "m1" / "real" / "page.md")
    (out / "m1" / "loop").symlink_to(out / "m1" / "loop")
    relatives = [
        *("index.md", "m1/intro.md", "m1//a/./b.md", "m1/x/", "", ".", "m1/real/page.md"),
        *("../x.md", "/etc/passwd", "a\\b.md", "m1/../../x.md", "m1/../index.md"),
        *("away/x.md", "away/sub/x.md", "away/../x.md", "m1/inside/x.md", "m1/inside/../y"),
        *("m1/file.md", "m1/ok.md", "m1/loop/x.md", "m1/loop", "away", "m1/inside"),
    ]
    for relative in relatives:
        expected: object
        try:
            expected = _old_target(out, relative)
        except UnsafePathError as exc:
            expected = str(exc)
        except RuntimeError:  # a loop of links: pathlib says so, as before
            expected = RuntimeError
        try:
            found: object = target(out, relative)
        except UnsafePathError as exc:
            found = str(exc)
        except RuntimeError:  # a loop of links: pathlib says so, as before
            found = RuntimeError
        assert found == expected, relative
    with pytest.raises(UnsafePathError):
        write_pages([Page("away/sub/x.md", "", ""), Page("away/x.md", "", "")], out)
    with pytest.raises(UnsafePathError):
        write_pages([Page("m1/real/a.md", "", ""), Page("m1/file.md", "", "")], out)
    assert not list(outside.rglob("*.md"))


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.term_links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and "cs-term" in (found.get("class") or ""):
            self.term_links.append(found)


def test_built_lesson_has_term_tooltips_and_anchors(minimal_course: Path) -> None:
    site = build(minimal_course)
    parser = _Ids()
    parser.feed((site / "m1" / "intro" / "index.html").read_text(encoding="utf-8"))
    assert "why-it-matters" in parser.ids
    assert [link["href"] for link in parser.term_links] == [
        "../../glossary/#model-drift",
        "../../glossary/#sme",
    ]
    assert parser.term_links[1]["title"] == "Subject-matter expert."
    glossary = _Ids()
    glossary.feed((site / "glossary" / "index.html").read_text(encoding="utf-8"))
    assert {"model-drift", "sme"} <= glossary.ids


def test_a_module_without_questions_or_objectives_yet_publishes_no_empty_shells() -> None:
    """A fresh import or scaffold has an empty question bank and no objectives: no quiz page,
    quiz link, quiz sheet or empty objectives list until the author writes them."""
    import dataclasses

    from generator.render.handouts import handout_names

    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    module = course.modules[0]
    assert module.quiz is not None and module.quiz.questions
    bare = dataclasses.replace(
        module,
        quiz=dataclasses.replace(module.quiz, questions=()),
        meta=dataclasses.replace(module.meta, objectives=()),
    )
    course = dataclasses.replace(course, modules=(bare,))
    pages = {page.path: page.text for page in render_site(course)}
    assert "m1/quiz.md" not in pages
    assert "quiz.md" not in pages["m1/index.md"]
    assert "Learning objectives" not in pages["m1/index.md"]
    assert "data-cs-has-quiz" not in pages["index.md"]
    [m1] = [entry for entry in navigation(course) if entry.children]
    assert "Quiz" not in [child.title for child in m1.children]
    assert "quiz-sheet" not in [name for name, _, _ in handout_names(bare)]


@pytest.mark.parametrize(
    "meta",
    [
        {"cs_page": "lesson"},
        {"cs_page": "progress", "search": {"exclude": True}},
        {"search": {"exclude": 1}},
        {"cs_fallback": {"lang": "en", "note": "Diese Seite: «noch» nicht übersetzt — " * 4}},
        {"b": [True, 1, None, "yes", "", "1.5"], "a": {"z": 0, "y": "#x"}},
        {"odd": 1.5, "t": ("a",)},
    ],
)
def test_front_matter_is_the_safe_dump_of_its_mapping(meta: dict[str, object]) -> None:
    """Front matter is dumped once per distinct mapping and reused: every page gets what
    ``yaml.safe_dump`` gives its own mapping (True and 1 never share a dump; a type the cache
    does not know is dumped as before)."""
    for _ in range(2):
        try:
            expected = yaml.safe_dump(meta, sort_keys=True, allow_unicode=True)
        except yaml.YAMLError as exc:
            with pytest.raises(type(exc)):
                _front_matter(meta, "text")
            return
        assert _front_matter(meta, "text") == f"---\n{expected}---\n\ntext"
