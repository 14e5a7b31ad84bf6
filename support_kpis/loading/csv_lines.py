"""A CSV file as decoded physical lines, split at LF, CRLF or CR alike, in bounded memory.

Python's csv reader takes lines that keep their line ending, and then handles any mix of endings and the newlines
inside quoted values itself. Splitting here happens on bytes: LF and CR never occur inside a UTF-8 multi-byte
character, so each line decodes on its own and a bad byte is found in the record that holds it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

BOM = b"\xef\xbb\xbf"
CHUNK_BYTES = 1 << 20
# No physical line (a record without line breaks, or one line of a quoted value) may be longer: memory stays
# bounded even when a file has no line ending at all.
MAX_LINE_BYTES = 128 * (1 << 20)


@dataclass
class ReadStats:
    """What reading a file has seen so far, counted per chunk (not per line, which would cost more)."""

    endings: Counter[str] = field(default_factory=Counter)  # CRLF, LF, CR
    bytes_read: int = 0


class NotUtf8(Exception):
    """A line that is not valid UTF-8; `byte` is the first offending byte."""

    def __init__(self, byte: int) -> None:
        super().__init__(f"byte 0x{byte:02x}")
        self.byte = byte


class LineTooLong(Exception):
    """A physical line longer than MAX_LINE_BYTES."""


def decoded_lines(
    path: Path, stats: ReadStats | None = None, chunk_bytes: int = CHUNK_BYTES
) -> Generator[str, None, None]:
    """The file's lines as text, each with its line ending; a byte order mark at the start is dropped.

    `stats`, when given, follows the line endings and the bytes read. Reading goes by chunks of `chunk_bytes`.
    """
    with path.open("rb") as handle:
        for number, raw in enumerate(_byte_lines(handle, stats, chunk_bytes), start=1):
            line = raw[len(BOM) :] if number == 1 and raw.startswith(BOM) else raw
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise NotUtf8(line[exc.start]) from None


def _byte_lines(handle: BinaryIO, stats: ReadStats | None, chunk_bytes: int) -> Iterator[bytes]:
    pending: list[bytes] = []  # the start of a line whose ending is in a later chunk
    pending_bytes = 0
    while chunk := handle.read(chunk_bytes):
        # A CR at the end of a chunk may be the first half of a CRLF: look at the next byte first.
        while chunk.endswith(b"\r") and (following := handle.read(1)):
            chunk += following
        if stats is not None:
            stats.bytes_read += len(chunk)
            _count_endings(chunk, stats.endings)
        for piece in chunk.splitlines(keepends=True):
            if piece.endswith((b"\n", b"\r")):
                if pending:
                    pending.append(piece)
                    piece = b"".join(pending)
                    pending, pending_bytes = [], 0
                if len(piece) > MAX_LINE_BYTES:
                    raise LineTooLong
                yield piece
            else:
                pending.append(piece)
                pending_bytes += len(piece)
                if pending_bytes > MAX_LINE_BYTES:
                    raise LineTooLong
    if pending:
        yield b"".join(pending)


def _count_endings(chunk: bytes, endings: Counter[str]) -> None:
    # Counted per chunk, not per line: a chunk never ends between the CR and LF of a CRLF.
    crlf = chunk.count(b"\r\n")
    for ending, count in (("CRLF", crlf), ("LF", chunk.count(b"\n") - crlf), ("CR", chunk.count(b"\r") - crlf)):
        if count:
            endings[ending] += count
