"""The offline site zip: unzipped and opened from file:// in Chromium, search finds a lesson and
nothing is requested from another host; the trainer edition is left out; two exports are
byte-identical."""

from __future__ import annotations

import posixpath
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.adapters.cli import main

from .conftest import FIXTURES, copy_course


@pytest.fixture(scope="module")
def offline_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal course exported as an offline site (PDFs off: this test reads none)."""
    root = tmp_path_factory.mktemp("offline")
    project = copy_course(FIXTURES / "minimal", root / "course", pdf=False)
    assert main(["--root", str(project), "export", "offline", "--out", str(root / "out")]) == 0
    (archive,) = (root / "out").iterdir()
    return archive


def test_zip_holds_the_site_with_inlined_search_and_no_trainer_edition(offline_zip: Path) -> None:
    names = zipfile.ZipFile(offline_zip).namelist()
    assert offline_zip.name == "demo-offline.zip"
    assert {"index.html", "m1/intro.html", "m1/quiz.html", "search/search_index.js"} <= set(names)
    assert "assets/iframe-worker-shim.js" in names
    assert not [n for n in names if "trainer-edition" in n]
    assert [n for n in names if n.startswith("m1/handouts/module-handout")]
    index = zipfile.ZipFile(offline_zip).read("index.html").decode("utf-8")
    assert "unpkg.com" not in index and 'src="assets/iframe-worker-shim.js"' in index


def test_a_second_export_elsewhere_is_byte_identical(offline_zip: Path, tmp_path: Path) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "elsewhere" / "course", pdf=False)
    assert main(["--root", str(project), "export", "offline", "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / offline_zip.name).read_bytes() == offline_zip.read_bytes()


def test_export_offline_with_zensical_zips_the_site_zensical_built(tmp_path: Path) -> None:
    """`export offline --engine zensical` builds with Zensical, as `build --engine` does; the
    option is refused for the formats that build no site."""
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    out = tmp_path / "out"
    argv = ["--root", str(project), "export", "offline", "--engine", "zensical", "--out", str(out)]
    assert main(argv) == 0
    archive = zipfile.ZipFile(out / "demo-offline.zip")
    names = set(archive.namelist())
    assert {"index.html", "m1/intro.html", "m1/quiz.html", "assets/quiz.js"} <= names
    assert not [n for n in names if "trainer-edition" in n]
    index = archive.read("index.html").decode("utf-8")
    assert re.search(r'<meta name="generator" content="zensical', index)
    assert 'href="https://zensical.org/"' in index and "Material for MkDocs" not in index
    lesson = archive.read("m1/intro.html").decode("utf-8")
    assert 'href="../index.html"' in lesson  # file-style links, for file://


def test_engine_applies_to_offline_only_and_must_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    assert main(["--root", str(project), "export", "gift", "--engine", "zensical"]) == 2
    assert "--engine does not apply" in capsys.readouterr().err
    assert main(["--root", str(project), "export", "offline", "--engine", "hugo"]) == 2
    assert "unknown engine 'hugo'" in capsys.readouterr().err
    assert not (project / "exports").exists()


def test_every_reference_stays_inside_the_zip(offline_zip: Path) -> None:
    """Every address a page, stylesheet or script loads is a file of the zip (a link to a PDF
    aside: this fixture builds none), and nothing a browser would fetch names another host."""
    archive = zipfile.ZipFile(offline_zip)
    names = set(archive.namelist())
    missing: list[str] = []
    foreign: list[str] = []
    for name in sorted(n for n in names if n.endswith(".html")):
        html = archive.read(name).decode("utf-8")
        for tag, attribute, value in _references(html):
            fetched = tag != "a"
            if re.match(r"^(https?:)?//", value):
                if fetched:
                    foreign.append(f"{name}: {value}")
                continue
            if value.startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(name), value.split("#")[0].split("?")[0])
            )
            if value.startswith("/") or (target not in names and not target.endswith(".pdf")):
                missing.append(f"{name}: <{tag} {attribute}={value!r}>")
    for name in sorted(n for n in names if n.endswith(".css")):
        css = archive.read(name).decode("utf-8")
        foreign += [
            f"{name}: {u}" for u in re.findall(r"(?:url\(|@import)\s*['\"]?(https?:[^'\")]+)", css)
        ]
    assert missing == []
    assert foreign == []


def _references(html: str) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((tag, k, v) for k, v in attrs if k in ("href", "src") and v)

    Collect().feed(html)
    return found


@pytest.mark.browser
def test_search_works_from_file_url(page: object, offline_zip: Path, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(offline_zip).extractall(folder)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((folder / "index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("welcome")
    result = page.locator(".md-search-result__item").filter(has_text="Introduction").first
    expect(result).to_be_visible()
    result.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("Introduction")
    # search.highlight adds ?h=<query>; the page itself is the unzipped file.
    assert page.url.split("?")[0] == (folder / "m1" / "intro.html").as_uri()
    assert errors == []
