"""Built pages without the template indentation: Material's navigation templates indent every
collapsed module section with hundreds of blank characters, which at 100 modules more than
doubles each page. Whitespace runs that contain a line break are reduced to that line break, which
a browser renders exactly the same; preformatted text, scripts and styles are kept as written."""

from __future__ import annotations

import re

_KEEP = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_INDENT = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """The page with each whitespace run that holds a line break reduced to one line break."""
    pieces: list[str] = []
    position = 0
    for match in _KEEP.finditer(html):
        pieces.append(_INDENT.sub("\n", html[position : match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(_INDENT.sub("\n", html[position:]))
    return "".join(pieces)
