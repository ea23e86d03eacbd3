"""axe-core (bundled by axe-playwright-python) on every page type of the shipped course, in
Debian's Chromium, with no rule switched off; and no page scrolls sideways on a phone."""

from __future__ import annotations

import pytest

from .conftest import SEARCH_BOX, SEARCH_RESULT

MODULE = "ai-engineers-risk-mitigation"
PAGES = {
    "home": "/",
    "module": f"/{MODULE}/",
    "lesson": f"/{MODULE}/key-concepts/",
    "quiz": f"/{MODULE}/quiz/",
    "checklist": f"/{MODULE}/checklist/",
    "role template": f"/{MODULE}/role-template/",
    "lifecycle guide": f"/{MODULE}/lifecycle-guide/",
    "glossary": "/glossary/",
    "sources": "/sources/",
    "progress": "/progress/",
}


def _violations(page: object) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]


@pytest.mark.browser
@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_page_has_no_axe_violations(page: object, real_site_url: str, path: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(real_site_url + path)
    page.wait_for_load_state("networkidle")
    assert _violations(page) == []


@pytest.mark.browser
def test_open_search_results_have_no_axe_violations(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(real_site_url + "/")
    page.keyboard.press("/")
    page.locator(SEARCH_BOX).press_sequentially("fairness", delay=20)
    expect(page.locator(SEARCH_RESULT).first).to_be_visible(timeout=10_000)
    assert _violations(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_page_fits_a_375px_screen(page: object, real_site_url: str, path: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(real_site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
