"""The engines that turn a staged site input into a site: MkDocs (the default) and Zensical (an
optional extra). Each is an adapter of its own; this module names them and says what went wrong
when one cannot be used."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

DEFAULT = "mkdocs"
# name -> (module, class, the distribution that must be importable, how to install it)
_ENGINES = {
    "mkdocs": ("generator.adapters.mkdocs.build", "MkDocsEngine", "mkdocs", "pip install mkdocs"),
    "zensical": (
        "generator.adapters.zensical",
        "ZensicalEngine",
        "zensical",
        "pip install 'coursesmith[zensical]'",
    ),
}
NAMES = tuple(_ENGINES)


class BuildFailed(Exception):
    """The build stopped; the message says why. The previous site is untouched."""


class EngineUnavailable(Exception):
    """The engine asked for is unknown or not installed; the message says what to do."""


class Engine(Protocol):
    """What the pipeline asks of an engine."""

    name: str
    # Our theme overrides this engine's own templates make unneeded (paths under overrides/).
    skip_overrides: tuple[str, ...]
    # Whether the engine reads each page as it needs it, from ``build``'s ``pages`` (the staged
    # input then holds everything but the pages), or wants every page on disk before it starts.
    takes_pages: bool

    def notes(self, project: dict[str, Any]) -> list[str]:
        """What of the project's configuration this engine will not do, one sentence each."""

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
        """The engine's configuration for a staged input, from the project's configuration."""

    def write_config(self, config: dict[str, Any], folder: Path) -> Path:
        """Write the configuration into the staging folder; return its file."""

    def build(
        self,
        config_file: Path,
        site_dir: Path,
        strict: bool,
        pages: Callable[[str], str] | None = None,
    ) -> None:
        """Build the staged site into ``site_dir``; BuildFailed with the engine's reason. An
        engine that ``takes_pages`` gets each page's text from ``pages`` (by its path)."""

    def serve_command(self, config_file: Path, dev_addr: str) -> list[str]:
        """The command that serves the staged site and rebuilds it when its files change."""


def engine_named(name: str) -> Engine:
    """The engine called ``name``; EngineUnavailable if there is none or it is not installed."""
    if name not in _ENGINES:
        raise EngineUnavailable(
            f"unknown engine '{name}': choose one of {', '.join(NAMES)} (default {DEFAULT})"
        )
    module, cls, distribution, install = _ENGINES[name]
    if importlib.util.find_spec(distribution) is None:
        raise EngineUnavailable(
            f"the {name} engine is not installed: run `{install}`, "
            f"or build with the default engine ({DEFAULT})"
        )
    engine: Engine = getattr(importlib.import_module(module), cls)()
    return engine
