"""SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, IDE viewers)."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from .. import __version__
from ..baseline import fingerprint, relative_path
from ..engine import FileResult
from ..finding import Authority, FileError, Finding, Severity
from ..rule import LoadedRule
from . import Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "healthlint/v1"
_SECTION = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)


def format_report(report: Report) -> str:
    located = report.located()
    rule_ids = sorted({finding.rule for finding, _ in located})  # the rules this run reported
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    authorities = _authorities_by_rule(finding for finding, _ in located)
    run = {
        "tool": {"driver": {
            "name": "healthlint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_descriptor(rule_id, report.rules.get(rule_id), authorities.get(rule_id, [])) for rule_id in rule_ids],
        }},
        "invocations": [{
            "executionSuccessful": not report.errors,
            "toolExecutionNotifications": [_notification(error, report) for error in report.errors],
        }],
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, result, index[finding.rule], report) for finding, result in located],
    }
    payload = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule_id: str, rule: LoadedRule | None, authorities: list[Authority]) -> dict:
    """reportingDescriptor: id, descriptions, help (docs plus the authorities cited), default level."""
    if rule is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}, "defaultConfiguration": {"level": "warning"}}
    meta = rule.meta
    docs = meta.docs.strip() or meta.summary
    sources = "".join(f"\n- {a.text}" + (f" <{a.url}>" if a.url else "") for a in authorities)
    sources_md = "".join(f"\n- [{a.text}]({a.url})" if a.url else f"\n- {a.text}" for a in authorities)
    descriptor = {
        "id": meta.id,
        "name": "".join(part.capitalize() for part in meta.id.split("-")),
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": _section(docs, "What it does") or meta.summary},
        "help": {
            "text": docs + (f"\n\nSources:{sources}" if sources else ""),
            "markdown": docs + (f"\n\n## Sources\n{sources_md}" if sources_md else ""),
        },
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {"tags": list(meta.tags)},
    }
    return descriptor


def _section(docs: str, title: str) -> str:
    """The body of the `## title` section of rule docs, or ''."""
    headings = list(_SECTION.finditer(docs))
    for position, match in enumerate(headings):
        if match.group(1) == title:
            end = headings[position + 1].start() if position + 1 < len(headings) else len(docs)
            return " ".join(docs[match.end():end].split())
    return ""


def _authorities_by_rule(findings) -> dict[str, list[Authority]]:
    found: dict[str, list[Authority]] = {}
    for finding in findings:
        if finding.source is not None and finding.source not in found.setdefault(finding.rule, []):
            found[finding.rule].append(finding.source)
    return found


def _artifact(path: str, report: Report) -> dict:
    """artifactLocation: a repository-relative URI under %SRCROOT% where possible, else a file URI."""
    relative = relative_path(path, report.root)
    if relative.startswith("/"):
        return {"uri": "file://" + quote(relative)}
    return {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _result(finding: Finding, result: FileResult, rule_index: int, report: Report) -> dict:
    text = result.source.text if result.source is not None else None
    region = _region(finding.line, finding.column, finding.end_line, finding.end_column)
    if text is not None:
        region["snippet"] = {"text": text[finding.start:finding.end]}
    entry = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding.path, report), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding, text, relative_path(finding.path, report.root))},
    }
    if finding.fix is not None:
        entry["fixes"] = [_fix(finding, result, report)]
    if finding.source is not None:
        entry["properties"] = {"authority": {"text": finding.source.text, **({"url": finding.source.url} if finding.source.url else {})}}
    return entry


def _fix(finding: Finding, result: FileResult, report: Report) -> dict:
    fix = finding.fix
    assert fix is not None
    if result.source is not None:
        lines = result.source.lines
        deleted = _region(*lines.position(fix.start), *lines.position(fix.end))
    else:
        deleted = {"charOffset": fix.start, "charLength": fix.end - fix.start}
    kind = "" if fix.safe else " (unsafe: check the meaning)"
    return {
        "description": {"text": f"Replace with {fix.replacement!r}{kind}"},
        "artifactChanges": [{
            "artifactLocation": _artifact(finding.path, report),
            "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": fix.replacement}}],
        }],
    }


def _notification(error: FileError, report: Report) -> dict:
    location: dict = {"artifactLocation": _artifact(error.path, report)}
    if error.line:
        location["region"] = {"startLine": error.line}
    return {"level": "error", "message": {"text": error.message}, "locations": [{"physicalLocation": location}]}
