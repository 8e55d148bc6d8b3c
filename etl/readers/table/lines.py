"""A table stream as text lines: UTF-8 line by line with the head's other encoding for the
lines that are not (`line_decoder`), and a byte stream with its invalid UTF-8 repaired for the
JSON parser (`RepairedUTF8`)."""
from __future__ import annotations

import codecs
import io
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

from etl.model import ItemError
from etl.text import LineDecoder, bom_encoding, guess_encoding, other_encoding

def line_decoder(head: bytes, first_line: int = 1) -> LineDecoder | None:
    """The decoder for a table's lines (UTF-8 line by line, with the encoding of the head's
    other lines for the rest: see etl.text.decode_counted), or None for UTF-16/32 text with a
    byte-order mark, which is decoded as a whole."""
    bom, _ = bom_encoding(head)
    if bom and bom != "utf-8":
        return None
    try:
        head.decode("utf-8")
        return LineDecoder(first_line=first_line)      # the other encoding, if any, found later
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return LineDecoder(first_line=first_line)  # a character cut at the head's end
    return LineDecoder(other_encoding(head.splitlines()) or "cp1252", first_line)


class _DecodedLines:
    """The lines of a binary stream as text, each decoded on its own by `decoder`; line breaks
    as csv expects them (\n, \r\n or a lone \r)."""

    def __init__(self, stream: BinaryIO, decoder: LineDecoder):
        self.stream, self.decoder = stream, decoder
        self.waiting: deque[bytes] = deque()

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.waiting:
            return self.decoder.decode(self.waiting.popleft())
        line = self.stream.readline()
        if not line:
            raise StopIteration
        cr = line.find(b"\r")
        if cr != -1 and cr != len(line) - 2 or line.count(b"\r") > 1:
            first, *rest = line.splitlines(keepends=True)      # lone \r line breaks
            self.waiting.extend(rest)
            line = first
        return self.decoder.decode(line)


def text_stream(stream: BinaryIO, head: bytes) -> tuple[Iterator[str], LineDecoder | None]:
    decoder = line_decoder(head)
    if decoder is not None:
        if head.startswith(codecs.BOM_UTF8):
            stream.read(3)
        return _DecodedLines(stream, decoder), decoder
    encoding = guess_encoding(head)
    if encoding.startswith("utf-16"):
        encoding = "utf-16"
    elif encoding.startswith("utf-32"):
        encoding = "utf-32"
    return io.TextIOWrapper(stream, encoding=encoding, errors="etl_latin1_fallback", newline=""), None


def _incomplete_tail(block: bytes) -> int:
    """Where a UTF-8 character cut by the end of `block` starts (len(block) when none is)."""
    for back in range(1, min(4, len(block)) + 1):
        byte = block[-back]
        if byte < 0x80:
            return len(block)
        if byte >= 0xC0:        # a lead byte: how many bytes its character takes
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(block) - back if need > back else len(block)
    return len(block)


class RepairedUTF8(io.RawIOBase):
    """A byte stream passed through as it is when it is UTF-8 (one strict decode per MiB
    block), and with the lines of a block that is not re-encoded from what `decoder` reads
    them as (ijson refuses a whole JSON document for one bad byte)."""

    def __init__(self, stream: BinaryIO, decoder: LineDecoder, block: int = 1 << 20):
        self.stream, self.decoder, self.block = stream, decoder, block
        self.buffer = b""
        self.at = 0                 # bytes of the buffer handed out
        self.carry = b""

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self.buffer:
            block = self.stream.read(self.block)
            if not block:
                block, self.carry = self.carry, b""
                if not block:
                    return
                cut = len(block)
            else:
                block = self.carry + block
                cut = _incomplete_tail(block)
                block, self.carry = block[:cut], block[cut:]
            try:
                block.decode("utf-8")
                self.decoder.line += block.count(b"\n")
                self.buffer = block
            except UnicodeDecodeError:
                self.buffer = "".join(map(self.decoder.decode, block.splitlines(keepends=True))).encode("utf-8")

    def readinto(self, target) -> int:
        if self.at >= len(self.buffer):
            self.buffer, self.at = b"", 0
            self._fill()
        n = min(len(target), len(self.buffer) - self.at)
        target[:n] = memoryview(self.buffer)[self.at:self.at + n]
        self.at += n
        return n


def repair_error(path: str, decoder: LineDecoder | None) -> ItemError | None:
    note = decoder.result("").repair_note() if decoder is not None else None
    return ItemError(path, "", "encoding_repaired", note) if note else None
