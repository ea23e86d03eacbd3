"""Safe YAML parsing into nodes that keep their line and column.

Only the YAML core schema is accepted: no tags beyond the standard ones (so no ``!!python/...``)
and no anchors or aliases, which also makes alias bombs impossible: the composer refuses the
first alias before anything is expanded.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
import yaml.reader
from yaml.composer import ComposerError
from yaml.error import Mark
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.source.diagnostics import Diagnostics, Loc
from generator.source.limits import MAX_YAML_DEPTH

STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class _StrictComposer(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases at the event level."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in course files, expected plain values",
                event.start_mark,
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise ComposerError(
                None,
                None,
                "anchors (&name) are not allowed in course files, expected plain values",
                event.start_mark,
            )
        return super().compose_node(parent, index)


_TOO_DEEP = (
    "YAML nested too deeply for Python to read, expected lists and mappings a few levels deep"
)


def loc_of(node: Node, path: str, line_offset: int = 0) -> Loc:
    """The 1-based location of a node."""
    mark = node.start_mark
    return Loc(path, mark.line + 1 + line_offset, mark.column + 1)


_TEXT: str = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG


class _Resolving(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's safe loader, its implicit tags found as PyYAML's resolver finds them, without
    its per-value lists: the resolvers for each first character are looked up in one table. It
    notes whether any tag it gave is not a standard one (``<<``, ``=``), so a text without a
    ``!`` (no tag written) needs no walk of its nodes when it gave none."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.unusual = False
        table = self.yaml_implicit_resolvers
        # Only the safe loader's plain resolvers (no wildcard, no path) are read from the table.
        plain = None not in table and not self.yaml_path_resolvers
        self.table = {key: tuple(found) for key, found in table.items()} if plain else None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        table = self.table
        if table is None:
            tag = super().resolve(kind, value, implicit)
        elif kind is not ScalarNode:
            return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG
        elif not implicit[0] or (value and value[0] not in table):
            return _TEXT
        else:
            tag = self.implicit_tag(table.get(value[:1], ()), value)
        if tag not in STANDARD_TAGS:
            self.unusual = True
        return tag

    def implicit_tag(self, resolvers: tuple[tuple[str, re.Pattern[str]], ...], value: str) -> str:
        """The tag of the first resolver that matches a plain value; text when none does."""
        for tag, regexp in resolvers:
            if regexp.match(value):
                return tag
        return _TEXT


def _compose_with_libyaml(text: str) -> tuple[bool, Node | None]:
    """Compose with libyaml when the text is plainly acceptable, about ten times faster.

    Returns (False, None) whenever anything is unusual (an anchor, an alias, a tab, a character
    PyYAML's reader refuses, any error): the pure-Python composer then gives the exact diagnostic.
    """
    fast, node, _tagged = _compose_fast(text)
    return fast, node


def _compose_fast(text: str) -> tuple[bool, Node | None, bool]:
    """``_compose_with_libyaml``, and whether the node's tags may need checking (always, when
    the fast path does not answer)."""
    if not yaml.__with_libyaml__ or "\t" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return False, None, True
    try:
        # An anchor or alias needs a '&' or '*' in the text: only then is the extra pass due.
        if "&" in text or "*" in text:
            for event in yaml.parse(text, Loader=yaml.CSafeLoader):
                if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                    return False, None, True
        loader = _Resolving(text)
        try:
            node: Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            raise RecursionError(str(exc)) from None  # libyaml's own limit, as deep as ours
        return False, None, True
    return True, node, loader.unusual or "!" in text


# What a line's indentation and compact list entries are made of: with the flow brackets, they
# bound how deep the text can nest, so most files need no scan of their tokens.
_BLOCK_PREFIX = re.compile(r"^[ ?:-]*", re.MULTILINE)
_OPENS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSES = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def too_deep(text: str) -> Mark | None:
    """Where the text's mappings and lists first nest more than ``MAX_YAML_DEPTH`` deep, found
    from its tokens (the scanner keeps no stack of its own), before any composer recurses."""
    widest = max((len(prefix) for prefix in _BLOCK_PREFIX.findall(text)), default=0)
    # Each level of block nesting needs a wider prefix, or an indentless list under a key.
    if 2 * widest + 1 + text.count("[") + text.count("{") <= MAX_YAML_DEPTH:
        return None
    if yaml.__with_libyaml__:
        try:
            return _first_too_deep(text, yaml.CSafeLoader)
        except yaml.MarkedYAMLError as exc:
            # libyaml gives up at 1,000 levels, before handing over the tokens it read ahead:
            # PyYAML's scanner, which reads ahead less, finds the place.
            if "nesting depth" not in (exc.problem or ""):
                return None  # composing reports it
    try:
        return _first_too_deep(text, yaml.SafeLoader)
    except yaml.YAMLError:
        return None  # composing reports it


def _first_too_deep(
    text: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
) -> Mark | None:
    depth = 0
    for token in yaml.scan(text, Loader=loader):
        if isinstance(token, _OPENS):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                mark: Mark = token.start_mark
                return mark
        elif isinstance(token, _CLOSES):
            depth -= 1
    return None


def compose(text: str, path: str, diags: Diagnostics, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into nodes; report syntax errors, forbidden tags and nesting
    deeper than ``MAX_YAML_DEPTH``."""
    deep = too_deep(text)
    if deep is not None:
        diags.error(
            Loc(path, deep.line + 1 + line_offset, deep.column + 1),
            f"YAML nested too deeply: more than {MAX_YAML_DEPTH} levels of mappings and lists "
            "here, expected a flatter structure",
        )
        return None
    try:
        fast, node, tagged = _compose_fast(text)
    except RecursionError:
        # PyYAML reads nested lists and mappings by recursion: a thousand levels exhaust it
        # (and the pure-Python composer would take seconds to find that out again).
        diags.error(Loc(path, 1 + line_offset, 1), _TOO_DEEP)
        return None
    if not fast:
        read, node = _compose_strictly(text, path, diags, line_offset)
        if not read:
            return None
    if node is not None and tagged and not _tags_ok(node, path, diags, line_offset):
        return None
    return node


