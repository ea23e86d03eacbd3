"""SCORM packages under a real SCORM 1.2 runtime: scorm-again (from npm, its dist build loaded into
the page as window.API, a Scorm12API) plays the LMS in Chromium. Pass, fail, resume after a
suspend in a fresh browser (progress only from cmi.suspend_data), browse mode, and the
single-SCO course package; scorm-again must log no error and report no error code. The progress
encoding is also held to SCORM 1.2's 4,096 characters on the largest course the benchmark makes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.adapters.cli import main
from generator.export.scorm import (
    SUSPEND_DATA_LIMIT,
    course_package,
    launch_structure,
    package_nav,
    progress_length,
)
from generator.load import load_course

from .conftest import FIXTURES, REPO, copy_course, serve_folder
from .node_clients import node_executable, node_package

STATE_JS = REPO / "site_templates" / "export" / "scorm" / "scorm-state.js"
HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.js"></script>
<script>
  // The LMS: scorm-again's SCORM 1.2 API, every call and any error code recorded.
  window.calls = []; window.problems = [];
  var api = new Scorm12API({
    autocommit: false,
    logLevel: 1,
    onLogMessage: function (level, message) {
      if (level >= 4) window.problems.push("log " + level + ": " + message);
    }
  });
  var start = window.START || {};
  if (Object.keys(start).length) api.loadFromJSON(start, "cmi");
  var recorded = ["LMSInitialize", "LMSFinish", "LMSCommit", "LMSSetValue", "LMSGetValue"];
  recorded.forEach(function (name) {
    var real = api[name].bind(api);
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments).map(String);
      window.calls.push([name].concat(args));
      var result = real.apply(null, arguments);
      var code = String(api.LMSGetLastError());
      if (code !== "0") window.problems.push(name + "(" + args.join(", ") + "): error " + code);
      return result;
    };
  });
  window.API = api;
  window.snapshot = function () {
    var core = api.cmi.core;
    return { lesson_status: core.lesson_status, lesson_location: core.lesson_location,
             score: core.score.raw, suspend_data: api.cmi.suspend_data };
  };
</script></head>
<body>
<iframe id="sco" title="Course" style="width:1000px;height:700px"></iframe>
<script>document.getElementById("sco").src = (window.SCO || "module") + "/index.html";</script>
</body></html>
"""


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The minimal course as a module package (module/) and a course package (course/), beside
    the harness page and scorm-again's dist build, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("scorm-again")
    project = copy_course(FIXTURES / "minimal", root / "course-src", pdf=False)
    # A second module, so that the course package has a mean of two quizzes to report.
    modules = project / "content" / "modules"
    shutil.copytree(modules / "m1", modules / "m2")
    meta = modules / "m2" / "module.yml"
    text = meta.read_text("utf-8").replace("DEMO-001", "DEMO-002")
    meta.write_text(text.replace("First Module", "Second Module"), "utf-8")
    shutil.copy(project / "quizzes" / "m1.yml", project / "quizzes" / "m2.yml")
    course_yml = project / "content" / "course.yml"
    course_yml.write_text(course_yml.read_text("utf-8") + "  - m2\n", "utf-8")
    out = root / "out"
    assert (
        main(["--root", str(project), "export", "scorm", "--module", "m1", "--out", str(out)]) == 0
    )
    assert main(["--root", str(project), "export", "scorm", "--course", "--out", str(out)]) == 0
    site = root / "site"
    zipfile.ZipFile(out / "m1-scorm12.zip").extractall(site / "module")
    zipfile.ZipFile(out / "demo-scorm12.zip").extractall(site / "course")
    shutil.copy(node_package("scorm-again") / "dist" / "scorm12.js", site / "scorm12.js")
    (site / "harness.html").write_text(HARNESS, encoding="utf-8")
    url, server = serve_folder(site)
    yield url
    server.shutdown()


