"""The kinds table drives every stage: each row brings every hook (load, check, translation
structure, importer), a row without one is refused, and every row's hooks are exercised here on
real content (the rich fixture's components and the seed module document)."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pytest

from generator.checks import check_course
from generator.importer.document import read_document
from generator.importer.kinds import READERS, reader
from generator.importer.plan import plan_module
from generator.importer.report import ImportReport
from generator.load import load_course
from generator.load.structure import compare_courses
from generator.model import Course, Loc, Located, Module
from generator.model.components import COMPONENTS, HOOKS, ComponentKind
from generator.source.diagnostics import Diagnostics
from generator.source.layout import translation_rel

from .conftest import FIXTURES, SOURCE_DOCUMENT

KIND_NAMES = [kind.name for kind in COMPONENTS]


@pytest.fixture(scope="module")
def rich() -> Course:
    course = load_course(FIXTURES / "rich").course
    assert course is not None
    return course


def holder(course: Course, kind: ComponentKind[Any]) -> Module:
    """The fixture's module with this kind of component: every kind must have an example."""
    found = [module for module in course.modules if kind.of(module) is not None]
    assert found, f"tests/fixtures/rich has no {kind.what}: add one, so its hooks are exercised"
    return found[0]


def with_component(course: Course, module: Module, kind: ComponentKind[Any], value: Any) -> Course:
    changed = dataclasses.replace(module, **{kind.attribute: value})
    modules = tuple(changed if m is module else m for m in course.modules)
    return dataclasses.replace(course, modules=modules)


def first_id_list(value: Located) -> str:
    """The component's first field that is a list of objects with ids (groups, sections,
    phases, ...): the one the mutations below change."""
    for f in dataclasses.fields(value):
        items = getattr(value, f.name)
        if isinstance(items, tuple) and items and all(hasattr(i, "id") for i in items):
            return f.name
    raise AssertionError(f"{type(value).__name__} has no list of items with ids")


def test_every_row_brings_every_hook() -> None:
    hints = typing.get_type_hints(ComponentKind)
    callables = {name for name, hint in hints.items() if typing.get_origin(hint) is not None}
    callables = {n for n in callables if "Callable" in str(hints[n])}
    assert callables == set(HOOKS), "HOOKS must list every hook field of ComponentKind"
    for kind in COMPONENTS:
        assert all(callable(getattr(kind, hook)) for hook in HOOKS), kind.name


def test_the_importer_has_a_reader_for_every_kind() -> None:
    assert set(READERS) == {kind.name for kind in COMPONENTS}
    for kind in COMPONENTS:
        row = reader(kind)
        assert row.kind is kind and callable(row.holds) and callable(row.read)
        assert callable(row.counts)


@pytest.mark.parametrize("hook", HOOKS)
def test_a_row_without_a_hook_is_refused(hook: str) -> None:
    kind = COMPONENTS[0]
    with pytest.raises(TypeError, match=f"has no {hook} hook"):
        dataclasses.replace(kind, **{hook: None})
    fields = {f.name: getattr(kind, f.name) for f in dataclasses.fields(kind) if f.name != hook}
    with pytest.raises(TypeError):
        ComponentKind(**fields)


@pytest.mark.parametrize("name", KIND_NAMES)
def test_the_load_hook_reads_the_component_file(rich: Course, name: str) -> None:
    kind = next(k for k in COMPONENTS if k.name == name)
    value = kind.of(holder(rich, kind))
    assert isinstance(value, kind.cls)
    assert value.loc.path.endswith(f"/{kind.filename}")


@pytest.mark.parametrize("name", KIND_NAMES)
def test_the_check_hook_finds_a_repeated_id(rich: Course, name: str) -> None:
    kind = next(k for k in COMPONENTS if k.name == name)
    module = holder(rich, kind)
    value = kind.of(module)
    field = first_id_list(value)
    items = getattr(value, field)
    clean = Diagnostics()
    check_course(rich, clean)
    assert not [d for d in clean.errors if d.loc.path == value.loc.path]
    repeated = dataclasses.replace(value, **{field: (*items, items[0])})
    diags = Diagnostics()
    check_course(with_component(rich, module, kind, repeated), diags)
    messages = [d.message for d in diags.errors if d.loc.path == value.loc.path]
    assert any(m.startswith("duplicate ") and f"'{items[0].id}'" in m for m in messages), messages


@pytest.mark.parametrize("name", KIND_NAMES)
def test_the_structure_hook_finds_a_translation_that_drops_an_item(rich: Course, name: str) -> None:
    kind = next(k for k in COMPONENTS if k.name == name)
    module = holder(rich, kind)
    value = kind.of(module)
    field = first_id_list(value)
    where = Loc(translation_rel(value.loc.path, "de"))
    same = dataclasses.replace(value, loc=where)
    diags = Diagnostics()
    compare_courses(rich, with_component(rich, module, kind, same), diags)
    about = f"not as in the source {value.loc.path}:"
    assert not [d for d in diags.errors if about in d.message]
    dropped = dataclasses.replace(same, **{field: getattr(value, field)[1:]})
    diags = Diagnostics()
    compare_courses(rich, with_component(rich, module, kind, dropped), diags)
    assert [d for d in diags.errors if about in d.message and "ids" in d.message], list(diags)


@pytest.fixture(scope="module")
def seed_plan() -> tuple[Any, ImportReport]:
    report = ImportReport(SOURCE_DOCUMENT.name)
    doc = read_document(SOURCE_DOCUMENT.read_bytes(), report)
    assert doc is not None
    return plan_module(doc, "seed", report), report


@pytest.mark.parametrize("name", KIND_NAMES)
def test_the_importer_hooks_read_the_kind_from_the_seed_document(
    seed_plan: tuple[Any, ImportReport], name: str
) -> None:
    plan, report = seed_plan
    kind = next(k for k in COMPONENTS if k.name == name)
    component = plan.components.get(kind.name)
    assert component is not None, f"the seed document's {kind.what} was not imported"
    assert isinstance(component.value, kind.cls) and component.kind is kind
    counts = reader(kind).counts(component.value)
    assert counts and all(n > 0 for n in counts.values())
    assert {key: report.counts[key] for key in counts} == counts
