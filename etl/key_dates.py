"""Key dates: the user-editable file of dated events drawn on every time chart of the dashboard,
and the `key_dates` table it is copied into at every `init`, `ingest` and `retag` (like the
taxonomy into `topics`).

The file is CSV with a header: `date,label,place,topic` (place and topic optional). Lines whose
first cell starts with `#` are comments. A row that cannot be used (no date, a date that is not
YYYY-MM-DD, no label, a value too long) is skipped and recorded in `ingest_errors` with its line
number; the other rows still load. This module owns the table's one statement; `parse` is pure.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

KEY_DATES_PATH = Path(__file__).with_name("key_dates.csv")
COLUMNS = ("date", "label", "place", "topic")
MAX_LABEL = 120      # characters; a label is a marker's caption, not a paragraph
MAX_FIELD = 80       # place, topic
FIRST, LAST = date(1900, 1, 1), date(2100, 12, 31)   # what the dashboard's date boxes accept
MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class KeyDate:
    day: date
    label: str
    place: str | None
    topic: str | None
    line: int


def parse(text: str, path: str) -> tuple[list[KeyDate], list[tuple[str, str, str, str]]]:
    """Rows of a key-dates file and the errors of the rows that were skipped, as
    (input_path, item, error_kind, reason) like every other ingest error."""
    rows: list[KeyDate] = []
    errors: list[tuple[str, str, str, str]] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    for cells in reader:
        line = reader.line_num
        if not cells or not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in ("date", "label") if c not in header]
            if missing:
                errors.append((path, "", "malformed_input",
                               f"the first line must name the columns date,label[,place,topic]; "
                               f"no {' or '.join(missing)} column"))
                return [], errors
            continue
        item = f"line {line}"
        value = {name: (cells[header.index(name)].strip() if name in header and header.index(name) < len(cells)
                        else "") for name in COLUMNS}
        raw = value["date"]
        if not raw:
            errors.append((path, item, "malformed_row", "no date"))
            continue
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            errors.append((path, item, "malformed_row", f"date {raw[:40]!r} is not a date like 2013-08-21"))
            continue
        if not FIRST <= day <= LAST:
            errors.append((path, item, "malformed_row",
                           f"date {day.isoformat()} is outside {FIRST.isoformat()} to {LAST.isoformat()}"))
            continue
        if not value["label"]:
            errors.append((path, item, "malformed_row", "no label"))
            continue
        if len(value["label"]) > MAX_LABEL:
            errors.append((path, item, "malformed_row", f"label longer than {MAX_LABEL} characters"))
            continue
        too_long = [n for n in ("place", "topic") if len(value[n]) > MAX_FIELD]
        if too_long:
            errors.append((path, item, "malformed_row", f"{too_long[0]} longer than {MAX_FIELD} characters"))
            continue
        rows.append(KeyDate(day, value["label"], value["place"] or None, value["topic"] or None, line))
    if header is None:
        errors.append((path, "", "empty_input", "no header line and no key dates"))
    return rows, errors


def read(path: Path | None) -> tuple[list[KeyDate], list[tuple[str, str, str, str]]]:
    """The key dates of `path` (default: the file beside this module). A default file that is
    absent means no key dates; a named one that cannot be read is an error."""
    named = path is not None
    path = Path(path) if named else KEY_DATES_PATH
    shown = str(path.resolve())
    try:
        if path.stat().st_size > MAX_BYTES:
            return [], [(shown, "", "too_large", f"larger than {MAX_BYTES // 1024} KB")]
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], ([(shown, "", "unreadable_input", "no such file")] if named else [])
    except OSError as exc:
        return [], [(shown, "", "unreadable_input", exc.strerror or str(exc))]
    return parse(text, shown)


def replace(con, rows: list[KeyDate]) -> None:
    """Replace the snapshot's key_dates table with `rows` (inside the run's snapshot)."""
    con.execute("DELETE FROM key_dates")
    if rows:
        con.executemany("INSERT INTO key_dates VALUES (?, ?, ?, ?, ?)",
                        [(r.day, r.label, r.place, r.topic, r.line) for r in rows])
