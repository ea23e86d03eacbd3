"""Decoding YAML nodes into the model's dataclasses, guided by their type hints.

One generic decoder serves every file kind, so a new field is added in ``model.py`` alone and
its checks (required, type, unknown-field hints) come with it.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any, TypeVar

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model import (
    ID_MAX_LENGTH,
    LINE_BREAKS,
    IdMarker,
    Loc,
    Located,
    Range,
    is_id,
    is_single_line,
)
from generator.model.fields import field_specs, is_required, unwrap
from generator.source import dialect
from generator.source.diagnostics import Diagnostics, did_you_mean
from generator.source.limits import MAX_MARKDOWN_DEPTH
from generator.source.yaml_nodes import describe, loc_of

T = TypeVar("T", bound=Located)
_constructor = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_NULL = _TAG + "null"
_LINE_BREAKS = frozenset(LINE_BREAKS)


class _Kind(Enum):
    """How a field's values are decoded, from the shape of its type hint."""

    TUPLE = "tuple"
    MAPPING = "mapping"
    LITERAL = "literal"
    OBJECT = "object"
    SCALAR = "scalar"


@dataclass(frozen=True)
class _Plan:
    """What a type hint asks of a value, worked out once per hint: its kind; its base (the plan
    of the items of a tuple or mapping, the allowed values of a literal, the class of an object, the
    type of a scalar); its Annotated markers; whether it may be null; for text, whether it is an
    id and whether it must be one line."""

    kind: _Kind
    base: Any
    markers: tuple[Any, ...]
    optional: bool
    is_id: bool
    single_line: bool


@functools.cache
def _plan(hint: Any) -> _Plan:
    base, markers, optional = unwrap(hint)
    origin = typing.get_origin(base)
    kind, inner = _Kind.SCALAR, base
    if origin is tuple:
        kind, inner = _Kind.TUPLE, _plan(typing.get_args(base)[0])
    elif origin in (Mapping, dict) or base is Mapping:
        kind, inner = _Kind.MAPPING, _plan(typing.get_args(base)[1])
    elif origin is typing.Literal:
        kind, inner = _Kind.LITERAL, typing.get_args(base)
    elif isinstance(base, type) and issubclass(base, Located):
        kind = _Kind.OBJECT
    is_an_id = any(isinstance(m, IdMarker) for m in markers)
    return _Plan(kind, inner, markers, optional, is_an_id, is_single_line(markers))


@functools.cache
def _fields(cls: Any) -> tuple[dict[str, _Plan], tuple[str, ...]]:
    """A class's author-facing fields, name to the plan of its type hint in order, and the
    required ones."""
    specs = field_specs(cls)
    plans = {f.name: _plan(hint) for f, hint in specs}
    return plans, tuple(f.name for f, _ in specs if is_required(f))


class _Invalid:
    """Marks a value that could not be decoded (its problem is already reported)."""


INVALID: Any = _Invalid()


