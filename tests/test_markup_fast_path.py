"""The plain-sentence shortcut of ``block`` and ``inline`` gives exactly what the Markdown converter
gives, over an alphabet full of characters that mean something to Markdown or to smarty."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.model import GlossaryTerm
from generator.render.lesson_text import (
    _PROTECTED,
    _Glossary,
    _glossary,
    _protected_spans,
    link_terms,
)
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


# İ is left out: its casefold (i + combining dot) is no spelling, and the shortcut never reaches
# it (İ is not ASCII); test_a_dotted_capital_i_is_no_spelling_of_an_i covers it.
LINKING = "abkms -_.0IiSK\u212a\u017fé`[]()!<>&;@\n"


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.text(alphabet="abks -.IiS", min_size=1, max_size=5), min_size=1, max_size=6),
    st.lists(
        st.one_of(
            st.text(alphabet=LINKING, max_size=12),
            st.sampled_from(["`a k`", "[a](b)", "![k](a.png)", "[a][b]", "<a b>", "[@k]", "&amp;"]),
            st.sampled_from(["# a b", "```", "~~~", "\n\n", "A-b", "a_b", "ab1", "ß"]),
        ),
        max_size=8,
    ),
)
@example(["model", "model card"], ["Model cards and a MODEL card, `model` [model](x) model."])
def test_linking_on_lowercased_ascii_text_links_what_the_folding_pattern_links(
    spellings: list[str], parts: list[str]
) -> None:
    """Terms are found in an ASCII paragraph by the case-sensitive pattern on its lowercased
    copy: every link, every first use and every text left as it is are those the pattern
    without case finds (near letters that fold, ``K`` and ``ſ``, and protected spans);
    protected spans are found as ``_PROTECTED.finditer`` finds them."""
    terms = tuple(
        GlossaryTerm(loc=None, locs=None, id=f"t{i}", term=s, aliases=(), definition="d")  # type: ignore[arg-type]
        for i, s in enumerate(spellings)
    )
    text = "".join(parts)
    glossary = _glossary(terms)
    fast = link_terms(text, terms, "g.md")
    lowered, glossary.lowered = glossary.lowered, None
    try:
        assert fast == link_terms(text, terms, "g.md")
    finally:
        glossary.lowered = lowered
    for line in text.split("\n"):
        spans = [m.span() for m in _protected_spans(line)]
        assert spans == [m.span() for m in _PROTECTED.finditer(line)]


def test_a_dotted_capital_i_is_no_spelling_of_an_i() -> None:
    """The regex engine matches İ to i when it ignores case, but İ folds to i with a combining
    dot, which is no spelling of the term: that word stays as written (it raised KeyError, a
    traceback for an ordinary Turkish word), and the term's own spelling is still linked."""
    term = GlossaryTerm(loc=None, locs=None, id="input", term="input", aliases=(), definition="d")  # type: ignore[arg-type]
    text = "İNPUT and İnput differ from the input."
    linked = link_terms(text, (term,), "../glossary.md")
    assert linked.startswith("İNPUT and İnput differ from the [input](../glossary.md#input ")
