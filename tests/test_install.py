"""Installable anywhere: a wheel built from this repository, installed into a fresh virtual
environment outside it, starts a course, checks, builds, serves and exports it, with nothing of
this checkout on the path and no path of the installation in the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO, fetch, free_port


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_runs_every_command(tmp_path: Path) -> None:
    # No variable that could lead Python back to this checkout.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["NO_MKDOCS_2_WARNING"] = "1"

    def run(*args: str | Path, cwd: Path = tmp_path, timeout: int = 600) -> str:
        done = subprocess.run(
            [str(a) for a in args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"{args}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        return done.stdout + done.stderr

    # Built from the files git tracks, copied as a fresh clone has them: setuptools builds in the
    # source tree, so a build/ folder left in this checkout could hide a module the wheel lacks.
    source = tmp_path / "source"
    tracked = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    for name in filter(None, tracked.split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--quiet", "-w", wheels)
    (wheel,) = wheels.glob("coursesmith-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "generator/site_templates/static/assets/quiz.js" in names
    assert "generator/site_templates/overrides/main.html" in names

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    bin_dir = venv / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel)
    coursesmith = bin_dir / "coursesmith"
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"

    where = run(bin_dir / "python", "-c", "import generator; print(generator.__file__)")
    assert str(venv) in where and str(REPO) not in where

    run(coursesmith, "new", "course", "demo", "--title", "Demo course")
    project = tmp_path / "demo"
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert str(venv) not in config and str(REPO) not in config and "site-packages" not in config

    assert "content OK" in run(coursesmith, "check", cwd=project)
    run(coursesmith, "build", cwd=project)
    site = project / "site"
    assert "Demo course" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "assets/quiz.js").is_file()
    assert (site / "first-module/quiz/index.html").is_file()
    assert (site / "first-module/handouts/module-handout-a4.pdf").is_file()

    port = free_port()
    server = subprocess.Popen(
        [str(coursesmith), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, page = time.monotonic() + 120, ""
        while time.monotonic() < deadline and "Introduction" not in page:
            page = fetch(f"http://127.0.0.1:{port}/first-module/introduction/")
            time.sleep(0.3)
        assert "Introduction" in page, "serve did not answer"
        assert "assets/quiz.js" in fetch(f"http://127.0.0.1:{port}/first-module/quiz/")
    finally:
        server.terminate()
        server.wait(timeout=30)

    # The starter quiz has a question of every type: GIFT and QTI leave out what they cannot hold.
    for fmt, *options in (
        ("gift", "--skip-unsupported"),
        ("qti", "--skip-unsupported"),
        ("scorm",),
        ("cmi5",),
        ("xapi",),
        ("offline",),
    ):
        out = run(coursesmith, "export", fmt, *options, "--out", "exports", cwd=project)
        assert "wrote" in out, out
    written = {p.name for p in (project / "exports").iterdir()}
    assert any(name.endswith("-offline.zip") for name in written), written
    assert any(name.endswith(".gift") for name in written), written
    # The cmi5 and xAPI runtimes ship in the wheel with the SCORM one.
    for ending, runtime in (("-cmi5.zip", "assets/cmi5.js"), ("-xapi.zip", "assets/tincan.js")):
        package = next(project / "exports" / n for n in written if n.endswith(ending))
        assert {runtime, "assets/xapi.js"} <= set(zipfile.ZipFile(package).namelist())
