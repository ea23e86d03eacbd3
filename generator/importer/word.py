"""A Word or OpenDocument document as a module document: pandoc's syntax tree written out in the
text importer's dialect (``# CODE: Title``, ``##`` lessons, ``###`` sections, lists, pipe tables,
``[key]`` sources), so the same reading, planning and writing stages make the module.

Heading 1 becomes a lesson (``##``), Heading 2 a section (``###``), deeper headings deeper ones;
the Title style the module title. Each line written remembers where it was in the document
(heading number and paragraph), for the report. What the document has and the dialect does not is
kept another way and said so: comments become ``::: trainer`` notes after their paragraph,
footnotes naming a source become ``[@key]`` citations and a source, other footnotes a note in
brackets, images ``![alt](../images/…)`` lines with their caption, merged table cells their text
in each cell they span. Warnings that belong to a line of the lesson are marked on the line with a
token the writer turns into ``path:line`` in the written file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal

from generator.importer.ids import make_id, unique_id
from generator.source.layout import MODULE_FILE

Changes = Literal["refuse", "accept", "reject"]
Node = dict[str, Any]

TOKEN_OPEN, TOKEN_CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
_TYPED_NUMBER = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_TYPED_LETTER = re.compile(r"^([a-z])[.)]\s+(\S.*)$")
_TYPED_BULLET = re.compile(r"^[•▪◦‣–·]\s*(\S.*)$")
_REFERENCE = re.compile(r"^(?P<authors>[^()]+?)\s*\((?P<year>\d{4})[a-z]?(?:,[^)]*)?\)\.")
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_BLOCKS = frozenset({"Para", "Plain", "Header", "Div", "BulletList", "OrderedList", "Figure"})
_TITLE_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)+\s*[:–—-]\s*\S")


@dataclass(frozen=True)
class Change:
    """One tracked change: where it is, what it does, who made it."""

    place: str
    kind: str  # "inserted" or "deleted"
    text: str
    author: str

    @property
    def what(self) -> str:
        by = f" by {self.author}" if self.author else ""
        return f"{self.kind} '{self.text[:80]}'{by}"

    def __str__(self) -> str:
        return f"{self.place}: {self.what}"


@dataclass(frozen=True)
class FootnoteSource:
    """A footnote that names a source: its key and reference text, and its line."""

    key: str
    text: str
    line: int


@dataclass
class WordText:
    """The document written in the text importer's dialect, and what came with it."""

    lines: list[str] = field(default_factory=list)
    places: dict[int, str] = field(default_factory=dict)  # line number to place in the document
    notes: dict[int, str] = field(default_factory=dict)  # token to warning
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (text on the line, warning)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (place, what was dropped)
    changes: list[Change] = field(default_factory=list)
    sources: list[FootnoteSource] = field(default_factory=list)
    images: dict[str, str] = field(default_factory=dict)  # file name in images/ to document path
    title_place: str = "the title"

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class _Place:
    """Where the reader is in the document: the heading numbers and the paragraph under them."""

    numbers: list[int] = field(default_factory=list)
    title: str = ""
    paragraph: int = 0
    titles: list[str] = field(default_factory=list)  # the current heading of each level

    def heading(self, level: int, title: str) -> None:
        self.numbers = (self.numbers + [0] * level)[:level]
        self.numbers[-1] += 1
        self.titles = [*(self.titles + [""] * level)[: level - 1], title]
        self.title, self.paragraph = title, 0

    @property
    def in_components(self) -> bool:
        """Under a heading that names the components (where the text importer looks for a
        lifecycle table's line-separated cells)."""
        words = " ".join(self.titles).lower()
        return any(w in words for w in ("component", "lifecycle", "life cycle", "guide"))

    def __str__(self) -> str:
        if not self.numbers:
            return f"paragraph {self.paragraph}" if self.paragraph else "the title"
        number = ".".join(str(n) for n in self.numbers)
        short = self.title if len(self.title) <= 40 else self.title[:39] + "…"
        where = f"§{number} '{short}'"
        return f"{where}, paragraph {self.paragraph}" if self.paragraph else where


@dataclass
class _Pending:
    """What a block collects on its way and places after it: comments, images."""

    comments: list[str] = field(default_factory=list)


