"""People's journeys through the dashboard in real Chromium (Playwright): several steps in a row
that click, type and navigate as a reader would, checking what the page shows, what the address
bar holds, and that a copied link rebuilds the same view in a fresh browser. One server for the
whole module, on the sample database built by the real ETL.

Each journey is named after the defect it guards (issue 13's list); the seeded random walk at
the end does N random widget actions and, after every one, checks that no error box is shown,
that the URL parses back to what the widgets show, and that the headline count equals a count
written here directly in SQL on the database file.

Over 500 lines on purpose: every journey shares one server, one browser and the helpers that
click like a person (pick, unpick, choose, toggle), so splitting the file would start them twice.
"""
from __future__ import annotations

import random
import re
import time
from datetime import date, timedelta

import duckdb
import pytest

from dashboard.geo.countries import country_name
from dashboard.languages import language_label
from dashboard.state import Filters
from tests.browser_app import Visit, require_browser, serve

sync_api = require_browser()

# 150 steps (~2 s each in Chromium): the walk runs last on one CI worker, and 200 steps put the
# whole CI command at 18 min on two cores; CONFLICT_TRENDS_WALK_STEPS=1000 for a long soak.
WALK_STEPS = int(__import__("os").environ.get("CONFLICT_TRENDS_WALK_STEPS", 150))
WALK_SEED = 1313


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("journeys") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def db(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


# -- what the database says, written here rather than taken from dashboard/queries.py --------

def sql_count(db, f: Filters) -> int:
    """Articles in view `f`, counted on the contract tables (not the dashboard's facets)."""
    where, params = ["TRUE"], []
    if not f.copies:
        where.append("a.is_primary")
    if f.date_from:
        where.append("a.published_at >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append("a.published_at < ?")
        params.append(f.date_to + timedelta(days=1))
    if f.sources:
        where.append(f"a.source IN ({', '.join('?' * len(f.sources))})")
        params += list(f.sources)
    if f.topics:
        where.append(f"EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.article_id "
                     f"AND t.topic_id IN ({', '.join('?' * len(f.topics))}))")
        params += list(f.topics)
    if f.countries:
        marks = ", ".join("?" * len(f.countries))
        role = "" if f.role == "any" else f"AND p.role = '{f.role}'"
        in_places = (f"EXISTS (SELECT 1 FROM article_places p WHERE p.article_id = a.article_id "
                     f"AND p.country_code IN ({marks}) {role})")
        if f.role == "any":
            where.append(f"(a.primary_country IN ({marks}) OR {in_places})")
            params += list(f.countries) * 2
        else:
            where.append(in_places)
            params += list(f.countries)
    if f.people:
        where.append(f"EXISTS (SELECT 1 FROM article_entities e WHERE e.article_id = a.article_id "
                     f"AND e.entity_id IN ({', '.join('?' * len(f.people))}))")
        params += list(f.people)
    if f.languages:
        where.append(f"a.language IN ({', '.join('?' * len(f.languages))})")
        params += list(f.languages)
    return db.execute(f"SELECT count(*) FROM articles a WHERE {' AND '.join(where)}", params).fetchone()[0]


def source_count(db, source: str, f: Filters) -> int:
    return sql_count(db, Filters(date_from=f.date_from, date_to=f.date_to, copies=f.copies, sources=(source,)))


@pytest.fixture(scope="module")
def facts(db):
    topics = db.execute("""
        SELECT t.topic_id, tp.label, count(*) FROM article_topics t JOIN topics tp USING (topic_id)
        JOIN articles a USING (article_id) WHERE a.is_primary GROUP BY ALL ORDER BY 3 DESC, 1""").fetchall()
    sources = [r[0] for r in db.execute(
        "SELECT source FROM articles WHERE is_primary GROUP BY 1 ORDER BY count(*) DESC, 1").fetchall()]
    countries = [r[0] for r in db.execute(
        "SELECT primary_country FROM articles WHERE is_primary AND primary_country IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1").fetchall()]
    last = db.execute("SELECT max(published_at)::DATE FROM articles").fetchone()[0]
    return {"topics": [(t, label) for t, label, _ in topics], "sources": sources, "countries": countries,
            "last": last}


# -- acting like a reader ----------------------------------------------------------------------

class NotShown(Exception):
    """The option a step meant to click never appeared in its list."""


def _click_option(v: Visit, open_list, option) -> None:
    """Open a list and click `option`. A list opened while the sidebar is being redrawn can
    come up empty or unfiltered (the option outside its rendered part): open it again, as a
    person would; after three tries the step is given up (NotShown)."""
    for _ in range(3):
        open_list()
        try:
            option.click(timeout=8_000)
            return
        except sync_api.TimeoutError:
            v.page.keyboard.press("Escape")
            v.idle()
    raise NotShown(v.diagnose(f"never shown: {option}"))


def pick(v: Visit, key: str, text: str) -> None:
    """Type `text` into a sidebar multiselect and click the first option that starts with it."""
    box = v.widget(key).locator("input[role=combobox]")

    def typed():
        box.click()
        box.fill(text)
        # Streamlit's list opens unfiltered and filters a moment later; a click aimed at an
        # option while the list is re-laid out can land on another one. Wait until every
        # listed option is one the text matches.
        try:
            v.page.wait_for_function(
                "(t) => { const o = [...document.querySelectorAll('[role=option]')];"
                " return o.length > 0 && o.every(e => e.innerText.toLowerCase().includes(t.toLowerCase())); }",
                arg=text, timeout=5_000)
        except sync_api.TimeoutError:
            pass                    # the click below waits for its option, and is tried again
    option = v.page.locator('[role="option"]').filter(has_text=text).first

    def chosen() -> bool:
        return any(label and label.lower().startswith(text.lower()) for label in v.chips(key))

    # Not v.act's blind retry: a pick whose run is slow to start must not open the list again
    # (the option has left it, and what sits where it was is another option or "Select all").
    # A try is made again only while the chip is not there.
    for _ in range(3):
        if chosen():
            break
        runs = v.runs()
        _click_option(v, typed, option)
        try:
            v.page.wait_for_function(f"() => (window.__runs || 0) > {runs}", timeout=30_000)
        except sync_api.TimeoutError:
            pass
        v.idle()
    v.page.keyboard.press("Escape")
    if not chosen():
        raise AssertionError(v.diagnose(f"picking {text!r} in {key} left the chips"))


def unpick(v: Visit, key: str, label_start: str) -> None:
    """Click the remove button of the chip whose label starts with `label_start`. Once the chip
    is gone, a second try clicks nothing (the removal took; its run is what is awaited)."""
    chip = v.widget(key).locator(f'.react-aria-ComboBox [data-tag] button[aria-label^="Remove {label_start}"]')

    def click():
        if chip.count():
            chip.first.click(timeout=8_000)
    v.act(click)


def choose(v: Visit, key: str, option: str) -> None:
    """Pick `option` (its shown text) in a selectbox."""
    box = v.widget(key).locator("input[role=combobox], [role=combobox]").first
    item = v.page.locator('[role="option"]').filter(has_text=re.compile(f"^{re.escape(option)}$")).first
    v.act(lambda: _click_option(v, box.click, item))


def radio(v: Visit, key: str, label: str) -> None:
    v.act(v.widget(key).locator("label").filter(has_text=label).first.click)


def toggle(v: Visit, key: str) -> None:
    """Flip a toggle; a click that did not take (the widget was being redrawn) is made again,
    as a person would."""
    box = v.widget(key).locator("input[type=checkbox]")
    before, runs = box.is_checked(), v.runs()
    v.widget(key).locator("label").first.click()
    try:
        v.page.wait_for_function(f"() => (window.__runs || 0) > {runs}", timeout=15_000)
    except sync_api.TimeoutError:
        if box.is_checked() != before:
            raise
        v.act(v.widget(key).locator("label").first.click)
    v.idle()


def type_date(v: Visit, key: str, day: date) -> None:
    """Type a date into a date box (year, month, day segments) and leave the box, which is
    when Streamlit takes the new value."""
    v.widget(key).locator('[data-type="year"]').click()
    v.page.keyboard.type(day.strftime("%Y%m%d"), delay=30)
    v.act(v.sidebar().get_by_role("heading", name="Filters").click)


def date_box(v: Visit, key: str) -> str:
    """The date a date box shows (its form value, YYYY-MM-DD)."""
    return v.widget(key).locator('input[type="date"]').input_value()


def shown_count(v: Visit) -> int:
    """The page's headline article count: the first metric (Trends) or the count line (Articles)."""
    main = v.page.locator('[data-testid="stMain"]')
    metric = main.locator('[data-testid="stMetricValue"]')
    params = v.params()
    if params.get("page", ["trends"])[0] == "articles":
        text = v.widget("article_count").inner_text()
        return int(re.match(r"([\d,]+) ", text).group(1).replace(",", ""))
    return int(metric.first.inner_text().replace(",", ""))


def eventually(read, expected, what: str, seconds: float = 10.0):
    """`read()` once it equals `expected` (the page may draw a moment after its run ends);
    after `seconds`, fail showing the last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if value == expected or time.monotonic() > deadline:
            assert value == expected, what
            return value
        time.sleep(0.2)


def url_filters(v: Visit) -> Filters:
    filters, notices = Filters.from_query_params(v.params())
    assert notices == [], notices
    return filters


def share_link(v: Visit) -> str:
    return v.sidebar().locator('[data-testid="stCode"]').first.inner_text().strip()


def no_error_box(v: Visit) -> None:
    assert v.exceptions() == []


# -- journeys ----------------------------------------------------------------------------------

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


# -- the seeded random walk ----------------------------------------------------------------------

SCREEN = """() => {
  const q = (s, root = document) => root.querySelector(s);
  const chips = (key) => [...document.querySelectorAll(`.st-key-${key} .react-aria-ComboBox [data-tag]`)]
      .map(t => t.getAttribute('aria-label'));
  const checked = (key) => { const i = q(`.st-key-${key} input[type=radio]:checked`);
                             return i ? i.closest('label').innerText.trim() : null; };
  const main = q('[data-testid="stMain"]');
  const metric = q('[data-testid="stMetricValue"]', main);
  const count = q('.st-key-article_count');
  const m = count && count.innerText.match(/^([\\d,]+) /);
  return {
    topics: chips('f_topics'), sources: chips('f_sources'), countries: chips('f_countries'),
    languages: chips('f_languages'),
    preset: (q('.st-key-f_preset input') || {}).value,
    from: (q('.st-key-f_from input[type=date]') || {}).value, to: (q('.st-key-f_to input[type=date]') || {}).value,
    copies: (q('.st-key-f_copies input[type=checkbox]') || {}).checked,
    page: checked('f_page'), role: checked('f_role'),
    metric: metric ? metric.innerText : null, listed: m ? m[1] : null,
    errors: document.querySelectorAll('[data-testid="stException"]').length,
  };
}"""
PAGE_LABELS = {"trends": "Trends", "map": "Map", "articles": "Articles", "data": "Data"}
ROLE_LABELS = {"any": "Any", "dateline": "Dateline", "mentioned": "Mentioned"}


def without_count(label: str) -> str:
    return re.sub(r" \([\d,]+\)$", "", label)


class Walk:
    """Random reader actions on one page, and the check that follows each."""

    def __init__(self, v: Visit, db, facts, seed: int):
        from dashboard import session
        self.v, self.db, self.rng = v, db, random.Random(seed)
        self.topic_label = dict(db.execute("SELECT topic_id, label FROM topics").fetchall())
        self.topics = [t for t, _ in facts["topics"]][:8]
        self.sources = facts["sources"][:6]
        self.countries = facts["countries"][:6]
        self.languages = [r[0] for r in db.execute(
            "SELECT language FROM articles WHERE language IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1").fetchall()]
        lo, hi = db.execute("SELECT min(published_at)::DATE, max(published_at)::DATE FROM articles").fetchone()
        self.date_max = hi
        self.presets = session.date_presets(lo, hi)
        self.preset_for = lambda f: self.presets[session.preset_for(f.date_from, f.date_to, self.presets, hi)]
        self.log: list[str] = []

    # actions: each returns None when it does not apply to the current view
    def actions(self, f: Filters):
        acts = [self.add_topic, self.add_source, self.add_country, self.add_language, self.preset, self.preset,
                self.copies, self.role, self.go_to_page]
        if f.topics:
            acts.append(self.remove_topic)
        if f.sources:
            acts.append(self.remove_source)
        if f.countries:
            acts.append(self.remove_country)
        if f.languages:
            acts.append(self.remove_language)
        if self.v.widget("f_from").count():
            acts += [self.type_date, self.type_date]
        if f.page == "articles":
            acts += [self.table_page, self.sort]
        if f.page == "trends":
            acts.append(self.grain)
        return acts

    def add_topic(self, f):
        free = [t for t in self.topics if t not in f.topics]
        topic = self.rng.choice(free)
        pick(self.v, "f_topics", self.topic_label[topic])
        return f"add topic {topic}"

    def offered(self, column: str, f: Filters) -> set[str]:
        """Values the sidebar offers for the date range and copies toggle (those with articles)."""
        scope = Filters(date_from=f.date_from, date_to=f.date_to, copies=f.copies)
        where = ["TRUE" if scope.copies else "is_primary"]
        params = []
        if scope.date_from:
            where.append("published_at >= ?")
            params.append(scope.date_from)
        if scope.date_to:
            where.append("published_at < ?")
            params.append(scope.date_to + timedelta(days=1))
        return {r[0] for r in self.db.execute(
            f"SELECT DISTINCT {column} FROM articles WHERE {' AND '.join(where)}", params).fetchall()}

    def add_source(self, f):
        free = [s for s in self.sources if s not in f.sources and s in self.offered("source", f)]
        if not free:
            return None
        source = self.rng.choice(free)
        pick(self.v, "f_sources", source)
        return f"add source {source}"

    def add_country(self, f):
        free = [c for c in self.countries if c not in f.countries and c in self.offered("primary_country", f)]
        if not free:
            return None
        code = self.rng.choice(free)
        pick(self.v, "f_countries", country_name(code))
        return f"add country {code}"

    def add_language(self, f):
        free = [c for c in self.languages if c not in f.languages and c in self.offered("language", f)]
        if not free:
            return None
        code = self.rng.choice(free)
        pick(self.v, "f_languages", language_label(code))
        return f"add language {code}"

    def remove_topic(self, f):
        topic = self.rng.choice(f.topics)
        unpick(self.v, "f_topics", self.topic_label[topic] + " (")
        return f"remove topic {topic}"

    def remove_source(self, f):
        source = self.rng.choice(f.sources)
        unpick(self.v, "f_sources", source + " (")
        return f"remove source {source}"

    def remove_country(self, f):
        code = self.rng.choice(f.countries)
        unpick(self.v, "f_countries", country_name(code) + " (")
        return f"remove country {code}"

    def remove_language(self, f):
        code = self.rng.choice(f.languages)
        unpick(self.v, "f_languages", language_label(code) + " (")
        return f"remove language {code}"

    def preset(self, f):
        shown = self.screen()["preset"]
        label = self.rng.choice([p for p in self.presets.values() if p != shown and
                                 (shown == "Custom range" or p != self.preset_for(f))])
        choose(self.v, "f_preset", label)
        return f"dates {label}"

    def type_date(self, f):
        key = self.rng.choice(["f_from", "f_to"])
        day = date(2011, 1, 1) + timedelta(days=self.rng.randrange(0, (self.date_max - date(2011, 1, 1)).days))
        type_date(self.v, key, day)
        return f"type {key} {day}"

    def copies(self, f):
        toggle(self.v, "f_copies")
        return "toggle copies"

    def role(self, f):
        role = self.rng.choice([r for r in ROLE_LABELS if r != f.role])
        radio(self.v, "f_role", ROLE_LABELS[role])
        return f"role {role}"

    def go_to_page(self, f):
        page = self.rng.choice([p for p in ("trends", "articles", "articles", "map") if p != f.page])
        radio(self.v, "f_page", PAGE_LABELS[page])
        return f"page {page}"

    def table_page(self, f):
        if not self.v.widget("f_table_page").count():      # no articles: no pager to step
            return None
        step = self.v.widget("f_table_page").locator(
            '[data-testid="stNumberInputStepUp"]' if f.table_page == 1 or self.rng.random() < 0.6
            else '[data-testid="stNumberInputStepDown"]')
        if step.is_disabled():
            return None
        self.v.act(step.click)
        return "table page step"

    def sort(self, f):
        label = self.rng.choice(["Newest first", "Oldest first", "Title A–Z", "Source A–Z"])
        self.v.widget("f_sort").locator("[role=combobox]").first.click()
        option = self.v.page.locator('[role="option"]').filter(has_text=label).first
        self.v.act(option.click, expect_run=label != {"newest": "Newest first", "oldest": "Oldest first",
                                                      "title": "Title A–Z", "source": "Source A–Z"}[f.sort])
        return f"sort {label}"

    def grain(self, f):
        label = self.rng.choice([g for g in ("Day", "Week", "Month") if g.lower() != f.grain])
        self.v.act(self.v.widget("f_grain").get_by_role("radio", name=label).click)
        return f"grain {label}"

    # the check after every step
    def expected_screen(self, f: Filters, custom: bool) -> dict:
        """What the widgets must show for view `f`. Dates: the preset of those dates, or, with
        "Custom range" chosen, the same dates in the two boxes (empty for none)."""
        dates = ({"preset": "Custom range", "from": f.date_from.isoformat() if f.date_from else "",
                  "to": f.date_to.isoformat() if f.date_to else ""} if custom
                 else {"preset": self.preset_for(f)})
        return {"topics": [self.topic_label.get(t, t) for t in f.topics], "sources": list(f.sources),
                "countries": [country_name(c) for c in f.countries],
                "languages": [language_label(c) for c in f.languages], **dates,
                "copies": f.copies, "page": PAGE_LABELS[f.page], "role": ROLE_LABELS[f.role], "errors": 0}

    def screen(self) -> dict:
        s = self.v.page.evaluate(SCREEN)
        for name in ("topics", "sources", "countries", "languages"):
            s[name] = [without_count(label) for label in s[name]]
        s["page"] = re.sub(r"^\W+", "", s["page"] or "").strip()      # drop the icon ligature
        s["page"] = next((label for label in PAGE_LABELS.values() if s["page"].endswith(label)), s["page"])
        return s

    def check(self, step: int) -> Filters:
        f = url_filters(self.v)
        want = self.expected_screen(f, custom=self.screen()["preset"] == "Custom range")
        where = f"step {step}: " + " / ".join(self.log[-4:])
        eventually(lambda: {k: self.screen()[k] for k in want}, want, where)
        if f.page in ("trends", "articles"):
            s = self.screen()
            shown = s["metric"] if f.page == "trends" else s["listed"]
            assert shown is not None, where
            assert int(shown.replace(",", "")) == sql_count(self.db, f), where
        return f


def test_a_seeded_random_walk_keeps_the_link_the_screen_and_the_counts_in_step(server, visit, db, facts):
    v = visit
    v.open(server + "/")
    walk = Walk(v, db, facts, WALK_SEED)
    f = walk.check(0)
    started, done, not_shown, in_language = time.monotonic(), 0, 0, 0
    while done < WALK_STEPS:
        action = walk.rng.choice(walk.actions(f))
        try:
            what = action(f)
        except NotShown as exc:          # the screen is checked all the same
            walk.log.append(f"not shown: {exc}")
            not_shown += 1
            f = walk.check(done)
            continue
        if what is None:
            continue
        done += 1
        walk.log.append(what)
        f = walk.check(done)
        in_language += bool(f.languages)
    elapsed = time.monotonic() - started
    print(f"random walk: {done} steps in {elapsed:.0f} s ({elapsed / done:.2f} s a step), seed {WALK_SEED}, "
          f"{not_shown} options that never appeared, {in_language} steps with a language filter")
    assert not_shown <= WALK_STEPS // 10, walk.log
    assert v.external() == []
