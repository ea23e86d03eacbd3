"""Learner progress in the browser: lessons marked read with the keyboard, shown on the module
and home pages, and the learner's record downloaded as JSON to show a trainer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MODULE = "ai-engineers-risk-mitigation"
LESSONS = 7


@pytest.mark.browser
def test_marking_lessons_read_shows_on_module_and_home(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/introduction/")
    button = page.get_by_role("button", name="Mark this lesson as read")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Mark this lesson as unread")).to_be_focused()
    expect(page.locator("[data-cs-mark-status]")).to_have_text("Lesson marked as read.")

    # Following "Next" at the end of a lesson also counts it as read.
    page.locator(".cs-pager__next").click()
    page.wait_for_url(f"{real_site_url}/{MODULE}/key-concepts/")
    expect(page.get_by_role("button", name="Mark this lesson as read")).to_be_visible()
    page.locator(".cs-pager__next").click()
    page.wait_for_url(f"{real_site_url}/{MODULE}/how-engineers-mitigate-risks/")

    page.goto(f"{real_site_url}/{MODULE}/")
    expect(page.locator(f"[data-cs-module='{MODULE}'] [data-cs-progress-text]")).to_have_text(
        f"2 of {LESSONS} lessons read · quiz not taken yet"
    )
    rows = page.locator(".md-typeset table tbody tr")
    expect(rows.nth(0)).to_contain_text("(read)")
    expect(rows.nth(1)).to_contain_text("(read)")
    expect(rows.nth(2)).not_to_contain_text("(read)")

    # Unmarking is remembered too.
    page.goto(f"{real_site_url}/{MODULE}/key-concepts/")
    page.get_by_role("button", name="Mark this lesson as unread").click()
    page.goto(f"{real_site_url}/")
    expect(page.locator(f"[data-cs-module='{MODULE}'] [data-cs-progress-text]")).to_have_text(
        f"1 of {LESSONS} lessons read · quiz not taken yet"
    )
    page.locator(".md-content").get_by_role("link", name="your progress").click()
    page.wait_for_url(f"{real_site_url}/progress/")
    record = page.locator("[data-cs-record]")
    expect(record).to_be_visible()
    expect(record.locator("[data-cs-record-read]")).to_have_text(f"1 of {LESSONS}")
    expect(record.locator("[data-cs-record-quiz]")).to_have_text("Not taken yet")


@pytest.mark.browser
def test_learner_record_downloads_as_json(page: object, real_site_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/limitations/")
    page.get_by_role("button", name="Mark this lesson as read").click()
    # Take the quiz badly but completely, so the record holds a real result written by quiz.js.
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    for form in page.locator("form.cs-question").all():
        first = form.locator("input").first
        if first.count():
            first.check()
        # Each select its own option: an ordering question refuses two items at one position.
        for index, select in enumerate(form.locator("select").all()):
            select.select_option(index=index + 1)
        form.get_by_role("button", name="Check answer").click()
    expect(page.locator("[data-cs-verdict]")).to_contain_text("You scored")

    page.goto(f"{real_site_url}/progress/")
    quiz_cell = page.locator("[data-cs-record-quiz]")
    expect(quiz_cell).to_contain_text(" of ")
    with page.expect_download() as info:
        page.get_by_role("button", name="Save a copy of my record").click()
    path = tmp_path / "record.json"
    info.value.save_as(path)
    assert info.value.suggested_filename == "ai-risk-foundations-progress.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["course"] == "ai-risk-foundations"
    [module] = data["modules"]
    assert module["code"] == "LRN-BEG-015"
    assert (module["lessons_read"], module["lessons_total"]) == (1, LESSONS)
    assert [lesson["id"] for lesson in module["lessons"] if lesson["read"]] == ["limitations"]
    quiz = module["quiz"]
    assert quiz["total"] > 0 and 0 <= quiz["score"] <= quiz["total"]
    assert f"{quiz['score']} of {quiz['total']}" in quiz_cell.inner_text()
    assert quiz["passed"] is (quiz["percent"] >= 70)


@pytest.mark.browser
def test_print_my_record_prints_the_record_without_its_buttons(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/progress/")
    # A function body: an expression that yields a function would be called by evaluate itself.
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    assert page.evaluate("window.__printed || false") is False
    page.get_by_role("button", name="Print my record").click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    assert page.locator("[data-cs-record] table").is_visible()
    assert not page.get_by_role("button", name="Print my record").is_visible()


def test_progress_page_is_in_the_nav_but_not_in_the_search_index(real_site: Path) -> None:
    import json as _json

    index = _json.loads((real_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith("progress/")]
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'href="progress/"' in home


def test_progress_needs_javascript(real_site: Path) -> None:
    """Without JavaScript the progress widgets stay hidden instead of showing empty shells."""
    from html.parser import HTMLParser

    class Hidden(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: dict[str, bool] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names = dict(attrs)
            for marker in ("data-cs-record", "data-cs-mark-read"):
                if marker in names:
                    self.found[marker] = "hidden" in names

    for rel in ("progress/index.html", f"{MODULE}/introduction/index.html"):
        parser = Hidden()
        parser.feed((real_site / rel).read_text(encoding="utf-8"))
        assert parser.found and all(parser.found.values()), (rel, parser.found)
