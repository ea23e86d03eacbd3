"""Importing a Word (.docx) or OpenDocument (.odt) file: checked as a container, read by pandoc,
written out as a module document for the shared reading, planning and writing stages; then what
only a Word document has is added: footnote sources, pictures, and the warnings that belong to a
line of a written file. See generator/importer/word.py for the translation itself."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from generator.importer.container import Container, Refused, inspect
from generator.importer.pandoc import read_tree
from generator.importer.plan import ModulePlan
from generator.importer.report import ImportReport
from generator.importer.sources import read_reference
from generator.importer.word import TOKEN, Change, Changes, WordText, WordWriter, escape
from generator.model import Loc
from generator.source.layout import LESSONS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
WEB_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


@dataclass
class WordImport:
    """The module document made from the file, and what goes beside it."""

    text: WordText
    images: dict[str, bytes] = field(default_factory=dict)


def read_word(path: Path, changes: Changes, report: ImportReport) -> WordImport | None:
    """The document as a module document; None, with one error in the report, if it is refused."""
    report.text_source = False
    try:
        container = inspect(path)
        tree = read_tree(path, container.format)
    except Refused as exc:
        report.error(1, str(exc))
        return None
    except OSError as exc:
        report.error(1, f"cannot read the file: {exc.strerror}")
        return None
    large_bold = _large_bold(path) if container.format == "docx" else frozenset()
    writer = WordWriter(tree, changes, path.stem, large_bold)
    if container.format == "odt":
        writer.title_hint = _odt_title(path)
    text = writer.write()
    if container.format == "odt" and not _odt_changes(path, changes, text):
        report.error(
            1,
            "--reject-changes could not undo a tracked change in this OpenDocument file",
            hint="reject the changes in LibreOffice (Edit > Track Changes > Manage) and save it",
        )
        return None
    if text.changes and changes == "refuse":
        for change in text.changes:
            report.error(1, f"tracked change not resolved: {change}")
        report.error(
            1,
            f"{len(text.changes)} tracked change(s) in the document; nothing was merged",
            hint="accept or reject them in Word or LibreOffice, or import with --accept-changes "
            "or --reject-changes",
        )
        return None
    if text.changes:
        verb = "accepted" if changes == "accept" else "rejected"
        for change in text.changes:
            text.dropped.append((change.place, f"tracked change {verb}: {change.what}"))
    with zipfile.ZipFile(path) as archive:
        _container_extras(archive, container, text)
        _page_furniture(archive, container, text)
        images = _images(archive, container, text)
    report.places = dict(text.places)
    return WordImport(text, images)


def _odt_changes(path: Path, changes: Changes, text: WordText) -> bool:
    """An OpenDocument file's tracked changes (pandoc applies them without a word): each named in
    ``text.changes``; rejected on request by writing the paragraph as it was. False when a
    paragraph to reject cannot be found in the text (formatting inside the change)."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    regions: dict[str, tuple[str, str, str]] = {}  # id to (kind, author, deleted text)
    for region in root.iter(f"{_TEXT}changed-region"):
        ident = region.get(f"{_TEXT}id") or ""
        for kind in ("insertion", "deletion", "format-change"):
            change = region.find(f"{_TEXT}{kind}")
            if change is not None:
                author = (change.findtext(f".//{_DC}creator") or "").strip()
                deleted = " ".join("".join(p.itertext()) for p in change.iter(f"{_TEXT}p")).strip()
                regions[ident] = (kind, author, deleted)
    if not regions:
        return True
    for paragraph in [*root.iter(f"{_TEXT}p"), *root.iter(f"{_TEXT}h")]:
        if not _odt_paragraph_changes(paragraph, regions, changes, text):
            return False
    return True


