"""Where ingest time goes, stage by stage: `python -m bench.profile JSONL [--articles N]`.

Runs the real ingest inline (workers=0: the worker's task and the writer in one process, so one
profile holds both) on the first N lines of a JSON Lines file, under cProfile, with the
full-text index built as the CLI builds it. Prints one line per stage: its share of the
profiled time and its CPU microseconds per article, the shares scaled to the CPU time of a
second, unprofiled run of the same ingest (the profiler slows pure-Python code more than C
code, so the shares are approximate; the total is not).

Stages are found by function name (file and function), so they survive code moving between
modules; a stage the code no longer has prints nothing.

    python -m bench.profile bench/out/realistic-100000/articles.jsonl --articles 5000
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

# (name, function name, file name or None): cumulative time of each, nested ones included; a
# stage may be listed twice, under the module it moved from and the one it moved to
STAGES = [
    ("read_jsonl", "read_jsonl", None),
    ("enrich", "enrich", "enrich.py"),
    ("clean_text", "clean_text", "enrich.py"),
    ("dateline", "dateline", "dateline.py"),
    ("publication_date", "publication_date", "dates.py"),
    ("places", "find", "places.py"),
    ("places_primary", "primary", "places.py"),
    ("topics", "tag", "topics.py"),
    ("people", "find", "people.py"),
    ("casualties", "casualties", "casualties.py"),
    ("defections", "defections", "defections.py"),
    ("shingles", "shingle_words", "fingerprint.py"),
    ("content_hash", "content_hash", "fingerprint.py"),
    ("language", "guess_language", "enrich.py"),
    ("fingerprints_simhash_minhash", "fingerprints_many", "fingerprint.py"),
    ("pack_arrow", "_pack", "pipeline.py"),
    ("pack_arrow", "pack", "packing.py"),
    ("writer_flush", "flush", None),
    ("writer_dedup_cluster", "_cluster", None),
    ("writer_insert", "insert", None),
    ("index_add", "add", "indexing.py"),
    ("rebuild_facets", "rebuild_facets", None),
    ("index_close", "close", "indexing.py"),
    ("commit", "commit", None),
]


def _head(src: Path, n: int, out: Path) -> None:
    with open(src, "rb") as f, open(out, "wb") as g:
        for i, line in enumerate(f):
            if i >= n:
                break
            g.write(line)


def _ingest(jsonl: Path, work: Path) -> None:
    from etl.ingest import ingest
    from etl.search.indexing import IngestIndexer
    db = work / "profile.duckdb"
    for stale in work.glob("profile.duckdb*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    ingest([str(jsonl)], db, workers=0, progress=False, indexer=IngestIndexer(db))


def run(src: Path, n: int) -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        jsonl = work / "head.jsonl"
        _head(src, n, jsonl)
        _ingest(jsonl, work)               # builds the extractors, warms the caches and imports
        t = time.process_time()
        _ingest(jsonl, work)
        cpu = time.process_time() - t
        prof = cProfile.Profile()
        prof.enable()
        _ingest(jsonl, work)
        prof.disable()
    stats = pstats.Stats(prof).stats
    total = sum(tt for (_f, _l, _fn), (_cc, _nc, tt, _ct, _callers) in stats.items())
    lines = [("profile_articles", float(n), "articles"),
             ("profile_ingest_cpu_us_per_article", cpu / n * 1e6, "us")]
    for name, func, file in STAGES:
        cum = sum(ct for (f, _l, fn), (_cc, _nc, _tt, ct, _callers) in stats.items()
                  if fn == func and (file is None or os.path.basename(f) == file)
                  and "/etl/" in f.replace(os.sep, "/"))
        if cum:     # a stage listed under its old and new place is found in one of them
            lines.append((f"profile_{name}_share", cum / total, "share"))
            lines.append((f"profile_{name}_us_per_article", cum / total * cpu / n * 1e6, "us"))
    return lines


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("jsonl", type=Path, help="a JSON Lines corpus (bench/realistic.py, bench/corpus.py)")
    p.add_argument("--articles", type=int, default=5000)
    args = p.parse_args(argv)
    for name, value, unit in run(args.jsonl, args.articles):
        print(f"{name}: {value:,.3f} {unit}" if unit == "share" else f"{name}: {value:,.1f} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
