"""hl_citations: where an article cites its sources.

Recognises numbered references "[1]" and footnotes "[^2]" that point to an entry of the article's
reference list (footnote definitions on consecutive lines included), Markdown/HTML links, author-year
citations "(Ashton, 2002)" / "Ashton et al. (2002)" / "(Ferrari et al., Lancet, 2001)", and
attributions to a named authority ("(FDA label)", "according to the prescribing information",
"NICE recommends", "a 2019 study in ...", "the REDUCE-IT trial"). Vocabulary lives in rules/data/citations.yaml.

Exposes `doc._.citations: list[Span]` (label_ = numbered|footnote|link|author-year|authority),
`doc._.cited_blocks: set[int]` (block indexes holding a citation), `doc._.reference_blocks: set[int]`
(the reference list's blocks) and `is_cited(doc, span)`.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants, _parser  # the regex parser of the standard library, to read where a pattern can start
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..phrases import lower_in_place
from ..ruledata import check_keys, load_data
from .tokens import token_table
from .windows import TokenPatterns

if TYPE_CHECKING:
    from ..article import Article, Block

_MARKER = re.compile(r"\[(\^?)([\w-]+(?:\s*[,–-]\s*[\w-]+)*)\]")
_FOOTNOTE = re.compile(r"\[\^([\w-]+)\]:")
_ENTRY_NUMBER = re.compile(r"^\s*(?:\[\^?([\w-]+)\]:?|\^?(\d+)[.)]|(\d+)\s)")
_YEAR = r"^(19|20)\d{2}[a-z]?$"
_AUTHOR_YEAR_BEFORE = 11  # the most tokens an author-year pattern holds before its year
_JOURNAL_WORDS = 4  # the most words of a journal's name in "(Ferrari et al., N Engl J Med, 2001)"
MAX_PARENTHESIS = 160  # how far past its sentence a parenthesised citation may run

for _name in ("citations", "cited_blocks", "reference_blocks"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    keys = {"reference_headings", "authorities", "attribution_verbs", "attribution_patterns"}
    return check_keys(load_data("citations"), keys, set(), "rules/data/citations.yaml")


@dataclass(frozen=True)
class Attribution:
    """An attribution pattern and its cues: lowercase text of which every match holds at least one.
    `scans` groups the cues for finding them: (a prefix of each of `cues`, those cues)."""

    regex: re.Pattern[str]
    cues: tuple[str, ...]
    scans: tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def attribution_patterns() -> list[Attribution]:
    vocab = vocabulary()
    authority = _screened("|".join(f"(?:{a})" for a in vocab["authorities"]))
    verbs = vocab["attribution_verbs"]
    found = []
    for index, item in enumerate(vocab["attribution_patterns"]):
        item = check_keys(item, {"pattern", "cues"}, set(), f"rules/data/citations.yaml: attribution_patterns[{index}]")
        pattern = item["pattern"].replace("{authority}", authority).replace("{verb}", "|".join(verbs))
        cues = tuple(word for cue in item["cues"] for word in (verbs if cue == "{verb}" else [cue]))
        found.append(Attribution(re.compile(pattern, re.IGNORECASE), cues, _scans(cues)))
    return found


def _scans(cues: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The cues grouped by their first four characters, each group under its common prefix: one
    search of the text for "recommend" finds both "recommends" and "recommended"."""
    groups: dict[str, list[str]] = {}
    for cue in cues:
        groups.setdefault(cue[:4], []).append(cue)
    return tuple((os.path.commonprefix(group), tuple(group)) for group in groups.values())


def _screened(alternation: str) -> str:
    """The alternation behind a lookahead for the characters it can start with (either case), when
    those are known: most places in a sentence then fail on one character test instead of trying
    every alternative."""
    first = first_characters(alternation)
    if first is None:
        return f"(?:{alternation})"
    letters = sorted({case for char in first for case in (char.lower(), char.upper())})
    return f"(?=(?i:[{''.join(map(re.escape, letters))}]))(?:{alternation})"


