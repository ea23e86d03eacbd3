"""The learner's site as a learner meets it, in Chromium: the start/continue button and the
progress bars follow the progress kept in the browser, the drawer works by keyboard on a phone,
retrying the quiz keeps the last result until the new attempt is complete, the completion record
prints on its own, search snippets read as text, and stored progress that is missing, stale or
corrupted never breaks a page. Plus what the built HTML holds: each page loads only its assets."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.load import load_course

from .conftest import REPO, SEARCH_BOX, SEARCH_RESULT

MODULE = "ai-engineers-risk-mitigation"
LESSONS = [
    "introduction",
    "key-concepts",
    "how-engineers-mitigate-risks",
    "applications-and-examples",
    "limitations",
    "mission-pillars",
    "conclusion",
]
ALL_READ = {f"{MODULE}/{lesson}": True for lesson in LESSONS}
PASSED = {
    "answers": {},
    "result": {"score": 14, "total": 17, "percent": 82, "passed": True, "date": "2026-11-30"},
}


def _store(page: object, values: dict[str, str]) -> None:
    """Write raw localStorage values for the site's origin (the page must be on the site)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.evaluate(
        "(values) => { for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v); }",
        values,
    )


def _answer_quiz(page: object, right: bool) -> None:
    """Answer every question of the real quiz, all right or all wrong, and check each."""
    from playwright.sync_api import Page

    from .test_quiz import _choose, real_quiz

    assert isinstance(page, Page)
    for question in real_quiz():
        _choose(page, page.locator(f"#q-{question.id}"), question, right=right)


class _Assets(HTMLParser):
    """Our stylesheets and scripts in a page, with their defer flags."""

    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: dict[str, bool] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        address = names.get("href") if tag == "link" else names.get("src")
        # Material's own files sit in assets/stylesheets/ and assets/javascripts/.
        if not address or "assets/" not in address or "/stylesheets/" in address:
            return
        if "/javascripts/" in address:
            return
        if tag == "link" and names.get("rel") == "stylesheet":
            self.css.append(address.rsplit("/", 1)[-1])
        if tag == "script":
            self.js[address.rsplit("/", 1)[-1]] = "defer" in names


@pytest.mark.parametrize(
    ("path", "css", "js"),
    [
        ("index.html", ["coursesmith.css"], ["coursesmith.js"]),
        (f"{MODULE}/index.html", ["coursesmith.css"], ["coursesmith.js"]),
        (f"{MODULE}/introduction/index.html", ["coursesmith.css"], ["coursesmith.js"]),
        (
            f"{MODULE}/quiz/index.html",
            ["coursesmith.css", "quiz.css"],
            ["coursesmith.js", "quiz.js"],
        ),
        (
            f"{MODULE}/checklist/index.html",
            ["coursesmith.css", "checklist.css"],
            ["coursesmith.js", "checklist.js"],
        ),
        (f"{MODULE}/lifecycle-guide/index.html", ["coursesmith.css"], ["coursesmith.js"]),
        ("glossary/index.html", ["coursesmith.css"], ["coursesmith.js"]),
        ("progress/index.html", ["coursesmith.css"], ["coursesmith.js"]),
    ],
)
def test_each_page_loads_only_the_assets_it_uses_and_defers_our_scripts(
    real_site: Path, path: str, css: list[str], js: list[str]
) -> None:
    found = _Assets()
    found.feed((real_site / path).read_text(encoding="utf-8"))
    assert found.css == css
    assert sorted(found.js) == sorted(js)
    assert all(found.js.values()), found.js  # every one of our scripts is deferred


def test_lesson_pages_show_position_and_time_and_end_with_next(real_site: Path) -> None:
    html = (real_site / f"{MODULE}/how-engineers-mitigate-risks/index.html").read_text("utf-8")
    assert "Lesson 3 of 7 · 18 min" in html
    assert re.search(r'class="[^"]*md-button--primary[^"]*"[^>]*>Next: Applications and', html)
    last = (real_site / f"{MODULE}/conclusion/index.html").read_text("utf-8")
    # The module's practical components come next, as the navigation lists them, then the quiz.
    assert re.search(r'href="\.\./role-template/"[^>]*>Next: Role definition template<', last)
    guide = (real_site / f"{MODULE}/lifecycle-guide/index.html").read_text("utf-8")
    assert re.search(r'href="\.\./quiz/"[^>]*>Next: the module quiz<', guide)


