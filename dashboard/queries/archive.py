"""The Data page: ingest runs and errors, articles by source and by input format, undated
articles. Whole-archive counts over the contract tables; no filter applies."""
from __future__ import annotations

import pandas as pd

from dashboard.queries.tables import Con, fetch_df, fetch_row


def ingest_runs(con: Con, limit: int = 200) -> pd.DataFrame:
    return fetch_df(con, """
        SELECT run_id, command, status, started_at, finished_at, seconds, array_to_string(inputs, ', ') AS inputs,
               n_inputs, n_skipped_unchanged, n_read, n_new, n_updated, n_unchanged,
               n_duplicates, n_failed
        FROM ingest_runs ORDER BY run_id DESC LIMIT ?""", [limit])


def ingest_errors(con: Con, limit: int = 1000) -> pd.DataFrame:
    return fetch_df(con, """
        SELECT run_id, input_path, item, error_kind, reason, recorded_at
        FROM ingest_errors ORDER BY recorded_at DESC, run_id DESC, input_path, item LIMIT ?""", [limit])


def counts_by_source(con: Con) -> pd.DataFrame:
    return fetch_df(con, """
        SELECT coalesce(source, '(unknown)') AS source, count(*) AS articles,
               count(*) FILTER (WHERE is_primary) AS unique_stories,
               count(*) FILTER (WHERE published_at IS NULL) AS undated,
               min(published_at)::DATE AS first, max(published_at)::DATE AS last
        FROM articles GROUP BY 1 ORDER BY articles DESC, source""")


def counts_by_format(con: Con) -> pd.DataFrame:
    return fetch_df(con, """
        SELECT input_format, count(*) AS articles,
               count(*) FILTER (WHERE is_primary) AS unique_stories,
               count(DISTINCT input_path) AS input_files
        FROM articles GROUP BY 1 ORDER BY articles DESC, input_format""")


def undated_articles(con: Con, limit: int = 500) -> tuple[int, pd.DataFrame]:
    n = fetch_row(con, "SELECT count(*) FROM articles WHERE published_at IS NULL")[0]
    rows = fetch_df(con, """
        SELECT article_id, title, source, date_source, input_format, input_path
        FROM articles WHERE published_at IS NULL ORDER BY input_path, article_id LIMIT ?""", [limit])
    return n, rows
