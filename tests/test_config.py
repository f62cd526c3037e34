"""Configuration: discovery, strict validation with clear errors, overrides, include/exclude, `healthlint config`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from healthlint.cli import main
from healthlint.config import ConfigError, find_config_file, load_config, parse_config
from healthlint.engine import ConfigResolver, discover
from healthlint.finding import Severity
from healthlint.registry import active_rules


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_walk_up_finds_the_nearest_config(tmp_path: Path) -> None:
    top = write(tmp_path / ".healthlint.yaml", "fail_on: warning\n")
    inner = write(tmp_path / "a" / "b" / ".healthlint.yml", "fail_on: info\n")
    assert find_config_file(tmp_path / "a" / "b" / "c" / "x.md") == inner.resolve()
    assert find_config_file(tmp_path / "a" / "x.md") == top.resolve()
    assert find_config_file(tmp_path / "a") == top.resolve()


def test_pyproject_tool_section_counts_only_when_present(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nfail_on = "warning"\nignore = ["front-matter"]\n')
    write(tmp_path / "other" / "pyproject.toml", '[tool.black]\nline-length = 100\n')
    found = find_config_file(tmp_path / "other" / "x.md")
    assert found == (tmp_path / "pyproject.toml").resolve()
    config = load_config(found)
    assert config.fail_on is Severity.WARNING and config.ignore == ["front-matter"]


def test_forced_config_overrides_discovery(tmp_path: Path) -> None:
    write(tmp_path / ".healthlint.yaml", "fail_on: info\n")
    forced = write(tmp_path / "elsewhere.yaml", "fail_on: warning\n")
    resolver = ConfigResolver(forced)
    assert resolver.config_for(tmp_path / "x.md").fail_on is Severity.WARNING


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("rules:\n  no-such-rule: warning\n", "rules.no-such-rule", "unknown rule id"),
        ("colour: true\n", "colour", "unknown key"),
        ("select: drug\n", "select", "expected a list"),
        ("rules:\n  front-matter: loud\n", "rules.front-matter", "unknown severity"),
        ("rules:\n  front-matter: {severity: error, enable: true}\n", "rules.front-matter.enable", "unknown key"),
        ("rules:\n  front-matter: {options: {strict: true}}\n", "rules.front-matter.options.strict", "unknown option"),
        ("overrides:\n  - rules: {}\n", "overrides[0]", "needs 'files'"),
        ("overrides:\n  - files: ['*.md']\n    rules: {nope: false}\n", "overrides[0].rules.nope", "unknown rule id"),
        ("select: [front-matter, 3]\n", "select[1]", "expected a string"),
        ("rules:\n  stale-review: {options: {max_age_months: soon}}\n", "rules.stale-review.options.max_age_months", "expected a number"),
        ("rules:\n  stale-review: {options: {label_changes: 1}}\n", "rules.stale-review.options.label_changes", "expected bool"),
        ("rules:\n  truncated-text: {options: {extra_endings: etc}}\n", "rules.truncated-text.options.extra_endings", "expected list"),
        ("rules:\n  stale-review: {enabled: yes please}\n", "rules.stale-review.enabled", "true or false"),
        ("lexicon:\n  brands: {}\n", "lexicon.brands", "unknown key"),
        ("today: last tuesday\n", "today", "YYYY-MM-DD"),
        ("ignore: [not-a-rule-or-tag]\n", "ignore", "unknown rule id or tag"),
        ("rules: [a, b\n", "line 2", "invalid YAML"),
        ("- just\n- a list\n", "(top level)", "mapping"),
    ],
)
def test_invalid_config_names_file_and_key_and_exits_2(tmp_path: Path, text: str, key: str, words: str) -> None:
    config = write(tmp_path / ".healthlint.yaml", text)
    write(tmp_path / "a.md", "# Title\n\nText.\n")
    with pytest.raises(ConfigError) as caught:
        ConfigResolver().config_for(tmp_path / "a.md")
    assert caught.value.key == key and caught.value.path == str(config)
    assert words in str(caught.value)
    result = CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert f"{config}: {key}:" in result.output


def test_bad_toml_in_a_forced_pyproject_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.healthlint\n")
    with pytest.raises(ConfigError, match="pyproject.toml: \\(toml\\)"):
        load_config(path)


def test_rule_settings_forms_and_overrides(tmp_path: Path) -> None:
    config = parse_config(
        {
            "rules": {"front-matter": "warning", "invalid-suppression": False},
            "overrides": [
                {"files": ["drafts/**"], "rules": {"front-matter": {"severity": "info"}, "invalid-suppression": True}},
                {"files": "legacy/*.txt", "ignore": ["front-matter"]},
            ],
        },
        tmp_path / ".healthlint.yaml",
    )
    from healthlint.registry import all_rules

    rules = all_rules(config)

    def effective(relative: str) -> dict[str, Severity]:
        path = str(tmp_path / relative)
        chosen = active_rules(rules, config, path, select=["front-matter", "invalid-suppression"])
        return {rule.id: severity for rule, severity, _ in chosen}

    assert effective("a.md") == {"front-matter": Severity.WARNING}
    assert effective("drafts/deep/a.md") == {"front-matter": Severity.INFO, "invalid-suppression": Severity.WARNING}
    assert effective("legacy/old.txt") == {}
    assert effective("legacy/old.md") == {"front-matter": Severity.WARNING}


def test_today_and_fail_on_are_parsed() -> None:
    config = parse_config({"today": dt.date(2026, 6, 1), "fail_on": "Warning"})
    assert config.today == dt.date(2026, 6, 1) and config.fail_on is Severity.WARNING
    assert parse_config({"today": "2025-01-02"}).today == dt.date(2025, 1, 2)


def test_include_exclude_extensions_and_skipped_folders(tmp_path: Path) -> None:
    write(tmp_path / ".healthlint.yaml", "include: ['articles/**']\nexclude: ['**/drafts/**']\nextensions: ['.md', '.txt']\n")
    for name in [
        "articles/a.md", "articles/b.txt", "articles/c.html", "articles/drafts/d.md", "notes/e.md",
        "articles/.hidden/f.md", "articles/.git/g.md", "articles/node_modules/h.md", "articles/.i.md",
    ]:
        write(tmp_path / name, "# x\n")
    found = [path.relative_to(tmp_path).as_posix() for path in discover([tmp_path], ConfigResolver())]
    assert found == ["articles/a.md", "articles/b.txt"]


def test_globs_match_paths_with_symbolic_links_resolved(tmp_path: Path) -> None:
    write(tmp_path / ".healthlint.yaml", "exclude: ['drafts/**']\n")
    write(tmp_path / "drafts" / "a.md", "# x\n")
    write(tmp_path / "published" / "b.md", "# x\n")
    (tmp_path / "linked").symlink_to(tmp_path / "drafts", target_is_directory=True)
    (tmp_path / "published" / "c.md").symlink_to(tmp_path / "drafts" / "a.md")
    config = load_config(tmp_path / ".healthlint.yaml")
    excluded = {name: config.is_excluded(tmp_path / name) for name in ["linked/a.md", "published/b.md", "published/c.md", "drafts/a.md"]}
    assert excluded == {"linked/a.md": True, "published/b.md": False, "published/c.md": True, "drafts/a.md": True}
    assert config.relative(tmp_path / "linked" / "a.md") == "drafts/a.md"


def test_default_extensions(tmp_path: Path) -> None:
    for name in ["a.md", "b.markdown", "c.txt", "d.html", "e.HTM", "f.py", "g.yaml", "h.expect.yaml"]:
        write(tmp_path / name, "x\n")
    found = sorted(path.name for path in discover([tmp_path], ConfigResolver()))
    assert found == ["a.md", "b.markdown", "c.txt", "d.html", "e.HTM"]


def test_config_command_prints_the_effective_configuration(tmp_path: Path) -> None:
    write(tmp_path / ".healthlint.yaml", "fail_on: warning\nrules:\n  front-matter: info\n  invalid-suppression: off\n"
          "overrides:\n  - files: ['drafts/**']\n    rules: {front-matter: error}\n")
    article = write(tmp_path / "drafts" / "a.md", "# x\n")
    runner = CliRunner()
    result = runner.invoke(main, ["config", str(article)])
    assert result.exit_code == 0, result.output
    shown = yaml.safe_load(result.stdout)
    assert shown["config_file"] == str((tmp_path / ".healthlint.yaml").resolve())
    assert shown["fail_on"] == "warning"
    assert shown["rules"]["front-matter"]["severity"] == "error"
    assert "invalid-suppression" in shown["disabled"] and "invalid-suppression" not in shown["rules"]
    top = yaml.safe_load(runner.invoke(main, ["config", str(tmp_path)]).stdout)
    assert top["rules"]["front-matter"]["severity"] == "info"


def test_config_command_reports_errors(tmp_path: Path) -> None:
    write(tmp_path / ".healthlint.yaml", "rulez: {}\n")
    result = CliRunner().invoke(main, ["config", str(tmp_path)])
    assert result.exit_code == 2 and "rulez: unknown key" in result.stderr
