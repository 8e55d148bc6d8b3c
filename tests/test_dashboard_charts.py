"""Charts a journalist can publish, checked on figures built from a real snapshot (the sample
corpus through the real ETL): one panel per topic, titles that wrap, share with its denominator
and small periods greyed, surges that honour the topic filter, a log-scaled map framed on the
data with a size legend and named places. Ends with one real-browser pass (Debian Chromium)
that screenshots every page into bench/out/ and checks the titles are drawn whole."""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, queries
from dashboard.state import Filters

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def con(sample_db):
    c = queries.connect(str(sample_db))
    yield queries.cursor(c)
    c.close()


@pytest.fixture(scope="module")
def labels(con):
    return dict(con.execute("SELECT topic_id, label FROM topics").fetchall())


def traces(fig, role: str) -> list:
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


def trend_fig(con, labels, filters: Filters, **kw):
    trend = queries.topic_trend(con, filters)
    spikes = queries.spikes(con, filters)
    fig = charts.trend_figure(trend, spikes, labels, {}, filters.metric, filters.grain, filters.smooth, **kw)
    return trend, spikes, fig


def test_the_default_trend_chart_is_one_panel_per_topic_on_one_scale(con, labels):
    trend, _, fig = trend_fig(con, labels, Filters())
    lines = traces(fig, "line")
    assert len(lines) == queries.DEFAULT_TOPIC_LINES == trend["topic_id"].nunique()
    axes = [t.yaxis for t in lines]
    assert len(set(axes)) == len(lines)                       # one y axis (panel) per topic
    for name in ("yaxis2", "yaxis3"):
        assert fig.layout[name].matches == "y"                 # ... all on the same scale
    panel_titles = [a.text for a in fig.layout.annotations if a.yanchor == "bottom" and a.x == 0]
    assert [t.split("</b>")[0].removeprefix("<b>").replace("&amp;", "&") for t in panel_titles] == \
        [t.name for t in lines]


def test_a_long_title_wraps_into_lines_instead_of_being_cut(con, labels):
    title = ("Articles tagged Humanitarian aid, Casualties, Displacement & refugees, Shelling or "
             "Defection, from Levant Ledger or Crossroads Monitor, monthly, all dates")
    _, _, fig = trend_fig(con, labels, Filters(), title=title)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) >= 2 and all(len(line) <= charts.TITLE_CHARS + 8 for line in lines)  # &amp; counts 5
    assert " ".join(lines).replace("&amp;", "&") == title
    assert fig.layout.margin.t >= 20 * len(lines)             # room for every line


def test_the_share_hover_names_the_count_and_its_denominator(con, labels, sample_db):
    f = Filters(topics=("defection",), metric="share", date_from=date(2012, 1, 1), date_to=date(2012, 12, 31))
    trend, _, fig = trend_fig(con, labels, f)
    busiest = trend.sort_values("total").iloc[-1]
    raw = duckdb.connect(str(sample_db), read_only=True)
    month = busiest["period"].date()
    total, tagged = raw.execute("""
        SELECT count(*), count(*) FILTER (WHERE article_id IN
               (SELECT article_id FROM article_topics WHERE topic_id = 'defection'))
        FROM articles WHERE is_primary AND date_trunc('month', published_at)::DATE = ?""", [month]).fetchone()
    raw.close()
    line = traces(fig, "line")[0]
    text = next(c[3] for c in line.customdata if c[1] == month.isoformat())
    assert f"{tagged:,} of {total:,} articles in the view" in text
    assert text.startswith(f"{100 * tagged / total:.1f}%")
    assert "%{customdata[3]}" in line.hovertemplate


