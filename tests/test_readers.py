"""Readers on real inputs from the shared corpus and on small tables written here.

Over 500 lines because every reader is tested here against the same shared corpus fixtures;
format-specific edge cases live in test_bad_inputs.py, test_html_reader.py and
test_feed_reader.py."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from etl.errors import InputError
from etl.model import ItemError, RawArticle
from etl.readers import archive_text
from etl.readers.table.columns import guess_column_map
from etl.readers.detect import detect_format, read_input
from etl.readers.inputs import expand_inputs
from etl.text import (decode, declared_encoding, html_fragment_to_text, language_code, looks_hard_wrapped,
                      normalise_whitespace, paragraphs)

SEED = "seeds/000_0539852812ec3bbd.txt"


def articles(items):
    return [i for i in items if isinstance(i, RawArticle)]


def errors(items):
    return [i for i in items if isinstance(i, ItemError)]


# ---- text ---------------------------------------------------------------------------------

@pytest.mark.parametrize("data, expected", [
    (b"plain ascii", "plain ascii"),
    ("Assad\u2019s forces \u2014 monitor".encode("utf-8"), "Assad\u2019s forces \u2014 monitor"),
    ("Assad\u2019s forces \u2014 monitor".encode("cp1252"), "Assad\u2019s forces \u2014 monitor"),
    (b"\xef\xbb\xbfwith BOM", "with BOM"),
    ("utf-16 text".encode("utf-16"), "utf-16 text"),
    ('<meta charset="windows-1256"><p>\u0633\u0648\u0631\u064a\u0627</p>'.encode("cp1256"),
     '<meta charset="windows-1256"><p>\u0633\u0648\u0631\u064a\u0627</p>'),
    ("caf\u00e9 d\u00e9j\u00e0 vu \u2013 Gen\u00e8ve".encode("cp1252"), "caf\u00e9 d\u00e9j\u00e0 vu \u2013 Gen\u00e8ve"),
])
def test_decode_reads_each_encoding_correctly(data, expected):
    assert decode(data) == expected


@pytest.mark.parametrize("raw, expected", [
    ("  Syria\u00a0 war \t ", "Syria war"),
    ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
    ("e\u0301", "\u00e9"),
    ("", ""),
])
def test_normalise_whitespace_leaves_one_clean_line(raw, expected):
    assert normalise_whitespace(raw) == expected


@pytest.mark.parametrize("raw, wrapped, expected", [
    ("one\ntwo\n\n\nthree", False, "one\n\ntwo\n\nthree"),
    ("a wrapped\nparagraph\n\nnext one", True, "a wrapped paragraph\n\nnext one"),
    ("  \n \n", False, ""),
    ("windows\r\nline ends\r\n", False, "windows\n\nline ends"),
])
def test_paragraphs_are_separated_by_one_blank_line(raw, wrapped, expected):
    assert paragraphs(raw, wrapped=wrapped) == expected


@pytest.mark.parametrize("fragment, expected", [
    ("<p>Rebels <b>took</b> the town.</p><p>Second &amp; last.</p>", "Rebels took the town.\n\nSecond & last."),
    ("no tags &amp; entities", "no tags & entities"),
    ("<script>x()</script><div>kept</div>", "kept"),
])
def test_html_fragments_become_plain_paragraphs(fragment, expected):
    assert html_fragment_to_text(fragment) == expected


@pytest.mark.parametrize("tag, expected", [("en-US", "en"), ("AR", "ar"), ("pt_BR", "pt"), ("", None), ("English!", None)])
def test_language_tags_reduce_to_their_primary_code(tag, expected):
    assert language_code(tag) == expected


# ---- archive text -------------------------------------------------------------------------

def test_the_seed_archive_page_yields_exactly_its_title_outlet_media_id_dateline_and_caption():
    path = shared_path(SEED)
    [article] = list(read_input(str(path)))
    assert article.input_format == "archive_text"
    assert article.title == "High-Ranking Syrian Military Officer Defects"
    assert article.source == "Asharq Al-Awsat"
    assert article.media_id == "55296037"
    assert article.dateline == "Amman, Asharq Al-Awsat"
    assert article.caption.startswith("Syrians step on a picture of Bashar al-Assad")
    assert article.caption.endswith("in front of the Syrian embassy in Amman. (R)")
    assert article.body.startswith("A high-ranking Syrian military officer")
    assert article.body.endswith("mostly throwing their weight behind Assad.")


def test_the_seed_archive_body_has_no_site_chrome_and_no_caption():
    [article] = list(read_input(str(shared_path(SEED))))
    for chrome in ("Select Page", "Media ID", "Caption:", "English Archive", "Middle-east Arab News",
                   "Syrians step on a picture"):
        assert chrome not in article.body
    assert "Assad\u2019s forces" in article.body          # UTF-8 apostrophes intact
    assert "\n\n\n" not in article.body


@pytest.mark.parametrize("page, title, source, dateline, body_start", [
    ("Banner | Al Arabiya\n\nRebels Seize Base | AL ARABIYA English Archive\nSelect Page\n\n"
     "DUBAI, Al Arabiya\u2014Rebels seized a base.\n\nMore text.",
     "Rebels Seize Base", "Al Arabiya", "DUBAI, Al Arabiya", "Rebels seized a base."),
    ("Ceasefire talks resume\n\nBEIRUT (Reuters) - Talks resumed on Monday.\n\nSecond paragraph.",
     "Ceasefire talks resume", None, "BEIRUT (Reuters)", "Talks resumed on Monday."),
    ("A headline\n\nThe war\u2014which began in 2011\u2014goes on.",
     "A headline", None, None, "The war\u2014which began in 2011\u2014goes on."),
    ("Hard wrapped\n\nThis paragraph was\nwrapped at a fixed\nwidth by an editor.\n\nSo was\nthis one.",
     "Hard wrapped", None, None, "This paragraph was wrapped at a fixed width by an editor."),
])
def test_archive_and_plain_text_pages_of_the_same_shape(page, title, source, dateline, body_start):
    [article] = list(archive_text.read("page.txt", page.encode("utf-8")))
    assert (article.title, article.source, article.dateline) == (title, source, dateline)
    assert article.body.startswith(body_start)


def test_the_archive_banner_states_the_language_and_plain_pages_leave_it_to_the_enricher():
    [english] = list(archive_text.read("a.txt", b"Rebels Seize Base | AL ARABIYA English Archive\n\nText."))
    [plain] = list(archive_text.read("b.txt", b"Rebels Seize Base | AL ARABIYA Archive\n\nText."))
    assert (english.language, plain.language) == ("en", None)
    [seed] = list(read_input(str(shared_path(SEED))))
    assert seed.language == "en"


_LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_TEXT, max_size=8), st.sampled_from(["", "Amman, Asharq Al-Awsat\u2014", "BEIRUT - "]))
def test_archive_bodies_are_clean_by_construction_so_the_enricher_keeps_them_as_they_are(lines, lead):
    """The reader marks its body clean instead of having it scanned again: that is only right
    if a full clean_text pass would leave it unchanged, whatever the lines held."""
    import etl.text
    from etl.enrich import clean_text
    page = "Title | OUTLET English Archive\n" + lead + "\n".join(lines)
    try:
        [article] = list(archive_text.read("p.txt", page.encode("utf-8", "surrogatepass")))
    except InputError:
        return
    etl.text._LAST_CLEAN = ""      # forget the mark: check the text itself
    assert clean_text(article.body) == article.body
    assert paragraphs(article.body) == article.body


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", "short line", "a much longer line of text " * 5, "x"]), max_size=10))
def test_lines_never_two_non_empty_in_a_row_never_look_hard_wrapped(lines):
    """looks_hard_wrapped answers no at once unless two non-empty lines follow each other."""
    if not any(a and b for a, b in zip(lines, lines[1:])):
        assert not looks_hard_wrapped("\n".join(lines))


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
       | st.lists(st.sampled_from(["a", "\u00e9", "e\u0301", " ", "\u00a0", "\u2014", "\u200b", "\t", "\u00ad"]),
                  max_size=12).map("".join))
def test_normalise_whitespace_fast_path_gives_what_the_full_clean_up_gives(text):
    import unicodedata
    from etl.text import _INVISIBLE
    full = " ".join(_INVISIBLE.sub("", " ".join(text.split())).split())
    assert normalise_whitespace(text) == unicodedata.normalize("NFC", full)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["word", "a much longer line " * 8, " ", "\t", "\n", "\r\n", "\u00a0"]),
                max_size=14).map("".join))
def test_looks_hard_wrapped_quick_no_agrees_with_its_block_rule(text):
    """The early answer (no two non-blank lines in a row) never contradicts the block rule."""
    import re
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    multi = [b for b in blocks if b.strip().count("\n") >= 1]
    rule = bool(blocks) and len(multi) * 2 >= len(blocks) and max(
        (len(line) for b in multi for line in b.strip().split("\n")), default=101) <= 100
    assert looks_hard_wrapped(text) == rule


def test_a_declared_charset_is_only_looked_for_where_a_tag_could_declare_it():
    assert declared_encoding(b"charset=cp1256 in plain text") is None
    assert declared_encoding(b'<meta charset="windows-1256">') == "cp1256"
    assert decode("Caf\u00e9 charset=utf-8".encode("cp1252")) == "Caf\u00e9 charset=utf-8"


# ---- tables -------------------------------------------------------------------------------

def test_fakes_dev_csv_loads_605_articles_with_no_errors_and_cp1252_decoded():
    path = shared_path("corpus/fakes/fakes-dev.csv")
    items = list(read_input(str(path)))
    assert errors(items) == []
    loaded = articles(items)
    assert len(loaded) == 605
    first = loaded[0]
    assert first.title == "Syria attack symptoms consistent with nerve agent use WHO"
    assert first.source == "nna" and first.published_raw == "4/5/17"
    assert first.extra["location"] == "idlib" and first.extra["label"] == "0"
    # the file's only non-ASCII bytes are cp1252 0x95 (a bullet) standing where the FA-KES
    # source lost apostrophes and dashes: "Syria\x95_s Aleppo \x95_ monitor"
    titles = [a.title for a in loaded]
    assert any("Syria\u2022_s Aleppo \u2022_ monitor" in t for t in titles)
    assert not any("\ufffd" in a.title + a.body for a in loaded)


def test_a_media_cloud_export_loads_with_no_flags_and_uses_the_title_as_body(tmp_path):
    path = tmp_path / "mediacloud-export.csv"
    path.write_text(
        "id,publish_date,title,url,language,media_name,media_url\n"
        "1234,2013-03-16 10:00:00,Syrian general defects to Jordan,https://example.org/a,en,Example Times,https://example.org\n"
        "1235,2013-03-17 11:30:00,\"Rebels, army clash near Idlib\",https://example.org/b,en,Example Times,https://example.org\n",
        encoding="utf-8")
    items = list(read_input(str(path)))
    assert errors(items) == []
    first, second = articles(items)
    assert first.title == first.body == "Syrian general defects to Jordan"
    assert first.published_raw == "2013-03-16 10:00:00"
    assert (first.url, first.source, first.language) == ("https://example.org/a", "Example Times", "en")
    assert first.extra == {"id": "1234", "media_url": "https://example.org"}
    assert second.title == "Rebels, army clash near Idlib"
    assert (first.item, second.item) == ("row 1", "row 2")


@pytest.mark.parametrize("columns, expected", [
    (["article_title", "article_content", "source", "date"],
     {"title": "article_title", "body": "article_content", "source": "source", "published_raw": "date"}),
    (["Headline", "Full Text", "Published At", "Link", "Publisher", "Byline", "Lang"],
     {"title": "Headline", "body": "Full Text", "published_raw": "Published At", "url": "Link",
      "source": "Publisher", "author": "Byline", "language": "Lang"}),
    (["guid", "description", "pubDate", "outlet"],
     {"url": "guid", "body": "description", "published_raw": "pubDate", "source": "outlet"}),
    (["foo", "bar"], {}),
])
def test_column_mapping_is_guessed_from_common_names(columns, expected):
    assert guess_column_map(columns) == expected


def test_an_explicit_column_map_overrides_the_guess(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("name,story,when\nDefection,General crossed into Jordan.,2013-03-16\n", encoding="utf-8")
    [article] = list(read_input(str(path), column_map={"title": "name", "body": "story", "date": "when"}))
    assert (article.title, article.body, article.published_raw) == ("Defection", "General crossed into Jordan.", "2013-03-16")
    assert article.extra == {}


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(tmp_path, delimiter):
    path = tmp_path / "t.csv"
    path.write_text(delimiter.join(["title", "body", "source"]) + "\n"
                    + delimiter.join(["T", '"Some body, with comma"', "S"]) + "\n", encoding="utf-8")
    [article] = list(read_input(str(path)))
    assert (article.title, article.body, article.source) == ("T", "Some body, with comma", "S")


def test_jsonl_round_trips_fields_and_extra(tmp_path):
    rows = [{"title": "Truce in Homs", "text": "Para one.\nPara two.", "published": "2014-02-07",
             "url": "https://e.org/1", "tags": ["truce", "homs"], "score": 0.5},
            {"headline": "ignored", "body": "No title here"}]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    items = list(read_input(str(path)))
    first, second = articles(items)
    assert first.body == "Para one.\n\nPara two."
    assert first.published_raw == "2014-02-07" and first.url == "https://e.org/1"
    assert first.extra == {"tags": ["truce", "homs"], "score": 0.5}
    assert second.body == "No title here" and first.item == "line 1" and second.item == "line 2"


def test_parquet_round_trips_with_timestamps_made_json_safe(tmp_path):
    from datetime import datetime
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({
        "title": ["Aleppo shelled", None],
        "content": ["Shelling hit Aleppo.", None],
        "published_at": [datetime(2016, 8, 1, 12, 0), datetime(2016, 8, 2)],
        "views": [10, 20],
    }), path)
    items = list(read_input(str(path)))
    [article] = articles(items)
    [empty] = errors(items)
    assert article.title == "Aleppo shelled" and article.published_raw == "2016-08-01T12:00:00"
    assert article.extra == {"views": 10}
    json.dumps(article.extra)
    assert empty.kind == "empty_item" and empty.item == "row 2"


def test_gzipped_inputs_are_read_transparently(tmp_path):
    seed = shared_path(SEED).read_bytes()
    path = tmp_path / "seed.txt.gz"
    path.write_bytes(gzip.compress(seed))
    [article] = list(read_input(str(path)))
    assert article.title == "High-Ranking Syrian Military Officer Defects"
    csv_path = tmp_path / "t.csv.gz"
    csv_path.write_bytes(gzip.compress(b"title,body\nA,one\nB,two\n"))
    assert [a.title for a in read_input(str(csv_path))] == ["A", "B"]


# ---- feeds --------------------------------------------------------------------------------

def test_every_rss_parser_feed_loads_or_fails_with_a_reason():
    folder = shared_path("corpus/feeds/rss-parser/input")
    loaded = failed = 0
    formats: set[tuple[str, str]] = set()
    for path in sorted(folder.iterdir()):
        try:
            items = list(read_input(str(path)))
        except InputError as exc:
            assert exc.reason and exc.path == str(path)
            failed += 1
            continue
        assert items, path.name
        for item in items:
            if isinstance(item, ItemError):
                assert item.reason
            else:
                assert item.title or item.body
                formats.add((path.name, item.input_format))
        loaded += bool(articles(items))
    assert loaded >= 25 and failed <= 3
    # content decides: this "feed" is a web server's "Document Moved" HTML page
    assert ("unrecognized.rss", "html") in formats
    assert {fmt for name, fmt in formats if name != "unrecognized.rss"} == {"feed"}


def test_guardian_feed_entries_carry_title_link_date_source_and_plain_text():
    path = shared_path("corpus/feeds/rss-parser/input/guardian.rss")
    first = articles(read_input(str(path)))[0]
    assert first.title.startswith("Trump State of the Union address")
    assert first.url.startswith("https://www.theguardian.com/")
    assert first.published_raw and first.source
    assert "<" not in first.body and first.item.startswith("item ")


# ---- HTML ---------------------------------------------------------------------------------

def test_html_body_text_on_the_extraction_benchmark_and_snippets_stays_above_its_floor():
    from etl.evaluation.html_body import evaluate_benchmark, evaluate_snippets
    benchmark = evaluate_benchmark(shared_path("corpus/html/article-extraction-benchmark"))
    # measured: F1 0.963 (P 0.948, R 0.979) on all 181 pages; full extraction 0.963 too
    assert benchmark["html_body_benchmark_f1"] >= 0.95
    assert benchmark["html_body_benchmark_recall"] >= 0.97
    assert benchmark["html_body_benchmark_refused"] == 0
    snippets = evaluate_snippets(shared_path("corpus/html/trafilatura-eval"), limit=250)
    # measured on these 250 pages: F1 0.948, recall 0.955 (990 pages: 0.925 / 0.944)
    assert snippets["html_body_snippets_f1"] >= 0.935
    assert snippets["html_body_snippets_recall"] >= 0.945


def test_body_shingle_scores_follow_the_benchmark_rules():
    from etl.evaluation.html_body import page_scores
    gold = "one two three four five six"
    assert page_scores(gold, gold) == (1.0, 1.0)
    assert page_scores(gold, "") == (None, 0.0)          # nothing found: no precision
    p, r = page_scores(gold, gold + " seven eight")     # 3 gold 4-grams, 5 found
    assert (round(p, 3), r) == (0.6, 1.0)
    p, r = page_scores(gold, "one two three four")      # 1 of 3 found, nothing extra
    assert (p, round(r, 3)) == (1.0, 0.333)


def test_html_body_on_the_newspaper_fixtures_stays_above_its_floor():
    from etl.evaluation.html_body import evaluate_newspaper
    figures = evaluate_newspaper(shared_path("corpus/html/newspaper4k"))
    # measured: F1 0.807 on 168 pages (full extraction 0.810); the CNN Arabic page 0.913
    assert figures["html_body_newspaper_pages"] >= 160
    assert figures["html_body_newspaper_f1"] >= 0.79
    assert figures["html_body_newspaper_arabic_page_f1"] >= 0.9


def test_a_page_with_an_unknown_time_zone_name_ingests_without_library_warnings(tmp_path):
    """htmldate hands dateutil "... EST" on this page; its UnknownTimezoneWarning used to reach
    the user's terminal in the middle of the run."""
    import shutil
    from conftest import run_etl
    page = shared_path("corpus/html/newspaper4k/older/html/theglobeandmail.com1.html.gz")
    shutil.copy(page, tmp_path / page.name)
    proc = run_etl("ingest", str(tmp_path / page.name), "--no-progress", db=tmp_path / "t.duckdb", check=False)
    # the page also declares <time pubdate> "2014-00-29": recorded (exit 1), the article loads
    assert proc.returncode == 1 and "read 1 articles" in proc.stdout, proc.stdout + proc.stderr
    assert "impossible_date" in proc.stderr and "'2014-00-29T11:12:28Z'" in proc.stderr
    assert "Warning" not in proc.stderr, proc.stderr


