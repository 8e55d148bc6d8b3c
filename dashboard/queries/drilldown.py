"""One article and what is told about it: the drilldown's detail (topics, places, people,
copies, provenance), the keyword's spans in its text, and per-article topic evidence and URLs
for the report."""
from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.queries.keyword import indexed_keyword
from dashboard.queries.tables import Con, fetch_df, fetch_row, in_list
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


def _has_article_rows(con: Con) -> bool:
    """Whether the snapshot has article_rows (schema 7; older files are read by scanning)."""
    return bool(fetch_row(con, "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                               "AND schema_name = 'main' AND table_name = 'article_rows'")[0])


def _spans(con: Con, key: str) -> dict[str, list[tuple[int, int, int]]]:
    """child table -> [(lo, hi, n)]: where the rows of article (or cluster) `key` lie (schema.sql
    `article_rows`, stored in article_id order, so this reads one row group)."""
    out: dict[str, list[tuple[int, int, int]]] = {}
    for child, lo, hi, n in con.execute("SELECT child, lo, hi, n FROM article_rows WHERE article_id = ? "
                                        "ORDER BY child, lo", [key]).fetchall():
        out.setdefault(child, []).append((lo, hi, n))
    return out


def _rows_df(con: Con, sql: str, params: list, alias: str, spans: list[tuple[int, int, int]] | None,
             left_out: int = 0) -> pd.DataFrame:
    """`sql` (with `{rows}` where a condition on `alias`.rowid goes) for one article's rows of a
    child table: only the row ranges `spans` names (none: it has no rows there), each range
    still filtered by the key, so the scan reads one row group instead of the whole table.
    The whole table is scanned when `spans` is None (no article_rows), or when the ranges do
    not hold the `n` rows they promise less `left_out` (rows of them `sql` leaves out by design):
    rowids are the snapshot's row positions, and a file changed after article_rows was built
    would have its rows elsewhere."""
    if spans is not None:
        cond = " OR ".join([f"{alias}.rowid BETWEEN ? AND ?"] * len(spans)) or "FALSE"
        bounds = [v for lo, hi, _ in spans for v in (lo, hi)]
        df = fetch_df(con, sql.format(rows=f"({cond})"), params + bounds)
        if len(df) == max(sum(n for *_, n in spans) - left_out, 0):
            return df
    return fetch_df(con, sql.format(rows="TRUE"), params)


def article_detail(con: Con, article_id: str) -> dict[str, Any] | None:
    """Everything the drilldown shows for one article, or None when the id is unknown.

    The article's row comes by its primary key; its topics, places, people, copies and
    provenance by the row ranges article_rows records (`_rows_df`), or by scanning a snapshot
    without that table."""
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
    spans = _spans(con, article_id) if _has_article_rows(con) else {}
    # every article has a provenance row: an article article_rows does not know is read by scans
    located = bool(spans)

    def where(child: str) -> list[tuple[int, int, int]] | None:
        return spans.get(child, []) if located else None

    art["topics"] = _rows_df(con, """
        SELECT t.topic_id, coalesce(tp.label, t.topic_id) AS label, tp.color, t.score,
               t.n_matches, t.evidence
        FROM article_topics t LEFT JOIN topics tp USING (topic_id)
        WHERE t.article_id = ? AND {rows} ORDER BY t.score DESC, t.topic_id""", [article_id], "t",
        where("article_topics"))
    art["places"] = _rows_df(con, """
        SELECT name, kind, country_code, region, role, n_mentions, lat, lon, evidence
        FROM article_places p WHERE p.article_id = ? AND {rows}
        ORDER BY role = 'dateline' DESC, n_mentions DESC, name""", [article_id], "p", where("article_places"))
    art["entities"] = _rows_df(con, """
        SELECT entity_id, name, kind, title, n_mentions, evidence
        FROM article_entities e WHERE e.article_id = ? AND {rows}
        ORDER BY kind DESC, n_mentions DESC, name""", [article_id], "e", where("article_entities"))
    # the near copies: article_rows holds each member of a cluster of two or more by its rowid,
    # keyed by the cluster (so none for an article alone)
    members = (_spans(con, art["dup_cluster"]).get("articles", []) if art["dup_cluster"] != article_id
               else spans.get("articles", [])) if located else None
    art["cluster"] = _rows_df(con, """
        SELECT a.article_id, a.published_at, a.source, a.title, a.url, a.is_primary
        FROM articles a WHERE a.dup_cluster = ? AND a.article_id <> ? AND {rows}
        ORDER BY a.is_primary DESC, a.published_at NULLS LAST, a.article_id""", [art["dup_cluster"], article_id],
        "a", members, left_out=1)      # the article itself is one of its cluster's members
    art["provenance"] = _rows_df(con, """
        SELECT p.input_path, p.item, p.url, p.input_format, p.first_run_id, p.last_run_id,
               r.started_at AS first_run_started
        FROM provenance p LEFT JOIN ingest_runs r ON r.run_id = p.first_run_id
        WHERE p.article_id = ? AND {rows} ORDER BY p.first_run_id, p.input_path, p.item""", [article_id], "p",
        where("provenance"))
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
