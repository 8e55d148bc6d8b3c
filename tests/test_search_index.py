"""The full-text index end to end: etl/search/ writes, dashboard.search reads."""
from __future__ import annotations

import os
import time
from datetime import date, datetime

import pytest

from dashboard import search
from dashboard.search import Scope, SearchIndex, ids_table, open_for_db, parse
from etl.search import index as search_index


def article(aid, title="", body="", caption=None, when=None, source="Asharq Al-Awsat",
            country="SY", primary=True):
    return {"article_id": aid, "title": title, "caption": caption, "body": body,
            "published_at": when, "source": source, "primary_country": country,
            "is_primary": primary}


ARTICLES = [
    article("en-01", "Officers defected to the Free Syrian Army",
            "Several officers defected on Monday, joining the Free Syrian Army near Idlib.",
            when=datetime(2012, 3, 5, 10, 30)),
    article("en-02", "Army shelling in Homs",
            "The army said the free movement of Syrian refugees was restricted.",
            when=datetime(2012, 3, 20)),
    article("en-03", "A wave of defection",
            "The defection of a general was announced in Damascus.",
            when=datetime(2012, 4, 2), country="SY"),
    article("en-04", "Assad speaks", "President Bashar al-Assad gave a speech in Damascus.",
            when=datetime(2012, 5, 1)),
    article("en-05", "Talks in Geneva", "The U.N. envoy met delegations in Geneva on Friday.",
            when=datetime(2013, 1, 15), country="CH", source="Reuters"),
    article("en-06", "UN report", "A UN report on refugees in Jordan was published.",
            when=datetime(2013, 2, 1), country="JO", source="Reuters"),
    article("en-07", "Iraq border", "Fighting near the Iraq border with Syria continued.",
            when=datetime(2013, 2, 10), country="IQ"),
    article("en-08", "Russia and Syria", "Russia sent more aircraft to Syria, officials said.",
            when=datetime(2013, 3, 3), country="SY"),
    article("en-09", "Lebanon", "Refugees crossed into Lebanon from Syria.",
            when=None, country="LB"),
    article("en-10", "Market report", "Oil prices rose. The defector count was not known.",
            when=datetime(2014, 6, 1), country=None, primary=False),
    article("en-11", "Türkiye closes crossing", "Türkiye closed the Bab al-Hawa crossing.",
            when=datetime(2014, 7, 1), country="TR"),
    article("en-12", "Body only", "Talks about a possible defection were reported.",
            caption="Photo: a checkpoint near Aleppo", when=datetime(2014, 7, 2)),
    article("en-13", "Damascus suburbs", "Shelling hit the Damascus suburbs <b>again</b> & more.",
            when=datetime(2014, 7, 3)),
    article("ar-01", "انشقاق ضابط كبير", "أعلن ضابط كبير انشقاقه عن الجيش السوري في إدلب.",
            when=datetime(2012, 3, 6), country="SY", source="الشرق الأوسط"),
    article("ar-02", "الرئيس بشّار الأسد", "ألقى الرئيس بَشّار الأَسَد خطاباً في دمشق.",
            when=datetime(2012, 5, 2), country="SY", source="الشرق الأوسط"),
    article("ar-03", "اللاجئون في الأردن", "وصل آلاف اللاجئين إلى الأردن هذا الأسبوع في ٢٠١٣.",
            when=datetime(2013, 2, 2), country="JO", source="الشرق الأوسط"),
]
BY_ID = {a["article_id"]: a for a in ARTICLES}


def texts(ids):
    return {i: BY_ID[i] for i in ids if i in BY_ID}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("idx") / "conflict.index" / search_index.dir_name(1)
    assert search_index.build(path, ARTICLES) == len(ARTICLES)
    return path


@pytest.fixture(scope="module")
def idx(index_dir):
    return SearchIndex.open(index_dir)


def ids(idx, q, **kw):
    return set(idx.matching_ids(parse(q), **kw))


@pytest.mark.parametrize("q, expected", [
    ('"free syrian army"', {"en-01"}),
    ("free syrian army", {"en-01", "en-02"}),
    ("army -shelling", {"en-01", "ar-01"} - {"ar-01"}),
    ("army NOT shelling", {"en-01"}),
    ("geneva OR jordan", {"en-05", "en-06"}),
    ("(iraq OR russia) syria", {"en-07", "en-08"}),
    ("refugees (jordan OR lebanon)", {"en-06", "en-09"}),
    ("defect*", {"en-01", "en-03", "en-10", "en-12"}),
    ("al-Assad", {"en-04"}),
    ("AL-ASSAD", {"en-04"}),
    ("U.N.", {"en-05", "en-06"}),
    ("un", {"en-06"}),
    ("turkiye", {"en-11"}),
    ("Türkiye", {"en-11"}),
    ('"bab al-hawa"', {"en-11"}),
    ("checkpoint", {"en-12"}),
])
def test_query_syntax_finds_the_expected_articles(idx, q, expected):
    assert ids(idx, q) == expected


