"""The site's name as learners meet it, on both engines: a course title holding ``&``, quotes or
``<`` reads as typed in the browser tab, the header, the logo's label and the logo's tooltip, in
each language section (the English site name from mkdocs.yml, the German one from the course's
German title). Titles reach the engines escaped once (engine_config.engine_text); the logo's
title attribute reads as typed, except that with content.tooltips the header logo's keeps "<"
(and an "&" before a letter) escaped, because the themes' tooltips copy it into the page with
innerHTML (overrides/main.html; tests/test_hostile_content.py holds that nothing runs). A lesson
title reads the same in the module page's table and in the text search indexes for it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ENGINES, FIXTURES, build, copy_course, serve_folder

# The rich fixture's names (tests/conftest.py, tests/fixtures/rich/content/course.de.yml).
TITLES = {"": "Data & Pipelines: <Basics>", "de/": 'Daten & Pipelines: "Grundlagen"'}


@pytest.fixture(scope="module")
def rich_url(rich_site: Path) -> Iterator[str]:
    url, server = serve_folder(rich_site)
    yield url
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("section", sorted(TITLES))
def test_the_site_name_reads_as_typed_in_the_tab_header_and_logo_tooltip(
    page: Any, rich_url: str, section: str
) -> None:
    from playwright.sync_api import expect

    title = TITLES[section]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in ("", "glossary/"):
        page.goto(f"{rich_url}/{section}{path}")
        assert page.title() == title or page.title().endswith(f" - {title}"), page.title()
        logo = page.locator(".md-header .md-logo").first
        assert logo.get_attribute("aria-label") == title
        expect(page.locator(".md-header__topic").first).to_have_text(title)
        # The attribute reads as typed where the theme's tooltip does not read it as markup:
        # in the drawer always; in the header (content.tooltips on) all but "<".
        assert page.locator(".md-nav .md-logo").first.get_attribute("title") == title
        assert logo.get_attribute("title") == title.replace("<", "&lt;")
        logo.hover()
        tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
        expect(tooltip).to_have_text(title)
    assert dialogs == []


# A course title with "&", as the browser's own tooltip (the logo's title attribute) and, where the
# project turns them on, Material's tooltips show it.
AMPERSAND = "Data & Pipelines"


@pytest.fixture(scope="module", params=[(e, t) for e in ENGINES for t in (False, True)])
def ampersand_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, bool]]:
    """The minimal course named "Data & Pipelines", built by each engine with and without
    content.tooltips (no PDFs)."""
    engine, tooltips = request.param
    project = copy_course(FIXTURES / "minimal", tmp_path_factory.mktemp("amp") / "p", pdf=False)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = AMPERSAND
    features = [f for f in config["theme"].get("features", []) if f != "content.tooltips"]
    config["theme"]["features"] = [*features, "content.tooltips"] if tooltips else features
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    url, server = serve_folder(build(project, engine=engine))
    yield url, tooltips
    server.shutdown()


@pytest.mark.browser
def test_the_logo_tooltip_reads_the_title_as_typed(
    page: Any, ampersand_url: tuple[str, bool]
) -> None:
    """The header and drawer logos' title attribute reads "Data & Pipelines" on both engines,
    with and without content.tooltips, before and after Material's tooltip shows it (it read
    "Data &amp; Pipelines": the title was escaped twice for the tooltip's innerHTML, which the
    browser's own tooltip shows as written). Fails on the old code."""
    from playwright.sync_api import expect

    url, tooltips = ampersand_url
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{url}/")
    header = page.locator(".md-header .md-logo").first
    drawer = page.locator(".md-nav .md-logo").first
    for logo in (header, drawer):
        assert logo.get_attribute("title") == AMPERSAND
        assert logo.get_attribute("aria-label") == AMPERSAND
    header.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active")
    if tooltips:
        expect(tooltip.first).to_have_text(AMPERSAND)
        page.mouse.move(640, 600)
        expect(tooltip).to_have_count(0)
    else:
        page.wait_for_timeout(300)
        expect(tooltip).to_have_count(0)
    # Material's tooltip takes the attribute away while it shows, and puts it back after.
    expect(header).to_have_attribute("title", AMPERSAND)


# A lesson title of the rich course with an apostrophe and quotes, which the module page's search
# text printed as typographic quotes while its table (and the nav, the page's h1) kept them.
SUMMARY = 'Summary: the team\'s "next steps"'


def test_a_lesson_title_is_the_same_in_the_module_table_and_its_search_text(
    rich_site: Path,
) -> None:
    page = (rich_site / "wrap-up" / "index.html").read_text(encoding="utf-8")
    hidden = re.search(r'<ul class="cs-search-text" hidden>\s*<li>1\. (.*?): 5 min\.</li>', page)
    table = re.search(r'<a href="summary/">(.*?)</a>', page)
    assert hidden is not None and table is not None
    assert html.unescape(hidden.group(1)) == html.unescape(table.group(1)) == SUMMARY
