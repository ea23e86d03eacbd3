"""Gettext PO: a :class:`Bundle` as a PO file, and a returned PO file read back.

One entry per segment: ``msgctxt`` is ``<source file>#<segment id>`` (unique in the file),
``#.`` comments say where it is and the source's fingerprint, ``#:`` names the source file, and
with ``--stale-only`` ``#| msgid`` holds the old source, as gettext's own tools do. Inline
markup becomes XML-like tags that translate-toolkit's ``pofilter`` xmltags check and CAT tools
recognise: ``<x1/>`` for a standalone placeholder, ``<g2>…</g2>`` around translatable text.

The reader is our own and strict: every line must be PO, strings properly quoted and escaped,
so a damaged file is refused at its line rather than half read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.translation_files.bundle import Bundle, Unit
from generator.translation_files.inline import Part, Ph, Returned, ReturnedPart, align, parse
from generator.translation_files.returned import (
    ReadError,
    ReturnedDocument,
    ReturnedFile,
    ReturnedUnit,
)

FINGERPRINT = "source_fingerprint: "
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPES = {v[1]: k for k, v in _ESCAPES.items()}
_TAG = re.compile(r"<x(\d+)/>|<g(\d+)>|</g(\d+)>")


def _quote(text: str) -> str:
    escaped = "".join(_ESCAPES.get(c, c) for c in text)
    if "\n" not in text[:-1]:
        return f'"{escaped}"'
    pieces = escaped.split("\\n")
    lines = [p + "\\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    return '""\n' + "\n".join(f'"{line}"' for line in lines)


def tagged(parts: tuple[Part, ...] | tuple[ReturnedPart, ...]) -> str:
    """Parts with their codes as PO tags."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Ph) or (isinstance(part, Returned) and part.kind == "ph"):
            out.append(f"<x{part.id}/>")
        else:
            out.append(f"<g{part.id}>{tagged(part.parts)}</g{part.id}>")
    return "".join(out)


def write(bundle: Bundle, title: str) -> str:
    """The bundle as a PO file."""
    header = (
        f"Project-Id-Version: {title}\n"
        f"Language: {bundle.target_language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"X-Source-Language: {bundle.source_language}\n"
    )
    out = [
        f"# {title}: translation into {bundle.target_language}, made by coursesmith",
        'msgid ""',
        "msgstr " + _quote(header),
    ]
    for file in bundle.files:
        for unit in file.units:
            out += ["", *_entry(unit, file.path, file.fingerprint)]
    return "\n".join(out) + "\n"


def _entry(unit: Unit, path: str, fingerprint: str) -> list[str]:
    source = parse(unit.source)
    lines = [f"#. {line}" for line in unit.note.split("\n")]
    lines += [f"#. {FINGERPRINT}{fingerprint}", f"#: {path}"]
    if unit.previous_source is not None:
        previous = _quote(tagged(parse(unit.previous_source))).split("\n")
        lines += ["#| msgid " + previous[0], *(f"#| {line}" for line in previous[1:])]
    lines.append("msgctxt " + _quote(f"{path}#{unit.id}"))
    lines.append("msgid " + _quote(tagged(source)))
    target = tagged(align(source, unit.target)) if unit.target else ""
    lines.append("msgstr " + _quote(target))
    return lines


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Entry:
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    obsolete: bool = False


