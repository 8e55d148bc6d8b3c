"""The keyword query language: how typed text is read, and what the user is told."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from dashboard.search import And, Not, Or, Phrase, Word, parse


@pytest.mark.parametrize("q, reading", [
    ("defection", "defection"),
    ("Defection ARMY", "defection army"),
    ("defection army", "defection army"),
    ("defection AND army", "defection army"),
    ('"free syrian army"', '"free syrian army"'),
    ("\u201cfree syrian army\u201d", '"free syrian army"'),
    ("\u00abfree syrian army\u00bb", '"free syrian army"'),
    ("syria OR iraq", "syria OR iraq"),
    ("syria | iraq", "syria OR iraq"),
    ("syria OR iraq -russia", "(syria OR iraq) -russia"),
    ("defection army OR military", "defection (army OR military)"),
    ("(syria OR iraq) AND NOT russia", "(syria OR iraq) -russia"),
    ("(a b) OR c", "(a b) OR c"),
    ("-(a b) c", "NOT (a b) c"),
    ("NOT NOT a", "a"),
    ("+army", "army"),
    ("=defect", "=defect"),
    ('"defect"', "=defect"),
    ("defect*", "defect*"),
    ('"free syri*"', '"free syri*"'),
    ("al-Assad", '"al assad"'),
    ("U.N.", '"u n"'),
    ("Türkiye", "turkiye"),
    ("الأسد", "الاسد"),
    ("بَشّار الأَسَد", "بشار الاسد"),
    ("٢٠١٣", "2013"),
    ("a OR -b", "a OR -b"),
    ("army army", "army"),
])
def test_queries_are_read_as_documented(q, reading):
    parsed = parse(q)
    assert parsed.reading == reading
    assert parsed.notices == []


@pytest.mark.parametrize("q, reading, notice", [
    ('"unclosed phrase', '"unclosed phrase"', "quote was not closed"),
    ("(syria OR iraq", "syria OR iraq", "“(” was not closed"),
    ("syria) iraq", "syria iraq", "“)” without a matching “(”"),
    ("OR", "", "“OR” needs a word on each side"),
    ("syria OR", "syria", "“OR” needs a word on each side"),
    ("OR syria", "syria", "“OR” needs a word on each side"),
    ("syria AND", "syria", "“AND” needs a word on each side"),
    ("syria NOT", "syria", "needs a word after it"),
    ("NOT syria", "-syria", "only excludes words"),
    ("-syria -iraq", "-syria -iraq", "only excludes words"),
    ("syria - iraq", "syria iraq", "lone “-”"),
    ("syria or iraq", "syria or iraq", "write OR in capitals"),
    ("'; DROP TABLE articles; --", "drop table articles", "no letters or digits"),
    ("()", "", "Empty parentheses"),
    ('""', "", "Empty quotes"),
    ("d*", "d", "prefix needs at least 2"),
    ("x" * 10_000, "", "cut to its first 1000 characters"),
    ("(" * 40 + "a" + ")" * 40, "a", "nested deeper than 16"),
    (" ".join(f"w{i}" for i in range(100)), " ".join(f"w{i}" for i in range(64)), "first 64 words"),
    ("!!! ???", "", "no letters or digits"),
])
def test_bad_queries_get_a_notice_and_a_best_effort_reading(q, reading, notice):
    parsed = parse(q)
    assert parsed.reading == reading
    assert any(notice in n for n in parsed.notices), parsed.notices


def test_the_tree_holds_typed_nodes():
    root = parse('(syria OR "free army") -regime =defect al-Assad').root
    assert root == And((Or((Word("syria"), Phrase(("free", "army")))), Not(Word("regime")),
                        Word("defect", exact=True), Phrase(("al", "assad"))))


def test_an_empty_query_is_empty():
    for q in ("", "   ", "---", None):
        assert parse(q).is_empty


def test_acronyms_also_match_the_solid_word():
    assert Phrase(("u", "n")).acronym == "un"
    assert Phrase(("al", "assad")).acronym is None


QUERY_ALPHABET = st.sampled_from(list('abc xyz()"-=*+|&\'; .:NOTAND OR\t\nالأسدَّ٢Üé\u201c\u00ab'))


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(QUERY_ALPHABET, max_size=80).map("".join)))
def test_parse_never_raises_and_its_reading_reads_back_the_same(q):
    parsed = parse(q)
    assert isinstance(parsed.notices, list)
    again = parse(parsed.reading)
    assert again.reading == parsed.reading
    assert again.root == parsed.root
