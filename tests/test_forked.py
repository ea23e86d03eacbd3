"""Work on both cores (generator.adapters.forked): the same results as doing it all here, and a
child that fails or is lost costs nothing but time."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from generator.adapters import forked
from generator.adapters.pipeline import build_site

from .conftest import copy_rich_course


@pytest.fixture
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: True)


def test_the_child_does_its_part_in_another_process(may_fork: None) -> None:
    here = os.getpid()
    theirs, mine = forked.in_parallel(os.getpid, os.getpid)
    assert mine == here and theirs != here
    assert multiprocessing.active_children() == []


def test_a_child_that_fails_leaves_its_part_to_this_process(may_fork: None, tmp_path: Path) -> None:
    marker = tmp_path / "tries"

    def once_in_the_child() -> str:
        with marker.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        if os.getpid() != here:
            os._exit(3)  # lost without a word
        return "done here"

    here = os.getpid()
    assert forked.in_parallel(once_in_the_child, lambda: 1) == ("done here", 1)
    tries = marker.read_text(encoding="utf-8").split()
    assert len(tries) == 2 and tries[1] == str(here)
    assert multiprocessing.active_children() == []


def test_a_failure_here_ends_the_child(may_fork: None) -> None:
    def forever() -> None:
        import time

        time.sleep(60)

    def fails() -> None:
        raise ValueError("here")

    with pytest.raises(ValueError, match="here"):
        forked.in_parallel(forever, fails)
    assert multiprocessing.active_children() == []


def test_without_forking_both_parts_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert forked.in_parallel(os.getpid, os.getpid) == (os.getpid(), os.getpid())


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_zensical_on_both_cores_builds_the_site_of_one_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zensical's pages rendered by two processes and its built pages compacted by two: the
    rich course (three modules, a German section) is the same to the byte as on one core."""
    pytest.importorskip("zensical")
    project = copy_rich_course(tmp_path / "rich", pdf=False)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    one = build_site(project / "mkdocs.yml", project / "one", engine="zensical")
    parts = []
    real = forked.in_parallel

    def counted(there: object, here: object) -> object:
        parts.append(1)
        return real(there, here)  # type: ignore[arg-type]

    monkeypatch.setattr(forked, "can_fork", lambda: True)
    monkeypatch.setattr("generator.adapters.pipeline.in_parallel", counted)
    monkeypatch.setattr("generator.adapters.zensical.in_parallel", counted)
    two = build_site(project / "mkdocs.yml", project / "two", engine="zensical")
    assert len(parts) == 3  # the pages once, the built pages of each section
    expected = files(one)
    assert any(name.startswith("de/") for name in expected)
    assert files(two) == expected
