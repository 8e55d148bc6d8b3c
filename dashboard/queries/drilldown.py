"""One article and what is told about it: the drilldown's detail (topics, places, people,
copies, provenance), the keyword's spans in its text, and per-article topic evidence and URLs
for the report."""
from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.queries.keyword import indexed_keyword
from dashboard.queries.tables import Con, fetch_df, in_list
from dashboard.state import Filters


def keyword_highlights(con: Con, article_id: str, q: str) -> dict[str, list[tuple[int, int]]]:
    """title/caption/body -> character spans of the keyword's words in that field of the
    article, for the drilldown; {} without a search index or an article."""
    kw = indexed_keyword(con, Filters(q=q))
    rows = con.execute("SELECT title, caption, body FROM articles WHERE article_id = ?", [article_id]).fetchall()
    if kw is None or not rows:
        return {}
    index, parsed = kw
    return {name: index.highlight_spans(parsed, text) for name, text in zip(("title", "caption", "body"), rows[0])
            if text}


def article_detail(con: Con, article_id: str) -> dict[str, Any] | None:
    """Everything the drilldown shows for one article, or None when the id is unknown."""
    row = con.execute("""
        SELECT article_id, url, source, title, author, published_at, date_precision, date_source,
               dateline, dateline_place, dateline_country, primary_country, primary_region,
               language, caption, media_id, body, word_count, dup_cluster, is_primary,
               input_format, input_path, first_run_id, last_run_id
        FROM articles WHERE article_id = ?""", [article_id]).fetchone()
    if row is None:
        return None
    cols = [d[0] for d in con.description]
    art = dict(zip(cols, row))
    art["topics"] = fetch_df(con, """
        SELECT t.topic_id, coalesce(tp.label, t.topic_id) AS label, tp.color, t.score,
               t.n_matches, t.evidence
        FROM article_topics t LEFT JOIN topics tp USING (topic_id)
        WHERE t.article_id = ? ORDER BY t.score DESC, t.topic_id""", [article_id])
    art["places"] = fetch_df(con, """
        SELECT name, kind, country_code, region, role, n_mentions, lat, lon, evidence
        FROM article_places WHERE article_id = ?
        ORDER BY role = 'dateline' DESC, n_mentions DESC, name""", [article_id])
    art["entities"] = fetch_df(con, """
        SELECT entity_id, name, kind, title, n_mentions, evidence
        FROM article_entities WHERE article_id = ?
        ORDER BY kind DESC, n_mentions DESC, name""", [article_id])
    art["cluster"] = fetch_df(con, """
        SELECT article_id, published_at, source, title, url, is_primary
        FROM articles WHERE dup_cluster = ? AND article_id <> ?
        ORDER BY is_primary DESC, published_at NULLS LAST, article_id""",
        [art["dup_cluster"], article_id])
    art["provenance"] = fetch_df(con, """
        SELECT p.input_path, p.item, p.url, p.input_format, p.first_run_id, p.last_run_id,
               r.started_at AS first_run_started
        FROM provenance p LEFT JOIN ingest_runs r ON r.run_id = p.first_run_id
        WHERE p.article_id = ? ORDER BY p.first_run_id, p.input_path, p.item""", [article_id])
    run = con.execute("SELECT run_id, command, started_at, status FROM ingest_runs WHERE run_id = ?",
                      [art["first_run_id"]]).fetchone()
    art["first_run"] = dict(zip(["run_id", "command", "started_at", "status"], run)) if run else None
    return art


def topic_evidence(con: Con, article_ids: tuple[str, ...]) -> pd.DataFrame:
    """Each topic tag of `article_ids` with its evidence and the article's text fields, so that
    passages can be cut outside the drilldown (the report)."""
    sql, vals = in_list("t.article_id", article_ids)
    return fetch_df(con, f"""
        SELECT t.article_id, t.topic_id, t.evidence, a.title, a.caption, a.body
        FROM article_topics t JOIN articles a USING (article_id)
        WHERE {sql} ORDER BY t.article_id, t.score DESC, t.topic_id""", vals)


def article_urls(con: Con, article_ids: tuple[str, ...]) -> pd.Series:
    """article_id -> original URL (None when the input had none)."""
    sql, vals = in_list("article_id", article_ids)
    return pd.Series(dict(con.execute(f"SELECT article_id, url FROM articles WHERE {sql}", vals).fetchall()),
                     dtype=object)
