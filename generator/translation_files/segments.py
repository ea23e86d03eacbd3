"""A content file cut into the segments a translator translates, each with where it sits.

A lesson gives its title and, in its body, every heading, paragraph, list item, table cell,
admonition title and the same inside trainer notes (fenced code is left alone). A YAML file
gives every text field the model does not mark ``untranslated``: ids, numbers, answers, codes,
DOIs and the like stay as written.

Each segment (a :class:`Slot`) has

- an ``id``, stable across edits elsewhere in the file: in YAML the field's path through the
  ids (``questions.q3.choices.b.text``; the position for lists without ids, such as a role
  group's responsibilities); in a lesson body the kind of block and a hash of its text
  (``p-1a2b3c4d``, ``-2`` added for a repeat), so inserting a paragraph above changes no other
  id, and an edited paragraph is a new segment;
- a ``shape``: its kind and place in the structure, without its text, used to pair a source's
  segments with a translation's (the two files have the same structure);
- its ``text``, inline Markdown with soft line breaks as spaces, and the span of the file it
  was read from, which the importer replaces.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import PurePosixPath
from typing import Any, get_origin

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model import (
    SOURCE_FINGERPRINT,
    CourseFile,
    GlossaryFile,
    IdMarker,
    LessonFrontMatter,
    Located,
    ModuleFile,
    Quiz,
    SourcesFile,
)
from generator.model.components import COMPONENTS
from generator.model.fields import field_specs, is_required, unwrap
from generator.source import dialect
from generator.source.dialect import LineKind
from generator.source.layout import COMPONENTS as COMPONENTS_FOLDER
from generator.source.layout import COURSE_FILE, GLOSSARY_FILE, MODULE_FILE, QUIZZES, SOURCES_FILE


@dataclass(frozen=True)
class Slot:
    """One translatable text of a file: see the module's description."""

    id: str
    shape: str
    text: str
    note: str
    start: int  # the span of the file's text it was read from
    end: int
    style: str = ""  # a YAML scalar's style ('' plain, '"', "'", '|', '>'); 'flow' in [...]


# --- which file is which ----------------------------------------------------------------------


def yaml_class(rel: str) -> type[Located] | None:
    """The model class a content YAML file (a source's path) decodes into."""
    path = PurePosixPath(rel)
    if rel == COURSE_FILE:
        return CourseFile
    if rel == GLOSSARY_FILE:
        return GlossaryFile
    if rel == SOURCES_FILE:
        return SourcesFile
    if path.parent.as_posix() == QUIZZES:
        return Quiz
    if path.name == MODULE_FILE:
        return ModuleFile
    for kind in COMPONENTS:
        if path.name == kind.filename and path.parent.name == COMPONENTS_FOLDER:
            return kind.cls
    return None


def slots(text: str, rel: str) -> tuple[Slot, ...]:
    """The segments of a file's text; ``rel`` is the source file's path (for a translation
    too: its structure is the source's)."""
    if rel.endswith(".md"):
        return _unique(_lesson_slots(text, rel))
    cls = yaml_class(rel)
    if cls is None:
        return ()
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, MappingNode):
        return ()
    return tuple(_yaml_slots(node, cls, "", rel))


def _unique(found: Iterator[Slot]) -> tuple[Slot, ...]:
    """Repeated ids (the same text in the same kind of block) numbered -2, -3, …"""
    seen: Counter[str] = Counter()
    out: list[Slot] = []
    for slot in found:
        seen[slot.id] += 1
        if seen[slot.id] > 1:
            slot = Slot(
                f"{slot.id}-{seen[slot.id]}", *[getattr(slot, f.name) for f in fields(Slot)][1:]
            )
        out.append(slot)
    return tuple(out)


# --- YAML -------------------------------------------------------------------------------------


def _translatable(f: Any, hint: Any) -> str | None:
    """'text' for a text field, 'texts' for a list of texts, 'map' for texts keyed by id,
    'object'/'objects' for nested model classes, None for anything a translator leaves alone."""
    if f.metadata.get("untranslated"):
        return None
    base, markers, _ = unwrap(hint)
    if any(isinstance(m, IdMarker) for m in markers):
        return None
    if base is str:
        return "text"
    origin = get_origin(base)
    if origin is tuple:
        item, item_markers, _ = unwrap(base.__args__[0])
        if any(isinstance(m, IdMarker) for m in item_markers):
            return None
        if item is str:
            return "texts"
        if isinstance(item, type) and issubclass(item, Located):
            return "objects"
    if origin is not None and getattr(origin, "__name__", "") == "Mapping":
        return "map"
    if isinstance(base, type) and issubclass(base, Located):
        return "object"
    return None


