"""The Trends page's numbers: topics per period (count or share, smoothed), surges, and the
headline (articles in range against the previous period)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

import numpy as np
import pandas as pd

from dashboard import periods
from dashboard.queries.rollup import counts as rollup_counts
from dashboard.queries.rollup import left_out_where, mostly
from dashboard.queries.tables import VIEW_TABLE, Con, fetch_df, fetch_row
from dashboard.queries.where import where_clause
from dashboard.state import Filters


DEFAULT_TOPIC_LINES = 5
SPIKE_WINDOW = 8          # trailing periods that make the baseline
SPIKE_MIN_HISTORY = 4     # periods of history needed before a spike can be called
SPIKE_MIN_COUNT = 5       # a spike has at least this many articles
SPIKE_SIGMAS = 2.0


class Headline(TypedDict):
    """The headline numbers of a view (`headline`); prev_* are None without a date range."""
    n: int
    prev_n: int | None
    change_pct: float | None
    sources: int
    date_from: date | None
    date_to: date | None
    prev_from: date | None
    prev_to: date | None


def _period_counts(con: Con, filters: Filters, *, extra_history: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per period: articles per topic (all topics) and all articles, under every filter but topics.

    One scan of the filtered articles feeds both, so the share metric's denominator is exact.
    Monthly counts of a view of whole months with no other filter but topics (dropped here) are
    summed from the monthly rollup instead (queries/rollup.py).
    """
    grain = periods.UNIT[filters.grain]
    scope = filters
    if extra_history and filters.date_from:
        scope = filters.replace(date_from=periods.shift(filters.date_from, filters.grain, -extra_history))
    summed = rollup_counts(con, scope.replace(topics=()), ["topics", ""]) if grain == "month" else None
    if summed is not None:
        rel, params = summed
        rows = fetch_df(con, f"""
            SELECT month AS period, value AS topic_id, sum(n)::BIGINT AS n
            FROM ({rel}) WHERE month IS NOT NULL GROUP BY month, facet, value""", params)
        return _split_totals(rows)
    where, params = where_clause(scope, topics=False, con=con)
    wide = mostly(con, scope.replace(topics=()), where, params) if grain == "month" else None
    if wide is not None:
        # most of the broad view's articles: its monthly counts from the rollup, less those
        # of the articles the view leaves out (rollup.mostly), the only ones scanned
        whole = rollup_counts(con, wide, ["topics", ""])
        assert whole is not None
        out_where, out_params = left_out_where(con, wide, where, params)
        rows = fetch_df(con, f"""
            WITH whole AS (SELECT month AS period, value AS topic_id, sum(n)::BIGINT AS n
                           FROM ({whole[0]}) WHERE month IS NOT NULL GROUP BY month, facet, value),
            out AS ({_PERIOD_COUNTS.format(grain=grain, where=out_where)})
            SELECT w.period, w.topic_id, w.n - coalesce(o.n, 0) AS n
            FROM whole w LEFT JOIN out o ON o.period = w.period AND o.topic_id IS NOT DISTINCT FROM w.topic_id
            WHERE w.n - coalesce(o.n, 0) > 0""", whole[1] + out_params)
        return _split_totals(rows)
    rows = fetch_df(con, _PERIOD_COUNTS.format(grain=grain, where=where), params)
    return _split_totals(rows)


# articles per period and topic (topic_id NULL: all the period's articles) of the rows `where`
# selects; `grain` from periods.UNIT
_PERIOD_COUNTS = """
    WITH base AS (
        SELECT date_trunc('{grain}', a.published_at)::DATE AS period, a.topics
        FROM """ + VIEW_TABLE + """ a WHERE {where} AND a.published_at IS NOT NULL)
    SELECT period, topic_id, count(*) AS n
    FROM (SELECT period, unnest(topics) AS topic_id FROM base)
    GROUP BY ALL
    UNION ALL
    SELECT period, NULL AS topic_id, count(*) AS n FROM base GROUP BY period"""


