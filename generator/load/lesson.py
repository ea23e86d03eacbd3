"""Reading a lesson file: YAML front matter, then a Markdown body with sections, citations and
trainer notes."""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify, unique

from generator.diagnostics import Diagnostics
from generator.load.decode import Decoder
from generator.load.yaml_nodes import compose
from generator.model import Citation, Lesson, LessonFrontMatter, Loc, Section

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_EXPLICIT_ANCHOR = re.compile(r"\s*\{\s*#([^\s}]+)[^}]*\}\s*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
CITATION = re.compile(r"\[@([^\]\s]*)\]")
TRAINER_OPEN = re.compile(r"^:::[ \t]*trainer[ \t]*$")
TRAINER_CLOSE = re.compile(r"^:::[ \t]*$")


def heading_anchor(text: str) -> tuple[str, str]:
    """The visible title and anchor of a heading, as Python-Markdown's toc extension makes them."""
    explicit = _EXPLICIT_ANCHOR.search(text)
    if explicit:
        title = text[: explicit.start()].strip()
        return title, explicit.group(1)
    plain = re.sub(r"[*_`]", "", text)
    return text, slugify(plain, "-")


def load_lesson(text: str, rel: str, diags: Diagnostics) -> Lesson | None:
    """Parse one lesson file's text; None when its front matter cannot be read."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        diags.error(
            Loc(rel, 1, 1), "lesson has no front matter, expected a first line '---' and YAML"
        )
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        diags.error(Loc(rel, 1, 1), "lesson front matter is not closed, expected a line '---'")
        return None
    node = compose("\n".join(lines[1:end]), rel, diags, line_offset=1)
    if node is None:
        if end == 1:
            diags.error(Loc(rel, 2, 1), "lesson front matter is empty, expected id, title, minutes")
        return None
    meta = Decoder(rel, diags, line_offset=1).object(node, LessonFrontMatter, "lesson front matter")
    if meta is None:
        return None
    body_line = end + 2
    body_lines, notes = _take_trainer_notes(lines[end + 1 :], rel, body_line, diags)
    sections, citations = _scan_body(body_lines, meta.title, rel, body_line, diags)
    return Lesson(
        meta=meta,
        path=rel,
        body="\n".join(body_lines).strip("\n") + "\n",
        body_line=body_line,
        sections=sections,
        citations=citations,
        trainer_notes=notes,
    )


def _take_trainer_notes(
    lines: list[str], rel: str, first: int, diags: Diagnostics
) -> tuple[list[str], tuple[str, ...]]:
    """Split out ``::: trainer`` blocks; their lines become blank so line numbers still hold."""
    body: list[str] = []
    notes: list[str] = []
    current: list[str] | None = None
    opened_at = 0
    for index, line in enumerate(lines):
        if current is None and TRAINER_OPEN.match(line):
            current, opened_at = [], first + index
            body.append("")
        elif current is not None and TRAINER_CLOSE.match(line):
            notes.append("\n".join(current).strip() + "\n")
            current = None
            body.append("")
        elif current is not None:
            current.append(line)
            body.append("")
        else:
            body.append(line)
    if current is not None:
        diags.error(
            Loc(rel, opened_at, 1), "trainer notes are not closed, expected a line ':::' after them"
        )
    return body, tuple(notes)


def _scan_body(
    lines: list[str], title: str, rel: str, first: int, diags: Diagnostics
) -> tuple[tuple[Section, ...], tuple[Citation, ...]]:
    """Find headings (as anchors, the way the toc extension numbers them) and citations."""
    used: set[str] = {slugify(title, "-")}
    sections: list[Section] = []
    citations: list[Citation] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        number = first + index
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            heading_title, anchor = heading_anchor(heading.group(2))
            if level == 1:
                diags.error(
                    Loc(rel, number, 1),
                    "level-1 heading in a lesson body, expected '##' or deeper "
                    "(the page title comes from the front matter)",
                )
            anchor = unique(anchor, used)
            sections.append(Section(anchor, heading_title, Loc(rel, number, 1)))
        without_code = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in CITATION.finditer(without_code):
            citations.append(Citation(match.group(1), Loc(rel, number, match.start() + 1)))
    return tuple(sections), tuple(citations)
