"""Reading a module document into a small model: a title with its code, sections and sub-sections,
and in each the text, fenced blocks and pipe tables, every element with its source line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator import dialect
from generator.dialect import LineKind
from generator.importer.report import ImportReport
from generator.load.text import MOJIBAKE, invalid_utf8_at, repair_mojibake

_TITLE = re.compile(
    r"^(?P<code>[A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)+)[ \t]*[:–—-][ \t]*(?P<title>\S.*)$"
)
_DELIMITER_CELL = re.compile(r"^:?-{1,}:?$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
# A lone "Ã" inside a word: the "í" whose second byte (0xAD, a soft hyphen) was stripped as
# invisible on the way; the other lead bytes lose visible continuation bytes far less often.
_LONE_A_TILDE = "\u00c3"


@dataclass(frozen=True)
class Line:
    """One line of the document, with its 1-based number."""

    number: int
    text: str


@dataclass(frozen=True)
class TextBlock:
    """Consecutive lines of running text: paragraphs, lists, deeper headings."""

    lines: tuple[Line, ...]

    @property
    def line(self) -> int:
        return self.lines[0].number


@dataclass(frozen=True)
class Fence:
    """A fenced block: its info string (e.g. markdown) and the lines inside the fences."""

    line: int
    info: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class TableRow:
    """One row of a pipe table, its cells stripped."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A pipe table: header row, delimiter row and body rows."""

    header: TableRow
    delimiter: TableRow
    rows: tuple[TableRow, ...]

    @property
    def line(self) -> int:
        return self.header.line

    @property
    def last_line(self) -> int:
        return self.rows[-1].line if self.rows else self.delimiter.line


Block = TextBlock | Fence | Table


@dataclass(frozen=True)
class Part:
    """A section (``##``) or sub-section (``###``): its own blocks, then its sub-sections."""

    level: int
    title: str
    line: int
    blocks: tuple[Block, ...]
    parts: tuple[Part, ...]

    @property
    def last_line(self) -> int:
        """The last line of the part, sub-sections included."""
        ends = [self.line]
        for block in self.blocks:
            ends.append(block.last_line if isinstance(block, Table) else _block_end(block))
        ends += [part.last_line for part in self.parts]
        return max(ends)


@dataclass(frozen=True)
class Document:
    """A module document: code and title, text before the first section, and the sections."""

    source: str
    code: str
    title: str
    title_line: int
    preamble: tuple[Block, ...]
    sections: tuple[Part, ...]


def _block_end(block: TextBlock | Fence) -> int:
    if isinstance(block, Fence):
        return (block.lines[-1].number + 1) if block.lines else block.line + 1
    return block.lines[-1].number


