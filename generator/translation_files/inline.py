"""Inline Markdown as a translator sees it: text, with the markup protected as placeholders.

A segment's text is split into runs of text and *codes*: a standalone placeholder (``Ph``: a
code span, a citation ``[@key]`` or ``[@a; @b]``, whole, an image, an autolink, a hard line
break) or a pair around translatable text (``Pc``: emphasis, strong emphasis, a link, whose
address is kept). XLIFF 2.0 writes them as ``<ph>``/``<pc>``, PO as ``<x1/>`` and
``<g2>…</g2>``; either way the translator may move them but not change them, and
:func:`check_codes` refuses a target that drops, repeats or invents one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from generator.source import dialect


@dataclass(frozen=True)
class Ph:
    """A standalone placeholder: ``data`` is the Markdown it stands for."""

    id: str
    data: str


@dataclass(frozen=True)
class Pc:
    """Markup around translatable text: ``start`` and ``end`` are the Markdown on each side."""

    id: str
    start: str
    end: str
    parts: tuple[Part, ...]


Part = str | Ph | Pc

# In the order they are tried where two could start at the same place.
_PATTERNS = (
    ("ph", r"```.+?```|``.+?``|`[^`]+`"),
    ("ph", dialect.CITATION_PATTERN),
    ("ph", r"!\[[^\]\n]*\]\([^)\n]*\)"),
    ("ph", r"<(?:https?|mailto):[^>\s]+>"),
    ("ph", r"(?: {2,}|\\)\n[ \t]*"),
    ("link", r"\[(?!@)((?:[^\[\]\n]|\[[^\]\n]*\])+)\](\([^)\n]*\))"),
    ("strong", r"\*\*(?=\S).+?(?<=\S)\*\*|__(?=\S).+?(?<=\S)__"),
    ("em", r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*"),
    ("em", r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"),
)
_SCANNER = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_PATTERNS)))
_GROUPS = {f"k{i}": kind for i, (kind, _) in enumerate(_PATTERNS)}


class _Numbers:
    def __init__(self) -> None:
        self.next = 0

    def take(self) -> str:
        self.next += 1
        return str(self.next)


def parse(text: str) -> tuple[Part, ...]:
    """Split inline Markdown into text and codes, numbered 1, 2, … in reading order."""
    return _parse(text, _Numbers())


def _parse(text: str, numbers: _Numbers) -> tuple[Part, ...]:
    parts: list[Part] = []
    position = 0
    for match in _SCANNER.finditer(text):
        if match.start() < position:
            continue
        group = match.lastgroup or ""
        kind = _GROUPS.get(group, "ph")
        if match.start() > position:
            parts.append(text[position : match.start()])
        whole = match.group(0)
        if kind == "ph":
            parts.append(Ph(numbers.take(), whole))
        else:
            number = numbers.take()
            start, inner, end = _split_pair(kind, whole)
            parts.append(Pc(number, start, end, _parse(inner, numbers)))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts)


def _split_pair(kind: str, whole: str) -> tuple[str, str, str]:
    if kind == "link":
        close = whole.rindex("](")
        return "[", whole[1:close], whole[close:]
    width = 2 if kind == "strong" else 1
    return whole[:width], whole[width:-width], whole[-width:]


def markdown(parts: tuple[Part, ...]) -> str:
    """The inline Markdown the parts stand for."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Ph):
            out.append(part.data)
        else:
            out.append(part.start + markdown(part.parts) + part.end)
    return "".join(out)


def codes(parts: tuple[Part, ...]) -> Iterator[Ph | Pc]:
    """Every code of the parts, outer before inner, in reading order."""
    for part in parts:
        if isinstance(part, Ph):
            yield part
        elif isinstance(part, Pc):
            yield part
            yield from codes(part.parts)


def plain(parts: tuple[Part, ...]) -> str:
    """The text alone, codes left out (what a word count counts)."""
    return "".join(
        p if isinstance(p, str) else plain(p.parts) if isinstance(p, Pc) else "" for p in parts
    )


