"""The team set-up for real: `python -m deploy.proxy serve` runs Streamlit behind Debian's nginx
on 127.0.0.1 with a certificate made at test time and a password file; Chromium checks the login,
the dashboard through the proxy (WebSockets included), a shared link, that nothing of the
database folder is served, and that an ingest while serving still reaches the page."""
from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from base64 import b64encode
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest

from deploy import proxy
from tests.conftest import ROOT, run_etl

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
USER, PASSWORD = "editor", "correct horse battery staple"

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
if not Path(proxy.NGINX).exists():
    pytest.skip("nginx not found (apt-get install -y nginx-light; `make test` installs it)",
                allow_module_level=True)
if not shutil.which("openssl"):
    pytest.skip("openssl not found", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A database of part of the sample (the rest is ingested while serving), served behind nginx."""
    work = tmp_path_factory.mktemp("serve")
    db = work / "db" / "conflict.duckdb"
    db.parent.mkdir()
    run_etl("ingest", str(ROOT / "data" / "sample" / "archive"), "--no-progress", db=db)
    cert, key = proxy.self_signed(work / "tls", "127.0.0.1")
    users = work / "users.htpasswd"
    proxy.add_user(users, USER, PASSWORD)
    port, upstream = free_port(), free_port()
    log = open(work / "serve.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.proxy", "serve", "--listen", f"127.0.0.1:{port}",
         "--upstream", f"127.0.0.1:{upstream}", "--server-name", "127.0.0.1", "--cert", str(cert),
         "--key", str(key), "--users", str(users), "--run-dir", str(work / "run"), "--db", str(db)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    base = f"https://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=str(cert))
    auth = {"Authorization": "Basic " + b64encode(f"{USER}:{PASSWORD}".encode()).decode()}
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request = urllib.request.Request(f"{base}/_stcore/health", headers=auth)
                with urllib.request.urlopen(request, timeout=2, context=context) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(f"the proxy did not start:\n{(work / 'serve.log').read_text()}")
            time.sleep(0.3)
        yield {"base": base, "db": db, "context": context, "auth": auth, "upstream": upstream,
               "proc": proc}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def open_page(browser, *, credentials: bool):
    kwargs = {"ignore_https_errors": True, "viewport": {"width": 1400, "height": 1000}}
    if credentials:
        kwargs["http_credentials"] = {"username": USER, "password": PASSWORD}
    context = browser.new_context(**kwargs)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return context, page, requests


def settle(page):
    """Wait until Streamlit has drawn the page's headline numbers and finished its run."""
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)
    page.wait_for_timeout(800)


def off_machine(requests: list[str]) -> list[str]:
    return [u for u in requests
            if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).hostname != "127.0.0.1"]


def metric_value(page, label: str) -> int:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return int(re.sub(r"\D", "", metric.locator('[data-testid="stMetricValue"]').inner_text()))


