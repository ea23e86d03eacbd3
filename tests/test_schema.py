"""JSON Schemas for editors: generated from the model, committed in step with it, pointed at by
every shipped YAML file, and as strict as the loader on the mistakes authors make most."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.adapters.cli import main
from generator.authoring.schema import KINDS, SCHEMA_FOLDER, kind_for, modeline, schema_files
from generator.model import Located
from generator.model.fields import field_specs, unwrap

from .conftest import FIXTURES, REPO


class EditorLoader(yaml.SafeLoader):
    """YAML as the YAML language server reads it (YAML 1.2: a date is text, not a timestamp)."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def as_json(value: Any) -> Any:
    """The document as JSON sees it: mapping keys are always text."""
    if isinstance(value, dict):
        return {
            str(k).lower() if isinstance(k, bool) else str(k): as_json(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def problems(kind_name: str, text: str) -> list[str]:
    """What the committed schema of a file kind says about a YAML document."""
    [kind] = [kind for kind in KINDS if kind.name == kind_name]
    schema = json.loads((REPO / SCHEMA_FOLDER / kind.filename).read_text("utf-8"))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    document = as_json(yaml.load(text, Loader=EditorLoader))
    return [error.message for error in validator.iter_errors(document)]


def shipped_yaml() -> list[Path]:
    return sorted([*(REPO / "content").rglob("*.yml"), *(REPO / "quizzes").glob("*.yml")])


def test_committed_schemas_are_in_step_with_the_model() -> None:
    folder = REPO / SCHEMA_FOLDER
    committed = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.json")}
    fresh = dict(schema_files())
    assert sorted(committed) == sorted(fresh), "run `coursesmith schema` to regenerate"
    for name, text in fresh.items():
        assert committed[name] == text, f"{name} is stale: run `coursesmith schema`"


def test_every_schema_is_a_valid_draft_07_schema() -> None:
    for kind in KINDS:
        schema = json.loads(dict(schema_files())[kind.filename])
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert schema["additionalProperties"] is False


def test_schema_command_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    assert main(["--root", str(tmp_path), "schema"]) == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / SCHEMA_FOLDER).iterdir()}
    assert main(["--root", str(tmp_path), "schema", "--out", str(tmp_path / "again")]) == 0
    second = {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()}
    assert first == second
    assert len(first) == len(KINDS)
    assert all(data.endswith(b"}\n") for data in first.values())


def test_schema_describes_fields_from_the_model() -> None:
    quiz = json.loads(dict(schema_files())["quiz.schema.json"])
    question = quiz["definitions"]["Question"]
    assert question["properties"]["type"]["enum"] == [
        "single",
        "multiple",
        "true-false",
        "matching",
        "ordering",
    ]
    assert question["properties"]["lesson"]["pattern"] == "^[a-z0-9][a-z0-9-]*$"
    assert question["properties"]["lesson"]["description"] == "Id of the lesson the question tests."
    assert question["required"] == ["id", "type", "prompt", "lesson", "objective", "explanation"]
    assert quiz["properties"]["pass_mark"]["minimum"] == 0
    assert quiz["properties"]["pass_mark"]["maximum"] == 100
    assert quiz["properties"]["pass_mark"]["default"] == 70
    feedback = question["properties"]["feedback"]
    assert feedback["type"] == "object" and "additionalProperties" in feedback
    course = json.loads(dict(schema_files())["course.schema.json"])
    assert course["properties"]["last_reviewed"] == {
        "description": "Date of the last content review (YYYY-MM-DD).",
        "format": "date",
        "type": "string",
    }


@pytest.mark.parametrize(
    "path", shipped_yaml(), ids=[p.relative_to(REPO).as_posix() for p in shipped_yaml()]
)
def test_shipped_yaml_names_its_schema_and_validates(path: Path) -> None:
    rel = path.relative_to(REPO).as_posix()
    kind = kind_for(rel)
    assert kind is not None, f"{rel} is no known file kind"
    text = path.read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == modeline(rel, kind)
    target = (path.parent / modeline(rel, kind).split("$schema=", 1)[1]).resolve()
    assert target == (REPO / SCHEMA_FOLDER / kind.filename).resolve()
    assert target.is_file()
    assert problems(kind.name, text) == []


