"""What a database holds, read-only, for `python -m etl stats`."""
from __future__ import annotations

from pathlib import Path

import duckdb


def read_stats(con: duckdb.DuckDBPyConnection) -> dict:
    """What the database holds, for `python -m etl stats`."""
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    out = {
        "articles": one("SELECT count(*) FROM articles"),
        "unique_stories": one("SELECT count(*) FROM articles WHERE is_primary"),
        "provenances": one("SELECT count(*) FROM provenance"),
        "undated": one("SELECT count(*) FROM articles WHERE published_at IS NULL"),
        "first_date": one("SELECT min(published_at)::DATE FROM articles"),
        "last_date": one("SELECT max(published_at)::DATE FROM articles"),
        "sources": one("SELECT count(DISTINCT source) FROM articles"),
        "topic_tags": one("SELECT count(*) FROM article_topics"),
        "place_mentions": one("SELECT count(*) FROM article_places"),
        "entities": one("SELECT count(*) FROM article_entities"),
        "runs": one("SELECT count(*) FROM ingest_runs"),
        "errors": one("SELECT count(*) FROM ingest_errors"),
    }
    out["by_format"] = con.execute(
        "SELECT input_format, count(*) FROM articles GROUP BY ALL ORDER BY 2 DESC").fetchall()
    out["by_topic"] = con.execute(
        "SELECT t.label, count(*) FROM article_topics a JOIN topics t USING (topic_id) "
        "GROUP BY ALL ORDER BY 2 DESC").fetchall()
    out["by_source"] = con.execute(
        "SELECT coalesce(source, '(unknown)'), count(*) FROM articles GROUP BY ALL ORDER BY 2 DESC LIMIT 15").fetchall()
    out["last_errors"] = con.execute(
        "SELECT input_path, item, error_kind, reason FROM ingest_errors "
        "WHERE run_id = (SELECT max(run_id) FROM ingest_errors) ORDER BY input_path, item LIMIT 50").fetchall()
    return out


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)
