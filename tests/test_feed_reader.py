"""The feed reader on what real and hostile feeds do: entities declared in the feed (bounded),
HTML entities, bare ampersands, bad bytes, missing titles, feeds inside XHTML; and files in
an input folder that are no article at all."""
from __future__ import annotations

import tracemalloc

import pytest

from conftest import run_etl, shared_path
from etl.errors import NotAnArticle
from etl.model import ItemError, RawArticle
from etl.readers import feed
from etl.readers.detect import detect_format, read_input


def rss(items: bytes, head: bytes = b'<?xml version="1.0" encoding="utf-8"?>\n') -> bytes:
    return head + b'<rss version="2.0"><channel><title>Example Wire</title>' + items + b"</channel></rss>"


def item(title: bytes, text: bytes = b"Government forces shelled the town.") -> bytes:
    return b"<item><title>" + title + b"</title><description>" + text + b"</description></item>"


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, ItemError)]


# ---- entity expansion -----------------------------------------------------------------------

def test_a_quadratic_entity_blow_up_stores_no_giant_article_and_is_recorded():
    """2,000 references to one 100 KB entity: a 112 KB file that expands to 200 MB."""
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "' + b"A" * 100_000 + b'">\n]>\n'
            + rss(item(b"Item one", b"&big;" * 2000) + item(b"Caf&#233; &amp; more", b"ok"), head=b""))
    assert len(data) < 120_000
    tracemalloc.start()
    try:
        articles, problems = split(feed.read("bomb.rss", data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [a.title for a in articles] == ["Item one", "Café & more"]
    assert max(len(a.body) for a in articles) < 1_000_000
    assert [p.kind for p in problems] == ["entity_expansion"]
    assert "&big;" in problems[0].reason and "200,000,000 bytes" in problems[0].reason
    assert peak < 50_000_000


def test_nested_entities_billion_laughs_are_refused_and_recorded():
    decls = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY ' + bytes([c]) + b' "' + (b"&" + bytes([c - 1]) + b";") * 10 + b'">' for c in range(ord("b"), ord("j")))
    data = b'<?xml version="1.0"?><!DOCTYPE rss [' + decls + b"]>" + rss(item(b"Laughs &i;", b"&i;"), head=b"")
    articles, problems = split(feed.read("laughs.rss", data))
    assert [a.title for a in articles] == ["Laughs"]
    assert [p.kind for p in problems] == ["entity_expansion"]


def test_small_entities_declared_by_the_feed_still_expand():
    data = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY site "Example News"><!ENTITY c "&#169;">]>'
            + rss(item(b"From &site; &c; 2013"), head=b""))
    articles, problems = split(feed.read("small.rss", data))
    assert [a.title for a in articles] == ["From Example News \u00a9 2013"] and problems == []


# ---- titles ---------------------------------------------------------------------------------

