"""Reader for CSV tables (any common delimiter), row by row; a malformed row is an ItemError
and reading goes on."""
from __future__ import annotations

import csv
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from etl.errors import EmptyInput, MalformedInput
from etl.model import ItemError, RawArticle
from etl.readers.table.columns import RowMapper, resolve_column_map
from etl.readers.table.lines import repair_error, text_stream

MAX_RECORD_LINES = 5000   # a quoted CSV field running longer than this is taken as unterminated
_DELIMITERS = ",;\t|"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


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
    text, decoder = text_stream(stream, head)
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
    repaired = repair_error(path, decoder)
    if repaired:
        yield repaired
    if row_number == 0:
        raise EmptyInput(path, f"CSV file has a header ({len(columns)} columns) but no rows")