@dataclass(frozen=True)
class Returned:
    """A code as a translation file gave it back: its kind (``ph`` or ``pc``), its id, and
    for a pair the parts inside."""

    kind: str
    id: str
    parts: tuple[str | Returned, ...] = ()


ReturnedPart = str | Returned


def check_codes(source: tuple[Part, ...], target: tuple[ReturnedPart, ...]) -> list[str]:
    """What is wrong with the codes of a returned target, compared with its source's: each
    missing, repeated or invented code, or one of the wrong kind. Empty when it is right."""
    expected = {c.id: ("ph" if isinstance(c, Ph) else "pc") for c in codes(source)}
    found: Counter[str] = Counter()
    problems: list[str] = []
    for code in _returned_codes(target):
        found[code.id] += 1
        kind = expected.get(code.id)
        if kind is None:
            problems.append(f"placeholder {code.kind} id={code.id} is not in the source")
        elif kind != code.kind:
            problems.append(
                f"placeholder id={code.id} is a {kind} in the source, not a {code.kind}"
            )
    for id_, count in sorted(found.items()):
        if count > 1 and id_ in expected:
            problems.append(f"placeholder id={id_} appears {count} times, expected once")
    for id_, kind in expected.items():
        if id_ not in found:
            problems.append(f"placeholder {kind} id={id_} of the source is missing")
    return problems


def _returned_codes(parts: tuple[ReturnedPart, ...]) -> Iterator[Returned]:
    for part in parts:
        if isinstance(part, Returned):
            yield part
            yield from _returned_codes(part.parts)


def rebuild(source: tuple[Part, ...], target: tuple[ReturnedPart, ...]) -> str:
    """The Markdown of a checked target: each code replaced by the source's markup."""
    by_id = {c.id: c for c in codes(source)}
    out: list[str] = []
    for part in target:
        if isinstance(part, str):
            out.append(part)
            continue
        code = by_id[part.id]
        if isinstance(code, Ph):
            out.append(code.data)
        else:
            out.append(code.start + rebuild(source, part.parts) + code.end)
    return "".join(out)


def as_returned(parts: tuple[Part, ...]) -> tuple[ReturnedPart, ...]:
    """Parts as a translation file would give them back (for a target parsed from Markdown)."""
    return tuple(
        p
        if isinstance(p, str)
        else Returned("ph", p.id)
        if isinstance(p, Ph)
        else Returned("pc", p.id, as_returned(p.parts))
        for p in parts
    )


def align(source: tuple[Part, ...], target_markdown: str) -> tuple[ReturnedPart, ...]:
    """A translation's Markdown as codes numbered like its source's: each code of the target
    takes the id of the source's code with the same markup (the n-th with it takes the n-th),
    wherever the translator moved it. Markup the source does not have stays text."""
    pool: dict[tuple[str, str, str], list[str]] = {}
    for code in codes(source):
        key = ("ph", code.data, "") if isinstance(code, Ph) else ("pc", code.start, code.end)
        pool.setdefault(key, []).append(code.id)

    def convert(parts: tuple[Part, ...]) -> tuple[ReturnedPart, ...]:
        out: list[ReturnedPart] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            key = ("ph", part.data, "") if isinstance(part, Ph) else ("pc", part.start, part.end)
            ids = pool.get(key)
            if not ids:
                out.append(markdown((part,)))
            elif isinstance(part, Ph):
                out.append(Returned("ph", ids.pop(0)))
            else:
                out.append(Returned("pc", ids.pop(0), convert(part.parts)))
        return tuple(out)

    return convert(parse(target_markdown))


def plain_returned(parts: tuple[ReturnedPart, ...]) -> str:
    """The text of a returned target without its codes (empty: nothing was translated)."""
    return "".join(p if isinstance(p, str) else plain_returned(p.parts) for p in parts)
