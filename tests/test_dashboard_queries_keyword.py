"""The keyword box answered by the snapshot's full-text index, on the real sample database.

Expected numbers come from the index itself (which ids match) and from direct SQL on those ids,
never from the dashboard query under test; the AppTest cases drive the app through its URL."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from bench.views import BENCH_VIEWS, page_view_queries
from dashboard import keyword_state
from dashboard import queries as Q
from dashboard import search as S
from dashboard.evidence import highlight, keyword_marks, snippet_markdown
from dashboard.state import Filters

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
BAD_QUERIES = ['"unclosed phrase', "(syria OR iraq", "syria) iraq", "OR", "syria AND", "NOT syria",
               "-syria -iraq", "x" * 10_000, "'; DROP TABLE articles; --", "d*", "()", '""',
               "Robert'); DROP TABLE meta;--", "%_\\", "=" * 50, "((((((((((((((((((((a))))))))))))))))))))"]


@pytest.fixture(scope="module")
def con(sample_db):
    connection = Q.connect(str(sample_db))
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def index(con):
    idx = Q.search_index(con)
    assert idx is not None, "the sample database should name its search index in meta.index_dir"
    return idx


def matched(index, q: str) -> set[str]:
    return set(index.matching_ids(S.parse(q)))


def primary_dated_per_month(con, ids) -> dict:
    if not ids:
        return {}
    rows = con.execute("""
        SELECT date_trunc('month', published_at)::DATE, count(*) FROM articles
        WHERE is_primary AND published_at IS NOT NULL AND article_id IN (SELECT unnest(?))
        GROUP BY 1""", [sorted(ids)]).fetchall()
    return {d: n for d, n in rows}


def trend_totals(con, filters: Filters) -> dict:
    trend = Q.topic_trend(con, filters)
    per_period = trend.drop_duplicates("period")
    return {p.date(): int(t) for p, t in zip(per_period["period"], per_period["total"]) if t}


def test_a_keyword_narrows_trend_counts_to_exactly_the_articles_the_index_matches(con, index):
    ids = matched(index, "defected")
    assert 0 < len(ids) < Q.article_total(con)
    assert trend_totals(con, Filters(q="defected")) == primary_dated_per_month(con, ids)


def test_every_page_count_under_a_keyword_is_a_direct_count_of_the_matching_ids(con, index):
    ids = sorted(matched(index, "army"))
    f = Filters(q="army", date_from=date(2012, 1, 1), date_to=date(2013, 12, 31))
    direct = con.execute("""SELECT count(*) FROM articles WHERE is_primary AND article_id IN (SELECT unnest(?))
                            AND published_at >= '2012-01-01' AND published_at < '2014-01-01'""",
                         [ids]).fetchone()[0]
    assert direct > 0
    assert Q.article_count(con, f) == direct
    assert Q.headline(con, f)["n"] == direct
    assert Q.article_count(con, f.replace(topics=(Q.options(con, f)["topics"]["topic_id"][0],))) <= direct
    country = Q.country_counts(con, f.replace(role="dateline"))
    by_dateline = con.execute("""SELECT count(DISTINCT article_id) FROM article_places
                                 WHERE role = 'dateline' AND article_id IN (
                                     SELECT article_id FROM articles WHERE is_primary
                                     AND article_id IN (SELECT unnest(?))
                                     AND published_at >= '2012-01-01' AND published_at < '2014-01-01')""",
                              [ids]).fetchone()[0]
    assert country["n"].sum() >= by_dateline > 0


def test_a_quoted_phrase_matches_fewer_articles_than_its_words_apart(con, index):
    phrase, words = matched(index, '"opposition activists"'), matched(index, "opposition activists")
    assert 0 < len(phrase) < len(words) and phrase <= words
    assert Q.article_count(con, Filters(q='"opposition activists"', copies=True)) == len(phrase)
    assert Q.article_count(con, Filters(q="opposition activists", copies=True)) == len(words)


def test_a_plain_word_finds_its_word_forms_and_an_equals_sign_only_the_word(con, index):
    forms, exact = matched(index, "defected"), matched(index, "=defected")
    assert exact < forms
    assert Q.article_count(con, Filters(q="=defected", copies=True)) == len(exact)


def test_a_minus_or_not_leaves_out_articles_with_that_word(con, index):
    army, both = matched(index, "army"), matched(index, "army defected")
    assert both
    for q in ("army -defected", "army NOT defected"):
        assert Q.article_count(con, Filters(q=q, copies=True)) == len(army - both)


def test_an_arabic_word_is_found_with_or_without_its_hamza(con, index):
    with_hamza = Q.export_rows(con, Filters(q="الأردنية"))
    without = Q.export_rows(con, Filters(q="الاردنية"))
    assert len(with_hamza) == 1 and list(with_hamza["article_id"]) == list(without["article_id"])
    body = con.execute("SELECT body FROM articles WHERE article_id = ?", [with_hamza["article_id"][0]]).fetchone()[0]
    assert "الأردنية" in body


def test_a_hyphenated_name_like_al_assad_is_searched_as_a_phrase(con, index):
    assert S.parse("al-Assad").reading == '"al assad"'
    assert Q.article_count(con, Filters(q="al-Assad")) == len(matched(index, '"al assad"'))
    phrase, apart = matched(index, "al-Qusayr"), matched(index, "al Qusayr")
    assert phrase and phrase <= apart
    for article_id in phrase:
        text = con.execute("SELECT concat_ws(' ', title, caption, body) FROM articles WHERE article_id = ?",
                           [article_id]).fetchone()[0]
        assert "al-qusayr" in text.lower() or "al qusayr" in text.lower()


def test_the_export_has_only_and_all_the_matching_rows(con, index):
    rows = Q.export_rows(con, Filters(q="defected", copies=True))
    assert set(rows["article_id"]) == matched(index, "defected")
    assert len(rows) == len(set(rows["article_id"]))


def test_the_articles_page_ranks_by_relevance_when_asked(con, index):
    f = Filters(q="defected", copies=True)
    ranked = Q.articles_page(con, f, 20, 0, Q.RANKED)
    assert list(ranked["article_id"]) == index.matching_ids(S.parse("defected"), limit=20)
    title_first = ranked["title"].iloc[0].lower()
    assert "defect" in title_first                    # a title match counts double
    newest = Q.articles_page(con, f, 20, 0)
    dates = [d for d in newest["published_at"] if d == d and d is not None]
    assert dates == sorted(dates, reverse=True)


def test_relevance_with_a_topic_filter_keeps_the_index_order(con, index):
    topic = con.execute("""SELECT topic_id FROM article_topics GROUP BY 1 ORDER BY count(*) DESC LIMIT 1""").fetchone()[0]
    f = Filters(q="army", topics=(topic,), copies=True)
    ranked = list(Q.articles_page(con, f, 500, 0, Q.RANKED)["article_id"])
    tagged = {r[0] for r in con.execute("SELECT article_id FROM article_topics WHERE topic_id = ?", [topic]).fetchall()}
    assert ranked == [a for a in index.matching_ids(S.parse("army")) if a in tagged]
    assert len(ranked) == Q.article_count(con, f)


def test_each_listed_article_has_a_highlighted_snippet_that_is_safe_html(con):
    rows = Q.articles_page(con, Filters(q="defected"), 10, 0, Q.RANKED)
    assert len(rows) and all("<mark>" in s for s in rows["snippet_html"])
    for snippet in rows["snippet_html"]:
        without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in without_marks and ">" not in without_marks


def test_snippets_keep_only_their_marks_when_shown_as_markdown():
    shown = snippet_markdown("…a &lt;script&gt; [link](javascript:x) *b* $x$ <mark>defected</mark> &#x27;")
    assert "<mark>defected</mark>" in shown and "&lt;script&gt;" in shown and "&#x27;" in shown
    assert "\\[link\\]\\(javascript\\:x\\)" in shown and "\\*b\\*" in shown and "\\$x\\$" in shown


def test_the_drilldown_marks_the_keyword_inside_evidence_and_keeps_text_escaped(con):
    article_id = con.execute("""SELECT article_id FROM articles WHERE body ILIKE '%defected%'
                                ORDER BY article_id LIMIT 1""").fetchone()[0]
    spans = Q.keyword_highlights(con, article_id, "defected")
    body = con.execute("SELECT body FROM articles WHERE article_id = ?", [article_id]).fetchone()[0]
    # a plain word also marks its other forms (defected, defection, defectors)
    assert spans["body"] and all(body[a:b].lower().startswith("defect") for a, b in spans["body"])
    html_out = highlight("<b>" + body, keyword_marks([(a + 3, b + 3) for a, b in spans["body"]], "defected"))
    assert html_out.startswith("&lt;b&gt;") and "font-weight:600" in html_out
    assert Q.keyword_highlights(con, article_id, "") == {}


@pytest.mark.parametrize("q", BAD_QUERIES, ids=range(len(BAD_QUERIES)))
def test_a_bad_query_gives_notices_and_a_best_effort_reading_never_an_exception(con, q):
    info = Q.keyword_info(con, q)
    assert info["notices"], q
    f = Filters(q=q)
    for run in page_view_queries(con, f).values():
        run()
    assert Q.export_rows(con, f) is not None
    assert Q.article_total(con) > 0                   # nothing was dropped


def test_a_query_with_nothing_searchable_filters_nothing(con):
    assert Q.article_count(con, Filters(q="''; --")) == Q.article_count(con, Filters())


def test_a_snapshot_without_its_index_falls_back_to_plain_text_matching_and_says_so(sample_db, tmp_path):
    copy = tmp_path / "old.duckdb"
    shutil.copy(sample_db, copy)                       # the index folder stays behind
    connection = Q.connect(str(copy))
    try:
        assert Q.search_index(connection) is None
        info = Q.keyword_info(connection, "defected")
        assert info["mode"] == "substring" and "not available" in info["notices"][0]
        n = Q.article_count(connection, Filters(q="defected", copies=True))
        direct = connection.execute("""SELECT count(*) FROM articles WHERE title ILIKE '%defected%'
                                       OR caption ILIKE '%defected%' OR body ILIKE '%defected%'""").fetchone()[0]
        assert n == direct > 0
        assert "snippet_html" in Q.articles_page(connection, Filters(q="defected"), 5, 0, Q.RANKED)
    finally:
        connection.close()


def test_keyword_row_keys_are_cached_per_snapshot_and_query(con, index):
    parsed = keyword_state.parse("army")
    first = Q.keyword_keys(con, index, parsed)
    assert Q.keyword_keys(con, index, keyword_state.parse("army")) is first
    assert first.column_names == ["row_key", "rank"]
    keys = first["row_key"].to_pylist()
    ids = {row[0] for row in con.execute(f"SELECT article_id FROM {Q.VIEW_TABLE} WHERE row_key IN (SELECT unnest(?))",
                                         [keys]).fetchall()}
    assert len(keys) == len(ids) and ids == matched(index, "army")


def test_many_hits_map_to_the_same_ids_as_reading_each_document(index, monkeypatch):
    parsed = S.parse("the")
    direct = index.matching_table(parsed)["article_id"].to_pylist()
    monkeypatch.setattr(S, "DIRECT_ID_HITS", 0)
    assert index.matching_table(parsed)["article_id"].to_pylist() == direct == index.matching_ids(parsed)


def test_the_bench_views_run_through_the_keyword_path(con):
    keyword_views = [name for name, f in BENCH_VIEWS.items() if f.q]
    assert {"rare_keyword", "common_keyword"} <= set(keyword_views)
    views = page_view_queries(con, BENCH_VIEWS["common_keyword"])
    assert {"sidebar.keyword_cold", "trends.topic_trend_cold", "articles.ranked_page"} <= set(views)
    for run in views.values():
        run()


def test_page_view_queries_accept_a_plain_connection_to_the_file(sample_db):
    plain = duckdb.connect(str(sample_db), read_only=True)
    try:
        views = page_view_queries(plain, Filters(q="army"))
        assert views["articles.article_count"]() > 0
    finally:
        plain.close()


# -- the app ------------------------------------------------------------------------------

def make_app(monkeypatch, db: Path, **params) -> AppTest:
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def test_the_articles_page_shows_highlighted_passages_for_a_keyword_in_the_link(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles", q="defected").run()
    assert not at.exception, [e.value for e in at.exception]
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert len(marked) >= 5
    assert at.toggle(key="f_rank").value is True
    assert at.query_params["q"] == "defected" and "rank" not in at.query_params


def test_turning_off_best_matches_first_is_written_to_the_link_and_restored(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles", q="defected").run()
    at.toggle(key="f_rank").set_value(False).run()
    assert not at.exception
    assert at.query_params["rank"] == "0"
    again = make_app(monkeypatch, sample_db, page="articles", q="defected", rank="0").run()
    assert again.toggle(key="f_rank").value is False
    dates = [d for d in again.dataframe[0].value["Date"] if d == d and d is not None]
    assert dates == sorted(dates, reverse=True)


def test_a_bad_query_in_the_link_shows_its_notice_on_the_page(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db, page="articles", q='"unclosed phrase').run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("quote was not closed" in w.value for w in at.warning)


@pytest.mark.parametrize("page", ["trends", "map", "articles", "data"])
def test_every_page_renders_with_a_keyword_and_a_hostile_query(monkeypatch, sample_db, page):
    for q in ("defected", "x'); DROP TABLE articles; -- (OR"):
        at = make_app(monkeypatch, sample_db, page=page, q=q).run()
        assert not at.exception, [e.value for e in at.exception]


def test_the_syntax_help_is_next_to_the_keyword_box(monkeypatch, sample_db):
    at = make_app(monkeypatch, sample_db).run()
    assert at.text_input(key="f_q").help == S.SYNTAX_HELP
    assert any(S.SYNTAX_HELP.strip()[:30] in m.value for m in at.sidebar.markdown)


def test_the_drilldown_with_a_keyword_marks_its_words(monkeypatch, sample_db, con):
    article_id = con.execute("""SELECT article_id FROM articles WHERE is_primary AND body ILIKE '%defected%'
                                ORDER BY article_id LIMIT 1""").fetchone()[0]
    at = make_app(monkeypatch, sample_db, page="articles", q="defected", article=article_id).run()
    assert not at.exception
    bodies = [h.proto.body for h in at.get("html") if "article-body" in h.proto.body]
    assert bodies and "font-weight:600" in bodies[0] and "keyword: defected" in bodies[0]
