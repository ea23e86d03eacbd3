"""Practical components found in a module document: the role template (bold Role and Overall
Responsibility lines, then bulleted groups), the checklist (a pipe table of ``[ ] Label`` rows
under bold section rows) and the lifecycle guide (a pipe table with ``<br>``-separated lists)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.components import CHECKLIST, LIFECYCLE_GUIDE, ROLE_TEMPLATE, ComponentKind
from generator.importer.document import (
    Block,
    Fence,
    Line,
    Part,
    Table,
    TextBlock,
    fit_row,
    paragraphs,
    plain_text,
    split_blocks,
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

_ROLE = re.compile(r"^\*\*Role:?\*\*:?\s*(.+?)\s*$|^\*\*Role:\s*(.+?)\*\*\s*$", re.IGNORECASE)
_OVERALL = re.compile(r"^\*\*Overall Responsibilit(?:y|ies):?\*\*:?\s*(.*)$", re.IGNORECASE)
_BOLD_LINE = re.compile(r"^\*\*(.+?):?\*\*:?\s*$")
_BULLET = re.compile(r"^(\s*)(?:[*+-]|\d+[.)])\s+(.*)$")
_CHECKBOX = re.compile(r"^\[[ xX]?\]\s*(.*)$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PHASE_PREFIX = re.compile(r"^(?:phase|stage|step)\s*\d+\s*[:.–-]\s*", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(r"^\d+[.)]\s+")
_STATUSES = re.compile(r"\(([^)]*/[^)]*)\)")


@dataclass(frozen=True)
class Component:
    """A component found in the document: its kind, the model object and where it started."""

    kind: ComponentKind
    value: RoleTemplate | Checklist | LifecycleGuide
    line: int
    detail: str


def strip_bold(text: str) -> str:
    """Text without surrounding bold or italic markers and a trailing colon."""
    text = text.strip()
    for marker in ("**", "__", "*", "_"):
        if len(text) > 2 * len(marker) and text.startswith(marker) and text.endswith(marker):
            text = text[len(marker) : -len(marker)].strip()
    return text.rstrip(":").strip()


def component_title(heading: str) -> str:
    """A sub-section heading as a component title: '1. Role Template' is 'Role Template'."""
    return _NUMBER_PREFIX.sub("", heading).strip()


def candidate_blocks(blocks: Sequence[Block], report: ImportReport) -> list[Block]:
    """A part's blocks with fenced Markdown opened up: components may or may not be fenced."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Fence) and block.info in ("", "markdown", "md"):
            out += split_blocks(block.lines, report)
        else:
            out.append(block)
    return out


def kind_of(block: Block) -> ComponentKind | None:
    """Which component a block holds, judged by its content rather than by its heading."""
    if isinstance(block, TextBlock):
        if any(_ROLE.match(line.text.strip()) for line in block.lines):
            return ROLE_TEMPLATE
        return None
    if isinstance(block, Table):
        first_cells = [row.cells[0] for row in block.rows if row.cells]
        if any(_CHECKBOX.match(cell) for cell in first_cells):
            return CHECKLIST
        if len(block.header.cells) >= 2 and any(
            _BREAK.search(cell) or cell.startswith(("- ", "* "))
            for row in block.rows
            for cell in row.cells[1:]
        ):
            return LIFECYCLE_GUIDE
    return None


def find_component(
    part: Part, report: ImportReport
) -> tuple[ComponentKind, Block, list[Block]] | None:
    """The first component block of a part, with the part's other blocks (its intro)."""
    blocks = candidate_blocks(part.blocks, report)
    for index, block in enumerate(blocks):
        kind = kind_of(block)
        if kind is not None:
            return kind, block, blocks[:index] + blocks[index + 1 :]
    return None


def read_component(
    kind: ComponentKind, title: str, block: Block, intro: str, report: ImportReport
) -> Component | None:
    """Turn a component block into its model object."""
    if kind is ROLE_TEMPLATE and isinstance(block, TextBlock):
        return read_role_template(title, block, intro, report)
    if kind is CHECKLIST and isinstance(block, Table):
        return read_checklist(title, block, intro, report)
    if kind is LIFECYCLE_GUIDE and isinstance(block, Table):
        return read_lifecycle_guide(title, block, intro, report)
    return None


