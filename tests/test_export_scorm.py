"""SCORM 1.2 export: the manifest lists exactly the files in the zip, and the package, run in
Chromium inside a test page that plays the LMS (a recording SCORM 1.2 ``API`` object), reports
initialise, incomplete, the page shown, the quiz score and passed or failed, and finish, with no
LMSCommit while the page unloads. Without an LMS the module still works, with no script error.
The same packages under the real scorm-again runtime are in test_export_scorm_runtime.py."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.adapters.cli import main

from .conftest import FIXTURES, copy_course, serve_folder

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
QUIZ_PAGE = "m1/quiz.html"
HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script>
  window.calls = [];
  window.cmi = {"cmi.core.lesson_status": "not attempted", "cmi.core.lesson_location": ""};
  function record(name) {
    return function () {
      window.calls.push([name].concat(Array.prototype.slice.call(arguments).map(String)));
      return "true";
    };
  }
  window.API = {
    LMSInitialize: record("LMSInitialize"),
    LMSFinish: record("LMSFinish"),
    LMSCommit: record("LMSCommit"),
    LMSGetValue: function (name) {
      window.calls.push(["LMSGetValue", name]);
      return window.cmi[name] || "";
    },
    LMSSetValue: function (name, value) {
      window.calls.push(["LMSSetValue", name, String(value)]);
      window.cmi[name] = String(value);
      return "true";
    },
    LMSGetLastError: function () { return "0"; },
    LMSGetErrorString: function () { return ""; },
    LMSGetDiagnostic: function () { return ""; }
  };
</script></head>
<body>
<iframe id="sco" title="Course" src="sco/index.html" style="width:1000px;height:700px"></iframe>
</body></html>
"""
SCO_FRAME = (
    '<iframe id="sco" title="Course" src="sco/index.html" style="width:1000px;height:700px">'
)
SCO_WINDOW = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Course window</title></head>
<body>{SCO_FRAME}</iframe></body></html>
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal course exported as SCORM through the real command."""
    root = tmp_path_factory.mktemp("scorm")
    project = copy_course(FIXTURES / "minimal", root / "course", pdf=False)
    assert main(["--root", str(project), "export", "scorm", "--out", str(root / "out")]) == 0
    return root / "out" / "m1-scorm12.zip"


@pytest.fixture(scope="module")
def lms_url(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The package unzipped under sco/ beside the harness page, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("lms")
    zipfile.ZipFile(package).extractall(folder / "sco")
    (folder / "harness.html").write_text(HARNESS, encoding="utf-8")
    # An LMS that opens the package in a window of its own, which shows it in a frame.
    opener = HARNESS.replace(SCO_FRAME, "")
    (folder / "opener.html").write_text(opener, encoding="utf-8")
    (folder / "window.html").write_text(SCO_WINDOW, encoding="utf-8")
    url, server = serve_folder(folder)
    yield url
    server.shutdown()


def test_manifest_lists_exactly_the_files_of_the_zip(package: Path) -> None:
    archive = zipfile.ZipFile(package)
    names = set(archive.namelist())
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "ADL SCORM"
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "1.2"
    organizations = manifest.find(f"{CP}organizations")
    assert organizations is not None
    default = organizations.get("default")
    (organization,) = organizations.findall(f"{CP}organization")
    assert organization.get("identifier") == default
    (item,) = organization.findall(f"{CP}item")
    assert item.findtext(f"{ADLCP}masteryscore") == "50"
    (resource,) = manifest.findall(f"{CP}resources/{CP}resource")
    assert item.get("identifierref") == resource.get("identifier")
    assert resource.get(f"{ADLCP}scormtype") == "sco"
    assert resource.get("type") == "webcontent"
    assert resource.get("href") == "index.html"
    listed = [f.get("href") for f in resource.findall(f"{CP}file")]
    assert len(listed) == len(set(listed))
    assert set(listed) == names - {"imsmanifest.xml"}
    assert {"index.html", QUIZ_PAGE, "m1/intro.html", "assets/scorm.js", "assets/quiz.js"} <= names
    # Pages refer only to files inside the package: no other host, no missing file.
    for name in sorted(n for n in names if n.endswith(".html")):
        html = archive.read(name).decode("utf-8")
        assert "http://" not in html.replace("http://www.w3.org", "")
        for attr in ("src", "href"):
            for value in _attributes(html, attr):
                if value.startswith(("#", "https://", "mailto:")):
                    continue
                target = _resolve(name, value.split("#")[0])
                assert target in names, f"{name} refers to {value}, which is not in the package"


def test_the_quiz_page_says_the_score_goes_to_the_lms(package: Path) -> None:
    """The site's quiz says the score stays in the browser; inside an LMS that would be false."""
    archive = zipfile.ZipFile(package)
    [quiz] = [n for n in archive.namelist() if n.endswith(".html") and "quiz" in n]
    text = " ".join(archive.read(quiz).decode("utf-8").split())
    assert "your score is sent to your learning platform" in text
    assert "in this browser only" not in text


