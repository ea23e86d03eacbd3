"""How the import finds and reads each component kind: one row per row of the kinds table
(``generator.model.components.COMPONENTS``), which stands below the importer and so cannot name
its readers. A kind of the table without a row here is refused when this module loads, and
tests/test_component_kinds.py reads every row back from the seed document.

A row's hooks:

- ``holds``: whether a document block holds the kind (judged by its content, not its heading);
- ``read``: the block as the kind's model object, with a detail for the import report;
- ``counts``: what the import report counts of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from generator.importer.component_readers import (
    holds_checklist,
    holds_lifecycle_guide,
    holds_role_template,
    read_checklist,
    read_lifecycle_guide,
    read_role_template,
)
from generator.importer.document import Block
from generator.importer.report import ImportReport
from generator.model import Checklist, LifecycleGuide, Located, RoleTemplate
from generator.model.components import (
    CHECKLIST,
    COMPONENTS,
    LIFECYCLE_GUIDE,
    ROLE_TEMPLATE,
    ComponentKind,
)

V = TypeVar("V", bound=Located)


@dataclass(frozen=True)
class KindReader(Generic[V]):
    """The importer's hooks for one component kind (see the module's docstring)."""

    kind: ComponentKind[V]
    holds: Callable[[Block], bool]
    read: Callable[[str, Block, str, ImportReport], tuple[V, str] | None]
    counts: Callable[[V], dict[str, int]]


def _role_template_counts(template: RoleTemplate) -> dict[str, int]:
    return {
        "role-template groups": len(template.groups),
        "responsibilities": sum(len(g.responsibilities) for g in template.groups),
    }


def _checklist_counts(checklist: Checklist) -> dict[str, int]:
    return {
        "checklist sections": len(checklist.sections),
        "checklist items": sum(len(s.items) for s in checklist.sections),
    }


def _lifecycle_guide_counts(guide: LifecycleGuide) -> dict[str, int]:
    return {"lifecycle phases": len(guide.phases)}


_ROWS: tuple[KindReader[Any], ...] = (
    KindReader(ROLE_TEMPLATE, holds_role_template, read_role_template, _role_template_counts),
    KindReader(CHECKLIST, holds_checklist, read_checklist, _checklist_counts),
    KindReader(
        LIFECYCLE_GUIDE, holds_lifecycle_guide, read_lifecycle_guide, _lifecycle_guide_counts
    ),
)
READERS: Mapping[str, KindReader[Any]] = {row.kind.name: row for row in _ROWS}


def _complete() -> None:
    missing = [kind.name for kind in COMPONENTS if kind.name not in READERS]
    if missing:
        raise TypeError(
            f"component kind {', '.join(missing)} has no row in the importer's table, expected one "
            "per kind of generator.model.components.COMPONENTS"
        )


_complete()


def reader(kind: ComponentKind[Any]) -> KindReader[Any]:
    """The importer's hooks for ``kind``."""
    return READERS[kind.name]