def _spy_extractions(monkeypatch):
    """Record (fast, with_metadata) of every trafilatura extraction the HTML reader runs."""
    import trafilatura
    from etl.readers import html as html_reader
    calls, real = [], trafilatura.bare_extraction

    def spy(tree, options):
        calls.append((options.fast, options.with_metadata))
        return real(tree, options=options)
    monkeypatch.setattr(html_reader.trafilatura, "bare_extraction", spy)
    return calls


def _page(paragraphs: int) -> bytes:
    return (b"<html lang='en'><head><title>T</title>"
            b"<meta property='article:published_time' content='2013-03-16'>"
            b"<meta name='author' content='Jane Roe'></head><body><article><h1>A general defects</h1>"
            + b"".join(b"<p>Paragraph %d: a senior Syrian officer crossed into Jordan on Saturday, "
                       b"activists near the border said in a statement.</p>" % i for i in range(paragraphs))
            + b"</article></body></html>")


def test_html_full_extraction_runs_only_when_the_main_extractor_text_is_short(tmp_path, monkeypatch):
    from etl.readers import html as html_reader
    calls = _spy_extractions(monkeypatch)
    long_page = tmp_path / "long.html"
    long_page.write_bytes(_page(12))            # ~1,300 characters of text
    [article] = list(read_input(str(long_page)))
    assert calls == [(True, True)] and len(article.body) >= html_reader.FULL_EXTRACTION_BELOW
    calls.clear()
    short_page = tmp_path / "short.html"
    short_page.write_bytes(_page(3))
    [article] = list(read_input(str(short_page)))
    # the main extractor's text is short: the full extraction's text replaces it, without
    # extracting the metadata a second time; the metadata of the first pass is kept
    assert calls == [(True, True), (False, False)]
    assert article.body.count("\n\n") == 2 and "Paragraph 2" in article.body
    assert (article.published_raw, article.author) == ("2013-03-16", "Jane Roe")