def _attributes(html: str, attribute: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(v or "" for k, v in attrs if k == attribute)

    Collect().feed(html)
    return found


def _resolve(page: str, href: str) -> str:
    import posixpath

    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def _take_quiz(page: object, lms_url: str, right: bool) -> list[list[str]]:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{lms_url}/harness.html")
    sco = page.frame_locator("#sco")
    sco.get_by_role("link", name="Quiz").click()
    content = sco.frame_locator("#cs-content")
    content.locator("#q-q1").get_by_label("A thing" if right else "Not a thing", exact=True).check()
    content.locator("#q-q1").get_by_role("button", name="Check answer").click()
    content.locator("#q-q2").get_by_label("True" if right else "False", exact=True).check()
    content.locator("#q-q2").get_by_role("button", name="Check answer").click()
    content.locator("[data-cs-verdict]").wait_for()
    page.wait_for_function(
        "window.calls.some(c => c[1] === 'cmi.core.lesson_status' && c[2] !== 'incomplete')"
    )
    # Leaving the module (the LMS closes its frame) ends the session.
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
    assert errors == []
    calls: list[list[str]] = json.loads(page.evaluate("JSON.stringify(window.calls)"))
    return calls


def _values(calls: list[list[str]], name: str) -> list[str]:
    return [c[2] for c in calls if c[0] == "LMSSetValue" and c[1] == name]


@pytest.mark.browser
def test_a_passing_run_reports_score_passed_location_and_finish(page: object, lms_url: str) -> None:
    calls = _take_quiz(page, lms_url, right=True)
    assert calls[0] == ["LMSInitialize", ""]
    assert calls[-1] == ["LMSFinish", ""]
    assert [c[0] for c in calls].count("LMSInitialize") == 1
    assert [c[0] for c in calls].count("LMSFinish") == 1
    assert _values(calls, "cmi.core.lesson_status") == ["incomplete", "passed"]
    assert _values(calls, "cmi.core.score.raw") == ["100"]
    assert _values(calls, "cmi.core.score.min") == ["0"]
    assert _values(calls, "cmi.core.score.max") == ["100"]
    assert _values(calls, "cmi.core.lesson_location")[-1] == QUIZ_PAGE
    # "suspend" while unfinished, "" once passed.
    assert _values(calls, "cmi.core.exit") == ["suspend", ""]
    (session,) = _values(calls, "cmi.core.session_time")
    assert len(session.split(":")) == 3 and all(p.isdigit() for p in session.split(":"))
    # The unload does only this: the session time, then LMSFinish (no LMSCommit).
    assert calls[-2:] == [
        ["LMSSetValue", "cmi.core.session_time", session],
        ["LMSFinish", ""],
    ]
    status = max(i for i, c in enumerate(calls) if c[1:2] == ["cmi.core.lesson_status"])
    assert ["LMSCommit", ""] in calls[status:]
    # Progress is kept for the next launch, and every commit follows a change.
    assert _values(calls, "cmi.suspend_data")[-1].startswith("1")
    commits = [i for i, c in enumerate(calls) if c[0] == "LMSCommit"]
    for before, commit in zip([0, *commits], commits, strict=False):
        assert any(c[0] == "LMSSetValue" for c in calls[before:commit]), calls[before:commit]


@pytest.mark.browser
def test_a_failing_run_reports_failed(page: object, lms_url: str) -> None:
    calls = _take_quiz(page, lms_url, right=False)
    assert _values(calls, "cmi.core.lesson_status") == ["incomplete", "failed"]
    assert _values(calls, "cmi.core.score.raw") == ["0"]
    # Failed is not finished: the learner may come back and retry, with the progress kept.
    assert _values(calls, "cmi.core.exit") == ["suspend"]
    assert calls[-1] == ["LMSFinish", ""]
    assert "LMSCommit" not in [c[0] for c in calls[-2:]]


@pytest.mark.browser
def test_the_api_is_found_through_the_opener_of_the_window_holding_the_package(
    page: object, lms_url: str
) -> None:
    """Some LMSs open a window of their own that shows the package in a frame: the frame has no
    opener, the window it is in has, and the API is there (window.top.opener)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{lms_url}/opener.html")
    with page.context.expect_page() as opened:
        page.evaluate("window.open('window.html', 'course')")
    # The window's load event waits for its frame, whose adapter starts as it loads.
    opened.value.wait_for_load_state("load")
    calls: list[list[str]] = json.loads(page.evaluate("JSON.stringify(window.calls)"))
    assert calls[:1] == [["LMSInitialize", ""]]
    assert _values(calls, "cmi.core.lesson_status") == ["incomplete"]


@pytest.mark.browser
def test_without_an_lms_the_module_works_and_raises_no_error(page: object, lms_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{lms_url}/sco/index.html")
    assert page.evaluate("typeof window.API") == "undefined"
    page.get_by_role("link", name="Introduction").click()
    content = page.frame_locator("#cs-content")
    expect(content.locator("h1")).to_have_text("Introduction")
    expect(page.get_by_role("link", name="Introduction")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Quiz").click()
    question = content.locator("#q-q1")
    question.get_by_label("Not a thing", exact=True).check()
    question.get_by_role("button", name="Check answer").click()
    expect(question.locator("[data-cs-result]")).to_contain_text("Not quite")
    # A content page opened on its own works too.
    page.goto(f"{lms_url}/sco/{QUIZ_PAGE}")
    expect(page.locator("#q-q2 legend")).to_contain_text("Things exist")
    assert errors == []


@pytest.mark.browser
def test_axe_finds_nothing_on_any_page_of_the_package(page: object, lms_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    found = {}
    for name in ("index.html", "m1/index.html", "m1/intro.html", QUIZ_PAGE, "glossary.html"):
        page.goto(f"{lms_url}/sco/{name}")
        violations = Axe().run(page).response["violations"]
        found[name] = [f"{v['id']}: {[n['html'] for n in v['nodes']][:3]}" for v in violations]
    assert found == {name: [] for name in found}


SCHEMAS = Path(__file__).parent / "standards" / "scorm12"
# The SCORM 1.2 schemas of the three namespaces a manifest may use, imported side by side.
SCHEMA_SET = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
<xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  schemaLocation="{(SCHEMAS / "imscp_rootv1p1p2.xsd").as_uri()}"/>
<xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  schemaLocation="{(SCHEMAS / "adlcp_rootv1p2.xsd").as_uri()}"/>
<xsd:import namespace="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
  schemaLocation="{(SCHEMAS / "imsmd_rootv1p2p1.xsd").as_uri()}"/>
</xsd:schema>"""


def assert_valid_manifest(manifest: bytes) -> None:
    """The manifest is valid against the SCORM 1.2 schemas (IMS CP 1.1.2, ADL CP 1.2, IMS MD
    1.2.1, IMS XML), kept under tests/standards/scorm12/ as published."""
    import xmlschema

    # ims_xml.xsd as published binds the default namespace to the xml namespace, which
    # Namespaces in XML forbids: building the schema set "lax" skips that one import and uses
    # xmlschema's own definition of the xml namespace (xml:lang, xml:base). Nothing else may
    # go wrong while the schemas are built.
    schema = xmlschema.XMLSchema10(SCHEMA_SET, validation="lax")
    assert [str(e) for e in schema.all_errors] == []
    errors = [str(e).split("\n")[0] for e in schema.iter_errors(manifest.decode("utf-8"))]
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize(
    ("source", "extra"),
    [("minimal", []), ("minimal", ["--course"]), ("shipped", []), ("shipped", ["--course"])],
)
def test_manifests_are_valid_against_the_scorm_12_schemas(
    tmp_path: Path, source: str, extra: list[str]
) -> None:
    from .conftest import REPO

    project = copy_course(
        REPO if source == "shipped" else FIXTURES / "minimal", tmp_path / "course", pdf=False
    )
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "scorm", "--out", str(out), *extra]) == 0
    (package,) = out.iterdir()
    assert_valid_manifest(zipfile.ZipFile(package).read("imsmanifest.xml"))


