"""cmi5 and xAPI packages launched by a tiny LMS (tests/xapi_lms.py) in Chromium, their
statements recorded by a real learning record store, Ralph, and read back from it.

Learner journeys: Ada reads the two lessons and closes the window, relaunches and resumes
where she left, then takes the quiz, passes and exits through the LMS's return address;
Bob fails; Cy browses (no completion, no score); Dee's launch link lacks a parameter; Eve's
record store is down for a while (statements wait and arrive later); Fay's progress document
is corrupt (ignored); Gus is launched the Tin Can way. The cmi5 rules are checked on what
Ralph holds, and every statement passes Learning Locker's xAPI validator as well as Ralph's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.adapters.cli import main

from .conftest import FIXTURES, copy_course
from .node_clients import node_executable, node_package
from .xapi_lms import SESSION_ID, Lms, Ralph, import_package, serve_lms

pytestmark = pytest.mark.browser

VERB = "http://adlnet.gov/expapi/verbs/"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
# Answers to the five-type quiz (tests/fixtures/export/quizzes/m1.yml), right or wrong.
RIGHT = {
    "specials": ["a {b} = c"],
    "several": ["First thing", "Third thing"],
    "nothing": ["False"],
    "pairs": {"Cat": "Animal", "Rose": "Plant", "Rock": "Mineral"},
    "order": {"One": "1", "Two": "2", "Three": "3"},
}
WRONG = {
    "specials": ["d ~ e # f: g"],
    "several": ["Not a thing"],
    "nothing": ["True"],
    "pairs": {"Cat": "Plant", "Rose": "Animal", "Rock": "Mineral"},
    "order": {"One": "3", "Two": "2", "Three": "1"},
}
VALIDATE_JS = """
const validate = require("@learninglocker/xapi-validation").default;
const statements = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = [];
statements.forEach((s, i) => validate(s).forEach((w) => out.push(
  `${i} ${s.verb.id}: ${w.path.join(".")} ${w.name} ${w.typeName || ""}`)));
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def lms(ralph: Ralph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lms]:
    """The LMS with the minimal course's module (the five-type quiz, pass mark 60 %) imported
    as a cmi5 package and as an xAPI package."""
    root = tmp_path_factory.mktemp("xapi-lms")
    project = copy_course(FIXTURES / "minimal", root / "course", pdf=False)
    shutil.copy(FIXTURES / "export" / "quizzes" / "m1.yml", project / "quizzes" / "m1.yml")
    out = root / "out"
    for fmt in ("cmi5", "xapi"):
        assert main(["--root", str(project), "export", fmt, "--out", str(out)]) == 0
    assert main(["--root", str(project), "export", "cmi5", "--course", "--out", str(out)]) == 0
    lms = Lms(ralph)
    lms.courses["m1"] = import_package(out / "m1-cmi5.zip", root / "cmi5")
    lms.courses["m1-tincan"] = import_package(out / "m1-xapi.zip", root / "xapi")
    lms.courses["demo"] = import_package(out / "demo-cmi5.zip", root / "course")
    yield from serve_lms(lms)


class Learner:
    """One browser window of one learner, launched by the LMS."""

    def __init__(self, browser: Any, lms: Lms, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)
        self.content = self.page.frame_locator("#cs-content")

    def open(self, link: str) -> None:
        from playwright.sync_api import expect

        self.page.locator(".cs-shell__nav").get_by_role("link", name=link).click()
        expect(self.page.locator(f'a[aria-current="page"]:has-text("{link}")')).to_be_visible()

    def take_quiz(self, answers: dict[str, Any]) -> None:
        self.open("Quiz")
        for question, answer in answers.items():
            form = self.content.locator(f"#q-{question}")
            if isinstance(answer, dict):
                for label, option in answer.items():
                    form.get_by_label(label, exact=True).select_option(label=option)
            else:
                for label in answer:
                    form.get_by_label(label, exact=True).check()
            form.get_by_role("button", name="Check answer").click()
        self.content.locator("[data-cs-verdict]:not(:empty)").wait_for()

    def close(self) -> None:
        """Close the window, as a learner does (the page's unload handlers run). The browser
        stays open, as it does when a learner closes a tab: closing the context at once would
        cancel the keepalive requests the page sent while leaving (the terminated statement),
        which no real browser does; the session's browser closes the context at the end."""
        with self.page.expect_event("close", timeout=10_000):
            self.page.close(run_before_unload=True)
        assert self.errors == []


def wait_for(check: Callable[[], Any], what: str, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].removeprefix(VERB) for s in statements]


