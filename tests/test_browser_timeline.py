"""Journeys in real Chromium over what the time charts show beside the counts: the key dates.
One server for the module, on the sample database built by the real ETL."""
from __future__ import annotations

import re
import urllib.request

import pytest

from tests.browser_app import Visit, require_browser, serve
from tests.browser_reader import choose
from tests.test_browser_journeys import share_link, toggle

sync_api = require_browser()


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("timeline") / "server.log") as base:
        yield base


def chart_labels(v: Visit) -> list[str]:
    """The texts of the trend chart's annotations (panel titles, footer and key dates)."""
    return [t.text_content() for t in v.widget("trend_chart").locator("g.annotation text.annotation-text").all()]


def test_key_dates_are_drawn_go_in_the_report_and_hiding_them_survives_a_fresh_browser(server, browser, tmp_path):
    with Visit(browser) as v:
        v.open(f"{server}/?topic=chemical_weapons&from=2013-01-01&to=2013-12-31")
        v.page.wait_for_selector(".st-key-trend_chart g.annotation", timeout=30_000)
        assert "Ghouta chemical attack" in chart_labels(v)
        label = v.widget("trend_chart").locator("g.annotation", has_text="Ghouta chemical attack").first
        label.hover()
        v.page.wait_for_function("() => [...document.querySelectorAll('.st-key-trend_chart .hoverlayer')]"
                                 ".some(h => h.textContent.includes('21 Aug 2013: Ghouta chemical attack'))",
                                 timeout=10_000)
        v.shot("key-dates")
        with v.page.expect_download(timeout=60_000) as info:
            v.page.get_by_role("button", name="This view as a report (HTML)").first.click()
        path = tmp_path / "report.html"
        info.value.save_as(path)
        text = path.read_text(encoding="utf-8")
        assert "Key dates on the chart (dotted lines): 21 Aug 2013: Ghouta chemical attack" in text

        toggle(v, "f_key_dates")
        assert v.params()["keydates"] == ["0"]
        assert "Ghouta chemical attack" not in chart_labels(v)
        link = share_link(v)
        assert "keydates=0" in link
        assert v.exceptions() == [] and v.external() == []
    with Visit(browser) as fresh:
        fresh.open(link)
        assert not fresh.widget("f_key_dates").locator("input[type=checkbox]").is_checked()
        assert "Ghouta chemical attack" not in chart_labels(fresh)
        assert fresh.params()["keydates"] == ["0"]
        assert fresh.exceptions() == [] and fresh.external() == []


DRAWN = "el => !!el.querySelector('.main-svg')"


def test_sources_over_time_is_drawn_when_scrolled_near_and_stays_drawn(server, browser):
    """The chart below the fold waits for the reader (dashboard/lazy.py): the page's first
    screen is drawn without it; scrolling to it draws it; a filter change (an outlet picked
    under it) then redraws it with the page: one panel, not the eight drawn before."""
    with Visit(browser, viewport=(1400, 1000)) as v:
        v.open(f"{server}/?from=2012-01-01&to=2013-12-31")
        v.page.wait_for_selector(".st-key-trend_chart .main-svg", timeout=30_000)
        chart = v.widget("source_chart")
        assert chart.count() == 1 and chart.bounding_box()["height"] > 500   # its place is kept
        v.page.wait_for_timeout(500)
        assert not chart.evaluate(DRAWN)
        chart.scroll_into_view_if_needed()
        v.page.wait_for_selector(".st-key-source_chart g.point path", timeout=30_000)
        assert len(panel_titles(v)) == 8
        outlet = panel_titles(v)[0].split("  ")[0].strip()
        choose(v, "source_pick", outlet)
        assert v.params()["source"] == [outlet]
        v.page.wait_for_function("() => [...document.querySelectorAll('.st-key-source_chart "
                                 "g.annotation text.annotation-text')].filter(t => "
                                 "t.textContent.endsWith('articles')).length === 1", timeout=30_000)
        assert panel_titles(v)[0].startswith(outlet)
        assert v.exceptions() == [] and v.external() == []


