"""The language server, end to end over stdio with a real LSP client (pytest-lsp), plus its position maths."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from healthlint.lsp import code_units, disable_comment, lsp_position
from healthlint.source import Source

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
HOUSE_RULES = """\
rules:
  - id: house-spelling
    extends: substitution
    message: "Write '{replacement}' rather than '{match}'."
    severity: warning
    swap: {"paracetamol": "acetaminophen"}
"""
STABLE_RULES = ["house-spelling", "invalid-suppression", "front-matter"]  # other rules are being added in parallel
TIMEOUT = 30


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "healthlint.cli", "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / ".healthlint.yaml").write_text(f"yaml_rules: [house.yaml]\nselect: {STABLE_RULES}\n", encoding="utf-8")
    (tmp_path / "house.yaml").write_text(HOUSE_RULES, encoding="utf-8")
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri())
    )
    yield
    await lsp_client.shutdown_session()


class Editor:
    """A document held by the test client: open, change, apply edits, and wait for the diagnostics."""

    def __init__(self, client: LanguageClient, path: Path, language: str) -> None:
        self.client, self.uri, self.language = client, path.as_uri(), language
        self.text, self.version = "", 0

    async def _publish(self, send) -> list[types.Diagnostic]:
        waiter = self.client.protocol.wait_for_notification_async(PUBLISH)
        send()
        params = await asyncio.wait_for(waiter, TIMEOUT)
        assert params.uri == self.uri and params.version == self.version
        return list(params.diagnostics)

    async def open(self, text: str) -> list[types.Diagnostic]:
        self.text, self.version = text, 1
        item = types.TextDocumentItem(uri=self.uri, language_id=self.language, version=1, text=text)
        return await self._publish(lambda: self.client.text_document_did_open(types.DidOpenTextDocumentParams(item)))

    async def change(self, text: str) -> list[types.Diagnostic]:
        self.text, self.version = text, self.version + 1
        params = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
        return await self._publish(lambda: self.client.text_document_did_change(params))

    async def actions(self, at: types.Range, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
        params = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri),
            range=at,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
        return list(await self.client.text_document_code_action_async(params) or [])

    async def apply(self, action: types.CodeAction) -> list[types.Diagnostic]:
        """Apply a code action's edits the way an editor does (UTF-16 positions), then send the new text."""
        assert action.edit is not None and action.edit.changes is not None
        text = self.text
        for edit in sorted(action.edit.changes[self.uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            start, end = utf16_offset(text, edit.range.start), utf16_offset(text, edit.range.end)
            text = text[:start] + edit.new_text + text[end:]
        return await self.change(text)


def utf16_offset(text: str, position: types.Position) -> int:
    """The Python string offset of an LSP position counted in UTF-16 code units (independent of the server's code)."""
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: position.line])
    units = 0
    for index, char in enumerate(lines[position.line] if position.line < len(lines) else ""):
        if units >= position.character:
            return offset + index
        units += 2 if ord(char) > 0xFFFF else 1
    return offset + (len(lines[position.line]) if position.line < len(lines) else 0)


def utf16_range_of(text: str, needle: str) -> tuple[int, int, int]:
    """(line, start, end) of the first `needle`, columns in UTF-16 code units."""
    for number, line in enumerate(text.split("\n")):
        if needle in line:
            start = len(line[: line.index(needle)].encode("utf-16-le")) // 2
            return number, start, start + len(needle.encode("utf-16-le")) // 2
    raise AssertionError(f"{needle!r} not in text")


def by_code(diagnostics: list[types.Diagnostic], code: str) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == code]


ARTICLE = """\
# Pain relief after dental work 🦷

Most dentists suggest 💊 paracetamol first, taken with food.
<!-- healthlint-disable-next-line house-spellling -->
Ask your pharmacist before combining products.
"""


@pytest.mark.asyncio
async def test_open_publishes_diagnostics_at_utf16_ranges(client: LanguageClient, tmp_path: Path):
    editor = Editor(client, tmp_path / "teeth.md", "markdown")
    diagnostics = await editor.open(ARTICLE)

    [spelling] = by_code(diagnostics, "house-spelling")
    line, start, end = utf16_range_of(ARTICLE, "paracetamol")
    assert (spelling.range.start.line, spelling.range.start.character) == (line, start)
    assert (spelling.range.end.line, spelling.range.end.character) == (line, end)
    assert start == len("Most dentists suggest ") + 2 + 1  # the pill emoji is two UTF-16 code units
    assert spelling.severity == types.DiagnosticSeverity.Warning
    assert spelling.source == "healthlint"

    [unknown] = by_code(diagnostics, "invalid-suppression")
    assert unknown.range.start.line == ARTICLE.split("\n").index("<!-- healthlint-disable-next-line house-spellling -->")
    assert "house-spellling" in unknown.message
    actions = await editor.actions(unknown.range, [unknown])
    assert not [a for a in actions if a.title.startswith("Disable")]  # a comment above a directive line would not work