class Session:
    """One launch of a package in a fresh browser context, with scorm-again as the LMS."""

    def __init__(self, browser: Any, url: str, start: dict[str, Any], sco: str = "module"):
        self.context = browser.new_context()
        self.context.add_init_script(
            f"window.START = {json.dumps(start)}; window.SCO = {json.dumps(sco)};"
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{url}/harness.html")
        self.sco = self.page.frame_locator("#sco")
        self.content = self.sco.frame_locator("#cs-content")
        self.page.wait_for_function("window.calls.some(c => c[0] === 'LMSInitialize')")

    def answer(self, right: bool, quiz: int = 0, second_right: bool | None = None) -> None:
        """Answer a quiz (the n-th in the page list): both questions right or wrong, or the
        second one as ``second_right`` says."""
        self.sco.get_by_role("link", name="Quiz").nth(quiz).click()
        q1 = self.content.locator("#q-q1")
        q1.get_by_label("A thing" if right else "Not a thing", exact=True).check()
        q1.get_by_role("button", name="Check answer").click()
        q2 = self.content.locator("#q-q2")
        second = right if second_right is None else second_right
        q2.get_by_label("True" if second else "False", exact=True).check()
        q2.get_by_role("button", name="Check answer").click()
        self.content.locator("[data-cs-verdict]").wait_for()
        self.wait_for_commit()

    def wait_for_commit(self) -> None:
        """The launch page has committed the latest quiz state (a commit after its last set)."""
        self.page.wait_for_function(
            "(() => { const c = window.calls; const s = c.map(x => x[1]).lastIndexOf("
            "'cmi.suspend_data'); return s >= 0 && c.slice(s).some(x => x[0] === 'LMSCommit') })()"
        )

    def finish(self) -> tuple[list[list[str]], dict[str, str]]:
        """Leave the package (the LMS empties its frame) and return the calls and the data."""
        self.page.evaluate("document.getElementById('sco').src = 'about:blank'")
        self.page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
        calls: list[list[str]] = json.loads(self.page.evaluate("JSON.stringify(window.calls)"))
        data: dict[str, str] = self.page.evaluate("window.snapshot()")
        problems: list[str] = self.page.evaluate("window.problems")
        assert problems == [], problems
        assert self.errors == []
        self.context.close()
        return calls, data


def _set(calls: list[list[str]], name: str) -> list[str]:
    return [c[2] for c in calls if c[0] == "LMSSetValue" and c[1] == name]


def _assert_clean_ending(calls: list[list[str]]) -> None:
    """One session, ended by the session time (set once) and LMSFinish, no commit in unload."""
    assert [c[0] for c in calls].count("LMSInitialize") == 1
    assert [c[0] for c in calls].count("LMSFinish") == 1
    assert len(_set(calls, "cmi.core.session_time")) == 1
    assert [c[0] for c in calls[-2:]] == ["LMSSetValue", "LMSFinish"]
    assert calls[-2][1] == "cmi.core.session_time"


@pytest.mark.browser
def test_a_passing_run_under_scorm_again(browser: Any, lms: str) -> None:
    session = Session(browser, lms, {})
    session.answer(right=True)
    calls, data = session.finish()
    _assert_clean_ending(calls)
    assert data["lesson_status"] == "passed" and data["score"] == "100"
    assert _set(calls, "cmi.core.exit")[-1] == ""
    assert data["lesson_location"] == "m1/quiz.html"


@pytest.mark.browser
def test_a_failing_run_under_scorm_again(browser: Any, lms: str) -> None:
    session = Session(browser, lms, {})
    session.answer(right=False)
    calls, data = session.finish()
    _assert_clean_ending(calls)
    assert data["lesson_status"] == "failed" and data["score"] == "0"
    assert _set(calls, "cmi.core.exit")[-1] == "suspend"


@pytest.mark.browser
def test_progress_survives_a_relaunch_in_another_browser(browser: Any, lms: str) -> None:
    """First launch: read the introduction, answer one question, leave (suspend). Second launch
    in a fresh browser context (no localStorage): the LMS hands back what was saved, and the
    package shows the page read, the answer given, and resumes where the learner left."""
    from playwright.sync_api import expect

    first = Session(browser, lms, {})
    first.sco.get_by_role("link", name="Introduction").click()
    expect(first.content.locator("h1")).to_have_text("Introduction")
    first.sco.get_by_role("link", name="Quiz").click()
    q1 = first.content.locator("#q-q1")
    q1.get_by_label("A thing", exact=True).check()
    q1.get_by_role("button", name="Check answer").click()
    first.wait_for_commit()
    calls, data = first.finish()
    _assert_clean_ending(calls)
    assert _set(calls, "cmi.core.exit")[-1] == "suspend"
    assert data["lesson_status"] == "incomplete"
    saved = data["suspend_data"]
    assert saved and len(saved) <= SUSPEND_DATA_LIMIT

    start = {
        "core": {
            "lesson_status": data["lesson_status"],
            "lesson_location": data["lesson_location"],
            "entry": "resume",
        },
        "suspend_data": saved,
    }
    second = Session(browser, lms, start)
    # Resumed on the quiz, with the first answer checked and its result shown.
    expect(second.sco.get_by_role("link", name="Quiz")).to_have_attribute("aria-current", "page")
    restored = second.content.locator("#q-q1")
    expect(restored.get_by_label("A thing", exact=True)).to_be_checked()
    expect(restored.locator("[data-cs-result]")).to_contain_text("Correct")
    expect(second.content.locator("#q-q2").get_by_label("True", exact=True)).not_to_be_checked()
    # The introduction is marked read in the page list.
    intro = second.sco.get_by_role("link", name="Introduction")
    expect(intro.locator("[data-cs-read]")).to_be_visible()
    expect(second.sco.get_by_role("link", name="Details").locator("[data-cs-read]")).to_be_hidden()
    # Finishing the quiz now passes, counting the answer from the first launch.
    q2 = second.content.locator("#q-q2")
    q2.get_by_label("True", exact=True).check()
    q2.get_by_role("button", name="Check answer").click()
    second.wait_for_commit()
    calls, data = second.finish()
    _assert_clean_ending(calls)
    assert data["lesson_status"] == "passed" and data["score"] == "100"


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["browse", "review"])
def test_browse_and_review_change_neither_status_nor_score(
    browser: Any, lms: str, mode: str
) -> None:
    start = {
        "core": {
            "lesson_status": "passed",
            "lesson_mode": mode,
            "score": {"raw": "80", "min": "0", "max": "100"},
        },
    }
    session = Session(browser, lms, start)
    session.sco.get_by_role("link", name="Quiz").click()
    q1 = session.content.locator("#q-q1")
    q1.get_by_label("Not a thing", exact=True).check()
    q1.get_by_role("button", name="Check answer").click()
    q2 = session.content.locator("#q-q2")
    q2.get_by_label("False", exact=True).check()
    q2.get_by_role("button", name="Check answer").click()
    session.content.locator("[data-cs-verdict]").wait_for()
    calls, data = session.finish()
    assert [c for c in calls if c[0] == "LMSSetValue"] == [
        ["LMSSetValue", "cmi.core.session_time", _set(calls, "cmi.core.session_time")[0]]
    ]
    assert "LMSCommit" not in [c[0] for c in calls]
    assert data["lesson_status"] == "passed" and data["score"] == "80"


