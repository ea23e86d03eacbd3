"""Our shipped scripts put author and learner text into pages as text or DOM nodes: none of them
uses an API that parses a string as HTML or runs it as script (tests/test_hostile_content.py
drives them in Chromium with hostile text; this test finds the sinks themselves)."""

from __future__ import annotations

import re

from .conftest import REPO

TEMPLATES = REPO / "site_templates"
# Every API that turns a string into markup or code.
SINKS = re.compile(
    r"\.(?:innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write(?:ln)?\b"
    r"|createContextualFragment|\bsrcdoc\b|\bDOMParser\b|\beval\s*\(|\bnew\s+Function\b"
    r"|\bsetTimeout\s*\(\s*[\"'`]|\bsetInterval\s*\(\s*[\"'`]|\.setHTML(?:Unsafe)?\b"
)
# Third-party files we ship unchanged, and why their sink is no way in for author text.
VENDORED = {
    # iframe-worker's shim writes a frame document naming the search worker's own URL.
    "export/offline/iframe-worker-shim.js",
}
INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def shipped_scripts() -> dict[str, str]:
    """Every script in our templates, by its path under site_templates/: the .js files and the
    bodies of inline <script> elements of the HTML templates (not JSON data blocks)."""
    scripts = {
        p.relative_to(TEMPLATES).as_posix(): p.read_text("utf-8") for p in TEMPLATES.rglob("*.js")
    }
    for page in sorted(TEMPLATES.rglob("*.html*")):
        for number, match in enumerate(INLINE_SCRIPT.finditer(page.read_text("utf-8"))):
            if "application/json" not in match.group(1):
                scripts[f"{page.relative_to(TEMPLATES).as_posix()}#{number}"] = match.group(2)
    return scripts


def test_every_shipped_script_is_found() -> None:
    found = set(shipped_scripts())
    for name in ("quiz.js", "checklist.js", "coursesmith.js", "scorm.js", "scorm-page.js"):
        assert any(path.endswith("/" + name) for path in found), name
    assert found >= VENDORED


def test_no_shipped_script_parses_a_string_as_html_or_code() -> None:
    hits = [
        f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for path, text in sorted(shipped_scripts().items())
        if path not in VENDORED
        for m in SINKS.finditer(text)
    ]
    assert hits == []


def test_the_sink_pattern_finds_each_sink() -> None:
    for line in (
        'el.innerHTML = "<b>" + text;',
        "el.outerHTML = x;",
        'el.insertAdjacentHTML("beforeend", x);',
        "document.write(x);",
        "document.writeln(x);",
        "range.createContextualFragment(x);",
        "frame.srcdoc = x;",
        'new DOMParser().parseFromString(x, "text/html");',
        "eval(x);",
        'new Function("return " + x);',
        'setTimeout("run()", 1);',
        "el.setHTMLUnsafe(x);",
    ):
        assert SINKS.search(line), line
    assert not SINKS.search("el.textContent = x; el.appendChild(document.createTextNode(x));")