def _string(text: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ReadError(line, f'{text[:40]!r} is not a quoted string, expected "..."')
    out: list[str] = []
    body = text[1:-1]
    index = 0
    while index < len(body):
        char = body[index]
        if char == '"':
            raise ReadError(line, 'an unescaped " inside a string, expected \\"')
        if char == "\\":
            following = body[index + 1 : index + 2]
            if following not in _UNESCAPES:
                raise ReadError(line, f"unknown escape \\{following} in a string")
            out.append(_UNESCAPES[following])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$")


def _entries(text: str) -> Iterator[_Entry]:
    entry: _Entry | None = None
    current = ""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if entry is not None:
                yield entry
            entry, current = None, ""
            continue
        if entry is None:
            entry = _Entry(number)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#"):
            entry.comments.append(line)
        elif line.startswith('"'):
            if not current:
                raise ReadError(number, "a string outside an entry, expected msgid or msgstr first")
            entry.fields[current] += _string(line, number)
        else:
            match = _KEYWORD.match(line)
            if match is None:
                raise ReadError(number, f"{line[:40]!r} is not PO, expected msgid, msgstr or #")
            current = match.group(1)
            if current in entry.fields:
                raise ReadError(number, f"{current} given twice in one entry")
            entry.fields[current] = _string(match.group(2), number)
            entry.lines[current] = number
    if entry is not None:
        yield entry


def read(data: bytes) -> ReturnedDocument:
    """A returned PO file; :class:`ReadError` when it is not one we can read."""
    text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    language: str | None = None
    header_line = 1
    files: dict[str, list[ReturnedUnit]] = {}
    lines: dict[str, int] = {}
    fingerprints: dict[str, str | None] = {}
    for entry in _entries(text):
        if entry.obsolete:
            continue
        if "msgid" not in entry.fields or "msgstr" not in entry.fields:
            plural = "msgid_plural" in entry.fields or any("[" in k for k in entry.fields)
            what = "a plural entry" if plural else "an entry without msgid and msgstr"
            raise ReadError(entry.line, f"{what}, expected msgctxt, msgid and msgstr")
        context = entry.fields.get("msgctxt")
        if context is None and entry.fields["msgid"] == "":
            language, header_line = _language(entry.fields["msgstr"]), entry.line
            continue
        if context is None or "#" not in context:
            where = entry.lines.get("msgid", entry.line)
            raise ReadError(where, "an entry without msgctxt 'file#segment', expected one")
        path, _, unit_id = context.rpartition("#")
        where = entry.lines["msgstr"]
        target = _untagged(entry.fields["msgstr"], where) if entry.fields["msgstr"] else None
        files.setdefault(path, []).append(ReturnedUnit(unit_id, where, target))
        lines.setdefault(path, entry.line)
        fingerprints.setdefault(path, _fingerprint(entry.comments))
    returned = tuple(
        ReturnedFile(path, lines[path], fingerprints[path], tuple(units))
        for path, units in files.items()
    )
    return ReturnedDocument(language, header_line, returned)


def _language(header: str) -> str | None:
    for line in header.split("\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "language":
            return value.strip() or None
    return None


def _fingerprint(comments: list[str]) -> str | None:
    for comment in comments:
        if comment.startswith("#.") and comment[2:].strip().startswith(FINGERPRINT):
            return comment[2:].strip()[len(FINGERPRINT) :].strip()
    return None


def _untagged(text: str, line: int) -> tuple[ReturnedPart, ...]:
    """A msgstr with its tags as codes; a closing tag without its opening one is refused."""
    stack: list[tuple[str, list[ReturnedPart]]] = [("", [])]
    position = 0
    for match in _TAG.finditer(text):
        if match.start() > position:
            stack[-1][1].append(text[position : match.start()])
        position = match.end()
        standalone, opening, closing = match.groups()
        if standalone is not None:
            stack[-1][1].append(Returned("ph", standalone))
        elif opening is not None:
            stack.append((opening, []))
        else:
            if len(stack) == 1 or stack[-1][0] != closing:
                raise ReadError(line, f"</g{closing}> closes no open <g{closing}>")
            number, inner = stack.pop()
            stack[-1][1].append(Returned("pc", number, tuple(inner)))
    if len(stack) > 1:
        raise ReadError(line, f"<g{stack[-1][0]}> is not closed, expected </g{stack[-1][0]}>")
    if position < len(text):
        stack[-1][1].append(text[position:])
    return tuple(stack[0][1])
