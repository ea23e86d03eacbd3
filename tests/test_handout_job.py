"""The handout process of a real build: the same files as writing the handouts in place, failures
named and reported through the pipe, and no process left behind."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from generator.adapters.handout_job import HandoutJob
from generator.load import load_course
from generator.render.pdf import HandoutError, publish_handouts
from generator.source.fingerprint import content_fingerprint

from .conftest import build


def start(project: Path, out: Path, pdf: bool = True, fork: bool = False) -> HandoutJob:
    """A handout job for the course at ``project``, loaded here as a build loads it: spawned
    (a child that imports what it needs afresh, so a stub package on sys.path stands in for a
    real one), or forked."""
    course = load_course(project).course
    assert course is not None
    return HandoutJob.start(((course, ""),), out, content_fingerprint(project), pdf=pdf, fork=fork)


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def weasyprint_stub(tmp_path: Path, body: str) -> Path:
    """A folder holding a 'weasyprint' package with ``body``; a spawned child inherits sys.path,
    so prepending this folder makes the child import it instead of the real one."""
    package = tmp_path / "stub" / "weasyprint"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(body, encoding="utf-8")
    # generator.render.pdf serves the handout stylesheet through a weasyprint.urls fetcher.
    (package / "urls.py").write_text(
        "class URLFetcher:\n    def __init__(self, **kwargs):\n        pass\n"
        "class URLFetcherResponse:\n    pass\n",
        encoding="utf-8",
    )
    return package.parent


@pytest.mark.parametrize("fork", [False, True], ids=["spawned", "forked"])
def test_the_job_writes_the_same_files_as_publishing_in_place(
    minimal_course: Path, tmp_path: Path, fork: bool
) -> None:
    course = load_course(minimal_course).course
    assert course is not None
    in_place = tmp_path / "in-place"
    publish_handouts(course, in_place, content_fingerprint(minimal_course), pdf=True)
    by_job = tmp_path / "by-job"
    job = start(minimal_course, by_job, fork=fork)
    job.wait()
    expected = files(in_place)
    assert any(name.endswith(".pdf") for name in expected)
    assert any(name.endswith(".html") for name in expected)
    assert files(by_job) == expected
    assert multiprocessing.active_children() == []


def test_a_built_site_holds_the_handouts_and_no_process_remains(
    minimal_course_with_pdfs: Path,
) -> None:
    minimal_course = minimal_course_with_pdfs
    site = build(minimal_course)
    course = load_course(minimal_course).course
    assert course is not None
    for module in course.modules:
        names = {p.name for p in (site / module.slug / "handouts").iterdir()}
        assert {"module-handout-a4.html", "module-handout-a4.pdf"} <= names
    assert multiprocessing.active_children() == []


def test_a_failing_handout_is_named_through_the_pipe(
    minimal_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub = weasyprint_stub(
        tmp_path,
        "class HTML:\n    def __init__(self, **kwargs):\n        raise ValueError('no room')\n",
    )
    monkeypatch.syspath_prepend(str(stub))
    out = tmp_path / "out"
    job = start(minimal_course, out)
    with pytest.raises(HandoutError, match=r"^handout '[a-z-]+-a4' could not be rendered: no room"):
        job.wait()
    assert list(out.rglob("*.pdf")) == []
    assert multiprocessing.active_children() == []


def test_a_child_that_dies_without_a_word_fails_clearly(
    minimal_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(weasyprint_stub(tmp_path, "import os\nos._exit(3)\n")))
    job = start(minimal_course, tmp_path / "out")
    with pytest.raises(HandoutError, match=r"ended without a report \(exit code 3\)"):
        job.wait()
    assert multiprocessing.active_children() == []


def test_a_stopped_job_leaves_no_process(minimal_course: Path, tmp_path: Path) -> None:
    job = start(minimal_course, tmp_path / "out")
    job.stop()
    job.stop()  # a second stop (build error, then shutdown) is harmless
    assert multiprocessing.active_children() == []


def test_a_course_that_will_not_pickle_is_named_and_leaves_no_process(tmp_path: Path) -> None:
    unpicklable = ((lambda: None, ""),)  # a model with a function inside could not travel
    job = HandoutJob.start(unpicklable, tmp_path / "out", "0123456789ab", pdf=False, fork=False)  # type: ignore[arg-type]
    with pytest.raises(HandoutError, match="could not be handed to the handout process"):
        job.wait()
    assert not (tmp_path / "out").exists()
    assert multiprocessing.active_children() == []


def test_the_child_writes_each_language_into_its_folder_from_the_model_alone(
    multilingual_course: Path, tmp_path: Path
) -> None:
    """The child is handed the loaded courses: it writes each language's handouts into its
    folder even when the content it came from is gone (it never reads it again)."""
    result = load_course(multilingual_course)
    assert result.course is not None
    editions = tuple(
        (course, folder)
        for course, folder in ((result.in_language(code), code) for code in ("en", "de"))
        if course is not None
    )
    fingerprint = content_fingerprint(multilingual_course)
    shutil.rmtree(multilingual_course / "content")
    job = HandoutJob.start(editions, tmp_path / "out", fingerprint, pdf=False)
    job.wait()
    for code, title in (("en", "Demo Course"), ("de", "Demokurs")):
        html = sorted((tmp_path / "out" / code).rglob("module-handout-a4.html"))
        assert html, code
        text = html[0].read_text(encoding="utf-8")
        assert fingerprint in text and title in text, code
    assert multiprocessing.active_children() == []


def test_a_script_without_a_main_guard_still_gets_its_handouts(
    minimal_course_with_pdfs: Path,
) -> None:
    minimal_course = minimal_course_with_pdfs
    """A spawned child imports the parent's script again; a script that builds at import time
    makes that child fail before it reports. The build then renders the pages and writes the
    handouts itself. (The child is spawned because the script runs a thread of its own: a
    process with one thread forks its child, which imports nothing again.)"""
    import subprocess
    import sys

    script = minimal_course / "build_it.py"
    script.write_text(
        "import threading\n"
        "threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
        "from pathlib import Path\n"
        "from generator.adapters.pipeline import build_site\n"
        f"build_site(Path({str(minimal_course / 'mkdocs.yml')!r}), "
        f"Path({str(minimal_course / 'site')!r}))\n"
        "print('built')\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("built")
    # The child did fail (it tried to start a process of its own while bootstrapping) ...
    assert "RuntimeError" in done.stderr
    # ... and the handouts were written all the same, by the build process.
    handouts = minimal_course / "site" / "m1" / "handouts"
    names = {p.name for p in handouts.iterdir()}
    assert {"module-handout-a4.html", "module-handout-a4.pdf", "quiz-sheet-letter.pdf"} <= names
    assert not [name for name in names if name.startswith(".")]  # no temporary file left
    leftovers = [p.name for p in minimal_course.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []
