"""cmi5 and xAPI (Tin Can) packages without a browser: cmi5.xml valid against cmi5's
CourseStructure.xsd (every package shape, the source and a further language), tincan.xml, the
same pages as the SCORM package (one renderer), every question type as an xAPI interaction whose
correctResponsesPattern is the quiz's own answer key, no credential in any package kind, and a
question that cannot be an interaction refused at its path:line:col with nothing written.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.adapters.cli import main
from generator.render.quiz import decode_answer

from .conftest import FIXTURES, REPO, copy_course

CMI5_XSD = REPO / "tests" / "standards" / "cmi5" / "CourseStructure.xsd"
CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
TINCAN = "{http://projecttincan.com/tincan.xsd}"
# What a credential looks like inside a package: an HTTP Basic value, a bearer token, a
# password or token given a value. Our scripts build "Basic " + token at run time, which
# none of these match.
CREDENTIALS = re.compile(
    r"Basic\s+[A-Za-z0-9+/]{8,}={0,2}|Bearer\s+[A-Za-z0-9._~+/-]{8,}"
    r"|(?:password|passwd|secret|auth-?token|api[-_]?key)[\"']?\s*[:=]\s*[\"'][^\"']{4,}",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The minimal course with the five-type quiz, and the multilingual course in German,
    exported as cmi5, xAPI and SCORM, per module and --course."""
    root = tmp_path_factory.mktemp("xapi-exports")
    project = copy_course(FIXTURES / "minimal", root / "minimal", pdf=False)
    shutil.copy(FIXTURES / "export" / "quizzes" / "m1.yml", project / "quizzes" / "m1.yml")
    german = copy_course(FIXTURES / "multilingual", root / "multilingual", pdf=False)
    out = root / "out"
    for fmt in ("cmi5", "xapi", "scorm"):
        for extra in ([], ["--course"]):
            args = ["--root", str(project), "export", fmt, *extra, "--out", str(out / "en")]
            assert main(args) == 0
            args = ["--root", str(german), "export", fmt, *extra, "--language", "de"]
            assert main([*args, "--out", str(out / "de")]) == 0
    yield out


def _xml(zip_path: Path, name: str) -> ET.Element:
    return ET.fromstring(zipfile.ZipFile(zip_path).read(name))


def test_every_cmi5_xml_is_valid_against_the_course_structure_schema(exports: Path) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(CMI5_XSD)))
    packages = sorted(exports.rglob("*-cmi5.zip"))
    assert [p.relative_to(exports).as_posix() for p in packages] == [
        "de/demo-cmi5.zip",
        "de/m1-cmi5.zip",
        "de/m2-cmi5.zip",
        "en/demo-cmi5.zip",
        "en/m1-cmi5.zip",
    ]
    for package in packages:
        document = etree.fromstring(zipfile.ZipFile(package).read("cmi5.xml"))
        assert schema.validate(document), (package, schema.error_log)
        au = document.find(f"{CMI5}au")
        assert au is not None
        assert au.get("launchMethod") == "AnyWindow"
        assert au.findtext(f"{CMI5}url") == "index.html"
        assert "index.html" in zipfile.ZipFile(package).namelist()


def test_cmi5_xml_says_the_module_move_on_mastery_and_titles(exports: Path) -> None:
    module = _xml(exports / "en" / "m1-cmi5.zip", "cmi5.xml")
    au = module.find(f"{CMI5}au")
    assert au is not None
    # The five-type quiz passes at 60 %.
    assert au.attrib == {
        "id": "urn:coursesmith:demo:m1",
        "moveOn": "CompletedAndPassed",
        "launchMethod": "AnyWindow",
        "masteryScore": "0.6",
    }
    assert au.findtext(f"{CMI5}title/{CMI5}langstring") == "DEMO-001: First Module"
    assert module.findtext(f"{CMI5}course/{CMI5}title/{CMI5}langstring") == "Demo Course"
    course = _xml(exports / "en" / "demo-cmi5.zip", "cmi5.xml").find(f"{CMI5}au")
    assert course is not None and "masteryScore" not in course.attrib
    assert course.get("moveOn") == "CompletedAndPassed"
    # The German module without a quiz (m2 has one; its own pass mark) and the German titles.
    german = _xml(exports / "de" / "m1-cmi5.zip", "cmi5.xml")
    strings = german.findall(f".//{CMI5}langstring")
    assert {s.get("lang") for s in strings} == {"de"}
    english = _xml(exports / "en" / "m1-cmi5.zip", "cmi5.xml")
    assert german.findtext(f"{CMI5}au/{CMI5}title/{CMI5}langstring") != english.findtext(
        f"{CMI5}au/{CMI5}title/{CMI5}langstring"
    )