def test_the_schema_check_fails_on_a_manifest_the_schemas_do_not_allow(package: Path) -> None:
    manifest = zipfile.ZipFile(package).read("imsmanifest.xml")
    wrong = manifest.replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="lesson"')
    with pytest.raises(AssertionError, match=r"'lesson'.*'asset', 'sco'"):
        assert_valid_manifest(wrong)


def test_the_course_package_holds_every_module_in_one_sco(tmp_path: Path) -> None:
    """--course: one organisation, one item, one SCO, no mastery score (the course passes when
    every module quiz is passed, which no single mark expresses), every module's pages."""
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "scorm", "--course", "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["demo-scorm12.zip"]
    archive = zipfile.ZipFile(out / "demo-scorm12.zip")
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    (item,) = manifest.iter(f"{CP}item")
    assert item.find(f"{ADLCP}masteryscore") is None
    (resource,) = manifest.iter(f"{CP}resource")
    assert resource.get(f"{ADLCP}scormtype") == "sco"
    assert {"m1/index.html", "m1/intro.html", QUIZ_PAGE, "glossary.html"} <= set(archive.namelist())
    assert main(["--root", str(project), "export", "scorm", "--course", "--module", "m1"]) == 2


# --- the quiz-state message, shared by every runtime adapter -----------------------------------

