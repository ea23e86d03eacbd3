"""Markers for interface messages written in Python and translated later, where the language is
known: ``make catalogues`` extracts the texts they wrap into ``coursesmith.pot``."""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Marks a message for extraction; returns the text itself."""
    return msgid


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message that depends on a count for extraction; returns both forms."""
    return singular, plural
