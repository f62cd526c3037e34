"""hl_doses: quantitative pharmacological claims (doses, strengths, frequencies, half-lives, durations,
taper rates, maximum doses) found with Matcher-style token patterns (windows.TokenPatterns), normalised
and linked to the drug they are about.

Exposes `doc._.claims: list[Claim]` (text order) and `doc._.comments_start` (analysed-text offset where
the reader-comment section begins, else None). Vocabulary lives in rules/data/quantities.yaml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, filterfalse
from typing import TYPE_CHECKING, Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..boilerplate import chrome_blocks, compile_patterns, regions
from ..ruledata import check_keys, load_data
from .tokens import TokenTable, token_table
from .windows import TokenPatterns

if TYPE_CHECKING:
    from ..article import Article, Block
    from .drugs import DrugMention

TIME_UNITS = ("minutes", "hours", "days", "weeks", "months")
WINDOW = 8
CLAUSE_BREAKS = {";", ":", "whereas", "while", "but", "although"}
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^\.\d+$")
_MULTIPLE_HALF_LIVES = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|several|few|multiple)(\s*(-|–|to)\s*\w+)?\s+half[- ]?li(fe|ves)\b")
_RANGE_TOKEN = re.compile(r"^(\d+(?:\.\d+)?)[-–—](\d+(?:\.\d+)?)$")
_DIGIT = re.compile(r"\d")
_CASE_FOLDED = "İıſ"  # letters a case-insensitive regex takes for "i" or "s", as the number words' does ("fıve")
_GLUED_NUMBER = re.compile(r"^(\d[\d,]*(?:\.\d+)?)[a-zµμ%]+$")
_GLUED_UNIT = re.compile(r"^\d[\d,]*(?:\.\d+)?([^\d,.]+)$")
_TIME_WORD = re.compile(r"\b(hours?|days?|weeks?|hrs?)\b")
_CUE_TAIL = re.compile(r"^[-–—\s]*li(?:fe|ves)\b")
_GAP_WORD = re.compile(r"\w[\w.'’]*|[^\w\s]")
SCOPE_WORDS = 8  # words a narrowing phrase between a half-life cue and its figure may hold


@dataclass(frozen=True)
class Claim:
    """One quantitative claim: its span, kind, value range in `unit`, and the drug it is about."""

    span: Span
    kind: str
    low: float
    high: float
    unit: str
    per: str | None = None
    drug: str | None = None
    drug_from: str = "none"
    times_per_day: float | None = None
    qualifier: str | None = None
    tags: frozenset[str] = frozenset()
    aside: bool = False

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def sentence(self) -> Span:
        return self.span.sent

    def base(self) -> tuple[float, float, str]:
        """(low, high, base unit): masses in mg, times in hours."""
        entry = vocabulary()["base_units"].get(self.unit, {"base": self.unit, "factor": 1})
        return self.low * entry["factor"], self.high * entry["factor"], entry["base"]


@dataclass(frozen=True)
class _View:
    """The Doc with its token table, text and article, read once per call (Doc extensions are slow to read),
    and what this call has worked out about its texts (several claims share a sentence or a heading)."""

    doc: Doc
    table: TokenTable
    text: str
    article: "Article | None"
    sentence_texts: dict[int, str] = field(default_factory=dict)
    held: dict[tuple[str, tuple[str, ...], bool], frozenset[str]] = field(default_factory=dict)
    blocks: dict[int, "Block | None"] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc) -> "_View":
        return cls(doc, token_table(doc), doc._.text, doc._.article)

    def sentence(self, index: int) -> tuple[int, int]:
        """[start, end) tokens of the sentence holding token `index`."""
        return self.table.sentences[self.table.sentence_of[index]]

    def block_at(self, span: Span) -> "Block | None":
        """The article's block holding the span's first character (several steps of a claim ask)."""
        if self.article is None:
            return None
        start = span.start_char
        if start not in self.blocks:
            self.blocks[start] = self.article.block_at(start)
        return self.blocks[start]

    def lower_text(self, start: int, end: int) -> str:
        """doc[start:end].text.lower()."""
        return self.text[self.table.start[start] : self.table.end[end - 1]].lower() if start < end else ""


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    keys = {"per_phrases", "units", "base_units", "number_words", "fractions", "range_words", "per", "frequency", "cues", "context", "whole_words", "phrase_breaks"}
    return check_keys(load_data("quantities"), keys, set(), "rules/data/quantities.yaml")


@lru_cache(maxsize=1)
def _unit_words() -> dict[str, str]:
    return {word.lower(): unit for unit, words in vocabulary()["units"].items() for word in words}


for _name, _default in (("claims", None), ("comments_start", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@Language.factory("hl_doses")
def make_doses(nlp: Language, name: str) -> "DoseFinder":
    return DoseFinder(nlp)


class DoseFinder:
    """Matcher patterns for quantities and frequencies; classification and drug linking in small steps."""

    def __init__(self, nlp: Language) -> None:
        self.patterns = TokenPatterns()
        vocab = vocabulary()
        units = sorted(_unit_words())
        glued = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True) if u not in {"%"} and " " not in u)
        fraction = {"TEXT": {"IN": list(vocab["fractions"])}}
        sep = {"LOWER": {"IN": vocab["range_words"]}}
        unit = {"LOWER": {"IN": units}}
        glued_tok = {"TEXT": {"REGEX": rf"(?i)^(\d{{1,3}}(,\d{{3}})+|\d+)(\.\d+)?({glued})$"}}
        words = "|".join(vocab["number_words"])
        value = {"TEXT": {"REGEX": f"{_NUMBER.pattern}|{_RANGE_TOKEN.pattern}|^(?i:{words})$"}}
        percent_number, percent = {"TEXT": {"REGEX": r"^\d+(\.\d+)?$"}}, {"TEXT": "%"}
        nums = [[value, {**fraction, "OP": "?"}], [fraction]]
        patterns = [[glued_tok], [glued_tok, sep, glued_tok], [percent_number, percent]]
        for first in nums:
            patterns += [first + [unit], first + [sep, glued_tok]]
            for second in nums:
                patterns += [first + [sep] + second + [unit], first + [unit, sep] + second + [unit]]
                patterns.append([{"LOWER": "between"}] + first + [{"LOWER": "and"}] + second + [unit])
        patterns += _glued_half_lives(value, sep)
        self.patterns.add("QTY", patterns)
        freq = vocab["frequency"]
        periods = list(freq["periods"])
        per_word = {"LOWER": {"IN": ["a", "per", "each", "every"]}, "OP": "?"}
        number = {"TEXT": {"REGEX": _NUMBER.pattern}}
        count = {"LOWER": {"IN": list(freq["counts"])}}
        number_word = {"LOWER": {"IN": list(vocab["number_words"])}}
        hours = {"TEXT": {"REGEX": _NUMBER.pattern + "|" + _RANGE_TOKEN.pattern}}
        abbreviation = {"LOWER": {"IN": list(freq["abbreviations"])}}
        bedtime = {"LOWER": "bedtime"}
        period = {"LOWER": {"IN": periods}}
        hour_words, hour_plurals = {"LOWER": {"IN": ["hours", "hrs", "hour"]}}, {"LOWER": {"IN": ["hours", "hrs"]}}
        frequencies = [
            [count, per_word, period],
            [number, {"LOWER": "times"}, per_word, period],
            [number_word, {"LOWER": "times"}, per_word, period],
            [{"LOWER": "every"}, hours, hour_words],
            [{"LOWER": "every"}, number, {"TEXT": {"IN": ["-", "–", "to"]}}, number, hour_plurals],
            [abbreviation],
            [{"LOWER": {"IN": ["at", "before"]}}, bedtime],
        ]
        self.patterns.add("FREQ", frequencies)
        # The elements only an anchor token can match (see matches()).
        anchors = [value, fraction, glued_tok, percent_number, number, count, number_word, hours, abbreviation, bedtime]
        self.anchor_words = {*vocab["number_words"], *vocab["fractions"], *freq["counts"], *freq["abbreviations"], "bedtime"}
        self.before = _reach(patterns + frequencies, anchors)

    def matches(self, view: "_View") -> list[tuple[str, int, int]]:
        """(label, start, end) of the pattern matches, in (start, end) order: the matches spaCy's Matcher
        would find with these patterns. Every pattern holds an anchor (a token with a digit, a number word,
        a fraction, a count ("twice"), a frequency abbreviation or "bedtime") at most `before` tokens after
        its start, so matches are only sought from there."""
        lower = view.table.lower
        words = set(lower)
        marked = words & self.anchor_words
        marked.update(filter(_DIGIT.search, filterfalse(str.isalpha, words)))
        anchors = list(compress(range(len(lower)), map(marked.__contains__, lower)))  # no Python call per token
        if not view.text.isascii() and any(letter in view.text for letter in _CASE_FOLDED):
            anchors += [i for i, text in enumerate(view.table.text) if any(letter in text for letter in _CASE_FOLDED)]
        return self.patterns.matches(view.table, (anchor - back for anchor in anchors for back in range(self.before + 1)))

    def __call__(self, doc: Doc) -> Doc:
        doc._.comments_start, aside = chrome(doc)
        view = _View.of(doc)
        matches = sorted(self.matches(view), key=lambda m: (m[1], -m[2]))
        claims: list[Claim] = []
        taken = -1
        for label, start, end in matches:
            if start < taken:
                continue
            taken = end
            claim = _frequency(view, start, end, aside) if label == "FREQ" else _quantity(view, start, end, aside)
            if claim is not None:
                claims.append(claim)
        doc._.claims = _attach_frequencies(claims)
        return doc


def _glued_half_lives(value: dict[str, Any], sep: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """"A 36-hour half-life", "a 4-6-day half-life", "a 12 hour half life": a time figure glued to the
    half-life it gives (the cue is part of the match, so "a 12-hour day" is not taken)."""
    hyphen = {"TEXT": {"IN": ["-", "–"]}}
    time_unit = {"LOWER": {"IN": sorted(word for word, unit in _unit_words().items() if unit in TIME_UNITS)}}
    cue = [{"LOWER": "half"}, {**hyphen, "OP": "?"}, {"LOWER": {"IN": ["life", "lives"]}}]
    glue = {**hyphen, "OP": "?"}
    return [[value, glue, time_unit, *cue], [value, sep, value, glue, time_unit, *cue]]


def _reach(patterns: list[list[dict[str, Any]]], anchors: list[dict[str, Any]]) -> int:
    """The most tokens any pattern holds before its first anchor element (every pattern must hold one)."""
    firsts = [next((i for i, element in enumerate(pattern) if element in anchors), None) for pattern in patterns]
    if None in firsts:
        raise ValueError("hl_doses: a pattern holds no anchor element")
    return max(firsts)


def chrome(doc: Doc) -> tuple[int | None, set[int]]:
    """The offset of the first block of a reader-comment section (as lint/boilerplate.py finds them), and
    the blocks that are not the article's own prose: site chrome (comments, footers) and the reference list."""
    article = doc._.article
    if article is None:
        return None, set()
    patterns = compile_patterns()
    kinds = {pattern.name: pattern.kind for pattern in patterns}
    found = regions(article, patterns)
    starts = [article.blocks[r.first].start for r in found if kinds.get(r.pattern) == "comments"]
    references = doc._.reference_blocks if Doc.has_extension("reference_blocks") else None
    aside = chrome_blocks(article, patterns) | set(references or ())
    return min(starts, default=None), aside


