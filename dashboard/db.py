"""The read-only connection to the current snapshot, and the query cache keyed by snapshot.

The ETL never writes the live file: it writes a copy and `os.replace`s it over the path. So a
new snapshot is a new inode; on every rerun we stat the path, and when (st_ino, st_mtime_ns)
changed we open the new file read-only (a shared lock only, never a writer's; see
`queries.connect`, which also maps the search index's documents to row keys) and close the
connection before last. Pages ask through `Reader`, whose methods are the queries of the
queries package by name; results are cached by (query name, snapshot key, Filters, args), so a
new snapshot can never be served stale numbers.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboard import queries, timings
from dashboard.compare import Series
from dashboard.queries import Con, Headline, KeywordInfo
from dashboard.state import Filters

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
        self._open: dict[str, list[tuple[tuple[int, int], Con]]] = {}

    def get(self, path: str, key: tuple[int, int]) -> Con:
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


def connect(snap: Snapshot) -> Con:
    """A cursor on the snapshot's shared read-only connection (cursors are per thread)."""
    return queries.cursor(_REGISTRY.get(snap.path, snap.key))


# Filters fields no query reads: where the reader is (page, open article, table page, tab) and
# whether key dates are drawn. They are reset to their defaults in every query's cache key (and
# in the Filters the query gets), so opening an article or switching pages reuses the answers
# the view already has instead of scanning again.
UNREAD = ("page", "article", "table_page", "tab", "key_dates")
# the chart and table options (grain, metric, smoothing, the table's order)
OPTIONS = ("grain", "metric", "smooth", "sort")
# queries that read only the fields that select the view's articles (queries.where_clause),
# none of OPTIONS: changing the grain or the table's order does not ask them again
VIEW_ONLY = frozenset({"headline", "view_top", "view_terms", "article_count", "country_counts",
                       "place_counts", "options"})
_DEFAULTS = Filters()


def query_key(name: str, filters: Filters) -> Filters:
    """`filters` with the fields query `name` does not read reset to their defaults."""
    unread = UNREAD + (OPTIONS if name in VIEW_ONLY else ("sort",) if name != "articles_page" else ())
    return filters.replace(**{field: getattr(_DEFAULTS, field) for field in unread})


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, snap: Snapshot, filters: Filters, args: tuple, _query: Callable[..., Any],
            _con: Con) -> Any:
    # keyed by (query name, snapshot, filters, args); the function and cursor are not hashed
    return timings.query(_query, _con, filters, *args)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_plain(name: str, snap: Snapshot, args: tuple, _query: Callable[..., Any], _con: Con) -> Any:
    return timings.query(_query, _con, *args)


