"""Ids for imported content, made from headings and labels the way an author would shorten them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from generator.model import is_id

_MAX = 60


def make_id(text: str, fallback: str) -> str:
    """A valid id from free text: ascii, lowercase, '&' read as 'and', apostrophes dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[*_`]", "", plain).lower().replace("&", " and ")
    plain = re.sub(r"['’]", "", plain)
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > _MAX:
        slug = slug[:_MAX].rsplit("-", 1)[0]
    return slug if is_id(slug) else fallback


def unique_id(wanted: str, used: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``…, whichever is free; the result is marked used."""
    candidate, number = wanted, 2
    while candidate in used:
        candidate, number = f"{wanted}-{number}", number + 1
    used.add(candidate)
    return candidate


def unique_ids(texts: Iterable[str], fallback: str) -> list[str]:
    """Ids for a list of labels, each unique within the list."""
    used: set[str] = set()
    return [
        unique_id(make_id(text, f"{fallback}-{n}"), used) for n, text in enumerate(texts, start=1)
    ]