def _numbers(view: _View, indexes: Iterable[int]) -> list[float]:
    """Every numeric value in the tokens, fractions added to the number before them."""
    vocab = vocabulary()
    words, lower = view.table.text, view.table.lower
    values: list[float] = []
    for index in indexes:
        text = lower[index]
        if text[:1].isdigit() or text[:1] == ".":  # the only tokens the three patterns can match
            ranged = _RANGE_TOKEN.match(text)
            if ranged:
                values += [float(ranged.group(1)), float(ranged.group(2))]
                continue
            if _NUMBER.match(text):
                values.append(float(text.replace(",", "")))
                continue
            glued = _GLUED_NUMBER.match(text)
            if glued:
                values.append(float(glued.group(1).replace(",", "")))
                continue
        if text in vocab["number_words"]:
            values.append(float(vocab["number_words"][text]))
        elif words[index] in vocab["fractions"]:
            fraction = float(vocab["fractions"][words[index]])
            if values and index > 0 and _NUMBER.match(words[index - 1]):
                values[-1] += fraction
            else:
                values.append(fraction)
    return values


def _values_in(view: _View, start: int, end: int, unit: str) -> list[float]:
    """The numbers of "500 mg to 1 g" (tokens [start, end)) expressed in the last unit (here 0.5 and 1 g)."""
    base = vocabulary()["base_units"]
    lower = view.table.lower
    values: list[float] = []
    pending = start
    for index in range(start, end):
        own = _token_unit(lower[index])
        if own is not None and (index + 1 == end or own != unit or _numbers(view, [index])):
            factor = base[own]["factor"] / base[unit]["factor"] if base.get(own, {}).get("base") == base.get(unit, {}).get("base") else 1.0
            values += [value * factor for value in _numbers(view, range(pending, index + 1))]
            pending = index + 1
    return values + _numbers(view, range(pending, end))


