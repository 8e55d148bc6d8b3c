"""Compare: the series' link encoding (round trip, damaged and hostile values), the counts of
queries.compare_trend against independent SQL on the contract tables, and the page driven
headless with AppTest on the sample database built by the real ETL (module-scoped facts)."""
from __future__ import annotations

import base64
import json
import zlib
from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard import compare, keyword_state, queries
from dashboard.compare import Series
from dashboard.queries import compare_trend
from dashboard.state import Filters
from tests.test_dashboard_app import chart_spec, make_app, no_exceptions, values, warnings_of

FROM, TO = date(2012, 1, 1), date(2014, 12, 31)


def _packed(items) -> str:
    raw = json.dumps(items).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return "1." + base64.urlsafe_b64encode(packer.compress(raw) + packer.flush()).decode().rstrip("=")


# -- the link -------------------------------------------------------------------------------

def test_series_survive_the_link_unchanged_with_any_text_in_names_and_keywords():
    series = (Series("Défections « Alep »", Filters(q='defect* "brigadier general" -rumour', topics=("defection",),
                                                     countries=("SY",), role="dateline", copies=True)),
              Series("", Filters(sources=("Levant Ledger", "A&B; c=d"), people=("q42",), regions=("Idlib",),
                                 languages=("ar", "en"))),
              Series("all", Filters()))
    value = compare.encode(series)
    assert value.startswith("1.") and all(c.isalnum() or c in "-_." for c in value)
    assert compare.decode(value) == (series, [])


def test_six_series_with_keywords_fit_in_a_short_link():
    series = tuple(Series(f"Series {i}", Filters(q=f"word{i} OR other", sources=("Levant Ledger",), topics=("defection",)))
                   for i in range(6))
    assert len(compare.encode(series)) < 300


@pytest.mark.parametrize("value, words", [
    ("2.abc", "format this version does not read"),
    ("nonsense", "format this version does not read"),
    ("1.!!!not-base64", "damaged"),
    ("1." + base64.urlsafe_b64encode(b"not deflate").decode(), "damaged"),
    (_packed({"n": "not a list"}), "damaged"),
    ("1." + "A" * 9000, "longer than"),
])
def test_a_damaged_comparison_in_a_link_gives_a_notice_not_an_exception(value, words):
    series, notices = compare.decode(value)
    assert series == () and len(notices) == 1 and words in notices[0]


def test_bad_fields_of_one_series_are_dropped_with_a_notice_each_and_the_rest_kept():
    value = _packed([{"n": "ok", "topic": ["defection"], "country": ["Syria", "SY"], "role": "sideways",
                      "zzz": "1", "source": [3], "lang": ["AR", "english"]}, "not a series", {"n": 5, "q": "x"}]
                    + [{"q": f"t{i}"} for i in range(6)])
    series, notices = compare.decode(value)
    text = " ".join(notices)
    assert len(series) == 5                       # at most six items read, one of them damaged
    assert series[0] == Series("ok", Filters(topics=("defection",), countries=("SY",), languages=("ar",)))
    for words in ("at most 6 series", "Series 1: Country 'SYRIA'", "Series 1: Unknown role",
                  "unknown field ‘zzz’", "‘source’ is not text", "Series 2 of the link is damaged",
                  "Series 3: its name is not text", "Series 1: Language 'english' is not a language code"):
        assert words in text, words


def test_a_deflate_bomb_stops_at_the_size_limit():
    value = _packed([{"q": "x" * 100, "source": ["s" * 150] * 2000}])
    assert len(value) < compare.MAX_LINK
    series, notices = compare.decode(value)
    assert series == () and "too large" in notices[0]


def test_copying_filters_keeps_each_series_name_keyword_and_topics():
    first = Series("a", Filters(q="x", topics=("t1",), sources=("S",), countries=("SY",), role="dateline", copies=True,
                                languages=("ar",)))
    other = Series("b", Filters(q="y", topics=("t2",), people=("p",)))
    copied = other.with_base_of(first)
    assert copied == Series("b", Filters(q="y", topics=("t2",), sources=("S",), countries=("SY",),
                                         role="dateline", copies=True, languages=("ar",)))