def test_fixture_course_validates_too() -> None:
    """The test course has no modelines (its line numbers are asserted), but is valid."""
    for path in sorted((FIXTURES / "minimal").rglob("*.yml")):
        kind = kind_for(path.relative_to(FIXTURES / "minimal").as_posix())
        assert kind is not None
        assert problems(kind.name, path.read_text(encoding="utf-8")) == [], path


MINIMAL_QUIZ = (FIXTURES / "minimal/quizzes/m1.yml").read_text(encoding="utf-8")
MINIMAL_MODULE = (FIXTURES / "minimal/content/modules/m1/module.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "quiz",
            MINIMAL_QUIZ.replace("    lesson: intro", "    lessn: intro"),
            "Additional properties are not allowed ('lessn' was unexpected)",
        ),
        ("quiz", MINIMAL_QUIZ.replace("pass_mark: 50", "pass_mark: 101"), "101 is greater than"),
        ("quiz", MINIMAL_QUIZ.replace("pass_mark: 50", "pass_mark: -1"), "-1 is less than"),
        ("quiz", MINIMAL_QUIZ.replace("type: single", "type: singel"), "'singel' is not one of"),
        ("quiz", MINIMAL_QUIZ.replace("lesson: intro", "lesson: ../../x"), "does not match"),
        ("module", MINIMAL_MODULE.replace("  - intro", "  - Intro Lesson"), "does not match"),
        ("module", MINIMAL_MODULE.replace("title: First Module\n", ""), "'title' is a required"),
        ("module", MINIMAL_MODULE.replace("level: beginner", "level: expert"), "is not one of"),
        (
            "course",
            (FIXTURES / "minimal/content/course.yml")
            .read_text(encoding="utf-8")
            .replace("2025-01-31", "31/01/2025"),
            "is not a 'date'",
        ),
        ("glossary", "terms:\n  - id: x\n    term: ' '\n    definition: d\n", "does not match"),
    ],
    ids=[
        "unknown-field",
        "pass-mark-over",
        "pass-mark-under",
        "bad-literal",
        "path-traversal-id",
        "bad-id-in-list",
        "missing-required",
        "bad-level",
        "bad-date",
        "blank-text",
    ],
)
def test_schema_rejects_what_the_loader_rejects(kind: str, text: str, expected: str) -> None:
    found = problems(kind, text)
    assert any(expected in message for message in found), found


def test_loader_ignores_the_schema_folder(minimal_course: Path) -> None:
    assert main(["--root", str(minimal_course), "schema"]) == 0
    assert (minimal_course / SCHEMA_FOLDER / "quiz.schema.json").is_file()
    assert main(["--root", str(minimal_course), "check", "--strict"]) == 0


def model_fields(cls: type, seen: set[type] | None = None) -> set[str]:
    """Every author-facing field name of a file kind, nested objects included."""
    seen = set() if seen is None else seen
    seen.add(cls)
    names: set[str] = set()
    for f, hint in field_specs(cls):
        names.add(f.name)
        for part in typing.get_args(unwrap(hint)[0]) or (unwrap(hint)[0],):
            inner = unwrap(part)[0]
            if isinstance(inner, type) and issubclass(inner, Located) and inner not in seen:
                names |= model_fields(inner, seen)
    return names


def test_authors_guide_describes_every_field() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    guide = readme.split("## Authors' guide\n", 1)[1].split("\n## ", 1)[0]
    for kind in KINDS:
        missing = sorted(name for name in model_fields(kind.cls) if f"`{name}`" not in guide)
        assert missing == [], f"{kind.name}: {missing} not in the README's Authors' guide"
    for question_type in ("single", "multiple", "true-false", "matching", "ordering"):
        assert f"`{question_type}`" in guide
