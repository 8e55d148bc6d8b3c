"""The names every statement of the package uses, and how a statement is run.

`snapshot.connect` ATTACHes the snapshot file as SNAPSHOT and names its `article_facets`,
`place_index` and `entity_index` tables VIEW_TABLE, PLACE_TABLE and ENTITY_TABLE (views in the
in-memory database the dashboard owns); ROLE_COLUMNS maps a place role to the suffix of the
facet columns that hold it. These names and the allow-lists of the other modules are the only
identifiers spliced into SQL text; values go in as bound parameters (`in_list`).
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

Con = duckdb.DuckDBPyConnection

SNAPSHOT = "snap"                           # the attached database file (read-only)
VIEW_TABLE = "memory.main.dash_articles"    # the snapshot's article_facets (package docstring)
PLACE_TABLE = "memory.main.dash_places"     # its place_index: region/city place_id with coordinates
ENTITY_TABLE = "memory.main.dash_entities"  # its entity_index: entity_id -> display name and kind
# the names above -> the snapshot table each one reads (schema.sql)
FACET_TABLES = {VIEW_TABLE: "article_facets", PLACE_TABLE: "place_index", ENTITY_TABLE: "entity_index"}
ROLE_COLUMNS = {"any": "any", "dateline": "dl", "mentioned": "mn"}
# the snapshot's facet_rollup (schema 5; absent from older files: the view is then not created)
ROLLUP_TABLE = "memory.main.dash_rollup"
# its facets: the article_facets columns it counts ('' = all articles) -> whether a list
ROLLUP_FACETS = {"": False, "source": False, "primary_country": False, "language": False, "topics": True,
                 "c_any": True, "c_dl": True, "c_mn": True, "r_any": True, "r_dl": True, "r_mn": True,
                 "p_any": True, "p_dl": True, "p_mn": True, "people": True}
# the snapshot's topic_rollup (schema 8; absent from older files: the view is then not created):
# the same counts split by topic, for these facets (not the "mentioned" place role's)
TOPIC_ROLLUP_TABLE = "memory.main.dash_topic_rollup"
TOPIC_ROLLUP_FACETS = {facet: is_list for facet, is_list in ROLLUP_FACETS.items()
                       if facet not in ("topics", "primary_country", "c_mn", "r_mn", "p_mn")}


def in_list(column: str, values: Iterable[object]) -> tuple[str, list]:
    """`column IN (?, ?, ...)` with one bound parameter per value."""
    values = list(values)
    return f"{column} IN ({', '.join('?' * len(values))})", values


def fetch_df(con: Con, sql: str, params: list | None = None) -> pd.DataFrame:
    """The statement's result as a DataFrame."""
    return con.execute(sql, params or []).df()


def fetch_row(con: Con, sql: str, params: list | None = None) -> tuple:
    """The one row of an aggregate statement (one without GROUP BY always has one)."""
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row
