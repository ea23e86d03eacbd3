"""Files offered for download beside the pages: each component kind with a fill-in download
(``download_template`` in the kinds table, such as the role template) as Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Course, addresses
from generator.model.components import COMPONENTS
from generator.render.environment import environment


@dataclass(frozen=True)
class Download:
    """A downloadable file: where the site links it (``path``), where it lands (``dest``)."""

    path: str
    dest: str
    text: str


def render_downloads(course: Course) -> tuple[Download, ...]:
    """Every module's components whose kind has a download, as Markdown, module by module in
    the order of COMPONENTS."""
    out: list[Download] = []
    for module in course.modules:
        for kind in COMPONENTS:
            component = kind.of(module)
            if component is None or not kind.download_template:
                continue
            # Plain text for a team to edit, so no HTML escaping: it is never rendered as a page.
            text = (
                environment(course.language)
                .get_template(kind.download_template)
                .render(**{kind.variable: component})
            )
            address = addresses.download(module.slug, kind.name)
            out.append(Download(address.src, address.dest, text.strip() + "\n"))
    return tuple(out)
