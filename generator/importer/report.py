"""What an import did: files created and changed, what was placed where, what was skipped or
guessed, and what the author should edit next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.model import Loc
from generator.source.diagnostics import Diagnostic, Diagnostics, Severity, excerpt


@dataclass(frozen=True, order=True)
class Placement:
    """One part of the document and where it landed."""

    loc: Loc
    message: str

    def __str__(self) -> str:
        return f"{self.loc.path}:{self.loc.line}: {self.message}"


def _described(where: str, diagnostic: Diagnostic) -> str:
    label = "" if diagnostic.severity is Severity.ERROR else "warning: "
    hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
    return f"{where}: {label}{diagnostic.message}{hint}"


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
    # A Word or OpenDocument import: the source is not text (no line of it is ever shown), and
    # each line of the module document made from it maps to its place in the document.
    text_source: bool = True
    places: dict[int, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)

    def where(self, loc: Loc) -> str:
        """A location as the author finds it: path:line, or the place in a Word document."""
        if loc.path == self.source and not self.text_source:
            place = self.places.get(loc.line)
            return f"{loc.path} ({place})" if place else loc.path
        return f"{loc.path}:{loc.line}" + (f":{loc.col}" if loc.col > 1 else "")

    def describe(self, diagnostic: Diagnostic) -> str:
        if diagnostic.loc.path == self.source and not self.text_source:
            return _described(self.where(diagnostic.loc), diagnostic)
        return str(diagnostic)

    def placement(self, placement: Placement) -> str:
        if placement.loc.path == self.source and not self.text_source:
            return f"{self.where(placement.loc)}: {placement.message}"
        return str(placement)

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
        problems = list(self.diagnostics)
        if self.failed and not self.text_source and len(problems) == 1:
            # A Word or OpenDocument file refused as a whole: one line.
            return f"{self.describe(problems[0])}; nothing written"
        if self.failed:
            lines.append(f"{self.source}: nothing written, because of these problems:")
            for d in self.diagnostics:
                lines.append(f"  {self.describe(d)}")
                text = source(d.loc) if source is not None and self.text_source else None
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
        lines += [f"  {self.placement(p)}" for p in sorted(self.placements)]
        problems = list(self.diagnostics)
        if problems or self.dropped:
            lines.append("Skipped, repaired or guessed (check these):")
            lines += [f"  {self.describe(d)}" for d in problems]
            lines += [f"  {self.source}, {item}" for item in self.dropped]
        if self.todo:
            lines.append("To do next:")
            lines += [f"  - {item}" for item in self.todo]
        if dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)

    def markdown(self, document_name: str, module_dir: str) -> str:
        """``import-report.md``: what was placed where, and everything dropped, changed or guessed,
        with where it was in the document (or the line of the file it is now in)."""

        def named(text: str) -> str:
            return text.replace(self.source, document_name, 1)

        lines = [
            f"# Import report: {document_name}",
            "",
            f"`coursesmith import` wrote `{module_dir}/` from `{document_name}`. Below is where "
            "each part of the document went, then everything that was dropped, changed or "
            "guessed: check each, in the document or at the `path:line` given. The build ignores "
            "this file; delete it when you are done.",
            "",
            "## Placed",
            "",
        ]
        lines += [f"- {named(self.placement(p))}" for p in sorted(self.placements)]
        lines += ["", "## Dropped, changed or guessed", ""]
        changed = [named(self.describe(d)) for d in self.diagnostics]
        changed += [f"{document_name}, {item}" for item in self.dropped]
        lines += [f"- {item}" for item in changed] or ["- nothing"]
        if self.todo:
            lines += ["", "## To do next", ""]
            lines += [f"- {item}" for item in self.todo]
        return "\n".join(lines) + "\n"
