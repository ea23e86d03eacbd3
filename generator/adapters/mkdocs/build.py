"""The MkDocs engine: MkDocs run as a library on a staged site input.

The staged configuration is the project's ``mkdocs.yml`` with the staged docs and overrides, our
navigation, and the staged-build hooks (page order, download names, compact pages) in place of
the coursesmith plugin, which has nothing left to add.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.adapters.engine_config import staged_config, write_config
from generator.adapters.engines import BuildFailed
from generator.adapters.mkdocs import page_source, page_writer

HOOKS = Path(__file__).resolve().parent / "hooks" / "staged.py"


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class MkDocsEngine:
    """Builds with MkDocs and Material for MkDocs."""

    name = "mkdocs"
    skip_overrides: tuple[str, ...] = ()
    # MkDocs reads one page at a time: it can be handed them as they are rendered.
    takes_pages = True

    def notes(self, project: dict[str, Any]) -> list[str]:
        return []  # MkDocs runs the whole project configuration

    def configure(
        self,
        project: dict[str, Any],
        *,
        docs: Path,
        overrides: Path,
        nav: list[Any],
        offline: bool,
        shim: str,
    ) -> dict[str, Any]:
        config = staged_config(
            project, docs=str(docs), overrides=str(overrides), nav=nav, offline=offline
        )
        config["hooks"] = [*(config.get("hooks") or []), str(HOOKS)]
        if offline:
            extra = dict(config.get("extra") or {})
            extra["polyfills"] = [*extra.get("polyfills", []), shim]
            config["extra"] = extra
        return config

    def write_config(self, config: dict[str, Any], folder: Path) -> Path:
        return write_config(config, folder / "mkdocs.yml")

    def serve_command(self, config_file: Path, dev_addr: str) -> list[str]:
        # --dirty: a save rebuilds only the pages whose staged file it rewrote (the preview
        # restages every page when the navigation or a template changes).
        return [
            *(sys.executable, "-m", "mkdocs", "serve", "--dirty"),
            *("-f", str(config_file), "-a", dev_addr),
        ]

    def build(
        self,
        config_file: Path,
        site_dir: Path,
        strict: bool,
        pages: Callable[[str], str] | None = None,
    ) -> None:
        counter = _Counter()
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(counter)
        try:
            config = load_config(
                config_file=str(config_file), site_dir=str(site_dir), strict=strict
            )
            config.plugins.on_startup(command="build", dirty=False)
            try:
                with page_source.reading_from(pages), page_writer.writing():
                    build(config)
            finally:
                config.plugins.on_shutdown()
            if strict and counter.messages:
                raise BuildFailed(f"{len(counter.messages)} warning(s) in strict mode")
        except MkDocsException as exc:
            # MkDocs logs the reason and then aborts with a generic message: keep the reason.
            raise BuildFailed(counter.messages[-1] if counter.messages else str(exc)) from None
        finally:
            mkdocs_log.removeHandler(counter)
