"""Reading a module document into a small model: a title with its code, sections and sub-sections,
and in each the text, fenced blocks and pipe tables, every element with its source line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from generator.importer.report import ImportReport
from generator.source import dialect
from generator.source.dialect import LineKind
from generator.source.text import LONE_A_TILDE, invalid_utf8_at, mojibake_runs

_TITLE = re.compile(
    r"^(?P<code>[A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)+)[ \t]*[:–—-][ \t]*(?P<title>\S.*)$"
)
_DELIMITER_CELL = re.compile(r"^:?-{1,}:?$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


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
    for start, run, fixed in mojibake_runs(text):
        if fixed == run and run == LONE_A_TILDE:
            # The "í" whose second byte (0xAD, a soft hyphen) was stripped as invisible on the
            # way; the other lead bytes lose visible continuation bytes far less often.
            fixed = "í"
            report.warn(
                number,
                f"repaired lone '{run}' as '{fixed}' (a guess: 'í' is 'Ã' plus an invisible soft "
                "hyphen, the byte most often lost; check the word)",
                start + 1,
            )
        elif fixed != run:
            report.warn(number, f"repaired mojibake '{run}' as '{fixed}'", start + 1)
        else:
            report.warn(number, f"suspected mojibake '{run}' left as it is", start + 1, "retype it")
        out += [text[last:start], fixed]
        last = start + len(run)
    out.append(text[last:])
    return "".join(out)


@dataclass
class _SubSection:
    """A ``###`` heading and the lines under it, while the document is read."""

    line: Line
    title: str
    body: list[Line] = field(default_factory=list)

    def part(self, report: ImportReport) -> Part:
        return Part(3, self.title, self.line.number, split_blocks(self.body, report), ())


@dataclass
class _Section:
    """A ``##`` heading, the lines under it and its sub-sections, while the document is read."""

    line: Line
    title: str
    own: list[Line] = field(default_factory=list)
    subs: list[_SubSection] = field(default_factory=list)

    def part(self, report: ImportReport) -> Part:
        own = split_blocks(self.own, report)
        subs = tuple(sub.part(report) for sub in self.subs)
        return Part(2, self.title, self.line.number, own, subs)


@dataclass(frozen=True)
class _Title:
    """The ``# CODE: Title`` heading."""

    code: str
    title: str
    line: int


@dataclass
class _Outline:
    """Every line of the document placed under the heading it belongs to."""

    title: _Title | None = None
    first_heading: Line | None = None
    before_title: list[Line] = field(default_factory=list)
    preamble: list[Line] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)

    def add(self, line: Line, level: int, text: str, report: ImportReport) -> None:
        """Place one line, given its heading level (0 for a line that is not a heading)."""
        if level == 1 and self.title is None:
            self.first_heading = self.first_heading or line
            match = _TITLE.match(text)
            if match:
                self.title = _Title(match["code"], match["title"].strip(), line.number)
                return
        if level in (1, 2) and (self.title is not None or level == 2):
            if level == 1:
                report.warn(line.number, f"second level-1 heading '{text}' read as a section")
            self.sections.append(_Section(line, text))
        elif level == 3 and self.sections:
            self.sections[-1].subs.append(_SubSection(line, text))
        elif level == 3:
            report.warn(line.number, f"sub-section '{text}' before any section read as a section")
            self.sections.append(_Section(line, text))
        elif self.sections and self.sections[-1].subs:
            self.sections[-1].subs[-1].body.append(line)
        elif self.sections:
            self.sections[-1].own.append(line)
        elif self.title is not None:
            self.preamble.append(line)
        else:
            self.before_title.append(line)


def read_document(data: bytes, report: ImportReport) -> Document | None:
    """Parse a module document; None (with errors in the report) when it cannot be understood."""
    lines = decode(data, report)
    if lines is None:
        return None
    outline = _Outline()
    for line, (level, text) in _headings(lines, report):
        outline.add(line, level, text, report)
    title = outline.title
    if title is None:
        _report_unplaced(lines, outline.first_heading, outline.sections, report)
        return None
    for line in outline.before_title:
        if line.text.strip():
            report.warn(line.number, "text before the module heading skipped")
    if not outline.sections:
        report.error(
            title.line,
            "no sections found, expected the module's sections as '## Heading' lines",
        )
        for run in _runs(outline.preamble):
            report.error(run[0].number, f"{_span(run)} could not be placed: no section")
        return None
    sections = tuple(section.part(report) for section in outline.sections)
    return Document(
        source=report.source,
        code=title.code,
        title=title.title,
        title_line=title.line,
        preamble=split_blocks(outline.preamble, report),
        sections=sections,
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
    sections: Sequence[_Section],
    report: ImportReport,
) -> None:
    where = first_heading or next((line for line in lines if line.text.strip()), lines[0])
    found = f", found '{where.text.strip()[:60]}'" if first_heading else ""
    report.error(
        where.number,
        f"no module heading, expected a first heading '# CODE: Title' "
        f"(e.g. '# LRN-BEG-015: Module title'){found}",
    )
    starts = [section.line.number for section in sections] + [len(lines) + 1]
    for section, end in zip(sections, starts[1:], strict=False):
        start = section.line.number
        report.error(
            start,
            f"lines {start}–{end - 1} (section '{section.title}') could not be placed: "
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
