"""The analysed form of an article: prose blocks, their text, and the map back to the source."""

from __future__ import annotations

import bisect
from functools import cached_property
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .source import Source

BLOCK_SEPARATOR = "\n\n"


class Segment(NamedTuple):
    """A run of analysed text copied from (verbatim) or standing for (replacement) a source range.

    A named tuple: an article has hundreds, built while parsing."""

    doc_start: int
    doc_len: int
    src_start: int
    src_len: int
    copied: bool = True

    @property
    def verbatim(self) -> bool:
        """Whether characters map one to one (a copy, or a replacement of the same length)."""
        return self.doc_len == self.src_len


class OffsetMap:
    """Maps offsets in the analysed text back to offsets in the source text."""

    def __init__(self, segments: list[Segment]) -> None:
        self._segments = segments
        self._starts = [segment.doc_start for segment in segments]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(self._segments)

    def _segment(self, doc_offset: int) -> Segment | None:
        index = bisect.bisect_right(self._starts, doc_offset) - 1
        return self._segments[index] if index >= 0 else None

    def to_source(self, doc_offset: int) -> int:
        """The source offset of the analysed character at doc_offset."""
        segment = self._segment(doc_offset)
        if segment is None:
            return 0
        inside = doc_offset - segment.doc_start
        if segment.verbatim:
            return segment.src_start + min(inside, segment.src_len)
        return segment.src_start if inside < segment.doc_len else segment.src_start + segment.src_len

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """The source range [start, end) covered by the analysed range [start, end)."""
        src_start = self.to_source(start)
        if end <= start:
            return src_start, src_start
        last = self._segment(end - 1)
        if last is None:
            return src_start, src_start
        inside = end - 1 - last.doc_start
        if last.verbatim:
            src_end = last.src_start + inside + 1
        else:
            src_end = last.src_start + last.src_len
        return src_start, max(src_end, src_start)


