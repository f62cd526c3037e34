"""The quick screens behind the faster rules and parser: never a different answer from the slow way."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt

from healthlint.parse.markdown import linkifier, parse_markdown
from healthlint.phrases import LowerCasePatterns, lower_in_place, opens_with_repeat, required_literals, union
from healthlint.ruledata import load_data
from healthlint.source import Source

# Letters that IGNORECASE folds unlike str.lower(), plus the marks linkify-it looks for.
TRICKY = "ıİſKkKsSiI .:/@-'’wWLlOoCcAaHhTt0123456789\n©→•µΜμÉé"
PATTERNS = [
    *load_data("absolute_claims")["claims"],
    *load_data("disclaimers")["strong"],
    r"\bmiracle\b",
    r"Sleep\S*",  # an upper-case letter: kept case-insensitive
    r"[a-z]{2}\d",
    "localhost",
    *(item["pattern"] for item in load_data("boilerplate")["patterns"]),  # caseless symbols: ©, →, •
    "café", "µg",  # non-ASCII letters with a case: kept case-insensitive
]
WORDS = ["© 2024 site", "back to top ↑", "facebook • twitter", "this site uses cookies", "5 µg", "CAFÉ", "miracle", "cure", "anxiety", "side effects", "no", "completely safe", "www.", "http:", "mailto:", "localhost",
         "example.com", "1.2.3.4", "a@b.io", "not a substitute for professional medical advice", "sleep"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=TRICKY, max_size=6)), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_lower_case_patterns_agree_with_ignorecase_on_lower_cased_text(text: str) -> None:
    lowered = text.lower()
    patterns = LowerCasePatterns(PATTERNS)
    expected = [bool(re.search(p, lowered, re.IGNORECASE)) for p in PATTERNS]
    assert [bool(p.search(lowered)) for p in patterns.compiled(lowered)] == expected


@settings(max_examples=300, deadline=None)
@given(texts)
def test_screen_never_rules_out_an_ignorecase_match(text: str) -> None:
    patterns = LowerCasePatterns([union(PATTERNS)])
    if re.search(union(PATTERNS), text, re.IGNORECASE):
        assert patterns.may_match(text)
    if re.fullmatch(union(PATTERNS), text, re.IGNORECASE):
        assert patterns.may_match(text, whole=True)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_screen_of_separate_patterns_never_rules_out_an_ignorecase_match(text: str) -> None:
    patterns = LowerCasePatterns(PATTERNS)
    for whole in (False, True):
        if any((re.fullmatch if whole else re.search)(p, text, re.IGNORECASE) for p in PATTERNS):
            assert patterns.may_match(text, whole=whole)


def test_caseless_symbols_keep_a_pattern_case_sensitive_and_screened() -> None:
    patterns = LowerCasePatterns(["(?:back to top)\\s*[↑⬆]", "© \\d{4}", "café"])
    assert [bool(p.flags & re.IGNORECASE) for p in patterns.compiled("text")] == [False, False, True]
    assert not patterns.may_match("back to the top", whole=True)
    assert patterns.may_match("Back to top ↑", whole=True)


def test_opens_with_repeat() -> None:
    assert opens_with_repeat(r".{0,120}\bcookies")
    assert opens_with_repeat(r"(?:[\w-]+\s+){0,3}articles")
    assert not opens_with_repeat(r"(?:proudly\s+)?powered by")
    assert not opens_with_repeat(r"\d+\s+comments?")
    assert not opens_with_repeat("(")


def test_screen_catches_folded_letters() -> None:
    patterns = LowerCasePatterns([r"\bmiracle\b", "side effects"])
    assert patterns.may_match("MIRACLE")
    assert patterns.may_match("a mıracle")  # dotless i
    assert patterns.may_match("no ſide effects")  # long s
    assert patterns.may_match("MİRACLE")  # lower-cases to two characters: always passes
    assert not patterns.may_match("a marvel with few effects")
    assert lower_in_place("İstanbul") is None
    assert lower_in_place("ABC") == "abc"


@settings(max_examples=400, deadline=None)
@given(texts)
def test_linkify_screen_changes_no_answer(text: str) -> None:
    plain, ours = LinkifyIt(), linkifier()
    assert ours.may_link(text) or not plain.test(text)  # only a screen: test() decides
    assert ours.test(text) == plain.test(text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_bare_links_in_markdown_are_the_ones_linkify_it_finds(text: str) -> None:
    article = parse_markdown(Source("t.md", text.replace("\n", " ")))
    for block in article.blocks:
        found = [(link.start, link.end, link.url) for link in article.links if block.start <= link.start < block.end]
        expected = [(block.start + m.index, block.start + m.last_index, m.url) for m in LinkifyIt().match(article.block_text(block)) or []]
        assert found == expected


@settings(max_examples=300, deadline=None)
@given(texts)
def test_required_literals_are_in_every_match(text: str) -> None:
    lowered = text.lower()
    for pattern in map(re.compile, [*PATTERNS, union(PATTERNS)]):
        literals = required_literals(pattern)
        if pattern.search(lowered) and literals:
            assert any(literal in lowered for literal in literals)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5))
def test_spans_to_search_keeps_every_span_with_a_match(parts: list[str]) -> None:
    lowered = " ".join(parts).lower()
    spans, start = [], 0
    for part in parts:
        spans.append((start, start + len(part)))
        start += len(part) + 1
    patterns = LowerCasePatterns([union(load_data("absolute_claims")["claims"])])
    kept = patterns.spans_to_search(lowered, spans)
    assert kept == sorted(kept) and set(kept) <= set(spans)
    assert [span for span in spans if patterns.search(lowered[span[0] : span[1]])] == [span for span in kept if patterns.search(lowered[span[0] : span[1]])]


def test_required_literals_of_sequences_and_groups() -> None:
    assert required_literals(re.compile(r"\bnot (a|b) advice\b")) == (" advice",)
    assert required_literals(re.compile(r"\b(no|zero) side effects")) == (" side effects",)
    assert required_literals(re.compile(r"(safe|harmless) x")) == ("harmless", "safe")
    assert required_literals(re.compile(r"ab?c")) == ("a",)
    assert required_literals(re.compile(r"a|b")) == ()
    assert required_literals(re.compile(r"(?i)abc")) == () and required_literals(re.compile("abc", re.IGNORECASE)) == ()
    assert required_literals(re.compile(r"(?i:abc)d")) == ("d",)


def test_linkify_screen_rules_out_plain_prose_quickly() -> None:
    ours = linkifier()
    assert not ours.may_link("Take 5 mg twice a day. Note: with food")
    assert ours.may_link("see example.com")
    assert ours.may_link("HTTP:x") and ours.may_link("WWW. x") and ours.may_link("LOCALHOST")
