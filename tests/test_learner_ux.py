"""What a learner meets, at a desk (1280x800) and on a phone (390x844), on the site each engine
builds: every row of a matching or ordering question is marked, two items at one position are a
form error, the phone drawer works by keyboard, retrying reads once and the score bar fits, "Next"
follows the navigation's order, the progress record prints on one page, the phone layout of the
module page, checklist and progress tables, plain words, and search snippets that read as text."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from generator.render.quiz import decode_answer

from .test_quiz import MODULE, real_quiz

WIDTHS = {"desk": (1280, 800), "phone": (390, 844)}


@pytest.fixture(params=list(WIDTHS))
def screen(request: pytest.FixtureRequest, page: object) -> Iterator[object]:
    """The ``page`` fixture at each of the two screen sizes."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    width, height = WIDTHS[request.param]
    page.set_viewport_size({"width": width, "height": height})
    yield page


def _key(form: object) -> dict[str, str]:
    from playwright.sync_api import Locator

    assert isinstance(form, Locator)
    salt, encoded = form.get_attribute("data-cs-salt"), form.get_attribute("data-cs-answer")
    key = decode_answer(str(salt), str(encoded))
    correct = key["correct"]
    assert isinstance(correct, dict)
    return {str(k): str(v) for k, v in correct.items()}


# --- 1. matching and ordering questions mark every row -----------------------------------------


@pytest.mark.browser
def test_every_row_is_marked_and_two_items_at_one_position_are_a_form_error(
    screen: object, real_site_url: str
) -> None:
    for kind in ("matching", "ordering"):
        _every_row_is_marked_after_a_wrong_first_row(screen, real_site_url, kind)
    _two_items_at_one_position_are_a_form_error_before_checking(screen, real_site_url)