def test_a_failing_full_extraction_keeps_the_main_extractor_s_text(tmp_path, monkeypatch):
    import trafilatura
    from etl.readers import html as html_reader
    real = trafilatura.bare_extraction

    def breaks_without_fast(tree, options):
        if not options.fast:
            raise RecursionError("readability gave up on this page")
        return real(tree, options=options)
    monkeypatch.setattr(html_reader.trafilatura, "bare_extraction", breaks_without_fast)
    page = tmp_path / "short.html"
    page.write_bytes(_page(3))
    [article] = list(read_input(str(page)))
    assert "Paragraph 2" in article.body and article.author == "Jane Roe"


def test_an_html_page_yields_title_date_body_url_language_and_source(tmp_path):
    page = (b"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>Site | x</title>"
            b"<link rel='canonical' href='https://news.example.org/2013/03/16/defection'>"
            b"<meta property='og:site_name' content='Example News'>"
            b"<meta property='article:published_time' content='2013-03-16T09:00:00Z'></head><body>"
            b"<nav>Home | World | Sport</nav><article><h1>Syrian general defects to Jordan</h1>"
            + b"".join(b"<p>Paragraph %d about the defection of a senior Syrian officer, reported by "
                       b"activists on Saturday near the Jordanian border.</p>" % i for i in range(6))
            + b"</article><footer>Copyright</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_bytes(page)
    [article] = list(read_input(str(path)))
    assert article.title == "Syrian general defects to Jordan"
    assert article.published_raw == "2013-03-16"
    assert article.url == "https://news.example.org/2013/03/16/defection"
    assert (article.language, article.source) == ("en", "Example News")
    assert article.body.count("\n\n") == 5 and "Home | World" not in article.body


# ---- JSON documents -------------------------------------------------------------------------

def _newsapi_articles(n: int) -> list[dict]:
    return [{"source": {"id": None, "name": "BBC News"}, "author": "Jane Roe", "title": f"Story {i}",
             "description": f"Shelling in Homs, day {i}.", "url": f"https://bbc.example/{i}",
             "publishedAt": f"2013-03-{i + 10:02d}T09:00:00Z", "content": f"Shelling in Homs on day {i}."}
            for i in range(n)]


@pytest.mark.parametrize("layout", ["wrapped", "array"])
@pytest.mark.parametrize("indent", [None, 2])
def test_json_exports_load_one_article_per_object(tmp_path, layout, indent):
    """A NewsAPI-style {"articles": [...]} dump or a plain array, pretty-printed or on one line;
    nested "source": {"name": ...} and camelCase "publishedAt" are mapped without flags."""
    import json
    articles = _newsapi_articles(3)
    doc = {"status": "ok", "totalResults": 3, "articles": articles} if layout == "wrapped" else articles
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc, indent=indent))
    items = list(read_input(str(path)))
    assert [(a.item, a.title, a.source, a.published_raw, a.input_format) for a in items] == [
        (f"item {i + 1}", f"Story {i}", "BBC News", f"2013-03-{i + 10:02d}T09:00:00Z", "json") for i in range(3)]
    assert items[0].body == "Shelling in Homs on day 0." and items[0].author == "Jane Roe"
    assert items[0].extra["description"] == "Shelling in Homs, day 0."


