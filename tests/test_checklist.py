"""The fillable checklist: filled with the keyboard, kept across reloads, downloaded as CSV and
Markdown with the source table's columns, and reset only after confirmation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.load import load_course

from .conftest import REPO

MODULE = "ai-engineers-risk-mitigation"
HEADER = ["Checklist Item", "Description", "Status (Yes/No/N/A)", "Notes"]


def checklist_items() -> list[tuple[str, str]]:
    course = load_course(REPO).course
    assert course is not None and course.modules[0].checklist is not None
    return [(s.title, i.label) for s in course.modules[0].checklist.sections for i in s.items]


@pytest.mark.browser
def test_fill_with_keyboard_reload_download_and_reset(
    page: object, real_site_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/checklist/")
    first = page.locator("[data-cs-item]").first
    first.locator("input[value='Yes']").focus()  # Tab lands here; arrows move within the group
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(first.locator("textarea")).to_be_focused()
    page.keyboard.type('Reviewed by the data team, see "bias log"')
    second = page.locator("[data-cs-item]").nth(1)
    second.locator("input").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # Yes -> No
    expect(second.locator("input[value='No']")).to_be_checked()
    expect(page.locator("[data-cs-progress]").first).to_have_text("2 of 4 answered")

    page.reload()
    first = page.locator("[data-cs-item]").first
    expect(first.locator("input[value='Yes']")).to_be_checked()
    expect(first.locator("textarea")).to_have_value('Reviewed by the data team, see "bias log"')
    expect(page.locator("[data-cs-item]").nth(1).locator("input[value='No']")).to_be_checked()

    with page.expect_download() as info:
        page.get_by_role("button", name="Download for spreadsheets").first.press("Enter")
    path = tmp_path / "checklist.csv"
    info.value.save_as(path)
    # A byte-order mark, so Excel reads the file as UTF-8 (accents and quotes intact).
    assert path.read_bytes().startswith(b"\xef\xbb\xbfChecklist Item,")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == HEADER
    items = checklist_items()
    assert len(rows) == 1 + len(items) + len({section for section, _ in items})
    assert rows[1] == ["Data", "", "", ""]
    assert rows[2][0] == items[0][1] and rows[2][2:] == [
        "Yes",
        'Reviewed by the data team, see "bias log"',
    ]
    assert rows[3][2:] == ["No", ""]
    assert [r[0] for r in rows[1:] if r[1]] == [label for _, label in items]

    with page.expect_download() as info:
        page.get_by_role("button", name="Download for Word or text editors").first.press("Enter")
    md = tmp_path / "checklist.md"
    info.value.save_as(md)
    lines = md.read_text(encoding="utf-8").splitlines()
    assert lines[2] == "**Checklist Item** | **Description** | **Status (Yes/No/N/A)** | **Notes**"
    assert lines[5].startswith(f"[x] {items[0][1]} | ")
    # No is an answer, not a ticked box: it shows as text in the status column.
    assert lines[6].startswith(f"[ ] {items[1][1]} | ") and lines[6].endswith(" | No | ")

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear my answers…").press("Enter")
    expect(page.locator("[data-cs-item]").first.locator("input[value='Yes']")).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my answers…").press("Enter")
    expect(page.locator("[data-cs-item] input:checked")).to_have_count(0)
    page.reload()
    expect(page.locator("[data-cs-item] input:checked")).to_have_count(0)


def test_checklist_page_is_a_labelled_form_without_javascript(real_site: Path) -> None:
    html = (real_site / MODULE / "checklist" / "index.html").read_text(encoding="utf-8")
    for _, label in checklist_items():
        assert f"<legend>{label}</legend>" in html
        assert f">Notes on {label}</label>" in html


@pytest.mark.browser
def test_print_blank_prints_an_empty_form_and_keeps_the_answers(
    page: object, real_site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/checklist/")
    item = page.locator("[data-cs-item]").first
    item.locator("input[value='N/A']").check()
    item.locator("textarea").fill("Not our data")
    # What the printer would see: the form's state at the moment print() runs.
    page.evaluate(
        """() => { window.print = () => { window.printed = {
            checked: document.querySelectorAll('[data-cs-item] input:checked').length,
            notes: Array.from(document.querySelectorAll('[data-cs-item] textarea'))
                .map(t => t.value).join('') }; }; }"""
    )
    page.get_by_role("button", name="Print a blank copy").first.press("Enter")
    assert page.evaluate("window.printed") == {"checked": 0, "notes": ""}
    expect(item.locator("input[value='N/A']")).to_be_checked()
    page.get_by_role("button", name="Print with my answers").last.press(
        "Enter"
    )  # the end of the form
    assert page.evaluate("window.printed") == {"checked": 1, "notes": "Not our data"}
    page.reload()
    expect(page.locator("[data-cs-item]").first.locator("textarea")).to_have_value("Not our data")


LONG_NOTE = "\n".join(
    f"Line {n}: reviewed with the data team on café day, see “bias log” entry {n}."
    for n in range(1, 8)
)


@pytest.mark.browser
def test_print_filled_prints_a_long_note_whole(page: object, real_site_url: str) -> None:
    """A seven-line note, printed by Chromium as the learner would, reads back line for line."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/checklist/")
    item = page.locator("[data-cs-item]").nth(2)
    item.locator("input[value='Yes']").check()
    item.locator("textarea").fill(LONG_NOTE)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    for line in LONG_NOTE.splitlines():
        assert line in " ".join(text.split()), line
    page.emulate_media(media="screen")
    expect_visible = page.evaluate(
        "getComputedStyle(document.querySelectorAll('[data-cs-notes-print]')[2]).display"
    )
    assert expect_visible == "none"  # on screen only the textarea shows