def _unit_of(view: _View, start: int, end: int) -> str | None:
    """The unit of the last token in [start, end) that names one ("mg", or glued as in "10mg")."""
    for text in reversed(view.table.lower[start:end]):
        unit = _token_unit(text)
        if unit is not None:
            return unit
    return None


def _token_unit(text: str) -> str | None:
    """The unit a lower-cased token names ("mg", or glued as in "10mg"), if any."""
    words = _unit_words()
    if text in words:
        return words[text]
    glued = _GLUED_UNIT.match(text) if text[:1].isdigit() else None
    return words.get(glued.group(1)) if glued else None


def _per(view: _View, end: int) -> tuple[str | None, int]:
    """A "per" expression right after a quantity: "/day", "per kg", "a day", "daily"; returns (per, new end)."""
    per = vocabulary()["per"]
    lower = view.table.lower
    following = " ".join(lower[end : end + 3]) + " "
    prefixes, phrases = _per_phrases()
    if following.startswith(prefixes):
        for prefix, meaning, words in phrases:
            if following.startswith(prefix):
                return meaning, end + words
    if end < len(lower) and lower[end] in ("daily", "nightly", "weekly"):
        return per[lower[end]], end + 1
    if end + 1 < len(lower) and lower[end] in ("/", "per", "a", "each", "every") and lower[end + 1] in per:
        if lower[end] in ("a", "each", "every") and lower[end + 1] not in ("day", "week", "night", "month", "dose"):
            return None, end
        first, new_end = per[lower[end + 1]], end + 2
        if new_end + 1 < len(lower) and lower[new_end] in ("/", "per") and lower[new_end + 1] in per:
            return f"{first}/{per[lower[new_end + 1]]}", new_end + 2
        return first, new_end
    return None, end


