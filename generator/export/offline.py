"""The whole site as one zip that works when unzipped and opened from ``file://``.

The site is built by the caller through the same pipeline as ``coursesmith build``, for
``file://`` (with MkDocs: Material's ``offline`` plugin, so relative ``.html`` links and the
search index inlined as ``search/search_index.js``). Material's search runs in a Web Worker,
which Chromium refuses to start from ``file://``; the plugin would fetch the iframe-worker shim
from unpkg.com, so the pipeline ships a copy of that shim inside the site instead: the offline
site makes no request to another host.

The trainer edition stays out of the zip. On the web it is a file nobody links to; in a zip
every learner who is handed the site can list it, answer key included. Trainers get it from
``coursesmith handouts`` or the published site.

``404.html`` stays out too: only a web server ever shows it, and its addresses start at the
server's root, so opened from the unzipped folder it would load nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.export import ExportFile, ExportResult
from generator.export.archive import archive_time, zip_bytes
from generator.model import Course, addresses
from generator.output.guard import MARKER
from generator.render.handouts import PAPERS, handout_names

# Builds the site for file:// into the folder it is given (which must not exist yet).
OfflineBuilder = Callable[[Path], Path]


def trainer_files(course: Course) -> set[str]:
    """Site paths of the trainer-only handouts, which the offline zip leaves out."""
    return {
        addresses.handout(module.slug, name, paper, fmt).dest
        for module in course.modules
        for name, _title, trainer in handout_names(module)
        if trainer
        for paper in PAPERS
        for fmt in ("html", "pdf")
    }


def site_entries(site: Path, leave_out: set[str]) -> dict[str, bytes]:
    """Every file of a built site by its relative POSIX path, minus ``leave_out``."""
    entries: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_file() and name not in leave_out:
            entries[name] = path.read_bytes()
    return entries


def export_site(course: Course, build: OfflineBuilder) -> ExportResult:
    """The offline site as ``<course id>-offline.zip``."""
    with tempfile.TemporaryDirectory(prefix="coursesmith-offline-") as temp:
        site = build(Path(temp) / "site")
        entries = site_entries(site, trainer_files(course) | {"404.html", MARKER})
    data = zip_bytes(entries, archive_time(course.meta.last_reviewed))
    return ExportResult((ExportFile(f"{course.meta.id}-offline.zip", data),))
