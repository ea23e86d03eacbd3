"""XLIFF 2.0: a :class:`Bundle` written as one document, and a returned document read back.

Written strictly to the OASIS XLIFF 2.0 core schema: one ``<file>`` per source file
(``original`` its path, a note with its fingerprint), one ``<unit>`` per segment (``id`` the
segment's id; notes: where it is, the fingerprint and, with ``--stale-only``, the old source),
inline markup as ``<ph>`` and ``<pc>`` whose Markdown sits in ``<originalData>``.

Read leniently where real tools differ and strictly where the content is at stake: an
``xml:space`` on ``<segment>`` (translate-toolkit writes one) or other attributes are accepted;
a document that is not XLIFF 2.0, or a target whose placeholders are wrong, is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from generator.translation_files.bundle import Bundle, FileUnits, Unit
from generator.translation_files.inline import Part, Pc, Ph, Returned, ReturnedPart, align, parse
from generator.translation_files.returned import (
    ReadError,
    ReturnedDocument,
    ReturnedFile,
    ReturnedUnit,
)

NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FINGERPRINT_NOTE = "source_fingerprint"
CONTEXT_NOTE = "location"
PREVIOUS_NOTE = "previous_source"
# Characters XML 1.0 cannot carry: written as <cp hex="…"/> in XLIFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return _NOT_XML.sub(lambda m: f'<cp hex="{ord(m.group(0)):04X}"/>', text)


def _file_id(path: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9._-]", "_", path)


def write(bundle: Bundle) -> str:
    """The bundle as an XLIFF 2.0 document."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff xmlns="{NS}" version="2.0" srcLang="{escape(bundle.source_language, True)}" '
        f'trgLang="{escape(bundle.target_language, True)}">',
    ]
    for file in bundle.files:
        out += _file(file)
    out.append("</xliff>")
    return "\n".join(out) + "\n"


def _file(file: FileUnits) -> list[str]:
    lines = [
        f'  <file id="{escape(_file_id(file.path), True)}" original="{escape(file.path, True)}">',
        "    <notes>",
        f'      <note category="{FINGERPRINT_NOTE}">{file.fingerprint}</note>',
        "    </notes>",
    ]
    for unit in file.units:
        lines += _unit(unit, file.fingerprint)
    lines.append("  </file>")
    return lines


def _unit(unit: Unit, fingerprint: str) -> list[str]:
    source = parse(unit.source)
    lines = [
        f'    <unit id="{escape(unit.id, True)}" xml:space="preserve">',
        "      <notes>",
        f'        <note category="{CONTEXT_NOTE}">{escape(unit.note)}</note>',
        f'        <note category="{FINGERPRINT_NOTE}">{fingerprint}</note>',
    ]
    if unit.previous_source is not None:
        lines.append(
            f'        <note category="{PREVIOUS_NOTE}">{escape(unit.previous_source)}</note>'
        )
    lines.append("      </notes>")
    data = list(_data(source))
    if data:
        lines.append("      <originalData>")
        lines += [f'        <data id="{key}">{escape(value)}</data>' for key, value in data]
        lines.append("      </originalData>")
    state = "translated" if unit.target else "initial"
    lines.append(f'      <segment state="{state}">')
    lines.append(f"        <source>{_inline(source)}</source>")
    if unit.target:
        lines.append(f"        <target>{_inline(align(source, unit.target))}</target>")
    lines += ["      </segment>", "    </unit>"]
    return lines


def _data(parts: tuple[Part, ...]) -> Iterator[tuple[str, str]]:
    for part in parts:
        if isinstance(part, Ph):
            yield f"d{part.id}", part.data
        elif isinstance(part, Pc):
            yield f"d{part.id}s", part.start
            yield f"d{part.id}e", part.end
            yield from _data(part.parts)


