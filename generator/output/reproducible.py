"""One date for everything a build stamps: the course's review date.

Tools we run stamp the current time into their output unless SOURCE_DATE_EPOCH is set
(https://reproducible-builds.org/specs/source-date-epoch/): MkDocs writes the build day into every
page's ``<lastmod>`` in ``sitemap.xml`` and into the gzip header of ``sitemap.xml.gz``; fontTools
stamps the fonts it subsets into a PDF. Pinned to the review date, the same content gives the same
bytes on any day, and the sitemap's ``lastmod`` says when the content was last reviewed.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from collections.abc import Iterator

VARIABLE = "SOURCE_DATE_EPOCH"


def epoch_of(day: _dt.date) -> int:
    """Midnight UTC of ``day`` in seconds since the epoch (UTC: the time zone must not matter)."""
    return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC).timestamp())


@contextlib.contextmanager
def build_date(day: _dt.date, *, keep_callers: bool = True) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to ``day`` while the block runs, then restored.

    ``keep_callers``: a value the caller's environment already has wins (a packager pinning
    every build of a release to one date); False pins ``day`` regardless.
    """
    saved = os.environ.get(VARIABLE)
    if keep_callers and saved and saved.strip().isdigit():
        yield
        return
    os.environ[VARIABLE] = str(epoch_of(day))
    try:
        yield
    finally:
        if saved is None:
            del os.environ[VARIABLE]
        else:
            os.environ[VARIABLE] = saved
