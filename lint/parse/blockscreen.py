"""markdown-it block rules screened by the line they would start at.

markdown-it tries every block rule at every line start, and the paragraph rule tries every
terminator rule at each line it continues over; for prose nearly every one of these calls returns
False after some bookkeeping (a debug log call, the indentation check). Most rules can only start
at a line whose first non-space character is one of a few: each is wrapped so that it is called
only at such a line. The screens are necessary conditions read from the rules' sources, taken
before any state is changed, so the tokens are the same (tests/test_block_screen.py compares them
with the stock parser's). `lheading` and `paragraph` are left alone: they run for every paragraph,
and lheading leaves `state.parentType` set even when it fails, which later rules read.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_block import RuleFuncBlockType
from markdown_it.rules_block import StateBlock

# Rule name -> the characters a line must start with (after its indentation) for the rule to match.
STARTS = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}


def screen_block_rules(parser: MarkdownIt) -> MarkdownIt:
    """Wrap the parser's enabled block rules in their screens (through `Ruler.at`, keeping each rule's chains)."""
    ruler = parser.block.ruler
    for rule in list(ruler.__rules__):
        screened = _screen(rule.name, rule.fn)
        if screened is not None:
            ruler.at(rule.name, screened, {"alt": list(rule.alt)})
    return parser


def _screen(name: str, rule: RuleFuncBlockType) -> RuleFuncBlockType | None:
    if name in STARTS:
        return _first_character(rule, STARTS[name])
    if name == "table":
        return _holds_pipe(rule)
    if name == "code":
        return _indented(rule)
    return None


def _first_character(rule: RuleFuncBlockType, starts: str) -> RuleFuncBlockType:
    """The rule, tried only at a non-empty line starting with one of `starts`."""

    def screened(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        return pos < state.eMarks[line] and state.src[pos] in starts and rule(state, line, end, silent)

    return screened


def _holds_pipe(rule: RuleFuncBlockType) -> RuleFuncBlockType:
    """A table, tried only at a line holding `|` (its header row needs one)."""

    def screened(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        found = state.src.find("|", state.bMarks[line] + state.tShift[line], state.eMarks[line])
        return found != -1 and rule(state, line, end, silent)

    return screened


def _indented(rule: RuleFuncBlockType) -> RuleFuncBlockType:
    """Indented code, tried only at a line indented four columns past the block's indent."""

    def screened(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        return state.sCount[line] - state.blkIndent >= 4 and rule(state, line, end, silent)

    return screened