def test_a_scraper_s_one_article_json_file_and_a_media_cloud_results_page_load(tmp_path):
    import json
    one = tmp_path / "article.json"       # news-please writes one pretty-printed object per article
    one.write_text(json.dumps({"authors": ["Jane Roe"], "date_publish": "2012-07-24 10:00:00",
                               "maintext": "Syrian forces shelled Aleppo.", "title": "Aleppo shelled",
                               "source_domain": "bbc.co.uk", "url": "https://bbc.co.uk/x"}, indent=4))
    [article] = list(read_input(str(one)))
    assert (article.item, article.title, article.source, article.published_raw) == (
        "", "Aleppo shelled", "bbc.co.uk", "2012-07-24 10:00:00")
    assert article.body == "Syrian forces shelled Aleppo."
    page = tmp_path / "mediacloud.json"
    page.write_text(json.dumps({"results": [{"id": 7, "media_name": "Al Jazeera", "publish_date": "2016-02-27",
                                             "title": "Truce holds", "url": "https://aj.example/t"}],
                                "pagination_token": "abc"}))
    [article] = list(read_input(str(page)))
    assert (article.title, article.source, article.published_raw) == ("Truce holds", "Al Jazeera", "2016-02-27")


def test_a_json_document_cut_short_keeps_the_articles_before_the_cut(tmp_path):
    import json
    text = json.dumps(_newsapi_articles(3), indent=2)
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index('"title": "Story 2"')])
    items = list(read_input(str(path)))
    assert [a.title for a in items if isinstance(a, RawArticle)] == ["Story 0", "Story 1"]
    assert isinstance(items[-1], ItemError) and items[-1].item == "item 3"
    assert "invalid JSON after item 2 (parse error: premature EOF)" in items[-1].reason