def decode(data: bytes, report: ImportReport) -> list[Line] | None:
    """The document's lines: UTF-8 without BOM, LF line ends, tabs as spaces, mojibake repaired."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        report.placed(1, "byte-order mark dropped")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col, byte = invalid_utf8_at(data, exc)
        report.error(
            line,
            f"invalid UTF-8 byte 0x{byte:02x}, expected a document encoded as UTF-8",
            col,
        )
        return None
    if "\r" in text:
        report.placed(1, "CRLF (or CR) line ends read as LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        report.error(1, "the document is empty, expected '# CODE: Title' and '## ' sections")
        return None
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, _repair_line(raw.expandtabs(4).rstrip(), number, report)))
    return lines


def _repair_line(text: str, number: int, report: ImportReport) -> str:
    """Repair each run of mojibake in a line, reporting it (a lone 'Ã' is repaired as a guess)."""
    out: list[str] = []
    last = 0
    for match in MOJIBAKE.finditer(text):
        run = match.group(0)
        fixed = repair_mojibake(run)
        if fixed == run and run == _LONE_A_TILDE:
            fixed = "í"
            report.warn(
                number,
                f"repaired lone '{run}' as '{fixed}' (a guess: 'í' is 'Ã' plus an invisible soft "
                "hyphen, the byte most often lost; check the word)",
                match.start() + 1,
            )
        elif fixed != run:
            report.warn(number, f"repaired mojibake '{run}' as '{fixed}'", match.start() + 1)
        else:
            report.warn(
                number, f"suspected mojibake '{run}' left as it is", match.start() + 1, "retype it"
            )
        out += [text[last : match.start()], fixed]
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def read_document(data: bytes, report: ImportReport) -> Document | None:
    """Parse a module document; None (with errors in the report) when it cannot be understood."""
    lines = decode(data, report)
    if lines is None:
        return None
    title: tuple[str, str, int] | None = None
    first_heading: Line | None = None
    before_title: list[Line] = []
    preamble: list[Line] = []
    sections: list[tuple[Line, str, list[tuple[Line, str, list[Line]]], list[Line]]] = []
    for line, heading in _headings(lines, report):
        level, text = heading if heading else (0, "")
        if level == 1 and title is None:
            first_heading = first_heading or line
            match = _TITLE.match(text)
            if match:
                title = (match["code"], match["title"].strip(), line.number)
                continue
        if level in (1, 2) and (title is not None or level == 2):
            if level == 1:
                report.warn(line.number, f"second level-1 heading '{text}' read as a section")
            sections.append((line, text, [], []))
        elif level == 3 and sections:
            sections[-1][2].append((line, text, []))
        elif level == 3:
            report.warn(line.number, f"sub-section '{text}' before any section read as a section")
            sections.append((line, text, [], []))
        elif sections and sections[-1][2]:
            sections[-1][2][-1][2].append(line)
        elif sections:
            sections[-1][3].append(line)
        elif title is not None:
            preamble.append(line)
        else:
            before_title.append(line)
    if title is None:
        _report_unplaced(lines, first_heading, sections, report)
        return None
    for line in before_title:
        if line.text.strip():
            report.warn(line.number, "text before the module heading skipped")
    if not sections:
        report.error(
            title[2],
            "no sections found, expected the module's sections as '## Heading' lines",
        )
        for run in _runs(preamble):
            report.error(run[0].number, f"{_span(run)} could not be placed: no section")
        return None
    parts = tuple(
        Part(
            level=2,
            title=text,
            line=line.number,
            blocks=split_blocks(own, report),
            parts=tuple(
                Part(3, sub, sub_line.number, split_blocks(body, report), ())
                for sub_line, sub, body in subs
            ),
        )
        for line, text, subs, own in sections
    )
    return Document(
        source=report.source,
        code=title[0],
        title=title[1],
        title_line=title[2],
        preamble=split_blocks(preamble, report),
        sections=parts,
    )


def _headings(lines: list[Line], report: ImportReport) -> Iterator[tuple[Line, tuple[int, str]]]:
    """Each line with its heading level and text (level 0 for other lines); fences hide headings."""
    fences = dialect.Fences()
    for line in lines:
        found = dialect.heading(line.text) if fences.feed(line.text) is LineKind.PROSE else None
        if found and found.level <= 3:
            yield line, (found.level, found.text.strip())
        else:
            yield line, (0, "")
    if fences.current is not None:
        report.warn(
            lines[fences.opened].number,
            "fenced block is never closed; it runs to the end of the document",
        )


def _report_unplaced(
    lines: list[Line],
    first_heading: Line | None,
    sections: Sequence[tuple[Line, str, object, object]],
    report: ImportReport,
) -> None:
    where = first_heading or next((line for line in lines if line.text.strip()), lines[0])
    found = f", found '{where.text.strip()[:60]}'" if first_heading else ""
    report.error(
        where.number,
        f"no module heading, expected a first heading '# CODE: Title' "
        f"(e.g. '# LRN-BEG-015: Module title'){found}",
    )
    starts = [line.number for line, *_ in sections] + [len(lines) + 1]
    for (line, text, *_), end in zip(sections, starts[1:], strict=False):
        report.error(
            line.number,
            f"lines {line.number}–{end - 1} (section '{text}') could not be placed: "
            "no module heading above them",
        )
    if not sections:
        for run in _runs(lines):
            report.error(run[0].number, f"{_span(run)} could not be placed")


def _runs(lines: list[Line]) -> list[list[Line]]:
    """Groups of consecutive non-blank lines."""
    runs: list[list[Line]] = []
    for line in lines:
        if not line.text.strip():
            continue
        if runs and runs[-1][-1].number == line.number - 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _span(run: list[Line]) -> str:
    """'line 7' or 'lines 7–9'."""
    return f"line {run[0].number}" if len(run) == 1 else f"lines {run[0].number}–{run[-1].number}"


def split_cells(text: str) -> tuple[str, ...]:
    """The cells of a pipe-table row, outer pipes dropped, each stripped."""
    inner = text.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return tuple(cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(inner))


def _is_delimiter(text: str) -> bool:
    if "-" not in text:
        return False
    cells = split_cells(text)
    return all(_DELIMITER_CELL.match(cell) for cell in cells)


def split_blocks(lines: Sequence[Line], report: ImportReport) -> tuple[Block, ...]:
    """Cut a part's lines into running text, fenced blocks and pipe tables."""
    blocks: list[Block] = []
    text: list[Line] = []

    def flush() -> None:
        while text and not text[-1].text.strip():
            text.pop()
        while text and not text[0].text.strip():
            text.pop(0)
        if text:
            blocks.append(TextBlock(tuple(text)))
        text.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        opening = dialect.fence_opening(line.text)
        if opening:
            flush()
            inner: list[Line] = []
            index += 1
            while index < len(lines) and not opening.closed_by(lines[index].text):
                inner.append(lines[index])
                index += 1
            blocks.append(Fence(line.number, opening.info.lower(), tuple(inner)))
            index += 1
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if "|" in line.text and following is not None and _is_delimiter(following.text):
            flush()
            header = TableRow(line.number, split_cells(line.text))
            delimiter = TableRow(following.number, split_cells(following.text))
            rows: list[TableRow] = []
            index += 2
            while index < len(lines) and "|" in lines[index].text and lines[index].text.strip():
                rows.append(TableRow(lines[index].number, split_cells(lines[index].text)))
                index += 1
            blocks.append(Table(header, delimiter, tuple(rows)))
            continue
        text.append(line)
        index += 1
    flush()
    return tuple(blocks)


