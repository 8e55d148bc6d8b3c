"""The Streamlit app driven headless with AppTest, on databases built by the real ETL:
every page renders, widgets driven by key write the view to the URL, and a shared link
(query parameters) restores widgets, chart data, the page and the open article."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.link_box import share_box

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PAGES = ["trends", "map", "articles", "data"]
LOAD_COMMAND = "python -m etl ingest PATH..."


def make_app(monkeypatch, db: Path, **params) -> AppTest:
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def shown(markdown: str) -> str:
    """What a reader sees of markdown made by dashboard.text.as_text (its escapes removed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def warnings_of(at: AppTest) -> str:
    return " ".join(shown(w.value) for w in at.warning)


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def values(array) -> list:
    """Plotly writes numeric arrays as base64 typed arrays ({dtype, bdata}); decode either form.
    In a list (the charts as shown, dashboard.charts.layout.screen) a missing value (NaN) is
    JSON null: read back as NaN, as plotly.js draws both (a gap)."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return [float("nan") if v is None else v for v in array]


DATA_URL = "data:application/json,"


def chart_spec(at: AppTest, key: str) -> dict:
    """The spec the browser gets; each trace's `meta` (sent as JSON text, see
    dashboard.charts.layout.screen) and map shapes (sent as a data: URL) read back as dicts."""
    for el in at.get("plotly_chart"):
        if el.proto.id.endswith(key):
            spec = json.loads(el.proto.spec)
            for trace in spec["data"]:
                if isinstance(trace.get("meta"), str):
                    trace["meta"] = json.loads(trace["meta"])
                shapes = trace.get("geojson")
                if isinstance(shapes, str):
                    # in the page itself: a data: URL, never one plotly.js would fetch from a network
                    assert shapes.startswith(DATA_URL), shapes[:80]
                    trace["geojson"] = json.loads(unquote(shapes.removeprefix(DATA_URL)))
            return spec
    raise AssertionError(f"no plotly chart with key {key!r}")


@pytest.fixture(scope="module")
def facts(sample_db):
    """A few values from the sample database to build links with."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        topic, label = con.execute("""
            SELECT t.topic_id, tp.label FROM article_topics t JOIN topics tp USING (topic_id)
            JOIN articles a USING (article_id) WHERE a.is_primary AND a.published_at IS NOT NULL
            GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()
        article_id, title = con.execute(
            "SELECT article_id, title FROM articles WHERE is_primary AND title IS NOT NULL "
            "ORDER BY published_at DESC NULLS LAST, article_id LIMIT 1").fetchone()
        sample = dict(con.execute("SELECT key, value FROM meta").fetchall()).get("sample") == "true"
        first_year, last_year = con.execute(
            "SELECT year(min(published_at)), year(max(published_at)) FROM articles").fetchone()
        country = con.execute("SELECT primary_country FROM articles WHERE primary_country IS NOT NULL "
                              "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    finally:
        con.close()
    return {"topic": topic, "label": label, "article": article_id, "title": title, "sample": sample,
            "country": country, "first_year": first_year, "last_year": last_year}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample_database(monkeypatch, sample_db, page):
    at = make_app(monkeypatch, sample_db, page=page).run()
    no_exceptions(at)
    assert not at.error
    assert at.radio(key="f_page").value == page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_database_says_how_to_load_data(monkeypatch, empty_db, page):
    at = make_app(monkeypatch, empty_db, page=page).run()
    no_exceptions(at)
    code = "\n".join(c.value for c in at.code)
    assert LOAD_COMMAND in code and "make demo" in code
    assert "no articles" in at.warning[0].value


def test_a_missing_database_says_how_to_load_data(monkeypatch, tmp_path):
    at = make_app(monkeypatch, tmp_path / "nothing-here.duckdb").run()
    no_exceptions(at)
    assert "No database at" in at.warning[0].value
    assert LOAD_COMMAND in at.code[0].value


def test_the_synthetic_data_note_shows_exactly_when_the_snapshot_is_the_sample(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db).run()
    notes = [i.value for i in at.info if "Synthetic demo data" in i.value]
    assert bool(notes) == facts["sample"]
    if notes:
        assert "python -m etl ingest" in notes[0]


def test_the_default_view_writes_nothing_to_the_url(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db).run()
    assert dict(at.query_params) == {}


def test_a_shared_link_restores_the_widgets_and_the_chart(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, topic=facts["topic"], grain="week", metric="share",
                  smooth="3", **{"from": "2013-01-01", "to": "2013-12-31"}).run()
    no_exceptions(at)
    assert not at.warning
    assert at.multiselect(key="f_topics").value == [facts["topic"]]
    assert at.button_group(key="f_grain").value == "week"
    assert at.button_group(key="f_metric").value == "share"
    assert at.number_input(key="f_smooth").value == 3
    assert at.selectbox(key="f_preset").value == ("y2013" if facts["first_year"] <= 2013 <= facts["last_year"]
                                                  else "custom")
    spec = chart_spec(at, "trend_chart")
    lines = [t for t in spec["data"] if t.get("meta", {}).get("role") == "line"]
    assert [t["name"] for t in lines] == [facts["label"]]
    assert all(0 <= y <= 100 for y in values(lines[0]["y"]) if y == y)   # NaN: too few articles
    assert values(lines[0]["x"])[0][:10] == "2012-12-31"   # the Monday of the week holding 1 January 2013
    assert "Share of articles tagged" in spec["layout"]["title"]["text"]


def test_choosing_a_topic_writes_it_to_the_url_and_the_chart(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db).run()
    at.multiselect(key="f_topics").set_value([facts["topic"]]).run()
    no_exceptions(at)
    assert at.query_params["topic"] in (facts["topic"], [facts["topic"]])
    spec = chart_spec(at, "trend_chart")
    assert [t["name"] for t in spec["data"] if t.get("meta", {}).get("role") == "line"] == [facts["label"]]


def test_granularity_metric_and_smoothing_are_written_to_the_url(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db).run()
    at.button_group(key="f_grain").set_value("week").run()
    at.button_group(key="f_metric").set_value("share").run()
    at.number_input(key="f_smooth").set_value(4).run()
    no_exceptions(at)
    assert {k: at.query_params[k] for k in ("grain", "metric", "smooth")} == \
        {"grain": "week", "metric": "share", "smooth": "4"}
    spec = chart_spec(at, "trend_chart")
    assert spec["layout"]["yaxis"]["title"]["text"] == "% of articles"


def test_the_date_preset_and_custom_dates_are_written_to_the_url(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db).run()
    at.selectbox(key="f_preset").set_value("custom").run()
    from datetime import date
    at.date_input(key="f_from").set_value(date(2012, 3, 1)).run()
    at.date_input(key="f_to").set_value(date(2012, 6, 30)).run()
    no_exceptions(at)
    assert (at.query_params["from"], at.query_params["to"]) == ("2012-03-01", "2012-06-30")


def test_switching_page_keeps_the_filters_and_writes_the_page(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, topic=facts["topic"]).run()
    at.radio(key="f_page").set_value("map").run()
    no_exceptions(at)
    assert at.query_params["page"] == "map"
    assert at.multiselect(key="f_topics").value == [facts["topic"]]
    at.radio(key="f_page").set_value("trends").run()
    assert at.button_group(key="f_grain").value == "month"


def test_page_controls_keep_their_values_after_visiting_another_page(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, grain="day").run()
    at.radio(key="f_page").set_value("data").run()
    at.radio(key="f_page").set_value("trends").run()
    assert at.button_group(key="f_grain").value == "day"
    assert at.query_params["grain"] == "day"


def test_bad_link_values_fall_back_with_a_visible_warning(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, grain="fortnight", topic="no-such-topic", smooth="lots",
                  page="nowhere", **{"from": "yesterday"}).run()
    no_exceptions(at)
    warnings = warnings_of(at)
    for words in ("Unknown grain", "no-such-topic", "smooth", "not a date", "Unknown page"):
        assert words in warnings
    assert at.radio(key="f_page").value == "trends"
    assert dict(at.query_params) == {}


def test_a_shared_link_opens_the_article_on_the_articles_page(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, page="articles", article=facts["article"]).run()
    no_exceptions(at)
    assert at.radio(key="f_page").value == "articles"
    shown = re.sub(r"<[^>]+>", "", " ".join(h.proto.body for h in at.get("html")))   # drop our <mark>s
    assert html.escape(facts["title"]) in shown
    assert at.query_params["article"] == facts["article"]
    at.button(key="close_article").click().run()
    assert "article" not in at.query_params


def test_an_unknown_article_in_a_link_is_reported_not_raised(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles", article="no-such-id").run()
    no_exceptions(at)
    assert "not in this snapshot" in warnings_of(at)
    assert "article" not in at.query_params


def test_the_articles_page_sorts_pages_and_offers_the_csv(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles").run()
    at.selectbox(key="f_sort").set_value("oldest").run()
    no_exceptions(at)
    assert at.query_params["sort"] == "oldest"
    table = at.dataframe[0].value
    dates = [d for d in table["Date"] if d == d and d is not None]
    assert dates == sorted(dates)
    assert any(b.proto.label.endswith("articles as CSV") for b in at.get("download_button"))


def test_the_keyword_box_filters_the_articles_and_goes_in_the_url(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles").run()
    at.text_input(key="f_q").set_value("zzzqqqxxyy-nothing-matches").run()
    no_exceptions(at)
    assert at.query_params["q"] == "zzzqqqxxyy-nothing-matches"
    assert any("No articles match" in i.value for i in at.info)


def test_the_map_draws_from_local_shapes_with_the_offline_trace_order(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="map").run()
    no_exceptions(at)
    spec = chart_spec(at, "map_chart")
    assert spec["data"][0]["type"] == "scattergeo" and "locationmode" not in spec["data"][0]
    choropleths = [t for t in spec["data"] if t["type"] == "choropleth"]
    assert choropleths and all(isinstance(t["geojson"], dict) for t in choropleths)
    assert spec["layout"]["geo"]["visible"] is False


def test_filtering_by_country_is_written_to_the_url(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, page="map").run()
    at.multiselect(key="f_countries").set_value([facts["country"]]).run()
    at.radio(key="f_role").set_value("dateline").run()
    no_exceptions(at)
    assert at.query_params["country"] == facts["country"] and at.query_params["role"] == "dateline"


def test_the_data_page_lists_ingest_runs_and_counts(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="data").run()
    no_exceptions(at)
    assert [m.label for m in at.metric][:3] == ["Articles", "Unique stories", "Undated"]
    assert len(at.dataframe) >= 3


def test_the_copy_link_box_holds_the_full_link_to_the_view(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, topic=facts["topic"], page="map").run()
    box = next(h.value for h in at.sidebar.html if "share-link" in h.value)
    link = html.unescape(re.search(r"<code[^>]*>(.*?)</code>", box).group(1))
    assert link.startswith("http") and f"topic={facts['topic']}" in link and "page=map" in link
    # no syntax highlighter on the page for this box (st.code would load it)
    assert not at.sidebar.code


def test_the_copy_link_box_escapes_what_a_visitor_typed():
    box = share_box('http://localhost:8501/?q="</code><script>alert(1)</script>&x=1')
    link = re.search(r"<code[^>]*>(.*?)</code>", box).group(1)
    assert "<" not in link and '"' not in link
    assert html.unescape(link) == 'http://localhost:8501/?q="</code><script>alert(1)</script>&x=1'
    assert box.count("<script>") == 1        # the box's own copy script only


def test_reset_brings_back_the_default_view_on_the_same_page(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, topic=facts["topic"], grain="day", page="map").run()
    at.sidebar.button[0].click().run()
    no_exceptions(at)
    assert dict(at.query_params) == {"page": "map"}
    assert at.multiselect(key="f_topics").value == []


# -- issue 13: what a link or a widget holds never raises, is corrected with a notice ---------

@pytest.mark.parametrize("name, value, shown_date", [("from", "1800-01-01", "1900-01-01"),
                                                     ("to", "2999-12-31", "2100-12-31")])
def test_a_link_with_a_date_beyond_the_date_boxes_is_clamped_with_a_notice(monkeypatch, sample_db, name,
                                                                           value, shown_date):
    at = make_app(monkeypatch, sample_db, **{name: value}).run()
    no_exceptions(at)
    assert "outside 1900-01-01 to 2100-12-31" in warnings_of(at)
    assert at.query_params[name] == shown_date
    assert at.selectbox(key="f_preset").value == "custom"
    assert str(at.date_input(key="f_from" if name == "from" else "f_to").value) == shown_date


def test_from_after_to_in_the_date_boxes_is_swapped_in_the_boxes_too_with_a_notice(monkeypatch, sample_db):
    from datetime import date
    at = make_app(monkeypatch, sample_db).run()
    at.selectbox(key="f_preset").set_value("custom").run()
    at.date_input(key="f_from").set_value(date(2013, 6, 30)).run()
    at.date_input(key="f_to").set_value(date(2013, 1, 1)).run()
    no_exceptions(at)
    assert (at.date_input(key="f_from").value, at.date_input(key="f_to").value) == \
        (date(2013, 1, 1), date(2013, 6, 30))
    assert (at.query_params["from"], at.query_params["to"]) == ("2013-01-01", "2013-06-30")
    assert "swapped" in warnings_of(at)


@pytest.mark.parametrize("name, key, value, what", [
    ("source", "f_sources", "No Such Gazette", "Unknown source"),
    ("person", "f_people", "nobody-at-all", "Unknown person or organisation"),
    ("region", "f_regions", "Atlantis", "Unknown region or city"),
    ("country", "f_countries", "ZZ", "Unknown country"),
    ("topic", "f_topics", "no-such-topic", "Unknown topic"),
    ("lang", "f_languages", "xx", "Unknown language"),
])
def test_an_unknown_value_in_a_link_is_dropped_with_a_notice(monkeypatch, sample_db, name, key, value, what):
    at = make_app(monkeypatch, sample_db, page="articles", **{name: value}).run()
    no_exceptions(at)
    notice = warnings_of(at)
    assert what in notice and value in notice
    assert at.multiselect(key=key).value == []
    assert name not in at.query_params
    assert not any("No articles match" in i.value for i in at.info)


def test_a_known_value_next_to_an_unknown_one_is_kept(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, country=[facts["country"], "ZZ"]).run()
    assert at.multiselect(key="f_countries").value == [facts["country"]]
    assert at.query_params["country"] == facts["country"]


@pytest.fixture(scope="module")
def datelined_elsewhere(sample_db):
    """An article filed from a city in one country about another country, alone on its day."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        return con.execute("""
            SELECT article_id, source, published_at::DATE, dateline_place, dateline_country
            FROM articles a WHERE is_primary AND dateline_place IS NOT NULL
              AND dateline_country IS NOT NULL AND dateline_country <> primary_country
              AND (SELECT count(*) FROM articles b WHERE b.is_primary AND b.source = a.source
                   AND b.published_at::DATE = a.published_at::DATE) = 1
            ORDER BY article_id LIMIT 1""").fetchone()
    finally:
        con.close()


def test_the_place_column_gives_the_dateline_city_with_its_own_country(monkeypatch, sample_db,
                                                                       datelined_elsewhere):
    from dashboard.geo.countries import country_name
    _, source, day, city, country = datelined_elsewhere
    at = make_app(monkeypatch, sample_db, page="articles", source=source,
                  **{"from": day.isoformat(), "to": day.isoformat()}).run()
    no_exceptions(at)
    assert list(at.dataframe[0].value["Place"]) == [f"{city}, {country_name(country)}"]


def test_the_place_column_never_prints_nan(monkeypatch, sample_db):
    from dashboard.geo.countries import country_name
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        found = con.execute("""
            SELECT source, published_at::DATE, primary_country FROM articles a
            WHERE is_primary AND dateline_place IS NULL AND primary_region IS NULL
              AND primary_country IS NOT NULL AND published_at IS NOT NULL
            ORDER BY article_id LIMIT 1""").fetchone()
    finally:
        con.close()
    if found is None:
        pytest.skip("the sample has no article with a country but no place")
    source, day, country = found
    # the page must mix rows with and without a place: an all-empty column hides the bug
    at = make_app(monkeypatch, sample_db, page="articles", source=source, to=day.isoformat()).run()
    places = [str(p) for p in at.dataframe[0].value["Place"]]
    assert len(set(places)) > 1
    assert country_name(country) in places
    assert not [p for p in places if "nan" in p.lower().split(", ") or "None" in p]


def test_the_article_tables_page_is_in_the_link_and_restored(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles").run()
    at.number_input(key="f_table_page").set_value(3).run()
    no_exceptions(at)
    assert at.query_params["p"] == "3"
    third = list(at.dataframe[0].value["Title"])
    again = make_app(monkeypatch, sample_db, page="articles", p="3").run()
    assert again.number_input(key="f_table_page").value == 3
    assert list(again.dataframe[0].value["Title"]) == third
    assert any(c.value.startswith("Rows 101–150") for c in again.caption)


def test_the_article_list_has_its_own_heading_a_count_line_and_a_labelled_pager(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles").run()
    no_exceptions(at)
    # the view's sentence is a heading of its own; the count is not run into it
    assert [shown(h.value) for h in at.subheader][:1] == ["Articles, all dates"]
    count = next(m.value for m in at.markdown if re.match(r"\*\*[\d,]+\*\* unique stories", m.value))
    total = int(count.split("**")[1].replace(",", ""))
    pages = -(-total // 50)
    assert any(m.value == f"Page **1** of **{pages}** · 50 per page" for m in at.markdown)
    assert at.button(key="page_prev").disabled and not at.button(key="page_next").disabled
    assert at.number_input(key="f_table_page").label == "Go to page"
    at.button(key="page_next").click().run()
    no_exceptions(at)
    assert at.query_params["p"] == "2" and at.number_input(key="f_table_page").value == 2
    assert any(m.value == f"Page **2** of **{pages}** · 50 per page" for m in at.markdown)
    assert any(c.value.startswith("Rows 51–100 of") for c in at.caption)
    at.button(key="page_prev").click().run()
    assert "p" not in at.query_params and at.button(key="page_prev").disabled


def test_a_table_page_past_the_end_shows_the_last_page_with_a_notice(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles", p="9999").run()
    no_exceptions(at)
    last = int(at.number_input(key="f_table_page").max)
    assert at.number_input(key="f_table_page").value == last
    assert at.query_params["p"] == str(last)
    assert "does not exist" in warnings_of(at)


def test_a_new_filter_starts_the_table_at_its_first_page(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, page="articles", p="2").run()
    at.multiselect(key="f_topics").set_value([facts["topic"]]).run()
    assert at.number_input(key="f_table_page").value == 1 and "p" not in at.query_params


def test_the_passages_or_table_tab_is_in_the_link(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles", q="defected", tab="table").run()
    no_exceptions(at)
    assert at.session_state["f_tab"] == "Table"
    assert at.query_params["tab"] == "table"


def test_leaving_the_articles_page_drops_the_article_from_the_link(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, page="articles", article=facts["article"]).run()
    at.radio(key="f_page").set_value("trends").run()
    no_exceptions(at)
    assert "article" not in at.query_params
    at.radio(key="f_page").set_value("articles").run()
    assert "article" not in at.query_params
    assert not at.get("html") or facts["title"] not in " ".join(h.proto.body for h in at.get("html"))


def test_an_article_in_a_link_to_another_page_is_dropped_with_a_notice(monkeypatch, sample_db, facts):
    at = make_app(monkeypatch, sample_db, page="map", article=facts["article"]).run()
    no_exceptions(at)
    assert "Articles page only" in warnings_of(at)
    assert dict(at.query_params) == {"page": "map"}


PAYLOAD = "![i](http://198.51.100.7/x.png)"


@pytest.mark.parametrize("name", ["grain", "metric", "role", "page", "sort", "copies", "smooth", "tab",
                                  "p", "from", "to", "topic", "source", "person", "region", "country"])
def test_markdown_in_a_link_is_shown_as_text_in_its_notice(monkeypatch, sample_db, name):
    at = make_app(monkeypatch, sample_db, **{name: PAYLOAD}).run()
    no_exceptions(at)
    for w in at.warning:
        assert "![" not in w.value and "](" not in w.value      # every bracket escaped
    assert PAYLOAD[:30].lower() in warnings_of(at).lower()


def test_the_shipped_config_hides_tracebacks_and_names_the_hosts_it_answers():
    import tomllib
    config = tomllib.loads((Path(APP).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] in ("type", "none")
    assert set(config["server"]["allowedHosts"]) == {"localhost", "127.0.0.1", "::1"}
    assert config["server"]["enableCORS"] is True and config["browser"]["gatherUsageStats"] is False
