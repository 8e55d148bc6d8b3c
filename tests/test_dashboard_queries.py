"""dashboard.queries against a database built by the real ETL from the bundled sample corpus.

Expected numbers come from direct, independent SQL on the same file, never from the queries
under test."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from bench.views import page_view_queries
from dashboard import queries as Q
from dashboard.state import Filters


@pytest.fixture(scope="module")
def con(sample_db):
    """The snapshot opened as the dashboard opens it; plain SQL on it reads the contract tables."""
    connection = Q.connect(str(sample_db))
    yield connection
    connection.close()


def scalar(con, sql, params=()):
    return con.execute(sql, list(params)).fetchone()[0]


@pytest.fixture(scope="module")
def busiest_topic(con):
    topic = scalar(con, """SELECT t.topic_id FROM article_topics t JOIN articles a USING (article_id)
                           WHERE a.is_primary AND a.published_at IS NOT NULL
                           GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""")
    if topic is None:
        pytest.skip("the sample database has no tagged, dated articles")
    return topic


def test_the_sample_database_has_dated_articles(con):
    assert scalar(con, "SELECT count(*) FROM articles WHERE published_at IS NOT NULL") > 0


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_trend_counts_equal_a_direct_count(con, busiest_topic, grain):
    trend = Q.topic_trend(con, Filters(topics=(busiest_topic,), grain=grain))
    direct = scalar(con, """SELECT count(*) FROM articles a WHERE a.is_primary AND a.published_at IS NOT NULL
                            AND a.article_id IN (SELECT article_id FROM article_topics WHERE topic_id = ?)""",
                    [busiest_topic])
    assert trend["n"].sum() == direct
    assert list(trend["topic_id"].unique()) == [busiest_topic]
    assert trend["period"].is_monotonic_increasing and trend["period"].is_unique


def test_trend_period_totals_equal_a_direct_count_per_month(con, busiest_topic):
    trend = Q.topic_trend(con, Filters(topics=(busiest_topic,), grain="month"))
    direct = dict(con.execute("""SELECT date_trunc('month', published_at)::DATE, count(*) FROM articles
                                 WHERE is_primary AND published_at IS NOT NULL GROUP BY 1""").fetchall())
    got = {p.date(): t for p, t in zip(trend["period"], trend["total"]) if t}
    assert got == direct


def test_counting_syndicated_copies_never_lowers_a_count(con, busiest_topic):
    unique = Q.topic_trend(con, Filters(topics=(busiest_topic,)))["n"].sum()
    copies = Q.topic_trend(con, Filters(topics=(busiest_topic,), copies=True))["n"].sum()
    assert copies >= unique


def test_the_share_metric_is_a_percentage_of_the_period_total(con, busiest_topic):
    trend = Q.topic_trend(con, Filters(topics=(busiest_topic,), metric="share", grain="week"))
    assert trend["value"].between(0, 100).all()
    with_articles = trend[trend["total"] > 0]
    assert (abs(with_articles["value"] - 100 * with_articles["n"] / with_articles["total"]) < 1e-9).all()


def test_without_topics_the_chart_shows_the_most_frequent_ones(con):
    trend = Q.topic_trend(con, Filters())
    shown = list(dict.fromkeys(trend["topic_id"]))
    assert 1 <= len(shown) <= Q.DEFAULT_TOPIC_LINES
    totals = trend.groupby("topic_id")["n"].sum()
    assert list(totals[shown]) == sorted(totals[shown], reverse=True)


def test_a_rolling_mean_smooths_the_series(con, busiest_topic):
    trend = Q.topic_trend(con, Filters(topics=(busiest_topic,), smooth=4, grain="week"))
    expected = trend["value"].rolling(4, min_periods=1).mean()
    assert (abs(trend["smoothed"] - expected) < 1e-9).all()


def test_spikes_are_found_for_defection_in_2012(con):
    found = []
    for grain in ("week", "month"):
        spikes = Q.spikes(con, Filters(grain=grain))
        found += [p for t, p in zip(spikes["topic_id"], spikes["period"]) if t == "defection"]
    assert any(p.year == 2012 for p in found), f"defection surges found: {found}"


def test_every_spike_is_above_its_baseline_and_large_enough(con):
    spikes = Q.spikes(con, Filters(grain="week"))
    assert (spikes["n"] >= Q.SPIKE_MIN_COUNT).all()
    assert (spikes["ratio"] > 1).all()
    assert list(spikes["ratio"]) == sorted(spikes["ratio"], reverse=True)


def test_spikes_respect_the_date_range(con):
    spikes = Q.spikes(con, Filters(grain="month", date_from=date(2013, 1, 1), date_to=date(2013, 12, 31)))
    assert all(p.year == 2013 for p in spikes["period"])


def test_headline_counts_the_range_and_the_period_before(con):
    f = Filters(date_from=date(2012, 1, 1), date_to=date(2012, 12, 31))
    h = Q.headline(con, f)
    assert h["n"] == Q.article_count(con, f)
    before = Q.article_count(con, Filters(date_from=date(2010, 12, 31), date_to=date(2011, 12, 31)))
    assert h["prev_n"] == before
    if before:
        assert h["change_pct"] == pytest.approx(100 * (h["n"] - before) / before)


def test_headline_without_dates_counts_every_unique_story_including_undated(con):
    assert Q.headline(con, Filters())["n"] == scalar(con, "SELECT count(*) FROM articles WHERE is_primary")


def test_country_counts_by_dateline_match_a_direct_count(con):
    got = Q.country_counts(con, Filters(role="dateline"))
    direct = dict(con.execute("""SELECT p.country_code, count(DISTINCT p.article_id) FROM article_places p
                                 JOIN articles a USING (article_id) WHERE a.is_primary AND p.role = 'dateline'
                                 GROUP BY 1""").fetchall())
    assert dict(zip(got["code"], got["n"])) == direct


def test_filtering_by_a_country_keeps_only_articles_placed_there(con):
    code = scalar(con, "SELECT primary_country FROM articles WHERE primary_country IS NOT NULL "
                       "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    if code is None:
        pytest.skip("no article has a primary country")
    rows = Q.export_rows(con, Filters(countries=(code,), role="any"))
    assert len(rows) >= scalar(con, "SELECT count(*) FROM articles WHERE is_primary AND primary_country = ?", [code])
    dateline = Q.article_count(con, Filters(countries=(code,), role="dateline"))
    assert dateline == scalar(con, """SELECT count(DISTINCT a.article_id) FROM articles a JOIN article_places p
                                      USING (article_id) WHERE a.is_primary AND p.role = 'dateline'
                                      AND p.country_code = ?""", [code])


def test_values_of_one_field_are_alternatives_and_fields_must_all_hold(con):
    """Two countries count the articles placed in either (by dateline here); a topic then
    narrows that to the articles which also carry it: each checked against the base tables."""
    codes = [r[0] for r in con.execute(
        "SELECT country_code FROM article_places WHERE role = 'dateline' AND country_code IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 2").fetchall()]
    topics = [r[0] for r in con.execute(
        "SELECT topic_id FROM article_topics GROUP BY 1 ORDER BY count(*) DESC LIMIT 2").fetchall()]
    if len(codes) < 2 or len(topics) < 2:
        pytest.skip("the sample needs two dateline countries and two topics")
    placed = """SELECT DISTINCT a.article_id FROM articles a JOIN article_places p USING (article_id)
                WHERE a.is_primary AND p.role = 'dateline' AND p.country_code IN (?, ?)"""
    either = scalar(con, f"SELECT count(*) FROM ({placed})", codes)
    assert Q.article_count(con, Filters(countries=tuple(codes), role="dateline")) == either
    assert either > max(Q.article_count(con, Filters(countries=(c,), role="dateline")) for c in codes)
    tagged = scalar(con, f"""SELECT count(*) FROM ({placed}) x WHERE x.article_id IN
                             (SELECT article_id FROM article_topics WHERE topic_id IN (?, ?))""", codes + topics)
    assert Q.article_count(con, Filters(countries=tuple(codes), role="dateline", topics=tuple(topics))) == tagged


def test_place_bubbles_have_coordinates_and_counts(con):
    places = Q.place_counts(con, Filters())
    assert places["lat"].notna().all() and places["lon"].notna().all()
    assert (places["n"] > 0).all()


def test_export_has_every_filtered_row_with_topics_and_places(con, busiest_topic):
    f = Filters(topics=(busiest_topic,))
    rows = Q.export_rows(con, f)
    assert len(rows) == Q.article_count(con, f) > 0
    assert rows["article_id"].is_unique
    assert rows["topics"].str.contains(busiest_topic, regex=False).all()
    assert {"places", "people_and_organisations", "published_at", "source", "url"} <= set(rows.columns)
    everything = Q.export_rows(con, Filters(copies=True))
    assert len(everything) == scalar(con, "SELECT count(*) FROM articles")


def test_article_pages_follow_the_sort_order_without_gaps(con):
    f = Filters(sort="oldest")
    total = Q.article_count(con, f)
    first, second = Q.articles_page(con, f, 5, 0), Q.articles_page(con, f, 5, 5)
    ids = list(first["article_id"]) + list(second["article_id"])
    assert len(set(ids)) == len(ids) == min(10, total)
    dated = [d for d in list(first["published_at"]) + list(second["published_at"]) if d == d and d is not None]
    assert dated == sorted(dated)


def test_the_keyword_filter_needs_every_word(con):
    title = scalar(con, "SELECT title FROM articles WHERE is_primary AND length(title) > 20 ORDER BY article_id LIMIT 1")
    words = [w for w in title.split() if len(w) > 3][:2]
    rows = Q.export_rows(con, Filters(q=" ".join(words)))
    assert len(rows) >= 1
    for article_id in rows["article_id"]:
        text = scalar(con, "SELECT lower(concat_ws(' ', title, caption, body)) FROM articles WHERE article_id = ?",
                      [article_id])
        assert all(w.lower() in text for w in words)
    assert Q.article_count(con, Filters(q=" ".join(words) + " zzzqqqxxyy")) == 0


def test_hostile_filter_values_are_just_values(con):
    evil = "x'); DROP TABLE articles; --"
    assert Q.article_count(con, Filters(sources=(evil,), q=evil, regions=(evil,))) == 0
    assert scalar(con, "SELECT count(*) FROM articles") > 0


def test_article_detail_has_evidence_places_and_provenance(con, busiest_topic):
    article_id = scalar(con, "SELECT article_id FROM article_topics WHERE topic_id = ? ORDER BY article_id LIMIT 1",
                        [busiest_topic])
    art = Q.article_detail(con, article_id)
    assert art["article_id"] == article_id and art["body"]
    assert busiest_topic in list(art["topics"]["topic_id"])
    for ev in art["topics"]["evidence"].iloc[0]:
        field_text = art[ev["field"]] or ""
        assert field_text[ev["start"]:ev["end"]] == ev["text"]
    assert len(art["provenance"]) >= 1
    assert Q.article_detail(con, "no-such-article") is None


def test_the_data_page_queries_describe_the_whole_snapshot(con):
    total = scalar(con, "SELECT count(*) FROM articles")
    assert Q.counts_by_source(con)["articles"].sum() == total
    assert Q.counts_by_format(con)["articles"].sum() == total
    n_undated, undated = Q.undated_articles(con)
    assert n_undated == scalar(con, "SELECT count(*) FROM articles WHERE published_at IS NULL")
    assert len(Q.ingest_runs(con)) >= 1
    assert list(Q.ingest_errors(con).columns) == ["run_id", "input_path", "item", "error_kind", "reason", "recorded_at"]


def test_sidebar_options_carry_counts_from_the_database(con):
    opts = Q.options(con, Filters())
    assert list(opts["topics"]["topic_id"]) == [r[0] for r in con.execute(
        "SELECT topic_id FROM topics ORDER BY sort_order, topic_id").fetchall()]
    assert opts["sources"]["n"].sum() == scalar(con, "SELECT count(*) FROM articles WHERE is_primary AND source IS NOT NULL")


def test_opening_a_snapshot_never_takes_a_writer_lock(sample_db):
    import duckdb
    first, second = Q.connect(str(sample_db)), Q.connect(str(sample_db))
    other = duckdb.connect(str(sample_db), read_only=True)
    try:
        assert Q.article_total(Q.cursor(first)) == Q.article_total(second) == \
            other.execute("SELECT count(*) FROM articles").fetchone()[0]
        with pytest.raises(duckdb.Error):
            first.execute("DELETE FROM articles")
    finally:
        for c in (first, second, other):
            c.close()


def test_page_view_queries_all_run_and_are_named_by_page(con):
    article_id = scalar(con, "SELECT article_id FROM articles LIMIT 1")
    views = page_view_queries(con, Filters(article=article_id))
    assert {"sidebar.options", "trends.topic_trend", "trends.spikes", "trends.headline", "map.country_counts",
            "map.place_counts", "articles.articles_page", "articles.article_detail"} <= set(views)
    for run in views.values():
        run()


@pytest.mark.parametrize("view", [
    Filters(),
    Filters(date_from=date(2013, 1, 1), date_to=date(2013, 12, 31)),
    Filters(date_from=date(2013, 1, 1), date_to=date(2014, 6, 30), grain="week", metric="share"),
    Filters(date_from=date(2012, 3, 15), date_to=date(2013, 2, 10), smooth=3),
    Filters(countries=("SY",), topics=("defection",), grain="week"),
])
def test_the_trend_and_its_surges_from_one_scan_equal_the_two_queries(con, view):
    trend, surges = Q.trend_and_spikes(con, view)
    pd.testing.assert_frame_equal(trend, Q.topic_trend(con, view))
    pd.testing.assert_frame_equal(surges, Q.spikes(con, view))


def detail_by_scan(con, article_id):
    from dashboard.queries import drilldown
    has = drilldown._has_article_rows
    drilldown._has_article_rows = lambda con: False
    try:
        return Q.article_detail(con, article_id)
    finally:
        drilldown._has_article_rows = has


def assert_same_detail(found, expected):
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(found[key], value)
        else:
            assert found[key] == value, key


def test_article_detail_by_row_ranges_equals_the_scan(con):
    # articles alone, near copies and their clusters' first articles, with and without places
    ids = [r[0] for r in con.execute("""
        (SELECT article_id FROM articles ORDER BY article_id LIMIT 12)
        UNION (SELECT article_id FROM articles WHERE NOT is_primary ORDER BY article_id LIMIT 6)
        UNION (SELECT dup_cluster FROM articles WHERE NOT is_primary ORDER BY article_id LIMIT 6)
        UNION (SELECT article_id FROM articles WHERE article_id NOT IN (SELECT article_id FROM article_places)
               ORDER BY article_id LIMIT 3)""").fetchall()]
    assert len(ids) >= 20
    clusters = 0
    for article_id in ids:
        found = Q.article_detail(con, article_id)
        assert_same_detail(found, detail_by_scan(con, article_id))
        clusters += len(found["cluster"])
    assert clusters > 0


def test_article_detail_scans_when_the_row_ranges_no_longer_hold_the_rows(sample_db, tmp_path):
    import shutil

    import duckdb
    db = tmp_path / "moved.duckdb"
    shutil.copy(sample_db, db)
    w = duckdb.connect(str(db))
    article_id = w.execute("SELECT article_id FROM article_places GROUP BY 1 HAVING count(*) > 1 "
                           "ORDER BY 1 LIMIT 1").fetchone()[0]
    # the article's places deleted and written again at the end of the table: new rowids,
    # article_rows not rebuilt (as by a writer that broke the contract)
    w.execute("CREATE TEMP TABLE keep AS SELECT * FROM article_places WHERE article_id = ?", [article_id])
    w.execute("DELETE FROM article_places WHERE article_id = ?", [article_id])
    w.execute("INSERT INTO article_places SELECT * FROM keep")
    w.close()
    moved = Q.connect(str(db))
    try:
        found = Q.article_detail(moved, article_id)
        assert len(found["places"]) > 1
        assert_same_detail(found, detail_by_scan(moved, article_id))
    finally:
        moved.close()
