"""End-to-end ingest: real inputs, the real CLI, real DuckDB files.

Over 500 lines because it is the one place the whole run is tested from the command line
(scheduling, workers, dedup, the writer, the swap); its tests share the module's inputs."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from conftest import ROOT, run_etl, shared_path


def q(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def one(db: Path, sql: str, params=()):
    return q(db, sql, params)[0][0]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def story(i: int, extra: str = "") -> dict:
    return {"title": f"Officer {i} defects in Daraa", "url": f"https://example.org/{i}",
            "published": f"2012-0{1 + i % 9}-1{i % 9}", "source": "Levant Ledger",
            "body": f"Daraa, Levant Ledger - Colonel Number{i} defected from the army with {i} soldiers "
                    f"near the border with Jordan on Saturday, activists said. {extra}"}


def test_the_seed_page_becomes_one_clean_article(tmp_path):
    seed = shared_path("seeds/000_0539852812ec3bbd.txt")
    db = tmp_path / "seed.duckdb"
    run_etl("ingest", str(seed), "--no-progress", db=db)
    (title, source, media_id, dateline, caption, body, place, country, primary) = q(
        db, "SELECT title, source, media_id, dateline, caption, body, dateline_place, dateline_country, "
            "primary_country FROM articles")[0]
    assert title == "High-Ranking Syrian Military Officer Defects"
    assert source == "Asharq Al-Awsat"
    assert media_id == "55296037"
    assert dateline.startswith("Amman")
    assert (place, country, primary) == ("Amman", "JO", "SY")
    assert caption.startswith("Syrians step on a picture of Bashar al-Assad")
    assert caption.count("Syrians step on a picture") == 1
    assert body.startswith("A high-ranking Syrian military officer")
    for chrome in ("Select Page", "Media ID", "Caption:", "Syrians step on a picture", "ASHARQ AL-AWSAT English"):
        assert chrome not in body
    topics = {r[0] for r in q(db, "SELECT topic_id FROM article_topics")}
    assert "defection" in topics
    people = {r[0] for r in q(db, "SELECT name FROM article_entities WHERE kind = 'person'")}
    assert {"Mohammed Khalouf", "Riad Hijab", "Bashar al-Assad", "Hafez al-Assad"} <= people


def test_fakes_csv_loads_every_article(tmp_path):
    fakes = shared_path("corpus/fakes/fakes-dev.csv")
    db = tmp_path / "fakes.duckdb"
    run_etl("ingest", str(fakes), "--no-progress", db=db)
    assert one(db, "SELECT count(*) FROM provenance") == 605
    assert one(db, "SELECT count(*) FROM ingest_errors") == 0
    # exact copies collapse into one article with two provenances; nothing else is lost
    assert one(db, "SELECT count(*) FROM articles") == one(db, "SELECT count(DISTINCT article_id) FROM provenance")
    assert one(db, "SELECT count(*) FROM articles WHERE published_at IS NOT NULL") >= 590


def test_reingesting_the_same_folder_adds_no_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [story(i) for i in range(20)])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    counts = [one(db, f"SELECT count(*) FROM {t}") for t in ("articles", "provenance", "article_topics")]
    out = run_etl("ingest", str(src), "--no-progress", db=db).stdout
    assert "0 new" in out and "1 unchanged inputs skipped" in out
    assert [one(db, f"SELECT count(*) FROM {t}") for t in ("articles", "provenance", "article_topics")] == counts
    # touching the file without changing it reads it again but still adds nothing
    os.utime(src / "a.jsonl", None)
    out = run_etl("ingest", str(src), "--no-progress", db=db).stdout
    assert "0 new" in out and "20 unchanged" in out
    assert one(db, "SELECT count(*) FROM articles") == 20
    assert_keys_unique(db)


def assert_keys_unique(db: Path) -> None:
    """articles.article_id and provenance (input_path, item) are unique (the ETL keeps them so;
    the schema declares no index for them)."""
    assert one(db, "SELECT count(*) - count(DISTINCT article_id) FROM articles") == 0
    assert one(db, "SELECT count(*) - count(DISTINCT (input_path, item)) FROM provenance") == 0
    assert one(db, "SELECT count(*) FROM provenance WHERE article_id NOT IN (SELECT article_id FROM articles)") == 0


def test_the_sample_keeps_ids_and_provenance_keys_unique(sample_db):
    assert_keys_unique(sample_db)


def test_a_changed_input_updates_its_article_and_keeps_its_id(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [story(i) for i in range(5)])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    before = dict(q(db, "SELECT url, article_id FROM articles"))
    rows = [story(i) for i in range(5)]
    rows[2]["body"] = "Aleppo - Warplanes carried out an air strike on a market, killing 12 people."
    rows[2]["title"] = "Air strike on Aleppo market"
    time.sleep(0.01)
    write_jsonl(src / "a.jsonl", rows)
    out = run_etl("ingest", str(src), "--no-progress", db=db).stdout
    assert "1 updated" in out and "0 new" in out
    after = dict(q(db, "SELECT url, article_id FROM articles"))
    assert after == before
    aid = before["https://example.org/2"]
    topics = {r[0] for r in q(db, "SELECT topic_id FROM article_topics WHERE article_id = ?", [aid])}
    assert "airstrike" in topics and "defection" not in topics
    assert one(db, "SELECT body FROM articles WHERE article_id = ?", [aid]).startswith("Aleppo")
    assert_keys_unique(db)


def test_a_new_folder_appends(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    write_jsonl(a / "x.jsonl", [story(i) for i in range(3)])
    write_jsonl(b / "y.jsonl", [story(i) for i in range(3, 7)])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(a), "--no-progress", db=db)
    run_etl("ingest", str(b), "--no-progress", db=db)
    assert one(db, "SELECT count(*) FROM articles") == 7
    assert one(db, "SELECT count(*) FROM ingest_runs") == 2


def test_the_same_story_reached_twice_is_one_article_with_two_provenances(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    s = story(1)
    write_jsonl(src / "a.jsonl", [s])
    twin = dict(s, url="https://mirror.example.net/1")
    twin["body"] = "  " + s["body"].upper() + "  "   # same normalised text
    write_jsonl(src / "b.jsonl", [twin])
    db = tmp_path / "db.duckdb"
    out = run_etl("ingest", str(src), "--no-progress", db=db).stdout
    assert "1 duplicates" in out
    assert one(db, "SELECT count(*) FROM articles") == 1
    assert sorted(r[0] for r in q(db, "SELECT url FROM provenance")) == [
        "https://example.org/1", "https://mirror.example.net/1"]


def test_syndicated_near_copies_share_a_duplicate_cluster(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    long_text = " ".join(f"Sentence {k} about the siege of the old city and the families trapped there."
                         for k in range(40))
    a = {"title": "Siege tightens", "body": long_text, "url": "https://a.example/1", "source": "Euphrates Wire",
         "published": "2016-11-20"}
    b = {"title": "Siege tightens on old city", "body": long_text.replace("Sentence 7 ", "Line 7 "),
         "url": "https://b.example/9", "source": "Harbour Gazette", "published": "2016-11-21"}
    other = story(3)
    write_jsonl(src / "a.jsonl", [a, other])
    write_jsonl(src / "b.jsonl", [b])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    rows = q(db, "SELECT url, dup_cluster, is_primary FROM articles ORDER BY url")
    clusters = {url: (c, p) for url, c, p in rows}
    assert clusters["https://a.example/1"][0] == clusters["https://b.example/9"][0]
    assert clusters["https://a.example/1"][1] != clusters["https://b.example/9"][1]
    assert clusters["https://example.org/3"][0] != clusters["https://a.example/1"][0]
    assert one(db, "SELECT count(*) FROM article_overview") == 2


PARAGRAPHS = [
    "Government forces shelled the eastern districts of Aleppo overnight, residents said.",
    "A field hospital in Sakhour was hit twice and its generator destroyed, according to doctors there.",
    "The opposition said the bombardment broke a truce agreed in Geneva less than a week earlier.",
    "Monitors counted at least 23 dead, among them seven children, and dozens of wounded.",
    "Aid convoys waiting at the Castello road were turned back for the third day running.",
    "A spokesman for the Syrian army said it had targeted positions of armed groups only.",
    "Thousands of families fled towards the countryside west of the city carrying what they could.",
    "Diplomats in New York called an emergency session of the Security Council for Monday.",
]


def syndicated_pair(day_gap: int = 0) -> tuple[dict, dict]:
    """A story and a second outlet's copy: new dateline, one paragraph dropped, a credit line."""
    orig = {"title": "Shelling Hits Aleppo Despite Truce", "url": "https://a.example/story",
            "source": "Euphrates Wire", "published": "2016-05-03",
            "body": "Aleppo, Euphrates Wire - " + "\n\n".join(PARAGRAPHS)}
    kept = PARAGRAPHS[:4] + PARAGRAPHS[5:]
    copy = {"title": "Syria: Shelling Hits Aleppo Despite Truce", "url": "https://b.example/copy",
            "source": "Harbour Gazette", "published": f"2016-05-{3 + day_gap:02d}",
            "body": "BEIRUT (Harbour Gazette) - " + "\n\n".join(kept) + "\n\nAdditional reporting by Nour Haddad."}
    return orig, copy