def sessions(statements: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The statements of each AU session, in order of their first statement."""
    by_session: dict[str, list[dict[str, Any]]] = {}
    for s in statements:
        by_session.setdefault(s["context"]["extensions"][SESSION_ID], []).append(s)
    return list(by_session.values())


def categories(statement: dict[str, Any]) -> set[str]:
    return {c["id"] for c in statement["context"].get("contextActivities", {}).get("category", [])}


def assert_cmi5_rules(
    statements: list[dict[str, Any]], activity: str, name: str = "m1", mastery: float | None = 0.6
) -> None:
    """cmi5's rules for AU statements, on what Ralph holds for one registration."""
    for session in sessions(statements):
        names = verbs(session)
        assert names[0] == "initialized" and names.count("initialized") == 1, names
        assert names[-1] == "terminated" and names.count("terminated") == 1, names
    for once in ("completed", "passed"):
        assert verbs(statements).count(once) <= 1
    for s in statements:
        verb = s["verb"]["id"].removeprefix(VERB)
        assert s["context"]["registration"] == statements[0]["context"]["registration"]
        grouping = s["context"]["contextActivities"]["grouping"]
        assert grouping == [{"id": f"https://lms.example.com/publisher/{name}"}]
        if verb in ("experienced", "answered"):
            assert categories(s) == set(), s
            assert s["object"]["id"].startswith(activity + "/")
            continue
        assert s["object"]["id"] == activity
        result = s.get("result", {})
        moves = "success" in result or "completion" in result
        assert categories(s) == ({CMI5_CATEGORY, MOVEON_CATEGORY} if moves else {CMI5_CATEGORY})
        if verb in ("completed", "passed", "failed", "terminated"):
            assert result["duration"].startswith("PT") and result["duration"].endswith("S")
        if verb == "completed":
            assert result["completion"] is True
        if verb in ("passed", "failed"):
            assert result["success"] is (verb == "passed")
            assert s["context"]["extensions"].get(MASTERY) == mastery
            if mastery is not None:
                assert (result["score"]["scaled"] >= mastery) is (verb == "passed")


def assert_valid(statements: list[dict[str, Any]]) -> None:
    """Learning Locker's xAPI validator finds nothing in any statement."""
    result = subprocess.run(
        [node_executable(), "-e", VALIDATE_JS],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        check=True,
        cwd=node_package("@learninglocker/xapi-validation").parents[1].parent,
    )
    assert json.loads(result.stdout) == []


def test_read_leave_resume_pass_and_exit(browser: Any, lms: Lms, ralph: Ralph) -> None:
    registration = str(uuid.uuid4())
    activity = lms.courses["m1"].activity
    first = Learner(browser, lms, lms.launch("m1", "ada", registration))
    first.open("Introduction")
    first.open("Details")
    first.close()
    found = wait_for(
        lambda: "terminated" in verbs(s := ralph.statements(registration=registration)) and s,
        "the first session's terminated statement",
    )
    assert verbs(found) == ["initialized", "experienced", "experienced", "completed", "terminated"]
    names = [s["object"]["definition"]["name"]["en"] for s in found[1:3]]
    assert names == ["Introduction", "Details"]
    assert len(lms.fetches) == 1

    # Relaunch in a fresh browser: the progress comes from the State API only.
    second = Learner(browser, lms, lms.launch("m1", "ada", registration))
    from playwright.sync_api import expect

    expect(second.page.locator('a[aria-current="page"]')).to_have_text("Details ✓ (read)")
    expect(second.content.locator("h1")).to_have_text("Details")
    second.take_quiz(RIGHT)
    second.page.get_by_role("button", name="Exit").click()
    second.page.wait_for_url("**/return?from=m1")
    second.close()
    found = wait_for(
        lambda: (
            verbs(s := ralph.statements(registration=registration)).count("terminated") == 2 and s
        ),
        "the second session's terminated statement",
    )
    second_session = sessions(found)[1]
    # The page it resumed on counts as experienced again in this session.
    assert verbs(second_session) == [
        "initialized",
        "experienced",
        *["answered"] * 5,
        "passed",
        "terminated",
    ]
    assert second_session[1]["object"]["definition"]["name"]["en"] == "Details"
    passed = second_session[-2]
    assert passed["result"]["score"]["scaled"] == 1.0
    answered = {s["object"]["id"].rsplit("/", 1)[1]: s for s in second_session[2:7]}
    kinds = {k: s["object"]["definition"]["interactionType"] for k, s in answered.items()}
    assert kinds == {
        "specials": "choice",
        "several": "choice",
        "nothing": "true-false",
        "pairs": "matching",
        "order": "sequencing",
    }
    responses = {k: s["result"]["response"] for k, s in answered.items()}
    assert responses == {
        "specials": "a",
        "several": "a[,]c",
        "nothing": "false",
        "pairs": "cat[.]m0[,]rock[.]m1[,]rose[.]m2",
        "order": "one[,]two[,]three",
    }
    for s in answered.values():
        definition = s["object"]["definition"]
        assert s["result"]["success"] is True
        assert definition["correctResponsesPattern"] == [s["result"]["response"]]
    assert len(lms.fetches) == 2 and lms.refused == []
    assert_cmi5_rules(found, activity)
    assert_valid(found)


def test_another_learner_fails(browser: Any, lms: Lms, ralph: Ralph) -> None:
    registration = str(uuid.uuid4())
    learner = Learner(browser, lms, lms.launch("m1", "bob", registration))
    learner.take_quiz(WRONG)
    learner.close()
    found = wait_for(
        lambda: "terminated" in verbs(s := ralph.statements(registration=registration)) and s,
        "Bob's terminated statement",
    )
    assert verbs(found) == ["initialized", *["answered"] * 5, "failed", "terminated"]
    assert found[-2]["result"]["score"]["scaled"] == 0.0
    assert all(s["result"]["success"] is False for s in found[1:6])
    assert_cmi5_rules(found, lms.courses["m1"].activity)
    assert_valid(found)


def test_the_whole_course_as_one_au(browser: Any, lms: Lms, ralph: Ralph) -> None:
    """--course: one AU without a mastery score; it passes when every module quiz is passed."""
    registration = str(uuid.uuid4())
    assert lms.courses["demo"].mastery is None
    learner = Learner(browser, lms, lms.launch("demo", "jo", registration))
    learner.open("Introduction")
    learner.open("Details")
    learner.take_quiz(RIGHT)
    learner.close()
    found = wait_for(
        lambda: "terminated" in verbs(s := ralph.statements(registration=registration)) and s,
        "Jo's terminated statement",
    )
    assert verbs(found) == [
        "initialized", "experienced", "experienced", "completed",
        *["answered"] * 5, "passed", "terminated",
    ]  # fmt: skip
    assert found[-2]["result"]["score"]["scaled"] == 1.0
    assert_cmi5_rules(found, lms.courses["demo"].activity, "demo", None)
    assert_valid(found)


def test_browse_and_review_send_no_completion_and_no_score(
    browser: Any, lms: Lms, ralph: Ralph
) -> None:
    """Browse, then Review of the same registration: the lessons read and the quiz taken (right,
    then wrong) record no completion and no score, and keep no progress."""
    registration = str(uuid.uuid4())
    for n, (mode, answers) in enumerate((("Browse", RIGHT), ("Review", WRONG)), start=1):
        learner = Learner(browser, lms, lms.launch("m1", "cy", registration, mode=mode))
        learner.open("Introduction")
        learner.open("Details")
        learner.take_quiz(answers)
        learner.close()
        found = wait_for(
            lambda: (
                verbs(s := ralph.statements(registration=registration)).count("terminated") == n  # noqa: B023  (called before the loop moves on)
                and s
            ),
            f"Cy's terminated statement in {mode} mode",
        )
        assert not {"completed", "passed", "failed"} & set(verbs(found))
        assert verbs(sessions(found)[-1])[0] == "initialized"
    key = (lms.courses["m1"].activity, "mailto:cy@example.com", registration)
    assert (*key, "coursesmith-progress") not in lms.state
    assert_valid(found)


def test_a_launch_without_a_parameter_says_so_and_stays_readable(
    browser: Any, lms: Lms, ralph: Ralph
) -> None:
    from playwright.sync_api import expect

    learner = Learner(browser, lms, "about:blank")
    for missing in ("endpoint", "fetch", "actor", "registration", "activityId"):
        learner.page.goto(lms.launch("m1", "dee", str(uuid.uuid4()), drop=missing))
        expect(learner.page.get_by_role("alert")).to_have_text(
            "This course was not opened from your learning platform, so nothing you do here is "
            "recorded. You can still read every page and take the quiz."
        )
        learner.open("Introduction")
        expect(learner.content.locator("h1")).to_have_text("Introduction")
    # A launch URL used twice (a reload): its fetch URL answers no second token.
    learner.page.goto(used := lms.launch("m1", "dee", str(uuid.uuid4())))
    learner.page.get_by_role("button", name="Exit").wait_for()
    learner.page.goto(used)
    expect(learner.page.get_by_role("alert")).to_have_text(
        "Your learning platform could not be reached, so your progress is not recorded now. "
        "You can still read every page and take the quiz."
    )
    learner.open("Details")
    expect(learner.content.locator("h1")).to_have_text("Details")
    learner.close()
    # Only the one good launch was recorded.
    dee = json.dumps({"mbox": "mailto:dee@example.com"})
    recorded = wait_for(
        lambda: "terminated" in verbs(s := ralph.statements(agent=dee)) and s,
        "the terminated statement of Dee's one good launch",
    )
    assert verbs(recorded) == ["initialized", "terminated"]


def test_statements_wait_while_the_record_store_is_down(
    browser: Any, lms: Lms, ralph: Ralph
) -> None:
    registration = str(uuid.uuid4())
    lms.statements_down = True
    try:
        learner = Learner(browser, lms, lms.launch("m1", "eve", registration))
        learner.open("Introduction")
        learner.take_quiz(RIGHT)  # the quiz still works
        assert ralph.statements(registration=registration) == []
    finally:
        lms.statements_down = False
    found = wait_for(
        lambda: "passed" in verbs(s := ralph.statements(registration=registration)) and s,
        "Eve's statements after the store is back",
        timeout=40,
    )
    assert verbs(found)[:2] == ["initialized", "experienced"]
    learner.close()


def test_a_corrupt_progress_document_is_ignored(browser: Any, lms: Lms, ralph: Ralph) -> None:
    from playwright.sync_api import expect

    registration = str(uuid.uuid4())
    course = lms.courses["m1"]
    for n, document in enumerate(
        (
            b"{not json",
            # Another version of the package: its bookmark and results are not this one's.
            b'{"kind": "coursesmith-progress", "package": "AbCdEf", "progress": "1AbCdEf.__",'
            b' "page": "m1/details.html", "sent": {"completed": true}}',
            b'{"bookmark": "page 3"}',
        )
    ):
        key = (course.activity, "mailto:fay@example.com", registration, "coursesmith-progress")
        lms.state[key] = document
        learner = Learner(browser, lms, lms.launch("m1", "fay", registration))
        expect(learner.content.locator("h1")).to_have_text("DEMO-001: First Module")
        learner.open("Introduction")
        learner.close()
        ended = n + 1
        wait_for(
            lambda: verbs(ralph.statements(registration=registration)).count("terminated") == ended,  # noqa: B023  (called before the loop moves on)
            "Fay's terminated statement",
        )


def test_a_tin_can_launch(browser: Any, lms: Lms, ralph: Ralph) -> None:
    registration = str(uuid.uuid4())
    course = lms.courses["m1-tincan"]
    learner = Learner(browser, lms, lms.launch("m1-tincan", "gus", registration))
    learner.open("Introduction")
    learner.open("Details")
    learner.take_quiz(RIGHT)
    learner.close()
    found = wait_for(
        lambda: "terminated" in verbs(s := ralph.statements(registration=registration)) and s,
        "Gus's terminated statement",
    )
    assert verbs(found) == [
        "initialized",
        "experienced",
        "experienced",
        "completed",
        *["answered"] * 5,
        "passed",
        "terminated",
    ]
    for s in found:
        assert "category" not in s["context"].get("contextActivities", {})
        assert s["context"]["registration"] == registration
    assert found[-2]["result"]["score"]["scaled"] == 1.0
    key = (course.activity, "mailto:gus@example.com", registration, "coursesmith-progress")
    saved = json.loads(lms.state[key])
    assert saved["kind"] == "coursesmith-progress" and saved["sent"]["passed"] is True
    assert_valid(found)


def test_every_statement_ralph_holds_passes_validation(
    browser: Any, lms: Lms, ralph: Ralph
) -> None:
    """Everything recorded in this session, the journeys above and one more, passes Learning
    Locker's validator (Ralph validated each on the way in)."""
    registration = str(uuid.uuid4())
    learner = Learner(browser, lms, lms.launch("m1", "ivy", registration))
    learner.open("Introduction")
    learner.close()
    wait_for(
        lambda: "terminated" in verbs(ralph.statements(registration=registration)),
        "Ivy's terminated statement",
    )
    statements = ralph.statements()
    assert {"initialized", "experienced", "terminated"} <= set(verbs(statements))
    assert_valid(statements)


def test_look_at_the_au(browser: Any, lms: Lms, tmp_path: Path) -> None:
    """Screenshots of a launched AU at desktop and phone widths, and of a launch that lacks a
    parameter, for a person to look at."""
    for width, height, drop in ((1280, 800, ""), (390, 844, ""), (390, 844, "fetch")):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(lms.launch("m1", "hal", str(uuid.uuid4()), drop=drop))
        page.get_by_role("alert" if drop else "button", name=None if drop else "Exit").wait_for()
        page.frame_locator("#cs-content").locator("h1").wait_for()
        page.screenshot(path=str(tmp_path / f"au-{width}{'-' + drop if drop else ''}.png"))
        if drop:  # the message as well as the page list and frame
            from axe_playwright_python.sync_playwright import Axe

            violations = Axe().run(page).response["violations"]
            assert [f"{v['id']}: {[n['html'] for n in v['nodes']][:3]}" for v in violations] == []
        context.close()
    print(f"screenshots in {tmp_path}")
