"""Recognising an input's format from content, and dispatching to the readers.

`detect_format` sniffs the first bytes of an input; `read_input` opens a file (gunzipping
transparently, `etl.readers.inputs.open_input`), detects its format and yields what the
matching reader yields. Tables are streamed from disk; single-document formats (archive text,
HTML, feeds) are read whole, up to `max_bytes`.
"""
from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from etl import limits
from etl.errors import EmptyInput, NotAnArticle, TooLarge, UnknownFormat, UnreadableInput
from etl.model import ItemError, RawArticle
from etl.readers import archive_text, feed, html, table
from etl.readers.inputs import GunzipReader, open_input
from etl.readers.table.columns import guess_column_map
from etl.readers.table.delimited import sniff_delimiter
from etl.readers.table.json_document import read_json
from etl.text import bom_encoding, decode, decode_counted

FORMATS = ("archive_text", "html", "feed", "csv", "jsonl", "json", "parquet")
HEAD_BYTES = 1 << 20          # how much of an input format detection looks at
TABLE_FORMATS = ("csv", "jsonl", "json", "parquet")
DOCUMENT_READERS = {"archive_text": archive_text, "html": html, "feed": feed}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# the same characters as bytes: in UTF-8 they are exactly these single bytes, so counting them
# in the encoded text counts the characters (bytes.translate: ~2.5× cheaper than the regex)
_NOT_CONTROL_BYTES = bytes(c for c in range(256) if not _CONTROL_CHARS.match(chr(c)))

_MAGIC = (
    (b"PK\x03\x04", "ZIP archive (unpack it and ingest the files inside)"),
    (b"%PDF", "PDF document (not a supported input)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"BZh", "bzip2-compressed data (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive (unpack it first)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data (decompress it first)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "legacy Microsoft Office document"),
)
_EXTENSION_HINTS = {
    ".csv": "csv", ".tsv": "csv", ".tab": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "json", ".parquet": "parquet", ".pq": "parquet", ".html": "html", ".htm": "html",
    ".xhtml": "html", ".rss": "feed", ".atom": "feed", ".xml": "feed", ".txt": "archive_text",
    ".text": "archive_text",
}
_FEED_ROOT = re.compile(r"<(?:[\w-]+:)?(rss|feed|rdf)\b", re.IGNORECASE)
_HTML_MARK = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]|<div[\s>]|<p[\s>]|<article[\s>]",
                        re.IGNORECASE)
_XML_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_PREAMBLE = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*|<!--.*?-->\s*|<\?xml-stylesheet[^>]*\?>\s*)*", re.DOTALL)
# <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "...">: RSS 0.91 feeds
# name their root element in a document type declaration (an internal subset [...] included)
_DOCTYPE = re.compile(r"<!doctype\s+([A-Za-z_][\w.:-]*)[^\[>]*(?:\[.*?\]\s*)?>\s*", re.IGNORECASE | re.DOTALL)
# a few NUL bytes occur in real text files (a stray one in a CSV cell, padding at the end);
# binary data holds them at a far higher rate
_NUL_SHARE = 0.01


# ---- format detection -------------------------------------------------------------------

def _extension_hint(path: str) -> str | None:
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return _EXTENSION_HINTS.get(os.path.splitext(name)[1])


def _looks_like_csv(lines: list[str], hinted: bool) -> bool:
    """A header of short field names and rows with the same number of fields."""
    import csv

    header = lines[0]
    delimiter = sniff_delimiter(header)
    if delimiter not in header:      # one field name at most: not a table (cheap early exit)
        return False
    try:
        rows = list(csv.reader(lines[:50], delimiter=delimiter))
    except csv.Error:
        return hinted
    names = rows[0] if rows else []
    if len(names) < 2 or any(len(n) > 80 for n in names):
        return False
    known = guess_column_map(names)
    if ("title" in known or "body" in known) and len(known) >= 2:
        return True
    body_rows = [r for r in rows[1:-1] if r]
    if not body_rows:
        return hinted
    same = sum(len(r) == len(names) for r in body_rows) / len(body_rows)
    return same >= 0.8 and (hinted or len(names) >= 3)