def fit_row(row: TableRow, width: int, report: ImportReport, needed: int) -> tuple[str, ...]:
    """A row's cells cut or padded to the table's width, saying so when a cell with text is
    dropped or a cell the import reads (the first ``needed``) is missing: trailing empty cells
    left out by the author (``| a | b |`` under four headers) are not worth a word."""
    cells = row.cells
    if len(cells) > width:
        dropped = [c for c in cells[width:] if c]
        if dropped:
            report.warn(
                row.line,
                f"table row has {len(cells)} cells, expected {width}; extra cell(s) dropped: "
                + ", ".join(f"'{c[:40]}'" for c in dropped),
            )
        return cells[:width]
    if len(cells) < needed:
        report.warn(
            row.line,
            f"table row has {len(cells)} cells, expected {width}; missing cells read as empty",
        )
    if len(cells) < width:
        return cells + ("",) * (width - len(cells))
    return cells


def table_width(table: Table, report: ImportReport) -> int:
    """The table's column count (its header's), noting a delimiter row that disagrees."""
    width = len(table.header.cells)
    if len(table.delimiter.cells) != width:
        report.warn(
            table.delimiter.line,
            f"table delimiter row has {len(table.delimiter.cells)} cells, the header has "
            f"{width}; the header's {width} columns are used",
        )
    return width


def plain_text(lines: Sequence[Line]) -> str:
    """Lines joined into one line of text."""
    return " ".join(line.text.strip() for line in lines if line.text.strip())


def paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Groups of lines separated by blank lines."""
    groups: list[list[Line]] = [[]]
    for line in lines:
        if line.text.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]