def test_share_periods_with_too_few_articles_are_grey_points_not_part_of_the_line(con, labels):
    f = Filters(topics=("defection",), metric="share")
    trend, _, fig = trend_fig(con, labels, f)
    small = trend[trend["total"] < charts.MIN_SHARE_BASE]
    assert len(small) and len(small) < len(trend)              # the sample has both kinds of month
    line = traces(fig, "line")[0]
    ys = pd.Series(list(line.y), index=pd.to_datetime(list(line.x)))
    assert ys[pd.to_datetime(small["period"])].isna().all()
    big = trend[trend["total"] >= charts.MIN_SHARE_BASE]
    assert ys[pd.to_datetime(big["period"])].notna().all()
    grey = traces(fig, "low_base")[0]
    assert sorted(pd.to_datetime(list(grey.x))) == sorted(pd.to_datetime(small["period"]))
    assert grey.marker.color == "white" and all(f"fewer than {charts.MIN_SHARE_BASE} articles" in c[3]
                                                for c in grey.customdata)
    assert fig.layout.yaxis.range[1] < 100                     # the scale fits the reliable periods


def test_the_count_hover_gives_the_articles_in_the_view(con, labels):
    trend, _, fig = trend_fig(con, labels, Filters(topics=("defection",)))
    line = traces(fig, "line")[0]
    row = trend.sort_values("n").iloc[-1]
    text = next(c[3] for c in line.customdata if c[1] == row["period"].date().isoformat())
    assert text == f"{row['n']:,} articles (of {row['total']:,} in the view)"


def test_surges_honour_the_topic_filter(con):
    everything = queries.spikes(con, Filters())
    assert everything["topic_id"].nunique() > 1
    topic = everything["topic_id"].iloc[0]
    chosen = queries.spikes(con, Filters(topics=(topic,)))
    assert set(chosen["topic_id"]) == {topic}
    expected = everything[everything["topic_id"] == topic].reset_index(drop=True)
    pd.testing.assert_frame_equal(chosen.reset_index(drop=True), expected, check_dtype=False)
    other = next(t for t in everything["topic_id"] if t != topic)
    assert set(queries.spikes(con, Filters(topics=(topic, other)))["topic_id"]) == {topic, other}


