"""Broken, hostile and unsupported inputs: each loads what it can or fails with a specific error."""
from __future__ import annotations

import gzip
import os
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.errors import EmptyInput, InputError, MalformedInput, TooLarge, UnknownFormat
from etl.model import ItemError, RawArticle
from etl.readers.detect import detect_format, read_input
from etl.text import decode, normalise_whitespace, paragraphs


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name, data, error, reason", [
    ("empty.csv", b"", EmptyInput, "file is empty (0 bytes)"),
    ("blank.txt", b"  \n\t\n  ", EmptyInput, "only whitespace"),
    ("empty.csv.gz", gzip.compress(b"", mtime=0), EmptyInput, "decompresses to 0 bytes"),
    ("junk.dat", bytes(range(256)) * 20, UnknownFormat, "binary data"),
    ("zeros.csv", b"title,body\n" + b"\x00" * 400, UnknownFormat, "binary data (NUL bytes) that is not Parquet"),
    ("junk.txt", bytes((i * 7 + 3) % 255 + 1 for i in range(4000)), UnknownFormat, "control characters"),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 100, UnknownFormat, "JPEG image"),
    ("bundle.zip", b"PK\x03\x04" + b"\x00" * 100, UnknownFormat, "ZIP archive"),
    ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", UnknownFormat, "PDF document"),
    ("data.json", b'[{"title": "A",, "body": "b"}]', MalformedInput, "invalid JSON: parse error"),
    ("data.json", b'{"status": "ok", "count": 2}', MalformedInput, "no title or body field among status, count"),
    ("data.json", b"[]", EmptyInput, "JSON document holds no articles"),
    ("books.xml", b"<?xml version='1.0'?><catalog><book/></catalog>", UnknownFormat,
     "XML document with root element <catalog>"),
    ("numbers.txt", b"1 2 3 4 5 6 7 8 9 10\n11 12 13 14 15\n" * 50, UnknownFormat, "too few letters"),
    ("not-gzip.csv.gz", b"title,body\nA,b\n", MalformedInput, "named .gz but not gzip data"),
    ("bad.gz", b"\x1f\x8b\x08\x00" + b"\xff" * 200, MalformedInput, "invalid gzip data"),
    ("truncated.rss", b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><it", MalformedInput,
     "no entries could be read"),
    ("cut.html", b"<html><head><tit", EmptyInput, "no article text found in the HTML page"),
    ("header-only.csv", b"title,body\n", EmptyInput, "header (2 columns) but no rows"),
    ("no-text-columns.csv", b"a,b,c\n1,2,3\n4,5,6\n", MalformedInput, "no title or body column"),
    ("list.jsonl", b"[1, 2]\n", MalformedInput, "a JSON array of int values, not article objects"),
])
def test_unusable_inputs_raise_a_named_error_with_a_specific_reason(tmp_path, name, data, error, reason):
    path = write(tmp_path, name, data)
    with pytest.raises(error) as caught:
        list(read_input(path))
    assert reason in caught.value.reason
    assert caught.value.path == path


def test_a_truncated_gzip_says_at_which_byte_it_ends(tmp_path):
    data = gzip.compress(os.urandom(300_000))
    path = write(tmp_path, "cut.csv.gz", data[:150_000])
    with pytest.raises(MalformedInput, match="gzip stream truncated at byte 150000"):
        list(read_input(path))


def test_a_truncated_html_page_loads_the_text_before_the_cut(tmp_path):
    page = (b"<html><head><title>Rebels take Saraqeb</title></head><body><article>"
            b"<h1>Rebels take Saraqeb after three days of fighting</h1>"
            b"<p>Rebel fighters seized the town of Saraqeb on Sunday after three days of fighting, "
            b"a monitoring group said, with dozens killed on both sides.</p><p>The fight")
    [article] = list(read_input(write(tmp_path, "cut.html", page)))
    assert article.title == "Rebels take Saraqeb after three days of fighting"
    assert article.body.startswith("Rebel fighters seized the town of Saraqeb")


