"""GIFT export read back by a small GIFT parser of our own and by gift-pegjs (from npm): every
question with its name, right answers and weights (adding up to exactly 100 %), per-choice and
general feedback; special characters escaped; an ordering question exported as a matching one
with a warning naming its file:line:col, or refused with --strict (exit 1, nothing written)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from generator.adapters.cli import main
from generator.export.gift import escape
from generator.load import load_course
from generator.model import Question
from generator.render.markup import block, inline, plain

from .conftest import FIXTURES, REPO, copy_course
from .node_clients import node_executable, node_package

SPECIALS = "~=#{}:"


@dataclass
class Answer:
    text: str
    weight: Decimal | None = None  # percent; None for =/~ without a weight
    right: bool = False
    feedback: str = ""


@dataclass
class GiftQuestion:
    name: str
    text: str
    answers: list[Answer] = field(default_factory=list)
    truth: bool | None = None
    truth_feedback: tuple[str, str] = ("", "")  # (when answered wrongly, when answered rightly)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    general: str = ""


def tokens(text: str) -> list[tuple[bool, str]]:
    """(is_special, char) for every character; an escaped special is plain text."""
    out: list[tuple[bool, str]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            following = text[index + 1]
            out.append((False, "\n" if following == "n" else following))
            index += 2
            continue
        out.append((char in SPECIALS, char))
        index += 1
    return out


def _split(items: list[tuple[bool, str]], mark: str) -> list[list[tuple[bool, str]]]:
    parts: list[list[tuple[bool, str]]] = [[]]
    for special, char in items:
        if special and char == mark:
            parts.append([])
        else:
            parts[-1].append((special, char))
    return parts


def _text(items: list[tuple[bool, str]]) -> str:
    assert not any(special for special, _ in items), f"unescaped special in {items}"
    return "".join(char for _, char in items)


# Moodle's weight pattern, and the formats it reads from a leading "[name]" in any text field.
MOODLE_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
FORMATS = ("html", "moodle", "plain", "markdown")


def field_text(text: str) -> str:
    """A text field as Moodle's import reads it: a leading known [format] is taken off, and
    anything but html means Moodle would show the text in another format."""
    text = text.strip()
    found = re.match(r"\[(\w+)\]", text)
    if found and found.group(1) in FORMATS:
        assert found.group(1) == "html", f"{text!r} is read as [{found.group(1)}]"
        text = text[found.end() :]
    return text.strip()


def parse_gift(source: str) -> list[GiftQuestion]:
    """A small GIFT reader: enough of the format to read back what Coursesmith writes."""
    questions: list[GiftQuestion] = []
    for chunk in re.split(r"\n\s*\n", source):
        lines = [ln for ln in chunk.split("\n") if ln and not ln.startswith(("//", "$CATEGORY"))]
        if not lines:
            continue
        items = tokens("\n".join(lines))
        assert items[:2] == [(True, ":"), (True, ":")], chunk
        rest = items[2:]
        end = next(i for i in range(len(rest) - 1) if rest[i] == rest[i + 1] == (True, ":"))
        name, rest = _text(rest[:end]), rest[end + 2 :]
        opening = rest.index((True, "{"))
        closing = len(rest) - 1 - rest[::-1].index((True, "}"))
        head, body = _text(rest[:opening]), rest[opening + 1 : closing]
        assert head.startswith("[html]"), head
        question = GiftQuestion(name, head[len("[html]") :])
        # "####" ends the answers and starts the general feedback.
        marker = next(
            i for i in range(len(body) - 3) if all(body[i + k] == (True, "#") for k in range(4))
        )
        question.general = field_text(_text(body[marker + 4 :]))
        body = body[:marker]
        if not any(special and char in "=~" for special, char in body):  # true-false
            parts = [*_split(body, "#"), [], []]
            question.truth = _text(parts[0]).strip() in ("TRUE", "T")
            question.truth_feedback = (field_text(_text(parts[1])), field_text(_text(parts[2])))
            questions.append(question)
            continue
        answers: list[list[tuple[bool, str]]] = []
        for special, char in body:
            if special and char in "=~":
                answers.append([(special, char)])
            elif answers:
                answers[-1].append((special, char))
            else:
                assert char.isspace(), body
        for answer in answers:
            kind, content = answer[0][1], answer[1:]
            text = "".join(c for _, c in content)
            if kind == "=" and "->" in text and not any(s for s, _ in content):
                left, right = text.split("->", 1)
                question.pairs.append((field_text(left), right.strip()))
                continue
            parts = _split(content, "#")
            value = _text(parts[0]).strip()
            weight = None
            found = MOODLE_WEIGHT.match(value)
            if kind == "~" and found:
                weight, value = Decimal(found.group(0).strip("%")), value[found.end() :]
            feedback = field_text(_text(parts[1])) if len(parts) > 1 else ""
            question.answers.append(Answer(field_text(value), weight, kind == "=", feedback))
        questions.append(question)
    return questions


def fixture_course(tmp_path: Path, quiz: str = "m1.yml") -> Path:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    shutil.copy(FIXTURES / "export" / "quizzes" / quiz, project / "quizzes" / "m1.yml")
    return project


def _html(markup: object) -> str:
    return str(markup).strip()


def expected_pairs(question: Question) -> list[tuple[str, str]]:
    """Matching pairs as an LMS reads them; an ordering question's are its positions."""
    if question.type == "ordering":
        return [(f"Position {n}", plain(i.text)) for n, i in enumerate(question.items, start=1)]
    return [(_html(inline(p.left)), plain(p.right)) for p in question.pairs]