def test_a_gzipped_json_document_is_read_in_two_passes(tmp_path):
    import json
    path = tmp_path / "dump.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"articles": _newsapi_articles(2)}).encode()))
    assert [a.title for a in read_input(str(path))] == ["Story 0", "Story 1"]


def test_a_list_of_objects_under_another_key_is_used_when_the_object_is_not_an_article(tmp_path):
    import json
    doc = {"query": "homs", "found": [{"headline": "A", "text": "Shelling."}, {"headline": "B", "text": "Clashes."}]}
    path = tmp_path / "search.json"
    path.write_text(json.dumps(doc))
    assert [a.title for a in read_input(str(path))] == ["A", "B"]
    # an article with a list of objects inside is still one article
    article = {"title": "Gallery", "body": "Photos from Homs.", "images": [{"src": "a.jpg"}, {"src": "b.jpg"}]}
    path.write_text(json.dumps(article, indent=1))
    [one] = list(read_input(str(path)))
    assert (one.title, one.body) == ("Gallery", "Photos from Homs.")


def test_camel_case_and_dotted_headers_are_guessed():
    assert guess_column_map(["articleTitle", "publishDate", "source.name", "URL", "mainText"]) == {
        "title": "articleTitle", "published_raw": "publishDate", "source": "source.name", "url": "URL",
        "body": "mainText"}


