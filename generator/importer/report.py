"""What an import did: files created and changed, what was placed where, what was skipped or
guessed, and what the author should edit next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostics, excerpt
from generator.model import Loc


@dataclass(frozen=True, order=True)
class Placement:
    """One part of the document and where it landed."""

    loc: Loc
    message: str

    def __str__(self) -> str:
        return f"{self.loc.path}:{self.loc.line}: {self.message}"


@dataclass
class ImportReport:
    """Collected during an import, printed at the end; problems are Diagnostics like anywhere."""

    source: str
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    placements: list[Placement] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    def placed(self, line: int, message: str) -> None:
        self.placements.append(Placement(Loc(self.source, line, 1), message))

    def warn(self, line: int, message: str, col: int = 1, hint: str = "") -> None:
        self.diagnostics.warning(Loc(self.source, line, col), message, hint)

    def error(self, line: int, message: str, col: int = 1, hint: str = "") -> None:
        self.diagnostics.error(Loc(self.source, line, col), message, hint)

    @property
    def failed(self) -> bool:
        return self.diagnostics.has_errors()

    def format(
        self, dry_run: bool = False, source: Callable[[Loc], str | None] | None = None
    ) -> str:
        """The report as the command prints it; with ``source``, each error shows its line."""
        lines: list[str] = []
        if self.failed:
            lines.append(f"{self.source}: nothing written, because of these problems:")
            for d in self.diagnostics:
                lines.append(f"  {d}")
                text = source(d.loc) if source is not None else None
                if text is not None:
                    lines.extend(excerpt(d.loc, text))
            return "\n".join(lines)
        would = "would be " if dry_run else ""
        if self.created:
            lines.append(f"Files {would}created:")
            lines += [f"  {path}" for path in self.created]
        if self.changed:
            lines.append(f"Files {would}changed:")
            lines += [f"  {path}" for path in self.changed]
        if self.counts:
            lines.append(
                "Placed: " + ", ".join(f"{n} {what}" for what, n in self.counts.items()) + "."
            )
        lines += [f"  {p}" for p in sorted(self.placements)]
        problems = list(self.diagnostics)
        if problems:
            lines.append("Skipped, repaired or guessed (check these):")
            lines += [f"  {d}" for d in problems]
        if self.todo:
            lines.append("To do next:")
            lines += [f"  - {item}" for item in self.todo]
        if dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)