def test_a_malformed_feed_still_loads_the_entries_it_could_parse(tmp_path):
    feed = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
            b"<item><title>One</title><description>First &amp; best</description></item>"
            b"<item><title>Two</title><description>Second</description></item>"
            b"<item><title>Three & <broken></title></item></channel>")
    items = list(read_input(write(tmp_path, "wire.rss", feed)))
    titles = [i.title for i in items if isinstance(i, RawArticle)]
    assert titles[:2] == ["One", "Two"]
    assert all(i.source == "Wire" for i in items if isinstance(i, RawArticle))
    for warning in (i for i in items if isinstance(i, ItemError)):
        assert warning.kind == "feed_warning" and "could not be read" in warning.reason


def test_a_feed_entry_without_title_or_text_is_an_item_error(tmp_path):
    feed = (b"<rss version='2.0'><channel><title>W</title><item><guid>a1</guid></item>"
            b"<item><title>Kept</title></item></channel></rss>")
    items = list(read_input(write(tmp_path, "w.rss", feed)))
    assert [type(i).__name__ for i in items] == ["ItemError", "RawArticle"]
    assert items[0].kind == "empty_item" and items[0].item == "item a1"


@pytest.mark.parametrize("csv_text, good_titles, bad_reason", [
    ("title,body\nA,one\nB,\"unterminated\nC,three\nD,four\n", ["A", "C", "D"],
     "line 3: unterminated quoted field"),
    ("title,body\nA,one\nB,x,y,z\nC,three\n", ["A", "C"], "line 3: expected 2 fields, found 4"),
    ("title,body\nA,\"multi\nline\"\nB,\"open\nC,\"x \"\"q\"\" y\"\nD,four\n", ["A", "C", "D"],
     "line 4: unterminated quoted field"),
    ("title,body\nA,one\n,\nC,three\n", ["A", "C"], "line 3: neither a title nor a body"),
])
def test_a_broken_csv_row_is_reported_and_the_other_rows_load(tmp_path, csv_text, good_titles, bad_reason):
    items = list(read_input(write(tmp_path, "t.csv", csv_text.encode())))
    assert [i.title for i in items if isinstance(i, RawArticle)] == good_titles
    [error] = [i for i in items if isinstance(i, ItemError)]
    assert error.reason == bad_reason and error.item.startswith("row ")


def test_bad_jsonl_lines_are_reported_with_line_number_and_json_error(tmp_path):
    data = b'{"title": "A", "body": "x"}\n{"title": "B",\n\n[1]\n{"title": "C"}\n'
    items = list(read_input(write(tmp_path, "t.jsonl", data)))
    assert [i.title for i in items if isinstance(i, RawArticle)] == ["A", "C"]
    errors = [i for i in items if isinstance(i, ItemError)]
    assert [e.item for e in errors] == ["line 2", "line 4"]
    assert errors[0].reason.startswith("line 2: invalid JSON: Expecting property name")
    assert errors[1].reason == "line 4: expected a JSON object, found list"


def test_a_corrupt_parquet_file_is_malformed(tmp_path):
    path = write(tmp_path, "t.parquet", b"PAR1" + b"\x01" * 100 + b"PAR1")
    with pytest.raises(MalformedInput, match="not a readable Parquet file"):
        list(read_input(path))


