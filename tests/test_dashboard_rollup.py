"""Broad views counted from the monthly rollup (dashboard/queries/rollup.py) give exactly the
answers of the scanning code, on the sample database built by the real ETL.

Two connections to the same snapshot: one as the dashboard opens it (with its facet_rollup),
one with the rollup's view dropped, which is what a snapshot without the table gets, so every
query there scans article_facets. Each view is asked of both and the frames must be equal."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard import queries as Q
from dashboard.queries import rollup
from dashboard.queries.tables import ROLLUP_TABLE, SNAPSHOT, TOPIC_ROLLUP_TABLE
from dashboard.queries.trends import SPIKE_WINDOW, _period_counts
from dashboard.state import Filters


@pytest.fixture(scope="module")
def cons(sample_db):
    with_rollup, scanning = Q.connect(str(sample_db)), Q.connect(str(sample_db))
    scanning.execute(f"DROP VIEW {ROLLUP_TABLE}")
    scanning.execute(f"DROP VIEW {TOPIC_ROLLUP_TABLE}")      # tests/test_dashboard_topic_rollup.py
    assert rollup.has_rollup(with_rollup) and not rollup.has_rollup(scanning)
    yield with_rollup, scanning
    with_rollup.close()
    scanning.close()


def month_end(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1) - timedelta(days=1)


def date_ranges() -> list[tuple[date | None, date | None]]:
    """Open, whole-month, partial-month and within-a-month ranges over the sample's years
    (2011-03 to 2017-12, a few undated articles), fixed ones and seeded random ones."""
    fixed = [(None, None), (date(2012, 1, 1), date(2013, 12, 31)), (None, date(2014, 6, 30)),
             (date(2016, 2, 1), None), (date(2012, 1, 15), date(2013, 12, 20)), (date(2015, 7, 9), None),
             (None, date(2013, 3, 3)), (date(2012, 3, 15), date(2012, 4, 10)), (date(2016, 5, 2), date(2016, 5, 30)),
             (date(2011, 3, 1), date(2011, 3, 31)), (date(2000, 1, 1), date(2030, 12, 31)),
             (date(2017, 12, 1), date(2018, 5, 31)), (date(2016, 12, 31), date(2017, 2, 1))]
    rnd = random.Random(20)
    out = list(fixed)
    for i in range(4):
        lo = date(2011, 1, 1) + timedelta(days=rnd.randrange(7 * 365))
        hi = lo + timedelta(days=rnd.randrange(20, 900))
        if i % 2 == 0:          # half of them whole months
            lo, hi = lo.replace(day=1), month_end(hi)
        out.append((lo, hi))
    return out


def same(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), obj=what)


def by_place(frame: pd.DataFrame) -> pd.DataFrame:
    """place_counts orders equal counts by place name, which two places can share."""
    return frame.sort_values(["n", "place_id"], ascending=[False, True], kind="stable")


def compare_places(with_rollup, scanning, f: Filters) -> None:
    """The queries that follow the place role."""
    same(Q.country_counts(with_rollup, f), Q.country_counts(scanning, f), f"country_counts {f}")
    same(by_place(Q.place_counts(with_rollup, f)), by_place(Q.place_counts(scanning, f)), f"place_counts {f}")
    same(Q.view_top(with_rollup, f), Q.view_top(scanning, f), f"view_top {f}")


def period_counts(con, f: Filters, history: int) -> list[pd.DataFrame]:
    """What topic_trend and spikes are computed from, in one order."""
    return [frame.sort_values(list(frame.columns)).reset_index(drop=True)
            for frame in _period_counts(con, f, extra_history=history)]


def compare_counts(with_rollup, scanning, f: Filters, *, charts: bool = False) -> None:
    """The queries the place role does not change (`charts`: the charts' own frames too, not
    only the counts they are drawn from)."""
    for field, frame in Q.options(with_rollup, f).items():
        same(frame, Q.options(scanning, f)[field], f"options[{field}] {f}")
    assert Q.headline(with_rollup, f) == Q.headline(scanning, f), f"headline {f}"
    # the archive's counts per outlet come from the rollup at the month grain
    same(Q.source_volume(with_rollup, f), Q.source_volume(scanning, f), f"source_volume {f}")
    for history in (0, SPIKE_WINDOW) if f.date_from else (0,):     # the history moves only a start
        for a, b in zip(period_counts(with_rollup, f, history), period_counts(scanning, f, history)):
            same(a, b, f"period counts {f} {history}")
    if charts:
        same(Q.topic_trend(with_rollup, f), Q.topic_trend(scanning, f), f"topic_trend {f}")
        same(Q.spikes(with_rollup, f), Q.spikes(scanning, f), f"spikes {f}")
        for a, b in zip(Q.trend_and_spikes(with_rollup, f), Q.trend_and_spikes(scanning, f)):
            same(a, b, f"trend_and_spikes {f}")


def compare_view(with_rollup, scanning, f: Filters) -> None:
    compare_places(with_rollup, scanning, f)
    compare_counts(with_rollup, scanning, f, charts=True)


def test_views_counted_from_the_rollup_equal_the_scan(cons):
    with_rollup, scanning = cons
    used = 0
    for i, (lo, hi) in enumerate(date_ranges()):
        for copies in (False, True):
            f = Filters(date_from=lo, date_to=hi, copies=copies)
            used += rollup.usable(with_rollup, f)
            compare_counts(with_rollup, scanning, f, charts=(i + copies) % 6 == 0)
        for role, copies in (("any", False), ("dateline", True), ("mentioned", i % 2 == 0)):
            compare_places(with_rollup, scanning, Filters(date_from=lo, date_to=hi, copies=copies, role=role))
    assert used >= 22       # most of the ranges above hold a whole month


def test_language_filters_counted_from_the_rollup_equal_the_scan(cons):
    """The rollup is split by language: a language filter sums its languages' rows (and scans
    the edge days in those languages only)."""
    with_rollup, scanning = cons
    used = 0
    choices = ((("ar",), False), (("en", "ar"), True), (("en",), False), (("ar",), True))
    for i, (lo, hi) in enumerate(date_ranges()):
        languages, copies = choices[i % len(choices)]
        f = Filters(date_from=lo, date_to=hi, copies=copies, languages=languages)
        used += rollup.usable(with_rollup, f)
        compare_counts(with_rollup, scanning, f, charts=i % 8 == 0)
        compare_places(with_rollup, scanning, f.replace(role=("any", "dateline", "mentioned")[i % 3]))
    assert used >= 11
    arabic = Q.headline(scanning, Filters(languages=("ar",)))["n"]
    assert 0 < arabic < Q.headline(scanning, Filters())["n"]     # the filter selects some, not all


def test_other_filters_and_grains_scan_or_give_the_same_answers(cons):
    with_rollup, scanning = cons
    topic = Q.options(scanning, Filters())["topics"].sort_values("n").iloc[-1]["topic_id"]
    for f in (Filters(topics=(topic,)), Filters(topics=(topic,), date_from=date(2012, 1, 1), metric="share"),
              Filters(grain="week", date_from=date(2013, 1, 1), date_to=date(2013, 12, 31)),
              Filters(grain="day", date_from=date(2016, 1, 1), date_to=date(2016, 3, 31), copies=True),
              Filters(countries=("SY",)), Filters(q="army", date_from=date(2012, 1, 1)),
              Filters(languages=("ar",), sources=("Levant Ledger",), date_from=date(2012, 1, 1)),
              Filters(smooth=3, metric="share", date_to=date(2015, 12, 31))):
        compare_view(with_rollup, scanning, f)
    assert not rollup.usable(with_rollup, Filters(countries=("SY",)))
    assert not rollup.usable(with_rollup, Filters(q="army"))


def test_a_wrong_rollup_is_caught(sample_db):
    """The comparison above can fail: a rollup off by one for one value of one month."""
    con, scanning = Q.connect(str(sample_db)), Q.connect(str(sample_db))
    try:
        scanning.execute(f"DROP VIEW {ROLLUP_TABLE}")
        scanning.execute(f"DROP VIEW {TOPIC_ROLLUP_TABLE}")
        month, facet, value = con.execute(f"SELECT month, facet, value FROM {ROLLUP_TABLE} "
                                          "WHERE facet = 'c_any' AND is_primary ORDER BY n DESC LIMIT 1").fetchone()
        con.execute(f"CREATE TABLE memory.main.wrong AS SELECT * FROM {SNAPSHOT}.main.facet_rollup")
        con.execute("UPDATE memory.main.wrong SET n = n + 1 WHERE is_primary AND month = ? AND facet = ? "
                    "AND value = ?", [month, facet, value])
        con.execute(f"CREATE OR REPLACE VIEW {ROLLUP_TABLE} AS SELECT * FROM memory.main.wrong")
        compare_places(con, scanning, Filters(copies=True, role="dateline"))    # other counts: still equal
        with pytest.raises(AssertionError, match="country_counts"):
            compare_places(con, scanning, Filters())
    finally:
        con.close()
        scanning.close()
