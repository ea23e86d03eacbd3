"""The `coursesmith` command through its real entry points: `main()` and the installed console
script. Exit codes 0 (ok), 1 (content errors), 2 (usage errors); errors shown with their source
line and a caret; `--help` on every subcommand, whichever subcommands exist."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import translation_files
from generator.adapters import cli
from generator.adapters.cli import _parser, main
from generator.adapters.engines import NAMES as ENGINE_NAMES
from generator.export import FORMATS
from generator.load import load_course
from generator.model import Loc
from generator.source.diagnostics import Diagnostic, SourceLines, format_report
from generator.source.languages import SHIPPED

from .conftest import FIXTURES, copy_course

SCRIPT = Path(sys.executable).parent / "coursesmith"


def subcommands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every subcommand path of the real parser, nested ones (``new course``) included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in sorted(action.choices.items()):
                yield (*prefix, name)
                yield from subcommands(sub, (*prefix, name))


COMMANDS = list(subcommands(_parser()))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def script(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(SCRIPT), *argv], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- usage -------------------------------------------------------------------------------------


def test_the_parser_has_the_authors_commands() -> None:
    for command in ("check", "build", "serve", "handouts", "schema", "new"):
        assert (command,) in COMMANDS
    for kind in ("course", "module", "lesson", "quiz"):
        assert ("new", kind) in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_help_on_every_subcommand(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, *command, "--help")
    assert status == 0
    assert out.startswith(f"usage: coursesmith {' '.join(command)}")
    # After the usage lines, one sentence says what the command does.
    said = " ".join(out.split("\n\n")[1].split())
    assert re.match(r"^[A-Z].{15,}?\.( |$)", said), said
    # An option that takes a value says what it falls back to when left out.
    for line in out.split("\n"):
        option = re.match(r"^  (--[a-z-]+) [A-Z_]+ +(.*)$", line)
        if option and option.group(1) not in ("--slug", "--id", "--site-dir", "--module"):
            assert "default" in option.group(2), line


def subparser(command: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = _parser()
    for name in command:
        (choices,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = choices.choices[name]
    return parser


# Each option whose values a core registry lists: (command, option) -> the registry.
REGISTRIES: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {
    (("export",), "format"): tuple(FORMATS),
    (("new", "course"), "--language"): SHIPPED,
    (("translate", "export"), "--format"): tuple(translation_files.FORMATS),
    **{((command,), "--engine"): ENGINE_NAMES for command in ("build", "serve", "export")},
}


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_help_lists_the_choices_of_the_core_registries(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's choices and their help come from the registries, and every value an option
    takes is named in the help: no list kept apart from the core's, no choice left unsaid."""
    status, out, _ = run(capsys, *command, "--help")
    assert status == 0
    assert re.match(r"^[A-Z].{15,}?\.( |$)", " ".join(out.split("\n\n")[1].split()))
    said = " ".join(out.split())
    for action in subparser(command)._actions:
        option = action.option_strings[-1] if action.option_strings else action.dest
        registry = REGISTRIES.get((command, option))
        if registry is not None:
            assert action.choices is None or tuple(action.choices) == registry, option
            assert all(name in said for name in registry), (option, registry, said)
        elif action.choices and not isinstance(action, argparse._SubParsersAction):
            assert (command, option) == (("check",), "--format")  # text or json, no registry
        for choice in action.choices or ():
            assert choice in said, (option, choice)


def test_the_registry_options_exist_and_the_summaries_name_every_choice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command, option in REGISTRIES:
        strings = {s for a in subparser(command)._actions for s in (*a.option_strings, a.dest)}
        assert option in strings, (command, option)
    status, out, _ = run(capsys, "--help")
    assert status == 0
    summaries = " ".join(out.split())
    packages = ", ".join(FORMATS[name].label for name in FORMATS if name != "offline")
    assert f"export write LMS packages ({packages}) or {FORMATS['offline'].label}" in summaries
    # `new` names every kind it starts, in its summary and in its description.
    kinds = [kind for *new, kind in COMMANDS if new == ["new"]]
    summary = re.search(r" new (start .*? at once)", summaries)
    _, out, _ = run(capsys, "new", "--help")
    description = " ".join(out.split("\n\n")[1].split())
    for text in (summary.group(1) if summary else "", description):
        named = re.match(r"[Ss]tart a (.*?) (that|from) ", text)
        assert named and sorted(re.split(r", | or ", named.group(1))) == kinds, text


