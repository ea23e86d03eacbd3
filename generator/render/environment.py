"""The Jinja2 environment for page and handout templates: autoescape on, undefined is an error."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.render.markup import block, inline, is_safe_url, plain


def _templates_folder() -> Path:
    """Our templates, theme overrides and assets: package data in an installed wheel, the
    top-level site_templates/ folder in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "site_templates"
    return installed if installed.is_dir() else package.parent / "site_templates"


TEMPLATES = _templates_folder()


def md_text(value: str) -> Markup:
    """Plain author text placed in Markdown: HTML-escaped, Markdown punctuation neutralised."""
    escaped = str(escape(value))
    return Markup(re.sub(r"([\\`*_\[\]{}#|<>!])", r"\\\1", escaped))


@cache
def environment(folder: Path = TEMPLATES) -> Environment:
    """The shared environment; templates are looked up under ``site_templates/``."""
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline
    env.filters["block"] = block
    env.filters["plain"] = plain
    env.filters["md"] = md_text
    env.filters["safe_url"] = lambda url: url if is_safe_url(url) else "#"
    return env
