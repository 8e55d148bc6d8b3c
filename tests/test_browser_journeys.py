"""People's journeys through the dashboard in real Chromium (Playwright): several steps in a row
that click, type and navigate as a reader would, checking what the page shows, what the address
bar holds, and that a copied link rebuilds the same view in a fresh browser. One server for the
whole module, on the sample database built by the real ETL. Each journey is named after the
defect it guards (issue 13's list). The clicks and the SQL twin of the headline count are in
tests/browser_reader.py; the seeded random walk is tests/test_browser_walk.py.
"""
from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from dashboard.geo.countries import country_name
from dashboard.state import Filters
from tests.browser_app import Visit, require_browser, serve
from tests.browser_reader import (choose, date_box, eventually, no_error_box, pick, radio, sample_facts,
                                  share_link, shown_count, source_count, sql_count, toggle, type_date, url_filters)

require_browser()


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("journeys") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def db(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def facts(db):
    return sample_facts(db)


# -- journeys ----------------------------------------------------------------------------------

def test_the_page_counts_each_run_of_the_server_once(server, visit):
    """Every journey waits on the page's count of finished runs (tests/browser_app.py): it
    must count the server's runs, not the messages of one."""
    visit.open(server + "/")
    assert visit.runs() == 1
    radio(visit, "f_page", "Articles")
    assert visit.runs() == 2
    radio(visit, "f_page", "Trends")
    assert visit.runs() == 3


def test_chosen_filters_survive_changing_the_dates_twice_and_toggling_copies_twice(server, visit, db, facts):
    """Defect: the selection turned into its display label (`source=Levant+Ledger+(155)`)."""
    v = visit
    v.open(server + "/")
    source = facts["sources"][0]
    topic, label = facts["topics"][0]
    country = facts["countries"][0]
    pick(v, "f_sources", source)
    pick(v, "f_topics", label)
    pick(v, "f_countries", country_name(country))
    for preset in ("2013", "Last year of data", "2014", "All dates"):
        choose(v, "f_preset", preset)
        f = url_filters(v)
        assert (f.sources, f.topics, f.countries) == ((source,), (topic,), (country,)), preset
        eventually(lambda: v.chips("f_sources"), [f"{source} ({source_count(db, source, f):,})"], preset)
        assert shown_count(v) == sql_count(db, f)
    for _ in range(2):
        toggle(v, "f_copies")
        f = url_filters(v)
        assert (f.sources, f.topics, f.countries) == ((source,), (topic,), (country,))
        eventually(lambda: v.chips("f_sources"), [f"{source} ({source_count(db, source, f):,})"], "copies")
        assert shown_count(v) == sql_count(db, f)
    assert "Unknown" not in v.warnings()
    no_error_box(v)
    assert v.external() == []


def test_from_then_to_typed_twice_and_backwards_is_swapped_in_the_boxes(server, visit, db):
    """Defects: From after To was swapped silently and the boxes stayed backwards."""
    v = visit
    v.open(server + "/?page=articles")
    choose(v, "f_preset", "Custom range")
    type_date(v, "f_from", date(2012, 1, 1))
    type_date(v, "f_to", date(2012, 12, 31))
    type_date(v, "f_from", date(2013, 3, 1))           # now after To
    no_error_box(v)
    assert (date_box(v, "f_from"), date_box(v, "f_to")) == ("2012-12-31", "2013-03-01")
    assert "swapped" in v.warnings()
    f = url_filters(v)
    assert (f.date_from, f.date_to) == (date(2012, 12, 31), date(2013, 3, 1))
    assert shown_count(v) == sql_count(db, f)


@pytest.mark.parametrize("query, words", [("from=1800-01-01", "outside 1900-01-01 to 2100-12-31"),
                                          ("to=2999-12-31", "outside 1900-01-01 to 2100-12-31")])
def test_a_link_with_a_date_beyond_the_boxes_shows_a_notice_not_a_traceback(server, visit, db, query, words):
    v = visit
    v.open(f"{server}/?{query}")
    no_error_box(v)
    assert words in v.warnings()
    choose(v, "f_preset", "2013")                      # and the page still works
    no_error_box(v)
    assert shown_count(v) == sql_count(db, url_filters(v))


def test_unknown_values_in_a_link_give_notices_and_no_zero_chips(server, visit, db):
    v = visit
    v.open(f"{server}/?source=No+Such+Gazette&person=nobody-at-all&region=Atlantis&country=ZZ&topic=nope")
    warnings = v.warnings()
    for words in ("Unknown source", "No Such Gazette", "Unknown person or organisation", "nobody-at-all",
                  "Unknown region or city", "Atlantis", "Unknown country", "ZZ", "Unknown topic"):
        assert words in warnings
    for key in ("f_sources", "f_people", "f_regions", "f_countries", "f_topics"):
        assert v.chips(key) == [], key
    assert v.params() == {}
    assert shown_count(v) == sql_count(db, Filters())


def test_the_place_column_shows_the_dateline_city_with_its_own_country(server, visit, db, tmp_path):
    """Defect: "Beirut, Syria" (the story's main country) and "nan, Kazakhstan"."""
    row = db.execute("""
        SELECT source, published_at::DATE, dateline_place, dateline_country FROM articles a
        WHERE is_primary AND dateline_place IS NOT NULL AND dateline_country <> primary_country
        ORDER BY published_at, article_id LIMIT 1""").fetchone()
    source, day, city, country = row
    v = visit
    # without the File System Access API the table's own CSV button saves by a plain download
    v.context.add_init_script("Object.defineProperty(window, 'showSaveFilePicker', {value: undefined})")
    v.open(f"{server}/?page=articles&source={source.replace(' ', '+')}&from={day}&to={day}")
    grid = v.page.locator('[data-testid="stDataFrame"]').first
    grid.hover()
    download = grid.locator('button[aria-label="Download as CSV"]')
    if download.count() == 0:
        pytest.skip("the article table has no CSV button in its toolbar to read its cells from")
    with v.page.expect_download() as got:
        # the page hides this button (it offers the full export instead); the test still uses
        # it to read the cells exactly as the table holds them
        download.dispatch_event("click")
    text = open(got.value.path(), encoding="utf-8-sig").read()
    assert f"{city}, {country_name(country)}" in text
    assert not re.search(r"\bnan\b", text)


def test_the_table_page_and_tab_go_in_the_link_and_a_fresh_browser_restores_them(server, browser, visit, db):
    v = visit
    v.open(f"{server}/?page=articles&q=defected")
    v.act(v.page.get_by_role("tab", name="Table").click)
    v.act(v.widget("f_table_page").locator('[data-testid="stNumberInputStepUp"]').click)
    params = v.params()
    assert params["tab"] == ["table"] and params["p"] == ["2"]
    caption = v.page.get_by_text(re.compile(r"^Rows 51–")).inner_text()
    link = share_link(v)
    assert "tab=table" in link and "p=2" in link
    with Visit(browser) as fresh:
        fresh.open(link)
        assert fresh.page.get_by_role("tab", name="Table").get_attribute("aria-selected") == "true"
        assert fresh.widget("f_table_page").locator("input").input_value() == "2"
        assert fresh.page.get_by_text(re.compile(r"^Rows 51–")).inner_text() == caption
        assert fresh.params() == params
        no_error_box(fresh)


def test_leaving_the_articles_page_takes_the_article_out_of_the_link(server, visit):
    v = visit
    v.open(f"{server}/?page=articles&q=defected")
    v.act(v.page.locator(".st-key-read_0 button").click)
    assert "article" in v.params()
    radio(v, "f_page", "Map")
    assert "article" not in v.params() and "article=" not in share_link(v)
    radio(v, "f_page", "Articles")
    assert "article" not in v.params()
    assert v.page.locator(".st-key-article_detail").count() == 0
    no_error_box(v)


def test_opening_an_article_from_far_down_the_list_shows_its_top(server, visit):
    v = visit
    v.open(f"{server}/?page=articles&q=defected")
    button = v.page.locator(".st-key-read_30 button")
    button.scroll_into_view_if_needed()
    v.act(button.click)
    detail = v.page.locator(".st-key-article_detail")
    detail.wait_for()
    v.page.wait_for_timeout(300)
    top = detail.bounding_box()["y"]
    assert 0 <= top <= 200, f"the article starts {top:.0f} px from the top of the window"


def test_the_filter_lists_offer_no_bulk_entry_that_would_choose_every_value(server, visit, facts):
    # An empty filter already means "all"; a "Select all" / "Select N matches" entry would write
    # every value into the link, and it sits first in the list, where a click aimed at an
    # option lands while the list is being filtered.
    v = visit
    v.open(f"{server}/")
    for key, text in (("f_sources", ""), ("f_sources", facts["sources"][1][:4]), ("f_topics", "")):
        box = v.widget(key).locator("input[role=combobox]")
        box.click()
        box.fill(text)
        v.page.locator('[role="option"]').first.wait_for()
        labels = v.page.locator('[role="option"]').all_inner_texts()
        assert labels and not any(label.lower().startswith("select ") for label in labels), (key, text, labels)
        v.page.keyboard.press("Escape")
    no_error_box(v)


def test_a_copied_link_rebuilds_the_view_and_its_numbers_in_a_fresh_browser(server, browser, visit, db, facts):
    v = visit
    v.open(server + "/")
    topic, label = facts["topics"][1]
    pick(v, "f_topics", label)
    pick(v, "f_sources", facts["sources"][1])
    choose(v, "f_preset", "2014")
    radio(v, "f_role", "Dateline")
    pick(v, "f_countries", country_name(facts["countries"][0]))
    toggle(v, "f_copies")
    radio(v, "f_page", "Articles")
    v.act(v.widget("f_sort").locator("[role=combobox]").first.click, expect_run=False)
    v.act(v.page.locator('[role="option"]').filter(has_text="Oldest first").first.click)
    radio(v, "f_page", "Trends")
    n = shown_count(v)
    f = url_filters(v)
    assert n == sql_count(db, f)
    chips = {k: v.chips(k) for k in ("f_topics", "f_sources", "f_countries")}
    link = share_link(v)
    with Visit(browser) as fresh:
        fresh.open(link)
        assert url_filters(fresh) == f
        eventually(lambda: {k: fresh.chips(k) for k in chips}, chips, "the chips in a fresh browser")
        assert shown_count(fresh) == n
        assert fresh.warnings() == ""
        no_error_box(fresh)
    assert v.external() == []


def test_a_language_picked_counts_as_the_database_does_and_reopens_from_the_link(server, browser, visit, db):
    v = visit
    v.open(server + "/")
    pick(v, "f_languages", "Arabic")
    f = url_filters(v)
    assert f.languages == ("ar",) and v.params()["lang"] == ["ar"]
    n = shown_count(v)
    assert 0 < n == sql_count(db, f) < sql_count(db, Filters())
    chips = v.chips("f_languages")
    assert chips == [f"Arabic (ar) ({n:,})"]
    link = share_link(v)
    with Visit(browser) as fresh:
        fresh.open(link)
        assert url_filters(fresh) == f
        eventually(lambda: fresh.chips("f_languages"), chips, "the language chip in a fresh browser")
        assert shown_count(fresh) == n
        assert fresh.warnings() == ""
        no_error_box(fresh)
    assert v.external() == []


def test_a_surge_picked_and_a_word_clicked_reopen_from_the_link_in_a_fresh_browser(server, browser, visit, db):
    """Explain a surge like a person: pick it in the box, click one of its new words (it joins
    the keyword), then send the link: a fresh browser shows the same explanation, keyword and
    count."""
    v = visit
    v.open(server + "/")
    choose_first = v.widget("surge_pick").locator("[role=combobox]").first
    v.act(choose_first.click, expect_run=False)
    v.act(v.page.locator('[role="option"]').first.click)
    panel = v.widget("surge_explained")
    panel.wait_for()
    heading = panel.locator("h3").first.inner_text()
    caption = panel.get_by_text("against a usual").first.inner_text()
    assert "surge" in v.params()
    word = v.page.locator(".st-key-surge_word_0 button").first
    term = word.inner_text().split(" · ")[0]
    v.act(word.click)
    assert url_filters(v).q.strip('"') == term
    eventually(lambda: v.widget("surge_explained").locator("h3").first.inner_text(), heading, "the explanation after a word")
    n = shown_count(v)          # the keyword's count (the index's word forms: no SQL twin here)
    assert 0 < n < sql_count(db, url_filters(v).replace(q=""))
    link = share_link(v)
    with Visit(browser) as fresh:
        fresh.open(link)
        fresh.widget("surge_explained").wait_for()
        assert fresh.widget("surge_explained").locator("h3").first.inner_text() == heading
        assert fresh.widget("surge_explained").get_by_text("against a usual").first.inner_text() != ""
        assert url_filters(fresh) == url_filters(v)
        assert shown_count(fresh) == n
        no_error_box(fresh)
    assert caption
    assert v.external() == []
