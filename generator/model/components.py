"""The kinds of practical component a module can have (role template, checklist, lifecycle
guide), described once: model class, file, page, titles, templates and schema name, and the
hooks through which every stage handles the kind.

One row per kind. The loader, the checks, the translation comparison, the page and handout
renderers, the schema generator and the importer read this table and call the row's hooks; none
of them names a kind. A new kind of component is one more row here (with its model class, its
``Module`` field and its templates).

A row's hooks:

- ``load``: the component's YAML node as its model object (None when it is broken);
- ``check``: the rules within one component (unique ids, ...), reported through ``Rules``;
- ``structure``: what a translation must keep of its source (ids, counts), through ``Compare``;

How the Word and Markdown import finds and reads each kind is the importer's own table, one row
per kind here (``generator.importer.kinds.READERS``): the model stands below the importer.

Every hook is required: a row without one is refused when the table is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from yaml.nodes import Node

from generator.model import Checklist, LifecycleGuide, Loc, Located, Module, RoleTemplate
from generator.source.languages import N_

V = TypeVar("V", bound=Located)  # a kind's model object
L = TypeVar("L", bound=Located)
T = TypeVar("T", bound=Located)


class Decode(Protocol):
    """What a load hook is given: the loader's decoder for the component's file."""

    def object(self, node: Node, cls: type[T], what: str) -> T | None: ...


class Rules(Protocol):
    """What a check hook is given: the cross-file checks' reporting."""

    def unique(self, items: Iterable[L], key: Callable[[L], str], field: str, what: str) -> None:
        """An error at each item whose key an earlier item already has."""

    def error(self, where: Loc, message: str) -> None: ...


class Compare(Protocol):
    """What a translation-structure hook is given: comparison of a translated file with its
    source file, each difference reported at the translation's place."""

    def value(self, where: Loc, what: str, found: object, expected: object) -> None:
        """An error at ``where`` when ``found`` differs from ``expected``."""

    def ids(
        self,
        what: str,
        got: Sequence[L],
        want: Sequence[L],
        key: Callable[[L], str],
        parent: Loc,
    ) -> bool:
        """Whether two lists have the same ids in order; an error at the first that differs."""


# The hooks every row must bring (see the module's docstring).
HOOKS = ("load", "check", "structure")


@dataclass(frozen=True)
class ComponentKind(Generic[V]):
    """One kind of component.

    ``name`` is its file stem (``components/<name>.yml``), its page and handout name and its
    schema name; ``attribute`` is the ``Module`` field that holds it; ``what`` names it in
    messages; ``nav_title`` is its title in the navigation and on the module page (an interface
    message, translated where the course language is known); the page
    template receives it as ``variable``; its handout may carry a subtitle; a kind that is
    offered as a file to fill in (Markdown, for Word or a text editor) names the template of
    that file as ``download_template`` (which receives it as ``variable`` too), the others leave
    it empty. The hooks are described in the module's docstring."""

    name: str
    cls: type[V]
    attribute: str
    what: str
    nav_title: str
    page_template: str
    variable: str
    handout_template: str
    load: Callable[[Decode, Node], V | None]
    check: Callable[[V, Rules], None]
    structure: Callable[[Compare, V, V], None]
    handout_subtitle: str = ""
    download_template: str = ""

    def __post_init__(self) -> None:
        missing = [hook for hook in HOOKS if not callable(getattr(self, hook, None))]
        if missing:
            raise TypeError(
                f"component kind '{self.name}' has no {', '.join(missing)} hook, expected every "
                f"hook of the kinds table: {', '.join(HOOKS)}"
            )

    @property
    def filename(self) -> str:
        return f"{self.name}.yml"

    def of(self, module: Module) -> V | None:
        """This kind's component of a module, if it has one."""
        value = getattr(module, self.attribute)
        return value if isinstance(value, self.cls) else None


def decoded(cls: type[V], what: str) -> Callable[[Decode, Node], V | None]:
    """A load hook: the node decoded field by field into ``cls`` (the model's own rules)."""

    def load(decode: Decode, node: Node) -> V | None:
        return decode.object(node, cls, what)

    return load


# --- the role template ------------------------------------------------------------------------


