"""The derived tables (article_facets, place_index, entity_index, facet_rollup, topic_rollup,
article_rows; see
etl/schema.sql): the SQL that fills them, and their rebuild at the end of every run.

Identifiers in this SQL come only from the constants here.
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb

def _by_role(role: str) -> str:
    """Per article of the chunk `k`, the lists one place role contributes to article_facets."""
    return f"""
        SELECT article_id, list(country_code) AS c,
               list(name) FILTER (WHERE kind IN ('region', 'city')) AS n,
               list(region) FILTER (WHERE kind IN ('region', 'city') AND region IS NOT NULL) AS r,
               list(place_id) FILTER (WHERE kind IN ('region', 'city') AND lat IS NOT NULL
                                      AND lon IS NOT NULL) AS p
        FROM article_places JOIN k USING (article_id) WHERE role = '{role}' GROUP BY article_id"""


def _concat(*lists: str) -> str:
    """SQL concatenating list expressions, NULL lists counting as empty."""
    expr = "[]"
    for item in lists:
        expr = f"list_concat({expr}, coalesce({item}, []))"
    return expr


def _distinct(column: str) -> str:
    """SQL for a list column without repeats (first occurrences kept). Lists here are short, so
    this is about twice as fast as list_distinct, which dominated the rebuild's time."""
    return f"list_filter({column}, lambda v, i: list_position({column}, v) = i) AS {column}"


_PRIMARY_COUNTRY = "CASE WHEN a.primary_country IS NULL THEN [] ELSE [a.primary_country] END"
_PRIMARY_REGION = "CASE WHEN a.primary_region IS NULL THEN [] ELSE [a.primary_region] END"
_LISTS = ("c_any", "c_dl", "c_mn", "r_any", "r_dl", "r_mn", "p_any", "p_dl", "p_mn")

# Derived tables (schema.sql) and the SELECT that fills each (ARTICLE_FACETS, INDEX_TABLES);
# identifiers come only from here.
# row_key is numbered on the two narrow columns first (FACET_KEYS, a temporary table): numbering
# the wide rows in the window itself costs more than the join. article_facets is then filled in
# chunks of FACET_CHUNK_ROWS row keys, in order (its SELECT takes the chunk's bounds): one
# statement for a million articles of text pages (a dateline each) needed more than the 1 GB
# memory limit for its joins, aggregates and sort.
FACET_CHUNK_ROWS = 200_000
FACET_KEYS = """
    CREATE OR REPLACE TEMP TABLE facet_keys AS
    SELECT article_id, row_number() OVER (ORDER BY published_at NULLS LAST, article_id)::INTEGER AS row_key
    FROM articles"""
ARTICLE_FACETS = f"""
        WITH k AS (SELECT article_id, row_key FROM facet_keys WHERE row_key > ? AND row_key <= ?),
        tp AS (SELECT article_id, list(topic_id) AS topics FROM article_topics JOIN k USING (article_id)
               GROUP BY 1),
        en AS (SELECT article_id, list(entity_id) AS people FROM article_entities JOIN k USING (article_id)
               GROUP BY 1),
        dl AS ({_by_role("dateline")}),
        mn AS ({_by_role("mentioned")}),
        f AS (
            SELECT a.article_id, k.row_key, a.published_at, a.date_precision, a.is_primary, a.source,
                   a.title, a.primary_country, a.primary_region, a.dateline_place,
                   coalesce(tp.topics, []) AS topics,
                   {_concat("dl.c", "mn.c", _PRIMARY_COUNTRY)} AS c_any,
                   {_concat("dl.c")} AS c_dl,
                   {_concat("mn.c")} AS c_mn,
                   {_concat("dl.n", "dl.r", "mn.n", "mn.r", _PRIMARY_REGION)} AS r_any,
                   {_concat("dl.n", "dl.r")} AS r_dl,
                   {_concat("mn.n", "mn.r")} AS r_mn,
                   {_concat("dl.p", "mn.p")} AS p_any,
                   {_concat("dl.p")} AS p_dl,
                   {_concat("mn.p")} AS p_mn,
                   coalesce(en.people, []) AS people, a.language
            FROM articles a JOIN k USING (article_id)
            LEFT JOIN tp USING (article_id) LEFT JOIN en USING (article_id)
            LEFT JOIN dl USING (article_id) LEFT JOIN mn USING (article_id))
        SELECT article_id, row_key, published_at, date_precision, is_primary, source, title,
               primary_country, primary_region, dateline_place, topics,
               {", ".join(_distinct(c) for c in _LISTS)}, people, language
        FROM f ORDER BY row_key"""