def _item_class(hint: Any) -> type[Located]:
    base = unwrap(hint)[0]
    inner = base.__args__[0] if get_origin(base) is tuple else base
    item: type[Located] = unwrap(inner)[0]
    return item


def _key_of(node: MappingNode, index: int) -> str:
    for key, value in node.value:
        named = isinstance(key, ScalarNode) and key.value in ("id", "key")
        if named and isinstance(value, ScalarNode) and value.value:
            return str(value.value)
    return str(index)


def _yaml_slots(node: MappingNode, cls: type[Located], prefix: str, rel: str) -> Iterator[Slot]:
    specs = {f.name: (f, hint) for f, hint in field_specs(cls)}
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or key.value not in specs:
            continue
        f, hint = specs[key.value]
        what = _translatable(f, hint)
        path = f"{prefix}{key.value}"
        if what == "text" and isinstance(value, ScalarNode):
            yield from _scalar(value, path, rel, False)
        elif what in ("texts", "map", "objects") and isinstance(value, SequenceNode | MappingNode):
            yield from _collection(value, what, path, rel, hint)
        elif what == "object" and isinstance(value, MappingNode):
            yield from _yaml_slots(value, _item_class(hint), f"{path}.", rel)
    if not prefix:
        present = {key.value for key, _ in node.value if isinstance(key, ScalarNode)}
        yield from _defaults(specs, present, rel)


ABSENT = "absent"  # the style of a slot for a field the file leaves at its default


def _defaults(specs: dict[str, Any], present: set[str], rel: str) -> Iterator[Slot]:
    """A top-level text field left out of the file still shows its default text (a quiz's
    title, a checklist's statuses), which a translator must be able to translate: a slot with
    no span, which the importer writes as a new field."""
    for name, (f, hint) in specs.items():
        what = _translatable(f, hint)
        if name in present or what not in ("text", "texts") or is_required(f):
            continue
        default = f.default
        values = [default] if what == "text" else list(default)
        for index, text in enumerate(values):
            if not isinstance(text, str) or not text.strip():
                continue
            path = name if what == "text" else f"{name}.{index}"
            note = f"{rel} › {_field_words(path)} (the default, not in the file)"
            yield Slot(path, path, text, note, -1, -1, ABSENT)


def _collection(node: Node, what: str, path: str, rel: str, hint: Any) -> Iterator[Slot]:
    if what == "texts" and isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            if isinstance(item, ScalarNode):
                yield from _scalar(item, f"{path}.{index}", rel, bool(node.flow_style))
    elif what == "map" and isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and isinstance(value, ScalarNode):
                yield from _scalar(value, f"{path}.{key.value}", rel, bool(node.flow_style))
    elif what == "objects" and isinstance(node, SequenceNode):
        cls = _item_class(hint)
        for index, item in enumerate(node.value):
            if isinstance(item, MappingNode):
                yield from _yaml_slots(item, cls, f"{path}.{_key_of(item, index)}.", rel)


def _scalar(node: ScalarNode, path: str, rel: str, flow: bool) -> Iterator[Slot]:
    value = str(node.value)
    if not value.strip() or node.tag != "tag:yaml.org,2002:str":
        return
    text = value.strip("\n") if node.style in ("|", ">") else value
    style = "flow" if flow else (node.style or "")
    note = f"{rel} › {_field_words(path)}"
    yield Slot(path, path, text, note, node.start_mark.index, node.end_mark.index, style)


_SINGULAR = {
    "questions": "question",
    "choices": "choice",
    "pairs": "pair",
    "items": "item",
    "terms": "term",
    "sources": "source",
    "objectives": "objective",
    "groups": "group",
    "sections": "section",
    "phases": "phase",
    "responsibilities": "responsibility",
    "activities": "activity",
    "sme_collaboration": "SME collaboration",
    "aliases": "alias",
    "statuses": "status",
    "criteria": "criterion",
    "source_types": "source type",
}