def clusters_by_url(db: Path) -> dict[str, tuple[str, bool]]:
    return {url: (c, p) for url, c, p in q(db, "SELECT url, dup_cluster, is_primary FROM articles")}


def test_a_copy_that_dropped_a_paragraph_joins_the_story_in_one_run_and_across_runs(tmp_path):
    orig, copy = syndicated_pair(day_gap=1)
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [orig, story(3)])
    write_jsonl(src / "b.jsonl", [copy])
    db = tmp_path / "one.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    c = clusters_by_url(db)
    assert c[orig["url"]][0] == c[copy["url"]][0] and c[orig["url"]][1] != c[copy["url"]][1]
    assert c["https://example.org/3"][0] != c[orig["url"]][0]
    # the same two stories in two runs: the copy is compared with the stored story
    db2 = tmp_path / "two.duckdb"
    run_etl("ingest", str(src / "a.jsonl"), "--no-progress", db=db2)
    run_etl("ingest", str(src / "b.jsonl"), "--no-progress", db=db2)
    c2 = clusters_by_url(db2)
    assert c2[copy["url"]] == (c2[orig["url"]][0], False) and c2[orig["url"]][1]
    assert_keys_unique(db2)


def test_the_same_text_weeks_apart_or_a_different_story_stays_apart(tmp_path):
    orig, copy = syndicated_pair(day_gap=20)          # a reused template, not a syndicated copy
    other = dict(orig, url="https://c.example/other", published="2016-05-04", title="Other story",
                 body="Aleppo, Euphrates Wire - " + "\n\n".join(PARAGRAPHS[:3] + [
                     "Rebels said they had retaken two villages south of the city after heavy fighting.",
                     "The United Nations envoy urged both sides to return to the talks in Geneva.",
                     "Residents described queues for bread stretching for several streets.",
                     "Prices of fuel have tripled since the main road was cut, traders said."]))
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [orig, copy, other])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    assert len({cluster for cluster, _ in clusters_by_url(db).values()}) == 3


