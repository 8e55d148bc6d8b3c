"""`python -m bench [--articles N]`: every benchmark of the project, one `name: value unit` line each.

Ingest figures run the real CLI in a child process on a synthetic corpus (bench/corpus.py) and
read its peak memory from the kernel's accounting of that child and its workers (the largest
single process). Query figures are medians over repeated runs on the database that ingest built.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def emit(name: str, value: float, unit: str) -> None:
    if isinstance(value, float):
        value = f"{value:,.2f}" if unit == "x" else f"{value:,.1f}"
    print(f"{name}: {value} {unit}", flush=True)


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run a command in a fresh child; return (seconds, peak RSS MiB of its largest process, stdout)."""
    seconds, rss, _cpu, out = run_measured_cpu(cmd, env)
    return seconds, rss, out


def run_measured_cpu(cmd: list[str], env: dict | None = None) -> tuple[float, float, float, str]:
    """run_measured, plus the CPU seconds (user + system) of the child and all its workers: on a
    shared machine the wall time depends on the other load, the CPU time much less."""
    m = run_measured_tree(cmd, env)
    return m["seconds"], m["rss"], m["cpu"], m["out"]


# Runs in a fresh interpreter: the command as a child, its own peak (VmHWM: the ingest's parent
# process is the writer) and the sum of its process tree's proportional set sizes (Pss: pages
# the forked workers share with the writer counted once) sampled every SAMPLE_S seconds.
_TREE_WRAPPER = """
import os, resource, subprocess, sys, threading, time
SAMPLE_S = 0.25
def status(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
peak = {"own": 0, "total": 0}
done = threading.Event()
def sample():
    while not done.is_set():
        peak["own"] = max(peak["own"], status(p.pid, "VmHWM:"))
        peak["total"] = max(peak["total"], sum(pss(q) for q in tree(p.pid)))
        done.wait(SAMPLE_S)
th = threading.Thread(target=sample, daemon=True)
th.start()
stdout, stderr = p.communicate()
done.set()
th.join()
dt = time.perf_counter() - t
sys.stderr.write(stderr[-2000:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(dt, u.ru_maxrss, p.returncode, u.ru_utime + u.ru_stime, peak["own"], peak["total"])
print(stdout)
"""


def run_measured_tree(cmd: list[str], env: dict | None = None) -> dict:
    """Run a command in a fresh child: seconds, `rss` (peak RSS MiB of its largest process, from
    the kernel), `cpu` (seconds of it and its workers), `own_rss` (the peak RSS of the command's
    own process, for an ingest the writer), `total_pss` (the largest sum over its process tree,
    sampled; shared pages counted once), `out` (its stdout)."""
    proc = subprocess.run([sys.executable, "-c", _TREE_WRAPPER, *cmd], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), cwd=ROOT)
    first, _, rest = proc.stdout.partition("\n")
    seconds, rss_kib, code, cpu, own_kib, total_kib = first.split()
    # exit status 1 means "done, but some inputs were skipped"; a traceback is a failure
    if int(code) not in (0, 1) or "Traceback" in proc.stderr:
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {proc.stderr[-2000:]}")
    return {"seconds": float(seconds), "rss": int(rss_kib) / 1024, "cpu": float(cpu),
            "own_rss": int(own_kib) / 1024, "total_pss": int(total_kib) / 1024, "out": rest}


