"""The read-only connection to the current snapshot, and the query cache keyed by snapshot.

The ETL never writes the live file: it writes a copy and `os.replace`s it over the path. So a
new snapshot is a new inode; on every rerun we stat the path, and when (st_ino, st_mtime_ns)
changed we open the new file read-only (a shared lock only, never a writer's; see
`queries.connect`, which also maps the search index's documents to row keys) and close the
connection before last. Query results are cached by (query name, snapshot key, Filters, args),
so a new snapshot can never be served stale numbers.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from dashboard import queries

DEFAULT_DB = "data/conflict.duckdb"
ENV_VAR = "CONFLICT_TRENDS_DB"


def db_path() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DB)


@dataclass(frozen=True)
class Snapshot:
    path: str
    key: tuple[int, int]          # (st_ino, st_mtime_ns) of the file when it was opened


class _Registry:
    """Process-wide connections, one per open snapshot; the previous one is kept open a little
    longer so a session still running a query on it is not cut off mid-way."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, list[tuple[tuple[int, int], duckdb.DuckDBPyConnection]]] = {}

    def get(self, path: str, key: tuple[int, int]) -> duckdb.DuckDBPyConnection:
        with self._lock:
            entries = self._open.setdefault(path, [])
            for k, con in entries:
                if k == key:
                    return con
            con = queries.connect(path)
            entries.append((key, con))
            while len(entries) > 2:
                _, old = entries.pop(0)
                try:
                    old.close()
                except duckdb.Error:
                    pass
            return con


_REGISTRY = _Registry()


def snapshot() -> Snapshot | None:
    """The current snapshot of the database file, or None if there is no file."""
    path = db_path()
    try:
        st_ = path.stat()
    except OSError:
        return None
    return Snapshot(str(path.resolve()), (st_.st_ino, st_.st_mtime_ns))


def connect(snap: Snapshot):
    """A cursor on the snapshot's shared read-only connection (cursors are per thread)."""
    return queries.cursor(_REGISTRY.get(snap.path, snap.key))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, snap: Snapshot, filters, args: tuple, _con):
    return getattr(queries, name)(_con, filters, *args)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_plain(name: str, snap: Snapshot, args: tuple, _con):
    return getattr(queries, name)(_con, *args)


class Reader:
    """What pages use to ask questions: `reader.q("topic_trend", filters)` runs
    `queries.topic_trend(con, filters)` once per (snapshot, filters) and caches the answer."""

    def __init__(self, snap: Snapshot):
        self.snapshot = snap
        self.con = connect(snap)

    def q(self, name: str, filters, *args):
        return _cached(name, self.snapshot, filters, tuple(args), self.con)

    def plain(self, name: str, *args):
        """Queries that take no Filters (data page, article detail, meta)."""
        return _cached_plain(name, self.snapshot, tuple(args), self.con)

    def live(self, name: str, filters, *args):
        """Uncached (exports: large and asked for once)."""
        return getattr(queries, name)(self.con, filters, *args)


def open_reader() -> tuple[Reader | None, str | None]:
    """(reader, None) for a usable snapshot, else (None, why) with a message for the user."""
    snap = snapshot()
    if snap is None:
        return None, f"No database at `{db_path()}`."
    try:
        with st.spinner("Opening the new snapshot…"):
            return Reader(snap), None
    except queries.OutdatedSnapshot as exc:
        return None, str(exc)
    except duckdb.Error as exc:
        return None, f"Could not open `{db_path()}` read-only: {exc}"
