"""Pages stay light at 1,000 lessons (issue 22, item 10): the benchmark's course of 100 modules
gets a compact module list on its home page (one line per module) instead of cards, every module
keeping its link and its progress hook, and the home and progress pages' own content stays within
its share of the 80 KB page limit. The built pages' sizes are enforced by ``bench/run.py``; this
test renders without the engine (generator/render/pages.py, then Python-Markdown with the site's
extensions), so it is cheap."""

from __future__ import annotations

import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from generator.load import load_course
from generator.model import Course
from generator.render.compact import compact_html
from generator.render.pages import (
    COMPACT_HOME_MODULES,
    module_page,
    relative,
    render_home,
    render_progress,
)

from .conftest import FIXTURES, REPO, serve_folder, write_config

sys.path.insert(0, str(REPO / "bench"))
from synthetic import write_course

PAGE_LIMIT = 80_000
# What Material puts around a page's content at 100 modules (header, search, the pruned
# navigation's 100 module sections, footer, scripts): about 33 KB on the benchmark's course
# (10 KB around the shipped course's home page, plus 228 bytes per further module's section in
# the navigation). The content gets the rest of the limit, less a margin.
THEME_SHARE = 36_000
CONTENT_BUDGET = PAGE_LIMIT - THEME_SHARE
# Zensical's home and progress pages, compacted, at 30 modules: about 25 and 26 KB, growing by
# about 0.7 KB a module (72.8 and 74.5 KB at the benchmark's 100 modules); uncompacted they
# were 1.7 times that. Past this bound, 100 modules would cross the page limit.
ZENSICAL_AT_30_MODULES = 30_000


@pytest.fixture(scope="module")
def large_course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    project = write_course(tmp_path_factory.mktemp("scale") / "course", 1000)
    course = load_course(project).course
    assert course is not None and len(course.modules) == 100
    return course


def html_of(markdown_text: str) -> str:
    """A page's Markdown (front matter dropped) as HTML, with the site's Markdown extensions."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, object] = {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            ((name, options),) = entry.items()
            names.append(name)
            configs[name] = options
        else:
            names.append(entry)
    body = markdown_text
    if body.startswith("---\n"):
        body = body.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=names, extension_configs=configs)


class _Rows(HTMLParser):
    """The home page's module entries: each .cs-card's links and progress hooks."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, object]] = []
        self.lists = 0
        self.inside = ""  # the tag of the card being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "ol" and "cs-module-list" in classes:
            self.lists += 1
        if "cs-card" in classes:
            self.cards.append({"tag": tag, "links": [], "hooks": []})
            self.inside = tag
        elif self.inside and tag == "a":
            self.cards[-1]["links"].append(found.get("href"))  # type: ignore[attr-defined]
        elif self.inside and "data-cs-module" in found:
            self.cards[-1]["hooks"].append(found)  # type: ignore[attr-defined]

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside:
            self.inside = ""


def cards(html: str) -> _Rows:
    parser = _Rows()
    parser.feed(html)
    return parser


def test_home_lists_100_modules_compactly_with_every_link_and_progress_hook(
    large_course: Course,
) -> None:
    html = html_of(render_home(large_course).text)
    assert len(html.encode("utf-8")) < CONTENT_BUDGET, len(html.encode("utf-8"))
    found = cards(html)
    assert found.lists == 1
    assert len(found.cards) == len(large_course.modules)
    for card, module in zip(found.cards, large_course.modules, strict=True):
        assert card["tag"] == "li"
        assert card["links"] == [relative("index.md", module_page(module, "index"))]
        (hook,) = card["hooks"]  # type: ignore[misc]
        assert hook["data-cs-module"] == module.slug
        assert hook["data-cs-lessons"] == " ".join(lesson.id for lesson in module.lessons)
        assert ("data-cs-quiz" in hook) == bool(module.quiz and module.quiz.questions)
        assert "hidden" in hook
    assert f">{large_course.modules[41].code}<" in html
    assert f"{large_course.modules[41].meta.duration_minutes} min" in html


