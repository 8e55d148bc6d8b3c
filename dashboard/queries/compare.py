"""The Compare page's statement (compare_trend): every series' articles per period, and each series' share
base, from one scan of the view table over the date range.

Each series' WHERE clause comes from `queries.where_clause` (the same rules as every other
chart: place roles, copies, the keyword through the search index), split in two: the base (the
series' filters without keyword and topics: the share's denominator) and what the series counts
on top of it (its topics and keyword). Both become `count(*) FILTER (WHERE …)` columns of one
GROUP BY, so three series cost one pass over the range rather than three. Values are bound;
the only identifiers spliced in are the grain unit (periods.UNIT) and column names made here.

Languages are a column of the view table like the source, so a series' languages are part of
its base (`where_clause`).
"""
from __future__ import annotations

import pandas as pd

from dashboard import periods
from dashboard.compare import Series
from dashboard.queries.keyword import keyword_clause
from dashboard.queries.tables import VIEW_TABLE, Con, fetch_df
from dashboard.queries.where import _any_of, where_clause
from dashboard.state import Filters


def compare_trend(con: Con, view: Filters, series: tuple[Series, ...]) -> pd.DataFrame:
    """One row per (period, series), zero-filled over the view's periods.

    Columns: period, series (its position), n (the series' articles), total (its base: articles
    matching its filters without keyword and topics), value (n, or 100·n/total for the share
    metric), smoothed (rolling mean of value over `view.smooth` periods; = value when off).
    """
    cols = ["period", "series", "n", "total", "value", "smoothed"]
    if not series:
        return pd.DataFrame(columns=cols)
    grain = periods.UNIT[view.grain]
    # series with the same base share one total column
    base_cols: dict[str, tuple[int, list]] = {}
    counts, count_params, totals_of = [], [], []
    for i, s in enumerate(series):
        f = s.filters(view)
        base, b_params = where_clause(f.replace(q="", topics=()), dates=False)
        key = base + "\0" + repr(b_params)
        if key not in base_cols:
            base_cols[key] = (len(base_cols), b_params)
            counts.append(f"count(*) FILTER (WHERE {base}) AS total_{base_cols[key][0]}")
            count_params += b_params
        totals_of.append(base_cols[key][0])
        what, w_params = [f"({base})"], list(b_params)
        if f.topics:
            sql, vals = _any_of("a.topics", f.topics)
            what.append(sql)
            w_params += vals
        kw_sql, kw_params = keyword_clause(f, con)
        if kw_sql:
            what.append(kw_sql)
            w_params += kw_params
        counts.append(f"count(*) FILTER (WHERE {' AND '.join(what)}) AS n_{i}")
        count_params += w_params
    dates, date_params = where_clause(Filters(date_from=view.date_from, date_to=view.date_to, copies=True))
    # no "base 1 OR base 2 …" in the WHERE: it would evaluate every list filter once more per
    # row, which costs more than the rows it saves from the aggregate
    wide = fetch_df(con, f"""
        SELECT date_trunc('{grain}', a.published_at)::DATE AS period, {', '.join(counts)}
        FROM {VIEW_TABLE} a
        WHERE {dates} AND a.published_at IS NOT NULL
        GROUP BY 1 ORDER BY 1""", count_params + date_params)
    wide["period"] = pd.to_datetime(wide["period"])
    lo = view.date_from or (wide["period"].min() if len(wide) else None)
    hi = view.date_to or (wide["period"].max() if len(wide) else None)
    index = periods.index(lo, hi, view.grain)
    wide = wide.set_index("period").reindex(index).fillna(0)
    parts = []
    for i in range(len(series)):
        part = pd.DataFrame({"period": index, "series": i,
                             "n": wide[f"n_{i}"].astype("int64").to_numpy(),
                             "total": wide[f"total_{totals_of[i]}"].astype("int64").to_numpy()})
        if view.metric == "share":
            part["value"] = (100.0 * part["n"] / part["total"].where(part["total"] > 0)).fillna(0.0)
        else:
            part["value"] = part["n"].astype("float64")
        part["smoothed"] = (part["value"].rolling(view.smooth, min_periods=1).mean()
                            if view.smooth > 1 else part["value"])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[cols]

