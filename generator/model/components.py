"""The kinds of practical component a module can have (role template, checklist, lifecycle
guide), described once: model class, file, page, titles, templates and schema name.

The loader, the checks, the page and handout renderers, the schema generator and the importer
read this table, so a new kind of component is one more row here (and its templates).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Checklist, LifecycleGuide, Module, RoleTemplate
from generator.source.languages import N_

ComponentValue = RoleTemplate | Checklist | LifecycleGuide


@dataclass(frozen=True)
class ComponentKind:
    """One kind of component.

    ``name`` is its file stem (``components/<name>.yml``), its page and handout name and its
    schema name; ``attribute`` is the ``Module`` field that holds it; ``what`` names it in
    messages; ``nav_title`` is its title in the navigation and on the module page (an interface
    message, translated where the course language is known); the page
    template receives it as ``variable``; its handout may carry a subtitle."""

    name: str
    cls: type[ComponentValue]
    attribute: str
    what: str
    nav_title: str
    page_template: str
    variable: str
    handout_template: str
    handout_subtitle: str = ""

    @property
    def filename(self) -> str:
        return f"{self.name}.yml"

    def of(self, module: Module) -> ComponentValue | None:
        """This kind's component of a module, if it has one."""
        value = getattr(module, self.attribute)
        return value if isinstance(value, self.cls) else None


ROLE_TEMPLATE = ComponentKind(
    name="role-template",
    cls=RoleTemplate,
    attribute="role_template",
    what="role template",
    nav_title=N_("Role definition template"),
    page_template="pages/role_template.md.j2",
    variable="template",
    handout_template="handouts/role_template.html.j2",
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
)
LIFECYCLE_GUIDE = ComponentKind(
    name="lifecycle-guide",
    cls=LifecycleGuide,
    attribute="lifecycle_guide",
    what="lifecycle guide",
    nav_title=N_("Lifecycle guide"),
    page_template="pages/lifecycle_guide.md.j2",
    variable="guide",
    handout_template="handouts/lifecycle_guide.html.j2",
)
COMPONENTS: tuple[ComponentKind, ...] = (ROLE_TEMPLATE, CHECKLIST, LIFECYCLE_GUIDE)

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
