"""Hostile inputs and faults: bounded time and memory per input, workers that die with their
parent, a lock that frees with its holder, and faults reported in a sentence with exit 4.

The worker pool is tested on its own with real worker processes running small task functions
(a task that sleeps, one that kills its own worker, one that allocates without end); the rest
runs the real `python -m etl` on inputs built here (tests/hostile_corpus.py)."""
from __future__ import annotations

import faulthandler
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, run_etl
from etl import workers
from etl.readers.detect import expand_inputs

sys.path.insert(0, str(Path(__file__).parent))
import hostile_corpus  # noqa: E402


# -- the worker pool ------------------------------------------------------------------------------

def _init(value):
    global _STATE
    _STATE = value


def _echo(x):
    return (_STATE, x)


def _sleep_or_echo(items):
    out = []
    for x in items:
        if x == "hang":
            time.sleep(3600)
        out.append(x)
    return out


def _die_on(items):
    for x in items:
        if x == "crash":
            faulthandler.disable()      # pytest's handler would print this worker's stack
            os.kill(os.getpid(), signal.SIGSEGV)
    return list(items)


def _allocate(n_mb):
    return len(bytearray(n_mb * 2**20))


def _split_items(args):
    (items,) = args
    return [(([x],), 0) for x in items]


def _results(pool, tasks):
    out = []
    for tag, fn, args, split in tasks:
        out.extend(pool.submit(tag, fn, *args, split=split))
    out.extend(pool.drain())
    return out


def test_a_pool_returns_results_in_submission_order_with_each_workers_state():
    pool = workers.Pool(2, _init, ("ready",), task_seconds=30, memory_bytes=None)
    try:
        got = _results(pool, [(i, _echo, (i,), None) for i in range(20)])
    finally:
        pool.close()
    assert got == [(i, ("ready", i)) for i in range(20)]


def test_a_task_past_its_time_limit_is_stopped_and_only_its_culprit_input_is_recorded():
    pool = workers.Pool(2, _init, (None,), task_seconds=1.5, memory_bytes=None)
    started = time.monotonic()
    try:
        got = _results(pool, [("a", _sleep_or_echo, (["x", "hang", "y"],), _split_items),
                              ("b", _sleep_or_echo, (["z"],), _split_items)])
    finally:
        pool.close()
    # the task of three was split after its timeout; "hang" timed out again alone
    assert [t for t, _ in got] == ["a", "a", "a", "b"]
    assert got[0][1] == ["x"] and got[2][1] == ["y"] and got[3][1] == ["z"]
    failed = got[1][1]
    assert isinstance(failed, workers.TaskFailed) and failed.kind == "timeout"
    assert failed.args == (["hang"],) and "time limit" in failed.reason
    assert pool.replaced == 2 and time.monotonic() - started < 20


def test_a_worker_that_dies_takes_only_its_task_and_the_run_goes_on():
    pool = workers.Pool(2, _init, (None,), task_seconds=30, memory_bytes=None)
    try:
        got = _results(pool, [(i, _die_on, (["ok", "crash"] if i == 3 else [f"ok{i}"],), _split_items)
                              for i in range(8)])
    finally:
        pool.close()
    assert [t for t, _ in got] == [0, 1, 2, 3, 3, 4, 5, 6, 7]
    assert got[3][1] == ["ok"]          # its task's other input, retried alone, loaded
    failed = got[4][1]
    assert isinstance(failed, workers.TaskFailed) and failed.kind == "worker_died"
    assert "SIGSEGV" in failed.reason and failed.args == (["crash"],)
    assert [r for _, r in got[5:]] == [["ok4"], ["ok5"], ["ok6"], ["ok7"]]