def test_words_match_their_english_word_forms_unless_asked_for_exactly(idx):
    assert ids(idx, "defect") == {"en-01", "en-03", "en-12"}
    assert ids(idx, "defection") == {"en-01", "en-03", "en-12"}
    assert ids(idx, "=defection") == {"en-03", "en-12"}
    assert ids(idx, '"defection"') == {"en-03", "en-12"}
    assert ids(idx, "=defect") == set()


def test_arabic_words_match_with_or_without_diacritics_and_hamza(idx):
    assert ids(idx, "الأسد") == {"ar-02"}
    assert ids(idx, "الاسد") == {"ar-02"}
    assert ids(idx, "بشار الأسد") == {"ar-02"}
    assert ids(idx, '"بشار الاسد"') == {"ar-02"}
    assert ids(idx, "ضابط") == {"ar-01"}
    assert ids(idx, "انشقاق OR الاردن") == {"ar-01", "ar-03"}
    assert ids(idx, "2013 اللاجئين") == {"ar-03"}


def test_a_query_of_only_exclusions_matches_everything_else(idx):
    assert ids(idx, "NOT syria") == set(BY_ID) - {"en-07", "en-08", "en-09"}


def test_title_matches_rank_first(idx):
    hits = idx.top_hits(parse("defection"), n=10)
    assert hits[0].article_id == "en-03"       # "defection" in the title and the body
    assert {h.article_id for h in hits} == {"en-01", "en-03", "en-12"}
    first = idx.top_hits(parse("damascus"), n=1)[0]
    assert first.article_id == "en-13"


def test_top_hits_pages_and_never_panics_on_zero(idx):
    everything = [h.article_id for h in idx.top_hits(parse("syria OR damascus OR refugees"), n=50)]
    page = [h.article_id for h in idx.top_hits(parse("syria OR damascus OR refugees"), n=2, offset=2)]
    assert page == everything[2:4]
    assert idx.top_hits(parse("syria"), n=0) == []
    assert idx.matching_ids(parse("syria"), limit=0) == []
    assert idx.matching_ids(parse("zzzz")) == []


def test_snippets_are_escaped_html_with_marks(idx):
    hit = idx.top_hits(parse("damascus"), n=1, texts=texts)[0]
    assert "<mark>Damascus</mark>" in hit.snippet_html
    assert "&lt;b&gt;again&lt;/b&gt; &amp; more" in hit.snippet_html
    assert "<b>" not in hit.snippet_html
    assert idx.top_hits(parse("damascus"), n=1)[0].snippet_html == ""


def test_snippets_mark_word_forms_and_keep_arabic_as_written(idx):
    hit = idx.top_hits(parse("defect"), n=5, texts=texts)
    by_id = {h.article_id: h.snippet_html for h in hit}
    assert "<mark>defected</mark>" in by_id["en-01"]
    ar = idx.top_hits(parse("الاسد"), n=1, texts=texts)[0]
    assert "<mark>الأَسَد</mark>" in ar.snippet_html


def test_long_bodies_get_a_window_around_the_matches(idx):
    body = "Filler words here. " * 60 + "The general defected at dawn. " + "More filler. " * 60
    html = idx.snippet_html(parse("defect"), body)
    assert "<mark>defected</mark>" in html and html.startswith("…") and html.endswith("…")
    assert len(html) < search.SNIPPET_CHARS + 40


def test_highlight_terms_cover_word_forms_prefixes_and_phrases_but_not_exclusions(idx):
    terms = idx.highlight_terms(parse('defect "free syrian" geneva* -army'))
    assert {"defect", "defected", "defection", "free", "syrian", "geneva"} <= set(terms)
    assert "army" not in terms
    html = idx.highlight_html(parse("al-Assad"), "Bashar al-Assad <script>")
    assert html == "Bashar <mark>al</mark>-<mark>Assad</mark> &lt;script&gt;"


def test_counts_and_scope_filters(idx):
    q = parse("syria OR syrian OR سوري OR السوري OR damascus")
    assert idx.count(q) == len(ids(idx, q.text))
    assert idx.count(parse("")) == len(ARTICLES)
    assert ids(idx, "refugees", scope=Scope(sources=("Reuters",))) == {"en-06"}
    assert ids(idx, "refugees", scope=Scope(countries=("LB", "JO"))) == {"en-06", "en-09"}
    assert ids(idx, "refugees", scope=Scope(start=date(2013, 1, 1))) == {"en-06"}
    assert ids(idx, "defector OR oil", scope=Scope(primary_only=True)) == set()
    assert ids(idx, "army", scope=Scope(end=date(2012, 3, 10))) == {"en-01"}


