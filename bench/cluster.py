"""Ingest through a Dask cluster against the local worker pool: `python -m bench --only cluster`.

Starts a real scheduler and 1, then 2, single-threaded workers as separate processes on
127.0.0.1 (dashboards off), and runs the real CLI with --cluster on the realistic corpus's JSON
lines (bench/realistic.py; the synthetic corpus's without ../shared), then the same ingest on
the local pool. Each figure includes the workers building their extractors on their first task,
as the local pool's does. On one machine the cluster's workers and the local pool's share the
same cores; the figures say what the cluster costs over the pool, not what more machines give.
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def local_cluster(n_workers: int):
    """The address of a scheduler with `n_workers` one-thread workers, all separate processes."""
    from distributed import Client

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = []

    def start(*args):
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
                                      cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    with tempfile.TemporaryDirectory() as tmp:
        info = Path(tmp) / "scheduler.json"
        try:
            start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info))
            end = time.monotonic() + 120
            while not (info.exists() and info.stat().st_size):
                if time.monotonic() > end:
                    raise RuntimeError("the Dask scheduler did not start")
                time.sleep(0.05)
            address = json.loads(info.read_text())["address"]
            for i in range(n_workers):
                start("worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                      "--local-directory", str(Path(tmp) / f"w{i}"))
            with Client(address, timeout=120, set_as_default=False) as client:
                client.wait_for_workers(n_workers, timeout=120)
            yield address
        finally:
            for p in procs:
                p.kill()
                p.wait(timeout=30)


def run(n: int, work: Path) -> list[tuple[str, float, str]]:
    from bench import realistic
    from bench.__main__ import evict_from_page_cache, fresh_db, run_measured_cpu

    src = work / f"realistic-{n}"
    if not (src / ".complete").exists():
        if realistic.fakes_path() is None:
            from bench import corpus
            src = work / f"jsonl-{n}"
            if not (src / ".complete").exists():
                src.mkdir(parents=True, exist_ok=True)
                corpus.write_jsonl(src / "articles.jsonl", n, seed=1)
                (src / ".complete").write_text("ok")
        else:
            src.mkdir(parents=True, exist_ok=True)
            realistic.write_jsonl(src / "articles.jsonl", realistic.build(seed=1), n, seed=1)
            (src / ".complete").write_text("ok")
    out = [("cluster_corpus", n, "articles")]

    def ingest(label: str, *extra: str) -> None:
        db = fresh_db(work, f"cluster-{label}-{n}")
        evict_from_page_cache(src)
        seconds, rss, cpu, _ = run_measured_cpu([sys.executable, "-m", "etl", "ingest", str(src), "--db", str(db),
                                                   "--no-progress", *extra])
        out.append((f"ingest_{label}_articles_per_s", n / seconds, "articles/s"))
        out.append((f"ingest_{label}_parent_and_local_workers_cpu_ms_per_article", cpu / n * 1000, "ms"))
        out.append((f"ingest_{label}_peak_rss", rss, "MiB"))

    ingest("local_pool_2_workers")
    for k in (1, 2):
        with local_cluster(k) as address:
            ingest(f"dask_{k}_worker{'s' if k > 1 else ''}", "--cluster", address)
    out.append(("load_average_1min", os.getloadavg()[0], "processes"))
    return out
