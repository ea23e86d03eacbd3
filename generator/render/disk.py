"""Writing rendered pages to disk: the one writer of the generated pages and downloads, which the
build pipeline stages, the live preview keeps up to date and the benchmark lays out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol


class UnsafePathError(ValueError):
    """A page path would leave the output folder."""


class Text(Protocol):
    """What the writer needs of a page or a download: its path under the docs root, its text."""

    @property
    def path(self) -> str: ...

    @property
    def text(self) -> str: ...


def target(out_dir: Path, relative: str) -> Path:
    """The file a relative page path maps to, refusing anything outside ``out_dir``."""
    root = out_dir.resolve()
    path = (root / relative).resolve()
    if relative.startswith(("/", "\\")) or "\\" in relative or not path.is_relative_to(root):
        raise UnsafePathError(f"page path '{relative}' leaves the output folder")
    return path


def write_pages(pages: Iterable[Text], out_dir: Path, *, only_changed: bool = False) -> list[Path]:
    """Write each page (or download) under ``out_dir`` at its path, as UTF-8; the files written.
    With ``only_changed``, a file that holds the same text already is left alone (and its time
    with it, so a watching engine rebuilds only what changed). UnsafePathError, before anything
    is written, if a path would leave ``out_dir``."""
    placed = [(target(out_dir, page.path), page.text) for page in pages]
    written: list[Path] = []
    for path, text in placed:
        if only_changed and path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
