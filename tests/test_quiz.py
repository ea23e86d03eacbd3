"""The quiz page: encoded answers, accessible structure, and a keyboard-only run in Chromium."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.load import load_course
from generator.model import Question
from generator.render.markup import plain
from generator.render.quiz import decode_answer, encode_answer, without_verdict

from .conftest import REPO

MODULE = "ai-engineers-risk-mitigation"


def real_quiz() -> tuple[Question, ...]:
    course = load_course(REPO).course
    assert course is not None and course.modules[0].quiz is not None
    return course.modules[0].quiz.questions


class _Forms(HTMLParser):
    """Collects each question form's attributes, legends and labelled controls."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, object]] = {}
        self.current: dict[str, object] | None = None
        self.labels: set[str] = set()
        self.in_legend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "cs-question" in a.get("class", ""):
            self.current = {"attrs": a, "controls": [], "legend": "", "fieldset": False}
            self.forms[a["id"]] = self.current
        elif self.current is not None:
            if tag == "fieldset":
                self.current["fieldset"] = True
            if tag == "legend":
                self.in_legend = True
            if tag in ("input", "select"):
                self.current["controls"].append(a["id"])  # type: ignore[union-attr]
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "legend":
            self.in_legend = False
        if tag == "form":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.in_legend and self.current is not None:
            self.current["legend"] = str(self.current["legend"]) + data


@pytest.fixture(scope="module")
def quiz_html(real_site: Path) -> str:
    return (real_site / MODULE / "quiz" / "index.html").read_text(encoding="utf-8")


def test_encoding_round_trips() -> None:
    payload = {"correct": ["b"], "feedback": {"a": "Ünïcode – ok"}}
    encoded = encode_answer("m:q", payload)
    assert "correct" not in encoded
    assert decode_answer("m:q", encoded) == payload


def test_every_question_is_an_accessible_form_with_its_answer_encoded(quiz_html: str) -> None:
    parser = _Forms()
    parser.feed(quiz_html)
    questions = real_quiz()
    assert len(questions) >= 15
    assert {q.type for q in questions} == {
        "single",
        "multiple",
        "true-false",
        "matching",
        "ordering",
    }
    assert list(parser.forms) == [f"q-{q.id}" for q in questions]
    for question in questions:
        form = parser.forms[f"q-{question.id}"]
        assert form["fieldset"]
        assert plain(question.prompt)[:30] in re.sub(r"\s+", " ", str(form["legend"]))
        controls = form["controls"]
        assert controls and all(c in parser.labels for c in controls)  # type: ignore[union-attr]
        attrs = form["attrs"]
        key = decode_answer(attrs["data-cs-salt"], attrs["data-cs-answer"])  # type: ignore[index]
        if question.type in ("single", "multiple"):
            assert key["correct"] == sorted(c.id for c in question.choices if c.correct)
        elif question.type == "true-false":
            assert key["correct"] == ["true" if question.answer else "false"]
        elif question.type == "ordering":
            assert key["correct"] == {i.id: str(n) for n, i in enumerate(question.items, 1)}


def test_answers_and_feedback_are_not_in_the_page_as_text(quiz_html: str) -> None:
    assert "data-correct" not in quiz_html
    page_text = html.unescape(re.sub(r"<[^>]+>", "", quiz_html))
    for question in real_quiz():
        assert plain(question.explanation) not in page_text
        for text in question.feedback.values():
            assert plain(text) not in page_text


def test_quiz_answers_stay_out_of_the_search_index(real_site: Path) -> None:
    index = (real_site / "search" / "search_index.json").read_text(encoding="utf-8")
    questions = real_quiz()
    assert "Why do AI engineers play" in index  # prompts are searchable
    for question in questions:
        assert plain(question.explanation) not in index
        for text in question.feedback.values():
            assert plain(text) not in index


