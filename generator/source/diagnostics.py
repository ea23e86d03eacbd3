"""Problems found in content: collected as values during a pass, reported together."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a source file: project-relative POSIX path, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


NO_LOC = Loc("<memory>", 1, 1)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, what is wrong and what was expected, and an optional hint."""

    loc: Loc
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""

    def __str__(self) -> str:
        label = "" if self.severity is Severity.ERROR else "warning: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.loc}: {label}{self.message}{hint}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form for editors and CI."""
        return {
            "path": self.loc.path,
            "line": self.loc.line,
            "col": self.loc.col,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


class Diagnostics:
    """An ordered collection of problems that every loader and check appends to."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, loc: Loc, message: str, hint: str = "") -> None:
        self._items.append(Diagnostic(loc, message, Severity.ERROR, hint))

    def warning(self, loc: Loc, message: str, hint: str = "") -> None:
        self._items.append(Diagnostic(loc, message, Severity.WARNING, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self._items.extend(other)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self._items), key=_sort_key))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if d.severity is Severity.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        """Whether the content must not be built; in strict mode warnings count too."""
        return any(strict or d.severity is Severity.ERROR for d in self._items)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.loc.path, d.loc.line, d.loc.col, d.message)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or an empty string."""
    options = list(candidates)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close and len(word) >= 3:
        # A shortened id ('intro' for 'introduction') scores below the cutoff; a single
        # candidate that it begins, or that begins it, is still the likely meaning.
        close = [c for c in options if c.startswith(word) or word.startswith(c)]
        close = close if len(close) == 1 else []
    return f"did you mean '{close[0]}'?" if close else ""


def format_report(
    diagnostics: Iterable[Diagnostic], source: Callable[[Loc], str | None] | None = None
) -> str:
    """All problems, one a line, then a count; with ``source``, each shows its line and a caret."""
    items = list(diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in items)
    warnings = len(items) - errors
    lines: list[str] = []
    for d in items:
        lines.append(str(d))
        text = source(d.loc) if source is not None else None
        if text is not None:
            lines.extend(excerpt(d.loc, text))
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def excerpt(loc: Loc, text: str) -> tuple[str, str]:
    """The offending line under its number, and a caret under the column, as compilers show."""
    number = str(loc.line)
    # Control characters (a stray escape sequence, say) must not drive the author's terminal.
    text = "".join(
        c if c == "\t" or unicodedata.category(c) != "Cc" else "\N{REPLACEMENT CHARACTER}"
        for c in text
    )
    col = min(max(loc.col, 1), len(text) + 1)
    # Tabs stay tabs under the caret so it lands where the terminal put the character above.
    pad = "".join("\t" if c == "\t" else " " for c in text[: col - 1])
    return f"  {number} | {text}", f"  {' ' * len(number)} | {pad}^"


class SourceLines:
    """Reads the lines diagnostics point at from the project's files, for display only."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._files: dict[str, list[str] | None] = {}

    def __call__(self, loc: Loc) -> str | None:
        if loc.path not in self._files:
            self._files[loc.path] = self._read(loc.path)
        lines = self._files[loc.path]
        if lines is None or not 1 <= loc.line <= len(lines):
            return None
        return lines[loc.line - 1]

    def _read(self, rel: str) -> list[str] | None:
        path = (self.root / rel).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        # Undecodable bytes are what some diagnostics are about: show them replaced, not fail.
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
