"""The drug lexicon: drug names (generic and brand) with their classes, built from the dictionary
bundled with the `drug-named-entity-recognition` package plus curated YAML, compiled once into a
compact JSON index in the user cache directory and loaded from there.

Public API (see brief DRUGS_API): `load_lexicon(extra)`, `Lexicon.lookup`, `Lexicon.classes_of`,
`Lexicon.brands_of`, `DrugEntry`.
"""

from __future__ import annotations

import bz2
import hashlib
import json
import os
import pickle
import re
from contextlib import closing
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Iterable

import yaml

PACKAGE = "drug-named-entity-recognition"
DATA_FILE = "drug_ner_dictionary.pkl.bz2"
INDEX_FORMAT = 6
DATA_FILES = ("drug_classes", "lexicon_overrides", "confused_drug_names")
ENGLISH_MIN_ZIPF = 1.0  # words at least this frequent (wordfreq Zipf scale) count as English words
COLLISION_ZIPF = 2.5  # a non-canonical variant this frequent in English is a word, not a drug mention
TARGET_MIN_ZIPF = 1.0
COMMON_ZIPF = 3.0  # words at least this frequent can be a word fused to a drug name ("diazepamcan")  # drug names this frequent in English text are misspelling targets
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[ -][a-z0-9]+)*$")
_ALNUM_HEAD = re.compile(r"[a-z0-9]*")
_PLURAL_EXCEPTIONS = ("us", "is", "ss", "os")
MAX_WORDS = 4
USER_DRUG_KEYS = {"generic", "brand", "classes"}


@dataclass(frozen=True)
class DrugEntry:
    """A drug name resolved: its lowercase canonical generic, whether the name is a brand, its classes."""

    generic: str
    is_brand: bool
    classes: frozenset[str]