def test_a_module_without_a_quiz_moves_on_when_completed(tmp_path: Path) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    (project / "quizzes" / "m1.yml").unlink()
    assert main(["--root", str(project), "export", "cmi5", "--out", str(tmp_path / "out")]) == 0
    au = _xml(tmp_path / "out" / "m1-cmi5.zip", "cmi5.xml").find(f"{CMI5}au")
    assert au is not None
    assert au.get("moveOn") == "Completed" and "masteryScore" not in au.attrib


def test_tincan_xml_declares_the_activity_and_its_launch(exports: Path) -> None:
    for name, activity_id, kind in (
        ("m1-xapi.zip", "urn:coursesmith:demo:m1", "module"),
        ("demo-xapi.zip", "urn:coursesmith:demo", "course"),
    ):
        root = _xml(exports / "en" / name, "tincan.xml")
        activities = root.findall(f"{TINCAN}activities/{TINCAN}activity")
        assert len(activities) == 1
        assert activities[0].get("id") == activity_id
        assert activities[0].get("type") == f"http://adlnet.gov/expapi/activities/{kind}"
        assert activities[0].findtext(f"{TINCAN}launch") == "index.html"
        assert activities[0].findtext(f"{TINCAN}name")


def test_the_packages_hold_the_same_pages_as_the_scorm_package(exports: Path) -> None:
    """One renderer: each content page of a cmi5 or xAPI package is the SCORM package's page,
    with only the shared shell's file names differing."""
    for language in ("en", "de"):
        scorm = zipfile.ZipFile(exports / language / "m1-scorm12.zip")
        pages = [n for n in scorm.namelist() if n.endswith(".html") and n != "index.html"]
        assert len(pages) >= 5
        for fmt in ("cmi5", "xapi"):
            other = zipfile.ZipFile(exports / language / f"m1-{fmt}.zip")
            for name in pages:
                expected = scorm.read(name).decode().replace("assets/scorm", "assets/package")
                assert other.read(name).decode() == expected, (fmt, name)