def bench_ingest(n: int, work: Path, kinds: list[str]) -> Path | None:
    from bench import corpus

    db_for_queries = None
    for kind in kinds:
        if kind == "html_real":
            for name, value, unit in bench_real_html(work):
                emit(name, value, unit)
            continue
        if kind == "realistic":
            for name, value, unit in bench_realistic(n, work):
                emit(name, value, unit)
            continue
        count = n if kind != "html" else min(n, 5000)
        src = work / f"{kind}-{count}"
        if not (src.exists() and (src / ".complete").exists()):
            src.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            if kind == "jsonl":
                corpus.write_jsonl(src / "articles.jsonl", count, seed=1)
            elif kind == "json":
                corpus.write_json_document(src / "articles.json", count, seed=1)
            elif kind == "text":
                corpus.write_text_pages(src, count, seed=2)
            else:
                corpus.write_html_pages(src, count, seed=3)
            (src / ".complete").write_text("ok")
            emit(f"generate_{kind}_{count}", time.perf_counter() - t, "s")
        db = fresh_db(work, f"{kind}-{count}")
        evicted = evict_from_page_cache(src)
        seconds, rss, out = run_measured([sys.executable, "-m", "etl", "ingest", str(src), "--db", str(db),
                                          "--no-progress"])
        emit(f"ingest_{kind}_input_files_read_from_disk", evicted, "files")
        emit(f"ingest_{kind}_articles_per_s", count / seconds, "articles/s")
        emit(f"ingest_{kind}_peak_rss", rss, "MiB")
        emit(f"ingest_{kind}_seconds", seconds, "s")
        if kind == "html":
            evict_from_page_cache(src)
            bare = bare_trafilatura_rate(src)
            emit("html_bare_trafilatura_pages_per_s", bare, "pages/s")
            emit("html_ingest_vs_bare_trafilatura", (count / seconds) / bare, "x")
        if kind == "jsonl":
            db_for_queries = db
            for name, value, unit in near_duplicate_figures(db, count):
                emit(name, value, unit)
            for name, value, unit in bench_add_while_reading(db, work, min(10000, max(1000, count // 10))):
                emit(name, value, unit)
            seconds, rss, _ = run_measured([sys.executable, "-m", "etl", "ingest", str(src), "--db", str(db),
                                            "--no-progress"])
            emit("reingest_unchanged_seconds", seconds, "s")
            seconds, rss, _ = run_measured([sys.executable, "-m", "etl", "retag", "--db", str(db),
                                            "--no-progress"])
            emit("retag_articles_per_s", count / seconds, "articles/s")
    return db_for_queries


def bench_realistic(n: int, work: Path) -> list[tuple[str, float, str]]:
    """Ingest of `n` JSON lines of the realistic corpus (bench/realistic.py: FA-KES bigrams,
    calibrated to FA-KES's densities of places, people, numbers and topic terms), after the
    densities of FA-KES, of the realistic corpus and of the synthetic one. Skipped without
    ../shared (the model is built from FA-KES at bench time)."""
    from bench import realistic

    if realistic.fakes_path() is None:
        print(f"realistic: skipped, FA-KES not found under {realistic.shared_dir()}", flush=True)
        return []
    t = time.perf_counter()
    counter = realistic.Counter()
    model = realistic.build(seed=1, counter=counter)
    out = [("realistic_model_seconds", time.perf_counter() - t, "s"),
           *realistic.density_lines(model, counter)]
    for line in out:
        emit(*line)
    del counter
    src = work / f"realistic-{n}"
    if not (src / ".complete").exists():
        src.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        realistic.write_jsonl(src / "articles.jsonl", model, n, seed=1)
        (src / ".complete").write_text("ok")
        emit(f"generate_realistic_{n}", time.perf_counter() - t, "s")
    out = []
    # the synthetic corpus's JSON lines in the same minute, for the ratio the two differ by
    for kind, folder in (("realistic", src), ("synthetic_jsonl", _synthetic_jsonl(n, work))):
        db = fresh_db(work, f"{kind}-{n}")
        evict_from_page_cache(folder)
        m = run_measured_tree([sys.executable, "-m", "etl", "ingest", str(folder), "--db", str(db),
                               "--no-progress"])
        seconds, cpu = m["seconds"], m["cpu"]
        out += [(f"ingest_{kind}_{n}_articles_per_s", n / seconds, "articles/s"),
                (f"ingest_{kind}_{n}_cpu_ms_per_article", cpu / n * 1000, "ms"),
                (f"ingest_{kind}_{n}_peak_rss", m["rss"], "MiB"),
                (f"ingest_{kind}_{n}_writer_peak_rss", m["own_rss"], "MiB"),
                (f"ingest_{kind}_{n}_all_processes_peak_pss", m["total_pss"], "MiB"),
                (f"ingest_{kind}_{n}_seconds", seconds, "s"),
                (f"ingest_{kind}_{n}_disk", _size(db) / 2**20, "MiB")]
    out.append(("load_average_1min", os.getloadavg()[0], "processes"))
    return out


def _synthetic_jsonl(n: int, work: Path) -> Path:
    from bench import corpus
    src = work / f"jsonl-{n}"
    if not (src / ".complete").exists():
        src.mkdir(parents=True, exist_ok=True)
        corpus.write_jsonl(src / "articles.jsonl", n, seed=1)
        (src / ".complete").write_text("ok")
    return src


def _size(db: Path) -> int:
    """Bytes of a database and its full-text index folder."""
    paths = [db, *db.parent.glob(db.name + ".index")]
    return sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())


def fresh_db(work: Path, stem: str) -> Path:
    """work/<stem>.duckdb with what an earlier run left of it (lock, index folder) removed."""
    import shutil
    for stale in work.glob(f"{stem}.duckdb*"):
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    return work / f"{stem}.duckdb"


REAL_HTML_DIRS = ("corpus/html/article-extraction-benchmark/html", "corpus/html/trafilatura-eval/html")


def bench_real_html(work: Path) -> list[tuple[str, float, str]]:
    """Ingest against bare trafilatura on real pages: the gzipped pages of the two HTML gold
    sets in ../shared (1,171 news, blog and other pages, ~10 times the extraction work of a
    synthetic page), read in place from disk by both. Skipped without ../shared."""
    shared = Path(os.environ.get("CONFLICT_TRENDS_SHARED", ROOT.parent / "shared"))
    dirs = [shared / d for d in REAL_HTML_DIRS]
    if not all(d.is_dir() for d in dirs):
        print(f"html_real: skipped, shared corpus not found under {shared}", flush=True)
        return []
    count = sum(1 for d in dirs for p in d.iterdir() if p.is_file())
    db = fresh_db(work, "html-real")
    evicted = sum(evict_from_page_cache(d) for d in dirs)
    seconds, rss, _ = run_measured([sys.executable, "-m", "etl", "ingest", *map(str, dirs), "--db", str(db),
                                    "--no-progress"])
    for d in dirs:
        evict_from_page_cache(d)
    bare = bare_trafilatura_rate(*dirs)
    return [("ingest_html_real_input_files_read_from_disk", evicted, "files"),
            ("ingest_html_real_pages_per_s", count / seconds, "pages/s"),
            ("ingest_html_real_peak_rss", rss, "MiB"),
            ("html_real_bare_trafilatura_pages_per_s", bare, "pages/s"),
            ("html_real_ingest_vs_bare_trafilatura", (count / seconds) / bare, "x")]


def evict_from_page_cache(src: Path) -> int:
    """Drop the corpus's files from the kernel's page cache (posix_fadvise DONTNEED, which any
    user may ask for files they can read), so that an ingest figure is that of inputs read from
    disk, as an archive is on its first run, whatever ran before it. Returns the file count
    (0 where the call does not exist: the figure then depends on what the cache holds)."""
    if not hasattr(os, "POSIX_FADV_DONTNEED"):
        return 0
    from etl.ingest import advise_page_cache
    os.sync()   # dirty pages (a corpus just written) cannot be dropped
    return advise_page_cache((str(p) for p in src.rglob("*") if p.is_file()), os.POSIX_FADV_DONTNEED)


def near_duplicate_figures(db: Path, n: int, seed: int = 1) -> list[tuple[str, float, str]]:
    """How the ingest clustered the corpus's syndicated copies (the generator knows them: new
    dateline, one paragraph dropped, one added): the share of copies in their story's cluster,
    and clusters that joined articles of different stories."""
    import duckdb
    from bench import corpus

    root: dict[str, str] = {}
    url_of: dict[str, str] = {}
    for art in corpus.iter_articles(n, seed=seed):
        url_of[art["id"]] = art["url"]
        root[art["id"]] = root.get(art["near_dup_of"], art["near_dup_of"]) if art["near_dup_of"] else art["id"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        cluster = dict(con.execute("SELECT url, dup_cluster FROM articles").fetchall())
    finally:
        con.close()
    copies = [a for a, r in root.items() if r != a]
    found = sum(1 for a in copies if cluster.get(url_of[a]) is not None
                and cluster.get(url_of[a]) == cluster.get(url_of[root[a]]))
    stories_per_cluster: dict[str, set[str]] = {}
    for a, r in root.items():
        c = cluster.get(url_of[a])
        if c is not None:
            stories_per_cluster.setdefault(c, set()).add(r)
    wrong = sum(1 for s in stories_per_cluster.values() if len(s) > 1)
    return [("near_duplicates_in_corpus", len(copies), "articles"),
            ("near_duplicate_recall", found / max(1, len(copies)), "share"),
            ("clusters_joining_different_stories", wrong, "clusters")]


READER = r"""
import duckdb, os, sys, time
path, stop = sys.argv[1], sys.argv[2]
worst, n, failed = 0.0, 0, 0
con = duckdb.connect(path, read_only=True); key = os.stat(path).st_ino
while not os.path.exists(stop):
    t = time.perf_counter()
    try:
        if os.stat(path).st_ino != key:
            con.close(); con = duckdb.connect(path, read_only=True); key = os.stat(path).st_ino
        con.execute("SELECT count(*), max(published_at) FROM articles WHERE is_primary").fetchone()
        n += 1
    except Exception:
        failed += 1
    worst = max(worst, time.perf_counter() - t)
    time.sleep(0.05)
print(n, failed, worst * 1000)
"""


def bench_add_while_reading(db: Path, work: Path, n_new: int) -> list[tuple[str, float, str]]:
    """Add `n_new` articles to an existing database while another process keeps querying it."""
    from bench import corpus
    extra = work / f"extra-{n_new}"
    if not (extra / ".complete").exists():
        extra.mkdir(parents=True, exist_ok=True)
        corpus.write_jsonl(extra / "more.jsonl", n_new, seed=99)
        (extra / ".complete").write_text("ok")
    stop = work / "reader.stop"
    stop.unlink(missing_ok=True)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop)], stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)
    seconds, rss, _ = run_measured([sys.executable, "-m", "etl", "ingest", str(extra), "--db", str(db),
                                    "--no-progress"])
    time.sleep(0.5)
    stop.write_text("stop")
    answered, failed, worst = reader.communicate(timeout=60)[0].split()
    stop.unlink(missing_ok=True)
    return [(f"ingest_add_{n_new}_seconds", seconds, "s"),
            (f"ingest_add_{n_new}_peak_rss", rss, "MiB"),
            ("reader_queries_during_add", int(answered), "queries"),
            ("reader_failed_queries_during_add", int(failed), "queries"),
            ("reader_worst_latency_during_add", float(worst), "ms")]


