"""Filters ⇄ URL: parsing, tolerance of bad links, round-trip, bound SQL values, captions."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.evidence import Mark, highlight, passage
from dashboard.periods import GRAINS
from dashboard.queries import keyword_clause, keyword_terms, where_clause
from dashboard.state import MAX_DATE, METRICS, MIN_DATE, PAGES, ROLES, SORTS, TABS, Filters, describe


def test_an_empty_link_gives_the_default_view_without_notices():
    filters, notices = Filters.from_query_params({})
    assert filters == Filters()
    assert notices == []
    assert Filters().to_query_params() == {}


def test_a_full_link_is_parsed_into_every_field():
    params = {
        "from": "2012-01-01", "to": "2013-12-31", "topic": ["defection", "shelling"],
        "country": ["sy", "LB"], "region": ["Idlib"], "role": "dateline", "source": ["Reuters"],
        "person": ["Riad Hijab"], "q": ' defected "brigadier general" ', "grain": "week",
        "metric": "share", "smooth": "4", "article": "abc123", "page": "articles", "sort": "oldest",
        "copies": "1", "lang": ["AR", "en"],
    }
    filters, notices = Filters.from_query_params(params)
    assert notices == []
    assert filters == Filters(
        date_from=date(2012, 1, 1), date_to=date(2013, 12, 31), topics=("defection", "shelling"),
        countries=("SY", "LB"), regions=("Idlib",), role="dateline", sources=("Reuters",),
        people=("riad hijab",), q='defected "brigadier general"', grain="week", metric="share",
        smooth=4, article="abc123", page="articles", sort="oldest", copies=True, languages=("ar", "en"))


@pytest.mark.parametrize("params, field, default, words", [
    ({"grain": "fortnight"}, "grain", "month", "Unknown grain"),
    ({"metric": "ratio"}, "metric", "count", "Unknown metric"),
    ({"role": "capital"}, "role", "any", "Unknown role"),
    ({"page": "admin"}, "page", "trends", "Unknown page"),
    ({"sort": "random"}, "sort", "newest", "Unknown sort"),
    ({"smooth": "-3"}, "smooth", 0, "smooth"),
    ({"smooth": "lots"}, "smooth", 0, "smooth"),
    ({"smooth": "999"}, "smooth", 0, "smooth"),
    ({"from": "31/01/2012"}, "date_from", None, "not a date"),
    ({"to": "2012-02-30"}, "date_to", None, "not a date"),
    ({"country": "Syria"}, "countries", (), "two-letter"),
    ({"lang": "english"}, "languages", (), "not a language code"),
    ({"copies": "maybe"}, "copies", False, "copies"),
    ({"p": "0"}, "table_page", 1, "'p'"),
    ({"p": "two"}, "table_page", 1, "'p'"),
    ({"tab": "cards"}, "tab", "passages", "Unknown tab"),
    ({"article": "a1"}, "article", "", "Articles page only"),
    ({"from": "1800-01-01"}, "date_from", MIN_DATE, "outside"),
    ({"to": "2999-12-31"}, "date_to", MAX_DATE, "outside"),
])
def test_a_bad_value_falls_back_to_its_default_with_a_notice(params, field, default, words):
    filters, notices = Filters.from_query_params(params)
    assert getattr(filters, field) == default
    assert len(notices) == 1 and words in notices[0]


def test_dates_far_outside_what_the_date_boxes_take_are_clamped_with_a_notice():
    filters, notices = Filters.from_query_params({"from": "1800-01-01", "to": "2999-12-31"})
    assert (filters.date_from, filters.date_to) == (MIN_DATE, MAX_DATE)
    assert len(notices) == 2 and all("outside" in n for n in notices)


def test_dates_given_the_wrong_way_round_are_swapped_with_a_notice():
    filters, notices = Filters.from_query_params({"from": "2013-01-01", "to": "2012-01-01"})
    assert (filters.date_from, filters.date_to) == (date(2012, 1, 1), date(2013, 1, 1))
    assert "swapped" in notices[0]


def test_repeated_single_values_use_the_first_and_say_so():
    filters, notices = Filters.from_query_params({"grain": ["week", "day"]})
    assert filters.grain == "week"
    assert "2 times" in notices[0]


def test_list_values_are_deduplicated_and_blank_ones_dropped():
    filters, notices = Filters.from_query_params({"topic": ["defection", "", "Defection", "shelling"]})
    assert filters.topics == ("defection", "shelling")
    assert notices == []


def test_a_link_cannot_ask_for_unbounded_lists_or_text():
    filters, notices = Filters.from_query_params({"source": [f"s{i}" for i in range(80)], "q": "x" * 500})
    assert len(filters.sources) == 50
    assert len(filters.q) == 200
    assert len(notices) == 2


def test_parsing_reads_repeated_keys_from_an_object_like_st_query_params():
    class Params(dict):
        def get_all(self, key):
            return self.get(key, [])
    filters, _ = Filters.from_query_params(Params(topic=["a", "b"], grain=["day"]))
    assert filters.topics == ("a", "b") and filters.grain == "day"


def test_to_query_params_uses_the_short_documented_names():
    f = Filters(date_from=date(2012, 1, 1), topics=("defection",), countries=("SY",), regions=("Idlib",),
                role="mentioned", sources=("AFP",), people=("hezbollah",), q="siege", grain="day",
                metric="share", smooth=3, article="a1", page="articles", sort="title", copies=True,
                table_page=3, tab="table", key_dates=False, languages=("ar",))
    assert set(f.to_query_params()) == {"from", "topic", "country", "region", "role", "source", "person", "lang",
                                        "q", "grain", "metric", "smooth", "article", "page", "sort",
                                        "copies", "p", "tab", "keydates"}


text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).map(
    str.strip).filter(bool)
lower_text = text.map(str.lower).filter(lambda s: s == s.strip() and s)
dates = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))


def unique_tuple(strategy, max_size=4):
    return st.lists(strategy, max_size=max_size, unique=True).map(tuple)


filters_strategy = st.builds(
    Filters,
    date_from=dates, date_to=dates,
    topics=unique_tuple(lower_text), countries=unique_tuple(st.sampled_from(["SY", "LB", "JO", "IQ", "TR"])),
    regions=unique_tuple(text), role=st.sampled_from(ROLES), sources=unique_tuple(text),
    people=unique_tuple(lower_text), languages=unique_tuple(st.sampled_from(["ar", "en", "fr", "ku", "fa"])),
    q=st.one_of(st.just(""), text), grain=st.sampled_from(GRAINS),
    metric=st.sampled_from(METRICS), smooth=st.integers(0, 52), article=st.one_of(st.just(""), text),
    page=st.sampled_from(PAGES), sort=st.sampled_from(SORTS), copies=st.booleans(),
    table_page=st.integers(1, 10_000), tab=st.sampled_from(TABS), key_dates=st.booleans(),
).filter(lambda f: not (f.date_from and f.date_to and f.date_from > f.date_to)
         and (f.page == "articles" or not f.article))


@settings(max_examples=300, deadline=None)
@given(filters_strategy)
def test_every_view_survives_a_round_trip_through_the_url(filters):
    again, notices = Filters.from_query_params(filters.to_query_params())
    assert notices == []
    assert again == filters


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["from", "to", "topic", "country", "region", "role", "source",
                                         "person", "q", "grain", "metric", "smooth", "article", "page",
                                         "sort", "copies", "p", "tab", "lang", "junk"]),
                       st.one_of(st.text(max_size=30), st.lists(st.text(max_size=30), max_size=3))))
def test_no_link_whatever_its_values_raises(params):
    filters, notices = Filters.from_query_params(params)
    assert isinstance(filters, Filters) and isinstance(notices, list)


def test_where_clause_binds_every_value_and_never_pastes_it_into_sql():
    evil = "x'); DROP TABLE articles; --"
    f = Filters(date_from=date(2012, 1, 1), date_to=date(2012, 12, 31), topics=(evil,), countries=("SY",),
                regions=(evil,), role="dateline", sources=(evil,), people=(evil,), q=evil, languages=(evil,))
    sql, params = where_clause(f)
    assert "DROP" not in sql and "'x'" not in sql
    assert sql.count("?") == len(params)
    assert params.count(evil) >= 5
    assert date(2012, 1, 1) in params and date(2013, 1, 1) in params   # 'to' is inclusive


def test_where_clause_counts_unique_stories_unless_copies_are_asked_for():
    assert "is_primary" in where_clause(Filters())[0]
    assert "is_primary" not in where_clause(Filters(copies=True))[0]


def test_the_share_denominator_drops_only_the_topic_filter():
    f = Filters(topics=("defection",), sources=("AFP",))
    sql, params = where_clause(f, topics=False)
    assert "article_topics" not in sql and params == ["AFP"]


def test_keyword_terms_keep_quoted_phrases_together():
    assert keyword_terms('defected "brigadier general"  army') == ["defected", "brigadier general", "army"]


def test_keyword_clause_requires_every_word_and_escapes_like_wildcards():
    sql, params = keyword_clause(Filters(q="50% rise_in"))
    assert sql.count("ILIKE") == 6
    assert params[0] == "%50\\%%" and params[3] == "%rise\\_in%"
    assert keyword_clause(Filters()) == ("", [])


@pytest.mark.parametrize("filters, metric, grain, sentence", [
    (Filters(topics=("defection",), countries=("SY",), date_from=date(2012, 1, 1), date_to=date(2013, 12, 31)),
     "share", "week", "Share of articles tagged defection, Syria, weekly, 2012–2013"),
    (Filters(), "count", "month", "Articles, monthly, all dates"),
    (Filters(topics=("defection", "shelling", "protest"), date_from=date(2013, 1, 1), date_to=date(2013, 12, 31)),
     "count", "day", "Articles tagged defection, shelling or protest, daily, 2013"),
    (Filters(countries=("LB",), role="dateline", sources=("AFP",), q="siege",
             date_from=date(2012, 3, 1), date_to=date(2012, 5, 31)),
     "count", "month", "Articles, datelined Lebanon, from AFP, matching “siege”, monthly, Mar 2012 – May 2012"),
    (Filters(regions=("Idlib",), role="mentioned", date_from=date(2012, 3, 5)),
     "count", "", "Articles, mentioning Idlib, from 5 Mar 2012"),
    (Filters(sources=("AFP",), languages=("ar", "en"), q="siege"),
     "count", "month", "Articles, from AFP, in Arabic or English, matching “siege”, monthly, all dates"),
])
def test_describe_writes_a_caption_sentence(filters, metric, grain, sentence):
    assert describe(filters, metric, grain) == sentence


def test_describe_uses_topic_labels_and_entity_names_when_given():
    f = Filters(topics=("chem",), people=("riad hijab",))
    assert describe(f, "count", "month", {"chem": "Chemical weapons"}, {"riad hijab": "Riad Hijab"}) == \
        "Articles tagged Chemical weapons, naming Riad Hijab, monthly, all dates"


def test_article_text_is_escaped_before_evidence_is_marked():
    text = "<script>alert('x')</script> **bold** defection"
    out = highlight(text, [Mark(37, 46, "topic: <b>Defection</b>", "#d62728")])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "**bold**" in out
    assert '<mark style="background:#d6272840' in out and ">defection</mark>" in out
    assert "&lt;b&gt;Defection&lt;/b&gt;" in out


def test_overlapping_and_out_of_range_evidence_is_merged_and_clipped():
    out = highlight("abcdef", [Mark(1, 4, "a", "#000000"), Mark(3, 5, "b", "#000000"), Mark(4, 99, "c", "bad")])
    assert out.count("<mark") == 1 and ">bcdef</mark>" in out


def test_an_evidence_passage_is_cut_from_the_text_around_its_offsets():
    words = " ".join(f"w{i}" for i in range(200))
    text = words + " the brigadier general defected to Jordan " + words
    start = text.index("defected")
    out = passage(text, start, start + len("defected"), width=60)
    assert "defected" in out and out.startswith("…") and out.endswith("…")
    inner = out.strip("…")
    assert 40 <= len(inner) <= 60
    assert inner.split()[0] in text.split() and inner.split()[-1] in text.split()   # whole words only
    assert passage("short text here", 6, 10) == "short text here"
    assert passage("line one\n\nline two", 0, 4) == "line one line two"
    assert passage("abc", 2, 9) == "" and passage("", 0, 0) == "" and passage("abc", -1, 1) == ""