def _split_totals(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(period, topic_id, n) rows, the period totals having topic_id NULL -> (counts, totals)."""
    rows["period"] = pd.to_datetime(rows["period"])
    totals = rows[rows["topic_id"].isna()][["period", "n"]].rename(columns={"n": "total"})
    counts = rows[rows["topic_id"].notna()].reset_index(drop=True)
    return counts, totals.reset_index(drop=True)


def _period_index(filters: Filters, totals: pd.DataFrame, start: date | None = None) -> pd.DatetimeIndex:
    """The chart's periods: the date range, or where it is open the data's first/last period."""
    lo = start or filters.date_from or (totals["period"].min() if len(totals) else None)
    hi = filters.date_to or (totals["period"].max() if len(totals) else None)
    return periods.index(lo, hi, filters.grain)


def _grid(counts: pd.DataFrame, totals: pd.DataFrame, index: pd.DatetimeIndex,
          topic_ids: list[str]) -> pd.DataFrame:
    """Zero-filled (period x topic) table with counts and period totals, period-major: one
    row per period and topic in `topic_ids`' order. Filled with numpy by position (a pandas
    pivot, stack and map cost ~100 ms per call at a million articles; docs/figures.md)."""
    if not topic_ids:       # typed as pandas' stack of no columns typed it
        return pd.DataFrame({"period": index[:0], "topic_id": pd.Series([], dtype=object),
                             "n": np.zeros(0), "total": np.zeros(0, dtype="int64")})
    wide = _wide(counts, index, topic_ids)
    total: np.ndarray = np.zeros(len(index), dtype="int64")
    at = index.get_indexer(totals["period"])
    np.add.at(total, at[at >= 0], totals["total"].to_numpy(dtype="int64")[at >= 0])
    return pd.DataFrame({"period": index.repeat(len(topic_ids)),
                         "topic_id": pd.Series(np.tile(np.asarray(topic_ids, dtype=object), len(index)),
                                               dtype="str"),
                         "n": wide.ravel(),
                         "total": total.repeat(len(topic_ids))})


def _wide(counts: pd.DataFrame, index: pd.DatetimeIndex, topic_ids: list[str]) -> np.ndarray:
    """(periods x topics) int64 matrix of `counts` summed per cell; rows and columns outside
    `index` / `topic_ids` dropped (a topic listed twice gets its counts in both columns)."""
    out: np.ndarray = np.zeros((len(index), len(topic_ids)), dtype="int64")
    rows = index.get_indexer(counts["period"])
    n = counts["n"].to_numpy(dtype="int64")
    topic = counts["topic_id"].to_numpy(dtype=object)
    for col, topic_id in enumerate(topic_ids):
        hit = (topic == topic_id) & (rows >= 0)
        np.add.at(out[:, col], rows[hit], n[hit])
    return out


def topic_trend(con: Con, filters: Filters) -> pd.DataFrame:
    """One row per (period, topic) for the topics on the chart, zero-filled.

    Columns: period, topic_id, n (articles tagged), total (all articles matching the other
    filters), value (n, or 100·n/total for the share metric), smoothed (rolling mean of value
    over `filters.smooth` periods; equal to value when smoothing is off).
    Lines: the selected topics, else the DEFAULT_TOPIC_LINES most frequent in range.
    """
    return _trend_from(*_period_counts(con, filters), filters)


def _trend_from(counts: pd.DataFrame, totals: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    if filters.date_from:   # counts may reach back before the range (see trend_and_spikes)
        counts = counts[counts["period"] >= periods.start(filters.date_from, filters.grain)]
    if filters.topics:
        topic_ids = list(filters.topics)
    else:
        top = counts.groupby("topic_id")["n"].sum().sort_values(ascending=False, kind="stable")
        topic_ids = list(top.index[:DEFAULT_TOPIC_LINES])
    index = _period_index(filters, totals)
    out = _grid(counts, totals, index, topic_ids)
    if filters.metric == "share":
        out["value"] = (100.0 * out["n"] / out["total"].where(out["total"] > 0)).fillna(0.0)
    else:
        out["value"] = out["n"].astype("float64")
    if filters.smooth > 1 and len(topic_ids):
        # every topic's rolling mean at once: the rows are period-major, so the values reshape
        # to a (period x topic) frame whose columns pandas rolls as it rolled each topic alone
        wide = pd.DataFrame(out["value"].to_numpy().reshape(len(index), len(topic_ids)))
        out["smoothed"] = wide.rolling(filters.smooth, min_periods=1).mean().to_numpy().ravel()
    else:
        out["smoothed"] = out["value"]
    return out


def spikes(con: Con, filters: Filters) -> pd.DataFrame:
    """Periods where a topic surged: count above mean + 2·sd of the previous 8 periods.

    A spike also needs at least SPIKE_MIN_COUNT articles and SPIKE_MIN_HISTORY earlier periods.
    Covers the selected topics (every topic when none is selected) under the other filters;
    the baseline may reach back before the date range. Columns: topic_id, period, n,
    baseline, ratio (n / baseline), sorted by ratio, largest first.
    """
    return _spikes_from(*_period_counts(con, filters, extra_history=SPIKE_WINDOW), filters)


def trend_and_spikes(con: Con, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(topic_trend, spikes) of the view from one scan where that gives the same answers: the
    spikes' scan reaches SPIKE_WINDOW periods back, and when the range starts on a period's
    first day (no date, a year, a month) the periods from there on hold exactly the trend's
    counts. Otherwise (a period cut by the range's start) the two scans run as before."""
    if filters.date_from and periods.start(filters.date_from, filters.grain) != pd.Timestamp(filters.date_from):
        return topic_trend(con, filters), spikes(con, filters)
    counts, totals = _period_counts(con, filters, extra_history=SPIKE_WINDOW)
    return _trend_from(counts, totals, filters), _spikes_from(counts, totals, filters)