STATE_JS = Path(__file__).resolve().parents[1] / "site_templates/export/scorm/scorm-state.js"
# A launch page's description of one quiz (as launch_structure writes it), and messages a quiz
# page sends after a check: valid answers, a foreign option, another package's quiz, a retry.
TAKE_QUIZ_STATE = """
const S = require(process.argv[1]);
const structure = {pages: ["m1/quiz.html"], quizzes: [{slug: "m1", pass: 50, total: 4, questions: [
  {id: "q-a", type: "single", points: 1, options: ["x", "y"], rows: []},
  {id: "q-b", type: "multiple", points: 2, options: ["p", "q", "r"], rows: []},
  {id: "q-c", type: "matching", points: 1, options: ["m0", "m1"], rows: ["l1", "l2"]}]}]};
const state = S.empty(structure), heard = [], out = [];
const take = (answers, quiz) => {
  const taken = S.takeQuizState(structure, state, {type: "coursesmith:quiz-state",
    quiz: quiz || "m1", answers}, (slug, id, kept) => heard.push([slug, id, kept.points]));
  out.push([taken, JSON.parse(JSON.stringify(state.quizzes.m1))]);
};
take({"q-a": {answer: ["x"], right: true}, "q-b": {answer: ["p", "zz"], right: true}});
take({"q-a": {answer: ["x"], right: true}, "q-b": {answer: ["p", "r"], right: false},
      "q-c": {answer: {l1: "m0", l2: "m1"}, right: true}});
take({"q-a": {answer: ["y"], right: false}});
take({"q-a": {answer: ["y"], right: true}}, "other");
take("not an object");
console.log(JSON.stringify({out, heard}));
"""


def test_every_runtime_takes_quiz_state_through_the_shared_state_script(tmp_path: Path) -> None:
    """One rule for what a quiz page's answers mean to the package (scorm-state.js's
    takeQuizState), which the SCORM, cmi5 and xAPI adapters all call: only valid answers are
    kept, each worth its points when right; the result follows once every question is
    answered and a retry keeps it until then; another package's quiz changes nothing."""
    from .node_clients import node_executable

    done = subprocess.run(
        [node_executable(), "-e", TAKE_QUIZ_STATE, str(STATE_JS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout)
    taken = [t for t, _ in result["out"]]
    saved = [s for _, s in result["out"]]
    assert taken == [True, True, True, False, False]
    assert saved[0] == {
        "answers": {"q-a": {"answer": ["x"], "points": 1, "right": True}},
        "result": None,
    }
    assert saved[1]["result"] == 50 and set(saved[1]["answers"]) == {"q-a", "q-b", "q-c"}
    assert saved[2] == {
        "answers": {"q-a": {"answer": ["y"], "points": 0, "right": False}},
        "result": 50,
    }
    assert saved[3] == saved[2] == saved[4]
    assert result["heard"] == [
        ["m1", "q-a", 1],
        ["m1", "q-a", 1],
        ["m1", "q-b", 0],
        ["m1", "q-c", 1],
        ["m1", "q-a", 0],
    ]
    # The adapters of every package kind call it and keep no copy of the rule.
    root = tmp_path / "course"
    project = copy_course(FIXTURES / "minimal", root, pdf=False)
    for kind in ("scorm", "cmi5", "xapi"):
        assert main(["--root", str(project), "export", kind, "--out", str(tmp_path / kind)]) == 0
        (zipped,) = (tmp_path / kind).glob("*.zip")
        with zipfile.ZipFile(zipped) as archive:
            scripts = {
                n: archive.read(n).decode("utf-8")
                for n in archive.namelist()
                if n.endswith(".js") and n != "assets/quiz.js"
            }
        rule = [n for n, text in scripts.items() if "function takeQuizState" in text]
        assert rule == [next(n for n in scripts if n.endswith("-state.js"))], kind
        callers = [n for n, text in scripts.items() if "CoursesmithState.takeQuizState(" in text]
        assert len(callers) == 1, (kind, callers)
        assert not any("CoursesmithState.valid(" in text for text in scripts.values()), kind
