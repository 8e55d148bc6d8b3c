"""Sources over time: the leading outlets' volume per period and the archive's gaps, on a small
archive built by the real ETL in which one outlet stops for three months (a gap) and another
misses one month (quiet, not a gap); then the Trends section driven with AppTest."""
from __future__ import annotations

import json
import random
from datetime import date

import pandas as pd
import pytest
from conftest import run_etl
from test_dashboard_app import chart_spec, make_app, no_exceptions

from dashboard import queries
from dashboard.charts import sources as source_charts
from dashboard.state import Filters

WORDS = ("army rebels town shelling market convoy border refugees council talks hospital school "
         "checkpoint village province ministry militia airstrike ceasefire aid bridge road river "
         "mountain harbour factory prison mosque church tower camp valley plain desert oil grain").split()


def _article(rng: random.Random, source: str, day: date, i: int) -> dict:
    body = " ".join(rng.choice(WORDS) for _ in range(80))
    topic = "Colonel Haddad defected to the Free Syrian Army. " if i % 2 else ""
    return {"title": f"{source} report {i} {rng.choice(WORDS)} {rng.choice(WORDS)}",
            "url": f"https://example.org/{source.replace(' ', '-')}/{i}", "published": day.isoformat(),
            "source": source, "body": f"Damascus, {source} - {topic}{body}."}


@pytest.fixture(scope="module")
def gap_db(tmp_path_factory):
    """2013: Steady Wire 4 articles a month but none in September; Levant Ledger 4 a month but
    none from April to June."""
    rng = random.Random(20)
    root = tmp_path_factory.mktemp("gaps")
    rows, i = [], 0
    for month in range(1, 13):
        for source, off in (("Steady Wire", (9,)), ("Levant Ledger", (4, 5, 6))):
            if month in off:
                continue
            for day in (3, 10, 17, 24):
                i += 1
                rows.append(_article(rng, source, date(2013, month, day), i))
    (root / "in").mkdir()
    (root / "in" / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = root / "gaps.duckdb"
    run_etl("ingest", str(root / "in"), "--no-progress", "--workers", "0", db=db)
    return db


@pytest.fixture(scope="module")
def con(gap_db):
    c = queries.connect(str(gap_db))
    yield c
    c.close()


def gap_months(volume: pd.DataFrame, source: str) -> list[str]:
    part = volume[(volume["source"] == source) & volume["gap"]]
    return [p.strftime("%Y-%m") for p in part["period"]]


def test_a_three_month_stop_is_a_gap_and_a_quiet_month_is_not(con):
    volume = queries.source_volume(con, Filters(copies=True))
    assert list(dict.fromkeys(volume["source"])) == ["Steady Wire", "Levant Ledger"]
    assert gap_months(volume, "Levant Ledger") == ["2013-04", "2013-05", "2013-06"]
    assert gap_months(volume, "Steady Wire") == []
    ledger = volume[volume["source"] == "Levant Ledger"].set_index("period")
    assert ledger.loc[pd.Timestamp("2013-05-01"), "n"] == 0
    assert ledger.loc[pd.Timestamp("2013-05-01"), "n_archive"] == 4
    assert ledger["n"].sum() == 36
    ranges = source_charts.gap_ranges(volume, "month")
    assert [source_charts.gap_sentence(r, "month") for r in ranges.itertuples(index=False)] == [
        "Levant Ledger: no articles Apr 2013 to Jun 2013"]


def test_gaps_are_judged_on_the_archive_whatever_the_topic(con):
    view = Filters(copies=True, topics=("defection",))
    volume = queries.source_volume(con, view)
    assert gap_months(volume, "Levant Ledger") == ["2013-04", "2013-05", "2013-06"]
    assert volume.groupby("source")["n"].sum().to_dict() == {"Levant Ledger": 18, "Steady Wire": 22}


def test_trends_lists_the_gap_and_picking_an_outlet_filters_by_it(monkeypatch, gap_db):
    at = make_app(monkeypatch, gap_db, copies="1").run()
    no_exceptions(at)
    spec = chart_spec(at, "source_chart")
    roles = [(t["meta"]["role"], t["meta"]["source"]) for t in spec["data"] if "meta" in t and "role" in t["meta"]]
    assert ("gap", "Levant Ledger") in roles and ("gap", "Steady Wire") not in roles
    assert any("Levant Ledger: no articles Apr 2013 to Jun 2013" in m.value.replace("\\", "")
               for m in at.markdown)
    at.selectbox(key="source_pick").set_value("Levant Ledger").run()
    no_exceptions(at)
    assert at.query_params["source"] in ("Levant Ledger", ["Levant Ledger"])
    assert at.multiselect(key="f_sources").value == ["Levant Ledger"]
    spec = chart_spec(at, "source_chart")
    assert {t["meta"]["source"] for t in spec["data"] if "meta" in t and "source" in t["meta"]} == {"Levant Ledger"}
