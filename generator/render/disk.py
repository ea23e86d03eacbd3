"""Writing rendered pages to disk: the one writer of the generated pages and downloads, which the
build pipeline stages, the live preview keeps up to date and the benchmark lays out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath
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
    return _Targets(out_dir).target(relative)


class _Targets:
    """``target`` for many paths under one folder: the folder is resolved once, and each
    distinct parent folder of the paths once; only a path naming a symbolic link, or climbing
    with ``..`` (which follows the links before it), is resolved whole."""

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir.resolve()
        self.parents: dict[PurePosixPath, Path] = {}

    def target(self, relative: str) -> Path:
        if relative.startswith(("/", "\\")) or "\\" in relative:
            raise UnsafePathError(f"page path '{relative}' leaves the output folder")
        within = PurePosixPath(relative)
        if not within.parts or ".." in within.parts:
            return self._checked(relative, (self.root / relative).resolve())
        parent = self.parents.get(within.parent)
        if parent is None:
            parent = self._checked(relative, (self.root / within.parent).resolve())
            self.parents[within.parent] = parent
        path = parent / within.name
        return self._checked(relative, path.resolve()) if path.is_symlink() else path

    def _checked(self, relative: str, path: Path) -> Path:
        if not path.is_relative_to(self.root):
            raise UnsafePathError(f"page path '{relative}' leaves the output folder")
        return path


def write_pages(pages: Iterable[Text], out_dir: Path, *, only_changed: bool = False) -> list[Path]:
    """Write each page (or download) under ``out_dir`` at its path, as UTF-8; the files written.
    With ``only_changed``, a file that holds the same text already is left alone (and its time
    with it, so a watching engine rebuilds only what changed). UnsafePathError, before anything
    is written, if a path would leave ``out_dir``."""
    targets = _Targets(out_dir)
    placed = [(targets.target(page.path), page.text) for page in pages]
    written: list[Path] = []
    folders: set[Path] = set()
    for path, text in placed:
        if only_changed and path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