NETSCAPE = (b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n')


@pytest.mark.parametrize("data, title", [
    # RSS 0.91 declares the HTML entities through its DTD
    (rss(item(b"Caf&eacute; &ndash; Assad&rsquo;s &amp; &#8217;"), head=NETSCAPE), "Café – Assad’s & ’"),
    (rss(item(b"Caf&eacute; &nbsp;talks")), "Café talks"),
    (rss(item(b"AT&T cuts lines to Homs")), "AT&T cuts lines to Homs"),
    (rss(item(b"Assad&amp;#8217;s forces &amp;amp; rebels")), "Assad’s forces & rebels"),
    (rss(item(b"<![CDATA[  Aid   convoy <b>reaches</b> Madaya ]]>")), "Aid convoy reaches Madaya"),
    (rss(item(b"\n   Shelling\n   resumes in Homs\n")), "Shelling resumes in Homs"),
])
def test_titles_read_as_a_person_reads_them(tmp_path, data, title):
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    assert detect_format(str(path), data) == "feed"
    articles, _ = split(read_input(str(path)))
    assert [a.title for a in articles] == [title]


def test_cdata_sections_are_left_as_written():
    data = rss(b"<item><title>AT&T <![CDATA[x&y]]></title><link><![CDATA[https://example.org/?a=1&b=2]]></link>"
               b"<description>d</description></item>")
    [article], _ = split(feed.read("cdata.rss", data))
    assert (article.title, article.url) == ("AT&T x&y", "https://example.org/?a=1&b=2")


def test_one_invalid_byte_leaves_the_rest_of_a_utf8_feed_utf8_and_is_recorded():
    data = rss(item("Damas: l’armée avance".encode()) + item(b"Bad \xff byte") + item("Alep — trêve".encode()))
    articles, problems = split(feed.read("bad-byte.rss", data))
    assert [a.title for a in articles] == ["Damas: l’armée avance", "Bad \ufffd byte", "Alep — trêve"]
    assert [p.kind for p in problems] == ["feed_warning"] and "1 invalid UTF-8" in problems[0].reason


def test_an_item_without_title_gets_its_first_sentence_and_says_so():
    data = rss(b"<item><description>Government forces shelled Homs on Saturday. Activists said 12 died."
               b"</description></item>" + item(b"With a title"))
    articles, _ = split(feed.read("untitled.rss", data))
    assert [a.title for a in articles] == ["Government forces shelled Homs on Saturday.", "With a title"]
    assert articles[0].extra["title_derived_from"] == "text" and "title_derived_from" not in articles[1].extra


def test_an_atom_feed_wrapped_in_xhtml_is_read_as_its_entries(tmp_path):
    data = (b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
            b"<head><title>Feed preview</title></head><body><feed xmlns=\"http://www.w3.org/2005/Atom\">"
            b"<title>Example feed</title>"
            b"<entry><title>Shelling resumes in Homs</title><id>urn:1</id><updated>2013-03-16T09:00:00Z</updated>"
            b"<summary>Government forces shelled Homs.</summary></entry>"
            b"<entry><title>Aid reaches Madaya</title><id>urn:2</id><updated>2013-03-17T09:00:00Z</updated>"
            b"<summary>A convoy arrived.</summary></entry></feed></body></html>")
    path = tmp_path / "preview.html"
    path.write_bytes(data)
    assert detect_format(str(path), data) == "feed"
    articles, _ = split(read_input(str(path)))
    assert [a.title for a in articles] == ["Shelling resumes in Homs", "Aid reaches Madaya"]


def test_a_json_feed_is_read_item_by_item(tmp_path):
    import json
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "Levant Ledger", "language": "en",
                "home_page_url": "https://ledger.example.org/", "items": [
                    {"id": "1", "title": "Shelling resumes in Homs", "url": "https://ledger.example.org/1",
                     "content_html": "<p>Government forces shelled Homs &amp; its suburbs.</p>",
                     "date_published": "2013-03-16T09:00:00+02:00", "authors": [{"name": "Jane Doe"}]},
                    {"id": "2", "content_text": "A convoy reached Madaya on Monday. Aid workers said so.",
                     "date_published": "2013-03-17T09:00:00Z", "author": {"name": "John Roe"}},
                    {"id": "3"}]}
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(document, indent=1))
    assert detect_format(str(path), path.read_bytes()) == "feed"
    articles, problems = split(read_input(str(path)))
    assert [(a.title, a.body, a.author, a.published_raw, a.source) for a in articles] == [
        ("Shelling resumes in Homs", "Government forces shelled Homs & its suburbs.", "Jane Doe",
         "2013-03-16T09:00:00+02:00", "Levant Ledger"),
        ("A convoy reached Madaya on Monday.", "A convoy reached Madaya on Monday. Aid workers said so.", "John Roe",
         "2013-03-17T09:00:00Z", "Levant Ledger")]
    assert articles[1].extra["title_derived_from"] == "text"
    assert [(p.item, p.kind) for p in problems] == [("item 3", "empty_item")]


WARNING = (b"<br />\n<b>Warning</b>:  Cannot modify header information - headers already sent by (output "
           b"started at /srv/www/wp-content/plugins/seo/init.php:12) in <b>/srv/www/feed.php</b> on line <b>8</b><br />\n")


