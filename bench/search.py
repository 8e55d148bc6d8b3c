"""Full-text index benchmark: build, size, query and update figures for `python -m bench`.

The corpus comes from bench/corpus.py (`iter_articles(n, seed)`) when it exists, else from a
small Zipf-vocabulary generator here. It is written once to JSON Lines; the build runs in a
child process that streams that file, so its peak RSS is the writer's plus a bare interpreter. Query figures are medians of 5 runs on a warm
index; "cold" is the first query on a freshly opened index (includes word-form expansion).
"""
from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANDIDATE_WORDS = ["ceasefire", "defection", "chemical", "refugees", "kidnapping", "army",
                   "said", "the", "government", "syria", "iraq", "damascus", "hostage", "protest",
                   "militia", "airstrike", "negotiations", "minister", "killed", "border"]
UPDATE_N = 1000


def run(n: int, workdir: Path) -> list[tuple[str, float, str]]:
    """Build an index of `n` synthetic articles under `workdir` and time what the dashboard does."""
    workdir = Path(workdir) / f"search-{n}"
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "articles.jsonl"
    lines: list[tuple[str, float, str]] = []
    if not corpus.exists():
        t = time.perf_counter()
        _write_corpus(corpus, n)
        lines.append(("search_generate_corpus", time.perf_counter() - t, "s"))
    index_dir = workdir / "index" / "00000001"
    _remove(workdir / "index")
    code = ("import sys, resource, time; sys.path.insert(0, sys.argv[1]);"
            "from bench.search import _build_from_jsonl as b;"
            "t = time.perf_counter(); n = b(sys.argv[2], sys.argv[3]);"
            "print(n, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), str(corpus), str(index_dir)],
                         capture_output=True, text=True, check=True).stdout.split()
    built, seconds, rss_kib = int(out[0]), float(out[1]), int(out[2])
    lines += [("search_build_seconds", seconds, "s"),
              ("search_build_articles_per_s", built / seconds, "articles/s"),
              ("search_build_peak_rss", rss_kib / 1024, "MiB"),
              ("search_index_size", _du(index_dir) / 2 ** 20, "MiB")]
    lines += _query_lines(index_dir, corpus)
    lines += _update_lines(index_dir, corpus)
    return lines


