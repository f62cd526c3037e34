"""Declarative YAML rules: existence, substitution, required; scopes; load-time errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint.cli import main
from healthlint.config import ConfigError
from healthlint.yaml_rules import load_yaml_rules

from tests.helpers import ROOT, lint_text

RULES = """\
rules:
  - id: no-miracle
    extends: existence
    message: "Avoid '{match}'."
    severity: error
    scope: paragraph
    tokens: ["miracle (?:drug|pill)", "cures? everything"]
  - id: no-heading-shout
    extends: existence
    message: "No '{match}' in headings."
    scope: heading
    tokens: ["must read"]
  - id: house-acetaminophen
    extends: substitution
    message: "Write '{replacement}', not '{match}'."
    severity: info
    swap: {"paracetamol": "acetaminophen", "tylenol 3": "Tylenol with Codeine"}
  - id: needs-disclaimer
    extends: required
    message: "Add the disclaimer."
    tokens: ["not medical advice"]
"""
ARTICLE = """\
# Must read: paracetamol facts

Paracetamol is no miracle pill, and this miracle drug cures everything is a myth.
A must read for parents: paracetamol doses differ for children.
"""


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "house.yaml"
    path.write_text(RULES)
    return path


def run(text: str, rules_file: Path, name: str = "a.md") -> list:
    ids = ["no-miracle", "no-heading-shout", "house-acetaminophen", "needs-disclaimer"]
    return lint_text(text, name=name, select=ids, config={"yaml_rules": [str(rules_file)]})


def test_existence_substitution_and_required(rules_file: Path) -> None:
    findings = run(ARTICLE, rules_file)
    got = sorted((f.rule, f.line, f.column, f.context, f.severity.value) for f in findings)
    assert got == [
        ("house-acetaminophen", 3, 1, "Paracetamol", "info"),
        ("house-acetaminophen", 4, 26, "paracetamol", "info"),
        ("needs-disclaimer", 1, 1, "# Must read: paracetamol facts", "warning"),
        ("no-heading-shout", 1, 3, "Must read", "warning"),
        ("no-miracle", 3, 19, "miracle pill", "error"),
        ("no-miracle", 3, 42, "miracle drug", "error"),
        ("no-miracle", 3, 55, "cures everything", "error"),
    ]
    fixes = {f.context: f.fix.replacement for f in findings if f.fix}
    assert fixes == {"Paracetamol": "Acetaminophen", "paracetamol": "acetaminophen"}
    assert "Write 'Acetaminophen', not 'Paracetamol'." in {f.message for f in findings}


def test_heading_scope_text_is_not_matched_by_paragraph_rules_and_vice_versa(rules_file: Path) -> None:
    findings = run("# A miracle pill\n\nNot medical advice. A must read.\n", rules_file)
    assert [(f.rule, f.line) for f in findings] == []


def test_word_boundaries_and_already_preferred(rules_file: Path) -> None:
    findings = run("Miracles happen; not medical advice. Acetaminophen is fine.\n", rules_file)
    assert findings == []


def test_rules_work_in_text_and_html(rules_file: Path) -> None:
    html = "<h1>Guide</h1><p>A miracle&nbsp;pill? Not medical advice.</p>"
    [finding] = run(html, rules_file, name="a.html")
    assert finding.rule == "no-miracle" and finding.context == "miracle&nbsp;pill"


@pytest.mark.parametrize(
    ("rule", "key", "words"),
    [
        ("{id: Bad_Id, extends: existence, message: m, tokens: [x]}", "rules[0].id", "kebab-case"),
        ("{id: a, extends: occurrence, message: m, tokens: [x]}", "rules[0].extends", "must be one of"),
        ("{id: a, extends: existence, message: m, tokens: []}", "rules[0].tokens", "list of phrases"),
        ("{id: a, extends: existence, message: m, tokens: ['(unclosed']}", "rules[0]", "bad pattern"),
        ("{id: a, extends: substitution, message: m, swap: [x]}", "rules[0].swap", "mapping"),
        ("{id: a, extends: existence, message: m, tokens: [x], scope: section}", "rules[0].scope", "must be one of"),
        ("{id: a, extends: existence, message: m, tokens: [x], severity: loud}", "rules[0].severity", "error, warning or info"),
        ("{id: a, extends: existence, message: m, tokens: [x], level: 3}", "rules[0].level", "unknown key"),
        ("{id: a, extends: existence, tokens: [x]}", "rules[0].message", "needs a message"),
        ("{id: a, extends: existence, message: 'Avoid {word}', tokens: [x]}", "rules[0].message", "{match}"),
        ("{id: a, extends: existence, message: m, tokens: [x], tags: drug}", "rules[0].tags", "list of strings"),
        ("{id: a, extends: existence, message: m, tokens: [x], ignorecase: maybe}", "rules[0].ignorecase", "true or false"),
    ],
)
def test_bad_rule_fails_at_load_naming_file_and_key(tmp_path: Path, rule: str, key: str, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"rules:\n  - {rule}\n")
    with pytest.raises(ConfigError) as caught:
        load_yaml_rules(path)
    assert caught.value.path == str(path) and caught.value.key == key
    assert words in str(caught.value)


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [\n")
    with pytest.raises(ConfigError, match="broken.yaml: \\(yaml\\): invalid YAML"):
        load_yaml_rules(broken)
    with pytest.raises(ConfigError, match="missing.yaml: \\(file\\)"):
        load_yaml_rules(tmp_path / "missing.yaml")


def test_cli_exits_2_on_a_bad_rule_file_and_clash_with_builtin(tmp_path: Path) -> None:
    (tmp_path / "house.yaml").write_text("rules:\n  - {id: front-matter, extends: existence, message: m, tokens: [x]}\n")
    (tmp_path / ".healthlint.yaml").write_text("yaml_rules: [house.yaml]\n")
    (tmp_path / "a.md").write_text("Text.\n")
    result = CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", str(tmp_path)])
    assert result.exit_code == 2
    assert "'front-matter' is defined twice" in result.output


def test_shipped_house_rules_load_and_fire() -> None:
    rules = {rule.id: rule for rule in load_yaml_rules(ROOT / "corpus" / "house-rules.yaml")}
    assert {"existence", "substitution", "required"} <= {rule.meta.docs.split()[1] for rule in rules.values()}
    findings = lint_text(
        "Paracetamol is not a miracle pill.\n\nReviewed by our editorial team.\n",
        select=list(rules),
        config={"yaml_rules": [str(ROOT / "corpus" / "house-rules.yaml")]},
    )
    assert sorted(f.rule for f in findings) == ["house-acetaminophen", "house-no-cure-promises"]


def test_yaml_rules_are_listed_and_explained(tmp_path: Path, rules_file: Path) -> None:
    config = tmp_path / "cfg.yaml"
    config.write_text(f"yaml_rules: [{rules_file}]\n")
    runner = CliRunner()
    listing = runner.invoke(main, ["rules", "--config", str(config)])
    assert listing.exit_code == 0
    line = next(line for line in listing.stdout.splitlines() if line.startswith("house-acetaminophen"))
    assert "info" in line and "(fixable)" in line
    explained = runner.invoke(main, ["explain", "no-miracle", "--config", str(config)])
    assert explained.exit_code == 0 and "existence rule from house.yaml" in explained.stdout


def test_broken_front_matter_is_reported_and_the_body_still_linted(rules_file: Path) -> None:
    text = "---\ntitle: Ibuprofen: the basics\nauthor: [unclosed\n---\n# Ibuprofen\n\nNo miracle pill here.\n"
    findings = lint_text(text, select=["front-matter", "no-miracle"], config={"yaml_rules": [str(rules_file)]})
    assert sorted((f.rule, f.line, f.column) for f in findings) == [("front-matter", 2, 1), ("no-miracle", 7, 4)]
