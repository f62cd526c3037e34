"""A self-contained HTML report for editors: summary tables, each article with its findings highlighted.

One page, inline CSS and JavaScript, nothing fetched from the network. Every piece of article text,
message and documentation is HTML-escaped (or, in the embedded JSON, escaped so it cannot end the
script element); the script only ever sets textContent.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass
from string import Template

from .. import __version__
from ..engine import FileResult
from ..finding import Finding, Severity
from . import Report

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True)
class Indexed:
    """A finding with its number in the page and the index of its file's section."""

    number: int
    file: int
    finding: Finding


def format_report(report: Report) -> str:
    shown = [result for result in report.results if result.findings or result.errors]
    indexed = _index(shown)
    counts = Counter(item.finding.severity for item in indexed)
    page = Template(PAGE).substitute(
        version=html.escape(__version__),
        overview=html.escape(_overview(report, indexed, counts)),
        filters=_filters(indexed, counts),
        rule_table=_rule_table(report, indexed),
        file_table=_file_table(report, shown, indexed),
        articles="\n".join(_article(number, result, indexed) for number, result in enumerate(shown)),
        data=_script_json(_data(report, shown, indexed)),
        css=CSS,
        js=JS,
    )
    return page


def _index(results: list[FileResult]) -> list[Indexed]:
    findings = [(file, finding) for file, result in enumerate(results) for finding in sorted(result.findings, key=lambda f: f.sort_key)]
    return [Indexed(number, file, finding) for number, (file, finding) in enumerate(findings)]


def _overview(report: Report, indexed: list[Indexed], counts: Counter) -> str:
    files = len(report.results)
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}" for s in SEVERITY_ORDER]
    unreadable = sum(1 for result in report.results if result.errors)
    text = f"{len(indexed)} finding{'s' if len(indexed) != 1 else ''} ({', '.join(parts)}) in {files} file{'s' if files != 1 else ''} checked"
    return text + (f"; {unreadable} file{'s' if unreadable != 1 else ''} could not be checked fully" if unreadable else "")


def _filters(indexed: list[Indexed], counts: Counter) -> str:
    severities = "".join(
        f'<label class="sev-{s.value}"><input type="checkbox" name="severity" value="{s.value}" checked> {s.value} ({counts[s]})</label>'
        for s in SEVERITY_ORDER
    )
    rules = Counter(item.finding.rule for item in indexed)
    rule_boxes = "".join(
        f'<label><input type="checkbox" name="rule" value="{html.escape(rule)}" checked> {html.escape(rule)} ({count})</label>'
        for rule, count in sorted(rules.items())
    )
    return f'<fieldset id="severity-filter"><legend>Severity</legend>{severities}</fieldset><fieldset id="rule-filter"><legend>Rule</legend>{rule_boxes or "<span>none</span>"}</fieldset>'


def _rule_table(report: Report, indexed: list[Indexed]) -> str:
    by_rule: dict[str, list[Indexed]] = {}
    for item in indexed:
        by_rule.setdefault(item.finding.rule, []).append(item)
    rows = []
    for rule, items in sorted(by_rule.items(), key=lambda pair: (-len(pair[1]), pair[0])):
        loaded = report.rules.get(rule)
        summary = loaded.meta.summary if loaded else ""
        severity = _worst(item.finding.severity for item in items)
        rows.append(
            f'<tr data-rule="{html.escape(rule)}"><td><code>{html.escape(rule)}</code></td><td class="sev-{severity.value}">{severity.value}</td>'
            f"<td>{len(items)}</td><td>{len({item.file for item in items})}</td><td>{html.escape(summary)}</td></tr>"
        )
    head = "<tr><th>Rule</th><th>Severity</th><th>Findings</th><th>Files</th><th>What it checks</th></tr>"
    return f'<table id="by-rule"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>' if rows else "<p>No findings.</p>"