class Reader:
    """What pages ask questions through: one method per query of the queries package, of the same name,
    each answered once per (snapshot, arguments) and then from Streamlit's cache, so a new
    snapshot is never served stale numbers."""

    def __init__(self, snap: Snapshot):
        self.snapshot = snap
        self.con = connect(snap)

    def _q(self, query: Callable[..., Any], filters: Filters, *args: object) -> Any:
        name = query.__name__
        return _cached(name, self.snapshot, query_key(name, filters), args, query, self.con)

    def _plain(self, query: Callable[..., Any], *args: object) -> Any:
        return _cached_plain(query.__name__, self.snapshot, args, query, self.con)

    # -- the snapshot and the sidebar ------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return self._plain(queries.meta)

    def article_total(self) -> int:
        return self._plain(queries.article_total)

    def date_bounds(self) -> tuple[date | None, date | None]:
        return self._plain(queries.date_bounds)

    def options(self, filters: Filters) -> dict[str, pd.DataFrame]:
        return self._q(queries.options, filters)

    def known_values(self, field: str, values: tuple[str, ...]) -> list[str]:
        return self._plain(queries.known_values, field, values)

    def entity_names(self, entity_ids: tuple[str, ...]) -> dict[str, str]:
        return self._plain(queries.entity_names, entity_ids)

    def keyword_info(self, q: str) -> KeywordInfo:
        return self._plain(queries.keyword_info, q)

    # -- trends and map --------------------------------------------------------------------
    def headline(self, filters: Filters) -> Headline:
        return self._q(queries.headline, filters)

    def topic_trend(self, filters: Filters) -> pd.DataFrame:
        return self.trend_and_spikes(filters)[0]

    def spikes(self, filters: Filters) -> pd.DataFrame:
        return self.trend_and_spikes(filters)[1]

    def trend_and_spikes(self, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Both from one scan (queries.trend_and_spikes): the Trends page asks for both."""
        return self._q(queries.trend_and_spikes, filters)

    def country_counts(self, filters: Filters) -> pd.DataFrame:
        return self._q(queries.country_counts, filters)

    def place_counts(self, filters: Filters) -> pd.DataFrame:
        return self._q(queries.place_counts, filters)

    # -- articles --------------------------------------------------------------------------
    def article_count(self, filters: Filters) -> int:
        return self._q(queries.article_count, filters)

    def articles_page(self, filters: Filters, limit: int, offset: int, order: str = "") -> pd.DataFrame:
        return self._q(queries.articles_page, filters, limit, offset, order)

    def article_detail(self, article_id: str) -> dict[str, Any] | None:
        return self._plain(queries.article_detail, article_id)

    def keyword_highlights(self, article_id: str, q: str) -> dict[str, list[tuple[int, int]]]:
        return self._plain(queries.keyword_highlights, article_id, q)

    def topic_evidence(self, article_ids: tuple[str, ...]) -> pd.DataFrame:
        return self._plain(queries.topic_evidence, article_ids)

    def article_urls(self, article_ids: tuple[str, ...]) -> pd.Series:
        return self._plain(queries.article_urls, article_ids)

    def export_rows(self, filters: Filters) -> pd.DataFrame:
        """Uncached: an export is large and asked for once."""
        return queries.export_rows(self.con, filters)

    # -- reported figures ------------------------------------------------------------------
    def has_figures(self) -> bool:
        return self._plain(queries.has_figures)

    def reported_killed(self, filters: Filters) -> pd.DataFrame:
        return self._q(queries.reported_killed, filters)

    def reported_defections(self, filters: Filters) -> pd.DataFrame:
        return self._q(queries.reported_defections, filters)

    def defections_by(self, filters: Filters, group: str) -> pd.DataFrame:
        return self._q(queries.defections_by, filters, group)

    def figure_evidence(self, filters: Filters, kind: str, start: date, end: date) -> pd.DataFrame:
        return self._q(queries.figure_evidence, filters, kind, start, end)

    def source_volume(self, filters: Filters) -> pd.DataFrame:
        return self._q(queries.source_volume, filters)

    def view_top(self, filters: Filters) -> pd.DataFrame:
        return self._q(queries.view_top, filters)

    def view_terms(self, filters: Filters) -> pd.DataFrame:
        return self._q(queries.view_terms, filters)

    def surge_explained(self, filters: Filters, topic_id: str, period: date) -> queries.SurgeExplained:
        return self._q(queries.surge_explained, filters, topic_id, period)

    def compare_trend(self, filters: Filters, series: tuple[Series, ...]) -> pd.DataFrame:
        return self._q(queries.compare_trend, filters, series)

    # -- key dates -------------------------------------------------------------------------
    def key_dates(self) -> pd.DataFrame:
        return self._plain(queries.key_dates)

    # -- data page -------------------------------------------------------------------------
    def ingest_runs(self) -> pd.DataFrame:
        return self._plain(queries.ingest_runs)

    def ingest_errors(self) -> pd.DataFrame:
        return self._plain(queries.ingest_errors)

    def counts_by_source(self) -> pd.DataFrame:
        return self._plain(queries.counts_by_source)

    def counts_by_format(self) -> pd.DataFrame:
        return self._plain(queries.counts_by_format)

    def undated_articles(self) -> tuple[int, pd.DataFrame]:
        return self._plain(queries.undated_articles)


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
