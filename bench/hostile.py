"""`python -m bench hostile`: the hostile corpus at a larger scale, then kill -9 trials.

1. tests/hostile_corpus.py at `--scale` (bombs inflating to scale × 250 MB, an entity feed of
   scale × 200 MB, FIFOs, links out of the folder, deep nesting, wrong Parquet types, big
   tables the parent splits) mixed with good files, ingested by the real CLI: every good
   article must load, every bad input be recorded, no traceback, exit 1.
2. `--kills` trials: an ingest of good files into a database that already holds a run is
   killed with SIGKILL at a random moment; then the database must open with the rows of the
   run before or of the killed run (never a mix), the index it names must exist, no worker
   may be alive 3 s later, and the next ingest must succeed and hold every good article.

Prints `cases_tried`, `crashes` (a traceback or an exit status other than 0/1, or a failed
consistency check or re-run), `hangs` (a run past `--hang-seconds`), `good_lost` (good
articles missing after a run that should hold them), `peak_mb` (largest process).
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import hostile_corpus  # noqa: E402

ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def _ingest(src: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "etl", "ingest", str(src), "--db", str(db), "--no-progress", *extra]


def _titles(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t for (t,) in con.execute("SELECT title FROM articles").fetchall()}
    finally:
        con.close()


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
            out.update(kids)
            todo.extend(kids)
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def hostile_run(work: Path, scale: int, limits: list[str], hang_seconds: float) -> dict:
    src = work / f"hostile-{scale}"
    shutil.rmtree(src, ignore_errors=True)
    manifest = hostile_corpus.build(src, scale)
    db = work / "hostile.duckdb"
    for stale in work.glob("hostile.duckdb*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    started = time.perf_counter()
    proc = subprocess.Popen(_ingest(src, db, *limits), cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=hang_seconds)
        hung = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        hung = True
    seconds = time.perf_counter() - started
    crashed = not hung and (proc.returncode not in (0, 1) or "Traceback" in err)
    lost = len(manifest.good_titles - _titles(db)) if db.exists() else len(manifest.good_titles)
    con = duckdb.connect(str(db), read_only=True) if db.exists() else None
    recorded = {Path(p).name for (p,) in con.execute("SELECT input_path FROM ingest_errors").fetchall()} if con else set()
    if con:
        con.close()
    unrecorded = sorted(manifest.bad - recorded)
    if unrecorded:
        print(f"hostile: not recorded: {', '.join(unrecorded)}", flush=True)
    if crashed:
        print(f"hostile: exit {proc.returncode}: {err[-1500:]}", flush=True)
    return {"cases": len(manifest.case_names), "crashes": int(crashed) + len(unrecorded), "hangs": int(hung),
            "good_lost": lost, "seconds": seconds}


def kill_trials(work: Path, n: int, seed: int, hang_seconds: float) -> dict:
    rng = random.Random(seed)
    src = work / "kill-corpus"
    base = work / "kill-base"
    if not (src / ".complete").exists():
        shutil.rmtree(src, ignore_errors=True)
        hostile_corpus.write_good_pages(base, 500, seed=1)
        hostile_corpus.write_good_pages(src, 4000, seed=2)
        (src / ".complete").write_text("ok")
    good = hostile_corpus.write_good_pages(work / "titles-only", 4000, seed=2)
    shutil.rmtree(work / "titles-only")
    crashes = hangs = lost = 0
    for trial in range(n):
        db = work / f"kill-{trial}.duckdb"
        for stale in work.glob(f"kill-{trial}.duckdb*"):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        subprocess.run(_ingest(base, db), cwd=ROOT, env=ENV, capture_output=True, check=True)
        before = len(_titles(db))
        proc = subprocess.Popen(_ingest(src, db), cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 8.0))
        family = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(3)
        survivors = [p for p in family if _alive(p)]
        problems = []
        if survivors:
            problems.append(f"{len(survivors)} workers outlived the kill")
        try:
            con = duckdb.connect(str(db), read_only=True)
            count = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            index_dir = con.execute("SELECT value FROM meta WHERE key = 'index_dir'").fetchone()
            con.close()
            if count not in (before, before + len(good)):
                problems.append(f"{count} articles: neither the run before ({before}) nor the killed run's")
            if index_dir and not (db.parent / index_dir[0]).is_dir():
                problems.append(f"index {index_dir[0]} missing")
        except duckdb.Error as exc:
            problems.append(f"database unreadable: {exc}")
        try:
            rerun = subprocess.run(_ingest(src, db), cwd=ROOT, env=ENV, capture_output=True, text=True,
                                   timeout=hang_seconds)
            if rerun.returncode != 0 or "Traceback" in rerun.stderr:
                problems.append(f"re-run exited {rerun.returncode}: {rerun.stderr[-500:]}")
            missing = len(good - _titles(db))
            lost += missing
        except subprocess.TimeoutExpired:
            hangs += 1
            problems.append("re-run hung")
        for stale in work.glob(f"kill-{trial}.duckdb*"):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        if problems:
            crashes += 1
            print(f"kill trial {trial}: " + "; ".join(problems), flush=True)
    return {"cases": n, "crashes": crashes, "hangs": hangs, "good_lost": lost}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench hostile", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Example:\n  python -m bench hostile --scale 4 --kills 10")
    p.add_argument("--scale", type=int, default=4, help="corpus scale: bombs inflate to scale x 250 MB")
    p.add_argument("--kills", type=int, default=10, help="kill -9 trials")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--input-timeout", default="30", help="passed to ingest")
    p.add_argument("--worker-memory", default="1024", help="passed to ingest (MB)")
    p.add_argument("--hang-seconds", type=float, default=1800, help="a run longer than this is a hang")
    p.add_argument("--workdir", default=str(ROOT / "bench" / "out" / "hostile"))
    args = p.parse_args(argv)
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    limits = ["--input-timeout", args.input_timeout, "--worker-memory", args.worker_memory]
    h = hostile_run(work, args.scale, limits, args.hang_seconds)
    k = kill_trials(work, args.kills, args.seed, args.hang_seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"cases_tried: {h['cases'] + k['cases']}")
    print(f"crashes: {h['crashes'] + k['crashes']}")
    print(f"hangs: {h['hangs'] + k['hangs']}")
    print(f"good_lost: {h['good_lost'] + k['good_lost']}")
    print(f"peak_mb: {peak_mb:.0f}")
    print(f"hostile_run_seconds: {h['seconds']:.1f}")
    return 0 if not (h["crashes"] or k["crashes"] or h["hangs"] or k["hangs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
