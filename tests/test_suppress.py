"""Suppressions: ranges, next-line (stacked), same-line, front matter, text-file lines, unknown ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint_text, rule_lines

RULES = """\
rules:
  - id: no-miracle
    extends: existence
    message: "Avoid '{match}'."
    tokens: ["miracle"]
  - id: no-cure
    extends: existence
    message: "Avoid '{match}'."
    tokens: ["cures"]
"""
SELECT = ["no-miracle", "no-cure", "invalid-suppression"]


@pytest.fixture
def config(tmp_path: Path) -> dict:
    path = tmp_path / "house.yaml"
    path.write_text(RULES)
    return {"yaml_rules": [str(path)]}


def found(text: str, config: dict, name: str = "a.md") -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in lint_text(text, name=name, select=SELECT, config=config)}


def test_without_directives_everything_is_reported(config: dict) -> None:
    assert found("A miracle pill.\n\nIt cures colds.\n", config) == {("no-miracle", 1), ("no-cure", 3)}


def test_disable_enable_range_for_one_rule(config: dict) -> None:
    text = (
        "A miracle pill.\n"
        "<!-- healthlint-disable no-miracle -->\n"
        "Another miracle; it cures colds.\n"
        "<!-- healthlint-enable no-miracle -->\n"
        "A last miracle.\n"
    )
    assert found(text, config) == {("no-miracle", 1), ("no-cure", 3), ("no-miracle", 5)}


def test_bare_disable_covers_all_rules_until_enable_or_end(config: dict) -> None:
    text = "<!-- healthlint-disable -->\nA miracle that cures.\n<!-- healthlint-enable -->\nmiracle\n\n<!-- healthlint-disable no-cure, no-miracle -->\nmiracle cures\n"
    assert found(text, config) == {("no-miracle", 4)}


def test_disable_next_line_stacks_and_skips_blank_lines(config: dict) -> None:
    text = (
        "<!-- healthlint-disable-next-line no-miracle -->\n"
        "<!-- healthlint-disable-next-line no-cure -->\n"
        "A miracle that cures.\n"
        "A miracle that cures.\n"
        "<!-- healthlint-disable-next-line no-cure -- quoted from a reader -->\n"
        "\n"
        "It cures nothing, the miracle.\n"
    )
    assert found(text, config) == {("no-miracle", 4), ("no-cure", 4), ("no-miracle", 7)}


def test_disable_line_at_the_end_of_the_line(config: dict) -> None:
    text = "A miracle that cures. <!-- healthlint-disable-line no-cure -->\nmiracle\n"
    assert found(text, config) == {("no-miracle", 1), ("no-miracle", 2)}


def test_front_matter_disable(config: dict) -> None:
    text = "---\ntitle: x\nhealthlint:\n  disable: [no-cure]\n---\nA miracle that cures.\n"
    assert found(text, config) == {("no-miracle", 6)}
    single = "---\nhealthlint: {disable: no-miracle}\n---\nA miracle that cures.\n"
    assert found(single, config) == {("no-cure", 4)}


def test_text_files_use_bare_directive_lines(config: dict) -> None:
    text = "A miracle.\nhealthlint-disable-next-line no-miracle\nA miracle that cures.\nhealthlint-disable no-cure\nIt cures.\n"
    assert found(text, config, name="a.txt") == {("no-miracle", 1), ("no-cure", 3)}


def test_bare_lines_are_prose_in_markdown(config: dict) -> None:
    text = "healthlint-disable-next-line no-miracle\nA miracle.\n"
    assert found(text, config) == {("no-miracle", 1), ("no-miracle", 2)}


def test_html_comments_suppress_in_html(config: dict) -> None:
    text = "<p>A miracle.</p>\n<!-- healthlint-disable-next-line no-miracle -->\n<p>A miracle.</p>\n"
    assert found(text, config, name="a.html") == {("no-miracle", 1)}


def test_unknown_rule_is_reported_where_it_is_named(config: dict) -> None:
    text = "---\nhealthlint: {disable: [no-mirracle]}\n---\n\nSome text. <!-- healthlint-disable-line no-cure, no-kure -->\n"
    findings = [f for f in lint_text(text, select=SELECT, config=config) if f.rule == "invalid-suppression"]
    assert sorted((f.line, "no-mirracle" in f.message, "no-kure" in f.message) for f in findings) == [(1, True, False), (5, False, True)]
    assert rule_lines(findings) == [1, 5]
    inline = next(f for f in findings if f.line == 5)
    assert text.splitlines()[4][inline.column - 1 :].startswith("<!-- healthlint-disable-line")


def test_directives_inside_code_blocks_are_examples(config: dict) -> None:
    text = "How to silence a rule:\n\n```markdown\n<!-- healthlint-disable no-miracle -->\n```\n\n    <!-- healthlint-disable no-cure -->\n\nA miracle that cures.\n"
    assert found(text, config) == {("no-miracle", 9), ("no-cure", 9)}


def test_front_matter_disable_odd_shapes_never_crash(config: dict) -> None:
    assert found("---\nhealthlint: {disable: 'no-cure, no-miracle'}\n---\nmiracle cures\n", config) == set()
    odd = found("---\nhealthlint: {disable: 3}\n---\nmiracle\n", config)
    assert odd == {("no-miracle", 4), ("invalid-suppression", 1)}
    assert found("---\nhealthlint: off\n---\nmiracle\n", config) == {("no-miracle", 4)}
