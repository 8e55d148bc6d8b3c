"""Reported figures: people reported killed and defections (the casualties and defections
tables, schema 4), per period, by group, and the stories behind a period's figure.

Counting rule, stated in the Figures page's captions: a story's copies count once (its
duplicate cluster gives the figure of the copy stating the most), and stories published the
same day about the same place (primary region, else dateline place, else country) are one
event: the largest figure among them counts, not their sum. Killed: each story's main
event only, cumulative tolls left out. Defected: events that are news (not background); a
named person counts once (the largest report); unnamed groups are one event per day, place,
rank and destination.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import periods
from dashboard.queries.tables import SNAPSHOT, VIEW_TABLE, Con, fetch_df
from dashboard.queries.where import where_clause
from dashboard.state import Filters


FIGURE_TABLES = ("casualties", "defections")
KILLED_COLUMNS = ("killed", "civilians_killed", "children_killed", "women_killed", "combatants_killed")
DEFECTION_GROUPS = {"rank": "rank", "destination": "destination"}   # allow-list for defections_by


def has_figures(con: Con) -> bool:
    """The snapshot has the figure tables (a schema-3 file does not)."""
    found = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'",
        [SNAPSHOT]).fetchall()}
    return set(FIGURE_TABLES) <= found


def _figure_base(con: Con, filters: Filters) -> tuple[str, list]:
    where, params = where_clause(filters, con=con)
    return f"""
        f AS (SELECT a.article_id, a.published_at::DATE AS day, a.title, a.source,
                     coalesce(a.primary_region, a.dateline_place, a.primary_country) AS place
              FROM {VIEW_TABLE} a WHERE {where} AND a.published_at IS NOT NULL)""", params


def _killed_events(con: Con, filters: Filters) -> tuple[str, list]:
    """SQL (a WITH list ending in `ranked`) of every story's main casualty event with `counted`
    true for the one figure that counts per event (the counting rule: module docstring)."""
    base, params = _figure_base(con, filters)
    cols = ", ".join(f"c.{c}" for c in KILLED_COLUMNS)
    return f"""WITH {base},
        ev AS (SELECT f.*, ar.dup_cluster, {cols}, c.approximate, c.evidence
               FROM casualties c JOIN f USING (article_id) JOIN articles ar USING (article_id)
               WHERE c.is_main_event AND NOT c.is_cumulative AND c.killed IS NOT NULL),
        story AS (SELECT * EXCLUDE (rn) FROM (
                      SELECT ev.*, row_number() OVER (PARTITION BY dup_cluster
                                                      ORDER BY killed DESC, day, article_id) AS rn FROM ev)
                  WHERE rn = 1),
        ranked AS (SELECT story.*, coalesce(place, dup_cluster) AS event_place,
                          row_number() OVER (w ORDER BY killed DESC, article_id) = 1 AS counted,
                          count(*) OVER w AS n_stories
                   FROM story WINDOW w AS (PARTITION BY day, coalesce(place, dup_cluster)))""", params


def _defection_events(con: Con, filters: Filters) -> tuple[str, list]:
    """Like _killed_events for the defections table (the counting rule: module docstring)."""
    base, params = _figure_base(con, filters)
    return f"""WITH {base},
        ev AS (SELECT f.*, ar.dup_cluster, d.person, d.entity_id, d.rank, d.count, d.approximate,
                      d.destination, d.from_side, d.to_side, d.when_text, d.evidence,
                      CASE WHEN d.person IS NOT NULL THEN 'p:' || coalesce(d.entity_id, lower(d.person))
                           ELSE 'u:' || f.day || '|' || coalesce(f.place, ar.dup_cluster) || '|'
                                || coalesce(d.rank, '') || '|' || coalesce(d.destination, '') END AS event_key
               FROM defections d JOIN f USING (article_id) JOIN articles ar USING (article_id)
               WHERE NOT d.is_background AND d.count IS NOT NULL),
        ranked AS (SELECT ev.*, row_number() OVER w = 1 AS counted, count(DISTINCT dup_cluster) OVER (PARTITION BY event_key) AS n_stories
                   FROM ev WINDOW w AS (PARTITION BY event_key ORDER BY count DESC, day, article_id))""", params


def reported_killed(con: Con, filters: Filters) -> pd.DataFrame:
    """Per period: people reported killed (and of them civilians, children, women, combatants),
    events and stories counted, by the counting rule (module docstring)."""
    events, params = _killed_events(con, filters)
    grain = periods.UNIT[filters.grain]
    sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in KILLED_COLUMNS)
    return fetch_df(con, f"""{events}
        SELECT date_trunc('{grain}', day)::DATE AS period, {sums}, count(*) AS events,
               sum(n_stories)::BIGINT AS stories, bool_or(approximate) AS approximate
        FROM ranked WHERE counted GROUP BY 1 ORDER BY 1""", params)


def reported_defections(con: Con, filters: Filters) -> pd.DataFrame:
    """Per period: people reported to have defected, events and stories, by the counting rule
    (module docstring)."""
    events, params = _defection_events(con, filters)
    grain = periods.UNIT[filters.grain]
    return fetch_df(con, f"""{events}
        SELECT date_trunc('{grain}', day)::DATE AS period, sum(count)::BIGINT AS defected,
               count(*) AS events, sum(n_stories)::BIGINT AS stories, bool_or(approximate) AS approximate
        FROM ranked WHERE counted GROUP BY 1 ORDER BY 1""", params)


def defections_by(con: Con, filters: Filters, group: str) -> pd.DataFrame:
    """People reported to have defected by rank or by destination (`group`), counted as in
    reported_defections; NULL = not stated."""
    column = DEFECTION_GROUPS[group]
    events, params = _defection_events(con, filters)
    return fetch_df(con, f"""{events}
        SELECT {column} AS value, sum(count)::BIGINT AS defected, count(*) AS events
        FROM ranked WHERE counted GROUP BY 1 ORDER BY defected DESC, value NULLS LAST""", params)


def figure_evidence(con: Con, filters: Filters, kind: str, start: date, end: date) -> pd.DataFrame:
    """The stories behind one period's figure (`kind` 'killed' | 'defected', days start..end):
    each story's figure, whether it is the one counted for its event, and the sentences it
    came from (evidence: field, start, end, text)."""
    if kind == "killed":
        events, params = _killed_events(con, filters)
        cols = ", ".join(KILLED_COLUMNS)
        order = "killed DESC"
    else:
        events, params = _defection_events(con, filters)
        cols = "person, rank, count, destination, from_side, to_side, when_text"
        order = "count DESC"
    return fetch_df(con, f"""{events}
        SELECT article_id, day, title, source, place, {cols}, approximate, counted, n_stories, evidence
        FROM ranked WHERE day BETWEEN ? AND ?
        ORDER BY counted DESC, {order}, day, article_id""", params + [start, end])
