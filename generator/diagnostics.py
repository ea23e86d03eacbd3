"""Problems found in content: collected as values during a pass, reported together."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from generator.model import Loc


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


class ContentError(Exception):
    """Raised by adapters when content has errors; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(format_report(self.diagnostics))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def format_report(diagnostics: Iterable[Diagnostic]) -> str:
    """All problems, one a line, then a count."""
    items = list(diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in items)
    warnings = len(items) - errors
    lines = [str(d) for d in items]
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)