def test_the_sample_s_syndicated_copies_and_only_they_share_clusters(sample_db):
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "data" / "make_sample.py")
    make_sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_sample)
    records = make_sample.generate_records(make_sample.DEFAULT_SEED)
    by_id = {r["id"]: r for r in records}
    def key(title, source, body):     # titles repeat across the demo's stories; the text does not
        return title, source, "".join(ch for ch in body.lower() if ch.isalnum())[-120:]

    cluster = {key(t, s, b): c for t, s, b, c in q(sample_db, "SELECT title, source, body, dup_cluster FROM articles")}
    pairs = [(by_id[r["near_dup_of"]], r) for r in records if r["near_dup_of"]]
    assert len(pairs) == 10
    for orig, copy in pairs:
        assert cluster[key(orig["title"], orig["outlet"], orig["body"])] == \
            cluster[key(copy["title"], copy["outlet"], copy["body"])], copy["id"]
    shared = q(sample_db, "SELECT count(*) FROM (SELECT dup_cluster FROM articles GROUP BY 1 HAVING count(*) > 1)")
    assert shared == [(10,)]


def bad_inputs(folder: Path) -> list[str]:
    """Write one of each kind of bad input; return their names."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "truncated.html").write_text("<html><head><title>Cut", encoding="utf-8")
    (folder / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>x</ti", encoding="utf-8")
    (folder / "rows.jsonl").write_text(json.dumps(story(50)) + "\n{not json\n" + json.dumps(story(51)) + "\n",
                                       encoding="utf-8")
    (folder / "bad-date.jsonl").write_text(json.dumps(dict(story(52), published="2017-02-30")) + "\n",
                                           encoding="utf-8")
    (folder / "corrupt.jsonl.gz").write_bytes(gzip.compress(b'{"title": "x", "body": "y"}\n')[:-12])
    return ["empty.txt", "junk.bin", "truncated.html", "broken.rss", "rows.jsonl", "bad-date.jsonl",
            "corrupt.jsonl.gz"]


def test_a_bad_input_folder_mixed_with_good_files_loads_all_the_good_ones(tmp_path):
    src = tmp_path / "mixed"
    src.mkdir()
    write_jsonl(src / "good.jsonl", [story(i) for i in range(10)])
    bad_inputs(src)
    db = tmp_path / "db.duckdb"
    proc = run_etl("ingest", str(src), "--no-progress", db=db, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    urls = {r[0] for r in q(db, "SELECT url FROM articles")}
    assert {f"https://example.org/{i}" for i in list(range(10)) + [50, 51, 52]} <= urls
    errors = q(db, "SELECT input_path, item, error_kind, reason FROM ingest_errors")
    by_file = {}
    for path, item, kind, reason in errors:
        by_file.setdefault(Path(path).name, []).append((item, kind, reason))
        assert len(reason) > 10
    for name in ("empty.txt", "junk.bin", "rows.jsonl", "bad-date.jsonl", "corrupt.jsonl.gz"):
        assert name in by_file, (name, errors)
    assert any("line 2" in item or "row 2" in item for item, _, _ in by_file["rows.jsonl"])
    assert one(db, "SELECT status FROM ingest_runs") == "partial"
    assert "skipped" in proc.stderr and "junk.bin" in proc.stderr


def test_an_interrupted_ingest_leaves_the_previous_database_readable(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [story(i) for i in range(5)])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    big = tmp_path / "big"
    big.mkdir()
    # enough stories that the run is still going when it is killed 1.5 s after its copy
    # appears (checked below), not more: the whole folder is loaded again afterwards
    write_jsonl(big / "many.jsonl", [story(i, "More text. " * 50) for i in range(1000, 6000)])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(big), "--db", str(db), "--no-progress"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    writing = Path(str(db) + ".writing")
    deadline = time.time() + 60
    while not writing.exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert one(db, "SELECT count(*) FROM articles") == 5
    run_etl("ingest", str(big), "--no-progress", db=db)
    assert one(db, "SELECT count(*) FROM articles") == 5005


def test_an_ingest_succeeds_while_a_reader_holds_the_database_open(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [story(i) for i in range(5)])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    reader_code = r"""
import duckdb, os, sys, time
path = sys.argv[1]
con = duckdb.connect(path, read_only=True)
key = os.stat(path).st_ino
print("open", con.execute("SELECT count(*) FROM articles").fetchone()[0], flush=True)
answered = 0
deadline = time.time() + 60
while time.time() < deadline:
    con.execute("SELECT count(*) FROM articles").fetchone()
    answered += 1
    if os.stat(path).st_ino != key:
        con.close()
        con = duckdb.connect(path, read_only=True)
        print("reopened", con.execute("SELECT count(*) FROM articles").fetchone()[0], answered, flush=True)
        break
    time.sleep(0.01)
