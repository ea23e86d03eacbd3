"""Reading content files as text: strict UTF-8, byte-order marks and mojibake."""

from __future__ import annotations

import re
from pathlib import Path

import ftfy

from generator.source.diagnostics import Diagnostics, Loc
from generator.source.limits import MAX_FILE_BYTES, too_large

# Characters that UTF-8 bytes turn into when they are wrongly decoded as Windows-1252 or
# Latin-1: a lead byte (Â..ô) followed by continuation bytes shown as Latin-1 or cp1252 glyphs.
# Such a run is only a candidate: "ß“" in „Spaß“ has the same shape (and even decodes, to a
# Hebrew letter). ftfy decides whether the repaired text is the likelier one.
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"  # noqa: E501
# A lone "Ã" after a letter and before a lower-case one is what is left when the continuation
# byte was lost on the way ("DÃaz"); "SÃO" in capitals is Portuguese, not damage.
MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]+|(?<=[^\\W\\d_])\u00c3(?=[a-z])")
LONE_A_TILDE = "\u00c3"
# "â€" opens the damage of every typographic quote and dash; with its last byte lost it no
# longer decodes, but it is never ordinary text.
_BROKEN_PUNCTUATION = "\u00e2\u20ac"


def mojibake_runs(line: str) -> list[tuple[int, str, str]]:
    """Each run of suspected mojibake in a line: (0-based column, run, repaired run; the run
    itself when it cannot be repaired). Runs that ftfy judges to be ordinary text are left out."""
    found = []
    for match in MOJIBAKE.finditer(line):
        run = match.group(0)
        fixed = ftfy.fix_encoding(run)
        if fixed != run or run == LONE_A_TILDE or run.startswith(_BROKEN_PUNCTUATION):
            found.append((match.start(), run, fixed))
    return found


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 damage run by run; runs that do not round-trip stay as they are."""
    out = []
    for line in text.split("\n"):
        last, pieces = 0, []
        for start, run, fixed in mojibake_runs(line):
            pieces += [line[last:start], fixed]
            last = start + len(run)
        out.append("".join(pieces) + line[last:])
    return "\n".join(out)


def invalid_utf8_at(data: bytes, exc: UnicodeDecodeError) -> tuple[int, int, int]:
    """The 1-based line and column of the first byte that is not UTF-8, and that byte."""
    before = data[: exc.start]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, col, data[exc.start]


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """The file's text, or None (with a diagnostic) when it is not readable UTF-8 or larger than
    a content file may be."""
    hint = "split the lesson into several lessons" if rel.endswith(".md") else ""
    if too_large(path, Loc(rel), diags, MAX_FILE_BYTES, "file", hint):
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(Loc(rel), f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col, byte = invalid_utf8_at(data, exc)
        diags.error(
            Loc(rel, line, col),
            f"invalid UTF-8 byte 0x{byte:02x}, expected text encoded as UTF-8",
        )
        return None
    if text.startswith("\ufeff"):
        diags.warning(Loc(rel), "file starts with a byte-order mark, expected UTF-8 without BOM")
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_mojibake(text, rel, diags)
    return text


def check_mojibake(text: str, rel: str, diags: Diagnostics, first_line: int = 1) -> None:
    """Warn about each run of suspected mojibake, suggesting the repaired text."""
    # A run needs a non-ASCII character and never spans a line break, so one scan of the whole
    # text finds the same files as the scan line by line, at a fraction of the cost.
    if text.isascii() or MOJIBAKE.search(text) is None:
        return
    for number, line in enumerate(text.split("\n"), start=first_line):
        for start, run, fixed in mojibake_runs(line):
            hint = f"did you mean '{fixed}'?" if fixed != run else "retype the damaged characters"
            diags.warning(
                Loc(rel, number, start + 1),
                f"suspected mojibake '{run}', expected correctly encoded text",
                hint,
            )
