"""JSON Schemas for editors, generated from the model's type hints and field docs.

The YAML language server reads these to autocomplete and validate course files as the author
types. They come from the same field reflection the loader decodes with
(``generator.model.fields``), so a field added to the model appears in the loader and the
schema at once.
Draft-07 is used because it is the draft the YAML language server supports most completely.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import posixpath
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from generator.model import (
    ID_MAX_LENGTH,
    ID_PATTERN,
    SOURCE_FINGERPRINT,
    CourseFile,
    GlossaryFile,
    IdMarker,
    LessonFrontMatter,
    Located,
    ModuleFile,
    Quiz,
    Range,
    SourcesFile,
    is_single_line,
)
from generator.model.components import COMPONENTS
from generator.model.fields import field_specs, is_required, unwrap
from generator.source.layout import (
    COURSE_FILE,
    GLOSSARY_FILE,
    SCHEMAS,
    SOURCES_FILE,
    component_file,
    lessons_folder,
    module_file,
    quiz_file,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_FOLDER = SCHEMAS
# The loader refuses blank text (but not blank ids, which fail their pattern instead).
_NOT_BLANK = r"\S"
# Not blank, and no line break (LINE_BREAKS in model.py, as JSON Schema's ECMA-262 regex).
_ONE_LINE = r"^[^\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]*\S[^\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]*$"  # noqa: E501


@dataclass(frozen=True)
class SchemaKind:
    """A YAML file kind: its schema file name, model class and where such files live."""

    name: str
    cls: type[Located]
    where: str

    @property
    def filename(self) -> str:
        return f"{self.name}.schema.json"


# How the kinds' places name a module folder.
_SLUG = "<slug>"
KINDS: tuple[SchemaKind, ...] = (
    SchemaKind("course", CourseFile, COURSE_FILE),
    SchemaKind("glossary", GlossaryFile, GLOSSARY_FILE),
    SchemaKind("sources", SourcesFile, SOURCES_FILE),
    SchemaKind("module", ModuleFile, module_file(_SLUG)),
    *(SchemaKind(kind.name, kind.cls, component_file(_SLUG, kind.filename)) for kind in COMPONENTS),
    SchemaKind("quiz", Quiz, quiz_file(_SLUG)),
    SchemaKind("lesson-front-matter", LessonFrontMatter, f"{lessons_folder(_SLUG)}/*.md"),
)


def json_schema(kind: SchemaKind) -> dict[str, Any]:
    """The draft-07 schema of one file kind; nested objects go in ``definitions``."""
    definitions: dict[str, Any] = {}
    root = _object(kind.cls, definitions)
    root["title"] = f"Coursesmith {kind.where}"
    # The same schema serves the file's translations (X.de.yml), which record their source.
    root["properties"][SOURCE_FINGERPRINT] = {
        "type": "string",
        "description": "Translations only: the fingerprint of the source file this was "
        "translated from, written by `coursesmith new translation`.",
    }
    schema: dict[str, Any] = {"$schema": DRAFT, **root}
    if definitions:
        schema["definitions"] = definitions
    return schema


def schema_text(kind: SchemaKind) -> str:
    """The schema as written to disk: sorted keys, two-space indent, trailing newline."""
    return json.dumps(json_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_files() -> tuple[tuple[str, str], ...]:
    """Every schema as (file name, text), in a fixed order."""
    return tuple((kind.filename, schema_text(kind)) for kind in KINDS)


def kind_for(rel: str) -> SchemaKind | None:
    """The YAML file kind of a project-relative path, if it is one."""
    path = PurePosixPath(rel)
    for kind in KINDS:
        if kind.where.endswith(".yml") and path.match(kind.where.replace("<slug>", "*")):
            return kind
    return None


def modeline(rel: str, kind: SchemaKind) -> str:
    """The first line of a YAML file that points the YAML language server at its schema."""
    schema = posixpath.relpath(f"{SCHEMA_FOLDER}/{kind.filename}", posixpath.dirname(rel) or ".")
    return f"# yaml-language-server: $schema={schema}"


def _object(cls: type[Located], definitions: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f, hint in field_specs(cls):
        prop = _value(hint, definitions)
        prop["description"] = f.metadata.get("doc", "")
        default = _default(f)
        if default is not None:
            prop["default"] = default
        properties[f.name] = prop
        if is_required(f):
            required.append(f.name)
    out: dict[str, Any] = {
        "type": "object",
        "description": _first_line(cls.__doc__),
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def _value(hint: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    base, markers, optional = unwrap(hint)
    schema = _base(base, markers, definitions)
    if not optional:
        return schema
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _base(base: Any, markers: tuple[Any, ...], definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(base)
    if origin is tuple:
        return {"type": "array", "items": _value(typing.get_args(base)[0], definitions)}
    if origin in (Mapping, dict) or base is Mapping:
        return {
            "type": "object",
            "additionalProperties": _value(typing.get_args(base)[1], definitions),
        }
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(base))}
    if isinstance(base, type) and issubclass(base, Located):
        name = base.__name__
        if name not in definitions:
            definitions[name] = {}  # placed first, so a recursive type would stop here
            definitions[name] = _object(base, definitions)
        return {"$ref": f"#/definitions/{name}"}
    if base is str:
        # The loader takes a number typed without quotes as the text typed ("version: 1.0").
        if any(isinstance(m, IdMarker) for m in markers):
            return {
                "type": ["string", "integer"],
                "minimum": 0,
                "pattern": f"^{ID_PATTERN}$",
                "maxLength": ID_MAX_LENGTH,
            }
        pattern = _ONE_LINE if is_single_line(markers) else _NOT_BLANK
        return {"type": ["string", "number"], "pattern": pattern}
    if base is bool:
        return {"type": "boolean"}
    if base is int:
        schema: dict[str, Any] = {"type": "integer"}
        for marker in markers:
            if isinstance(marker, Range):
                schema["minimum"], schema["maximum"] = marker.low, marker.high
        return schema
    if base is dt.date:
        return {"type": "string", "format": "date"}
    raise TypeError(f"no JSON Schema for {base!r}")  # a model bug, not a content problem


def _default(f: dataclasses.Field[Any]) -> Any:
    value = f.default
    if value is dataclasses.MISSING or value is None or value == "":
        return None
    if isinstance(value, tuple):
        return list(value) if value else None
    return value


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n", 1)[0]
