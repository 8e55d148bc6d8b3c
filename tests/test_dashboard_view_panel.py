""""What's in this view" (AppTest, on the sample database built by the real ETL): the leading
sources, countries, places, people and languages of the view, counted as the database counts them, and a
click adds the value to the filters and the link."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from test_dashboard_app import chart_spec, make_app, no_exceptions


class Pill:
    """One value of a facet's pills: its label as shown, and a click on it."""

    def __init__(self, group, value) -> None:
        self.group, self.value = group, value
        self.label = group.format_func(value)

    def click(self):
        return self.group.set_value(self.value)


def buttons(at, where: str, field: str) -> list[Pill]:
    """The values offered for `field`, in order (the pills' format_func is the panel's
    value -> label mapping)."""
    found = [g for g in at.button_group if g.key == f"top_{where}_{field}"]
    if not found:
        return []
    return [Pill(found[0], value) for value in found[0].format_func.__self__]


@pytest.fixture(scope="module")
def top_source(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        return con.execute("""SELECT source, count(*) FROM articles a
                              WHERE is_primary AND EXISTS (SELECT 1 FROM article_topics t
                                  WHERE t.article_id = a.article_id AND t.topic_id = 'defection')
                              GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""").fetchone()
    finally:
        con.close()


def test_the_panel_counts_the_views_leading_source_and_a_click_filters_by_it(monkeypatch, sample_db, top_source):
    source, n = top_source
    at = make_app(monkeypatch, sample_db, topic="defection").run()
    no_exceptions(at)
    first = buttons(at, "trends", "sources")[0]
    assert first.label.replace("\\", "") == f"{source} · {n:,}"
    assert len(buttons(at, "trends", "people")) > 0 and len(buttons(at, "trends", "countries")) > 0
    first.click().run()
    no_exceptions(at)
    assert at.query_params["source"] in (source, [source])
    assert at.multiselect(key="f_sources").value == [source]
    # the chosen source leaves the list; the view is now that outlet's
    assert all(not b.label.replace("\\", "").startswith(f"{source} ·") for b in buttons(at, "trends", "sources"))


def test_a_country_clicked_on_the_articles_page_joins_the_filters(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles").run()
    no_exceptions(at)
    buttons(at, "articles", "countries")[0].click().run()
    no_exceptions(at)
    assert at.query_params["country"]
    assert len(at.multiselect(key="f_countries").value) == 1


@pytest.fixture(scope="module")
def languages(sample_db):
    """language -> unique stories, counted on the articles table."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        return dict(con.execute("SELECT language, count(*) FROM articles WHERE is_primary AND language IS NOT NULL "
                                "GROUP BY 1").fetchall())
    finally:
        con.close()


def test_the_languages_filter_offers_named_codes_and_keeps_its_choice_in_the_link(monkeypatch, sample_db, languages):
    assert {"ar", "en"} <= set(languages)
    at = make_app(monkeypatch, sample_db).run()
    box = at.multiselect(key="f_languages")
    assert box.format_func("ar") == f"Arabic (ar) ({languages['ar']:,})"
    box.set_value(["ar"]).run()
    no_exceptions(at)
    assert at.query_params["lang"] in ("ar", ["ar"])
    assert at.metric[0].value == f"{languages['ar']:,}"
    assert "in Arabic" in chart_spec(at, "trend_chart")["layout"]["title"]["text"]     # the filter sentence
    # the link alone brings the same view back
    again = make_app(monkeypatch, sample_db, lang="ar").run()
    no_exceptions(again)
    assert again.multiselect(key="f_languages").value == ["ar"] and not again.warning
    assert again.metric[0].value == f"{languages['ar']:,}"


def test_the_panel_lists_the_views_languages_and_a_click_filters_by_one(monkeypatch, sample_db, languages):
    at = make_app(monkeypatch, sample_db).run()
    shown = {b.label.replace("\\", "") for b in buttons(at, "trends", "languages")}
    assert {f"Arabic (ar) · {languages['ar']:,}", f"English (en) · {languages['en']:,}"} <= shown
    next(b for b in buttons(at, "trends", "languages") if b.label.startswith("English")).click().run()
    no_exceptions(at)
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.multiselect(key="f_languages").value == ["en"]
    assert all(not b.label.startswith("English") for b in buttons(at, "trends", "languages"))


VIEWS_WITH_MOST_ARTICLES = [
    {"countries": ("SY",)},
    {"countries": ("SY",), "date_from": date(2012, 3, 15), "date_to": date(2013, 12, 31), "role": "dateline"},
    {"countries": ("SY", "IQ"), "sources": ("Levant Ledger",), "copies": True},
    {"topics": ("defection",), "date_from": date(2012, 1, 1)},
    {"q": "army", "languages": ("en",)},
    {"regions": ("Idlib",), "countries": ("SY",), "role": "mentioned"},
]


@pytest.mark.parametrize("view", VIEWS_WITH_MOST_ARTICLES)
def test_the_panel_and_the_trend_counted_by_what_a_view_leaves_out_equal_the_scan(monkeypatch, sample_db, view):
    from dashboard import queries
    from dashboard.queries import rollup
    from dashboard.state import Filters
    con = queries.connect(str(sample_db))
    try:
        f = Filters(**view)
        scanned = queries.view_top(con, f)
        # MOST = -1: every such view by the rollup less what it leaves out; 2: never
        monkeypatch.setattr(rollup, "MOST", -1)
        by_rollup = queries.view_top(con, f), queries.trend_and_spikes(con, f)
        monkeypatch.setattr(rollup, "MOST", 2)
        pd.testing.assert_frame_equal(queries.view_top(con, f), scanned)
        trend, surges = queries.trend_and_spikes(con, f)
    finally:
        con.close()
    pd.testing.assert_frame_equal(by_rollup[0], scanned, check_dtype=False)
    pd.testing.assert_frame_equal(by_rollup[1][0], trend, check_dtype=False)
    pd.testing.assert_frame_equal(by_rollup[1][1], surges, check_dtype=False)
    assert len(scanned) > 0 and trend["n"].sum() > 0