def _every_row_is_marked_after_a_wrong_first_row(
    screen: object, real_site_url: str, kind: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/quiz/")
    question = next(q for q in real_quiz() if q.type == kind)
    form = screen.locator(f"#q-{question.id}")
    correct = _key(form)
    names = list(correct)
    # The first row wrong (it swaps with the second for ordering, so positions stay distinct),
    # every other row right.
    answer = dict(correct)
    answer[names[0]], answer[names[1]] = correct[names[1]], correct[names[0]]
    if kind == "matching":
        answer[names[1]] = correct[names[1]]
    for name, value in answer.items():
        form.locator(f"select[name='{name}']").select_option(value)
    form.get_by_role("button", name="Check answer").click()
    expect(form.locator("[data-cs-result]")).to_contain_text("Not quite")
    for name in names:
        mark = form.locator(f"[data-cs-feedback-for='{name}']")
        wrong = answer[name] != correct[name]
        expect(mark).to_have_class("cs-choice__feedback " + ("is-wrong" if wrong else "is-right"))
        expect(mark).to_contain_text("Incorrect" if wrong else "Correct")
        expect(mark).to_be_visible()


def _two_items_at_one_position_are_a_form_error_before_checking(
    screen: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/quiz/")
    question = next(q for q in real_quiz() if q.type == "ordering")
    form = screen.locator(f"#q-{question.id}")
    selects = form.locator("select")
    count = selects.count()
    for index in range(count):
        selects.nth(index).select_option(str(index + 1))
    selects.nth(count - 1).select_option("2")  # the last item at the second's position
    error = form.locator(".cs-question__error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Position 2 is given to more than one item")
    error_id = error.get_attribute("id")
    for index in range(count):
        select = selects.nth(index)
        twice = index in (1, count - 1)
        if twice:
            expect(select).to_have_attribute("aria-invalid", "true")
            assert error_id in str(select.get_attribute("aria-describedby")).split()
            # The accessible description of the select is the error.
            assert "Position 2" in select.evaluate(
                "s => s.getAttribute('aria-describedby').split(' ')"
                ".map(id => document.getElementById(id).textContent).join(' ')"
            )
        else:
            assert select.get_attribute("aria-invalid") is None
    form.get_by_role("button", name="Check answer").click()
    expect(form.locator("[data-cs-result]")).to_be_hidden()  # not checked
    expect(selects.nth(1)).to_be_focused()
    selects.nth(count - 1).select_option(str(count))
    expect(error).to_be_hidden()
    for index in range(count):
        assert selects.nth(index).get_attribute("aria-invalid") is None
    form.get_by_role("button", name="Check answer").click()
    expect(form.locator("[data-cs-result]")).to_be_visible()


# --- 2. the phone drawer works by keyboard ------------------------------------------------------

_STOP = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const wrap = el.closest('.md-sidebar__scrollwrap');
  return {
    text: (el.getAttribute('aria-label') || el.textContent).trim().replace(/\\s+/g, ' '),
    inDrawer: !!el.closest('.md-sidebar--primary'),
    visible: r.width > 0 && r.height > 0 && !!hit && (el === hit || el.contains(hit)),
    y: Math.round(r.top + (wrap ? wrap.scrollTop : 0)), x: Math.round(r.left),
    back: el.matches('label.md-nav__title'),
  };
}"""


def _drawer_stops(page: object, count: int) -> list[dict[str, object]]:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    stops = [page.evaluate(_STOP)]
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(_STOP))
    return stops


def _one_round(stops: list[dict[str, object]]) -> list[dict[str, object]]:
    """The stops up to where Tab comes back to the first."""
    first = stops[0]["text"]
    end = next((i for i in range(1, len(stops)) if stops[i]["text"] == first), len(stops))
    assert end < len(stops), f"focus never came back to {first!r}: {[s['text'] for s in stops]}"
    return stops[:end]


def _in_visual_order(stops: list[dict[str, object]]) -> bool:
    places = [(int(str(s["y"])), int(str(s["x"]))) for s in stops]
    return all(
        a[0] < b[0] or (abs(a[0] - b[0]) < 8 and a[1] < b[1]) for a, b in itertools.pairwise(places)
    )


@pytest.mark.browser
def test_the_drawer_takes_only_visible_items_in_visual_order(
    screen: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/key-concepts/")
    button = screen.get_by_role("button", name="Navigation")
    if screen.viewport_size and screen.viewport_size["width"] > 1000:
        # A wide screen: the drawer is the sidebar, in the page's own tab order.
        expect(button).to_be_hidden()
        screen.locator(".md-sidebar--primary a.md-nav__link[href]").first.focus()
        stops = _drawer_stops(screen, 40)
        stops = stops[: next(i for i, s in enumerate(stops) if not s["inDrawer"])]
        assert len(stops) >= 12
        assert all(s["visible"] for s in stops), [s for s in stops if not s["visible"]]
        assert _in_visual_order(stops), [(s["text"], s["y"], s["x"]) for s in stops]
        return
    button.focus()
    screen.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    screen.wait_for_timeout(500)  # the drawer slides in
    stops = _one_round(_drawer_stops(screen, 40))  # focus stays in the drawer: Tab wraps
    assert all(s["inDrawer"] and s["visible"] for s in stops), [
        (s["text"], s["inDrawer"], s["visible"]) for s in stops
    ]
    assert _in_visual_order(stops), [(s["text"], s["y"], s["x"]) for s in stops]
    texts = [str(s["text"]) for s in stops]
    assert any("Key Concepts" in t for t in texts) and "Quiz" in texts
    back = screen.locator(".md-sidebar--primary label.md-nav__title[for='__nav_2']")
    if back.bounding_box() and back.bounding_box()["width"] > 0:  # type: ignore[index]
        # The module's panel slides over the top level (Material): its back arrow comes first,
        # the top level's items behind the panel are not reached.
        assert stops[0]["back"] and "LRN-BEG-015" in texts[0], texts
        assert "Glossary" not in texts and "Home" not in texts
        back.focus()
        screen.keyboard.press("Enter")  # back to the top level
        expect(screen.locator("label.md-nav__link[for='__nav_2']")).to_be_focused()
        top = _one_round(_drawer_stops(screen, 20))
        top_texts = [str(s["text"]) for s in top]
        start = min(range(len(top)), key=lambda i: (int(str(top[i]["y"])), int(str(top[i]["x"]))))
        top = top[start:] + top[:start]  # the round began at the module's arrow
        assert all(s["visible"] for s in top) and _in_visual_order(top), top
        for name in ("Home", "Glossary", "Sources", "Your progress"):
            assert name in top_texts, top_texts
        assert not any("Key Concepts" in t for t in top_texts)
    else:  # sections open in place (Zensical): one list, top level and module alike
        for name in ("Home", "Glossary", "Sources", "Your progress"):
            assert name in texts, texts
    screen.keyboard.press("Shift+Tab")
    assert screen.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    screen.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    assert screen.evaluate("document.getElementById('__drawer').checked") is False


# --- 3. retry reads once and the score bar fits --------------------------------------------------

_SCORE_BAR = """() => {
  const bar = document.querySelector('[data-cs-score]'), b = bar.getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect();
  const top = document.querySelector('.md-top'), t = top.getBoundingClientRect();
  const shown = !top.hidden && getComputedStyle(top).opacity !== '0' && t.height > 0;
  const xs = [0.02, 0.25, 0.5, 0.75, 0.98].map(f => b.left + f * b.width);
  // Every point of the bar, from the header's edge down, is the bar: nothing shows through.
  const through = [];
  for (const x of xs) for (const y of [header.bottom + 0.5, b.top + b.height / 2, b.bottom - 1]) {
    const hit = document.elementFromPoint(x, y);
    const ok = hit && (hit === bar || bar.contains(hit));
    if (!ok) through.push([x, y, hit && hit.outerHTML.slice(0, 60)]);
  }
  const lines = b.height / parseFloat(getComputedStyle(bar).lineHeight);
  const covered = shown && t.bottom > b.top && t.top < b.bottom;
  return {lines, gap: b.top - header.bottom, width: b.width, covered, through};
}"""


@pytest.mark.browser
def test_retry_says_the_previous_result_once_and_the_score_bar_stays_compact(
    screen: object, real_site_url: str
) -> None:
    import json

    from playwright.sync_api import Page, expect

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/quiz/")
    done = {"score": 14, "total": 17, "percent": 82, "passed": True, "date": "2026-11-30"}
    key = f"coursesmith:quiz:{MODULE}"
    screen.evaluate(
        "([k, v]) => localStorage.setItem(k, v)", [key, json.dumps({"answers": {}, "result": done})]
    )
    screen.reload()
    screen.evaluate("document.querySelector('[data-cs-final]').hidden = false")
    screen.get_by_role("button", name="Retry the quiz").click()
    previous = screen.locator("[data-cs-previous]")
    expect(previous).to_contain_text("Your previous result, 14 of 17 (82%)")
    expect(previous).to_have_attribute("aria-live", "polite")
    body = screen.locator("body").inner_text()
    assert body.count("Your previous result") == 1, body
    assert body.count("Answers cleared") == 1
    score = screen.locator("[data-cs-score]")
    expect(score).to_have_text("Score: 0 of 17 points · 0 of 17 questions answered")
    # Answering a question does not repeat it.
    question = real_quiz()[0]
    form = screen.locator(f"#q-{question.id}")
    form.locator("input").first.check()
    form.get_by_role("button", name="Check answer").click()
    assert screen.locator("body").inner_text().count("Your previous result") == 1
    # Scrolled into the questions, then back up a little (Material shows "Back to top").
    for question in real_quiz()[4:9:4]:
        screen.locator(f"#q-{question.id}").scroll_into_view_if_needed()
        screen.mouse.wheel(0, 400)
        screen.wait_for_timeout(200)
        screen.mouse.wheel(0, -250)
        screen.wait_for_timeout(400)
        bar = screen.evaluate(_SCORE_BAR)
        assert bar["lines"] <= 3.05, bar
        assert abs(bar["gap"]) <= 1, bar  # flush with the header
        assert not bar["covered"], bar
        assert bar["through"] == [], bar


# --- 4. "Next" follows the navigation's order ----------------------------------------------------


@pytest.mark.browser
def test_next_walks_the_module_in_the_navigations_order(screen: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/introduction/")
    # The module's pages as the navigation lists them (its overview aside).
    listed = screen.evaluate(
        """(module) => Array.from(document.querySelectorAll('.md-sidebar--primary a.md-nav__link'))
             .map(a => new URL(a.href).pathname.replace(/index\\.html$/, ''))
             .filter(p => p.startsWith('/' + module + '/') && p !== '/' + module + '/')""",
        MODULE,
    )
    visited = [screen.evaluate("location.pathname")]
    labels = []
    while screen.locator(".cs-pager__next").count():
        button = screen.locator(".cs-pager__next")
        labels.append(button.inner_text())
        assert button.is_visible()
        button.click()
        screen.wait_for_load_state()
        path = screen.evaluate("location.pathname.replace(/index\\\\.html$/, '')")
        if path == f"/{MODULE}/":
            break
        visited.append(path)
        assert len(visited) < 20
    assert visited == listed, (visited, labels)
    assert visited[-1] == f"/{MODULE}/quiz/"
    assert "Next: Role definition template" in labels
    assert labels[labels.index("Next: Role definition template") - 1].startswith("Next: Conclusion")
    assert labels[-1] == "Next: the module quiz"


# --- 5. the printed progress record is one clean page with the learner's name --------------------


@pytest.mark.browser
def test_the_printed_progress_record_is_one_page_with_the_learners_name(
    screen: object, real_site_url: str
) -> None:
    import io
    import json

    from playwright.sync_api import Page, expect
    from pypdf import PdfReader

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/progress/")
    read = {f"{MODULE}/introduction": True, f"{MODULE}/key-concepts": True}
    result = {"score": 14, "total": 17, "percent": 82, "passed": True, "date": "2026-11-30"}
    stored = {
        "coursesmith:read": json.dumps(read),
        f"coursesmith:quiz:{MODULE}": json.dumps({"answers": {}, "result": result}),
    }
    screen.evaluate(
        "(s) => Object.entries(s).forEach(([k, v]) => localStorage.setItem(k, v))", stored
    )

    def printed() -> list[str]:
        screen.reload()
        screen.evaluate("() => { window.print = () => {}; }")
        screen.get_by_role("button", name="Print my record").click()
        screen.emulate_media(media="print")
        try:
            pdf = PdfReader(io.BytesIO(screen.pdf(format="A4")))
        finally:
            screen.emulate_media(media="screen")
        return [page.extract_text() for page in pdf.pages]

    pages = printed()
    assert len(pages) == 1, pages  # no blank second page
    assert "LRN-BEG-015" in pages[0] and "2 of 7" in pages[0] and "14 of 17 (82%)" in pages[0]
    assert "Learner:" not in pages[0]  # no name typed: no empty line for it
    assert "Print my record" not in pages[0]
    screen.evaluate("localStorage.setItem('coursesmith:learner-name', 'Ada Lovelace')")
    pages = printed()
    assert len(pages) == 1, pages
    assert "Learner: Ada Lovelace" in pages[0]
    expect(screen.locator("[data-cs-record-learner]")).to_have_text("Learner: Ada Lovelace")


# --- 6. phone layout: lessons table, checklist tools, progress table -----------------------------


@pytest.mark.browser
def test_phone_layout_of_the_lessons_table_checklist_tools_and_progress_table(
    screen: object, real_site_url: str
) -> None:
    _the_lessons_table_gives_the_titles_the_room_like_the_time_table(screen, real_site_url)
    _the_checklist_tools_are_one_tidy_group(screen, real_site_url)
    _the_progress_table_rules_every_column(screen, real_site_url)


def _the_lessons_table_gives_the_titles_the_room_like_the_time_table(
    screen: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/")
    found = screen.evaluate(
        """() => {
          const table = document.querySelector('#lessons ~ * table, .cs-lessons table');
          const time = document.querySelector('table.cs-time');
          const w = (el) => el.getBoundingClientRect().width;
          const head = table.querySelectorAll('thead th');
          const style = (el) => getComputedStyle(el);
          return {
            table: w(table), number: w(head[0]), title: w(head[1]),
            content: w(document.querySelector('.md-content__inner')),
            overflow: Array.from(document.querySelectorAll('.md-content__inner *'))
              .some(el => el.scrollWidth > el.clientWidth + 1 && style(el).overflowX !== 'visible'
                          && el.contains(table)),
            font: [style(table).fontSize, style(time).fontSize],
            headBg: [head[0], time.querySelector('thead th')].map(el => style(el).backgroundColor),
            border: [style(table).borderTopStyle, style(time).borderTopStyle],
          };
        }"""
    )
    assert found["number"] <= 0.12 * found["table"], found  # "#" is narrow
    assert found["title"] >= 0.55 * found["table"], found  # the titles get the room
    assert found["table"] <= found["content"] + 1 and not found["overflow"], found
    assert found["font"][0] == found["font"][1], found  # styled like the time table
    assert found["headBg"][0] == found["headBg"][1] and found["border"][0] == found["border"][1]


def _rows(boxes: list[dict[str, float]]) -> list[list[dict[str, float]]]:
    rows: list[list[dict[str, float]]] = []
    for box in sorted(boxes, key=lambda b: (round(b["y"]), b["x"])):
        if rows and abs(rows[-1][0]["y"] - box["y"]) < 4:
            rows[-1].append(box)
        else:
            rows.append([box])
    return rows


def _the_checklist_tools_are_one_tidy_group(screen: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/checklist/")
    phone = bool(screen.viewport_size and screen.viewport_size["width"] < 600)
    groups = screen.locator("[data-cs-checklist-tools]")
    assert groups.count() == 2
    for index in range(2):
        group = groups.nth(index)
        outer = group.bounding_box()
        assert outer
        boxes = [
            {"x": b["x"], "y": b["y"], "w": b["width"], "h": b["height"]}
            for b in (button.bounding_box() for button in group.locator("button").all())
            if b
        ]
        rows = _rows(boxes)
        assert len(rows) <= (3 if phone else 1), rows
        for row in rows:
            # Each row fills the group from edge to edge, its buttons alike in size.
            assert (
                abs(row[0]["x"] - outer["x"]) < 2
                and abs(row[-1]["x"] + row[-1]["w"] - outer["x"] - outer["width"]) < 2
            ), (row, outer)
            assert max(b["h"] for b in row) - min(b["h"] for b in row) < 2, row
            if len(row) > 1:
                assert max(b["w"] for b in row) - min(b["w"] for b in row) < 2, row


def _the_progress_table_rules_every_column(screen: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/progress/")
    rules = screen.evaluate(
        """() => Array.from(document.querySelectorAll('[data-cs-record] tbody tr > *')).map(c => {
             const s = getComputedStyle(c);
             return [c.tagName, s.borderTopStyle, parseFloat(s.borderTopWidth), s.borderTopColor];
           })"""
    )
    assert len(rules) >= 3
    assert all(style != "none" and width > 0 for _, style, width, _ in rules), rules
    assert len({(width, color) for _, _, width, color in rules}) == 1, rules


# --- 7. words an office worker understands -------------------------------------------------------


@pytest.mark.browser
def test_plain_words_footer_quiz_intro_and_buttons(screen: object, real_site_url: str) -> None:
    _the_fingerprint_is_in_the_metadata_and_on_paper_not_in_the_footer(screen, real_site_url)
    _the_quiz_intro_and_the_buttons_speak_plainly(screen, real_site_url)


@pytest.mark.browser
def test_plain_words_one_name_per_component_and_glossary_spellings(
    screen: object, real_site_url: str
) -> None:
    _each_component_has_one_name_everywhere(screen, real_site_url)
    _the_glossary_lists_spellings_apart_from_related_terms(screen, real_site_url)


def _the_fingerprint_is_in_the_metadata_and_on_paper_not_in_the_footer(
    screen: object, real_site_url: str
) -> None:
    import re

    from playwright.sync_api import Page, expect

    from generator.source.fingerprint import content_fingerprint

    from .conftest import REPO

    assert isinstance(screen, Page)
    fingerprint = content_fingerprint(REPO)
    for path in ("", f"{MODULE}/checklist/"):
        screen.goto(f"{real_site_url}/{path}")
        footer = screen.locator("footer").inner_text()
        assert fingerprint not in footer and not re.search(r"\b[0-9a-f]{12}\b", footer), footer
        assert "Version 1.0.0 · reviewed 2025-04-23" in footer
        assert fingerprint not in screen.locator("body").inner_text()
        meta = screen.locator("meta[name='coursesmith-edition']")
        assert fingerprint in str(meta.get_attribute("content"))
        screen.emulate_media(media="print")
        expect(screen.locator(".cs-edition")).to_be_visible()
        expect(screen.locator(".cs-edition")).to_contain_text(f"content {fingerprint}")
        screen.emulate_media(media="screen")


def _the_quiz_intro_and_the_buttons_speak_plainly(screen: object, real_site_url: str) -> None:
    import re

    from playwright.sync_api import Page

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/quiz/")
    intro = " ".join(screen.locator(".admonition").first.inner_text().split())
    assert "This quiz is for your own practice; your answers stay on this device" in intro
    for jargon in ("formative", "self-check:", "The answers are part of this page"):
        assert jargon not in intro, intro
    technical = re.compile(r"\b(Markdown|JSON|CSV)\b")
    for path in (f"{MODULE}/checklist/", f"{MODULE}/role-template/", "progress/"):
        screen.goto(f"{real_site_url}/{path}")
        labels = screen.locator("button:visible, a.md-button:visible").all_inner_texts()
        assert labels, path
        assert not [label for label in labels if technical.search(label)], (path, labels)
    screen.goto(f"{real_site_url}/{MODULE}/checklist/")
    for name in ("Download for spreadsheets", "Download for Word or text editors"):
        assert screen.get_by_role("button", name=name).first.is_visible()


def _each_component_has_one_name_everywhere(screen: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    from generator.model.components import COMPONENTS

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/{MODULE}/")
    module_links = screen.locator("#practical-components ~ ul a").all_inner_texts()
    nav = {
        kind.name: screen.locator(
            f".md-sidebar--primary a.md-nav__link[href*='{kind.name}']"
        ).first.text_content()
        for kind in COMPONENTS
    }
    handouts = [
        text.split(":")[0] for text in screen.locator("ul.cs-handouts li").all_inner_texts()
    ]
    for kind in COMPONENTS:
        name = kind.nav_title  # English: the shipped course
        screen.goto(f"{real_site_url}/{MODULE}/{kind.name}/")
        assert str(nav[kind.name]).strip() == name
        assert screen.locator("h1").inner_text().strip().rstrip("¶").strip() == name
        assert screen.title().startswith(f"{name} - ")
        assert name in module_links and name in handouts, (name, module_links, handouts)
        screen.goto(f"{real_site_url}/{MODULE}/handouts/{kind.name}-a4.html")
        assert screen.locator("h1").inner_text().strip().rstrip("¶").strip() == name
    # No other names for them in the learner's pages (the conclusion lesson listed them).
    for path in (f"{MODULE}/conclusion/", f"{MODULE}/"):
        screen.goto(f"{real_site_url}/{path}")
        text = screen.locator("article").inner_text()
        for other in ("Process Guide", "Process Integration Guide", "Role Definition,"):
            assert other not in text, (path, other)


def _the_glossary_lists_spellings_apart_from_related_terms(
    screen: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page

    assert isinstance(screen, Page)
    screen.goto(f"{real_site_url}/glossary/")

    def entry(anchor: str) -> str:
        return str(
            screen.evaluate(
                """(id) => { let el = document.getElementById(id), text = '';
                   for (el = el.nextElementSibling; el && !/^H[12]$/.test(el.tagName);
                        el = el.nextElementSibling) text += el.innerText + '\\n';
                   return text; }""",
                anchor,
            )
        )

    loop = entry("human-in-the-loop")
    assert "See also: human oversight" in loop and "Also written" not in loop, loop
    drift = entry("model-drift")
    assert "Also written: drift" in drift and "See also: data drift, bias drift" in drift, drift
    attacks = entry("adversarial-attack")
    assert "Also written: adversarial attack\n" in attacks, attacks
    assert "See also: adversarial testing" in attacks
    sme = entry("sme")
    assert "Also written: SMEs, SME, subject-matter expert" in sme and "See also" not in sme
    # A related word still links to its entry from a lesson.
    screen.goto(f"{real_site_url}/{MODULE}/how-engineers-mitigate-risks/")
    link = screen.get_by_role("link", name="human oversight", exact=True)
    assert str(link.get_attribute("href")).endswith("#human-in-the-loop")


# --- 8. search snippets read as text -------------------------------------------------------------


@pytest.mark.browser
def test_search_snippets_read_as_text(screen: object, real_site_url: str) -> None:
    from playwright.sync_api import Page, expect

    from .conftest import SEARCH_BOX, SEARCH_RESULT

    assert isinstance(screen, Page)
    screen.goto(real_site_url + "/")
    screen.keyboard.press("/")
    box = screen.locator(SEARCH_BOX)
    if not box.is_visible():  # a phone: the search button opens the box
        screen.get_by_role("button", name="Search").first.click()
    box.press_sequentially("reading time", delay=20)
    results = screen.locator(SEARCH_RESULT)
    expect(results.first).to_be_visible(timeout=10_000)
    text = " ".join(" ".join(results.all_inner_texts()).split())
    assert "Reading the 7 lessons: 76 min." in text, text
    for glued in ("Lesson Time 1", "8 min 2", "Part Time Reading"):
        assert glued not in text, text
    # What the engine indexed for the snippets: rows, items and choices apart; no select.
    response = screen.request.get(f"{real_site_url}/search/search_index.json")
    if not response.ok:  # Zensical's index
        response = screen.request.get(f"{real_site_url}/search.json")
    data = response.json()
    indexed = " ".join(doc["text"] for doc in data.get("docs", data.get("items", [])))
    assert "<p>Model design and selection</p>" in indexed
    for glued in ("Position…", "12345", "Choose a match…", "selectionPosition"):
        assert glued not in indexed