def _compose_strictly(
    text: str, path: str, diags: Diagnostics, line_offset: int
) -> tuple[bool, Node | None]:
    """Compose with the pure-Python composer, which refuses anchors and aliases and says where
    any problem is: whether the text could be read (each problem reported), and its node."""
    loader: _StrictComposer | None = None
    try:
        # The reader checks for control characters while it is constructed: inside the try.
        loader = _StrictComposer(text)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        diags.error(
            Loc(path, line + line_offset, col),
            f"control character U+{exc.character:04X} is not allowed in YAML, expected printable "
            "text",
        )
        return False, None
    except yaml.MarkedYAMLError as exc:
        mark, problem = syntax_problem(exc, text)
        line = mark.line + 1 + line_offset if mark else 1 + line_offset
        col = mark.column + 1 if mark else 1
        if isinstance(exc, ComposerError) and exc.problem and "not allowed" in exc.problem:
            diags.error(Loc(path, line, col), problem)
        else:
            diags.error(Loc(path, line, col), f"YAML syntax error: {problem}")
        return False, None
    except yaml.YAMLError as exc:
        diags.error(Loc(path, 1 + line_offset, 1), f"YAML error: {exc}")
        return False, None
    except RecursionError:
        diags.error(Loc(path, 1 + line_offset, 1), _TOO_DEEP)
        return False, None
    finally:
        if loader is not None:
            loader.dispose()
    return True, node


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[Mark | None, str]:
    """Where a YAML syntax error really is and what it means, in an author's words.

    PyYAML names the parser state ("expected <block end>"); authors need the mistake they made.
    """
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    if "quoted scalar" in context and "end of stream" in problem:
        # Reported at the end of the file; the mistake is the quote that opened the text.
        return exc.context_mark, "quoted text is never closed, expected a matching closing quote"
    if "'\\t'" in problem:
        lines = text.split("\n")
        before = lines[mark.line][: mark.column] if mark and mark.line < len(lines) else ""
        if before.strip(" "):
            return mark, "a tab character, expected spaces (YAML does not allow tabs here)"
        return mark, "a tab character, expected spaces for indentation"
    cannot_start = _CANNOT_START.search(problem)
    if cannot_start:
        char = cannot_start.group(1)
        return mark, f"'{char}' cannot start a plain value, expected the text in quotes"
    if problem == "mapping values are not allowed here":
        return mark, "a ': ' inside a value, expected text that contains ': ' to be in quotes"
    if problem.startswith("expected <block end>"):
        return mark, (
            "this line does not line up with the lines above, expected the same indentation as "
            "the fields or list items it belongs with"
        )
    flow = re.fullmatch(r"expected ',' or '([\]}])', but got .*", problem)
    if flow and exc.context_mark is not None:
        # Reported where the parser gave up, often the next line; the mistake is the opener.
        opener = "[" if flow.group(1) == "]" else "{"
        return exc.context_mark, (
            f"'{opener}' is never closed, expected '{flow.group(1)}' (or ',' between items)"
        )
    if "another document" in problem:
        return mark, "a second document ('---') in the file, expected a single document"
    return mark, problem


def _tags_ok(node: Node, path: str, diags: Diagnostics, line_offset: int) -> bool:
    ok = True
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag not in STANDARD_TAGS:
            diags.error(
                loc_of(current, path, line_offset),
                f"YAML tag '{current.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed, "
                "expected plain values",
            )
            ok = False
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return ok


def describe(node: Node) -> str:
    """How a node reads to an author, for 'found …' in messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    assert isinstance(node, ScalarNode)
    kind = node.tag.rsplit(":", 1)[-1]
    names = {
        "str": "text",
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "null": "nothing",
        "timestamp": "a date",
    }
    shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"{names.get(kind, kind)} '{shown}'" if kind != "null" else "nothing"