def _inline(parts: tuple[Part, ...] | tuple[ReturnedPart, ...]) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(escape(part))
        elif isinstance(part, Ph) or (isinstance(part, Returned) and part.kind == "ph"):
            out.append(f'<ph id="{part.id}" dataRef="d{part.id}"/>')
        else:
            inner = part.parts
            out.append(
                f'<pc id="{part.id}" dataRefStart="d{part.id}s" dataRefEnd="d{part.id}e">'
                f"{_inline(inner)}</pc>"
            )
    return "".join(out)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Node:
    """An element with the line it starts on."""

    name: str  # local name; namespace in ``ns``
    ns: str
    attrs: dict[str, str]
    line: int
    children: list[Node | str] = field(default_factory=list)

    def elements(self, name: str) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node) and child.name == name and child.ns == NS:
                yield child

    def first(self, name: str) -> Node | None:
        return next(self.elements(name), None)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


def parse_document(data: bytes) -> Node:
    """The document's element tree with line numbers; no DTD or entity is accepted."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[Node] = []
    root: list[Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        node = Node(local, ns, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].children.append(data)

    def refuse(*args: object) -> None:
        raise ReadError(parser.CurrentLineNumber, "a DTD or entity declaration, expected none")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ReadError(
            error.lineno, f"not well-formed XML ({expat.ErrorString(error.code)})"
        ) from None
    return root[0]


def read(data: bytes) -> ReturnedDocument:
    """A returned XLIFF 2.0 (or 1.2) document; :class:`ReadError` when it is not one."""
    from generator.translation_files import xliff12

    root = parse_document(data)
    if root.name == "xliff" and root.ns == xliff12.NS:
        return xliff12.read_root(root)
    if root.name != "xliff" or root.ns != NS:
        where = f"{{{root.ns}}}{root.name}" if root.ns else root.name
        raise ReadError(
            root.line, f"root element {where}, expected XLIFF 2.0 <xliff xmlns={NS}> (or 1.2)"
        )
    if not root.attrs.get("version", "").startswith("2."):
        raise ReadError(root.line, f"version {root.attrs.get('version')!r}, expected 2.0")
    files = tuple(_read_file(node) for node in root.elements("file"))
    return ReturnedDocument(root.attrs.get("trgLang"), root.line, files)


def _read_file(node: Node) -> ReturnedFile:
    path = node.attrs.get("original")
    if not path:
        raise ReadError(node.line, "<file> without original, expected the source file's path")
    fingerprint = None
    notes = node.first("notes")
    for note in notes.elements("note") if notes else ():
        if note.attrs.get("category") == FINGERPRINT_NOTE:
            fingerprint = note.text().strip()
    units = tuple(_read_unit(unit) for unit in units_in(node))
    return ReturnedFile(path, node.line, fingerprint, units)


def units_in(node: Node, ns: str = NS, unit: str = "unit") -> Iterator[Node]:
    """The translation units under ``node``, through any groups (XLIFF 2.0's ``unit``, 1.2's
    ``trans-unit``)."""
    for child in node.children:
        if isinstance(child, Node) and child.ns == ns:
            if child.name == unit:
                yield child
            elif child.name == "group":
                yield from units_in(child, ns, unit)


def _read_unit(unit: Node) -> ReturnedUnit:
    unit_id = unit.attrs.get("id", "")
    segments = list(unit.elements("segment"))
    if len(segments) != 1:
        raise ReadError(
            unit.line, f"unit '{unit_id}' has {len(segments)} segments, expected one (as exported)"
        )
    target = segments[0].first("target")
    if target is None:
        return ReturnedUnit(unit_id, unit.line, None)
    return ReturnedUnit(unit_id, target.line, tuple(_returned(target)))


def _returned(node: Node) -> Iterator[ReturnedPart]:
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.ns != NS:
            raise ReadError(child.line, f"element {child.name} in a target, expected text")
        elif child.name == "ph":
            yield Returned("ph", child.attrs.get("id", ""))
        elif child.name == "pc":
            yield Returned("pc", child.attrs.get("id", ""), tuple(_returned(child)))
        elif child.name == "cp":
            yield chr(int(child.attrs.get("hex", "0"), 16))
        elif child.name == "mrk":
            yield from _returned(child)
        else:
            raise ReadError(child.line, f"<{child.name}> in a target, expected text, <ph> and <pc>")