def _long_first_line_then_object(path: str, data: bytes) -> bool:
    """True when the first line of the input runs past the head and the next non-blank line
    starts an object: JSON Lines (a JSON document holds one value, so nothing can follow it).
    Looks in `data` when it holds more than the head, else streams the file from disk in
    blocks (never holding the long line)."""
    head_end = data.find(b"\n", 0, HEAD_BYTES)
    if head_end != -1 and data[head_end:HEAD_BYTES].strip():
        return False        # the first line ends inside the head: the caller has judged it
    after_newline = head_end != -1

    def blocks() -> Iterator[bytes]:
        if len(data) > HEAD_BYTES:
            yield data[HEAD_BYTES:]
        elif os.path.isfile(path):
            with open_input(path) as stream:
                stream.seek(HEAD_BYTES) if stream.seekable() else stream.read(HEAD_BYTES)
                while block := stream.read(1 << 20):
                    yield block

    for block in blocks():
        if not after_newline:
            end = block.find(b"\n")
            if end == -1:
                continue
            after_newline, block = True, block[end + 1:]
        rest = block.lstrip()
        if rest:
            return rest[:1] == b"{"
    return False


def detect_format(path: str, data: bytes) -> str:
    """archive_text | html | feed | csv | jsonl | json | parquet, from the content of `data` (the whole
    input or its first bytes); the file extension only breaks ties. Raises UnknownFormat
    saying what the data looks like instead."""
    if not data:
        raise EmptyInput(path, "file is empty (0 bytes)")
    if data[:4] == b"PAR1":
        return "parquet"
    _refuse_binary(path, data)
    text = decode(data[:HEAD_BYTES])
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise EmptyInput(path, "file contains only whitespace")
    controls = len(stripped[:4096].encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL_BYTES))
    if controls > len(stripped[:4096]) * 0.05:
        raise UnknownFormat(path, f"binary data ({controls} control characters in the first 4 KB)")
    hint = _extension_hint(path)
    if stripped.startswith("<") and (fmt := _markup_format(path, text, stripped, hint)):
        return fmt
    if fmt := _json_format(path, data, stripped, hint):
        return fmt
    return _text_format(path, data, stripped, hint)


