"""Layers that hold: the core (model, load, checks, render, export, addresses) imports no adapter
and no engine; only generator/adapters/ may."""

from __future__ import annotations

import ast
import re
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
    assert {
        "model/__init__.py",
        "model/addresses.py",
        "render/pages.py",
        "export/offline.py",
    } <= names


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.relative_to(GENERATOR).as_posix())
def test_a_core_module_imports_no_adapter_and_no_engine(path: Path) -> None:
    bad = sorted(
        name
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )
    assert bad == []


# Language knowledge sits below loading and the model: codes, names and the N_ marker are
# generator/source/languages.py's; the catalogues and their rendering (generator/i18n/) are above.
BELOW_I18N = sorted(
    path
    for path in GENERATOR.rglob("*.py")
    if path.relative_to(GENERATOR).parts[0] in ("load", "model", "source")
)


def test_loading_and_the_model_do_not_reach_up_into_i18n() -> None:
    names = {path.relative_to(GENERATOR).as_posix() for path in BELOW_I18N}
    assert {"model/__init__.py", "model/components.py", "source/languages.py"} <= names
    reaching_up = {
        path.relative_to(GENERATOR).as_posix(): sorted(
            name for name in imported_modules(path) if name.startswith("generator.i18n")
        )
        for path in BELOW_I18N
    }
    assert {path: names for path, names in reaching_up.items() if names} == {}


def test_languages_imports_nothing_of_ours() -> None:
    ours = [
        n
        for n in imported_modules(GENERATOR / "source" / "languages.py")
        if n.startswith("generator")
    ]
    assert ours == []


# The loader has one public entry point: outside generator/load/, code imports `generator.load`
# (its __init__), never a module inside it; text decoding and YAML nodes, which authoring shares,
# are the lower generator/source/.
LOAD = GENERATOR / "load"
OUTSIDE_LOAD = sorted(path for path in GENERATOR.rglob("*.py") if not path.is_relative_to(LOAD))


def test_nothing_outside_the_loader_imports_its_modules() -> None:
    reaching_in = {
        path.relative_to(GENERATOR).as_posix(): sorted(
            name for name in imported_modules(path) if name.startswith("generator.load.")
        )
        for path in OUTSIDE_LOAD
    }
    assert {path: names for path, names in reaching_in.items() if names} == {}


def test_the_source_layer_stands_below_the_loader() -> None:
    for path in sorted((GENERATOR / "source").rglob("*.py")):
        above = [n for n in imported_modules(path) if n.split(".")[:2] == ["generator", "load"]]
        assert above == [], path


# The source layout has one owner, generator/source/layout.py (as model/addresses.py owns the
# outputs): no
# other code spells where sources live. Docstrings and comments may; string literals may not.
LAYOUT_SPELLINGS = re.compile(
    r"(?<![\w.-])(?:content|quizzes|modules|lessons|components)/"
    r"|(?<![\w.-])(?:module|course|glossary|sources)\.yml(?!\.?\w)"
)
LAYOUT_NAMES = {"content"}  # "quizzes" alone is also an export's key


def spells_layout(text: str) -> bool:
    return text in LAYOUT_NAMES or LAYOUT_SPELLINGS.search(text) is not None


def string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal in the file with its line, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_only_the_layout_spells_where_sources_live() -> None:
    spelled = [
        f"{path.relative_to(GENERATOR).as_posix()}:{line}: {text!r}"
        for path in sorted(GENERATOR.rglob("*.py"))
        if path != GENERATOR / "source" / "layout.py"
        for line, text in string_literals(path)
        if spells_layout(text)
    ]
    assert spelled == []


def test_the_layout_spellings_are_caught() -> None:
    caught = [
        "content",
        "in 'content/modules/x'",
        "quizzes/m1.yml",
        "a/lessons/01.md",
        "in module.yml.",
    ]
    passed = [
        "the content folder",
        "contents/x",
        "content.xml",
        "modules",
        "my-module.yml",
        "module.yml.j2",
    ]
    assert all(spells_layout(text) for text in caught)
    assert not any(spells_layout(text) for text in passed)


# The folders show the flow (item 9 of the house issue): source -> model -> checks -> load ->
# render -> export, with authoring beside export and the adapters on top. A folder imports only
# from its own rank or below; nothing but __init__.py is loose at the root of generator/.
RANKS = {
    "source": 0,
    "model": 1,
    "output": 1,
    "checks": 2,
    "load": 3,
    "i18n": 4,
    "render": 5,
    "export": 6,
    "authoring": 6,
    "importer": 7,
    "translation_files": 7,
    "adapters": 8,
}


def test_nothing_is_loose_at_the_root_of_the_generator() -> None:
    loose = sorted(p.name for p in GENERATOR.glob("*.py") if p.name != "__init__.py")
    assert loose == []
    folders = {p.name for p in GENERATOR.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(RANKS)


def test_each_folder_imports_only_its_own_rank_or_below() -> None:
    upward = []
    for path in sorted(GENERATOR.rglob("*.py")):
        folder = path.relative_to(GENERATOR).parts[0]
        if folder not in RANKS:
            continue
        for name in imported_modules(path):
            target = name.split(".")[1] if name.startswith("generator.") else ""
            if RANKS.get(target, -1) > RANKS[folder]:
                upward.append(f"{path.relative_to(GENERATOR).as_posix()} imports {name}")
    assert upward == []
