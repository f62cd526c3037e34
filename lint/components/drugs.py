"""hl_drugs: drug mentions, the article's subject drugs, and ConText-style cues on each mention.

Doc extensions: `drugs` (DrugMention records in text order), `subjects`, `block_subjects`, plus
`glued_drugs` (drug names fused to a word), `drug_pairs` (stated brand-generic pairings) and
`drug_article_cues`. Each mention carries its generic, `is_brand`, `classes` and `cues` (cue names:
heading, quoted, comment, parenthetical, comparison, switching, interaction, list, paired, adjacent,
multi_drug, other_drugs_section, headline). Mentions are plain records, not spaCy Spans: an article
holds dozens, and a Span with extension attributes costs several times more to make and to read.
Triggers and section headings come from rules/data/drug_context.yaml.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon import DrugEntry, Lexicon, lexicon_for_key, load_checked, name_words
from .tokens import TokenTable, token_table

CONTEXT_KEYS = frozenset({"triggers", "window", "section_headings", "article_cues", "pairings", "compound_prefixes", "compound_suffixes", "generic_qualifiers", "endogenous", "pseudo_triggers"})
_QUOTES = ("\"", "“", "”")
_LIST_GAP = re.compile(r"^[\s,;/&()]*(?:and|or|nor|plus|as well as|and/or)?[\s,(]*$", re.IGNORECASE)
_PAREN_CONTENT = re.compile(r"\([^()]*\)")
_LINK_NOISE = re.compile(r"[^\w\s]")
NAME_JOINERS = "-.'’"
MIN_GLUED_DRUG = 5
HEADLINE_WORDS = 14
_SENTENCE_END = tuple(".!?;:,…")
_PAIR_CLOSERS = (")", ",", ";", "/", "]")  # "Klonopin (clonazepam)", not "valproate (Lamictal prescribing information)"


@dataclass(slots=True)
class DrugMention:
    """A drug name in the analysed text: tokens [start, end), characters [start_char, end_char);
    `cues` is set by mark_cues."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    generic: str
    is_brand: bool
    classes: frozenset[str]
    cues: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GluedDrug:
    """A drug name fused to a neighbouring word inside one token: [start, end) is the token,
    [drug_start, drug_end) the drug name, `split` the token with a space at the junction."""

    start: int
    end: int
    drug_start: int
    drug_end: int
    generic: str
    is_brand: bool
    classes: frozenset[str]
    split: str
    cues: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        return self.split.replace(" ", "", 1)


for _name, _default in (("drugs", None), ("subjects", None), ("block_subjects", None), ("glued_drugs", None),
                        ("drug_pairs", None), ("drug_article_cues", frozenset())):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@lru_cache(maxsize=1)
def context_data() -> dict[str, Any]:
    """rules/data/drug_context.yaml, key-checked, with phrase lists tokenised."""
    data = dict(load_checked("drug_context", CONTEXT_KEYS))
    for cue, directions in data["triggers"].items():
        unknown = set(directions) - {"both", "forward", "backward"}
        if unknown:
            raise ValueError(f"rules/data/drug_context.yaml: triggers.{cue}: unknown direction {sorted(unknown)}")
    return data


@Language.factory("hl_drugs", default_config={"lexicon_key": ""})
def make_drugs(nlp: Language, name: str, lexicon_key: str) -> "DrugMarker":
    return DrugMarker(lexicon_key)


class DrugMarker:
    """Marks drug mentions, subjects and cues; the lexicon loads on first use."""

    def __init__(self, lexicon_key: str) -> None:
        self.lexicon_key = lexicon_key

    def __call__(self, doc: Doc) -> Doc:
        lexicon = lexicon_for_key(self.lexicon_key)
        article = doc._.article
        doc._.drugs = match_drugs(doc, lexicon)
        doc._.glued_drugs = find_glued(doc, lexicon)
        if article is None:
            doc._.subjects, doc._.block_subjects, doc._.drug_pairs = [], [], []
            return doc
        doc._.subjects = article_subjects(doc, lexicon)
        doc._.block_subjects = block_subjects(doc, lexicon)
        doc._.drug_article_cues = article_cues(doc)
        doc._.drug_pairs = find_pairings(doc)
        mark_cues(doc)
        return doc


