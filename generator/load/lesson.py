"""Reading a lesson file: YAML front matter, then a Markdown body with sections, citations and
trainer notes."""

from __future__ import annotations

from collections.abc import Callable

from markdown.extensions.toc import slugify, unique
from yaml.nodes import Node

from generator.load.decode import Decoder
from generator.model import Citation, Image, Lesson, LessonFrontMatter, Loc, Section
from generator.source import dialect
from generator.source.diagnostics import Diagnostics
from generator.source.dialect import LineKind
from generator.source.limits import MAX_MARKDOWN_DEPTH
from generator.source.yaml_nodes import compose

# Resolves an image of a lesson body (found in line ``line`` of file ``rel``) to a file.
ImageResolver = Callable[[dialect.ImageAt, str, int], Image | None]


def load_lesson(
    text: str,
    rel: str,
    diags: Diagnostics,
    front_matter: Callable[[Node], Node] | None = None,
    images: ImageResolver | None = None,
) -> Lesson | None:
    """Parse one lesson file's text; None when its front matter cannot be read.

    ``front_matter``, if given, sees the front matter's nodes before they are decoded (a
    translation's source fingerprint is taken out there); ``images`` resolves the body's images
    (without it, they are left unresolved)."""
    lines = text.split("\n")
    read = _front_matter(lines, rel, diags, front_matter)
    if read is None:
        return None
    meta, end = read
    body_line = end + 2
    taken = dialect.take_trainer_notes(lines[end + 1 :])
    _check_body(taken, rel, body_line, diags)
    body = "\n".join(taken.body)
    sections, citations = _scan_body(taken.body, meta.title, rel, body_line, diags)
    found: tuple[Image, ...] = ()
    if images is not None and dialect.may_show_images(body):
        found = _images(taken.body, rel, body_line, images)
    return Lesson(
        meta=meta,
        path=rel,
        body=body.strip("\n") + "\n",
        body_line=body_line,
        sections=sections,
        citations=citations,
        trainer_notes=taken.notes,
        images=found,
    )


def _front_matter(
    lines: list[str],
    rel: str,
    diags: Diagnostics,
    front_matter: Callable[[Node], Node] | None,
) -> tuple[LessonFrontMatter, int] | None:
    """The lesson's front matter decoded, and the index of its closing line; None (reported)
    when it is missing, not closed, empty or broken."""
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
    if front_matter is not None:
        node = front_matter(node)
    meta = Decoder(rel, diags, line_offset=1).object(node, LessonFrontMatter, "lesson front matter")
    return None if meta is None else (meta, end)


def _check_body(taken: dialect.TrainerNotes, rel: str, body_line: int, diags: Diagnostics) -> None:
    """Trainer notes left open, and lists or blockquotes nested too deep."""
    if taken.unclosed is not None:
        diags.error(
            Loc(rel, body_line + taken.unclosed, 1),
            "trainer notes are not closed, expected a line ':::' after them",
        )
    deep = dialect.too_deep(taken.body, MAX_MARKDOWN_DEPTH)
    if deep is not None:
        diags.error(
            Loc(rel, body_line + deep.index, deep.col + 1),
            f"lists and blockquotes nest {deep.depth} deep here, more than the "
            f"{MAX_MARKDOWN_DEPTH} levels allowed, expected a flatter structure",
        )


def _images(
    lines: tuple[str, ...], rel: str, first: int, resolve: ImageResolver
) -> tuple[Image, ...]:
    """The body's images resolved to files, each problem reported."""
    found: list[Image] = []
    for index, (line, kind) in enumerate(dialect.line_kinds(lines)):
        if kind is LineKind.PROSE:
            for image in dialect.images(line):
                resolved = resolve(image, rel, first + index)
                if resolved is not None:
                    found.append(resolved)
    return tuple(found)


def _scan_body(
    lines: tuple[str, ...], title: str, rel: str, first: int, diags: Diagnostics
) -> tuple[tuple[Section, ...], tuple[Citation, ...]]:
    """Find headings (as anchors, the way the toc extension numbers them) and citations."""
    used: set[str] = {slugify(title, "-")}
    sections: list[Section] = []
    citations: list[Citation] = []
    for index, (line, kind) in enumerate(dialect.line_kinds(lines)):
        if kind is not LineKind.PROSE:
            continue
        number = first + index
        found = dialect.heading(line)
        if found:
            heading_title, anchor = dialect.heading_anchor(found.text)
            if found.level == 1:
                diags.error(
                    Loc(rel, number, 1),
                    "level-1 heading in a lesson body, expected '##' or deeper "
                    "(the page title comes from the front matter)",
                )
            anchor = unique(anchor, used)
            sections.append(Section(anchor, heading_title, Loc(rel, number, 1)))
        if not dialect.may_cite(line):
            continue
        for citation in dialect.citations(line):
            for key, at in zip(citation.keys, citation.at, strict=True):
                citations.append(Citation(key, Loc(rel, number, at + 1)))
        for broken in dialect.broken_citations(line):
            diags.error(Loc(rel, number, broken.start + 1), broken.message, broken.hint)
    return tuple(sections), tuple(citations)