def _odt_paragraph_changes(
    paragraph: ElementTree.Element,
    regions: dict[str, tuple[str, str, str]],
    changes: Changes,
    text: WordText,
) -> bool:
    accepted: list[str] = [paragraph.text or ""]
    rejected: list[str] = [paragraph.text or ""]
    found: list[tuple[str, str, str]] = []
    inserting: str | None = None
    inserted: list[str] = []
    for node in paragraph.iter():
        if node is paragraph:
            continue
        ident = node.get(f"{_TEXT}change-id") or ""
        if node.tag == f"{_TEXT}change" and ident in regions:
            kind, author, deleted = regions[ident]
            found.append(("deleted", deleted, author))
            rejected.append(deleted)
        elif node.tag == f"{_TEXT}change-start" and ident in regions:
            inserting, inserted = ident, []
        elif node.tag == f"{_TEXT}change-end" and ident == inserting:
            found.append(("inserted", "".join(inserted), regions[ident][1]))
            inserting = None
        elif node.tag not in (f"{_TEXT}change", f"{_TEXT}change-start", f"{_TEXT}change-end"):
            if node.text and inserting is None:
                rejected.append(node.text)
            elif node.text:
                inserted.append(node.text)
            accepted.append(node.text or "")
        tail = node.tail or ""
        accepted.append(tail)
        if inserting is not None:
            inserted.append(tail)
        else:
            rejected.append(tail)
    if not found:
        return True
    before = re.sub(r"\s+", " ", "".join(accepted)).strip()
    after = re.sub(r"\s+", " ", "".join(rejected)).strip()
    line = next((n for n, ln in enumerate(text.lines) if before and escape(before) in ln), None)
    place = text.places.get(line + 1, "") if line is not None else ""
    for kind, words, author in found:
        text.changes.append(Change(place or f"paragraph '{before[:40]}'", kind, words, author))
    if changes == "reject":
        if line is None:
            return False
        text.lines[line] = text.lines[line].replace(escape(before), escape(after))
    return True


def _odt_title(path: Path) -> str:
    """The text of an OpenDocument's first paragraph in the Title style (or one based on it)."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    titles = {"Title"}
    for style in root.iter("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}style"):
        parent = style.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}parent-style-name")
        if parent == "Title":
            titles.add(style.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name", ""))
    for paragraph in root.iter(f"{_TEXT}p"):
        if paragraph.get(f"{_TEXT}style-name") in titles:
            return re.sub(r"\s+", " ", "".join(paragraph.itertext())).strip()
    return ""


def _odt_alts(root: ElementTree.Element, text: WordText) -> None:
    """Alt text of OpenDocument pictures (svg:desc, else svg:title), which pandoc does not read."""
    draw = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
    svg = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
    xlink = "{http://www.w3.org/1999/xlink}"
    for frame in root.iter(f"{draw}frame"):
        image = frame.find(f"{draw}image")
        alt = (frame.findtext(f"{svg}desc") or frame.findtext(f"{svg}title") or "").strip()
        if image is None or not alt:
            continue
        href = image.get(f"{xlink}href", "")
        for name, target in text.images.items():
            if target != href:
                continue
            for index, line in enumerate(text.lines):
                empty = f"![](../images/{name})"
                if empty in line:
                    line = line.replace(empty, f"![{escape(alt)}](../images/{name})")
                    text.lines[index] = TOKEN.sub(_drop_alt_token(text), line)


def _drop_alt_token(text: WordText) -> Callable[[re.Match[str]], str]:
    def keep(match: re.Match[str]) -> str:
        return "" if "no alt text" in text.notes.get(int(match.group(1)), "") else match.group(0)

    return keep


def _large_bold(path: Path) -> frozenset[str]:
    """The texts of paragraphs all in bold at 13 pt or more: headings typed by hand."""
    found: set[str] = set()
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    for paragraph in root.iter(f"{_W}p"):
        runs = [
            r
            for r in paragraph.iter(f"{_W}r")
            if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()
        ]
        if not runs:
            continue
        if all(_bold_size(run) >= 26 for run in runs):
            text = "".join(t.text or "" for r in runs for t in r.iter(f"{_W}t"))
            found.add(re.sub(r"\s+", " ", text).strip())
    return frozenset(found)


def _bold_size(run: ElementTree.Element) -> int:
    """The run's size in half-points when it is bold, else 0."""
    props = run.find(f"{_W}rPr")
    if props is None or props.find(f"{_W}b") is None:
        return 0
    size = props.find(f"{_W}sz")
    value = size.get(f"{_W}val") if size is not None else None
    return int(value) if value and value.isdigit() else 0


