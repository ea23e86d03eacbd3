"""The notice a live preview shows on every page while the content on disk does not build.

`serve` keeps showing the last version that built (a reload always answers), with this notice at
the top of the page: what is wrong, as `path:line:col` messages, until a save fixes it. The
messages are the author's own problems, not learner text; they are inserted escaped.
"""

from __future__ import annotations

import re

from markupsafe import escape

from generator.i18n.catalogues import tr
from generator.i18n.markers import N_

NOTICE_CLASS = "cs-preview-problems"
# TRANSLATORS: at the top of every page of the live preview while the content has errors.
HEADING = N_(
    "Your last change does not build. This preview still shows the last version that did; fix "
    "these problems and save, and this note goes away:"
)
# A notice that stays on top of the page, readable in both colour schemes, without any
# stylesheet of the site (the preview's pages may not load one).
_STYLE = (
    "position:sticky;top:0;z-index:1000;margin:0;padding:0.8rem 1rem;background:#fff4e5;"
    "color:#111;border-bottom:3px solid #b45309;font:0.85rem/1.45 sans-serif;"
    "max-height:50vh;overflow:auto"
)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def notice(messages: str, language: str) -> str:
    """The notice as one HTML block: the heading in ``language``, the messages as written."""
    return (
        f'<div class="{NOTICE_CLASS}" role="alert" style="{_STYLE}">'
        f'<p style="margin:0 0 0.4rem;font-weight:bold">{escape(tr(language, HEADING))}</p>'
        f'<pre style="margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font-size:0.8rem">'
        # One line (newlines as character references): a Markdown page takes the block whole.
        f"{str(escape(messages.strip())).replace(chr(10), '&#10;')}</pre></div>"
    )


def in_html(page: str, block: str) -> str:
    """A built page with ``block`` first in its body."""
    found = _BODY.search(page)
    at = found.end() if found else 0
    return page[:at] + block + page[at:]


def in_markdown(text: str, block: str) -> str:
    """A generated Markdown page with ``block`` first after its front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            at = end + len("\n---\n")
            return text[:at] + "\n" + block + "\n\n" + text[at:]
    return block + "\n\n" + text
