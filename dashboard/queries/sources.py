"""Sources over time: the leading outlets' articles per period, with the archive's gaps."""
from __future__ import annotations

import math

import pandas as pd

from dashboard import periods
from dashboard.queries.rollup import counts as rollup_counts
from dashboard.queries.tables import VIEW_TABLE, Con, fetch_df, fetch_row
from dashboard.queries.where import where_clause
from dashboard.state import Filters


LEADING_SOURCES = 8
GAP_CHANCE = 0.01     # a run of empty periods is a gap when the outlet's own rate gives it less chance


def source_volume(con: Con, filters: Filters, n: int = LEADING_SOURCES) -> pd.DataFrame:
    """The leading outlets' articles per period, zero-filled, with the archive's gaps marked.

    Columns: period, source, n (its articles in the view: every filter), total (n summed over
    the chart, the outlet's rank), n_source (its articles in the archive that period: dates and
    copies only, no content filter), n_archive (every outlet's, the same way), gap.
    Leading outlets: the `n` with most articles in the view (the chosen sources, when any).

    A gap is a hole in the archive, not a quiet news period, so it is judged on the archive,
    whatever the topic, place or keyword filters: a run of periods in which the outlet has no
    article, strictly between its first and last period in range, while other outlets have
    articles, and long enough that the outlet's own rate (its articles over its periods) makes
    so many empty periods in a row unlikely: rate × run length ≥ ln(1 / GAP_CHANCE), the run's
    periods in which no outlet has articles neither counting nor breaking it. Without
    that last rule every empty month of a small outlet would count (a 30-a-year outlet has
    several by chance).
    """
    grain = periods.UNIT[filters.grain]
    view, view_params = where_clause(filters, con=con)
    archive_filters = Filters(date_from=filters.date_from, date_to=filters.date_to, copies=filters.copies)
    archive, archive_params = where_clause(archive_filters)
    bounds = fetch_row(con, f"""SELECT min(a.published_at), max(a.published_at) FROM {VIEW_TABLE} a
                           WHERE {archive} AND a.published_at IS NOT NULL""", archive_params)
    index = periods.index(filters.date_from or bounds[0], filters.date_to or bounds[1], filters.grain)
    summed = rollup_counts(con, archive_filters, ["source"]) if grain == "month" else None
    # the view's own counts too when the rollup answers it (a broad or one-topic view)
    in_view = rollup_counts(con, filters, ["source"]) if summed is not None else None
    if summed is not None and in_view is not None:
        viewed_sql = f"""
        viewed AS (
            SELECT month AS period, value AS source, sum(n)::BIGINT AS n
            FROM ({in_view[0]}) WHERE month IS NOT NULL AND value IS NOT NULL GROUP BY ALL),"""
        viewed_params = in_view[1]
    else:
        viewed_sql = f"""
        viewed AS (
            SELECT date_trunc('{grain}', a.published_at)::DATE AS period, a.source, count(*) AS n
            FROM {VIEW_TABLE} a
            WHERE ({view}) AND {archive} AND a.published_at IS NOT NULL AND a.source IS NOT NULL
            GROUP BY ALL),"""
        viewed_params = view_params + archive_params
    if summed is not None:
        # the archive's monthly counts per outlet from the rollup (queries/rollup.py), so the
        # scan counts only the view's own articles: with a keyword or a place filter, a few
        # per cent of the range, where it used to group every article in range
        counts_sql = f"""
        archived AS (
            SELECT month AS period, value AS source, sum(n)::BIGINT AS n_source
            FROM ({summed[0]}) WHERE month IS NOT NULL AND value IS NOT NULL GROUP BY ALL),{viewed_sql}
        counts AS (
            SELECT r.period, r.source, coalesce(v.n, 0) AS n, r.n_source
            FROM archived r LEFT JOIN viewed v ON v.period = r.period AND v.source = r.source),"""
        counts_params = summed[1] + viewed_params
    else:
        counts_sql = f"""
        base AS (
            SELECT date_trunc('{grain}', a.published_at)::DATE AS period, a.source, ({view}) AS in_view
            FROM {VIEW_TABLE} a
            WHERE {archive} AND a.published_at IS NOT NULL AND a.source IS NOT NULL),
        counts AS (
            SELECT period, source, count(*) FILTER (WHERE in_view) AS n, count(*) AS n_source
            FROM base GROUP BY ALL),"""
        counts_params = view_params + archive_params
    out = fetch_df(con, f"""
        WITH {counts_sql}
        top_sources AS (
            SELECT source, sum(n)::BIGINT AS total FROM counts GROUP BY source HAVING sum(n) > 0
            ORDER BY total DESC, source LIMIT ?),
        span AS (
            SELECT source, min(period) AS first, max(period) AS last, sum(n_source) AS n_all
            FROM counts GROUP BY source),
        archive AS (SELECT period, sum(n_source)::BIGINT AS n_archive FROM counts GROUP BY period),
        grid AS (
            SELECT p.period, l.source, l.total, coalesce(c.n, 0) AS n,
                   coalesce(c.n_source, 0) AS n_source, coalesce(ar.n_archive, 0) AS n_archive,
                   s.n_all / (date_diff('{grain}', s.first, s.last) + 1) AS rate,
                   coalesce(c.n_source, 0) = 0 AND p.period > s.first AND p.period < s.last AS empty
            FROM (SELECT unnest(?::DATE[]) AS period) p CROSS JOIN top_sources l
            JOIN span s ON s.source = l.source
            LEFT JOIN counts c ON c.period = p.period AND c.source = l.source
            LEFT JOIN archive ar ON ar.period = p.period),
        runs AS (
            SELECT *, row_number() OVER (PARTITION BY source ORDER BY period)
                      - row_number() OVER (PARTITION BY source, empty ORDER BY period) AS run
            FROM grid)
        SELECT period, source, total, n, n_source, n_archive,
               empty AND n_archive > 0
                   AND rate * count(*) FILTER (WHERE n_archive > 0) OVER (PARTITION BY source, empty, run) >= ?
                   AS gap
        FROM runs ORDER BY total DESC, source, period""",
        counts_params + [n, [d.date() for d in index], math.log(1 / GAP_CHANCE)])
    out["period"] = pd.to_datetime(out["period"])
    return out
