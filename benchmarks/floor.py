"""The spaCy floor: read every article under the given folders and run blank English + sentencizer
over it in one process (no parsing, no rules). Usage: python benchmarks/floor.py DIR..."""

from __future__ import annotations

import sys
from pathlib import Path

import spacy


def main(folders: list[str]) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    paths = sorted(p for folder in folders for p in Path(folder).rglob("*") if p.suffix in (".md", ".txt") and p.is_file())
    sentences = 0
    for doc in nlp.pipe(path.read_text(encoding="utf-8") for path in paths):
        sentences += sum(1 for _ in doc.sents)
    print(f"{len(paths)} files, {sentences} sentences")


if __name__ == "__main__":
    main(sys.argv[1:])
