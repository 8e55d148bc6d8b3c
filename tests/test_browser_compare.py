"""The Compare page in real Chromium: a reader builds a three-series comparison (one click "by
source", then a keyword typed into one series and the share metric), copies the link, and a
fresh browser opens it to the same series and numbers. One server for the module, on the
sample database built by the real ETL."""
from __future__ import annotations

import pytest

from tests.browser_app import Visit, require_browser, serve
from tests.test_browser_journeys import share_link

sync_api = require_browser()

# plotly's traces as drawn (`meta` is sent as JSON text); NaN (no value) as null
LINES = """() => {
  const plot = document.querySelector('.st-key-compare_chart .js-plotly-plot');
  if (!plot || !plot._fullData) return null;
  return plot._fullData.filter(t => t.meta && JSON.parse(t.meta).role === 'line')
    .map(t => [t.name, Array.from(t.y, y => Number.isNaN(y) ? null : y)]);
}"""


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("compare") / "server.log") as base:
        yield base


def lines(v: Visit) -> list:
    v.page.wait_for_selector(".st-key-compare_chart .js-plotly-plot", timeout=30_000)
    return v.page.evaluate(LINES)


def totals(v: Visit) -> str:
    return v.widget("compare_totals").inner_text()


def test_a_comparison_built_in_the_page_reopens_from_its_link_with_the_same_numbers(server, browser):
    with Visit(browser) as v:
        v.open(f"{server}/?page=compare&from=2012-01-01&to=2014-12-31")
        box = v.widget("cmp_split_n").locator("input")
        box.fill("3")
        v.act(lambda: box.press("Enter"))
        v.act(v.page.get_by_role("button", name="By source (top 3)").click)
        assert len(lines(v)) == 3
        v.act(v.widget("cmp_box_0").locator("summary").click, expect_run=False)
        keyword = v.widget("cmp_0_q").locator("input")
        keyword.fill("killed")
        v.act(lambda: keyword.press("Enter"))
        v.act(v.widget("f_metric").get_by_role("radio", name="Share %").click)
        shown = lines(v)
        assert len(shown) == 3 and all(0 <= y <= 100 for _, ys in shown for y in ys if y is not None)
        # only series 1 has a keyword: its share falls below 100 %, the others' (no keyword, no
        # topic: the series is its own base) stay at 100 % wherever the base is large enough
        assert any(y < 100 for y in shown[0][1] if y is not None)
        assert all(y == 100 for _, ys in shown[1:] for y in ys if y is not None)
        assert v.params()["metric"] == ["share"] and v.params()["cmp"][0].startswith("1.")
        table = totals(v)
        v.page.locator(".st-key-compare_chart .js-plotly-plot").scroll_into_view_if_needed()
        v.shot("compare")
        link = share_link(v)
        assert "cmp=1." in link
        assert v.exceptions() == [] and v.external() == []
    with Visit(browser) as fresh:
        fresh.open(link)
        assert lines(fresh) == shown
        assert totals(fresh) == table
        assert fresh.widget("cmp_0_q").locator("input").input_value() == "killed"
        assert fresh.exceptions() == [] and fresh.external() == [] and fresh.warnings() == ""
