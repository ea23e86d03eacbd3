"""Files offered for download beside the pages, such as the role template as Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Course, addresses
from generator.render.environment import environment


@dataclass(frozen=True)
class Download:
    """A downloadable file: where the site links it (``path``), where it lands (``dest``)."""

    path: str
    dest: str
    text: str


def render_downloads(course: Course) -> tuple[Download, ...]:
    """The role template of every module as Markdown, in the source document's structure."""
    out: list[Download] = []
    for module in course.modules:
        if module.role_template:
            # Plain text for a team to edit, so no HTML escaping: it is never rendered as a page.
            text = (
                environment(course.language)
                .get_template("downloads/role-template.md.j2")
                .render(t=module.role_template)
            )
            address = addresses.download(module.slug, "role-template")
            out.append(Download(address.src, address.dest, text.strip() + "\n"))
    return tuple(out)