def stringify(nodes: Sequence[Any]) -> str:
    """The plain text of inlines or blocks."""
    out: list[str] = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kind: Any = node.get("t")
        content: Any = node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            out.append(content[1])
        elif kind == "Note":
            continue
        elif isinstance(content, list):
            out.append(stringify(_children(node)))
        if kind in _BLOCKS:
            out.append(" ")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _children(node: Node) -> list[Any]:
    """The inlines or blocks inside a node, wherever its kind keeps them."""
    kind: Any = node["t"]
    content: Any = node.get("c")
    if kind in ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript"):
        return list(content)
    if kind in ("SmallCaps", "Para", "Plain", "BlockQuote"):
        return list(content)
    if kind in ("Quoted", "Cite", "Span", "Div", "Link", "Image", "Header", "Figure"):
        last = content[-1]
        if kind in ("Link", "Image"):
            return list(content[1])
        if kind == "Figure":
            return list(content[2])
        return list(last)
    if kind in ("BulletList",):
        return [block for item in content for block in item]
    if kind == "OrderedList":
        return [block for item in content[1] for block in item]
    return []


def escape(text: str, in_table: bool = False) -> str:
    """Author text that Markdown reads as text: emphasis marks, code marks and tags escaped."""
    text = text.replace("\\", "\\\\").replace("`", "\\`").replace("*", "\\*").replace("_", "\\_")
    text = text.replace("<", "&lt;").replace("](", "]\\(")
    return text.replace("|", "\\|") if in_table else text


