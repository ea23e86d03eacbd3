"""The live preview: `coursesmith serve` on 127.0.0.1 shows an edited lesson without a restart,
and a save that breaks the content as a notice on the open page (the last good version stays,
every reload answers) until a save fixes it."""

from __future__ import annotations

import subprocess
import sys
import time
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
