"""The article list: how many, one page of rows (by a sort order or by keyword relevance,
with snippets), and every row for the CSV export."""
from __future__ import annotations

import pandas as pd

from dashboard import search
from dashboard.queries.keyword import indexed_keyword, register_ids
from dashboard.queries.tables import VIEW_TABLE, Con, fetch_df, in_list
from dashboard.queries.where import where_clause
from dashboard.state import Filters


# Filters.sort -> ORDER BY: an allow-list, the only strings this module splices into SQL text
SORT_SQL = {
    "newest": "a.published_at DESC NULLS LAST, a.article_id",
    "oldest": "a.published_at ASC NULLS LAST, a.article_id",
    "title": "lower(a.title) ASC NULLS LAST, a.article_id",
    "source": "a.source ASC NULLS LAST, a.published_at DESC NULLS LAST, a.article_id",
}
RANKED = "relevance"      # articles_page order: by the keyword's relevance


def _index_scope(filters: Filters) -> search.Scope | None:
    """The filters as a `search.Scope` when the index can apply all of them itself (dates,
    sources, unique stories), else None (topics, places, people and languages live in DuckDB
    only)."""
    if filters.topics or filters.countries or filters.regions or filters.people or filters.languages:
        return None
    return search.Scope(start=filters.date_from, end=filters.date_to, sources=tuple(filters.sources),
                        primary_only=not filters.copies)


def article_count(con: Con, filters: Filters) -> int:
    """Articles in the view. A keyword with only date/source filters is counted by the index."""
    kw = indexed_keyword(con, filters)
    scope = _index_scope(filters) if kw else None
    if kw and scope is not None:
        index, parsed = kw
        return index.count(parsed, scope)
    where, params = where_clause(filters, con=con)
    return con.execute(f"SELECT count(*) FROM {VIEW_TABLE} a WHERE {where}", params).fetchall()[0][0]


_PAGE_COLUMNS = """a.article_id, a.published_at, a.date_precision, a.title, a.source,
               a.dateline_place, a.primary_region, a.primary_country, a.is_primary, a.topics"""


def articles_page(con: Con, filters: Filters, limit: int = 50, offset: int = 0, order: str = "") -> pd.DataFrame:
    """One page of the article table, topics listed per row.

    Order: `filters.sort`, or with `order="relevance"` and a keyword, best match first. With a
    keyword the page has a `snippet_html` column: the best passage of each article, escaped,
    with the matched words in <mark> ("" without a search index).
    """
    kw = indexed_keyword(con, filters)
    if kw and order == RANKED:
        rows = _ranked_page(con, filters, *kw, int(limit), int(offset))
    else:
        where, params = where_clause(filters, con=con)
        sort = SORT_SQL.get(filters.sort, SORT_SQL["newest"])
        rows = fetch_df(con, f"""
            SELECT {_PAGE_COLUMNS}
            FROM {VIEW_TABLE} a WHERE {where}
            ORDER BY {sort} LIMIT ? OFFSET ?""", params + [int(limit), int(offset)])
    _place_column(con, rows)
    if filters.q:
        found = snippets(con, kw, list(rows["article_id"])) if kw else {}
        rows["snippet_html"] = [found.get(aid, "") for aid in rows["article_id"]]
    return rows


def _place_column(con: Con, rows: pd.DataFrame) -> None:
    """Add `place` and `country` to a page of rows: the dateline city with the dateline's own
    country, else the story's main region with the main country. (article_facets has no
    dateline country, so the page's few rows are looked up in `articles`.)"""
    ids = [aid for aid, dl in zip(rows["article_id"], rows["dateline_place"]) if pd.notna(dl)]
    dl_country: dict[str, str] = {}
    if ids:
        sql, vals = in_list("article_id", ids)
        dl_country = dict(con.execute(
            f"SELECT article_id, dateline_country FROM articles WHERE {sql}", vals).fetchall())
    place, country = [], []
    for aid, dl, region, main in zip(rows["article_id"], rows["dateline_place"], rows["primary_region"],
                                     rows["primary_country"]):
        if pd.notna(dl):
            place.append(dl)
            country.append(dl_country.get(aid))
        else:
            place.append(region if pd.notna(region) else None)
            country.append(main if pd.notna(main) else None)
    rows["place"], rows["country"] = place, country