def read_role_template(
    title: str, block: TextBlock, intro: str, report: ImportReport
) -> Component | None:
    """Role, overall responsibility and bulleted groups of responsibilities."""
    role = ""
    overall: list[Line] = []
    groups: list[tuple[str, int, list[str]]] = []
    lead_in: list[Line] = []
    in_overall = False
    group_indent = -1
    for line in block.lines:
        text = line.text.strip()
        if not text:
            in_overall = False
            continue
        role_match = _ROLE.match(text)
        overall_match = _OVERALL.match(text)
        bullet = _BULLET.match(line.text)
        if role_match and not role:
            role = strip_bold(role_match.group(1) or role_match.group(2))
        elif overall_match:
            in_overall = True
            if overall_match.group(1).strip():
                overall.append(Line(line.number, overall_match.group(1)))
        elif in_overall and not bullet:
            overall.append(line)
        elif bullet and (group_indent < 0 or len(bullet.group(1)) <= group_indent):
            in_overall = False
            group_indent = len(bullet.group(1))
            groups.append((strip_bold(bullet.group(2)), line.number, []))
        elif bullet and groups:
            groups[-1][2].append(bullet.group(2).strip())
        elif not role and not groups:
            lead_in.append(line)
        elif _BOLD_LINE.match(text) and not groups:
            continue  # a label such as "Specific Responsibilities:" introducing the groups
        elif groups and groups[-1][2]:
            groups[-1][2][-1] += " " + text  # a wrapped responsibility
        else:
            report.warn(line.number, f"role template line not placed: '{text[:60]}'")
    if not role:
        report.warn(block.line, "role template has no '**Role:**' line; skipped")
        return None
    if not overall:
        report.warn(block.line, "role template has no '**Overall Responsibility:**' text; skipped")
        return None
    for _title, number, items in groups:
        if not items:
            report.warn(number, "responsibility group has no responsibilities; kept empty")
    ids = unique_ids([_group_id_text(t) for t, _n, _i in groups], "group")
    intro_text = " ".join(t for t in (intro, plain_text(lead_in)) if t)
    template = RoleTemplate(
        title=title,
        intro=intro_text,
        role=role,
        overall_responsibility=plain_text(overall),
        groups=tuple(
            ResponsibilityGroup(id=gid, title=t, responsibilities=tuple(items))
            for gid, (t, _n, items) in zip(ids, groups, strict=True)
        ),
    )
    count = sum(len(g.responsibilities) for g in template.groups)
    return Component(
        ROLE_TEMPLATE,
        template,
        block.line,
        f"{len(template.groups)} groups, {count} responsibilities",
    )


def _group_id_text(title: str) -> str:
    """'Model Stage (Design, Training)' gives 'Model Stage': ids stay short."""
    return re.sub(r"\s*\(.*?\)", "", title)


def _column(header: Sequence[str], words: Sequence[str], default: int | None) -> int | None:
    for index, cell in enumerate(header):
        if any(word in cell.lower() for word in words):
            return index
    return default


