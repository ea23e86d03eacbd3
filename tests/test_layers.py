"""Layers that hold: the core (model, load, checks, render, export, addresses) imports no adapter
and no engine; only generator/adapters/ may."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[1] / "generator"
ADAPTERS = GENERATOR / "adapters"
FORBIDDEN = ("generator.adapters", "mkdocs", "material", "zensical")
CORE = sorted(
    path
    for path in GENERATOR.rglob("*.py")
    if not path.is_relative_to(ADAPTERS) and "site_templates" not in path.parts
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_core_is_found() -> None:
    names = {path.relative_to(GENERATOR).as_posix() for path in CORE}
    assert {"model.py", "addresses.py", "render/pages.py", "export/offline.py"} <= names


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.relative_to(GENERATOR).as_posix())
def test_a_core_module_imports_no_adapter_and_no_engine(path: Path) -> None:
    bad = sorted(
        name
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )
    assert bad == []


# Language knowledge sits below loading and the model: codes, names and the N_ marker are
# generator/languages.py's; the catalogues and their rendering (generator/i18n/) are above.
BELOW_I18N = sorted(
    path
    for path in GENERATOR.rglob("*.py")
    if path.relative_to(GENERATOR).parts[0] in ("load", "model.py", "components.py", "fields.py")
    or path.name == "languages.py"
)


def test_loading_and_the_model_do_not_reach_up_into_i18n() -> None:
    names = {path.relative_to(GENERATOR).as_posix() for path in BELOW_I18N}
    assert {"model.py", "components.py", "languages.py", "load/naming.py"} <= names
    reaching_up = {
        path.relative_to(GENERATOR).as_posix(): sorted(
            name for name in imported_modules(path) if name.startswith("generator.i18n")
        )
        for path in BELOW_I18N
    }
    assert {path: names for path, names in reaching_up.items() if names} == {}


def test_languages_imports_nothing_of_ours() -> None:
    ours = [n for n in imported_modules(GENERATOR / "languages.py") if n.startswith("generator")]
    assert ours == []