def test_a_50_mb_single_line_file_is_refused_quickly_without_reading_it_whole(tmp_path):
    path = tmp_path / "one-line.txt"
    with open(path, "wb") as f:
        chunk = b"word " * 200_000
        for _ in range(50):
            f.write(chunk)
    tracemalloc.start()
    with pytest.raises((UnknownFormat, TooLarge)) as caught:
        list(read_input(str(path)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "no line break in the first" in caught.value.reason
    assert peak < 20_000_000


def test_a_document_over_the_size_limit_is_too_large(tmp_path):
    page = b"<html><body>" + b"<p>Syrian army shells Homs.</p>\n" * 2000 + b"</body></html>"
    with pytest.raises(TooLarge, match="larger than the 10,000-byte limit"):
        list(read_input(write(tmp_path, "big.html", page), max_bytes=10_000))


def test_an_unknown_format_name_is_refused(tmp_path):
    with pytest.raises(UnknownFormat, match="unknown format name 'xlsx'"):
        list(read_input(write(tmp_path, "t.csv", b"title\nA\n"), fmt="xlsx"))


def test_an_unreadable_path_raises_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        list(read_input(str(tmp_path)))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_no_byte_sequence_crashes_decoding_or_detection(data):
    text = decode(data)
    assert isinstance(text, str)
    paragraphs(text)
    normalise_whitespace(text)
    try:
        detect_format("input", data)
    except InputError as exc:
        assert exc.reason


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["x.csv", "x.jsonl", "x.txt", "x.rss", "x.html", "x"]))
def test_arbitrary_bytes_either_load_or_raise_a_named_error(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    try:
        for item in read_input(str(path)):
            assert isinstance(item, (RawArticle, ItemError))
    except InputError as exc:
        assert exc.reason


@pytest.mark.parametrize("share, binary", [(0.04, False), (0.06, True)])
@pytest.mark.parametrize("letters", ["plain words here ", "caf\u00e9 \u2014 \u0633\u0648\u0631\u064a\u0627 word "])
def test_control_characters_over_five_percent_of_the_opening_make_a_file_binary(share, binary, letters):
    """Counted as characters of the decoded text, whatever bytes the letters take."""
    body = (letters * 300)[:3000]
    n = round(len(body) * share / (1 - share))
    text = "".join(c + ("\x07" if i < n else "") for i, c in enumerate(body))[:4096]
    data = text.encode("utf-8")
    if binary:
        with pytest.raises(UnknownFormat, match="control characters in the first 4 KB"):
            detect_format("page.txt", data)
    else:
        assert detect_format("page.txt", data) == "archive_text"


def test_a_large_json_document_is_read_object_by_object(tmp_path):
    """A 12 MB array of articles is streamed: reading it never holds the document."""
    import json
    path = tmp_path / "big.json"
    row = {"title": "Shelling in Homs", "body": "Activists said the shelling went on all night. " * 40,
           "date": "2013-03-16", "source": {"name": "Wire"}}
    with open(path, "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(dict(row, url=f"https://w/{i}")) for i in range(6100)) + "\n]\n")
    assert path.stat().st_size > 12_000_000
    tracemalloc.start()
    n = sum(1 for item in read_input(str(path)) if isinstance(item, RawArticle))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 6100
    assert peak < 6_000_000     # detection's 1 MiB head and its decoded text; the file is 12 MB


# ---- detection looks deeper; rejection at the smallest unit -----------------------------

RSS_091 = (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
           b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n'
           b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
           b'<rss version="0.91"><channel><title>Wire</title><link>http://w.example</link>'
           b'<description>News</description><language>en-us</language>'
           b'<item><title>Shelling in Idlib</title><link>http://w.example/1</link>'
           b'<description>Shelling hit Idlib on Monday, activists said.</description></item>'
           b'</channel></rss>\n')


@pytest.mark.parametrize("name", ["wire.xml", "wire.rss", "wire"])
def test_an_rss_091_feed_with_the_netscape_doctype_is_read_as_a_feed(tmp_path, name):
    path = write(tmp_path, name, RSS_091)
    assert detect_format(path, RSS_091) == "feed"
    [article] = list(read_input(path))
    assert article.title == "Shelling in Idlib" and article.input_format == "feed"


@pytest.mark.parametrize("held", [True, False], ids=["bytes-held", "streamed-from-disk"])
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_json_lines_file_whose_first_line_is_over_the_detection_head_is_json_lines(tmp_path, held, gz):
    import json
    from etl.readers.detect import HEAD_BYTES
    first = json.dumps({"title": "Long", "body": "Shelling went on. " * (HEAD_BYTES // 15)})
    assert len(first) > HEAD_BYTES
    data = (first + "\n" + json.dumps({"title": "Short", "body": "Talks resumed."}) + "\n").encode()
    path = write(tmp_path, "rows.jsonl.gz" if gz else "rows.jsonl", gzip.compress(data) if gz else data)
    items = list(read_input(path, data=data if held and not gz else None))
    assert [i.title for i in items if isinstance(i, RawArticle)] == ["Long", "Short"]
    assert items[0].input_format == "jsonl"


def test_a_one_line_json_document_longer_than_the_head_stays_a_json_document(tmp_path):
    import json
    from etl.readers.detect import HEAD_BYTES
    data = json.dumps({"articles": [{"title": f"T{i}", "body": "Talks resumed. " * 100}
                                    for i in range(HEAD_BYTES // 1400)]}).encode() + b"\n"
    assert len(data) > HEAD_BYTES
    items = list(read_input(write(tmp_path, "page.json", data)))
    assert len(items) == HEAD_BYTES // 1400 and items[0].input_format == "json"


def test_a_stray_nul_byte_in_the_opening_of_a_csv_does_not_make_it_binary(tmp_path):
    data = b"title,body\nTruce\x00 holds,Fighting stopped in Homs.\nTalks,Envoys met in Geneva.\n"
    assert detect_format("t.csv", data) == "csv"
    items = list(read_input(write(tmp_path, "t.csv", data)))
    assert [i.title for i in items] == ["Truce holds", "Talks"]


def test_a_number_past_float_range_in_a_json_document_costs_nothing_but_its_precision(tmp_path):
    data = b'[{"title": "A", "body": "Shelling in Homs.", "score": 1e400}, {"title": "B", "body": "Talks."}]'
    items = list(read_input(write(tmp_path, "t.json", data)))
    assert [i.title for i in items] == ["A", "B"]
    assert items[0].extra == {"score": "1E+400"}
    import json
    json.dumps(items[0].extra, allow_nan=False)        # storable as JSON


@pytest.mark.parametrize("depth, refused", [(64, False), (65, True), (5000, True)])
def test_a_json_lines_line_nested_too_deeply_is_refused_alone(tmp_path, depth, refused):
    deep = b'{"title": "Deep", "body": "x", "n": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"
    data = deep + b'\n{"title": "B", "body": "Talks [with [brackets]] resumed."}\n'
    assert detect_format("t.jsonl", data) == "jsonl"       # no RecursionError while detecting
    items = list(read_input(write(tmp_path, "t.jsonl", data)))
    assert isinstance(items[-1], RawArticle) and items[-1].title == "B"
    if refused:
        assert items[0] == ItemError(items[0].input_path, "line 1", "malformed_row",
                                     "line 1: JSON nested more than 64 levels deep")
    else:
        assert items[0].title == "Deep"


def test_an_item_of_a_json_document_nested_too_deeply_is_refused_alone(tmp_path):
    data = (b'[{"title": "A", "body": "x", "n": ' + b"[" * 3000 + b"]" * 3000 + b'},'
            b' {"title": "B", "body": "Talks resumed."}]')
    items = list(read_input(write(tmp_path, "t.json", data)))
    assert items[0].item == "item 1" and items[0].reason == "item 1: JSON nested more than 64 levels deep"
    assert items[1].title == "B"


def _parquet(tmp_path, name, table) -> str:
    import pyarrow.parquet as pq
    path = tmp_path / name
    pq.write_table(table, path)
    return str(path)


def test_a_parquet_timestamp_past_year_9999_costs_that_value_and_names_its_column(tmp_path):
    import pyarrow as pa
    stamps = pa.array([1_363_392_000_000, 10**17, 1_363_478_400_000], pa.timestamp("ms"))
    path = _parquet(tmp_path, "t.parquet", pa.table({"title": ["A", "B", "C"], "body": ["x", "y", "z"],
                                                     "published": stamps}))
    items = list(read_input(path))
    errors = [i for i in items if isinstance(i, ItemError)]
    articles = [i for i in items if isinstance(i, RawArticle)]
    assert [a.title for a in articles] == ["A", "B", "C"]
    assert [a.published_raw for a in articles] == ["2013-03-16T00:00:00", None, "2013-03-17T00:00:00"]
    [error] = errors
    assert error.item == "row 2" and "column 'published'" in error.reason and "out of range" in error.reason


def test_parquet_columns_of_the_wrong_type_are_named_and_never_raise_a_traceback(tmp_path):
    import pyarrow as pa
    path = _parquet(tmp_path, "t.parquet", pa.table({"title": ["A", "B"], "body": ["x", "y"],
                                                     "date": [{"d": 1}, {"d": 2}], "source": [[1], [2]]}))
    items = list(read_input(path))
    errors = {i.item: i.reason for i in items if isinstance(i, ItemError)}
    assert errors == {
        "column date": "column 'date' holds struct<d: int64> values, not a date; kept as extra data, not as the published_raw",
        "column source": "column 'source' holds list<element: int64> values, not text; kept as extra data, not as the source"}
    articles = [i for i in items if isinstance(i, RawArticle)]
    assert [(a.title, a.source, a.extra) for a in articles] == [("A", None, {"date": {"d": 1}, "source": [1]}),
                                                              ("B", None, {"date": {"d": 2}, "source": [2]})]
    path = _parquet(tmp_path, "u.parquet", pa.table({"title": [1, 2], "body": [[1.5], [2.5]]}))
    with pytest.raises(MalformedInput, match=r"column 'title' holds int64 values, not text; "
                                             r"column 'body' holds list<element: double> values, not text"):
        list(read_input(path))


def test_a_run_of_articles_too_short_to_fingerprint_loads(tmp_path):
    from conftest import run_etl
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "tiny.csv").write_text("title,body\nA,x y z\nB,y\n")
    proc = run_etl("ingest", str(folder), "--workers", "0", "--no-progress", db=tmp_path / "t.duckdb")
    assert "read 2 articles" in proc.stdout


# ---- decompression limits ----------------------------------------------------------------

def _gzip_bomb(path, opening: bytes, unit: bytes, size: int) -> int:
    """Write a gzip file that inflates to about `size` bytes (`opening`, then `unit` repeated),
    compressing as it goes; returns the compressed size."""
    import zlib
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = unit * ((1 << 20) // len(unit))
    with open(path, "wb") as f:
        f.write(packer.compress(opening))
        for _ in range(size // len(block)):
            f.write(packer.compress(block))
        f.write(packer.flush())
    return path.stat().st_size


@pytest.mark.parametrize("name, opening, unit", [
    ("page.html.gz", b"<html><head><title>T</title></head><body><p>", b"Shelling in Homs. "),
    ("rows.csv.gz", b"title,body\n", b"Shelling,in Homs\n"),
    ("page.txt.gz", b"Shelling in Homs\n\n", b"Shelling in Homs went on. "),
])
def test_a_gzip_bomb_is_too_large_after_decompression_and_never_held(tmp_path, monkeypatch, name, opening, unit):
    from etl import limits
    monkeypatch.setattr(limits, "GZIP_RATIO_FLOOR", 1 << 20)     # fewer table rows read before it
    path = tmp_path / name
    compressed = _gzip_bomb(path, opening, unit, 64 << 20)
    assert compressed < 300_000
    tracemalloc.start()
    with pytest.raises(TooLarge) as caught:
        for _ in read_input(str(path)):
            pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert caught.value.reason.startswith("too large after decompression: ")
    assert "compressed bytes" in caught.value.reason
    assert peak < 20_000_000


def test_a_gzipped_page_over_the_input_limit_is_refused_at_the_limit(tmp_path, monkeypatch):
    from etl import limits
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 2 << 20)
    path = tmp_path / "page.txt.gz"
    page = b"Shelling in Homs\n\n" + b"".join(b"Report %d: shelling in Homs went on.\n" % i for i in range(80_000))
    path.write_bytes(gzip.compress(page))
    with pytest.raises(TooLarge, match=r"too large after decompression: more than 2,097,152 bytes"):
        list(read_input(str(path)))
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 4 << 20)
    assert len(list(read_input(str(path)))) == 1


def test_a_well_compressed_large_table_is_not_taken_for_a_bomb(tmp_path, monkeypatch):
    import json
    from etl import limits
    monkeypatch.setattr(limits, "GZIP_RATIO_FLOOR", 1 << 20)
    rows = b"".join(json.dumps({"title": f"Report {i}", "body": f"Shelling in Homs, day {i}.",
                                "url": f"https://example.org/{i}"}).encode() + b"\n" for i in range(40_000))
    path = tmp_path / "rows.jsonl.gz"
    path.write_bytes(gzip.compress(rows))
    assert len(rows) > 3 * limits.GZIP_RATIO_FLOOR and len(rows) / path.stat().st_size < 100
    assert sum(1 for _ in read_input(str(path))) == 40_000


def test_a_lone_surrogate_escape_in_json_loses_no_article(tmp_path):
    """JSON may escape a lone surrogate ("\\ud800"), which no UTF-8 text can hold: it becomes
    U+FFFD, as decoding does with an invalid byte, wherever the JSON came from (a JSON Lines
    table, a JSON Feed, a page's JSON-LD), instead of the extractors refusing the article
    ('enrichment_failed') or Arrow the whole input ('unreadable_input')."""
    import duckdb

    from conftest import run_etl

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        '{"title": "Shelling in Idlib \\udfff", "body": "Regime forces shelled Idlib \\ud800 killing 3.",'
        ' "source": "Wire \\ud801", "published": "2016-01-02", "desk": "night \\udc00"}\n'
        '{"title": "Clashes in Hama", "body": "Clashes near Hama killed 2 fighters.", "published": "2016-01-03"}\n',
        encoding="ascii")
    (folder / "feed.json").write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Feed \\ud801", "items": [{"id": "7\\udc01",'
        ' "title": "Raid on Daraa \\udfff", "content_text": "A raid on Daraa \\ud800 killed 4 civilians.",'
        ' "date_published": "2016-01-04T10:00:00Z", "tags": ["war \\ud802"],'
        ' "authors": [{"name": "Ann \\udc00 Lee"}]}]}', encoding="ascii")
    (folder / "page.html").write_text(
        '<html><head><title>Air strikes</title><script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Air strikes on Aleppo kill 5", "datePublished": "2016-02-01",'
        ' "author": {"@type": "Person", "name": "Sam \\udbff Hill"}}</script></head><body><article>'
        '<h1>Air strikes on Aleppo kill 5</h1><p>Air strikes on Aleppo killed 5 civilians on Monday, the'
        ' monitor said. Rescue workers searched the rubble of two buildings in the eastern districts.</p>'
        '</article></body></html>', encoding="ascii")
    db = tmp_path / "s.duckdb"
    run_etl("ingest", str(folder), db=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = dict(con.execute("SELECT title, body FROM articles").fetchall())
        assert rows["Shelling in Idlib \ufffd"] == "Regime forces shelled Idlib \ufffd killing 3."
        assert rows["Raid on Daraa \ufffd"] == "A raid on Daraa \ufffd killed 4 civilians."
        assert "Clashes in Hama" in rows and "Air strikes on Aleppo kill 5" in rows
        assert con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 0
        people = {r[0]: r[1:] for r in con.execute("SELECT title, source, author, extra FROM articles").fetchall()}
        assert people["Shelling in Idlib \ufffd"][:2] == ("Wire \ufffd", None)
        assert "night \ufffd" in people["Shelling in Idlib \ufffd"][2]
        assert people["Raid on Daraa \ufffd"][:2] == ("Feed \ufffd", "Ann \ufffd Lee")
        assert "war \ufffd" in people["Raid on Daraa \ufffd"][2]
        assert people["Air strikes on Aleppo kill 5"][1] == "Sam \ufffd Hill"
        assert {"shelling", "casualties"} <= {r[0] for r in con.execute(
            "SELECT topic_id FROM article_topics t JOIN articles a USING (article_id) WHERE a.title LIKE 'Shelling%'"
        ).fetchall()}
    finally:
        con.close()
