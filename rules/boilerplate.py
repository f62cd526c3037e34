"""Flags site chrome left in the article body: comment sections, footers, share buttons, link lists.

## What it does
Finds regions of website furniture that came along when the article was scraped or exported:
comment sections and their headers ("5 thoughts on ...", "Leave a reply", "Comments are closed"),
"Powered by ..." footers, subscribe and newsletter prompts, "Continue reading", "Up ↑", share
buttons, cookie notices, navigation ("Main Menu"), empty review widgets ("There are no reviews
yet"), lists of links to other pages ("Related articles", "Recovery articles for you") and teasers
for another page printed inline ("You might also like: 7 asthma triggers hiding in your home").
Consecutive chrome blocks form one region, and each region is reported once, at its first line.
A comment-section header takes everything after it (the readers' comments) into the region; a
link-list header takes the page titles and links that follow it (a title may be one question,
"Is decaf really caffeine free?"), up to the next chrome block: "Leave a Reply" after a related
list opens the comment section. A heading whose section holds
only chrome (such as "Reviews" above "There are no reviews yet") belongs to the region.

## Why is this bad?
Readers of a health article should not meet a stranger's comment about their own dosing as if it
were part of the advice, nor a "Subscribe to keep reading" prompt in the middle of a printed leaflet.
Chrome also hides the real end of the article, so a truncated ending goes unnoticed.

## Example
```markdown
# Sertraline and sleep

Take sertraline in the morning if it keeps you awake at night.

Leave a Reply

Your email address will not be published.
```

## Use instead
```markdown
# Sertraline and sleep

Take sertraline in the morning if it keeps you awake at night.
```

## Not flagged
- Phrases inside ordinary sentences ("Read more about tapering in our withdrawal guide."): patterns
  match whole blocks only.
- Quoted blocks (a reader's letter quoted on purpose) and an editorial "Further reading" or
  "Related reading" list of sources, or a "See also: ..." line: those are content, not site furniture.
- A line that only opens like a teaser ("Related: the dose is lower in kidney disease."): an inline
  teaser is one page title, which does not end like a sentence.
- A table cell matching a pattern ("Recommended" in a verdict column) unless its whole row is chrome.
- A medical disclaimer ("This article is for informational purposes only ...").

## Options
- `extra_patterns` (list of regular expressions, default `[]`): more whole-block patterns for a
  team's own CMS chrome, e.g. `"Print this leaflet"`.
- `extra_link_headers` (list of regular expressions, default `[]`): more headers of link lists,
  e.g. `"Our readers also viewed"`; the titles and links after them join the region.
"""

from __future__ import annotations

from typing import Iterator

from healthlint import boilerplate
from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext

RULE = Rule(
    id="boilerplate",
    summary="Site chrome (comments, footers, share buttons, link lists) left in the body",
    severity=Severity.WARNING,
    tags=("hygiene",),
    options={"extra_patterns": [], "extra_link_headers": []},
)


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    patterns = boilerplate.compile_patterns(tuple(ctx.options["extra_patterns"]), tuple(ctx.options["extra_link_headers"]))
    article = ctx.article
    for region in boilerplate.regions(article, patterns):
        first, last = article.blocks[region.first], article.blocks[region.last]
        lines = article.block_line(last) - article.block_line(first) + 1
        extent = f" ({lines} lines)" if lines > 1 else ""
        message = f"site chrome in the article body ({region.pattern}){extent}; remove it"
        yield ctx.finding(first.start, first.end, message)