@lru_cache(maxsize=1)
def _per_phrases() -> tuple[tuple[str, ...], list[tuple[str, str, int]]]:
    """The per_phrases as word-boundary prefixes ("<phrase> ", for one test of all), and each prefix in
    file order with its meaning and word count."""
    phrases = vocabulary()["per_phrases"]
    return tuple(phrase + " " for phrase in phrases), [(phrase + " ", meaning, len(phrase.split())) for phrase, meaning in phrases.items()]


def _sentence_text(view: _View, index: int) -> str:
    """" <sentence lower-cased, newlines as spaces> " for the sentence holding token `index`."""
    sentence = view.table.sentence_of[index]
    text = view.sentence_texts.get(sentence)
    if text is None:
        text = view.sentence_texts[sentence] = " " + view.lower_text(*view.table.sentences[sentence]).replace("\n", " ") + " "
    return text


def _held(view: _View, text: str, names: tuple[str, ...], cores: bool = False) -> frozenset[str]:
    """The names of the phrase lists (see _phrase_lists) among `names` of which `text` holds a phrase,
    worked out once per text and names in a call; with `cores`, of which it holds a phrase's core
    (see _phrase_cores).

    The held lists of " <a> " + " <b> " are those of either part: no phrase holds two spaces in a row,
    so none can straddle the two."""
    held = view.held.get((text, names, cores))
    if held is None:
        lists = _phrase_cores() if cores else _phrase_lists()
        words = {} if cores else _whole_word_patterns()
        held = view.held[text, names, cores] = frozenset(
            name for name in names if (words[name].search(text) if name in words else any(map(text.__contains__, lists[name])))
        )
    return held


@lru_cache(maxsize=1)
def _whole_word_patterns() -> dict[str, re.Pattern[str]]:
    """The lists named under `whole_words`, each as one pattern matching its phrases as whole words."""
    lists = _phrase_lists()
    return {
        name: re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in sorted(lists[name], key=len, reverse=True)) + r")(?![\w])")
        for name in vocabulary()["whole_words"]
    }


def _has(view: _View, text: str, name: str) -> bool:
    """Whether `text` holds one of the phrases of list `name`."""
    return bool(_held(view, text, (name,)))


@lru_cache(maxsize=1)
def _phrase_lists() -> dict[str, list[str]]:
    """The phrase lists under `cues` and `context` in quantities.yaml by name (an indication as
    "indication:<name>"); none may hold two spaces in a row."""
    vocab = vocabulary()
    lists = {**vocab["cues"], **vocab["context"]}
    lists.update({f"indication:{name}": phrases for name, phrases in lists.pop("indication").items()})
    doubled = [phrase for phrases in lists.values() for phrase in phrases if "  " in phrase]
    if doubled:
        raise ValueError(f"rules/data/quantities.yaml: phrases may not hold two spaces in a row: {doubled}")
    return lists


@lru_cache(maxsize=1)
def _phrase_cores() -> dict[str, list[str]]:
    """Each phrase list with its phrases' outer spaces stripped ("" for a phrase holding a newline, "σ"
    or "ς"). A part of a sentence (" <part lower-cased> ") holds a phrase only if the sentence's text
    (_sentence_text) holds its core: the core lies inside the part, whose characters the sentence
    text repeats in the same order (lower-casing maps each character alone except the Greek sigma, and
    newlines become spaces). So a list whose cores the sentence lacks need not be sought in its parts."""
    return {
        name: [("" if any(char in phrase for char in "\nσς") else phrase.strip(" ")) for phrase in phrases]
        for name, phrases in _phrase_lists().items()
    }


def _window(view: _View, start: int, size: int = WINDOW) -> str:
    sent_start = view.sentence(start)[0]
    return " " + view.lower_text(max(sent_start, start - size), start) + " "


def _after(view: _View, end: int, size: int = 6) -> list[str]:
    sent_end = view.sentence(end - 1)[1]
    return view.table.lower[end : min(sent_end, end + size)]


def _quantity(view: _View, start: int, end: int, aside: set[int]) -> Claim | None:
    doc = view.doc
    unit = _unit_of(view, start, end)
    values = _values_in(view, start, end, unit) if unit is not None else []
    if not values or unit is None:
        return None
    if _lab_value(view, end) or _near_substance(view, start):
        return None
    per, end = _per(view, end)
    span = doc[start:end]
    kind = _classify(view, span, unit, per)
    if kind is None or _other_substance(view, end):
        return None
    tags = _tags(view, span)
    return Claim(span, kind, min(values), max(values), unit, per, qualifier=_qualifier(view, start), tags=tags, **_linked(view, span, tags, aside))