class Decoder:
    """Decodes the nodes of one file, reporting problems with that file's locations."""

    def __init__(self, path: str, diags: Diagnostics, line_offset: int = 0) -> None:
        self.path = path
        self.diags = diags
        self.line_offset = line_offset

    def loc(self, node: Node) -> Loc:
        return loc_of(node, self.path, self.line_offset)

    def error(self, node: Node, message: str, hint: str = "") -> Any:
        self.diags.error(self.loc(node), message, hint)
        return INVALID

    # --- objects ------------------------------------------------------------------------------

    def object(self, node: Node, cls: type[T], what: str) -> T | None:
        """Decode a mapping into ``cls``; None when any of its required parts is broken."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of fields, found {describe(node)}")
            return None
        # Classes are hashable; mypy reads a dataclass type's __hash__ as the instances' one.
        specs, required = _fields(typing.cast(Hashable, cls))
        values: dict[str, Any] = {}
        locs: dict[str, Loc] = {}
        seen: dict[str, Node] = {}
        broken = False
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != _STR:
                self.error(key_node, f"field names in {what} must be text")
                broken = True
                continue
            if key in seen:
                first = self.loc(seen[key])
                self.error(
                    key_node, f"duplicate field '{key}' in {what}, first given at line {first.line}"
                )
                continue
            seen[key] = key_node
            if key not in specs:
                self.error(
                    key_node,
                    f"unknown field '{key}' in {what}, expected one of: {', '.join(specs)}",
                    did_you_mean(key, specs),
                )
                continue
            locs[key] = self.loc(value_node)
            value = self.value(value_node, specs[key], f"'{key}'", key, locs)
            if value is INVALID:
                # A broken optional field falls back to its default (its error is reported), so
                # the checks across files still run on the rest of the object.
                broken = broken or key in required
            else:
                values[key] = value
        for name in required:
            if name not in seen:
                self.error(node, f"missing required field '{name}' in {what}")
                broken = True
        if broken:
            return None
        return cls(loc=self.loc(node), locs=MappingProxyType(locs), **values)

    # --- values -------------------------------------------------------------------------------

    def value(self, node: Node, plan: _Plan, what: str, key: str, locs: dict[str, Loc]) -> Any:
        if plan.optional and isinstance(node, ScalarNode) and node.tag == _NULL:
            return None
        kind = plan.kind
        if kind is _Kind.TUPLE:
            return self._tuple(node, plan.base, what, key, locs)
        if kind is _Kind.MAPPING:
            return self._mapping(node, plan.base, what, key, locs)
        if kind is _Kind.LITERAL:
            return self._literal(node, plan.base, what)
        if kind is _Kind.OBJECT:
            result = self.object(node, plan.base, what)
            return INVALID if result is None else result
        return self._scalar(node, plan, what)

    def _tuple(self, node: Node, item: _Plan, what: str, key: str, locs: dict[str, Loc]) -> Any:
        if not isinstance(node, SequenceNode):
            return self.error(node, f"{what} must be a list, found {describe(node)}")
        out = []
        broken = False
        for index, child in enumerate(node.value):
            locs[f"{key}[{index}]"] = self.loc(child)
            value = self.value(child, item, f"item {index + 1} of {what}", key, locs)
            if value is INVALID:
                broken = True
            else:
                out.append(value)
        return INVALID if broken else tuple(out)

    def _mapping(self, node: Node, item: _Plan, what: str, key: str, locs: dict[str, Loc]) -> Any:
        if not isinstance(node, MappingNode):
            return self.error(node, f"{what} must be a mapping, found {describe(node)}")
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, f"keys of {what} must be text")
                continue
            name = key_node.value
            if name in out:
                self.error(key_node, f"duplicate key '{name}' in {what}")
                continue
            locs[f"{key}.{name}"] = self.loc(key_node)
            value = self.value(value_node, item, f"'{name}' in {what}", key, locs)
            if value is not INVALID:
                out[name] = value
        return MappingProxyType(out)

    def _literal(self, node: Node, allowed: tuple[Any, ...], what: str) -> Any:
        if isinstance(node, ScalarNode) and node.value in allowed:
            return node.value
        hint = did_you_mean(node.value, allowed) if isinstance(node, ScalarNode) else ""
        shown = ", ".join(str(a) for a in allowed)
        return self.error(node, f"{what} must be one of {shown}, found {describe(node)}", hint)

    def _scalar(self, node: Node, plan: _Plan, what: str) -> Any:
        base = plan.base
        if not isinstance(node, ScalarNode):
            expected = {str: "text", int: "a whole number", bool: "true or false"}.get(
                base, "a date (YYYY-MM-DD)"
            )
            return self.error(node, f"{what} must be {expected}, found {describe(node)}")
        tag = node.tag[len(_TAG) :]
        if base is str:
            return self._text(node, tag, plan, what)
        if base is bool:
            if tag != "bool":
                return self.error(node, f"{what} must be true or false, found {describe(node)}")
            return _construct(node)
        if base is int:
            return self._number(node, tag, plan.markers, what)
        if base is dt.date:
            return self._date(node, tag, what)
        raise TypeError(f"no decoder for {base!r}")  # a model bug, not a content problem

    def _text(self, node: ScalarNode, tag: str, plan: _Plan, what: str) -> Any:
        # Numbers written without quotes ("version: 1.0") are taken as the text typed.
        if tag not in ("str", "int", "float"):
            # YAML 1.1 reads yes/no/on/off as true/false: quoting keeps the word.
            quote = f"write '{node.value}' in quotes to keep it as text" if tag == "bool" else ""
            return self.error(node, f"{what} must be text, found {describe(node)}", quote)
        value: str = node.value
        is_an_id = plan.is_id
        if is_an_id and not is_id(value):
            return self._not_an_id(node, value, what)
        if not value.strip() and not is_an_id:
            return self.error(node, f"{what} is empty, expected text")
        if plan.single_line and not _LINE_BREAKS.isdisjoint(value):
            return self.error(
                node,
                f"{what} holds a line break, expected one line of text",
                "write it on one line; a long one may wrap in the file when written "
                "without quotes or after '>-'",
            )
        # Every text field is Markdown (inline text too: a line "- - - x" is a list).
        deep = dialect.too_deep(value.split("\n"), MAX_MARKDOWN_DEPTH)
        if deep is not None:
            return self.error(
                node,
                f"{what} has lists and blockquotes nested {deep.depth} deep, more than the "
                f"{MAX_MARKDOWN_DEPTH} levels allowed, expected a flatter structure",
            )
        return value

    def _not_an_id(self, node: ScalarNode, value: str, what: str) -> Any:
        if len(value) > ID_MAX_LENGTH:
            return self.error(
                node,
                f"{what} is {len(value)} characters long, expected an id of at most "
                f"{ID_MAX_LENGTH} (ids name the site's files and addresses)",
            )
        if not value:
            return self.error(
                node, f"{what} is empty, expected an id of lowercase letters, digits and hyphens"
            )
        return self.error(
            node,
            f"{what} is '{value}', not a valid id, expected lowercase letters, digits "
            "and hyphens, starting with a letter or digit",
            _look_alike(value),
        )

    def _number(self, node: ScalarNode, tag: str, markers: tuple[Any, ...], what: str) -> Any:
        if tag != "int":
            return self.error(node, f"{what} must be a whole number, found {describe(node)}")
        number = _construct(node)
        for marker in markers:
            if isinstance(marker, Range) and not marker.low <= number <= marker.high:
                return self.error(
                    node,
                    f"{what} is {number}, expected a number from {marker.low} to {marker.high}",
                )
        return number

    def _date(self, node: ScalarNode, tag: str, what: str) -> Any:
        if tag != "timestamp":
            return self.error(node, f"{what} must be a date (YYYY-MM-DD), found {describe(node)}")
        try:
            stamp = _construct(node)
        except (ConstructorError, ValueError):
            stamp = None
        if isinstance(stamp, dt.datetime):
            return stamp.date()
        if isinstance(stamp, dt.date):
            return stamp
        return self.error(
            node, f"{what} is '{node.value}', not a calendar date, expected YYYY-MM-DD"
        )


def _look_alike(value: str) -> str:
    """Name the first non-ASCII character of an id: look-alikes such as Cyrillic 'а' or
    fullwidth letters are invisible in an editor but would make a different address."""
    char = next((c for c in value if not c.isascii()), None)
    if char is None:
        return ""
    name = unicodedata.name(char, "an unnamed character")
    return f"'{char}' is U+{ord(char):04X} {name}, not an ASCII letter or digit"


def _construct(node: ScalarNode) -> Any:
    return _constructor.construct_object(node, deep=True)