def _bare_worker(paths: list[str]) -> int:
    import gzip
    import trafilatura
    done = 0
    for p in paths:
        data = Path(p).read_bytes()
        if p.endswith(".gz"):
            data = gzip.decompress(data)
        # the reader's extraction settings (metadata, tables, no comments), called the plain way
        trafilatura.bare_extraction(data.decode("utf-8", "replace"), with_metadata=True,
                                    include_comments=False, include_tables=True)
        done += 1
    return done


def bare_trafilatura_rate(*srcs: Path) -> float:
    """Pages/s of bare trafilatura extraction with metadata, with as many processes as ingest uses."""
    from concurrent.futures import ProcessPoolExecutor
    paths = sorted(str(p) for src in srcs for p in src.rglob("*") if p.is_file() and not p.name.startswith("."))
    workers = min(2, os.cpu_count() or 1)
    chunks = [paths[i::workers] for i in range(workers)]
    t = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        total = sum(pool.map(_bare_worker, chunks))
    return total / (time.perf_counter() - t)


def bench_queries(db: Path, repeats: int = 5) -> None:
    sys.path.insert(0, str(ROOT))
    import duckdb

    from bench.views import BENCH_VIEWS, page_view_queries
    from dashboard.state import Filters

    con = duckdb.connect(str(db), read_only=True)
    views = {"default": Filters(), **BENCH_VIEWS}
    indexed = con.execute("SELECT count(*) FROM meta WHERE key = 'index_dir'").fetchone()[0]
    for view_name, filters in views.items():
        if filters.q and not indexed:       # a replicated database (bench/replicate.py) has no text
            print(f"query_{view_name}: skipped, {db.name} has no search index")
            continue
        for name, fn in page_view_queries(con, filters).items():
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t) * 1000)
            emit(f"query_{view_name}_{name}", statistics.median(times), "ms")
    if indexed:                             # two of the three Compare series are keywords
        from bench import compare
        for name, value, unit in compare.run(con, repeats):
            emit(name, value, unit)
    else:
        print(f"query_compare: skipped, {db.name} has no search index")
    con.close()