def _classify(view: _View, span: Span, unit: str, per: str | None) -> str | None:
    sentence = _sentence_text(view, span.start)
    if unit in TIME_UNITS:
        return _time_kind(view, span, sentence)
    after = _after(view, span.end)
    if unit == "%":
        return _percent_kind(view, span.start, after, per)
    tapering = _has(view, sentence, "taper") and (per in ("week", "month") or "every" in after or "each" in after)
    if tapering and _taper_tied(view, span.start):
        return "taper-rate"
    if "max" in _in_parts(view, span.start) and _max_tied(view, span):
        return "max-dose"
    if not _cue_words()["strength_after"].isdisjoint(after[:4]) or _has(view, sentence, "strength_sentence"):
        return "strength"
    return "dose"


def _max_tied(view: _View, span: Span) -> bool:
    """Whether a maximum cue is tied to the quantity `span`: the nearest cue within WINDOW tokens before
    it is linked to it (see _max_gap), and is no "up to" after a verb of movement that opens a list of
    steps ("move up to 0.5 mg, 1 mg and 1.7 mg"; "go up to 60 mg a day" names the ceiling)."""
    lower = view.table.lower
    first = max(view.sentence(span.start)[0], span.start - WINDOW)
    for index in range(span.start, first, -1):
        cue = _cue_ending(lower, first, index, _max_phrases())
        if cue:
            mover = index - len(cue) - 1
            moving = cue == ("up", "to") and mover >= first and lower[mover] in _cue_words()["max_moves"]
            return _max_gap(view, index, span.start) and not (moving and _listed_next(view, span.end))
    return False


def _max_gap(view: _View, start: int, end: int) -> bool:
    """Whether tokens [start, end) between a maximum cue and its figure only link the two: max_links,
    number words, drug names ("the maximum daily dose of citalopram is"), and a short narrowing phrase
    opened by a half_life_scopes word ("for panic disorder", "for this use"). Any other figure or word
    unties them ("up to age 70 and 800 IU")."""
    cues = _cue_words()
    lower = view.table.lower
    scoped, free = False, 0
    for index in range(start, end):
        word = lower[index]
        if word in cues["half_life_scopes"]:
            scoped = True
        elif word in cues["max_links"] or word in vocabulary()["number_words"] or _drug_at(view.doc, index):
            continue
        elif _DIGIT.search(word) or not scoped or free == 3:
            return False
        else:
            free += 1
    return True


def _listed_next(view: _View, end: int) -> bool:
    """Whether another figure follows the quantity ending at token `end` as the next item of a list
    ("0.5 mg, 1 mg and 1.7 mg", "50 mg and then 100 mg")."""
    joiners = {",", "and", "then", "or", "later", "finally", "eventually"}
    for word in _after(view, end, 4):
        if _NUMBER.match(word) or _GLUED_NUMBER.match(word):
            return True
        if word not in joiners:
            return False
    return False