# ---- detection and inputs -----------------------------------------------------------------

@pytest.mark.parametrize("name, data, expected", [
    ("a.bin", b"PAR1\x15\x04", "parquet"),
    ("x", b"<?xml version='1.0'?>\n<rss version='2.0'><channel></channel></rss>", "feed"),
    ("x", b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "feed"),
    ("x", b"<!doctype html><html><body><p>hi</p></body></html>", "html"),
    ("page.xml", b"<html><body>x</body></html>", "html"),
    ("x", b'{"title": "A"}\n{"title": "B"}\n', "jsonl"),
    ("x", b"title,body,source\nA,b,c\nD,e,f\n", "csv"),
    ("notes.txt", b"Title, with a comma\n\nBody text of the article, with commas, runs on here.\n", "archive_text"),
    ("x.csv", b"a;b\n1;2\n", "csv"),
    ("x", b"Just a headline\n\nAnd a body paragraph.", "archive_text"),
])
def test_formats_are_detected_from_content(name, data, expected):
    assert detect_format(name, data) == expected


def test_expand_inputs_walks_folders_sorted_and_skips_hidden_entries(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in ("b/2.txt", "b/1.txt", "a.csv", ".secret.txt", ".hidden/x.txt"):
        (tmp_path / rel).write_text("x")
    found = list(expand_inputs([str(tmp_path), str(tmp_path / "a.csv"), str(tmp_path / "b" / "*.txt")]))
    assert found == [str(tmp_path / "a.csv"), str(tmp_path / "b" / "1.txt"), str(tmp_path / "b" / "2.txt")]
    assert all(Path(p).is_absolute() for p in found)


@pytest.mark.parametrize("order", [
    ("b/1.txt", "b", ".", "b/*.txt", "b"),
    (".", "b", "b/2.txt", "*.csv"),
    ("b/*.txt", "b/1.txt", "."),
    ("b", "bb"),            # a folder whose name starts like another's is not inside it
])
def test_overlapping_specs_give_each_file_once_in_the_order_first_reached(tmp_path, order):
    for rel in ("b/1.txt", "b/2.txt", "a.csv", "bb/3.txt"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = list(expand_inputs([str(tmp_path / spec) for spec in order]))
    assert len(found) == len(set(found))
    expected: list[str] = []
    for spec in order:
        for path in expand_inputs([str(tmp_path / spec)]):
            if path not in expected:
                expected.append(path)
    assert found == expected


def test_a_folder_named_relatively_gives_absolute_normalised_paths(tmp_path, monkeypatch):
    """Folder walks start from the folder's absolute path, so its files come out as
    os.path.abspath would give them, and a file spec of one of them is still a repeat."""
    for rel in ("b/1.txt", "b/c/2.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    expected = [os.path.abspath(str(tmp_path / rel)) for rel in ("b/1.txt", "b/c/2.txt")]
    for spec in ("../b", "../b/", "./../elsewhere/../b"):
        assert list(expand_inputs([spec])) == expected
        assert list(expand_inputs([spec, "../b/c/2.txt"])) == expected


def test_a_missing_path_is_passed_on_so_reading_it_says_so(tmp_path):
    missing = str(tmp_path / "nope.csv")
    assert list(expand_inputs([missing])) == [missing]
    with pytest.raises(InputError, match="no such file"):
        list(read_input(missing))


# ---- encodings decided line by line, repairs recorded --------------------------------------

import re as _re

# what UTF-8 text read as cp1252 / latin-1 / mac-roman looks like: "â€”" for "—", "Ã©" for "é",
# "‚Äî" for "—" (mac-roman), "Ã" + a C1 control for latin-1
MOJIBAKE = _re.compile("â€|Ã[\u00a0-\u00bf\u0080-\u009f]|Â[\u00a0-\u00bf]|‚Ä|√©")
DASHED = "The ceasefire \u2014 announced by the caf\u00e9 owners \u2014 held in Aleppo on Monday, officials said."


def _text_fields(article: RawArticle) -> str:
    extra = json.dumps(article.extra, ensure_ascii=False)
    return " ".join(filter(None, [article.title, article.body, article.source, article.author,
                                  article.caption, article.dateline, extra]))


def _bad_byte(data: bytes) -> bytes:
    """`data` with one byte that is not UTF-8 dropped into its first "Monday"."""
    assert b"Monday" in data
    return data.replace(b"Monday", b"Mon\xffday", 1)


def _parquet_bytes(tmp_path) -> bytes:
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"title": ["Truce \u2014 holds"], "body": [DASHED],
                             "note": pa.array([_bad_byte(DASHED.encode())], pa.binary())}), path)
    return path.read_bytes()


