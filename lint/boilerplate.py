"""Where an article's body holds site chrome (comment sections, footers, share buttons, link lists).

Shared by the boilerplate rule (which reports each region) and the rules that must look past
chrome (truncated-text finds the real end of the body; duplicate-content ignores it). The
patterns live in rules/data/boilerplate.yaml; teams extend them through the boilerplate rule's options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .phrases import LowerCasePatterns, opens_with_repeat, union
from .ruledata import check_keys, load_data

if TYPE_CHECKING:
    from .article import Article, Block
    from .config import Config

KINDS = ("line", "comments", "links")
TITLE_MAX_WORDS = 20
_TERMINAL = re.compile(r"[.!?…:;]['\"”’)\]]*$")
_QUESTION = re.compile(r"\?['\"”’)\]]*$")  # a headline may ask ("Ozempic face: is it real?")
_SENTENCE_BREAK = re.compile(r"[.!?…;]['\"”’)\]]*\s")  # ...but a title is one sentence


@dataclass(frozen=True)
class Pattern:
    name: str
    kind: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Region:
    """Blocks [first, last] (indexes into article.blocks) that are chrome; `pattern` names what opened it."""

    first: int
    last: int
    pattern: str


@lru_cache(maxsize=32)
def compile_patterns(extra_lines: tuple[str, ...] = (), extra_link_headers: tuple[str, ...] = ()) -> tuple[Pattern, ...]:
    """The shipped patterns plus a team's own (whole-block regexes, case-insensitive)."""
    items = load_data("boilerplate").get("patterns")
    if not isinstance(items, list):
        raise ValueError("rules/data/boilerplate.yaml: 'patterns' must be a list")
    found = []
    for index, item in enumerate(items):
        item = check_keys(item, {"name", "kind", "pattern"}, set(), f"rules/data/boilerplate.yaml: patterns[{index}]")
        if item["kind"] not in KINDS:
            raise ValueError(f"rules/data/boilerplate.yaml: patterns[{index}].kind must be one of {KINDS}")
        found.append(Pattern(item["name"], item["kind"], _compile(item["pattern"])))
    found += [Pattern(f"custom: {text}", "line", _compile(text)) for text in extra_lines]
    found += [Pattern(f"custom: {text}", "links", _compile(text)) for text in extra_link_headers]
    return tuple(found)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def patterns_for(config: "Config", path: str | None) -> tuple[Pattern, ...]:
    """The patterns in force for a file: shipped ones plus the boilerplate rule's configured extras."""
    options = config.settings_for("boilerplate", path).options
    return compile_patterns(tuple(options.get("extra_patterns") or ()), tuple(options.get("extra_link_headers") or ()))


def normalised(text: str) -> str:
    return " ".join(text.split())


def is_filler(text: str) -> bool:
    """A block with no letters or digits (a stray '-' or '|' left by a scraper)."""
    return not any(ch.isalnum() for ch in text)


@dataclass(frozen=True)
class _Matcher:
    """Finds the first pattern matching a whole block. The patterns without capturing groups are
    screened as one regex (a block it does not match matches none of them, so most prose blocks
    cost one test); those with groups are always tried, as a numbered back-reference would change
    its meaning inside a union."""

    patterns: tuple[Pattern, ...]
    screen: LowerCasePatterns
    grouped: tuple[Pattern, ...]

    def __call__(self, text: str) -> Pattern | None:
        text = normalised(text)
        candidates = self.patterns if self.screen.may_match(text, whole=True) else self.grouped
        return next((p for p in candidates if p.regex.fullmatch(text)), None)


@lru_cache(maxsize=32)
def _matcher(patterns: tuple[Pattern, ...]) -> _Matcher:
    """The screen is one union of the plain patterns, except those opening with an optional run
    (`.{0,120}\\b... cookies`): in a union each would be tried at length at every block, so they
    are screened on their own, by their required literals."""
    plain = [p.regex.pattern for p in patterns if p.regex.groups == 0]
    floating = [pattern for pattern in plain if opens_with_repeat(pattern)]
    anchored = [pattern for pattern in plain if pattern not in floating]
    screens = ([union(anchored)] if anchored else []) + floating
    return _Matcher(patterns, LowerCasePatterns(screens), tuple(p for p in patterns if p.regex.groups))


def is_title_like(article: "Article", block: "Block") -> bool:
    """A heading, a block that is all link, or a short line without closing punctuation (a page
    title); a title may be one question ("Ozempic face: is it real?")."""
    text = article.block_text(block).strip()
    if block.is_heading or is_link_only(article, block):
        return True
    if len(text.split()) > TITLE_MAX_WORDS:
        return False
    return not _TERMINAL.search(text) or (_QUESTION.search(text) is not None and not _SENTENCE_BREAK.search(text))


