"""Export archives are deterministic and safe: the same input gives byte-identical zips across
output folders, time zones and hash seeds (real `coursesmith` entry point in a subprocess);
entries are sorted, relative and normalised, with one fixed time and fixed permissions."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.export.archive import (
    ArchiveError,
    archive_time,
    check_entry_name,
    write_all,
    write_atomically,
    zip_bytes,
)
from generator.load import load_course

from .conftest import FIXTURES, REPO, copy_course

COURSESMITH = Path(sys.executable).with_name("coursesmith")


def _export(project: Path, fmt: str, out: Path, tz: str, seed: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(TZ=tz, PYTHONHASHSEED=seed)
    subprocess.run(
        [str(COURSESMITH), "--root", str(project), "export", fmt, "--out", str(out)]
        + (["--skip-unsupported"] if fmt == "qti" else []),
        check=True,
        env=env,
        capture_output=True,
    )


@pytest.mark.parametrize("fmt", ["scorm", "qti"])
def test_exports_are_byte_identical_across_folders_time_zones_and_seeds(
    tmp_path: Path, fmt: str
) -> None:
    one = copy_course(REPO, tmp_path / "one", pdf=False)
    two = copy_course(REPO, tmp_path / "two" / "deeper", pdf=False)
    _export(one, fmt, tmp_path / "out-1", "UTC", "1")
    _export(two, fmt, tmp_path / "out-2", "Pacific/Auckland", "4242")
    course = load_course(one).course
    assert course is not None
    reviewed = course.meta.last_reviewed
    first = sorted((tmp_path / "out-1").iterdir())
    second = sorted((tmp_path / "out-2").iterdir())
    assert [p.name for p in first] == [p.name for p in second] != []
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        with zipfile.ZipFile(a) as archive:
            infos = archive.infolist()
            names = [i.filename for i in infos]
            assert names == sorted(names)
            assert all(check_entry_name(n) == n for n in names)
            assert {i.date_time for i in infos} == {
                (reviewed.year, reviewed.month, reviewed.day, 0, 0, 0)
            }
            assert {i.external_attr >> 16 for i in infos} == {0o100644}


@pytest.mark.parametrize(
    "name",
    ["../evil", "/etc/passwd", "a/../../b", "a//b", "./a", "a/", "", "a\\b", "c:/x", "a\x00"],
)
def test_unsafe_entry_names_are_refused(name: str) -> None:
    with pytest.raises(ArchiveError):
        zip_bytes({name: b"x"}, (2025, 1, 1, 0, 0, 0))


def test_source_date_epoch_wins_over_the_review_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1745366400")
    assert archive_time(dt.date(2025, 1, 31)) == (2025, 4, 23, 0, 0, 0)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert archive_time(dt.date(2025, 1, 31)) == (2025, 1, 31, 0, 0, 0)
    assert archive_time(dt.date(1970, 1, 1)) == (1980, 1, 1, 0, 0, 0)


def test_output_names_cannot_leave_the_folder_and_no_part_file_stays(tmp_path: Path) -> None:
    for name in ("../x.zip", "sub/x.zip", "..", ""):
        with pytest.raises(ArchiveError):
            write_atomically(tmp_path / "out", name, b"x")
    path = write_atomically(tmp_path / "out", "x.zip", b"data")
    assert path.read_bytes() == b"data"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x.zip"]
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)


def test_a_failed_export_leaves_the_previous_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.adapters.cli import main

    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "scorm", "--out", str(out)]) == 0
    before = (out / "m1-scorm12.zip").read_bytes()

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", explode)
    (project / "content" / "modules" / "m1" / "module.yml").write_text(
        (project / "content" / "modules" / "m1" / "module.yml")
        .read_text("utf-8")
        .replace("First Module", "Changed"),
        encoding="utf-8",
    )
    assert main(["--root", str(project), "export", "scorm", "--out", str(out)]) == 1
    assert (out / "m1-scorm12.zip").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["m1-scorm12.zip"]


def test_a_failed_write_leaves_earlier_exports_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file of an export or none: when the second file cannot be written, the first one
    is not replaced either, and no temporary file is left behind."""
    import generator.export.archive as archive

    out = tmp_path / "out"
    write_all(out, [("a.gift", b"old a"), ("b.gift", b"old b")])
    opened = []
    real_fdopen = os.fdopen

    def fdopen(handle: int, mode: str) -> object:
        opened.append(handle)
        if len(opened) == 2:
            os.close(handle)
            raise OSError("disk full")
        return real_fdopen(handle, mode)

    monkeypatch.setattr(archive.os, "fdopen", fdopen)
    with pytest.raises(OSError, match="disk full"):
        write_all(out, [("a.gift", b"new a"), ("b.gift", b"new b")])
    assert sorted(p.name for p in out.iterdir()) == ["a.gift", "b.gift"]
    assert (out / "a.gift").read_bytes() == b"old a"
    assert (out / "b.gift").read_bytes() == b"old b"
