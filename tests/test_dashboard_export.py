"""Every export carries what it needs away from the dashboard — title, filter sentence, source,
date of export, the synthetic-data note for the sample — under a file name that says what it
is; CSVs use topic labels and no local paths. Built from a real snapshot (the sample corpus
through the real ETL); the Data page shows plain column names and units."""
from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, export, queries
from dashboard.pages.data import duration, runs_table
from dashboard.state import Filters, describe

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
LABELS = {"defection": "Defection", "displacement_refugees": "Displacement & refugees"}
TODAY = date(2026, 3, 4)


@pytest.fixture(scope="module")
def con(sample_db):
    c = queries.connect(str(sample_db))
    yield queries.cursor(c)
    c.close()


@pytest.fixture(scope="module")
def labels(con):
    return dict(con.execute("SELECT topic_id, label FROM topics").fetchall())


@pytest.fixture(scope="module")
def credit(con, sample_db):
    return export.credit(queries.meta(con), sample_db.name, today=TODAY)


def read_csv(text: str) -> tuple[list[str], pd.DataFrame]:
    head = [line for line in text.splitlines() if line.startswith("# ")]
    return head, pd.read_csv(io.StringIO(text), skiprows=len(head))


@pytest.mark.parametrize("kind, filters, stem", [
    ("trend", Filters(topics=("defection",), countries=("SY",), date_from=date(2012, 1, 1),
                      date_to=date(2013, 12, 31)), "defection-trend-syria-2012-2013"),
    ("trend", Filters(), "top-topics-trend-all-dates"),
    ("trend", Filters(metric="share", date_from=date(2013, 1, 1), date_to=date(2013, 12, 31)),
     "top-topics-share-trend-2013"),
    ("map", Filters(topics=("displacement_refugees",), regions=("Aleppo",), role="dateline"),
     "displacement-refugees-map-aleppo-by-dateline-all-dates"),
    ("articles", Filters(sources=("Levant Ledger",), q='"regime forces"', date_from=date(2012, 3, 1),
                         date_to=date(2012, 4, 30)),
     "articles-levant-ledger-keyword-regime-forces-2012-03-01-to-2012-04-30"),
])
def test_file_names_say_what_the_file_holds(kind, filters, stem):
    assert export.file_stem(kind, filters, LABELS) == stem


def test_a_file_name_stays_short_and_plain_ascii():
    f = Filters(topics=tuple(f"t{i}" for i in range(9)), regions=("Ḥalab « old city »",) * 1,
                q="x" * 200)
    stem = export.file_stem("map", f)
    assert len(stem) <= export.MAX_STEM and stem.isascii() and stem.startswith("9-topics-map-halab-old-city")


def test_the_credit_names_the_snapshot_and_date_and_flags_only_the_sample(con, credit):
    assert credit.synthetic is (queries.meta(con).get("sample") == "true")
    text = credit.footer()
    assert "snapshot" in text and "Exported 4 Mar 2026" in text and "/" not in text
    real = export.credit({"snapshot_id": "7", "created_at": "2026-01-02T10:00:00", "sample": "false"},
                         "archive.duckdb", today=TODAY)
    assert export.SYNTHETIC_NOTE not in real.footer() and "snapshot 7 of 2 Jan 2026" in real.footer()
    assert export.SYNTHETIC_NOTE in export.credit({"sample": "true"}, "x.duckdb").footer()


def test_the_png_toolbar_download_is_named_for_the_view_and_the_figure_carries_title_and_credit(con, labels):
    cred = export.credit({"snapshot_id": "3", "sample": "true"}, "conflict.duckdb", today=TODAY)
    f = Filters(topics=("defection",), countries=("SY",))
    sentence = describe(f, topic_labels=labels)
    fig = charts.trend_figure(queries.topic_trend(con, f), queries.spikes(con, f), labels, {}, f.metric,
                              f.grain, 0, title=sentence, footer=cred.footer())
    config = export.plotly_config(export.file_stem("trend", f, labels))
    assert config["toImageButtonOptions"]["filename"] == "defection-trend-syria-all-dates"
    assert charts.PLOTLY_CONFIG["toImageButtonOptions"]["filename"] != "defection-trend-syria-all-dates"
    assert fig.layout.title.text == sentence
    footer = " ".join(a.text for a in fig.layout.annotations if a.text.startswith("Source:"))
    assert "conflict.duckdb, snapshot 3" in footer and "Exported 4 Mar 2026" in footer
    assert "Synthetic demo data" in footer


