"""The Zensical engine (``coursesmith[zensical]``): Zensical run on a staged site input.

Zensical reads ``mkdocs.yml`` and runs Python-Markdown extensions (so our link extension), but
runs no MkDocs plugin or hook: everything the coursesmith plugin adds is already in the staged
input, and what Zensical cannot do is said by ``notes``, never dropped in silence.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.adapters.engine_config import (
    plugin_name,
    staged_config,
    without_plugin,
    write_config,
)
from generator.adapters.engines import BuildFailed
from generator.adapters.forked import in_parallel
from generator.render.compact import compact_html

# Zensical wants every folder inside the folder of its configuration, named relatively.
DOCS, OVERRIDES, SITE = "docs", "overrides", "site"
# Plugins Zensical does the work of itself; any other MkDocs plugin is ignored by it.
_NATIVE = frozenset({"search", "offline"})
STYLESHEETS = ("assets/zensical.css",)
SCRIPTS = ("assets/zensical.js",)


def _native_plugins() -> frozenset[str]:
    try:
        from zensical import config as zensical_config
    except ImportError:  # pragma: no cover - the engine is only used when installed
        return _NATIVE
    known = getattr(zensical_config, "_PLUGIN_UNSUPPORTED_OPTIONS", None)
    return frozenset(known) if isinstance(known, dict) else _NATIVE


class ZensicalEngine:
    """Builds with Zensical, Material for MkDocs' maintained successor."""

    name = "zensical"
    # Our search partial gives Material's search dialog its accessible name; Zensical's own
    # partial has one already, and ours (Material's markup) would break Zensical's search box.
    skip_overrides: tuple[str, ...] = ("partials/search.html",)
    # Zensical reads its whole docs folder before it starts: every page is staged on disk.
    takes_pages = False

    def notes(self, project: dict[str, Any]) -> list[str]:
        """What of the project's configuration Zensical will not do, one sentence each."""
        out: list[str] = []
        native = _native_plugins()
        ignored = [
            plugin_name(p)
            for p in without_plugin(project.get("plugins") or [])
            if plugin_name(p) not in native
        ]
        if ignored:
            out.append(
                f"Zensical runs no MkDocs plugins, so {', '.join(ignored)} is left out; "
                "build with --engine mkdocs to keep it"
            )
        if project.get("hooks"):
            out.append(
                "Zensical runs no MkDocs hooks, so the project's hooks are left out; "
                "build with --engine mkdocs to keep them"
            )
        out.append(
            "Zensical publishes the role template download as .txt (the browser still saves "
            "it as .md); build with --engine mkdocs for .md"
        )
        return out

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
        if docs.parent != overrides.parent or docs.name != DOCS or overrides.name != OVERRIDES:
            raise BuildFailed("the staged input is not laid out as Zensical needs it")
        config = staged_config(project, docs=DOCS, overrides=OVERRIDES, nav=nav, offline=offline)
        config["site_dir"] = SITE
        # Our fixes for Zensical's own theme, staged from site_templates/engines/zensical/.
        config["extra_css"] = [*(config.get("extra_css") or []), *STYLESHEETS]
        config["extra_javascript"] = [*(config.get("extra_javascript") or []), *SCRIPTS]
        config.pop("hooks", None)
        # The footer credits the engine that built the site (overrides/partials/copyright.html).
        extra = config.get("extra")
        config["extra"] = {
            **(extra if isinstance(extra, dict) else {}),
            "coursesmith_engine": self.name,
        }
        return config

    def write_config(self, config: dict[str, Any], folder: Path) -> Path:
        return write_config(config, folder / "mkdocs.yml")

    def serve_command(self, config_file: Path, dev_addr: str) -> list[str]:
        return [sys.executable, "-m", "zensical", "serve", "-f", str(config_file), "-a", dev_addr]

    def build(
        self,
        config_file: Path,
        site_dir: Path,
        strict: bool,
        pages: Callable[[str], str] | None = None,
    ) -> None:
        folder = config_file.parent
        command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config_file)]
        if strict:
            command.append("--strict")
        try:
            done = subprocess.run(
                command, cwd=folder, capture_output=True, text=True, timeout=1800, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BuildFailed(f"Zensical could not run: {exc}") from None
        if done.returncode != 0:
            lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
            reason = lines[-1] if lines else f"exit code {done.returncode}"
            raise BuildFailed(f"Zensical stopped: {reason}")
        built = folder / SITE
        if not built.is_dir():
            raise BuildFailed("Zensical finished without writing a site")
        compact_pages(built)
        for child in sorted(built.iterdir()):
            shutil.move(str(child), str(site_dir / child.name))


def compact_pages(site: Path) -> None:
    """Every page Zensical built, compacted as the MkDocs hooks compact theirs (its navigation
    templates indent each collapsed module section: 124 KB home pages at 100 modules, 73 KB
    compacted). Zensical runs no hook, so this is done to its output, half of the pages by a
    forked child (forked.in_parallel)."""
    pages = sorted(site.rglob("*.html"))
    in_parallel(lambda: _compact(pages[1::2]), lambda: _compact(pages[0::2]))


def _compact(pages: list[Path]) -> int:
    for page in pages:
        text = page.read_bytes().decode("utf-8")
        compacted = compact_html(text)
        if compacted != text:
            page.write_bytes(compacted.encode("utf-8"))
    return len(pages)
