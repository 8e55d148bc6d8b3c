"""`python -m bench.dedup_memory [--rows N]`: the writer's deduplication index alone, grown to N
articles in the writer's batches, with the lookups the writer makes for each batch: its peak
RSS against the number of articles, with the large chunks in the heap and in mapped files
(etl/dedup/seen.py), and the CPU time a batch's lookups and insertion take.

Fingerprints are random (the index's size and its lookups' cost do not depend on the text);
each mode runs in a fresh interpreter so that its peak is its own.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 2000

CHILD = r"""
import json, sys, tempfile, time
import numpy as np
from etl.dedup import seen as dedup

rows, folder = int(sys.argv[1]), sys.argv[2] or None
BATCH = %d

def rss(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024

rng = np.random.default_rng(1)
seen = dedup.Seen(folder)
marks, seconds, done = {}, 0.0, 0
start = rss("VmRSS:")
while done < rows:
    n = min(BATCH, rows - done)
    aid = rng.integers(0, 2**63, n, dtype=np.uint64)
    sim = rng.integers(0, 2**63, n, dtype=np.uint64)
    sig = rng.integers(0, 0xFFFF, (n, 32), dtype=np.uint16)
    day = rng.integers(15000, 18000, n).astype(np.int32)
    t = time.process_time()
    seen.by_hash(aid)
    seen.taken(aid)
    seen.near(sim, 6, day)
    seen.minhash_candidates(sig, day)
    seen.add(aid, aid, aid, sim, sig, day)
    seen.release()
    seconds += time.process_time() - t
    done += n
    if done %% (rows // 10) < BATCH:
        marks[done] = rss("VmHWM:") - start
print(json.dumps({"marks": marks, "ms_per_batch": seconds / (rows / BATCH) * 1000,
                  "chunks": len(seen.chunks)}))
""" % BATCH


def run(rows: int, modes: tuple[str, ...] = ("heap", "files")) -> list[tuple[str, float, str]]:
    out = []
    for mode in modes:
        with tempfile.TemporaryDirectory(prefix="dedup-bench-") as folder:
            proc = subprocess.run([sys.executable, "-c", CHILD, str(rows), folder if mode == "files" else ""],
                                  capture_output=True, text=True, cwd=ROOT, check=True)
        m = json.loads(proc.stdout)
        marks = {int(k): v for k, v in m["marks"].items()}
        first, last = min(marks), max(marks)
        slope = (marks[last] - marks[first]) / (last - first) * 100_000
        out += [(f"dedup_index_{mode}_{rows}_peak_rss_added", marks[last], "MiB"),
                (f"dedup_index_{mode}_{rows}_peak_rss_per_100k_articles", slope, "MiB"),
                (f"dedup_index_{mode}_{rows}_cpu_ms_per_batch_of_{BATCH}", m["ms_per_batch"], "ms")]
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.dedup_memory", description=__doc__)
    p.add_argument("--rows", type=int, default=2_000_000)
    p.add_argument("--modes", default="heap,files", help="heap (every chunk in the heap), files (as the writer)")
    args = p.parse_args(argv)
    from bench.__main__ import emit
    for line in run(args.rows, tuple(args.modes.split(","))):
        emit(*line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
