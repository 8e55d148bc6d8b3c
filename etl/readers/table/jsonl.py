"""Reader for JSON Lines tables: one article per JSON object line, and the depth cap every
JSON reader applies (`json_too_deep`, `DepthCap`)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from etl.errors import EmptyInput
from etl.model import ItemError, RawArticle
from etl.readers.table.columns import ObjectMappers, flatten
from etl.readers.table.lines import line_decoder, repair_error
from etl.text import bom_encoding, guess_encoding

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


class DepthCap:
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
    mappers = ObjectMappers(path, "jsonl", column_map)
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
        obj = flatten(obj)
        mapper = mappers.for_object(obj)
        if mapper is None:
            yield ItemError(path, item, "malformed_row",
                            f"line {line_no}: no title or body field among {', '.join(obj)[:200]}")
            continue
        yield mapper(obj, item, f"line {line_no}")
    repaired = repair_error(path, decoder)
    if repaired:
        yield repaired
    if n_objects == 0 and first_line == 1:
        raise EmptyInput(path, "JSON Lines file contains no JSON objects")
