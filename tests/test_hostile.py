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
from etl.readers.inputs import expand_inputs

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


def _slow_init(seconds):
    time.sleep(seconds)         # a worker's start-up on a loaded machine (gazetteer, tagger)
    _init(None)


def test_a_workers_start_up_does_not_count_against_the_inputs_queued_for_it():
    """An input that hangs gets its worker replaced; the inputs queued behind it go to the new
    worker, whose start-up takes longer than the per-input limit. They must still load."""
    pool = workers.Pool(1, _slow_init, (1.0,), task_seconds=0.5, memory_bytes=None)
    try:
        got = _results(pool, [("hang", _sleep_or_echo, (["hang"],), None)]
                       + [(i, _sleep_or_echo, ([f"ok{i}"],), None) for i in range(3)])
    finally:
        pool.close()
    assert got[0][0] == "hang" and isinstance(got[0][1], workers.TaskFailed)
    assert got[0][1].kind == "timeout"
    assert got[1:] == [(i, [f"ok{i}"]) for i in range(3)]
    assert pool.replaced == 2


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
    # enough pages that the run is still going when its workers are seen (asserted there); the
    # whole folder is loaded again at the end
    hostile_corpus.write_good_pages(src, 1000)
    db = tmp_path / "db.duckdb"
    proc = _start_ingest(src, db)
    worker_pids = _kill_when_workers_run(proc)
    deadline = time.monotonic() + 3             # the workers have 3 s to notice their parent died
    while [pid for pid in worker_pids if _alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in worker_pids if _alive(pid)], "workers outlived their parent"
    for command in ("reindex", "retag", "ingest"):
        extra = (str(src), "--no-progress") if command == "ingest" else ()
        done = run_etl(command, *extra, db=db, check=False)
        assert done.returncode == 0, (command, done.returncode, done.stderr)
    assert duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM articles").fetchone()[0] == 1000


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


MEASURED = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)\n"
            "sys.stdout.write(p.stdout)\n"
            "sys.stderr.write(p.stderr)\n")


def run_measured(*args: str) -> tuple[float, float, int, str, str]:
    """Run the CLI under a wrapper process; (seconds, peak RSS MiB of its largest process, exit
    status, stdout, stderr). The wrapper's own accounting leaves out this test process's other
    children."""
    proc = subprocess.run([sys.executable, "-c", MEASURED, sys.executable, "-m", "etl", *args],
                          capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          timeout=900)
    first, _, out = proc.stdout.partition("\n")
    seconds, rss_kib, code = first.split()
    return float(seconds), int(rss_kib) / 1024, int(code), out, proc.stderr