def read_checklist(title: str, table: Table, intro: str, report: ImportReport) -> Component | None:
    """Bold rows with empty cells open a section; '[ ] Label | Description' rows are its items."""
    width = table_width(table, report)
    header = [strip_bold(cell) for cell in table.header.cells]
    label_col = _column(header, ("item", "check", "label"), 0) or 0
    desc_col = _column(header, ("description", "question", "detail"), 1 if width > 1 else None)
    status_col = _column(header, ("status",), None)
    statuses: tuple[str, ...] = ("Yes", "No", "N/A")
    if status_col is not None:
        found = _STATUSES.search(header[status_col])
        if found:
            # "Yes/No/N/A": the slash separates statuses, except inside N/A.
            found_statuses = re.findall(r"N/A|[^/]+", found.group(1), re.IGNORECASE)
            statuses = tuple(s.strip() for s in found_statuses if s.strip())
    sections: list[tuple[str, int, list[tuple[str, str, int]]]] = []
    needed = max(label_col, desc_col or 0) + 1
    for row in table.rows:
        boxed = bool(row.cells) and _CHECKBOX.match(row.cells[min(label_col, len(row.cells) - 1)])
        cells = fit_row(row, width, report, needed if boxed else label_col + 1)
        label_cell = cells[label_col]
        others = [c for i, c in enumerate(cells) if i != label_col]
        box = _CHECKBOX.match(label_cell)
        if box:
            if not sections:
                report.warn(
                    row.line, "checklist item before any section row; section 'General' added"
                )
                sections.append(("General", row.line, []))
            description = cells[desc_col] if desc_col is not None else ""
            if not description:
                report.warn(
                    row.line,
                    f"checklist item '{box.group(1)}' has no description; its label is used",
                )
            sections[-1][2].append((box.group(1).strip(), description or box.group(1), row.line))
        elif label_cell and not any(others):
            sections.append((strip_bold(label_cell), row.line, []))
        elif any(cells):
            report.warn(
                row.line,
                f"checklist row not placed: '{' | '.join(cells)[:60]}'",
                hint="expected '[ ] Label | Description' or a bold section row",
            )
    sections = [s for s in sections if s[2] or _warn_empty(s, report)]
    if not sections:
        report.warn(table.line, "checklist table has no '[ ] Label' items; skipped")
        return None
    used_items: set[str] = set()
    section_ids = unique_ids([t for t, _l, _i in sections], "section")
    checklist = Checklist(
        title=title,
        intro=intro,
        statuses=statuses,
        sections=tuple(
            ChecklistSection(
                id=sid,
                title=stitle,
                items=tuple(
                    ChecklistItem(
                        id=unique_id(_item_id(label, n), used_items),
                        label=label,
                        description=description,
                    )
                    for n, (label, description, _line) in enumerate(items, start=1)
                ),
            )
            for sid, (stitle, _l, items) in zip(section_ids, sections, strict=True)
        ),
    )
    count = sum(len(s.items) for s in checklist.sections)
    return Component(CHECKLIST, checklist, table.line, f"{len(sections)} sections, {count} items")


def _item_id(label: str, number: int) -> str:
    return make_id(label, f"item-{number}")


def _warn_empty(section: tuple[str, int, list[tuple[str, str, int]]], report: ImportReport) -> bool:
    report.warn(section[1], f"checklist section '{section[0]}' has no items; skipped")
    return False


def _cell_list(cell: str) -> tuple[str, ...]:
    """A cell's '<br>'-separated list, bullets dropped."""
    parts = [re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", p.strip()) for p in _BREAK.split(cell)]
    return tuple(p for p in parts if p)


def read_lifecycle_guide(
    title: str, table: Table, intro: str, report: ImportReport
) -> Component | None:
    """One phase per row: its title, the engineer's activities and the SME collaboration points."""
    width = table_width(table, report)
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
    phases: list[tuple[str, int, tuple[str, ...], tuple[str, ...]]] = []
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
        phases.append((phase_title, row.line, activities, sme))
    if not phases:
        report.warn(table.line, "lifecycle guide table has no phases; skipped")
        return None
    ids = unique_ids([t for t, *_ in phases], "phase")
    guide = LifecycleGuide(
        title=title,
        intro=intro,
        phases=tuple(
            LifecyclePhase(id=pid, title=t, activities=acts, sme_collaboration=sme)
            for pid, (t, _line, acts, sme) in zip(ids, phases, strict=True)
        ),
    )
    return Component(LIFECYCLE_GUIDE, guide, table.line, f"{len(phases)} phases")


def intro_text(blocks: Sequence[Block], report: ImportReport) -> str:
    """A component's intro: the text around it, as one line (the field is inline Markdown)."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            texts += [plain_text(p) for p in paragraphs(block.lines)]
        else:
            report.warn(block.line, "block next to a component not placed (one component per part)")
    return " ".join(texts)