@pytest.mark.parametrize("data", [
    WARNING + rss(item(b"Shelling resumes in Homs") + item(b"Aid reaches Madaya &amp; Zabadani")),
    # no XML declaration after the warning, and an <rss> without a version
    WARNING + rss(item(b"Shelling resumes in Homs") + item(b"Aid reaches Madaya &amp; Zabadani"), head=b"")
    .replace(b'<rss version="2.0">', b"<rss>"),
])
def test_a_feed_after_a_server_warning_is_read_as_its_items(tmp_path, data):
    path = tmp_path / "feed.php"
    path.write_bytes(data)
    assert detect_format(str(path), data) == "feed"
    articles, problems = split(read_input(str(path)))
    assert [a.title for a in articles] == ["Shelling resumes in Homs", "Aid reaches Madaya & Zabadani"]
    assert [p.kind for p in problems] == ["feed_warning"] and "before the XML declaration" in problems[0].reason


def test_a_feed_opening_with_a_comment_or_its_doctype_loses_nothing_of_it():
    data = (b"<!-- generated by Example CMS -->\n<!DOCTYPE rss [\n<!ENTITY wire \"Example Wire\">\n]>\n"
            + rss(item(b"&wire;: Shelling resumes in Homs"), head=b""))
    articles, problems = split(feed.read("feed.rss", data))
    assert [a.title for a in articles] == ["Example Wire: Shelling resumes in Homs"] and problems == []


def test_a_web_page_that_mentions_feeds_is_still_a_page():
    page = (b"<!DOCTYPE html><html><head><title>Our feeds</title><link rel='alternate' "
            b"type='application/atom+xml' href='/atom.xml'></head><body><p>Subscribe to &lt;feed&gt;.</p></body></html>")
    assert detect_format("feeds.html", page) == "html"


# ---- files that are no article ----------------------------------------------------------------

CODE = b'''import os
from pathlib import Path


def main(argv):
    """Walk the folder."""
    for name in os.listdir(argv[1]):
        path = Path(argv[1]) / name
        if path.suffix == ".txt":
            print(path.read_text()[:80])
    return 0
'''
LINKS = b"https://www.example.org/2013/03/16/defection\nhttps://news.example.com/syria/homs\n" \
        b"http://example.net/a?b=c\nwww.example.org/madaya\n"


@pytest.mark.parametrize("name, data, what", [("walk.py", CODE, "program source code"),
                                              ("links.txt", LINKS, "a list of links"),
                                              # saved under a page's or a feed's name
                                              ("walk.html", CODE, "program source code"),
                                              ("links.html", LINKS, "a list of links"),
                                              ("links.rss", LINKS, "a list of links")])
