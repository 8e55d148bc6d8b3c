"""One real browser (Debian's Chromium via Playwright) against `python -m dashboard` on the
sample database plus one article whose outlet and title are markdown/HTML payloads: a shared
link restores the view, the map draws from local shapes, an article is opened by a click,
article markup and payloads in any link parameter or stored field stay inert text, no request
leaves 127.0.0.1, and the server's origin check refuses foreign pages without a DNS lookup."""
from __future__ import annotations

import csv
import re
import socket
import sys
import time
from urllib.parse import quote, urlencode

import duckdb
import pytest

from tests.browser_app import ROOT, require_browser, serve
from tests.conftest import run_etl

sync_api = require_browser()

# 198.51.100.0/24 is reserved for documentation: nothing answers there, and any request to it
# is a payload at work (the Visit aborts it and records it)
OUTSIDE = "198.51.100.7"
STORED_SOURCE = f"![s](http://{OUTSIDE}/source.png) <img src=http://{OUTSIDE}/source-html.png>"
STORED_TITLE = (f"Defected officer ![t](http://{OUTSIDE}/title.png) <img src=x onerror=alert(1)> "
                f"**zqbold** [link](http://{OUTSIDE}/a)")


@pytest.fixture(scope="module")
def payload_db(tmp_path_factory):
    """The sample corpus plus a CSV export holding one article with payloads in its outlet name,
    title and text, loaded by the real ETL."""
    root = tmp_path_factory.mktemp("payload")
    extra = root / "inputs"
    extra.mkdir()
    body = ("DAMASCUS — A brigadier general defected to the opposition on Monday, officers said. "
            f"![b](http://{OUTSIDE}/body.png) <script>alert(1)</script> Shelling continued in Homs.")
    with open(extra / "media-export.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([
            ["id", "publish_date", "title", "url", "language", "media_name", "media_url", "text"],
            ["990000001", "2012-07-02 10:00:00", STORED_TITLE, "https://payload.example/a", "en",
             STORED_SOURCE, "https://payload.example/", body]])
    db = root / "conflict.duckdb"
    run_etl("ingest", str(ROOT / "data" / "sample"), str(extra), db=db)
    return db


