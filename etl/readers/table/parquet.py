"""Reader for Parquet tables, record batch by record batch."""
from __future__ import annotations

from collections.abc import Iterator

from etl.errors import EmptyInput, MalformedInput
from etl.model import ItemError, RawArticle
from etl.readers.table.columns import RowMapper, resolve_column_map

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