def test_a_worker_past_its_memory_limit_fails_that_task_with_memory_and_keeps_working():
    pool = workers.Pool(1, _init, (None,), task_seconds=30, memory_bytes=200 * 2**20)
    try:
        got = _results(pool, [("small", _allocate, (10,), None), ("huge", _allocate, (4000,), None),
                              ("after", _allocate, (10,), None)])
    finally:
        pool.close()
    assert got[0] == ("small", 10 * 2**20) and got[2] == ("after", 10 * 2**20)
    assert isinstance(got[1][1], workers.TaskFailed) and got[1][1].kind == "memory"
    assert pool.replaced == 0           # a MemoryError is not a crash: the worker carried on


# -- the walk -------------------------------------------------------------------------------------

def test_the_walk_refuses_fifos_and_links_leading_out_of_the_named_folders(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "out"
    (inside / "sub").mkdir(parents=True)
    outside.mkdir()
    (inside / "a.txt").write_text("a")
    (inside / "sub" / "b.txt").write_text("b")
    (outside / "c.txt").write_text("c")
    os.mkfifo(inside / "pipe.txt")
    os.symlink("/dev/zero", inside / "zero.txt")
    os.symlink("/etc/passwd", inside / "passwd.txt")
    os.symlink(outside / "c.txt", inside / "c-link.txt")
    os.symlink(inside / "sub" / "b.txt", inside / "b-link.txt")      # stays inside: read
    os.symlink(outside, inside / "out-dir")
    refused = []
    found = list(expand_inputs([str(inside)], refused.append))
    assert found == [str(inside / "a.txt"), str(inside / "b-link.txt"), str(inside / "sub" / "b.txt")]
    assert sorted(Path(e.path).name for e in refused) == ["c-link.txt", "out-dir", "passwd.txt", "pipe.txt",
                                                          "zero.txt"]
    assert {e.kind for e in refused} == {"refused_input"}
    # named too, the outside folder's links are allowed; /dev/zero and the FIFO never are
    refused = []
    found = list(expand_inputs([str(inside), str(outside)], refused.append))
    assert str(inside / "c-link.txt") in found
    refused = []
    found = list(expand_inputs([str(inside)], refused.append, follow_symlinks_anywhere=True))
    assert str(inside / "passwd.txt") in found and str(inside / "out-dir" / "c.txt") in found
    assert sorted(Path(e.path).name for e in refused) == ["pipe.txt", "zero.txt"]


def test_a_link_loop_does_not_hang_the_walk(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    assert list(expand_inputs([str(tmp_path / "a")], follow_symlinks_anywhere=True)) == [str(tmp_path / "a" / "x.txt")]


# -- the real CLI ---------------------------------------------------------------------------------

def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out.update(int(x) for x in (task / "children").read_text().split())
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_ingest(src: Path, db: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(src), "--db", str(db), "--no-progress",
                             *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _kill_when_workers_run(proc: subprocess.Popen) -> set[int]:
    deadline = time.monotonic() + 120
    found: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        found = _children(proc.pid)
        if len(found) >= 2:
            break
        time.sleep(0.05)
    assert len(found) >= 2, "the ingest finished before its workers were seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the workers")
def test_killing_the_ingest_kills_its_workers_and_frees_the_lock(tmp_path):
    src = tmp_path / "pages"
    hostile_corpus.write_good_pages(src, 3000)
    db = tmp_path / "db.duckdb"
    proc = _start_ingest(src, db)
    worker_pids = _kill_when_workers_run(proc)
    time.sleep(3)
    assert not [pid for pid in worker_pids if _alive(pid)], "workers outlived their parent"
    for command in ("reindex", "retag", "ingest"):
        extra = (str(src), "--no-progress") if command == "ingest" else ()
        done = run_etl(command, *extra, db=db, check=False)
        assert done.returncode == 0, (command, done.returncode, done.stderr)
    assert duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM articles").fetchone()[0] == 3000


def test_a_busy_lock_names_the_process_holding_it(tmp_path):
    from etl import store
    db = tmp_path / "db.duckdb"
    snap = store.Snapshot.open(db)
    try:
        proc = run_etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db, check=False)
    finally:
        snap.abort()
    assert proc.returncode == 3
    assert f"PID is {os.getpid()}" in proc.stderr and "Traceback" not in proc.stderr