def test_source_code_and_link_lists_are_not_articles(tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(NotAnArticle, match=what):
        list(read_input(str(path)))


SCRIPT = b"#!/bin/sh\nset -e\ncd /srv/archive\nfor f in *.txt; do\n  echo \"$f\"\ndone\n"
PHP = b"<?php\n$id = (int) $_GET['id'];\nif ($id) {\n  echo htmlspecialchars(load($id));\n}\n?>\n<html><body><p>Hi</p></body></html>\n"
LINK_PAGE = (b"<html><head><title>Links</title></head><body><ul>" + b"".join(
    b"<li><a href='https://news.example.org/%d'>https://news.example.org/2013/03/%d/story</a></li>\n" % (i, i)
    for i in range(30)) + b"</ul></body></html>")


@pytest.mark.parametrize("name, data, what", [("fetch.sh", SCRIPT, "a script"), ("story.php", PHP, "PHP"),
                                              ("links.html", LINK_PAGE, "a list of links")])
def test_scripts_php_source_and_pages_of_bare_links_are_not_articles(tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(NotAnArticle, match=what):
        list(read_input(str(path)))


ROBOTS = b"User-agent: *\nDisallow: /wp-admin/\nDisallow: /search\nAllow: /wp-admin/admin-ajax.php\n\n" \
         b"Sitemap: https://news.example.org/sitemap.xml\n"
LOG = (b"2024-01-02 10:00:01 INFO fetch started pid=1234\n2024-01-02 10:00:02 WARN retrying news.example.org "
       b"(attempt 2)\n2024-01-02 10:00:05 ERROR timeout after 30s\n2024-01-02 10:00:06 INFO shutting down\n")
CONFIG = b"[server]\nhost = 0.0.0.0\nport = 8080\n[archive]\npath = /srv/archive\nthreads: 4\nlevel: info\n"
MINIFIED = (b'!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():"function"=='
            b'typeof define&&define.amd?define(t):(e=e||self).Pager=t()}(this,function(){"use strict";var e={a:1,'
            b'b:[2,3]};return function(t){return e[t]||null}});\n')


@pytest.mark.parametrize("name, data, what", [("robots.txt", ROBOTS, "robots.txt"), ("fetch.log", LOG, "log"),
                                              ("archive.cfg", CONFIG, "configuration"),
                                              ("pager.min.js", MINIFIED, "minified")])
def test_crawler_rules_logs_settings_and_minified_code_are_not_articles(tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(NotAnArticle, match=what):
        list(read_input(str(path)))


def test_an_archive_page_with_a_header_of_fields_is_still_an_article(tmp_path):
    (tmp_path / "page.txt").write_bytes(b"Source: SANA\nDate: 2016-01-02\nURL: https://sana.example/1\n"
                                        b"Section: Local\n\nGovernment forces shelled the eastern districts of "
                                        b"Homs on Saturday, activists said.\n")
    [article] = list(read_input(str(tmp_path / "page.txt")))
    assert "shelled" in article.body


def test_a_page_of_prose_with_links_and_a_script_quoted_in_an_article_are_still_articles(tmp_path):
    page = (b"<html><head><title>Aid reaches Madaya</title></head><body><article>"
            + b"".join(b"<p>Paragraph %d: a convoy reached the besieged town on Monday, aid workers said, "
                       b"<a href='https://example.org/%d'>the agency reported</a>.</p>" % (i, i) for i in range(6))
            + b"</article></body></html>")
    (tmp_path / "madaya.html").write_bytes(page)
    (tmp_path / "howto.txt").write_bytes(b"How the archive is fetched\n\nThe script starts with #!/bin/sh, "
                                         b"then walks the folder, editors said.\n\nIt runs nightly.\n")
    for name in ("madaya.html", "howto.txt"):
        [article] = list(read_input(str(tmp_path / name)))
        assert article.body


def test_an_ingest_skips_code_and_link_files_and_records_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("Syrian general defects\n\nA senior officer crossed into Jordan on "
                                      "Saturday, activists said.\n\nHe is the third this month.\n")
    (folder / "walk.py").write_bytes(CODE)
    (folder / "links.txt").write_bytes(LINKS)
    db = tmp_path / "db.duckdb"
    proc = run_etl("ingest", str(folder), db=db, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    assert [r[0] for r in con.execute("SELECT title FROM articles").fetchall()] == ["Syrian general defects"]
    kinds = sorted(r[0] for r in con.execute("SELECT error_kind FROM ingest_errors").fetchall())
    assert kinds == ["not_an_article", "not_an_article"]


# ---- the feeds in the shared corpus ----------------------------------------------------------

def test_every_item_and_title_of_the_captured_feeds_and_their_damaged_copies_is_read():
    from etl.evaluation.feeds import evaluate_feeds
    figures = evaluate_feeds(shared_path("corpus/feeds/rss-parser/input"))
    for split in ("dev", "test"):
        assert figures[f"feeds_{split}_items_loaded"] == 1.0
        assert figures[f"feeds_{split}_titles_right"] == 1.0
        # measured: dev 1.0 / 1.0, test 1.0 / 0.9996 (before the server-warning fault was read:
        # 0.855 / 0.845 and 0.853 / 0.847)
        assert figures[f"feeds_damaged_{split}_items_loaded"] == 1.0
        assert figures[f"feeds_damaged_{split}_titles_right"] >= 0.99
