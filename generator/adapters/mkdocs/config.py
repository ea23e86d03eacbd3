"""The coursesmith plugin's options in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options
from mkdocs.config.base import Config


class CoursesmithConfig(Config):
    root = config_options.Optional(config_options.Dir(exists=True))
    strict = config_options.Type(bool, default=False)
    pdf = config_options.Type(bool, default=True)
    # The trainer edition holds the answers: published in the site only when the author says so.
    trainer_edition = config_options.Type(bool, default=False)