"""
    reader = subprocess.Popen([sys.executable, "-c", reader_code, str(db)], stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().split() == ["open", "5"]
    write_jsonl(src / "b.jsonl", [story(i) for i in range(100, 110)])
    run_etl("ingest", str(src), "--no-progress", db=db)
    out, _ = reader.communicate(timeout=90)
    word, count, answered = out.split()
    assert word == "reopened" and count == "15" and int(answered) > 0


def test_two_ingests_at_once_refuse_the_second_with_a_clear_message(tmp_path):
    db = tmp_path / "db.duckdb"
    run_etl("init", db=db)
    import fcntl
    fd = os.open(str(db) + ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        proc = run_etl("init", db=db, check=False)
    finally:
        os.close(fd)
    assert proc.returncode != 0
    assert "another ingest is writing" in proc.stderr


def test_stats_prints_what_the_database_holds(sample_db):
    out = run_etl("stats", db=sample_db).stdout
    assert f"articles: {one(sample_db, 'SELECT count(*) FROM articles')}" in out
    assert "by topic:" in out


def test_the_sample_corpus_loads_in_all_four_formats(sample_db):
    formats = {r[0] for r in q(sample_db, "SELECT DISTINCT input_format FROM provenance")}
    assert {"archive_text", "html", "feed"} <= formats
    assert formats & {"csv", "jsonl"}
    assert one(sample_db, "SELECT count(*) FROM articles") >= 300
    assert one(sample_db, "SELECT count(*) FROM ingest_errors") == 0
    # the folder's README describes the corpus; it is not an article
    assert one(sample_db, "SELECT count(*) FROM articles WHERE title ILIKE '%synthetic demo%'") == 0


def test_a_feed_url_is_fetched_and_loaded(tmp_path):
    import http.server
    import threading
    feed = tmp_path / "feed.xml"
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Ledger</title>
<item><title>Colonel defects in Daraa</title><link>https://example.org/f1</link>
<pubDate>Sat, 16 Jun 2012 10:00:00 GMT</pubDate>
<description>A colonel defected from the Syrian army in Daraa on Saturday, activists said.</description></item>
</channel></rss>""", encoding="utf-8")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        db = tmp_path / "db.duckdb"
        run_etl("ingest", f"http://127.0.0.1:{server.server_port}/feed.xml", "--no-progress", db=db)
    finally:
        server.shutdown()
    assert q(db, "SELECT title, source, published_at::DATE::VARCHAR FROM articles") == [
        ("Colonel defects in Daraa", "Levant Ledger", "2012-06-16")]


