"""Running MkDocs as a library: build into a temporary folder beside the site, then swap it in,
so a failed build never leaves a half-written site behind."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


class BuildFailed(Exception):
    """MkDocs stopped; the message says why. The previous site is untouched."""


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = False) -> Path:
    """Build the site atomically and return its folder."""
    config_file = config_file.resolve()
    config = load_config(config_file=str(config_file))
    final = Path(site_dir) if site_dir else Path(config.site_dir)
    final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=final.parent))
    counter = _Counter()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(counter)
    try:
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        if strict and counter.messages:
            raise BuildFailed(f"{len(counter.messages)} warning(s) in strict mode")
        _swap(staging, final)
    except MkDocsException as exc:
        # MkDocs logs the plugin's reason and then aborts with a generic message: keep the reason.
        raise BuildFailed(counter.messages[-1] if counter.messages else str(exc)) from None
    finally:
        mkdocs_log.removeHandler(counter)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return final


def _swap(staging: Path, final: Path) -> None:
    """Put the new site in place: the old one is moved aside first and removed last."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=final.parent))
        os.rmdir(old)
        final.rename(old)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