class TextBuilder:
    """Builds analysed text piece by piece while recording where each piece came from."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._segments: list[Segment] = []
        self.length = 0  # of the text appended so far
        self._copy_end = -1  # where in the source the last segment ends when it is a copy, else -1

    @property
    def mark(self) -> int:
        """A mark of the text appended so far, for `blank_since`."""
        return len(self._parts)

    def blank_since(self, mark: int) -> bool:
        """Whether the text appended after `mark` is empty or whitespace."""
        return not "".join(self._parts[mark:]).strip()

    def copy(self, text: str, src_start: int) -> None:
        """Append text that appears verbatim in the source at src_start (extending the last segment
        when that is a copy ending there)."""
        if not text:
            return
        size = len(text)
        if src_start == self._copy_end:
            last = self._segments[-1]
            self._segments[-1] = Segment(last.doc_start, last.doc_len + size, last.src_start, last.src_len + size)
        else:
            self._segments.append(Segment(self.length, size, src_start, size))
        self._parts.append(text)
        self.length += size
        self._copy_end = src_start + size

    def replace(self, text: str, src_start: int, src_end: int) -> None:
        """Append text that stands for the source range (an entity, an escape, a line break)."""
        if not text:
            return
        self._segments.append(Segment(self.length, len(text), src_start, src_end - src_start, False))
        self._parts.append(text)
        self.length += len(text)
        self._copy_end = -1

    def build(self) -> tuple[str, OffsetMap]:
        return "".join(self._parts), OffsetMap(self._segments)


@dataclass
class Block:
    """One unit of prose: a heading, paragraph, list item or table cell."""

    kind: str
    start: int
    end: int
    level: int = 0
    quote: bool = False
    list_group: int | None = None
    section: int | None = None

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@dataclass
class Link:
    """A hyperlink whose text lies at [start, end) in the analysed text."""

    start: int
    end: int
    url: str


@dataclass
class Directive:
    """An inline healthlint comment: disable, enable, disable-next-line or disable-line."""

    action: str
    rules: tuple[str, ...]
    line: int
    column: int


@dataclass
class Article:
    """An article ready for analysis."""

    source: Source
    format: str
    text: str
    offsets: OffsetMap
    blocks: list[Block]
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_error: tuple[str, int] | None = None
    links: list[Link] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    code_lines: frozenset[int] = frozenset()  # source lines inside code blocks: comments there are examples, not directives
    chrome_regions: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # boilerplate.regions, per pattern set

    @property
    def path(self) -> str:
        return self.source.path

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def position(self, doc_offset: int) -> tuple[int, int]:
        """The 1-based (line, column) in the source of an analysed-text offset."""
        return self.source.lines.position(self.offsets.to_source(doc_offset))

    def block_line(self, block: Block) -> int:
        return self.position(block.start)[0]

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.start for block in self.blocks]

    @cached_property
    def section_members(self) -> dict[int, list[int]]:
        """Per heading (block index), the indexes of the blocks it governs, the heading itself left out."""
        members: dict[int, list[int]] = {}
        for index, block in enumerate(self.blocks):
            if block.section is not None and block.section != index:
                members.setdefault(block.section, []).append(index)
        return members

    def block_at(self, doc_offset: int) -> Block | None:
        """The block containing an analysed-text offset, if any."""
        index = self.block_index_at(doc_offset)
        return None if index is None else self.blocks[index]

    def block_index_at(self, doc_offset: int) -> int | None:
        """The index of the block containing an analysed-text offset, if any."""
        index = bisect.bisect_right(self._block_starts, doc_offset) - 1
        if index >= 0 and doc_offset <= self.blocks[index].end:
            return index
        return None

    def block_index(self, block: Block) -> int:
        return bisect.bisect_left(self._block_starts, block.start)

    def heading_of(self, block: Block) -> Block | None:
        return self.blocks[block.section] if block.section is not None else None

    @property
    def title(self) -> str | None:
        """The front matter title, else the first heading's text."""
        title = self.front_matter.get("title") if isinstance(self.front_matter, dict) else None
        if isinstance(title, str) and title.strip():
            return title.strip()
        heading = next((block for block in self.blocks if block.is_heading), None)
        return self.block_text(heading) if heading else None


class ArticleBuilder:
    """Collects blocks of prose for one article and assembles the Article."""

    def __init__(self) -> None:
        self.text = TextBuilder()
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self._open: Block | None = None
        self._open_mark = 0
        self._section: int | None = None
        self._list_group: int | None = None
        self._list_counter = 0

    def start_block(self, kind: str, *, level: int = 0, quote: bool = False, src_at: int = 0) -> None:
        if self.blocks or self._open:
            self.text.replace(BLOCK_SEPARATOR, src_at, src_at)
        if kind == "list_item":
            if self._list_group is None:
                self._list_counter += 1
                self._list_group = self._list_counter
        else:
            self._list_group = None
        section = len(self.blocks) if kind == "heading" else self._section
        self._open_mark = self.text.mark
        self._open = Block(kind, self.text.length, self.text.length, level, quote, self._list_group if kind == "list_item" else None, section)

    @property
    def open_length(self) -> int | None:
        """How much text the open block holds so far; None when no block is open."""
        return None if self._open is None else self.text.length - self._open.start

    def end_list(self) -> None:
        self._list_group = None

    def end_block(self) -> None:
        block = self._open
        self._open = None
        if block is None:
            return
        block.end = self.text.length
        if self.text.blank_since(self._open_mark):
            return
        if block.kind == "heading":
            self._section = len(self.blocks)
            block.section = self._section
        self.blocks.append(block)

    def build(self, source: Source, fmt: str, **extra: Any) -> Article:
        text, offsets = self.text.build()
        return Article(source=source, format=fmt, text=text, offsets=offsets, blocks=self.blocks, links=self.links, **extra)
