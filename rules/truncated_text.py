"""Flags an article whose body stops mid-sentence or mid-word.

## What it does
Looks at the last block of the body, after setting aside trailing site chrome (comment sections,
footers, link lists: the same detection as the `boilerplate` rule, including its configured extra
patterns) and whitespace. When that block is a paragraph that does not end with closing
punctuation (`.`, `!`, `?`, `…`, optionally followed by a closing quote or bracket), the article
was cut off, usually by a scraper, a paste or a CMS length limit. The finding is reported on the
last line of the body.

## Why is this bad?
The final sentence of a health article is often the one that matters ("... do not stop taking it
without talking to your doctor"). A reader who meets "It's crucial for e" does not know what was lost,
and the page looks broken.

## Example
```markdown
# Stopping venlafaxine

Coming off venlafaxine should be slow. Most prescribers reduce the dose every two to four weeks and
it is important to tell your doctor wh
```

## Use instead
```markdown
# Stopping venlafaxine

Coming off venlafaxine should be slow. Most prescribers reduce the dose every two to four weeks, and
it is important to tell your doctor when symptoms appear.
```

## Not flagged
- An article that ends with a heading, a list item, a table, a link or a list of page titles.
- A signature, byline or date line ("— Dr. Ana Ruiz, PharmD", "Reviewed by ...", "Updated March 2024").
- The last entry of a References, Sources or Further reading section.
- A closing label after a colon ("More on tapering: Benzo Withdrawal Guide"), which is a link caption,
  and a line opening with an exempt section's title ("Further reading: how to use a spacer").
- An inline teaser for another page ("You might also like: 7 asthma triggers hiding in your home"):
  it is site chrome (see `boilerplate`), so the body ends before it.

## Options
- `extra_endings` (list of regular expressions, default `[]`): whole-block patterns of your own
  house sign-offs that end without punctuation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from healthlint import boilerplate
from healthlint.article import Article, Block
from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import check_keys, load_data

RULE = Rule(
    id="truncated-text",
    summary="The article body ends mid-sentence or mid-word",
    severity=Severity.ERROR,
    tags=("hygiene",),
    file_level=True,
    options={"extra_endings": []},
)

CLOSED = re.compile(r"[.!?…]['\"”’)\]»*_]*$|https?://\S+$")
LABEL_MAX_WORDS = 6
SHOWN_CHARS = 40


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    article = ctx.article
    last = last_body_block(article, boilerplate.patterns_for(ctx.config, article.path))
    if last is None or not _is_open_ended(article, last, tuple(ctx.options["extra_endings"])):
        return
    text = " ".join(article.block_text(last).split())
    tail = text if len(text) <= SHOWN_CHARS else "…" + text[-SHOWN_CHARS:]
    line = article.position(last.end - 1)[0]
    yield ctx.line_finding(line, f"the article ends mid-sentence: {tail!r}; restore the missing text or finish the sentence")


def last_body_block(article: Article, patterns: tuple[boilerplate.Pattern, ...]) -> Block | None:
    """The last block that is neither site chrome nor filler."""
    chrome = boilerplate.chrome_blocks(article, patterns)
    for index in range(len(article.blocks) - 1, -1, -1):
        block = article.blocks[index]
        if index not in chrome and not boilerplate.is_filler(article.block_text(block)):
            return block
    return None


def _is_open_ended(article: Article, block: Block, extra: tuple[str, ...]) -> bool:
    """A paragraph of prose whose last sentence has no closing punctuation."""
    text = " ".join(article.block_text(block).split())
    if block.kind != "paragraph" or block.quote or CLOSED.search(text):
        return False
    if boilerplate.is_link_only(article, block) or _ends_with_label(text) or _in_exempt_section(article, block):
        return False
    if _opens_exempt_section(text):
        return False
    return not any(pattern.fullmatch(text) for pattern in _endings(extra))


def _ends_with_label(text: str) -> bool:
    """'More on tapering: Benzo Withdrawal Guide': a short capitalised caption after a colon."""
    if ":" not in text:
        return False
    label = text.rsplit(":", 1)[1].split()
    return 0 < len(label) <= LABEL_MAX_WORDS and all(word[0].isupper() or word[0].isdigit() for word in label)


def _opens_exempt_section(text: str) -> bool:
    """'Further reading: how to use a spacer': an exempt section's title written inline before a colon."""
    lead, colon, rest = text.partition(":")
    return bool(colon and rest.strip()) and any(pattern.fullmatch(lead.strip()) for pattern in _exempt_sections())


def _in_exempt_section(article: Article, block: Block) -> bool:
    heading = article.heading_of(block)
    if heading is None:
        return False
    title = " ".join(article.block_text(heading).split()).rstrip(":").strip()
    return any(pattern.fullmatch(title) for pattern in _exempt_sections())


@lru_cache(maxsize=1)
def _exempt_sections() -> tuple[re.Pattern[str], ...]:
    items = load_data("truncated_text").get("exempt_sections") or []
    return tuple(re.compile(str(item), re.IGNORECASE) for item in items)


@lru_cache(maxsize=16)
def _endings(extra: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Signatures, bylines and other legitimate endings: shipped patterns plus the configured extras."""
    found = []
    for index, item in enumerate(load_data("truncated_text").get("endings") or []):
        item = check_keys(item, {"name", "pattern"}, {"case_sensitive"}, f"rules/data/truncated_text.yaml: endings[{index}]")
        flags = 0 if item.get("case_sensitive") else re.IGNORECASE
        found.append(re.compile(item["pattern"], flags))
    return tuple(found) + tuple(re.compile(text, re.IGNORECASE) for text in extra)
