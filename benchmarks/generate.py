"""Deterministic benchmark corpus: Markdown articles built from the project's corpus/ articles.

Paragraphs, list items and headings come from corpus/**/*.md (annotation markers and suppression
comments removed) and from benchmarks/data.yaml templates; each article gets its own subject drug
(substituted for every known drug name in borrowed text), front matter and markup (emphasis, links,
lists, tables, block quotes). The same seed and sizes give the same bytes.

    python benchmarks/generate.py --out benchmarks/out/corpus --articles 2000
    python benchmarks/generate.py --out benchmarks/out/long --long
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data.yaml"
_MARKER = re.compile(r"[ \t]*<!--.*?-->", re.DOTALL)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
LONG_SIZES = {"1k": (1_000, 50), "5k": (5_000, 1), "20k": (20_000, 1), "50k": (50_000, 1)}


@dataclass
class Material:
    """Text to build articles from: prose paragraphs, list items, headings, sentence templates, drugs."""

    paragraphs: list[str]
    items: list[str]
    headings: list[str]
    sentences: list[str]
    drugs: list[dict[str, str]]

    @property
    def drug_pattern(self) -> re.Pattern[str]:
        names = sorted({d[key] for d in self.drugs for key in ("generic", "brand")}, key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)


def load_material(corpus: Path = ROOT / "corpus") -> Material:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    paragraphs, items, headings = [], [], list(data["headings"])
    for path in sorted(corpus.rglob("*.md")):
        body = _FRONT.sub("", path.read_text(encoding="utf-8"))
        for block in re.split(r"\n\s*\n", _MARKER.sub("", body)):
            block = block.strip()
            if not block or block.startswith(("|", "```", "<")):
                continue
            if block.startswith("#"):
                headings.append(block.lstrip("#").strip())
            elif block.startswith(("- ", "* ", "1. ")):
                items += [re.sub(r"^(?:[-*]|\d+\.)\s+", "", line).strip() for line in block.splitlines() if line.strip()]
            else:
                paragraphs.append(" ".join(line.strip() for line in block.splitlines()))
    return Material(paragraphs, items, headings, list(data["sentences"]), list(data["drugs"]))


class ArticleWriter:
    """Builds one article of about `words` words from a seeded random generator."""

    def __init__(self, material: Material, rng: random.Random) -> None:
        self.m = material
        self.rng = rng
        self.drug = rng.choice(material.drugs)
        self.other = rng.choice([d for d in material.drugs if d is not self.drug])

    def article(self, words: int, index: int) -> str:
        parts = [self._front_matter(index), f"# {self._fill('{Drug}: uses, doses and side effects')}\n"]
        count = 0
        while count < words:
            heading = self._fill(self.rng.choice(self.m.headings))
            section = self._section(min(words - count, self.rng.randint(120, 260)))
            parts += [f"{'#' * self.rng.choice((2, 2, 3))} {heading}\n", section]
            count += len(heading.split()) + len(section.split())
        parts.append("Reviewed by the editorial team.\n")
        return "\n".join(parts)

    def _front_matter(self, index: int) -> str:
        fields = [f'title: "{self._fill("{Drug} explained")}"', f"drug: {self.drug['generic']}"]
        if self.rng.random() < 0.7:
            fields.append(f"reviewed: 2025-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}")
        if self.rng.random() < 0.5:
            fields.append(f"tags: [{self.drug['class'].replace(' ', '-')}, medicines]")
        fields.append(f"id: bench-{index:05d}")
        return "---\n" + "\n".join(fields) + "\n---\n"

    def _section(self, words: int) -> str:
        blocks, count = [], 0
        while count < words:
            roll = self.rng.random()
            if roll < 0.15:
                block = self._list()
            elif roll < 0.2:
                block = self._table()
            elif roll < 0.24:
                block = "> " + self._paragraph()
            else:
                block = self._paragraph()
            blocks.append(block + "\n")
            count += len(block.split())
        return "\n".join(blocks)

    def _paragraph(self) -> str:
        pieces = []
        for template in self.rng.sample(self.m.sentences, self.rng.randint(2, 5)):
            if self.m.paragraphs and self.rng.random() < 0.4:
                pieces.append(self._swap_drugs(self.rng.choice(self.m.paragraphs)))
            else:
                pieces.append(self._fill(template))
        return self._markup(" ".join(pieces))

    def _list(self) -> str:
        pool = [self._swap_drugs(item) for item in self.m.items] or []
        entries = [self.rng.choice(pool) if pool and self.rng.random() < 0.3 else self._fill(self.rng.choice(self.m.sentences)) for _ in range(self.rng.randint(3, 6))]
        bullet = self.rng.choice(("- ", "* ", "1. "))
        return "\n".join(bullet + entry for entry in entries)

    def _table(self) -> str:
        rows = ["| Question | Answer |", "| --- | --- |"]
        for _ in range(self.rng.randint(2, 4)):
            rows.append(f"| {self._fill(self.rng.choice(self.m.headings))} | {self._fill(self.rng.choice(self.m.sentences))} |")
        return "\n".join(rows)

    def _markup(self, text: str) -> str:
        words = text.split(" ")
        if len(words) > 8 and self.rng.random() < 0.5:
            at = self.rng.randrange(len(words) - 3)
            style = self.rng.choice(("**{}**", "*{}*", "[{}](https://example.org/medicines/" + self.drug["generic"] + ")"))
            words[at : at + 2] = [style.format(" ".join(words[at : at + 2]))]
        return " ".join(words)

    def _fill(self, template: str) -> str:
        drug, other = self.drug, self.other
        return template.format(drug=drug["generic"], Drug=drug["generic"].capitalize(), brand=drug["brand"], other=other["generic"], **{"class": drug["class"]})

    def _swap_drugs(self, text: str) -> str:
        """Replace each distinct drug named in borrowed text: the first by the subject, the next by the other drug."""
        names = {d[key].lower(): d["generic"] for d in self.m.drugs for key in ("generic", "brand")}
        targets: dict[str, dict[str, str]] = {}
        pool = [self.drug, self.other] + self.rng.sample(self.m.drugs, 3)

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            generic = names[word.lower()]
            target = targets.setdefault(generic, pool[min(len(targets), len(pool) - 1)])
            name = target["brand"] if word.lower() != generic else target["generic"]
            return name[0].upper() + name[1:] if word[0].isupper() else name

        return self.m.drug_pattern.sub(replace, text)


def write_corpus(out: Path, articles: int, words: int = 1_000, seed: int = 2026, material: Material | None = None) -> int:
    """Write `articles` articles of about `words` words into out/ (100 per folder); returns total words."""
    material = material or load_material()
    total = 0
    for index in range(articles):
        text = ArticleWriter(material, random.Random(f"{seed}-{words}-{index}")).article(words, index)
        path = out / f"part{index // 100:03d}" / f"article-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


def write_long(out: Path, seed: int = 2026) -> dict[str, int]:
    """The long-article sets: 50 articles of 1k words, and one article each of 5k, 20k, 50k words."""
    material = load_material()
    return {name: write_corpus(out / name, count, words, seed, material) for name, (words, count) in LONG_SIZES.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--long", action="store_true", help="Write the long-article sets instead.")
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    if args.long:
        print(write_long(args.out, args.seed))
    else:
        print(write_corpus(args.out, args.articles, args.words, args.seed), "words")


if __name__ == "__main__":
    main()