def _choose(page: object, form: object, question: Question, right: bool) -> None:
    """Answer one question with the keyboard only: Tab into it, arrows, Space, then Enter."""
    from playwright.sync_api import Locator, Page

    assert isinstance(page, Page) and isinstance(form, Locator)
    first = form.locator("input, select").first
    first.focus()
    if question.type in ("single", "true-false"):
        if question.type == "single":
            wanted = next(c.id for c in question.choices if c.correct == right)
        else:
            wanted = "true" if question.answer == right else "false"
        page.keyboard.press("Space")  # selects the focused radio
        for _ in range(len(form.locator("input").all())):
            if form.locator("input:checked").get_attribute("value") == wanted:
                break
            page.keyboard.press("ArrowDown")
        controls = 1
    elif question.type == "multiple":
        wanted_set = {c.id for c in question.choices if c.correct}
        if not right:
            wanted_set = {c.id for c in question.choices if not c.correct}
        boxes = form.locator("input").all()
        for index, box in enumerate(boxes):
            if box.get_attribute("value") in wanted_set:
                page.keyboard.press("Space")
            if index < len(boxes) - 1:
                page.keyboard.press("Tab")
        controls = 1
    else:
        selects = form.locator("select").all()
        key = decode_answer(
            str(form.get_attribute("data-cs-salt")), str(form.get_attribute("data-cs-answer"))
        )
        correct = key["correct"]
        assert isinstance(correct, dict)
        for index, select in enumerate(selects):
            target = correct[str(select.get_attribute("name"))]
            options = [o.get_attribute("value") for o in select.locator("option").all()]
            if not right and question.type == "ordering":
                # Each item one place later, the last first: wrong, and no position twice.
                target = str(int(target) % (len(options) - 1) + 1)
            elif not right:
                target = next(v for v in options[1:] if v != target)
            for _ in range(len(options)):
                if select.input_value() == target:
                    break
                page.keyboard.press("ArrowDown")
            if index < len(selects) - 1:
                page.keyboard.press("Tab")
        controls = 1
    assert controls
    page.keyboard.press("Tab")  # to "Check answer"
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_keyboard_only_quiz_run_with_feedback_pass_reload_and_retry(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    questions = real_quiz()
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    first = questions[0]
    form = page.locator(f"#q-{first.id}")
    _choose(page, form, first, right=False)
    result = form.locator("[data-cs-result]")
    expect(result).to_have_attribute("role", "status")
    expect(result).to_contain_text("Not quite")
    wrong = next(c for c in first.choices if not c.correct)
    expect(form.locator(f"[data-cs-feedback-for='{wrong.id}']")).to_contain_text(
        plain(without_verdict(first.feedback[wrong.id]))[:30]
    )
    for question in questions:
        _choose(page, page.locator(f"#q-{question.id}"), question, right=True)
        expect(page.locator(f"#q-{question.id} [data-cs-result]")).to_contain_text("Correct")
    total = sum(q.points for q in questions)
    verdict = page.locator("[data-cs-verdict]")
    expect(verdict).to_contain_text(f"You scored {total} of {total} (100%). Passed")
    expect(verdict).to_be_focused()

    page.reload()
    expect(page.locator("[data-cs-verdict]")).to_contain_text("Passed")
    expect(page.locator(f"#q-{questions[-1].id} [data-cs-result]")).to_contain_text("Correct")
    page.goto(f"{real_site_url}/{MODULE}/")
    expect(page.locator("[data-cs-quiz-result]")).to_contain_text(
        f"{total} of {total} (100%), passed"
    )

    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    page.locator("[data-cs-retry]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-cs-score]")).to_contain_text(f"Score: 0 of {total} points")
    expect(page.locator("[data-cs-final]")).to_be_hidden()
    expect(page.locator(f"#q-{first.id} input:checked")).to_have_count(0)


@pytest.mark.browser
def test_quiz_fits_a_phone_screen(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{real_site_url}/{MODULE}/quiz/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
