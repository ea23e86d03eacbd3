"""Hooks of a staged MkDocs build (named in the staged ``mkdocs.yml``): pages in the course's
order, downloads under their real names, and every built page compacted, exactly as the
coursesmith plugin does for ``mkdocs build`` run directly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from generator.adapters.mkdocs import finish
from generator.adapters.pipeline import MANIFEST


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    manifest = json.loads(
        (Path(config.config_file_path).parent / MANIFEST).read_text(encoding="utf-8")
    )
    return finish.ordered(files, manifest["pages"], manifest["downloads"])


def on_post_page(output: str, *, page: Any, config: MkDocsConfig) -> str:
    return finish.compact_page(output)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return finish.compact_template(output_content, template_name)


__all__ = ["on_files", "on_post_page", "on_post_template"]
