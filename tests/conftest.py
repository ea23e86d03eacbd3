"""Shared fixtures: sample courses copied into tmp_path, real site builds, a local web server and
Debian's Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import socketserver
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The module document the shipped course was written from (see source-documents/README.md).
SOURCE_DOCUMENT = REPO / "source-documents" / "LRN-BEG-015.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Every YAML file of the minimal test course, one of each kind.
MINIMAL_YAML_FILES = [
    "content/course.yml",
    "content/glossary.yml",
    "content/sources.yml",
    "content/modules/m1/module.yml",
    "content/modules/m1/components/checklist.yml",
    "content/modules/m1/components/role-template.yml",
    "content/modules/m1/components/lifecycle-guide.yml",
    "quizzes/m1.yml",
]


def copy_course(source: Path, target: Path, pdf: bool = True) -> Path:
    """Copy a course (content/ and quizzes/) into ``target`` with a mkdocs.yml that builds it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "quizzes"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    write_config(target, pdf)
    return target


def write_config(project: Path, pdf: bool = True) -> Path:
    """The repo's mkdocs.yml, pointed at the repo's templates and at ``project``'s content."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    if not pdf:  # PDFs take seconds; tests that do not read them skip WeasyPrint
        config["plugins"] = [
            {"coursesmith": {"pdf": False}} if p == "coursesmith" else p for p in config["plugins"]
        ]
    config["docs_dir"] = str(REPO / "site_templates" / "static")
    config["theme"]["custom_dir"] = str(REPO / "site_templates" / "overrides")
    config["site_dir"] = str(project / "site")
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build(project: Path, strict: bool = True, engine: str = "mkdocs") -> Path:
    """Build a project's site with the real build path; returns the site folder."""
    from generator.adapters.pipeline import build_site

    return build_site(project / "mkdocs.yml", project / "site", strict=strict, engine=engine)


def build_with_mkdocs(config_file: Path) -> Path:
    """Build as `mkdocs build` does, without our pipeline (the plugin alone); returns the site."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)


# The browser tests (quiz, checklist, progress, search, axe-core) run on a site of each engine.
ENGINES = ("mkdocs", "zensical")


def copy_rich_course(target: Path, pdf: bool = True) -> Path:
    """A copy of the rich test course (tests/fixtures/rich/): three modules, images beside a
    lesson, in a module's images/ folder and in the project's docs/, tables, code, admonitions,
    components, quizzes and a German translation of part of it. Its mkdocs.yml names the
    project's own docs/ (images there are published at the site root)."""
    copy_course(FIXTURES / "rich", target, pdf)
    shutil.copytree(FIXTURES / "rich" / "docs", target / "docs")
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = "docs"
    config["site_name"] = "Data & Pipelines: <Basics>"
    del config["theme"]["custom_dir"]
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="session", params=ENGINES)
def rich_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rich test course built once per session by each engine, with PDF handouts and both
    languages (its check gives only the German fallback warnings: built without --strict)."""
    project = copy_rich_course(tmp_path_factory.mktemp(f"rich-{request.param}"))
    return build(project, strict=False, engine=request.param)


@pytest.fixture
def minimal_course(tmp_path: Path) -> Path:
    """A copy of the small test course, free to modify; its builds write the handouts as HTML
    only (WeasyPrint takes seconds): tests that read PDFs use ``minimal_course_with_pdfs``."""
    return copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)


@pytest.fixture
def minimal_course_with_pdfs(tmp_path: Path) -> Path:
    """A copy of the small test course whose builds write PDF handouts too."""
    return copy_course(FIXTURES / "minimal", tmp_path / "course")


@pytest.fixture
def multilingual_course(tmp_path: Path) -> Path:
    """A copy of the two-language test course (languages: [en, de]): module m1 translated into
    German throughout (lessons, module.yml, components, quiz, glossary, course.yml, sources),
    module m2 not translated; PDF handouts off, as in ``minimal_course``. Its check gives three
    warnings (m2's files have no German translation), so build it with ``strict=False``."""
    return copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped course, built once per test session with strict checking."""
    project = copy_course(REPO, tmp_path_factory.mktemp("real"))
    return build(project, strict=True)


@pytest.fixture(scope="session")
def trainer_handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped course's handouts with the trainer edition, as a trainer gets them:
    `coursesmith handouts --trainer --out DIR` (the site leaves the trainer edition out)."""
    from generator.adapters.cli import main

    out = tmp_path_factory.mktemp("trainer") / "trainer-handouts"
    assert main(["--root", str(REPO), "handouts", "--trainer", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def trainer_handouts_url(trainer_handouts: Path) -> Iterator[str]:
    """The trainer's handout folder served on 127.0.0.1, to open its HTML handouts."""
    url, server = serve_folder(trainer_handouts)
    yield url
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> tuple[str, socketserver.TCPServer]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


# Search as each engine's theme offers it, found by what a user meets: Material's search box and
# result items; Zensical's search combobox and its listbox of results (in a shadow root, which
# Playwright's CSS selectors pierce).
SEARCH_BOX = "input.md-search__input, input[role=combobox][aria-label=Search]"
SEARCH_RESULT = ".md-search-result__item, [role=listbox][aria-label='Search results'] [role=option]"
SEARCH_RESULT_LINK = ".md-search-result__item a, a[role=option]"


@pytest.fixture(scope="session", params=ENGINES)
def engine_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped course built by each engine (the MkDocs one is ``real_site``)."""
    if request.param == "mkdocs":
        return Path(request.getfixturevalue("real_site"))
    project = copy_course(REPO, tmp_path_factory.mktemp(f"real-{request.param}"), pdf=False)
    return build(project, strict=True, engine=request.param)


@pytest.fixture(scope="session")
def real_site_url(engine_site: Path) -> Iterator[str]:
    """The shipped course's site, as each engine builds it, served on 127.0.0.1."""
    url, server = serve_folder(engine_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context and page; requests to any other host fail the test."""
    from playwright.sync_api import Browser, Route

    assert isinstance(browser, Browser)
    context = browser.new_context()
    foreign: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "file://", "data:", "blob:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    yield tab
    context.close()
    assert not foreign, f"the page requested other hosts: {foreign}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    """The text at ``url``, or "" while the server does not answer (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


@pytest.fixture(scope="session")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Ralph, a real learning record store (its Statement API, file-system backend), on
    127.0.0.1 for the whole test session; stopped after (see tests/xapi_lms.py)."""
    from .xapi_lms import start_ralph, stop_ralph

    instance = start_ralph(tmp_path_factory.mktemp("ralph"))
    yield instance
    stop_ralph(instance)
