"""The live preview: `coursesmith serve` on 127.0.0.1 shows an edited lesson without a restart,
and a save that breaks the content as a notice on the open page (the last good version stays,
every reload answers) until a save fixes it."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ENGINES, fetch, free_port


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.2)
    return False


NOTICE = "cs-preview-problems"
PROBLEM = "content/modules/m1/lessons/01-intro.md:7:"


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_serve_reloads_an_edited_lesson_and_shows_what_breaks_it(
    minimal_course: Path, engine: str, page: object
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator.adapters.cli",
            "--root",
            str(minimal_course),
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
            "--engine",
            engine,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/m1/intro/"
        assert wait_for(url, "Welcome.", 60), "serve did not start"
        lesson = minimal_course / "content/modules/m1/lessons/01-intro.md"
        lesson.write_text(lesson.read_text().replace("Welcome.", "Welcome back, edited."), "utf-8")
        assert wait_for(url, "Welcome back, edited.", 30)
        page.goto(url)
        notice = page.locator(f".{NOTICE}")
        assert notice.count() == 0
        # A citation left open: the open page says so, at its path:line:col.
        good = lesson.read_text(encoding="utf-8")
        lesson.write_text(good.replace("[@doe2020]", "[@doe2020 for details"), "utf-8")
        expect(notice).to_be_visible(timeout=30_000)
        expect(notice).to_contain_text(PROBLEM)
        expect(notice).to_contain_text("is not closed")
        assert "Welcome back, edited." in page.content()  # the last good version stays
        # A reload answers at once, with the notice, while the content is broken.
        started = time.monotonic()
        assert NOTICE in fetch(url)
        assert time.monotonic() - started < 2
        lesson.write_text(good, "utf-8")
        expect(notice).to_have_count(0, timeout=30_000)
        assert NOTICE not in fetch(url)
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch_any(url: str) -> str:
    """The page at ``url``, the not-found page's body included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return str(error.read().decode("utf-8"))


def _serve(project: Path, engine: str, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "generator.adapters.cli", "--root", str(project)),
            *("serve", "--dev-addr", f"127.0.0.1:{port}", "--engine", engine),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_serve_starts_on_broken_content_with_the_notice_at_every_address(
    minimal_course: Path, engine: str
) -> None:
    """Content broken before `serve` starts: every address answers with the notice and its
    path:line:col, and the first save that fixes it shows the course."""
    lesson = minimal_course / "content/modules/m1/lessons/01-intro.md"
    good = lesson.read_text(encoding="utf-8")
    lesson.write_text(good.replace("[@doe2020]", "[@doe2020 for details"), "utf-8")
    port = free_port()
    server = _serve(minimal_course, engine, port)
    try:
        home, url = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/m1/intro/"
        assert wait_for(home, NOTICE, 60), "serve did not start on broken content"
        for address in (home, url):
            text = fetch_any(address)
            assert NOTICE in text and PROBLEM in text and "is not closed" in text, address
        lesson.write_text(good.replace("Welcome.", "Welcome, fixed."), "utf-8")
        assert wait_for(url, "Welcome, fixed.", 60)
        assert NOTICE not in fetch(url) and NOTICE not in fetch(home)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_a_save_rewrites_only_what_it_changed_in_the_staged_input(
    minimal_course: Path, engine: str, tmp_path: Path
) -> None:
    """The engines rebuild the staged files whose time changed (MkDocs serves with --dirty): a
    save of a lesson rewrites that lesson's page, then (flushed after the engine has the page)
    its module's handouts that show it, and a save that changes nothing (or a touch) rewrites
    nothing, so the browser does not reload."""
    from generator.adapters.engines import engine_named
    from generator.adapters.pipeline import Project
    from generator.adapters.preview import Preview

    project = Project.read(minimal_course / "mkdocs.yml")
    preview = Preview(project, engine_named(engine), tmp_path / "stage", print, None)
    staged = preview.start()
    before = _mtimes(staged.folder)
    time.sleep(0.01)
    lesson = minimal_course / "content/modules/m1/lessons/01-intro.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text, "utf-8")
    preview.update(templates=False)
    assert _mtimes(staged.folder) == before
    lesson.write_text(text.replace("Welcome.", "Welcome, edited."), "utf-8")
    preview.update(templates=False)
    after = _mtimes(staged.folder)
    assert sorted(name for name in after if after[name] != before.get(name)) == ["docs/m1/intro.md"]
    # The handouts that print the lesson follow the page, once the engine has it.
    assert preview.flush() > 0
    after = _mtimes(staged.folder)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert "docs/m1/handouts/module-handout-a4.html" in changed, changed
    assert all(
        name == "docs/m1/intro.md" or name.startswith("docs/m1/handouts/") for name in changed
    ), changed
    assert "Welcome, edited." in (staged.docs / "m1/intro.md").read_text("utf-8")
