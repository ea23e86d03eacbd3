"""XLIFF 1.2, for tools that do not read XLIFF 2.0 yet: the same units as ``xliff.py`` writes,
one ``<file>`` per source file (its fingerprint in a header note), inline markup as ``<x/>``
(standalone, the Markdown in ``equiv-text``) and ``<g>`` (around translatable text).

Written valid against the OASIS XLIFF 1.2 strict schema; read back through the same
line-numbered parser as XLIFF 2.0 (``xliff.parse_document``).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.translation_files.bundle import Bundle, FileUnits, Unit
from generator.translation_files.inline import Part, Pc, Ph, Returned, ReturnedPart, align, parse
from generator.translation_files.returned import (
    ReadError,
    ReturnedDocument,
    ReturnedFile,
    ReturnedUnit,
)
from generator.translation_files.xliff import (
    CONTEXT_NOTE,
    FINGERPRINT_NOTE,
    PREVIOUS_NOTE,
    Node,
    escape,
    units_in,
)

NS = "urn:oasis:names:tc:xliff:document:1.2"


def write(bundle: Bundle) -> str:
    """The bundle as an XLIFF 1.2 document."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff xmlns="{NS}" version="1.2">',
    ]
    for file in bundle.files:
        out += _file(file, bundle)
    out.append("</xliff>")
    return "\n".join(out) + "\n"


def _file(file: FileUnits, bundle: Bundle) -> list[str]:
    lines = [
        f'  <file original="{escape(file.path, True)}" datatype="x-markdown" '
        f'source-language="{escape(bundle.source_language, True)}" '
        f'target-language="{escape(bundle.target_language, True)}">',
        "    <header>",
        f'      <note from="{FINGERPRINT_NOTE}">{file.fingerprint}</note>',
        "    </header>",
        "    <body>",
    ]
    for unit in file.units:
        lines += _unit(unit, file.fingerprint)
    lines += ["    </body>", "  </file>"]
    return lines


def _unit(unit: Unit, fingerprint: str) -> list[str]:
    source = parse(unit.source)
    lines = [
        f'      <trans-unit id="{escape(unit.id, True)}" xml:space="preserve">',
        f"        <source>{_inline(source)}</source>",
    ]
    if unit.target:
        lines.append(
            f'        <target state="translated">{_inline(align(source, unit.target), source)}'
            "</target>"
        )
    lines.append(f'        <note from="{CONTEXT_NOTE}">{escape(unit.note)}</note>')
    lines.append(f'        <note from="{FINGERPRINT_NOTE}">{fingerprint}</note>')
    if unit.previous_source is not None:
        lines.append(f'        <note from="{PREVIOUS_NOTE}">{escape(unit.previous_source)}</note>')
    lines.append("      </trans-unit>")
    return lines


def _inline(
    parts: tuple[Part, ...] | tuple[ReturnedPart, ...], source: tuple[Part, ...] | None = None
) -> str:
    data = {c.id: c.data for c in _phs(source if source is not None else parts)}
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(escape(part))
        elif isinstance(part, Ph) or (isinstance(part, Returned) and part.kind == "ph"):
            equiv = escape(data.get(part.id, ""), True)
            out.append(f'<x id="{part.id}" equiv-text="{equiv}"/>')
        else:
            out.append(f'<g id="{part.id}">{_inline(part.parts, source or parts)}</g>')  # type: ignore[arg-type]
    return "".join(out)


def _phs(parts: tuple[Part, ...] | tuple[ReturnedPart, ...]) -> Iterator[Ph]:
    for part in parts:
        if isinstance(part, Ph):
            yield part
        elif isinstance(part, Pc):
            yield from _phs(part.parts)


# --- reading ----------------------------------------------------------------------------------


def read_root(root: Node) -> ReturnedDocument:
    """A returned XLIFF 1.2 document, from its parsed root element."""
    files = tuple(_read_file(node) for node in _children(root, "file"))
    languages = {node.attrs.get("target-language") for node in _children(root, "file")}
    language = languages.pop() if len(languages) == 1 else None
    return ReturnedDocument(language, root.line, files)


def _children(node: Node, name: str) -> Iterator[Node]:
    for child in node.children:
        if isinstance(child, Node) and child.ns == NS and child.name == name:
            yield child


def _read_file(node: Node) -> ReturnedFile:
    path = node.attrs.get("original")
    if not path:
        raise ReadError(node.line, "<file> without original, expected the source file's path")
    fingerprint = None
    for header in _children(node, "header"):
        for note in _children(header, "note"):
            if note.attrs.get("from") == FINGERPRINT_NOTE:
                fingerprint = note.text().strip()
    units: list[ReturnedUnit] = []
    for body in _children(node, "body"):
        units += [_read_unit(unit) for unit in units_in(body, NS, "trans-unit")]
    return ReturnedFile(path, node.line, fingerprint, tuple(units))


def _read_unit(unit: Node) -> ReturnedUnit:
    target = next(_children(unit, "target"), None)
    unit_id = unit.attrs.get("id", "")
    if target is None:
        return ReturnedUnit(unit_id, unit.line, None)
    return ReturnedUnit(unit_id, target.line, tuple(_returned(target)))


def _returned(node: Node) -> Iterator[ReturnedPart]:
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.ns == NS and child.name == "x":
            yield Returned("ph", child.attrs.get("id", ""))
        elif child.ns == NS and child.name == "g":
            yield Returned("pc", child.attrs.get("id", ""), tuple(_returned(child)))
        elif child.ns == NS and child.name == "mrk":
            yield from _returned(child)
        else:
            raise ReadError(child.line, f"<{child.name}> in a target, expected text, <x/> and <g>")
