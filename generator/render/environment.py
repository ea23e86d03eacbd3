"""The Jinja2 environment for page and handout templates: autoescape on, undefined is an error."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from gettext import NullTranslations
from pathlib import Path
from types import CodeType

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_eval_context,
)
from jinja2.bccache import Bucket
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from generator.i18n.catalogues import format_date, translations
from generator.output.package_files import TEMPLATES
from generator.render.markup import block, inline, is_safe_url, plain
from generator.source.languages import N_, SOURCE_LANGUAGE

# A module's level as pages show it.
LEVELS = {
    # TRANSLATORS: a module's level, as in "Beginner · 20 min · 3 lessons".
    "beginner": N_("Beginner"),
    "intermediate": N_("Intermediate"),
    "advanced": N_("Advanced"),
}
# A checklist's statuses when its author keeps the model's defaults: shown in the page's language
# (the stored answer keeps the English value, so progress survives a change of language).
# TRANSLATORS: a checklist item's default statuses; N/A: not applicable.
CHECKLIST_STATUSES = (N_("Yes"), N_("No"), N_("N/A"))


def md_text(value: str) -> Markup:
    """Plain author text placed in Markdown: HTML-escaped, Markdown punctuation neutralised."""
    escaped = str(escape(value))
    return Markup(re.sub(r"([\\`*_\[\]{}#|<>!])", r"\\\1", escaped))


def _gettext_callables(found: NullTranslations) -> dict[str, Callable[..., str]]:
    """``_``, ``gettext`` and ``ngettext`` for templates, as Jinja2's new-style i18n makes them
    (the message translated, made Markup where autoescape is on, always formatted with its
    variables), in one call each instead of three (``_`` asks the context for ``gettext``, which
    calls the translation through the context again); a message without variables is
    translated and formatted once."""
    done: dict[tuple[str, bool], str] = {}

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, /, **variables: object) -> str:
        if not variables and (string, eval_ctx.autoescape) in done:
            return done[string, eval_ctx.autoescape]
        text = found.gettext(string)
        result: str = (Markup(text) if eval_ctx.autoescape else text) % variables
        if not variables:
            done[string, eval_ctx.autoescape] = result
        return result

    @pass_eval_context
    def ngettext(
        eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: object
    ) -> str:
        variables.setdefault("num", num)
        text = found.ngettext(singular, plural, num)
        result: str = (Markup(text) if eval_ctx.autoescape else text) % variables
        return result

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


class _SharedCode(BytecodeCache):
    """Compiled templates kept in memory and shared by the environments of every language: they
    compile templates alike (the same options and extensions; only globals and filters, looked
    up when a page renders, differ), so a course in several languages compiles each template
    once. A template whose source changed is compiled again (the checksum differs)."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.codes[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _SharedCode()


@cache
def environment(language: str = SOURCE_LANGUAGE, folder: Path = TEMPLATES) -> Environment:
    """The shared environment of one interface language; templates are looked up under
    ``site_templates/``. Templates mark interface text with ``_()``/``ngettext()`` (Jinja2's
    i18n extension, new style: placeholders are escaped, the catalogue's text is trusted)."""
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        # The templates are the package's own: a template is looked up once per process rather
        # than its file checked for changes at every page.
        auto_reload=False,
        bytecode_cache=_COMPILED,
    )
    found = translations(language)
    env.install_gettext_translations(found, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_gettext_callables(found))
    env.globals["language"] = language
    env.filters["level"] = lambda level: found.gettext(LEVELS.get(level, level.capitalize()))
    env.filters["status_label"] = lambda status: (
        found.gettext(status) if status in CHECKLIST_STATUSES else status
    )
    # The statuses in a heading, each whole ("N/A" never split at its own slash).
    env.globals["statuses_heading"] = lambda statuses: Markup("/").join(
        Markup('<span class="status">%s</span>') % env.filters["status_label"](s) for s in statuses
    )
    env.filters["date"] = lambda date: format_date(date, language)
    env.filters["inline"] = lambda text: inline(text, language)
    env.filters["block"] = lambda text: block(text, language)
    env.filters["plain"] = plain
    env.filters["md"] = md_text
    env.filters["safe_url"] = lambda url: url if is_safe_url(url) else "#"
    return env
