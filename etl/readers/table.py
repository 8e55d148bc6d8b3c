"""Reader for tables of articles: CSV (any common delimiter), JSON Lines, JSON documents and
Parquet.

Rows are streamed (CSV/JSONL line by line, JSON documents object by object with ijson,
Parquet by record batch), so a table of any size is read in constant memory when given as a
stream (`read_stream`). Columns are mapped to
RawArticle fields by common names (`guess_column_map`) unless an explicit map is given;
unmapped columns go to `RawArticle.extra`.
"""
from __future__ import annotations

import base64
import codecs
import csv
import io
import json
import math
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time as dtime
from decimal import Decimal
from typing import BinaryIO, NamedTuple

from etl.errors import EmptyInput, MalformedInput
from etl.model import ItemError, RawArticle
from etl.text import (LineDecoder, bom_encoding, guess_encoding, language_code, normalise_whitespace,
                      other_encoding, paragraphs)

FORMATS = ("csv", "jsonl", "json", "parquet")

# RawArticle field -> header names that mean it, best first (compared after lower-casing and
# turning spaces/hyphens/dots into underscores).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "article_title", "headline", "head_line", "heading", "name"),
    "body": ("body", "content", "article_content", "text", "full_text", "fulltext",
             "article_text", "article_body", "maintext", "main_text", "story", "description",
             "summary", "abstract"),
    "published_raw": ("date", "published", "publish_date", "pubdate", "pub_date",
                      "published_at", "publication_date", "datetime", "date_published",
                      "date_publish", "created_at", "timestamp"),
    "url": ("url", "link", "article_url", "canonical_url", "guid", "permalink"),
    "source": ("source", "media_name", "outlet", "publisher", "site", "site_name",
               "sitename", "source_name", "media", "newspaper", "domain", "source_domain"),
    "author": ("author", "byline", "authors", "writer", "creator"),
    "language": ("language", "lang", "language_code"),
}
# Names an explicit column_map may use for a field, besides the field name itself.
FIELD_ALIASES = {"date": "published_raw", "published": "published_raw", "text": "body",
                 "content": "body", "link": "url", "outlet": "source", "lang": "language"}
MAX_RECORD_LINES = 5000   # a quoted CSV field running longer than this is taken as unterminated
_DELIMITERS = ",;\t|"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _key(name: str) -> str:
    """Header name as compared: "Publish Date", "publish-date", "source.name" and "publishDate"
    all become snake case."""
    return re.sub(r"[\s\-.]+", "_", _CAMEL.sub("_", str(name).strip()).lower())


def guess_column_map(columns: Iterable[str]) -> dict[str, str]:
    """{field: column} from the header names; each column is used for at most one field."""
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(_key(column), column)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field, names in COLUMN_NAMES.items():
        for name in names:
            column = by_key.get(name)
            if column is not None and column not in used:
                mapping[field] = column
                used.add(column)
                break
    return mapping


def resolve_column_map(path: str, columns: list[str], column_map: dict[str, str] | None) -> dict[str, str]:
    """The guessed mapping with an explicit `column_map` laid over it; raises on unknown names."""
    mapping = guess_column_map(columns)
    if not column_map:
        return mapping
    fields = set(COLUMN_NAMES)
    for field, column in column_map.items():
        target = FIELD_ALIASES.get(field, field)
        if target not in fields:
            raise MalformedInput(path, f"column_map names unknown field {field!r}; "
                                       f"fields are {', '.join(sorted(fields))}")
        if column not in columns:
            raise MalformedInput(path, f"column_map maps {field!r} to column {column!r}, which is not "
                                       f"in the header (columns: {', '.join(map(str, columns))[:300]})")
        for other, col in list(mapping.items()):
            if col == column and other != target:
                del mapping[other]
        mapping[target] = column
    return mapping


