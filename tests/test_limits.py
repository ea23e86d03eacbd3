"""Limits instead of exhaustion: a file too large, Markdown or YAML nested too deep, a glossary
too long or an image too large is one `path:line:col` message from `check`, given before the
expensive step it guards. Each input is generated here far past its limit, as an attacker would
write it; the time bound is generous (the real figures are in bench/README.md). The benchmark's
1,000-lesson course stays far inside every limit."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.adapters.cli import main
from generator.load import load_course
from generator.source import limits

from .conftest import FIXTURES, REPO, copy_course

sys.path.insert(0, str(REPO / "bench"))
from synthetic import write_course

LESSON = "content/modules/m1/lessons/01-intro.md"
# Not a timing test: only "within seconds, not minutes or gigabytes".
GENEROUS = 30.0


def _body(project: Path, text: str) -> None:
    path = project / LESSON
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def _nested_list(project: Path) -> None:
    # 1,000 levels: 10,000 levels indented so are 100 MB, past the file size limit.
    _body(project, "\n".join("  " * i + f"- level {i + 1}" for i in range(1_000)))


def _nested_list_one_line(project: Path) -> None:
    _body(project, "- " * 10_000 + "deep")


def _nested_blockquote(project: Path) -> None:
    _body(project, ">" * 100_000 + " deep")


def _huge_lesson(project: Path) -> None:
    _body(project, ("A sentence of a lesson that goes on. " * 27 + "\n\n") * 50_000)


def _huge_glossary(project: Path) -> None:
    terms = "".join(
        f"  - id: t{n}\n    term: term {n}\n    definition: Term {n}.\n" for n in range(100_000)
    )
    (project / "content/glossary.yml").write_text("terms:\n" + terms, encoding="utf-8")


def _long_glossary(project: Path) -> None:
    count = limits.MAX_GLOSSARY_TERMS + 1
    terms = "".join(f"  - {{id: t{n}, term: t{n}, definition: d}}\n" for n in range(count))
    (project / "content/glossary.yml").write_text("terms:\n" + terms, encoding="utf-8")


def _deep_yaml_flow(project: Path) -> None:
    path = project / "content/sources.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + "deep: " + "[" * 10_000 + "]" * 10_000 + "\n",
        encoding="utf-8",
    )


def _deep_yaml_block(project: Path) -> None:
    lines = "".join(" " * i + f"k{i}:\n" for i in range(1_000))
    (project / "content/glossary.yml").write_text(lines + " " * 1_000 + "v: 1\n", encoding="utf-8")


def _deep_markdown_field(project: Path) -> None:
    path = project / "content/modules/m1/module.yml"
    text = path.read_text(encoding="utf-8")
    nested = "".join("    " + "  " * i + f"- level {i}\n" for i in range(1_000))
    path.write_text(text.replace("summary: A module about things.", "summary: |\n" + nested))


def _huge_image(project: Path) -> None:
    image = project / "content/modules/m1/lessons/photo.png"
    with image.open("wb") as handle:  # sparse: nothing is written but the size
        handle.truncate(limits.MAX_IMAGE_BYTES + 1)
    _body(project, "![A photo](photo.png)")


LESSON_AT = "content/modules/m1/lessons/01-intro.md"
CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "nested-list": (
        _nested_list,
        f"{LESSON_AT}:37:41: lists and blockquotes nest 21 deep here, more than the 20 levels "
        "allowed, expected a flatter structure",
    ),
    "nested-list-one-line": (
        _nested_list_one_line,
        f"{LESSON_AT}:17:41: lists and blockquotes nest 21 deep here, more than the 20 levels "
        "allowed, expected a flatter structure",
    ),
    "nested-blockquote": (
        _nested_blockquote,
        f"{LESSON_AT}:17:21: lists and blockquotes nest 21 deep here, more than the 20 levels "
        "allowed, expected a flatter structure",
    ),
    "huge-lesson": (
        _huge_lesson,
        f"{LESSON_AT}:1:1: file is 50.1 MB, more than the 2.0 MB allowed, expected a smaller file "
        "(split the lesson into several lessons)",
    ),
    "huge-glossary": (
        _huge_glossary,
        "content/glossary.yml:1:1: file is 6.4 MB, more than the 2.0 MB allowed, expected a "
        "smaller file",
    ),
    "long-glossary": (
        _long_glossary,
        "content/glossary.yml:2:3: the glossary has 5,001 terms, more than the 5,000 allowed, "
        "expected a shorter glossary",
    ),
    "deep-yaml-flow": (
        _deep_yaml_flow,
        "content/sources.yml:11:46: YAML nested too deeply: more than 40 levels of mappings "
        "and lists here, expected a flatter structure",
    ),
    "deep-yaml-block": (
        _deep_yaml_block,
        "content/glossary.yml:41:41: YAML nested too deeply: more than 40 levels of mappings "
        "and lists here, expected a flatter structure",
    ),
    "deep-markdown-field": (
        _deep_markdown_field,
        "content/modules/m1/module.yml:5:10: 'summary' has lists and blockquotes nested 21 deep, "
        "more than the 20 levels allowed, expected a flatter structure",
    ),
    "huge-image": (
        _huge_image,
        f"{LESSON_AT}:17:12: image 'photo.png' is 10.0 MB, more than the 10.0 MB allowed, "
        "expected a smaller file",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_past_a_limit_check_says_so_at_once(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write, message = CASES[name]
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    write(project)
    started = time.monotonic()
    assert main(["--root", str(project), "check"]) == 1
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert message in err.splitlines(), err[-3000:]
    assert "Traceback" not in err
    assert elapsed < GENEROUS, f"check took {elapsed:.1f} s"


def test_the_benchmark_course_is_far_inside_every_limit(tmp_path: Path) -> None:
    """The 1,000-lesson benchmark course uses a tenth of each limit at most, and loads clean."""
    root = write_course(tmp_path / "bench", lessons=1_000)
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".md", ".yml")]
    assert max(os.path.getsize(p) for p in files) < limits.MAX_FILE_BYTES / 10
    result = load_course(root)
    assert result.ok(strict=True), list(result.diagnostics)[:5]
    course = result.course
    assert course is not None
    assert len(course.glossary) < limits.MAX_GLOSSARY_TERMS / 10
    from generator.source import dialect

    for module in course.modules:
        for lesson in module.lessons:
            lines = lesson.body.split("\n")
            assert dialect.too_deep(lines, limits.MAX_MARKDOWN_DEPTH // 10) is None, lesson.path
