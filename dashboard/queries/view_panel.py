"""The "What's in this view" panel: the leading values of each facet among the view's articles."""
from __future__ import annotations

import pandas as pd

from dashboard.queries.rollup import counts as rollup_counts
from dashboard.queries.tables import ENTITY_TABLE, ROLE_COLUMNS, VIEW_TABLE, Con, fetch_df
from dashboard.queries.where import where_clause
from dashboard.state import Filters


VIEW_TOP = 6          # values per facet in the "What's in this view" panel


def view_top(con: Con, filters: Filters, n: int = VIEW_TOP) -> pd.DataFrame:
    """The leading sources, countries, places (regions and cities) and people of the articles in
    this view (every filter), by articles: columns facet (sources | countries | regions |
    people, the Filters field a click adds to), value, name (display name: the person's, else
    the value), n. One scan, or for a view of whole months only the monthly rollup (queries/
    rollup.py); places and countries follow the place role, as the filters do.
    Values already filtered on are left out (choosing them again would change nothing)."""
    role = ROLE_COLUMNS.get(filters.role, "any")
    chosen = {"sources": filters.sources, "countries": filters.countries,
              "regions": filters.regions, "people": filters.people}
    skip = " OR ".join(f"(facet = '{field}' AND list_contains(?::VARCHAR[], value))" for field in chosen)
    columns = {"source": "sources", f"c_{role}": "countries", f"r_{role}": "regions", "people": "people"}
    summed = rollup_counts(con, filters, list(columns))
    if summed is not None:      # a broad view: summed from the monthly rollup (queries/rollup.py)
        rel, params = summed
        field = " ".join(f"WHEN '{column}' THEN '{name}'" for column, name in columns.items())
        counts = f"""SELECT CASE facet {field} END AS facet, value, sum(n)::BIGINT AS n
                     FROM ({rel}) GROUP BY ALL"""
    else:
        where, params = where_clause(filters, con=con)
        counts = f"""
            WITH v AS (SELECT a.source, a.c_{role} AS c, a.r_{role} AS r, a.people FROM {VIEW_TABLE} a WHERE {where})
            SELECT 'sources' AS facet, source AS value, count(*) AS n FROM v WHERE source IS NOT NULL GROUP BY ALL
            UNION ALL
            SELECT 'countries', value, count(*) FROM (SELECT unnest(c) AS value FROM v) GROUP BY ALL
            UNION ALL
            SELECT 'regions', value, count(*) FROM (SELECT unnest(r) AS value FROM v) GROUP BY ALL
            UNION ALL
            SELECT 'people', value, count(*) FROM (SELECT unnest(people) AS value FROM v) GROUP BY ALL"""
    return fetch_df(con, f"""
        WITH counts AS ({counts}),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY facet ORDER BY n DESC, value) AS rk
            FROM counts WHERE NOT ({skip}))
        SELECT r.facet, r.value, coalesce(e.name, r.value) AS name, r.n
        FROM ranked r LEFT JOIN {ENTITY_TABLE} e ON r.facet = 'people' AND e.entity_id = r.value
        WHERE r.rk <= ? ORDER BY r.facet, r.n DESC, r.value""",
        params + [list(v) for v in chosen.values()] + [n])