@pytest.fixture(scope="module")
def server(payload_db, tmp_path_factory):
    with serve(payload_db, tmp_path_factory.mktemp("streamlit") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def facts(payload_db):
    con = duckdb.connect(str(payload_db), read_only=True)
    try:
        topic, label = con.execute("""
            SELECT t.topic_id, tp.label FROM article_topics t JOIN topics tp USING (topic_id)
            JOIN articles a USING (article_id) WHERE a.is_primary AND a.published_at IS NOT NULL
            GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()
        script = con.execute("""SELECT article_id, title FROM articles
                                WHERE body ILIKE '%<script%' OR title ILIKE '%<script%'
                                   OR caption ILIKE '%<script%' ORDER BY article_id LIMIT 1""").fetchone()
    finally:
        con.close()
    return {"topic": topic, "label": label, "script": script}


def test_a_shared_link_restores_the_view_and_nothing_leaves_the_machine(server, visit, facts):
    visit.open(f"{server}/?topic={facts['topic']}&grain=week&metric=share&from=2012-01-01&to=2013-12-31"
               "&q=defected+-%22opposition+activists%22")
    page = visit.page
    # attached, not visible: a flat weekly share line has no height, and Playwright calls an
    # element without a box hidden
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", state="attached", timeout=60_000)
    body = page.inner_text("body")
    assert f"Share of articles tagged {facts['label']}" in body
    assert "2012–2013" in body
    assert 'matching “defected -"opposition activists"”' in body
    sidebar = page.inner_text('[data-testid="stSidebar"]')
    assert facts["label"] in sidebar
    assert "topic=" in sidebar and "metric=share" in sidebar      # the copy-link box
    assert "q=defected" in sidebar
    keyword = page.locator('[data-testid="stSidebar"] input[aria-label="Keyword"]')
    assert keyword.input_value() == 'defected -"opposition activists"'
    assert re.search(r"[?&]metric=share", page.url) and re.search(r"[?&]grain=week", page.url)
    assert re.search(r"[?&]q=defected", page.url)
    visit.shot("trends")
    assert visit.external() == []


def test_a_keyword_link_lists_passages_with_only_marks_as_markup(server, visit):
    visit.open(f"{server}/?page=articles&q=defected")
    page = visit.page
    page.wait_for_selector('[class*="st-key-hit_0"] mark', timeout=60_000)
    marks = page.locator('[class*="st-key-hit_"] mark')
    assert marks.count() >= 5 and marks.first.inner_text().lower().startswith("defect")
    assert page.locator('[class*="st-key-hit_"] script, [class*="st-key-hit_"] a').count() == 0
    page.locator('[class*="st-key-hit_0"] button').click()
    page.wait_for_selector('[class*="st-key-article_detail"]', timeout=30_000)
    visit.idle()
    assert re.search(r"[?&]article=[^&]+", page.url) and re.search(r"[?&]q=defected", page.url)
    assert page.locator(".article-body mark[title*='keyword: defected']").count() >= 1
    visit.shot("keyword")
    assert visit.external() == []


def test_the_map_draws_from_local_shapes_with_no_network(server, visit):
    visit.open(f"{server}/?page=map")
    page = visit.page
    page.wait_for_selector(".js-plotly-plot .choroplethlocation", state="attached", timeout=60_000)
    assert page.locator(".js-plotly-plot .choroplethlocation").count() > 10
    assert page.locator(".js-plotly-plot .scattergeo .point").count() >= 1
    visit.shot("map")
    assert visit.external() == []


def test_clicking_an_article_row_opens_it_and_writes_it_to_the_link(server, visit):
    visit.open(f"{server}/?page=articles&sort=oldest")
    page = visit.page
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)      # the first row's selection box
    page.wait_for_selector('[class*="st-key-article_detail"]', timeout=30_000)
    visit.idle()
    assert re.search(r"[?&]article=[^&]+", page.url)
    assert "Provenance" in page.inner_text("body") or "Duplicates and provenance" in page.inner_text("body")
    visit.shot("articles")
    assert visit.external() == []


def test_an_article_containing_a_script_tag_stays_inert(server, visit, facts):
    if facts["script"] is None:
        pytest.skip("the sample corpus has no article containing <script>")
    article_id, _ = facts["script"]
    visit.open(f"{server}/?page=articles&article={article_id}")
    page = visit.page
    page.wait_for_selector(".article-body", timeout=60_000)
    visit.page.wait_for_timeout(1500)
    text = page.inner_text(".article-body")
    assert "<script" in text.lower()                         # shown literally, as text
    assert page.locator(".article-body script").count() == 0
    assert visit.dialogs == []
    visit.shot("article-script")
    assert visit.external() == []


def test_every_page_opens_without_an_error_box(server, visit):
    for name in ("trends", "map", "articles", "data"):
        visit.open(f"{server}/?page={name}")
        assert page_has_no_exception(visit.page), name
    visit.shot("data")
    assert visit.external() == []


def page_has_no_exception(page) -> bool:
    return page.locator('[data-testid="stException"]').count() == 0


# -- payloads: nothing a link or a stored field holds becomes markup ---------------------------

PARAMS = ["from", "to", "topic", "country", "region", "role", "source", "person", "q", "grain", "metric",
          "smooth", "article", "sort", "copies", "p", "tab", "rank"]
PAYLOADS = {"markdown": "![{name}](http://" + OUTSIDE + "/{name}.png) **zqbold** [zqlink](http://" + OUTSIDE + "/{name})",
            "html": "<img src=http://" + OUTSIDE + "/{name}-h.png><b>zqbold</b><a href=http://" + OUTSIDE + "/{name}>x</a>"}

MADE_BY_PAYLOAD = """(outside) => {
  const hits = [...document.querySelectorAll('[src], [href], [srcset], [style], [data], [poster]')].filter(
      e => ['src', 'href', 'srcset', 'style', 'data', 'poster'].some(a => (e.getAttribute(a) || '').includes(outside)));
  // markup the payload would make wraps only its own word ("**zqbold**", "[zqlink](...)")
  const bold = [...document.querySelectorAll('strong, b, em, a')].filter(
      e => ['zqbold', 'zqlink', 'link', 'x'].includes(e.textContent.trim()));
  return hits.concat(bold).map(e => e.outerHTML.slice(0, 200));
}"""


def assert_inert(visit) -> None:
    page = visit.page
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate(MADE_BY_PAYLOAD, OUTSIDE) == []
    assert visit.dialogs == []
    assert visit.external() == []


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
@pytest.mark.parametrize("page", ["articles", None])
def test_payloads_in_every_link_parameter_stay_text(server, visit, kind, page):
    params = {name: PAYLOADS[kind].format(name=name) for name in PARAMS}
    params["page"] = page or PAYLOADS[kind].format(name="page")
    visit.open(f"{server}/?{urlencode(params, quote_via=quote)}")
    warnings = " ".join(w.inner_text() for w in visit.page.locator('[data-testid="stAlertContentWarning"]').all())
    assert "zqbold" in warnings                          # the values are shown, as typed
    assert_inert(visit)


def test_a_stored_outlet_and_title_with_payloads_stay_text_on_every_page(server, visit, payload_db):
    con = duckdb.connect(str(payload_db), read_only=True)
    try:
        article_id, source = con.execute("SELECT article_id, source FROM articles WHERE title = ?",
                                         [STORED_TITLE]).fetchone()
    finally:
        con.close()
    link = urlencode({"source": source, "from": "2012-07-02", "to": "2012-07-02"}, quote_via=quote)
    for page in ("trends", "map", "data"):
        visit.open(f"{server}/?{link}&page={page}")
        assert_inert(visit)
    visit.open(f"{server}/?{link}&page=articles&q=defected")
    assert "zqbold" in visit.page.inner_text('[data-testid="stMain"]')
    assert_inert(visit)
    visit.open(f"{server}/?{link}&page=articles&article={article_id}")
    assert "**zqbold**" in visit.page.inner_text(".st-key-article_detail")
    assert_inert(visit)
    sidebar = visit.page.locator('[data-testid="stSidebar"]')
    sidebar.locator(".st-key-f_sources input[role=combobox]").click()     # the options list
    visit.page.wait_for_timeout(500)
    assert_inert(visit)


# -- the server's origin check: foreign pages refused, no lookup of anything --------------------

AUDIT = r"""
import runpy, sys
log = open(sys.argv.pop(1), "a", buffering=1)
def hook(event, args):
    if event == "socket.getaddrinfo":
        log.write(f"{args[0]}\n")
sys.addaudithook(hook)
sys.argv = ["dashboard"] + sys.argv[1:]
runpy.run_module("dashboard", run_name="__main__")
"""


def handshake(base: str, host: str, origin: str) -> str:
    """The status line Streamlit answers a WebSocket handshake for its stream with."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        return s.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_foreign_pages_are_refused_and_the_origin_check_looks_nothing_up(sample_db, tmp_path):
    lookups = tmp_path / "lookups.txt"
    lookups.write_text("")
    command = [sys.executable, "-c", AUDIT, str(lookups)]
    with serve(sample_db, tmp_path / "server.log", command=command) as base:
        local = base.removeprefix("http://")
        assert " 101 " in handshake(base, local, base)                              # the app itself
        assert " 101 " not in handshake(base, local, "http://evil.example")         # a foreign page
        assert " 101 " not in handshake(base, f"evil.example:{local.split(':')[1]}",
                                        f"http://evil.example:{local.split(':')[1]}")  # DNS rebinding
        time.sleep(2)                              # a lookup would be made while refusing
    hosts = {line.strip() for line in lookups.read_text().splitlines() if line.strip()}
    assert hosts <= {"127.0.0.1", "localhost", "::1"}, hosts
