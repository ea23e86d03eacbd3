"""Suspected mojibake is flagged in damaged text only: ordinary German, French and Spanish, whose
letters and quotes have the shape of damage ("ß“" is a lead byte and a continuation glyph, and
even decodes, to a Hebrew letter), passes `check --strict`."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.adapters.cli import main
from generator.source.diagnostics import Diagnostics
from generator.source.text import check_mojibake, repair_mojibake

ORDINARY = [
    "Die „Größe“ des Modells und sein Maß’ machen keinen „Spaß“.",
    "Der Fuß… und die Straße–Weg-Frage; „Maß“ und „Schoß“.",
    "« Le modèle est fermé» ; l'été à « Noël », déjà vu, naïve, garçon.",
    "¿Qué es un modelo? ¡Año tras año, señor! «Cómo» y “así”.",
    "SÃO PAULO is spelt in capitals here.",
    "Ünïcödé façade — it’s “fine” … 5 €.",
]
DAMAGED = [
    ("The builders â€“ the ones", "â€“", "–"),
    ("a cafÃ© nearby", "Ã©", "é"),
    ("the naÃ¯ve view", "Ã¯", "ï"),
    ("it costs Â£5", "Â£", "£"),
    ("â€œquotedâ€\x9d", "â€œ", "“"),
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_raises_no_warning(text: str) -> None:
    diags = Diagnostics()
    check_mojibake(text, "content/glossary.yml", diags)
    assert list(diags) == []
    assert repair_mojibake(text) == text


@pytest.mark.parametrize(("text", "run", "fixed"), DAMAGED)
def test_damaged_text_is_flagged_with_its_repair(text: str, run: str, fixed: str) -> None:
    diags = Diagnostics()
    check_mojibake(text, "content/glossary.yml", diags)
    found = list(diags)
    assert found, text
    first = found[0]
    assert first.message == f"suspected mojibake '{run}', expected correctly encoded text"
    assert first.hint == f"did you mean '{fixed}'?"
    assert first.loc.col == text.index(run) + 1
    assert run not in repair_mojibake(text)


def test_a_correct_german_course_passes_check_strict(minimal_course: Path) -> None:
    glossary = minimal_course / "content" / "glossary.yml"
    text = glossary.read_text("utf-8").replace(
        "definition: Subject-matter expert.", f"definition: '{ORDINARY[0]} {ORDINARY[1]}'"
    )
    glossary.write_text(text, "utf-8")
    assert main(["--root", str(minimal_course), "check", "--strict"]) == 0