def _launch_data(package: Path) -> dict[str, object]:
    html = zipfile.ZipFile(package).read("index.html").decode()
    found = re.search(r'<script type="application/json" id="cs-launch">(.*?)</script>', html)
    assert found
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_every_question_type_is_an_interaction_with_its_answer_key(exports: Path) -> None:
    data = _launch_data(exports / "en" / "m1-cmi5.zip")
    assert data["lessons"] == {"m1/details.html": "Details", "m1/intro.html": "Introduction"}
    assert data["mastery"] == 0.6
    interactions = decode_answer(str(data["key"]), str(data["interactions"]))["m1"]
    assert isinstance(interactions, dict)
    kinds = {k: v["definition"]["interactionType"] for k, v in interactions.items()}
    assert kinds == {
        "q-specials": "choice",
        "q-several": "choice",
        "q-nothing": "true-false",
        "q-pairs": "matching",
        "q-order": "sequencing",
    }
    patterns = {k: v["definition"]["correctResponsesPattern"] for k, v in interactions.items()}
    assert patterns == {
        "q-specials": ["a"],
        "q-several": ["a[,]c"],
        "q-nothing": ["false"],
        "q-pairs": ["cat[.]m0[,]rock[.]m1[,]rose[.]m2"],
        "q-order": ["one[,]two[,]three"],
    }
    pairs = interactions["q-pairs"]["definition"]
    targets = {t["id"]: t["description"]["en"] for t in pairs["target"]}
    assert targets == {"m0": "Animal", "m1": "Mineral", "m2": "Plant"}
    assert {s["id"] for s in pairs["source"]} == {"cat", "rose", "rock"}
    specials = interactions["q-specials"]["definition"]
    # Plain text, Markdown emphasis taken off; the number as the quiz page says it.
    assert specials["description"] == {
        "en": "Which one holds {braces}, = signs, ~ tildes, # hashes and: colons?"
    }
    assert specials["name"] == {"en": "DEMO-001 · Question 1 of 5"}
    for value in interactions.values():
        assert value["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert value["id"].startswith("questions/m1/")
    # The launch page does not show the answers in the clear.
    html = zipfile.ZipFile(exports / "en" / "m1-cmi5.zip").read("index.html").decode()
    assert "correctResponsesPattern" not in html and "a[,]c" not in html


def test_german_packages_speak_german(exports: Path) -> None:
    html = zipfile.ZipFile(exports / "de" / "m1-cmi5.zip").read("index.html").decode()
    assert '<html lang="de">' in html
    assert "This course was not opened" not in html
    data = _launch_data(exports / "de" / "m1-cmi5.zip")
    interactions = decode_answer(str(data["key"]), str(data["interactions"]))["m1"]
    assert all(set(v["definition"]["description"]) == {"de"} for v in interactions.values())


def credentials_in(package: Path) -> list[str]:
    """Every credential-looking string in every file of a package, as ``file: match``."""
    found = []
    with zipfile.ZipFile(package) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            found += [f"{name}: {m.group(0)}" for m in CREDENTIALS.finditer(text)]
    return found


def test_no_package_holds_a_credential(exports: Path, tmp_path: Path) -> None:
    packages = sorted(exports.rglob("*.zip"))
    assert len(packages) == 15
    for package in packages:
        assert credentials_in(package) == [], package
    # The check finds one when it is there.
    planted = tmp_path / "planted.zip"
    with zipfile.ZipFile(planted, "w") as archive:
        archive.writestr("a.js", 'headers: {"Authorization": "Basic bG1zOnNlY3JldC1wYXNz"}')
        archive.writestr("b.js", 'var config = {password: "hunter22"};')
        archive.writestr("c.json", '{"auth-token": "QWxhZGRpbjpvcGVu"}')
    assert len(credentials_in(planted)) == 3


def test_a_question_that_cannot_be_an_interaction_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As if xAPI had no matching interaction: the matching question is reported at its place,
    nothing is written and the earlier export stays."""
    import generator.export.xapi as xapi

    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    shutil.copy(FIXTURES / "export" / "quizzes" / "m1.yml", project / "quizzes" / "m1.yml")
    out = tmp_path / "out"
    for fmt in ("cmi5", "xapi"):
        assert main(["--root", str(project), "export", fmt, "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    kinds = {k: v for k, v in xapi.INTERACTION_TYPES.items() if k != "matching"}
    monkeypatch.setattr(xapi, "INTERACTION_TYPES", kinds)
    lines = (project / "quizzes" / "m1.yml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "id: pairs" in text)
    for fmt in ("cmi5", "xapi"):
        for extra in ([], ["--course"]):
            assert main(["--root", str(project), "export", fmt, *extra, "--out", str(out)]) == 1
            err = capsys.readouterr().err
            assert f"quizzes/m1.yml:{line}:5: question 'pairs' is of type 'matching'" in err
            assert "nothing written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_delimiter_in_an_id_is_refused(tmp_path: Path) -> None:
    """An id holding '[,]' would split the learner's response: the loader refuses such ids
    already, and the export checks again, on the model it is given."""
    import dataclasses

    from generator.export.package import module_package
    from generator.export.xapi import problems
    from generator.load import load_course

    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    course = load_course(project).course
    assert course is not None
    module = course.modules[0]
    assert module.quiz is not None
    question = module.quiz.questions[0]
    choice = dataclasses.replace(question.choices[0], id="a[,]b")
    bad = dataclasses.replace(question, choices=(choice, *question.choices[1:]))
    quiz = dataclasses.replace(module.quiz, questions=(bad, *module.quiz.questions[1:]))
    found = problems(module_package(course, dataclasses.replace(module, quiz=quiz)))
    assert [(str(p.loc.path), p.message.split(";")[0]) for p in found] == [
        (
            "quizzes/m1.yml",
            "question 'q1' is answered by the id 'a[,]b', which holds a response-pattern delimiter",
        )
    ]


def test_the_site_itself_loads_no_xapi_client(real_site: Path) -> None:
    """The xAPI runtime lives in the packages only: the published site neither ships nor loads
    it (a site page knows no record store)."""
    runtime = {"xapi.js", "cmi5.js", "tincan.js"}
    assert not [p for p in real_site.rglob("*") if p.name in runtime]
    for page in real_site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert not any(f"/{name}" in text or f'"{name}' in text for name in runtime), page