def test_sources_over_time_waits_even_when_the_sidebars_script_comes_last(server, browser):
    """React commits each element when its own code has arrived, in no fixed order, so the
    sidebar's copy of the lazy script can come after the charts (seen under load). The copy in
    the served page's <head> holds the chart anyway: here Streamlit's code for the sidebar's Html
    element is held back until the trend chart is drawn, and "Sources over time" must still wait
    for a scroll; let through, the sidebar's copy changes nothing."""
    held = []
    with Visit(browser, viewport=(1400, 1000)) as v:
        v.page.route("**/static/js/Html.*.js", lambda route: held.append(route))
        # not `v.open`: it waits for every element's code, and the Html element's is held
        v.page.goto(f"{server}/?from=2012-01-01&to=2013-12-31")
        v.page.wait_for_selector(".st-key-trend_chart .main-svg", timeout=60_000)
        chart = v.widget("source_chart")
        v.page.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')"
                                 ".getAttribute('data-test-script-state') === 'notRunning'", timeout=60_000)
        assert chart.count() == 1 and chart.bounding_box()["height"] > 500
        v.page.wait_for_timeout(1_000)
        assert held, "the Html element's code was not requested, so nothing was held back"
        assert not chart.evaluate(DRAWN)
        for route in held:
            route.continue_()
        v.page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stHtml']", state="attached", timeout=30_000)
        v.idle()
        v.page.wait_for_timeout(500)
        assert not chart.evaluate(DRAWN)
        chart.scroll_into_view_if_needed()
        v.page.wait_for_selector(".st-key-source_chart g.point path", timeout=30_000)
        assert len(panel_titles(v)) == 8
        assert v.exceptions() == [] and v.external() == []


def test_the_served_page_carries_the_lazy_script_before_streamlits_code(server):
    with urllib.request.urlopen(f"{server}/?from=2012-01-01") as answer:
        page = answer.read().decode("utf-8")
    head = page[:page.index("</head>")]
    assert "__lazyCharts" in head and '"source_chart"' in head
    assert head.index("__lazyCharts") < head.index('type="module"')
    # the rest of Streamlit's folder is still served, through the links beside the new page
    bundle = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', page).group(1)
    for path in ("favicon.png", "manifest.json", bundle):
        with urllib.request.urlopen(f"{server}/{path}") as answer:
            assert answer.status == 200 and answer.read(), path


def panel_titles(v: Visit) -> list[str]:
    """The titles of the sources chart's panels ("<outlet>  <n> articles"), top to bottom."""
    texts = [t.text_content() for t in v.widget("source_chart").locator("g.annotation text.annotation-text").all()]
    return [t for t in texts if t.endswith("articles")]


def test_clicking_an_outlets_bar_filters_by_it_and_the_link_keeps_it(server, browser):
    with Visit(browser) as v:
        v.open(f"{server}/?from=2012-01-01&to=2013-12-31")
        chart = v.widget("source_chart")
        chart.scroll_into_view_if_needed()
        v.page.wait_for_selector(".st-key-source_chart g.point path", timeout=30_000)
        outlet = chart.locator("g.annotation text.annotation-text").first.text_content().split("  ")[0].strip()
        bars = chart.locator("g.trace.bars").first.locator("g.point path")
        tall = next(b for b in bars.all() if (b.bounding_box() or {}).get("height", 0) > 4)
        v.shot("sources-over-time")
        box = tall.bounding_box()     # plotly's drag layer lies over the bars: click where one is
        v.act(lambda: v.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
        assert v.params()["source"] == [outlet]
        assert v.chips("f_sources")[0].startswith(outlet)
        titles = [t.text_content() for t in v.widget("source_chart").locator("g.annotation text.annotation-text").all()]
        assert sum(t.endswith("articles") for t in titles) == 1       # one outlet's panel left
        link = share_link(v)
        assert v.exceptions() == [] and v.external() == []
    with Visit(browser) as fresh:
        fresh.open(link)
        assert fresh.params()["source"] == [outlet]
        assert fresh.chips("f_sources")[0].startswith(outlet)
        assert fresh.exceptions() == [] and fresh.external() == []


def test_a_person_clicked_in_whats_in_this_view_joins_the_filters_and_the_link(server, browser):
    with Visit(browser) as v:
        v.open(f"{server}/?topic=defection")
        person = v.widget("top_trends_people").locator("button").first
        person.scroll_into_view_if_needed()
        name = person.inner_text().split(" · ")[0].strip()
        v.shot("whats-in-this-view")
        # every value offered can be seen: a row of pills wraps inside the panel, none is cut
        # off at the edge of a narrow column
        panel = v.page.locator("[data-testid='stExpander']").filter(has_text="What's in this view").first
        edge = panel.bounding_box()
        for facet in ("sources", "countries", "regions", "people"):
            pills = v.widget(f"top_trends_{facet}").locator("button").all()
            assert pills, facet
            for pill in pills:
                box = pill.bounding_box()
                assert box["x"] >= edge["x"] and box["x"] + box["width"] <= edge["x"] + edge["width"] + 0.5, \
                    (facet, pill.inner_text(), box, edge)
        v.act(person.click)
        assert len(v.params()["person"]) == 1
        assert v.chips("f_people")[0].startswith(name)
        link = share_link(v)
        assert v.exceptions() == [] and v.external() == []
    with Visit(browser) as fresh:
        fresh.open(link)
        assert fresh.chips("f_people")[0].startswith(name)
        assert fresh.exceptions() == []
