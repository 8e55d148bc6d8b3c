"""Columns of a table mapped to RawArticle fields: by common header names (`guess_column_map`)
unless an explicit map is given; unmapped columns go to `RawArticle.extra` (`RowMapper`)."""
from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterable
from datetime import date, datetime, time as dtime
from decimal import Decimal

from etl.errors import MalformedInput
from etl.model import ItemError, RawArticle
from etl.text import language_code, normalise_whitespace, paragraphs

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

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def header_key(name: str) -> str:
    """Header name as compared: "Publish Date", "publish-date", "source.name" and "publishDate"
    all become snake case."""
    return re.sub(r"[\s\-.]+", "_", _CAMEL.sub("_", str(name).strip()).lower())


def guess_column_map(columns: Iterable[str]) -> dict[str, str]:
    """{field: column} from the header names; each column is used for at most one field."""
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(header_key(column), column)
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
            return value          # lone surrogates are mended by the enricher (etl.enrich)
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


class ObjectMappers:
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


def flatten(obj: dict) -> dict:
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
