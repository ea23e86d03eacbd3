"""Word tables as pipe tables: the header row from the document's header rows (or its first
row, with a warning), each cell's paragraphs and list items joined by ``<br>``, and a merged
cell's text in every cell it spans (said so in the report). A table of one row or one column is
layout, not data: its cells are written as the paragraphs they hold, with a warning."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from generator.importer.word import block_inlines, escape, stringify

if TYPE_CHECKING:
    from generator.importer.word import Node, WordWriter


def write_table(writer: WordWriter, node: Node, indent: str) -> None:
    _attr, caption, colspecs, thead, tbodies, tfoot = node["c"]
    head = [row for row in thead[1]]
    body = [row for tbody in tbodies for row in tbody[2] + tbody[3]] + list(tfoot[1])
    width = len(colspecs)
    writer.place.paragraph += 1
    if width <= 1 or len(head) + len(body) <= 1:
        _unwrap(writer, head + body, indent)
        return
    writer.in_table = True
    try:
        merged: list[str] = []
        grid = _grid(writer, head + body, width, merged)
    finally:
        writer.in_table = False
    header_rows = len(head)
    writer.blank()
    caption_blocks = caption[1]
    if caption_blocks:
        writer.emit(indent + "*" + writer.inlines(block_inlines(caption_blocks)).strip() + "*")
        writer.emit("")
    warning = ""
    if header_rows == 0:
        warning = "this table has no header row in the document; its first row is the header"
        header_rows = 1
    if merged:
        warning = "; ".join(
            filter(
                None,
                [warning, "merged cells repeated in each cell they span: " + ", ".join(merged)],
            )
        )
    writer.emit(indent + _row(grid[0], writer.token(warning)))
    writer.emit(indent + "| " + " | ".join(["---"] * width) + " |")
    for extra in grid[1:header_rows]:
        writer.emit(
            indent + _row(extra, writer.token("a second header row is written as a body row"))
        )
    for row in grid[header_rows:]:
        writer.emit(indent + _row(row))
    writer.emit("")


def _row(cells: list[str], token: str = "") -> str:
    """A pipe-table row; a warning's token goes inside the last cell, not after the pipe."""
    return "| " + " | ".join(cells) + token + " |"


def _grid(writer: WordWriter, rows: list[Any], width: int, merged: list[str]) -> list[list[str]]:
    """Each row as ``width`` cell texts, row and column spans filled in."""
    grid: list[list[str]] = []
    spans: dict[int, tuple[str, int]] = {}  # column to (text, rows still to fill)
    for row in rows:
        cells, line, col, index = row[1], [], 0, 0
        while index < len(cells) or any(c >= col for c in spans):
            if col in spans:
                text, left = spans.pop(col)
                if left > 1:
                    spans[col] = (text, left - 1)
                line.append(text)
                col += 1
                continue
            if index >= len(cells):
                line.append("")
                col += 1
                continue
            _attr, _align, rowspan, colspan, blocks = cells[index]
            index += 1
            text = cell_text(writer, blocks)
            if (rowspan > 1 or colspan > 1) and text:
                merged.append(f"'{text[:30]}' ({rowspan} row(s) × {colspan} column(s))")
            for offset in range(colspan):
                line.append(text)
                if rowspan > 1:
                    spans[col + offset] = (text, rowspan - 1)
            col += colspan
        grid.append((line + [""] * width)[:width] if len(line) <= width else line[:width])
        if len(line) > width and any(line[width:]):
            writer.drop(f"table cells past the table's {width} columns: {line[width:]}")
    return grid


def cell_text(writer: WordWriter, blocks: list[Any]) -> str:
    """A cell's blocks on one line: paragraphs and list items joined by ``<br>`` under the
    components' heading (a lifecycle table's lists), else by a space, list items as '• item'."""
    text = _cell_parts(writer, blocks)
    if writer.place.in_components or "<br>" not in text:
        return text
    writer.drop(f"the paragraphs of the table cell '{stringify(blocks)[:40]}' joined on one line")
    return re.sub(r"(^|<br>)(?:-|\d+\.) ", r"\1• ", text).replace("<br>", " ")


def _cell_parts(writer: WordWriter, blocks: list[Any]) -> str:
    parts: list[str] = []
    for block in blocks:
        kind = block.get("t")
        if kind in ("Para", "Plain"):
            text = writer.inlines(block["c"]).strip()
            if text:
                parts.append(text)
        elif kind in ("BulletList", "OrderedList"):
            items = block["c"] if kind == "BulletList" else block["c"][1]
            for number, item in enumerate(items, start=1):
                marker = "-" if kind == "BulletList" else f"{number}."
                parts.append(f"{marker} {_cell_parts(writer, item)}")
        elif kind == "Div":
            parts.append(_cell_parts(writer, block["c"][1]))
        else:
            text = stringify([block])
            if text:
                parts.append(escape(text, in_table=True))
                writer.drop(f"a {kind} inside a table cell, kept as plain text")
    return "<br>".join(p for p in parts if p)


def _unwrap(writer: WordWriter, rows: list[Any], indent: str) -> None:
    """A layout table's cells written out as the blocks they hold, in reading order."""
    first = len(writer.out.lines)
    for row in rows:
        for cell in row[1]:
            for block in cell[4]:
                writer.block(block, indent=indent)
    if len(writer.out.lines) > first:
        line = first
        while line < len(writer.out.lines) and not writer.out.lines[line].strip():
            line += 1
        if line < len(writer.out.lines):
            writer.out.lines[line] += writer.token(
                "a table used for layout (one row or one column); its cells were written as "
                "paragraphs"
            )