def test_the_surges_metric_and_list_count_only_the_chosen_topic(monkeypatch, sample_db, con):
    topic = queries.spikes(con, Filters())["topic_id"].iloc[0]
    expected = len(queries.spikes(con, Filters(topics=(topic,))))
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(sample_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["topic"] = topic
    at.run()
    assert not at.exception
    surges = next(m for m in at.metric if m.label == "Surges")
    assert surges.value == f"{expected:,}"
    table = next(t.value for t in at.table if "× usual" in t.value.columns)
    assert len(table) == min(expected, 12) and set(table["Topic"]) <= {at.multiselect(key="f_topics").format_func(topic).split(" (")[0]}
    assert any(c.value.startswith(f"{expected:,} surge") and "the chosen topics" in c.value for c in at.caption)


def test_the_surge_list_is_a_plain_table_whose_headers_and_rows_are_all_shown(monkeypatch, sample_db, con):
    """A data grid in the narrow right-hand column cut its last header ("Size (× usua") and
    scrolled inside itself; a plain table wraps instead and shows every row."""
    spikes = queries.spikes(con, Filters())
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(sample_db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert not [d for d in at.dataframe if "Topic" in d.value.columns and "Period" in d.value.columns]
    table = next(t.value for t in at.table if "Period" in t.value.columns)
    assert list(table.columns) == ["Topic", "Period", "Articles", "× usual"]
    assert len(table) == min(len(spikes), 12) >= 10


# -- the map --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def map_data(con):
    f = Filters()
    return queries.country_counts(con, f), queries.place_counts(con, f)


def test_countries_are_shaded_on_a_log_scale_with_readable_ticks(map_data):
    countries, places = map_data
    fig = charts.map_figure(countries, places)
    shaded = next(t for t in fig.data if t.type == "choropleth" and t.name == "Countries")
    n = dict(zip(countries["code"], countries["n"]))
    for code, z in zip(shaded.locations, shaded.z):
        assert z == pytest.approx(math.log10(n[code]))
    ticks = dict(zip(shaded.colorbar.ticktext, shaded.colorbar.tickvals))
    assert ticks["10"] == pytest.approx(1) and ticks["100"] == pytest.approx(2)
    top, second = sorted(n.values(), reverse=True)[:2]
    # on the old linear scale the runner-up sat in the palest quarter; now it is well up the scale
    assert math.log10(second) / math.log10(top) > 0.6


def test_the_frame_holds_far_places_with_many_articles_and_names_the_rest(map_data):
    countries, places = map_data
    box, outside = charts.map_frame(countries, places)
    at = places.set_index("name")
    for name in ("Moscow", "Geneva", "Damascus", "Cairo"):
        lon, lat = at.loc[name, "lon"], at.loc[name, "lat"]
        lon = lon if isinstance(lon, float) else lon.iloc[0]
        lat = lat if isinstance(lat, float) else lat.iloc[0]
        assert box[0] <= lon <= box[2] and box[1] <= lat <= box[3], name
    assert outside["n"].sum() <= charts.OUTSIDE_SHARE * places["n"].sum() + 1e-9
    fig = charts.map_figure(countries, places)
    note = [a.text for a in fig.layout.annotations if a.text.startswith("Outside this frame")]
    if len(outside):
        assert note and all(name in note[0] for name in outside["name"].head(6))
    else:
        assert not note


def test_bubbles_have_a_size_legend_on_the_same_scale_and_the_leading_places_are_named(map_data):
    countries, places = map_data
    fig = charts.map_figure(countries, places, title="Articles, all dates — by country and place")
    bubbles = fig.data[0]
    largest = places["n"].max()
    assert bubbles.type == "scattergeo" and bubbles.marker.size[0] == pytest.approx(charts.MAX_BUBBLE)
    circles = [s for s in fig.layout.shapes if s.type == "circle"]
    legend_values = [int(a.text.replace(",", "")) for a in fig.layout.annotations if a.text.replace(",", "").isdigit()]
    assert len(circles) == len(legend_values) >= 2
    for circle, value in zip(circles, legend_values):
        assert circle.x1 - circle.x0 == pytest.approx(charts.bubble_size(value, largest))
    # side by side, each number under its own circle (nested circles printed them on each other)
    assert all(a.x1 <= b.x0 for a, b in zip(circles, circles[1:]))
    labels = [t for t in fig.data if t.name == "labels"]
    assert labels and all(len(t.text) <= charts.PLACE_LABELS for t in labels) and "Damascus" in labels[0].text
    assert fig.layout.title.text.startswith("Articles, all dates")


def test_the_busiest_places_are_named_in_an_enlarged_panel_with_no_two_names_overlapping(map_data):
    """With far datelines in the frame (Moscow, Philadelphia) the Syrian places were one blob
    with one name (Damascus) while Sibay and Astana were named; now the crowded area is
    enlarged beside an overview, and names are placed where they do not collide."""
    countries, places = map_data
    fig = charts.map_figure(countries, places)
    assert fig.layout.geo2.domain.x[0] > fig.layout.geo.domain.x[1]         # two panels
    named = {n for t in fig.data if t.name == "labels" for n in t.text}
    busiest = places.sort_values("n", ascending=False)["name"].head(6)
    assert set(busiest) <= named, set(busiest) - named
    core = fig.layout.geo
    main = next(t for t in fig.data if t.name == "labels" and t.geo == "geo")
    # names' boxes in the enlarged panel's pixels (Mercator), as charts lays them out
    width, height = charts.MAP_WIDTH * core.domain.x[1], 600 - fig.layout.margin.t - fig.layout.margin.b
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    x0, x1 = core.lonaxis.range
    y0, y1 = y(core.lataxis.range[0]), y(core.lataxis.range[1])
    boxes = []
    for lon, lat, text, size, pos in zip(main.lon, main.lat, main.text, main.marker.size, main.textposition):
        px, py = (lon - x0) / (x1 - x0) * width, (y(lat) - y0) / (y1 - y0) * height
        w, h, r = 0.5 * 11 * len(text), 13, size / 2
        dx, dy = {"top center": (0, 1), "bottom center": (0, -1), "middle right": (1, 0), "middle left": (-1, 0)}[pos]
        cx, cy = px + dx * (r + w / 2), py + dy * (r + h / 2)
        boxes.append((text, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[3] <= b[1] or a[1] >= b[3] or a[4] <= b[2] or a[2] >= b[4], (a[0], b[0])


def test_the_map_keeps_the_offline_trace_order(map_data):
    fig = charts.map_figure(*map_data)
    assert fig.data[0].type == "scattergeo" and fig.data[0].locationmode is None
    assert fig.layout.geo.visible is False and fig.layout.geo2.visible is False


# -- one real browser: every page drawn, titles whole, the PNG download named for the view ------

SHOTS = ROOT / "bench" / "out" / "screens"


@pytest.fixture(scope="module")
def chromium_page(sample_db, tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    from bench import browser

    if not Path(browser.CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {browser.CHROMIUM} (apt-get install -y chromium)")
    log = tmp_path_factory.mktemp("streamlit-shots") / "server.log"
    with sync_api.sync_playwright() as p, browser.serve(sample_db, log=log) as base:
        b = browser.launch(p)
        page = b.new_page(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
        page.add_init_script(browser.WATCH_DOM)
        yield base, page
        b.close()


def _title_fits(page, chart: str) -> bool:
    """The chart's title is drawn and ends inside the figure (plotly cuts, never wraps)."""
    return page.evaluate("""(key) => {
        const plot = document.querySelector(`[class*="st-key-${key}"] .js-plotly-plot`);
        const title = plot && plot.querySelector('.gtitle');
        if (!title) return false;
        const t = title.getBoundingClientRect(), p = plot.getBoundingClientRect();
        return t.width > 0 && t.right <= p.right + 1 && t.left >= p.left - 1;
    }""", chart)


def _overlapping_names(page) -> list:
    """Pairs of place names drawn on the map whose boxes intersect (as the browser drew them)."""
    return page.evaluate("""() => {
        const boxes = [...document.querySelectorAll('[class*="st-key-map_chart"] .textpoint text')]
            .map(t => [t.textContent, t.getBoundingClientRect()]).filter(([_, r]) => r.width > 0);
        const out = [];
        boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, q]) => {
            if (r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1)
                out.push([a, b]);
        }));
        return out;
    }""")


def test_every_page_draws_whole_titles_and_the_png_is_named_for_the_view(chromium_page):
    from bench import browser

    base, page = chromium_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    views = {"trends": "/", "trends-share": "/?topic=defection&country=SY&metric=share&from=2012-01-01&to=2013-12-31",
             "map": "/?page=map", "map-dateline": "/?page=map&role=dateline&topic=displacement_refugees",
             "articles": "/?page=articles&topic=defection", "data": "/?page=data"}
    for name, path in views.items():
        chart = "trend_chart" if name.startswith("trends") else "map_chart" if name.startswith("map") else None
        ready = (lambda: page.locator(".js-plotly-plot .main-svg").count() > 0) if chart else None
        browser.open_app(page, base + path, ready)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        if chart:
            assert _title_fits(page, chart), name
        if name == "map":
            assert _overlapping_names(page) == [], name
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    browser.open_app(page, base + "/?topic=defection&from=2012-01-01&to=2013-12-31",
                     lambda: page.locator(".js-plotly-plot .main-svg").count() > 0)
    plot = page.locator('[class*="st-key-trend_chart"] .js-plotly-plot')
    plot.hover()
    with page.expect_download(timeout=60_000) as download:
        page.locator('[class*="st-key-trend_chart"] [data-title="Download plot as a PNG"]').click()
    assert download.value.suggested_filename == "defection-trend-2012-2013.png"
    with page.expect_download(timeout=60_000) as download:
        page.get_by_text("Chart as HTML (works offline)").click()
    assert download.value.suggested_filename == "defection-trend-2012-2013.html"
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<title>Articles tagged Defection, monthly, 2012–2013</title>" in saved


@pytest.mark.parametrize("panels", range(1, 9))
def test_any_number_of_panels_lays_out_inside_the_figure(panels):
    """Panel edges computed in floats once came out a hair below 0 (-2.8e-17 for one view of a
    single day), which plotly refuses: the page showed an exception instead of the chart."""
    trend = pd.DataFrame({"period": pd.to_datetime(["2012-07-01"] * panels), "n": [1] * panels,
                          "topic_id": [f"t{i}" for i in range(panels)], "total": [1] * panels,
                          "value": [1.0] * panels, "smoothed": [1.0] * panels})
    fig = charts.trend_figure(trend, pd.DataFrame(columns=["topic_id", "period", "n", "baseline", "ratio"]),
                              {}, {}, "count", "month", 0, title="A day", footer="Source")
    fig.to_dict()
    for name in [k for k in fig.to_plotly_json()["layout"] if k.startswith("yaxis")]:
        lo, hi = fig.layout[name].domain
        assert 0.0 <= lo < hi <= 1.0


def test_a_panel_heading_counts_one_article_in_the_singular():
    from dashboard.charts.trend import _panel_heading
    assert "1 article<" in _panel_heading("Defection", 1, "#000", 0.5)["text"]
    assert "2,345 articles<" in _panel_heading("Defection", 2345, "#000", 0.5)["text"]


# -- on screen: the theme written into the figure (dashboard/charts/layout.py `screen`) -----------

def test_the_shown_figure_carries_streamlits_theme_itself_and_nothing_plotly_compares_by_identity(con, labels):
    import json

    import plotly.io as pio
    _, _, fig = trend_fig(con, labels, Filters(), title="Articles by topic")
    before = fig.to_json()
    spec = charts.screen(fig).to_dict()
    text = pio.to_json(spec, validate=False)
    assert spec["layout"].get("template") is None                  # no template object to re-compare
    assert "bdata" not in text                                     # lists, never base64 arrays
    assert spec["layout"]["datarevision"]
    assert all(isinstance(t.get("meta"), str) for t in spec["data"] if "meta" in t)
    assert "line" in {json.loads(t["meta"])["role"] for t in spec["data"] if "meta" in t}
    lay = spec["layout"]
    assert lay["font"]["family"].startswith('"Source Sans"') and lay["font"]["color"] == "#808495"
    assert lay["hoverlabel"]["bgcolor"] == "#FFFFFF" and lay["paper_bgcolor"] == "#FFFFFF"
    assert lay["title"]["text"].startswith("<b>") and lay["title"]["text"].endswith("</b>")
    for name in (k for k in lay if k.startswith(("xaxis", "yaxis"))):
        axis = lay[name]
        assert axis["showline"] is False and "minor" not in axis   # a template colour shows no line
        assert axis["tickfont"]["color"] == "#808495"
    assert lay["xaxis"]["showgrid"] is False and lay["yaxis"]["gridcolor"] == "#e6eaf1"
    assert fig.to_json() == before                                 # exports keep the figure as built
    assert charts.screen(fig) is charts.screen(fig)                # a kept figure is baked once
    changed = charts.screen(trend_fig(con, labels, Filters(grain="week"))[2]).to_dict()
    assert changed["layout"]["datarevision"] != lay["datarevision"]


def test_streamlits_own_template_has_its_placeholder_colours_replaced(con):
    import plotly.graph_objects as go
    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))                     # named no template: Streamlit's
    spec = charts.screen(fig).to_dict()
    assert spec["layout"]["colorway"][0] == "#0068c9"
    assert "#0000" not in str(spec)
    assert spec["layout"]["xaxis"]["showgrid"] is False and spec["layout"]["yaxis"]["zeroline"] is True


def test_every_page_draws_its_charts_unthemed(monkeypatch, sample_db):
    from test_dashboard_app import make_app
    for page in ("trends", "data"):
        at = make_app(monkeypatch, sample_db, page=page).run()
        assert not at.exception
        shown = at.get("plotly_chart")
        assert shown and all(el.proto.theme == "" for el in shown), page
