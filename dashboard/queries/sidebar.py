"""The sidebar's choices: the values offered with their counts, which values of a shared link
exist in this snapshot, and people's display names."""
from __future__ import annotations

from collections.abc import Collection, Iterable

import pandas as pd

from dashboard.queries.entities import named
from dashboard.queries.rollup import usable, value_counts
from dashboard.queries.tables import ENTITY_TABLE, VIEW_TABLE, Con, fetch_df, in_list
from dashboard.queries.where import where_clause
from dashboard.state import Filters


OPTION_LIMIT = 300        # most frequent people / places offered in the sidebar


def options(con: Con, filters: Filters) -> dict[str, pd.DataFrame]:
    """Values offered in the sidebar, each with its article count within the date range.

    Counts honour only the date range and the copies toggle (not the other facets), so a choice
    never disappears because another one was made; cache them on that smaller key. Summed from
    the monthly rollup when it can answer (queries/rollup.py), else one scan per list.
    """
    scope = Filters(date_from=filters.date_from, date_to=filters.date_to, copies=filters.copies)
    if usable(con, scope):
        return _options_from_rollup(con, scope)
    where, params = where_clause(scope, con=con)
    out: dict = {}
    out["topics"] = fetch_df(con, f"""
        SELECT tp.topic_id, tp.label, tp.color, tp.definition, coalesce(c.n, 0) AS n
        FROM topics tp LEFT JOIN (
            SELECT topic_id, count(*) AS n
            FROM (SELECT unnest(a.topics) AS topic_id FROM {VIEW_TABLE} a WHERE {where})
            GROUP BY topic_id) c USING (topic_id)
        ORDER BY tp.sort_order, tp.topic_id""", params)
    out["countries"] = fetch_df(con, f"""
        SELECT a.primary_country AS code, count(*) AS n FROM {VIEW_TABLE} a
        WHERE {where} AND a.primary_country IS NOT NULL
        GROUP BY 1 ORDER BY n DESC, code""", params)
    out["regions"] = fetch_df(con, f"""
        SELECT name, count(*) AS n
        FROM (SELECT unnest(a.r_any) AS name FROM {VIEW_TABLE} a WHERE {where})
        GROUP BY name ORDER BY n DESC, name LIMIT {OPTION_LIMIT}""", params)
    out["sources"] = fetch_df(con, f"""
        SELECT a.source, count(*) AS n FROM {VIEW_TABLE} a
        WHERE {where} AND a.source IS NOT NULL
        GROUP BY 1 ORDER BY n DESC, a.source""", params)
    out["languages"] = fetch_df(con, f"""
        SELECT a.language, count(*) AS n FROM {VIEW_TABLE} a
        WHERE {where} AND a.language IS NOT NULL
        GROUP BY 1 ORDER BY n DESC, a.language""", params)
    out["people"] = _with_names(con, fetch_df(con, f"""
        SELECT entity_id, count(*) AS n
        FROM (SELECT unnest(a.people) AS entity_id FROM {VIEW_TABLE} a WHERE {where})
        GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT {OPTION_LIMIT}""", params))
    return out


def _with_names(con: Con, people: pd.DataFrame) -> pd.DataFrame:
    """(entity_id, n) -> entity_id, name, kind, n: names and kinds kept per snapshot
    (queries/entities.py) instead of a join, which scanned every entity on each date change."""
    name, kind = named(con, people["entity_id"])
    people.insert(1, "name", name)
    people.insert(2, "kind", kind)
    return people


def _options_from_rollup(con: Con, scope: Filters) -> dict[str, pd.DataFrame]:
    """`options` summed from the monthly rollup (queries/rollup.py): the same frames, in the
    same order, as the scan above."""
    def counted(facet: str) -> tuple[str, list]:
        found = value_counts(con, scope, facet)
        assert found is not None
        return found

    out: dict = {}
    sql, params = counted("topics")
    out["topics"] = fetch_df(con, f"""
        SELECT tp.topic_id, tp.label, tp.color, tp.definition, coalesce(c.n, 0) AS n
        FROM topics tp LEFT JOIN (SELECT value AS topic_id, n FROM ({sql})) c USING (topic_id)
        ORDER BY tp.sort_order, tp.topic_id""", params)
    sql, params = counted("primary_country")
    out["countries"] = fetch_df(con, f"SELECT value AS code, n FROM ({sql}) ORDER BY n DESC, code", params)
    sql, params = counted("r_any")
    out["regions"] = fetch_df(con, f"SELECT value AS name, n FROM ({sql}) ORDER BY n DESC, name "
                                   f"LIMIT {OPTION_LIMIT}", params)
    sql, params = counted("source")
    out["sources"] = fetch_df(con, f"SELECT value AS source, n FROM ({sql}) ORDER BY n DESC, source", params)
    sql, params = counted("language")
    out["languages"] = fetch_df(con, f"SELECT value AS language, n FROM ({sql}) ORDER BY n DESC, language", params)
    sql, params = counted("people")
    out["people"] = _with_names(con, fetch_df(con, f"""
        SELECT value AS entity_id, n FROM ({sql}) ORDER BY n DESC, entity_id LIMIT {OPTION_LIMIT}""", params))
    return out


# field -> (SQL listing every value the snapshot has, for `known_values`)
_KNOWN_SQL = {
    "topics": "SELECT topic_id AS v FROM topics",
    "countries": f"SELECT unnest(a.c_any) AS v FROM {VIEW_TABLE} a",
    "regions": f"SELECT unnest(a.r_any) AS v FROM {VIEW_TABLE} a",
    "sources": f"SELECT a.source AS v FROM {VIEW_TABLE} a",
    "languages": f"SELECT a.language AS v FROM {VIEW_TABLE} a",
    "people": f"SELECT entity_id AS v FROM {ENTITY_TABLE}",
}


def known_values(con: Con, field: str, values: Iterable[str]) -> list[str]:
    """Those of `values` (a Filters list field's values, e.g. from a shared link) that this
    snapshot has anywhere, whatever the date range; the rest name nothing here."""
    values = list(values)
    if not values:
        return []
    sql, params = in_list("v", values)
    found = {row[0] for row in con.execute(
        f"SELECT DISTINCT v FROM ({_KNOWN_SQL[field]}) WHERE {sql}", params).fetchall()}
    return [v for v in values if v in found]


def entity_names(con: Con, entity_ids: Collection[str]) -> dict[str, str]:
    """entity_id -> display name for the given ids (those selected but not among the top options)."""
    if not entity_ids:
        return {}
    sql, vals = in_list("entity_id", entity_ids)
    return dict(con.execute(f"SELECT entity_id, name FROM {ENTITY_TABLE} WHERE {sql}", vals).fetchall())
