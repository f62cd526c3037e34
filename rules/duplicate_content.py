"""Flags a paragraph, list or section that repeats an earlier one, and a repeated heading.

## What it does
Compares every paragraph and every list (its items taken together) with the earlier ones of the
same kind by their normalised word shingles (lower case, punctuation dropped, runs of
`shingle_words` words). When the share of shingles two units have in common reaches `similarity`
(measured against the larger unit), the later one is reported, naming the line of the first.
Units shorter than `min_words` words are not compared, so stock phrases ("Talk to your doctor.")
do not count. A heading that repeats an earlier heading (same words once case, punctuation, small
words and the article's subject drug names are set aside) is reported too: the section is there twice.
The finding sits on the second occurrence. Site chrome (see `boilerplate`) and quoted blocks are ignored.

A unit is compared only with the earlier units that share one of its rarest shingles (enough of
them that no unit similar enough is missed), so the cost grows with the article's length, not with
the square of its number of paragraphs.

## Why is this bad?
Repeated sections are the mark of a hurried paste or a generator that lost its place. Readers
notice at once and trust the rest less; worse, the two copies drift apart when one is edited and
the article then contradicts itself.

## Example
```markdown
# Lisinopril basics

## Common side effects

A dry, tickly cough is the side effect people notice most often with lisinopril, and it can start
weeks after the first dose. Dizziness when standing up quickly is also common in the first days.

## Who should not take it

Lisinopril is not used in pregnancy because it can harm the developing baby.

## Common side effects

A dry, tickly cough is the side effect people notice most often with lisinopril, and it may start
weeks after the first dose. Dizziness when standing up quickly is also common in the first days.
```

## Use instead
```markdown
# Lisinopril basics

## Common side effects

A dry, tickly cough is the side effect people notice most often with lisinopril, and it can start
weeks after the first dose. Dizziness when standing up quickly is also common in the first days.

## Who should not take it

Lisinopril is not used in pregnancy because it can harm the developing baby.
```

## Not flagged
- A summary or FAQ answer that restates earlier points in new words: shared topic words are not
  shared word sequences.
- FAQ questions that share wording ("How long does sertraline take to work?" and "How long does
  sertraline stay in your system?"): headings must repeat as a whole.
- The same heading under different drugs in a comparison article ("Side effects" under "Sertraline"
  and again under "Fluoxetine"), when the drug component is available to tell them apart.
- Labels that recur by design (`Key points`, `Summary`, `Tips`; see rules/data/duplicate_content.yaml).
- Pull quotes (blockquotes) that repeat a sentence of the body.

## Options
- `similarity` (number, default `0.85`): the share of shingles two units must have in common.
- `min_words` (integer, default `15`): units with fewer words are not compared.
- `shingle_words` (integer, default `3`): words per shingle.
- `headings` (bool, default `true`): also report repeated headings.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Iterator, TYPE_CHECKING


from healthlint import boilerplate
from healthlint.article import Article, Block
from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import load_data

if TYPE_CHECKING:
    from spacy.tokens import Doc

RULE = Rule(
    id="duplicate-content",
    summary="A paragraph, list or section repeats an earlier one",
    severity=Severity.WARNING,
    tags=("hygiene",),
    options={"similarity": 0.85, "min_words": 15, "shingle_words": 3, "headings": True},
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass
class Unit:
    """A paragraph or a whole list: the blocks it spans and its shingle hashes."""

    kind: str
    blocks: tuple[int, ...]
    shingles: frozenset[int]


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    article = ctx.article
    skip = boilerplate.chrome_blocks(article, boilerplate.patterns_for(ctx.config, article.path))
    covered: set[int] = set()
    if ctx.options["headings"]:
        for heading, first in repeated_headings(doc, article, skip):
            covered.update(_section_members(article, heading))
            block = article.blocks[heading]
            text = " ".join(article.block_text(block).split())
            message = f"section {text!r} repeats the one on line {article.block_line(article.blocks[first])}; merge them or remove this copy"
            yield ctx.finding(block.start, block.end, message)
    units = [u for u in _units(article, skip, ctx.options["min_words"], ctx.options["shingle_words"])]
    for unit, earlier, share in near_duplicates(units, float(ctx.options["similarity"])):
        if covered.intersection(unit.blocks):
            continue
        first, block = article.blocks[earlier.blocks[0]], article.blocks[unit.blocks[0]]
        what = "paragraph" if unit.kind == "paragraph" else "list"
        message = f"{what} repeats the one on line {article.block_line(first)} ({share:.0%} the same); remove one copy"
        yield ctx.finding(block.start, article.blocks[unit.blocks[-1]].end, message)


def words(text: str) -> list[str]:
    """Lower-case words with punctuation dropped (curly apostrophes made straight)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def shingles(tokens: list[str], size: int) -> frozenset[int]:
    if len(tokens) <= size:
        return frozenset({hash(tuple(tokens))})
    return frozenset(map(hash, zip(*(tokens[i:] for i in range(size)))))