INDEX_TABLES = {
    "place_index": """
        SELECT place_id, min(name), min(kind), min(country_code), min(region), avg(lat), avg(lon)
        FROM article_places
        WHERE kind IN ('region', 'city') AND lat IS NOT NULL AND lon IS NOT NULL
        GROUP BY place_id ORDER BY place_id""",
    "entity_index": """
        SELECT entity_id, min(name), min(kind) FROM article_entities
        GROUP BY entity_id ORDER BY entity_id""",
}

# facet_rollup: facet name -> whether its article_facets column is a list (unnested) or a
# single value. The names are the article_facets columns the dashboard counts (schema.sql).
ROLLUP_FACETS = {"source": False, "primary_country": False, "language": False, "topics": True,
                 "c_any": True, "c_dl": True, "c_mn": True, "r_any": True, "r_dl": True, "r_mn": True,
                 "p_any": True, "p_dl": True, "p_mn": True, "people": True}


_MONTH = "date_trunc('month', published_at)::DATE"


def _rollup_select(facet: str) -> str:
    """The facet_rollup rows of one facet ('' = the month totals), from article_facets."""
    if facet == "":
        inner, where = "SELECT published_at, is_primary, language, NULL::VARCHAR AS v FROM article_facets", ""
    elif ROLLUP_FACETS[facet]:
        inner, where = f"SELECT published_at, is_primary, language, unnest({facet}) AS v FROM article_facets", ""
    else:
        inner, where = (f"SELECT published_at, is_primary, language, {facet} AS v FROM article_facets",
                        "WHERE v IS NOT NULL")
    return f"""
        SELECT {_MONTH} AS month, is_primary, '{facet}' AS facet, v AS value, count(*) AS n, language
        FROM ({inner}) {where} GROUP BY ALL ORDER BY month NULLS LAST, is_primary, value, language"""


# one statement per facet (a statement unnesting every list at once spilled past the memory
# limit and took ten times as long); rows stored facet by facet, then by month, so a query for
# one facet reads only that facet's row groups
FACET_ROLLUP = {facet: _rollup_select(facet) for facet in ("", *ROLLUP_FACETS)}


# topic_rollup: facet_rollup's counts split by topic (schema.sql), for the facets a one-topic
# view counts (the "What's in this view" panel, the headline, the map) by the place roles
# "any" and "dateline". Left out: topics and primary_country (no view filtered on a topic
# counts them by topic) and the "mentioned" role's lists, nearly as long as "any"'s: with them
# the table cost twice as much to build (docs/figures.md), for a role rarely chosen (such a
# view scans).
TOPIC_ROLLUP_FACETS = {facet: is_list for facet, is_list in ROLLUP_FACETS.items()
                       if facet not in ("topics", "primary_country", "c_mn", "r_mn", "p_mn")}


def _topic_rollup_select(facet: str) -> str:
    """The topic_rollup rows of one facet ('' = the month totals per topic)."""
    if facet == "":
        column, value, where = "NULL::VARCHAR", "f", ""
    elif TOPIC_ROLLUP_FACETS[facet]:
        column, value, where = facet, "unnest(f)", ""
    else:
        column, value, where = facet, "f", "WHERE v IS NOT NULL"
    # an article counts once per topic it has, as a scan filtering on the topic counts it; only
    # the facet's own column is carried through the topics' unnest
    inner = (f"SELECT published_at, is_primary, language, topic, {value} AS v FROM ("
             f"SELECT published_at, is_primary, language, {column} AS f, unnest(list_distinct(topics)) AS topic "
             f"FROM article_facets)")
    return f"""
        SELECT {_MONTH} AS month, is_primary, topic, '{facet}' AS facet, v AS value, count(*) AS n, language
        FROM ({inner}) {where} GROUP BY ALL ORDER BY topic, month NULLS LAST, is_primary, value, language"""


