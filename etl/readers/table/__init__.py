"""Readers for tables of articles: CSV (any common delimiter), JSON Lines, JSON documents and
Parquet, one module each; `columns` maps a table's columns to RawArticle fields, `lines`
decodes a stream line by line.

Rows are streamed (CSV/JSONL line by line, JSON documents object by object with ijson,
Parquet by record batch), so a table of any size is read in constant memory when given as a
stream (`read_stream`). Columns are mapped to
RawArticle fields by common names (`guess_column_map`) unless an explicit map is given;
unmapped columns go to `RawArticle.extra`.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from etl.errors import EmptyInput
from etl.model import ItemError, RawArticle
from etl.readers.table.delimited import read_csv
from etl.readers.table.json_document import read_json
from etl.readers.table.jsonl import read_jsonl
from etl.readers.table.parquet import read_parquet
from etl.text import bom_encoding

FORMATS = ("csv", "jsonl", "json", "parquet")


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