def test_histogram_counts_dated_matches_per_period(idx):
    q = parse("damascus OR دمشق")
    assert idx.histogram(q, "month") == [(date(2012, 4, 1), 1), (date(2012, 5, 1), 2),
                                         (date(2014, 7, 1), 1)]
    assert idx.histogram(q, "year") == [(date(2012, 1, 1), 3), (date(2014, 1, 1), 1)]
    assert idx.histogram(q, "week")[-1] == (date(2014, 6, 30), 1)   # Thursday 3 July 2014's week
    assert idx.histogram(parse("zzzz"), "day") == []
    with pytest.raises(ValueError):
        idx.histogram(q, "fortnight")


def test_ids_table_is_ready_to_join_in_duckdb(idx):
    import duckdb

    found = idx.scored_ids(parse("syria"))
    table = ids_table([a for a, _ in found], [s for _, s in found])
    con = duckdb.connect()
    con.register("kw", table)
    assert con.execute("SELECT count(*), min(rank) FROM kw").fetchone() == (len(found), 0)
    assert table.column_names == ["article_id", "rank", "score"]


def test_update_keeps_the_index_in_step_and_the_previous_directory_answering(index_dir, tmp_path):
    new_dir = tmp_path / "conflict.index" / search_index.dir_name(2)
    changed = dict(BY_ID["en-04"], title="Minister speaks", body="The minister spoke in Aleppo.")
    added = article("en-99", "Ceasefire", "A ceasefire in Aleppo was agreed.", when=datetime(2015, 1, 1))
    search_index.update(index_dir, new_dir, upserts=[changed, added], deletes=["en-05"])

    new = SearchIndex.open(new_dir)
    old = SearchIndex.open(index_dir)
    assert ids(new, "al-Assad") == set()
    assert ids(new, "aleppo") == {"en-04", "en-99", "en-12"}
    assert ids(new, "geneva") == set()
    assert new.num_docs == len(ARTICLES)
    # the previous snapshot's directory is untouched, even reopened from scratch
    assert ids(old, "al-Assad") == {"en-04"} and ids(old, "geneva") == {"en-05"}
    fresh = SearchIndex(index_dir)
    assert ids(fresh, "aleppo") == {"en-12"} and fresh.num_docs == len(ARTICLES)


def test_update_without_a_previous_directory_builds_from_scratch(tmp_path):
    search_index.update(None, tmp_path / "a", upserts=ARTICLES[:3], deletes=["nope"])
    assert SearchIndex.open(tmp_path / "a").num_docs == 3


