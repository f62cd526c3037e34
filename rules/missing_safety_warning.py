"""Flags an article about a drug with boxed or major warnings that leaves a required topic out.

## What it does
Finds the article's subject drug (from `hl_drugs`), looks up its classes, and checks that the
article mentions every required safety topic of each class, as listed with several ways of saying
each in `rules/data/safety_warnings.yaml`: benzodiazepines (combined use with opioids; abuse,
misuse and addiction; dependence and withdrawal), opioids (addiction and misuse; respiratory
depression; combined use with benzodiazepines or other CNS depressants), antidepressants
(suicidal thoughts and behaviour in young people), NSAIDs (heart attack and stroke; stomach
bleeding), acetaminophen (liver damage; maximum daily dose), z-drugs (complex sleep behaviours).
Reported once at line 1, naming the missing topics and the FDA communication behind them.

## Why is this bad?
These are the warnings regulators put in a box at the top of the label because people died
without them. A patient-facing article that omits them gives a falsely reassuring picture.

## Example
```markdown
# Taking alprazolam for panic disorder

Alprazolam is a benzodiazepine that can calm panic attacks within an hour. Stopping it suddenly
can cause withdrawal, and long-term use can lead to dependence.
```

## Use instead
```markdown
# Taking alprazolam for panic disorder

Alprazolam is a benzodiazepine that can calm panic attacks within an hour. Stopping it suddenly
can cause withdrawal, and long-term use can lead to dependence. Misuse and addiction are possible.
Taking it with opioid painkillers can slow breathing dangerously.
```

## Not flagged
Articles whose main subject is not in a listed class (a drug merely mentioned in passing), drugs a
class lists under `exclude` (aspirin among the NSAIDs), topics mentioned anywhere in the article
(reader comments excepted).

## Options
- `extra_topics` (mapping of class -> list of topics, same keys as the data file): more required topics.
- `subjects` (integer, default 1): how many of the article's strongest subjects are checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from healthlint.finding import Authority, Finding, Severity
from healthlint.phrases import LowerCasePatterns, union
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import check_keys, load_data

RULE = Rule(
    id="missing-safety-warning",
    summary="An article about a drug with boxed warnings omits a required safety topic",
    severity=Severity.WARNING,
    tags=("safety",),
    file_level=True,
    options={"extra_topics": {}, "subjects": 1},
)

TOPIC_KEYS = {"id", "name", "phrases", "source"}


@lru_cache(maxsize=1)
def shipped_classes() -> dict[str, dict[str, Any]]:
    data = check_keys(load_data("safety_warnings"), {"classes"}, set(), "rules/data/safety_warnings.yaml")
    classes = {}
    for name, entry in data["classes"].items():
        where = f"rules/data/safety_warnings.yaml: classes.{name}"
        check_keys(entry, {"topics"}, {"exclude"}, where)
        for topic in entry["topics"]:
            check_keys(topic, TOPIC_KEYS, set(), f"{where}.topics")
        classes[name] = entry
    return classes


def classes_for(options: dict[str, Any]) -> dict[str, dict[str, Any]]:
    classes = {name: {"topics": list(e["topics"]), "exclude": list(e.get("exclude", []))} for name, e in shipped_classes().items()}
    for name, topics in (options.get("extra_topics") or {}).items():
        for topic in topics:
            check_keys(topic, TOPIC_KEYS, set(), f"option extra_topics.{name}")
        classes.setdefault(name, {"topics": [], "exclude": []})["topics"] += topics
    return classes


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    classes = classes_for(ctx.options)
    sentences: _Sentences | None = None
    for subject in _subjects(doc)[: int(ctx.options["subjects"])]:
        missing = []
        for class_name in sorted(drug_classes(doc, subject, ctx)):
            entry = classes.get(class_name)
            if entry is None or subject in entry["exclude"]:
                continue
            sentences = _sentences(doc) if sentences is None else sentences
            missing += [topic for topic in entry["topics"] if topic not in missing and not mentioned(topic, sentences, doc._.text)]
        if missing:
            names = "; ".join(topic["name"] for topic in missing)
            yield ctx.line_finding(1, f"article about {subject} does not mention: {names}", source=Authority(**missing[0]["source"]))


def _subjects(doc) -> list[str]:
    return list(doc._.subjects or []) if doc.has_extension("subjects") else []


def drug_classes(doc, generic: str, ctx: RuleContext) -> frozenset[str]:
    """The subject's classes: from its mention spans, else from the lexicon."""
    for mention in doc._.drugs or []:
        if mention.generic == generic:
            return frozenset(mention.classes)
    try:
        from healthlint.lexicon import load_lexicon
    except ImportError:
        return frozenset()
    return load_lexicon(ctx.config.lexicon or None).classes_of(generic)


@dataclass(frozen=True)
class _Sentences:
    """The lower-cased sentences before the reader comments. For ASCII text also the lower-cased text
    and the sentences' [start, end) in it: a phrase is then sought only in the sentences holding one of
    its required literals, each literal looked for once in the whole text."""

    texts: list[str]
    lowered: str | None
    spans: list[tuple[int, int]]

    def to_search(self, phrase: LowerCasePatterns) -> list[str]:
        """The sentences in which `phrase` may match."""
        if self.lowered is None:
            return self.texts
        return [self.lowered[start:stop] for start, stop in phrase.spans_to_search(self.lowered, self.spans)]


def _sentences(doc) -> _Sentences:
    """The lower-cased sentences before the reader comments."""
    from healthlint.components.tokens import token_table  # spaCy-bound: imported with a Doc, not when rules are listed

    table = token_table(doc)
    text = doc._.text
    end = doc._.comments_start if doc._.comments_start is not None else len(text)
    starts, ends = table.start, table.end
    spans = [(starts[first], ends[last - 1]) for first, last in table.sentences if starts[first] < end]
    if text.isascii():  # lower-cased once: ASCII lower case is the same whole or sliced
        lowered = text.lower()
        return _Sentences([lowered[start:stop] for start, stop in spans], lowered, spans)
    return _Sentences([text[start:stop].lower() for start, stop in spans], None, spans)


def mentioned(topic: dict[str, Any], sentences: _Sentences, text: str) -> bool:
    """A phrase of the topic (or all parts of a compound phrase) in one sentence; `text` is the
    analysed text the sentences come from."""
    for phrase in _ways_of_saying(tuple(p if isinstance(p, str) else tuple(p) for p in topic["phrases"])):
        parts = phrase.compiled(text)
        if any(all(part.search(sentence) for part in parts) for sentence in sentences.to_search(phrase)):
            return True
    return False


@lru_cache(maxsize=256)
def _ways_of_saying(phrases: tuple[str | tuple[str, ...], ...]) -> tuple[LowerCasePatterns, ...]:
    """The topic's single phrases folded into one pattern, then each compound phrase's parts."""
    singles = [phrase for phrase in phrases if isinstance(phrase, str)]
    compounds = [LowerCasePatterns(phrase) for phrase in phrases if not isinstance(phrase, str)]
    return ((LowerCasePatterns([union(singles)]),) if singles else ()) + tuple(compounds)