def _refuse_binary(path: str, data: bytes) -> None:
    """Raises UnknownFormat for gzip data, a known binary format, or NUL bytes in text."""
    if data[:2] == b"\x1f\x8b":
        raise UnknownFormat(path, "gzip-compressed data (read it through read_input, which gunzips)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnknownFormat(path, what)
    bom, _ = bom_encoding(data)
    head = data[:HEAD_BYTES]
    if bom is None and b"\x00" in head:
        opening = head[:512]
        if (opening.count(b"\x00") > max(2, len(opening) * _NUL_SHARE)
                or head.count(b"\x00") > 32 + len(head) // 1000):
            raise UnknownFormat(path, "binary data (NUL bytes) that is not Parquet")


def _markup_format(path: str, text: str, stripped: str, hint: str | None) -> str | None:
    """feed or html for a document that opens with markup, by its root element; None when it
    has none to go by (text that opens with a "<"); raises for another XML document."""
    after = _PREAMBLE.sub("", stripped[:8192], count=1)
    low = after[:4096].lower()
    root = _XML_ROOT.match(after)
    root_name = root.group(1).lower() if root else ""
    doctype = _DOCTYPE.match(after) if after[:9].lower() == "<!doctype" else None
    if doctype and doctype.group(1).lower() != "html":
        root = _XML_ROOT.match(after, doctype.end())      # the root element after the declaration
        root_name = (root.group(1) if root else doctype.group(1)).lower()
        low = after[doctype.end():doctype.end() + 4096].lower()
    if root_name.split(":")[-1] in ("rss", "feed") or (root_name.endswith("rdf") and "rss" in low):
        return "feed"
    if root_name in ("", "html") and feed.embedded_feed(text):
        return "feed"       # RSS 0.91 with its DOCTYPE; an Atom feed wrapped in XHTML
    if root_name != "html" and feed.late_declaration(stripped.encode("utf-8", "replace")) is not None:
        return "feed"       # a feed after a PHP warning the server printed first
    if _HTML_MARK.search(low) or root_name in ("html", "!doctype"):
        return "html"
    if _FEED_ROOT.search(low[:500]):
        return "feed"
    if root_name and hint == "html":
        return "html"
    if root_name:
        raise UnknownFormat(path, f"XML document with root element <{root.group(1)}>, not RSS, Atom or HTML")
    return None


def _json_format(path: str, data: bytes, stripped: str, hint: str | None) -> str | None:
    """feed (a JSON Feed), jsonl or json for text that opens with "{" or "["; None otherwise."""
    has_newline = "\n" in stripped
    if stripped[0] == "{" and feed.JSON_FEED_VERSION.search(stripped[:HEAD_BYTES]):
        return "feed"       # a JSON Feed (jsonfeed.org): its items, not one JSON article
    if stripped[0] not in "{[":
        return None
    value = _first_line_value(stripped) if has_newline else None
    if isinstance(value, dict) and (hint == "jsonl" or stripped.split("\n", 1)[1].strip()):
        return "jsonl"      # one object per line; a lone one-line object is a JSON document
    if stripped[0] == "{" and len(data) >= HEAD_BYTES and _long_first_line_then_object(path, data):
        return "jsonl"      # a first line longer than the head, and another object after it
    # a JSON document: an array (of articles), or an object spread over lines or too long
    # for the head ({"articles": [...]} from an API, one article from a scraper)
    after = stripped[1:].lstrip()[:1]
    if (value is not None or hint in ("json", "jsonl") or after in ('"', "}", "]", "{", "[")
            or (stripped[0] == "{" and not has_newline)):
        return "json"
    return None


def _first_line_value(stripped: str):
    """The JSON value of the first line; None when it is not one, {} when nested past Python's
    limit (the reader refuses that line)."""
    try:
        return json.loads(stripped.split("\n", 1)[0].strip())
    except json.JSONDecodeError:
        return None
    except RecursionError:
        return {}


def _text_format(path: str, data: bytes, stripped: str, hint: str | None) -> str:
    """archive_text or csv for text that is neither markup nor JSON; raises UnknownFormat for
    text with no line break, too few letters, or named like another format."""
    if "\n" not in stripped and len(data) >= HEAD_BYTES:
        raise UnknownFormat(path, f"no line break in the first {HEAD_BYTES} bytes: not an article text, "
                                  f"CSV or JSON Lines file")
    lines = [line for line in stripped.splitlines()[:60] if line.strip()]
    if hint != "csv" and any(archive_text.TITLE_LINE.match(line.strip()) for line in lines[:15]):
        return "archive_text"       # "<Title> | <OUTLET> English Archive …": a scraped archive page
    if lines and _looks_like_csv(lines, hint == "csv"):
        return "csv"
    window = stripped[:4096]
    need = len(window) * 0.3
    letters = sum(map(str.isalpha, window[:2048]))     # usually enough: the rest is not counted
    if letters < need:
        letters += sum(map(str.isalpha, window[2048:]))
    if letters < need:
        raise UnknownFormat(path, "text with too few letters to be an article, and not a CSV/JSONL table")
    if hint in ("jsonl", "json", "feed", "html", "parquet"):
        # program code or a list of links saved under a page's or a feed's name is no article
        # (what it is, said as for a text file), not an unknown format
        if (reason := archive_text.not_an_article(stripped[:20_000])) is not None:
            raise NotAnArticle(path, reason)
        raise UnknownFormat(path, f"named like {hint} but the content is plain text "
                                  f"(starts {stripped[:40]!r})")
    return "archive_text"


# ---- reading ----------------------------------------------------------------------------

def read_input(path: str, fmt: str | None = None, column_map: dict[str, str] | None = None,
               max_bytes: int | None = None, data: bytes | None = None) -> Iterator[RawArticle | ItemError]:
    """Everything one input file holds, as RawArticles and ItemErrors.

    Raises a named InputError when the file as a whole cannot be read. Tables are streamed
    whatever their size; other formats are read whole and refused above `max_bytes` (default
    limits.MAX_INPUT_BYTES, CONFLICT_TRENDS_MAX_INPUT_MB), decompressed or not.
    `data`, when given, is the file's bytes as already read (gzip data is read from the path).
    """
    if fmt is not None and fmt not in FORMATS:
        raise UnknownFormat(path, f"unknown format name {fmt!r}; expected one of {', '.join(FORMATS)}")
    if data is not None and (data[:2] == b"\x1f\x8b" or path.lower().endswith(".gz")):
        data = None         # compressed: read through open_input, which gunzips
    if data is not None:
        head = data[:HEAD_BYTES]
    else:
        with open_input(path) as stream:
            head = stream.read(HEAD_BYTES)
    if not head:
        raise EmptyInput(path, "file is empty (0 bytes)" if not path.lower().endswith(".gz")
                         else "gzip stream decompresses to 0 bytes")
    if not head.strip():
        raise EmptyInput(path, "file contains only whitespace")
    fmt = fmt or detect_format(path, data if data is not None else head)
    if fmt in TABLE_FORMATS:
        yield from _read_table(path, fmt, head, column_map, data)
        return
    max_bytes = limits.MAX_INPUT_BYTES if max_bytes is None else max_bytes
    if data is None:
        with open_input(path, limit=max_bytes) as stream:
            data = _read_upto(stream, max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(path, f"{fmt} input is larger than the {max_bytes:,}-byte limit for single documents "
                             f"(CONFLICT_TRENDS_MAX_INPUT_MB)")
    if fmt in ("html", "feed"):
        data, note = repaired_utf8(data)
        if note:
            yield ItemError(path, "", "encoding_repaired", note)
    yield from DOCUMENT_READERS[fmt].read(path, data)


def _read_upto(stream: BinaryIO, size: int) -> bytes:
    """At most `size` bytes, read a block at a time (read(size) reserves all of `size` at once)."""
    parts, held = [], 0
    while held < size and (block := stream.read(min(1 << 20, size - held))):
        parts.append(block)
        held += len(block)
    return b"".join(parts)


def repaired_utf8(data: bytes) -> tuple[bytes, str | None]:
    """A page or feed that is UTF-8 but for a few bad bytes (or lines in another encoding), as
    clean UTF-8, and a note of the repair; anything else unchanged. The HTML and feed parsers
    decode bytes themselves and read such a page whole as cp1252 or mac-roman ("â€”" for every
    dash); clean UTF-8 they read right."""
    if data.isascii():
        return data, None
    try:
        data.decode("utf-8")
        return data, None
    except UnicodeDecodeError:
        pass
    decoded = decode_counted(data)
    note = decoded.repair_note()
    if decoded.encoding != "utf-8" or note is None:
        return data, None
    return decoded.text.encode("utf-8"), note


def _read_table(path, fmt, head, column_map, data: bytes | None = None):
    stream = io.BytesIO(data) if data is not None else open_input(path)
    try:
        if fmt == "json":       # read in two passes; gzip data is opened again for the second
            yield from read_json(path, stream, head, column_map, reopen=lambda: open_input(path))
        else:
            yield from table.read_stream(path, stream, head, fmt, column_map)
    finally:
        stream.close()


def read_url(url: str, timeout: float = 30.0, max_bytes: int = 50_000_000) -> Iterator[RawArticle | ItemError]:
    """Fetch one URL (a feed or a page) and read it. Needs network; nothing else depends on it."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "conflict-trends-etl"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UnreadableInput(url, f"could not fetch: {getattr(exc, 'reason', exc)}") from exc
    if len(data) > max_bytes:
        raise TooLarge(url, f"response larger than {max_bytes} bytes")
    if data[:2] == b"\x1f\x8b":
        with io.BufferedReader(GunzipReader(url, io.BufferedReader(io.BytesIO(data)), limit=max_bytes)) as stream:
            data = stream.read(max_bytes + 1)
    fmt = detect_format(url.split("?", 1)[0], data)
    if fmt in TABLE_FORMATS:
        yield from table.read(url, data, fmt)
    else:
        yield from DOCUMENT_READERS[fmt].read(url, data)
