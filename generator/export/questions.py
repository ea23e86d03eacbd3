"""What the question-bank formats (GIFT, QTI 1.2, Moodle XML) share: the ordering question turned
into a matching one where a format has no ordering type, scores that add up to exactly the
maximum when every part is right, and the element builder of the two XML formats."""

from __future__ import annotations

import dataclasses
import functools
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

from generator.i18n.catalogues import tr
from generator.model import MatchPair, Question
from generator.source.diagnostics import Diagnostic, Severity
from generator.source.languages import SOURCE_LANGUAGE

# The answer weights Moodle accepts on import (any other weight is an import error), as percents.
MOODLE_WEIGHTS = (
    Fraction(100),
    Fraction(90),
    Fraction(250, 3),
    Fraction(80),
    Fraction(75),
    Fraction(70),
    Fraction(200, 3),
    Fraction(60),
    Fraction(50),
    Fraction(40),
    Fraction(100, 3),
    Fraction(30),
    Fraction(25),
    Fraction(20),
    Fraction(50, 3),
    Fraction(100, 7),
    Fraction(25, 2),
    Fraction(100, 9),
    Fraction(10),
    Fraction(5),
)
# Those a GIFT or XML file can write exactly (Moodle keeps 7 decimals of a fraction: three
# weights of 33.33333 % add up to 99.99999 %, never to 100).
EXACT_WEIGHTS = tuple(w for w in MOODLE_WEIGHTS if (w * 10**5).denominator == 1)


def position_label(number: int, language: str = SOURCE_LANGUAGE) -> str:
    """The left-hand text of an ordering question's position ``number`` as a matching pair."""
    return tr(language, "Position %(number)s", number=number)


def as_matching(question: Question, language: str = SOURCE_LANGUAGE) -> Question:
    """An ordering question as a matching one: each position (1, 2, …) matched to its item."""
    pairs = tuple(
        MatchPair(
            loc=item.loc,
            locs=item.locs,
            id=item.id,
            left=position_label(n, language),
            right=item.text,
        )
        for n, item in enumerate(question.items, start=1)
    )
    return dataclasses.replace(question, type="matching", pairs=pairs, items=())


def converted(question: Question, fmt: str, strict: bool) -> Diagnostic:
    """The ordering question a format cannot hold: a warning that it became a matching question,
    or, with --strict, an error."""
    what = f"question '{question.id}' is an ordering question, which {fmt} cannot hold"
    if strict:
        return Diagnostic(
            question.loc,
            f"{what}; not converted (--strict)",
            Severity.ERROR,
            "without --strict it is exported as a matching question, each position matched to "
            "its item; `coursesmith export moodle` keeps it as an ordering question",
        )
    return Diagnostic(
        question.loc,
        f"{what}; exported as a matching question (each position matched to its item)",
        Severity.WARNING,
    )


def bank_questions(
    questions: tuple[Question, ...], fmt: str, strict: bool, language: str = SOURCE_LANGUAGE
) -> tuple[list[Question], list[Diagnostic]]:
    """The questions a format without an ordering type writes, ordering ones converted."""
    kept: list[Question] = []
    problems: list[Diagnostic] = []
    for question in questions:
        if question.type == "ordering":
            problems.append(converted(question, fmt, strict))
            kept.append(as_matching(question, language))
        else:
            kept.append(question)
    return kept, problems


@functools.cache
def exact_weights(count: int) -> tuple[Fraction, ...] | None:
    """``count`` weights Moodle accepts, each written exactly, adding up to exactly 100 %: equal
    when 100/count is such a weight, else as near equal as can be (largest first); None when
    no such weights exist (more than 20 right choices)."""
    best: tuple[Fraction, ...] | None = None

    def search(left: int, total: Fraction, start: int, chosen: tuple[Fraction, ...]) -> None:
        nonlocal best
        if left == 0:
            if total == 100 and (best is None or _spread(chosen) < _spread(best)):
                best = chosen
            return
        for index in range(start, len(EXACT_WEIGHTS)):
            weight = EXACT_WEIGHTS[index]
            # Weights come largest first, so the rest can add at most ``left * weight``.
            if total + weight * left < 100:
                break
            if total + weight + EXACT_WEIGHTS[-1] * (left - 1) <= 100:
                search(left - 1, total + weight, index, (*chosen, weight))

    if count >= 1:
        search(count, Fraction(0), 0, ())
    return best


def _spread(weights: tuple[Fraction, ...]) -> Fraction:
    return max(weights) - min(weights)


def percent_text(value: Fraction) -> str:
    """A percentage as decimal text, exact when it has at most five decimals: ``33.33333``."""
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):.5f}"
    return text.rstrip("0").rstrip(".")


def shares(count: int, places: int = 4) -> list[str]:
    """``count`` near-equal shares of 100 with ``places`` decimals that add up to exactly 100
    (three shares: 33.3334, 33.3333, 33.3333), as decimal text."""
    unit = Decimal(1).scaleb(-places)
    base = (Decimal(100) / count).quantize(unit, rounding="ROUND_DOWN")
    extra = int((Decimal(100) - base * count) / unit)
    values = [base + unit if index < extra else base for index in range(count)]
    return [_decimal_text(value) for value in values]


def _decimal_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def sub_element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child of ``parent`` with its attributes and, if given, its text (QTI, Moodle XML)."""
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element
