"""The plain-sentence shortcut of ``block`` and ``inline`` gives exactly what the Markdown converter
gives, over an alphabet full of characters that mean something to Markdown or to smarty."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.model import GlossaryTerm
from generator.render.lesson_text import _Glossary
from generator.render.markup import (
    _PLAIN_SENTENCE,
    block,
    converted_block,
    converted_inline,
    inline,
)

# Characters the shortcut accepts, and characters that start Markdown or smarty syntax somewhere.
SENTENCE = "abcxyzABCXYZ0123456789 ,;:?!()/.-'"
RISKY = '"&<>#+*_`[]\\=|~{}\n\t\r\u00a0\u2014é\x00\x02\x03'

wide_text = st.text(alphabet=SENTENCE + RISKY, max_size=40)
TOKENS = [*RISKY, *"*_`'", "model's", "1. ", "2) ", "...", "--", " - ", "'80s", "  ", "\n\n"]


@st.composite
def near_sentences(draw: st.DrawFn) -> str:
    """A sentence of shortcut characters with up to three risky characters or tokens inserted,
    so that many examples take the shortcut and the rest are near misses."""
    text = draw(st.sampled_from(["", "A", "b"])) + draw(st.text(alphabet=SENTENCE, max_size=30))
    for token in draw(st.lists(st.sampled_from(TOKENS), max_size=3)):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:position] + token + text[position:]
    return text


def uncached_block(text: str) -> str:
    return str(block.__wrapped__(text))  # type: ignore[attr-defined]


def reference_inline(text: str) -> str:
    """What ``inline`` gives without the shortcut: its own converter's output."""
    return str(converted_inline(text))


@settings(max_examples=3000, deadline=None)
@given(st.one_of(wide_text, near_sentences()))
@example("Adapt this template to your project (module 1).")
@example("A model's health, and/or: its limits? Yes! 1.5 times; well-known.")
@example("3. Apply")
@example("A1. b")
@example("1) x")
@example("# Head")
@example("- item")
@example("+ item")
@example("> quote")
@example("a\\b")
@example("a -- b")
@example("Wait...")
@example("R&D")
@example("a<b")
@example("rock'n'roll")
@example("l'80s")
@example("trailing ")
@example("a  b")
def test_block_and_inline_match_the_converter(text: str) -> None:
    assert uncached_block(text) == str(converted_block(text))
    assert str(inline.__wrapped__(text)) == reference_inline(text)  # type: ignore[attr-defined]


def test_common_sentences_take_the_shortcut() -> None:
    for text in (
        "Adapt this template to your project (module 1).",
        "A short document describing a model's use and limits.",
        "Who signs off: the owner, the reviewer or both?",
    ):
        assert _PLAIN_SENTENCE.fullmatch(text), text
    for text in ("3. Apply", "Wait...", "a -- b", "R&D", "*why*", "l'80s", "trailing "):
        assert not _PLAIN_SENTENCE.fullmatch(text), text


# Glossary linking matches spellings through a prefix tree; it must find exactly the spans that
# the plain longest-first alternation finds, case folding (Kelvin sign, long s, dotless i) included.
FOLDING = "sſkKKıiIİßσςΣ"


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.text(alphabet="abks -.IiS", min_size=1, max_size=5), min_size=1, max_size=6),
    st.text(alphabet=FOLDING + "ab -.\n", max_size=30),
)
@example(["model", "model card"], "Model cards and a model card.")
def test_the_term_pattern_matches_what_the_plain_alternation_matches(
    spellings: list[str], text: str
) -> None:
    terms = tuple(
        GlossaryTerm(loc=None, locs=None, id=f"t{i}", term=s, aliases=(), definition="d")  # type: ignore[arg-type]
        for i, s in enumerate(spellings)
    )
    glossary = _Glossary(terms)
    alternatives = "|".join(re.escape(t) for t in sorted(glossary.by_text, key=len, reverse=True))
    plain = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    assert [m.span() for m in glossary.pattern.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]