class Lexicon:
    """Drug names -> entries, class memberships, brands, and the English word list the drug rules use."""

    def __init__(self, index: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
        self._names: dict[str, str] = dict(zip(index["names"].split("\n"), index["entries"].split("\n")))
        self._classes: dict[str, frozenset[str]] = {generic: frozenset(classes) for generic, classes in index["classes"].items()}
        self.combinations: list[frozenset[str]] = [frozenset(parts) for parts in index["combinations"]]
        self._targets: set[str] = set(index["targets"])
        self.confusable_pairs: set[frozenset[str]] = {frozenset(pair) for pair in index["confused"]}
        self._common_count: int = index["common_english"]
        self.phrase_starts: set[str] = set(index["phrase_starts"])
        self.first_words: set[str] = set(index["first_words"])  # first words of multi-word names
        self._word_entries: dict[str, DrugEntry] = {}
        if extra:
            self._extend(extra)
        self.max_words = MAX_WORDS * 2 - 1  # words joined by hyphens are three tokens

    @cached_property
    def _english(self) -> "EnglishWords":
        return english_words(self._common_count)

    @cached_property
    def _brands(self) -> dict[str, set[str]]:
        brands: dict[str, set[str]] = {}
        for name, entry in self._names.items():
            generic, brand = _unpack(entry)
            if brand:
                brands.setdefault(generic, set()).add(name)
        return brands

    def lookup(self, surface: str) -> DrugEntry | None:
        """The entry for a drug name (any case, possessive "'s" allowed), or None."""
        key = _normal(surface)
        found = self._names.get(key)
        if found is None and key.endswith(("'s", "’s")):
            found = self._names.get(key[:-2])
        if found is None:
            return None
        generic, brand = _unpack(found)
        return DrugEntry(generic, brand, self.classes_of(generic))

    def candidate_positions(self, words: list[str]) -> list[int]:
        """Positions of the lower-case words that are a name or the first word of one."""
        names, first_words = self._names, self.first_words
        return [i for i, word in enumerate(words) if word in names or word in first_words]

    def lookup_word(self, word: str) -> DrugEntry | None:
        """lookup() for one lower-case alphabetic word (the matcher's fast path; entries are made once)."""
        entry = self._word_entries.get(word)
        if entry is None:
            found = self._names.get(word)
            if found is None:
                return None
            generic, brand = _unpack(found)
            entry = self._word_entries[word] = DrugEntry(generic, brand, self.classes_of(generic))
        return entry

    def classes_of(self, generic: str) -> frozenset[str]:
        return self._classes.get(generic.lower(), frozenset())

    def brands_of(self, generic: str) -> set[str]:
        return set(self._brands.get(generic.lower(), set()))

    def is_english(self, word: str) -> bool:
        """An ordinary English word (and not a drug name)."""
        key = _normal(word)
        return self._english.rank(key) is not None and key not in self._names

    def is_common_english(self, word: str) -> bool:
        """An English word frequent enough (Zipf >= COMMON_ZIPF) to be a word glued to a drug name."""
        return self._english.rank(word) == COMMON

    def is_known_word(self, word: str) -> bool:
        """A lower-case word that is a drug name or an ordinary English word."""
        return word in self._names or self._english.rank(word) is not None

    def misspelling_targets(self) -> set[str]:
        """Drug names common enough in prose to be what a misspelled token meant."""
        return self._targets

    @cached_property
    def sorted_misspelling_targets(self) -> tuple[str, ...]:
        """misspelling_targets() in alphabetical order (the candidates fuzzy matching ranks)."""
        return tuple(sorted(self._targets))

    def confusable(self, first: str, second: str) -> bool:
        """Whether two names (generic or brand) are a known look-alike/sound-alike pair."""
        return frozenset((_normal(first), _normal(second))) in self.confusable_pairs

    def names(self) -> Iterable[str]:
        return self._names.keys()

    def _extend(self, extra: dict[str, Any]) -> None:
        """Apply config.lexicon: {drugs: {name: {generic, brand, classes}}, not_drugs: [...], classes: {generic: [...]}}."""
        for word in extra.get("not_drugs", []) or []:
            self._names.pop(_normal(str(word)), None)
        for name, entry in (extra.get("drugs", {}) or {}).items():
            entry = check_keys(entry or {}, f"lexicon.drugs.{name}", set(), USER_DRUG_KEYS)
            generic = _normal(str(entry.get("generic") or name))
            self._names[_normal(str(name))] = _pack(generic, bool(entry.get("brand", generic != _normal(str(name)))))
            starts = phrase_starts([_normal(str(name)), generic])
            self.phrase_starts |= starts
            self.first_words |= {start.split(" ", 1)[0] for start in starts}
            self._names.setdefault(generic, _pack(generic, False))
            self._add_classes(generic, entry.get("classes", []) or [])
            if len(_normal(str(name))) >= 5:
                self._targets.add(_normal(str(name)))
        for generic, classes in (extra.get("classes", {}) or {}).items():
            self._add_classes(_normal(str(generic)), classes or [])

    def _add_classes(self, generic: str, classes: Iterable[str]) -> None:
        self._classes[generic] = self._classes.get(generic, frozenset()) | {str(c).lower() for c in classes}


class LexiconDataError(ValueError):
    """A curated data file or a config lexicon entry has a missing or unknown key."""


def check_keys(entry: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict[str, Any]:
    """entry if it is a mapping with every required key and nothing outside required | optional."""
    if not isinstance(entry, dict):
        raise LexiconDataError(f"{where}: expected a mapping")
    problems = [f"missing {k}" for k in sorted(required - entry.keys())] + [f"unknown {k}" for k in sorted(entry.keys() - required - optional)]
    if problems:
        raise LexiconDataError(f"{where}: {', '.join(problems)}")
    return entry


@lru_cache(maxsize=None)
def load_checked(name: str, required: frozenset[str] | set[str], optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    """rules/data/<name>.yaml with its top-level keys checked."""
    text = resources.files("healthlint.rules").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")
    return check_keys(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), f"rules/data/{name}.yaml", set(required), set(optional))


def _pack(generic: str, brand: bool) -> str:
    """A name's entry as stored in the index: "1" for a brand or "0", then the generic."""
    return f"{int(brand)}{generic}"


def _unpack(entry: str) -> tuple[str, bool]:
    return entry[1:], entry[0] == "1"


def phrase_starts(names: Iterable[str]) -> set[str]:
    """The first two words ("first second") of the multi-word names, hyphens counted as words (see
    `name_words`); the second also without what follows its letters and digits ("b." as "b")."""
    starts = set()
    for name in names:
        if " " in name or "-" in name:
            first, second = name_words(name)[:2]
            starts |= {f"{first} {second}", f"{first} {_ALNUM_HEAD.match(second).group()}"}
    return starts


def name_words(surface: str) -> list[str]:
    """A name's words as the matcher compares them: normalised, with each hyphen a word of its own."""
    return _normal(surface).replace("-", " - ").split()


def _normal(surface: str) -> str:
    return " ".join(surface.lower().replace("’", "'").split())


# ---------------------------------------------------------------- loading and caching

_EXTRAS: dict[str, dict[str, Any]] = {}


def remember_extra(key: str, extra: dict[str, Any]) -> None:
    """Record a config's lexicon additions under its lexicon_key (pipelines are keyed by it)."""
    if key:
        _EXTRAS[key] = extra


def lexicon_for_key(key: str) -> Lexicon:
    """The lexicon with the additions remembered under `key` ("" = none)."""
    return load_lexicon(_EXTRAS.get(key) if key else None)


def load_lexicon(extra: dict[str, Any] | None = None) -> Lexicon:
    """The lexicon, with a config's additions (cached per process and per additions)."""
    blob = json.dumps(extra or {}, sort_keys=True, default=str)
    return _load(blob)


@lru_cache(maxsize=8)
def _load(extra_blob: str) -> Lexicon:
    return Lexicon(_index(), json.loads(extra_blob) or None)


@lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    path = cache_path()
    if path.is_file() and path.with_suffix(".sqlite").is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    index, english = build_index()
    for stale in path.parent.glob("drug-lexicon-*"):
        stale.unlink(missing_ok=True)
    _write_words(path.with_suffix(".sqlite"), english.split("\n"), index["common_english"])
    _write(path, json.dumps(index, separators=(",", ":")))
    return index


RARE, COMMON = 0, 1


class EnglishWords:
    """English words (wordfreq, Zipf >= ENGLISH_MIN_ZIPF), each RARE or COMMON (Zipf >= COMMON_ZIPF).

    Looked up one word at a time in the SQLite table stored beside the index, because reading 300k
    words into a set would cost a tenth of a second at every start; answers are memoised per process.
    Without the table (a read-only cache directory) the words are rebuilt into memory."""

    def __init__(self, path: Path, common_count: int) -> None:
        self.path = path
        self.common_count = common_count
        self._memo: dict[str, int | None] = {}
        self._connection: tuple[int, Any] | None = None

    def rank(self, word: str) -> int | None:
        if word not in self._memo:
            row = self._execute("SELECT common FROM words WHERE word = ?", (word,)).fetchone()
            self._memo[word] = None if row is None else row[0]
        return self._memo[word]

    def _execute(self, query: str, parameters: tuple[str, ...]) -> Any:
        if self._connection is None or self._connection[0] != os.getpid():  # never share one across fork
            self._connection = (os.getpid(), self._connect())
        return self._connection[1].execute(query, parameters)

    def _connect(self) -> Any:
        import sqlite3

        try:
            return sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error:
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            _fill_words(connection, build_index()[1].split("\n"), self.common_count)
            return connection


def english_words(common_count: int) -> EnglishWords:
    return EnglishWords(cache_path().with_suffix(".sqlite"), common_count)


def _write_words(path: Path, words: list[str], common_count: int) -> None:
    """The English word table, written atomically (a read-only cache directory is not an error)."""
    import sqlite3

    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        with closing(sqlite3.connect(temporary)) as connection:
            _fill_words(connection, words, common_count)
        os.replace(temporary, path)
    except (OSError, sqlite3.Error):
        temporary.unlink(missing_ok=True)


def _fill_words(connection: Any, words: list[str], common_count: int) -> None:
    connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, common INTEGER NOT NULL) WITHOUT ROWID")
    ranks = {word: COMMON if position < common_count else RARE for position, word in reversed(list(enumerate(words)))}
    connection.executemany("INSERT INTO words VALUES (?, ?)", ranks.items())
    connection.commit()


def cache_path() -> Path:
    """The compiled index for the current inputs: $HEALTHLINT_CACHE_DIR or the user cache directory."""
    root = os.environ.get("HEALTHLINT_CACHE_DIR")
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("healthlint")
    return Path(root) / f"drug-lexicon-{index_key()}.json"


@lru_cache(maxsize=1)
def index_key() -> str:
    """Changes whenever an input of the index changes: package versions, format, curated YAML."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}:{metadata.version(PACKAGE)}:{metadata.version('wordfreq')}".encode())
    digest.update(Path(__file__).read_bytes())
    for name in DATA_FILES:
        digest.update(resources.files("healthlint.rules").joinpath("data", f"{name}.yaml").read_bytes())
    return digest.hexdigest()[:20]


def _write(path: Path, text: str) -> None:
    """Write atomically; a read-only cache directory only costs a rebuild next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


# ---------------------------------------------------------------- building the index


def build_index() -> tuple[dict[str, Any], str]:
    """Compile the package dictionary and the curated YAML into the JSON-ready index and the English word list."""
    import wordfreq

    raw = _package_dictionary()
    overrides = load_checked("lexicon_overrides", frozenset({"brands", "synonyms", "not_drugs", "keep", "salts"}))
    canonical_data: dict[str, dict[str, Any]] = raw["drug_canonical_to_data"]
    salts = set(overrides["salts"])
    drugs = {c for c in canonical_data if not _is_concept(c, canonical_data[c])}
    base = {c: _base_generic(c, drugs, salts) for c in drugs}
    blocked = {_normal(w) for w in [*overrides["not_drugs"], *salts]}  # "acetate" alone is no drug ("ulipristal acetate")
    keep = {_normal(w) for w in overrides["keep"]}
    flags = raw["drug_variant_to_variant_data"]
    names: dict[str, list[Any]] = {}
    for variant, canonicals in raw["drug_variant_to_canonical"].items():
        canonical = canonicals[0] if canonicals else None
        if canonical not in drugs or variant in blocked or not _usable(variant):
            continue
        generic = base[canonical]
        if variant not in (canonical, generic) and variant not in keep and wordfreq.zipf_frequency(variant, "en") >= COLLISION_ZIPF:
            continue
        names[variant] = [generic, _is_brand(variant, canonical, generic, flags.get(variant))]
    for brand, generic in overrides["brands"].items():
        names[_normal(brand)] = [_normal(generic), True]
    for synonym, generic in overrides["synonyms"].items():
        names[_normal(synonym)] = [_normal(generic), False]
    for generic, _ in list(names.values()):
        if generic not in blocked and _NAME.match(generic):
            names.setdefault(generic, [generic, False])
    classes = _classes(canonical_data, base)
    english = [w for w in wordfreq.iter_wordlist("en") if wordfreq.zipf_frequency(w, "en") >= ENGLISH_MIN_ZIPF and w.isalpha()]
    targets = [n for n, (g, _) in names.items() if len(n) >= 5 and n.isalpha() and (g in classes or wordfreq.zipf_frequency(n, "en") >= TARGET_MIN_ZIPF)]
    confused = load_checked("confused_drug_names", frozenset({"pairs"}))["pairs"]
    return {
        "key": index_key(),
        "names": "\n".join(names),
        "entries": "\n".join(_pack(generic, brand) for generic, brand in names.values()),
        "classes": {g: sorted(c) for g, c in classes.items()},
        "combinations": _combinations(canonical_data, set(base.values())),
        "targets": sorted(set(targets)),
        "confused": [[_normal(a), _normal(b)] for a, b in confused],
        "phrase_starts": sorted(phrase_starts(names)),
        "first_words": sorted({start.split(" ", 1)[0] for start in phrase_starts(names)}),
        "common_english": sum(1 for w in english if wordfreq.zipf_frequency(w, "en") >= COMMON_ZIPF),
    }, "\n".join(english)


def _usable(name: str) -> bool:
    """Plain names of 4+ characters and at most MAX_WORDS words (no chemical formulae or citations)."""
    return bool(_NAME.match(name)) and len(name) >= 4 and len(name.replace("-", " ").split()) <= MAX_WORDS


def _package_dictionary() -> dict[str, Any]:
    """The package's own bundled dictionary (the only pickle ever loaded, from the installed package)."""
    path = resources.files("drug_named_entity_recognition").joinpath(DATA_FILE)
    with path.open("rb") as handle, bz2.open(handle) as stream:
        return pickle.load(stream)  # noqa: S301 - the package's own data file


def _is_concept(canonical: str, data: dict[str, Any]) -> bool:
    """Class and concept entries: pharmacological-action MeSH nodes (D27), plural class words."""
    trees = data.get("mesh_tree") or []
    if trees and all(tree.startswith("D27") for tree in trees):
        return True
    if " " not in canonical and len(canonical) > 4 and canonical.endswith("s") and not canonical.endswith(_PLURAL_EXCEPTIONS):
        return True
    return "," in canonical and not data.get("drugbank_id")


def _base_generic(canonical: str, drugs: set[str], salts: set[str]) -> str:
    """Strip trailing salt words when what remains is itself a drug: "clorazepate dipotassium" -> "clorazepate"."""
    words = canonical.split()
    while len(words) > 1 and words[-1] in salts:
        words.pop()
    base = " ".join(words)
    return base if base in drugs else canonical


def _is_brand(variant: str, canonical: str, generic: str, flag: dict[str, Any] | None) -> bool:
    """The package's is_brand flag where given; else a variant unlike its generic (no shared 5-letter run) is a brand."""
    if variant in (canonical, generic):
        return False
    if flag and "is_brand" in flag:
        return bool(flag["is_brand"])
    if not variant.isalpha():
        return False
    match = SequenceMatcher(None, variant, generic).find_longest_match(0, len(variant), 0, len(generic))
    return match.size < 5


def _classes(canonical_data: dict[str, dict[str, Any]], base: dict[str, str]) -> dict[str, set[str]]:
    """Class memberships from the curated list and MeSH tree prefixes, with implied broader classes."""
    spec = load_checked("drug_classes", frozenset({"implies", "mesh", "classes"}))
    result: dict[str, set[str]] = {}
    for name, members in spec["classes"].items():
        for member in members:
            result.setdefault(_normal(member), set()).add(name)
    for name, rule in spec["mesh"].items():
        rule = check_keys(rule, f"rules/data/drug_classes.yaml: mesh.{name}", {"prefixes", "exclude"})
        for canonical, generic in base.items():
            trees = canonical_data[canonical].get("mesh_tree") or []
            if generic not in rule["exclude"] and any(t.startswith(p) for t in trees for p in rule["prefixes"]):
                result.setdefault(generic, set()).add(name)
    for classes in result.values():
        for name in list(classes):
            classes.update(spec["implies"].get(name, []))
    return result


def _combinations(canonical_data: dict[str, dict[str, Any]], generics: set[str]) -> list[list[str]]:
    """Combination products named in the package ("a, b, and c", "a/b", "a and b") as sets of generics."""
    result = []
    for canonical in canonical_data:
        parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|/", canonical) if p.strip()]
        if len(parts) > 1 and all(p in generics for p in parts):
            result.append(sorted(set(parts)))
    return result


__all__ = ["DrugEntry", "Lexicon", "LexiconDataError", "cache_path", "index_key", "load_checked", "load_lexicon", "remember_extra"]