def test_each_command_in_the_table_adds_its_own_parser() -> None:
    """The command table pairs each name with the parser it adds and the function that runs it:
    a row with another command's adder would run the wrong function."""
    for table in (cli._COMMANDS, cli._NEW_KINDS):
        for name, (add, _run) in table.items():
            commands = argparse.ArgumentParser().add_subparsers()
            add(commands)
            assert list(commands.choices) == [name]


def test_every_subcommand_takes_root_nested_ones_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in COMMANDS:
        parser = subparser(command)
        assert any("--root" in a.option_strings for a in parser._actions), command
    status, _, err = run(capsys, "new", "course", "--root", str(tmp_path), "project")
    assert status == 0, err
    assert (tmp_path / "project" / "content" / "course.yml").is_file()
    status, _, err = run(capsys, "new", "module", "second", "--root", str(tmp_path / "project"))
    assert status == 0, err
    assert (tmp_path / "project" / "content" / "modules" / "second" / "module.yml").is_file()


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["--frobnicate", "check"],
        ["check", "--frobnicate"],
        ["check", "--format", "xml"],
        ["build", "extra-argument"],
        ["handouts", "--out"],
        ["new", "module"],
    ],
    ids=lambda argv: " ".join(argv) or "(nothing)",
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert "usage: coursesmith" in err
    assert "Traceback" not in err + out


