"""Counting a broad view from the monthly rollup (schema.sql `facet_rollup`, ROLLUP_TABLE)
instead of scanning every row of VIEW_TABLE and unnesting its lists.

A view whose only filters are a date range, the copies toggle, the place role and languages
counts the same articles per value whether it scans article_facets or sums the rollup's months
(the rollup's rows are split by language: a language filter sums only its languages' rows). `counts`
gives that sum as a relation for the queries of the other modules to aggregate, or None when
the view has any other filter, the snapshot has no rollup (a file older than schema 5), or the
range holds no whole month: the caller then scans as before. The days of a partial first or
last month are counted by a scan of those days only (rows are stored in date order, so that
reads only their row groups). tests/test_dashboard_rollup.py compares every answer with the
scan's.

A view filtered on one topic besides those (a topic picked in the sidebar or from a chart) is
summed the same way from topic_rollup (schema 8, TOPIC_ROLLUP_TABLE): the same counts split by
topic, for every facet but topics, primary_country and the "mentioned" place role's (a view of
that role scans). Several topics (an article with two of
them would count twice), or a file without the table, scan. tests/test_dashboard_topic_rollup.py
compares those answers with the scan's.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from dashboard.queries.tables import (ROLLUP_FACETS, ROLLUP_TABLE, TOPIC_ROLLUP_FACETS, TOPIC_ROLLUP_TABLE,
                                      VIEW_TABLE, Con, fetch_row, in_list)
from dashboard.queries.where import where_clause
from dashboard.state import Filters


def has_rollup(con: Con, table: str = ROLLUP_TABLE) -> bool:
    """Whether `connect` found a facet_rollup in this snapshot (and named it ROLLUP_TABLE), or
    with `table` TOPIC_ROLLUP_TABLE, a topic_rollup."""
    schema, name = table.split(".")[1:]
    return bool(fetch_row(con, "SELECT count(*) FROM duckdb_views() WHERE database_name = 'memory' "
                               "AND schema_name = ? AND view_name = ?", [schema, name])[0])


def one_topic(filters: Filters) -> str | None:
    """The topic of a view filtered on one topic and otherwise only on what the rollup splits
    by (topic_rollup answers it), else None."""
    topics = set(filters.topics)
    if len(topics) != 1 or not answerable(filters.replace(topics=())):
        return None
    return next(iter(topics))


def _source(con: Con, filters: Filters, facets: Sequence[str]) -> tuple[str, str | None] | None:
    """(rollup table, topic or None) that counts `facets` for this view, or None (scan)."""
    if answerable(filters):
        return (ROLLUP_TABLE, None) if has_rollup(con) else None
    topic = one_topic(filters)
    if topic is None or not set(facets) <= set(TOPIC_ROLLUP_FACETS) or not has_rollup(con, TOPIC_ROLLUP_TABLE):
        return None
    return TOPIC_ROLLUP_TABLE, topic


def answerable(filters: Filters) -> bool:
    """The view filters on nothing the rollup does not split by (dates, copies, role and
    languages only)."""
    return not (filters.topics or filters.countries or filters.regions or filters.sources
                or filters.people or filters.q)


def usable(con: Con, filters: Filters, facets: Sequence[str] = tuple(ROLLUP_FACETS)) -> bool:
    """Whether `counts` answers this view for `facets` (module doc; by default every facet,
    which a one-topic view's rollup does not hold)."""
    return _whole_months(filters) is not None and _source(con, filters, facets) is not None


def _whole_months(filters: Filters) -> tuple[date | None, date | None] | None:
    """(first, end) of the whole months in the range (end exclusive; None = open), or None
    when it holds no whole month."""
    lo = filters.date_from
    hi = filters.date_to + timedelta(days=1) if filters.date_to else None      # exclusive
    whole_lo = lo if lo is None or lo.day == 1 else _next_month(lo)
    whole_hi = hi if hi is None or hi.day == 1 else _month_start(hi)
    if whole_lo is not None and whole_hi is not None and whole_lo >= whole_hi:
        return None                 # no whole month: the scan reads no more than the edges would
    return whole_lo, whole_hi


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def counts(con: Con, filters: Filters, facets: Sequence[str]) -> tuple[str, list] | None:
    """`(sql, params)` of a relation (month DATE, facet, value, n) whose n, summed by facet and
    value (and month), count the view's articles per value of each article_facets column in
    `facets` (ROLLUP_FACETS; '' = all the view's articles, value NULL) — the counts a scan with
    `where_clause(filters)` and unnest gives. None when the rollup cannot answer (module doc).
    Undated articles (month NULL) are in it only when the range is open at both ends, as in
    the scan."""
    unknown = set(facets) - set(ROLLUP_FACETS)
    if unknown:
        raise ValueError(f"not in the rollup: {sorted(unknown)}")
    months = _whole_months(filters)
    found = _source(con, filters, facets) if months is not None else None
    if months is None or found is None:
        return None
    table, topic = found
    whole_lo, whole_hi = months
    lo = filters.date_from
    hi = filters.date_to + timedelta(days=1) if filters.date_to else None      # exclusive
    edges: list[tuple[date, date]] = []        # the partial months' days, [from, to)
    if lo is not None and whole_lo is not None and lo != whole_lo:
        edges.append((lo, whole_lo))
    if hi is not None and whole_hi is not None and hi != whole_hi:
        edges.append((whole_hi, hi))

    facet_sql, facet_params = in_list("r.facet", facets)
    where, params = [facet_sql], list(facet_params)
    if topic is not None:
        where.append("r.topic = ?")
        params.append(topic)
    if not filters.copies:
        where.append("r.is_primary")
    if filters.languages:
        sql, vals = in_list("r.language", filters.languages)
        where.append(sql)
        params += vals
    if whole_lo is not None:
        where.append("r.month >= ?")
        params.append(whole_lo)
    if whole_hi is not None:
        where.append("r.month < ?")
        params.append(whole_hi)
    parts = [f"SELECT r.month, r.facet, r.value, r.n FROM {table} r WHERE {' AND '.join(where)}"]
    if edges:
        days = " OR ".join(["(a.published_at >= ? AND a.published_at < ?)"] * len(edges))
        day_params: list = [d for edge in edges for d in edge]
        scope = f"({days})" + ("" if filters.copies else " AND a.is_primary")
        if filters.languages:
            sql, vals = in_list("a.language", filters.languages)
            scope += f" AND {sql}"
            day_params += vals
        if topic is not None:
            scope += " AND list_contains(a.topics, ?)"
            day_params.append(topic)
        month = "date_trunc('month', a.published_at)::DATE AS month"
        rows = []
        for facet in facets:
            if facet == "":
                rows.append(f"SELECT {month}, '' AS facet, NULL::VARCHAR AS value FROM {VIEW_TABLE} a WHERE {scope}")
            elif ROLLUP_FACETS[facet]:
                rows.append(f"SELECT {month}, '{facet}' AS facet, unnest(a.{facet}) AS value FROM {VIEW_TABLE} a WHERE {scope}")
            else:
                rows.append(f"SELECT {month}, '{facet}' AS facet, a.{facet} AS value FROM {VIEW_TABLE} a "
                            f"WHERE {scope} AND a.{facet} IS NOT NULL")
            params += day_params
        parts.append(f"SELECT month, facet, value, count(*) AS n FROM ({' UNION ALL '.join(rows)}) GROUP BY ALL")
    return " UNION ALL ".join(parts), params


def value_counts(con: Con, filters: Filters, facet: str) -> tuple[str, list] | None:
    """`(sql, params)` of (value, n): the view's articles per value of one facet, from `counts`;
    None when the rollup cannot answer."""
    found = counts(con, filters, [facet])
    if found is None:
        return None
    sql, params = found
    return f"SELECT value, sum(n)::BIGINT AS n FROM ({sql}) GROUP BY value", params


MOST = 0.5      # share of a broad view's articles above which a view is counted by what it leaves out


def broad(filters: Filters) -> Filters:
    """The view without the filters the rollup does not split by: its dates, copies, place role
    and languages only."""
    return Filters(date_from=filters.date_from, date_to=filters.date_to, copies=filters.copies,
                   role=filters.role, languages=filters.languages)


def mostly(con: Con, filters: Filters, where: str, params: list) -> Filters | None:
    """`broad(filters)` when the rollup answers it and the view (`where`, `params`: its
    where_clause) holds more than MOST of its articles, else None. Such a view is counted as
    the broad view's counts less those of the articles it leaves out (`left_out_where`): the
    broad view's articles are the view's and the left-out ones, and only those few are
    scanned (a country most stories are about)."""
    if answerable(filters):
        return None
    wide = broad(filters)
    found = counts(con, wide, [""])
    if found is None:
        return None
    total = fetch_row(con, f"SELECT coalesce(sum(n), 0) FROM ({found[0]})", found[1])[0]
    n = fetch_row(con, f"SELECT count(*) FROM {VIEW_TABLE} a WHERE {where}", params)[0]
    return wide if total and n > MOST * total else None


def left_out_where(con: Con, wide: Filters, where: str, params: list) -> tuple[str, list]:
    """(sql, params) selecting the rows of VIEW_TABLE (alias `a`) in `wide` but not in the view
    (`where`); a condition that is NULL for a row (a NULL source) leaves that row out of the view."""
    wide_where, wide_params = where_clause(wide, con=con)
    return f"({wide_where}) AND NOT coalesce(({where}), false)", wide_params + params
