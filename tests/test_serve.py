"""The live preview: `coursesmith serve` on 127.0.0.1 shows an edited lesson without a restart."""

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


@pytest.mark.parametrize("engine", ENGINES)
def test_serve_reloads_an_edited_lesson(minimal_course: Path, engine: str) -> None:
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
    finally:
        server.terminate()
        server.wait(timeout=10)
