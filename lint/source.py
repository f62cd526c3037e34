"""Reading article bytes and mapping character offsets to 1-based lines and columns.

This module is the only place that turns offsets into line/column positions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be linted, with a human-readable reason."""


@dataclass(frozen=True)
class Source:
    """The decoded text of one article and how it was stored on disk."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    lines: "LineIndex" = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", LineIndex(self.text))


class LineIndex:
    """Offset <-> (line, column) conversion, both 1-based, columns in code points."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        start = text.find("\n")
        while start != -1:
            self._starts.append(start + 1)
            start = text.find("\n", start + 1)
        self._length = len(text)
        self._text = text

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column) of a character offset; offsets past the end clamp to it."""
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """The character offset of a 1-based (line, column)."""
        line = max(1, min(line, len(self._starts)))
        return min(self._starts[line - 1] + column - 1, self._length)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line terminator."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else self._length
        return self._text[start:end].rstrip("\r")

    def line_end(self, line: int) -> int:
        """The offset just after the last character of a line (before its terminator)."""
        return self.offset(line) + len(self.line_text(line))


def decode(data: bytes, path: str = "<bytes>") -> Source:
    """Decode article bytes: UTF-8, then UTF-8 with BOM; binary or other encodings are errors."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not linted")
    if b"\x00" in data[:8192]:
        raise ReadError("binary file (contains NUL bytes); not linted")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8 to lint it"
        ) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    return Source(path=path, text=text, encoding="utf-8-sig" if bom else "utf-8", bom=bom, newline=newline)


def read_source(path: Path | str) -> Source:
    """Read and decode a file; every failure becomes a ReadError with a clear reason."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from None
    return decode(data, str(path))