def is_link_only(article: "Article", block: "Block") -> bool:
    """Most of the block's text is link text."""
    linked = sum(min(link.end, block.end) - max(link.start, block.start) for link in article.links
                 if link.start < block.end and link.end > block.start)
    size = len(article.block_text(block).strip())
    return size > 0 and linked >= 0.8 * size


def regions(article: "Article", patterns: tuple[Pattern, ...]) -> list[Region]:
    """Maximal runs of chrome blocks, in order (found once per article and set of patterns: several
    rules and components ask)."""
    found = article.chrome_regions.get(patterns)
    if found is None:
        found = article.chrome_regions[patterns] = tuple(_find_regions(article, patterns))
    return list(found)


def _find_regions(article: "Article", patterns: tuple[Pattern, ...]) -> list[Region]:
    marks = _mark_blocks(article, patterns)
    _absorb_chrome_headings(article, marks)
    found: list[Region] = []
    start: int | None = None
    for index, block in enumerate(article.blocks):
        text = article.block_text(block)
        if marks[index] is not None:
            if start is None:
                start = index
            last = index
        elif start is not None and not is_filler(text):
            found.append(Region(start, last, marks[start] or ""))
            start = None
    if start is not None:
        found.append(Region(start, last, marks[start] or ""))
    return found


def chrome_blocks(article: "Article", patterns: tuple[Pattern, ...]) -> set[int]:
    """Indexes of every block inside a chrome region."""
    return {i for region in regions(article, patterns) for i in range(region.first, region.last + 1)}


def _mark_blocks(article: "Article", patterns: tuple[Pattern, ...]) -> list[str | None]:
    """For each block, the name of the pattern that makes it chrome (directly or as part of an opened section)."""
    marks: list[str | None] = [None] * len(article.blocks)
    match = _matcher(patterns)
    index = 0
    while index < len(article.blocks):
        hit = _hit(article, index, match)
        if hit is None:
            index += 1
            continue
        end = _extent(article, index, hit.kind, match)
        for covered in range(index, end):
            marks[covered] = marks[covered] or hit.name
        index = end
    return marks


def _hit(article: "Article", index: int, match: _Matcher) -> Pattern | None:
    """The pattern that makes block `index` chrome. A table cell counts only when every cell of its
    row is chrome: "Recommended" in a verdict column is content, a row of share buttons is not."""
    block = article.blocks[index]
    if block.quote:
        return None
    hit = match(article.block_text(block))
    if hit is None or block.kind != "table_cell":
        return hit
    row = _row(article, index)
    texts = [article.block_text(article.blocks[i]) for i in row]
    return hit if all(is_filler(text) or match(text) for text in texts) else None


def _row(article: "Article", index: int) -> range:
    """Indexes of the table cells in the row of cell `index`."""
    first, last = index, index
    while first > 0 and _same_row(article, first - 1, first):
        first -= 1
    while last + 1 < len(article.blocks) and _same_row(article, last, last + 1):
        last += 1
    return range(first, last + 1)


def _same_row(article: "Article", left: int, right: int) -> bool:
    """Two adjacent table cells with no row break between them in the source (a line break in
    Markdown, a `<tr>` in HTML)."""
    a, b = article.blocks[left], article.blocks[right]
    if a.kind != "table_cell" or b.kind != "table_cell":
        return False
    gap = article.source.text[article.offsets.to_source(a.end - 1) + 1:article.offsets.to_source(b.start)]
    return "<tr" not in gap.lower() if article.format == "html" else "\n" not in gap


def _extent(article: "Article", index: int, kind: str, match: _Matcher) -> int:
    """One past the last block covered by a pattern of `kind` found at block `index`. A chrome table
    row covers itself only. A link list ends at a block that is chrome in its own right ("Leave a
    Reply" after the related posts), which then opens its own region, and at a table."""
    if article.blocks[index].kind == "table_cell":
        return _row(article, index).stop
    if kind == "comments":
        return len(article.blocks)
    end = index + 1
    if kind == "links":
        while end < len(article.blocks) and _continues_links(article, end, match):
            end += 1
    return end


def _continues_links(article: "Article", index: int, match: _Matcher) -> bool:
    block = article.blocks[index]
    return block.kind != "table_cell" and is_title_like(article, block) and _hit(article, index, match) is None


def _absorb_chrome_headings(article: "Article", marks: list[str | None]) -> None:
    """A heading whose section holds only chrome (and filler) is chrome too ('Reviews' over 'no reviews yet')."""
    for heading, members in article.section_members.items():
        if marks[heading] is not None:
            continue
        texts = [article.block_text(article.blocks[i]) for i in members]
        chrome = [marks[i] for i, text in zip(members, texts) if not is_filler(text)]
        if chrome and all(chrome):
            marks[heading] = chrome[0]
