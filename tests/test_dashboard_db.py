"""dashboard/db.py: each Reader method answers what its query in the queries package answers, on the
real sample database (outside a Streamlit server, where st.cache_data keeps results in memory)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import db, queries
from dashboard.state import Filters

VIEW = Filters(date_from=date(2012, 1, 1), date_to=date(2013, 12, 31), q="army")


@pytest.fixture(scope="module")
def reader(sample_db):
    st_ = sample_db.stat()
    return db.Reader(db.Snapshot(str(sample_db.resolve()), (st_.st_ino, st_.st_mtime_ns)))


def test_reader_methods_answer_what_their_queries_answer(reader):
    con = reader.con
    pd.testing.assert_frame_equal(reader.topic_trend(VIEW), queries.topic_trend(con, VIEW))
    pd.testing.assert_frame_equal(reader.articles_page(VIEW, 10, 0, queries.RANKED),
                                  queries.articles_page(con, VIEW, 10, 0, queries.RANKED))
    assert reader.article_count(VIEW) == queries.article_count(con, VIEW) > 0
    assert reader.headline(VIEW) == queries.headline(con, VIEW)
    assert reader.meta() == queries.meta(con)
    assert reader.date_bounds() == queries.date_bounds(con)
    assert reader.undated_articles()[0] == queries.undated_articles(con)[0]
    first = str(reader.articles_page(Filters(), 1, 0)["article_id"][0])
    assert reader.article_detail(first)["article_id"] == first
    assert reader.article_detail("no such id") is None


def test_a_cached_answer_is_per_view(reader):
    narrow = VIEW.replace(q="")
    assert reader.article_count(narrow) >= reader.article_count(VIEW)
    assert reader.article_count(VIEW) == queries.article_count(reader.con, VIEW)


ELSEWHERE = dict(page="articles", article="x", table_page=3, tab="table", key_dates=False)
OPTIONS = dict(grain="week", metric="share", smooth=3, sort="oldest")


@pytest.mark.parametrize("name", sorted(db.VIEW_ONLY))
def test_a_query_keyed_without_the_fields_it_does_not_read_answers_the_same(reader, name):
    # what justifies the shared cache entry: the query's answer does not change with them
    view = VIEW.replace(q="", countries=("SY",))
    moved = view.replace(**ELSEWHERE, **OPTIONS)
    assert db.query_key(name, moved) == db.query_key(name, view)
    first, second = getattr(queries, name)(reader.con, view), getattr(queries, name)(reader.con, moved)
    if isinstance(first, dict) and all(isinstance(v, pd.DataFrame) for v in first.values()):
        for key in first:
            pd.testing.assert_frame_equal(first[key], second[key])
    elif isinstance(first, pd.DataFrame):
        pd.testing.assert_frame_equal(first, second)
    else:
        assert first == second


def test_chart_and_table_options_stay_in_the_keys_of_the_queries_that_read_them():
    moved = VIEW.replace(**ELSEWHERE)
    assert db.query_key("trend_and_spikes", moved) == db.query_key("trend_and_spikes", VIEW)
    assert db.query_key("trend_and_spikes", VIEW.replace(grain="week")) != db.query_key("trend_and_spikes", VIEW)
    assert db.query_key("articles_page", VIEW.replace(sort="oldest")) != db.query_key("articles_page", VIEW)
    assert db.query_key("articles_page", moved) == db.query_key("articles_page", VIEW)
    assert db.query_key("source_volume", VIEW.replace(sort="oldest")) == db.query_key("source_volume", VIEW)
