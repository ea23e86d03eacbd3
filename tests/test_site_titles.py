"""The site's name as learners meet it, on both engines: a course title holding ``&``, quotes or
``<`` reads as typed in the browser tab, the header, the logo's label and the logo's tooltip, in
each language section (the English site name from mkdocs.yml, the German one from the course's
German title). Titles reach the engines escaped once (engine_config.engine_text); the logo's
title attribute holds them escaped twice, because the themes' tooltips copy it into the page
with innerHTML (tests/test_hostile_content.py holds that nothing runs). A lesson title reads the
same in the module page's table and in the text search indexes for it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import serve_folder

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
        logo.hover()
        tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
        expect(tooltip).to_have_text(title)
    assert dialogs == []


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
