"""The map's counts: articles per country and per region or city (with coordinates), by the
view's place role."""
from __future__ import annotations

import pandas as pd

from dashboard.queries.rollup import value_counts
from dashboard.queries.tables import PLACE_TABLE, ROLE_COLUMNS, VIEW_TABLE, Con, fetch_df
from dashboard.queries.where import where_clause
from dashboard.state import Filters


def country_counts(con: Con, filters: Filters) -> pd.DataFrame:
    """Filtered articles per country (code, n) by place role: dateline, mentioned, or any
    (the story's primary country or any place in it). Summed from the monthly rollup for a
    view of whole months only (queries/rollup.py)."""
    summed = value_counts(con, filters, f"c_{ROLE_COLUMNS.get(filters.role, 'any')}")
    if summed is not None:
        sql, params = summed
        return fetch_df(con, f"SELECT value AS code, n FROM ({sql}) ORDER BY n DESC, code", params)
    where, params = where_clause(filters, con=con)
    column = f"a.c_{ROLE_COLUMNS.get(filters.role, 'any')}"
    return fetch_df(con, f"""
        SELECT code, count(*) AS n
        FROM (SELECT unnest({column}) AS code FROM {VIEW_TABLE} a WHERE {where})
        GROUP BY code ORDER BY n DESC, code""", params)


def place_counts(con: Con, filters: Filters) -> pd.DataFrame:
    """Regions and cities of the filtered articles with coordinates and article counts (the
    500 leading ones). Summed from the monthly rollup for a view of whole months only."""
    summed = value_counts(con, filters, f"p_{ROLE_COLUMNS.get(filters.role, 'any')}")
    if summed is not None:
        counted, params = summed
        counted = f"SELECT value AS place_id, n FROM ({counted})"
    else:
        where, params = where_clause(filters, con=con)
        column = f"a.p_{ROLE_COLUMNS.get(filters.role, 'any')}"
        counted = f"""SELECT place_id, count(*) AS n
                      FROM (SELECT unnest({column}) AS place_id FROM {VIEW_TABLE} a WHERE {where})
                      GROUP BY place_id"""
    return fetch_df(con, f"""
        SELECT g.place_id, g.name, g.kind, g.country_code, g.region, g.lat, g.lon, c.n
        FROM ({counted} ORDER BY n DESC, place_id LIMIT 500) c
        JOIN {PLACE_TABLE} g USING (place_id)
        ORDER BY c.n DESC, g.name""", params)
