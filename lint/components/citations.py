"""hl_citations: where an article cites its sources.

Recognises numbered references "[1]" and footnotes "[^2]" that point to an entry of the article's
reference list, Markdown/HTML links, author-year citations "(Ashton, 2002)" / "Ashton et al. (2002)",
and attributions to a named authority ("(FDA label)", "according to the prescribing information",
"NICE recommends", "a 2019 study in ..."). Vocabulary lives in rules/data/citations.yaml.

Exposes `doc._.citations: list[Span]` (label_ = numbered|footnote|link|author-year|authority),
`doc._.cited_blocks: set[int]` (block indexes holding a citation), `doc._.reference_blocks: set[int]`
(the reference list's blocks) and `is_cited(doc, span)`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..phrases import lower_in_place
from ..ruledata import check_keys, load_data
from .tokens import token_table
from .windows import TokenPatterns

_MARKER = re.compile(r"\[(\^?)([\w-]+(?:\s*[,–-]\s*[\w-]+)*)\]")
_ENTRY_NUMBER = re.compile(r"^\s*(?:\[\^?([\w-]+)\]:?|\^?(\d+)[.)]|(\d+)\s)")
_YEAR = r"^(19|20)\d{2}[a-z]?$"
_AUTHOR_YEAR_BEFORE = 8  # the most tokens an author-year pattern holds before its year

for _name in ("citations", "cited_blocks", "reference_blocks"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    keys = {"reference_headings", "authorities", "attribution_verbs", "attribution_patterns"}
    return check_keys(load_data("citations"), keys, set(), "rules/data/citations.yaml")


@dataclass(frozen=True)
class Attribution:
    """An attribution pattern and its cues: lowercase text of which every match holds at least one."""

    regex: re.Pattern[str]
    cues: tuple[str, ...]


@lru_cache(maxsize=1)
def attribution_patterns() -> list[Attribution]:
    vocab = vocabulary()
    authority = "|".join(f"(?:{a})" for a in vocab["authorities"])
    verbs = vocab["attribution_verbs"]
    found = []
    for index, item in enumerate(vocab["attribution_patterns"]):
        item = check_keys(item, {"pattern", "cues"}, set(), f"rules/data/citations.yaml: attribution_patterns[{index}]")
        pattern = item["pattern"].replace("{authority}", authority).replace("{verb}", "|".join(verbs))
        cues = tuple(word for cue in item["cues"] for word in (verbs if cue == "{verb}" else [cue]))
        found.append(Attribution(re.compile(pattern, re.IGNORECASE), cues))
    return found


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
        self.patterns.add(
            "author-year",
            [
                [{"ORTH": "("}, name, *etal, *joined, {"ORTH": ",", "OP": "?"}, year, {"ORTH": ")"}],
                [{"ORTH": "("}, name, *etal, *joined, {"ORTH": ",", "OP": "?"}, year, {"ORTH": {"IN": [";", ","]}}],
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
        found = [span for span in found if _block_of(doc, span) not in references]
        doc._.citations = sorted(found, key=lambda s: (s.start, s.end))
        doc._.cited_blocks = {b for b in (_block_of(doc, s) for s in found) if b is not None}
        if article is None:
            doc._.cited_blocks = set()
        return doc

    def _author_years(self, doc: Doc) -> list[Span]:
        """Author-year citations, matched only around the tokens that can be their year."""
        table = token_table(doc)
        years = {i for i in map(table.token_at, _year_starts(doc._.text)) if re.match(_YEAR, table.text[i])}
        starts = (year - back for year in years for back in range(_AUTHOR_YEAR_BEFORE + 1))
        return [Span(doc, start, end, label="author-year") for _, start, end in self.patterns.matches(table, starts)]


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
    cited = doc._.cited_blocks or set()
    block = _block_of(doc, span)
    if block is not None:
        return bool(_table_around(doc, block) & cited) or block in cited
    sentence = span.sent
    return any(sentence.start <= c.start < sentence.end for c in doc._.citations or [])


def reference_list(doc: Doc) -> tuple[set[int], set[str]]:
    """Block indexes of the reference list (blocks under a References heading, and footnote definitions)
    and the marker labels its entries define ("1", "2", "^note")."""
    article = doc._.article
    if article is None:
        return set(), set()
    headings = set(vocabulary()["reference_headings"])
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
        footnote = re.match(r"^\[\^([\w-]+)\]:", text)
        if footnote:
            blocks.add(index)
            labels.add("^" + footnote.group(1))
            continue
        if inside is not None:
            blocks.add(index)
            counter += 1
            number = _ENTRY_NUMBER.match(text)
            label = next((g for g in number.groups() if g), None) if number else None
            labels.add(label or str(counter))
    return blocks, labels


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
        holding = _holding(lowered, starts, ends, pattern.cues) if lowered is not None else _holding_each(text, starts, ends, pattern.cues)
        for index in sorted(holding):
            start, end = starts[index], ends[index]
            for match in pattern.regex.finditer(text[start:end]):
                span = doc.char_span(start + match.start(), start + match.end(), label="authority", alignment_mode="expand")
                if span is not None:
                    spans.append(span)
    return spans


def _holding(lowered: str, starts: list[int], ends: list[int], cues: tuple[str, ...]) -> set[int]:
    """Indexes of the sentences (character ranges [starts[i], ends[i]) of `lowered`, the lower-cased
    text) that hold one of the cues."""
    found = set()
    for cue in cues:
        at = lowered.find(cue)
        while at != -1:
            index = bisect.bisect_right(starts, at) - 1
            if index >= 0 and at + len(cue) <= ends[index]:
                found.add(index)
            at = lowered.find(cue, at + 1)
    return found


def _holding_each(text: str, starts: list[int], ends: list[int], cues: tuple[str, ...]) -> set[int]:
    """_holding for a text that lower-casing would lengthen ("İ"): each sentence lower-cased on its own."""
    return {index for index, (start, end) in enumerate(zip(starts, ends)) if any(cue in text[start:end].lower() for cue in cues)}


def _table_around(doc: Doc, index: int) -> set[int]:
    """A table cell's whole table plus the blocks just before and after it (caption, source line)."""
    blocks = doc._.article.blocks
    if blocks[index].kind != "table_cell":
        return set()
    first = last = index
    while first > 0 and blocks[first - 1].kind == "table_cell":
        first -= 1
    while last + 1 < len(blocks) and blocks[last + 1].kind == "table_cell":
        last += 1
    return set(range(max(0, first - 1), min(len(blocks), last + 2)))


def _block_of(doc: Doc, span: Span) -> int | None:
    article = doc._.article
    if article is None:
        return None
    block = article.block_at(span.start_char)
    return article.block_index(block) if block is not None else None