# -- the counts -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def facts(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        topic = con.execute("""SELECT topic_id FROM article_topics JOIN articles USING (article_id)
                               WHERE is_primary GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()[0]
        sources = [r[0] for r in con.execute("""SELECT source FROM articles WHERE is_primary AND source IS NOT NULL
                                                GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2""").fetchall()]
        country = con.execute("""SELECT primary_country FROM articles WHERE primary_country IS NOT NULL
                                 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1""").fetchone()[0]
    finally:
        con.close()
    return {"topic": topic, "sources": sources, "country": country}


@pytest.fixture(scope="module")
def con(sample_db):
    c = queries.connect(str(sample_db))
    yield c
    c.close()


def _independent(sample_db, sql: str, params: list) -> int:
    """A count straight from the contract tables (articles, article_topics), not the view table."""
    c = duckdb.connect(str(sample_db), read_only=True)
    try:
        return c.execute(sql, params).fetchone()[0]
    finally:
        c.close()


def test_a_series_count_and_its_share_base_equal_independent_sql_counts(con, sample_db, facts):
    source = facts["sources"][0]
    series = (Series("topic from one source", Filters(topics=(facts["topic"],), sources=(source,))),
              Series("all copies", Filters(topics=(facts["topic"],), copies=True)))
    view = Filters(date_from=FROM, date_to=TO, metric="share")
    trend = compare_trend(con, view, series)
    sums = trend.groupby("series")[["n", "total"]].sum()
    dated = "published_at >= ? AND published_at < ?"
    n0 = _independent(sample_db, f"""SELECT count(*) FROM articles a WHERE is_primary AND source = ? AND {dated}
        AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.article_id AND t.topic_id = ?)""",
                      [source, FROM, date(2015, 1, 1), facts["topic"]])
    base0 = _independent(sample_db, f"SELECT count(*) FROM articles WHERE is_primary AND source = ? AND {dated}",
                         [source, FROM, date(2015, 1, 1)])
    n1 = _independent(sample_db, f"""SELECT count(*) FROM articles a WHERE {dated}
        AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.article_id AND t.topic_id = ?)""",
                      [FROM, date(2015, 1, 1), facts["topic"]])
    base1 = _independent(sample_db, f"SELECT count(*) FROM articles WHERE {dated}", [FROM, date(2015, 1, 1)])
    assert n0 > 0 and base0 > n0 and n1 > n0 and base1 > base0
    assert (sums.loc[0, "n"], sums.loc[0, "total"], sums.loc[1, "n"], sums.loc[1, "total"]) == (n0, base0, n1, base1)
    row = trend[(trend["series"] == 0) & (trend["total"] > 0)].iloc[0]
    assert row["value"] == pytest.approx(100 * row["n"] / row["total"])
    assert trend["period"].min() == pd.Timestamp(FROM) and len(trend) == 2 * 36   # zero-filled months


def test_a_keyword_series_counts_what_the_search_index_matches_in_its_base(con, facts):
    view = Filters()
    series = (Series("kw", Filters(q="killed", countries=(facts["country"],))),)
    trend = compare_trend(con, view, series)
    index = queries.search_index(con)
    parsed = keyword_state.parse("killed")
    assert index is not None and not parsed.is_empty
    keyword_state.register(con, "expected_keys", queries.keyword_keys(con, index, parsed))
    expected, base = con.execute(f"""
        SELECT count(*) FILTER (WHERE row_key IN (SELECT row_key FROM expected_keys)), count(*)
        FROM {queries.VIEW_TABLE} WHERE is_primary AND published_at IS NOT NULL
          AND list_contains(c_any, ?)""", [facts["country"]]).fetchone()
    assert 0 < trend["n"].sum() == expected and trend["total"].sum() == base


# -- the page -------------------------------------------------------------------------------

def _lines(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("meta", {}).get("role") == "line"]


