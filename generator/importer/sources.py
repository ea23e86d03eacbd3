"""The bibliography of a module document: ``[key] APA reference`` lines, the source-evaluation table
(CRAAP scores and a rating, in whatever columns it has) and the collection notes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from generator.importer.document import (
    Line,
    Part,
    Table,
    TextBlock,
    fit_row,
    paragraphs,
    plain_text,
    table_width,
)
from generator.importer.ids import make_id
from generator.importer.report import ImportReport
from generator.model import (
    CRAAP_CRITERIA,
    EvaluationMethod,
    Source,
    SourceCollection,
    SourceEvaluation,
    SourceKind,
    is_id,
)
from generator.source import dialect
from generator.source.layout import SOURCES_FILE

_ENTRY = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?\[([^\]]+)\]:?\s+(.+)$")
_HEAD = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>\d{4})[a-z]?(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$")
_URL = re.compile(r"<?(https?://[^\s>]+?)>?(?=[.,;]?(?:\s|$))")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)(10\.\S+?)(?=[.,;]?(?:\s|$))", re.I)
_ARXIV = re.compile(r"\barXiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)
_ITALIC_START = re.compile(r"^\*(?P<text>[^*]+)\*\.?\s*(?P<after>.*)$")
_PLAIN_TITLE = re.compile(r"^(?P<text>.+?[.?!])(?:\s+(?P<after>.*))?$")
_VENUE = re.compile(
    r"^\*(?P<venue>[^*]+)\*"
    r"(?:,\s*\*?(?P<volume>[\w.]+)\*?(?:\((?P<issue>[^)]+)\))?)?"
    r"(?:,\s*(?P<pages>[\w]+(?:\s*[-–]\s*[\w]+)?))?\.?\s*(?P<after>.*)$"
)
# A page range ("3-18", "pp. 3–18", "e1-e12") closing the reference, or "(pp. 3-18)" after a
# book's title: read as pages before the venue's volume and issue are looked for, so "Security and
# Privacy, 3-18." is pages 3–18, not volume 3 and a publisher "-18".
_PAGE = r"[A-Za-z]?\d+[A-Za-z]?"
_END_PAGES = re.compile(
    rf"(?:,\s*|\s+|^)(?:pp?\.\s*)?(?P<pages>{_PAGE}\s*[-–]\s*{_PAGE})\s*\.?\s*$", re.IGNORECASE
)
_PAREN_PAGES = re.compile(rf"\s*\(pp?\.\s*(?P<pages>{_PAGE}(?:\s*[-–]\s*{_PAGE})?)\)", re.I)
# A venue not in italics (a Word document's plain text): "Journal of X, 12(2)".
_PLAIN_VENUE = re.compile(r"^(?P<venue>[^*,]+?),\s*(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?\.?$")
_REPORT_NUMBER = re.compile(r"^\((?P<number>[^)]*\d[^)]*)\)\.?\s*(?P<after>.*)$")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.[\s-]*)+$")
_LABEL = re.compile(r"^\*\*(?P<label>[^*]+?):?\*\*:?\s*(?P<value>.*)$")
_SCORE = re.compile(r"^\s*(\d)(?:\s*/\s*5)?\s*$")
_FRAMEWORK = re.compile(r"\b(?:the|using)\s+([A-Z][A-Za-z0-9-]+)\s+(?:framework|method|test)")


@dataclass
class Bibliography:
    """Everything the document says about its sources."""

    sources: list[Source] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    collection: SourceCollection | None = None
    collection_line: int = 0
    evaluation: EvaluationMethod | None = None
    evaluation_line: int = 0
    evaluated: int = 0


def read_sources(part: Part, bib: Bibliography, report: ImportReport) -> None:
    """Each ``[key] reference`` line of the Sources section becomes a Source."""
    for block in part.blocks:
        if not isinstance(block, TextBlock):
            report.warn(block.line, "block in the Sources section not placed, expected [key] lines")
            continue
        for para in paragraphs(block.lines):
            entry = _ENTRY.match(plain_text(para))
            if entry is None:
                report.warn(
                    para[0].number,
                    f"sources line not placed: '{plain_text(para)[:60]}'",
                    hint="expected '[key] Author, A. (2020). Title. Venue.'",
                )
                continue
            source = read_reference(entry.group(1), entry.group(2), para[0].number, report)
            if source is None:
                continue
            if source.key in bib.lines:
                report.warn(
                    para[0].number,
                    f"source key '{source.key}' already used at line {bib.lines[source.key]}; "
                    "this entry skipped",
                )
                continue
            bib.sources.append(source)
            bib.lines[source.key] = para[0].number
    for sub in part.parts:
        report.warn(sub.line, f"sub-section '{sub.title}' of the Sources section not placed")


def read_reference(key: str, text: str, line: int, report: ImportReport) -> Source | None:
    """An APA-style reference as a Source: authors, year, title, venue, numbers and links."""
    if not is_id(key):
        fixed = make_id(key, "")
        if not fixed:
            report.warn(line, f"source key '{key}' cannot be made an id; entry skipped")
            return None
        report.warn(line, f"source key '{key}' is not a valid id; written as '{fixed}'")
        key = fixed
    head = _HEAD.match(text)
    if head is None:
        report.warn(
            line,
            f"reference '{key}' not placed: no 'Authors (Year).' found",
            hint=f"add it to {SOURCES_FILE} by hand",
        )
        return None
    fields: dict[str, str | None] = {}
    rest = _take_links(head["rest"], fields)
    italic = _ITALIC_START.match(rest)
    if italic:
        title = italic["text"].strip()
        _read_book_details(italic["after"], bool(fields.get("arxiv")), fields)
    else:
        plain = _PLAIN_TITLE.match(rest)
        if plain is None:
            report.warn(line, f"reference '{key}' not placed: no title found after the year")
            return None
        title = plain["text"].rstrip(".")
        _read_article_details(plain["after"] or "", fields)
    values = {k: v for k, v in fields.items() if v}
    return Source(
        key=key,
        kind=_kind(values, bool(italic)),
        authors=read_authors(head["authors"]),
        year=int(head["year"]),
        title=title,
        venue=values.get("venue"),
        volume=values.get("volume"),
        issue=values.get("issue"),
        pages=values.get("pages"),
        publisher=values.get("publisher"),
        report_number=values.get("report_number"),
        doi=values.get("doi"),
        arxiv=values.get("arxiv"),
        url=values.get("url"),
    )


def _take_links(rest: str, fields: dict[str, str | None]) -> str:
    """The reference without its arXiv id, DOI and web address, which go into ``fields``."""
    for name, pattern in (("arxiv", _ARXIV), ("doi", _DOI), ("url", _URL)):
        found = pattern.search(rest)
        if found:
            fields[name] = found.group(1)
            rest = (rest[: found.start()] + rest[found.end() :]).strip()
    return rest


def _take_pages(rest: str, fields: dict[str, str | None]) -> str:
    """The reference without its page range, which goes into ``fields`` with an en dash."""
    found = _PAREN_PAGES.search(rest) or _END_PAGES.search(rest)
    if found is None:
        return rest
    fields["pages"] = re.sub(r"\s*[-–]\s*", "–", found["pages"])
    return (rest[: found.start()] + rest[found.end() :]).strip()


def _read_book_details(rest: str, preprint: bool, fields: dict[str, str | None]) -> None:
    """After an italic title: a report number, then the publisher (or a preprint's venue)."""
    rest = _take_pages(rest, fields)
    number = _REPORT_NUMBER.match(rest)
    if number:
        fields["report_number"] = number["number"].strip()
        rest = number["after"]
    leftover = _clean(rest)
    if leftover:
        fields["venue" if preprint or "preprint" in leftover.lower() else "publisher"] = leftover


def _read_article_details(rest: str, fields: dict[str, str | None]) -> None:
    """After a plain title: an italic venue with volume, issue and pages, then the publisher."""
    rest = _take_pages(rest, fields)
    venue = _VENUE.match(rest)
    if venue:
        fields["venue"] = venue["venue"].strip()
        fields["volume"] = venue["volume"]
        fields["issue"] = venue["issue"]
        pages = venue["pages"]
        if pages:
            fields["pages"] = re.sub(r"\s*[-–]\s*", "–", pages)
        rest = venue["after"]
    elif plain := _PLAIN_VENUE.match(rest):
        fields["venue"], fields["volume"], fields["issue"] = (
            plain["venue"],
            plain["volume"],
            plain["issue"],
        )
        rest = ""
    leftover = _clean(rest)
    if leftover:
        fields["publisher" if "venue" in fields else "venue"] = leftover


def _clean(text: str) -> str:
    return text.strip().strip(".,;").strip()


def _kind(values: dict[str, str], italic_title: bool) -> SourceKind:
    if "arxiv" in values:
        return "preprint"
    if "report_number" in values:
        return "report"
    if "volume" in values or ("venue" in values and not italic_title):
        return "article"
    if italic_title and "publisher" in values:
        return "book"
    if "url" in values:
        return "web"
    return "article"


def read_authors(text: str) -> tuple[str, ...]:
    """APA authors ('Doe, J. A., Roe, R., ... & Poe, P.') as 'Surname, I.' items; '...' kept."""
    tokens = [t.strip() for t in text.replace("&", ",").split(",")]
    authors: list[str] = []
    for token in tokens:
        if not token:
            continue
        if token in ("...", "…"):
            authors.append("...")
        elif _INITIALS.match(token) and authors and authors[-1] != "...":
            authors[-1] = f"{authors[-1]}, {token}"
        else:
            authors.append(token)
    if len(authors) == 1:
        authors[0] = authors[0].rstrip(".") if not _INITIALS.search(authors[0]) else authors[0]
    return tuple(authors) or (text.strip(),)


def read_evaluation(part: Part, bib: Bibliography, report: ImportReport) -> None:
    """The evaluation table's scores and rating, attached to the sources they name."""
    texts: list[str] = []
    tables: list[Table] = []
    for block in part.blocks:
        if isinstance(block, Table):
            tables.append(block)
        elif isinstance(block, TextBlock):
            texts += [plain_text(p) for p in paragraphs(block.lines)]
        else:
            report.warn(block.line, "fenced block in the evaluation section not placed")
    description = " ".join(texts)
    framework = _FRAMEWORK.search(description)
    bib.evaluation = EvaluationMethod(
        framework=framework.group(1) if framework else "CRAAP", description=description
    )
    bib.evaluation_line = part.line
    for table in tables[1:]:
        report.warn(table.line, "second evaluation table not placed")
    if tables:
        _read_evaluation_table(tables[0], bib, report)


@dataclass(frozen=True)
class _EvaluationColumns:
    """Which column of an evaluation table holds the source key, each criterion and the rating."""

    width: int
    key: int
    scores: dict[str, int]  # criterion (and "rating") to column


def _evaluation_columns(table: Table, report: ImportReport) -> _EvaluationColumns:
    width = table_width(table, report)
    header = [cell.strip("*_ ").lower() for cell in table.header.cells]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        for criterion in CRAAP_CRITERIA:
            if name.startswith(criterion):
                columns[criterion] = index
        if "rating" in name or "quality" in name or name.startswith("overall"):
            columns["rating"] = index
    key_col = next((i for i, n in enumerate(header) if "source" in n or n in ("key", "id")), 0)
    unknown = [
        table.header.cells[i] for i in range(width) if i != key_col and i not in columns.values()
    ]
    for name in unknown:
        report.warn(
            table.line,
            f"evaluation column '{name}' not placed, expected a CRAAP criterion "
            "(Currency, Relevance, Authority, Accuracy, Purpose) or a rating",
        )
    return _EvaluationColumns(width, key_col, columns)


def _read_evaluation_table(table: Table, bib: Bibliography, report: ImportReport) -> None:
    columns = _evaluation_columns(table, report)
    if "rating" not in columns.scores:
        report.warn(table.line, "evaluation table has no rating column; evaluations skipped")
        return
    by_key = {s.key: i for i, s in enumerate(bib.sources)}
    needed = max(columns.key, *columns.scores.values()) + 1
    for row in table.rows:
        cells = fit_row(row, columns.width, report, needed)
        key = cells[columns.key].strip("`*_ []@")
        if key not in by_key:
            report.warn(row.line, f"evaluation of '{key}' skipped: no such source in the document")
            continue
        evaluation = _evaluation_row(row.line, key, cells, columns.scores, report)
        if evaluation is not None:
            index = by_key[key]
            bib.sources[index] = dataclasses.replace(bib.sources[index], evaluation=evaluation)
            bib.evaluated += 1


def _evaluation_row(
    line: int, key: str, cells: tuple[str, ...], columns: dict[str, int], report: ImportReport
) -> SourceEvaluation | None:
    """One source's scores (1 to 5, where given) and its rating; None without a rating."""
    scores: dict[str, int] = {}
    for criterion in CRAAP_CRITERIA:
        if criterion not in columns:
            continue
        cell = cells[columns[criterion]]
        score = _SCORE.match(cell)
        if score and 1 <= int(score.group(1)) <= 5:
            scores[criterion] = int(score.group(1))
        elif cell:
            report.warn(
                line, f"{criterion} score '{cell}' of '{key}' skipped, expected 1 to 5 (e.g. 4/5)"
            )
    rating = cells[columns["rating"]].strip("*_ ")
    if not rating:
        report.warn(line, f"evaluation of '{key}' has no rating; skipped")
        return None
    return SourceEvaluation(
        currency=scores.get("currency"),
        relevance=scores.get("relevance"),
        authority=scores.get("authority"),
        accuracy=scores.get("accuracy"),
        purpose=scores.get("purpose"),
        rating=rating,
    )


def read_collection(part: Part, bib: Bibliography, report: ImportReport) -> None:
    """Collection date, source types and criteria, and the description around them."""
    description: list[str] = []
    date: dt.date | None = None
    lists: dict[str, list[str]] = {"source_types": [], "criteria": []}
    current: list[str] | None = None
    lines: list[Line] = []
    for block in part.blocks:
        if isinstance(block, TextBlock):
            lines += block.lines
        else:
            report.warn(block.line, "block in the collection notes not placed")
    for para in paragraphs(lines):
        for line in para:
            text = line.text.strip()
            label = _LABEL.match(text)
            bullet = dialect.list_item(text)
            if label:
                name = label["label"].strip().lower()
                value = label["value"].strip()
                current = None
                if "date" in name:
                    date = _date(value, line.number, report)
                elif "type" in name:
                    current = lists["source_types"]
                elif "criteri" in name:
                    current = lists["criteria"]
                else:
                    report.warn(line.number, f"collection note '{label['label']}' not placed")
                if current is not None and value:
                    current += [v.strip() for v in value.split(",") if v.strip()]
            elif bullet and current is not None:
                current.append(bullet.text.strip())
            elif bullet:
                report.warn(line.number, f"list item not placed: '{text[:60]}'")
            else:
                description.append(text)
                current = None
    if date is None:
        report.warn(part.line, "collection notes have no '**Collection Date**:' line; not placed")
        return
    bib.collection = SourceCollection(
        date=date,
        description=" ".join(description),
        source_types=tuple(lists["source_types"]),
        criteria=tuple(lists["criteria"]),
    )
    bib.collection_line = part.line


def _date(value: str, line: int, report: ImportReport) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip("*_ "))
    except ValueError:
        report.warn(line, f"collection date '{value}' is not a date, expected YYYY-MM-DD")
        return None