def test_retag_recomputes_topics_from_stored_text_after_a_taxonomy_edit(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rows = [story(i) for i in range(4)]
    rows[0]["body"] += " Talks on a prisoner swap resumed in the capital."
    write_jsonl(src / "a.jsonl", rows)
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    assert one(db, "SELECT count(*) FROM topics WHERE topic_id = 'prisoner_swap'") == 0
    taxonomy = tmp_path / "taxonomy.toml"
    taxonomy.write_text((ROOT / "etl" / "taxonomy.toml").read_text(encoding="utf-8") + '''
[[topic]]
id = "prisoner_swap"
label = "Prisoner swap"
definition = "Exchanges of prisoners or detainees between parties."
color = "#123456"
terms = ["prisoner swap", "prisoner exchange"]
''', encoding="utf-8")
    (src / "a.jsonl").unlink()   # retag must not need the inputs
    out = run_etl("retag", "--taxonomy", str(taxonomy), "--no-progress", db=db).stdout
    assert "retagged 4 articles" in out
    assert one(db, "SELECT label FROM topics WHERE topic_id = 'prisoner_swap'") == "Prisoner swap"
    tagged = q(db, "SELECT a.url, t.evidence[1].text FROM article_topics t JOIN articles a USING (article_id) "
                   "WHERE topic_id = 'prisoner_swap'")
    assert tagged == [("https://example.org/0", "prisoner swap")]
    assert one(db, "SELECT count(*) FROM article_topics WHERE topic_id = 'defection'") == 4


def test_retag_keeps_a_nations_own_forces_at_home_out_of_foreign_intervention(tmp_path):
    # retag reads the stored places, so it tags as the ingest did: Israeli forces in Nablus are
    # no foreign intervention, Turkish warplanes near Afrin are
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [
        {"title": "Raid in Nablus", "url": "https://example.org/home", "published": "2022-05-12",
         "body": "Israeli forces raided a house in Nablus and arrested two men, witnesses said."},
        {"title": "Strike near Afrin", "url": "https://example.org/abroad", "published": "2018-01-20",
         "body": "Turkish warplanes struck a village near Afrin, killing 4 civilians, a monitor said."}])
    db = tmp_path / "db.duckdb"
    run_etl("ingest", str(src), "--no-progress", db=db)
    sql = ("SELECT a.url FROM article_topics t JOIN articles a USING (article_id) "
           "WHERE topic_id = 'foreign_intervention'")
    assert q(db, sql) == [("https://example.org/abroad",)]
    run_etl("retag", "--no-progress", "--workers", "0", db=db)
    assert q(db, sql) == [("https://example.org/abroad",)]


