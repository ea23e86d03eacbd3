"""Malformed content: each fixture in fixtures/malformed/ edits the minimal course and lists the
exact diagnostics the loader must give (errors and warnings), one `path:line:col: message` each."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.adapters.cli import main
from generator.load import load_course

from .conftest import FIXTURES, copy_course

CASES = sorted((FIXTURES / "malformed").glob("*.yml"))


def apply_case(case: dict[str, object], project: Path) -> None:
    """Apply a fixture's whole-file writes, string edits and removals to a course copy."""
    for rel, text in dict(case.get("files") or {}).items():  # type: ignore[call-overload]
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:  # bytes given as a list of ints, for encodings YAML cannot carry
            path.write_bytes(bytes(text))
    for rel, edits in dict(case.get("edit") or {}).items():  # type: ignore[call-overload]
        path = project / rel
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"fixture edit target {old!r} not in {rel}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    for rel in case.get("remove") or []:  # type: ignore[attr-defined]
        (project / rel).unlink()


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_malformed_content_is_reported_exactly(case_file: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    project = copy_course(FIXTURES / "minimal", tmp_path / "course")
    apply_case(case, project)
    result = load_course(project)
    errors = [str(d) for d in result.diagnostics.errors]
    warnings = [str(d) for d in result.diagnostics.warnings]
    assert errors == case.get("errors", []), "\n".join(errors)
    assert warnings == case.get("warnings", []), "\n".join(warnings)
    if case.get("errors"):
        assert not result.ok()


ERROR_CASES = [c for c in CASES if yaml.safe_load(c.read_text(encoding="utf-8")).get("errors")]


@pytest.mark.parametrize("case_file", ERROR_CASES, ids=[c.stem for c in ERROR_CASES])
def test_check_command_exits_1_with_every_message(
    case_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    project = copy_course(FIXTURES / "minimal", tmp_path / "course")
    apply_case(case, project)
    assert main(["--root", str(project), "check"]) == 1
    # Only the message lines: the CLI may add source excerpts between them.
    err = capsys.readouterr().err
    lines = err.splitlines()
    for message in case["errors"] + case.get("warnings", []):
        assert message in lines, err
    assert "Traceback" not in err


def test_there_are_enough_fixtures() -> None:
    assert len(CASES) >= 40
    assert len(ERROR_CASES) >= 40


def test_minimal_course_is_clean(minimal_course: Path) -> None:
    result = load_course(minimal_course)
    assert result.course is not None
    assert list(result.diagnostics) == []


def test_check_command_lists_every_problem_and_exits_1(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = minimal_course / "content/modules/m1/lessons/01-intro.md"
    lesson.write_text(lesson.read_text().replace("minutes: 5", "minutes: five"), encoding="utf-8")
    quiz = minimal_course / "quizzes/m1.yml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 50", "pass_mark: 150"), encoding="utf-8")
    assert main(["--root", str(minimal_course), "check"]) == 1
    err = capsys.readouterr().err
    assert "content/modules/m1/lessons/01-intro.md:4:10: 'minutes' must be a whole number" in err
    assert "quizzes/m1.yml:1:12: 'pass_mark' is 150, expected a number from 0 to 100" in err
    assert "Traceback" not in err


def test_build_with_errors_leaves_previous_site_untouched(minimal_course: Path) -> None:
    assert main(["--root", str(minimal_course), "build"]) == 0
    site = minimal_course / "site"
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    marker = (site / "index.html").read_bytes()
    (minimal_course / "content/glossary.yml").write_text("terms: [oops\n", encoding="utf-8")
    assert main(["--root", str(minimal_course), "build"]) == 1
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert (site / "index.html").read_bytes() == marker
    leftovers = [p.name for p in minimal_course.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []


def test_strict_check_turns_warnings_into_errors(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quiz = minimal_course / "quizzes/m1.yml"
    quiz.write_text(
        quiz.read_text().replace("objective: list-things", "objective: explain-things"), "utf-8"
    )
    assert main(["--root", str(minimal_course), "check"]) == 0
    assert main(["--root", str(minimal_course), "check", "--strict"]) == 1
    assert "objective 'list-things' is not assessed" in capsys.readouterr().err