def test_an_existing_directory_is_never_overwritten_and_a_killed_run_leaves_no_index(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(FileExistsError):
        search_index.build(tmp_path / "x", ARTICLES)

    def dies_halfway():
        yield ARTICLES[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        search_index.build(tmp_path / "y", dies_halfway())
    assert not (tmp_path / "y").exists()
    assert open_for_db(tmp_path / "db.duckdb", "y") is None
    assert search_index.build(tmp_path / "y", ARTICLES[:2]) == 2      # leftover staging discarded
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x", "y"]


def test_gc_removes_old_unlisted_directories_only(tmp_path):
    parent = tmp_path / "conflict.index"
    for name in ("00000001", "00000002", "00000003", "00000004"):
        (parent / name).mkdir(parents=True)
        (parent / name / "meta.json").write_text("{}")
    old = time.time() - 7200
    for name in ("00000001", "00000002", "00000003"):
        os.utime(parent / name, (old, old))
    removed = search_index.gc(parent, keep={"00000003", "conflict.index/00000002"})
    assert [p.name for p in removed] == ["00000001"]
    assert sorted(p.name for p in parent.iterdir()) == ["00000002", "00000003", "00000004"]


def test_open_for_db_resolves_meta_index_dir_next_to_the_database(index_dir, caplog):
    db = index_dir.parent.parent / "conflict.duckdb"
    assert open_for_db(db, f"conflict.index/{index_dir.name}").path == index_dir.resolve()
    assert open_for_db(db, None) is None
    assert open_for_db(db, "conflict.index/missing") is None
    assert "keyword search unavailable" in caplog.text


MIXED = ("Türkiye’s U.N. envoy met al-Assad — الرئيس بَشّار الأَسَد ٢٠١٣, Ḥamā café "
         "naïve\u00adly إدلب ـالأسد ي ى ة ه")


def test_a_query_analyzed_by_the_dashboard_gives_the_terms_the_index_holds(tmp_path):
    """The dashboard's analyzer is built from the search-format.json the ETL wrote beside the
    index; Arabic (diacritics, hamza, tatweel, digits), accented and mixed text analyzed on the
    query side gives exactly the terms the ETL indexed for the same text."""
    index_dir = tmp_path / "conflict.index" / search_index.dir_name(1)
    search_index.build(index_dir, [article("mixed", "", MIXED)])
    idx = SearchIndex(index_dir)            # reads the written file, not the shipped one
    terms = idx.analyzer.analyze(MIXED)
    assert {"turkiye", "u", "n", "assad", "بشار", "الاسد", "2013", "hama", "cafe", "naively", "ادلب"} <= set(terms)
    indexed = {term for term, _ in idx._searcher.terms_with_prefix("body", "", limit=1000)}
    assert indexed == set(terms)
    for word in terms:
        assert idx.matching_ids(idx.parse(word)) == ["mixed"], word
    assert idx.matching_ids(idx.parse("الأَسَد ٢٠١٣")) == ["mixed"]


def test_an_index_without_a_readable_format_file_asks_for_a_reindex(tmp_path, caplog):
    index_dir = tmp_path / "conflict.index" / search_index.dir_name(1)
    search_index.build(index_dir, [article("a", "Talks", "Talks in Geneva.")])
    fmt = index_dir / search.FORMAT_FILE
    written = fmt.read_text()
    for content in (None, "{not json", '{"format": 1, "tokenizer": "ct_words"}', '{"format": 99}',
                    written.replace('"tokenizer"', '"tokeniser"')):
        fmt.unlink(missing_ok=True)
        if content is not None:
            fmt.write_text(content)
        with pytest.raises(search.IndexUnavailable, match=r"python -m etl reindex"):
            SearchIndex(index_dir)
        assert open_for_db(tmp_path / "conflict.duckdb", f"conflict.index/{index_dir.name}") is None
    assert "keyword search unavailable" in caplog.text and "index format 1" in caplog.text


def test_a_run_that_fails_after_its_index_was_committed_leaves_the_live_database_and_index_alone(
        tmp_path, monkeypatch):
    """The index is committed on its own thread while the database finishes the run; when the
    run then fails, the new index directory goes and the previous snapshot is what readers see."""
    from etl import store
    from etl.ingest import ingest
    from etl.paths import index_parent
    from etl.search.indexing import IngestIndexer

    db = tmp_path / "conflict.duckdb"
    first = tmp_path / "first.jsonl"
    first.write_text('{"title": "Officer defects", "body": "An officer defected to Jordan."}\n')
    ingest([str(first)], db, progress=False, workers=0, indexer=IngestIndexer(db))
    before = sorted(p.name for p in index_parent(db).iterdir())

    def fails(self):
        raise RuntimeError("disk full")
    monkeypatch.setattr(store.Snapshot, "rebuild_facets", fails)
    second = tmp_path / "second.jsonl"
    second.write_text('{"title": "Ceasefire talks", "body": "Talks on a ceasefire began in Geneva."}\n')
    with pytest.raises(RuntimeError, match="disk full"):
        ingest([str(second)], db, progress=False, workers=0, indexer=IngestIndexer(db))

    assert sorted(p.name for p in index_parent(db).iterdir()) == before
    index = open_for_db(db, f"{index_parent(db).name}/{before[-1]}")
    assert ids(index, "ceasefire") == set() and len(ids(index, "defected")) == 1


def test_an_index_written_before_the_format_file_held_the_table_is_updated_in_place(tmp_path):
    """Format 1 indexed the same terms; its file only named the normalisation. An ingest builds
    the next directory on it, and that one carries the current description."""
    old = tmp_path / "conflict.index" / search_index.dir_name(1)
    search_index.build(old, [article("a", "Talks", "Talks in Geneva.")])
    (old / search.FORMAT_FILE).write_text('{"format": 1, "tokenizer": "ct_words", "analyzer": '
                                          '["simple", ["remove_long", 40], "lowercase", "ascii_fold"], '
                                          '"normalise": "arabic-light-1"}')
    # the dashboard reads the old directory as it is: same terms, no reindex asked for
    assert SearchIndex(old).matching_ids(SearchIndex(old).parse("geneva")) == ["a"]
    new = old.parent / search_index.dir_name(2)
    search_index.update(old, new, [article("b", "الأسد", "Assad in Damascus.")], deletes=[])
    idx = SearchIndex(new)
    assert sorted(idx.matching_ids(idx.parse("الاسد OR geneva"))) == ["a", "b"]