def test_the_standalone_html_has_a_title_the_filters_the_credit_and_no_network(con, labels, credit):
    f = Filters(topics=("defection",), date_from=date(2012, 1, 1), date_to=date(2013, 12, 31))
    sentence = describe(f, topic_labels=labels)
    fig = charts.map_figure(queries.country_counts(con, f), queries.place_counts(con, f), title=sentence,
                            footer=credit.footer())
    page = export.standalone_html(fig, sentence, sentence, credit, "defection-map-2012-2013")
    assert f"<title>{sentence}</title>" in page
    assert f"Filters: {sentence}" in page and "Exported 4 Mar 2026" in page and credit.source in page
    assert (export.SYNTHETIC_NOTE in page) is credit.synthetic
    assert 'src="http' not in page and "<script src" not in page     # plotly.js is inline
    assert '"filename": "defection-map-2012-2013"' in page or '"filename":"defection-map-2012-2013"' in page


def test_the_articles_csv_has_topic_labels_no_local_paths_and_a_header(con, labels, credit, sample_db):
    f = Filters(topics=("defection",))
    rows = queries.export_rows(con, f)
    assert any("/" in str(p) for p in rows["input_path"])       # what the database holds
    sentence = describe(f, grain="", topic_labels=labels)
    text = export.csv_with_header(export.articles_table(rows, labels), "Article list", sentence, credit)
    head, table = read_csv(text)
    assert head[:2] == ["# Article list", f"# Filters: {sentence}"] and any("Exported" in h for h in head)
    assert len(table) == len(rows) == queries.article_count(con, f)
    topics = {t for cell in table["topics"].dropna() for t in cell.split("; ")}
    assert "Defection" in topics and topics <= set(labels.values())
    assert str(ROOT) not in text and str(sample_db.parent) not in text
    assert not table["input_file"].astype(str).str.contains("/").any()
    assert "input_path" not in table.columns and "topic_id" not in table.columns


def test_the_trend_csv_has_labels_counts_and_denominators(con, labels, credit):
    f = Filters(metric="share")
    trend = queries.topic_trend(con, f)
    text = export.csv_with_header(export.trend_table(trend, labels, f.metric, 3), "Chart data", "s", credit)
    _, table = read_csv(text)
    assert list(table.columns) == ["period_start", "topic", "articles", "articles_in_view", "share_pct",
                                   "share_pct_3_period_mean"]
    assert set(table["topic"]) == {labels[t] for t in trend["topic_id"].unique()}
    assert (table["articles"] <= table["articles_in_view"]).all()


def make_app(monkeypatch, db, **params) -> AppTest:
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def chart_config(at: AppTest, key: str) -> dict:
    for el in at.get("plotly_chart"):
        if el.proto.id.endswith(key):
            return json.loads(el.proto.config)
    raise AssertionError(key)


def test_the_pages_name_their_png_downloads_for_the_view(monkeypatch, sample_db, labels):
    at = make_app(monkeypatch, sample_db, topic="defection", country="SY", **{"from": "2012-01-01",
                                                                              "to": "2013-12-31"}).run()
    assert not at.exception
    assert chart_config(at, "trend_chart")["toImageButtonOptions"]["filename"] == "defection-trend-syria-2012-2013"
    at = make_app(monkeypatch, sample_db, page="map", topic="defection").run()
    assert not at.exception
    assert chart_config(at, "map_chart")["toImageButtonOptions"]["filename"] == "defection-map-all-dates"
    at = make_app(monkeypatch, sample_db, page="articles", q="zzzqqqxxyy-nothing-matches").run()
    labels_ = [b.proto.label for b in at.get("download_button")]
    assert not any("rows)" in label for label in labels_)


@pytest.mark.parametrize("seconds, text", [(5.4897, "5.5 s"), (0.04, "0.0 s"), (125.2, "2 min 5 s"),
                                           (3725, "1 h 2 min"), (None, "—")])
def test_durations_read_with_units(seconds, text):
    assert duration(seconds) == text


def test_the_data_page_shows_plain_column_names_and_units(monkeypatch, sample_db, con):
    table = runs_table(queries.ingest_runs(con))
    assert "Duration" in table.columns and "seconds" not in table.columns
    assert table["Duration"].iloc[0].endswith(" s")
    at = make_app(monkeypatch, sample_db, page="data").run()
    assert not at.exception
    columns = {c for d in at.dataframe for c in d.value.columns}
    assert {"Duration", "Files skipped (unchanged)", "Unique stories", "Input format"} <= columns
    assert not {c for c in columns if c.startswith("n_") or c in ("seconds", "input_format", "unique_stories")}
