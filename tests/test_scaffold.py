"""`coursesmith new`: every scaffold passes `check --strict` as written, a new course builds, lists
in the author's files grow by one line with comments kept, and nothing is ever overwritten."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.adapters.cli import main
from generator.authoring.scaffold import ScaffoldRefused, append_to_list, new_course
from generator.authoring.schema import SCHEMA_FOLDER, schema_files
from generator.authoring.yaml_edit import yaml_scalar
from generator.load import load_course

from .conftest import REPO, build, copy_course


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def strict_ok(project: Path) -> None:
    result = load_course(project)
    assert [str(d) for d in result.diagnostics] == []
    assert result.ok(strict=True)


class Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = self.inside or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)


def h1(page: Path) -> str:
    parser = Headings()
    parser.feed(page.read_text(encoding="utf-8"))
    return "".join(parser.text).strip().removesuffix("¶")  # the permalink


def test_new_course_checks_clean_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "My Course"
    status, out, _ = run(capsys, "new", "course", str(project), "--title", "Risk & Safety: 101")
    assert status == 0
    assert "created content/course.yml" in out
    assert "next:" in out and "content/modules/first-module/lessons/01-introduction.md" in out
    strict_ok(project)
    assert yaml.safe_load((project / "content/course.yml").read_text())["id"] == "my-course"
    assert main(["--root", str(project), "check", "--strict"]) == 0
    # The scaffold's own mkdocs.yml builds the site; PDFs off to keep the test quick.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("pdf: true", "pdf: false"), encoding="utf-8")
    site = build(project, strict=True)
    assert h1(site / "first-module/introduction/index.html") == "Introduction"
    assert (site / "first-module/quiz/index.html").is_file()
    assert (site / "first-module/handouts").is_dir()
    assert "Risk &amp; Safety: 101" in (site / "index.html").read_text(encoding="utf-8")


def test_new_course_writes_the_editor_schemas(tmp_path: Path) -> None:
    assert main(["new", "course", str(tmp_path / "c")]) == 0
    for name, text in schema_files():
        assert (tmp_path / "c" / SCHEMA_FOLDER / name).read_text(encoding="utf-8") == text
    for path in [*(tmp_path / "c/content").rglob("*.yml"), *(tmp_path / "c/quizzes").glob("*.yml")]:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        assert (path.parent / first.split("=", 1)[1]).is_file(), path


def test_new_course_mkdocs_config_matches_the_repository_one() -> None:
    """The standalone config must not drift from the one the shipped course is built with."""
    made = dict(new_course("c", "C", dt.date(2025, 1, 1)).files)
    ours = yaml.safe_load(made["mkdocs.yml"])
    repo = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("markdown_extensions", "extra_css", "extra_javascript", "validation"):
        assert ours[key] == repo[key], key
    assert ours["theme"]["features"] == repo["theme"]["features"]
    assert ours["theme"]["font"] is False
    # No path of this checkout or of an installation: Coursesmith brings its own assets.
    assert ours["docs_dir"] == "docs" and "custom_dir" not in ours["theme"]
    assert "/" not in made["mkdocs.yml"].split("site_dir:")[0].split("docs_dir:")[1].strip()
    assert str(REPO) not in made["mkdocs.yml"]


def test_new_course_is_deterministic_for_a_given_day() -> None:
    day = dt.date(2025, 1, 1)
    assert new_course("c", "C", day) == new_course("c", "C", day)


def test_new_module_lesson_and_quiz_keep_check_green(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(minimal_course)
    course_yml = minimal_course / "content/course.yml"
    course_yml.write_text(
        course_yml.read_text().replace("modules:\n", "modules: # in course order\n"), "utf-8"
    )
    status, out, _ = run(
        capsys, "--root", root, "new", "module", "data-privacy", "--code", "LRN-DP-001"
    )
    assert status == 0, out
    assert "updated content/course.yml" in out
    assert course_yml.read_text().endswith("modules: # in course order\n  - m1\n  - data-privacy\n")
    strict_ok(minimal_course)

    status, out, _ = run(capsys, "--root", root, "new", "lesson", "data-privacy", "key-ideas")
    assert status == 0, out
    lesson = minimal_course / "content/modules/data-privacy/lessons/02-key-ideas.md"
    assert lesson.is_file()
    module = yaml.safe_load(
        (minimal_course / "content/modules/data-privacy/module.yml").read_text()
    )
    assert module["lessons"] == ["introduction", "key-ideas"]
    assert module["code"] == "LRN-DP-001"
    strict_ok(minimal_course)

    status, out, _ = run(capsys, "--root", root, "new", "quiz", "data-privacy")
    assert status == 0, out
    quiz = yaml.safe_load((minimal_course / "quizzes/data-privacy.yml").read_text())
    assert sorted(q["type"] for q in quiz["questions"]) == sorted(
        ["single", "multiple", "true-false", "matching", "ordering"]
    )
    assert {q["lesson"] for q in quiz["questions"]} == {"introduction"}
    assert quiz["questions"][0]["section"] == "a-first-section"
    strict_ok(minimal_course)


def test_new_lesson_numbers_after_the_last_file(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "--root", str(minimal_course), "new", "lesson", "m1", "wrap-up", "--title", "Wrap"
    )
    assert status == 0, out
    path = minimal_course / "content/modules/m1/lessons/03-wrap-up.md"
    assert "content/modules/m1/lessons/03-wrap-up.md" in out
    assert path.read_text().startswith("---\nid: wrap-up\ntitle: Wrap\nminutes: 10\n")
    assert (
        (minimal_course / "content/modules/m1/module.yml")
        .read_text()
        .endswith("lessons:\n  - intro\n  - details\n  - wrap-up\n")
    )
    strict_ok(minimal_course)


def test_new_quiz_into_the_real_course_module_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_course(REPO, tmp_path / "real", pdf=False)
    quiz = project / "quizzes/ai-engineers-risk-mitigation.yml"
    before = quiz.read_bytes()
    status, _, err = run(
        capsys, "--root", str(project), "new", "quiz", "ai-engineers-risk-mitigation"
    )
    assert status == 1
    assert "exist already: quizzes/ai-engineers-risk-mitigation.yml" in err
    assert quiz.read_bytes() == before


def test_nothing_is_overwritten(minimal_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(minimal_course)
    snapshot = {p: p.read_bytes() for p in minimal_course.rglob("*") if p.is_file()}
    cases = [
        (["new", "course"], "exist already: content/course.yml"),
        (["new", "module", "m1"], "content/modules/m1/ exists already"),
        (["new", "lesson", "m1", "intro"], "already has a lesson 'intro'"),
        (["new", "lesson", "m1", "details"], "already has a lesson 'details'"),
        (["new", "lesson", "m1", "quiz"], "'quiz' is a name the module's own pages use"),
        (["new", "quiz", "m1"], "exist already: quizzes/m1.yml"),
        (["new", "lesson", "m2", "x"], "no module 'm2'"),
        (["new", "quiz", "m"], "did you mean 'm1'?"),
    ]
    for argv, message in cases:
        status, _, err = run(capsys, "--root", root, *argv)
        assert status == 1, argv
        assert message in err, err
    assert {p: p.read_bytes() for p in minimal_course.rglob("*") if p.is_file()} == snapshot


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "module", "../escape"],
        ["new", "module", "Data"],
        ["new", "module", "-x"],
        ["new", "lesson", "m1", "a/b"],
        ["new", "lesson", "../m1", "x"],
        ["new", "quiz", "m1.yml"],
        ["new", "course", "--id", "My Course"],
        ["new", "module", "ok", "--title", " "],
        ["new", "widget"],
        ["new"],
    ],
)
def test_bad_ids_and_kinds_are_usage_errors(
    minimal_course: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = sorted(minimal_course.rglob("*"))
    status, _, err = run(capsys, "--root", str(minimal_course), *argv)
    assert status == 2
    assert "usage: coursesmith new" in err
    assert sorted(minimal_course.rglob("*")) == before


def test_a_broken_module_file_is_reported_not_edited(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = minimal_course / "content/modules/m1/module.yml"
    module.write_text(module.read_text().replace("level: beginner", "levl: beginner"), "utf-8")
    before = module.read_bytes()
    status, _, err = run(capsys, "--root", str(minimal_course), "new", "lesson", "m1", "more")
    assert status == 1
    assert "content/modules/m1/module.yml:3:1: unknown field 'levl'" in err
    assert "  3 | levl: beginner" in err
    assert "nothing written" in err
    assert module.read_bytes() == before
    assert not (minimal_course / "content/modules/m1/lessons/03-more.md").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("modules:\n  - a\n", "modules:\n  - a\n  - new\n"),
        ("modules:\n- a\n- b\nnext: 1\n", "modules:\n- a\n- b\n- new\nnext: 1\n"),
        (
            "modules:\n    - a   # first\n\n    # later\nowner: x\n",
            "modules:\n    - a   # first\n    - new\n\n    # later\nowner: x\n",
        ),
        ("modules: [a, b] # order\n", "modules: [a, b, new] # order\n"),
        ("modules: []\n", "modules: [new]\n"),
        ("modules:\n", "modules:\n  - new\n"),
    ],
)
def test_append_to_list_keeps_layout(text: str, expected: str) -> None:
    assert append_to_list(text, "modules", "new", "course.yml") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("modules: a\n", "add it by hand"),
        ("modules:\n  - new\n", "already listed"),
        ("modules: [a\n", "not valid YAML"),
        ("id: x\n", "add it by hand"),
        ("modules: {a: 1}\n", "add it by hand"),
    ],
)
def test_append_to_list_refuses_what_it_cannot_edit(text: str, message: str) -> None:
    with pytest.raises(ScaffoldRefused, match=message):
        append_to_list(text, "modules", "new", "course.yml")


@pytest.mark.parametrize(
    "value", ["plain", "yes", "no", "null", "123", "Risk: an intro", "a # b", '"q"', "", " x "]
)
def test_yaml_scalar_reads_back_as_the_same_text(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(value)}\n") == {"key": value}


def test_new_course_folder_is_under_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "--root", str(tmp_path), "new", "course", "sub", "--id", "c")
    assert status == 0, out
    assert yaml.safe_load((tmp_path / "sub/content/course.yml").read_text())["id"] == "c"
    # The next steps name files in the new folder: the first is to go there.
    assert out.split("next:\n")[1].startswith(f"  - cd {tmp_path / 'sub'}\n")


def test_a_write_that_fails_is_reported_and_undone(
    tmp_path: Path, minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    # A file where the schema folder goes: the course files are written before it fails.
    (project / SCHEMA_FOLDER).write_text("in the way\n", encoding="utf-8")
    status, out, err = run(capsys, "--root", str(tmp_path), "new", "course", "project")
    assert status == 1
    assert "Traceback" not in err and "nothing written" in err and "created" not in out
    assert SCHEMA_FOLDER in err
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == [
        "content",
        SCHEMA_FOLDER,
    ]
    modules = minimal_course / "content/modules"
    course_before = (minimal_course / "content/course.yml").read_bytes()
    (modules / "m1").rename(tmp_path / "m1")
    modules.rmdir()
    modules.write_text("", encoding="utf-8")
    status, _out, err = run(capsys, "--root", str(minimal_course), "new", "module", "m9")
    assert status == 1 and "Traceback" not in err and "nothing written" in err
    assert (minimal_course / "content/course.yml").read_bytes() == course_before


def test_scaffolded_files_refer_only_to_files_the_project_has(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every file name a scaffolded file mentions (README.md, lessons, schemas, overrides) is a
    file of the new project: beside the file, under the project, or a pattern (<slug>, NN-)."""
    import re

    assert main(["--root", str(tmp_path), "new", "course", "p"]) == 0
    project = tmp_path / "p"
    assert main(["--root", str(project), "new", "module", "second"]) == 0
    assert main(["--root", str(project), "new", "lesson", "second", "more"]) == 0
    capsys.readouterr()
    mentioned = re.compile(r"[\w./-]*\b(?:README|[\w-]+\.(?:md|yml|yaml|json|html|txt|css|js))\b")
    missing = []
    for path in sorted(project.rglob("*")):
        if not path.is_file() or path.suffix == ".json":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name in mentioned.findall(line):
                name = name.strip("./") if name.startswith("./") else name
                if name in ("mkdocs.yml",) or "Coursesmith's README" in line:
                    continue
                if not ((path.parent / name).exists() or (project / name).exists()):
                    missing.append(f"{path.relative_to(project)}:{number}: {name}")
    assert missing == []


def test_a_german_project_is_german_from_its_first_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tmp_path), "new", "course", "p", "--language", "de"]) == 0
    course = yaml.safe_load((tmp_path / "p/content/course.yml").read_text(encoding="utf-8"))
    assert course["language"] == "de"
    config = (tmp_path / "p/mkdocs.yml").read_text(encoding="utf-8")
    assert "language: en" not in config and "Link to this section" not in config
    assert "site_description" not in config
    strict_ok(tmp_path / "p")
