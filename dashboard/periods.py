"""Every rule about the time grain: which grains there are, which period a day falls in, where
a period ends, how periods are named, and how SQL and pandas spell them.

A period is a calendar day, a week starting Monday (as DuckDB's `date_trunc('week', …)`), or
a calendar month. The queries package buckets rows with `date_trunc(UNIT[grain], …)` and fills the gaps
with `index`, so both sides must agree; `start` mirrors date_trunc for that reason. Pure: no
SQL is run here and nothing is drawn.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

GRAINS = ("day", "week", "month")
# the grain's noun, which is also DuckDB's date_trunc unit: the only grain text spliced into SQL
UNIT: dict[str, str] = {"day": "day", "week": "week", "month": "month"}
FREQ: dict[str, str] = {"day": "D", "week": "W-MON", "month": "MS"}        # pandas, same periods
ADJECTIVE: dict[str, str] = {"day": "daily", "week": "weekly", "month": "monthly"}
CONTROL_LABEL: dict[str, str] = {"day": "Day", "week": "Week", "month": "Month"}


def start(d: date | pd.Timestamp, grain: str) -> pd.Timestamp:
    """The first day of the period containing `d`, as DuckDB's date_trunc computes it."""
    ts = pd.Timestamp(d).normalize()
    if grain == "week":
        return ts - pd.Timedelta(days=ts.weekday())
    if grain == "month":
        return ts.replace(day=1)
    return ts


def end(first: date, grain: str) -> date:
    """The last day of the period that begins on `first`."""
    if grain == "day":
        return first
    if grain == "week":
        return first + timedelta(days=6)
    return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)


def shift(d: date, grain: str, periods: int) -> date:
    """`d` moved by `periods` whole periods (a month shift lands on the 1st)."""
    if grain == "day":
        return d + timedelta(days=periods)
    if grain == "week":
        return d + timedelta(weeks=periods)
    month = d.year * 12 + d.month - 1 + periods
    return date(month // 12, month % 12 + 1, 1)


def index(lo: date | pd.Timestamp | None, hi: date | pd.Timestamp | None, grain: str) -> pd.DatetimeIndex:
    """Every period start from the period containing `lo` through `hi` (empty without both)."""
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return pd.DatetimeIndex([], name="period")
    return pd.date_range(start(lo, grain), pd.Timestamp(hi), freq=FREQ[grain], name="period")


def label(ts: pd.Timestamp, grain: str) -> str:
    """'Mar 2012', 'week of 5 Mar 2012', '5 Mar 2012'."""
    if grain == "month":
        return ts.strftime("%b %Y")
    if grain == "week":
        return f"week of {ts.day} {ts.strftime('%b %Y')}"
    return f"{ts.day} {ts.strftime('%b %Y')}"


def labels(periods: pd.Series, grain: str) -> np.ndarray:
    """`label` of every value of a datetime Series, vectorised (chart hovers)."""
    if grain == "month":
        return periods.dt.strftime("%b %Y").to_numpy(dtype=object)
    days = periods.dt.day.astype(str).to_numpy(dtype=object)
    rest = periods.dt.strftime(" %b %Y").to_numpy(dtype=object)
    return ("week of " if grain == "week" else "") + days + rest


def describe(grain: str) -> str:
    """'calendar weeks starting Monday', for captions."""
    return f"calendar {UNIT[grain]}s" + (" starting Monday" if grain == "week" else "")
