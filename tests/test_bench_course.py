"""The benchmark's synthetic course stays a clean, realistic course (so the benchmark does not rot),
its navigation is pruned to the current module, and compacting pages keeps preformatted text."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.load import load_course
from generator.render.compact import compact_html

from .conftest import REPO, build, write_config

sys.path.insert(0, str(REPO / "bench"))
from synthetic import write_course


class _NavLinks(HTMLParser):
    """Links inside the primary navigation (``nav.md-nav--primary``), resolved to site paths."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self._depth = 0  # depth of <nav> elements while inside the primary one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav" and (self._depth or "md-nav--primary" in classes):
            self._depth += 1
        elif tag == "a" and self._depth:
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._depth:
            self._depth -= 1


def nav_links(page: Path) -> list[str]:
    parser = _NavLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = write_course(tmp_path_factory.mktemp("bench") / "course", 30)
    write_config(project, pdf=False)
    return build(project, strict=True)


def test_synthetic_course_is_clean_in_strict_mode(tmp_path: Path) -> None:
    project = write_course(tmp_path / "course", 30)
    result = load_course(project)
    assert result.course is not None
    assert [str(d) for d in result.diagnostics] == []
    assert [len(m.lessons) for m in result.course.modules] == [10, 10, 10]
    lesson = result.course.modules[1].lessons[4]
    words = len(lesson.body.split())
    assert 600 <= words <= 900, words
    assert lesson.citations and lesson.trainer_notes
    assert "| --- |" in lesson.body and "\n- " in lesson.body and "\n1. " in lesson.body
    quiz = result.course.modules[0].quiz
    assert quiz is not None
    assert {q.type for q in quiz.questions} == {
        "single",
        "multiple",
        "true-false",
        "matching",
        "ordering",
    }


def test_synthetic_course_is_deterministic(tmp_path: Path) -> None:
    first = write_course(tmp_path / "a", 12)
    second = write_course(tmp_path / "b", 12)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_lesson_navigation_is_pruned_to_its_module(synthetic_site: Path) -> None:
    page = synthetic_site / "module-002" / "privacy-2-3" / "index.html"
    links = nav_links(page)
    own = [link for link in links if link.startswith("../") and not link.startswith("../../")]
    assert len(own) >= 10, links  # the module's overview, lessons, components and quiz
    others = [link for link in links if link.startswith(("../../module-001/", "../../module-003/"))]
    # Other modules appear as one link each (their section), never with their lessons.
    assert sorted(others) == ["../../module-001/", "../../module-003/"], links


@pytest.mark.parametrize("page", ["module-002/privacy-2-3/index.html", "index.html", "404.html"])
def test_pages_are_compact(synthetic_site: Path, page: str) -> None:
    html = (synthetic_site / page).read_text(encoding="utf-8")
    assert "\n  \n" not in html and "\n    <" not in html.split("<pre", 1)[0]
    assert html.rstrip().endswith("</html>")


def test_compaction_keeps_preformatted_text_scripts_and_textareas() -> None:
    html = (
        "<div>\n    <p>a</p>\n\n   </div>\n<pre><code>x\n\n    y\n</code></pre>\n  "
        "<textarea>\n  keep\n</textarea>\n<SCRIPT>\n  var a = `\n  b`;\n</SCRIPT>\n  <p>z</p>"
    )
    assert compact_html(html) == (
        "<div>\n<p>a</p>\n</div>\n<pre><code>x\n\n    y\n</code></pre>\n"
        "<textarea>\n  keep\n</textarea>\n<SCRIPT>\n  var a = `\n  b`;\n</SCRIPT>\n<p>z</p>"
    )
