"""Database and disk failures as faults the user can act on (etl.errors.RunFault)."""
from __future__ import annotations

import errno
from pathlib import Path

import duckdb

from etl.errors import CorruptDatabase, DiskFault, DiskFull, RunFault

PREVIOUS_SUFFIX = ".previous"   # the snapshot before the last swap, to restore a damaged file

_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DISK_FULL_WORDS = ("no space left on device", "disk quota exceeded", "file too large")


def as_fault(exc: BaseException, live: Path) -> RunFault | None:
    """A database or disk failure as a RunFault the user can act on (None: not one)."""
    if isinstance(exc, RunFault):
        return exc
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if ((isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS)
            or any(w in str(exc).lower() for w in _DISK_FULL_WORDS)):
        return DiskFull(f"The disk holding {live} is full (or a file-size limit was reached): {text}.",
                        "Free some space (a run needs about twice the database's size) and run the "
                        "command again; the database is unchanged.")
    if isinstance(exc, duckdb.Error):
        return CorruptDatabase(f"The database {live} could not be read or written: {text}.",
                               f"If the file is damaged, restore the previous snapshot (`mv {live}"
                               f"{PREVIOUS_SUFFIX} {live}`, then `python -m etl reindex`) or re-create it "
                               f"with `python -m etl ingest PATH... --db {live}`; the run changed nothing.")
    if isinstance(exc, OSError):
        return DiskFault(f"A file operation failed: {text}.",
                         "Check the disk and the permissions of the database folder, then run the "
                         "command again; the database is unchanged.")
    return None

