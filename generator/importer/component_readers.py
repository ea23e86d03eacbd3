"""How the importer reads each kind of practical component from a module document: the role
template (bold Role and Overall Responsibility lines, then bulleted groups), the checklist (a
pipe table of ``[ ] Label`` rows under bold section rows) and the lifecycle guide (a pipe table
with ``<br>``-separated lists).

Each kind has a test (does this block hold one?) and a reader (the block as the model object,
with a short account of what was found); the importer's row for the kind
(``generator.importer.kinds``) names them. Nothing here knows the tables.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.importer.document import (
    Block,
    Line,
    Table,
    TextBlock,
    fit_row,
    plain_text,
    table_width,
)
from generator.importer.ids import make_id, unique_id, unique_ids
from generator.importer.report import ImportReport
from generator.model import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    LifecycleGuide,
    LifecyclePhase,
    ResponsibilityGroup,
    RoleTemplate,
)
from generator.source import dialect

_ROLE = re.compile(r"^\*\*Role:?\*\*:?\s*(.+?)\s*$|^\*\*Role:\s*(.+?)\*\*\s*$", re.IGNORECASE)
_OVERALL = re.compile(r"^\*\*Overall Responsibilit(?:y|ies):?\*\*:?\s*(.*)$", re.IGNORECASE)
_BOLD_LINE = re.compile(r"^\*\*(.+?):?\*\*:?\s*$")
_CHECKBOX = re.compile(r"^\[[ xX]?\]\s*(.*)$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PHASE_PREFIX = re.compile(r"^(?:phase|stage|step)\s*\d+\s*[:.–-]\s*", re.IGNORECASE)
_STATUSES = re.compile(r"\(([^)]*/[^)]*)\)")


def strip_bold(text: str) -> str:
    """Text without surrounding bold or italic markers and a trailing colon."""
    text = text.strip()
    for marker in ("**", "__", "*", "_"):
        if len(text) > 2 * len(marker) and text.startswith(marker) and text.endswith(marker):
            text = text[len(marker) : -len(marker)].strip()
    return text.rstrip(":").strip()


def holds_role_template(block: Block) -> bool:
    """A text block with a bold Role line."""
    return isinstance(block, TextBlock) and any(
        _ROLE.match(line.text.strip()) for line in block.lines
    )


def holds_checklist(block: Block) -> bool:
    """A table whose first column has ``[ ]`` boxes."""
    if not isinstance(block, Table):
        return False
    first_cells = [row.cells[0] for row in block.rows if row.cells]
    return any(_CHECKBOX.match(cell) for cell in first_cells)


def holds_lifecycle_guide(block: Block) -> bool:
    """A table of two or more columns with lists (``<br>`` or bullets) after the first."""
    return (
        isinstance(block, Table)
        and len(block.header.cells) >= 2
        and any(
            _BREAK.search(cell) or cell.startswith(("- ", "* "))
            for row in block.rows
            for cell in row.cells[1:]
        )
    )


@dataclass
class _Group:
    """A group of responsibilities, while the role template is read."""

    title: str
    line: int
    items: list[str] = field(default_factory=list)


@dataclass
class _RoleLines:
    """The lines of a role template sorted into what they say."""

    role: str = ""
    overall: list[Line] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)
    lead_in: list[Line] = field(default_factory=list)


def _role_lines(block: TextBlock, report: ImportReport) -> _RoleLines:
    """Role line, overall responsibility, bulleted groups (deeper bullets their items)."""
    found = _RoleLines()
    in_overall = False
    group_indent = -1
    for line in block.lines:
        text = line.text.strip()
        if not text:
            in_overall = False
            continue
        role_match = _ROLE.match(text)
        overall_match = _OVERALL.match(text)
        bullet = dialect.list_item(line.text)
        if role_match and not found.role:
            found.role = strip_bold(role_match.group(1) or role_match.group(2))
        elif overall_match:
            in_overall = True
            if overall_match.group(1).strip():
                found.overall.append(Line(line.number, overall_match.group(1)))
        elif in_overall and not bullet:
            found.overall.append(line)
        elif bullet and (group_indent < 0 or bullet.indent <= group_indent):
            in_overall = False
            group_indent = bullet.indent
            found.groups.append(_Group(strip_bold(bullet.text), line.number))
        elif bullet and found.groups:
            found.groups[-1].items.append(bullet.text.strip())
        elif not found.role and not found.groups:
            found.lead_in.append(line)
        elif _BOLD_LINE.match(text) and not found.groups:
            continue  # a label such as "Specific Responsibilities:" introducing the groups
        elif found.groups and found.groups[-1].items:
            found.groups[-1].items[-1] += " " + text  # a wrapped responsibility
        else:
            report.warn(line.number, f"role template line not placed: '{text[:60]}'")
    return found


def read_role_template(
    title: str, block: Block, intro: str, report: ImportReport
) -> tuple[RoleTemplate, str] | None:
    """Role, overall responsibility and bulleted groups of responsibilities."""
    if not isinstance(block, TextBlock):
        return None
    """Role, overall responsibility and bulleted groups of responsibilities."""
    found = _role_lines(block, report)
    if not found.role:
        report.warn(block.line, "role template has no '**Role:**' line; skipped")
        return None
    if not found.overall:
        report.warn(block.line, "role template has no '**Overall Responsibility:**' text; skipped")
        return None
    for group in found.groups:
        if not group.items:
            report.warn(group.line, "responsibility group has no responsibilities; kept empty")
    ids = unique_ids([_group_id_text(group.title) for group in found.groups], "group")
    template = RoleTemplate(
        title=title,
        intro=" ".join(t for t in (intro, plain_text(found.lead_in)) if t),
        role=found.role,
        overall_responsibility=plain_text(found.overall),
        groups=tuple(
            ResponsibilityGroup(id=gid, title=group.title, responsibilities=tuple(group.items))
            for gid, group in zip(ids, found.groups, strict=True)
        ),
    )
    count = sum(len(g.responsibilities) for g in template.groups)
    return template, f"{len(template.groups)} groups, {count} responsibilities"


def _group_id_text(title: str) -> str:
    """'Model Stage (Design, Training)' gives 'Model Stage': ids stay short."""
    return re.sub(r"\s*\(.*?\)", "", title)


def _column(header: Sequence[str], words: Sequence[str], default: int | None) -> int | None:
    for index, cell in enumerate(header):
        if any(word in cell.lower() for word in words):
            return index
    return default


@dataclass(frozen=True)
class _ChecklistColumns:
    """Which columns of a checklist table hold what, and the statuses its header names."""

    width: int
    label: int
    description: int | None
    statuses: tuple[str, ...]


@dataclass
class _ChecklistRows:
    """A section row of a checklist table and the (label, description) of its items."""

    title: str
    line: int
    items: list[tuple[str, str]] = field(default_factory=list)


def _checklist_columns(table: Table, report: ImportReport) -> _ChecklistColumns:
    width = table_width(table, report)
    header = [strip_bold(cell) for cell in table.header.cells]
    status_col = _column(header, ("status",), None)
    statuses: tuple[str, ...] = ("Yes", "No", "N/A")
    if status_col is not None:
        found = _STATUSES.search(header[status_col])
        if found:
            # "Yes/No/N/A": the slash separates statuses, except inside N/A.
            found_statuses = re.findall(r"N/A|[^/]+", found.group(1), re.IGNORECASE)
            statuses = tuple(s.strip() for s in found_statuses if s.strip())
    return _ChecklistColumns(
        width=width,
        label=_column(header, ("item", "check", "label"), 0) or 0,
        description=_column(
            header, ("description", "question", "detail"), 1 if width > 1 else None
        ),
        statuses=statuses,
    )


def _checklist_rows(
    table: Table, columns: _ChecklistColumns, report: ImportReport
) -> list[_ChecklistRows]:
    """Bold rows with empty cells open a section; '[ ] Label | Description' rows are its items."""
    label_col, desc_col = columns.label, columns.description
    sections: list[_ChecklistRows] = []
    needed = max(label_col, desc_col or 0) + 1
    for row in table.rows:
        boxed = bool(row.cells) and _CHECKBOX.match(row.cells[min(label_col, len(row.cells) - 1)])
        cells = fit_row(row, columns.width, report, needed if boxed else label_col + 1)
        label_cell = cells[label_col]
        others = [c for i, c in enumerate(cells) if i != label_col]
        box = _CHECKBOX.match(label_cell)
        if box:
            if not sections:
                report.warn(
                    row.line, "checklist item before any section row; section 'General' added"
                )
                sections.append(_ChecklistRows("General", row.line))
            description = cells[desc_col] if desc_col is not None else ""
            if not description:
                report.warn(
                    row.line,
                    f"checklist item '{box.group(1)}' has no description; its label is used",
                )
            sections[-1].items.append((box.group(1).strip(), description or box.group(1)))
        elif label_cell and not any(others):
            sections.append(_ChecklistRows(strip_bold(label_cell), row.line))
        elif any(cells):
            report.warn(
                row.line,
                f"checklist row not placed: '{' | '.join(cells)[:60]}'",
                hint="expected '[ ] Label | Description' or a bold section row",
            )
    for section in sections:
        if not section.items:
            report.warn(section.line, f"checklist section '{section.title}' has no items; skipped")
    return [section for section in sections if section.items]


def read_checklist(
    title: str, table: Block, intro: str, report: ImportReport
) -> tuple[Checklist, str] | None:
    """A checklist table: its sections and items, and the statuses its header names."""
    if not isinstance(table, Table):
        return None
    columns = _checklist_columns(table, report)
    sections = _checklist_rows(table, columns, report)
    if not sections:
        report.warn(table.line, "checklist table has no '[ ] Label' items; skipped")
        return None
    used_items: set[str] = set()
    section_ids = unique_ids([section.title for section in sections], "section")
    checklist = Checklist(
        title=title,
        intro=intro,
        statuses=columns.statuses,
        sections=tuple(
            ChecklistSection(
                id=sid,
                title=section.title,
                items=tuple(
                    ChecklistItem(
                        id=unique_id(make_id(label, f"item-{n}"), used_items),
                        label=label,
                        description=description,
                    )
                    for n, (label, description) in enumerate(section.items, start=1)
                ),
            )
            for sid, section in zip(section_ids, sections, strict=True)
        ),
    )
    count = sum(len(s.items) for s in checklist.sections)
    return checklist, f"{len(sections)} sections, {count} items"


def _cell_list(cell: str) -> tuple[str, ...]:
    """A cell's '<br>'-separated list, bullets dropped."""
    parts = [re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", p.strip()) for p in _BREAK.split(cell)]
    return tuple(p for p in parts if p)


def _lifecycle_columns(
    table: Table, width: int, report: ImportReport
) -> tuple[int | None, int | None]:
    """The columns of the engineer's activities and of the SME collaboration points."""
    header = [strip_bold(cell) for cell in table.header.cells]
    sme_col = _column(header, ("sme", "collaborat", "expert"), 2 if width > 2 else None)
    activity_col = _column(header, ("activit", "engineer", "mitigation"), 1)
    if activity_col == sme_col:
        activity_col = 1 if sme_col != 1 else 2
    if sme_col is None:
        report.warn(
            table.line,
            f"lifecycle guide table has {width} columns and no SME collaboration column; "
            "SME collaboration points left empty",
        )
    return activity_col, sme_col


def read_lifecycle_guide(
    title: str, table: Block, intro: str, report: ImportReport
) -> tuple[LifecycleGuide, str] | None:
    """One phase per row: its title, the engineer's activities and the SME collaboration points."""
    if not isinstance(table, Table):
        return None
    width = table_width(table, report)
    activity_col, sme_col = _lifecycle_columns(table, width, report)
    phases: list[LifecyclePhase] = []  # ids given once every title is known
    needed = max(c for c in (0, activity_col, sme_col) if c is not None) + 1
    for row in table.rows:
        cells = fit_row(row, width, report, needed)
        phase_title = _PHASE_PREFIX.sub("", strip_bold(cells[0]))
        if not phase_title:
            report.warn(row.line, "lifecycle guide row without a phase name; skipped")
            continue
        activities = _cell_list(cells[activity_col]) if activity_col is not None else ()
        sme = _cell_list(cells[sme_col]) if sme_col is not None else ()
        if not activities:
            report.warn(row.line, f"phase '{phase_title}' has no activities")
        phases.append(
            LifecyclePhase(id="-", title=phase_title, activities=activities, sme_collaboration=sme)
        )
    if not phases:
        report.warn(table.line, "lifecycle guide table has no phases; skipped")
        return None
    ids = unique_ids([phase.title for phase in phases], "phase")
    guide = LifecycleGuide(
        title=title,
        intro=intro,
        phases=tuple(
            dataclasses.replace(phase, id=pid) for pid, phase in zip(ids, phases, strict=True)
        ),
    )
    return guide, f"{len(phases)} phases"