def _container_extras(archive: zipfile.ZipFile, container: Container, text: WordText) -> None:
    """What pandoc does not report: empty paragraphs, text boxes, OpenDocument comments."""
    if container.format == "docx":
        root = ElementTree.fromstring(archive.read("word/document.xml"))
        body = root.find(f"{_W}body")
        paragraphs = body.findall(f"{_W}p") if body is not None else []
        empty = [
            n
            for n, p in enumerate(paragraphs, start=1)
            if not "".join(t.text or "" for t in p.iter(f"{_W}t")).strip()
            and p.find(f".//{_W}drawing") is None
            and p.find(f".//{_W}pict") is None
        ]
        if empty:
            numbers = ", ".join(str(n) for n in empty[:20]) + (", …" if len(empty) > 20 else "")
            text.dropped.append(
                (f"paragraphs {numbers}", f"{len(empty)} empty paragraph(s) dropped")
            )
        for holder in paragraphs:
            for box in holder.iter(f"{_W}txbxContent"):
                _text_box(_texts(box), _texts(holder, skip=box), text)
    else:
        root = ElementTree.fromstring(archive.read("content.xml"))
        for note in root.iter(f"{_OFFICE}annotation"):
            _odt_comment(note, root, text)
        _odt_alts(root, text)


def _texts(node: ElementTree.Element, skip: ElementTree.Element | None = None) -> str:
    """The text of a Word element's runs, without those inside ``skip``."""
    inside = set(skip.iter()) if skip is not None else set()
    found = "".join(t.text or "" for t in node.iter(f"{_W}t") if t not in inside)
    return re.sub(r"\s+", " ", found).strip()


def _page_furniture(archive: zipfile.ZipFile, container: Container, text: WordText) -> None:
    """Page headers and footers, which a web page has no place for: each text named."""
    found: list[str] = []
    if container.format == "docx":
        for name in sorted(container.names):
            if re.match(r"^word/(header|footer)\d*\.xml$", name):
                root = ElementTree.fromstring(archive.read(name))
                found.append(_texts(root))
    elif "styles.xml" in container.names:
        root = ElementTree.fromstring(archive.read("styles.xml"))
        style = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
        for part in [*root.iter(f"{style}header"), *root.iter(f"{style}footer")]:
            found.append(re.sub(r"\s+", " ", "".join(part.itertext())).strip())
    for words in sorted({w for w in found if w}):
        text.dropped.append(("a page header or footer", f"'{words[:60]}' not carried over"))


def _text_box(content: str, anchor: str, text: WordText) -> None:
    """A text box pandoc leaves out, written as a paragraph after the one it is anchored in."""
    if not content or any(content[:40] in line for line in text.lines):
        return
    for index, line in enumerate(text.lines):
        if anchor and escape(anchor[:40]) in line:
            end = _paragraph_end(text, index)
            text.lines[end + 1 : end + 1] = ["", escape(content)]
            _shift_places(text, end + 2, 2)
            text.anchors.append(
                (
                    escape(content[:40]),
                    "this text was in a text box; it is placed here as a paragraph",
                )
            )
            return
    text.dropped.append(
        ("a text box", f"text box '{content[:60]}' not carried over: copy it in by hand")
    )


def _paragraph_end(text: WordText, index: int) -> int:
    end = index
    while end + 1 < len(text.lines) and text.lines[end + 1].strip():
        end += 1
    return end


