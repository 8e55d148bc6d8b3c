"""Explain a surge and the distinctive words of a view (AppTest, on the sample database built
by the real ETL): the counts the explanation gives are the database's, a surge picked or named
by a link opens it, every word and value is a click that filters, and a bad link value is a
notice, never an exception."""
from __future__ import annotations

import duckdb
import pytest

from dashboard.languages import language_label
from test_dashboard_app import make_app, no_exceptions, shown


@pytest.fixture(scope="module")
def busiest_month(sample_db):
    """(topic_id, first day, articles) of the month with the most unique chemical-weapons
    stories, counted in SQL on the contract tables, independently of the dashboard."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        month, n = con.execute("""
            SELECT date_trunc('month', a.published_at)::DATE AS m, count(*) AS n FROM articles a
            WHERE a.is_primary AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.article_id
                                           AND t.topic_id = 'chemical_weapons')
              AND a.published_at IS NOT NULL
            GROUP BY 1 ORDER BY n DESC, m LIMIT 1""").fetchone()
    finally:
        con.close()
    return "chemical_weapons", month, n


def word_buttons(at, prefix: str):
    return [b for b in at.button if b.key and b.key.startswith(prefix)]


def test_a_linked_surge_is_explained_with_the_databases_count_and_a_word_click_filters(
        monkeypatch, sample_db, busiest_month):
    topic, month, n = busiest_month
    at = make_app(monkeypatch, sample_db, surge=f"{topic}:{month.isoformat()}").run()
    no_exceptions(at)
    heading = [h.value for h in at.subheader if "What rose" in h.value]
    assert heading and "Chemical weapons" in shown(heading[0])
    caption = next(c.value for c in at.caption if "against a usual" in c.value)
    assert caption.startswith(f"{n:,} articles against a usual")
    words = word_buttons(at, "surge_word_")
    assert words, "no distinctive word for the busiest month"
    assert any("gas" in w.label.lower() for w in words)
    first = words[0].label.split(" · ")[0]
    words[0].click().run()
    no_exceptions(at)
    q = at.query_params["q"]
    q = q[0] if isinstance(q, list) else q
    assert q.strip('"') == first
    assert at.query_params["surge"] in (f"{topic}:{month.isoformat()}", [f"{topic}:{month.isoformat()}"])


def test_picking_a_surge_opens_it_and_close_takes_it_out_of_the_link(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db).run()
    no_exceptions(at)
    box = at.selectbox(key="surge_pick")
    assert box.value is None and box.options
    box.select(box.options[0]).run()
    no_exceptions(at)
    assert "surge" in at.query_params
    assert [h for h in at.subheader if "What rose" in h.value]
    assert word_buttons(at, "surge_sources_") or word_buttons(at, "surge_countries_")
    at.button(key="surge_close").click().run()
    no_exceptions(at)
    assert "surge" not in at.query_params
    assert not [h for h in at.subheader if "What rose" in h.value]


def test_a_driver_click_adds_its_source_to_the_filters(monkeypatch, sample_db, busiest_month):
    topic, month, _ = busiest_month
    at = make_app(monkeypatch, sample_db, surge=f"{topic}:{month.isoformat()}").run()
    sources = word_buttons(at, "surge_sources_")
    assert sources
    name = shown(sources[0].label).split(" · ")[0]
    sources[0].click().run()
    no_exceptions(at)
    assert at.multiselect(key="f_sources").value == [name]


def test_a_language_that_drove_a_surge_counts_as_the_database_and_a_click_filters_by_it(
        monkeypatch, sample_db, busiest_month):
    topic, month, _ = busiest_month
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        language, n = con.execute("""
            SELECT a.language, count(*) FROM articles a
            WHERE a.is_primary AND a.language IS NOT NULL AND date_trunc('month', a.published_at) = ?
              AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.article_id AND t.topic_id = ?)
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""", [month, topic]).fetchone()
    finally:
        con.close()
    at = make_app(monkeypatch, sample_db, surge=f"{topic}:{month.isoformat()}").run()
    first = word_buttons(at, "surge_languages_")[0]
    label = shown(first.label)
    assert label.startswith(f"{language_label(language)} · {n:,} (usual ")
    first.click().run()
    no_exceptions(at)
    assert at.multiselect(key="f_languages").value == [language]
    assert at.query_params["lang"] in (language, [language])


@pytest.mark.parametrize("value", ["nonsense", "chemical_weapons:2013-13-45", "no_such_topic:2013-08-01", ":"])
def test_a_bad_surge_in_a_link_is_a_notice(monkeypatch, sample_db, value):
    at = make_app(monkeypatch, sample_db, surge=value).run()
    no_exceptions(at)
    assert any("surge" in w.value.lower() for w in at.warning), [w.value for w in at.warning]
    assert not [h for h in at.subheader if "What rose" in h.value]


def test_the_views_distinctive_words_are_clicks_that_add_to_the_keyword(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, topic="defection").run()
    no_exceptions(at)
    words = word_buttons(at, "top_trends_word_")
    assert words and any(w.label.startswith("defect") for w in words)
    assert not word_buttons(make_app(monkeypatch, sample_db).run(), "top_trends_word_")   # the whole archive
    chosen = words[0].label
    words[0].click().run()
    no_exceptions(at)
    q = at.query_params["q"]
    assert (q[0] if isinstance(q, list) else q).strip('"') == chosen
    # the keyword's own words are never offered again
    assert all(w.label != chosen for w in word_buttons(at, "top_trends_word_"))
