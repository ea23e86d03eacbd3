"""The author-facing fields of the model's dataclasses, read from their type hints.

The loader decodes YAML with these, the schema generator writes JSON Schemas from them and the
importer writes YAML back from them, so the three agree on every field of ``model.py``.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Hashable
from typing import Any, cast

from generator.model import Located

FieldSpec = tuple[dataclasses.Field[Any], Any]


def field_specs(cls: type[Located]) -> tuple[FieldSpec, ...]:
    """The author-facing fields of a model dataclass with their resolved type hints."""
    # Classes are hashable; mypy reads a dataclass type's __hash__ as the instances' one.
    return _field_specs(cast(Hashable, cls))


@functools.cache
def _field_specs(cls: Any) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return tuple(
        (f, hints[f.name])
        for f in dataclasses.fields(cls)
        if not f.metadata.get("internal") and f.init
    )


def is_required(f: dataclasses.Field[Any]) -> bool:
    """Whether a field has no default, so an author must give it."""
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def unwrap(hint: Any) -> tuple[Any, tuple[Any, ...], bool]:
    """Split a hint into (base type, Annotated markers, optional)."""
    markers: tuple[Any, ...] = ()
    optional = False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        hint = args[0]
        origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        hint, *rest = typing.get_args(hint)
        markers = tuple(rest)
    return hint, markers, optional