def _field_words(path: str) -> str:
    """A field's path as a translator reads it: ``question q3 › choice b › text``."""
    parts = path.split(".")
    words: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part in _SINGULAR and index + 1 < len(parts):
            key = parts[index + 1]
            words.append(f"{_SINGULAR[part]} {int(key) + 1 if key.isdigit() else key}")
            index += 2
            continue
        words.append(part.replace("_", " "))
        index += 1
    return " › ".join(words)


# --- lessons ----------------------------------------------------------------------------------

_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_ADMONITION = re.compile(r'^(\s*)(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w -]*)?[ \t]+"([^"]*)"')
_CLOSING_HASHES = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_ANCHOR = re.compile(r"[ \t]*\{[ \t]*#[^}]*\}[ \t]*$")
_TRAINER_OPEN = re.compile(r"^:::[ \t]*trainer[ \t]*$")
_TRAINER_CLOSE = re.compile(r"^:::[ \t]*$")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
# A thematic break or a setext heading's underline: markup alone, nothing to translate.
_RULE = re.compile(r"^ {0,3}(?:=+|-{2,}|(?:[-*_][ \t]*){3,})[ \t]*$")
_QUOTE = re.compile(r"^\s*>[ \t]?")
_KIND_WORDS = {
    "title": "title",
    "h": "heading",
    "p": "paragraph",
    "li": "list item",
    "td": "table cell",
    "q": "quotation",
    "adm": "admonition title",
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass
class _Line:
    text: str
    start: int  # offset of the line in the file


class _LessonReader:
    """Reads a lesson's body block by block, keeping where each text is."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.headings: list[tuple[int, str]] = []
        self.count: Counter[tuple[str, ...]] = Counter()
        self.in_note = False

    def slot(self, kind: str, text: str, start: int, end: int, level: str = "") -> Slot:
        place = tuple(title for _, title in self.headings)
        prefix = "note-" if self.in_note else ""
        self.count[(*place, prefix + kind)] += 1
        words = f"{_KIND_WORDS[kind]} {self.count[(*place, prefix + kind)]}"
        if self.in_note:
            words = f"trainer note › {words}"
        note = " › ".join([self.rel, *place, words])
        return Slot(
            f"{prefix}{kind}-{_digest(text)}", prefix + kind + level, text, note, start, end
        )


def _lesson_slots(text: str, rel: str) -> Iterator[Slot]:
    lines: list[_Line] = []
    offset = 0
    for line in text.split("\n"):
        lines.append(_Line(line, offset))
        offset += len(line) + 1
    end = _front_matter_end(lines)
    if end is None:
        return
    yield from _front_matter_slots(text, lines, end, rel)
    reader = _LessonReader(rel)
    yield from _body_slots(lines[end + 1 :], reader)


def _front_matter_end(lines: list[_Line]) -> int | None:
    if not lines or lines[0].text.strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].text.strip() in ("---", "...")), None)


def _front_matter_slots(text: str, lines: list[_Line], end: int, rel: str) -> Iterator[Slot]:
    first = lines[1].start if end > 1 else lines[0].start
    node = yaml.compose(text[first : lines[end].start], Loader=yaml.SafeLoader)
    if not isinstance(node, MappingNode):
        return
    for slot in _yaml_slots(node, LessonFrontMatter, "", rel):
        yield Slot(
            slot.id,
            slot.shape,
            slot.text,
            slot.note,
            slot.start + first,
            slot.end + first,
            slot.style,
        )


def _block_start(line: str) -> bool:
    """Whether a line begins a block of its own (it ends the paragraph before it)."""
    stripped = line.strip()
    return (
        not stripped
        or dialect.heading(line) is not None
        or dialect.list_item(line) is not None
        or stripped.startswith("|")
        or _ADMONITION.match(line) is not None
        or dialect.fence_opening(line) is not None
        or stripped.startswith((":::", ">"))
        or _RULE.match(line) is not None
    )


def _body_slots(lines: list[_Line], reader: _LessonReader) -> Iterator[Slot]:
    fences = dialect.Fences()
    index = 0
    while index < len(lines):
        line = lines[index]
        kind = fences.feed(line.text)
        index += 1
        if kind is not LineKind.PROSE or not line.text.strip() or _RULE.match(line.text):
            continue
        if _TRAINER_OPEN.match(line.text):
            reader.in_note = True
            continue
        if _TRAINER_CLOSE.match(line.text):
            reader.in_note = False
            continue
        found = dialect.heading(line.text)
        if found is not None:
            yield _heading_slot(line, found.level, reader)
            continue
        if line.text.strip().startswith("|"):
            yield from _row_slots(line, reader)
            continue
        admonition = _ADMONITION.match(line.text)
        if admonition is not None:
            if admonition.group(2).strip():
                start = line.start + admonition.start(2)
                yield reader.slot("adm", admonition.group(2), start, start + len(admonition[2]))
            continue
        taken = _continuation(lines, index)
        yield _text_slot(line, lines[index : index + taken], reader)
        for _ in range(taken):
            fences.feed(lines[index].text)
            index += 1


def _continuation(lines: list[_Line], index: int) -> int:
    """How many lines after ``lines[index - 1]`` continue its paragraph (a quotation's go on
    while they start with '>')."""
    quoted = _QUOTE.match(lines[index - 1].text) is not None
    taken = 0
    while index + taken < len(lines):
        line = lines[index + taken].text
        going_on = quoted and _QUOTE.match(line) is not None and line.strip() != ">"
        if not going_on and _block_start(line):
            break
        taken += 1
    return taken


def _heading_slot(line: _Line, level: int, reader: _LessonReader) -> Slot:
    content = line.text.lstrip()[level:].lstrip()
    begin = len(line.text) - len(content)
    body = _CLOSING_HASHES.sub("", content)
    anchor = _ANCHOR.search(body)
    title = body[: anchor.start()] if anchor else body
    while reader.headings and reader.headings[-1][0] >= level:
        reader.headings.pop()
    slot = reader.slot("h", title, line.start + begin, line.start + begin + len(title), str(level))
    reader.headings.append((level, dialect.heading_anchor(title)[0]))
    return slot


def _row_slots(line: _Line, reader: _LessonReader) -> Iterator[Slot]:
    if _TABLE_SEPARATOR.match(line.text):
        return
    for start, end in _cells(line.text):
        cell = line.text[start:end]
        yield reader.slot("td", cell, line.start + start, line.start + end)


def _cells(row: str) -> Iterator[tuple[int, int]]:
    """Where each non-empty table cell's text is in a row (pipes escaped as \\| stay inside)."""
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", row)]
    for left, right in itertools.pairwise(bounds):
        cell = row[left + 1 : right]
        if cell.strip():
            start = left + 1 + len(cell) - len(cell.lstrip())
            yield start, start + len(cell.strip())


def _text_slot(first: _Line, rest: list[_Line], reader: _LessonReader) -> Slot:
    item = dialect.list_item(first.text)
    quote = _QUOTE.match(first.text)
    if item is not None:
        begin = len(first.text) - len(item.text)
        kind = "li"
    elif quote is not None:
        begin, kind = quote.end(), "q"
    else:
        begin = len(first.text) - len(first.text.lstrip())
        kind = "p"
    pieces = [first.text[begin:]]
    end = first.start + len(first.text.rstrip()) if not rest else 0
    for line in rest:
        previous = pieces[-1]
        prefix = _QUOTE.match(line.text) if kind == "q" else None
        cut = prefix.end() if prefix else len(line.text) - len(line.text.lstrip())
        joint = "\n" + line.text[:cut]
        if not _HARD_BREAK.search(previous):
            pieces[-1] = previous.rstrip()
            joint = " "
        pieces.append(joint + line.text[cut:].lstrip())
        end = line.start + len(line.text.rstrip())
    text = "".join(pieces).rstrip()
    depth = str(item.indent // 2) if item is not None else ""
    return reader.slot(kind, text, first.start + begin, end, depth)


def fingerprint_line(text: str) -> str | None:
    """The ``source_fingerprint`` a translation's text records, if any."""
    match = re.search(rf"^{SOURCE_FINGERPRINT}:[ \t]*([0-9a-fA-F]+)[ \t]*$", text, re.MULTILINE)
    return match.group(1) if match else None