def test_progress_page_stays_within_its_share(large_course: Course) -> None:
    html = html_of(render_progress(large_course).text)
    assert len(html.encode("utf-8")) < CONTENT_BUDGET, len(html.encode("utf-8"))
    assert html.count("data-cs-record-module=") == len(large_course.modules)


@pytest.mark.parametrize("fixture", ["minimal", "multilingual"])
def test_small_courses_keep_their_cards(fixture: str) -> None:
    course = load_course(FIXTURES / fixture).course
    assert course is not None and len(course.modules) <= COMPACT_HOME_MODULES
    found = cards(html_of(render_home(course).text))
    assert found.lists == 0
    assert [card["tag"] for card in found.cards] == ["section"] * len(course.modules)


def test_the_progress_script_fills_the_compact_list(
    large_course: Course, page: object, tmp_path: Path
) -> None:
    """coursesmith.js fills each line's progress in words and the start button goes on from the
    first lesson not read, on the compact list as on cards."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    body = html_of(render_home(large_course).text).replace('/index.md"', '/"')
    shutil.copy(REPO / "site_templates/static/assets/coursesmith.js", tmp_path)
    head = '<!doctype html><html lang="en"><meta charset="utf-8">'
    (tmp_path / "index.html").write_text(
        f'{head}<body>{body}<script src="coursesmith.js"></script>', encoding="utf-8"
    )
    url, server = serve_folder(tmp_path)
    try:
        first, second = large_course.modules[:2]
        read = {f"{first.slug}/{lesson.id}": True for lesson in first.lessons}
        read[f"{second.slug}/{second.lessons[0].id}"] = True
        page.goto(f"{url}/")
        page.evaluate("s => localStorage.setItem('coursesmith:read', JSON.stringify(s))", read)
        page.reload()
        lines = page.locator(".cs-module-list [data-cs-module]")
        expect = f"{len(first.lessons)} of {len(first.lessons)} lessons read · quiz not taken yet"
        assert lines.nth(0).text_content() == expect
        assert lines.nth(1).text_content() == "1 of 10 lessons read · quiz not taken yet"
        assert lines.nth(2).is_hidden() is False
        assert lines.count() == len(large_course.modules)
        start = page.locator("[data-cs-start]")
        assert start.get_attribute("href") == f"{first.slug}/quiz/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course of 30 modules, one lesson each (past COMPACT_HOME_MODULES: the compact home
    list), staged and built by Zensical alone (no handouts: only the pages are measured)."""
    pytest.importorskip("zensical")
    from generator.adapters.engines import engine_named
    from generator.adapters.pipeline import Project, load_sites, stage

    folder = tmp_path_factory.mktemp("zensical-scale")
    project = write_course(folder / "course", 30, per_module=1)
    write_config(project, pdf=False)
    config = Project.read(project / "mkdocs.yml")
    (site_input,) = load_sites(config.course_root)
    engine = engine_named("zensical")
    staged = stage(site_input, config, engine, folder / "stage")
    site = folder / "site"
    site.mkdir()
    engine.build(staged.config_file, site, strict=False)
    return site


def test_zensical_pages_are_compact_and_light(zensical_site: Path) -> None:
    """Zensical runs none of our MkDocs hooks, so its pages carried the navigation templates'
    indentation (about 1.1 KB per module on the progress page, 124 KB at 100 modules): every
    page it builds is compacted as MkDocs' are, and the home and progress pages stay within
    their share of the limit as modules are added."""
    pages = sorted(zensical_site.rglob("*.html"))
    assert len(pages) > 30 * 6
    loose = [p.relative_to(zensical_site).as_posix() for p in pages]
    loose = [
        name
        for name, path in zip(loose, pages, strict=True)
        if compact_html(path.read_text(encoding="utf-8")) != path.read_text(encoding="utf-8")
    ]
    assert loose == []
    for name in ("index.html", "progress/index.html", "404.html"):
        size = (zensical_site / name).stat().st_size
        assert size < ZENSICAL_AT_30_MODULES, (name, size)