def _cue_ending(lower: list[str], first: int, index: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """The longest phrase (as words) that tokens [first, index) end with, if any."""
    for phrase in phrases:
        if index - len(phrase) >= first and tuple(lower[index - len(phrase) : index]) == phrase:
            return phrase
    return None


@lru_cache(maxsize=1)
def _max_phrases() -> tuple[tuple[str, ...], ...]:
    """The max cues as word tuples, longest first."""
    return tuple(sorted((tuple(p.split()) for p in vocabulary()["cues"]["max"]), key=len, reverse=True))


def _taper_tied(view: _View, start: int) -> bool:
    """Whether the nearest taper cue before the figure at token `start` acts on the dose: what it acts
    on (its words up to "by", "to" or the first figure) holds only taper_links, determiners, dose words
    and drug names ("reduce the dose of sertraline by 25 mg every week", "cutting by 5 to 10% ... and not
    more than 25%"), not another object ("reduced hospital stays by 11% each year"). A figure with no cue
    before it ("a 10% reduction each week") is tied."""
    cues = _cue_words()
    allowed = cues["taper_links"] | cues["determiners"] | cues["of_dose_words"]
    lower = view.table.lower
    first = view.sentence(start)[0]
    cue_end = next((index for index in range(start, first, -1) if _cue_ending(lower, first, index, _taper_phrases())), None)
    if cue_end is None:
        return True
    for index in range(cue_end, start):
        word = lower[index]
        if word in ("by", "to") or _DIGIT.search(word):
            return True
        if word not in allowed and not _drug_at(view.doc, index):
            return False
    return True


@lru_cache(maxsize=1)
def _taper_phrases() -> tuple[tuple[str, ...], ...]:
    """The taper cues as word tuples, longest first."""
    return tuple(sorted((tuple(p.split()) for p in vocabulary()["cues"]["taper"]), key=len, reverse=True))


def _time_kind(view: _View, span: Span, sentence: str) -> str | None:
    if span.start > 0 and view.table.lower[span.start - 1] == "every":
        return None
    before = _MULTIPLE_HALF_LIVES.sub(" ", view.lower_text(view.sentence(span.start)[0], span.start))
    glued = "half" in view.table.lower[span.start : span.end]  # "a 36-hour half-life" (see _glued_half_lives)
    if glued or (_has(view, before, "half_life") and _tied_to_cue(_after_last_cue(before))):
        return "half-life"
    if _has(view, sentence, "duration"):
        return "duration"
    return None


def _after_last_cue(before: str) -> str:
    """The text between the last half-life cue in `before` and its end ("-life" of a cue cut short dropped)."""
    cue_at, cue = max((before.rfind(c), c) for c in vocabulary()["cues"]["half_life"])
    return _CUE_TAIL.sub("", before[cue_at + len(cue) :])


def _tied_to_cue(gap: str) -> bool:
    """Whether a time figure after `gap` (the words since a half-life cue) is that half-life's value: no other
    figure and no clause break stand between, only linking words ("is about", "averages", "can be") and
    short narrowing phrases ("in older adults", "of its active metabolite")."""
    if _TIME_WORD.search(gap):
        return False
    cues = _cue_words()
    scoped, free = False, 0
    for word in _GAP_WORD.findall(gap):
        if word in cues["half_life_breaks"]:
            return False
        if word in cues["half_life_scopes"]:
            scoped = True
        elif word not in cues["half_life_links"]:
            free += 1
            if not scoped or free > SCOPE_WORDS:
                return False
    return True


def _percent_kind(view: _View, start: int, after: list[str], per: str | None) -> str | None:
    per_time = per in ("week", "month") or any(w in after for w in ("week", "weekly", "every", "each", "month", "fortnight"))
    about_dose = "dose" in after or "dose/week" in " ".join(after) or _has(view, _sentence_text(view, start), "taper")
    if per_time and about_dose and _taper_tied(view, start):
        return "taper-rate"
    return None


def _other_substance(view: _View, end: int) -> bool:
    """True for "30 g of fibre": the quantity is of a word that is neither a dose word nor a drug."""
    cues = _cue_words()
    doc, lower = view.doc, view.table.lower
    if end + 1 >= len(lower) or lower[end] != "of":
        return False
    index = end + 1
    while index < len(lower) and lower[index] in cues["determiners"]:
        index += 1
    if index >= len(lower) or not doc[index].is_alpha:
        return False
    if lower[index] in cues["of_dose_words"]:
        return False
    return _drug_at(doc, index) is None


def _lab_value(view: _View, end: int) -> bool:
    """"126 mg/dL", "30 mL/min", "40 IU/L": a concentration or rate measured in a test, not a dose."""
    lab = _cue_words()["lab_denominators"]
    table = view.table
    return end + 1 < len(table) and table.text[end] == "/" and table.lower[end + 1] in lab


def _near_substance(view: _View, start: int) -> bool:
    """"Keep sodium below 2 g a day": a dietary substance named just before the number."""
    substances = _cue_words()["substances"]
    sentence_start = view.sentence(start)[0]
    return any(word in substances for word in view.table.lower[max(sentence_start, start - 4) : start])


def _qualifier(view: _View, start: int) -> str | None:
    before = _window(view, start, 3).rstrip()
    endings = _qualifier_endings()
    if not before.endswith(endings):
        return None
    return max((q for q, ending in zip(vocabulary()["cues"]["qualifiers"], endings) if before.endswith(ending)), key=len)


@lru_cache(maxsize=1)
def _qualifier_endings() -> tuple[str, ...]:
    """" <qualifier>" for each qualifier, in the order of the list."""
    return tuple(" " + q for q in vocabulary()["cues"]["qualifiers"])


@lru_cache(maxsize=1)
def _cue_words() -> dict[str, frozenset[str]]:
    """The cue lists as sets, for telling whether a token is one."""
    return {name: frozenset(words) for name, words in vocabulary()["cues"].items()}


def _tags(view: _View, span: Span) -> frozenset[str]:
    """Context tags from the sentence and its section heading (metabolites only when named before the
    value; first-person accounts from the sentence alone, since headings ask "How much can I take?")."""
    around, own_only, indications = _tag_lists()
    own = _sentence_text(view, span.start)
    tags = _held(view, own, around + own_only) | _held(view, _heading_text(view, span), (*around, "overdose"))
    if _has(view, own, "overdose"):
        tags |= _held(view, _clause(view, span, _phrase_breaks()), ("overdose",))
    in_parts = _in_parts(view, span.start)
    in_clause = tuple(name for name in indications if name in in_parts)
    if in_clause:
        tags |= _held(view, _clause(view, span), in_clause)
    if "metabolite" in in_parts and _has(view, " " + view.lower_text(view.sentence(span.start)[0], span.end) + " ", "metabolite"):
        tags |= {"metabolite"}
    return tags


def _in_parts(view: _View, index: int) -> frozenset[str]:
    """The lists sought in a part of a claim's sentence (its clause, the words before it) that such a
    part may hold: those whose cores the sentence holding token `index` holds (see _phrase_cores)."""
    return _held(view, _sentence_text(view, index), _part_lists(), cores=True)


@lru_cache(maxsize=1)
def _part_lists() -> tuple[str, ...]:
    """The lists sought in a part of a claim's sentence: indications, metabolite, max."""
    return _tag_lists()[2] + ("metabolite", "max")


@lru_cache(maxsize=1)
def _phrase_breaks() -> frozenset[str]:
    """The words that end a quantity's own phrase (quantities.yaml phrase_breaks)."""
    return frozenset(vocabulary()["phrase_breaks"])


@lru_cache(maxsize=1)
def _tag_lists() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The context lists sought in a claim's sentence and heading, those sought in its sentence alone,
    and the indication lists (sought in its clause); overdose is sought in the heading and the claim's
    own phrase."""
    context = vocabulary()["context"]
    around = tuple(name for name in context if name not in ("indication", "metabolite", "personal", "overdose"))
    return around, ("personal",), tuple(f"indication:{name}" for name in context["indication"])


def _heading_text(view: _View, span: Span) -> str:
    article = view.article
    block = view.block_at(span)
    heading = article.heading_of(block) if block is not None else None
    return " " + article.block_text(heading).lower() + " " if heading is not None and heading is not block else ""


def _clause(view: _View, span: Span, breaks: frozenset[str] | set[str] = CLAUSE_BREAKS) -> str:
    """The lowercased part of the span's sentence between semicolons (or "whereas"/"while", or other
    `breaks`) around it."""
    sentence_start, sentence_end = view.sentence(span.start)
    start, end = sentence_start, sentence_end
    lower = view.table.lower
    for index in range(sentence_start, sentence_end):
        if lower[index] in breaks:
            if index < span.start:
                start = index + 1
            elif index >= span.end:
                end = index
                break
    return " " + view.lower_text(start, end) + " "


def _frequency(view: _View, start: int, end: int, aside: set[int]) -> Claim | None:
    freq = vocabulary()["frequency"]
    doc = view.doc
    words = view.table.lower[start:end]
    span = doc[start:end]
    if words[0] in freq["abbreviations"]:
        count = float(freq["abbreviations"][words[0]])
    elif words[0] == "every":
        hours = _numbers(view, range(start + 1, end - 1))
        count = 24 / max(max(hours), 1) if hours else None
    elif words[-1] == "bedtime":
        count = 1.0
    else:
        times = float(freq["counts"].get(words[0]) or (_numbers(view, [start]) or [1])[0])
        count = times * float(freq["periods"].get(words[-1], 1))
    if count is None:
        return None
    tags = _tags(view, span)
    return Claim(span, "frequency", count, count, "per-day", tags=tags, **_linked(view, span, tags, aside))


def _attach_frequencies(claims: list[Claim]) -> list[Claim]:
    """A dose followed closely by a frequency in the same sentence is taken that many times a day."""
    result = []
    for index, claim in enumerate(claims):
        following = claims[index + 1] if index + 1 < len(claims) else None
        if (
            claim.kind in ("dose", "max-dose")
            and claim.per is None
            and following is not None
            and following.kind == "frequency"
            and following.span.sent == claim.span.sent
            and following.span.start - claim.span.end <= 4
        ):
            claim = _replace(claim, times_per_day=following.low)
        result.append(claim)
    return result


def _replace(claim: Claim, **changes: Any) -> Claim:
    return Claim(**{**claim.__dict__, **changes})


# --- linking a claim to its drug -------------------------------------------------------------


def _drug_index(doc: Doc) -> tuple[list[DrugMention], list[int]]:
    """The drug mentions in text order and their start tokens, computed once per Doc."""
    key = "hl_doses.drug_index"
    if key not in doc.user_data:
        drugs = list(doc._.drugs or []) if Doc.has_extension("drugs") else []
        doc.user_data[key] = (drugs, [d.start for d in drugs])
    return doc.user_data[key]


def _between(doc: Doc, start: int, end: int) -> list[DrugMention]:
    """The mentions (in text order) that start in tokens [start, end)."""
    drugs, starts = _drug_index(doc)
    return drugs[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _drug_at(doc: Doc, index: int) -> str | None:
    for span in _between(doc, max(0, index - 8), index + 1):
        if span.start <= index < span.end:
            return span.generic
    return None


def _linked(view: _View, span: Span, tags: frozenset[str], aside: set[int]) -> dict[str, Any]:
    """A claim's fields `drug`, `drug_from` and `aside` (its tags given)."""
    drug, origin = _drug_for(view, span)
    return {"drug": drug, "drug_from": origin, "aside": _is_aside(view, span, tags, aside)}


