"""The "What's in this view" panel: the leading values of each facet among the view's articles."""
from __future__ import annotations

import pandas as pd

from dashboard.queries.rollup import left_out_where, mostly, value_counts
from dashboard.queries.rollup import usable as rollup_usable
from dashboard.queries.entities import named
from dashboard.queries.tables import ROLE_COLUMNS, VIEW_TABLE, Con, fetch_df
from dashboard.queries.where import where_clause
from dashboard.state import Filters


VIEW_TOP = 6          # values per facet in the "What's in this view" panel


def view_top(con: Con, filters: Filters, n: int = VIEW_TOP) -> pd.DataFrame:
    """The leading sources, countries, places (regions and cities), people and languages of the
    articles in this view (every filter), by articles: columns facet (sources | countries |
    regions | people | languages, the Filters field a click adds to), value, name (display
    name: the person's, else the value), n. One scan, or for a view of whole months only (and at
    most one topic) the monthly rollups (queries/rollup.py), or for one that keeps most of such a view's articles
    (a country most stories are about) the rollup less a scan of the articles it leaves out;
    places and countries follow the place role, as the filters do.
    Values already filtered on are left out (choosing them again would change nothing)."""
    role = ROLE_COLUMNS.get(filters.role, "any")
    columns = {"source": "sources", f"c_{role}": "countries", f"r_{role}": "regions", "people": "people",
               "language": "languages"}
    if rollup_usable(con, filters, list(columns)):
        return _view_top_from_rollup(con, filters, columns, n)
    chosen = {"sources": filters.sources, "countries": filters.countries,
              "regions": filters.regions, "people": filters.people, "languages": filters.languages}
    skip = " OR ".join(f"(facet = '{field}' AND list_contains(?::VARCHAR[], value))" for field in chosen)
    skip_params = [list(v) for v in chosen.values()]
    where, params = where_clause(filters, con=con)
    counts = _COUNTS.format(rows=f"SELECT a.source, a.c_{role} AS c, a.r_{role} AS r, a.people, a.language "
                                 f"FROM {VIEW_TABLE} a WHERE {where}")
    wide = mostly(con, filters, where, params)
    if wide is not None:
        # its counts are the broad view's, from the monthly rollup, less those of the few
        # articles it leaves out (rollup.mostly), so only those are unnested
        out_where, out_params = left_out_where(con, wide, where, params)
        left_out = _COUNTS.format(rows=f"SELECT a.source, a.c_{role} AS c, a.r_{role} AS r, a.people, a.language "
                                       f"FROM {VIEW_TABLE} a WHERE {out_where}")
        base, base_params = [], []
        for column, field in columns.items():
            found = value_counts(con, wide, column)
            assert found is not None
            base.append(f"SELECT '{field}' AS facet, value, n FROM ({found[0]})")
            base_params += found[1]
        counts = f"""
            WITH o AS ({left_out}),
            b AS ({" UNION ALL ".join(base)})
            SELECT b.facet, b.value, b.n - coalesce(o.n, 0) AS n
            FROM b LEFT JOIN o USING (facet, value)
            WHERE b.n - coalesce(o.n, 0) > 0"""
        params = out_params + base_params
    # each facet's first n + (values chosen) by count hold its n leaders once the chosen are
    # left out: a top-k per facet, then the chosen dropped and ranked, instead of testing and
    # ranking every person's count (tens of thousands in a year at 1 M)
    leaders = " UNION ALL ".join(f"(SELECT * FROM counts WHERE facet = '{field}' ORDER BY n DESC, value LIMIT ?)"
                                 for field in chosen)
    return _with_names(con, fetch_df(con, f"""
        WITH counts AS MATERIALIZED ({counts}),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY facet ORDER BY n DESC, value) AS rk
            FROM ({leaders}) WHERE NOT ({skip}))
        SELECT r.facet, r.value, r.n FROM ranked r
        WHERE r.rk <= ? ORDER BY r.facet, r.n DESC, r.value""",
        params + [n + len(v) for v in chosen.values()] + skip_params + [n]))


def _with_names(con: Con, top: pd.DataFrame) -> pd.DataFrame:
    """`top` (facet, value, n) with each value's display name after its value: a person's
    name (queries/entities.py: kept per snapshot rather than joined, which scanned every
    entity), else the value itself."""
    name, _ = named(con, top["value"], top["facet"] == "people")
    top.insert(2, "name", name)
    return top


# each facet's values counted over `rows` (source, c, r, people, language: one article a row)
_COUNTS = """
    WITH v AS ({rows})
    SELECT 'sources' AS facet, source AS value, count(*) AS n FROM v WHERE source IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'countries', value, count(*) FROM (SELECT unnest(c) AS value FROM v) GROUP BY ALL
    UNION ALL
    SELECT 'regions', value, count(*) FROM (SELECT unnest(r) AS value FROM v) GROUP BY ALL
    UNION ALL
    SELECT 'people', value, count(*) FROM (SELECT unnest(people) AS value FROM v) GROUP BY ALL
    UNION ALL
    SELECT 'languages', language, count(*) FROM v WHERE language IS NOT NULL GROUP BY ALL"""
def _view_top_from_rollup(con: Con, filters: Filters, columns: dict[str, str], n: int) -> pd.DataFrame:
    """`view_top` of a view the monthly rollups answer (queries/rollup.py): no value of these
    facets but a language is filtered on (a topic is not one of them), so only the chosen
    languages are left out; each facet's leading
    values by a top-n of its sums (a window over every person's sum cost more than summing them)."""
    parts, params = [], []
    for column, field in columns.items():
        found = value_counts(con, filters, column)
        assert found is not None
        sql, vals = found
        skip = "WHERE NOT list_contains(?::VARCHAR[], value)" if field == "languages" else ""
        parts.append(f"(SELECT '{field}' AS facet, value, n FROM ({sql}) {skip} ORDER BY n DESC, value LIMIT ?)")
        params += vals + ([list(filters.languages)] if skip else []) + [n]
    return _with_names(con, fetch_df(con, f"""
        SELECT r.facet, r.value, r.n FROM ({" UNION ALL ".join(parts)}) r
        ORDER BY r.facet, r.n DESC, r.value""", params))