@pytest.mark.browser
def test_the_tools_are_at_the_end_of_the_checklist_too(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{real_site_url}/{MODULE}/checklist/")
    last_item = page.locator("[data-cs-item]").last.bounding_box()
    for name in (
        "Download for spreadsheets",
        "Download for Word or text editors",
        "Print with my answers",
        "Print a blank copy",
    ):
        buttons = page.get_by_role("button", name=name)
        assert buttons.count() == 2
        box = buttons.last.bounding_box()
        assert last_item is not None and box is not None and box["y"] > last_item["y"]


# OWASP's list of characters a spreadsheet reads as the start of a formula, with the full-width
# forms some spreadsheets also take for them. (A carriage return, also on the list, cannot start a
# note: a textarea's value turns it into a line feed; one-line author fields refuse it.)
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "＝1", "＋1", "－1", "＠x"]


@pytest.mark.browser
def test_csv_cells_a_spreadsheet_would_run_stay_text(
    page: object, minimal_course: Path, tmp_path: Path
) -> None:
    """Author texts (section, label, description) and the learner's notes that open like a
    formula start with an apostrophe in the CSV, blank or filled, as OWASP's guidance on CSV
    injection says; the rest of each cell is kept as written."""
    from playwright.sync_api import Page

    from .conftest import build, serve_folder

    assert isinstance(page, Page)
    checklist = minimal_course / "content/modules/m1/components/checklist.yml"
    text = checklist.read_text("utf-8")
    for old, new in (
        ("title: Data", """title: '=HYPERLINK("http://x")'"""),
        ("label: Data Review", 'label: "@SUM(A1)"'),
        ("description: Has the data been *reviewed*?", 'description: "+cmd|x"'),
    ):
        text = text.replace(old, new)
    # One more item per note to write, so two downloads cover every case (Chromium holds back
    # a page's downloads after a burst of them).
    notes = [*FORMULAS, "plain - note = fine"]
    text += "".join(
        f"      - id: note-{n}\n        label: Note {n}\n        description: Notes.\n"
        for n in range(len(notes))
    )
    checklist.write_text(text, "utf-8")
    url, server = serve_folder(build(minimal_course))
    try:
        page.goto(f"{url}/m1/checklist/")
        rows = _csv_rows(page, tmp_path / "blank.csv")
        assert rows[1][0] == '\'=HYPERLINK("http://x")'
        assert rows[2][:3] == ["'@SUM(A1)", "'+cmd|x", ""]
        areas = page.locator("[data-cs-item] textarea")
        for n, note in enumerate(notes):
            areas.nth(n + 1).fill(note)
        filled = _csv_rows(page, tmp_path / "filled.csv")
        assert [row[3] for row in filled[3:]] == ["'" + n for n in FORMULAS] + [notes[-1]]
    finally:
        server.shutdown()


def _csv_rows(page: object, path: Path) -> list[list[str]]:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    with page.expect_download() as info:
        page.locator("[data-cs-action=csv]").first.click()
    info.value.save_as(path)
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
