"""The N_ markers, defined in ``generator.languages``; importable here too for render code."""

from generator.languages import N_, N_plural

__all__ = ["N_", "N_plural"]
