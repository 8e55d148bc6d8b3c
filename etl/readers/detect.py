"""Finding inputs, recognising their format from content, and dispatching to the readers.

`expand_inputs` turns command-line specs (files, folders, globs) into file paths;
`detect_format` sniffs the first bytes of an input; `read_input` opens a file (gunzipping
transparently), detects its format and yields what the matching reader yields. Tables are
streamed from disk; single-document formats (archive text, HTML, feeds) are read whole, up to
`max_bytes`.
"""
from __future__ import annotations

import glob
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from etl import limits
from etl.errors import EmptyInput, MalformedInput, RefusedInput, TooLarge, UnknownFormat, UnreadableInput
from etl.model import ItemError, RawArticle
from etl.readers import archive_text, feed, html, table
from etl.readers.table.columns import guess_column_map
from etl.readers.table.delimited import sniff_delimiter
from etl.readers.table.json_document import read_json
from etl.text import bom_encoding, decode, decode_counted

FORMATS = ("archive_text", "html", "feed", "csv", "jsonl", "json", "parquet")
HEAD_BYTES = 1 << 20          # how much of an input format detection looks at
TABLE_FORMATS = ("csv", "jsonl", "json", "parquet")
DOCUMENT_READERS = {"archive_text": archive_text, "html": html, "feed": feed}
_GLOB_CHARS = re.compile(r"[*?\[]")
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


# ---- finding inputs ---------------------------------------------------------------------

def _hidden(name: str) -> bool:
    return name.startswith(".")


# Files that describe a folder rather than hold articles; skipped when walking folders (they
# still load when named explicitly).
_FOLDER_NOTES = re.compile(r"^(readme|license|licence|manifest|changelog|copying)(\.[a-z]+)?$", re.IGNORECASE)


def refused_kind_reason(mode: int) -> str:
    """Why a file of this mode is not read: what it is, in words."""
    what = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "not a regular file")
    return f"{what}, not a regular file: never read (reading one may never end)"


def _inside(target: str, allowed: tuple[set[str], list[str]]) -> bool:
    """Whether real path `target` is a named file, a named folder or inside one."""
    files, folders = allowed
    return target in files or any((target + os.sep).startswith(folder) for folder in folders)


