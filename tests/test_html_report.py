"""`--format html`: a self-contained page, checked by parsing it and in headless Chromium (selenium)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from healthlint.config import parse_config
from healthlint.engine import lint_article_source
from healthlint.formatters import Report, formatter
from healthlint.registry import all_rules
from healthlint.source import Source

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
HOUSE_RULES = """\
rules:
  - id: house-spelling
    extends: substitution
    message: "Write '{replacement}' rather than '{match}'."
    severity: warning
    swap: {"paracetamol": "acetaminophen"}
  - id: house-no-tablets
    extends: existence
    message: "Say 'pills' for '{match}' <in our house style>."
    severity: error
    tokens: ["paracetamol tablets", "tablets"]
"""
ARTICLE = """\
---
title: Pain relief: after <dental> work
---
# Relief & recovery 🦷

Swallow 💊 paracetamol tablets whole, with water.
Tablets help some people; paracetamol suits most. </script><script>alert(1)</script>
<!-- healthlint-disable-next-line house-spellling -->
Rest and <b>call</b> your dentist if the swelling grows.
"""
SELECTED = ["house-spelling", "house-no-tablets", "invalid-suppression", "front-matter"]  # stable while rules are added
CLEAN = "A calm article\n\nNothing to flag here at all.\n"


def make_report(tmp_path: Path) -> tuple[Report, list]:
    (tmp_path / "house.yaml").write_text(HOUSE_RULES, encoding="utf-8")
    config = parse_config({"yaml_rules": ["house.yaml"]}, tmp_path / ".healthlint.yaml")
    rules = all_rules(config)
    results = [lint_article_source(Source(name, text), config, rules, select=SELECTED) for name, text in (("teeth.md", ARTICLE), ("calm.txt", CLEAN))]
    return Report(results, rules), results


def expected_spans(results) -> list[tuple[str, str]]:
    """(rule, offending source text) per finding, in the page's order, straight from the Finding offsets."""
    return [(f.rule, r.source.text[f.start : f.end]) for r in results for f in sorted(r.findings, key=lambda f: f.sort_key)]


class MarkText(HTMLParser):
    """Collects, per finding number, the text of every <mark> that names it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[list[int]] = []
        self.text: dict[int, str] = {}
        self.script = ""
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "mark":
            numbers = [int(n) for n in attributes["data-f"].split()]
            self.open.append(numbers)
            for number in numbers:
                self.text.setdefault(number, "")
        self._in_data = tag == "script" and attributes.get("id") == "hl-data"

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open.pop()
        self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.script += data
        for numbers in self.open:
            for number in numbers:
                self.text[number] += data


def test_page_is_self_contained_escaped_and_marks_every_finding_span(tmp_path):
    report, results = make_report(tmp_path)
    page = formatter("html")(report)
    spans = expected_spans(results)
    assert {rule for rule, _ in spans} == set(SELECTED)

    parser = MarkText()
    parser.feed(page)
    assert [parser.text.get(number) for number in range(len(spans))] == [text for _, text in spans]
    assert json.loads(parser.script)["findings"][0]["rule"] == spans[0][0]

    assert "<script>alert(1)</script>" not in page and "&lt;/script&gt;&lt;script&gt;alert(1)" in page
    assert "<b>call</b>" not in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page), "the page must not load anything"
    assert page.count("<script") == 2  # the JSON data and the inline script; nothing external
    assert "1 file without findings not shown" in page


def test_overlapping_findings_share_a_mark_that_names_both(tmp_path):
    report, results = make_report(tmp_path)
    page = formatter("html")(report)
    spans = expected_spans(results)
    spelling = [i for i, (rule, text) in enumerate(spans) if rule == "house-spelling" and text == "paracetamol"][0]
    tablets = [i for i, (rule, text) in enumerate(spans) if text == "paracetamol tablets"][0]
    assert f'data-f="{min(spelling, tablets)} {max(spelling, tablets)}"' in page


def test_cli_writes_an_html_report(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from healthlint.cli import main

    (tmp_path / "article.md").write_text("# Note\n\n<!-- healthlint-disable-next-line not-a-rule -->\nText.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(main, ["check", "--format", "html", "article.md"])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.startswith("<!DOCTYPE html>")
    assert 'data-f="0"' in outcome.output and "not-a-rule" in outcome.output


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("no Chromium: install the Debian packages chromium and chromium-driver (see .ci/run)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1280,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


MARKED_TEXT = """
var out = {};
document.querySelectorAll("mark.hl").forEach(function (m) {
  m.getAttribute("data-f").split(" ").forEach(function (i) { out[i] = (out[i] || "") + m.textContent; });
});
return out;
"""


def test_report_in_headless_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    report, results = make_report(tmp_path)
    page = tmp_path / "report.html"
    page.write_text(formatter("html")(report), encoding="utf-8")
    browser.get(page.as_uri())
    spans = expected_spans(results)

    marked = browser.execute_script(MARKED_TEXT)
    assert [marked.get(str(i)) for i in range(len(spans))] == [text for _, text in spans]
    assert browser.execute_script("return document.querySelectorAll('script').length") == 2

    spelling = next(i for i, (rule, _) in enumerate(spans) if rule == "house-spelling")
    mark = browser.find_element(By.CSS_SELECTOR, f'mark.hl[data-f~="{spelling}"]')
    details = browser.find_element(By.ID, "details")
    assert not details.is_displayed()
    mark.click()
    assert details.is_displayed()
    text = details.text
    assert "Write 'acetaminophen' rather than 'paracetamol'." in text
    assert "replace with “acetaminophen”" in text
    assert "house-spelling" in text and "teeth.md:6:" in text
    browser.save_screenshot(str(tmp_path / "report-details.png"))

    browser.find_element(By.CSS_SELECTOR, "#close-details").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=severity][value=error]").click()
    severities = [f.severity.value for r in results for f in sorted(r.findings, key=lambda f: f.sort_key)]
    errors = {str(i) for i, severity in enumerate(severities) if severity == "error"}
    off = browser.execute_script("return Array.from(document.querySelectorAll('mark.hl.off')).map(m => m.getAttribute('data-f'))")
    assert off and all(set(numbers.split()) <= errors for numbers in off)
    assert browser.find_element(By.ID, "shown-count").text == f"Showing {len(severities) - len(errors)} of {len(severities)} findings"
    hidden = browser.execute_script("return Array.from(document.querySelectorAll('.findings li')).filter(li => li.hidden).map(li => li.getAttribute('data-f'))")
    assert set(hidden) == errors

    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000
