"""Property tests: whatever YAML, Markdown or bytes an author saves, loading gives our diagnostics
(with a path inside the project and a line and column from 1), never another exception; and the
libyaml fast path composes exactly what the pure-Python composer does."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.load import LoadResult, load_course
from generator.render.pages import render_site
from generator.source.diagnostics import Diagnostics
from generator.source.yaml_nodes import _compose_with_libyaml, compose

from .conftest import FIXTURES, MINIMAL_YAML_FILES

LESSON = "content/modules/m1/lessons/01-intro.md"
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# Characters that stress YAML and Markdown: indicators, tabs, control characters, line breaks
# YAML knows but Python's splitlines treats differently, look-alikes and a BOM.
TRICKY = "&*!|>%@`#:-?[]{},'\"\\\t\r\n \x00\x07\x1b\x85\u2028\u2029\ufeff\u0430\uff41\u00e9~=^_."
tricky_text = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(), max_size=200)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.dates(min_value=dt.date(1, 1, 1))
    | st.text(max_size=30)
    | st.sampled_from(["id", "title", "yes", "no", "~", "2025-02-30", "1e3", "0x1f", "-", ""])
)
structures = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "title", "terms", "sources", "questions", "x"]) | st.text(),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
MARKDOWN_LINES = [
    "## A section",
    "# Title",
    "### Deeper {#custom}",
    "```",
    "~~~~",
    "::: trainer",
    ":::",
    "See [@doe2020] and [@nobody] and [@].",
    "| a | b |",
    "| --- | --- |",
    "- item",
    "1. step",
    "<script>alert(1)</script>",
    "`code [@doe2020]`",
    "model drift and SME",
    "---",
    "",
]
markdown_body = st.lists(st.sampled_from(MARKDOWN_LINES) | tricky_text, max_size=25).map("\n".join)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the minimal course with every component, reused (and restored) per example."""
    root = tmp_path_factory.mktemp("props") / "course"
    shutil.copytree(FIXTURES / "minimal", root)
    components = root / "content/modules/m1/components"
    (components / "role-template.yml").write_text(
        "title: Role\nrole: AI engineer\noverall_responsibility: Own the risks.\ngroups:\n"
        "  - id: data\n    title: Data\n    responsibilities: [Check the data]\n",
        encoding="utf-8",
    )
    (components / "lifecycle-guide.yml").write_text(
        "title: Guide\nphases:\n  - id: design\n    title: Design\n    activities: [Plan]\n"
        "    sme_collaboration: [Review]\n",
        encoding="utf-8",
    )
    assert load_course(root).ok()
    return root


def replaced(project: Path, rel: str, data: bytes) -> Iterator[LoadResult]:
    """Load the course with one file's bytes replaced, then put the original back."""
    path = project / rel
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield load_course(project)
    finally:
        path.write_bytes(original)


def assert_only_diagnostics(project: Path, result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    root = project.resolve()
    for diagnostic in result.diagnostics:
        loc = diagnostic.loc
        assert not loc.path.startswith("/") and "\\" not in loc.path, loc
        assert (root / loc.path).resolve().is_relative_to(root), loc
        assert loc.line >= 1 and loc.col >= 1, loc
        assert str(diagnostic).startswith(f"{loc.path}:{loc.line}:{loc.col}: ")
    if result.course is not None and result.ok():
        render_site(result.course)  # content the loader accepts must render


def mutated(original: str, data: st.DataObject) -> str:
    """The file with a random slice replaced by random tricky text."""
    start = data.draw(st.integers(0, len(original)))
    end = data.draw(st.integers(start, min(len(original), start + 40)))
    return original[:start] + data.draw(tricky_text) + original[end:]


@PROPERTY
@given(rel=st.sampled_from(MINIMAL_YAML_FILES), data=st.data())
def test_any_yaml_file_gives_only_diagnostics(project: Path, rel: str, data: Any) -> None:
    original = (project / rel).read_text(encoding="utf-8")
    kind = data.draw(st.sampled_from(["structure", "mutation", "text", "bytes"]))
    if kind == "structure":
        dumped = yaml.safe_dump(data.draw(structures), allow_unicode=data.draw(st.booleans()))
        content = dumped.encode("utf-8")
    elif kind == "mutation":
        content = mutated(original, data).encode("utf-8", "surrogatepass")
    elif kind == "text":
        content = data.draw(tricky_text).encode("utf-8", "surrogatepass")
    else:
        content = data.draw(st.binary(max_size=200))
    for result in replaced(project, rel, content):
        assert_only_diagnostics(project, result)


@PROPERTY
@given(data=st.data())
def test_any_lesson_gives_only_diagnostics(project: Path, data: Any) -> None:
    original = (project / LESSON).read_text(encoding="utf-8")
    front, body = original.split("---\n")[1], data.draw(markdown_body)
    kind = data.draw(st.sampled_from(["body", "front matter", "none", "mutation", "bytes"]))
    if kind == "body":
        text = f"---\n{front}---\n{body}"
    elif kind == "front matter":
        text = f"---\n{yaml.safe_dump(data.draw(structures))}---\n{body}"
    elif kind == "none":
        text = body
    elif kind == "mutation":
        text = mutated(original, data)
    else:
        text = ""
    content = text.encode("utf-8", "surrogatepass") if kind != "bytes" else data.draw(st.binary())
    for result in replaced(project, LESSON, content):
        assert_only_diagnostics(project, result)


def shape(node: Node | None) -> Any:
    """A node tree as plain data, with every node's tag and position."""
    if node is None:
        return None
    where = (node.tag, node.start_mark.line, node.start_mark.column)
    if isinstance(node, ScalarNode):
        return (where, node.value)
    if isinstance(node, SequenceNode):
        return (where, [shape(child) for child in node.value])
    assert isinstance(node, MappingNode)
    return (where, [(shape(k), shape(v)) for k, v in node.value])


def pure_python(text: str) -> tuple[Any, list[str]]:
    """The pure-Python composer's answer, with the fast path switched off."""
    diags = Diagnostics()
    saved = yaml.__with_libyaml__
    yaml.__with_libyaml__ = False
    try:
        node = compose(text, "f.yml", diags)
    finally:
        yaml.__with_libyaml__ = saved
    return shape(node), [str(d) for d in diags]


yaml_like = st.one_of(
    structures.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    structures.map(lambda v: yaml.safe_dump(v, default_flow_style=True)),
    st.lists(
        st.sampled_from(["a: 1", "- b", "  c: [d, e]", "f: 'g'", 'h: "i\\n"', "j: |", "  k", "#"])
        | tricky_text,
        max_size=8,
    ).map("\n".join),
)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@PROPERTY
@given(text=yaml_like)
def test_libyaml_fast_path_agrees_with_the_pure_python_composer(text: str) -> None:
    fast, node = _compose_with_libyaml(text)
    expected, problems = pure_python(text)
    if fast:
        # The fast path only answers when the strict composer accepts the text too.
        assert not [p for p in problems if "tag" not in p], problems
        assert shape(node) == expected
    diags = Diagnostics()
    assert shape(compose(text, "f.yml", diags)) == expected
    assert [str(d) for d in diags] == problems