def _spikes_from(counts: pd.DataFrame, totals: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    if filters.topics:   # "in this view": the page lists and counts only the chosen topics
        counts = counts[counts["topic_id"].isin(filters.topics)]
    start = periods.shift(filters.date_from, filters.grain, -SPIKE_WINDOW) if filters.date_from else None
    index = _period_index(filters, totals, start=start)
    cols = ["topic_id", "period", "n", "baseline", "ratio"]
    if counts.empty or len(index) == 0:
        return pd.DataFrame(columns=cols)
    topic_ids = sorted(counts["topic_id"].unique())
    # (period x topic) counts; each column rolled as the topic's own series of the periods before
    wide = _wide(counts, index, topic_ids)
    prev = pd.DataFrame(wide).shift(1).rolling(SPIKE_WINDOW, min_periods=SPIKE_MIN_HISTORY)
    baseline, sd = prev.mean().to_numpy(), prev.std(ddof=0).to_numpy()
    with np.errstate(invalid="ignore"):
        hit = ~np.isnan(baseline) & (wide >= SPIKE_MIN_COUNT) & (wide > baseline + SPIKE_SIGMAS * sd)
    if filters.date_from:
        hit &= (index >= periods.start(filters.date_from, filters.grain))[:, None]
    # topic-major, period-minor, as the rows were before sorting by ratio (ties keep that order)
    at_topic, at_period = np.nonzero(hit.T)
    out = pd.DataFrame({"topic_id": pd.Series(np.asarray(topic_ids, dtype=object)[at_topic],
                                              dtype="str"),
                        "period": index[at_period], "n": wide[at_period, at_topic],
                        "baseline": baseline[at_period, at_topic]})
    out["ratio"] = out["n"] / out["baseline"].clip(lower=1.0)
    return out[cols].sort_values(["ratio", "period"], ascending=[False, True]).reset_index(drop=True)


def headline(con: Con, filters: Filters) -> Headline:
    """Articles in range, the previous period of equal length, and the change between them.

    Without a date range the range is the data's own first to last date, undated articles are
    counted too, and there is no previous period. A broad view whose range and previous period
    each hold a whole month is counted from the monthly rollup (queries/rollup.py).
    """
    where, params = where_clause(filters, dates=False, con=con)
    lo, hi = filters.date_from, filters.date_to
    if lo is not None and hi is not None:
        length = (hi - lo).days + 1
        prev_lo, prev_hi = lo - timedelta(days=length), lo - timedelta(days=1)
        now = rollup_counts(con, filters, ["", "source"])
        before = rollup_counts(con, filters.replace(date_from=prev_lo, date_to=prev_hi), [""])
        if now is not None and before is not None:      # both ranges hold whole months (rollup.py)
            n, prev_n, sources = fetch_row(con, f"""
                SELECT coalesce((SELECT sum(n) FROM ({now[0]}) WHERE facet = ''), 0)::BIGINT,
                       coalesce((SELECT sum(n) FROM ({before[0]})), 0)::BIGINT,
                       (SELECT count(DISTINCT value) FROM ({now[0]}) WHERE facet = 'source')""",
                now[1] + before[1] + now[1])
        else:
            n, prev_n, sources = fetch_row(con, f"""
                SELECT count(*) FILTER (WHERE a.published_at >= ?),
                       count(*) FILTER (WHERE a.published_at < ?),
                       count(DISTINCT a.source) FILTER (WHERE a.published_at >= ?)
                FROM {VIEW_TABLE} a WHERE {where} AND a.published_at >= ? AND a.published_at < ?""",
                [lo, lo, lo] + params + [prev_lo, hi + timedelta(days=1)])
        change = 100.0 * (n - prev_n) / prev_n if prev_n else None
        return {"n": n, "prev_n": prev_n, "change_pct": change, "sources": sources,
                "date_from": lo, "date_to": hi, "prev_from": prev_lo, "prev_to": prev_hi}
    range_sql, range_params = where_clause(filters, con=con)
    n, sources, dmin, dmax = fetch_row(con, f"""
        SELECT count(*), count(DISTINCT a.source), min(a.published_at)::DATE, max(a.published_at)::DATE
        FROM {VIEW_TABLE} a WHERE {range_sql}""", range_params)
    return {"n": n, "prev_n": None, "change_pct": None, "sources": sources,
            "date_from": lo or dmin, "date_to": hi or dmax, "prev_from": None, "prev_to": None}