# as FACET_ROLLUP, one statement per facet; a facet's rows stored topic by topic, then by
# month, so a query for one topic and facet reads only their row groups
TOPIC_ROLLUP = {facet: _topic_rollup_select(facet) for facet in ("", *TOPIC_ROLLUP_FACETS)}


# article_rows: where each article's rows lie in its child tables (schema.sql). The rows of one
# article are written together, so [lo, hi] is nearly always exactly its rows; near copies of a
# story arrive at any time, so a cluster's members get one row each.
ROW_CHILDREN = ("article_topics", "article_places", "article_entities", "provenance")
ARTICLE_ROWS = " UNION ALL ".join(
    [f"SELECT article_id, '{child}' AS child, min(rowid) AS lo, max(rowid) AS hi, count(*)::INTEGER AS n "
     f"FROM {child} GROUP BY article_id" for child in ROW_CHILDREN]
    + ["SELECT dup_cluster, 'articles', rowid, rowid, 1 FROM articles "
       "WHERE dup_cluster IN (SELECT dup_cluster FROM articles GROUP BY 1 HAVING count(*) > 1)"])


def rebuild_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Refill article_rows, in article_id order. The rowids it records are only right once the
    child tables are checkpointed (a checkpoint may compact deleted rows away) and until they
    change again: callers checkpoint first and change no child table afterwards."""
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute("DELETE FROM article_rows")
        con.execute(f"INSERT INTO article_rows SELECT * FROM ({ARTICLE_ROWS}) ORDER BY article_id, child, lo")
    finally:
        con.execute("SET preserve_insertion_order = false")


def _refill(con: duckdb.DuckDBPyConnection, table: str, statements: Iterable[str]) -> None:
    """Empty `table` (a constant of this module, never a value) and insert the rows of each
    statement, keeping their order (the storage order above)."""
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(f"DELETE FROM {table}")
        for sql in statements:
            con.execute(f"INSERT INTO {table} {sql}")
    finally:
        con.execute("SET preserve_insertion_order = false")


def rebuild_rollup(con: duckdb.DuckDBPyConnection) -> None:
    """Refill facet_rollup from article_facets (which must be current)."""
    _refill(con, "facet_rollup", FACET_ROLLUP.values())


def rebuild_topic_rollup(con: duckdb.DuckDBPyConnection) -> None:
    """Refill topic_rollup from article_facets (which must be current)."""
    _refill(con, "topic_rollup", TOPIC_ROLLUP.values())


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild article_facets, place_index and entity_index from articles and the child
    tables, then facet_rollup and topic_rollup from article_facets, and article_rows (after the checkpoint
    below, which leaves the child tables' rowids as the snapshot keeps them). A full rebuild (docs/figures.md has its cost per 100 k and per million articles,
    within the 1 GB memory limit) is simpler than keeping them in step with every delete
    and insert, and the file does not grow: the deleted blocks are reused.

    Rows are written in row_key order (published_at, undated last, then article_id) so a
    date-range scan skips row groups; that needs insertion order kept for these statements.
    article_facets is written FACET_CHUNK_ROWS keys at a time, which bounds the memory its
    joins and sort need whatever the size of the database.
    """
    # everything written so far goes to disk first, so the sort below has the whole
    # memory budget (uncheckpointed rows of a large run otherwise crowd it out)
    con.execute("CHECKPOINT")
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(FACET_KEYS)
        n = con.execute("SELECT count(*) FROM facet_keys").fetchall()[0][0]
        con.execute("DELETE FROM article_facets")
        for lo in range(0, n, FACET_CHUNK_ROWS):
            con.execute(f"INSERT INTO article_facets {ARTICLE_FACETS}", [lo, lo + FACET_CHUNK_ROWS])
        for table, sql in INDEX_TABLES.items():
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} {sql}")
        rebuild_rollup(con)
        rebuild_topic_rollup(con)
        rebuild_rows(con)
    finally:
        con.execute("DROP TABLE IF EXISTS facet_keys")
        con.execute("SET preserve_insertion_order = false")
