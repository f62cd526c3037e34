"""The screened block rules (lint/parse/blockscreen.py) give the stock parser's tokens, token for token."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from healthlint.parse.blockscreen import screen_block_rules

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "corpus", ROOT / "tests" / "fixtures", ROOT.parent / "shared" / "seeds")
BENCHMARK = ROOT / "benchmarks" / "out" / "corpus-2000" / "part000"


def _parser(screened: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    return screen_block_rules(parser) if screened else parser


STOCK, SCREENED = _parser(False), _parser(True)


def _stream(tokens: list[Token] | None) -> list[tuple]:
    return [(t.type, t.map, t.content, t.markup, t.info, t.attrs, _stream(t.children)) for t in tokens or []]


def _same(text: str) -> None:
    assert _stream(SCREENED.parse(text)) == _stream(STOCK.parse(text))


def _articles() -> list[Path]:
    found = [path for folder in FOLDERS if folder.is_dir() for path in sorted(folder.rglob("*")) if path.suffix in (".md", ".txt")]
    return found + sorted(BENCHMARK.rglob("*.md"))[:150]


def test_the_screens_change_the_rule_chains() -> None:
    assert STOCK.block.ruler.getRules("paragraph") != SCREENED.block.ruler.getRules("paragraph")
    assert len(STOCK.block.ruler.getRules("paragraph")) == len(SCREENED.block.ruler.getRules("paragraph"))


def test_same_tokens_for_every_article() -> None:
    articles = _articles()
    assert len(articles) > 100
    for path in articles:
        _same(path.read_text(encoding="utf-8", errors="replace"))


LINE_STARTS = ["", " ", "  ", "    ", "\t", "> ", ">", "- ", "-", "* ", "+ ", "1. ", "2) ", "10. ", "# ", "## ", "#", "```", "~~~",
               "---", "***", "___", "- - -", "===", "<div>", "<!-- ", "</p>", "<pre>", "[a]: /url", "[a]", "| a | b |", "|---|---|",
               "a | b", "--- | ---", ":-:|", "    code", "1.", "-\t"]
WORDS = ["text", "*em*", "`code`", "|", "[link](/u)", "<b>", "-->", "</div>", "```", "~~~", "#", ">", "-", "1.", "www.example.com", "'title'", ":"]
LINES = st.tuples(st.sampled_from(LINE_STARTS), st.lists(st.sampled_from(WORDS), max_size=4)).map(lambda pair: pair[0] + " ".join(pair[1]))


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=14))
def test_same_tokens_for_generated_markdown(lines: list[str]) -> None:
    _same("\n".join(lines))


@pytest.mark.parametrize("text", ["a\n", "", "\n\n", "  ", "a\n    ", "| a |\n|---|\n| b |", "> - 1. # x\n> ---\n", "text\n1) next", "text\n2. next"])
def test_same_tokens_for_edge_cases(text: str) -> None:
    _same(text)