def test_a_link_restores_the_series_and_the_chart_shows_their_independent_counts(monkeypatch, sample_db, facts):
    a, b = facts["sources"]
    series = (Series("First outlet", Filters(sources=(a,), topics=(facts["topic"],))), Series("", Filters(sources=(b,))))
    at = make_app(monkeypatch, sample_db, page="compare", metric="share", cmp=compare.encode(series),
                  **{"from": "2012-01-01", "to": "2014-12-31"}).run()
    no_exceptions(at)
    assert not at.warning
    spec = chart_spec(at, "compare_chart")
    assert [t["name"] for t in _lines(spec)] == ["First outlet", b]
    n0 = _independent(sample_db, """SELECT count(*) FROM articles a WHERE is_primary AND source = ?
        AND published_at >= ? AND published_at < ?
        AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.article_id AND t.topic_id = ?)""",
                      [a, FROM, date(2015, 1, 1), facts["topic"]])
    shown = at.table[0].value
    assert int(str(shown["Articles"].iloc[0]).replace(",", "")) == n0
    hover = _lines(spec)[0]["hovertemplate"]
    assert f"Share of: all articles, from {a}" in hover and "(unique stories)" in hover
    assert "Share of each series" in spec["layout"]["title"]["text"] and spec["layout"]["showlegend"]
    assert at.text_input(key="cmp_0_name").value == "First outlet"
    assert at.multiselect(key="cmp_1_sources").value == [b]


def test_one_click_by_source_then_the_link_reopens_the_same_series_and_numbers(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, page="compare").run()
    assert any("No series yet" in i.value for i in at.info)
    at.number_input(key="cmp_split_n").set_value(3).run()
    at.button(key="cmp_split_sources").click().run()
    no_exceptions(at)
    spec = chart_spec(at, "compare_chart")
    assert [t["name"] for t in _lines(spec)] == facts["sources"] + [_lines(spec)[2]["name"]]
    link = dict(at.query_params)
    assert link["cmp"].startswith("1.")
    again = make_app(monkeypatch, sample_db, **link).run()
    no_exceptions(again)
    spec2 = chart_spec(again, "compare_chart")
    assert [(t["name"], values(t["y"])) for t in _lines(spec2)] == [(t["name"], values(t["y"])) for t in _lines(spec)]


def test_copy_filters_to_all_series_and_remove_edit_the_link(monkeypatch, sample_db, facts):
    series = (Series("A", Filters(q="killed")), Series("B", Filters(topics=(facts["topic"],))))
    at = make_app(monkeypatch, sample_db, page="compare", cmp=compare.encode(series)).run()
    at.multiselect(key="cmp_0_sources").set_value([facts["sources"][0]]).run()
    at.button(key="cmp_copy_0").click().run()
    no_exceptions(at)
    got, _ = compare.decode(at.query_params["cmp"])
    assert got == (Series("A", Filters(q="killed", sources=(facts["sources"][0],))),
                   Series("B", Filters(topics=(facts["topic"],), sources=(facts["sources"][0],))))
    at.button(key="cmp_remove_0").click().run()
    assert at.text_input(key="cmp_0_name").value == "B"
    assert compare.decode(at.query_params["cmp"])[0] == got[1:]


def test_bad_series_in_a_link_give_notices_and_an_old_link_still_opens(monkeypatch, sample_db, facts):
    bad = compare.encode((Series("x", Filters(sources=("No Such Outlet", facts["sources"][0]))),))
    at = make_app(monkeypatch, sample_db, page="compare", cmp=bad).run()
    no_exceptions(at)
    assert "No Such Outlet" in warnings_of(at)
    assert at.multiselect(key="cmp_0_sources").value == [facts["sources"][0]]
    at = make_app(monkeypatch, sample_db, page="compare", cmp="1.garbage!").run()
    no_exceptions(at)
    assert "damaged" in warnings_of(at) and "cmp" not in at.query_params
    at = make_app(monkeypatch, sample_db, topic=facts["topic"], grain="week").run()   # a link from before Compare
    no_exceptions(at)
    assert "cmp" not in at.query_params and at.button_group(key="f_grain").value == "week"


