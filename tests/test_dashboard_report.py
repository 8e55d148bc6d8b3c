"""The report that travels: downloaded from the dashboard in real Chromium, then opened as a file
in a browser with no network. It must show the same numbers as the view it came from, its
articles with their evidence, and the link back; it must ask for nothing; and what an article
holds stays text."""
from __future__ import annotations

import re
from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard import export, report
from tests.browser_app import Visit, require_browser, serve

sync_api = require_browser()


@pytest.fixture(scope="module")
def base(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("report") / "server.log") as url:
        yield url


def _top_topic(db) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""SELECT topic_id FROM article_topics JOIN articles USING (article_id)
                              WHERE is_primary GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()[0]
    finally:
        con.close()


def _metric(page, label: str) -> str:
    return page.locator('[data-testid="stMetric"]', has_text=label).first.locator(
        '[data-testid="stMetricValue"]').inner_text().strip()


def test_a_downloaded_report_opens_offline_with_the_views_numbers_and_evidence(base, browser, sample_db, tmp_path):
    topic = _top_topic(sample_db)
    visit = Visit(browser)
    try:
        visit.open(f"{base}/?topic={topic}&from=2012-01-01&to=2013-12-31&grain=month")
        page = visit.page
        stories = _metric(page, "Unique stories")
        sources = _metric(page, "Sources")
        link = re.search(r"http://127\.0\.0\.1:\d+/\?\S+", visit.sidebar().inner_text()).group(0)
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="This view as a report (HTML)").first.click()
        download = info.value
        assert download.suggested_filename.endswith(".html")
        assert "report" in download.suggested_filename and "2012-2013" in download.suggested_filename
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert visit.external() == []
    finally:
        visit.close()

    size = path.stat().st_size
    assert size < 8 * 1024 * 1024
    context = browser.new_context()
    asked: list[str] = []
    context.route("**/*", lambda route: (asked.append(route.request.url), route.continue_()
                                         if route.request.url.startswith(("file:", "data:", "blob:"))
                                         else route.abort()))
    context.set_offline(True)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=30_000)
        text = page.inner_text("body")
        numbers = {label.inner_text(): value.inner_text()
                   for label, value in zip(page.locator(".numbers .label").all(),
                                           page.locator(".numbers .value").all())}
        assert numbers["Unique stories"] == stories
        assert numbers["Sources"] == sources
        assert "2012–2013" in text.split("\n")[0]
        assert link in text
        rows = page.locator("tbody tr")
        n = int(stories.replace(",", ""))
        assert rows.count() == min(n, report.REPORT_ARTICLES)
        assert page.locator("tbody .evidence").count() >= rows.count()
        assert "Source: Conflict reporting trends, conflict.duckdb" in text
        assert "Exported" in text
    finally:
        context.close()
    assert [u for u in asked if not u.startswith(("file:", "data:", "blob:"))] == []


def test_report_text_from_articles_and_links_is_escaped(tmp_path):
    hostile = '<img src="http://198.51.100.7/x.png"> ![i](http://198.51.100.7/y.png)'
    rep = report.Report(
        title=f"Report: {hostile}", sentence=hostile, link="http://127.0.0.1:8501/?q=%3Cscript%3E",
        credit=export.Credit(source="conflict.duckdb, snapshot 1", made=date(2026, 12, 6)),
        numbers=[("Articles", "1")], total=1,
        articles=pd.DataFrame({"article_id": ["a"], "published_at": [pd.Timestamp("2013-08-21")],
                               "source": [hostile], "title": ["<script>alert(1)</script>"],
                               "url": ["javascript:alert(1)"], "place": ["Ghouta"], "topics": ["Chemical attack"]}),
        evidence={"a": [("Chemical attack", ["<b>sarin</b> gas"])]})
    out = report.report_html(rep)
    assert "<script>alert" not in out and "<img" not in out and "<b>sarin" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'href="javascript' not in out
    assert "default-src 'none'" in out


def test_the_report_states_its_filters_once_and_its_source_and_synthetic_note_before_the_chart():
    """The heading, a 'Filters:' line and the chart's title all repeated the same sentence, and
    the synthetic-data note came only after the article table (tens of screens down)."""
    sentence = "Articles tagged Defection, monthly, 2012–2013"
    rep = report.Report(
        title=f"Report: {sentence}", sentence=sentence, link="http://127.0.0.1:8501/?topic=defection",
        credit=export.Credit(source="sample.duckdb, snapshot 1", made=date(2026, 12, 6), synthetic=True),
        numbers=[("Unique stories", "2")], total=2,
        articles=pd.DataFrame({"article_id": ["a", "b"], "published_at": [pd.Timestamp("2013-08-21")] * 2,
                               "source": ["Levant Ledger"] * 2, "title": ["One", "Two"], "url": ["", ""],
                               "place": ["Homs, Syria"] * 2, "topics": ["Defection"] * 2}))
    out = report.report_html(rep)
    body = out.split("<body>", 1)[1]
    before_table = body.split("<h2>Articles</h2>", 1)[0]
    assert before_table.count(sentence) == 1
    assert export.SYNTHETIC_NOTE in before_table and "Source: " in before_table
