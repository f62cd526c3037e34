"""The `healthlint` command line: check, rules, explain, config, eval."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from . import __version__
from .config import ConfigError
from .finding import FileError, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITIES = click.Choice([s.value for s in Severity])


def _resolver(config: str | None):
    from .engine import ConfigResolver

    return ConfigResolver(Path(config) if config else None)


def _fail(message: str) -> None:
    click.echo(f"healthlint: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="healthlint")
def main() -> None:
    """A content-consistency linter for health articles."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "gitlab", "html"]), default="text", show_default=True)
@click.option("--fail-on", type=SEVERITIES, default=None, help="Lowest severity that makes the exit code 1 [default: error].")
@click.option("--select", multiple=True, help="Run only these rules (ids or tags; repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules (ids or tags; repeatable, comma-separated).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Use this config file for every path.")
@click.option("--stdin-filename", default=None, help="Name (and so format) for text read from '-'.")
@click.option("--quiet", "-q", is_flag=True, help="Only the finding lines and the summary; no info findings.")
@click.option("--statistics", is_flag=True, help="Print a count of findings per rule.")
@click.option("--show-source", is_flag=True, help="Print the authority behind each finding.")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Report only findings not recorded in this baseline (see `healthlint baseline create`).")
@click.option("--changed-since", metavar="REV", default=None, help="Lint only article files added or changed since git revision REV (and untracked ones).")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change meaning (with --fix or --diff).")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; write nothing.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: the number of cores]; 1 lints in this process.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Result cache folder [default: .healthlint_cache beside the config].")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True)
def check(paths, fmt, fail_on, select, ignore, config_path, stdin_filename, quiet, statistics, show_source, fix, unsafe_fixes, diff, jobs, no_cache, cache_dir, baseline_path, changed_since, today):
    """Lint articles: files, folders, or '-' for standard input."""
    from .engine import Linter, discover
    from .formatters import Report, formatter

    if changed_since:
        discover = _changed_only(discover, changed_since)
    linter = Linter(_resolver(config_path), _split(select), _split(ignore), today.date() if today else None)
    try:
        _check_rule_names(linter)
        cache = None if (no_cache or fix or diff) else _cache(linter, cache_dir)
        results = list(_lint_all(linter, paths or (Path("."),), stdin_filename, discover, jobs, cache))
    except ConfigError as error:
        _fail(str(error))
    if baseline_path:
        _drop_baselined(results, baseline_path)
    if fix or diff:
        _apply_fixes(results, paths, write=fix and not diff, unsafe=unsafe_fixes)
    report = Report(results, _rules_for_report(linter), color=_use_color(fmt), show_source=show_source, statistics=statistics, quiet=quiet)
    click.echo(formatter(fmt)(report), nl=False)
    gc.freeze()  # nothing is garbage now: spares the exit a full collection over spaCy and the lexicon (~0.2 s)
    if report.errors:
        sys.exit(EXIT_ERROR)
    failing = any(f.severity.rank >= _fail_on(linter, fail_on, f.path).rank for f in report.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def _check_rule_names(linter) -> None:
    """--select/--ignore must name known rules or tags (a typo would silently lint nothing)."""
    rules = _rules_for_report(linter)
    known = set(rules) | {tag for rule in rules.values() for tag in rule.meta.tags} | {"ALL"}
    unknown = [name for name in linter.select + linter.ignore if name not in known]
    if unknown:
        raise ConfigError("--select/--ignore", unknown[0], "unknown rule id or tag (see `healthlint rules`)")


def _split(values) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _changed_only(discover, rev: str):
    """discover() restricted to the files git reports as changed since rev; git problems exit 2."""
    from .vcs import GitError, changed_files, only_changed

    try:
        return only_changed(discover, changed_files(rev, Path.cwd()))
    except GitError as error:
        _fail(str(error))


def _drop_baselined(results, baseline_path: Path) -> None:
    """Remove, in place, the findings recorded in the baseline (matched by rule, path, fingerprint)."""
    from .baseline import BaselineError, new_findings, read_baseline

    try:
        recorded = read_baseline(baseline_path)
    except BaselineError as error:
        _fail(str(error))
    for result in results:
        text = result.source.text if result.source is not None else None
        result.findings = new_findings(((f, text) for f in result.findings), recorded, baseline_path.parent)


def _use_color(fmt: str) -> bool:
    return fmt == "text" and sys.stdout.isatty()


def _fail_on(linter, option: str | None, path: str) -> Severity:
    """--fail-on, else the fail_on of the config that governs the finding's file."""
    return Severity(option) if option else linter.resolver.config_for(Path(path)).fail_on


def _rules_for_report(linter):
    return linter.resolver.rules_for(linter.resolver.config_for(Path.cwd()))


def _cache(linter, cache_dir):
    from .cache import ResultCache

    return ResultCache(linter, cache_dir)


def _lint_all(linter, paths, stdin_filename, discover, jobs=None, cache=None):
    """Standard input in this process (never cached), then the files: cache, then worker processes."""
    from .engine import FileResult
    from .parallel import default_jobs, lint_paths
    from .source import ReadError, decode

    file_paths = [p for p in paths if str(p) != "-"]
    if len(file_paths) != len(paths):
        name = stdin_filename or "<stdin>"
        try:
            source = decode(sys.stdin.buffer.read(), name)
        except ReadError as error:
            yield FileResult(name, errors=[FileError(name, str(error))])
        else:
            yield linter.lint_source(source, config_path=Path(name) if stdin_filename else Path.cwd())
    yield from lint_paths(linter, list(discover(file_paths, linter.resolver)), jobs or default_jobs(), cache)


def _apply_fixes(results, paths, write: bool, unsafe: bool) -> None:
    from .fixes import apply_fixes, fixes_to_apply, unified_diff, write_atomically

    for result in results:
        fixes = fixes_to_apply(result.findings, unsafe)
        if not fixes or result.source is None:
            continue
        fixed = apply_fixes(result.source.text, fixes)
        if not write:
            click.echo(unified_diff(result.source, fixed), nl=False, err=False)
        elif result.source.path not in ("<stdin>",) and Path(result.source.path).is_file():
            write_atomically(Path(result.source.path), result.source, fixed)
            applied = {(f.start, f.end, f.replacement) for f in fixes}
            result.findings = [f for f in result.findings if f.fix is None or (f.fix.start, f.fix.end, f.fix.replacement) not in applied]
            click.echo(f"Fixed {len(fixes)} problem{'s' if len(fixes) != 1 else ''} in {result.source.path}", err=True)


@main.command("rules")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def list_rules(config_path):
    """List every rule: id, default severity, summary."""
    resolver = _resolver(config_path)
    try:
        rules = resolver.rules_for(resolver.config_for(Path.cwd()))
    except ConfigError as error:
        _fail(str(error))
    width = max(len(rule_id) for rule_id in rules)
    for rule_id in sorted(rules):
        meta = rules[rule_id].meta
        fixable = " (fixable)" if meta.fixable else ""
        click.echo(f"{rule_id:<{width}}  {meta.severity.value:<7}  {meta.summary}{fixable}")


@main.command()
@click.argument("rule_id")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def explain(rule_id, config_path):
    """Print a rule's documentation."""
    resolver = _resolver(config_path)
    rules = resolver.rules_for(resolver.config_for(Path.cwd()))
    if rule_id not in rules:
        _fail(f"unknown rule {rule_id!r}; run `healthlint rules` for the list")
    meta = rules[rule_id].meta
    click.echo(f"# {meta.id} ({meta.severity.value})\n\n{meta.summary}\n")
    click.echo(meta.docs.strip())
    if meta.options:
        click.echo("\n## Option defaults")
        for name, value in meta.options.items():
            click.echo(f"- {name}: {value!r}")


@main.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def show_config(path, config_path):
    """Print the effective configuration for PATH."""
    import yaml

    from .registry import active_rules

    resolver = _resolver(config_path)
    try:
        config = resolver.config_for(path)
        rules = resolver.rules_for(config)
    except ConfigError as error:
        _fail(str(error))
    active = active_rules(rules, config, str(path) if path.is_file() else None)
    effective = {
        "config_file": str(config.path) if config.path else None,
        "fail_on": config.fail_on.value,
        "extensions": list(config.extensions),
        "include": config.include,
        "exclude": config.exclude,
        "rules": {rule.id: {"severity": severity.value, "options": options} for rule, severity, options in active},
        "disabled": sorted(set(rules) - {rule.id for rule, _, _ in active}),
    }
    click.echo(yaml.safe_dump(effective, sort_keys=False, allow_unicode=True), nl=False)


@main.command("eval")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--expect", "expect_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A YAML file of expected findings for files without markers.")
@click.option("--show-misses", is_flag=True, help="List every false positive and false negative.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True)
def evaluate(paths, config_path, expect_file, show_misses, today):
    """Per-rule precision, recall and F1 on annotated articles; exit 1 below the configured thresholds."""
    from .evaluate import evaluate_paths, format_scores

    try:
        outcome = evaluate_paths(list(paths) or [Path("corpus")], Path(config_path) if config_path else None, expect_file, today.date() if today else None)
    except ConfigError as error:
        _fail(str(error))
    click.echo(format_scores(outcome, show_misses))
    sys.exit(EXIT_OK if outcome.passed else EXIT_FINDINGS)


@main.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Use this config file for every document.")
def lsp(config_path):
    """Run the language server over stdio (for editors)."""
    from .lsp import serve

    serve(config_path)


@main.group()
def baseline():
    """Record existing findings so that `check --baseline FILE` reports only new ones."""


@baseline.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Use this config file for every path.")
@click.option("--select", multiple=True, help="Record only these rules (ids or tags).")
@click.option("--ignore", multiple=True, help="Do not record these rules (ids or tags).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True)
def create_baseline(file, paths, config_path, select, ignore, today):
    """Lint PATHS (default: .) and record every finding in FILE (JSON); exit 2 if a file could not be read."""
    from .baseline import write_baseline
    from .engine import Linter, discover

    linter = Linter(_resolver(config_path), _split(select), _split(ignore), today.date() if today else None)
    try:
        results = list(_lint_all(linter, paths or (Path("."),), None, discover))
    except ConfigError as error:
        _fail(str(error))
    pairs = [(f, r.source.text if r.source is not None else None) for r in results for f in r.findings]
    count = write_baseline(file, pairs)
    click.echo(f"Recorded {count} finding{'s' if count != 1 else ''} from {len(results)} file{'s' if len(results) != 1 else ''} in {file}.", err=True)
    errors = [error for result in results for error in result.errors]
    for error in errors:
        click.echo(f"healthlint: {error.path}: {error.message}", err=True)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


if __name__ == "__main__":
    main()