def _odt_comment(note: ElementTree.Element, root: ElementTree.Element, text: WordText) -> None:
    """An OpenDocument comment as a trainer note after the paragraph it was made in."""
    author = (note.findtext(f"{_DC}creator") or "").strip()
    body = " ".join(
        "".join(p.itertext()).strip() for p in note.iter(f"{_TEXT}p") if "".join(p.itertext())
    )
    parents = {child: parent for parent in root.iter() for child in parent}
    holder = parents.get(note)
    while holder is not None and holder.tag not in (f"{_TEXT}p", f"{_TEXT}h"):
        holder = parents.get(holder)
    anchor = ""
    if holder is not None:
        outside = [t for child in holder for t in _text_outside(child, note)]
        anchor = re.sub(r"\s+", " ", (holder.text or "") + "".join(outside)).strip()
    by = f" ({author})" if author else ""
    comment = f"Comment{by}: {body}"
    for index, line in enumerate(text.lines):
        if anchor and escape(anchor[:30]) in line:
            end = _paragraph_end(text, index)
            text.lines[end + 1 : end + 1] = ["", "::: trainer", comment, ":::"]
            _shift_places(text, end + 2, 4)
            return
    text.dropped.append(("a comment", f"comment '{body[:60]}'{by} not placed: no anchor found"))


def _text_outside(node: ElementTree.Element, skip: ElementTree.Element) -> list[str]:
    if node is skip:
        return [node.tail or ""]
    return ["".join(node.itertext()), node.tail or ""]


def _shift_places(text: WordText, at: int, by: int) -> None:
    text.places = {
        (line + by if line >= at else line): place for line, place in text.places.items()
    }
    for line in range(at, at + by):
        text.places[line] = text.places.get(at - 1, "")


def _images(archive: zipfile.ZipFile, container: Container, text: WordText) -> dict[str, bytes]:
    """Each picture the lessons show, read from the package."""
    found: dict[str, bytes] = {}
    for name, target in text.images.items():
        candidates = [target, f"word/{target}", target.lstrip("/")]
        entry = next((c for c in candidates if c in container.names), None)
        if entry is None:
            text.dropped.append(("an image", f"picture '{PurePosixPath(target).name}' not found"))
            continue
        found[name] = archive.read(entry)
        if PurePosixPath(name).suffix not in WEB_IMAGES:
            text.dropped.append(
                (
                    f"picture {name}",
                    f"a {PurePosixPath(name).suffix or 'nameless'} picture, which browsers do not "
                    "show: save it as PNG or JPEG and replace the file",
                )
            )
    return found


def add_footnote_sources(plan: ModulePlan, text: WordText, report: ImportReport) -> None:
    """Footnotes that name a source: an entry in sources.yml each (their ``[@key]`` is in place)."""
    for note in text.sources:
        if note.key in plan.bibliography.lines:
            continue
        source = read_reference(note.key, note.text, note.line, report)
        if source is None:
            continue
        plan.bibliography.sources.append(source)
        plan.bibliography.lines[note.key] = note.line
        report.placed(note.line, f"footnote placed as source '{note.key}' and cited [@{note.key}]")


def _one_line(line: str) -> str:
    """A line of a lesson without ``<br>`` (raw HTML shows as text there): list items in a cell
    as '• item', other breaks as a space."""
    line = re.sub(r"(\|\s*|<br>)(?:-|\d+\.) ", r"\1• ", line)
    return line.replace("<br>", " ")


def place_warnings(files: dict[str, str], text: WordText, report: ImportReport) -> dict[str, str]:
    """The files without their tokens; each token's warning at its path:line."""
    out: dict[str, str] = {}
    anchors = list(text.anchors)
    for path, content in files.items():
        lines = content.split("\n")
        for number, line in enumerate(lines, start=1):
            for token in TOKEN.findall(line):
                report.diagnostics.warning(Loc(path, number), text.notes[int(token)])
            clean = TOKEN.sub("", line)
            for anchor in list(anchors):
                if anchor[0] and anchor[0] in clean and path.endswith(".md"):
                    report.diagnostics.warning(Loc(path, number), anchor[1])
                    anchors.remove(anchor)
            if "<br>" in clean and f"/{LESSONS}/" in path:
                clean = _one_line(clean)
                report.diagnostics.warning(
                    Loc(path, number),
                    "paragraphs or list items in one table cell (or a line break) written on one "
                    "line: a lesson's table cell holds one line",
                )
            lines[number - 1] = clean
        out[path] = "\n".join(lines)
    for anchor_text, message in anchors:
        report.diagnostics.warning(Loc(report.source), f"{message} ('{anchor_text[:40]}')")
    for place, what in text.dropped:
        report.dropped.append(f"{place}: {what}")
    return out
