"""Practical components found in a module document: which part holds one, and of which kind.

Each kind's own test and reader are in its row of the importer's table
(``generator.importer.kinds``, one row per kind of ``generator.model.components``): this module
only walks a part's blocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.importer.document import (
    Block,
    Fence,
    Part,
    TextBlock,
    paragraphs,
    plain_text,
    split_blocks,
)
from generator.importer.kinds import reader
from generator.importer.report import ImportReport
from generator.model.components import COMPONENTS, ComponentKind

_NUMBER_PREFIX = re.compile(r"^\d+[.)]\s+")


@dataclass(frozen=True)
class Component:
    """A component found in the document: its kind, the model object and where it started."""

    kind: ComponentKind[Any]
    value: Any  # the kind's model object (kind.cls)
    line: int
    detail: str

    def counts(self) -> dict[str, int]:
        """What the import report counts of it."""
        return reader(self.kind).counts(self.value)


def component_title(heading: str) -> str:
    """A sub-section heading as a component title: '1. Role Template' is 'Role Template'."""
    return _NUMBER_PREFIX.sub("", heading).strip()


def candidate_blocks(blocks: Sequence[Block], report: ImportReport) -> list[Block]:
    """A part's blocks with fenced Markdown opened up: components may or may not be fenced."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Fence) and block.info in ("", "markdown", "md"):
            out += split_blocks(block.lines, report)
        else:
            out.append(block)
    return out


def kind_of(block: Block) -> ComponentKind[Any] | None:
    """Which component a block holds, judged by its content rather than by its heading."""
    return next((kind for kind in COMPONENTS if reader(kind).holds(block)), None)


@dataclass(frozen=True)
class FoundComponent:
    """A part's component block, with the part's other blocks (its intro)."""

    kind: ComponentKind[Any]
    block: Block
    others: list[Block]


def find_component(part: Part, report: ImportReport) -> FoundComponent | None:
    """The first component block of a part, if it has one."""
    blocks = candidate_blocks(part.blocks, report)
    for index, block in enumerate(blocks):
        kind = kind_of(block)
        if kind is not None:
            return FoundComponent(kind, block, blocks[:index] + blocks[index + 1 :])
    return None


def read_component(
    kind: ComponentKind[Any], title: str, block: Block, intro: str, report: ImportReport
) -> Component | None:
    """Turn a component block into its model object."""
    read = reader(kind).read(title, block, intro, report)
    return None if read is None else Component(kind, read[0], block.line, read[1])


def intro_text(blocks: Sequence[Block], report: ImportReport) -> str:
    """A component's intro: the text around it, as one line (the field is inline Markdown)."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            texts += [plain_text(p) for p in paragraphs(block.lines)]
        else:
            report.warn(block.line, "block next to a component not placed (one component per part)")
    return " ".join(texts)
