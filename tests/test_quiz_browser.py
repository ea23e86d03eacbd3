"""The real quiz in Chromium, keyboard only: the live region speaks the feedback of a wrong choice
or a wrong match, axe-core finds nothing once feedback is on screen, a phone screen fits, and
without JavaScript every question is readable with a note that checking needs JavaScript."""

from __future__ import annotations

import pytest

from generator.render.markup import plain
from generator.render.quiz import without_verdict

from .test_quiz import MODULE, _choose, real_quiz


@pytest.mark.browser
def test_wrong_answers_of_every_type_are_spoken_and_axe_finds_nothing(
    page: object, real_site_url: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    seen: set[str] = set()
    for question in real_quiz():
        if question.type in seen:
            continue
        seen.add(question.type)
        form = page.locator(f"#q-{question.id}")
        _choose(page, form, question, right=False)
        live = form.locator("[data-cs-result]")
        expect(live).to_have_attribute("aria-live", "polite")
        expect(live).to_contain_text("Not quite")
        if question.type == "single":
            wrong = next(c for c in question.choices if not c.correct)
            expect(live).to_contain_text(plain(without_verdict(question.feedback[wrong.id]))[:30])
        if question.type == "matching":
            # Every row was matched wrongly: each row's feedback is in the live region.
            for pair in question.pairs:
                if pair.id in question.feedback:
                    expect(live).to_contain_text(
                        plain(without_verdict(question.feedback[pair.id]))[:30]
                    )
        expect(form.locator(".is-wrong").first).to_be_visible()
    assert seen == {"single", "multiple", "true-false", "matching", "ordering"}
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    violations = Axe().run(page).response["violations"]
    assert [
        f"{v['id']}: {[(n['html'], n['failureSummary']) for n in v['nodes']][:5]}"
        for v in violations
    ] == []


@pytest.mark.browser
def test_without_javascript_every_question_is_readable(browser: object, real_site_url: str) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("http://127.0.0.1")
                else route.abort()
            ),
        )
        page.goto(f"{real_site_url}/{MODULE}/quiz/")
        expect(page.locator(".cs-noscript")).to_be_visible()
        expect(page.locator(".cs-noscript")).to_contain_text("needs JavaScript")
        for question in real_quiz():
            legend = page.locator(f"#q-{question.id} legend")
            expect(legend).to_be_visible()
            expect(legend).to_contain_text(plain(question.prompt)[:30])
        for choice in real_quiz()[0].choices:
            expect(page.get_by_label(plain(choice.text), exact=True)).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_tab_never_hides_the_focused_control_under_the_sticky_score(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 375, "height": 640})
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    page.locator(".cs-question input").first.focus()
    checked = 0
    for key in ["Tab"] * 60 + ["Shift+Tab"] * 60:
        page.keyboard.press(key)
        box = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el.closest('.cs-quiz')) return null;
              const score = document.querySelector('[data-cs-score]').getBoundingClientRect();
              const own = el.getBoundingClientRect();
              return {top: own.top, bottom: own.bottom, covered: score.bottom, height: innerHeight};
            }"""
        )
        if box is None:
            continue
        checked += 1
        assert box["top"] >= box["covered"] - 1 and box["bottom"] <= box["height"] + 1, box
    assert checked > 60


@pytest.mark.browser
def test_results_restored_on_reload_are_shown_but_not_announced(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    question = real_quiz()[0]
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    form = page.locator(f"#q-{question.id}")
    _choose(page, form, question, right=True)
    expect(form.locator("[data-cs-result]")).to_contain_text("Correct")
    # Record the region's aria-live at each change of its content (from the reload on).
    page.add_init_script(
        """window.csLive = [];
        new MutationObserver((ms) => ms.forEach((m) => {
          const r = m.target.closest && m.target.closest('[data-cs-result]');
          if (r) window.csLive.push(r.getAttribute('aria-live'));
        })).observe(document, {childList: true, subtree: true});"""
    )
    page.reload()
    live = page.locator(f"#q-{question.id} [data-cs-result]")
    expect(live).to_contain_text("Correct")
    states = page.evaluate("window.csLive")
    assert states and set(states) == {"off"}
    expect(live).to_have_attribute("aria-live", "polite")  # live again for the next answer
