"""Writing rendered pages to a folder, for engines other than MkDocs or for inspection."""

from __future__ import annotations

import json
from pathlib import Path

from generator.render.pages import NavEntry, Page


class UnsafePathError(ValueError):
    """A page path would leave the output folder."""


def target(out_dir: Path, relative: str) -> Path:
    """The file a relative page path maps to, refusing anything outside ``out_dir``."""
    root = out_dir.resolve()
    path = (root / relative).resolve()
    if relative.startswith(("/", "\\")) or "\\" in relative or not path.is_relative_to(root):
        raise UnsafePathError(f"page path '{relative}' leaves the output folder")
    return path


def write_pages(pages: tuple[Page, ...], nav: tuple[NavEntry, ...], out_dir: Path) -> list[Path]:
    """Write every page as Markdown and the navigation as nav.json; return the files written."""
    written: list[Path] = []
    for page in pages:
        path = target(out_dir, page.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text, encoding="utf-8")
        written.append(path)
    nav_file = target(out_dir, "nav.json")
    nav_file.write_text(json.dumps(_nav_json(nav), indent=2, ensure_ascii=False) + "\n", "utf-8")
    written.append(nav_file)
    return written


def _nav_json(entries: tuple[NavEntry, ...]) -> list[dict[str, object]]:
    return [{"title": e.title, "path": e.path, "children": _nav_json(e.children)} for e in entries]