def _file_table(report: Report, shown: list[FileResult], indexed: list[Indexed]) -> str:
    rows = []
    for number, result in enumerate(shown):
        counts = Counter(item.finding.severity for item in indexed if item.file == number)
        cells = "".join(f'<td class="sev-{s.value}">{counts[s] or ""}</td>' for s in SEVERITY_ORDER)
        problem = f'<td class="file-error">{len(result.errors)} error{"s" if len(result.errors) != 1 else ""}</td>' if result.errors else "<td></td>"
        rows.append(f'<tr><td><a href="#file-{number}">{html.escape(result.path)}</a></td>{cells}{problem}</tr>')
    clean = len(report.results) - len(shown)
    note = f'<p class="note">{clean} file{"s" if clean != 1 else ""} without findings not shown.</p>' if clean else ""
    head = "<tr><th>File</th><th>Errors</th><th>Warnings</th><th>Info</th><th>Could not check</th></tr>"
    return (f'<table id="by-file"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>' if rows else "") + note


def _article(number: int, result: FileResult, indexed: list[Indexed]) -> str:
    items = [item for item in indexed if item.file == number]
    errors = "".join(f'<p class="file-error">{html.escape(e.message)}{f" (line {e.line})" if e.line else ""}</p>' for e in result.errors)
    body = f'<pre class="source">{_highlight(result.source.text, items)}</pre>' if result.source is not None else ""
    entries = "".join(
        f'<li data-f="{item.number}" class="sev-{item.finding.severity.value}" tabindex="0">'
        f'<span class="where">{item.finding.line}:{item.finding.column}</span> <code>{html.escape(item.finding.rule)}</code> '
        f"{html.escape(item.finding.message)}</li>"
        for item in items
    )
    listing = f'<ol class="findings">{entries}</ol>' if entries else ""
    return f'<section class="article" id="file-{number}"><h2>{html.escape(result.path)}</h2>{errors}{listing}{body}</section>'


def _highlight(text: str, items: list[Indexed]) -> str:
    """The escaped text with each stretch covered by findings wrapped in one <mark> naming them all."""
    spans = [(item.finding.start, item.finding.end, item) for item in items]
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    parts = []
    for index, start in enumerate(cuts):
        parts += [_mark("", [item for s, e, item in spans if s == e == start], empty=True)]
        if index + 1 == len(cuts):
            break
        end = cuts[index + 1]
        covering = [item for s, e, item in spans if s <= start and end <= e and s < e]
        parts.append(_mark(text[start:end], covering) if covering else html.escape(text[start:end]))
    return "".join(parts)


def _mark(text: str, covering: list[Indexed], empty: bool = False) -> str:
    if not covering:
        return ""
    severity = _worst(item.finding.severity for item in covering)
    numbers = " ".join(str(item.number) for item in covering)
    kind = " empty" if empty else ""
    return f'<mark class="hl{kind}" data-sev="{severity.value}" data-f="{numbers}" tabindex="0">{html.escape(text)}</mark>'


def _worst(severities) -> Severity:
    return max(severities, key=lambda severity: severity.rank)


def _data(report: Report, shown: list[FileResult], indexed: list[Indexed]) -> dict:
    rule_ids = sorted({item.finding.rule for item in indexed})
    rules = {}
    for rule in rule_ids:
        loaded = report.rules.get(rule)
        rules[rule] = {"summary": loaded.meta.summary, "docs": loaded.meta.docs} if loaded else {"summary": "", "docs": ""}
    findings = []
    for item in indexed:
        finding, source = item.finding, shown[item.file].source
        entry = finding.to_dict()
        entry["text"] = source.text[finding.start : finding.end] if source is not None else finding.context
        findings.append(entry)
    return {"findings": findings, "rules": rules}


def _script_json(data: dict) -> str:
    """JSON that is safe inside a <script> element: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>healthlint report</title>
<style>$css</style>
</head>
<body>
<header>
<h1>healthlint report</h1>
<p id="overview">$overview</p>
<p class="note">Click a highlighted passage or a finding to see what is wrong, the suggested fix and the rule's documentation.</p>
</header>
<nav id="filters">$filters<p id="shown-count" aria-live="polite"></p></nav>
<main>
<h2>Findings by rule</h2>
$rule_table
<h2>Findings by file</h2>
$file_table
$articles
</main>
<aside id="details" hidden>
<button type="button" id="close-details" aria-label="Close">×</button>
<div id="details-body"></div>
</aside>
<footer>Generated by healthlint $version.</footer>
<script type="application/json" id="hl-data">$data</script>
<script>$js</script>
</body>
</html>
"""