def json_safe(value):
    """A value as JSON can store it (dates as ISO strings, bytes as base64, NaN as None)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (datetime, date, dtime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        # JSON documents are parsed with Decimals so that 1e400 is a value, not a parse error
        # that loses the file; a number past float range is kept as its text
        number = float(value)
        return number if math.isfinite(number) else str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    return str(value)


class RowMapper:
    """Turns one row (dict) into a RawArticle or ItemError with a fixed column mapping."""

    def __init__(self, path: str, fmt: str, columns: list[str], mapping: dict[str, str]):
        self.path, self.fmt = path, fmt
        self.mapping = mapping
        mapped = set(mapping.values())
        self.extra_columns = [c for c in columns if c not in mapped]

    @staticmethod
    def _text(value) -> str:
        if type(value) is str:
            return value
        if value is None:
            return ""
        if isinstance(value, bytes):       # a Parquet binary column holding text
            return value.decode("utf-8", "replace")
        if isinstance(value, float) and math.isnan(value):
            return ""
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, (list, dict)):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def __call__(self, row: dict, item: str, where: str) -> RawArticle | ItemError:
        text, get = self._text, row.get
        values = {field: text(get(column)) for field, column in self.mapping.items()}
        title = normalise_whitespace(values.get("title", ""))
        body = paragraphs(values.get("body", ""))
        if not title and not body:
            return ItemError(self.path, item, "empty_item", f"{where}: neither a title nor a body")
        extra = {}
        for column in self.extra_columns:
            value = get(column)
            if value is not None and value != "":
                extra[column] = value if type(value) is str else json_safe(value)
        language = normalise_whitespace(values.get("language", ""))
        return RawArticle(
            input_path=self.path, item=item, input_format=self.fmt,
            body=body or title, title=title or None,
            url=normalise_whitespace(values.get("url", "")) or None,
            source=normalise_whitespace(values.get("source", "")) or None,
            author=normalise_whitespace(values.get("author", "")) or None,
            published_raw=normalise_whitespace(values.get("published_raw", "")) or None,
            language=language_code(language) or language or None,
            extra=extra,
        )


class _ObjectMappers:
    """The RowMapper for a stream of JSON objects (JSON Lines, JSON documents), whose keys may
    grow: rebuilt over every key seen so far when an object brings a new one."""

    def __init__(self, path: str, fmt: str, column_map: dict[str, str] | None):
        self.path, self.fmt, self.column_map = path, fmt, column_map
        self.columns: list[str] = []
        self.known: set[str] = set()
        self.mapper: RowMapper | None = None

    def for_object(self, obj: dict) -> RowMapper | None:
        """The mapper for `obj`; None when it was rebuilt for `obj` and maps no title or body."""
        if self.mapper is not None and all(k in self.known for k in obj):
            return self.mapper
        self.columns = list(dict.fromkeys([*self.columns, *obj]))
        self.known = set(self.columns)
        mapping = resolve_column_map(self.path, self.columns, self.column_map)
        self.mapper = RowMapper(self.path, self.fmt, self.columns, mapping)
        return self.mapper if ("title" in mapping or "body" in mapping) else None


# ---- CSV --------------------------------------------------------------------------------

class _Lines:
    """Physical lines for csv.reader, remembering those of the current record so that a
    malformed multi-line record can be re-read from its second line."""

    def __init__(self, text: Iterable[str]):
        self.source = iter(text)
        self.pushback: deque[tuple[int, str]] = deque()
        self.number = 0                   # number of the last line handed out
        self.record: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pushback:
            number, line = self.pushback.popleft()
        else:
            line = next(self.source)
            self.number += 1
            number = self.number
        self.record.append((number, line))
        if len(self.record) > MAX_RECORD_LINES:
            raise _RunawayField()
        return line

    def start_record(self) -> None:
        self.record = []

    def retry_after_first_line(self) -> None:
        """Forget the current record and re-read everything after its first line."""
        self.pushback.extendleft(reversed(self.record[1:]))
        self.record = []


class _RunawayField(Exception):
    pass


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a CSV header line: the candidate splitting it into most fields."""
    best, best_count = ",", 0
    for delimiter in _DELIMITERS:
        try:
            count = len(next(csv.reader([header_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


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


def _text_stream(stream: BinaryIO, head: bytes) -> tuple[Iterator[str], LineDecoder | None]:
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


class _RepairedUTF8(io.RawIOBase):
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


def _repair_error(path: str, decoder: LineDecoder | None) -> ItemError | None:
    note = decoder.result("").repair_note() if decoder is not None else None
    return ItemError(path, "", "encoding_repaired", note) if note else None


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name.strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def read_csv(path: str, stream: BinaryIO, head: bytes, column_map: dict[str, str] | None = None
             ) -> Iterator[RawArticle | ItemError]:
    """Rows of a CSV file as RawArticles; a malformed row is an ItemError and reading goes on."""
    text, decoder = _text_stream(stream, head)
    first = ""
    for first in text:
        if first.strip():
            break
    if not first.strip():
        raise EmptyInput(path, "CSV file contains no header line")
    delimiter = sniff_delimiter(first.rstrip("\r\n"))
    lines = _Lines(text)
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise MalformedInput(path, f"CSV header line could not be parsed: {exc}") from exc
    header_line_no = 1
    columns = _unique(header)
    mapping = resolve_column_map(path, columns, column_map)
    if "title" not in mapping and "body" not in mapping:
        raise MalformedInput(path, f"no title or body column among {', '.join(columns)[:300]}; "
                                   f"pass a column map such as title=COLUMN,body=COLUMN")
    mapper = RowMapper(path, "csv", columns, mapping)
    width = len(columns)
    row_number = 0
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        lines.start_record()
        try:
            row = next(reader)
        except StopIteration:
            break
        except _RunawayField:
            start = lines.record[0][0] + header_line_no
            row_number += 1
            yield ItemError(path, f"row {row_number}", "malformed_row",
                            f"line {start}: quoted field not closed within {MAX_RECORD_LINES} lines")
            lines.retry_after_first_line()
            reader = csv.reader(lines, delimiter=delimiter)
            continue
        except csv.Error as exc:
            start = (lines.record[0][0] if lines.record else lines.number) + header_line_no
            row_number += 1
            reason = str(exc)
            if "unexpected end of data" in reason or "EOF" in reason:
                reason = "unterminated quoted field"
            yield ItemError(path, f"row {row_number}", "malformed_row", f"line {start}: {reason}")
            if len(lines.record) > 1:
                lines.retry_after_first_line()
            reader = csv.reader(lines, delimiter=delimiter)
            continue
        if not row:
            continue        # blank line
        row_number += 1
        record = lines.record
        start = record[0][0] + header_line_no
        if len(record) > 1 and sum(line.count('"') for _, line in record) % 2:
            # csv accepts a quote left open until the end of the file; the odd quote count
            # gives it away, and the lines it swallowed are read again as rows
            yield ItemError(path, f"row {row_number}", "malformed_row",
                            f"line {start}: unterminated quoted field")
            lines.retry_after_first_line()
            reader = csv.reader(lines, delimiter=delimiter)
            continue
        if len(row) != width:
            if len(row) < width and len(record) == 1 and all(v == "" for v in row[1:]) and not row[0].strip():
                continue    # a whitespace-only line
            multi = len(record) > 1
            yield ItemError(path, f"row {row_number}", "malformed_row",
                            f"line {start}: expected {width} fields, found {len(row)}"
                            + (f" (record runs over {len(record)} lines: probably an unterminated quoted field)"
                               if multi else ""))
            if multi:
                lines.retry_after_first_line()
                reader = csv.reader(lines, delimiter=delimiter)
            continue
        yield mapper(dict(zip(columns, row)), f"row {row_number}", f"line {start}")
    repaired = _repair_error(path, decoder)
    if repaired:
        yield repaired
    if row_number == 0:
        raise EmptyInput(path, f"CSV file has a header ({len(columns)} columns) but no rows")


# ---- JSON Lines -------------------------------------------------------------------------

MAX_JSON_DEPTH = 64     # objects nested deeper are refused one by one (no article nests this deep)


_TOO_DEEP = object()


def json_too_deep(value: dict, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the parsed JSON object `value` nests objects/arrays more than `limit` deep
    (itself being level 1). One pass over its values for a flat article."""
    level = [v for v in value.values() if type(v) is dict or type(v) is list]
    depth = 1
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [v for x in level for v in (x.values() if type(x) is dict else x)
                 if type(v) is dict or type(v) is list]
    return False


class _DepthCap:
    """ijson's basic events with every array/object nested deeper than MAX_JSON_DEPTH replaced by
    one null, and `hit` set: ijson's prefixes grow with the depth (a document nested 100,000
    deep costs gigabytes before one item is built), so the cap comes before them."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_JSON_DEPTH):
        import ijson
        self.events = ijson.basic_parse(stream)
        self.limit = limit
        self.hit = False

    def __iter__(self):
        depth, limit = 0, self.limit
        events = self.events
        for event in events:
            name = event[0]
            if name == "start_map" or name == "start_array":
                depth += 1
                if depth > limit:
                    self.hit = True
                    yield ("null", None)
                    inner = 1
                    for skipped, _ in events:
                        if skipped == "start_map" or skipped == "start_array":
                            inner += 1
                        elif skipped == "end_map" or skipped == "end_array":
                            inner -= 1
                            if not inner:
                                break
                    depth -= 1
                    continue
            elif name == "end_map" or name == "end_array":
                depth -= 1
            yield event



def read_jsonl(path: str, stream: BinaryIO, head: bytes, column_map: dict[str, str] | None = None,
               first_line: int = 1) -> Iterator[RawArticle | ItemError]:
    """One article per JSON object line; a bad line is an ItemError naming the JSON error.

    `first_line` > 1 reads a chunk of a larger file (line numbers stay those of the file, and a
    chunk without objects is not an error): the pipeline splits big files this way so worker
    processes parse them in parallel.
    """
    decoder = line_decoder(head, first_line)
    encoding = guess_encoding(head) if decoder is None else "utf-8"
    mappers = _ObjectMappers(path, "jsonl", column_map)
    n_objects = 0
    for line_no, raw in enumerate(stream, start=first_line):
        if line_no == 1:
            name, skip = bom_encoding(raw)
            raw = raw[skip:]
        if not raw.strip():
            continue
        item = f"line {line_no}"
        try:
            if decoder is None:
                obj = json.loads(raw.decode(encoding, errors="etl_latin1_fallback"))
            else:
                try:
                    text = raw.decode("utf-8")      # the common case, without a call per line
                    if not text.isascii():
                        decoder.utf8_lines += 1
                except UnicodeDecodeError:
                    decoder.line = line_no - 1
                    text = decoder.decode(raw)
                obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield ItemError(path, item, "malformed_row",
                            f"line {line_no}: invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:      # past Python's own limit (~1,000 levels)
            obj = _TOO_DEEP
        if obj is _TOO_DEEP or type(obj) is dict and json_too_deep(obj):
            yield ItemError(path, item, "malformed_row",
                            f"line {line_no}: JSON nested more than {MAX_JSON_DEPTH} levels deep")
            continue
        if not isinstance(obj, dict):
            yield ItemError(path, item, "malformed_row",
                            f"line {line_no}: expected a JSON object, found {type(obj).__name__}")
            continue
        n_objects += 1
        obj = _flatten(obj)
        mapper = mappers.for_object(obj)
        if mapper is None:
            yield ItemError(path, item, "malformed_row",
                            f"line {line_no}: no title or body field among {', '.join(obj)[:200]}")
            continue
        yield mapper(obj, item, f"line {line_no}")
    repaired = _repair_error(path, decoder)
    if repaired:
        yield repaired
    if n_objects == 0 and first_line == 1:
        raise EmptyInput(path, "JSON Lines file contains no JSON objects")


# ---- JSON documents ---------------------------------------------------------------------

# Keys under which exports and APIs put their list of articles ({"articles": [...]} from
# NewsAPI, {"results": [...]} from Media Cloud's search API, {"hits": ...}, ...).
JSON_LIST_KEYS = ("articles", "results", "items", "data", "stories", "documents", "docs",
                  "entries", "posts", "records", "news", "hits")


class _JSONLayout(NamedTuple):
    """Where a JSON document keeps its articles: `prefix` for ijson.items ("item" for a top-level
    array, "<key>.item" for a list of objects under a top-level key, "" for a document that is
    one article); `numbered`: items are named "item 1", "item 2"... (else the document is "")."""
    prefix: str
    numbered: bool


def _json_layout(path: str, stream: BinaryIO) -> _JSONLayout:
    """Read the document's first parse events (all of them for an object that has no list of
    articles under a JSON_LIST_KEYS key) to find where its articles are."""
    import ijson

    events = ijson.parse(iter(_DepthCap(stream)))
    _prefix, first, _value = next(events)
    if first == "start_array":
        return _JSONLayout("item", True)
    if first != "start_map":
        raise MalformedInput(path, f"a single JSON {first} value, not articles")
    own: list[str] = []             # the object's own scalar keys
    other_list = None               # first list of objects under another key
    key = None
    for prefix, event, value in events:
        if prefix == "" and event == "map_key":
            key = value
        elif prefix == key and event in ("string", "number", "boolean", "null"):
            own.append(key)
        elif prefix == f"{key}.item" and event == "start_map":
            if _key(key) in JSON_LIST_KEYS:
                return _JSONLayout(f"{key}.item", True)
            other_list = other_list or key
        elif prefix == "" and event == "end_map":
            break
    mapping = guess_column_map(own)
    if ("title" in mapping or "body" in mapping) or other_list is None:
        return _JSONLayout("", False)
    return _JSONLayout(f"{other_list}.item", True)


def _json_error(exc: Exception) -> str:
    """The parser's message without the excerpt it draws under it."""
    return str(exc).strip().split("\n", 1)[0] or type(exc).__name__


def _flatten(obj: dict) -> dict:
    """Nested objects one level down become dotted keys ({"source": {"name": "BBC"}} ->
    "source.name", which the column guess reads as source_name)."""
    if not any(type(v) is dict for v in obj.values()):
        return obj
    flat = {}
    for k, v in obj.items():
        if type(v) is dict and v:
            for k2, v2 in v.items():
                flat[f"{k}.{k2}"] = v2
        else:
            flat[k] = v
    return flat


def _not_utf8(exc: Exception) -> bool:
    return isinstance(exc, UnicodeDecodeError) or "invalid bytes in UTF8" in str(exc)


class _NotUTF8(Exception):
    """The document has bytes that are not UTF-8, after `n` objects read."""

    def __init__(self, n: int):
        super().__init__(n)
        self.n = n


def read_json(path: str, stream: BinaryIO, head: bytes, column_map: dict[str, str] | None = None,
              reopen=None) -> Iterator[RawArticle | ItemError]:
    """Articles of a JSON document (UTF-8, as JSON requires): a top-level array of article
    objects, an object with such a list under a key (JSON_LIST_KEYS first), or one article
    object. Streamed with ijson, one object at a time, in two passes: where the articles are,
    then the articles. A stream that cannot seek back (gzip data) is opened again with
    `reopen()`. Invalid JSON after some articles keeps those and ends with an ItemError saying
    where the document broke. A document with bytes that are not UTF-8 is read again from the
    start through a repairing stream (see etl.text.decode_counted), skipping the objects
    already read: clean documents pay nothing for it."""
    import ijson

    skip = 3 if head[:3] == b"\xef\xbb\xbf" else 0
    start = stream.tell() if stream.seekable() else 0

    def rewound() -> BinaryIO:
        if stream.seekable():
            stream.seek(start + skip)
            return stream
        again = reopen()
        again.read(skip)
        return again

    if stream.seekable():
        stream.seek(start + skip)
    else:
        stream.read(skip)
    try:
        try:
            layout = _json_layout(path, stream)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            if not _not_utf8(exc):
                raise
            layout = _json_layout(path, _RepairedUTF8(rewound(), LineDecoder()))
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise MalformedInput(path, f"invalid JSON: {_json_error(exc)}") from exc
    except StopIteration:
        raise EmptyInput(path, "JSON document is empty") from None
    source = rewound()
    try:
        yield from _json_articles(path, source, layout, column_map)
        return
    except _NotUTF8 as bad:
        done = bad.n
    finally:
        if source is not stream:
            source.close()
    source = rewound()
    try:
        yield from _json_articles(path, source, layout, column_map, repair=True, skip=done)
    finally:
        if source is not stream:
            source.close()


def _json_articles(path: str, stream: BinaryIO, layout: _JSONLayout, column_map: dict[str, str] | None,
                   repair: bool = False, skip: int = 0) -> Iterator[RawArticle | ItemError]:
    """The articles of a document laid out as `layout`; with `repair`, through a stream that
    makes its bytes UTF-8, leaving out the first `skip` objects (read before the bad bytes)."""
    import ijson

    mappers = _ObjectMappers(path, "json", column_map)
    n = 0
    decoder = LineDecoder() if repair else None
    capped = _DepthCap(_RepairedUTF8(stream, decoder) if repair else stream)
    try:
        for obj in ijson.items(ijson.parse(iter(capped)), layout.prefix):
            n += 1
            if n <= skip:
                capped.hit = False
                continue
            item = f"item {n}" if layout.numbered else ""
            where = item or "the document"
            if not isinstance(obj, dict):
                if n == 1:
                    raise MalformedInput(path, f"a JSON array of {type(obj).__name__} values, not article objects")
                yield ItemError(path, item, "malformed_row",
                                f"{where}: expected a JSON object, found {type(obj).__name__}")
                continue
            if capped.hit:
                capped.hit = False
                if not layout.numbered:
                    raise MalformedInput(path, f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
                yield ItemError(path, item, "malformed_row",
                                f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep")
                continue
            obj = _flatten(obj)
            mapper = mappers.for_object(obj)
            if mapper is None:
                if not layout.numbered:
                    raise MalformedInput(path, f"no title or body field among {', '.join(obj)[:300]}")
                yield ItemError(path, item, "malformed_row",
                                f"{where}: no title or body field among {', '.join(obj)[:200]}")
                continue
            yield mapper(obj, item, where)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        if not repair and _not_utf8(exc):
            raise _NotUTF8(n) from exc
        if n == 0:
            raise MalformedInput(path, f"invalid JSON: {_json_error(exc)}") from exc
        yield ItemError(path, f"item {n + 1}", "malformed_row",
                        f"invalid JSON after item {n} ({_json_error(exc)}); the rest of the document is unreadable")
        return
    repaired = _repair_error(path, decoder)
    if repaired:
        yield repaired
    if n == 0:
        raise EmptyInput(path, "JSON document holds no articles (an empty list)")


# ---- Parquet ----------------------------------------------------------------------------

# What each field's column may hold in a Parquet file: text (or bytes, read as UTF-8) for
# every field; a date column may also hold timestamps, dates or epoch numbers.
def _parquet_type_ok(field: str, arrow_type) -> bool:
    import pyarrow.types as t

    if t.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    if t.is_string(arrow_type) or t.is_large_string(arrow_type) or t.is_binary(arrow_type) \
            or t.is_large_binary(arrow_type) or t.is_null(arrow_type):
        return True
    if field == "published_raw":
        return t.is_timestamp(arrow_type) or t.is_date(arrow_type) or t.is_integer(arrow_type)
    return False


def _column_values(path: str, name: str, column, first_row: int, problems: list) -> list:
    """A column's values as Python objects; a value Python cannot hold (a timestamp past year
    9999) becomes None and a problem (row number, column, reason)."""
    import pyarrow as pa

    try:
        return column.to_pylist()
    except (OverflowError, ValueError, pa.ArrowException):
        pass
    values = []
    for i in range(len(column)):
        scalar = column[i]
        try:
            values.append(scalar.as_py())
        except (OverflowError, ValueError, pa.ArrowException) as exc:
            raw = scalar.cast(pa.int64()).as_py() if pa.types.is_temporal(column.type) else None
            what = f"{column.type} value {raw}" if raw is not None else f"{column.type} value"
            problems.append((first_row + i, name, f"{what} out of range ({exc})"))
            values.append(None)
    return values


def read_parquet(path: str, source, column_map: dict[str, str] | None = None,
                 batch_size: int = 8192) -> Iterator[RawArticle | ItemError]:
    """Rows of a Parquet file, one record batch at a time. `source` is a path or seekable file.
    A mapped column of the wrong type (a list where a title belongs) is not mapped, with an
    error row naming it; a value out of Python's range costs that value, with an error row
    naming the row and column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise MalformedInput(path, f"not a readable Parquet file: {exc}") from exc
    schema = parquet.schema_arrow
    columns = schema.names
    mapping = resolve_column_map(path, columns, column_map)
    wrong = {f: c for f, c in mapping.items() if not _parquet_type_ok(f, schema.field(c).type)}
    for field in wrong:
        del mapping[field]
    if "title" not in mapping and "body" not in mapping:
        kinds = "; ".join(f"column {c!r} holds {schema.field(c).type} values, not text" for c in wrong.values())
        raise MalformedInput(path, kinds or f"no title or body column among {', '.join(columns)[:300]}")
    for field, column in wrong.items():
        yield ItemError(path, f"column {column}", "wrong_column_type",
                        f"column {column!r} holds {schema.field(column).type} values, not "
                        f"{'a date' if field == 'published_raw' else 'text'}; kept as extra data, not as the {field}")
    mapper = RowMapper(path, "parquet", columns, mapping)
    if parquet.metadata.num_rows == 0:
        raise EmptyInput(path, "Parquet file has no rows")
    row_number = 0
    try:
        for batch in parquet.iter_batches(batch_size=batch_size):
            try:
                rows = batch.to_pylist()
                problems = []
            except (OverflowError, ValueError, pa.ArrowException):
                problems: list[tuple[int, str, str]] = []
                values = [_column_values(path, name, batch.column(i), row_number + 1, problems)
                          for i, name in enumerate(batch.schema.names)]
                names = batch.schema.names
                rows = [dict(zip(names, row)) for row in zip(*values)]
            for at, name, reason in problems:
                yield ItemError(path, f"row {at}", "bad_value",
                                f"row {at}: column {name!r}: {reason}; the row loads without it")
            for row in rows:
                row_number += 1
                yield mapper(row, f"row {row_number}", f"row {row_number}")
    except (pa.ArrowException, OSError) as exc:
        raise MalformedInput(path, f"Parquet data unreadable after row {row_number}: {exc}") from exc


# ---- entry points -----------------------------------------------------------------------

def sniff_table_format(path: str, head: bytes) -> str:
    """csv | jsonl | parquet from the first bytes (extension only when content is silent)."""
    if head[:4] == b"PAR1":
        return "parquet"
    _, skip = bom_encoding(head)
    if head[skip:].lstrip()[:1] == b"{":
        return "jsonl"
    return "csv"


def read_stream(path: str, stream: BinaryIO, head: bytes, fmt: str,
                column_map: dict[str, str] | None = None) -> Iterator[RawArticle | ItemError]:
    """Stream a table from an open binary file positioned at its start; `head` is its first bytes."""
    if fmt == "csv":
        return read_csv(path, stream, head, column_map)
    if fmt == "jsonl":
        return read_jsonl(path, stream, head, column_map)
    if fmt == "json":
        return read_json(path, stream, head, column_map)
    if fmt == "parquet":
        source = stream if stream.seekable() else io.BytesIO(stream.read())
        return read_parquet(path, source, column_map)
    raise ValueError(f"not a table format: {fmt}")


def read(path: str, data: bytes, fmt: str | None = None,
         column_map: dict[str, str] | None = None) -> Iterator[RawArticle | ItemError]:
    """Rows of an in-memory table (CSV, JSONL or Parquet, sniffed unless `fmt` is given)."""
    if not data.strip():
        raise EmptyInput(path, "table file is empty")
    fmt = fmt or sniff_table_format(path, data[:65536])
    yield from read_stream(path, io.BytesIO(data), data[:1 << 20], fmt, column_map)
