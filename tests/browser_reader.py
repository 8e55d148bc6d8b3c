"""Acting like a reader in real Chromium, and what the database says, for the journeys and the
random walk (tests/test_browser_journeys.py, tests/test_browser_walk.py): the clicks a person
makes on the sidebar's widgets (pick, unpick, choose, toggle, type a date), what the page and
the address bar show, and the article count written directly in SQL on the database file
(not taken from dashboard/queries).
"""
from __future__ import annotations

import re
import time
from datetime import date, timedelta

from dashboard.state import Filters
from tests.browser_app import Visit, require_browser

sync_api = require_browser()


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
    return v.sidebar().locator(".share-link code").first.inner_text().strip()


def no_error_box(v: Visit) -> None:
    assert v.exceptions() == []


def sample_facts(db) -> dict:
    """The sample's topics, sources and countries by article count, and its last day."""
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
