"""Builds are reproducible and atomic: the same input gives byte-identical sites (handouts
included) across folders, time zones and hash seeds; a failed or interrupted build leaves the
previous site exactly as it was, with no temporary folders behind."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.adapters.cli import main

from .conftest import REPO, build_with_mkdocs, copy_course


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_two_builds_in_different_places_are_byte_identical(tmp_path: Path) -> None:
    sites = []
    for name, tz, seed in (("one", "UTC", "1"), ("two", "Pacific/Auckland", "4242")):
        project = copy_course(
            REPO, tmp_path / name / "deeper" if name == "two" else tmp_path / name
        )
        env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1745366400"}
        subprocess.run(
            [sys.executable, "-m", "generator.adapters.cli", "--root", str(project), "build"],
            check=True,
            env=env,
            capture_output=True,
        )
        sites.append(project / "site")
    first, second = (snapshot(site) for site in sites)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert any(name.endswith(".pdf") for name in first)


@pytest.mark.parametrize("failure", [RuntimeError("injected"), KeyboardInterrupt()])
def test_an_interrupted_build_keeps_the_previous_site(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    assert main(["--root", str(minimal_course), "build"]) == 0
    site = minimal_course / "site"
    before = snapshot(site)

    def explode(*args: object, **kwargs: object) -> None:
        raise failure

    # Pages are compacted while the handout process runs: the failure meets it mid-build.
    monkeypatch.setattr("generator.render.compact.compact_html", explode)
    with pytest.raises(type(failure)):
        main(["--root", str(minimal_course), "build"])
    assert snapshot(site) == before
    assert [p.name for p in minimal_course.iterdir() if p.name.startswith(".site-")] == []
    assert multiprocessing.active_children() == []


def _sitemap_dates(site: Path) -> tuple[set[str], int]:
    """The lastmod dates of sitemap.xml (the theme may write none) and the time in
    sitemap.xml.gz's gzip header."""
    import re
    import struct

    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    header = (site / "sitemap.xml.gz").read_bytes()[:8]
    return set(re.findall(r"<lastmod>([^<]+)</lastmod>", text)), struct.unpack("<I", header[4:8])[0]


# The minimal course's last_reviewed (2025-01-31) at midnight UTC.
REVIEWED = "2025-01-31"
REVIEWED_EPOCH = 1738281600


def test_the_site_is_dated_by_the_review_not_by_the_day_it_was_built(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs stamps the build day into the sitemap unless SOURCE_DATE_EPOCH is set: a build on
    another day gave other bytes. The build pins the course's review date, then puts it back."""
    from .conftest import build

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = build(minimal_course)
    dates, stamp = _sitemap_dates(site)
    assert dates <= {REVIEWED} and stamp == REVIEWED_EPOCH
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_mkdocs_run_directly_is_dated_by_the_review_too(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = build_with_mkdocs(minimal_course / "mkdocs.yml")
    dates, stamp = _sitemap_dates(site)
    assert dates <= {REVIEWED} and stamp == REVIEWED_EPOCH
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_a_date_the_caller_pins_changes_the_sitemap_and_nothing_else(
    minimal_course_with_pdfs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SOURCE_DATE_EPOCH set by the caller (a packager pinning every build of a release to one
    date) replaces the review date in the sitemap; every other file of the site, the PDF
    handouts included, is the same bytes as without it (README, "Reproducible output")."""
    from .conftest import build

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = snapshot(build(minimal_course_with_pdfs))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1745366400")  # 2025-04-23
    site = build(minimal_course_with_pdfs)
    dates, stamp = _sitemap_dates(site)
    assert dates <= {"2025-04-23"} and stamp == 1745366400
    pinned = snapshot(site)
    assert sorted(pinned) == sorted(plain)
    assert any(name.endswith(".pdf") for name in pinned)
    assert {name for name in plain if plain[name] != pinned[name]} == {"sitemap.xml.gz"} | (
        {"sitemap.xml"} if dates else set()
    )