def test_the_hostile_corpus_loads_every_good_article_and_records_every_bad_input(tmp_path):
    corpus = hostile_corpus.build(tmp_path / "in")
    db = tmp_path / "db.duckdb"
    seconds, peak_mb, code, out, err = run_measured(
        "ingest", str(tmp_path / "in"), "--db", str(db), "--no-progress", "--input-timeout", "10",
        "--worker-memory", "512")
    assert code == 1, (code, err[-3000:])
    assert "Traceback" not in err, err[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    titles = {t for (t,) in con.execute("SELECT title FROM articles").fetchall()}
    errors = con.execute("SELECT input_path, error_kind, reason FROM ingest_errors").fetchall()
    con.close()
    assert corpus.good_titles <= titles, sorted(corpus.good_titles - titles)[:5]
    recorded = {Path(path).name: (kind, reason) for path, kind, reason in errors}
    assert corpus.bad <= set(recorded), sorted(corpus.bad - set(recorded))
    for name in corpus.bad:
        assert recorded[name][0] and len(recorded[name][1]) > 10, (name, recorded[name])
    for name in ("pipe.txt", "zero.txt", "passwd.txt"):
        assert recorded[name][0] == "refused_input"
    assert "root:" not in "".join(titles)          # /etc/passwd never became an article
    # bounds far above what the run needs, far below what the attacks took before (4 GB and more,
    # hangs without end): two workers limited to 512 MB over their start-up size, a parent
    # whose DuckDB is limited to 1 GB
    assert peak_mb < 1500, peak_mb
    assert seconds < 300, seconds


# -- faults of the database, the disk and the index: exit 4, a sentence, nothing left behind ------

def _file_size_limit(n_bytes: int):
    """For preexec_fn: files the child writes stop at n_bytes (EFBIG, as a full disk gives
    ENOSPC: the same failed write for DuckDB, shutil and tantivy)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, n_bytes))
    return apply


def _etl(*args: str, db: Path, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), preexec_fn=preexec, timeout=600)


def _snapshot_id(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT value FROM meta WHERE key = 'snapshot_id'").fetchone()[0]
    finally:
        con.close()


def _assert_fault(proc, *words: str) -> None:
    assert proc.returncode == 4, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "fix:" in proc.stderr
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("fault") / "db.duckdb"
    run_etl("ingest", str(ROOT / "data" / "sample" / "tables"), "--no-progress", db=db)
    return db


def _copy_db(small_db: Path, folder: Path) -> Path:
    import shutil
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(small_db, folder / "db.duckdb")
    return folder / "db.duckdb"


def test_a_disk_full_while_copying_the_database_exits_4_and_leaves_no_partial_copy(small_db, tmp_path):
    db = _copy_db(small_db, tmp_path)
    before = db.read_bytes()
    proc = _etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db,
                preexec=_file_size_limit(db.stat().st_size // 2))
    _assert_fault(proc, "full", "Free some space")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "writing" in p.name) == []


def test_a_disk_full_while_writing_exits_4_and_leaves_no_partial_copy(tmp_path):
    db = tmp_path / "new.duckdb"
    proc = _etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db,
                preexec=_file_size_limit(200_000))
    _assert_fault(proc, "full")
    assert not db.exists()
    assert [p.name for p in tmp_path.iterdir() if "writing" in p.name] == []
    assert run_etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db).returncode == 0


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_database_exits_4_with_the_way_back(small_db, tmp_path, damage):
    db = _copy_db(small_db, tmp_path)
    data = db.read_bytes()
    db.write_bytes(data[:len(data) // 3] if damage == "truncated" else b"\x00junk" * 4096)
    for command in (("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress"), ("stats",),
                    ("reindex",), ("retag", "--no-progress")):
        proc = _etl(*command, db=db)
        _assert_fault(proc, "could not be read", ".previous")
        assert [p.name for p in tmp_path.iterdir() if "writing" in p.name] == []


def test_the_previous_snapshot_is_kept_and_restores_a_damaged_database(small_db, tmp_path):
    db = _copy_db(small_db, tmp_path)
    run_etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db)
    previous = Path(str(db) + ".previous")
    assert _snapshot_id(previous) == str(int(_snapshot_id(db)) - 1)
    db.write_bytes(b"damaged")
    os.replace(previous, db)
    assert run_etl("reindex", db=db).returncode == 0
    assert run_etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db).returncode == 0


def test_a_damaged_search_index_exits_4_naming_reindex_which_repairs_it(small_db, tmp_path):
    db = _copy_db(small_db, tmp_path)
    import shutil
    shutil.copytree(Path(str(small_db) + ".index"), Path(str(db) + ".index"))
    for meta in Path(str(db) + ".index").glob("*/meta.json"):
        meta.write_text("{not json")
    proc = _etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db)
    _assert_fault(proc, "index", "python -m etl reindex")
    assert run_etl("reindex", db=db).returncode == 0
    assert run_etl("ingest", str(ROOT / "data" / "sample" / "feeds"), "--no-progress", db=db).returncode == 0


def test_exit_codes_are_documented_in_the_help():
    out = subprocess.run([sys.executable, "-m", "etl", "ingest", "--help"], cwd=ROOT, capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=str(ROOT))).stdout
    for code in ("0 ", "1 ", "2 ", "3 ", "4 "):
        assert f"\n  {code}" in out
    assert "python -m etl reindex" in out and "previous" in out
    bad = subprocess.run([sys.executable, "-m", "etl", "ingest"], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert bad.returncode == 2


def test_a_tight_worker_memory_limit_still_loads_ordinary_inputs(tmp_path):
    """The limit is on top of what a worker holds after start-up, Arrow's reserved (not used)
    address space included: 256 MB is far more than any sample file needs."""
    proc = run_etl("ingest", str(ROOT / "data" / "sample"), "--no-progress", "--worker-memory", "256",
                   db=tmp_path / "db.duckdb", check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
