"""Every question-bank export and every SCORM manifest, byte for byte, against golden files under
tests/goldens/ (rewritten on purpose with `make goldens`): any change in what an LMS receives
shows up as a diff to review."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from generator.adapters.cli import main

from .conftest import FIXTURES, REPO, copy_course
from .goldens import assert_golden

SHIPPED = "ai-engineers-risk-mitigation"
# (golden folder, course, quiz fixture or None for the course's own, command arguments,
#  {file written: {entry in the zip or "" for the file itself: golden name}})
CASES = [
    ("gift-m1", "minimal", "m1.yml", ["gift"], {"m1.gift": {"": "m1.gift"}}),
    ("gift-edge", "minimal", "edge.yml", ["gift"], {"m1.gift": {"": "m1.gift"}}),
    ("gift-shipped", "shipped", None, ["gift"], {f"{SHIPPED}.gift": {"": f"{SHIPPED}.gift"}}),
    (
        "qti-m1",
        "minimal",
        "m1.yml",
        ["qti"],
        {"m1-qti12.zip": {"imsmanifest.xml": "imsmanifest.xml", "m1-quiz/m1-quiz.xml": "quiz.xml"}},
    ),
    (
        "qti-shipped",
        "shipped",
        None,
        ["qti"],
        {
            f"{SHIPPED}-qti12.zip": {
                "imsmanifest.xml": "imsmanifest.xml",
                f"{SHIPPED}-quiz/{SHIPPED}-quiz.xml": "quiz.xml",
            }
        },
    ),
    ("moodle-m1", "minimal", "m1.yml", ["moodle"], {"m1-moodle.xml": {"": "m1-moodle.xml"}}),
    (
        "moodle-shipped",
        "shipped",
        None,
        ["moodle"],
        {f"{SHIPPED}-moodle.xml": {"": f"{SHIPPED}-moodle.xml"}},
    ),
    (
        "scorm-m1",
        "minimal",
        None,
        ["scorm"],
        {"m1-scorm12.zip": {"imsmanifest.xml": "imsmanifest.xml"}},
    ),
    (
        "scorm-course",
        "minimal",
        None,
        ["scorm", "--course"],
        {"demo-scorm12.zip": {"imsmanifest.xml": "imsmanifest.xml"}},
    ),
    (
        "scorm-shipped",
        "shipped",
        None,
        ["scorm"],
        {f"{SHIPPED}-scorm12.zip": {"imsmanifest.xml": "imsmanifest.xml"}},
    ),
]


@pytest.mark.parametrize(
    ("folder", "course", "quiz", "command", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_export_matches_its_golden_files(
    tmp_path: Path,
    folder: str,
    course: str,
    quiz: str | None,
    command: list[str],
    expected: dict[str, dict[str, str]],
) -> None:
    source = REPO if course == "shipped" else FIXTURES / "minimal"
    project = copy_course(source, tmp_path / "course", pdf=False)
    if quiz:
        shutil.copy(FIXTURES / "export" / "quizzes" / quiz, project / "quizzes" / "m1.yml")
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", *command, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for written, goldens in expected.items():
        for entry, golden in goldens.items():
            if entry:
                data = zipfile.ZipFile(out / written).read(entry)
            else:
                data = (out / written).read_bytes()
            assert_golden(f"{folder}/{golden}", data)