def test_module_page_splits_its_time_and_the_parts_add_up(real_site: Path) -> None:
    result = load_course(REPO)
    assert result.course is not None
    [module] = result.course.modules
    html = (real_site / f"{MODULE}/index.html").read_text(encoding="utf-8")
    table = html[
        html.index('<table class="cs-time"') : html.index("</table>", html.index("cs-time"))
    ]
    minutes = [int(m) for m in re.findall(r"<td>(\d+) min</td>", table)]
    *parts, total = minutes
    reading = sum(lesson.minutes for lesson in module.lessons)
    assert parts[0] == reading and parts[1] == 15  # reading; the quiz file's minutes
    assert sum(parts) == total == module.meta.duration_minutes
    assert "Reading the 7 lessons" in table and "The quiz (17 questions)" in table
    assert "Practical components (3)" in table


def test_search_index_has_no_citation_keys_glued_cells_or_form_labels(real_site: Path) -> None:
    docs = json.loads((real_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    text = " ".join(d["title"] + " " + d["text"] for d in docs)
    for key in ("arrieta2020xai", "mehrabi2021fairness", "nist2023airmf"):
        assert key not in text
    assert "Agentic" not in text  # the collection note is for trainers, not learners
    assert "phaseKey" not in text and "pointPhase" not in text
    checklist = " ".join(d["text"] for d in docs if d["location"].startswith(f"{MODULE}/checklist"))
    assert "Have potential biases in data sources been identified" in checklist
    assert "Notes on" not in checklist and "Yes No N/A" not in checklist


# --- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
def test_start_button_follows_progress_to_continue_and_completion(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(real_site_url + "/")
    start = page.locator("[data-cs-start]")
    expect(start).to_have_text("Start the course")
    start.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{real_site_url}/{MODULE}/introduction/")
    page.get_by_role("button", name="Mark this lesson as read").click()

    page.goto(real_site_url + "/")
    expect(start).to_have_text("Continue: Key Concepts: Understanding AI Risks and Mitigation")
    start.click()
    page.wait_for_url(f"{real_site_url}/{MODULE}/key-concepts/")

    # A lesson whose title this browser has not met yet is named by its module and position.
    _store(page, {"coursesmith:read": json.dumps({f"{MODULE}/{x}": True for x in LESSONS[:3]})})
    page.goto(real_site_url + "/")
    expect(start).to_have_text("Continue: The Role of AI Engineers in Mitigating Risks, lesson 4")
    expect(start).to_have_attribute("href", f"{MODULE}/applications-and-examples/")

    _store(page, {"coursesmith:read": json.dumps(ALL_READ)})
    page.goto(real_site_url + "/")
    expect(start).to_have_text("Continue: the module quiz")
    expect(start).to_have_attribute("href", f"{MODULE}/quiz/")
    _store(page, {f"coursesmith:quiz:{MODULE}": json.dumps(PASSED)})
    page.goto(real_site_url + "/")
    expect(start).to_have_text("Course complete: see your record")
    start.click()
    page.wait_for_url(f"{real_site_url}/progress/")


@pytest.mark.browser
def test_progress_bars_count_lessons_read_and_a_passed_quiz(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    for path in ("/", f"/{MODULE}/"):
        page.goto(real_site_url + path)
        bar = page.locator(f"[data-cs-module='{MODULE}'] progress")
        expect(bar).to_be_visible()
        assert bar.evaluate("b => [b.value, b.max]") == [0, 8]
    read = {f"{MODULE}/{lesson}": True for lesson in LESSONS[:3]}
    failed = {
        "answers": {},
        "result": {"score": 7, "total": 17, "percent": 41, "passed": False, "date": "2026-11-30"},
    }
    _store(
        page,
        {"coursesmith:read": json.dumps(read), f"coursesmith:quiz:{MODULE}": json.dumps(failed)},
    )
    for path in ("/", f"/{MODULE}/"):
        page.goto(real_site_url + path)
        box = page.locator(f"[data-cs-module='{MODULE}']")
        expect(box.locator("[data-cs-progress-text]")).to_have_text(
            "3 of 7 lessons read · quiz 7 of 17 (41%), not passed yet"
        )
        assert box.locator("progress").evaluate("b => b.value") == 3
    _store(page, {f"coursesmith:quiz:{MODULE}": json.dumps(PASSED)})
    page.reload()
    assert page.locator(f"[data-cs-module='{MODULE}'] progress").evaluate("b => b.value") == 4


@pytest.mark.browser
def test_drawer_opens_and_closes_by_keyboard_on_a_phone(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{real_site_url}/{MODULE}/key-concepts/")
    button = page.get_by_role("button", name="Navigation")
    drawer_link = page.locator(".md-sidebar--primary a[href]").first

    def focus_in_drawer() -> bool:
        return bool(page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"))

    # Closed: Tab goes from the drawer button to the header and content, never into the drawer.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    for _ in range(6):
        page.keyboard.press("Tab")
        assert not focus_in_drawer()
    outline = button.evaluate("b => { b.focus(); return getComputedStyle(b).outlineStyle; }")
    assert outline != "none"  # visible focus

    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(drawer_link).to_be_visible()
    assert focus_in_drawer()
    page.keyboard.press("Tab")
    assert focus_in_drawer()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    assert page.evaluate("document.getElementById('__drawer').checked") is False
    page.keyboard.press("Tab")
    assert not focus_in_drawer()


@pytest.mark.browser
def test_drawer_is_plain_navigation_on_a_wide_screen(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{real_site_url}/{MODULE}/key-concepts/")
    expect(page.get_by_role("button", name="Navigation")).to_be_hidden()
    assert page.locator(".md-sidebar--primary").get_attribute("inert") is None
    link = page.locator(".md-sidebar--primary a.md-nav__link[href]").first
    link.focus()
    expect(link).to_be_focused()


@pytest.mark.browser
def test_retry_keeps_the_last_result_until_the_new_attempt_is_complete(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    _answer_quiz(page, right=True)
    expect(page.locator("[data-cs-verdict]")).to_contain_text("Passed")
    before = json.loads(page.evaluate(f"localStorage.getItem('coursesmith:quiz:{MODULE}')"))
    assert before["result"]["passed"] is True
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", before["result"]["date"])

    page.get_by_role("button", name="Retry the quiz").click()
    previous = page.locator("[data-cs-previous]")
    expect(previous).to_contain_text("Answers cleared for a new attempt.")
    expect(previous).to_contain_text("stays saved until you have answered every question")
    expect(previous).to_contain_text("Your previous result, 17 of 17")
    expect(page.locator("form.cs-question input:checked")).to_have_count(0)
    after = json.loads(page.evaluate(f"localStorage.getItem('coursesmith:quiz:{MODULE}')"))
    assert after["result"] == before["result"] and after["answers"] == {}

    # Half an attempt later the module page still shows the last complete result.
    from .test_quiz import _choose, real_quiz

    first = real_quiz()[0]
    _choose(page, page.locator(f"#q-{first.id}"), first, right=False)
    page.goto(f"{real_site_url}/{MODULE}/")
    expect(page.locator("[data-cs-quiz-result]")).to_contain_text("passed.")
    expect(page.locator("[data-cs-quiz-result]")).to_contain_text("(100%)")

    # Finishing the new attempt replaces it.
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    _answer_quiz(page, right=False)
    expect(page.locator("[data-cs-verdict]")).to_contain_text("Not passed yet")
    page.goto(f"{real_site_url}/{MODULE}/")
    expect(page.locator("[data-cs-quiz-result]")).to_contain_text("(0%), not passed yet.")


@pytest.mark.browser
def test_feedback_reads_as_one_verdict(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    _answer_quiz(page, right=False)
    texts = [t for t in page.locator(".cs-choice__feedback").all_inner_texts() if t.strip()]
    assert texts
    for text in texts:
        assert text.startswith(("Correct", "Incorrect", "Missed")), text
        words = re.findall(r"[A-Za-z]+", text.lower())
        verdicts = {"correct", "incorrect", "right", "yes", "no", "wrong"}
        # One verdict word at the start, none repeated straight after it.
        assert not (words[0] in verdicts and len(words) > 1 and words[1] in verdicts), text
    body = page.locator(".cs-quiz").inner_text()
    for question in page.locator("form.cs-question[data-cs-type='multiple']").all():
        assert question.inner_text().count("Select all that apply") == 1
    assert "Correct. Correct" not in body and "Incorrect. No" not in body


@pytest.mark.browser
def test_completion_record_prints_on_its_own_with_the_learners_name(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/progress/")
    completion = page.locator("[data-cs-completion]")
    expect(completion).to_contain_text("Once you have read every lesson and passed the quiz")
    expect(page.get_by_role("button", name="Print or save the completion record")).to_be_hidden()

    _store(
        page,
        {
            "coursesmith:read": json.dumps(ALL_READ),
            f"coursesmith:quiz:{MODULE}": json.dumps(PASSED),
        },
    )
    page.reload()
    # A function body: an expression that yields a function would be called by evaluate itself.
    page.evaluate(
        "() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }"
    )
    button = page.get_by_role("button", name="Print or save the completion record")
    button.click()  # no name yet: asks for it instead of printing
    expect(page.get_by_label("Your name")).to_be_focused()
    assert page.evaluate("window.__printed || 0") == 0
    page.get_by_label("Your name").press_sequentially("Ada Lovelace")
    certificate = page.locator(".cs-certificate")
    expect(certificate.locator("[data-cs-cert-name]")).to_have_text("Ada Lovelace")
    for words in (
        "Self-declared completion record",
        "AI Risk Foundations for Technical Staff",
        "LRN-BEG-015: The Role of AI Engineers in Mitigating Risks",
        "quiz 14 of 17 (82%), passed on 2026\u201111\u201130",
        "Course version 1.0.0",
        "content reviewed 2025-04-23",
        "not a certificate from an authority",
    ):
        expect(certificate).to_contain_text(words)
    button.click()
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate("document.body.classList.contains('cs-print-completion')")
    page.emulate_media(media="print")
    expect(certificate).to_be_visible()
    expect(page.locator("[data-cs-record] table")).to_be_hidden()
    expect(page.locator("h1")).to_be_hidden()
    expect(button).to_be_hidden()
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    # The name stays in this browser only, and is there on the next visit.
    page.reload()
    expect(page.get_by_label("Your name")).to_have_value("Ada Lovelace")
    assert page.evaluate("localStorage.getItem('coursesmith:learner-name')") == "Ada Lovelace"


@pytest.mark.browser
def test_search_snippets_separate_table_cells(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(real_site_url + "/")
    page.keyboard.press("/")
    page.locator(SEARCH_BOX).press_sequentially("collaboration point", delay=20)
    results = page.locator(SEARCH_RESULT)
    expect(results.first).to_be_visible(timeout=10_000)
    text = "\n".join(results.all_inner_texts())
    assert "Lifecycle" in text
    assert "phaseKey" not in text and "activitiesSME" not in text and "pointPhase" not in text
    assert "(AI engineer role) SME collaboration point" in " ".join(text.split())


@pytest.mark.browser
@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"coursesmith:read": "{not json", f"coursesmith:quiz:{MODULE}": "[1, 2"},
        {
            "coursesmith:read": json.dumps({f"{MODULE}/gone-lesson": True, "other/x": True}),
            f"coursesmith:quiz:{MODULE}": json.dumps(
                {"answers": {"q-gone": {"answer": ["a"]}, "q-why-engineers-critical": 5}}
            ),
        },
        {
            "coursesmith:read": json.dumps(["a", "b"]),
            f"coursesmith:quiz:{MODULE}": json.dumps({"answers": "x", "result": {"score": "all"}}),
            "coursesmith:learner-name": "",
        },
        {"coursesmith:read": "null", f"coursesmith:quiz:{MODULE}": "42"},
    ],
    ids=["missing", "corrupted", "stale", "wrong-shape", "null"],
)
def test_bad_stored_progress_never_breaks_a_page(
    page: object, real_site_url: str, stored: dict[str, str]
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(real_site_url + "/")
    _store(page, stored)
    page.goto(real_site_url + "/")
    expect(page.locator("[data-cs-start]")).to_have_text("Start the course")
    expect(page.locator(f"[data-cs-module='{MODULE}'] [data-cs-progress-text]")).to_have_text(
        "0 of 7 lessons read · quiz not taken yet"
    )
    page.goto(f"{real_site_url}/{MODULE}/")
    expect(page.locator("[data-cs-quiz-result]")).to_have_text("Not taken yet in this browser.")
    page.goto(f"{real_site_url}/{MODULE}/introduction/")
    page.get_by_role("button", name="Mark this lesson as read").click()
    expect(page.get_by_role("button", name="Mark this lesson as unread")).to_be_visible()
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    expect(page.locator("[data-cs-score]")).to_contain_text("0 of 17 questions answered")
    from .test_quiz import _choose, real_quiz

    first = real_quiz()[0]
    _choose(page, page.locator(f"#q-{first.id}"), first, right=True)
    expect(page.locator("[data-cs-score]")).to_contain_text("1 of 17 questions answered")
    page.goto(f"{real_site_url}/progress/")
    expect(page.locator("[data-cs-record-read]")).to_have_text("1 of 7")
    expect(page.locator("[data-cs-completion-pending]")).to_be_visible()
    # The next write repaired the record: it is valid JSON of the right shape again.
    repaired = json.loads(page.evaluate("localStorage.getItem('coursesmith:read')"))
    assert isinstance(repaired, dict) and repaired[f"{MODULE}/introduction"] is True
    assert all(value is True for value in repaired.values())
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_glossary_tooltip_is_body_size_inside_the_screen_and_off_the_line(
    page: object, real_site_url: str, width: int
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{real_site_url}/{MODULE}/key-concepts/")
    term = page.locator("a.cs-term").first
    term.focus()
    tip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Potential negative consequences")
    page.wait_for_timeout(500)  # the tooltip's entry transition
    body_size = page.evaluate(
        "getComputedStyle(document.querySelector('article.md-typeset')).fontSize"
    )
    assert tip.evaluate("e => getComputedStyle(e).fontSize") == body_size
    box, host = tip.bounding_box(), term.bounding_box()
    assert box is not None and host is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    overlap = not (box["y"] >= host["y"] + host["height"] or box["y"] + box["height"] <= host["y"])
    assert not overlap, (box, host)


@pytest.mark.browser
def test_continue_works_in_the_offline_zip_from_file_urls(page: object, tmp_path: Path) -> None:
    """Offline, pages are files (m1/index.html, m1/details.html): the button follows that style."""
    import zipfile

    from playwright.sync_api import Page, expect

    from generator.adapters.cli import main

    from .conftest import FIXTURES, copy_course

    assert isinstance(page, Page)
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    assert main(["--root", str(project), "export", "offline", "--out", str(tmp_path / "out")]) == 0
    (archive,) = (tmp_path / "out").iterdir()
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(archive).extractall(folder)
    page.goto((folder / "m1" / "intro.html").as_uri())
    page.get_by_role("button", name="Mark this lesson as read").click()
    page.goto((folder / "index.html").as_uri())
    start = page.locator("[data-cs-start]")
    expect(start).to_have_text("Continue: Details")
    start.click()
    expect(page.locator("h1")).to_contain_text("Details")
    assert page.url == (folder / "m1" / "details.html").as_uri()
