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