def assert_question(found: GiftQuestion, question: Question) -> None:
    assert found.name == question.id
    assert found.text == _html(block(question.prompt))
    assert found.general == _html(block(question.explanation))
    if question.type in ("single", "multiple"):
        assert [a.text for a in found.answers] == [_html(inline(c.text)) for c in question.choices]
        for answer, choice in zip(found.answers, question.choices, strict=True):
            assert answer.feedback == _html(inline(question.feedback.get(choice.id, "")))
            if question.type == "single":
                assert answer.right == choice.correct and answer.weight is None
            else:
                assert answer.weight is not None
                assert answer.weight > 0 if choice.correct else answer.weight == -100
        if question.type == "multiple":
            # All right is exactly the whole mark: no 33.33333 x 3 = 99.99999.
            assert sum(a.weight or 0 for a in found.answers if (a.weight or 0) > 0) == 100
    elif question.type == "true-false":
        assert found.truth is question.answer
        right = "true" if question.answer else "false"
        wrong = "false" if question.answer else "true"
        assert found.truth_feedback == (
            _html(inline(question.feedback.get(wrong, ""))),
            _html(inline(question.feedback.get(right, ""))),
        )
    else:
        assert found.pairs == expected_pairs(question)


def test_shipped_course_exports_every_question_with_no_flag(tmp_path: Path) -> None:
    project = copy_course(REPO, tmp_path / "course", pdf=False)
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "gift", "--out", str(out)]) == 0
    course = load_course(project).course
    assert course is not None
    module = course.modules[0]
    assert module.quiz is not None
    text = (out / f"{module.slug}.gift").read_text("utf-8")
    parsed = {q.name: q for q in parse_gift(text)}
    assert sorted(parsed) == sorted(q.id for q in module.quiz.questions)
    assert {q.type for q in module.quiz.questions} == {
        "single",
        "multiple",
        "true-false",
        "matching",
        "ordering",
    }
    for question in module.quiz.questions:
        assert_question(parsed[question.id], question)
    assert_read_by_gift_pegjs(text, list(module.quiz.questions))


def gift_pegjs(text: str) -> list[dict[str, object]]:
    """The questions gift-pegjs (the GIFT grammar Moodle's format is documented by) reads."""
    parser = node_package("gift-pegjs") / "pegjs-gift.js"
    script = (
        "const p = require(process.argv[1]); let s = '';"
        "process.stdin.on('data', d => s += d);"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify(p.parse(s))));"
    )
    done = subprocess.run(
        [node_executable(), "-e", script, str(parser)],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)
    return found


