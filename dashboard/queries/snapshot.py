"""Opening a snapshot, and the facts of a snapshot that no filter changes (meta, size,
date span, key dates)."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from dashboard.queries.keyword import row_keys, search_index
from dashboard.queries.tables import (FACET_TABLES, ROLLUP_TABLE, SNAPSHOT, TOPIC_ROLLUP_TABLE, Con, fetch_df,
                                      fetch_row)


def connect(path: str) -> Con:
    """Open the snapshot at `path` read-only and name the tables the queries use.

    The file is ATTACHed READ_ONLY (a shared lock, never a writer's) to an in-memory database,
    which holds views of the snapshot's article_facets, place_index and entity_index (and of
    facet_rollup and topic_rollup when the file has them). A file written before those tables
    existed (schema version 1) raises OutdatedSnapshot. The snapshot's search index is opened too and its
    documents mapped to row keys (`row_keys`, one Arrow join), so the first keyword does not
    pay for it. Use `cursor(con)` for each thread.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {SNAPSHOT} (READ_ONLY)", [str(path)])
    con.execute(f"USE {SNAPSHOT}")
    con.execute("SET enable_progress_bar = false")
    found = _snapshot_tables(con)
    if not set(FACET_TABLES.values()) <= found:
        con.close()
        raise OutdatedSnapshot(path)
    for name, table in FACET_TABLES.items():
        con.execute(f"CREATE VIEW {name} AS SELECT *{_no_language(con, table)} FROM {SNAPSHOT}.main.{table}")
    if "facet_rollup" in found:     # schema 5; without it every count scans (queries/rollup.py)
        con.execute(f"CREATE VIEW {ROLLUP_TABLE} AS SELECT *{_no_language(con, 'facet_rollup')} "
                    f"FROM {SNAPSHOT}.main.facet_rollup")
    if "topic_rollup" in found:     # schema 8; without it a one-topic view scans
        con.execute(f"CREATE VIEW {TOPIC_ROLLUP_TABLE} AS SELECT * FROM {SNAPSHOT}.main.topic_rollup")
    index = search_index(con)
    if index is not None:
        row_keys(con, index)
    return con


class OutdatedSnapshot(Exception):
    """The database predates the tables the dashboard reads; any ETL command upgrades it."""

    def __init__(self, path: str):
        super().__init__(f"{path} was written by an older version of the ETL (no article_facets table); "
                         f"upgrade it in place with: python -m etl init --db {path}")


def _no_language(con: Con, table: str) -> str:
    """For article_facets and facet_rollup of a file older than schema 6, which have no
    `language` column: one that is NULL everywhere (no article has a known language there, so
    a language filter selects none, alike in a scan and in the rollup). '' for other tables."""
    if table not in ("article_facets", "facet_rollup"):
        return ""
    has = con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' "
                      "AND table_name = ? AND column_name = 'language'", [SNAPSHOT, table]).fetchone()
    return "" if has and has[0] else ", NULL::VARCHAR AS language"


def _snapshot_tables(con: Con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'",
        [SNAPSHOT]).fetchall()}


def cursor(con: Con) -> Con:
    """A per-thread cursor on a `connect()`ed snapshot, reading the contract tables by name."""
    cur = con.cursor()
    cur.execute(f"USE {SNAPSHOT}")
    return cur


def meta(con: Con) -> dict[str, str]:
    """The `meta` key/value table (schema_version, snapshot_id, sample, ...)."""
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def article_total(con: Con) -> int:
    """All rows in `articles`, whatever the filters: 0 means nothing has been loaded yet."""
    return fetch_row(con, "SELECT count(*) FROM articles")[0]


def date_bounds(con: Con) -> tuple[date | None, date | None]:
    """(first, last) publication date in the whole snapshot, as dates (None when empty)."""
    return fetch_row(con, "SELECT min(published_at)::DATE, max(published_at)::DATE FROM articles")


def key_dates(con: Con) -> pd.DataFrame:
    """The dated events drawn on time charts: event_date, label, place, topic, in date order.
    Empty for a snapshot written before the table existed."""
    found = fetch_row(con, "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? "
                      "AND schema_name = 'main' AND table_name = 'key_dates'", [SNAPSHOT])[0]
    if not found:
        return pd.DataFrame({"event_date": pd.Series([], dtype="datetime64[ns]"),
                             "label": [], "place": [], "topic": []})
    out = fetch_df(con, "SELECT event_date, label, place, topic FROM key_dates ORDER BY event_date, line_no")
    out["event_date"] = pd.to_datetime(out["event_date"])
    return out
