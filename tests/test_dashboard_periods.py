"""dashboard/periods.py: the grain rules agree with DuckDB's date_trunc, which buckets the rows."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from dashboard import periods

DAYS = [date(2011, 12, 20) + timedelta(days=i) for i in range(0, 800, 3)]   # across years and leap day


@pytest.mark.parametrize("grain", periods.GRAINS)
def test_a_day_falls_in_the_period_duckdb_puts_it_in(grain):
    con = duckdb.connect()
    truncated = con.execute(f"SELECT d, date_trunc('{periods.UNIT[grain]}', d)::DATE FROM unnest(?::DATE[]) t(d)",
                            [DAYS]).fetchall()
    for day, first in truncated:
        assert periods.start(day, grain).date() == first, (grain, day)
        assert first <= day <= periods.end(first, grain), (grain, day)


@pytest.mark.parametrize("grain", periods.GRAINS)
def test_periods_follow_each_other_without_gaps(grain):
    index = periods.index(date(2012, 1, 15), date(2013, 3, 2), grain)
    assert index[0] == periods.start(date(2012, 1, 15), grain)
    for first, following in zip(index[:-1], index[1:]):
        assert periods.end(first.date(), grain) + timedelta(days=1) == following.date()
        assert periods.shift(first.date(), grain, 1) == following.date()
    assert index[-1] <= pd.Timestamp(date(2013, 3, 2)) <= pd.Timestamp(periods.end(index[-1].date(), grain))


def test_an_open_range_has_no_periods():
    assert len(periods.index(None, date(2012, 1, 1), "month")) == 0
    assert len(periods.index(date(2012, 1, 1), pd.NaT, "week")) == 0


def test_periods_are_named_for_people():
    ts = pd.Timestamp(2012, 3, 5)
    assert [periods.label(ts, g) for g in periods.GRAINS] == ["5 Mar 2012", "week of 5 Mar 2012", "Mar 2012"]
    assert periods.describe("week") == "calendar weeks starting Monday"
    assert periods.describe("month") == "calendar months"
