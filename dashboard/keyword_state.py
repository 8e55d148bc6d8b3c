"""The keyword search's process-wide state, shared by every session: opened search indexes,
parsed queries, each snapshot's map from index document to row key, and each query's matching
rows as Arrow tables, registered on the DuckDB cursor that runs a statement.

No SQL here: the queries package runs the statements and hands this module what they return (or a
function that runs them once). Streamlit serves sessions from several threads, so every cache
that is filled after start-up takes a lock.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from dashboard import search

KEYWORD_CACHE_IDS = 4_000_000   # matching row keys kept across cached keyword queries (~40 MB at most)
KEYWORD_CACHE_QUERIES = 32
ROW_KEY_SNAPSHOTS = 4           # snapshots whose row-key maps are kept (normally two are open)


@lru_cache(maxsize=8)
def index_at(db_file: str, index_dir: str | None) -> search.SearchIndex | None:
    """The search index `index_dir` of the database `db_file` (None when it cannot be opened),
    opened once: a snapshot's index directory never changes."""
    return search.open_for_db(Path(db_file), index_dir)


@lru_cache(maxsize=256)
def parse(q: str) -> search.ParsedQuery:
    """`search.parse`, cached: a page view asks for the same query many times."""
    return search.parse(q)


class _RowKeyMaps:
    """Per snapshot: index document position -> the view table's row_key (-1: not in it).
    About 4 MB per million articles; the last ROW_KEY_SNAPSHOTS snapshots are kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._maps: OrderedDict[str, np.ndarray] = OrderedDict()

    def get(self, key: str, build: Callable[[], np.ndarray]) -> np.ndarray:
        with self._lock:   # held while building: two threads never build the same map
            found = self._maps.get(key)
            if found is None:
                found = build()
                self._maps[key] = found
                while len(self._maps) > ROW_KEY_SNAPSHOTS:
                    self._maps.popitem(last=False)
            else:
                self._maps.move_to_end(key)
            return found


_ROW_KEYS = _RowKeyMaps()


def row_keys(snapshot_key: str, build: Callable[[], np.ndarray]) -> np.ndarray:
    """The snapshot's document -> row_key map, from `build()` on first use."""
    return _ROW_KEYS.get(snapshot_key, build)


class _IdCache:
    """Matching row keys per (snapshot, query reading), least recently used first out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tables: OrderedDict[tuple[str, str], pa.Table] = OrderedDict()

    def get(self, key: tuple[str, str]) -> pa.Table | None:
        with self._lock:
            table = self._tables.get(key)
            if table is not None:
                self._tables.move_to_end(key)
            return table

    def put(self, key: tuple[str, str], table: pa.Table) -> None:
        with self._lock:
            self._tables[key] = table
            self._tables.move_to_end(key)
            while len(self._tables) > 1 and (
                    len(self._tables) > KEYWORD_CACHE_QUERIES
                    or sum(t.num_rows for t in self._tables.values()) > KEYWORD_CACHE_IDS):
                self._tables.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()


_KEYS = _IdCache()


def matching_keys(snapshot_key: str, index: search.SearchIndex, parsed: search.ParsedQuery,
                  doc_keys: Callable[[], np.ndarray]) -> pa.Table:
    """Every row the index matches for `parsed`, best first (columns row_key, rank), cached per
    (snapshot, reading): row keys belong to one snapshot. `doc_keys()` gives the snapshot's
    document -> row_key map (`row_keys`)."""
    key = (snapshot_key, parsed.reading)
    table = _KEYS.get(key)
    if table is None:
        keys = doc_keys()[index.matching_slots(parsed)]
        keys = keys[keys >= 0]
        table = pa.table({"row_key": pa.array(keys, pa.int32()),
                          "rank": pa.array(np.arange(len(keys), dtype=np.int32))})
        _KEYS.put(key, table)
    return table


def register(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Register `table` on `con` (zero-copy) as `name`. Registrations belong to one cursor, so
    every statement registers on the cursor it runs on."""
    finish = getattr(con, "complete", None)
    if finish is not None:   # a half-read result (fetchone) would refuse the registration
        finish()
    con.register(name, table)


def view_name(snapshot_key: str, reading: str) -> str:
    """The registered table's name: a digest of (snapshot, reading), never user text."""
    return "kw_" + hashlib.sha1(f"{snapshot_key}\0{reading}".encode()).hexdigest()[:16]


def forget_queries() -> None:
    """Drop every cached query (parsed and matched), so the next use of a keyword is timed
    from scratch (bench/)."""
    _KEYS.clear()
    parse.cache_clear()