def near_duplicates(units: list[Unit], threshold: float) -> Iterator[tuple[Unit, Unit, float]]:
    """(later, earlier, share) for each unit whose best earlier match of the same kind reaches threshold.

    Exact, and without comparing every unit with every earlier one. Only shingles found in more than
    one unit can be shared; a unit holding fewer of them than `threshold` of its own cannot match
    either way. The others are compared only with the units they meet in a prefix (prefix filtering,
    Bayardo et al., "Scaling up all pairs similarity search", 2007): two units sharing `threshold`
    of the larger one's shingles must share one of each unit's len - floor(threshold * len) + 1
    rarest shingles. An exact copy matches its first copy in full and stays out of the index.
    """
    seen: set[int] = set()
    repeated: set[int] = set()
    for unit in units:
        repeated |= unit.shingles & seen
        seen |= unit.shingles
    frequency = Counter(chain.from_iterable(map(repeated.intersection, (unit.shingles for unit in units))))
    where: dict[int, list[int]] = defaultdict(list)
    first_copy: dict[tuple[str, frozenset[int]], int] = {}
    for position, unit in enumerate(units):
        shared = unit.shingles & repeated
        if len(shared) < math.floor(threshold * len(unit.shingles)):
            continue
        copied = first_copy.setdefault((unit.kind, unit.shingles), position)
        if copied != position:
            yield unit, units[copied], 1.0
            continue
        prefix = _shared_prefix(unit, shared, frequency, threshold)
        candidates = {earlier for shingle in prefix for earlier in where.get(shingle, ())}
        best = max(_shares(unit, units, candidates), default=None)
        if best is not None and best[0] >= threshold:
            yield unit, units[-best[1]], best[0]
        for shingle in prefix:
            where[shingle].append(position)


def _shared_prefix(unit: Unit, shared: set[int], frequency: Counter, threshold: float) -> list[int]:
    """The recurring shingles among the unit's rarest len - floor(threshold * len) + 1 (its own,
    unshared shingles are the rarest of all and can meet nothing)."""
    length = len(unit.shingles) - max(1, math.floor(threshold * len(unit.shingles))) + 1
    unshared = len(unit.shingles) - len(shared)
    return sorted(shared, key=lambda shingle: (frequency[shingle], shingle))[: max(0, length - unshared)]


def _shares(unit: Unit, units: list[Unit], candidates: set[int]) -> Iterator[tuple[float, int]]:
    """(share, -position) for each candidate earlier unit of the same kind that shares a shingle with unit."""
    for position in candidates:
        other = units[position]
        if other.kind == unit.kind:
            count = len(unit.shingles & other.shingles)
            if count:
                yield count / max(len(unit.shingles), len(other.shingles)), -position


def _units(article: Article, skip: set[int], min_words: int, size: int) -> Iterator[Unit]:
    """Paragraphs and whole lists outside chrome and quotes, long enough to compare."""
    groups: dict[int, list[int]] = defaultdict(list)
    for index, block in enumerate(article.blocks):
        if index in skip or block.quote:
            continue
        if block.kind == "paragraph":
            yield from _unit("paragraph", (index,), article, min_words, size)
        elif block.kind == "list_item" and block.list_group is not None:
            groups[block.list_group].append(index)
    for members in groups.values():
        yield from _unit("list", tuple(members), article, min_words, size)


def _unit(kind: str, members: tuple[int, ...], article: Article, min_words: int, size: int) -> Iterator[Unit]:
    tokens = words(" ".join(article.block_text(article.blocks[i]) for i in members))
    if len(tokens) >= min_words:
        yield Unit(kind, members, shingles(tokens, size))


def repeated_headings(doc: Doc, article: Article, skip: set[int]) -> Iterator[tuple[int, int]]:
    """(heading, earlier heading) block indexes for headings that repeat an earlier one in the same drug context.

    The drug contexts are worked out only when some heading's words recur at all.
    """
    mentions = _drug_mentions(doc, article)
    keyed = list(_heading_keys(article, skip, mentions, _stopwords() | {w for name in _subjects(doc, article) for w in words(name)}))
    counts = Counter(key for _, key in keyed)
    if not any(count > 1 for count in counts.values()):
        return
    contexts = _drug_contexts(article, mentions)
    seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, key in keyed:
        if counts[key] < 2:
            continue
        earlier = next((e for e in seen[key] if _compatible(contexts[e], contexts[index])), None)
        if earlier is not None:
            yield index, earlier
        seen[key].append(index)


