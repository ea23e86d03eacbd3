"""Deciding what a module document becomes: lessons, components, sources, and the module itself.

Every top-level section becomes one lesson, in order, except the practical components and the
source sections. Consecutive "Mission Pillar: …" sections stay one lesson each: the headings then
land verbatim, every lesson id is stable when the document is imported again, and no title has
to be invented for a merged lesson (an author can still merge them by hand).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.importer.components import (
    Component,
    FoundComponent,
    component_title,
    find_component,
    intro_text,
    read_component,
)
from generator.importer.document import (
    Block,
    Document,
    Fence,
    Line,
    Part,
    Table,
    TextBlock,
    paragraphs,
    plain_text,
)
from generator.importer.ids import make_id, unique_id
from generator.importer.report import ImportReport
from generator.importer.sources import (
    Bibliography,
    read_collection,
    read_evaluation,
    read_sources,
)
from generator.model import Level
from generator.model.components import COMPONENTS, RESERVED_PAGE_NAMES
from generator.source import dialect
from generator.source.dialect import LineKind
from generator.source.layout import COMPONENTS as COMPONENTS_FOLDER
from generator.source.layout import MODULE_FILE

WORDS_PER_MINUTE = 200
_SOURCES = re.compile(r"^(sources|references|bibliography|works cited)$", re.IGNORECASE)


@dataclass(frozen=True)
class PlannedLesson:
    """A lesson to write: its id, title, estimated minutes, Markdown body and source line."""

    id: str
    title: str
    minutes: int
    body: str
    line: int


@dataclass
class ModulePlan:
    """Everything an import writes, still in memory."""

    slug: str
    code: str
    title: str
    level: Level
    summary: str
    lessons: list[PlannedLesson] = field(default_factory=list)
    components_intro: str = ""
    components: dict[str, Component] = field(default_factory=dict)
    bibliography: Bibliography = field(default_factory=Bibliography)

    @property
    def duration(self) -> int:
        return max(1, sum(lesson.minutes for lesson in self.lessons))


def section_kind(title: str) -> str | None:
    """Which source section a heading names, if any."""
    lowered = title.lower()
    if _SOURCES.match(title.strip().rstrip(":")):
        return "sources"
    if "evaluation" in lowered and "source" in lowered:
        return "evaluation"
    if "collection" in lowered and ("source" in lowered or "metadata" in lowered):
        return "collection"
    return None


def plan_module(doc: Document, slug: str, report: ImportReport) -> ModulePlan:
    """Place every section of the document: lessons, components, sources."""
    level = _level(doc.code, doc.title_line, report)
    plan = ModulePlan(slug=slug, code=doc.code, title=doc.title, level=level, summary="")
    lesson_parts: list[Part] = []
    source_parts: dict[str, Part] = {}
    for section in doc.sections:
        kind = section_kind(section.title)
        if kind is not None:
            if kind in source_parts:
                report.warn(section.line, f"second {kind} section '{section.title}' not placed")
            else:
                source_parts[kind] = section
            continue
        if not _place_components(section, plan, report):
            lesson_parts.append(section)
    if "sources" in source_parts:
        read_sources(source_parts["sources"], plan.bibliography, report)
    if "evaluation" in source_parts:
        read_evaluation(source_parts["evaluation"], plan.bibliography, report)
    if "collection" in source_parts:
        read_collection(source_parts["collection"], plan.bibliography, report)
    plan.lessons = _lessons(lesson_parts, report)
    plan.summary = _summary(doc, plan, report)
    _count(plan, report)
    return plan


def _level(code: str, line: int, report: ImportReport) -> Level:
    parts = set(code.upper().replace("_", "-").split("-"))
    for words, level in (
        ({"BEG", "BEGINNER", "INTRO"}, "beginner"),
        ({"INT", "INTERMEDIATE", "MID"}, "intermediate"),
        ({"ADV", "ADVANCED"}, "advanced"),
    ):
        if parts & words:
            report.placed(line, f"level '{level}' read from the module code {code}")
            return level  # type: ignore[return-value]
    report.warn(line, f"no level in module code {code}; level set to 'beginner'")
    return "beginner"


def _place_components(section: Part, plan: ModulePlan, report: ImportReport) -> bool:
    """Take the components out of a section; True when the section is not a lesson."""
    own = find_component(section, report)
    found: list[tuple[Part, FoundComponent]] = []
    if own is not None:
        found.append((section, own))
    found += [(sub, hit) for sub in section.parts if (hit := find_component(sub, report))]
    if not found and "component" not in section.title.lower():
        return False
    if not found:
        report.warn(
            section.line,
            f"section '{section.title}' names components but holds no role template, checklist "
            "or lifecycle table; placed as a lesson",
        )
        return False
    for part, hit in found:
        kind, title = hit.kind, component_title(part.title)
        if kind.name in plan.components:
            report.warn(part.line, f"second {kind.what} '{title}' not placed (one per module)")
            continue
        lead = intro_text(hit.others, report)
        component = read_component(kind, title, hit.block, lead, report)
        if component is not None:
            plan.components[kind.name] = component
            report.placed(
                part.line,
                f"'{title}' placed as {COMPONENTS_FOLDER}/{kind.filename} ({component.detail})",
            )
    if own is None:
        intro = [p for b in section.blocks if isinstance(b, TextBlock) for p in paragraphs(b.lines)]
        plan.components_intro = "\n\n".join(plain_text(p) for p in intro)
        for block in section.blocks:
            if not isinstance(block, TextBlock):
                report.warn(block.line, "block in the components section not placed")
    holders = {id(part) for part, _hit in found}
    for sub in section.parts:
        if id(sub) not in holders:
            report.warn(
                sub.line,
                f"sub-section '{sub.title}' of '{section.title}' not placed: no role template, "
                "checklist or lifecycle table in it",
            )
    return True


def _lessons(parts: Sequence[Part], report: ImportReport) -> list[PlannedLesson]:
    short = [make_id(p.title.split(":")[0], "") for p in parts]
    used: set[str] = set(RESERVED_PAGE_NAMES)  # a lesson named "quiz" would clash with the quiz
    lessons: list[PlannedLesson] = []
    for number, part in enumerate(parts, start=1):
        wanted = short[number - 1]
        if not wanted or short.count(wanted) > 1:
            wanted = make_id(part.title, f"lesson-{number}")
        lesson_id = unique_id(wanted, used)
        body = lesson_body(part)
        words = len(re.findall(r"\w+", body))
        minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
        lessons.append(PlannedLesson(lesson_id, part.title, minutes, body, part.line))
        report.placed(
            part.line,
            f"section '{part.title}' placed as lesson {number:02d}-{lesson_id} "
            f"({words} words, {minutes} min)",
        )
        if not body.strip():
            report.warn(part.line, f"section '{part.title}' has no text; its lesson is empty")
    if not lessons:
        report.warn(1, "no section became a lesson; the module has no lessons")
    return lessons


def lesson_body(part: Part) -> str:
    """A section as a lesson body: sub-sections become '##' headings, lists are normalised."""
    chunks = [_block_markdown(b) for b in part.blocks]
    for sub in part.parts:
        chunks.append(f"## {sub.title}")
        chunks += [_block_markdown(b) for b in sub.blocks]
    return close_heading_gaps("\n\n".join(c for c in chunks if c).strip()) + "\n"


def close_heading_gaps(markdown: str) -> str:
    """Headings that skip a level (``####`` under the page title) moved up to the next one, so
    the page's outline has no gaps for screen-reader users; fenced code is left as it is."""
    out: list[str] = []
    level = 1  # the page title is the h1
    for line, kind in dialect.line_kinds(markdown.split("\n")):
        marks = dialect.heading_level(line) if kind is LineKind.PROSE else 0
        if marks >= 2:
            level = min(marks, level + 1)
            line = "#" * level + line[marks:]
        out.append(line)
    return "\n".join(out)


def _block_markdown(block: Block) -> str:
    if isinstance(block, TextBlock):
        return "\n".join(normalise_text(block.lines))
    if isinstance(block, Fence):
        inner = "\n".join(line.text for line in block.lines)
        return f"```{block.info}\n{inner}\n```" if inner else f"```{block.info}\n```"
    return _table_markdown(block)


def _table_markdown(table: Table) -> str:
    width = len(table.header.cells)
    rows = [table.header.cells, ("---",) * width]
    rows += [(row.cells + ("",) * width)[:width] for row in table.rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in rows)


def normalise_text(lines: Sequence[Line]) -> list[str]:
    """Running text with '-' bullets and 'N.' numbers nested by four spaces, as Python-Markdown
    needs, a blank line before a list that follows a paragraph, and deeper headings moved up one
    level (the section itself is the page title)."""
    out: list[str] = []
    stack: list[int] = []
    previous = "blank"
    for line in lines:
        text = line.text
        if not text.strip():
            out.append("")
            previous = "blank"
            continue
        bullet = dialect.list_item(text)
        heading = dialect.heading_level(text.strip()) >= 4
        if bullet:
            indent = bullet.indent
            while stack and indent < stack[-1]:
                stack.pop()
            if not stack or indent > stack[-1]:
                stack.append(indent)
            marker = bullet.marker
            marker = "-" if marker in "*+-" else marker[:-1] + "."
            if previous == "text":
                out.append("")
            out.append("    " * (len(stack) - 1) + f"{marker} {bullet.text.strip()}")
            previous = "list"
        elif heading:
            if out and out[-1]:
                out.append("")
            out.append(text.strip()[1:])
            out.append("")
            stack, previous = [], "blank"
        elif previous == "list" or (previous == "blank" and stack and text.startswith(" ")):
            # A wrapped list item, or a paragraph inside one: indent it under its item.
            out.append("    " * len(stack) + text.strip())
            previous = "list"
        else:
            stack = []
            out.append(text.strip())
            previous = "text"
    while out and not out[-1]:
        out.pop()
    return out


def _summary(doc: Document, plan: ModulePlan, report: ImportReport) -> str:
    """The module summary: the text before the first section, else the paragraph that says what
    the module does, else the first paragraph."""
    preamble = [p for b in doc.preamble if isinstance(b, TextBlock) for p in paragraphs(b.lines)]
    if preamble:
        report.placed(preamble[0][0].number, "text before the first section placed as summary")
        return "\n\n".join(plain_text(p) for p in preamble)
    candidates = [
        p
        for section in doc.sections
        if section.title in {lesson.title for lesson in plan.lessons}
        for b in section.blocks
        if isinstance(b, TextBlock)
        for p in paragraphs(b.lines)
        if not dialect.list_item(p[0].text)
    ]
    chosen = next(
        (p for p in candidates if re.match(r"^(this|the) (module|course)", p[0].text, re.I)),
        candidates[0] if candidates else None,
    )
    if chosen is None:
        report.warn(doc.title_line, "no paragraph to summarise the module; the title is used")
        return doc.title
    report.warn(
        chosen[0].number,
        f"summary copied from this paragraph (a guess); rewrite it in {MODULE_FILE}",
    )
    return plain_text(chosen)


def _count(plan: ModulePlan, report: ImportReport) -> None:
    counts = {"lessons": len(plan.lessons)}
    for kind in COMPONENTS:
        component = plan.components.get(kind.name)
        if component is not None:
            counts.update(component.counts())
    counts["sources"] = len(plan.bibliography.sources)
    counts["evaluations"] = plan.bibliography.evaluated
    report.counts.update(counts)
    for kind in COMPONENTS:
        if kind.name not in plan.components:
            report.todo.append(f"no {kind.what} found in the document; none written")