def test_inputs_are_hashed_whole_and_held_only_while_small(tmp_path, monkeypatch):
    """A file is read with the size it was listed with; one that grew since is still hashed
    and read whole, and one over the limit is hashed but not held in memory."""
    import hashlib
    from etl.ingest import tasks
    monkeypatch.setattr(tasks, "READ_WHOLE_BYTES", 100_000)
    for n, listed in ((0, 0), (3000, 3000), (3000, 10), (70_000, 5), (250_000, 250_000), (250_000, 50)):
        path = tmp_path / f"f{n}-{listed}"
        data = os.urandom(n)
        path.write_bytes(data)
        sha, held = tasks.hash_and_hold(str(path), listed)
        assert sha == hashlib.sha256(data).hexdigest()
        assert held == (data if n <= 100_000 else None)


def test_a_first_ingest_records_an_input_met_again_in_a_later_batch_once(tmp_path):
    """A first ingest inserts its inputs without the upsert; an input recorded again (a URL
    named twice) still leaves one row, with the later values."""
    from etl import store
    snap = store.Snapshot.open(tmp_path / "t.duckdb")
    try:
        assert snap.known_inputs(["/in/a.txt"]) == {}
        snap.record_inputs([("/in/a.txt", 10, 1, "aa", "archive_text", 1, 1)])
        snap.record_inputs([("/in/b.txt", 20, 2, "bb", "archive_text", 1, 1),
                            ("/in/a.txt", 11, 3, "ab", "archive_text", 2, 1)])
        rows = snap.con.execute("SELECT input_path, size_bytes, sha256, n_articles FROM input_files "
                                "ORDER BY input_path").fetchall()
    finally:
        snap.abort()
    assert rows == [("/in/a.txt", 11, "ab", 2), ("/in/b.txt", 20, "bb", 1)]


def test_prefetching_a_task_never_fails_and_leaves_a_vanished_file_to_its_worker(tmp_path):
    """The parent asks the kernel to read a task's files ahead; a file that vanished since it
    was listed (or a folder in its place) is skipped there, and the worker reports it."""
    from etl import paths
    from etl.ingest import schedule, tasks
    good = tmp_path / "a.txt"
    good.write_text("Story\n\nDAMASCUS - Shelling hit Homs on Monday, residents said.\n")
    gone, folder = tmp_path / "gone.txt", tmp_path / "sub.txt"
    folder.mkdir()
    files = [(str(p), 60, 0) for p in (gone, folder, good)]
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    import threading
    waiting = threading.Thread(target=schedule.prefetch, args=([(str(fifo), 0, 0)],), daemon=True)
    waiting.start()
    waiting.join(10)
    assert not waiting.is_alive(), "prefetching a named pipe nobody writes to blocked"
    schedule.prefetch(files)
    tasks.init_worker(None, paths.TAXONOMY)
    result = tasks.task_files(files, None, None)
    assert [f.failed for f in result.files] == [True, True, False]
    assert [e.input_path for e in result.errors] == [str(gone), str(folder)]
    assert all(e.kind == "unreadable_input" for e in result.errors)
    assert len(result.packed) == 1


def test_a_changed_input_updates_its_article_however_few_paths_are_remembered(tmp_path, monkeypatch):
    """The writer keeps at most PATHS_REMEMBERED answers about inputs seen before; with room
    for one, a re-run still finds every changed file's article and updates it in place."""
    from etl.ingest import ingest
    from etl.ingest import writer
    monkeypatch.setattr(writer, "PATHS_REMEMBERED", 1)
    monkeypatch.setattr(writer, "BATCH_ARTICLES", 2)     # several batches a run
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text(f"Story {i}\n\nDAMASCUS - Report number {i} on shelling in Homs.\n")
    db = tmp_path / "t.duckdb"
    first = ingest([str(folder)], db, progress=False, workers=0)
    assert (first.n_new, first.n_updated) == (6, 0)
    for i in (1, 4):
        (folder / f"{i}.txt").write_text(f"Story {i}\n\nDAMASCUS - Report number {i}, revised, on shelling.\n")
    again = ingest([str(folder)], db, progress=False, workers=0)
    assert (again.n_new, again.n_updated, again.n_duplicates) == (0, 2, 0)
    assert one(db, "SELECT count(*) FROM articles") == 6
    assert one(db, "SELECT count(*) FROM articles WHERE body LIKE '%revised%'") == 2