def count_articles(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def test_without_credentials_the_proxy_refuses_every_path(site, browser):
    for path in ("/", "/?page=articles", "/_stcore/health", "/_stcore/stream", "/static/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(site["base"] + path, timeout=5, context=site["context"])
        assert refused.value.code == 401, path
    wrong = {"Authorization": "Basic " + b64encode(f"{USER}:wrong".encode()).decode()}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(site["base"] + "/", headers=wrong),
                               timeout=5, context=site["context"])
    assert refused.value.code == 401
    context, page, _ = open_page(browser, credentials=False)
    try:
        try:
            response = page.goto(site["base"] + "/")
            assert response.status == 401
        except sync_api.Error as exc:      # headless Chromium gives up on an unanswered login
            assert "ERR_INVALID_AUTH_CREDENTIALS" in str(exc)
        assert page.locator('[data-testid="stSidebar"]').count() == 0
    finally:
        context.close()


def test_with_credentials_a_shared_link_opens_the_same_view_through_the_proxy(site, browser):
    con = duckdb.connect(str(site["db"]), read_only=True)
    topic, label = con.execute("""SELECT t.topic_id, tp.label FROM article_topics t JOIN topics tp USING (topic_id)
                                  GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()
    con.close()
    context, page, requests = open_page(browser, credentials=True)
    try:
        page.goto(f"{site['base']}/?topic={topic}&grain=week&metric=share&from=2012-01-01&to=2013-12-31")
        settle(page)                      # the page only renders once the WebSocket works
        body = page.inner_text("body")
        assert label in body and "2012" in body
        assert page.locator('[data-testid="stException"]').count() == 0
        sidebar = page.inner_text('[data-testid="stSidebar"]')
        # The copy-link box gives the address colleagues open (the proxy's), never the upstream.
        assert site["base"] in sidebar and f"topic={topic}" in sidebar
        assert f":{site['upstream']}" not in sidebar
        shared = re.search(r"https://127\.0\.0\.1:\d+/\?\S+", sidebar).group(0)
    finally:
        context.close()
    context, page, requests2 = open_page(browser, credentials=True)
    try:
        page.goto(shared)
        settle(page)
        assert label in page.inner_text("body")
        assert re.search(r"[?&]metric=share", page.url) and re.search(r"[?&]grain=week", page.url)
    finally:
        context.close()
    assert off_machine(requests + requests2) == []


def test_nothing_of_the_database_folder_is_served(site):
    db = site["db"]
    names = [db.name, f"{db.name}.lock", "users.htpasswd", "nginx.conf"]
    index = duckdb.connect(str(db), read_only=True).execute(
        "SELECT value FROM meta WHERE key = 'index_dir'").fetchone()
    if index:
        names.append(f"{index[0]}/meta.json")
    for name in names:
        for prefix in ("/", "/app/static/", "/static/", "/media/", "/../db/", "/%2e%2e/db/"):
            request = urllib.request.Request(site["base"] + prefix + name, headers=site["auth"])
            try:
                with urllib.request.urlopen(request, timeout=5, context=site["context"]) as r:
                    content = r.read(4096)
            except urllib.error.HTTPError:
                continue
            # Streamlit answers unknown paths with its app page; never with the file's bytes.
            assert b"DUCK" not in content and b"$6$" not in content and b"segment" not in content, prefix + name


def test_an_ingest_while_serving_reaches_the_page(site, browser):
    context, page, requests = open_page(browser, credentials=True)
    try:
        page.goto(f"{site['base']}/?page=data")
        settle(page)
        before = metric_value(page, "Articles")
        assert before == count_articles(site["db"])
        run_etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=site["db"])
        after_db = count_articles(site["db"])
        assert after_db > before
        deadline = time.monotonic() + 60
        while True:
            page.reload()
            settle(page)
            if metric_value(page, "Articles") == after_db or time.monotonic() > deadline:
                break
        assert metric_value(page, "Articles") == after_db
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
    assert off_machine(requests) == []


def test_the_configuration_refuses_values_that_would_change_its_meaning(tmp_path):
    site = proxy.Site(listen="0.0.0.0:8443; include /etc/passwd", upstream="127.0.0.1:8501",
                      server_name="_", cert=tmp_path / "c", key=tmp_path / "k",
                      users=tmp_path / "u", run_dir=tmp_path)
    with pytest.raises(proxy.ProxyError, match="listen"):
        site.render()


def test_a_login_is_stored_as_a_private_hash_and_replaced_not_duplicated(tmp_path):
    users = tmp_path / "users.htpasswd"
    proxy.add_user(users, "alice", "first")
    proxy.add_user(users, "bob", "second")
    proxy.add_user(users, "alice", "third")
    lines = users.read_text().splitlines()
    assert [line.split(":")[0] for line in lines] == ["bob", "alice"]
    assert all(line.split(":", 1)[1].startswith("$6$") for line in lines)
    assert "third" not in users.read_text()
    assert users.stat().st_mode & 0o077 == 0
    with pytest.raises(proxy.ProxyError):
        proxy.add_user(users, "eve:root", "x")