class WordWriter:
    """Walks pandoc's tree and writes the module document; one instance per import."""

    def __init__(
        self, tree: Node, changes: Changes, file_stem: str, large_bold: frozenset[str]
    ) -> None:
        self.tree = tree
        self.large_bold = large_bold
        self.title_hint = ""  # an OpenDocument's Title-style paragraph, which pandoc keeps as text
        self.title_text = ""
        self.mode = changes
        self.stem = file_stem
        self.out = WordText()
        self.place = _Place()
        self.pending = _Pending()
        self.keys: set[str] = set()
        self.in_table = False
        self.figures = 0
        self.seen_heading = False
        self.has_headings = False

    # --- output -----------------------------------------------------------------------------

    def token(self, warning: str) -> str:
        """A mark for the line that carries ``warning``; the writer turns it into path:line."""
        if not warning:
            return ""
        number = len(self.out.notes) + 1
        self.out.notes[number] = f"{warning} (document: {self.place})"
        return f"{TOKEN_OPEN}{number}{TOKEN_CLOSE}"

    def emit(self, text: str, warning: str = "") -> None:
        self.out.lines.append(text + self.token(warning))
        self.out.places[len(self.out.lines)] = str(self.place)

    def blank(self) -> None:
        if self.out.lines and self.out.lines[-1] != "":
            self.emit("")

    def drop(self, what: str) -> None:
        self.out.dropped.append((str(self.place), what))

    # --- the document -----------------------------------------------------------------------

    def write(self) -> WordText:
        self._title()
        self.has_headings = any(
            b.get("t") == "Header" and b["c"][0] == 1 for b in self.tree["blocks"]
        )
        typed = any(
            stringify(b.get("c", [])) in self.large_bold
            for b in self.tree["blocks"]
            if b.get("t") == "Para"
        )
        if not self.has_headings and not typed:
            # No Heading 1 and no heading typed by hand: the whole document is one lesson.
            self.emit(f"## {self.title_text}")
            self.emit("")
            self.out.dropped.append(
                (
                    "the whole document",
                    "no Heading 1 (nor a bold line standing in for one): the document is one "
                    "lesson named after the title; give its parts Heading 1 to make more",
                )
            )
        for block in self.tree["blocks"]:
            self.block(block, top=True)
        self.blank()
        return self.out

    def _title(self) -> None:
        meta = self.tree.get("meta", {})
        title = _meta_text(meta.get("title"))
        warning = ""
        blocks = self.tree["blocks"]
        if not title and blocks and stringify(blocks[0].get("c", [])) == self.title_hint:
            title = self.title_hint
            self.tree = {**self.tree, "blocks": blocks[1:]}
        elif not title and blocks and _all_bold(blocks[0]):
            title = stringify(blocks[0]["c"])
            self.tree = {**self.tree, "blocks": blocks[1:]}
            warning = (
                f"the document has no Title-style paragraph; its first line, in bold, '{title}' "
                "is the module title"
            )
        if not title:
            title = self.stem.replace("_", " ").replace("-", " ").strip() or "Imported module"
            warning = (
                f"the document has no Title-style paragraph; the module is titled '{title}' "
                "after the file name"
            )
        if _TITLE_CODE.match(title):
            line = title
        else:
            code = (make_id(title, "imported-module")[:30].strip("-") or "imported").upper()
            code = code if "-" in code else f"{code}-1"
            line = f"{code}: {title}"
            warning = f"{warning}; " if warning else ""
            warning += (
                f"the title names no module code (e.g. 'LRN-BEG-015: {title}'); code {code} "
                f"made from the title: change it in {MODULE_FILE}"
            )
        self.emit(f"# {line}")
        self.title_text = escape(line.split(":", 1)[1].strip() if ":" in line else line)
        if warning:
            self.out.dropped.append(("the title", warning))
        self.emit("")
        subtitle = _meta_text(meta.get("subtitle"))
        if subtitle:
            self.emit(escape(subtitle))
            self.emit("")

    def block(self, node: Node, top: bool = False, indent: str = "") -> None:
        kind = node.get("t")
        handler = getattr(self, f"_b_{kind}", None)
        if handler is None:
            self.drop(f"a {kind} block ('{stringify([node])[:60]}')")
        else:
            handler(node, indent)
        if top:
            self.flush_pending()

    def flush_pending(self) -> None:
        if not self.pending.comments:
            return
        self.blank()
        self.emit("::: trainer")
        for comment in self.pending.comments:
            self.emit(comment)
            self.emit("")
        self.out.lines.pop()
        self.emit(":::")
        self.emit("")
        self.pending.comments.clear()

    # --- blocks -----------------------------------------------------------------------------

    def _b_Header(self, node: Node, indent: str) -> None:
        level, _attr, inlines = node["c"]
        title = self.inlines(inlines).strip()
        plain = stringify(inlines)
        if not plain:
            self.drop("an empty heading")
            return
        self.place.heading(level, plain)
        self.seen_heading = True
        self.blank()
        self.emit("#" * (level + 1) + " " + title)
        self.emit("")

    def _b_Para(self, node: Node, indent: str) -> None:
        inlines = node["c"]
        self.place.paragraph += 1
        if not stringify(inlines) and not _has(inlines, "Image"):
            if self.pending.comments or _has(inlines, "Note"):
                self.inlines(inlines)
            return
        if not indent and self._pseudo_heading(inlines):
            return
        text = self.inlines(inlines).strip()
        if not indent and self._typed_list_item(text):
            return
        self.blank()
        self.emit(indent + _protect_start(text), self._image_warning(inlines))
        self.emit("")

    _b_Plain = _b_Para

    def _pseudo_heading(self, inlines: list[Node]) -> bool:
        """A short paragraph all in bold at 13 pt or more, no sentence, read as a heading: a
        lesson in a document without Heading 1, else a section under the current heading."""
        text = stringify(inlines)
        if text not in self.large_bold or len(text.split()) > 12 or text[-1] in ".:;,!?":
            return False
        where = str(self.place)
        level = max(2, min(len(self.place.numbers) + 1, 3)) if self.has_headings else 1
        self.place.heading(level, text)
        self.blank()
        self.emit("#" * (level + 1) + " " + escape(text))
        self.emit("")
        self.out.anchors.append(
            (
                escape(text),
                "this bold line looked like a heading typed by hand; made it a heading "
                f"(document: {where})",
            )
        )
        return True

    def _typed_list_item(self, text: str) -> bool:
        """'1) text', 'a. text' or '• text' typed by hand: a list item, with a warning."""
        number = _TYPED_NUMBER.match(text)
        letter = _TYPED_LETTER.match(text) if number is None else None
        bullet = _TYPED_BULLET.match(text) if number is None and letter is None else None
        if number is None and letter is None and bullet is None:
            return False
        previous = self.out.lines[-2] if len(self.out.lines) > 1 else ""
        in_list = bool(re.match(r"^\s*(?:\d+\.|-)\s", previous))
        if letter is not None:
            if letter.group(1) != "a" and not in_list:
                return False
            nested = in_list and not previous.startswith(" ") and letter.group(1) != "a"
            nested = nested or (in_list and bool(re.match(r"^\d+\.", previous)))
            indent = "    " if nested or previous.startswith("    ") else ""
            line = f"{indent}{ord(letter.group(1)) - ord('a') + 1}. {letter.group(2)}"
            what = "a lettered list typed by hand"
        elif number is not None:
            line, what = (
                f"{int(number.group(1))}. {number.group(2)}",
                "a numbered list typed by hand",
            )
        else:
            assert bullet is not None
            line, what = f"- {bullet.group(1)}", "a bulleted list typed by hand"
        if in_list:
            self.out.lines.pop()
            del self.out.places[len(self.out.lines) + 1]
        else:
            self.blank()
        self.emit(line, f"this looked like {what}; made it a list")
        self.emit("")
        return True

    def _image_warning(self, inlines: list[Node]) -> str:
        for node in _walk(inlines):
            if node.get("t") == "Image" and not stringify(node["c"][1]):
                return "this image has no alt text; write one (or mark it decorative)"
        return ""

    def _b_LineBlock(self, node: Node, indent: str) -> None:
        self.place.paragraph += 1
        self.blank()
        self.emit(indent + "<br>".join(self.inlines(line) for line in node["c"]))
        self.emit("")

    def _b_BulletList(self, node: Node, indent: str) -> None:
        self._list([("-", item) for item in node["c"]], indent)

    def _b_OrderedList(self, node: Node, indent: str) -> None:
        (start, _style, _delim), items = node["c"]
        self._list([(f"{start + n}.", item) for n, item in enumerate(items)], indent)

    def _list(self, items: list[tuple[str, list[Node]]], indent: str) -> None:
        nested = bool(indent) and bool(self.out.lines) and bool(self.out.lines[-1].strip())
        if not nested:  # a nested list follows its item's line directly: a tight list
            self.blank()
        for marker, blocks in items:
            first = True
            for block in blocks:
                if first and block.get("t") in ("Para", "Plain"):
                    self.place.paragraph += 1
                    text = self.inlines(block["c"]).strip()
                    self.emit(f"{indent}{marker} {text}", self._image_warning(block["c"]))
                elif block.get("t") in ("BulletList", "OrderedList"):
                    self.block(block, indent=indent + "    ")
                else:
                    if first:
                        self.emit(f"{indent}{marker} ")
                    self.blank()
                    self.block(block, indent=indent + "    ")
                first = False
        if not nested:
            self.emit("")

    def _b_BlockQuote(self, node: Node, indent: str) -> None:
        for block in node["c"]:
            self.block(block, indent=indent + "> ")

    def _b_CodeBlock(self, node: Node, indent: str) -> None:
        self.blank()
        self.emit(indent + "```text")
        for line in node["c"][1].split("\n"):
            self.emit(indent + line)
        self.emit(indent + "```")
        self.emit("")

    def _b_RawBlock(self, node: Node, indent: str) -> None:
        self.drop(f"raw {node['c'][0]} content ('{node['c'][1][:60]}')")

    def _b_HorizontalRule(self, node: Node, indent: str) -> None:
        self.drop("a horizontal line")

    def _b_Div(self, node: Node, indent: str) -> None:
        attrs = dict(node["c"][0][2])
        style = attrs.get("custom-style", "")
        for block in node["c"][1]:
            if style in ("Caption", "Image Caption", "Table Caption") and block.get("t") == "Para":
                self._caption(block["c"], indent)
            else:
                self.block(block, indent=indent)

    def _b_DefinitionList(self, node: Node, indent: str) -> None:
        for term, definitions in node["c"]:
            self.place.paragraph += 1
            self.blank()
            self.emit(indent + "**" + self.inlines(term).strip() + "**")
            self.emit("")
            for blocks in definitions:
                for block in blocks:
                    self.block(block, indent=indent)

    def _b_Figure(self, node: Node, indent: str) -> None:
        _attr, (_short, caption), blocks = node["c"]
        for block in blocks:
            self.block(block, indent=indent)
        if caption:
            self._caption(block_inlines(caption), indent)

    def _caption(self, inlines: list[Node], indent: str) -> None:
        self.place.paragraph += 1
        text = self.inlines(inlines).strip()
        if not text:
            return
        self.figures += 1
        if not re.match(r"^(figure|fig\.|table|image|abbildung)\s*\d*", stringify(inlines), re.I):
            text = f"Figure {self.figures}: {text}"
        self.blank()
        self.emit(f"{indent}*{text}*")
        self.emit("")

    def _b_Table(self, node: Node, indent: str) -> None:
        from generator.importer.word_tables import write_table

        write_table(self, node, indent)

    # --- inlines ----------------------------------------------------------------------------

    def inlines(self, nodes: Sequence[Node]) -> str:
        return "".join(self.inline(node) for node in nodes)

    def inline(self, node: Node) -> str:
        kind: Any = node.get("t")
        content: Any = node.get("c")
        if kind == "Str":
            return escape(content, self.in_table)
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "<br>" if self.in_table else " "
        if kind in ("Strong", "Emph"):
            mark = "**" if kind == "Strong" else "*"
            inner = self.inlines(content)
            core = inner.strip()
            if not core:
                return inner
            lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
            return f"{lead}{mark}{core}{mark}{trail}"
        if kind in ("Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            return self.inlines(content)
        if kind == "Quoted":
            quotes = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            return quotes[0] + self.inlines(content[1]) + quotes[1]
        if kind == "Cite":
            return self.inlines(content[1])
        if kind == "Code":
            text = content[1]
            fence = "``" if "`" in text else "`"
            return f"{fence}{text}{fence}"
        if kind == "Math":
            return escape(content[1], self.in_table)
        if kind == "RawInline":
            self.drop(f"raw {content[0]} text ('{content[1][:60]}')")
            return ""
        handler = getattr(self, f"_i_{kind}", None)
        return handler(content) if handler is not None else ""

    def _i_Link(self, content: list[Any]) -> str:
        text = self.inlines(content[1]).strip()
        url = content[2][0]
        if not text:
            text = escape(url, self.in_table)
        if _SAFE_LINK.match(url):
            return f"[{text}](<{url}>)" if re.search(r"[\s()<>]", url) else f"[{text}]({url})"
        if not url.startswith("#"):
            self.drop(f"the link to '{url[:60]}' (only web and mail links are kept); text kept")
        return text

    def _i_Image(self, content: list[Any]) -> str:
        _attr, alt_nodes, (target, _title) = content
        alt = stringify(alt_nodes)
        name = next((n for n, t in self.out.images.items() if t == target), "")
        if not name:
            suffix = PurePosixPath(target).suffix.lower()
            suffix = suffix if re.match(r"^[.][a-z0-9]+$", suffix) else ""
            name = f"image{len(self.out.images) + 1}{suffix}"
            self.out.images[name] = target
        alt_text = escape(alt.replace("]", ")").replace("[", "("))
        return f"![{alt_text}](../images/{name})"

    def _i_Note(self, content: list[Any]) -> str:
        text = stringify(content)
        reference = _REFERENCE.match(text)
        if reference is None:
            note = self.inlines(block_inlines(content))
            self.out.dropped.append(
                (str(self.place), f"footnote '{text[:60]}' placed in the text in brackets")
            )
            return f" (Note: {note.strip()})"
        surname = re.split(r"[,\s]", reference["authors"].strip())[0]
        key = unique_id(make_id(f"{surname} {reference['year']}", "source"), self.keys)
        self.out.sources.append(FootnoteSource(key, text, len(self.out.lines) + 1))
        return f" [@{key}]"

    def _i_Span(self, content: list[Any]) -> str:
        (_ident, classes, attrs), inner = content
        attrs = dict(attrs)
        if "comment-start" in classes:
            author = attrs.get("author", "")
            by = f" ({author})" if author else ""
            self.pending.comments.append(f"Comment{by}: {self.inlines(inner).strip()}")
            return ""
        if "comment-end" in classes:
            return ""
        for kind, word in (("insertion", "inserted"), ("deletion", "deleted")):
            if kind in classes:
                self.out.changes.append(
                    Change(str(self.place), word, stringify(inner), attrs.get("author", ""))
                )
                keep = (kind == "insertion") == (self.mode != "reject")
                return self.inlines(inner) if keep else ""
        if "paragraph-insertion" in classes or "paragraph-deletion" in classes:
            return ""
        return self.inlines(inner)


def block_inlines(blocks: Sequence[Any]) -> list[Node]:
    """The inlines of paragraphs, wherever they are nested, paragraphs apart by a space."""
    found: list[Node] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("t") in ("Para", "Plain"):
            if found:
                found.append({"t": "Space"})
            found += block["c"]
        elif block.get("t") == "Div":
            found += block_inlines(block["c"][1])
        elif block.get("t") in ("BlockQuote",):
            found += block_inlines(block["c"])
    return found


def _protect_start(text: str) -> str:
    """A paragraph that Markdown would read as a heading, list item or quote, escaped."""
    if re.match(r"^(#|>|[-+*]\s|\d+[.)]\s|:::|```|~~~)", text):
        return "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def _all_bold(block: Node) -> bool:
    """A paragraph that is one bold run: how a title is typed without the Title style."""
    if block.get("t") not in ("Para", "Plain"):
        return False
    real = [n for n in block["c"] if n.get("t") not in ("Space", "SoftBreak")]
    return len(real) == 1 and real[0].get("t") == "Strong" and len(stringify(block["c"])) < 120


def _has(nodes: Sequence[Any], kind: str) -> bool:
    return any(node.get("t") == kind for node in _walk(nodes))


def _walk(nodes: Sequence[Any]) -> list[Node]:
    found: list[Node] = []
    for node in nodes:
        if isinstance(node, dict) and "t" in node:
            found.append(node)
            if node["t"] != "Note":
                found += _walk(_children(node))
    return found


def _meta_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    if value.get("t") == "MetaInlines":
        return stringify(value["c"])
    if value.get("t") == "MetaBlocks":
        return stringify(value["c"])
    if value.get("t") == "MetaString":
        return str(value["c"])
    return ""