@pytest.mark.browser
def test_the_course_package_reports_the_course_score(browser: Any, lms: str) -> None:
    """The single-SCO course package: every module's pages in one list under its heading; no
    score until every module quiz is done, then the mean of the module quizzes, passed when
    every module quiz is passed."""
    from playwright.sync_api import expect

    session = Session(browser, lms, {}, sco="course")
    headings = session.sco.get_by_role("heading", level=2)
    expect(headings).to_have_text(
        ["DEMO-001: First Module", "DEMO-002: Second Module", "Reference"]
    )
    session.answer(right=True, quiz=0)  # module 1: 100 %
    assert session.page.evaluate("window.snapshot()")["lesson_status"] == "incomplete"
    assert session.page.evaluate("window.snapshot()")["score"] == ""
    session.answer(right=False, quiz=1, second_right=True)  # module 2: 1 of 2 points, 50 %
    calls, data = session.finish()
    _assert_clean_ending(calls)
    # Mean of 100 and 50; module 2's 50 % meets its pass mark of 50 %.
    assert data["lesson_status"] == "passed" and data["score"] == "75"
    assert _set(calls, "cmi.core.score.raw") == ["75"]
    assert _set(calls, "cmi.core.exit")[-1] == ""


def _node_state(script: str, structure: dict[str, Any]) -> Any:
    done = subprocess.run(
        [node_executable(), "-e", script, str(STATE_JS)],
        input=json.dumps(structure),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# Every page read, every question answered with its last option (the widest answer), every
# quiz with a result: the longest progress a package can have.
FULLEST = """
const S = require(process.argv[1]); let text = "";
process.stdin.on("data", d => text += d);
process.stdin.on("end", () => {
  const structure = JSON.parse(text), state = S.empty(structure), print = S.fingerprint(text);
  structure.pages.forEach(p => { state.read[p] = true; });
  structure.quizzes.forEach(quiz => {
    const saved = state.quizzes[quiz.slug];
    saved.result = 100;
    quiz.questions.forEach(q => {
      const last = q.options[q.options.length - 1];
      let answer;
      if (q.type === "multiple") answer = q.options.slice().sort();
      else if (q.type === "matching" || q.type === "ordering") {
        answer = {}; q.rows.forEach(r => { answer[r] = last; });
      } else answer = [last];
      saved.answers[q.id] = { answer: answer, points: q.points, right: true };
    });
  });
  const encoded = S.encode(structure, print, state);
  const back = S.decode(structure, print, encoded);
  process.stdout.write(JSON.stringify({
    length: encoded.length,
    same: JSON.stringify(back) === JSON.stringify(state),
    foreign: JSON.stringify(S.decode(structure, "zzzzzz", encoded)) ===
      JSON.stringify(S.empty(structure)),
  }));
});
"""


def test_progress_of_the_largest_benchmark_course_fits_suspend_data(tmp_path: Path) -> None:
    """The benchmark's largest course (1,000 lessons, 100 modules, each with a quiz of every
    question type) as one --course package: its fullest progress fits 4,096 characters, reads
    back as written, and progress saved by another package is ignored, not misread."""
    sys.path.insert(0, str(REPO / "bench"))
    from run import SIZES  # type: ignore[import-not-found]
    from synthetic import write_course  # type: ignore[import-not-found]

    project = write_course(tmp_path / "bench", max(SIZES))
    course = load_course(project).course
    assert course is not None and len(course.modules) == 100
    package = course_package(course, course.modules)
    structure = launch_structure(package, package_nav(package))
    result = _node_state(FULLEST, structure)
    assert result["same"] and result["foreign"]
    assert result["length"] == progress_length(structure)
    assert result["length"] <= SUSPEND_DATA_LIMIT, result["length"]


def test_a_package_whose_progress_may_not_fit_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Progress that could outgrow cmi.suspend_data is a warning naming the course file; the
    package is still written (it works, only its progress may not be kept)."""
    import generator.export.scorm as scorm

    monkeypatch.setattr(scorm, "SUSPEND_DATA_LIMIT", 10)
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "scorm", "--course", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "content/course.yml:1:1: warning: the progress of 'demo-scorm12.zip' can take" in err
    assert "more than the 10 SCORM 1.2 allows" in err
    assert (out / "demo-scorm12.zip").is_file()


@pytest.mark.browser
def test_axe_finds_nothing_on_the_course_package_launch_page(page: Any, lms: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{lms}/course/index.html")
    violations = Axe().run(page).response["violations"]
    assert [f"{v['id']}: {[n['html'] for n in v['nodes']][:3]}" for v in violations] == []