def _check_role_template(template: RoleTemplate, rules: Rules) -> None:
    rules.unique(template.groups, lambda g: g.id, "id", "responsibility group id")


def _role_template_structure(c: Compare, got: RoleTemplate, want: RoleTemplate) -> None:
    if not c.ids(
        "role template group ids", got.groups, want.groups, lambda g: g.id, got.at("groups")
    ):
        return
    for group, other in zip(got.groups, want.groups, strict=True):
        c.value(
            group.at("responsibilities"),
            f"number of responsibilities of group '{group.id}'",
            len(group.responsibilities),
            len(other.responsibilities),
        )


ROLE_TEMPLATE = ComponentKind(
    name="role-template",
    cls=RoleTemplate,
    attribute="role_template",
    what="role template",
    nav_title=N_("Role definition template"),
    page_template="pages/role_template.md.j2",
    variable="template",
    handout_template="handouts/role_template.html.j2",
    download_template="downloads/role-template.md.j2",
    load=decoded(RoleTemplate, "role template"),
    check=_check_role_template,
    structure=_role_template_structure,
)


# --- the checklist ----------------------------------------------------------------------------


def _check_checklist(checklist: Checklist, rules: Rules) -> None:
    rules.unique(checklist.sections, lambda s: s.id, "id", "checklist section id")
    items = [i for s in checklist.sections for i in s.items]
    rules.unique(items, lambda i: i.id, "id", "checklist item id")
    statuses = checklist.statuses
    if len(set(statuses)) != len(statuses) or not statuses:
        rules.error(
            checklist.at("statuses"), "checklist statuses must be a non-empty list without repeats"
        )


def _checklist_structure(c: Compare, got: Checklist, want: Checklist) -> None:
    c.value(
        got.at("statuses"), "number of checklist statuses", len(got.statuses), len(want.statuses)
    )
    if not c.ids(
        "checklist section ids", got.sections, want.sections, lambda s: s.id, got.at("sections")
    ):
        return
    for section, other in zip(got.sections, want.sections, strict=True):
        c.ids(
            f"checklist item ids of section '{section.id}'",
            section.items,
            other.items,
            lambda i: i.id,
            section.at("items"),
        )


CHECKLIST = ComponentKind(
    name="checklist",
    cls=Checklist,
    attribute="checklist",
    what="checklist",
    nav_title=N_("Best-practices checklist"),
    page_template="pages/checklist.md.j2",
    variable="checklist",
    handout_template="handouts/checklist.html.j2",
    handout_subtitle=N_("Blank, to fill in"),
    load=decoded(Checklist, "checklist"),
    check=_check_checklist,
    structure=_checklist_structure,
)


# --- the lifecycle guide ----------------------------------------------------------------------


def _check_lifecycle_guide(guide: LifecycleGuide, rules: Rules) -> None:
    rules.unique(guide.phases, lambda p: p.id, "id", "lifecycle phase id")


def _lifecycle_guide_structure(c: Compare, got: LifecycleGuide, want: LifecycleGuide) -> None:
    c.ids("lifecycle phase ids", got.phases, want.phases, lambda p: p.id, got.at("phases"))


LIFECYCLE_GUIDE = ComponentKind(
    name="lifecycle-guide",
    cls=LifecycleGuide,
    attribute="lifecycle_guide",
    what="lifecycle guide",
    nav_title=N_("Lifecycle guide"),
    page_template="pages/lifecycle_guide.md.j2",
    variable="guide",
    handout_template="handouts/lifecycle_guide.html.j2",
    load=decoded(LifecycleGuide, "lifecycle guide"),
    check=_check_lifecycle_guide,
    structure=_lifecycle_guide_structure,
)

COMPONENTS: tuple[ComponentKind[Any], ...] = (ROLE_TEMPLATE, CHECKLIST, LIFECYCLE_GUIDE)

# Names a module folder of the site uses for itself: its overview page, its quiz, its component
# pages and the folders of its handouts and downloads. A lesson's page is ``<module>/<id>.md``,
# so a lesson id must be none of them.
RESERVED_PAGE_NAMES: tuple[str, ...] = (
    "index",
    "quiz",
    *(kind.name for kind in COMPONENTS),
    "handouts",
    "downloads",
)