def _field(value: object) -> str:
    assert isinstance(value, dict), value
    text = str(value["text"])
    # gift-pegjs keeps the "[html]" that guards text opening like a format name or a weight.
    return text[len("[html]") :] if text.startswith("[html]") else text


def assert_read_by_gift_pegjs(text: str, questions: list[Question]) -> None:
    found = [q for q in gift_pegjs(text) if q["type"] != "Category"]
    assert [q["title"] for q in found] == [q.id for q in questions]
    for read, question in zip(found, questions, strict=True):
        assert _field(read["stem"]) == _html(block(question.prompt))
        assert _field(read["globalFeedback"]) == _html(block(question.explanation))
        if question.type in ("single", "multiple"):
            assert read["type"] == "MC"
            choices = read["choices"]
            assert isinstance(choices, list)
            assert [_field(c["text"]) for c in choices] == [
                _html(inline(c.text)) for c in question.choices
            ]
            for got, choice in zip(choices, question.choices, strict=True):
                feedback = question.feedback.get(choice.id)
                assert (_field(got["feedback"]) if got["feedback"] else "") == (
                    _html(inline(feedback)) if feedback else ""
                )
            if question.type == "single":
                assert [c["isCorrect"] for c in choices] == [c.correct for c in question.choices]
            else:
                weights = [Decimal(str(c["weight"])) for c in choices]
                assert sum(w for w in weights if w > 0) == 100
                assert [w > 0 for w in weights] == [c.correct for c in question.choices]
        elif question.type == "true-false":
            assert read["type"] == "TF" and read["isTrue"] is question.answer
        else:
            assert read["type"] == "Matching"
            pairs = read["matchPairs"]
            assert isinstance(pairs, list)
            assert [(_field(p["subquestion"]), p["subanswer"]) for p in pairs] == expected_pairs(
                question
            )


def test_special_characters_are_escaped_and_read_back(tmp_path: Path) -> None:
    project = fixture_course(tmp_path)
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "gift", "--out", str(out)]) == 0
    text = (out / "m1.gift").read_text("utf-8")
    course = load_course(project).course
    assert course is not None and course.modules[0].quiz is not None
    questions = {q.id: q for q in course.modules[0].quiz.questions}
    parsed = {q.name: q for q in parse_gift(text)}
    assert sorted(parsed) == ["nothing", "order", "pairs", "several", "specials"]
    assert_read_by_gift_pegjs(text, list(course.modules[0].quiz.questions))
    for name, found in parsed.items():
        assert_question(found, questions[name])
    specials = parsed["specials"]
    assert (
        "{braces}" in specials.text
        and "= signs" in specials.text
        and "and: colons" in specials.text
    )
    assert specials.answers[0].text == "a {b} = c" and specials.answers[1].feedback == "Wrong ~ #1"
    assert "backslash \\ too" in specials.general
    # In the file itself every special of author text is escaped.
    assert "a \\{b\\} \\= c" in text and "d \\~ e \\# f\\: g" in text


def test_edge_cases_read_back_as_the_author_meant(tmp_path: Path) -> None:
    """Feedback for the right true/false answer only, and text that opens like a GIFT weight
    (``%50%``) or a format name (``[markdown]``), which Moodle's import would take as such."""
    project = fixture_course(tmp_path, "edge.yml")
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "gift", "--out", str(out)]) == 0
    course = load_course(project).course
    assert course is not None and course.modules[0].quiz is not None
    questions = {q.id: q for q in course.modules[0].quiz.questions}
    parsed = {q.name: q for q in parse_gift((out / "m1.gift").read_text("utf-8"))}
    assert sorted(parsed) == sorted(questions)
    for name, found in parsed.items():
        assert_question(found, questions[name])
    assert_read_by_gift_pegjs((out / "m1.gift").read_text("utf-8"), list(questions.values()))
    assert parsed["right-feedback-only"].truth_feedback == ("", "Right, they do.")
    assert parsed["wrong-feedback-only"].truth_feedback == ("No: nothing is nothing.", "")
    markup = parsed["looks-like-markup"].answers
    assert [(a.text, a.weight, a.feedback) for a in markup] == [
        ("[markdown] is one dialect", None, "[plain] text is another"),
        ("%50% of the cases", None, "Half is not all."),
    ]