def first_characters(pattern: str) -> set[str] | None:
    """The ASCII characters, as written in `pattern`, that a match can start with (up to case), or None
    when that is not known (a character class, any character, a match that can be empty...)."""
    found, nullable = _first(list(_parser.parse(pattern)))
    return None if found is None or nullable else found


def _first(items: list[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match empty) of a parsed sequence; None: unknown."""
    found: set[str] = set()
    for opcode, argument in items:
        if opcode is _constants.LITERAL and chr(argument).isascii():
            return found | {chr(argument)}, False
        if opcode in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT):
            continue  # zero-width
        if opcode is _constants.SUBPATTERN:  # (group, add_flags, del_flags, items)
            part, nullable = _first(list(argument[3]))
        elif opcode is _constants.BRANCH:  # (None, alternatives)
            parts = [_first(list(alternative)) for alternative in argument[1]]
            if any(part is None for part, _ in parts):
                return None, False
            part, nullable = set().union(*(part for part, _ in parts)), any(empty for _, empty in parts)
        elif opcode in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):  # (min, max, items)
            part, nullable = _first(list(argument[2]))
            nullable = nullable or argument[0] == 0
        else:
            return None, False
        if part is None:
            return None, False
        found |= part
        if not nullable:
            return found, False
    return found, True


@Language.factory("hl_citations")
def make_citations(nlp: Language, name: str) -> "CitationFinder":
    return CitationFinder(nlp)


class CitationFinder:
    def __init__(self, nlp: Language) -> None:
        self.patterns = TokenPatterns()
        year = {"TEXT": {"REGEX": _YEAR}}
        name = {"IS_TITLE": True, "IS_ALPHA": True}
        etal = [{"LOWER": "et", "OP": "?"}, {"LOWER": {"IN": ["al", "al."]}, "OP": "?"}, {"ORTH": ".", "OP": "?"}]
        joined = [{"LOWER": {"IN": ["and", "&"]}, "OP": "?"}, {"IS_TITLE": True, "OP": "?"}]
        # "(Ferrari et al., Lancet, 2001)": a journal between "et al." (required) and the year
        journal = [{"LOWER": "et"}, {"LOWER": {"IN": ["al", "al."]}}, {"ORTH": ".", "OP": "?"}, {"ORTH": ","},
                   *_journal_words(), {"ORTH": ",", "OP": "?"}]
        close = {"ORTH": {"IN": [")", ";", ","]}}
        self.patterns.add(
            "author-year",
            [
                [{"ORTH": "("}, name, *etal, *joined, {"ORTH": ",", "OP": "?"}, year, {"ORTH": ")"}],
                [{"ORTH": "("}, name, *etal, *joined, {"ORTH": ",", "OP": "?"}, year, {"ORTH": {"IN": [";", ","]}}],
                [{"ORTH": "("}, name, *journal, year, close],
                [name, *etal, {"ORTH": "("}, year, {"ORTH": ")"}],
            ],
        )

    def __call__(self, doc: Doc) -> Doc:
        article = doc._.article
        references, defined = reference_list(doc)
        doc._.reference_blocks = references
        found: list[Span] = []
        found += _markers(doc, defined, references)
        found += _links(doc)
        found += self._author_years(doc)
        found += _attributions(doc)
        blocks = [_block_index(article, span) for span in found]
        kept = [(span, block) for span, block in zip(found, blocks) if block not in references]
        doc._.citations = sorted((span for span, _ in kept), key=lambda s: (s.start, s.end))
        doc._.cited_blocks = {block for _, block in kept if block is not None}
        return doc

    def _author_years(self, doc: Doc) -> list[Span]:
        """Author-year citations, matched only around the tokens that can be their year."""
        table = token_table(doc)
        years = {i for i in map(table.token_at, _year_starts(doc._.text)) if re.match(_YEAR, table.text[i])}
        starts = (year - back for year in years for back in range(_AUTHOR_YEAR_BEFORE + 1))
        return [Span(doc, start, end, label="author-year") for _, start, end in self.patterns.matches(table, starts)]


def _journal_words() -> list[dict[str, Any]]:
    """A journal's name: one to _JOURNAL_WORDS capitalised words ("Lancet", "JAMA", "N Engl J Med")."""
    word = {"TEXT": {"REGEX": r"^[A-Z][A-Za-z]*$"}}
    return [word, *({**word, "OP": "?"} for _ in range(_JOURNAL_WORDS - 1))]


def _year_starts(text: str) -> list[int]:
    """The offsets where "19" or "20" occurs (where a year token can start)."""
    found = []
    for century in ("19", "20"):
        at = text.find(century)
        while at != -1:
            found.append(at)
            at = text.find(century, at + 1)
    return found


def is_cited(doc: Doc, span: Span) -> bool:
    """True when the span's sentence or paragraph (block) holds a citation; for a table cell, when the
    table or the paragraph just before or after it does."""
    extensions = doc._  # each `doc._` makes a new accessor: read the three extensions through one
    article = extensions.article
    cited = extensions.cited_blocks or set()
    block = _block_index(article, span)
    if block is not None:
        return block in cited or bool(_table_around(article.blocks, block) & cited)
    sentence = span.sent
    return any(sentence.start <= c.start < sentence.end for c in extensions.citations or [])


def reference_list(doc: Doc) -> tuple[set[int], set[str]]:
    """Block indexes of the reference list (blocks under a References heading, and footnote definitions)
    and the marker labels its entries define ("1", "2", "^note")."""
    article = doc._.article
    if article is None:
        return set(), set()
    headings = _reference_headings()
    blocks: set[int] = set()
    labels: set[str] = set()
    inside: int | None = None
    counter = 0
    for index, block in enumerate(article.blocks):
        text = article.block_text(block).strip()
        if block.is_heading:
            title = text.strip(" :#*").lower()
            if title in headings:
                inside, counter = block.level, 0
                blocks.add(index)
                continue
            if inside is not None and block.level <= max(inside, 1):
                inside = None
        footnotes = _footnote_definitions(article, block) if text.startswith("[^") else []
        if footnotes:
            blocks.add(index)
            labels.update("^" + label for label in footnotes)
            continue
        if inside is not None:
            blocks.add(index)
            counter += 1
            number = _ENTRY_NUMBER.match(text)
            label = next((g for g in number.groups() if g), None) if number else None
            labels.add(label or str(counter))
    return blocks, labels


def _footnote_definitions(article: "Article", block: "Block") -> list[str]:
    """The labels of the footnote definitions in a block that opens with one: definitions written on
    consecutive lines share a paragraph ("[^1]: ...\n[^2]: ..."), each at the start of a source line."""
    text = article.block_text(block)
    return [match.group(1) for match in _FOOTNOTE.finditer(text)
            if not text[:match.start()].strip() or _starts_source_line(article, block.start + match.start())]


def _starts_source_line(article: "Article", offset: int) -> bool:
    """Only indentation (or blockquote markers) lies between the source line's start and `offset`."""
    source = article.source.text
    at = article.offsets.to_source(offset)
    return not source[source.rfind("\n", 0, at) + 1:at].strip(" \t>")


@lru_cache(maxsize=1)
def _reference_headings() -> frozenset[str]:
    return frozenset(vocabulary()["reference_headings"])


def _markers(doc: Doc, defined: set[str], references: set[int]) -> list[Span]:
    spans = []
    for match in _MARKER.finditer(doc._.text):
        footnote = match.group(1) == "^"
        labels = _expand(match.group(2))
        keys = {("^" + label) if footnote else label for label in labels}
        if not labels or not keys <= defined:
            continue
        span = doc.char_span(match.start(), match.end(), label="footnote" if footnote else "numbered", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def _expand(text: str) -> list[str]:
    """"1, 3-5" -> ["1", "3", "4", "5"]; footnote names stay as they are."""
    labels: list[str] = []
    for part in re.split(r"\s*,\s*", text):
        bounds = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", part)
        if bounds and int(bounds.group(1)) <= int(bounds.group(2)) <= int(bounds.group(1)) + 50:
            labels += [str(n) for n in range(int(bounds.group(1)), int(bounds.group(2)) + 1)]
        elif part:
            labels.append(part)
    return labels


def _links(doc: Doc) -> list[Span]:
    article = doc._.article
    spans = []
    for link in article.links if article is not None else []:
        if not link.url or link.url.startswith(("mailto:", "tel:", "javascript:")):
            continue
        span = doc.char_span(link.start, max(link.end, link.start + 1), label="link", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def _attributions(doc: Doc) -> list[Span]:
    """Matches of the attribution patterns, sentence by sentence; a pattern is only tried on the
    sentences that hold one of its cues."""
    table = token_table(doc)
    text = doc._.text
    starts = [table.start[first] for first, _ in table.sentences]
    ends = [table.end[last - 1] for _, last in table.sentences]
    lowered = lower_in_place(text)
    spans = []
    for pattern in attribution_patterns():
        holding = _holding(lowered, starts, ends, pattern.scans) if lowered is not None else _holding_each(text, starts, ends, pattern.cues)
        for index in sorted(holding):
            start, end = starts[index], ends[index]
            end = _through_parenthesis(text, start, end)
            for match in pattern.regex.finditer(text[start:end]):
                span = doc.char_span(start + match.start(), start + match.end(), label="authority", alignment_mode="expand")
                if span is not None:
                    spans.append(span)
    return spans


def _through_parenthesis(text: str, start: int, end: int) -> int:
    """Where a sentence that opens a parenthesis it does not close should end: at that parenthesis's
    close, when it comes soon (the sentence splitter breaks "(Keeney GE, et al. Pediatrics. 2014)" at its dots)."""
    if text.count("(", start, end) <= text.count(")", start, end):
        return end
    close = text.find(")", end, end + MAX_PARENTHESIS)
    return close + 1 if close != -1 else end


def _holding(lowered: str, starts: list[int], ends: list[int], scans: tuple[tuple[str, tuple[str, ...]], ...]) -> set[int]:
    """Indexes of the sentences (character ranges [starts[i], ends[i]) of `lowered`, the lower-cased
    text) that hold one of the cues (see Attribution.scans)."""
    found = set()
    for prefix, cues in scans:
        at = lowered.find(prefix)
        while at != -1:
            index = bisect.bisect_right(starts, at) - 1
            if index >= 0 and index not in found and any(at + len(cue) <= ends[index] and lowered.startswith(cue, at) for cue in cues):
                found.add(index)
            at = lowered.find(prefix, at + 1)
    return found


def _holding_each(text: str, starts: list[int], ends: list[int], cues: tuple[str, ...]) -> set[int]:
    """_holding for a text that lower-casing would lengthen ("İ"): each sentence lower-cased on its own."""
    return {index for index, (start, end) in enumerate(zip(starts, ends)) if any(cue in text[start:end].lower() for cue in cues)}


def _table_around(blocks: "list[Block]", index: int) -> set[int]:
    """A table cell's whole table plus the blocks just before and after it (caption, source line)."""
    if blocks[index].kind != "table_cell":
        return set()
    first = last = index
    while first > 0 and blocks[first - 1].kind == "table_cell":
        first -= 1
    while last + 1 < len(blocks) and blocks[last + 1].kind == "table_cell":
        last += 1
    return set(range(max(0, first - 1), min(len(blocks), last + 2)))


def _block_index(article: "Article | None", span: Span) -> int | None:
    """The index of the block holding the span's start."""
    if article is None:
        return None
    block = article.block_at(span.start_char)
    return article.block_index(block) if block is not None else None