def test_console_script_help_and_usage_errors(tmp_path: Path) -> None:
    helped = script("--help", cwd=tmp_path)
    assert helped.returncode == 0
    for command in ("check", "build", "serve", "handouts", "new", "schema"):
        assert command in helped.stdout
    unknown = script("frobnicate", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "invalid choice: 'frobnicate'" in unknown.stderr
    assert script("new", "lesson", "m1", "../x", cwd=tmp_path).returncode == 2


# --- check: exit codes, caret display, JSON ----------------------------------------------------


def test_check_clean_course_exits_0(minimal_course: Path) -> None:
    done = script("--root", str(minimal_course), "check", "--strict")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    # The minimal course: one module, two lessons, its quiz and glossary, counted back.
    course = load_course(minimal_course).course
    assert course is not None
    questions = len(course.modules[0].quiz.questions) if course.modules[0].quiz else 0
    assert done.stdout == (
        f"content OK: 1 module(s), 2 lesson(s), {questions} quiz question(s), "
        f"{len(course.glossary)} glossary term(s)\n"
    )


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            "quizzes/m1.yml",
            "    lesson: intro",
            "    lesson: intor",
            "quizzes/m1.yml:6:13: unknown lesson 'intor', expected a lesson id of m1 "
            "(did you mean 'intro'?)\n"
            "  6 |     lesson: intor\n"
            "    |             ^\n"
            "1 error(s), 0 warning(s)\n",
        ),
        (
            # Front matter lines are reported as real file lines.
            "content/modules/m1/lessons/01-intro.md",
            "minutes: 5",
            "minutes: five",
            "content/modules/m1/lessons/01-intro.md:4:10: 'minutes' must be a whole number, "
            "found text 'five'\n"
            "  4 | minutes: five\n"
            "    |          ^\n"
            "1 error(s), 0 warning(s)\n",
        ),
        (
            "content/modules/m1/lessons/01-intro.md",
            "[@doe2020]",
            "[@doe2002]",
            "content/modules/m1/lessons/01-intro.md:7:32: unknown citation key 'doe2002', "
            "expected a key of content/sources.yml (did you mean 'doe2020'?)\n"
            "  7 | Welcome. Watch for model drift [@doe2002].\n"
            "    |                                ^\n"
            "1 error(s), 0 warning(s)\n",
        ),
    ],
    ids=["quiz-reference", "lesson-front-matter", "lesson-body"],
)
def test_check_shows_each_error_with_its_line_and_a_caret(
    minimal_course: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(minimal_course / rel, old, new)
    done = script("--root", str(minimal_course), "check")
    assert done.returncode == 1
    assert done.stderr == expected
    assert done.stdout == ""


def test_check_counts_warnings_and_strict_makes_them_errors(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        minimal_course / "content/glossary.yml", "Subject-matter expert.", "Subject-matter Ã©xpert."
    )
    status, _, err = run(capsys, "--root", str(minimal_course), "check")
    assert status == 0
    assert "warning: suspected mojibake 'Ã©'" in err
    assert err.endswith("0 error(s), 1 warning(s)\n")
    assert "  8 |     definition: Subject-matter Ã©xpert.\n    |" + " " * 32 + "^\n" in err
    status, _, _ = run(capsys, "--root", str(minimal_course), "check", "--strict")
    assert status == 1


def test_check_json_for_editors(minimal_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--root", str(minimal_course), "check", "--format", "json")
    assert (status, json.loads(out)) == (0, [])
    edit(minimal_course / "quizzes/m1.yml", "pass_mark: 50", "pass_mark: 150")
    status, out, err = run(capsys, "--root", str(minimal_course), "check", "--format", "json")
    assert status == 1
    assert err == ""
    assert json.loads(out) == [
        {
            "path": "quizzes/m1.yml",
            "line": 1,
            "col": 12,
            "severity": "error",
            "message": "'pass_mark' is 150, expected a number from 0 to 100",
            "hint": "",
        }
    ]


def test_check_without_content_is_a_content_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "--root", str(tmp_path), "check")
    assert status == 1
    assert "content:1:1: no content folder" in err
    assert " | " not in err  # a folder has no line to show


# --- the caret display on its own --------------------------------------------------------------


def report(root: Path, *locs: Loc) -> str:
    return format_report([Diagnostic(loc, "problem") for loc in locs], SourceLines(root))


def test_caret_display_handles_odd_places(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("key:\tvalue\nshort\n", encoding="utf-8")
    (tmp_path / "bad.yml").write_bytes(b"ok: \xff\x1b[31mred\n")
    (tmp_path / "dir").mkdir()
    text = report(
        tmp_path,
        Loc("a.yml", 1, 6),  # after a tab: the caret line keeps the tab
        Loc("a.yml", 2, 40),  # past the end of the line: caret just after it
        Loc("a.yml", 9, 1),  # past the end of the file: no excerpt
        Loc("bad.yml", 1, 5),  # undecodable byte and an escape sequence: shown replaced
        Loc("dir", 1, 1),
        Loc("missing.yml", 3, 1),
        Loc("../outside.yml", 1, 1),
    )
    assert text.split("\n") == [
        "a.yml:1:6: problem",
        "  1 | key:\tvalue",
        "    |     \t^",
        "a.yml:2:40: problem",
        "  2 | short",
        "    |      ^",
        "a.yml:9:1: problem",
        "bad.yml:1:5: problem",
        "  1 | ok: \ufffd\ufffd[31mred",
        "    |     ^",
        "dir:1:1: problem",
        "missing.yml:3:1: problem",
        "../outside.yml:1:1: problem",
        "7 error(s), 0 warning(s)",
    ]


def test_report_without_source_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("key: value\n", encoding="utf-8")
    diagnostic = Diagnostic(Loc("a.yml", 1, 6), "problem")
    assert format_report([diagnostic]) == "a.yml:1:6: problem\n1 error(s), 0 warning(s)"


# --- did you mean, for every kind of reference by id ---------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        ("quizzes/m1.yml", "lesson: details", "lesson: detials", "did you mean 'details'?"),
        ("quizzes/m1.yml", "objective: list-things", "objective: list-thing", "'list-things'?"),
        (
            "quizzes/m1.yml",
            "section: why-it-matters",
            "section: why-it-matter",
            "'why-it-matters'?",
        ),
        ("quizzes/m1.yml", "      a: Yes.", "      aa: Yes.", "did you mean 'a'?"),
        (
            "content/modules/m1/lessons/02-details.md",
            "objectives: [list-things]",
            "objectives: [list-thngs]",
            "did you mean 'list-things'?",
        ),
        ("content/modules/m1/module.yml", "  - details", "  - detail", "did you mean 'details'?"),
        ("content/course.yml", "  - m1", "  - m11", "did you mean 'm1'?"),
        ("content/modules/m1/lessons/01-intro.md", "[@doe2020]", "[@do2020]", "'doe2020'?"),
        ("quizzes/m1.yml", "    prompt: Things", "    promt: Things", "did you mean 'prompt'?"),
    ],
    ids=[
        "question-lesson",
        "question-objective",
        "question-section",
        "feedback-key",
        "lesson-objectives",
        "module-lessons",
        "course-modules",
        "citation-key",
        "field-name",
    ],
)
def test_misspelt_ids_get_a_did_you_mean_hint(
    minimal_course: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(minimal_course / rel, old, new)
    result = load_course(minimal_course)
    hints = [d.hint for d in result.diagnostics.errors]
    assert any(expected in hint for hint in hints), [str(d) for d in result.diagnostics]


def test_root_may_follow_the_subcommand(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "check", "--root", str(minimal_course))
    assert status == 0
    assert out.startswith("content OK: 1 module(s), 2 lesson(s)")
    # Given in both places, the one after the subcommand wins.
    status, out, _ = run(capsys, "--root", "/nonexistent", "check", "--root", str(minimal_course))
    assert status == 0


def test_a_shortened_id_gets_the_one_id_it_begins() -> None:
    from generator.source.diagnostics import did_you_mean

    ids = ["introduction", "key-concepts", "limitations"]
    assert did_you_mean("intro", ids) == "did you mean 'introduction'?"
    assert did_you_mean("key-concepts-2", ids) == "did you mean 'key-concepts'?"
    # Ambiguous or too short: no guess rather than a wrong one.
    assert did_you_mean("li", ids) == ""
    assert did_you_mean("intro", [*ids, "introductions"]) == ""


# --- build, handouts, new, schema: progress and exit codes ------------------------------------


def test_build_shows_progress_and_exits_0(tmp_path: Path) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    done = script("--root", str(project), "build")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[:2] == ["checking content…", "building site and handouts…"]
    assert done.stdout == f"site built in {project / 'site'}\n"
    assert (project / "site/m1/intro/index.html").is_file()


def test_build_with_errors_shows_them_and_exits_1(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(minimal_course / "content/modules/m1/module.yml", "level: beginner", "levle: beginner")
    status, out, err = run(capsys, "--root", str(minimal_course), "build")
    assert status == 1
    assert "content/modules/m1/module.yml:3:1: unknown field 'levle' in module" in err
    assert "  3 | levle: beginner\n    | ^\n" in err
    assert not (minimal_course / "site").exists()
    assert out == ""


def test_handouts_shows_progress(minimal_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--root", str(minimal_course), "handouts", "--out", "hand")
    assert status == 0, err
    assert err.splitlines() == ["checking content…", "writing handouts for 1 module(s)…"]
    pdfs = list((minimal_course / "hand/m1/handouts").glob("*.pdf"))
    assert pdfs
    assert out == f"{len(pdfs)} PDF handouts written in {minimal_course / 'hand'}\n"


def test_handouts_with_errors_exit_1(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(minimal_course / "quizzes/m1.yml", "pass_mark: 50", "pass_mark: 500")
    status, _, err = run(capsys, "--root", str(minimal_course), "handouts", "--out", "hand")
    assert status == 1
    assert "  1 | pass_mark: 500\n" in err
    assert not (minimal_course / "hand").exists()


def test_new_course_then_check_through_the_console_script(tmp_path: Path) -> None:
    made = script("new", "course", "project", "--title", "A course", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "next:" in made.stdout
    checked = script("--root", str(tmp_path / "project"), "check", "--strict")
    assert checked.returncode == 0, checked.stderr
    again = script("new", "course", "project", cwd=tmp_path)
    assert again.returncode == 1
    assert "exist already" in again.stderr


def test_schema_command_through_the_console_script(tmp_path: Path) -> None:
    done = script("--root", str(tmp_path), "schema")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("9 JSON Schemas written in")
    assert (tmp_path / "content/.schemas/quiz.schema.json").is_file()


def test_schema_into_a_file_is_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("a file\n", encoding="utf-8")
    status = main(["--root", str(tmp_path), "schema", "--out", "taken"])
    _out, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in err and "taken" in err
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "a file\n"


def test_build_without_mkdocs_yml_says_how_to_get_one(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (minimal_course / "mkdocs.yml").unlink()
    for command in ("build", "serve"):
        status, _, err = run(capsys, "--root", str(minimal_course), command)
        assert status == 1
        assert err.startswith(f"coursesmith {command}: no mkdocs.yml in ")
        assert "`coursesmith new course`" in err
        assert "site_name: My course\n  plugins: [search, coursesmith]" in err
        assert "Traceback" not in err
    assert not (minimal_course / "site").exists()


def test_the_two_lines_the_message_offers_build_the_site(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (minimal_course / "mkdocs.yml").write_text(
        "site_name: My course\nplugins: [search, {coursesmith: {pdf: false}}]\n"
    )
    status, _, err = run(capsys, "--root", str(minimal_course), "build")
    assert status == 0, err
    assert (minimal_course / "site" / "m1" / "index.html").is_file()


def test_the_export_command_offers_exactly_the_formats_the_core_exports() -> None:
    """One list of formats (generator.export.FORMATS): the command's choices and help come from
    it, and the core can export each of them."""
    from generator.export import FORMATS
    from generator.export.formats import RUNNERS

    assert set(FORMATS) == {*RUNNERS, *(name for name, row in FORMATS.items() if row.engine)}
    assert all(
        (RUNNERS[name].course is not None) == row.course
        for name, row in FORMATS.items()
        if name in RUNNERS
    )
    done = subprocess.run(
        [str(SCRIPT), "export", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "{" + ",".join(FORMATS) + "}" in done.stdout
    for name in FORMATS:
        assert f"{name}:" in " ".join(done.stdout.split())


def test_the_export_options_each_format_takes_come_from_its_registry_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A format row added to generator.export.FORMATS is offered, described and scoped by
    `coursesmith export` with nothing else changed; an option its row does not grant is refused
    with exit 2 before any work, one it grants goes through, and every format's row decides so
    for every scoped option."""
    from generator.export import ExportFormat

    fake = ExportFormat("Fake bank", "one fake file per module", course=True, strict=True)
    monkeypatch.setitem(FORMATS, "fake", fake)
    status, out, _ = run(capsys, "export", "--help")
    said = " ".join(out.split())
    assert status == 0
    assert "fake: one fake file per module" in said
    assert "gift, qti, moodle, fake: fail on a question" in said  # --strict
    assert "scorm, cmi5, xapi, fake: one package" in said  # --course
    assert "gift, qti, moodle: leave out questions" in said  # --skip-unsupported
    status, out, _ = run(capsys, "--help")
    assert "Fake bank" in " ".join(out.split())

    given = {
        "module": ["--module", "m1"],
        "course": ["--course"],
        "strict": ["--strict"],
        "engine": ["--engine", "zensical"],
        "skip_unsupported": ["--skip-unsupported"],
        "language": ["--language", "de"],
    }
    empty = tmp_path / "empty"  # no content: an option that applies ends in a content error
    empty.mkdir()
    for name, row in FORMATS.items():
        for field, argv in given.items():
            status, _, err = run(capsys, "--root", str(empty), "export", name, *argv)
            refused = f"coursesmith export {name}: {argv[0]} does not apply"
            if getattr(row, field):
                assert refused not in err and status == 1, (name, argv, err)
            else:
                assert refused in err and status == 2, (name, argv, err)
