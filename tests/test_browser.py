"""One real browser (Debian's Chromium via Playwright) against `python -m dashboard`
on the sample database: a shared link restores the view, the map draws from local shapes, an
article is opened by a click, article markup stays inert, and no request leaves 127.0.0.1."""
from __future__ import annotations

import re

import duckdb
import pytest

from tests.browser_app import Visit, chromium, require_browser, serve

sync_api = require_browser()


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("streamlit") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as b:
        yield b


@pytest.fixture
def visit(browser):
    v = Visit(browser)
    yield v
    v.close()


@pytest.fixture(scope="module")
def facts(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        topic, label = con.execute("""
            SELECT t.topic_id, tp.label FROM article_topics t JOIN topics tp USING (topic_id)
            JOIN articles a USING (article_id) WHERE a.is_primary AND a.published_at IS NOT NULL
            GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()
        script = con.execute("""SELECT article_id, title FROM articles
                                WHERE body ILIKE '%<script%' OR title ILIKE '%<script%'
                                   OR caption ILIKE '%<script%' ORDER BY article_id LIMIT 1""").fetchone()
    finally:
        con.close()
    return {"topic": topic, "label": label, "script": script}


def test_a_shared_link_restores_the_view_and_nothing_leaves_the_machine(server, visit, facts):
    visit.open(f"{server}/?topic={facts['topic']}&grain=week&metric=share&from=2012-01-01&to=2013-12-31"
               "&q=defected+-%22opposition+activists%22")
    page = visit.page
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=60_000)
    body = page.inner_text("body")
    assert f"Share of articles tagged {facts['label']}" in body
    assert "2012–2013" in body
    assert 'matching “defected -"opposition activists"”' in body
    sidebar = page.inner_text('[data-testid="stSidebar"]')
    assert facts["label"] in sidebar
    assert "topic=" in sidebar and "metric=share" in sidebar      # the copy-link box
    assert "q=defected" in sidebar
    keyword = page.locator('[data-testid="stSidebar"] input[aria-label="Keyword"]')
    assert keyword.input_value() == 'defected -"opposition activists"'
    assert re.search(r"[?&]metric=share", page.url) and re.search(r"[?&]grain=week", page.url)
    assert re.search(r"[?&]q=defected", page.url)
    visit.shot("trends")
    assert visit.external() == []


def test_a_keyword_link_lists_passages_with_only_marks_as_markup(server, visit):
    visit.open(f"{server}/?page=articles&q=defected")
    page = visit.page
    page.wait_for_selector('[class*="st-key-hit_0"] mark', timeout=60_000)
    marks = page.locator('[class*="st-key-hit_"] mark')
    assert marks.count() >= 5 and marks.first.inner_text().lower().startswith("defect")
    assert page.locator('[class*="st-key-hit_"] script, [class*="st-key-hit_"] a').count() == 0
    page.locator('[class*="st-key-hit_0"] button').click()
    page.wait_for_selector('[class*="st-key-article_detail"]', timeout=30_000)
    visit.idle()
    assert re.search(r"[?&]article=[^&]+", page.url) and re.search(r"[?&]q=defected", page.url)
    assert page.locator(".article-body mark[title*='keyword: defected']").count() >= 1
    visit.shot("keyword")
    assert visit.external() == []


def test_the_map_draws_from_local_shapes_with_no_network(server, visit):
    visit.open(f"{server}/?page=map")
    page = visit.page
    page.wait_for_selector(".js-plotly-plot .choroplethlocation", state="attached", timeout=60_000)
    assert page.locator(".js-plotly-plot .choroplethlocation").count() > 10
    assert page.locator(".js-plotly-plot .scattergeo .point").count() >= 1
    visit.shot("map")
    assert visit.external() == []


def test_clicking_an_article_row_opens_it_and_writes_it_to_the_link(server, visit):
    visit.open(f"{server}/?page=articles&sort=oldest")
    page = visit.page
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)      # the first row's selection box
    page.wait_for_selector('[class*="st-key-article_detail"]', timeout=30_000)
    visit.idle()
    assert re.search(r"[?&]article=[^&]+", page.url)
    assert "Provenance" in page.inner_text("body") or "Duplicates and provenance" in page.inner_text("body")
    visit.shot("articles")
    assert visit.external() == []


def test_an_article_containing_a_script_tag_stays_inert(server, visit, facts):
    if facts["script"] is None:
        pytest.skip("the sample corpus has no article containing <script>")
    article_id, _ = facts["script"]
    visit.open(f"{server}/?page=articles&article={article_id}")
    page = visit.page
    page.wait_for_selector(".article-body", timeout=60_000)
    visit.page.wait_for_timeout(1500)
    text = page.inner_text(".article-body")
    assert "<script" in text.lower()                         # shown literally, as text
    assert page.locator(".article-body script").count() == 0
    assert visit.dialogs == []
    visit.shot("article-script")
    assert visit.external() == []


def test_every_page_opens_without_an_error_box(server, visit):
    for name in ("trends", "map", "articles", "data"):
        visit.open(f"{server}/?page={name}")
        assert page_has_no_exception(visit.page), name
    visit.shot("data")
    assert visit.external() == []


def page_has_no_exception(page) -> bool:
    return page.locator('[data-testid="stException"]').count() == 0
