"""One owner of every address: pages, handouts and downloads get their paths and URLs from
generator.model.addresses, and the pages the renderer makes sit where their addresses say."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from generator.load import load_course
from generator.model import addresses
from generator.render.downloads import render_downloads
from generator.render.pages import render_site
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("src", "dest", "url", "flat"),
    [
        ("index.md", "index.html", "", "index.html"),
        ("glossary.md", "glossary/index.html", "glossary/", "glossary.html"),
        ("m1/index.md", "m1/index.html", "m1/", "m1/index.html"),
        ("m1/intro.md", "m1/intro/index.html", "m1/intro/", "m1/intro.html"),
    ],
)
def test_a_page_address_gives_its_file_url_and_flat_file(
    src: str, dest: str, url: str, flat: str
) -> None:
    address = addresses.page(src)
    assert (address.src, address.dest, address.url, address.flat_dest) == (src, dest, url, flat)


def test_links_between_addresses_are_relative_source_paths() -> None:
    lesson = addresses.module_page("m1", "intro")
    assert addresses.glossary().link_from(lesson) == "../glossary.md"
    assert addresses.module_index("m1").link_from(lesson) == "index.md"
    handout = addresses.handout("m1", "checklist", "letter", "pdf")
    assert handout.dest == "m1/handouts/checklist-letter.pdf"
    assert handout.link_from(addresses.module_index("m1")) == "handouts/checklist-letter.pdf"


def test_a_download_is_linked_as_text_and_lands_as_markdown() -> None:
    download = addresses.download("m1", "role-template")
    assert (download.src, download.dest) == (
        "m1/downloads/role-template.txt",
        "m1/downloads/role-template.md",
    )
    assert addresses.download_dest(download.src) == download.dest
    assert addresses.download_dest("m1/assets/role-template.txt") is None
    assert addresses.download_dest("m1/downloads/notes.md") is None


def test_rendered_pages_and_downloads_sit_at_their_addresses() -> None:
    course = load_course(REPO).course
    assert course is not None
    module = course.modules[0]
    paths = {page.path for page in render_site(course)}
    expected = {
        addresses.home().src,
        addresses.glossary().src,
        addresses.sources().src,
        addresses.progress().src,
        addresses.module_index(module.slug).src,
        *(addresses.module_page(module.slug, lesson.id).src for lesson in module.lessons),
    }
    assert expected <= paths
    assert [(d.path, d.dest) for d in render_downloads(course)] == [
        (
            addresses.download(module.slug, "role-template").src,
            addresses.download(module.slug, "role-template").dest,
        )
    ]


def test_downloads_follow_the_kinds_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which components are offered for download is a field of the kinds row
    (``download_template``, rendered with the row's ``variable``), not a name the download
    renderer knows: giving the checklist's row a download template offers the checklist too,
    and taking it from the role template's row offers nothing. Fails on the old code, which
    named ``module.role_template``."""
    from dataclasses import replace

    from jinja2 import DictLoader, Environment

    import generator.render.downloads as downloads
    from generator.model.components import COMPONENTS

    course = load_course(REPO).course
    assert course is not None
    module = course.modules[0]
    assert [kind.name for kind in COMPONENTS if kind.download_template] == ["role-template"]

    def table(**templates: str) -> tuple[object, ...]:
        return tuple(
            replace(kind, download_template=templates.get(kind.variable, "")) for kind in COMPONENTS
        )

    fake = Environment(
        loader=DictLoader({"t": "{{ template.role }}", "c": "{{ checklist.title }}"})
    )
    monkeypatch.setattr(downloads, "environment", lambda language: fake)
    monkeypatch.setattr(downloads, "COMPONENTS", table(template="t", checklist="c"))
    role, checklist = module.role_template, module.checklist
    assert role is not None and checklist is not None
    assert [(d.dest, d.text) for d in render_downloads(course)] == [
        (addresses.download(module.slug, "role-template").dest, f"{role.role}\n"),
        (addresses.download(module.slug, "checklist").dest, f"{checklist.title}\n"),
    ]
    monkeypatch.setattr(downloads, "COMPONENTS", table())
    assert render_downloads(course) == ()


def test_relative_paths_are_relpaths_without_the_working_directory() -> None:
    """``relative_path`` (every link between outputs) answers as ``posixpath.relpath`` for every
    kind of path: nested, equal, sharing a prefix, with ``.``, ``..``, doubled or trailing
    slashes, absolute (handed to relpath), and an empty one (refused as relpath refuses it)."""
    atoms = ["m1", "m2", "index.md", "intro.md", ".", "..", "", "m1x", "ü ä"]
    paths = {"/".join(combo) for n in range(4) for combo in itertools.product(atoms, repeat=n)}
    paths |= {"/" + path for path in list(paths)[:200]}
    for path in sorted(paths):
        for start in ("", ".", "m1", "m1/", "m1/handouts", "m1x", "m2/..", "/m1", "a/b/c"):
            expected: object
            try:
                expected = posixpath.relpath(path, start)
            except ValueError as exc:
                expected = str(exc)
            try:
                found: object = addresses.relative_path(path, start)
            except ValueError as exc:
                found = str(exc)
            assert found == expected, (path, start)