def test_escape_covers_every_special() -> None:
    assert escape("~=#{}:\\\n") == "\\~\\=\\#\\{\\}\\:\\\\\\n"


def test_ordering_becomes_matching_with_a_warning_and_strict_refuses_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = fixture_course(tmp_path)
    out = tmp_path / "out"
    assert main(["--root", str(project), "export", "gift", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert re.search(
        r"^quizzes/m1\.yml:\d+:\d+: warning: question 'order' is an ordering question, which "
        r"GIFT cannot hold; exported as a matching question \(each position matched to its item\)",
        err,
        re.MULTILINE,
    )
    assert "pair feedback is left out" in err
    before = (out / "m1.gift").read_bytes()
    # --strict: an error at the same place, and the earlier export stays as it was.
    assert main(["--root", str(project), "export", "gift", "--out", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"^quizzes/m1\.yml:\d+:\d+: question 'order' is an ordering question, which GIFT "
        r"cannot hold; not converted \(--strict\)",
        err,
        re.MULTILINE,
    )
    assert "nothing written: content the format cannot hold or holds only by conversion" in err
    assert [p.name for p in out.iterdir()] == ["m1.gift"]
    assert (out / "m1.gift").read_bytes() == before


def test_strict_is_refused_for_a_format_with_nothing_to_convert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = fixture_course(tmp_path)
    assert main(["--root", str(project), "export", "scorm", "--strict"]) == 2
    assert "--strict does not apply" in capsys.readouterr().err
    assert main(["--root", str(project), "export", "gift", "--course"]) == 2
    assert "--course does not apply" in capsys.readouterr().err


def test_a_question_no_weights_can_hold_is_named_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """21 right choices: no set of Moodle's weights adds up to 100 %."""
    project = fixture_course(tmp_path)
    quiz = project / "quizzes" / "m1.yml"
    choices = "".join(
        f"      - id: c{n}\n        text: Choice {n}\n        correct: true\n" for n in range(21)
    )
    quiz.write_text(
        quiz.read_text("utf-8")
        + "  - id: many\n    type: multiple\n    prompt: All of them.\n    lesson: details\n"
        + "    objective: list-things\n    explanation: Every one.\n    choices:\n"
        + choices,
        "utf-8",
    )
    out = tmp_path / "out"
    for fmt in ("gift", "moodle"):
        assert main(["--root", str(project), "export", fmt, "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert re.search(
            r"^quizzes/m1\.yml:\d+:\d+: question 'many' is a multiple-choice question with 21 "
            r"right choices \(no set of weights Moodle accepts adds up to 100 %\), which "
            r"(GIFT|Moodle XML) cannot hold; not exported",
            err,
            re.MULTILINE,
        ), err
        assert not out.exists()
    assert (
        main(["--root", str(project), "export", "gift", "--out", str(out), "--skip-unsupported"])
        == 0
    )
    assert "question 'many'" in capsys.readouterr().err
    assert "::many::" not in (out / "m1.gift").read_text("utf-8")


def test_weights_for_any_number_of_right_choices_add_up_to_exactly_100() -> None:
    """Read as GIFT writes them (five decimals at most), from Moodle's accepted list only."""
    from generator.export.questions import exact_weights, percent_text, shares

    accepted = {
        "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
        "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
    }  # fmt: skip
    for count in range(1, 21):
        weights = exact_weights(count)
        assert weights is not None and len(weights) == count
        written = [percent_text(w) for w in weights]
        assert set(written) <= accepted, written
        assert sum(Decimal(w) for w in written) == 100
    assert exact_weights(21) is None
    assert [percent_text(w) for w in exact_weights(3) or ()] == ["40", "30", "30"]
    for count in range(1, 30):
        assert sum(Decimal(s) for s in shares(count)) == 100
