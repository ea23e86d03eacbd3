"""Where Coursesmith's own files are: templates, theme overrides, assets and interface catalogues.

Package data in an installed wheel (``generator/site_templates``), the top-level
``site_templates/`` folder in a source checkout. The renderers, the pipeline and the catalogues
all start from ``TEMPLATES``.
"""

from __future__ import annotations

from pathlib import Path


def _templates_folder() -> Path:
    package = Path(__file__).resolve().parents[1]
    installed = package / "site_templates"
    return installed if installed.is_dir() else package.parent / "site_templates"


TEMPLATES = _templates_folder()