def test_the_comparison_survives_a_visit_to_another_page_and_draws_key_dates(monkeypatch, sample_db):
    series = compare.encode((Series("all", Filters()),))
    at = make_app(monkeypatch, sample_db, page="trends", cmp=series).run()
    assert at.query_params["cmp"] == series
    at.radio(key="f_page").set_value("compare").run()
    no_exceptions(at)
    spec = chart_spec(at, "compare_chart")
    assert [t["name"] for t in _lines(spec)] == ["all"]
    assert any(s.get("name") == "key_date" for s in spec["layout"].get("shapes", []))


def test_by_language_splits_the_view_and_counts_each_language_as_the_articles_table_does(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="compare").run()
    at.button(key="cmp_split_languages").click().run()
    no_exceptions(at)
    spec = chart_spec(at, "compare_chart")
    expected = dict(_independent_rows(sample_db, """SELECT language, count(*) FROM articles
        WHERE is_primary AND published_at IS NOT NULL AND language IS NOT NULL GROUP BY 1"""))
    names = {"en": "English", "ar": "Arabic"}
    assert len(expected) >= 2
    got = {t["name"]: sum(values(t["y"])) for t in _lines(spec)}
    assert got == {names.get(code, code): n for code, n in expected.items()}
    assert "Base that month: %{customdata[6]} articles, all articles, in Arabic (unique stories)" in \
        next(t["hovertemplate"] for t in _lines(spec) if t["name"] == "Arabic")
    assert compare.decode(at.query_params["cmp"])[0][1].languages in (("ar",), ("en",))


def _independent_rows(sample_db, sql: str) -> list[tuple]:
    c = duckdb.connect(str(sample_db), read_only=True)
    try:
        return c.execute(sql).fetchall()
    finally:
        c.close()


def test_a_one_click_comparison_of_an_empty_view_says_so_and_keeps_the_series(monkeypatch, sample_db):
    kept = compare.encode((Series("kept", Filters()),))
    at = make_app(monkeypatch, sample_db, page="compare", q="zzqxjw", cmp=kept).run()
    at.button(key="cmp_split_sources").click().run()
    no_exceptions(at)
    assert "this view has no outlets, nothing to compare" in warnings_of(at)
    assert at.query_params["cmp"] == kept


def test_by_topic_draws_the_trends_lines_with_the_same_shares(monkeypatch, sample_db):
    trends = make_app(monkeypatch, sample_db, metric="share", **{"from": "2012-01-01", "to": "2013-12-31"}).run()
    expected = [(t["name"], [None if y != y else round(y, 9) for y in values(t["y"])])
                for t in _lines(chart_spec(trends, "trend_chart"))]
    at = make_app(monkeypatch, sample_db, page="compare", metric="share",
                  **{"from": "2012-01-01", "to": "2013-12-31"}).run()
    at.button(key="cmp_split_topics").click().run()
    no_exceptions(at)
    got = [(t["name"], [None if y != y else round(y, 9) for y in values(t["y"])])
           for t in _lines(chart_spec(at, "compare_chart"))]
    assert len(expected) == 5 and got == expected


def test_the_bench_comparison_runs_on_a_real_snapshot(con):
    from bench.compare import SERIES, compare_queries
    for name, run in compare_queries(con).items():
        trend = run()
        assert sorted(trend["series"].unique()) == list(range(len(SERIES))), name


@pytest.mark.parametrize("languages", [("ar",), ("en",), ("ar", "en"), ("xx",)])
def test_a_language_series_counts_what_the_articles_table_says(con, sample_db, languages):
    trend = compare_trend(con, Filters(copies=True), (Series("", Filters(copies=True, languages=languages)),))
    marks = ", ".join("?" * len(languages))
    expected = _independent(sample_db, f"SELECT count(*) FROM articles WHERE published_at IS NOT NULL "
                                       f"AND language IN ({marks})", list(languages))
    assert trend["n"].sum() == trend["total"].sum() == expected
