"""`healthlint lsp`: a Language Server Protocol server (pygls) that publishes findings as diagnostics.

One server process keeps one ConfigResolver (configs discovered from each document's path, as on the
command line) and the spaCy pipeline loaded once; linting runs on a single worker thread so requests
stay answered while an article is analysed. Changes are debounced; open and save lint at once.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from . import __version__
from .config import ConfigError
from .engine import ConfigResolver, FileResult, lint_article_source
from .finding import Finding, Severity
from .parse import find_directives, format_for
from .parse.frontmatter import split_front_matter
from .source import Source

DEBOUNCE_SECONDS = 0.15
LANGUAGE_FORMATS = {"markdown": "markdown", "html": "html", "plaintext": "text", "text": "text"}
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
SOURCE_NAME = "healthlint"


@dataclass
class Linted:
    """The findings for one version of one open document."""

    version: int | None
    fmt: str
    source: Source
    result: FileResult
    diagnostics: list[types.Diagnostic]


def code_units(text: str, encoding: str | None) -> int:
    """The length of text in the negotiated LSP position encoding (UTF-16 unless agreed otherwise)."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def lsp_position(source: Source, offset: int, encoding: str | None) -> types.Position:
    """A 0-based LSP position for a source offset (our 1-based line/column from LineIndex)."""
    line, column = source.lines.position(offset)
    line_start = source.lines.offset(line)
    return types.Position(line - 1, code_units(source.text[line_start : line_start + column - 1], encoding))


def lsp_range(source: Source, start: int, end: int, encoding: str | None) -> types.Range:
    return types.Range(lsp_position(source, start, encoding), lsp_position(source, end, encoding))


def to_diagnostic(finding: Finding, source: Source, encoding: str | None) -> types.Diagnostic:
    message = finding.message
    if finding.fix is not None:
        message += f" (fix: {finding.fix.replacement!r})" if finding.fix.replacement else " (fix: delete)"
    return types.Diagnostic(
        range=lsp_range(source, finding.start, finding.end, encoding),
        message=message,
        severity=SEVERITIES[finding.severity],
        code=finding.rule,
        source=SOURCE_NAME,
    )


def error_diagnostic(message: str, line: int | None = None) -> types.Diagnostic:
    """A whole-line error for a file or config that could not be linted."""
    row = max((line or 1) - 1, 0)
    return types.Diagnostic(
        range=types.Range(types.Position(row, 0), types.Position(row + 1, 0)),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE_NAME,
    )


def disable_comment(fmt: str, rule: str, indent: str) -> str:
    """The suppression line to insert above a finding: an HTML comment, or a bare line in text files."""
    directive = f"healthlint-disable-next-line {rule}"
    return f"{indent}{directive}\n" if fmt == "text" else f"{indent}<!-- {directive} -->\n"


def in_front_matter(source: Source, finding: Finding) -> bool:
    """Whether a finding sits in front matter, where an inserted comment would break the YAML."""
    if source.text.lstrip("\ufeff").startswith("---") and finding.line == 1:
        return True
    return finding.start < split_front_matter(source.text).end


def overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two LSP ranges touch (a cursor at either end of a finding counts)."""
    key = lambda p: (p.line, p.character)  # noqa: E731
    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def can_disable(linted: Linted, finding: Finding) -> bool:
    """Whether a comment above the finding's line would silence it: not in front matter, not on a directive line
    (a disable-next-line comment skips directive lines)."""
    if linted.fmt == "markdown" and in_front_matter(linted.source, finding):
        return False
    return finding.line not in {directive.line for directive in find_directives(linted.source)}


def code_actions(linted: Linted, uri: str, wanted: types.Range, encoding: str | None) -> list[types.CodeAction]:
    """Quick fixes for the findings under `wanted`, then one 'disable RULE on this line' per rule."""
    actions: list[types.CodeAction] = []
    disabled: set[tuple[str, int]] = set()
    for finding, diagnostic in zip(linted.result.findings, linted.diagnostics):
        if not overlaps(diagnostic.range, wanted):
            continue
        if finding.fix is not None:
            actions.append(_fix_action(finding, diagnostic, linted.source, uri, encoding))
        if (finding.rule, finding.line) not in disabled and can_disable(linted, finding):
            disabled.add((finding.rule, finding.line))
            actions.append(_disable_action(finding, diagnostic, linted, uri))
    return actions


def _fix_action(finding: Finding, diagnostic: types.Diagnostic, source: Source, uri: str, encoding: str | None) -> types.CodeAction:
    fix = finding.fix
    assert fix is not None
    old = source.text[fix.start : fix.end]
    title = f"Replace '{old}' with '{fix.replacement}'" if fix.replacement else f"Delete '{old}'"
    edit = types.TextEdit(range=lsp_range(source, fix.start, fix.end, encoding), new_text=fix.replacement)
    return types.CodeAction(
        title=title if fix.safe else f"{title} (changes meaning: check it)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=fix.safe,
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def _disable_action(finding: Finding, diagnostic: types.Diagnostic, linted: Linted, uri: str) -> types.CodeAction:
    line_text = linted.source.lines.line_text(finding.line)
    indent = line_text[: len(line_text) - len(line_text.lstrip())]
    at = types.Position(finding.line - 1, 0)
    edit = types.TextEdit(range=types.Range(at, at), new_text=disable_comment(linted.fmt, finding.rule, indent))
    return types.CodeAction(
        title=f"Disable {finding.rule} on this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


class HealthlintServer(LanguageServer):
    """The language server: lints open documents and keeps the last result per document."""

    def __init__(self, config: Path | None = None) -> None:
        super().__init__(SOURCE_NAME, __version__)
        self.forced_config = config
        self.resolver = ConfigResolver(config)
        self.config_stamps: dict[Path, float] = {}
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthlint-lint")

    @property
    def encoding(self) -> str | None:
        return self.workspace.position_encoding

    def document_path(self, uri: str) -> Path:
        """The file path of a document; unsaved buffers are placed in the workspace root for config lookup."""
        path = to_fs_path(uri)
        if path:
            return Path(path)
        root = self.workspace.root_path or os.getcwd()
        return Path(root) / Path(uri.rsplit("/", 1)[-1] or "untitled.md").name

    def open_document(self, uri: str) -> TextDocument | None:
        """The open document at uri, or None once it is closed."""
        return self.workspace.text_documents.get(unquote(uri))

    def lint_document(self, uri: str, text: str, version: int | None, language_id: str | None) -> Linted:
        """Lint a snapshot of a document's text (runs on the worker thread)."""
        path = self.document_path(uri)
        fmt = LANGUAGE_FORMATS.get(language_id or "", format_for(str(path)))
        source = Source(str(path), text)
        try:
            self._refresh_configs(path)
            config = self.resolver.config_for(path)
            rules = self.resolver.rules_for(config)
        except ConfigError as error:
            result = FileResult(str(path), source=source)
            return Linted(version, fmt, source, result, [error_diagnostic(f"healthlint config: {error}")])
        result = lint_article_source(source, config, rules, fmt)
        diagnostics = [to_diagnostic(finding, source, self.encoding) for finding in result.findings]
        diagnostics += [error_diagnostic(error.message, error.line) for error in result.errors]
        return Linted(version, fmt, source, result, diagnostics)

    def _refresh_configs(self, path: Path) -> None:
        """Start from a fresh resolver when a config file the document uses has changed on disk."""
        config_path = self.resolver.config_path_for(path)
        if config_path is None:
            return
        stamp = config_path.stat().st_mtime if config_path.exists() else -1.0
        if self.config_stamps.get(config_path, stamp) != stamp:
            self.resolver = ConfigResolver(self.forced_config)
            self.config_stamps.clear()
        self.config_stamps[config_path] = stamp

    def schedule(self, uri: str, delay: float) -> None:
        """(Re)start the lint of a document after `delay` seconds, cancelling one still waiting."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        document = self.open_document(uri)
        if document is None:
            return
        snapshot = (uri, document.source, document.version, document.language_id)
        linted = await asyncio.get_running_loop().run_in_executor(self.worker, self.lint_document, *snapshot)
        if self.pending.get(uri) is asyncio.current_task():
            del self.pending[uri]
        document = self.open_document(uri)
        if document is None or document.version != linted.version:
            return
        self.linted[uri] = linted
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=linted.diagnostics, version=linted.version)
        )

    def forget(self, uri: str) -> None:
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.linted.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def warm_up(self) -> None:
        """Load the pipeline and the workspace config before the first document arrives."""
        root = Path(self.workspace.root_path or os.getcwd())
        try:
            config = self.resolver.config_for(root / "warm-up.md")
            lint_article_source(Source(str(root / "warm-up.md"), "# Warm up\n\nWarm up text.\n"), config, self.resolver.rules_for(config))
        except ConfigError:
            pass  # reported on the first document instead


def create_server(config: Path | None = None) -> HealthlintServer:
    """A server with its LSP features registered."""
    server = HealthlintServer(config)

    @server.feature(types.INITIALIZED)
    def initialized(ls: HealthlintServer, params: types.InitializedParams) -> None:
        asyncio.get_running_loop().run_in_executor(ls.worker, ls.warm_up)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HealthlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HealthlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HealthlintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HealthlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: HealthlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = ls.linted.get(uri)
        document = ls.open_document(uri)
        if linted is None or document is None or document.version != linted.version:
            return []
        return code_actions(linted, uri, params.range, ls.encoding)

    return server


def serve(config: Path | None = None) -> None:
    """Run the server over stdin/stdout until the client exits."""
    create_server(config).start_io()
