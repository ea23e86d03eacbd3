"""Our Markdown dialect, recognised in one place: fenced code, ATX headings, list items, code
spans, citations ``[@key]`` and ``[@a; @b]``, images ``![alt](path)``, trainer notes
(``::: trainer`` … ``:::``), admonitions (``!!! note``, ``??? tip "Title"``) and how deep lists
and blockquotes nest.

The loader, the site and print renderers and the importer all ask this module which lines are
code, which are headings and where the citations are, so they cannot disagree. A fence closes on
a line that starts a run of the opening fence's character at least as long as the opening run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import repeat

from markdown.extensions.toc import slugify

from generator.source.languages import N_
from generator.source.layout import SOURCES_FILE

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)")
_HEADING_MARKS = re.compile(r"^(#{1,6})[ \t]")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_EXPLICIT_ANCHOR = re.compile(r"\s*\{\s*#([^\s}]+)[^}]*\}\s*$")
_EMPHASIS_MARKS = re.compile(r"[*_`]")
# A code span as a pattern string, for renderers that combine it with spans of their own: its
# backtick run is group 1.
CODE_SPAN_PATTERN = r"(`+).+?\1"
_CODE_SPAN = re.compile(CODE_SPAN_PATTERN)
_LIST_ITEM = re.compile(r"^(\s*)([*+-]|\d+[.)])\s+(.*)$")
# A citation: ``[@key]``, or several keys in one bracket, ``[@a; @b]`` (Pandoc's form), as a
# pattern string for the renderers and the translation files that must keep it whole.
CITATION_PATTERN = r"\[@[^\]\s;]*(?:[ \t]*;[ \t]*@[^\]\s;]*)*\]"
_CITATION = re.compile(r"\[@([^\]\s;]*)((?:[ \t]*;[ \t]*@[^\]\s;]*)*)\]")
_FURTHER_KEY = re.compile(r"@([^\]\s;]*)")
# What follows ``[@`` in a citation that is not one: a space, then a key, then the rest.
_CITATION_START = re.compile(r"\[@(\s*)([^\]\s\[;,]*)([^\n]?)")
# An inline image: ``![alt](path)``, ``![alt](<path with spaces>)``, ``![alt](path "title")``;
# the path may hold balanced parentheses, as Python-Markdown reads it.
# Group 1 is the alt text, group 2 the address (angle brackets included), group 3 a title.
_IMAGE = re.compile(
    r"!\[([^\]\n]*)\]\([ \t]*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
    r"(?:[ \t]+(\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
)
# A reference-style image, ``![alt][label]``: its address is elsewhere in the text.
_REFERENCE_IMAGE = re.compile(r"!\[[^\]\n]*\]\[[^\]\n]*\]")
# What opens a container at the start of a line: a blockquote mark or a list marker.
_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[*+-]|\d{1,9}[.)])(?=[ \t]|$))[ \t]?")
_OPENS_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$))")
_TWO_CONTAINERS = re.compile(
    r"[ \t]*(?:>|(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$))[ \t]*(?:>|(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$))"
)
_TRAINER_OPEN = re.compile(r"^:::[ \t]*trainer[ \t]*$")
_TRAINER_CLOSE = re.compile(r"^:::[ \t]*$")


# --- fenced code ------------------------------------------------------------------------------


class LineKind(Enum):
    """What a line is to fenced code: prose, a fence line, or a line of code inside a fence."""

    PROSE = "prose"
    FENCE_OPEN = "fence-open"
    CODE = "code"
    FENCE_CLOSE = "fence-close"


@dataclass(frozen=True)
class FenceMark:
    """The opening line of fenced code: its run of backticks or tildes and its info string."""

    marks: str
    info: str

    def closed_by(self, line: str) -> bool:
        """Whether ``line`` closes this fence: the same character, a run at least as long."""
        match = _FENCE.match(line)
        if match is None:
            return False
        return match.group(1)[0] == self.marks[0] and len(match.group(1)) >= len(self.marks)


def fence_opening(line: str) -> FenceMark | None:
    """The fence a line opens (outside code), if it is a fence line."""
    match = _FENCE.match(line)
    return FenceMark(match.group(1), match.group(2)) if match else None


class Fences:
    """Follows fenced code through a text fed line by line, in order."""

    def __init__(self) -> None:
        self.current: FenceMark | None = None
        self.opened = -1  # the index, among the lines fed, of the line that opened ``current``
        self._fed = 0

    def feed(self, line: str) -> LineKind:
        """What this line is, given the lines fed before it."""
        index, self._fed = self._fed, self._fed + 1
        if self.current is not None:
            if self.current.closed_by(line):
                self.current = None
                return LineKind.FENCE_CLOSE
            return LineKind.CODE
        self.current = fence_opening(line)
        if self.current is None:
            return LineKind.PROSE
        self.opened = index
        return LineKind.FENCE_OPEN


def line_kinds(lines: Iterable[str]) -> Iterator[tuple[str, LineKind]]:
    """Each line with what it is to fenced code."""
    if isinstance(lines, list | tuple) and not may_fence("\n".join(lines)):
        return zip(lines, repeat(LineKind.PROSE))
    return _followed(lines)


def _followed(lines: Iterable[str]) -> Iterator[tuple[str, LineKind]]:
    fences = Fences()
    for line in lines:
        yield line, fences.feed(line)


def may_fence(text: str) -> bool:
    """Whether a text can hold a fence line: one without a run of three backticks or tildes is
    prose throughout (a cheap test before following fences line by line)."""
    return "```" in text or "~~~" in text


# --- headings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """An ATX heading: its level (1–6) and its text, closing hashes left out."""

    level: int
    text: str


def heading_level(line: str) -> int:
    """The level of a prose line that is a heading ('## ...' is 2), else 0."""
    match = _HEADING_MARKS.match(line)
    return len(match.group(1)) if match else 0


def heading(line: str) -> Heading | None:
    """The heading a prose line holds, if it is a heading with text."""
    if not line.startswith("#"):
        return None
    match = _HEADING.match(line)
    return Heading(len(match.group(1)), match.group(2)) if match else None


def heading_anchor(text: str) -> tuple[str, str]:
    """The visible title and anchor of a heading, as Python-Markdown's toc extension makes them:
    ``Title {#anchor}`` sets the anchor, otherwise it is the title slugified."""
    explicit = _EXPLICIT_ANCHOR.search(text)
    if explicit:
        title = text[: explicit.start()].strip()
        return title, explicit.group(1)
    plain = _EMPHASIS_MARKS.sub("", text)
    return text, slugify(plain, "-")


def deeper_headings(text: str) -> str:
    """The text with each heading outside fenced code one level deeper (level 6 stays 6)."""
    out: list[str] = []
    for line, kind in line_kinds(text.split("\n")):
        level = heading_level(line) if kind is LineKind.PROSE else 0
        out.append("#" + line if 1 <= level <= 5 else line)
    return "\n".join(out)


# --- list items -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListItem:
    """A line that starts a list item: its indentation, its marker ('-', '*', '+', '1.', '1)')
    and its text."""

    indent: int
    marker: str
    text: str


def list_item(line: str) -> ListItem | None:
    """The list item a line starts, if it starts one."""
    match = _LIST_ITEM.match(line)
    return ListItem(len(match.group(1)), match.group(2), match.group(3)) if match else None


# --- code spans and citations -----------------------------------------------------------------


def may_cite(text: str) -> bool:
    """Whether a text can hold a citation or a broken one: without ``[@`` it holds neither (a
    cheap test before looking for them)."""
    return "[@" in text


def may_show_images(text: str) -> bool:
    """Whether a text can hold an image: without ``![`` it holds none (a cheap test)."""
    return "![" in text


def _blank_code(line: str) -> str:
    """The line with each code span blanked out (spaces of the same length)."""
    if "`" not in line:  # no code span without a backtick
        return line
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def code_spans(line: str) -> list[tuple[int, int]]:
    """Where each code span of a prose line starts and ends (0-based, end exclusive)."""
    return [match.span() for match in _CODE_SPAN.finditer(line)]


@dataclass(frozen=True)
class CitationAt:
    """A citation ``[@key]`` or ``[@a; @b]`` in a line: its keys, where it starts and ends, and
    where each key is cited from (0-based): the citation's start for the first key, its ``@``
    for each further one."""

    keys: tuple[str, ...]
    start: int
    end: int
    at: tuple[int, ...]


def citations(line: str) -> Iterator[CitationAt]:
    """The citations of a prose line, outside its code spans."""
    if "[@" not in line:
        return
    without_code = _blank_code(line)
    for match in _CITATION.finditer(without_code):
        further = list(_FURTHER_KEY.finditer(match.group(2)))
        keys = (match.group(1), *(key.group(1) for key in further))
        at = (match.start(), *(match.start(2) + key.start() for key in further))
        yield CitationAt(keys, match.start(), match.end(), at)


@dataclass(frozen=True)
class BrokenCitation:
    """A ``[@`` that opens no citation: where (0-based), what is wrong, and the right form."""

    start: int
    message: str
    hint: str


def broken_citations(line: str) -> Iterator[BrokenCitation]:
    """Every ``[@`` of a prose line, outside its code spans, that is not a whole citation:
    learners would see it raw, so the loader reports each one."""
    if "[@" not in line:
        return
    without_code = _blank_code(line)
    whole = {match.start() for match in _CITATION.finditer(without_code)}
    for match in _CITATION_START.finditer(without_code):
        if match.start() in whole:
            continue
        space, key, after = match.groups()
        right = f"[@{key or 'key'}]"
        if space and key:
            message = "space after '[@' in a citation, expected the key right after '@'"
        elif after in (";", ","):
            message, right = _several_keys(without_code[match.start() :], key, after)
        elif not key:
            message = f"'[@' without a citation key, expected a key of {SOURCES_FILE}"
        else:
            message = f"citation '[@{key}' is not closed, expected ']' right after the key"
        yield BrokenCitation(match.start(), message, f"write it as {right}")


def _several_keys(rest: str, key: str, after: str) -> tuple[str, str]:
    """What is wrong with a ``[@key;`` or ``[@key,`` that makes no citation (``rest`` runs from
    its ``[`` to the end of the line), and the right form."""
    parts = re.split(r"\s*([;,])\s*", rest[2:].split("]", 1)[0])
    further = list(zip(parts[1::2], parts[2::2], strict=True))
    # After a comma, text that is no key is a locator ("p. 4"), which citations do not hold.
    locator = any(sep == "," and not piece.startswith("@") for sep, piece in further)
    keys = [key]
    keys += [
        piece.lstrip("@").split()[0]
        for sep, piece in further
        if piece.lstrip("@") and (piece.startswith("@") or sep == ";")
    ]
    right = f"[@{'; @'.join(keys)}]"
    if locator:
        message = (
            "text after a key in a citation, expected ']' or '; @' after each key (a page or "
            "other locator goes after the citation, in the text)"
        )
    elif "]" not in rest:
        message = f"citation '[@{key}{after}' is not closed, expected ']' after the last key"
    elif after == "," or any(sep == "," for sep, _ in further):
        message = "keys separated by ',' in a citation, expected ';' between them"
    else:
        message = "a key without '@' in a citation, expected '; @' before each further key"
    return message, right


def replace_citations(text: str, replace: Callable[[tuple[str, ...]], str | None]) -> str:
    """The text with each citation outside code replaced by ``replace(keys)`` (None keeps it)."""
    if "[@" not in text:  # most lessons' paragraphs, and every text without citations
        return text
    out: list[str] = []
    for line, kind in line_kinds(text.split("\n")):
        if kind is LineKind.PROSE:
            pieces: list[str] = []
            position = 0
            for found in citations(line):
                new = replace(found.keys)
                if new is not None:
                    pieces += [line[position : found.start], new]
                    position = found.end
            line = "".join(pieces) + line[position:]
        out.append(line)
    return "\n".join(out)


# --- images -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageAt:
    """An image in a prose line: its alt text, its address as written (without angle brackets),
    where the image starts (0-based) and where its address starts; ``reference`` for
    ``![alt][label]``, whose address is not in the line."""

    alt: str
    url: str
    start: int
    url_start: int
    reference: bool = False


def images(line: str) -> Iterator[ImageAt]:
    """The images of a prose line, outside its code spans."""
    if "![" not in line:
        return
    without_code = _blank_code(line)
    for match in _IMAGE.finditer(without_code):
        url = match.group(2)
        bracketed = url.startswith("<") and url.endswith(">")
        yield ImageAt(
            match.group(1),
            url[1:-1] if bracketed else url,
            match.start(),
            match.start(2) + (1 if bracketed else 0),
        )
    for match in _REFERENCE_IMAGE.finditer(without_code):
        yield ImageAt("", "", match.start(), match.start(), reference=True)


def replace_images(text: str, replace: Callable[[str], str | None]) -> str:
    """The text with each inline image's address outside code replaced by ``replace(url)``
    (None keeps it); the new address is written without angle brackets."""
    if "![" not in text:
        return text
    out: list[str] = []
    for line, kind in line_kinds(text.split("\n")):
        if kind is LineKind.PROSE and "![" in line:
            without_code = _blank_code(line)
            pieces: list[str] = []
            position = 0
            for match in _IMAGE.finditer(without_code):
                url = match.group(2)
                new = replace(url[1:-1] if url.startswith("<") and url.endswith(">") else url)
                if new is not None:
                    pieces += [line[position : match.start(2)], new]
                    position = match.end(2)
            line = "".join(pieces) + line[position:]
        out.append(line)
    return "\n".join(out)


# --- nesting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TooDeep:
    """The first line (0-based index) where lists and blockquotes nest deeper than allowed, the
    column (0-based) of the container that goes too deep, and the depth there."""

    index: int
    col: int
    depth: int


def too_deep(lines: Sequence[str], limit: int) -> TooDeep | None:
    """Where lists and blockquotes first nest more than ``limit`` deep, outside fenced code.

    Counted without parsing, so it costs one pass however deep the text goes: the containers a
    line opens at its start (``> > -`` is three), on top of the list items it is indented
    under, as Python-Markdown nests them."""
    # A line is at most as deep as the list items open before it plus the containers it opens:
    # with few lines opening one container each (most texts), the walk below is not needed.
    if len(lines) <= limit:
        # Fewer lines than the limit: only a line opening two containers can start a walk (a
        # line that opens two opens one).
        if not any(map(_TWO_CONTAINERS.match, lines)):
            return None
    else:
        opening = [line for line in lines if _OPENS_CONTAINER.match(line)]
        if len(opening) <= limit and not any(_TWO_CONTAINERS.match(line) for line in opening):
            return None
    open_items: list[int] = []  # indentation of each list item the current line is inside
    for index, (line, kind) in enumerate(line_kinds(lines)):
        if kind is not LineKind.PROSE or not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        while open_items and open_items[-1] >= indent:
            open_items.pop()
        depth = len(open_items)
        position = 0
        while True:
            match = _CONTAINER.match(line, position)
            if match is None or match.end() == position:
                break
            depth += 1
            if depth > limit:
                marks = match.group(0)
                return TooDeep(index, match.start() + len(marks) - len(marks.lstrip(" \t")), depth)
            position = match.end()
        if list_item(line) is not None:
            open_items.append(indent)
    return None


# --- trainer notes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerNotes:
    """A lesson body with its ``::: trainer`` blocks taken out.

    ``body`` keeps one line for each line of the text (a note's lines blank), so line numbers
    still hold; ``unclosed`` is the index of an opening line that no ``:::`` closes."""

    body: tuple[str, ...]
    notes: tuple[str, ...]
    unclosed: int | None


def take_trainer_notes(lines: Sequence[str]) -> TrainerNotes:
    """Split the trainer notes out of a lesson body's lines."""
    if not any(map(_TRAINER_OPEN.match, lines)):  # most lessons: no notes, nothing to split
        return TrainerNotes(tuple(lines), (), None)
    body: list[str] = []
    notes: list[str] = []
    current: list[str] | None = None
    opened = 0
    for index, line in enumerate(lines):
        if current is None and _TRAINER_OPEN.match(line):
            current, opened = [], index
            body.append("")
        elif current is not None and _TRAINER_CLOSE.match(line):
            notes.append("\n".join(current).strip() + "\n")
            current = None
            body.append("")
        elif current is not None:
            current.append(line)
            body.append("")
        else:
            body.append(line)
    return TrainerNotes(tuple(body), tuple(notes), opened if current is not None else None)


# --- admonitions ------------------------------------------------------------------------------

# The admonition types of our dialect (those of Material for MkDocs, aliases included), each with
# the title it shows when the author gives none: Python-Markdown's own, the type capitalised,
# as an interface message, so a course in another language shows it in that language.
ADMONITION_TITLES: dict[str, str] = {
    # TRANSLATORS: the default titles of a lesson's boxes (admonitions: "!!! note",
    # "??? tip"), shown when the author gives the box no title of its own; one word each, as
    # Material for MkDocs' boxes are usually titled in your language.
    "note": N_("Note"),
    "abstract": N_("Abstract"),
    "summary": N_("Summary"),
    "tldr": N_("Tldr"),
    "info": N_("Info"),
    "todo": N_("Todo"),
    "tip": N_("Tip"),
    "hint": N_("Hint"),
    "important": N_("Important"),
    "success": N_("Success"),
    "check": N_("Check"),
    "done": N_("Done"),
    "question": N_("Question"),
    "help": N_("Help"),
    "faq": N_("Faq"),
    "warning": N_("Warning"),
    "caution": N_("Caution"),
    "attention": N_("Attention"),
    "failure": N_("Failure"),
    "fail": N_("Fail"),
    "missing": N_("Missing"),
    "danger": N_("Danger"),
    "error": N_("Error"),
    "bug": N_("Bug"),
    "example": N_("Example"),
    "quote": N_("Quote"),
    "cite": N_("Cite"),
}

# The first line of an admonition (``!!! type``) or a collapsible block (``??? type``,
# ``???+ type``) without a title, as Python-Markdown and pymdownx.details read it: its marks
# (group 1), its type (group 2) and any further classes (group 3).
_UNTITLED_ADMONITION = re.compile(r"^([ \t]*(?:!!!|\?{3}\+?) ?)([\w-]+)((?: +[\w-]+)*) *$")


def title_admonitions(text: str, title: Callable[[str], str | None]) -> str:
    """The text with each admonition outside fenced code that has no title given the title
    ``title(type)`` (the type in lower case; None leaves it untitled). An author's title, even
    an empty one (``!!! note ""``, no title shown), stays as written."""
    if "!!!" not in text and "???" not in text:
        return text
    out: list[str] = []
    for line, kind in line_kinds(text.split("\n")):
        match = _UNTITLED_ADMONITION.match(line) if kind is LineKind.PROSE else None
        new = title(match.group(2).lower()) if match else None
        out.append(f'{line.rstrip()} "{new}"' if new is not None else line)
    return "\n".join(out)