def _query_lines(index_dir: Path, corpus: Path) -> list[tuple[str, float, str]]:
    import duckdb

    sys.path.insert(0, str(ROOT))
    from dashboard.search import SearchIndex, ids_table, parse

    con = duckdb.connect()
    con.execute("CREATE TABLE articles AS SELECT * FROM read_json(?, format = 'newline_delimited')",
                [str(corpus)]).fetchall()

    def texts(ids):
        rows = con.execute("SELECT article_id, title, caption, body FROM articles "
                           "WHERE article_id IN (SELECT unnest(?))", [ids]).fetchall()
        return {r[0]: {"title": r[1], "caption": r[2], "body": r[3]} for r in rows}

    idx = SearchIndex(index_dir)
    total = idx.num_docs
    by_df = sorted((idx.count(parse("=" + w)), w) for w in CANDIDATE_WORDS)
    by_df = [(df, w) for df, w in by_df if df > 0]
    picks = {"rare": by_df[0], "mid": by_df[len(by_df) // 2], "common": by_df[-1]}
    lines: list[tuple[str, float, str]] = []
    queries = {f"{k}_{w}": w for k, (_, w) in picks.items()}
    queries["phrase"] = '"free syrian army"' if idx.count(parse('"free syrian army"')) else \
        f'"{picks["mid"][1]} {picks["common"][1]}"'
    queries["boolean"] = f'({picks["mid"][1]} OR {picks["common"][1]}) -{by_df[1][1]}'
    queries["prefix"] = picks["mid"][1][:4] + "*"
    for name, q in queries.items():
        parsed = parse(q)
        fresh = SearchIndex(index_dir)
        t = time.perf_counter()
        hits = fresh.count(parsed)
        lines.append((f"search_{name}_count_cold", (time.perf_counter() - t) * 1000, "ms"))
        lines.append((f"search_{name}_hits", float(hits), f"articles of {total}"))
        lines.append((f"search_{name}_count", _median(lambda: idx.count(parsed)), "ms"))
        lines.append((f"search_{name}_all_ids", _median(lambda: idx.matching_ids(parsed)), "ms"))
        ids = idx.matching_ids(parsed)

        def join():
            con.register("kw", ids_table(ids))
            con.execute("SELECT count(*) FROM articles JOIN kw USING (article_id)").fetchall()
            con.unregister("kw")

        lines.append((f"search_{name}_ids_table_join", _median(join), "ms"))
        lines.append((f"search_{name}_top50_snippets", _median(
            lambda: idx.top_hits(parsed, n=50, texts=texts)), "ms"))
        lines.append((f"search_{name}_histogram_month", _median(lambda: idx.histogram(parsed, "month")), "ms"))
    return lines


def _update_lines(index_dir: Path, corpus: Path) -> list[tuple[str, float, str]]:
    sys.path.insert(0, str(ROOT))
    from etl.search import index as search_index

    rows = []
    for row in _read_jsonl(corpus):
        row["body"] = row["body"] + " Update: a ceasefire was announced."
        rows.append(row)
        if len(rows) >= UPDATE_N:
            break
    new_dir = index_dir.parent / "00000002"
    t = time.perf_counter()
    search_index.update(index_dir, new_dir, rows, deletes=[])
    seconds = time.perf_counter() - t
    extra = _du(new_dir, exclude_inodes=_inodes(index_dir))
    return [(f"search_update_{UPDATE_N}_seconds", seconds, "s"),
            ("search_update_new_bytes", extra / 2 ** 20, "MiB")]


def _read_jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("published_at"):
                row["published_at"] = datetime.fromisoformat(row["published_at"])
            yield row


def _build_from_jsonl(corpus: str, index_dir: str) -> int:
    from etl.search import index as search_index

    return search_index.build(Path(index_dir), _read_jsonl(Path(corpus)))


def _write_corpus(path: Path, n: int) -> None:
    try:
        from bench.corpus import iter_articles
        articles = iter_articles(n, seed=7)
    except ImportError:
        articles = _synthetic_articles(n, seed=7)
    keys = ["article_id", "title", "caption", "body", "published_at", "source",
            "primary_country", "is_primary"]
    with open(path, "w", encoding="utf-8") as f:
        for a in articles:
            row = {k: _plain(a, k) for k in keys}
            if isinstance(row["published_at"], datetime):
                row["published_at"] = row["published_at"].isoformat()
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


_ALIASES = {"article_id": "id", "published_at": "published"}


def _plain(article: dict, key: str):
    """A row field from our generator's or bench/corpus.py's article dict (which names some
    fields differently and marks near-copies with `near_dup_of` instead of `is_primary`)."""
    value = article.get(key, article.get(_ALIASES.get(key, key)))
    if key == "is_primary" and value is None:
        value = article.get("near_dup_of") is None
    return value


def _synthetic_articles(n: int, seed: int):
    """Zipf-distributed made-up vocabulary plus the candidate words at varied rates (~3 KB bodies)."""
    rng = random.Random(seed)
    syll = ["ka", "ri", "mo", "ta", "sen", "dor", "li", "va", "nu", "pre", "ex", "al", "qu", "zar"]
    vocab = list(dict.fromkeys("".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
                               for _ in range(60_000)))
    weights = [1 / (r + 1) for r in range(len(vocab))]
    cum = list(_accumulate(weights))
    rates = {w: 10 ** -(i % 5) for i, w in enumerate(CANDIDATE_WORDS)}
    sources = ["Asharq Al-Awsat", "Reuters", "AFP", "Al Arabiya"]
    countries = ["SY", "IQ", "LB", "JO", "TR", "YE", None]
    start = datetime(2010, 1, 1)
    for i in range(n):
        words = rng.choices(vocab, cum_weights=cum, k=480)
        for w, rate in rates.items():
            if rng.random() < rate:
                words[rng.randrange(len(words))] = w
        if rng.random() < 0.05:
            words[10:13] = ["free", "syrian", "army"]
        body = " ".join(words) + "."
        yield {"article_id": f"bench-{i:08d}", "title": " ".join(rng.choices(vocab, cum_weights=cum, k=8)),
               "caption": None, "body": body,
               "published_at": start + timedelta(days=rng.randrange(365 * 12)),
               "source": rng.choice(sources), "primary_country": rng.choice(countries),
               "is_primary": rng.random() < 0.9}


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def _median(fn, repeats: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _inodes(path: Path) -> set[int]:
    return {p.stat().st_ino for p in path.iterdir() if p.is_file()}


def _du(path: Path, exclude_inodes: set[int] = frozenset()) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file() and p.stat().st_ino not in exclude_inodes)


def _remove(path: Path) -> None:
    import shutil
    if path.exists():
        shutil.rmtree(path)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    for name, value, unit in run(n, ROOT / "bench" / "out"):
        print(f"{name}: {value:,.1f} {unit}")