def _drug_for(view: _View, span: Span) -> tuple[str | None, str]:
    """The drug a span is about: nearest mention in its sentence, else the antecedent in an earlier
    sentence of its block (see _earlier_in_block), else the block's local subject, else the article's
    subject, else a drug an earlier sentence of the block names in passing."""
    doc = view.doc
    named = _of_drug(view, span.end)
    if named:
        return named, "sentence"
    in_sentence = _between(doc, *view.sentence(span.start))
    if in_sentence:
        return _nearest(view, span, in_sentence).generic, "sentence"
    row = _row_drug(view, span)
    if row:
        return row, "table-row"
    block = _block_index(view, span)
    subjects = doc._.block_subjects if Doc.has_extension("block_subjects") else None
    local = subjects[block] if block is not None and subjects and block < len(subjects) else None
    article = (doc._.subjects if Doc.has_extension("subjects") else None) or []
    earlier, passing = _earlier_in_block(view, span, {local, *article} - {None})
    if earlier:
        return earlier, "previous"
    if local:
        return local, "block"
    if article:
        return article[0], "article"
    if passing:
        return passing, "previous"
    return None, "none"


def _of_drug(view: _View, end: int) -> str | None:
    """"20 mg of diazepam": the drug named right after the quantity."""
    determiners = _cue_words()["determiners"]
    lower = view.table.lower
    if end >= len(lower) or lower[end] != "of":
        return None
    index = end + 1
    while index < len(lower) and lower[index] in determiners:
        index += 1
    return _drug_at(view.doc, index) if index < len(lower) else None