def test_only_a_database_with_stored_articles_is_asked_which_inputs_it_has_seen(tmp_path, monkeypatch):
    """A first ingest has nothing to look up (asking would scan the growing provenance table
    once a batch); the next run does look, and finds the changed file's article."""
    from etl import store
    from etl.ingest import ingest
    asked = []
    real = store.Snapshot.paths_with_provenance
    monkeypatch.setattr(store.Snapshot, "paths_with_provenance",
                        lambda self, paths: asked.append(list(paths)) or real(self, paths))
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"Story {i}\n\nBEIRUT - Report {i} on a ceasefire in Aleppo.\n")
    db = tmp_path / "t.duckdb"
    assert ingest([str(folder)], db, progress=False, workers=0).n_new == 3
    assert asked == []
    (folder / "1.txt").write_text("Story 1\n\nBEIRUT - Report 1, corrected, on a ceasefire in Aleppo.\n")
    again = ingest([str(folder)], db, progress=False, workers=0)
    assert (again.n_new, again.n_updated) == (0, 1) and asked == [[str(folder / "1.txt")]]


def test_the_last_files_of_a_run_go_out_in_small_tasks(tmp_path, monkeypatch):
    """Tasks grow from FIRST_FILES_PER_TASK to FILES_PER_TASK; the files of the last two walk
    chunks go out in tasks of FIRST_FILES_PER_TASK again (leftovers split evenly), so no
    worker runs a last big task alone. Every file is still read exactly once."""
    from etl.ingest import ingest
    from etl.ingest import schedule, tasks as worker_tasks
    monkeypatch.setattr(schedule, "WALK_CHUNK", 8)
    monkeypatch.setattr(schedule, "FIRST_FILES_PER_TASK", 2)
    monkeypatch.setattr(schedule, "FILES_PER_TASK", 8)
    tasks, real = [], worker_tasks.task_files
    monkeypatch.setattr(worker_tasks, "task_files",
                        lambda paths, fmt, cmap: tasks.append([p for p, _s, _m in paths]) or real(paths, fmt, cmap))
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(53):
        (folder / f"{i:02d}.txt").write_text(f"Story {i}\n\nHOMS - Report {i} on shelling near the citadel.\n")
    summary = ingest([str(folder)], tmp_path / "t.duckdb", progress=False, workers=0)
    assert summary.n_new == 53
    sizes = [len(t) for t in tasks]
    assert sorted(p for t in tasks for p in t) == sorted(str(p) for p in folder.iterdir())
    # 53 paths, 6 chunks of 8 and 5 more: 38 of the first 40 in growing tasks, the 2 left over
    # and the last 13 in tasks of 2
    assert sizes == [2, 4, 8, 8, 8, 8] + [2] * 7 + [1]


def test_a_json_export_ingests_once_updates_in_place_and_splits_when_large(tmp_path, monkeypatch):
    """A NewsAPI-style JSON document through the real pipeline: 5 articles, nothing new on a
    re-run, one edited article updated in place. Forced over BIG_TABLE_BYTES, the same
    document is split into row tasks and loads the same way."""
    from etl.ingest import ingest
    from etl.ingest import schedule

    def export(edited: bool = False) -> str:
        rows = [{"source": {"name": "Wire"}, "title": f"Report {i}", "publishedAt": f"2014-05-{i + 1:02d}",
                 "content": f"Report {i}: shelling in Homs{' and Hama' if edited and i == 3 else ''}.",
                 "url": f"https://wire.example/{i}"} for i in range(5)]
        return json.dumps({"status": "ok", "articles": rows}, indent=2)

    for big in (False, True):
        if big:
            monkeypatch.setattr(schedule, "BIG_TABLE_BYTES", 100)
            monkeypatch.setattr(schedule, "ROWS_PER_TASK", 2)
        folder = tmp_path / f"in-{big}"
        folder.mkdir()
        (folder / "export.json").write_text(export())
        db = tmp_path / f"t-{big}.duckdb"
        first = ingest([str(folder)], db, progress=False, workers=0)
        assert (first.n_new, first.n_failed) == (5, 0)
        assert q(db, "SELECT DISTINCT input_format, source FROM articles") == [("json", "Wire")]
        assert ingest([str(folder)], db, progress=False, workers=0).n_new == 0
        (folder / "export.json").write_text(export(edited=True))
        again = ingest([str(folder)], db, progress=False, workers=0)
        assert (again.n_new, again.n_updated) == (0, 1)
        assert one(db, "SELECT count(*) FROM articles") == 5
        assert one(db, "SELECT count(*) FROM articles WHERE body LIKE '%Hama%'") == 1