CSS = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 40vh; color: #1d1d1f; }
h1 { margin-bottom: 0.2rem; }
.note { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f6; }
#filters { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc; padding: 0.4rem 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; }
fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 0; padding: 0.2rem 0.6rem; }
fieldset label { margin-right: 0.8rem; white-space: nowrap; }
#shown-count { margin: 0; color: #555; }
.article { border-top: 3px solid #333; margin-top: 2rem; }
.article h2 { font-size: 1.1rem; word-break: break-all; }
.source { white-space: pre-wrap; word-wrap: break-word; background: #fafafa; border: 1px solid #e3e3e3; border-radius: 6px; padding: 1rem; font: 15px/1.6 ui-monospace, SFMono-Regular, Menlo, monospace; }
mark.hl { cursor: pointer; border-radius: 2px; color: inherit; }
mark.hl[data-sev=error] { background: #ffd6d6; border-bottom: 2px solid #c00; }
mark.hl[data-sev=warning] { background: #fff0b3; border-bottom: 2px solid #c80; }
mark.hl[data-sev=info] { background: #d9efff; border-bottom: 2px solid #06c; }
mark.hl.empty::after { content: "\\2038"; color: #c00; font-weight: bold; }
mark.hl.off { background: none; border: none; cursor: text; }
mark.hl.off.empty::after { content: ""; }
mark.hl.selected { outline: 2px solid #000; }
.sev-error { color: #a00; }
.sev-warning { color: #8a5a00; }
.sev-info { color: #0557a0; }
.findings li { cursor: pointer; margin: 0.15rem 0; }
.findings li[hidden] { display: none; }
.findings .where { font-family: ui-monospace, monospace; color: #555; }
.file-error { color: #a00; font-weight: bold; }
#details { position: fixed; right: 1rem; bottom: 1rem; width: min(34rem, calc(100vw - 2rem)); max-height: 45vh; overflow: auto; background: #fff; border: 1px solid #888; border-radius: 8px; box-shadow: 0 4px 18px rgba(0,0,0,.25); padding: 0.8rem 1rem; z-index: 3; }
#close-details { float: right; font-size: 1.3rem; border: none; background: none; cursor: pointer; }
.detail { border-bottom: 1px solid #ddd; padding-bottom: 0.6rem; margin-bottom: 0.6rem; }
.detail h3 { margin: 0 0 0.3rem; font-size: 1rem; }
.detail .label { font-weight: bold; }
.docs { font-size: 0.9rem; background: #f7f7f9; border-radius: 6px; padding: 0.4rem 0.8rem; }
.docs pre { white-space: pre-wrap; background: #eee; padding: 0.4rem; }
.docs h4 { margin: 0.6rem 0 0.2rem; }
footer { margin-top: 2rem; color: #777; font-size: 0.85rem; }
"""

JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hl-data").textContent);
  var rank = { error: 3, warning: 2, info: 1 };
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.hl"));
  var entries = Array.prototype.slice.call(document.querySelectorAll(".findings li"));
  var details = document.getElementById("details");
  var body = document.getElementById("details-body");

  function checked(name) {
    var on = {};
    document.querySelectorAll("input[name=" + name + "]").forEach(function (box) { if (box.checked) { on[box.value] = true; } });
    return on;
  }
  function ids(element) { return element.getAttribute("data-f").split(" ").map(Number); }
  function visibleIds(element, state) {
    return ids(element).filter(function (i) { var f = data.findings[i]; return state.sev[f.severity] && state.rule[f.rule]; });
  }
  function applyFilters() {
    var state = { sev: checked("severity"), rule: checked("rule") };
    var shown = 0;
    marks.forEach(function (mark) {
      var visible = visibleIds(mark, state);
      mark.classList.toggle("off", visible.length === 0);
      if (visible.length) {
        mark.setAttribute("data-sev", visible.map(function (i) { return data.findings[i].severity; })
          .sort(function (a, b) { return rank[b] - rank[a]; })[0]);
      }
    });
    entries.forEach(function (entry) {
      entry.hidden = visibleIds(entry, state).length === 0;
      if (!entry.hidden) { shown += 1; }
    });
    document.getElementById("shown-count").textContent = "Showing " + shown + " of " + data.findings.length + " findings";
  }

  function add(parent, tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    parent.appendChild(node);
    return node;
  }
  function renderDocs(parent, docs) {
    var box = add(parent, "div", undefined, "docs");
    var fence = null, para = [];
    function flush() { if (para.length) { add(box, "p", para.join(" ")); para = []; } }
    docs.split("\\n").forEach(function (line) {
      if (line.slice(0, 3) === "```") {
        if (fence === null) { flush(); fence = []; } else { add(box, "pre", fence.join("\\n")); fence = null; }
      } else if (fence !== null) { fence.push(line); }
      else if (/^#+ /.test(line)) { flush(); add(box, "h4", line.replace(/^#+ /, "")); }
      else if (line.trim() === "") { flush(); }
      else { para.push(line.trim()); }
    });
    flush();
  }
  function describe(i) {
    var f = data.findings[i];
    var item = add(body, "div", undefined, "detail");
    item.setAttribute("data-f", String(i));
    add(item, "h3", f.rule + " \\u00b7 " + f.severity + " \\u00b7 " + f.path + ":" + f.line + ":" + f.column, "sev-" + f.severity);
    add(item, "p", f.message, "message");
    var quoted = add(item, "p");
    add(quoted, "span", "Text: ", "label");
    add(quoted, "q", f.text, "offending");
    if (f.fix) {
      var fix = add(item, "p", undefined, "fix");
      add(fix, "span", "Suggested fix: ", "label");
      add(fix, "span", f.fix.replacement === "" ? "delete this text" : "replace with \\u201c" + f.fix.replacement + "\\u201d");
      if (!f.fix.safe) { add(fix, "span", " (changes the meaning: check it before applying)"); }
    }
    if (f.source) {
      var source = add(item, "p", undefined, "authority");
      add(source, "span", "Source: ", "label");
      add(source, "span", f.source.text + (f.source.url ? " (" + f.source.url + ")" : ""));
    }
    var rule = data.rules[f.rule] || { summary: "", docs: "" };
    var about = add(item, "details");
    add(about, "summary", "About " + f.rule + (rule.summary ? ": " + rule.summary : ""));
    if (rule.docs) { renderDocs(about, rule.docs); } else { add(about, "p", "No documentation available."); }
  }
  function show(element) {
    var state = { sev: checked("severity"), rule: checked("rule") };
    var visible = visibleIds(element, state);
    if (!visible.length) { return; }
    marks.forEach(function (m) { m.classList.remove("selected"); });
    if (element.tagName === "MARK") { element.classList.add("selected"); }
    body.textContent = "";
    visible.forEach(describe);
    details.hidden = false;
  }

  marks.forEach(function (mark) {
    mark.addEventListener("click", function () { show(mark); });
    mark.addEventListener("keydown", function (e) { if (e.key === "Enter") { show(mark); } });
  });
  entries.forEach(function (entry) {
    function open() {
      var i = entry.getAttribute("data-f");
      var mark = marks.filter(function (m) { return ids(m).indexOf(Number(i)) !== -1; })[0];
      if (mark) { mark.scrollIntoView({ block: "center" }); show(mark); } else { show(entry); }
    }
    entry.addEventListener("click", open);
    entry.addEventListener("keydown", function (e) { if (e.key === "Enter") { open(); } });
  });
  document.getElementById("close-details").addEventListener("click", function () {
    details.hidden = true;
    marks.forEach(function (m) { m.classList.remove("selected"); });
  });
  document.querySelectorAll("#filters input").forEach(function (box) { box.addEventListener("change", applyFilters); });
  applyFilters();
})();
"""