# ---------------------------------------------------------------- matching


def match_drugs(doc: Doc, lexicon: Lexicon) -> list[DrugMention]:
    """Longest-first matching of lexicon names over tokens (case-insensitive; "'s" is its own token)."""
    table = token_table(doc)
    text, lower = doc._.text, table.lower
    first_words = lexicon.first_words
    mentions: list[DrugMention] = []
    next_free = 0
    for i in lexicon.candidate_positions(lower):
        word = lower[i]
        if i < next_free or not word.isalpha():
            continue
        found = _longest_phrase(table, i, lexicon) if word in first_words and _may_start_phrase(table, i, lexicon) else None
        if found is None:
            entry = lexicon.lookup_word(word)
            found = None if entry is None else (i + 1, entry)
        if found is not None:
            next_free, entry = found
            start_char, end_char = table.start[i], table.end[next_free - 1]
            mentions.append(DrugMention(i, next_free, start_char, end_char, text[start_char:end_char], entry.generic, entry.is_brand, entry.classes))
    return mentions


def _longest_phrase(table: TokenTable, i: int, lexicon: Lexicon) -> tuple[int, DrugEntry] | None:
    """The longest name of two or more (up to lexicon.max_words) tokens starting at token i, on one line."""
    for end in range(min(len(table.text), i + lexicon.max_words), i + 1, -1):
        if any(table.text[j].isspace() for j in range(i, end - 1)) or not table.text[end - 1].isalpha():
            continue
        entry = lexicon.lookup(_surface(table, i, end))
        if entry is not None:
            return end, entry
    return None


def _may_start_phrase(table: TokenTable, i: int, lexicon: Lexicon) -> bool:
    """False when tokens i and i+1 cannot begin a multi-word name (its words joined by a space,
    a hyphen, a dot or an apostrophe)."""
    if i + 1 >= len(table.text):
        return False
    following = table.text[i + 2][:1] if i + 2 < len(table.text) else " "
    second_complete = table.space_after[i + 1] or not (following.isalnum() or following in "'’")
    second = table.lower[i + 1]
    if table.space_after[i] and second.isalnum():
        return not second_complete or f"{table.lower[i]} {second}" in lexicon.phrase_starts
    if not table.space_after[i] and not (second[:1].isalnum() or second[:1] in NAME_JOINERS):
        return False
    words = name_words(_surface(table, i, i + 2))
    return len(words) < 2 or not second_complete or f"{words[0]} {words[1]}" in lexicon.phrase_starts


def _surface(table: TokenTable, start: int, end: int) -> str:
    return "".join(table.text[j] + (" " if table.space_after[j] else "") for j in range(start, end)).strip().replace(" - ", "-")


def find_glued(doc: Doc, lexicon: Lexicon) -> list[GluedDrug]:
    """Tokens that are a drug name fused to a common English word or another drug name."""
    table = token_table(doc)
    unknown = {word for word in set(table.lower) if len(word) >= MIN_GLUED_DRUG + 2 and word.isalpha() and not lexicon.is_known_word(word)}
    if not unknown:
        return []
    found = []
    for i in [i for i, word in enumerate(table.lower) if word in unknown]:
        text = table.text[i]
        glued = _split_glued(text, lexicon)
        if glued is not None:
            offset, length, entry = glued
            split = text[: offset + length] + " " + text[offset + length :] if offset == 0 else text[:offset] + " " + text[offset:]
            start = table.start[i]
            found.append(GluedDrug(start, start + len(text), start + offset, start + offset + length, entry.generic, entry.is_brand, entry.classes, split))
    return found


def _split_glued(text: str, lexicon: Lexicon) -> tuple[int, int, DrugEntry] | None:
    """(offset, length, entry) of the longest common drug name at either end whose remainder is a word."""
    lower = text.lower()
    suffixes = set(context_data()["compound_suffixes"])
    prefixes = set(context_data()["compound_prefixes"])  # a metabolite's name ("norfluoxetine") is not glued
    best = None
    common = lexicon.misspelling_targets()
    for cut in range(2, len(lower) - 1):
        head, tail = lower[:cut], lower[cut:]
        entry = lexicon.lookup(head) if head in common else None
        if entry and tail not in suffixes and _is_glue_word(tail, lexicon) and (best is None or cut > best[1]):
            best = (0, cut, entry)
        entry = lexicon.lookup(tail) if tail in common and head not in prefixes else None
        if entry and _is_glue_word(head, lexicon, prefix=True) and (best is None or len(tail) > best[1]):
            best = (cut, len(tail), entry)
    return best