MIXED_INPUTS = {
    "page.txt": lambda _: _bad_byte(("Truce \u2014 holds\n\n" + (DASHED + "\n\n") * 5).encode()),
    "rows.csv": lambda _: (("title,body\n" + "".join(f"Caf\u00e9 {i},\u201cTruce\u201d \u2013 day {i}\n"
                                                      for i in range(20))).encode("cp1252")
                           + f'Truce \u2014 holds,"{DASHED}"\n'.encode()),
    "utf8.csv": lambda _: _bad_byte(("title,body\n" + f'Truce \u2014 holds,"{DASHED}"\n' * 5).encode()),
    "rows.jsonl": lambda _: _bad_byte("".join(json.dumps({"title": "Truce \u2014 holds", "body": DASHED},
                                                         ensure_ascii=False) + "\n" for _ in range(5)).encode()),
    "cp.jsonl": lambda _: ("".join(json.dumps({"title": f"Caf\u00e9 {i}", "body": "\u201cTruce\u201d"},
                                              ensure_ascii=False) + "\n" for i in range(20)).encode("cp1252")
                           + (json.dumps({"title": "Truce \u2014 holds", "body": DASHED}, ensure_ascii=False)
                              + "\n").encode()),
    "doc.json": lambda _: _bad_byte(json.dumps([{"title": "Truce \u2014 holds", "body": DASHED}] * 3,
                                               ensure_ascii=False).encode()),
    "page.html": lambda _: _bad_byte(("<html><head><meta charset='utf-8'><title>Truce \u2014 holds</title></head>"
                                      "<body><article><h1>Truce \u2014 holds</h1>"
                                      + f"<p>{DASHED}</p>" * 6 + "</article></body></html>").encode()),
    "feed.rss": lambda _: _bad_byte(("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                                     "<title>Wire</title><item><title>Truce \u2014 holds</title>"
                                     f"<description>{DASHED} {DASHED}</description></item></channel></rss>").encode()),
    "rows.parquet": _parquet_bytes,
}


