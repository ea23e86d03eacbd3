"""YAML bombs, Python tags and path-like ids: refused with path:line:col, and nothing written
outside the output folder even when a hostile id gets past the loader."""

from __future__ import annotations

import dataclasses
import tracemalloc
from pathlib import Path

import pytest

from generator.adapters.cli import main
from generator.load import load_course
from generator.render.disk import UnsafePathError, target, write_pages
from generator.render.pages import render_site
from generator.render.pdf import publish_handouts

from .conftest import FIXTURES, MINIMAL_YAML_FILES, copy_course

LESSON = "content/modules/m1/lessons/02-details.md"


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """``levels`` levels of ``width``-way aliases: width**levels leaves if ever expanded."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def load_measured(project: Path) -> tuple[list[str], int]:
    """Every error as text, and the peak memory (bytes) Python allocated while loading."""
    tracemalloc.start()
    try:
        result = load_course(project)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return [str(d) for d in result.diagnostics.errors], peak


@pytest.mark.parametrize("rel", [*MINIMAL_YAML_FILES, LESSON])
def test_alias_bomb_is_refused_without_growing_memory(rel: str, minimal_course: Path) -> None:
    bomb = alias_bomb()
    path = minimal_course / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    offset = 0
    if rel.endswith(".md"):
        path.write_text(f"---\n{bomb}---\nBody.\n", encoding="utf-8")
        offset = 1
    else:
        path.write_text(bomb, encoding="utf-8")
    errors, peak = load_measured(minimal_course)
    expected = (
        f"{rel}:{1 + offset}:5: anchors (&name) are not allowed in course files, "
        "expected plain values"
    )
    assert expected in errors, errors
    assert peak < 5_000_000, f"loading a refused bomb peaked at {peak} bytes"


def test_alias_without_anchor_is_refused_at_the_alias(minimal_course: Path) -> None:
    quiz = minimal_course / "quizzes/m1.yml"
    quiz.write_text("pass_mark: 50\nquestions: [*q, *q, *q]\n", encoding="utf-8")
    errors, peak = load_measured(minimal_course)
    assert errors == [
        "quizzes/m1.yml:2:13: aliases (*name) are not allowed in course files, "
        "expected plain values"
    ]
    assert peak < 5_000_000


PYTHON_TAGS = [
    "!!python/object/apply:os.system [{command}]",
    "!!python/object/new:os.system [{command}]",
    "!!python/name:os.system",
    "!<tag:yaml.org,2002:python/object/apply:os.system> [{command}]",
    "!!python/object/apply:subprocess.check_output [[sh, -c, {command}]]",
]


TAG_FILES = [
    "content/course.yml",
    "content/modules/m1/module.yml",
    "content/modules/m1/components/checklist.yml",
    "quizzes/m1.yml",
]


@pytest.mark.parametrize("rel", TAG_FILES)
@pytest.mark.parametrize("tag", PYTHON_TAGS, ids=[f"tag{i}" for i in range(len(PYTHON_TAGS))])
def test_python_tags_are_refused_and_never_run(
    rel: str, tag: str, minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    witness = tmp_path / "ran"
    value = tag.format(command=f"'touch {witness}'")
    path = minimal_course / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    # Replace the first top-level scalar field's value, keeping every line number.
    index = next(i for i, line in enumerate(lines) if ": " in line and not line.startswith(" "))
    key = lines[index].split(":")[0]
    lines[index] = f"{key}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert main(["--root", str(minimal_course), "check"]) == 1
    err = capsys.readouterr().err
    col = len(key) + 3
    shown = value.split(" ")[0].replace("!<tag:yaml.org,2002:", "!!").rstrip(">")
    assert f"{rel}:{index + 1}:{col}: YAML tag '{shown}' is not allowed" in err, err
    assert not witness.exists()


def test_local_tags_are_refused(minimal_course: Path) -> None:
    course = minimal_course / "content/course.yml"
    course.write_text(
        course.read_text(encoding="utf-8").replace("owner: QA", "owner: !secret QA"), "utf-8"
    )
    errors, _ = load_measured(minimal_course)
    assert errors == [
        "content/course.yml:7:8: YAML tag '!secret' is not allowed, expected plain values"
    ]


# --- paths ------------------------------------------------------------------------------------

HOSTILE_IDS = ["../../x", "/etc/passwd", "a\\b", "..", "", "sm\u0435", "\uff44etails", "a/b"]


def snapshot(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("hostile", HOSTILE_IDS, ids=[f"id{i}" for i in range(len(HOSTILE_IDS))])
def test_hostile_lesson_and_module_ids_fail_the_build_and_write_nothing(
    hostile: str, tmp_path: Path
) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "nest" / "course", pdf=False)
    quoted = "'" + hostile.replace("'", "''") + "'"
    lesson = project / LESSON
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("id: details", f"id: {quoted}"), "utf-8"
    )
    module = project / "content/modules/m1/module.yml"
    module.write_text(
        module.read_text(encoding="utf-8").replace("  - details", f"  - {quoted}"), "utf-8"
    )
    course = project / "content/course.yml"
    course.write_text(
        course.read_text(encoding="utf-8").replace("  - m1", f"  - m1\n  - {quoted}"), "utf-8"
    )
    before = snapshot(tmp_path)
    assert main(["--root", str(project), "build"]) == 1
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("hostile", ["../../escape", "/tmp/escape", "..\\escape", "../site2"])
def test_a_hostile_slug_past_the_loader_still_writes_nothing_outside(
    hostile: str, tmp_path: Path
) -> None:
    """Defence in depth: the writers refuse a path that leaves the output folder."""
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    course = load_course(project).course
    assert course is not None
    module = dataclasses.replace(course.modules[0], slug=hostile)
    course = dataclasses.replace(course, modules=(module,))
    out = tmp_path / "course" / "out" / "site"
    out.mkdir(parents=True)
    before = snapshot(tmp_path)
    with pytest.raises(UnsafePathError):
        write_pages(render_site(course), out)
    with pytest.raises(UnsafePathError):
        publish_handouts(course, out, "0123456789ab", pdf=False)
    outside = [p for p in snapshot(tmp_path) if not p.startswith("course/out/site")]
    assert outside == [p for p in before if not p.startswith("course/out/site")]


@pytest.mark.parametrize(
    "relative", ["../x", "/etc/passwd", "a\\b", "\\x", "a/../../x", "./../x", "a/./../../x"]
)
def test_target_refuses_paths_that_leave_the_folder(relative: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        target(tmp_path / "out", relative)


def test_target_keeps_paths_inside(tmp_path: Path) -> None:
    assert target(tmp_path / "out", "m1/index.md") == (tmp_path / "out" / "m1/index.md").resolve()