def _row_drug(view: _View, span: Span) -> str | None:
    """In a table cell, the nearest drug named in an earlier cell of the same row (same source line)."""
    article = view.article
    block = view.block_at(span)
    if block is None or block.kind != "table_cell":
        return None
    line = article.position(block.start)[0]
    for mention in reversed(_between(view.doc, 0, span.start)):
        mention_line = article.position(mention.start_char)[0]
        if mention_line == line and mention.end_char <= span.start_char:
            return mention.generic
        if mention_line < line:
            break
    return None


def _nearest(view: _View, span: Span, drugs: list[DrugMention]) -> DrugMention:
    """The closest earlier mention in the same clause ("Alprazolam has a half-life of 6 hours, and ..."),
    else the closest mention either side."""
    lower = view.table.lower
    same_clause = [
        d for d in drugs
        if d.end <= span.start and not any(word in CLAUSE_BREAKS or word == "," for word in lower[d.end : span.start])
    ]
    if same_clause:
        return same_clause[-1]
    return min(drugs, key=lambda d: (_distance(d, span), d.start > span.start))


def _distance(drug: DrugMention, span: Span) -> int:
    if drug.end <= span.start:
        return span.start - drug.end
    return max(0, drug.start - span.end)


def _block_index(view: _View, span: Span) -> int | None:
    block = view.block_at(span)
    return view.article.block_index(block) if block is not None else None


def _earlier_in_block(view: _View, span: Span, topics: set[str]) -> tuple[str | None, str | None]:
    """(the antecedent of "it", the first drug of the nearest earlier sentence in the span's block that
    names one). The antecedent is that sentence's subject drug, else a drug it names that is a topic
    (the block's or article's subject), else the subject drug of a sentence before it in the block: a
    drug named in passing ("In some pills it is combined with codeine.") is no antecedent."""
    block = view.block_at(span)
    if block is None:
        return None, None
    sentence_start = view.sentence(span.start)[0]
    earlier = [d for d in _between(view.doc, _first_token(view, block.start, block.end), sentence_start) if d.end <= sentence_start]
    if not earlier:
        return None, None
    owner = view.table.sentence_of
    last = [d for d in earlier if owner[d.start] == owner[earlier[-1].start]]
    subject = next((d.generic for d in last if _opens_sentence(view, d)), None)
    subject = subject or next((d.generic for d in last if d.generic in topics), None)
    subject = subject or next((d.generic for d in reversed(earlier[: -len(last)]) if _opens_sentence(view, d)), None)
    return subject, last[0].generic


def _opens_sentence(view: _View, mention: DrugMention) -> bool:
    """Whether a drug is its sentence's subject: only determiners (or a name it glosses in brackets,
    "Vitamin D3 (cholecalciferol) is") stand before it in the sentence, or in the part after the
    sentence's last comma outside brackets ("Unlike ibuprofen, acetaminophen is"; not "it is combined
    with codeine")."""
    lower = view.table.lower
    opening: list[str] = []
    depth = 0
    for word in lower[view.sentence(mention.start)[0] : mention.start]:
        depth += (word == "(") - (word == ")")
        opening = [] if word == "," and depth == 0 else opening + [word]
    if opening[-1:] == ["("] and len(opening) <= 4:
        return True
    return all(word in _cue_words()["determiners"] or not word.isalnum() for word in opening)


def _first_token(view: _View, start: int, end: int) -> int:
    """The first token of `doc.char_span(start, end, alignment_mode="expand")`, read from the token
    table as spaCy finds it (the token whose text or trailing space holds character `start`, the next
    one for its trailing space); 0 when there is no such span."""
    table = view.table
    if not (0 <= start < len(view.text) and 0 <= end - 1 < len(view.text)) or not len(table):
        return 0
    first = table.token_at(start)
    return first + 1 if start == table.end[first] else first


def _is_aside(view: _View, span: Span, tags: frozenset[str], aside: set[int]) -> bool:
    """Reader comments, site chrome, quoted blocks and reference lists are not the article's own claims."""
    article = view.article
    block = view.block_at(span)
    if block is None:
        return False
    return block.quote or article.block_index(block) in aside or "personal" in tags