@pytest.mark.parametrize("name", sorted(MIXED_INPUTS))
def test_no_reader_turns_utf8_into_mojibake_for_a_bad_byte_or_a_line_in_another_encoding(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(MIXED_INPUTS[name](tmp_path))
    items = list(read_input(str(path)))
    loaded = articles(items)
    assert loaded
    for article in loaded:
        text = _text_fields(article)
        assert not MOJIBAKE.search(text), (article.item, MOJIBAKE.search(text).group(0), text[:200])
    assert any("\u2014" in a.title + a.body or "\u2013" in a.body for a in loaded)
    assert all("Caf\u00e9" in a.title for a in loaded if a.title.startswith("Caf"))


@pytest.mark.parametrize("name", ["page.txt", "utf8.csv", "rows.jsonl", "doc.json", "page.html", "feed.rss"])
def test_a_bad_byte_in_utf8_text_is_replaced_and_counted_in_an_error_row(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(MIXED_INPUTS[name](tmp_path))
    items = list(read_input(str(path)))
    [note] = [e for e in errors(items) if e.kind == "encoding_repaired"]
    assert note.reason.startswith("text is utf-8: 1 invalid UTF-8 byte sequence replaced with U+FFFD")
    assert any("Mon\ufffdday" in a.body for a in articles(items))


def test_utf8_rows_in_a_mostly_cp1252_csv_are_read_as_utf8_and_nothing_is_reported(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(MIXED_INPUTS["rows.csv"](tmp_path))
    items = list(read_input(str(path)))
    assert errors(items) == []
    loaded = articles(items)
    assert loaded[0].title == "Caf\u00e9 0" and loaded[0].body == "\u201cTruce\u201d \u2013 day 0"
    assert loaded[-1].title == "Truce \u2014 holds" and loaded[-1].body == DASHED


def test_decoding_a_whole_text_keeps_utf8_for_one_stray_byte():
    from etl.text import decode_counted
    data = ("Title\n\n" + (DASHED + "\n") * 30).encode() + b"Price: 5\xff\n"
    decoded = decode_counted(data)
    assert decoded.encoding == "utf-8" and decoded.replaced == 1 and decoded.first_lines == (33,)
    assert decoded.text.count("\u2014") == 60 and "Price: 5\ufffd" in decoded.text
    # a whole cp1252 text is still cp1252, and reports nothing
    cp = decode_counted((DASHED + "\n").encode("cp1252") * 3)
    assert cp.text == (DASHED + "\n") * 3 and cp.repair_note() is None


def test_cyrillic_lines_in_another_encoding_inside_utf8_text_are_detected_not_replaced():
    from etl.text import decode_counted
    line = "\u0412\u0441\u0451 \u0445\u043e\u0440\u043e\u0448\u043e, \u0441\u043a\u0430\u0437\u0430\u043b \u043e\u043d.\n"
    decoded = decode_counted(line.encode() * 5 + line.encode("cp1251") * 3)
    assert decoded.text == line * 8
    assert decoded.fallback_lines == 3 and decoded.fallback == "cp1251"


def test_a_cp1252_stretch_after_a_utf8_head_of_a_large_csv_is_read_as_cp1252(tmp_path):
    """The head (1 MiB) is UTF-8; the rows after it are cp1252: each line is decided alone."""
    from etl.readers.detect import HEAD_BYTES
    head_rows = "".join(f'Truce {i} \u2014 holds,"{DASHED}"\n' for i in range(HEAD_BYTES // 100 + 10)).encode()
    tail_rows = "".join(f"Caf\u00e9 {i},\u201cTruce\u201d day {i} in Gen\u00e8ve\n" for i in range(10)).encode("cp1252")
    path = tmp_path / "rows.csv"
    path.write_bytes(b"title,body\n" + head_rows + tail_rows)
    loaded = articles(read_input(str(path)))
    assert [a.title for a in loaded[-10:]] == [f"Caf\u00e9 {i}" for i in range(10)]
    assert loaded[-1].body == "\u201cTruce\u201d day 9 in Gen\u00e8ve"