def main(argv=None) -> int:
    if (sys.argv[1:] if argv is None else argv)[:1] == ["hostile"]:    # python -m bench hostile [...]
        from bench import hostile
        return hostile.main((sys.argv[1:] if argv is None else argv)[1:])
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Example:\n  python -m bench --articles 100000")
    p.add_argument("--articles", type=int, default=20000, help="synthetic corpus size (default 20000)")
    p.add_argument("--only", default="extract,ingest,queries,search,cluster",
                   help="comma list of: extract,ingest,queries,search,cluster,browser (cluster: ingest "
                        "through a Dask scheduler and 1 and 2 workers on this machine against the local "
                        "pool, on min(--articles, 20000) articles; browser: real Chromium timing "
                        "dashboard actions; not run unless named)")
    p.add_argument("--kinds", default="jsonl,realistic,json,text,html,html_real",
                   help="input kinds for the ingest benchmark (json: one JSON document holding every "
                        "article; realistic: JSON lines calibrated to FA-KES, bench/realistic.py; "
                        "html_real: the real HTML pages of ../shared)")
    p.add_argument("--workdir", default=str(ROOT / "bench" / "out"))
    p.add_argument("--db", type=Path, default=None,
                   help="time the page-view queries (--only queries) on this database instead of the "
                        "bench corpus's, e.g. one made by `python -m bench.replicate`")
    args = p.parse_args(argv)
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    parts = set(args.only.split(","))
    emit("articles", args.articles, "articles")
    emit("cpus", os.cpu_count() or 1, "cores")
    db = None
    if "extract" in parts:
        from bench import extract
        for name, value, unit in extract.run(args.articles, work):
            emit(name, value, unit)
    if "ingest" in parts:
        db = bench_ingest(args.articles, work, args.kinds.split(","))
    if "queries" in parts:
        db = db or args.db or work / f"jsonl-{args.articles}.duckdb"
        if db.exists():
            bench_queries(db)
        else:
            print(f"queries: skipped, no database {db} (run with --only ingest,queries)")
    if "search" in parts:
        from bench import search
        for name, value, unit in search.run(args.articles, work):
            emit(name, value, unit)
    if "cluster" in parts:
        from bench import cluster
        for name, value, unit in cluster.run(min(args.articles, 20000), work):
            emit(name, value, unit)
    if "browser" in parts:   # real Chromium over the dashboard: not in the default set (minutes)
        from bench import browser
        for name, value, unit in browser.run(args.articles, work):
            emit(name, value, unit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