def _walk(folder: str, refuse, allowed, anywhere: bool) -> Iterator[str]:
    """Files under `folder`, sorted, depth first (as os.walk top-down gives them), from one
    scandir per folder: the kind of each entry comes with its name, so regular files cost no
    extra call. FIFOs, sockets and devices are refused; a symbolic link is followed only to
    a regular file or folder inside what the user named (`allowed`), or anywhere with
    `anywhere`; a followed folder is walked once (links can make loops)."""
    stack = [folder]
    walked = {os.path.realpath(folder)}
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            refuse(UnreadableInput(current, f"cannot list folder: {exc.strerror or exc}"))
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            if _hidden(name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append(entry.path)
                    continue
                if entry.is_file(follow_symlinks=False):
                    if not _FOLDER_NOTES.match(name):
                        yield entry.path
                    continue
                if not entry.is_symlink():
                    refuse(RefusedInput(entry.path, refused_kind_reason(entry.stat(follow_symlinks=False).st_mode)))
                    continue
                target = os.path.realpath(entry.path)
                if not anywhere and not _inside(target, allowed):
                    refuse(RefusedInput(entry.path, f"symbolic link to {target}, outside the folders and files "
                                                    f"named on the command line (--follow-symlinks-anywhere "
                                                    f"follows it)"))
                    continue
                st = os.stat(target)
            except OSError as exc:
                refuse(UnreadableInput(entry.path, f"cannot inspect: {exc.strerror or exc}"))
                continue
            if stat.S_ISDIR(st.st_mode):
                # a link to a folder inside a named one is walked there already
                if anywhere and not _inside(target, allowed) and target not in walked:
                    walked.add(target)
                    subdirs.append(entry.path)
            elif stat.S_ISREG(st.st_mode):
                if not _FOLDER_NOTES.match(name):
                    yield entry.path
            else:
                refuse(RefusedInput(entry.path, f"symbolic link to {target}: " + refused_kind_reason(st.st_mode)))
        stack.extend(reversed(subdirs))


def _allowed(specs: list[str]) -> tuple[set[str], list[str]]:
    """Where symbolic links found in a walk may lead: the real paths of the files named, and
    of the folders named (or holding a glob's matches), each folder with a trailing separator."""
    files: set[str] = set()
    folders: list[str] = []
    for spec in specs:
        spec = os.path.expanduser(spec)
        magic = _GLOB_CHARS.search(spec)
        if magic and not os.path.exists(spec):
            spec = os.path.dirname(spec[:magic.start()]) or "."
        real = os.path.realpath(spec)
        if os.path.isdir(real):
            folders.append(os.path.join(real, ""))
        else:
            files.add(real)
    return files, folders


def _ignore(exc: Exception) -> None:
    pass


def expand_inputs(specs: list[str], refuse=_ignore, follow_symlinks_anywhere: bool = False) -> Iterator[str]:
    """Absolute file paths for files, folders (recursive, sorted; hidden entries and README /
    LICENSE / MANIFEST notes skipped) and globs. A spec that names nothing is passed through so
    that reading it reports the error.

    What a walk finds but must not read goes to `refuse(error)` (a RefusedInput) instead:
    FIFOs, sockets and devices, and symbolic links that lead out of the folders and files
    named (a link to /etc/passwd or /dev/zero dropped into an archive folder), unless
    `follow_symlinks_anywhere`. Inputs named directly are the user's choice and pass through
    (the ingest still refuses one that is not a regular file)."""
    # Each path once, without remembering every path of a folder (a million files would hold
    # ~140 MB): a walk never repeats itself, so only folders walked so far and the paths of
    # file and glob specs are kept.
    allowed = _allowed(specs)
    anywhere = follow_symlinks_anywhere
    roots: list[str] = []
    seen: set[str] = set()
    for spec in specs:
        spec = os.path.expanduser(spec)
        folder = os.path.isdir(spec)
        if folder:
            # walked from its absolute path, a folder yields absolute, normalised paths
            # (os.path.abspath on each of a million files asks for the working directory
            # a million times: ~9 µs a file on the ingest's main thread)
            candidates = _walk(os.path.abspath(spec), refuse, allowed, anywhere)
        elif os.path.exists(spec) or not _GLOB_CHARS.search(spec):
            candidates = iter([spec])
        else:
            matches = sorted(glob.glob(spec, recursive=True))
            found: list[str] = []
            for match in matches:
                if _hidden(os.path.basename(match.rstrip(os.sep))):
                    continue
                if os.path.islink(match) and not anywhere and not _inside(os.path.realpath(match), allowed):
                    refuse(RefusedInput(os.path.abspath(match), f"symbolic link to {os.path.realpath(match)}, "
                                        f"outside the folder the pattern names (--follow-symlinks-anywhere "
                                        f"follows it)"))
                    continue
                found.extend(_walk(os.path.abspath(match), refuse, allowed, anywhere)
                             if os.path.isdir(match) else [match])
            candidates = iter(found if matches else [spec])
        for candidate in candidates:
            path = candidate if folder else os.path.abspath(candidate)
            if path in seen or any(path.startswith(root) for root in roots):
                continue
            if not folder:
                seen.add(path)
            yield path
        if folder:
            roots.append(os.path.join(os.path.abspath(spec), ""))


# ---- opening and gunzipping -------------------------------------------------------------

class GunzipReader(io.RawIOBase):
    """A gzip file as a stream, with errors that say where the compressed data went wrong.

    Inflated a few MiB at a time, and refused (TooLarge) as soon as the output passes `limit`
    bytes, or passes limits.MAX_GZIP_RATIO times the compressed bytes used (beyond its first
    limits.GZIP_RATIO_FLOOR bytes): a gzip bomb is never held, nor inflated for minutes."""

    def __init__(self, path: str, raw: BinaryIO, chunk: int = 1 << 20, limit: int | None = None):
        self.path, self.raw, self.chunk, self.limit = path, raw, chunk, limit
        self.decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self.consumed = 0          # compressed bytes fed so far
        self.produced = 0          # bytes inflated so far
        self.buffer = b""
        self.finished = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self.buffer and not self.finished:
            if self.decompressor.eof:
                # a gzip file may hold several members back to back; trailing NULs are padding
                data = self.decompressor.unused_data or self._read_raw()
                if not data.strip(b"\x00") and not self.raw.peek(1):
                    self.finished = True
                    return
                self.decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            else:
                data = self.decompressor.unconsumed_tail or self._read_raw()
                if not data:
                    raise MalformedInput(self.path, f"gzip stream truncated at byte {self.consumed}: "
                                                    f"the compressed data ends before its end-of-stream marker")
            try:
                self.buffer = self.decompressor.decompress(data, self.chunk * 4)
            except zlib.error as exc:
                raise MalformedInput(self.path, f"invalid gzip data near compressed byte {self.consumed}: {exc}") from exc
            self.produced += len(self.buffer)
            self._check_size()

    def _check_size(self) -> None:
        used = max(1, self.consumed - len(self.decompressor.unconsumed_tail))
        if self.limit is not None and self.produced > self.limit:
            raise TooLarge(self.path, f"too large after decompression: more than {self.limit:,} bytes "
                                      f"(the limit, CONFLICT_TRENDS_MAX_INPUT_MB) from {used:,} compressed bytes")
        if self.produced > limits.GZIP_RATIO_FLOOR and self.produced > used * limits.MAX_GZIP_RATIO:
            raise TooLarge(self.path, f"too large after decompression: {self.produced:,} bytes from the first "
                                      f"{used:,} compressed bytes, over {limits.MAX_GZIP_RATIO:g} times as many "
                                      f"(CONFLICT_TRENDS_MAX_GZIP_RATIO): a gzip bomb, or data to decompress first")

    def _read_raw(self) -> bytes:
        data = self.raw.read(self.chunk)
        self.consumed += len(data)
        return data

    def readinto(self, target) -> int:
        self._fill()
        n = min(len(target), len(self.buffer))
        target[:n] = self.buffer[:n]
        self.buffer = self.buffer[n:]
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_input(path: str, limit: int | None = None) -> BinaryIO:
    """A buffered binary stream of the input's content, gunzipped when it is gzip data (refused
    past `limit` bytes of output, and past the ratio limit: see GunzipReader)."""
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise UnreadableInput(path, "no such file or directory") from None
    except IsADirectoryError:
        raise UnreadableInput(path, "is a directory, not a file") from None
    except PermissionError:
        raise UnreadableInput(path, "permission denied") from None
    except OSError as exc:
        raise UnreadableInput(path, f"cannot open: {exc.strerror or exc}") from None
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if magic == b"\x1f\x8b":
        return io.BufferedReader(GunzipReader(path, raw, limit=limit), buffer_size=1 << 20)
    if path.lower().endswith(".gz"):
        raw.close()
        raise MalformedInput(path, f"named .gz but not gzip data (starts with bytes {magic.hex() or 'none'})")
    return raw


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
