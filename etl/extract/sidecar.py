"""Sidecar files: user-supplied publication dates for inputs that carry none, by input path
(`load_sidecar`), looked up per article (`sidecar_date_for`)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePosixPath

from etl.errors import MalformedInput
from etl.extract.dates import FUTURE_SLACK, metadata_date_problem


def load_sidecar(text: str, name: str = "<sidecar>") -> dict[str, str]:
    """Parse a user-supplied sidecar mapping inputs to publication dates.

    Two formats, told apart by the first non-blank character:

    * JSON (the text starts with "{" or "["): one object,
      ``{"archive/page1.txt": "2013-03-16", "feed.xml#item 3": "2013-03-17"}``.
    * CSV: two columns ``path,date``, one input per line; an optional header row whose second
      cell is not a date (e.g. ``path,date``) is skipped, as are blank lines and lines
      starting with ``#``. Extra columns are ignored.

    Keys are input file names or paths (relative or absolute, "/" or "\\" separators) or
    ``path#item`` / item ids for single items inside a multi-article input; see
    `sidecar_date_for` for the lookup order. Values are any string `parse_metadata_date`
    reads. Raises `MalformedInput(name, reason)` when the text is neither.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return {}
    if stripped[0] in "{[":
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise MalformedInput(name, f"sidecar is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise MalformedInput(name, "sidecar JSON must be an object mapping paths to dates")
        out = {}
        for key, value in data.items():
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise MalformedInput(name, f"sidecar date for {key!r} is not a string: {value!r}")
            out[_sidecar_key(key)] = str(value).strip()
        return out
    out: dict[str, str] = {}
    rows = csv.reader(io.StringIO(stripped))
    for lineno, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2:
            raise MalformedInput(name, f"sidecar line {lineno}: expected 'path,date', got {','.join(row)!r}")
        key, value = row[0].strip(), row[1].strip()
        if lineno == 1 and metadata_date_problem(value, datetime.max - FUTURE_SLACK) is not None:
            continue   # header row
        out[_sidecar_key(key)] = value
    return out


def _sidecar_key(key: str) -> str:
    return key.strip().replace("\\", "/")


def sidecar_date_for(sidecar: Mapping[str, str], input_path: str, item: str = "") -> str | None:
    """The sidecar value for one article: `path#item`, then the item id alone, then the path
    as given, then its trailing components down to the bare file name."""
    path = _sidecar_key(input_path)
    keys = []
    if item:
        keys += [f"{path}#{item}", item]
    parts = PurePosixPath(path).parts
    keys += [path] + ["/".join(parts[i:]) for i in range(1, len(parts))]
    for key in keys:
        if key in sidecar:
            return sidecar[key]
    return None
