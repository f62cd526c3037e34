"""Human-readable output: `path:line:col: severity rule message`, the source line, a caret."""

from __future__ import annotations

from collections import Counter

from . import Report

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "bold": "\033[1m", "dim": "\033[2m"}
RESET = "\033[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{COLORS[style]}{text}{RESET}" if color else text


def format_report(report: Report) -> str:
    out: list[str] = []
    for result in report.results:
        for finding in result.findings:
            if report.quiet and finding.severity.value == "info":
                continue
            severity = _paint(finding.severity.value, finding.severity.value, report.color)
            location = _paint(f"{finding.path}:{finding.line}:{finding.column}", "bold", report.color)
            out.append(f"{location}: {severity} {finding.rule} {finding.message}")
            if not report.quiet and result.source is not None:
                out.extend(_snippet(result.source, finding, report.color))
            if report.show_source and finding.source is not None:
                url = f" <{finding.source.url}>" if finding.source.url else ""
                out.append(f"    source: {finding.source.text}{url}")
        for error in result.errors:
            where = f"{error.path}:{error.line}" if error.line else error.path
            out.append(f"{_paint(where, 'bold', report.color)}: {_paint('error', 'error', report.color)} {error.message}")
    if report.statistics:
        out.extend(_statistics(report))
    out.append(_summary(report))
    return "\n".join(out) + "\n"


def _snippet(source, finding, color: bool) -> list[str]:
    if not 1 <= finding.line <= source.lines.line_count:
        return []
    text = source.lines.line_text(finding.line).expandtabs(1)
    width = (finding.end_column - finding.column) if finding.end_line == finding.line else len(text) - finding.column + 1
    caret = " " * (finding.column - 1) + "^" * max(1, width)
    return [f"    {text}", "    " + _paint(caret, finding.severity.value, color)]


def _statistics(report: Report) -> list[str]:
    """A table of finding counts per rule and severity, most frequent first."""
    counts = Counter((f.rule, f.severity.value) for f in report.findings)
    if not counts:
        return []
    width = max(len("Rule"), *(len(rule) for rule, _ in counts))
    rows = [f"{'Count':>5}  {'Rule':<{width}}  {'Severity':<8}  Fixable  Summary"]
    for (rule, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        meta = report.rules[rule].meta if rule in report.rules else None
        fixable = "yes" if meta is not None and meta.fixable else "no"
        rows.append(f"{count:>5}  {rule:<{width}}  {severity:<8}  {fixable:<7}  {meta.summary if meta else ''}".rstrip())
    return rows


def _summary(report: Report) -> str:
    counts = Counter(f.severity.value for f in report.findings)
    files = len(report.results)
    parts = [f"{counts.get(level, 0)} {level}{'s' if counts.get(level, 0) != 1 else ''}" for level in ("error", "warning", "info")]
    read_errors = len(report.errors)
    tail = f", {read_errors} file error{'s' if read_errors != 1 else ''}" if read_errors else ""
    return f"Found {', '.join(parts)} in {files} file{'s' if files != 1 else ''}{tail}."
