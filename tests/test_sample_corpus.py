"""The bundled synthetic demo corpus (data/sample) and the benchmark corpus generator (bench/corpus.py).

The demo corpus is committed output of data/make_sample.py; these tests check that it is
reproducible, has the promised shape and trends, and contains nothing from ../shared.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from conftest import ROOT, shared_path

SAMPLE = ROOT / "data" / "sample"


def _load_make_sample():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "data" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_sample = _load_make_sample()


@pytest.fixture(scope="module")
def records():
    return make_sample.generate_records(make_sample.DEFAULT_SEED)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _text_files() -> dict[str, str]:
    return {k: v.decode("utf-8") for k, v in _files(SAMPLE).items()}


def _per_year(records, pattern: str) -> Counter:
    rx = re.compile(pattern, re.IGNORECASE)
    return Counter(r["published"].year for r in records
                   if r["published"] is not None and rx.search(r["title"] + "\n" + r["body"]))


def _per_month(records, storyline: str) -> Counter:
    return Counter((r["published"].year, r["published"].month) for r in records
                   if r["published"] is not None and r["storyline"] == storyline)


# --- reproducibility ---------------------------------------------------------------------------

def test_regenerating_the_sample_reproduces_the_committed_files_byte_for_byte(tmp_path):
    make_sample.write_sample(tmp_path, make_sample.DEFAULT_SEED)
    fresh, committed = _files(tmp_path), _files(SAMPLE)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"data/sample is stale, rerun python data/make_sample.py: {changed[:5]}"


def test_the_same_seed_gives_the_same_records_and_another_seed_does_not():
    a = make_sample.generate_records(7)
    assert a == make_sample.generate_records(7)
    assert [r["title"] for r in a] != [r["title"] for r in make_sample.generate_records(8)]


# --- shape --------------------------------------------------------------------------------------

def test_each_format_has_the_promised_number_of_items():
    archive = [p for p in (SAMPLE / "archive").glob("*.txt")]
    html_pages = list((SAMPLE / "html").glob("*.html"))
    feed_items = 0
    for feed in (SAMPLE / "feeds").iterdir():
        root = ET.parse(feed).getroot()
        feed_items += len(root.findall("./channel/item")) + len(root.findall("{http://www.w3.org/2005/Atom}entry"))
    with open(SAMPLE / "tables" / "media-export.csv", newline="", encoding="utf-8") as f:
        csv_rows = list(csv.DictReader(f))
    jsonl_rows = [json.loads(line) for line in (SAMPLE / "tables" / "articles.jsonl").read_text("utf-8").splitlines()]
    assert (len(archive), len(html_pages), feed_items, len(csv_rows), len(jsonl_rows)) == (150, 100, 100, 150, 100)
    assert len(list((SAMPLE / "feeds").iterdir())) == 4
    assert list(csv_rows[0]) == ["id", "publish_date", "title", "url", "language", "media_name", "media_url", "text"]
    assert set(jsonl_rows[0]) == {"title", "body", "published", "url", "source"}


def test_the_sample_stays_small():
    assert sum(len(b) for b in _files(SAMPLE).values()) < 3_000_000


def test_archive_pages_have_the_scraped_archive_shape():
    for path in sorted((SAMPLE / "archive").glob("*.txt")):
        lines = path.read_text("utf-8").split("\n")
        assert lines[0].startswith("Middle-east Arab News Opinion | "), path.name
        assert lines[1] == ""
        assert lines[2].endswith(" English Archive 2005 -2017")
        assert lines[3] == "Select Page"
        assert re.fullmatch(r"Media ID: \d+", lines[4])
        assert lines[5] == "Caption:"
        text = "\n".join(lines)
        assert re.search(r"^[A-Z][\w' -]+, [\w ]+\u2014\S", text, re.MULTILINE), f"no dateline in {path.name}"


def test_archive_dates_come_from_the_text_the_sidecar_or_nowhere(records):
    archive = [r for r in records if r["format"] == "archive"]
    channels = Counter(r["date_channel"] for r in archive)
    assert channels["text"] >= 50 and channels["sidecar"] >= 50 and channels["none"] >= 2
    sidecar_rows = list(csv.DictReader(open(SAMPLE / "archive" / "dates.csv", encoding="utf-8")))
    assert len(sidecar_rows) == channels["sidecar"]
    for row in sidecar_rows:
        page = (SAMPLE / "archive" / row["path"]).read_text("utf-8")
        assert "Posted on" not in page
        datetime.strptime(row["date"], "%Y-%m-%d")
    posted = [p for p in (SAMPLE / "archive").glob("*.txt") if "\nPosted on " in p.read_text("utf-8")]
    assert len(posted) == channels["text"]
    for p in posted:
        assert re.search(r"^Posted on [A-Z][a-z]+ \d{1,2} 20\d\d$", p.read_text("utf-8"), re.MULTILINE)


def test_undated_items_exist_in_every_format_and_carry_no_year(records):
    undated = [r for r in records if r["published"] is None]
    assert 5 <= len(undated) <= 12
    assert {r["format"] for r in undated} == {"archive", "html", "feed", "csv", "jsonl"}
    for r in undated:
        assert not re.search(r"\b20[01]\d\b", r["title"] + r["body"] + (r["url"] or "")), r["title"]


def test_html_pages_carry_metadata_and_chrome_and_some_are_arabic():
    pages = {p.name: p.read_text("utf-8") for p in (SAMPLE / "html").glob("*.html")}
    for name, page in pages.items():
        for marker in ("<title>", 'property="og:site_name"', 'rel="canonical"', "<article>", "<nav>", "<footer>",
                       'class="related"'):
            assert marker in page, (name, marker)
    dated = [p for p in pages.values() if 'property="article:published_time"' in p]
    assert 95 <= len(dated) < 100
    arabic = [p for p in pages.values() if '<html lang="ar"' in p]
    assert len(arabic) >= 2
    assert all(re.search("[\u0600-\u06ff]{4,}", p) for p in arabic)
    assert any("انشقاق" in p for p in arabic)


def test_feeds_and_generated_metadata_say_the_data_is_synthetic():
    for feed in (SAMPLE / "feeds").iterdir():
        assert make_sample.SYNTHETIC_NOTE in feed.read_text("utf-8"), feed.name
    assert "Synthetic demo data" in (SAMPLE / "README.md").read_text("utf-8")


def test_article_bodies_do_not_announce_they_are_synthetic(records):
    assert not any("synthetic" in r["body"].lower() for r in records)


def test_english_articles_are_short_news_items(records):
    counts = [len(r["body"].split()) for r in records if r["language"] == "en"]
    assert min(counts) >= 80 and max(counts) <= 250


def test_outlets_are_the_invented_ones_and_urls_use_the_example_domain(records):
    assert {r["outlet"] for r in records} <= set(make_sample.OUTLETS)
    assert len({r["outlet"] for r in records}) >= 5
    assert all(r["url"] is None or re.match(r"https?://[a-z]+\.example/", r["url"]) for r in records)


# --- duplicates and probes ----------------------------------------------------------------------

def test_exact_copies_repeat_title_and_body_under_another_format_or_url(records):
    by_id = {r["id"]: r for r in records}
    copies = [r for r in records if r["exact_copy_of"]]
    assert 3 <= len(copies) <= 4
    for c in copies:
        orig = by_id[c["exact_copy_of"]]
        assert (c["title"], c["body"]) == (orig["title"], orig["body"])
        assert (c["format"], c["url"]) != (orig["format"], orig["url"])
    assert len({(c["format"], by_id[c["exact_copy_of"]]["format"]) for c in copies}) >= 3


def test_near_duplicates_are_syndicated_by_another_outlet_with_small_edits(records):
    by_id = {r["id"]: r for r in records}
    near = [r for r in records if r["near_dup_of"]]
    assert len(near) >= 5
    for r in near:
        orig = by_id[r["near_dup_of"]]
        assert r["outlet"] != orig["outlet"]
        assert r["body"] != orig["body"]
        a, b = set(r["body"].split()), set(orig["body"].split())
        assert len(a & b) / len(a | b) > 0.6


def test_one_article_carries_script_and_markdown_as_literal_text(records):
    probes = [r for r in records if "<script>alert('x')</script>" in r["body"]]
    assert len(probes) == 1 and "**bold**" in probes[0]["body"]
    line = next(l for l in (SAMPLE / "tables" / "articles.jsonl").read_text("utf-8").splitlines() if "alert(" in l)
    assert "<script>alert('x')</script>" in json.loads(line)["body"]


# --- trends -------------------------------------------------------------------------------------

def test_defection_reports_come_in_a_wave_peaking_in_2012(records):
    years = _per_year(records, r"defect")
    assert max(years, key=years.get) == 2012
    assert years[2012] > 2 * max(v for y, v in years.items() if y != 2012)
    months = Counter(r["published"].month for r in records
                     if r["published"] is not None and r["published"].year == 2012 and r["storyline"] == "defection")
    assert 5 <= max(months, key=months.get) <= 9


def test_chemical_attack_coverage_spikes_in_august_2013_and_april_2017(records):
    top = [m for m, _ in _per_month(records, "chemical").most_common(2)]
    assert set(top) == {(2013, 8), (2017, 4)}
    assert any("Ghouta" in r["body"] for r in records
               if r["published"] and (r["published"].year, r["published"].month) == (2013, 8))
    april_2017 = [r for r in records if r["storyline"] == "chemical" and r["published"]
                  and (r["published"].year, r["published"].month) == (2017, 4)]
    assert all("Khan Sheikhoun" in r["title"] + r["body"] for r in april_2017)


def test_other_storylines_follow_the_calendar(records):
    assert _per_month(records, "ceasefire").most_common(1)[0][0] == (2016, 2)
    siege = [r["published"] for r in records if r["storyline"] == "aleppo_siege" and r["published"]]
    assert sum(d >= datetime(2016, 7, 1) for d in siege) > 0.7 * len(siege)
    raqqa = [r["published"] for r in records if r["storyline"] == "raqqa" and r["published"]]
    assert sum(d.year == 2017 for d in raqqa) > 0.7 * len(raqqa)
    protests = [r["published"] for r in records if r["storyline"] == "protests" and r["published"]]
    assert sum(d.year == 2011 for d in protests) > 0.6 * len(protests)
    strikes = [r["published"] for r in records if r["storyline"] == "airstrikes" and r["published"]]
    before = sum(d < datetime(2015, 10, 1) for d in strikes) / 39   # months Jul 2012 .. Sep 2015
    after = sum(d >= datetime(2015, 10, 1) for d in strikes) / 27   # months Oct 2015 .. Dec 2017
    assert after > 3 * before
    displaced = Counter(r["published"].year for r in records if r["storyline"] == "displacement" and r["published"])
    assert all(displaced[y] > 0 for y in range(2012, 2018))


def test_all_dates_fall_between_2011_and_2017(records):
    assert all(datetime(2011, 1, 1) <= r["published"] < datetime(2018, 1, 1)
               for r in records if r["published"] is not None)


# --- nothing from ../shared ---------------------------------------------------------------------

def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_sample_file_contains_text_from_the_seed_page(shared):
    seed = shared("seeds/000_0539852812ec3bbd.txt").read_text("utf-8")
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", seed) if len(s.strip()) >= 40]
    assert len(sentences) > 10
    files = _text_files()
    for name, text in files.items():
        for sentence in sentences:
            assert sentence not in text, f"{name} contains a sentence of the seed page"
    page_chrome = 5  # banner, title line, "Select Page", "Media ID": the shape the sample copies on purpose
    seed_shingles = _shingles("\n".join(seed.split("\n")[page_chrome:]))
    sample_shingles = set().union(*(_shingles(t) for t in files.values()))
    overlap = seed_shingles & sample_shingles
    assert not overlap, f"8-word runs shared with the seed page: {sorted(overlap)[:3]}"


# --- the benchmark corpus generator (bench/corpus.py) ------------------------------------------

if str(ROOT) not in sys.path:  # plain `pytest` from another folder: make the bench package importable
    sys.path.insert(0, str(ROOT))

from bench import corpus as bench_corpus  # noqa: E402

N_BENCH = 10_000


@pytest.fixture(scope="module")
def bench_articles():
    return list(bench_corpus.iter_articles(N_BENCH, seed=3))


def _doc_freq(articles) -> Counter:
    df: Counter = Counter()
    for a in articles:
        df.update(set(re.findall(r"[a-z0-9]+", (a["title"] + " " + a["body"]).lower())))
    return df


def test_bench_generator_is_deterministic_per_seed(bench_articles):
    again = list(bench_corpus.iter_articles(200, seed=3))
    assert again == bench_articles[:200]
    assert [a["body"] for a in bench_corpus.iter_articles(50, seed=4)] != [a["body"] for a in again[:50]]


def test_bench_articles_are_two_to_three_kilobytes_dated_2011_to_2018(bench_articles):
    sizes = [len(a["body"].encode()) for a in bench_articles]
    assert 1800 <= sum(sizes) / len(sizes) <= 3200
    dated = [a["published"] for a in bench_articles if a["published"]]
    assert len(dated) > 0.98 * N_BENCH
    assert {d[:4] for d in dated} == {str(y) for y in range(2011, 2019)}
    assert len({a["source"] for a in bench_articles}) == 20
    places = {p for p, _ in bench_corpus.PLACES}
    assert all(set(a["places"]) <= places for a in bench_articles)


def test_bench_known_terms_have_the_advertised_document_frequency(bench_articles):
    df = _doc_freq(bench_articles)
    for term in bench_corpus.KNOWN_TERMS["common"]:
        assert 0.45 <= df[term] / N_BENCH <= 0.55, term
    for term in bench_corpus.KNOWN_TERMS["mid"]:
        expected = bench_corpus.TERM_DF[term]
        assert 0.01 <= expected <= 0.10
        assert 0.6 * expected <= df[term] / N_BENCH <= 1.5 * expected, term
    rare = [df[t.lower()] for t in bench_corpus.KNOWN_TERMS["rare"]]
    assert max(rare) <= 10 and sum(rare) <= 3 * len(rare) * bench_corpus.TERM_DF[
        bench_corpus.KNOWN_TERMS["rare"][0]] * N_BENCH


def test_bench_vocabulary_is_large_with_a_long_tail_of_rare_names(bench_articles):
    df = _doc_freq(bench_articles)
    assert len(df) > 20_000
    seen_surnames = sum(1 for s in bench_corpus.SURNAMES if df[s.lower()])
    assert seen_surnames > 5_000
    assert sum(1 for v in df.values() if v == 1) > 5_000


def test_bench_has_about_two_percent_near_duplicates(bench_articles):
    near = [a for a in bench_articles if a["near_dup_of"]]
    assert 0.01 <= len(near) / N_BENCH <= 0.03
    by_id = {a["id"]: a for a in bench_articles}
    for a in near[:50]:
        orig = by_id[a["near_dup_of"]]
        assert a["source"] != orig["source"] and a["body"] != orig["body"]


def test_bench_topics_follow_the_calendar(bench_articles):
    defection = Counter(a["published"][:4] for a in bench_articles
                        if a["published"] and "defection" in a["topics"])
    assert max(defection, key=defection.get) == "2012"


def test_bench_writers_produce_readable_jsonl_json_text_and_html(tmp_path):
    n = 1_205
    size = bench_corpus.write_jsonl(tmp_path / "c.jsonl", n, seed=3)
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == n and size == (tmp_path / "c.jsonl").stat().st_size
    expected = list(bench_corpus.iter_articles(n, seed=3))
    assert [r["body"] for r in rows] == [a["body"] for a in expected]
    assert set(rows[0]) == {"title", "body", "published", "url", "source"}
    size = bench_corpus.write_json_document(tmp_path / "c.json", n, seed=3)
    document = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert document["articles"] == rows and size == (tmp_path / "c.json").stat().st_size

    bench_corpus.write_text_pages(tmp_path / "text", n, seed=3)
    shards = sorted(p.name for p in (tmp_path / "text").iterdir())
    assert shards == ["00000", "00001"]
    assert len(list((tmp_path / "text" / "00000").iterdir())) == bench_corpus.SHARD_SIZE
    page = (tmp_path / "text" / "00001" / "00001000.txt").read_text("utf-8")
    assert page.startswith("Middle-east Arab News Opinion | ")
    assert "\nSelect Page\nMedia ID: " in page and expected[1000]["body"] in page

    bench_corpus.write_html_pages(tmp_path / "html", 30, seed=3)
    html_page = (tmp_path / "html" / "00000" / "00000007.html").read_text("utf-8")
    assert 'property="og:site_name"' in html_page and "<article>" in html_page


def test_bench_cli_writes_the_requested_corpus(tmp_path, capsys):
    assert bench_corpus.main(["--articles", "300", "--format", "jsonl", "--out", str(tmp_path / "x.jsonl"),
                             "--seed", "3"]) == 0
    assert len((tmp_path / "x.jsonl").read_text("utf-8").splitlines()) == 300
    assert "wrote 300 articles" in capsys.readouterr().out


def test_bench_known_terms_occur_only_where_the_generator_places_them():
    designated = set(bench_corpus.KNOWN_TERMS["mid"]) | set(bench_corpus.KNOWN_TERMS["common"])
    other_text = (bench_corpus.OUTLETS + [p for p, _ in bench_corpus.PLACES] + bench_corpus.FUNCTION_WORDS
                  + bench_corpus.FIRST_NAMES + bench_corpus.RANKS + bench_corpus.DATELINE_CITIES
                  + [s for _, sents, title in bench_corpus.TOPICS.values() for s in sents + [title]])
    words = {w for text in other_text for w in re.findall(r"[a-z0-9]+", text.lower())}
    assert not designated & words


def test_bench_real_html_ingests_the_shared_pages_and_compares_with_bare_trafilatura(tmp_path, monkeypatch, capsys):
    """`html_real` on a small copy of the two gold sets' page folders: the real CLI ingests the
    pages, bare trafilatura reads the same files, and the ratio of the two rates is printed."""
    import shutil
    from bench.__main__ import REAL_HTML_DIRS, bench_real_html
    shared = tmp_path / "shared"
    for rel in REAL_HTML_DIRS:
        source = shared_path(rel)
        (shared / rel).mkdir(parents=True)
        for page in sorted(source.glob("*.html.gz"))[:3]:
            shutil.copy(page, shared / rel / page.name)
    monkeypatch.setenv("CONFLICT_TRENDS_SHARED", str(shared))
    work = tmp_path / "work"
    work.mkdir()
    figures = {name: value for name, value, _unit in bench_real_html(work)}
    assert figures["ingest_html_real_input_files_read_from_disk"] in (0, 6)   # 0 without fadvise
    assert figures["ingest_html_real_pages_per_s"] > 0 and figures["html_real_bare_trafilatura_pages_per_s"] > 0
    assert figures["html_real_ingest_vs_bare_trafilatura"] == pytest.approx(
        figures["ingest_html_real_pages_per_s"] / figures["html_real_bare_trafilatura_pages_per_s"])
    monkeypatch.setenv("CONFLICT_TRENDS_SHARED", str(tmp_path / "nowhere"))
    assert bench_real_html(work) == []
    assert "html_real: skipped, shared corpus not found" in capsys.readouterr().out
