"""The token table: each token's text, lower-case form, offsets and sentence as plain Python lists.

spaCy builds a new Token object on every `doc[i]` and every step of `for token in doc`; components
and rules that scan the same tokens several times read this table instead (built once per Doc by
hl_blocks, after sentence boundaries are final). Read it with `token_table(doc)`.
"""

from __future__ import annotations

import bisect
from operator import add
from dataclasses import dataclass, replace

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.tokens import Doc


@dataclass(frozen=True)
class TokenTable:
    """Parallel lists indexed by token position; `sentences` holds [start, end) token ranges."""

    text: list[str]
    lower: list[str]
    start: list[int]
    end: list[int]
    space_after: list[bool]
    sentences: list[tuple[int, int]]
    sentence_of: list[int]

    @classmethod
    def of(cls, doc: Doc, sentences: list[tuple[int, int]] | None = None) -> "TokenTable":
        """The table of a Doc; its sentences are `sentences` (token ranges), else the Doc's own."""
        text = doc._.text
        starts, lengths, spaces = doc.to_array([IDX, LENGTH, SPACY]).T.tolist() if len(doc) else ([], [], [])
        ends = list(map(add, starts, lengths))
        words = list(map(text.__getitem__, map(slice, starts, ends)))
        table = cls(words, list(map(str.lower, words)), starts, ends, list(map(bool, spaces)), [], [])
        return table.with_sentences([(sent.start, sent.end) for sent in doc.sents] if sentences is None else sentences)

    def with_sentences(self, sentences: list[tuple[int, int]]) -> "TokenTable":
        """The same tokens divided into `sentences` ([start, end) token ranges covering every token)."""
        owner = [0] * len(self.text)
        for index, (first, last) in enumerate(sentences):
            owner[first:last] = [index] * (last - first)
        return replace(self, sentences=sentences, sentence_of=owner)

    def __len__(self) -> int:
        return len(self.text)

    def token_at(self, offset: int) -> int:
        """The position of the last token starting at or before character `offset` (0 for an empty table)."""
        return max(0, bisect.bisect_right(self.start, offset) - 1)

    def sentence_span(self, index: int) -> tuple[int, int]:
        """Character range [start, end) of sentence `index`."""
        first, last = self.sentences[index]
        return self.start[first], self.end[last - 1]


if not Doc.has_extension("tokens"):
    Doc.set_extension("tokens", default=None)


def token_table(doc: Doc) -> TokenTable:
    """The Doc's token table (built on first use when hl_blocks did not run)."""
    table = doc._.tokens
    if table is None:
        table = doc._.tokens = TokenTable.of(doc)
    return table