def _is_glue_word(word: str, lexicon: Lexicon, prefix: bool = False) -> bool:
    if lexicon.is_common_english(word):
        return not prefix or word not in context_data()["compound_suffixes"]
    return word in lexicon.misspelling_targets()


# ---------------------------------------------------------------- subjects


def _generics_in(doc: Doc, block: Any) -> list[str]:
    """Distinct generics mentioned in a block, in order."""
    return _generics_by_block(doc).get(block.start, [])


def _generics_by_block(doc: Doc) -> dict[int, list[str]]:
    """Block start -> distinct generics mentioned in the block, in order (indexed once per Doc)."""
    by_block = doc.user_data.get("hl_block_generics")
    if by_block is None:
        by_block = doc.user_data["hl_block_generics"] = {}
        article = doc._.article
        for mention in doc._.drugs:
            home = article.block_at(mention.start_char)
            if home is not None and mention.start_char < home.end and mention.generic not in by_block.setdefault(home.start, []):
                by_block[home.start].append(mention.generic)
    return by_block


def _generics_of_text(text: str, lexicon: Lexicon) -> list[str]:
    """Generics named in a short text (front matter title), by trying 1..3-word windows."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    found: list[str] = []
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            entry = lexicon.lookup(" ".join(words[i : i + size]))
            if entry and entry.generic not in found:
                found.append(entry.generic)
    return found


def article_subjects(doc: Doc, lexicon: Lexicon) -> list[str]:
    """Front matter drug/drugs, the title and first heading, other headings; then the dominant drug by count."""
    article = doc._.article
    counts = Counter(mention.generic for mention in doc._.drugs) + Counter(g.generic for g in doc._.glued_drugs)
    ranked: list[str] = []
    front = article.front_matter if isinstance(article.front_matter, dict) else {}
    declared = front.get("drugs", front.get("drug", []))
    for name in [declared] if isinstance(declared, str) else declared or []:
        entry = lexicon.lookup(str(name))
        ranked.append(entry.generic if entry else str(name).lower())
    if article.title:
        ranked += _generics_of_text(article.title, lexicon)
    headings = [b for b in article.blocks if b.is_heading]
    for block in headings:
        ranked += _generics_in(doc, block)
    subjects = list(dict.fromkeys(ranked))
    if not subjects and counts:
        top, count = counts.most_common(1)[0]
        if count >= 2 and count * 2 >= sum(counts.values()):
            subjects.append(top)
    return subjects


def block_subjects(doc: Doc, lexicon: Lexicon) -> list[str | None]:
    """Per block: the one drug its heading chain names (nearest heading first), else None."""
    blocks = doc._.article.blocks
    parents = _heading_parents(blocks)
    by_block = _generics_by_block(doc)
    return [_chain_subject(blocks, parents, by_block, index) for index in range(len(blocks))]


def heading_chain(blocks: list[Any], parents: list[int | None], index: int) -> Iterable[int]:
    """Indexes of the headings governing block `index`, nearest first (itself when it is a heading);
    `parents` from _heading_parents(blocks)."""
    current = index if blocks[index].is_heading else blocks[index].section
    while current is not None:
        yield current
        current = parents[current]


def _heading_parents(blocks: list[Any]) -> list[int | None]:
    """For each heading, the nearest earlier heading of a higher rank (lower level); None elsewhere."""
    parents: list[int | None] = [None] * len(blocks)
    open_headings: list[int] = []
    for index, block in enumerate(blocks):
        if block.is_heading:
            while open_headings and blocks[open_headings[-1]].level >= block.level:
                open_headings.pop()
            parents[index] = open_headings[-1] if open_headings else None
            open_headings.append(index)
    return parents


def _chain_subject(blocks: list[Any], parents: list[int | None], by_block: dict[int, list[str]], index: int) -> str | None:
    for heading in heading_chain(blocks, parents, index):
        generics = by_block.get(blocks[heading].start, [])
        if len(generics) == 1:
            return generics[0]
        if len(generics) > 1:
            return None
    return None


def article_cues(doc: Doc) -> frozenset[str]:
    """"comparison" for articles about several drugs (two or more subjects named in the title or front matter)."""
    article = doc._.article
    lexicon_subjects = doc._.subjects
    title_words = set(re.findall(r"[\w.]+", (article.title or "").lower()))
    cue_words = set(context_data()["article_cues"])
    first_two = lexicon_subjects[:2]
    if len(first_two) == 2 and (title_words & cue_words or len(_title_generics(doc)) >= 2):
        return frozenset({"comparison"})
    return frozenset()


def _title_generics(doc: Doc) -> list[str]:
    article = doc._.article
    heading = next((b for b in article.blocks if b.is_heading), None)
    return _generics_in(doc, heading) if heading is not None and heading.level <= 1 else []


# ---------------------------------------------------------------- pairings and cues


def _normal_link(text: str) -> str:
    return " ".join(_LINK_NOISE.sub(" ", text.lower()).split())


@lru_cache(maxsize=1)
def _pairing_links() -> tuple[frozenset[str], frozenset[str]]:
    pairings = context_data()["pairings"]
    return frozenset(_normal_link(x) for x in pairings["brand_first"]), frozenset(_normal_link(x) for x in pairings["generic_first"])


def find_pairings(doc: Doc) -> list[tuple[DrugMention, DrugMention]]:
    """Stated brand-generic pairings as (brand, generic): "Klonopin (clonazepam)", "diazepam, sold as Valium"."""
    brand_first, generic_first = _pairing_links()
    text, sentence_of, drugs = doc._.text, token_table(doc).sentence_of, doc._.drugs
    pairs = []
    for index, (first, second) in enumerate(zip(drugs, drugs[1:])):
        if sentence_of[first.start] != sentence_of[second.start]:
            continue
        gap = text[first.end_char : second.start_char]
        parenthesis = gap.strip() == "(" and text[second.end_char :].lstrip()[:1] in _PAIR_CLOSERS
        first_brand, second_brand = first.is_brand, second.is_brand
        if parenthesis or first_brand != second_brand:
            link = None if parenthesis else _normal_link(gap) or None
            if first_brand and not second_brand and (parenthesis or link in brand_first):
                pairs.append((first, second))
            elif second_brand and not first_brand and (parenthesis or link in generic_first):
                pairs.append((second, first))
    return pairs


def mark_cues(doc: Doc) -> None:
    """Set the cues of every mention (and of glued mentions)."""
    scan = _CueScan(doc)
    drugs = doc._.drugs
    sentence_of = scan.table.sentence_of
    paired = {id(s) for pair in doc._.drug_pairs for s in pair}
    neighbours = _neighbour_cues(drugs, scan)
    drugs_by_sentence: dict[int, set[str]] = defaultdict(set)
    for mention in drugs:
        drugs_by_sentence[sentence_of[mention.start]].add(mention.generic)
    for position, mention in enumerate(drugs):
        sentence = sentence_of[mention.start]
        cues = set(neighbours.get(position, ()))
        cues |= scan.local_cues(mention.start_char, mention.end_char, sentence)
        cues |= scan.section_cues(mention.start_char)
        if id(mention) in paired:
            cues.add("paired")
        if drugs_by_sentence[sentence] - {mention.generic}:
            cues.add("multi_drug")
        mention.cues = frozenset(cues)
    doc._.glued_drugs = [_glued_with_cues(glued, scan, drugs_by_sentence) for glued in doc._.glued_drugs]


def _glued_with_cues(glued: GluedDrug, scan: "_CueScan", drugs_by_sentence: dict[int, set[str]]) -> GluedDrug:
    sentence = scan.table.sentence_of[scan.table.token_at(glued.start)]
    cues = scan.local_cues(glued.drug_start, glued.drug_end, sentence) | scan.section_cues(glued.start)
    if drugs_by_sentence[sentence] - {glued.generic}:
        cues.add("multi_drug")
    return GluedDrug(**{**glued.__dict__, "cues": frozenset(cues)})


class _CueScan:
    """What cue marking reads per Doc: the text, the token table, the section flags of each block, and
    the trigger hits of each sentence (found in one pass over the Doc's words)."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc._.text
        self.table = token_table(doc)
        self.article = doc._.article
        self.sections = _section_flags(doc)
        self.window = int(context_data()["window"])
        self.hits = _trigger_hits(self.table)

    def section_cues(self, offset: int) -> set[str]:
        index = self.article.block_index_at(offset)
        return set() if index is None else self.sections[index]

    def local_cues(self, start: int, end: int, sentence: int) -> set[str]:
        """Parenthetical, quoted and trigger cues from the mention's sentence."""
        cues: set[str] = set()
        before = self.text[self.table.sentence_span(sentence)[0] : start]
        if before.count("(") > before.count(")"):
            cues.add("parenthetical")
        if sum(map(before.count, _QUOTES)) % 2 == 1:
            cues.add("quoted")
        hits = self.hits.get(sentence)
        return cues | self.trigger_cues(start, end, sentence, hits) if hits else cues

    def trigger_cues(self, start: int, end: int, sentence: int, hits: list[tuple[str, int, int, str]]) -> set[str]:
        """Cues whose trigger phrase stands within the window before (forward scope) or after (backward
        scope) the mention at character range [start, end) of its sentence."""
        first_token, last_token = self.table.sentences[sentence]
        first = bisect.bisect_right(self.table.end, start, first_token, last_token)
        first = first if first < last_token else first_token
        last = bisect.bisect_left(self.table.start, end, first_token, last_token)
        window = self.window
        cues = set()
        for cue, i, size, direction in hits:
            if cue in cues or not max(first_token, first - window - size) <= i <= min(last_token - size, last + window):
                continue
            before, after = i + size <= first, i >= last
            if (before and direction in ("forward", "both")) or (after and direction in ("backward", "both")):
                cues.add(cue)
        return cues


def _section_flags(doc: Doc) -> list[set[str]]:
    """Per block: heading, quoted, comment (after a comments heading), other_drugs_section."""
    article = doc._.article
    parents = _heading_parents(article.blocks)
    texts = [article.block_text(block) for block in article.blocks]
    other_drugs = {i for i, block in enumerate(article.blocks) if block.is_heading and _mentions_any(texts[i], "other_drugs")}
    flags: list[set[str]] = []
    in_comments = False
    for index, block in enumerate(article.blocks):
        cues: set[str] = set()
        if block.is_heading and _opens_with_any(texts[index], "comments"):
            in_comments = True
        if in_comments:
            cues.add("comment")
        if block.is_heading:
            cues.add("heading")
        elif _headline_like(texts[index]):
            cues.add("headline")
        if block.quote:
            cues.add("quoted")
        if other_drugs and any(h in other_drugs for h in heading_chain(article.blocks, parents, index)):
            cues.add("other_drugs_section")
        flags.append(cues)
    return flags


def _headline_like(text: str) -> bool:
    """A short Title Case line without closing punctuation: a teaser, menu entry or caption, not prose."""
    if text.rstrip().endswith(_SENTENCE_END):
        return False
    words = text.split(None, HEADLINE_WORDS)
    if not words or len(words) > HEADLINE_WORDS:
        return False
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _mentions_any(text: str, kind: str) -> bool:
    """Whether `text` contains one of the section_headings phrases of `kind`, as whole words."""
    padded = f" {_normal_link(text)} "
    return any(phrase in padded for phrase in _heading_phrases(kind))


def _opens_with_any(text: str, kind: str) -> bool:
    """Whether `text` opens (after a count such as "12") with one of the section_headings phrases of
    `kind`: "3 thoughts on ...", "Reader comments"; not a byline ending "| 47 comments"."""
    padded = " " + " ".join(word for word in _normal_link(text).split() if not word.isdigit()) + " "
    return any(padded.startswith(phrase) for phrase in _heading_phrases(kind))


@lru_cache(maxsize=None)
def _heading_phrases(kind: str) -> tuple[str, ...]:
    return tuple(f" {_normal_link(p)} " for p in context_data()["section_headings"][kind])


def _trigger_hits(table: TokenTable) -> dict[int, list[tuple[str, int, int, str]]]:
    """Per sentence, its trigger hits (cue, token position, length, direction) outside pseudo-triggers;
    a phrase never runs past the end of its sentence."""
    triggers = _phrase_index("triggers")
    lower, sentence_of = table.lower, table.sentence_of
    hits: dict[int, list[tuple[str, int, int, str]]] = {}
    masked = _pseudo_positions(table)
    for i in [i for i, word in enumerate(lower) if word in triggers]:
        sentence_end = table.sentences[sentence_of[i]][1]
        for (cue, direction), parts in triggers[lower[i]]:
            size = len(parts)
            if i + size <= sentence_end and lower[i : i + size] == parts and not masked.issuperset(range(i, i + size)):
                hits.setdefault(sentence_of[i], []).append((cue, i, size, direction))
    return hits


def _pseudo_positions(table: TokenTable) -> set[int]:
    """Token positions inside pseudo-triggers ("more than 1,200 mg" is no comparison of drugs)."""
    pseudo = _phrase_index("pseudo_triggers")
    lower = table.lower
    masked: set[int] = set()
    for i in [i for i, word in enumerate(lower) if word in pseudo]:
        sentence_end = table.sentences[table.sentence_of[i]][1]
        for _, parts in pseudo[lower[i]]:
            if i + len(parts) <= sentence_end and lower[i : i + len(parts)] == parts:
                masked.update(range(i, i + len(parts)))
    return masked


@lru_cache(maxsize=None)
def _phrase_index(key: str) -> dict[str, list[tuple[tuple[str, str], list[str]]]]:
    """drug_context.yaml's `triggers` ({cue: {direction: phrases}}) or `pseudo_triggers` (a list) by first
    word: word -> [((cue, direction), phrase words)]."""
    data = context_data()[key]
    groups = {(cue, direction): phrases for cue, directions in data.items() for direction, phrases in directions.items()} if key == "triggers" else {("", ""): data}
    index: dict[str, list[tuple[tuple[str, str], list[str]]]] = defaultdict(list)
    for group, phrases in groups.items():
        for phrase in phrases:
            parts = phrase.split()
            index[parts[0]].append((group, parts))
    return dict(index)


def _neighbour_cues(drugs: list[DrugMention], scan: _CueScan) -> dict[int, set[str]]:
    """`adjacent` (only whitespace between two different drugs) and `list` (joined by commas/and/or)."""
    cues: dict[int, set[str]] = {}
    sentence_of = scan.table.sentence_of
    for i, (first, second) in enumerate(zip(drugs, drugs[1:])):
        if sentence_of[first.start] != sentence_of[second.start]:
            continue
        gap = scan.text[first.end_char : second.start_char]
        if gap.strip() == "" and "\n" not in gap and first.generic != second.generic:
            cues.setdefault(i, set()).add("adjacent")
            cues.setdefault(i + 1, set()).add("adjacent")
        elif gap.strip() not in ("", "(") and _LIST_GAP.match(_PAREN_CONTENT.sub("", gap)):
            cues.setdefault(i, set()).add("list")
            cues.setdefault(i + 1, set()).add("list")
    return cues


# ---------------------------------------------------------------- helpers for rules


def subject_at(doc: Doc, offset: int) -> str | None:
    """The drug the text at `offset` is about: its block's local subject, else the article's only subject."""
    article = doc._.article
    index = article.block_index_at(offset)
    if index is not None:
        local = doc._.block_subjects[index]
        if local is not None:
            return local
    subjects = doc._.subjects or []
    if "comparison" in doc._.drug_article_cues or not subjects:
        return None
    titled = _title_generics(doc) or subjects[:1]
    return titled[0] if len(titled) == 1 else None


def match_case(template: str, word: str) -> str:
    """`word` in the case style of `template` (UPPER, Capitalised or lower)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word.lower()


def preferred_name(doc: Doc, generic: str, brand: bool) -> str:
    """How the article names `generic`: its most used brand when a brand is wanted and one is used, else the generic."""
    if brand:
        used = Counter(m.text.lower() for m in doc._.drugs if m.generic == generic and m.is_brand)
        if used:
            return used.most_common(1)[0][0]
    return generic


__all__ = ["DrugMarker", "DrugMention", "GluedDrug", "context_data", "heading_chain", "match_case", "preferred_name", "subject_at"]
