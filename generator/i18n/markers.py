"""The N_ markers, defined in ``generator.source.languages``; importable here for render code."""

from generator.source.languages import N_, N_plural

__all__ = ["N_", "N_plural"]
