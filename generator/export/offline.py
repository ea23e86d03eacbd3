"""The whole site as one zip that works when unzipped and opened from ``file://``.

The site is built with the real build path plus Material's ``offline`` plugin (relative
``.html`` links, the search index inlined as ``search/search_index.js``). Material's search runs
in a Web Worker, which Chromium refuses to start from ``file://``; the plugin would fetch the
iframe-worker shim from unpkg.com, so a copy of that shim ships inside the site instead: the
offline site makes no request to another host.

The trainer edition stays out of the zip. On the web it is a file nobody links to; in a zip
every learner who is handed the site can list it, answer key included. Trainers get it from
``coursesmith handouts`` or the published site.

``404.html`` stays out too: only a web server ever shows it, and its addresses start at the
server's root, so opened from the unzipped folder it would load nothing.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from generator import addresses
from generator.adapters.mkdocs.build import BuildFailed
from generator.export import ExportFile, ExportResult
from generator.export.archive import archive_time, zip_bytes
from generator.model import Course
from generator.render.environment import TEMPLATES
from generator.render.handouts import PAPERS, handout_names

SHIM = "assets/iframe-worker-shim.js"
SHIM_SOURCE = TEMPLATES / "export/offline/iframe-worker-shim.js"


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


def _with_offline(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {**plugins, "offline": {}} if "offline" not in plugins else plugins
    names = [p if isinstance(p, str) else next(iter(p)) for p in plugins or []]
    return [*(plugins or []), "offline"] if "offline" not in names else list(plugins)


def build_offline_site(config_file: Path, folder: Path) -> Path:
    """Build the site for ``file://`` into ``folder`` (which must not exist yet)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    with config_file.open(encoding="utf-8") as stream:
        raw = yaml_load(stream) or {}
    extra = dict(raw.get("extra") or {})
    extra["polyfills"] = [*extra.get("polyfills", []), SHIM]
    messages: list[str] = []

    class Remember(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Remember(logging.WARNING)
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        config = load_config(
            config_file=str(config_file),
            site_dir=str(folder),
            plugins=_with_offline(raw.get("plugins")),
            extra=extra,
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise BuildFailed(messages[-1] if messages else str(exc)) from None
    finally:
        log.removeHandler(handler)
    shim = folder / SHIM
    shim.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHIM_SOURCE, shim)
    return folder


def site_entries(site: Path, leave_out: set[str]) -> dict[str, bytes]:
    """Every file of a built site by its relative POSIX path, minus ``leave_out``."""
    entries: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_file() and name not in leave_out:
            entries[name] = path.read_bytes()
    return entries


def export_site(course: Course, config_file: Path) -> ExportResult:
    """The offline site as ``<course id>-offline.zip``."""
    with tempfile.TemporaryDirectory(prefix="coursesmith-offline-") as temp:
        site = build_offline_site(config_file.resolve(), Path(temp) / "site")
        entries = site_entries(site, trainer_files(course) | {"404.html"})
    data = zip_bytes(entries, archive_time(course.meta.last_reviewed))
    return ExportResult((ExportFile(f"{course.meta.id}-offline.zip", data),))
