"""Reader for JSON documents: an array of articles, an object with such a list under a key,
or one article, read object by object with ijson."""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from etl.errors import EmptyInput, MalformedInput
from etl.model import ItemError, RawArticle
from etl.readers.table.columns import ObjectMappers, flatten, guess_column_map, header_key
from etl.readers.table.jsonl import MAX_JSON_DEPTH, DepthCap
from etl.readers.table.lines import RepairedUTF8, repair_error
from etl.text import LineDecoder

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

    events = ijson.parse(iter(DepthCap(stream)))
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
            if header_key(key) in JSON_LIST_KEYS:
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
            layout = _json_layout(path, RepairedUTF8(rewound(), LineDecoder()))
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

    mappers = ObjectMappers(path, "json", column_map)
    n = 0
    decoder = LineDecoder() if repair else None
    capped = DepthCap(RepairedUTF8(stream, decoder) if repair else stream)
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
            obj = flatten(obj)
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
    repaired = repair_error(path, decoder)
    if repaired:
        yield repaired
    if n == 0:
        raise EmptyInput(path, "JSON document holds no articles (an empty list)")