def _ranked_page(con: Con, filters: Filters, index: search.SearchIndex, parsed: search.ParsedQuery,
                 limit: int, offset: int) -> pd.DataFrame:
    scope = _index_scope(filters)
    if scope is not None:
        # the index ranks and filters alone; DuckDB only fetches the page's rows
        ids = [hit.article_id for hit in index.top_hits(parsed, n=limit, offset=offset, scope=scope)]
        if not ids:
            return fetch_df(con, f"SELECT {_PAGE_COLUMNS} FROM {VIEW_TABLE} a WHERE FALSE")
        sql, vals = in_list("a.article_id", ids)
        rows = fetch_df(con, f"SELECT {_PAGE_COLUMNS} FROM {VIEW_TABLE} a WHERE {sql}", vals)
        position = {aid: i for i, aid in enumerate(ids)}
        return rows.sort_values("article_id", key=lambda c: c.map(position)).reset_index(drop=True)
    where, params = where_clause(filters.replace(q=""), con=con)
    name = register_ids(con, index, parsed)
    return fetch_df(con, f"""
        SELECT {_PAGE_COLUMNS}
        FROM {VIEW_TABLE} a JOIN {name} k ON k.row_key = a.row_key
        WHERE {where}
        ORDER BY k.rank LIMIT ? OFFSET ?""", params + [limit, offset])


def snippets(con: Con, kw: tuple[search.SearchIndex, search.ParsedQuery], ids: list[str]) -> dict[str, str]:
    """article_id -> best passage for the query (caption and body), escaped with <mark>s."""
    if not ids:
        return {}
    index, parsed = kw
    sql, vals = in_list("article_id", ids)
    rows = con.execute(f"SELECT article_id, caption, body FROM articles WHERE {sql}", vals).fetchall()
    return {aid: index.snippet_html(parsed, "\n".join(t for t in (caption, body) if t))
            for aid, caption, body in rows}


def export_rows(con: Con, filters: Filters) -> pd.DataFrame:
    """Every filtered article (no paging) with its topics, places and people, for CSV export."""
    where, params = where_clause(filters, con=con)
    order = SORT_SQL.get(filters.sort, SORT_SQL["newest"])
    return fetch_df(con, f"""
        WITH f AS (SELECT a.article_id, a.published_at FROM {VIEW_TABLE} a WHERE {where}),
        tp AS (SELECT article_id, string_agg(topic_id, '; ' ORDER BY topic_id) AS topics
               FROM article_topics WHERE article_id IN (SELECT article_id FROM f) GROUP BY 1),
        pl AS (SELECT article_id,
                      string_agg(name || ' (' || role || ')', '; ' ORDER BY role, name) AS places
               FROM article_places WHERE article_id IN (SELECT article_id FROM f) GROUP BY 1),
        en AS (SELECT article_id, string_agg(name, '; ' ORDER BY name) AS people_and_organisations
               FROM article_entities WHERE article_id IN (SELECT article_id FROM f) GROUP BY 1)
        SELECT a.article_id, a.published_at, a.date_precision, a.source, a.title, a.url,
               a.dateline, a.primary_country, a.primary_region,
               coalesce(tp.topics, '') AS topics, coalesce(pl.places, '') AS places,
               coalesce(en.people_and_organisations, '') AS people_and_organisations,
               a.word_count, a.language, a.dup_cluster, a.is_primary, a.input_format, a.input_path
        FROM articles a JOIN f USING (article_id) LEFT JOIN tp USING (article_id)
             LEFT JOIN pl USING (article_id) LEFT JOIN en USING (article_id)
        ORDER BY {order}""", params)