@pytest.mark.asyncio
async def test_quick_fix_applies_the_replacement(client: LanguageClient, tmp_path: Path):
    editor = Editor(client, tmp_path / "teeth.md", "markdown")
    diagnostics = await editor.open(ARTICLE)
    [spelling] = by_code(diagnostics, "house-spelling")

    actions = await editor.actions(spelling.range, [spelling])
    [fix] = [a for a in actions if a.title.startswith("Replace")]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred

    after = await editor.apply(fix)
    assert "suggest 💊 acetaminophen first" in editor.text
    assert by_code(after, "house-spelling") == []
    assert len(by_code(after, "invalid-suppression")) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("name", "language", "body", "directive"),
    [
        ("teeth.md", "markdown", "Then 💊 paracetamol.\n", "<!-- healthlint-disable-next-line house-spelling -->"),
        ("teeth.txt", "plaintext", "Then 💊 paracetamol.\n", "healthlint-disable-next-line house-spelling"),
        ("teeth.html", "html", "<p>Then 💊 paracetamol.</p>\n", "<!-- healthlint-disable-next-line house-spelling -->"),
    ],
)
async def test_disable_action_inserts_a_suppression_that_works(client, tmp_path, name, language, body, directive):
    text = f"Tooth care\n\nRinse gently after meals.\n    {body}"
    editor = Editor(client, tmp_path / name, language)
    [spelling] = by_code(await editor.open(text), "house-spelling")

    actions = await editor.actions(spelling.range, [spelling])
    [disable] = [a for a in actions if a.title == "Disable house-spelling on this line"]
    after = await editor.apply(disable)

    assert f"\n    {directive}\n    {body}" in editor.text
    assert by_code(after, "house-spelling") == []
    assert by_code(after, "invalid-suppression") == []


@pytest.mark.asyncio
async def test_change_updates_diagnostics_and_front_matter_errors_get_no_disable_action(client, tmp_path):
    editor = Editor(client, tmp_path / "draft.md", "markdown")
    assert by_code(await editor.open("# Draft\n\nNothing to see.\n"), "house-spelling") == []

    broken = "---\ntitle: Ibuprofen: dosing\n---\n\nGive paracetamol instead.\n"
    diagnostics = await editor.change(broken)
    [front] = by_code(diagnostics, "front-matter")
    assert front.severity == types.DiagnosticSeverity.Error
    assert front.range.start.line == 1  # the YAML error is on "title: ..."
    assert len(by_code(diagnostics, "house-spelling")) == 1

    actions = await editor.actions(front.range, [front])
    assert not [a for a in actions if a.title.startswith("Disable")]


@pytest.mark.asyncio
async def test_change_to_a_long_article_is_linted_quickly_once_warm(client, tmp_path):
    paragraph = "Adults can take paracetamol every six hours; do not exceed the daily limit on the label. " * 4
    article = "# Long guide\n\n" + "\n\n".join(paragraph for _ in range(35))
    assert len(article.split()) >= 2000
    everything = tmp_path / "all-rules"  # every built-in rule plus the house rule, as an editor would run them
    everything.mkdir()
    (everything / ".healthlint.yaml").write_text("yaml_rules: [../house.yaml]\n", encoding="utf-8")
    editor = Editor(client, everything / "long.md", "markdown")
    await editor.open(article)
    await editor.change(article + "\nOne more paracetamol line.\n")  # warm

    started = time.perf_counter()
    diagnostics = await editor.change(article.replace("paracetamol", "aspirin", 10))
    elapsed = time.perf_counter() - started

    assert len(by_code(diagnostics, "house-spelling")) == 35 * 4 - 10
    print(f"change -> diagnostics for {len(article.split())} words: {elapsed * 1000:.0f} ms (150 ms of it is the debounce)")
    assert elapsed < 1.5  # the target is 0.3 s; the bound leaves room for a loaded CI machine


def test_positions_count_utf16_code_units_for_astral_characters():
    source = Source("a.md", "ab\n💊 x😀y\n")
    x = source.text.index("x")
    assert lsp_position(source, x, None) == types.Position(1, 3)
    assert lsp_position(source, x + 2, types.PositionEncodingKind.Utf16) == types.Position(1, 6)
    assert lsp_position(source, x + 2, types.PositionEncodingKind.Utf32) == types.Position(1, 4)
    assert lsp_position(source, x + 2, types.PositionEncodingKind.Utf8) == types.Position(1, 10)
    assert code_units("é💊", None) == 3


def test_disable_comment_matches_the_format():
    assert disable_comment("markdown", "drug-swap", "  ") == "  <!-- healthlint-disable-next-line drug-swap -->\n"
    assert disable_comment("html", "drug-swap", "") == "<!-- healthlint-disable-next-line drug-swap -->\n"
    assert disable_comment("text", "drug-swap", "") == "healthlint-disable-next-line drug-swap\n"


@pytest.mark.asyncio
async def test_drug_rule_fix_when_available(client, tmp_path):
    from healthlint.config import parse_config
    from healthlint.registry import all_rules

    if "glued-drug-name" not in all_rules(parse_config({})):
        pytest.skip("glued-drug-name is not built yet")
    folder = tmp_path / "drugs"
    folder.mkdir()
    (folder / ".healthlint.yaml").write_text("select: [glued-drug-name]\n", encoding="utf-8")
    text = "# Sertraline basics\n\nMany adults start sertraline at a low dose.\nYour doctor may raise thesertraline dose 😀 later.\n"
    editor = Editor(client, folder / "sertraline.md", "markdown")
    [glued] = by_code(await editor.open(text), "glued-drug-name")
    line, start, end = utf16_range_of(text, "thesertraline")
    assert (glued.range.start.line, glued.range.start.character, glued.range.end.character) == (line, start, end)

    [fix] = [a for a in await editor.actions(glued.range, [glued]) if a.title.startswith("Replace")]
    assert by_code(await editor.apply(fix), "glued-drug-name") == []
    assert "raise the sertraline dose" in editor.text