def _heading_keys(
    article: Article, skip: set[int], mentions: dict[int, list[tuple[int, int, str]]], stop: frozenset[str]
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(block index, key) for each heading that could repeat: not chrome, quoted or the title, governing
    prose, and with words left once drug names and stop words are set aside (labels meant to recur are not)."""
    for index, block in enumerate(article.blocks):
        if not block.is_heading or index in skip or block.quote or _is_title(article, index):
            continue
        if not _has_content(article, index, skip):
            continue
        key = _heading_key(article, block, mentions.get(index, []), stop)
        if key and not _repeatable(key):
            yield index, key


def _is_title(article: Article, index: int) -> bool:
    return index == 0 and article.blocks[0].level == 1


def _has_content(article: Article, heading: int, skip: set[int]) -> bool:
    """The heading governs at least one block of prose that is not chrome."""
    return any(i not in skip and not boilerplate.is_filler(article.block_text(article.blocks[i]))
               for i in _section_members(article, heading))


def _section_members(article: Article, heading: int) -> list[int]:
    """The blocks a heading governs, not counting the heading itself."""
    return article.section_members.get(heading, [])


def _heading_key(article: Article, block: Block, drug_spans: list[tuple[int, int, str]], stop: frozenset[str]) -> tuple[str, ...]:
    """The heading's words without drug names and `stop` words (small words, the subjects' names)."""
    text = article.block_text(block)
    for start, end, _ in sorted(drug_spans, reverse=True):
        text = text[: start - block.start] + " " + text[end - block.start :]
    return tuple(w for w in words(text) if w not in stop)


def _compatible(first: frozenset[str], second: frozenset[str]) -> bool:
    """Not about different drugs: the sections' drug contexts are unknown or share a drug."""
    return not (first and second and first.isdisjoint(second))


def _drug_mentions(doc: Doc, article: Article) -> dict[int, list[tuple[int, int, str]]]:
    """Per block index, the drug mentions in it (start, end, generic); empty without the drug component."""
    found: dict[int, list] = defaultdict(list)
    if not doc.has_extension("drugs"):
        return found
    for mention in doc._.drugs or []:
        index = article.block_index_at(mention.start_char)
        if index is not None:
            found[index].append((mention.start_char, mention.end_char, mention.generic))
    return found


def _drug_contexts(article: Article, mentions: dict[int, list[tuple[int, int, str]]]) -> dict[int, frozenset[str]]:
    """Per heading, the drugs its section is about: those the heading names, else those its own text
    mentions most, else those of the nearest earlier heading at its level or above that names any."""
    contexts: dict[int, frozenset[str]] = {}
    named: list[tuple[int, frozenset[str]]] = []
    for index, block in enumerate(article.blocks):
        if not block.is_heading:
            continue
        own = frozenset(generic for _, _, generic in mentions.get(index, []))
        if own:
            named.append((block.level, own))
        contexts[index] = own or _dominant(article, index, mentions) or next(
            (drugs for level, drugs in reversed(named) if level <= block.level), frozenset())
    return contexts


def _dominant(article: Article, heading: int, mentions: dict[int, list[tuple[int, int, str]]]) -> frozenset[str]:
    """The drugs mentioned most often in a heading's own section text."""
    counts = Counter(generic for i in _section_members(article, heading) for _, _, generic in mentions.get(i, []))
    top = max(counts.values(), default=0)
    return frozenset(generic for generic, count in counts.items() if count == top and top)


def _subjects(doc: Doc, article: Article) -> frozenset[str]:
    """The article's subject drugs: from the drug component, else front matter drug/drugs."""
    if doc.has_extension("subjects") and doc._.subjects:
        return frozenset(doc._.subjects)
    front = article.front_matter if isinstance(article.front_matter, dict) else {}
    value = front.get("drugs", front.get("drug"))
    names = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return frozenset(str(name).strip().lower() for name in names if str(name).strip())


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(str(w) for w in load_data("duplicate_content").get("heading_stopwords") or [])


@lru_cache(maxsize=1)
def _repeatable_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(p), re.IGNORECASE) for p in load_data("duplicate_content").get("repeatable_headings") or [])


def _repeatable(key: tuple[str, ...]) -> bool:
    text = " ".join(key)
    return any(p.fullmatch(text) for p in _repeatable_patterns())
